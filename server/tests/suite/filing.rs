//! Filing against the real server on 127.0.0.1:0: a whole civil filing with evidence from draft
//! to case number, idempotent and atomic submission, concurrent acceptance, return and
//! resubmission, uploads (limits, sniffing, resuming), and every forbidden path.

use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use crate::support::*;
use crate::support::filing::*;
use app::filing::model::review_deadline;
use app::identity::model::UnixTime;

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.app.db).await.expect("count")
}

fn this_year(app: &App) -> i32 {
    app::filing::model::beijing_year(app.state.app.clock.now())
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_litigant_files_a_civil_case_with_evidence_and_a_clerk_accepts_it() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (id, file) = complete_civil_draft(&app, &litigant).await;
    let draft = call(&app, &litigant, "filing/draft", &[("id", &id.to_string())]).await.1;
    assert_eq!(draft["suggestions"][0], serde_json::json!(["京0105", "RespondentDomicile"]), "the defendant's domicile suggests the court");

    let (status, receipt) = submit(&app, &litigant, id, "key-0123456789abcdef").await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt["court_code"], "京0105");
    assert_eq!(receipt["court_name"], "北京市朝阳区人民法院");
    assert_eq!(call(&app, &litigant, "filing/mine", &[]).await.1[0]["court_name"], "北京市朝阳区人民法院", "the list names the court");
    assert_eq!(receipt["files"][0]["sha256"], hex::encode(Sha256::digest(&file)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'filing.submitted'").await, 1);

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let queue = call(&app, &clerk, "filing/queue", &[]).await.1;
    assert_eq!(queue.as_array().map(Vec::len), Some(1), "{queue}");
    assert_eq!(queue[0]["filer_name"], "张三");
    assert_eq!(queue[0]["overdue"], false);
    let review = call(&app, &clerk, "filing/review", &[("id", &id.to_string())]).await.1;
    let file_id = review["draft"]["evidence"][0]["files"][0]["id"].as_i64().expect("file id");
    let preview = clerk.get(format!("{}/files/{file_id}", app.base)).send().await.expect("preview");
    assert_eq!(preview.status(), 200);
    assert_eq!(preview.headers()["content-type"], "application/pdf");
    assert_eq!(preview.bytes().await.expect("bytes").to_vec(), file);

    let (status, number, _) = call(&app, &clerk, "filing/accept", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{number}");
    assert_eq!(number, Value::from(format!("({})京0105民初1号", this_year(&app))));
    let mine = call(&app, &litigant, "filing/mine", &[]).await.1;
    assert_eq!(mine[0]["status"], "Accepted");
    assert_eq!(mine[0]["case_number"], number);
    // The case record carries the parties, claims and evidence.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_parties").await, 2);
    assert_eq!(count(&app, "SELECT total_claimed_fen FROM cases").await, 12_000_050);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_evidence_files").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_parties WHERE person_id IS NOT NULL").await, 1, "the filer is linked to their party");
    // Told in the app and by SMS.
    let notices = call(&app, &litigant, "filing/notifications", &[]).await.1;
    assert_eq!(notices[0]["message"], "notice_filing_accepted");
    let outbox = reqwest::get(format!("{}/sandbox/sms?to=13800138000", app.base)).await.expect("outbox").text().await.expect("text");
    assert!(outbox.contains(number.as_str().expect("number")), "the SMS names the case number");
    let (status, _, _) = call(&app, &clerk, "filing/accept", &[("id", &id.to_string())]).await;
    assert_eq!(status, 409, "accepted once");
}

#[tokio::test]
async fn an_accepted_filing_comes_with_a_fee_notice_that_only_its_filer_sees() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    assert_eq!(submit(&app, &litigant, id, "fee-0123456789abcdef").await.0, 200);
    assert_eq!(call(&app, &litigant, "fees/mine", &[]).await.1, serde_json::json!([]), "no notice before acceptance");
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let before = app.state.app.clock.now();
    let (status, number, _) = call(&app, &clerk, "filing/accept", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{number}");

    let (status, notices, _) = call(&app, &litigant, "fees/mine", &[]).await;
    assert_eq!(status, 200, "{notices}");
    assert_eq!(notices.as_array().map(Vec::len), Some(1), "{notices}");
    let notice = &notices[0];
    assert_eq!(notice["case_number"], number);
    assert_eq!(notice["status"], "Unpaid");
    assert_eq!(notice["overdue"], false);
    // 120,000.50 yuan claimed: 50 + 90,000 × 2.5% + 20,000.50 × 2% = 2,700.01 yuan, in full.
    assert_eq!(notice["working"]["kind"], "Property");
    assert_eq!(notice["working"]["total"], 270_001);
    let deadline = app::fees::model::payment_deadline(before).0;
    assert!((notice["deadline"].as_i64().expect("deadline") - deadline).abs() <= 86_400, "7 days from the notice");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM fee_notices").await, 1, "issued with the case");

    // Nobody else sees it; staff have no fee list; without a session, no answer.
    let stranger = verified_browser(&app, "13800138001", "李四").await;
    assert_eq!(call(&app, &stranger, "fees/mine", &[]).await.1, serde_json::json!([]));
    assert_eq!(call(&app, &clerk, "fees/mine", &[]).await.0, 403);
    assert_eq!(call(&app, &browser(), "fees/mine", &[]).await.0, 401);
    // The Pay page shows it, server-rendered.
    let page = litigant.get(format!("{}/pay", app.base)).send().await.expect("page").text().await.expect("body");
    assert!(page.contains("¥2,700.01") && page.contains(number.as_str().expect("number")), "the Pay page lists the notice");

    // Past the deadline it is marked overdue.
    advance(&app, deadline - app.state.app.clock.now().0 + 1);
    sign_in(&app, &litigant, "13800138000").await;
    assert_eq!(call(&app, &litigant, "fees/mine", &[]).await.1[0]["overdue"], true);
}

#[tokio::test]
async fn a_double_tap_or_a_retry_submits_once_and_answers_the_same_receipt() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138001", "李四").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    let mut taps = Vec::new();
    for _ in 0..6 {
        let (app_base, b) = (app.base.clone(), litigant.clone());
        taps.push(tokio::spawn(async move {
            let res = b
                .post(format!("{app_base}/api/filing/submit"))
                .form(&[("id", id.to_string()), ("request_key", "tap-0123456789abcdef".into()), ("declaration", "true".into())])
                .send()
                .await
                .expect("submit");
            (res.status(), res.json::<Value>().await.expect("json"))
        }));
    }
    let mut receipts = Vec::new();
    for t in taps {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 200, "{body}");
        receipts.push(body);
    }
    assert!(receipts.windows(2).all(|w| w[0] == w[1]), "every tap gets the same receipt");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM filing_submissions").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'filing.submitted'").await, 1);
    // A later retry with the same key still answers the first receipt.
    assert_eq!(submit(&app, &litigant, id, "tap-0123456789abcdef").await.1, receipts[0]);
    // A fresh key on a submitted filing is refused, not a second filing.
    assert_eq!(submit(&app, &litigant, id, "other-0123456789abcdef").await.0, 409);
}

#[tokio::test]
async fn a_database_failure_in_the_middle_of_submitting_leaves_nothing_half_written() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138002", "王小明").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    let db = &app.state.app.db;
    // The history row is written after the status change and the snapshot: fail there.
    sqlx::query("CREATE TRIGGER fail_midway BEFORE INSERT ON filing_events BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        .execute(db)
        .await
        .expect("trigger");
    let (status, body) = submit(&app, &litigant, id, "crash-0123456789abcdef").await;
    assert_eq!(status, 500, "{body}");
    assert!(body["Internal"].is_string(), "only a reference id is sent: {body}");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM filings WHERE id = {id} AND status = 'draft' AND arrived_at IS NULL")).await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM filing_submissions").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'filing.submitted'").await, 0);
    sqlx::query("DROP TRIGGER fail_midway").execute(db).await.expect("drop");
    let (status, body) = submit(&app, &litigant, id, "crash-0123456789abcdef").await;
    assert_eq!(status, 200, "the same request succeeds once the database is well: {body}");
    let verified = app::ssr::audit::verify(db).await.expect("walk");
    assert!(verified.is_ok(), "the audit chain is intact");
}

#[tokio::test]
async fn clerks_accepting_at_once_get_distinct_consecutive_case_numbers() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138003", "陈美玲").await;
    let mut ids = Vec::new();
    for n in 0..6 {
        let (id, _) = complete_civil_draft(&app, &litigant).await;
        assert_eq!(submit(&app, &litigant, id, &format!("many-{n}-0123456789abcdef")).await.0, 200);
        ids.push(id);
    }
    let clerks = [staff_browser(&app, "京0105", "clerk").await, staff_browser(&app, "京0105", "clerk").await];
    let mut runs = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let (base, b, id) = (app.base.clone(), clerks[n % 2].clone(), *id);
        runs.push(tokio::spawn(async move {
            let res = b.post(format!("{base}/api/filing/accept")).form(&[("id", id.to_string())]).send().await.expect("accept");
            (res.status(), res.json::<Value>().await.expect("json"))
        }));
    }
    let mut seqs = Vec::new();
    for r in runs {
        let (status, number) = r.await.expect("task");
        assert_eq!(status, 200, "{number}");
        let number = app::filing::model::CaseNumber::parse(number.as_str().expect("string")).expect("a case number");
        assert_eq!(number.court.as_str(), "京0105");
        seqs.push(number.seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn a_returned_filing_shows_each_reason_on_its_step_and_is_resubmitted() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138004", "刘伟").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    submit(&app, &litigant, id, "ret-0123456789abcdef").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let sid = id.to_string();
    let (status, body, _) = call(&app, &clerk, "filing/return", &[("id", &sid), ("reasons[0][field]", "parties"), ("reasons[0][text]", "")]).await;
    assert_eq!((status, body["Invalid"]["reasons"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_reason_needed")));
    let (status, body, _) = call(
        &app,
        &clerk,
        "filing/return",
        &[("id", &sid), ("reasons[0][field]", "parties.1"), ("reasons[0][text]", "请补充被告的法定代表人身份信息"), ("reasons[1][field]", "evidence.0"), ("reasons[1][text]", "合同复印件不清晰")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let draft = call(&app, &litigant, "filing/draft", &[("id", &sid)]).await.1;
    assert_eq!(draft["status"], "Returned");
    assert_eq!(draft["returned"][0], serde_json::json!({ "field": "parties.1", "text": "请补充被告的法定代表人身份信息" }));
    assert_eq!(call(&app, &litigant, "filing/notifications", &[]).await.1[0]["message"], "notice_filing_returned");
    // The clerk cannot decide again while the filer corrects it.
    assert_eq!(call(&app, &clerk, "filing/accept", &[("id", &sid)]).await.0, 409);
    step(&app, &litigant, id, "parties", &[
        ("draft[parties][0][role]", "claimant"), ("draft[parties][0][kind]", "person"), ("draft[parties][0][name]", "刘伟"),
        ("draft[parties][0][id_number]", &registry_id("刘伟")), ("draft[parties][0][phone]", "13800138004"), ("draft[parties][0][address]", "上海市浦东新区世纪大道100号"),
        ("draft[parties][1][role]", "respondent"), ("draft[parties][1][kind]", "organisation"), ("draft[parties][1][name]", "北京某某科技有限公司"),
        ("draft[parties][1][uscc]", "91110105MA01AB2C3F"), ("draft[parties][1][representative]", "王五（总经理）"), ("draft[parties][1][address]", "北京市朝阳区建国路88号"),
    ])
    .await;
    let (status, receipt) = submit(&app, &litigant, id, "ret2-0123456789abcdef").await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt["submission"], 2);
    let queue = call(&app, &clerk, "filing/queue", &[]).await.1;
    assert_eq!(queue[0]["resubmitted"], true);
    let review = call(&app, &clerk, "filing/review", &[("id", &sid)]).await.1;
    assert_eq!(review["draft"]["parties"][1]["representative"], "王五（总经理）", "the clerk reviews the corrected version");
    let detail = call(&app, &litigant, "filing/detail", &[("id", &sid)]).await.1;
    let kinds: Vec<&str> = detail["events"].as_array().expect("events").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["submitted", "returned", "resubmitted"]);
}

#[tokio::test]
async fn the_queue_puts_the_oldest_first_and_marks_a_filing_overdue_once_its_seven_days_have_passed() {
    const DAY: i64 = 86_400;
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (older, _) = complete_civil_draft(&app, &litigant).await;
    let (newer, _) = complete_civil_draft(&app, &litigant).await;
    assert_eq!(submit(&app, &litigant, older, "old-0123456789abcdef").await.0, 200);
    advance(&app, 3 * DAY);
    sign_in(&app, &litigant, "13800138000").await; // the session ended while the days passed
    assert_eq!(submit(&app, &litigant, newer, "new-0123456789abcdef").await.0, 200);

    let queue = call(&app, &staff_browser(&app, "京0105", "clerk").await, "filing/queue", &[]).await.1;
    let ids: Vec<i64> = queue.as_array().expect("queue").iter().filter_map(|q| q["id"].as_i64()).collect();
    assert_eq!(ids, [older, newer], "oldest first");
    assert_eq!((queue[0]["days_waiting"].as_i64(), queue[0]["overdue"].as_bool()), (Some(3), Some(false)));
    // The deadline is the model's (7 days, moved past weekends and holidays: unit-tested there);
    // what is tested here is that the queue marks a filing exactly from its deadline on.
    let arrived = UnixTime(queue[0]["arrived_at"].as_i64().expect("arrived_at"));
    let deadline = queue[0]["deadline"].as_i64().expect("deadline");
    assert_eq!(deadline, review_deadline(arrived).0);

    // The server's clock runs on from the real one, so "just before" leaves a margin a loaded
    // machine cannot eat up between these lines (the clerk signs in after the days have passed,
    // or their session would have idled out).
    advance(&app, deadline - app.state.app.clock.now().0 - 30);
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let queue = call(&app, &clerk, "filing/queue", &[]).await.1;
    assert_eq!(queue[0]["overdue"].as_bool(), Some(false), "half a minute before the deadline");
    advance(&app, 30);
    let queue = call(&app, &clerk, "filing/queue", &[]).await.1;
    assert_eq!(queue[0]["overdue"].as_bool(), Some(true), "at the deadline");
    assert!(queue[0]["days_waiting"].as_i64() >= Some(8));
    // The newer one arrived 3 days later; only a long holiday could have ended both on one day.
    let newer_due = queue[1]["deadline"].as_i64() <= Some(app.state.app.clock.now().0);
    assert_eq!(queue[1]["overdue"].as_bool(), Some(newer_due), "the newer one is overdue only past its own deadline");
    // The page the clerk sees marks exactly the overdue ones.
    let page = clerk.get(format!("{}/staff/filings", app.base)).send().await.expect("page").text().await.expect("body");
    assert_eq!(page.matches("data-testid=\"overdue\"").count(), 1 + usize::from(newer_due), "overdue marks");
}

#[tokio::test]
async fn a_refused_filing_tells_the_filer_why_in_the_language_they_filed_in() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138005", "赵敏").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    let chose = litigant.post(format!("{}/settings/lang", app.base)).form(&[("lang", "en")]).send().await.expect("language");
    assert!(chose.status().is_redirection(), "{}", chose.status());
    assert_eq!(submit(&app, &litigant, id, "ref-0123456789abcdef").await.0, 200);
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, _, _) = call(&app, &clerk, "filing/refuse", &[("id", &id.to_string()), ("reason", "不属于人民法院受理民事诉讼的范围")]).await;
    assert_eq!(status, 200);
    let detail = call(&app, &litigant, "filing/detail", &[("id", &id.to_string())]).await.1;
    assert_eq!(detail["refusal"], "不属于人民法院受理民事诉讼的范围");
    assert_eq!(detail["summary"]["status"], "Refused");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'filing.refused'").await, 1);
    let outbox = reqwest::get(format!("{}/sandbox/sms?to=13800138005", app.base)).await.expect("outbox").text().await.expect("text");
    assert!(outbox.contains(&format!("Your filing {} was refused", app::filing::model::filing_number(id))), "the text is in English: {outbox}");
}

#[tokio::test]
async fn a_litigant_cannot_read_or_change_another_persons_draft_filing_or_files() {
    let app = start(&[]).await;
    let owner = verified_browser(&app, "13800138006", "周杰").await;
    let (id, _) = complete_civil_draft(&app, &owner).await;
    let other = verified_browser(&app, "13800138007", "吴芳").await;
    let sid = id.to_string();
    for (endpoint, form) in [
        ("filing/draft", vec![("id", sid.as_str())]),
        ("filing/save", vec![("id", sid.as_str()), ("step", "facts"), ("go", "stay"), ("draft[facts]", "篡改")]),
        ("filing/delete", vec![("id", sid.as_str())]),
        ("filing/submit", vec![("id", sid.as_str()), ("request_key", "evil-0123456789abcdef"), ("declaration", "true")]),
        ("filing/detail", vec![("id", sid.as_str())]),
        ("filing/upload_start", vec![("filing_id", sid.as_str()), ("name", "x.pdf"), ("size", "10"), ("target", "evidence:0")]),
    ] {
        assert_eq!(call(&app, &other, endpoint, &form).await.0, 404, "{endpoint}");
    }
    let review = call(&app, &owner, "filing/draft", &[("id", &sid)]).await.1;
    let file_id = review["draft"]["evidence"][0]["files"][0]["id"].as_i64().expect("file");
    assert_eq!(other.get(format!("{}/files/{file_id}", app.base)).send().await.expect("get").status(), 404);
    assert_eq!(browser().get(format!("{}/files/{file_id}", app.base)).send().await.expect("get").status(), 401);
    // Before submission, not even the court sees the draft or its files.
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(call(&app, &clerk, "filing/review", &[("id", &sid)]).await.0, 404);
    assert_eq!(clerk.get(format!("{}/files/{file_id}", app.base)).send().await.expect("get").status(), 404);
    let facts = call(&app, &owner, "filing/draft", &[("id", &sid)]).await.1["draft"]["facts"].clone();
    assert_ne!(facts, "篡改", "nothing was changed");
}

#[tokio::test]
async fn a_clerk_of_another_court_and_other_staff_cannot_review_the_filing() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138008", "林建国").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    submit(&app, &litigant, id, "oth-0123456789abcdef").await;
    let sid = id.to_string();
    let shanghai = staff_browser(&app, "沪0115", "clerk").await;
    assert_eq!(call(&app, &shanghai, "filing/queue", &[]).await.1, serde_json::json!([]));
    for (endpoint, form) in [
        ("filing/review", vec![("id", sid.as_str())]),
        ("filing/accept", vec![("id", sid.as_str())]),
        ("filing/return", vec![("id", sid.as_str()), ("reasons[0][field]", "facts"), ("reasons[0][text]", "x")]),
        ("filing/refuse", vec![("id", sid.as_str()), ("reason", "x")]),
    ] {
        assert_eq!(call(&app, &shanghai, endpoint, &form).await.0, 404, "{endpoint}");
    }
    let judge = staff_browser(&app, "京0105", "judge").await;
    assert_eq!(call(&app, &judge, "filing/queue", &[]).await.0, 403);
    assert_eq!(call(&app, &judge, "filing/accept", &[("id", &sid)]).await.0, 403);
    // A litigant is not a clerk, and staff do not file.
    assert_eq!(call(&app, &litigant, "filing/queue", &[]).await.0, 403);
    assert_eq!(call(&app, &shanghai, "filing/start", &[]).await.0, 403);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, 0);
}

#[tokio::test]
async fn a_lawyer_files_for_a_client_only_with_the_clients_grant_and_power_of_attorney() {
    let app = start(&[]).await;
    let (lawyer, _clerk, client, client_id) = lawyer_and_client(&app).await;

    let (id, _) = complete_civil_draft(&app, &lawyer).await;
    let sid = id.to_string();
    let cid = client_id.to_string();
    let choose = owned(&[("id", &sid), ("step", "agent"), ("go", "next"), ("draft[agent][client_id]", &cid)]);
    assert_eq!(post(&app, &lawyer, "filing/save", &choose).await.0, 403, "no grant yet");
    assert_eq!(call(&app, &lawyer, "filing/draft", &[("id", &sid)]).await.1["clients"], serde_json::json!([]));

    let grant = [("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", sid.as_str())];
    assert_eq!(call(&app, &client, "grant_representation", &grant).await.0, 200);
    assert_eq!(call(&app, &lawyer, "filing/draft", &[("id", &sid)]).await.1["clients"], serde_json::json!([[client_id, "黄秀英"]]));
    let (status, saved) = post(&app, &lawyer, "filing/save", &choose).await;
    assert_eq!(status, 200);
    assert_eq!(saved["problems"]["agent.power_of_attorney"], "error_power_of_attorney");
    let (status, body) = submit(&app, &lawyer, id, "law-0123456789abcdef").await;
    assert_eq!((status, body["Invalid"]["agent.power_of_attorney"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_power_of_attorney")));
    upload(&app, &lawyer, id, "agent", "授权委托书.pdf", &pdf(2000)).await;
    let (status, receipt) = submit(&app, &lawyer, id, "law-0123456789abcdef").await;
    assert_eq!(status, 200, "{receipt}");
    // The client sees the filing; it names the lawyer who filed it.
    let theirs = call(&app, &client, "filing/mine", &[]).await.1;
    assert_eq!(theirs[0]["id"], id);
    assert_eq!(theirs[0]["filed_by_lawyer"], "梁静怡");
    assert_eq!(call(&app, &lawyer, "filing/mine", &[]).await.1[0]["for_client"], "黄秀英");

    // Another lawyer-less person naming a client is refused the same way.
    let stranger = verified_browser(&app, "13800138011", "何志强").await;
    let (other, _) = complete_civil_draft(&app, &stranger).await;
    let pick = owned(&[("id", &other.to_string()), ("step", "agent"), ("go", "next"), ("draft[agent][client_id]", &cid)]);
    assert_eq!(post(&app, &stranger, "filing/save", &pick).await.0, 403);
}

#[tokio::test]
async fn uploads_are_limited_sniffed_and_resumed_from_where_they_stopped() {
    let app = start(&[]).await;
    let b = verified_browser(&app, "13800138012", "罗海燕").await;
    let id = new_filing(&app, &b).await;
    action(&app, &b, id, "evidence", "add:evidence").await;
    let sid = id.to_string();
    let start_upload = |size: String, name: &'static str| {
        let (app, b, sid) = (&app, &b, sid.clone());
        async move { post(app, b, "filing/upload_start", &owned(&[("filing_id", &sid), ("name", name), ("size", &size), ("target", "evidence:0")])).await }
    };
    let max = 20 * 1024 * 1024;
    let (status, body) = start_upload((max + 1).to_string(), "big.pdf").await;
    assert_eq!((status, body["Invalid"]["file"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_file_too_large")));
    assert_eq!(start_upload("0".into(), "empty.pdf").await.1["Invalid"]["file"], "error_file_empty");
    let (status, body) = post(&app, &b, "filing/upload_start", &owned(&[("filing_id", &sid), ("name", "x.pdf"), ("size", "10"), ("target", "evidence:7")])).await;
    assert_eq!((status, body["Invalid"]["target"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_choice")));

    // An executable named .pdf is refused on its first bytes.
    let (_, started) = start_upload("4096".into(), "合同.pdf").await;
    let upload_id = started["upload_id"].as_i64().expect("id");
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(4096, 0);
    let res = b.put(format!("{}/api/filing/upload/{upload_id}?offset=0", app.base)).body(exe).send().await.expect("put");
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.expect("json")["Invalid"]["file"], "error_file_type");

    // A dropped connection: the browser asks where the upload stands and goes on from there.
    let file = pdf(1_300_000);
    let (_, started) = start_upload(file.len().to_string(), "转账记录.pdf").await;
    let upload_id = started["upload_id"].as_i64().expect("id");
    let chunk = started["chunk_bytes"].as_u64().expect("chunk") as usize;
    let put = |offset: usize, end: usize| b.put(format!("{}/api/filing/upload/{upload_id}?offset={offset}", app.base)).body(file[offset..end].to_vec()).send();
    assert_eq!(put(0, chunk).await.expect("put").status(), 200);
    let resent = put(0, chunk).await.expect("put");
    assert_eq!(resent.status(), 409, "a chunk sent twice is not written twice");
    let status = call(&app, &b, "filing/upload_status", &[("upload_id", &upload_id.to_string())]).await.1;
    assert_eq!(status["received"].as_u64(), Some(chunk as u64));
    assert_eq!(put(chunk, 2 * chunk).await.expect("put").status(), 200);
    let last = put(2 * chunk, file.len()).await.expect("put").json::<Value>().await.expect("json");
    assert_eq!(last["file"]["sha256"], hex::encode(Sha256::digest(&file)));
    assert_eq!(last["file"]["kind"], "pdf");
    let draft = call(&app, &b, "filing/draft", &[("id", &sid)]).await.1;
    assert_eq!(draft["draft"]["evidence"][0]["files"][0]["name"], "转账记录.pdf");

    // Ten 20 MB files are a filing's limit; the eleventh is refused before a byte is sent.
    for _ in 0..9 {
        assert_eq!(start_upload(max.to_string(), "扫描件.pdf").await.0, 200);
    }
    let (status, body) = start_upload(max.to_string(), "扫描件.pdf").await;
    assert_eq!((status, body["Invalid"]["file"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_filing_too_large")));
}

#[tokio::test]
async fn the_wizard_keeps_what_was_typed_and_each_step_saves_only_its_own_fields() {
    let app = start(&[]).await;
    let b = verified_browser(&app, "13800138013", "高文博").await;
    let id = new_filing(&app, &b).await;
    let sid = id.to_string();
    step(&app, &b, id, "facts", &[("draft[facts]", "事实经过")]).await;
    // Moving on with a mistyped credit code keeps it, stays on the step and names the field.
    action(&app, &b, id, "parties", "add:parties:respondent").await;
    let form = owned(&[
        ("id", &sid), ("step", "parties"), ("go", "next"),
        ("draft[parties][0][role]", "respondent"), ("draft[parties][0][kind]", "organisation"),
        ("draft[parties][0][name]", "某公司"), ("draft[parties][0][uscc]", "91110105MA01AB2C3X"), ("draft[parties][0][address]", "北京市朝阳区"),
    ]);
    let (status, saved) = post(&app, &b, "filing/save", &form).await;
    assert_eq!(status, 200);
    assert_eq!(saved["problems"]["parties.0.uscc"], "error_uscc_check");
    assert_eq!(saved["problems"]["parties"], "error_need_claimant");
    let draft = call(&app, &b, "filing/draft", &[("id", &sid)]).await.1;
    assert_eq!(draft["draft"]["parties"][0]["uscc"], "91110105MA01AB2C3X", "what was typed is kept");
    assert_eq!(draft["draft"]["facts"], "事实经过", "another step's text is untouched");
    // Without the filer ever submitting, nobody is told anything and the draft can be deleted.
    assert_eq!(call(&app, &b, "filing/delete", &[("id", &sid)]).await.0, 200);
    assert_eq!(call(&app, &b, "filing/draft", &[("id", &sid)]).await.0, 404);
}

#[tokio::test]
async fn every_filing_function_refuses_a_caller_without_a_session_or_verification() {
    let app = start(&[]).await;
    let nobody = browser();
    let unverified = browser();
    sign_in(&app, &unverified, "13800138014").await;
    for (endpoint, form) in [
        ("filing/start", vec![]),
        ("filing/mine", vec![]),
        ("filing/draft", vec![("id", "1")]),
        ("filing/save", vec![("id", "1"), ("step", "facts"), ("go", "stay")]),
        ("filing/delete", vec![("id", "1")]),
        ("filing/submit", vec![("id", "1"), ("request_key", "k-0123456789abcdef")]),
        ("filing/detail", vec![("id", "1")]),
        ("filing/upload_start", vec![("filing_id", "1"), ("name", "a.pdf"), ("size", "1"), ("target", "agent")]),
        ("filing/upload_status", vec![("upload_id", "1")]),
        ("filing/queue", vec![]),
        ("filing/review", vec![("id", "1")]),
        ("filing/accept", vec![("id", "1")]),
        ("filing/return", vec![("id", "1")]),
        ("filing/refuse", vec![("id", "1"), ("reason", "x")]),
    ] {
        assert_eq!(call(&app, &nobody, endpoint, &form).await.0, 401, "{endpoint} without a session");
        assert_eq!(call(&app, &unverified, endpoint, &form).await.0, 403, "{endpoint} unverified");
    }
    assert_eq!(call(&app, &nobody, "filing/notifications", &[]).await.0, 401);
    let res = nobody.put(format!("{}/api/filing/upload/1?offset=0", app.base)).body(pdf(10)).send().await.expect("put");
    assert_eq!(res.status(), 401);
}
