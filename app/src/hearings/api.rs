//! The hearing record's server functions: the court publishes the record (笔录) of a hearing,
//! its parties and their lawyers read it, and each accepts it or objects with what is wrong.
use super::model::RecordReview;
use crate::error::AppError;
use crate::identity::model::UnixTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One review of the record, as the court and the case's people see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub name: String,
    pub review: RecordReview,
    pub at: UnixTime,
}

/// A hearing's record with its reviews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub hearing_id: i64,
    pub body: String,
    pub published_by: String,
    pub published_at: UnixTime,
    pub reviews: Vec<ReviewView>,
    /// The caller's own review, if they are a party or lawyer who gave one.
    pub mine: Option<RecordReview>,
    /// The caller may review it (a party or lawyer of the case who has not yet).
    pub may_review: bool,
}

#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    crate::ssr::cx::internal("hearing records", e)
}

/// Who the caller is at a hearing: the judge or clerk of its court, or a party or lawyer of its
/// case. Anyone else (another court's staff, mediators, admins included) is told it does not
/// exist. The socket and the record both ask this.
#[cfg(feature = "ssr")]
pub(crate) async fn role_at(cx: &crate::ssr::cx::Cx, me: &crate::ssr::cx::Caller, hearing: &super::store::Hearing) -> Result<super::model::Role, AppError> {
    use super::model::Role;
    use crate::identity::model::StaffRole;
    match &me.staff {
        Some((court, role)) if court.as_str() == hearing.court_code => match role {
            StaffRole::Judge => Ok(Role::Judge),
            StaffRole::Clerk => Ok(Role::Clerk),
            StaffRole::Mediator | StaffRole::Admin => Err(AppError::NotFound),
        },
        Some(_) => Err(AppError::NotFound),
        None => match crate::cases::store::case_capacity(cx.db(), me.person_id, hearing.case_id).await.map_err(db)?.as_deref() {
            Some("party") => Ok(Role::Party),
            Some("agent") => Ok(Role::Lawyer),
            _ => Err(AppError::NotFound),
        },
    }
}

/// The caller and their role at the hearing.
#[cfg(feature = "ssr")]
async fn standing(cx: &crate::ssr::cx::Cx, hearing_id: i64) -> Result<(crate::ssr::cx::Caller, super::model::Role), AppError> {
    let me = cx.require_person().await?;
    let hearing = super::store::hearing(cx.db(), hearing_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let role = role_at(cx, &me, &hearing).await?;
    // The record is for people whose name the court knows: an unverified one sees no hearing.
    if !role.hosts() && !me.verified {
        return Err(AppError::NotFound);
    }
    Ok((me, role))
}

/// The court publishes the hearing's record, or corrects it until someone has reviewed it.
#[server(prefix = "/api", endpoint = "hearings/publish_record")]
pub async fn publish_record(hearing_id: i64, body: String) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (me, role) = standing(&cx, hearing_id).await?;
    if !role.hosts() {
        return Err(AppError::Forbidden);
    }
    let text = super::model::RecordText::parse(&body).map_err(|key| AppError::field("body", key))?;
    match super::store::publish(cx.db(), hearing_id, text.as_str(), me.person_id, cx.now().0).await.map_err(db)? {
        super::store::Published::Done => Ok(()),
        super::store::Published::Reviewed => Err(AppError::Conflict("error_record_reviewed".into())),
    }
}

/// The record and its reviews, for the court and the case's people.
#[server(prefix = "/api", endpoint = "hearings/record")]
pub async fn hearing_record(hearing_id: i64) -> Result<RecordView, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (me, role) = standing(&cx, hearing_id).await?;
    let me = (!role.hosts()).then_some(me.person_id);
    let record = super::store::record(cx.db(), hearing_id).await.map_err(db)?.ok_or_else(|| AppError::Conflict("error_record_none".into()))?;
    let rows = super::store::reviews(cx.db(), hearing_id).await.map_err(db)?;
    let mut mine = None;
    let mut reviews = Vec::with_capacity(rows.len());
    for row in rows {
        let review = match row.objection {
            Some(text) if row.decision == "objected" => RecordReview::Objected(text),
            _ => RecordReview::Accepted,
        };
        if Some(row.person_id) == me {
            mine = Some(review.clone());
        }
        reviews.push(ReviewView { name: row.name, review, at: UnixTime(row.at) });
    }
    let may_review = me.is_some() && mine.is_none();
    Ok(RecordView { hearing_id, body: record.body, published_by: record.published_by, published_at: UnixTime(record.published_at), reviews, mine, may_review })
}

/// A party or their lawyer accepts the record, or objects with what is wrong in it; once.
#[server(prefix = "/api", endpoint = "hearings/review_record")]
pub async fn review_record(hearing_id: i64, decision: String, #[server(default)] objection: String) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (me, role) = standing(&cx, hearing_id).await?;
    if role.hosts() {
        return Err(AppError::Forbidden);
    }
    let review = RecordReview::parse(&decision, &objection).map_err(|(field, key)| AppError::field(field, key))?;
    if super::store::record(cx.db(), hearing_id).await.map_err(db)?.is_none() {
        return Err(AppError::Conflict("error_record_none".into()));
    }
    if super::store::review(cx.db(), hearing_id, me.person_id, &review, cx.now().0).await.map_err(db)? {
        Ok(())
    } else {
        Err(AppError::Conflict("error_record_already_reviewed".into()))
    }
}
