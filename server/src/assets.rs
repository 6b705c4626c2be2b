//! Finds the built client's files (hashed names) for the page shell and the service worker.
use app::ssr::Assets;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Files the service worker keeps for offline use besides everything under /pkg.
const STATIC_PRECACHE: &[&str] = &[
    "/offline.html",
    "/offline.css",
    "/offline.js",
    "/manifest.webmanifest",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
];

pub fn discover(site_root: &Path, pkg_dir: &str) -> Assets {
    let mut pkg: Vec<String> = std::fs::read_dir(site_root.join(pkg_dir))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    pkg.sort();
    let css_href = pkg.iter().find(|n| n.ends_with(".css")).map(|n| format!("/{pkg_dir}/{n}")).unwrap_or_default();
    let mut precache: Vec<String> = pkg
        .iter()
        .filter(|n| n.ends_with(".js") || n.ends_with(".wasm") || n.ends_with(".css"))
        // Lazily loaded page chunks (`--split`) are cached when first used, not on install:
        // a phone on a weak network should not download every page's code up front.
        .filter(|n| !n.starts_with("chunk_") && !n.starts_with("split_"))
        .map(|n| format!("/{pkg_dir}/{n}"))
        .collect();
    precache.extend(
        STATIC_PRECACHE.iter().filter(|p| site_root.join(p.trim_start_matches('/')).exists()).map(|p| p.to_string()),
    );
    let mut hasher = Sha256::new();
    for name in &precache {
        hasher.update(name.as_bytes());
        hasher.update(b"\n");
    }
    // Unhashed static files change without changing their names: fold their bytes in too.
    for p in STATIC_PRECACHE {
        if let Ok(bytes) = std::fs::read(site_root.join(p.trim_start_matches('/'))) {
            hasher.update(&bytes);
        }
    }
    let version = hex::encode(&hasher.finalize()[..8]);
    Assets { css_href, precache, version }
}

/// The service worker with this build's precache list and version filled in.
pub fn service_worker(template: &str, assets: &Assets) -> String {
    let list = serde_json::to_string(&assets.precache).unwrap_or_else(|_| "[]".into());
    template.replace("\"__TIANPING_PRECACHE__\"", &list).replace("__TIANPING_VERSION__", &assets.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_worker_gets_the_file_list_and_version() {
        let assets = Assets { css_href: String::new(), precache: vec!["/pkg/a.js".into()], version: "v1".into() };
        let sw = service_worker("const P = \"__TIANPING_PRECACHE__\"; const V = \"__TIANPING_VERSION__\";", &assets);
        assert_eq!(sw, "const P = [\"/pkg/a.js\"]; const V = \"v1\";");
    }

    #[test]
    fn hashed_client_files_are_found_and_the_stylesheet_linked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        for f in ["tianping.abc.js", "tianping.abc.wasm", "tianping.def.css"] {
            std::fs::write(dir.path().join("pkg").join(f), b"x").unwrap();
        }
        std::fs::write(dir.path().join("offline.html"), b"<h1>offline</h1>").unwrap();
        let assets = discover(dir.path(), "pkg");
        assert_eq!(assets.css_href, "/pkg/tianping.def.css");
        assert!(assets.precache.contains(&"/pkg/tianping.abc.wasm".to_string()));
        assert!(assets.precache.contains(&"/offline.html".to_string()));
        std::fs::write(dir.path().join("offline.html"), b"<h1>changed</h1>").unwrap();
        assert_ne!(discover(dir.path(), "pkg").version, assets.version);
    }
}
