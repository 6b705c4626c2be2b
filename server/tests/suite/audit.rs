//! The audit log's hash chain, checked by `server audit verify` against a tampered database file.
use server::config::{Config, FileLayer};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_server");

fn config(data: &std::path::Path) -> Config {
    let data = data.display().to_string();
    Config::from_layers(FileLayer::default(), move |k| (k == "TIANPING_DATA_DIR").then(|| data.clone())).expect("config")
}

async fn log_with_three_entries(data: &std::path::Path) {
    let db = server::serve::open_database(&config(data)).await.expect("db");
    for (i, action) in ["session.signed_in", "filing.submitted", "payment.received"].iter().enumerate() {
        let details = serde_json::json!({ "n": i });
        app::ssr::audit::append(&db, 1_800_000_000 + i as i64, "person:1", action, "case:1", &details).await.expect("append");
    }
    db.close().await;
}

/// Opens the file the way an intruder would: directly, triggers dropped.
async fn tamper(data: &std::path::Path, sql: &[&str]) {
    let url = format!("sqlite://{}", data.join("tianping.sqlite3").display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("open file");
    for stmt in ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"].iter().chain(sql) {
        sqlx::query(stmt).execute(&pool).await.expect("tamper");
    }
    pool.close().await;
}

fn verify(data: &std::path::Path) -> (bool, String) {
    let out = Command::new(BIN).args(["audit", "verify"]).env("TIANPING_DATA_DIR", data).env("TIANPING_LOG", "off").output().expect("run");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn an_untouched_log_verifies() {
    let data = tempfile::tempdir().expect("dir");
    log_with_three_entries(data.path()).await;
    let (ok, out) = verify(data.path());
    assert!(ok, "{out}");
    assert!(out.contains("intact: 3 entries"), "{out}");
}

#[tokio::test]
async fn the_application_cannot_update_or_delete_an_entry() {
    let data = tempfile::tempdir().expect("dir");
    log_with_three_entries(data.path()).await;
    let db = server::serve::open_database(&config(data.path())).await.expect("db");
    assert!(sqlx::query("UPDATE audit_log SET actor = 'x' WHERE seq = 1").execute(&db).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 1").execute(&db).await.is_err());
}

#[tokio::test]
async fn an_altered_entry_in_the_file_is_reported() {
    let data = tempfile::tempdir().expect("dir");
    log_with_three_entries(data.path()).await;
    tamper(data.path(), &["UPDATE audit_log SET details = '{\"n\":99}' WHERE seq = 2"]).await;
    let (ok, out) = verify(data.path());
    assert!(!ok);
    assert!(out.contains("entry 2 was altered"), "{out}");
}

#[tokio::test]
async fn a_deleted_entry_in_the_file_is_reported() {
    let data = tempfile::tempdir().expect("dir");
    log_with_three_entries(data.path()).await;
    tamper(data.path(), &["DELETE FROM audit_log WHERE seq = 2"]).await;
    let (ok, out) = verify(data.path());
    assert!(!ok);
    assert!(out.contains("entry 2 is missing"), "{out}");
}

#[tokio::test]
async fn reordered_entries_in_the_file_are_reported() {
    let data = tempfile::tempdir().expect("dir");
    log_with_three_entries(data.path()).await;
    tamper(
        data.path(),
        &[
            "UPDATE audit_log SET seq = 100 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = 100",
        ],
    )
    .await;
    let (ok, out) = verify(data.path());
    assert!(!ok);
    assert!(out.contains("entry 2 does not point to the entry before it"), "{out}");
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    let data = tempfile::tempdir().expect("dir");
    let db = server::serve::open_database(&config(data.path())).await.expect("db");
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                app::ssr::audit::append(&db, 1_800_000_000, "person:1", "test.append", &format!("n:{i}"), &serde_json::json!({}))
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("join").expect("append");
    }
    assert_eq!(app::ssr::audit::verify(&db).await.expect("read"), Ok(20));
}
