//! Fee server functions. The calculator itself runs in the browser and on the server alike
//! (`model`); what only the server knows is the province's figures and the notices issued.
use crate::error::AppError;
use crate::fees::model::{NoticeStatus, ProvinceRates, Working};
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
            })
        })
        .collect()
}
