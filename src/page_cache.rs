//! How browsers may keep pages.
//!
//! A page that shows someone's own data (every page of a signed-in member: messages, host
//! profiles, the account) or that was opened from a one-time link is never stored
//! (`no-store`, see `forbid_storing`): on a shared computer, Back after signing out and the
//! browser's disk cache show nothing of it. Every other page is a visitor's: browsers ask for
//! it each time (`private, no-cache`), and one that has not changed comes back as an empty
//! `304 Not Modified` (its `ETag` is a hash of the page).
//!
//! A visitor's page loads no app (see `auth::context::page_loads_app`), and its policy lets no script
//! run: the inline scripts Leptos writes after the document for hydration are cut here.

use axum::{
    body::{Body, Bytes},
    extract::Request,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::hash::{DefaultHasher, Hasher};

const PAGE_CACHE_CONTROL: &str = "private, no-cache";
const NEVER_STORED: &str = "no-store";

/// Asks that the page being rendered be kept by no cache, the browser's included.
pub fn forbid_storing() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            header::CACHE_CONTROL,
            HeaderValue::from_static(NEVER_STORED),
        );
    }
}

/// Adds `Cache-Control` and an `ETag` to every page that may be stored, and answers 304 to a
/// browser whose copy is still the page it would get. A page that loads no app leaves without
/// the hydration data Leptos appends to it, whatever its status.
pub async fn validate_pages(request: Request, next: Next) -> Response {
    let asks_page = request.method() == Method::GET;
    let known = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !is_html(response.headers()) {
        return response;
    }
    let cacheable = asks_page
        && response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CACHE_CONTROL);
    let plain = forbids_scripts(response.headers());
    if !cacheable && !plain {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Pages are rendered whole before they are sent (`SsrMode::Async`): nothing streams.
    let Ok(mut bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if plain {
        bytes = without_hydration_data(bytes);
        parts.headers.remove(header::CONTENT_LENGTH);
    }
    if !cacheable {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let etag = entity_tag(&bytes);
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PAGE_CACHE_CONTROL),
    );
    if known.as_ref().is_some_and(|known| matches(known, &etag)) {
        return not_modified(etag);
    }
    parts.headers.insert(header::ETAG, etag);
    Response::from_parts(parts, Body::from(bytes))
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"))
}

/// Whether the page's policy lets no script run: a page that does not load the app.
fn forbids_scripts(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .is_some_and(|policy| policy.contains("script-src 'none'"))
}

/// The page without what Leptos writes after the document for hydration (its resources'
/// data and bookkeeping, as inline scripts): a page that does not hydrate has no use for
/// them, and its policy would refuse to run them.
fn without_hydration_data(page: Bytes) -> Bytes {
    const END: &[u8] = b"</html>";
    match page.windows(END.len()).rposition(|window| window == END) {
        Some(start) => page.slice(..start + END.len()),
        None => page,
    }
}

/// A weak tag (the page may be sent compressed or not): a hash of the page. Not a secret, so
/// a fast 64-bit hash will do (fixed keys: the same from one start to the next). Pages that
/// carry a nonce are members' pages, which are never stored, hence never validated.
fn entity_tag(page: &Bytes) -> HeaderValue {
    let mut hasher = DefaultHasher::new();
    hasher.write(page);
    HeaderValue::from_str(&format!("W/\"{:016x}\"", hasher.finish()))
        .unwrap_or(HeaderValue::from_static("W/\"\""))
}

/// `If-None-Match` holds `*` or a list of tags, compared weakly (RFC 9110, 13.1.2).
fn matches(known: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(known) = known.to_str() else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = etag.to_str().map(opaque).unwrap_or_default();
    known
        .split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

fn not_modified(etag: HeaderValue) -> Response {
    (
        StatusCode::NOT_MODIFIED,
        [
            (header::ETAG, etag),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(PAGE_CACHE_CONTROL),
            ),
        ],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_page_has_the_same_tag_and_another_page_another() {
        let page = Bytes::from_static(b"<p>x</p>");
        assert_eq!(entity_tag(&page), entity_tag(&page.clone()));
        assert_ne!(
            entity_tag(&page),
            entity_tag(&Bytes::from_static(b"<p>y</p>"))
        );
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists() {
        let etag = HeaderValue::from_static("W/\"0a1b\"");
        assert!(matches(&HeaderValue::from_static("W/\"0a1b\""), &etag));
        assert!(matches(&HeaderValue::from_static("\"x\", \"0a1b\""), &etag));
        assert!(matches(&HeaderValue::from_static("*"), &etag));
        assert!(!matches(&HeaderValue::from_static("W/\"0a1c\""), &etag));
    }

    #[test]
    fn a_page_without_scripts_ends_with_its_document() {
        let page = Bytes::from_static(
            b"<!DOCTYPE html><html><body>x</body></html><script>__RESOLVED_RESOURCES=[];</script>",
        );
        assert_eq!(
            without_hydration_data(page),
            Bytes::from_static(b"<!DOCTYPE html><html><body>x</body></html>")
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; script-src 'none'"),
        );
        assert!(forbids_scripts(&headers));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-Q2xl' 'strict-dynamic'"),
        );
        assert!(!forbids_scripts(&headers));
    }
}
