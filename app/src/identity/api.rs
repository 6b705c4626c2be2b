//! Identity server functions: sign-in by SMS code, step-up, sessions and devices, real-name
//! verification. Each one: who is calling, parse, rule, store, answer.
use crate::error::AppError;
use crate::identity::model::{CodeSent, DeviceView, MeView, WaitingCode};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::error::FieldErrors,
    crate::identity::model::*,
    crate::identity::store,
    crate::ssr::cx::{Caller, Cx, internal},
    crate::ssr::session::{self, PENDING_CODE_COOKIE, SESSION_COOKIE},
    serde_json::json,
};

/// Sends a sign-in code to a mobile number. The answer is the same whether or not the number
/// has an account: signing up and signing in are one journey.
#[server(prefix = "/api", endpoint = "identity/request_code")]
pub async fn request_code(mobile: String, next: Option<String>) -> Result<CodeSent, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("code").await?;
    let mobile = MobileNumber::parse(&mobile).map_err(|_| AppError::field("mobile", "error_mobile"))?;
    let next = safe_next(next.as_deref().unwrap_or("/me")).to_string();
    let sent = send_code(&cx, &mobile, Purpose::SignIn, &next, None).await?;
    leptos_axum::redirect("/signin/code");
    Ok(sent)
}

/// The code this browser waits for, if any (for the code page after a reload).
#[server(prefix = "/api", endpoint = "identity/pending_code")]
pub async fn pending_code() -> Result<Option<WaitingCode>, AppError> {
    let cx = Cx::get()?;
    let now = cx.now();
    let Some(row) = pending_row(&cx).await? else { return Ok(None) };
    let c = &row.challenge;
    if c.used || c.wrong_tries >= MAX_WRONG_TRIES || now.0 >= c.issued_at.0 + CODE_TTL_SECS {
        return Ok(None);
    }
    let masked = MobileNumber::parse(&row.mobile).map(|m| m.masked()).unwrap_or_default();
    Ok(Some(WaitingCode {
        masked_mobile: masked,
        resend_after_s: (c.issued_at.0 + RESEND_SECS - now.0).max(0),
        expires_in_s: c.issued_at.0 + CODE_TTL_SECS - now.0,
        next: row.next_path,
    }))
}

/// Sends a new code to the number this browser is signing in (or stepping up) with.
#[server(prefix = "/api", endpoint = "identity/resend_code")]
pub async fn resend_code() -> Result<CodeSent, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("code").await?;
    let row = pending_row(&cx).await?.ok_or_else(no_pending_code)?;
    let mobile = MobileNumber::parse(&row.mobile).map_err(|e| internal("stored mobile", e))?;
    let purpose = Purpose::from_str(&row.purpose);
    send_code(&cx, &mobile, purpose, &row.next_path, row.session_id).await
}

/// Signs in with the code sent to this browser's number; creates the account on first use.
#[server(prefix = "/api", endpoint = "identity/sign_in_with_code")]
pub async fn sign_in_with_code(code: String) -> Result<(), AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("try").await?;
    let row = pending_row(&cx).await?.filter(|r| r.purpose == Purpose::SignIn.as_str()).ok_or_else(no_pending_code)?;
    let typed = OtpCode::parse(&code).ok_or_else(|| AppError::field("code", "error_code_format"))?;
    check_code(&cx, &row, &typed).await?;
    let now = cx.now();
    let (person_id, created) = store::find_or_create_person(cx.db(), &row.mobile, now).await.map_err(db)?;
    // Rotation: whatever session this browser had ends; the new one gets a new token.
    if let Some(old) = cx.caller().await? {
        store::end_session(cx.db(), old.session_id, now, "replaced_by_sign_in").await.map_err(db)?;
    }
    let session_id = start_session(&cx, person_id, true).await?;
    cx.set_cookie(&session::clear_cookie(PENDING_CODE_COOKIE, cx.secure_cookies()));
    let actor = format!("person:{person_id}");
    if created {
        cx.audit(&actor, "identity.signed_up", &actor, json!({ "method": "sms" })).await?;
    }
    cx.audit(&actor, "identity.signed_in", &format!("session:{session_id}"), json!({ "method": "sms", "profile": profile_of(&cx).as_str() }))
        .await?;
    leptos_axum::redirect(&row.next_path);
    Ok(())
}

/// Step-up by SMS: sends a code to the signed-in person's own number.
#[server(prefix = "/api", endpoint = "identity/request_step_up_code")]
pub async fn request_step_up_code(next: Option<String>) -> Result<CodeSent, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if me.staff.is_some() {
        // Staff have no number on file: they confirm with their passkey.
        return Err(AppError::Conflict("error_passkeys_only".into()));
    }
    cx.limit_ip("code").await?;
    let mobile = MobileNumber::parse(&me.mobile).map_err(|e| internal("stored mobile", e))?;
    let next = safe_next(next.as_deref().unwrap_or("/me")).to_string();
    send_code(&cx, &mobile, Purpose::StepUp, &next, Some(me.session_id)).await
}

/// Completes a step-up: the session is re-authenticated now and gets a new token.
#[server(prefix = "/api", endpoint = "identity/step_up_with_code")]
pub async fn step_up_with_code(code: String) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    cx.limit_ip("try").await?;
    let row = pending_row(&cx)
        .await?
        .filter(|r| r.purpose == Purpose::StepUp.as_str() && r.session_id == Some(me.session_id))
        .ok_or_else(no_pending_code)?;
    let typed = OtpCode::parse(&code).ok_or_else(|| AppError::field("code", "error_code_format"))?;
    check_code(&cx, &row, &typed).await?;
    rotate(&cx, &me).await?;
    cx.set_cookie(&session::clear_cookie(PENDING_CODE_COOKIE, cx.secure_cookies()));
    cx.audit(&me.actor(), "identity.stepped_up", &format!("session:{}", me.session_id), json!({ "method": "sms" })).await?;
    Ok(())
}

/// The signed-in person, or None when signed out (pages then offer to sign in).
#[server(prefix = "/api", endpoint = "identity/me")]
pub async fn me() -> Result<Option<MeView>, AppError> {
    let cx = Cx::get()?;
    let Some(me) = cx.caller().await? else { return Ok(None) };
    let person = store::person(cx.db(), me.person_id).await.map_err(db)?.ok_or(AppError::Unauthenticated)?;
    let passkeys = store::passkey_count(cx.db(), me.person_id).await.map_err(db)?;
    Ok(Some(MeView {
        passkeys: u32::try_from(passkeys).unwrap_or(u32::MAX),
        is_staff: me.staff.is_some(),
        mobile_masked: MobileNumber::parse(&person.mobile).map(|m| m.masked()).unwrap_or_default(),
        legal_name: person.legal_name,
        id_masked: person.id_masked,
        verified_at: person.verified_at.map(UnixTime),
        stepped_up: me.times.stepped_up_recently(cx.now()),
        stepped_up_until: me.times.stepped_up_at.filter(|_| me.times.stepped_up_recently(cx.now())).map(|t| t.plus_secs(STEP_UP_SECS)),
    }))
}

/// The devices the caller is signed in on.
#[server(prefix = "/api", endpoint = "identity/devices")]
pub async fn my_devices() -> Result<Vec<DeviceView>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::devices(cx.db(), me.person_id, me.session_id, cx.now()).await.map_err(db)
}

/// Signs this device out.
#[server(prefix = "/api", endpoint = "identity/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::end_session(cx.db(), me.session_id, cx.now(), "signed_out").await.map_err(db)?;
    cx.set_cookie(&session::clear_cookie(SESSION_COOKIE, cx.secure_cookies()));
    cx.audit(&me.actor(), "identity.signed_out", &format!("session:{}", me.session_id), json!({})).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Signs every other device of the caller out; answers how many were.
#[server(prefix = "/api", endpoint = "identity/sign_out_others")]
pub async fn sign_out_others() -> Result<u64, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let n = store::end_other_sessions(cx.db(), me.person_id, me.session_id, cx.now()).await.map_err(db)?;
    cx.audit(&me.actor(), "identity.signed_out_elsewhere", &me.actor(), json!({ "sessions": n })).await?;
    Ok(n)
}

/// Signs one of the caller's other devices out. Another person's device is "not found".
#[server(prefix = "/api", endpoint = "identity/sign_out_device")]
pub async fn sign_out_device(id: i64) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if !store::end_own_session(cx.db(), me.person_id, id, cx.now()).await.map_err(db)? {
        return Err(AppError::NotFound);
    }
    cx.audit(&me.actor(), "identity.signed_out_device", &format!("session:{id}"), json!({})).await?;
    Ok(())
}

/// Real-name verification (实名认证): the name and ID number are checked against the national
/// registry; on a match the number is kept encrypted with a keyed hash for look-up.
#[server(prefix = "/api", endpoint = "identity/verify")]
pub async fn verify_identity(legal_name: String, id_number: String, next: Option<String>) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if me.verified {
        return Err(AppError::Conflict("error_already_verified".into()));
    }
    let mut errors = FieldErrors::new();
    let name = LegalName::parse(&legal_name).map_err(|_| errors.insert("legal_name".into(), "error_name".into())).ok();
    let id = ResidentId::parse(&id_number).map_err(|e| errors.insert("id_number".into(), e.key().into())).ok();
    let (Some(name), Some(id)) = (name, id) else { return Err(AppError::Invalid(errors)) };
    // A registry look-up costs the court money and could be used to probe who owns a number.
    cx.rate_limit(&format!("verify:person:{}", me.person_id), 24 * 3600, VERIFY_TRIES_PER_DAY).await?;
    let answer = cx.state.registry.check(&name, &id).await.map_err(|e| {
        tracing::warn!(error = %e, "identity registry unavailable");
        AppError::Conflict("error_registry_unavailable".into())
    })?;
    if answer != RegistryAnswer::Match {
        let reason = if answer == RegistryAnswer::NameMismatch { "name_mismatch" } else { "not_valid" };
        cx.audit(&me.actor(), "identity.verification_failed", &me.actor(), json!({ "id": id.masked(), "reason": reason })).await?;
        return Err(AppError::Conflict("error_registry_mismatch".into()));
    }
    let key = &cx.state.id_key;
    let stored = store::set_verified(cx.db(), me.person_id, name.as_str(), &key.encrypt(id.as_str()), &key.lookup(id.as_str()), &id.masked(), cx.now())
        .await
        .map_err(db)?;
    if stored.is_err() {
        cx.audit(&me.actor(), "identity.verification_failed", &me.actor(), json!({ "id": id.masked(), "reason": "id_on_another_account" })).await?;
        return Err(AppError::Conflict("error_id_taken".into()));
    }
    cx.audit(&me.actor(), "identity.verification_passed", &me.actor(), json!({ "id": id.masked() })).await?;
    leptos_axum::redirect(safe_next(next.as_deref().unwrap_or("/me")));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the functions above (server only)

/// Registry look-ups one person may make a day.
#[cfg(feature = "ssr")]
const VERIFY_TRIES_PER_DAY: u32 = 5;

#[cfg(feature = "ssr")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    SignIn,
    StepUp,
}

#[cfg(feature = "ssr")]
impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::SignIn => "sign_in",
            Purpose::StepUp => "step_up",
        }
    }

    fn from_str(s: &str) -> Purpose {
        if s == "step_up" { Purpose::StepUp } else { Purpose::SignIn }
    }
}


#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    internal("identity store", e)
}

#[cfg(feature = "ssr")]
fn no_pending_code() -> AppError {
    AppError::Conflict("error_no_pending_code".into())
}

#[cfg(feature = "ssr")]
fn profile_of(cx: &Cx) -> DeviceProfile {
    DeviceProfile::from_user_agent(cx.user_agent(), cx.kiosk_device().is_some())
}

#[cfg(feature = "ssr")]
async fn pending_row(cx: &Cx) -> Result<Option<store::CodeRow>, AppError> {
    let Some(token) = cx.cookie(PENDING_CODE_COOKIE).filter(|t| session::well_formed(t)) else { return Ok(None) };
    store::code_by_token(cx.db(), &session::token_hash(token)).await.map_err(db)
}

/// Applies the per-number limits, stores a new code and sends it.
#[cfg(feature = "ssr")]
async fn send_code(cx: &Cx, mobile: &MobileNumber, purpose: Purpose, next: &str, session_id: Option<i64>) -> Result<CodeSent, AppError> {
    use rand::Rng;
    let now = cx.now();
    let (sent, burnt) = store::code_history(cx.db(), mobile.as_str(), now).await.map_err(db)?;
    may_send_code(&sent, burnt, now).map_err(|refusal| {
        let retry_after_s = match refusal {
            SendRefusal::TooSoon { retry_after_s } | SendRefusal::CoolingDown { retry_after_s } => retry_after_s,
            // The oldest of today's codes leaving the 24-hour window frees one.
            SendRefusal::DailyCap => sent.iter().map(|t| t.0 + 24 * 3600 - now.0).min().unwrap_or(24 * 3600),
        };
        AppError::RateLimited { retry_after_s: u32::try_from(retry_after_s.max(1)).unwrap_or(u32::MAX) }
    })?;
    let code = OtpCode::parse(&format!("{:06}", rand::rng().random_range(0..1_000_000u32))).ok_or_else(|| internal("code", "bad code"))?;
    let (token, token_hash) = session::new_token();
    store::insert_code(
        cx.db(),
        store::NewCode { token_hash: &token_hash, mobile: mobile.as_str(), purpose: purpose.as_str(), code: &code, now, next_path: next, session_id },
    )
    .await
    .map_err(db)?;
    let text = crate::i18n::td_string!(cx.locale(), sms_code_text, code = code.as_str()).to_string();
    cx.state.sms.send(mobile, &text, now.0).await.map_err(|e| {
        tracing::warn!(error = %e, "SMS gateway refused a code");
        AppError::Conflict("error_sms_unavailable".into())
    })?;
    cx.set_cookie(&session::cookie(PENDING_CODE_COOKIE, &token, cx.secure_cookies(), Some(CODE_TTL_SECS)));
    Ok(CodeSent { masked_mobile: mobile.masked(), resend_after_s: RESEND_SECS })
}

/// Checks a typed code and stores the try, whatever the verdict.
#[cfg(feature = "ssr")]
async fn check_code(cx: &Cx, row: &store::CodeRow, typed: &OtpCode) -> Result<(), AppError> {
    let now = cx.now();
    let (state, verdict) = row.challenge.clone().check(typed, now);
    let burnt = matches!(verdict, Err(OtpError::TooManyTries)).then_some(now);
    store::save_code_state(cx.db(), row.id, &state, burnt).await.map_err(db)?;
    verdict.map_err(|e| match e {
        OtpError::Wrong { .. } => AppError::field("code", "error_code_wrong"),
        OtpError::Expired => AppError::Conflict("error_code_expired".into()),
        OtpError::Used => AppError::Conflict("error_code_used".into()),
        OtpError::TooManyTries => AppError::Conflict("error_code_burnt".into()),
    })
}

/// Starts a session for this browser and sets its cookie.
#[cfg(feature = "ssr")]
pub(super) async fn start_session(cx: &Cx, person_id: i64, fresh_authentication: bool) -> Result<i64, AppError> {
    let (token, token_hash) = session::new_token();
    let kiosk = cx.kiosk_device();
    let idle_secs = if kiosk.is_some() { i64::from(cx.state.site.kiosk_idle_secs) } else { IDLE_SECS };
    let place = match &kiosk {
        Some(device) => format!("kiosk {device}"),
        None => coarse_place(&cx.ip()),
    };
    let id = store::create_session(
        cx.db(),
        store::NewSession {
            token_hash: &token_hash,
            person_id,
            now: cx.now(),
            idle_secs,
            kiosk_device: kiosk.as_deref(),
            browser: browser_name(cx.user_agent()),
            profile: profile_of(cx),
            place: &place,
            stepped_up: fresh_authentication,
        },
    )
    .await
    .map_err(db)?;
    cx.set_cookie(&session::cookie(SESSION_COOKIE, &token, cx.secure_cookies(), None));
    Ok(id)
}

/// A new token for the caller's session, marked freshly authenticated.
#[cfg(feature = "ssr")]
pub(super) async fn rotate(cx: &Cx, me: &Caller) -> Result<(), AppError> {
    let (token, token_hash) = session::new_token();
    store::rotate_session(cx.db(), me.session_id, &token_hash, cx.now()).await.map_err(db)?;
    cx.set_cookie(&session::cookie(SESSION_COOKIE, &token, cx.secure_cookies(), None));
    Ok(())
}
