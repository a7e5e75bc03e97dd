//! What search engines read: `/sitemap.xml` (published artists) and `/robots.txt`.

use crate::paths::{ARTISTS, HOME, SEARCH};

use crate::{artists::store, error::AppError, state::AppState};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

/// Pages to index, each published artist with the day of its last change.
pub async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = &state.config.public_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in [HOME, ARTISTS, SEARCH] {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base}{path}"))
        ));
    }
    for (slug, updated_at) in store::published_slugs(&state.db).await? {
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(&format!("{base}/artistes/{slug}")),
            day(updated_at)
        ));
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// Private pages stay out of search engines; the sitemap is announced.
pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\n\
             Disallow: /api/\n\
             Disallow: /profil\n\
             Disallow: /messages\n\
             Disallow: /connexion\n\
             Disallow: /inscription\n\
             Disallow: /hotes/\n\
             \n\
             Sitemap: {}/sitemap.xml\n",
            state.config.public_url
        ),
    )
}

/// "2026-11-25" from milliseconds since the epoch.
fn day(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .map(|date| {
            let date = date.date();
            format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            )
        })
        .unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_iso_dates() {
        assert_eq!(super::day(1_795_000_000_000), "2026-11-18");
        assert_eq!(super::day(0), "1970-01-01");
    }
}
