//! Reads the per-device preferences from the request being rendered.
use super::AppState;
use crate::ui::prefs::{KioskMode, Prefs, TEXT_COOKIE};
use leptos::prelude::use_context;

/// The value of one cookie in a `Cookie` header.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn prefs_for(state: &AppState, headers: &http::HeaderMap) -> Prefs {
    let site = &state.site;
    Prefs {
        large_text: cookie(headers, TEXT_COOKIE) == Some("large"),
        kiosk: super::kiosk::device_of(site, headers).map(|_| KioskMode { idle_secs: site.kiosk_idle_secs }),
        sandbox: site.sandbox,
    }
}

/// Inside a Leptos render: the preferences of the request being rendered.
pub fn from_request() -> Prefs {
    match (use_context::<AppState>(), use_context::<http::request::Parts>()) {
        (Some(state), Some(parts)) => prefs_for(&state, &parts.headers),
        _ => Prefs::default(),
    }
}
