//! The browser's WebAuthn API (`navigator.credentials`), wrapped so pages hand it the server's
//! options as JSON and get the credential back as JSON. Binary fields travel as base64url.
use js_sys::{Array, ArrayBuffer, Function, JSON, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use crate::ui::base64url::{b64url_decode, b64url_encode};

/// Why a passkey ceremony did not produce a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasskeyFailure {
    /// This browser (e.g. a WeChat web-view) has no WebAuthn.
    Unsupported,
    /// The person cancelled, or the prompt timed out.
    Cancelled,
    /// This authenticator already holds a passkey for the account.
    AlreadyRegistered,
    Failed(String),
}

/// Does this browser offer passkeys at all?
pub fn passkeys_supported() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let has_pkc = Reflect::get(&window, &"PublicKeyCredential".into()).map(|v| !v.is_undefined()).unwrap_or(false);
    has_pkc && credentials_method("create").is_some() && credentials_method("get").is_some()
}

fn credentials() -> Option<JsValue> {
    let window = web_sys::window()?;
    let navigator = Reflect::get(&window, &"navigator".into()).ok()?;
    Reflect::get(&navigator, &"credentials".into()).ok().filter(|c| !c.is_undefined() && !c.is_null())
}

fn credentials_method(name: &str) -> Option<Function> {
    let creds = credentials()?;
    Reflect::get(&creds, &name.into()).ok()?.dyn_into::<Function>().ok()
}

/// `navigator.credentials.create()` with the server's `CreationChallengeResponse`.
pub async fn create_passkey(options_json: &str) -> Result<String, PasskeyFailure> {
    let options = parse(options_json)?;
    let public_key = get(&options, "publicKey")?;
    decode_field(&public_key, "challenge")?;
    decode_field(&get(&public_key, "user")?, "id")?;
    decode_list(&public_key, "excludeCredentials")?;
    drop_nulls(&public_key);
    let credential = call("create", &options).await?;
    let response = get(&credential, "response")?;
    let out = Object::new();
    set(&out, "attestationObject", &encode_field(&response, "attestationObject")?);
    set(&out, "clientDataJSON", &encode_field(&response, "clientDataJSON")?);
    finish(&credential, out)
}

/// `navigator.credentials.get()` with the server's `RequestChallengeResponse`.
pub async fn get_passkey(options_json: &str) -> Result<String, PasskeyFailure> {
    let options = parse(options_json)?;
    let public_key = get(&options, "publicKey")?;
    decode_field(&public_key, "challenge")?;
    decode_list(&public_key, "allowCredentials")?;
    drop_nulls(&public_key);
    drop_nulls(&options);
    let credential = call("get", &options).await?;
    let response = get(&credential, "response")?;
    let out = Object::new();
    for field in ["authenticatorData", "clientDataJSON", "signature"] {
        set(&out, field, &encode_field(&response, field)?);
    }
    let handle = Reflect::get(&response, &"userHandle".into()).unwrap_or(JsValue::NULL);
    let handle = if handle.is_null() || handle.is_undefined() { JsValue::NULL } else { JsValue::from_str(&b64url_encode(&bytes(&handle))) };
    set(&out, "userHandle", &handle);
    finish(&credential, out)
}

fn failed(what: &str) -> PasskeyFailure {
    PasskeyFailure::Failed(what.to_string())
}

fn parse(json: &str) -> Result<JsValue, PasskeyFailure> {
    JSON::parse(json).map_err(|_| failed("options are not JSON"))
}

fn get(obj: &JsValue, key: &str) -> Result<JsValue, PasskeyFailure> {
    Reflect::get(obj, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null()).ok_or_else(|| failed(key))
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// webauthn-rs writes absent options as `null`; browsers want them left out.
fn drop_nulls(obj: &JsValue) {
    let Some(object) = obj.dyn_ref::<Object>() else { return };
    for key in Object::keys(object).iter() {
        if Reflect::get(obj, &key).map(|v| v.is_null()).unwrap_or(false) {
            let _ = Reflect::delete_property(object, &key);
        }
    }
}

fn decode_field(obj: &JsValue, key: &str) -> Result<(), PasskeyFailure> {
    let text = get(obj, key)?.as_string().ok_or_else(|| failed(key))?;
    let data = b64url_decode(&text).ok_or_else(|| failed(key))?;
    set(obj, key, &Uint8Array::from(data.as_slice()).into());
    Ok(())
}

fn decode_list(obj: &JsValue, key: &str) -> Result<(), PasskeyFailure> {
    if let Ok(list) = get(obj, key) {
        for item in Array::from(&list).iter() {
            decode_field(&item, "id")?;
        }
    }
    Ok(())
}

fn bytes(value: &JsValue) -> Vec<u8> {
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        Uint8Array::new(buffer).to_vec()
    } else {
        Uint8Array::new(value).to_vec()
    }
}

fn encode_field(obj: &JsValue, key: &str) -> Result<JsValue, PasskeyFailure> {
    Ok(JsValue::from_str(&b64url_encode(&bytes(&get(obj, key)?))))
}

async fn call(method: &str, options: &JsValue) -> Result<JsValue, PasskeyFailure> {
    let creds = credentials().ok_or(PasskeyFailure::Unsupported)?;
    let f = credentials_method(method).ok_or(PasskeyFailure::Unsupported)?;
    let promise: Promise = f.call1(&creds, options).map_err(classify)?.dyn_into().map_err(|_| failed("not a promise"))?;
    let credential = JsFuture::from(promise).await.map_err(classify)?;
    if credential.is_null() || credential.is_undefined() {
        return Err(PasskeyFailure::Cancelled);
    }
    Ok(credential)
}

/// `NotAllowedError` is what browsers say for both "cancelled" and "timed out".
fn classify(error: JsValue) -> PasskeyFailure {
    let name = Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" | "AbortError" => PasskeyFailure::Cancelled,
        "InvalidStateError" => PasskeyFailure::AlreadyRegistered,
        "NotSupportedError" => PasskeyFailure::Unsupported,
        _ => PasskeyFailure::Failed(name),
    }
}

fn finish(credential: &JsValue, response: Object) -> Result<String, PasskeyFailure> {
    let out = Object::new();
    set(&out, "id", &get(credential, "id")?);
    set(&out, "rawId", &encode_field(credential, "rawId")?);
    set(&out, "type", &get(credential, "type")?);
    set(&out, "response", &response);
    // Extension outputs are not used by the server; an empty object keeps parsing strict.
    set(&out, "extensions", &Object::new());
    JSON::stringify(&out).ok().and_then(|s| s.as_string()).ok_or_else(|| failed("stringify"))
}

/// Copies text to the clipboard (the "open in your browser" hint in WeChat).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = Reflect::get(&window, &"navigator".into()).and_then(|n| Reflect::get(&n, &"clipboard".into()));
    let Ok(clipboard) = clipboard else { return false };
    let Ok(write) = Reflect::get(&clipboard, &"writeText".into()).and_then(|f| f.dyn_into::<Function>().map_err(JsValue::from)) else {
        return false;
    };
    match write.call1(&clipboard, &JsValue::from_str(text)).ok().and_then(|p| p.dyn_into::<Promise>().ok()) {
        Some(p) => JsFuture::from(p).await.is_ok(),
        None => false,
    }
}

/// The address of the page being shown.
pub fn current_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// A full page load of `path`: after signing in, every part of the page must be read again as
/// the new person, which a client-side navigation to the same route would not do.
pub fn load_page(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}
