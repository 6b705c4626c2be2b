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

/// A lawyer's standing on a document their client signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub client_id: i64,
    pub client_name: String,
    /// Special authority (特别授权): the lawyer may sign for the client.
    pub may_sign: bool,
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
    /// The caller's own state, when they sign it (or their client's, when they sign for them).
    pub mine: Option<SignerState>,
    /// For a lawyer: the client of theirs who signs it, and whether their grant lets them sign
    /// for that client (special authority).
    pub agency: Option<Agency>,
    /// The caller may revise, send and void it (the court).
    pub may_manage: bool,
    pub void_reason: Option<String>,
    /// Once sealed: the public verification page's path (what its QR code links to).
    pub verify_path: Option<String>,
    /// Once sealed: the sealed PDF, as served on the case's people (opening it is their read
    /// receipt).
    pub pdf_path: Option<String>,
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

/// Who manages a document for signature (drafts, sends, reminds, seals, voids): a mediation
/// agreement, the court's judges and mediators; a hearing's record, its judges and clerks.
#[cfg(feature = "ssr")]
fn manages(role: crate::identity::model::StaffRole, kind: DocumentKind) -> bool {
    use crate::identity::model::StaffRole;
    match kind {
        DocumentKind::HearingRecord => matches!(role, StaffRole::Judge | StaffRole::Clerk),
        DocumentKind::MediationAgreement | DocumentKind::Other => matches!(role, StaffRole::Judge | StaffRole::Mediator),
    }
}

/// The caller, if they manage documents of `kind` at `court` (another court's: not found).
#[cfg(feature = "ssr")]
async fn manager(cx: &crate::ssr::cx::Cx, court: &str, kind: DocumentKind) -> Result<crate::ssr::cx::Caller, AppError> {
    let (me, my_court, role) = cx.require_staff().await?;
    if my_court.as_str() != court {
        return Err(AppError::NotFound);
    }
    if manages(role, kind) { Ok(me) } else { Err(AppError::Forbidden) }
}

/// Staff who draft mediation agreements: the court's judges and mediators.
#[cfg(feature = "ssr")]
async fn drafter(cx: &crate::ssr::cx::Cx, court: &str) -> Result<crate::ssr::cx::Caller, AppError> {
    manager(cx, court, DocumentKind::MediationAgreement).await
}

/// Who signs a new document of the case: its parties who use Tianping (none: nothing to send).
#[cfg(feature = "ssr")]
async fn signers_of(cx: &crate::ssr::cx::Cx, case_id: i64) -> Result<Vec<i64>, AppError> {
    let signers: Vec<i64> = super::store::parties_of(cx.db(), case_id).await.map_err(db)?.into_iter().map(|(p, _)| p).collect();
    if signers.is_empty() {
        return Err(AppError::Conflict("error_signing_no_signers".into()));
    }
    Ok(signers)
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

/// The court sends a hearing's published record (笔录) to the case's parties for their
/// signatures: the same round, seal, PDF and public check as an agreement. The hearing's judge
/// or clerk (the court's) sends it, once: a second send answers the document already out.
#[server(prefix = "/api", endpoint = "signing/send_record")]
pub async fn send_record(hearing_id: i64) -> Result<i64, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let hearing = crate::hearings::store::hearing(cx.db(), hearing_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = manager(&cx, &hearing.court_code, DocumentKind::HearingRecord).await?;
    let record = crate::hearings::store::record(cx.db(), hearing_id).await.map_err(db)?.ok_or_else(|| AppError::Conflict("error_record_none".into()))?;
    let body = super::model::parse_body(&record.body).map_err(problems)?;
    let (_, case_number, court_name) = super::store::case_of(cx.db(), hearing.case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let signers = signers_of(&cx, hearing.case_id).await?;
    let (y, m, d) = crate::identity::model::UnixTime(hearing.starts_at).beijing_ymd();
    let document = Document {
        kind: DocumentKind::HearingRecord,
        court: court_name,
        case_number,
        title: format!("庭审笔录（{y}年{m}月{d}日）"),
        version: 1,
        content: Content::Text { body },
    };
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    // Inside the write transaction, so a double tap cannot send the record twice.
    if let Some(id) = super::store::for_hearing_in(&mut tx, hearing_id).await.map_err(db)? {
        return Ok(id);
    }
    let id = super::store::create_for_hearing_in(&mut tx, hearing.case_id, Some(hearing_id), &document, &signers, me.person_id, cx.now()).await.map_err(db)?;
    let mut round = Round::draft(&signers);
    round.send().map_err(refused)?;
    super::store::save_round_in(&mut tx, id, &round, None).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.drafted", id, &document, serde_json::json!({ "case": hearing.case_id, "hearing": hearing_id })).await?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.sent", id, &document, serde_json::json!({})).await?;
    tell_signers(&mut tx, &cx, &round, &document, id, "notice_signing_sent").await?;
    tx.commit().await.map_err(db)?;
    Ok(id)
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
    let signers = signers_of(&cx, case_id).await?;
    let document = Document { kind: DocumentKind::MediationAgreement, court: court_name, case_number, title: title.trim().to_string(), version: 1, content };
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let id = super::store::create_in(&mut tx, case_id, &document, &signers, me.person_id, cx.now()).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.drafted", id, &document, serde_json::json!({ "case": case_id })).await?;
    tx.commit().await.map_err(db)?;
    Ok(id)
}

/// Any other document the court sends for signature (a confirmation of the address for service,
/// a notice of rights and duties…): a judge or mediator of the case's court drafts its title and
/// text (version 1, not yet sent); it is sent, signed, sealed and checked like an agreement.
#[server(prefix = "/api", endpoint = "signing/draft_text")]
pub async fn draft_text(case_id: i64, title: String, body: String) -> Result<i64, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (court, case_number, court_name) = super::store::case_of(cx.db(), case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = manager(&cx, &court, DocumentKind::Other).await?;
    let title = parse_title(&title)?;
    let body = super::model::parse_body(&body).map_err(problems)?;
    let signers = signers_of(&cx, case_id).await?;
    let document = Document { kind: DocumentKind::Other, court: court_name, case_number, title, version: 1, content: Content::Text { body } };
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let id = super::store::create_in(&mut tx, case_id, &document, &signers, me.person_id, cx.now()).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.drafted", id, &document, serde_json::json!({ "case": case_id })).await?;
    tx.commit().await.map_err(db)?;
    Ok(id)
}

#[cfg(feature = "ssr")]
fn parse_title(title: &str) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 100 {
        return Err(AppError::field("title", if title.is_empty() { "error_required" } else { "error_too_long" }));
    }
    Ok(title.to_string())
}

#[cfg(feature = "ssr")]
fn parse_agreement(title: &str, agreement: &str) -> Result<Content, AppError> {
    parse_title(title)?;
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
    super::store::void_signatures_in(&mut tx, id, cx.now()).await.map_err(db)?;
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
    let me = manager(&cx, &row.court_code, row.document.kind).await?;
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
    let me = manager(&cx, &row.court_code, row.document.kind).await?;
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
async fn reader(cx: &crate::ssr::cx::Cx, row: &super::store::DocumentRow) -> Result<(crate::ssr::cx::Caller, bool, Option<Agency>), AppError> {
    let me = cx.require_person().await?;
    if let Some((court, role)) = &me.staff {
        if court.as_str() != row.court_code {
            return Err(AppError::NotFound);
        }
        return Ok((me.clone(), manages(*role, row.document.kind), None));
    }
    if row.round.status == Status::Draft {
        return Err(AppError::NotFound);
    }
    if row.round.signers.iter().any(|(p, _)| *p == me.person_id) {
        return Ok((me, false, None));
    }
    match agency(cx, row, me.person_id).await? {
        Some(agency) => Ok((me, false, Some(agency))),
        None => Err(AppError::NotFound),
    }
}

/// A lawyer's standing on a document: the first signer who granted them special authority over
/// its case, else the first who granted general authority; None if no signer is their client.
#[cfg(feature = "ssr")]
async fn agency(cx: &crate::ssr::cx::Cx, row: &super::store::DocumentRow, lawyer: i64) -> Result<Option<Agency>, AppError> {
    let mut general = None;
    for (client, _) in &row.round.signers {
        match crate::identity::store::authority_over_case(cx.db(), lawyer, *client, row.case_id).await.map_err(db)? {
            Some(authority) if authority.covers_signing() => return Ok(Some(Agency { client_id: *client, client_name: String::new(), may_sign: true })),
            Some(_) if general.is_none() => general = Some(Agency { client_id: *client, client_name: String::new(), may_sign: false }),
            _ => {}
        }
    }
    Ok(general)
}

/// Whose signature the caller gives: their own, or with `for_client` their client's, as the
/// client's lawyer with special authority over the document's case. A general grant lets a
/// lawyer read the document, never sign it.
#[cfg(feature = "ssr")]
async fn signing_for(cx: &crate::ssr::cx::Cx, me: i64, id: i64, for_client: Option<i64>) -> Result<i64, AppError> {
    let Some(client) = for_client.filter(|c| *c != me) else { return Ok(me) };
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    if !row.round.signers.iter().any(|(p, _)| *p == client) {
        return Err(AppError::NotFound);
    }
    match crate::identity::store::authority_over_case(cx.db(), me, client, row.case_id).await.map_err(db)? {
        Some(authority) if authority.covers_signing() => Ok(client),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}

/// What the evidence log adds when a lawyer acts for the signer.
#[cfg(feature = "ssr")]
fn acting(me: i64, signer: i64, mut details: serde_json::Value) -> serde_json::Value {
    if me != signer {
        details["for"] = serde_json::json!(format!("person:{signer}"));
    }
    details
}

/// The page's view of a document for the caller.
#[cfg(feature = "ssr")]
async fn view_of(cx: &crate::ssr::cx::Cx, row: super::store::DocumentRow, me: i64, may_manage: bool, agency: Option<Agency>) -> Result<DocumentView, AppError> {
    let people: Vec<i64> = row.round.signers.iter().map(|(p, _)| *p).collect();
    let names = super::store::names(cx.db(), &people).await.map_err(db)?;
    let agency = agency.map(|a| Agency { client_name: people.iter().zip(&names).find(|(p, _)| **p == a.client_id).map(|(_, n)| n.clone()).unwrap_or_default(), ..a });
    let signs_as = match &agency {
        Some(a) if a.may_sign => a.client_id,
        _ => me,
    };
    let mine = row.round.signers.iter().find(|(p, _)| *p == signs_as).map(|(_, s)| s.clone());
    let signers = row.round.signers.iter().zip(names).map(|((_, state), name)| SignerView { name, state: state.clone() }).collect();
    let verify_path = if row.round.status == Status::Sealed {
        let mut conn = cx.db().acquire().await.map_err(db)?;
        super::store::seal_of_in(&mut conn, row.id).await.map_err(db)?.map(|(_, seal, _)| verify_path(row.id, &seal))
    } else {
        None
    };
    let pdf_path = match verify_path {
        Some(_) => super::store::pdf_of(cx.db(), row.id).await.map_err(db)?.and_then(|(_, served)| served).map(|d| format!("/documents/{d}")),
        None => None,
    };
    Ok(DocumentView {
        id: row.id,
        case_id: row.case_id,
        status: row.round.status,
        document: row.document,
        fingerprint: row.fingerprint,
        signers,
        mine,
        agency,
        may_manage,
        void_reason: row.void_reason,
        verify_path,
        pdf_path,
    })
}

/// The public verification page of a sealed document: its id and the check code from its seal.
#[cfg(feature = "ssr")]
fn verify_path(id: i64, seal: &str) -> String {
    format!("/sign/verify/{id}?c={}", super::model::verification_code(seal))
}

/// A document for signature, as its signers and the court see it.
#[server(prefix = "/api", endpoint = "signing/document")]
pub async fn signing_document(id: i64) -> Result<DocumentView, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let (me, may_manage, agency) = reader(&cx, &row).await?;
    view_of(&cx, row, me.person_id, may_manage, agency).await
}

/// The documents the caller may see, newest first: court staff, their court's; anyone else,
/// those sent to them for signature, and a lawyer those sent to their clients.
#[server(prefix = "/api", endpoint = "signing/list")]
pub async fn signing_list() -> Result<Vec<DocumentView>, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let (ids, role) = match &me.staff {
        Some((court, role)) => (super::store::ids_of_court(cx.db(), court.as_str()).await.map_err(db)?, Some(*role)),
        None => {
            if !me.verified {
                return Err(AppError::Forbidden);
            }
            let mut ids = super::store::ids_for_signer(cx.db(), me.person_id).await.map_err(db)?;
            ids.extend(super::store::ids_for_agent(cx.db(), me.person_id).await.map_err(db)?);
            ids.sort_unstable_by(|a, b| b.cmp(a));
            ids.dedup();
            (ids, None)
        }
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = super::store::document(cx.db(), id).await.map_err(db)? {
            let may_manage = role.is_some_and(|r| manages(r, row.document.kind));
            let signer = row.round.signers.iter().any(|(p, _)| *p == me.person_id);
            let agency = if role.is_none() && !signer { agency(&cx, &row, me.person_id).await? } else { None };
            out.push(view_of(&cx, row, me.person_id, may_manage, agency).await?);
        }
    }
    Ok(out)
}

/// What the agreement's template starts from for a case: its number, its parties as the
/// complaint names them, and who will sign (its parties who use Tianping).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub case_id: i64,
    pub case_number: String,
    pub parties: Vec<super::model::AgreementParty>,
    pub signers: Vec<String>,
}

#[server(prefix = "/api", endpoint = "signing/template")]
pub async fn agreement_template(case_id: i64) -> Result<Template, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (court, case_number, _) = super::store::case_of(cx.db(), case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    drafter(&cx, &court).await?;
    let parties = super::store::case_parties(cx.db(), case_id)
        .await
        .map_err(db)?
        .into_iter()
        .filter_map(|(side, name)| super::model::Side::parse(&side).map(|side| super::model::AgreementParty { side, name }))
        .collect();
    let signers = super::store::parties_of(cx.db(), case_id).await.map_err(db)?.into_iter().map(|(_, name)| name).collect();
    Ok(Template { case_id, case_number, parties, signers })
}

/// The court's cases a judge or mediator may draft an agreement for: (id, case number).
#[server(prefix = "/api", endpoint = "signing/cases")]
pub async fn drafting_cases() -> Result<Vec<(i64, String)>, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let (_, court, _) = cx.require_staff().await?;
    drafter(&cx, court.as_str()).await?;
    super::store::cases_of_court(cx.db(), court.as_str()).await.map_err(db)
}

/// Staff remind the signers who have not answered yet (in their inbox); the answer is how many.
#[server(prefix = "/api", endpoint = "signing/remind")]
pub async fn remind_signers(id: i64) -> Result<usize, AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = manager(&cx, &row.court_code, row.document.kind).await?;
    if row.round.status != Status::Out {
        return Err(refused(SigningError::NotOut));
    }
    let waiting = row.round.waiting_for();
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let params = serde_json::json!({ "case_number": row.document.case_number, "title": row.document.title, "version": row.document.version });
    crate::cases::store::notify_in(&mut tx, &waiting, cx.now(), "notice_signing_reminder", &params, &format!("/sign/{id}")).await.map_err(db)?;
    log_in(&mut tx, cx.now().0, me.person_id, "signing.reminded", id, &row.document, serde_json::json!({ "signers": waiting })).await?;
    tx.commit().await.map_err(db)?;
    Ok(waiting.len())
}

/// A signer's step on the current version: opened it, or reached its end. Only the first of each
/// is logged.
#[server(prefix = "/api", endpoint = "signing/progress")]
pub async fn signing_progress(id: i64, version: u32, step: String, #[server(default)] for_client: Option<i64>) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let signer = signing_for(&cx, me.person_id, id, for_client).await?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = signer_row(&mut tx, id, signer).await?;
    if row.round.version != version {
        return Err(refused(SigningError::WrongVersion));
    }
    let details = acting(me.person_id, signer, serde_json::json!({}));
    let (changed, action) = match step.as_str() {
        "opened" => (row.round.open(signer).map_err(refused)?, "signing.opened"),
        "read_to_end" => {
            // Reaching the end is opening it too: the log says so, in that order, even when the
            // page's two reports arrive the other way round.
            if row.round.open(signer).map_err(refused)? {
                log_in(&mut tx, cx.now().0, me.person_id, "signing.opened", id, &row.document, details.clone()).await?;
            }
            (row.round.read_to_end(signer).map_err(refused)?, "signing.read")
        }
        _ => return Err(AppError::field("step", "error_bad_request")),
    };
    if changed {
        super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
        log_in(&mut tx, cx.now().0, me.person_id, action, id, &row.document, details).await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(())
}

/// A signer declines the version they read, saying why; the court is told through the status.
#[server(prefix = "/api", endpoint = "signing/decline")]
pub async fn decline_signing(id: i64, version: u32, reason: String, #[server(default)] for_client: Option<i64>) -> Result<(), AppError> {
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let signer = signing_for(&cx, me.person_id, id, for_client).await?;
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = signer_row(&mut tx, id, signer).await?;
    row.round.decline(signer, version, &reason).map_err(refused)?;
    super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
    let details = acting(me.person_id, signer, serde_json::json!({ "reason": reason.trim() }));
    log_in(&mut tx, cx.now().0, me.person_id, "signing.declined", id, &row.document, details).await?;
    tx.commit().await.map_err(db)?;
    Ok(())
}

/// How the SMS code was sent, for the page: the masked number and when another may be asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningCodeSent {
    pub masked_mobile: String,
    pub resend_after_s: i64,
}

/// The verified signer of a document out for signature, inside the caller's transaction.
#[cfg(feature = "ssr")]
async fn signer_row(tx: &mut sqlx::SqliteConnection, id: i64, person: i64) -> Result<super::store::DocumentRow, AppError> {
    let row = super::store::document_in(tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    if !row.round.signers.iter().any(|(p, _)| *p == person) || row.round.status == Status::Draft {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// The document a signer is about to bind a signature to: the version they read to the end,
/// out for signature, not yet answered by them.
#[cfg(feature = "ssr")]
async fn ready_to_sign(cx: &crate::ssr::cx::Cx, id: i64, version: u32, person: i64) -> Result<super::store::DocumentRow, AppError> {
    let mut conn = cx.db().acquire().await.map_err(db)?;
    let row = signer_row(&mut conn, id, person).await?;
    if row.round.version != version {
        return Err(refused(SigningError::WrongVersion));
    }
    match row.round.signers.iter().find(|(p, _)| *p == person).map(|(_, s)| s) {
        Some(SignerState::ReadToEnd) => {}
        Some(SignerState::Signed { .. } | SignerState::Declined { .. }) => return Err(refused(SigningError::AlreadyAnswered)),
        _ => return Err(refused(SigningError::NotReadToEnd)),
    }
    if row.round.status != Status::Out {
        return Err(refused(SigningError::NotOut));
    }
    Ok(row)
}

/// Starts the passkey binding of a signature: an assertion whose challenge is derived from the
/// version's fingerprint, the document and the signer (and a fresh nonce, so that no two
/// assertions are alike). Where passkeys are absent (WeChat), the SMS code does the same.
#[server(prefix = "/api", endpoint = "signing/passkey_start")]
pub async fn signing_passkey_start(id: i64, version: u32, #[server(default)] for_client: Option<i64>) -> Result<crate::identity::model::PasskeyChallenge, AppError> {
    use crate::ssr::cx::Cx;
    use rand::Rng;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let signer = signing_for(&cx, me.person_id, id, for_client).await?;
    let row = ready_to_sign(&cx, id, version, signer).await?;
    let nonce: [u8; 16] = rand::rng().random();
    // The challenge names whose signature it is; the passkey is the caller's own (a lawyer's, for a client).
    let challenge = super::model::signing_challenge(&row.fingerprint, id, version, signer, &nonce);
    let bound = serde_json::json!({ "document": id, "version": version, "signer": signer, "fingerprint": row.fingerprint, "nonce": hex::encode(nonce) });
    crate::identity::passkeys::start_bound_assertion(&cx, me.person_id, me.session_id, "signing", &challenge, bound).await
}

/// The challenge a finished passkey assertion was bound to, checked against the document being
/// signed: the same document, version and fingerprint, recomputed from what was stored.
#[cfg(feature = "ssr")]
fn passkey_challenge(bound: &serde_json::Value, id: i64, version: u32, fingerprint: &str, person: i64) -> Result<String, AppError> {
    let same = bound["document"].as_i64() == Some(id)
        && bound["version"].as_u64() == Some(u64::from(version))
        && bound["signer"].as_i64() == Some(person)
        && bound["fingerprint"].as_str() == Some(fingerprint);
    let nonce = bound["nonce"].as_str().and_then(|n| hex::decode(n).ok());
    match (same, nonce) {
        (true, Some(nonce)) => Ok(hex::encode(super::model::signing_challenge(fingerprint, id, version, person, &nonce))),
        _ => Err(AppError::Conflict("error_signing_fingerprint".into())),
    }
}

/// Sends a signer who has read `version` to the end a code by SMS bound to that version's
/// fingerprint (the way to sign where passkeys are absent, as in WeChat). One a minute.
#[server(prefix = "/api", endpoint = "signing/sms_code")]
pub async fn signing_sms_code(id: i64, version: u32, #[server(default)] for_client: Option<i64>) -> Result<SigningCodeSent, AppError> {
    use crate::identity::model::{MobileNumber, RESEND_SECS};
    use crate::ssr::cx::{Cx, internal};
    use rand::Rng;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let signer = signing_for(&cx, me.person_id, id, for_client).await?;
    let row = ready_to_sign(&cx, id, version, signer).await?;
    let now = cx.now();
    if let Some(last) = super::store::last_code_at(cx.db(), id, signer).await.map_err(db)?
        && now.0 - last < RESEND_SECS
    {
        return Err(AppError::RateLimited { retry_after_s: u32::try_from(RESEND_SECS - (now.0 - last)).unwrap_or(60) });
    }
    let mobile = MobileNumber::parse(&me.mobile).map_err(|_| internal("signing", "a verified person without a mobile"))?;
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let nonce: [u8; 16] = rand::rng().random();
    let challenge = super::model::sha256_hex(&super::model::signing_challenge(&row.fingerprint, id, version, signer, &nonce));
    let code_hash = super::model::sha256_hex(format!("{challenge}:{code}").as_bytes());
    let kept = super::store::NewCode {
        document_id: id,
        version,
        person_id: signer,
        sent_to: me.person_id,
        fingerprint: &row.fingerprint,
        challenge: &challenge,
        code_hash: &code_hash,
        now,
    };
    super::store::insert_code(cx.db(), &kept).await.map_err(db)?;
    let text = crate::i18n::td_string!(cx.locale(), sms_signing_code_text, code = code.as_str(), case_number = row.case_number.as_str(), fingerprint = &row.fingerprint[..8]).to_string();
    cx.state.sms.send(&mobile, &text, now.0).await.map_err(|e| {
        tracing::warn!(error = %e, "SMS gateway refused a signing code");
        AppError::Conflict("error_sms_unavailable".into())
    })?;
    Ok(SigningCodeSent { masked_mobile: mobile.masked(), resend_after_s: RESEND_SECS })
}

/// A signer signs the version they read, whose fingerprint they were shown, with their drawn
/// signature (or typed name) and a binding to that fingerprint: a passkey assertion started by
/// `signing/passkey_start` (`ceremony`, `credential`), or the SMS code from `signing/sms_code`
/// (`code`). The signature, the step in the evidence log and the round's new state are written
/// together.
#[server(prefix = "/api", endpoint = "signing/sign")]
pub async fn sign_document(
    id: i64,
    version: u32,
    fingerprint: String,
    #[server(default)] drawing: String,
    #[server(default)] typed_name: String,
    #[server(default)] code: String,
    #[server(default)] ceremony: String,
    #[server(default)] credential: String,
    #[server(default)] for_client: Option<i64>,
) -> Result<Status, AppError> {
    use crate::identity::model::constant_time_eq;
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let signer = signing_for(&cx, me.person_id, id, for_client).await?;
    let name = crate::filing::store::person_name(cx.db(), me.person_id).await.map_err(db)?.unwrap_or_default();
    let mark = super::model::Mark::parse(&drawing, &typed_name, &name).map_err(|key| AppError::field(if drawing.trim().is_empty() { "typed_name" } else { "drawing" }, key))?;
    // The passkey's answer is checked first: it takes its ceremony, so a replay finds it used.
    let passkey = if credential.trim().is_empty() {
        None
    } else {
        Some(crate::identity::passkeys::finish_bound_assertion(&cx, me.person_id, me.session_id, "signing", &ceremony, &credential).await?)
    };
    let now = cx.now();
    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut row = signer_row(&mut tx, id, signer).await?;
    if row.round.version != version {
        return Err(refused(SigningError::WrongVersion));
    }
    // What they were shown must be what is signed: the same version may not say anything else.
    if !constant_time_eq(fingerprint.trim().as_bytes(), row.fingerprint.as_bytes()) {
        return Err(AppError::Conflict("error_signing_fingerprint".into()));
    }
    let (method, challenge, credential_id) = match passkey {
        Some(p) => (super::model::Method::Passkey, passkey_challenge(&p.bound, id, version, &row.fingerprint, signer)?, Some(p.credential_id)),
        None => match sms_binding(&cx, &mut tx, &row, (id, version), (signer, me.person_id), &code).await? {
            Ok(challenge) => (super::model::Method::SmsCode, challenge, None),
            Err(wrong) => {
                // Counted outside the transaction, which the refusal rolls back.
                drop(tx);
                super::store::code_wrong(cx.db(), wrong).await.map_err(db)?;
                return Err(AppError::field("code", "error_code_wrong"));
            }
        },
    };
    row.round.sign(signer, version, method).map_err(refused)?;
    let method_name = if method == super::model::Method::Passkey { "passkey" } else { "sms_code" };
    let signature = super::store::NewSignature {
        document_id: id,
        version,
        person_id: signer,
        signed_by: (signer != me.person_id).then_some(me.person_id),
        fingerprint: &row.fingerprint,
        method: method_name,
        challenge: &challenge,
        credential_id: credential_id.as_deref(),
        mark: &mark,
        now,
    };
    super::store::insert_signature_in(&mut tx, &signature).await.map_err(db)?;
    super::store::save_round_in(&mut tx, id, &row.round, None).await.map_err(db)?;
    let how = serde_json::json!({
        "method": method_name,
        "challenge": challenge,
        "credential_id": credential_id,
        "mark": if matches!(mark, super::model::Mark::Drawn(_)) { "drawn" } else { "typed" },
    });
    log_in(&mut tx, now.0, me.person_id, "signing.signed", id, &row.document, acting(me.person_id, signer, how)).await?;
    tx.commit().await.map_err(db)?;
    Ok(row.round.status)
}

/// Checks the SMS code typed against the last one sent for this version and marks it used, inside
/// the signing transaction; the answer is the challenge the code was bound to, or for a wrong
/// code the id of the code it counts against.
#[cfg(feature = "ssr")]
async fn sms_binding(
    cx: &crate::ssr::cx::Cx,
    tx: &mut sqlx::SqliteConnection,
    row: &super::store::DocumentRow,
    (id, version): (i64, u32),
    (signer, caller): (i64, i64),
    code: &str,
) -> Result<Result<String, i64>, AppError> {
    use crate::identity::model::{CODE_TTL_SECS, MAX_WRONG_TRIES, constant_time_eq};
    let typed = crate::identity::model::OtpCode::parse(code).ok_or_else(|| AppError::field("code", "error_code_format"))?;
    let sent = super::store::latest_code_in(tx, id, version, signer).await.map_err(db)?.ok_or_else(|| AppError::field("code", "error_code_wrong"))?;
    // A code texted to the signer signs only in their hands, one texted to their lawyer only in the lawyer's.
    if sent.sent_to != caller {
        return Err(AppError::field("code", "error_code_wrong"));
    }
    if sent.used_at.is_some() {
        return Err(AppError::field("code", "error_code_used"));
    }
    if sent.wrong_tries >= i64::from(MAX_WRONG_TRIES) {
        return Err(AppError::field("code", "error_signing_code_burnt"));
    }
    if cx.now().0 >= sent.issued_at + CODE_TTL_SECS || sent.fingerprint != row.fingerprint {
        return Err(AppError::field("code", "error_code_expired"));
    }
    if !constant_time_eq(super::model::sha256_hex(format!("{}:{}", sent.challenge, typed.as_str()).as_bytes()).as_bytes(), sent.code_hash.as_bytes()) {
        return Ok(Err(sent.id));
    }
    super::store::code_used_in(tx, sent.id, cx.now()).await.map_err(db)?;
    Ok(Ok(sent.challenge))
}

/// The records the seal covers, from the standing signatures of the current version.
#[cfg(feature = "ssr")]
fn records(rows: &[super::store::SignatureRow]) -> Vec<super::model::SignatureRecord> {
    use super::model::{Mark, Method, SignatureRecord, mark_sha256};
    rows.iter()
        .map(|r| {
            let mark = match (&r.drawing, &r.typed_name) {
                (Some(d), _) => Mark::Drawn(d.clone()),
                (None, t) => Mark::Typed(t.clone().unwrap_or_default()),
            };
            SignatureRecord {
                signer: r.name.clone(),
                agent: r.agent.clone(),
                method: if r.method == "passkey" { Method::Passkey } else { Method::SmsCode },
                credential_id: r.credential_id.clone(),
                challenge: r.challenge.clone(),
                mark_sha256: mark_sha256(&mark),
                signed_at: r.signed_at,
            }
        })
        .collect()
}

/// The court seals a document every signer signed: its Ed25519 seal over the fingerprint and
/// every signature. The sealed PDF is made, kept and served on the case's people (electronic
/// service, with their read receipts), in the transaction that seals it; the signers are told.
/// The answer is the verification link's path.
#[server(prefix = "/api", endpoint = "signing/seal")]
pub async fn seal_document(id: i64) -> Result<String, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let row = super::store::document(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let me = manager(&cx, &row.court_code, row.document.kind).await?;
    // Checked here before the work of the PDF, and again in the transaction.
    row.round.clone().seal().map_err(refused)?;
    let now = cx.now();
    let signatures = {
        let mut conn = cx.db().acquire().await.map_err(db)?;
        super::store::signatures_in(&mut conn, id, row.round.version).await.map_err(db)?
    };
    let statement = super::model::seal_statement(id, &row.fingerprint, &records(&signatures), now.0);
    let seal = cx.state.seal.sign(&statement);
    let public = cx.state.seal.public_hex();
    let path = verify_path(id, &seal);
    let pdf = sealed_pdf(&cx, &row, &signatures, now, &seal, &public, &path).await?;
    let sha = cx.state.blobs.put(&pdf).await.map_err(|e| internal("storing a sealed PDF", e))?;

    let mut tx = crate::ssr::db::write_tx(cx.db()).await.map_err(db)?;
    let mut current = super::store::document_in(&mut tx, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let again = super::store::signatures_in(&mut tx, id, current.round.version).await.map_err(db)?;
    if current.fingerprint != row.fingerprint || records(&again) != records(&signatures) {
        return Err(AppError::Conflict("error_signing_changed_meanwhile".into()));
    }
    current.round.seal().map_err(refused)?;
    super::store::save_round_in(&mut tx, id, &current.round, None).await.map_err(db)?;
    super::store::seal_in(&mut tx, id, now, me.person_id, &seal, &public).await.map_err(db)?;
    let title = format!("{}（已签章）", current.document.title);
    let served = crate::cases::store::serve_document_in(
        &mut tx,
        crate::cases::store::NewDocument {
            court: &current.court_code,
            case_id: current.case_id,
            kind: "other",
            title: &title,
            sha256: &sha,
            size: i64::try_from(pdf.len()).unwrap_or(i64::MAX),
            evidence_days: None,
            staff_id: me.person_id,
            now,
        },
    )
    .await
    .map_err(db)?;
    let document_id = match &served {
        crate::cases::store::Served::Now { document_id, .. } | crate::cases::store::Served::Before { document_id } => Some(*document_id),
        crate::cases::store::Served::NotFound => None,
    };
    super::store::set_pdf_in(&mut tx, id, &sha, document_id).await.map_err(db)?;
    log_in(&mut tx, now.0, me.person_id, "signing.sealed", id, &current.document, serde_json::json!({ "seal": seal, "signatures": signatures.len(), "pdf_sha256": sha })).await?;
    tell_signers(&mut tx, &cx, &current.round, &current.document, id, "notice_signing_sealed").await?;
    tx.commit().await.map_err(db)?;
    if let crate::cases::store::Served::Now { case_number, locale, recipients, .. } = served {
        crate::cases::documents::text_recipients(&cx, &recipients, &locale, &case_number, &title).await;
    }
    Ok(path)
}

/// Renders the sealed PDF off the async workers (reading the CJK font and subsetting it is CPU
/// work). Without a usable font nothing is sealed: the court is told why.
#[cfg(feature = "ssr")]
async fn sealed_pdf(
    cx: &crate::ssr::cx::Cx,
    row: &super::store::DocumentRow,
    signatures: &[super::store::SignatureRow],
    sealed_at: crate::identity::model::UnixTime,
    seal: &str,
    public: &str,
    path: &str,
) -> Result<Vec<u8>, AppError> {
    let url = format!("{}{path}", cx.state.site.public_url.trim_end_matches('/'));
    let (document, fingerprint, signatures, seal, public) = (row.document.clone(), row.fingerprint.clone(), signatures.to_vec(), seal.to_string(), public.to_string());
    let rendered = tokio::task::spawn_blocking(move || {
        let sealed = super::pdf::Sealed { document: &document, fingerprint: &fingerprint, signatures: &signatures, sealed_at, seal: &seal, public_key: &public, verify_url: &url };
        crate::ssr::pdf::installed_font().and_then(|font| super::pdf::render(&font, &sealed))
    })
    .await
    .map_err(|e| crate::ssr::cx::internal("rendering a sealed PDF", e))?;
    rendered.map_err(|e| {
        tracing::warn!(error = %e, "the sealed PDF cannot be made");
        AppError::Conflict("error_signing_pdf_unavailable".into())
    })
}

/// A signature as the public verification page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedSignature {
    /// Masked (张*): the page is public.
    pub signer: String,
    /// The lawyer who signed for them under special authority (masked too), if one did.
    pub agent: Option<String>,
    pub method: super::model::Method,
    pub credential_id: Option<String>,
    pub signed_at: crate::identity::model::UnixTime,
}

/// An entry of the document's evidence log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub seq: i64,
    pub at: crate::identity::model::UnixTime,
    pub action: String,
    pub hash: String,
}

/// What the public verification page says of a sealed document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The content still gives its fingerprint, and the court's seal checks over the fingerprint
    /// and every signature: nothing was changed since sealing.
    pub genuine: bool,
    pub title: String,
    pub court: String,
    pub case_number: String,
    pub version: u32,
    pub fingerprint: String,
    pub sealed_at: crate::identity::model::UnixTime,
    pub seal_public_key: String,
    pub signatures: Vec<VerifiedSignature>,
    pub log: Vec<LogEntry>,
}

/// The public check of a sealed document (no sign-in), reached from the QR code on it: `c` is the
/// check code printed in that link. A wrong code and an unknown document look the same.
#[server(prefix = "/api", endpoint = "signing/verify")]
pub async fn verify_document(id: i64, c: String) -> Result<Verification, AppError> {
    use crate::identity::model::{UnixTime, constant_time_eq};
    use crate::ssr::cx::Cx;
    let cx = Cx::get()?;
    cx.limit_ip("signing-verify").await?;
    let mut conn = cx.db().acquire().await.map_err(db)?;
    let (sealed_at, seal, public) = super::store::seal_of_in(&mut conn, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    if !constant_time_eq(super::model::verification_code(&seal).as_bytes(), c.trim().as_bytes()) {
        return Err(AppError::NotFound);
    }
    let row = super::store::document_in(&mut conn, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let signatures = super::store::signatures_in(&mut conn, id, row.round.version).await.map_err(db)?;
    let statement = super::model::seal_statement(id, &row.fingerprint, &records(&signatures), sealed_at);
    // Genuine: the stored content still gives the fingerprint that was signed, the seal checks
    // over it and every signature, and it was made with this court's key.
    let genuine = row.document.fingerprint() == row.fingerprint
        && public == cx.state.seal.public_hex()
        && crate::ssr::seal::verify_with(&public, &statement, &seal);
    let log = super::store::log_of_in(&mut conn, id).await.map_err(db)?;
    Ok(Verification {
        genuine,
        title: row.document.title.clone(),
        court: row.document.court.clone(),
        case_number: row.case_number.clone(),
        version: row.round.version,
        fingerprint: row.fingerprint.clone(),
        sealed_at: UnixTime(sealed_at),
        seal_public_key: public,
        signatures: records(&signatures)
            .into_iter()
            .map(|r| VerifiedSignature {
                signer: crate::fees::receipts::mask_name(&r.signer),
                agent: r.agent.as_deref().map(crate::fees::receipts::mask_name),
                method: r.method,
                credential_id: r.credential_id,
                signed_at: UnixTime(r.signed_at),
            })
            .collect(),
        log: log.into_iter().map(|(seq, at, action, hash)| LogEntry { seq, at: UnixTime(at), action, hash }).collect(),
    })
}
