//! The sandbox payment platform built into the server (`TIANPING_SANDBOX=true`): a stand-in for
//! WeChat Pay that serves the same API v3 (signed requests checked, answers signed, notifications
//! signed and encrypted) with the shipped test keys, keeps its orders in `sandbox_pay_orders` and
//! their refunds in `sandbox_pay_refunds`, and has the cashier page a phone opens by scanning an
//! order's QR code. No money moves.
use super::clock::Clock;
use super::wechatpay::{
    self, Authorization, ErrorAnswer, NotificationKind, WechatPay, WechatPayConfig, WireAmount, WirePayer, WireRefund,
    WireRefundAmount, WireRefundRequest, WireTransaction,
};
use crate::fees::model::{CURRENCY, RefundReport, RefundState, TradeState};
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use rand::Rng;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Where the server mounts `router` (`nest_service`); the gateway's `api_base` ends with it.
pub const MOUNT: &str = "/sandbox/wechatpay";

pub const SANDBOX_MCHID: &str = "1900000001";
/// `wx` and "tianping" in hex: shaped like an AppID, owned by nobody.
pub const SANDBOX_APPID: &str = "wx7469616e70696e67";
/// The merchant certificate serial our requests are signed under (40 hex digits, as WeChat's).
pub const SANDBOX_MERCHANT_SERIAL: &str = "7469616E70696E6773616E64626F780000000001";
/// The platform signs under a public-key id, as WeChat Pay does for merchants onboarded since 2024.
pub const SANDBOX_PLATFORM_SERIAL: &str = "PUB_KEY_ID_0119000000012026120100000001";
/// 32 ASCII characters, as a merchant sets it in the WeChat Pay console.
pub const SANDBOX_API_V3_KEY: &[u8; 32] = b"tianping-sandbox-apiv3-key-00001";

const MERCHANT_KEY_PEM: &str = include_str!("sandbox_keys/merchant.key.pem");
const MERCHANT_PUB_PEM: &str = include_str!("sandbox_keys/merchant.pub.pem");
const PLATFORM_KEY_PEM: &str = include_str!("sandbox_keys/platform.key.pem");
const PLATFORM_PUB_PEM: &str = include_str!("sandbox_keys/platform.pub.pem");

/// After a failed delivery. WeChat retries over a day; a developer watching the sandbox wants to
/// see the retry within seconds, and after these it is their notify endpoint that needs fixing.
const RETRY_DELAYS: [Duration; 3] = [Duration::from_secs(1), Duration::from_secs(5), Duration::from_secs(15)];

/// A refund is answered PROCESSING and succeeds this much later, as WeChat's balance refunds do
/// within seconds: long enough that the merchant sees PROCESSING first.
const REFUND_SETTLES_AFTER: Duration = Duration::from_secs(1);

/// WeChat's limit on `description`, in characters.
const MAX_DESCRIPTION_CHARS: usize = 127;

/// Where the sandbox payer's refunds go (WeChat's words for the balance of the payer's wallet).
const SANDBOX_RECEIVED_ACCOUNT: &str = "支付用户零钱";

/// The sandbox platform: its orders, its clock (tests move it), and the four test keys.
pub struct SandboxPlatform {
    db: SqlitePool,
    clock: Clock,
    /// Without a trailing slash.
    public_url: String,
    http: reqwest::Client,
    /// Given to the gateway, which signs requests with it.
    merchant_key: RsaPrivateKey,
    /// Checks those requests.
    merchant_public: RsaPublicKey,
    /// Signs answers and notifications.
    platform_key: RsaPrivateKey,
    /// Given to the gateway, which checks answers and notifications with it.
    platform_public: RsaPublicKey,
    /// Tests set it so refunds stay PROCESSING until they end them (`hold_refunds`).
    hold_refunds: AtomicBool,
}

impl std::fmt::Debug for SandboxPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxPlatform").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

/// One order as the platform keeps it.
#[derive(Clone, Debug, sqlx::FromRow)]
struct OrderRow {
    out_trade_no: String,
    mchid: String,
    appid: String,
    description: String,
    amount_fen: i64,
    currency: String,
    notify_url: String,
    time_expire: i64,
    state: String,
    transaction_id: Option<String>,
    success_time: Option<i64>,
    /// What has reached the payer again (SUCCESS refunds).
    refunded_fen: i64,
    /// What can no longer be refunded: every refund but the CLOSED ones.
    refund_claimed_fen: i64,
}

const ORDER_COLUMNS: &str = "out_trade_no, mchid, appid, description, amount_fen, currency, notify_url, time_expire, state, \
     transaction_id, success_time, \
     (SELECT COALESCE(SUM(r.refund_fen), 0) FROM sandbox_pay_refunds r \
      WHERE r.out_trade_no = sandbox_pay_orders.out_trade_no AND r.status = 'SUCCESS') AS refunded_fen, \
     (SELECT COALESCE(SUM(r.refund_fen), 0) FROM sandbox_pay_refunds r \
      WHERE r.out_trade_no = sandbox_pay_orders.out_trade_no AND r.status <> 'CLOSED') AS refund_claimed_fen";

async fn order_in<'e>(db: impl sqlx::SqliteExecutor<'e>, out_trade_no: &str) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as::<_, OrderRow>(&format!("SELECT {ORDER_COLUMNS} FROM sandbox_pay_orders WHERE out_trade_no = ?"))
        .bind(out_trade_no)
        .fetch_optional(db)
        .await
}

/// One refund as the platform keeps it.
#[derive(Clone, Debug, sqlx::FromRow)]
struct RefundRow {
    out_refund_no: String,
    refund_id: String,
    out_trade_no: String,
    transaction_id: String,
    notify_url: Option<String>,
    refund_fen: i64,
    total_fen: i64,
    currency: String,
    status: String,
    success_time: Option<i64>,
    created_at: i64,
}

const REFUND_COLUMNS: &str =
    "out_refund_no, refund_id, out_trade_no, transaction_id, notify_url, refund_fen, total_fen, currency, status, success_time, created_at";

async fn refund_in<'e>(db: impl sqlx::SqliteExecutor<'e>, out_refund_no: &str) -> Result<Option<RefundRow>, sqlx::Error> {
    sqlx::query_as::<_, RefundRow>(&format!("SELECT {REFUND_COLUMNS} FROM sandbox_pay_refunds WHERE out_refund_no = ?"))
        .bind(out_refund_no)
        .fetch_optional(db)
        .await
}

/// What a refund request did: the refund (and whether this request made it), or WeChat's refusal.
#[derive(Debug)]
enum RefundOutcome {
    Made { row: RefundRow, new: bool },
    Refused(Refusal),
}

/// An error answer of the platform.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
}

fn refusal(status: StatusCode, code: &'static str, message: &'static str) -> Refusal {
    Refusal { status, code, message }
}

/// What a press of the cashier's button did.
#[derive(Debug)]
enum PayOutcome {
    Paid(OrderRow),
    AlreadyPaid(OrderRow),
    Expired(OrderRow),
    Closed(OrderRow),
    NotFound,
}

impl PayOutcome {
    fn refusal(&self) -> &'static str {
        match self {
            PayOutcome::Paid(_) => "paid",
            PayOutcome::AlreadyPaid(_) => "the order is already paid",
            PayOutcome::Expired(_) => "the order has expired",
            PayOutcome::Closed(_) => "the order is closed",
            PayOutcome::NotFound => "there is no such order",
        }
    }
}

impl SandboxPlatform {
    /// Loads the shipped keys; `public_url` is where this server is reached (the gateway calls
    /// back into it, and code URLs point at its cashier).
    pub fn new(db: SqlitePool, clock: Clock, public_url: String) -> Result<SandboxPlatform, String> {
        let merchant_key = wechatpay::private_key_from_pem(MERCHANT_KEY_PEM).map_err(|e| format!("sandbox merchant key: {e}"))?;
        let merchant_public = wechatpay::public_key_from_pem(MERCHANT_PUB_PEM).map_err(|e| format!("sandbox merchant public key: {e}"))?;
        let platform_key = wechatpay::private_key_from_pem(PLATFORM_KEY_PEM).map_err(|e| format!("sandbox platform key: {e}"))?;
        let platform_public = wechatpay::public_key_from_pem(PLATFORM_PUB_PEM).map_err(|e| format!("sandbox platform public key: {e}"))?;
        // A mismatched pair would fail every payment with "bad signature"; say so at start-up.
        if merchant_key.to_public_key() != merchant_public || platform_key.to_public_key() != platform_public {
            return Err("the sandbox payment keys in app/src/ssr/sandbox_keys do not pair up".into());
        }
        Ok(SandboxPlatform {
            db,
            clock,
            public_url: public_url.trim_end_matches('/').to_string(),
            http: wechatpay::http_client()?,
            merchant_key,
            merchant_public,
            platform_key,
            platform_public,
            hold_refunds: AtomicBool::new(false),
        })
    }

    /// Our WeChat Pay client, configured as a merchant of this platform.
    pub fn gateway(&self) -> WechatPay {
        let config = WechatPayConfig {
            api_base: format!("{}{MOUNT}", self.public_url),
            mchid: SANDBOX_MCHID.into(),
            appid: SANDBOX_APPID.into(),
            merchant_serial: SANDBOX_MERCHANT_SERIAL.into(),
            merchant_key: self.merchant_key.clone(),
            platform_serial: SANDBOX_PLATFORM_SERIAL.into(),
            platform_key: self.platform_public.clone(),
            api_v3_key: *SANDBOX_API_V3_KEY,
        };
        WechatPay::with_client(config, self.http.clone(), self.clock.clone())
    }

    /// A correctly signed and encrypted notification about any transaction, timestamped by the
    /// platform's clock, for tests to deliver (or tamper with) themselves. An empty
    /// `transaction_id` is left out.
    pub fn signed_notification(
        &self,
        out_trade_no: &str,
        transaction_id: &str,
        amount_fen: i64,
        currency: &str,
        trade_state: TradeState,
    ) -> (HeaderMap, Vec<u8>) {
        let now = self.clock.now();
        let paid = trade_state == TradeState::Success;
        let wire = WireTransaction {
            appid: SANDBOX_APPID.into(),
            mchid: SANDBOX_MCHID.into(),
            out_trade_no: out_trade_no.into(),
            transaction_id: Some(transaction_id.to_string()).filter(|id| !id.is_empty()),
            trade_type: Some("NATIVE".into()),
            trade_state: trade_state.as_str().into(),
            trade_state_desc: state_description(trade_state).into(),
            bank_type: paid.then(|| "OTHERS".into()),
            success_time: paid.then(|| wechatpay::rfc3339_beijing(now)),
            payer: Some(sandbox_payer()),
            amount: Some(WireAmount {
                total: Some(amount_fen),
                payer_total: paid.then_some(amount_fen),
                currency: Some(currency.into()),
                payer_currency: paid.then(|| currency.into()),
            }),
        };
        let id = format!("EV-{}", if transaction_id.is_empty() { wechatpay::random_alphanumeric(16) } else { transaction_id.into() });
        let body = match self.notification_body(&id, now, &wire) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, "building a sandbox notification failed");
                Vec::new()
            }
        };
        (self.signed(&body), body)
    }

    /// Marks an order paid at the platform and tells nobody: the merchant has to ask (reconciliation).
    pub async fn pay_without_notifying(&self, out_trade_no: &str) -> Result<String, String> {
        match self.pay(out_trade_no).await.map_err(|e| format!("the sandbox database: {e}"))? {
            PayOutcome::Paid(row) => row.transaction_id.ok_or_else(|| "paid without a transaction id".to_string()),
            refused => Err(refused.refusal().to_string()),
        }
    }

    /// Sends a paid order's notification once; the HTTP status the merchant answered.
    pub async fn notify(&self, out_trade_no: &str) -> Result<u16, String> {
        let row = self
            .order(out_trade_no)
            .await
            .map_err(|e| format!("the sandbox database: {e}"))?
            .ok_or_else(|| format!("there is no sandbox order {out_trade_no}"))?;
        let body = self.success_notification(&row)?;
        self.deliver_once(&row.notify_url, &body).await
    }

    /// A correctly signed and encrypted `REFUND.{state}` notification reporting `report`,
    /// timestamped by the platform's clock, for tests to deliver (or tamper with) themselves.
    /// `report.currency` is not carried: refund notifications are always in CNY.
    pub fn signed_refund_notification(&self, report: &RefundReport) -> (HeaderMap, Vec<u8>) {
        let now = self.clock.now();
        let row = RefundRow {
            out_refund_no: report.out_refund_no.clone(),
            refund_id: report.refund_id.clone().unwrap_or_default(),
            out_trade_no: report.out_trade_no.clone(),
            transaction_id: transaction_id(now),
            notify_url: None,
            refund_fen: report.refund_fen,
            total_fen: report.total_fen,
            currency: CURRENCY.into(),
            status: report.state.as_str().into(),
            success_time: (report.state == RefundState::Success).then_some(now.0),
            created_at: now.0,
        };
        let body = self.refund_notification(&row).unwrap_or_else(|e| {
            tracing::error!(error = %e, "building a sandbox refund notification failed");
            Vec::new()
        });
        (self.signed(&body), body)
    }

    /// While held, refunds made stay PROCESSING and nothing is sent about them until a test ends
    /// them (`refund_without_notifying`, `end_refund_without_notifying`) and, if it wants,
    /// sends the notification (`notify_refund`). Otherwise each succeeds a second after it is
    /// made and its notification is delivered, with retries.
    pub fn hold_refunds(&self, held: bool) {
        self.hold_refunds.store(held, Ordering::SeqCst);
    }

    /// Makes a PROCESSING refund SUCCESS at the platform and tells nobody: the merchant has to
    /// ask (reconciliation). Its refund_id.
    pub async fn refund_without_notifying(&self, out_refund_no: &str) -> Result<String, String> {
        self.end_refund_without_notifying(out_refund_no, RefundState::Success).await
    }

    /// Ends a PROCESSING refund as `state` (SUCCESS; ABNORMAL, when the payer's account would not
    /// take the money; or CLOSED) and tells nobody. Its refund_id.
    pub async fn end_refund_without_notifying(&self, out_refund_no: &str, state: RefundState) -> Result<String, String> {
        if state == RefundState::Processing {
            return Err("a refund ends as SUCCESS, ABNORMAL or CLOSED".into());
        }
        match self.end_refund(out_refund_no, state).await.map_err(|e| format!("the sandbox database: {e}"))? {
            Some(row) => Ok(row.refund_id),
            None => Err(format!("there is no PROCESSING sandbox refund {out_refund_no}")),
        }
    }

    /// Sends an ended refund's notification once; the HTTP status the merchant answered.
    pub async fn notify_refund(&self, out_refund_no: &str) -> Result<u16, String> {
        let row = refund_in(&self.db, out_refund_no)
            .await
            .map_err(|e| format!("the sandbox database: {e}"))?
            .ok_or_else(|| format!("there is no sandbox refund {out_refund_no}"))?;
        if row.status == RefundState::Processing.as_str() {
            return Err(format!("the sandbox refund {out_refund_no} is still PROCESSING"));
        }
        let notify_url = row.notify_url.clone().ok_or_else(|| format!("the sandbox refund {out_refund_no} has no notify_url"))?;
        let body = self.refund_notification(&row)?;
        self.deliver_once(&notify_url, &body).await
    }

    // -----------------------------------------------------------------------------------------

    /// The `Wechatpay-*` headers for a body. Signing with a loaded 2048-bit key does not fail; if
    /// it ever did, the headers lack the signature and every verifier refuses them.
    fn signed(&self, body: &[u8]) -> HeaderMap {
        match wechatpay::signed_headers(&self.platform_key, SANDBOX_PLATFORM_SERIAL, self.clock.now().0, &wechatpay::nonce_str(), body) {
            Ok(headers) => headers,
            Err(e) => {
                tracing::error!(error = %e, "the sandbox platform could not sign");
                HeaderMap::new()
            }
        }
    }

    /// A signed API answer: JSON, or empty (204).
    fn answer(&self, status: StatusCode, json: Option<serde_json::Value>) -> Response {
        let body = json.map(|v| v.to_string().into_bytes()).unwrap_or_default();
        let mut headers = self.signed(&body);
        if !body.is_empty() {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        (status, headers, body).into_response()
    }

    fn refuse(&self, status: StatusCode, code: &str, message: impl Into<String>) -> Response {
        let e = ErrorAnswer { code: code.into(), message: message.into() };
        self.answer(status, serde_json::to_value(e).ok())
    }

    fn param_error(&self, why: &str) -> Response {
        self.refuse(StatusCode::BAD_REQUEST, "PARAM_ERROR", format!("参数错误: {why}"))
    }

    fn database_failed(&self, e: sqlx::Error) -> Response {
        tracing::error!(error = %e, "the sandbox payment platform's database failed");
        self.refuse(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "系统异常，请稍后重试")
    }

    /// Checks a request's `Authorization` the way WeChat Pay does: our merchant, its certificate,
    /// a fresh timestamp, and a signature over exactly this method, path and body. The answer to
    /// send instead when any of it fails.
    fn signature_refusal(&self, method: &Method, uri: &http::Uri, headers: &HeaderMap, body: &[u8]) -> Option<Response> {
        let why = match headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(Authorization::parse) {
            None => "no Authorization header".to_string(),
            Some(Err(e)) => e,
            Some(Ok(auth)) if auth.mchid != SANDBOX_MCHID => "unknown mchid".into(),
            Some(Ok(auth)) if auth.serial_no != SANDBOX_MERCHANT_SERIAL => "unknown certificate serial_no".into(),
            Some(Ok(auth)) if !auth.is_fresh(self.clock.now()) => "timestamp is more than 5 minutes from now".into(),
            Some(Ok(auth)) => {
                let path = uri.path_and_query().map_or_else(|| uri.path(), |p| p.as_str());
                if auth.verifies(&self.merchant_public, method.as_str(), path, body) {
                    return None;
                }
                "the signature does not verify".into()
            }
        };
        Some(self.refuse(StatusCode::UNAUTHORIZED, "SIGN_ERROR", format!("签名错误: {why}")))
    }

    async fn order(&self, out_trade_no: &str) -> Result<Option<OrderRow>, sqlx::Error> {
        order_in(&self.db, out_trade_no).await
    }

    /// Takes the payment if the order can still be paid: NOTPAY and before its time_expire by the
    /// platform's clock. The check and the change are one statement, so two presses pay once.
    async fn pay(&self, out_trade_no: &str) -> Result<PayOutcome, sqlx::Error> {
        let now = self.clock.now();
        let mut tx = super::db::write_tx(&self.db).await?;
        let paid = sqlx::query(
            "UPDATE sandbox_pay_orders SET state = 'SUCCESS', transaction_id = ?1, success_time = ?2 \
             WHERE out_trade_no = ?3 AND state = 'NOTPAY' AND time_expire > ?2",
        )
        .bind(transaction_id(now))
        .bind(now.0)
        .bind(out_trade_no)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let row = order_in(&mut *tx, out_trade_no).await?;
        tx.commit().await?;
        Ok(match row {
            None => PayOutcome::NotFound,
            Some(row) if paid => PayOutcome::Paid(row),
            Some(row) if row.state == "SUCCESS" => PayOutcome::AlreadyPaid(row),
            Some(row) if row.state == "CLOSED" => PayOutcome::Closed(row),
            Some(row) => PayOutcome::Expired(row),
        })
    }

    /// The order as WeChat's query answers it: a paid order reads REFUND once a refund is asked.
    fn wire(&self, row: &OrderRow) -> WireTransaction {
        let state = match TradeState::parse(&row.state).unwrap_or(TradeState::NotPay) {
            TradeState::Success if row.refund_claimed_fen > 0 => TradeState::Refund,
            state => state,
        };
        Self::wire_in(row, state)
    }

    fn wire_in(row: &OrderRow, state: TradeState) -> WireTransaction {
        let paid = matches!(state, TradeState::Success | TradeState::Refund);
        WireTransaction {
            appid: row.appid.clone(),
            mchid: row.mchid.clone(),
            out_trade_no: row.out_trade_no.clone(),
            transaction_id: row.transaction_id.clone(),
            trade_type: Some("NATIVE".into()),
            trade_state: state.as_str().into(),
            trade_state_desc: state_description(state).into(),
            bank_type: paid.then(|| "OTHERS".into()),
            success_time: row.success_time.map(|t| wechatpay::rfc3339_beijing(UnixTime(t))),
            payer: paid.then(sandbox_payer),
            amount: Some(WireAmount {
                total: Some(row.amount_fen),
                payer_total: paid.then_some(row.amount_fen),
                currency: Some(row.currency.clone()),
                payer_currency: paid.then(|| row.currency.clone()),
            }),
        }
    }

    /// A notification body: the envelope, with `resource` sealed under the APIv3 key.
    fn sealed_notification(
        &self,
        kind: NotificationKind,
        id: &str,
        created: UnixTime,
        outcome: &str,
        summary: &str,
        resource: &impl Serialize,
    ) -> Result<Vec<u8>, String> {
        let plain = serde_json::to_vec(resource).map_err(|e| e.to_string())?;
        let n = wechatpay::seal_notification(SANDBOX_API_V3_KEY, kind, id, created, outcome, summary, &plain)?;
        serde_json::to_vec(&n).map_err(|e| e.to_string())
    }

    /// The notification body for a transaction.
    fn notification_body(&self, id: &str, created: UnixTime, wire: &WireTransaction) -> Result<Vec<u8>, String> {
        let summary = if wire.trade_state == TradeState::Success.as_str() { "支付成功" } else { wire.trade_state_desc.as_str() };
        self.sealed_notification(NotificationKind::Transaction, id, created, &wire.trade_state, summary, wire)
    }

    /// A paid order's notification. Its id follows from the transaction, so every retry carries
    /// the same id, as WeChat's do, and the merchant can tell a repeat from a new event.
    fn success_notification(&self, row: &OrderRow) -> Result<Vec<u8>, String> {
        let (Some(transaction_id), Some(success_time)) = (&row.transaction_id, row.success_time) else {
            return Err(format!("the sandbox order {} is not paid", row.out_trade_no));
        };
        // What was paid, as it was then: a refund since does not change the payment's event.
        self.notification_body(&format!("EV-{transaction_id}"), UnixTime(success_time), &Self::wire_in(row, TradeState::Success))
    }

    /// One delivery, freshly signed (a retry must not carry a stale timestamp).
    async fn deliver_once(&self, notify_url: &str, body: &[u8]) -> Result<u16, String> {
        let response = self
            .http
            .post(notify_url)
            .headers(self.signed(body))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| format!("delivering to {notify_url} failed: {e}"))?;
        Ok(response.status().as_u16())
    }

    /// Delivers a notification and, when the merchant does not take it, tries again in the
    /// background a few times; whether the first delivery was taken. `what` and `number` (the
    /// order's or refund's) are for the log.
    async fn deliver(self: &Arc<Self>, what: &'static str, number: &str, notify_url: &str, body: Vec<u8>) -> bool {
        let sent = self.deliver_once(notify_url, &body).await;
        let accepted = matches!(sent, Ok(status) if (200..300).contains(&status));
        if !accepted {
            tracing::warn!(%number, outcome = ?sent, "sandbox {what} notification not accepted; retrying");
            self.retry_later(what, number.to_string(), notify_url.to_string(), body);
        }
        accepted
    }

    /// Tries again in the background a few times; the payer is not kept waiting for it.
    fn retry_later(self: &Arc<Self>, what: &'static str, number: String, notify_url: String, body: Vec<u8>) {
        let platform = Arc::clone(self);
        tokio::spawn(async move {
            for (attempt, delay) in RETRY_DELAYS.iter().enumerate() {
                tokio::time::sleep(*delay).await;
                match platform.deliver_once(&notify_url, &body).await {
                    Ok(status) if (200..300).contains(&status) => {
                        tracing::info!(%number, attempt = attempt + 2, status, "sandbox {what} notification delivered");
                        return;
                    }
                    Ok(status) => tracing::warn!(%number, attempt = attempt + 2, status, "sandbox {what} notification refused"),
                    Err(e) => tracing::warn!(%number, attempt = attempt + 2, error = %e, "sandbox {what} notification failed"),
                }
            }
            tracing::error!(%number, %notify_url, "sandbox {what} notification given up; the merchant must query");
        });
    }

    /// Makes a refund if the order can take it, in one transaction so that neither a repeated
    /// request nor two at once refund more than was paid. A number already used answers its
    /// refund, if it is the same refund.
    async fn make_refund(&self, req: &WireRefundRequest) -> Result<RefundOutcome, sqlx::Error> {
        let now = self.clock.now();
        let mut tx = super::db::write_tx(&self.db).await?;
        if let Some(row) = refund_in(&mut *tx, &req.out_refund_no).await? {
            let same = row.out_trade_no == req.out_trade_no && row.refund_fen == req.amount.refund && row.total_fen == req.amount.total;
            return Ok(if same {
                RefundOutcome::Made { row, new: false }
            } else {
                RefundOutcome::Refused(refusal(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "退款单号已存在，且与原退款参数不一致"))
            });
        }
        let transaction_id = match refundable(order_in(&mut *tx, &req.out_trade_no).await?, req) {
            Ok(transaction_id) => transaction_id,
            Err(refused) => return Ok(RefundOutcome::Refused(refused)),
        };
        sqlx::query(
            "INSERT INTO sandbox_pay_refunds \
             (out_refund_no, refund_id, out_trade_no, transaction_id, reason, notify_url, refund_fen, total_fen, currency, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&req.out_refund_no)
        .bind(refund_id(now))
        .bind(&req.out_trade_no)
        .bind(transaction_id)
        .bind(req.reason.as_deref().unwrap_or_default())
        .bind(&req.notify_url)
        .bind(req.amount.refund)
        .bind(req.amount.total)
        .bind(&req.amount.currency)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        let row = refund_in(&mut *tx, &req.out_refund_no).await?.ok_or(sqlx::Error::RowNotFound)?;
        tx.commit().await?;
        Ok(RefundOutcome::Made { row, new: true })
    }

    /// Ends a PROCESSING refund as `state`; the refund then, or None if it was not PROCESSING (so
    /// it ends once, whoever gets there first).
    async fn end_refund(&self, out_refund_no: &str, state: RefundState) -> Result<Option<RefundRow>, sqlx::Error> {
        let success_time = (state == RefundState::Success).then(|| self.clock.now().0);
        let ended = sqlx::query("UPDATE sandbox_pay_refunds SET status = ?1, success_time = ?2 WHERE out_refund_no = ?3 AND status = 'PROCESSING'")
            .bind(state.as_str())
            .bind(success_time)
            .bind(out_refund_no)
            .execute(&self.db)
            .await?
            .rows_affected()
            == 1;
        if !ended {
            return Ok(None);
        }
        refund_in(&self.db, out_refund_no).await
    }

    /// A new refund succeeds a moment later and its notification goes out, unless tests hold
    /// refunds; a test that ends it first wins, and then nothing is sent from here.
    fn settle_later(self: &Arc<Self>, out_refund_no: String) {
        if self.hold_refunds.load(Ordering::SeqCst) {
            return;
        }
        let platform = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(REFUND_SETTLES_AFTER).await;
            let row = match platform.end_refund(&out_refund_no, RefundState::Success).await {
                Ok(Some(row)) => row,
                Ok(None) => return,
                Err(e) => {
                    tracing::error!(%out_refund_no, error = %e, "settling a sandbox refund failed");
                    return;
                }
            };
            tracing::info!(%out_refund_no, "sandbox refund paid out");
            let Some(notify_url) = row.notify_url.clone() else { return };
            match platform.refund_notification(&row) {
                Ok(body) => {
                    platform.deliver("refund", &out_refund_no, &notify_url, body).await;
                }
                Err(e) => tracing::error!(%out_refund_no, error = %e, "building a sandbox refund notification failed"),
            }
        });
    }

    /// The refund as WeChat's refund API answers it, or as a notification's resource carries it
    /// (`notified`: the merchant named, `refund_status`, no currency).
    fn refund_wire(row: &RefundRow, notified: bool) -> WireRefund {
        let answered = !notified;
        WireRefund {
            mchid: notified.then(|| SANDBOX_MCHID.into()),
            refund_id: row.refund_id.clone(),
            out_refund_no: row.out_refund_no.clone(),
            transaction_id: Some(row.transaction_id.clone()),
            out_trade_no: row.out_trade_no.clone(),
            channel: answered.then(|| "ORIGINAL".into()),
            user_received_account: Some(SANDBOX_RECEIVED_ACCOUNT.into()),
            success_time: row.success_time.map(|t| wechatpay::rfc3339_beijing(UnixTime(t))),
            create_time: answered.then(|| wechatpay::rfc3339_beijing(UnixTime(row.created_at))),
            status: answered.then(|| row.status.clone()),
            refund_status: notified.then(|| row.status.clone()),
            amount: WireRefundAmount {
                total: row.total_fen,
                refund: row.refund_fen,
                payer_total: Some(row.total_fen),
                payer_refund: Some(row.refund_fen),
                currency: answered.then(|| row.currency.clone()),
            },
        }
    }

    /// An ended refund's notification. Its id follows from the refund, so every retry carries the
    /// same id, as WeChat's do.
    fn refund_notification(&self, row: &RefundRow) -> Result<Vec<u8>, String> {
        let created = UnixTime(row.success_time.unwrap_or_else(|| self.clock.now().0));
        let summary = match RefundState::parse(&row.status) {
            Some(RefundState::Success) => "退款成功",
            Some(RefundState::Abnormal) => "退款异常",
            Some(RefundState::Closed) => "退款关闭",
            _ => "退款处理中",
        };
        let id = format!("EV-{}", row.refund_id);
        self.sealed_notification(NotificationKind::Refund, &id, created, &row.status, summary, &Self::refund_wire(row, true))
    }
}

/// The payment `req` may refund, or WeChat's refusal: the order must exist and be paid,
/// `amount.total` must be its amount, and its refunds that are not CLOSED may not add up to more.
fn refundable(order: Option<OrderRow>, req: &WireRefundRequest) -> Result<String, Refusal> {
    let Some(order) = order else {
        return Err(refusal(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "订单不存在"));
    };
    let paid = order.state == TradeState::Success.as_str();
    let Some(transaction_id) = order.transaction_id.filter(|_| paid) else {
        return Err(refusal(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "订单未支付，不能退款"));
    };
    if order.amount_fen != req.amount.total {
        return Err(refusal(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "amount.total 与订单金额不一致"));
    }
    if order.refund_claimed_fen.saturating_add(req.amount.refund) > order.amount_fen {
        return Err(refusal(StatusCode::FORBIDDEN, "NOT_ENOUGH", "订单可退金额不足"));
    }
    Ok(transaction_id)
}

fn state_description(state: TradeState) -> &'static str {
    match state {
        TradeState::Success => "支付成功",
        TradeState::Refund => "转入退款",
        TradeState::NotPay => "未支付",
        TradeState::Closed => "已关闭",
        TradeState::Revoked => "已撤销",
        TradeState::UserPaying => "用户支付中",
        TradeState::PayError => "支付失败",
    }
}

/// The one payer of the sandbox.
fn sandbox_payer() -> WirePayer {
    WirePayer { openid: "oTianpingSandboxPayer000000000".into() }
}

/// 28 digits as WeChat's are: `4200`, the Beijing date, then 16 random digits.
fn transaction_id(now: UnixTime) -> String {
    dated_id("4200", now, 16)
}

/// 29 digits as WeChat's are: `50`, eight more, the Beijing date, then 11 random digits.
fn refund_id(now: UnixTime) -> String {
    dated_id("5030000000", now, 11)
}

fn dated_id(prefix: &str, now: UnixTime, random_digits: usize) -> String {
    let (y, m, d) = now.beijing_ymd();
    let mut rng = rand::rng();
    let tail: String = (0..random_digits).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect();
    format!("{prefix}{y:04}{m:02}{d:02}{tail}")
}

/// A `?return=` target: a path on this site only (one leading `/`, no scheme, no `//host`),
/// printable ASCII so it can go into a `Location` header as it is.
fn safe_return(raw: Option<&str>) -> Option<&str> {
    let path = raw?.trim();
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 1024
        && path.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(path)
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

// ---------------------------------------------------------------------------------------------
// The HTTP side

/// A request body the platform accepts: signed by our merchant (else SIGN_ERROR) and JSON it can
/// read (else PARAM_ERROR). The signature covers the path as sent, mount prefix included.
struct Signed<T>(T);

/// Far more than any request of the API; a larger body is not read.
const MAX_REQUEST_BYTES: usize = 64 * 1024;

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<Arc<SandboxPlatform>> for Signed<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, p: &Arc<SandboxPlatform>) -> Result<Self, Response> {
        use axum::extract::FromRequestParts;
        let (mut parts, body) = req.into_parts();
        let Ok(OriginalUri(uri)) = OriginalUri::from_request_parts(&mut parts, p).await;
        let body = axum::body::to_bytes(body, MAX_REQUEST_BYTES).await.map_err(|e| p.param_error(&e.to_string()))?;
        if let Some(refused) = p.signature_refusal(&parts.method, &uri, &parts.headers, &body) {
            return Err(refused);
        }
        serde_json::from_slice(&body).map(Signed).map_err(|e| p.param_error(&e.to_string()))
    }
}

/// A GET the platform accepts: signed by our merchant over its path and an empty body.
struct SignedGet;

impl axum::extract::FromRequestParts<Arc<SandboxPlatform>> for SignedGet {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut http::request::Parts, p: &Arc<SandboxPlatform>) -> Result<Self, Response> {
        let Ok(OriginalUri(uri)) = OriginalUri::from_request_parts(parts, p).await;
        p.signature_refusal(&parts.method, &uri, &parts.headers, b"").map_or(Ok(SignedGet), Err)
    }
}

/// The platform's routes, relative to where the server mounts them (`MOUNT`).
pub fn router(platform: Arc<SandboxPlatform>) -> Router {
    Router::new()
        .route("/v3/pay/transactions/native", post(create_native))
        .route("/v3/pay/transactions/out-trade-no/{out_trade_no}", get(query_order))
        .route("/v3/pay/transactions/out-trade-no/{out_trade_no}/close", post(close_order))
        .route("/v3/refund/domestic/refunds", post(create_refund))
        .route("/v3/refund/domestic/refunds/{out_refund_no}", get(query_refund))
        .route("/cashier/{out_trade_no}", get(cashier_page).post(cashier_pay))
        .with_state(platform)
}

#[derive(Deserialize)]
struct NativeRequest {
    appid: String,
    mchid: String,
    description: String,
    out_trade_no: String,
    time_expire: String,
    notify_url: String,
    amount: NativeAmount,
}

#[derive(Deserialize)]
struct NativeAmount {
    total: i64,
    /// WeChat defaults it to CNY.
    #[serde(default)]
    currency: Option<String>,
}

async fn create_native(State(p): State<Arc<SandboxPlatform>>, Signed(req): Signed<NativeRequest>) -> Response {
    if req.mchid != SANDBOX_MCHID || req.appid != SANDBOX_APPID {
        return p.refuse(StatusCode::BAD_REQUEST, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
    }
    if !wechatpay::is_wechat_out_trade_no(&req.out_trade_no) {
        return p.param_error("out_trade_no must be 6-32 of [A-Za-z0-9_-]");
    }
    let chars = req.description.chars().count();
    if chars == 0 || chars > MAX_DESCRIPTION_CHARS {
        return p.param_error("description must be 1-127 characters");
    }
    let Some(time_expire) = wechatpay::parse_rfc3339(&req.time_expire) else {
        return p.param_error("time_expire is not an RFC 3339 time");
    };
    if !is_notify_url(&req.notify_url) {
        return p.param_error("notify_url must be an http(s) URL of at most 255 characters");
    }
    if req.amount.total <= 0 {
        return p.param_error("amount.total must be at least 1 fen");
    }
    let currency = req.amount.currency.unwrap_or_else(|| CURRENCY.into());
    if currency != CURRENCY {
        return p.param_error("amount.currency must be CNY");
    }
    let inserted = sqlx::query(
        "INSERT INTO sandbox_pay_orders \
         (out_trade_no, mchid, appid, description, amount_fen, currency, notify_url, time_expire, state, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'NOTPAY', ?) ON CONFLICT (out_trade_no) DO NOTHING",
    )
    .bind(&req.out_trade_no)
    .bind(&req.mchid)
    .bind(&req.appid)
    .bind(&req.description)
    .bind(req.amount.total)
    .bind(&currency)
    .bind(&req.notify_url)
    .bind(time_expire.0)
    .bind(p.clock.now().0)
    .execute(&p.db)
    .await;
    let inserted = match inserted {
        Ok(done) => done.rows_affected() == 1,
        Err(e) => return p.database_failed(e),
    };
    if !inserted {
        // A retry of the same order gets the same code; a different order under a used number
        // is refused, as WeChat refuses it.
        let existing = match p.order(&req.out_trade_no).await {
            Ok(Some(row)) => row,
            Ok(None) => return p.refuse(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "系统异常，请稍后重试"),
            Err(e) => return p.database_failed(e),
        };
        let same = existing.mchid == req.mchid
            && existing.appid == req.appid
            && existing.description == req.description
            && existing.amount_fen == req.amount.total
            && existing.currency == currency
            && existing.notify_url == req.notify_url
            && existing.time_expire == time_expire.0;
        if !same {
            return p.refuse(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "商户订单号重复，且与原订单参数不一致");
        }
        match existing.state.as_str() {
            "SUCCESS" => return p.refuse(StatusCode::BAD_REQUEST, "ORDERPAID", "该订单已支付"),
            "CLOSED" => return p.refuse(StatusCode::BAD_REQUEST, "ORDER_CLOSED", "该订单已关闭"),
            _ => {}
        }
    }
    let code_url = format!("{}{MOUNT}/cashier/{}", p.public_url, req.out_trade_no);
    p.answer(StatusCode::OK, Some(serde_json::json!({ "code_url": code_url })))
}

#[derive(Deserialize)]
struct MchidQuery {
    mchid: Option<String>,
}

async fn query_order(
    State(p): State<Arc<SandboxPlatform>>,
    _: SignedGet,
    Path(out_trade_no): Path<String>,
    Query(q): Query<MchidQuery>,
) -> Response {
    if q.mchid.as_deref() != Some(SANDBOX_MCHID) {
        return p.param_error("mchid");
    }
    if !wechatpay::is_wechat_out_trade_no(&out_trade_no) {
        return p.param_error("out_trade_no");
    }
    match p.order(&out_trade_no).await {
        // An unpaid order past its time_expire still reads NOTPAY until it is closed, as on
        // WeChat; it just can no longer be paid.
        Ok(Some(row)) => p.answer(StatusCode::OK, serde_json::to_value(p.wire(&row)).ok()),
        Ok(None) => p.refuse(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
        Err(e) => p.database_failed(e),
    }
}

#[derive(Deserialize)]
struct CloseRequest {
    mchid: String,
}

async fn close_order(
    State(p): State<Arc<SandboxPlatform>>,
    Path(out_trade_no): Path<String>,
    Signed(req): Signed<CloseRequest>,
) -> Response {
    if req.mchid != SANDBOX_MCHID {
        return p.param_error("mchid");
    }
    // Closing twice is fine; closing a paid order is not.
    let closed = sqlx::query("UPDATE sandbox_pay_orders SET state = 'CLOSED' WHERE out_trade_no = ? AND state IN ('NOTPAY', 'CLOSED')")
        .bind(&out_trade_no)
        .execute(&p.db)
        .await;
    match closed {
        Ok(done) if done.rows_affected() == 1 => p.answer(StatusCode::NO_CONTENT, None),
        Ok(_) => match p.order(&out_trade_no).await {
            Ok(Some(_)) => p.refuse(StatusCode::BAD_REQUEST, "ORDERPAID", "该订单已支付"),
            Ok(None) => p.refuse(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
            Err(e) => p.database_failed(e),
        },
        Err(e) => p.database_failed(e),
    }
}

/// WeChat takes an http(s) URL of at most 255 characters.
fn is_notify_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.len() <= 255
}

async fn create_refund(State(p): State<Arc<SandboxPlatform>>, Signed(req): Signed<WireRefundRequest>) -> Response {
    if let Some(why) = refund_param_problem(&req) {
        return p.param_error(why);
    }
    match p.make_refund(&req).await {
        Ok(outcome) => refund_answer(&p, outcome),
        Err(e) => p.database_failed(e),
    }
}

/// What WeChat would refuse in a refund request before looking at the order, if anything.
fn refund_param_problem(req: &WireRefundRequest) -> Option<&'static str> {
    if !wechatpay::is_wechat_out_trade_no(&req.out_trade_no) {
        return Some("out_trade_no must be 6-32 of [A-Za-z0-9_-]");
    }
    if !wechatpay::is_wechat_out_refund_no(&req.out_refund_no) {
        return Some("out_refund_no must be 1-64 of [A-Za-z0-9_-|*@]");
    }
    if req.reason.as_deref().is_some_and(|r| r.chars().count() > wechatpay::MAX_REFUND_REASON_CHARS) {
        return Some("reason must be at most 80 characters");
    }
    if req.notify_url.as_deref().is_some_and(|u| !is_notify_url(u)) {
        return Some("notify_url must be an http(s) URL of at most 255 characters");
    }
    if req.amount.refund <= 0 || req.amount.refund > req.amount.total {
        return Some("amount.refund must be at least 1 fen and at most amount.total");
    }
    if req.amount.currency != CURRENCY {
        return Some("amount.currency must be CNY");
    }
    None
}

fn refund_answer(p: &Arc<SandboxPlatform>, outcome: RefundOutcome) -> Response {
    match outcome {
        RefundOutcome::Made { row, new } => {
            if new {
                tracing::info!(out_refund_no = %row.out_refund_no, out_trade_no = %row.out_trade_no, "sandbox refund accepted");
                p.settle_later(row.out_refund_no.clone());
            }
            p.answer(StatusCode::OK, serde_json::to_value(SandboxPlatform::refund_wire(&row, false)).ok())
        }
        RefundOutcome::Refused(Refusal { status, code, message }) => p.refuse(status, code, message),
    }
}

async fn query_refund(State(p): State<Arc<SandboxPlatform>>, _: SignedGet, Path(out_refund_no): Path<String>) -> Response {
    if !wechatpay::is_wechat_out_refund_no(&out_refund_no) {
        return p.param_error("out_refund_no");
    }
    match refund_in(&p.db, &out_refund_no).await {
        Ok(Some(row)) => p.answer(StatusCode::OK, serde_json::to_value(SandboxPlatform::refund_wire(&row, false)).ok()),
        Ok(None) => p.refuse(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "退款单不存在"),
        Err(e) => p.database_failed(e),
    }
}

#[derive(Deserialize)]
struct CashierQuery {
    #[serde(rename = "return")]
    back: Option<String>,
}

#[derive(Deserialize)]
struct CashierForm {
    #[serde(rename = "return")]
    back: Option<String>,
}

/// The cashier page of one order: what is being paid, and the button while it can be paid.
async fn cashier_page(State(p): State<Arc<SandboxPlatform>>, Path(out_trade_no): Path<String>, Query(q): Query<CashierQuery>) -> Response {
    let row = match p.order(&out_trade_no).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found_page(),
        Err(e) => {
            tracing::error!(error = %e, "reading a sandbox order failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let back = safe_return(q.back.as_deref());
    let content = match row.state.as_str() {
        "SUCCESS" => state_line("此订单已支付。", "This order has been paid.") + &paid_lines(&row),
        "CLOSED" => state_line("此订单已关闭，不能再支付。", "This order has been closed and can no longer be paid."),
        _ if p.clock.now().0 >= row.time_expire => {
            state_line("此订单已过期，不能再支付。", "This order has expired and can no longer be paid.")
        }
        _ => {
            let amount = yuan(row.amount_fen);
            let hidden = back.map_or_else(String::new, |b| format!("<input type=\"hidden\" name=\"return\" value=\"{}\">", escape_html(b)));
            format!(
                "<p>请在 {until} 前确认支付。<span lang=\"en\">Confirm before {until} (Beijing time).</span></p>\
                 <form method=\"post\" action=\"./{no}\" class=\"offline-actions\">{hidden}\
                 <button type=\"submit\" class=\"offline-reload\" data-testid=\"sandbox-pay\">确认支付 {amount} · <span lang=\"en\">Confirm payment</span></button>\
                 </form>",
                until = UnixTime(row.time_expire).shanghai(),
                no = escape_html(&row.out_trade_no),
            )
        }
    };
    page(StatusCode::OK, &row, &(content + &back_link(back)))
}

/// The button: takes the payment once, notifies the merchant, and sends the payer back.
async fn cashier_pay(State(p): State<Arc<SandboxPlatform>>, Path(out_trade_no): Path<String>, form: Result<Form<CashierForm>, FormRejection>) -> Response {
    let back_raw = form.ok().and_then(|Form(f)| f.back);
    let back = safe_return(back_raw.as_deref());
    let outcome = match p.pay(&out_trade_no).await {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(error = %e, "a sandbox payment failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let row = match outcome {
        PayOutcome::Paid(row) => row,
        PayOutcome::AlreadyPaid(row) => {
            let content = state_line("此订单已支付过，没有再次扣款。", "This order was already paid; nothing was charged again.");
            return page(StatusCode::CONFLICT, &row, &(content + &paid_lines(&row) + &back_link(back)));
        }
        PayOutcome::Expired(row) => {
            let content = state_line("此订单已过期，没有扣款。", "This order has expired; nothing was charged.");
            return page(StatusCode::CONFLICT, &row, &(content + &back_link(back)));
        }
        PayOutcome::Closed(row) => {
            let content = state_line("此订单已关闭，没有扣款。", "This order has been closed; nothing was charged.");
            return page(StatusCode::CONFLICT, &row, &(content + &back_link(back)));
        }
        PayOutcome::NotFound => return not_found_page(),
    };
    tracing::info!(out_trade_no = %row.out_trade_no, "sandbox payment taken");
    // The first delivery is awaited, so the page the payer returns to already shows the payment;
    // retries happen in the background.
    let delivered = match p.success_notification(&row) {
        Ok(body) => p.deliver("payment", &row.out_trade_no, &row.notify_url, body).await,
        Err(e) => {
            tracing::error!(error = %e, "building a sandbox notification failed");
            false
        }
    };
    if let Some(back) = back
        && let Ok(location) = HeaderValue::from_str(back)
    {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))])
            .into_response();
    }
    let notified = if delivered {
        "<p>已通知商户。<span lang=\"en\">The merchant has been notified.</span></p>"
    } else {
        "<p>暂未通知到商户，沙箱稍后重试。<span lang=\"en\">The merchant could not be notified yet; the sandbox will retry.</span></p>"
    };
    let content = state_line("支付成功。", "Payment complete.") + &paid_lines(&row) + notified;
    page(StatusCode::OK, &row, &content)
}

fn yuan(fen: i64) -> String {
    format!("¥{}", Fen(fen).yuan())
}

fn state_line(zh: &str, en: &str) -> String {
    format!("<p data-testid=\"sandbox-state\" role=\"status\"><strong>{zh}</strong> <span lang=\"en\">{en}</span></p>")
}

/// The payment's transaction id and, once any has reached the payer, what was refunded.
fn paid_lines(row: &OrderRow) -> String {
    let transaction = row.transaction_id.as_deref().map_or_else(String::new, |id| {
        format!("<p>微信支付交易号 <span lang=\"en\">Transaction</span>: <code>{}</code></p>", escape_html(id))
    });
    if row.refunded_fen <= 0 {
        return transaction;
    }
    let refunded = yuan(row.refunded_fen);
    transaction + &format!("<p data-testid=\"sandbox-refunded\">已退款 {refunded} <span lang=\"en\">Refunded {refunded}</span></p>")
}

fn back_link(back: Option<&str>) -> String {
    back.map_or_else(String::new, |b| format!("<p><a href=\"{}\">返回 <span lang=\"en\">· Back</span></a></p>", escape_html(b)))
}

const SANDBOX_NOTE: &str = "<p><strong>沙箱模式：这是模拟的微信支付，不会真正扣款。</strong> \
    <span lang=\"en\">Sandbox: a stand-in for WeChat Pay. No money moves.</span></p>";

fn html(status: StatusCode, main: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>沙箱收银台 · Sandbox cashier</title><link rel=\"stylesheet\" href=\"/offline.css\"></head>\
         <body><main class=\"offline\"><h1>沙箱收银台 <span lang=\"en\">· Sandbox cashier</span></h1>{SANDBOX_NOTE}{main}</main></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

fn page(status: StatusCode, row: &OrderRow, content: &str) -> Response {
    let order = format!(
        "<dl><dt>商品 <span lang=\"en\">Item</span></dt><dd>{}</dd>\
         <dt>金额 <span lang=\"en\">Amount</span></dt><dd data-testid=\"sandbox-amount\">{}</dd>\
         <dt>订单号 <span lang=\"en\">Order number</span></dt><dd><code>{}</code></dd></dl>",
        escape_html(&row.description),
        yuan(row.amount_fen),
        escape_html(&row.out_trade_no),
    );
    html(status, &(order + content))
}

fn not_found_page() -> Response {
    html(StatusCode::NOT_FOUND, &state_line("没有这个订单。", "There is no such order."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use crate::fees::model::Transaction;
    use crate::ssr::payment::{GatewayError, NewOrder, NewRefund, NotifyError, PaymentGateway};
    use crate::ssr::wechatpay::Notification;
    use std::str::FromStr;
    use tokio::sync::mpsc;

    async fn memory_db() -> SqlitePool {
        // One connection: an in-memory database lives and dies with its connection.
        let options = sqlx::sqlite::SqliteConnectOptions::from_str("sqlite::memory:").unwrap().foreign_keys(true);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .unwrap();
        crate::ssr::db::MIGRATOR.run(&pool).await.unwrap();
        pool
    }

    struct Running {
        platform: Arc<SandboxPlatform>,
        clock: Clock,
        public_url: String,
        notify_url: String,
        inbox: mpsc::UnboundedReceiver<(HeaderMap, Vec<u8>)>,
    }

    /// The platform mounted as the server mounts it, and a merchant endpoint that keeps what
    /// arrives.
    async fn start() -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let public_url = format!("http://{}", listener.local_addr().unwrap());
        let clock = Clock::default();
        let platform = Arc::new(SandboxPlatform::new(memory_db().await, clock.clone(), public_url.clone()).unwrap());
        let app = Router::new().nest_service(MOUNT, router(Arc::clone(&platform)));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let (tx, inbox) = mpsc::unbounded_channel();
        let merchant = Router::new().route(
            "/notify",
            post(move |headers: HeaderMap, body: Bytes| {
                let tx = tx.clone();
                async move {
                    tx.send((headers, body.to_vec())).unwrap();
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let notify_url = format!("http://{}/notify", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, merchant).await.unwrap() });
        Running { platform, clock, public_url, notify_url, inbox }
    }

    fn new_order(run: &Running, no: &str, amount_fen: i64, valid_secs: i64) -> NewOrder {
        NewOrder {
            out_trade_no: no.into(),
            description: "诉讼费 (2026)京0105民初1号".into(),
            amount_fen,
            expires_at: run.clock.now().plus_secs(valid_secs),
            notify_url: run.notify_url.clone(),
        }
    }

    fn new_refund(run: &Running, out_trade_no: &str, out_refund_no: &str, refund_fen: i64, total_fen: i64) -> NewRefund {
        NewRefund {
            out_trade_no: out_trade_no.into(),
            out_refund_no: out_refund_no.into(),
            reason: "调解结案，减半收取案件受理费".into(),
            refund_fen,
            total_fen,
            notify_url: run.notify_url.clone(),
        }
    }

    /// An order made at the platform and paid there without a notification.
    async fn paid_order(run: &Running, gateway: &WechatPay, out_trade_no: &str, amount_fen: i64) {
        gateway.create_native(&new_order(run, out_trade_no, amount_fen, 1800)).await.unwrap();
        run.platform.pay_without_notifying(out_trade_no).await.unwrap();
    }

    /// The platform's error code.
    fn refused<T: std::fmt::Debug>(answer: Result<T, GatewayError>) -> String {
        match answer {
            Err(GatewayError::Refused { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn browser() -> reqwest::Client {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    #[test]
    fn only_a_path_on_this_site_is_carried_back() {
        assert_eq!(safe_return(Some("/pay/orders/TP00000001N00000001")), Some("/pay/orders/TP00000001N00000001"));
        assert_eq!(safe_return(Some("/pay?x=1&y=2")), Some("/pay?x=1&y=2"));
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "pay", "/a b", "/é", ""] {
            assert_eq!(safe_return(Some(bad)), None, "{bad}");
        }
        assert_eq!(safe_return(None), None);
    }

    #[test]
    fn a_transaction_id_has_twenty_eight_digits_and_the_beijing_date() {
        let id = transaction_id(UnixTime(1_796_140_800)); // 2026-12-02 00:00 Beijing
        assert_eq!(id.len(), 28);
        assert!(id.bytes().all(|b| b.is_ascii_digit()));
        assert!(id.starts_with("420020261202"), "{id}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_order_is_created_paid_once_at_the_cashier_notified_and_an_expired_one_cannot_be_paid() {
        let mut run = start().await;
        let gateway = run.platform.gateway();
        let order = new_order(&run, "TP00000001N00000001", 270_001, 1800);

        let code_url = gateway.create_native(&order).await.unwrap();
        assert_eq!(code_url, format!("{}/sandbox/wechatpay/cashier/TP00000001N00000001", run.public_url));
        assert_eq!(gateway.create_native(&order).await.unwrap(), code_url, "a retry gets the same code");
        let changed = NewOrder { amount_fen: 270_000, ..order.clone() };
        match gateway.create_native(&changed).await {
            Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "INVALID_REQUEST"),
            other => panic!("a different order under the same number: {other:?}"),
        }
        let t = gateway.query("TP00000001N00000001").await.unwrap();
        assert_eq!(t.state, TradeState::NotPay);
        assert_eq!(t.transaction_id, None);
        match gateway.query("TP00000009N00000009").await {
            Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "ORDER_NOT_EXIST"),
            other => panic!("an unknown order: {other:?}"),
        }

        let page = browser().get(format!("{code_url}?return=/pay/orders/TP00000001N00000001")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("<html lang=\"zh-Hans\">") && html.contains("<main") && html.contains("<h1>"));
        assert!(html.contains("诉讼费 (2026)京0105民初1号"));
        assert!(html.contains("data-testid=\"sandbox-pay\">确认支付 ¥2,700.01 · <span lang=\"en\">Confirm payment</span>"), "{html}");
        assert!(html.contains("name=\"return\" value=\"/pay/orders/TP00000001N00000001\""));
        assert!(!html.contains("style=") && !html.contains("<script"), "the CSP allows neither");

        let paid = browser().post(&code_url).form(&[("return", "/pay/orders/TP00000001N00000001")]).send().await.unwrap();
        assert_eq!(paid.status(), 303);
        assert_eq!(paid.headers()[header::LOCATION], "/pay/orders/TP00000001N00000001");
        let (headers, body) = run.inbox.recv().await.unwrap();
        let (id, reported) = gateway.verify_notification(&headers, &body, run.clock.now()).unwrap();
        let transaction_id = reported.transaction_id.clone().unwrap();
        assert_eq!(id, format!("EV-{transaction_id}"));
        assert_eq!(
            reported,
            Transaction {
                out_trade_no: "TP00000001N00000001".into(),
                transaction_id: Some(transaction_id.clone()),
                state: TradeState::Success,
                amount_fen: 270_001,
                currency: "CNY".into(),
            }
        );
        assert_eq!(gateway.query("TP00000001N00000001").await.unwrap(), reported, "the query says the same");

        let again = browser().post(&code_url).send().await.unwrap();
        assert_eq!(again.status(), 409);
        let html = again.text().await.unwrap();
        assert!(html.contains("data-testid=\"sandbox-state\"") && !html.contains("sandbox-pay"));
        assert!(run.inbox.try_recv().is_err(), "nothing paid, nothing notified");
        assert_eq!(gateway.query("TP00000001N00000001").await.unwrap().transaction_id, Some(transaction_id));
        match gateway.close("TP00000001N00000001").await {
            Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "ORDERPAID"),
            other => panic!("closing a paid order: {other:?}"),
        }
        match gateway.create_native(&order).await {
            Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "ORDERPAID"),
            other => panic!("ordering a paid order again: {other:?}"),
        }

        // Past its time_expire an order reads NOTPAY but takes no money, until it is closed.
        let late = new_order(&run, "TP00000002N00000002", 5_000, 60);
        let late_url = gateway.create_native(&late).await.unwrap();
        run.clock.advance(61);
        let page = browser().get(&late_url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("已过期") && !page.contains("sandbox-pay"), "{page}");
        let refused = browser().post(&late_url).send().await.unwrap();
        assert_eq!(refused.status(), 409);
        assert!(refused.text().await.unwrap().contains("data-testid=\"sandbox-state\""));
        assert!(run.platform.pay_without_notifying("TP00000002N00000002").await.is_err());
        assert_eq!(gateway.query("TP00000002N00000002").await.unwrap().state, TradeState::NotPay);
        gateway.close("TP00000002N00000002").await.unwrap();
        gateway.close("TP00000002N00000002").await.unwrap();
        assert_eq!(gateway.query("TP00000002N00000002").await.unwrap().state, TradeState::Closed);
        let page = browser().get(&late_url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("已关闭"), "{page}");
        assert!(run.inbox.try_recv().is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_notification_the_merchant_refused_is_sent_again_in_the_background() {
        let run = start().await;
        let (tx, mut inbox) = mpsc::unbounded_channel();
        let tries = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let flaky = Router::new().route(
            "/notify",
            post(move |headers: HeaderMap, body: Bytes| {
                let (tx, tries) = (tx.clone(), Arc::clone(&tries));
                async move {
                    tx.send((headers, body.to_vec())).unwrap();
                    let first = tries.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
                    if first { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::NO_CONTENT }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let notify_url = format!("http://{}/notify", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, flaky).await.unwrap() });

        let gateway = run.platform.gateway();
        let order = NewOrder { notify_url, ..new_order(&run, "TP00000004N00000004", 100, 1800) };
        let code_url = gateway.create_native(&order).await.unwrap();
        let page = browser().post(&code_url).send().await.unwrap();
        assert_eq!(page.status(), 200, "the payer is not kept waiting for the retry");
        assert!(page.text().await.unwrap().contains("will retry"));
        let (_, first) = inbox.recv().await.unwrap();
        let (headers, again) = tokio::time::timeout(Duration::from_secs(5), inbox.recv()).await.unwrap().unwrap();
        let (id, t) = gateway.verify_notification(&headers, &again, run.clock.now()).unwrap();
        assert_eq!(t.state, TradeState::Success);
        let first: Notification = serde_json::from_slice(&first).unwrap();
        assert_eq!(first.id, id, "a retry is the same event");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_and_notifications_not_signed_as_the_specification_says_are_refused() {
        let mut run = start().await;
        let gateway = run.platform.gateway();
        let order = new_order(&run, "TP00000003N00000003", 100, 1800);

        // Our requests signed with another key: the platform refuses, and says so signed.
        let mut wrong_key = gateway.config().clone();
        wrong_key.merchant_key = run.platform.platform_key.clone();
        let impostor = WechatPay::with_client(wrong_key, wechatpay::http_client().unwrap(), run.clock.clone());
        match impostor.create_native(&order).await {
            Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "SIGN_ERROR"),
            other => panic!("a request signed with the wrong key: {other:?}"),
        }
        // Answers under a platform serial we do not know are not believed.
        let mut wrong_serial = gateway.config().clone();
        wrong_serial.platform_serial = "PUB_KEY_ID_SOMEONE_ELSE".into();
        let doubter = WechatPay::with_client(wrong_serial, wechatpay::http_client().unwrap(), run.clock.clone());
        assert!(matches!(doubter.create_native(&order).await, Err(GatewayError::BadAnswer(_))));
        // Nothing at all listening: unavailable, not refused.
        let mut nowhere = gateway.config().clone();
        nowhere.api_base = "http://127.0.0.1:9/sandbox/wechatpay".into();
        let offline = WechatPay::with_client(nowhere, wechatpay::http_client().unwrap(), run.clock.clone());
        assert!(matches!(offline.query("TP00000003N00000003").await, Err(GatewayError::Unavailable(_))));

        // A helper notification verifies; changed, late or for another merchant it does not.
        let (headers, body) = run.platform.signed_notification("TP00000003N00000003", "4200000000000000000000000003", 100, "CNY", TradeState::Success);
        let (_, t) = gateway.verify_notification(&headers, &body, run.clock.now()).unwrap();
        assert_eq!((t.state, t.amount_fen, t.currency.as_str()), (TradeState::Success, 100, "CNY"));
        let mut tampered = body.clone();
        let at = tampered.iter().position(|&b| b == b'"').unwrap();
        tampered.insert(at, b' ');
        assert_eq!(gateway.verify_notification(&headers, &tampered, run.clock.now()), Err(NotifyError::BadSignature));
        assert_eq!(gateway.verify_notification(&headers, &body, run.clock.now().plus_secs(301)), Err(NotifyError::Stale));

        let foreign = WireTransaction {
            mchid: "1900000002".into(),
            ..run.platform.wire(&OrderRow {
                out_trade_no: "TP00000003N00000003".into(),
                mchid: SANDBOX_MCHID.into(),
                appid: SANDBOX_APPID.into(),
                description: "x".into(),
                amount_fen: 100,
                currency: "CNY".into(),
                notify_url: run.notify_url.clone(),
                time_expire: 0,
                state: "SUCCESS".into(),
                transaction_id: Some("4200000000000000000000000003".into()),
                success_time: Some(run.clock.now().0),
                refunded_fen: 0,
                refund_claimed_fen: 0,
            })
        };
        let body = run.platform.notification_body("EV-x", run.clock.now(), &foreign).unwrap();
        let headers = run.platform.signed(&body);
        assert!(matches!(gateway.verify_notification(&headers, &body, run.clock.now()), Err(NotifyError::Malformed(_))));

        // Paid quietly, then notified on demand: the merchant gets the same report a query gives.
        gateway.create_native(&order).await.unwrap();
        let transaction_id = run.platform.pay_without_notifying("TP00000003N00000003").await.unwrap();
        assert!(run.inbox.try_recv().is_err());
        assert!(run.platform.pay_without_notifying("TP00000003N00000003").await.is_err(), "not twice");
        assert_eq!(gateway.query("TP00000003N00000003").await.unwrap().transaction_id.as_deref(), Some(transaction_id.as_str()));
        assert_eq!(run.platform.notify("TP00000003N00000003").await.unwrap(), 204);
        let (headers, body) = run.inbox.recv().await.unwrap();
        let (_, t) = gateway.verify_notification(&headers, &body, run.clock.now()).unwrap();
        assert_eq!(t, gateway.query("TP00000003N00000003").await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refund_is_answered_processing_then_paid_out_and_notified_and_the_order_reads_refund() {
        let mut run = start().await;
        let gateway = run.platform.gateway();
        paid_order(&run, &gateway, "TP00000011N00000011", 270_001).await;
        let refund = new_refund(&run, "TP00000011N00000011", "RF00000011N00000001", 135_000, 270_001);
        let answered = gateway.refund(&refund).await.unwrap();
        assert_eq!(answered.state, RefundState::Processing);
        let refund_id = answered.refund_id.clone().unwrap();
        assert!(refund_id.len() == 29 && refund_id.starts_with("50"), "{refund_id}");
        assert_eq!(gateway.query("TP00000011N00000011").await.unwrap().state, TradeState::Refund);

        let (headers, body) = tokio::time::timeout(Duration::from_secs(5), run.inbox.recv()).await.unwrap().unwrap();
        let (id, notified) = gateway.verify_refund_notification(&headers, &body, run.clock.now()).unwrap();
        assert_eq!(id, format!("EV-{refund_id}"));
        assert_eq!(notified, RefundReport { state: RefundState::Success, ..answered });
        assert_eq!(gateway.query_refund("RF00000011N00000001").await.unwrap(), notified);
        assert_eq!(gateway.refund(&refund).await.unwrap(), notified, "asked again: the same refund, as it now stands");

        let page = browser().get(format!("{}{MOUNT}/cashier/TP00000011N00000011", run.public_url)).send().await.unwrap();
        let page = page.text().await.unwrap();
        assert!(page.contains("data-testid=\"sandbox-refunded\">已退款 ¥1,350.00"), "{page}");
        // The payment's own notification still reports the payment.
        assert_eq!(run.platform.notify("TP00000011N00000011").await.unwrap(), 204);
        let (headers, body) = run.inbox.recv().await.unwrap();
        assert_eq!(gateway.verify_notification(&headers, &body, run.clock.now()).unwrap().1.state, TradeState::Success);
        assert!(run.inbox.try_recv().is_err(), "one refund notification");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_sandbox_refuses_a_refund_above_what_is_left_and_answers_the_same_refund_for_a_repeated_number() {
        let mut run = start().await;
        let gateway = run.platform.gateway();
        run.platform.hold_refunds(true);
        paid_order(&run, &gateway, "TP00000012N00000012", 10_000).await;
        let first = new_refund(&run, "TP00000012N00000012", "RF00000012N00000001", 6_000, 10_000);
        let made = gateway.refund(&first).await.unwrap();
        assert_eq!(gateway.refund(&first).await.unwrap(), made, "a repeat is the same refund");
        let too_much = new_refund(&run, "TP00000012N00000012", "RF00000012N00000002", 4_001, 10_000);
        assert_eq!(refused(gateway.refund(&too_much).await), "NOT_ENOUGH");
        let rest = gateway.refund(&NewRefund { refund_fen: 4_000, ..too_much }).await.unwrap();
        assert_ne!(rest.refund_id, made.refund_id);
        assert_eq!(refused(gateway.refund(&new_refund(&run, "TP00000012N00000012", "RF00000012N00000003", 1, 10_000)).await), "NOT_ENOUGH");

        // Another refund under a used number, the wrong total, an unknown or an unpaid order.
        assert_eq!(refused(gateway.refund(&NewRefund { refund_fen: 5_000, ..first.clone() }).await), "INVALID_REQUEST");
        let wrong_total = new_refund(&run, "TP00000012N00000012", "RF00000012N00000004", 1, 20_000);
        assert_eq!(refused(gateway.refund(&wrong_total).await), "INVALID_REQUEST");
        assert_eq!(refused(gateway.refund(&new_refund(&run, "TP00000099N00000099", "RF00000099N00000001", 1, 100)).await), "RESOURCE_NOT_EXISTS");
        gateway.create_native(&new_order(&run, "TP00000013N00000013", 100, 1800)).await.unwrap();
        assert_eq!(refused(gateway.refund(&new_refund(&run, "TP00000013N00000013", "RF00000013N00000001", 100, 100)).await), "INVALID_REQUEST");
        assert_eq!(refused(gateway.query_refund("RF00000099N00000001").await), "RESOURCE_NOT_EXISTS");

        // Held, refunds wait for the test: a quiet success is found by query, an abnormal one is
        // notified on demand.
        tokio::time::sleep(REFUND_SETTLES_AFTER + Duration::from_millis(500)).await;
        assert_eq!(gateway.query_refund("RF00000012N00000001").await.unwrap().state, RefundState::Processing);
        assert_eq!(Some(run.platform.refund_without_notifying("RF00000012N00000001").await.unwrap()), made.refund_id);
        assert!(run.platform.refund_without_notifying("RF00000012N00000001").await.is_err(), "not twice");
        assert_eq!(gateway.query_refund("RF00000012N00000001").await.unwrap(), RefundReport { state: RefundState::Success, ..made });
        run.platform.end_refund_without_notifying("RF00000012N00000002", RefundState::Abnormal).await.unwrap();
        assert!(run.inbox.try_recv().is_err(), "nothing was sent");
        assert_eq!(run.platform.notify_refund("RF00000012N00000002").await.unwrap(), 204);
        let (headers, body) = run.inbox.recv().await.unwrap();
        let (_, report) = gateway.verify_refund_notification(&headers, &body, run.clock.now()).unwrap();
        assert_eq!(report, RefundReport { state: RefundState::Abnormal, ..rest });
        assert_eq!(refused(gateway.refund(&new_refund(&run, "TP00000012N00000012", "RF00000012N00000005", 1, 10_000)).await), "NOT_ENOUGH");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refund_requests_not_signed_by_us_are_refused_and_helper_notifications_verify_only_as_their_kind() {
        let run = start().await;
        let gateway = run.platform.gateway();
        let refund = new_refund(&run, "TP00000014N00000014", "RF00000014N00000001", 100, 100);
        let mut wrong_key = gateway.config().clone();
        wrong_key.merchant_key = run.platform.platform_key.clone();
        let impostor = WechatPay::with_client(wrong_key, wechatpay::http_client().unwrap(), run.clock.clone());
        assert_eq!(refused(impostor.refund(&refund).await), "SIGN_ERROR");
        assert_eq!(refused(impostor.query_refund("RF00000014N00000001").await), "SIGN_ERROR");
        let mut wrong_serial = gateway.config().clone();
        wrong_serial.platform_serial = "PUB_KEY_ID_SOMEONE_ELSE".into();
        let doubter = WechatPay::with_client(wrong_serial, wechatpay::http_client().unwrap(), run.clock.clone());
        assert!(matches!(doubter.query_refund("RF00000014N00000001").await, Err(GatewayError::BadAnswer(_))));

        let report = RefundReport {
            out_refund_no: "RF00000014N00000001".into(),
            out_trade_no: "TP00000014N00000014".into(),
            refund_id: Some("50300000002026120100000000001".into()),
            state: RefundState::Success,
            refund_fen: 100,
            total_fen: 100,
            currency: "CNY".into(),
        };
        let (headers, body) = run.platform.signed_refund_notification(&report);
        assert_eq!(gateway.verify_refund_notification(&headers, &body, run.clock.now()), Ok(("EV-50300000002026120100000000001".into(), report)));
        assert!(matches!(gateway.verify_notification(&headers, &body, run.clock.now()), Err(NotifyError::Malformed(_))));
        let mut tampered = body.clone();
        tampered.insert(tampered.iter().position(|&b| b == b'"').unwrap(), b' ');
        assert_eq!(gateway.verify_refund_notification(&headers, &tampered, run.clock.now()), Err(NotifyError::BadSignature));
        let (headers, body) = run.platform.signed_notification("TP00000014N00000014", "4200000000000000000000000014", 100, "CNY", TradeState::Success);
        assert!(matches!(gateway.verify_refund_notification(&headers, &body, run.clock.now()), Err(NotifyError::Malformed(_))));
    }
}
