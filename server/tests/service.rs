//! Electronic service over HTTP: staff serve a PDF on a case's people, who are told in-app and
//! by SMS, see it with its fingerprint and the period it started, and open it — the first
//! opening recorded once as the read receipt staff see. And who may do each of these.
mod support;

use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::filing::*;
use support::*;

/// Sends the staff serve form as a browser does (multipart); answers the status and where it
/// sends the browser back to.
async fn serve(app: &App, b: &reqwest::Client, case_id: i64, fields: &[(&str, &str)], file: Option<&[u8]>) -> (StatusCode, String) {
    let boundary = "tianping-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    if let Some(bytes) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let res = b
        .post(format!("{}/staff/cases/{case_id}/serve", app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("request");
    let to = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (res.status(), to)
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
