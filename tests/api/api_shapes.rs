//! The JSON shapes that clients (the browser build, later the mobile app) depend on. A change
//! here is a change of API: review the snapshot diff deliberately.

use crate::common::{client, json_of, spawn_app, spawn_app_with};

const PASSWORD: &str = "une chanson douce";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_endpoints_answer_stable_json() {
    let app = spawn_app_with(&[("SIGN_IN_LIMIT_PER_ACCOUNT", "1")]).await;
    let browser = client();

    // A sign-up answers the same whether the address was free or taken: only the e-mail
    // sent to it tells.
    let signed_up = json_of(
        app.sign_up(&browser, "artist", "forme@exemple.fr", PASSWORD)
            .await,
    )
    .await;
    insta::assert_json_snapshot!("signed_up", signed_up);
    let taken = json_of(
        app.sign_up(&client(), "host", "forme@exemple.fr", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(taken, signed_up, "a taken address answers like a free one");

    let viewer = json_of(app.sign_in(&browser, "forme@exemple.fr", PASSWORD).await).await;
    insta::assert_json_snapshot!("viewer", viewer);

    // Before its address is confirmed, an account may not have its messages e-mailed.
    let unverified = json_of(
        app.call(&browser, "set_email_notifications", &[("enabled", "true")])
            .await,
    )
    .await;
    insta::assert_json_snapshot!("unverified", unverified);

    let wrong = json_of(
        app.sign_in(&client(), "forme@exemple.fr", "pas le bon")
            .await,
    )
    .await;
    insta::assert_json_snapshot!("invalid_credentials", wrong);

    let limited = json_of(
        app.sign_in(&client(), "forme@exemple.fr", "pas le bon")
            .await,
    )
    .await;
    insta::assert_json_snapshot!("too_many_requests", limited);

    let anonymous = json_of(app.call(&client(), "viewer", &[]).await).await;
    insta::assert_json_snapshot!("no_viewer", anonymous);

    let forbidden = client()
        .post(app.url("/api/sign_out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    let forbidden = json_of(forbidden).await;
    insta::assert_json_snapshot!("forbidden", forbidden);
}

/// Snapshot settings for the rest of the calling test: times, which differ at each run, are
/// replaced wherever they are. (Ids are stable in a fresh database, and test servers keep the
/// default PUBLIC_URL, so addresses are too.)
fn times_redacted() -> insta::internals::SettingsBindDropGuard {
    let mut settings = insta::Settings::clone_current();
    for field in [
        "updated_at",
        "sent_at",
        "last_message_at",
        "blocked_at",
        "received_at",
        "opened_at",
        "at",
        "signed_up_at",
    ] {
        settings.add_redaction(&format!(".**.{field}"), 0);
    }
    settings.bind_to_scope()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn artist_endpoints_answer_stable_json() {
    let _times = times_redacted();
    let app = crate::common::spawn_app().await;
    let artist = app.signed_up("artist", "forme@exemple.fr").await;
    let fields = [
        ("profile[stage_name]", "Les Frères Étoile"),
        ("profile[presentation]", "Trois amis, deux guitares."),
        ("profile[music_description]", "Du swing manouche."),
        ("profile[music_types]", "Jazz manouche, Swing"),
        ("profile[regions][0]", "84"),
        ("profile[regions][1]", "53"),
        ("profile[base_city]", "69001"),
        ("profile[links][youtube]", "youtube.com/@freres"),
        ("profile[offers][0][title]", "Concert en salon"),
        ("profile[offers][0][venue_type]", "Salon"),
        ("profile[offers][0][duration]", "1 h 15"),
        ("profile[offers][0][audience]", "15 à 40 personnes"),
        ("profile[offers][0][price_text]", "400 € + défraiement"),
        ("profile[offers][0][price_min_eur]", "400"),
        ("profile[offers][0][description]", "Acoustique."),
        ("profile[published]", "true"),
    ];
    let saved = json_of(app.call(&artist, "save_artist_profile", &fields).await).await;
    insta::assert_json_snapshot!("artist_profile", saved);

    let refused = json_of(
        app.call(
            &artist,
            "save_artist_profile",
            &[("profile[stage_name]", "")],
        )
        .await,
    )
    .await;
    insta::assert_json_snapshot!("invalid_profile_field", refused);

    let found = json_of(
        app.call(
            &client(),
            "search_artists",
            &[("music_type", "swing"), ("city", "Lyon")],
        )
        .await,
    )
    .await;
    insta::assert_json_snapshot!("search_results", found);

    let misspelt = json_of(
        app.call(&client(), "search_artists", &[("city", "Marseile")])
            .await,
    )
    .await;
    insta::assert_json_snapshot!("invalid_city_with_choices", misspelt);

    let cities = json_of(
        app.call(&client(), "suggest_cities", &[("query", "lyon")])
            .await,
    )
    .await;
    insta::assert_json_snapshot!("city_suggestions", cities);

    let regions = json_of(app.call(&client(), "regions", &[]).await).await;
    insta::assert_json_snapshot!("regions", regions);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messaging_endpoints_answer_stable_json() {
    let _times = times_redacted();
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let call =
        |who: &reqwest::Client, endpoint: &'static str, form: Vec<(&'static str, String)>| {
            let (app, who) = (&app, who.clone());
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                json_of(app.call(&who, endpoint, &form).await).await
            }
        };

    let mut artist_events =
        crate::common::events::EventStream::open(&artist, &app.url("/events")).await;
    insta::assert_json_snapshot!("event_unread_empty", artist_events.next().await);

    let contact = call(&host, "contact_state", vec![("artist", slug.to_owned())]).await;
    insta::assert_json_snapshot!("contact_state", contact);
    let sent = call(
        &host,
        "write_to_artist",
        vec![
            ("artist", slug.to_owned()),
            ("body", "Bonjour !\nÀ bientôt.".to_owned()),
        ],
    )
    .await;
    insta::assert_json_snapshot!("message", sent);
    insta::assert_json_snapshot!("event_message", artist_events.next().await);
    insta::assert_json_snapshot!("event_unread", artist_events.next().await);
    let id = sent["conversation_id"].to_string();
    let reply = call(
        &artist,
        "send_message",
        vec![
            ("conversation_id", id.clone()),
            ("body", "Avec plaisir.".to_owned()),
        ],
    )
    .await;
    assert_eq!(reply["from_me"], true);

    let inbox = call(&artist, "inbox", vec![("archived", "false".to_owned())]).await;
    insta::assert_json_snapshot!("inbox", inbox);
    let unread = call(&host, "unread_count", vec![]).await;
    insta::assert_json_snapshot!("unread_count", unread);
    let thread = call(&host, "conversation", vec![("id", id.clone())]).await;
    insta::assert_json_snapshot!("thread", thread);
    let archived = call(
        &host,
        "archive_conversation",
        vec![("id", id), ("archived", "true".to_owned())],
    )
    .await;
    insta::assert_json_snapshot!("archive_state", archived);
    let artist_archives = call(
        &artist,
        "archive_conversation",
        vec![
            ("id", sent["conversation_id"].to_string()),
            ("archived", "true".to_owned()),
        ],
    )
    .await;
    assert_eq!(artist_archives["archived"], true);
    // The reply, its unread state, then the archive.
    for _ in 0..2 {
        artist_events.next().await;
    }
    insta::assert_json_snapshot!("event_archived", artist_events.next().await);
    let settings = call(&artist, "email_settings", vec![]).await;
    insta::assert_json_snapshot!("email_settings", settings);
    let missing = call(&host, "conversation", vec![("id", "999".to_owned())]).await;
    insta::assert_json_snapshot!("not_found", missing);

    let host_id = call(
        &artist,
        "conversation",
        vec![("id", sent["conversation_id"].to_string())],
    )
    .await["other"]["id"]
        .to_string();
    let blocked = call(
        &artist,
        "block_person",
        vec![("person", host_id), ("blocked", "true".to_owned())],
    )
    .await;
    insta::assert_json_snapshot!("block_state", blocked);
    let people = call(&artist, "blocked_people", vec![]).await;
    insta::assert_json_snapshot!("blocked_people", people);
    let closed = call(&host, "contact_state", vec![("artist", slug.to_owned())]).await;
    insta::assert_json_snapshot!("contact_state_closed", closed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderation_endpoints_answer_stable_json() {
    let _times = times_redacted();
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let sent = json_of(app.write_to_artist(&host, &slug, "Bonjour !").await).await;
    let conversation = sent["conversation_id"].to_string();
    app.reply(
        &artist,
        &conversation,
        "Écrivez-moi plutôt sur ce site douteux.",
    )
    .await;
    let thread = json_of(
        app.call(&host, "conversation", &[("id", &conversation)])
            .await,
    )
    .await;
    let message = thread["messages"][1]["id"].to_string();
    let receipt = json_of(
        app.call(
            &host,
            "report",
            &[
                ("subject", "message"),
                ("target", &message),
                ("reason", "spam"),
                ("details", "Un lien vers un site inconnu."),
            ],
        )
        .await,
    )
    .await;
    insta::assert_json_snapshot!("report_receipt", receipt);
    let moderator = crate::moderation::moderator(&app).await;
    let desk = json_of(app.call(&moderator, "moderation_desk", &[]).await).await;
    insta::assert_json_snapshot!("moderation_desk", desk);
    let host_id = json_of(
        app.call(&artist, "conversation", &[("id", &conversation)])
            .await,
    )
    .await["other"]["id"]
        .to_string();
    let details = json_of(
        app.call(&moderator, "moderation_host", &[("host", &host_id)])
            .await,
    )
    .await;
    insta::assert_json_snapshot!("moderation_host", details);
    let decided = json_of(
        app.call(
            &moderator,
            "moderate",
            &[("case", "1"), ("action", "dismiss"), ("reason", "Averti.")],
        )
        .await,
    )
    .await;
    insta::assert_json_snapshot!("moderated", decided);
    let desk = json_of(app.call(&moderator, "moderation_desk", &[]).await).await;
    insta::assert_json_snapshot!("moderation_desk_after", desk);
}
