//! Server-rendered pages: status codes, headers, redirects, and forms posted without
//! JavaScript.

mod common;

use common::{client, spawn_app, spawn_app_with};

const PASSWORD: &str = "une chanson douce";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_french_and_sends_security_headers() {
    let app = spawn_app().await;
    let response = client().get(app.url("/")).send().await.unwrap();
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
    let response = client()
        .get(app.url("/profil"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/connexion?suite=/profil");
}

/// The header's links are in the header itself, in the first response, not streamed in later
/// for a script to move: without JavaScript nothing would move them.
fn header_of(page: &str) -> &str {
    let start = page.find("<header").expect("a header");
    let end = page[start..].find("</header>").expect("a closed header");
    &page[start..start + end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_shows_the_links_for_who_is_signed_in() {
    let app = spawn_app().await;
    let anonymous = app.html(&client(), "/").await;
    let header = header_of(&anonymous);
    assert!(header.contains("Se connecter"), "{header}");
    assert!(!header.contains("Se déconnecter"), "{header}");
    let browser = client();
    app.sign_up(&browser, "artist", "entete@exemple.fr", PASSWORD)
        .await;
    let signed_in = app.html(&browser, "/").await;
    let header = header_of(&signed_in);
    assert!(header.contains("Se déconnecter"), "{header}");
    assert!(
        header.contains("Mon profil") && header.contains("Messages"),
        "{header}"
    );
    assert!(!header.contains("Se connecter"), "{header}");
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
    assert!(back.starts_with(&form_page), "{back}");
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
