//! The WeChat Pay API v3 protocol and the client that speaks it for Native payments and their
//! refunds: signed requests (SHA256withRSA), signed answers and notifications, AEAD_AES_256_GCM
//! resources, and the RFC 3339 times the API writes. The built-in sandbox (`sandbox_pay`) serves
//! the same protocol with these functions, so both sides of every signature are tested here.
use super::clock::Clock;
use super::outside::BoxFuture;
use super::payment::{GatewayError, NewOrder, NewRefund, NotifyError, PaymentGateway};
use crate::fees::model::{CURRENCY, RefundReport, RefundState, TradeState, Transaction};
use crate::identity::model::UnixTime;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{HeaderMap, HeaderName, HeaderValue};
use rand::Rng;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::time::Duration;

/// The signature scheme, as it opens the `Authorization` header and fills
/// `Wechatpay-Signature-Type`.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// How far a signed timestamp may be from our clock; the specification's replay window.
pub const MAX_SKEW_SECS: i64 = 300;

/// The algorithm of every encrypted resource.
pub const RESOURCE_ALGORITHM: &str = "AEAD_AES_256_GCM";

/// The production endpoint.
pub const API_BASE: &str = "https://api.mch.weixin.qq.com";

// Header names as `http` keeps them (lower case); WeChat writes them `Wechatpay-Timestamp`, ….
pub const HEADER_TIMESTAMP: &str = "wechatpay-timestamp";
pub const HEADER_NONCE: &str = "wechatpay-nonce";
pub const HEADER_SIGNATURE: &str = "wechatpay-signature";
pub const HEADER_SERIAL: &str = "wechatpay-serial";
pub const HEADER_SIGNATURE_TYPE: &str = "wechatpay-signature-type";

/// Long enough for a slow answer across the internet, short enough that a person waiting for a
/// QR code is told to try again rather than left staring at a spinner.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// Keys and signatures

/// Signing failed: only a key too small for SHA-256 does that, and keys are checked at load.
#[derive(Debug, thiserror::Error)]
#[error("signing failed: {0}")]
pub struct SignError(String);

/// A PKCS#8 `BEGIN PRIVATE KEY` PEM, at least 2048 bits (the scheme's name promises RSA2048).
pub fn private_key_from_pem(pem: &str) -> Result<RsaPrivateKey, String> {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    let key = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| format!("not a PKCS#8 RSA private key: {e}"))?;
    if key.size() < 256 {
        return Err(format!("the RSA key has {} bits; WeChat Pay needs 2048", key.size() * 8));
    }
    Ok(key)
}

/// A `BEGIN PUBLIC KEY` PEM (SubjectPublicKeyInfo), as WeChat Pay hands out its platform public
/// key (`PUB_KEY_ID_…`).
pub fn public_key_from_pem(pem: &str) -> Result<RsaPublicKey, String> {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let key = RsaPublicKey::from_public_key_pem(pem).map_err(|e| format!("not an RSA public key: {e}"))?;
    if key.size() < 256 {
        return Err(format!("the RSA key has {} bits; WeChat Pay needs 2048", key.size() * 8));
    }
    Ok(key)
}

/// The APIv3 key as the merchant console shows it: exactly 32 ASCII characters, used as the
/// AES-256 key byte for byte.
pub fn api_v3_key(raw: &str) -> Result<[u8; 32], String> {
    let raw = raw.trim();
    if !raw.is_ascii() {
        return Err("the APIv3 key must be ASCII".into());
    }
    <[u8; 32]>::try_from(raw.as_bytes()).map_err(|_| format!("the APIv3 key must be 32 characters, not {}", raw.len()))
}

/// SHA256withRSA (PKCS#1 v1.5) in base64. The padding is deterministic; the RNG only blinds the
/// private-key operation so its timing does not leak the key, and does not change the result.
pub fn sign(key: &RsaPrivateKey, message: &[u8]) -> Result<String, SignError> {
    let signer = SigningKey::<Sha256>::new(key.clone());
    let signature = signer
        .try_sign_with_rng(&mut rsa::rand_core::OsRng, message)
        .map_err(|e| SignError(e.to_string()))?;
    Ok(BASE64.encode(signature.to_bytes()))
}

/// Whether `signature` (base64) is the key's SHA256withRSA signature of `message`.
pub fn verify(key: &RsaPublicKey, message: &[u8], signature: &str) -> bool {
    let Ok(raw) = BASE64.decode(signature.trim()) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(raw.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(key.clone()).verify(message, &signature).is_ok()
}

/// What a merchant signs for a request: `METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n`.
/// The path is the request URL without scheme and host, exactly as sent.
pub fn request_message(method: &str, path_with_query: &str, timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{method}\n{path_with_query}\n{timestamp}\n{nonce}\n").into_bytes();
    m.extend_from_slice(body);
    m.push(b'\n');
    m
}

/// What the platform signs for an answer or a notification: `TIMESTAMP\nNONCE\nBODY\n`.
pub fn answer_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{timestamp}\n{nonce}\n").into_bytes();
    m.extend_from_slice(body);
    m.push(b'\n');
    m
}

/// The parts of a request's `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",…` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    pub mchid: String,
    pub nonce_str: String,
    pub signature: String,
    /// Kept as sent: the signature covers the digits as written.
    pub timestamp: String,
    pub serial_no: String,
}

impl Authorization {
    /// Signs a request as merchant `mchid` with the key whose certificate serial is `serial_no`.
    #[allow(clippy::too_many_arguments)] // the specification's fields, each named where it is called
    pub fn sign(
        mchid: &str,
        serial_no: &str,
        key: &RsaPrivateKey,
        method: &str,
        path_with_query: &str,
        timestamp: i64,
        nonce: &str,
        body: &[u8],
    ) -> Result<Authorization, SignError> {
        let timestamp = timestamp.to_string();
        let signature = sign(key, &request_message(method, path_with_query, &timestamp, nonce, body))?;
        Ok(Authorization {
            mchid: mchid.to_string(),
            nonce_str: nonce.to_string(),
            signature,
            timestamp,
            serial_no: serial_no.to_string(),
        })
    }

    /// The header value.
    pub fn header(&self) -> String {
        format!(
            "{SCHEME} mchid=\"{}\",nonce_str=\"{}\",signature=\"{}\",timestamp=\"{}\",serial_no=\"{}\"",
            self.mchid, self.nonce_str, self.signature, self.timestamp, self.serial_no
        )
    }

    /// Reads a header value. Every field must be present once, quoted; unknown fields are
    /// refused too, so a header we do not fully understand is never half-trusted.
    pub fn parse(header: &str) -> Result<Authorization, String> {
        let rest = header
            .trim()
            .strip_prefix(SCHEME)
            .filter(|r| r.starts_with(' '))
            .ok_or_else(|| format!("the Authorization scheme is not {SCHEME}"))?;
        let mut fields: [(&str, Option<String>); 5] =
            [("mchid", None), ("nonce_str", None), ("signature", None), ("timestamp", None), ("serial_no", None)];
        for part in rest.split(',') {
            let (name, value) = part.trim().split_once('=').ok_or_else(|| format!("a field without a value: {part}"))?;
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .filter(|v| !v.contains('"'))
                .ok_or_else(|| format!("the field {name} is not quoted"))?;
            let slot = fields
                .iter_mut()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| format!("an unknown field: {name}"))?;
            if slot.1.replace(value.to_string()).is_some() {
                return Err(format!("the field {name} appears twice"));
            }
        }
        let [mchid, nonce_str, signature, timestamp, serial_no] =
            fields.map(|(name, value)| value.filter(|v| !v.is_empty()).ok_or(name));
        let missing = |name: &str| format!("the field {name} is missing");
        Ok(Authorization {
            mchid: mchid.map_err(missing)?,
            nonce_str: nonce_str.map_err(missing)?,
            signature: signature.map_err(missing)?,
            timestamp: timestamp.map_err(missing)?,
            serial_no: serial_no.map_err(missing)?,
        })
    }

    /// Whether this header signs exactly this request with `key`.
    pub fn verifies(&self, key: &RsaPublicKey, method: &str, path_with_query: &str, body: &[u8]) -> bool {
        verify(key, &request_message(method, path_with_query, &self.timestamp, &self.nonce_str, body), &self.signature)
    }

    /// Whether the timestamp is a number within the replay window of `now`.
    pub fn is_fresh(&self, now: UnixTime) -> bool {
        self.timestamp.parse::<i64>().is_ok_and(|t| now.0.abs_diff(t) <= MAX_SKEW_SECS as u64)
    }
}

/// The `Wechatpay-*` headers that sign an answer or a notification body.
pub fn signed_headers(key: &RsaPrivateKey, serial: &str, timestamp: i64, nonce: &str, body: &[u8]) -> Result<HeaderMap, SignError> {
    let timestamp = timestamp.to_string();
    let signature = sign(key, &answer_message(&timestamp, nonce, body))?;
    let mut headers = HeaderMap::new();
    for (name, value) in [
        (HEADER_TIMESTAMP, timestamp.as_str()),
        (HEADER_NONCE, nonce),
        (HEADER_SIGNATURE, signature.as_str()),
        (HEADER_SERIAL, serial),
        (HEADER_SIGNATURE_TYPE, SCHEME),
    ] {
        let value = HeaderValue::from_str(value).map_err(|_| SignError(format!("{name} is not a valid header value")))?;
        headers.insert(HeaderName::from_static(name), value);
    }
    Ok(headers)
}

/// Checks that `body` was signed by the platform key `serial` names, within the replay window.
/// For answers and notifications alike: nothing in the body is read before this returns Ok.
pub fn verify_signed(headers: &HeaderMap, body: &[u8], now: UnixTime, serial: &str, key: &RsaPublicKey) -> Result<(), NotifyError> {
    let get = |name: &str, shown: &'static str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or(NotifyError::MissingHeader(shown))
    };
    let timestamp = get(HEADER_TIMESTAMP, "Wechatpay-Timestamp")?;
    let nonce = get(HEADER_NONCE, "Wechatpay-Nonce")?;
    let signature = get(HEADER_SIGNATURE, "Wechatpay-Signature")?;
    let their_serial = get(HEADER_SERIAL, "Wechatpay-Serial")?;
    // Older answers omit the type; one that names another scheme is not ours to verify.
    if let Some(kind) = headers.get(HEADER_SIGNATURE_TYPE)
        && kind.as_bytes() != SCHEME.as_bytes()
    {
        return Err(NotifyError::BadSignature);
    }
    if their_serial != serial {
        return Err(NotifyError::UnknownSerial);
    }
    let sent: i64 = timestamp
        .parse()
        .map_err(|_| NotifyError::Malformed("Wechatpay-Timestamp is not a number".into()))?;
    if now.0.abs_diff(sent) > MAX_SKEW_SECS as u64 {
        return Err(NotifyError::Stale);
    }
    if !verify(key, &answer_message(timestamp, nonce, body), signature) {
        return Err(NotifyError::BadSignature);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Encrypted resources (AEAD_AES_256_GCM with the APIv3 key)

/// Encrypts a notification resource as WeChat Pay does: base64 of ciphertext followed by the
/// 16-byte tag. `nonce` is 12 bytes (WeChat sends 12 ASCII characters).
pub fn encrypt_resource(api_v3_key: &[u8; 32], nonce: &str, associated_data: &str, plaintext: &[u8]) -> Result<String, String> {
    if nonce.len() != 12 {
        return Err(format!("the resource nonce must be 12 bytes, not {}", nonce.len()));
    }
    let cipher = Aes256Gcm::new(api_v3_key.into());
    let sealed = cipher
        .encrypt(Nonce::from_slice(nonce.as_bytes()), Payload { msg: plaintext, aad: associated_data.as_bytes() })
        .map_err(|_| "AES-GCM encryption failed".to_string())?;
    Ok(BASE64.encode(sealed))
}

/// The plaintext of a resource, if the tag proves it was sealed with our APIv3 key, this nonce
/// and this associated data.
pub fn decrypt_resource(api_v3_key: &[u8; 32], nonce: &str, associated_data: &str, ciphertext: &str) -> Result<Vec<u8>, NotifyError> {
    if nonce.len() != 12 {
        return Err(NotifyError::Decrypt);
    }
    let sealed = BASE64.decode(ciphertext.trim()).map_err(|_| NotifyError::Decrypt)?;
    if sealed.len() < 16 {
        return Err(NotifyError::Decrypt);
    }
    let cipher = Aes256Gcm::new(api_v3_key.into());
    cipher
        .decrypt(Nonce::from_slice(nonce.as_bytes()), Payload { msg: &sealed, aad: associated_data.as_bytes() })
        .map_err(|_| NotifyError::Decrypt)
}

// ---------------------------------------------------------------------------------------------
// What goes over the wire

/// A notification as WeChat Pay posts it to `notify_url`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub create_time: String,
    pub event_type: String,
    pub resource_type: String,
    pub resource: EncryptedResource,
    #[serde(default)]
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EncryptedResource {
    pub algorithm: String,
    pub ciphertext: String,
    #[serde(default)]
    pub associated_data: String,
    pub nonce: String,
    pub original_type: String,
}

/// A transaction as the query answers it and a notification's resource carries it. Fields we do
/// not use (attach, scene_info, promotion_detail) are ignored when read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WireTransaction {
    pub appid: String,
    pub mchid: String,
    pub out_trade_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_type: Option<String>,
    pub trade_state: String,
    #[serde(default)]
    pub trade_state_desc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<WirePayer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireAmount>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WirePayer {
    pub openid: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct WireAmount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_currency: Option<String>,
}

/// An error answer (4xx), e.g. `{"code":"ORDERPAID","message":"该订单已支付"}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorAnswer {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

impl WireTransaction {
    /// Our view of it, provided it is about our merchant and app. A successful payment must say
    /// what was paid; for any other state the amount is not used (`Order::settle` looks at it only
    /// on success), and WeChat may leave it out.
    pub fn into_transaction(self, mchid: &str, appid: &str) -> Result<Transaction, String> {
        if self.mchid != mchid {
            return Err(format!("the transaction is for merchant {}, not ours", self.mchid));
        }
        if self.appid != appid {
            return Err(format!("the transaction is for app {}, not ours", self.appid));
        }
        let state = TradeState::parse(&self.trade_state).ok_or_else(|| format!("an unknown trade_state {}", self.trade_state))?;
        let amount = self.amount.unwrap_or_default();
        let (amount_fen, currency) = match (amount.total, amount.currency) {
            (Some(total), Some(currency)) => (total, currency),
            (Some(total), None) => (total, CURRENCY.to_string()),
            _ if state == TradeState::Success => return Err("a successful transaction without its amount".into()),
            _ => (0, CURRENCY.to_string()),
        };
        Ok(Transaction {
            out_trade_no: self.out_trade_no,
            transaction_id: self.transaction_id.filter(|id| !id.is_empty()),
            state,
            amount_fen,
            currency,
        })
    }
}

/// What a notification reports on. Payments and refunds are sent to different URLs; one that
/// arrives where the other is expected is a misconfiguration, never an event to act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    Transaction,
    Refund,
}

impl NotificationKind {
    /// The resource's `original_type` (WeChat uses the same word as its `associated_data`).
    pub fn original_type(self) -> &'static str {
        match self {
            NotificationKind::Transaction => "transaction",
            NotificationKind::Refund => "refund",
        }
    }

    /// How its `event_type`s begin: `TRANSACTION.SUCCESS`, `REFUND.ABNORMAL`, …
    pub fn event_prefix(self) -> &'static str {
        match self {
            NotificationKind::Transaction => "TRANSACTION.",
            NotificationKind::Refund => "REFUND.",
        }
    }
}

/// A notification as the platform sends one: `plain` sealed under the APIv3 key with a fresh
/// nonce, in the envelope, its event `{prefix}{outcome}` (`TRANSACTION.SUCCESS`, …). The sandbox
/// sends these; tests make them.
pub fn seal_notification(
    api_v3_key: &[u8; 32],
    kind: NotificationKind,
    id: &str,
    created: UnixTime,
    outcome: &str,
    summary: &str,
    plain: &[u8],
) -> Result<Notification, String> {
    let nonce = random_alphanumeric(12);
    let ciphertext = encrypt_resource(api_v3_key, &nonce, kind.original_type(), plain)?;
    Ok(Notification {
        id: id.into(),
        create_time: rfc3339_beijing(created),
        event_type: format!("{}{outcome}", kind.event_prefix()),
        resource_type: "encrypt-resource".into(),
        resource: EncryptedResource {
            algorithm: RESOURCE_ALGORITHM.into(),
            ciphertext,
            associated_data: kind.original_type().into(),
            nonce,
            original_type: kind.original_type().into(),
        },
        summary: summary.into(),
    })
}

/// WeChat's limit on a refund's `reason`, in characters.
pub const MAX_REFUND_REASON_CHARS: usize = 80;

/// A refund request (`POST /v3/refund/domestic/refunds`), as we send it and the sandbox reads it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WireRefundRequest {
    pub out_trade_no: String,
    pub out_refund_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_url: Option<String>,
    pub amount: WireRefundRequestAmount,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WireRefundRequestAmount {
    pub refund: i64,
    pub total: i64,
    pub currency: String,
}

/// A refund as the refund API answers it and a refund notification's resource carries it. The
/// answer writes the state as `status`, a notification as `refund_status` (and names the
/// merchant). Fields we do not use (funds_account, promotion_detail, amount.from, …) are ignored
/// when read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WireRefund {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mchid: Option<String>,
    pub refund_id: String,
    pub out_refund_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    pub out_trade_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_received_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_status: Option<String>,
    pub amount: WireRefundAmount,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct WireRefundAmount {
    pub total: i64,
    pub refund: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_refund: Option<i64>,
    /// Left out of notifications, which are in CNY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl WireRefund {
    /// Our view of it. `notified` says where the state is: a notification's `refund_status`, or
    /// an answer's `status`.
    pub fn into_report(self, notified: bool) -> Result<RefundReport, String> {
        let (field, raw) = if notified { ("refund_status", self.refund_status) } else { ("status", self.status) };
        let raw = raw.ok_or_else(|| format!("a refund without its {field}"))?;
        let state = RefundState::parse(&raw).ok_or_else(|| format!("an unknown refund {field} {raw}"))?;
        Ok(RefundReport {
            out_refund_no: self.out_refund_no,
            out_trade_no: self.out_trade_no,
            refund_id: Some(self.refund_id).filter(|id| !id.trim().is_empty()),
            state,
            refund_fen: self.amount.refund,
            total_fen: self.amount.total,
            currency: self.amount.currency.unwrap_or_else(|| CURRENCY.to_string()),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The client

/// One merchant's WeChat Pay account. Every field is configuration (per court); the keys are
/// never logged.
#[derive(Clone)]
pub struct WechatPayConfig {
    /// `https://api.mch.weixin.qq.com`, or the sandbox's `{public_url}/sandbox/wechatpay`.
    pub api_base: String,
    pub mchid: String,
    pub appid: String,
    /// The serial number of the merchant API certificate whose key signs our requests.
    pub merchant_serial: String,
    pub merchant_key: RsaPrivateKey,
    /// The serial (or `PUB_KEY_ID_…`) the platform signs answers and notifications under.
    pub platform_serial: String,
    pub platform_key: RsaPublicKey,
    /// Decrypts notification resources.
    pub api_v3_key: [u8; 32],
}

impl std::fmt::Debug for WechatPayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WechatPayConfig")
            .field("api_base", &self.api_base)
            .field("mchid", &self.mchid)
            .field("appid", &self.appid)
            .field("merchant_serial", &self.merchant_serial)
            .field("platform_serial", &self.platform_serial)
            .finish_non_exhaustive()
    }
}

/// The WeChat Pay API v3 client for Native payments.
#[derive(Clone, Debug)]
pub struct WechatPay {
    config: WechatPayConfig,
    http: reqwest::Client,
    clock: Clock,
}

/// An answer whose signature has been verified.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// The HTTP client the gateway uses: short timeouts, and no redirects (a signed API answers
/// where it was asked).
pub fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(HTTP_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Tianping/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the payment HTTP client: {e}"))
}

/// Order numbers go into URL paths: only the shape WeChat allows (6–32 of `[A-Za-z0-9_-]`).
pub fn is_wechat_out_trade_no(raw: &str) -> bool {
    (6..=32).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Refund numbers go into URL paths too: only the shape WeChat allows (1–64 of
/// `[A-Za-z0-9_-|*@]`).
pub fn is_wechat_out_refund_no(raw: &str) -> bool {
    (1..=64).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b))
}

/// A request we will not send, refused as the platform would refuse it.
fn param_error(message: String) -> GatewayError {
    GatewayError::Refused { code: "PARAM_ERROR".into(), message }
}

impl WechatPay {
    pub fn new(config: WechatPayConfig, clock: Clock) -> Result<WechatPay, String> {
        Ok(WechatPay::with_client(config, http_client()?, clock))
    }

    /// With an HTTP client that already exists (clients share their connection pool).
    pub fn with_client(config: WechatPayConfig, http: reqwest::Client, clock: Clock) -> WechatPay {
        WechatPay { config, http, clock }
    }

    pub fn config(&self) -> &WechatPayConfig {
        &self.config
    }

    /// Sends one signed request and verifies the answer's signature. 2xx answers are returned;
    /// a 4xx becomes `Refused` with the platform's code.
    async fn call(&self, method: reqwest::Method, path_with_query: &str, body: Option<String>) -> Result<Answer, GatewayError> {
        let url = format!("{}{path_with_query}", self.config.api_base.trim_end_matches('/'));
        let url = reqwest::Url::parse(&url).map_err(|e| GatewayError::Unavailable(format!("bad gateway URL {url}: {e}")))?;
        // The signature covers the URL as sent, minus scheme and host: a path prefix on
        // `api_base` (the sandbox's mount) is part of it.
        let signed_path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let body = body.unwrap_or_default();
        let auth = Authorization::sign(
            &self.config.mchid,
            &self.config.merchant_serial,
            &self.config.merchant_key,
            method.as_str(),
            &signed_path,
            self.clock.now().0,
            &nonce_str(),
            body.as_bytes(),
        )
        .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        let mut request = self
            .http
            .request(method, url)
            .header(http::header::AUTHORIZATION, auth.header())
            .header(http::header::ACCEPT, "application/json");
        if !body.is_empty() {
            request = request.header(http::header::CONTENT_TYPE, "application/json").body(body);
        }
        let response = request.send().await.map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| GatewayError::Unavailable(e.to_string()))?.to_vec();
        // Proxies and load balancers answer 5xx without WeChat's signature: retry later.
        if status >= 500 {
            return Err(GatewayError::Unavailable(format!("the gateway answered HTTP {status}")));
        }
        verify_signed(&headers, &body, self.clock.now(), &self.config.platform_serial, &self.config.platform_key)
            .map_err(|e| GatewayError::BadAnswer(format!("HTTP {status}: {e}")))?;
        match status {
            200..=299 => Ok(Answer { status, body }),
            400..=499 => {
                let e: ErrorAnswer = serde_json::from_slice(&body)
                    .map_err(|e| GatewayError::BadAnswer(format!("HTTP {status} without an error code: {e}")))?;
                Err(GatewayError::Refused { code: e.code, message: e.message })
            }
            _ => Err(GatewayError::BadAnswer(format!("unexpected HTTP {status}"))),
        }
    }

    fn checked_out_trade_no(out_trade_no: &str) -> Result<(), GatewayError> {
        if is_wechat_out_trade_no(out_trade_no) {
            Ok(())
        } else {
            Err(param_error(format!("not an out_trade_no: {out_trade_no:?}")))
        }
    }

    fn checked_out_refund_no(out_refund_no: &str) -> Result<(), GatewayError> {
        if is_wechat_out_refund_no(out_refund_no) {
            Ok(())
        } else {
            Err(param_error(format!("not an out_refund_no: {out_refund_no:?}")))
        }
    }

    async fn create_native_order(&self, order: &NewOrder) -> Result<String, GatewayError> {
        Self::checked_out_trade_no(&order.out_trade_no)?;
        let body = serde_json::json!({
            "appid": self.config.appid,
            "mchid": self.config.mchid,
            "description": order.description,
            "out_trade_no": order.out_trade_no,
            "time_expire": rfc3339_beijing(order.expires_at),
            "notify_url": order.notify_url,
            "amount": { "total": order.amount_fen, "currency": CURRENCY },
        });
        let answer = self.call(reqwest::Method::POST, "/v3/pay/transactions/native", Some(body.to_string())).await?;
        #[derive(Deserialize)]
        struct Created {
            code_url: String,
        }
        let created: Created = serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::BadAnswer(format!("HTTP {} without a code_url: {e}", answer.status)))?;
        if created.code_url.trim().is_empty() {
            return Err(GatewayError::BadAnswer("an empty code_url".into()));
        }
        Ok(created.code_url)
    }

    async fn query_order(&self, out_trade_no: &str) -> Result<Transaction, GatewayError> {
        Self::checked_out_trade_no(out_trade_no)?;
        let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}?mchid={}", self.config.mchid);
        let answer = self.call(reqwest::Method::GET, &path, None).await?;
        let wire: WireTransaction =
            serde_json::from_slice(&answer.body).map_err(|e| GatewayError::BadAnswer(format!("an unreadable transaction: {e}")))?;
        if wire.out_trade_no != out_trade_no {
            return Err(GatewayError::BadAnswer(format!("asked about {out_trade_no}, answered about {}", wire.out_trade_no)));
        }
        wire.into_transaction(&self.config.mchid, &self.config.appid).map_err(GatewayError::BadAnswer)
    }

    async fn close_order(&self, out_trade_no: &str) -> Result<(), GatewayError> {
        Self::checked_out_trade_no(out_trade_no)?;
        let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}/close");
        let body = serde_json::json!({ "mchid": self.config.mchid });
        self.call(reqwest::Method::POST, &path, Some(body.to_string())).await.map(|_| ())
    }

    async fn request_refund(&self, refund: &NewRefund) -> Result<RefundReport, GatewayError> {
        Self::checked_out_trade_no(&refund.out_trade_no)?;
        Self::checked_out_refund_no(&refund.out_refund_no)?;
        if refund.refund_fen <= 0 || refund.refund_fen > refund.total_fen {
            return Err(param_error(format!("a refund of {} fen out of an order of {}", refund.refund_fen, refund.total_fen)));
        }
        if refund.reason.chars().count() > MAX_REFUND_REASON_CHARS {
            return Err(param_error(format!("a refund reason longer than {MAX_REFUND_REASON_CHARS} characters")));
        }
        let request = WireRefundRequest {
            out_trade_no: refund.out_trade_no.clone(),
            out_refund_no: refund.out_refund_no.clone(),
            reason: Some(refund.reason.clone()).filter(|r| !r.trim().is_empty()),
            notify_url: Some(refund.notify_url.clone()).filter(|u| !u.trim().is_empty()),
            amount: WireRefundRequestAmount { refund: refund.refund_fen, total: refund.total_fen, currency: CURRENCY.into() },
        };
        let body = serde_json::to_string(&request).map_err(|e| GatewayError::Unavailable(format!("cannot write the refund request: {e}")))?;
        let answer = self.call(reqwest::Method::POST, "/v3/refund/domestic/refunds", Some(body)).await?;
        let report = Self::refund_answer(&answer, &refund.out_refund_no)?;
        if report.out_trade_no != refund.out_trade_no {
            return Err(GatewayError::BadAnswer(format!("refunded {}, answered about {}", refund.out_trade_no, report.out_trade_no)));
        }
        Ok(report)
    }

    async fn query_refund_no(&self, out_refund_no: &str) -> Result<RefundReport, GatewayError> {
        Self::checked_out_refund_no(out_refund_no)?;
        let answer = self.call(reqwest::Method::GET, &format!("/v3/refund/domestic/refunds/{out_refund_no}"), None).await?;
        Self::refund_answer(&answer, out_refund_no)
    }

    /// A refund answer, provided it is about the refund asked about.
    fn refund_answer(answer: &Answer, out_refund_no: &str) -> Result<RefundReport, GatewayError> {
        let wire: WireRefund = serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::BadAnswer(format!("HTTP {} with an unreadable refund: {e}", answer.status)))?;
        if wire.out_refund_no != out_refund_no {
            return Err(GatewayError::BadAnswer(format!("asked about {out_refund_no}, answered about {}", wire.out_refund_no)));
        }
        wire.into_report(false).map_err(GatewayError::BadAnswer)
    }

    /// Verifies a notification and decrypts its resource, provided it reports on `kind`. Nothing
    /// in the body is read before its signature verifies.
    fn open_notification(&self, kind: NotificationKind, headers: &HeaderMap, body: &[u8], now: UnixTime) -> Result<(Notification, Vec<u8>), NotifyError> {
        verify_signed(headers, body, now, &self.config.platform_serial, &self.config.platform_key)?;
        let n: Notification = serde_json::from_slice(body).map_err(|e| NotifyError::Malformed(format!("not a notification: {e}")))?;
        if n.resource_type != "encrypt-resource" || n.resource.algorithm != RESOURCE_ALGORITHM {
            return Err(NotifyError::Malformed(format!("a resource {} sealed with {}", n.resource_type, n.resource.algorithm)));
        }
        if n.resource.original_type != kind.original_type() || !n.event_type.starts_with(kind.event_prefix()) {
            return Err(NotifyError::Malformed(format!(
                "a {} notification about a {} where a {} was expected",
                n.event_type,
                n.resource.original_type,
                kind.original_type()
            )));
        }
        let plain = decrypt_resource(&self.config.api_v3_key, &n.resource.nonce, &n.resource.associated_data, &n.resource.ciphertext)?;
        Ok((n, plain))
    }

    fn verify_and_decrypt(&self, headers: &HeaderMap, body: &[u8], now: UnixTime) -> Result<(String, Transaction), NotifyError> {
        let (n, plain) = self.open_notification(NotificationKind::Transaction, headers, body, now)?;
        let wire: WireTransaction =
            serde_json::from_slice(&plain).map_err(|e| NotifyError::Malformed(format!("an unreadable transaction: {e}")))?;
        let t = wire.into_transaction(&self.config.mchid, &self.config.appid).map_err(NotifyError::Malformed)?;
        Ok((n.id, t))
    }

    fn verify_and_decrypt_refund(&self, headers: &HeaderMap, body: &[u8], now: UnixTime) -> Result<(String, RefundReport), NotifyError> {
        let (n, plain) = self.open_notification(NotificationKind::Refund, headers, body, now)?;
        let wire: WireRefund = serde_json::from_slice(&plain).map_err(|e| NotifyError::Malformed(format!("an unreadable refund: {e}")))?;
        if wire.mchid.as_deref() != Some(self.config.mchid.as_str()) {
            return Err(NotifyError::Malformed(format!("the refund is for merchant {:?}, not ours", wire.mchid)));
        }
        let report = wire.into_report(true).map_err(NotifyError::Malformed)?;
        // The event names the outcome as well; a notification that says two things is not believed.
        if n.event_type != format!("{}{}", NotificationKind::Refund.event_prefix(), report.state.as_str()) {
            return Err(NotifyError::Malformed(format!("a {} notification of a {} refund", n.event_type, report.state.as_str())));
        }
        Ok((n.id, report))
    }
}

impl PaymentGateway for WechatPay {
    fn create_native<'a>(&'a self, order: &'a NewOrder) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(self.create_native_order(order))
    }

    fn query<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<Transaction, GatewayError>> {
        Box::pin(self.query_order(out_trade_no))
    }

    fn close<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(self.close_order(out_trade_no))
    }

    fn verify_notification(&self, headers: &HeaderMap, body: &[u8], now: UnixTime) -> Result<(String, Transaction), NotifyError> {
        self.verify_and_decrypt(headers, body, now)
    }

    fn refund<'a>(&'a self, refund: &'a NewRefund) -> BoxFuture<'a, Result<RefundReport, GatewayError>> {
        Box::pin(self.request_refund(refund))
    }

    fn query_refund<'a>(&'a self, out_refund_no: &'a str) -> BoxFuture<'a, Result<RefundReport, GatewayError>> {
        Box::pin(self.query_refund_no(out_refund_no))
    }

    fn verify_refund_notification(&self, headers: &HeaderMap, body: &[u8], now: UnixTime) -> Result<(String, RefundReport), NotifyError> {
        self.verify_and_decrypt_refund(headers, body, now)
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/// `len` random ASCII letters and digits.
pub fn random_alphanumeric(len: usize) -> String {
    rand::rng().sample_iter(&rand::distr::Alphanumeric).take(len).map(char::from).collect()
}

/// A request or answer nonce: 32 letters and digits, as WeChat's own SDKs make them.
pub fn nonce_str() -> String {
    random_alphanumeric(32)
}

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// `2026-12-01T15:30:00+08:00`: the moment in Beijing time, as WeChat Pay writes times.
pub fn rfc3339_beijing(t: UnixTime) -> String {
    let (y, m, d) = t.beijing_ymd();
    let secs = t.0.saturating_add(BEIJING_OFFSET_SECS).rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Reads an RFC 3339 time with any offset (`+08:00`, `Z`, …) and optional fractions of a second
/// (dropped). None for anything else, including impossible dates such as 2026-02-30.
pub fn parse_rfc3339(raw: &str) -> Option<UnixTime> {
    let s = raw.trim().as_bytes();
    if s.len() < 20 || s[4] != b'-' || s[7] != b'-' || !matches!(s[10], b'T' | b't') || s[13] != b':' || s[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let [h1, h2, m1, m2] = digits.map(|b| i64::from(b - b'0'));
            let (oh, om) = (h1 * 10 + h2, m1 * 10 + m2);
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = oh * 3600 + om * 60;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(UnixTime(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm, the inverse
/// of the one `UnixTime::beijing_ymd` uses).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const MERCHANT_KEY: &str = include_str!("sandbox_keys/merchant.key.pem");
    const MERCHANT_PUB: &str = include_str!("sandbox_keys/merchant.pub.pem");
    const PLATFORM_KEY: &str = include_str!("sandbox_keys/platform.key.pem");
    const PLATFORM_PUB: &str = include_str!("sandbox_keys/platform.pub.pem");
    const SERIAL: &str = "PUB_KEY_ID_TEST";
    const NOW: UnixTime = UnixTime(1_796_110_200);

    fn platform_signed(body: &[u8], at: UnixTime) -> HeaderMap {
        signed_headers(&private_key_from_pem(PLATFORM_KEY).unwrap(), SERIAL, at.0, &nonce_str(), body).unwrap()
    }

    const MCHID: &str = "1900000100";
    const API_V3_KEY: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

    /// Our client as merchant `MCHID` of a platform at `api_base` signing with the test keys.
    fn client(api_base: &str) -> WechatPay {
        let config = WechatPayConfig {
            api_base: api_base.into(),
            mchid: MCHID.into(),
            appid: "wxd678efh567hg6787".into(),
            merchant_serial: "ABC123".into(),
            merchant_key: private_key_from_pem(MERCHANT_KEY).unwrap(),
            platform_serial: SERIAL.into(),
            platform_key: public_key_from_pem(PLATFORM_PUB).unwrap(),
            api_v3_key: *API_V3_KEY,
        };
        WechatPay::with_client(config, http_client().unwrap(), Clock::default())
    }

    /// A notification about `resource` (plain JSON), sealed and signed as the platform sends it.
    fn notification(kind: NotificationKind, outcome: &str, resource: &str) -> (HeaderMap, Vec<u8>) {
        let n = seal_notification(API_V3_KEY, kind, "EV-2018022511223320873", NOW, outcome, "退款成功", resource.as_bytes()).unwrap();
        let body = serde_json::to_vec(&n).unwrap();
        (platform_signed(&body, NOW), body)
    }

    /// The decrypted resource of the specification's example refund notification.
    const REFUND_RESOURCE: &str = r#"{
        "mchid": "1900000100",
        "transaction_id": "1008450740201411110005820873",
        "out_trade_no": "20150806125346",
        "refund_id": "50200207182018070300011301001",
        "out_refund_no": "7752501201407033233368018",
        "refund_status": "SUCCESS",
        "success_time": "2018-06-08T10:34:56+08:00",
        "user_received_account": "招商银行信用卡0403",
        "amount": { "total": 999, "refund": 999, "payer_total": 999, "payer_refund": 999 }
    }"#;

    const TRANSACTION_RESOURCE: &str = r#"{
        "appid": "wxd678efh567hg6787", "mchid": "1900000100", "out_trade_no": "20150806125346",
        "transaction_id": "1008450740201411110005820873", "trade_state": "SUCCESS",
        "amount": { "total": 999, "currency": "CNY" }
    }"#;

    fn spec_report() -> RefundReport {
        RefundReport {
            out_refund_no: "7752501201407033233368018".into(),
            out_trade_no: "20150806125346".into(),
            refund_id: Some("50200207182018070300011301001".into()),
            state: RefundState::Success,
            refund_fen: 999,
            total_fen: 999,
            currency: "CNY".into(),
        }
    }

    /// What the stand-in platform was sent: method, path with query, headers, body.
    type Sent = (http::Method, String, HeaderMap, Vec<u8>);

    /// A stand-in platform that keeps each request and answers every one with `status` and
    /// `body`, signed with `key`.
    async fn platform_answering(status: u16, body: &'static str, key: &'static str) -> (WechatPay, tokio::sync::mpsc::UnboundedReceiver<Sent>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let answer = move |method: http::Method, uri: http::Uri, headers: HeaderMap, sent: axum::body::Bytes| {
            let tx = tx.clone();
            async move {
                tx.send((method, uri.path_and_query().unwrap().to_string(), headers, sent.to_vec())).unwrap();
                let key = private_key_from_pem(key).unwrap();
                let signed = signed_headers(&key, SERIAL, Clock::default().now().0, &nonce_str(), body.as_bytes()).unwrap();
                (http::StatusCode::from_u16(status).unwrap(), signed, body)
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(answer)).await.unwrap() });
        (client(&base), rx)
    }

    fn new_refund() -> NewRefund {
        NewRefund {
            out_trade_no: "1217752501201407033233368018".into(),
            out_refund_no: "1217752501201407033233368018".into(),
            reason: "调解结案，减半收取案件受理费".into(),
            refund_fen: 100,
            total_fen: 100,
            notify_url: "https://court.example/api/fees/refund-notify/wechatpay".into(),
        }
    }

    /// The specification's example answer to a refund request, extra fields and all.
    const REFUND_ANSWER: &str = r#"{
        "refund_id": "50000000382019052709732678859",
        "out_refund_no": "1217752501201407033233368018",
        "transaction_id": "1217752501201407033233368018",
        "out_trade_no": "1217752501201407033233368018",
        "channel": "ORIGINAL",
        "user_received_account": "招商银行信用卡0403",
        "success_time": "2020-12-01T16:18:12+08:00",
        "create_time": "2020-12-01T16:18:12+08:00",
        "status": "PROCESSING",
        "funds_account": "UNSETTLED",
        "amount": {
            "total": 100, "refund": 100, "from": [{ "account": "AVAILABLE", "amount": 444 }],
            "payer_total": 90, "payer_refund": 90, "settlement_refund": 100, "settlement_total": 100,
            "discount_refund": 10, "currency": "CNY", "refund_fee": 0
        },
        "promotion_detail": []
    }"#;

    #[tokio::test]
    async fn a_refund_request_is_signed_as_the_specification_says_and_its_answer_verified() {
        let (gateway, mut sent) = platform_answering(200, REFUND_ANSWER, PLATFORM_KEY).await;
        let report = gateway.refund(&new_refund()).await.unwrap();
        assert_eq!(report.state, RefundState::Processing);
        assert_eq!(report.refund_id.as_deref(), Some("50000000382019052709732678859"));
        assert_eq!((report.refund_fen, report.total_fen, report.currency.as_str()), (100, 100, "CNY"));

        let (method, path, headers, body) = sent.recv().await.unwrap();
        assert_eq!((method.as_str(), path.as_str()), ("POST", "/v3/refund/domestic/refunds"));
        let auth = Authorization::parse(headers[http::header::AUTHORIZATION].to_str().unwrap()).unwrap();
        assert_eq!(auth.mchid, MCHID);
        assert!(auth.verifies(&public_key_from_pem(MERCHANT_PUB).unwrap(), "POST", &path, &body));
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "out_trade_no": "1217752501201407033233368018",
                "out_refund_no": "1217752501201407033233368018",
                "reason": "调解结案，减半收取案件受理费",
                "notify_url": "https://court.example/api/fees/refund-notify/wechatpay",
                "amount": { "refund": 100, "total": 100, "currency": "CNY" }
            })
        );

        assert_eq!(gateway.query_refund("1217752501201407033233368018").await.unwrap(), report);
        let (method, path, headers, body) = sent.recv().await.unwrap();
        assert_eq!((method.as_str(), path.as_str(), body.len()), ("GET", "/v3/refund/domestic/refunds/1217752501201407033233368018", 0));
        let auth = Authorization::parse(headers[http::header::AUTHORIZATION].to_str().unwrap()).unwrap();
        assert!(auth.verifies(&public_key_from_pem(MERCHANT_PUB).unwrap(), "GET", &path, b""));

        // An answer about another refund is not taken for this one.
        match gateway.query_refund("RF00000001N00000001").await {
            Err(GatewayError::BadAnswer(why)) => assert!(why.contains("answered about"), "{why}"),
            other => panic!("an answer about another refund: {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_refund_answer_not_signed_by_the_platform_or_refused_is_not_taken_for_a_refund() {
        let (forged, _sent) = platform_answering(200, REFUND_ANSWER, MERCHANT_KEY).await;
        assert!(matches!(forged.refund(&new_refund()).await, Err(GatewayError::BadAnswer(_))));

        let (refusing, _sent) = platform_answering(403, r#"{"code":"NOT_ENOUGH","message":"余额不足"}"#, PLATFORM_KEY).await;
        match refusing.refund(&new_refund()).await {
            Err(GatewayError::Refused { code, message }) => assert_eq!((code.as_str(), message.as_str()), ("NOT_ENOUGH", "余额不足")),
            other => panic!("a refused refund: {other:?}"),
        }
        let (missing, _sent) = platform_answering(404, r#"{"code":"RESOURCE_NOT_EXISTS","message":"退款单不存在"}"#, PLATFORM_KEY).await;
        assert!(matches!(missing.query_refund("RF00000001N00000001").await, Err(GatewayError::Refused { code, .. }) if code == "RESOURCE_NOT_EXISTS"));

        // Refunds that cannot be right are not sent at all.
        for bad in [
            NewRefund { refund_fen: 0, ..new_refund() },
            NewRefund { refund_fen: 101, ..new_refund() },
            NewRefund { out_refund_no: "RF/../1".into(), ..new_refund() },
            NewRefund { reason: "退".repeat(81), ..new_refund() },
        ] {
            assert!(matches!(refusing.refund(&bad).await, Err(GatewayError::Refused { code, .. }) if code == "PARAM_ERROR"), "{bad:?}");
        }
    }

    #[test]
    fn a_refund_notification_verifies_and_decrypts_to_its_report() {
        let gateway = client("http://127.0.0.1:9");
        let (headers, body) = notification(NotificationKind::Refund, "SUCCESS", REFUND_RESOURCE);
        let (id, report) = gateway.verify_refund_notification(&headers, &body, NOW).unwrap();
        assert_eq!(id, "EV-2018022511223320873");
        assert_eq!(report, spec_report());

        let abnormal = REFUND_RESOURCE.replace(r#""refund_status": "SUCCESS""#, r#""refund_status": "ABNORMAL""#);
        let (headers, body) = notification(NotificationKind::Refund, "ABNORMAL", &abnormal);
        assert_eq!(gateway.verify_refund_notification(&headers, &body, NOW).unwrap().1.state, RefundState::Abnormal);
    }

    #[test]
    fn a_tampered_late_foreign_or_self_contradicting_refund_notification_is_refused() {
        let gateway = client("http://127.0.0.1:9");
        let (headers, body) = notification(NotificationKind::Refund, "SUCCESS", REFUND_RESOURCE);
        let mut tampered = body.clone();
        let at = tampered.windows(7).position(|w| w == b"SUCCESS").unwrap();
        tampered[at..at + 7].copy_from_slice(b"CLOSED ");
        assert_eq!(gateway.verify_refund_notification(&headers, &tampered, NOW), Err(NotifyError::BadSignature));
        assert_eq!(gateway.verify_refund_notification(&headers, &body, NOW.plus_secs(MAX_SKEW_SECS + 1)), Err(NotifyError::Stale));

        let foreign = REFUND_RESOURCE.replace(r#""mchid": "1900000100""#, r#""mchid": "1900000109""#);
        let (headers, body) = notification(NotificationKind::Refund, "SUCCESS", &foreign);
        assert!(matches!(gateway.verify_refund_notification(&headers, &body, NOW), Err(NotifyError::Malformed(_))));
        let (headers, body) = notification(NotificationKind::Refund, "CLOSED", REFUND_RESOURCE);
        assert!(matches!(gateway.verify_refund_notification(&headers, &body, NOW), Err(NotifyError::Malformed(_))));

        // Sealed under another APIv3 key: signed by the platform, but not for us.
        let mut other_key = gateway.config().clone();
        other_key.api_v3_key = *b"0123456789abcdefghijklmnopqrstuw";
        let other = WechatPay::with_client(other_key, http_client().unwrap(), Clock::default());
        let (headers, body) = notification(NotificationKind::Refund, "SUCCESS", REFUND_RESOURCE);
        assert_eq!(other.verify_refund_notification(&headers, &body, NOW), Err(NotifyError::Decrypt));
    }

    #[test]
    fn a_payment_notification_is_not_a_refund_notification_nor_the_other_way_round() {
        let gateway = client("http://127.0.0.1:9");
        let (headers, body) = notification(NotificationKind::Transaction, "SUCCESS", TRANSACTION_RESOURCE);
        assert_eq!(gateway.verify_notification(&headers, &body, NOW).unwrap().1.amount_fen, 999);
        assert!(matches!(gateway.verify_refund_notification(&headers, &body, NOW), Err(NotifyError::Malformed(_))));

        let (headers, body) = notification(NotificationKind::Refund, "SUCCESS", REFUND_RESOURCE);
        assert!(matches!(gateway.verify_notification(&headers, &body, NOW), Err(NotifyError::Malformed(_))));

        // Nor does an envelope that names one kind and seals the other pass as either.
        let mut n: Notification = serde_json::from_slice(&body).unwrap();
        n.event_type = "TRANSACTION.SUCCESS".into();
        let body = serde_json::to_vec(&n).unwrap();
        let headers = platform_signed(&body, NOW);
        assert!(matches!(gateway.verify_notification(&headers, &body, NOW), Err(NotifyError::Malformed(_))));
        assert!(matches!(gateway.verify_refund_notification(&headers, &body, NOW), Err(NotifyError::Malformed(_))));
    }

    #[test]
    fn a_signed_request_verifies_with_the_merchant_public_key_and_no_other() {
        let key = private_key_from_pem(MERCHANT_KEY).unwrap();
        let body = br#"{"mchid":"1900000001"}"#;
        let auth = Authorization::sign("1900000001", "ABC123", &key, "POST", "/v3/pay/transactions/native", NOW.0, &nonce_str(), body).unwrap();
        let parsed = Authorization::parse(&auth.header()).unwrap();
        assert_eq!(parsed, auth);
        let merchant = public_key_from_pem(MERCHANT_PUB).unwrap();
        assert!(parsed.verifies(&merchant, "POST", "/v3/pay/transactions/native", body));
        assert!(parsed.is_fresh(NOW.plus_secs(MAX_SKEW_SECS)));
        assert!(!parsed.is_fresh(NOW.plus_secs(MAX_SKEW_SECS + 1)));
        assert!(!parsed.verifies(&merchant, "POST", "/v3/pay/transactions/native", br#"{"mchid":"1900000002"}"#));
        assert!(!parsed.verifies(&merchant, "GET", "/v3/pay/transactions/native", body));
        assert!(!parsed.verifies(&merchant, "POST", "/v3/pay/transactions/native?x=1", body));
        assert!(!parsed.verifies(&public_key_from_pem(PLATFORM_PUB).unwrap(), "POST", "/v3/pay/transactions/native", body));
    }

    #[test]
    fn an_authorization_header_missing_a_field_or_in_another_scheme_is_refused() {
        let good = r#"WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",signature="s",timestamp="1",serial_no="x""#;
        assert!(Authorization::parse(good).is_ok());
        assert!(Authorization::parse(&good.replace(r#",serial_no="x""#, "")).is_err());
        assert!(Authorization::parse(&good.replace("WECHATPAY2-SHA256-RSA2048", "WECHATPAY2-SM2-WITH-SM3")).is_err());
        assert!(Authorization::parse(&good.replace(r#"mchid="1""#, "mchid=1")).is_err());
        assert!(Authorization::parse(&format!(r#"{good},mchid="2""#)).is_err());
        assert!(Authorization::parse(&format!(r#"{good},extra="2""#)).is_err());
        assert!(Authorization::parse(&good.replace(r#"nonce_str="n""#, r#"nonce_str="""#)).is_err());
    }

    #[test]
    fn a_platform_signed_body_verifies() {
        let body = br#"{"code_url":"weixin://wxpay/bizpayurl?pr=abc"}"#;
        let headers = platform_signed(body, NOW);
        let platform = public_key_from_pem(PLATFORM_PUB).unwrap();
        assert_eq!(verify_signed(&headers, body, NOW, SERIAL, &platform), Ok(()));
        assert_eq!(headers.get("Wechatpay-Signature-Type").unwrap(), SCHEME);
    }

    #[test]
    fn a_notification_with_one_byte_changed_is_refused() {
        let body = br#"{"id":"EV-1","amount":270001}"#.to_vec();
        let headers = platform_signed(&body, NOW);
        let platform = public_key_from_pem(PLATFORM_PUB).unwrap();
        let mut tampered = body.clone();
        tampered[25] = b'9';
        assert_eq!(verify_signed(&headers, &tampered, NOW, SERIAL, &platform), Err(NotifyError::BadSignature));
    }

    #[test]
    fn a_notification_signed_with_another_key_is_refused() {
        let body = b"{}";
        let headers = signed_headers(&private_key_from_pem(MERCHANT_KEY).unwrap(), SERIAL, NOW.0, &nonce_str(), body).unwrap();
        let platform = public_key_from_pem(PLATFORM_PUB).unwrap();
        assert_eq!(verify_signed(&headers, body, NOW, SERIAL, &platform), Err(NotifyError::BadSignature));
    }

    #[test]
    fn a_notification_under_an_unknown_serial_is_refused() {
        let body = b"{}";
        let headers = platform_signed(body, NOW);
        let platform = public_key_from_pem(PLATFORM_PUB).unwrap();
        assert_eq!(verify_signed(&headers, body, NOW, "PUB_KEY_ID_OTHER", &platform), Err(NotifyError::UnknownSerial));
    }

    #[test]
    fn a_notification_more_than_five_minutes_from_now_is_refused_either_way() {
        let body = b"{}";
        let platform = public_key_from_pem(PLATFORM_PUB).unwrap();
        let old = platform_signed(body, NOW.plus_secs(-(MAX_SKEW_SECS + 1)));
        assert_eq!(verify_signed(&old, body, NOW, SERIAL, &platform), Err(NotifyError::Stale));
        let future = platform_signed(body, NOW.plus_secs(MAX_SKEW_SECS + 1));
        assert_eq!(verify_signed(&future, body, NOW, SERIAL, &platform), Err(NotifyError::Stale));
        let edge = platform_signed(body, NOW.plus_secs(-MAX_SKEW_SECS));
        assert_eq!(verify_signed(&edge, body, NOW, SERIAL, &platform), Ok(()));
    }

    #[test]
    fn a_notification_without_its_signature_or_with_another_scheme_is_refused() {
        let body = b"{}";
        let platform = public_key_from_pem(PLATFORM_PUB).unwrap();
        let mut headers = platform_signed(body, NOW);
        headers.remove("Wechatpay-Signature");
        assert_eq!(verify_signed(&headers, body, NOW, SERIAL, &platform), Err(NotifyError::MissingHeader("Wechatpay-Signature")));
        let mut headers = platform_signed(body, NOW);
        headers.insert(HeaderName::from_static(HEADER_SIGNATURE_TYPE), HeaderValue::from_static("WECHATPAY2-SM2-WITH-SM3"));
        assert_eq!(verify_signed(&headers, body, NOW, SERIAL, &platform), Err(NotifyError::BadSignature));
    }

    #[test]
    fn a_resource_round_trips_in_wechats_layout_of_ciphertext_then_tag() {
        let key = *b"0123456789abcdefghijklmnopqrstuv";
        let plain = br#"{"out_trade_no":"TP00000001N00000001"}"#;
        let sealed = encrypt_resource(&key, "abcdefghijkl", "transaction", plain).unwrap();
        assert_eq!(BASE64.decode(&sealed).unwrap().len(), plain.len() + 16);
        assert_eq!(decrypt_resource(&key, "abcdefghijkl", "transaction", &sealed).unwrap(), plain);
    }

    #[test]
    fn a_resource_with_its_ciphertext_nonce_data_or_key_changed_is_refused() {
        let key = *b"0123456789abcdefghijklmnopqrstuv";
        let sealed = encrypt_resource(&key, "abcdefghijkl", "transaction", b"{}").unwrap();
        let mut raw = BASE64.decode(&sealed).unwrap();
        raw[0] ^= 1;
        let tampered = BASE64.encode(&raw);
        assert_eq!(decrypt_resource(&key, "abcdefghijkl", "transaction", &tampered), Err(NotifyError::Decrypt));
        assert_eq!(decrypt_resource(&key, "abcdefghijkm", "transaction", &sealed), Err(NotifyError::Decrypt));
        assert_eq!(decrypt_resource(&key, "abcdefghijkl", "refund", &sealed), Err(NotifyError::Decrypt));
        assert_eq!(decrypt_resource(&key, "short", "transaction", &sealed), Err(NotifyError::Decrypt));
        assert_eq!(decrypt_resource(b"0123456789abcdefghijklmnopqrstuw", "abcdefghijkl", "transaction", &sealed), Err(NotifyError::Decrypt));
        assert_eq!(decrypt_resource(&key, "abcdefghijkl", "transaction", "!!"), Err(NotifyError::Decrypt));
    }

    #[test]
    fn times_are_written_in_beijing_time_and_read_back_to_the_same_second() {
        assert_eq!(rfc3339_beijing(UnixTime(1_796_110_200)), "2026-12-01T15:30:00+08:00");
        assert_eq!(parse_rfc3339("2026-12-01T15:30:00+08:00"), Some(UnixTime(1_796_110_200)));
        // Leap days, year ends, before 1970, and the day boundary in Beijing.
        for t in [0, 951_868_799, 951_868_800, -86_401, 1_796_140_799, 1_796_140_800, 4_102_444_799, 1_798_732_799] {
            let written = rfc3339_beijing(UnixTime(t));
            assert_eq!(parse_rfc3339(&written), Some(UnixTime(t)), "{written}");
        }
        assert_eq!(rfc3339_beijing(UnixTime(951_868_799)), "2000-03-01T07:59:59+08:00");
    }

    #[test]
    fn other_offsets_and_fractions_are_read_and_impossible_times_are_not() {
        let t = Some(UnixTime(1_796_110_200));
        assert_eq!(parse_rfc3339("2026-12-01T07:30:00Z"), t);
        assert_eq!(parse_rfc3339("2026-12-01T07:30:00.250Z"), t);
        assert_eq!(parse_rfc3339("2026-12-01T02:30:00-05:00"), t);
        assert_eq!(parse_rfc3339("2024-02-29T00:00:00+08:00").map(rfc3339_beijing).as_deref(), Some("2024-02-29T00:00:00+08:00"));
        for bad in [
            "2026-02-29T00:00:00+08:00",
            "2026-13-01T00:00:00+08:00",
            "2026-12-01 15:30:00+08:00",
            "2026-12-01T24:00:00+08:00",
            "2026-12-01T15:30:00",
            "2026-12-01T15:30:00+0800",
            "2026-12-01T15:30:00.+08:00",
            "2026-12-01T15:30:00+08:00x",
            "+026-12-01T15:30:00+08:00",
            "",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_api_v3_key_is_exactly_thirty_two_ascii_characters() {
        assert_eq!(&api_v3_key(" 0123456789abcdefghijklmnopqrstuv\n").unwrap(), b"0123456789abcdefghijklmnopqrstuv");
        assert!(api_v3_key("0123456789abcdefghijklmnopqrstu").is_err());
        assert!(api_v3_key("0123456789abcdefghijklmnopqrstuvw").is_err());
        assert!(api_v3_key("0123456789abcdefghijklmnopqrs密").is_err());
    }

    #[test]
    fn a_nonce_is_thirty_two_letters_and_digits_and_not_repeated() {
        let a = nonce_str();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(a, nonce_str());
    }

    #[test]
    fn a_transaction_for_another_merchant_or_app_is_not_ours() {
        let wire = |mchid: &str, appid: &str| WireTransaction {
            appid: appid.into(),
            mchid: mchid.into(),
            out_trade_no: "TP00000001N00000001".into(),
            transaction_id: Some("4200000000000000000000000001".into()),
            trade_type: Some("NATIVE".into()),
            trade_state: "SUCCESS".into(),
            trade_state_desc: String::new(),
            bank_type: None,
            success_time: None,
            payer: None,
            amount: Some(WireAmount { total: Some(100), currency: Some("CNY".into()), ..WireAmount::default() }),
        };
        assert_eq!(wire("1", "wx1").into_transaction("1", "wx1").unwrap().amount_fen, 100);
        assert!(wire("2", "wx1").into_transaction("1", "wx1").is_err());
        assert!(wire("1", "wx2").into_transaction("1", "wx1").is_err());
        let mut no_amount = wire("1", "wx1");
        no_amount.amount = None;
        assert!(no_amount.clone().into_transaction("1", "wx1").is_err());
        no_amount.trade_state = "NOTPAY".into();
        assert_eq!(no_amount.into_transaction("1", "wx1").unwrap().state, TradeState::NotPay);
    }
}
