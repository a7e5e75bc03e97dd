//! The messenger over HTTP: who may see and do what, unread counts, archive, limits, and
//! messages shown as text.

use crate::common::{TestApp, client, json_of, ok_json, spawn_app, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// A host and an artist who talk, and a third artist, a third host and an anonymous visitor
/// who must see nothing of it.
struct Cast {
    host: Client,
    host_id: String,
    artist: Client,
    slug: String,
    conversation: String,
    third_artist: Client,
    third_host: Client,
}

const FIRST_MESSAGE: &str = "Bonjour, seriez-vous libres le samedi 14 mars ?";

async fn cast(app: &TestApp) -> Cast {
    let (host, host_profile) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let (artist, profile) = app
        .published_artist("trio@exemple.fr", "Trio Céleste")
        .await;
    let slug = profile["slug"].as_str().expect("slug").to_owned();
    let sent = app.write_to_artist(&host, &slug, FIRST_MESSAGE).await;
    assert_eq!(sent.status(), 200);
    let conversation = json_of(sent).await["conversation_id"].to_string();
    let (third_artist, _) = app
        .published_artist("autre-artiste@exemple.fr", "Autre Groupe")
        .await;
    let (third_host, _) = app
        .host_with_profile("autre-hote@exemple.fr", "Autre Hôte")
        .await;
    Cast {
        host,
        host_id: host_profile["id"].to_string(),
        artist,
        slug,
        conversation,
        third_artist,
        third_host,
    }
}

async fn inbox(app: &TestApp, who: &Client, archived: bool) -> Value {
    let archived = archived.to_string();
    ok_json(app.call(who, "inbox", &[("archived", &archived)]).await).await
}

async fn open(app: &TestApp, who: &Client, conversation: &str) -> Value {
    ok_json(app.call(who, "conversation", &[("id", conversation)]).await).await
}

async fn unread(app: &TestApp, who: &Client) -> i64 {
    let count = ok_json(app.call(who, "unread_count", &[]).await).await;
    count["total"].as_i64().expect("a total")
}

async fn archive(app: &TestApp, who: &Client, conversation: &str, archived: bool) {
    let archived = archived.to_string();
    let state = ok_json(
        app.call(
            who,
            "archive_conversation",
            &[("id", conversation), ("archived", &archived)],
        )
        .await,
    )
    .await;
    assert_eq!(state["archived"].to_string(), archived);
}

/// The ids of the conversations in an inbox view.
pub(crate) fn ids(inbox: &Value) -> Vec<String> {
    inbox["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .map(|summary| summary["id"].to_string())
        .collect()
}

fn bodies(thread: &Value) -> Vec<String> {
    thread["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|message| message["body"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn page(app: &TestApp, who: &Client, path: &str) -> (StatusCode, String) {
    let response = who
        .get(app.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    (response.status(), response.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_two_participants_reach_a_conversation_and_the_host_profile() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = cast.conversation.as_str();
    let calls: [(&str, Vec<(&str, &str)>); 5] = [
        ("conversation", vec![("id", conversation)]),
        (
            "conversation",
            vec![("id", conversation), ("before", "1000000")],
        ),
        (
            "send_message",
            vec![("conversation_id", conversation), ("body", "Intrus")],
        ),
        (
            "archive_conversation",
            vec![("id", conversation), ("archived", "true")],
        ),
        ("host_profile", vec![("id", cast.host_id.as_str())]),
    ];
    let anonymous = client();
    let strangers = [
        ("third artist", &cast.third_artist),
        ("third host", &cast.third_host),
        ("anonymous", &anonymous),
    ];
    for (endpoint, form) in &calls {
        for (who, stranger) in strangers {
            let status = app.call(stranger, endpoint, form).await.status();
            // Signing in is the answer for an anonymous visitor, except for a host profile,
            // which says nothing to anyone.
            let expected = if who == "anonymous" && *endpoint != "host_profile" {
                401
            } else {
                404
            };
            assert_eq!(status, expected, "{endpoint} by the {who}");
        }
    }
    let thread_path = format!("/messages/{conversation}");
    let host_path = format!("/hotes/{}", cast.host_id);
    for (who, stranger) in &strangers[..2] {
        for path in [&thread_path, &host_path] {
            let (status, html) = page(&app, stranger, path).await;
            assert_eq!(status, 404, "{path} for the {who}");
            assert!(!html.contains(FIRST_MESSAGE) && !html.contains("Famille Martin"));
        }
        assert!(ids(&inbox(&app, stranger, false).await).is_empty());
        assert!(ids(&inbox(&app, stranger, true).await).is_empty());
        assert_eq!(unread(&app, stranger).await, 0);
    }
    let anonymous_thread = anonymous
        .get(app.url(&thread_path))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous_thread.status(), 303);
    assert_eq!(page(&app, &anonymous, &host_path).await.0, 404);

    // Only hosts start conversations.
    let by_artist = app
        .write_to_artist(&cast.third_artist, &cast.slug, "Salut")
        .await;
    assert_eq!(by_artist.status(), 404);
    assert_eq!(
        app.write_to_artist(&anonymous, &cast.slug, "Salut")
            .await
            .status(),
        401
    );

    // The participants succeed, and the strangers' attempts left nothing behind.
    for (participant, other_name) in [
        (&cast.host, "Trio Céleste"),
        (&cast.artist, "Famille Martin"),
    ] {
        for (endpoint, form) in &calls {
            let response = app.call(participant, endpoint, form).await;
            assert_eq!(response.status(), 200, "{endpoint}");
        }
        let (status, html) = page(&app, participant, &thread_path).await;
        assert_eq!(status, 200);
        assert!(html.contains(FIRST_MESSAGE) && html.contains(other_name));
        assert_eq!(page(&app, participant, &host_path).await.0, 200);
    }
    let thread = open(&app, &cast.host, conversation).await;
    assert_eq!(bodies(&thread), [FIRST_MESSAGE, "Intrus", "Intrus"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_counts_per_conversation_and_in_total_until_read() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = cast.conversation.as_str();
    for body in ["Nous serions une trentaine.", "Avez-vous un tarif ?"] {
        assert_eq!(
            app.reply(&cast.host, conversation, body).await.status(),
            200
        );
    }

    let artist_inbox = inbox(&app, &cast.artist, false).await;
    assert_eq!(artist_inbox["unread_total"], 3);
    let summary = &artist_inbox["conversations"][0];
    assert_eq!(summary["unread"], 3);
    assert_eq!(summary["excerpt"], "Avez-vous un tarif ?");
    assert_eq!(summary["last_from_me"], false);
    assert_eq!(summary["other"]["name"], "Famille Martin");
    assert_eq!(
        summary["other"]["profile_url"],
        format!("/hotes/{}", cast.host_id)
    );
    assert_eq!(unread(&app, &cast.artist).await, 3);
    // One's own messages are never unread.
    assert_eq!(unread(&app, &cast.host).await, 0);
    let host_inbox = inbox(&app, &cast.host, false).await;
    assert_eq!(host_inbox["conversations"][0]["unread"], 0);
    assert_eq!(host_inbox["conversations"][0]["last_from_me"], true);
    assert_eq!(
        host_inbox["conversations"][0]["other"]["profile_url"],
        format!("/artistes/{}", cast.slug)
    );

    // The header leaves out the conversation being opened.
    let reading = ok_json(
        app.call(&cast.artist, "unread_count", &[("reading", conversation)])
            .await,
    )
    .await;
    assert_eq!(reading["total"], 0);

    // A second host writes: the total adds up, and the newest activity comes first.
    let (other_host, _) = app
        .host_with_profile("deuxieme@exemple.fr", "Société Opus")
        .await;
    let second = ok_json(
        app.write_to_artist(&other_host, &cast.slug, "Pour notre séminaire ?")
            .await,
    )
    .await;
    assert_eq!(unread(&app, &cast.artist).await, 4);
    let artist_inbox = inbox(&app, &cast.artist, false).await;
    assert_eq!(
        ids(&artist_inbox),
        [
            second["conversation_id"].to_string(),
            conversation.to_owned()
        ]
    );

    // The header of every page says so; opening the conversation leaves only the other one.
    let (_, html) = page(&app, &cast.artist, "/artistes").await;
    assert!(html.contains("(4 messages non lus)"), "header badge");
    assert!(html.contains("<title>(4) Les artistes"), "tab title");
    let (_, html) = page(&app, &cast.artist, &format!("/messages/{conversation}")).await;
    assert!(
        html.contains("(1 message non lu)"),
        "the conversation being opened is left out"
    );
    // The server's answers to a GET of the page and to the conversation itself write nothing:
    // a prefetch, or a link followed by a mail scanner, leaves the messages unread (and their
    // e-mail due). The page, once in view in a browser, reads them.
    assert_eq!(unread(&app, &cast.artist).await, 4, "a GET reads nothing");
    open(&app, &cast.artist, conversation).await;
    assert_eq!(
        unread(&app, &cast.artist).await,
        4,
        "fetching reads nothing"
    );

    let thread = app.read_conversation(&cast.artist, conversation).await;
    assert_eq!(
        bodies(&thread),
        [
            FIRST_MESSAGE,
            "Nous serions une trentaine.",
            "Avez-vous un tarif ?"
        ]
    );
    assert_eq!(thread["other"]["name"], "Famille Martin");
    assert_eq!(
        unread(&app, &cast.artist).await,
        1,
        "the other conversation"
    );
    let artist_inbox = inbox(&app, &cast.artist, false).await;
    assert_eq!(artist_inbox["conversations"][1]["unread"], 0);

    assert_eq!(
        app.reply(&cast.artist, conversation, "Avec plaisir !")
            .await
            .status(),
        200
    );
    assert_eq!(unread(&app, &cast.host).await, 1);
    assert_eq!(unread(&app, &cast.artist).await, 1);
    app.read_conversation(&cast.host, conversation).await;
    assert_eq!(unread(&app, &cast.host).await, 0);

    // Replying reads the conversation, even without opening it first.
    assert_eq!(
        app.reply(&cast.host, conversation, "Parfait.")
            .await
            .status(),
        200
    );
    assert_eq!(unread(&app, &cast.artist).await, 2);
    assert_eq!(
        app.reply(&cast.artist, conversation, "À bientôt.")
            .await
            .status(),
        200
    );
    assert_eq!(
        unread(&app, &cast.artist).await,
        1,
        "only the other conversation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_participant_archives_for_themself_and_a_new_message_brings_it_back_to_its_recipient()
{
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = cast.conversation.as_str();

    archive(&app, &cast.artist, conversation, true).await;
    assert!(ids(&inbox(&app, &cast.artist, false).await).is_empty());
    let archived = inbox(&app, &cast.artist, true).await;
    assert_eq!(ids(&archived), [conversation]);
    assert_eq!(archived["conversations"][0]["archived"], true);
    assert_eq!(ids(&inbox(&app, &cast.host, false).await), [conversation]);
    assert!(ids(&inbox(&app, &cast.host, true).await).is_empty());

    archive(&app, &cast.artist, conversation, false).await;
    assert_eq!(ids(&inbox(&app, &cast.artist, false).await), [conversation]);
    assert!(ids(&inbox(&app, &cast.artist, true).await).is_empty());

    // Both archive; the host writes: it comes back for the artist only.
    archive(&app, &cast.artist, conversation, true).await;
    archive(&app, &cast.host, conversation, true).await;
    assert_eq!(
        app.reply(&cast.host, conversation, "Une autre idée ?")
            .await
            .status(),
        200
    );
    assert_eq!(ids(&inbox(&app, &cast.artist, false).await), [conversation]);
    assert!(ids(&inbox(&app, &cast.host, false).await).is_empty());
    assert_eq!(ids(&inbox(&app, &cast.host, true).await), [conversation]);
    // Unread messages in an archived conversation still count.
    assert_eq!(
        app.reply(&cast.artist, conversation, "Oui !")
            .await
            .status(),
        200
    );
    assert_eq!(ids(&inbox(&app, &cast.host, false).await), [conversation]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_a_message_is_shown_as_text() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let attack = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let sent = ok_json(app.reply(&cast.host, &cast.conversation, attack).await).await;
    assert_eq!(sent["body"], attack, "stored and answered as written");
    for path in [
        format!("/messages/{}", cast.conversation),
        "/messages".to_owned(),
    ] {
        let (status, html) = page(&app, &cast.artist, &path).await;
        assert_eq!(status, 200);
        assert!(
            html.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
            ),
            "{path} shows the text"
        );
        assert!(!html.contains("<script>alert(1)"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_holds_1_to_5000_characters_with_its_line_breaks_and_nothing_else_is_saved() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let conversation = cast.conversation.as_str();
    let too_long = "é".repeat(5001);
    for body in [too_long.as_str(), "", "  \n  "] {
        let refused = app.reply(&cast.artist, conversation, body).await;
        assert_eq!(refused.status(), 422);
        let refused = json_of(refused).await;
        assert_eq!(refused["field"], "body");
        assert_eq!(refused["values"]["body"], body, "what was typed comes back");
    }
    let refused = json_of(app.reply(&cast.artist, conversation, &too_long).await).await;
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("5\u{202f}000"),
        "{refused}"
    );
    // A refused first message opens no conversation.
    let (newcomer, _) = app
        .host_with_profile("nouveau@exemple.fr", "Nouvel Hôte")
        .await;
    assert_eq!(
        app.write_to_artist(&newcomer, &cast.slug, &too_long)
            .await
            .status(),
        422
    );
    assert_eq!(ids(&inbox(&app, &cast.artist, false).await).len(), 1);
    assert_eq!(
        bodies(&open(&app, &cast.host, conversation).await),
        [FIRST_MESSAGE]
    );

    let longest = "a".repeat(5000);
    assert_eq!(
        app.reply(&cast.artist, conversation, &longest)
            .await
            .status(),
        200
    );
    let sent = ok_json(
        app.reply(&cast.artist, conversation, "  Ligne 1\r\n\r\nLigne 2\n")
            .await,
    )
    .await;
    assert_eq!(sent["body"], "Ligne 1\n\nLigne 2");
    assert_eq!(
        bodies(&open(&app, &cast.host, conversation).await),
        [FIRST_MESSAGE, longest.as_str(), "Ligne 1\n\nLigne 2"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_conversation_per_pair_and_a_host_presents_themself_first() {
    let app = spawn_app().await;
    let (artist, profile) = app
        .published_artist("trio@exemple.fr", "Trio Céleste")
        .await;
    let slug = profile["slug"].as_str().unwrap();
    let state = |who: Client| {
        let app = &app;
        async move { ok_json(app.call(&who, "contact_state", &[("artist", slug)]).await).await }
    };
    assert_eq!(state(client()).await["state"], "sign_in_required");
    assert_eq!(state(artist.clone()).await["state"], "not_a_host");

    let host = app.signed_up("host", "hote@exemple.fr").await;
    assert_eq!(state(host.clone()).await["state"], "profile_required");
    let refused = app.write_to_artist(&host, slug, "Bonjour").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(json_of(refused).await["values"]["body"], "Bonjour");
    assert!(ids(&inbox(&app, &artist, false).await).is_empty());

    let saved = app
        .call(
            &host,
            "save_host_profile",
            &[("host[name]", "Famille Martin"), ("host[city]", "Lyon")],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let open_state = state(host.clone()).await;
    assert_eq!(open_state["state"], "open");
    assert_eq!(open_state["conversation_id"], Value::Null);

    let first = ok_json(app.write_to_artist(&host, slug, "Bonjour").await).await;
    let again = ok_json(
        app.write_to_artist(&host, slug, "Vous avez vu mon message ?")
            .await,
    )
    .await;
    assert_eq!(first["conversation_id"], again["conversation_id"]);
    assert_eq!(
        state(host.clone()).await["conversation_id"],
        first["conversation_id"]
    );
    assert_eq!(ids(&inbox(&app, &artist, false).await).len(), 1);
    assert_eq!(unread(&app, &artist).await, 2);

    // A draft cannot be written to.
    let draft = app.signed_up("artist", "brouillon@exemple.fr").await;
    let saved = app
        .call(
            &draft,
            "save_artist_profile",
            &[("profile[stage_name]", "Brouillon")],
        )
        .await;
    let draft_slug = json_of(saved).await["slug"].as_str().unwrap().to_owned();
    assert_eq!(
        app.write_to_artist(&host, &draft_slug, "Bonjour")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&host, "contact_state", &[("artist", &draft_slug)])
            .await
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_conversations_per_day_and_messages_per_minute_are_capped() {
    let app = spawn_app_with(&[
        ("NEW_CONVERSATIONS_PER_DAY", "2"),
        ("MESSAGES_PER_MINUTE", "4"),
    ])
    .await;
    let (host, _) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let mut slugs = Vec::new();
    for (index, name) in ["Premier", "Deuxième", "Troisième"].into_iter().enumerate() {
        let (_, profile) = app
            .published_artist(&format!("artiste{index}@exemple.fr"), name)
            .await;
        slugs.push(profile["slug"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        app.write_to_artist(&host, &slugs[0], "Bonjour")
            .await
            .status(),
        200
    );
    assert_eq!(
        app.write_to_artist(&host, &slugs[1], "Bonjour")
            .await
            .status(),
        200
    );
    let refused = app
        .write_to_artist(&host, &slugs[2], "Bonjour, troisième")
        .await;
    assert_eq!(refused.status(), 429);
    let refused = json_of(refused).await;
    assert!(
        refused["message"].as_str().unwrap().contains("demain"),
        "{refused}"
    );
    assert_eq!(refused["values"]["body"], "Bonjour, troisième");
    assert_eq!(ids(&inbox(&app, &host, false).await).len(), 2);

    // Writing again in a conversation is not a new one; the per-minute cap still counts it.
    assert_eq!(
        app.write_to_artist(&host, &slugs[0], "Et aussi")
            .await
            .status(),
        200
    );
    assert_eq!(
        app.write_to_artist(&host, &slugs[1], "Et aussi")
            .await
            .status(),
        200
    );
    let refused = app.write_to_artist(&host, &slugs[0], "Encore").await;
    assert_eq!(refused.status(), 429);
    assert!(
        json_of(refused).await["message"]
            .as_str()
            .unwrap()
            .contains("Attendez une minute")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_threads_come_in_pages_and_older_pages_do_not_mark_read() {
    let app = spawn_app_with(&[("MESSAGES_PER_MINUTE", "100")]).await;
    let cast = cast(&app).await;
    let conversation = cast.conversation.as_str();
    for number in 2..=35 {
        let body = format!("Message {number}");
        assert_eq!(
            app.reply(&cast.host, conversation, &body).await.status(),
            200
        );
    }
    let newest = ok_json(
        app.call(
            &cast.artist,
            "conversation",
            &[("id", conversation), ("before", "1000000")],
        )
        .await,
    )
    .await;
    assert_eq!(
        unread(&app, &cast.artist).await,
        35,
        "a page asked with `before` reads nothing"
    );
    assert_eq!(bodies(&newest).len(), 30);

    let thread = app.read_conversation(&cast.artist, conversation).await;
    let newest_page = bodies(&thread);
    assert_eq!(newest_page.len(), 30);
    assert_eq!(newest_page.first().map(String::as_str), Some("Message 6"));
    assert_eq!(newest_page.last().map(String::as_str), Some("Message 35"));
    assert_eq!(thread["has_older"], true);
    assert_eq!(unread(&app, &cast.artist).await, 0);

    let first_id = thread["messages"][0]["id"].to_string();
    let older = ok_json(
        app.call(
            &cast.artist,
            "conversation",
            &[("id", conversation), ("before", &first_id)],
        )
        .await,
    )
    .await;
    assert_eq!(older["has_older"], false);
    let mut expected = vec![FIRST_MESSAGE.to_owned()];
    expected.extend((2..=5).map(|number| format!("Message {number}")));
    assert_eq!(bodies(&older), expected);

    // Without JavaScript, `?avant=` shows that older page.
    let (status, html) = page(
        &app,
        &cast.artist,
        &format!("/messages/{conversation}?avant={first_id}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("Message 5") && !html.contains("Message 35"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_writing_and_replying_return_to_the_conversation() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let artist_page = app.url(&format!("/artistes/{}", cast.slug));
    let written = app
        .post_plain_form(
            &cast.host,
            "write_to_artist",
            &artist_page,
            &[("artist", &cast.slug), ("body", "Encore moi")],
        )
        .await;
    assert_eq!(written.status(), 302);
    let thread_path = format!("/messages/{}", cast.conversation);
    assert_eq!(written.headers()["location"], thread_path.as_str());

    let thread_page = app.url(&thread_path);
    let replied = app
        .post_plain_form(
            &cast.artist,
            "send_message",
            &thread_page,
            &[
                ("conversation_id", &cast.conversation),
                ("body", "Bien reçu"),
            ],
        )
        .await;
    assert_eq!(replied.status(), 302);
    let back = replied.headers()["location"].to_str().unwrap();
    assert_eq!(
        back.trim_end_matches('?'),
        thread_page,
        "back to the conversation"
    );
    assert!(
        page(&app, &cast.host, &thread_path)
            .await
            .1
            .contains("Bien reçu")
    );

    // A refused reply comes back with its error and what was typed.
    let typed = format!("Mon long message {}", "x".repeat(5000));
    let refused = app
        .post_plain_form(
            &cast.artist,
            "send_message",
            &thread_page,
            &[("conversation_id", &cast.conversation), ("body", &typed)],
        )
        .await;
    let location = refused.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&thread_page), "{location}");
    assert!(
        !location.contains("__err") && !location.contains("long"),
        "what was typed never goes into the address: {location}"
    );
    let (_, html) = page(
        &app,
        &cast.artist,
        location.trim_start_matches(&app.address),
    )
    .await;
    assert!(
        html.contains("5\u{202f}000 caractères au plus"),
        "the error is shown"
    );
    assert!(html.contains("Mon long message xxxx"), "the text is kept");
    let (_, again) = page(
        &app,
        &cast.artist,
        location.trim_start_matches(&app.address),
    )
    .await;
    assert!(
        !again.contains("Mon long message"),
        "shown once: it is not kept on the server"
    );
}

/// The inbox comes a page of 30 conversations at a time, through the API and on the page
/// without JavaScript, and pages follow each other by where the last one ended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_comes_a_page_at_a_time() {
    let app = spawn_app().await;
    let (artist, profile) = app
        .published_artist("trio@exemple.fr", "Trio Céleste")
        .await;
    let slug = profile["slug"].as_str().expect("slug").to_owned();
    for n in 1..=31 {
        let (host, _) = app
            .host_with_profile(&format!("hote{n}@exemple.fr"), &format!("Hôte numéro {n}"))
            .await;
        let sent = app
            .write_to_artist(&host, &slug, &format!("Message {n}"))
            .await;
        assert_eq!(sent.status(), 200);
    }
    let first = inbox(&app, &artist, false).await;
    let names = |page: &Value| -> Vec<String> {
        page["conversations"]
            .as_array()
            .expect("conversations")
            .iter()
            .map(|row| row["other"]["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let first_names = names(&first);
    assert_eq!(first_names.len(), 30);
    assert_eq!(first_names[0], "Hôte numéro 31", "newest first");
    let older = first["older"]
        .as_str()
        .expect("older ones follow")
        .to_owned();
    let second = ok_json(
        app.call(
            &artist,
            "inbox",
            &[("archived", "false"), ("before", &older)],
        )
        .await,
    )
    .await;
    assert_eq!(names(&second), ["Hôte numéro 1"]);
    assert!(second["older"].is_null(), "the last page");
    let bad = app
        .call(
            &artist,
            "inbox",
            &[("archived", "false"), ("before", "n'importe quoi")],
        )
        .await;
    assert_eq!(bad.status(), 404);

    // Without JavaScript: the page links to the older one, which links back.
    let page = app.html(&artist, "/messages").await;
    assert!(page.contains("Hôte numéro 2<"), "the newest page");
    assert!(!page.contains("Hôte numéro 1<"));
    let link = format!("href=\"/messages?avant={older}\"");
    assert!(page.contains(&link), "a link to the older page");
    let older_page = app.html(&artist, &format!("/messages?avant={older}")).await;
    assert!(older_page.contains("Hôte numéro 1<"), "the older page");
    assert!(!older_page.contains("Hôte numéro 2<"));
    assert!(older_page.contains("Revenir aux conversations les plus récentes"));
}
