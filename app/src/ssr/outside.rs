//! The outside systems identity needs, each a trait with a built-in sandbox: the SMS gateway
//! and the national identity registry. Sandboxes are configuration, not test doubles: the same
//! code path runs against them as against a real provider.
use crate::identity::model::{LegalName, MobileNumber, RegistryAnswer, ResidentId};
use sqlx::SqlitePool;
use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, thiserror::Error)]
pub enum OutsideError {
    #[error("the outside system is unavailable: {0}")]
    Unavailable(String),
}

impl From<sqlx::Error> for OutsideError {
    fn from(e: sqlx::Error) -> Self {
        OutsideError::Unavailable(e.to_string())
    }
}

/// Sends text messages to mobile numbers.
pub trait Sms: Send + Sync {
    fn send<'a>(&'a self, to: &'a MobileNumber, text: &'a str, at: i64) -> BoxFuture<'a, Result<(), OutsideError>>;
}

/// The sandbox SMS gateway: keeps every message in an outbox table shown at `/sandbox/sms`.
pub struct SandboxSms {
    pub db: SqlitePool,
}

impl Sms for SandboxSms {
    fn send<'a>(&'a self, to: &'a MobileNumber, text: &'a str, at: i64) -> BoxFuture<'a, Result<(), OutsideError>> {
        Box::pin(async move {
            sqlx::query("INSERT INTO sandbox_sms (at, mobile, text) VALUES (?, ?, ?)")
                .bind(at)
                .bind(to.as_str())
                .bind(text)
                .execute(&self.db)
                .await?;
            Ok(())
        })
    }
}

/// A gateway for deployments without an SMS contract yet: refuses, so nobody waits for a code
/// that never comes.
pub struct NoSms;

impl Sms for NoSms {
    fn send<'a>(&'a self, _: &'a MobileNumber, _: &'a str, _: i64) -> BoxFuture<'a, Result<(), OutsideError>> {
        Box::pin(async { Err(OutsideError::Unavailable("no SMS gateway is configured".into())) })
    }
}

/// One message in the sandbox outbox.
#[derive(Clone, Debug)]
pub struct OutboxMessage {
    pub at: i64,
    pub mobile: String,
    pub text: String,
}

/// The newest messages first, optionally only those to one number.
pub async fn sandbox_outbox(db: &SqlitePool, to: Option<&str>, limit: i64) -> Result<Vec<OutboxMessage>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT at, mobile, text FROM sandbox_sms WHERE (?1 IS NULL OR mobile = ?1) ORDER BY id DESC LIMIT ?2",
    )
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(at, mobile, text)| OutboxMessage { at, mobile, text }).collect())
}

/// Checks a name and ID number against the national population registry (公安部人口信息).
pub trait IdentityRegistry: Send + Sync {
    fn check<'a>(&'a self, name: &'a LegalName, id: &'a ResidentId) -> BoxFuture<'a, Result<RegistryAnswer, OutsideError>>;
}

/// The sandbox registry: a table seeded from `identity/sandbox_registry.json`, including
/// numbers of deceased and cancelled registrations, so every answer can be exercised.
pub struct SandboxRegistry {
    pub db: SqlitePool,
}

/// The seed of the sandbox registry, shipped in the binary.
pub const SANDBOX_REGISTRY: &str = include_str!("../identity/sandbox_registry.json");

#[derive(serde::Deserialize)]
struct RegistryEntry {
    id_number: String,
    legal_name: String,
    status: String,
}

impl SandboxRegistry {
    /// Loads the shipped identities (idempotent).
    pub async fn seed(db: &SqlitePool) -> Result<usize, String> {
        let entries: Vec<RegistryEntry> =
            serde_json::from_str(SANDBOX_REGISTRY).map_err(|e| format!("sandbox registry is not valid JSON: {e}"))?;
        for e in &entries {
            sqlx::query("INSERT OR REPLACE INTO sandbox_registry (id_number, legal_name, status) VALUES (?, ?, ?)")
                .bind(&e.id_number)
                .bind(&e.legal_name)
                .bind(&e.status)
                .execute(db)
                .await
                .map_err(|e| format!("seeding the sandbox registry failed: {e}"))?;
        }
        Ok(entries.len())
    }
}

impl IdentityRegistry for SandboxRegistry {
    fn check<'a>(&'a self, name: &'a LegalName, id: &'a ResidentId) -> BoxFuture<'a, Result<RegistryAnswer, OutsideError>> {
        Box::pin(async move {
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT legal_name, status FROM sandbox_registry WHERE id_number = ?")
                    .bind(id.as_str())
                    .fetch_optional(&self.db)
                    .await?;
            Ok(match row {
                Some((_, status)) if status != "valid" => RegistryAnswer::NotValid,
                Some((registered, _)) if registered == name.as_str() => RegistryAnswer::Match,
                Some(_) => RegistryAnswer::NameMismatch,
                None => RegistryAnswer::NotValid,
            })
        })
    }
}

/// Used where no registry is configured: every check fails as unavailable.
pub struct NoRegistry;

impl IdentityRegistry for NoRegistry {
    fn check<'a>(&'a self, _: &'a LegalName, _: &'a ResidentId) -> BoxFuture<'a, Result<RegistryAnswer, OutsideError>> {
        Box::pin(async { Err(OutsideError::Unavailable("no identity registry is configured".into())) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::model::ResidentId;

    #[test]
    fn every_seeded_identity_has_a_valid_number_and_name() {
        let entries: Vec<RegistryEntry> = serde_json::from_str(SANDBOX_REGISTRY).unwrap();
        assert!(entries.len() >= 30);
        for e in &entries {
            assert!(ResidentId::parse(&e.id_number).is_ok(), "{}", e.id_number);
            assert!(LegalName::parse(&e.legal_name).is_ok(), "{}", e.legal_name);
        }
        assert!(entries.iter().any(|e| e.status != "valid"), "the failure path needs invalid registrations");
    }
}
