//! Web Push, the outside system that reaches a person's devices when Tianping is closed: the
//! push service trait (the browser vendor's service in production, an outbox table in the
//! sandbox), our VAPID key, and the sender that pushes each new notice once.
use super::outside::{BoxFuture, OutsideError};
use sqlx::SqlitePool;
use std::sync::Arc;
use web_push_native::jwt_simple::algorithms::ES256KeyPair;

/// What the push service said of a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    Accepted,
    /// The subscription is gone (the person turned notifications off, or uninstalled): forget it.
    Gone,
}

/// Hands an encrypted, signed push message to the push service named in its URL.
pub trait PushService: Send + Sync {
    fn deliver<'a>(&'a self, request: http::Request<Vec<u8>>, at: i64) -> BoxFuture<'a, Result<Delivery, OutsideError>>;
}

/// The real thing: an HTTPS POST to the subscription's endpoint (RFC 8030).
pub struct HttpPush {
    pub client: reqwest::Client,
}

impl PushService for HttpPush {
    fn deliver<'a>(&'a self, request: http::Request<Vec<u8>>, _at: i64) -> BoxFuture<'a, Result<Delivery, OutsideError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let mut req = self.client.post(parts.uri.to_string()).body(body).timeout(std::time::Duration::from_secs(10));
            for (name, value) in &parts.headers {
                req = req.header(name.as_str(), value.as_bytes());
            }
            let res = req.send().await.map_err(|e| OutsideError::Unavailable(format!("push service: {e}")))?;
            match res.status().as_u16() {
                200..=299 => Ok(Delivery::Accepted),
                404 | 410 => Ok(Delivery::Gone),
                s => Err(OutsideError::Unavailable(format!("push service answered {s}"))),
            }
        })
    }
}

/// The sandbox push service: keeps each message as sent (headers and encrypted body) in
/// `sandbox_push`, where tests decrypt it with the subscription's own keys.
pub struct SandboxPush {
    pub db: SqlitePool,
}

impl PushService for SandboxPush {
    fn deliver<'a>(&'a self, request: http::Request<Vec<u8>>, at: i64) -> BoxFuture<'a, Result<Delivery, OutsideError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let endpoint = parts.uri.to_string();
            let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            // An endpoint ending in /gone stands for a subscription the browser dropped.
            if endpoint.ends_with("/gone") {
                return Ok(Delivery::Gone);
            }
            sqlx::query("INSERT INTO sandbox_push (at, endpoint, authorization, ttl, encoding, body) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(at)
                .bind(&endpoint)
                .bind(header("authorization"))
                .bind(header("ttl"))
                .bind(header("content-encoding"))
                .bind(body)
                .execute(&self.db)
                .await?;
            Ok(Delivery::Accepted)
        })
    }
}

/// Our side of Web Push: the VAPID key pair that identifies this server to push services, and
/// the service messages go through.
pub struct Pusher {
    key: ES256KeyPair,
    public_key: String,
    /// Who push services contact about our messages (RFC 8292 `sub`).
    contact: String,
    service: Arc<dyn PushService>,
}

impl std::fmt::Debug for Pusher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pusher").field("public_key", &self.public_key).finish_non_exhaustive()
    }
}

/// A stored subscription of one device.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Subscription {
    id: i64,
    endpoint: String,
    p256dh: String,
    auth: String,
    locale: String,
}

impl Pusher {
    /// The key pair from a secret (configured, or generated once in the data directory).
    pub fn from_secret(secret: &[u8], contact: String, service: Arc<dyn PushService>) -> Result<Pusher, String> {
        use sha2::Digest;
        let scalar = sha2::Sha256::digest(secret);
        let key = ES256KeyPair::from_bytes(&scalar).map_err(|e| format!("the push key cannot be made: {e}"))?;
        use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;
        let secret = web_push_native::p256::SecretKey::from_slice(&scalar).map_err(|e| format!("the push key cannot be made: {e}"))?;
        let public_key = crate::ui::base64url::b64url_encode(secret.public_key().to_encoded_point(false).as_bytes());
        Ok(Pusher { key, public_key, contact, service })
    }

    /// The application server key browsers subscribe with (uncompressed P-256, base64url).
    pub fn public_key(&self) -> String {
        self.public_key.clone()
    }

    /// Pushes every notice not yet pushed to the devices of people who want push messages.
    /// Each notice is claimed before it is sent, so two servers never both send it; a push
    /// service that fails loses that push (the inbox still has the notice).
    pub async fn flush(&self, db: &SqlitePool, now: i64) -> Result<usize, sqlx::Error> {
        let pending: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT id, person_id, message, params FROM notifications WHERE pushed_at IS NULL ORDER BY id LIMIT 200").fetch_all(db).await?;
        let mut sent = 0;
        for (id, person, message, params) in pending {
            let claimed = sqlx::query("UPDATE notifications SET pushed_at = ? WHERE id = ? AND pushed_at IS NULL").bind(now).bind(id).execute(db).await?;
            if claimed.rows_affected() == 0 {
                continue;
            }
            let devices: Vec<Subscription> = sqlx::query_as(
                "SELECT s.id, s.endpoint, s.p256dh, s.auth, s.locale FROM push_subscriptions s JOIN people p ON p.id = s.person_id
                 WHERE s.person_id = ? AND p.notify_push = 1",
            )
            .bind(person)
            .fetch_all(db)
            .await?;
            let case_number = serde_json::from_str::<serde_json::Value>(&params).ok().and_then(|v| v["case_number"].as_str().map(String::from)).unwrap_or_default();
            for device in devices {
                let locale = device.locale.parse::<crate::i18n::Locale>().unwrap_or_default();
                let body = serde_json::json!({
                    "title": crate::i18n::td_string!(locale, brand).to_string(),
                    "body": crate::cases::inbox::notice_text(locale, &message, &case_number),
                    // Through the inbox, so opening the message marks the notice read.
                    "link": format!("/inbox/{id}"),
                    "tag": format!("notice-{id}"),
                });
                match self.send(&device, body.to_string().into_bytes(), now).await {
                    Ok(Delivery::Accepted) => sent += 1,
                    Ok(Delivery::Gone) => {
                        sqlx::query("DELETE FROM push_subscriptions WHERE id = ?").bind(device.id).execute(db).await?;
                    }
                    Err(e) => tracing::warn!(error = %e, subscription = device.id, "a push message could not be handed to the push service"),
                }
            }
        }
        Ok(sent)
    }

    async fn send(&self, device: &Subscription, body: Vec<u8>, now: i64) -> Result<Delivery, OutsideError> {
        use web_push_native::{Auth, WebPushBuilder, p256::PublicKey};
        let bad = |what: &str| OutsideError::Unavailable(format!("a stored subscription has a bad {what}"));
        let endpoint: http::Uri = device.endpoint.parse().map_err(|_| bad("endpoint"))?;
        let p256dh = crate::ui::base64url::b64url_decode(&device.p256dh).ok_or_else(|| bad("key"))?;
        let auth = crate::ui::base64url::b64url_decode(&device.auth).ok_or_else(|| bad("secret"))?;
        let ua_public = PublicKey::from_sec1_bytes(&p256dh).map_err(|_| bad("key"))?;
        let auth: [u8; 16] = auth.try_into().map_err(|_| bad("secret"))?;
        let request = WebPushBuilder::new(endpoint, ua_public, Auth::from(auth))
            .with_valid_duration(std::time::Duration::from_secs(24 * 3600))
            .with_vapid(&self.key, &self.contact)
            .build(body)
            .map_err(|e| OutsideError::Unavailable(format!("a push message cannot be built: {e}")))?;
        self.service.deliver(request, now).await
    }
}
