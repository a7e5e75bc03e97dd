//! "Mes données": a member downloads everything the site holds about them, as a JSON file
//! streamed as it is read. Each side gets their own data and what they could already see of
//! the other, nothing more; the file reads back into the types a client would use.

use crate::common::{TestApp, client, json_of, ok_json, spawn_app_with};
use concerts::account::model::{MY_DATA_FORMAT, MyData};
use futures::StreamExt;
use reqwest::Client;
use serde_json::Value;
use std::time::Duration;

/// A second host, writing to the same artist: nothing of theirs may reach the first host.
const OTHER_HOST_NAME: &str = "Maison Lefèvre";
const OTHER_HOST_EMAIL: &str = "lefevre@exemple.fr";
const OTHER_HOST_WORDS: &str = "Notre grange accueille 80 personnes, code du portail 4512.";

async fn app() -> TestApp {
    spawn_app_with(&[("MAIL_DELAY_SECONDS", "0"), ("MAIL_POLL_MS", "100")]).await
}

/// The downloaded file, checked as a download (headers) and as JSON of `MyData`'s shape.
async fn download(app: &TestApp, who: &Client) -> (Value, MyData) {
    let response = app.call(who, "my_data", &[]).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/json; charset=utf-8");
    assert!(
        header("content-disposition").starts_with("attachment; filename="),
        "{}",
        header("content-disposition")
    );
    assert_eq!(header("cache-control"), "no-store");
    let text = response.text().await.expect("the file");
    let value: Value = serde_json::from_str(&text).expect("valid JSON");
    let data: MyData = serde_json::from_str(&text).expect("the shape of MyData");
    assert_eq!(data.format, MY_DATA_FORMAT);
    (value, data)
}

/// Waits until `email`'s account was sent at least one e-mail about a message.
async fn wait_for_message_email(app: &TestApp, email: &str) {
    for _ in 0..100 {
        let sent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox o JOIN users u ON u.id = o.user_id \
             WHERE u.email = $1 AND o.kind = 'message' AND o.status = 'sent'",
        )
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .expect("outbox count");
        if sent > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no message e-mail was sent to {email}");
}

/// Famille Martin (host, e-mails on) and Trio Céleste (artist, with a formule) in one
/// conversation; Maison Lefèvre, another host, wrote to the trio too.
struct Scene {
    host: Client,
    artist: Client,
    conversation: String,
    artist_reply: String,
}

async fn scene(app: &TestApp) -> Scene {
    let (host, _) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let (artist, profile) = app
        .published_artist_offering("trio@exemple.fr", "Trio Céleste", "Concert en salon")
        .await;
    let slug = profile["slug"].as_str().expect("slug").to_owned();
    let on = app
        .call(&host, "set_email_notifications", &[("enabled", "true")])
        .await;
    assert_eq!(json_of(on).await["notifications"], true);
    let sent = app
        .write_to_artist(&host, &slug, "Bonjour, seriez-vous libres en mars ?")
        .await;
    let conversation = ok_json(sent).await["conversation_id"].to_string();
    let reply = app
        .reply(&artist, &conversation, "Oui, le 14 mars nous irait.")
        .await;
    let artist_reply = ok_json(reply).await["id"].to_string();

    let (other_host, _) = app
        .host_with_profile(OTHER_HOST_EMAIL, OTHER_HOST_NAME)
        .await;
    let other = app
        .write_to_artist(&other_host, &slug, OTHER_HOST_WORDS)
        .await;
    assert_eq!(other.status(), 200);
    Scene {
        host,
        artist,
        conversation,
        artist_reply,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_downloads_their_account_profile_conversation_and_emails_and_nothing_of_others() {
    let app = app().await;
    let scene = scene(&app).await;
    let reported = app
        .call(
            &scene.host,
            "report",
            &[
                ("subject", "message"),
                ("target", &scene.artist_reply),
                ("reason", "autre"),
                ("details", "Pour essayer le signalement."),
            ],
        )
        .await;
    assert_eq!(reported.status(), 200);
    wait_for_message_email(&app, "hote@exemple.fr").await;

    let (value, data) = download(&app, &scene.host).await;
    assert_eq!(data.account.email, "hote@exemple.fr");
    assert_eq!(value["account"]["role"], "host");
    assert!(data.email_settings.notifications);
    let profile = data.host_profile.as_ref().expect("the host's profile");
    assert_eq!(profile.name, "Famille Martin");
    assert_eq!(
        profile.description,
        "Un grand salon, un piano droit, 40 places."
    );
    assert!(data.artist_profile.is_none());

    assert_eq!(data.conversations.len(), 1);
    let conversation = &data.conversations[0];
    assert_eq!(conversation.id.to_string(), scene.conversation);
    assert_eq!(conversation.other.name, "Trio Céleste");
    let said: Vec<(bool, &str)> = conversation
        .messages
        .iter()
        .map(|message| (message.from_me, message.body.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (true, "Bonjour, seriez-vous libres en mars ?"),
            (false, "Oui, le 14 mars nous irait."),
        ]
    );

    assert_eq!(data.reports.len(), 1);
    assert_eq!(value["reports"][0]["subject"], "message");
    assert_eq!(data.reports[0].details, "Pour essayer le signalement.");

    let told: Vec<String> = data
        .emails
        .iter()
        .filter(|email| email.kind == "message")
        .filter_map(|email| email.message_id.map(|id| id.to_string()))
        .collect();
    assert_eq!(told, [scene.artist_reply.as_str()], "the reply's e-mail");

    // Nothing of the other host, nor the artist's address: only what the host could see.
    let text = value.to_string();
    for secret in [
        OTHER_HOST_NAME,
        OTHER_HOST_EMAIL,
        OTHER_HOST_WORDS,
        "trio@exemple.fr",
    ] {
        assert!(!text.contains(secret), "{secret} in the host's data");
    }

    insta::assert_json_snapshot!("my_data_host", value, {
        ".exported_at" => "[ms]",
        ".account.id" => "[id]",
        ".account.created_at" => "[ms]",
        ".host_profile.id" => "[id]",
        ".host_profile.updated_at" => "[ms]",
        ".reports[].sent_at" => "[ms]",
        ".conversations[].id" => "[id]",
        ".conversations[].started_at" => "[ms]",
        ".conversations[].other.id" => "[id]",
        ".conversations[].other.profile_url" => "[path]",
        ".conversations[].messages[].id" => "[id]",
        ".conversations[].messages[].conversation_id" => "[id]",
        ".conversations[].messages[].sender_id" => "[id]",
        ".conversations[].messages[].sent_at" => "[ms]",
        // An account e-mail names no message: its null stays.
        ".emails[].message_id" => insta::dynamic_redaction(|value, _| {
            if value.as_i64().is_some() { "[id]".into() } else { value }
        }),
        ".emails[].sent_at" => "[ms]",
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_artist_downloads_their_profile_offers_and_each_conversation_but_no_host_details() {
    let app = app().await;
    let scene = scene(&app).await;
    let martin = ok_json(
        app.call(
            &scene.artist,
            "conversation",
            &[("id", &scene.conversation)],
        )
        .await,
    )
    .await["other"]["id"]
        .to_string();
    let blocked = app
        .call(
            &scene.artist,
            "block_person",
            &[("person", &martin), ("blocked", "true")],
        )
        .await;
    assert_eq!(blocked.status(), 200);

    let (value, data) = download(&app, &scene.artist).await;
    assert_eq!(data.account.email, "trio@exemple.fr");
    assert_eq!(value["account"]["role"], "artist");
    assert!(data.host_profile.is_none());
    let profile = data.artist_profile.as_ref().expect("the artist's profile");
    assert_eq!(profile.stage_name, "Trio Céleste");
    assert!(profile.published);
    let offers: Vec<&str> = profile.offers.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(offers, ["Concert en salon"]);

    // Both conversations, the closed one included, each with all its messages.
    let with: Vec<(&str, bool, usize)> = data
        .conversations
        .iter()
        .map(|c| (c.other.name.as_str(), c.closed, c.messages.len()))
        .collect();
    assert_eq!(
        with,
        [("Famille Martin", true, 2), (OTHER_HOST_NAME, false, 1)]
    );
    assert_eq!(data.conversations[1].messages[0].body, OTHER_HOST_WORDS);
    let blocked: Vec<&str> = data
        .blocked_people
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(blocked, ["Famille Martin"]);

    // A host's confidential details stay behind their profile page.
    let text = value.to_string();
    for secret in [
        "hote@exemple.fr",
        OTHER_HOST_EMAIL,
        "Un grand salon, un piano droit, 40 places.",
    ] {
        assert!(!text.contains(secret), "{secret} in the artist's data");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_data_is_for_the_signed_in_member_a_few_times_an_hour() {
    let app = app().await;
    let anonymous = app.call(&client(), "my_data", &[]).await;
    assert_eq!(anonymous.status(), 401);

    let (host, _) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    // Without JavaScript, the form's answer is the file itself, not the page again.
    let posted = app
        .post_plain_form(&host, "my_data", &app.url("/profil"), &[])
        .await;
    assert_eq!(posted.status(), 200, "{:?}", posted.headers());
    assert!(posted.headers().get("location").is_none());
    let file: MyData = posted.json().await.expect("the file");
    assert_eq!(file.account.email, "hote@exemple.fr");
    for _ in 0..4 {
        download(&app, &host).await;
    }
    let refused = app.call(&host, "my_data", &[]).await;
    assert_eq!(refused.status(), 429);
    let message = json_of(refused).await["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("réessayez dans une heure"), "{message}");

    // Past the limit, the form's page comes back with the refusal on it.
    let posted = app
        .post_plain_form(&host, "my_data", &app.url("/profil"), &[])
        .await;
    assert_eq!(posted.status(), 302);
    let page = app.html(&host, "/profil").await;
    assert!(page.contains("réessayez dans une heure"), "refusal shown");
    assert!(page.contains("Télécharger mes données"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_account_is_streamed_in_chunks_and_arrives_whole() {
    let app = app().await;
    let scene = scene(&app).await;
    // 3,000 messages of 1,000 characters (3 MB), written straight into the database.
    let conversation: i64 = scene.conversation.parse().expect("an id");
    let (host_id,): (i64,) = sqlx::query_as("SELECT host_id FROM conversations WHERE id = $1")
        .bind(conversation)
        .fetch_one(&app.state.db.pool)
        .await
        .expect("the conversation");
    let body = "la".repeat(500);
    for _ in 0..3000 {
        sqlx::query(
            "INSERT INTO messages (conversation_id, sender_id, body, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(conversation)
        .bind(host_id)
        .bind(&body)
        .bind(concerts::db::now_ms())
        .execute(&app.state.db.pool)
        .await
        .expect("a message");
    }
    let response = app.call(&scene.host, "my_data", &[]).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("content-length").is_none(),
        "a stream has no length known in advance"
    );
    let file = response.bytes().await.expect("the file");
    let data: MyData = serde_json::from_slice(&file).expect("the whole file");
    assert_eq!(data.conversations[0].messages.len(), 3002);

    // The file is made of pieces of about 32 KiB, each written as its rows are read.
    let chunks = concerts::account::export::my_data(&app.state, host_id)
        .await
        .expect("the stream");
    let sizes: Vec<usize> = chunks
        .map(|chunk| chunk.expect("a chunk").len())
        .collect()
        .await;
    assert_eq!(sizes.iter().sum::<usize>(), file.len());
    assert!(sizes.len() > 50, "{} chunks", sizes.len());
    assert!(
        sizes.iter().all(|size| *size < 40 * 1024),
        "largest {:?}",
        sizes.iter().max()
    );
}
