//! `make bench`, pages part: how many requests a second the release server answers for the
//! pages anonymous visitors read and for its static files, with and without compression,
//! driven by `wrk` (2 threads, 32 connections, 5 s per line) on the demo content. Each figure
//! is also given as a share of `/healthz` (no page, no database) and of `/confidentialite`
//! (a page without database work), measured in the same run. Then what a page downloads:
//! the bytes of JavaScript and WebAssembly, as sent with gzip.

#[path = "../tests/common/mod.rs"]
mod common;

use common::process::{free_port, start_server, wait_until_healthy};
use std::process::Command;

const CONNECTIONS: &str = "32";
const SECONDS: &str = "5s";

struct Figures {
    requests_per_second: f64,
    p50: String,
    p99: String,
}

/// One `wrk` run; `None` if it could not run or reported no rate.
fn measure(url: &str, encoding: &str) -> Option<Figures> {
    let output = Command::new("wrk")
        .args(["-t2", "-c", CONNECTIONS, "-d", SECONDS, "--latency"])
        .args(["-H", &format!("Accept-Encoding: {encoding}"), url])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.split_whitespace().nth(1))
            .map(str::to_owned)
    };
    let errors = text
        .lines()
        .find(|line| line.contains("Non-2xx") || line.contains("Socket errors"));
    if let Some(errors) = errors {
        eprintln!("{url} ({encoding}): {}", errors.trim());
    }
    Some(Figures {
        requests_per_second: field("Requests/sec:")?.parse().ok()?,
        p50: field("50%")?,
        p99: field("99%")?,
    })
}

/// The first `attribute="…"` value in `html` that starts with `prefix`.
fn first_link(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(prefix)?;
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Bytes sent for `path` when the client accepts gzip.
async fn gzip_size(client: &reqwest::Client, base: &str, path: &str) -> usize {
    let response = client
        .get(format!("{base}{path}"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("static file answers");
    response.bytes().await.map_or(0, |bytes| bytes.len())
}

#[tokio::main]
async fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is missing: make scale-out-tools installs it");
        std::process::exit(1);
    }
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let site_root = concat!(env!("CARGO_MANIFEST_DIR"), "/target/site");
    let _server = start_server(
        folder.path(),
        port,
        &[("DEMO_CONTENT", "true"), ("LEPTOS_SITE_ROOT", site_root)],
    );
    wait_until_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    // No automatic decompression: sizes are what travels.
    let client = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("HTTP client");
    let catalogue = client
        .get(format!("{base}/artistes"))
        .send()
        .await
        .expect("catalogue")
        .text()
        .await
        .expect("catalogue text");
    let profile = first_link(&catalogue, "/artistes/").expect("an artist in the demo content");
    let stylesheet = first_link(&catalogue, "/pkg/concerts").expect("the stylesheet");
    let script_start = catalogue.find("rel=\"modulepreload\"").unwrap_or(0);
    let script = first_link(&catalogue[script_start..], "/pkg/").expect("the script");
    let wasm_start = catalogue
        .find("type=\"application/wasm\"")
        .map_or(0, |at| catalogue[..at].rfind("<link").unwrap_or(0));
    let wasm = first_link(&catalogue[wasm_start..], "/pkg/").expect("the WebAssembly");

    let paths = [
        "/healthz".to_owned(),
        "/confidentialite".to_owned(),
        "/".to_owned(),
        "/artistes".to_owned(),
        "/recherche?type=jazz&ville=Lyon".to_owned(),
        profile.clone(),
        stylesheet.clone(),
        wasm.clone(),
    ];
    let mut rows = Vec::new();
    for path in &paths {
        let url = format!("{base}{path}");
        let compressed = measure(&url, "gzip, br");
        let identity = measure(&url, "identity");
        rows.push((path, compressed, identity));
    }
    let rate = |path: &str| {
        rows.iter()
            .find(|(row_path, _, _)| row_path.as_str() == path)
            .and_then(|(_, compressed, _)| compressed.as_ref())
            .map_or(0.0, |figures| figures.requests_per_second)
    };
    let (healthz, static_page) = (rate("/healthz"), rate("/confidentialite"));
    let share = |value: f64, of: f64| {
        if of > 0.0 {
            format!("{:.0} %", value / of * 100.0)
        } else {
            "-".to_owned()
        }
    };
    println!(
        "\nPage throughput (wrk -t2 -c{CONNECTIONS} -d{SECONDS}, release server, demo content)\n"
    );
    println!(
        "| path | gzip, br: req/s | p50 | p99 | identity: req/s | p50 | p99 | of /healthz | of /confidentialite |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (path, compressed, identity) in &rows {
        let cells = |figures: &Option<Figures>| match figures {
            Some(f) => format!("{:.0} | {} | {}", f.requests_per_second, f.p50, f.p99),
            None => "- | - | -".to_owned(),
        };
        let value = compressed.as_ref().map_or(0.0, |f| f.requests_per_second);
        println!(
            "| `{path}` | {} | {} | {} | {} |",
            cells(compressed),
            cells(identity),
            share(value, healthz),
            share(value, static_page)
        );
    }
    let script_bytes = gzip_size(&client, &base, &script).await;
    let wasm_bytes = gzip_size(&client, &base, &wasm).await;
    println!(
        "\nJavaScript + WebAssembly a page loads, gzip: {:.1} KB ({script}: {:.1} KB, {wasm}: {:.1} KB)",
        (script_bytes + wasm_bytes) as f64 / 1000.0,
        script_bytes as f64 / 1000.0,
        wasm_bytes as f64 / 1000.0
    );
}
