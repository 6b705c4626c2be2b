//! The real server on 127.0.0.1:0 with a temporary SQLite file, driven over HTTP.
use server::config::{Config, FileLayer};
use std::collections::HashMap;

struct TestServer {
    base: String,
    config: Config,
    _data: tempfile::TempDir,
}

fn config_with(data: &std::path::Path, extra: &[(&str, &str)]) -> Config {
    let mut env: HashMap<String, String> = HashMap::from([
        ("TIANPING_DATA_DIR".into(), data.display().to_string()),
        ("TIANPING_ADDR".into(), "127.0.0.1:0".into()),
        ("TIANPING_KIOSK_SECRET".into(), "integration-test-secret-0123456789".into()),
    ]);
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    Config::from_layers(FileLayer::default(), move |k| env.get(k).cloned()).expect("test configuration")
}

async fn start(extra: &[(&str, &str)]) -> TestServer {
    let data = tempfile::tempdir().expect("temp dir");
    let mut config = config_with(data.path(), extra);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    config.public_url = format!("http://{addr}");
    let (router, _) = server::serve::build(&config).await.expect("server builds");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    TestServer { base: format!("http://{addr}"), config, _data: data }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

async fn page(s: &TestServer, path: &str, headers: &[(&str, &str)]) -> (reqwest::StatusCode, reqwest::header::HeaderMap, String) {
    let mut req = client().get(format!("{}{path}", s.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let headers = res.headers().clone();
    (status, headers, res.text().await.expect("body"))
}

#[tokio::test]
async fn the_health_check_reports_the_database_reachable() {
    let s = start(&[]).await;
    let (status, _, body) = page(&s, "/healthz", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"database\":\"ok\""), "{body}");
}

#[tokio::test]
async fn the_home_page_is_server_rendered_in_simplified_chinese_by_default() {
    let s = start(&[]).await;
    let (status, headers, body) = page(&s, "/", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("lang=\"zh-Hans\""), "html lang");
    assert!(body.contains("天平诉讼服务"));
    assert!(body.contains("沙箱"), "sandbox banner while sandboxes are on");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
}

#[tokio::test]
async fn accept_language_picks_english_and_traditional_chinese() {
    let s = start(&[]).await;
    let (_, _, en) = page(&s, "/", &[("accept-language", "en-US,en;q=0.9")]).await;
    assert!(en.contains("lang=\"en\"") && en.contains("Tianping Court Services"));
    let (_, _, hant) = page(&s, "/", &[("accept-language", "zh-TW,zh;q=0.9")]).await;
    assert!(hant.contains("lang=\"zh-Hant\"") && hant.contains("天平訴訟服務"));
    let (_, _, cookie) = page(&s, "/", &[("accept-language", "en-US"), ("cookie", "tp_lang=zh-Hant")]).await;
    assert!(cookie.contains("天平訴訟服務"), "a chosen language beats the browser's");
}

#[tokio::test]
async fn inside_the_wechat_mini_program_a_page_loads_the_js_sdk_with_its_nonce_and_nowhere_else() {
    let s = start(&[]).await;
    let mini = "Mozilla/5.0 (Linux; Android 13; wv) Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47 miniProgram/wx1234567890abcdef";
    let (_, headers, body) = page(&s, "/", &[("user-agent", mini)]).await;
    let csp = headers["content-security-policy"].to_str().expect("csp");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the CSP");
    let sdk = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";
    assert!(csp.contains(&format!("'wasm-unsafe-eval' {sdk};")), "the policy allows the SDK: {csp}");
    assert!(body.contains(&format!("<script src=\"{sdk}\" nonce=\"{nonce}\"></script>")), "the SDK is loaded with the nonce");

    let (_, headers, body) = page(&s, "/", &[("user-agent", "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36 MicroMessenger/8.0.50")]).await;
    assert!(!body.contains(sdk), "WeChat's own browser is not the mini-program");
    assert!(!headers["content-security-policy"].to_str().expect("csp").contains(sdk));
    let off = start(&[("TIANPING_WECHAT_JSSDK", "off")]).await;
    assert!(!page(&off, "/", &[("user-agent", mini)]).await.2.contains(sdk), "switched off");
}

#[tokio::test]
async fn every_page_carries_a_csp_whose_nonce_is_on_the_hydration_script() {
    let s = start(&[]).await;
    let (_, headers, body) = page(&s, "/", &[]).await;
    let csp = headers["content-security-policy"].to_str().expect("csp");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the CSP");
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the inline script carries this response's nonce");
    assert!(csp.contains("'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"));
    let (_, again, _) = page(&s, "/", &[]).await;
    assert_ne!(again["content-security-policy"], headers["content-security-policy"], "a new nonce each response");
}

#[tokio::test]
async fn an_unknown_route_is_a_translated_404_with_navigation() {
    let s = start(&[]).await;
    let (status, _, body) = page(&s, "/no-such-page", &[]).await;
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在") && body.contains("主导航"));
    let (status, _, body) = page(&s, "/no-such-page", &[("accept-language", "en")]).await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

#[tokio::test]
async fn choosing_a_language_sets_a_lasting_cookie_and_returns_to_the_page() {
    let s = start(&[]).await;
    let res = client()
        .post(format!("{}/settings/lang", s.base))
        .header("origin", &s.base)
        .form(&[("lang", "en"), ("back", "/cases")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/cases");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cookie.starts_with("tp_lang=en;") && cookie.contains("Max-Age=31536000"), "{cookie}");
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_it_changes_anything() {
    let s = start(&[]).await;
    let res = client()
        .post(format!("{}/settings/lang", s.base))
        .header("origin", "https://evil.example")
        .form(&[("lang", "en"), ("back", "/")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert!(!res.headers().contains_key("set-cookie"));
}

#[tokio::test]
async fn an_open_redirect_through_the_settings_form_goes_home_instead() {
    let s = start(&[]).await;
    let res = client()
        .post(format!("{}/settings/text-size", s.base))
        .form(&[("size", "large"), ("back", "//evil.example/")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.headers()["location"], "/");
    let (_, _, body) = page(&s, "/", &[("cookie", "tp_text=large")]).await;
    assert!(body.contains("class=\"large-text\""));
}

#[tokio::test]
async fn a_kiosk_enrols_only_by_a_correctly_signed_link_and_its_pages_are_never_stored() {
    let s = start(&[]).await;
    let link = server::serve::kiosk_link(&s.config, "lobby-1", None).expect("link");
    let forged = link.replace("lobby-1", "lobby-2");
    let res = client().get(&forged).send().await.expect("get");
    assert_eq!(res.status(), 403);
    let res = client().get(&link).send().await.expect("get");
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_string();
    assert!(cookie.starts_with("tp_kiosk=lobby-1."));
    let (_, headers, body) = page(&s, "/", &[("cookie", &cookie)]).await;
    assert!(body.contains("class=\"kiosk\"") && body.contains("data-kiosk-idle-secs=\"120\""));
    assert_eq!(headers["cache-control"], "private, no-store");
    let (_, _, plain) = page(&s, "/", &[("cookie", "tp_kiosk=lobby-1.00ff")]).await;
    assert!(!plain.contains("class=\"kiosk\""), "a forged kiosk cookie is ignored");
}

#[tokio::test]
async fn the_kiosk_reset_forgets_the_persons_preferences() {
    let s = start(&[]).await;
    let res = client().post(format!("{}/kiosk/reset", s.base)).send().await.expect("post");
    assert_eq!(res.status(), 204);
    let cleared: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap_or("").to_string()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("tp_lang=;") && c.contains("Max-Age=0")));
    assert!(cleared.iter().any(|c| c.starts_with("tp_text=;") && c.contains("Max-Age=0")));
}

#[tokio::test]
async fn seeding_loads_the_court_directory_and_can_run_again() {
    let data = tempfile::tempdir().expect("dir");
    let config = config_with(data.path(), &[]);
    server::serve::seed(&config).await.expect("first seed");
    server::serve::seed(&config).await.expect("second seed changes nothing");
    let db = server::serve::open_database(&config).await.expect("db");
    let courts = app::courts::store::all(&db).await.expect("courts");
    assert!(courts.len() >= 10);
    assert!(courts.iter().any(|c| c.code.as_str() == "京0105" && c.name.contains("朝阳")));
    assert_eq!(courts[0].code.as_str(), "最高法");
}

#[tokio::test]
async fn a_data_directory_that_cannot_be_created_stops_start_up_with_a_hint() {
    let file = tempfile::NamedTempFile::new().expect("file");
    let config = config_with(&file.path().join("data"), &[]);
    let err = server::serve::build(&config).await.err().expect("start-up must fail");
    assert!(err.contains("TIANPING_DATA_DIR"), "{err}");
}

#[tokio::test]
async fn a_failed_migration_stops_start_up_with_a_clear_message() {
    let data = tempfile::tempdir().expect("dir");
    // A database someone else made, with a table in the way of our first migration.
    let db_file = data.path().join("tianping.sqlite3");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", db_file.display())).await.expect("db");
    sqlx::query("CREATE TABLE courts (x INTEGER)").execute(&pool).await.expect("table");
    pool.close().await;
    let config = config_with(data.path(), &[]);
    let err = server::serve::build(&config).await.err().expect("start-up must fail");
    assert!(err.contains("migration failed"), "{err}");
}

#[tokio::test]
async fn the_service_worker_and_the_page_name_this_builds_hashed_files() {
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir(site.path().join("pkg")).expect("pkg");
    for f in ["tianping.abc123.js", "tianping.abc123.wasm", "tianping.def456.css"] {
        std::fs::write(site.path().join("pkg").join(f), b"x").expect("file");
    }
    std::fs::write(site.path().join("sw.js"), "const PRECACHE = \"__TIANPING_PRECACHE__\"; const VERSION = \"__TIANPING_VERSION__\";")
        .expect("template");
    let root = site.path().display().to_string();
    let s = start(&[("LEPTOS_SITE_ROOT", &root)]).await;
    let (status, headers, body) = page(&s, "/sw.js", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"/pkg/tianping.abc123.wasm\"") && !body.contains("__TIANPING_VERSION__"), "{body}");
    assert_eq!(headers["cache-control"], "no-cache");
    let (_, _, home) = page(&s, "/", &[]).await;
    assert!(home.contains("href=\"/pkg/tianping.def456.css\""));
    let (status, headers, _) = page(&s, "/pkg/tianping.abc123.js", &[]).await;
    assert_eq!(status, 200);
    assert!(headers["cache-control"].to_str().unwrap_or("").contains("immutable"));
    // A pre-compressed copy is sent as is when the browser takes brotli.
    std::fs::write(site.path().join("pkg").join("tianping.abc123.wasm.br"), b"BROTLI").expect("br");
    let res = client()
        .get(format!("{}/pkg/tianping.abc123.wasm", s.base))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.bytes().await.expect("body").as_ref(), b"BROTLI");
}

#[tokio::test]
async fn pages_are_compressed_with_brotli_when_the_browser_accepts_it() {
    let s = start(&[]).await;
    let res = client().get(format!("{}/", s.base)).header("accept-encoding", "br, gzip").send().await.expect("get");
    assert_eq!(res.headers()["content-encoding"], "br");
    let res = client().get(format!("{}/", s.base)).header("accept-encoding", "gzip").send().await.expect("get");
    assert_eq!(res.headers()["content-encoding"], "gzip");
}
