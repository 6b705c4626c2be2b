//! The home page, the placeholder for areas not built yet, and the 404 and error pages.
use crate::ui::title::title;
use crate::i18n::*;
use leptos_i18n::I18nContext;
use leptos::prelude::*;
use leptos_meta::Title;

/// The sections of the main navigation, in the order people see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Cases,
    File,
    Pay,
    Hearings,
    Sign,
    Me,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Home,
        Section::Cases,
        Section::File,
        Section::Pay,
        Section::Hearings,
        Section::Sign,
        Section::Me,
    ];

    pub fn href(self) -> &'static str {
        match self {
            Section::Home => "/",
            Section::Cases => "/cases",
            Section::File => "/file",
            Section::Pay => "/pay",
            Section::Hearings => "/hearings",
            Section::Sign => "/sign",
            Section::Me => "/me",
        }
    }

    /// A glyph beside the label; decorative, so hidden from screen readers.
    pub fn icon(self) -> &'static str {
        match self {
            Section::Home => "⌂",
            Section::Cases => "☰",
            Section::File => "✎",
            Section::Pay => "¥",
            Section::Hearings => "⚖",
            Section::Sign => "✍",
            Section::Me => "☺",
        }
    }

    pub fn label(self, i18n: I18nContext<Locale>) -> &'static str {
        match self {
            Section::Home => t_string!(i18n, nav_home),
            Section::Cases => t_string!(i18n, nav_cases),
            Section::File => t_string!(i18n, nav_file),
            Section::Pay => t_string!(i18n, nav_pay),
            Section::Hearings => t_string!(i18n, nav_hearings),
            Section::Sign => t_string!(i18n, nav_sign),
            Section::Me => t_string!(i18n, nav_me),
        }
    }

    fn description(self, i18n: I18nContext<Locale>) -> &'static str {
        match self {
            Section::Home => "",
            Section::Cases => t_string!(i18n, tile_cases),
            Section::File => t_string!(i18n, tile_file),
            Section::Pay => t_string!(i18n, tile_pay),
            Section::Hearings => t_string!(i18n, tile_hearings),
            Section::Sign => t_string!(i18n, tile_sign),
            Section::Me => t_string!(i18n, tile_me),
        }
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let tiles = Section::ALL[1..].iter().map(|&section| {
        view! {
            <li>
                <a class="tile" href=section.href()>
                    <span class="tile-title">{move || section.label(i18n)}</span>
                    <span class="tile-desc">{move || section.description(i18n)}</span>
                </a>
            </li>
        }
    });
    view! {
        <Title text=""/>
        <h1>{move || t_string!(i18n, home_title)}</h1>
        <p class="lead">{move || t_string!(i18n, home_lead)}</p>
        <section aria-labelledby="services-heading">
            <h2 id="services-heading">{move || t_string!(i18n, home_services)}</h2>
            <ul class="home-tiles">{tiles.collect_view()}</ul>
            <p><a href="/fees/calculator">{move || t_string!(i18n, fee_calculator_link)}</a></p>
            <p><a href="/lookup" data-testid="lookup-link">{move || t_string!(i18n, lookup_link)}</a></p>
        </section>
    }
}

/// What an area shows until it is built: a plain statement, never sample data.
#[component]
pub fn ComingSoonPage(section: Section) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=title(move || section.label(i18n))/>
        <h1>{move || section.label(i18n)}</h1>
        <ComingSoonCard/>
    }
}

#[component]
pub fn ComingSoonCard() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="coming-soon card">
            <p>{move || t_string!(i18n, coming_soon)}</p>
            <p>{move || t_string!(i18n, coming_soon_detail)}</p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=title(move || t_string!(i18n, not_found_title))/>
        <section class="not-found card">
            <h1>{move || t_string!(i18n, not_found_title)}</h1>
            <p>{move || t_string!(i18n, not_found_body)}</p>
            <p><a href="/">{move || t_string!(i18n, go_home)}</a></p>
        </section>
    }
}

/// Shown when the server failed: the person gets a reference to quote, the logs get the cause.
#[component]
pub fn ErrorPage(ref_id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=title(move || t_string!(i18n, error_title))/>
        <section class="error-page card" role="alert">
            <h1>{move || t_string!(i18n, error_title)}</h1>
            <p>{move || t_string!(i18n, error_body)}</p>
            <p>{move || t_string!(i18n, error_ref)}": "<code class="ref-id">{ref_id}</code></p>
            <p><a href="/">{move || t_string!(i18n, go_home)}</a></p>
        </section>
    }
}
