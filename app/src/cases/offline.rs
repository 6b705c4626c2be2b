//! Reading cases offline: once the case list or a case is on screen, a copy of what it shows
//! (the page's text, without its forms) is kept in the browser with the time it was saved, the
//! list and the last five cases; the offline page (`public/offline.js`) shows it when the
//! network is gone. Never on a court kiosk, and forgotten when the person signs out or someone
//! else signs in on the device.
use crate::error::AppError;
use leptos::prelude::*;

/// The browser's store of saved pages, and whose they are.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const STORE_KEY: &str = "tp-offline";
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const OWNER_KEY: &str = "tp-offline-owner";
/// The last cases viewed that are kept (the list is kept beside them).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const KEEP_CASES: u32 = 5;

/// Saves the page once `resource` has loaded without error, if `whole()` says it shows the
/// whole thing (the unfiltered list).
pub fn keep_when_loaded<T: Clone + Send + Sync + 'static>(resource: Resource<Result<T, AppError>>, whole: impl Fn() -> bool + Send + Sync + 'static) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(resource.get(), Some(Ok(_))) && whole() {
            // After the view has drawn what the resource brought.
            set_timeout(imp::save_page, std::time::Duration::from_millis(100));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (resource, whole);
}

/// Called with who is signed in on every page: nobody (signed out) forgets every saved page;
/// someone else than the pages' owner replaces them.
pub fn signed_in_as(owner: Option<i64>) {
    #[cfg(feature = "hydrate")]
    imp::claim(owner);
    #[cfg(not(feature = "hydrate"))]
    let _ = owner;
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::{KEEP_CASES, OWNER_KEY, STORE_KEY};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    fn on_kiosk() -> bool {
        document().document_element().is_some_and(|h| h.class_list().contains("kiosk"))
    }

    pub fn claim(owner: Option<i64>) {
        let Some(store) = storage() else { return };
        let mine = owner.map(|o| o.to_string());
        let kept = store.get_item(OWNER_KEY).ok().flatten();
        if on_kiosk() || mine.is_none() || (kept.is_some() && kept != mine) {
            let _ = store.remove_item(STORE_KEY);
            let _ = store.remove_item(OWNER_KEY);
        }
        if let Some(m) = mine
            && !on_kiosk()
        {
            let _ = store.set_item(OWNER_KEY, &m);
        }
    }

    fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
        let _ = js_sys::Reflect::set(obj, &key.into(), value);
    }

    pub fn save_page() {
        if on_kiosk() {
            return;
        }
        let (Some(store), Some(main)) = (storage(), document().get_element_by_id("main")) else { return };
        let Ok(copy) = main.clone_node_with_deep(true).map(|n| n.unchecked_into::<web_sys::Element>()) else { return };
        // What cannot work offline is left out; what is read stays.
        if let Ok(list) = copy.query_selector_all("form, button, input, select, textarea, script, template, .loading") {
            for i in 0..list.length() {
                if let Some(node) = list.item(i)
                    && let Some(parent) = node.parent_node()
                {
                    let _ = parent.remove_child(&node);
                }
            }
        }
        let path = window().location().pathname().unwrap_or_default();
        let entry = js_sys::Object::new();
        set(&entry, "path", &path.clone().into());
        set(&entry, "title", &document().title().into());
        set(&entry, "saved", &js_sys::Date::now().into());
        set(&entry, "html", &copy.inner_html().into());
        let css = document().query_selector("link[rel=stylesheet]").ok().flatten().and_then(|l| l.get_attribute("href"));
        set(&entry, "css", &css.map(JsValue::from).unwrap_or(JsValue::NULL));
        let old = store.get_item(STORE_KEY).ok().flatten().and_then(|s| js_sys::JSON::parse(&s).ok()).filter(|v| js_sys::Array::is_array(v));
        let entries = js_sys::Array::new();
        entries.push(&entry);
        let mut cases = u32::from(path != "/cases");
        if let Some(old) = old {
            for e in js_sys::Array::from(&old).iter() {
                let Some(p) = js_sys::Reflect::get(&e, &"path".into()).ok().and_then(|p| p.as_string()) else { continue };
                if p == path {
                    continue;
                }
                if p == "/cases" {
                    entries.push(&e);
                } else if cases < KEEP_CASES {
                    cases += 1;
                    entries.push(&e);
                }
            }
        }
        // A full store (private mode, quota) only costs reading offline.
        if let Ok(text) = js_sys::JSON::stringify(&entries) {
            let _ = store.set_item(STORE_KEY, &String::from(text));
        }
    }
}
