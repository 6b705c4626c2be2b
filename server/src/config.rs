//! Layered configuration: built-in defaults, then an optional TOML file, then environment
//! variables (`TIANPING_*`). Every value is checked here so a bad one stops start-up with a
//! message that says what to fix.
use app::fees::model::ProvinceRates;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub public_url: String,
    pub data_dir: PathBuf,
    pub sandbox: bool,
    pub kiosk_everywhere: bool,
    pub kiosk_idle_secs: u32,
    /// None: generate one on first start and keep it in the data directory.
    pub kiosk_secret: Option<String>,
    /// None: generate one on first start and keep it in the data directory.
    pub identity_key: Option<String>,
    pub seal_key: Option<String>,
    /// The secret our Web Push (VAPID) key pair comes from; None: generated and kept.
    pub push_key: Option<String>,
    /// STUN and TURN servers for online hearings' media.
    pub ice_servers: Vec<app::hearings::model::IceServer>,
    pub ip_limit_per_hour: u32,
    pub frame_ancestors: Vec<String>,
    pub db_max_connections: u32,
    pub db_busy_timeout: Duration,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub shutdown_grace: Duration,
    /// Where the built client lives (cargo-leptos' LEPTOS_SITE_ROOT); None: Leptos' default.
    pub site_root: Option<PathBuf>,
    /// The province's figures inside the fee ranges of the Measures (诉讼费用交纳办法).
    pub fee_rates: ProvinceRates,
    /// WeChat's JS-SDK, loaded by pages opened in the mini-program's web-view; None: not loaded.
    pub wechat_jssdk: Option<String>,
    /// The court's WeChat Pay merchant account (used when sandboxes are off).
    pub wechatpay: Option<WechatPayAccount>,
}

/// A WeChat Pay merchant account, as the merchant platform hands it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WechatPayAccount {
    pub mchid: String,
    pub appid: String,
    /// The serial number of the merchant's API certificate.
    pub merchant_serial: String,
    /// The merchant's API private key (PKCS#8 PEM, `apiclient_key.pem`).
    pub merchant_key_file: PathBuf,
    /// The WeChat Pay public key's id (`PUB_KEY_ID_…`) and the key itself (PEM).
    pub platform_serial: String,
    pub platform_key_file: PathBuf,
    /// The APIv3 key (32 characters); it decrypts notifications.
    pub api_v3_key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The file layer: every key optional, unknown keys refused (a typo must not pass silently).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLayer {
    addr: Option<String>,
    public_url: Option<String>,
    data_dir: Option<PathBuf>,
    sandbox: Option<bool>,
    kiosk: Option<bool>,
    kiosk_idle_secs: Option<u32>,
    kiosk_secret: Option<String>,
    identity_key: Option<String>,
    seal_key: Option<String>,
    push_key: Option<String>,
    ice_servers: Option<String>,
    turn_username: Option<String>,
    turn_credential: Option<String>,
    ip_limit_per_hour: Option<u32>,
    frame_ancestors: Option<Vec<String>>,
    db_max_connections: Option<u32>,
    db_busy_timeout_ms: Option<u64>,
    log_format: Option<LogFormat>,
    log: Option<String>,
    shutdown_grace_secs: Option<u64>,
    /// `fee_rates = { divorce = 100, personality = 300 }` (whole yuan).
    fee_rates: Option<BTreeMap<String, i64>>,
    wechat_jssdk: Option<String>,
    wechatpay_mchid: Option<String>,
    wechatpay_appid: Option<String>,
    wechatpay_merchant_serial: Option<String>,
    wechatpay_merchant_key_file: Option<PathBuf>,
    wechatpay_platform_serial: Option<String>,
    wechatpay_platform_key_file: Option<PathBuf>,
    wechatpay_api_v3_key: Option<String>,
}

/// Every setting: (environment variable, file key, default, meaning). The README lists these.
pub const SETTINGS: &[(&str, &str, &str, &str)] = &[
    ("TIANPING_CONFIG", "-", "(none)", "path of a TOML file with any of the keys below"),
    ("TIANPING_ADDR", "addr", "127.0.0.1:3000", "address to listen on"),
    ("TIANPING_PUBLIC_URL", "public_url", "http://<addr> (http://localhost:<port> on loopback)", "the URL people reach the server at (links, QR codes, passkeys' relying party)"),
    ("TIANPING_DATA_DIR", "data_dir", "./data", "SQLite file, uploads and generated keys"),
    ("TIANPING_SANDBOX", "sandbox", "true", "use the built-in sandboxes for SMS, payment, identity (banner on every page)"),
    ("TIANPING_KIOSK", "kiosk", "false", "every device of this deployment is a kiosk"),
    ("TIANPING_KIOSK_IDLE_SECS", "kiosk_idle_secs", "120", "kiosk idle reset after this many seconds (30–3600)"),
    ("TIANPING_KIOSK_SECRET", "kiosk_secret", "(generated in data_dir)", "signs kiosk enrolment links (≥ 16 characters)"),
    ("TIANPING_IDENTITY_KEY", "identity_key", "(generated in data_dir)", "encrypts resident ID numbers at rest (≥ 32 characters; keep it safe: without it stored numbers cannot be read)"),
    ("TIANPING_SEAL_KEY", "seal_key", "(generated in data_dir)", "the court seal's Ed25519 key is derived from it (≥ 32 characters; keep it safe and never change it: sealed documents verify against it)"),
    ("TIANPING_PUSH_KEY", "push_key", "(generated in data_dir)", "the secret our Web Push (VAPID) key pair is made from (≥ 32 characters; a new one means devices subscribe again)"),
    ("TIANPING_ICE_SERVERS", "ice_servers", "(none: same network only)", "STUN/TURN URLs for online hearings' video, comma-separated (stun:…, turn:…, turns:…)"),
    ("TIANPING_TURN_USERNAME", "turn_username", "(none)", "user name for the TURN servers above"),
    ("TIANPING_TURN_CREDENTIAL", "turn_credential", "(none)", "password for the TURN servers above"),
    ("TIANPING_IP_LIMIT_PER_HOUR", "ip_limit_per_hour", "30", "codes sent, and codes tried, per IP address per hour (1–100000)"),
    ("TIANPING_FRAME_ANCESTORS", "frame_ancestors", "(none)", "origins allowed to frame the app, comma-separated"),
    ("TIANPING_DB_MAX_CONNECTIONS", "db_max_connections", "8", "SQLite pool size (1–64)"),
    ("TIANPING_DB_BUSY_TIMEOUT_MS", "db_busy_timeout_ms", "5000", "how long a write waits for a lock"),
    ("TIANPING_LOG_FORMAT", "log_format", "text", "text or json"),
    ("TIANPING_LOG", "log", "info", "log filter, e.g. info,server=debug (RUST_LOG also works)"),
    ("TIANPING_SHUTDOWN_GRACE_SECS", "shutdown_grace_secs", "20", "how long open requests may finish on SIGTERM"),
    ("TIANPING_FEE_RATES", "fee_rates", "(lowest of each range)", "the province's fixed court fees in whole yuan, e.g. divorce=100,personality=300 (names: divorce 50–300, personality 100–500, non_property 50–100, ip_without_amount 500–1000, jurisdiction_objection 50–100, enforcement_without_amount 50–500)"),
    ("TIANPING_WECHAT_JSSDK", "wechat_jssdk", WECHAT_JSSDK, "WeChat's JS-SDK for pages inside the mini-program (paying hands off to it); off: not loaded"),
    ("TIANPING_WECHATPAY_MCHID", "wechatpay_mchid", "(none)", "the court's WeChat Pay merchant id; with the six below, payments go to WeChat Pay when sandboxes are off (all seven or none)"),
    ("TIANPING_WECHATPAY_APPID", "wechatpay_appid", "(none)", "the mini-program's or official account's AppID bound to the merchant"),
    ("TIANPING_WECHATPAY_MERCHANT_SERIAL", "wechatpay_merchant_serial", "(none)", "serial number of the merchant API certificate"),
    ("TIANPING_WECHATPAY_MERCHANT_KEY_FILE", "wechatpay_merchant_key_file", "(none)", "the merchant API private key, PKCS#8 PEM (apiclient_key.pem)"),
    ("TIANPING_WECHATPAY_PLATFORM_SERIAL", "wechatpay_platform_serial", "(none)", "the WeChat Pay public key id (PUB_KEY_ID_…)"),
    ("TIANPING_WECHATPAY_PLATFORM_KEY_FILE", "wechatpay_platform_key_file", "(none)", "the WeChat Pay public key, PEM"),
    ("TIANPING_WECHATPAY_API_V3_KEY", "wechatpay_api_v3_key", "(none)", "the APIv3 key, 32 characters (decrypts notifications)"),
    ("LEPTOS_SITE_ROOT", "-", "target/site", "the built client (cargo-leptos output)"),
];

/// The JS-SDK WeChat documents for `<web-view>` pages.
pub const WECHAT_JSSDK: &str = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {0}: {1}")]
    Read(String, String),
    #[error("configuration file {0} is not valid: {1}")]
    File(String, String),
    #[error("{0} = {1:?} is not valid: {2}")]
    Value(&'static str, String, &'static str),
}

impl Config {
    /// Defaults → file (the `--config` path, else TIANPING_CONFIG) → environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let file = file.map(Path::to_path_buf).or_else(|| env("TIANPING_CONFIG").map(PathBuf::from));
        let layer = match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ConfigError::Read(path.display().to_string(), e.to_string()))?;
                toml::from_str::<FileLayer>(&text)
                    .map_err(|e| ConfigError::File(path.display().to_string(), e.to_string()))?
            }
            None => FileLayer::default(),
        };
        Config::from_layers(layer, env)
    }

    pub fn from_layers(file: FileLayer, env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        // Read before the other settings take their fields out of `file`.
        let wechatpay = wechatpay_account(&env, &file)?;
        // Leptos' own variable is honoured so `cargo leptos serve` keeps working.
        let addr_raw = env("TIANPING_ADDR")
            .or(file.addr)
            .or_else(|| env("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_raw
            .parse()
            .map_err(|_| ConfigError::Value("TIANPING_ADDR", addr_raw.clone(), "expected host:port, e.g. 127.0.0.1:3000"))?;
        // On loopback the default name is localhost: a domain name, which passkeys (WebAuthn)
        // need; with an IP address browsers refuse them.
        let default_url = if addr.ip().is_loopback() { format!("http://localhost:{}", addr.port()) } else { format!("http://{addr}") };
        let public_url = env("TIANPING_PUBLIC_URL").or(file.public_url).unwrap_or(default_url);
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Value("TIANPING_PUBLIC_URL", public_url, "must start with http:// or https://"));
        }
        let public_url = public_url.trim_end_matches('/').to_string();
        let data_dir = env("TIANPING_DATA_DIR").map(PathBuf::from).or(file.data_dir).unwrap_or_else(|| "data".into());
        let sandbox = bool_setting("TIANPING_SANDBOX", env("TIANPING_SANDBOX"), file.sandbox, true)?;
        let kiosk_everywhere = bool_setting("TIANPING_KIOSK", env("TIANPING_KIOSK"), file.kiosk, false)?;
        let kiosk_idle_secs = num_setting("TIANPING_KIOSK_IDLE_SECS", env("TIANPING_KIOSK_IDLE_SECS"), file.kiosk_idle_secs, 120)?;
        if !(30..=3600).contains(&kiosk_idle_secs) {
            return Err(ConfigError::Value("TIANPING_KIOSK_IDLE_SECS", kiosk_idle_secs.to_string(), "must be 30 to 3600 seconds"));
        }
        let kiosk_secret = env("TIANPING_KIOSK_SECRET").or(file.kiosk_secret);
        if let Some(s) = &kiosk_secret
            && s.len() < 16
        {
            return Err(ConfigError::Value("TIANPING_KIOSK_SECRET", "(hidden)".into(), "must be at least 16 characters"));
        }
        let identity_key = env("TIANPING_IDENTITY_KEY").or(file.identity_key);
        if let Some(k) = &identity_key
            && k.len() < 32
        {
            return Err(ConfigError::Value("TIANPING_IDENTITY_KEY", "(hidden)".into(), "must be at least 32 characters"));
        }
        let seal_key = env("TIANPING_SEAL_KEY").or(file.seal_key);
        if let Some(k) = &seal_key
            && k.len() < 32
        {
            return Err(ConfigError::Value("TIANPING_SEAL_KEY", "(hidden)".into(), "must be at least 32 characters"));
        }
        let push_key = env("TIANPING_PUSH_KEY").or(file.push_key);
        if let Some(k) = &push_key
            && k.len() < 32
        {
            return Err(ConfigError::Value("TIANPING_PUSH_KEY", "(hidden)".into(), "must be at least 32 characters"));
        }
        let ice_urls = env("TIANPING_ICE_SERVERS").or(file.ice_servers).unwrap_or_default();
        let ice_servers = app::hearings::socket::ice_servers_from(&ice_urls, env("TIANPING_TURN_USERNAME").or(file.turn_username), env("TIANPING_TURN_CREDENTIAL").or(file.turn_credential));
        if ice_urls.split(',').filter(|u| !u.trim().is_empty()).count() != ice_servers.len() {
            return Err(ConfigError::Value("TIANPING_ICE_SERVERS", ice_urls, "each must start with stun:, turn: or turns:"));
        }
        let ip_limit_per_hour = num_setting("TIANPING_IP_LIMIT_PER_HOUR", env("TIANPING_IP_LIMIT_PER_HOUR"), file.ip_limit_per_hour, 30)?;
        if !(1..=100_000).contains(&ip_limit_per_hour) {
            return Err(ConfigError::Value("TIANPING_IP_LIMIT_PER_HOUR", ip_limit_per_hour.to_string(), "must be 1 to 100000"));
        }
        let frame_ancestors = match env("TIANPING_FRAME_ANCESTORS") {
            Some(v) => v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            None => file.frame_ancestors.unwrap_or_default(),
        };
        for origin in &frame_ancestors {
            let ok = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.contains([' ', ';', '\'', '"']);
            if !ok {
                return Err(ConfigError::Value("TIANPING_FRAME_ANCESTORS", origin.clone(), "each must be an origin like https://kiosk.example.cn"));
            }
        }
        let db_max_connections = num_setting("TIANPING_DB_MAX_CONNECTIONS", env("TIANPING_DB_MAX_CONNECTIONS"), file.db_max_connections, 8)?;
        if !(1..=64).contains(&db_max_connections) {
            return Err(ConfigError::Value("TIANPING_DB_MAX_CONNECTIONS", db_max_connections.to_string(), "must be 1 to 64"));
        }
        let busy_ms = num_setting("TIANPING_DB_BUSY_TIMEOUT_MS", env("TIANPING_DB_BUSY_TIMEOUT_MS"), file.db_busy_timeout_ms, 5000)?;
        let log_format = match env("TIANPING_LOG_FORMAT") {
            Some(v) => match v.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(ConfigError::Value("TIANPING_LOG_FORMAT", v, "must be text or json")),
            },
            None => file.log_format.unwrap_or(LogFormat::Text),
        };
        let log_filter = env("TIANPING_LOG").or_else(|| env("RUST_LOG")).or(file.log).unwrap_or_else(|| "info".into());
        let fee_rates = fee_rates(env("TIANPING_FEE_RATES"), file.fee_rates)?;
        let wechat_jssdk = match env("TIANPING_WECHAT_JSSDK").or(file.wechat_jssdk) {
            None => Some(WECHAT_JSSDK.to_string()),
            Some(v) if v.trim() == "off" => None,
            Some(v) if v.starts_with("https://") && !v.contains([' ', ';', '\'', '"']) => Some(v),
            Some(v) => return Err(ConfigError::Value("TIANPING_WECHAT_JSSDK", v, "must be an https:// URL of the JS-SDK, or off")),
        };
        let grace = num_setting("TIANPING_SHUTDOWN_GRACE_SECS", env("TIANPING_SHUTDOWN_GRACE_SECS"), file.shutdown_grace_secs, 20)?;
        Ok(Config {
            addr,
            public_url,
            data_dir,
            sandbox,
            kiosk_everywhere,
            kiosk_idle_secs,
            kiosk_secret,
            identity_key,
            seal_key,
            push_key,
            ice_servers,
            ip_limit_per_hour,
            frame_ancestors,
            db_max_connections,
            db_busy_timeout: Duration::from_millis(busy_ms),
            log_format,
            log_filter,
            shutdown_grace: Duration::from_secs(grace),
            site_root: env("LEPTOS_SITE_ROOT").map(PathBuf::from),
            fee_rates,
            wechat_jssdk,
            wechatpay,
        })
    }
}

/// The province's fee figures: `name=yuan` pairs from the environment, else the file's table;
/// each checked against the range the Measures allow.
fn fee_rates(env: Option<String>, file: Option<BTreeMap<String, i64>>) -> Result<ProvinceRates, ConfigError> {
    const NAME: &str = "TIANPING_FEE_RATES";
    let pairs: Vec<(String, String)> = match env {
        Some(v) => v
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => Ok((k.trim().to_string(), v.trim().to_string())),
                None => Err(ConfigError::Value(NAME, p.to_string(), "expected name=yuan pairs, e.g. divorce=100,personality=300")),
            })
            .collect::<Result<_, _>>()?,
        None => file.unwrap_or_default().into_iter().map(|(k, v)| (k, v.to_string())).collect(),
    };
    let mut rates = ProvinceRates::default();
    for (name, value) in pairs {
        let yuan: i64 = value.parse().map_err(|_| ConfigError::Value(NAME, format!("{name}={value}"), "each figure is whole yuan"))?;
        rates.set(&name, yuan).map_err(|e| {
            let why: &'static str = match e.name {
                "unknown fee" => "unknown name: divorce, personality, non_property, ip_without_amount, jurisdiction_objection, enforcement_without_amount",
                _ => "outside the range the Measures allow (see the README's settings table)",
            };
            ConfigError::Value(NAME, format!("{name}={value}"), why)
        })?;
    }
    Ok(rates)
}

/// The merchant account: all seven settings or none, so a half-configured account is caught at
/// start-up rather than at the first payment.
fn wechatpay_account(env: &impl Fn(&str) -> Option<String>, file: &FileLayer) -> Result<Option<WechatPayAccount>, ConfigError> {
    let mchid = env("TIANPING_WECHATPAY_MCHID").or_else(|| file.wechatpay_mchid.clone());
    let appid = env("TIANPING_WECHATPAY_APPID").or_else(|| file.wechatpay_appid.clone());
    let merchant_serial = env("TIANPING_WECHATPAY_MERCHANT_SERIAL").or_else(|| file.wechatpay_merchant_serial.clone());
    let merchant_key_file = env("TIANPING_WECHATPAY_MERCHANT_KEY_FILE").map(PathBuf::from).or_else(|| file.wechatpay_merchant_key_file.clone());
    let platform_serial = env("TIANPING_WECHATPAY_PLATFORM_SERIAL").or_else(|| file.wechatpay_platform_serial.clone());
    let platform_key_file = env("TIANPING_WECHATPAY_PLATFORM_KEY_FILE").map(PathBuf::from).or_else(|| file.wechatpay_platform_key_file.clone());
    let api_v3_key = env("TIANPING_WECHATPAY_API_V3_KEY").or_else(|| file.wechatpay_api_v3_key.clone());
    let given = [
        mchid.is_some(),
        appid.is_some(),
        merchant_serial.is_some(),
        merchant_key_file.is_some(),
        platform_serial.is_some(),
        platform_key_file.is_some(),
        api_v3_key.is_some(),
    ];
    let (Some(mchid), Some(appid), Some(merchant_serial), Some(merchant_key_file), Some(platform_serial), Some(platform_key_file), Some(api_v3_key)) =
        (mchid, appid, merchant_serial, merchant_key_file, platform_serial, platform_key_file, api_v3_key)
    else {
        if given.iter().any(|g| *g) {
            let missing = ["MCHID", "APPID", "MERCHANT_SERIAL", "MERCHANT_KEY_FILE", "PLATFORM_SERIAL", "PLATFORM_KEY_FILE", "API_V3_KEY"]
                .iter()
                .zip(given)
                .filter(|(_, g)| !g)
                .map(|(n, _)| format!("TIANPING_WECHATPAY_{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ConfigError::Value("TIANPING_WECHATPAY_*", missing, "a WeChat Pay merchant account needs all seven settings; these are missing"));
        }
        return Ok(None);
    };
    if api_v3_key.len() != 32 || !api_v3_key.is_ascii() {
        return Err(ConfigError::Value("TIANPING_WECHATPAY_API_V3_KEY", "(hidden)".into(), "must be the 32-character APIv3 key"));
    }
    Ok(Some(WechatPayAccount { mchid, appid, merchant_serial, merchant_key_file, platform_serial, platform_key_file, api_v3_key }))
}

fn bool_setting(name: &'static str, env: Option<String>, file: Option<bool>, default: bool) -> Result<bool, ConfigError> {
    match env {
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::Value(name, v, "expected true or false")),
        },
        None => Ok(file.unwrap_or(default)),
    }
}

fn num_setting<T: std::str::FromStr + Copy>(name: &'static str, env: Option<String>, file: Option<T>, default: T) -> Result<T, ConfigError> {
    match env {
        Some(v) => v.trim().parse().map_err(|_| ConfigError::Value(name, v, "expected a whole number")),
        None => Ok(file.unwrap_or(default)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn the_provinces_fee_figures_come_from_the_environment_or_the_file_and_are_range_checked() {
        let c = Config::from_layers(FileLayer::default(), env(&[("TIANPING_FEE_RATES", "divorce=200, personality=300")])).unwrap();
        assert_eq!((c.fee_rates.divorce.0, c.fee_rates.personality.0), (20_000, 30_000));
        assert_eq!(c.fee_rates.non_property, ProvinceRates::default().non_property);
        let file: FileLayer = toml::from_str("fee_rates = { enforcement_without_amount = 500 }").unwrap();
        assert_eq!(Config::from_layers(file, env(&[])).unwrap().fee_rates.enforcement_without_amount.0, 50_000);
        for bad in ["divorce=301", "divorce=abc", "divorce", "alimony=100"] {
            let e = Config::from_layers(FileLayer::default(), env(&[("TIANPING_FEE_RATES", bad)])).unwrap_err();
            assert!(e.to_string().starts_with("TIANPING_FEE_RATES"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_wechat_pay_merchant_account_needs_all_seven_settings_and_a_32_character_apiv3_key() {
        let full = [
            ("TIANPING_WECHATPAY_MCHID", "1900000109"),
            ("TIANPING_WECHATPAY_APPID", "wxd678efh567hg6787"),
            ("TIANPING_WECHATPAY_MERCHANT_SERIAL", "5157F09EFDC096DE15EBE81A47057A72"),
            ("TIANPING_WECHATPAY_MERCHANT_KEY_FILE", "/etc/tianping/apiclient_key.pem"),
            ("TIANPING_WECHATPAY_PLATFORM_SERIAL", "PUB_KEY_ID_0119000001"),
            ("TIANPING_WECHATPAY_PLATFORM_KEY_FILE", "/etc/tianping/pub_key.pem"),
            ("TIANPING_WECHATPAY_API_V3_KEY", "0123456789abcdef0123456789abcdef"),
        ];
        let c = Config::from_layers(FileLayer::default(), env(&full)).unwrap();
        assert_eq!(c.wechatpay.as_ref().map(|a| a.mchid.as_str()), Some("1900000109"));
        assert_eq!(Config::from_layers(FileLayer::default(), env(&[])).unwrap().wechatpay, None, "none configured: none");
        let e = Config::from_layers(FileLayer::default(), env(&full[..5])).unwrap_err().to_string();
        assert!(e.contains("TIANPING_WECHATPAY_PLATFORM_KEY_FILE, TIANPING_WECHATPAY_API_V3_KEY"), "names what is missing: {e}");
        let mut short = full;
        short[6] = ("TIANPING_WECHATPAY_API_V3_KEY", "too-short");
        let e = Config::from_layers(FileLayer::default(), env(&short)).unwrap_err().to_string();
        assert!(e.starts_with("TIANPING_WECHATPAY_API_V3_KEY") && !e.contains("too-short"), "the key is not echoed: {e}");
    }

    #[test]
    fn defaults_serve_on_loopback_with_sandboxes_on() {
        let c = Config::from_layers(FileLayer::default(), env(&[])).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert!(c.sandbox);
        assert_eq!(c.kiosk_idle_secs, 120);
        assert_eq!(c.public_url, "http://localhost:3000", "loopback is named localhost, so passkeys work");
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let file: FileLayer = toml::from_str("addr = \"127.0.0.1:4000\"\nkiosk_idle_secs = 300\nsandbox = false").unwrap();
        let c = Config::from_layers(file, env(&[("TIANPING_KIOSK_IDLE_SECS", "90")])).unwrap();
        assert_eq!(c.addr.port(), 4000);
        assert_eq!(c.kiosk_idle_secs, 90);
        assert!(!c.sandbox);
    }

    #[test]
    fn a_bad_value_names_the_setting_and_what_is_expected() {
        let err = Config::from_layers(FileLayer::default(), env(&[("TIANPING_SANDBOX", "maybe")])).unwrap_err();
        assert_eq!(err.to_string(), "TIANPING_SANDBOX = \"maybe\" is not valid: expected true or false");
        let err = Config::from_layers(FileLayer::default(), env(&[("TIANPING_KIOSK_IDLE_SECS", "5")])).unwrap_err();
        assert!(err.to_string().contains("30 to 3600"));
        let err = Config::from_layers(FileLayer::default(), env(&[("TIANPING_ADDR", "nowhere")])).unwrap_err();
        assert!(err.to_string().contains("host:port"));
    }

    #[test]
    fn a_misspelt_key_in_the_file_is_refused() {
        assert!(toml::from_str::<FileLayer>("sandbx = true").is_err());
    }
}
