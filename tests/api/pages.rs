//! Server-rendered pages: status codes, headers, redirects, and forms posted without
//! JavaScript.

use crate::common::{
    app_files_loaded_by, client, spawn_app, spawn_app_with, spawn_app_with_routes,
};

const PASSWORD: &str = "une chanson douce";

/// What a page carries of the app: inline scripts, the island loader (which imports the app's
/// glue and WebAssembly once the page is idle), links that preload the app's files, and what it
/// hydrates (its islands, with their props, and any data serialised for them). (A profile's
/// JSON-LD is data for search engines, not a script: no browser runs it.)
fn app_parts(page: &str) -> Vec<&'static str> {
    let scripts = page.matches("<script").count()
        - page
            .matches(r#"<script type="application/ld+json">"#)
            .count();
    [
        ("script", scripts > 0),
        ("loader", !app_files_loaded_by(page).is_empty()),
        (
            "preload",
            page.contains("modulepreload") || page.contains("type=\"application/wasm\""),
        ),
        (
            "islands",
            page.contains("<leptos-island") || page.contains("__RESOLVED_RESOURCES"),
        ),
    ]
    .into_iter()
    .filter_map(|(part, found)| found.then_some(part))
    .collect()
}

/// A page's Content-Security-Policy and its HTML.
async fn policy_and_page(who: &reqwest::Client, url: &str) -> (String, String) {
    let response = who.get(url).send().await.unwrap();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    (policy, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_get_pages_without_the_app_and_members_get_it() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let public = [
        "/".to_owned(),
        "/artistes".to_owned(),
        format!("/artistes/{slug}"),
        "/recherche?type=jazz&ville=Lyon".to_owned(),
        "/recherche?ville=Saint-Denis".to_owned(),
        "/recherche?ville=Marseile".to_owned(),
        "/connexion".to_owned(),
        "/inscription".to_owned(),
        "/confidentialite".to_owned(),
        "/mot-de-passe-oublie".to_owned(),
        "/nulle-part".to_owned(),
    ];
    for path in &public {
        let (policy, page) = policy_and_page(&client(), &app.url(path)).await;
        assert!(policy.contains("script-src 'none'"), "{path}: {policy}");
        assert!(page.contains("<main"), "{path}: a page");
        assert!(page.trim_end().ends_with("</html>"), "{path}");
        assert_eq!(app_parts(&page), Vec::<&str>::new(), "{path}");
        // The stylesheet is the only file of the build it links.
        assert_eq!(page.matches("/pkg/").count(), 1, "{path}");
    }
    for (who, path) in [
        (&host, "/"),
        (&host, "/messages"),
        (&artist, "/profil"),
        (&artist, "/recherche?ville=Lyon"),
        (&artist, &*format!("/artistes/{slug}")),
    ] {
        let (policy, page) = policy_and_page(who, &app.url(path)).await;
        assert!(policy.contains("script-src 'nonce-"), "{path}: {policy}");
        // No preload: fetched at once, the app's files delayed the page's first paint.
        assert_eq!(
            app_parts(&page),
            ["script", "loader", "islands"],
            "{path}: the loader and the islands, nothing preloaded"
        );
    }
}

/// Every page `paths.rs` names, which links, redirects and e-mails use, is a route: none
/// answers 404, to a visitor or to a member (a member's page sends a visitor to sign in).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_paths_names_is_a_route() {
    let app = spawn_app().await;
    let member = app.signed_up("host", "maison@exemple.fr").await;
    for (who, browser) in [("visitor", client()), ("member", member)] {
        for page in concerts::paths::PAGES {
            let status = browser
                .get(app.url(page))
                .send()
                .await
                .expect("the page answers")
                .status();
            assert!(
                status.is_success() || status.is_redirection(),
                "{who}: {page} answered {status}"
            );
        }
    }
    let missing = client().get(app.url("/pas-une-page")).send().await.unwrap();
    assert_eq!(missing.status(), 404, "the check can fail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_french_and_sends_security_headers() {
    let app = spawn_app().await;
    // A member's page: the one with scripts to allow.
    let member = app.signed_up("host", "maison@exemple.fr").await;
    let response = member.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        csp.contains("connect-src 'self' ws://"),
        "live reload outside production: {csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"<html lang="fr""#));
    assert!(body.contains("La musique vivante, dans votre salon"));
    // Every inline script carries this response's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    for script in body.split("<script").skip(1) {
        let opening = script.split('>').next().unwrap();
        assert!(
            opening.contains(&format!("nonce=\"{nonce}\"")) || opening.contains("src="),
            "{opening}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_pages_allow_no_websocket() {
    let app = spawn_app_with(&[("APP_PRODUCTION", "true")]).await;
    let response = client().get(app.url("/")).send().await.unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("connect-src 'self';"), "{csp}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_page_is_a_french_404() {
    let app = spawn_app().await;
    let response = client().get(app.url("/nulle-part")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page introuvable"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_pages_send_anonymous_visitors_to_sign_in_and_back() {
    let app = spawn_app().await;
    // Whatever the client accepts: a browser without JavaScript, a crawler, curl.
    for accept in [Some("text/html"), Some("*/*"), None] {
        for (path, back) in [
            ("/profil", "%2Fprofil"),
            ("/messages", "%2Fmessages"),
            ("/messages/1", "%2Fmessages%2F1"),
            ("/messages?vue=archives", "%2Fmessages%3Fvue%3Darchives"),
        ] {
            let mut request = client().get(app.url(path));
            if let Some(accept) = accept {
                request = request.header("accept", accept);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 303, "{path} with {accept:?}");
            assert_eq!(
                response.headers()["location"],
                format!("/connexion?suite={back}").as_str(),
                "{path}"
            );
        }
    }
    // Signing in from there comes back to the page.
    let browser = app.signed_up("host", "hote@exemple.fr").await;
    let signed_in = app
        .post_plain_form(
            &client(),
            "sign_in",
            "/connexion?suite=%2Fmessages%2F1",
            &[
                ("email", "hote@exemple.fr"),
                ("password", PASSWORD),
                ("next", "/messages/1"),
            ],
        )
        .await;
    assert_eq!(signed_in.headers()["location"], "/messages/1");
    let _ = browser;
}

fn footer_of(page: &str) -> &str {
    let start = page.find("<footer").expect("a footer");
    let end = page[start..].find("</footer>").expect("a closed footer");
    &page[start..start + end]
}

/// The header's links are in the header itself, in the first response, not streamed in later
/// for a script to move: without JavaScript nothing would move them.
fn header_of(page: &str) -> &str {
    let start = page.find("<header").expect("a header");
    let end = page[start..].find("</header>").expect("a closed header");
    &page[start..start + end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_and_footer_show_the_links_for_who_is_signed_in() {
    let app = spawn_app().await;
    let anonymous = app.html(&client(), "/").await;
    let header = header_of(&anonymous);
    assert!(header.contains("Se connecter"), "{header}");
    assert!(!header.contains("Se déconnecter"), "{header}");
    assert!(footer_of(&anonymous).contains("Créer un compte"));
    let browser = app
        .signed_up_unconfirmed("artist", "entete@exemple.fr")
        .await;
    let signed_in = app.html(&browser, "/").await;
    let header = header_of(&signed_in);
    assert!(header.contains("Se déconnecter"), "{header}");
    assert!(
        header.contains("Mon profil") && header.contains("Messages"),
        "{header}"
    );
    assert!(!header.contains("Se connecter"), "{header}");
    let footer = footer_of(&signed_in);
    assert!(!footer.contains("Créer un compte"), "{footer}");
    let profile = app.html(&browser, "/profil").await;
    assert!(profile.contains("entete@exemple.fr"));
}

/// Without JavaScript a form posts straight to the server function, which redirects back
/// to the form with the error; the form then shows the message and the e-mail typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_without_javascript_shows_the_error_and_keeps_the_email() {
    let app = spawn_app().await;
    app.sign_up(&client(), "host", "sansjs@exemple.fr", PASSWORD)
        .await;
    let browser = client();
    let form_page = app.url("/connexion?suite=/profil");
    let response = app
        .post_plain_form(
            &browser,
            "sign_in",
            &form_page,
            &[
                ("email", "sansjs@exemple.fr"),
                ("password", "pas le bon"),
                ("next", "/profil"),
            ],
        )
        .await;
    assert_eq!(response.status(), 302);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        back, form_page,
        "the form's page, nothing added to its address"
    );
    let page = app
        .html(&browser, back.trim_start_matches(&app.address))
        .await;
    assert!(page.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(
        page.contains(r#"value="sansjs@exemple.fr""#),
        "typed e-mail kept"
    );
    assert!(!page.contains("pas le bon"), "never the password");

    // The right password signs in and goes where the visitor was heading.
    let response = app
        .post_plain_form(
            &browser,
            "sign_in",
            &back,
            &[
                ("email", "sansjs@exemple.fr"),
                ("password", PASSWORD),
                ("next", "/profil"),
            ],
        )
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/profil");
    assert_eq!(
        app.whoami(&browser).await.as_deref(),
        Some("sansjs@exemple.fr")
    );
}

/// Leptos shows the error an address carries (`__path`, `__err`) as a form's, what was typed
/// included: a crafted link must show nothing, to a visitor or to a member.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crafted_link_cannot_show_an_error_or_fill_in_a_form() {
    use base64::{Engine, engine::general_purpose::URL_SAFE};
    let app = spawn_app().await;
    let forged = |path: &str, field: &str| {
        let error = serde_json::json!({
            "code": "invalid",
            "field": field,
            "message": "Compte bloqué : appelez le 01 23 45 67 89.",
            "values": {"email": "piege@exemple.fr"},
        });
        format!("__path={path}&__err={}", URL_SAFE.encode(error.to_string()))
    };
    let visitor = app
        .html(
            &client(),
            &format!("/connexion?{}", forged("/api/sign_in", "password")),
        )
        .await;
    assert!(visitor.contains("Se connecter"), "the sign-in page");
    assert!(!visitor.contains("appelez le"), "no forged error");
    assert!(!visitor.contains("piege@exemple.fr"), "no forged value");

    let member = app.signed_up("artist", "membre@exemple.fr").await;
    let page = app
        .html(
            &member,
            &format!(
                "/profil?{}",
                forged("/api/change_password", "current_password")
            ),
        )
        .await;
    assert!(page.contains("Mon profil"), "the member's page");
    assert!(!page.contains("appelez le"), "no forged error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_never_redirects_to_another_site() {
    let app = spawn_app().await;
    app.sign_up(&client(), "host", "redir@exemple.fr", PASSWORD)
        .await;
    let response = client()
        .post(app.url("/api/sign_in"))
        .header("accept", "text/html")
        .header("referer", app.url("/connexion"))
        .header("origin", &app.address)
        .form(&[
            ("email", "redir@exemple.fr"),
            ("password", PASSWORD),
            ("next", "//pirate.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_privacy_page_is_linked_from_every_footer() {
    let app = spawn_app().await;
    let home = app.html(&client(), "/").await;
    assert!(home.contains(r#"href="/confidentialite""#));
    let response = client()
        .get(app.url("/confidentialite"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    for topic in [
        "Ce que nous conservons",
        "Supprimer vos données",
        "Compte supprimé",
    ] {
        assert!(page.contains(topic), "{topic}");
    }
}

/// A panic while answering costs that one request a 500, never the connection: people get a
/// French page, server functions their JSON error; the server goes on serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_answers_500_and_the_server_goes_on() {
    async fn broken() -> &'static str {
        panic!("a route that always fails (test only)")
    }
    let app = spawn_app_with_routes(
        axum::Router::new()
            .route("/test/panic", axum::routing::get(broken))
            .route("/api/test_panic", axum::routing::post(broken)),
    )
    .await;
    let client = client();

    let page = client.get(app.url("/test/panic")).send().await.unwrap();
    assert_eq!(page.status(), 500);
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let body = page.text().await.unwrap();
    assert!(body.contains("Cette page n'a pas pu s'afficher"), "{body}");
    assert!(body.trim_end().ends_with("</html>"), "{body}");

    let api = app.call(&client, "test_panic", &[]).await;
    assert_eq!(api.status(), 500);
    let error: serde_json::Value = api.json().await.unwrap();
    assert_eq!(error["code"], "internal", "{error}");

    let after = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(after.status(), 200, "the next request is served as usual");
}

/// Served over HTTPS, the site tells browsers to keep to it, and its cookies are `Secure`
/// with the `__Host-` prefix (no sibling domain can plant one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_site_sends_hsts_and_host_prefixed_secure_cookies() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://concerts.example")]).await;
    let page = client().get(app.url("/")).send().await.unwrap();
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=63072000"
    );
    let post = |endpoint: &str, form: &[(&str, &str)]| {
        client()
            .post(app.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .header("origin", "https://concerts.example")
            .form(form)
            .send()
    };
    let signed_up = post(
        "sign_up",
        &[
            ("role", "host"),
            ("email", "securise@exemple.fr"),
            ("password", PASSWORD),
        ],
    )
    .await
    .unwrap();
    assert_eq!(signed_up.status(), 200);
    let signed_in = post(
        "sign_in",
        &[("email", "securise@exemple.fr"), ("password", PASSWORD)],
    )
    .await
    .unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookies: Vec<&str> = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    for name in ["__Host-session=", "__Host-appareil="] {
        let cookie = cookies
            .iter()
            .find(|cookie| cookie.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {cookies:?}"));
        assert!(
            cookie.contains("Secure") && cookie.contains("Path=/"),
            "{cookie}"
        );
        assert!(!cookie.contains("Domain="), "{cookie}");
    }
    let plain = spawn_app().await;
    let page = client().get(plain.url("/")).send().await.unwrap();
    assert!(page.headers().get("strict-transport-security").is_none());
}

/// On a shared computer, what a member saw must not stay behind: a member's pages and the
/// pages opened from a one-time link are kept by no cache, and signing out asks the browser to
/// drop what it may still hold. A visitor's public page may be kept and validated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_and_one_time_link_pages_are_never_stored_and_sign_out_clears_the_cache() {
    let app = spawn_app().await;
    let host = app.signed_up("host", "hote.partage@exemple.fr").await;
    for path in ["/messages", "/profil", "/artistes", "/"] {
        let response = host.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert!(!response.headers().contains_key("etag"), "{path}");
    }
    for path in [
        "/mot-de-passe/nouveau?jeton=abc",
        "/adresse/confirmer?jeton=abc",
        "/desabonnement?jeton=abc",
    ] {
        let response = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let public = client().get(app.url("/artistes")).send().await.unwrap();
    assert_eq!(public.headers()["cache-control"], "private, no-cache");
    assert!(public.headers().contains_key("etag"));

    let signed_out = host
        .post(app.url("/api/sign_out"))
        .header("origin", app.url(""))
        .send()
        .await
        .unwrap();
    assert!(signed_out.status().is_success(), "{}", signed_out.status());
    assert_eq!(signed_out.headers()["clear-site-data"], "\"cache\"");
    let after = host.get(app.url("/profil")).send().await.unwrap();
    assert_eq!(after.status(), 303, "signed out");
}
