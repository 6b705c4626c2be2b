//! Many pages and files at once on a multi-threaded server, as in production: every answer must
//! be whole, with its own nonce, its own title and its own person's headers. In its own test binary because
//! production runs one runtime per process, and the suites beside it each start their own.
// The suites' shared helpers, compiled into this binary too.
#[path = "suite/support/mod.rs"]
mod support;

use support::*;

struct Answer {
    url: String,
    english: bool,
    status: reqwest::StatusCode,
    csp: String,
    cache: String,
    body: String,
}

async fn get(b: reqwest::Client, url: String, english: bool) -> Answer {
    let lang = if english { "en-US" } else { "zh-CN" };
    let request = b.get(&url).header("accept-language", lang).send();
    // A page that never answers is the failure this suite exists to catch; it must not hang CI.
    let res = tokio::time::timeout(std::time::Duration::from_secs(30), request)
        .await
        .unwrap_or_else(|_| panic!("{url} did not answer within 30 s"))
        .expect("request");
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (status, csp, cache) = (res.status(), header("content-security-policy"), header("cache-control"));
    Answer { url, english, status, csp, cache, body: res.text().await.expect("body") }
}

/// Pages that wait for their data finish on whichever worker thread is free. Two faults this
/// catches: leptos_meta read reactive titles outside the request's arena (500s under load; titles
/// are now fixed during the render, ui/title.rs), and a site file served on a thread where a page
/// was rendering took that page's CSP and `no-store` (routes.rs `own_reactive_root`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_pages_at_once_each_get_their_own_policy_title_language_and_person() {
    // A site root with the files browsers ask for beside pages.
    let site = tempfile::tempdir().expect("site");
    std::fs::write(site.path().join("manifest.webmanifest"), br#"{"name":"Tianping"}"#).expect("manifest");
    std::fs::write(site.path().join("offline.css"), b"body{}").expect("css");
    std::fs::write(site.path().join("favicon.ico"), b"\0\0\x01\0").expect("icon");
    let root = site.path().display().to_string();
    let app = start(&[("LEPTOS_SITE_ROOT", &root)]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let (status, draft, _) = call(&app, &litigant, "filing/start", &[]).await;
    assert_eq!(status, 200, "{draft}");
    let draft = draft.as_i64().expect("draft id");
    let anonymous = browser();

    let litigant_pages = ["/me".to_string(), "/file".into(), format!("/file/{draft}/parties"), "/me/verify".into()];
    let clerk_pages = ["/staff", "/staff/filings"];
    let public_pages = ["/", "/signin", "/signin/code", "/handoff", "/pay", "/cases"];
    // Files of the site root, asked for while pages render, as a browser does.
    let files = ["/manifest.webmanifest", "/offline.css", "/favicon.ico"];
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..320 {
        let english = i % 2 == 0;
        let (b, path) = match i % 4 {
            0 => (litigant.clone(), litigant_pages[i % litigant_pages.len()].clone()),
            1 => (clerk.clone(), clerk_pages[i % clerk_pages.len()].to_string()),
            2 => (anonymous.clone(), public_pages[i % public_pages.len()].to_string()),
            _ => (anonymous.clone(), files[i % files.len()].to_string()),
        };
        tasks.spawn(get(b, format!("{}{path}", app.base), english));
    }
    let mut answered = 0;
    while let Some(done) = tasks.join_next().await {
        let a = done.expect("request task");
        let url = &a.url;
        answered += 1;
        if files.iter().any(|f| url.ends_with(f)) {
            assert_eq!(a.status, 200, "{url}");
            // A file never carries a page's headers: they would have been taken from that page.
            assert!(!a.csp.contains("nonce-") && !a.cache.contains("no-store"), "{url} got a page's headers: {:?} {:?}", a.csp, a.cache);
            continue;
        }
        assert_eq!(a.status, 200, "{url}: {}", a.body.chars().take(300).collect::<String>());
        let nonce = a.csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap_or_else(|| panic!("{url}: no nonce in {:?}", a.csp));
        assert!(a.body.contains(&format!("nonce=\"{nonce}\"")), "{url}: the scripts carry this answer's nonce");
        let title = a.body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_else(|| panic!("{url}: no title"));
        let brand = if a.english { "Tianping Court Services" } else { "天平诉讼服务" };
        assert!(title.ends_with(brand), "{url}: title {title:?} is not in the language asked for");
        let signed_in = !public_pages.iter().any(|p| url.ends_with(p));
        if signed_in {
            assert!(a.cache.contains("no-store"), "{url}: a signed-in page may not be stored ({:?})", a.cache);
            assert!(!a.body.contains("data-testid=\"sign-in-prompt\""), "{url}: a signed-in person was treated as signed out");
        }
    }
    assert_eq!(answered, 320);
}
