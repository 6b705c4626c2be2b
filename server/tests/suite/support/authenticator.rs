//! A software passkey for the suites: registers with the server's creation options and answers
//! its request options with real ES256 assertions (what a phone's authenticator does), so the
//! server's WebAuthn checks run unchanged. Attestation "none"; user present and verified.
use p256::ecdsa::{DerSignature, SigningKey, signature::Signer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct SoftPasskey {
    key: SigningKey,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    counter: u32,
    pub origin: String,
    rp_id: String,
}

pub use app::ui::base64url::b64url_encode as b64url;

pub fn b64url_decode(text: &str) -> Vec<u8> {
    app::ui::base64url::b64url_decode(text).expect("base64url")
}

fn bytes_head(len: usize) -> Vec<u8> {
    match len {
        0..=23 => vec![0x40 | len as u8],
        24..=255 => vec![0x58, len as u8],
        _ => vec![0x59, (len >> 8) as u8, len as u8],
    }
}

impl SoftPasskey {
    /// A passkey for `origin` (`http://localhost:3000`: its host is the relying party id).
    pub fn new(origin: &str, seed: u8) -> SoftPasskey {
        let key = SigningKey::from_bytes(&[seed.max(1); 32].into()).expect("a valid P-256 scalar");
        let rp_id = origin.split("://").nth(1).unwrap_or(origin).split(':').next().unwrap_or_default().to_string();
        SoftPasskey { key, credential_id: vec![seed; 16], user_handle: Vec::new(), counter: 0, origin: origin.to_string(), rp_id }
    }

    pub fn credential_id_hex(&self) -> String {
        self.credential_id.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false }).to_string().into_bytes()
    }

    fn auth_data(&self, flags: u8, counter: u32) -> Vec<u8> {
        let mut out = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        out.push(flags);
        out.extend_from_slice(&counter.to_be_bytes());
        out
    }

    /// Answers `navigator.credentials.create()` for the server's options (JSON text).
    pub fn register(&mut self, options: &str) -> String {
        let options: Value = serde_json::from_str(options).expect("creation options");
        let challenge = options["publicKey"]["challenge"].as_str().expect("challenge").to_string();
        self.user_handle = b64url_decode(options["publicKey"]["user"]["id"].as_str().expect("user id"));
        let point = self.key.verifying_key().to_encoded_point(false);
        let (x, y) = (point.x().expect("x"), point.y().expect("y"));
        // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend_from_slice(x);
        cose.extend_from_slice(&[0x22, 0x58, 0x20]);
        cose.extend_from_slice(y);
        let mut auth = self.auth_data(0x45, self.counter);
        auth.extend_from_slice(&[0u8; 16]);
        auth.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth.extend_from_slice(&self.credential_id);
        auth.extend_from_slice(&cose);
        // {"fmt": "none", "attStmt": {}, "authData": auth}
        let mut att = vec![0xa3, 0x63];
        att.extend_from_slice(b"fmt");
        att.push(0x64);
        att.extend_from_slice(b"none");
        att.push(0x67);
        att.extend_from_slice(b"attStmt");
        att.push(0xa0);
        att.push(0x68);
        att.extend_from_slice(b"authData");
        att.extend(bytes_head(auth.len()));
        att.extend_from_slice(&auth);
        let id = b64url(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key", "extensions": {},
            "response": { "attestationObject": b64url(&att), "clientDataJSON": b64url(&self.client_data("webauthn.create", &challenge)) }
        })
        .to_string()
    }

    /// Answers `navigator.credentials.get()` for the server's options (JSON text).
    pub fn assert(&mut self, options: &str) -> String {
        let options: Value = serde_json::from_str(options).expect("request options");
        let challenge = options["publicKey"]["challenge"].as_str().expect("challenge").to_string();
        self.counter += 1;
        let auth = self.auth_data(0x05, self.counter);
        let client_data = self.client_data("webauthn.get", &challenge);
        let mut signed = auth.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature: DerSignature = self.key.sign(&signed);
        let id = b64url(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key", "extensions": {},
            "response": {
                "authenticatorData": b64url(&auth), "clientDataJSON": b64url(&client_data),
                "signature": b64url(signature.as_bytes()), "userHandle": b64url(&self.user_handle)
            }
        })
        .to_string()
    }
}
