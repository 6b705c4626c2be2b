//! Fee server functions. The calculator itself runs in the browser and on the server alike
//! (`model`); what only the server knows is the province's figures and the notices issued.
use crate::error::AppError;
use crate::fees::model::{NoticeStatus, OrderStatus, ProvinceRates, Working};
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A fee notice as the payer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub case_number: String,
    pub court_name: String,
    pub filing_id: i64,
    /// The calculation as the court issued it.
    pub working: Working,
    pub issued_at: UnixTime,
    pub deadline: UnixTime,
    pub status: NoticeStatus,
    /// Unpaid past its deadline (art. 22: the case may then be treated as withdrawn).
    pub overdue: bool,
    /// The order being paid, or paid.
    pub order_no: Option<String>,
    pub receipt_no: Option<String>,
}

/// The province's fixed fees, for the public calculator.
/// Public on purpose: anyone may work out a court fee before signing in.
#[server(prefix = "/api", endpoint = "fees/rates")]
pub async fn fee_rates() -> Result<ProvinceRates, AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    Ok(cx.state.site.fee_rates)
}

/// The fee notices of the caller's cases (filed by them, or for them by their lawyer).
#[server(prefix = "/api", endpoint = "fees/mine")]
pub async fn my_fee_notices() -> Result<Vec<NoticeView>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let now = cx.now();
    let rows = super::store::notices_of(cx.db(), me.person_id).await.map_err(|e| internal("fee store", e))?;
    rows.into_iter()
        .map(|r| {
            let working: Working = serde_json::from_str(&r.working).map_err(|e| internal("fee notice working", e))?;
            let status = NoticeStatus::parse(&r.status).ok_or_else(|| internal("fee notice status", &r.status))?;
            Ok(NoticeView {
                id: r.id,
                case_number: r.case_number,
                court_name: r.court_name,
                filing_id: r.filing_id,
                working,
                issued_at: UnixTime(r.issued_at),
                deadline: UnixTime(r.deadline),
                status,
                overdue: status == NoticeStatus::Unpaid && now >= UnixTime(r.deadline),
                order_no: r.order_no,
                receipt_no: r.receipt_no,
            })
        })
        .collect()
}

/// A payment order as its payer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub out_trade_no: String,
    pub notice_id: i64,
    pub case_number: String,
    pub court_name: String,
    pub amount: Fen,
    pub status: OrderStatus,
    /// Still pending, but its code can no longer be paid.
    pub expired: bool,
    pub expires_at: UnixTime,
    /// What the payer scans (or, on the same phone, opens).
    pub code_url: Option<String>,
    /// The QR code of `code_url`, as SVG.
    pub qr_svg: Option<String>,
    pub paid_at: Option<UnixTime>,
    pub receipt_no: Option<String>,
    /// Opened inside the WeChat mini-program's web-view: paying hands off to the mini-program.
    pub mini_program: bool,
}

/// Opens (or reuses) the payment order of a notice and goes to its page.
#[server(prefix = "/api", endpoint = "fees/pay")]
pub async fn start_payment(notice_id: i64) -> Result<String, AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    let me = cx.require_verified().await?;
    let number = super::pay::order_for(&cx.state, me.person_id, notice_id).await?;
    leptos_axum::redirect(&format!("{ORDERS_PATH}/{number}"));
    Ok(number)
}

/// One order of the caller's, with its QR code. A pending order that has waited a while for
/// its notification is first asked about at the gateway, so the page never waits forever.
#[server(prefix = "/api", endpoint = "fees/order")]
pub async fn payment_order(out_trade_no: String) -> Result<OrderView, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    if !super::model::is_out_trade_no(&out_trade_no) {
        return Err(AppError::NotFound);
    }
    let read = || super::store::order_for_payer(cx.db(), me.person_id, &out_trade_no);
    let mut row = read().await.map_err(|e| internal("payment order", e))?.ok_or(AppError::NotFound)?;
    let now = cx.now();
    if row.status == "pending" && (now.0 >= row.created_at + super::model::RECONCILE_AFTER_SECS || now.0 >= row.expires_at) {
        super::pay::reconcile_one(&cx.state, &out_trade_no).await?;
        row = read().await.map_err(|e| internal("payment order", e))?.ok_or(AppError::NotFound)?;
    }
    let status = OrderStatus::parse(&row.status).ok_or_else(|| internal("payment order status", &row.status))?;
    let qr_svg = match (&row.code_url, status) {
        (Some(url), OrderStatus::Pending) => Some(crate::ssr::qr_svg(url).map_err(|e| internal("order QR", e))?),
        _ => None,
    };
    Ok(OrderView {
        out_trade_no: row.out_trade_no,
        notice_id: row.notice_id,
        case_number: row.case_number,
        court_name: row.court_name,
        amount: Fen(row.amount_fen),
        status,
        expired: status == OrderStatus::Pending && now.0 >= row.expires_at,
        expires_at: UnixTime(row.expires_at),
        code_url: row.code_url.filter(|_| status == OrderStatus::Pending),
        qr_svg,
        paid_at: row.paid_at.map(UnixTime),
        receipt_no: row.receipt_no,
        mini_program: cx.user_agent().contains("miniProgram"),
    })
}

/// Where an order's page lives: `/pay/orders/<out_trade_no>`.
pub const ORDERS_PATH: &str = "/pay/orders";
