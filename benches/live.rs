//! `make bench`, live part: how long a message takes to reach its recipient's open streams
//! with 1,000 clients connected, and the server's memory per idle stream with 10,000 open.
//! The release server runs in a process of its own, so its memory is measured alone.

#[path = "../tests/api/common/mod.rs"]
mod common;
#[path = "support/figures.rs"]
mod figures;
#[path = "support/site.rs"]
mod site;

use common::process::{free_port, start_server, wait_until_healthy};
use figures::{ms, percentile};
use futures::future::join_all;
use site::Site;
use std::{
    process::Command,
    time::{Duration, Instant},
};

const ARTISTS: usize = 100;
/// 100 artists × 10 tabs: the 1,000 connected clients of the latency test.
const TABS_PER_ARTIST: usize = 10;
const MESSAGES: usize = 300;
const IDLE_STREAMS: usize = 10_000;

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
            ("SIGN_UPS_PER_IP_PER_HOUR", "100000"),
            ("EVENT_STREAMS_PER_ACCOUNT", "100000"),
            ("EVENT_STREAMS_PER_IP", "100000"),
        ],
    );
    wait_until_healthy(port).await;
    let database = format!("sqlite://{}/data/site.db", folder.path().display());
    let site = Site::at(port, &database).await;

    let (host, artists) = site.host_writing_to(ARTISTS).await;
    let latencies =
        site::delivery_latencies([&site, &site], &host, &artists, TABS_PER_ARTIST, MESSAGES).await;
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
