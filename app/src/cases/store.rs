//! SQL for cases as staff see them: the court's case list, and recording a case's ending in one
//! transaction with the refund it gives, its audit entry and the parties' notifications.
use crate::fees::model::{CaseEnding, RefundReason, Working};
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use sqlx::{SqliteConnection, SqlitePool};

/// A case of the court, with how its fee stands.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub case_number: String,
    pub cause: String,
    pub accepted_at: i64,
    pub stage: String,
    pub ended_as: Option<String>,
    pub ended_at: Option<i64>,
    pub fee_status: Option<String>,
    pub fee_fen: Option<i64>,
}

/// The court's cases, open ones first, newest first.
pub async fn cases_of_court(db: &SqlitePool, court: &str) -> Result<Vec<CaseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.case_number, c.cause, c.accepted_at, c.stage, c.ended_as, c.ended_at, n.status AS fee_status, n.amount_fen AS fee_fen
         FROM cases c LEFT JOIN (
             -- A case's notices together: unpaid while any is, and all they asked for.
             SELECT case_id, MAX(status) AS status, SUM(amount_fen) AS amount_fen FROM fee_notices GROUP BY case_id
         ) n ON n.case_id = c.id
         WHERE c.court_code = ? ORDER BY c.ended_as IS NOT NULL, c.accepted_at DESC, c.id DESC LIMIT 500",
    )
    .bind(court)
    .fetch_all(db)
    .await
}

/// What recording an ending did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ended {
    NotFound,
    AlreadyEnded,
    /// Ended now; with the refund it created (number, amount), or the fee an unpaid notice now
    /// asks for, if the ending changed either.
    Now { case_number: String, refund: Option<(String, i64)>, fee_now: Option<i64> },
}

/// What an ending does to the case's fee, decided by the rules from the notice as issued.
pub struct FeeDecision {
    /// Money to give back of what was paid.
    pub refund: Option<(RefundReason, Fen)>,
    /// What an unpaid notice asks for from now on.
    pub owed: Option<Working>,
}

/// Records how a case of `court` ended. What it does to the fee is decided inside the
/// transaction (`decide(working JSON, paid)`), so a payment that lands a moment before counts:
/// a paid fee gets its refund; an unpaid notice is reissued for what is now owed, and its open
/// code is closed here (money still taken for it comes back as paid-after-close).
pub async fn end_case(
    db: &SqlitePool,
    court: &str,
    case_id: i64,
    ending: CaseEnding,
    staff_id: i64,
    now: UnixTime,
    decide: impl FnOnce(&str, Option<Fen>) -> FeeDecision,
) -> Result<Ended, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let case: Option<(String, Option<String>)> = sqlx::query_as("SELECT case_number, ended_as FROM cases WHERE id = ? AND court_code = ?")
        .bind(case_id)
        .bind(court)
        .fetch_optional(&mut *tx)
        .await?;
    let case_number = match case {
        None => return Ok(Ended::NotFound),
        Some((_, Some(_))) => return Ok(Ended::AlreadyEnded),
        Some((number, None)) => number,
    };
    sqlx::query("UPDATE cases SET ended_as = ?, ended_at = ?, ended_by = ?, stage = 'closed' WHERE id = ? AND ended_as IS NULL")
        .bind(ending.as_str())
        .bind(now.0)
        .bind(staff_id)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
    let (mut refund, mut fee_now) = (None, None);
    // The case's fee as it now stands (after any change of the claims) and all it has paid.
    if let Some((_, working)) = crate::fees::store::case_fee_in(&mut tx, case_id).await? {
        let paid = crate::fees::store::paid_net_in(&mut tx, case_id).await?;
        let decision = decide(&working, (paid.0 > 0).then_some(paid));
        if let Some((reason, amount)) = decision.refund {
            let made = crate::fees::store::refund_case_in(&mut tx, case_id, reason, None, amount, now).await?;
            if !made.is_empty() {
                let numbers: Vec<&str> = made.iter().map(|(n, _)| n.as_str()).collect();
                refund = Some((numbers.join(","), made.iter().map(|(_, a)| a).sum()));
            }
        }
        if let (Some(owed), Some((notice_id, _))) = (decision.owed, crate::fees::store::unpaid_notice_in(&mut tx, case_id).await?) {
            // What is still owed after what was paid (all of it when nothing was paid yet).
            let due = Fen((owed.total.0 - paid.0).max(0));
            let json = serde_json::to_string(&crate::fees::model::Working { total: due, ..owed }).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            crate::fees::store::reissue_in(&mut tx, notice_id, due, Some(&json), now).await?;
            fee_now = Some(due.0);
        }
    }
    crate::ssr::audit::append_in(
        &mut tx,
        now.0,
        &format!("person:{staff_id}"),
        "cases.ended",
        &format!("case:{case_number}"),
        &serde_json::json!({ "ending": ending.as_str(), "refund": refund.as_ref().map(|(n, a)| serde_json::json!({ "number": n, "amount_fen": a })), "fee_now_fen": fee_now }),
    )
    .await?;
    if let Some((_, amount)) = &refund {
        let params = serde_json::json!({ "case_number": case_number, "amount": Fen(*amount).yuan() });
        crate::fees::store::notify_payers_in(&mut tx, case_id, now, "notice_refund_created", &params).await?;
    }
    tx.commit().await?;
    Ok(Ended::Now { case_number, refund, fee_now })
}

// ---------------------------------------------------------------------------------------------
// The litigant's and lawyer's cases

/// Who may see a case: a party linked to the person, the lawyer who filed it (an agent), and the
/// filer and client of its filing.
const VIEWER_CLAUSE: &str = "(f.filer_id = ?1 OR f.client_id = ?1
      OR EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.person_id = ?1)
      OR EXISTS (SELECT 1 FROM case_agents a WHERE a.case_id = c.id AND a.person_id = ?1))";

/// A case as its list shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MyCaseRow {
    pub id: i64,
    pub case_number: String,
    pub court_code: String,
    pub court_name: String,
    pub cause: String,
    pub case_type: String,
    pub stage: String,
    pub accepted_at: i64,
    pub ended_as: Option<String>,
    /// The client's name, when the viewer is the lawyer who filed it.
    pub client_name: Option<String>,
}

const MY_CASE_SELECT: &str = "SELECT c.id, c.case_number, c.court_code, COALESCE(ct.name, c.court_code) AS court_name, c.cause, c.case_type, c.stage,
        c.accepted_at, c.ended_as,
        (SELECT pc.legal_name FROM case_agents a JOIN people pc ON pc.id = a.client_id WHERE a.case_id = c.id AND a.person_id = ?1) AS client_name
     FROM cases c JOIN filings f ON f.id = c.filing_id LEFT JOIN courts ct ON ct.code = c.court_code";

/// The cases this person may see, newest first.
pub async fn cases_of(db: &SqlitePool, person: i64) -> Result<Vec<MyCaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MY_CASE_SELECT} WHERE {VIEWER_CLAUSE} ORDER BY c.accepted_at DESC, c.id DESC LIMIT 1000"))
        .bind(person)
        .fetch_all(db)
        .await
}

/// One case, if this person may see it.
pub async fn case_of(db: &SqlitePool, person: i64, case_id: i64) -> Result<Option<MyCaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MY_CASE_SELECT} WHERE c.id = ?2 AND {VIEWER_CLAUSE}")).bind(person).bind(case_id).fetch_optional(db).await
}

/// A party as other parties may see it: role, kind and name (no ID number, phone or address).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PartyRow {
    pub role: String,
    pub kind: String,
    pub name: String,
}

pub async fn parties(db: &SqlitePool, case_id: i64) -> Result<Vec<PartyRow>, sqlx::Error> {
    sqlx::query_as("SELECT role, kind, name FROM case_parties WHERE case_id = ? ORDER BY n").bind(case_id).fetch_all(db).await
}

/// What the timeline and deadlines are made of, read from the case's filing, fee notice,
/// payment and refunds.
#[derive(Clone, Debug, Default)]
pub struct CaseFacts {
    pub filed_at: Option<i64>,
    pub clerk_name: Option<String>,
    pub notice: Option<(i64, i64, String, i64)>,
    pub paid_at: Option<i64>,
    /// (created_at, deadline, refunded_at) of each refund.
    pub refunds: Vec<(i64, i64, Option<i64>)>,
    pub ended_at: Option<i64>,
    pub judge_name: Option<String>,
    /// What staff recorded: (kind, stage moved to, note, happened_at), in time order.
    pub recorded: Vec<(String, Option<String>, String, i64)>,
}

pub async fn facts(db: &SqlitePool, case_id: i64) -> Result<CaseFacts, sqlx::Error> {
    let (filed_at, clerk_name, ended_at, judge_name): (Option<i64>, Option<String>, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT f.arrived_at, p.legal_name, c.ended_at, j.legal_name FROM cases c JOIN filings f ON f.id = c.filing_id
         LEFT JOIN people p ON p.id = c.accepted_by LEFT JOIN people j ON j.id = c.judge_id WHERE c.id = ?",
    )
    .bind(case_id)
    .fetch_one(db)
    .await?;
    // (issued_at, deadline, status, amount_fen)
    let notice: Option<(i64, i64, String, i64)> =
        // The notice still to pay if there is one (a further notice after changed claims), else the first.
        sqlx::query_as("SELECT issued_at, deadline, status, amount_fen FROM fee_notices WHERE case_id = ? ORDER BY status = 'unpaid' DESC, id LIMIT 1")
            .bind(case_id)
            .fetch_optional(db)
            .await?;
    let paid_at: Option<i64> = sqlx::query_scalar(
        "SELECT o.paid_at FROM payment_orders o JOIN fee_notices n ON n.id = o.notice_id WHERE n.case_id = ? AND o.status = 'paid' ORDER BY o.paid_at LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(db)
    .await?
    .flatten();
    let refunds = sqlx::query_as(
        "SELECT r.created_at, r.deadline, r.refunded_at FROM fee_refunds r JOIN fee_notices n ON n.id = r.notice_id WHERE n.case_id = ? ORDER BY r.id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await?;
    let recorded = recorded_events(db, case_id).await?;
    Ok(CaseFacts { filed_at, clerk_name, notice, paid_at, refunds, ended_at, judge_name, recorded })
}

// ---------------------------------------------------------------------------------------------
// Electronic service

/// A document to serve, already in the blob store.
pub struct NewDocument<'a> {
    pub court: &'a str,
    pub case_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub evidence_days: Option<i64>,
    pub staff_id: i64,
    pub now: UnixTime,
}

/// Someone a document was served on, to tell by SMS.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    pub person_id: i64,
    pub mobile: Option<String>,
}

pub enum Served {
    /// No such case at this court.
    NotFound,
    /// This file was served in this case before (a double click, a retry): that service stands.
    Before { document_id: i64 },
    Now { document_id: i64, case_number: String, locale: String, recipients: Vec<Recipient> },
}

/// Serves a document on everyone of the case who uses Tianping — its parties and the lawyers
/// acting for them — in one transaction with the audit entry and their in-app notices.
pub async fn serve_document(db: &SqlitePool, d: NewDocument<'_>) -> Result<Served, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let served = serve_document_in(&mut tx, d).await?;
    tx.commit().await?;
    Ok(served)
}

/// [`serve_document`] inside the caller's transaction (signing serves the sealed PDF in the
/// transaction that seals it).
pub async fn serve_document_in(tx: &mut SqliteConnection, d: NewDocument<'_>) -> Result<Served, sqlx::Error> {
    let case: Option<(String, String)> = sqlx::query_as(
        "SELECT c.case_number, f.locale FROM cases c JOIN filings f ON f.id = c.filing_id WHERE c.id = ? AND c.court_code = ?",
    )
    .bind(d.case_id)
    .bind(d.court)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((case_number, locale)) = case else { return Ok(Served::NotFound) };
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO case_documents (case_id, kind, title, sha256, size, evidence_days, served_by, served_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (case_id, sha256) DO NOTHING RETURNING id",
    )
    .bind(d.case_id)
    .bind(d.kind)
    .bind(d.title)
    .bind(d.sha256)
    .bind(d.size)
    .bind(d.evidence_days)
    .bind(d.staff_id)
    .bind(d.now.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(document_id) = inserted else {
        let id = sqlx::query_scalar("SELECT id FROM case_documents WHERE case_id = ? AND sha256 = ?").bind(d.case_id).bind(d.sha256).fetch_one(&mut *tx).await?;
        return Ok(Served::Before { document_id: id });
    };
    sqlx::query(&format!(
        "{PEOPLE_SERVED} INSERT INTO document_services (document_id, person_id, capacity, served_at) SELECT ?1, person_id, capacity, ?2 FROM served"
    ))
    .bind(document_id)
    .bind(d.now.0)
    .bind(d.case_id)
    .execute(&mut *tx)
    .await?;
    let recipients: Vec<Recipient> = sqlx::query_as(&format!(
        "SELECT s.person_id, {MOBILE_IF_TEXTED} FROM document_services s JOIN people p ON p.id = s.person_id WHERE s.document_id = ? ORDER BY s.person_id"
    ))
    .bind(document_id)
    .fetch_all(&mut *tx)
    .await?;
    let people: Vec<i64> = recipients.iter().map(|r| r.person_id).collect();
    let params = serde_json::json!({ "case_number": case_number, "title": d.title });
    notify_in(tx, &people, d.now, "notice_document_served", &params, &format!("/cases/{}", d.case_id)).await?;
    crate::ssr::audit::append_in(
        tx,
        d.now.0,
        &format!("person:{}", d.staff_id),
        "cases.document_served",
        &format!("case:{case_number}"),
        &serde_json::json!({ "document": document_id, "kind": d.kind, "sha256": d.sha256, "served_on": recipients.iter().map(|r| r.person_id).collect::<Vec<_>>() }),
    )
    .await?;
    Ok(Served::Now { document_id, case_number, locale, recipients })
}

/// A served document with one person's delivery of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub title: String,
    pub sha256: String,
    pub size: i64,
    pub evidence_days: Option<i64>,
    pub served_at: i64,
    pub read_at: Option<i64>,
}

/// The documents served on this person in a case, newest first.
pub async fn documents_served_on(db: &SqlitePool, person: i64, case_id: i64) -> Result<Vec<DocumentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.case_id, d.kind, d.title, d.sha256, d.size, d.evidence_days, s.served_at, s.read_at
         FROM case_documents d JOIN document_services s ON s.document_id = d.id
         WHERE d.case_id = ? AND s.person_id = ? ORDER BY s.served_at DESC, d.id DESC",
    )
    .bind(case_id)
    .bind(person)
    .fetch_all(db)
    .await
}

/// The person opens a document served on them: the first opening is recorded as the read
/// receipt (once; later openings leave it), with its audit entry. `None`: not served on them.
pub async fn open_served(db: &SqlitePool, person: i64, document_id: i64, now: UnixTime) -> Result<Option<DocumentRow>, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let first = sqlx::query("UPDATE document_services SET read_at = ? WHERE document_id = ? AND person_id = ? AND read_at IS NULL")
        .bind(now.0)
        .bind(document_id)
        .bind(person)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    let row: Option<DocumentRow> = sqlx::query_as(
        "SELECT d.id, d.case_id, d.kind, d.title, d.sha256, d.size, d.evidence_days, s.served_at, s.read_at
         FROM case_documents d JOIN document_services s ON s.document_id = d.id WHERE d.id = ? AND s.person_id = ?",
    )
    .bind(document_id)
    .bind(person)
    .fetch_optional(&mut *tx)
    .await?;
    if first && let Some(doc) = &row {
        crate::ssr::audit::append_in(
            &mut tx,
            now.0,
            &format!("person:{person}"),
            "cases.document_read",
            &format!("document:{}", doc.id),
            &serde_json::json!({ "case": doc.case_id, "sha256": doc.sha256, "served_at": doc.served_at }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(row)
}

/// A document of the court's case, for staff to check (no receipt), with its fingerprint.
pub async fn court_document(db: &SqlitePool, court: &str, document_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT d.sha256, d.title FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ? AND c.court_code = ?")
        .bind(document_id)
        .bind(court)
        .fetch_optional(db)
        .await
}

/// A case of the court, for its staff page.
pub async fn court_case(db: &SqlitePool, court: &str, case_id: i64) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT case_number, cause, stage FROM cases WHERE id = ? AND court_code = ?").bind(case_id).bind(court).fetch_optional(db).await
}

// ---------------------------------------------------------------------------------------------
// What staff record: events, stage changes, the judge

/// What staff recorded in a case: (kind, stage moved to, note, happened_at), in time order.
pub async fn recorded_events(db: &SqlitePool, case_id: i64) -> Result<Vec<(String, Option<String>, String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, stage, note, happened_at FROM case_events WHERE case_id = ? ORDER BY happened_at, id").bind(case_id).fetch_all(db).await
}

/// When a case of the court was accepted; `None` for a case of another court.
pub async fn court_case_accepted_at(db: &SqlitePool, court: &str, case_id: i64) -> Result<Option<UnixTime>, sqlx::Error> {
    sqlx::query_scalar("SELECT accepted_at FROM cases WHERE id = ? AND court_code = ?").bind(case_id).bind(court).fetch_optional(db).await.map(|t| t.map(UnixTime))
}

/// An event or stage change to record in a case of `court`.
pub struct NewCaseEvent<'a> {
    pub court: &'a str,
    pub case_id: i64,
    pub what: Recording,
    pub staff_id: i64,
    pub now: UnixTime,
    pub request_key: &'a str,
}

pub enum Recording {
    Event(crate::cases::model::NewEvent),
    Stage(crate::cases::model::Stage),
}

pub enum Recorded {
    NotFound,
    /// The form was sent before: recorded once.
    Before,
    Refused(crate::cases::model::StageError),
    Now { case_number: String },
}

/// Records what happened in a case (or moves it to another stage, by the stage rules, read and
/// changed in one transaction), tells its people in-app and writes the audit entry.
pub async fn record_event(db: &SqlitePool, e: NewCaseEvent<'_>) -> Result<Recorded, sqlx::Error> {
    use crate::cases::model::{Stage, StageError};
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let case: Option<(String, String)> =
        sqlx::query_as("SELECT case_number, stage FROM cases WHERE id = ? AND court_code = ?").bind(e.case_id).bind(e.court).fetch_optional(&mut *tx).await?;
    let Some((case_number, stored)) = case else { return Ok(Recorded::NotFound) };
    let before: Option<i64> = sqlx::query_scalar("SELECT id FROM case_events WHERE request_key = ?").bind(e.request_key).fetch_optional(&mut *tx).await?;
    if before.is_some() {
        return Ok(Recorded::Before);
    }
    let stage = Stage::from_stored(&stored).unwrap_or(Stage::Closed);
    let (kind, moved_to, note, happened_at) = match &e.what {
        Recording::Event(_) if !stage.is_open() => return Ok(Recorded::Refused(StageError::Closed)),
        Recording::Event(ev) => (ev.kind.as_str(), None, ev.note.as_str(), ev.happened_at),
        Recording::Stage(next) => match stage.change_to(*next) {
            Ok(next) => ("stage", Some(next.as_str()), "", e.now),
            Err(why) => return Ok(Recorded::Refused(why)),
        },
    };
    if let Some(next) = moved_to {
        sqlx::query("UPDATE cases SET stage = ? WHERE id = ?").bind(next).bind(e.case_id).execute(&mut *tx).await?;
    }
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO case_events (case_id, kind, stage, note, happened_at, recorded_by, recorded_at, request_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(e.case_id)
    .bind(kind)
    .bind(moved_to)
    .bind(note)
    .bind(happened_at.0)
    .bind(e.staff_id)
    .bind(e.now.0)
    .bind(e.request_key)
    .fetch_one(&mut *tx)
    .await?;
    let people: Vec<i64> = case_people_in(&mut tx, e.case_id).await?.into_iter().map(|r| r.person_id).collect();
    let params = serde_json::json!({ "case_number": case_number });
    notify_in(&mut tx, &people, e.now, "notice_case_event", &params, &format!("/cases/{}", e.case_id)).await?;
    crate::ssr::audit::append_in(
        &mut tx,
        e.now.0,
        &format!("person:{}", e.staff_id),
        "cases.event_recorded",
        &format!("case:{case_number}"),
        &serde_json::json!({ "event": event_id, "kind": kind, "stage": moved_to, "happened_at": happened_at.0 }),
    )
    .await?;
    tx.commit().await?;
    Ok(Recorded::Now { case_number })
}

/// The judges of a court: (id, name).
pub async fn court_judges(db: &SqlitePool, court: &str) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT id, legal_name FROM people WHERE kind = 'staff' AND role = 'judge' AND court_code = ? ORDER BY legal_name, id").bind(court).fetch_all(db).await
}

/// The judge a case of the court is assigned to: (id, name).
pub async fn case_judge(db: &SqlitePool, case_id: i64) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT j.id, j.legal_name FROM cases c JOIN people j ON j.id = c.judge_id WHERE c.id = ?").bind(case_id).fetch_optional(db).await
}

pub enum Assigned {
    NotFound,
    /// Not a judge of the case's court.
    NotAJudge,
    Now,
}

/// Assigns a case of `court` to one of the same court's judges, with the audit entry.
pub async fn assign_judge(db: &SqlitePool, court: &str, case_id: i64, judge_id: i64, staff_id: i64, now: UnixTime) -> Result<Assigned, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let case: Option<String> = sqlx::query_scalar("SELECT case_number FROM cases WHERE id = ? AND court_code = ?").bind(case_id).bind(court).fetch_optional(&mut *tx).await?;
    let Some(case_number) = case else { return Ok(Assigned::NotFound) };
    let judge: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ? AND kind = 'staff' AND role = 'judge' AND court_code = ?")
        .bind(judge_id)
        .bind(court)
        .fetch_optional(&mut *tx)
        .await?;
    if judge.is_none() {
        return Ok(Assigned::NotAJudge);
    }
    sqlx::query("UPDATE cases SET judge_id = ? WHERE id = ?").bind(judge_id).bind(case_id).execute(&mut *tx).await?;
    crate::ssr::audit::append_in(&mut tx, now.0, &format!("person:{staff_id}"), "cases.judge_assigned", &format!("case:{case_number}"), &serde_json::json!({ "judge": judge_id }))
        .await?;
    tx.commit().await?;
    Ok(Assigned::Now)
}

/// Every document served in a case, newest first.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CourtDocumentRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub sha256: String,
    pub size: i64,
    pub evidence_days: Option<i64>,
    pub served_at: i64,
    pub served_by: Option<String>,
}

pub async fn case_documents(db: &SqlitePool, case_id: i64) -> Result<Vec<CourtDocumentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.kind, d.title, d.sha256, d.size, d.evidence_days, d.served_at, p.legal_name AS served_by
         FROM case_documents d LEFT JOIN people p ON p.id = d.served_by WHERE d.case_id = ? ORDER BY d.served_at DESC, d.id DESC",
    )
    .bind(case_id)
    .fetch_all(db)
    .await
}

/// Each delivery of a case's documents: (document, name, capacity, served_at, read_at).
pub async fn deliveries(db: &SqlitePool, case_id: i64) -> Result<Vec<(i64, Option<String>, String, i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.document_id, p.legal_name, s.capacity, s.served_at, s.read_at FROM document_services s
         JOIN case_documents d ON d.id = s.document_id JOIN people p ON p.id = s.person_id WHERE d.case_id = ? ORDER BY s.document_id, s.person_id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await
}

/// Who would be served in a case now: (name, capacity).
pub async fn recipients(db: &SqlitePool, case_id: i64) -> Result<Vec<(Option<String>, String)>, sqlx::Error> {
    sqlx::query_as(&format!("{PEOPLE_SERVED} SELECT p.legal_name, s.capacity FROM served s JOIN people p ON p.id = s.person_id ORDER BY s.person_id"))
        .bind(0)
        .bind(0)
        .bind(case_id)
        .fetch_all(db)
        .await
}

/// Everyone of case `?3` who uses Tianping, as `served(person_id, capacity)`: its parties (those
/// linked to a person, the client a lawyer filed for, the filer filing for themselves), and the
/// lawyers acting in it. A person who is both a party and an agent is served once, as the party.
pub(crate) const PEOPLE_SERVED: &str = "WITH parties AS (
        SELECT person_id FROM case_parties WHERE case_id = ?3 AND person_id IS NOT NULL
        UNION SELECT f.client_id FROM cases c JOIN filings f ON f.id = c.filing_id WHERE c.id = ?3 AND f.client_id IS NOT NULL
        UNION SELECT f.filer_id FROM cases c JOIN filings f ON f.id = c.filing_id WHERE c.id = ?3
          AND f.filer_id NOT IN (SELECT person_id FROM case_agents WHERE case_id = ?3)
    ), served AS (
        SELECT person_id, 'party' AS capacity FROM parties
        UNION SELECT person_id, 'agent' FROM case_agents WHERE case_id = ?3 AND person_id NOT IN (SELECT person_id FROM parties)
    )";

/// A person's mobile, for the texts they chose to get (`p` is their `people` row).
const MOBILE_IF_TEXTED: &str = "CASE WHEN p.notify_sms = 1 THEN p.mobile END AS mobile";

/// Everyone of a case who uses Tianping (its parties and the lawyers acting for them), with the
/// mobile of those who want texts.
pub(crate) async fn case_people_in(tx: &mut sqlx::SqliteConnection, case_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(&format!("{PEOPLE_SERVED} SELECT s.person_id, {MOBILE_IF_TEXTED} FROM served s JOIN people p ON p.id = s.person_id ORDER BY s.person_id"))
        .bind(0)
        .bind(0)
        .bind(case_id)
        .fetch_all(&mut *tx)
        .await
}

/// Puts one notice in each person's inbox, inside the caller's transaction, so the notice
/// exists exactly when what it tells of does.
pub(crate) async fn notify_in(tx: &mut sqlx::SqliteConnection, people: &[i64], now: UnixTime, message: &str, params: &serde_json::Value, link: &str) -> Result<(), sqlx::Error> {
    for person in people {
        sqlx::query("INSERT INTO notifications (person_id, at, message, params, link) VALUES (?, ?, ?, ?, ?)")
            .bind(person)
            .bind(now.0)
            .bind(message)
            .bind(params.to_string())
            .bind(link)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hearings and the public lookup

/// A hearing of a case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HearingRow {
    pub id: i64,
    pub starts_at: i64,
    pub minutes: i64,
    pub mode: String,
    pub courtroom: Option<String>,
    pub public: bool,
    pub scheduled_at: i64,
}

pub enum Scheduled {
    NotFound,
    /// The case is closed: nothing more is heard in it.
    Closed,
    Now { hearing_id: i64, case_number: String, locale: String, recipients: Vec<Recipient> },
}

/// Schedules a hearing in an open case of the court, telling everyone of the case who uses
/// Tianping in-app, in one transaction with the audit entry.
pub async fn schedule_hearing(db: &SqlitePool, court: &str, case_id: i64, h: &crate::cases::schedule::NewHearing, staff_id: i64, now: UnixTime) -> Result<Scheduled, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let case: Option<(String, String, String)> = sqlx::query_as(
        "SELECT c.case_number, c.stage, f.locale FROM cases c JOIN filings f ON f.id = c.filing_id WHERE c.id = ? AND c.court_code = ?",
    )
    .bind(case_id)
    .bind(court)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((case_number, stage, locale)) = case else { return Ok(Scheduled::NotFound) };
    if !crate::cases::model::Stage::from_stored(&stage).is_some_and(|s| s.is_open()) {
        return Ok(Scheduled::Closed);
    }
    let hearing_id: i64 = sqlx::query_scalar(
        "INSERT INTO case_hearings (case_id, starts_at, minutes, mode, courtroom, public, scheduled_by, scheduled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(case_id)
    .bind(h.starts_at.0)
    .bind(i64::from(h.minutes))
    .bind(h.mode.as_str())
    .bind(h.courtroom.as_deref())
    .bind(h.public)
    .bind(staff_id)
    .bind(now.0)
    .fetch_one(&mut *tx)
    .await?;
    let recipients = case_people_in(&mut tx, case_id).await?;
    let people: Vec<i64> = recipients.iter().map(|r| r.person_id).collect();
    let params = serde_json::json!({ "case_number": case_number, "at": h.starts_at.shanghai() });
    notify_in(&mut tx, &people, now, "notice_hearing_scheduled", &params, &format!("/cases/{case_id}")).await?;
    crate::ssr::audit::append_in(
        &mut tx,
        now.0,
        &format!("person:{staff_id}"),
        "cases.hearing_scheduled",
        &format!("case:{case_number}"),
        &serde_json::json!({ "hearing": hearing_id, "starts_at": h.starts_at.0, "minutes": h.minutes, "mode": h.mode.as_str(), "courtroom": h.courtroom, "public": h.public }),
    )
    .await?;
    tx.commit().await?;
    Ok(Scheduled::Now { hearing_id, case_number, locale, recipients })
}

/// A case's hearings in time order.
pub async fn hearings(db: &SqlitePool, case_id: i64) -> Result<Vec<HearingRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, starts_at, minutes, mode, courtroom, public != 0 AS public, scheduled_at FROM case_hearings WHERE case_id = ? ORDER BY starts_at, id")
        .bind(case_id)
        .fetch_all(db)
        .await
}

/// The query code of a case its people may see (printed on its papers).
pub async fn query_code(db: &SqlitePool, case_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT query_code FROM cases WHERE id = ?").bind(case_id).fetch_optional(db).await.map(Option::flatten)
}

/// What the public lookup may show of a case: nothing about its people.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicCaseRow {
    pub id: i64,
    pub case_number: String,
    pub court_name: String,
    pub case_type: String,
    pub stage: String,
    pub ended_as: Option<String>,
    pub query_code: Option<String>,
}

pub async fn public_case(db: &SqlitePool, case_number: &str) -> Result<Option<PublicCaseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.case_number, ct.name AS court_name, c.case_type, c.stage, c.ended_as, c.query_code
         FROM cases c JOIN courts ct ON ct.code = c.court_code WHERE c.case_number = ?",
    )
    .bind(case_number)
    .fetch_optional(db)
    .await
}

/// The next public hearing of a case after `now`.
pub async fn next_public_hearing(db: &SqlitePool, case_id: i64, now: UnixTime) -> Result<Option<HearingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, starts_at, minutes, mode, courtroom, public != 0 AS public, scheduled_at FROM case_hearings
         WHERE case_id = ? AND public = 1 AND starts_at > ? ORDER BY starts_at LIMIT 1",
    )
    .bind(case_id)
    .bind(now.0)
    .fetch_optional(db)
    .await
}

// ---------------------------------------------------------------------------------------------
// Contacting the judge

/// Whose thread with the court this person writes in, in a case: their own as a party, their
/// client's as the lawyer acting in it; `None` if they are neither.
pub async fn thread_party(db: &SqlitePool, person: i64, case_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "{PEOPLE_SERVED} SELECT person_id FROM served WHERE person_id = ?1 AND capacity = 'party'
         UNION ALL SELECT a.client_id FROM case_agents a WHERE a.case_id = ?3 AND a.person_id = ?1
           AND NOT EXISTS (SELECT 1 FROM served WHERE person_id = ?1 AND capacity = 'party')
         LIMIT 1"
    ))
    .bind(person)
    .bind(0)
    .bind(case_id)
    .fetch_optional(db)
    .await
}

/// How a person takes part in a case: `party` (themselves, or the client a filer filed for),
/// `agent` (a lawyer acting in it), or `None`.
pub async fn case_capacity(db: &SqlitePool, person: i64, case_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(&format!("{PEOPLE_SERVED} SELECT capacity FROM served WHERE person_id = ?1 ORDER BY capacity DESC LIMIT 1"))
        .bind(person)
        .bind(0)
        .bind(case_id)
        .fetch_optional(db)
        .await
}

/// Whether `party` is a party of the case who uses Tianping (a thread staff may open).
pub async fn is_online_party(db: &SqlitePool, party: i64, case_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(&format!("{PEOPLE_SERVED} SELECT person_id FROM served WHERE person_id = ?1 AND capacity = 'party'"))
        .bind(party)
        .bind(0)
        .bind(case_id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// The parties of a case who use Tianping: (person, name), for the staff's thread links.
pub async fn online_parties(db: &SqlitePool, case_id: i64) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as(&format!("{PEOPLE_SERVED} SELECT s.person_id, p.legal_name FROM served s JOIN people p ON p.id = s.person_id WHERE s.capacity = 'party' ORDER BY s.person_id"))
        .bind(0)
        .bind(0)
        .bind(case_id)
        .fetch_all(db)
        .await
}

pub struct NewMessage<'a> {
    pub case_id: i64,
    pub party_id: i64,
    pub author_id: i64,
    pub from_court: bool,
    pub body: &'a str,
    pub request_key: &'a str,
    /// (name, sha256, size, kind) of the file attached, already in the blob store.
    pub attachment: Option<(&'a str, &'a str, i64, &'a str)>,
    pub now: UnixTime,
}

/// Adds a message to a thread, once per request key. A message from the court tells the party
/// and the lawyers acting for them in-app.
pub async fn send_message(db: &SqlitePool, m: NewMessage<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO case_messages (case_id, party_id, author_id, from_court, body, sent_at, request_key) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (request_key) DO NOTHING RETURNING id",
    )
    .bind(m.case_id)
    .bind(m.party_id)
    .bind(m.author_id)
    .bind(m.from_court)
    .bind(m.body)
    .bind(m.now.0)
    .bind(m.request_key)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = inserted else {
        return sqlx::query_scalar("SELECT id FROM case_messages WHERE request_key = ?").bind(m.request_key).fetch_one(&mut *tx).await;
    };
    if let Some((name, sha, size, kind)) = m.attachment {
        sqlx::query("INSERT INTO message_attachments (message_id, name, sha256, size, kind) VALUES (?, ?, ?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(sha)
            .bind(size)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
    }
    let case_number: String = sqlx::query_scalar("SELECT case_number FROM cases WHERE id = ?").bind(m.case_id).fetch_one(&mut *tx).await?;
    if m.from_court {
        let mut people: Vec<i64> = sqlx::query_scalar("SELECT person_id FROM case_agents WHERE case_id = ?1 AND client_id = ?2 AND person_id != ?2")
            .bind(m.case_id)
            .bind(m.party_id)
            .fetch_all(&mut *tx)
            .await?;
        people.insert(0, m.party_id);
        let params = serde_json::json!({ "case_number": case_number });
        notify_in(&mut tx, &people, m.now, "notice_court_replied", &params, &format!("/cases/{}/messages", m.case_id)).await?;
    }
    crate::ssr::audit::append_in(
        &mut tx,
        m.now.0,
        &format!("person:{}", m.author_id),
        "cases.message_sent",
        &format!("case:{case_number}"),
        &serde_json::json!({ "message": id, "thread": m.party_id, "from_court": m.from_court, "attachment": m.attachment.map(|a| a.1) }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub from_court: bool,
    pub author_name: Option<String>,
    pub body: String,
    pub sent_at: i64,
    pub read_at: Option<i64>,
}

/// A thread's messages in the order they were sent.
pub async fn thread(db: &SqlitePool, case_id: i64, party_id: i64) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.from_court != 0 AS from_court, p.legal_name AS author_name, m.body, m.sent_at, m.read_at
         FROM case_messages m JOIN people p ON p.id = m.author_id WHERE m.case_id = ? AND m.party_id = ? ORDER BY m.sent_at, m.id",
    )
    .bind(case_id)
    .bind(party_id)
    .fetch_all(db)
    .await
}

/// A thread's attachments: (message, attachment id, name, size, sha256).
pub async fn thread_attachments(db: &SqlitePool, case_id: i64, party_id: i64) -> Result<Vec<(i64, i64, String, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.message_id, a.id, a.name, a.size, a.sha256 FROM message_attachments a JOIN case_messages m ON m.id = a.message_id
         WHERE m.case_id = ? AND m.party_id = ? ORDER BY a.id",
    )
    .bind(case_id)
    .bind(party_id)
    .fetch_all(db)
    .await
}

/// One side opens the thread: the other side's messages not yet read are read now.
pub async fn mark_thread_read(db: &SqlitePool, case_id: i64, party_id: i64, from_court: bool, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE case_messages SET read_at = ? WHERE case_id = ? AND party_id = ? AND from_court = ? AND read_at IS NULL")
        .bind(now.0)
        .bind(case_id)
        .bind(party_id)
        .bind(from_court)
        .execute(db)
        .await?;
    Ok(())
}

/// Every message of the court's cases, thread by thread in time order, for the queue of
/// unanswered ones: (case, case number, party, party name, from court, sent at).
pub async fn court_messages(db: &SqlitePool, court: &str) -> Result<Vec<(i64, String, i64, Option<String>, bool, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.case_id, c.case_number, m.party_id, p.legal_name, m.from_court != 0, m.sent_at FROM case_messages m
         JOIN cases c ON c.id = m.case_id JOIN people p ON p.id = m.party_id WHERE c.court_code = ?
         ORDER BY m.case_id, m.party_id, m.sent_at, m.id",
    )
    .bind(court)
    .fetch_all(db)
    .await
}

/// An attachment with where it belongs: (sha256, name, kind, case, thread party, court).
pub async fn attachment(db: &SqlitePool, id: i64) -> Result<Option<(String, String, String, i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.sha256, a.name, a.kind, m.case_id, m.party_id, c.court_code FROM message_attachments a
         JOIN case_messages m ON m.id = a.message_id JOIN cases c ON c.id = m.case_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A case's number and court (for a thread's page and rights).
pub async fn case_court(db: &SqlitePool, case_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT case_number, court_code FROM cases WHERE id = ?").bind(case_id).fetch_optional(db).await
}

// ---------------------------------------------------------------------------------------------
// The inbox, channels, push subscriptions and the calendar feed

pub async fn unread_notices(db: &SqlitePool, person: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE person_id = ? AND read_at IS NULL").bind(person).fetch_one(db).await
}

/// Marks one of the person's notices read (the first time) and answers where it points.
pub async fn open_notice(db: &SqlitePool, person: i64, id: i64, now: UnixTime) -> Result<Option<String>, sqlx::Error> {
    let link: Option<String> = sqlx::query_scalar("SELECT link FROM notifications WHERE id = ? AND person_id = ?").bind(id).bind(person).fetch_optional(db).await?;
    if link.is_some() {
        sqlx::query("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL").bind(now.0).bind(id).execute(db).await?;
    }
    Ok(link)
}

/// (SMS, push) as the person chose.
pub async fn channels(db: &SqlitePool, person: i64) -> Result<(bool, bool), sqlx::Error> {
    sqlx::query_as("SELECT notify_sms = 1, notify_push = 1 FROM people WHERE id = ?").bind(person).fetch_one(db).await
}

pub async fn set_channels(db: &SqlitePool, person: i64, sms: bool, push: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE people SET notify_sms = ?, notify_push = ? WHERE id = ?").bind(sms).bind(push).bind(person).execute(db).await.map(|_| ())
}

pub async fn push_devices(db: &SqlitePool, person: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions WHERE person_id = ?").bind(person).fetch_one(db).await
}

/// A device's push subscription, as the browser gave it.
pub struct NewSubscription<'a> {
    pub person: i64,
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub locale: &'a str,
    pub now: UnixTime,
}

/// Keeps a device's subscription; a browser that subscribes again (or is handed to someone
/// else who signs in on it) replaces its earlier one.
pub async fn subscribe(db: &SqlitePool, s: NewSubscription<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO push_subscriptions (person_id, endpoint, p256dh, auth, locale, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET person_id = excluded.person_id, p256dh = excluded.p256dh, auth = excluded.auth, locale = excluded.locale, created_at = excluded.created_at",
    )
    .bind(s.person)
    .bind(s.endpoint)
    .bind(s.p256dh)
    .bind(s.auth)
    .bind(s.locale)
    .bind(s.now.0)
    .execute(db)
    .await
    .map(|_| ())
}

/// Forgets a device's subscription if it is the person's; answers whether one was.
pub async fn unsubscribe(db: &SqlitePool, person: i64, endpoint: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM push_subscriptions WHERE person_id = ? AND endpoint = ?").bind(person).bind(endpoint).execute(db).await.map(|r| r.rows_affected() > 0)
}

pub async fn has_calendar(db: &SqlitePool, person: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) > 0 FROM calendar_feeds WHERE person_id = ?").bind(person).fetch_one(db).await
}

/// The person's calendar address from now on (an earlier one stops working).
pub async fn set_calendar(db: &SqlitePool, person: i64, token_hash: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at")
        .bind(person)
        .bind(token_hash)
        .bind(now.0)
        .execute(db)
        .await
        .map(|_| ())
}

/// Whose calendar address this is.
pub async fn calendar_owner(db: &SqlitePool, token_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT person_id FROM calendar_feeds WHERE token_hash = ?").bind(token_hash).fetch_optional(db).await
}
