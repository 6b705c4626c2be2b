//! What every integration suite needs: the real server on 127.0.0.1:0 with a temporary SQLite
//! file, one cookie jar per browser, server-function calls as the app's client makes them, and
//! people of each role (a signed-in number, a verified person, a staff member of a court).
#![allow(dead_code)]
pub mod authenticator;
pub mod filing;

use reqwest::StatusCode;
use serde_json::Value;
use server::config::{Config, FileLayer};
use server::serve::ServerState;
use std::collections::HashMap;

pub struct App {
    pub base: String,
    pub state: ServerState,
    pub _data: tempfile::TempDir,
}

pub async fn start(extra: &[(&str, &str)]) -> App {
    let data = tempfile::tempdir().expect("temp dir");
    let mut env: HashMap<String, String> = HashMap::from([
        ("TIANPING_DATA_DIR".into(), data.path().display().to_string()),
        ("TIANPING_ADDR".into(), "127.0.0.1:0".into()),
        ("TIANPING_KIOSK_SECRET".into(), "integration-test-secret-0123456789".into()),
        ("TIANPING_IP_LIMIT_PER_HOUR".into(), "1000".into()),
    ]);
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let mut config = Config::from_layers(FileLayer::default(), move |k| env.get(k).cloned()).expect("config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // Tests of passkeys name a public URL with a domain (WebAuthn needs one); others use the address.
    if !extra.iter().any(|(k, _)| *k == "TIANPING_PUBLIC_URL") {
        config.public_url = format!("http://{addr}");
    }
    let (router, state) = server::serve::build(&config).await.expect("server builds");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    App { base: format!("http://{addr}"), state, _data: data }
}

/// One browser: its own cookie jar.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// Calls a server function the way the app's client does; returns status, JSON and Set-Cookie lines.
pub async fn call(app: &App, b: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value, Vec<String>) {
    call_with(app, b, endpoint, form, &[]).await
}

pub async fn call_with(app: &App, b: &reqwest::Client, endpoint: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> (StatusCode, Value, Vec<String>) {
    // `identity/...`-less names are the identity area's, as the first suite was written.
    let path = if endpoint.contains('/') { endpoint.to_string() } else { format!("identity/{endpoint}") };
    let mut req = b.post(format!("{}/api/{path}", app.base)).form(form);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let cookies = res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(String::from)).collect();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)), cookies)
}

pub fn cookie_value(cookies: &[String], name: &str) -> Option<String> {
    cookies.iter().find_map(|c| c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string()))
}

/// The newest code in the sandbox outbox for a number, read from the outbox page.
pub async fn latest_code(app: &App, mobile: &str) -> String {
    let page = reqwest::get(format!("{}/sandbox/sms?to={mobile}", app.base)).await.expect("outbox").text().await.expect("body");
    let start = page.find("<td class=\"text\">").expect("a message in the outbox");
    let text = &page[start..];
    let digits: String = text.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
    assert_eq!(digits.len(), 6, "a 6-digit code in {text}");
    digits
}

pub async fn sign_in(app: &App, b: &reqwest::Client, mobile: &str) -> String {
    let (status, body, _) = call(app, b, "request_code", &[("mobile", mobile)]).await;
    assert_eq!(status, 200, "{body}");
    let code = latest_code(app, mobile).await;
    let (status, body, cookies) = call(app, b, "sign_in_with_code", &[("code", &code)]).await;
    assert_eq!(status, 200, "{body}");
    cookie_value(&cookies, "tp_session").expect("a session cookie")
}

pub async fn me(app: &App, b: &reqwest::Client) -> Value {
    call(app, b, "me", &[]).await.1
}

pub fn advance(app: &App, secs: i64) {
    app.state.app.clock.advance(secs);
}


pub fn test_config(app: &App) -> Config {
    let env: HashMap<String, String> = HashMap::from([
        ("TIANPING_DATA_DIR".into(), app._data.path().display().to_string()),
        ("TIANPING_KIOSK_SECRET".into(), "integration-test-secret-0123456789".into()),
        ("TIANPING_PUBLIC_URL".into(), app.base.clone()),
    ]);
    Config::from_layers(FileLayer::default(), move |k| env.get(k).cloned()).expect("config")
}

pub fn registry_id(name: &str) -> String {
    let entries: Vec<Value> = serde_json::from_str(app::ssr::outside::SANDBOX_REGISTRY).expect("registry");
    entries.iter().find(|e| e["legal_name"] == name).and_then(|e| e["id_number"].as_str()).expect("in the registry").to_string()
}

/// A browser signed in as a new staff member of `court` with `role` (the session made directly,
/// as enrolment with a passkey would leave it).
pub async fn staff_browser(app: &App, court: &str, role: &str) -> reqwest::Client {
    let token = staff_token(app, court, role, "王书记").await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = app.base.parse().expect("url");
    jar.add_cookie_str(&format!("tp_session={token}; Path=/"), &url);
    reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// A new staff member of `court` with a live, stepped-up session: its token.
pub async fn staff_token(app: &App, court: &str, role: &str, name: &str) -> String {
    let db = &app.state.app.db;
    let courts = app::courts::store::shipped_directory().expect("directory");
    app::courts::store::upsert_all(db, &courts).await.expect("courts");
    let now = app.state.app.clock.now();
    let (_, enrol_hash) = app::ssr::session::new_token();
    let person = app::identity::store::create_staff(db, court, role, name, &enrol_hash, now, now.plus_secs(3600)).await.expect("staff");
    let (token, hash) = app::ssr::session::new_token();
    app::identity::store::create_session(
        db,
        app::identity::store::NewSession {
            token_hash: &hash,
            person_id: person,
            now,
            idle_secs: 1800,
            kiosk_device: None,
            browser: "Chrome",
            profile: app::identity::model::DeviceProfile::Desktop,
            place: "127.0.0.*",
            stepped_up: true,
        },
    )
    .await
    .expect("session");
    token
}

/// A verified person's browser (name from the sandbox registry).
pub async fn verified_browser(app: &App, mobile: &str, name: &str) -> reqwest::Client {
    let b = browser();
    sign_in(app, &b, mobile).await;
    let (status, body, _) = call(app, &b, "verify", &[("legal_name", name), ("id_number", &registry_id(name))]).await;
    assert_eq!(status, 200, "{body}");
    b
}


/// Posts a multipart form as a browser does, with an optional file in `file_field`; answers the
/// status and the redirect's target.
pub async fn multipart_post(app: &App, b: &reqwest::Client, path: &str, fields: &[(&str, &str)], file_field: &str, file: Option<&[u8]>) -> (StatusCode, String) {
    let boundary = "tianping-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    if let Some(bytes) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"doc.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let res = b
        .post(format!("{}{path}", app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("request");
    let to = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (res.status(), to)
}
