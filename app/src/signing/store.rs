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
    create_for_hearing_in(tx, case_id, None, document, signers, by, now).await
}

/// [`create_in`] for a hearing's record: the document names its hearing.
pub async fn create_for_hearing_in(
    tx: &mut SqliteConnection,
    case_id: i64,
    hearing_id: Option<i64>,
    document: &Document,
    signers: &[i64],
    by: i64,
    now: UnixTime,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO signing_documents (case_id, hearing_id, kind, version, status, created_by, created_at) VALUES (?, ?, ?, 1, 'draft', ?, ?) RETURNING id",
    )
    .bind(case_id)
    .bind(hearing_id)
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

/// A signing code as kept: bound by its hash to one challenge.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub fingerprint: String,
    pub challenge: String,
    pub code_hash: String,
    pub issued_at: i64,
    pub wrong_tries: i64,
    pub used_at: Option<i64>,
    /// Whom it was texted to: the signer, or their lawyer signing for them.
    pub sent_to: i64,
}

/// When the signer was last sent a code for this document (for the resend limit).
pub async fn last_code_at(db: &SqlitePool, document_id: i64, person_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(issued_at) FROM signing_codes WHERE document_id = ? AND person_id = ?")
        .bind(document_id)
        .bind(person_id)
        .fetch_one(db)
        .await
}

/// A code for signer `person_id`'s signature, texted to `sent_to` (they, or their lawyer).
pub struct NewCode<'a> {
    pub document_id: i64,
    pub version: u32,
    pub person_id: i64,
    pub sent_to: i64,
    pub fingerprint: &'a str,
    pub challenge: &'a str,
    pub code_hash: &'a str,
    pub now: UnixTime,
}

pub async fn insert_code(db: &SqlitePool, c: &NewCode<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO signing_codes (document_id, version, person_id, sent_to, fingerprint, challenge, code_hash, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(c.document_id)
        .bind(i64::from(c.version))
        .bind(c.person_id)
        .bind(c.sent_to)
        .bind(c.fingerprint)
        .bind(c.challenge)
        .bind(c.code_hash)
        .bind(c.now.0)
        .execute(db)
        .await
        .map(|_| ())
}

/// The signer's latest code for this version (only the latest counts).
pub async fn latest_code_in(tx: &mut SqliteConnection, document_id: i64, version: u32, person_id: i64) -> Result<Option<CodeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, fingerprint, challenge, code_hash, issued_at, wrong_tries, used_at, COALESCE(sent_to, person_id) AS sent_to FROM signing_codes
         WHERE document_id = ? AND version = ? AND person_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(document_id)
    .bind(i64::from(version))
    .bind(person_id)
    .fetch_optional(&mut *tx)
    .await
}

/// A right code is used up: it never signs again.
pub async fn code_used_in(tx: &mut SqliteConnection, id: i64, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_codes SET used_at = ? WHERE id = ?").bind(now.0).bind(id).execute(&mut *tx).await.map(|_| ())
}

/// A wrong code is counted (five burn it).
pub async fn code_wrong(db: &SqlitePool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_codes SET wrong_tries = wrong_tries + 1 WHERE id = ?").bind(id).execute(db).await.map(|_| ())
}

/// A signature as given.
pub struct NewSignature<'a> {
    pub document_id: i64,
    pub version: u32,
    pub person_id: i64,
    /// Their lawyer, signing for them under special authority.
    pub signed_by: Option<i64>,
    pub fingerprint: &'a str,
    pub method: &'a str,
    pub challenge: &'a str,
    pub credential_id: Option<&'a str>,
    pub mark: &'a super::model::Mark,
    pub now: UnixTime,
}

pub async fn insert_signature_in(tx: &mut SqliteConnection, s: &NewSignature<'_>) -> Result<(), sqlx::Error> {
    let (drawing, typed) = match s.mark {
        super::model::Mark::Drawn(d) => (Some(d.as_str()), None),
        super::model::Mark::Typed(t) => (None, Some(t.as_str())),
    };
    sqlx::query(
        "INSERT INTO signing_signatures (document_id, version, person_id, signed_by, fingerprint, method, challenge, credential_id, drawing, typed_name, signed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.document_id)
    .bind(i64::from(s.version))
    .bind(s.person_id)
    .bind(s.signed_by)
    .bind(s.fingerprint)
    .bind(s.method)
    .bind(s.challenge)
    .bind(s.credential_id)
    .bind(drawing)
    .bind(typed)
    .bind(s.now.0)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// An edit voids every signature still standing (they covered the old content).
pub async fn void_signatures_in(tx: &mut SqliteConnection, document_id: i64, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_signatures SET voided_at = ? WHERE document_id = ? AND voided_at IS NULL")
        .bind(now.0)
        .bind(document_id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// A standing signature with its signer's name, in the order given.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SignatureRow {
    pub name: String,
    /// The lawyer who signed for them, if one did.
    pub agent: Option<String>,
    pub method: String,
    pub credential_id: Option<String>,
    pub challenge: String,
    pub drawing: Option<String>,
    pub typed_name: Option<String>,
    pub signed_at: i64,
}

pub async fn signatures_in(tx: &mut SqliteConnection, document_id: i64, version: u32) -> Result<Vec<SignatureRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(p.legal_name, '') AS name, a.legal_name AS agent, s.method, s.credential_id, s.challenge, s.drawing, s.typed_name, s.signed_at
         FROM signing_signatures s JOIN people p ON p.id = s.person_id LEFT JOIN people a ON a.id = s.signed_by
         WHERE s.document_id = ? AND s.version = ? AND s.voided_at IS NULL ORDER BY s.signed_at, s.id",
    )
    .bind(document_id)
    .bind(i64::from(version))
    .fetch_all(&mut *tx)
    .await
}

/// Keeps the court's seal on the document.
pub async fn seal_in(tx: &mut SqliteConnection, id: i64, at: UnixTime, by: i64, signature: &str, public: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_documents SET sealed_at = ?, sealed_by = ?, seal_signature = ?, seal_public = ? WHERE id = ?")
        .bind(at.0)
        .bind(by)
        .bind(signature)
        .bind(public)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// A document's seal: (sealed at, seal, public key).
pub async fn seal_of_in(tx: &mut SqliteConnection, id: i64) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT sealed_at, seal_signature, seal_public FROM signing_documents WHERE id = ? AND sealed_at IS NOT NULL")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
}

/// The audit log's entries for a document, oldest first: (seq, at, action, hash).
pub async fn log_of_in(tx: &mut SqliteConnection, id: i64) -> Result<Vec<(i64, i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT seq, at, action, hash FROM audit_log WHERE subject = ? ORDER BY seq").bind(format!("signing:{id}")).fetch_all(&mut *tx).await
}

/// The documents a person signs (drafts are the court's own until sent), newest first.
pub async fn ids_for_signer(db: &SqlitePool, person: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT d.id FROM signing_documents d JOIN signing_signers s ON s.document_id = d.id
         WHERE s.person_id = ? AND d.status <> 'draft' ORDER BY d.id DESC LIMIT 100",
    )
    .bind(person)
    .fetch_all(db)
    .await
}

/// The documents sent to the clients of a lawyer holding a live grant over their case (general
/// or special), newest first. Which client, and whether the lawyer may sign, is worked out per
/// document.
pub async fn ids_for_agent(db: &SqlitePool, lawyer: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT DISTINCT d.id FROM signing_documents d JOIN signing_signers s ON s.document_id = d.id JOIN cases c ON c.id = d.case_id
           JOIN representations r ON r.client_id = s.person_id AND r.lawyer_id = ?1 AND r.revoked_at IS NULL AND {}
           JOIN lawyers l ON l.person_id = r.lawyer_id AND l.status = 'verified'
         WHERE d.status <> 'draft' ORDER BY d.id DESC LIMIT 100",
        crate::identity::store::GRANT_COVERS_CASE
    ))
    .bind(lawyer)
    .fetch_all(db)
    .await
}

/// A court's documents for signature, newest first.
pub async fn ids_of_court(db: &SqlitePool, court: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT d.id FROM signing_documents d JOIN cases c ON c.id = d.case_id WHERE c.court_code = ? ORDER BY d.id DESC LIMIT 100")
        .bind(court)
        .fetch_all(db)
        .await
}

/// Every party of a case as the complaint names them, in its order: (side, name). The
/// agreement's template starts from them.
pub async fn case_parties(db: &SqlitePool, case_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT role, name FROM case_parties WHERE case_id = ? ORDER BY n").bind(case_id).fetch_all(db).await
}

/// A court's cases, newest first, for the drafter to pick from: (id, case number).
pub async fn cases_of_court(db: &SqlitePool, court: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, case_number FROM cases WHERE court_code = ? ORDER BY id DESC LIMIT 500").bind(court).fetch_all(db).await
}

/// Keeps the sealed PDF's hash and the case document it was served as.
pub async fn set_pdf_in(tx: &mut SqliteConnection, id: i64, sha256: &str, served_document_id: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_documents SET pdf_sha256 = ?, served_document_id = ? WHERE id = ?")
        .bind(sha256)
        .bind(served_document_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// The sealed document whose PDF has this SHA-256, with its seal: (id, seal).
pub async fn by_pdf(db: &SqlitePool, sha256: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, seal_signature FROM signing_documents WHERE pdf_sha256 = ? AND seal_signature IS NOT NULL").bind(sha256).fetch_optional(db).await
}

/// A sealed document's PDF hash and the case document it was served as.
pub async fn pdf_of(db: &SqlitePool, id: i64) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT pdf_sha256, served_document_id FROM signing_documents WHERE id = ? AND pdf_sha256 IS NOT NULL").bind(id).fetch_optional(db).await
}

/// The hearing record's document for signature that still stands (not voided), if any.
pub async fn for_hearing_in(tx: &mut SqliteConnection, hearing_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM signing_documents WHERE hearing_id = ? AND status <> 'voided' ORDER BY id DESC LIMIT 1").bind(hearing_id).fetch_optional(&mut *tx).await
}
