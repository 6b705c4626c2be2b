//! Server-only parts of the app (feature `ssr`): shared state, the database, the caller of each
//! request, sessions, rate limits, outside systems, per-request preferences, security headers
//! and kiosk enrolment.
pub mod audit;
pub mod blobs;
pub mod clock;
pub mod cx;
pub mod db;
pub mod headers;
pub mod idkey;
pub mod seal;
pub mod kiosk;
pub mod outside;
pub mod payment;
pub mod pdf;
pub mod prefs;
pub mod push;
pub mod ratelimit;
pub mod sandbox_pay;
pub mod session;
pub mod wechatpay;

use std::sync::Arc;

/// A short id to match what a person reports with what the log says (`E…`).
pub fn reference_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("E{:X}", nanos % 0xFF_FFFF_FFFF)
}

/// A QR code as inline SVG (the XML declaration dropped: it is not allowed inside HTML).
pub fn qr_svg(data: &str) -> Result<String, qrcode::types::QrError> {
    let svg = qrcode::QrCode::new(data.as_bytes())?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(svg.split_once("?>").map_or(svg.clone(), |(_, svg)| svg.trim().to_string()))
}

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: sqlx::SqlitePool,
    pub site: Arc<SiteConfig>,
    pub assets: Arc<Assets>,
    pub clock: clock::Clock,
    pub sms: Arc<dyn outside::Sms>,
    pub registry: Arc<dyn outside::IdentityRegistry>,
    pub id_key: Arc<idkey::IdentityKey>,
    /// The court seal for signed documents (Ed25519).
    pub seal: Arc<seal::SealKey>,
    /// Uploaded files (evidence, powers of attorney).
    pub blobs: Arc<blobs::BlobStore>,
    /// None when the public URL has no domain name (WebAuthn needs one, e.g. `localhost`).
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// Where fees are paid: WeChat Pay, or the sandbox platform built into the server.
    pub payments: Arc<dyn payment::PaymentGateway>,
    /// The built-in payment platform, when sandboxes are on (its cashier and test helpers).
    pub sandbox_pay: Option<Arc<sandbox_pay::SandboxPlatform>>,
    /// Web Push to people's devices (the sandbox keeps messages in a table).
    pub push: Arc<push::Pusher>,
    /// The rooms of the online hearings in progress.
    pub hearings: Arc<crate::hearings::socket::Rooms>,
}

/// The part of the server configuration the app itself needs.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// Sandboxes for outside systems are on: every page says so.
    pub sandbox: bool,
    /// This whole deployment runs on kiosks (otherwise devices enrol by signed link).
    pub kiosk_everywhere: bool,
    pub kiosk_idle_secs: u32,
    /// Signs kiosk enrolment cookies; never sent to a browser.
    pub kiosk_secret: Vec<u8>,
    /// CSP `frame-ancestors` sources (kiosk shells, mini-program containers).
    pub frame_ancestors: Vec<String>,
    /// The URL people reach the server at (links in QR codes).
    pub public_url: String,
    /// Served over TLS: cookies get `Secure`.
    pub secure_cookies: bool,
    /// Codes sent and codes tried per IP address per hour (every code and sign-in endpoint).
    pub ip_limit_per_hour: u32,
    /// The province's figures inside the fee ranges of the Measures.
    pub fee_rates: crate::fees::model::ProvinceRates,
    /// WeChat's JS-SDK for pages inside the mini-program's web-view (None: not loaded).
    pub wechat_jssdk: Option<String>,
}

/// The built client's files, found at start-up (names carry content hashes).
#[derive(Clone, Debug, Default)]
pub struct Assets {
    pub css_href: String,
    /// What the service worker caches on install.
    pub precache: Vec<String>,
    /// Changes whenever any precached file changes, so old caches are dropped.
    pub version: String,
}
