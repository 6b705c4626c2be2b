//! SQL for filings: drafts, submissions (atomic and idempotent), uploads and files, clerk
//! decisions, case numbers and case records, the filing history and in-app notifications.
//! Content arrives here already encrypted; rows leave as plain values for api.rs to map.
use crate::identity::model::UnixTime;
use crate::ssr::audit;
use crate::ssr::db::write_tx;
use sqlx::{SqliteConnection, SqlitePool};

/// A filing row. `content` is the encrypted `Draft` (JSON) as last saved.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FilingRow {
    pub id: i64,
    pub filer_id: i64,
    pub client_id: Option<i64>,
    pub status: String,
    pub content: Vec<u8>,
    pub title: String,
    pub case_type: Option<String>,
    pub court_code: Option<String>,
    pub step: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_submitted_at: Option<i64>,
    pub arrived_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub case_number: Option<String>,
    /// The filer's language at their last submission (`zh-Hans`, `zh-Hant`, `en`).
    pub locale: String,
    /// Read with the row, so lists need no query per row.
    pub court_name: Option<String>,
    pub filer_name: Option<String>,
    pub client_name: Option<String>,
}

/// Every filing read comes with the names lists show; `f` is the filing.
const FILING_SELECT: &str = "SELECT f.id, f.filer_id, f.client_id, f.status, f.content, f.title, f.case_type, f.court_code, \
     f.step, f.created_at, f.updated_at, f.first_submitted_at, f.arrived_at, f.decided_at, f.case_number, f.locale, \
     c.name AS court_name, filer.legal_name AS filer_name, client.legal_name AS client_name \
     FROM filings f LEFT JOIN courts c ON c.code = f.court_code \
     LEFT JOIN people filer ON filer.id = f.filer_id LEFT JOIN people client ON client.id = f.client_id";

pub async fn create_draft(db: &SqlitePool, filer: i64, content: &[u8], now: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO filings (filer_id, status, content, created_at, updated_at) VALUES (?, 'draft', ?, ?, ?) RETURNING id")
        .bind(filer)
        .bind(content)
        .bind(now.0)
        .bind(now.0)
        .fetch_one(db)
        .await
}

/// A filing that was not deleted.
pub async fn filing(db: &SqlitePool, id: i64) -> Result<Option<FilingRow>, sqlx::Error> {
    sqlx::query_as(&format!("{FILING_SELECT} WHERE f.id = ? AND f.deleted_at IS NULL"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Stores a draft's new content, only while the filer may still change it.
pub async fn save_content(
    db: &SqlitePool,
    id: i64,
    content: &[u8],
    title: &str,
    case_type: Option<&str>,
    court: Option<&str>,
    step: &str,
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE filings SET content = ?, title = ?, case_type = ?, court_code = (SELECT code FROM courts WHERE code = ?),
           step = ?, updated_at = ?
         WHERE id = ? AND status IN ('draft', 'returned') AND deleted_at IS NULL",
    )
    .bind(content)
    .bind(title)
    .bind(case_type)
    .bind(court)
    .bind(step)
    .bind(now.0)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a draft that was never submitted (submitted filings are court records and stay).
pub async fn delete_draft(db: &SqlitePool, id: i64, filer: i64, now: UnixTime) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE filings SET deleted_at = ? WHERE id = ? AND filer_id = ? AND status = 'draft' AND deleted_at IS NULL")
        .bind(now.0)
        .bind(id)
        .bind(filer)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The filings a person filed or is the represented client of, newest first.
pub async fn filings_of(db: &SqlitePool, person: i64) -> Result<Vec<FilingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FILING_SELECT} WHERE (f.filer_id = ?1 OR (f.client_id = ?1 AND f.status <> 'draft'))
           AND f.deleted_at IS NULL ORDER BY f.updated_at DESC, f.id DESC"
    ))
    .bind(person)
    .fetch_all(db)
    .await
}

/// A person's verified legal name (or None).
pub async fn person_name(db: &SqlitePool, person: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT legal_name FROM people WHERE id = ?").bind(person).fetch_optional(db).await.map(Option::flatten)
}

pub async fn person_mobile(db: &SqlitePool, person: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT mobile FROM people WHERE id = ? AND notify_sms = 1").bind(person).fetch_optional(db).await.map(Option::flatten)
}

/// Is this person a lawyer whose profile a clerk verified?
pub async fn is_verified_lawyer(db: &SqlitePool, person: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lawyers WHERE person_id = ? AND status = 'verified'").bind(person).fetch_one(db).await?;
    Ok(n > 0)
}

/// Clients who granted this lawyer representation for this filing (live grants): id and name.
pub async fn granting_clients(db: &SqlitePool, lawyer: i64, filing: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, COALESCE(p.legal_name, '') FROM representations r JOIN people p ON p.id = r.client_id
           JOIN lawyers l ON l.person_id = r.lawyer_id
         WHERE r.lawyer_id = ? AND r.scope_kind = 'filing' AND r.scope_ref = ? AND r.revoked_at IS NULL AND l.status = 'verified'
         ORDER BY r.granted_at",
    )
    .bind(lawyer)
    .bind(filing.to_string())
    .fetch_all(db)
    .await
}

// ---------------------------------------------------------------------------------------------
// Submission

pub struct NewSubmission<'a> {
    pub filing_id: i64,
    pub filer_id: i64,
    pub client_id: Option<i64>,
    pub request_key: &'a str,
    pub content: &'a [u8],
    pub title: &'a str,
    pub case_type: &'a str,
    pub court: &'a str,
    /// `submitted` or `resubmitted`.
    pub next_status: &'a str,
    /// The status the filing must still have (`draft` or `returned`).
    pub from_status: &'a str,
    /// The filer's language, for texts about the decision.
    pub locale: &'a str,
    pub now: UnixTime,
    pub audit_details: serde_json::Value,
}

pub enum Submitted {
    /// This request submitted it: the submission's number.
    Now(i64),
    /// An earlier request with the same key already did (a retry or a double tap).
    Before { filing_id: i64, n: i64 },
    /// The filing is no longer in the state the request saw (submitted meanwhile, deleted).
    Moved,
}

/// Submits in one write transaction: the status change, the snapshot the clerk will review,
/// the history event and the audit entry are all written or none is.
pub async fn submit(db: &SqlitePool, s: NewSubmission<'_>) -> Result<Submitted, sqlx::Error> {
    let mut tx = write_tx(db).await?;
    if let Some((filing_id, n)) = sqlx::query_as::<_, (i64, i64)>("SELECT filing_id, n FROM filing_submissions WHERE request_key = ?")
        .bind(s.request_key)
        .fetch_optional(&mut *tx)
        .await?
    {
        return Ok(Submitted::Before { filing_id, n });
    }
    let moved = sqlx::query(
        "UPDATE filings SET status = ?, content = ?, title = ?, case_type = ?, court_code = ?, client_id = ?,
           first_submitted_at = COALESCE(first_submitted_at, ?), arrived_at = ?, updated_at = ?, step = 'review', locale = ?
         WHERE id = ? AND filer_id = ? AND status = ? AND deleted_at IS NULL",
    )
    .bind(s.next_status)
    .bind(s.content)
    .bind(s.title)
    .bind(s.case_type)
    .bind(s.court)
    .bind(s.client_id)
    .bind(s.now.0)
    .bind(s.now.0)
    .bind(s.now.0)
    .bind(s.locale)
    .bind(s.filing_id)
    .bind(s.filer_id)
    .bind(s.from_status)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(Submitted::Moved);
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) + 1 FROM filing_submissions WHERE filing_id = ?").bind(s.filing_id).fetch_one(&mut *tx).await?;
    sqlx::query("INSERT INTO filing_submissions (filing_id, request_key, n, content, submitted_at) VALUES (?, ?, ?, ?, ?)")
        .bind(s.filing_id)
        .bind(s.request_key)
        .bind(n)
        .bind(s.content)
        .bind(s.now.0)
        .execute(&mut *tx)
        .await?;
    event_in(&mut tx, s.filing_id, s.now, s.filer_id, s.next_status, &serde_json::json!({ "n": n })).await?;
    let action = if s.next_status == "resubmitted" { "filing.resubmitted" } else { "filing.submitted" };
    audit::append_in(&mut tx, s.now.0, &format!("person:{}", s.filer_id), action, &format!("filing:{}", s.filing_id), &s.audit_details).await?;
    tx.commit().await?;
    Ok(Submitted::Now(n))
}

/// The submission a request key made for this filing: its number, content and time.
pub async fn submission_by_key(db: &SqlitePool, filing: i64, key: &str) -> Result<Option<(i64, Vec<u8>, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT n, content, submitted_at FROM filing_submissions WHERE request_key = ? AND filing_id = ?")
        .bind(key)
        .bind(filing)
        .fetch_optional(db)
        .await
}

/// The latest submission of a filing: its number, content and time.
pub async fn latest_submission(db: &SqlitePool, filing: i64) -> Result<Option<(i64, Vec<u8>, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT n, content, submitted_at FROM filing_submissions WHERE filing_id = ? ORDER BY n DESC LIMIT 1")
        .bind(filing)
        .fetch_optional(db)
        .await
}

async fn event_in(conn: &mut SqliteConnection, filing: i64, at: UnixTime, actor: i64, kind: &str, details: &serde_json::Value) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO filing_events (filing_id, at, actor_id, kind, details) VALUES (?, ?, ?, ?, ?)")
        .bind(filing)
        .bind(at.0)
        .bind(actor)
        .bind(kind)
        .bind(details.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// A filing's history, oldest first: (time, kind, details JSON).
pub async fn events(db: &SqlitePool, filing: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT at, kind, details FROM filing_events WHERE filing_id = ? ORDER BY at, id").bind(filing).fetch_all(db).await
}

// ---------------------------------------------------------------------------------------------
// Clerk review

/// Filings of one court waiting for a decision, oldest arrival first.
pub async fn queue(db: &SqlitePool, court: &str) -> Result<Vec<FilingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FILING_SELECT} WHERE f.court_code = ? AND f.status IN ('submitted', 'resubmitted')
           AND f.deleted_at IS NULL ORDER BY f.arrived_at, f.id"
    ))
    .bind(court)
    .fetch_all(db)
    .await
}

pub struct Decision<'a> {
    pub filing_id: i64,
    pub court: &'a str,
    pub clerk_id: i64,
    pub now: UnixTime,
    /// `returned` or `refused`.
    pub kind: &'a str,
    pub details: serde_json::Value,
    /// The filer (and client) told in the inbox: (person, message key, params, link).
    pub notices: Vec<(i64, &'a str, serde_json::Value, String)>,
}

/// Returns or refuses a filing that still waits, with its event, notices and audit entry, in one
/// transaction. False when the filing is no longer waiting (another clerk decided first).
pub async fn decide(db: &SqlitePool, d: Decision<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = write_tx(db).await?;
    let moved = sqlx::query(
        "UPDATE filings SET status = ?, decided_at = ?, decided_by = ?, updated_at = ?
         WHERE id = ? AND court_code = ? AND status IN ('submitted', 'resubmitted')",
    )
    .bind(d.kind)
    .bind(d.now.0)
    .bind(d.clerk_id)
    .bind(d.now.0)
    .bind(d.filing_id)
    .bind(d.court)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    event_in(&mut tx, d.filing_id, d.now, d.clerk_id, d.kind, &d.details).await?;
    for (person, message, params, link) in &d.notices {
        notify_in(&mut tx, *person, d.now, message, params, link).await?;
    }
    audit::append_in(&mut tx, d.now.0, &format!("person:{}", d.clerk_id), &format!("filing.{}", d.kind), &format!("filing:{}", d.filing_id), &d.details)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// A case record as acceptance creates it.
pub struct NewCase<'a> {
    pub filing_id: i64,
    pub court: &'a str,
    pub case_type: &'a str,
    /// The case-type code in the number (民初 …).
    pub type_code: &'a str,
    pub year: i32,
    pub cause: &'a str,
    pub total_claimed_fen: i64,
    pub clerk_id: i64,
    pub now: UnixTime,
    pub parties: Vec<NewParty>,
    pub claims: Vec<(String, Option<i64>)>,
    pub evidence: Vec<NewEvidence>,
    /// The lawyer who filed for a client: (lawyer, client).
    pub agent: Option<(i64, i64)>,
    pub notices: Vec<(i64, &'a str, String)>,
    /// The fee notice issued with the case (art. 22), its amount and deadline already as the
    /// relief decision left them.
    pub fee: crate::fees::store::NewNotice,
    /// The decision on a fee relief application filed with the case.
    pub relief: Option<NewRelief>,
}

/// A fee relief decision taken with the acceptance.
pub struct NewRelief {
    pub applied_kind: &'static str,
    pub ground: &'static str,
    /// `defer` | `reduce` | `waive` | `refuse`.
    pub decision: &'static str,
    pub percent: Option<u8>,
    pub deferred_until: Option<UnixTime>,
    pub reason: Option<String>,
    pub original_fen: i64,
    pub due_fen: i64,
    /// JSON of `fees::relief::NoticeRelief` when granted (kept on the notice).
    pub on_notice: Option<String>,
    /// Who is told (filer, client): the notification's translation key goes with it.
    pub message: &'static str,
}

pub struct NewParty {
    pub role: String,
    pub kind: String,
    pub name: String,
    pub id_masked: Option<String>,
    pub uscc: Option<String>,
    pub representative: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub person_id: Option<i64>,
}

pub struct NewEvidence {
    pub name: String,
    pub source: String,
    pub proves: String,
    pub file_ids: Vec<i64>,
}

/// Accepts a filing that still waits: takes the next number of the court's sequence for the
/// year and case type, creates the case with its parties, claims and evidence, records the event,
/// the notices and the audit entry — one write transaction, so two clerks accepting at once get
/// consecutive numbers and a failure leaves no number used. Answers the sequence number, or None
/// when the filing is no longer waiting.
pub async fn accept(db: &SqlitePool, c: NewCase<'_>, format_number: impl Fn(i64) -> String) -> Result<Option<String>, sqlx::Error> {
    let mut tx = write_tx(db).await?;
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM filings WHERE id = ? AND court_code = ? AND status IN ('submitted', 'resubmitted')")
        .bind(c.filing_id)
        .bind(c.court)
        .fetch_one(&mut *tx)
        .await?;
    if waiting != 1 {
        return Ok(None);
    }
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO case_sequences (court_code, year, case_type, last_seq) VALUES (?, ?, ?, 1)
         ON CONFLICT (court_code, year, case_type) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
    )
    .bind(c.court)
    .bind(c.year)
    .bind(c.type_code)
    .fetch_one(&mut *tx)
    .await?;
    let number = format_number(seq);
    sqlx::query("UPDATE filings SET status = 'accepted', decided_at = ?, decided_by = ?, updated_at = ?, case_number = ? WHERE id = ?")
        .bind(c.now.0)
        .bind(c.clerk_id)
        .bind(c.now.0)
        .bind(&number)
        .bind(c.filing_id)
        .execute(&mut *tx)
        .await?;
    let case_id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (case_number, filing_id, court_code, case_type, year, seq, cause, total_claimed_fen, accepted_at, accepted_by, query_code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&number)
    .bind(c.filing_id)
    .bind(c.court)
    .bind(c.case_type)
    .bind(c.year)
    .bind(seq)
    .bind(c.cause)
    .bind(c.total_claimed_fen)
    .bind(c.now.0)
    .bind(c.clerk_id)
    .bind(new_query_code().as_str())
    .fetch_one(&mut *tx)
    .await?;
    let notice_id = crate::fees::store::issue_in(&mut tx, case_id, &c.fee, c.now).await?;
    if let Some(r) = &c.relief {
        relief_in(&mut tx, &c, r, case_id, notice_id, &number).await?;
    }
    for (n, p) in c.parties.iter().enumerate() {
        sqlx::query(
            "INSERT INTO case_parties (case_id, n, role, kind, name, id_masked, uscc, representative, phone, address, person_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(case_id)
        .bind(n as i64 + 1)
        .bind(&p.role)
        .bind(&p.kind)
        .bind(&p.name)
        .bind(&p.id_masked)
        .bind(&p.uscc)
        .bind(&p.representative)
        .bind(&p.phone)
        .bind(&p.address)
        .bind(p.person_id)
        .execute(&mut *tx)
        .await?;
    }
    for (n, (text, amount)) in c.claims.iter().enumerate() {
        sqlx::query("INSERT INTO case_claims (case_id, n, text, amount_fen) VALUES (?, ?, ?, ?)")
            .bind(case_id)
            .bind(n as i64 + 1)
            .bind(text)
            .bind(amount)
            .execute(&mut *tx)
            .await?;
    }
    for (n, e) in c.evidence.iter().enumerate() {
        let evidence_id: i64 =
            sqlx::query_scalar("INSERT INTO case_evidence (case_id, n, name, source, proves) VALUES (?, ?, ?, ?, ?) RETURNING id")
                .bind(case_id)
                .bind(n as i64 + 1)
                .bind(&e.name)
                .bind(&e.source)
                .bind(&e.proves)
                .fetch_one(&mut *tx)
                .await?;
        for file in &e.file_ids {
            sqlx::query("INSERT OR IGNORE INTO case_evidence_files (evidence_id, file_id) VALUES (?, ?)")
                .bind(evidence_id)
                .bind(file)
                .execute(&mut *tx)
                .await?;
        }
    }
    if let Some((lawyer, client)) = c.agent {
        sqlx::query("INSERT INTO case_agents (case_id, person_id, client_id) VALUES (?, ?, ?)")
            .bind(case_id)
            .bind(lawyer)
            .bind(client)
            .execute(&mut *tx)
            .await?;
    }
    let details = serde_json::json!({ "case_number": number });
    event_in(&mut tx, c.filing_id, c.now, c.clerk_id, "accepted", &details).await?;
    for (person, message, link) in &c.notices {
        notify_in(&mut tx, *person, c.now, message, &details, link).await?;
    }
    audit::append_in(&mut tx, c.now.0, &format!("person:{}", c.clerk_id), "filing.accepted", &format!("filing:{}", c.filing_id), &details).await?;
    tx.commit().await?;
    Ok(Some(number))
}

/// The relief decision, what it did to the notice, the filer's (and client's) notification and
/// the audit entry, on the accepting transaction.
async fn relief_in(tx: &mut SqliteConnection, c: &NewCase<'_>, r: &NewRelief, case_id: i64, notice_id: i64, number: &str) -> Result<(), sqlx::Error> {
    if let Some(on_notice) = &r.on_notice {
        sqlx::query("UPDATE fee_notices SET relief = ? WHERE id = ?").bind(on_notice).bind(notice_id).execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO fee_relief_decisions (filing_id, case_id, applied_kind, ground, decision, percent, deferred_until, reason, original_fen, due_fen, decided_at, decided_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(c.filing_id)
    .bind(case_id)
    .bind(r.applied_kind)
    .bind(r.ground)
    .bind(r.decision)
    .bind(r.percent)
    .bind(r.deferred_until.map(|t| t.0))
    .bind(r.reason.as_deref())
    .bind(r.original_fen)
    .bind(r.due_fen)
    .bind(c.now.0)
    .bind(c.clerk_id)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({
        "case_number": number,
        "notice": notice_id,
        "applied": r.applied_kind,
        "ground": r.ground,
        "decision": r.decision,
        "percent": r.percent,
        "deferred_until": r.deferred_until.map(|t| t.0),
        "original_fen": r.original_fen,
        "due_fen": r.due_fen,
    });
    for (person, _, link) in &c.notices {
        notify_in(&mut *tx, *person, c.now, r.message, &details, link).await?;
    }
    audit::append_in(&mut *tx, c.now.0, &format!("person:{}", c.clerk_id), "fees.relief_decided", &format!("filing:{}", c.filing_id), &details).await?;
    Ok(())
}

/// A filing's relief decision as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReliefRow {
    pub applied_kind: String,
    pub ground: String,
    pub decision: String,
    pub percent: Option<i64>,
    pub deferred_until: Option<i64>,
    pub reason: Option<String>,
    pub original_fen: i64,
    pub due_fen: i64,
    pub decided_at: i64,
}

pub async fn relief_decision(db: &SqlitePool, filing: i64) -> Result<Option<ReliefRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT applied_kind, ground, decision, percent, deferred_until, reason, original_fen, due_fen, decided_at FROM fee_relief_decisions WHERE filing_id = ?",
    )
    .bind(filing)
    .fetch_optional(db)
    .await
}

// ---------------------------------------------------------------------------------------------
// Files and uploads

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub filing_id: i64,
    pub owner_id: i64,
    pub name: String,
    pub sha256: String,
    pub size: i64,
    pub kind: String,
}

pub async fn file(db: &SqlitePool, id: i64) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, filing_id, owner_id, name, sha256, size, kind FROM filing_files WHERE id = ?").bind(id).fetch_optional(db).await
}

pub async fn files_of(db: &SqlitePool, filing: i64) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, filing_id, owner_id, name, sha256, size, kind FROM filing_files WHERE filing_id = ? ORDER BY id")
        .bind(filing)
        .fetch_all(db)
        .await
}

/// Bytes of uploads of this filing still arriving (they count against the filing's limit).
pub async fn pending_upload_bytes(db: &SqlitePool, filing: i64, since: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE filing_id = ? AND file_id IS NULL AND failed IS NULL AND created_at > ?")
        .bind(filing)
        .bind(since.0)
        .fetch_one(db)
        .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UploadRow {
    pub id: i64,
    pub filing_id: i64,
    pub owner_id: i64,
    pub name: String,
    pub size: i64,
    pub received: i64,
    pub created_at: i64,
    pub file_id: Option<i64>,
    pub failed: Option<String>,
    /// Where the finished file goes in the draft: `evidence:N` or `agent`.
    pub target: String,
}

pub async fn create_upload(db: &SqlitePool, filing: i64, owner: i64, name: &str, size: i64, target: &str, now: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO uploads (filing_id, owner_id, name, size, target, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
        .bind(filing)
        .bind(owner)
        .bind(name)
        .bind(size)
        .bind(target)
        .bind(now.0)
        .fetch_one(db)
        .await
}

pub async fn upload(db: &SqlitePool, id: i64) -> Result<Option<UploadRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, filing_id, owner_id, name, size, received, created_at, file_id, failed, target FROM uploads WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Moves an upload's received count from `from` to `to`; false when another request moved it.
pub async fn advance_upload(db: &SqlitePool, id: i64, from: i64, to: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE uploads SET received = ? WHERE id = ? AND received = ? AND file_id IS NULL AND failed IS NULL")
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn fail_upload(db: &SqlitePool, id: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET failed = ? WHERE id = ?").bind(reason).bind(id).execute(db).await?;
    Ok(())
}

/// Records a finished upload's file and links the upload to it, in one transaction.
pub async fn finish_upload(db: &SqlitePool, up: &UploadRow, sha256: &str, kind: &str, now: UnixTime) -> Result<i64, sqlx::Error> {
    let mut tx = write_tx(db).await?;
    let file_id: i64 = sqlx::query_scalar(
        "INSERT INTO filing_files (filing_id, owner_id, name, sha256, size, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(up.filing_id)
    .bind(up.owner_id)
    .bind(&up.name)
    .bind(sha256)
    .bind(up.size)
    .bind(kind)
    .bind(now.0)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE uploads SET file_id = ? WHERE id = ?").bind(file_id).bind(up.id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(file_id)
}

// ---------------------------------------------------------------------------------------------
// Access

/// May this person read this case's parties and documents: a party linked to their account, or
/// the lawyer who filed it for a client? (For later areas; filings use the filing row.)
pub async fn is_case_participant(db: &SqlitePool, case_number: &str, person: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM case_parties p JOIN cases c ON c.id = p.case_id WHERE c.case_number = ?1 AND p.person_id = ?2)
              + (SELECT COUNT(*) FROM case_agents a JOIN cases c ON c.id = a.case_id WHERE c.case_number = ?1 AND a.person_id = ?2)",
    )
    .bind(case_number)
    .bind(person)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

// ---------------------------------------------------------------------------------------------
// Notifications

async fn notify_in(conn: &mut SqliteConnection, person: i64, at: UnixTime, message: &str, params: &serde_json::Value, link: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO notifications (person_id, at, message, params, link) VALUES (?, ?, ?, ?, ?)")
        .bind(person)
        .bind(at.0)
        .bind(message)
        .bind(params.to_string())
        .bind(link)
        .execute(conn)
        .await?;
    Ok(())
}

/// A person's notifications, newest first: (id, time, message key, params JSON, link, read).
pub async fn notifications(db: &SqlitePool, person: i64) -> Result<Vec<(i64, i64, String, String, String, bool)>, sqlx::Error> {
    sqlx::query_as("SELECT id, at, message, params, link, read_at IS NOT NULL FROM notifications WHERE person_id = ? ORDER BY at DESC, id DESC LIMIT 50")
        .bind(person)
        .fetch_all(db)
        .await
}

pub async fn mark_read(db: &SqlitePool, person: i64, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notifications SET read_at = ? WHERE person_id = ? AND read_at IS NULL").bind(now.0).bind(person).execute(db).await?;
    Ok(())
}

/// The court's name for display.
pub async fn court_name(db: &SqlitePool, code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM courts WHERE code = ?").bind(code).fetch_optional(db).await
}

/// The query code printed on a new case's papers (the public lookup's key).
fn new_query_code() -> crate::cases::schedule::QueryCode {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    crate::cases::schedule::QueryCode::from_random(bytes)
}
