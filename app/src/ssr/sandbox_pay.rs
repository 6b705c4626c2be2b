//! The sandbox payment platform built into the server (`TIANPING_SANDBOX=true`): a stand-in for
//! WeChat Pay that serves the same API v3 (signed requests checked, answers signed, notifications
//! signed and encrypted) with the shipped test keys, keeps its orders in `sandbox_pay_orders`,
//! and has the cashier page a phone opens by scanning an order's QR code. No money moves.
use super::clock::Clock;
use super::wechatpay::{
    self, Authorization, EncryptedResource, ErrorAnswer, Notification, WechatPay, WechatPayConfig, WireAmount, WirePayer,
    WireTransaction,
};
use crate::fees::model::{CURRENCY, TradeState};
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use rand::Rng;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::Deserialize;
use sqlx::SqlitePool;
use std::sync::Arc;
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

/// WeChat's limit on `description`, in characters.
const MAX_DESCRIPTION_CHARS: usize = 127;

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
}

const ORDER_COLUMNS: &str =
    "out_trade_no, mchid, appid, description, amount_fen, currency, notify_url, time_expire, state, transaction_id, success_time";

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
        sqlx::query_as::<_, OrderRow>(&format!("SELECT {ORDER_COLUMNS} FROM sandbox_pay_orders WHERE out_trade_no = ?"))
            .bind(out_trade_no)
            .fetch_optional(&self.db)
            .await
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
        let row = sqlx::query_as::<_, OrderRow>(&format!("SELECT {ORDER_COLUMNS} FROM sandbox_pay_orders WHERE out_trade_no = ?"))
            .bind(out_trade_no)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(match row {
            None => PayOutcome::NotFound,
            Some(row) if paid => PayOutcome::Paid(row),
            Some(row) if row.state == "SUCCESS" => PayOutcome::AlreadyPaid(row),
            Some(row) if row.state == "CLOSED" => PayOutcome::Closed(row),
            Some(row) => PayOutcome::Expired(row),
        })
    }

    /// The order as WeChat's query answers it.
    fn wire(&self, row: &OrderRow) -> WireTransaction {
        let state = TradeState::parse(&row.state).unwrap_or(TradeState::NotPay);
        let paid = state == TradeState::Success;
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

    /// The notification body for a transaction: the envelope, with the transaction sealed under
    /// the APIv3 key.
    fn notification_body(&self, id: &str, created: UnixTime, wire: &WireTransaction) -> Result<Vec<u8>, String> {
        let plain = serde_json::to_vec(wire).map_err(|e| e.to_string())?;
        let nonce = wechatpay::random_alphanumeric(12);
        let associated_data = "transaction";
        let ciphertext = wechatpay::encrypt_resource(SANDBOX_API_V3_KEY, &nonce, associated_data, &plain)?;
        let success = wire.trade_state == TradeState::Success.as_str();
        let n = Notification {
            id: id.into(),
            create_time: wechatpay::rfc3339_beijing(created),
            event_type: if success { "TRANSACTION.SUCCESS".into() } else { format!("TRANSACTION.{}", wire.trade_state) },
            resource_type: "encrypt-resource".into(),
            resource: EncryptedResource {
                algorithm: wechatpay::RESOURCE_ALGORITHM.into(),
                ciphertext,
                associated_data: associated_data.into(),
                nonce,
                original_type: "transaction".into(),
            },
            summary: if success { "支付成功".into() } else { wire.trade_state_desc.clone() },
        };
        serde_json::to_vec(&n).map_err(|e| e.to_string())
    }

    /// A paid order's notification. Its id follows from the transaction, so every retry carries
    /// the same id, as WeChat's do, and the merchant can tell a repeat from a new event.
    fn success_notification(&self, row: &OrderRow) -> Result<Vec<u8>, String> {
        let (Some(transaction_id), Some(success_time)) = (&row.transaction_id, row.success_time) else {
            return Err(format!("the sandbox order {} is not paid", row.out_trade_no));
        };
        self.notification_body(&format!("EV-{transaction_id}"), UnixTime(success_time), &self.wire(row))
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

    /// Tries again in the background a few times; the payer is not kept waiting for it.
    fn retry_later(self: &Arc<Self>, out_trade_no: String, notify_url: String, body: Vec<u8>) {
        let platform = Arc::clone(self);
        tokio::spawn(async move {
            for (attempt, delay) in RETRY_DELAYS.iter().enumerate() {
                tokio::time::sleep(*delay).await;
                match platform.deliver_once(&notify_url, &body).await {
                    Ok(status) if (200..300).contains(&status) => {
                        tracing::info!(%out_trade_no, attempt = attempt + 2, status, "sandbox payment notification delivered");
                        return;
                    }
                    Ok(status) => tracing::warn!(%out_trade_no, attempt = attempt + 2, status, "sandbox payment notification refused"),
                    Err(e) => tracing::warn!(%out_trade_no, attempt = attempt + 2, error = %e, "sandbox payment notification failed"),
                }
            }
            tracing::error!(%out_trade_no, %notify_url, "sandbox payment notification given up; the merchant must query");
        });
    }
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
    let (y, m, d) = now.beijing_ymd();
    let mut rng = rand::rng();
    let tail: String = (0..16).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect();
    format!("4200{y:04}{m:02}{d:02}{tail}")
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

/// The platform's routes, relative to where the server mounts them (`MOUNT`).
pub fn router(platform: Arc<SandboxPlatform>) -> Router {
    Router::new()
        .route("/v3/pay/transactions/native", post(create_native))
        .route("/v3/pay/transactions/out-trade-no/{out_trade_no}", get(query_order))
        .route("/v3/pay/transactions/out-trade-no/{out_trade_no}/close", post(close_order))
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

async fn create_native(
    State(p): State<Arc<SandboxPlatform>>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = p.signature_refusal(&method, &uri, &headers, &body) {
        return refused;
    }
    let param_error = |why: &str| p.refuse(StatusCode::BAD_REQUEST, "PARAM_ERROR", format!("参数错误: {why}"));
    let req: NativeRequest = match serde_json::from_slice(&body) {
        Ok(req) => req,
        Err(e) => return param_error(&e.to_string()),
    };
    if req.mchid != SANDBOX_MCHID || req.appid != SANDBOX_APPID {
        return p.refuse(StatusCode::BAD_REQUEST, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
    }
    if !wechatpay::is_wechat_out_trade_no(&req.out_trade_no) {
        return param_error("out_trade_no must be 6-32 of [A-Za-z0-9_-]");
    }
    let chars = req.description.chars().count();
    if chars == 0 || chars > MAX_DESCRIPTION_CHARS {
        return param_error("description must be 1-127 characters");
    }
    let Some(time_expire) = wechatpay::parse_rfc3339(&req.time_expire) else {
        return param_error("time_expire is not an RFC 3339 time");
    };
    if !(req.notify_url.starts_with("https://") || req.notify_url.starts_with("http://")) || req.notify_url.len() > 255 {
        return param_error("notify_url must be an http(s) URL of at most 255 characters");
    }
    if req.amount.total <= 0 {
        return param_error("amount.total must be at least 1 fen");
    }
    let currency = req.amount.currency.unwrap_or_else(|| CURRENCY.into());
    if currency != CURRENCY {
        return param_error("amount.currency must be CNY");
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
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    Path(out_trade_no): Path<String>,
    Query(q): Query<MchidQuery>,
) -> Response {
    if let Some(refused) = p.signature_refusal(&method, &uri, &headers, b"") {
        return refused;
    }
    if q.mchid.as_deref() != Some(SANDBOX_MCHID) {
        return p.refuse(StatusCode::BAD_REQUEST, "PARAM_ERROR", "参数错误: mchid");
    }
    if !wechatpay::is_wechat_out_trade_no(&out_trade_no) {
        return p.refuse(StatusCode::BAD_REQUEST, "PARAM_ERROR", "参数错误: out_trade_no");
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
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    Path(out_trade_no): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(refused) = p.signature_refusal(&method, &uri, &headers, &body) {
        return refused;
    }
    match serde_json::from_slice::<CloseRequest>(&body) {
        Ok(req) if req.mchid == SANDBOX_MCHID => {}
        _ => return p.refuse(StatusCode::BAD_REQUEST, "PARAM_ERROR", "参数错误: mchid"),
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
        "SUCCESS" => state_line("此订单已支付。", "This order has been paid.") + &transaction_line(&row),
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
            return page(StatusCode::CONFLICT, &row, &(content + &transaction_line(&row) + &back_link(back)));
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
        Ok(body) => {
            let sent = p.deliver_once(&row.notify_url, &body).await;
            let accepted = matches!(sent, Ok(status) if (200..300).contains(&status));
            if !accepted {
                tracing::warn!(out_trade_no = %row.out_trade_no, outcome = ?sent, "sandbox payment notification not accepted; retrying");
                p.retry_later(row.out_trade_no.clone(), row.notify_url.clone(), body);
            }
            accepted
        }
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
    let content = state_line("支付成功。", "Payment complete.") + &transaction_line(&row) + notified;
    page(StatusCode::OK, &row, &content)
}

fn yuan(fen: i64) -> String {
    format!("¥{}", Fen(fen).yuan())
}

fn state_line(zh: &str, en: &str) -> String {
    format!("<p data-testid=\"sandbox-state\" role=\"status\"><strong>{zh}</strong> <span lang=\"en\">{en}</span></p>")
}

fn transaction_line(row: &OrderRow) -> String {
    row.transaction_id.as_deref().map_or_else(String::new, |id| {
        format!("<p>微信支付交易号 <span lang=\"en\">Transaction</span>: <code>{}</code></p>", escape_html(id))
    })
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
    use crate::fees::model::Transaction;
    use crate::ssr::payment::{GatewayError, NewOrder, NotifyError, PaymentGateway};
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
}
