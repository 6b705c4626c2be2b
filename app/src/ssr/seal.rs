//! The court seal (电子印章) on signed documents: an Ed25519 key derived from the configured
//! secret (`TIANPING_SEAL_KEY`, else one generated on first start and kept in the data
//! directory), signing a sealed document's statement; anyone can check a seal with the public key.
use ed25519_compact::{KeyPair, PublicKey, Seed, Signature};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct SealKey {
    pair: KeyPair,
}

// The secret half never appears in logs.
impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKey(public {})", self.public_hex())
    }
}

impl SealKey {
    /// The same secret always gives the same key, so a restart keeps every seal checkable.
    pub fn from_secret(secret: &[u8]) -> SealKey {
        let mut h = Sha256::new();
        h.update(b"tianping/seal/ed25519/v1");
        h.update(secret);
        let seed: [u8; 32] = h.finalize().into();
        SealKey { pair: KeyPair::from_seed(Seed::new(seed)) }
    }

    /// Signs a statement (deterministically: Ed25519 needs no randomness), as lowercase hex.
    pub fn sign(&self, statement: &[u8]) -> String {
        hex::encode(self.pair.sk.sign(statement, None).as_ref())
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.pair.pk.as_ref())
    }

    /// Whether `signature` (hex) is this key's seal over `statement`.
    pub fn verify(&self, statement: &[u8], signature: &str) -> bool {
        verify_with(&self.public_hex(), statement, signature)
    }
}

/// Checks a seal with a public key alone (hex), as anyone holding the court's key can.
pub fn verify_with(public: &str, statement: &[u8], signature: &str) -> bool {
    let (Ok(pk), Ok(sig)) = (hex::decode(public), hex::decode(signature)) else { return false };
    let (Ok(pk), Ok(sig)) = (PublicKey::from_slice(&pk), Signature::from_slice(&sig)) else { return false };
    pk.verify(statement, &sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_verifies_for_its_statement_only_and_the_key_is_stable_across_restarts() {
        let key = SealKey::from_secret(b"a-court-seal-secret-of-32-characters!");
        let seal = key.sign(b"statement");
        assert!(key.verify(b"statement", &seal));
        assert!(!key.verify(b"statemenT", &seal), "a changed statement");
        let mut forged = seal.clone().into_bytes();
        forged[0] = if forged[0] == b'0' { b'1' } else { b'0' };
        assert!(!key.verify(b"statement", &String::from_utf8(forged).expect("hex")), "a changed seal");
        assert!(!SealKey::from_secret(b"another-secret-another-secret-12345").verify(b"statement", &seal), "another key");
        assert_eq!(SealKey::from_secret(b"a-court-seal-secret-of-32-characters!").public_hex(), key.public_hex());
        assert!(!verify_with("zz", b"statement", &seal));
    }
}
