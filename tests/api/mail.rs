//! Messages by e-mail, through a real SMTP server: who receives what, the links in it, and
//! an outbox that keeps every e-mail while the server is down.

use crate::common::{
    TestApp, client, json_of,
    smtp::{SmtpServer, link_token},
    spawn_app_with,
};
use reqwest::Client;
use std::time::Duration;

/// The default PUBLIC_URL of test servers (`http://{SITE_ADDR}`).
const PUBLIC_URL: &str = "http://127.0.0.1:0";

async fn app_sending_to(smtp: &SmtpServer) -> TestApp {
    spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_DELAY_SECONDS", "0"),
        ("MAIL_POLL_MS", "100"),
        ("MAIL_RETRY_BASE_MS", "200"),
    ])
    .await
}

/// A host and an artist; the artist asked for e-mails, the host did not.
async fn pair(app: &TestApp) -> (Client, Client, String) {
    let (host, artist, slug) = app.host_and_artist().await;
    let on = app
        .call(&artist, "set_email_notifications", &[("enabled", "true")])
        .await;
    assert_eq!(json_of(on).await["notifications"], true);
    (host, artist, slug)
}

async fn write(app: &TestApp, host: &Client, slug: &str, body: &str) -> String {
    let sent = app.write_to_artist(host, slug, body).await;
    assert_eq!(sent.status(), 200);
    json_of(sent).await["conversation_id"].to_string()
}

/// (status, attempts) of every message e-mail in the outbox (not the sign-ups' welcome
/// e-mails), oldest first.
async fn outbox(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT status, attempts FROM outbox WHERE kind = 'message' ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .expect("outbox rows")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opted_in_recipient_gets_the_message_with_working_links_and_can_unsubscribe() {
    let smtp = SmtpServer::started().await;
    let app = app_sending_to(&smtp).await;
    let (host, artist, slug) = pair(&app).await;
    let body = "Bonjour <b>Trio</b> !\nSeriez-vous libres le 14 mars ?";
    let conversation = write(&app, &host, &slug, body).await;

    let received = smtp.wait_for(1).await;
    let email = &received[0];
    assert!(email.to.contains("trio@exemple.fr"), "{}", email.to);
    assert_eq!(email.subject, "Nouveau message de Famille Martin");
    assert!(email.text.contains(body), "{}", email.text);
    assert!(
        email.html.contains("Bonjour &lt;b&gt;Trio&lt;/b&gt;"),
        "{}",
        email.html
    );
    // Links carry PUBLIC_URL (left at its default in tests), then the path.
    let link = format!("{PUBLIC_URL}/messages/{conversation}");
    assert!(
        email.text.contains(&format!("Répondre : {link}")),
        "{}",
        email.text
    );
    let thread = app.html(&artist, &link[PUBLIC_URL.len()..]).await;
    assert!(
        thread.contains("Seriez-vous libres le 14 mars ?"),
        "the link works"
    );
    assert_eq!(email.list_unsubscribe_post, "List-Unsubscribe=One-Click");

    // The host did not ask for e-mails: the reply queues none.
    let reply = app.reply(&artist, &conversation, "Avec plaisir.").await;
    assert_eq!(reply.status(), 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 1);
    assert_eq!(outbox(&app).await, [("sent".to_owned(), 0)]);

    // The link at the bottom turns e-mails off, with no sign-in.
    let token = link_token(&email.text);
    let forged = app
        .call(&client(), "unsubscribe", &[("token", "1.AAAA")])
        .await;
    assert_eq!(forged.status(), 422);
    let done = app
        .call(&client(), "unsubscribe", &[("token", &token)])
        .await;
    assert_eq!(done.status(), 200);
    let settings = json_of(app.call(&artist, "email_settings", &[]).await).await;
    assert_eq!(settings["notifications"], false);
    write(&app, &host, &slug, "Encore un mot.").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 1, "no e-mail after unsubscribing");

    // Mail programs' own button posts to the List-Unsubscribe address, from anywhere.
    app.call(&artist, "set_email_notifications", &[("enabled", "true")])
        .await;
    let one_click = email
        .list_unsubscribe
        .trim_matches(|c| c == '<' || c == '>');
    let path = one_click
        .strip_prefix(PUBLIC_URL)
        .expect("an address of the site");
    assert!(path.starts_with("/desabonnement/direct?jeton="), "{path}");
    let posted = client()
        .post(app.url(path))
        .header("origin", "https://mail.example")
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    let settings = json_of(app.call(&artist, "email_settings", &[]).await).await;
    assert_eq!(settings["notifications"], false);
}

/// A reset e-mail the mail server never took is given up once its link expired: its body
/// (the link) is emptied and it is not retried, even when the server comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_email_not_sent_before_its_link_expires_is_given_up_and_emptied() {
    let mut smtp = SmtpServer::stopped();
    let app = app_sending_to(&smtp).await;
    app.signed_up("host", "hote@exemple.fr").await;
    sqlx::query("DELETE FROM outbox")
        .execute(&app.state.db.pool)
        .await
        .expect("the welcome e-mail forgotten");
    let asked = app
        .call(
            &client(),
            "request_password_reset",
            &[("email", "hote@exemple.fr")],
        )
        .await;
    assert_eq!(asked.status(), 200);
    // The link is written just after the answer (`request_password_reset`).
    let written = || async {
        sqlx::query_as::<_, (String, i64, Option<String>)>(
            "SELECT status, attempts, text_body FROM outbox WHERE kind = 'account'",
        )
        .fetch_optional(&app.state.db.pool)
        .await
        .expect("the outbox read")
    };
    let row = || async { written().await.expect("the reset e-mail's row") };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while written().await.is_none_or(|(_, attempts, _)| attempts < 1) {
        assert!(std::time::Instant::now() < deadline, "attempts recorded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, _, body) = row().await;
    assert_eq!(status, "pending");
    assert!(body.is_some_and(|body| body.contains("jeton=")));

    // An hour later, the link no longer works.
    sqlx::query("UPDATE outbox SET expires_at = expires_at - 3601000")
        .execute(&app.state.db.pool)
        .await
        .expect("an hour later");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while row().await.0 == "pending" {
        assert!(std::time::Instant::now() < deadline, "given up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, attempts, body) = row().await;
    assert_eq!((status.as_str(), body), ("skipped", None));
    smtp.start().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(smtp.received().is_empty(), "never sent");
    assert_eq!(row().await.1, attempts, "never tried again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_read_on_the_site_before_its_email_is_due_is_not_emailed() {
    let smtp = SmtpServer::started().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_DELAY_SECONDS", "1"),
        ("MAIL_POLL_MS", "100"),
    ])
    .await;
    let (host, artist, slug) = pair(&app).await;
    let conversation = write(&app, &host, &slug, "Lu tout de suite.").await;
    app.read_conversation(&artist, &conversation).await;
    // Two messages while away: one e-mail gathers them.
    write(&app, &host, &slug, "Premier en votre absence.").await;
    write(&app, &host, &slug, "Second en votre absence.").await;
    let received = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(smtp.received().len(), 1);
    let email = &received[0];
    assert_eq!(email.subject, "2 nouveaux messages de Famille Martin");
    assert!(email.text.contains("Premier en votre absence."));
    assert!(email.text.contains("Second en votre absence."));
    assert!(!email.text.contains("Lu tout de suite."));
    let statuses: Vec<String> = outbox(&app).await.into_iter().map(|row| row.0).collect();
    assert_eq!(statuses, ["skipped", "sent", "sent"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_smtp_server_emails_are_written_as_eml_files() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mail_dir = folder.path().join("mail");
    let app = spawn_app_with(&[
        ("MAIL_DIR", mail_dir.to_str().unwrap()),
        ("MAIL_DELAY_SECONDS", "0"),
        ("MAIL_POLL_MS", "100"),
    ])
    .await;
    let (host, _, slug) = pair(&app).await;
    write(&app, &host, &slug, "Un message à lire dans un fichier.").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    // The file may be seen half-written: read it again until it is whole (its last line).
    let eml = loop {
        let files: Vec<_> = std::fs::read_dir(&mail_dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        // The sign-ups' welcome e-mails are files too: this one tells of a message.
        if let Some(bytes) = files
            .iter()
            .filter(|path| path.extension().is_some_and(|e| e == "eml"))
            .filter_map(|file| std::fs::read(file).ok())
            .find(|bytes| {
                let text = String::from_utf8_lossy(bytes);
                text.contains("Subject: Nouveau message") && text.trim_end().ends_with("--")
            })
        {
            break bytes;
        }
        assert!(std::time::Instant::now() < deadline, "an .eml file written");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let parsed = mailparse::parse_mail(&eml).expect("a MIME e-mail");
    let text = parsed.subparts[0].get_body().expect("the text part");
    assert!(
        text.contains("Un message à lire dans un fichier."),
        "{text}"
    );
    // The worker marks the row sent once the file is written: a moment after it appears.
    while outbox(&app).await != [("sent".to_owned(), 0)] {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            outbox(&app).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
