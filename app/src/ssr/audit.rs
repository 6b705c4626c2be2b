//! The audit log: append-only and hash-chained, so an altered, reordered or deleted entry is
//! found by anyone who walks the chain (`server audit verify`). Every area appends through here.
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

/// The hash the first entry points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so no two different
/// entries encode alike.
pub fn entry_hash(prev_hash: &str, seq: i64, at: i64, actor: &str, action: &str, subject: &str, details: &str) -> String {
    let mut h = Sha256::new();
    for field in [prev_hash, &seq.to_string(), &at.to_string(), actor, action, subject, details] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry in its own write transaction.
pub async fn append(
    db: &SqlitePool,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> Result<Entry, sqlx::Error> {
    let mut tx = super::db::write_tx(db).await?;
    let entry = append_in(&mut tx, at, actor, action, subject, details).await?;
    tx.commit().await?;
    Ok(entry)
}

/// Appends one entry inside the caller's write transaction (begun with `db::write_tx`), so an
/// entry exists exactly when the change it records was committed. The write lock the
/// transaction holds keeps concurrent appends from chaining onto the same predecessor.
pub async fn append_in(
    conn: &mut sqlx::SqliteConnection,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> Result<Entry, sqlx::Error> {
    let details = details.to_string();
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(&prev_hash, seq, at, actor, action, subject, &details);
    sqlx::query("INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(seq)
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(&details)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(Entry { seq, at, actor: actor.into(), action: action.into(), subject: subject.into(), details, prev_hash, hash })
}

/// Where the chain breaks first, and how.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    #[error("entry {expected} is missing (the next one is {found}): deleted or reordered")]
    Missing { expected: i64, found: i64 },
    #[error("entry {0} does not point to the entry before it: inserted, deleted or reordered")]
    BrokenLink(i64),
    #[error("entry {0} was altered: its content no longer matches its hash")]
    Altered(i64),
}

type Row = (i64, i64, String, String, String, String, String, String);

/// Walks the whole chain; returns how many entries are intact, or the first break.
pub async fn verify(db: &SqlitePool) -> Result<Result<i64, Break>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(db)
    .await?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for (seq, at, actor, action, subject, details, prev_hash, hash) in rows {
        if seq != expected_seq {
            return Ok(Err(Break::Missing { expected: expected_seq, found: seq }));
        }
        if prev_hash != expected_prev {
            return Ok(Err(Break::BrokenLink(seq)));
        }
        if entry_hash(&prev_hash, seq, at, &actor, &action, &subject, &details) != hash {
            return Ok(Err(Break::Altered(seq)));
        }
        expected_prev = hash;
        expected_seq += 1;
    }
    Ok(Ok(expected_seq - 1))
}
