//! Receipt pages: `/receipts/:no`, the payer's electronic receipt (print it, download its PDF,
//! its verification QR code), and `/receipts/verify/:no?c=…`, the public page anyone holding a
//! receipt opens to see whether it is genuine.
use crate::fees::pages::WorkingView;
use crate::fees::receipts::{ReceiptView, Verification, VerifiedReceipt, beijing_seconds, fee_receipt, pdf_path, verify_receipt};
use crate::i18n::*;
use crate::identity::pages::RequireVerified;
use crate::ui::forms::{Loading, error_view};
use crate::ui::prefs::Prefs;
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/receipts/:no`: the receipt of one of the caller's payments.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = Memo::new(move |_| params.with(|p| p.get("no")).unwrap_or_default());
    let receipt = Resource::new(move || number.get(), fee_receipt);
    view! {
        <Title text=title(move || t_string!(i18n, fee_receipt_title))/>
        <h1>{move || t_string!(i18n, fee_receipt_title)}</h1>
        <RequireVerified here="/pay">
            <Transition fallback=Loading>
                {move || receipt.get().map(|r| match r {
                    Ok(r) => view! { <ReceiptCard receipt=r/> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <p class="receipt-back"><a href="/pay">{move || t_string!(i18n, pay_back)}</a></p>
        </RequireVerified>
    }
}

#[component]
fn ReceiptCard(receipt: ReceiptView) -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_context::<Prefs>().is_some_and(|p| p.kiosk.is_some());
    let number = receipt.receipt_no.clone();
    let paid_at = beijing_seconds(receipt.paid_at);
    let amount = receipt.amount;
    let qr_number = number.clone();
    let print_class = if kiosk { "primary receipt-print" } else { "secondary receipt-print" };
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Err(e) = crate::fees::browser::print_page() {
            leptos::logging::warn!("print: {e}");
        }
    };
    // A kiosk is shared: the receipt is printed there and never downloaded onto it.
    let download = (!kiosk).then(|| {
        let href = pdf_path(&number);
        view! {
            <a class="button secondary" href=href type="application/pdf" data-testid="receipt-pdf">
                {move || t_string!(i18n, fee_receipt_download_pdf)}
            </a>
        }
    });
    view! {
        <article class="card fee-receipt" data-testid="receipt">
            {receipt.sandbox.then(|| view! { <p class="receipt-sandbox"><strong>{move || t_string!(i18n, fee_receipt_sandbox)}</strong></p> })}
            <h2>{receipt.court_name.clone()}</h2>
            <dl class="receipt-fields">
                <dt>{move || t_string!(i18n, fee_receipt_number_label)}</dt>
                <dd data-testid="receipt-no">{number.clone()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_payer)}</dt>
                <dd data-testid="receipt-payer">{receipt.payer_name.clone()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_case_number)}</dt>
                <dd data-testid="receipt-case-number">{receipt.case_number.clone()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_paid_at)}</dt>
                <dd>{move || t_string!(i18n, fee_receipt_beijing_time, time = paid_at.clone()).to_string()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_transaction)}</dt>
                <dd class="receipt-transaction">{receipt.transaction_id.clone()}</dd>
            </dl>
            <section aria-labelledby="receipt-items-heading">
                <h3 id="receipt-items-heading">{move || t_string!(i18n, fee_receipt_items)}</h3>
                <WorkingView working=receipt.working.clone()/>
            </section>
            <dl class="receipt-fields receipt-total">
                <dt>{move || t_string!(i18n, fee_receipt_amount)}</dt>
                <dd data-testid="receipt-amount"><strong>{format!("¥{}", amount.yuan())}</strong></dd>
                <dt>{move || t_string!(i18n, fee_receipt_amount_capitals)}</dt>
                <dd data-testid="receipt-capitals" lang="zh-Hans"><strong>{receipt.amount_in_capitals.clone()}</strong></dd>
            </dl>
            <figure class="receipt-qr">
                <div class="qr" role="img" data-testid="receipt-qr" inner_html=receipt.qr_svg.clone()
                    aria-label=move || t_string!(i18n, fee_receipt_qr_label, number = qr_number.clone()).to_string()></div>
                <figcaption>
                    <span>{move || t_string!(i18n, fee_receipt_verify_hint)}</span>" "
                    <a href=receipt.verify_url.clone() class="receipt-verify-url" data-testid="receipt-verify-link">{receipt.verify_url.clone()}</a>
                </figcaption>
            </figure>
        </article>
        <div class="receipt-actions" class:kiosk=kiosk>
            <button type="button" class=print_class data-testid="receipt-print" on:click=print>
                {move || t_string!(i18n, fee_receipt_print)}
            </button>
            {download}
        </div>
        {kiosk.then(|| view! { <p class="field-hint receipt-kiosk-hint">{move || t_string!(i18n, fee_receipt_kiosk_hint)}</p> })}
    }
}

/// `/receipts/verify/:no?c=…`: public. Says plainly whether the receipt is one we issued.
#[component]
pub fn ReceiptVerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let asked = Memo::new(move |_| (params.with(|p| p.get("no")).unwrap_or_default(), query.with(|q| q.get("c")).unwrap_or_default()));
    let answer = Resource::new(move || asked.get(), |(no, code)| verify_receipt(no, code));
    view! {
        <Title text=title(move || t_string!(i18n, fee_receipt_verify_title))/>
        <h1>{move || t_string!(i18n, fee_receipt_verify_title)}</h1>
        <Transition fallback=Loading>
            {move || answer.get().map(|a| match a {
                Ok(Verification::Genuine(r)) => view! { <Genuine receipt=r/> }.into_any(),
                Ok(Verification::NotGenuine) => view! {
                    <section class="card verify-result not-genuine" data-testid="receipt-verdict" data-verdict="not-genuine" role="status">
                        <h2><span aria-hidden="true">"✗ "</span>{move || t_string!(i18n, fee_receipt_not_genuine)}</h2>
                        <p>{move || t_string!(i18n, fee_receipt_not_genuine_body)}</p>
                    </section>
                }
                .into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn Genuine(receipt: VerifiedReceipt) -> impl IntoView {
    let i18n = use_i18n();
    let paid_at = beijing_seconds(receipt.paid_at);
    view! {
        <section class="card verify-result genuine" data-testid="receipt-verdict" data-verdict="genuine" role="status"
            aria-labelledby="verdict-heading">
            <h2 id="verdict-heading"><span aria-hidden="true">"✓ "</span>{move || t_string!(i18n, fee_receipt_genuine)}</h2>
            <dl class="receipt-fields">
                <dt>{move || t_string!(i18n, fee_receipt_number_label)}</dt>
                <dd data-testid="verify-receipt-no">{receipt.receipt_no.clone()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_court)}</dt>
                <dd>{receipt.court_name.clone()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_case_number)}</dt>
                <dd data-testid="verify-case-number">{receipt.case_number.clone()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_amount)}</dt>
                <dd data-testid="verify-amount">{format!("¥{}", receipt.amount.yuan())}" "
                    <span lang="zh-Hans">{format!("（{}）", receipt.amount_in_capitals)}</span></dd>
                <dt>{move || t_string!(i18n, fee_receipt_paid_at)}</dt>
                <dd>{move || t_string!(i18n, fee_receipt_beijing_time, time = paid_at.clone()).to_string()}</dd>
                <dt>{move || t_string!(i18n, fee_receipt_payer)}</dt>
                <dd data-testid="verify-payer">{receipt.payer_masked.clone()}</dd>
            </dl>
            <p class="field-hint">{move || t_string!(i18n, fee_receipt_masked_note)}</p>
        </section>
    }
}
