//! Refunds on the server: staff approval sending a refund to the gateway, the gateway's refund
//! notifications, and asking about refunds no notification came for. The rules are
//! `model::Refund`; the SQL is `store`; refunds are created by `store::apply_report` (money for a
//! closed order) and by `cases` when a case ends.
use super::model::{RECONCILE_AFTER_SECS, Refund, RefundReason, RefundStatus};
use super::pay::fail;
use super::store::{self, RefundApplied, RefundRow};
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::cx::internal;
use crate::ssr::payment::{GatewayError, NewRefund};

/// Where the gateway sends its refund notifications, under our public URL.
pub const REFUND_NOTIFY_PATH: &str = "/api/fees/notify/wechatpay/refund";

/// Approves one of the court's refunds and sends it to the gateway. A refund already approved
/// answers Conflict; one of another court is "not found".
pub async fn approve(state: &AppState, court: &str, out_refund_no: &str, staff_id: i64) -> Result<(), AppError> {
    let row = store::refund_by_number(&state.db, out_refund_no)
        .await
        .map_err(|e| internal("refund", e))?
        .filter(|r| r.court_code == court)
        .ok_or(AppError::NotFound)?;
    rule(&row)?.approve().map_err(|_| AppError::Conflict("error_refund_decided".into()))?;
    if !store::approve_refund(&state.db, out_refund_no, staff_id, state.clock.now()).await.map_err(|e| internal("refund", e))? {
        return Err(AppError::Conflict("error_refund_decided".into()));
    }
    send(state, &row).await;
    Ok(())
}

fn rule(row: &RefundRow) -> Result<Refund, AppError> {
    Ok(Refund {
        out_refund_no: row.out_refund_no.clone(),
        out_trade_no: row.out_trade_no.clone(),
        status: RefundStatus::parse(&row.status).ok_or_else(|| internal("refund status", &row.status))?,
        amount: crate::filing::model::Fen(row.amount_fen),
    })
}

/// Sends an approved refund to the gateway and applies its answer. Sending again is safe (the
/// gateway answers the refund already made for the same number), so a failure to reach it is
/// left for reconciliation to retry.
async fn send(state: &AppState, row: &RefundRow) {
    let reason = RefundReason::parse(&row.reason).map_or("退费", |r| r.gateway_text());
    let refund = NewRefund {
        out_trade_no: row.out_trade_no.clone(),
        out_refund_no: row.out_refund_no.clone(),
        reason: reason.to_string(),
        refund_fen: row.amount_fen,
        total_fen: row.order_amount_fen,
        notify_url: format!("{}{REFUND_NOTIFY_PATH}", state.site.public_url.trim_end_matches('/')),
    };
    let now = state.clock.now();
    match state.payments.refund(&refund).await {
        Ok(report) => {
            if let Err(e) = store::apply_refund_report(&state.db, &report, "answer", None, now).await {
                tracing::error!(refund = %row.out_refund_no, error = %e, "recording a refund's answer failed");
            }
        }
        Err(GatewayError::Refused { code, message }) => {
            // The gateway will never make this refund (e.g. NOT_ENOUGH): staff must act.
            tracing::error!(refund = %row.out_refund_no, %code, %message, "the gateway refused a refund");
            if let Err(e) = store::fail_refund(&state.db, &row.out_refund_no, &code, now).await {
                tracing::error!(refund = %row.out_refund_no, error = %e, "recording a refused refund failed");
            }
        }
        Err(e) => tracing::warn!(refund = %row.out_refund_no, error = %e, "sending a refund failed; it will be retried"),
    }
}

/// Answers one refund notification: verified first (refused and logged if not), then applied
/// once. 2xx only when it is settled, so the gateway sends it again otherwise.
pub async fn take_refund_notification(state: &AppState, headers: &http::HeaderMap, body: &[u8]) -> (http::StatusCode, String) {
    let now = state.clock.now();
    let (notification_id, report) = match state.payments.verify_refund_notification(headers, body, now) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "a refund notification was refused");
            let _ = store::log_refund_refused(&state.db, now, &e.to_string()).await;
            return fail(http::StatusCode::UNAUTHORIZED, "the notification could not be verified");
        }
    };
    match store::apply_refund_report(&state.db, &report, "notification", Some(&notification_id), now).await {
        Ok(RefundApplied::UnknownRefund) => fail(http::StatusCode::NOT_FOUND, "unknown refund"),
        Ok(RefundApplied::Refused(e)) => {
            tracing::error!(refund = %report.out_refund_no, error = %e, "a refund notification was refused");
            fail(http::StatusCode::BAD_REQUEST, "the notification does not match the refund")
        }
        Ok(_) => (http::StatusCode::NO_CONTENT, String::new()),
        Err(e) => {
            tracing::error!(error = %e, "applying a refund notification failed");
            fail(http::StatusCode::INTERNAL_SERVER_ERROR, "try again")
        }
    }
}

/// Asks the gateway about one processing refund and applies the answer; one the gateway has
/// never heard of (the sending request was lost) is sent again.
pub async fn reconcile_refund(state: &AppState, out_refund_no: &str) -> Result<(), AppError> {
    let Some(row) = store::refund_by_number(&state.db, out_refund_no).await.map_err(|e| internal("refund", e))? else {
        return Err(AppError::NotFound);
    };
    if row.status != RefundStatus::Processing.as_str() {
        return Ok(());
    }
    match state.payments.query_refund(out_refund_no).await {
        Ok(report) => {
            store::apply_refund_report(&state.db, &report, "query", None, state.clock.now()).await.map_err(|e| internal("refund reconcile", e))?;
        }
        Err(GatewayError::Refused { code, .. }) if code == "RESOURCE_NOT_EXISTS" => send(state, &row).await,
        Err(e) => tracing::warn!(refund = %out_refund_no, error = %e, "asking the gateway about a refund failed"),
    }
    Ok(())
}

/// Reconciles every refund that has been processing long enough for its notification; the
/// server runs this with the payment reconciliation.
pub async fn reconcile_refunds(state: &AppState) -> Result<usize, AppError> {
    let before = state.clock.now().plus_secs(-RECONCILE_AFTER_SECS);
    let due = store::processing_refunds(&state.db, before, 200).await.map_err(|e| internal("refund reconcile", e))?;
    for number in &due {
        reconcile_refund(state, number).await?;
    }
    Ok(due.len())
}
