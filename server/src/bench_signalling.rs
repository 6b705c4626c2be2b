//! `server bench-signalling`: the hearings' signalling under load. A server on 127.0.0.1 with a
//! throwaway database gets H online hearings of four people each (a judge, a clerk and two
//! parties, the mesh's size), every one a real WebSocket client; the parties are let in from the
//! waiting room, then every client relays M ICE candidates to the next one in its hearing. It
//! reports the time to seat everyone, signalling messages delivered per second, and the
//! process's memory per connected participant.
use app::hearings::model::{ClientMessage, Peer, Seat, ServerMessage};
use app::identity::model::{DeviceProfile, IDLE_SECS, UnixTime};
use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, http::HeaderValue};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long any one step may take before the benchmark gives up.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

pub async fn signalling(hearings: usize, messages: usize) -> Result<(), String> {
    let data = std::env::temp_dir().join(format!("tianping-bench-signalling-{}", std::process::id()));
    let result = run(&data, hearings, messages).await;
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// One hearing's people, by their session tokens: judge, clerk, then the two parties.
struct Seeded {
    hearing: i64,
    tokens: [String; 4],
}

async fn run(data: &std::path::Path, hearings: usize, messages: usize) -> Result<(), String> {
    let (addr, state) = crate::bench::throwaway_server(data).await?;
    let db = state.app.db.clone();
    let now = state.app.clock.now();
    println!("== hearings' signalling: {hearings} hearings × 4 participants, {messages} ICE messages each");
    let seeded = seed(&db, hearings, now).await.map_err(|e| format!("seeding hearings: {e}"))?;
    let base = format!("ws://{addr}");
    let origin = format!("http://{addr}");
    let rss_before = rss_kib();

    // Everyone joins; the hosts go straight in, the judge lets each party in from the waiting room.
    let started = Instant::now();
    let mut rooms = Vec::with_capacity(hearings);
    for s in &seeded {
        rooms.push(seat_everyone(&base, &origin, s).await?);
    }
    let seated = started.elapsed();
    let participants = hearings * 4;
    let rss_seated = rss_kib();

    // Each client sends `messages` candidates to the next seat of its hearing, all at once.
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(participants);
    for room in rooms {
        let seats: Vec<Seat> = room.iter().map(|(seat, _)| *seat).collect();
        for (i, (_, socket)) in room.into_iter().enumerate() {
            let to = seats[(i + 1) % seats.len()];
            tasks.push(tokio::spawn(relay(socket, to, messages)));
        }
    }
    let mut delivered = 0usize;
    for task in tasks {
        delivered += task.await.map_err(|e| e.to_string())??;
    }
    let secs = started.elapsed().as_secs_f64();
    let expected = participants * messages;
    println!("seated {participants} participants in {:.2} s ({:.1} ms a hearing, waiting room and admission included)", seated.as_secs_f64(), seated.as_secs_f64() * 1000.0 / hearings as f64);
    println!("relayed {delivered} of {expected} messages in {secs:.2} s   {:.0} messages/s", delivered as f64 / secs);
    if let (Some(before), Some(after)) = (rss_before, rss_seated) {
        let per = after.saturating_sub(before) as f64 / participants as f64;
        println!("memory {per:.1} KiB per connected participant (process RSS {before} → {after} KiB; server and its simulated client together)");
    }
    if delivered != expected {
        return Err(format!("{delivered} of {expected} messages arrived"));
    }
    Ok(())
}

/// The process's resident memory now (KiB), from /proc.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()).and_then(|n| n.parse().ok())
}

async fn connect(base: &str, origin: &str, hearing: i64, token: &str) -> Result<Socket, String> {
    let mut request = format!("{base}/hearings/{hearing}/socket").into_client_request().map_err(|e| e.to_string())?;
    let headers = request.headers_mut();
    headers.insert("cookie", HeaderValue::from_str(&format!("tp_session={token}")).map_err(|e| e.to_string())?);
    headers.insert("origin", HeaderValue::from_str(origin).map_err(|e| e.to_string())?);
    let (socket, _) = tokio_tungstenite::connect_async(request).await.map_err(|e| format!("hearing {hearing}: {e}"))?;
    Ok(socket)
}

async fn say(socket: &mut Socket, message: &ClientMessage) -> Result<(), String> {
    let text = serde_json::to_string(message).map_err(|e| e.to_string())?;
    socket.send(tungstenite::Message::Text(text.into())).await.map_err(|e| e.to_string())
}

/// The next message the server sends that `pick` takes, skipping the others.
async fn wait_for<T>(socket: &mut Socket, pick: impl Fn(ServerMessage) -> Option<T>) -> Result<T, String> {
    let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
    loop {
        let next = tokio::time::timeout_at(deadline, socket.next()).await.map_err(|_| "no answer from the room".to_string())?;
        match next {
            Some(Ok(tungstenite::Message::Text(text))) => {
                let message: ServerMessage = serde_json::from_str(text.as_str()).map_err(|e| e.to_string())?;
                if let ServerMessage::Refused { key } = &message {
                    return Err(format!("refused: {key}"));
                }
                if let Some(found) = pick(message) {
                    return Ok(found);
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("the room closed the socket".into()),
        }
    }
}

fn admitted(m: ServerMessage) -> Option<Seat> {
    match m {
        ServerMessage::Admitted { seat, .. } => Some(seat),
        _ => None,
    }
}

/// Judge and clerk in, then each party through the waiting room; everyone ready.
async fn seat_everyone(base: &str, origin: &str, s: &Seeded) -> Result<Vec<(Seat, Socket)>, String> {
    let mut room = Vec::with_capacity(4);
    for token in &s.tokens[..2] {
        let mut host = connect(base, origin, s.hearing, token).await?;
        let seat = wait_for(&mut host, admitted).await?;
        room.push((seat, host));
    }
    for token in &s.tokens[2..] {
        let mut party = connect(base, origin, s.hearing, token).await?;
        let waiting = wait_for(&mut party, |m| match m {
            ServerMessage::Waiting { seat } => Some(seat),
            _ => None,
        })
        .await?;
        say(&mut room[0].1, &ClientMessage::Admit { seat: waiting }).await?;
        let seat = wait_for(&mut party, admitted).await?;
        room.push((seat, party));
    }
    for (_, socket) in &mut room {
        say(socket, &ClientMessage::Ready { audio: true, video: true }).await?;
    }
    Ok(room)
}

/// Sends `messages` candidates to `to` while reading what arrives; answers how many candidates
/// this client received (the previous seat sends it as many).
async fn relay(socket: Socket, to: Seat, messages: usize) -> Result<usize, String> {
    let (mut sink, mut stream) = socket.split();
    let sending = async move {
        for n in 0..messages {
            let message = ClientMessage::Ice {
                to: Peer::Seat(to),
                candidate: format!("candidate:{n} 1 udp 2122260223 192.168.1.{} 5{n:04} typ host generation 0", n % 250),
                sdp_mid: Some("0".into()),
                sdp_m_line_index: Some(0),
            };
            let text = serde_json::to_string(&message).map_err(|e| e.to_string())?;
            sink.send(tungstenite::Message::Text(text.into())).await.map_err(|e| e.to_string())?;
        }
        Ok::<_, String>(sink)
    };
    let receiving = async move {
        let mut got = 0;
        while got < messages {
            match tokio::time::timeout(STEP_TIMEOUT, stream.next()).await {
                Ok(Some(Ok(tungstenite::Message::Text(text)))) => {
                    if text.as_str().contains("\"type\":\"ice\"") {
                        got += 1;
                    }
                }
                Ok(Some(Ok(_))) => {}
                _ => break,
            }
        }
        got
    };
    let (sent, got) = tokio::join!(sending, receiving);
    let mut sink = sent?;
    let _ = sink.close().await;
    Ok(got)
}

/// H online hearings at 京0105, each in its own case with two verified parties (the filer and a
/// respondent who uses Tianping), and one judge and one clerk for them all; a fresh, stepped-up
/// session for each person. Written straight into the database: signing in is not what is
/// measured.
async fn seed(db: &sqlx::SqlitePool, hearings: usize, now: UnixTime) -> Result<Vec<Seeded>, sqlx::Error> {
    let mut tx = app::ssr::db::write_tx(db).await?;
    let staff = |role: &'static str, name: &'static str| {
        sqlx::query_scalar::<_, i64>("INSERT INTO people (kind, court_code, role, created_at, legal_name) VALUES ('staff', '京0105', ?, ?, ?) RETURNING id")
            .bind(role)
            .bind(now.0)
            .bind(name)
    };
    let judge = staff("judge", "王法官").fetch_one(&mut *tx).await?;
    let clerk = staff("clerk", "李书记").fetch_one(&mut *tx).await?;
    let mut people = Vec::with_capacity(hearings);
    for n in 0..hearings {
        let mut party = [0i64; 2];
        for (k, id) in party.iter_mut().enumerate() {
            *id = sqlx::query_scalar("INSERT INTO people (mobile, created_at, legal_name, verified_at) VALUES (?, ?, ?, ?) RETURNING id")
                .bind(format!("139{:08}", n * 2 + k))
                .bind(now.0)
                .bind(format!("当事人{}", n * 2 + k))
                .bind(now.0)
                .fetch_one(&mut *tx)
                .await?;
        }
        let case = crate::bench::accepted_case(&mut tx, party[0], clerk, n as i64 + 1, now).await?;
        sqlx::query("INSERT INTO case_parties (case_id, n, role, kind, name, address, person_id) VALUES (?, 1, 'respondent', 'person', ?, '北京市朝阳区', ?)")
            .bind(case)
            .bind(format!("当事人{}", n * 2 + 1))
            .bind(party[1])
            .execute(&mut *tx)
            .await?;
        let hearing: i64 = sqlx::query_scalar(
            "INSERT INTO case_hearings (case_id, starts_at, minutes, mode, public, scheduled_by, scheduled_at) VALUES (?, ?, 60, 'online', 0, ?, ?) RETURNING id",
        )
        .bind(case)
        .bind(now.0 + 3600)
        .bind(clerk)
        .bind(now.0)
        .fetch_one(&mut *tx)
        .await?;
        people.push((hearing, party));
    }
    tx.commit().await?;
    let judge_token = session(db, judge, now).await?;
    let clerk_token = session(db, clerk, now).await?;
    let mut seeded = Vec::with_capacity(hearings);
    for (hearing, [first, second]) in people {
        let tokens = [judge_token.clone(), clerk_token.clone(), session(db, first, now).await?, session(db, second, now).await?];
        seeded.push(Seeded { hearing, tokens });
    }
    Ok(seeded)
}

/// A signed-in, just stepped-up session for `person`: its cookie token.
async fn session(db: &sqlx::SqlitePool, person: i64, now: UnixTime) -> Result<String, sqlx::Error> {
    let (token, hash) = app::ssr::session::new_token();
    let new = app::identity::store::NewSession {
        token_hash: &hash,
        person_id: person,
        now,
        idle_secs: IDLE_SECS,
        kiosk_device: None,
        browser: "benchmark",
        profile: DeviceProfile::Desktop,
        place: "127.0.0.1",
        stepped_up: true,
    };
    app::identity::store::create_session(db, new).await?;
    Ok(token)
}
