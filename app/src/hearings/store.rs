//! The hearings' SQL (server only): a hearing's case and court, its record and the record's reviews.
use sqlx::SqlitePool;

/// A hearing as its socket and its record need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Hearing {
    pub case_id: i64,
    pub court_code: String,
    /// Held online (only these have a socket; every hearing has a record).
    pub online: bool,
}

pub async fn hearing(db: &SqlitePool, hearing_id: i64) -> Result<Option<Hearing>, sqlx::Error> {
    sqlx::query_as("SELECT h.case_id, c.court_code, h.mode = 'online' AS online FROM case_hearings h JOIN cases c ON c.id = h.case_id WHERE h.id = ?")
        .bind(hearing_id)
        .fetch_optional(db)
        .await
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
