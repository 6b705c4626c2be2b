//! Court staff and lawyers: staff enrolment by one-time link (passkey only), the staff summary,
//! lawyer profiles verified by a clerk of the lawyer's province, and the representation grants
//! clients give lawyers.
use crate::error::AppError;
use crate::identity::model::{GrantView, LawyerView, PasskeyChallenge, StaffView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::error::FieldErrors,
    crate::identity::model::*,
    crate::identity::store,
    crate::ssr::cx::{Cx, internal},
    crate::ssr::session,
    serde_json::json,
};

/// Who an enrolment link is for (shown before the passkey is made). Unknown, used or expired
/// links are "not found".
#[server(prefix = "/api", endpoint = "identity/enrolment")]
pub async fn enrolment(token: String) -> Result<StaffView, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("try").await?;
    let person = enrolment_person(&cx, &token).await?;
    store::staff_view(cx.db(), person).await.map_err(db)?.ok_or(AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "identity/enrol_start")]
pub async fn enrol_start(token: String) -> Result<PasskeyChallenge, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("try").await?;
    let person = enrolment_person(&cx, &token).await?;
    let view = store::staff_view(cx.db(), person).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let label = format!("{} · {}", view.name, view.court_name);
    super::passkeys::registration(&cx, person, None, &label, &view.name).await
}

/// Finishes enrolment: the passkey is stored, the link is used up, and the staff member is
/// signed in. Answers where to go next.
#[server(prefix = "/api", endpoint = "identity/enrol_finish")]
pub async fn enrol_finish(token: String, id: String, credential: String) -> Result<String, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("try").await?;
    let person = enrolment_person(&cx, &token).await?;
    super::passkeys::finish_registration(&cx, person, None, &id, &credential, "enrolment").await?;
    if !store::use_enrolment(cx.db(), &session::token_hash(&token), cx.now()).await.map_err(db)? {
        return Err(AppError::NotFound);
    }
    if let Some(old) = cx.caller().await? {
        store::end_session(cx.db(), old.session_id, cx.now(), "replaced_by_sign_in").await.map_err(db)?;
    }
    let session_id = super::api::start_session(&cx, person, true).await?;
    let actor = format!("person:{person}");
    cx.audit(&actor, "identity.staff_enrolled", &format!("session:{session_id}"), json!({})).await?;
    Ok("/staff".into())
}

/// The signed-in staff member's own summary; None for everyone else.
#[server(prefix = "/api", endpoint = "identity/staff_me")]
pub async fn staff_me() -> Result<Option<StaffView>, AppError> {
    let cx = Cx::get()?;
    let Some(me) = cx.caller().await? else { return Ok(None) };
    if me.staff.is_none() {
        return Ok(None);
    }
    store::staff_view(cx.db(), me.person_id).await.map_err(db)
}

/// A verified person asks to act as a lawyer; a clerk of their practice region decides.
#[server(prefix = "/api", endpoint = "identity/apply_as_lawyer")]
pub async fn apply_as_lawyer(licence: String, firm: String, region: String) -> Result<LawyerView, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let mut errors = FieldErrors::new();
    let licence = LawyerLicence::parse(&licence).map_err(|_| errors.insert("licence".into(), "error_licence".into())).ok();
    let firm = LawFirm::parse(&firm).ok_or_else(|| errors.insert("firm".into(), "error_firm".into())).ok();
    let region = PracticeRegion::parse(&region).ok_or_else(|| errors.insert("region".into(), "error_region".into())).ok();
    let (Some(licence), Some(firm), Some(region)) = (licence, firm, region) else { return Err(AppError::Invalid(errors)) };
    if let Some(existing) = store::lawyer(cx.db(), me.person_id).await.map_err(db)?
        && existing.status == LawyerStatus::Verified
    {
        return Err(AppError::Conflict("error_lawyer_already_verified".into()));
    }
    store::submit_lawyer(cx.db(), me.person_id, licence.as_str(), firm.as_str(), region.as_str(), cx.now()).await.map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::Conflict("error_licence_taken".into()),
        e => db(e),
    })?;
    cx.audit(&me.actor(), "identity.lawyer_submitted", &me.actor(), json!({ "region": region.as_str() })).await?;
    store::lawyer(cx.db(), me.person_id).await.map_err(db)?.ok_or(AppError::NotFound)
}

/// The caller's own lawyer profile, if any.
#[server(prefix = "/api", endpoint = "identity/my_lawyer_profile")]
pub async fn my_lawyer_profile() -> Result<Option<LawyerView>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::lawyer(cx.db(), me.person_id).await.map_err(db)
}

/// Lawyer profiles waiting for the caller's decision: those of the caller's province.
#[server(prefix = "/api", endpoint = "identity/lawyer_queue")]
pub async fn lawyer_queue() -> Result<Vec<LawyerView>, AppError> {
    let cx = Cx::get()?;
    let (_, court, role) = cx.require_staff().await?;
    if !role.may_verify_lawyers() {
        return Err(AppError::Forbidden);
    }
    store::pending_lawyers(cx.db(), court.province()).await.map_err(db)
}

/// A clerk verifies or refuses a lawyer's profile. Profiles outside the clerk's province are
/// "not found" to them.
#[server(prefix = "/api", endpoint = "identity/decide_lawyer")]
pub async fn decide_lawyer(person_id: i64, verify: bool, reason: Option<String>) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let (me, court, role) = cx.require_staff().await?;
    let lawyer = store::lawyer(cx.db(), person_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let region = PracticeRegion::parse(&lawyer.region).ok_or(AppError::NotFound)?;
    if !clerk_may_decide(&court, role, &region) {
        return Err(AppError::NotFound);
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if !verify && reason.is_none() {
        return Err(AppError::Invalid(FieldErrors::from([("reason".into(), "error_reason_needed".into())])));
    }
    if !store::decide_lawyer(cx.db(), person_id, verify, me.person_id, reason.as_deref(), cx.now()).await.map_err(db)? {
        return Err(AppError::Conflict("error_already_decided".into()));
    }
    let action = if verify { "identity.lawyer_verified" } else { "identity.lawyer_rejected" };
    cx.audit(&me.actor(), action, &format!("person:{person_id}"), json!({ "court": court.as_str() })).await
}

/// A client grants a verified lawyer representation for a filing or a case, with general or
/// special authority (`authority`: empty or `special`). Granting again for the same matter with
/// the other authority changes the live grant's authority; the same again is a conflict.
#[server(prefix = "/api", endpoint = "identity/grant_representation")]
pub async fn grant_representation(licence: String, scope_kind: String, scope_ref: String, #[server(default)] authority: String) -> Result<GrantView, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let mut errors = FieldErrors::new();
    let licence = LawyerLicence::parse(&licence).map_err(|_| errors.insert("licence".into(), "error_licence".into())).ok();
    let scope = Scope::parse(&scope_kind, &scope_ref).ok_or_else(|| errors.insert("scope_ref".into(), "error_scope".into())).ok();
    let authority = Authority::parse(&authority).ok_or_else(|| errors.insert("authority".into(), "error_authority".into())).ok();
    let (Some(licence), Some(scope), Some(authority)) = (licence, scope, authority) else { return Err(AppError::Invalid(errors)) };
    let lawyer = store::verified_lawyer_by_licence(cx.db(), licence.as_str())
        .await
        .map_err(db)?
        .ok_or_else(|| AppError::Conflict("error_lawyer_not_verified".into()))?;
    if lawyer == me.person_id {
        return Err(AppError::Conflict("error_grant_self".into()));
    }
    let (id, action) = match store::grant(cx.db(), me.person_id, lawyer, &scope, authority, cx.now()).await.map_err(db)? {
        store::Granted::New(id) => (id, "identity.representation_granted"),
        store::Granted::Changed(id) => (id, "identity.representation_changed"),
        store::Granted::Same => return Err(AppError::Conflict("error_grant_exists".into())),
    };
    let details = json!({ "lawyer": format!("person:{lawyer}"), "scope": scope.kind(), "ref": scope.reference(), "authority": authority.as_str() });
    cx.audit(&me.actor(), action, &format!("representation:{id}"), details).await?;
    store::grants(cx.db(), me.person_id, false).await.map_err(db)?.into_iter().find(|g| g.id == id).ok_or(AppError::NotFound)
}

/// The client revokes one of their grants; someone else's grant is "not found".
#[server(prefix = "/api", endpoint = "identity/revoke_representation")]
pub async fn revoke_representation(id: i64) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if !store::revoke(cx.db(), me.person_id, id, cx.now()).await.map_err(db)? {
        return Err(AppError::NotFound);
    }
    cx.audit(&me.actor(), "identity.representation_revoked", &format!("representation:{id}"), json!({})).await
}

/// Grants the caller gave (as a client).
#[server(prefix = "/api", endpoint = "identity/my_grants")]
pub async fn my_grants() -> Result<Vec<GrantView>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::grants(cx.db(), me.person_id, false).await.map_err(db)
}

/// Grants the caller holds (as a lawyer).
#[server(prefix = "/api", endpoint = "identity/my_clients")]
pub async fn my_clients() -> Result<Vec<GrantView>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::grants(cx.db(), me.person_id, true).await.map_err(db)
}

#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    internal("staff and lawyers store", e)
}

/// The staff account a live enrolment link is for.
#[cfg(feature = "ssr")]
async fn enrolment_person(cx: &Cx, token: &str) -> Result<i64, AppError> {
    if !session::well_formed(token) {
        return Err(AppError::NotFound);
    }
    store::enrolment(cx.db(), &session::token_hash(token), cx.now()).await.map_err(db)?.ok_or(AppError::NotFound)
}
