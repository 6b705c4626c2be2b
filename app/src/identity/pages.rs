//! Identity pages: sign in by SMS code, the Me page (identity, devices, preferences), real-name
//! verification, and the gate that leads a person there before filing, paying, hearings or signing.
use crate::ui::title::title;
use crate::error::AppError;
use crate::i18n::*;
use crate::identity::api::*;
use crate::identity::model::{DeviceProfile, DeviceView, MeView, PasskeyView, safe_next};
use crate::identity::passkeys::*;
use crate::ui::forms::{Field, FormError, Loading, error_view, last_error};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The `next` query parameter, made safe (only paths on this site).
fn next_param(default: &'static str) -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get("next").map(|n| safe_next(&n).to_string())).unwrap_or_else(|| default.to_string()))
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let request = ServerAction::<RequestCode>::new();
    let error = last_error(request.value());
    let next = next_param("/me");
    view! {
        <Title text=title(move || t_string!(i18n, signin_title))/>
        <h1>{move || t_string!(i18n, signin_title)}</h1>
        <p class="lead">{move || t_string!(i18n, signin_lead)}</p>
        <section class="card">
            <ActionForm action=request attr:class="stack-form" attr:novalidate=true>
                <input type="hidden" name="next" value=next/>
                <Field name="mobile" label=Signal::derive(move || t_string!(i18n, mobile_label).to_string())
                    hint=Signal::derive(move || t_string!(i18n, mobile_hint).to_string())
                    input_type="tel" autocomplete="tel" inputmode="tel" maxlength=20 autofocus=true error/>
                <button type="submit" disabled=move || request.pending().get()>{move || t_string!(i18n, get_code)}</button>
                <FormError error/>
            </ActionForm>
            <p class="fine-print">{move || t_string!(i18n, signin_privacy)}</p>
        </section>
        <PasskeySignIn next/>
        <crate::identity::handoff_pages::HandoffQr next open=crate::ui::prefs::Prefs::current().kiosk.is_some()/>
    }
}

#[component]
pub fn CodePage() -> impl IntoView {
    let i18n = use_i18n();
    let sign_in = ServerAction::<SignInWithCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let error = last_error(sign_in.value());
    let resend_error = last_error(resend.value());
    let pending = Resource::new(move || resend.version().get(), |_| pending_code());
    view! {
        <Title text=title(move || t_string!(i18n, code_title))/>
        <h1>{move || t_string!(i18n, code_title)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(Some(p)) => {
                        let masked = p.masked_mobile.clone();
                        view! {
                            <section class="card">
                                <p class="code-sent" data-testid="code-sent">{move || t_string!(i18n, code_sent_to, number = masked.clone()).to_string()}</p>
                                <ActionForm action=sign_in attr:class="stack-form" attr:novalidate=true>
                                    <Field name="code" label=Signal::derive(move || t_string!(i18n, code_label).to_string())
                                        hint=Signal::derive(move || t_string!(i18n, code_hint).to_string())
                                        autocomplete="one-time-code" inputmode="numeric" maxlength=6 autofocus=true error/>
                                    <button type="submit" disabled=move || sign_in.pending().get()>{move || t_string!(i18n, sign_in_button)}</button>
                                    <FormError error/>
                                </ActionForm>
                                <ActionForm action=resend attr:class="inline-form">
                                    <button type="submit" class="secondary" disabled=move || resend.pending().get()>{move || t_string!(i18n, resend_code)}</button>
                                    <FormError error=resend_error/>
                                </ActionForm>
                                <p><a href="/signin">{move || t_string!(i18n, use_other_number)}</a></p>
                            </section>
                        }
                        .into_any()
                    }
                    Ok(None) => view! {
                        <section class="card">
                            <p>{move || t_string!(i18n, no_pending_code_body)}</p>
                            <p><a class="button" href="/signin">{move || t_string!(i18n, get_code)}</a></p>
                        </section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// Shown where a page needs a signed-in person and there is none.
#[component]
fn SignInPrompt(#[prop(into)] next: String) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/signin?next={}", encode(&next));
    view! {
        <section class="card gate" data-testid="sign-in-prompt">
            <h2>{move || t_string!(i18n, gate_signin_title)}</h2>
            <p>{move || t_string!(i18n, gate_signin_body)}</p>
            <p><a class="button" href=href>{move || t_string!(i18n, sign_in_link)}</a></p>
        </section>
    }
}

/// Percent-encodes a path for a query parameter.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Wraps a page that needs someone signed in (staff too): leads to sign-in otherwise.
#[component]
pub fn RequireSignedIn(
    /// The path to come back to.
    here: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let me = Resource::new(|| (), |_| me());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(_)) => children.with_value(|c| c()).into_any(),
                    Ok(None) => view! { <SignInPrompt next=here/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// Wraps a page that needs a verified person: says why and leads there otherwise.
#[component]
pub fn RequireVerified(
    /// The path to come back to.
    here: &'static str,
    /// Court staff are let through too (their pages do not ask for a real-name check: the court
    /// created their account).
    #[prop(optional)]
    staff_too: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| me());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(person)) if person.verified() || (staff_too && person.is_staff) => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! {
                        <section class="card gate" data-testid="verify-prompt">
                            <h2>{move || t_string!(i18n, gate_verify_title)}</h2>
                            <p>{move || t_string!(i18n, gate_verify_body)}</p>
                            <p><a class="button" href=format!("/me/verify?next={}", encode(here))>{move || t_string!(i18n, verify_now)}</a></p>
                        </section>
                    }
                    .into_any(),
                    Ok(None) => view! { <SignInPrompt next=here/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let changed = MeChanged(RwSignal::new(0));
    provide_context(changed);
    let me = Resource::new(move || changed.0.get(), |_| me());
    view! {
        <Title text=title(move || t_string!(i18n, me_title))/>
        <h1>{move || t_string!(i18n, me_title)}</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(person)) if person.is_staff => view! {
                        <section class="card"><p><a href="/staff">{move || t_string!(i18n, staff_title)}</a></p></section>
                        <crate::cases::inbox::InboxLink/>
                        <PasskeysCard person=person.clone()/>
                        <StepUpCard person/>
                        <DevicesCard/>
                        <SignOutCard/>
                    }
                    .into_any(),
                    Ok(Some(person)) => view! {
                        <crate::cases::inbox::InboxLink/>
                        <IdentityCard person=person.clone()/>
                        <PasskeysCard person=person.clone()/>
                        <StepUpCard person=person.clone()/>
                        {person.verified().then(|| view! {
                            <crate::identity::staff_pages::RepresentationCard/>
                            <crate::identity::staff_pages::LawyerCard/>
                        })}
                        <DevicesCard/>
                        <SignOutCard/>
                    }
                    .into_any(),
                    Ok(None) => view! { <SignInPrompt next="/me"/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="me-prefs">
            <h2 id="me-prefs">{move || t_string!(i18n, me_prefs)}</h2>
            <crate::ui::layout::PreferenceForms/>
        </section>
    }
}

#[component]
fn IdentityCard(person: MeView) -> impl IntoView {
    let i18n = use_i18n();
    let verified = person.verified_at;
    view! {
        <section class="card" aria-labelledby="me-identity">
            <h2 id="me-identity">{move || t_string!(i18n, me_identity)}</h2>
            <dl class="facts">
                <dt>{move || t_string!(i18n, me_name)}</dt>
                <dd data-testid="me-name">{person.legal_name.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || t_string!(i18n, me_id)}</dt>
                <dd data-testid="me-id">{person.id_masked.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || t_string!(i18n, me_phone)}</dt>
                <dd data-testid="me-phone">{person.mobile_masked.clone()}</dd>
                <dt>{move || t_string!(i18n, me_verification)}</dt>
                <dd data-testid="me-verification">
                    {match verified {
                        Some(at) => view! { <span class="badge ok">"✓ "{move || t_string!(i18n, verified_on, date = at.shanghai()).to_string()}</span> }.into_any(),
                        None => view! {
                            <span class="badge warn">{move || t_string!(i18n, not_verified)}</span>
                            " "
                            <a href="/me/verify">{move || t_string!(i18n, verify_now)}</a>
                        }
                        .into_any(),
                    }}
                </dd>
            </dl>
        </section>
    }
}

fn profile_label(i18n: I18nContext<Locale>, p: DeviceProfile) -> &'static str {
    match p {
        DeviceProfile::Phone => t_string!(i18n, profile_phone),
        DeviceProfile::Tablet => t_string!(i18n, profile_tablet),
        DeviceProfile::WeChat => t_string!(i18n, profile_wechat),
        DeviceProfile::Kiosk => t_string!(i18n, profile_kiosk),
        DeviceProfile::Desktop => t_string!(i18n, profile_desktop),
    }
}

#[component]
fn DevicesCard() -> impl IntoView {
    let i18n = use_i18n();
    let others = ServerAction::<SignOutOthers>::new();
    let one = ServerAction::<SignOutDevice>::new();
    let devices = Resource::new(move || (others.version().get(), one.version().get()), |_| my_devices());
    let others_error = last_error(others.value());
    let done = move || others.value().get().and_then(|r| r.ok());
    let row = move |d: DeviceView| {
        let label = format!("{} · {}", d.browser, profile_label(i18n, d.profile));
        view! {
            <li class="device" data-testid="device" data-current=d.current.then_some("true")>
                <p class="device-name">
                    <strong>{label.clone()}</strong>
                    {d.current.then(|| view! { " " <span class="badge">{move || t_string!(i18n, device_this)}</span> })}
                </p>
                <p class="device-meta">
                    {d.place.clone()}" · "{move || t_string!(i18n, device_last_seen, time = d.last_seen.shanghai()).to_string()}
                </p>
                {(!d.current).then(|| view! {
                    <ActionForm action=one attr:class="inline-form">
                        <input type="hidden" name="id" value=d.id.to_string()/>
                        <button type="submit" class="secondary" aria-label=format!("{} {label}", t_string!(i18n, sign_out_device))>
                            {move || t_string!(i18n, sign_out_device)}
                        </button>
                    </ActionForm>
                })}
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="me-devices">
            <h2 id="me-devices">{move || t_string!(i18n, me_devices)}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match devices.await {
                        Ok(list) => {
                            let has_others = list.iter().any(|d| !d.current);
                            view! {
                                <ul class="devices">{list.into_iter().map(row).collect_view()}</ul>
                                {has_others.then(|| view! {
                                    <ActionForm action=others attr:class="inline-form">
                                        <button type="submit" disabled=move || others.pending().get()>{move || t_string!(i18n, sign_out_others)}</button>
                                    </ActionForm>
                                })}
                            }
                            .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <p class="form-status" role="status">{move || done().map(|n| t_string!(i18n, signed_out_others_done, count = n).to_string())}</p>
            <FormError error=others_error/>
        </section>
    }
}

#[component]
fn SignOutCard() -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <section class="card">
            // Signing out also forgets the cases this browser kept for reading offline.
            <ActionForm action=sign_out attr:class="inline-form" on:submit=|_| crate::cases::offline::signed_in_as(None)>
                <button type="submit" class="secondary" data-testid="sign-out">{move || t_string!(i18n, sign_out)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyIdentity>::new();
    let error = last_error(verify.value());
    let next = next_param("/me");
    let me = Resource::new(|| (), |_| me());
    view! {
        <Title text=title(move || t_string!(i18n, verify_title))/>
        <h1>{move || t_string!(i18n, verify_title)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(person)) if person.verified() => view! {
                        <section class="card">
                            <p>{move || t_string!(i18n, already_verified_body)}</p>
                            <p><a class="button" href=next>{move || t_string!(i18n, continue_button)}</a></p>
                        </section>
                    }
                    .into_any(),
                    Ok(Some(_)) => view! {
                        <p class="lead">{move || t_string!(i18n, verify_lead)}</p>
                        <section class="card">
                            <ActionForm action=verify attr:class="stack-form" attr:novalidate=true>
                                <input type="hidden" name="next" value=next/>
                                <Field name="legal_name" label=Signal::derive(move || t_string!(i18n, legal_name_label).to_string())
                                    autocomplete="name" maxlength=30 autofocus=true error/>
                                <Field name="id_number" label=Signal::derive(move || t_string!(i18n, id_number_label).to_string())
                                    hint=Signal::derive(move || t_string!(i18n, id_number_hint).to_string())
                                    autocomplete="off" maxlength=22 error/>
                                <button type="submit" disabled=move || verify.pending().get()>{move || t_string!(i18n, verify_button)}</button>
                                <FormError error/>
                            </ActionForm>
                            <p class="fine-print">{move || t_string!(i18n, verify_privacy)}</p>
                        </section>
                    }
                    .into_any(),
                    Ok(None) => view! { <SignInPrompt next="/me/verify"/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

// ---------------------------------------------------------------------------------------------
// Passkeys and step-up

/// Whether this browser offers passkeys: false on the server and until hydrated, so both render
/// the same markup; then the browser's answer.
fn use_passkeys_supported() -> ReadSignal<bool> {
    let (supported, set_supported) = signal(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        set_supported.set(crate::identity::browser::passkeys_supported());
        #[cfg(not(feature = "hydrate"))]
        let _ = set_supported;
    });
    supported
}

/// A browser-side failure as the error pages know how to say it.
#[cfg(feature = "hydrate")]
pub(crate) fn failure(f: crate::identity::browser::PasskeyFailure) -> AppError {
    use crate::identity::browser::PasskeyFailure::*;
    AppError::Conflict(
        match f {
            Unsupported => "error_passkeys_unavailable",
            Cancelled => "error_passkey_cancelled",
            AlreadyRegistered => "error_passkey_exists",
            Failed(_) => "error_passkey_failed",
        }
        .into(),
    )
}

#[cfg(not(feature = "hydrate"))]
fn browser_only<T>() -> Result<T, AppError> {
    Err(AppError::Conflict("error_passkeys_unavailable".into()))
}

async fn register_passkey(name: String) -> Result<(), AppError> {
    #[cfg(feature = "hydrate")]
    {
        let challenge = passkey_register_start().await?;
        let credential = crate::identity::browser::create_passkey(&challenge.options).await.map_err(failure)?;
        passkey_register_finish(challenge.id, credential, name).await.map(|_| ())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        browser_only()
    }
}

async fn sign_in_with_passkey(next: String) -> Result<String, AppError> {
    #[cfg(feature = "hydrate")]
    {
        let challenge = passkey_sign_in_start().await?;
        let credential = crate::identity::browser::get_passkey(&challenge.options).await.map_err(failure)?;
        passkey_sign_in_finish(challenge.id, credential, Some(next)).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = next;
        browser_only()
    }
}

async fn step_up_with_passkey() -> Result<(), AppError> {
    #[cfg(feature = "hydrate")]
    {
        let challenge = passkey_step_up_start().await?;
        let credential = crate::identity::browser::get_passkey(&challenge.options).await.map_err(failure)?;
        passkey_step_up_finish(challenge.id, credential).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        browser_only()
    }
}

/// "Sign in with a passkey", offered only where the browser has passkeys.
#[component]
pub fn PasskeySignIn(next: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let supported = use_passkeys_supported();
    let run = Action::new_local(move |next: &String| sign_in_with_passkey(next.clone()));
    let error = last_error(run.value());
    Effect::new(move |_| {
        if let Some(Ok(path)) = run.value().get() {
            #[cfg(feature = "hydrate")]
            crate::identity::browser::load_page(&path);
            #[cfg(not(feature = "hydrate"))]
            let _ = path;
        }
    });
    view! {
        <Show when=move || supported.get()>
            <section class="card passkey-sign-in">
                <button type="button" data-testid="passkey-sign-in" disabled=move || run.pending().get()
                    on:click=move |_| { run.dispatch(next.get_untracked()); }>
                    {move || t_string!(i18n, passkey_sign_in)}
                </button>
                <p class="fine-print">{move || t_string!(i18n, passkey_sign_in_hint)}</p>
                <FormError error/>
            </section>
        </Show>
    }
}

/// Bumped when something on the Me page changed the person (step-up, new passkey), so the
/// person's summary is read again.
#[derive(Clone, Copy)]
pub(crate) struct MeChanged(pub(crate) RwSignal<u32>);

#[component]
fn PasskeysCard(person: MeView) -> impl IntoView {
    let i18n = use_i18n();
    let supported = use_passkeys_supported();
    let changed = use_context::<MeChanged>();
    let add = Action::new_local(move |name: &String| register_passkey(name.clone()));
    let rename = ServerAction::<RenamePasskey>::new();
    let remove = ServerAction::<RemovePasskey>::new();
    let list = Resource::new(move || (add.version().get(), rename.version().get(), remove.version().get()), |_| my_passkeys());
    let add_error = last_error(add.value());
    let rename_error = last_error(rename.value());
    let remove_error = last_error(remove.value());
    let (name, set_name) = signal(String::new());
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(c)) = (add.value().get(), changed) {
            c.0.update(|n| *n += 1);
        }
    });
    let verified = person.verified() || person.is_staff;
    let item = move |p: PasskeyView| {
        let label = p.name.clone();
        view! {
            <li class="passkey" data-testid="passkey">
                <p><strong>{p.name.clone()}</strong></p>
                <p class="device-meta">
                    {move || t_string!(i18n, passkey_added_on, date = p.created_at.shanghai()).to_string()}
                    {p.last_used_at.map(|t| view! { " · " {move || t_string!(i18n, device_last_seen, time = t.shanghai()).to_string()} })}
                </p>
                <details class="passkey-edit">
                    <summary>{move || t_string!(i18n, passkey_manage)}<span class="visually-hidden">" "{label.clone()}</span></summary>
                    <ActionForm action=rename attr:class="inline-form">
                        <input type="hidden" name="id" value=p.id.to_string()/>
                        <label>{move || t_string!(i18n, passkey_name_label)}" "<input name="name" value=label.clone() maxlength="40" required=true/></label>
                        <button type="submit" class="secondary">{move || t_string!(i18n, passkey_rename)}</button>
                    </ActionForm>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=p.id.to_string()/>
                        <p>{move || t_string!(i18n, passkey_remove_warning)}</p>
                        <button type="submit" class="danger">{move || t_string!(i18n, passkey_remove)}</button>
                    </ActionForm>
                </details>
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="me-passkeys">
            <h2 id="me-passkeys">{move || t_string!(i18n, me_passkeys)}</h2>
            <p>{move || t_string!(i18n, passkeys_explained)}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p data-testid="no-passkeys">{move || t_string!(i18n, no_passkeys)}</p> }.into_any(),
                        Ok(items) => view! { <ul class="passkeys">{items.into_iter().map(item).collect_view()}</ul> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <FormError error=rename_error/>
            <FormError error=remove_error/>
            <Show when=move || supported.get() && verified
                fallback=move || view! { <PasskeyUnavailable verified supported/> }>
                <form class="stack-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let chosen = name.get_untracked();
                    let chosen = if chosen.trim().is_empty() { t_string!(i18n, passkey_default_name).to_string() } else { chosen };
                    add.dispatch(chosen);
                }>
                    <div class="field">
                        <label for="passkey-name">{move || t_string!(i18n, passkey_name_label)}</label>
                        <input id="passkey-name" name="name" maxlength="40" placeholder=move || t_string!(i18n, passkey_default_name)
                            prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" data-testid="add-passkey" disabled=move || add.pending().get()>{move || t_string!(i18n, passkey_add)}</button>
                    <FormError error=add_error/>
                </form>
            </Show>
        </section>
    }
}

/// Why passkeys cannot be added here, and what to do instead.
#[component]
fn PasskeyUnavailable(verified: bool, supported: ReadSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let (copied, set_copied) = signal(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = crate::identity::browser::current_url();
            set_copied.set(crate::identity::browser::copy_text(&url).await);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = set_copied;
    };
    view! {
        {move || if !supported.get() {
            view! {
                <div class="hint" data-testid="passkeys-unavailable">
                    <p>{move || t_string!(i18n, passkeys_unavailable_here)}</p>
                    <button type="button" class="secondary" on:click=copy>{move || t_string!(i18n, copy_link)}</button>
                    <p role="status">{move || copied.get().then(|| t_string!(i18n, link_copied))}</p>
                </div>
            }
            .into_any()
        } else if !verified {
            view! { <p>{move || t_string!(i18n, passkeys_need_verification)}" "<a href="/me/verify">{move || t_string!(i18n, verify_now)}</a></p> }.into_any()
        } else {
            ().into_any()
        }}
    }
}

#[component]
pub(crate) fn StepUpCard(person: MeView) -> impl IntoView {
    let i18n = use_i18n();
    let supported = use_passkeys_supported();
    let changed = use_context::<MeChanged>();
    let by_passkey = Action::new_local(|_: &()| step_up_with_passkey());
    let request = ServerAction::<RequestStepUpCode>::new();
    let confirm = ServerAction::<StepUpWithCode>::new();
    let passkey_error = last_error(by_passkey.value());
    let request_error = last_error(request.value());
    let confirm_error = last_error(confirm.value());
    let code_sent = move || matches!(request.value().get(), Some(Ok(_)));
    Effect::new(move |_| {
        let done = matches!(by_passkey.value().get(), Some(Ok(()))) || matches!(confirm.value().get(), Some(Ok(())));
        if let (true, Some(c)) = (done, changed) {
            c.0.update(|n| *n += 1);
        }
    });
    let has_passkeys = person.passkeys > 0;
    let is_staff = person.is_staff;
    view! {
        <section class="card" aria-labelledby="me-step-up">
            <h2 id="me-step-up">{move || t_string!(i18n, step_up_title)}</h2>
            {match person.stepped_up_until {
                Some(until) => view! {
                    <p class="badge ok" data-testid="stepped-up">"✓ "{move || t_string!(i18n, stepped_up_until, time = until.shanghai()).to_string()}</p>
                }
                .into_any(),
                None => view! { <p>{move || t_string!(i18n, step_up_explained)}</p> }.into_any(),
            }}
            <Show when=move || supported.get() && has_passkeys>
                <button type="button" data-testid="step-up-passkey" disabled=move || by_passkey.pending().get()
                    on:click=move |_| { by_passkey.dispatch(()); }>{move || t_string!(i18n, step_up_with_passkey)}</button>
                <FormError error=passkey_error/>
            </Show>
            {(!is_staff).then(|| view! {
                <ActionForm action=request attr:class="inline-form">
                    <button type="submit" class="secondary" data-testid="step-up-sms">{move || t_string!(i18n, step_up_with_sms)}</button>
                    <FormError error=request_error/>
                </ActionForm>
            })}
            <Show when=code_sent>
                <ActionForm action=confirm attr:class="stack-form" attr:novalidate=true>
                    <Field name="code" label=Signal::derive(move || t_string!(i18n, code_label).to_string())
                        autocomplete="one-time-code" inputmode="numeric" maxlength=6 error=confirm_error/>
                    <button type="submit">{move || t_string!(i18n, step_up_confirm)}</button>
                    <FormError error=confirm_error/>
                </ActionForm>
            </Show>
        </section>
    }
}
