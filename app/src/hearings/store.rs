//! The hearings' SQL (server only): which online hearing a socket is for, and who the court
//! expects at it.
use sqlx::SqlitePool;

/// An online hearing as the socket needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OnlineHearing {
    pub case_id: i64,
    pub court_code: String,
}

/// The hearing, if it is held online (a courtroom hearing has no socket).
pub async fn online_hearing(db: &SqlitePool, hearing_id: i64) -> Result<Option<OnlineHearing>, sqlx::Error> {
    sqlx::query_as("SELECT h.case_id, c.court_code FROM case_hearings h JOIN cases c ON c.id = h.case_id WHERE h.id = ? AND h.mode = 'online'")
        .bind(hearing_id)
        .fetch_optional(db)
        .await
}
