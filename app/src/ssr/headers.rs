//! Security headers of rendered pages: a CSP with this response's nonce, and no caching of
//! pages on shared kiosks or of signed-in people.
use super::AppState;
use crate::ui::prefs::Prefs;
use http::{HeaderValue, header};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The Content-Security-Policy for a page whose inline scripts carry `nonce`; `extra_script` is
/// one more script URL the page loads (WeChat's JS-SDK inside the mini-program).
pub fn page_csp(nonce: &str, frame_ancestors: &[String], extra_script: Option<&str>) -> String {
    let extra = extra_script.map(|s| format!(" {s}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{extra}; style-src 'self'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; media-src 'self' blob:; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {}",
        frame_ancestors_source(frame_ancestors)
    )
}

/// The CSP for everything that is not a rendered page (files, server functions, JSON).
pub fn default_csp(frame_ancestors: &[String]) -> String {
    format!(
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {}",
        frame_ancestors_source(frame_ancestors)
    )
}

fn frame_ancestors_source(origins: &[String]) -> String {
    if origins.is_empty() { "'self'".to_string() } else { format!("'self' {}", origins.join(" ")) }
}

pub fn set_page_headers(state: &AppState, prefs: &Prefs) {
    let Some(response) = use_context::<ResponseOptions>() else { return };
    if let Some(nonce) = leptos::nonce::use_nonce()
        && let Ok(v) = HeaderValue::from_str(&page_csp(&nonce, &state.site.frame_ancestors, wechat_jssdk(state).as_deref()))
    {
        response.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
    let signed_in = use_context::<http::request::Parts>()
        .is_some_and(|p| super::prefs::cookie(&p.headers, super::session::SESSION_COOKIE).is_some());
    if prefs.kiosk.is_some() || signed_in {
        // Nothing from a shared device, and no page with a person's data, may be kept by the
        // browser or the service worker.
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
}

/// The JS-SDK to load on this page: only inside the WeChat mini-program's web-view (its
/// User-Agent says `miniProgram`), and only when configured.
pub fn wechat_jssdk(state: &AppState) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let ua = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    state.site.wechat_jssdk.clone().filter(|_| ua.contains("miniProgram"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_only_this_nonce_and_wasm() {
        let csp = page_csp("abc", &[], None);
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.ends_with("frame-ancestors 'self'"));
    }

    #[test]
    fn a_page_inside_the_mini_program_may_load_the_js_sdk_and_nothing_else() {
        let csp = page_csp("abc", &[], Some("https://res.wx.qq.com/open/js/jweixin-1.6.0.js"));
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval' https://res.wx.qq.com/open/js/jweixin-1.6.0.js;"));
    }

    #[test]
    fn configured_origins_may_frame_the_app() {
        let csp = default_csp(&["https://kiosk.example".into()]);
        assert!(csp.ends_with("frame-ancestors 'self' https://kiosk.example"));
    }
}
