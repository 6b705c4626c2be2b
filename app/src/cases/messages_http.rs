//! The plain HTTP side of contacting the judge (server only): a message, with at most one file
//! attached, is sent by a plain multipart form (`POST /cases/{id}/messages`, so it works before
//! hydration and a file never passes through a server function), and attachments are opened at
//! `GET /attachments/{id}` by the thread's people and the court's staff.
use super::messages::{MAX_ATTACHMENT_BYTES, MessageBody};
use super::store::{self, NewMessage};
use crate::error::AppError;
use crate::filing::model::FileKind;
use crate::identity::model::StaffRole;
use crate::ssr::AppState;
use crate::ssr::cx::{Cx, internal};
use axum::extract::Multipart;
use axum::response::{IntoResponse, Redirect, Response};

fn db(e: sqlx::Error) -> AppError {
    internal("case messages", e)
}

#[derive(Default)]
struct MessageForm {
    body: String,
    request_key: String,
    party: Option<i64>,
    file: Option<(String, Vec<u8>)>,
    too_big: bool,
}

async fn read_form(mut multipart: Multipart) -> MessageForm {
    let mut form = MessageForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                form.too_big = true;
                break;
            }
        };
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("attachment").chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(100).collect::<String>();
                match field.bytes().await {
                    Ok(b) if b.len() > MAX_ATTACHMENT_BYTES => form.too_big = true,
                    Ok(b) if !b.is_empty() => form.file = Some((name, b.to_vec())),
                    Ok(_) => {}
                    Err(_) => form.too_big = true,
                }
            }
            "body" => form.body = field.text().await.unwrap_or_default().chars().take(super::messages::MAX_MESSAGE_CHARS + 1).collect(),
            "request_key" => form.request_key = field.text().await.unwrap_or_default().chars().take(64).collect(),
            "party" => form.party = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
            _ => {}
        }
    }
    form
}

/// A party (or their lawyer) writes to the court, or the court's staff answer in a party's
/// thread; either way the browser goes back to the thread.
pub async fn send(state: AppState, parts: http::request::Parts, case_id: i64, multipart: Multipart) -> Response {
    let cx = Cx { state, parts };
    match send_in(&cx, case_id, multipart).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn send_in(cx: &Cx, case_id: i64, multipart: Multipart) -> Result<Response, AppError> {
    let me = cx.require_person().await?;
    let (_, court) = store::case_court(cx.db(), case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let form = read_form(multipart).await;
    let (party, from_court, back) = match &me.staff {
        Some((staff_court, role)) => {
            if staff_court.as_str() != court {
                return Err(AppError::NotFound);
            }
            if !matches!(role, StaffRole::Judge | StaffRole::Clerk | StaffRole::Admin) {
                return Err(AppError::Forbidden);
            }
            let party = form.party.ok_or(AppError::NotFound)?;
            if !store::is_online_party(cx.db(), party, case_id).await.map_err(db)? {
                return Err(AppError::NotFound);
            }
            (party, true, format!("/staff/cases/{case_id}/messages/{party}"))
        }
        None => {
            let party = store::thread_party(cx.db(), me.person_id, case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
            (party, false, format!("/cases/{case_id}/messages"))
        }
    };
    let again = |error: &str| {
        let kept: String = form.body.chars().take(super::messages::MAX_MESSAGE_CHARS).collect();
        Redirect::to(&format!("{back}?error={error}&body={}", crate::identity::pages::encode(&kept))).into_response()
    };
    let body = match MessageBody::parse(&form.body) {
        Ok(b) => b,
        Err(key) => return Ok(again(if key == "error_required" { "body" } else { "long" })),
    };
    if form.too_big {
        return Ok(again("size"));
    }
    if form.request_key.len() < 16 || !form.request_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::field("request_key", "error_bad_request"));
    }
    let attachment = match &form.file {
        Some((name, bytes)) => {
            let Some(kind) = FileKind::sniff(bytes) else { return Ok(again("type")) };
            let sha = cx.state.blobs.put(bytes).await.map_err(|e| internal("storing an attachment", e))?;
            Some((name.clone(), sha, i64::try_from(bytes.len()).unwrap_or(i64::MAX), kind.as_str()))
        }
        None => None,
    };
    let m = NewMessage {
        case_id,
        party_id: party,
        author_id: me.person_id,
        from_court,
        body: body.as_str(),
        request_key: &form.request_key,
        attachment: attachment.as_ref().map(|(n, s, z, k)| (n.as_str(), s.as_str(), *z, *k)),
        now: cx.now(),
    };
    let id = store::send_message(cx.db(), m).await.map_err(db)?;
    Ok(Redirect::to(&format!("{back}?sent={id}#message-{id}")).into_response())
}

/// An attachment, for the thread's party and lawyers and the court's staff. Anyone else: 404.
pub async fn attachment(state: AppState, parts: http::request::Parts, id: i64) -> Response {
    let cx = Cx { state, parts };
    match attachment_in(&cx, id).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn attachment_in(cx: &Cx, id: i64) -> Result<Response, AppError> {
    let me = cx.require_person().await?;
    let (sha, name, kind, case_id, party, court) = store::attachment(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let allowed = match &me.staff {
        Some((staff_court, _)) => staff_court.as_str() == court,
        None => store::thread_party(cx.db(), me.person_id, case_id).await.map_err(db)? == Some(party),
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    let bytes = cx.state.blobs.read(&sha).await.map_err(|e| internal("reading an attachment", e))?;
    let kind = FileKind::parse(&kind).unwrap_or(FileKind::Pdf);
    let disposition = format!("inline; filename=\"attachment-{id}\"; filename*=UTF-8''{}", crate::identity::pages::encode(&name));
    Ok(crate::ssr::blobs::file_response(bytes, kind.mime(), &disposition, &sha))
}
