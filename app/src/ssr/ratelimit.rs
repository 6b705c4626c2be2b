//! Sliding-window rate limits kept in the database, so they hold across restarts and across
//! several app servers sharing one database.
use sqlx::SqlitePool;

/// Records one event in `bucket` unless `max` events already happened in the last `window_s`
/// seconds; then answers how long until the oldest of them leaves the window.
pub async fn hit(db: &SqlitePool, bucket: &str, now: i64, window_s: i64, max: u32) -> Result<Result<(), i64>, sqlx::Error> {
    let since = now - window_s;
    let mut tx = db.begin().await?;
    // Old events of this bucket are pruned as we go; nothing else needs them.
    sqlx::query("DELETE FROM rate_events WHERE bucket = ? AND at <= ?").bind(bucket).bind(since).execute(&mut *tx).await?;
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_events WHERE bucket = ? AND at > ?")
            .bind(bucket)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
    if count >= i64::from(max) {
        tx.commit().await?;
        let retry = oldest.map_or(window_s, |o| (o + window_s - now).max(1));
        return Ok(Err(retry));
    }
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES (?, ?)").bind(bucket).bind(now).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Ok(()))
}
