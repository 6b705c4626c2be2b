//! The plain HTTP side of filing uploads (server only): chunks of a resumable upload arrive by
//! `PUT /api/filing/upload/{id}?offset=N`, and files are shown for preview by
//! `GET /files/{id}` to those who may see them. Server functions carry small JSON; bytes go here.
use super::api::{file_ref, progress, save, open};
use super::model::{FileKind, FilingStatus};
use super::store;
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::cx::{Cx, internal};
use axum::body::Bytes;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

fn db(e: sqlx::Error) -> AppError {
    internal("filing files", e)
}

/// Receives one chunk. The chunk must start where the upload stands (`received`): after a
/// dropped connection the browser asks where that is and sends from there, so a chunk is never
/// written twice. The first chunk decides the type from its content; the last one moves the
/// file into the content-addressed store, computes its SHA-256 and attaches it to the draft.
pub async fn put_chunk(state: AppState, parts: http::request::Parts, upload_id: i64, offset: i64, body: Bytes) -> Response {
    match receive(state, parts, upload_id, offset, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn receive(state: AppState, parts: http::request::Parts, upload_id: i64, offset: i64, body: Bytes) -> Result<Response, AppError> {
    let cx = Cx { state, parts };
    let me = cx.require_verified().await?;
    let up = store::upload(cx.db(), upload_id).await.map_err(db)?.filter(|u| u.owner_id == me.person_id).ok_or(AppError::NotFound)?;
    if up.file_id.is_some() || up.failed.is_some() {
        return Ok(axum::Json(progress(&cx, &up).await?).into_response());
    }
    if offset != up.received {
        // Out of step (a retry of a chunk that did arrive): say where to go on from.
        return Ok((StatusCode::CONFLICT, axum::Json(progress(&cx, &up).await?)).into_response());
    }
    let len = i64::try_from(body.len()).unwrap_or(i64::MAX);
    if len == 0 || len > super::model::CHUNK_BYTES || offset + len > up.size {
        return Err(AppError::Invalid(crate::error::FieldErrors::from([("chunk".into(), "error_bad_request".into())])));
    }
    if offset == 0 && FileKind::sniff(&body).is_none() {
        store::fail_upload(cx.db(), up.id, "error_file_type").await.map_err(db)?;
        tracing::info!(upload = up.id, "upload refused: content is not PDF, JPEG or PNG");
        return Err(AppError::Invalid(crate::error::FieldErrors::from([("file".into(), "error_file_type".into())])));
    }
    let blobs = cx.state.blobs.clone();
    blobs.append_part(up.id, u64::try_from(offset).unwrap_or(0), &body).await.map_err(|e| internal("writing an upload", e))?;
    if !store::advance_upload(cx.db(), up.id, offset, offset + len).await.map_err(db)? {
        let now = store::upload(cx.db(), up.id).await.map_err(db)?.ok_or(AppError::NotFound)?;
        return Ok((StatusCode::CONFLICT, axum::Json(progress(&cx, &now).await?)).into_response());
    }
    if offset + len < up.size {
        let now = store::upload(cx.db(), up.id).await.map_err(db)?.ok_or(AppError::NotFound)?;
        return Ok(axum::Json(progress(&cx, &now).await?).into_response());
    }
    // The last byte arrived: fingerprint, decide the type once more from the whole file's head.
    let head = blobs.part_head(up.id, 16).await.map_err(|e| internal("reading an upload", e))?;
    let Some(kind) = FileKind::sniff(&head) else {
        store::fail_upload(cx.db(), up.id, "error_file_type").await.map_err(db)?;
        blobs.discard_part(up.id).await;
        return Err(AppError::Invalid(crate::error::FieldErrors::from([("file".into(), "error_file_type".into())])));
    };
    let sha = blobs.finish_part(up.id).await.map_err(|e| internal("storing an upload", e))?;
    let file_id = store::finish_upload(cx.db(), &up, &sha, kind.as_str(), cx.now()).await.map_err(db)?;
    attach(&cx, &up, file_id).await?;
    cx.audit(&me.actor(), "filing.file_uploaded", &format!("filing:{}", up.filing_id), serde_json::json!({ "file": file_id, "sha256": sha, "size": up.size, "kind": kind.as_str() }))
        .await?;
    let done = store::upload(cx.db(), up.id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    Ok(axum::Json(progress(&cx, &done).await?).into_response())
}

/// Puts the finished file where the filer chose it; if the draft moved on meanwhile (the item
/// was removed, the filing submitted), the file stays with the filing, unattached.
async fn attach(cx: &Cx, up: &store::UploadRow, file_id: i64) -> Result<(), AppError> {
    let Some(row) = store::filing(cx.db(), up.filing_id).await.map_err(db)? else { return Ok(()) };
    if !FilingStatus::parse(&row.status).is_some_and(FilingStatus::editable) {
        return Ok(());
    }
    let Some(file) = store::file(cx.db(), file_id).await.map_err(db)? else { return Ok(()) };
    let mut draft = open(cx, &row.content)?;
    if draft.attach_file(&up.target, file_ref(&file)) {
        save(cx, row.id, &draft, &row.step).await?;
    }
    Ok(())
}

/// Serves a file for preview or download to the filer, the represented client, or staff of the
/// court it was filed at (once submitted). Anyone else: 404, as if it did not exist.
pub async fn get_file(state: AppState, parts: http::request::Parts, file_id: i64, download: bool) -> Response {
    match serve(state, parts, file_id, download).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve(state: AppState, parts: http::request::Parts, file_id: i64, download: bool) -> Result<Response, AppError> {
    let cx = Cx { state, parts };
    let me = cx.require_person().await?;
    let file = store::file(cx.db(), file_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let filing = store::filing(cx.db(), file.filing_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let submitted = filing.status != "draft";
    let allowed = filing.filer_id == me.person_id
        || (submitted && filing.client_id == Some(me.person_id))
        || (submitted && me.staff.as_ref().is_some_and(|(court, _)| filing.court_code.as_deref() == Some(court.as_str())));
    if !allowed {
        return Err(AppError::NotFound);
    }
    file_answer(&cx, &file, download).await
}

/// A stored file as the answer to the person its caller has allowed to read it: inline for
/// preview, or as a download.
pub(crate) async fn file_answer(cx: &Cx, file: &store::FileRow, download: bool) -> Result<Response, AppError> {
    let bytes = cx.state.blobs.read(&file.sha256).await.map_err(|e| internal("reading a stored file", e))?;
    let kind = FileKind::parse(&file.kind).unwrap_or(FileKind::Pdf);
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if download { "attachment" } else { "inline" },
        file.name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect::<String>(),
        crate::identity::pages::encode(&file.name)
    );
    Ok(crate::ssr::blobs::file_response(bytes, kind.mime(), &disposition, &file.sha256))
}
