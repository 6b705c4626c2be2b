//! Signing's SQL (server only): documents, their versions and their signers. A round is read,
//! changed by the rules (`model::Round`) and written back in one write transaction, so two
//! signers answering at once never lose each other's answer.
use super::model::{Document, Round, SignerState, Status};
use crate::identity::model::UnixTime;
use sqlx::{SqliteConnection, SqlitePool};

/// A document as the pages and the rules need it.
#[derive(Clone, Debug)]
pub struct DocumentRow {
    pub id: i64,
    pub case_id: i64,
    pub court_code: String,
    pub case_number: String,
    pub round: Round,
    pub document: Document,
    pub fingerprint: String,
    pub void_reason: Option<String>,
}

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn status_str(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Out => "out",
        Status::AllSigned => "all_signed",
        Status::Sealed => "sealed",
        Status::Declined => "declined",
        Status::Voided => "voided",
    }
}

fn status_of(raw: &str) -> Result<Status, sqlx::Error> {
    [Status::Draft, Status::Out, Status::AllSigned, Status::Sealed, Status::Declined, Status::Voided]
        .into_iter()
        .find(|s| status_str(*s) == raw)
        .ok_or_else(|| sqlx::Error::Decode(format!("signing status {raw}").into()))
}

/// The case's parties who use Tianping, in the order the case lists them: the signers.
pub async fn parties_of(db: &SqlitePool, case_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} SELECT s.person_id, COALESCE(p.legal_name, '') FROM served s JOIN people p ON p.id = s.person_id WHERE s.capacity = 'party' ORDER BY s.person_id",
        crate::cases::store::PEOPLE_SERVED
    ))
    .bind(0)
    .bind(0)
    .bind(case_id)
    .fetch_all(db)
    .await
}

/// A case's court and number.
pub async fn case_of(db: &SqlitePool, case_id: i64) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT c.court_code, c.case_number, co.name FROM cases c JOIN courts co ON co.code = c.court_code WHERE c.id = ?")
        .bind(case_id)
        .fetch_optional(db)
        .await
}

/// Keeps a new document (version 1, a draft) with its signers.
pub async fn create_in(tx: &mut SqliteConnection, case_id: i64, document: &Document, signers: &[i64], by: i64, now: UnixTime) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO signing_documents (case_id, kind, version, status, created_by, created_at) VALUES (?, ?, 1, 'draft', ?, ?) RETURNING id",
    )
    .bind(case_id)
    .bind(document.kind.as_str())
    .bind(by)
    .bind(now.0)
    .fetch_one(&mut *tx)
    .await?;
    add_version_in(tx, id, document, by, now).await?;
    let sent = encode(&SignerState::Sent)?;
    for (n, person) in signers.iter().enumerate() {
        sqlx::query("INSERT INTO signing_signers (document_id, person_id, n, state) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(person)
            .bind(n as i64)
            .bind(&sent)
            .execute(&mut *tx)
            .await?;
    }
    Ok(id)
}

/// Keeps a version's content and fingerprint (a version once kept never changes).
pub async fn add_version_in(tx: &mut SqliteConnection, id: i64, document: &Document, by: i64, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO signing_versions (document_id, version, content, fingerprint, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(id)
        .bind(i64::from(document.version))
        .bind(encode(document)?)
        .bind(document.fingerprint())
        .bind(by)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Reads a document with its current version and round, inside the caller's transaction.
pub async fn document_in(tx: &mut SqliteConnection, id: i64) -> Result<Option<DocumentRow>, sqlx::Error> {
    let row: Option<(i64, String, String, i64, String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT d.case_id, c.court_code, c.case_number, d.version, d.status, d.void_reason, v.content, v.fingerprint
         FROM signing_documents d JOIN cases c ON c.id = d.case_id
         JOIN signing_versions v ON v.document_id = d.id AND v.version = d.version WHERE d.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((case_id, court_code, case_number, version, status, void_reason, content, fingerprint)) = row else { return Ok(None) };
    let signers: Vec<(i64, String)> =
        sqlx::query_as("SELECT person_id, state FROM signing_signers WHERE document_id = ? ORDER BY n").bind(id).fetch_all(&mut *tx).await?;
    let signers = signers.into_iter().map(|(p, s)| Ok((p, decode::<SignerState>(&s)?))).collect::<Result<Vec<_>, sqlx::Error>>()?;
    let round = Round { version: u32::try_from(version).unwrap_or(0), status: status_of(&status)?, signers };
    Ok(Some(DocumentRow { id, case_id, court_code, case_number, round, document: decode(&content)?, fingerprint, void_reason }))
}

pub async fn document(db: &SqlitePool, id: i64) -> Result<Option<DocumentRow>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    document_in(&mut conn, id).await
}

/// Writes a round back after the rules changed it.
pub async fn save_round_in(tx: &mut SqliteConnection, id: i64, round: &Round, void_reason: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_documents SET version = ?, status = ?, void_reason = COALESCE(?, void_reason) WHERE id = ?")
        .bind(i64::from(round.version))
        .bind(status_str(round.status))
        .bind(void_reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (person, state) in &round.signers {
        sqlx::query("UPDATE signing_signers SET state = ? WHERE document_id = ? AND person_id = ?")
            .bind(encode(state)?)
            .bind(id)
            .bind(person)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// A case's documents for signature, newest first: (id, kind, status, version).
pub async fn of_case(db: &SqlitePool, case_id: i64) -> Result<Vec<(i64, String, String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT id, kind, status, version FROM signing_documents WHERE case_id = ? ORDER BY id DESC").bind(case_id).fetch_all(db).await
}

/// The names of people, for the signers' list.
pub async fn names(db: &SqlitePool, people: &[i64]) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::with_capacity(people.len());
    for person in people {
        out.push(crate::filing::store::person_name(db, *person).await?.unwrap_or_default());
    }
    Ok(out)
}
