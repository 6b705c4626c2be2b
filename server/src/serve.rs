//! Start-up (data directory, database, keys, assets), the router, and graceful shutdown.
use crate::config::Config;
use crate::{assets, routes};
use app::ssr::clock::Clock;
use app::ssr::outside::{IdentityRegistry, NoRegistry, NoSms, SandboxRegistry, SandboxSms, Sms};
use app::ssr::payment::{NoGateway, PaymentGateway};
use app::ssr::sandbox_pay::SandboxPlatform;
use app::ssr::{AppState, SiteConfig};
use axum::Router;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// The router's state: Leptos' options for rendering and files, ours for everything else.
#[derive(Clone, axum::extract::FromRef)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    pub sw_template: Arc<String>,
    pub public_url: PublicUrl,
}

/// The URL people reach this server at, e.g. `https://court.example.cn`.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub Arc<String>);

/// Checks the data directory exists (creating it) and is writable, with a message that says what to fix.
pub fn prepare_data_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| {
        format!("the data directory {} cannot be created: {e}. Set TIANPING_DATA_DIR to a writable folder.", dir.display())
    })?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(|e| {
        format!("the data directory {} is not writable: {e}. Fix its permissions or set TIANPING_DATA_DIR.", dir.display())
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

pub async fn open_database(config: &Config) -> Result<sqlx::SqlitePool, String> {
    prepare_data_dir(&config.data_dir)?;
    app::ssr::db::open(&config.data_dir.join("tianping.sqlite3"), config.db_max_connections, config.db_busy_timeout)
        .await
        .map_err(|e| e.to_string())
}

/// The kiosk secret: from configuration, else generated once and kept in the data directory.
pub fn kiosk_secret(config: &Config) -> Result<Vec<u8>, String> {
    configured_or_generated(config, config.kiosk_secret.as_deref(), "kiosk.key")
}

/// The key protecting resident ID numbers: from configuration, else generated once and kept.
/// The court seal's key: from the configuration, else generated on first start and kept.
pub fn seal_key(config: &Config) -> Result<app::ssr::seal::SealKey, String> {
    let secret = configured_or_generated(config, config.seal_key.as_deref(), "seal.key")?;
    Ok(app::ssr::seal::SealKey::from_secret(&secret))
}

pub fn identity_key(config: &Config) -> Result<app::ssr::idkey::IdentityKey, String> {
    let secret = configured_or_generated(config, config.identity_key.as_deref(), "identity.key")?;
    Ok(app::ssr::idkey::IdentityKey::from_secret(&secret))
}

fn configured_or_generated(config: &Config, configured: Option<&str>, file: &str) -> Result<Vec<u8>, String> {
    if let Some(s) = configured {
        return Ok(s.as_bytes().to_vec());
    }
    prepare_data_dir(&config.data_dir)?;
    let path = config.data_dir.join(file);
    match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 32 => Ok(s.trim().as_bytes().to_vec()),
        _ => {
            let key = hex::encode(rand_bytes()?);
            std::fs::write(&path, &key).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            // Only the server's own user may read a key.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
            }
            Ok(key.into_bytes())
        }
    }
}

fn rand_bytes() -> Result<[u8; 32], String> {
    let mut buf = [0u8; 32];
    let mut f = std::fs::File::open("/dev/urandom").map_err(|e| format!("no randomness source: {e}"))?;
    std::io::Read::read_exact(&mut f, &mut buf).map_err(|e| format!("no randomness source: {e}"))?;
    Ok(buf)
}

pub fn kiosk_link(config: &Config, device: &str, court: Option<&str>) -> Result<String, String> {
    if !app::ssr::kiosk::valid_device_name(device) {
        return Err(format!("device name {device:?} must be 1–64 letters, digits, - or _"));
    }
    if let Some(code) = court {
        app::courts::model::CourtCode::parse(code).map_err(|e| format!("court {code:?}: {e}"))?;
    }
    let payload = app::ssr::kiosk::payload(device, court);
    let secret = kiosk_secret(config)?;
    let sig = app::ssr::kiosk::sign(&secret, &payload);
    Ok(format!("{}/kiosk/enrol?device={payload}&sig={sig}", config.public_url))
}

/// Creates a staff account for one court and role; returns its one-time enrolment link.
pub async fn create_staff(config: &Config, court: &str, role: &str, name: &str) -> Result<String, String> {
    use app::identity::model::{ENROLMENT_TTL_SECS, LegalName, StaffRole};
    let code = app::courts::model::CourtCode::parse(court).map_err(|e| format!("court {court:?}: {e}"))?;
    let role = StaffRole::parse(role).ok_or_else(|| format!("role {role:?} must be clerk, judge, mediator or admin"))?;
    let name = LegalName::parse(name).map_err(|e| format!("name {name:?}: {e}"))?;
    let db = open_database(config).await?;
    // The court must be one of the directory's; loading the shipped directory makes sure it is there.
    let courts = app::courts::store::shipped_directory()?;
    if !courts.iter().any(|c| c.code == code) {
        return Err(format!("court {court} is not in the court directory (app/src/courts/directory.json)"));
    }
    app::courts::store::upsert_all(&db, &courts).await.map_err(|e| format!("loading the court directory failed: {e}"))?;
    let (token, hash) = app::ssr::session::new_token();
    let now = app::ssr::clock::Clock::default().now();
    let id = app::identity::store::create_staff(&db, code.as_str(), role.as_str(), name.as_str(), &hash, now, now.plus_secs(ENROLMENT_TTL_SECS))
        .await
        .map_err(|e| format!("creating the staff account failed: {e}"))?;
    let details = serde_json::json!({ "court": code.as_str(), "role": role.as_str() });
    app::ssr::audit::append(&db, now.0, "admin:cli", "identity.staff_created", &format!("person:{id}"), &details)
        .await
        .map_err(|e| format!("writing the audit log failed: {e}"))?;
    eprintln!("staff account {id} created: {} ({}, {}); the link works once, for 72 hours", name.as_str(), code.as_str(), role.as_str());
    Ok(format!("{}/staff/enrol?token={token}", config.public_url))
}

pub async fn seed(config: &Config) -> Result<(), String> {
    let db = open_database(config).await?;
    let courts = app::courts::store::shipped_directory()?;
    let n = app::courts::store::upsert_all(&db, &courts).await.map_err(|e| format!("seeding courts failed: {e}"))?;
    println!("court directory: {n} courts loaded");
    Ok(())
}

/// Walks the audit chain: prints how many entries are intact, or fails naming the first break.
pub async fn audit_verify(config: &Config) -> Result<(), String> {
    let db = open_database(config).await?;
    match app::ssr::audit::verify(&db).await.map_err(|e| format!("reading the audit log failed: {e}"))? {
        Ok(n) => {
            println!("audit log intact: {n} entries");
            Ok(())
        }
        Err(broken) => Err(format!("audit log broken: {broken}")),
    }
}

fn leptos_options(config: &Config) -> Result<LeptosOptions, String> {
    let mut options = leptos::config::get_configuration(None)
        .map_err(|e| format!("Leptos configuration: {e}"))?
        .leptos_options;
    options.site_addr = config.addr;
    if let Some(root) = &config.site_root {
        options.site_root = root.display().to_string().into();
    }
    // cargo-leptos writes the content hashes of the client files next to the binary.
    let hash_file = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
    options.hash_files = hash_file.is_some_and(|p| p.exists());
    Ok(options)
}

/// Everything `serve` needs, built from configuration; also used by the integration tests.
pub async fn build(config: &Config) -> Result<(Router, ServerState), String> {
    let db = open_database(config).await?;
    // A new installation knows the courts from the first start (`server seed` reloads them).
    if app::courts::store::all(&db).await.map_err(|e| format!("reading the court directory failed: {e}"))?.is_empty() {
        let courts = app::courts::store::shipped_directory()?;
        app::courts::store::upsert_all(&db, &courts).await.map_err(|e| format!("loading the court directory failed: {e}"))?;
    }
    let leptos = leptos_options(config)?;
    let site_root = Path::new(leptos.site_root.as_ref()).to_path_buf();
    let assets = assets::discover(&site_root, &leptos.site_pkg_dir);
    if assets.css_href.is_empty() {
        tracing::warn!(site_root = %site_root.display(), "no built client found: pages render without styles or scripts (run `make run`)");
    }
    let sw_template = std::fs::read_to_string(site_root.join("sw.js")).unwrap_or_default();
    let (sms, registry): (Arc<dyn Sms>, Arc<dyn IdentityRegistry>) = if config.sandbox {
        SandboxRegistry::seed(&db).await?;
        (Arc::new(SandboxSms { db: db.clone() }), Arc::new(SandboxRegistry { db: db.clone() }))
    } else {
        // Real providers are configured per court; until one is, sending fails with a clear message.
        (Arc::new(NoSms), Arc::new(NoRegistry))
    };
    warn_if_calendar_is_out_of_date(Clock::default().now());
    let clock = Clock::default();
    let (payments, sandbox_pay): (Arc<dyn PaymentGateway>, _) = if config.sandbox {
        // The sandbox is our WeChat Pay client talking to the platform built into this server.
        let platform = Arc::new(SandboxPlatform::new(db.clone(), clock.clone(), config.public_url.clone())?);
        (Arc::new(platform.gateway()), Some(platform))
    } else if let Some(account) = &config.wechatpay {
        (Arc::new(wechat_pay(account, clock.clone())?), None)
    } else {
        // A court's merchant account is configured with its contract; until then paying says so.
        (Arc::new(NoGateway), None)
    };
    let push_service: Arc<dyn app::ssr::push::PushService> =
        if config.sandbox { Arc::new(app::ssr::push::SandboxPush { db: db.clone() }) } else { Arc::new(app::ssr::push::HttpPush { client: reqwest::Client::new() }) };
    let push_secret = configured_or_generated(config, config.push_key.as_deref(), "push.key")?;
    let push = Arc::new(app::ssr::push::Pusher::from_secret(&push_secret, config.public_url.clone(), push_service)?);
    spawn_push_sender(push.clone(), db.clone(), clock.clone());
    let state = ServerState {
        app: AppState {
            push,
            hearings: Arc::new(app::hearings::socket::Rooms::new(config.ice_servers.clone())),
            clock,
            payments,
            sandbox_pay,
            sms,
            registry,
            id_key: Arc::new(identity_key(config)?),
            seal: Arc::new(seal_key(config)?),
            blobs: Arc::new(app::ssr::blobs::BlobStore::new(&config.data_dir)),
            webauthn: webauthn(&config.public_url),
            db,
            site: Arc::new(SiteConfig {
                sandbox: config.sandbox,
                kiosk_everywhere: config.kiosk_everywhere,
                kiosk_idle_secs: config.kiosk_idle_secs,
                kiosk_secret: kiosk_secret(config)?,
                frame_ancestors: config.frame_ancestors.clone(),
                secure_cookies: config.public_url.starts_with("https://"),
                public_url: config.public_url.clone(),
                ip_limit_per_hour: config.ip_limit_per_hour,
                fee_rates: config.fee_rates,
                wechat_jssdk: config.wechat_jssdk.clone(),
            }),
            assets: Arc::new(assets),
        },
        leptos,
        sw_template: Arc::new(sw_template),
        public_url: PublicUrl(Arc::new(config.public_url.clone())),
    };
    Ok((routes::router(state.clone()), state))
}

/// Pushes new notices to people's devices every two seconds (a notice is in the inbox at once;
/// the push is its echo on the lock screen).
fn spawn_push_sender(push: Arc<app::ssr::push::Pusher>, db: sqlx::SqlitePool, clock: Clock) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = push.flush(&db, clock.now().0).await {
                tracing::warn!(error = %e, "pushing notices failed; trying again");
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
    });
}

/// The relying party for passkeys: this server's public URL. WebAuthn needs a domain name, so a
/// bare IP address gets none (pages then do not offer passkeys).
fn webauthn(public_url: &str) -> Option<Arc<webauthn_rs::Webauthn>> {
    let url = webauthn_rs::prelude::Url::parse(public_url).ok()?;
    let Some(domain) = url.domain().map(str::to_string) else {
        tracing::warn!(%public_url, "passkeys are off: the public URL has no domain name (use e.g. http://localhost:3000)");
        return None;
    };
    match webauthn_rs::WebauthnBuilder::new(&domain, &url).and_then(|b| b.rp_name("天平 Tianping").build()) {
        Ok(w) => Some(Arc::new(w)),
        Err(e) => {
            tracing::warn!(error = %e, "passkeys are off: the relying party could not be set up");
            None
        }
    }
}

pub async fn run(config: Config) -> Result<(), String> {
    let (router, state) = build(&config).await?;
    tokio::spawn(reconcile_payments(state.app.clone()));
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}. Is another server running there? Set TIANPING_ADDR.", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, public_url = %config.public_url, sandbox = config.sandbox, "Tianping is serving");
    println!("Tianping is serving at http://{addr}");
    serve_until_signal(listener, router, config.shutdown_grace).await
}

pub async fn serve_until_signal(listener: tokio::net::TcpListener, router: Router, grace: std::time::Duration) -> Result<(), String> {
    let server = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal());
    // Open requests get `grace` to finish once the signal came; then we stop anyway.
    tokio::select! {
        r = server => r.map_err(|e| e.to_string()),
        _ = async { shutdown_signal().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("shutdown grace period over; stopping with requests still open");
            Ok(())
        }
    }
}

/// The court's WeChat Pay merchant account, its keys read and checked at start-up.
fn wechat_pay(account: &crate::config::WechatPayAccount, clock: Clock) -> Result<app::ssr::wechatpay::WechatPay, String> {
    use app::ssr::wechatpay::{self, WechatPay, WechatPayConfig};
    let read = |path: &Path, what: &str| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the WeChat Pay {what} {}: {e}", path.display()))
    };
    let merchant_key = wechatpay::private_key_from_pem(&read(&account.merchant_key_file, "merchant key")?)
        .map_err(|e| format!("TIANPING_WECHATPAY_MERCHANT_KEY_FILE: {e}"))?;
    let platform_key = wechatpay::public_key_from_pem(&read(&account.platform_key_file, "public key")?)
        .map_err(|e| format!("TIANPING_WECHATPAY_PLATFORM_KEY_FILE: {e}"))?;
    let config = WechatPayConfig {
        api_base: wechatpay::API_BASE.into(),
        mchid: account.mchid.clone(),
        appid: account.appid.clone(),
        merchant_serial: account.merchant_serial.clone(),
        merchant_key,
        platform_serial: account.platform_serial.clone(),
        platform_key,
        api_v3_key: wechatpay::api_v3_key(&account.api_v3_key)?,
    };
    WechatPay::new(config, clock)
}

/// Orders and refunds whose notification never came are asked about at the gateway, every half
/// minute.
async fn reconcile_payments(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
    loop {
        every.tick().await;
        match app::fees::pay::reconcile_pending(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(orders = n, "reconciled pending payment orders"),
            Err(e) => tracing::warn!(error = %e, "reconciling payment orders failed"),
        }
        match app::fees::refunds::reconcile_refunds(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(refunds = n, "reconciled processing refunds"),
            Err(e) => tracing::warn!(error = %e, "reconciling refunds failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received: finishing open requests");
}

/// Statutory periods ending on a public holiday run on to the next working day; a year missing
/// from the calendar counts weekends only, which would end some periods too early.
fn warn_if_calendar_is_out_of_date(now: app::identity::model::UnixTime) {
    use app::courts::calendar::knows_year;
    let (year, month, _) = now.beijing_ymd();
    // The State Council publishes next year's holidays in November or December.
    let years = if month == 12 { vec![year, year + 1] } else { vec![year] };
    for year in years.into_iter().filter(|y| !knows_year(*y)) {
        tracing::warn!(
            year,
            "the courts' calendar has no public holidays for this year, so statutory periods move past weekends only: add the State Council's notice to app/src/courts/calendar.rs"
        );
    }
}
