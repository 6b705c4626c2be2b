//! `Cx`: what a server function knows about the request it serves — the app state, the caller
//! (resolved from the session cookie and checked for expiry), the client's address — and the
//! helpers every area uses to answer: cookies, rate limits, audit entries, internal errors.
use super::AppState;
use super::session::{self, SESSION_COOKIE};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::identity::model::{SessionTimes, UnixTime};
use crate::identity::store;
use leptos::prelude::use_context;

pub struct Cx {
    pub state: AppState,
    pub parts: http::request::Parts,
}

/// The signed-in person behind a request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub person_id: i64,
    pub session_id: i64,
    /// Empty for staff (they have no number on file).
    pub mobile: String,
    pub verified: bool,
    pub times: SessionTimes,
    /// Set for court staff: their one court and role.
    pub staff: Option<(crate::courts::model::CourtCode, crate::identity::model::StaffRole)>,
}

impl Caller {
    /// The audit log's name for this person.
    pub fn actor(&self) -> String {
        format!("person:{}", self.person_id)
    }
}

/// Logs an internal failure under a reference id and returns only the id to the client.
pub fn internal(what: &str, cause: impl std::fmt::Display) -> AppError {
    let ref_id = super::reference_id();
    tracing::error!(%ref_id, error = %cause, "{what}");
    AppError::Internal(ref_id)
}

impl Cx {
    /// The context of the server function being run.
    pub fn get() -> Result<Cx, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| internal("server function context", "AppState missing"))?;
        let parts = use_context::<http::request::Parts>().ok_or_else(|| internal("server function context", "request parts missing"))?;
        Ok(Cx { state, parts })
    }

    pub fn now(&self) -> UnixTime {
        self.state.clock.now()
    }

    pub fn db(&self) -> &sqlx::SqlitePool {
        &self.state.db
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        super::prefs::cookie(&self.parts.headers, name)
    }

    /// The client's IP address as the socket saw it.
    pub fn ip(&self) -> String {
        self.parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    }

    pub fn user_agent(&self) -> &str {
        self.parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The enrolled kiosk this request comes from, if any.
    pub fn kiosk_device(&self) -> Option<String> {
        super::kiosk::device_of(&self.state.site, &self.parts.headers)
    }

    /// The language of the person making the request: their choice, else their browser's.
    pub fn locale(&self) -> Locale {
        match self.cookie(crate::ui::prefs::LANG_COOKIE) {
            Some("zh-Hant") => return Locale::zh_Hant,
            Some("en") => return Locale::en,
            Some("zh-Hans") => return Locale::zh_Hans,
            _ => {}
        }
        let header = self.parts.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let rewritten = crate::ui::prefs::with_chinese_scripts(header);
        for tag in rewritten.split(',').map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase()) {
            if tag.starts_with("zh-hant") {
                return Locale::zh_Hant;
            }
            if tag.starts_with("zh") {
                return Locale::zh_Hans;
            }
            if tag.starts_with("en") {
                return Locale::en;
            }
        }
        Locale::zh_Hans
    }

    pub fn set_cookie(&self, cookie: &str) {
        if let (Some(res), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(cookie)) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.state.site.secure_cookies
    }

    /// The signed-in person, or None. An expired session is ended here (and its cookie cleared).
    pub async fn caller(&self) -> Result<Option<Caller>, AppError> {
        let Some(token) = self.cookie(SESSION_COOKIE).filter(|t| session::well_formed(t)) else {
            return Ok(None);
        };
        let now = self.now();
        match store::resolve_session(self.db(), &session::token_hash(token), now).await.map_err(|e| internal("resolving a session", e))? {
            store::Resolved::Live(caller) => Ok(Some(caller)),
            store::Resolved::Ended { session_id, person_id, reason } => {
                self.set_cookie(&session::clear_cookie(SESSION_COOKIE, self.secure_cookies()));
                let _ = self
                    .audit(&format!("person:{person_id}"), "identity.session_expired", &format!("session:{session_id}"), serde_json::json!({ "reason": reason }))
                    .await;
                Ok(None)
            }
            store::Resolved::Unknown => {
                self.set_cookie(&session::clear_cookie(SESSION_COOKIE, self.secure_cookies()));
                Ok(None)
            }
        }
    }

    /// The signed-in person, or 401.
    pub async fn require_person(&self) -> Result<Caller, AppError> {
        self.caller().await?.ok_or(AppError::Unauthenticated)
    }

    /// A signed-in person (not staff) whose real name is verified, or 401/403.
    pub async fn require_verified(&self) -> Result<Caller, AppError> {
        let caller = self.require_person().await?;
        if caller.verified && caller.staff.is_none() { Ok(caller) } else { Err(AppError::Forbidden) }
    }

    /// A signed-in staff member, with their court and role, or 401/403.
    pub async fn require_staff(&self) -> Result<(Caller, crate::courts::model::CourtCode, crate::identity::model::StaffRole), AppError> {
        let caller = self.require_person().await?;
        match caller.staff.clone() {
            Some((court, role)) => Ok((caller, court, role)),
            None => Err(AppError::Forbidden),
        }
    }

    /// Counts one event against a limit; over it, answers 429 with when to retry.
    pub async fn rate_limit(&self, bucket: &str, window_s: i64, max: u32) -> Result<(), AppError> {
        match super::ratelimit::hit(self.db(), bucket, self.now().0, window_s, max).await.map_err(|e| internal("rate limit", e))? {
            Ok(()) => Ok(()),
            Err(retry) => Err(AppError::RateLimited { retry_after_s: u32::try_from(retry).unwrap_or(u32::MAX) }),
        }
    }

    /// The per-IP limit every code and sign-in endpoint shares.
    pub async fn limit_ip(&self, what: &str) -> Result<(), AppError> {
        let bucket = format!("ip:{what}:{}", self.ip());
        self.rate_limit(&bucket, 3600, self.state.site.ip_limit_per_hour).await
    }

    pub async fn audit(&self, actor: &str, action: &str, subject: &str, details: serde_json::Value) -> Result<(), AppError> {
        super::audit::append(self.db(), self.now().0, actor, action, subject, &details)
            .await
            .map(|_| ())
            .map_err(|e| internal("audit append", e))
    }
}
