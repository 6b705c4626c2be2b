//! Push messages on this device: the subscription a browser makes with our VAPID key, kept per
//! person, and the button that turns it on or off. Sending is `ssr::push`'s.
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The longest endpoint a push service gives (they are URLs of a few hundred characters).
#[cfg(feature = "ssr")]
const MAX_ENDPOINT: usize = 2048;

/// Keeps this device's push subscription for the signed-in person. Never on a court kiosk: the
/// next person in the lobby would see the last one's notices.
#[server(prefix = "/api", endpoint = "notices/subscribe")]
pub async fn subscribe_push(endpoint: String, p256dh: String, auth: String) -> Result<(), AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if cx.kiosk_device().is_some() {
        return Err(AppError::Forbidden);
    }
    let endpoint = endpoint.trim();
    if endpoint.len() > MAX_ENDPOINT || !endpoint.starts_with("https://") || endpoint.parse::<http::Uri>().is_err() {
        return Err(AppError::field("endpoint", "error_push_subscription"));
    }
    // The browser's key must be a P-256 point and its secret 16 bytes, or nothing can be sent.
    let key = crate::ui::base64url::b64url_decode(p256dh.trim()).filter(|k| web_push_native::p256::PublicKey::from_sec1_bytes(k).is_ok());
    let secret = crate::ui::base64url::b64url_decode(auth.trim()).filter(|s| s.len() == 16);
    if key.is_none() || secret.is_none() {
        return Err(AppError::field("p256dh", "error_push_subscription"));
    }
    let locale = cx.locale().to_string();
    let new = super::store::NewSubscription { person: me.person_id, endpoint, p256dh: p256dh.trim(), auth: auth.trim(), locale: &locale, now: cx.now() };
    super::store::subscribe(cx.db(), new).await.map_err(|e| internal("push subscriptions", e))?;
    cx.audit(&me.actor(), "notices.push_subscribed", &me.actor(), serde_json::json!({ "service": endpoint.split('/').take(3).collect::<Vec<_>>().join("/") })).await
}

/// Forgets this device's subscription (the person turned push off here).
#[server(prefix = "/api", endpoint = "notices/unsubscribe")]
pub async fn unsubscribe_push(endpoint: String) -> Result<bool, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    super::store::unsubscribe(cx.db(), me.person_id, endpoint.trim()).await.map_err(|e| internal("push subscriptions", e))
}

/// What turning push on in this browser came to.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum PushState {
    Idle,
    Working,
    On,
    Off,
    /// This browser has no Web Push (e.g. inside WeChat, or iOS before it is installed).
    Unsupported,
    /// The person said no in the browser's own prompt.
    Denied,
    /// The browser or its push service failed; the message says how.
    Failed(String),
}

/// The "on this device" part of the channel settings.
#[component]
pub fn PushDevice(devices: u32, key: String, wanted: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(PushState::Idle);
    let key = StoredValue::new(key);
    let turn_on = move |_| {
        state.set(PushState::Working);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            state.set(browser::subscribe(&key.get_value()).await);
        });
    };
    let turn_off = move |_| {
        state.set(PushState::Working);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            state.set(browser::unsubscribe().await);
        });
    };
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
    let status = move || match state.get() {
        PushState::Idle => None,
        PushState::Working => Some(t_string!(i18n, push_working).to_string()),
        PushState::On => Some(t_string!(i18n, push_on).to_string()),
        PushState::Off => Some(t_string!(i18n, push_off).to_string()),
        PushState::Unsupported => Some(t_string!(i18n, push_unsupported).to_string()),
        PushState::Denied => Some(t_string!(i18n, push_denied).to_string()),
        PushState::Failed(why) => Some(t_string!(i18n, push_failed, reason = why).to_string()),
    };
    view! {
        <h3>{move || t_string!(i18n, push_title)}</h3>
        <p class="hint" data-testid="push-devices">{move || t_string!(i18n, push_devices, count = devices).to_string()}</p>
        {(!wanted).then(|| view! { <p class="hint">{move || t_string!(i18n, push_not_wanted)}</p> })}
        // Without JavaScript there is no push: the buttons only work once the page is interactive.
        <p class="button-row">
            <button type="button" class="secondary" data-testid="push-on" on:click=turn_on disabled=move || state.get() == PushState::Working>{move || t_string!(i18n, push_turn_on)}</button>
            " "
            <button type="button" class="secondary" data-testid="push-off" on:click=turn_off disabled=move || state.get() == PushState::Working>{move || t_string!(i18n, push_turn_off)}</button>
        </p>
        <p role="status" data-testid="push-status">{status}</p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::PushState;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn message(e: &JsValue) -> String {
        js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
    }

    async fn registration() -> Result<web_sys::ServiceWorkerRegistration, PushState> {
        let window = leptos::prelude::window();
        let navigator = window.navigator();
        let has_push = js_sys::Reflect::has(&window, &"PushManager".into()).unwrap_or(false) && js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
        if !has_push {
            return Err(PushState::Unsupported);
        }
        let ready = navigator.service_worker().ready().map_err(|e| PushState::Failed(message(&e)))?;
        let reg = JsFuture::from(ready).await.map_err(|e| PushState::Failed(message(&e)))?;
        reg.dyn_into::<web_sys::ServiceWorkerRegistration>().map_err(|e| PushState::Failed(message(&e)))
    }

    fn field(v: &JsValue, path: &[&str]) -> String {
        let mut cur = v.clone();
        for p in path {
            cur = js_sys::Reflect::get(&cur, &(*p).into()).unwrap_or(JsValue::UNDEFINED);
        }
        cur.as_string().unwrap_or_default()
    }

    pub async fn subscribe(key: &str) -> PushState {
        match try_subscribe(key).await {
            Ok(s) | Err(s) => s,
        }
    }

    async fn try_subscribe(key: &str) -> Result<PushState, PushState> {
        let reg = registration().await?;
        let permission = web_sys::Notification::request_permission().map_err(|e| PushState::Failed(message(&e)))?;
        let answer = JsFuture::from(permission).await.map_err(|e| PushState::Failed(message(&e)))?;
        if answer.as_string().as_deref() != Some("granted") {
            return Err(PushState::Denied);
        }
        let key_bytes = crate::ui::base64url::b64url_decode(key).ok_or_else(|| PushState::Failed("key".into()))?;
        let options = web_sys::PushSubscriptionOptionsInit::new();
        options.set_user_visible_only(true);
        options.set_application_server_key(&js_sys::Uint8Array::from(key_bytes.as_slice()));
        let manager = reg.push_manager().map_err(|e| PushState::Failed(message(&e)))?;
        let promise = manager.subscribe_with_options(&options).map_err(|e| PushState::Failed(message(&e)))?;
        let subscription = JsFuture::from(promise).await.map_err(|e| PushState::Failed(message(&e)))?;
        // The subscription's JSON form carries its endpoint and keys, already base64url.
        let json = js_sys::JSON::stringify(&subscription).map_err(|e| PushState::Failed(message(&e)))?;
        let parsed = js_sys::JSON::parse(&String::from(json)).map_err(|e| PushState::Failed(message(&e)))?;
        super::subscribe_push(field(&parsed, &["endpoint"]), field(&parsed, &["keys", "p256dh"]), field(&parsed, &["keys", "auth"]))
            .await
            .map_err(|e| PushState::Failed(e.to_string()))?;
        Ok(PushState::On)
    }

    pub async fn unsubscribe() -> PushState {
        let reg = match registration().await {
            Ok(r) => r,
            Err(s) => return s,
        };
        let Ok(manager) = reg.push_manager() else { return PushState::Off };
        let Ok(promise) = manager.get_subscription() else { return PushState::Off };
        let Ok(subscription) = JsFuture::from(promise).await else { return PushState::Off };
        let Ok(subscription) = subscription.dyn_into::<web_sys::PushSubscription>() else { return PushState::Off };
        let endpoint = subscription.endpoint();
        if let Ok(p) = subscription.unsubscribe() {
            let _ = JsFuture::from(p).await;
        }
        match super::unsubscribe_push(endpoint).await {
            Ok(_) => PushState::Off,
            Err(e) => PushState::Failed(e.to_string()),
        }
    }
}
