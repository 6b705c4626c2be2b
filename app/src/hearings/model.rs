//! Online hearings' rules: the signalling protocol spoken over the hearing's WebSocket, and the
//! room, which decides who waits, who is let in, who may do what and who receives each message.
//! Pure: the server runs the room; the browser speaks the same messages.
//!
//! The server relays signalling between the browsers of one hearing (a mesh of at most
//! [`MESH_LIMIT`] people with media). Every media message names its recipient, so a selective
//! forwarding unit can later take the place of the other browsers: each browser then sends one
//! offer to [`Peer::Sfu`] and receives the others' tracks from it, and the room's rules (the
//! waiting room, the judge's commands) stay exactly as they are.
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most people with camera or microphone in one hearing while browsers connect to each
/// other directly: each sends its media to every other, so a phone's upload is the limit.
pub const MESH_LIMIT: usize = 4;

/// A dropped connection that comes back within this many seconds returns to the room without
/// being let in again.
pub const REJOIN_GRACE_SECS: i64 = 10;

/// The longest chat message kept with the hearing record.
pub const MAX_CHAT_CHARS: usize = 1000;

/// The longest session description or ICE candidate relayed (a real one is a few kilobytes).
pub const MAX_SIGNAL_BYTES: usize = 64 * 1024;

/// Who someone is in the hearing, as the court's records say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Judge,
    Clerk,
    Party,
    Lawyer,
}

impl Role {
    /// The judge and the clerk run the hearing: they are never kept waiting, they let people in
    /// and remove them, and (the judge) mute others and end it.
    pub fn hosts(self) -> bool {
        matches!(self, Role::Judge | Role::Clerk)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Judge => "judge",
            Role::Clerk => "clerk",
            Role::Party => "party",
            Role::Lawyer => "lawyer",
        }
    }
}

/// One person's place in the hearing, numbered by the server for this hearing only (their
/// person id is not sent to the other browsers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seat(pub u32);

/// Where a media message goes: another person's browser, or (with an SFU) the forwarding unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    Seat(Seat),
    Sfu,
}

/// How well a connection is doing, as the browser measures it (round trip and packet loss).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    #[default]
    Good,
    Poor,
}

impl Quality {
    /// Poor when the round trip is over 400 ms or more than 5 % of packets are lost: the point
    /// where speech starts to break up.
    pub fn from_stats(round_trip_ms: u32, lost_per_mille: u32) -> Quality {
        if round_trip_ms > 400 || lost_per_mille > 50 { Quality::Poor } else { Quality::Good }
    }
}

/// What someone shows the others besides their camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// Their screen, or a window of it (电子质证: examining evidence together).
    Screen,
    /// A document of the case, shown page by page.
    Document,
}

/// The highest page number a document can be turned to (a sanity bound, not a real document's length).
pub const MAX_PAGE: u32 = 9999;

/// What kind of file a case document is, so each browser knows how to show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Pdf,
    Image,
}

/// A file of the case's evidence that someone may show to the room for examination (电子质证).
/// The server lists, for each person, the documents they may show (their own side's evidence;
/// the judge and clerk: all of it); the browser only ever names one by its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDocument {
    pub id: i64,
    /// The evidence item and its file, as the case lists them.
    pub title: String,
    pub kind: DocumentKind,
    /// SHA-256 of the file, shown so everyone knows they look at the evidence as filed.
    pub sha256: String,
}

/// The document the whole room is looking at, who shows it and at which page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub by: Seat,
    pub document: CaseDocument,
    pub page: u32,
}

/// A person as the others in the hearing see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerInfo {
    pub seat: Seat,
    /// The verified name.
    pub name: String,
    pub role: Role,
    pub audio: bool,
    pub video: bool,
    pub quality: Quality,
    pub sharing: Option<Sharing>,
}

/// A STUN or TURN server the browsers use, from the server's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    pub username: Option<String>,
    pub credential: Option<String>,
}

/// What a browser sends the server over the hearing's socket (JSON, tagged by `type`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The browser's media is set up: it is now in the room (after being let in).
    Ready { audio: bool, video: bool },
    Offer { to: Peer, sdp: String },
    Answer { to: Peer, sdp: String },
    Ice { to: Peer, candidate: String, sdp_mid: Option<String>, sdp_m_line_index: Option<u16> },
    /// Its own microphone and camera were turned on or off.
    Media { audio: bool, video: bool },
    Quality { quality: Quality },
    Share { sharing: Option<Sharing> },
    /// Show one of the documents the server listed for this person to everyone, at a page.
    ShowDocument { document: i64, page: u32 },
    /// The one showing a document turns to another page.
    TurnPage { page: u32 },
    /// Stop showing the document (the one showing it, or a host).
    HideDocument,
    Chat { text: String },
    /// Host: let someone in from the waiting room.
    Admit { seat: Seat },
    /// Host: take someone out of the hearing (from the waiting room or the room).
    Remove { seat: Seat },
    /// Judge: turn someone's microphone off (they may turn it on again).
    MuteOther { seat: Seat },
    /// Judge: end the hearing for everyone.
    End,
    Leave,
}

/// What the server sends a browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// You wait to be let in; nothing of the room reaches you until then.
    Waiting { seat: Seat },
    /// You are let in (or back after a drop): who is in the room, and the ICE servers. Offer
    /// to each of `peers` whose seat is lower than yours; the others offer to you.
    Admitted { seat: Seat, peers: Vec<PeerInfo>, ice_servers: Vec<IceServer> },
    /// To hosts: who waits now.
    Lobby { waiting: Vec<PeerInfo> },
    Joined { peer: PeerInfo },
    /// Someone's state changed (media, quality, sharing).
    Changed { peer: PeerInfo },
    /// Someone's connection dropped; they may come back within the grace period.
    Dropped { seat: Seat },
    Left { seat: Seat },
    Offer { from: Seat, sdp: String },
    Answer { from: Seat, sdp: String },
    Ice { from: Seat, candidate: String, sdp_mid: Option<String>, sdp_m_line_index: Option<u16> },
    Chat { from: Seat, name: String, text: String, at: UnixTime },
    /// To one person when let in: the case documents they may show.
    Documents { documents: Vec<CaseDocument> },
    /// The document everyone is looking at now, or none.
    Showing { shown: Option<Shown> },
    /// The judge turned your microphone off.
    MutedBy { by: Seat },
    /// You were taken out of the hearing.
    Removed,
    Ended,
    /// What you asked for was refused; `key` is a message key.
    Refused { key: String },
}

/// Why the room refused something (each is a message key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HearingError {
    /// The hearing has ended.
    Ended,
    /// Only the judge or clerk may do this.
    NotHost,
    /// Only the judge may do this.
    NotJudge,
    /// Not in the room (still waiting, or gone).
    NotInRoom,
    /// No one by that seat is where the command needs them.
    NoSuchSeat,
    /// The room has as many people with media as browsers can connect directly.
    Full,
    /// Removed by the court: they do not come back into this hearing.
    Removed,
    /// A message that is empty or too long.
    BadMessage,
    /// Not a document this person may show, or not a page of it.
    NoSuchDocument,
    /// Only the one showing the document (or a host, to stop it) may do this.
    NotPresenting,
}

impl HearingError {
    pub fn key(self) -> &'static str {
        match self {
            HearingError::Ended => "error_hearing_ended",
            HearingError::NotHost => "error_hearing_not_host",
            HearingError::NotJudge => "error_hearing_not_judge",
            HearingError::NotInRoom => "error_hearing_not_in_room",
            HearingError::NoSuchSeat => "error_hearing_no_such_seat",
            HearingError::Full => "error_hearing_full",
            HearingError::Removed => "error_hearing_removed",
            HearingError::BadMessage => "error_hearing_bad_message",
            HearingError::NoSuchDocument => "error_hearing_no_such_document",
            HearingError::NotPresenting => "error_hearing_not_presenting",
        }
    }
}

/// Where a participant is. Waiting → Admitted (let in, setting up media) → InRoom → Left;
/// InRoom → Dropped → InRoom again within [`REJOIN_GRACE_SECS`], else Left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Waiting,
    Admitted,
    InRoom,
    Dropped { since: UnixTime },
    Left,
    Removed,
}

impl Presence {
    /// Let in: media and the room's messages reach them.
    fn let_in(self) -> bool {
        matches!(self, Presence::Admitted | Presence::InRoom)
    }
}

#[derive(Clone, Debug)]
struct Participant {
    person: i64,
    name: String,
    role: Role,
    presence: Presence,
    audio: bool,
    video: bool,
    quality: Quality,
    sharing: Option<Sharing>,
    /// Let in once: a drop and a return within the grace period does not wait again.
    was_admitted: bool,
    /// The case documents this person may show the room.
    documents: Vec<CaseDocument>,
}

impl Participant {
    fn info(&self, seat: Seat) -> PeerInfo {
        PeerInfo {
            seat,
            name: self.name.clone(),
            role: self.role,
            audio: self.audio,
            video: self.video,
            quality: self.quality,
            sharing: self.sharing,
        }
    }
}

/// Who a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum To {
    One(Seat),
    /// Everyone let in, but not the sender.
    RoomExcept(Seat),
    /// Everyone let in.
    Room,
    /// The hosts who are let in.
    Hosts,
}

/// What the room wants sent, and what the hearing record should keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub send: Vec<(To, ServerMessage)>,
    /// Audit events: (action, seat) such as ("hearing.admitted", seat).
    pub record: Vec<(&'static str, Seat)>,
}

impl Outcome {
    fn send(mut self, to: To, message: ServerMessage) -> Self {
        self.send.push((to, message));
        self
    }

    fn record(mut self, action: &'static str, seat: Seat) -> Self {
        self.record.push((action, seat));
        self
    }

    /// This outcome, then `later`'s.
    pub fn then(mut self, later: Outcome) -> Self {
        self.send.extend(later.send);
        self.record.extend(later.record);
        self
    }
}

/// One hearing's room. The server holds one per hearing in progress and applies each
/// arrival, message and drop to it; the messages it answers are the only ones sent.
#[derive(Clone, Debug, Default)]
pub struct Room {
    seats: BTreeMap<Seat, Participant>,
    next_seat: u32,
    ended: bool,
    ice_servers: Vec<IceServer>,
    shown: Option<Shown>,
}

impl Room {
    pub fn new(ice_servers: Vec<IceServer>) -> Room {
        Room { ice_servers, next_seat: 1, ..Room::default() }
    }

    pub fn ended(&self) -> bool {
        self.ended
    }

    pub fn presence(&self, seat: Seat) -> Option<Presence> {
        self.seats.get(&seat).map(|p| p.presence)
    }

    /// The person in a seat (for the audit log; never sent to browsers).
    pub fn person_at(&self, seat: Seat) -> Option<i64> {
        self.seats.get(&seat).map(|p| p.person)
    }

    /// The seats of everyone let in, in seat order (the recipients of [`To::Room`]).
    pub fn let_in(&self) -> Vec<Seat> {
        self.seats.iter().filter(|(_, p)| p.presence.let_in()).map(|(s, _)| *s).collect()
    }

    /// Who receives a message sent to `to`.
    pub fn recipients(&self, to: To) -> Vec<Seat> {
        match to {
            To::One(seat) => vec![seat],
            To::Room => self.let_in(),
            To::RoomExcept(except) => self.let_in().into_iter().filter(|s| *s != except).collect(),
            To::Hosts => self.seats.iter().filter(|(_, p)| p.presence.let_in() && p.role.hosts()).map(|(s, _)| *s).collect(),
        }
    }

    fn waiting(&self) -> Vec<PeerInfo> {
        self.seats.iter().filter(|(_, p)| p.presence == Presence::Waiting).map(|(s, p)| p.info(*s)).collect()
    }

    fn lobby(&self) -> ServerMessage {
        ServerMessage::Lobby { waiting: self.waiting() }
    }

    fn peers_of(&self, seat: Seat) -> Vec<PeerInfo> {
        self.seats.iter().filter(|(s, p)| **s != seat && p.presence.let_in()).map(|(s, p)| p.info(*s)).collect()
    }

    fn with_media(&self) -> usize {
        self.seats.values().filter(|p| p.presence.let_in() || matches!(p.presence, Presence::Dropped { .. })).count()
    }

    fn admitted_message(&self, seat: Seat) -> ServerMessage {
        ServerMessage::Admitted { seat, peers: self.peers_of(seat), ice_servers: self.ice_servers.clone() }
    }

    /// What someone let in (or back) is told: who is in the room, the documents they may show,
    /// and the document the room is looking at.
    fn admitted(&self, seat: Seat) -> Outcome {
        let mut out = Outcome::default().send(To::One(seat), self.admitted_message(seat));
        if let Some(p) = self.seats.get(&seat)
            && !p.documents.is_empty()
        {
            out = out.send(To::One(seat), ServerMessage::Documents { documents: p.documents.clone() });
        }
        if self.shown.is_some() {
            out = out.send(To::One(seat), ServerMessage::Showing { shown: self.shown.clone() });
        }
        out
    }

    /// The document the room is looking at now.
    pub fn shown(&self) -> Option<&Shown> {
        self.shown.as_ref()
    }

    /// Whether this person is let in and the document is the one shown to the room: only then
    /// does the server hand them its file through the hearing.
    pub fn may_see(&self, person: i64, document: i64) -> bool {
        self.shown.as_ref().is_some_and(|s| s.document.id == document)
            && self.seats.values().any(|p| p.person == person && p.presence.let_in())
    }

    /// The server sets the documents a person may show (looked up in the case when they arrive);
    /// someone already let in is told at once.
    pub fn offer_documents(&mut self, seat: Seat, documents: Vec<CaseDocument>) -> Outcome {
        let Some(p) = self.seats.get_mut(&seat) else { return Outcome::default() };
        p.documents = documents;
        if p.presence.let_in() {
            Outcome::default().send(To::One(seat), ServerMessage::Documents { documents: p.documents.clone() })
        } else {
            Outcome::default()
        }
    }

    /// When the one showing the document leaves or is removed, the room stops looking at it.
    fn stop_showing_by(&mut self, seat: Seat) -> Outcome {
        if self.shown.as_ref().is_some_and(|s| s.by == seat) {
            self.shown = None;
            if let Some(p) = self.seats.get_mut(&seat) {
                p.sharing = None;
            }
            Outcome::default().send(To::Room, ServerMessage::Showing { shown: None })
        } else {
            Outcome::default()
        }
    }

    /// Someone whose right to take part the server has checked opens the socket. Hosts go
    /// straight in; others wait, however early they come. A person coming back within the grace
    /// period after a drop returns to their seat without waiting; after it, or after leaving,
    /// they wait again. Someone the court removed stays out.
    pub fn arrive(&mut self, person: i64, name: &str, role: Role, now: UnixTime) -> Result<(Seat, Outcome), HearingError> {
        if self.ended {
            return Err(HearingError::Ended);
        }
        // Those gone too long are told of first, so a returning person sees the room as it is.
        let expired = self.expire(now);
        if let Some((&seat, p)) = self.seats.iter_mut().find(|(_, p)| p.person == person) {
            match p.presence {
                Presence::Removed => return Err(HearingError::Removed),
                Presence::Dropped { .. } => {
                    p.presence = Presence::Admitted;
                    let out = self.admitted(seat).record("hearing.reconnected", seat);
                    return Ok((seat, expired.then(out)));
                }
                // A second tab or device replaces the first, in the same place: let in if the
                // first was, else waiting.
                Presence::Waiting | Presence::Admitted | Presence::InRoom | Presence::Left => {
                    let back_in = p.presence.let_in() && p.was_admitted;
                    p.presence = if back_in || p.role.hosts() { Presence::Admitted } else { Presence::Waiting };
                    let out = self.entry_outcome(seat);
                    return Ok((seat, expired.then(out)));
                }
            }
        }
        let seat = Seat(self.next_seat);
        self.next_seat += 1;
        let presence = if role.hosts() { Presence::Admitted } else { Presence::Waiting };
        let participant = Participant {
            person,
            name: name.to_string(),
            role,
            presence,
            audio: false,
            video: false,
            quality: Quality::Good,
            sharing: None,
            was_admitted: role.hosts(),
            documents: Vec::new(),
        };
        self.seats.insert(seat, participant);
        Ok((seat, expired.then(self.entry_outcome(seat).record("hearing.joined", seat))))
    }

    fn entry_outcome(&self, seat: Seat) -> Outcome {
        match self.seats.get(&seat).map(|p| (p.presence, p.role)) {
            Some((Presence::Waiting, _)) => Outcome::default().send(To::One(seat), ServerMessage::Waiting { seat }).send(To::Hosts, self.lobby()),
            Some((_, role)) if role.hosts() => self.admitted(seat).send(To::One(seat), self.lobby()),
            _ => self.admitted(seat),
        }
    }

    /// A host lets a waiting person in. The room must have space for their media.
    pub fn admit(&mut self, by: Seat, seat: Seat) -> Result<Outcome, HearingError> {
        self.host(by)?;
        if self.seats.get(&seat).map(|p| p.presence) != Some(Presence::Waiting) {
            return Err(HearingError::NoSuchSeat);
        }
        if self.with_media() >= MESH_LIMIT {
            return Err(HearingError::Full);
        }
        if let Some(p) = self.seats.get_mut(&seat) {
            p.presence = Presence::Admitted;
            p.was_admitted = true;
        }
        Ok(self.admitted(seat).send(To::Hosts, self.lobby()).record("hearing.admitted", seat))
    }

    /// A host takes someone out, from the waiting room or the room; they cannot come back.
    pub fn remove(&mut self, by: Seat, seat: Seat) -> Result<Outcome, HearingError> {
        self.host(by)?;
        let was_in = match self.seats.get_mut(&seat) {
            Some(p) if by != seat && !matches!(p.presence, Presence::Removed | Presence::Left) => {
                let was_in = p.presence.let_in();
                p.presence = Presence::Removed;
                was_in
            }
            _ => return Err(HearingError::NoSuchSeat),
        };
        let mut out = Outcome::default().send(To::One(seat), ServerMessage::Removed).record("hearing.removed", seat);
        if was_in {
            out = out.send(To::Room, ServerMessage::Left { seat });
        }
        let stopped = self.stop_showing_by(seat);
        Ok(out.then(stopped).send(To::Hosts, self.lobby()))
    }

    /// The judge turns someone's microphone off; they are told, and so is everyone else.
    pub fn mute_other(&mut self, by: Seat, seat: Seat) -> Result<Outcome, HearingError> {
        self.judge(by)?;
        let p = self.seats.get_mut(&seat).filter(|p| p.presence.let_in()).ok_or(HearingError::NoSuchSeat)?;
        p.audio = false;
        let info = p.info(seat);
        Ok(Outcome::default().send(To::One(seat), ServerMessage::MutedBy { by }).send(To::Room, ServerMessage::Changed { peer: info }).record("hearing.muted", seat))
    }

    /// The judge ends the hearing: everyone is told, and no one can join again.
    pub fn end(&mut self, by: Seat) -> Result<Outcome, HearingError> {
        self.judge(by)?;
        let everyone: Vec<Seat> = self.seats.iter().filter(|(_, p)| !matches!(p.presence, Presence::Left | Presence::Removed)).map(|(s, _)| *s).collect();
        self.ended = true;
        let mut out = Outcome::default().record("hearing.ended", by);
        for seat in everyone {
            out = out.send(To::One(seat), ServerMessage::Ended);
        }
        for p in self.seats.values_mut() {
            p.presence = Presence::Left;
        }
        Ok(out)
    }

    /// A connection closed without a goodbye. Someone in the room keeps their seat for the
    /// grace period; someone waiting simply leaves the queue.
    pub fn drop_connection(&mut self, seat: Seat, now: UnixTime) -> Outcome {
        let Some(p) = self.seats.get_mut(&seat) else { return Outcome::default() };
        match p.presence {
            Presence::Admitted | Presence::InRoom => {
                p.presence = Presence::Dropped { since: now };
                Outcome::default().send(To::Room, ServerMessage::Dropped { seat }).record("hearing.dropped", seat)
            }
            Presence::Waiting => {
                p.presence = Presence::Left;
                Outcome::default().send(To::Hosts, self.lobby()).record("hearing.left", seat)
            }
            _ => Outcome::default(),
        }
    }

    /// Those dropped longer than the grace period have left.
    pub fn expire(&mut self, now: UnixTime) -> Outcome {
        let mut out = Outcome::default();
        let mut gone = Vec::new();
        for (seat, p) in self.seats.iter_mut() {
            if let Presence::Dropped { since } = p.presence
                && now.0 - since.0 > REJOIN_GRACE_SECS
            {
                p.presence = Presence::Left;
                gone.push(*seat);
                out = out.send(To::Room, ServerMessage::Left { seat: *seat }).record("hearing.left", *seat);
            }
        }
        for seat in gone {
            let stopped = self.stop_showing_by(seat);
            out = out.then(stopped);
        }
        out
    }

    /// A message from the browser at `from`, checked against the room's rules. Media messages
    /// pass only between people let in; nothing reaches or leaves the waiting room but the
    /// waiting itself.
    pub fn receive(&mut self, from: Seat, message: ClientMessage, now: UnixTime) -> Result<Outcome, HearingError> {
        if self.ended {
            return Err(HearingError::Ended);
        }
        match message {
            ClientMessage::Admit { seat } => return self.admit(from, seat),
            ClientMessage::Remove { seat } => return self.remove(from, seat),
            ClientMessage::MuteOther { seat } => return self.mute_other(from, seat),
            ClientMessage::End => return self.end(from),
            ClientMessage::Leave => return Ok(self.leave(from)),
            _ => {}
        }
        let sender = self.seats.get_mut(&from).filter(|p| p.presence.let_in()).ok_or(HearingError::NotInRoom)?;
        let name = sender.name.clone();
        match message {
            ClientMessage::Ready { audio, video } => {
                let first = sender.presence == Presence::Admitted;
                sender.presence = Presence::InRoom;
                sender.audio = audio;
                sender.video = video;
                let info = sender.info(from);
                let out = Outcome::default().send(To::RoomExcept(from), if first { ServerMessage::Joined { peer: info } } else { ServerMessage::Changed { peer: info } });
                Ok(out)
            }
            ClientMessage::Media { audio, video } => {
                sender.audio = audio;
                sender.video = video;
                let info = sender.info(from);
                Ok(Outcome::default().send(To::RoomExcept(from), ServerMessage::Changed { peer: info }))
            }
            ClientMessage::Quality { quality } => {
                sender.quality = quality;
                let info = sender.info(from);
                Ok(Outcome::default().send(To::RoomExcept(from), ServerMessage::Changed { peer: info }))
            }
            ClientMessage::Share { sharing } => {
                // A document is shown with ShowDocument (the server checks which); stopping a
                // screen share leaves a document being shown as it is.
                if sharing == Some(Sharing::Document) {
                    return Err(HearingError::BadMessage);
                }
                let presenting = self.shown.as_ref().is_some_and(|s| s.by == from);
                sender.sharing = if sharing.is_none() && presenting { Some(Sharing::Document) } else { sharing };
                let info = sender.info(from);
                let action = if sharing.is_some() { "hearing.sharing_started" } else { "hearing.sharing_stopped" };
                Ok(Outcome::default().send(To::RoomExcept(from), ServerMessage::Changed { peer: info }).record(action, from))
            }
            ClientMessage::ShowDocument { document, page } => {
                let document = sender.documents.iter().find(|d| d.id == document).cloned().ok_or(HearingError::NoSuchDocument)?;
                if page == 0 || page > MAX_PAGE {
                    return Err(HearingError::NoSuchDocument);
                }
                sender.sharing = Some(Sharing::Document);
                let info = sender.info(from);
                // Whoever showed something before stops: the room looks at one document at a time.
                let before = self.shown.as_ref().map(|s| s.by).filter(|by| *by != from);
                let mut out = Outcome::default();
                if let Some(by) = before
                    && let Some(p) = self.seats.get_mut(&by)
                {
                    p.sharing = None;
                    out = out.send(To::RoomExcept(by), ServerMessage::Changed { peer: p.info(by) });
                }
                self.shown = Some(Shown { by: from, document, page });
                Ok(out
                    .send(To::RoomExcept(from), ServerMessage::Changed { peer: info })
                    .send(To::Room, ServerMessage::Showing { shown: self.shown.clone() })
                    .record("hearing.document_shown", from))
            }
            ClientMessage::TurnPage { page } => {
                let shown = self.shown.as_mut().filter(|s| s.by == from).ok_or(HearingError::NotPresenting)?;
                if page == 0 || page > MAX_PAGE {
                    return Err(HearingError::NoSuchDocument);
                }
                shown.page = page;
                Ok(Outcome::default().send(To::Room, ServerMessage::Showing { shown: self.shown.clone() }))
            }
            ClientMessage::HideDocument => {
                let by = self.shown.as_ref().map(|s| s.by).ok_or(HearingError::NotPresenting)?;
                if by != from && !sender.role.hosts() {
                    return Err(HearingError::NotPresenting);
                }
                let out = self.stop_showing_by(by);
                let info = self.seats.get(&by).map(|p| p.info(by));
                Ok(info.into_iter().fold(out, |out, peer| out.send(To::RoomExcept(by), ServerMessage::Changed { peer })).record("hearing.document_hidden", from))
            }
            ClientMessage::Chat { text } => {
                let text = text.trim().to_string();
                if text.is_empty() || text.chars().count() > MAX_CHAT_CHARS {
                    return Err(HearingError::BadMessage);
                }
                Ok(Outcome::default().send(To::Room, ServerMessage::Chat { from, name, text, at: now }))
            }
            ClientMessage::Offer { to, sdp } => {
                let to = self.media_peer(to, &sdp)?;
                Ok(Outcome::default().send(To::One(to), ServerMessage::Offer { from, sdp }))
            }
            ClientMessage::Answer { to, sdp } => {
                let to = self.media_peer(to, &sdp)?;
                Ok(Outcome::default().send(To::One(to), ServerMessage::Answer { from, sdp }))
            }
            ClientMessage::Ice { to, candidate, sdp_mid, sdp_m_line_index } => {
                let to = self.media_peer(to, &candidate)?;
                Ok(Outcome::default().send(To::One(to), ServerMessage::Ice { from, candidate, sdp_mid, sdp_m_line_index }))
            }
            ClientMessage::Admit { .. } | ClientMessage::Remove { .. } | ClientMessage::MuteOther { .. } | ClientMessage::End | ClientMessage::Leave => {
                Err(HearingError::BadMessage)
            }
        }
    }

    /// Someone says goodbye: their seat is free at once.
    pub fn leave(&mut self, seat: Seat) -> Outcome {
        let Some(p) = self.seats.get_mut(&seat) else { return Outcome::default() };
        let was_in = p.presence.let_in() || matches!(p.presence, Presence::Dropped { .. });
        let was_waiting = p.presence == Presence::Waiting;
        if matches!(p.presence, Presence::Left | Presence::Removed) {
            return Outcome::default();
        }
        p.presence = Presence::Left;
        let mut out = Outcome::default().record("hearing.left", seat);
        if was_in {
            out = out.send(To::Room, ServerMessage::Left { seat });
        }
        if was_waiting {
            out = out.send(To::Hosts, self.lobby());
        }
        out.then(self.stop_showing_by(seat))
    }

    /// The recipient of a media message: someone else who is let in. (An SFU is not part of
    /// the mesh; a server with one routes [`Peer::Sfu`] there before the room sees it.)
    fn media_peer(&self, to: Peer, payload: &str) -> Result<Seat, HearingError> {
        if payload.is_empty() || payload.len() > MAX_SIGNAL_BYTES {
            return Err(HearingError::BadMessage);
        }
        match to {
            Peer::Seat(seat) if self.seats.get(&seat).is_some_and(|p| p.presence.let_in()) => Ok(seat),
            _ => Err(HearingError::NoSuchSeat),
        }
    }

    fn host(&self, seat: Seat) -> Result<(), HearingError> {
        if self.ended {
            return Err(HearingError::Ended);
        }
        match self.seats.get(&seat) {
            Some(p) if p.presence.let_in() && p.role.hosts() => Ok(()),
            Some(p) if p.presence.let_in() => Err(HearingError::NotHost),
            _ => Err(HearingError::NotInRoom),
        }
    }

    fn judge(&self, seat: Seat) -> Result<(), HearingError> {
        self.host(seat).map_err(|e| if e == HearingError::NotHost { HearingError::NotJudge } else { e })?;
        match self.seats.get(&seat) {
            Some(p) if p.role == Role::Judge => Ok(()),
            _ => Err(HearingError::NotJudge),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The record (笔录)

/// The longest record text accepted (a long hearing's record is some tens of thousands of characters).
pub const MAX_RECORD_CHARS: usize = 100_000;
/// The longest objection to a record.
pub const MAX_OBJECTION_CHARS: usize = 2_000;

/// The text of a hearing's record as the clerk publishes it: not empty, not too long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordText(String);

impl RecordText {
    pub fn parse(raw: &str) -> Result<RecordText, &'static str> {
        let text = raw.trim();
        if text.is_empty() {
            Err("error_required")
        } else if text.chars().count() > MAX_RECORD_CHARS {
            Err("error_record_long")
        } else {
            Ok(RecordText(text.replace("\r\n", "\n")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A party's answer to the record: they accept it as written, or say what is wrong in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordReview {
    Accepted,
    Objected(String),
}

impl RecordReview {
    /// From the review form: `decision` is `accept` or `object`; an objection needs its text.
    /// Errors name the field and the message key.
    pub fn parse(decision: &str, objection: &str) -> Result<RecordReview, (&'static str, &'static str)> {
        match decision {
            "accept" => Ok(RecordReview::Accepted),
            "object" => {
                let text = objection.trim();
                if text.is_empty() {
                    Err(("objection", "error_required"))
                } else if text.chars().count() > MAX_OBJECTION_CHARS {
                    Err(("objection", "error_objection_long"))
                } else {
                    Ok(RecordReview::Objected(text.to_string()))
                }
            }
            _ => Err(("decision", "error_bad_request")),
        }
    }

    /// As stored in `hearing_record_reviews.decision`.
    pub fn decision(&self) -> &'static str {
        match self {
            RecordReview::Accepted => "accepted",
            RecordReview::Objected(_) => "objected",
        }
    }

    pub fn objection(&self) -> Option<&str> {
        match self {
            RecordReview::Accepted => None,
            RecordReview::Objected(text) => Some(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: UnixTime = UnixTime(1_800_000_000);

    fn at(secs: i64) -> UnixTime {
        UnixTime(T.0 + secs)
    }

    /// A room with the judge in it (seat 1) and a party waiting (seat 2).
    fn judge_and_waiting_party() -> (Room, Seat, Seat) {
        let mut room = Room::new(vec![]);
        let (judge, _) = room.arrive(1, "王法官", Role::Judge, T).expect("judge");
        room.receive(judge, ClientMessage::Ready { audio: true, video: true }, T).expect("ready");
        let (party, _) = room.arrive(2, "张三", Role::Party, T).expect("party");
        (room, judge, party)
    }

    fn sent_to(room: &Room, out: &Outcome, seat: Seat) -> Vec<ServerMessage> {
        out.send.iter().filter(|(to, _)| room.recipients(*to).contains(&seat)).map(|(_, m)| m.clone()).collect()
    }

    #[test]
    fn messages_travel_as_json_tagged_by_type() {
        let offer = ClientMessage::Offer { to: Peer::Seat(Seat(3)), sdp: "v=0".into() };
        let json = serde_json::to_string(&offer).expect("json");
        assert_eq!(json, r#"{"type":"offer","to":{"seat":3},"sdp":"v=0"}"#);
        assert_eq!(serde_json::from_str::<ClientMessage>(&json).expect("back"), offer);
        let sfu: ClientMessage = serde_json::from_str(r#"{"type":"offer","to":"sfu","sdp":"v=0"}"#).expect("sfu");
        assert_eq!(sfu, ClientMessage::Offer { to: Peer::Sfu, sdp: "v=0".into() });
        let waiting = serde_json::to_string(&ServerMessage::Waiting { seat: Seat(2) }).expect("json");
        assert_eq!(waiting, r#"{"type":"waiting","seat":2}"#);
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"make_me_judge"}"#).is_err());
    }

    #[test]
    fn a_party_waits_and_the_hosts_see_them_in_the_lobby() {
        let mut room = Room::new(vec![]);
        let (judge, _) = room.arrive(1, "王法官", Role::Judge, T).expect("judge");
        assert_eq!(room.presence(judge), Some(Presence::Admitted));
        let (party, out) = room.arrive(2, "张三", Role::Party, T).expect("party");
        assert_eq!(room.presence(party), Some(Presence::Waiting));
        assert_eq!(sent_to(&room, &out, party), vec![ServerMessage::Waiting { seat: party }]);
        let lobby = sent_to(&room, &out, judge);
        assert!(matches!(&lobby[..], [ServerMessage::Lobby { waiting }] if waiting.len() == 1 && waiting[0].name == "张三" && waiting[0].role == Role::Party));
        assert_eq!(out.record, vec![("hearing.joined", party)]);
    }

    #[test]
    fn a_participant_goes_from_waiting_to_admitted_to_the_room_and_out() {
        let (mut room, judge, party) = judge_and_waiting_party();
        let out = room.admit(judge, party).expect("admit");
        assert_eq!(room.presence(party), Some(Presence::Admitted));
        assert!(matches!(&sent_to(&room, &out, party)[0], ServerMessage::Admitted { peers, .. } if peers.len() == 1 && peers[0].seat == judge));
        assert_eq!(out.record, vec![("hearing.admitted", party)]);
        let out = room.receive(party, ClientMessage::Ready { audio: true, video: false }, T).expect("ready");
        assert_eq!(room.presence(party), Some(Presence::InRoom));
        assert!(matches!(&sent_to(&room, &out, judge)[..], [ServerMessage::Joined { peer }] if peer.seat == party && peer.audio && !peer.video));
        let out = room.receive(party, ClientMessage::Leave, T).expect("leave");
        assert_eq!(room.presence(party), Some(Presence::Left));
        assert_eq!(sent_to(&room, &out, judge), vec![ServerMessage::Left { seat: party }]);
    }

    #[test]
    fn someone_waiting_receives_no_offers_and_cannot_send_any() {
        let (mut room, judge, party) = judge_and_waiting_party();
        assert_eq!(room.receive(judge, ClientMessage::Offer { to: Peer::Seat(party), sdp: "v=0".into() }, T), Err(HearingError::NoSuchSeat));
        assert_eq!(room.receive(party, ClientMessage::Offer { to: Peer::Seat(judge), sdp: "v=0".into() }, T), Err(HearingError::NotInRoom));
        assert_eq!(room.receive(party, ClientMessage::Chat { text: "在吗".into() }, T), Err(HearingError::NotInRoom));
        // A chat in the room does not reach the waiting room either.
        let out = room.receive(judge, ClientMessage::Chat { text: "开庭".into() }, T).expect("chat");
        assert!(sent_to(&room, &out, party).is_empty());
    }

    #[test]
    fn only_hosts_admit_and_remove_and_only_the_judge_mutes_others_and_ends() {
        let (mut room, judge, party) = judge_and_waiting_party();
        let (clerk, _) = room.arrive(3, "李书记", Role::Clerk, T).expect("clerk");
        let (lawyer, _) = room.arrive(4, "赵律师", Role::Lawyer, T).expect("lawyer");
        room.admit(clerk, lawyer).expect("the clerk lets the lawyer in");
        assert_eq!(room.admit(lawyer, party), Err(HearingError::NotHost));
        assert_eq!(room.receive(lawyer, ClientMessage::Remove { seat: judge }, T), Err(HearingError::NotHost));
        assert_eq!(room.mute_other(clerk, lawyer), Err(HearingError::NotJudge));
        assert_eq!(room.mute_other(lawyer, judge), Err(HearingError::NotJudge));
        assert_eq!(room.end(clerk), Err(HearingError::NotJudge));
        assert_eq!(room.end(lawyer), Err(HearingError::NotJudge));
        // Someone still waiting cannot command anything.
        assert_eq!(room.admit(party, party), Err(HearingError::NotInRoom));
        assert!(!room.ended());
    }

    #[test]
    fn the_judge_mutes_someone_who_is_told_and_everyone_sees_it() {
        let (mut room, judge, party) = judge_and_waiting_party();
        room.admit(judge, party).expect("admit");
        room.receive(party, ClientMessage::Ready { audio: true, video: true }, T).expect("ready");
        let out = room.mute_other(judge, party).expect("mute");
        assert!(sent_to(&room, &out, party).contains(&ServerMessage::MutedBy { by: judge }));
        assert!(sent_to(&room, &out, judge).iter().any(|m| matches!(m, ServerMessage::Changed { peer } if peer.seat == party && !peer.audio)));
    }

    #[test]
    fn a_dropped_connection_back_within_ten_seconds_returns_without_waiting() {
        let (mut room, judge, party) = judge_and_waiting_party();
        room.admit(judge, party).expect("admit");
        room.receive(party, ClientMessage::Ready { audio: true, video: true }, T).expect("ready");
        let out = room.drop_connection(party, at(1));
        assert_eq!(sent_to(&room, &out, judge), vec![ServerMessage::Dropped { seat: party }]);
        let (seat, out) = room.arrive(2, "张三", Role::Party, at(1 + REJOIN_GRACE_SECS)).expect("back");
        assert_eq!(seat, party, "the same seat");
        assert!(matches!(&sent_to(&room, &out, party)[..], [ServerMessage::Admitted { .. }]));
        assert_eq!(out.record, vec![("hearing.reconnected", party)]);
    }

    #[test]
    fn a_connection_back_after_the_grace_period_waits_again() {
        let (mut room, judge, party) = judge_and_waiting_party();
        room.admit(judge, party).expect("admit");
        room.drop_connection(party, at(1));
        let out = room.expire(at(2 + REJOIN_GRACE_SECS));
        assert_eq!(room.presence(party), Some(Presence::Left));
        assert_eq!(out.record, vec![("hearing.left", party)]);
        room.arrive(2, "张三", Role::Party, at(30)).expect("back");
        assert_eq!(room.presence(party), Some(Presence::Waiting));
    }

    #[test]
    fn arriving_early_or_twice_does_not_skip_the_waiting_room() {
        let mut room = Room::new(vec![]);
        let (party, _) = room.arrive(2, "张三", Role::Party, T).expect("early");
        assert_eq!(room.presence(party), Some(Presence::Waiting));
        let (again, _) = room.arrive(2, "张三", Role::Party, T).expect("second tab");
        assert_eq!((again, room.presence(party)), (party, Some(Presence::Waiting)));
        let (judge, out) = room.arrive(1, "王法官", Role::Judge, T).expect("judge");
        assert!(sent_to(&room, &out, judge).iter().any(|m| matches!(m, ServerMessage::Lobby { waiting } if waiting.len() == 1)));
    }

    #[test]
    fn someone_removed_cannot_come_back() {
        let (mut room, judge, party) = judge_and_waiting_party();
        let out = room.remove(judge, party).expect("remove");
        assert_eq!(sent_to(&room, &out, party), vec![ServerMessage::Removed]);
        assert_eq!(room.arrive(2, "张三", Role::Party, T).map(|(s, _)| s), Err(HearingError::Removed));
        assert_eq!(room.remove(judge, judge), Err(HearingError::NoSuchSeat), "a host does not remove themselves");
    }

    #[test]
    fn the_room_lets_in_at_most_four_people_with_media() {
        let mut room = Room::new(vec![]);
        let (judge, _) = room.arrive(1, "王法官", Role::Judge, T).expect("judge");
        let mut waiting = vec![];
        for person in 2..=5 {
            waiting.push(room.arrive(person, "某人", Role::Party, T).expect("arrive").0);
        }
        for seat in &waiting[..3] {
            room.admit(judge, *seat).expect("room for three more");
        }
        assert_eq!(room.admit(judge, waiting[3]), Err(HearingError::Full));
        assert_eq!(room.presence(waiting[3]), Some(Presence::Waiting));
    }

    #[test]
    fn once_ended_no_one_joins_or_sends() {
        let (mut room, judge, party) = judge_and_waiting_party();
        let out = room.end(judge).expect("end");
        assert!(out.send.contains(&(To::One(party), ServerMessage::Ended)));
        assert!(out.send.contains(&(To::One(judge), ServerMessage::Ended)));
        assert_eq!(room.arrive(5, "迟到者", Role::Lawyer, T).map(|(s, _)| s), Err(HearingError::Ended));
        assert_eq!(room.receive(judge, ClientMessage::Chat { text: "还在吗".into() }, T), Err(HearingError::Ended));
    }

    #[test]
    fn chat_is_trimmed_kept_to_a_length_and_sent_to_the_room_with_its_time() {
        let (mut room, judge, party) = judge_and_waiting_party();
        room.admit(judge, party).expect("admit");
        assert_eq!(room.receive(party, ClientMessage::Chat { text: "   ".into() }, T), Err(HearingError::BadMessage));
        assert_eq!(room.receive(party, ClientMessage::Chat { text: "字".repeat(MAX_CHAT_CHARS + 1) }, T), Err(HearingError::BadMessage));
        let out = room.receive(party, ClientMessage::Chat { text: " 我方补充证据 ".into() }, at(5)).expect("chat");
        assert_eq!(
            sent_to(&room, &out, judge),
            vec![ServerMessage::Chat { from: party, name: "张三".into(), text: "我方补充证据".into(), at: at(5) }]
        );
    }

    fn contract() -> CaseDocument {
        CaseDocument { id: 41, title: "证据1 借条 · 借条.pdf".into(), kind: DocumentKind::Pdf, sha256: "ab".repeat(32) }
    }

    /// The judge (1) offered the case's documents, the party (2) let in with their own, and a
    /// lawyer (3) let in with none.
    fn room_with_documents() -> (Room, Seat, Seat, Seat) {
        let (mut room, judge, party) = judge_and_waiting_party();
        room.offer_documents(judge, vec![contract()]);
        room.offer_documents(party, vec![contract()]);
        room.admit(judge, party).expect("admit party");
        room.receive(party, ClientMessage::Ready { audio: true, video: true }, T).expect("ready");
        let (lawyer, _) = room.arrive(3, "李律师", Role::Lawyer, T).expect("lawyer");
        room.admit(judge, lawyer).expect("admit lawyer");
        (room, judge, party, lawyer)
    }

    #[test]
    fn a_document_shown_reaches_everyone_in_the_room_at_its_page_and_is_recorded() {
        let (mut room, judge, party, lawyer) = room_with_documents();
        let out = room.receive(party, ClientMessage::ShowDocument { document: 41, page: 2 }, T).expect("show");
        let shown = Shown { by: party, document: contract(), page: 2 };
        for seat in [judge, party, lawyer] {
            assert!(sent_to(&room, &out, seat).contains(&ServerMessage::Showing { shown: Some(shown.clone()) }), "seat {seat:?}");
        }
        assert!(sent_to(&room, &out, judge).iter().any(|m| matches!(m, ServerMessage::Changed { peer } if peer.seat == party && peer.sharing == Some(Sharing::Document))));
        assert_eq!(out.record, vec![("hearing.document_shown", party)]);
        assert!(room.may_see(3, 41), "the lawyer let in may open the shown file");
        assert!(!room.may_see(3, 42), "but no other");
        let out = room.receive(party, ClientMessage::TurnPage { page: 3 }, T).expect("turn");
        assert_eq!(sent_to(&room, &out, lawyer), vec![ServerMessage::Showing { shown: Some(Shown { page: 3, ..shown }) }]);
    }

    #[test]
    fn only_listed_documents_can_be_shown_and_only_the_one_showing_turns_its_pages() {
        let (mut room, judge, party, lawyer) = room_with_documents();
        assert_eq!(room.receive(lawyer, ClientMessage::ShowDocument { document: 41, page: 1 }, T), Err(HearingError::NoSuchDocument), "not offered to the lawyer");
        assert_eq!(room.receive(party, ClientMessage::ShowDocument { document: 99, page: 1 }, T), Err(HearingError::NoSuchDocument));
        assert_eq!(room.receive(party, ClientMessage::ShowDocument { document: 41, page: 0 }, T), Err(HearingError::NoSuchDocument));
        assert_eq!(room.receive(party, ClientMessage::Share { sharing: Some(Sharing::Document) }, T), Err(HearingError::BadMessage));
        assert_eq!(room.receive(party, ClientMessage::TurnPage { page: 2 }, T), Err(HearingError::NotPresenting), "nothing shown yet");
        room.receive(party, ClientMessage::ShowDocument { document: 41, page: 1 }, T).expect("show");
        assert_eq!(room.receive(judge, ClientMessage::TurnPage { page: 2 }, T), Err(HearingError::NotPresenting));
        assert_eq!(room.receive(lawyer, ClientMessage::HideDocument, T), Err(HearingError::NotPresenting));
        let out = room.receive(judge, ClientMessage::HideDocument, T).expect("a host stops it");
        assert!(sent_to(&room, &out, lawyer).contains(&ServerMessage::Showing { shown: None }));
        assert!(!room.may_see(3, 41), "once hidden, no one opens it through the hearing");
    }

    #[test]
    fn someone_waiting_never_sees_the_shown_document_and_sees_it_once_let_in() {
        let (mut room, _judge, party, _lawyer) = room_with_documents();
        room.receive(party, ClientMessage::ShowDocument { document: 41, page: 1 }, T).expect("show");
        let (late, out) = room.arrive(4, "赵四", Role::Party, T).expect("late");
        assert_eq!(sent_to(&room, &out, late), vec![ServerMessage::Waiting { seat: late }]);
        assert!(!room.may_see(4, 41));
        let out = room.admit(Seat(1), late).expect("admit");
        assert!(sent_to(&room, &out, late).iter().any(|m| matches!(m, ServerMessage::Showing { shown: Some(s) } if s.document.id == 41)));
        assert!(room.may_see(4, 41));
    }

    #[test]
    fn a_newer_document_replaces_the_last_and_leaving_stops_the_showing() {
        let (mut room, judge, party, lawyer) = room_with_documents();
        room.receive(party, ClientMessage::ShowDocument { document: 41, page: 1 }, T).expect("party shows");
        let out = room.receive(judge, ClientMessage::ShowDocument { document: 41, page: 5 }, T).expect("judge shows");
        assert!(sent_to(&room, &out, lawyer).iter().any(|m| matches!(m, ServerMessage::Changed { peer } if peer.seat == party && peer.sharing.is_none())));
        assert_eq!(room.shown().map(|s| (s.by, s.page)), Some((judge, 5)));
        let out = room.receive(judge, ClientMessage::Leave, T).expect("leave");
        assert!(sent_to(&room, &out, lawyer).contains(&ServerMessage::Showing { shown: None }));
        assert!(room.shown().is_none());
    }

    #[test]
    fn a_poor_connection_is_a_long_round_trip_or_lost_packets() {
        assert_eq!(Quality::from_stats(120, 10), Quality::Good);
        assert_eq!(Quality::from_stats(401, 0), Quality::Poor);
        assert_eq!(Quality::from_stats(50, 51), Quality::Poor);
    }

    #[test]
    fn a_record_is_trimmed_and_must_say_something_within_its_length() {
        assert_eq!(RecordText::parse("  \n "), Err("error_required"));
        assert_eq!(RecordText::parse(&"字".repeat(MAX_RECORD_CHARS + 1)), Err("error_record_long"));
        assert_eq!(RecordText::parse(" 审判长：现在开庭。\r\n原告：到。 ").map(|r| r.as_str().to_string()), Ok("审判长：现在开庭。\n原告：到。".into()));
    }

    #[test]
    fn an_objection_needs_its_text_and_an_acceptance_needs_none() {
        assert_eq!(RecordReview::parse("accept", "ignored"), Ok(RecordReview::Accepted));
        assert_eq!(RecordReview::parse("object", "  "), Err(("objection", "error_required")));
        assert_eq!(RecordReview::parse("object", &"字".repeat(MAX_OBJECTION_CHARS + 1)), Err(("objection", "error_objection_long")));
        let objected = RecordReview::parse("object", " 第3页原告陈述记录有误 ").expect("objection");
        assert_eq!((objected.decision(), objected.objection()), ("objected", Some("第3页原告陈述记录有误")));
        assert_eq!(RecordReview::parse("maybe", ""), Err(("decision", "error_bad_request")));
    }
}
