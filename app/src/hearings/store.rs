//! The hearings' SQL (server only): a hearing's case and court, its record and the record's reviews.
use sqlx::SqlitePool;

/// A hearing as its socket and its record need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Hearing {
    pub case_id: i64,
    pub court_code: String,
    /// Held online (only these have a socket; every hearing has a record).
    pub online: bool,
    /// The judge ended it online.
    pub ended: bool,
    pub case_number: String,
    pub starts_at: i64,
    pub minutes: i64,
}

pub async fn hearing(db: &SqlitePool, hearing_id: i64) -> Result<Option<Hearing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT h.case_id, c.court_code, h.mode = 'online' AS online, h.ended_at IS NOT NULL AS ended, c.case_number, h.starts_at, h.minutes
         FROM case_hearings h JOIN cases c ON c.id = h.case_id WHERE h.id = ?",
    )
    .bind(hearing_id)
    .fetch_optional(db)
    .await
}

/// Keeps a line of the hearing's chat with its record.
pub async fn keep_chat(db: &SqlitePool, hearing_id: i64, person_id: i64, name: &str, text: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO hearing_chat (hearing_id, person_id, name, text, at) VALUES (?, ?, ?, ?, ?)")
        .bind(hearing_id)
        .bind(person_id)
        .bind(name)
        .bind(text)
        .bind(at)
        .execute(db)
        .await
        .map(|_| ())
}

/// A line of the hearing's chat, as kept.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChatRow {
    pub name: String,
    pub text: String,
    pub at: i64,
}

pub async fn chat(db: &SqlitePool, hearing_id: i64) -> Result<Vec<ChatRow>, sqlx::Error> {
    sqlx::query_as("SELECT name, text, at FROM hearing_chat WHERE hearing_id = ? ORDER BY at, id").bind(hearing_id).fetch_all(db).await
}

/// Marks the hearing ended (the first end counts).
pub async fn end(db: &SqlitePool, hearing_id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE case_hearings SET ended_at = ? WHERE id = ? AND ended_at IS NULL").bind(at).bind(hearing_id).execute(db).await.map(|_| ())
}

/// A published record, with who published it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RecordRow {
    pub body: String,
    pub published_at: i64,
    pub published_by: String,
}

/// A review of a record, with the reviewer's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReviewRow {
    pub person_id: i64,
    pub name: String,
    pub decision: String,
    pub objection: Option<String>,
    pub at: i64,
}

pub async fn record(db: &SqlitePool, hearing_id: i64) -> Result<Option<RecordRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.body, r.published_at, COALESCE(p.legal_name, '') AS published_by
         FROM hearing_records r JOIN people p ON p.id = r.published_by WHERE r.hearing_id = ?",
    )
    .bind(hearing_id)
    .fetch_optional(db)
    .await
}

pub async fn reviews(db: &SqlitePool, hearing_id: i64) -> Result<Vec<ReviewRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.person_id, COALESCE(p.legal_name, '') AS name, v.decision, v.objection, v.at
         FROM hearing_record_reviews v JOIN people p ON p.id = v.person_id WHERE v.hearing_id = ? ORDER BY v.at, v.person_id",
    )
    .bind(hearing_id)
    .fetch_all(db)
    .await
}

/// What publishing came to.
pub enum Published {
    Done,
    /// Someone has reviewed it: it stands.
    Reviewed,
}

/// Publishes (or, until the first review, replaces) the record, with its audit entry, in one
/// transaction: a record exists exactly when the log says it was published.
pub async fn publish(db: &SqlitePool, hearing_id: i64, body: &str, by: i64, now: i64) -> Result<Published, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let reviewed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hearing_record_reviews WHERE hearing_id = ?").bind(hearing_id).fetch_one(&mut *tx).await?;
    if reviewed > 0 {
        return Ok(Published::Reviewed);
    }
    sqlx::query(
        "INSERT INTO hearing_records (hearing_id, body, published_by, published_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(hearing_id) DO UPDATE SET body = ?2, published_by = ?3, published_at = ?4",
    )
    .bind(hearing_id)
    .bind(body)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "chars": body.chars().count() });
    crate::ssr::audit::append_in(&mut tx, now, &format!("person:{by}"), "hearing.record_published", &format!("hearing:{hearing_id}"), &details).await?;
    // The case's people are told the record waits for their review (again after a correction:
    // what they would review has changed).
    let (case_id, case_number): (i64, String) =
        sqlx::query_as("SELECT c.id, c.case_number FROM case_hearings h JOIN cases c ON c.id = h.case_id WHERE h.id = ?").bind(hearing_id).fetch_one(&mut *tx).await?;
    let people: Vec<i64> = crate::cases::store::case_people_in(&mut tx, case_id).await?.iter().map(|r| r.person_id).collect();
    let params = serde_json::json!({ "case_number": case_number });
    crate::cases::store::notify_in(&mut tx, &people, crate::identity::model::UnixTime(now), "notice_record_published", &params, &format!("/hearings/{hearing_id}/record")).await?;
    tx.commit().await?;
    Ok(Published::Done)
}

/// Records a person's review once, with its audit entry; false if they had already reviewed.
pub async fn review(db: &SqlitePool, hearing_id: i64, person: i64, review: &super::model::RecordReview, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let inserted = sqlx::query(
        "INSERT INTO hearing_record_reviews (hearing_id, person_id, decision, objection, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(hearing_id, person_id) DO NOTHING",
    )
    .bind(hearing_id)
    .bind(person)
    .bind(review.decision())
    .bind(review.objection())
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    let action = match review {
        super::model::RecordReview::Accepted => "hearing.record_accepted",
        super::model::RecordReview::Objected(_) => "hearing.record_objected",
    };
    let details = serde_json::json!({ "objection": review.objection() });
    crate::ssr::audit::append_in(&mut tx, now, &format!("person:{person}"), action, &format!("hearing:{hearing_id}"), &details).await?;
    tx.commit().await?;
    Ok(true)
}

/// A hearing in someone's list of hearings. `capacity` is the person's place in the case
/// (`party` or `agent`); NULL in the court's list, where the caller's staff role says it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedHearing {
    pub id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub starts_at: i64,
    pub minutes: i64,
    pub mode: String,
    pub courtroom: Option<String>,
    pub record_published: bool,
    pub capacity: Option<String>,
}

/// The columns of a listed hearing, from `case_hearings h JOIN cases c`.
const LISTED: &str = "h.id, h.case_id, c.case_number, h.starts_at, h.minutes, h.mode, h.courtroom,
    EXISTS (SELECT 1 FROM hearing_records r WHERE r.hearing_id = h.id) AS record_published";

/// How many hearings a list holds at most (the latest ones).
const LIST_LIMIT: i64 = 500;

/// The hearings of the cases a person is a party or a lawyer of, latest first. The person's
/// cases and capacity are worked out as `cases::store::case_capacity` does for one case (the
/// linked parties, the filing's client, the filer unless they filed as the lawyer, and the
/// lawyers acting; a party who is also an agent counts as a party), so every hearing listed
/// opens for them.
pub async fn hearings_of_person(db: &SqlitePool, person: i64) -> Result<Vec<ListedHearing>, sqlx::Error> {
    sqlx::query_as(&format!(
        "WITH mine AS (
            SELECT case_id, 'party' AS capacity FROM case_parties WHERE person_id = ?1
            UNION SELECT c.id, 'party' FROM cases c JOIN filings f ON f.id = c.filing_id WHERE f.client_id = ?1
            UNION SELECT c.id, 'party' FROM cases c JOIN filings f ON f.id = c.filing_id WHERE f.filer_id = ?1
              AND ?1 NOT IN (SELECT person_id FROM case_agents WHERE case_id = c.id)
            UNION SELECT case_id, 'agent' FROM case_agents WHERE person_id = ?1
        ), roles AS (SELECT case_id, MAX(capacity) AS capacity FROM mine GROUP BY case_id)
        SELECT {LISTED}, roles.capacity
        FROM case_hearings h JOIN cases c ON c.id = h.case_id JOIN roles ON roles.case_id = h.case_id
        ORDER BY h.starts_at DESC, h.id DESC LIMIT ?2"
    ))
    .bind(person)
    .bind(LIST_LIMIT)
    .fetch_all(db)
    .await
}

/// The hearings of a court's cases, latest first.
pub async fn hearings_of_court(db: &SqlitePool, court: &str) -> Result<Vec<ListedHearing>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LISTED}, NULL AS capacity FROM case_hearings h JOIN cases c ON c.id = h.case_id
         WHERE c.court_code = ?1 ORDER BY h.starts_at DESC, h.id DESC LIMIT ?2"
    ))
    .bind(court)
    .bind(LIST_LIMIT)
    .fetch_all(db)
    .await
}

/// A file of the case's evidence, with its evidence item, for showing in the hearing.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EvidenceFile {
    pub id: i64,
    pub n: i64,
    pub item: String,
    pub name: String,
    pub kind: String,
    pub sha256: String,
}

/// Every file of the case's evidence list, in the list's order.
pub async fn evidence_files(db: &SqlitePool, case_id: i64) -> Result<Vec<EvidenceFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, e.n, e.name AS item, f.name, f.kind, f.sha256
         FROM case_evidence e JOIN case_evidence_files ef ON ef.evidence_id = e.id JOIN filing_files f ON f.id = ef.file_id
         WHERE e.case_id = ? ORDER BY e.n, f.id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await
}

/// Whether the person filed the case, or is the client it was filed for: their side's evidence.
pub async fn filed_by_or_for(db: &SqlitePool, case_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM cases c JOIN filings f ON f.id = c.filing_id WHERE c.id = ? AND (f.filer_id = ? OR f.client_id = ?)",
    )
    .bind(case_id)
    .bind(person_id)
    .bind(person_id)
    .fetch_one(db)
    .await
    .map(|n| n > 0)
}
