//! Browser-only filing glue (feature `hydrate`): a local copy of each wizard step as the person
//! types (restored after a reload or a lost connection), autosave to the server, each field
//! checked by the model's rules as it is left, and chunked uploads that resume after a dropped
//! connection.
use super::api::{SaveStep, UploadProgress, save_step, start_upload, upload_status};
use super::model::{CHUNK_BYTES, FileRef, Step, check_upload_size};
use super::pages::{Problems, UploadState};
use crate::error::{AppError, FieldErrors};
use crate::identity::model::UnixTime;
use leptos::form::FromFormData;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn storage() -> Option<web_sys::Storage> {
    // Kiosks keep nothing of a person in the browser: the server copy is enough there.
    if crate::ui::prefs::Prefs::current().kiosk.is_some() {
        return None;
    }
    window().local_storage().ok().flatten()
}

fn form(form_id: &str) -> Option<web_sys::HtmlFormElement> {
    document().get_element_by_id(form_id)?.dyn_into().ok()
}

/// The form's fields as `a=1&b=2` (what the browser would post).
fn serialise(form: &web_sys::HtmlFormElement) -> Option<String> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    params.to_string().as_string()
}

/// Puts saved values back into the form's fields (inputs, text areas, selects, radios).
fn restore(form: &web_sys::HtmlFormElement, encoded: &str) {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(encoded) else { return };
    let elements = form.elements();
    for i in 0..elements.length() {
        let Some(el) = elements.item(i) else { continue };
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            let name = input.name();
            if name.is_empty() || matches!(input.type_().as_str(), "hidden" | "file" | "submit") {
                continue;
            }
            let values: Vec<String> = params.get_all(&name).iter().filter_map(|v| v.as_string()).collect();
            match input.type_().as_str() {
                "radio" | "checkbox" => input.set_checked(values.contains(&input.value())),
                _ => {
                    if let Some(v) = values.first() {
                        input.set_value(v);
                    }
                }
            }
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            if let Some(v) = params.get(&area.name()) {
                area.set_value(&v);
            }
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>()
            && let Some(v) = params.get(&select.name())
        {
            select.set_value(&v);
            // The party rows show the fields of the chosen kind: tell them it changed.
            if let Ok(ev) = web_sys::Event::new("change") {
                let _ = select.dispatch_event(&ev);
            }
        }
    }
}

/// The step's form as the server function's arguments, with `go` saying "just keep it".
fn args_of(form: &web_sys::HtmlFormElement) -> Option<SaveStep> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    data.append_with_str("go", "stay").ok()?;
    SaveStep::from_form_data(&data).ok()
}

/// Saves the step's form right now (before the page is re-read, e.g. after an upload).
pub async fn save_form_now(form_id: &str) {
    let Some(args) = form(form_id).and_then(|f| args_of(&f)) else { return };
    let _ = save_step(args.id, args.step, args.go, args.draft).await;
}

/// Keeps a copy of the step in local storage as the person types and saves it to the server a
/// few seconds after they stop; on opening the step, a local copy newer than the server's is put
/// back (a reload or a lost connection loses nothing typed).
pub fn keep_form_locally(form_id: String, key: String, server_updated: UnixTime, save: ServerAction<SaveStep>) {
    let dirty = RwSignal::new(false);
    {
        let (form_id, key) = (form_id.clone(), key.clone());
        Effect::new(move |done: Option<()>| {
            if done.is_none() {
                restore_when_mounted(form_id.clone(), key.clone(), server_updated, dirty, 0);
            }
        });
    }
    // Typing is heard at the window, so a keystroke made while the step is still being mounted
    // after a navigation is not missed.
    for event in ["input", "change"] {
        let (form_id, key) = (form_id.clone(), key.clone());
        let handle = window_event_listener_untyped(event, move |ev| {
            let inside = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest(&format!("#{form_id}")).ok().flatten())
                .is_some();
            if !inside {
                return;
            }
            if let (Some(store), Some(f)) = (storage(), form(&form_id))
                && let Some(encoded) = serialise(&f)
            {
                let _ = store.set_item(&key, &format!("{}\n{encoded}", js_sys::Date::now()));
            }
            dirty.set(true);
        });
        on_cleanup(move || handle.remove());
    }
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !dirty.get_untracked() || save.pending().get_untracked() {
                return;
            }
            if let Some(args) = form(&form_id).and_then(|f| args_of(&f)) {
                dirty.set(false);
                save.dispatch(args);
            }
        },
        Duration::from_secs(3),
    ) {
        on_cleanup(move || handle.clear());
    }
    // Once the server holds what was typed, the local copy has done its job; a save that did not
    // arrive (offline, server away) is tried again at the next tick.
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) if !dirty.get_untracked() => {
            if let Some(store) = storage() {
                let _ = store.remove_item(&key);
            }
        }
        Some(Err(_)) => dirty.set(true),
        _ => {}
    });
}

/// Puts back a local copy newer than the server's (after a reload or a lost connection). The
/// step's form may be mounted a moment after its component ran: look again briefly.
fn restore_when_mounted(form_id: String, key: String, server_updated: UnixTime, dirty: RwSignal<bool>, tries: u32) {
    let Some(f) = form(&form_id) else {
        if tries < 100 {
            set_timeout(move || restore_when_mounted(form_id, key, server_updated, dirty, tries + 1), Duration::from_millis(50));
        }
        return;
    };
    if let Some(store) = storage()
        && let Ok(Some(saved)) = store.get_item(&key)
        && let Some((at, encoded)) = saved.split_once('\n')
        && at.parse::<f64>().is_ok_and(|at| at > server_updated.0 as f64 * 1000.0)
        && serialise(&f).as_deref() != Some(encoded)
    {
        restore(&f, encoded);
        dirty.set(true);
    }
}

/// Checks a field with the model's rules when the person leaves it (`change`), and again as they
/// type once it has a problem, so the message goes as soon as the value is right. Fields never
/// touched are not nagged about; moving on still checks the whole step on the server.
pub fn check_fields_when_left(form_id: String, step: Step, problems: Problems) {
    for event in ["change", "input"] {
        let form_id = form_id.clone();
        let handle = window_event_listener_untyped(event, move |ev| {
            let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            if el.closest(&format!("#{form_id}")).ok().flatten().is_none() {
                return;
            }
            let Some(path) = el.get_attribute("name").as_deref().and_then(super::pages::path_of) else { return };
            let shown = problems.0.with_untracked(|p| p.contains_key(&path));
            if ev.type_() == "input" && !shown {
                return;
            }
            let Some(args) = form(&form_id).and_then(|f| args_of(&f)) else { return };
            let found = args.draft.problems(step).get(&path).cloned();
            if problems.0.with_untracked(|p| p.get(&path) != found.as_ref()) {
                problems.0.update(|p| match found {
                    Some(key) => {
                        p.insert(path, key);
                    }
                    None => {
                        p.remove(&path);
                    }
                });
            }
        });
        on_cleanup(move || handle.remove());
    }
}

// ---------------------------------------------------------------------------------------------
// Uploads

/// A chosen file starts uploading at once.
pub fn upload_chosen(ev: &leptos::ev::Event, filing_id: i64, target: String, state: RwSignal<UploadState>, refresh: Option<super::pages::RefreshDraft>) {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
    // Read the attribute: the form's `id` property is shadowed by its field named "id".
    let form_id = input.form().and_then(|f| f.get_attribute("id")).unwrap_or_default();
    input.set_value("");
    leptos::task::spawn_local(async move {
        if run_upload(file, filing_id, target, state).await {
            // What was typed beside the file is saved before the step is read again with it.
            save_form_now(&form_id).await;
            if let Some(refresh) = refresh {
                refresh.0.update(|n| *n += 1);
            }
        }
    });
}

enum Chunk {
    Progress(UploadProgress),
    /// The server holds a different amount (a retried chunk): go on from there.
    OutOfStep(UploadProgress),
    Refused(AppError),
}

fn num(v: &wasm_bindgen::JsValue, key: &str) -> i64 {
    js_sys::Reflect::get(v, &key.into()).ok().and_then(|x| x.as_f64()).unwrap_or(0.0) as i64
}

fn text(v: &wasm_bindgen::JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(v, &key.into()).ok().and_then(|x| x.as_string())
}

/// Reads the server's progress answer field by field (no JSON library in the phone's download).
fn progress_of(v: &wasm_bindgen::JsValue) -> UploadProgress {
    let file = js_sys::Reflect::get(v, &"file".into()).ok().filter(|f| f.is_object()).map(|f| FileRef {
        id: num(&f, "id"),
        name: text(&f, "name").unwrap_or_default(),
        sha256: text(&f, "sha256").unwrap_or_default(),
        size: num(&f, "size"),
        kind: text(&f, "kind").unwrap_or_default(),
    });
    UploadProgress { received: num(v, "received"), size: num(v, "size"), file, refused: text(v, "refused") }
}

async fn put_chunk(upload_id: i64, offset: i64, blob: &web_sys::Blob) -> Result<Chunk, wasm_bindgen::JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method("PUT");
    init.set_body(blob);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let request = web_sys::Request::new_with_str_and_init(&format!("/api/filing/upload/{upload_id}?offset={offset}"), &init)?;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request)).await?.dyn_into()?;
    let status = response.status();
    let body = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    if status == 200 || status == 409 {
        let value = js_sys::JSON::parse(&body)?;
        let p = progress_of(&value);
        return Ok(if status == 200 { Chunk::Progress(p) } else { Chunk::OutOfStep(p) });
    }
    if (400..500).contains(&status) {
        return Ok(Chunk::Refused(AppError::from_json_lite(&body).unwrap_or(AppError::Internal(format!("HTTP {status}")))));
    }
    Err(wasm_bindgen::JsValue::from_str("server unavailable"))
}

/// Sends a file in chunks; after a failed chunk waits (1 s, doubling to 15 s), asks the server
/// how much arrived and goes on from there. Answers whether the file arrived whole.
async fn run_upload(file: web_sys::File, filing_id: i64, target: String, state: RwSignal<UploadState>) -> bool {
    let name = file.name();
    let size = file.size() as i64;
    if let Err(e) = check_upload_size(size, 0) {
        state.set(UploadState::Failed(AppError::Invalid(FieldErrors::from([("file".into(), e.key().into())]))));
        return false;
    }
    // The same file chosen again after a reload continues where it stopped.
    let resume_key = format!("tp-upload-{filing_id}-{target}-{size}-{}-{name}", file.last_modified());
    let store = storage();
    let mut upload: Option<(i64, i64)> = None;
    if let Some(id) = store.as_ref().and_then(|s| s.get_item(&resume_key).ok().flatten()).and_then(|v| v.parse::<i64>().ok())
        && let Ok(p) = upload_status(id).await
        && p.file.is_none()
        && p.refused.is_none()
    {
        upload = Some((id, p.received));
    }
    let (upload_id, mut received) = match upload {
        Some(u) => u,
        None => match start_upload(filing_id, name.clone(), size, target).await {
            Ok(s) => (s.upload_id, s.received),
            Err(e) => {
                state.set(UploadState::Failed(e));
                return false;
            }
        },
    };
    if let Some(s) = &store {
        let _ = s.set_item(&resume_key, &upload_id.to_string());
    }
    let forget = |s: &Option<web_sys::Storage>| {
        if let Some(s) = s {
            let _ = s.remove_item(&resume_key);
        }
    };
    let mut backoff = 1000u32;
    let mut retrying = false;
    loop {
        state.set(UploadState::Sending { name: name.clone(), sent: received, size, retrying });
        let end = (received + CHUNK_BYTES).min(size);
        let outcome = match file.slice_with_f64_and_f64(received as f64, end as f64) {
            Ok(blob) => put_chunk(upload_id, received, &blob).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(Chunk::Progress(p)) | Ok(Chunk::OutOfStep(p)) => {
                retrying = false;
                backoff = 1000;
                received = p.received;
                if p.file.is_some() {
                    forget(&store);
                    state.set(UploadState::Done);
                    return true;
                }
                if let Some(key) = p.refused {
                    forget(&store);
                    state.set(UploadState::Failed(AppError::Invalid(FieldErrors::from([("file".into(), key)]))));
                    return false;
                }
            }
            Ok(Chunk::Refused(e)) => {
                forget(&store);
                state.set(UploadState::Failed(e));
                return false;
            }
            Err(_) => {
                // Offline or the server is unreachable: keep the place, wait, ask where we are.
                retrying = true;
                state.set(UploadState::Sending { name: name.clone(), sent: received, size, retrying });
                gloo_timers::future::TimeoutFuture::new(backoff).await;
                backoff = (backoff * 2).min(15_000);
                if let Ok(p) = upload_status(upload_id).await {
                    received = p.received;
                    if p.file.is_some() {
                        forget(&store);
                        state.set(UploadState::Done);
                        return true;
                    }
                }
            }
        }
    }
}
