//! Blocking: neither side writes to the other any more, the conversation leaves both
//! current inboxes, an artist who blocks a host stops seeing the host's profile, and the
//! blocked side reads nothing that says it was blocked. Tried from both sides, and by people
//! who may not block at all.

use crate::common::{TestApp, client, json_of, ok_json, spawn_app};
use crate::messaging::ids;
use reqwest::Client;
use serde_json::Value;

const CLOSED: &str = "Cette conversation est fermée";

/// A host (Famille Martin) who wrote to an artist (Trio Céleste).
struct Pair {
    host: Client,
    host_id: String,
    artist: Client,
    artist_id: String,
    slug: String,
    conversation: String,
}

async fn pair(app: &TestApp) -> Pair {
    let (host, artist, slug) = app.host_and_artist().await;
    let sent = app
        .write_to_artist(&host, &slug, "Bonjour, seriez-vous libres en mars ?")
        .await;
    let conversation = ok_json(sent).await["conversation_id"].to_string();
    let seen_by_artist = thread(app, &artist, &conversation).await;
    let seen_by_host = thread(app, &host, &conversation).await;
    Pair {
        host,
        host_id: seen_by_artist["other"]["id"].to_string(),
        artist,
        artist_id: seen_by_host["other"]["id"].to_string(),
        slug,
        conversation,
    }
}

async fn thread(app: &TestApp, who: &Client, conversation: &str) -> Value {
    ok_json(app.call(who, "conversation", &[("id", conversation)]).await).await
}

async fn block(app: &TestApp, who: &Client, person: &str, blocked: bool) -> reqwest::Response {
    app.call(
        who,
        "block_person",
        &[("person", person), ("blocked", &blocked.to_string())],
    )
    .await
}

/// The ids of the conversations in one view of `who`'s inbox.
async fn inbox_ids(app: &TestApp, who: &Client, archived: bool) -> Vec<String> {
    let inbox = app
        .call(who, "inbox", &[("archived", &archived.to_string())])
        .await;
    ids(&ok_json(inbox).await)
}

/// What a refused write answers: its status and its message.
async fn refusal(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body = json_of(response).await;
    (
        status,
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn propose_concert(app: &TestApp, host: &Client, conversation: &str) -> reqwest::Response {
    let date = crate::concerts::in_days(40);
    app.call(
        host,
        "propose_concert",
        &[
            ("conversation_id", conversation),
            ("proposal[date]", &date),
            ("proposal[time]", "20:30"),
            ("proposal[offer]", "autre"),
            ("proposal[guests]", "30"),
            ("proposal[fee]", "300"),
            ("proposal[note]", "Un piano droit."),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_artist_who_blocks_a_host_closes_the_conversation_both_ways_and_tells_them_nothing() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    let hosts_profile = app
        .call(&p.artist, "host_profile", &[("id", &p.host_id)])
        .await;
    assert_eq!(
        hosts_profile.status(),
        200,
        "the artist sees the host's profile"
    );

    let blocked = ok_json(block(&app, &p.artist, &p.host_id, true).await).await;
    assert_eq!(blocked["blocked"], true);

    // No message passes, either way, by any route.
    for (who, response) in [
        (
            "host",
            app.reply(&p.host, &p.conversation, "Vous êtes là ?").await,
        ),
        (
            "host, from the artist's page",
            app.write_to_artist(&p.host, &p.slug, "Bonjour ?").await,
        ),
        (
            "host, a concert",
            propose_concert(&app, &p.host, &p.conversation).await,
        ),
        (
            "artist",
            app.reply(&p.artist, &p.conversation, "Non.").await,
        ),
    ] {
        let (status, message) = refusal(response).await;
        assert_eq!(status, 422, "{who}: {message}");
        assert!(message.starts_with(CLOSED), "{who}: {message}");
        assert!(!message.contains("bloqu"), "{who}: {message}");
    }
    assert_eq!(
        thread(&app, &p.host, &p.conversation).await["messages"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "nothing was stored; the first message stays"
    );

    // The conversation leaves both current inboxes, and waits, closed, with the archived ones.
    for who in [&p.host, &p.artist] {
        assert_eq!(inbox_ids(&app, who, false).await, Vec::<String>::new());
        assert_eq!(
            inbox_ids(&app, who, true).await,
            vec![p.conversation.clone()]
        );
    }

    // The host reads a closed conversation, nothing more: no word of a block anywhere.
    let host_view = thread(&app, &p.host, &p.conversation).await;
    assert_eq!(host_view["closed"], true);
    assert_eq!(host_view["blocked_by_me"], false);
    let contact = ok_json(
        app.call(&p.host, "contact_state", &[("artist", &p.slug)])
            .await,
    )
    .await;
    assert_eq!(contact["state"], "closed");
    assert_eq!(
        ok_json(app.call(&p.host, "blocked_people", &[]).await).await,
        serde_json::json!([])
    );
    let page = app
        .html(&p.host, &format!("/messages/{}", p.conversation))
        .await;
    assert!(page.contains(CLOSED), "the host's page says it is closed");
    assert!(!page.contains("bloqué"), "and never that they were blocked");

    // The artist knows what they did, and no longer sees the host's profile or reviews.
    let artist_view = thread(&app, &p.artist, &p.conversation).await;
    assert_eq!(artist_view["closed"], true);
    assert_eq!(artist_view["blocked_by_me"], true);
    assert_eq!(artist_view["other"]["profile_url"], Value::Null);
    for endpoint in ["host_profile", "host_reviews"] {
        let hidden = app.call(&p.artist, endpoint, &[("id", &p.host_id)]).await;
        assert_eq!(hidden.status(), 404, "{endpoint}");
    }
    let list = ok_json(app.call(&p.artist, "blocked_people", &[]).await).await;
    assert_eq!(list[0]["id"].to_string(), p.host_id);
    assert_eq!(list[0]["name"], "Famille Martin");
    assert_eq!(list[0]["role"], "host");
    let account = app.html(&p.artist, "/profil").await;
    assert!(account.contains("Personnes bloquées") && account.contains("Famille Martin"));

    // Unblocked, all is as before.
    let unblocked = ok_json(block(&app, &p.artist, &p.host_id, false).await).await;
    assert_eq!(unblocked["blocked"], false);
    assert_eq!(
        app.reply(&p.host, &p.conversation, "Bonjour !")
            .await
            .status(),
        200
    );
    assert_eq!(
        inbox_ids(&app, &p.artist, false).await,
        vec![p.conversation.clone()]
    );
    let hosts_profile = app
        .call(&p.artist, "host_profile", &[("id", &p.host_id)])
        .await;
    assert_eq!(hosts_profile.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_blocks_an_artist_from_the_artists_page_and_the_artist_keeps_what_they_saw() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    let contact = ok_json(
        app.call(&p.host, "contact_state", &[("artist", &p.slug)])
            .await,
    )
    .await;
    assert_eq!(contact["state"], "open");
    assert_eq!(contact["artist_id"].to_string(), p.artist_id);
    // As the artist's page does without JavaScript: a plain form, and back to the page.
    let here = app.url(&format!("/artistes/{}", p.slug));
    let posted = app
        .post_plain_form(
            &p.host,
            "block_person",
            &here,
            &[("person", p.artist_id.as_str()), ("blocked", "true")],
        )
        .await;
    assert!(posted.status().is_redirection(), "{}", posted.status());
    let page = app.html(&p.host, &format!("/artistes/{}", p.slug)).await;
    assert!(
        page.contains("Vous avez bloqué Trio Céleste"),
        "the host's page says so"
    );
    assert!(page.contains("Débloquer"));

    let contact = ok_json(
        app.call(&p.host, "contact_state", &[("artist", &p.slug)])
            .await,
    )
    .await;
    assert_eq!(contact["state"], "blocked_by_me");
    let (status, message) = refusal(app.write_to_artist(&p.host, &p.slug, "Re").await).await;
    assert_eq!(
        (status, message.starts_with(CLOSED)),
        (422, true),
        "{message}"
    );
    let (status, message) = refusal(app.reply(&p.artist, &p.conversation, "Oui ?").await).await;
    assert_eq!(
        (status, message.starts_with(CLOSED)),
        (422, true),
        "{message}"
    );
    assert!(
        !message.contains("bloqu"),
        "the artist is not told: {message}"
    );

    // Only an artist's own block takes the host's profile away from them.
    let hosts_profile = app
        .call(&p.artist, "host_profile", &[("id", &p.host_id)])
        .await;
    assert_eq!(hosts_profile.status(), 200);
    let artist_view = thread(&app, &p.artist, &p.conversation).await;
    assert_eq!(
        (
            artist_view["closed"].clone(),
            artist_view["blocked_by_me"].clone()
        ),
        (Value::Bool(true), Value::Bool(false))
    );
    let list = ok_json(app.call(&p.host, "blocked_people", &[]).await).await;
    assert_eq!(list[0]["name"], "Trio Céleste");
    assert_eq!(list[0]["role"], "artist");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_blocks_a_stranger_or_themself_and_a_refusal_stores_nothing() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    let (other_host, _) = app
        .host_with_profile("autre-hote@exemple.fr", "Autre Hôte")
        .await;
    let (other_artist, _) = app
        .published_artist("autre@exemple.fr", "Autre Groupe")
        .await;
    // A host they never wrote to, a host by an artist who never heard of them, oneself, an
    // account that does not exist: all 404, like anything the asker may not see.
    for (who, person) in [
        (&other_host, &p.host_id),
        (&other_artist, &p.host_id),
        (&p.host, &p.host_id),
        (&p.artist, &"999999".to_owned()),
    ] {
        assert_eq!(
            block(&app, who, person, true).await.status(),
            404,
            "{person}"
        );
        assert_eq!(
            ok_json(app.call(who, "blocked_people", &[]).await).await,
            serde_json::json!([])
        );
    }
    assert_eq!(
        block(&app, &client(), &p.artist_id, true).await.status(),
        401
    );
    // A host may block any published artist, even before writing.
    assert_eq!(
        block(&app, &other_host, &p.artist_id, true).await.status(),
        200
    );
    assert_eq!(
        app.reply(&p.host, &p.conversation, "Toujours ouvert")
            .await
            .status(),
        200
    );
}
