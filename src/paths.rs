//! Site addresses, for links, redirects, e-mails and the sitemap: the pages other features
//! link to, and queries encoded one way (`application/x-www-form-urlencoded`).

/// An artist's public page.
pub fn artist_path(slug: &str) -> String {
    format!("/artistes/{slug}")
}

/// A host's confidential profile page.
pub fn host_path(host_id: i64) -> String {
    format!("/hotes/{host_id}")
}

/// A conversation: `/messages/{id}`.
pub fn thread_path(conversation_id: i64) -> String {
    format!("/messages/{conversation_id}")
}

/// `path` with `pairs` as its query, encoded, empty values left out; added to the query
/// `path` may already have. "/recherche?type=jazz&ville=Lyon&page=2" and the like.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
        query.append_pair(name, value);
    }
    let query = query.finish();
    match (query.is_empty(), path.contains('?')) {
        (true, _) => path.to_owned(),
        (false, true) => format!("{path}&{query}"),
        (false, false) => format!("{path}?{query}"),
    }
}

/// `page` with `suite`, the local page to come back to after it (none if `next` is empty).
pub fn with_return(page: &str, next: &str) -> String {
    with_query(page, &[("suite", next)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded_and_added_to_one_already_there() {
        assert_eq!(
            with_query(
                "/recherche",
                &[("type", "musique du monde"), ("ville", ""), ("page", "2")]
            ),
            "/recherche?type=musique+du+monde&page=2"
        );
        assert_eq!(with_query("/artistes", &[("page", "")]), "/artistes");
        assert_eq!(
            with_return("/connexion", "/messages/3?avant=12"),
            "/connexion?suite=%2Fmessages%2F3%3Favant%3D12"
        );
        assert_eq!(
            with_return("/inscription?role=hote", "/artistes/trio"),
            "/inscription?role=hote&suite=%2Fartistes%2Ftrio"
        );
        assert_eq!(with_return("/connexion", ""), "/connexion");
    }
}
