//! The router: Leptos pages and server functions, and the routes that are not Leptos (health,
//! service worker, preference forms, kiosk enrolment), with the layers every response passes.
use crate::serve::ServerState;
use app::app::{App, shell};
use app::ssr::AppState;
use app::ui::prefs::{KIOSK_COOKIE, LANG_COOKIE, PREF_COOKIE_MAX_AGE_S, TEXT_COOKIE};
use axum::extract::{Form, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Forms and server-function bodies are small; uploads will get their own, larger limit.
const BODY_LIMIT: usize = 1024 * 1024;

pub fn router(state: ServerState) -> Router {
    let leptos = state.leptos.clone();
    let routes = generate_route_list(App);
    let app_state = state.app.clone();
    let context = move || provide_context(app_state.clone());
    let pkg_dir = std::path::Path::new(leptos.site_root.as_ref()).join(leptos.site_pkg_dir.as_ref());
    let frame_ancestors = state.app.site.frame_ancestors.clone();

    // Hashed file names never change content, so browsers may keep them for a year. The build
    // writes .br/.gz copies at maximum compression (server/scripts/precompress.mjs); they are sent as is.
    let pkg = Router::new().fallback_service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip()).layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    ));

    let mut router = Router::new();
    if let Some(platform) = state.app.sandbox_pay.clone() {
        router = router.nest_service("/sandbox/wechatpay", app::ssr::sandbox_pay::router(platform));
    }
    let router = router
        .route("/healthz", get(healthz))
        .route("/sw.js", get(service_worker))
        .route("/settings/lang", post(set_language))
        .route("/settings/text-size", post(set_text_size))
        .route("/kiosk/enrol", get(kiosk_enrol))
        .route("/kiosk/reset", post(kiosk_reset))
        .route("/sandbox/sms", get(sandbox_sms))
        .route("/api/filing/upload/{id}", axum::routing::put(upload_chunk))
        .route("/files/{id}", get(filing_file))
        .route("/documents/{id}", get(served_document))
        .route("/attachments/{id}", get(message_attachment))
        .route("/inbox/{id}", get(open_notice))
        .route("/calendar/{token}", get(calendar_feed))
        .route("/hearings/{id}/socket", get(hearing_socket))
        .route("/hearings/{id}/documents/{file}", get(hearing_document))
        .route("/receipts/{no}/pdf", get(app::fees::receipts::receipt_pdf))
        .route(app::fees::pay::NOTIFY_PATH, post(payment_notification))
        .route(app::fees::refunds::REFUND_NOTIFY_PATH, post(refund_notification))
        .nest("/pkg", pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context, shell))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // A served document is one whole PDF of up to 20 MB: the only route allowed a larger body.
        .merge(
            Router::new()
                .route("/staff/cases/{id}/serve", post(serve_document))
                .route("/cases/{id}/messages", post(send_message))
                .route("/sign/check", post(check_signed_pdf))
                .layer(axum::extract::DefaultBodyLimit::disable())
                .layer(RequestBodyLimitLayer::new(app::cases::service::MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .layer(middleware::from_fn(own_reactive_root))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(state.clone(), check_origin))
        .layer(CompressionLayer::new());
    with_security_headers(router, &frame_ancestors)
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

fn with_security_headers(router: Router<ServerState>, frame_ancestors: &[String]) -> Router<ServerState> {
    let csp = HeaderValue::from_str(&app::ssr::headers::default_csp(frame_ancestors))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'self'"));
    router
        // Pages set their own policy with a nonce; everything else gets the strict default.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}

/// Every request is handled under its own, empty reactive owner.
///
/// leptos_axum makes the owner of a server function, and of a site file it serves, with
/// `Owner::new()`, which hangs it under whatever owner the worker thread had current last: often
/// the root of another request's page that is still rendering. The file handler then took that
/// page's response headers (`use_context::<ResponseOptions>()` found the page's) and the page
/// went out without its CSP nonce and without `no-store`; a server function could likewise read
/// a context of someone else's request. With a fresh root current while each request is polled,
/// nothing can be found across requests.
async fn own_reactive_root(req: Request, next: Next) -> Response {
    let root = leptos::prelude::Owner::new_root(None);
    // `new_root` also makes itself the thread's current owner; outside this request's polls the
    // thread should have none.
    root.clone().unset();
    WithOwner { owner: root, inner: Box::pin(next.run(req)) }.await
}

struct WithOwner<F> {
    owner: leptos::prelude::Owner,
    inner: std::pin::Pin<Box<F>>,
}

impl<F: std::future::Future> std::future::Future for WithOwner<F> {
    type Output = F::Output;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        let this = self.get_mut();
        this.owner.with(|| this.inner.as_mut().poll(cx))
    }
}

/// State-changing requests must come from our own pages (CSRF): a cross-site `Origin` or
/// `Sec-Fetch-Site` is refused before any handler runs.
async fn check_origin(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let public_url = state.public_url.0.as_str();
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if !same_origin(req.headers(), public_url) {
        tracing::warn!(path = %req.uri().path(), "cross-origin state change refused");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(req).await
}

/// Server functions answer every error with 500; this gives each `AppError` its own status
/// (401, 403, 404, 409, 422, 429), so logs, tests and proxies see what happened.
async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let app::error::AppError::RateLimited { retry_after_s } = err
            && let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            parts.headers.insert(header::RETRY_AFTER, v);
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Non-browser clients send no Origin; browsers always do on POST.
        return true;
    };
    if origin == public_url {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
    !host.is_empty() && origin_host == host
}

async fn healthz(State(state): State<AppState>) -> Response {
    match app::ssr::db::ping(&state.db).await {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "error", "database": "unreachable"})))
                .into_response()
        }
    }
}

async fn service_worker(State(state): State<ServerState>) -> Response {
    if state.sw_template.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let body = crate::assets::service_worker(&state.sw_template, &state.app.assets);
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must check for a new worker on every visit.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

#[derive(Deserialize)]
struct TextSizeForm {
    size: String,
    #[serde(default)]
    back: String,
}

/// Only paths on this site: anything else (`//evil`, `https://…`) sends the person home.
fn safe_back(back: &str) -> &str {
    if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') { back } else { "/" }
}

fn pref_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax{secure}")
}

fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

async fn set_language(State(state): State<AppState>, Form(form): Form<LangForm>) -> Response {
    let lang = match form.lang.as_str() {
        "zh-Hans" | "zh-Hant" | "en" => form.lang.as_str(),
        _ => return (StatusCode::UNPROCESSABLE_ENTITY, "unknown language").into_response(),
    };
    see_other(safe_back(&form.back), &[pref_cookie(LANG_COOKIE, lang, PREF_COOKIE_MAX_AGE_S, state.site.secure_cookies)])
}

async fn set_text_size(State(state): State<AppState>, Form(form): Form<TextSizeForm>) -> Response {
    let cookie = match form.size.as_str() {
        "large" => pref_cookie(TEXT_COOKIE, "large", PREF_COOKIE_MAX_AGE_S, state.site.secure_cookies),
        "normal" => pref_cookie(TEXT_COOKIE, "", 0, state.site.secure_cookies),
        _ => return (StatusCode::UNPROCESSABLE_ENTITY, "unknown text size").into_response(),
    };
    see_other(safe_back(&form.back), &[cookie])
}

#[derive(Deserialize)]
struct Enrolment {
    device: String,
    sig: String,
}

/// Ten years: a kiosk stays enrolled until staff clear it.
const KIOSK_COOKIE_MAX_AGE_S: i64 = 10 * 365 * 24 * 3600;

async fn kiosk_enrol(State(state): State<AppState>, Query(q): Query<Enrolment>) -> Response {
    let secret = &state.site.kiosk_secret;
    if !app::ssr::kiosk::verify(secret, &q.device, &q.sig) {
        tracing::warn!(device = %q.device, "kiosk enrolment with a bad signature refused");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "终端登记链接无效或已被篡改。\n終端登記連結無效或已被篡改。\nThis kiosk enrolment link is not valid.",
        )
            .into_response();
    }
    tracing::info!(device = %q.device, "kiosk enrolled");
    let secure = if state.site.secure_cookies { "; Secure" } else { "" };
    let value = app::ssr::kiosk::cookie_value(secret, &q.device);
    see_other("/", &[format!("{KIOSK_COOKIE}={value}; Path=/; Max-Age={KIOSK_COOKIE_MAX_AGE_S}; SameSite=Lax; HttpOnly{secure}")])
}

/// The kiosk's idle wipe: end this person's session and forget their preferences; keep the
/// enrolment.
async fn kiosk_reset(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use app::ssr::session::{self, PENDING_CODE_COOKIE, SESSION_COOKIE};
    let secure = state.site.secure_cookies;
    if let Some(token) = app::ssr::prefs::cookie(&headers, SESSION_COOKIE).filter(|t| session::well_formed(t)) {
        let now = state.clock.now();
        match app::identity::store::end_kiosk_session(&state.db, &session::token_hash(token), now).await {
            Ok(Some((session_id, person_id))) => {
                let details = serde_json::json!({ "reason": "kiosk_reset" });
                let actor = format!("person:{person_id}");
                if let Err(e) = app::ssr::audit::append(&state.db, now.0, &actor, "identity.signed_out", &format!("session:{session_id}"), &details).await {
                    tracing::error!(error = %e, "audit append failed on kiosk reset");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "ending a kiosk session failed"),
        }
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let cleared = [
        pref_cookie(LANG_COOKIE, "", 0, secure),
        pref_cookie(TEXT_COOKIE, "", 0, secure),
        session::clear_cookie(SESSION_COOKIE, secure),
        session::clear_cookie(PENDING_CODE_COOKIE, secure),
    ];
    for c in cleared {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[derive(Deserialize)]
struct OutboxQuery {
    to: Option<String>,
}

/// The sandbox SMS outbox: what the SMS gateway would have sent. Exists only while sandboxes are
/// on; e2e tests read codes from here.
#[derive(Deserialize)]
struct ChunkQuery {
    offset: i64,
}

/// One chunk of a resumable evidence upload (the rules are in app::filing::files).
async fn upload_chunk(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, Query(q): Query<ChunkQuery>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    // A chunk is at most CHUNK_BYTES; the whole-body limit above already caps it at 1 MiB.
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    app::filing::files::put_chunk(state, parts, id, q.offset, bytes).await
}

#[derive(Deserialize)]
struct FileQuery {
    #[serde(default)]
    download: bool,
}

/// An uploaded file, for preview (inline) or download, to those who may see it.
async fn filing_file(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, Query(q): Query<FileQuery>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    app::filing::files::get_file(state, parts, id, q.download).await
}

/// Staff serve a document on a case's people (the rules are in app::cases::documents).
async fn serve_document(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    use axum::extract::FromRequest;
    let (parts, body) = req.into_parts();
    match axum::extract::Multipart::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(form) => app::cases::documents::serve(state, parts, id, form).await,
        Err(e) => e.into_response(),
    }
}

/// Anyone checks whether a PDF is exactly one this court sealed (the rules are in app::signing::check).
async fn check_signed_pdf(State(state): State<AppState>, req: Request) -> Response {
    use axum::extract::FromRequest;
    let (parts, body) = req.into_parts();
    match axum::extract::Multipart::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(form) => app::signing::check::check_pdf(state, parts, form).await,
        Err(e) => e.into_response(),
    }
}

/// A message to or from the court in a case's thread (the rules are in app::cases::messages_http).
async fn send_message(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    use axum::extract::FromRequest;
    let (parts, body) = req.into_parts();
    match axum::extract::Multipart::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(form) => app::cases::messages_http::send(state, parts, id, form).await,
        Err(e) => e.into_response(),
    }
}

/// A message's attachment, for the thread's people and the court's staff.
async fn message_attachment(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    app::cases::messages_http::attachment(state, parts, id).await
}

/// Opens a notice from the inbox or a push message: marks it read, then goes where it points.
async fn open_notice(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    app::cases::inbox::open(state, parts, id).await
}

/// An online hearing's signalling socket. Browsers send an Origin on WebSocket requests and
/// no CORS applies to them, so a page of another site is refused here (it would carry the
/// person's cookie).
/// The evidence shown in a hearing's room, for those in the room (rules in app::hearings::socket).
async fn hearing_document(State(state): State<AppState>, axum::extract::Path((id, file)): axum::extract::Path<(i64, i64)>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    app::hearings::socket::shown_document(state, parts, id, file).await
}

async fn hearing_socket(
    State(state): State<ServerState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    upgrade: axum::extract::ws::WebSocketUpgrade,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    if !same_origin(&parts.headers, &state.public_url.0) {
        return StatusCode::FORBIDDEN.into_response();
    }
    app::hearings::socket::socket(state.app, parts, id, upgrade).await
}

/// A person's private calendar feed of hearings and deadlines (the address is the key).
async fn calendar_feed(State(state): State<AppState>, axum::extract::Path(token): axum::extract::Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    app::cases::calendar::feed(state, parts, token).await
}

/// A served document, for a person it was served on (recording their read receipt) or staff.
async fn served_document(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, Query(q): Query<FileQuery>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    app::cases::documents::open(state, parts, id, q.download).await
}

/// The payment gateway's notifications: verified, applied once, answered so it stops resending.
async fn payment_notification(State(state): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let (status, body) = app::fees::pay::take_notification(&state, &headers, &body).await;
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn refund_notification(State(state): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let (status, body) = app::fees::refunds::take_refund_notification(&state, &headers, &body).await;
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn sandbox_sms(State(state): State<AppState>, Query(q): Query<OutboxQuery>) -> Response {
    if !state.site.sandbox {
        return StatusCode::NOT_FOUND.into_response();
    }
    let to = q.to.as_deref().and_then(|t| app::identity::model::MobileNumber::parse(t).ok());
    let messages = match app::ssr::outside::sandbox_outbox(&state.db, to.as_ref().map(|m| m.as_str()), 100).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reading the sandbox outbox failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let rows: String = messages
        .iter()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td class=\"to\">{}</td><td class=\"text\">{}</td></tr>",
                app::identity::model::UnixTime(m.at).shanghai(),
                escape_html(&m.mobile),
                escape_html(&m.text)
            )
        })
        .collect();
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>沙箱短信 · Sandbox SMS outbox</title><link rel=\"stylesheet\" href=\"/offline.css\"></head>\
         <body><main><h1>沙箱短信发件箱 <span lang=\"en\">· Sandbox SMS outbox</span></h1>\
         <p>沙箱模式：以下短信并未真正发出。<span lang=\"en\">Sandbox mode: these messages were not really sent.</span></p>\
         <table><caption>最新在前 <span lang=\"en\">· newest first</span></caption><thead><tr><th scope=\"col\">时间 Time</th><th scope=\"col\">号码 To</th><th scope=\"col\">内容 Text</th></tr></thead>\
         <tbody>{rows}</tbody></table></main></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A handler panicked: the person gets a page with a reference to quote, the log gets the rest.
fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let ref_id = app::ssr::reference_id();
    tracing::error!(%ref_id, panic = %detail, "request handler panicked");
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>出错了 · Error</title><link rel=\"stylesheet\" href=\"/offline.css\"></head><body><main class=\"error-page\">\
         <h1>出错了</h1><p>服务器处理您的请求时出错。如需帮助，请向法院提供参考编号：<code class=\"ref-id\">{ref_id}</code></p>\
         <h2 lang=\"zh-Hant\">發生錯誤</h2><p lang=\"zh-Hant\">伺服器處理您的請求時發生錯誤。如需協助，請提供參考編號：<code>{ref_id}</code></p>\
         <h2 lang=\"en\">Something went wrong</h2><p lang=\"en\">The server could not complete your request. If you need help, give the court this reference: <code>{ref_id}</code></p>\
         <p><a href=\"/\">返回首页 · Home</a></p></main></body></html>"
    );
    (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_back() {
        assert_eq!(safe_back("/cases?x=1"), "/cases?x=1");
        assert_eq!(safe_back("//evil.example"), "/");
        assert_eq!(safe_back("https://evil.example"), "/");
        assert_eq!(safe_back(""), "/");
    }

    #[test]
    fn a_panic_gives_a_500_page_with_a_reference_and_without_the_panic_message() {
        let res = panic_page(Box::new("secret detail: db password".to_string()));
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = futures_body(res);
        assert!(body.contains("ref-id") && body.contains("出错了") && body.contains("Something went wrong"));
        assert!(!body.contains("secret detail"));
    }

    fn futures_body(res: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let bytes = rt.block_on(axum::body::to_bytes(res.into_body(), usize::MAX)).expect("body");
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_cross_site_post_is_not_same_origin() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:3000"));
        assert!(same_origin(&h, "http://localhost:3000"));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h, "http://localhost:3000"));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, "http://localhost:3000"));
    }
}
