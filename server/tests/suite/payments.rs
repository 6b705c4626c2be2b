//! Paying fee notices against the real server on 127.0.0.1:0, through the sandbox platform
//! built into it (our WeChat Pay v3 client on one side, the stand-in on the other): the cashier
//! journey, notification storms, tampered and mismatched notifications, reconciliation when no
//! notification comes, expiry, and who may pay and see what.

use app::fees::model::TradeState;
use app::ssr::sandbox_pay::SandboxPlatform;
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use crate::support::filing::*;
use crate::support::*;

fn platform(app: &App) -> Arc<SandboxPlatform> {
    app.state.app.sandbox_pay.clone().expect("sandboxes are on in tests")
}

fn notify_url(app: &App) -> String {
    format!("{}{}", app.base, app::fees::pay::NOTIFY_PATH)
}

/// A verified litigant with an accepted case; answers their browser and the notice's id.
async fn litigant_with_notice(app: &App, mobile: &str, name: &str) -> (reqwest::Client, i64) {
    let litigant = verified_browser(app, mobile, name).await;
    accepted_case(app, &litigant, &format!("pay-{mobile}-0123456789")).await;
    let notices = call(app, &litigant, "fees/mine", &[]).await.1;
    let id = notices[0]["id"].as_i64().expect("a notice");
    (litigant, id)
}

/// Opens the notice's payment order; answers its number.
async fn open_order(app: &App, b: &reqwest::Client, notice: i64) -> String {
    let (status, number, _) = call(app, b, "fees/pay", &[("notice_id", &notice.to_string())]).await;
    assert_eq!(status, 200, "{number}");
    number.as_str().expect("order number").to_string()
}

async fn order(app: &App, b: &reqwest::Client, number: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, b, "fees/order", &[("out_trade_no", number)]).await;
    (status, body)
}

async fn deliver(app: &App, headers: http::HeaderMap, body: Vec<u8>) -> StatusCode {
    reqwest::Client::new().post(notify_url(app)).headers(headers).body(body).send().await.expect("notify").status()
}

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.app.db).await.expect("count")
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_litigant_pays_a_notice_at_the_sandbox_cashier_and_the_notice_shows_paid_with_a_receipt() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;
    assert_eq!(open_order(&app, &litigant, notice).await, number, "a second tap opens the same order");

    let (status, pending) = order(&app, &litigant, &number).await;
    assert_eq!(status, 200, "{pending}");
    assert_eq!(pending["status"], "Pending");
    assert_eq!(pending["amount"], 270_001);
    assert!(pending["qr_svg"].as_str().is_some_and(|s| s.starts_with("<svg")), "a QR code to scan");
    let code_url = pending["code_url"].as_str().expect("code url").to_string();
    assert!(code_url.starts_with(&format!("{}/sandbox/wechatpay/cashier/", app.base)), "{code_url}");

    // The phone that scanned the code opens the cashier and confirms.
    let payer = browser();
    let cashier = payer.get(&code_url).send().await.expect("cashier").text().await.expect("page");
    assert!(cashier.contains("2,700.01"), "the cashier shows the amount");
    let paid = payer.post(&code_url).form(&[("confirm", "1")]).send().await.expect("pay");
    assert!(paid.status().is_success() || paid.status().is_redirection(), "{}", paid.status());

    let (_, done) = order(&app, &litigant, &number).await;
    assert_eq!(done["status"], "Paid", "{done}");
    let receipt = done["receipt_no"].as_str().expect("receipt number");
    assert!(receipt.starts_with("SF"), "{receipt}");
    let notices = call(&app, &litigant, "fees/mine", &[]).await.1;
    assert_eq!(notices[0]["status"], "Paid");
    assert_eq!(notices[0]["receipt_no"], receipt);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'paid' AND paid_via = 'notification'").await, 1);

    // A paid notice cannot be paid again, and the cashier will not take the money twice.
    let (status, again, _) = call(&app, &litigant, "fees/pay", &[("notice_id", &notice.to_string())]).await;
    assert_eq!((status, again), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_notice_paid" })));
    let _ = payer.post(&code_url).form(&[("confirm", "1")]).send().await.expect("pay again");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taps_at_once_open_one_order_and_its_code() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let taps: Vec<_> = (0..6)
        .map(|_| {
            let (base, b) = (app.base.clone(), litigant.clone());
            tokio::spawn(async move {
                let res = b.post(format!("{base}/api/fees/pay")).form(&[("notice_id", notice.to_string())]).send().await.expect("tap");
                (res.status(), res.text().await.expect("body"))
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in taps {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, StatusCode::OK, "{body}");
        numbers.push(body);
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every tap answers the same order: {numbers:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders").await, 1, "one order made");
    let number: String = serde_json::from_str(&numbers[0]).expect("order number");
    let (_, opened) = order(&app, &litigant, &number).await;
    assert_eq!(opened["status"], "Pending", "{opened}");
    assert!(opened["code_url"].is_string(), "its code was made: {opened}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tap_while_another_is_still_creating_the_order_answers_that_order_instead_of_closing_it() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    // The first tap's order is written, and its creation at the gateway has not answered yet.
    let now = app.state.app.clock.now().0;
    let in_flight = app::fees::model::out_trade_no(notice, 1);
    sqlx::query(
        "INSERT INTO payment_orders (id, notice_id, out_trade_no, amount_fen, created_by, created_at, expires_at)
         VALUES (1, ?, ?, 270001, (SELECT id FROM people WHERE mobile = '13800138000'), ?, ?)",
    )
    .bind(notice)
    .bind(&in_flight)
    .bind(now)
    .bind(now + app::fees::model::ORDER_VALIDITY_SECS)
    .execute(&app.state.app.db)
    .await
    .expect("an order being created");
    assert_eq!(open_order(&app, &litigant, notice).await, in_flight, "the second tap waits for the first one's code");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'pending'").await, 1);

    // A creation that never answered is given up after a minute, and the next tap starts afresh.
    advance(&app, app::fees::model::RECONCILE_AFTER_SECS + 1);
    let fresh = open_order(&app, &litigant, notice).await;
    assert_ne!(fresh, in_flight);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'closed'").await, 1);
    assert!(order(&app, &litigant, &fresh).await.1["code_url"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifteen_copies_of_each_notification_at_once_and_out_of_order_change_each_order_once() {
    let app = start(&[]).await;
    let mut storm = Vec::new();
    for (mobile, name) in [("13800138000", "张三"), ("13800138001", "李四"), ("13800138002", "赵敏")] {
        let (litigant, notice) = litigant_with_notice(&app, mobile, name).await;
        let number = open_order(&app, &litigant, notice).await;
        let transaction = platform(&app).pay_without_notifying(&number).await.expect("paid at the platform");
        let (headers, body) = platform(&app).signed_notification(&number, &transaction, 270_001, "CNY", TradeState::Success);
        storm.extend(std::iter::repeat_n((headers, body), 15));
    }
    // Interleave the three orders' copies so they arrive out of order.
    let mut shuffled = Vec::new();
    for i in 0..15 {
        for o in 0..3 {
            shuffled.push(storm[o * 15 + (i * 7 + o) % 15].clone());
        }
    }
    let sent = shuffled.into_iter().map(|(h, b)| {
        let base = notify_url(&app);
        tokio::spawn(async move { reqwest::Client::new().post(base).headers(h).body(b).send().await.map(|r| r.status()) })
    });
    let statuses: Vec<_> = futures_join(sent.collect()).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::NO_CONTENT), "every copy is acknowledged: {statuses:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").await, 3, "one change per order");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'paid'").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM fee_notices WHERE status = 'paid'").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'paid'").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'already_paid'").await, 42);
    assert!(matches!(app::ssr::audit::verify(&app.state.app.db).await.expect("audit"), Ok(_)), "the audit chain holds");
}

async fn futures_join(handles: Vec<tokio::task::JoinHandle<Result<StatusCode, reqwest::Error>>>) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task").expect("request"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_or_unsigned_notification_is_refused_logged_and_changes_nothing() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;
    let transaction = platform(&app).pay_without_notifying(&number).await.expect("paid at the platform");
    let (headers, body) = platform(&app).signed_notification(&number, &transaction, 270_001, "CNY", TradeState::Success);

    let mut tampered = body.clone();
    let last = tampered.len() - 3;
    tampered[last] ^= 0x01;
    assert_eq!(deliver(&app, headers.clone(), tampered).await, StatusCode::UNAUTHORIZED, "one byte changed");
    let mut forged = headers.clone();
    forged.insert("wechatpay-signature", http::HeaderValue::from_static("AAAA"));
    assert_eq!(deliver(&app, forged, body.clone()).await, StatusCode::UNAUTHORIZED, "a forged signature");
    assert_eq!(deliver(&app, http::HeaderMap::new(), body.clone()).await, StatusCode::UNAUTHORIZED, "no signature at all");
    advance(&app, 301);
    assert_eq!(deliver(&app, headers.clone(), body.clone()).await, StatusCode::UNAUTHORIZED, "a replay five minutes later");

    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'refused'").await, 4, "each refusal is logged");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'pending'").await, 1, "the order still waits");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_for_another_amount_currency_or_an_unknown_order_is_refused() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;
    let p = platform(&app);
    let transaction = p.pay_without_notifying(&number).await.expect("paid at the platform");
    let (h, b) = p.signed_notification(&number, &transaction, 270_000, "CNY", TradeState::Success);
    assert_eq!(deliver(&app, h, b).await, StatusCode::BAD_REQUEST, "a fen short");
    let (h, b) = p.signed_notification(&number, &transaction, 270_001, "USD", TradeState::Success);
    assert_eq!(deliver(&app, h, b).await, StatusCode::BAD_REQUEST, "another currency");
    let (h, b) = p.signed_notification("TP99999999N99999999", &transaction, 270_001, "CNY", TradeState::Success);
    assert_eq!(deliver(&app, h, b).await, StatusCode::NOT_FOUND, "an order that is not ours");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'pending'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_events WHERE outcome LIKE 'refused: %'").await, 2);

    // The true notification still pays it.
    let (h, b) = p.signed_notification(&number, &transaction, 270_001, "CNY", TradeState::Success);
    assert_eq!(deliver(&app, h, b).await, StatusCode::NO_CONTENT);
    assert_eq!(order(&app, &litigant, &number).await.1["status"], "Paid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_whose_notification_never_came_is_reconciled_by_asking_the_gateway() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;
    platform(&app).pay_without_notifying(&number).await.expect("paid at the platform");
    assert_eq!(app::fees::pay::reconcile_pending(&app.state.app).await.expect("reconcile"), 0, "too early to ask");
    assert_eq!(order(&app, &litigant, &number).await.1["status"], "Pending");

    advance(&app, app::fees::model::RECONCILE_AFTER_SECS + 1);
    assert_eq!(app::fees::pay::reconcile_pending(&app.state.app).await.expect("reconcile"), 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payment_orders WHERE status = 'paid' AND paid_via = 'query'").await, 1);
    assert_eq!(order(&app, &litigant, &number).await.1["status"], "Paid");

    // A notification arriving after all changes nothing more.
    assert_eq!(platform(&app).notify(&number).await.expect("notify"), 204);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_page_polling_every_two_seconds_asks_the_gateway_at_most_once_in_fifteen() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;
    let queries = "SELECT COUNT(*) FROM payment_events WHERE source = 'query'";
    advance(&app, app::fees::model::RECONCILE_AFTER_SECS + 1);
    for _ in 0..5 {
        assert_eq!(order(&app, &litigant, &number).await.1["status"], "Pending");
        advance(&app, 2);
    }
    assert_eq!(count(&app, queries).await, 1, "asked once in the first ten seconds");
    advance(&app, app::fees::model::QUERY_INTERVAL_SECS);
    // Paid meanwhile without a notification: the next question finds it.
    platform(&app).pay_without_notifying(&number).await.expect("paid at the platform");
    assert_eq!(order(&app, &litigant, &number).await.1["status"], "Paid");
    assert_eq!(count(&app, queries).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_order_cannot_be_paid_and_a_new_code_replaces_it() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;
    let code_url = order(&app, &litigant, &number).await.1["code_url"].as_str().expect("code url").to_string();
    advance(&app, app::fees::model::ORDER_VALIDITY_SECS + 1);

    let _ = browser().post(&code_url).form(&[("confirm", "1")]).send().await.expect("pay late");
    assert!(platform(&app).pay_without_notifying(&number).await.is_err(), "the platform takes no money for it");
    sign_in(&app, &litigant, "13800138000").await;
    let (_, expired) = order(&app, &litigant, &number).await;
    assert_eq!(expired["status"], "Closed", "asked about and closed: {expired}");
    assert_eq!(expired["code_url"], Value::Null, "no code to show any more");

    let fresh = open_order(&app, &litigant, notice).await;
    assert_ne!(fresh, number, "a new order");
    assert_eq!(order(&app, &litigant, &fresh).await.1["status"], "Pending");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_filer_may_open_or_see_a_notices_payment_and_others_are_refused() {
    let app = start(&[]).await;
    let (litigant, notice) = litigant_with_notice(&app, "13800138000", "张三").await;
    let number = open_order(&app, &litigant, notice).await;

    let stranger = verified_browser(&app, "13800138001", "李四").await;
    let (status, _, _) = call(&app, &stranger, "fees/pay", &[("notice_id", &notice.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another person's notice does not exist for them");
    assert_eq!(order(&app, &stranger, &number).await.0, StatusCode::NOT_FOUND);
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    assert_eq!(order(&app, &clerk, &number).await.0, StatusCode::FORBIDDEN, "staff do not pay litigants' fees");
    assert_eq!(order(&app, &browser(), &number).await.0, StatusCode::UNAUTHORIZED);
    let (status, _, _) = call(&app, &browser(), "fees/pay", &[("notice_id", &notice.to_string())]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(order(&app, &litigant, "not-an-order").await.0, StatusCode::NOT_FOUND);
    // The order page is the filer's only.
    let page = stranger.get(format!("{}/pay/orders/{number}", app.base)).send().await.expect("page").text().await.expect("body");
    assert!(!page.contains("2,700.01"), "the stranger sees no amount");
}
