//! Site addresses, for links, redirects, e-mails and the sitemap: every page's path (the
//! routes in `app.rs` answer each of them, which `tests/api/pages.rs` checks), and queries
//! encoded one way (`application/x-www-form-urlencoded`).

pub const HOME: &str = "/";
pub const ARTISTS: &str = "/artistes";
pub const SEARCH: &str = "/recherche";
pub const SIGN_UP: &str = "/inscription";
/// Sign-up with the host role chosen.
pub const SIGN_UP_HOST: &str = "/inscription?role=hote";
/// Sign-up with the artist role chosen.
pub const SIGN_UP_ARTIST: &str = "/inscription?role=artiste";
pub const SIGN_IN: &str = "/connexion";
pub const FORGOT_PASSWORD: &str = "/mot-de-passe-oublie";
/// Where a password reset link leads (with its `jeton`).
pub const NEW_PASSWORD: &str = "/mot-de-passe/nouveau";
/// The signed-in user's account: profile, e-mails, password.
pub const PROFILE: &str = "/profil";
pub const MESSAGES: &str = "/messages";
/// The signed-in member's concerts, to come and past.
pub const MY_CONCERTS: &str = "/concerts";
pub const ARCHIVED_MESSAGES: &str = "/messages?vue=archives";
pub const PRIVACY: &str = "/confidentialite";
/// Where an address confirmation link leads (with its `jeton`).
pub const CONFIRM_ADDRESS: &str = "/adresse/confirmer";
/// Where an e-mail's unsubscribe link leads (with its `jeton`).
pub const UNSUBSCRIBE: &str = "/desabonnement";
/// Where mail programs post their "unsubscribe" button (RFC 8058): a route, not a page.
pub const ONE_CLICK_UNSUBSCRIBE: &str = "/desabonnement/direct";
/// The moderators' desk (404 for everyone else).
pub const MODERATION: &str = "/moderation";
/// Where a report leads: its acknowledgement.
pub const REPORT_SENT: &str = "/signaler/merci";

/// Every page above, for the test that each is a route.
pub const PAGES: [&str; 16] = [
    HOME,
    ARTISTS,
    SEARCH,
    SIGN_UP,
    SIGN_UP_HOST,
    SIGN_UP_ARTIST,
    SIGN_IN,
    FORGOT_PASSWORD,
    NEW_PASSWORD,
    PROFILE,
    MESSAGES,
    ARCHIVED_MESSAGES,
    MY_CONCERTS,
    PRIVACY,
    CONFIRM_ADDRESS,
    UNSUBSCRIBE,
];

/// An artist's public page.
pub fn artist_path(slug: &str) -> String {
    format!("/artistes/{slug}")
}

/// A host's confidential profile page.
pub fn host_path(host_id: i64) -> String {
    format!("/hotes/{host_id}")
}

/// A conversation: `/messages/{id}`.
/// The page reporting a message or a conversation (by id) or an artist's profile (by slug):
/// `segment` is "message", "conversation" or "profil".
pub fn report_path(segment: &str, target: &str) -> String {
    format!("/signaler/{segment}/{target}")
}

/// A host's details in the moderators' desk.
pub fn moderation_host_path(host_id: i64) -> String {
    format!("/moderation/hotes/{host_id}")
}

pub fn thread_path(conversation_id: i64) -> String {
    format!("/messages/{conversation_id}")
}

/// One of a member's concerts, with its reviews.
pub fn concert_path(request_id: i64) -> String {
    format!("/concerts/{request_id}")
}

/// An accepted concert's calendar file (`text/calendar`), for its two participants.
pub fn concert_calendar_path(request_id: i64) -> String {
    format!("/concerts/{request_id}/calendrier.ics")
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

/// `page` with the one-time or signed token of an e-mail's link (`?jeton=`).
pub fn with_token(page: &str, token: &str) -> String {
    with_query(page, &[("jeton", token)])
}

/// `page` saying its action is done (`?fait=1`): after a form posted without JavaScript.
pub fn done(page: &str) -> String {
    with_query(page, &[("fait", "1")])
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
