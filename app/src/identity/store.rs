//! SQL for identity: people, sessions and one-time codes. Rows become model types here.
use crate::identity::model::{DeviceProfile, DeviceView, OtpChallenge, OtpCode, SessionEnd, SessionTimes, UnixTime};
use crate::ssr::cx::Caller;
use sqlx::SqlitePool;

// ---------------------------------------------------------------------------------------------
// People

/// The person with this number, created if new. Returns (id, newly created).
pub async fn find_or_create_person(db: &SqlitePool, mobile: &str, now: UnixTime) -> Result<(i64, bool), sqlx::Error> {
    let inserted = sqlx::query("INSERT INTO people (mobile, created_at) VALUES (?, ?) ON CONFLICT(mobile) DO NOTHING")
        .bind(mobile)
        .bind(now.0)
        .execute(db)
        .await?
        .rows_affected()
        == 1;
    let id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = ?").bind(mobile).fetch_one(db).await?;
    Ok((id, inserted))
}

pub struct PersonRow {
    pub mobile: String,
    pub legal_name: Option<String>,
    pub id_masked: Option<String>,
    pub verified_at: Option<i64>,
}

pub async fn person(db: &SqlitePool, id: i64) -> Result<Option<PersonRow>, sqlx::Error> {
    let row: Option<(String, Option<String>, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT mobile, legal_name, id_masked, verified_at FROM people WHERE id = ?")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(mobile, legal_name, id_masked, verified_at)| PersonRow { mobile, legal_name, id_masked, verified_at }))
}

/// Why recording a verification did not happen.
pub enum VerifyConflict {
    /// The same ID number is already verified on another account.
    IdOnAnotherAccount,
}

/// Records a passed real-name verification: the name, the encrypted number, its look-up hash.
pub async fn set_verified(
    db: &SqlitePool,
    person_id: i64,
    legal_name: &str,
    id_cipher: &[u8],
    id_lookup: &str,
    id_masked: &str,
    now: UnixTime,
) -> Result<Result<(), VerifyConflict>, sqlx::Error> {
    let other: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id_lookup = ? AND id <> ?")
        .bind(id_lookup)
        .bind(person_id)
        .fetch_optional(db)
        .await?;
    if other.is_some() {
        return Ok(Err(VerifyConflict::IdOnAnotherAccount));
    }
    let result = sqlx::query(
        "UPDATE people SET legal_name = ?, id_cipher = ?, id_lookup = ?, id_masked = ?, verified_at = ? WHERE id = ?",
    )
    .bind(legal_name)
    .bind(id_cipher)
    .bind(id_lookup)
    .bind(id_masked)
    .bind(now.0)
    .bind(person_id)
    .execute(db)
    .await;
    match result {
        Ok(_) => Ok(Ok(())),
        // Two accounts verifying the same number at once: the unique index lets one win.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Err(VerifyConflict::IdOnAnotherAccount)),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// One-time codes

/// When codes were sent to this number in the last day, and when its last code was burnt.
pub async fn code_history(db: &SqlitePool, mobile: &str, now: UnixTime) -> Result<(Vec<UnixTime>, Option<UnixTime>), sqlx::Error> {
    let sent: Vec<i64> = sqlx::query_scalar("SELECT sent_at FROM sms_codes WHERE mobile = ? AND sent_at > ?")
        .bind(mobile)
        .bind(now.0 - 24 * 3600)
        .fetch_all(db)
        .await?;
    let burnt: Option<i64> = sqlx::query_scalar("SELECT MAX(burnt_at) FROM sms_codes WHERE mobile = ?").bind(mobile).fetch_one(db).await?;
    Ok((sent.into_iter().map(UnixTime).collect(), burnt.map(UnixTime)))
}

pub struct NewCode<'a> {
    pub token_hash: &'a str,
    pub mobile: &'a str,
    pub purpose: &'a str,
    pub code: &'a OtpCode,
    pub now: UnixTime,
    pub next_path: &'a str,
    pub session_id: Option<i64>,
}

pub async fn insert_code(db: &SqlitePool, c: NewCode<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sms_codes (token_hash, mobile, purpose, code, sent_at, next_path, session_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(c.token_hash)
    .bind(c.mobile)
    .bind(c.purpose)
    .bind(c.code.as_str())
    .bind(c.now.0)
    .bind(c.next_path)
    .bind(c.session_id)
    .execute(db)
    .await?;
    Ok(())
}

/// A code as stored, with what it was for.
pub struct CodeRow {
    pub id: i64,
    pub mobile: String,
    pub purpose: String,
    pub next_path: String,
    pub session_id: Option<i64>,
    pub challenge: OtpChallenge,
}

pub async fn code_by_token(db: &SqlitePool, token_hash: &str) -> Result<Option<CodeRow>, sqlx::Error> {
    type Row = (i64, String, String, String, i64, i64, i64, String, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, mobile, purpose, code, sent_at, wrong_tries, used, next_path, session_id FROM sms_codes WHERE token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(id, mobile, purpose, code, sent_at, wrong_tries, used, next_path, session_id)| {
        let code = OtpCode::parse(&code)?;
        let challenge = OtpChallenge {
            code,
            issued_at: UnixTime(sent_at),
            wrong_tries: u32::try_from(wrong_tries).unwrap_or(u32::MAX),
            used: used != 0,
        };
        Some(CodeRow { id, mobile, purpose, next_path, session_id, challenge })
    }))
}

/// Stores a code's state after a try; `burnt` starts the number's cool-down.
pub async fn save_code_state(db: &SqlitePool, id: i64, c: &OtpChallenge, burnt_at: Option<UnixTime>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sms_codes SET wrong_tries = ?, used = ?, burnt_at = COALESCE(burnt_at, ?) WHERE id = ?")
        .bind(i64::from(c.wrong_tries))
        .bind(i64::from(c.used))
        .bind(burnt_at.map(|t| t.0))
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Sessions

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub person_id: i64,
    pub now: UnixTime,
    pub idle_secs: i64,
    pub kiosk_device: Option<&'a str>,
    pub browser: &'a str,
    pub profile: DeviceProfile,
    pub place: &'a str,
    /// A sign-in by code or passkey is itself a fresh authentication.
    pub stepped_up: bool,
}

pub async fn create_session(db: &SqlitePool, s: NewSession<'_>) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO sessions (token_hash, person_id, created_at, last_seen, stepped_up_at, idle_secs, kiosk_device, browser, profile, place)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.token_hash)
    .bind(s.person_id)
    .bind(s.now.0)
    .bind(s.now.0)
    .bind(s.stepped_up.then_some(s.now.0))
    .bind(s.idle_secs)
    .bind(s.kiosk_device)
    .bind(s.browser)
    .bind(s.profile.as_str())
    .bind(s.place)
    .execute(db)
    .await?
    .last_insert_rowid();
    Ok(id)
}

pub enum Resolved {
    Live(Caller),
    /// The session existed but has just run out (idle or absolute).
    Ended { session_id: i64, person_id: i64, reason: &'static str },
    Unknown,
}

/// Looks a session up by its token hash, ends it if it has run out, else marks it seen.
pub async fn resolve_session(db: &SqlitePool, token_hash: &str, now: UnixTime) -> Result<Resolved, sqlx::Error> {
    type Row = (i64, i64, i64, i64, Option<i64>, i64, String, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.id, s.person_id, s.created_at, s.last_seen, s.stepped_up_at, s.idle_secs, p.mobile, p.verified_at
         FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = ? AND s.ended_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    let Some((session_id, person_id, created_at, last_seen, stepped_up_at, idle_secs, mobile, verified_at)) = row else {
        return Ok(Resolved::Unknown);
    };
    let times = SessionTimes {
        created_at: UnixTime(created_at),
        last_seen: UnixTime(last_seen),
        stepped_up_at: stepped_up_at.map(UnixTime),
        idle_secs,
    };
    if let Err(end) = times.check(now) {
        let reason = match end {
            SessionEnd::Idle => "idle",
            SessionEnd::Absolute => "absolute",
        };
        end_session(db, session_id, now, reason).await?;
        return Ok(Resolved::Ended { session_id, person_id, reason });
    }
    sqlx::query("UPDATE sessions SET last_seen = ? WHERE id = ? AND last_seen < ?")
        .bind(now.0)
        .bind(session_id)
        .bind(now.0)
        .execute(db)
        .await?;
    Ok(Resolved::Live(Caller { person_id, session_id, mobile, verified: verified_at.is_some(), times }))
}

/// A new token for the same session (after a step-up), and a fresh authentication time.
pub async fn rotate_session(db: &SqlitePool, session_id: i64, new_token_hash: &str, stepped_up_at: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET token_hash = ?, stepped_up_at = ? WHERE id = ? AND ended_at IS NULL")
        .bind(new_token_hash)
        .bind(stepped_up_at.0)
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn end_session(db: &SqlitePool, session_id: i64, now: UnixTime, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL")
        .bind(now.0)
        .bind(reason)
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends one of a person's sessions; false when it is not theirs or already ended.
pub async fn end_own_session(db: &SqlitePool, person_id: i64, session_id: i64, now: UnixTime) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE sessions SET ended_at = ?, end_reason = 'signed_out_remotely' WHERE id = ? AND person_id = ? AND ended_at IS NULL")
        .bind(now.0)
        .bind(session_id)
        .bind(person_id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Ends every session of a person but one; returns how many ended.
pub async fn end_other_sessions(db: &SqlitePool, person_id: i64, keep: i64, now: UnixTime) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("UPDATE sessions SET ended_at = ?, end_reason = 'signed_out_elsewhere' WHERE person_id = ? AND id <> ? AND ended_at IS NULL")
        .bind(now.0)
        .bind(person_id)
        .bind(keep)
        .execute(db)
        .await?
        .rows_affected())
}

/// The sessions of a person that are still alive at `now`, most recently used first.
pub async fn devices(db: &SqlitePool, person_id: i64, current: i64, now: UnixTime) -> Result<Vec<DeviceView>, sqlx::Error> {
    type Row = (i64, String, String, String, i64, i64, Option<i64>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, browser, profile, place, created_at, last_seen, stepped_up_at, idle_secs FROM sessions
         WHERE person_id = ? AND ended_at IS NULL ORDER BY last_seen DESC, id DESC",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, _, created_at, last_seen, stepped_up_at, idle_secs)| {
            SessionTimes {
                created_at: UnixTime(*created_at),
                last_seen: UnixTime(*last_seen),
                stepped_up_at: stepped_up_at.map(UnixTime),
                idle_secs: *idle_secs,
            }
            .check(now)
            .is_ok()
        })
        .map(|(id, browser, profile, place, created_at, last_seen, _, _)| DeviceView {
            id,
            browser,
            profile: DeviceProfile::from_str_lossy(&profile),
            place,
            signed_in_at: UnixTime(created_at),
            last_seen: UnixTime(last_seen),
            current: id == current,
        })
        .collect())
}

/// Ends the sessions started on a kiosk device (its idle wipe or sign-out).
pub async fn end_kiosk_session(db: &SqlitePool, token_hash: &str, now: UnixTime) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT id, person_id FROM sessions WHERE token_hash = ? AND ended_at IS NULL")
        .bind(token_hash)
        .fetch_optional(db)
        .await?;
    if let Some((id, _)) = row {
        end_session(db, id, now, "kiosk_reset").await?;
    }
    Ok(row)
}

// ---------------------------------------------------------------------------------------------
// Passkeys

/// The person's WebAuthn user handle, created on first use.
pub async fn user_handle(db: &SqlitePool, person_id: i64, fresh: &str) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE people SET user_handle = ? WHERE id = ? AND user_handle IS NULL").bind(fresh).bind(person_id).execute(db).await?;
    sqlx::query_scalar("SELECT user_handle FROM people WHERE id = ?").bind(person_id).fetch_one(db).await
}

pub async fn person_by_user_handle(db: &SqlitePool, handle: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM people WHERE user_handle = ?").bind(handle).fetch_optional(db).await
}

/// (row id, serialised passkey) of each of a person's passkeys.
pub async fn passkeys_of(db: &SqlitePool, person_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, passkey FROM passkeys WHERE person_id = ? ORDER BY id").bind(person_id).fetch_all(db).await
}

pub async fn passkey_views(db: &SqlitePool, person_id: i64) -> Result<Vec<crate::identity::model::PasskeyView>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, Option<i64>)> =
        sqlx::query_as("SELECT id, name, created_at, last_used_at FROM passkeys WHERE person_id = ? ORDER BY id")
            .bind(person_id)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, created_at, last_used_at)| crate::identity::model::PasskeyView {
            id,
            name,
            created_at: UnixTime(created_at),
            last_used_at: last_used_at.map(UnixTime),
        })
        .collect())
}

pub async fn insert_passkey(db: &SqlitePool, person_id: i64, cred_id: &str, passkey: &str, name: &str, now: UnixTime) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query("INSERT INTO passkeys (person_id, cred_id, passkey, name, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(person_id)
        .bind(cred_id)
        .bind(passkey)
        .bind(name)
        .bind(now.0)
        .execute(db)
        .await?
        .last_insert_rowid())
}

/// After a successful authentication: the new counter and when it was used.
pub async fn passkey_used(db: &SqlitePool, id: i64, passkey: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE passkeys SET passkey = ?, last_used_at = ? WHERE id = ?").bind(passkey).bind(now.0).bind(id).execute(db).await?;
    Ok(())
}

/// Renames one of the person's passkeys; false when it is not theirs.
pub async fn rename_passkey(db: &SqlitePool, person_id: i64, id: i64, name: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE passkeys SET name = ? WHERE id = ? AND person_id = ?").bind(name).bind(id).bind(person_id).execute(db).await?.rows_affected();
    Ok(n == 1)
}

/// Removes one of the person's passkeys; false when it is not theirs.
pub async fn remove_passkey(db: &SqlitePool, person_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("DELETE FROM passkeys WHERE id = ? AND person_id = ?").bind(id).bind(person_id).execute(db).await?.rows_affected();
    Ok(n == 1)
}

pub async fn passkey_count(db: &SqlitePool, person_id: i64) -> Result<usize, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE person_id = ?").bind(person_id).fetch_one(db).await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// WebAuthn ceremony state

pub async fn insert_challenge(
    db: &SqlitePool,
    token_hash: &str,
    kind: &str,
    person_id: Option<i64>,
    session_id: Option<i64>,
    state: &str,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO webauthn_challenges (token_hash, kind, person_id, session_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(token_hash)
        .bind(kind)
        .bind(person_id)
        .bind(session_id)
        .bind(state)
        .bind(now.0)
        .execute(db)
        .await?;
    // Old ceremonies are of no use to anyone.
    sqlx::query("DELETE FROM webauthn_challenges WHERE created_at < ?").bind(now.0 - 3600).execute(db).await?;
    Ok(())
}

/// Takes a ceremony's state once: marks it used in the same statement, so a replay or a second
/// tab finds nothing. Only unexpired ceremonies of the given kind (and person/session) match.
pub async fn take_challenge(
    db: &SqlitePool,
    token_hash: &str,
    kind: &str,
    person_id: Option<i64>,
    session_id: Option<i64>,
    not_before: UnixTime,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE webauthn_challenges SET used = 1
         WHERE token_hash = ? AND kind = ? AND used = 0 AND created_at > ?
           AND person_id IS ? AND session_id IS ?
         RETURNING state",
    )
    .bind(token_hash)
    .bind(kind)
    .bind(not_before.0)
    .bind(person_id)
    .bind(session_id)
    .fetch_optional(db)
    .await
}
