//! Views of the sign-in hand-off: the waiting device's QR code (kiosk, tablet) and the phone's
//! approval page.
use crate::ui::title::title;
use crate::error::AppError;
use crate::i18n::*;
use crate::identity::handoff::*;
use crate::identity::model::HandoffState;
use crate::ui::forms::{FormError, Loading, error_view, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The waiting device: a QR code for a signed-in phone to scan; polls twice a second and goes to
/// `next` as soon as the phone approves. Starts when the person asks (a kiosk opens it at once).
#[component]
pub fn HandoffQr(next: Signal<String>, #[prop(optional)] open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<HandoffStart>::new();
    let error = last_error(start.value());
    let (state, set_state) = signal(HandoffState::Waiting);
    let ticket = move || start.value().get().and_then(|r| r.ok());
    // The ticket being polled for; the polling loop stops when it changes or the page is left
    // (then the signal is gone and reading it fails).
    let polling = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(t) = ticket() else { return };
        set_state.set(HandoffState::Waiting);
        polling.set(Some(t.poll.clone()));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            loop {
                gloo_timers::future::// Twice a second: the device must be signed in within two seconds of the approval, and the
                // page load that follows takes its share of them on a busy machine.
                TimeoutFuture::new(500).await;
                if polling.try_get_untracked().flatten().as_deref() != Some(t.poll.as_str()) {
                    break;
                }
                match handoff_poll(t.poll.clone()).await {
                    Ok(HandoffState::Waiting) => continue,
                    Ok(HandoffState::SignedIn) => {
                        set_state.try_set(HandoffState::SignedIn);
                        if let Some(next) = next.try_get_untracked() {
                            crate::identity::browser::load_page(&next);
                        }
                        break;
                    }
                    Ok(HandoffState::Expired) | Err(_) => {
                        set_state.try_set(HandoffState::Expired);
                        break;
                    }
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (t, next);
    });
    let started = RwSignal::new(false);
    Effect::new(move |_| {
        if open && !started.get_untracked() {
            started.set(true);
            start.dispatch(HandoffStart {});
        }
    });
    view! {
        <section class="card handoff" aria-labelledby="handoff-title" data-testid="handoff">
            <h2 id="handoff-title">{move || t_string!(i18n, handoff_title)}</h2>
            <p>{move || t_string!(i18n, handoff_explained)}</p>
            {move || match (ticket(), state.get()) {
                (Some(_), HandoffState::Expired) => view! {
                    <p role="status">{move || t_string!(i18n, handoff_expired)}</p>
                    <button type="button" on:click=move |_| { start.dispatch(HandoffStart {}); }>{move || t_string!(i18n, handoff_new_code)}</button>
                }
                .into_any(),
                (Some(t), _) => view! {
                    <div class="qr" role="img" aria-label=move || t_string!(i18n, handoff_qr_label) inner_html=t.qr_svg.clone() data-testid="handoff-qr"></div>
                    <p class="fine-print">{move || t_string!(i18n, handoff_link_hint)}" "<a href=t.link.clone() data-testid="handoff-link">{move || t_string!(i18n, handoff_link)}</a></p>
                    <p role="status">{move || t_string!(i18n, handoff_waiting)}</p>
                }
                .into_any(),
                (None, _) => view! {
                    <button type="button" data-testid="handoff-start" disabled=move || start.pending().get()
                        on:click=move |_| { start.dispatch(HandoffStart {}); }>{move || t_string!(i18n, handoff_show_code)}</button>
                }
                .into_any(),
            }}
            <FormError error/>
        </section>
    }
}

/// `/handoff?t=…`: the phone's side. Shows who asks and approves after a fresh confirmation.
#[component]
pub fn HandoffPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = Signal::derive(move || query.with(|q| q.get("t")).unwrap_or_default());
    let ask = Resource::new(move || token.get(), handoff_request);
    let approve = ServerAction::<HandoffApprove>::new();
    let error = last_error(approve.value());
    let approved = move || matches!(approve.value().get(), Some(Ok(())));
    let here = move || format!("/handoff?t={}", token.get());
    view! {
        <Title text=title(move || t_string!(i18n, handoff_approve_title))/>
        <h1>{move || t_string!(i18n, handoff_approve_title)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match ask.await {
                    Ok(a) => {
                        let device = a.device.clone();
                        let court = a.court_name.clone();
                        view! {
                            <section class="card">
                                <p data-testid="handoff-device">
                                    {if a.kiosk { t_string!(i18n, handoff_kiosk_asks, device = device.clone()).to_string() } else { t_string!(i18n, handoff_device_asks, device = device.clone()).to_string() }}
                                </p>
                                {court.map(|c| view! { <p data-testid="handoff-court">{move || t_string!(i18n, handoff_at_court, court = c.clone()).to_string()}</p> })}
                                <p>{move || t_string!(i18n, handoff_warning)}</p>
                                <Show when=approved fallback=move || view! {
                                    <ActionForm action=approve attr:class="inline-form">
                                        <input type="hidden" name="t" value=token/>
                                        <button type="submit" data-testid="handoff-approve">{move || t_string!(i18n, handoff_approve)}</button>
                                    </ActionForm>
                                    <FormError error/>
                                    {move || matches!(error.get(), Some(AppError::Conflict(ref k)) if k == "error_step_up_needed").then(|| view! {
                                        <p><a href="/me">{move || t_string!(i18n, step_up_title)}</a></p>
                                    })}
                                }>
                                    <p class="badge ok" role="status" data-testid="handoff-approved">"✓ "{move || t_string!(i18n, handoff_done)}</p>
                                </Show>
                            </section>
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthenticated) => view! {
                        <section class="card gate" data-testid="sign-in-prompt">
                            <p>{move || t_string!(i18n, handoff_sign_in_first)}</p>
                            <p><a class="button" href=format!("/signin?next={}", crate::identity::pages::encode(&here()))>{move || t_string!(i18n, sign_in_link)}</a></p>
                        </section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}
