//! `AppError`: the one error type that crosses the wire between server functions and pages.
//!
//! Messages are translation keys, never sentences, so the page shows them in the reader's
//! language. Internal causes stay in the server log under the reference id.
use serde::{Deserialize, Serialize};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::collections::BTreeMap;

/// Field name → translation key of what is wrong with it.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests, retry after {retry_after_s} s")]
    RateLimited { retry_after_s: u32 },
    #[error("internal error, reference {0}")]
    Internal(String),
}

impl AppError {
    /// One field refused: `name` is the field, `key` the translation key saying why.
    pub fn field(name: &str, key: &str) -> AppError {
        AppError::Invalid(FieldErrors::from([(name.to_string(), key.to_string())]))
    }

    /// The HTTP status each variant maps to (one each, so clients and logs agree).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Internal(_) => 500,
        }
    }
}

/// For routes that are not server functions (uploads, files): the same status and JSON body a
/// server function's error gets, with `Retry-After` when rate limited.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = match &self {
            AppError::RateLimited { retry_after_s } => Some(retry_after_s.to_string()),
            _ => None,
        };
        let mut res = (status, axum::Json(self)).into_response();
        if let Some(v) = retry_after.and_then(|v| http::HeaderValue::from_str(&v).ok()) {
            res.headers_mut().insert(http::header::RETRY_AFTER, v);
        }
        res
    }
}

impl AppError {
    /// Reads the JSON this type serialises to, without serde_json: the page layout reads the
    /// error a refused no-script form post carries back, and serde_json's deserializer would
    /// cost the first-visit download ~25 KB. Field errors keep their first entry.
    pub fn from_json_lite(json: &str) -> Option<AppError> {
        let json = json.trim();
        let string_at = |s: &str| -> Option<String> {
            let s = s.trim().strip_prefix('"')?;
            let end = s.find('"')?;
            let value = &s[..end];
            (!value.contains('\\')).then(|| value.to_string())
        };
        match json {
            "\"Unauthenticated\"" => return Some(AppError::Unauthenticated),
            "\"Forbidden\"" => return Some(AppError::Forbidden),
            "\"NotFound\"" => return Some(AppError::NotFound),
            _ => {}
        }
        let inner = json.strip_prefix('{')?.strip_suffix('}')?;
        let (tag, value) = inner.split_once(':')?;
        let value = value.trim();
        match string_at(tag)?.as_str() {
            "Conflict" => Some(AppError::Conflict(string_at(value)?)),
            "Internal" => Some(AppError::Internal(string_at(value)?)),
            "RateLimited" => {
                let digits: String = value.split_once(':')?.1.chars().filter(char::is_ascii_digit).collect();
                Some(AppError::RateLimited { retry_after_s: digits.parse().ok()? })
            }
            "Invalid" => {
                let fields = value.strip_prefix('{')?.strip_suffix('}')?;
                let mut errors = FieldErrors::new();
                if let Some((field, key)) = fields.split(',').next().and_then(|pair| pair.split_once(':')) {
                    errors.insert(string_at(field)?, string_at(key)?);
                }
                Some(AppError::Invalid(errors))
            }
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request itself was malformed: say so, without echoing it back.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Invalid(FieldErrors::from([("request".into(), "error_bad_request".into())]))
            }
            _ => AppError::Internal("transport".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_its_own_http_status() {
        let all = [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Invalid(FieldErrors::new()),
            AppError::Conflict("x".into()),
            AppError::RateLimited { retry_after_s: 1 },
            AppError::Internal("r".into()),
        ];
        let statuses: std::collections::BTreeSet<u16> = all.iter().map(AppError::status).collect();
        assert_eq!(statuses.len(), all.len());
    }

    #[test]
    fn the_light_reader_understands_what_serde_writes() {
        let all = [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Invalid(FieldErrors::from([("code".to_string(), "error_code_format".to_string())])),
            AppError::Conflict("error_code_wrong".into()),
            AppError::RateLimited { retry_after_s: 42 },
            AppError::Internal("E12AB".into()),
        ];
        for e in all {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(AppError::from_json_lite(&json), Some(e), "{json}");
        }
        assert_eq!(AppError::from_json_lite("{\"Conflict\":\"a\\\"b\"}"), None);
        assert_eq!(AppError::from_json_lite("garbage"), None);
    }

    #[test]
    fn a_malformed_request_becomes_a_field_error_not_an_internal_one() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("bad".into()));
        assert!(matches!(e, AppError::Invalid(_)));
    }
}
