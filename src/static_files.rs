//! The site's files (stylesheet, WebAssembly, icons) and the photos people upload, served as
//! they lie on disk: compressed once at build time (`cargo leptos build --precompress` writes
//! a `.br` and a `.gz` beside each file) and outside the session and compression middleware,
//! so that answering one costs a file read, never a database lookup or a compression.

use axum::{
    Router,
    http::{HeaderValue, header},
};
use leptos::config::LeptosOptions;
use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

/// For names that change whenever their content does: a cache may keep them for ever.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// For names that stay the same across releases: ask each time (a 304 when unchanged).
const REVALIDATE: &str = "no-cache";

/// The release build's content hashes, written by cargo-leptos (`hash-files`) beside the
/// server binary, where Leptos reads them too: `css: …`, `js: …`, `wasm: …`. Read once.
fn build_hashes() -> &'static Option<String> {
    static HASHES: OnceLock<Option<String>> = OnceLock::new();
    HASHES.get_or_init(|| {
        let beside_binary = std::env::current_exe().ok()?.parent()?.join("hash.txt");
        std::fs::read_to_string(beside_binary).ok()
    })
}

/// Whether this binary was built with content-hashed file names (a release build); test
/// binaries and `cargo run` serve the plain names.
pub fn names_are_hashed() -> bool {
    build_hashes().is_some()
}

/// The name cargo-leptos gives the stylesheet, script and WebAssembly (`output-name`).
pub const OUTPUT_NAME: &str = "concerts";
/// Where they are served (`site-pkg-dir`).
pub const PKG_DIR: &str = "pkg";

/// The stylesheet's address, with its content hash when there is one. Computed once.
pub fn stylesheet_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let hash = build_hashes().as_deref().and_then(|hashes| {
            hashes
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(kind, _)| kind.trim() == "css")
                .map(|(_, hash)| hash.trim())
        });
        match hash {
            Some(hash) => format!("/{PKG_DIR}/{OUTPUT_NAME}.{hash}.css"),
            None => format!("/{PKG_DIR}/{OUTPUT_NAME}.css"),
        }
    })
}

/// Routes for everything under `site_root` (`/pkg/…` and the files at the top, such as
/// the icons) and for the uploaded photos in `photos`.
pub fn routes(options: &LeptosOptions, photos: &Path) -> Router {
    let site_root = PathBuf::from(options.site_root.as_ref());
    let pkg_cache = if names_are_hashed() {
        FOREVER
    } else {
        REVALIDATE
    };
    let pkg = ServeDir::new(site_root.join(PKG_DIR))
        .precompressed_br()
        .precompressed_gzip();
    let mut router = Router::new()
        .nest_service(&format!("/{PKG_DIR}"), pkg)
        .layer(cache_control(pkg_cache));
    // Photo names are content hashes too: a name never changes meaning.
    router = router.merge(
        Router::new()
            .nest_service("/media/photos", ServeDir::new(photos))
            .layer(cache_control(FOREVER)),
    );
    // The files at the top of the site (icons, manifest): one route each, so that pages are
    // never looked for on disk first.
    let mut top_level = Router::new();
    for file in top_level_files(&site_root) {
        let Some(name) = file.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        let service = ServeFile::new(&file)
            .precompressed_br()
            .precompressed_gzip();
        top_level = top_level.route_service(&format!("/{name}"), service);
    }
    router.merge(top_level.layer(cache_control(REVALIDATE)))
}

fn cache_control(value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(value))
}

/// The files directly in `site_root`, without their compressed copies.
fn top_level_files(site_root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        tracing::warn!(site_root = %site_root.display(), "site root not found: no static files");
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter(|path| {
            !path
                .extension()
                .is_some_and(|extension| extension == "gz" || extension == "br")
        })
        .collect()
}
