//! The person's notices: the in-app inbox (always kept) with its unread count in the top bar,
//! how else they want to be told (SMS, push on their devices), and their private calendar feed
//! address. Notices are written by each area inside its own transactions; this module reads them.
use crate::error::AppError;
use crate::filing::api::{MarkNotificationsRead, NotificationView, my_notifications};
use crate::i18n::*;
use crate::identity::pages::RequireSignedIn;
use crate::ui::forms::{FormError, Loading, error_view, last_error};
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// A notice in words, in a language: the inbox, push messages and anything else that tells it.
pub fn notice_text(locale: Locale, key: &str, case_number: &str) -> String {
    let n = case_number;
    match key {
        "notice_relief_granted" => td_string!(locale, notice_relief_granted, case_number = n).to_string(),
        "notice_relief_refused" => td_string!(locale, notice_relief_refused, case_number = n).to_string(),
        "notice_filing_accepted" => td_string!(locale, notice_filing_accepted, case_number = n).to_string(),
        "notice_filing_returned" => td_string!(locale, notice_filing_returned).to_string(),
        "notice_filing_refused" => td_string!(locale, notice_filing_refused).to_string(),
        "notice_refund_created" => td_string!(locale, notice_refund_created, case_number = n).to_string(),
        "notice_refund_done" => td_string!(locale, notice_refund_done, case_number = n).to_string(),
        "notice_hearing_scheduled" => td_string!(locale, notice_hearing_scheduled, case_number = n).to_string(),
        "notice_court_replied" => td_string!(locale, notice_court_replied, case_number = n).to_string(),
        "notice_document_served" => td_string!(locale, notice_document_served, case_number = n).to_string(),
        "notice_record_published" => td_string!(locale, notice_record_published, case_number = n).to_string(),
        "notice_case_event" => td_string!(locale, notice_case_event, case_number = n).to_string(),
        "notice_claims_changed" => td_string!(locale, notice_claims_changed, case_number = n).to_string(),
        "notice_signing_sealed" => td_string!(locale, notice_signing_sealed, case_number = n).to_string(),
        "notice_signing_sent" => td_string!(locale, notice_signing_sent, case_number = n).to_string(),
        "notice_signing_reminder" => td_string!(locale, notice_signing_reminder, case_number = n).to_string(),
        "notice_signing_voided_by_edit" => td_string!(locale, notice_signing_voided_by_edit, case_number = n).to_string(),
        "notice_signing_voided" => td_string!(locale, notice_signing_voided, case_number = n).to_string(),
        _ => td_string!(locale, notice_other).to_string(),
    }
}

/// Where a notice may send the person: a path of this site, never another site.
pub fn safe_link(link: &str) -> &str {
    if link.starts_with('/') && !link.starts_with("//") && !link.contains('\\') { link } else { "/inbox" }
}

/// How the person wants to be told, beside the inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Channels {
    pub sms: bool,
    pub push: bool,
    /// Devices that receive push messages.
    pub push_devices: u32,
    /// The push service's application key (VAPID, base64url) to subscribe with.
    pub push_key: String,
    /// A calendar feed address exists (it is shown only when made).
    pub calendar: bool,
}

/// The top bar's inbox: whose it is (the browser's saved offline pages follow it) and how many
/// notices are unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxBadge {
    pub owner: i64,
    pub unread: u32,
}

/// Unread notices of the signed-in person; none for a visitor (the top bar then shows no inbox).
#[server(prefix = "/api", endpoint = "notices/unread")]
pub async fn unread_count() -> Result<Option<InboxBadge>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let Some(me) = cx.caller().await? else { return Ok(None) };
    let n = super::store::unread_notices(cx.db(), me.person_id).await.map_err(|e| internal("notices", e))?;
    Ok(Some(InboxBadge { owner: me.person_id, unread: u32::try_from(n).unwrap_or(u32::MAX) }))
}

#[server(prefix = "/api", endpoint = "notices/channels")]
pub async fn my_channels() -> Result<Channels, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let db = |e| internal("notices", e);
    let (sms, push) = super::store::channels(cx.db(), me.person_id).await.map_err(db)?;
    let push_devices = super::store::push_devices(cx.db(), me.person_id).await.map_err(db)?;
    let calendar = super::store::has_calendar(cx.db(), me.person_id).await.map_err(db)?;
    Ok(Channels { sms, push, push_devices: u32::try_from(push_devices).unwrap_or(0), push_key: cx.state.push.public_key(), calendar })
}

/// Saves the person's choice of channels (a checkbox form: an absent box is "no").
#[server(prefix = "/api", endpoint = "notices/set_channels")]
pub async fn set_channels(#[server(default)] sms: Option<String>, #[server(default)] push: Option<String>) -> Result<(), AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    super::store::set_channels(cx.db(), me.person_id, sms.is_some(), push.is_some()).await.map_err(|e| internal("notices", e))?;
    cx.audit(&me.actor(), "notices.channels_set", &me.actor(), serde_json::json!({ "sms": sms.is_some(), "push": push.is_some() })).await
}

/// Makes the person a new private calendar address, retiring any earlier one, and answers it
/// (only its hash is kept, so it is shown this once).
#[server(prefix = "/api", endpoint = "notices/new_calendar")]
pub async fn new_calendar_link() -> Result<String, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if cx.kiosk_device().is_some() {
        // Nothing personal is made on a court kiosk.
        return Err(AppError::Forbidden);
    }
    let (token, hash) = crate::ssr::session::new_token();
    super::store::set_calendar(cx.db(), me.person_id, &hash, cx.now()).await.map_err(|e| internal("notices", e))?;
    cx.audit(&me.actor(), "notices.calendar_made", &me.actor(), serde_json::json!({})).await?;
    Ok(format!("{}/calendar/{token}.ics", cx.state.site.public_url))
}

/// Opens a notice: marks it read and goes where it points. Someone else's: 404.
#[cfg(feature = "ssr")]
pub async fn open(state: crate::ssr::AppState, parts: http::request::Parts, id: i64) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let cx = crate::ssr::cx::Cx { state, parts };
    let me = match cx.require_person().await {
        Ok(me) => me,
        Err(_) => return Redirect::to(&format!("/signin?next=/inbox/{id}")).into_response(),
    };
    match super::store::open_notice(cx.db(), me.person_id, id, cx.now()).await {
        Ok(Some(link)) => Redirect::to(safe_link(&link)).into_response(),
        Ok(None) => AppError::NotFound.into_response(),
        Err(e) => crate::ssr::cx::internal("notices", e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Views

/// The way to the inbox with the unread count, on the pages people come back to (My cases, Me);
/// nothing for a visitor. It lives in those pages' own code, not the frame's: a server call in
/// the frame would put the whole server-function client in every first download.
#[component]
pub fn InboxLink() -> impl IntoView {
    let i18n = use_i18n();
    let count = Resource::new(|| (), |_| unread_count());
    // Only a real answer moves the saved offline pages (a failed request offline must not).
    Effect::new(move |_| {
        if let Some(Ok(badge)) = count.get() {
            super::offline::signed_in_as(badge.map(|b| b.owner));
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                count.await.ok().flatten().map(|b| b.unread).map(|n| {
                    let label = move || if n == 0 { t_string!(i18n, inbox_title).to_string() } else { t_string!(i18n, inbox_unread_label, count = n).to_string() };
                    view! {
                        <p class="inbox-row">
                            <a class="button secondary inbox-link" href="/inbox" data-testid="inbox-link">
                                <span aria-hidden="true">"✉ "</span>{label}
                                {(n > 0).then(|| view! { <span class="count-badge" aria-hidden="true" data-testid="inbox-count">{n.min(99)}</span> })}
                            </a>
                        </p>
                    }
                })
            })}
        </Transition>
    }
}

/// `/inbox`: every notice, newest first, unread ones marked; and how else to be told.
#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let read = ServerAction::<MarkNotificationsRead>::new();
    let notices = Resource::new(move || read.version().get(), |_| my_notifications());
    view! {
        <Title text=title(move || t_string!(i18n, inbox_title))/>
        <h1>{move || t_string!(i18n, inbox_title)}</h1>
        <RequireSignedIn here="/inbox">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(list) if list.is_empty() => view! { <section class="card"><p data-testid="inbox-empty">{move || t_string!(i18n, inbox_empty)}</p></section> }.into_any(),
                        Ok(list) => {
                            let unread = list.iter().filter(|n| !n.read).count();
                            view! {
                                <section class="card" aria-labelledby="inbox-list-title">
                                    <h2 id="inbox-list-title">{move || t_string!(i18n, inbox_unread_label, count = unread).to_string()}</h2>
                                    <ul class="inbox" data-testid="inbox-list">{list.into_iter().map(|n| view! { <InboxItem notice=n/> }).collect_view()}</ul>
                                    {(unread > 0).then(|| view! {
                                        <ActionForm action=read attr:class="inline-form">
                                            <button type="submit" class="secondary" data-testid="inbox-mark-read">{move || t_string!(i18n, mark_read)}</button>
                                        </ActionForm>
                                    })}
                                </section>
                            }
                            .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <ChannelSettings/>
        </RequireSignedIn>
    }
}

#[component]
fn InboxItem(notice: NotificationView) -> impl IntoView {
    let i18n = use_i18n();
    let (key, number) = (notice.message.clone(), notice.case_number.clone().unwrap_or_default());
    let text = move || notice_text(i18n.get_locale(), &key, &number);
    let unread = !notice.read;
    view! {
        <li class:unread=unread data-testid="inbox-item" data-read=notice.read.to_string()>
            // A server route (it marks the notice read and redirects), not a page of the app.
            <a href=format!("/inbox/{}", notice.id) rel="external">
                {unread.then(|| view! { <span class="visually-hidden">{move || t_string!(i18n, inbox_new)}" "</span> })}
                {text}
            </a>
            " · "<span class="device-meta">{notice.at.shanghai()}</span>
        </li>
    }
}

/// How else the person is told: SMS and push (checkboxes), this device's push subscription, and
/// the private calendar feed. On a court kiosk only the inbox is offered.
#[component]
fn ChannelSettings() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = crate::ui::prefs::Prefs::current().kiosk.is_some();
    let save = ServerAction::<SetChannels>::new();
    let calendar = ServerAction::<NewCalendarLink>::new();
    let channels = Resource::new(move || save.version().get(), |_| my_channels());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match channels.await {
                    Ok(c) => view! {
                        <section class="card" aria-labelledby="channels-title" data-testid="channels">
                            <h2 id="channels-title">{move || t_string!(i18n, channels_title)}</h2>
                            <p class="hint">{move || t_string!(i18n, channels_inbox_always)}</p>
                            <ActionForm action=save attr:class="stack-form">
                                <div class="field checkbox">
                                    <input id="channel-sms" type="checkbox" name="sms" value="on" checked=c.sms data-testid="channel-sms"/>
                                    <label for="channel-sms">{move || t_string!(i18n, channels_sms)}</label>
                                </div>
                                <div class="field checkbox">
                                    <input id="channel-push" type="checkbox" name="push" value="on" checked=c.push data-testid="channel-push"/>
                                    <label for="channel-push">{move || t_string!(i18n, channels_push)}</label>
                                </div>
                                <button type="submit" class="secondary" data-testid="channels-save" disabled=move || save.pending().get()>{move || t_string!(i18n, channels_save)}</button>
                            </ActionForm>
                            {move || saved().then(|| view! { <p class="notice" role="status" data-testid="channels-saved">{move || t_string!(i18n, channels_saved)}</p> })}
                            <FormError error=last_error(save.value())/>
                            {(!kiosk).then(|| view! {
                                <super::push::PushDevice devices=c.push_devices key=c.push_key.clone() wanted=c.push/>
                                <h3>{move || t_string!(i18n, calendar_title)}</h3>
                                <p class="hint">{move || t_string!(i18n, calendar_hint)}</p>
                                {move || match calendar.value().get() {
                                    Some(Ok(url)) => view! {
                                        <p class="notice" role="status">{move || t_string!(i18n, calendar_made)}</p>
                                        <p><code class="fingerprint" data-testid="calendar-url">{url.clone()}</code></p>
                                        <p><a class="button secondary" href=url.replacen("http://", "webcal://", 1).replacen("https://", "webcal://", 1)>{move || t_string!(i18n, calendar_open)}</a></p>
                                    }.into_any(),
                                    _ => ().into_any(),
                                }}
                                <FormError error=last_error(calendar.value())/>
                                <ActionForm action=calendar attr:class="inline-form">
                                    <button type="submit" class="secondary" data-testid="calendar-make">
                                        {move || if c.calendar { t_string!(i18n, calendar_remake) } else { t_string!(i18n, calendar_make) }}
                                    </button>
                                </ActionForm>
                            })}
                        </section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}
