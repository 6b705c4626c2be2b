//! Refunds against the real server on 127.0.0.1:0 and the sandbox platform built into it: a case
//! ending by mediation, withdrawal or dismissal; money that arrived for a closed order; staff
//! approval; the gateway's refund notifications (storms, tampering, wrong amounts, failures);
//! reconciliation by query; and who may see, end and approve what.

use app::fees::model::{Halving, ProvinceRates, RefundReport, RefundState, TradeState, Working, calculate, refund_deadline};
use app::ssr::sandbox_pay::SandboxPlatform;
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use crate::support::filing::*;
use crate::support::*;

fn platform(app: &App) -> Arc<SandboxPlatform> {
    app.state.app.sandbox_pay.clone().expect("sandboxes are on in tests")
}

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.app.db).await.expect("count")
}

/// A verified litigant whose accepted case's fee is paid (notified as the cashier does):
/// their browser, the clerk's, the case's id and number, and the order number.
struct Paid {
    litigant: reqwest::Client,
    clerk: reqwest::Client,
    case_id: i64,
    order: String,
    fee: i64,
}

async fn paid_case(app: &App, mobile: &str, name: &str) -> Paid {
    let litigant = verified_browser(app, mobile, name).await;
    let (number, clerk) = accepted_case(app, &litigant, &format!("refund-{mobile}-0123456789")).await;
    let notice = call(app, &litigant, "fees/mine", &[]).await.1[0].clone();
    let (status, order, _) = call(app, &litigant, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await;
    assert_eq!(status, 200, "{order}");
    let order = order.as_str().expect("order number").to_string();
    let transaction = platform(app).pay_without_notifying(&order).await.expect("paid at the platform");
    let fee = notice["working"]["total"].as_i64().expect("fee");
    let (headers, body) = platform(app).signed_notification(&order, &transaction, fee, "CNY", TradeState::Success);
    assert_eq!(deliver(app, app::fees::pay::NOTIFY_PATH, headers, body).await, StatusCode::NO_CONTENT);
    let case_id = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    Paid { litigant, clerk, case_id, order, fee }
}

async fn deliver(app: &App, path: &str, headers: http::HeaderMap, body: Vec<u8>) -> StatusCode {
    reqwest::Client::new().post(format!("{}{path}", app.base)).headers(headers).body(body).send().await.expect("notify").status()
}

async fn end(app: &App, staff: &reqwest::Client, case_id: i64, ending: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, staff, "cases/end", &[("case_id", &case_id.to_string()), ("ending", ending)]).await;
    (status, body)
}

/// The litigant's refunds on their (only) notice.
async fn refunds(app: &App, b: &reqwest::Client) -> Vec<Value> {
    let notices = call(app, b, "fees/mine", &[]).await.1;
    notices[0]["refunds"].as_array().cloned().unwrap_or_default()
}

async fn approve(app: &App, staff: &reqwest::Client, number: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, staff, "fees/approve_refund", &[("out_refund_no", number)]).await;
    (status, body)
}

/// Waits (up to 20 s) for the litigant's first refund to reach `state`.
async fn until_refund(app: &App, b: &reqwest::Client, state: &str) -> Value {
    for _ in 0..100 {
        let list = refunds(app, b).await;
        if list.first().is_some_and(|r| r["status"] == state) {
            return list[0].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the refund never became {state}: {:?}", refunds(app, b).await);
}

fn half_of(fee_working: &Value, halving: Halving) -> i64 {
    let w: Working = serde_json::from_value(fee_working.clone()).expect("working");
    calculate(w.kind, w.amount, &[halving], &ProvinceRates::default()).expect("fee").total.0
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_ended_by_mediation_gives_back_half_the_fee_once_staff_approve_and_the_gateway_confirms() {
    let app = start(&[]).await;
    let p = paid_case(&app, "13800138000", "张三").await;
    let judge = staff_browser(&app, "京0105", "judge").await;
    let (status, ended) = end(&app, &judge, p.case_id, "mediation").await;
    assert_eq!(status, 200, "{ended}");
    let working = call(&app, &p.litigant, "fees/mine", &[]).await.1[0]["working"].clone();
    let back = p.fee - half_of(&working, Halving::Mediation);
    assert!((p.fee / 2..=p.fee / 2 + 1).contains(&back), "half of {} is {back}", p.fee);
    assert_eq!(ended["refund"], back);

    // The litigant sees it waiting, with the 15-day clock of art. 53.
    let waiting = refunds(&app, &p.litigant).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["status"], "AwaitingApproval");
    assert_eq!(waiting[0]["reason"], "Mediation");
    assert_eq!(waiting[0]["amount"], back);
    assert_eq!(waiting[0]["deadline"], refund_deadline(app.state.app.clock.now()).0);
    assert_eq!(waiting[0]["overdue"], false);
    assert_eq!(waiting[0]["failure"], Value::Null);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notifications WHERE message = 'notice_refund_created'").await, 1);

    // Ending it again is refused and makes no second refund.
    assert_eq!(end(&app, &judge, p.case_id, "withdrawal").await, (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_case_ended" })));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM fee_refunds").await, 1);

    // A clerk approves; the sandbox refunds and notifies about a second later.
    let number = waiting[0]["out_refund_no"].as_str().expect("refund number").to_string();
    assert_eq!(approve(&app, &p.clerk, &number).await.0, StatusCode::OK);
    assert_eq!(approve(&app, &p.clerk, &number).await, (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_refund_decided" })));
    let done = until_refund(&app, &p.litigant, "Refunded").await;
    assert!(done["refunded_at"].is_i64(), "{done}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.refunded'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.refund_approved'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notifications WHERE message = 'notice_refund_done'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'cases.ended'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawal_gives_back_half_dismissal_gives_back_everything_and_a_judgment_nothing() {
    let app = start(&[]).await;
    let withdrawn = paid_case(&app, "13800138000", "张三").await;
    let dismissed = paid_case(&app, "13800138001", "李四").await;
    let judged = paid_case(&app, "13800138002", "赵敏").await;
    let working = call(&app, &withdrawn.litigant, "fees/mine", &[]).await.1[0]["working"].clone();

    assert_eq!(end(&app, &withdrawn.clerk, withdrawn.case_id, "withdrawal").await.0, StatusCode::OK);
    assert_eq!(end(&app, &dismissed.clerk, dismissed.case_id, "dismissed").await.0, StatusCode::OK);
    let (status, none) = end(&app, &judged.clerk, judged.case_id, "judgment").await;
    assert_eq!((status, none["refund"].clone()), (StatusCode::OK, Value::Null));

    let w = refunds(&app, &withdrawn.litigant).await;
    assert_eq!((w[0]["reason"].clone(), w[0]["amount"].as_i64()), ("Withdrawal".into(), Some(withdrawn.fee - half_of(&working, Halving::Withdrawal))));
    let d = refunds(&app, &dismissed.litigant).await;
    assert_eq!((d[0]["reason"].clone(), d[0]["amount"].as_i64()), ("Dismissed".into(), Some(dismissed.fee)));
    assert!(refunds(&app, &judged.litigant).await.is_empty());
    assert_eq!(end(&app, &judged.clerk, judged.case_id, "bogus").await.0, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_ended_before_its_fee_was_paid_gives_nothing_back_and_its_notice_asks_for_half_or_nothing() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (number, clerk) = accepted_case(&app, &litigant, "refund-unpaid-0123456789").await;
    let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    let notice = call(&app, &litigant, "fees/mine", &[]).await.1[0].clone();
    // A code opened before the ending can no longer be paid here.
    let order = call(&app, &litigant, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await.1;
    let half = half_of(&notice["working"], Halving::Mediation);

    let (status, ended) = end(&app, &clerk, case_id, "mediation").await;
    assert_eq!((status, ended["refund"].clone(), ended["fee_now"].as_i64()), (StatusCode::OK, Value::Null, Some(half)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM fee_refunds").await, 0);
    let after = call(&app, &litigant, "fees/mine", &[]).await.1[0].clone();
    assert_eq!((after["working"]["total"].as_i64(), after["order_no"].clone()), (Some(half), Value::Null), "{after}");
    let old = sqlx::query_scalar::<_, String>("SELECT status FROM payment_orders WHERE out_trade_no = ?").bind(order.as_str()).fetch_one(&app.state.app.db).await.expect("order");
    assert_eq!(old, "closed");
    let (status, fresh, _) = call(&app, &litigant, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await;
    assert_eq!(status, 200, "{fresh}");
    let (_, view, _) = call(&app, &litigant, "fees/order", &[("out_trade_no", fresh.as_str().expect("order"))]).await;
    assert_eq!(view["amount"].as_i64(), Some(half), "the new code asks for half");

    // Dismissed before paying: nothing is owed and nothing can be paid.
    let other = verified_browser(&app, "13800138001", "李四").await;
    let (number, _) = accepted_case(&app, &other, "refund-unpaid-9876543210").await;
    let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    assert_eq!(end(&app, &clerk, case_id, "dismissed").await.1["fee_now"], 0);
    let notice = call(&app, &other, "fees/mine", &[]).await.1[0].clone();
    assert_eq!(notice["working"]["total"], 0);
    let (status, refused, _) = call(&app, &other, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await;
    assert_eq!((status, refused), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_nothing_to_pay" })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_for_a_closed_order_is_queued_for_refund_once_however_often_it_is_reported() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    accepted_case(&app, &litigant, "refund-closed-0123456789").await;
    let notice = call(&app, &litigant, "fees/mine", &[]).await.1[0].clone();
    let order = call(&app, &litigant, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await.1.as_str().expect("order").to_string();
    let fee = notice["working"]["total"].as_i64().expect("fee");
    // The payer pays at the very moment the order is closed here.
    let transaction = platform(&app).pay_without_notifying(&order).await.expect("paid at the platform");
    sqlx::query("UPDATE payment_orders SET status = 'closed' WHERE out_trade_no = ?").bind(&order).execute(&app.state.app.db).await.expect("closed");
    let (headers, body) = platform(&app).signed_notification(&order, &transaction, fee, "CNY", TradeState::Success);
    let copies: Vec<_> = (0..5)
        .map(|_| {
            let (base, headers, body) = (app.base.clone(), headers.clone(), body.clone());
            tokio::spawn(async move {
                reqwest::Client::new().post(format!("{base}{}", app::fees::pay::NOTIFY_PATH)).headers(headers).body(body).send().await.expect("notify").status()
            })
        })
        .collect();
    for c in copies {
        assert_eq!(c.await.expect("task"), StatusCode::NO_CONTENT, "the gateway stops retrying");
    }
    let list = refunds(&app, &litigant).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!((list[0]["reason"].clone(), list[0]["amount"].as_i64()), ("PaidAfterClose".into(), Some(fee)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.refund_created'").await, 1);
    assert_eq!(call(&app, &litigant, "fees/mine", &[]).await.1[0]["status"], "Unpaid", "the money is not applied to the notice");

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(approve(&app, &clerk, list[0]["out_refund_no"].as_str().expect("number")).await.0, StatusCode::OK);
    until_refund(&app, &litigant, "Refunded").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifteen_copies_of_a_refund_notification_refund_once_and_tampered_or_mismatched_ones_are_refused_and_logged() {
    let app = start(&[]).await;
    platform(&app).hold_refunds(true);
    let p = paid_case(&app, "13800138000", "张三").await;
    end(&app, &p.clerk, p.case_id, "dismissed").await;
    let number = refunds(&app, &p.litigant).await[0]["out_refund_no"].as_str().expect("number").to_string();
    assert_eq!(approve(&app, &p.clerk, &number).await.0, StatusCode::OK);
    assert_eq!(refunds(&app, &p.litigant).await[0]["status"], "Processing");
    let refund_id = platform(&app).refund_without_notifying(&number).await.expect("refunded at the platform");
    let report = RefundReport {
        out_refund_no: number.clone(),
        out_trade_no: p.order.clone(),
        refund_id: Some(refund_id),
        state: RefundState::Success,
        refund_fen: p.fee,
        total_fen: p.fee,
        currency: "CNY".into(),
    };
    let path = app::fees::refunds::REFUND_NOTIFY_PATH;

    // Tampered: one byte of the body changed after signing.
    let (headers, mut body) = platform(&app).signed_refund_notification(&report);
    let last = body.len() - 2;
    body[last] ^= 1;
    assert_eq!(deliver(&app, path, headers, body).await, StatusCode::UNAUTHORIZED);
    // Signed, but for less than was approved.
    let short = RefundReport { refund_fen: p.fee - 1, ..report.clone() };
    let (headers, body) = platform(&app).signed_refund_notification(&short);
    assert_eq!(deliver(&app, path, headers, body).await, StatusCode::BAD_REQUEST);
    // A payment notification sent to the refund address.
    let (headers, body) = platform(&app).signed_notification(&p.order, "4200000000", p.fee, "CNY", TradeState::Success);
    assert_eq!(deliver(&app, path, headers, body).await, StatusCode::UNAUTHORIZED);
    assert_eq!(refunds(&app, &p.litigant).await[0]["status"], "Processing", "nothing refused changed anything");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM refund_events WHERE outcome = 'refused' OR outcome LIKE 'refused:%'").await, 3);

    let (headers, body) = platform(&app).signed_refund_notification(&report);
    let storm: Vec<_> = (0..15)
        .map(|_| {
            let (base, headers, body) = (app.base.clone(), headers.clone(), body.clone());
            tokio::spawn(async move { reqwest::Client::new().post(format!("{base}{path}")).headers(headers).body(body).send().await.expect("notify").status() })
        })
        .collect();
    for s in storm {
        assert_eq!(s.await.expect("task"), StatusCode::NO_CONTENT);
    }
    assert_eq!(refunds(&app, &p.litigant).await[0]["status"], "Refunded");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.refunded'").await, 1, "refunded once");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM refund_events WHERE source = 'notification'").await, 18, "every report logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_no_notification_came_for_is_found_refunded_by_asking_the_gateway() {
    let app = start(&[]).await;
    platform(&app).hold_refunds(true);
    let p = paid_case(&app, "13800138000", "张三").await;
    end(&app, &p.clerk, p.case_id, "mediation").await;
    let number = refunds(&app, &p.litigant).await[0]["out_refund_no"].as_str().expect("number").to_string();
    approve(&app, &p.clerk, &number).await;
    platform(&app).refund_without_notifying(&number).await.expect("refunded at the platform");

    assert_eq!(app::fees::refunds::reconcile_refunds(&app.state.app).await.expect("reconcile"), 0, "too soon to ask");
    advance(&app, app::fees::model::RECONCILE_AFTER_SECS + 1);
    assert_eq!(app::fees::refunds::reconcile_refunds(&app.state.app).await.expect("reconcile"), 1);
    assert_eq!(refunds(&app, &p.litigant).await[0]["status"], "Refunded");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM refund_events WHERE source = 'query' AND outcome = 'refunded'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_the_payers_account_will_not_take_is_marked_failed_for_staff_to_act_on() {
    let app = start(&[]).await;
    platform(&app).hold_refunds(true);
    let p = paid_case(&app, "13800138000", "张三").await;
    end(&app, &p.clerk, p.case_id, "withdrawal").await;
    let number = refunds(&app, &p.litigant).await[0]["out_refund_no"].as_str().expect("number").to_string();
    approve(&app, &p.clerk, &number).await;
    platform(&app).end_refund_without_notifying(&number, RefundState::Abnormal).await.expect("abnormal");
    assert_eq!(platform(&app).notify_refund(&number).await.expect("notified"), 204);

    let mine = refunds(&app, &p.litigant).await;
    assert_eq!((mine[0]["status"].clone(), mine[0]["failure"].clone()), ("Failed".into(), Value::Null), "the litigant sees the state, not the code");
    let court = call(&app, &p.clerk, "fees/refunds", &[]).await.1;
    assert_eq!((court[0]["status"].clone(), court[0]["failure"].clone()), ("Failed".into(), "ABNORMAL".into()));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.refund_failed'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_cases_people_see_its_refunds_and_only_its_courts_staff_end_it_and_approve_them() {
    let app = start(&[]).await;
    platform(&app).hold_refunds(true);
    let p = paid_case(&app, "13800138000", "张三").await;
    let stranger = verified_browser(&app, "13800138001", "李四").await;
    let elsewhere = staff_browser(&app, "京0101", "clerk").await;
    let mediator = staff_browser(&app, "京0105", "mediator").await;
    let judge = staff_browser(&app, "京0105", "judge").await;

    // Ending: not by a litigant, a mediator, or another court's clerk.
    assert_eq!(end(&app, &p.litigant, p.case_id, "dismissed").await.0, StatusCode::FORBIDDEN);
    assert_eq!(end(&app, &mediator, p.case_id, "dismissed").await.0, StatusCode::FORBIDDEN);
    assert_eq!(end(&app, &elsewhere, p.case_id, "dismissed").await.0, StatusCode::NOT_FOUND);
    assert_eq!(end(&app, &browser(), p.case_id, "dismissed").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases WHERE ended_as IS NOT NULL").await, 0);
    assert_eq!(end(&app, &judge, p.case_id, "dismissed").await.0, StatusCode::OK);

    let number = refunds(&app, &p.litigant).await[0]["out_refund_no"].as_str().expect("number").to_string();
    let notices = call(&app, &stranger, "fees/mine", &[]).await.1;
    assert_eq!(notices, serde_json::json!([]), "a stranger sees no notice and no refund");
    // Approving: not by the litigant, a judge, or another court's clerk; the list likewise.
    assert_eq!(approve(&app, &p.litigant, &number).await.0, StatusCode::FORBIDDEN);
    assert_eq!(approve(&app, &judge, &number).await.0, StatusCode::FORBIDDEN);
    assert_eq!(approve(&app, &elsewhere, &number).await.0, StatusCode::NOT_FOUND);
    assert_eq!(approve(&app, &p.clerk, "RF-not-a-number").await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &elsewhere, "fees/refunds", &[]).await.1, serde_json::json!([]));
    assert_eq!(call(&app, &p.litigant, "fees/refunds", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(refunds(&app, &p.litigant).await[0]["status"], "AwaitingApproval", "nothing forbidden changed anything");
    assert_eq!(approve(&app, &p.clerk, &number).await.0, StatusCode::OK);
}
