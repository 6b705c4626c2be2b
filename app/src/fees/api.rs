//! Fee server functions. The calculator itself runs in the browser and on the server alike
//! (`model`); what only the server knows is the province's figures and the notices issued.
use crate::error::AppError;
use crate::fees::model::{NoticeStatus, OrderStatus, ProvinceRates, RefundReason, RefundStatus, Working};
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
    /// Money going back, or gone back, on this notice.
    pub refunds: Vec<RefundView>,
    /// Fee relief granted at acceptance (arts. 44–47).
    pub relief: Option<super::relief::NoticeRelief>,
    /// A further notice after the claims changed (art. 21): the fee on the claims as changed
    /// (this notice asks for what was not paid of it).
    pub fee_after_change: Option<Fen>,
}

/// A refund as the payer and staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundView {
    pub out_refund_no: String,
    pub case_number: String,
    pub reason: RefundReason,
    pub amount: Fen,
    pub status: RefundStatus,
    pub created_at: UnixTime,
    /// Art. 53: returned within 15 days.
    pub deadline: UnixTime,
    /// Not back with the payer and past its deadline.
    pub overdue: bool,
    pub refunded_at: Option<UnixTime>,
    /// Why the gateway could not pay it out (staff only).
    pub failure: Option<String>,
}

#[cfg(feature = "ssr")]
fn refund_view(r: super::store::RefundRow, now: UnixTime, staff: bool) -> Result<RefundView, AppError> {
    use crate::ssr::cx::internal;
    let status = RefundStatus::parse(&r.status).ok_or_else(|| internal("refund status", &r.status))?;
    Ok(RefundView {
        reason: RefundReason::parse(&r.reason).ok_or_else(|| internal("refund reason", &r.reason))?,
        out_refund_no: r.out_refund_no,
        case_number: r.case_number,
        amount: Fen(r.amount_fen),
        status,
        created_at: UnixTime(r.created_at),
        deadline: UnixTime(r.deadline),
        overdue: status != RefundStatus::Refunded && now >= UnixTime(r.deadline),
        refunded_at: r.refunded_at.map(UnixTime),
        failure: r.failure.filter(|_| staff),
    })
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
    let mut refunds = super::store::refunds_for_payer(cx.db(), me.person_id).await.map_err(|e| internal("fee store", e))?;
    rows.into_iter()
        .map(|r| {
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut refunds).into_iter().partition(|f| f.notice_id == r.id);
            refunds = rest;
            let refunds = mine.into_iter().map(|f| refund_view(f, now, false)).collect::<Result<Vec<_>, _>>()?;
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
                // A notice for nothing (waived; dismissed unpaid) is never overdue.
                overdue: status == NoticeStatus::Unpaid && r.amount_fen > 0 && now >= UnixTime(r.deadline),
                order_no: r.order_no,
                receipt_no: r.receipt_no,
                refunds,
                relief: match r.relief.as_deref() {
                    Some(raw) => Some(serde_json::from_str(raw).map_err(|e| internal("fee notice relief", e))?),
                    None => None,
                },
                fee_after_change: r.fee_after_change.map(Fen),
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
    let due = now.0 >= row.created_at + super::model::RECONCILE_AFTER_SECS || now.0 >= row.expires_at;
    // The page polls every 2 s; the gateway is asked at most once per QUERY_INTERVAL_SECS an order.
    let asked_lately = || async {
        let last = super::store::last_query_at(cx.db(), &out_trade_no).await.map_err(|e| internal("payment order", e))?;
        Ok::<bool, AppError>(last.is_some_and(|at| now.0 < at + super::model::QUERY_INTERVAL_SECS))
    };
    if row.status == "pending" && due && !asked_lately().await? {
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

// ---------------------------------------------------------------------------------------------
// Refunds: staff

/// The staff who approve refunds: the court's clerks and administrators.
#[cfg(feature = "ssr")]
async fn require_refund_staff(cx: &crate::ssr::cx::Cx) -> Result<(crate::ssr::cx::Caller, String), AppError> {
    use crate::identity::model::StaffRole;
    let (caller, court, role) = cx.require_staff().await?;
    if matches!(role, StaffRole::Clerk | StaffRole::Admin) { Ok((caller, court.as_str().to_string())) } else { Err(AppError::Forbidden) }
}

/// The refunds of the caller's court, those waiting for approval first.
#[server(prefix = "/api", endpoint = "fees/refunds")]
pub async fn court_refunds() -> Result<Vec<RefundView>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (_, court) = require_refund_staff(&cx).await?;
    let now = cx.now();
    let rows = super::store::refunds_of_court(cx.db(), &court).await.map_err(|e| internal("fee store", e))?;
    rows.into_iter().map(|r| refund_view(r, now, true)).collect()
}

/// Approves a refund of the caller's court: it goes back to the payer through the gateway.
#[server(prefix = "/api", endpoint = "fees/approve_refund")]
pub async fn approve_refund(out_refund_no: String) -> Result<(), AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    let (me, court) = require_refund_staff(&cx).await?;
    if !super::model::is_out_refund_no(&out_refund_no) {
        return Err(AppError::NotFound);
    }
    super::refunds::approve(&cx.state, &court, &out_refund_no, me.person_id).await
}

/// What a change of the claims did to the case's fee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimsChangedView {
    pub case_number: String,
    pub fee_before: Fen,
    pub fee_after: Fen,
    /// The unpaid notice now asks for this.
    pub reissued: Option<Fen>,
    /// A further notice asks for this (补缴).
    pub top_up: Option<Fen>,
    /// This goes back of what was paid, once approved.
    pub refund: Option<Fen>,
}

/// The court records that a case's claims changed before the end of its investigation
/// (art. 21): the new total claimed, in yuan. The fee follows: the unpaid notice is reissued, a
/// further notice asks for the difference, or the difference goes back. Judges, clerks and
/// administrators of the case's court.
#[server(prefix = "/api", endpoint = "fees/change_claims")]
pub async fn change_claims(case_id: i64, amount: String) -> Result<ClaimsChangedView, AppError> {
    use super::store::ClaimsChanged;
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = crate::cases::api::require_case_staff(&cx).await?;
    let claims = Fen::parse_yuan(&amount).map_err(|_| AppError::field("amount", "error_amount"))?;
    let rates: ProvinceRates = cx.state.site.fee_rates;
    let work = |case_type: &str, total: Fen| {
        crate::filing::model::CaseType::parse(case_type).and_then(|t| super::model::notice_for_filing(t, total, &rates).ok())
    };
    match super::store::change_claims(cx.db(), &court, case_id, claims, me.person_id, cx.now(), work).await.map_err(|e| internal("fee store", e))? {
        ClaimsChanged::NotFound => Err(AppError::NotFound),
        ClaimsChanged::Ended => Err(AppError::Conflict("error_case_ended".into())),
        ClaimsChanged::NotAdjustable => Err(AppError::Conflict("error_claims_not_adjustable".into())),
        ClaimsChanged::Done { case_number, fee_before, fee_after, change } => {
            Ok(ClaimsChangedView { case_number, fee_before, fee_after, reissued: change.reissue, top_up: change.top_up, refund: change.refund })
        }
    }
}
