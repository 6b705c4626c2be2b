//! The browser's side of the room, without the browser: what a participant's page knows of the
//! hearing (who is in, who waits, the chat, whether it is waiting, in, reconnecting or over) and
//! which media steps each server message calls for. Pure, so the rules of who offers to whom and
//! what a drop or a rejoin does are unit-tested; `browser` carries the steps out with WebRTC.
use super::model::{CaseDocument, IceServer, PeerInfo, Quality, Role, Seat, ServerMessage, Shown};
use crate::identity::model::UnixTime;
use std::collections::BTreeMap;

/// Where this participant is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the socket opens (the pre-join check, the step-up).
    Check,
    Connecting,
    /// In the waiting room: nothing of the room reaches them.
    Waiting,
    InRoom,
    /// The connection dropped; the page is opening a new one (the seat is kept for 10 s).
    Reconnecting,
    Removed,
    Ended,
    /// They left by choice.
    Left,
    /// The server refused them (message key), e.g. the hearing has ended.
    Refused(String),
}

/// One line of the hearing's chat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatLine {
    pub from: Seat,
    pub name: String,
    pub text: String,
    pub at: UnixTime,
}

/// Someone else in the room, as this page shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tile {
    pub info: PeerInfo,
    /// Their connection dropped; they may be back within seconds.
    pub reconnecting: bool,
}

/// What the page must do with its peer connections and its own media.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Tell the room this browser's media is ready (after being let in).
    Ready,
    /// Open a connection to this seat and send it an offer.
    Offer(Seat),
    /// Answer this seat's offer (opening a connection to it).
    Answer { from: Seat, sdp: String },
    /// Apply this seat's answer to our offer.
    Accept { from: Seat, sdp: String },
    Candidate { from: Seat, candidate: String, sdp_mid: Option<String>, sdp_m_line_index: Option<u16> },
    /// Close the connection to this seat (it will be opened again if they come back).
    Close(Seat),
    CloseAll,
    /// The judge turned our microphone off.
    MuteSelf,
    /// The hearing is over for this page: stop camera and microphone.
    StopMedia,
}

/// The higher seat offers: a newcomer (always the higher) offers to those already in, and those
/// in offer to someone returning to a lower seat. Never both, so offers never cross.
pub fn offers_to(me: Seat, them: Seat) -> bool {
    me > them
}

/// The page's knowledge of the room.
#[derive(Clone, Debug, PartialEq)]
pub struct CallState {
    pub phase: Phase,
    pub me: Option<Seat>,
    pub role: Option<Role>,
    pub tiles: BTreeMap<Seat, Tile>,
    /// For hosts: who waits to be let in.
    pub waiting: Vec<PeerInfo>,
    pub chat: Vec<ChatLine>,
    pub ice_servers: Vec<IceServer>,
    /// The last thing the room refused or told us (message key), shown once.
    pub notice: Option<String>,
    /// The seat speaking loudest now (highlighted).
    pub speaking: Option<Seat>,
    /// Our own microphone and camera as we last told the room.
    pub audio: bool,
    pub video: bool,
    pub sharing_screen: bool,
    pub quality: Quality,
    /// The browser would not start the others' video without a tap (iOS, WeChat).
    pub playback_blocked: bool,
    /// The case documents this person may show the room.
    pub documents: Vec<CaseDocument>,
    /// The document the room is looking at.
    pub shown: Option<Shown>,
}

impl Default for CallState {
    fn default() -> Self {
        CallState {
            phase: Phase::Check,
            me: None,
            role: None,
            tiles: BTreeMap::new(),
            waiting: Vec::new(),
            chat: Vec::new(),
            ice_servers: Vec::new(),
            notice: None,
            speaking: None,
            audio: false,
            video: false,
            sharing_screen: false,
            quality: Quality::Good,
            playback_blocked: false,
            documents: Vec::new(),
            shown: None,
        }
    }
}

impl CallState {
    /// Takes in one message from the server and answers the media steps it calls for.
    pub fn apply(&mut self, message: ServerMessage) -> Vec<Step> {
        match message {
            ServerMessage::Waiting { seat } => {
                self.me = Some(seat);
                self.phase = Phase::Waiting;
                vec![Step::CloseAll]
            }
            ServerMessage::Admitted { seat, peers, ice_servers } => {
                // Let in, or back after a drop: connections from before are stale on both sides.
                self.me = Some(seat);
                self.phase = Phase::InRoom;
                self.ice_servers = ice_servers;
                // The room says again what it is looking at, just after this.
                self.shown = None;
                self.tiles = peers.iter().map(|p| (p.seat, Tile { info: p.clone(), reconnecting: false })).collect();
                let mut steps = vec![Step::CloseAll, Step::Ready];
                steps.extend(peers.iter().filter(|p| offers_to(seat, p.seat)).map(|p| Step::Offer(p.seat)));
                steps
            }
            ServerMessage::Lobby { waiting } => {
                self.waiting = waiting;
                vec![]
            }
            // What the room says of us (the judge muted us): our own state, not a tile.
            ServerMessage::Joined { peer } | ServerMessage::Changed { peer } if Some(peer.seat) == self.me => {
                self.audio = peer.audio;
                self.video = peer.video;
                vec![]
            }
            ServerMessage::Joined { peer } => {
                let seat = peer.seat;
                self.tiles.insert(seat, Tile { info: peer, reconnecting: false });
                match self.me {
                    Some(me) if offers_to(me, seat) => vec![Step::Close(seat), Step::Offer(seat)],
                    _ => vec![Step::Close(seat)],
                }
            }
            ServerMessage::Changed { peer } => {
                let seat = peer.seat;
                let known = self.tiles.contains_key(&seat);
                self.tiles.insert(seat, Tile { info: peer, reconnecting: false });
                match self.me {
                    // Someone we did not know of (we came back while they did): connect as on arrival.
                    Some(me) if !known && offers_to(me, seat) => vec![Step::Close(seat), Step::Offer(seat)],
                    _ => vec![],
                }
            }
            ServerMessage::Dropped { seat } => {
                if let Some(tile) = self.tiles.get_mut(&seat) {
                    tile.reconnecting = true;
                }
                vec![Step::Close(seat)]
            }
            ServerMessage::Left { seat } => {
                self.tiles.remove(&seat);
                if self.speaking == Some(seat) {
                    self.speaking = None;
                }
                vec![Step::Close(seat)]
            }
            ServerMessage::Offer { from, sdp } => vec![Step::Answer { from, sdp }],
            ServerMessage::Answer { from, sdp } => vec![Step::Accept { from, sdp }],
            ServerMessage::Ice { from, candidate, sdp_mid, sdp_m_line_index } => {
                vec![Step::Candidate { from, candidate, sdp_mid, sdp_m_line_index }]
            }
            ServerMessage::Chat { from, name, text, at } => {
                self.chat.push(ChatLine { from, name, text, at });
                vec![]
            }
            ServerMessage::Documents { documents } => {
                self.documents = documents;
                vec![]
            }
            ServerMessage::Showing { shown } => {
                self.shown = shown;
                vec![]
            }
            ServerMessage::MutedBy { .. } => {
                self.audio = false;
                self.notice = Some("hearing_muted_by_judge".into());
                vec![Step::MuteSelf]
            }
            ServerMessage::Removed => self.over(Phase::Removed),
            ServerMessage::Ended => self.over(Phase::Ended),
            ServerMessage::Refused { key } => {
                if matches!(self.phase, Phase::Connecting | Phase::Reconnecting) {
                    self.over(Phase::Refused(key))
                } else {
                    self.notice = Some(key);
                    vec![]
                }
            }
        }
    }

    fn over(&mut self, phase: Phase) -> Vec<Step> {
        self.phase = phase;
        self.tiles.clear();
        self.waiting.clear();
        self.speaking = None;
        self.shown = None;
        vec![Step::CloseAll, Step::StopMedia]
    }

    /// The socket closed without the room saying why: open a new one if we were taking part.
    pub fn connection_lost(&mut self) -> bool {
        if matches!(self.phase, Phase::Connecting | Phase::Waiting | Phase::InRoom | Phase::Reconnecting) {
            self.phase = Phase::Reconnecting;
            for tile in self.tiles.values_mut() {
                tile.reconnecting = true;
            }
            true
        } else {
            false
        }
    }

    /// Whether this page may use the judge's commands (the server checks again).
    pub fn is_judge(&self) -> bool {
        self.role == Some(Role::Judge)
    }

    pub fn is_host(&self) -> bool {
        self.role.is_some_and(Role::hosts)
    }

    /// Whether this page shows the document the room is looking at (and turns its pages).
    pub fn presenting(&self) -> bool {
        self.me.is_some() && self.shown.as_ref().map(|s| s.by) == self.me
    }
}

/// How many times a second the pages' speaking levels are compared, and how loud (0–1, as
/// WebRTC reports `audioLevel`) counts as speaking.
pub const SPEAKING_LEVEL: f64 = 0.02;

/// The loudest of the levels, if anyone is speaking at all.
pub fn loudest(levels: &[(Seat, f64)]) -> Option<Seat> {
    levels.iter().filter(|(_, l)| *l >= SPEAKING_LEVEL).max_by(|a, b| a.1.total_cmp(&b.1)).map(|(s, _)| *s)
}

/// A round-trip estimate from timed requests: the median, so one slow answer does not decide.
pub fn median_ms(mut samples: Vec<u32>) -> Option<u32> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable();
    Some(samples[samples.len() / 2])
}

/// What this browser can do, as found before joining.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Support {
    /// `RTCPeerConnection` exists: video calls work at all.
    pub webrtc: bool,
    /// `navigator.mediaDevices.getUserMedia` exists (it needs https or localhost).
    pub media: bool,
    /// `getDisplayMedia` exists (desktop browsers; phones cannot share their screen).
    pub screen: bool,
    /// An iPhone or iPad, or the WeChat web-view: video starts only after a tap.
    pub needs_tap: bool,
}

/// What the camera and microphone check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Devices {
    #[default]
    Unchecked,
    Asking,
    Both,
    /// No camera (or it was refused): they join with sound only.
    AudioOnly,
    /// Neither (or both refused): they can still watch and listen, and use the chat.
    Neither,
}

/// The pre-join check: devices, the microphone's level, the network's round trip.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    pub support: Support,
    pub devices: Devices,
    /// The microphone's level now, 0–1.
    pub level: f64,
    pub round_trip_ms: Option<u32>,
    /// The network test could not reach the court's server.
    pub offline: bool,
}

/// A round trip to the court's own server above this (ms) makes video unreliable.
pub const SLOW_NETWORK_MS: u32 = 300;

impl Check {
    /// Honest guidance for what the check found, as message keys, most important first.
    pub fn advice(&self) -> Vec<&'static str> {
        let mut advice = Vec::new();
        if !self.support.webrtc {
            advice.push("hearing_advice_no_webrtc");
        }
        if !self.support.media {
            advice.push("hearing_advice_no_media");
        } else {
            match self.devices {
                Devices::AudioOnly => advice.push("hearing_advice_audio_only"),
                Devices::Neither => advice.push("hearing_advice_no_devices"),
                _ => {}
            }
        }
        if self.offline {
            advice.push("hearing_advice_offline");
        } else if self.round_trip_ms.is_some_and(|ms| ms > SLOW_NETWORK_MS) {
            advice.push("hearing_advice_slow_network");
        }
        if self.support.needs_tap {
            advice.push("hearing_advice_tap");
        }
        if !self.support.screen {
            advice.push("hearing_advice_no_screen_share");
        }
        advice
    }

    /// Whether joining can work at all (without WebRTC nothing reaches them).
    pub fn can_join(&self) -> bool {
        self.support.webrtc && !matches!(self.devices, Devices::Unchecked | Devices::Asking)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hearings::model::Quality;

    fn peer(seat: u32, role: Role) -> PeerInfo {
        PeerInfo { seat: Seat(seat), name: format!("p{seat}"), role, audio: true, video: true, quality: Quality::Good, sharing: None }
    }

    #[test]
    fn a_newcomer_offers_to_everyone_already_in_and_those_in_wait_for_its_offer() {
        let mut call = CallState { phase: Phase::Connecting, ..CallState::default() };
        let steps = call.apply(ServerMessage::Admitted { seat: Seat(3), peers: vec![peer(1, Role::Judge), peer(2, Role::Clerk)], ice_servers: vec![] });
        assert_eq!(steps, vec![Step::CloseAll, Step::Ready, Step::Offer(Seat(1)), Step::Offer(Seat(2))]);
        assert_eq!(call.phase, Phase::InRoom);
        let mut judge = CallState { phase: Phase::InRoom, me: Some(Seat(1)), ..CallState::default() };
        assert_eq!(judge.apply(ServerMessage::Joined { peer: peer(3, Role::Party) }), vec![Step::Close(Seat(3))]);
        assert!(judge.tiles.contains_key(&Seat(3)));
    }

    #[test]
    fn someone_back_in_a_lower_seat_is_offered_to_by_those_in_the_room() {
        let mut party = CallState { phase: Phase::InRoom, me: Some(Seat(3)), ..CallState::default() };
        party.apply(ServerMessage::Joined { peer: peer(1, Role::Judge) });
        assert_eq!(party.apply(ServerMessage::Dropped { seat: Seat(1) }), vec![Step::Close(Seat(1))]);
        assert!(party.tiles[&Seat(1)].reconnecting);
        assert_eq!(party.apply(ServerMessage::Joined { peer: peer(1, Role::Judge) }), vec![Step::Close(Seat(1)), Step::Offer(Seat(1))]);
        assert!(!party.tiles[&Seat(1)].reconnecting);
        // The judge, back, offers to no one (everyone in is higher) and tells the room it is ready.
        let mut judge = CallState { phase: Phase::Reconnecting, ..CallState::default() };
        let steps = judge.apply(ServerMessage::Admitted { seat: Seat(1), peers: vec![peer(3, Role::Party)], ice_servers: vec![] });
        assert_eq!(steps, vec![Step::CloseAll, Step::Ready]);
    }

    #[test]
    fn offers_never_cross_between_two_seats() {
        for (a, b) in [(1, 2), (2, 1), (4, 3)] {
            assert_ne!(offers_to(Seat(a), Seat(b)), offers_to(Seat(b), Seat(a)));
        }
    }

    #[test]
    fn the_waiting_room_shows_nothing_of_the_room_and_a_lost_connection_reconnects() {
        let mut call = CallState { phase: Phase::Connecting, ..CallState::default() };
        assert_eq!(call.apply(ServerMessage::Waiting { seat: Seat(4) }), vec![Step::CloseAll]);
        assert_eq!(call.phase, Phase::Waiting);
        assert!(call.tiles.is_empty());
        assert!(call.connection_lost());
        assert_eq!(call.phase, Phase::Reconnecting);
    }

    #[test]
    fn ending_removal_and_refusal_stop_the_media_and_end_reconnecting() {
        for (message, phase) in [
            (ServerMessage::Ended, Phase::Ended),
            (ServerMessage::Removed, Phase::Removed),
            (ServerMessage::Refused { key: "error_hearing_ended".into() }, Phase::Refused("error_hearing_ended".into())),
        ] {
            let mut call = CallState { phase: Phase::Reconnecting, ..CallState::default() };
            call.tiles.insert(Seat(1), Tile { info: peer(1, Role::Judge), reconnecting: false });
            assert_eq!(call.apply(message), vec![Step::CloseAll, Step::StopMedia]);
            assert_eq!(call.phase, phase);
            assert!(call.tiles.is_empty());
            assert!(!call.connection_lost(), "an ended call does not reconnect");
        }
    }

    #[test]
    fn a_refusal_in_the_room_is_a_notice_not_the_end() {
        let mut call = CallState { phase: Phase::InRoom, ..CallState::default() };
        assert!(call.apply(ServerMessage::Refused { key: "error_hearing_not_judge".into() }).is_empty());
        assert_eq!(call.phase, Phase::InRoom);
        assert_eq!(call.notice.as_deref(), Some("error_hearing_not_judge"));
    }

    #[test]
    fn the_judge_muting_us_turns_our_microphone_off_and_says_so() {
        let mut call = CallState { phase: Phase::InRoom, audio: true, ..CallState::default() };
        assert_eq!(call.apply(ServerMessage::MutedBy { by: Seat(1) }), vec![Step::MuteSelf]);
        assert!(!call.audio);
        assert_eq!(call.notice.as_deref(), Some("hearing_muted_by_judge"));
    }

    #[test]
    fn what_the_room_says_of_us_is_our_own_state_and_never_a_tile_of_ourselves() {
        let mut call = CallState { phase: Phase::InRoom, me: Some(Seat(2)), audio: true, video: true, ..CallState::default() };
        let mut muted = peer(2, Role::Lawyer);
        muted.audio = false;
        assert!(call.apply(ServerMessage::Changed { peer: muted }).is_empty());
        assert!(call.tiles.is_empty());
        assert!(!call.audio && call.video);
    }

    #[test]
    fn the_shown_document_is_kept_until_the_room_stops_it_and_only_its_presenter_turns_pages() {
        use super::super::model::{CaseDocument, DocumentKind, Shown};
        let mut call = CallState::default();
        call.apply(ServerMessage::Admitted { seat: Seat(2), peers: vec![peer(1, Role::Judge)], ice_servers: vec![] });
        let document = CaseDocument { id: 7, title: "证据1".into(), kind: DocumentKind::Image, sha256: "00".repeat(32) };
        assert!(call.apply(ServerMessage::Documents { documents: vec![document.clone()] }).is_empty());
        assert_eq!(call.documents.len(), 1);
        call.apply(ServerMessage::Showing { shown: Some(Shown { by: Seat(1), document: document.clone(), page: 1 }) });
        assert!(call.shown.is_some() && !call.presenting());
        call.apply(ServerMessage::Showing { shown: Some(Shown { by: Seat(2), document, page: 4 }) });
        assert!(call.presenting());
        call.apply(ServerMessage::Ended);
        assert!(call.shown.is_none(), "nothing stays on screen after the end");
    }

    #[test]
    fn the_loudest_speaker_above_the_threshold_is_highlighted() {
        assert_eq!(loudest(&[(Seat(1), 0.01), (Seat(2), 0.3), (Seat(3), 0.1)]), Some(Seat(2)));
        assert_eq!(loudest(&[(Seat(1), 0.001)]), None);
        assert_eq!(median_ms(vec![30, 500, 40, 35, 38]), Some(38));
        assert_eq!(median_ms(vec![]), None);
    }

    #[test]
    fn a_phone_without_a_camera_is_told_it_joins_with_sound_only_and_to_tap_to_start_video() {
        let check = Check {
            support: Support { webrtc: true, media: true, screen: false, needs_tap: true },
            devices: Devices::AudioOnly,
            level: 0.1,
            round_trip_ms: Some(40),
            offline: false,
        };
        assert_eq!(check.advice(), vec!["hearing_advice_audio_only", "hearing_advice_tap", "hearing_advice_no_screen_share"]);
        assert!(check.can_join());
    }

    #[test]
    fn a_browser_without_webrtc_cannot_join_and_a_slow_network_is_named() {
        let check = Check { devices: Devices::Neither, round_trip_ms: Some(900), ..Check::default() };
        assert!(!check.can_join());
        let advice = check.advice();
        assert_eq!(advice[0], "hearing_advice_no_webrtc");
        assert!(advice.contains(&"hearing_advice_slow_network"));
        let desktop = Check { support: Support { webrtc: true, media: true, screen: true, needs_tap: false }, devices: Devices::Both, ..Check::default() };
        assert!(desktop.advice().is_empty());
        assert!(!Check { devices: Devices::Asking, ..desktop }.can_join(), "not before the devices answered");
    }
}
