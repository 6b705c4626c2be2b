//! `POST /sign/check`: anyone uploads a PDF to learn whether it is exactly a document this
//! court sealed (server only). The file's SHA-256 is looked up among the sealed PDFs' hashes,
//! each kept and logged when the PDF was issued: the court's own file is found, and a copy with
//! a single byte changed is not. A plain form post answered by a redirect, so it works before
//! the page hydrates and without JavaScript.
use crate::ssr::AppState;
use crate::ssr::cx::Cx;
use axum::extract::Multipart;
use axum::response::{IntoResponse, Redirect, Response};

/// The largest PDF checked (a sealed document is far smaller).
pub const MAX_CHECK_BYTES: usize = 20 * 1024 * 1024;

/// Where an answer goes back to: the verification page the form was on, or the check page.
fn back_to(raw: &str) -> String {
    let raw = raw.trim();
    let safe = raw.starts_with("/sign/verify/") && !raw.contains("//") && raw.chars().all(|c| c.is_ascii_alphanumeric() || "/?=&_-".contains(c));
    if safe { raw.to_string() } else { "/sign/check".to_string() }
}

fn with(path: &str, query: &str) -> String {
    format!("{path}{}{query}", if path.contains('?') { '&' } else { '?' })
}

pub async fn check_pdf(state: AppState, parts: http::request::Parts, mut multipart: Multipart) -> Response {
    let cx = Cx { state, parts };
    if let Err(e) = cx.limit_ip("signing-verify").await {
        return e.into_response();
    }
    let (mut file, mut back) = (None::<Vec<u8>>, String::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name().unwrap_or_default() {
            "pdf" => match field.bytes().await {
                Ok(b) if !b.is_empty() && b.len() <= MAX_CHECK_BYTES => file = Some(b.to_vec()),
                _ => {}
            },
            "back" => back = field.text().await.unwrap_or_default().chars().take(200).collect(),
            _ => {}
        }
    }
    let back = back_to(&back);
    let Some(bytes) = file else { return Redirect::to(&with(&back, "file=none")).into_response() };
    let sha = super::model::sha256_hex(&bytes);
    match super::store::by_pdf(cx.db(), &sha).await {
        Ok(Some((id, seal))) => Redirect::to(&format!("/sign/verify/{id}?c={}&file=original", super::model::verification_code(&seal))).into_response(),
        Ok(None) => Redirect::to(&with(&back, "file=changed")).into_response(),
        Err(e) => crate::ssr::cx::internal("checking a PDF", e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_goes_back_only_to_a_verification_page() {
        assert_eq!(back_to("/sign/verify/12?c=0123abcd"), "/sign/verify/12?c=0123abcd");
        assert_eq!(back_to("https://evil.example/"), "/sign/check");
        assert_eq!(back_to("/sign/verify//evil.example"), "/sign/check");
        assert_eq!(back_to("/sign/verify/1?c=<script>"), "/sign/check");
        assert_eq!(with("/sign/check", "file=none"), "/sign/check?file=none");
        assert_eq!(with("/sign/verify/1?c=ab", "file=changed"), "/sign/verify/1?c=ab&file=changed");
    }
}
