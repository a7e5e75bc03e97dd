//! Several servers on one PostgreSQL database, as in production behind a reverse proxy:
//! sessions, live events and the outbox work whichever server a request reaches. These
//! tests need PostgreSQL: `make rust-tests` runs them through scripts/with-postgres.sh.

use crate::common::{
    TestApp, events::EventStream, json_of, postgres, smtp::SmtpServer, spawn_app_with,
};
use std::time::Duration;

/// Two servers sharing a fresh PostgreSQL database, each with `settings`.
async fn two_servers(settings: &[(&str, &str)]) -> (TestApp, TestApp) {
    let database = postgres::fresh_database(&postgres::required_server_url()).await;
    let mut shared = vec![("DATABASE_URL", database.as_str())];
    shared.extend_from_slice(settings);
    (spawn_app_with(&shared).await, spawn_app_with(&shared).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn a_message_written_on_one_server_reaches_a_stream_on_another_even_after_the_listener_drops()
{
    let (a, b) = two_servers(&[]).await;
    let (host, artist, slug) = a.host_and_artist().await;

    // The session opened on A is valid on B: the artist listens on B.
    let mut stream = EventStream::open(&artist, &b.url("/events")).await;
    assert_eq!(stream.next().await["total"], 0);
    let sent = a.write_to_artist(&host, &slug, "Bonjour depuis A.").await;
    assert_eq!(sent.status(), 200);
    let event = stream.next().await;
    assert_eq!(event["kind"], "message", "{event}");
    assert_eq!(event["message"]["body"], "Bonjour depuis A.");
    assert_eq!(stream.next().await["total"], 1);
    let conversation = json_of(sent).await["conversation_id"].to_string();
    // The host listens on A.
    let mut host_stream = EventStream::open(&host, &a.url("/events")).await;
    assert_eq!(host_stream.next().await["total"], 0);

    // The listeners' connections die (a failover, a proxy's idle timeout…).
    let ended: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN %') AS ended",
    )
    .fetch_one(&a.state.db.pool)
    .await
    .expect("listeners ended");
    assert_eq!(ended, 2, "one listener per server");
    // Written while B may not be listening yet: this notice can be lost…
    let gap = a
        .reply(&host, &conversation, "Écrit pendant la coupure.")
        .await;
    assert_eq!(gap.status(), 200);
    // …so once each server listens again it ends its streams, and the pages reconnect.
    assert!(
        stream.ended_within(Duration::from_secs(10)).await,
        "B restarts its streams after listening again"
    );
    assert!(
        host_stream.ended_within(Duration::from_secs(10)).await,
        "A restarts its streams after listening again"
    );
    let mut stream = EventStream::open(&artist, &b.url("/events")).await;
    assert_eq!(
        stream.next().await["total"],
        2,
        "the reconnected page starts from the true state"
    );
    let again = a.reply(&host, &conversation, "Et maintenant ?").await;
    assert_eq!(again.status(), 200);
    let event = stream.next().await;
    assert_eq!(event["message"]["body"], "Et maintenant ?", "{event}");
    assert_eq!(stream.next().await["total"], 3);

    // And the other way round: the artist replies on B, the host's stream on A hears it.
    let mut host_stream = EventStream::open(&host, &a.url("/events")).await;
    assert_eq!(host_stream.next().await["kind"], "unread");
    let reply = b.reply(&artist, &conversation, "Réponse depuis B.").await;
    assert_eq!(reply.status(), 200);
    // A may still be delivering the host's own last message to this new stream (it was
    // committed just before the stream opened): the reply comes after it.
    let mut seen = Vec::new();
    while let Some(event) = host_stream.next_within(Duration::from_secs(5)).await {
        if event["message"]["body"] == "Réponse depuis B." {
            return;
        }
        seen.push(event);
    }
    panic!("the reply never reached the host's stream on A; seen: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn two_outbox_workers_send_each_email_exactly_once() {
    let smtp = SmtpServer::started().await;
    // Both workers look for due e-mails every 10 ms: they keep meeting on the same rows.
    let (a, b) = two_servers(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_DELAY_SECONDS", "1"),
        ("MAIL_POLL_MS", "10"),
    ])
    .await;
    let (artist, profile) = a.published_artist("trio@exemple.fr", "Trio Céleste").await;
    let slug = profile["slug"].as_str().expect("slug").to_owned();
    let on = b
        .call(&artist, "set_email_notifications", &[("enabled", "true")])
        .await;
    assert_eq!(json_of(on).await["notifications"], true);
    const HOSTS: usize = 12;
    for n in 0..HOSTS {
        let server = if n % 2 == 0 { &a } else { &b };
        let (host, _) = server
            .host_with_profile(&format!("hote{n}@exemple.fr"), &format!("Famille {n}"))
            .await;
        let sent = server
            .write_to_artist(&host, &slug, &format!("Message numéro {n}."))
            .await;
        assert_eq!(sent.status(), 200);
    }

    let received = smtp.wait_for(HOSTS).await;
    // Time for a duplicate to arrive, were one sent.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received = if smtp.received().len() > received.len() {
        smtp.received()
    } else {
        received
    };
    for n in 0..HOSTS {
        let copies = received
            .iter()
            .filter(|mail| mail.text.contains(&format!("Message numéro {n}.")))
            .count();
        assert_eq!(copies, 1, "message {n} e-mailed once");
    }
    assert_eq!(received.len(), HOSTS);
    let sent: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, attempts FROM outbox WHERE kind = 'message' ORDER BY id")
            .fetch_all(&a.state.db.pool)
            .await
            .expect("outbox");
    assert_eq!(sent, vec![("sent".to_owned(), 0); HOSTS]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn rate_limits_and_revoked_sessions_hold_across_servers() {
    let (a, b) = two_servers(&[("MESSAGES_PER_MINUTE", "2")]).await;
    let (host, laptop, slug) = a.host_and_artist().await;

    // One limit, counted in the database: one message on A, one on B, the third is refused.
    let first = a.write_to_artist(&host, &slug, "Premier message.").await;
    assert_eq!(first.status(), 200);
    let conversation = json_of(first).await["conversation_id"].to_string();
    assert_eq!(
        b.reply(&host, &conversation, "Deuxième.").await.status(),
        200
    );
    let third = a.reply(&host, &conversation, "Troisième, de trop.").await;
    assert_eq!(
        third.status(),
        429,
        "the limit counts messages sent on both servers"
    );

    // A password changed through A ends the stream another session holds on B.
    let phone = crate::common::client();
    let signed_in = b
        .sign_in(&phone, "trio@exemple.fr", crate::common::PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 200);
    let mut listening = EventStream::open(&phone, &b.url("/events")).await;
    assert_eq!(listening.next().await["kind"], "unread");
    let changed = a.change_password(&laptop, "un air de printemps").await;
    assert_eq!(changed.status(), 200);
    assert!(
        listening.ended_within(Duration::from_secs(5)).await,
        "B ends the revoked session's stream"
    );
    let again = phone.get(b.url("/events")).send().await.expect("request");
    assert_eq!(again.status(), 401, "and B refuses it afterwards");
    assert_eq!(
        b.whoami(&laptop).await.as_deref(),
        Some("trio@exemple.fr"),
        "the session that changed the password works on B"
    );
}

/// Signing out through one server ends, within a second, the stream that session holds on
/// the other; the account's other sessions keep theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn signing_out_on_one_server_ends_that_sessions_stream_on_the_other_within_a_second() {
    let (a, b) = two_servers(&[]).await;
    let (host, laptop, slug) = a.host_and_artist().await;
    let phone = crate::common::client();
    assert_eq!(
        b.sign_in(&phone, "trio@exemple.fr", crate::common::PASSWORD)
            .await
            .status(),
        200
    );
    let mut laptop_on_b = EventStream::open(&laptop, &b.url("/events")).await;
    assert_eq!(laptop_on_b.next().await["kind"], "unread");
    let mut phone_on_b = EventStream::open(&phone, &b.url("/events")).await;
    assert_eq!(phone_on_b.next().await["kind"], "unread");

    let asked = std::time::Instant::now();
    assert_eq!(a.call(&laptop, "sign_out", &[]).await.status(), 200);
    assert!(
        laptop_on_b.ended_within(Duration::from_secs(1)).await,
        "B ends the stream of the session signed out on A"
    );
    println!(
        "stream on B ended {:?} after the sign-out on A",
        asked.elapsed()
    );
    // The phone's session is another one: its stream on B still delivers.
    assert_eq!(
        a.write_to_artist(&host, &slug, "Bonjour !").await.status(),
        200
    );
    let event = phone_on_b.next().await;
    assert_eq!(event["kind"], "message", "{event}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn suspending_an_account_on_one_server_ends_its_streams_on_the_other_within_a_second() {
    let (a, b) = two_servers(&[]).await;
    let (host, artist, slug) = a.host_and_artist().await;
    assert_eq!(
        a.call(
            &host,
            "report",
            &[
                ("subject", "profile"),
                ("target", &slug),
                ("reason", "faux_profil")
            ],
        )
        .await
        .status(),
        200
    );
    let moderator = crate::moderation::moderator(&a).await;
    let mut artist_on_b = EventStream::open(&artist, &b.url("/events")).await;
    assert_eq!(artist_on_b.next().await["kind"], "unread");

    let asked = std::time::Instant::now();
    let suspended = a
        .call(
            &moderator,
            "moderate",
            &[
                ("case", "1"),
                ("action", "suspend"),
                ("reason", "Faux profil avéré."),
            ],
        )
        .await;
    assert_eq!(suspended.status(), 200);
    assert!(
        artist_on_b.ended_within(Duration::from_secs(1)).await,
        "B ends the stream of the account suspended on A"
    );
    println!(
        "stream on B ended {:?} after the suspension on A",
        asked.elapsed()
    );
    let again = artist.get(b.url("/events")).send().await.expect("request");
    assert_eq!(again.status(), 401, "and it cannot open another");
}

/// The race of a stream with its session's end, across servers: B reads the session for a
/// stream, the session is signed out through A (B's notice finds no stream), then B
/// subscribes. B reads the session again once subscribed, and refuses the stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn a_stream_on_one_server_whose_session_ends_on_the_other_before_it_subscribes_is_refused() {
    let (a, b) = two_servers(&[]).await;
    a.signed_up("artist", "trio@exemple.fr").await;
    let phone = crate::common::client();
    let signed_in = a
        .sign_in(&phone, "trio@exemple.fr", crate::common::PASSWORD)
        .await;
    let token = crate::common::session_cookie(&signed_in).expect("a session cookie");
    let read = concerts::auth::session::lookup(&b.state, &token)
        .await
        .expect("the session read")
        .expect("a live session");
    assert_eq!(a.call(&phone, "sign_out", &[]).await.status(), 200);
    // B's listener hears the end of the session before the stream subscribes.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let opened = concerts::server::open_live_stream(&b.state, &read, "203.0.113.1").await;
    assert!(matches!(
        opened,
        Err(concerts::error::AppError::Unauthorized)
    ));
    assert!(!b.state.live.hub.is_connected(read.viewer.id));
}

/// Anyone who can connect to the database can `NOTIFY`: a forged notice naming someone
/// else's message and a connected user as its participant must not deliver it. Each server
/// reads the participants from the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn a_forged_notice_cannot_send_a_message_to_someone_outside_its_conversation() {
    let (a, b) = two_servers(&[]).await;
    let (host, _artist, slug) = a.host_and_artist().await;
    let (other_host, _) = a.host_with_profile("autre@exemple.fr", "Autre").await;
    let private = a
        .write_to_artist(&other_host, &slug, "Notre adresse : 3 rue des Lilas.")
        .await;
    assert_eq!(private.status(), 200);
    let private_id = json_of(private).await["id"].as_i64().expect("a message id");
    let victim_id = json_of(a.call(&host, "viewer", &[]).await).await["id"].clone();

    let mut victim_on_b = EventStream::open(&host, &b.url("/events")).await;
    assert_eq!(victim_on_b.next().await["kind"], "unread");
    let forged = format!(
        r#"{{"notice":"change","topic":"messaging","body":{{"notice":"message","id":{private_id},"users":[{victim_id},{victim_id}]}}}}"#
    );
    sqlx::query("SELECT pg_notify('concerts_live', $1)")
        .bind(&forged)
        .execute(&a.state.db.pool)
        .await
        .expect("notified");
    // A real message after it: the first message the stream delivers must be this one.
    let sent = a.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(sent.status(), 200);
    while let Some(event) = victim_on_b.next_within(Duration::from_secs(5)).await {
        if event["kind"] == "message" {
            assert_eq!(event["message"]["body"], "Bonjour !", "{event}");
            return;
        }
    }
    panic!("the host's own message never arrived");
}

/// nginx (Debian's) running `scripts/production/nginx.conf` in front of `servers`, on a
/// free port; stopped when dropped.
struct Nginx {
    port: u16,
    child: std::process::Child,
    _folder: tempfile::TempDir,
}

impl Nginx {
    async fn in_front_of(servers: [&TestApp; 2]) -> Nginx {
        let folder = tempfile::tempdir().expect("temporary folder");
        let port = crate::common::process::free_port();
        let mut site = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/production/nginx.conf"
        ))
        .expect("the example configuration");
        // The example's addresses become this test's: each must be there to be replaced.
        let listen = format!("listen 127.0.0.1:{port};");
        let first = servers[0].address.trim_start_matches("http://").to_owned();
        let second = servers[1].address.trim_start_matches("http://").to_owned();
        for (example, here) in [
            ("listen 80;", listen.as_str()),
            ("127.0.0.1:3001", first.as_str()),
            ("127.0.0.1:3002", second.as_str()),
        ] {
            assert!(site.contains(example), "{example} is in the example");
            site = site.replace(example, here);
        }
        let path = folder.path();
        std::fs::write(path.join("site.conf"), site).expect("site written");
        // The rest of a main configuration, kept inside the temporary folder.
        let main = format!(
            "daemon off; master_process off; pid {dir}/nginx.pid; error_log {dir}/error.log;\n\
             events {{ worker_connections 256; }}\n\
             http {{ access_log off; client_body_temp_path {dir}/body; \
             proxy_temp_path {dir}/proxy; include {dir}/site.conf; }}\n",
            dir = path.display()
        );
        std::fs::write(path.join("nginx.conf"), main).expect("nginx.conf written");
        let child = std::process::Command::new("/usr/sbin/nginx")
            .arg("-p")
            .arg(path)
            .arg("-c")
            .arg(path.join("nginx.conf"))
            .spawn()
            .expect("nginx starts (scripts/install-scale-out-tools.sh installs it)");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            let log = std::fs::read_to_string(path.join("error.log")).unwrap_or_default();
            assert!(
                std::time::Instant::now() < deadline,
                "nginx never listened: {log}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Nginx {
            port,
            child,
            _folder: folder,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn the_example_nginx_configuration_spreads_pages_and_streams_events_at_once() {
    let (a, b) = two_servers(&[]).await;
    let nginx = Nginx::in_front_of([&a, &b]).await;
    let (host, artist, slug) = a.host_and_artist().await;

    // Two tabs through nginx: round robin puts one stream on each server.
    let mut tabs = [
        EventStream::open(&artist, &nginx.url("/events")).await,
        EventStream::open(&artist, &nginx.url("/events")).await,
    ];
    for tab in &mut tabs {
        assert_eq!(tab.next().await["total"], 0);
    }
    assert_eq!(
        (
            a.state.live.hub.stream_count(),
            b.state.live.hub.stream_count()
        ),
        (1, 1),
        "one stream on each server"
    );
    // A page and a message through nginx; the event comes through at once (unbuffered).
    let page = host
        .get(nginx.url(&format!("/artistes/{slug}")))
        .send()
        .await
        .expect("page through nginx");
    assert_eq!(page.status(), 200);
    let sent = host
        .post(nginx.url("/api/write_to_artist"))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(&[("artist", slug.as_str()), ("body", "Bonjour par nginx.")])
        .send()
        .await
        .expect("message through nginx");
    assert_eq!(sent.status(), 200);
    for tab in &mut tabs {
        let event = tab
            .next_within(Duration::from_secs(3))
            .await
            .expect("the event arrives through nginx without waiting for more");
        assert_eq!(event["message"]["body"], "Bonjour par nginx.", "{event}");
    }
}
