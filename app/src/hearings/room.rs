//! The hearing room page (`/hearings/:id`): the check before joining (camera preview,
//! microphone level, test tone, network, what this browser can do), the step-up for parties and
//! lawyers, the waiting room, and the room itself: everyone's video with the speaker
//! highlighted, the judge's and clerk's commands, sharing the screen, showing the case's
//! evidence to everyone, and the chat.
use super::api::{EntryView, hearing_entry};
use super::browser::{self, RoomSignals};
use super::call::{CallState, Devices, Phase};
use super::model::{ClientMessage, DocumentKind, PeerInfo, Seat, Sharing};
use super::pages::role_label;
use crate::error::AppError;
use crate::i18n::*;
use crate::identity::pages::{MeChanged, RequireVerified, StepUpCard};
use crate::ui::forms::{Loading, error_view, key_text};
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Where the page is, coarsely: the room's parts stay mounted while only the state inside
/// changes (a re-render would cut the videos).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Check,
    Connecting,
    Waiting,
    Room,
    Over,
}

impl Stage {
    fn of(phase: &Phase) -> Stage {
        match phase {
            Phase::Check => Stage::Check,
            Phase::Connecting => Stage::Connecting,
            Phase::Waiting => Stage::Waiting,
            Phase::InRoom | Phase::Reconnecting => Stage::Room,
            Phase::Removed | Phase::Ended | Phase::Left | Phase::Refused(_) => Stage::Over,
        }
    }
}

#[component]
pub fn RoomPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=title(move || t_string!(i18n, hearing_room_title))/>
        <p class="back-link"><a href="/hearings">{move || t_string!(i18n, hearings_title)}</a></p>
        <h1>{move || t_string!(i18n, hearing_room_title)}</h1>
        <RequireVerified here="/hearings" staff_too=true>
            <RoomEntry/>
        </RequireVerified>
    }
}

/// The hearing, and what the caller must do before joining it.
#[component]
fn RoomEntry() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let changed = MeChanged(RwSignal::new(0));
    provide_context(changed);
    let entry = Resource::new(move || (id.get(), changed.0.get()), |(id, _)| async move {
        match id {
            Some(id) => hearing_entry(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let me = Resource::new(move || changed.0.get(), |_| crate::identity::api::me());
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match (entry.await, me.await) {
                    (Err(e), _) | (_, Err(e)) => error_view(e),
                    (Ok(entry), _) if !entry.online => view! {
                        <p class="notice" data-testid="hearing-not-online">{move || t_string!(i18n, hearing_not_online)}</p>
                    }.into_any(),
                    (Ok(entry), _) if entry.ended => view! {
                        <section class="card" data-testid="hearing-over">
                            <p role="status">{move || t_string!(i18n, hearing_over_ended)}</p>
                            <p><a href=format!("/hearings/{}/record", entry.hearing_id)>{move || t_string!(i18n, hearing_to_record)}</a></p>
                        </section>
                    }.into_any(),
                    (Ok(entry), Ok(Some(person))) if entry.needs_step_up => view! {
                        <Details entry=entry.clone()/>
                        <p class="notice" data-testid="hearing-step-up">{move || t_string!(i18n, hearing_step_up_needed)}</p>
                        <StepUpCard person/>
                    }.into_any(),
                    (Ok(entry), _) => view! { <Room entry/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Details(entry: EntryView) -> impl IntoView {
    let i18n = use_i18n();
    let time = entry.starts_at.shanghai();
    let (number, minutes) = (entry.case_number.clone(), entry.minutes);
    view! {
        <p class="hearing-details" data-testid="hearing-details">
            {move || t_string!(i18n, hearing_details, case_number = number.clone(), time = time.clone(), minutes = minutes).to_string()}
        </p>
    }
}

/// The call, from the check before joining to its end.
#[component]
fn Room(entry: EntryView) -> impl IntoView {
    let room = RoomSignals::new();
    room.call.update(|c| c.role = Some(entry.role));
    // Leaving the page hangs up: camera and microphone off, the room told.
    on_cleanup(browser::leave);
    let stage = Memo::new(move |_| room.call.with(|c| Stage::of(&c.phase)));
    let hearing = entry.hearing_id;
    view! {
        <Details entry=entry.clone()/>
        {move || match stage.get() {
            Stage::Check => view! { <PreJoin hearing room/> }.into_any(),
            Stage::Connecting => view! { <Connecting/> }.into_any(),
            Stage::Waiting => view! { <WaitingRoom/> }.into_any(),
            Stage::Room => view! { <InRoom hearing room/> }.into_any(),
            Stage::Over => view! { <Over hearing room/> }.into_any(),
        }}
    }
}

#[component]
fn PreJoin(hearing: i64, room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    // In the browser only (effects do not run on the server): ask for the devices at once.
    Effect::new(move |_| browser::check_devices(room));
    let check = room.check;
    let devices = move || {
        check.with(|c| match c.devices {
            Devices::Unchecked | Devices::Asking => t_string!(i18n, hearing_devices_asking),
            Devices::Both => t_string!(i18n, hearing_devices_both),
            Devices::AudioOnly => t_string!(i18n, hearing_devices_audio_only),
            Devices::Neither => t_string!(i18n, hearing_devices_neither),
        })
    };
    let network = move || match check.with(|c| (c.round_trip_ms, c.offline)) {
        (Some(ms), _) => t_string!(i18n, hearing_network, ms = ms).to_string(),
        (None, true) => t_string!(i18n, hearing_advice_offline).to_string(),
        (None, false) => t_string!(i18n, hearing_network_measuring).to_string(),
    };
    let advice = move || check.with(|c| c.advice()).into_iter().map(|key| view! { <li>{key_text(i18n, key)}</li> }).collect_view();
    let can_join = move || check.with(|c| c.can_join());
    view! {
        <section class="card hearing-check" aria-labelledby="hearing-check-title" data-testid="prejoin">
            <h2 id="hearing-check-title">{move || t_string!(i18n, hearing_check_title)}</h2>
            <video id="self-view" class="self-view" autoplay=true playsinline=true muted=true data-testid="self-view"
                aria-label=move || t_string!(i18n, hearing_you)></video>
            <p role="status" data-testid="devices">{devices}</p>
            <label class="meter-label" for="mic-level">{move || t_string!(i18n, hearing_mic_level)}</label>
            <meter id="mic-level" min="0" max="1" low="0.05" data-testid="mic-level" value=move || check.with(|c| c.level)></meter>
            <p>
                <button type="button" class="secondary" data-testid="test-tone" on:click=move |_| browser::play_tone()>
                    {move || t_string!(i18n, hearing_tone)}
                </button>
                " "<span class="field-hint">{move || t_string!(i18n, hearing_tone_hint)}</span>
            </p>
            <p data-testid="network">{network}</p>
            <ul class="advice" data-testid="advice">{advice}</ul>
            <button type="button" data-testid="join" disabled=move || !can_join() on:click=move |_| browser::join(hearing, room)>
                {move || t_string!(i18n, hearing_join)}
            </button>
        </section>
    }
}

#[component]
fn Connecting() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status" data-testid="connecting">{move || t_string!(i18n, hearing_connecting)}</p> }
}

#[component]
fn WaitingRoom() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="waiting-title" data-testid="waiting-room">
            <h2 id="waiting-title">{move || t_string!(i18n, hearing_waiting_title)}</h2>
            <p role="status">{move || t_string!(i18n, hearing_waiting_body)}</p>
        </section>
    }
}

#[component]
fn Over(hearing: i64, room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    let phase = move || room.call.with(|c| c.phase.clone());
    let text = move || match phase() {
        Phase::Ended => t_string!(i18n, hearing_over_ended).to_string(),
        Phase::Removed => t_string!(i18n, hearing_over_removed).to_string(),
        Phase::Refused(key) => key_text(i18n, &key),
        _ => t_string!(i18n, hearing_over_left).to_string(),
    };
    let may_rejoin = move || matches!(phase(), Phase::Left | Phase::Refused(_)) && phase() != Phase::Refused("error_hearing_ended".into());
    let rejoin = move |_| room.call.set(CallState { role: room.call.with_untracked(|c| c.role), ..CallState::default() });
    view! {
        <section class="card" data-testid="hearing-over">
            <p role="status">{text}</p>
            <Show when=may_rejoin>
                <p><button type="button" data-testid="rejoin" on:click=rejoin>{move || t_string!(i18n, hearing_rejoin)}</button></p>
            </Show>
            <p><a href=format!("/hearings/{hearing}/record")>{move || t_string!(i18n, hearing_to_record)}</a></p>
        </section>
    }
}

/// The room: everyone's tiles, the controls, the waiting list (hosts) and the chat.
#[component]
fn InRoom(hearing: i64, room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    let call = room.call;
    Effect::new(move |_| browser::show_self());
    let reconnecting = move || call.with(|c| c.phase == Phase::Reconnecting);
    let notice = move || call.with(|c| c.notice.clone()).map(|key| view! { <p class="notice" role="status" data-testid="hearing-notice">{key_text(i18n, &key)}</p> });
    let seats = move || call.with(|c| c.tiles.keys().copied().collect::<Vec<Seat>>());
    let me_speaking = move || call.with(|c| c.me.is_some() && c.speaking == c.me);
    view! {
        <div class="hearing-room" data-testid="hearing-room">
            <Show when=reconnecting>
                <p class="notice warn" role="status" data-testid="reconnecting">{move || t_string!(i18n, hearing_reconnecting)}</p>
            </Show>
            {notice}
            <Show when=move || call.with(|c| c.playback_blocked)>
                <p><button type="button" data-testid="tap-to-play" on:click=move |_| browser::play_all()>{move || t_string!(i18n, hearing_tap_to_play)}</button></p>
            </Show>
            <Show when=move || call.with(|c| c.is_host())>
                <Lobby room/>
            </Show>
            <ul class="peer-tiles" aria-label=move || t_string!(i18n, hearing_participants)>
                <li class="peer-tile self" class:speaking=me_speaking data-testid="self-tile">
                    <video id="self-view" autoplay=true playsinline=true muted=true></video>
                    <p class="peer-name">{move || t_string!(i18n, hearing_you)}</p>
                    <Show when=move || !call.with(|c| c.audio)>
                        <span class="badge" data-testid="self-muted">{move || t_string!(i18n, hearing_mic_off_badge)}</span>
                    </Show>
                </li>
                <For each=seats key=|seat| *seat let:seat>
                    <PeerTile room seat/>
                </For>
            </ul>
            <Controls room/>
            <Evidence hearing room/>
            <Chat room/>
        </div>
    }
}

#[component]
fn PeerTile(room: RoomSignals, seat: Seat) -> impl IntoView {
    let i18n = use_i18n();
    let call = room.call;
    let tile = Memo::new(move |_| call.with(|c| c.tiles.get(&seat).cloned()));
    let info = move || tile.get().map(|t| t.info);
    let has = move |f: fn(&PeerInfo) -> bool| info().is_some_and(|p| f(&p));
    // The video element exists now: give it their tracks if they came first.
    Effect::new(move |_| browser::attach(seat));
    let confirm_remove = RwSignal::new(false);
    let name = move || info().map(|p| p.name).unwrap_or_default();
    let role = move || info().map(|p| role_label(i18n, p.role)).unwrap_or_default();
    view! {
        <li class="peer-tile" class:speaking=move || call.with(|c| c.speaking == Some(seat)) class:camera-off=move || !has(|p| p.video)
            data-testid="tile" data-seat=seat.0.to_string() data-name=name>
            <video id=format!("video-seat-{}", seat.0) autoplay=true playsinline=true></video>
            <p class="peer-name">{name}" · "{role}</p>
            <p class="peer-badges">
                <Show when=move || !has(|p| p.audio)><span class="badge" data-testid="tile-muted">{move || t_string!(i18n, hearing_mic_off_badge)}</span></Show>
                <Show when=move || has(|p| p.quality == super::model::Quality::Poor)><span class="badge warn" data-testid="tile-poor">{move || t_string!(i18n, hearing_poor_connection)}</span></Show>
                <Show when=move || tile.get().is_some_and(|t| t.reconnecting)><span class="badge warn" data-testid="tile-reconnecting">{move || t_string!(i18n, hearing_peer_reconnecting)}</span></Show>
                <Show when=move || has(|p| p.sharing == Some(Sharing::Screen))><span class="badge" data-testid="tile-sharing">{move || t_string!(i18n, hearing_sharing_screen)}</span></Show>
                <Show when=move || has(|p| p.sharing == Some(Sharing::Document))><span class="badge" data-testid="tile-showing-document">{move || t_string!(i18n, hearing_showing_document_badge)}</span></Show>
            </p>
            <Show when=move || call.with(|c| c.is_judge())>
                <p class="peer-actions">
                    <button type="button" class="secondary" data-testid="tile-mute" disabled=move || !has(|p| p.audio)
                        on:click=move |_| browser::send(ClientMessage::MuteOther { seat })>{move || t_string!(i18n, hearing_mute_other)}</button>
                    " "
                    <button type="button" class="secondary danger" data-testid="tile-remove" on:click=move |_| confirm_remove.set(true)>
                        {move || t_string!(i18n, hearing_remove)}
                    </button>
                </p>
                <Show when=move || confirm_remove.get()>
                    <div class="confirm" role="alertdialog" aria-label=move || t_string!(i18n, hearing_remove)>
                        <p>{move || t_string!(i18n, hearing_remove_confirm, name = name()).to_string()}</p>
                        <button type="button" class="danger" data-testid="tile-remove-confirm"
                            on:click=move |_| { confirm_remove.set(false); browser::send(ClientMessage::Remove { seat }); }>
                            {move || t_string!(i18n, hearing_yes_remove)}
                        </button>
                        " "
                        <button type="button" class="secondary" on:click=move |_| confirm_remove.set(false)>{move || t_string!(i18n, hearing_cancel)}</button>
                    </div>
                </Show>
            </Show>
        </li>
    }
}

/// For the judge and clerk: who waits, with the verified name and role, to let in or remove.
#[component]
fn Lobby(room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    let waiting = move || room.call.with(|c| c.waiting.clone());
    view! {
        <section class="card lobby" aria-labelledby="lobby-title" data-testid="lobby">
            <h2 id="lobby-title">{move || t_string!(i18n, hearing_lobby_title)}</h2>
            <Show when=move || room.call.with(|c| !c.waiting.is_empty()) fallback=move || view! { <p>{move || t_string!(i18n, hearing_lobby_empty)}</p> }>
                <ul>
                    <For each=waiting key=|p| p.seat let:person>
                        {
                            let seat = person.seat;
                            let role = person.role;
                            view! {
                                <li data-testid="lobby-person" data-name=person.name.clone()>
                                    <span>{person.name.clone()}" · "{move || role_label(i18n, role)}</span>" "
                                    <button type="button" data-testid="admit" on:click=move |_| browser::send(ClientMessage::Admit { seat })>
                                        {move || t_string!(i18n, hearing_admit)}
                                    </button>" "
                                    <button type="button" class="secondary danger" data-testid="lobby-remove" on:click=move |_| browser::send(ClientMessage::Remove { seat })>
                                        {move || t_string!(i18n, hearing_remove)}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn Controls(room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    let call = room.call;
    let confirm_end = RwSignal::new(false);
    let screen = move || room.check.with(|c| c.support.screen);
    let devices = move || room.check.with(|c| c.devices.clone());
    view! {
        <div class="hearing-controls" role="toolbar" aria-label=move || t_string!(i18n, hearing_controls)>
            <button type="button" data-testid="toggle-mic" aria-pressed=move || call.with(|c| c.audio).to_string()
                disabled=move || matches!(devices(), Devices::Neither) on:click=move |_| browser::toggle_audio()>
                {move || t_string!(i18n, hearing_mic)}
            </button>
            <button type="button" data-testid="toggle-camera" aria-pressed=move || call.with(|c| c.video).to_string()
                disabled=move || !matches!(devices(), Devices::Both) on:click=move |_| browser::toggle_video()>
                {move || t_string!(i18n, hearing_camera)}
            </button>
            <Show when=screen>
                <button type="button" class="secondary" data-testid="share-screen" aria-pressed=move || call.with(|c| c.sharing_screen).to_string()
                    on:click=move |_| browser::toggle_screen()>
                    {move || if call.with(|c| c.sharing_screen) { t_string!(i18n, hearing_stop_sharing) } else { t_string!(i18n, hearing_share_screen) }}
                </button>
            </Show>
            <button type="button" class="secondary" data-testid="leave" on:click=move |_| browser::leave()>{move || t_string!(i18n, hearing_leave)}</button>
            <Show when=move || call.with(|c| c.is_judge())>
                <button type="button" class="danger" data-testid="end-hearing" on:click=move |_| confirm_end.set(true)>{move || t_string!(i18n, hearing_end)}</button>
            </Show>
        </div>
        <Show when=move || confirm_end.get()>
            <div class="confirm card" role="alertdialog" aria-labelledby="end-confirm-text">
                <p id="end-confirm-text">{move || t_string!(i18n, hearing_end_confirm)}</p>
                <button type="button" class="danger" data-testid="end-hearing-confirm"
                    on:click=move |_| { confirm_end.set(false); browser::send(ClientMessage::End); }>
                    {move || t_string!(i18n, hearing_yes_end)}
                </button>
                " "
                <button type="button" class="secondary" on:click=move |_| confirm_end.set(false)>{move || t_string!(i18n, hearing_cancel)}</button>
            </div>
        </Show>
    }
}

/// Evidence examination (电子质证): the document the room looks at, page by page, with its
/// fingerprint; the one showing it turns the pages; whoever has evidence of their own (and the
/// judge and clerk) picks one to show everyone.
#[component]
fn Evidence(hearing: i64, room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    let call = room.call;
    let shown = Memo::new(move |_| call.with(|c| c.shown.clone()));
    let presenting = move || call.with(|c| c.presenting());
    let may_hide = move || call.with(|c| c.presenting() || (c.is_host() && c.shown.is_some()));
    let documents = move || call.with(|c| c.documents.clone());
    let picked = RwSignal::new(String::new());
    let presenter = move || {
        shown.get().and_then(|s| {
            call.with(|c| if c.me == Some(s.by) { Some(t_string!(i18n, hearing_you).to_string()) } else { c.tiles.get(&s.by).map(|t| t.info.name.clone()) })
        })
    };
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = picked.get_untracked().parse::<i64>().ok().or_else(|| documents().first().map(|d| d.id));
        if let Some(document) = id {
            browser::send(ClientMessage::ShowDocument { document, page: 1 });
        }
    };
    let turn = move |by: i64| {
        if let Some(page) = shown.get_untracked().map(|s| i64::from(s.page) + by).and_then(|p| u32::try_from(p).ok()).filter(|p| *p >= 1) {
            browser::send(ClientMessage::TurnPage { page });
        }
    };
    let viewer = move || {
        shown.get().map(|s| {
            let src = format!("/hearings/{hearing}/documents/{}", s.document.id);
            let title = s.document.title.clone();
            let frame = match s.document.kind {
                DocumentKind::Image => view! { <img class="shown-document" src=src.clone() alt=title.clone() data-testid="shown-image"/> }.into_any(),
                // The page is asked of the browser's PDF viewer; a new element for each page.
                DocumentKind::Pdf => view! { <iframe class="shown-document" src=format!("{src}#page={}", s.page) title=title.clone() data-testid="shown-pdf"></iframe> }.into_any(),
            };
            let (page, sha) = (s.page, s.document.sha256.clone());
            view! {
                <p role="status" data-testid="shown-by">
                    {move || t_string!(i18n, hearing_document_shown_by, name = presenter().unwrap_or_default(), page = page).to_string()}
                    " "<strong data-testid="shown-title">{title.clone()}</strong>
                </p>
                <p class="fingerprint" data-testid="shown-fingerprint">{move || t_string!(i18n, hearing_document_fingerprint, sha = sha.clone()).to_string()}</p>
                {frame}
                <p><a href=src target="_blank" rel="noopener">{move || t_string!(i18n, hearing_document_open)}</a></p>
            }
        })
    };
    view! {
        <section class="card evidence" aria-labelledby="evidence-title" data-testid="evidence">
            <h2 id="evidence-title">{move || t_string!(i18n, hearing_documents_title)}</h2>
            <Show when=move || shown.with(Option::is_some) fallback=move || view! { <p data-testid="nothing-shown">{move || t_string!(i18n, hearing_documents_none_shown)}</p> }>
                {viewer}
            </Show>
            <p class="inline-form">
                <Show when=presenting>
                    <button type="button" class="secondary" data-testid="page-prev" disabled=move || shown.with(|s| s.as_ref().is_none_or(|s| s.page <= 1))
                        on:click=move |_| turn(-1)>{move || t_string!(i18n, hearing_document_prev)}</button>
                    " "
                    <button type="button" class="secondary" data-testid="page-next" on:click=move |_| turn(1)>{move || t_string!(i18n, hearing_document_next)}</button>
                    " "
                </Show>
                <Show when=may_hide>
                    <button type="button" class="secondary" data-testid="hide-document" on:click=move |_| browser::send(ClientMessage::HideDocument)>
                        {move || t_string!(i18n, hearing_document_hide)}
                    </button>
                </Show>
            </p>
            <Show when=move || call.with(|c| !c.documents.is_empty())>
                <form class="inline-form" on:submit=show>
                    <label for="show-document">{move || t_string!(i18n, hearing_document_pick)}</label>
                    <select id="show-document" data-testid="document-pick" on:change=move |ev| picked.set(event_target_value(&ev))>
                        <For each=documents key=|d| d.id let:document>
                            <option value=document.id.to_string()>{document.title.clone()}</option>
                        </For>
                    </select>
                    <button type="submit" data-testid="show-document">{move || t_string!(i18n, hearing_document_show)}</button>
                </form>
            </Show>
        </section>
    }
}

/// The hearing's chat: the server keeps every line with the hearing's record.
#[component]
fn Chat(room: RoomSignals) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let lines = move || {
        room.call.with(|c| c.chat.clone()).into_iter().map(|line| view! {
            <li data-testid="chat-line"><span class="chat-who">{line.name}</span>" "<time>{line.at.shanghai()}</time><p>{line.text}</p></li>
        }).collect_view()
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let said = text.get_untracked();
        if said.trim().is_empty() {
            return;
        }
        browser::send(ClientMessage::Chat { text: said });
        text.set(String::new());
    };
    view! {
        <section class="card chat" aria-labelledby="chat-title">
            <h2 id="chat-title">{move || t_string!(i18n, hearing_chat_title)}</h2>
            <Show when=move || room.call.with(|c| c.chat.is_empty())>
                <p>{move || t_string!(i18n, hearing_chat_empty)}</p>
            </Show>
            <ol class="chat-lines" aria-live="polite" data-testid="chat-lines">{lines}</ol>
            <form class="inline-form" on:submit=send>
                <label for="chat-text">{move || t_string!(i18n, hearing_chat_label)}</label>
                <input id="chat-text" data-testid="chat-input" maxlength="1000" autocomplete="off" bind:value=text/>
                <button type="submit" data-testid="chat-send">{move || t_string!(i18n, hearing_chat_send)}</button>
            </form>
        </section>
    }
}
