//! Changed claims (art. 21) against the real server and its sandbox platform: an increase after
//! payment asks the difference in a further notice the payer can pay, a reduction gives the
//! difference back once approved, an unpaid notice is simply reissued, an ending afterwards
//! works on the fee as changed, and only the court's staff change claims.

use app::fees::model::{FeeKind, Halving, ProvinceRates, TradeState, calculate};
use app::filing::model::Fen;
use app::ssr::sandbox_pay::SandboxPlatform;
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use crate::support::filing::*;
use crate::support::*;

fn platform(app: &App) -> Arc<SandboxPlatform> {
    app.state.app.sandbox_pay.clone().expect("sandboxes are on in tests")
}

/// The property-case fee on a claim of `yuan`, and with a halving.
fn fee(yuan: i64, halving: Option<Halving>) -> i64 {
    calculate(FeeKind::Property, Some(Fen(yuan * 100)), halving.as_slice(), &ProvinceRates::default()).expect("fee").total.0
}

/// Pays a notice through the platform, notified as its cashier does.
async fn pay(app: &App, payer: &reqwest::Client, notice: &Value) {
    let (status, order, _) = call(app, payer, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await;
    assert_eq!(status, 200, "{order}");
    let order = order.as_str().expect("order number").to_string();
    let transaction = platform(app).pay_without_notifying(&order).await.expect("paid at the platform");
    let amount = notice["working"]["total"].as_i64().expect("amount");
    let (headers, body) = platform(app).signed_notification(&order, &transaction, amount, "CNY", TradeState::Success);
    let res = reqwest::Client::new().post(format!("{}{}", app.base, app::fees::pay::NOTIFY_PATH)).headers(headers).body(body).send().await.expect("notify");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

/// A verified litigant's accepted case (claims 120,000.50 yuan), optionally paid: the litigant,
/// the clerk and the case's id.
async fn case(app: &App, paid: bool) -> (reqwest::Client, reqwest::Client, i64) {
    let litigant = verified_browser(app, "13800138000", "张三").await;
    let (number, clerk) = accepted_case(app, &litigant, "claims-13800138000-0123456789").await;
    if paid {
        let notice = call(app, &litigant, "fees/mine", &[]).await.1[0].clone();
        pay(app, &litigant, &notice).await;
    }
    let id = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    (litigant, clerk, id)
}

async fn change(app: &App, staff: &reqwest::Client, case_id: i64, amount: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, staff, "fees/change_claims", &[("case_id", &case_id.to_string()), ("amount", amount)]).await;
    (status, body)
}

async fn sum(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.app.db).await.expect("sum")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_increased_claim_after_payment_asks_the_difference_in_a_further_notice_and_an_ending_then_works_on_the_fee_as_changed() {
    let app = start(&[]).await;
    let (litigant, clerk, case_id) = case(&app, true).await;
    let paid = call(&app, &litigant, "fees/mine", &[]).await.1[0]["working"]["total"].as_i64().expect("fee");
    let (status, done) = change(&app, &clerk, case_id, "200,000").await;
    assert_eq!(status, 200, "{done}");
    let more = fee(200_000, None) - paid;
    assert_eq!((done["fee_after"].as_i64(), done["top_up"].as_i64(), &done["refund"]), (Some(fee(200_000, None)), Some(more), &Value::Null));

    let notices = call(&app, &litigant, "fees/mine", &[]).await.1;
    assert_eq!(notices.as_array().map(Vec::len), Some(2), "the further notice beside the paid one: {notices}");
    let further = &notices[0];
    assert_eq!((further["status"].as_str(), further["working"]["total"].as_i64()), (Some("Unpaid"), Some(more)));
    assert_eq!(further["fee_after_change"], fee(200_000, None), "it says what the fee on the changed claims is");
    assert_eq!(notices[1]["status"], "Paid", "what was paid stays paid");
    pay(&app, &litigant, further).await;
    let told: i64 = sum(&app, "SELECT COUNT(*) FROM notifications WHERE message = 'notice_claims_changed'").await;
    assert_eq!(told, 1, "the payer is told");

    // Mediation now halves the fee on the claims as changed, refunded over both payments.
    let judge = staff_browser(&app, "京0105", "judge").await;
    let (status, ended, _) = call(&app, &judge, "cases/end", &[("case_id", &case_id.to_string()), ("ending", "mediation")]).await;
    assert_eq!(status, 200, "{ended}");
    let back = fee(200_000, None) - fee(200_000, Some(Halving::Mediation));
    assert_eq!(ended["refund"], back);
    assert_eq!(sum(&app, "SELECT SUM(amount_fen) FROM fee_refunds WHERE reason = 'mediation'").await, back);
    assert!(sum(&app, "SELECT COUNT(*) FROM fee_refunds r JOIN payment_orders o ON o.id = r.order_id WHERE r.amount_fen > o.amount_fen").await == 0, "no refund exceeds its payment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reduced_claim_after_payment_gives_the_difference_back_once_approved_and_again_for_a_second_reduction() {
    let app = start(&[]).await;
    let (litigant, clerk, case_id) = case(&app, true).await;
    let paid = call(&app, &litigant, "fees/mine", &[]).await.1[0]["working"]["total"].as_i64().expect("fee");
    let (status, done) = change(&app, &clerk, case_id, "50000").await;
    assert_eq!(status, 200, "{done}");
    let back = paid - fee(50_000, None);
    assert_eq!((done["refund"].as_i64(), &done["top_up"]), (Some(back), &Value::Null));
    let notices = call(&app, &litigant, "fees/mine", &[]).await.1;
    assert_eq!(notices.as_array().map(Vec::len), Some(1), "no further notice");
    let refund = &notices[0]["refunds"][0];
    assert_eq!((refund["amount"].as_i64(), refund["reason"].as_str(), refund["status"].as_str()), (Some(back), Some("ClaimsReduced"), Some("AwaitingApproval")), "{refund}");
    let (status, body, _) = call(&app, &clerk, "fees/approve_refund", &[("out_refund_no", refund["out_refund_no"].as_str().expect("number"))]).await;
    assert_eq!(status, 200, "{body}");

    let (status, done) = change(&app, &clerk, case_id, "20000").await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["refund"].as_i64(), Some(fee(50_000, None) - fee(20_000, None)), "the second reduction gives back its own difference");
    assert_eq!(sum(&app, "SELECT SUM(amount_fen) FROM fee_refunds WHERE reason = 'claims_reduced'").await, paid - fee(20_000, None));
    let (status, done) = change(&app, &clerk, case_id, "20000").await;
    assert_eq!((status.as_u16(), &done["refund"], &done["top_up"]), (200, &Value::Null, &Value::Null), "no change, no money moves");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_notice_is_reissued_for_the_changed_claims_and_only_the_courts_staff_change_claims() {
    let app = start(&[]).await;
    let (litigant, clerk, case_id) = case(&app, false).await;
    let id = case_id.to_string();
    assert_eq!(change(&app, &litigant, case_id, "200000").await.0, StatusCode::FORBIDDEN, "a party");
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    assert_eq!(change(&app, &mediator, case_id, "200000").await.0, StatusCode::FORBIDDEN, "a mediator");
    let other = staff_browser(&app, "京0101", "clerk").await;
    assert_eq!(change(&app, &other, case_id, "200000").await.0, StatusCode::NOT_FOUND, "another court's clerk");
    assert_eq!(change(&app, &browser(), case_id, "200000").await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = change(&app, &clerk, case_id, "lots").await;
    assert_eq!((status, &body["Invalid"]["amount"]), (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("error_amount")));

    let (status, done) = change(&app, &clerk, case_id, "200000").await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["reissued"].as_i64(), Some(fee(200_000, None)));
    let notices = call(&app, &litigant, "fees/mine", &[]).await.1;
    assert_eq!(notices.as_array().map(Vec::len), Some(1), "still one notice: {notices}");
    assert_eq!(notices[0]["working"]["total"].as_i64(), Some(fee(200_000, None)), "it asks for the fee on the changed claims");
    let claimed: i64 = sum(&app, &format!("SELECT total_claimed_fen FROM cases WHERE id = {id}")).await;
    assert_eq!(claimed, 20_000_000);
    assert_eq!(sum(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.claims_changed'").await, 1);

    let (status, _, _) = call(&app, &clerk, "cases/end", &[("case_id", id.as_str()), ("ending", "withdrawal")]).await;
    assert_eq!(status, 200);
    let (status, body) = change(&app, &clerk, case_id, "300000").await;
    assert_eq!((status, body["Conflict"].as_str()), (StatusCode::CONFLICT, Some("error_case_ended")), "not after the end");
}
