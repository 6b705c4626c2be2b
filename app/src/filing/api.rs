//! Filing server functions and the shapes they answer with: drafts saved step by step, uploads
//! begun, submission (atomic, idempotent), the filer's filings and notifications, and the
//! clerk's queue and decisions. Each one: who is calling, parse, rule, store, answer.
use crate::error::AppError;
use crate::filing::model::*;
use crate::identity::model::UnixTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::filing::store,
    crate::identity::model::{MobileNumber, ResidentId, StaffRole},
    crate::ssr::cx::{Caller, Cx, internal},
    serde_json::json,
};

// ---------------------------------------------------------------------------------------------
// What crosses the wire

/// A filing in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingSummary {
    pub id: i64,
    pub title: String,
    pub case_type: Option<CaseType>,
    pub court_name: String,
    pub status: FilingStatus,
    pub updated_at: UnixTime,
    pub arrived_at: Option<UnixTime>,
    pub case_number: Option<String>,
    /// The caller filed this for a client (lawyers), and the client's name.
    pub for_client: Option<String>,
    /// The caller is the represented client; the lawyer's name.
    pub filed_by_lawyer: Option<String>,
}

/// A court to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourtChoice {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub region: String,
}

/// A clerk's reason for returning a filing, attached to a field path of the draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnReason {
    pub field: String,
    pub text: String,
}

/// Everything the wizard needs to show a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub status: FilingStatus,
    pub step: Step,
    pub draft: Draft,
    pub updated_at: UnixTime,
    pub courts: Vec<CourtChoice>,
    pub suggestions: Vec<(String, JurisdictionReason)>,
    /// The caller is a verified lawyer (the agent step offers filing for a client).
    pub is_lawyer: bool,
    /// Clients who granted the caller representation for this filing: (person id, name).
    pub clients: Vec<(i64, String)>,
    /// Why the clerk returned it (when Returned).
    pub returned: Vec<ReturnReason>,
    /// The province's fee figures, for the fee estimate beside the claims.
    pub fee_rates: crate::fees::model::ProvinceRates,
}

/// What saving a step answers (the page moves on by redirect).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveOutcome {
    pub saved_at: UnixTime,
    pub problems: crate::error::FieldErrors,
}

/// The filing receipt: the proof of what was filed, where and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingReceipt {
    pub id: i64,
    pub title: String,
    pub case_type: Option<CaseType>,
    pub court_code: String,
    pub court_name: String,
    pub submitted_at: UnixTime,
    /// 1 for the first submission, 2 after the first correction …
    pub submission: i64,
    pub files: Vec<FileRef>,
}

/// One entry of a filing's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub at: UnixTime,
    /// `submitted`, `resubmitted`, `returned`, `accepted`, `refused`.
    pub kind: String,
    pub reasons: Vec<ReturnReason>,
    pub reason: Option<String>,
    pub case_number: Option<String>,
}

/// A filing as its filer (or represented client) sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingDetail {
    pub summary: FilingSummary,
    /// What was last submitted (or the draft, before submission).
    pub draft: Draft,
    pub receipt: Option<FilingReceipt>,
    pub events: Vec<EventView>,
    pub returned: Vec<ReturnReason>,
    pub refusal: Option<String>,
    /// The decision on the fee relief applied for, once accepted.
    pub relief: Option<ReliefView>,
    /// The caller may edit (their own draft or returned filing).
    pub may_edit: bool,
}

/// The court's decision on a fee relief application, as the filer and the clerk see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReliefView {
    /// `defer` | `reduce` | `waive` | `refuse`.
    pub decision: String,
    pub percent: Option<i64>,
    /// Deferrals: the new deadline.
    pub deferred_until: Option<UnixTime>,
    /// Refusals: why, in writing (art. 49).
    pub reason: Option<String>,
    /// The fee worked out at acceptance, and what the notice asks for after the decision.
    pub original: Fen,
    pub due: Fen,
    pub decided_at: UnixTime,
}

/// The clerk's decision on a relief application, as posted with the acceptance
/// (`relief[decision]` = `defer` | `reduce` | `waive` | `refuse`, with `relief[until]`
/// `YYYY-MM-DD`, `relief[percent]` or `relief[reason]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReliefDecisionForm {
    pub decision: String,
    pub percent: String,
    pub until: String,
    pub reason: String,
}

/// A filing in a clerk's queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub title: String,
    pub case_type: Option<CaseType>,
    pub arrived_at: UnixTime,
    pub deadline: UnixTime,
    pub days_waiting: i64,
    pub overdue: bool,
    pub resubmitted: bool,
    pub filer_name: String,
}

/// A filing as the reviewing clerk sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub item: QueueItem,
    pub status: FilingStatus,
    pub draft: Draft,
    pub court_name: String,
    pub client_name: Option<String>,
    pub events: Vec<EventView>,
    pub case_number: Option<String>,
    /// The fee the notice will ask for before any relief, and the deadline it would have if
    /// accepted now (a deferral must go past it).
    pub fee: Option<Fen>,
    pub normal_deadline: UnixTime,
    /// The decision on the fee relief applied for, once accepted.
    pub relief: Option<ReliefView>,
}

/// An upload the server is ready to receive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadStarted {
    pub upload_id: i64,
    pub received: i64,
    pub chunk_bytes: i64,
}

/// How far an upload got; `file` once its last byte arrived.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadProgress {
    pub received: i64,
    pub size: i64,
    pub file: Option<FileRef>,
    /// A translation key when the server refused the file (wrong type …).
    pub refused: Option<String>,
}

/// One in-app notification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub at: UnixTime,
    /// A translation key: `notice_filing_returned`, `notice_filing_accepted`, `notice_filing_refused`.
    pub message: String,
    pub case_number: Option<String>,
    pub link: String,
    pub read: bool,
}

// ---------------------------------------------------------------------------------------------
// The filer

/// Starts a new draft for a verified person and opens its first step.
#[server(prefix = "/api", endpoint = "filing/start")]
pub async fn start_filing() -> Result<i64, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    cx.rate_limit(&format!("filing:new:{}", me.person_id), 24 * 3600, DRAFTS_PER_DAY).await?;
    let id = store::create_draft(cx.db(), me.person_id, &seal(&cx, &Draft::default())?, cx.now()).await.map_err(db)?;
    leptos_axum::redirect(&format!("/file/{id}/{}", Step::CaseType.as_str()));
    Ok(id)
}

/// The caller's filings: those they filed and those filed for them by their lawyer.
#[server(prefix = "/api", endpoint = "filing/mine")]
pub async fn my_filings() -> Result<Vec<FilingSummary>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let rows = store::filings_of(cx.db(), me.person_id).await.map_err(db)?;
    rows.iter().map(|row| summary(&me, row)).collect()
}

/// A draft (or returned filing) with what its step needs. Another person's is "not found".
#[server(prefix = "/api", endpoint = "filing/draft")]
pub async fn filing_draft(id: i64) -> Result<DraftView, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let row = own_filing(&cx, &me, id).await?;
    let draft = open(&cx, &row.content)?;
    let status = status_of(&row)?;
    let courts = crate::courts::store::all(cx.db()).await.map_err(db)?;
    let suggestions = suggest_courts(&courts, &draft).into_iter().map(|(c, r)| (c.as_str().to_string(), r)).collect();
    let is_lawyer = store::is_verified_lawyer(cx.db(), me.person_id).await.map_err(db)?;
    let clients = if is_lawyer { store::granting_clients(cx.db(), me.person_id, id).await.map_err(db)? } else { Vec::new() };
    let returned = if status == FilingStatus::Returned { latest_return(&cx, id).await?.0 } else { Vec::new() };
    Ok(DraftView {
        id,
        status,
        step: Step::parse(&row.step).unwrap_or(Step::CaseType),
        draft,
        updated_at: UnixTime(row.updated_at),
        courts: courts
            .into_iter()
            .map(|c| CourtChoice { code: c.code.as_str().to_string(), name: c.name, name_en: c.name_en, region: c.region })
            .collect(),
        suggestions,
        is_lawyer,
        clients,
        returned,
        fee_rates: cx.state.site.fee_rates,
    })
}

/// Saves one step of the wizard: only that step's fields are taken from the form, so a step
/// never overwrites another. `go`: `next`, `back`, `stay` (autosave), `goto:<step>`,
/// `add:<list>`, `remove:<list>:<n>`, `unlink:<evidence n|agent>:<file id>`. Moving on with
/// problems stays on the step and shows them (`?check=1`); nothing typed is ever dropped.
#[server(prefix = "/api", endpoint = "filing/save")]
pub async fn save_step(id: i64, step: String, go: String, #[server(default)] draft: Draft) -> Result<SaveOutcome, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let row = own_filing(&cx, &me, id).await?;
    if !status_of(&row)?.editable() {
        return Err(AppError::Conflict("error_not_editable".into()));
    }
    let step = Step::parse(&step).ok_or_else(|| AppError::field("step", "error_choice"))?;
    let mut stored = open(&cx, &row.content)?;
    stored.take_step(step, draft);
    if step == Step::Agent {
        choose_client(&cx, &me, id, &mut stored).await?;
    }
    let here = format!("/file/{id}/{}", step.as_str());
    // Coming back to the same step must read the draft again (a row was added, a court
    // suggested): a fresh query makes the address differ from the one already open.
    let again = || format!("{here}?r={}", rand::random::<u32>());
    let target = match go.as_str() {
        "next" => None,
        "back" => Some(step.previous().map_or_else(again, |s| format!("/file/{id}/{}", s.as_str()))),
        "stay" => Some(String::new()),
        other => {
            if let Some(s) = other.strip_prefix("goto:") {
                let s = Step::parse(s).ok_or_else(|| AppError::field("go", "error_choice"))?;
                Some(if s == step { again() } else { format!("/file/{id}/{}", s.as_str()) })
            } else {
                stored.apply_action(other).map_err(|_| AppError::field("go", "error_choice"))?;
                Some(again())
            }
        }
    };
    let problems = stored.problems(step);
    let saved_step = if go == "stay" { row.step.clone() } else { step.as_str().to_string() };
    save(&cx, id, &stored, &saved_step).await?;
    match target {
        None if problems.is_empty() => {
            let next = step.next().unwrap_or(Step::Review);
            leptos_axum::redirect(&format!("/file/{id}/{}", next.as_str()));
        }
        None => leptos_axum::redirect(&format!("{here}?check=1&r={}", rand::random::<u32>())),
        Some(t) if t.is_empty() => {}
        Some(t) => leptos_axum::redirect(&t),
    }
    Ok(SaveOutcome { saved_at: cx.now(), problems })
}

/// Deletes a draft that was never submitted.
#[server(prefix = "/api", endpoint = "filing/delete")]
pub async fn delete_draft(id: i64) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    if !store::delete_draft(cx.db(), id, me.person_id, cx.now()).await.map_err(db)? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/file");
    Ok(())
}

/// Submits a complete draft (or resubmits a corrected one). All or nothing, and idempotent:
/// the same `request_key` (one per review page) answers the first submission's receipt.
#[server(prefix = "/api", endpoint = "filing/submit")]
pub async fn submit_filing(id: i64, request_key: String, #[server(default)] declaration: bool) -> Result<FilingReceipt, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let row = own_filing(&cx, &me, id).await?;
    if !request_key_ok(&request_key) {
        return Err(AppError::field("request_key", "error_bad_request"));
    }
    let status = status_of(&row)?;
    if status.awaiting_review() && store::latest_submission(cx.db(), id).await.map_err(db)?.is_some() {
        // A retry after the first answer was lost: the same key finds the same receipt below.
        if let Some(receipt) = receipt_for_key(&cx, &row, &request_key).await? {
            return Ok(receipt);
        }
    }
    let next = status.submit().map_err(|_| AppError::Conflict("error_already_submitted".into()))?;
    let mut draft = open(&cx, &row.content)?;
    // The declaration is ticked on the submit form itself; it is stored with the submission.
    draft.declaration = declaration;
    let problems = draft.all_problems();
    if !problems.is_empty() {
        // Keep the tick (or its absence) so the page shows what the person last chose.
        let _ = save(&cx, id, &draft, Step::Review.as_str()).await;
        return Err(AppError::Invalid(problems));
    }
    let case_type = draft.case_type().ok_or_else(|| AppError::field("case_type", "error_case_type"))?;
    let court_name = store::court_name(cx.db(), draft.court.trim()).await.map_err(db)?.ok_or_else(|| AppError::field("court", "error_court"))?;
    let files = store::files_of(cx.db(), id).await.map_err(db)?;
    for f in draft.files() {
        if !files.iter().any(|row| row.id == f.id && row.sha256 == f.sha256) {
            return Err(AppError::field("evidence", "error_evidence_files"));
        }
    }
    let client_id = match draft.agent.client_id {
        Some(client) => {
            let granted = store::granting_clients(cx.db(), me.person_id, id).await.map_err(db)?;
            if !granted.iter().any(|(c, _)| *c == client) {
                return Err(AppError::Forbidden);
            }
            Some(client)
        }
        None => None,
    };
    let now = cx.now();
    let sealed = seal(&cx, &draft)?;
    let title = draft.title("v.");
    let fingerprints: Vec<&str> = draft.files().into_iter().map(|f| f.sha256.as_str()).collect();
    let outcome = store::submit(
        cx.db(),
        store::NewSubmission {
            filing_id: id,
            filer_id: me.person_id,
            client_id,
            request_key: &request_key,
            content: &sealed,
            title: &title,
            case_type: case_type.as_str(),
            court: draft.court.trim(),
            next_status: next.as_str(),
            from_status: status.as_str(),
            locale: leptos_i18n::Locale::as_str(cx.locale()),
            now,
            audit_details: json!({ "court": draft.court.trim(), "case_type": case_type.as_str(), "files": fingerprints, "client": client_id.map(|c| format!("person:{c}")) }),
        },
    )
    .await
    .map_err(db)?;
    let n = match outcome {
        store::Submitted::Now(n) => n,
        // A concurrent tap with the same key won the race: answer its receipt.
        store::Submitted::Before { filing_id, .. } if filing_id == id => {
            return receipt_for_key(&cx, &row, &request_key).await?.ok_or(AppError::NotFound);
        }
        store::Submitted::Before { .. } => return Err(AppError::field("request_key", "error_bad_request")),
        store::Submitted::Moved => return Err(AppError::Conflict("error_already_submitted".into())),
    };
    leptos_axum::redirect(&format!("/filings/{id}"));
    Ok(receipt(&row, &draft, &court_name, now, n))
}

/// A filing with its receipt and history, for the filer, the represented client, or the lawyer
/// who filed it. Anyone else: "not found".
#[server(prefix = "/api", endpoint = "filing/detail")]
pub async fn get_filing(id: i64) -> Result<FilingDetail, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let row = store::filing(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let status = status_of(&row)?;
    let is_filer = row.filer_id == me.person_id;
    let is_client = row.client_id == Some(me.person_id) && status != FilingStatus::Draft;
    if !is_filer && !is_client {
        return Err(AppError::NotFound);
    }
    let latest = store::latest_submission(cx.db(), id).await.map_err(db)?;
    let (draft, receipt) = match &latest {
        Some((n, content, at)) => {
            let submitted = open(&cx, content)?;
            let court = store::court_name(cx.db(), submitted.court.trim()).await.map_err(db)?.unwrap_or_default();
            let r = receipt(&row, &submitted, &court, UnixTime(*at), *n);
            // The filer sees their corrections in progress; the receipt stays what was filed.
            let shown = if is_filer && status.editable() { open(&cx, &row.content)? } else { submitted };
            (shown, Some(r))
        }
        None => (open(&cx, &row.content)?, None),
    };
    let events = events(&cx, id).await?;
    let returned = if status == FilingStatus::Returned { latest_return(&cx, id).await?.0 } else { Vec::new() };
    let refusal = events.iter().rev().find(|e| e.kind == "refused").and_then(|e| e.reason.clone());
    Ok(FilingDetail {
        summary: summary(&me, &row)?,
        draft,
        receipt,
        events,
        returned,
        refusal,
        relief: relief_view(&cx, id).await?,
        may_edit: is_filer && status.editable(),
    })
}

/// Begins an upload of `size` bytes into a draft's evidence item (`evidence:N`) or as the power
/// of attorney (`agent`). Refused at once when the size breaks a limit.
#[server(prefix = "/api", endpoint = "filing/upload_start")]
pub async fn start_upload(filing_id: i64, name: String, size: i64, target: String) -> Result<UploadStarted, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let row = own_filing(&cx, &me, filing_id).await?;
    if !status_of(&row)?.editable() {
        return Err(AppError::Conflict("error_not_editable".into()));
    }
    let draft = open(&cx, &row.content)?;
    if !draft.accepts_file_at(&target) {
        return Err(AppError::field("target", "error_choice"));
    }
    cx.rate_limit(&format!("filing:upload:{}", me.person_id), 3600, UPLOADS_PER_HOUR).await?;
    let held: i64 = draft.files().iter().map(|f| f.size).sum();
    let arriving = store::pending_upload_bytes(cx.db(), filing_id, cx.now().plus_secs(-24 * 3600)).await.map_err(db)?;
    check_upload_size(size, held + arriving).map_err(|e| AppError::field("file", e.key()))?;
    let id = store::create_upload(cx.db(), filing_id, me.person_id, &clean_file_name(&name), size, &target, cx.now()).await.map_err(db)?;
    Ok(UploadStarted { upload_id: id, received: 0, chunk_bytes: CHUNK_BYTES })
}

/// How far an upload got (the browser resumes from `received` after a dropped connection).
#[server(prefix = "/api", endpoint = "filing/upload_status")]
pub async fn upload_status(upload_id: i64) -> Result<UploadProgress, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let up = store::upload(cx.db(), upload_id).await.map_err(db)?.filter(|u| u.owner_id == me.person_id).ok_or(AppError::NotFound)?;
    progress(&cx, &up).await
}

/// The caller's notifications, newest first.
#[server(prefix = "/api", endpoint = "filing/notifications")]
pub async fn my_notifications() -> Result<Vec<NotificationView>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let rows = store::notifications(cx.db(), me.person_id).await.map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|(id, at, message, params, link, read)| NotificationView {
            id,
            at: UnixTime(at),
            message,
            case_number: serde_json::from_str::<serde_json::Value>(&params).ok().and_then(|v| v["case_number"].as_str().map(String::from)),
            link,
            read,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "filing/notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::mark_read(cx.db(), me.person_id, cx.now()).await.map_err(db)
}

// ---------------------------------------------------------------------------------------------
// The clerk

/// Filings waiting at the clerk's court, oldest first, with the 7-day clock.
#[server(prefix = "/api", endpoint = "filing/queue")]
pub async fn review_queue() -> Result<Vec<QueueItem>, AppError> {
    let cx = Cx::get()?;
    let (_, court) = require_reviewer(&cx).await?;
    let rows = store::queue(cx.db(), court.as_str()).await.map_err(db)?;
    rows.iter().map(|row| queue_item(&cx, row)).collect()
}

/// A submitted filing of the clerk's court, as last submitted. Other courts' filings and drafts
/// are "not found".
#[server(prefix = "/api", endpoint = "filing/review")]
pub async fn review_filing(id: i64) -> Result<ReviewView, AppError> {
    let cx = Cx::get()?;
    let (_, court) = require_reviewer(&cx).await?;
    let row = court_filing(&cx, court.as_str(), id).await?;
    let (_, content, _) = store::latest_submission(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let client_name = match row.client_id {
        Some(c) => store::person_name(cx.db(), c).await.map_err(db)?,
        None => None,
    };
    let draft = open(&cx, &content)?;
    let fee = draft
        .case_type()
        .and_then(|t| crate::fees::model::notice_for_filing(t, draft.total_claimed(), &cx.state.site.fee_rates).ok())
        .map(|w| w.total);
    Ok(ReviewView {
        item: queue_item(&cx, &row)?,
        status: status_of(&row)?,
        draft,
        court_name: store::court_name(cx.db(), court.as_str()).await.map_err(db)?.unwrap_or_default(),
        client_name,
        events: events(&cx, id).await?,
        case_number: row.case_number.clone(),
        fee,
        normal_deadline: crate::fees::model::payment_deadline(cx.now()),
        relief: relief_view(&cx, id).await?,
    })
}

/// Accepts a filing: it gets the court's next case number and becomes a case record, and its
/// fee notice goes out as the decision on any fee relief applied for leaves it (a filing that
/// applied for relief is not accepted without that decision).
#[server(prefix = "/api", endpoint = "filing/accept")]
pub async fn accept_filing(id: i64, #[server(default)] relief: ReliefDecisionForm) -> Result<String, AppError> {
    let cx = Cx::get()?;
    let (clerk, court) = require_reviewer(&cx).await?;
    let row = court_filing(&cx, court.as_str(), id).await?;
    status_of(&row)?.accept().map_err(|_| AppError::Conflict("error_already_decided".into()))?;
    let (_, content, _) = store::latest_submission(cx.db(), id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let draft = open(&cx, &content)?;
    let case_type = draft.case_type().ok_or_else(|| internal("accepting a filing", "submitted content without a case type"))?;
    let now = cx.now();
    let year = beijing_year(now);
    // The fee notice goes out with the acceptance, in the same transaction, as the decision on
    // any relief applied for leaves it.
    let (fee, relief) = notice_and_relief(&cx, &draft, case_type, &relief, now)?;
    let link = format!("/filings/{id}");
    let mut notices = vec![(row.filer_id, "notice_filing_accepted", link.clone())];
    if let Some(client) = row.client_id {
        notices.push((client, "notice_filing_accepted", link.clone()));
    }
    let new_case = store::NewCase {
        filing_id: id,
        court: court.as_str(),
        case_type: case_type.as_str(),
        type_code: case_type.code(),
        year,
        cause: &case_cause(&draft, case_type),
        total_claimed_fen: draft.total_claimed().0,
        clerk_id: clerk.person_id,
        now,
        parties: case_parties(&draft, row.client_id.unwrap_or(row.filer_id), &cx).await?,
        claims: draft.claims.iter().map(|c| (c.text.trim().to_string(), Fen::parse_yuan(&c.amount).ok().map(|f| f.0))).collect(),
        evidence: draft
            .evidence
            .iter()
            .map(|e| store::NewEvidence {
                name: e.name.trim().to_string(),
                source: e.source.trim().to_string(),
                proves: e.proves.trim().to_string(),
                file_ids: e.files.iter().map(|f| f.id).collect(),
            })
            .collect(),
        agent: row.client_id.map(|client| (row.filer_id, client)),
        notices,
        fee,
        relief,
    };
    let court_code = court.clone();
    let number = store::accept(cx.db(), new_case, |seq| {
        CaseNumber::next(year, court_code.clone(), case_type, u32::try_from(seq - 1).ok().filter(|s| *s > 0)).to_string()
    })
    .await
    .map_err(db)?
    .ok_or_else(|| AppError::Conflict("error_already_decided".into()))?;
    text_filer(&cx, &row, "sms_filing_accepted", &number).await;
    Ok(number)
}

/// Returns a filing for correction, each reason attached to the field it concerns.
#[server(prefix = "/api", endpoint = "filing/return")]
pub async fn return_filing(id: i64, #[server(default)] reasons: Vec<ReturnReason>) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let (clerk, court) = require_reviewer(&cx).await?;
    let row = court_filing(&cx, court.as_str(), id).await?;
    status_of(&row)?.return_for_correction().map_err(|_| AppError::Conflict("error_already_decided".into()))?;
    let reasons: Vec<ReturnReason> = reasons
        .into_iter()
        .map(|r| ReturnReason { field: r.field.trim().to_string(), text: r.text.trim().to_string() })
        .filter(|r| !r.text.is_empty())
        .collect();
    if reasons.is_empty() {
        return Err(AppError::field("reasons", "error_reason_needed"));
    }
    if reasons.len() > MAX_ITEMS || reasons.iter().any(|r| !field_path_ok(&r.field) || r.text.chars().count() > SHORT_TEXT * 5) {
        return Err(AppError::field("reasons", "error_choice"));
    }
    decide(&cx, &row, &clerk, court.as_str(), "returned", json!({ "reasons": reasons }), "notice_filing_returned").await?;
    text_filer(&cx, &row, "sms_filing_returned", "").await;
    Ok(())
}

/// Refuses a filing (不予受理) with a reason.
#[server(prefix = "/api", endpoint = "filing/refuse")]
pub async fn refuse_filing(id: i64, reason: String) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let (clerk, court) = require_reviewer(&cx).await?;
    let row = court_filing(&cx, court.as_str(), id).await?;
    status_of(&row)?.refuse().map_err(|_| AppError::Conflict("error_already_decided".into()))?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("reason", "error_reason_needed"));
    }
    if reason.chars().count() > LONG_TEXT {
        return Err(AppError::field("reason", "error_too_long"));
    }
    decide(&cx, &row, &clerk, court.as_str(), "refused", json!({ "reason": reason }), "notice_filing_refused").await?;
    text_filer(&cx, &row, "sms_filing_refused", "").await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Helpers (server only)

/// New drafts one person may start a day, and upload starts an hour (against scripted abuse).
#[cfg(feature = "ssr")]
const DRAFTS_PER_DAY: u32 = 50;
#[cfg(feature = "ssr")]
const UPLOADS_PER_HOUR: u32 = 300;

#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    internal("filing store", e)
}

/// The content at rest: the draft as JSON, encrypted with the identity key (it holds parties'
/// ID numbers).
#[cfg(feature = "ssr")]
pub(crate) fn seal(cx: &Cx, draft: &Draft) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_string(draft).map_err(|e| internal("sealing a draft", e))?;
    let sealed = cx.state.id_key.encrypt(&json);
    if sealed.is_empty() { Err(internal("sealing a draft", "encryption failed")) } else { Ok(sealed) }
}

#[cfg(feature = "ssr")]
pub(crate) fn open(cx: &Cx, sealed: &[u8]) -> Result<Draft, AppError> {
    let json = cx.state.id_key.decrypt(sealed).map_err(|e| internal("opening a draft", e))?;
    serde_json::from_str(&json).map_err(|e| internal("reading a draft", e))
}

#[cfg(feature = "ssr")]
fn status_of(row: &store::FilingRow) -> Result<FilingStatus, AppError> {
    FilingStatus::parse(&row.status).ok_or_else(|| internal("filing status", &row.status))
}

/// The caller's own filing (as filer); anyone else's is "not found".
#[cfg(feature = "ssr")]
async fn own_filing(cx: &Cx, me: &Caller, id: i64) -> Result<store::FilingRow, AppError> {
    store::filing(cx.db(), id).await.map_err(db)?.filter(|r| r.filer_id == me.person_id).ok_or(AppError::NotFound)
}

/// Stores a draft with its list title and the court and type chosen so far.
#[cfg(feature = "ssr")]
pub(crate) async fn save(cx: &Cx, id: i64, draft: &Draft, step: &str) -> Result<(), AppError> {
    let sealed = seal(cx, draft)?;
    let case_type = draft.case_type().map(CaseType::as_str);
    let court = crate::courts::model::CourtCode::parse(&draft.court).ok();
    let saved = store::save_content(cx.db(), id, &sealed, &draft.title("v."), case_type, court.as_ref().map(|c| c.as_str()), step, cx.now())
        .await
        .map_err(db)?;
    if saved { Ok(()) } else { Err(AppError::Conflict("error_not_editable".into())) }
}

/// The agent step: a lawyer may name only a client who granted representation for this filing;
/// `0` (or nothing) files for oneself.
#[cfg(feature = "ssr")]
async fn choose_client(cx: &Cx, me: &Caller, id: i64, draft: &mut Draft) -> Result<(), AppError> {
    match draft.agent.client_id.filter(|c| *c > 0) {
        None => {
            draft.agent.client_id = None;
            draft.agent.client_name.clear();
        }
        Some(client) => {
            let granted = store::granting_clients(cx.db(), me.person_id, id).await.map_err(db)?;
            let (_, name) = granted.into_iter().find(|(c, _)| *c == client).ok_or(AppError::Forbidden)?;
            draft.agent.client_name = name;
        }
    }
    Ok(())
}

#[cfg(feature = "ssr")]
fn request_key_ok(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(feature = "ssr")]
fn field_path_ok(path: &str) -> bool {
    !path.is_empty() && path.len() <= 60 && path.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

#[cfg(feature = "ssr")]
async fn receipt_for_key(cx: &Cx, row: &store::FilingRow, key: &str) -> Result<Option<FilingReceipt>, AppError> {
    let Some((n, content, at)) = store::submission_by_key(cx.db(), row.id, key).await.map_err(db)? else { return Ok(None) };
    let draft = open(cx, &content)?;
    let court = store::court_name(cx.db(), draft.court.trim()).await.map_err(db)?.unwrap_or_default();
    Ok(Some(receipt(row, &draft, &court, UnixTime(at), n)))
}

#[cfg(feature = "ssr")]
fn receipt(row: &store::FilingRow, draft: &Draft, court_name: &str, at: UnixTime, n: i64) -> FilingReceipt {
    FilingReceipt {
        id: row.id,
        title: draft.title("v."),
        case_type: draft.case_type(),
        court_code: draft.court.trim().to_string(),
        court_name: court_name.to_string(),
        submitted_at: at,
        submission: n,
        files: draft.files().into_iter().cloned().collect(),
    }
}

#[cfg(feature = "ssr")]
fn summary(me: &Caller, row: &store::FilingRow) -> Result<FilingSummary, AppError> {
    let court_name = row.court_name.clone().unwrap_or_default();
    let (for_client, filed_by_lawyer) = match row.client_id {
        Some(_) if row.filer_id == me.person_id => (row.client_name.clone(), None),
        Some(_) => (None, row.filer_name.clone()),
        None => (None, None),
    };
    Ok(FilingSummary {
        id: row.id,
        title: row.title.clone(),
        case_type: row.case_type.as_deref().and_then(CaseType::parse),
        court_name,
        status: status_of(row)?,
        updated_at: UnixTime(row.updated_at),
        arrived_at: row.arrived_at.map(UnixTime),
        case_number: row.case_number.clone(),
        for_client,
        filed_by_lawyer,
    })
}

#[cfg(feature = "ssr")]
async fn events(cx: &Cx, id: i64) -> Result<Vec<EventView>, AppError> {
    let rows = store::events(cx.db(), id).await.map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|(at, kind, details)| {
            let v: serde_json::Value = serde_json::from_str(&details).unwrap_or_default();
            EventView {
                at: UnixTime(at),
                kind,
                reasons: serde_json::from_value(v["reasons"].clone()).unwrap_or_default(),
                reason: v["reason"].as_str().map(String::from),
                case_number: v["case_number"].as_str().map(String::from),
            }
        })
        .collect())
}

/// The reasons of the latest return, and when.
#[cfg(feature = "ssr")]
async fn latest_return(cx: &Cx, id: i64) -> Result<(Vec<ReturnReason>, Option<UnixTime>), AppError> {
    let events = events(cx, id).await?;
    Ok(events.into_iter().rev().find(|e| e.kind == "returned").map(|e| (e.reasons, Some(e.at))).unwrap_or_default())
}

/// A clerk (or court admin) and their court; other staff and litigants are refused.
#[cfg(feature = "ssr")]
async fn require_reviewer(cx: &Cx) -> Result<(Caller, crate::courts::model::CourtCode), AppError> {
    let (caller, court, role) = cx.require_staff().await?;
    if matches!(role, StaffRole::Clerk | StaffRole::Admin) { Ok((caller, court)) } else { Err(AppError::Forbidden) }
}

/// A submitted (not draft) filing of this court; others are "not found".
#[cfg(feature = "ssr")]
async fn court_filing(cx: &Cx, court: &str, id: i64) -> Result<store::FilingRow, AppError> {
    store::filing(cx.db(), id)
        .await
        .map_err(db)?
        .filter(|r| r.court_code.as_deref() == Some(court) && r.status != "draft" && r.arrived_at.is_some())
        .ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn queue_item(cx: &Cx, row: &store::FilingRow) -> Result<QueueItem, AppError> {
    let arrived = UnixTime(row.arrived_at.unwrap_or(row.updated_at));
    let now = cx.now();
    let filer_name = row.filer_name.clone().unwrap_or_default();
    Ok(QueueItem {
        id: row.id,
        title: row.title.clone(),
        case_type: row.case_type.as_deref().and_then(CaseType::parse),
        arrived_at: arrived,
        deadline: review_deadline(arrived),
        days_waiting: days_waiting(arrived, now),
        overdue: status_of(row)?.awaiting_review() && is_overdue(arrived, now),
        resubmitted: row.status == "resubmitted",
        filer_name,
    })
}

#[cfg(feature = "ssr")]
async fn decide(cx: &Cx, row: &store::FilingRow, clerk: &Caller, court: &str, kind: &str, details: serde_json::Value, message: &'static str) -> Result<(), AppError> {
    let link = format!("/filings/{}", row.id);
    let mut notices = vec![(row.filer_id, message, json!({}), link.clone())];
    if let Some(client) = row.client_id {
        notices.push((client, message, json!({}), link));
    }
    let decided = store::decide(cx.db(), store::Decision { filing_id: row.id, court, clerk_id: clerk.person_id, now: cx.now(), kind, details, notices })
        .await
        .map_err(db)?;
    if decided { Ok(()) } else { Err(AppError::Conflict("error_already_decided".into())) }
}

/// Tells the filer by SMS, in the language they filed in (after the decision is stored: a failed
/// text does not undo it).
#[cfg(feature = "ssr")]
async fn text_filer(cx: &Cx, row: &store::FilingRow, message: &str, case_number: &str) {
    let Ok(Some(mobile)) = store::person_mobile(cx.db(), row.filer_id).await else { return };
    let Ok(mobile) = MobileNumber::parse(&mobile) else { return };
    let locale = row.locale.parse::<crate::i18n::Locale>().unwrap_or_default();
    let number = filing_number(row.id);
    let text = match message {
        "sms_filing_accepted" => crate::i18n::td_string!(locale, sms_filing_accepted, number = number, case_number = case_number).to_string(),
        "sms_filing_returned" => crate::i18n::td_string!(locale, sms_filing_returned, number = number).to_string(),
        _ => crate::i18n::td_string!(locale, sms_filing_refused, number = number).to_string(),
    };
    if let Err(e) = cx.state.sms.send(&mobile, &text, cx.now().0).await {
        tracing::warn!(error = %e, filing = row.id, "the filer could not be told by SMS");
    }
}

/// The cause of action a case is listed under.
#[cfg(feature = "ssr")]
fn case_cause(draft: &Draft, case_type: CaseType) -> String {
    let d = &draft.details;
    match case_type {
        CaseType::CivilFirstInstance => d.cause.trim().to_string(),
        CaseType::Enforcement => format!("申请执行 {}", d.basis.trim()),
        CaseType::Preservation => "申请保全".to_string(),
        CaseType::Administrative => d.act.trim().to_string(),
    }
}

/// The case's parties from the filing; the represented person (or the filer) is linked to the
/// first claimant whose verified name matches theirs.
#[cfg(feature = "ssr")]
async fn case_parties(draft: &Draft, principal: i64, cx: &Cx) -> Result<Vec<store::NewParty>, AppError> {
    let principal_name = store::person_name(cx.db(), principal).await.map_err(db)?.unwrap_or_default();
    let mut linked = false;
    Ok(draft
        .parties
        .iter()
        .map(|p| {
            let is_person = p.kind == PartyKind::Person.as_str();
            let links = !linked && p.role == PartyRole::Claimant.as_str() && p.name.trim() == principal_name;
            linked |= links;
            let keep = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            store::NewParty {
                role: p.role.clone(),
                kind: p.kind.clone(),
                name: p.name.trim().to_string(),
                id_masked: if is_person { ResidentId::parse(&p.id_number).ok().map(|id| id.masked()) } else { None },
                uscc: if is_person { None } else { keep(&p.uscc) },
                representative: if is_person { None } else { keep(&p.representative) },
                phone: if is_person { keep(&p.phone) } else { None },
                address: p.address.trim().to_string(),
                person_id: links.then_some(principal),
            }
        })
        .collect())
}

/// The fee notice of an accepted filing and the relief decision that shaped it. The notice asks
/// for what is due after the relief (`amount_fen` and the working's `total`; the working's
/// `full` and lines stay the fee in full), with the deadline as moved; the relief column on the
/// notice says how one became the other.
#[cfg(feature = "ssr")]
fn notice_and_relief(
    cx: &Cx,
    draft: &Draft,
    case_type: CaseType,
    form: &ReliefDecisionForm,
    now: UnixTime,
) -> Result<(crate::fees::store::NewNotice, Option<store::NewRelief>), AppError> {
    use crate::fees::relief::ReliefDecision;
    let mut working = crate::fees::model::notice_for_filing(case_type, draft.total_claimed(), &cx.state.site.fee_rates)
        .map_err(|e| internal("working out the fee of an accepted filing", e))?;
    let normal_deadline = crate::fees::model::payment_deadline(now);
    let decided = relief_decision(draft, form, working.total, normal_deadline)?;
    let original = working.total;
    let granted = decided.as_ref().and_then(|(_, _, on_notice)| on_notice.clone());
    if let Some(g) = &granted {
        working.total = g.due;
    }
    let notice = crate::fees::store::NewNotice {
        kind: working.kind.as_str(),
        amount_fen: working.total.0,
        working: serde_json::to_string(&working).map_err(|e| internal("fee working", e))?,
        deadline: granted.as_ref().map_or(normal_deadline, |g| g.deadline),
    };
    let relief = match decided {
        None => None,
        Some((applied, decision, _)) => Some(store::NewRelief {
            applied_kind: applied.kind.as_str(),
            ground: applied.ground.as_str(),
            decision: decision.as_str(),
            percent: match decision {
                ReliefDecision::Reduce { percent } => Some(percent),
                _ => None,
            },
            deferred_until: granted.as_ref().filter(|_| matches!(decision, ReliefDecision::Defer { .. })).map(|g| g.deadline),
            message: if decision.granted() { "notice_relief_granted" } else { "notice_relief_refused" },
            reason: match decision {
                ReliefDecision::Refuse { reason } => Some(reason),
                _ => None,
            },
            original_fen: original.0,
            due_fen: granted.as_ref().map_or(original.0, |g| g.due.0),
            on_notice: granted.as_ref().map(serde_json::to_string).transpose().map_err(|e| internal("relief on the notice", e))?,
        }),
    };
    Ok((notice, relief))
}

/// The clerk's decision on the relief the filing applied for, checked against the application
/// and applied to the fee: None when none was applied for. Applied for and not decided, or a
/// decision without an application, is refused on the decision's field.
#[cfg(feature = "ssr")]
fn relief_decision(
    draft: &Draft,
    form: &ReliefDecisionForm,
    fee: Fen,
    normal_deadline: UnixTime,
) -> Result<Option<(crate::fees::relief::ReliefApplication, crate::fees::relief::ReliefDecision, Option<crate::fees::relief::NoticeRelief>)>, AppError> {
    use crate::fees::relief::{ReliefApplication, ReliefDecision, ReliefError, apply};
    let refused = |e: ReliefError| AppError::field(&format!("relief.{}", e.field()), e.key());
    if !draft.relief.applied() {
        return if form.decision.trim().is_empty() { Ok(None) } else { Err(refused(ReliefError::DecisionNotApplied)) };
    }
    let r = &draft.relief;
    let applied = ReliefApplication::parse(&r.kind, &r.ground, &r.reasons, draft.applicant_is_natural_person(), r.files.len())
        .map_err(|e| internal("a submitted relief application", e))?;
    let decision = ReliefDecision::parse(&applied, &form.decision, &form.percent, &form.until, &form.reason).map_err(refused)?;
    let on_notice = apply(&decision, fee, normal_deadline).map_err(refused)?;
    Ok(Some((applied, decision, on_notice)))
}

#[cfg(feature = "ssr")]
async fn relief_view(cx: &Cx, filing: i64) -> Result<Option<ReliefView>, AppError> {
    Ok(store::relief_decision(cx.db(), filing).await.map_err(db)?.map(|r| ReliefView {
        decision: r.decision,
        percent: r.percent,
        deferred_until: r.deferred_until.map(UnixTime),
        reason: r.reason,
        original: Fen(r.original_fen),
        due: Fen(r.due_fen),
        decided_at: UnixTime(r.decided_at),
    }))
}

#[cfg(feature = "ssr")]
pub(crate) async fn progress(cx: &Cx, up: &store::UploadRow) -> Result<UploadProgress, AppError> {
    let file = match up.file_id {
        Some(id) => store::file(cx.db(), id).await.map_err(db)?.map(|f| file_ref(&f)),
        None => None,
    };
    Ok(UploadProgress { received: up.received, size: up.size, file, refused: up.failed.clone() })
}

#[cfg(feature = "ssr")]
pub(crate) fn file_ref(f: &store::FileRow) -> FileRef {
    FileRef { id: f.id, name: f.name.clone(), sha256: f.sha256.clone(), size: f.size, kind: f.kind.clone() }
}
