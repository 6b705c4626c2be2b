//! Case server functions for staff: the court's cases and recording how one ended.
use crate::error::AppError;
use crate::fees::model::CaseEnding;
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A case as the court's staff list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourtCaseView {
    pub id: i64,
    pub case_number: String,
    pub cause: String,
    pub accepted_at: UnixTime,
    pub ended_as: Option<CaseEnding>,
    pub ended_at: Option<UnixTime>,
    /// The fee notice's amount and whether it is paid.
    pub fee: Option<Fen>,
    pub fee_paid: bool,
}

/// What recording an ending did: the refund it created, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndedView {
    pub case_number: String,
    pub refund: Option<Fen>,
    /// What the unpaid notice asks for now, when the ending changed it.
    pub fee_now: Option<Fen>,
}

/// Who records endings: the court's judges, clerks and administrators.
#[cfg(feature = "ssr")]
async fn require_case_staff(cx: &crate::ssr::cx::Cx) -> Result<(crate::ssr::cx::Caller, String), AppError> {
    use crate::identity::model::StaffRole;
    let (caller, court, role) = cx.require_staff().await?;
    if matches!(role, StaffRole::Judge | StaffRole::Clerk | StaffRole::Admin) { Ok((caller, court.as_str().to_string())) } else { Err(AppError::Forbidden) }
}

/// The caller's court's cases, open ones first.
#[server(prefix = "/api", endpoint = "cases/court")]
pub async fn court_cases() -> Result<Vec<CourtCaseView>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (_, court) = require_case_staff(&cx).await?;
    let rows = super::store::cases_of_court(cx.db(), &court).await.map_err(|e| internal("case store", e))?;
    rows.into_iter()
        .map(|r| {
            let ended_as = match r.ended_as.as_deref() {
                Some(raw) => Some(CaseEnding::parse(raw).ok_or_else(|| internal("case ending", raw))?),
                None => None,
            };
            Ok(CourtCaseView {
                id: r.id,
                case_number: r.case_number,
                cause: r.cause,
                accepted_at: UnixTime(r.accepted_at),
                ended_as,
                ended_at: r.ended_at.map(UnixTime),
                fee: r.fee_fen.map(Fen),
                fee_paid: r.fee_status.as_deref() == Some("paid"),
            })
        })
        .collect()
}

/// Records how a case of the caller's court ended. Mediation and withdrawal give back half the
/// case fee paid (art. 15), dismissal all of it (art. 8); the refund then waits for approval.
#[server(prefix = "/api", endpoint = "cases/end")]
pub async fn end_case(case_id: i64, ending: String) -> Result<EndedView, AppError> {
    use super::store::Ended;
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = require_case_staff(&cx).await?;
    let ending = CaseEnding::parse(&ending).ok_or_else(|| AppError::field("ending", "error_choice"))?;
    let rates = cx.state.site.fee_rates;
    let decide = |working: &str, paid: Option<Fen>| match serde_json::from_str::<crate::fees::model::Working>(working) {
        Ok(issued) => super::store::FeeDecision {
            refund: paid.and_then(|p| crate::fees::model::ending_refund(ending, &issued, p, &rates)),
            owed: crate::fees::model::fee_after_ending(ending, &issued, &rates),
        },
        Err(e) => {
            tracing::error!(case = case_id, error = %e, "a fee notice's working cannot be read: the ending leaves the fee as it is");
            super::store::FeeDecision { refund: None, owed: None }
        }
    };
    match super::store::end_case(cx.db(), &court, case_id, ending, me.person_id, cx.now(), decide).await.map_err(|e| internal("case store", e))? {
        Ended::NotFound => Err(AppError::NotFound),
        Ended::AlreadyEnded => Err(AppError::Conflict("error_case_ended".into())),
        Ended::Now { case_number, refund, fee_now } => Ok(EndedView { case_number, refund: refund.map(|(_, fen)| Fen(fen)), fee_now: fee_now.map(Fen) }),
    }
}
