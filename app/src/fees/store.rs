//! SQL for fees: fee notices, issued inside the transaction that accepts a filing, and read by
//! the people who may pay them (the filer, and the client a lawyer filed for).
use crate::identity::model::UnixTime;
use sqlx::{SqliteConnection, SqlitePool};

/// A fee notice to issue with a new case.
pub struct NewNotice {
    pub kind: &'static str,
    pub amount_fen: i64,
    /// The calculation as issued (JSON of `model::Working`).
    pub working: String,
    pub deadline: UnixTime,
}

/// Issues the case's fee notice on the accepting transaction's connection.
pub async fn issue_in(conn: &mut SqliteConnection, case_id: i64, n: &NewNotice, now: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO fee_notices (case_id, kind, amount_fen, working, issued_at, deadline) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(case_id)
    .bind(n.kind)
    .bind(n.amount_fen)
    .bind(&n.working)
    .bind(now.0)
    .bind(n.deadline.0)
    .fetch_one(conn)
    .await
}

/// A fee notice with the case it belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub case_number: String,
    pub court_name: String,
    pub filing_id: i64,
    pub kind: String,
    pub amount_fen: i64,
    pub working: String,
    pub issued_at: i64,
    pub deadline: i64,
    pub status: String,
}

/// The notices a person may see and pay: of cases they filed, or that were filed for them.
pub async fn notices_of(db: &SqlitePool, person_id: i64) -> Result<Vec<NoticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, c.case_number, COALESCE(ct.name, c.court_code) AS court_name, c.filing_id, n.kind, n.amount_fen,
                n.working, n.issued_at, n.deadline, n.status
         FROM fee_notices n
         JOIN cases c ON c.id = n.case_id
         JOIN filings f ON f.id = c.filing_id
         LEFT JOIN courts ct ON ct.code = c.court_code
         WHERE f.filer_id = ? OR f.client_id = ?
         ORDER BY n.issued_at DESC, n.id DESC",
    )
    .bind(person_id)
    .bind(person_id)
    .fetch_all(db)
    .await
}
