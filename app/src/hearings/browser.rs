//! The browser's side of the hearing room: the camera and microphone, the check before joining,
//! the hearing's socket and one `RTCPeerConnection` per other person in the room. It carries out
//! the steps `call::CallState` decides and keeps the page's signals up to date. On the server
//! (and in tests) the same functions do nothing, so the room page renders there unchanged.
use super::call::{CallState, Check};
use leptos::prelude::*;

/// The signals the room page reads; the browser side writes them.
#[derive(Clone, Copy)]
pub struct RoomSignals {
    pub call: RwSignal<CallState>,
    pub check: RwSignal<Check>,
}

impl RoomSignals {
    pub fn new() -> RoomSignals {
        RoomSignals { call: RwSignal::new(CallState::default()), check: RwSignal::new(Check::default()) }
    }
}

impl Default for RoomSignals {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "hydrate")]
pub use web::*;

#[cfg(not(feature = "hydrate"))]
pub use server_side::*;

/// On the server nothing is captured, connected or played: the page is rendered, then hydrated.
#[cfg(not(feature = "hydrate"))]
mod server_side {
    use super::RoomSignals;
    use crate::hearings::model::{ClientMessage, Seat};

    pub fn check_devices(_: RoomSignals) {}
    pub fn play_tone() {}
    pub fn show_self() {}
    pub fn join(_: i64, _: RoomSignals) {}
    pub fn send(_: ClientMessage) {}
    pub fn toggle_audio() {}
    pub fn toggle_video() {}
    pub fn toggle_screen() {}
    pub fn play_all() {}
    pub fn attach(_: Seat) {}
    pub fn leave() {}
}

#[cfg(feature = "hydrate")]
mod web {
    use super::RoomSignals;
    use crate::hearings::call::{loudest, median_ms, offers_to, Devices, Phase, Step, Support};
    use crate::hearings::model::{ClientMessage, Peer, Quality, Seat, ServerMessage, Sharing};
    use gloo_timers::callback::{Interval, Timeout};
    use leptos::logging::warn;
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::collections::{HashMap, VecDeque};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{
        AnalyserNode, AudioContext, HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack, MessageEvent,
        RtcConfiguration, RtcIceCandidateInit, RtcIceServer, RtcPeerConnection, RtcPeerConnectionIceEvent, RtcRtpTransceiver,
        RtcRtpTransceiverDirection, RtcRtpTransceiverInit, RtcSdpType, RtcSessionDescriptionInit, RtcTrackEvent, WebSocket,
    };

    type Handler = Closure<dyn FnMut(JsValue)>;

    /// A connection to one other person's browser.
    struct Conn {
        pc: RtcPeerConnection,
        audio: Option<RtcRtpTransceiver>,
        video: Option<RtcRtpTransceiver>,
        /// Candidates that came before their session description.
        pending: Vec<RtcIceCandidateInit>,
        described: bool,
        /// Packets received and lost at the last look, to judge loss over the last second.
        last_packets: (f64, f64),
        _handlers: Vec<Handler>,
    }

    impl Drop for Conn {
        fn drop(&mut self) {
            self.pc.set_onicecandidate(None);
            self.pc.set_ontrack(None);
            self.pc.set_onconnectionstatechange(None);
            self.pc.close();
        }
    }

    /// What the queue carries: the server's messages and steps the page decided itself, run one
    /// at a time so that an answer is never applied before its offer.
    enum Work {
        Message(ServerMessage),
        Steps(Vec<Step>),
    }

    #[derive(Default)]
    struct Inner {
        signals: Option<RoomSignals>,
        hearing: i64,
        ws: Option<WebSocket>,
        ws_handlers: Vec<Handler>,
        local: Option<MediaStream>,
        screen: Option<MediaStreamTrack>,
        conns: HashMap<Seat, Conn>,
        /// Candidates from a seat we have no connection with yet (they can overtake its offer).
        early: HashMap<Seat, Vec<RtcIceCandidateInit>>,
        queue: VecDeque<Work>,
        busy: bool,
        tries: u32,
        audio_context: Option<AudioContext>,
        analyser: Option<AnalyserNode>,
        level: f64,
        meter: Option<Interval>,
        stats: Option<Interval>,
        /// Tells a kiosk's idle reset that someone is here while they take part in a hearing.
        presence: Option<Interval>,
        window_handlers: Vec<Handler>,
    }

    thread_local! {
        static ROOM: RefCell<Inner> = RefCell::new(Inner::default());
    }

    fn with<T>(f: impl FnOnce(&mut Inner) -> T) -> T {
        ROOM.with(|r| f(&mut r.borrow_mut()))
    }

    fn signals() -> Option<RoomSignals> {
        with(|r| r.signals)
    }

    fn report(what: &str, e: &JsValue) {
        warn!("hearing: {what}: {e:?}");
    }

    fn has(target: &JsValue, name: &str) -> bool {
        js_sys::Reflect::get(target, &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined() && !v.is_null())
    }

    /// What this browser can do.
    fn support() -> Support {
        let Some(window) = web_sys::window() else { return Support::default() };
        let navigator = window.navigator();
        let devices = js_sys::Reflect::get(&navigator, &"mediaDevices".into()).unwrap_or(JsValue::UNDEFINED);
        let agent = navigator.user_agent().unwrap_or_default();
        let touch_mac = agent.contains("Macintosh") && navigator.max_touch_points() > 1;
        let ios = agent.contains("iPhone") || agent.contains("iPad") || touch_mac;
        let phone = ios || agent.contains("Mobi") || agent.contains("Android");
        Support {
            webrtc: has(&window, "RTCPeerConnection"),
            media: has(&devices, "getUserMedia"),
            screen: has(&devices, "getDisplayMedia") && !phone,
            needs_tap: ios || agent.contains("MicroMessenger"),
        }
    }

    async fn user_media(audio: bool, video: bool) -> Result<MediaStream, JsValue> {
        let devices = web_sys::window().ok_or(JsValue::NULL)?.navigator().media_devices()?;
        let constraints = MediaStreamConstraints::new();
        constraints.set_audio(&JsValue::from_bool(audio));
        constraints.set_video(&JsValue::from_bool(video));
        let stream = JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?;
        Ok(stream.unchecked_into())
    }

    /// The pre-join check: what the browser supports, the camera and microphone (asking for
    /// both, then sound only), the microphone's level meter and the network's round trip.
    pub fn check_devices(room: RoomSignals) {
        with(|r| r.signals = Some(room));
        let support = support();
        room.check.update(|c| {
            c.support = support;
            c.devices = Devices::Asking;
        });
        spawn_local(async move {
            let stream = if support.media {
                match user_media(true, true).await {
                    Ok(s) => Some((s, Devices::Both)),
                    Err(e) => {
                        report("camera and microphone", &e);
                        match user_media(true, false).await {
                            Ok(s) => Some((s, Devices::AudioOnly)),
                            Err(e) => {
                                report("microphone", &e);
                                None
                            }
                        }
                    }
                }
            } else {
                None
            };
            let devices = stream.as_ref().map_or(Devices::Neither, |(_, d)| d.clone());
            let (audio, video) = stream.as_ref().map_or((false, false), |(s, _)| (s.get_audio_tracks().length() > 0, s.get_video_tracks().length() > 0));
            if let Some(old) = with(|r| r.local.take()) {
                stop_tracks(&old);
            }
            with(|r| r.local = stream.map(|(s, _)| s));
            room.check.update(|c| c.devices = devices);
            room.call.update(|c| {
                c.audio = audio;
                c.video = video;
            });
            show_self();
            start_meter();
            measure_network(room).await;
        });
    }

    fn stop_tracks(stream: &MediaStream) {
        for track in stream.get_tracks() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.stop();
            }
        }
    }

    fn local_track(kind: &str) -> Option<MediaStreamTrack> {
        let stream = with(|r| r.local.clone())?;
        let tracks = if kind == "audio" { stream.get_audio_tracks() } else { stream.get_video_tracks() };
        tracks.get(0).dyn_into::<MediaStreamTrack>().ok()
    }

    fn video_element(id: &str) -> Option<HtmlVideoElement> {
        web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into::<HtmlVideoElement>().ok()
    }

    /// Shows this browser's own camera in `#self-view` (muted: no one wants to hear themselves).
    pub fn show_self() {
        let (Some(stream), Some(video)) = (with(|r| r.local.clone()), video_element("self-view")) else { return };
        video.set_muted(true);
        if video.src_object().as_ref() != Some(&stream) {
            video.set_src_object(Some(&stream));
        }
        play(video);
    }

    fn play(video: HtmlVideoElement) {
        let Ok(promise) = video.play() else { return };
        spawn_local(async move {
            if let Err(e) = JsFuture::from(promise).await {
                // iOS and WeChat refuse to play until the person taps (NotAllowedError): the page
                // offers a button. Other refusals (a newer stream took its place) need nothing.
                let refused = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).is_some_and(|n| n == "NotAllowedError");
                if refused {
                    report("play", &e);
                    if let Some(room) = signals() {
                        room.call.update(|c| c.playback_blocked = true);
                    }
                }
            }
        });
    }

    /// After the person tapped: start every video on the page (iOS, WeChat).
    pub fn play_all() {
        if let Some(room) = signals() {
            room.call.update(|c| c.playback_blocked = false);
        }
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(videos) = document.query_selector_all("video") else { return };
        for i in 0..videos.length() {
            if let Some(video) = videos.item(i).and_then(|n| n.dyn_into::<HtmlVideoElement>().ok()) {
                play(video);
            }
        }
        if let Some(context) = with(|r| r.audio_context.clone()) {
            let _ = context.resume();
        }
    }

    fn audio_context() -> Option<AudioContext> {
        if let Some(context) = with(|r| r.audio_context.clone()) {
            return Some(context);
        }
        let context = AudioContext::new().ok()?;
        with(|r| r.audio_context = Some(context.clone()));
        Some(context)
    }

    /// The microphone's level, ten times a second, for the meter before joining and for
    /// highlighting this person when they speak.
    fn start_meter() {
        let Some(track) = local_track("audio") else { return };
        let Some(context) = audio_context() else { return };
        let _ = context.resume();
        let Ok(stream) = MediaStream::new_with_tracks(&js_sys::Array::of1(&track)) else { return };
        let (Ok(source), Ok(analyser)) = (context.create_media_stream_source(&stream), context.create_analyser()) else { return };
        analyser.set_fft_size(512);
        if source.connect_with_audio_node(&analyser).is_err() {
            return;
        }
        let mut samples = vec![0f32; 512];
        let meter_analyser = analyser.clone();
        let meter = Interval::new(100, move || {
            meter_analyser.get_float_time_domain_data(&mut samples);
            let mean: f64 = samples.iter().map(|s| f64::from(*s) * f64::from(*s)).sum::<f64>() / samples.len() as f64;
            // Speech peaks near 0.3 RMS; scaled so normal speaking fills most of the meter.
            let level = (mean.sqrt() * 3.0).min(1.0);
            with(|r| r.level = level);
            if let Some(room) = signals() {
                room.check.update(|c| c.level = level);
            }
        });
        with(|r| {
            r.analyser = Some(analyser);
            r.meter = Some(meter);
        });
    }

    /// A one-second 440 Hz tone, to check the speaker or earpiece.
    pub fn play_tone() {
        let Some(context) = audio_context() else { return };
        let _ = context.resume();
        let (Ok(tone), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else { return };
        tone.frequency().set_value(440.0);
        gain.gain().set_value(0.2);
        if tone.connect_with_audio_node(&gain).is_err() || gain.connect_with_audio_node(&context.destination()).is_err() {
            return;
        }
        let _ = tone.start();
        let _ = tone.stop_with_when(context.current_time() + 1.0);
    }

    /// Five timed requests to the court's server; the median is the estimate.
    async fn measure_network(room: RoomSignals) {
        let Some(window) = web_sys::window() else { return };
        let Some(performance) = window.performance() else { return };
        let mut samples = Vec::new();
        for n in 0..5 {
            let started = performance.now();
            let init = web_sys::RequestInit::new();
            init.set_cache(web_sys::RequestCache::NoStore);
            if let Ok(answer) = JsFuture::from(window.fetch_with_str_and_init(&format!("/healthz?probe={n}"), &init)).await {
                if answer.dyn_into::<web_sys::Response>().is_ok_and(|r| r.ok()) {
                    samples.push((performance.now() - started).round() as u32);
                }
            }
        }
        let estimate = median_ms(samples);
        room.check.update(|c| {
            c.round_trip_ms = estimate;
            c.offline = estimate.is_none();
        });
    }

    /// Opens the hearing's socket: the server puts this person in the waiting room or the room.
    pub fn join(hearing: i64, room: RoomSignals) {
        with(|r| {
            r.signals = Some(room);
            r.hearing = hearing;
            r.tries = 0;
        });
        room.call.update(|c| c.phase = Phase::Connecting);
        watch_network();
        // A kiosk wipes itself after two minutes without a touch; someone listening to their
        // hearing touches nothing, and must not be signed out in the middle of it.
        let presence = Interval::new(5_000, || {
            let taking_part = signals().is_some_and(|s| s.call.with_untracked(|c| matches!(c.phase, Phase::Connecting | Phase::Waiting | Phase::InRoom | Phase::Reconnecting)));
            if taking_part {
                crate::ui::browser::restart_idle_timer();
            }
        });
        with(|r| r.presence = Some(presence));
        connect();
    }

    fn connect() {
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let secure = location.protocol().is_ok_and(|p| p == "https:");
        let host = location.host().unwrap_or_default();
        let hearing = with(|r| r.hearing);
        let url = format!("{}://{host}/hearings/{hearing}/socket", if secure { "wss" } else { "ws" });
        let socket = match WebSocket::new(&url) {
            Ok(s) => s,
            Err(e) => {
                report("socket", &e);
                return reconnect_later();
            }
        };
        let on_message: Handler = Closure::new(|event: JsValue| {
            let Some(text) = event.dyn_ref::<MessageEvent>().and_then(|m| m.data().as_string()) else { return };
            match serde_json::from_str::<ServerMessage>(&text) {
                Ok(message) => queue(Work::Message(message)),
                Err(e) => warn!("hearing: unreadable message: {e}"),
            }
        });
        let on_open: Handler = Closure::new(|_| with(|r| r.tries = 0));
        let on_close: Handler = Closure::new(|_| {
            with(|r| r.ws = None);
            let again = signals().and_then(|s| s.call.try_update(|c| c.connection_lost())).unwrap_or(false);
            if again {
                reconnect_later();
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let old = with(|r| {
            let old = r.ws.replace(socket);
            let handlers = std::mem::replace(&mut r.ws_handlers, vec![on_message, on_open, on_close]);
            (old, handlers)
        });
        if let (Some(ws), _) = &old {
            forget_socket(ws);
        }
        drop(old);
    }

    /// Closes a socket we no longer listen to (replaced, or left).
    fn forget_socket(ws: &WebSocket) {
        ws.set_onmessage(None);
        ws.set_onopen(None);
        ws.set_onclose(None);
        let _ = ws.close();
    }

    /// How many times a dropped socket is opened again (0.5 s, then every 1.5 s: half a minute).
    const RECONNECT_TRIES: u32 = 20;

    fn reconnect_later() {
        let tries = with(|r| {
            r.tries += 1;
            r.tries
        });
        if tries > RECONNECT_TRIES {
            if let Some(room) = signals() {
                room.call.update(|c| c.phase = Phase::Refused("hearing_connection_lost".into()));
            }
            return;
        }
        Timeout::new(if tries == 1 { 500 } else { 1500 }, || {
            let waiting = signals().is_some_and(|s| s.call.with_untracked(|c| c.phase == Phase::Reconnecting));
            if waiting && with(|r| r.ws.is_none()) {
                connect();
            }
        })
        .forget();
    }

    /// A phone moving between Wi-Fi and mobile data keeps a dead socket open for a long time:
    /// when the network comes back, open a fresh one at once instead of waiting for it to die.
    fn watch_network() {
        if with(|r| !r.window_handlers.is_empty()) {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let offline: Handler = Closure::new(|_| {
            if let Some(room) = signals() {
                room.call.update(|c| {
                    c.connection_lost();
                });
            }
        });
        let online: Handler = Closure::new(|_| {
            let active = signals().is_some_and(|s| s.call.with_untracked(|c| c.phase == Phase::Reconnecting));
            if active {
                with(|r| r.tries = 0);
                connect();
            }
        });
        let _ = window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        with(|r| r.window_handlers = vec![offline, online]);
    }

    /// Sends one message to the room, if the socket is open.
    pub fn send(message: ClientMessage) {
        let Some(ws) = with(|r| r.ws.clone()) else { return };
        if ws.ready_state() != WebSocket::OPEN {
            return;
        }
        match serde_json::to_string(&message) {
            Ok(text) => {
                if let Err(e) = ws.send_with_str(&text) {
                    report("send", &e);
                }
            }
            Err(e) => warn!("hearing: {e}"),
        }
    }

    fn queue(work: Work) {
        with(|r| r.queue.push_back(work));
        if with(|r| std::mem::replace(&mut r.busy, true)) {
            return;
        }
        spawn_local(async {
            while let Some(work) = with(|r| r.queue.pop_front()) {
                let steps = match work {
                    Work::Message(message) => signals().and_then(|s| s.call.try_update(|c| c.apply(message))).unwrap_or_default(),
                    Work::Steps(steps) => steps,
                };
                for step in steps {
                    if let Err(e) = run(step).await {
                        report("media step", &e);
                    }
                }
            }
            with(|r| r.busy = false);
        });
    }

    async fn run(step: Step) -> Result<(), JsValue> {
        match step {
            Step::Ready => {
                let (audio, video) = signals().map_or((false, false), |s| s.call.with_untracked(|c| (c.audio, c.video)));
                send(ClientMessage::Ready { audio, video });
                if with(|r| r.screen.is_some()) {
                    send(ClientMessage::Share { sharing: Some(Sharing::Screen) });
                }
                start_stats();
            }
            Step::Offer(seat) => {
                open(seat, true).await?;
                let Some(pc) = pc_of(seat) else { return Ok(()) };
                let offer = JsFuture::from(pc.create_offer()).await?;
                let sdp = sdp_of(&offer);
                let description = RtcSessionDescriptionInit::new(RtcSdpType::Offer);
                description.set_sdp(&sdp);
                // Sent before it is applied here, so that it reaches them ahead of the candidates
                // that applying it starts gathering. Their answer waits in the queue meanwhile.
                send(ClientMessage::Offer { to: Peer::Seat(seat), sdp });
                JsFuture::from(pc.set_local_description(&description)).await?;
            }
            Step::Answer { from, sdp } => {
                open(from, false).await?;
                let Some(pc) = pc_of(from) else { return Ok(()) };
                let description = RtcSessionDescriptionInit::new(RtcSdpType::Offer);
                description.set_sdp(&sdp);
                JsFuture::from(pc.set_remote_description(&description)).await?;
                send_own_media(from).await?;
                described(from).await;
                let answer = JsFuture::from(pc.create_answer()).await?;
                let sdp = sdp_of(&answer);
                let description = RtcSessionDescriptionInit::new(RtcSdpType::Answer);
                description.set_sdp(&sdp);
                send(ClientMessage::Answer { to: Peer::Seat(from), sdp });
                JsFuture::from(pc.set_local_description(&description)).await?;
            }
            Step::Accept { from, sdp } => {
                let Some(pc) = pc_of(from) else { return Ok(()) };
                let description = RtcSessionDescriptionInit::new(RtcSdpType::Answer);
                description.set_sdp(&sdp);
                JsFuture::from(pc.set_remote_description(&description)).await?;
                described(from).await;
            }
            Step::Candidate { from, candidate, sdp_mid, sdp_m_line_index } => {
                let init = RtcIceCandidateInit::new(&candidate);
                init.set_sdp_mid(sdp_mid.as_deref());
                init.set_sdp_m_line_index(sdp_m_line_index);
                let ready = with(|r| match r.conns.get_mut(&from) {
                    Some(conn) if conn.described => Some(conn.pc.clone()),
                    Some(conn) => {
                        conn.pending.push(init.clone());
                        None
                    }
                    None => {
                        r.early.entry(from).or_default().push(init.clone());
                        None
                    }
                });
                if let Some(pc) = ready {
                    JsFuture::from(pc.add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init))).await?;
                }
            }
            Step::Close(seat) => {
                let gone = with(|r| r.conns.remove(&seat));
                drop(gone);
            }
            Step::CloseAll => {
                let gone: Vec<Conn> = with(|r| {
                    r.early.clear();
                    r.conns.drain().map(|(_, c)| c).collect()
                });
                drop(gone);
            }
            Step::MuteSelf => {
                if let Some(track) = local_track("audio") {
                    track.set_enabled(false);
                }
            }
            Step::StopMedia => stop_media(),
        }
        Ok(())
    }

    fn sdp_of(description: &JsValue) -> String {
        js_sys::Reflect::get(description, &"sdp".into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
    }

    fn pc_of(seat: Seat) -> Option<RtcPeerConnection> {
        with(|r| r.conns.get(&seat).map(|c| c.pc.clone()))
    }

    /// Their description is in: the candidates that came early can be applied now.
    async fn described(seat: Seat) {
        let (pc, pending) = match with(|r| {
            r.conns.get_mut(&seat).map(|c| {
                c.described = true;
                (c.pc.clone(), std::mem::take(&mut c.pending))
            })
        }) {
            Some(found) => found,
            None => return,
        };
        for init in pending {
            if let Err(e) = JsFuture::from(pc.add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init))).await {
                report("early candidate", &e);
            }
        }
    }

    /// The track this browser sends as its picture: the shared screen while sharing, else the camera.
    fn picture() -> Option<MediaStreamTrack> {
        with(|r| r.screen.clone()).or_else(|| local_track("video"))
    }

    /// A new connection to `seat`. The offerer sets up one audio and one video line, sending
    /// and receiving, whether or not it has a camera, so that it still sees the others; the
    /// answerer takes the lines the offer made (`send_own_media`).
    async fn open(seat: Seat, offerer: bool) -> Result<(), JsValue> {
        let gone = with(|r| r.conns.remove(&seat));
        drop(gone);
        let ice = signals().map(|s| s.call.with_untracked(|c| c.ice_servers.clone())).unwrap_or_default();
        let servers = js_sys::Array::new();
        for server in ice {
            let entry = RtcIceServer::new();
            let urls = js_sys::Array::new();
            for url in &server.urls {
                urls.push(&JsValue::from_str(url));
            }
            entry.set_urls(&urls);
            if let Some(username) = &server.username {
                entry.set_username(username);
            }
            if let Some(credential) = &server.credential {
                entry.set_credential(credential);
            }
            servers.push(&entry);
        }
        let config = RtcConfiguration::new();
        config.set_ice_servers(&servers);
        let pc = RtcPeerConnection::new_with_configuration(&config)?;
        let on_candidate: Handler = Closure::new(move |event: JsValue| {
            let Some(candidate) = event.dyn_ref::<RtcPeerConnectionIceEvent>().and_then(|e| e.candidate()) else { return };
            send(ClientMessage::Ice { to: Peer::Seat(seat), candidate: candidate.candidate(), sdp_mid: candidate.sdp_mid(), sdp_m_line_index: candidate.sdp_m_line_index() });
        });
        let on_track: Handler = Closure::new(move |event: JsValue| {
            if event.dyn_ref::<RtcTrackEvent>().is_some() {
                attach(seat);
            }
        });
        let watched = pc.clone();
        let on_state: Handler = Closure::new(move |_| {
            // Media that cannot get through (a network change mid-call) is set up again by the
            // side that offers; the socket's reconnection covers the rest.
            if watched.connection_state() == web_sys::RtcPeerConnectionState::Failed {
                let me = signals().and_then(|s| s.call.with_untracked(|c| c.me));
                if me.is_some_and(|me| offers_to(me, seat)) {
                    queue(Work::Steps(vec![Step::Close(seat), Step::Offer(seat)]));
                }
            }
        });
        pc.set_onicecandidate(Some(on_candidate.as_ref().unchecked_ref()));
        pc.set_ontrack(Some(on_track.as_ref().unchecked_ref()));
        pc.set_onconnectionstatechange(Some(on_state.as_ref().unchecked_ref()));
        let (mut audio, mut video) = (None, None);
        if offerer {
            let init = RtcRtpTransceiverInit::new();
            init.set_direction(RtcRtpTransceiverDirection::Sendrecv);
            let a = pc.add_transceiver_with_str_and_init("audio", &init);
            let v = pc.add_transceiver_with_str_and_init("video", &init);
            JsFuture::from(a.sender().replace_track(local_track("audio").as_ref())).await?;
            JsFuture::from(v.sender().replace_track(picture().as_ref())).await?;
            audio = Some(a);
            video = Some(v);
        }
        let pending = with(|r| r.early.remove(&seat)).unwrap_or_default();
        let conn = Conn { pc, audio, video, pending, described: false, last_packets: (0.0, 0.0), _handlers: vec![on_candidate, on_track, on_state] };
        let replaced = with(|r| r.conns.insert(seat, conn));
        drop(replaced);
        Ok(())
    }

    /// The answerer's side: after the offer is applied, send our microphone and picture on the
    /// lines it opened.
    async fn send_own_media(seat: Seat) -> Result<(), JsValue> {
        let Some(pc) = pc_of(seat) else { return Ok(()) };
        let (mut audio, mut video) = (None, None);
        for transceiver in pc.get_transceivers() {
            let Ok(transceiver) = transceiver.dyn_into::<RtcRtpTransceiver>() else { continue };
            let kind = transceiver.receiver().track().kind();
            transceiver.set_direction(RtcRtpTransceiverDirection::Sendrecv);
            let track = if kind == "audio" { local_track("audio") } else { picture() };
            JsFuture::from(transceiver.sender().replace_track(track.as_ref())).await?;
            if kind == "audio" { audio = Some(transceiver) } else { video = Some(transceiver) }
        }
        with(|r| {
            if let Some(conn) = r.conns.get_mut(&seat) {
                conn.audio = audio;
                conn.video = video;
            }
        });
        Ok(())
    }

    /// Plays `seat`'s tracks in their tile (`#video-seat-N`), once both exist: a stream of
    /// what the connection's receivers carry now, given to the element only when that changed
    /// (a new stream restarts the element's loading).
    pub fn attach(seat: Seat) {
        let Some(pc) = pc_of(seat) else { return };
        let Some(video) = video_element(&format!("video-seat-{}", seat.0)) else { return };
        let tracks: Vec<MediaStreamTrack> = pc.get_receivers().iter().filter_map(|r| r.dyn_into::<web_sys::RtcRtpReceiver>().ok()).map(|r| r.track()).collect();
        let ids = |list: &mut dyn Iterator<Item = MediaStreamTrack>| {
            let mut ids: Vec<String> = list.map(|t| t.id()).collect();
            ids.sort();
            ids
        };
        let shown = video.src_object().map(|s| ids(&mut s.get_tracks().iter().filter_map(|t| t.dyn_into::<MediaStreamTrack>().ok()))).unwrap_or_default();
        if tracks.is_empty() || ids(&mut tracks.iter().cloned()) == shown {
            return;
        }
        let list = js_sys::Array::new();
        for track in &tracks {
            list.push(track);
        }
        match MediaStream::new_with_tracks(&list) {
            Ok(stream) => {
                video.set_src_object(Some(&stream));
                play(video);
            }
            Err(e) => report("their picture", &e),
        }
    }

    /// Once a second: who speaks loudest (highlighted), and how this browser's connections are
    /// doing (the others are told when it turns poor, and when it recovers).
    fn start_stats() {
        if with(|r| r.stats.is_some()) {
            return;
        }
        let stats = Interval::new(1000, || spawn_local(look_at_stats()));
        with(|r| r.stats = Some(stats));
    }

    fn number(stat: &JsValue, name: &str) -> Option<f64> {
        js_sys::Reflect::get(stat, &JsValue::from_str(name)).ok().and_then(|v| v.as_f64())
    }

    fn text(stat: &JsValue, name: &str) -> String {
        js_sys::Reflect::get(stat, &JsValue::from_str(name)).ok().and_then(|v| v.as_string()).unwrap_or_default()
    }

    async fn look_at_stats() {
        let Some(room) = signals() else { return };
        let conns: Vec<(Seat, RtcPeerConnection)> = with(|r| r.conns.iter().map(|(s, c)| (*s, c.pc.clone())).collect());
        let mut levels = Vec::new();
        if let Some(me) = room.call.with_untracked(|c| c.audio.then_some(c.me).flatten()) {
            levels.push((me, with(|r| r.level) / 3.0));
        }
        let mut worst = Quality::Good;
        for (seat, pc) in conns {
            let Ok(report) = JsFuture::from(pc.get_stats()).await else { continue };
            let mut level = 0.0;
            let (mut received, mut lost, mut round_trip) = (0.0, 0.0, None);
            // The report is a read-only map; its values are the statistics objects.
            let values = js_sys::Reflect::get(&report, &"values".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&report).ok())
                .map(|iterator| js_sys::Array::from(&iterator))
                .unwrap_or_default();
            for stat in values {
                match text(&stat, "type").as_str() {
                    "inbound-rtp" => {
                        if text(&stat, "kind") == "audio" {
                            level = number(&stat, "audioLevel").unwrap_or(0.0);
                        }
                        received += number(&stat, "packetsReceived").unwrap_or(0.0);
                        lost += number(&stat, "packetsLost").unwrap_or(0.0);
                    }
                    "candidate-pair" if text(&stat, "state") == "succeeded" => {
                        if let Some(rtt) = number(&stat, "currentRoundTripTime") {
                            round_trip = Some(rtt);
                        }
                    }
                    _ => {}
                }
            }
            levels.push((seat, level));
            let before = with(|r| r.conns.get_mut(&seat).map(|c| std::mem::replace(&mut c.last_packets, (received, lost)))).unwrap_or((0.0, 0.0));
            let (got, missed) = ((received - before.0).max(0.0), (lost - before.1).max(0.0));
            let per_mille = if got + missed > 0.0 { (missed * 1000.0 / (got + missed)) as u32 } else { 0 };
            let rtt_ms = round_trip.map_or(0, |s| (s * 1000.0) as u32);
            if Quality::from_stats(rtt_ms, per_mille) == Quality::Poor {
                worst = Quality::Poor;
            }
        }
        let speaking = loudest(&levels);
        let changed = room.call.try_update(|c| {
            if c.speaking != speaking {
                c.speaking = speaking;
            }
            let changed = c.quality != worst;
            c.quality = worst;
            changed
        });
        if changed == Some(true) {
            send(ClientMessage::Quality { quality: worst });
        }
    }

    fn tell_media() {
        if let Some((audio, video)) = signals().map(|s| s.call.with_untracked(|c| (c.audio, c.video))) {
            send(ClientMessage::Media { audio, video });
        }
    }

    /// Turns the microphone off or on, and tells the room.
    pub fn toggle_audio() {
        let Some(track) = local_track("audio") else { return };
        let on = !track.enabled();
        track.set_enabled(on);
        if let Some(room) = signals() {
            room.call.update(|c| c.audio = on);
        }
        tell_media();
    }

    /// Turns the camera off or on, and tells the room.
    pub fn toggle_video() {
        let Some(track) = local_track("video") else { return };
        let on = !track.enabled();
        track.set_enabled(on);
        if let Some(room) = signals() {
            room.call.update(|c| c.video = on);
        }
        tell_media();
    }

    /// Puts `track` (the screen, or the camera again) on every connection's video line.
    async fn send_picture(track: Option<MediaStreamTrack>) {
        let senders: Vec<RtcRtpTransceiver> = with(|r| r.conns.values().filter_map(|c| c.video.clone()).collect());
        for transceiver in senders {
            if let Err(e) = JsFuture::from(transceiver.sender().replace_track(track.as_ref())).await {
                report("picture", &e);
            }
        }
    }

    /// Shares the screen (or a window of it) with the room in place of the camera, or stops.
    pub fn toggle_screen() {
        spawn_local(async {
            if let Some(screen) = with(|r| r.screen.take()) {
                return stop_sharing(screen).await;
            }
            let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else { return };
            let Ok(promise) = devices.get_display_media() else { return };
            let stream: MediaStream = match JsFuture::from(promise).await {
                Ok(s) => s.unchecked_into(),
                // They chose not to share: nothing changes.
                Err(e) => return report("screen", &e),
            };
            let Some(track) = stream.get_video_tracks().get(0).dyn_into::<MediaStreamTrack>().ok() else { return };
            // The browser's own "stop sharing" bar ends it too.
            let ended: Handler = Closure::new(|_| {
                spawn_local(async {
                    if let Some(screen) = with(|r| r.screen.take()) {
                        stop_sharing(screen).await;
                    }
                })
            });
            track.set_onended(Some(ended.as_ref().unchecked_ref()));
            ended.forget();
            with(|r| r.screen = Some(track.clone()));
            send_picture(Some(track)).await;
            if let Some(room) = signals() {
                room.call.update(|c| c.sharing_screen = true);
            }
            send(ClientMessage::Share { sharing: Some(Sharing::Screen) });
        });
    }

    async fn stop_sharing(screen: MediaStreamTrack) {
        screen.set_onended(None);
        screen.stop();
        send_picture(local_track("video")).await;
        if let Some(room) = signals() {
            room.call.update(|c| c.sharing_screen = false);
        }
        send(ClientMessage::Share { sharing: None });
    }

    fn stop_media() {
        let (local, screen, meter, stats, context) = with(|r| (r.local.take(), r.screen.take(), r.meter.take(), r.stats.take(), r.audio_context.take()));
        let presence = with(|r| r.presence.take());
        drop(presence);
        if let Some(stream) = local {
            stop_tracks(&stream);
        }
        if let Some(track) = screen {
            track.stop();
        }
        drop((meter, stats));
        if let Some(context) = context {
            let _ = context.close();
        }
        with(|r| r.analyser = None);
    }

    /// Leaves the hearing (or the pre-join check): says goodbye, closes every connection and
    /// turns camera and microphone off.
    pub fn leave() {
        let in_call = signals().is_some_and(|s| s.call.with_untracked(|c| matches!(c.phase, Phase::Connecting | Phase::Waiting | Phase::InRoom | Phase::Reconnecting)));
        if in_call {
            send(ClientMessage::Leave);
            if let Some(room) = signals() {
                room.call.update(|c| c.phase = Phase::Left);
            }
        }
        let (ws, conns, handlers) = with(|r| (r.ws.take(), std::mem::take(&mut r.conns), std::mem::take(&mut r.window_handlers)));
        if let Some(ws) = ws {
            forget_socket(&ws);
        }
        drop(conns);
        if let Some(window) = web_sys::window() {
            if let [offline, online] = handlers.as_slice() {
                let _ = window.remove_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
                let _ = window.remove_event_listener_with_callback("online", online.as_ref().unchecked_ref());
            }
        }
        stop_media();
        with(|r| {
            r.queue.clear();
            r.signals = None;
        });
    }
}
