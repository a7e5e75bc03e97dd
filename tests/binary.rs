//! The server binary itself: it starts on its own defaults plus a database address, answers
//! `/healthz`, and stops cleanly on SIGTERM and SIGINT.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn start(folder: &tempfile::TempDir, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_concerts"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/data/site.db", folder.path().display()),
        )
        .env("SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("server binary starts")
}

async fn wait_until_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await;
        if answer.is_ok_and(|response| response.status() == 200) {
            return;
        }
        assert!(Instant::now() < deadline, "server never became healthy");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
