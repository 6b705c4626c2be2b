//! Passkey server functions (webauthn-rs): register, sign in without typing anything, step up,
//! list, rename and remove. Ceremony state stays on the server, single use, for five minutes.
use crate::error::AppError;
use crate::identity::model::{PasskeyChallenge, PasskeyView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::error::FieldErrors,
    crate::identity::model::*,
    crate::identity::store,
    crate::ssr::cx::{Cx, internal},
    crate::ssr::session,
    serde_json::json,
    webauthn_rs::prelude::*,
    webauthn_rs_proto::{ResidentKeyRequirement, UserVerificationPolicy},
};

/// Starts adding a passkey; only a verified person (the passkey then vouches for them) or a
/// staff member may.
#[server(prefix = "/api", endpoint = "identity/passkey_register_start")]
pub async fn passkey_register_start() -> Result<PasskeyChallenge, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if !me.verified && me.staff.is_none() {
        return Err(AppError::Forbidden);
    }
    let person = store::person(cx.db(), me.person_id).await.map_err(db)?.ok_or(AppError::Unauthenticated)?;
    let shown = MobileNumber::parse(&person.mobile).map(|m| m.masked()).unwrap_or_else(|_| format!("staff-{}", me.person_id));
    let display = person.legal_name.unwrap_or_else(|| shown.clone());
    registration(&cx, me.person_id, Some(me.session_id), &shown, &display).await
}

#[server(prefix = "/api", endpoint = "identity/passkey_register_finish")]
pub async fn passkey_register_finish(id: String, credential: String, name: String) -> Result<PasskeyView, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if !me.verified && me.staff.is_none() {
        return Err(AppError::Forbidden);
    }
    finish_registration(&cx, me.person_id, Some(me.session_id), &id, &credential, &name).await
}

/// Starts a passkey registration for a person; the ceremony is bound to them (and to the session
/// when there is one; staff enrolment has none yet).
#[cfg(feature = "ssr")]
pub(super) async fn registration(cx: &Cx, person_id: i64, session_id: Option<i64>, user_name: &str, display: &str) -> Result<PasskeyChallenge, AppError> {
    let wa = webauthn(cx)?;
    let handle = user_handle(cx, person_id).await?;
    let exclude: Vec<CredentialID> = passkeys(cx, person_id).await?.iter().map(|(_, pk)| pk.cred_id().clone()).collect();
    let (mut options, state) = wa.start_passkey_registration(handle, user_name, display, Some(exclude)).map_err(failed)?;
    // Discoverable, so that signing in needs nothing typed.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
        selection.user_verification = UserVerificationPolicy::Required;
    }
    ceremony(cx, "register", Some(person_id), session_id, &state, &options).await
}

/// Finishes a registration started by `registration` and stores the passkey.
#[cfg(feature = "ssr")]
pub(super) async fn finish_registration(
    cx: &Cx,
    person_id: i64,
    session_id: Option<i64>,
    id: &str,
    credential: &str,
    name: &str,
) -> Result<PasskeyView, AppError> {
    let name = PasskeyName::parse(name).map_err(|_| AppError::Invalid(FieldErrors::from([("name".into(), "error_passkey_name".into())])))?;
    let state: PasskeyRegistration = take(cx, id, "register", Some(person_id), session_id).await?;
    let credential: RegisterPublicKeyCredential = parse_credential(credential)?;
    let passkey = webauthn(cx)?.finish_passkey_registration(&credential, &state).map_err(failed)?;
    let now = cx.now();
    let stored = serde_json::to_string(&passkey).map_err(|e| internal("serialising a passkey", e))?;
    let row = store::insert_passkey(cx.db(), person_id, &cred_key(passkey.cred_id()), &stored, name.as_str(), now).await.map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::Conflict("error_passkey_exists".into()),
        e => db(e),
    })?;
    let actor = format!("person:{person_id}");
    cx.audit(&actor, "identity.passkey_added", &format!("passkey:{row}"), json!({ "name": name.as_str() })).await?;
    Ok(PasskeyView { id: row, name: name.as_str().to_string(), created_at: now, last_used_at: None })
}

/// Starts a sign-in with any passkey of this site (the browser offers the person's own).
#[server(prefix = "/api", endpoint = "identity/passkey_sign_in_start")]
pub async fn passkey_sign_in_start() -> Result<PasskeyChallenge, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("code").await?;
    let (mut options, state) = webauthn(&cx)?.start_discoverable_authentication().map_err(failed)?;
    // A button press, not the autofill ("conditional") flow webauthn-rs prepares by default.
    options.mediation = None;
    ceremony(&cx, "sign_in", None, None, &state, &options).await
}

/// Finishes a passkey sign-in; answers where to go next.
#[server(prefix = "/api", endpoint = "identity/passkey_sign_in_finish")]
pub async fn passkey_sign_in_finish(id: String, credential: String, next: Option<String>) -> Result<String, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("try").await?;
    let state: DiscoverableAuthentication = take(&cx, &id, "sign_in", None, None).await?;
    let credential: PublicKeyCredential = parse_credential(&credential)?;
    let wa = webauthn(&cx)?;
    let (handle, _) = wa.identify_discoverable_authentication(&credential).map_err(failed)?;
    let person_id = store::person_by_user_handle(cx.db(), &handle.to_string())
        .await
        .map_err(db)?
        .ok_or_else(|| AppError::Conflict("error_passkey_unknown".into()))?;
    let keys = passkeys(&cx, person_id).await?;
    let discoverable: Vec<DiscoverableKey> = keys.iter().map(|(_, pk)| DiscoverableKey::from(pk)).collect();
    let result = wa.finish_discoverable_authentication(&credential, state, &discoverable).map_err(failed)?;
    record_use(&cx, keys, &result).await?;
    let now = cx.now();
    if let Some(old) = cx.caller().await? {
        store::end_session(cx.db(), old.session_id, now, "replaced_by_sign_in").await.map_err(db)?;
    }
    let session_id = super::api::start_session(&cx, person_id, true).await?;
    let actor = format!("person:{person_id}");
    cx.audit(&actor, "identity.signed_in", &format!("session:{session_id}"), json!({ "method": "passkey" })).await?;
    Ok(safe_next(next.as_deref().unwrap_or("/me")).to_string())
}

/// Starts a step-up with one of the caller's own passkeys.
#[server(prefix = "/api", endpoint = "identity/passkey_step_up_start")]
pub async fn passkey_step_up_start() -> Result<PasskeyChallenge, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let keys: Vec<Passkey> = passkeys(&cx, me.person_id).await?.into_iter().map(|(_, pk)| pk).collect();
    if keys.is_empty() {
        return Err(AppError::Conflict("error_no_passkeys".into()));
    }
    let (options, state) = webauthn(&cx)?.start_passkey_authentication(&keys).map_err(failed)?;
    ceremony(&cx, "step_up", Some(me.person_id), Some(me.session_id), &state, &options).await
}

/// Finishes a step-up: the session is re-authenticated now and gets a new token.
#[server(prefix = "/api", endpoint = "identity/passkey_step_up_finish")]
pub async fn passkey_step_up_finish(id: String, credential: String) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let state: PasskeyAuthentication = take(&cx, &id, "step_up", Some(me.person_id), Some(me.session_id)).await?;
    let credential: PublicKeyCredential = parse_credential(&credential)?;
    let result = webauthn(&cx)?.finish_passkey_authentication(&credential, &state).map_err(failed)?;
    record_use(&cx, passkeys(&cx, me.person_id).await?, &result).await?;
    super::api::rotate(&cx, &me).await?;
    cx.audit(&me.actor(), "identity.stepped_up", &format!("session:{}", me.session_id), json!({ "method": "passkey" })).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "identity/passkeys")]
pub async fn my_passkeys() -> Result<Vec<PasskeyView>, AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    store::passkey_views(cx.db(), me.person_id).await.map_err(db)
}

#[server(prefix = "/api", endpoint = "identity/rename_passkey")]
pub async fn rename_passkey(id: i64, name: String) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let name = PasskeyName::parse(&name).map_err(|_| AppError::Invalid(FieldErrors::from([("name".into(), "error_passkey_name".into())])))?;
    if !store::rename_passkey(cx.db(), me.person_id, id, name.as_str()).await.map_err(db)? {
        return Err(AppError::NotFound);
    }
    cx.audit(&me.actor(), "identity.passkey_renamed", &format!("passkey:{id}"), json!({ "name": name.as_str() })).await
}

/// Removes a passkey, never the last way in.
#[server(prefix = "/api", endpoint = "identity/remove_passkey")]
pub async fn remove_passkey(id: i64) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    let left_after = store::passkey_count(cx.db(), me.person_id).await.map_err(db)?.saturating_sub(1);
    // Everyone with a mobile number signs in by SMS too; staff sign in with passkeys only.
    if !may_remove_passkey(left_after, me.staff.is_none()) {
        return Err(AppError::Conflict("error_last_way_in".into()));
    }
    if !store::remove_passkey(cx.db(), me.person_id, id).await.map_err(db)? {
        return Err(AppError::NotFound);
    }
    cx.audit(&me.actor(), "identity.passkey_removed", &format!("passkey:{id}"), json!({})).await
}

// ---------------------------------------------------------------------------------------------
// Helpers (server only)

#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    internal("passkey store", e)
}

/// A ceremony the browser or authenticator did not complete as required (wrong origin, replay,
/// unverified user, unknown credential): one message, details in the log.
#[cfg(feature = "ssr")]
fn failed(e: WebauthnError) -> AppError {
    tracing::info!(error = %e, "passkey ceremony refused");
    AppError::Conflict("error_passkey_failed".into())
}

#[cfg(feature = "ssr")]
fn webauthn(cx: &Cx) -> Result<&Webauthn, AppError> {
    cx.state.webauthn.as_deref().ok_or_else(|| AppError::Conflict("error_passkeys_unavailable".into()))
}

#[cfg(feature = "ssr")]
fn parse_credential<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|_| AppError::Invalid(FieldErrors::from([("credential".into(), "error_bad_request".into())])))
}

/// The stable key of a credential id for the unique column.
#[cfg(feature = "ssr")]
fn cred_key(id: &CredentialID) -> String {
    hex::encode(id.as_ref())
}

#[cfg(feature = "ssr")]
async fn user_handle(cx: &Cx, person_id: i64) -> Result<Uuid, AppError> {
    let fresh = Uuid::new_v4().to_string();
    let stored = store::user_handle(cx.db(), person_id, &fresh).await.map_err(db)?;
    Uuid::parse_str(&stored).map_err(|e| internal("stored user handle", e))
}

#[cfg(feature = "ssr")]
async fn passkeys(cx: &Cx, person_id: i64) -> Result<Vec<(i64, Passkey)>, AppError> {
    store::passkeys_of(cx.db(), person_id)
        .await
        .map_err(db)?
        .into_iter()
        .map(|(id, json)| serde_json::from_str(&json).map(|pk| (id, pk)).map_err(|e| internal("stored passkey", e)))
        .collect()
}

/// Stores the ceremony state and hands the browser its options and the ceremony id.
#[cfg(feature = "ssr")]
async fn ceremony(
    cx: &Cx,
    kind: &str,
    person_id: Option<i64>,
    session_id: Option<i64>,
    state: &impl serde::Serialize,
    options: &impl serde::Serialize,
) -> Result<PasskeyChallenge, AppError> {
    let (id, hash) = session::new_token();
    let state = serde_json::to_string(state).map_err(|e| internal("serialising WebAuthn state", e))?;
    store::insert_challenge(cx.db(), &hash, kind, person_id, session_id, &state, cx.now()).await.map_err(db)?;
    let options = serde_json::to_string(options).map_err(|e| internal("serialising WebAuthn options", e))?;
    Ok(PasskeyChallenge { id, options })
}

/// Takes a ceremony's state once; expired, used or someone else's state is "expired".
#[cfg(feature = "ssr")]
async fn take<T: serde::de::DeserializeOwned>(cx: &Cx, id: &str, kind: &str, person_id: Option<i64>, session_id: Option<i64>) -> Result<T, AppError> {
    let expired = || AppError::Conflict("error_passkey_expired".into());
    if !session::well_formed(id) {
        return Err(expired());
    }
    let not_before = cx.now().plus_secs(-CEREMONY_TTL_SECS);
    let state = store::take_challenge(cx.db(), &session::token_hash(id), kind, person_id, session_id, not_before)
        .await
        .map_err(db)?
        .ok_or_else(expired)?;
    serde_json::from_str(&state).map_err(|e| internal("stored WebAuthn state", e))
}

/// Keeps the authenticator's new signature counter and when the passkey was used.
#[cfg(feature = "ssr")]
async fn record_use(cx: &Cx, keys: Vec<(i64, Passkey)>, result: &AuthenticationResult) -> Result<(), AppError> {
    for (row, mut pk) in keys {
        if pk.update_credential(result).is_some() {
            let json = serde_json::to_string(&pk).map_err(|e| internal("serialising a passkey", e))?;
            store::passkey_used(cx.db(), row, &json, cx.now()).await.map_err(db)?;
        }
    }
    Ok(())
}

/// What an assertion over a caller's own challenge was bound to, once the passkey checked out:
/// what the caller stored with it, and the credential that made it.
#[cfg(feature = "ssr")]
pub(crate) struct BoundAssertion {
    pub bound: serde_json::Value,
    /// Hex of the credential id, as the passkey list keys it.
    pub credential_id: String,
}

/// Starts an assertion with one of the person's passkeys over `challenge` instead of a random
/// one: signing derives it from a document's fingerprint and the signer, so that the
/// authenticator's signature covers what is signed. `bound` is kept with the ceremony and handed
/// back by [`finish_bound_assertion`]. Single use and five minutes, like every ceremony.
#[cfg(feature = "ssr")]
pub(crate) async fn start_bound_assertion(cx: &Cx, person_id: i64, session_id: i64, kind: &str, challenge: &[u8], bound: serde_json::Value) -> Result<PasskeyChallenge, AppError> {
    let keys: Vec<Passkey> = passkeys(cx, person_id).await?.into_iter().map(|(_, pk)| pk).collect();
    if keys.is_empty() {
        return Err(AppError::Conflict("error_no_passkeys".into()));
    }
    let (options, state) = webauthn(cx)?.start_passkey_authentication(&keys).map_err(failed)?;
    let ours = serde_json::to_value(Base64UrlSafeData::from(challenge.to_vec())).map_err(|e| internal("encoding a challenge", e))?;
    let mut options = serde_json::to_value(&options).map_err(|e| internal("serialising WebAuthn options", e))?;
    let mut state = serde_json::to_value(&state).map_err(|e| internal("serialising WebAuthn state", e))?;
    // webauthn-rs makes a random challenge; the same challenge is put in what the browser is
    // asked to sign and in what the answer is checked against.
    for slot in [options.pointer_mut("/publicKey/challenge"), state.pointer_mut("/ast/challenge")] {
        *slot.ok_or_else(|| internal("WebAuthn state", "no challenge to bind"))? = ours.clone();
    }
    ceremony(cx, kind, Some(person_id), Some(session_id), &json!({ "state": state, "bound": bound }), &options).await
}

/// Finishes an assertion started by [`start_bound_assertion`]: the ceremony is taken once (a
/// replayed answer finds it used), the passkey must be one of the person's and must have signed
/// the bound challenge.
#[cfg(feature = "ssr")]
pub(crate) async fn finish_bound_assertion(cx: &Cx, person_id: i64, session_id: i64, kind: &str, id: &str, credential: &str) -> Result<BoundAssertion, AppError> {
    let mut stored: serde_json::Value = take(cx, id, kind, Some(person_id), Some(session_id)).await?;
    let state: PasskeyAuthentication = serde_json::from_value(stored["state"].take()).map_err(|e| internal("stored WebAuthn state", e))?;
    let credential: PublicKeyCredential = parse_credential(credential)?;
    let result = webauthn(cx)?.finish_passkey_authentication(&credential, &state).map_err(failed)?;
    record_use(cx, passkeys(cx, person_id).await?, &result).await?;
    Ok(BoundAssertion { bound: stored["bound"].take(), credential_id: cred_key(result.cred_id()) })
}
