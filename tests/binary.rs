//! The server binary itself: it starts on its own defaults plus a database address, answers
//! `/healthz`, and stops cleanly on SIGTERM and SIGINT; on an empty database it loads demo
//! content once and prints its sign-in details.

mod common;

use common::process::{free_port, start_server, wait_until_healthy};
use std::{
    process::{Child, Command},
    time::{Duration, Instant},
};

fn start(folder: &tempfile::TempDir, port: u16) -> Child {
    start_with(folder, port, &[])
}

fn start_with(folder: &tempfile::TempDir, port: u16, settings: &[(&str, &str)]) -> Child {
    start_server(folder.path(), port, settings)
}

/// Sends `signal` and waits for a successful exit (10 s at most, to catch a hang).
fn stop_with(child: &mut Child, signal: &str) {
    let started = Instant::now();
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = started + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            assert!(status.success(), "clean exit after {signal}: {status}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after {signal}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_creates_its_database_serves_and_stops_on_signals() {
    for signal in ["-TERM", "-INT"] {
        let folder = tempfile::tempdir().expect("temporary folder");
        let port = free_port();
        let mut child = start(&folder, port);
        wait_until_healthy(port).await;
        assert!(
            folder.path().join("data/site.db").exists(),
            "database file created"
        );
        stop_with(&mut child, signal);
    }
}

async fn published_artists(port: u16) -> u64 {
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/list_artists"))
        .header("accept", "application/json")
        .send()
        .await
        .expect("list answered");
    let body: serde_json::Value = response.json().await.expect("JSON");
    body["total"].as_u64().expect("a total")
}

fn printed(child: &mut Child) -> String {
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().expect("stdout"), &mut out)
        .expect("stdout read");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_gets_demo_content_once_and_its_sign_in_details_are_printed() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let mut child = start(&folder, port);
    wait_until_healthy(port).await;
    assert_eq!(published_artists(port).await, 30);
    let host = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("http client");
    let signed_in = host
        .post(format!("http://127.0.0.1:{port}/api/sign_in"))
        .header("accept", "application/json")
        .form(&[
            ("email", "demo.hote1@example.org"),
            ("password", "concert-demo-2026"),
        ])
        .send()
        .await
        .expect("sign-in answered");
    assert_eq!(signed_in.status(), 200, "a printed host account signs in");
    let inbox: serde_json::Value = host
        .post(format!("http://127.0.0.1:{port}/api/inbox"))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(&[("archived", "false")])
        .send()
        .await
        .expect("inbox answered")
        .json()
        .await
        .expect("inbox JSON");
    let demo = &inbox["conversations"][0];
    assert_eq!(demo["other"]["name"], "Les Frères Étoile", "{inbox}");
    assert_eq!(demo["unread"], 1, "the artist's answer waits");
    stop_with(&mut child, "-TERM");
    let output = printed(&mut child);
    assert!(output.contains("concert-demo-2026"), "{output}");
    assert!(output.contains("demo.hote1@example.org"));
    assert!(output.contains("demo.artiste30@example.org"));

    // Started again on the same database: nothing is added, nothing printed.
    let mut again = start(&folder, port);
    wait_until_healthy(port).await;
    assert_eq!(published_artists(port).await, 30);
    stop_with(&mut again, "-TERM");
    assert!(!printed(&mut again).contains("concert-demo-2026"));

    let empty = tempfile::tempdir().expect("temporary folder");
    let mut production = start_with(&empty, port, &[("DEMO_CONTENT", "false")]);
    wait_until_healthy(port).await;
    assert_eq!(published_artists(port).await, 0);
    stop_with(&mut production, "-TERM");
}
