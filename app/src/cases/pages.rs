//! Case views for staff: the court's cases, and the form that records how one ended
//! (`/staff/cases`), confirmed a second time because it closes the case.
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
    let cases = Resource::new(move || end.version().get(), |_| court_cases());
    let end_error = last_error(end.value());
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
        <FormError error=end_error/>
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
                                <tbody>{list.into_iter().map(|c| view! { <CaseRow case=c end/> }).collect_view()}</tbody>
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
fn CaseRow(case: CourtCaseView, end: ServerAction<EndCase>) -> impl IntoView {
    let i18n = use_i18n();
    let select_id = format!("ending-{}", case.id);
    let fee = case.fee.map(|f| {
        let paid = case.fee_paid;
        view! { {format!("¥{}", f.yuan())}" · "{move || if paid { t_string!(i18n, case_fee_paid) } else { t_string!(i18n, case_fee_unpaid) }} }
    });
    let state = match case.ended_as {
        Some(how) => view! { <span data-testid="case-state">{move || ending_label(i18n, how)}</span>{case.ended_at.map(|at| view! { <br/><span class="device-meta">{at.shanghai()}</span> })} }.into_any(),
        None => view! {
            <span data-testid="case-state">{move || t_string!(i18n, case_open)}</span>
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
        }
        .into_any(),
    };
    view! {
        <tr data-testid="court-case" data-case=case.case_number.clone()>
            <td><strong>{case.case_number.clone()}</strong><br/>{case.cause.clone()}<br/><span class="device-meta">{case.accepted_at.shanghai()}</span></td>
            <td>{fee}</td>
            <td>{state}</td>
        </tr>
    }
}
