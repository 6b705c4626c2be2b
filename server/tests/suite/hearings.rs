//! The online hearing's signalling socket over a real WebSocket: who may open it, the waiting
//! room (nothing of the room reaches someone not let in), the judge's commands refused to
//! others, a dropped connection that comes back without waiting again, and the audit log.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use crate::support::filing::*;
use crate::support::*;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, http::HeaderValue};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An online hearing scheduled tomorrow in a party's accepted case: the hearing's id, the
/// party's session token, the case's id and the party's browser.
async fn online_hearing(app: &App, mobile: &str, name: &str) -> (i64, String, i64, reqwest::Client) {
    let party = browser();
    let token = sign_in(app, &party, mobile).await;
    let (status, body, _) = call(app, &party, "verify", &[("legal_name", name), ("id_number", &registry_id(name))]).await;
    assert_eq!(status, 200, "{body}");
    let (number, clerk) = accepted_case(app, &party, &format!("hearing-{mobile}-0123456789")).await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    let day = app.state.app.clock.now().beijing_day() + 1;
    let date = app::identity::model::UnixTime::beijing_midnight(day).shanghai()[..10].to_string();
    let case_id = case.to_string();
    let form = [("case_id", case_id.as_str()), ("date", date.as_str()), ("time", "09:30"), ("minutes", "60"), ("mode", "online"), ("courtroom", "")];
    let (status, hearing, _) = call(app, &clerk, "cases/schedule_hearing", &form).await;
    assert_eq!(status, 200, "{hearing}");
    (hearing["id"].as_i64().expect("hearing id"), token, case, party)
}

fn request(app: &App, hearing: i64, token: Option<&str>, origin: Option<&str>) -> tungstenite::handshake::client::Request {
    let url = format!("{}/hearings/{hearing}/socket", app.base.replacen("http://", "ws://", 1));
    let mut req = url.into_client_request().expect("request");
    if let Some(token) = token {
        req.headers_mut().insert("cookie", HeaderValue::from_str(&format!("tp_session={token}")).expect("cookie"));
    }
    req.headers_mut().insert("origin", HeaderValue::from_str(origin.unwrap_or(&app.base)).expect("origin"));
    req
}

/// Opens the socket, or answers the HTTP status it was refused with.
async fn open(app: &App, hearing: i64, token: Option<&str>) -> Result<Socket, u16> {
    open_from(app, hearing, token, None).await
}

async fn open_from(app: &App, hearing: i64, token: Option<&str>, origin: Option<&str>) -> Result<Socket, u16> {
    match tokio_tungstenite::connect_async(request(app, hearing, token, origin)).await {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("socket: {e}"),
    }
}

async fn say(socket: &mut Socket, message: Value) {
    socket.send(tungstenite::Message::Text(message.to_string().into())).await.expect("send");
}

/// The next message, or None if nothing comes within half a second.
async fn next(socket: &mut Socket) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_millis(500), socket.next()).await {
            Ok(Some(Ok(tungstenite::Message::Text(t)))) => return Some(serde_json::from_str(t.as_str()).expect("json")),
            Ok(Some(Ok(tungstenite::Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) | Err(_) => return None,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

/// Reads messages until one of `kind` arrives (failing if none does).
async fn expect_kind(socket: &mut Socket, kind: &str) -> Value {
    let mut seen = vec![];
    while let Some(m) = next(socket).await {
        if m["type"] == kind {
            return m;
        }
        seen.push(m);
    }
    panic!("no {kind} message; got {seen:?}");
}

/// Every message that arrives within half a second of quiet.
/// Asks `probe` again every 0.1 s for up to five seconds until it answers Some: the room writes
/// what a change leaves to write (audit entries, chat lines, the end) just after telling the
/// browsers, so a test that heard of it may look a moment before it is stored.
async fn stored<T, F, Fut>(mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..50 {
        if let Some(found) = probe().await {
            return Some(found);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

async fn drain(socket: &mut Socket) -> Vec<Value> {
    let mut all = vec![];
    while let Some(m) = next(socket).await {
        all.push(m);
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_people_the_court_expects_open_the_socket_and_a_party_must_have_just_stepped_up() {
    let app = start(&[]).await;
    let (hearing, party, _, _) = online_hearing(&app, "13800138000", "张三").await;

    assert_eq!(open(&app, hearing, None).await.err(), Some(401), "signed out");
    let stranger = browser();
    let stranger_token = sign_in(&app, &stranger, "13800138001").await;
    call(&app, &stranger, "verify", &[("legal_name", "李四"), ("id_number", &registry_id("李四"))]).await;
    assert_eq!(open(&app, hearing, Some(&stranger_token)).await.err(), Some(404), "someone not in the case");
    let other_court = staff_token(&app, "京0101", "judge", "赵法官").await;
    assert_eq!(open(&app, hearing, Some(&other_court)).await.err(), Some(404), "a judge of another court");
    let mediator = staff_token(&app, "京0105", "mediator", "钱调解员").await;
    assert_eq!(open(&app, hearing, Some(&mediator)).await.err(), Some(404), "staff who do not hold hearings");
    assert_eq!(open(&app, hearing + 1000, Some(&party)).await.err(), Some(404), "no such hearing");
    assert_eq!(open_from(&app, hearing, Some(&party), Some("https://evil.example")).await.err(), Some(403), "a page of another site");

    // The step-up at sign-in lasts five minutes; after that the party confirms who they are again.
    advance(&app, 6 * 60);
    assert_eq!(open(&app, hearing, Some(&party)).await.err(), Some(403), "no recent step-up");

    // A courtroom hearing has no socket at all.
    sqlx::query("UPDATE case_hearings SET mode = 'courtroom', courtroom = '第一法庭' WHERE id = ?").bind(hearing).execute(&app.state.app.db).await.expect("courtroom");
    let judge = staff_token(&app, "京0105", "judge", "王法官").await;
    assert_eq!(open(&app, hearing, Some(&judge)).await.err(), Some(404));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_waits_unseen_until_the_judge_lets_them_in_and_only_then_receives_offers() {
    let app = start(&[]).await;
    let (hearing, party_token, _, _) = online_hearing(&app, "13800138000", "张三").await;
    let judge_token = staff_token(&app, "京0105", "judge", "王法官").await;

    // The party arrives early: they wait, and learn nothing of the room.
    let mut party = open(&app, hearing, Some(&party_token)).await.expect("party");
    let waiting = expect_kind(&mut party, "waiting").await;
    let party_seat = waiting["seat"].clone();

    let mut judge = open(&app, hearing, Some(&judge_token)).await.expect("judge");
    let admitted = expect_kind(&mut judge, "admitted").await;
    let judge_seat = admitted["seat"].clone();
    let lobby = expect_kind(&mut judge, "lobby").await;
    assert_eq!(lobby["waiting"][0]["name"], "张三");
    assert_eq!(lobby["waiting"][0]["role"], "party");
    say(&mut judge, json!({ "type": "ready", "audio": true, "video": true })).await;

    // Offers and chat in the room do not reach the waiting room; offering to them is refused.
    say(&mut judge, json!({ "type": "offer", "to": { "seat": party_seat }, "sdp": "v=0" })).await;
    assert_eq!(expect_kind(&mut judge, "refused").await["key"], "error_hearing_no_such_seat");
    say(&mut judge, json!({ "type": "chat", "text": "现在开庭" })).await;
    assert!(drain(&mut party).await.is_empty(), "nothing reaches someone waiting");
    // Nor can they send anything into the room.
    say(&mut party, json!({ "type": "offer", "to": { "seat": judge_seat }, "sdp": "v=0" })).await;
    assert_eq!(expect_kind(&mut party, "refused").await["key"], "error_hearing_not_in_room");

    // Judge-only commands are refused to the party, even once let in.
    say(&mut party, json!({ "type": "admit", "seat": party_seat })).await;
    assert_eq!(expect_kind(&mut party, "refused").await["key"], "error_hearing_not_in_room");
    say(&mut judge, json!({ "type": "admit", "seat": party_seat })).await;
    let admitted = expect_kind(&mut party, "admitted").await;
    assert_eq!(admitted["peers"][0]["name"], "王法官");
    assert_eq!(admitted["peers"][0]["role"], "judge");
    say(&mut party, json!({ "type": "ready", "audio": true, "video": false })).await;
    let joined = expect_kind(&mut judge, "joined").await;
    assert_eq!(joined["peer"]["name"], "张三");
    for command in [json!({ "type": "mute_other", "seat": judge_seat }), json!({ "type": "end" }), json!({ "type": "remove", "seat": judge_seat })] {
        say(&mut party, command).await;
        let refused = expect_kind(&mut party, "refused").await;
        assert!(["error_hearing_not_judge", "error_hearing_not_host"].contains(&refused["key"].as_str().unwrap_or_default()), "{refused}");
    }

    // Now signalling passes between them, named by seat, never by person.
    say(&mut party, json!({ "type": "offer", "to": { "seat": judge_seat }, "sdp": "v=0 party" })).await;
    let offer = expect_kind(&mut judge, "offer").await;
    assert_eq!((offer["from"].clone(), offer["sdp"].clone()), (party_seat.clone(), json!("v=0 party")));
    say(&mut judge, json!({ "type": "answer", "to": { "seat": party_seat }, "sdp": "v=0 judge" })).await;
    assert_eq!(expect_kind(&mut party, "answer").await["sdp"], "v=0 judge");
    // Not a protocol message: refused, and the connection stays.
    party.send(tungstenite::Message::Text(r#"{"type":"make_me_judge"}"#.into())).await.expect("send");
    assert_eq!(expect_kind(&mut party, "refused").await["key"], "error_hearing_bad_message");

    // The judge mutes the party, then ends the hearing for everyone.
    say(&mut judge, json!({ "type": "mute_other", "seat": party_seat })).await;
    assert_eq!(expect_kind(&mut party, "muted_by").await["by"], judge_seat);
    say(&mut judge, json!({ "type": "end" })).await;
    expect_kind(&mut party, "ended").await;
    let mut late = open(&app, hearing, Some(&party_token)).await.expect("late");
    assert_eq!(expect_kind(&mut late, "refused").await["key"], "error_hearing_ended");

    let expected = ["hearing.joined", "hearing.admitted", "hearing.muted", "hearing.ended"];
    let audited = || async {
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = ? ORDER BY seq").bind(format!("hearing:{hearing}")).fetch_all(&app.state.app.db).await.expect("audit");
        expected.iter().all(|e| actions.iter().any(|a| a == e)).then_some(()).ok_or(actions)
    };
    if stored(|| async { audited().await.ok() }).await.is_none() {
        panic!("{expected:?} in {:?}", audited().await.err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_back_within_ten_seconds_is_in_the_room_again_without_waiting() {
    let app = start(&[]).await;
    let (hearing, party_token, _, _) = online_hearing(&app, "13800138000", "张三").await;
    let clerk_token = staff_token(&app, "京0105", "clerk", "李书记").await;
    let mut clerk = open(&app, hearing, Some(&clerk_token)).await.expect("clerk");
    expect_kind(&mut clerk, "admitted").await;
    say(&mut clerk, json!({ "type": "ready", "audio": true, "video": true })).await;
    let mut party = open(&app, hearing, Some(&party_token)).await.expect("party");
    let seat = expect_kind(&mut party, "waiting").await["seat"].clone();
    say(&mut clerk, json!({ "type": "admit", "seat": seat })).await;
    expect_kind(&mut party, "admitted").await;
    say(&mut party, json!({ "type": "ready", "audio": true, "video": true })).await;
    expect_kind(&mut clerk, "joined").await;

    // The network drops (no goodbye): the room is told, and the party comes straight back.
    drop(party);
    assert_eq!(expect_kind(&mut clerk, "dropped").await["seat"], seat);
    let mut back = open(&app, hearing, Some(&party_token)).await.expect("back");
    let admitted = expect_kind(&mut back, "admitted").await;
    assert_eq!(admitted["seat"], seat, "the same seat, not the waiting room");
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = ? ORDER BY seq")
        .bind(format!("hearing:{hearing}"))
        .fetch_all(&app.state.app.db)
        .await
        .expect("audit");
    assert!(actions.iter().any(|a| a == "hearing.dropped") && actions.iter().any(|a| a == "hearing.reconnected"), "{actions:?}");

    // Saying goodbye frees the seat: coming back then means waiting again.
    say(&mut back, json!({ "type": "leave" })).await;
    assert_eq!(expect_kind(&mut clerk, "left").await["seat"], seat);
    let mut again = open(&app, hearing, Some(&party_token)).await.expect("again");
    expect_kind(&mut again, "waiting").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_is_kept_with_the_record_and_an_ended_hearing_cannot_be_joined_again() {
    let app = start(&[]).await;
    let (hearing, party_token, _, party) = online_hearing(&app, "13800138000", "张三").await;
    let judge_token = staff_token(&app, "京0105", "judge", "王法官").await;
    let mut judge = open(&app, hearing, Some(&judge_token)).await.expect("judge");
    expect_kind(&mut judge, "admitted").await;
    say(&mut judge, json!({ "type": "ready", "audio": true, "video": true })).await;
    let mut them = open(&app, hearing, Some(&party_token)).await.expect("party");
    let seat = expect_kind(&mut them, "waiting").await["seat"].clone();
    say(&mut judge, json!({ "type": "admit", "seat": seat })).await;
    expect_kind(&mut them, "admitted").await;
    say(&mut them, json!({ "type": "ready", "audio": true, "video": false })).await;
    say(&mut them, json!({ "type": "chat", "text": "  审判员，我能听到。 " })).await;
    assert_eq!(expect_kind(&mut judge, "chat").await["text"], "审判员，我能听到。");

    // The chat is the court's and the case's people's, kept with the hearing's record.
    let h = hearing.to_string();
    let chat = stored(|| async {
        let (status, chat, _) = call(&app, &party, "hearings/chat", &[("hearing_id", &h)]).await;
        assert_eq!(status, 200, "{chat}");
        chat.as_array().is_some_and(|lines| !lines.is_empty()).then_some(chat)
    })
    .await
    .expect("the chat line is kept");
    assert_eq!(chat[0]["name"], "张三");
    assert_eq!(chat[0]["text"], "审判员，我能听到。");
    let stranger = browser();
    sign_in(&app, &stranger, "13800138001").await;
    call(&app, &stranger, "verify", &[("legal_name", "李四"), ("id_number", &registry_id("李四"))]).await;
    let (status, _, _) = call(&app, &stranger, "hearings/chat", &[("hearing_id", &hearing.to_string())]).await;
    assert_eq!(status, 404, "someone not in the case reads nothing");

    // Before joining, the page learns the caller's role and whether they must step up again.
    let (status, entry, _) = call(&app, &party, "hearings/entry", &[("hearing_id", &hearing.to_string())]).await;
    assert_eq!(status, 200, "{entry}");
    assert_eq!((entry["role"].as_str(), entry["needs_step_up"].as_bool(), entry["ended"].as_bool()), (Some("party"), Some(false), Some(false)));
    let (status, _, _) = call(&app, &stranger, "hearings/entry", &[("hearing_id", &hearing.to_string())]).await;
    assert_eq!(status, 404);

    // The judge ends it: everyone is told, and no one joins it again, not even the judge.
    say(&mut judge, json!({ "type": "end" })).await;
    expect_kind(&mut them, "ended").await;
    let ended_at = stored(|| async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT ended_at FROM case_hearings WHERE id = ?").bind(hearing).fetch_one(&app.state.app.db).await.expect("hearing")
    })
    .await;
    assert!(ended_at.is_some(), "the end is kept, so a restarted server refuses too");
    let mut late = open(&app, hearing, Some(&judge_token)).await.expect("socket");
    assert_eq!(expect_kind(&mut late, "refused").await["key"], "error_hearing_ended");
    let (_, entry, _) = call(&app, &party, "hearings/entry", &[("hearing_id", &hearing.to_string())]).await;
    assert_eq!(entry["ended"], true);
    advance(&app, 6 * 60);
    let (_, entry, _) = call(&app, &party, "hearings/entry", &[("hearing_id", &hearing.to_string())]).await;
    assert_eq!(entry["needs_step_up"], true, "five minutes after sign-in the party confirms who they are again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clerk_publishes_the_record_and_each_party_accepts_it_or_objects_once_and_only_they_may() {
    let app = start(&[]).await;
    let (hearing, _, _, party) = online_hearing(&app, "13800138000", "张三").await;
    let h = hearing.to_string();
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let other_court = staff_browser(&app, "京0101", "clerk").await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let stranger = verified_browser(&app, "13800138001", "李四").await;
    let record = [("hearing_id", h.as_str()), ("body", "审判长：现在开庭。\n原告：到庭。")];

    // Before it is published there is nothing to read or review.
    assert_eq!(call(&app, &party, "hearings/record", &[("hearing_id", &h)]).await.0, 409);
    // Only the court's judges and clerks publish it.
    assert_eq!(call(&app, &party, "hearings/publish_record", &record).await.0, 403, "a party");
    assert_eq!(call(&app, &other_court, "hearings/publish_record", &record).await.0, 404, "a clerk of another court");
    assert_eq!(call(&app, &mediator, "hearings/publish_record", &record).await.0, 404, "a mediator");
    assert_eq!(call(&app, &browser(), "hearings/publish_record", &record).await.0, 401, "signed out");
    let (status, body, _) = call(&app, &clerk, "hearings/publish_record", &[("hearing_id", &h), ("body", "  ")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("error_required"), "{body}");
    assert_eq!(call(&app, &clerk, "hearings/publish_record", &record).await.0, 200);

    // The party is told in their inbox that the record waits for them, with a link to it.
    let (status, notices, _) = call(&app, &party, "filing/notifications", &[]).await;
    assert_eq!(status, 200, "{notices}");
    let told = notices.as_array().expect("notices").iter().find(|n| n["message"] == "notice_record_published").cloned();
    assert_eq!(told.map(|n| n["link"].clone()), Some(json!(format!("/hearings/{h}/record"))), "{notices}");
    let (_, theirs, _) = call(&app, &stranger, "filing/notifications", &[]).await;
    assert!(!theirs.to_string().contains("notice_record_published"), "someone outside the case is not told");

    // The case's people read it; no one else does.
    let (status, view, _) = call(&app, &party, "hearings/record", &[("hearing_id", &h)]).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["body"], "审判长：现在开庭。\n原告：到庭。");
    assert_eq!(view["published_by"], "王书记");
    assert_eq!(view["may_review"], true);
    assert_eq!(call(&app, &stranger, "hearings/record", &[("hearing_id", &h)]).await.0, 404);
    assert_eq!(call(&app, &other_court, "hearings/record", &[("hearing_id", &h)]).await.0, 404);

    // Only a party or their lawyer reviews; an objection needs its text; once only.
    assert_eq!(call(&app, &clerk, "hearings/review_record", &[("hearing_id", &h), ("decision", "accept")]).await.0, 403);
    assert_eq!(call(&app, &stranger, "hearings/review_record", &[("hearing_id", &h), ("decision", "accept")]).await.0, 404);
    let (status, body, _) = call(&app, &party, "hearings/review_record", &[("hearing_id", &h), ("decision", "object"), ("objection", " ")]).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("objection"), "{body}");
    let objection = [("hearing_id", h.as_str()), ("decision", "object"), ("objection", "原告当庭称已还款一万元，笔录未记载。")];
    assert_eq!(call(&app, &party, "hearings/review_record", &objection).await.0, 200);
    let (status, body, _) = call(&app, &party, "hearings/review_record", &[("hearing_id", &h), ("decision", "accept")]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("error_record_already_reviewed"));

    // The clerk sees the objection with who made it; the record, reviewed, can no longer change.
    let (_, view, _) = call(&app, &clerk, "hearings/record", &[("hearing_id", &h)]).await;
    assert_eq!(view["reviews"][0]["name"], "张三");
    assert_eq!(view["reviews"][0]["review"]["Objected"], "原告当庭称已还款一万元，笔录未记载。");
    assert_eq!(view["may_review"], false);
    let (status, body, _) = call(&app, &clerk, "hearings/publish_record", &record).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("error_record_reviewed"));
    let (_, mine, _) = call(&app, &party, "hearings/record", &[("hearing_id", &h)]).await;
    assert_eq!((mine["may_review"].clone(), mine["mine"]["Objected"].clone()), (json!(false), json!("原告当庭称已还款一万元，笔录未记载。")));

    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = ? ORDER BY seq")
        .bind(format!("hearing:{hearing}"))
        .fetch_all(&app.state.app.db)
        .await
        .expect("audit");
    assert_eq!(actions, ["hearing.record_published", "hearing.record_objected"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_lists_only_the_hearings_of_their_cases_or_their_court() {
    let app = start(&[]).await;
    let (hearing, _, _, party) = online_hearing(&app, "13800138000", "张三").await;
    let ids = |list: &Value| list.as_array().map(|l| l.iter().filter_map(|h| h["hearing_id"].as_i64()).collect::<Vec<_>>()).unwrap_or_default();

    let (status, mine, _) = call(&app, &party, "hearings/mine", &[]).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(ids(&mine), [hearing]);
    assert_eq!(mine[0]["role"], "party");
    let judge = staff_browser(&app, "京0105", "judge").await;
    let (status, court, _) = call(&app, &judge, "hearings/mine", &[]).await;
    assert_eq!(status, 200, "{court}");
    assert_eq!(ids(&court), [hearing], "the judge of the case's court");

    let stranger = verified_browser(&app, "13800138001", "李四").await;
    assert_eq!(ids(&call(&app, &stranger, "hearings/mine", &[]).await.1), Vec::<i64>::new(), "someone outside the case sees none");
    let other_court = staff_browser(&app, "京0101", "judge").await;
    assert_eq!(ids(&call(&app, &other_court, "hearings/mine", &[]).await.1), Vec::<i64>::new(), "a judge of another court sees none");
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    assert_eq!(call(&app, &mediator, "hearings/mine", &[]).await.0, 403, "a mediator holds no hearings");
    let unverified = browser();
    sign_in(&app, &unverified, "13800138002").await;
    assert_eq!(call(&app, &unverified, "hearings/mine", &[]).await.0, 403, "verify first");
    assert_eq!(call(&app, &browser(), "hearings/mine", &[]).await.0, 401, "signed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_shown_in_the_room_reaches_only_those_let_in_and_only_while_it_is_shown() {
    let app = start(&[]).await;
    let (hearing, party_token, _, party) = online_hearing(&app, "13800138000", "张三").await;
    let judge_token = staff_token(&app, "京0105", "judge", "王法官").await;
    let mut judge = open(&app, hearing, Some(&judge_token)).await.expect("judge");
    let documents = expect_kind(&mut judge, "documents").await;
    assert_eq!(documents["documents"].as_array().map(Vec::len), Some(1), "the case's one evidence file: {documents}");
    let file = documents["documents"][0]["id"].as_i64().expect("file id");
    assert!(documents["documents"][0]["title"].as_str().is_some_and(|t| t.contains("买卖合同")), "{documents}");
    let sha = documents["documents"][0]["sha256"].as_str().expect("sha").to_string();
    say(&mut judge, json!({ "type": "ready", "audio": true, "video": true })).await;

    let mut waiting = open(&app, hearing, Some(&party_token)).await.expect("party");
    let seat = expect_kind(&mut waiting, "waiting").await["seat"].clone();
    say(&mut judge, json!({ "type": "show_document", "document": file, "page": 1 })).await;
    assert_eq!(expect_kind(&mut judge, "showing").await["shown"]["document"]["id"], file);
    let url = format!("{}/hearings/{hearing}/documents/{file}", app.base);
    let status = |b: &reqwest::Client| {
        let req = b.get(&url);
        async move { req.send().await.expect("get").status().as_u16() }
    };
    assert!(drain(&mut waiting).await.iter().all(|m| m["type"] != "showing" && m["type"] != "documents"), "nothing of the room reaches the waiting room");
    assert_eq!(status(&party).await, 404, "not while waiting");

    say(&mut judge, json!({ "type": "admit", "seat": seat })).await;
    let shown = expect_kind(&mut waiting, "showing").await;
    assert_eq!(shown["shown"]["page"], 1);
    let answer = party.get(&url).send().await.expect("get");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers().get("x-content-sha256").and_then(|v| v.to_str().ok()), Some(sha.as_str()));
    assert!(answer.bytes().await.expect("body").starts_with(b"%PDF"));

    let stranger = browser();
    sign_in(&app, &stranger, "13800138001").await;
    call(&app, &stranger, "verify", &[("legal_name", "李四"), ("id_number", &registry_id("李四"))]).await;
    assert_eq!(status(&stranger).await, 404, "someone not in the case");
    assert_eq!(status(&browser()).await, 401, "signed out");
    let other_file = format!("{}/hearings/{hearing}/documents/{}", app.base, file + 1);
    assert_eq!(party.get(&other_file).send().await.expect("get").status(), 404, "only the file shown");

    // The party filed this evidence, so may show it too; a file not of the case is refused.
    say(&mut waiting, json!({ "type": "show_document", "document": file + 1000, "page": 1 })).await;
    assert_eq!(expect_kind(&mut waiting, "refused").await["key"], "error_hearing_no_such_document");
    say(&mut waiting, json!({ "type": "turn_page", "page": 2 })).await;
    assert_eq!(expect_kind(&mut waiting, "refused").await["key"], "error_hearing_not_presenting", "only the one showing turns pages");

    say(&mut judge, json!({ "type": "hide_document" })).await;
    assert_eq!(expect_kind(&mut waiting, "showing").await["shown"], Value::Null);
    assert_eq!(status(&party).await, 404, "no longer shown");

    let details = stored(|| async {
        sqlx::query_scalar::<_, String>("SELECT details FROM audit_log WHERE subject = ? AND action = 'hearing.document_shown'")
            .bind(format!("hearing:{hearing}"))
            .fetch_optional(&app.state.app.db)
            .await
            .expect("audit")
    })
    .await
    .expect("the showing is in the audit log");
    assert!(details.contains(&sha) && details.contains(&format!("\"file\":{file}")), "{details}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_hearing_socket_keeps_its_session_from_idling_out() {
    let app = start(&[]).await;
    let (hearing, party_token, _, party) = online_hearing(&app, "13800138000", "张三").await;
    let judge_token = staff_token(&app, "京0105", "judge", "王法官").await;
    let mut judge = open(&app, hearing, Some(&judge_token)).await.expect("judge");
    expect_kind(&mut judge, "admitted").await;
    let mut socket = open(&app, hearing, Some(&party_token)).await.expect("party");
    expect_kind(&mut socket, "waiting").await;
    // Twenty minutes twice without a page request: the session idles out after thirty, but the
    // socket, in use, keeps it alive.
    for _ in 0..2 {
        advance(&app, 20 * 60);
        say(&mut socket, json!({ "type": "chat", "text": "还在等候" })).await;
        next(&mut socket).await;
    }
    let last_seen: i64 = stored(|| async {
        let seen: i64 = sqlx::query_scalar("SELECT MAX(s.last_seen) FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.mobile = '13800138000' AND s.ended_at IS NULL")
            .fetch_one(&app.state.app.db)
            .await
            .expect("session");
        (seen >= app.state.app.clock.now().0).then_some(seen)
    })
    .await
    .expect("the socket marked the session in use");
    assert!(last_seen > 0);
    let (status, body, _) = call(&app, &party, "me", &[]).await;
    assert_eq!(status, 200, "still signed in after forty minutes in the hearing: {body}");
    assert!(!body.is_null(), "{body}");
}
