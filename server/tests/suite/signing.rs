//! Documents for signature over the app's own server functions: who drafts, sends, revises and
//! voids them (the court's judges and mediators), who reads them (their signers, once sent), the
//! fingerprint the signer is shown (the same the rules compute), a revision restarting the round,
//! a decline with its reason, and every step in the audit log.

use app::signing::model::Document;
use serde_json::{Value, json};
use crate::support::filing::*;
use crate::support::*;

fn agreement() -> String {
    json!({
        "parties": [{ "side": "claimant", "name": "张三" }, { "side": "respondent", "name": "北京某某科技有限公司" }],
        "terms": [
            { "text": "被告于2027年2月28日前向原告支付货款120,000.50元", "amount": 12_000_050 },
            { "text": "原告放弃其他诉讼请求", "amount": null }
        ],
        "schedule": [
            { "due": "2027-01-31", "amount": 6_000_000, "payer": "北京某某科技有限公司", "payee": "张三" },
            { "due": "2027-02-28", "amount": 6_000_050, "payer": "北京某某科技有限公司", "payee": "张三" }
        ],
        "fees": { "claimant_percent": 0, "fee": 135_000 }
    })
    .to_string()
}

/// A verified party's accepted case at 京0105: the party's browser and the case's id.
async fn party_with_case(app: &App, mobile: &str) -> (reqwest::Client, i64) {
    let party = browser();
    sign_in(app, &party, mobile).await;
    let (status, body, _) = call(app, &party, "verify", &[("legal_name", "张三"), ("id_number", &registry_id("张三"))]).await;
    assert_eq!(status, 200, "{body}");
    let (number, _) = accepted_case(app, &party, &format!("signing-{mobile}-0123456789")).await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    (party, case)
}

/// A verified person (李四) who is no party to the case.
async fn verified_stranger(app: &App) -> reqwest::Client {
    let stranger = browser();
    sign_in(app, &stranger, "13800138001").await;
    call(app, &stranger, "verify", &[("legal_name", "李四"), ("id_number", &registry_id("李四"))]).await;
    stranger
}

/// The agreement drafted and sent by `mediator`: its id and the fingerprint `party` is shown.
async fn sent_agreement(app: &App, mediator: &reqwest::Client, party: &reqwest::Client, case: i64) -> (String, String) {
    let (_, id) = draft(app, mediator, case, &agreement()).await;
    let id = id.as_i64().expect("id").to_string();
    call(app, mediator, "signing/send", &[("id", &id)]).await;
    let (_, view, _) = call(app, party, "signing/document", &[("id", &id)]).await;
    (id, view["fingerprint"].as_str().expect("fingerprint").to_string())
}

async fn draft(app: &App, b: &reqwest::Client, case: i64, agreement: &str) -> (u16, Value) {
    let (status, body, _) = call(app, b, "signing/draft", &[("case_id", &case.to_string()), ("title", "调解协议"), ("agreement", agreement)]).await;
    (status.as_u16(), body)
}

async fn status_of(app: &App, b: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> u16 {
    call(app, b, endpoint, form).await.0.as_u16()
}

async fn actions(app: &App, id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = ? ORDER BY seq").bind(format!("signing:{id}")).fetch_all(&app.state.app.db).await.expect("audit")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_courts_judge_or_mediator_drafts_and_sends_an_agreement_and_only_its_signers_read_it_with_the_fingerprint_the_rules_compute() {
    let app = start(&[]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let other_court = staff_browser(&app, "京0101", "mediator").await;

    assert_eq!(draft(&app, &clerk, case, &agreement()).await.0, 403, "a clerk does not draft agreements");
    assert_eq!(draft(&app, &other_court, case, &agreement()).await.0, 404, "another court's mediator");
    assert_eq!(draft(&app, &party, case, &agreement()).await.0, 403, "a party");
    assert_eq!(draft(&app, &browser(), case, &agreement()).await.0, 401, "signed out");
    let (status, body) = draft(&app, &mediator, case, "{\"terms\": []").await;
    assert_eq!((status, &body["Invalid"]["agreement"]), (422, &json!("error_bad_request")), "{body}");
    let mut bad: Value = serde_json::from_str(&agreement()).expect("json");
    bad["schedule"][0]["due"] = json!("2027-02-30");
    bad["parties"] = json!([{ "side": "claimant", "name": "张三" }]);
    let (status, body) = draft(&app, &mediator, case, &bad.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Invalid"]["schedule[0][due]"], "error_date");
    assert_eq!(body["Invalid"]["parties"], "error_signing_parties");

    let (status, id) = draft(&app, &mediator, case, &agreement()).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().expect("id").to_string();
    assert_eq!(status_of(&app, &party, "signing/document", &[("id", &id)]).await, 404, "a draft is the court's until sent");
    assert_eq!(status_of(&app, &party, "signing/send", &[("id", &id)]).await, 403, "only the court sends");
    assert_eq!(status_of(&app, &mediator, "signing/send", &[("id", &id)]).await, 200);
    assert_eq!(status_of(&app, &mediator, "signing/send", &[("id", &id)]).await, 409, "sent once");

    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE message = 'notice_signing_sent' AND link = ?")
        .bind(format!("/sign/{id}"))
        .fetch_one(&app.state.app.db)
        .await
        .expect("inbox");
    assert_eq!(told, 1, "the party is told in their inbox");

    let (status, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!(status, 200, "{view}");
    let document: Document = serde_json::from_value(view["document"].clone()).expect("document");
    assert_eq!(view["fingerprint"], document.fingerprint(), "the fingerprint shown is the rules' own");
    assert_eq!(document.case_number.chars().next(), Some('('));
    assert_eq!(view["mine"], "sent");
    assert_eq!(view["may_manage"], false);
    let stranger = verified_stranger(&app).await;
    assert_eq!(status_of(&app, &stranger, "signing/document", &[("id", &id)]).await, 404, "someone not signing it");
    assert_eq!(status_of(&app, &other_court, "signing/document", &[("id", &id)]).await, 404, "another court");
    assert_eq!(status_of(&app, &stranger, "signing/progress", &[("id", &id), ("version", "1"), ("step", "opened")]).await, 404);

    for step in ["opened", "opened", "read_to_end"] {
        assert_eq!(status_of(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", step)]).await, 200, "{step}");
    }
    let (_, view, _) = call(&app, &mediator, "signing/document", &[("id", &id)]).await;
    assert_eq!(view["signers"][0]["state"], "read_to_end", "{view}");
    assert_eq!(view["may_manage"], true);
    assert_eq!(actions(&app, id.parse().expect("id")).await, ["signing.drafted", "signing.sent", "signing.opened", "signing.read"], "the first opening is logged once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_makes_a_new_version_that_everyone_reads_again_and_a_stale_one_is_refused() {
    let app = start(&[]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let judge = staff_browser(&app, "京0105", "judge").await;
    let (_, id) = draft(&app, &judge, case, &agreement()).await;
    let id = id.as_i64().expect("id").to_string();
    call(&app, &judge, "signing/send", &[("id", &id)]).await;
    call(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;
    let (_, before, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;

    let mut changed: Value = serde_json::from_str(&agreement()).expect("json");
    changed["schedule"][1]["due"] = json!("2027-03-31");
    let text = changed.to_string();
    let first = [("id", id.as_str()), ("version", "1"), ("title", "调解协议"), ("agreement", text.as_str())];
    let (status, version, _) = call(&app, &judge, "signing/revise", &first).await;
    assert_eq!((status.as_u16(), version), (200, json!(2)));
    let (status, body, _) = call(&app, &judge, "signing/revise", &first).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_signing_changed_meanwhile")), "revising version 1 again would lose version 2");

    let (_, after, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!(after["document"]["version"], 2);
    assert_ne!(after["fingerprint"], before["fingerprint"], "a new version, a new fingerprint");
    assert_eq!(after["mine"], "sent", "the party reads the new version from the start");
    let (status, body, _) = call(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_signing_wrong_version")));
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signing_versions WHERE document_id = ?").bind(id.parse::<i64>().expect("id")).fetch_one(&app.state.app.db).await.expect("versions");
    assert_eq!(kept, 2, "the version sent first is kept as it was");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_declines_with_a_reason_the_court_sees_it_and_voids_the_document_for_good() {
    let app = start(&[]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let (_, id) = draft(&app, &mediator, case, &agreement()).await;
    let id = id.as_i64().expect("id").to_string();
    call(&app, &mediator, "signing/send", &[("id", &id)]).await;

    let (status, body, _) = call(&app, &party, "signing/decline", &[("id", &id), ("version", "1"), ("reason", "  ")]).await;
    assert_eq!((status.as_u16(), &body["Invalid"]["reason"]), (422, &json!("error_signing_reason")));
    assert_eq!(status_of(&app, &party, "signing/decline", &[("id", &id), ("version", "1"), ("reason", "第二期付款日期太晚")]).await, 200);
    assert_eq!(status_of(&app, &party, "signing/decline", &[("id", &id), ("version", "1"), ("reason", "再次")]).await, 409, "answered once");
    let (_, view, _) = call(&app, &mediator, "signing/document", &[("id", &id)]).await;
    assert_eq!(view["status"], "declined");
    assert_eq!(view["signers"][0]["state"]["declined"]["reason"], "第二期付款日期太晚", "{view}");

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(status_of(&app, &clerk, "signing/void", &[("id", &id), ("reason", "双方已自行和解")]).await, 403);
    assert_eq!(status_of(&app, &party, "signing/void", &[("id", &id), ("reason", "双方已自行和解")]).await, 403);
    assert_eq!(status_of(&app, &mediator, "signing/void", &[("id", &id), ("reason", "双方已自行和解")]).await, 200);
    let (_, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!((view["status"].as_str(), view["void_reason"].as_str()), (Some("voided"), Some("双方已自行和解")));
    let (status, body, _) = call(&app, &mediator, "signing/revise", &[("id", &id), ("version", "1"), ("title", "调解协议"), ("agreement", &agreement())]).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_signing_final")), "a voided document never changes");
    assert_eq!(actions(&app, id.parse().expect("id")).await, ["signing.drafted", "signing.sent", "signing.declined", "signing.voided"]);
}

/// The signing code in the latest text to this number (after "验证码").
async fn signing_code(app: &App, mobile: &str) -> String {
    let text: String = sqlx::query_scalar("SELECT text FROM sandbox_sms WHERE mobile = ? ORDER BY id DESC LIMIT 1").bind(mobile).fetch_one(&app.state.app.db).await.expect("a text");
    let after = text.split("验证码").nth(1).expect("a signing code text");
    after.chars().filter(char::is_ascii_digit).take(6).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_signs_by_sms_code_bound_to_the_fingerprint_they_read_and_an_edit_voids_the_signature() {
    let app = start(&[]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let (id, fingerprint) = sent_agreement(&app, &mediator, &party, case).await;

    let (status, body, _) = call(&app, &party, "signing/sms_code", &[("id", &id), ("version", "1")]).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_signing_read_first")), "no code before reading to the end");
    call(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;
    let (status, sent, _) = call(&app, &party, "signing/sms_code", &[("id", &id), ("version", "1")]).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(call(&app, &party, "signing/sms_code", &[("id", &id), ("version", "1")]).await.0.as_u16(), 429, "one code a minute");
    let text: String = sqlx::query_scalar("SELECT text FROM sandbox_sms ORDER BY id DESC LIMIT 1").fetch_one(&app.state.app.db).await.expect("text");
    assert!(text.contains(&fingerprint[..8]), "the text names the fingerprint the code is for: {text}");
    let code = signing_code(&app, "13800138000").await;

    let sign = |fp: String, drawing: &'static str, typed: &'static str, code: String| {
        let id = id.clone();
        let party = &party;
        let app = &app;
        async move {
            let form = [("id", id.as_str()), ("version", "1"), ("fingerprint", fp.as_str()), ("drawing", drawing), ("typed_name", typed), ("code", code.as_str())];
            let (status, body, _) = call(app, party, "signing/sign", &form).await;
            (status.as_u16(), body)
        }
    };
    let wrong = if code == "000000" { "111111" } else { "000000" }.to_string();
    let (status, body) = sign(fingerprint.clone(), "M1 1 L9 9", "", wrong).await;
    assert_eq!((status, &body["Invalid"]["code"]), (422, &json!("error_code_wrong")));
    let (status, body) = sign("0".repeat(64), "M1 1 L9 9", "", code.clone()).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("error_signing_fingerprint")), "a signature over another content is refused");
    let (status, body) = sign(fingerprint.clone(), "", "李四", code.clone()).await;
    assert_eq!((status, &body["Invalid"]["typed_name"]), (422, &json!("error_signing_typed_name")));
    let stranger = verified_stranger(&app).await;
    let form = [("id", id.as_str()), ("version", "1"), ("fingerprint", fingerprint.as_str()), ("typed_name", "李四"), ("code", code.as_str())];
    assert_eq!(call(&app, &stranger, "signing/sign", &form).await.0.as_u16(), 404, "a non-party cannot sign");

    let (status, body) = sign(fingerprint.clone(), "M10 10 L20 25 L30 12", "", code.clone()).await;
    assert_eq!((status, &body), (200, &json!("all_signed")), "the only signer signed: ready to seal");
    let (status, body) = sign(fingerprint.clone(), "M10 10 L20 25 L30 12", "", code.clone()).await;
    assert_eq!((status, &body["Invalid"]["code"]), (422, &json!("error_code_used")), "a code signs once: a replay is refused");
    let kept: (String, String, String, String) =
        sqlx::query_as("SELECT fingerprint, method, challenge, drawing FROM signing_signatures WHERE document_id = ?").bind(id.parse::<i64>().expect("id")).fetch_one(&app.state.app.db).await.expect("signature");
    assert_eq!((kept.0.as_str(), kept.1.as_str(), kept.3.as_str()), (fingerprint.as_str(), "sms_code", "M10 10 L20 25 L30 12"));
    assert_eq!(kept.2.len(), 64, "the challenge the code was bound to");

    // The mediator changes a term after the signature: it is void, the party is told why, and
    // the agreement goes out again as version 2.
    let mut changed: Value = serde_json::from_str(&agreement()).expect("json");
    changed["terms"][1]["text"] = json!("原告放弃其他诉讼请求，双方再无其他争议");
    let text = changed.to_string();
    let (status, version, _) = call(&app, &mediator, "signing/revise", &[("id", id.as_str()), ("version", "1"), ("title", "调解协议"), ("agreement", text.as_str())]).await;
    assert_eq!((status.as_u16(), version), (200, json!(2)));
    let voided: Option<i64> = sqlx::query_scalar("SELECT voided_at FROM signing_signatures WHERE document_id = ?").bind(id.parse::<i64>().expect("id")).fetch_one(&app.state.app.db).await.expect("signature");
    assert!(voided.is_some(), "the signature over version 1 no longer counts");
    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE message = 'notice_signing_voided_by_edit'").fetch_one(&app.state.app.db).await.expect("inbox");
    assert_eq!(told, 1);
    let (_, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!((view["status"].as_str(), view["mine"].as_str()), (Some("out"), Some("sent")));
    let (status, body) = sign(fingerprint.clone(), "M10 10 L20 25 L30 12", "", code.clone()).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("error_signing_wrong_version")), "the old signature cannot be given to the new version");
    assert_eq!(
        actions(&app, id.parse().expect("id")).await,
        ["signing.drafted", "signing.sent", "signing.opened", "signing.read", "signing.signed", "signing.revised"],
        "every step in the evidence log"
    );
}

/// An agreement sent, read and signed by the party by SMS code: its id, the mediator's browser
/// and the party's.
async fn signed_agreement(app: &App) -> (String, reqwest::Client, reqwest::Client) {
    let (party, case) = party_with_case(app, "13800138000").await;
    let mediator = staff_browser(app, "京0105", "mediator").await;
    let (_, id) = draft(app, &mediator, case, &agreement()).await;
    let id = id.as_i64().expect("id").to_string();
    assert_eq!(status_of(app, &mediator, "signing/seal", &[("id", &id)]).await, 409, "a draft is not sealed");
    call(app, &mediator, "signing/send", &[("id", &id)]).await;
    let (_, view, _) = call(app, &party, "signing/document", &[("id", &id)]).await;
    let fingerprint = view["fingerprint"].as_str().expect("fingerprint").to_string();
    call(app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;
    call(app, &party, "signing/sms_code", &[("id", &id), ("version", "1")]).await;
    let code = signing_code(app, "13800138000").await;
    let form = [("id", id.as_str()), ("version", "1"), ("fingerprint", fingerprint.as_str()), ("drawing", "M10 10 L20 25"), ("code", code.as_str())];
    let (status, body, _) = call(app, &party, "signing/sign", &form).await;
    assert_eq!(status, 200, "{body}");
    (id, mediator, party)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_court_seals_a_signed_document_and_anyone_with_its_link_sees_it_genuine_until_its_content_or_seal_is_changed() {
    let app = start(&[]).await;
    let (id, mediator, _) = signed_agreement(&app).await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(status_of(&app, &clerk, "signing/seal", &[("id", &id)]).await, 403, "a clerk does not seal agreements");
    let (status, link, _) = call(&app, &mediator, "signing/seal", &[("id", &id)]).await;
    assert_eq!(status, 200, "{link}");
    let link = link.as_str().expect("link").to_string();
    assert_eq!(status_of(&app, &mediator, "signing/seal", &[("id", &id)]).await, 409, "sealed once");
    let code = link.split("c=").nth(1).expect("check code").to_string();

    let visitor = browser();
    let verify = |c: String| {
        let (app, visitor, id) = (&app, &visitor, id.clone());
        async move { call(app, visitor, "signing/verify", &[("id", id.as_str()), ("c", c.as_str())]).await }
    };
    let (status, checked, _) = verify(code.clone()).await;
    assert_eq!(status, 200, "{checked}");
    assert_eq!(checked["genuine"], true, "{checked}");
    assert_eq!(checked["signatures"][0]["signer"], "张*", "names are masked on a public page");
    assert_eq!(checked["signatures"][0]["method"], "sms_code");
    let actions: Vec<&str> = checked["log"].as_array().expect("log").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["signing.drafted", "signing.sent", "signing.opened", "signing.read", "signing.signed", "signing.sealed"]);
    assert_eq!(verify("0".repeat(16)).await.0.as_u16(), 404, "without the link's code, nothing is shown");

    // One term changed in the database after sealing: no longer genuine.
    let db = &app.state.app.db;
    let id_n: i64 = id.parse().expect("id");
    let original: String = sqlx::query_scalar("SELECT content FROM signing_versions WHERE document_id = ?").bind(id_n).fetch_one(db).await.expect("content");
    sqlx::query("UPDATE signing_versions SET content = ? WHERE document_id = ?").bind(original.replace("12000050", "1200005")).bind(id_n).execute(db).await.expect("tamper");
    assert_eq!(verify(code.clone()).await.1["genuine"], false, "a changed amount is detected");
    sqlx::query("UPDATE signing_versions SET content = ? WHERE document_id = ?").bind(&original).bind(id_n).execute(db).await.expect("restore");
    assert_eq!(verify(code.clone()).await.1["genuine"], true);

    // A seal made with another key over the same statement is a forgery.
    let statement_seal: String = sqlx::query_scalar("SELECT seal_signature FROM signing_documents WHERE id = ?").bind(id_n).fetch_one(db).await.expect("seal");
    let forger = app::ssr::seal::SealKey::from_secret(b"not-the-court-key-not-the-court-key!!");
    let forged = forger.sign(b"anything");
    sqlx::query("UPDATE signing_documents SET seal_signature = ?, seal_public = ? WHERE id = ?").bind(&forged).bind(forger.public_hex()).bind(id_n).execute(db).await.expect("forge");
    let code_forged = app::signing::model::verification_code(&forged);
    assert_eq!(verify(code_forged).await.1["genuine"], false, "a forged seal is detected");
    sqlx::query("UPDATE signing_documents SET seal_signature = ?, seal_public = ? WHERE id = ?")
        .bind(&statement_seal)
        .bind(app.state.app.seal.public_hex())
        .bind(id_n)
        .execute(db)
        .await
        .expect("restore");
    assert_eq!(verify(code.clone()).await.1["genuine"], true, "the court's own seal again");
    // A signature deleted from the record breaks the seal too.
    sqlx::query("UPDATE signing_signatures SET voided_at = 1 WHERE document_id = ?").bind(id_n).execute(db).await.expect("void");
    assert_eq!(verify(code).await.1["genuine"], false, "a signature taken away is detected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_signs_the_challenge_derived_from_the_fingerprint_once_and_its_assertion_cannot_be_replayed_or_moved_to_another_version() {
    let origin = "http://localhost:3000";
    let app = start(&[("TIANPING_PUBLIC_URL", origin)]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let mut passkey = crate::support::authenticator::SoftPasskey::new(origin, 7);
    let (status, started, _) = call(&app, &party, "passkey_register_start", &[]).await;
    assert_eq!(status, 200, "{started}");
    let credential = passkey.register(started["options"].as_str().expect("options"));
    let (status, body, _) = call(&app, &party, "passkey_register_finish", &[("id", started["id"].as_str().expect("id")), ("credential", &credential), ("name", "手机")]).await;
    assert_eq!(status, 200, "{body}");

    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let (id, fingerprint) = sent_agreement(&app, &mediator, &party, case).await;
    let (status, body, _) = call(&app, &party, "signing/passkey_start", &[("id", &id), ("version", "1")]).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_signing_read_first")), "no binding before reading to the end");
    call(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;

    let (status, ceremony, _) = call(&app, &party, "signing/passkey_start", &[("id", &id), ("version", "1")]).await;
    assert_eq!(status, 200, "{ceremony}");
    let options = ceremony["options"].as_str().expect("options").to_string();
    let ceremony_id = ceremony["id"].as_str().expect("id").to_string();
    let challenge: Value = serde_json::from_str(&options).expect("options json");
    let challenge_hex: String = crate::support::authenticator::b64url_decode(challenge["publicKey"]["challenge"].as_str().expect("challenge")).iter().map(|b| format!("{b:02x}")).collect();
    let assertion = passkey.assert(&options);
    let sign = |ceremony_id: String, assertion: String, version: &'static str| {
        let (app, party, id, fingerprint) = (&app, &party, id.clone(), fingerprint.clone());
        async move {
            let form = [("id", id.as_str()), ("version", version), ("fingerprint", fingerprint.as_str()), ("drawing", "M5 5 L50 40"), ("ceremony", ceremony_id.as_str()), ("credential", assertion.as_str())];
            let (status, body, _) = call(app, party, "signing/sign", &form).await;
            (status.as_u16(), body)
        }
    };
    let stranger = verified_stranger(&app).await;
    let form = [("id", id.as_str()), ("version", "1"), ("fingerprint", fingerprint.as_str()), ("typed_name", "李四"), ("ceremony", ceremony_id.as_str()), ("credential", assertion.as_str())];
    assert_ne!(call(&app, &stranger, "signing/sign", &form).await.0.as_u16(), 200, "another person cannot use the party's assertion");

    let (status, body) = sign(ceremony_id.clone(), assertion.clone(), "1").await;
    assert_eq!((status, &body), (200, &json!("all_signed")), "{body}");
    let kept: (String, String, Option<String>) = sqlx::query_as("SELECT method, challenge, credential_id FROM signing_signatures WHERE document_id = ?")
        .bind(id.parse::<i64>().expect("id"))
        .fetch_one(&app.state.app.db)
        .await
        .expect("signature");
    assert_eq!(kept.0, "passkey");
    assert_eq!(kept.1, challenge_hex, "the passkey signed the challenge derived from this version's fingerprint and the signer");
    assert_eq!(kept.2.as_deref(), Some(passkey.credential_id_hex().as_str()));
    let (status, body) = sign(ceremony_id.clone(), assertion.clone(), "1").await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("error_passkey_expired")), "replaying the same answer finds its ceremony used");

    // After an edit, the old assertion (over version 1's challenge) is refused against a new
    // ceremony for version 2: the passkey must sign the new fingerprint.
    let mut changed: Value = serde_json::from_str(&agreement()).expect("json");
    changed["terms"][1]["text"] = json!("原告放弃其他诉讼请求，双方再无争议");
    let text = changed.to_string();
    call(&app, &mediator, "signing/revise", &[("id", id.as_str()), ("version", "1"), ("title", "调解协议"), ("agreement", text.as_str())]).await;
    call(&app, &party, "signing/progress", &[("id", &id), ("version", "2"), ("step", "read_to_end")]).await;
    let (status, second, _) = call(&app, &party, "signing/passkey_start", &[("id", &id), ("version", "2")]).await;
    assert_eq!(status, 200, "{second}");
    let (_, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    let second_fingerprint = view["fingerprint"].as_str().expect("fingerprint").to_string();
    let form = [("id", id.as_str()), ("version", "2"), ("fingerprint", second_fingerprint.as_str()), ("drawing", "M5 5 L50 40"), ("ceremony", second["id"].as_str().expect("id")), ("credential", assertion.as_str())];
    let (status, body, _) = call(&app, &party, "signing/sign", &form).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_passkey_failed")), "an assertion over another version's challenge is refused");
    let actions = actions(&app, id.parse().expect("id")).await;
    assert_eq!(actions.iter().filter(|a| *a == "signing.signed").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_court_lists_its_documents_starts_templates_and_reminds_signers_and_no_one_else_may() {
    let app = start(&[]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let other_court = staff_browser(&app, "京0101", "mediator").await;
    let case_id = case.to_string();

    let (status, template, _) = call(&app, &mediator, "signing/template", &[("case_id", &case_id)]).await;
    assert_eq!(status, 200, "{template}");
    assert_eq!(template["parties"][0], json!({ "side": "claimant", "name": "张三" }), "the template starts from the complaint's parties");
    assert_eq!(template["signers"], json!(["张三"]));
    assert_eq!(status_of(&app, &clerk, "signing/template", &[("case_id", &case_id)]).await, 403, "a clerk does not draft");
    assert_eq!(status_of(&app, &other_court, "signing/template", &[("case_id", &case_id)]).await, 404, "another court's case");
    assert_eq!(status_of(&app, &party, "signing/template", &[("case_id", &case_id)]).await, 403, "a party");
    let (_, cases, _) = call(&app, &mediator, "signing/cases", &[]).await;
    assert_eq!(cases.as_array().map(Vec::len), Some(1), "{cases}");
    assert_eq!(cases[0][0], json!(case));
    let (_, elsewhere, _) = call(&app, &other_court, "signing/cases", &[]).await;
    assert_eq!(elsewhere, json!([]), "only the court's own cases");
    assert_eq!(status_of(&app, &clerk, "signing/cases", &[]).await, 403);
    assert_eq!(status_of(&app, &party, "signing/cases", &[]).await, 403);

    let (_, id, _) = call(&app, &mediator, "signing/draft", &[("case_id", &case_id), ("title", "调解协议"), ("agreement", &agreement())]).await;
    let id = id.as_i64().expect("id").to_string();
    let (_, listed, _) = call(&app, &party, "signing/list", &[]).await;
    assert_eq!(listed, json!([]), "a draft is not the party's yet");
    assert_eq!(status_of(&app, &mediator, "signing/remind", &[("id", &id)]).await, 409, "nothing to remind of before sending");
    call(&app, &mediator, "signing/send", &[("id", &id)]).await;
    let (_, listed, _) = call(&app, &party, "signing/list", &[]).await;
    assert_eq!((listed[0]["id"].to_string(), listed[0]["mine"].as_str()), (id.clone(), Some("sent")));
    let (_, court_list, _) = call(&app, &clerk, "signing/list", &[]).await;
    assert_eq!((court_list[0]["id"].to_string(), &court_list[0]["may_manage"]), (id.clone(), &json!(false)), "a clerk sees the court's documents but does not manage them");
    let (_, other_list, _) = call(&app, &other_court, "signing/list", &[]).await;
    assert_eq!(other_list, json!([]));
    assert_eq!(status_of(&app, &browser(), "signing/list", &[]).await, 401);

    assert_eq!(status_of(&app, &clerk, "signing/remind", &[("id", &id)]).await, 403);
    assert_eq!(status_of(&app, &other_court, "signing/remind", &[("id", &id)]).await, 404);
    assert_eq!(status_of(&app, &party, "signing/remind", &[("id", &id)]).await, 403);
    let (status, reminded, _) = call(&app, &mediator, "signing/remind", &[("id", &id)]).await;
    assert_eq!((status.as_u16(), reminded), (200, json!(1)));
    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE message = 'notice_signing_reminder'").fetch_one(&app.state.app.db).await.expect("inbox");
    assert_eq!(told, 1, "the party who has not signed is reminded in their inbox");

    let stranger = verified_stranger(&app).await;
    assert_eq!(status_of(&app, &stranger, "signing/passkey_start", &[("id", &id), ("version", "1")]).await, 404, "a non-party starts no binding");
    assert_eq!(status_of(&app, &stranger, "signing/sms_code", &[("id", &id), ("version", "1")]).await, 404, "nor asks for a code");
    let (_, listed, _) = call(&app, &stranger, "signing/list", &[]).await;
    assert_eq!(listed, json!([]), "nor sees it listed");
    assert!(actions(&app, id.parse().expect("id")).await.contains(&"signing.reminded".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sealed_pdf_is_served_on_the_party_and_the_check_finds_it_but_not_a_copy_with_one_byte_changed() {
    let app = start(&[]).await;
    let (id, mediator, party) = signed_agreement(&app).await;
    let (status, link, _) = call(&app, &mediator, "signing/seal", &[("id", &id)]).await;
    assert_eq!(status, 200, "{link}");
    let link = link.as_str().expect("link").to_string();
    let id_n: i64 = id.parse().expect("id");
    let (sha, served): (String, i64) =
        sqlx::query_as("SELECT pdf_sha256, served_document_id FROM signing_documents WHERE id = ?").bind(id_n).fetch_one(&app.state.app.db).await.expect("pdf kept");
    let logged: String = sqlx::query_scalar("SELECT details FROM audit_log WHERE subject = ? AND action = 'signing.sealed'").bind(format!("signing:{id}")).fetch_one(&app.state.app.db).await.expect("log");
    assert!(logged.contains(&sha), "the PDF's hash is in the hash-chained log: {logged}");

    // Served on the party: their case's documents, read receipt on opening.
    let res = party.get(format!("{}/documents/{served}", app.base)).send().await.expect("open");
    assert_eq!(res.status(), 200);
    let pdf = res.bytes().await.expect("bytes").to_vec();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, sha);
    let read: Option<i64> = sqlx::query_scalar("SELECT read_at FROM document_services WHERE document_id = ?").bind(served).fetch_one(&app.state.app.db).await.expect("service");
    assert!(read.is_some(), "opening it is the party's read receipt");
    let (_, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!(view["pdf_path"], json!(format!("/documents/{served}")));

    // Anyone checks a PDF: the original is found; one changed byte is not.
    let check = |bytes: Vec<u8>| {
        let (app, link) = (&app, link.clone());
        async move {
            let (status, to) = multipart_post(app, &browser(), "/sign/check", &[("back", link.as_str())], "pdf", Some(&bytes)).await;
            assert_eq!(status, 303);
            to
        }
    };
    assert_eq!(check(pdf.clone()).await, format!("{link}&file=original"));
    let mut tampered = pdf.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    assert_eq!(check(tampered).await, format!("{link}&file=changed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_court_sends_a_hearing_record_for_signature_and_the_party_signs_it_like_an_agreement() {
    let app = start(&[]).await;
    let party = browser();
    sign_in(&app, &party, "13800138000").await;
    call(&app, &party, "verify", &[("legal_name", "张三"), ("id_number", &registry_id("张三"))]).await;
    let (number, clerk) = accepted_case(&app, &party, "signing-record-13800138000-0123456789").await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    let day = app.state.app.clock.now().beijing_day() + 1;
    let date = app::identity::model::UnixTime::beijing_midnight(day).shanghai()[..10].to_string();
    let case_id = case.to_string();
    let form = [("case_id", case_id.as_str()), ("date", date.as_str()), ("time", "09:30"), ("minutes", "60"), ("mode", "online"), ("courtroom", "")];
    let (_, hearing, _) = call(&app, &clerk, "cases/schedule_hearing", &form).await;
    let h = hearing["id"].as_i64().expect("hearing id").to_string();

    let (status, body, _) = call(&app, &clerk, "signing/send_record", &[("hearing_id", &h)]).await;
    assert_eq!((status.as_u16(), body["Conflict"].as_str()), (409, Some("error_record_none")), "nothing to sign before the record is published");
    call(&app, &clerk, "hearings/publish_record", &[("hearing_id", &h), ("body", "审判员：现在开庭。\n原告：坚持诉讼请求。")]).await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let other_court = staff_browser(&app, "京0101", "clerk").await;
    assert_eq!(status_of(&app, &mediator, "signing/send_record", &[("hearing_id", &h)]).await, 403, "a mediator does not manage records");
    assert_eq!(status_of(&app, &other_court, "signing/send_record", &[("hearing_id", &h)]).await, 404);
    assert_eq!(status_of(&app, &party, "signing/send_record", &[("hearing_id", &h)]).await, 403);
    let (status, id, _) = call(&app, &clerk, "signing/send_record", &[("hearing_id", &h)]).await;
    assert_eq!(status, 200, "{id}");
    let (_, again, _) = call(&app, &clerk, "signing/send_record", &[("hearing_id", &h)]).await;
    assert_eq!(again, id, "sent once: a second send answers the same document");
    let id = id.as_i64().expect("id").to_string();

    let (_, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!((view["document"]["kind"].as_str(), view["status"].as_str()), (Some("hearing_record"), Some("out")));
    assert_eq!(view["document"]["content"]["text"]["body"], "审判员：现在开庭。\n原告：坚持诉讼请求。");
    let fingerprint = view["fingerprint"].as_str().expect("fingerprint").to_string();
    call(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;
    call(&app, &party, "signing/sms_code", &[("id", &id), ("version", "1")]).await;
    let code = signing_code(&app, "13800138000").await;
    let form = [("id", id.as_str()), ("version", "1"), ("fingerprint", fingerprint.as_str()), ("typed_name", "张三"), ("code", code.as_str())];
    let (status, body, _) = call(&app, &party, "signing/sign", &form).await;
    assert_eq!((status.as_u16(), body), (200, json!("all_signed")));
    assert_eq!(status_of(&app, &mediator, "signing/seal", &[("id", &id)]).await, 403, "the record is the clerk's and judge's to seal");
    let (status, link, _) = call(&app, &clerk, "signing/seal", &[("id", &id)]).await;
    assert_eq!(status, 200, "{link}");
    let (_, checked, _) = call(&app, &browser(), "signing/verify", &[("id", &id), ("c", link.as_str().and_then(|l| l.split("c=").nth(1)).unwrap_or_default())]).await;
    assert_eq!(checked["genuine"], true, "{checked}");
}

fn form_of<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lawyer_signs_for_a_client_only_under_special_authority_and_the_seal_names_the_lawyer() {
    let app = start(&[]).await;
    // The lawyer filed the case for the client under a general grant for the filing.
    let (lawyer, _clerk, client, case) = lawyers_case(&app).await;
    let client_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("client");
    let filing: i64 = sqlx::query_scalar("SELECT filing_id FROM cases WHERE id = ?").bind(case).fetch_one(&app.state.app.db).await.expect("filing");
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let (id, fingerprint) = sent_agreement(&app, &mediator, &client, case).await;
    let for_client = client_id.to_string();
    let as_agent = |extra: &[(&'static str, String)]| {
        let mut form = vec![("id", id.clone()), ("version", "1".to_string()), ("for_client", for_client.clone())];
        form.extend(extra.iter().cloned());
        form
    };

    // A general grant: the lawyer reads the document and is told they may not sign for the client.
    let (status, view, _) = call(&app, &lawyer, "signing/document", &[("id", &id)]).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["agency"], json!({ "client_id": client_id, "client_name": "黄秀英", "may_sign": false }));
    assert_eq!(view["mine"], Value::Null);
    let (_, listed, _) = call(&app, &lawyer, "signing/list", &[]).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "the lawyer's list has their client's document: {listed}");
    let read = as_agent(&[("step", "read_to_end".into())]);
    assert_eq!(status_of(&app, &lawyer, "signing/progress", &form_of(&read)).await, 403, "a general grant does not read for the client");
    assert_eq!(status_of(&app, &lawyer, "signing/sms_code", &form_of(&as_agent(&[]))).await, 403);
    let sign = as_agent(&[("fingerprint", fingerprint.clone()), ("typed_name", "梁静怡".into()), ("code", "123456".into())]);
    assert_eq!(status_of(&app, &lawyer, "signing/sign", &form_of(&sign)).await, 403);
    assert_eq!(status_of(&app, &lawyer, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await, 404, "not a signer in their own name");
    // Someone who is not the client's lawyer cannot name the client at all.
    let stranger = verified_stranger(&app).await;
    assert_eq!(status_of(&app, &stranger, "signing/progress", &form_of(&read)).await, 404);

    // The client gives the same lawyer special authority for the same filing: the grant changes.
    let special = [("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", &filing.to_string()), ("authority", "special")];
    let (status, grant, _) = call(&app, &client, "grant_representation", &special).await;
    assert_eq!((status.as_u16(), grant["authority"].as_str()), (200, Some("special")), "{grant}");
    let (status, again, _) = call(&app, &client, "grant_representation", &special).await;
    assert_eq!((status.as_u16(), again["Conflict"].as_str()), (409, Some("error_grant_exists")));
    let (_, view, _) = call(&app, &lawyer, "signing/document", &[("id", &id)]).await;
    assert_eq!(view["agency"]["may_sign"], true);
    assert_eq!(view["mine"], json!("sent"), "the lawyer sees where the client's signature stands");

    // The lawyer reads to the end and has the code texted to their own phone, for the client's signature.
    assert_eq!(status_of(&app, &lawyer, "signing/progress", &form_of(&read)).await, 200);
    assert_eq!(status_of(&app, &lawyer, "signing/sms_code", &form_of(&as_agent(&[]))).await, 200);
    let code = signing_code(&app, "13800138009").await;
    // That code signs only in the lawyer's hands.
    let client_form = [("id", id.as_str()), ("version", "1"), ("fingerprint", fingerprint.as_str()), ("typed_name", "黄秀英"), ("code", code.as_str())];
    let (status, body, _) = call(&app, &client, "signing/sign", &client_form).await;
    assert_eq!((status.as_u16(), body["Invalid"]["code"].as_str()), (422, Some("error_code_wrong")), "{body}");
    // The lawyer's mark is their own name, not the client's.
    let with_name = |name: &str| as_agent(&[("fingerprint", fingerprint.clone()), ("typed_name", name.into()), ("code", code.clone())]);
    let (status, body, _) = call(&app, &lawyer, "signing/sign", &form_of(&with_name("黄秀英"))).await;
    assert_eq!((status.as_u16(), body["Invalid"]["typed_name"].as_str()), (422, Some("error_signing_typed_name")), "{body}");
    let (status, body, _) = call(&app, &lawyer, "signing/sign", &form_of(&with_name("梁静怡"))).await;
    assert_eq!((status.as_u16(), body), (200, json!("all_signed")));
    let logged: String = sqlx::query_scalar("SELECT details FROM audit_log WHERE subject = ? AND action = 'signing.signed'").bind(format!("signing:{id}")).fetch_one(&app.state.app.db).await.expect("log");
    assert!(logged.contains(&format!("person:{client_id}")), "the log says whom the lawyer signed for: {logged}");

    // Sealed, the public check shows the client's signature given by their lawyer.
    let (status, link, _) = call(&app, &mediator, "signing/seal", &[("id", &id)]).await;
    assert_eq!(status, 200, "{link}");
    let c = link.as_str().and_then(|l| l.split("c=").nth(1)).unwrap_or_default().to_string();
    let (_, checked, _) = call(&app, &browser(), "signing/verify", &[("id", &id), ("c", &c)]).await;
    assert_eq!(checked["genuine"], true, "{checked}");
    assert_eq!((checked["signatures"][0]["signer"].as_str(), checked["signatures"][0]["agent"].as_str()), (Some("黄**"), Some("梁**")));
    // Taking the lawyer's name off the signature breaks the seal.
    sqlx::query("UPDATE signing_signatures SET signed_by = NULL").execute(&app.state.app.db).await.expect("tamper");
    let (_, checked, _) = call(&app, &browser(), "signing/verify", &[("id", &id), ("c", &c)]).await;
    assert_eq!(checked["genuine"], false, "{checked}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_court_sends_any_other_document_as_a_title_and_text_and_it_is_signed_and_sealed_like_an_agreement() {
    let app = start(&[]).await;
    let (party, case) = party_with_case(&app, "13800138000").await;
    let judge = staff_browser(&app, "京0105", "judge").await;
    let case_id = case.to_string();
    let body = "本人确认以下地址为本案送达地址：北京市朝阳区某某路1号。";
    let form = |title: &'static str, body: &'static str| [("case_id", case_id.clone()), ("title", title.to_string()), ("body", body.to_string())];
    let (status, problems, _) = call(&app, &judge, "signing/draft_text", &form_of(&form("", body))).await;
    assert_eq!((status.as_u16(), problems["Invalid"]["title"].as_str()), (422, Some("error_required")));
    let (status, problems, _) = call(&app, &judge, "signing/draft_text", &form_of(&form("送达地址确认书", "  "))).await;
    assert_eq!((status.as_u16(), problems["Invalid"]["body"].as_str()), (422, Some("error_required")), "{problems}");
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(status_of(&app, &clerk, "signing/draft_text", &form_of(&form("送达地址确认书", body))).await, 403, "clerks manage records, not these");
    assert_eq!(status_of(&app, &party, "signing/draft_text", &form_of(&form("送达地址确认书", body))).await, 403);
    assert_eq!(status_of(&app, &staff_browser(&app, "京0101", "judge").await, "signing/draft_text", &form_of(&form("送达地址确认书", body))).await, 404);

    let (status, id, _) = call(&app, &judge, "signing/draft_text", &form_of(&form("送达地址确认书", body))).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().expect("id").to_string();
    assert_eq!(status_of(&app, &party, "signing/document", &[("id", &id)]).await, 404, "a draft is the court's own");
    call(&app, &judge, "signing/send", &[("id", &id)]).await;
    let (_, view, _) = call(&app, &party, "signing/document", &[("id", &id)]).await;
    assert_eq!((view["document"]["kind"].as_str(), view["document"]["title"].as_str()), (Some("other"), Some("送达地址确认书")));
    let fingerprint = view["fingerprint"].as_str().expect("fingerprint").to_string();
    call(&app, &party, "signing/progress", &[("id", &id), ("version", "1"), ("step", "read_to_end")]).await;
    call(&app, &party, "signing/sms_code", &[("id", &id), ("version", "1")]).await;
    let code = signing_code(&app, "13800138000").await;
    let sign = [("id", id.as_str()), ("version", "1"), ("fingerprint", fingerprint.as_str()), ("typed_name", "张三"), ("code", code.as_str())];
    assert_eq!(call(&app, &party, "signing/sign", &sign).await.1, json!("all_signed"));
    let (status, link, _) = call(&app, &judge, "signing/seal", &[("id", &id)]).await;
    assert_eq!(status, 200, "{link}");
    let (_, checked, _) = call(&app, &browser(), "signing/verify", &[("id", &id), ("c", link.as_str().and_then(|l| l.split("c=").nth(1)).unwrap_or_default())]).await;
    assert_eq!((checked["genuine"].as_bool(), checked["title"].as_str()), (Some(true), Some("送达地址确认书")));
}
