//! Kiosk enrolment: a court's device becomes a kiosk by opening a link signed with the server's
//! kiosk secret; the signed device name then lives in a long-lived cookie on that device.
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Device names are short and plain so they fit in a cookie and a log line.
pub fn valid_device_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What is signed: the device name, and the court whose lobby it stands in when known, as
/// `lobby-1` or `lobby-1~<court code as hex UTF-8>` (cookie values must be plain ASCII).
pub fn payload(device: &str, court: Option<&str>) -> String {
    match court {
        Some(code) => format!("{device}~{}", hex::encode(code.as_bytes())),
        None => device.to_string(),
    }
}

/// The device name and court of a payload, if well formed.
pub fn split_payload(payload: &str) -> Option<(String, Option<String>)> {
    let (device, court) = match payload.split_once('~') {
        Some((device, hex_court)) => {
            let court = String::from_utf8(hex::decode(hex_court).ok()?).ok()?;
            crate::courts::model::CourtCode::parse(&court).ok()?;
            (device, Some(court))
        }
        None => (payload, None),
    };
    valid_device_name(device).then(|| (device.to_string(), court))
}

pub fn sign(secret: &[u8], device: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac());
    mac.update(b"tianping-kiosk:");
    mac.update(device.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Checks a signature in constant time.
pub fn verify(secret: &[u8], device: &str, signature: &str) -> bool {
    let Ok(sig) = hex::decode(signature) else { return false };
    let mut mac = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac());
    mac.update(b"tianping-kiosk:");
    mac.update(device.as_bytes());
    split_payload(device).is_some() && mac.verify_slice(&sig).is_ok()
}

/// The cookie value: `device.signature`.
pub fn cookie_value(secret: &[u8], device: &str) -> String {
    format!("{device}.{}", sign(secret, device))
}

/// The kiosk a request comes from: the signed payload of its enrolment cookie, or `kiosk` when
/// the whole deployment runs on kiosks; None for every other device.
pub fn device_of(site: &super::SiteConfig, headers: &http::HeaderMap) -> Option<String> {
    super::prefs::cookie(headers, crate::ui::prefs::KIOSK_COOKIE)
        .and_then(|v| device_from_cookie(&site.kiosk_secret, v))
        .or_else(|| site.kiosk_everywhere.then(|| "kiosk".to_string()))
}

/// The device name from a cookie value, if its signature holds.
pub fn device_from_cookie(secret: &[u8], value: &str) -> Option<String> {
    let (device, sig) = value.rsplit_once('.')?;
    verify(secret, device, sig).then(|| device.to_string())
}

// HMAC accepts keys of any length, so construction cannot fail.
fn unreachable_hmac() -> HmacSha256 {
    unreachable!("HMAC-SHA256 takes keys of any length")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_device_cookie_verifies_and_a_changed_one_does_not() {
        let v = cookie_value(b"secret", "lobby-1");
        assert_eq!(device_from_cookie(b"secret", &v).as_deref(), Some("lobby-1"));
        assert_eq!(device_from_cookie(b"other", &v), None);
        let forged = v.replacen("lobby-1", "lobby-2", 1);
        assert_eq!(device_from_cookie(b"secret", &forged), None);
    }

    #[test]
    fn a_kiosk_payload_carries_its_court() {
        let p = payload("lobby-1", Some("京0105"));
        assert_eq!(split_payload(&p), Some(("lobby-1".into(), Some("京0105".into()))));
        let v = cookie_value(b"secret", &p);
        assert!(v.is_ascii());
        assert_eq!(device_from_cookie(b"secret", &v), Some(p));
        assert_eq!(split_payload("lobby-1~zz"), None);
    }

    #[test]
    fn device_names_with_odd_characters_are_refused() {
        assert!(valid_device_name("lobby_1-A"));
        assert!(!valid_device_name("lobby 1"));
        assert!(!valid_device_name(""));
        assert!(!verify(b"s", "a.b", &sign(b"s", "a.b")));
    }
}
