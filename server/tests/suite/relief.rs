//! Fee relief (司法救助, arts. 44–49 of the Measures) against the real server: applied for in the
//! wizard with proof of hardship, decided by the clerk with the acceptance, and the fee notice
//! issued as the decision leaves it; the refusals of bad applications and decisions, and who may
//! read and decide what.

use reqwest::StatusCode;
use serde_json::Value;
use crate::support::filing::*;
use crate::support::*;

/// The fee of the civil filing `complete_civil_draft` makes (claims of 120,000.50 yuan).
const FEE: i64 = 270_001;

/// Saves the Claims step again (it posts the claims too, so they are sent as they were) with the
/// relief fields; answers the problems.
async fn claims_with_relief(app: &App, b: &reqwest::Client, id: i64, relief: &[(&str, &str)]) -> Value {
    let mut form = owned(&[
        ("id", &id.to_string()),
        ("step", "claims"),
        ("go", "next"),
        ("draft[details][cause]", "买卖合同纠纷"),
        ("draft[claims][0][text]", "判令被告支付货款"),
        ("draft[claims][0][amount]", "120,000.50"),
        ("draft[claims][1][text]", "判令被告承担本案诉讼费用"),
        ("draft[claims][1][amount]", ""),
    ]);
    form.extend(relief.iter().map(|(k, v)| (format!("draft[relief][{k}]"), v.to_string())));
    let (status, body) = post(app, b, "filing/save", &form).await;
    assert_eq!(status, 200, "{body}");
    body["problems"].clone()
}

/// A complete civil filing with a relief application and one proof of hardship, submitted;
/// answers the filing id and the proof's file id.
async fn filed_with_relief(app: &App, b: &reqwest::Client, kind: &str, ground: &str, key: &str) -> (i64, i64) {
    let (id, _) = complete_civil_draft(app, b).await;
    let proof = upload(app, b, id, "relief", "低保证明.pdf", &pdf(40 * 1024)).await;
    let file_id = proof["file"]["id"].as_i64().expect("the proof arrived");
    let problems = claims_with_relief(app, b, id, &[("kind", kind), ("ground", ground), ("reasons", "家中遭受洪灾，房屋损毁，无力一次交纳诉讼费。")]).await;
    assert_eq!(problems, serde_json::json!({}));
    let (status, receipt) = submit(app, b, id, key).await;
    assert_eq!(status, 200, "{receipt}");
    assert!(receipt["files"].as_array().expect("files").iter().any(|f| f["id"] == file_id), "the receipt lists the proof: {receipt}");
    (id, file_id)
}

async fn accept(app: &App, clerk: &reqwest::Client, id: i64, relief: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut form = owned(&[("id", &id.to_string())]);
    form.extend(relief.iter().map(|(k, v)| (format!("relief[{k}]"), v.to_string())));
    post(app, clerk, "filing/accept", &form).await
}

async fn scalar_i64(app: &App, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(&app.state.app.db).await.expect("query")
}

/// The notice of a filing's case as stored: (amount_fen, deadline, relief JSON).
async fn notice_of(app: &App, filing: i64) -> (i64, i64, Option<String>) {
    sqlx::query_as("SELECT n.amount_fen, n.deadline, n.relief FROM fee_notices n JOIN cases c ON c.id = n.case_id WHERE c.filing_id = ?")
        .bind(filing)
        .fetch_one(&app.state.app.db)
        .await
        .expect("a notice")
}

async fn notifications_of(app: &App, b: &reqwest::Client) -> Vec<String> {
    let (_, list, _) = call(app, b, "filing/notifications", &[]).await;
    list.as_array().expect("notifications").iter().map(|n| n["message"].as_str().unwrap_or_default().to_string()).collect()
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reduction_of_forty_percent_leaves_sixty_percent_of_the_fee_on_the_notice() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (id, proof) = filed_with_relief(&app, &litigant, "reduce", "disaster_hardship", "relief-reduce-0123456789").await;

    let (_, detail, _) = call(&app, &litigant, "filing/detail", &[("id", &id.to_string())]).await;
    assert_eq!(detail["draft"]["relief"]["kind"], "reduce", "the filer sees what they applied for: {detail}");
    assert_eq!(detail["relief"], Value::Null, "not decided yet");

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, review, _) = call(&app, &clerk, "filing/review", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{review}");
    assert_eq!(review["draft"]["relief"]["ground"], "disaster_hardship");
    assert_eq!(review["draft"]["relief"]["files"][0]["id"], proof, "the clerk sees the proof");
    assert_eq!(review["fee"], FEE);
    assert_eq!(clerk.get(format!("{}/files/{proof}", app.base)).send().await.expect("preview").status(), 200, "and can open it");

    let (status, body) = accept(&app, &clerk, id, &[]).await;
    assert_eq!((status, body["Invalid"]["relief.decision"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_decision")), "no acceptance without a decision");
    let (status, body) = accept(&app, &clerk, id, &[("decision", "reduce"), ("percent", "20")]).await;
    assert_eq!((status, body["Invalid"]["relief.percent"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_percent")), "at least 30%");
    let (status, body) = accept(&app, &clerk, id, &[("decision", "waive")]).await;
    assert_eq!((status, body["Invalid"]["relief.decision"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_decision_kind")), "a reduction was asked for, not a waiver");
    assert_eq!(scalar_i64(&app, "SELECT COUNT(*) FROM cases WHERE filing_id = ?", id).await, 0, "nothing was accepted by the refused attempts");

    let (status, number) = accept(&app, &clerk, id, &[("decision", "reduce"), ("percent", "40")]).await;
    assert_eq!(status, 200, "{number}");

    // 2,700.01 × 60% = 1,620.006 → 1,620.01 (half up to the fen).
    let due = 162_001;
    let (amount, _, relief) = notice_of(&app, id).await;
    assert_eq!(amount, due);
    let relief: Value = serde_json::from_str(&relief.expect("the relief is on the notice")).expect("json");
    assert_eq!((relief["decision"].clone(), relief["percent"].clone()), (Value::from("reduce"), Value::from(40)));
    assert_eq!((relief["original"].clone(), relief["relief"].clone(), relief["due"].clone()), (Value::from(FEE), Value::from(FEE - due), Value::from(due)));

    let (_, notices, _) = call(&app, &litigant, "fees/mine", &[]).await;
    assert_eq!(notices[0]["working"]["total"], due, "the notice asks for the reduced amount: {notices}");
    assert_eq!(notices[0]["working"]["full"], FEE, "and keeps the full fee's working");

    let (_, detail, _) = call(&app, &litigant, "filing/detail", &[("id", &id.to_string())]).await;
    assert_eq!((detail["relief"]["decision"].clone(), detail["relief"]["percent"].clone()), (Value::from("reduce"), Value::from(40)));
    assert_eq!((detail["relief"]["original"].clone(), detail["relief"]["due"].clone()), (Value::from(FEE), Value::from(due)));
    assert!(notifications_of(&app, &litigant).await.contains(&"notice_relief_granted".to_string()), "the filer is told");

    let audited: String = sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'fees.relief_decided' AND subject = ?")
        .bind(format!("filing:{id}"))
        .fetch_one(&app.state.app.db)
        .await
        .expect("audited");
    assert!(audited.contains("\"percent\":40"), "{audited}");
    assert_eq!(scalar_i64(&app, "SELECT COUNT(*) FROM fee_relief_decisions WHERE filing_id = ?", id).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiver_leaves_nothing_to_pay_and_says_so() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138001", "张三").await;
    let (id, _) = filed_with_relief(&app, &litigant, "waive", "subsistence_allowance", "relief-waive-01234567890").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, number) = accept(&app, &clerk, id, &[("decision", "waive")]).await;
    assert_eq!(status, 200, "{number}");
    let (amount, _, relief) = notice_of(&app, id).await;
    assert_eq!(amount, 0);
    let relief: Value = serde_json::from_str(&relief.expect("relief")).expect("json");
    assert_eq!((relief["decision"].clone(), relief["due"].clone(), relief["relief"].clone()), (Value::from("waive"), Value::from(0), Value::from(FEE)));
    let (_, notices, _) = call(&app, &litigant, "fees/mine", &[]).await;
    assert_eq!(notices[0]["working"]["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiver_asked_for_may_be_granted_as_a_reduction() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138002", "张三").await;
    let (id, _) = filed_with_relief(&app, &litigant, "waive", "maintenance", "relief-lesser-0123456789").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, number) = accept(&app, &clerk, id, &[("decision", "reduce"), ("percent", "50")]).await;
    assert_eq!(status, 200, "{number}");
    assert_eq!(notice_of(&app, id).await.0, 135_001, "2,700.01 halved is 1,350.005 → 1,350.01");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_cannot_apply_for_a_waiver() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138003", "张三").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    // The claimant becomes a company (the filer acting for it).
    step(
        &app,
        &litigant,
        id,
        "parties",
        &[
            ("draft[parties][0][role]", "claimant"),
            ("draft[parties][0][kind]", "organisation"),
            ("draft[parties][0][name]", "上海某某贸易有限公司"),
            ("draft[parties][0][uscc]", "91110105MA01AB2C3F"),
            ("draft[parties][0][representative]", "张三"),
            ("draft[parties][0][address]", "上海市浦东新区世纪大道100号"),
            ("draft[parties][1][role]", "respondent"),
            ("draft[parties][1][kind]", "organisation"),
            ("draft[parties][1][name]", "北京某某科技有限公司"),
            ("draft[parties][1][uscc]", "91110105MA01AB2C3F"),
            ("draft[parties][1][representative]", "王五"),
            ("draft[parties][1][address]", "北京市朝阳区建国路88号"),
        ],
    )
    .await;
    upload(&app, &litigant, id, "relief", "亏损报表.pdf", &pdf(20 * 1024)).await;
    let problems = claims_with_relief(&app, &litigant, id, &[("kind", "waive"), ("ground", "other_waive"), ("reasons", "公司连年亏损，无力交纳诉讼费用。")]).await;
    assert_eq!(problems["relief.kind"], "error_relief_waiver_person", "{problems}");
    let (status, body) = submit(&app, &litigant, id, "relief-org-waive-0123456789").await;
    assert_eq!((status, body["Invalid"]["relief.kind"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_waiver_person")));
    // A reduction is open to organisations.
    let problems = claims_with_relief(&app, &litigant, id, &[("kind", "reduce"), ("ground", "other_reduce"), ("reasons", "公司连年亏损，无力交纳诉讼费用。")]).await;
    assert_eq!(problems, serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_without_reasons_or_proof_is_shown_on_its_fields() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138004", "张三").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    let problems = claims_with_relief(&app, &litigant, id, &[("kind", "defer"), ("ground", "disaster_hardship"), ("reasons", "  ")]).await;
    assert_eq!(problems["relief.ground"], "error_relief_ground", "a ground of reduction does not support a deferral: {problems}");
    assert_eq!(problems["relief.reasons"], "error_required");
    assert_eq!(problems["relief.files"], "error_relief_evidence");
    let (status, body) = submit(&app, &litigant, id, "relief-incomplete-012345678").await;
    assert_eq!((status, body["Invalid"]["relief.files"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_evidence")));
    // Choosing not to apply clears every relief problem.
    assert_eq!(claims_with_relief(&app, &litigant, id, &[("kind", "")]).await, serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_relief_leaves_the_full_fee_with_the_reason_shown_to_the_filer() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138005", "张三").await;
    let (id, _) = filed_with_relief(&app, &litigant, "reduce", "disaster_hardship", "relief-refuse-0123456789").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, body) = accept(&app, &clerk, id, &[("decision", "refuse"), ("reason", "  ")]).await;
    assert_eq!((status, body["Invalid"]["relief.reason"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_reason_needed")), "a refusal says why (art. 49)");
    let reason = "所附证明不能证明经济困难。";
    let (status, number) = accept(&app, &clerk, id, &[("decision", "refuse"), ("reason", reason)]).await;
    assert_eq!(status, 200, "{number}");
    let (amount, _, relief) = notice_of(&app, id).await;
    assert_eq!((amount, relief), (FEE, None), "the full fee, nothing relieved");
    let (_, detail, _) = call(&app, &litigant, "filing/detail", &[("id", &id.to_string())]).await;
    assert_eq!((detail["relief"]["decision"].clone(), detail["relief"]["reason"].clone()), (Value::from("refuse"), Value::from(reason)));
    assert!(notifications_of(&app, &litigant).await.contains(&"notice_relief_refused".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deferral_moves_the_deadline_and_keeps_the_amount() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138006", "张三").await;
    let (id, _) = filed_with_relief(&app, &litigant, "defer", "accident_victim", "relief-defer-01234567890").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (_, review, _) = call(&app, &clerk, "filing/review", &[("id", &id.to_string())]).await;
    let normal = review["normal_deadline"].as_i64().expect("the normal deadline");
    let day = |t: i64| {
        let (y, m, d) = app::identity::model::UnixTime(t).beijing_ymd();
        format!("{y:04}-{m:02}-{d:02}")
    };
    // The normal deadline is 24:00 of its last day, i.e. 00:00 of the next: one second before
    // is the last day itself, which is not later.
    let (status, body) = accept(&app, &clerk, id, &[("decision", "defer"), ("until", &day(normal - 1))]).await;
    assert_eq!((status, body["Invalid"]["relief.until"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_date_later")));
    let until = day(normal + 30 * 86_400);
    let (status, number) = accept(&app, &clerk, id, &[("decision", "defer"), ("until", &until)]).await;
    assert_eq!(status, 200, "{number}");
    let (amount, deadline, relief) = notice_of(&app, id).await;
    assert_eq!(amount, FEE);
    assert_eq!(day(deadline - 1), until, "the notice may be paid until the end of the decided day");
    let relief: Value = serde_json::from_str(&relief.expect("relief")).expect("json");
    assert_eq!((relief["normal_deadline"].as_i64(), relief["deadline"].as_i64()), (Some(normal), Some(deadline)));
    let (_, notices, _) = call(&app, &litigant, "fees/mine", &[]).await;
    assert_eq!(notices[0]["deadline"], deadline);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_filer_reads_the_application_and_only_clerks_of_the_court_decide_it() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138007", "张三").await;
    let (id, proof) = filed_with_relief(&app, &litigant, "reduce", "disaster_hardship", "relief-rights-0123456789").await;
    let sid = id.to_string();
    let decision = [("decision", "reduce"), ("percent", "90")];

    let stranger = verified_browser(&app, "13800138008", "李四").await;
    assert_eq!(call(&app, &stranger, "filing/detail", &[("id", &sid)]).await.0, 404, "another person cannot read the application");
    assert_eq!(stranger.get(format!("{}/files/{proof}", app.base)).send().await.expect("file").status(), 404, "nor its proof");
    assert_eq!(call(&app, &stranger, "filing/review", &[("id", &sid)]).await.0, 403);
    // Nor add proof to it.
    let (status, _) = post(&app, &stranger, "filing/upload_start", &owned(&[("filing_id", &sid), ("name", "x.pdf"), ("size", "100"), ("target", "relief")])).await;
    assert_eq!(status, 404);

    assert_eq!(accept(&app, &litigant, id, &decision).await.0, 403, "a litigant cannot grant their own relief");
    assert_eq!(accept(&app, &browser(), id, &decision).await.0, 401);
    let shanghai = staff_browser(&app, "沪0115", "clerk").await;
    assert_eq!(accept(&app, &shanghai, id, &decision).await.0, 404, "staff of another court");
    let judge = staff_browser(&app, "京0105", "judge").await;
    assert_eq!(accept(&app, &judge, id, &decision).await.0, 403);
    assert_eq!(scalar_i64(&app, "SELECT COUNT(*) FROM fee_relief_decisions WHERE filing_id = ?", id).await, 0);

    // A decision for a filing that applied for nothing is refused rather than ignored.
    let other = verified_browser(&app, "13800138009", "王小明").await;
    let (plain, _) = complete_civil_draft(&app, &other).await;
    assert_eq!(submit(&app, &other, plain, "relief-plain-01234567890").await.0, 200);
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, body) = accept(&app, &clerk, plain, &decision).await;
    assert_eq!((status, body["Invalid"]["relief.decision"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_relief_decision_kind")));
    assert_eq!(accept(&app, &clerk, plain, &[]).await.0, 200, "and without one it is accepted as before");
    assert_eq!(notice_of(&app, plain).await, (FEE, notice_of(&app, plain).await.1, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lawyer_applies_for_the_client_and_the_client_sees_the_decision() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, client_id) = lawyer_and_client(&app).await;
    let (id, _) = complete_civil_draft(&app, &lawyer).await;
    let sid = id.to_string();
    let grant = [("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", sid.as_str())];
    assert_eq!(call(&app, &client, "grant_representation", &grant).await.0, 200);
    let choose = owned(&[("id", &sid), ("step", "agent"), ("go", "next"), ("draft[agent][client_id]", &client_id.to_string())]);
    assert_eq!(post(&app, &lawyer, "filing/save", &choose).await.0, 200);
    upload(&app, &lawyer, id, "agent", "授权委托书.pdf", &pdf(2000)).await;
    // The client cannot add to the lawyer's draft; the lawyer applies for them.
    let (status, _) = post(&app, &client, "filing/upload_start", &owned(&[("filing_id", &sid), ("name", "x.pdf"), ("size", "100"), ("target", "relief")])).await;
    assert_eq!(status, 404);
    upload(&app, &lawyer, id, "relief", "法律援助决定书.pdf", &pdf(4000)).await;
    let problems = claims_with_relief(&app, &lawyer, id, &[("kind", "defer"), ("ground", "legal_aid"), ("reasons", "当事人正在接受法律援助中心的法律援助。")]).await;
    assert_eq!(problems, serde_json::json!({}));
    assert_eq!(submit(&app, &lawyer, id, "relief-lawyer-0123456789").await.0, 200);

    let (_, detail, _) = call(&app, &client, "filing/detail", &[("id", &sid)]).await;
    assert_eq!(detail["draft"]["relief"]["ground"], "legal_aid", "the client reads what was applied for in their name");
    let (_, review, _) = call(&app, &clerk, "filing/review", &[("id", &sid)]).await;
    let (y, m, d) = app::identity::model::UnixTime(review["normal_deadline"].as_i64().expect("deadline") + 60 * 86_400).beijing_ymd();
    let (status, number) = accept(&app, &clerk, id, &[("decision", "defer"), ("until", &format!("{y:04}-{m:02}-{d:02}"))]).await;
    assert_eq!(status, 200, "{number}");
    let (_, detail, _) = call(&app, &client, "filing/detail", &[("id", &sid)]).await;
    assert_eq!(detail["relief"]["decision"], "defer");
    assert!(notifications_of(&app, &client).await.contains(&"notice_relief_granted".to_string()), "the client is told");
    assert!(notifications_of(&app, &lawyer).await.contains(&"notice_relief_granted".to_string()), "and the lawyer");
}

/// A page as the server renders it for `b`.
async fn page(app: &App, b: &reqwest::Client, path: &str) -> String {
    b.get(format!("{}{path}", app.base)).send().await.expect("page").text().await.expect("body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_show_the_application_its_problems_and_the_decision_in_the_persons_language() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138012", "张三").await;
    let (id, _) = complete_civil_draft(&app, &litigant).await;
    claims_with_relief(&app, &litigant, id, &[("kind", "reduce"), ("ground", "disaster_hardship"), ("reasons", "洪水冲毁住房")]).await;
    let claims = page(&app, &litigant, &format!("/file/{id}/claims?check=1")).await;
    assert!(claims.contains("申请缓交/减交/免交诉讼费") && claims.contains("请上传至少一份经济困难的证明材料。"), "the problem next to the proof");
    upload(&app, &litigant, id, "relief", "证明.pdf", &pdf(3000)).await;
    let review = page(&app, &litigant, &format!("/file/{id}/review")).await;
    assert!(review.contains("data-testid=\"relief-application\"") && review.contains("洪水冲毁住房"));
    assert_eq!(submit(&app, &litigant, id, "relief-pages-0123456789").await.0, 200);

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let desk = page(&app, &clerk, &format!("/staff/filings/{id}")).await;
    assert!(desk.contains("data-testid=\"relief-decide\"") && desk.contains("2,700.01"), "the decision's fields and the fee");
    assert_eq!(accept(&app, &clerk, id, &[("decision", "reduce"), ("percent", "30")]).await.0, 200);

    let filed = page(&app, &litigant, &format!("/filings/{id}")).await;
    assert!(filed.contains("准予减交 30%：诉讼费 ¥2,700.01，减交 ¥810.00，应交 ¥1,890.01。"), "the filer reads the decision");
    let english = litigant.get(format!("{}/filings/{id}", app.base)).header("Accept-Language", "en").send().await.expect("page").text().await.expect("body");
    assert!(english.contains("Reduction of 30% granted: court fee ¥2,700.01, reduced by ¥810.00, ¥1,890.01 to pay."), "and in English");
}
