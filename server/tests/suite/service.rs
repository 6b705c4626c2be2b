//! Electronic service and contacting the judge over HTTP: staff serve a PDF on a case's people,
//! who are told in-app and by SMS, see it with its fingerprint and the period it started, and
//! open it — the first opening recorded once as the read receipt staff see; a party writes to
//! the court and sees it read and answered while the court's queue shows it waiting. And who
//! may do each of these.

use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use crate::support::filing::*;
use crate::support::*;

/// Sends the staff serve form as a browser does (multipart); answers the status and where it
/// sends the browser back to.
async fn serve(app: &App, b: &reqwest::Client, case_id: i64, fields: &[(&str, &str)], file: Option<&[u8]>) -> (StatusCode, String) {
    form_post(app, b, &format!("/staff/cases/{case_id}/serve"), fields, file).await
}

async fn form_post(app: &App, b: &reqwest::Client, path: &str, fields: &[(&str, &str)], file: Option<&[u8]>) -> (StatusCode, String) {
    multipart_post(app, b, path, fields, "file", file).await
}

fn judgment(title: &str) -> Vec<(&'static str, String)> {
    vec![("kind", "judgment".to_string()), ("title", title.to_string())]
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

async fn open(app: &App, b: &reqwest::Client, document: i64) -> (StatusCode, Vec<u8>, Option<String>) {
    let res = b.get(format!("{}/documents/{document}", app.base)).send().await.expect("request");
    let status = res.status();
    let sha = res.headers().get("x-content-sha256").and_then(|v| v.to_str().ok()).map(String::from);
    (status, res.bytes().await.expect("body").to_vec(), sha)
}

async fn detail(app: &App, b: &reqwest::Client, id: i64) -> Value {
    let (status, body, _) = call(app, b, "cases/detail", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn case_id(app: &App, number: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(number).fetch_one(&app.state.app.db).await.expect("case")
}

/// One value of the query string of a path the form sent the browser back to.
fn query(location: &str, key: &str) -> String {
    let url = reqwest::Url::parse(&format!("http://tianping.test{location}")).expect("a path");
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()).unwrap_or_default()
}

fn served_id(location: &str) -> i64 {
    location.split("served=").nth(1).and_then(|s| s.split('&').next()).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not served: {location}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_judgment_reaches_the_party_with_its_fingerprint_and_appeal_period_and_the_first_opening_is_the_receipt() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (number, clerk) = accepted_case(&app, &litigant, "service-judgment-0123456789").await;
    let id = case_id(&app, &number).await;
    let bytes = pdf(30_000);
    let (status, to) = serve(&app, &clerk, id, &fields(&judgment("民事判决书")), Some(&bytes)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let doc = served_id(&to);
    let served_at = app.state.app.clock.now();

    // Told in-app and by SMS.
    let notices = call(&app, &litigant, "filing/notifications", &[]).await.1;
    assert!(notices.as_array().expect("notices").iter().any(|n| n["message"] == "notice_document_served" && n["link"] == format!("/cases/{id}")), "{notices}");
    let texts: Vec<String> = sqlx::query_scalar("SELECT text FROM sandbox_sms WHERE mobile = '13800138000'").fetch_all(&app.state.app.db).await.expect("sms");
    assert!(texts.iter().any(|t| t.contains(&number) && t.contains("民事判决书")), "{texts:?}");

    // The party sees it, unread, with the fingerprint of what was sent and 15 days to appeal.
    let d = detail(&app, &litigant, id).await;
    let document = &d["documents"][0];
    assert_eq!(document["kind"], "Judgment");
    assert_eq!(document["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert_eq!(document["read_at"], Value::Null);
    let ends = app::cases::service::period_ends(served_at, 15);
    assert_eq!(document["period"], serde_json::json!(["AppealJudgment", ends.0]));
    assert!(d["deadlines"].as_array().expect("deadlines").iter().any(|x| x["kind"] == serde_json::json!({ "FromService": "AppealJudgment" })), "{}", d["deadlines"]);
    assert!(d["timeline"].to_string().contains("Served"), "{}", d["timeline"]);

    // Opening it gives the very bytes served and records the receipt …
    advance(&app, 600);
    let (status, body, sha) = open(&app, &litigant, doc).await;
    assert_eq!(status, 200);
    assert_eq!(body, bytes);
    assert_eq!(sha.as_deref(), document["sha256"].as_str());
    let read_at = detail(&app, &litigant, id).await["documents"][0]["read_at"].clone();
    assert_eq!(read_at, Value::from(app.state.app.clock.now().0));

    // … once: a second opening later moves neither the receipt nor the date of service.
    advance(&app, 900);
    assert_eq!(open(&app, &litigant, doc).await.0, 200);
    let again = detail(&app, &litigant, id).await;
    assert_eq!(again["documents"][0]["read_at"], read_at);
    assert_eq!(again["documents"][0]["served_at"], Value::from(served_at.0));
    let reads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'cases.document_read'").fetch_one(&app.state.app.db).await.expect("audit");
    assert_eq!(reads, 1, "one receipt in the audit log");

    // Staff see the proof of service: reached at, read at.
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, view, _) = call(&app, &clerk, "cases/staff_case", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{view}");
    let delivery = &view["documents"][0]["deliveries"][0];
    assert_eq!(delivery["name"], "张三");
    assert_eq!(delivery["served_at"], Value::from(served_at.0));
    assert_eq!(delivery["read_at"], read_at);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_file_served_twice_is_one_service_and_a_bad_form_comes_back_with_what_was_typed() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (number, clerk) = accepted_case(&app, &litigant, "service-forms-0123456789").await;
    let id = case_id(&app, &number).await;
    let bytes = pdf(5_000);
    let (_, first) = serve(&app, &clerk, id, &fields(&judgment("民事判决书")), Some(&bytes)).await;
    let doc = served_id(&first);
    let (status, again) = serve(&app, &clerk, id, &fields(&judgment("民事判决书")), Some(&bytes)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(again.contains(&format!("before={doc}")), "{again}");
    assert_eq!(detail(&app, &litigant, id).await["documents"].as_array().map(Vec::len), Some(1));

    // Not a PDF; no file; an evidence notice without its days; a file over 20 MB: each comes
    // back to the form with the kind and title typed.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-not-a-pdf".to_vec();
    let (_, to) = serve(&app, &clerk, id, &fields(&judgment("裁定书 一")), Some(&png)).await;
    assert_eq!((query(&to, "error"), query(&to, "kind"), query(&to, "title")), ("type".into(), "judgment".into(), "裁定书 一".into()), "{to}");
    let (_, to) = serve(&app, &clerk, id, &fields(&judgment("判决书")), None).await;
    assert!(to.contains("error=file"), "{to}");
    let evidence = [("kind", "evidence_notice"), ("title", "举证通知书"), ("evidence_days", "")];
    let (_, to) = serve(&app, &clerk, id, &evidence, Some(&pdf(4_000))).await;
    assert!(to.contains("error=days"), "{to}");
    let (_, to) = serve(&app, &clerk, id, &fields(&judgment("")), Some(&pdf(4_000))).await;
    assert!(to.contains("error=title"), "{to}");
    let (_, to) = serve(&app, &clerk, id, &fields(&judgment("太大")), Some(&pdf(app::cases::service::MAX_DOCUMENT_BYTES + 1))).await;
    assert!(to.contains("error=size"), "{to}");
    assert_eq!(detail(&app, &litigant, id).await["documents"].as_array().map(Vec::len), Some(1), "nothing half-served");

    // An evidence notice with the court's 30 days starts a 30-day evidence period.
    let evidence = [("kind", "evidence_notice"), ("title", "举证通知书"), ("evidence_days", "30")];
    let (_, to) = serve(&app, &clerk, id, &evidence, Some(&pdf(4_001))).await;
    served_id(&to);
    let d = detail(&app, &litigant, id).await;
    let ends = app::cases::service::period_ends(app.state.app.clock.now(), 30);
    assert_eq!(d["documents"][0]["period"], serde_json::json!(["Evidence", ends.0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_courts_staff_serve_and_only_the_people_served_and_the_courts_staff_open_a_document() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, id) = lawyers_case(&app).await;
    let other_party = verified_browser(&app, "13800138000", "张三").await;
    accepted_case(&app, &other_party, "service-rights-0123456789").await;
    let other_lawyer = verified_browser(&app, "13800138001", "李四").await;
    let other_clerk = staff_browser(&app, "京0101", "clerk").await;
    let judge = staff_browser(&app, "京0105", "judge").await;
    let visitor = browser();

    // Serving: the court's clerk and judge; nobody else.
    let doc_bytes = pdf(6_000);
    for (who, b, expected) in [
        ("the client", &client, StatusCode::FORBIDDEN),
        ("the lawyer", &lawyer, StatusCode::FORBIDDEN),
        ("a clerk of another court", &other_clerk, StatusCode::NOT_FOUND),
        ("a visitor", &visitor, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(serve(&app, b, id, &fields(&judgment("民事判决书")), Some(&doc_bytes)).await.0, expected, "{who} serves");
    }
    assert_eq!(detail(&app, &client, id).await["documents"].as_array().map(Vec::len), Some(0), "nothing was served by those refused");
    let (_, to) = serve(&app, &judge, id, &fields(&judgment("民事判决书")), Some(&doc_bytes)).await;
    let doc = served_id(&to);
    let (_, to) = serve(&app, &clerk, id, &[("kind", "ruling"), ("title", "民事裁定书")], Some(&pdf(6_001))).await;
    served_id(&to);

    // Served on the client (the party) and on the lawyer acting for them, once each.
    let (_, view, _) = call(&app, &clerk, "cases/staff_case", &[("id", &id.to_string())]).await;
    let people: Vec<(String, bool)> = view["documents"][1]["deliveries"].as_array().expect("deliveries").iter().map(|d| (d["name"].as_str().unwrap_or_default().to_string(), d["agent"] == true)).collect();
    assert_eq!(people, [("梁静怡".to_string(), true), ("黄秀英".to_string(), false)]);

    // Opening: those served and the court's staff (without a receipt); nobody else.
    for (who, b, expected) in [
        ("the client", &client, StatusCode::OK),
        ("the lawyer", &lawyer, StatusCode::OK),
        ("the court's clerk", &clerk, StatusCode::OK),
        ("another litigant", &other_party, StatusCode::NOT_FOUND),
        ("an unrelated lawyer", &other_lawyer, StatusCode::NOT_FOUND),
        ("a clerk of another court", &other_clerk, StatusCode::NOT_FOUND),
        ("a visitor", &visitor, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(open(&app, b, doc).await.0, expected, "{who} opens");
    }
    let receipts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM document_services WHERE document_id = ? AND read_at IS NOT NULL").bind(doc).fetch_one(&app.state.app.db).await.expect("receipts");
    assert_eq!(receipts, 2, "the client's and the lawyer's; staff leave none");

    // The staff view of the case: the court's staff only.
    for (who, b, expected) in [
        ("the court's judge", &judge, StatusCode::OK),
        ("a clerk of another court", &other_clerk, StatusCode::NOT_FOUND),
        ("the client", &client, StatusCode::FORBIDDEN),
        ("the lawyer", &lawyer, StatusCode::FORBIDDEN),
        ("a visitor", &visitor, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(call(&app, b, "cases/staff_case", &[("id", &id.to_string())]).await.0, expected, "{who} asks for the staff view");
    }
    assert_eq!(open(&app, &client, doc + 1000).await.0, StatusCode::NOT_FOUND);
}

async fn write(app: &App, b: &reqwest::Client, case_id: i64, body: &str, key: &str, party: Option<i64>, file: Option<&[u8]>) -> (StatusCode, String) {
    let party = party.map(|p| p.to_string());
    let mut fields = vec![("body", body), ("request_key", key)];
    if let Some(p) = &party {
        fields.push(("party", p.as_str()));
    }
    form_post(app, b, &format!("/cases/{case_id}/messages"), &fields, file).await
}

async fn thread(app: &App, b: &reqwest::Client, case_id: i64, party: Option<i64>) -> (StatusCode, Value) {
    let id = case_id.to_string();
    let party = party.map(|p| p.to_string());
    let mut form = vec![("case_id", id.as_str())];
    if let Some(p) = &party {
        form.push(("party", p.as_str()));
    }
    let (status, body, _) = call(app, b, "cases/thread", &form).await;
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_writes_to_the_court_and_sees_it_read_then_answered_while_the_court_sees_it_waiting() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, id) = lawyers_case(&app).await;
    let client_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("client");

    // The client writes; the same form sent twice is one message.
    let key = thread(&app, &client, id, None).await.1["form_key"].as_str().expect("key").to_string();
    let (status, to) = write(&app, &client, id, "请问何时开庭？", &key, None, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(to.starts_with(&format!("/cases/{id}/messages?sent=")), "{to}");
    write(&app, &client, id, "请问何时开庭？", &key, None, None).await;
    // The lawyer writes in the client's thread, with a scanned receipt attached.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-scan".to_vec();
    let lawyer_key = thread(&app, &lawyer, id, None).await.1["form_key"].as_str().expect("key").to_string();
    assert_ne!(lawyer_key, key, "each reading of the thread gives a fresh key");
    write(&app, &lawyer, id, "补充：附上收据。", &lawyer_key, None, Some(&png)).await;
    let (_, t) = thread(&app, &client, id, None).await;
    let messages = t["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 2, "{t}");
    assert_eq!(messages[1]["author_name"], "梁静怡");
    assert_eq!(messages[1]["attachments"][0]["sha256"], hex::encode(Sha256::digest(&png)));
    assert_eq!(messages[0]["read_at"], Value::Null);

    // The court's queue: one thread, two messages waiting, the age counted from the first.
    advance(&app, 1200);
    let (status, queue, _) = call(&app, &clerk, "cases/unanswered", &[]).await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue.as_array().map(Vec::len), Some(1));
    assert_eq!((queue[0]["party_name"].clone(), queue[0]["count"].clone(), queue[0]["hours"].clone()), (Value::from("黄秀英"), Value::from(2), Value::from(0)));

    // The clerk opens it: the party sees it read, not yet answered.
    let (status, staff_view) = thread(&app, &clerk, id, Some(client_id)).await;
    assert_eq!(status, 200, "{staff_view}");
    let read_at = app.state.app.clock.now().0;
    let (_, t) = thread(&app, &client, id, None).await;
    assert_eq!(t["messages"][0]["read_at"], Value::from(read_at));
    assert_eq!(t["messages"][0]["answered_at"], Value::Null);

    // The clerk answers: both party messages are answered, the client and lawyer are told,
    // and the queue is empty.
    advance(&app, 60);
    let (status, _) = write(&app, &clerk, id, "定于下月开庭，传票另行送达。", staff_view["form_key"].as_str().expect("key"), Some(client_id), None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let answered = app.state.app.clock.now().0;
    let (_, t) = thread(&app, &client, id, None).await;
    assert_eq!(t["messages"][0]["answered_at"], Value::from(answered));
    assert_eq!(t["messages"][1]["answered_at"], Value::from(answered));
    assert_eq!(t["messages"][2]["from_court"], true);
    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE message = 'notice_court_replied'").fetch_one(&app.state.app.db).await.expect("notices");
    assert_eq!(told, 2, "the client and the lawyer acting for them");
    assert_eq!(call(&app, &clerk, "cases/unanswered", &[]).await.1, serde_json::json!([]));
    // The client having opened the thread, the clerk sees the answer read.
    let (_, staff_view) = thread(&app, &clerk, id, Some(client_id)).await;
    assert_eq!(staff_view["messages"][2]["read_at"], Value::from(answered));

    // The attachment: the thread's people and the court's staff.
    let attachment = t["messages"][1]["attachments"][0]["id"].as_i64().expect("attachment");
    let get = |b: &reqwest::Client| {
        let url = format!("{}/attachments/{attachment}", app.base);
        let b = b.clone();
        async move { b.get(url).send().await.expect("request").status() }
    };
    assert_eq!(get(&client).await, StatusCode::OK);
    assert_eq!(get(&clerk).await, StatusCode::OK);
    assert_eq!(get(&verified_browser(&app, "13800138001", "李四").await).await, StatusCode::NOT_FOUND);
    assert_eq!(get(&staff_browser(&app, "京0101", "clerk").await).await, StatusCode::NOT_FOUND);
    assert_eq!(get(&browser()).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_outside_the_thread_reads_or_writes_in_it_and_a_bad_message_comes_back_with_its_text() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, id) = lawyers_case(&app).await;
    let client_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("client");
    let other_party = verified_browser(&app, "13800138000", "张三").await;
    accepted_case(&app, &other_party, "messages-rights-0123456789").await;
    let other_lawyer = verified_browser(&app, "13800138001", "李四").await;
    let other_clerk = staff_browser(&app, "京0101", "clerk").await;
    let visitor = browser();
    let key = "msg-0123456789abcdef0123";

    for (who, b, party, expected) in [
        ("another litigant", &other_party, None, StatusCode::NOT_FOUND),
        ("an unrelated lawyer", &other_lawyer, None, StatusCode::NOT_FOUND),
        ("a clerk of another court", &other_clerk, Some(client_id), StatusCode::NOT_FOUND),
        ("the court's clerk without a thread named", &clerk, None, StatusCode::NOT_FOUND),
        ("the court's clerk naming someone not a party", &clerk, Some(client_id + 1000), StatusCode::NOT_FOUND),
        ("a visitor", &visitor, None, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(thread(&app, b, id, party).await.0, expected, "{who} reads the thread");
        assert_eq!(write(&app, b, id, "你好", key, party, None).await.0, expected, "{who} writes in it");
    }
    assert_eq!(call(&app, &client, "cases/unanswered", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&app, &lawyer, "cases/unanswered", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&app, &visitor, "cases/unanswered", &[]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&app, &other_clerk, "cases/unanswered", &[]).await.1, serde_json::json!([]), "another court's queue is its own");

    // Empty, too long, or with a program attached: back to the form with the text kept.
    let (_, to) = write(&app, &client, id, "   ", key, None, None).await;
    assert!(to.contains("error=body"), "{to}");
    let long = "字".repeat(2001);
    let (_, to) = write(&app, &client, id, &long, key, None, None).await;
    assert!(to.contains("error=long"), "{to}");
    let (_, to) = write(&app, &client, id, "附件见后", key, None, Some(b"MZ\x90\x00program")).await;
    assert!(to.contains("error=type") && query(&to, "body") == "附件见后", "{to}");
    assert_eq!(thread(&app, &client, id, None).await.1["messages"], serde_json::json!([]), "nothing was sent");
}
