//! Electronic fee receipts against the real server on 127.0.0.1:0: a notice paid at the sandbox
//! cashier gives its payer a receipt (page, server function and PDF) that nobody else can read,
//! and a public check that says "genuine" only for the code printed on the receipt.

use reqwest::StatusCode;
use serde_json::Value;
use crate::support::filing::*;
use crate::support::*;

/// Opens the notice's payment order and pays it at the sandbox cashier; answers the receipt number.
async fn pay_notice(app: &App, payer: &reqwest::Client, notice: i64) -> String {
    let (status, number, _) = call(app, payer, "fees/pay", &[("notice_id", &notice.to_string())]).await;
    assert_eq!(status, 200, "{number}");
    let number = number.as_str().expect("order number").to_string();
    let (_, order, _) = call(app, payer, "fees/order", &[("out_trade_no", &number)]).await;
    let code_url = order["code_url"].as_str().expect("code url").to_string();
    let phone = browser();
    let paid = phone.post(&code_url).form(&[("confirm", "1")]).send().await.expect("pay");
    assert!(paid.status().is_success() || paid.status().is_redirection(), "{}", paid.status());
    let (_, done, _) = call(app, payer, "fees/order", &[("out_trade_no", &number)]).await;
    assert_eq!(done["status"], "Paid", "{done}");
    done["receipt_no"].as_str().expect("receipt number").to_string()
}

/// A verified litigant (张三) whose accepted case's fee is paid: their browser, the case number
/// and the receipt number.
async fn paid_case(app: &App) -> (reqwest::Client, String, String) {
    let litigant = verified_browser(app, "13800138000", "张三").await;
    let (case_number, _) = accepted_case(app, &litigant, "receipt-13800138000-0123456789").await;
    let notices = call(app, &litigant, "fees/mine", &[]).await.1;
    let notice = notices[0]["id"].as_i64().expect("a notice");
    let receipt = pay_notice(app, &litigant, notice).await;
    (litigant, case_number, receipt)
}

async fn receipt(app: &App, b: &reqwest::Client, number: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, b, "fees/receipt", &[("receipt_no", number)]).await;
    (status, body)
}

async fn pdf_of(app: &App, b: &reqwest::Client, number: &str) -> reqwest::Response {
    b.get(format!("{}/receipts/{number}/pdf", app.base)).send().await.expect("pdf")
}

async fn check(app: &App, number: &str, code: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, &browser(), "fees/verify_receipt", &[("receipt_no", number), ("code", code)]).await;
    (status, body)
}

/// The check code in a verification URL (`…?c=CODE`).
fn code_of(url: &str) -> String {
    url.split_once("?c=").map(|(_, c)| c.to_string()).expect("a check code in the URL")
}

async fn page(app: &App, b: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let res = b.get(format!("{}{path}", app.base)).send().await.expect("page");
    (res.status(), res.text().await.expect("body"))
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_payer_reads_the_receipt_with_the_amount_in_capitals_and_downloads_its_pdf() {
    let app = start(&[]).await;
    let (litigant, case_number, number) = paid_case(&app).await;

    let (status, r) = receipt(&app, &litigant, &number).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["receipt_no"], number.as_str());
    assert_eq!(r["amount"], 270_001);
    assert_eq!(r["amount_in_capitals"], "贰仟柒佰元零壹分");
    assert_eq!(r["case_number"], case_number.as_str());
    assert_eq!(r["payer_name"], "张三");
    assert_eq!(r["working"]["total"], 270_001, "the items are the notice's working");
    assert!(r["transaction_id"].as_str().is_some_and(|t| !t.is_empty()), "{r}");
    let url = r["verify_url"].as_str().expect("verification URL");
    assert!(url.starts_with(&format!("{}/receipts/verify/{number}?c=", app.base)), "{url}");
    assert_eq!(code_of(url).len(), 16);
    assert!(r["qr_svg"].as_str().is_some_and(|s| s.starts_with("<svg")), "a QR code");

    let res = pdf_of(&app, &litigant, &number).await;
    assert_eq!(res.status(), 200);
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("content-disposition"), format!("inline; filename=\"{number}.pdf\""));
    assert_eq!(header("cache-control"), "private, no-store");
    let bytes = res.bytes().await.expect("pdf bytes");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
    assert!(String::from_utf8_lossy(&bytes).contains(&number), "the receipt number is in the document");

    // The page, rendered on the server, says the same.
    let (status, html) = page(&app, &litigant, &format!("/receipts/{number}")).await;
    assert_eq!(status, 200);
    for shown in ["贰仟柒佰元零壹分", "2,700.01", case_number.as_str(), "张三", &format!("/receipts/{number}/pdf")] {
        assert!(html.contains(shown), "the receipt page shows {shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_but_the_payer_may_read_the_receipt_or_its_pdf() {
    let app = start(&[]).await;
    let (_, _, number) = paid_case(&app).await;

    let stranger = verified_browser(&app, "13800138001", "李四").await;
    assert_eq!(receipt(&app, &stranger, &number).await.0, StatusCode::NOT_FOUND, "another person's receipt does not exist for them");
    assert_eq!(pdf_of(&app, &stranger, &number).await.status(), StatusCode::NOT_FOUND);
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(receipt(&app, &clerk, &number).await.0, StatusCode::FORBIDDEN, "staff do not hold litigants' receipts");
    assert_eq!(pdf_of(&app, &clerk, &number).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(receipt(&app, &browser(), &number).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(pdf_of(&app, &browser(), &number).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(receipt(&app, &stranger, "SF2099010199999999").await.0, StatusCode::NOT_FOUND, "no such receipt");
    assert_eq!(pdf_of(&app, &stranger, "not-a-receipt").await.status(), StatusCode::NOT_FOUND);

    let (_, html) = page(&app, &stranger, &format!("/receipts/{number}")).await;
    assert!(!html.contains("2,700.01") && !html.contains("张三"), "the stranger's page shows nothing of it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_check_says_genuine_only_with_the_receipts_code_and_masks_the_payer() {
    let app = start(&[]).await;
    let (litigant, case_number, number) = paid_case(&app).await;
    let url = receipt(&app, &litigant, &number).await.1["verify_url"].as_str().expect("url").to_string();
    let code = code_of(&url);

    let (status, answer) = check(&app, &number, &code).await;
    assert_eq!(status, 200, "{answer}");
    let genuine = &answer["Genuine"];
    assert_eq!(genuine["receipt_no"], number.as_str());
    assert_eq!(genuine["case_number"], case_number.as_str());
    assert_eq!(genuine["amount"], 270_001);
    assert_eq!(genuine["payer_masked"], "张*");
    assert!(genuine["paid_at"].as_i64().is_some_and(|t| t > 0));
    assert!(!answer.to_string().contains("张三"), "the full name is never shown: {answer}");
    assert!(genuine.get("transaction_id").is_none() && genuine.get("working").is_none(), "{answer}");

    let mut wrong = code.clone().into_bytes();
    wrong[0] = if wrong[0] == b'A' { b'B' } else { b'A' };
    let wrong = String::from_utf8(wrong).expect("ascii");
    assert_eq!(check(&app, &number, &wrong).await, (StatusCode::OK, Value::from("NotGenuine")), "a changed code");
    assert_eq!(check(&app, &number, "").await, (StatusCode::OK, Value::from("NotGenuine")), "no code");
    assert_eq!(check(&app, "SF2099010199999999", &code).await, (StatusCode::OK, Value::from("NotGenuine")), "another number with this code");
    assert_eq!(check(&app, "../etc", &code).await, (StatusCode::OK, Value::from("NotGenuine")), "not a receipt number");

    // The public page, without signing in, as the QR code opens it.
    let path = url.trim_start_matches(&app.base).to_string();
    let (status, html) = page(&app, &browser(), &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-verdict=\"genuine\""), "the page says genuine");
    assert!(html.contains("张*") && !html.contains("张三"), "only the masked name");
    assert!(html.contains(&case_number));
    let (status, html) = page(&app, &browser(), &format!("/receipts/verify/{number}?c={wrong}")).await;
    assert_eq!(status, 200, "a wrong code is an answer, not an error");
    assert!(html.contains("data-verdict=\"not-genuine\"") && !html.contains(&case_number), "nothing of the receipt is shown");
    let (status, html) = page(&app, &browser(), "/receipts/verify/SF2099010199999999").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-verdict=\"not-genuine\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checking_receipts_is_limited_per_ip_address() {
    let app = start(&[("TIANPING_IP_LIMIT_PER_HOUR", "3")]).await;
    for _ in 0..3 {
        assert_eq!(check(&app, "SF2026120100000001", "AAAAAAAAAAAAAAAA").await.0, StatusCode::OK);
    }
    let (status, body) = check(&app, "SF2026120100000001", "AAAAAAAAAAAAAAAA").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body["RateLimited"]["retry_after_s"].as_u64().is_some_and(|s| s > 0), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_for_a_case_a_lawyer_filed_names_the_client_and_both_may_read_it() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, client_id) = lawyer_and_client(&app).await;

    let (id, _) = complete_civil_draft(&app, &lawyer).await;
    let sid = id.to_string();
    let grant = [("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", sid.as_str())];
    assert_eq!(call(&app, &client, "grant_representation", &grant).await.0, 200);
    let choose = owned(&[("id", &sid), ("step", "agent"), ("go", "next"), ("draft[agent][client_id]", &client_id.to_string())]);
    assert_eq!(post(&app, &lawyer, "filing/save", &choose).await.0, 200);
    upload(&app, &lawyer, id, "agent", "授权委托书.pdf", &pdf(2000)).await;
    let (status, body) = submit(&app, &lawyer, id, "law-receipt-0123456789").await;
    assert_eq!(status, 200, "{body}");
    let (status, case_number, _) = call(&app, &clerk, "filing/accept", &[("id", &sid)]).await;
    assert_eq!(status, 200, "{case_number}");

    let notices = call(&app, &lawyer, "fees/mine", &[]).await.1;
    let number = pay_notice(&app, &lawyer, notices[0]["id"].as_i64().expect("a notice")).await;
    for reader in [&lawyer, &client] {
        let (status, r) = receipt(&app, reader, &number).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["payer_name"], "黄秀英", "the party who owed the fee, not the lawyer who paid it");
        assert_eq!(r["case_number"], case_number);
    }
    assert_eq!(pdf_of(&app, &client, &number).await.status(), 200);
    let url = receipt(&app, &client, &number).await.1["verify_url"].as_str().expect("url").to_string();
    assert_eq!(check(&app, &number, &code_of(&url)).await.1["Genuine"]["payer_masked"], "黄**");
}
