//! Fees over HTTP: the public calculator page and the province's figures it uses.

use reqwest::StatusCode;
use crate::support::*;

/// The calculator page as a browser without JavaScript gets it for `query`.
async fn calculator(app: &App, query: &str) -> String {
    let send = browser().get(format!("{}/fees/calculator?{query}", app.base)).send();
    let res = tokio::time::timeout(std::time::Duration::from_secs(10), send).await.expect("the calculator page answers within 10 s").expect("page");
    assert_eq!(res.status(), StatusCode::OK);
    tokio::time::timeout(std::time::Duration::from_secs(10), res.text()).await.expect("the page body arrives within 10 s").expect("body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_may_read_the_provinces_fee_figures_without_signing_in() {
    let app = tokio::time::timeout(std::time::Duration::from_secs(10), start(&[])).await.expect("the server starts within 10 s");
    let (status, rates, _) = call(&app, &browser(), "fees/rates", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rates["divorce"], 5_000, "the lowest of 50–300 yuan, in fen, until configured");
    assert_eq!(rates["enforcement_without_amount"], 5_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calculator_works_the_fee_out_on_the_server_for_a_browser_without_javascript() {
    let app = tokio::time::timeout(std::time::Duration::from_secs(10), start(&[])).await.expect("the server starts within 10 s");
    let page = calculator(&app, "kind=property&amount=150%2C000").await;
    assert!(page.contains("data-testid=\"fee-total\">¥3,300.00<"), "150,000 yuan → 3,300 yuan");
    // The working, band by band: the base fee and two bands.
    assert!(page.contains("¥50.00") && page.contains("¥2,250.00") && page.contains("¥1,000.00"));
    let halved = calculator(&app, "kind=property&amount=150000&halve=mediation&halve=simplified").await;
    assert!(halved.contains("data-testid=\"fee-total\">¥1,650.00<"), "halved once, not twice");
    assert!(halved.contains("data-testid=\"fee-full\""), "the fee before halving is shown");
    assert_eq!(halved.matches(" checked").count(), 2, "the reasons ticked stay ticked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_amount_gets_a_message_next_to_the_field_and_is_kept() {
    let app = tokio::time::timeout(std::time::Duration::from_secs(10), start(&[])).await.expect("the server starts within 10 s");
    let page = calculator(&app, "kind=property&amount=12.345").await;
    assert!(page.contains("aria-invalid=\"true\""), "the amount is marked");
    assert!(page.contains("value=\"12.345\""), "what was typed is kept");
    assert!(!page.contains("data-testid=\"fee-total\""), "no fee from a wrong amount");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provinces_configured_figures_are_what_the_calculator_charges() {
    let app = start(&[("TIANPING_FEE_RATES", "divorce=300")]).await;
    let page = calculator(&app, "kind=divorce&amount=").await;
    assert!(page.contains("data-testid=\"fee-total\">¥300.00<"), "the province's figure");
    let with_property = calculator(&app, "kind=divorce&amount=300000").await;
    assert!(with_property.contains("data-testid=\"fee-total\">¥800.00<"), "300 + 100,000 × 0.5%");
}
