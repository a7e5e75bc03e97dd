//! Account settings: password reset by e-mail (through a real SMTP server) and password
//! change, each ending the account's other sessions.

use crate::common::{
    PASSWORD, TestApp, client, json_of, session_cookie,
    smtp::{SmtpServer, link_token},
    spawn_app, spawn_app_with,
};
use std::time::Duration;

const NEW_PASSWORD: &str = "un air de printemps";

async fn app_sending_to(smtp: &SmtpServer) -> TestApp {
    spawn_app_with(&[("SMTP_URL", &smtp.url()), ("MAIL_POLL_MS", "100")]).await
}

async fn request_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.call(&client(), "request_password_reset", &[("email", email)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    let phone = app.signed_up("artist", "trio@exemple.fr").await;

    // The same answer for an unknown address, and no e-mail.
    let unknown = request_reset(&app, "personne@exemple.fr").await;
    let known = request_reset(&app, "trio@exemple.fr").await;
    assert_eq!(unknown.status(), known.status());
    assert_eq!(json_of(unknown).await, json_of(known).await);
    let received = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        smtp.received().len(),
        1,
        "nothing sent for the unknown address"
    );
    let email = &received[0];
    assert!(email.to.contains("trio@exemple.fr"));
    assert_eq!(email.subject, "Votre nouveau mot de passe");
    let token = link_token(&email.text);

    let page = app
        .html(&client(), &format!("/mot-de-passe/nouveau?jeton={token}"))
        .await;
    assert!(page.contains("Choisir un nouveau mot de passe"));
    let too_short = app
        .call(
            &client(),
            "reset_password",
            &[("token", &token), ("password", "court")],
        )
        .await;
    assert_eq!(too_short.status(), 422, "a refused password keeps the link");
    let reset = app
        .call(
            &client(),
            "reset_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(reset.status(), 200);

    assert_eq!(app.whoami(&phone).await, None, "other sessions ended");
    let old = app.sign_in(&client(), "trio@exemple.fr", PASSWORD).await;
    assert_eq!(old.status(), 422);
    let new = app
        .sign_in(&client(), "trio@exemple.fr", NEW_PASSWORD)
        .await;
    assert_eq!(new.status(), 200);
    let again = app
        .call(
            &client(),
            "reset_password",
            &[("token", &token), ("password", "encore une autre phrase")],
        )
        .await;
    assert_eq!(again.status(), 422, "a link serves once");
}

/// A reset request answers before it looks the address up or writes anything for a real
/// account, so its time does not tell which addresses have one: here, with the table of
/// reset links locked, a real account's request still answers at once (and its link is
/// written once the lock goes). PostgreSQL only: SQLite has no lock on a single table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn a_reset_request_answers_without_waiting_for_a_real_accounts_writes() {
    let smtp = SmtpServer::started().await;
    let database =
        crate::common::postgres::fresh_database(&crate::common::postgres::required_server_url())
            .await;
    let app = spawn_app_with(&[
        ("DATABASE_URL", &database),
        ("SMTP_URL", &smtp.url()),
        ("MAIL_POLL_MS", "100"),
    ])
    .await;
    app.signed_up("host", "hote@exemple.fr").await;
    let mut lock = app.state.db.pool.begin().await.expect("a transaction");
    sqlx::query("LOCK TABLE password_resets IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .expect("locked");
    let answered = tokio::time::timeout(
        Duration::from_secs(5),
        request_reset(&app, "hote@exemple.fr"),
    )
    .await
    .expect("answered while the link could not be written");
    assert_eq!(answered.status(), 200);
    lock.commit().await.expect("unlocked");
    let received = smtp.wait_for(1).await;
    assert_eq!(received[0].subject, "Votre nouveau mot de passe");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_expires_after_an_hour() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    app.signed_up("host", "hote@exemple.fr").await;
    assert_eq!(request_reset(&app, "hote@exemple.fr").await.status(), 200);
    let token = link_token(&smtp.wait_for(1).await[0].text);
    // An hour and a second later.
    sqlx::query("UPDATE password_resets SET expires_at = expires_at - 3601000")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let late = app
        .call(
            &client(),
            "reset_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(late.status(), 422);
    assert!(
        json_of(late).await["message"]
            .as_str()
            .unwrap()
            .contains("plus valable")
    );
    assert_eq!(
        app.sign_in(&client(), "hote@exemple.fr", PASSWORD)
            .await
            .status(),
        200,
        "the password did not change"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_needs_the_current_one_and_signs_other_sessions_out() {
    let app = spawn_app_with(&[]).await;
    let laptop = app.signed_up("artist", "trio@exemple.fr").await;
    let phone = client();
    assert_eq!(
        app.sign_in(&phone, "trio@exemple.fr", PASSWORD)
            .await
            .status(),
        200
    );
    let wrong = app
        .call(
            &laptop,
            "change_password",
            &[
                ("current_password", "pas le bon"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(json_of(wrong).await["field"], "current_password");
    assert_eq!(
        app.change_password(&client(), NEW_PASSWORD).await.status(),
        401
    );

    let changed = app.change_password(&laptop, NEW_PASSWORD).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        app.whoami(&laptop).await.as_deref(),
        Some("trio@exemple.fr"),
        "this session stays"
    );
    assert_eq!(app.whoami(&phone).await, None, "the other one ends");
    assert_eq!(
        app.sign_in(&client(), "trio@exemple.fr", NEW_PASSWORD)
            .await
            .status(),
        200
    );
}

/// A stolen session guessing the password uses up its own checks, not the owner's: the
/// owner's session can still change the password, which ends the thief's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stolen_session_cannot_use_up_the_owners_password_checks() {
    let app = spawn_app_with(&[]).await;
    let owner = app.signed_up("artist", "trio@exemple.fr").await;
    let thief = client();
    app.sign_in(&thief, "trio@exemple.fr", PASSWORD).await;
    let guess = |n: usize| {
        let (app, thief) = (&app, &thief);
        async move {
            app.call(
                thief,
                "change_password",
                &[
                    ("current_password", &format!("devinette {n}")),
                    ("password", NEW_PASSWORD),
                ],
            )
            .await
            .status()
        }
    };
    for n in 0..10 {
        assert_eq!(guess(n).await, 422);
    }
    assert_eq!(guess(10).await, 429, "the thief's session waits an hour");
    assert_eq!(
        app.change_password(&owner, NEW_PASSWORD).await.status(),
        200,
        "the owner's own session still can"
    );
    assert_eq!(app.whoami(&thief).await, None, "which ends the thief's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_disappears_but_its_messages_stay_with_the_other_party() {
    let app = spawn_app_with(&[("MAIL_DELAY_SECONDS", "3600")]).await;
    let (host, host_profile) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let (artist, profile) = app
        .published_artist("trio@exemple.fr", "Trio Céleste")
        .await;
    let slug = profile["slug"].as_str().unwrap().to_owned();
    app.call(&artist, "set_email_notifications", &[("enabled", "true")])
        .await;
    let first = json_of(
        app.call(
            &host,
            "write_to_artist",
            &[("artist", &slug), ("body", "Bonjour !")],
        )
        .await,
    )
    .await;
    let conversation = first["conversation_id"].to_string();
    let reply = app.reply(&artist, &conversation, "Avec plaisir.").await;
    assert_eq!(reply.status(), 200);

    let refused = app
        .call(&artist, "delete_account", &[("password", "pas le bon")])
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        app.whoami(&artist).await.as_deref(),
        Some("trio@exemple.fr")
    );

    let deleted = app
        .call(&artist, "delete_account", &[("password", PASSWORD)])
        .await;
    assert_eq!(deleted.status(), 200);
    assert_eq!(app.whoami(&artist).await, None, "signed out");
    let page = client()
        .get(app.url(&format!("/artistes/{slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404, "the profile is gone at once");
    let found = json_of(
        app.call(&client(), "search_artists", &[("music_type", "jazz")])
            .await,
    )
    .await;
    assert_eq!(found["results"]["total"], 0);
    assert_eq!(
        app.sign_in(&client(), "trio@exemple.fr", PASSWORD)
            .await
            .status(),
        422,
        "it can no longer sign in"
    );

    // The host keeps the thread, signed "Compte supprimé", and cannot write into the void.
    let thread = json_of(
        app.call(&host, "conversation", &[("id", &conversation)])
            .await,
    )
    .await;
    assert_eq!(thread["other"]["name"], "Compte supprimé");
    assert_eq!(thread["other"]["profile_url"], serde_json::Value::Null);
    assert_eq!(thread["messages"][1]["body"], "Avec plaisir.");
    let html = app.html(&host, &format!("/messages/{conversation}")).await;
    assert!(html.contains("Compte supprimé") && html.contains("Avec plaisir."));
    let into_the_void = app
        .call(
            &host,
            "send_message",
            &[
                ("conversation_id", &conversation),
                ("body", "Vous êtes là ?"),
            ],
        )
        .await;
    assert_eq!(into_the_void.status(), 422);

    // No e-mail will ever go to the old address.
    let (address, notifications): (String, i64) = sqlx::query_as(
        "SELECT COALESCE(notify_email, email), email_notifications FROM users WHERE id = $1",
    )
    .bind(thread["other"]["id"].as_i64().expect("the artist's id"))
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert!(!address.contains("trio@exemple.fr"), "{address}");
    assert_eq!(notifications, 0);
    let pending: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND user_id = $1")
            .bind(thread["other"]["id"].as_i64().expect("the artist's id"))
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(pending, 0, "the queued e-mail was dropped");

    // A deleted host's profile is gone too.
    let host_page = app
        .call(&host, "delete_account", &[("password", PASSWORD)])
        .await;
    assert_eq!(host_page.status(), 200);
    let (viewer, _) = app.host_with_profile("autre@exemple.fr", "Autre").await;
    let profile_id = host_profile["id"].to_string();
    assert_eq!(
        app.call(&viewer, "host_profile", &[("id", &profile_id)])
            .await
            .status(),
        404
    );
}

/// The token of the confirmation link sent to `address` (one per address: the order in
/// which e-mails arrived is not kept).
async fn confirmation_sent_to(smtp: &SmtpServer, count: usize, address: &str) -> String {
    let received = smtp.wait_for(count).await;
    let email = received
        .iter()
        .find(|email| email.to.contains(address) && email.text.contains("/adresse/confirmer"))
        .expect("a confirmation e-mail to the new address");
    assert_eq!(email.subject, "Confirmez votre adresse e-mail");
    link_token(&email.text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_address_takes_effect_only_once_confirmed_from_that_address() {
    let smtp = SmtpServer::started().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_POLL_MS", "100"),
        ("MAIL_DELAY_SECONDS", "0"),
    ])
    .await;
    let (host, artist, slug) = app.host_and_artist().await;
    app.call(&artist, "set_email_notifications", &[("enabled", "true")])
        .await;
    let settings = || async { json_of(app.call(&artist, "email_settings", &[]).await).await };

    // Messages to another address: the password first, as for the sign-in address, and the
    // account's address is told (a stolen session alone cannot send messages elsewhere).
    let without_password = app
        .call(
            &artist,
            "request_email_change",
            &[("kind", "notify"), ("email", "groupe@exemple.fr")],
        )
        .await;
    assert_eq!(without_password.status(), 422);
    assert_eq!(json_of(without_password).await["field"], "current_password");
    let asked = ask_for_notify_address(&app, &artist, "groupe@exemple.fr", PASSWORD).await;
    assert_eq!(asked.status(), 200);
    let token = confirmation_sent_to(&smtp, 2, "groupe@exemple.fr").await;
    let received = smtp.wait_for(2).await;
    let told = received
        .iter()
        .find(|email| email.subject == "Vos messages envoyés à une autre adresse")
        .expect("the account's address is told");
    assert!(told.to.contains("trio@exemple.fr"), "{}", told.to);
    assert!(told.text.contains("groupe@exemple.fr"), "{}", told.text);
    assert_eq!(
        settings().await["notify_email"],
        "trio@exemple.fr",
        "not yet"
    );
    let confirmed = app
        .call(&client(), "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(settings().await["notify_email"], "groupe@exemple.fr");
    let again = app
        .call(&client(), "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(again.status(), 422, "a link serves once");
    app.call(
        &host,
        "write_to_artist",
        &[("artist", &slug), ("body", "Bonjour")],
    )
    .await;
    let received = smtp.wait_for(3).await;
    assert!(
        received
            .iter()
            .any(|email| email.to.contains("groupe@exemple.fr") && email.text.contains("Bonjour")),
        "messages now go to the new address"
    );

    // The account's own address: the current password first.
    let change_account_address = |email: &str, password: &str| {
        let (app, artist, email, password) = (&app, &artist, email.to_owned(), password.to_owned());
        async move {
            app.call(
                artist,
                "request_email_change",
                &[
                    ("kind", "account"),
                    ("email", &email),
                    ("current_password", &password),
                ],
            )
            .await
        }
    };
    let no_password = app
        .call(
            &artist,
            "request_email_change",
            &[("kind", "account"), ("email", "trio.celeste@exemple.fr")],
        )
        .await;
    assert_eq!(no_password.status(), 422);
    assert_eq!(json_of(no_password).await["field"], "current_password");
    let wrong = change_account_address("trio.celeste@exemple.fr", "pas le bon mot de passe").await;
    assert_eq!(json_of(wrong).await["field"], "current_password");
    // Another session of the artist's, which the change will end.
    let phone = client();
    assert_eq!(
        app.sign_in(&phone, "trio@exemple.fr", PASSWORD)
            .await
            .status(),
        200
    );
    // A reset link sent to the old address before the change, which the change voids.
    assert_eq!(request_reset(&app, "trio@exemple.fr").await.status(), 200);
    let reset_token = link_token(
        &smtp
            .wait_for(4)
            .await
            .iter()
            .find(|email| email.subject == "Votre nouveau mot de passe")
            .expect("a reset link to the old address")
            .text,
    );
    let asked = change_account_address("trio.celeste@exemple.fr", PASSWORD).await;
    assert_eq!(asked.status(), 200);
    let token = confirmation_sent_to(&smtp, 6, "trio.celeste@exemple.fr").await;
    // The current address is told at once, with what to do if it was not its owner.
    let received = smtp.wait_for(6).await;
    let told = received
        .iter()
        .find(|email| email.subject == "Changement de l'adresse de votre compte")
        .expect("the current address is told");
    assert!(told.to.contains("trio@exemple.fr"), "{}", told.to);
    assert!(told.text.contains("trio.celeste@exemple.fr"));
    assert!(
        told.text
            .contains("Changez dès maintenant votre mot de passe"),
        "{}",
        told.text
    );
    assert_eq!(
        app.sign_in(&client(), "trio@exemple.fr", PASSWORD)
            .await
            .status(),
        200,
        "the old address works until the link is opened"
    );
    let confirmed = app
        .call(&artist, "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(
        app.sign_in(&client(), "trio.celeste@exemple.fr", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.sign_in(&client(), "trio@exemple.fr", PASSWORD)
            .await
            .status(),
        422
    );
    assert_eq!(app.whoami(&phone).await, None, "the other sessions ended");
    assert_eq!(
        app.whoami(&artist).await.as_deref(),
        Some("trio.celeste@exemple.fr"),
        "the confirming session goes on"
    );
    let old_reset = app
        .call(
            &client(),
            "reset_password",
            &[("token", &reset_token), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(
        old_reset.status(),
        422,
        "the old address's links stopped working"
    );
    assert_eq!(
        app.sign_in(&client(), "trio.celeste@exemple.fr", PASSWORD)
            .await
            .status(),
        200,
        "the password did not change"
    );
}

async fn ask_for_notify_address(
    app: &TestApp,
    who: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.call(
        who,
        "request_email_change",
        &[
            ("kind", "notify"),
            ("email", email),
            ("current_password", password),
        ],
    )
    .await
}

/// Asks for `email` as `who`'s notification address, and opens the link sent there (the
/// `sent`-th e-mail).
async fn set_notify_address(
    (app, smtp): (&TestApp, &SmtpServer),
    who: &reqwest::Client,
    password: &str,
    email: &str,
    sent: usize,
) {
    let asked = ask_for_notify_address(app, who, email, password).await;
    assert_eq!(asked.status(), 200);
    let token = confirmation_sent_to(smtp, sent, email).await;
    let confirmed = app
        .call(&client(), "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(notify_address(app, who).await, email);
}

/// Where `who`'s messages are e-mailed.
async fn notify_address(app: &TestApp, who: &reqwest::Client) -> serde_json::Value {
    json_of(app.call(who, "email_settings", &[]).await).await["notify_email"].clone()
}

/// Someone who once had the password set the address messages go to: a new password, by a
/// change or a reset, sends them back to the account's address, which is told how to ask for
/// the other one again; a change still waiting for its link is cancelled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_takes_back_the_address_messages_go_to() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    let artist = app.signed_up("artist", "trio@exemple.fr").await;
    set_notify_address((&app, &smtp), &artist, PASSWORD, "pirate@exemple.fr", 2).await;
    // One more asked and not yet confirmed.
    assert_eq!(
        ask_for_notify_address(&app, &artist, "pirate2@exemple.fr", PASSWORD)
            .await
            .status(),
        200
    );
    let waiting = confirmation_sent_to(&smtp, 4, "pirate2@exemple.fr").await;
    assert_eq!(
        app.change_password(&artist, NEW_PASSWORD).await.status(),
        200
    );
    assert_eq!(notify_address(&app, &artist).await, "trio@exemple.fr");
    let received = smtp.wait_for(5).await;
    let told = received
        .iter()
        .find(|email| email.subject == "Vos messages reviennent à l'adresse de votre compte")
        .expect("the account's address is told");
    assert!(told.to.contains("trio@exemple.fr"), "{}", told.to);
    assert!(told.text.contains("pirate@exemple.fr"), "{}", told.text);
    let late = app
        .call(&client(), "confirm_email_change", &[("token", &waiting)])
        .await;
    assert_eq!(late.status(), 422, "the waiting change was cancelled");
    assert_eq!(notify_address(&app, &artist).await, "trio@exemple.fr");

    // A reset does the same.
    let artist = client();
    app.sign_in(&artist, "trio@exemple.fr", NEW_PASSWORD).await;
    set_notify_address(
        (&app, &smtp),
        &artist,
        NEW_PASSWORD,
        "corsaire@exemple.fr",
        7,
    )
    .await;
    assert_eq!(request_reset(&app, "trio@exemple.fr").await.status(), 200);
    let reset_email = smtp.wait_for(8).await;
    let reset_token = link_token(
        &reset_email
            .iter()
            .find(|email| email.subject == "Votre nouveau mot de passe")
            .expect("a reset link")
            .text,
    );
    let reset = app
        .call(
            &client(),
            "reset_password",
            &[
                ("token", &reset_token),
                ("password", "encore une autre phrase"),
            ],
        )
        .await;
    assert_eq!(reset.status(), 200);
    let told = smtp.wait_for(9).await;
    assert_eq!(
        told.iter()
            .filter(|email| email.subject == "Vos messages reviennent à l'adresse de votre compte")
            .count(),
        2
    );
    let owner = client();
    app.sign_in(&owner, "trio@exemple.fr", "encore une autre phrase")
        .await;
    assert_eq!(notify_address(&app, &owner).await, "trio@exemple.fr");
}

/// A new account proves its address through the link e-mailed to it: before, it may edit
/// a draft but not publish, write, or have messages e-mailed; the link serves once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_account_confirms_its_address_before_publishing_writing_or_getting_emails() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    let artist = app
        .signed_up_unconfirmed("artist", "nouveau.groupe@exemple.fr")
        .await;
    let viewer = json_of(app.call(&artist, "viewer", &[]).await).await;
    assert_eq!(viewer["verified"], false, "{viewer}");
    let welcome = &smtp.wait_for_welcomes(1).await[0];
    assert!(welcome.to.contains("nouveau.groupe@exemple.fr"));
    assert!(
        welcome.text.contains("/adresse/confirmer?jeton="),
        "{}",
        welcome.text
    );
    let first_token = link_token(&welcome.text);

    let profile = |published: &'static str| {
        let (app, artist) = (&app, &artist);
        async move {
            app.call(
                artist,
                "save_artist_profile",
                &[
                    ("profile[stage_name]", "Groupe Nouveau"),
                    ("profile[music_types]", "Jazz"),
                    ("profile[whole_france]", "true"),
                    ("profile[published]", published),
                ],
            )
            .await
        }
    };
    let refused = profile("true").await;
    assert_eq!(refused.status(), 422);
    let error = json_of(refused).await;
    assert!(
        error["field"].is_null(),
        "an error of the whole form: {error}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Confirmez d'abord votre adresse")
    );
    assert!(
        error["values"]["profile"]
            .as_str()
            .unwrap_or_default()
            .contains("Groupe Nouveau"),
        "what was typed comes back: {error}"
    );
    assert_eq!(profile("false").await.status(), 200, "a draft is saved");
    let emails = app
        .call(&artist, "set_email_notifications", &[("enabled", "true")])
        .await;
    assert_eq!(emails.status(), 403);
    assert_eq!(json_of(emails).await["code"], "unverified");
    let page = app.html(&artist, "/profil").await;
    assert!(
        page.contains("Confirmez votre adresse e-mail."),
        "the page says what waits"
    );

    // A host who has not confirmed may not write either.
    let (_, _, slug) = app.host_and_artist().await;
    let host = app
        .signed_up_unconfirmed("host", "nouvel.hote@exemple.fr")
        .await;
    let saved = app
        .call(
            &host,
            "save_host_profile",
            &[
                ("host[name]", "Famille Durand"),
                ("host[city]", "69001"),
                ("host[description]", "Un salon."),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let contact = json_of(app.call(&host, "contact_state", &[("artist", &slug)]).await).await;
    assert_eq!(contact["state"], "address_unconfirmed", "{contact}");
    let written = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(written.status(), 403);

    // A new link on request; either link confirms, once.
    assert_eq!(
        app.call(&artist, "resend_confirmation", &[]).await.status(),
        200
    );
    let welcomes = smtp.wait_for_welcomes(5).await;
    let again: Vec<_> = welcomes
        .iter()
        .filter(|mail| mail.to.contains("nouveau.groupe@exemple.fr"))
        .collect();
    assert_eq!(again.len(), 2, "a second link for the artist");
    let page = app
        .html(
            &client(),
            &format!("/adresse/confirmer?jeton={first_token}"),
        )
        .await;
    assert!(page.contains("Confirmer votre adresse e-mail"));
    let still = json_of(app.call(&artist, "viewer", &[]).await).await;
    assert_eq!(still["verified"], false, "opening the page changes nothing");
    // The link is the new account's proof: it signs in the browser that opens it (here one
    // that was not signed in, as a phone's mail application would be).
    let opener = client();
    let confirmed = app
        .call(&opener, "confirm_email_change", &[("token", &first_token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    assert!(
        session_cookie(&confirmed).is_some(),
        "a session for the opener"
    );
    let signed_in = json_of(confirmed).await;
    assert_eq!(
        signed_in["email"], "nouveau.groupe@exemple.fr",
        "{signed_in}"
    );
    assert_eq!(signed_in["verified"], true, "{signed_in}");
    assert_eq!(
        app.whoami(&opener).await.as_deref(),
        Some("nouveau.groupe@exemple.fr")
    );
    let viewer = json_of(app.call(&artist, "viewer", &[]).await).await;
    assert_eq!(viewer["verified"], true);
    assert_eq!(profile("true").await.status(), 200, "now it publishes");
    let second_token = link_token(
        &again
            .iter()
            .map(|mail| mail.text.clone())
            .find(|text| !text.contains(&first_token))
            .expect("the second link"),
    );
    for token in [&first_token, &second_token] {
        let reused = app
            .call(&client(), "confirm_email_change", &[("token", token)])
            .await;
        assert_eq!(reused.status(), 422, "links are used up");
    }
}

/// A sign-up with an address that already has an account answers exactly as one with a
/// new address, and changes nothing: only the address's owner learns it, by e-mail (an
/// unconfirmed account gets a new link instead, the way back for a lost welcome e-mail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_address_signs_up_like_a_new_one_and_only_its_owner_is_told() {
    let smtp = SmtpServer::started().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_POLL_MS", "100"),
        ("PASSWORD_RESETS_PER_HOUR", "2"),
    ])
    .await;
    app.signed_up("artist", "lea@exemple.fr").await;
    let answers = [
        ("host", "nouvelle@exemple.fr"),
        ("host", "LEA@exemple.fr"),
        ("artist", "lea@exemple.fr"),
    ];
    let mut seen = Vec::new();
    for (role, email) in answers {
        let response = app
            .sign_up(&client(), role, email, "un autre mot de passe")
            .await;
        let cookies = response.headers().get_all("set-cookie").iter().count();
        seen.push((response.status(), cookies, response.text().await.unwrap()));
    }
    assert_eq!(seen[0], seen[1], "a taken address answers like a new one");
    assert_eq!(seen[0], seen[2]);
    assert_eq!(seen[0].1, 0, "no cookie at all: {seen:?}");
    // A plain form post (no JavaScript) goes to the same page either way.
    for email in ["autre.nouvelle@exemple.fr", "lea@exemple.fr"] {
        let form = [("role", "host"), ("email", email), ("password", PASSWORD)];
        let response = app
            .post_plain_form(&client(), "sign_up", &app.url("/inscription"), &form)
            .await;
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/inscription?envoye=1");
    }

    // The account is as it was: its password, its role.
    let owner = client();
    let signed_in = json_of(app.sign_in(&owner, "lea@exemple.fr", PASSWORD).await).await;
    assert_eq!(signed_in["role"], "artist", "{signed_in}");
    let other = app
        .sign_in(&client(), "lea@exemple.fr", "un autre mot de passe")
        .await;
    assert_eq!(other.status(), 422);

    // The new addresses got their welcome link; an unconfirmed one signing up again gets a
    // new one.
    app.sign_up(&client(), "host", "nouvelle@exemple.fr", PASSWORD)
        .await;
    let welcomes = smtp.wait_for_welcomes(4).await;
    let to_new = welcomes
        .iter()
        .filter(|mail| mail.to.trim_matches(['<', '>']) == "nouvelle@exemple.fr")
        .count();
    assert_eq!(to_new, 2, "two links for the address that signed up twice");

    // The owner is told, twice at most an hour (the limit here): the third try is not.
    let told = smtp.wait_for(2).await;
    for mail in &told {
        assert!(mail.to.contains("lea@exemple.fr"));
        assert_eq!(mail.subject, "Vous avez déjà un compte");
        assert!(mail.text.contains("/mot-de-passe-oublie"), "{}", mail.text);
        assert!(!mail.text.contains("jeton="), "no link that acts");
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(smtp.received().len(), 2, "no third notice");
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 3);
}

/// Asking for a sign-in address another account has answers as for a free one (the same
/// allowance spent, the account's address told the same way), and changes nothing: the
/// address's owner is told, and no link goes out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_address_another_account_has_is_asked_for_like_a_free_one() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    let (_host, artist, _) = app.host_and_artist().await;
    let mut answers = Vec::new();
    for email in ["hote@exemple.fr", "trio.libre@exemple.fr"] {
        let form = [
            ("kind", "account"),
            ("email", email),
            ("current_password", PASSWORD),
        ];
        let response = app.call(&artist, "request_email_change", &form).await;
        answers.push((response.status(), response.text().await.unwrap()));
    }
    assert_eq!(
        answers[0], answers[1],
        "a taken address answers like a free one"
    );
    assert_eq!(answers[0].0, 200);

    let received = smtp.wait_for(4).await;
    let to = |address: &str| {
        received
            .iter()
            .filter(|mail| mail.to.trim_matches(['<', '>']) == address)
            .collect::<Vec<_>>()
    };
    let owner = to("hote@exemple.fr");
    assert_eq!(owner.len(), 1);
    assert_eq!(owner[0].subject, "Vous avez déjà un compte");
    assert!(
        owner[0].text.contains("rien n'a changé"),
        "{}",
        owner[0].text
    );
    assert!(!owner[0].text.contains("jeton="), "no link that acts");
    assert_eq!(
        to("trio.libre@exemple.fr").len(),
        1,
        "the free address gets its link"
    );
    assert_eq!(
        to("trio@exemple.fr").len(),
        2,
        "the account is told of both"
    );
    let host = json_of(app.sign_in(&client(), "hote@exemple.fr", PASSWORD).await).await;
    assert_eq!(host["role"], "host", "the host's account is as it was");
}

/// An account never confirmed is removed after seven days, with what it holds; others stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfirmed_accounts_are_removed_after_seven_days() {
    let app = spawn_app().await;
    app.signed_up_unconfirmed("artist", "oublie@exemple.fr")
        .await;
    app.signed_up("artist", "confirme@exemple.fr").await;
    let now = concerts::db::now_ms();
    let six_days = 6 * 24 * 60 * 60 * 1000;
    let removed = concerts::account::removal::remove_unconfirmed(&app.state, now + six_days)
        .await
        .unwrap();
    assert_eq!(removed, 0, "not yet");
    let eight_days = 8 * 24 * 60 * 60 * 1000;
    let removed = concerts::account::removal::remove_unconfirmed(&app.state, now + eight_days)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let emails: Vec<String> = sqlx::query_scalar("SELECT email FROM users ORDER BY email")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(emails, ["confirme@exemple.fr"]);
}

/// Once sent, an e-mail's one-time link is not kept readable in the outbox; using a reset
/// link cancels the account's other ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_time_links_are_not_kept_once_sent_and_a_used_reset_cancels_the_others() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    app.signed_up("artist", "trio@exemple.fr").await;
    for _ in 0..2 {
        assert_eq!(request_reset(&app, "trio@exemple.fr").await.status(), 200);
    }
    let received = smtp.wait_for(2).await;
    let tokens: Vec<String> = received.iter().map(|mail| link_token(&mail.text)).collect();
    let readable = || async {
        let bodies: Vec<Option<String>> =
            sqlx::query_scalar("SELECT text_body FROM outbox WHERE status <> 'pending'")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        bodies
            .into_iter()
            .flatten()
            .filter(|body| body.contains("jeton="))
            .count()
    };
    // The worker settles a row right after the SMTP server took it.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        if pending == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "e-mails settled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(readable().await, 0, "no link left readable in the outbox");

    let reset = app
        .call(
            &client(),
            "reset_password",
            &[("token", &tokens[1]), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(reset.status(), 200);
    let other = app
        .call(
            &client(),
            "reset_password",
            &[("token", &tokens[0]), ("password", "encore un autre air")],
        )
        .await;
    assert_eq!(other.status(), 422, "the other link is cancelled");
    assert_eq!(
        app.sign_in(&client(), "trio@exemple.fr", NEW_PASSWORD)
            .await
            .status(),
        200
    );
}
