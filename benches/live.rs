//! `make bench`, live part: how long a message takes to reach its recipient's open streams
//! with 1,000 clients connected, and the server's memory per idle stream with 10,000 open.
//! The release server runs in a process of its own, so its memory is measured alone.

#[path = "../tests/common/mod.rs"]
mod common;
mod figures;

use common::{
    PASSWORD,
    events::EventStream,
    process::{free_port, start_server, wait_until_healthy},
};
use figures::{ms, percentile};
use futures::future::join_all;
use reqwest::Client;
use serde_json::Value;
use std::{
    collections::HashMap,
    process::Command,
    time::{Duration, Instant},
};
use tokio::sync::mpsc;

const ARTISTS: usize = 100;
/// 100 artists × 10 tabs: the 1,000 connected clients of the latency test.
const TABS_PER_ARTIST: usize = 10;
const MESSAGES: usize = 300;
const IDLE_STREAMS: usize = 10_000;

struct Site {
    base: String,
}

impl Site {
    async fn call(&self, who: &Client, endpoint: &str, form: &[(&str, &str)]) -> Value {
        let response = who
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status(), 200, "{endpoint}");
        response.json().await.expect("JSON answer")
    }

    async fn signed_up(&self, role: &str, email: &str) -> Client {
        let who = Client::builder()
            .cookie_store(true)
            .build()
            .expect("http client");
        self.call(
            &who,
            "sign_up",
            &[("role", role), ("email", email), ("password", PASSWORD)],
        )
        .await;
        who
    }

    async fn stream(&self, who: &Client) -> EventStream {
        let mut stream = EventStream::open(who, &format!("{}/events", self.base)).await;
        stream.next().await;
        stream
    }
}

#[tokio::main]
async fn main() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let mut server = start_server(
        folder.path(),
        port,
        &[
            ("DEMO_CONTENT", "false"),
            ("MESSAGES_PER_MINUTE", "1000000"),
            ("NEW_CONVERSATIONS_PER_DAY", "1000"),
        ],
    );
    wait_until_healthy(port).await;
    let site = Site {
        base: format!("http://127.0.0.1:{port}"),
    };

    let host = site.signed_up("host", "hote@bench.fr").await;
    site.call(
        &host,
        "save_host_profile",
        &[
            ("host[name]", "Hôte du banc d'essai"),
            ("host[city]", "Lyon"),
        ],
    )
    .await;
    let mut artists = Vec::new();
    for n in 0..ARTISTS {
        let artist = site
            .signed_up("artist", &format!("artiste{n}@bench.fr"))
            .await;
        let name = format!("Groupe {n}");
        let profile = site
            .call(
                &artist,
                "save_artist_profile",
                &[
                    ("profile[stage_name]", &name),
                    ("profile[music_types]", "Jazz"),
                    ("profile[whole_france]", "true"),
                    ("profile[published]", "true"),
                ],
            )
            .await;
        let slug = profile["slug"].as_str().expect("slug").to_owned();
        let first = site
            .call(
                &host,
                "write_to_artist",
                &[("artist", &slug), ("body", "Bonjour")],
            )
            .await;
        artists.push((artist, first["conversation_id"].to_string()));
    }

    // 1,000 clients listening; each reports when a message reaches it.
    let (arrived, mut arrivals) = mpsc::unbounded_channel::<(String, Instant)>();
    for (artist, _) in &artists {
        for _ in 0..TABS_PER_ARTIST {
            let mut stream = site.stream(artist).await;
            let arrived = arrived.clone();
            tokio::spawn(async move {
                while let Some(event) = stream.next_event().await {
                    if event["kind"] == "message" {
                        let body = event["message"]["body"].as_str().unwrap_or_default();
                        let _ = arrived.send((body.to_owned(), Instant::now()));
                    }
                }
            });
        }
    }
    let mut sent_at = HashMap::new();
    for n in 0..MESSAGES {
        let (_, conversation) = &artists[n % ARTISTS];
        let body = format!("Message {n}");
        sent_at.insert(body.clone(), Instant::now());
        site.call(
            &host,
            "send_message",
            &[("conversation_id", conversation), ("body", &body)],
        )
        .await;
    }
    let mut latencies = Vec::with_capacity(MESSAGES * TABS_PER_ARTIST);
    while latencies.len() < MESSAGES * TABS_PER_ARTIST {
        let (body, at) = tokio::time::timeout(Duration::from_secs(10), arrivals.recv())
            .await
            .expect("every message reaches every tab")
            .expect("listeners running");
        latencies.push(at - sent_at[&body]);
    }
    latencies.sort();
    println!(
        "live bench: {MESSAGES} messages to {ARTISTS} artists with {} connected clients ({} deliveries)",
        ARTISTS * TABS_PER_ARTIST,
        latencies.len()
    );
    println!(
        "  send → event received: p50 {}, p99 {}, max {}",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("latencies"))
    );

    // Idle streams: the server's resident memory as their number grows tenfold.
    let server_id = server.id();
    let with_listeners = resident_kib(server_id);
    let mut idle = Vec::with_capacity(IDLE_STREAMS);
    let batch = 500;
    while idle.len() + ARTISTS * TABS_PER_ARTIST < IDLE_STREAMS {
        let opened = join_all((0..batch).map(|k| {
            let (artist, _) = &artists[(idle.len() + k) % ARTISTS];
            site.stream(artist)
        }))
        .await;
        idle.extend(opened);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_idle = resident_kib(server_id);
    let added = idle.len();
    println!(
        "  server memory: {:.1} MiB with {} streams, {:.1} MiB with {}: {:.1} KiB per idle stream",
        with_listeners as f64 / 1024.0,
        ARTISTS * TABS_PER_ARTIST,
        with_idle as f64 / 1024.0,
        added + ARTISTS * TABS_PER_ARTIST,
        with_idle.saturating_sub(with_listeners) as f64 / added as f64
    );

    let stopping = Instant::now();
    let stopped = Command::new("kill")
        .args(["-TERM", &server_id.to_string()])
        .status()
        .expect("kill runs");
    assert!(stopped.success());
    let status = server.wait().expect("server exits");
    assert!(status.success(), "clean exit: {status}");
    println!(
        "  shutdown with {} streams open: {}",
        added + ARTISTS * TABS_PER_ARTIST,
        ms(stopping.elapsed())
    );
}

/// A process's resident memory (VmRSS), in KiB.
fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("process status")
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc")
}
