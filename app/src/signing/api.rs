//! Signing's server functions: the court drafts a mediation agreement for a case, revises it
//! (voiding signatures given to an older version) and sends it; the signers open it, read it to
//! the end, or decline it with a reason; staff void it. Every step is in the hash-chained audit
//! log with the document, its version and fingerprint: the document's evidence log.
use super::model::{Document, SignerState, Status};
#[cfg(feature = "ssr")]
use super::model::{Agreement, Content, DocumentKind, Round, SigningError};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A signer as the document's page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerView {
    pub name: String,
    pub state: SignerState,
}

/// A document for signature: its current version, fingerprint and where signing stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    pub case_id: i64,
    pub status: Status,
    pub document: Document,
    pub fingerprint: String,
    pub signers: Vec<SignerView>,
    /// The caller's own state, when they sign it.
    pub mine: Option<SignerState>,
    /// The caller may revise, send and void it (the court).
    pub may_manage: bool,
    pub void_reason: Option<String>,
}

#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    crate::ssr::cx::internal("signing", e)
}

#[cfg(feature = "ssr")]
fn refused(e: SigningError) -> AppError {
    match e {
        SigningError::NotASigner => AppError::Forbidden,
        SigningError::BadReason => AppError::field("reason", e.key()),
        _ => AppError::Conflict(e.key().into()),
    }
}

/// The problems of a drafted agreement, as field errors beside each field.
#[cfg(feature = "ssr")]
fn problems(list: Vec<super::model::Problem>) -> AppError {
    AppError::Invalid(list.into_iter().map(|p| (p.field, p.key.to_string())).collect())
}

/// Staff who draft and manage documents for signature: the case court's judges and mediators.
#[cfg(feature = "ssr")]
async fn drafter(cx: &crate::ssr::cx::Cx, court: &str) -> Result<crate::ssr::cx::Caller, AppError> {
    use crate::identity::model::StaffRole;
    let (me, my_court, role) = cx.require_staff().await?;
    if my_court.as_str() != court {
        return Err(AppError::NotFound);
    }
    match role {
        StaffRole::Judge | StaffRole::Mediator => Ok(me),
        StaffRole::Clerk | StaffRole::Admin => Err(AppError::Forbidden),
    }
}

/// Audits one step of a document's signing inside the caller's transaction.
#[cfg(feature = "ssr")]
async fn log_in(tx: &mut sqlx::SqliteConnection, now: i64, actor: i64, action: &str, id: i64, document: &Document, extra: serde_json::Value) -> Result<(), AppError> {
    let mut details = serde_json::json!({ "version": document.version, "fingerprint": document.fingerprint() });
    if let (Some(map), serde_json::Value::Object(more)) = (details.as_object_mut(), extra) {
        map.extend(more);
    }
    crate::ssr::audit::append_in(tx, now, &format!("person:{actor}"), action, &format!("signing:{id}"), &details).await.map(|_| ()).map_err(db)
}

/// A judge or mediator of the case's court drafts a mediation agreement (version 1, not yet
/// sent) from the template: `agreement` is the JSON of `model::Agreement`. The signers are the
/// case's parties who use Tianping.
#[server(prefix = "/api", endpoint = "signing/draft")]
pub async fn draft_agreement(case_id: i64, title: String, agreement: String) -> Result<i64, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (court, case_number, court_name) = super::store::case_of(cx.db(), case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = drafter(&cx, &court).await?;
    let content = parse_agreement(&title, &agreement)?;
    let signers: Vec<i64> = super::store::parties_of(cx.db(), case_id).await.map_err(db)?.into_iter().map(|(p, _)| p).collect();
    if signers.is_empty() {
        return Err(AppError::Conflict("error_signing_no_signers".into()));
    }
    let document = Document { kind: DocumentKind::MediationAgreement, court: court_name, case_number, title: title.trim().to_string(), version: 1, content };
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let id = super::store::create_in(&mut tx, case_id, &document, &signers, me.person_id, cx.now()).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.drafted", id, &document, serde_json::json!({ "case": case_id })).await?;
    tx.commit().await.map_err(db)?;
    Ok(id)
}

#[cfg(feature = "ssr")]
fn parse_agreement(title: &str, agreement: &str) -> Result<Content, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 100 {
        return Err(AppError::field("title", if title.is_empty() { "error_required" } else { "error_too_long" }));
    }
    let raw: Agreement = serde_json::from_str(agreement).map_err(|_| AppError::field("agreement", "error_bad_request"))?;
    Agreement::parse(raw).map(Content::Agreement).map_err(problems)
}

/// The drafter revises the agreement they see at `version`. After a signature, every signature
/// is void and signing starts again: those who had signed are told why.
#[server(prefix = "/api", endpoint = "signing/revise")]
pub async fn revise_agreement(id: i64, version: u32, title: String, agreement: String) -> Result<u32, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = drafter(&cx, &row.court_code).await?;
    if row.document.kind != DocumentKind::MediationAgreement {
        return Err(AppError::Conflict("error_signing_not_agreement".into()));
    }
    let content = parse_agreement(&title, &agreement)?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = super::store::document_in(&mut tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    // Revising what someone else changed meanwhile would lose their change.
    if row.round.version != version {
        return Err(AppError::Conflict("error_signing_changed_meanwhile".into()));
    }
    let edited = row.round.edit().map_err(refused)?;
    let document = Document { version: edited.version, title: title.trim().to_string(), content, ..row.document };
    super::store::add_version_in(&mut tx, id, &document, me.person_id, cx.now()).await.map_err(db)?;
    super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.revised", id, &document, serde_json::json!({ "voided_signatures_of": edited.voided })).await?;
    if !edited.voided.is_empty() {
        let params = serde_json::json!({ "case_number": document.case_number, "title": document.title, "version": document.version });
        crate::cases::store::notify_in(&mut tx, &edited.voided, cx.now(), "notice_signing_voided_by_edit", &params, &format!("/sign/{id}")).await.map_err(db)?;
    }
    if row.round.status == Status::Out {
        tell_signers(&mut tx, &cx, &row.round, &document, id, "notice_signing_sent").await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(edited.version)
}

#[cfg(feature = "ssr")]
async fn tell_signers(tx: &mut sqlx::SqliteConnection, cx: &crate::ssr::cx::Cx, round: &Round, document: &Document, id: i64, message: &str) -> Result<(), AppError> {
    let people: Vec<i64> = round.signers.iter().map(|(p, _)| *p).collect();
    let params = serde_json::json!({ "case_number": document.case_number, "title": document.title, "version": document.version });
    crate::cases::store::notify_in(tx, &people, cx.now(), message, &params, &format!("/sign/{id}")).await.map_err(db)
}

/// The drafter sends the draft to its signers, who are told in their inbox.
#[server(prefix = "/api", endpoint = "signing/send")]
pub async fn send_for_signature(id: i64) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = drafter(&cx, &row.court_code).await?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = super::store::document_in(&mut tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    row.round.send().map_err(refused)?;
    super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.sent", id, &row.document, serde_json::json!({})).await?;
    tell_signers(&mut tx, &cx, &row.round, &row.document, id, "notice_signing_sent").await?;
    tx.commit().await.map_err(db)?;
    Ok(())
}

/// Staff void the document with a reason; the signers are told.
#[server(prefix = "/api", endpoint = "signing/void")]
pub async fn void_document(id: i64, reason: String) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = drafter(&cx, &row.court_code).await?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = super::store::document_in(&mut tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let reason = row.round.void(&reason).map_err(refused)?;
    super::store::save_round_in(&mut tx, id, &row.round, Some(&reason)).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.voided", id, &row.document, serde_json::json!({ "reason": reason })).await?;
    tell_signers(&mut tx, &cx, &row.round, &row.document, id, "notice_signing_voided").await?;
    tx.commit().await.map_err(db)?;
    Ok(())
}

/// Who may read a document: the court's staff, and its signers once it is sent.
#[cfg(feature = "ssr")]
async fn reader(cx: &crate::ssr::cx::Cx, row: &super::store::DocumentRow) -> Result<(crate::ssr::cx::Caller, bool), AppError> {
    let me = cx.require_person().await?;
    if let Some((court, role)) = &me.staff {
        use crate::identity::model::StaffRole;
        if court.as_str() != row.court_code {
            return Err(AppError::NotFound);
        }
        return Ok((me.clone(), matches!(role, StaffRole::Judge | StaffRole::Mediator)));
    }
    let signer = row.round.signers.iter().any(|(p, _)| *p == me.person_id);
    if !signer || row.round.status == Status::Draft {
        return Err(AppError::NotFound);
    }
    Ok((me, false))
}

/// A document for signature, as its signers and the court see it.
#[server(prefix = "/api", endpoint = "signing/document")]
pub async fn signing_document(id: i64) -> Result<DocumentView, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let (me, may_manage) = reader(&cx, &row).await?;
    let people: Vec<i64> = row.round.signers.iter().map(|(p, _)| *p).collect();
    let names = super::store::names(cx.db(), &people).await.map_err(db)?;
    let mine = row.round.signers.iter().find(|(p, _)| *p == me.person_id).map(|(_, s)| s.clone());
    let signers = row.round.signers.iter().zip(names).map(|((_, state), name)| SignerView { name, state: state.clone() }).collect();
    Ok(DocumentView {
        id,
        case_id: row.case_id,
        status: row.round.status,
        document: row.document,
        fingerprint: row.fingerprint,
        signers,
        mine,
        may_manage,
        void_reason: row.void_reason,
    })
}

/// A signer's step on the current version: opened it, or reached its end. Only the first of each
/// is logged.
#[server(prefix = "/api", endpoint = "signing/progress")]
pub async fn signing_progress(id: i64, version: u32, step: String) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = super::store::document_in(&mut tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    if !row.round.signers.iter().any(|(p, _)| *p == me.person_id) || row.round.status == Status::Draft {
        return Err(AppError::NotFound);
    }
    if row.round.version != version {
        return Err(refused(SigningError::WrongVersion));
    }
    let (changed, action) = match step.as_str() {
        "opened" => (row.round.open(me.person_id).map_err(refused)?, "signing.opened"),
        "read_to_end" => (row.round.read_to_end(me.person_id).map_err(refused)?, "signing.read"),
        _ => return Err(AppError::field("step", "error_bad_request")),
    };
    if changed {
        super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
        log_in(&mut tx, cx.now().0, me.person_id, action, id, &row.document, serde_json::json!({})).await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(())
}

/// A signer declines the version they read, saying why; the court is told through the status.
#[server(prefix = "/api", endpoint = "signing/decline")]
pub async fn decline_signing(id: i64, version: u32, reason: String) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = super::store::document_in(&mut tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    if !row.round.signers.iter().any(|(p, _)| *p == me.person_id) || row.round.status == Status::Draft {
        return Err(AppError::NotFound);
    }
    row.round.decline(me.person_id, version, &reason).map_err(refused)?;
    super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.declined", id, &row.document, serde_json::json!({ "reason": reason.trim() })).await?;
    tx.commit().await.map_err(db)?;
    Ok(())
}
