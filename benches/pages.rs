//! `make bench`, pages part: how many requests a second the release server answers for the
//! pages anonymous visitors read, for a member's pages (signed in as the demo host) and for
//! its static files, with and without compression, driven by `wrk` (2 threads,
//! 32 connections, 5 s per line) on the demo content. Each figure is also given as a share
//! of `/healthz` (no page, no database) and of `/confidentialite` (a page without database
//! work), measured in the same run. Then what a page downloads: the bytes of JavaScript and
//! WebAssembly, as sent with gzip and with brotli (a visitor's pages load none).

#[path = "../tests/api/common/mod.rs"]
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

/// One `wrk` run, with the session `cookie` if given; `None` if it could not run or
/// reported no rate.
fn measure(url: &str, encoding: &str, cookie: Option<&str>) -> Option<Figures> {
    let mut wrk = Command::new("wrk");
    wrk.args(["-t2", "-c", CONNECTIONS, "-d", SECONDS, "--latency"])
        .args(["-H", &format!("Accept-Encoding: {encoding}")]);
    if let Some(cookie) = cookie {
        wrk.args(["-H", &format!("Cookie: {cookie}")]);
    }
    let output = wrk.arg(url).output().ok()?;
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

/// Bytes sent for `path` when the client accepts `encoding`.
async fn sent_size(client: &reqwest::Client, base: &str, path: &str, encoding: &str) -> usize {
    let response = client
        .get(format!("{base}{path}"))
        .header("accept-encoding", encoding)
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
    let page = |path: &'static str, cookie: Option<String>| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move {
            let mut request = client.get(url);
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            request
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("page text")
        }
    };
    let catalogue = page("/artistes", None).await;
    let profile = first_link(&catalogue, "/artistes/").expect("an artist in the demo content");
    let stylesheet = first_link(&catalogue, "/pkg/concerts").expect("the stylesheet");
    // A member's page names the app's files (a visitor's loads none).
    let session = demo_host_session(&client, &base).await;
    let member_catalogue = page("/artistes", Some(session.clone())).await;
    let [script, wasm] = &common::app_files_loaded_by(&member_catalogue)[..] else {
        panic!("a member's page loads the app's glue and wasm");
    };
    let (script, wasm) = (script.clone(), wasm.clone());

    let visitor = |path: String| (path, None);
    let member = |path: &str| (path.to_owned(), Some(session.as_str()));
    let paths = [
        visitor("/healthz".to_owned()),
        visitor("/confidentialite".to_owned()),
        visitor("/".to_owned()),
        visitor("/artistes".to_owned()),
        visitor("/recherche?type=jazz&ville=Lyon".to_owned()),
        visitor(profile.clone()),
        member("/artistes"),
        member("/messages"),
        visitor(stylesheet.clone()),
        visitor(wasm.clone()),
    ];
    let mut rows = Vec::new();
    for (path, cookie) in &paths {
        let url = format!("{base}{path}");
        let compressed = measure(&url, "gzip, br", *cookie);
        let identity = measure(&url, "identity", *cookie);
        let label = match cookie {
            Some(_) => format!("{path} (member)"),
            None => path.clone(),
        };
        rows.push((label, compressed, identity));
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
    for encoding in ["gzip", "br"] {
        let script_bytes = sent_size(&client, &base, &script, encoding).await;
        let wasm_bytes = sent_size(&client, &base, &wasm, encoding).await;
        println!(
            "\nJavaScript + WebAssembly a member's page loads, {encoding}: {:.1} KB ({script}: {:.1} KB, {wasm}: {:.1} KB); a visitor's: 0",
            (script_bytes + wasm_bytes) as f64 / 1000.0,
            script_bytes as f64 / 1000.0,
            wasm_bytes as f64 / 1000.0
        );
    }
}

/// The session cookie (`name=value`) of the demo host, signed in.
async fn demo_host_session(client: &reqwest::Client, base: &str) -> String {
    let response = client
        .post(format!("{base}/api/sign_in"))
        .header("origin", base)
        .header("accept", "application/json")
        .form(&[
            ("email", "demo.hote1@example.org"),
            ("password", "concert-demo-2026"),
        ])
        .send()
        .await
        .expect("sign-in answers");
    assert_eq!(response.status(), 200, "the demo host signs in");
    let token = common::session_cookie(&response).expect("a session cookie");
    format!("session={token}")
}
