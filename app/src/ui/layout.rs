//! The frame around every page: skip link, sandbox banner, top bar with settings, main navigation.
use crate::i18n::*;
use crate::ui::kiosk::KioskIdleGuard;
use crate::error::AppError;
use crate::ui::pages::{ErrorPage, Section};
use crate::ui::prefs::Prefs;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let prefs = Prefs::current();
    view! {
        <a class="skip-link" href="#main">{move || t_string!(i18n, skip_to_main)}</a>
        {prefs.sandbox.then(|| view! {
            <div class="sandbox-banner" role="status">{move || t_string!(i18n, sandbox_banner)}</div>
        })}
        <div class="app">
            <TopBar/>
            <MainNav/>
            <main id="main" class="content" tabindex="-1">
                // A failed server function on any page shows the error page with its reference.
                <ErrorBoundary fallback=|errors| view! { <ErrorPage ref_id=reference_of(&errors.get())/> }>
                    <NoScriptFormError/>
                    {children()}
                </ErrorBoundary>
            </main>
        </div>
        {prefs.kiosk.map(|k| view! { <KioskIdleGuard idle_secs=k.idle_secs/> })}
    }
}

/// Without JavaScript a refused form post is sent back to its page by Leptos with the error in
/// `?__err=` (base64 JSON): say it at the top of the page, in the reader's language.
#[component]
fn NoScriptFormError() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let error = move || {
        let encoded = query.with(|q| q.get("__err"))?;
        let json = String::from_utf8(crate::ui::base64url::b64url_decode(&encoded)?).ok()?;
        AppError::from_json_lite(&json)
    };
    move || error().map(|e| view! { <p class="form-error" role="alert" data-testid="noscript-error">{crate::ui::forms::error_text(i18n, &e)}</p> })
}

#[component]
fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = Prefs::current();
    view! {
        <header class="topbar">
            <a class="brand" href="/">{move || t_string!(i18n, brand)}</a>
            {prefs.kiosk.is_some().then(|| view! { <span class="kiosk-badge">{move || t_string!(i18n, kiosk_badge)}</span> })}
            <details class="settings-menu">
                <summary>{move || t_string!(i18n, settings)}</summary>
                <PreferenceForms/>
            </details>
        </header>
    }
}

/// Language and text size: plain forms, so they work before the page is interactive. Used in the
/// top bar's settings menu and on the Me page.
#[component]
pub fn PreferenceForms() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = Prefs::current();
    let location = use_location();
    // The forms post back to the page they were on; the server redirects there after saving.
    let back = move || location.pathname.get();
    let current = move || i18n.get_locale();
    let lang_button = move |locale: Locale, label: &'static str, lang: &'static str| {
        view! {
            <button type="submit" name="lang" value=lang lang=lang
                aria-pressed=move || (current() == locale).to_string()>{label}</button>
        }
    };
    let large = prefs.large_text;
    view! {
        <form class="lang-form" method="post" action="/settings/lang">
            <fieldset>
                <legend>{move || t_string!(i18n, language)}</legend>
                <input type="hidden" name="back" value=back/>
                {lang_button(Locale::zh_Hans, "简体中文", "zh-Hans")}
                {lang_button(Locale::zh_Hant, "繁體中文", "zh-Hant")}
                {lang_button(Locale::en, "English", "en")}
            </fieldset>
        </form>
        <form class="text-size-form" method="post" action="/settings/text-size">
            <fieldset>
                <legend>{move || t_string!(i18n, text_size)}</legend>
                <input type="hidden" name="back" value=back/>
                <button type="submit" name="size" value=if large { "normal" } else { "large" }
                    aria-pressed=large.to_string()>{move || t_string!(i18n, large_text)}</button>
            </fieldset>
        </form>
    }
}

#[component]
fn MainNav() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let items = Section::ALL.map(|section| {
        let href = section.href();
        let current = move || {
            let path = location.pathname.get();
            (path == href).then_some("page")
        };
        view! {
            <li>
                <a href=href aria-current=current>
                    <span class="nav-icon" aria-hidden="true">{section.icon()}</span>
                    <span class="nav-label">{section.label(i18n)}</span>
                </a>
            </li>
        }
    });
    view! {
        <nav class="main-nav" aria-label=move || t_string!(i18n, nav_label)>
            <ul>{items.into_iter().collect_view()}</ul>
        </nav>
    }
}

/// The reference id of the first internal error, for the person to quote to the court.
fn reference_of(errors: &Errors) -> String {
    errors
        .iter()
        .find_map(|(_, e)| match e.downcast_ref::<AppError>() {
            Some(AppError::Internal(id)) => Some(id.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "-".to_string())
}
