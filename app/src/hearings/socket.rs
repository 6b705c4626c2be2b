//! The hearing's signalling socket (server only): `GET /hearings/{id}/socket` becomes a
//! WebSocket for someone the court expects at that online hearing (its court's judge or clerk,
//! a party, a lawyer acting in the case, the last two just after a step-up). The room of each
//! hearing in progress lives here; every message in or out passes its rules (`model::Room`).
use super::model::{CaseDocument, ClientMessage, DocumentKind, HearingError, IceServer, Outcome, Role, Room, Seat, ServerMessage, MAX_SIGNAL_BYTES, REJOIN_GRACE_SECS};
use crate::error::AppError;
use crate::identity::model::UnixTime;
use crate::ssr::AppState;
use crate::ssr::cx::{Cx, internal};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;

/// Who is opening the socket, as the court's records say.
#[derive(Clone, Debug)]
pub struct Joiner {
    pub person: i64,
    /// The session the socket was opened with: kept in use while the socket is open.
    pub session: i64,
    pub name: String,
    pub role: Role,
    /// The judge ended this hearing (on this server or before a restart): no one joins again.
    pub ended: bool,
    /// The case's evidence this person may show the room.
    pub documents: Vec<CaseDocument>,
}

/// One connection's line to its browser, numbered so that a replaced connection closing late
/// does not take the seat of the one that replaced it.
struct Link {
    connection: u64,
    tx: mpsc::UnboundedSender<ServerMessage>,
}

struct Live {
    room: Room,
    links: HashMap<Seat, Link>,
}

/// The rooms of the hearings in progress on this server. (With more than one server, the
/// hearing's connections go to one of them, chosen by hearing id at the load balancer.)
pub struct Rooms {
    live: Mutex<HashMap<i64, Live>>,
    ice_servers: Vec<IceServer>,
    next_connection: std::sync::atomic::AtomicU64,
}

/// What a change in the room leaves to write once its lock is released: audit events (actor,
/// action, details), chat lines for the hearing's record, and whether the judge ended it.
#[derive(Default)]
struct Records {
    audit: Vec<(String, &'static str, serde_json::Value)>,
    chat: Vec<ChatLine>,
    ended: bool,
}

/// A chat line as the record keeps it.
struct ChatLine {
    person: i64,
    name: String,
    text: String,
    at: i64,
}

impl Rooms {
    pub fn new(ice_servers: Vec<IceServer>) -> Rooms {
        Rooms { live: Mutex::new(HashMap::new()), ice_servers, next_connection: std::sync::atomic::AtomicU64::new(1) }
    }

    fn with<T>(&self, hearing: i64, f: impl FnOnce(&mut Live) -> T) -> T {
        // A poisoned lock means a panic mid-change; the room is still the best record there is.
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = live.entry(hearing).or_insert_with(|| Live { room: Room::new(self.ice_servers.clone()), links: HashMap::new() });
        f(entry)
    }

    /// Sends each message of `out` to the browsers it is for, and answers what to audit.
    fn deliver(live: &Live, out: Outcome) -> Records {
        let mut records = Records::default();
        for (to, message) in out.send {
            match &message {
                ServerMessage::Chat { from, name, text, at } => records.chat.push(ChatLine {
                    person: live.room.person_at(*from).unwrap_or_default(),
                    name: name.clone(),
                    text: text.clone(),
                    at: at.0,
                }),
                ServerMessage::Ended => records.ended = true,
                _ => {}
            }
            for seat in live.room.recipients(to) {
                if let Some(link) = live.links.get(&seat) {
                    let _ = link.tx.send(message.clone());
                }
            }
        }
        records.audit = out
            .record
            .into_iter()
            .map(|(action, seat)| {
                let person = live.room.person_at(seat).unwrap_or_default();
                // The record of the examination says which evidence was shown.
                let details = match live.room.shown().filter(|_| action == "hearing.document_shown") {
                    Some(shown) => serde_json::json!({ "seat": seat.0, "file": shown.document.id, "sha256": shown.document.sha256, "page": shown.page }),
                    None => serde_json::json!({ "seat": seat.0 }),
                };
                (format!("person:{person}"), action, details)
            })
            .collect();
        records
    }

    fn arrive(&self, hearing: i64, who: &Joiner, tx: mpsc::UnboundedSender<ServerMessage>, now: UnixTime) -> Result<(Seat, u64, Records), HearingError> {
        let connection = self.next_connection.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.with(hearing, |live| {
            let (seat, out) = live.room.arrive(who.person, &who.name, who.role, now)?;
            let out = out.then(live.room.offer_documents(seat, who.documents.clone()));
            // The seat's earlier connection, if any, is replaced: it hears no more.
            live.links.insert(seat, Link { connection, tx });
            Ok((seat, connection, Self::deliver(live, out)))
        })
    }

    fn receive(&self, hearing: i64, seat: Seat, message: ClientMessage, now: UnixTime) -> Records {
        self.with(hearing, |live| match live.room.receive(seat, message, now) {
            Ok(out) => Self::deliver(live, out),
            Err(e) => {
                if let Some(link) = live.links.get(&seat) {
                    let _ = link.tx.send(ServerMessage::Refused { key: e.key().to_string() });
                }
                Records::default()
            }
        })
    }

    /// A connection closed: a goodbye frees the seat, anything else keeps it for the grace period.
    fn closed(&self, hearing: i64, seat: Seat, connection: u64, said_goodbye: bool, now: UnixTime) -> Records {
        self.with(hearing, |live| {
            if live.links.get(&seat).map(|l| l.connection) != Some(connection) {
                return Records::default();
            }
            live.links.remove(&seat);
            let out = if said_goodbye { live.room.leave(seat) } else { live.room.drop_connection(seat, now) };
            Self::deliver(live, out)
        })
    }

    /// Whether the person is in the hearing's room while the document is shown there.
    pub fn may_see(&self, hearing: i64, person: i64, document: i64) -> bool {
        let live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        live.get(&hearing).is_some_and(|l| l.room.may_see(person, document))
    }

    fn expire(&self, hearing: i64, now: UnixTime) -> Records {
        self.with(hearing, |live| {
            let out = live.room.expire(now);
            Self::deliver(live, out)
        })
    }
}

fn db(e: sqlx::Error) -> AppError {
    internal("hearings", e)
}

/// Who the caller is at this hearing, or why they may not open its socket: a hearing that is not
/// online, or someone the court does not expect at it, is "not found"; a party or lawyer who has
/// not just confirmed who they are is refused until they step up.
pub async fn joiner(cx: &Cx, hearing_id: i64) -> Result<Joiner, AppError> {
    let me = cx.require_person().await?;
    let hearing = super::store::hearing(cx.db(), hearing_id).await.map_err(db)?.filter(|h| h.online).ok_or(AppError::NotFound)?;
    let role = super::api::role_at(cx, &me, &hearing).await?;
    if !role.hosts() && (!me.verified || !me.times.stepped_up_recently(cx.now())) {
        return Err(AppError::Forbidden);
    }
    let name = crate::filing::store::person_name(cx.db(), me.person_id).await.map_err(db)?.unwrap_or_default();
    let documents = documents_for(cx, &hearing, me.person_id, role).await?;
    Ok(Joiner { person: me.person_id, session: me.session_id, name, role, ended: hearing.ended, documents })
}

/// The evidence a person may show: the judge and clerk all of the case's, the side that filed
/// it (the filer, the client, their lawyer) its own; the other side none (they see what is shown).
async fn documents_for(cx: &Cx, hearing: &super::store::Hearing, person: i64, role: Role) -> Result<Vec<CaseDocument>, AppError> {
    if !role.hosts() && !super::store::filed_by_or_for(cx.db(), hearing.case_id, person).await.map_err(db)? {
        return Ok(Vec::new());
    }
    let files = super::store::evidence_files(cx.db(), hearing.case_id).await.map_err(db)?;
    Ok(files
        .into_iter()
        .map(|f| CaseDocument {
            id: f.id,
            title: format!("{}. {} · {}", f.n, f.item, f.name),
            kind: if f.kind == "pdf" { DocumentKind::Pdf } else { DocumentKind::Image },
            sha256: f.sha256,
        })
        .collect())
}

/// `GET /hearings/{id}/documents/{file}`: the file of the document shown in the room, for
/// someone let into that room while it is shown. Anyone else: "not found", as if it did not exist.
pub async fn shown_document(state: AppState, parts: http::request::Parts, hearing_id: i64, file_id: i64) -> Response {
    let cx = Cx { state, parts };
    let answer = async {
        let me = cx.require_person().await?;
        let hearing = super::store::hearing(cx.db(), hearing_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
        super::api::role_at(&cx, &me, &hearing).await?;
        if !cx.state.hearings.may_see(hearing_id, me.person_id, file_id) {
            return Err(AppError::NotFound);
        }
        let file = crate::filing::store::file(cx.db(), file_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
        crate::filing::files::file_answer(&cx, &file, false).await
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// How often an open socket marks its session as in use: inside the shortest idle time a court
/// can set (a kiosk's, 30 s at least), and one small UPDATE per connection.
const SESSION_TOUCH_SECS: u64 = 20;

/// `GET /hearings/{id}/socket`: checks the caller, then hands the connection to the room.
pub async fn socket(state: AppState, parts: http::request::Parts, hearing_id: i64, upgrade: WebSocketUpgrade) -> Response {
    let cx = Cx { state, parts };
    let who = match joiner(&cx, hearing_id).await {
        Ok(who) => who,
        Err(e) => return e.into_response(),
    };
    let state = cx.state;
    // Room for a session description with its candidates, and the JSON around it.
    upgrade.max_message_size(MAX_SIGNAL_BYTES + 4096).on_upgrade(move |socket| run(state, hearing_id, who, socket)).into_response()
}

/// Writes what the room's change left to write: the chat lines and the end go with the
/// hearing's record, the events to the audit log.
async fn audit(state: &AppState, hearing_id: i64, records: Records) {
    let now = state.clock.now().0;
    for line in records.chat {
        if let Err(e) = super::store::keep_chat(&state.db, hearing_id, line.person, &line.name, &line.text, line.at).await {
            tracing::error!(error = %e, "hearing chat");
        }
    }
    if records.ended {
        if let Err(e) = super::store::end(&state.db, hearing_id, now).await {
            tracing::error!(error = %e, "hearing end");
        }
    }
    for (actor, action, details) in records.audit {
        if let Err(e) = crate::ssr::audit::append(&state.db, now, &actor, action, &format!("hearing:{hearing_id}"), &details).await {
            tracing::error!(error = %e, action, "hearing audit");
        }
    }
}

async fn run(state: AppState, hearing_id: i64, who: Joiner, mut socket: WebSocket) {
    let rooms = state.hearings.clone();
    if who.ended {
        let _ = send(&mut socket, &ServerMessage::Refused { key: HearingError::Ended.key().to_string() }).await;
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (seat, connection, records) = match rooms.arrive(hearing_id, &who, tx, state.clock.now()) {
        Ok(joined) => joined,
        Err(e) => {
            let _ = send(&mut socket, &ServerMessage::Refused { key: e.key().to_string() }).await;
            return;
        }
    };
    audit(&state, hearing_id, records).await;
    let mut goodbye = false;
    // An hour's hearing makes no page requests: the open socket keeps its session from idling
    // out (a kiosk's after two minutes), so a reconnection after a drop is still signed in.
    let mut keep_alive = tokio::time::interval(std::time::Duration::from_secs(SESSION_TOUCH_SECS));
    let mut touched = state.clock.now();
    loop {
        let now = state.clock.now();
        if now.0 - touched.0 >= i64::try_from(SESSION_TOUCH_SECS).unwrap_or(20) {
            touched = now;
            if let Err(e) = crate::identity::store::touch_session(&state.db, who.session, now).await {
                tracing::warn!(error = %e, "keeping a hearing's session in use");
            }
        }
        tokio::select! {
            _ = keep_alive.tick() => {}
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let records = match serde_json::from_str::<ClientMessage>(text.as_str()) {
                        Ok(message) => {
                            goodbye = matches!(message, ClientMessage::Leave);
                            rooms.receive(hearing_id, seat, message, state.clock.now())
                        }
                        Err(_) => {
                            let _ = send(&mut socket, &ServerMessage::Refused { key: HearingError::BadMessage.key().to_string() }).await;
                            Records::default()
                        }
                    };
                    audit(&state, hearing_id, records).await;
                    if goodbye {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            outgoing = rx.recv() => match outgoing {
                Some(message) => {
                    let last = matches!(message, ServerMessage::Ended | ServerMessage::Removed);
                    if send(&mut socket, &message).await.is_err() {
                        break;
                    }
                    if last {
                        goodbye = true;
                        break;
                    }
                }
                // Replaced by a newer connection of the same person.
                None => {
                    goodbye = true;
                    break;
                }
            },
        }
    }
    let _ = socket.send(Message::Close(None)).await;
    let records = rooms.closed(hearing_id, seat, connection, goodbye, state.clock.now());
    audit(&state, hearing_id, records).await;
    if !goodbye {
        // Back within the grace period, they keep their seat; after it, the room is told they left.
        tokio::time::sleep(std::time::Duration::from_secs(u64::try_from(REJOIN_GRACE_SECS).unwrap_or(10) + 1)).await;
        let records = rooms.expire(hearing_id, state.clock.now());
        audit(&state, hearing_id, records).await;
    }
}

async fn send(socket: &mut WebSocket, message: &ServerMessage) -> Result<(), axum::Error> {
    let text = serde_json::to_string(message).unwrap_or_default();
    socket.send(Message::Text(text.into())).await
}

/// STUN and TURN servers from the configuration: `TIANPING_ICE_SERVERS` lists URLs separated by
/// commas (`stun:…`, `turn:…`, `turns:…`); TURN ones get `TIANPING_TURN_USERNAME` and
/// `TIANPING_TURN_CREDENTIAL`. Empty: browsers use their own addresses only (same network).
pub fn ice_servers_from(urls: &str, username: Option<String>, credential: Option<String>) -> Vec<IceServer> {
    urls.split(',')
        .map(str::trim)
        .filter(|u| u.starts_with("stun:") || u.starts_with("turn:") || u.starts_with("turns:"))
        .map(|u| {
            let turn = !u.starts_with("stun:");
            IceServer {
                urls: vec![u.to_string()],
                username: if turn { username.clone() } else { None },
                credential: if turn { credential.clone() } else { None },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ice_servers_are_read_from_a_comma_separated_list_with_turn_credentials_on_turn_only() {
        let servers = ice_servers_from(" stun:stun.example.cn:3478, turn:turn.example.cn:3478?transport=udp ,http://nope", Some("u".into()), Some("p".into()));
        assert_eq!(servers.len(), 2);
        assert_eq!(servers[0], IceServer { urls: vec!["stun:stun.example.cn:3478".into()], username: None, credential: None });
        assert_eq!(servers[1].username.as_deref(), Some("u"));
        assert!(ice_servers_from("", None, None).is_empty());
    }

    #[test]
    fn a_replaced_connection_closing_late_does_not_free_the_new_ones_seat() {
        let rooms = Rooms::new(vec![]);
        let who = Joiner { person: 7, session: 1, name: "王法官".into(), role: Role::Judge, ended: false, documents: vec![] };
        let now = UnixTime(1_800_000_000);
        let (tx1, _rx1) = mpsc::unbounded_channel();
        let (seat, first, _) = rooms.arrive(1, &who, tx1, now).expect("first");
        let (tx2, mut rx2) = mpsc::unbounded_channel();
        let (again, second, _) = rooms.arrive(1, &who, tx2, now).expect("second");
        assert_eq!(seat, again);
        assert_ne!(first, second);
        assert!(rooms.closed(1, seat, first, false, now).audit.is_empty(), "the old connection's close changes nothing");
        assert!(matches!(rx2.try_recv(), Ok(ServerMessage::Admitted { .. })));
        let records = rooms.closed(1, seat, second, true, now);
        assert_eq!(records.audit.iter().map(|r| r.1).collect::<Vec<_>>(), ["hearing.left"]);
    }
}
