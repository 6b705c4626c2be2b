//! The public fee calculator (`/fees/calculator`): anyone, signed in or not, chooses what is
//! filed, types the amount, ticks the halving rules that may apply, and sees the fee with its
//! working band by band. Without JavaScript the form is a GET and the server renders the same
//! working; with it the working follows every keystroke.
use crate::fees::api::{NoticeView, my_fee_notices};
use crate::fees::model::{AmountUse, FeeError, FeeKind, Halving, Line, NoticeStatus, ProvinceRates, Working, calculate};
use crate::filing::model::{Fen, MoneyError};
use crate::identity::model::UnixTime;
use crate::i18n::*;
use crate::ui::forms::{Loading, error_view};
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where the calculator lives; the form's GET target.
pub const CALCULATOR_PATH: &str = "/fees/calculator";

pub fn kind_label(i18n: I18nContext<Locale>, kind: FeeKind) -> &'static str {
    match kind {
        FeeKind::Property => t_string!(i18n, fee_kind_property),
        FeeKind::Divorce => t_string!(i18n, fee_kind_divorce),
        FeeKind::PersonalityRights => t_string!(i18n, fee_kind_personality),
        FeeKind::OtherNonProperty => t_string!(i18n, fee_kind_non_property),
        FeeKind::IntellectualProperty => t_string!(i18n, fee_kind_ip),
        FeeKind::Labour => t_string!(i18n, fee_kind_labour),
        FeeKind::Administrative => t_string!(i18n, fee_kind_administrative),
        FeeKind::AdministrativeIpMaritime => t_string!(i18n, fee_kind_administrative_ip),
        FeeKind::JurisdictionObjection => t_string!(i18n, fee_kind_jurisdiction),
        FeeKind::Enforcement => t_string!(i18n, fee_kind_enforcement),
        FeeKind::Preservation => t_string!(i18n, fee_kind_preservation),
        FeeKind::PaymentOrder => t_string!(i18n, fee_kind_payment_order),
        FeeKind::PublicSummons => t_string!(i18n, fee_kind_public_summons),
        FeeKind::Arbitration => t_string!(i18n, fee_kind_arbitration),
        FeeKind::Bankruptcy => t_string!(i18n, fee_kind_bankruptcy),
        FeeKind::NoFee => t_string!(i18n, fee_kind_no_fee),
    }
}

fn halving_label(i18n: I18nContext<Locale>, reason: Halving) -> &'static str {
    match reason {
        Halving::Mediation => t_string!(i18n, fee_halve_mediation),
        Halving::Withdrawal => t_string!(i18n, fee_halve_withdrawal),
        Halving::SimplifiedProcedure => t_string!(i18n, fee_halve_simplified),
        Halving::CounterclaimOrThirdParty => t_string!(i18n, fee_halve_counterclaim),
    }
}

/// What the amount box says about the chosen kind.
fn amount_hint(i18n: I18nContext<Locale>, kind: FeeKind) -> &'static str {
    match (kind, kind.amount_use()) {
        (FeeKind::Divorce, _) => t_string!(i18n, fee_amount_hint_divorce),
        (FeeKind::PersonalityRights, _) => t_string!(i18n, fee_amount_hint_personality),
        (FeeKind::Bankruptcy, _) => t_string!(i18n, fee_amount_hint_bankruptcy),
        (_, AmountUse::Required) => t_string!(i18n, fee_amount_hint_required),
        (_, AmountUse::Optional) => t_string!(i18n, fee_amount_hint_optional),
        (_, AmountUse::None) => t_string!(i18n, fee_amount_hint_none),
    }
}

fn amount_error_text(i18n: I18nContext<Locale>, key: &str) -> &'static str {
    match key {
        "error_amount_precision" => t_string!(i18n, error_amount_precision),
        "error_amount_positive" => t_string!(i18n, error_amount_positive),
        "error_amount_too_large" => t_string!(i18n, error_amount_too_large),
        "error_fee_amount_required" => t_string!(i18n, error_fee_amount_required),
        _ => t_string!(i18n, error_amount),
    }
}

/// "art. 13(一)" / "第13(一)条" in the reader's language.
fn article(i18n: I18nContext<Locale>, which: &str) -> String {
    t_string!(i18n, fee_article, n = which).to_string()
}

/// `2.5%` from 250 basis points.
fn percent(rate_bp: i64) -> String {
    let whole = rate_bp / 100;
    let frac = rate_bp % 100;
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

/// The fee for what the form says: the amount is read only where the kind uses one (a figure
/// left in the box from another kind is not an error).
fn work_out(kind: FeeKind, amount: &str, halving: &[Halving], rates: &ProvinceRates) -> Result<Working, &'static str> {
    let amount = match kind.amount_use() {
        AmountUse::None => None,
        _ if amount.trim().is_empty() => None,
        _ => Some(Fen::parse_yuan(amount).map_err(MoneyError::key)?),
    };
    calculate(kind, amount, halving, rates).map_err(FeeError::key)
}

/// The province's figures: from the server's configuration while rendering there; in the browser
/// they arrive with the page (see `SharedValue` above), so this is never called there.
fn province_rates() -> ProvinceRates {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::ssr::AppState>() {
        return state.site.fee_rates;
    }
    ProvinceRates::default()
}

#[component]
pub fn FeeCalculatorPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = query.read_untracked();
    let kind = RwSignal::new(asked.get("kind").and_then(|k| FeeKind::parse(&k)).unwrap_or(FeeKind::Property));
    let amount = RwSignal::new(asked.get("amount").unwrap_or_default());
    let halving = RwSignal::new(
        asked.get_all("halve").unwrap_or_default().iter().filter_map(|h| Halving::parse(h)).collect::<Vec<_>>(),
    );
    // Whether the person has asked for a figure yet (a submitted form, or typing once hydrated).
    let asked_once = RwSignal::new(asked.get("kind").is_some());
    drop(asked);
    // The province's figures travel with the page (serialized once for hydration), so the
    // working is there in the first HTML and needs no request of its own.
    let rates: ProvinceRates = leptos::prelude::SharedValue::new(province_rates).into_inner();

    let options = move || {
        FeeKind::ALL
            .into_iter()
            .map(|k| {
                view! {
                    <option value=k.as_str() selected=move || kind.get() == k>
                        {move || format!("{} ({})", kind_label(i18n, k), article(i18n, k.article()))}
                    </option>
                }
            })
            .collect_view()
    };
    let halving_boxes = Halving::ALL
        .into_iter()
        .map(|h| {
            view! {
                <div class="choice">
                    <label>
                        <input type="checkbox" name="halve" value=h.as_str()
                            checked=halving.with_untracked(|v| v.contains(&h))
                            prop:checked=move || halving.with(|v| v.contains(&h))
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                halving.update(|v| {
                                    v.retain(|x| *x != h);
                                    if on {
                                        v.push(h);
                                    }
                                });
                                asked_once.set(true);
                            }/>
                        <span>{move || format!("{} ({})", halving_label(i18n, h), article(i18n, h.article()))}</span>
                    </label>
                </div>
            }
        })
        .collect_view();

    let amount_used = move || kind.get().amount_use() != AmountUse::None;
    let result = move || {
        if !asked_once.get() && amount.with(|a| a.trim().is_empty()) {
            return view! { <p class="field-hint">{move || t_string!(i18n, fee_prompt)}</p> }.into_any();
        }
        let worked = halving.with(|h| amount.with(|a| work_out(kind.get(), a, h, &rates)));
        match worked {
            Ok(w) => view! { <WorkingView working=w/> }.into_any(),
            Err(_) => view! { <p class="field-hint">{move || t_string!(i18n, fee_fix_amount)}</p> }.into_any(),
        }
    };
    // The message next to the amount box, from the same parse the server runs.
    let amount_error = move || {
        if !amount_used() || (!asked_once.get() && amount.with(|a| a.trim().is_empty())) {
            return None;
        }
        let k = kind.get();
        let typed = amount.get();
        match (k.amount_use(), typed.trim().is_empty()) {
            (AmountUse::Required, true) => Some("error_fee_amount_required"),
            (_, true) => None,
            _ => Fen::parse_yuan(&typed).err().map(MoneyError::key),
        }
    };

    view! {
        <Title text=title(move || t_string!(i18n, fee_calculator_title))/>
        <h1>{move || t_string!(i18n, fee_calculator_title)}</h1>
        <p class="lead">{move || t_string!(i18n, fee_calculator_lead)}</p>
        <form class="card fee-form" method="get" action=CALCULATOR_PATH>
            <div class="field">
                <label for="fee-kind">{move || t_string!(i18n, fee_kind_label)}</label>
                <select id="fee-kind" name="kind" on:change:target=move |ev| {
                    if let Some(k) = FeeKind::parse(&ev.target().value()) {
                        kind.set(k);
                        asked_once.set(true);
                    }
                }>{options}</select>
            </div>
            <div class="field" class:field-invalid=move || amount_error().is_some()>
                <label for="fee-amount">{move || t_string!(i18n, fee_amount_label)}</label>
                <p class="field-hint" id="fee-amount-hint">{move || amount_hint(i18n, kind.get())}</p>
                <input id="fee-amount" name="amount" type="text" inputmode="decimal" autocomplete="off"
                    // The attribute carries what was typed into the server-rendered page (no
                    // JavaScript); the property keeps it in step once hydrated.
                    value=amount.get_untracked()
                    prop:value=move || amount.get()
                    aria-invalid=move || amount_error().is_some().then_some("true")
                    aria-describedby="fee-amount-hint fee-amount-error"
                    on:input:target=move |ev| {
                        amount.set(ev.target().value());
                        asked_once.set(true);
                    }/>
                <p class="field-error" id="fee-amount-error" aria-live="polite">
                    {move || amount_error().map(|k| amount_error_text(i18n, k))}
                </p>
            </div>
            <fieldset class="field">
                <legend>{move || t_string!(i18n, fee_halving_legend)}</legend>
                <p class="field-hint">{move || t_string!(i18n, fee_halving_hint)}</p>
                {halving_boxes}
            </fieldset>
            <button type="submit" class="button">{move || t_string!(i18n, fee_calculate)}</button>
        </form>
        <section class="card fee-result" aria-labelledby="fee-result-heading" aria-live="polite" data-testid="fee-result">
            <h2 id="fee-result-heading">{move || t_string!(i18n, fee_result_heading)}</h2>
            {result}
        </section>
        <section class="card">
            <h2>{move || t_string!(i18n, fee_rules_heading)}</h2>
            <p>{move || t_string!(i18n, fee_rule_rounding)}</p>
            <p>{move || t_string!(i18n, fee_rule_halving)}</p>
            <p>{move || t_string!(i18n, fee_rule_province)}</p>
            <p>{move || t_string!(i18n, fee_rule_estimate)}</p>
        </section>
    }
}

/// The fee and its working, line by line.
#[component]
pub fn WorkingView(working: Working) -> impl IntoView {
    let i18n = use_i18n();
    let yuan = |f: Fen| format!("¥{}", f.yuan());
    let rows = working
        .lines
        .iter()
        .cloned()
        .map(|line| {
            let (what, fee): (Box<dyn Fn() -> String + Send + Sync>, Option<String>) = match line {
                Line::Fixed { fee, up_to: Some(up_to) } => (
                    Box::new(move || t_string!(i18n, fee_line_base, up_to = up_to.yuan()).to_string()),
                    Some(yuan(fee)),
                ),
                Line::Fixed { fee, up_to: None } => {
                    (Box::new(move || t_string!(i18n, fee_line_fixed).to_string()), Some(yuan(fee)))
                }
                Line::Band { from, to: Some(to), part, rate_bp, fee } => (
                    Box::new(move || {
                        t_string!(i18n, fee_line_band, from = from.yuan(), to = to.yuan(), part = part.yuan(), rate = percent(rate_bp))
                            .to_string()
                    }),
                    Some(yuan(fee)),
                ),
                Line::Band { from, to: None, part, rate_bp, fee } => (
                    Box::new(move || {
                        t_string!(i18n, fee_line_band_top, from = from.yuan(), part = part.yuan(), rate = percent(rate_bp)).to_string()
                    }),
                    Some(yuan(fee)),
                ),
                Line::FreePart { up_to } => {
                    (Box::new(move || t_string!(i18n, fee_line_free, up_to = up_to.yuan()).to_string()), None)
                }
                Line::Fraction { denominator: 3, .. } => (Box::new(move || t_string!(i18n, fee_line_third).to_string()), None),
                Line::Fraction { .. } => (Box::new(move || t_string!(i18n, fee_line_half_of_property).to_string()), None),
                Line::Capped { cap } => {
                    (Box::new(move || t_string!(i18n, fee_line_capped, cap = cap.yuan()).to_string()), Some(yuan(cap)))
                }
                Line::Halved { reasons } => (
                    Box::new(move || {
                        let why: Vec<String> =
                            reasons.iter().map(|r| format!("{} ({})", halving_label(i18n, *r), article(i18n, r.article()))).collect();
                        t_string!(i18n, fee_line_halved, reasons = why.join(t_string!(i18n, list_separator))).to_string()
                    }),
                    None,
                ),
                Line::NoFee => (Box::new(move || t_string!(i18n, fee_line_no_fee).to_string()), Some(yuan(Fen(0)))),
            };
            view! { <tr><td>{what}</td><td class="num">{fee}</td></tr> }
        })
        .collect_view();
    let kind = working.kind;
    // Relief lowers the total too, and says so itself: only halving is "before halving".
    let halved = working.lines.iter().any(|l| matches!(l, crate::fees::model::Line::Halved { .. }));
    let (full, total) = (working.full, working.total);
    view! {
        <p class="fee-total">
            <span>{move || t_string!(i18n, fee_total_label)}</span>" "
            <strong data-testid="fee-total">{yuan(total)}</strong>
        </p>
        {halved.then(|| view! {
            <p data-testid="fee-full">{move || t_string!(i18n, fee_full_before_halving, amount = full.yuan()).to_string()}</p>
        })}
        <table class="fee-working" data-testid="fee-working">
            <caption>{move || format!("{} ({})", kind_label(i18n, kind), article(i18n, kind.article()))}</caption>
            <thead><tr>
                <th scope="col">{move || t_string!(i18n, fee_working_what)}</th>
                <th scope="col" class="num">{move || t_string!(i18n, fee_working_fee)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The last day of a period, as people say it: the deadline is 24:00 of that day.
pub fn last_day(deadline: UnixTime) -> String {
    let (y, m, d) = UnixTime(deadline.0 - 1).beijing_ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The caller's fee notices (on the Pay page, for a verified person).
#[component]
pub fn MyFeeNotices() -> impl IntoView {
    let i18n = use_i18n();
    let notices = Resource::new(|| (), |_| my_fee_notices());
    let list = move || {
        let notices = match notices.get() {
            None => return view! { <Loading/> }.into_any(),
            Some(Err(e)) => return error_view(e),
            Some(Ok(n)) => n,
        };
        if notices.is_empty() {
            return view! { <p data-testid="no-fee-notices">{move || t_string!(i18n, fee_notices_none)}</p> }.into_any();
        }
        notices.into_iter().map(|n| view! { <NoticeCard notice=n/> }).collect_view().into_any()
    };
    view! {
        <section aria-labelledby="fee-notices-heading">
            <h2 id="fee-notices-heading">{move || t_string!(i18n, fee_notices_heading)}</h2>
            <Transition fallback=Loading>{list}</Transition>
        </section>
    }
}

#[component]
fn NoticeCard(notice: NoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let kind = notice.working.kind;
    let amount = notice.working.total;
    let due = last_day(notice.deadline);
    let state = move || match (notice.status, notice.overdue) {
        (NoticeStatus::Paid, _) => t_string!(i18n, fee_notice_paid),
        (NoticeStatus::Unpaid, true) => t_string!(i18n, fee_notice_overdue),
        (NoticeStatus::Unpaid, false) => t_string!(i18n, fee_notice_unpaid),
    };
    view! {
        <article class="card fee-notice" data-testid="fee-notice" class:overdue=notice.overdue>
            <h3>{move || t_string!(i18n, fee_notice_title, case_number = notice.case_number.clone()).to_string()}</h3>
            <p>{notice.court_name.clone()}</p>
            <p class="fee-total">
                <span>{move || format!("{} ({})", kind_label(i18n, kind), article(i18n, kind.article()))}</span>" "
                <strong data-testid="fee-notice-amount">{format!("¥{}", amount.yuan())}</strong>
            </p>
            <p data-testid="fee-notice-state"><strong>{state}</strong>" · "
                {move || t_string!(i18n, fee_notice_due, date = due.clone()).to_string()}</p>
            <crate::fees::pay_pages::PayNotice id=notice.id amount status=notice.status order_no=notice.order_no.clone()
                receipt_no=notice.receipt_no.clone()/>
            {notice.relief.clone().map(|r| view! { <NoticeReliefLine relief=r/> })}
            {notice.fee_after_change.map(|fee| {
                let (fee, asked) = (fee.yuan(), amount.yuan());
                view! {
                    <p class="fee-relief" data-testid="fee-notice-top-up">
                        {move || t_string!(i18n, fee_notice_top_up, fee = fee.clone(), amount = asked.clone()).to_string()}
                    </p>
                }
            })}
            <crate::fees::refund_pages::NoticeRefunds refunds=notice.refunds.clone()/>
            <details>
                <summary>{move || t_string!(i18n, fee_notice_working)}</summary>
                <WorkingView working=notice.working.clone()/>
            </details>
        </article>
    }
}

/// The fee relief a notice carries: what was granted and what it leaves to pay.
#[component]
fn NoticeReliefLine(relief: crate::fees::relief::NoticeRelief) -> impl IntoView {
    let i18n = use_i18n();
    let (original, due) = (relief.original.yuan(), relief.due.yuan());
    let text = move || match relief.decision.as_str() {
        "reduce" => t_string!(i18n, fee_notice_relief_reduce, percent = relief.percent.unwrap_or_default(), original = original.clone(), due = due.clone()).to_string(),
        "waive" => t_string!(i18n, fee_notice_relief_waive, original = original.clone()).to_string(),
        _ => t_string!(i18n, fee_notice_relief_defer, date = last_day(relief.deadline)).to_string(),
    };
    view! { <p class="fee-relief" data-testid="fee-notice-relief">{text}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(percent(250), "2.5%");
        assert_eq!(percent(200), "2%");
        assert_eq!(percent(90), "0.9%");
        assert_eq!(percent(10), "0.1%");
        assert_eq!(percent(5), "0.05%");
    }

    #[test]
    fn an_amount_left_in_the_box_for_a_kind_without_one_is_ignored() {
        let rates = ProvinceRates::default();
        let w = work_out(FeeKind::Labour, "12345", &[], &rates).expect("fee");
        assert_eq!((w.amount, w.total), (None, Fen(1_000)));
        assert_eq!(work_out(FeeKind::Property, "12,34", &[], &rates).map(|w| w.total), Err("error_amount"));
        assert_eq!(work_out(FeeKind::Property, " ", &[], &rates).map(|w| w.total), Err("error_fee_amount_required"));
        assert_eq!(work_out(FeeKind::Enforcement, "", &[], &rates).map(|w| w.total), Ok(Fen(5_000)));
    }
}
