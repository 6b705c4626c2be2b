//! Protection of resident ID numbers at rest: AES-256-GCM encryption, and a keyed hash
//! (HMAC-SHA256) so a number can be looked up without being stored in the clear.
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Keys derived from the one configured secret, so encryption, look-up and receipt check codes
/// never share a key.
#[derive(Clone)]
pub struct IdentityKey {
    enc: [u8; 32],
    lookup: [u8; 32],
    receipts: [u8; 32],
}

// Keys never appear in logs.
impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentityKey(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the stored ID number cannot be decrypted with the configured key")]
    Decrypt,
}

fn derive(secret: &[u8], label: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) {
        mac.update(label.as_bytes());
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

impl IdentityKey {
    pub fn from_secret(secret: &[u8]) -> IdentityKey {
        IdentityKey {
            enc: derive(secret, "tianping/id/encrypt/v1"),
            lookup: derive(secret, "tianping/id/lookup/v1"),
            receipts: derive(secret, "tianping/receipt/verify/v1"),
        }
    }

    /// The key of receipts' check codes: lasting as the identity key does (a printed receipt's
    /// QR code must verify for years), unlike the kiosk secret, which may be rotated.
    pub fn receipt_key(&self) -> &[u8] {
        &self.receipts
    }

    /// The keyed hash used as the unique look-up column.
    pub fn lookup(&self, id_number: &str) -> String {
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(id_number.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A random 96-bit nonce followed by the ciphertext and tag.
    pub fn encrypt(&self, id_number: &str) -> Vec<u8> {
        let cipher = Aes256Gcm::new(&self.enc.into());
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        match cipher.encrypt(Nonce::from_slice(&nonce), id_number.as_bytes()) {
            Ok(ct) => [nonce.to_vec(), ct].concat(),
            Err(_) => Vec::new(),
        }
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<String, KeyError> {
        if stored.len() < 12 + 16 {
            return Err(KeyError::Decrypt);
        }
        let (nonce, ct) = stored.split_at(12);
        let cipher = Aes256Gcm::new(&self.enc.into());
        let plain = cipher.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| KeyError::Decrypt)?;
        String::from_utf8(plain).map_err(|_| KeyError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_number_round_trips_and_is_not_stored_in_the_clear() {
        let key = IdentityKey::from_secret(b"test-secret-0123456789abcdef0123");
        let stored = key.encrypt("11010519491231002X");
        assert!(!String::from_utf8_lossy(&stored).contains("110105"));
        assert_eq!(key.decrypt(&stored).unwrap(), "11010519491231002X");
        // A random nonce: the same number encrypts differently each time.
        assert_ne!(stored, key.encrypt("11010519491231002X"));
    }

    #[test]
    fn another_key_cannot_decrypt_and_gives_another_lookup_hash() {
        let a = IdentityKey::from_secret(b"key-a-0123456789abcdef0123456789");
        let b = IdentityKey::from_secret(b"key-b-0123456789abcdef0123456789");
        assert!(b.decrypt(&a.encrypt("11010519491231002X")).is_err());
        assert_ne!(a.lookup("11010519491231002X"), b.lookup("11010519491231002X"));
        assert_eq!(a.lookup("11010519491231002X"), a.lookup("11010519491231002X"));
    }

    #[test]
    fn a_changed_byte_is_detected() {
        let key = IdentityKey::from_secret(b"test-secret-0123456789abcdef0123");
        let mut stored = key.encrypt("11010519491231002X");
        let last = stored.len() - 1;
        stored[last] ^= 1;
        assert!(key.decrypt(&stored).is_err());
    }
}
