//! Faults, with the server binary in a process of its own: killed with `kill -9` in the middle
//! of a crowd of sends, it loses no acknowledged message, stores none twice, and each keeps
//! its e-mail, on SQLite and on PostgreSQL. E-mails that fall due while the mail server is
//! down each arrive exactly once when it is back. `make soak` runs the long version
//! (`SOAK_CRASH_SENDS`) and prints its figures; `make test` the short one. A database that
//! turns read-only answers writes with a 503 in French, keeps showing pages, and writes again
//! once it can.

use crate::common::{
    TestApp,
    events::EventStream,
    json_of, postgres,
    process::{self, ServerProcess, call, free_port, start_server, wait_until_healthy},
    smtp::{Received, SmtpServer},
    soak_size, spawn_app_with,
};
use concerts::db::Db;
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::Semaphore;

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

/// The demo host, signed in, and their conversation with the first demo artist (its id, and
/// the artist's account id).
async fn demo_conversation(base: &str) -> (reqwest::Client, String, i64) {
    let host = browser();
    let signed_in = call(
        &host,
        base,
        "sign_in",
        &[
            ("email", "demo.hote1@example.org"),
            ("password", "concert-demo-2026"),
        ],
    )
    .await
    .expect("sign-in answered");
    assert_eq!(signed_in.status(), 200);
    let inbox: Value = call(&host, base, "inbox", &[("archived", "false")])
        .await
        .expect("inbox answered")
        .json()
        .await
        .expect("inbox JSON");
    let conversation = &inbox["conversations"][0];
    let artist = conversation["other"]["id"]
        .as_i64()
        .expect("the artist's id");
    (host, conversation["id"].to_string(), artist)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_sends_keeps_every_acknowledged_message_once_with_its_email() {
    let sends = soak_size("SOAK_CRASH_SENDS", 300);
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // On the suite's PostgreSQL pass, a database of that server's.
    let database_url = match postgres::server_url() {
        Some(server) => postgres::fresh_database(&server).await,
        None => format!("sqlite://{}/data/site.db", folder.path().display()),
    };
    let settings = [
        ("DATABASE_URL", database_url.as_str()),
        ("MESSAGES_PER_MINUTE", "1000000"),
        // The e-mails stay in the outbox, where the test counts them.
        ("MAIL_DELAY_SECONDS", "3600"),
    ];
    let mut server: ServerProcess = start_server(folder.path(), port, &settings);
    wait_until_healthy(port).await;
    let (host, conversation, artist) = demo_conversation(&base).await;
    let db = Db::connect(&database_url, 2).await.expect("the database");
    sqlx::query("UPDATE users SET email_notifications = 1 WHERE id = $1")
        .bind(artist)
        .execute(&db.pool)
        .await
        .expect("the artist asks for e-mails");
    db.pool.close().await;

    // 50 at a time; the server is killed once a third of them were acknowledged.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let permits = Arc::new(Semaphore::new(50));
    let started = Instant::now();
    let tasks: Vec<_> = (0..sends)
        .map(|n| {
            let (host, base, conversation) = (host.clone(), base.clone(), conversation.clone());
            let (acknowledged, permits) = (Arc::clone(&acknowledged), Arc::clone(&permits));
            tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.expect("a permit");
                let body = format!("envoi n° {n}");
                let form = [("conversation_id", conversation.as_str()), ("body", &body)];
                let answer = call(&host, &base, "send_message", &form).await.ok()?;
                if answer.status() != 200 {
                    return None;
                }
                answer.json::<Value>().await.ok()?;
                acknowledged.fetch_add(1, Ordering::SeqCst);
                Some(body)
            })
        })
        .collect();
    while acknowledged.load(Ordering::SeqCst) < sends / 3 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "sends too slow"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("kill -9");
    server.wait().expect("the server is gone");
    let mut sent = Vec::new();
    for task in tasks {
        sent.extend(task.await.expect("a send task"));
    }

    let _restarted = start_server(folder.path(), port, &settings);
    wait_until_healthy(port).await;
    let db = Db::connect(&database_url, 2).await.expect("the database");
    let stored: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT m.body, COUNT(DISTINCT m.id), COUNT(o.id) FROM messages m \
         LEFT JOIN outbox o ON o.message_id = m.id AND o.user_id = $2 \
         WHERE m.conversation_id = $1 AND m.body LIKE 'envoi n° %' GROUP BY m.body",
    )
    .bind(conversation.parse::<i64>().expect("an id"))
    .bind(artist)
    .fetch_all(&db.pool)
    .await
    .expect("stored messages");
    let stored: HashMap<String, (i64, i64)> = stored
        .into_iter()
        .map(|(body, copies, emails)| (body, (copies, emails)))
        .collect();
    let lost = sent
        .iter()
        .filter(|body| !stored.contains_key(*body))
        .count();
    let duplicated = stored.values().filter(|(copies, _)| *copies > 1).count();
    let without_email = sent
        .iter()
        .filter(|body| stored.get(*body).is_some_and(|(_, emails)| *emails != 1))
        .count();
    println!(
        "crash: {sends} sends, {} acknowledged before kill -9, {} stored (acknowledged or \
         not), lost {lost}, duplicated {duplicated}, acknowledged without their one e-mail \
         {without_email}",
        sent.len(),
        stored.len(),
    );
    assert!(!sent.is_empty() && sent.len() < sends, "killed mid-way");
    assert_eq!(lost, 0, "an acknowledged message was lost");
    assert_eq!(duplicated, 0, "a message was stored twice");
    assert_eq!(without_email, 0, "an acknowledged message lost its e-mail");
}

/// Makes the test database `url` of `server` read-only, or writable again, for every new
/// session (as a standby is after a failover), and ends the app's current sessions so that
/// its pool opens new ones.
async fn set_read_only(server: &str, url: &str, read_only: bool) {
    use sqlx::{Connection, Executor, postgres::PgConnection};
    let name = url::Url::parse(url).expect("a URL").path()[1..].to_owned();
    let mut admin = PgConnection::connect(server).await.expect("PostgreSQL");
    let setting = if read_only { "on" } else { "off" };
    admin
        .execute(
            format!("ALTER DATABASE \"{name}\" SET default_transaction_read_only = {setting}")
                .as_str(),
        )
        .await
        .expect("database setting");
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&name)
        .execute(&mut admin)
        .await
        .expect("sessions ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn a_read_only_database_answers_503_in_french_keeps_showing_pages_and_recovers() {
    let server = postgres::required_server_url();
    let url = postgres::fresh_database(&server).await;
    let app = spawn_app_with(&[("DATABASE_URL", &url)]).await;
    let (host, _artist, slug) = app.host_and_artist().await;

    set_read_only(&server, &url, true).await;
    let refused = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"60"[..])
    );
    assert_eq!(json_of(refused).await["code"], "not_stored");
    // Without JavaScript, the artist's page comes back with the French message on it.
    let page = format!("/artistes/{slug}");
    let posted = app
        .post_plain_form(
            &host,
            "write_to_artist",
            &app.url(&page),
            &[("artist", &slug), ("body", "Bonjour !")],
        )
        .await;
    assert_eq!(posted.status(), 302);
    let shown = app.html(&host, &page).await;
    assert!(
        shown.contains("Le site ne peut rien enregistrer pour le moment"),
        "the refusal is shown"
    );
    // Reading goes on: the pages, the host's own data, the health check.
    let page = app.html(&host, "/artistes").await;
    assert!(page.contains("Trio Céleste"), "the catalogue still shows");
    assert_eq!(app.whoami(&host).await.as_deref(), Some("hote@exemple.fr"));

    set_read_only(&server, &url, false).await;
    let sent = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(sent.status(), 200, "writes again once the database does");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(&app.state.db.pool)
        .await
        .expect("count");
    assert_eq!(stored, 1, "the refused message was not half-stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emails_falling_due_while_the_mail_server_is_down_each_arrive_once_when_it_is_back() {
    let emails = soak_size("SOAK_SMTP_EMAILS", 12);
    let outage = Duration::from_secs(soak_size("SOAK_SMTP_OUTAGE_SECONDS", 2) as u64);
    let mut smtp = SmtpServer::stopped();
    let app = spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_DELAY_SECONDS", "0"),
        ("MAIL_POLL_MS", "100"),
        ("MAIL_RETRY_BASE_MS", "200"),
        ("NEW_CONVERSATIONS_PER_DAY", "100000"),
        ("MESSAGES_PER_MINUTE", "100000"),
    ])
    .await;
    let down_since = Instant::now();
    let (host, _) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let mut addresses = Vec::new();
    for n in 0..emails {
        let address = format!("groupe{n}@exemple.fr");
        let (artist, profile) = app.published_artist(&address, &format!("Groupe {n}")).await;
        let on = app
            .call(&artist, "set_email_notifications", &[("enabled", "true")])
            .await;
        assert_eq!(on.status(), 200);
        let slug = profile["slug"].as_str().expect("a slug");
        let sent = app
            .write_to_artist(&host, slug, &format!("Bonjour, groupe {n} !"))
            .await;
        assert_eq!(sent.status(), 200);
        addresses.push(address);
    }

    // Each e-mail falls due and fails at least once while the server is down.
    let tried: i64 = loop {
        let tried: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'message' AND status = 'pending' \
             AND attempts >= 1",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .expect("a count");
        if tried == emails as i64 && down_since.elapsed() >= outage {
            break tried;
        }
        assert!(
            down_since.elapsed() < outage + Duration::from_secs(60),
            "{tried} of {emails} e-mails tried"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    smtp.start().await;
    let back = Instant::now();
    let told = |received: &[Received]| {
        received
            .iter()
            .filter(|mail| mail.subject.starts_with("Nouveau message"))
            .count()
    };
    while told(&smtp.received()) < emails {
        assert!(
            back.elapsed() < Duration::from_secs(180),
            "{} of {emails} e-mails arrived",
            told(&smtp.received())
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered_after = back.elapsed();
    // Anything sent twice would have arrived by now.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let received = smtp.received();
    let duplicated = addresses
        .iter()
        .filter(|address| {
            received
                .iter()
                .filter(|mail| mail.to.contains(address.as_str()))
                .count()
                != 1
        })
        .count();
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'message' AND status <> 'sent'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .expect("a count");
    println!(
        "smtp outage: {emails} e-mails fell due while the mail server was down for {:.0} s \
         (each tried, {tried} failed at least once); all arrived {:.1} s after it came back; \
         received {}, not exactly once {duplicated}",
        outage.as_secs_f64(),
        delivered_after.as_secs_f64(),
        received.len()
    );
    assert_eq!(
        received.len(),
        emails,
        "one e-mail per message, nothing else"
    );
    assert_eq!(duplicated, 0, "each recipient got exactly one e-mail");
    assert_eq!(pending, 0, "the outbox is settled");
}

/// What the traffic of one server got: the bodies it had acknowledged, and the status of
/// every other answer (0: no answer at all).
#[derive(Default)]
struct Traffic {
    acknowledged: Vec<String>,
    refused: HashMap<u16, usize>,
}

/// `writers` loops replying in `conversation` as `who` on `app`, one message after the
/// other, until `stop`.
fn keep_writing(
    app: &TestApp,
    who: &reqwest::Client,
    conversation: &str,
    label: &'static str,
    writers: usize,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Traffic>> {
    (0..writers)
        .map(|writer| {
            let (url, who, conversation) = (
                app.url("/api/send_message"),
                who.clone(),
                conversation.to_owned(),
            );
            let stop = Arc::clone(stop);
            tokio::spawn(async move {
                let mut traffic = Traffic::default();
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body = format!("{label} {writer}-{n}");
                    let form = [("conversation_id", conversation.as_str()), ("body", &body)];
                    let sent = who
                        .post(&url)
                        .header("accept", "application/json")
                        .header("sec-fetch-site", "same-origin")
                        .form(&form)
                        .send()
                        .await;
                    match sent {
                        Ok(answer) if answer.status() == 200 => traffic.acknowledged.push(body),
                        Ok(answer) => {
                            *traffic.refused.entry(answer.status().as_u16()).or_default() += 1
                        }
                        Err(_) => *traffic.refused.entry(0).or_default() += 1,
                    }
                }
                traffic
            })
        })
        .collect()
}

/// The conversation's page open on `app`: its stream read as a browser's `EventSource` does
/// (opened again when it ends or the server did not answer, given up for good when the server
/// refuses it: any answer but a 200), and the thread read again after each reconnection, as
/// the page does to catch up. Collects the bodies of the messages it shows, counts its
/// reconnections, and ends with the refusal's status.
fn conversation_page(
    who: &reqwest::Client,
    app: &TestApp,
    conversation: &str,
    shown: Arc<std::sync::Mutex<Vec<String>>>,
    reconnections: Arc<AtomicUsize>,
) -> tokio::task::JoinHandle<u16> {
    let (who, base, conversation) = (who.clone(), app.address.clone(), conversation.to_owned());
    tokio::spawn(async move {
        let events = format!("{base}/events");
        loop {
            match EventStream::try_open(&who, &events).await {
                Ok(mut stream) => {
                    if reconnections.load(Ordering::SeqCst) > 0 {
                        let form = [("id", conversation.as_str())];
                        if let Ok(answer) = call(&who, &base, "conversation", &form).await
                            && let Ok(thread) = answer.json::<Value>().await
                        {
                            let bodies = thread["messages"].as_array().into_iter().flatten();
                            shown.lock().expect("shown").extend(
                                bodies.filter_map(|message| {
                                    message["body"].as_str().map(str::to_owned)
                                }),
                            );
                        }
                    }
                    while let Some(event) = stream.next_event().await {
                        if let Some(body) = event["message"]["body"].as_str() {
                            shown.lock().expect("shown").push(body.to_owned());
                        }
                    }
                }
                Err(Some(refused)) => return refused,
                Err(None) => {}
            }
            reconnections.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn postgresql_restarting_under_traffic_loses_no_acknowledged_message_and_both_servers_recover()
 {
    let outage = Duration::from_secs(soak_size("SOAK_RESTART_OUTAGE_SECONDS", 2) as u64);
    let after_restart = soak_size("SOAK_RESTART_SENDS_AFTER", 20);
    // A server of the test's own: the suite's is shared by the other tests.
    let postgresql = postgres::OwnServer::start();
    let database = postgres::fresh_database(&postgresql.url()).await;
    let settings = [
        ("DATABASE_URL", database.as_str()),
        ("MESSAGES_PER_MINUTE", "1000000"),
    ];
    let (a, b) = (
        spawn_app_with(&settings).await,
        spawn_app_with(&settings).await,
    );
    let (host, artist, slug) = a.host_and_artist().await;
    let first = a.write_to_artist(&host, &slug, "Bonjour !").await;
    let conversation = json_of(first).await["conversation_id"].to_string();

    // The host's page is served by A, the artist's by B.
    let (host_shown, artist_shown) = (Arc::default(), Arc::default());
    let (host_reconnections, artist_reconnections) = (Arc::default(), Arc::default());
    let pages = [
        conversation_page(
            &host,
            &a,
            &conversation,
            Arc::clone(&host_shown),
            Arc::clone(&host_reconnections),
        ),
        conversation_page(
            &artist,
            &b,
            &conversation,
            Arc::clone(&artist_shown),
            Arc::clone(&artist_reconnections),
        ),
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut writing = keep_writing(&a, &host, &conversation, "hôte par A", 4, &stop);
    writing.extend(keep_writing(
        &b,
        &artist,
        &conversation,
        "artiste par B",
        4,
        &stop,
    ));

    let stored_by = |label: &'static str| {
        let pool = a.state.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM messages WHERE body LIKE $1")
                .bind(format!("{label} %"))
                .fetch_one(&pool)
                .await
        }
    };
    while stored_by("hôte par A").await.unwrap_or(0) < 20
        || stored_by("artiste par B").await.unwrap_or(0) < 20
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the servers store messages before the restart"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    postgresql.crash();
    tokio::time::sleep(outage).await;
    postgresql.start_again();
    let back = Instant::now();
    // Both servers store messages again, without a restart of their own.
    let at_restart = [
        stored_by("hôte par A").await.expect("PostgreSQL is back"),
        stored_by("artiste par B")
            .await
            .expect("PostgreSQL is back"),
    ];
    loop {
        let now = [
            stored_by("hôte par A").await.expect("a count"),
            stored_by("artiste par B").await.expect("a count"),
        ];
        if now
            .iter()
            .zip(at_restart)
            .all(|(now, then)| *now >= then + after_restart as i64)
        {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(60),
            "stored since the restart, through A and B: {:?} (from {at_restart:?})",
            now
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let recovered_after = back.elapsed();
    stop.store(true, Ordering::SeqCst);
    let mut acknowledged = Vec::new();
    let mut refused: HashMap<u16, usize> = HashMap::new();
    for writer in writing {
        let traffic = writer.await.expect("a writer");
        acknowledged.extend(traffic.acknowledged);
        for (status, count) in traffic.refused {
            *refused.entry(status).or_default() += count;
        }
    }

    let stored: HashMap<String, i64> =
        sqlx::query_as("SELECT body, COUNT(*) FROM messages GROUP BY body")
            .fetch_all(&a.state.db.pool)
            .await
            .expect("stored messages")
            .into_iter()
            .collect();
    let lost = acknowledged
        .iter()
        .filter(|body| !stored.contains_key(*body))
        .count();
    let duplicated = stored.values().filter(|copies| **copies > 1).count();

    // The pages show the conversation again: a last message each way.
    let last_from_host = a
        .reply(&host, &conversation, "Dernier mot de l'hôte.")
        .await;
    assert_eq!(last_from_host.status(), 200);
    let last_from_artist = b
        .reply(&artist, &conversation, "Dernier mot de l'artiste.")
        .await;
    assert_eq!(last_from_artist.status(), 200);
    let shows = |page: &Arc<std::sync::Mutex<Vec<String>>>, body: &str| {
        page.lock()
            .expect("shown")
            .iter()
            .any(|shown| shown == body)
    };
    let waiting = Instant::now();
    while !(shows(&artist_shown, "Dernier mot de l'hôte.")
        && shows(&host_shown, "Dernier mot de l'artiste."))
    {
        for page in &pages {
            assert!(
                !page.is_finished(),
                "a page's stream was refused: it gave up"
            );
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "the pages show the conversation again (artist's page on B: {}, host's page on A: {})",
            shows(&artist_shown, "Dernier mot de l'hôte."),
            shows(&host_shown, "Dernier mot de l'artiste.")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for page in pages {
        page.abort();
    }
    println!(
        "postgresql restart: down {:.0} s under traffic from 2 servers × 4 writers; \
         {} acknowledged, {} stored, lost {lost}, duplicated {duplicated}; refused {refused:?} \
         (0: no answer); both servers storing again {:.1} s after PostgreSQL was back; pages \
         reconnected: host's {} times, artist's {} times",
        outage.as_secs_f64(),
        acknowledged.len(),
        stored.len(),
        recovered_after.as_secs_f64(),
        host_reconnections.load(Ordering::SeqCst),
        artist_reconnections.load(Ordering::SeqCst),
    );
    assert_eq!(lost, 0, "an acknowledged message was lost");
    assert_eq!(duplicated, 0, "a message was stored twice");
    assert!(
        refused.keys().all(|status| *status == 503),
        "while PostgreSQL was down, every write was answered, with a 503: {refused:?}"
    );
}

/// Sets the soft file-size limit of process `pid` (`unlimited` lifts it).
fn limit_file_sizes(pid: u32, limit: &str) {
    let set = std::process::Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--fsize={limit}:")])
        .status()
        .expect("prlimit runs");
    assert!(set.success(), "file-size limit set to {limit}");
}

/// A full disk under SQLite, end to end: the server binary runs with a file-size limit just
/// above its database files (RLIMIT_FSIZE, set and lifted with `prlimit`), so the system
/// refuses the writes past it (EFBIG) as a full disk does (ENOSPC); SQLite reports both the
/// same way. PostgreSQL's own refusals are proven above (read-only) and in `error.rs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_its_disk_full_the_server_answers_503_keeps_showing_pages_and_recovers() {
    if postgres::server_url().is_some() {
        // SQLite's files only: the suite's SQLite pass runs it.
        return;
    }
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mail_dir = folder.path().join("mail").display().to_string();
    let settings = [
        ("MESSAGES_PER_MINUTE", "1000000"),
        ("MAIL_DIR", mail_dir.as_str()),
    ];
    let log = folder.path().join("server.log");
    let server = process::start_server_minding_file_sizes(folder.path(), port, &settings, &log);
    wait_until_healthy(port).await;
    let (host, conversation, _artist) = demo_conversation(&base).await;

    let data = folder.path().join("data");
    let largest = ["site.db", "site.db-wal"]
        .iter()
        .filter_map(|file| std::fs::metadata(data.join(file)).ok())
        .map(|metadata| metadata.len())
        .max()
        .expect("the database's files");
    limit_file_sizes(server.id(), &(largest + 256 * 1024).to_string());

    // Long messages until the disk is "full".
    let mut acknowledged = Vec::new();
    let refusal = loop {
        let body = format!(
            "{} {}",
            acknowledged.len(),
            "Une longue lettre. ".repeat(200).trim_end()
        );
        let form = [("conversation_id", conversation.as_str()), ("body", &body)];
        let answer = call(&host, &base, "send_message", &form)
            .await
            .expect("the server answers");
        if answer.status() != 200 {
            break answer;
        }
        acknowledged.push(body);
        assert!(
            acknowledged.len() < 5_000,
            "the limit never refused a write"
        );
    };
    assert_eq!(refusal.status(), 503);
    assert_eq!(
        refusal.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"60"[..])
    );
    let refusal: Value = refusal.json().await.expect("JSON");
    // The page shows the French message of this code (see the read-only test above).
    assert_eq!(refusal["code"], "not_stored", "{refusal}");
    // The server stays up and keeps showing what it has.
    let page = reqwest::get(format!("{base}/artistes"))
        .await
        .expect("a page");
    assert_eq!(page.status(), 200);
    let thread = call(&host, &base, "conversation", &[("id", &conversation)])
        .await
        .expect("the conversation");
    assert_eq!(thread.status(), 200);

    // Space is back: writing works again, without a restart.
    limit_file_sizes(server.id(), "unlimited");
    // Enough writes, one after the other, to go through every connection of the pool: one
    // that saw the failure must not fail again.
    for n in 0..40 {
        let body = format!("Et maintenant ? ({n})");
        let form = [("conversation_id", conversation.as_str()), ("body", &body)];
        let again = call(&host, &base, "send_message", &form)
            .await
            .expect("the server answers");
        assert_eq!(
            again.status(),
            200,
            "writes again once there is space; the server's log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        acknowledged.push(body);
    }

    let db = Db::connect(&format!("sqlite://{}/site.db", data.display()), 1)
        .await
        .expect("the database");
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT body FROM messages WHERE conversation_id = $1")
            .bind(conversation.parse::<i64>().expect("an id"))
            .fetch_all(&db.pool)
            .await
            .expect("messages");
    let lost = acknowledged
        .iter()
        .filter(|body| !stored.contains(body))
        .count();
    println!(
        "disk full: {} messages acknowledged before the first refusal (503 not_stored), lost {lost}",
        acknowledged.len() - 40
    );
    assert_eq!(lost, 0, "an acknowledged message was lost");
}
