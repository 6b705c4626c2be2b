//! A person's notices over HTTP: the inbox and its unread count, opening a notice, the choice of
//! channels, Web Push through the sandbox push service (decrypted here with the device's own
//! keys, the VAPID signature checked), and the private calendar feed.

use reqwest::StatusCode as S;
use serde_json::Value;
use crate::support::filing::*;
use crate::support::*;
use web_push_native::jwt_simple::prelude::*;
use web_push_native::p256;

async fn unread(app: &App, b: &reqwest::Client) -> Value {
    call(app, b, "notices/unread", &[]).await.1["unread"].clone()
}

async fn notices(app: &App, b: &reqwest::Client) -> Vec<Value> {
    call(app, b, "filing/notifications", &[]).await.1.as_array().cloned().unwrap_or_default()
}

fn no_cookies() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_notice_marks_it_read_and_lowers_the_count_and_nobody_else_may_open_it() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    accepted_case(&app, &litigant, "notices-open-0123456789").await;
    assert_eq!(call(&app, &browser(), "notices/unread", &[]).await.1, Value::Null, "a visitor has no inbox");
    let before = unread(&app, &litigant).await.as_u64().expect("a count");
    assert!(before >= 1, "the acceptance was told: {before}");
    let first = notices(&app, &litigant).await.into_iter().find(|n| n["read"] == false).expect("an unread notice");
    let id = first["id"].as_i64().expect("id");

    let other = verified_browser(&app, "13800138001", "李四").await;
    let res = other.get(format!("{}/inbox/{id}", app.base)).send().await.expect("open");
    assert_eq!(res.status(), S::NOT_FOUND, "someone else's notice");
    let res = browser().get(format!("{}/inbox/{id}", app.base)).send().await.expect("open");
    assert_eq!(res.headers()["location"], format!("/signin?next=/inbox/{id}").as_str(), "a visitor signs in first");

    let res = litigant.get(format!("{}/inbox/{id}", app.base)).send().await.expect("open");
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], first["link"].as_str().expect("link"));
    assert_eq!(unread(&app, &litigant).await.as_u64(), Some(before - 1));
    let again = litigant.get(format!("{}/inbox/{id}", app.base)).send().await.expect("open");
    assert!(again.status().is_redirection());
    assert_eq!(unread(&app, &litigant).await.as_u64(), Some(before - 1), "opening twice counts once");

    let page = litigant.get(format!("{}/inbox", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("data-testid=\"inbox-list\""), "the inbox lists notices");
    let left = before - 1;
    let cases = litigant.get(format!("{}/cases", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(cases.contains("data-testid=\"inbox-link\""), "My cases leads to the inbox");
    assert_eq!(cases.contains("data-testid=\"inbox-count\""), left > 0, "with a count only when something is unread");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_turns_texts_off_gets_no_sms_but_still_every_notice_in_the_inbox() {
    let app = start(&[]).await;
    let (_, clerk, client, case) = lawyers_case(&app).await;
    let (status, body, _) = call(&app, &client, "notices/set_channels", &[("push", "on")]).await;
    assert_eq!(status, S::OK, "{body}");
    let channels = call(&app, &client, "notices/channels", &[]).await.1;
    assert_eq!((channels["sms"].clone(), channels["push"].clone()), (Value::Bool(false), Value::Bool(true)));
    let sms_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_sms WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("sms");
    let day = app.state.app.clock.now().beijing_day() + 10;
    let date = app::identity::model::UnixTime::beijing_midnight(day).shanghai()[..10].to_string();
    let (status, body, _) = call(&app, &clerk, "cases/schedule_hearing", &[("case_id", &case.to_string()), ("date", &date), ("time", "09:30"), ("minutes", "60"), ("mode", "online")]).await;
    assert_eq!(status, S::OK, "{body}");
    let sms_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_sms WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("sms");
    assert_eq!(sms_after, sms_before, "no text for someone who turned texts off");
    assert!(notices(&app, &client).await.iter().any(|n| n["message"] == "notice_hearing_scheduled"), "the inbox keeps it");
    let lawyer_texts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_sms WHERE mobile = '13800138009' AND text LIKE '%开庭%'").fetch_one(&app.state.app.db).await.expect("sms");
    assert_eq!(lawyer_texts, 1, "the lawyer kept texts on and is told");
    assert_eq!(call(&app, &browser(), "notices/set_channels", &[]).await.0, S::UNAUTHORIZED);
}

/// A device's keys as a browser makes them (fixed, so the test reads the same every time).
fn device() -> (p256::SecretKey, [u8; 16], String, String) {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let secret = p256::SecretKey::from_slice(&[7u8; 32]).expect("key");
    let auth = [9u8; 16];
    let p256dh = app::ui::base64url::b64url_encode(secret.public_key().to_encoded_point(false).as_bytes());
    (secret, auth, p256dh, app::ui::base64url::b64url_encode(&auth))
}

async fn pushes(app: &App, endpoint: &str) -> Vec<(String, String, Vec<u8>)> {
    sqlx::query_as("SELECT authorization, encoding, body FROM sandbox_push WHERE endpoint = ? ORDER BY id").bind(endpoint).fetch_all(&app.state.app.db).await.expect("pushes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_notice_is_pushed_once_encrypted_to_the_device_and_signed_with_our_vapid_key() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, case) = lawyers_case(&app).await;
    // What the case's filing and acceptance told has been handed to the push sender.
    for _ in 0..50 {
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE pushed_at IS NULL").fetch_one(&app.state.app.db).await.expect("notices");
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let (secret, auth, p256dh, auth64) = device();
    let endpoint = "https://push.example.test/send/device-1";
    for bad in [
        vec![("endpoint", "http://push.example.test/x"), ("p256dh", p256dh.as_str()), ("auth", auth64.as_str())],
        vec![("endpoint", endpoint), ("p256dh", "AAAA"), ("auth", auth64.as_str())],
        vec![("endpoint", endpoint), ("p256dh", p256dh.as_str()), ("auth", "c2hvcnQ")],
    ] {
        let (status, body, _) = call(&app, &client, "notices/subscribe", &bad).await;
        assert_eq!(status, S::UNPROCESSABLE_ENTITY, "{bad:?}: {body}");
    }
    assert_eq!(call(&app, &browser(), "notices/subscribe", &[("endpoint", endpoint), ("p256dh", &p256dh), ("auth", &auth64)]).await.0, S::UNAUTHORIZED);
    let (status, body, _) = call(&app, &client, "notices/subscribe", &[("endpoint", endpoint), ("p256dh", &p256dh), ("auth", &auth64)]).await;
    assert_eq!(status, S::OK, "{body}");
    // The lawyer turned push off: their device gets nothing.
    let lawyer_endpoint = "https://push.example.test/send/lawyer";
    assert_eq!(call(&app, &lawyer, "notices/subscribe", &[("endpoint", lawyer_endpoint), ("p256dh", &p256dh), ("auth", &auth64)]).await.0, S::OK);
    assert_eq!(call(&app, &lawyer, "notices/set_channels", &[("sms", "on")]).await.0, S::OK);
    let key = call(&app, &client, "notices/channels", &[]).await.1["push_key"].as_str().expect("push key").to_string();

    let (today, time) = {
        crate::support::advance(&app, 120);
        let stamp = app.state.app.clock.now().shanghai();
        let (d, t) = stamp.split_once(' ').expect("stamp");
        (d.to_string(), t.to_string())
    };
    let form = [("case_id", case.to_string()), ("kind", "mediation".into()), ("date", today), ("time", time), ("request_key", "push-event-0123456789".into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(call(&app, &clerk, "cases/record_event", &form).await.0, S::OK);

    let mut got = Vec::new();
    for _ in 0..50 {
        got = pushes(&app, endpoint).await;
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(got.len(), 1, "the notice was pushed");
    let (authorization, encoding, body) = got.remove(0);
    assert_eq!(encoding, "aes128gcm");
    let plain = web_push_native::decrypt(body, &secret, &auth.into()).expect("the device can decrypt it");
    let message: Value = serde_json::from_slice(&plain).expect("JSON");
    assert_eq!(message["title"], "天平");
    let number: String = sqlx::query_scalar("SELECT case_number FROM cases WHERE id = ?").bind(case).fetch_one(&app.state.app.db).await.expect("number");
    assert!(message["body"].as_str().unwrap_or_default().contains(&number), "{message}");
    assert!(message["link"].as_str().unwrap_or_default().starts_with("/inbox/"), "{message}");

    // RFC 8292: `vapid t=<JWT signed by our key>, k=<our public key>`, for the push service's origin.
    let rest = authorization.strip_prefix("vapid t=").expect("a VAPID header");
    let (token, k) = rest.split_once(", k=").expect("t and k");
    assert_eq!(k, key, "signed with the key browsers subscribe with");
    let public = ES256PublicKey::from_bytes(&app::ui::base64url::b64url_decode(k).expect("key bytes")).expect("P-256 key");
    let claims = public.verify_token::<NoCustomClaims>(token, None).expect("the signature verifies");
    assert_eq!(claims.audiences.map(|a| a.into_string().unwrap_or_default()), Some("https://push.example.test".to_string()));

    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(pushes(&app, endpoint).await.len(), 1, "each notice is pushed once");
    assert!(pushes(&app, lawyer_endpoint).await.is_empty(), "nothing for someone who turned push off");

    // A subscription the push service says is gone is forgotten.
    let gone = "https://push.example.test/send/gone";
    assert_eq!(call(&app, &client, "notices/subscribe", &[("endpoint", gone), ("p256dh", &p256dh), ("auth", &auth64)]).await.0, S::OK);
    let form = [("case_id", case.to_string()), ("stage", "trial".into()), ("request_key", "push-stage-0123456789".into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(call(&app, &clerk, "cases/change_stage", &form).await.0, S::OK);
    for _ in 0..50 {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions WHERE endpoint = ?").bind(gone).fetch_one(&app.state.app.db).await.expect("subs");
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions WHERE endpoint = ?").bind(gone).fetch_one(&app.state.app.db).await.expect("subs");
    assert_eq!(left, 0);
    assert_eq!(call(&app, &client, "notices/unsubscribe", &[("endpoint", endpoint)]).await.1, Value::Bool(true));
    assert_eq!(call(&app, &lawyer, "notices/unsubscribe", &[("endpoint", endpoint)]).await.1, Value::Bool(false), "not theirs to remove");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_feed_gives_hearings_and_deadlines_to_whoever_holds_its_address_and_a_new_one_retires_it() {
    let app = start(&[]).await;
    let (_, clerk, client, case) = lawyers_case(&app).await;
    let day = app.state.app.clock.now().beijing_day() + 10;
    let date = app::identity::model::UnixTime::beijing_midnight(day).shanghai()[..10].to_string();
    let (status, body, _) =
        call(&app, &clerk, "cases/schedule_hearing", &[("case_id", &case.to_string()), ("date", &date), ("time", "09:30"), ("minutes", "90"), ("mode", "courtroom"), ("courtroom", "第三法庭")]).await;
    assert_eq!(status, S::OK, "{body}");
    assert_eq!(call(&app, &browser(), "notices/new_calendar", &[]).await.0, S::UNAUTHORIZED);
    let (status, url, _) = call(&app, &client, "notices/new_calendar", &[]).await;
    assert_eq!(status, S::OK, "{url}");
    let url = url.as_str().expect("an address").to_string();
    assert!(url.starts_with(&app.base) && url.ends_with(".ics"), "{url}");

    let res = no_cookies().get(&url).send().await.expect("feed");
    assert_eq!(res.status(), S::OK);
    assert!(res.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/calendar"));
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let ics = res.text().await.expect("body").replace("\r\n ", "");
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    // 09:30 Beijing is 01:30 UTC; 90 minutes later is 03:00.
    let (y, m, d) = app::identity::model::UnixTime::beijing_midnight(day).beijing_ymd();
    assert!(ics.contains(&format!("DTSTART:{y:04}{m:02}{d:02}T013000Z")), "{ics}");
    assert!(ics.contains(&format!("DTEND:{y:04}{m:02}{d:02}T030000Z")), "{ics}");
    assert!(ics.contains("LOCATION:") && ics.contains("第三法庭"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:"), "the fee notice's last day is an all-day event: {ics}");
    assert!(ics.contains("缴纳诉讼费"), "{ics}");

    let (_, newer, _) = call(&app, &client, "notices/new_calendar", &[]).await;
    assert_eq!(no_cookies().get(&url).send().await.expect("old").status(), S::NOT_FOUND, "the old address stops working");
    assert_eq!(no_cookies().get(newer.as_str().expect("new")).send().await.expect("new").status(), S::OK);
    assert_eq!(no_cookies().get(format!("{}/calendar/0123456789abcdef0123456789abcdef.ics", app.base)).send().await.expect("bogus").status(), S::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_court_kiosk_keeps_nothing_personal_no_push_subscription_and_no_calendar_address() {
    let app = start(&[]).await;
    let kiosk = browser();
    let link = server::serve::kiosk_link(&test_config(&app), "lobby-1", None).expect("kiosk link");
    assert_eq!(kiosk.get(link).send().await.expect("enrol").status(), 303);
    sign_in(&app, &kiosk, "13800000017").await;
    let (_, _, p256dh, auth64) = device();
    let (status, body, _) = call(&app, &kiosk, "notices/subscribe", &[("endpoint", "https://push.example.test/send/kiosk"), ("p256dh", &p256dh), ("auth", &auth64)]).await;
    assert_eq!(status, S::FORBIDDEN, "{body}");
    assert_eq!(call(&app, &kiosk, "notices/new_calendar", &[]).await.0, S::FORBIDDEN);
    let subs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions").fetch_one(&app.state.app.db).await.expect("subs");
    assert_eq!(subs, 0);
    // The inbox itself is theirs while they are signed in.
    assert_eq!(call(&app, &kiosk, "notices/unread", &[]).await.0, S::OK);
    for (endpoint, form) in [("notices/channels", vec![]), ("notices/unsubscribe", vec![("endpoint", "https://push.example.test/x")])] {
        assert_eq!(call(&app, &browser(), endpoint, &form).await.0, S::UNAUTHORIZED, "{endpoint} for a visitor");
    }
}
