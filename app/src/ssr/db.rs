//! The SQLite pool: WAL, foreign keys on, a busy timeout, and migrations at start-up.
use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens (creating if needed) the database file and brings its schema up to date.
pub async fn open(file: &Path, max_connections: u32, busy_timeout: Duration) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(busy_timeout);
    let pool = SqlitePoolOptions::new()
        .max_connections(max_connections)
        .connect_with(options)
        .await
        .map_err(|e| DbError::Open(file.display().to_string(), e.to_string()))?;
    MIGRATOR.run(&pool).await.map_err(|e| DbError::Migrate(e.to_string()))?;
    Ok(pool)
}

/// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`). A deferred
/// transaction that reads before it writes fails with "database is locked" when another
/// connection committed in between; waiting for the lock up front makes read-then-write safe
/// (case-number sequences, the audit chain). Dropped without commit, it rolls back.
pub async fn write_tx(db: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// Answers whether the database can be read right now (for `/healthz`).
pub async fn ping(db: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(db).await.map(|_| ())
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {0}: {1}. Check that the data directory exists and is writable (TIANPING_DATA_DIR).")]
    Open(String, String),
    #[error("database migration failed: {0}. The database was not changed by the failed step; restore a backup or fix the migration, then start again.")]
    Migrate(String),
}
