//! Browser-only glue (feature `hydrate`): the hydration marker, the service worker, reading the
//! server's per-device settings back from `<html>`, and the kiosk idle timer and wipe.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

#[cfg(feature = "hydrate")]
pub use imp::*;

#[cfg(feature = "hydrate")]
mod imp {
    use crate::ui::prefs::{KioskMode, Prefs};
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::time::Duration;

    fn html() -> Option<web_sys::Element> {
        window().document()?.document_element()
    }

    /// Runs once the page is interactive: tests and people may act from here on.
    pub fn after_hydration() {
        if let Some(root) = html() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        register_service_worker();
        if html().is_some_and(|h| h.class_list().contains("kiosk")) {
            // A shared kiosk must never offer to install the app for "its" user.
            // The listener lives as long as the page: forget the handle that would remove it.
            std::mem::forget(window_event_listener_untyped("beforeinstallprompt", |ev| ev.prevent_default()));
        }
    }

    fn register_service_worker() {
        let container = window().navigator().service_worker();
        // Failing to register only costs offline support; the page works without it.
        let _ = container.register("/sw.js");
    }

    pub fn prefs_from_document() -> Prefs {
        let Some(root) = html() else { return Prefs::default() };
        let classes = root.class_list();
        let kiosk = classes.contains("kiosk").then(|| KioskMode {
            idle_secs: root
                .get_attribute("data-kiosk-idle-secs")
                .and_then(|s| s.parse().ok())
                .unwrap_or(120),
        });
        Prefs {
            large_text: classes.contains("large-text"),
            kiosk,
            sandbox: root.get_attribute("data-sandbox").is_some(),
        }
    }

    struct IdleTimer {
        idle: Duration,
        warning: Duration,
        shown: RwSignal<bool>,
        pending: Option<TimeoutHandle>,
        /// Bumped at every restart; a timer from an older generation does nothing when it fires.
        generation: u64,
    }

    thread_local! {
        static IDLE: RefCell<Option<IdleTimer>> = const { RefCell::new(None) };
    }

    /// Starts the idle watch; any touch, click, key or scroll counts as the person still being there.
    /// Safe to call again (a re-rendered guard): the listeners are added once.
    pub fn watch_idle(idle_secs: u32, warning_secs: u32, shown: RwSignal<bool>) {
        let idle = Duration::from_secs(u64::from(idle_secs.max(warning_secs + 1)));
        let warning = Duration::from_secs(u64::from(warning_secs));
        let first = IDLE.with(|t| {
            let mut t = t.borrow_mut();
            let first = t.is_none();
            let generation = t.as_ref().map_or(0, |old| old.generation + 1);
            if let Some(h) = t.as_mut().and_then(|old| old.pending.take()) {
                h.clear();
            }
            *t = Some(IdleTimer { idle, warning, shown, pending: None, generation });
            first
        });
        if first {
            for event in ["pointerdown", "keydown", "touchstart", "wheel", "input"] {
                // These listeners live as long as the page: forget the handles that would remove them.
                std::mem::forget(window_event_listener_untyped(event, |_| restart_idle_timer()));
            }
        }
        restart_idle_timer();
    }

    pub fn restart_idle_timer() {
        let shown = IDLE.with(|t| {
            let mut t = t.borrow_mut();
            let timer = t.as_mut()?;
            if let Some(h) = timer.pending.take() {
                h.clear();
            }
            timer.generation += 1;
            let generation = timer.generation;
            timer.pending = set_timeout_with_handle(move || show_warning(generation), timer.idle - timer.warning).ok();
            Some(timer.shown)
        });
        // Outside the borrow: the signal's effects may run at once.
        if let Some(shown) = shown {
            shown.set(false);
        }
    }

    fn show_warning(generation: u64) {
        let shown = IDLE.with(|t| {
            let mut t = t.borrow_mut();
            let timer = t.as_mut().filter(|timer| timer.generation == generation)?;
            timer.pending = set_timeout_with_handle(
                move || {
                    let current = IDLE.with(|t| t.borrow().as_ref().is_some_and(|t| t.generation == generation));
                    if current {
                        leptos::task::spawn_local(wipe());
                    }
                },
                timer.warning,
            )
            .ok();
            Some(timer.shown)
        });
        if let Some(shown) = shown {
            shown.set(true);
        }
    }

    /// Clears everything this person may have left on the device, then returns to the start screen.
    async fn wipe() {
        let w = window();
        if let Ok(Some(s)) = w.local_storage() {
            let _ = s.clear();
        }
        if let Ok(Some(s)) = w.session_storage() {
            let _ = s.clear();
        }
        if let Ok(caches) = w.caches() {
            if let Ok(keys) = wasm_bindgen_futures::JsFuture::from(caches.keys()).await {
                for key in js_sys::Array::from(&keys).iter() {
                    if let Some(name) = key.as_string() {
                        let _ = wasm_bindgen_futures::JsFuture::from(caches.delete(&name)).await;
                    }
                }
            }
        }
        // The server forgets the session and the person's preferences; the kiosk enrolment stays.
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        let _ = wasm_bindgen_futures::JsFuture::from(w.fetch_with_str_and_init("/kiosk/reset", &init)).await;
        let _ = w.location().replace("/");
    }

}
