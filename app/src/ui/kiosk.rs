//! The kiosk's idle reset: a shared court-lobby device must not keep one person's session for the
//! next. After `idle_secs - 10` s without input it warns; 10 s later it wipes and starts over.
use crate::i18n::*;
use leptos::prelude::*;

/// How long the warning stays before the wipe.
pub const WARNING_SECS: u32 = 10;

#[component]
pub fn KioskIdleGuard(idle_secs: u32) -> impl IntoView {
    let i18n = use_i18n();
    let warning = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    crate::ui::browser::watch_idle(idle_secs, WARNING_SECS, warning);
    #[cfg(not(feature = "hydrate"))]
    let _ = idle_secs;
    let keep = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::browser::restart_idle_timer();
        warning.set(false);
    };
    view! {
        <Show when=move || warning.get()>
            <div class="idle-warning" role="alertdialog" aria-modal="true"
                aria-labelledby="idle-title" aria-describedby="idle-body">
                <div class="idle-panel">
                    <h2 id="idle-title">{move || t_string!(i18n, idle_title)}</h2>
                    <p id="idle-body">{move || t_string!(i18n, idle_body)}</p>
                    <button type="button" autofocus on:click=keep>{move || t_string!(i18n, idle_keep)}</button>
                </div>
            </div>
        </Show>
    }
}
