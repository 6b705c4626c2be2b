//! The filing journey as the app's client drives it, for suites that need a filing or a case:
//! wizard steps, chunked uploads, a complete civil draft, submission and acceptance.
use super::*;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A PDF-looking file of `len` bytes (the server decides the type from the first bytes).
pub fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..len.saturating_sub(9)).map(|i| (i % 251) as u8));
    bytes
}

pub fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub async fn post(app: &App, b: &reqwest::Client, endpoint: &str, form: &[(String, String)]) -> (StatusCode, Value) {
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body, _) = call(app, b, endpoint, &borrowed).await;
    (status, body)
}

/// Saves one wizard step with `go=next` and the given `draft[...]` fields; asserts it moved on.
pub async fn step(app: &App, b: &reqwest::Client, id: i64, step: &str, fields: &[(&str, &str)]) {
    let mut form = owned(&[("id", &id.to_string()), ("step", step), ("go", "next")]);
    form.extend(owned(fields));
    let (status, body) = post(app, b, "filing/save", &form).await;
    assert_eq!(status, 200, "{step}: {body}");
    assert_eq!(body["problems"], serde_json::json!({}), "{step} has problems: {body}");
}

pub async fn action(app: &App, b: &reqwest::Client, id: i64, step: &str, go: &str) -> (StatusCode, Value) {
    post(app, b, "filing/save", &owned(&[("id", &id.to_string()), ("step", step), ("go", go)])).await
}

/// Sends a file in chunks as the browser does; answers the last progress report.
pub async fn upload(app: &App, b: &reqwest::Client, filing: i64, target: &str, name: &str, bytes: &[u8]) -> Value {
    let (status, started) = post(
        app,
        b,
        "filing/upload_start",
        &owned(&[("filing_id", &filing.to_string()), ("name", name), ("size", &bytes.len().to_string()), ("target", target)]),
    )
    .await;
    assert_eq!(status, 200, "{started}");
    let id = started["upload_id"].as_i64().expect("upload id");
    let chunk = started["chunk_bytes"].as_u64().expect("chunk size") as usize;
    let mut offset = 0usize;
    let mut last = Value::Null;
    while offset < bytes.len() {
        let end = (offset + chunk).min(bytes.len());
        let res = b.put(format!("{}/api/filing/upload/{id}?offset={offset}", app.base)).body(bytes[offset..end].to_vec()).send().await.expect("put");
        assert_eq!(res.status(), 200);
        last = res.json().await.expect("json");
        offset = last["received"].as_u64().expect("received") as usize;
    }
    last
}

pub async fn new_filing(app: &App, b: &reqwest::Client) -> i64 {
    let (status, id, _) = call(app, b, "filing/start", &[]).await;
    assert_eq!(status, 200, "{id}");
    id.as_i64().expect("filing id")
}

/// A complete civil filing by 张三 against a Beijing company at 京0105, with one evidence file.
pub async fn complete_civil_draft(app: &App, b: &reqwest::Client) -> (i64, Vec<u8>) {
    let id = new_filing(app, b).await;
    step(app, b, id, "case_type", &[("draft[case_type]", "civil")]).await;
    step(app, b, id, "court", &[("draft[court]", "京0105"), ("draft[contract_place]", "")]).await;
    action(app, b, id, "parties", "add:parties:claimant").await;
    action(app, b, id, "parties", "add:parties:respondent").await;
    step(
        app,
        b,
        id,
        "parties",
        &[
            ("draft[parties][0][role]", "claimant"),
            ("draft[parties][0][kind]", "person"),
            ("draft[parties][0][name]", "张三"),
            ("draft[parties][0][id_number]", &registry_id("张三")),
            ("draft[parties][0][phone]", "13800138000"),
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
    step(app, b, id, "agent", &[]).await;
    action(app, b, id, "claims", "add:claims").await;
    action(app, b, id, "claims", "add:claims").await;
    step(
        app,
        b,
        id,
        "claims",
        &[
            ("draft[details][cause]", "买卖合同纠纷"),
            ("draft[claims][0][text]", "判令被告支付货款"),
            ("draft[claims][0][amount]", "120,000.50"),
            ("draft[claims][1][text]", "判令被告承担本案诉讼费用"),
            ("draft[claims][1][amount]", ""),
        ],
    )
    .await;
    step(app, b, id, "facts", &[("draft[facts]", "2025年3月原告向被告供货，被告至今未付货款。")]).await;
    action(app, b, id, "evidence", "add:evidence").await;
    let file = pdf(700 * 1024);
    let done = upload(app, b, id, "evidence:0", "买卖合同.pdf", &file).await;
    assert_eq!(done["file"]["sha256"], hex::encode(Sha256::digest(&file)));
    step(
        app,
        b,
        id,
        "evidence",
        &[("draft[evidence][0][name]", "买卖合同"), ("draft[evidence][0][source]", "原告持有"), ("draft[evidence][0][proves]", "双方存在买卖合同关系")],
    )
    .await;
    (id, file)
}

pub async fn submit(app: &App, b: &reqwest::Client, id: i64, key: &str) -> (StatusCode, Value) {
    post(app, b, "filing/submit", &owned(&[("id", &id.to_string()), ("request_key", key), ("declaration", "true")])).await
}

/// A litigant's filing accepted by a clerk of 京0105: the case number and the clerk's browser.
pub async fn accepted_case(app: &App, litigant: &reqwest::Client, key: &str) -> (String, reqwest::Client) {
    let (id, _) = complete_civil_draft(app, litigant).await;
    let (status, receipt) = submit(app, litigant, id, key).await;
    assert_eq!(status, 200, "{receipt}");
    let clerk = staff_browser(app, "京0105", "clerk").await;
    let (status, number, _) = call(app, &clerk, "filing/accept", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{number}");
    (number.as_str().expect("case number").to_string(), clerk)
}

/// A verified lawyer (梁静怡, licence 11101200910123456, verified by a clerk of 京0105) and a
/// verified client (黄秀英) who has not granted anything yet: the browsers and the client's id.
pub async fn lawyer_and_client(app: &App) -> (reqwest::Client, reqwest::Client, reqwest::Client, i64) {
    let lawyer = verified_browser(app, "13800138009", "梁静怡").await;
    let (_, profile, _) = call(app, &lawyer, "apply_as_lawyer", &[("licence", "11101200910123456"), ("firm", "北京市天平律师事务所"), ("region", "京")]).await;
    let clerk = staff_browser(app, "京0105", "clerk").await;
    call(app, &clerk, "decide_lawyer", &[("person_id", &profile["person_id"].to_string()), ("verify", "true")]).await;
    let client = verified_browser(app, "13800138010", "黄秀英").await;
    let client_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("client");
    (lawyer, clerk, client, client_id)
}

/// A case a lawyer filed for a client (granted, with the power of attorney), accepted by a
/// clerk of 京0105: the lawyer's, clerk's and client's browsers and the case's id.
pub async fn lawyers_case(app: &App) -> (reqwest::Client, reqwest::Client, reqwest::Client, i64) {
    let (lawyer, clerk, client, client_id) = lawyer_and_client(app).await;
    let (id, _) = complete_civil_draft(app, &lawyer).await;
    let sid = id.to_string();
    let grant = [("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", sid.as_str())];
    assert_eq!(call(app, &client, "grant_representation", &grant).await.0, 200);
    let choose = owned(&[("id", &sid), ("step", "agent"), ("go", "next"), ("draft[agent][client_id]", &client_id.to_string())]);
    assert_eq!(post(app, &lawyer, "filing/save", &choose).await.0, 200);
    upload(app, &lawyer, id, "agent", "授权委托书.pdf", &pdf(2000)).await;
    assert_eq!(submit(app, &lawyer, id, "cases-lawyer-0123456789").await.0, 200);
    let (status, number, _) = call(app, &clerk, "filing/accept", &[("id", &sid)]).await;
    assert_eq!(status, 200, "{number}");
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE filing_id = ?").bind(id).fetch_one(&app.state.app.db).await.expect("case");
    (lawyer, clerk, client, case)
}
