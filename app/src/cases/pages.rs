//! Case views. For staff: the court's cases and the form that records how one ended
//! (`/staff/cases`, confirmed a second time because it closes the case), and one case with the
//! documents served in it and the form that serves another (`/staff/cases/:id`). For parties
//! and lawyers: their cases (`/cases`) and one case with its documents (`/cases/:id`).
use crate::cases::api::{CourtCaseView, EndCase, court_cases};
use crate::fees::model::CaseEnding;
use crate::i18n::*;
use crate::ui::forms::{FormError, Loading, error_view, last_error};
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;

pub const STAFF_CASES_PATH: &str = "/staff/cases";

pub fn ending_label(i18n: I18nContext<Locale>, e: CaseEnding) -> &'static str {
    match e {
        CaseEnding::Judgment => t_string!(i18n, ending_judgment),
        CaseEnding::Mediation => t_string!(i18n, ending_mediation),
        CaseEnding::Withdrawal => t_string!(i18n, ending_withdrawal),
        CaseEnding::Dismissed => t_string!(i18n, ending_dismissed),
    }
}

/// `/staff/cases`: the court's cases, open ones first.
#[component]
pub fn CourtCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let end = ServerAction::<EndCase>::new();
    let change = ServerAction::<crate::fees::api::ChangeClaims>::new();
    let cases = Resource::new(move || (end.version().get(), change.version().get()), |_| court_cases());
    let end_error = last_error(end.value());
    let change_error = last_error(change.value());
    let changed = move || {
        change.value().get().and_then(|r| r.ok()).map(|done| {
            let (number, fee) = (done.case_number.clone(), done.fee_after.yuan());
            let text = match (done.top_up, done.refund, done.reissued) {
                (Some(a), _, _) => t_string!(i18n, claims_changed_top_up, case_number = number, fee = fee, amount = a.yuan()).to_string(),
                (_, Some(a), _) => t_string!(i18n, claims_changed_refund, case_number = number, fee = fee, amount = a.yuan()).to_string(),
                (_, _, Some(a)) => t_string!(i18n, claims_changed_reissued, case_number = number, fee = fee, amount = a.yuan()).to_string(),
                _ => t_string!(i18n, claims_changed_same, case_number = number, fee = fee).to_string(),
            };
            view! { <p class="notice" role="status" data-testid="claims-changed">{text}</p> }
        })
    };
    let ended = move || {
        end.value().get().and_then(|r| r.ok()).map(|done| {
            let number = done.case_number.clone();
            let text = match (done.refund, done.fee_now) {
                (Some(fen), _) => t_string!(i18n, case_ended_refund, case_number = number, amount = fen.yuan()).to_string(),
                (None, Some(fen)) => t_string!(i18n, case_ended_fee_now, case_number = number, amount = fen.yuan()).to_string(),
                (None, None) => t_string!(i18n, case_ended_no_refund, case_number = number).to_string(),
            };
            view! { <p class="notice" role="status" data-testid="case-ended">{text}</p> }
        })
    };
    view! {
        <Title text=title(move || t_string!(i18n, staff_cases_title))/>
        <h1>{move || t_string!(i18n, staff_cases_title)}</h1>
        <p class="lead">{move || t_string!(i18n, staff_cases_lead)}</p>
        <p class="back-link"><a href="/staff">{move || t_string!(i18n, staff_title)}</a></p>
        {ended}
        {changed}
        <FormError error=end_error/>
        <FormError error=change_error/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) if list.is_empty() => view! { <section class="card"><p data-testid="cases-empty">{move || t_string!(i18n, staff_cases_empty)}</p></section> }.into_any(),
                    Ok(list) => view! {
                        <section class="card">
                            <table class="queue" data-testid="court-cases">
                                <thead><tr>
                                    <th scope="col">{move || t_string!(i18n, case_col_number)}</th>
                                    <th scope="col">{move || t_string!(i18n, case_col_fee)}</th>
                                    <th scope="col">{move || t_string!(i18n, case_col_state)}</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(|c| view! { <CaseRow case=c end change/> }).collect_view()}</tbody>
                            </table>
                        </section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseRow(case: CourtCaseView, end: ServerAction<EndCase>, change: ServerAction<crate::fees::api::ChangeClaims>) -> impl IntoView {
    let i18n = use_i18n();
    let select_id = format!("ending-{}", case.id);
    let amount_id = format!("claims-{}", case.id);
    let fee = case.fee.map(|f| {
        let paid = case.fee_paid;
        view! { {format!("¥{}", f.yuan())}" · "{move || if paid { t_string!(i18n, case_fee_paid) } else { t_string!(i18n, case_fee_unpaid) }} }
    });
    let state = match case.ended_as {
        Some(how) => view! { <span data-testid="case-state">{move || ending_label(i18n, how)}</span>{case.ended_at.map(|at| view! { <br/><span class="device-meta">{at.shanghai()}</span> })} }.into_any(),
        None => view! {
            <span data-testid="case-state">{move || stage_label(i18n, case.stage)}</span>
            <details class="decision">
                <summary data-testid="end-case-open">{move || t_string!(i18n, end_case_open)}</summary>
                <ActionForm action=end attr:class="stack-form">
                    <input type="hidden" name="case_id" value=case.id.to_string()/>
                    <div class="field">
                        <label for=select_id.clone()>{move || t_string!(i18n, end_case_label)}</label>
                        <select id=select_id name="ending" data-testid="end-case-ending">
                            {CaseEnding::ALL.into_iter().map(|e| view! { <option value=e.as_str()>{move || ending_label(i18n, e)}</option> }).collect_view()}
                        </select>
                    </div>
                    <p class="hint">{move || t_string!(i18n, end_case_warning)}</p>
                    <button type="submit" class="danger" data-testid="end-case-confirm" disabled=move || end.pending().get()>{move || t_string!(i18n, end_case_confirm)}</button>
                </ActionForm>
            </details>
            <details class="decision">
                <summary data-testid="claims-change-open">{move || t_string!(i18n, claims_change_open)}</summary>
                <ActionForm action=change attr:class="stack-form">
                    <input type="hidden" name="case_id" value=case.id.to_string()/>
                    <div class="field">
                        <label for=amount_id.clone()>{move || t_string!(i18n, claims_change_label)}</label>
                        <input id=amount_id name="amount" inputmode="decimal" autocomplete="off" required data-testid="claims-change-amount"/>
                    </div>
                    <p class="hint">{move || t_string!(i18n, claims_change_hint)}</p>
                    <button type="submit" data-testid="claims-change-confirm" disabled=move || change.pending().get()>{move || t_string!(i18n, claims_change_confirm)}</button>
                </ActionForm>
            </details>
        }
        .into_any(),
    };
    view! {
        <tr data-testid="court-case" data-case=case.case_number.clone()>
            <td><strong><a href=format!("{STAFF_CASES_PATH}/{}", case.id) data-testid="court-case-link">{case.case_number.clone()}</a></strong><br/>{case.cause.clone()}<br/><span class="device-meta">{case.accepted_at.shanghai()}</span></td>
            <td>{fee}</td>
            <td>{state}</td>
        </tr>
    }
}

// ---------------------------------------------------------------------------------------------
// The litigant's and lawyer's cases

use crate::cases::api::{CaseDetail, CaseSummary, DocumentView, my_case, my_cases};
use crate::cases::model::{DeadlineKind, EventKind, RecordedKind, Stage, StageFilter};
use crate::cases::service::{DocumentKind, PeriodKind};
use crate::identity::model::UnixTime;
use crate::identity::pages::RequireVerified;
use crate::ui::pages::Section;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn stage_label(i18n: I18nContext<Locale>, s: Stage) -> &'static str {
    match s {
        Stage::Accepted => t_string!(i18n, case_stage_accepted),
        Stage::Mediation => t_string!(i18n, case_stage_mediation),
        Stage::Trial => t_string!(i18n, case_stage_trial),
        Stage::Judged => t_string!(i18n, case_stage_judged),
        Stage::Closed => t_string!(i18n, case_stage_closed),
    }
}

fn event_label(i18n: I18nContext<Locale>, e: &EventKind) -> String {
    match e {
        EventKind::Filed => t_string!(i18n, case_event_filed).to_string(),
        EventKind::Accepted => t_string!(i18n, case_event_accepted).to_string(),
        EventKind::FeeNotice => t_string!(i18n, case_event_fee_notice).to_string(),
        EventKind::FeePaid => t_string!(i18n, case_event_fee_paid).to_string(),
        EventKind::RefundCreated => t_string!(i18n, case_event_refund_created).to_string(),
        EventKind::Refunded => t_string!(i18n, case_event_refunded).to_string(),
        EventKind::HearingScheduled => t_string!(i18n, case_event_hearing_scheduled).to_string(),
        EventKind::Served(kind) => t_string!(i18n, case_event_served, kind = document_kind_label(i18n, *kind)).to_string(),
        EventKind::Ended(how) => t_string!(i18n, case_event_ended, how = ending_label(i18n, *how)).to_string(),
        EventKind::Recorded { kind, .. } => recorded_label(i18n, *kind).to_string(),
        EventKind::StageChanged(stage) => t_string!(i18n, case_event_stage, stage = stage_label(i18n, *stage)).to_string(),
    }
}

pub fn recorded_label(i18n: I18nContext<Locale>, k: RecordedKind) -> &'static str {
    match k {
        RecordedKind::HearingHeld => t_string!(i18n, case_event_hearing_held),
        RecordedKind::Mediation => t_string!(i18n, case_event_mediation),
        RecordedKind::Judgment => t_string!(i18n, case_event_judgment),
    }
}

/// The stage filter's option names: every running case, or one stage.
fn stage_filter_label(i18n: I18nContext<Locale>, f: StageFilter) -> &'static str {
    match f {
        StageFilter::Running => t_string!(i18n, case_open),
        StageFilter::Is(s) => stage_label(i18n, s),
    }
}

fn deadline_label(i18n: I18nContext<Locale>, k: DeadlineKind) -> &'static str {
    match k {
        DeadlineKind::PayFee => t_string!(i18n, case_deadline_pay_fee),
        DeadlineKind::RefundDue => t_string!(i18n, case_deadline_refund),
        DeadlineKind::FromService(p) => period_label(i18n, p),
    }
}

pub fn document_kind_label(i18n: I18nContext<Locale>, k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::Judgment => t_string!(i18n, document_judgment),
        DocumentKind::Ruling => t_string!(i18n, document_ruling),
        DocumentKind::FeeNotice => t_string!(i18n, document_fee_notice),
        DocumentKind::EvidenceNotice => t_string!(i18n, document_evidence_notice),
        DocumentKind::Summons => t_string!(i18n, document_summons),
        DocumentKind::Other => t_string!(i18n, document_other),
    }
}

pub fn period_label(i18n: I18nContext<Locale>, p: PeriodKind) -> &'static str {
    match p {
        PeriodKind::AppealJudgment => t_string!(i18n, period_appeal_judgment),
        PeriodKind::AppealRuling => t_string!(i18n, period_appeal_ruling),
        PeriodKind::PayFee => t_string!(i18n, case_deadline_pay_fee),
        PeriodKind::Evidence => t_string!(i18n, period_evidence),
    }
}

/// When a document was opened, or that it was not yet: the read receipt in words.
fn receipt(i18n: I18nContext<Locale>, read_at: Option<UnixTime>) -> impl IntoView {
    match read_at {
        Some(at) => {
            let at = at.shanghai();
            view! { <span class="badge ok" data-testid="document-read">{move || t_string!(i18n, document_read_at, at = at.clone()).to_string()}</span> }.into_any()
        }
        None => view! { <span class="badge" data-testid="document-unread">{move || t_string!(i18n, document_unread)}</span> }.into_any(),
    }
}

/// A running period in words: what it is for and its last day.
fn period_text(i18n: I18nContext<Locale>, period: Option<(PeriodKind, UnixTime)>) -> Option<impl IntoView> {
    period.map(|(p, ends)| {
        let date = crate::fees::pages::last_day(ends);
        view! { <p data-testid="document-period">{move || t_string!(i18n, document_period, period = period_label(i18n, p), date = date.clone()).to_string()}</p> }
    })
}

/// The documents served on the viewer, each with its fingerprint, receipt and period.
#[component]
fn ServedDocuments(documents: Vec<DocumentView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="case-documents">
            <h2 id="case-documents">{move || t_string!(i18n, case_documents)}</h2>
            {if documents.is_empty() {
                view! { <p data-testid="case-no-documents">{move || t_string!(i18n, case_no_documents)}</p> }.into_any()
            } else {
                view! { <ul class="documents" data-testid="case-document-list">{documents.into_iter().map(|d| {
                    let kind = d.kind;
                    let served = d.served_at.shanghai();
                    // `rel="external"`: the router leaves these to the browser (a PDF, not a page).
                    view! { <li data-testid="case-document" data-document=d.id.to_string()>
                        <h3>{move || document_kind_label(i18n, kind)}": "{d.title.clone()}</h3>
                        <p><span class="device-meta">{move || t_string!(i18n, document_served_at, at = served.clone()).to_string()}</span>" "{receipt(i18n, d.read_at)}</p>
                        {period_text(i18n, d.period)}
                        <p class="fine-print">{move || t_string!(i18n, document_fingerprint)}" "<code class="fingerprint" data-testid="document-sha">{d.sha256.clone()}</code></p>
                        <p class="actions">
                            <a class="button" href=format!("/documents/{}", d.id) rel="external" target="_blank" data-testid="document-open">{move || t_string!(i18n, document_open)}</a>" "
                            <a class="button secondary" href=format!("/documents/{}?download=true", d.id) rel="external" download="" data-testid="document-download">{move || t_string!(i18n, document_download)}</a>
                        </p>
                    </li> }
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// `/cases`: the person's cases, filtered by stage, court and case number with a plain GET form
/// (so it works before hydration and the filter is in the address to share or reload).
#[component]
pub fn MyCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::Cases;
    view! {
        <Title text=title(move || section.label(i18n))/>
        <h1>{move || section.label(i18n)}</h1>
        <RequireVerified here=section.href()>
            <super::inbox::InboxLink/>
            // On a tablet the list stays on the left and a case opens beside it.
            <div class="cases-split">
                <div class="cases-list-pane"><CaseList selected=None/></div>
                <div class="cases-detail-pane cases-pick" aria-hidden="true"><p>{move || t_string!(i18n, cases_pick)}</p></div>
            </div>
        </RequireVerified>
    }
}

/// The list and its filters; asked for only once the gate has let a verified person through.
#[component]
fn CaseList(
    /// The case open beside the list (tablet layout).
    selected: Option<Memo<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|m| m.get(k).unwrap_or_default());
    let cases = Resource::new(move || (q("stage"), q("court"), q("number")), |(s, c, n)| my_cases(s, c, n));
    // The whole list (not a filtered one) is kept for reading offline, once it is on screen.
    if selected.is_none() {
        super::offline::keep_when_loaded(cases, move || [q("stage"), q("court"), q("number")].iter().all(String::is_empty));
    }
    // Links keep the filters, so the list beside an opened case is the same list.
    let filters = move || {
        let parts: Vec<String> = ["stage", "court", "number"].iter().filter_map(|k| Some(q(k)).filter(|v| !v.is_empty()).map(|v| format!("{k}={}", crate::identity::pages::encode(&v)))).collect();
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    };
    view! {
        <form method="get" action="/cases" class="filter-form card" role="search">
            <div class="field">
                <label for="case-filter-number">{move || t_string!(i18n, case_filter_number)}</label>
                <input id="case-filter-number" name="number" type="search" maxlength="64" value=q("number") prop:value=move || q("number") data-testid="case-filter-number"/>
            </div>
            <div class="field">
                <label for="case-filter-stage">{move || t_string!(i18n, case_filter_stage)}</label>
                <select id="case-filter-stage" name="stage" data-testid="case-filter-stage">
                    <option value="" selected=move || q("stage").is_empty()>{move || t_string!(i18n, case_filter_any)}</option>
                    {StageFilter::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=move || q("stage") == s.as_str()>{move || stage_filter_label(i18n, s)}</option> }).collect_view()}
                </select>
            </div>
            <input type="hidden" name="court" value=q("court") prop:value=move || q("court")/>
            <button type="submit" class="secondary">{move || t_string!(i18n, case_filter_apply)}</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) if list.is_empty() => view! { <section class="card"><p data-testid="cases-none">{move || t_string!(i18n, my_cases_none)}</p></section> }.into_any(),
                    Ok(list) => view! {
                        <ul class="case-list" data-testid="my-cases">
                            {list.into_iter().map(|c| view! { <CaseCard case=c selected filters=filters()/> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseCard(case: CaseSummary, selected: Option<Memo<i64>>, filters: String) -> impl IntoView {
    let i18n = use_i18n();
    let stage = case.stage;
    let id = case.id;
    let current = move || selected.is_some_and(|s| s.get() == id).then_some("page");
    view! {
        <li class="card" class:selected=move || current().is_some() data-testid="my-case" data-case=case.case_number.clone()>
            <h2><a href=format!("/cases/{}{filters}", case.id) aria-current=current>{case.case_number.clone()}</a></h2>
            <p>{case.court_name.clone()}" · "{case.cause.clone()}</p>
            <p><span class="badge" data-testid="case-stage">{move || stage_label(i18n, stage)}</span>
                {case.client_name.clone().map(|n| view! { " "{move || t_string!(i18n, case_for_client, name = n.clone()).to_string()} })}</p>
        </li>
    }
}

/// `/cases/:id`: one case, its people, its timeline and the deadlines still running.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=title(move || Section::Cases.label(i18n))/>
        <p class="back-link"><a href="/cases">{move || Section::Cases.label(i18n)}</a></p>
        // Signing in from here comes back to the list; the case is one tap away.
        <RequireVerified here=Section::Cases.href()>
            <CaseSplit/>
        </RequireVerified>
    }
}

/// The opened case, and on a tablet the list beside it (first in reading order comes the case;
/// the stylesheet puts the list on the left, and hides it on a phone).
#[component]
fn CaseSplit() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    view! {
        <div class="cases-split with-detail">
            <div class="cases-detail-pane"><OneCase id/></div>
            <aside class="cases-list-pane" aria-label=move || t_string!(i18n, cases_list_beside)><CaseList selected=Some(id)/></aside>
        </div>
    }
}

/// The case itself; asked for only once the gate has let a verified person through.
#[component]
fn OneCase(id: Memo<i64>) -> impl IntoView {
    let detail = Resource::new(move || id.get(), my_case);
    super::offline::keep_when_loaded(detail, || true);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <CaseView detail=d/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseView(detail: CaseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = detail.summary.clone();
    let case_type = s.case_type;
    let stage = s.stage;
    let unassigned = move || t_string!(i18n, case_not_assigned).to_string();
    view! {
        <h1 data-testid="case-number">{s.case_number.clone()}</h1>
        <section class="card" aria-labelledby="case-about">
            <h2 id="case-about">{move || t_string!(i18n, case_about)}</h2>
            <dl class="facts">
                <dt>{move || t_string!(i18n, case_court)}</dt><dd>{s.court_name.clone()}</dd>
                <dt>{move || t_string!(i18n, case_cause)}</dt><dd>{s.cause.clone()}</dd>
                <dt>{move || t_string!(i18n, case_col_state)}</dt><dd data-testid="case-stage">{move || stage_label(i18n, stage)}</dd>
                <dt>{move || t_string!(i18n, case_judge)}</dt><dd>{detail.judge_name.clone().unwrap_or_else(unassigned)}</dd>
                <dt>{move || t_string!(i18n, case_clerk)}</dt><dd>{detail.clerk_name.clone().unwrap_or_else(unassigned)}</dd>
                <dt>{move || t_string!(i18n, case_next_hearing)}</dt>
                <dd data-testid="case-next-hearing">{match detail.next_hearing.clone() {
                    Some(h) => {
                        let (id, mode) = (h.id, h.mode);
                        view! { <HearingText hearing=h/><br/><HearingLinks id mode/> }.into_any()
                    }
                    None => view! { {move || t_string!(i18n, case_no_hearing)} }.into_any(),
                }}</dd>
                {detail.query_code.clone().map(|code| view! {
                    <dt>{move || t_string!(i18n, case_query_code)}</dt>
                    <dd><code data-testid="case-query-code">{code}</code><br/><span class="hint">{move || t_string!(i18n, case_query_code_hint)}</span></dd>
                })}
            </dl>
            <h3>{move || t_string!(i18n, case_parties)}</h3>
            <ul data-testid="case-parties">{detail.parties.iter().map(|p| {
                let role = p.role;
                view! { <li>{move || crate::filing::pages::role_label(i18n, case_type, role)}": "{p.name.clone()}</li> }
            }).collect_view()}</ul>
        </section>
        <section class="card" aria-labelledby="case-deadlines">
            <h2 id="case-deadlines">{move || t_string!(i18n, case_deadlines)}</h2>
            {if detail.deadlines.is_empty() {
                view! { <p data-testid="case-no-deadlines">{move || t_string!(i18n, case_no_deadlines)}</p> }.into_any()
            } else {
                view! { <ul data-testid="case-deadline-list">{detail.deadlines.iter().map(|d| {
                    let (kind, days) = (d.kind, d.days_left);
                    let date = crate::fees::pages::last_day(d.ends_at);
                    view! { <li data-testid="case-deadline" class:overdue=days <= 0>
                        <strong>{move || deadline_label(i18n, kind)}</strong>" · "
                        {move || t_string!(i18n, case_deadline_until, date = date.clone(), days = days.max(0)).to_string()}
                    </li> }
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <p class="button-row"><a class="button secondary" href=format!("/cases/{}/messages", s.id) data-testid="case-contact-judge">{move || t_string!(i18n, thread_title)}</a></p>
        <ServedDocuments documents=detail.documents.clone()/>
        <section class="card" aria-labelledby="case-timeline">
            <h2 id="case-timeline">{move || t_string!(i18n, case_timeline)}</h2>
            <ol class="history" data-testid="case-timeline-list">{detail.timeline.iter().map(|e| {
                let kind = e.kind.clone();
                let note = match &kind {
                    EventKind::Recorded { note, .. } if !note.is_empty() => Some(view! { <br/><span class="event-note">{note.clone()}</span> }),
                    _ => None,
                };
                view! { <li data-testid="case-event"><span class="device-meta">{e.at.shanghai()}</span>" "{move || event_label(i18n, &kind)}{note}</li> }
            }).collect_view()}</ol>
            <p><a href="/pay">{move || t_string!(i18n, case_fees_link)}</a></p>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Staff: one case, serving documents on its people, and the proof of service

use crate::cases::api::{AssignCaseJudge, ChangeCaseStage, RecordCaseEvent, ServedDocumentView, StaffCaseView, staff_case};
use crate::error::AppError;


/// `/staff/cases/:id`: the case's served documents with each person's receipt, and the form
/// that serves another (a plain multipart form: it works before hydration, and after an error
/// the page comes back with what was typed).
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    let progress = ProgressActions { record: ServerAction::new(), stage: ServerAction::new(), judge: ServerAction::new() };
    // Read the case again after each change that worked (its stage, its events, a new form key);
    // a refused one keeps the form as typed.
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = [progress.record.value().get().map(|r| r.is_ok()), progress.stage.value().get().map(|r| r.is_ok()), progress.judge.value().get().map(|r| r.is_ok())];
        if ok.contains(&Some(true)) {
            changed.update(|n| *n += 1);
        }
    });
    let case = Resource::new(move || (id.get(), changed.get()), |(id, _)| staff_case(id));
    view! {
        <Title text=title(move || t_string!(i18n, staff_case_title))/>
        <p class="back-link"><a href=STAFF_CASES_PATH>{move || t_string!(i18n, staff_cases_title)}</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! { <StaffCase case=c progress/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// The staff page's forms that change the case, kept above the page's data so their answers
/// outlive its reload.
#[derive(Clone, Copy)]
struct ProgressActions {
    record: ServerAction<RecordCaseEvent>,
    stage: ServerAction<ChangeCaseStage>,
    judge: ServerAction<AssignCaseJudge>,
}

/// Staff record what happened, move the case between stages and assign its judge; every change
/// reaches the parties' timeline and inbox.
#[component]
fn StaffProgress(case_id: i64, stage: Stage, accepted: UnixTime, now: UnixTime, judge: Option<(i64, String)>, judges: Vec<(i64, String)>, events: Vec<crate::cases::model::Event>, form_key: String, progress: ProgressActions) -> impl IntoView {
    let i18n = use_i18n();
    let open = stage.is_open();
    let record_error = last_error(progress.record.value());
    let stage_error = last_error(progress.stage.value());
    let judge_error = last_error(progress.judge.value());
    let problem = move |f: &'static str| {
        let key = crate::ui::forms::field_error(record_error, f);
        move || key.get().map(|k| crate::ui::forms::key_text(i18n, &k))
    };
    let ok = |v: Signal<Option<Result<(), AppError>>>| Signal::derive(move || matches!(v.get(), Some(Ok(()))));
    let (record_ok, stage_ok, judge_ok) = (ok(progress.record.value().into()), ok(progress.stage.value().into()), ok(progress.judge.value().into()));
    let stamp = now.shanghai();
    let (today, time) = stamp.split_once(' ').map(|(d, t)| (d.to_string(), t.to_string())).unwrap_or_default();
    let min_day = accepted.shanghai().split_once(' ').map(|(d, _)| d.to_string()).unwrap_or_default();
    let current_judge = judge.as_ref().map(|(j, _)| *j);
    let judge_name = judge.map(|(_, n)| n);
    let no_judges = judges.is_empty();
    let (stage_key, event_key) = (format!("{form_key}-stage"), format!("{form_key}-event"));
    view! {
        <section class="card" aria-labelledby="progress-title" data-testid="staff-progress">
            <h2 id="progress-title">{move || t_string!(i18n, staff_judge_title)}</h2>
            <p data-testid="staff-judge">{judge_name.unwrap_or_else(|| t_string!(i18n, case_judge_none).to_string())}</p>
            {move || judge_ok.get().then(|| view! { <p class="notice" role="status" data-testid="judge-assigned">{move || t_string!(i18n, staff_judge_done)}</p> })}
            <FormError error=judge_error/>
            {if no_judges {
                view! { <p class="hint">{move || t_string!(i18n, staff_judge_none)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=progress.judge attr:class="inline-form">
                        <input type="hidden" name="case_id" value=case_id.to_string()/>
                        <label for="assign-judge">{move || t_string!(i18n, staff_judge_label)}</label>
                        <select id="assign-judge" name="judge" data-testid="assign-judge">
                            {judges.into_iter().map(|(j, name)| view! { <option value=j.to_string() selected=current_judge == Some(j)>{name}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="secondary" data-testid="assign-judge-submit" disabled=move || progress.judge.pending().get()>{move || t_string!(i18n, staff_judge_submit)}</button>
                    </ActionForm>
                }.into_any()
            }}
            <h2>{move || t_string!(i18n, staff_stage_title)}</h2>
            <p data-testid="staff-stage">{move || stage_label(i18n, stage)}</p>
            {move || stage_ok.get().then(|| view! { <p class="notice" role="status" data-testid="stage-changed">{move || t_string!(i18n, staff_stage_done)}</p> })}
            <FormError error=stage_error/>
            {open.then(|| view! {
                <ActionForm action=progress.stage attr:class="inline-form">
                    <input type="hidden" name="case_id" value=case_id.to_string()/>
                    <input type="hidden" name="request_key" value=stage_key/>
                    <label for="change-stage">{move || t_string!(i18n, staff_stage_label)}</label>
                    <select id="change-stage" name="stage" data-testid="change-stage">
                        {Stage::OPEN.into_iter().filter(|s| *s != stage).map(|s| view! { <option value=s.as_str()>{move || stage_label(i18n, s)}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="secondary" data-testid="change-stage-submit" disabled=move || progress.stage.pending().get()>{move || t_string!(i18n, staff_stage_submit)}</button>
                </ActionForm>
                <p class="hint">{move || t_string!(i18n, staff_stage_hint)}</p>
            })}
        </section>
        <section class="card" aria-labelledby="record-title">
            <h2 id="record-title">{move || t_string!(i18n, staff_record_title)}</h2>
            {move || record_ok.get().then(|| view! { <p class="notice" role="status" data-testid="event-recorded">{move || t_string!(i18n, staff_record_done)}</p> })}
            <FormError error=record_error/>
            {open.then(|| view! {
                <ActionForm action=progress.record attr:class="stack-form" attr:data-testid="record-form">
                    <input type="hidden" name="case_id" value=case_id.to_string()/>
                    <input type="hidden" name="request_key" value=event_key/>
                    <div class="field">
                        <label for="record-kind">{move || t_string!(i18n, staff_record_kind)}</label>
                        <select id="record-kind" name="kind" data-testid="record-kind">
                            {RecordedKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || recorded_label(i18n, k)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="record-date">{move || t_string!(i18n, staff_record_date)}</label>
                        <input id="record-date" name="date" type="date" required min=min_day max=today.clone() value=today.clone() data-testid="record-date"/>
                        <p class="error" role="alert">{problem("date")}</p>
                    </div>
                    <div class="field">
                        <label for="record-time">{move || t_string!(i18n, staff_record_time)}</label>
                        <input id="record-time" name="time" type="time" required value=time data-testid="record-time"/>
                        <p class="error" role="alert">{problem("time")}</p>
                    </div>
                    <div class="field">
                        <label for="record-note">{move || t_string!(i18n, staff_record_note)}</label>
                        <textarea id="record-note" name="note" rows="3" maxlength=crate::cases::model::MAX_EVENT_NOTE.to_string() data-testid="record-note"></textarea>
                        <p class="error" role="alert">{problem("note")}</p>
                    </div>
                    <button type="submit" data-testid="record-submit" disabled=move || progress.record.pending().get()>{move || t_string!(i18n, staff_record_submit)}</button>
                </ActionForm>
            })}
            {(!events.is_empty()).then(|| view! {
                <h3>{move || t_string!(i18n, staff_events_title)}</h3>
                <ol class="history" data-testid="staff-events">{events.into_iter().map(|e| {
                    let kind = e.kind.clone();
                    view! { <li><span class="device-meta">{e.at.shanghai()}</span>" "{move || event_label(i18n, &kind)}</li> }
                }).collect_view()}</ol>
            })}
        </section>
    }
}

#[component]
fn StaffCase(case: StaffCaseView, progress: ProgressActions) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|m| m.get(k).unwrap_or_default());
    let outcome = if !q("served").is_empty() {
        Some(view! { <p class="notice" role="status" data-testid="document-served">{move || t_string!(i18n, document_served_now)}</p> }.into_any())
    } else if !q("before").is_empty() {
        Some(view! { <p class="notice" role="status" data-testid="document-served-before">{move || t_string!(i18n, document_served_before)}</p> }.into_any())
    } else {
        None
    };
    let error = q("error");
    let error_text = move || match error.as_str() {
        "kind" => Some(t_string!(i18n, error_choice)),
        "title" => Some(t_string!(i18n, document_error_title)),
        "days" => Some(t_string!(i18n, error_evidence_days)),
        "size" => Some(t_string!(i18n, document_error_size)),
        "file" => Some(t_string!(i18n, document_error_file)),
        "type" => Some(t_string!(i18n, document_error_type)),
        _ => None,
    };
    let (kind, doc_title, days) = (q("kind"), q("title"), q("days"));
    let nobody = case.recipients.is_empty();
    let recipients = case
        .recipients
        .iter()
        .map(|(name, agent)| {
            let (name, agent) = (name.clone(), *agent);
            move || if agent { t_string!(i18n, document_recipient_agent, name = name.clone()).to_string() } else { t_string!(i18n, document_recipient_party, name = name.clone()).to_string() }
        })
        .collect::<Vec<_>>();
    let open = case.stage.is_open();
    view! {
        <h1 data-testid="staff-case-number">{case.case_number.clone()}</h1>
        <p class="lead">{case.cause.clone()}" · "{move || stage_label(i18n, case.stage)}
            {case.query_code.clone().map(|c| view! { " · "{move || t_string!(i18n, case_query_code)}" "<code data-testid="staff-query-code">{c}</code> })}</p>
        {(!case.threads.is_empty()).then(|| view! {
            <p class="button-row" data-testid="staff-threads">{case.threads.iter().map(|(party, name)| {
                let name = name.clone();
                view! { <a class="button secondary" href=format!("{STAFF_CASES_PATH}/{}/messages/{party}", case.id)>{move || t_string!(i18n, thread_with, name = name.clone()).to_string()}</a>" " }
            }).collect_view()}</p>
        })}
        <StaffProgress case_id=case.id stage=case.stage accepted=case.accepted_at now=case.now judge=case.judge.clone() judges=case.judges.clone() events=case.events.clone() form_key=case.form_key.clone() progress/>
        <StaffHearings case_id=case.id hearings=case.hearings.clone() open/>
        {outcome}
        {move || error_text().map(|t| view! { <p class="error" role="alert" data-testid="serve-error">{t}</p> })}
        <section class="card" aria-labelledby="serve-title">
            <h2 id="serve-title">{move || t_string!(i18n, serve_title)}</h2>
            {if nobody {
                view! { <p data-testid="serve-nobody">{move || t_string!(i18n, serve_nobody)}</p> }.into_any()
            } else {
                view! { <p data-testid="serve-recipients">{move || t_string!(i18n, serve_recipients)}" "{recipients.into_iter().map(|r| view! { <span class="badge">{r}</span>" " }).collect_view()}</p> }.into_any()
            }}
            {(!nobody).then(|| view! {
                <form method="post" action=format!("{STAFF_CASES_PATH}/{}/serve", case.id) enctype="multipart/form-data" class="stack-form" data-testid="serve-form">
                    <div class="field">
                        <label for="serve-kind">{move || t_string!(i18n, serve_kind)}</label>
                        <select id="serve-kind" name="kind" data-testid="serve-kind">
                            {DocumentKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=kind == k.as_str()>{move || document_kind_label(i18n, k)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="serve-doc-title">{move || t_string!(i18n, serve_doc_title)}</label>
                        <input id="serve-doc-title" name="title" maxlength="100" required value=doc_title data-testid="serve-title"/>
                    </div>
                    <div class="field">
                        <label for="serve-days">{move || t_string!(i18n, serve_days)}</label>
                        <input id="serve-days" name="evidence_days" type="number" inputmode="numeric" min="1" max="90" value=days aria-describedby="serve-days-hint" data-testid="serve-days"/>
                        <p class="hint" id="serve-days-hint">{move || t_string!(i18n, serve_days_hint)}</p>
                    </div>
                    <div class="field">
                        <label for="serve-file">{move || t_string!(i18n, serve_file)}</label>
                        <input id="serve-file" name="file" type="file" accept="application/pdf,.pdf" required data-testid="serve-file"/>
                    </div>
                    <div class="field checkbox">
                        <input id="serve-confirm" type="checkbox" required data-testid="serve-confirm"/>
                        <label for="serve-confirm">{move || t_string!(i18n, serve_confirm)}</label>
                    </div>
                    <button type="submit" data-testid="serve-submit" disabled=!open>{move || t_string!(i18n, serve_submit)}</button>
                </form>
            })}
        </section>
        <section class="card" aria-labelledby="served-title">
            <h2 id="served-title">{move || t_string!(i18n, served_title)}</h2>
            {if case.documents.is_empty() {
                view! { <p data-testid="served-none">{move || t_string!(i18n, case_no_documents)}</p> }.into_any()
            } else {
                view! { <ul class="documents" data-testid="served-list">{case.documents.into_iter().map(|d| view! { <ServedRow doc=d/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ServedRow(doc: ServedDocumentView) -> impl IntoView {
    let i18n = use_i18n();
    let kind = doc.kind;
    let served = doc.served_at.shanghai();
    let by = doc.served_by.clone().unwrap_or_default();
    view! {
        <li data-testid="served-document" data-document=doc.id.to_string()>
            <h3><a href=format!("/documents/{}", doc.id) rel="external" target="_blank">{move || document_kind_label(i18n, kind)}": "{doc.title.clone()}</a></h3>
            <p class="device-meta">{move || t_string!(i18n, document_served_by, at = served.clone(), name = by.clone()).to_string()}</p>
            {period_text(i18n, doc.period)}
            <p class="fine-print">{move || t_string!(i18n, document_fingerprint)}" "<code class="fingerprint">{doc.sha256.clone()}</code></p>
            <table class="queue">
                <thead><tr>
                    <th scope="col">{move || t_string!(i18n, delivery_person)}</th>
                    <th scope="col">{move || t_string!(i18n, delivery_served)}</th>
                    <th scope="col">{move || t_string!(i18n, delivery_read)}</th>
                </tr></thead>
                <tbody>{doc.deliveries.into_iter().map(|d| {
                    let (name, agent) = (d.name.clone(), d.agent);
                    let who = move || if agent { t_string!(i18n, document_recipient_agent, name = name.clone()).to_string() } else { t_string!(i18n, document_recipient_party, name = name.clone()).to_string() };
                    view! { <tr data-testid="delivery">
                        <td>{who}</td>
                        <td>{d.served_at.shanghai()}</td>
                        <td>{receipt(i18n, d.read_at)}</td>
                    </tr> }
                }).collect_view()}</tbody>
            </table>
        </li>
    }
}

/// A hearing in words: when, how long, where.
#[component]
fn HearingText(hearing: HearingView) -> impl IntoView {
    let i18n = use_i18n();
    let at = hearing.starts_at.shanghai();
    let minutes = hearing.minutes;
    let place = move || match (hearing.mode, hearing.courtroom.clone()) {
        (HearingMode::Online, _) => t_string!(i18n, hearing_online).to_string(),
        (HearingMode::Courtroom, room) => room.unwrap_or_default(),
    };
    view! { <span data-testid="hearing-text">{at}" · "{move || t_string!(i18n, hearing_minutes, minutes = minutes).to_string()}" · "{place}</span> }
}

/// A hearing's record and, held online, its room (the hearings area's pages).
#[component]
fn HearingLinks(id: i64, mode: HearingMode) -> impl IntoView {
    let i18n = use_i18n();
    let join = (mode == HearingMode::Online).then(|| {
        view! { <a href=format!("/hearings/{id}") data-testid="hearing-join">{move || t_string!(i18n, my_hearings_join)}</a>" · " }
    });
    view! { <span class="hearing-links">{join}<a href=format!("/hearings/{id}/record") data-testid="hearing-record-link">{move || t_string!(i18n, my_hearings_record_link)}</a></span> }
}

/// One of the case's hearings in the staff's list, with its record and room.
#[component]
fn StaffHearing(hearing: HearingView) -> impl IntoView {
    let (id, mode) = (hearing.id, hearing.mode);
    view! { <li data-testid="staff-hearing"><HearingText hearing/>" · "<HearingLinks id mode/></li> }
}

use crate::cases::api::{HearingView, ScheduleHearing, lookup_case};
use crate::cases::schedule::HearingMode;

/// The staff form that schedules a hearing, and the case's hearings.
#[component]
fn StaffHearings(case_id: i64, hearings: Vec<HearingView>, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let schedule = ServerAction::<ScheduleHearing>::new();
    let error = last_error(schedule.value());
    // Scheduled ones stay listed after the answer, with the new one added.
    let added = move || schedule.value().get().and_then(|r| r.ok());
    let problem = move |f: &'static str| {
        let key = crate::ui::forms::field_error(error, f);
        move || key.get().map(|k| crate::ui::forms::key_text(i18n, &k))
    };
    view! {
        <section class="card" aria-labelledby="hearings-title">
            <h2 id="hearings-title">{move || t_string!(i18n, hearings_title)}</h2>
            <ul data-testid="staff-hearings">
                {hearings.into_iter().map(|h| view! { <StaffHearing hearing=h/> }).collect_view()}
                {move || added().map(|h| view! { <StaffHearing hearing=h/> })}
            </ul>
            {move || added().map(|_| view! { <p class="notice" role="status" data-testid="hearing-scheduled">{move || t_string!(i18n, hearing_scheduled_now)}</p> })}
            <FormError error/>
            {open.then(|| view! {
                <ActionForm action=schedule attr:class="stack-form" attr:data-testid="hearing-form">
                    <input type="hidden" name="case_id" value=case_id.to_string()/>
                    <div class="field">
                        <label for="hearing-date">{move || t_string!(i18n, hearing_date)}</label>
                        <input id="hearing-date" name="date" type="date" required data-testid="hearing-date"/>
                        <p class="error" role="alert">{problem("date")}</p>
                    </div>
                    <div class="field">
                        <label for="hearing-time">{move || t_string!(i18n, hearing_time)}</label>
                        <input id="hearing-time" name="time" type="time" required data-testid="hearing-time"/>
                        <p class="error" role="alert">{problem("time")}</p>
                    </div>
                    <div class="field">
                        <label for="hearing-length">{move || t_string!(i18n, hearing_length)}</label>
                        <input id="hearing-length" name="minutes" type="number" inputmode="numeric" min="10" max="480" value="60" required data-testid="hearing-minutes"/>
                        <p class="error" role="alert">{problem("minutes")}</p>
                    </div>
                    <div class="field">
                        <label for="hearing-mode">{move || t_string!(i18n, hearing_mode)}</label>
                        <select id="hearing-mode" name="mode" data-testid="hearing-mode">
                            <option value="courtroom">{move || t_string!(i18n, hearing_courtroom)}</option>
                            <option value="online">{move || t_string!(i18n, hearing_online)}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="hearing-room">{move || t_string!(i18n, hearing_room)}</label>
                        <input id="hearing-room" name="courtroom" maxlength="40" data-testid="hearing-room"/>
                        <p class="error" role="alert">{problem("courtroom")}</p>
                    </div>
                    <div class="field checkbox">
                        <input id="hearing-public" name="public" type="checkbox" value="on" checked data-testid="hearing-public"/>
                        <label for="hearing-public">{move || t_string!(i18n, hearing_public)}</label>
                    </div>
                    <button type="submit" data-testid="hearing-submit" disabled=move || schedule.pending().get()>{move || t_string!(i18n, hearing_submit)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// `/lookup`: anyone with a case number and the query code on its papers sees its public stage
/// and next public hearing. A plain GET form: it works before hydration and on a kiosk.
#[component]
pub fn LookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|m| m.get(k).unwrap_or_default());
    let asked = move || !q("number").trim().is_empty() || !q("code").trim().is_empty();
    let found = Resource::new(move || (q("number"), q("code")), |(number, code)| async move {
        if number.trim().is_empty() && code.trim().is_empty() { None } else { Some(lookup_case(number, code).await) }
    });
    view! {
        <Title text=title(move || t_string!(i18n, lookup_title))/>
        <h1>{move || t_string!(i18n, lookup_title)}</h1>
        <p class="lead">{move || t_string!(i18n, lookup_lead)}</p>
        <form method="get" action="/lookup" class="card stack-form" role="search" data-testid="lookup-form">
            <div class="field">
                <label for="lookup-number">{move || t_string!(i18n, lookup_number)}</label>
                // `value` for the page as the server sends it (no JavaScript), `prop:value` once hydrated.
                <input id="lookup-number" name="number" maxlength="64" required autocomplete="off" value=q("number") prop:value=move || q("number") data-testid="lookup-number"/>
            </div>
            <div class="field">
                <label for="lookup-code">{move || t_string!(i18n, case_query_code)}</label>
                <input id="lookup-code" name="code" maxlength="12" required autocomplete="off" autocapitalize="characters" value=q("code") prop:value=move || q("code") data-testid="lookup-code"/>
            </div>
            <button type="submit">{move || t_string!(i18n, lookup_submit)}</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match found.await {
                    None => ().into_any(),
                    Some(Ok(c)) => view! { <PublicCaseView case=c/> }.into_any(),
                    Some(Err(crate::error::AppError::NotFound)) => view! { <p class="error" role="alert" data-testid="lookup-none">{move || t_string!(i18n, lookup_none)}</p> }.into_any(),
                    Some(Err(e)) => error_view(e),
                }
            })}
        </Suspense>
        {move || (!asked()).then(|| view! { <p class="hint">{move || t_string!(i18n, lookup_where)}</p> })}
    }
}

#[component]
fn PublicCaseView(case: crate::cases::api::PublicCase) -> impl IntoView {
    let i18n = use_i18n();
    let stage = case.stage;
    let ended = case.ended_as;
    view! {
        <section class="card" aria-labelledby="lookup-result" data-testid="lookup-result">
            <h2 id="lookup-result">{case.case_number.clone()}</h2>
            <dl class="facts">
                <dt>{move || t_string!(i18n, case_court)}</dt><dd>{case.court_name.clone()}</dd>
                <dt>{move || t_string!(i18n, case_col_state)}</dt>
                <dd data-testid="lookup-stage">{move || match ended { Some(how) => ending_label(i18n, how).to_string(), None => stage_label(i18n, stage).to_string() }}</dd>
                <dt>{move || t_string!(i18n, case_next_hearing)}</dt>
                <dd data-testid="lookup-hearing">{match case.next_hearing.clone() {
                    Some(h) => {
                        let at = h.starts_at.shanghai();
                        let place = move || match (h.mode, h.courtroom.clone()) {
                            (HearingMode::Online, _) => t_string!(i18n, hearing_online).to_string(),
                            (HearingMode::Courtroom, room) => room.unwrap_or_default(),
                        };
                        view! { {at}" · "{place} }.into_any()
                    }
                    None => view! { {move || t_string!(i18n, lookup_no_hearing)} }.into_any(),
                }}</dd>
            </dl>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Contacting the judge: a party's thread with the court, the staff's side of it, and the
// court's queue of unanswered messages

use crate::cases::api::{MessageView, ThreadView, WaitingThread, case_thread, unanswered_messages};

/// `/cases/:id/messages`: the caller's thread with the court in one of their cases.
#[component]
pub fn PartyThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0);
    view! {
        <Title text=title(move || t_string!(i18n, thread_title))/>
        <p class="back-link"><a href=move || format!("/cases/{}", id())>{move || t_string!(i18n, thread_back_to_case)}</a></p>
        <RequireVerified here=Section::Cases.href()>
            <PartyThread/>
        </RequireVerified>
    }
}

#[component]
fn PartyThread() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    let thread = Resource::new(move || id.get(), |id| case_thread(id, None));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(t) => view! { <Thread thread=t staff=false/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/staff/cases/:id/messages/:party`: the court's side of a party's thread.
#[component]
pub fn StaffThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = Memo::new(move |_| {
        params.with(|p| (p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0), p.get("party").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)))
    });
    let thread = Resource::new(move || key.get(), |(id, party)| case_thread(id, Some(party)));
    view! {
        <Title text=title(move || t_string!(i18n, thread_title))/>
        <p class="back-link"><a href=STAFF_MESSAGES_PATH>{move || t_string!(i18n, unanswered_title)}</a>" · "
            <a href=move || format!("{STAFF_CASES_PATH}/{}", key.get().0)>{move || t_string!(i18n, staff_case_title)}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(t) => view! { <Thread thread=t staff=true/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// A thread and the form that adds to it (a plain multipart form: it works before hydration,
/// carries one attachment, and after an error comes back with the text typed).
#[component]
fn Thread(thread: ThreadView, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|m| m.get(k).unwrap_or_default());
    let sent = !q("sent").is_empty();
    let error = q("error");
    let error_text = move || match error.as_str() {
        "body" => Some(t_string!(i18n, error_required)),
        "long" => Some(t_string!(i18n, error_message_too_long)),
        "size" => Some(t_string!(i18n, message_error_size)),
        "type" => Some(t_string!(i18n, error_file_type)),
        _ => None,
    };
    let kept = q("body");
    let heading = if staff { format!("{} · {}", thread.case_number, thread.party_name) } else { thread.case_number.clone() };
    let empty = thread.messages.is_empty();
    view! {
        <h1 data-testid="thread-title">{move || t_string!(i18n, thread_title)}" · "{heading.clone()}</h1>
        {(!staff).then(|| view! { <p class="lead">{move || t_string!(i18n, thread_lead)}</p> })}
        {sent.then(|| view! { <p class="notice" role="status" data-testid="message-sent">{move || t_string!(i18n, message_sent)}</p> })}
        {move || error_text().map(|t| view! { <p class="error" role="alert" data-testid="message-error">{t}</p> })}
        <section class="card" aria-labelledby="thread-messages">
            <h2 id="thread-messages" class="visually-hidden">{move || t_string!(i18n, thread_title)}</h2>
            {if empty {
                view! { <p data-testid="thread-empty">{move || t_string!(i18n, thread_empty)}</p> }.into_any()
            } else {
                view! { <ol class="thread" data-testid="thread">{thread.messages.into_iter().map(|m| view! { <Message message=m staff/> }).collect_view()}</ol> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="thread-write">
            <h2 id="thread-write">{move || if staff { t_string!(i18n, thread_reply) } else { t_string!(i18n, thread_write) }}</h2>
            <form method="post" action=format!("/cases/{}/messages", thread.case_id) enctype="multipart/form-data" class="stack-form" data-testid="message-form">
                <input type="hidden" name="request_key" value=thread.form_key.clone()/>
                {staff.then(|| view! { <input type="hidden" name="party" value=thread.party_id.to_string()/> })}
                <div class="field">
                    <label for="message-body">{move || t_string!(i18n, message_body)}</label>
                    <textarea id="message-body" name="body" rows="5" maxlength="2000" required data-testid="message-body">{kept}</textarea>
                </div>
                <div class="field">
                    <label for="message-file">{move || t_string!(i18n, message_file)}</label>
                    <input id="message-file" name="file" type="file" accept="application/pdf,image/jpeg,image/png" data-testid="message-file"/>
                </div>
                <button type="submit" data-testid="message-send">{move || t_string!(i18n, message_send)}</button>
            </form>
        </section>
    }
}

#[component]
fn Message(message: MessageView, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let m = message;
    let mine = m.from_court == staff;
    let author = m.author_name.clone();
    let who = move || if m.from_court { t_string!(i18n, message_from_court, name = author.clone()).to_string() } else { author.clone() };
    let at = m.sent_at.shanghai();
    // What the writer's side wants to know: whether the other side read it, and, for a
    // party's message, whether the court answered.
    let read = m.read_at.map(|t| t.shanghai());
    let was_read = read.is_some();
    let status = mine.then(|| view! {
        <span class="badge" class:ok=was_read data-testid="message-read">{move || match read.clone() {
            Some(t) => t_string!(i18n, message_read_at, at = t).to_string(),
            None => t_string!(i18n, message_unread).to_string(),
        }}</span>
    });
    let answered = (!m.from_court).then_some(m.answered_at).flatten().map(|t| {
        let t = t.shanghai();
        view! { " "<span class="badge ok" data-testid="message-answered">{move || t_string!(i18n, message_answered_at, at = t.clone()).to_string()}</span> }
    });
    view! {
        <li id=format!("message-{}", m.id) class="message" class:from-court=m.from_court data-testid="message">
            <p class="device-meta"><strong>{who}</strong>" · "{at}</p>
            <p class="message-body">{m.body.clone()}</p>
            {(!m.attachments.is_empty()).then(|| view! {
                <ul class="attachments">{m.attachments.iter().map(|a| view! {
                    <li><a href=format!("/attachments/{}", a.id) rel="external" target="_blank" data-testid="message-attachment">{a.name.clone()}</a>
                        " "<code class="fingerprint">{a.sha256.clone()}</code></li>
                }).collect_view()}</ul>
            })}
            <p>{status}{answered}</p>
        </li>
    }
}

pub const STAFF_MESSAGES_PATH: &str = "/staff/messages";

/// `/staff/messages`: the court's threads with messages waiting for an answer, oldest first.
#[component]
pub fn UnansweredPage() -> impl IntoView {
    let i18n = use_i18n();
    let waiting = Resource::new(|| (), |_| unanswered_messages());
    view! {
        <Title text=title(move || t_string!(i18n, unanswered_title))/>
        <h1>{move || t_string!(i18n, unanswered_title)}</h1>
        <p class="back-link"><a href="/staff">{move || t_string!(i18n, staff_title)}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match waiting.await {
                    Ok(list) if list.is_empty() => view! { <section class="card"><p data-testid="unanswered-none">{move || t_string!(i18n, unanswered_none)}</p></section> }.into_any(),
                    Ok(list) => view! {
                        <section class="card">
                            <table class="queue" data-testid="unanswered">
                                <thead><tr>
                                    <th scope="col">{move || t_string!(i18n, case_col_number)}</th>
                                    <th scope="col">{move || t_string!(i18n, unanswered_party)}</th>
                                    <th scope="col">{move || t_string!(i18n, unanswered_waiting)}</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(|t| view! { <WaitingRow thread=t/> }).collect_view()}</tbody>
                            </table>
                        </section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WaitingRow(thread: WaitingThread) -> impl IntoView {
    let i18n = use_i18n();
    let (hours, count) = (thread.hours, thread.count);
    let age = move || if hours < 48 { t_string!(i18n, waiting_hours, n = hours).to_string() } else { t_string!(i18n, waiting_days, n = hours / 24).to_string() };
    view! {
        <tr data-testid="waiting-thread" data-case=thread.case_number.clone() class:overdue={hours >= 72}>
            <td><a href=format!("{STAFF_CASES_PATH}/{}/messages/{}", thread.case_id, thread.party_id)>{thread.case_number.clone()}</a></td>
            <td>{thread.party_name.clone()}</td>
            <td data-testid="waiting-age">{age}" · "{move || t_string!(i18n, waiting_count, n = count).to_string()}<br/><span class="device-meta">{thread.since.shanghai()}</span></td>
        </tr>
    }
}
