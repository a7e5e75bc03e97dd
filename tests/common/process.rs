//! The server binary in a process of its own, as it runs in production.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// Starts the binary on a database in `folder`, with `settings` added; its standard output
/// is kept for the caller.
pub fn start_server(folder: &Path, port: u16, settings: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_concerts"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/data/site.db", folder.display()),
        )
        .env("MEDIA_DIR", folder.join("media"))
        .env("SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_LEVEL", "warn")
        .envs(settings.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .expect("server binary starts")
}

pub async fn wait_until_healthy(port: u16) {
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
