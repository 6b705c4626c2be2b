//! Paying a fee notice: the pay button on a notice, and the order page with its QR code that
//! follows the payment until it is made (polling when hydrated, a check link without script).
use crate::fees::api::{ORDERS_PATH, OrderView, StartPayment, payment_order};
use crate::fees::model::{NoticeStatus, OrderStatus};
use crate::filing::model::Fen;
use crate::i18n::*;
use crate::identity::pages::RequireVerified;
use crate::ui::forms::{FormError, Loading, error_view, last_error};
use crate::ui::prefs::Prefs;
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// How often a waiting order page asks whether the payment has arrived.
const POLL_EVERY: Duration = Duration::from_secs(2);

/// On a notice: pay it (or go on paying the open order), or its receipt once paid.
#[component]
pub fn PayNotice(id: i64, amount: Fen, status: NoticeStatus, order_no: Option<String>, receipt_no: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    if status == NoticeStatus::Paid {
        return receipt_no
            .map(|r| {
                let href = crate::fees::receipts::receipt_path(&r);
                view! { <p data-testid="fee-receipt-no"><a href=href>{move || t_string!(i18n, fee_receipt_no, number = r.clone()).to_string()}</a></p> }
            })
            .into_any();
    }
    if amount.0 <= 0 {
        // Waived, or a case dismissed before it was paid: there is nothing to pay.
        return view! { <p data-testid="fee-nothing-to-pay">{move || t_string!(i18n, fee_nothing_to_pay)}</p> }.into_any();
    }
    let pay = ServerAction::<StartPayment>::new();
    let error = last_error(pay.value());
    view! {
        <ActionForm action=pay attr:class="inline-form">
            <input type="hidden" name="notice_id" value=id.to_string()/>
            <button type="submit" class="primary" data-testid="pay-notice" disabled=move || pay.pending().get()>
                {move || t_string!(i18n, fee_pay_button, amount = amount.yuan()).to_string()}
            </button>
            {order_no.map(|n| view! { " "<a href=format!("{ORDERS_PATH}/{n}")>{move || t_string!(i18n, fee_pay_continue)}</a> })}
            <FormError error/>
        </ActionForm>
    }
    .into_any()
}

/// `/pay/orders/:no`: the order's QR code, and its state as it changes.
#[component]
pub fn OrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = Memo::new(move |_| params.with(|p| p.get("no")).unwrap_or_default());
    let tick = RwSignal::new(0u32);
    let order = Resource::new(move || (number.get(), tick.get()), |(no, _)| payment_order(no));
    // Asks again while the order waits; stops once it is paid or closed (or the page is left).
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let waiting = order.get_untracked().and_then(Result::ok).is_none_or(|o| o.status == OrderStatus::Pending && !o.expired);
                if waiting {
                    tick.update(|t| *t = t.wrapping_add(1));
                }
            },
            POLL_EVERY,
        ) {
            on_cleanup(move || handle.clear());
        }
        #[cfg(feature = "hydrate")]
        crate::fees::browser::on_return(move || tick.update(|t| *t = t.wrapping_add(1)));
    });
    view! {
        <Title text=title(move || t_string!(i18n, pay_order_title))/>
        <h1>{move || t_string!(i18n, pay_order_title)}</h1>
        <RequireVerified here="/pay">
            <Transition fallback=Loading>
                {move || order.get().map(|o| match o {
                    Ok(o) => view! { <OrderCard order=o/> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <p><a href="/pay">{move || t_string!(i18n, pay_back)}</a></p>
        </RequireVerified>
    }
}

#[component]
fn OrderCard(order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let amount = order.amount;
    let kiosk = use_context::<Prefs>().is_some_and(|p| p.kiosk.is_some());
    let here = format!("{ORDERS_PATH}/{}", order.out_trade_no);
    let state = match (order.status, order.expired) {
        (OrderStatus::Paid, _) => {
            let paid_at = order.paid_at.map(|t| t.shanghai()).unwrap_or_default();
            let receipt = order.receipt_no.clone().unwrap_or_default();
            let receipt_href = crate::fees::receipts::receipt_path(&receipt);
            view! {
                <p class="pay-state paid" data-testid="pay-state" data-state="paid"><strong>{move || t_string!(i18n, pay_paid)}</strong></p>
                <p data-testid="pay-receipt-no"><a href=receipt_href>{move || t_string!(i18n, fee_receipt_no, number = receipt.clone()).to_string()}</a></p>
                <p>{move || t_string!(i18n, pay_paid_at, time = paid_at.clone()).to_string()}</p>
            }
            .into_any()
        }
        (OrderStatus::Closed, _) | (OrderStatus::Pending, true) => view! {
            <p class="pay-state" data-testid="pay-state" data-state="expired">{move || t_string!(i18n, pay_expired)}</p>
            <NewCode notice_id=order.notice_id/>
        }
        .into_any(),
        (OrderStatus::Pending, false) if order.mini_program => {
            let number = order.out_trade_no.clone();
            view! {
                <MiniProgramPay out_trade_no=number/>
                <p class="pay-state" data-testid="pay-state" data-state="pending" aria-live="polite">{move || t_string!(i18n, pay_waiting)}</p>
                <p><a href=here.clone()>{move || t_string!(i18n, pay_check_now)}</a></p>
            }
            .into_any()
        }
        (OrderStatus::Pending, false) => {
            let until = order.expires_at.shanghai();
            let qr = order.qr_svg.clone().map(|svg| {
                view! {
                    <div class="qr" role="img" data-testid="pay-qr" inner_html=svg
                        aria-label=move || t_string!(i18n, pay_qr_label, amount = amount.yuan()).to_string()></div>
                }
            });
            // On the payer's own phone the code cannot be scanned: open it instead (never on a
            // shared kiosk, where the person pays with their own phone).
            let open_here = order.code_url.clone().filter(|_| !kiosk).map(|url| {
                let sep = if url.contains('?') { '&' } else { '?' };
                let href = format!("{url}{sep}return={}", crate::identity::pages::encode(&here));
                view! { <p><a class="button" href=href rel="external" data-testid="pay-here">{move || t_string!(i18n, pay_on_this_phone)}</a></p> }
            });
            let here = here.clone();
            view! {
                {match qr {
                    Some(qr) => view! { <p>{move || t_string!(i18n, pay_scan)}</p>{qr} }.into_any(),
                    None => view! { <p>{move || t_string!(i18n, pay_preparing)}</p> }.into_any(),
                }}
                {open_here}
                <p class="pay-state" data-testid="pay-state" data-state="pending" aria-live="polite">{move || t_string!(i18n, pay_waiting)}</p>
                <p class="field-hint">{move || t_string!(i18n, pay_valid_until, time = until.clone()).to_string()}</p>
                <p><a href=here>{move || t_string!(i18n, pay_check_now)}</a></p>
            }
            .into_any()
        }
    };
    view! {
        <article class="card pay-order" data-testid="pay-order">
            <h2>{move || t_string!(i18n, fee_notice_title, case_number = order.case_number.clone()).to_string()}</h2>
            <p>{order.court_name.clone()}</p>
            <p class="fee-total"><strong data-testid="pay-amount">{format!("¥{}", amount.yuan())}</strong></p>
            {state}
        </article>
    }
}

/// Inside the WeChat mini-program: its own pay page takes over (a web-view cannot start WeChat
/// Pay), and this page shows the result when the person comes back.
#[component]
fn MiniProgramPay(out_trade_no: String) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(false);
    let pay = move |_| {
        #[cfg(feature = "hydrate")]
        if let Err(e) = crate::fees::browser::hand_off_to_mini_program(&out_trade_no) {
            leptos::logging::warn!("mini-program hand-off: {e}");
            failed.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &out_trade_no;
    };
    view! {
        <p><button type="button" class="primary" data-testid="pay-in-wechat" on:click=pay>{move || t_string!(i18n, pay_in_wechat)}</button></p>
        <p class="form-error" role="alert">{move || failed.get().then(|| t_string!(i18n, pay_in_wechat_failed))}</p>
    }
}

/// An expired code: make a new one (the same notice, a new order).
#[component]
fn NewCode(notice_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let pay = ServerAction::<StartPayment>::new();
    let error = last_error(pay.value());
    view! {
        <ActionForm action=pay attr:class="inline-form">
            <input type="hidden" name="notice_id" value=notice_id.to_string()/>
            <button type="submit" class="primary" data-testid="pay-new-code" disabled=move || pay.pending().get()>{move || t_string!(i18n, pay_new_code)}</button>
            <FormError error/>
        </ActionForm>
    }
}
