//! SQL for the court directory.
use super::model::{Court, CourtCode, CourtLevel, DirectoryError, check_directory};
use sqlx::SqlitePool;

/// The directory shipped with Tianping (see courts/README.md for its sources).
pub fn shipped_directory() -> Result<Vec<Court>, String> {
    let courts: Vec<Court> =
        serde_json::from_str(include_str!("directory.json")).map_err(|e| format!("directory.json: {e}"))?;
    check_directory(courts).map_err(|e: DirectoryError| e.to_string())
}

/// Inserts or updates every court in one transaction, parents first; returns how many.
pub async fn upsert_all(db: &SqlitePool, courts: &[Court]) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin().await?;
    for c in courts {
        sqlx::query(
            "INSERT INTO courts (code, name, name_en, level, parent, region, region_code, address, phone)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
               level = excluded.level, parent = excluded.parent, region = excluded.region,
               region_code = excluded.region_code, address = excluded.address, phone = excluded.phone",
        )
        .bind(c.code.as_str())
        .bind(&c.name)
        .bind(&c.name_en)
        .bind(c.level.as_str())
        .bind(c.parent.as_ref().map(CourtCode::as_str))
        .bind(&c.region)
        .bind(&c.region_code)
        .bind(&c.address)
        .bind(c.phone.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(courts.len())
}

type CourtRow = (String, String, String, String, Option<String>, String, String, String, Option<String>);

/// Every court, parents first. Rows that no longer parse are skipped and logged, not fatal.
pub async fn all(db: &SqlitePool) -> Result<Vec<Court>, sqlx::Error> {
    let rows: Vec<CourtRow> = sqlx::query_as(
        "SELECT code, name, name_en, level, parent, region, region_code, address, phone FROM courts
         ORDER BY CASE level WHEN 'supreme' THEN 0 WHEN 'high' THEN 1 WHEN 'intermediate' THEN 2 ELSE 3 END, code",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, name, name_en, level, parent, region, region_code, address, phone)| {
            let court = Court {
                code: CourtCode::parse(&code).ok()?,
                name,
                name_en,
                level: CourtLevel::parse(&level)?,
                parent: parent.and_then(|p| CourtCode::parse(&p).ok()),
                region,
                region_code,
                address,
                phone,
            };
            Some(court)
        })
        .collect())
}
