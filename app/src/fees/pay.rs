//! Paying fee notices on the server: opening an order at the gateway for a payer, taking the
//! gateway's notifications, and asking the gateway about orders no notification came for
//! (reconciliation). The rules are `model::Order::settle`; the SQL is `store`.
use super::model::{ORDER_VALIDITY_SECS, RECONCILE_AFTER_SECS};
use super::store::{self, Applied};
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::cx::internal;
use crate::ssr::payment::{GatewayError, NewOrder};

/// Where the gateway sends its notifications, under our public URL.
pub const NOTIFY_PATH: &str = "/api/fees/notify/wechatpay";

/// The order a payer should pay for a notice: the open one while its code is payable, else a
/// new one made at the gateway (an expired code is closed first). Paid notices answer Conflict.
pub async fn order_for(state: &AppState, person_id: i64, notice_id: i64) -> Result<String, AppError> {
    let db = &state.db;
    let now = state.clock.now();
    let notice = store::notice_for_payer(db, person_id, notice_id).await.map_err(|e| internal("fee notice", e))?.ok_or(AppError::NotFound)?;
    if notice.status == "paid" {
        return Err(AppError::Conflict("error_notice_paid".into()));
    }
    if notice.amount_fen <= 0 {
        return Err(AppError::Conflict("error_nothing_to_pay".into()));
    }
    if let Some(open) = store::open_order_of(db, notice_id).await.map_err(|e| internal("payment order", e))? {
        if open.status == "paid" {
            return Err(AppError::Conflict("error_notice_paid".into()));
        }
        if now.0 < open.expires_at && open.code_url.is_some() {
            return Ok(open.out_trade_no);
        }
        // Another tap is creating it at the gateway this moment: its page shows the code once made.
        if open.code_url.is_none() && now.0 < open.created_at + RECONCILE_AFTER_SECS {
            return Ok(open.out_trade_no);
        }
        // Expired (or its creation failed half-way): ask first, so a payment made at the last
        // moment is kept rather than closed over.
        reconcile_one(state, &open.out_trade_no).await?;
        if let Some(still) = store::open_order_of(db, notice_id).await.map_err(|e| internal("payment order", e))? {
            return match still.status.as_str() {
                "paid" => Err(AppError::Conflict("error_notice_paid".into())),
                _ if now.0 < still.expires_at && still.code_url.is_some() => Ok(still.out_trade_no),
                _ => Err(AppError::Conflict("error_payment_unavailable".into())),
            };
        }
    }
    let expires_at = now.plus_secs(ORDER_VALIDITY_SECS);
    let Some(number) = store::create_order(db, notice_id, notice.amount_fen, person_id, now, expires_at).await.map_err(|e| internal("payment order", e))? else {
        // Someone else's tap made the order a moment ago: use theirs.
        return store::open_order_of(db, notice_id)
            .await
            .map_err(|e| internal("payment order", e))?
            .map(|o| o.out_trade_no)
            .ok_or_else(|| AppError::Conflict("error_notice_paid".into()));
    };
    let order = NewOrder {
        out_trade_no: number.clone(),
        description: format!("诉讼费 {}", notice.case_number),
        amount_fen: notice.amount_fen,
        expires_at,
        notify_url: format!("{}{NOTIFY_PATH}", state.site.public_url.trim_end_matches('/')),
    };
    match state.payments.create_native(&order).await {
        Ok(code_url) => {
            store::set_code_url(db, &number, &code_url).await.map_err(|e| internal("payment order", e))?;
            Ok(number)
        }
        Err(e) => {
            // Not created there, so nothing can pay it: close it here, and the next try starts afresh.
            tracing::warn!(order = %number, error = %e, "creating a payment order at the gateway failed");
            let _ = store::close_order(db, &number, now).await;
            Err(AppError::Conflict("error_payment_unavailable".into()))
        }
    }
}

/// Answers one gateway notification: verified first (refused and logged if not), then applied
/// once. The answer tells the gateway whether to send it again: 2xx only when it is settled.
pub async fn take_notification(state: &AppState, headers: &http::HeaderMap, body: &[u8]) -> (http::StatusCode, String) {
    let now = state.clock.now();
    let (notification_id, transaction) = match state.payments.verify_notification(headers, body, now) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "a payment notification was refused");
            let _ = store::log_refused(&state.db, now, &e.to_string()).await;
            return fail(http::StatusCode::UNAUTHORIZED, "the notification could not be verified");
        }
    };
    match store::apply_report(&state.db, &transaction, "notification", Some(&notification_id), now).await {
        Ok(Applied::UnknownOrder) => {
            tracing::warn!(order = %transaction.out_trade_no, "a payment notification names no order of ours");
            fail(http::StatusCode::NOT_FOUND, "unknown order")
        }
        Ok(Applied::Refused(e)) => {
            tracing::error!(order = %transaction.out_trade_no, error = %e, "a payment notification was refused");
            fail(http::StatusCode::BAD_REQUEST, "the notification does not match the order")
        }
        Ok(Applied::PaidAfterClose) => {
            // Taken by the gateway after we closed the order: keep it on record for a refund and
            // stop the retries.
            tracing::error!(order = %transaction.out_trade_no, "money arrived for a closed order: refund needed");
            (http::StatusCode::NO_CONTENT, String::new())
        }
        Ok(_) => (http::StatusCode::NO_CONTENT, String::new()),
        Err(e) => {
            tracing::error!(error = %e, "applying a payment notification failed");
            fail(http::StatusCode::INTERNAL_SERVER_ERROR, "try again")
        }
    }
}

/// The answer the gateway expects when a notification is not accepted (it sends it again).
pub(super) fn fail(status: http::StatusCode, message: &str) -> (http::StatusCode, String) {
    (status, serde_json::json!({ "code": "FAIL", "message": message }).to_string())
}

/// Asks the gateway how one pending order stands and applies the answer; an expired unpaid
/// order is closed there and here, so its code can never be paid later.
pub async fn reconcile_one(state: &AppState, out_trade_no: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let Some(order) = store::order_by_number(&state.db, out_trade_no).await.map_err(|e| internal("payment order", e))? else {
        return Err(AppError::NotFound);
    };
    if order.status != "pending" {
        return Ok(());
    }
    if order.code_url.is_none() {
        // Still being created at the gateway, or never created there (the creating request died
        // half-way): asking now would close an order a moment before its code arrives.
        if now.0 >= order.created_at + RECONCILE_AFTER_SECS {
            store::close_order(&state.db, out_trade_no, now).await.map_err(|e| internal("payment order", e))?;
        }
        return Ok(());
    }
    let transaction = match state.payments.query(out_trade_no).await {
        Ok(t) => t,
        Err(GatewayError::Refused { code, .. }) if code == "ORDER_NOT_EXIST" => {
            store::close_order(&state.db, out_trade_no, now).await.map_err(|e| internal("payment order", e))?;
            return Ok(());
        }
        Err(e) => {
            tracing::warn!(order = %out_trade_no, error = %e, "asking the gateway about an order failed");
            return Ok(());
        }
    };
    let applied = store::apply_report(&state.db, &transaction, "query", None, now).await.map_err(|e| internal("payment reconcile", e))?;
    if applied == Applied::StillPending && now.0 >= order.expires_at {
        match state.payments.close(out_trade_no).await {
            Ok(()) => {
                store::close_order(&state.db, out_trade_no, now).await.map_err(|e| internal("payment order", e))?;
            }
            // Paid at the very last moment: the next query records it.
            Err(GatewayError::Refused { code, .. }) if code == "ORDERPAID" => {}
            Err(e) => tracing::warn!(order = %out_trade_no, error = %e, "closing an expired order failed"),
        }
    }
    Ok(())
}

/// Reconciles every pending order that has waited long enough for its notification; the
/// server runs this every half minute.
pub async fn reconcile_pending(state: &AppState) -> Result<usize, AppError> {
    let before = state.clock.now().plus_secs(-RECONCILE_AFTER_SECS);
    let due = store::pending_before(&state.db, before, 200).await.map_err(|e| internal("payment reconcile", e))?;
    for (number, _) in &due {
        reconcile_one(state, number).await?;
    }
    Ok(due.len())
}
