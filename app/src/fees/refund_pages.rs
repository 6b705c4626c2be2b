//! Refund views: each notice's refunds with their state and the art. 53 clock (for the payer,
//! on the Pay page), and the court's refund list where clerks approve them (`/staff/refunds`).
use crate::fees::api::{ApproveRefund, RefundView, court_refunds};
use crate::fees::model::{RefundReason, RefundStatus};
use crate::fees::pages::last_day;
use crate::i18n::*;
use crate::ui::forms::{FormError, Loading, error_view, last_error};
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;

/// Where the court's refunds are approved.
pub const STAFF_REFUNDS_PATH: &str = "/staff/refunds";

pub fn reason_label(i18n: I18nContext<Locale>, r: RefundReason) -> &'static str {
    match r {
        RefundReason::Mediation => t_string!(i18n, refund_reason_mediation),
        RefundReason::Withdrawal => t_string!(i18n, refund_reason_withdrawal),
        RefundReason::Dismissed => t_string!(i18n, refund_reason_dismissed),
        RefundReason::PaidAfterClose => t_string!(i18n, refund_reason_paid_after_close),
        RefundReason::ClaimsReduced => t_string!(i18n, refund_reason_claims_reduced),
    }
}

pub fn status_label(i18n: I18nContext<Locale>, s: RefundStatus) -> &'static str {
    match s {
        RefundStatus::AwaitingApproval => t_string!(i18n, refund_status_awaiting_approval),
        RefundStatus::Processing => t_string!(i18n, refund_status_processing),
        RefundStatus::Refunded => t_string!(i18n, refund_status_refunded),
        RefundStatus::Failed => t_string!(i18n, refund_status_failed),
    }
}

/// When the money is (or was) due back: the date it came back, or the art. 53 deadline.
fn clock(i18n: I18nContext<Locale>, r: &RefundView) -> String {
    match r.refunded_at {
        Some(at) => t_string!(i18n, refund_done_on, date = at.shanghai()).to_string(),
        None => t_string!(i18n, refund_due, date = last_day(r.deadline)).to_string(),
    }
}

/// A notice's refunds, for its payer.
#[component]
pub fn NoticeRefunds(refunds: Vec<RefundView>) -> impl IntoView {
    let i18n = use_i18n();
    (!refunds.is_empty()).then(|| {
        view! {
            <div class="refunds" data-testid="refunds">
                <h4>{move || t_string!(i18n, refund_heading)}</h4>
                <ul>
                    {refunds.into_iter().map(|r| {
                        let due = clock(i18n, &r);
                        view! {
                            <li data-testid="refund" data-state=r.status.as_str() class:overdue=r.overdue>
                                <strong data-testid="refund-amount">{format!("¥{}", r.amount.yuan())}</strong>" · "
                                {move || reason_label(i18n, r.reason)}<br/>
                                <span data-testid="refund-state">{move || status_label(i18n, r.status)}</span>" · "
                                <span data-testid="refund-clock">{due}</span>
                                {r.overdue.then(|| view! { " "<span class="badge warn">{move || t_string!(i18n, refund_overdue)}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// `/staff/refunds`: the court's refunds, each approved after a second, explicit confirmation
/// (money leaves the court's account and cannot be called back).
#[component]
pub fn RefundQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let approve = ServerAction::<ApproveRefund>::new();
    let refunds = Resource::new(move || approve.version().get(), |_| court_refunds());
    let approve_error = last_error(approve.value());
    view! {
        <Title text=title(move || t_string!(i18n, staff_refunds_title))/>
        <h1>{move || t_string!(i18n, staff_refunds_title)}</h1>
        <p class="lead">{move || t_string!(i18n, staff_refunds_lead)}</p>
        <p class="back-link"><a href="/staff">{move || t_string!(i18n, staff_title)}</a></p>
        <FormError error=approve_error/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match refunds.await {
                    Ok(list) if list.is_empty() => view! { <section class="card"><p data-testid="refunds-empty">{move || t_string!(i18n, staff_refunds_empty)}</p></section> }.into_any(),
                    Ok(list) => view! {
                        <section class="card">
                            <table class="queue" data-testid="refund-queue">
                                <thead><tr>
                                    <th scope="col">{move || t_string!(i18n, refund_col_case)}</th>
                                    <th scope="col">{move || t_string!(i18n, refund_col_reason)}</th>
                                    <th scope="col" class="num">{move || t_string!(i18n, refund_col_amount)}</th>
                                    <th scope="col">{move || t_string!(i18n, refund_col_state)}</th>
                                    <th scope="col">{move || t_string!(i18n, refund_col_deadline)}</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(|r| {
                                    let due = clock(i18n, &r);
                                    let amount = r.amount.yuan();
                                    let awaiting = r.status == RefundStatus::AwaitingApproval;
                                    view! {
                                        <tr data-testid="refund-row" data-state=r.status.as_str() class:overdue=r.overdue>
                                            <td>{r.case_number.clone()}<br/><span class="device-meta">{r.out_refund_no.clone()}</span></td>
                                            <td>{move || reason_label(i18n, r.reason)}</td>
                                            <td class="num">{format!("¥{amount}")}</td>
                                            <td>
                                                <span data-testid="refund-state">{move || status_label(i18n, r.status)}</span>
                                                {r.failure.clone().map(|why| view! { <br/><span class="device-meta">{why}</span> })}
                                                {awaiting.then(|| view! {
                                                    <details class="decision">
                                                        <summary data-testid="refund-approve-open">{move || t_string!(i18n, refund_approve_open)}</summary>
                                                        <ActionForm action=approve attr:class="inline-form">
                                                            <input type="hidden" name="out_refund_no" value=r.out_refund_no.clone()/>
                                                            <button type="submit" data-testid="refund-approve" disabled=move || approve.pending().get()>
                                                                {let amount = amount.clone(); move || t_string!(i18n, refund_approve_confirm, amount = amount.clone()).to_string()}
                                                            </button>
                                                        </ActionForm>
                                                    </details>
                                                })}
                                            </td>
                                            <td>{due}{r.overdue.then(|| view! { " "<span class="badge warn" data-testid="overdue">{move || t_string!(i18n, refund_overdue)}</span> })}</td>
                                        </tr>
                                    }
                                }).collect_view()}</tbody>
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
