//! The plain HTTP side of electronic service (server only): staff send a PDF with a plain
//! multipart form (`POST /staff/cases/{id}/serve`, so it works before hydration and a 20 MB
//! file never passes through a server function), and the people served open it at
//! `GET /documents/{id}`, which records their read receipt the first time.
use super::service::{DocumentKind, EvidenceDays, MAX_DOCUMENT_BYTES, parse_title};
use super::store::{self, NewDocument, Served};
use crate::error::AppError;
use crate::filing::model::FileKind;
use crate::identity::model::{MobileNumber, StaffRole};
use crate::ssr::AppState;
use crate::ssr::cx::{Cx, internal};
use axum::extract::Multipart;
use axum::response::{IntoResponse, Redirect, Response};

fn db(e: sqlx::Error) -> AppError {
    internal("case documents", e)
}

/// What the serve form sent, as typed (kept to fill the form again after an error).
#[derive(Default)]
struct ServeForm {
    kind: String,
    title: String,
    evidence_days: String,
    file: Option<Vec<u8>>,
}

/// Where the form goes back to: the case's staff page, with the outcome or the error and what
/// was typed, so nothing is lost but the file (which a browser never lets a page set again).
fn back(case_id: i64, outcome: &str, form: &ServeForm) -> Response {
    let enc = crate::identity::pages::encode;
    Redirect::to(&format!(
        "/staff/cases/{case_id}?{outcome}&kind={}&title={}&days={}",
        enc(&form.kind),
        enc(&form.title),
        enc(&form.evidence_days)
    ))
    .into_response()
}

/// Staff of the case's court (judges, clerks, administrators) serve a PDF on everyone of the
/// case who uses Tianping; each is told in-app and by SMS.
pub async fn serve(state: AppState, parts: http::request::Parts, case_id: i64, multipart: Multipart) -> Response {
    let cx = Cx { state, parts };
    match serve_in(&cx, case_id, multipart).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve_in(cx: &Cx, case_id: i64, mut multipart: Multipart) -> Result<Response, AppError> {
    let (me, court, role) = cx.require_staff().await?;
    if !matches!(role, StaffRole::Judge | StaffRole::Clerk | StaffRole::Admin) {
        return Err(AppError::Forbidden);
    }
    let mut form = ServeForm::default();
    let mut too_big = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // The body limit cuts a file over 20 MB off mid-stream.
            Err(e) => {
                tracing::info!(error = %e, "a served document's form could not be read");
                too_big = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => match field.bytes().await {
                Ok(b) if b.len() > MAX_DOCUMENT_BYTES => too_big = true,
                Ok(b) if !b.is_empty() => form.file = Some(b.to_vec()),
                Ok(_) => {}
                Err(_) => too_big = true,
            },
            "kind" | "title" | "evidence_days" => {
                let text = field.text().await.unwrap_or_default();
                let text: String = text.chars().take(200).collect();
                match name.as_str() {
                    "kind" => form.kind = text,
                    "title" => form.title = text,
                    _ => form.evidence_days = text,
                }
            }
            _ => {}
        }
    }
    if store::court_case(cx.db(), court.as_str(), case_id).await.map_err(db)?.is_none() {
        return Err(AppError::NotFound);
    }
    let Some(kind) = DocumentKind::parse(&form.kind) else { return Ok(back(case_id, "error=kind", &form)) };
    let title = match parse_title(&form.title) {
        Ok(t) => t,
        Err(_) => return Ok(back(case_id, "error=title", &form)),
    };
    let evidence_days = match kind {
        DocumentKind::EvidenceNotice => match EvidenceDays::parse(&form.evidence_days) {
            Ok(d) => Some(i64::from(d.days())),
            Err(_) => return Ok(back(case_id, "error=days", &form)),
        },
        _ => None,
    };
    if too_big {
        return Ok(back(case_id, "error=size", &form));
    }
    let Some(bytes) = form.file.take() else { return Ok(back(case_id, "error=file", &form)) };
    if FileKind::sniff(&bytes) != Some(FileKind::Pdf) {
        return Ok(back(case_id, "error=type", &form));
    }
    let sha = cx.state.blobs.put(&bytes).await.map_err(|e| internal("storing a served document", e))?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let new = NewDocument { court: court.as_str(), case_id, kind: kind.as_str(), title: &title, sha256: &sha, size, evidence_days, staff_id: me.person_id, now: cx.now() };
    match store::serve_document(cx.db(), new).await.map_err(db)? {
        Served::NotFound => Err(AppError::NotFound),
        Served::Before { document_id } => Ok(back(case_id, &format!("before={document_id}"), &ServeForm::default())),
        Served::Now { document_id, case_number, locale, recipients } => {
            text_recipients(cx, &recipients, &locale, &case_number, &title).await;
            Ok(back(case_id, &format!("served={document_id}"), &ServeForm::default()))
        }
    }
}

/// Tells each person served by SMS (after the service is stored: a failed text does not undo
/// it), in the language the case was filed in.
pub(crate) async fn text_recipients(cx: &Cx, recipients: &[store::Recipient], locale: &str, case_number: &str, title: &str) {
    let locale = locale.parse::<crate::i18n::Locale>().unwrap_or_default();
    let text = crate::i18n::td_string!(locale, sms_document_served, case_number = case_number, title = title).to_string();
    text_each(cx, recipients, &text).await;
}

/// Sends one text to each of a case's people who has a mobile number; a failure is logged and
/// does not stop the others (what it tells is already stored and shown in-app).
pub(crate) async fn text_each(cx: &Cx, recipients: &[store::Recipient], text: &str) {
    for r in recipients {
        let Some(Ok(mobile)) = r.mobile.as_deref().map(MobileNumber::parse) else { continue };
        if let Err(e) = cx.state.sms.send(&mobile, text, cx.now().0).await {
            tracing::warn!(error = %e, person = r.person_id, "a case's person could not be told by SMS");
        }
    }
}

/// Opens a served document: for a person it was served on (recording the read receipt the
/// first time), or for staff of its court (no receipt). Anyone else: 404.
pub async fn open(state: AppState, parts: http::request::Parts, document_id: i64, download: bool) -> Response {
    let cx = Cx { state, parts };
    match open_in(&cx, document_id, download).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn open_in(cx: &Cx, document_id: i64, download: bool) -> Result<Response, AppError> {
    let me = cx.require_person().await?;
    let (sha, title) = match &me.staff {
        Some((court, _)) => store::court_document(cx.db(), court.as_str(), document_id).await.map_err(db)?,
        None => store::open_served(cx.db(), me.person_id, document_id, cx.now()).await.map_err(db)?.map(|d| (d.sha256, d.title)),
    }
    .ok_or(AppError::NotFound)?;
    let bytes = cx.state.blobs.read(&sha).await.map_err(|e| internal("reading a served document", e))?;
    let name = format!("{title}.pdf");
    let disposition = format!(
        "{}; filename=\"document-{document_id}.pdf\"; filename*=UTF-8''{}",
        if download { "attachment" } else { "inline" },
        crate::identity::pages::encode(&name)
    );
    Ok(crate::ssr::blobs::file_response(bytes, "application/pdf", &disposition, &sha))
}
