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
    /// Empty for staff.
    pub mobile: String,
    pub legal_name: Option<String>,
    pub id_masked: Option<String>,
    pub verified_at: Option<i64>,
}

pub async fn person(db: &SqlitePool, id: i64) -> Result<Option<PersonRow>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT mobile, legal_name, id_masked, verified_at FROM people WHERE id = ?")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(mobile, legal_name, id_masked, verified_at)| PersonRow { mobile: mobile.unwrap_or_default(), legal_name, id_masked, verified_at }))
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
    type Row = (i64, i64, i64, i64, Option<i64>, i64, Option<String>, Option<i64>, Option<String>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.id, s.person_id, s.created_at, s.last_seen, s.stepped_up_at, s.idle_secs, p.mobile, p.verified_at, p.court_code, p.role
         FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = ? AND s.ended_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    let Some((session_id, person_id, created_at, last_seen, stepped_up_at, idle_secs, mobile, verified_at, court, role)) = row else {
        return Ok(Resolved::Unknown);
    };
    let staff = match (court, role) {
        (Some(court), Some(role)) => crate::courts::model::CourtCode::parse(&court).ok().zip(crate::identity::model::StaffRole::parse(&role)),
        _ => None,
    };
    let mobile = mobile.unwrap_or_default();
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
    touch_session(db, session_id, now).await?;
    Ok(Resolved::Live(Caller { person_id, session_id, mobile, verified: verified_at.is_some(), times, staff }))
}

/// Marks a live session as in use now, so it does not idle out (an ended one stays ended).
pub async fn touch_session(db: &SqlitePool, session_id: i64, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen = ? WHERE id = ? AND last_seen < ? AND ended_at IS NULL")
        .bind(now.0)
        .bind(session_id)
        .bind(now.0)
        .execute(db)
        .await
        .map(|_| ())
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

// ---------------------------------------------------------------------------------------------
// Court staff

/// Creates a staff account and its enrolment link's hash, in one transaction.
pub async fn create_staff(db: &SqlitePool, court: &str, role: &str, name: &str, token_hash: &str, now: UnixTime, expires_at: UnixTime) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = sqlx::query("INSERT INTO people (kind, court_code, role, legal_name, created_at) VALUES ('staff', ?, ?, ?, ?)")
        .bind(court)
        .bind(role)
        .bind(name)
        .bind(now.0)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
    sqlx::query("INSERT INTO staff_enrolments (token_hash, person_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(id)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The staff account an unused, unexpired enrolment link is for.
pub async fn enrolment(db: &SqlitePool, token_hash: &str, now: UnixTime) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT person_id FROM staff_enrolments WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")
        .bind(token_hash)
        .bind(now.0)
        .fetch_optional(db)
        .await
}

/// Uses an enrolment link up; false when it was already used (a second tab, a replay).
pub async fn use_enrolment(db: &SqlitePool, token_hash: &str, now: UnixTime) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE staff_enrolments SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")
        .bind(now.0)
        .bind(token_hash)
        .bind(now.0)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

pub async fn staff_view(db: &SqlitePool, person_id: i64) -> Result<Option<crate::identity::model::StaffView>, sqlx::Error> {
    let row: Option<(Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT p.legal_name, p.court_code, c.name, p.role FROM people p JOIN courts c ON c.code = p.court_code WHERE p.id = ? AND p.kind = 'staff'",
    )
    .bind(person_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(name, court_code, court_name, role)| {
        Some(crate::identity::model::StaffView { name: name.unwrap_or_default(), court_code, court_name, role: crate::identity::model::StaffRole::parse(&role)? })
    }))
}

pub async fn is_staff(db: &SqlitePool, person_id: i64) -> Result<bool, sqlx::Error> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM people WHERE id = ?").bind(person_id).fetch_optional(db).await?;
    Ok(kind.as_deref() == Some("staff"))
}

// ---------------------------------------------------------------------------------------------
// Lawyers and representation

/// Submits (or resubmits after a refusal) a lawyer profile for a clerk to verify.
pub async fn submit_lawyer(db: &SqlitePool, person_id: i64, licence: &str, firm: &str, region: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lawyers (person_id, licence, firm, region, status, submitted_at) VALUES (?, ?, ?, ?, 'pending', ?)
         ON CONFLICT(person_id) DO UPDATE SET licence = excluded.licence, firm = excluded.firm, region = excluded.region,
           status = 'pending', submitted_at = excluded.submitted_at, decided_at = NULL, decided_by = NULL, reason = NULL",
    )
    .bind(person_id)
    .bind(licence)
    .bind(firm)
    .bind(region)
    .bind(now.0)
    .execute(db)
    .await?;
    Ok(())
}

type LawyerRow = (i64, Option<String>, String, String, String, String, i64, Option<String>);

const LAWYER_COLUMNS: &str = "l.person_id, p.legal_name, l.licence, l.firm, l.region, l.status, l.submitted_at, l.reason";

fn lawyer_view(r: LawyerRow) -> crate::identity::model::LawyerView {
    let (person_id, name, licence, firm, region, status, submitted_at, reason) = r;
    crate::identity::model::LawyerView {
        person_id,
        name: name.unwrap_or_default(),
        licence,
        firm,
        region,
        status: crate::identity::model::LawyerStatus::from_str_lossy(&status),
        submitted_at: UnixTime(submitted_at),
        reason,
    }
}

pub async fn lawyer(db: &SqlitePool, person_id: i64) -> Result<Option<crate::identity::model::LawyerView>, sqlx::Error> {
    let row: Option<LawyerRow> = sqlx::query_as(&format!("SELECT {LAWYER_COLUMNS} FROM lawyers l JOIN people p ON p.id = l.person_id WHERE l.person_id = ?"))
        .bind(person_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(lawyer_view))
}

pub async fn verified_lawyer_by_licence(db: &SqlitePool, licence: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT person_id FROM lawyers WHERE licence = ? AND status = 'verified'").bind(licence).fetch_optional(db).await
}

/// Pending profiles of lawyers practising in a province, oldest first.
pub async fn pending_lawyers(db: &SqlitePool, province: &str) -> Result<Vec<crate::identity::model::LawyerView>, sqlx::Error> {
    let rows: Vec<LawyerRow> = sqlx::query_as(&format!(
        "SELECT {LAWYER_COLUMNS} FROM lawyers l JOIN people p ON p.id = l.person_id WHERE l.status = 'pending' AND l.region = ? ORDER BY l.submitted_at, l.person_id"
    ))
    .bind(province)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(lawyer_view).collect())
}

/// Records a clerk's decision on a pending profile; false when it is no longer pending.
pub async fn decide_lawyer(db: &SqlitePool, person_id: i64, verified: bool, by: i64, reason: Option<&str>, now: UnixTime) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE lawyers SET status = ?, decided_at = ?, decided_by = ?, reason = ? WHERE person_id = ? AND status = 'pending'")
        .bind(if verified { "verified" } else { "rejected" })
        .bind(now.0)
        .bind(by)
        .bind(reason)
        .bind(person_id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// What granting did.
pub enum Granted {
    New(i64),
    /// The live grant for the same matter now has the other authority.
    Changed(i64),
    /// The same live grant already exists.
    Same,
}

/// A new grant, or the live one for the same matter given the asked authority.
pub async fn grant(
    db: &SqlitePool,
    client: i64,
    lawyer: i64,
    scope: &crate::identity::model::Scope,
    authority: crate::identity::model::Authority,
    now: UnixTime,
) -> Result<Granted, sqlx::Error> {
    let result = sqlx::query("INSERT INTO representations (client_id, lawyer_id, scope_kind, scope_ref, authority, granted_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(client)
        .bind(lawyer)
        .bind(scope.kind())
        .bind(scope.reference())
        .bind(authority.as_str())
        .bind(now.0)
        .execute(db)
        .await;
    match result {
        Ok(r) => Ok(Granted::New(r.last_insert_rowid())),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let changed: Option<i64> = sqlx::query_scalar(
                "UPDATE representations SET authority = ?5
                 WHERE client_id = ?1 AND lawyer_id = ?2 AND scope_kind = ?3 AND scope_ref = ?4 AND revoked_at IS NULL AND authority <> ?5 RETURNING id",
            )
            .bind(client)
            .bind(lawyer)
            .bind(scope.kind())
            .bind(scope.reference())
            .bind(authority.as_str())
            .fetch_optional(db)
            .await?;
            Ok(changed.map_or(Granted::Same, Granted::Changed))
        }
        Err(e) => Err(e),
    }
}

/// Revokes one of the client's live grants; false when it is not theirs or already revoked.
pub async fn revoke(db: &SqlitePool, client: i64, id: i64, now: UnixTime) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE representations SET revoked_at = ? WHERE id = ? AND client_id = ? AND revoked_at IS NULL")
        .bind(now.0)
        .bind(id)
        .bind(client)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Live grants where the person is the client (`as_lawyer` false) or the lawyer (true).
pub async fn grants(db: &SqlitePool, person_id: i64, as_lawyer: bool) -> Result<Vec<crate::identity::model::GrantView>, sqlx::Error> {
    let side = if as_lawyer { "r.lawyer_id" } else { "r.client_id" };
    let rows: Vec<(i64, Option<String>, Option<String>, String, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT r.id, c.legal_name, lp.legal_name, l.firm, r.scope_kind, r.scope_ref, r.authority, r.granted_at
         FROM representations r JOIN people c ON c.id = r.client_id JOIN people lp ON lp.id = r.lawyer_id JOIN lawyers l ON l.person_id = r.lawyer_id
         WHERE {side} = ? AND r.revoked_at IS NULL ORDER BY r.granted_at DESC, r.id DESC"
    ))
    .bind(person_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, client, lawyer, firm, kind, reference, authority, at)| {
            Some(crate::identity::model::GrantView {
                id,
                client_name: client.unwrap_or_default(),
                lawyer_name: lawyer.unwrap_or_default(),
                lawyer_firm: firm,
                scope: crate::identity::model::Scope::parse(&kind, &reference)?,
                authority: crate::identity::model::Authority::parse(&authority)?,
                granted_at: UnixTime(at),
            })
        })
        .collect())
}

/// Does this verified lawyer currently act for this client in this matter? (For later areas.)
pub async fn represents(db: &SqlitePool, lawyer: i64, client: i64, scope: &crate::identity::model::Scope) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM representations r JOIN lawyers l ON l.person_id = r.lawyer_id
         WHERE r.lawyer_id = ? AND r.client_id = ? AND r.scope_kind = ? AND r.scope_ref = ? AND r.revoked_at IS NULL AND l.status = 'verified'",
    )
    .bind(lawyer)
    .bind(client)
    .bind(scope.kind())
    .bind(scope.reference())
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// SQL: grant `r` covers case `c` — granted for its number, or for the filing it came from.
pub(crate) const GRANT_COVERS_CASE: &str = "((r.scope_kind = 'case' AND r.scope_ref = c.case_number) OR (r.scope_kind = 'filing' AND r.scope_ref = CAST(c.filing_id AS TEXT)))";

/// The widest authority a verified lawyer holds from a client over a case, through a live grant
/// for the case's number or for the filing it came from; None without one.
pub async fn authority_over_case(db: &SqlitePool, lawyer: i64, client: i64, case_id: i64) -> Result<Option<crate::identity::model::Authority>, sqlx::Error> {
    let best: Option<String> = sqlx::query_scalar(&format!(
        "SELECT MAX(r.authority) FROM representations r JOIN lawyers l ON l.person_id = r.lawyer_id JOIN cases c ON c.id = ?3
         WHERE r.lawyer_id = ?1 AND r.client_id = ?2 AND r.revoked_at IS NULL AND l.status = 'verified' AND {GRANT_COVERS_CASE}"
    ))
    .bind(lawyer)
    .bind(client)
    .bind(case_id)
    .fetch_one(db)
    .await?;
    Ok(best.as_deref().and_then(crate::identity::model::Authority::parse))
}

// ---------------------------------------------------------------------------------------------
// Sign-in hand-offs

pub async fn create_handoff(db: &SqlitePool, poll_hash: &str, approve_hash: &str, kiosk: Option<&str>, label: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO handoffs (poll_hash, approve_hash, kiosk_device, device_label, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(poll_hash)
        .bind(approve_hash)
        .bind(kiosk)
        .bind(label)
        .bind(now.0)
        .execute(db)
        .await?;
    Ok(())
}

pub struct HandoffRow {
    pub id: i64,
    pub kiosk_device: Option<String>,
    pub device_label: String,
    pub created_at: UnixTime,
    pub approved_by: Option<i64>,
    pub consumed: bool,
}

pub async fn handoff(db: &SqlitePool, column: HandoffKey, hash: &str) -> Result<Option<HandoffRow>, sqlx::Error> {
    let column = match column {
        HandoffKey::Poll => "poll_hash",
        HandoffKey::Approve => "approve_hash",
    };
    let row: Option<(i64, Option<String>, String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT id, kiosk_device, device_label, created_at, approved_by, consumed_at FROM handoffs WHERE {column} = ?"
    ))
    .bind(hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id, kiosk_device, device_label, created_at, approved_by, consumed_at)| HandoffRow {
        id,
        kiosk_device,
        device_label,
        created_at: UnixTime(created_at),
        approved_by,
        consumed: consumed_at.is_some(),
    }))
}

#[derive(Clone, Copy)]
pub enum HandoffKey {
    Poll,
    Approve,
}

/// Approves a waiting hand-off once; false when it was already approved.
pub async fn approve_handoff(db: &SqlitePool, id: i64, person_id: i64, now: UnixTime) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE handoffs SET approved_by = ?, approved_at = ? WHERE id = ? AND approved_by IS NULL")
        .bind(person_id)
        .bind(now.0)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Consumes an approved hand-off once (the waiting device signs in); false when already used.
pub async fn consume_handoff(db: &SqlitePool, id: i64, now: UnixTime) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE handoffs SET consumed_at = ? WHERE id = ? AND approved_by IS NOT NULL AND consumed_at IS NULL")
        .bind(now.0)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

pub async fn court_name(db: &SqlitePool, code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM courts WHERE code = ?").bind(code).fetch_optional(db).await
}
