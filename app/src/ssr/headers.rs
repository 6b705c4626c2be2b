//! Security headers of rendered pages: a CSP with this response's nonce, and no caching of
//! pages on shared kiosks or of signed-in people.
use super::AppState;
use crate::ui::prefs::Prefs;
use http::{HeaderValue, header};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The Content-Security-Policy for a page whose inline scripts carry `nonce`.
pub fn page_csp(nonce: &str, frame_ancestors: &[String]) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
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
        && let Ok(v) = HeaderValue::from_str(&page_csp(&nonce, &state.site.frame_ancestors))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_only_this_nonce_and_wasm() {
        let csp = page_csp("abc", &[]);
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.ends_with("frame-ancestors 'self'"));
    }

    #[test]
    fn configured_origins_may_frame_the_app() {
        let csp = default_csp(&["https://kiosk.example".into()]);
        assert!(csp.ends_with("frame-ancestors 'self' https://kiosk.example"));
    }
}
