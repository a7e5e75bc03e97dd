//! Reports and the moderators' desk: what a report keeps, who may report what, the desk's 404
//! for everyone but a moderator, the moderator command of the server binary, a decision and
//! its line in the audit log.

use crate::common::{
    TestApp, client, events::EventStream, json_of, ok_json, smtp::SmtpServer, spawn_app,
    spawn_app_with,
};
use reqwest::Client;
use std::{process::Command, time::Duration};

/// Runs `concerts moderator …` on the test app's database, as an operator would on the
/// server: (success, what it printed).
fn moderator_command(app: &TestApp, arguments: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_concerts"))
        .arg("moderator")
        .args(arguments)
        .env("DATABASE_URL", &app.state.db.url)
        .env("LOG_LEVEL", "warn")
        .output()
        .expect("the server binary runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

/// A member made a moderator by the command.
pub(crate) async fn moderator(app: &TestApp) -> Client {
    let moderator = app.signed_up("artist", "moderation@exemple.fr").await;
    let (granted, printed) = moderator_command(app, &["grant", "moderation@exemple.fr"]);
    assert!(granted, "{printed}");
    moderator
}

async fn report(
    app: &TestApp,
    who: &Client,
    subject: &str,
    target: &str,
    reason: &str,
    details: &str,
) -> reqwest::Response {
    app.call(
        who,
        "report",
        &[
            ("subject", subject),
            ("target", target),
            ("reason", reason),
            ("details", details),
        ],
    )
    .await
}

async fn desk(app: &TestApp, who: &Client) -> reqwest::Response {
    app.call(who, "moderation_desk", &[]).await
}

/// A conversation where the artist's last message is the one the host reports: its id, the
/// conversation's, and the artist's account id.
async fn conversation_with_a_bad_message(
    app: &TestApp,
    host: &Client,
    artist: &Client,
    slug: &str,
) -> (String, String, String) {
    let sent = app
        .write_to_artist(host, slug, "Bonjour, êtes-vous libres en mars ?")
        .await;
    let conversation = ok_json(sent).await["conversation_id"].to_string();
    for (who, body) in [
        (artist, "Oui, le 14."),
        (host, "Parfait, quel tarif ?"),
        (artist, "Donnez-moi votre numéro de carte bancaire."),
    ] {
        assert_eq!(app.reply(who, &conversation, body).await.status(), 200);
    }
    let thread = ok_json(
        app.call(host, "conversation", &[("id", &conversation)])
            .await,
    )
    .await;
    let last = thread["messages"]
        .as_array()
        .and_then(|messages| messages.last())
        .expect("a last message");
    (
        last["id"].to_string(),
        conversation,
        thread["other"]["id"].to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_message_reaches_the_desk_with_what_came_before_it() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (message, conversation, artist_id) =
        conversation_with_a_bad_message(&app, &host, &artist, &slug).await;

    let receipt = ok_json(
        report(
            &app,
            &host,
            "message",
            &message,
            "spam",
            "Il demande mes coordonnées bancaires.",
        )
        .await,
    )
    .await;
    assert_eq!(receipt["subject"], "message");
    assert_eq!(receipt["reason"], "spam");
    assert!(receipt.get("outcome").is_none() && receipt.get("id").is_none());
    // Reporting again acknowledges again, and adds nothing to the queue.
    assert_eq!(
        report(&app, &host, "message", &message, "spam", "")
            .await
            .status(),
        200
    );

    let moderator = moderator(&app).await;
    let desk = ok_json(desk(&app, &moderator).await).await;
    let cases = desk["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 1, "{desk}");
    let case = &cases[0];
    assert_eq!(case["subject"], "message");
    assert_eq!(case["subject_id"].to_string(), message);
    assert_eq!(case["reason"], "spam");
    assert_eq!(case["details"], "Il demande mes coordonnées bancaires.");
    assert_eq!(case["reported"]["id"].to_string(), artist_id);
    assert_eq!(case["reported"]["name"], "Trio Céleste");
    // A host's name is confidential, even on the desk: a number, and a logged page.
    assert_eq!(case["reporter"]["role"], "host");
    assert!(
        case["reporter"]["name"]
            .as_str()
            .is_some_and(|name| name.starts_with("Hôte n° ")),
        "{case}"
    );
    let context: Vec<(&str, bool)> = case["context"]["messages"]
        .as_array()
        .expect("context")
        .iter()
        .map(|message| {
            (
                message["body"].as_str().unwrap_or_default(),
                message["reported"] == true,
            )
        })
        .collect();
    assert_eq!(
        context,
        vec![
            ("Bonjour, êtes-vous libres en mars ?", false),
            ("Oui, le 14.", false),
            ("Parfait, quel tarif ?", false),
            ("Donnez-moi votre numéro de carte bancaire.", true),
        ]
    );

    // The whole conversation too; and what is said after a report is not in its case.
    assert_eq!(
        report(
            &app,
            &artist,
            "conversation",
            &conversation,
            "harcelement",
            ""
        )
        .await
        .status(),
        200
    );
    app.reply(&host, &conversation, "Un message d'après.").await;
    let desk = ok_json(self::desk(&app, &moderator).await).await;
    let cases = desk["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[1]["subject"], "conversation");
    assert_eq!(
        cases[1]["context"]["messages"].as_array().map(Vec::len),
        Some(4)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_reports_what_they_may_not_see_and_a_refusal_says_why() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (message, conversation, _) =
        conversation_with_a_bad_message(&app, &host, &artist, &slug).await;
    let (stranger, _) = app
        .host_with_profile("autre-hote@exemple.fr", "Autre Hôte")
        .await;
    // Someone else's conversation, one's own message, one's own profile, a draft or unknown
    // profile, a subject that does not exist: all 404.
    let own_message = {
        let thread = ok_json(
            app.call(&artist, "conversation", &[("id", &conversation)])
                .await,
        )
        .await;
        thread["messages"][1]["id"].to_string()
    };
    for (who, subject, target) in [
        (&stranger, "message", message.as_str()),
        (&stranger, "conversation", conversation.as_str()),
        (&artist, "message", own_message.as_str()),
        (&artist, "profile", slug.as_str()),
        (&host, "profile", "personne-de-ce-nom"),
        (&host, "message", "pas-un-nombre"),
        (&host, "compte", "1"),
    ] {
        let refused = report(&app, who, subject, target, "spam", "").await;
        assert_eq!(refused.status(), 404, "{subject} {target}");
    }
    // A reason is required, and an explanation has a limit.
    let no_reason = json_of(report(&app, &host, "profile", &slug, "", "").await).await;
    assert_eq!(no_reason["field"], "reason");
    let long = "x".repeat(2001);
    let too_long = report(&app, &host, "profile", &slug, "autre", &long).await;
    assert_eq!(too_long.status(), 422);
    assert_eq!(json_of(too_long).await["field"], "details");
    // Signed out: sign in first.
    assert_eq!(
        report(&app, &client(), "profile", &slug, "spam", "")
            .await
            .status(),
        401
    );
    let moderator = moderator(&app).await;
    let desk = ok_json(desk(&app, &moderator).await).await;
    assert_eq!(desk["cases"], serde_json::json!([]), "nothing was opened");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_is_a_404_for_everyone_but_a_moderator() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let host_id = json_of(app.call(&host, "my_host_profile", &[]).await).await["id"].to_string();
    assert_eq!(
        report(&app, &host, "profile", &slug, "faux_profil", "")
            .await
            .status(),
        200
    );
    for who in [&host, &artist, &client()] {
        assert_eq!(desk(&app, who).await.status(), 404);
        let acted = app
            .call(
                who,
                "moderate",
                &[("case", "1"), ("action", "dismiss"), ("reason", "Rien")],
            )
            .await;
        assert_eq!(acted.status(), 404);
        let details = app
            .call(who, "moderation_host", &[("host", &host_id)])
            .await;
        assert_eq!(details.status(), 404);
        for page in ["/moderation", &format!("/moderation/hotes/{host_id}")] {
            assert_eq!(status_of(who, &app.url(page)).await, 404, "{page}");
        }
    }
    // Revoked, a moderator is a member like any other.
    let moderator = moderator(&app).await;
    assert_eq!(desk(&app, &moderator).await.status(), 200);
    let (revoked, printed) = moderator_command(&app, &["revoke", "moderation@exemple.fr"]);
    assert!(revoked, "{printed}");
    assert_eq!(desk(&app, &moderator).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_grants_the_role_to_an_existing_account_only() {
    let app = spawn_app().await;
    let (granted, printed) = moderator_command(&app, &["grant", "personne@exemple.fr"]);
    assert!(!granted);
    assert!(
        printed.contains("Aucun compte n'a l'adresse personne@exemple.fr"),
        "{printed}"
    );
    let (called_wrongly, printed) = moderator_command(&app, &["nommer"]);
    assert!(!called_wrongly);
    assert!(printed.contains("usage"), "{printed}");
    let member = app.signed_up("host", "membre@exemple.fr").await;
    let (granted, printed) = moderator_command(&app, &["grant", " MEMBRE@Exemple.fr "]);
    assert!(granted, "{printed}");
    assert_eq!(desk(&app, &member).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_needs_a_reason_and_the_audit_log_keeps_who_when_what_why() {
    let app = spawn_app().await;
    let (host, _artist, slug) = app.host_and_artist().await;
    let host_id = json_of(app.call(&host, "my_host_profile", &[]).await).await["id"].to_string();
    report(
        &app,
        &host,
        "profile",
        &slug,
        "faux_profil",
        "Ce n'est pas eux.",
    )
    .await;
    let moderator = moderator(&app).await;
    let desk_now = ok_json(desk(&app, &moderator).await).await;
    let case = desk_now["cases"][0]["id"].to_string();

    let dismiss = |reason| decide(&app, &moderator, &case, "dismiss", reason);
    let refused = dismiss("   ").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(json_of(refused).await["field"], "reason");
    assert_eq!(
        dismiss("Profil vérifié : c'est bien le groupe.")
            .await
            .status(),
        200
    );
    // Closed, the case is out of the queue, and no second decision can be taken on it.
    assert_eq!(dismiss("Encore").await.status(), 404);

    // Opening a host's details is logged too.
    let details = ok_json(
        app.call(&moderator, "moderation_host", &[("host", &host_id)])
            .await,
    )
    .await;
    assert_eq!(details["email"], "hote@exemple.fr");
    assert_eq!(details["profile"]["name"], "Famille Martin");

    let moderator_id = json_of(app.call(&moderator, "viewer", &[]).await).await["id"].clone();
    let desk_after = ok_json(desk(&app, &moderator).await).await;
    assert_eq!(desk_after["cases"], serde_json::json!([]));
    let log: Vec<(String, String, String)> = desk_after["audit_log"]
        .as_array()
        .expect("audit log")
        .iter()
        .map(|line| {
            assert!(line["at"].as_i64().is_some_and(|at| at > 0));
            assert_eq!(line["moderator"]["id"], moderator_id);
            (
                line["action"].as_str().unwrap_or_default().to_owned(),
                line["account"]["id"].to_string(),
                line["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let artist_id = desk_now["cases"][0]["reported"]["id"].to_string();
    assert_eq!(
        log,
        vec![
            ("view_host".to_owned(), host_id.clone(), String::new()),
            (
                "dismiss".to_owned(),
                artist_id,
                "Profil vérifié : c'est bien le groupe.".to_owned()
            ),
        ]
    );
    let page = app.html(&moderator, "/moderation").await;
    assert!(page.contains("Aucun signalement en attente."), "{page}");
    assert!(page.contains("Classé sans suite"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_report_is_a_plain_form_that_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (message, conversation, _) =
        conversation_with_a_bad_message(&app, &host, &artist, &slug).await;
    // The links: on the artist's page, on the conversation, on each message received (not
    // on one's own).
    let artist_page = app.html(&host, &format!("/artistes/{slug}")).await;
    assert!(artist_page.contains(&format!("href=\"/signaler/profil/{slug}\"")));
    let thread_page = app.html(&host, &format!("/messages/{conversation}")).await;
    assert!(thread_page.contains(&format!("href=\"/signaler/conversation/{conversation}\"")));
    assert!(thread_page.contains(&format!("href=\"/signaler/message/{message}\"")));
    let first_message = message.parse::<i64>().expect("an id") - 3;
    assert!(!thread_page.contains(&format!("href=\"/signaler/message/{first_message}\"")));

    let form_page = format!("/signaler/message/{message}");
    let page = app.html(&host, &form_page).await;
    assert!(page.contains("Signaler un message") && page.contains("action=\"/api/report\""));
    let refused = app
        .post_plain_form(
            &host,
            "report",
            &app.url(&form_page),
            &[
                ("subject", "message"),
                ("target", &message),
                ("details", "Il insiste pour avoir ma carte bancaire."),
            ],
        )
        .await;
    assert!(refused.status().is_redirection());
    let back = refused.headers()["location"]
        .to_str()
        .expect("location")
        .trim_start_matches(&app.address)
        .to_owned();
    assert!(back.starts_with(&form_page), "{back}");
    let page = app.html(&host, &back).await;
    assert!(
        page.contains("Choisissez la raison du signalement."),
        "the refusal is shown"
    );
    assert!(
        page.contains("Il insiste pour avoir ma carte bancaire."),
        "nothing typed is lost"
    );

    let sent = app
        .post_plain_form(
            &host,
            "report",
            &app.url(&form_page),
            &[
                ("subject", "message"),
                ("target", &message),
                ("reason", "spam"),
                ("details", "Il insiste pour avoir ma carte bancaire."),
            ],
        )
        .await;
    assert_eq!(sent.headers()["location"], "/signaler/merci");
    let thanks = app.html(&host, "/signaler/merci").await;
    assert!(thanks.contains("Merci, votre signalement est bien arrivé"));

    // A visitor signs in first; an address that names no subject leads nowhere.
    let visitor = client()
        .get(app.url(&form_page))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(visitor.status(), 303);
    let nowhere = host
        .get(app.url("/signaler/compte/1"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(nowhere.status(), 404);
}

/// The artist publishes their profile (again), as the editor sends it.
async fn publish_again(app: &TestApp, artist: &Client) -> reqwest::Response {
    app.call(
        artist,
        "save_artist_profile",
        &[
            ("profile[stage_name]", "Trio Céleste"),
            ("profile[music_types]", "Jazz"),
            ("profile[whole_france]", "true"),
            ("profile[published]", "true"),
        ],
    )
    .await
}

/// A moderator's decision on the open case `case`.
async fn decide(
    app: &TestApp,
    moderator: &Client,
    case: &str,
    action: &str,
    reason: &str,
) -> reqwest::Response {
    app.call(
        moderator,
        "moderate",
        &[("case", case), ("action", action), ("reason", reason)],
    )
    .await
}

/// The id of the oldest open case.
async fn first_case(app: &TestApp, moderator: &Client) -> String {
    ok_json(desk(app, moderator).await).await["cases"][0]["id"].to_string()
}

async fn status_of(who: &Client, url: &str) -> u16 {
    who.get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_profile_leaves_the_site_and_its_owner_learns_why_until_restored() {
    let smtp = SmtpServer::started().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_POLL_MS", "100"),
        ("MODERATION_EMAIL", "recours@exemple.fr"),
    ])
    .await;
    let (host, artist, slug) = app.host_and_artist().await;
    report(&app, &host, "profile", &slug, "faux_profil", "").await;
    let moderator = moderator(&app).await;
    let case = first_case(&app, &moderator).await;
    let page = app.url(&format!("/artistes/{slug}"));
    assert_eq!(status_of(&client(), &page).await, 200);

    let search = || async {
        let found = app
            .call(&client(), "search_artists", &[("music_type", "jazz")])
            .await;
        ok_json(found).await.to_string()
    };
    assert!(search().await.contains(&slug));

    let hidden = decide(
        &app,
        &moderator,
        &case,
        "hide_profile",
        "Photos d'un autre groupe.",
    )
    .await;
    assert_eq!(hidden.status(), 200);
    assert_eq!(
        status_of(&client(), &page).await,
        404,
        "the public page is gone"
    );
    assert!(!search().await.contains(&slug), "and out of search");
    for (function, fields) in [
        ("search_artists", &[("music_type", "jazz")][..]),
        ("list_artists", &[][..]),
    ] {
        let found = ok_json(app.call(&client(), function, fields).await).await;
        let total = found.get("results").unwrap_or(&found)["total"].clone();
        assert_eq!(total, 0, "nor counted by {function}: {found}");
    }
    let mail = smtp
        .wait_for(1)
        .await
        .into_iter()
        .find(|mail| mail.to.contains("trio@exemple.fr"))
        .expect("the owner is told");
    assert_eq!(mail.subject, "Votre profil a été masqué");
    assert!(
        mail.text.contains("Raison : Photos d'un autre groupe."),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("recours@exemple.fr"), "how to contest");

    // Its owner may not publish it again, and is told why; the rest of the account works.
    let profile = json_of(app.call(&artist, "my_artist_profile", &[]).await).await;
    assert_eq!(profile["published"], false);
    let republish = publish_again(&app, &artist).await;
    assert_eq!(republish.status(), 422);
    assert!(
        json_of(republish).await["message"]
            .as_str()
            .is_some_and(|m| m.contains("masqué"))
    );

    // Restored: the owner may publish again (the profile waits for them to do it).
    let desk_now = ok_json(desk(&app, &moderator).await).await;
    let restricted = &desk_now["restricted"][0];
    assert!(restricted["hidden_at"].as_i64().is_some() && restricted["suspended_at"].is_null());
    let account = restricted["account"]["id"].to_string();
    let restore = |reason: &'static str| {
        let account = account.clone();
        let moderator = moderator.clone();
        let app = &app;
        async move {
            app.call(
                &moderator,
                "restore_account",
                &[("account", &account), ("reason", reason)],
            )
            .await
        }
    };
    assert_eq!(restore("").await.status(), 422, "a reason is required");
    for who in [&host, &artist] {
        let refused = app
            .call(
                who,
                "restore_account",
                &[("account", &account), ("reason", "Moi")],
            )
            .await;
        assert_eq!(refused.status(), 404);
    }
    assert_eq!(
        restore("Le groupe a prouvé son identité.").await.status(),
        200
    );
    assert_eq!(
        restore("Encore").await.status(),
        404,
        "nothing left to restore"
    );
    let restored_mail = smtp.wait_for(2).await;
    assert!(
        restored_mail
            .iter()
            .any(|mail| mail.subject == "Votre compte est rétabli")
    );
    let republish = publish_again(&app, &artist).await;
    assert_eq!(republish.status(), 200);
    assert_eq!(status_of(&client(), &page).await, 200);
    let log: Vec<String> = ok_json(desk(&app, &moderator).await).await["audit_log"]
        .as_array()
        .expect("log")
        .iter()
        .map(|line| line["action"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(log, ["restore", "hide_profile"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_account_is_signed_out_everywhere_at_once_and_shows_as_suspended() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (message, conversation, _) =
        conversation_with_a_bad_message(&app, &host, &artist, &slug).await;
    report(&app, &host, "message", &message, "harcelement", "").await;
    let moderator = moderator(&app).await;
    let case = first_case(&app, &moderator).await;
    let mut stream = EventStream::open(&artist, &app.url("/events")).await;
    stream.next().await;

    assert_eq!(
        decide(
            &app,
            &moderator,
            &case,
            "suspend",
            "Demandes d'argent répétées."
        )
        .await
        .status(),
        200
    );
    assert!(
        stream.ended_within(Duration::from_secs(1)).await,
        "the open stream ends at once"
    );
    assert_eq!(app.whoami(&artist).await, None, "its session is over");
    let signing_in = app
        .sign_in(&client(), "trio@exemple.fr", crate::common::PASSWORD)
        .await;
    assert_eq!(signing_in.status(), 422);
    let refusal = json_of(signing_in).await["message"].to_string();
    assert!(refusal.contains("suspendu"), "{refusal}");
    let wrong_password = json_of(
        app.sign_in(&client(), "trio@exemple.fr", "pas le bon")
            .await,
    )
    .await;
    assert!(
        !wrong_password.to_string().contains("suspendu"),
        "told only with the password"
    );
    assert_eq!(
        status_of(&client(), &app.url(&format!("/artistes/{slug}"))).await,
        404
    );

    // The other side reads "Compte suspendu", and may not write there any more.
    let thread = ok_json(
        app.call(&host, "conversation", &[("id", &conversation)])
            .await,
    )
    .await;
    assert_eq!(thread["other"]["name"], "Compte suspendu");
    assert_eq!(thread["closed"], true);
    assert!(thread["other"]["profile_url"].is_null());
    assert_eq!(
        app.reply(&host, &conversation, "Vous êtes là ?")
            .await
            .status(),
        422
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_host_is_seen_by_nobody_and_only_a_profile_can_be_hidden() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (_, conversation, _) = conversation_with_a_bad_message(&app, &host, &artist, &slug).await;
    let host_id = ok_json(
        app.call(&artist, "conversation", &[("id", &conversation)])
            .await,
    )
    .await["other"]["id"]
        .to_string();
    report(&app, &artist, "conversation", &conversation, "spam", "").await;
    let moderator = moderator(&app).await;
    let case = first_case(&app, &moderator).await;
    // A host has no public profile to hide: the case stays open.
    let refused = decide(&app, &moderator, &case, "hide_profile", "Spam").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(first_case(&app, &moderator).await, case);
    assert_eq!(
        decide(&app, &moderator, &case, "suspend", "Spam")
            .await
            .status(),
        200
    );
    let profile = app.call(&artist, "host_profile", &[("id", &host_id)]).await;
    assert_eq!(
        profile.status(),
        404,
        "the artist no longer sees the suspended host"
    );
    let thread = ok_json(
        app.call(&artist, "conversation", &[("id", &conversation)])
            .await,
    )
    .await;
    assert_eq!(thread["other"]["name"], "Compte suspendu");
}

/// A host (Famille Martin) and `count` published artists; the artists' slugs.
async fn host_and_artists(app: &TestApp, count: usize) -> (Client, Vec<String>) {
    let (host, _) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let mut slugs = Vec::new();
    for index in 0..count {
        let (_, profile) = app
            .published_artist(
                &format!("groupe{index}@exemple.fr"),
                &format!("Groupe {index}"),
            )
            .await;
        slugs.push(profile["slug"].as_str().expect("slug").to_owned());
    }
    (host, slugs)
}

/// The open automatic cases, as the desk shows them: (whom, why).
async fn automatic_cases(app: &TestApp, moderator: &Client) -> Vec<(String, String)> {
    ok_json(desk(app, moderator).await).await["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|case| case["reporter"].is_null())
        .map(|case| {
            (
                case["reported"]["role"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                case["automatic"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_account_sending_one_text_to_many_artists_is_flagged_once() {
    let app = spawn_app_with(&[
        ("FLAG_SAME_TEXT_ARTISTS", "3"),
        ("FLAG_BURST_CONVERSATIONS", "100"),
    ])
    .await;
    let (host, slugs) = host_and_artists(&app, 5).await;
    let moderator = moderator(&app).await;
    let pitch = "Découvrez mon site de billets à prix cassés !";
    // Two artists, and a different first message to a third: nothing yet.
    for slug in &slugs[..2] {
        assert_eq!(app.write_to_artist(&host, slug, pitch).await.status(), 200);
    }
    app.write_to_artist(&host, &slugs[2], "Bonjour, un concert en mai ?")
        .await;
    assert_eq!(automatic_cases(&app, &moderator).await, []);
    // The third artist with the same text: a case, which names no reporter.
    let third = app.write_to_artist(&host, &slugs[3], pitch).await;
    assert_eq!(third.status(), 200, "the message is sent all the same");
    let flagged = automatic_cases(&app, &moderator).await;
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert_eq!(flagged[0].0, "host");
    assert!(flagged[0].1.contains("3 artistes"), "{flagged:?}");
    // One open automatic case per account: the next one adds nothing.
    app.write_to_artist(&host, &slugs[4], pitch).await;
    assert_eq!(automatic_cases(&app, &moderator).await.len(), 1);
    let desk_now = ok_json(desk(&app, &moderator).await).await;
    let messages = &desk_now["cases"][0]["context"]["messages"];
    assert_eq!(messages[0]["body"], pitch, "the case holds what was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_new_conversations_is_flagged_and_an_older_account_may_repeat_itself() {
    let app = spawn_app_with(&[
        ("FLAG_SAME_TEXT_ARTISTS", "2"),
        // Every account is "old": the same-text rule never applies.
        ("FLAG_NEW_ACCOUNT_DAYS", "0"),
        ("FLAG_BURST_CONVERSATIONS", "4"),
        ("FLAG_BURST_MINUTES", "60"),
    ])
    .await;
    let (host, slugs) = host_and_artists(&app, 4).await;
    let moderator = moderator(&app).await;
    for slug in &slugs[..3] {
        app.write_to_artist(&host, slug, "Bonjour, un concert chez nous ?")
            .await;
    }
    assert_eq!(automatic_cases(&app, &moderator).await, []);
    app.write_to_artist(&host, &slugs[3], "Bonjour, un concert chez nous ?")
        .await;
    let flagged = automatic_cases(&app, &moderator).await;
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(
        flagged[0]
            .1
            .contains("4 nouvelles conversations en moins de 60 minutes"),
        "{flagged:?}"
    );
}
