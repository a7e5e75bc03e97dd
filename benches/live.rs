//! `make bench`, live part: the server's memory per idle stream as 10,000 open, then how
//! long a message takes to reach its recipient's open streams while those 10,000 clients are
//! connected and 100 messages a second are written. The release server runs in a process of
//! its own, so its memory is measured alone.

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
/// 100 artists × 10 tabs whose arrivals are timed: 1,000 of the 10,000 streams.
const TABS_PER_ARTIST: usize = 10;
/// All the open streams: the timed tabs and idle ones (which receive the same events, unread).
const STREAMS: usize = 10_000;
const MESSAGES_PER_SECOND: u32 = 100;
const MESSAGES: usize = 1_000;

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
    let arrivals = site::listening(&site, &artists, TABS_PER_ARTIST).await;

    // Idle streams: the server's resident memory as their number grows tenfold.
    let server_id = server.id();
    let listening = ARTISTS * TABS_PER_ARTIST;
    let with_listeners = resident_kib(server_id);
    let mut idle = Vec::with_capacity(STREAMS);
    let batch = 500;
    while idle.len() + listening < STREAMS {
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
        "live bench: server memory {:.1} MiB with {listening} streams, {:.1} MiB with {}: \
         {:.1} KiB per idle stream",
        with_listeners as f64 / 1024.0,
        with_idle as f64 / 1024.0,
        added + listening,
        with_idle.saturating_sub(with_listeners) as f64 / added as f64
    );

    let latencies = site::delivery_latencies(
        arrivals,
        &site,
        &host,
        &artists,
        TABS_PER_ARTIST,
        MESSAGES,
        Some(MESSAGES_PER_SECOND),
    )
    .await;
    println!(
        "  {MESSAGES} messages at {MESSAGES_PER_SECOND} a second to {ARTISTS} artists with {} \
         connected clients, {} deliveries timed",
        added + listening,
        latencies.len()
    );
    println!(
        "  send → event received: p50 {}, p99 {}, max {}",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("latencies"))
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
        added + listening,
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
