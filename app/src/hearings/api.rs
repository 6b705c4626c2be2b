//! The hearings' server functions: the caller's list of hearings; and the record (笔录), which
//! the court publishes, and the case's parties and their lawyers read and each accept or object
//! to with what is wrong.
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

/// What the room page needs before joining: the hearing, the caller's place in it, and whether
/// they must confirm who they are first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub hearing_id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub starts_at: UnixTime,
    pub minutes: i64,
    pub role: super::model::Role,
    /// Held online (a courtroom hearing has no room to join).
    pub online: bool,
    pub ended: bool,
    /// A party or lawyer who has not confirmed who they are in the last few minutes.
    pub needs_step_up: bool,
}

/// The hearing as the room page shows it before joining, for the people the court expects.
#[server(prefix = "/api", endpoint = "hearings/entry")]
pub async fn hearing_entry(hearing_id: i64) -> Result<EntryView, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (me, role) = standing(&cx, hearing_id).await?;
    let hearing = super::store::hearing(cx.db(), hearing_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    Ok(EntryView {
        hearing_id,
        case_id: hearing.case_id,
        case_number: hearing.case_number,
        starts_at: UnixTime(hearing.starts_at),
        minutes: hearing.minutes,
        role,
        online: hearing.online,
        ended: hearing.ended,
        needs_step_up: !role.hosts() && !me.times.stepped_up_recently(cx.now()),
    })
}

/// A line of the hearing's chat as kept with its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatView {
    pub name: String,
    pub text: String,
    pub at: UnixTime,
}

/// The hearing's chat, for the court and the case's people (in the room and with the record).
#[server(prefix = "/api", endpoint = "hearings/chat")]
pub async fn hearing_chat(hearing_id: i64) -> Result<Vec<ChatView>, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    standing(&cx, hearing_id).await?;
    let rows = super::store::chat(cx.db(), hearing_id).await.map_err(db)?;
    Ok(rows.into_iter().map(|r| ChatView { name: r.name, text: r.text, at: UnixTime(r.at) }).collect())
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

/// One of the caller's hearings, as their list of hearings shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyHearing {
    pub hearing_id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub starts_at: UnixTime,
    pub minutes: u32,
    pub mode: crate::cases::schedule::HearingMode,
    pub courtroom: Option<String>,
    /// The court has published its record (笔录).
    pub record_published: bool,
    /// Its scheduled time is over (how long it really ran is not kept yet).
    pub past: bool,
    /// Who the caller is at it.
    pub role: super::model::Role,
}

/// The caller's hearings in time order: a verified party's or lawyer's in their cases, and a
/// judge's or clerk's in their court's. Other staff hold no hearings; an unverified person is
/// asked to verify first, as for their cases.
#[server(prefix = "/api", endpoint = "hearings/mine")]
pub async fn my_hearings() -> Result<Vec<MyHearing>, AppError> {
    use super::model::Role;
    use crate::identity::model::StaffRole;
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let (rows, court_role) = match &me.staff {
        Some((court, StaffRole::Judge)) => (super::store::hearings_of_court(cx.db(), court.as_str()).await, Some(Role::Judge)),
        Some((court, StaffRole::Clerk)) => (super::store::hearings_of_court(cx.db(), court.as_str()).await, Some(Role::Clerk)),
        Some(_) => return Err(AppError::Forbidden),
        None if me.verified => (super::store::hearings_of_person(cx.db(), me.person_id).await, None),
        None => return Err(AppError::Forbidden),
    };
    let now = cx.now();
    // The store answers the latest first (so its limit keeps the latest); the list reads forwards.
    rows.map_err(db)?.into_iter().rev().map(|h| listed(h, court_role, now)).collect()
}

/// A listed hearing's row as the list shows it; `court_role` is a judge's or clerk's own role,
/// which is theirs at every hearing of their court.
#[cfg(feature = "ssr")]
fn listed(h: super::store::ListedHearing, court_role: Option<super::model::Role>, now: UnixTime) -> Result<MyHearing, AppError> {
    use super::model::Role;
    use crate::ssr::cx::internal;
    let mode = crate::cases::schedule::HearingMode::parse(&h.mode).ok_or_else(|| internal("hearing mode", &h.mode))?;
    let role = match (court_role, h.capacity.as_deref()) {
        (Some(role), _) => role,
        (None, Some("party")) => Role::Party,
        (None, Some("agent")) => Role::Lawyer,
        (None, other) => return Err(internal("case capacity", format!("{other:?}"))),
    };
    let minutes = u32::try_from(h.minutes).unwrap_or(0);
    let starts_at = UnixTime(h.starts_at);
    let past = starts_at.plus_secs(i64::from(minutes) * 60) <= now;
    Ok(MyHearing { hearing_id: h.id, case_id: h.case_id, case_number: h.case_number, starts_at, minutes, mode, courtroom: h.courtroom, record_published: h.record_published, past, role })
}
