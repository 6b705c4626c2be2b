//! The payment gateway, an outside system like SMS: the trait every provider implements. The
//! WeChat Pay API v3 client (`wechatpay`) implements it; the sandbox is that same client talking
//! to the platform built into the server (`sandbox_pay`), so one code path is tested.
use super::outside::BoxFuture;
use crate::fees::model::{RefundReport, Transaction};
use crate::identity::model::UnixTime;

/// An order to create at the gateway (Native payment: the payer scans `code_url`).
#[derive(Clone, Debug)]
pub struct NewOrder {
    /// Ours, unique: `fees::model::out_trade_no`.
    pub out_trade_no: String,
    /// Shown to the payer in their payment app, e.g. `诉讼费 (2026)京0105民初1号`.
    pub description: String,
    pub amount_fen: i64,
    /// After this the gateway refuses to take the payment.
    pub expires_at: UnixTime,
    /// Where the gateway sends its signed notification.
    pub notify_url: String,
}

/// A refund to send to the gateway (WeChat Pay `POST /v3/refund/domestic/refunds`).
#[derive(Clone, Debug)]
pub struct NewRefund {
    /// The paid order it refunds.
    pub out_trade_no: String,
    /// Ours, unique: `fees::model::out_refund_no`. Sending the same one again is answered with
    /// the refund already made, never a second one.
    pub out_refund_no: String,
    /// Shown to the payer beside the refund (≤ 80 characters).
    pub reason: String,
    pub refund_fen: i64,
    /// The order's whole amount.
    pub total_fen: i64,
    /// Where the gateway sends its signed refund notification.
    pub notify_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Not reached, timed out, or answered 5xx: try again later.
    #[error("the payment gateway is unavailable: {0}")]
    Unavailable(String),
    /// The gateway answered 4xx with its error code (e.g. `ORDERPAID`, `ORDER_NOT_EXIST`).
    #[error("the payment gateway refused: {code}: {message}")]
    Refused { code: String, message: String },
    /// An answer whose signature does not verify, or that cannot be read.
    #[error("the payment gateway's answer cannot be trusted: {0}")]
    BadAnswer(String),
}

/// Why a notification was refused before it could change anything.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    #[error("the notification lacks the header {0}")]
    MissingHeader(&'static str),
    #[error("the notification's timestamp is too far from now")]
    Stale,
    #[error("the notification is signed with an unknown certificate serial")]
    UnknownSerial,
    #[error("the notification's signature does not verify")]
    BadSignature,
    #[error("the notification's resource cannot be decrypted")]
    Decrypt,
    #[error("the notification cannot be read: {0}")]
    Malformed(String),
}

/// A payment provider.
pub trait PaymentGateway: Send + Sync {
    /// Creates a Native-payment order and gives its `code_url`, to show as a QR code.
    fn create_native<'a>(&'a self, order: &'a NewOrder) -> BoxFuture<'a, Result<String, GatewayError>>;

    /// Asks how an order stands (reconciliation when no notification came).
    fn query<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<Transaction, GatewayError>>;

    /// Closes an unpaid order so its code can no longer be paid.
    fn close<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<(), GatewayError>>;

    /// Verifies a notification's signature and freshness and decrypts what it reports, together
    /// with the notification's own id (for the log). Nothing is trusted before this returns Ok.
    fn verify_notification(&self, headers: &http::HeaderMap, body: &[u8], now: UnixTime) -> Result<(String, Transaction), NotifyError>;

    /// Asks for money back to the payer of a paid order; answers how the refund stands (usually
    /// PROCESSING; the outcome comes by notification or query).
    fn refund<'a>(&'a self, refund: &'a NewRefund) -> BoxFuture<'a, Result<RefundReport, GatewayError>>;

    /// Asks how a refund stands (reconciliation when no notification came).
    fn query_refund<'a>(&'a self, out_refund_no: &'a str) -> BoxFuture<'a, Result<RefundReport, GatewayError>>;

    /// Verifies a refund notification (`REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`) as
    /// `verify_notification` does a payment's, and decrypts what it reports.
    fn verify_refund_notification(&self, headers: &http::HeaderMap, body: &[u8], now: UnixTime) -> Result<(String, RefundReport), NotifyError>;
}

/// For deployments without a payment contract: every call fails plainly.
pub struct NoGateway;

impl PaymentGateway for NoGateway {
    fn create_native<'a>(&'a self, _: &'a NewOrder) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async { Err(GatewayError::Unavailable("no payment gateway is configured".into())) })
    }

    fn query<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Transaction, GatewayError>> {
        Box::pin(async { Err(GatewayError::Unavailable("no payment gateway is configured".into())) })
    }

    fn close<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async { Err(GatewayError::Unavailable("no payment gateway is configured".into())) })
    }

    fn verify_notification(&self, _: &http::HeaderMap, _: &[u8], _: UnixTime) -> Result<(String, Transaction), NotifyError> {
        Err(NotifyError::UnknownSerial)
    }

    fn refund<'a>(&'a self, _: &'a NewRefund) -> BoxFuture<'a, Result<RefundReport, GatewayError>> {
        Box::pin(async { Err(GatewayError::Unavailable("no payment gateway is configured".into())) })
    }

    fn query_refund<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<RefundReport, GatewayError>> {
        Box::pin(async { Err(GatewayError::Unavailable("no payment gateway is configured".into())) })
    }

    fn verify_refund_notification(&self, _: &http::HeaderMap, _: &[u8], _: UnixTime) -> Result<(String, RefundReport), NotifyError> {
        Err(NotifyError::UnknownSerial)
    }
}
