//! Sign-in hand-off: a kiosk (or a tablet) shows a QR code; a phone that is signed in scans it,
//! sees which device and court are asking, confirms it is the person (step-up) and approves; the
//! waiting device, polling twice a second, is then signed in. Single use, two minutes.
use crate::error::AppError;
use crate::identity::model::{HandoffAsk, HandoffState, HandoffTicket};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::identity::model::*,
    crate::identity::store::{self, HandoffKey},
    crate::ssr::cx::{Cx, internal},
    crate::ssr::session,
    serde_json::json,
};

/// The waiting device asks for a hand-off: a QR code to show, and a token to poll with.
#[server(prefix = "/api", endpoint = "identity/handoff_start")]
pub async fn handoff_start() -> Result<HandoffTicket, AppError> {
    let cx = Cx::get()?;
    cx.limit_ip("code").await?;
    if cx.caller().await?.is_some() {
        return Err(AppError::Conflict("error_already_signed_in".into()));
    }
    let kiosk = cx.kiosk_device();
    let label = match kiosk.as_deref().and_then(crate::ssr::kiosk::split_payload) {
        Some((device, _)) => device,
        None => {
            let profile = DeviceProfile::from_user_agent(cx.user_agent(), false);
            format!("{} · {}", browser_name(cx.user_agent()), profile.as_str())
        }
    };
    let (poll, poll_hash) = session::new_token();
    let (approve, approve_hash) = session::new_token();
    store::create_handoff(cx.db(), &poll_hash, &approve_hash, kiosk.as_deref(), &label, cx.now()).await.map_err(db)?;
    let link = format!("{}/handoff?t={approve}", cx.state.site.public_url);
    let qr_svg = crate::ssr::qr_svg(&link).map_err(|e| internal("QR code", e))?;
    Ok(HandoffTicket { poll, qr_svg, link, expires_in_s: HANDOFF_TTL_SECS })
}

/// The waiting device asks whether it may sign in yet; once approved, this answer signs it in.
#[server(prefix = "/api", endpoint = "identity/handoff_poll")]
pub async fn handoff_poll(poll: String) -> Result<HandoffState, AppError> {
    let cx = Cx::get()?;
    if !session::well_formed(&poll) {
        return Err(AppError::NotFound);
    }
    let row = store::handoff(cx.db(), HandoffKey::Poll, &session::token_hash(&poll)).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let now = cx.now();
    if row.consumed || now.0 >= row.created_at.0 + HANDOFF_TTL_SECS {
        return Ok(HandoffState::Expired);
    }
    let Some(person_id) = row.approved_by else { return Ok(HandoffState::Waiting) };
    // The device must still be the one that asked (a kiosk stays a kiosk).
    if row.kiosk_device != cx.kiosk_device() {
        return Err(AppError::NotFound);
    }
    if !store::consume_handoff(cx.db(), row.id, now).await.map_err(db)? {
        return Ok(HandoffState::Expired);
    }
    // A hand-off is a sign-in on this device, not a step-up: the phone stepped up, not this one.
    let session_id = super::api::start_session(&cx, person_id, false).await?;
    let actor = format!("person:{person_id}");
    cx.audit(&actor, "identity.signed_in", &format!("session:{session_id}"), json!({ "method": "handoff", "device": row.device_label }))
        .await?;
    Ok(HandoffState::SignedIn)
}

/// What the approving phone shows: which device and court ask. Needs the person signed in.
#[server(prefix = "/api", endpoint = "identity/handoff_request")]
pub async fn handoff_request(t: String) -> Result<HandoffAsk, AppError> {
    let cx = Cx::get()?;
    cx.require_person().await?;
    let row = approvable(&cx, &t).await?;
    let court = row.kiosk_device.as_deref().and_then(crate::ssr::kiosk::split_payload).and_then(|(_, court)| court);
    let court_name = match court {
        Some(code) => store::court_name(cx.db(), &code).await.map_err(db)?.or(Some(code)),
        None => None,
    };
    Ok(HandoffAsk {
        device: row.device_label,
        kiosk: row.kiosk_device.is_some(),
        court_name,
        expires_in_s: row.created_at.0 + HANDOFF_TTL_SECS - cx.now().0,
    })
}

/// The phone approves: only after a fresh confirmation that it is the person (step-up).
#[server(prefix = "/api", endpoint = "identity/handoff_approve")]
pub async fn handoff_approve(t: String) -> Result<(), AppError> {
    let cx = Cx::get()?;
    let me = cx.require_person().await?;
    if !me.times.stepped_up_recently(cx.now()) {
        return Err(AppError::Conflict("error_step_up_needed".into()));
    }
    let row = approvable(&cx, &t).await?;
    if !store::approve_handoff(cx.db(), row.id, me.person_id, cx.now()).await.map_err(db)? {
        return Err(AppError::Conflict("error_handoff_used".into()));
    }
    cx.audit(&me.actor(), "identity.handoff_approved", &format!("handoff:{}", row.id), json!({ "device": row.device_label })).await
}

#[cfg(feature = "ssr")]
fn db(e: sqlx::Error) -> AppError {
    internal("hand-off store", e)
}

/// A hand-off that may still be approved: known, unexpired, not yet approved.
#[cfg(feature = "ssr")]
async fn approvable(cx: &Cx, token: &str) -> Result<store::HandoffRow, AppError> {
    if !session::well_formed(token) {
        return Err(AppError::NotFound);
    }
    let row = store::handoff(cx.db(), HandoffKey::Approve, &session::token_hash(token)).await.map_err(db)?.ok_or(AppError::NotFound)?;
    if row.consumed || row.approved_by.is_some() {
        return Err(AppError::Conflict("error_handoff_used".into()));
    }
    if cx.now().0 >= row.created_at.0 + HANDOFF_TTL_SECS {
        return Err(AppError::Conflict("error_handoff_expired".into()));
    }
    Ok(row)
}
