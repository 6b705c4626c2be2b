//! Uploaded files on disk: content-addressed by SHA-256 (`blobs/sha256/ab/abcd…`), so the same
//! evidence uploaded twice is kept once and a file's name in storage proves its content. Uploads
//! in progress grow in `uploads/<id>.part` until their last byte arrives.
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    /// Files under `data_dir` (created on first use).
    pub fn new(data_dir: &Path) -> BlobStore {
        BlobStore { root: data_dir.to_path_buf() }
    }

    fn part_path(&self, upload_id: i64) -> PathBuf {
        self.root.join("uploads").join(format!("{upload_id}.part"))
    }

    /// Where the file with this fingerprint lives. Only hex fingerprints name a path.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let ok = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        ok.then(|| self.root.join("blobs").join("sha256").join(&sha256[..2]).join(sha256))
    }

    /// Appends a chunk to an upload in progress. `offset` must be where the part file ends: a
    /// chunk sent twice after a dropped answer is refused by the caller before it gets here.
    pub async fn append_part(&self, upload_id: i64, offset: u64, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.part_path(upload_id);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut file = tokio::fs::OpenOptions::new().create(true).append(true).open(&path).await?;
        // A crash between the write and the database update leaves extra bytes: cut back to the
        // offset the database knows before appending.
        file.set_len(offset).await?;
        file.write_all(bytes).await?;
        file.sync_data().await?;
        Ok(())
    }

    /// The first bytes of an upload in progress (to decide its type from content).
    pub async fn part_head(&self, upload_id: i64, n: usize) -> std::io::Result<Vec<u8>> {
        let mut file = tokio::fs::File::open(self.part_path(upload_id)).await?;
        let mut head = vec![0u8; n];
        let read = file.read(&mut head).await?;
        head.truncate(read);
        Ok(head)
    }

    /// Moves a finished upload into the content-addressed store; answers its SHA-256.
    pub async fn finish_part(&self, upload_id: i64) -> std::io::Result<String> {
        let part = self.part_path(upload_id);
        let mut file = tokio::fs::File::open(&part).await?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let sha = hex::encode(hasher.finalize());
        let target = self.path_of(&sha).ok_or_else(|| std::io::Error::other("bad fingerprint"))?;
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        if tokio::fs::try_exists(&target).await? {
            tokio::fs::remove_file(&part).await?;
        } else {
            tokio::fs::rename(&part, &target).await?;
        }
        Ok(sha)
    }

    /// Keeps a whole file that arrived in one request (a document staff serve); answers its
    /// SHA-256. Written to a temporary name first, so a crash never leaves half a blob under a
    /// fingerprint.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let target = self.path_of(&sha).ok_or_else(|| std::io::Error::other("bad fingerprint"))?;
        if tokio::fs::try_exists(&target).await? {
            return Ok(sha);
        }
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = target.with_extension(format!("{}-{n}.tmp", std::process::id()));
        let mut file = tokio::fs::File::create(&temp).await?;
        file.write_all(bytes).await?;
        file.sync_data().await?;
        tokio::fs::rename(&temp, &target).await?;
        Ok(sha)
    }

    /// Forgets an upload that was refused.
    pub async fn discard_part(&self, upload_id: i64) {
        let _ = tokio::fs::remove_file(self.part_path(upload_id)).await;
    }

    pub async fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self.path_of(sha256).ok_or_else(|| std::io::Error::other("bad fingerprint"))?;
        tokio::fs::read(path).await
    }
}

/// A stored file as an HTTP answer: its type, how the browser should show it (`inline` or
/// `attachment`, with the name it suggests), never cached, never able to run script in our
/// origin (the bytes are people's uploads), and its fingerprint for the reader to check.
pub fn file_response(bytes: Vec<u8>, mime: &'static str, disposition: &str, sha256: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{HeaderValue, header};
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"));
    if let Ok(v) = HeaderValue::from_str(sha256) {
        h.insert(header::HeaderName::from_static("x-content-sha256"), v);
    }
    res
}
