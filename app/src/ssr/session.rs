//! Session tokens and cookies. The cookie carries 128 random bits; the database keeps only their
//! SHA-256 (identity/store.rs), so neither a log line nor a database copy can replay a session.
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "tp_session";
/// The browser that asked for a code holds this cookie; the code works only there.
pub const PENDING_CODE_COOKIE: &str = "tp_otp";

/// A fresh random token (128 bits, hex) and the hash stored for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session cookie: HttpOnly, SameSite=Lax, Secure over TLS. No Max-Age: the server decides
/// expiry, and closing the browser forgets it.
pub fn cookie(name: &str, token: &str, secure: bool, max_age: Option<i64>) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax{age}{secure}")
}

pub fn clear_cookie(name: &str, secure: bool) -> String {
    cookie(name, "", secure, Some(0))
}

/// A plausible token: what a cookie must look like before we hash and look it up.
pub fn well_formed(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_random_bits_and_only_their_hash_is_kept() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_eq!(a.len(), 32);
        assert!(well_formed(&a));
        assert_ne!(a, b);
        assert_eq!(ha, token_hash(&a));
        assert!(!ha.contains(&a));
    }

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_over_tls() {
        let c = cookie(SESSION_COOKIE, "abc", true, None);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!cookie(SESSION_COOKIE, "abc", false, None).contains("Secure"));
    }
}
