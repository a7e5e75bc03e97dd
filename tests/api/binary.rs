//! The server binary itself: it starts on its own defaults plus a database address, answers
//! `/healthz`, and stops cleanly on SIGTERM and SIGINT; on an empty database it loads demo
//! content once and prints its sign-in details; every page answers whole under concurrent
//! visitors.

use crate::common::app_files_loaded_by;
use crate::common::process::{
    ServerProcess, free_port, start_server, start_server_logging_to, wait_until_healthy,
};
use std::{
    collections::BTreeMap,
    path::Path,
    process::{Child, Command},
    sync::Arc,
    time::{Duration, Instant},
};

fn start(folder: &tempfile::TempDir, port: u16) -> ServerProcess {
    start_with(folder, port, &[])
}

fn start_with(folder: &tempfile::TempDir, port: u16, settings: &[(&str, &str)]) -> ServerProcess {
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

/// Calls a server function of the binary at `base`, as the browser's code does.
async fn call(
    who: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    crate::common::process::call(who, base, endpoint, form)
        .await
        .expect("server function answered")
}

/// Signs `who` in as the first demo host.
async fn sign_in_demo_host(who: &reqwest::Client, base: &str) -> reqwest::Response {
    let demo_host = [
        ("email", "demo.hote1@example.org"),
        ("password", "concert-demo-2026"),
    ];
    call(who, base, "sign_in", &demo_host).await
}

async fn published_artists(port: u16) -> u64 {
    let base = format!("http://127.0.0.1:{port}");
    let response = call(&reqwest::Client::new(), &base, "list_artists", &[]).await;
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
    let base = format!("http://127.0.0.1:{port}");
    let signed_in = sign_in_demo_host(&host, &base).await;
    assert_eq!(signed_in.status(), 200, "a printed host account signs in");
    let inbox: serde_json::Value = call(&host, &base, "inbox", &[("archived", "false")])
        .await
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

/// One page the visitors of the load test ask for, and what it must answer.
struct PageVisit {
    path: String,
    signed_in: bool,
    status: u16,
    /// What the page's `<title>` starts with: the unread count belongs to whoever asks.
    title_prefix: String,
}

/// Many visitors at once, signed in or not, on every kind of page: each answer comes whole,
/// with its status and the asker's own title, and nothing panics. (Under load the title's
/// formatter used to read signals of another request: a panic and a reset connection.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_answers_whole_under_32_concurrent_visitors() {
    const VISITORS: usize = 32;
    const DURATION: Duration = Duration::from_secs(3);
    let folder = tempfile::tempdir().expect("temporary folder");
    let log = folder.path().join("server.log");
    let port = free_port();
    let mut child = start_server_logging_to(folder.path(), port, &[], &log);
    wait_until_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");

    let (slug, stage_name) = first_artist(&base).await;
    let session = demo_host_session(&base).await;
    let page = |path: &str, signed_in: bool, status: u16, title_prefix: &str| PageVisit {
        path: path.to_owned(),
        signed_in,
        status,
        title_prefix: title_prefix.to_owned(),
    };
    let site = "Concerts dans mon salon";
    let pages = Arc::new(vec![
        page("/", false, 200, site),
        page("/artistes", false, 200, "Les artistes"),
        page(
            "/recherche?type=jazz&ville=Lyon",
            false,
            200,
            "«\u{a0}jazz\u{a0}» près de Lyon",
        ),
        page(&format!("/artistes/{slug}"), false, 200, &stage_name),
        page("/confidentialite", false, 200, "Confidentialité"),
        page("/connexion", false, 200, "Se connecter"),
        page("/inscription", false, 200, "Créer un compte"),
        page("/mot-de-passe-oublie", false, 200, "Mot de passe oublié"),
        page("/page-qui-n-existe-pas", false, 404, "Page introuvable"),
        // The demo host has one unread answer, in every title of theirs.
        page("/messages", true, 200, "(1) Messages"),
        page("/profil", true, 200, "(1) Mon profil"),
        page("/artistes", true, 200, "(1) Les artistes"),
    ]);

    let deadline = Instant::now() + DURATION;
    let visitors: Vec<_> = (0..VISITORS)
        .map(|visitor| {
            let pages = Arc::clone(&pages);
            let base = base.clone();
            let session = session.clone();
            tokio::spawn(async move {
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert(
                    reqwest::header::COOKIE,
                    session.parse().expect("cookie header"),
                );
                let anonymous = reqwest::Client::new();
                let signed_in = reqwest::Client::builder()
                    .default_headers(headers)
                    .build()
                    .expect("http client");
                let mut answered = BTreeMap::<String, u32>::new();
                let mut failures = Vec::new();
                let mut next = visitor;
                while Instant::now() < deadline {
                    let visit = &pages[next % pages.len()];
                    next += 1;
                    let client = if visit.signed_in {
                        &signed_in
                    } else {
                        &anonymous
                    };
                    let label = format!(
                        "{}{}",
                        visit.path,
                        if visit.signed_in { " (connecté)" } else { "" }
                    );
                    match check(client, &base, visit).await {
                        Ok(()) => *answered.entry(label).or_default() += 1,
                        Err(failure) => failures.push(format!("{label}: {failure}")),
                    }
                }
                (answered, failures)
            })
        })
        .collect();
    let mut answered = BTreeMap::<String, u32>::new();
    let mut failures = Vec::new();
    for visitor in visitors {
        let (counts, failed) = visitor.await.expect("visitor finished");
        for (label, count) in counts {
            *answered.entry(label).or_default() += count;
        }
        failures.extend(failed);
    }
    stop_with(&mut child, "-TERM");

    let printed = std::fs::read_to_string(&log).expect("server log");
    let panics: Vec<&str> = printed
        .lines()
        .filter(|line| line.contains("panicked"))
        .collect();
    println!("answers per page with {VISITORS} visitors for {DURATION:?}: {answered:#?}");
    assert!(
        failures.is_empty(),
        "{} failed answers, for instance: {:#?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    assert!(
        panics.is_empty(),
        "{} panics, for instance: {:#?}",
        panics.len(),
        &panics[..panics.len().min(5)]
    );
    assert_eq!(
        answered.len(),
        pages.len(),
        "every page was asked for: {answered:#?}"
    );
}

/// Asks for one page and checks its answer: the status, a whole document, the right title.
async fn check(client: &reqwest::Client, base: &str, visit: &PageVisit) -> Result<(), String> {
    let response = client
        .get(format!("{base}{}", visit.path))
        .send()
        .await
        .map_err(|error| format!("no answer ({error})"))?;
    let status = response.status().as_u16();
    let body = response
        .text()
        .await
        .map_err(|error| format!("answer cut short ({error})"))?;
    if status != visit.status {
        return Err(format!("status {status}, expected {}", visit.status));
    }
    // For a page that hydrates, Leptos writes the resources' data after the document and
    // this marker comes last; a visitor's page ends with the document.
    let end = if visit.signed_in {
        "__INCOMPLETE_CHUNKS=[];</script>"
    } else {
        "</html>"
    };
    if !body.contains("</html>") || !body.trim_end().ends_with(end) {
        return Err("the answer does not end".to_owned());
    }
    let title = body
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title)
        .ok_or("no <title>")?;
    let own_count = visit.title_prefix.starts_with('(') || !title.starts_with('(');
    if !title.starts_with(visit.title_prefix.as_str()) || !own_count {
        return Err(format!(
            "title {title:?}, expected it to start with {:?}",
            visit.title_prefix
        ));
    }
    Ok(())
}

/// The slug and the stage name (as the `<title>` writes it) of the first listed artist.
async fn first_artist(base: &str) -> (String, String) {
    let list: serde_json::Value = call(&reqwest::Client::new(), base, "list_artists", &[])
        .await
        .json()
        .await
        .expect("list JSON");
    let artist = &list["artists"][0];
    let text = |field: &str| {
        artist[field]
            .as_str()
            .expect("a published demo artist")
            .to_owned()
    };
    let title = text("stage_name")
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    (text("slug"), title)
}

/// Signs the first demo host in and returns the `Cookie` header of their session.
async fn demo_host_session(base: &str) -> String {
    let signed_in = sign_in_demo_host(&reqwest::Client::new(), base).await;
    assert_eq!(signed_in.status(), 200, "the demo host signs in");
    let cookie = signed_in
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a session cookie");
    cookie.to_owned()
}

/// The server's peak resident memory (`VmHWM`), in MiB.
fn peak_memory_mib(child: &Child) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).expect("status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib / 1024
}

/// 200 sign-ups at once from one address, on the binary with its default settings: at most
/// the per-address limit are created, the others refused before any hashing, and the hashes
/// are made a few at a time, so memory stays low (it was 3.1 GiB with every hash at once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_parallel_sign_ups_create_at_most_the_limit_in_bounded_memory() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let mut child = start_with(&folder, port, &[("DEMO_CONTENT", "false")]);
    wait_until_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let attempts = (0..200).map(|n| {
        let base = base.clone();
        async move {
            let email = format!("foule{n}@exemple.fr");
            let form = [
                ("role", "host"),
                ("email", email.as_str()),
                ("password", "une chanson douce"),
            ];
            call(&reqwest::Client::new(), &base, "sign_up", &form)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let created = statuses.iter().filter(|status| **status == 200).count();
    let refused = statuses.iter().filter(|status| **status == 429).count();
    let peak = peak_memory_mib(&child);
    println!("200 parallel sign-ups: {created} created, {refused} refused, peak memory {peak} MiB");
    stop_with(&mut child, "-TERM");
    assert_eq!(
        created, 10,
        "SIGN_UPS_PER_IP_PER_HOUR's default: {statuses:?}"
    );
    assert_eq!(refused, 190, "{statuses:?}");
    assert!(peak < 500, "peak resident memory {peak} MiB");
}

/// The value of `attribute="…"` on the first tag of `html` that holds `marker`.
fn attribute_of_tag_with(html: &str, marker: &str, attribute: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in the page"));
    let start = html[..at].rfind('<').expect("a tag");
    let end = start + html[start..].find('>').expect("the tag's end");
    let tag = &html[start..end];
    let value_start = tag
        .find(&format!("{attribute}=\""))
        .unwrap_or_else(|| panic!("{attribute} in {tag}"))
        + attribute.len()
        + 2;
    let value_end = value_start + tag[value_start..].find('"').expect("closing quote");
    tag[value_start..value_end].to_owned()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// What the build made is served as it was made: each of the stylesheet, the script and the
/// WebAssembly in the encoding asked for (compressed at build time), under a content-hashed
/// name a browser may keep for ever (the release build `make test` makes and runs). A member's
/// page is never stored; a visitor's is asked again each time, and answers 304 while it has
/// not changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_served_as_built_and_pages_are_revalidated() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let _server = start(&folder, port);
    wait_until_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // A member's page: the one that loads the app's files, with a nonce for its scripts.
    let mut session = reqwest::header::HeaderMap::new();
    session.insert(
        reqwest::header::COOKIE,
        demo_host_session(&base)
            .await
            .parse()
            .expect("cookie header"),
    );
    let member = reqwest::Client::builder()
        .default_headers(session)
        .build()
        .expect("http client");
    let page = member
        .get(format!("{base}/artistes"))
        .send()
        .await
        .expect("page");
    assert_eq!(header(&page, "cache-control"), "no-store");
    assert_eq!(
        header(&page, "etag"),
        "",
        "a page never stored needs no validator"
    );
    let html = page.text().await.expect("page text");

    // Only a build by cargo-leptos names the files as the page does: a plain `cargo test`
    // checks the pages alone.
    if std::env::var_os("CONCERTS_SERVER_BIN").is_some() {
        let mut files = vec![attribute_of_tag_with(&html, "rel=\"stylesheet\"", "href")];
        files.extend(app_files_loaded_by(&html));
        assert_eq!(
            files.len(),
            3,
            "the stylesheet, the glue and the wasm: {files:?}"
        );
        for file in &files {
            // `concerts.<22 characters of base64url>.css`
            let hash = file.split('.').nth(1).unwrap_or("");
            assert_eq!(hash.len(), 22, "{file} under a content-hashed name");
            for encoding in ["br", "gzip"] {
                let response = client
                    .get(format!("{base}{file}"))
                    .header("accept-encoding", encoding)
                    .send()
                    .await
                    .expect("static file");
                assert_eq!(response.status(), 200, "{file}");
                assert_eq!(header(&response, "content-encoding"), encoding, "{file}");
                assert_eq!(
                    header(&response, "cache-control"),
                    "public, max-age=31536000, immutable",
                    "{file}"
                );
                assert_eq!(header(&response, "x-content-type-options"), "nosniff");
            }
        }
    }
    let icon = client
        .get(format!("{base}/favicon.svg"))
        .send()
        .await
        .expect("icon");
    assert_eq!(icon.status(), 200);
    assert_eq!(header(&icon, "cache-control"), "no-cache");

    // A visitor's page may be stored, and is validated.
    let visitor_page = client
        .get(format!("{base}/connexion"))
        .send()
        .await
        .expect("a visitor's page");
    assert_eq!(header(&visitor_page, "cache-control"), "private, no-cache");
    let visitor_etag = header(&visitor_page, "etag").to_owned();
    assert!(visitor_etag.starts_with("W/\""), "{visitor_etag:?}");
    let visitor_again = client
        .get(format!("{base}/connexion"))
        .header("if-none-match", &visitor_etag)
        .send()
        .await
        .expect("a visitor's page again");
    assert_eq!(visitor_again.status(), 304);
    assert_eq!(header(&visitor_again, "etag"), visitor_etag);
    let another_page = client
        .get(format!("{base}/artistes"))
        .header("if-none-match", &visitor_etag)
        .send()
        .await
        .expect("another page");
    assert_eq!(another_page.status(), 200, "another page does not match");
}

/// The most JavaScript + WebAssembly a member's page may load first (what its loader imports), as
/// sent with brotli: the app's core, which every member's page shares (about 179 KB since the
/// editors and the open conversation are lazy islands; 308.8 KB with every island in it,
/// 551.6 KB when the whole app hydrated), and a little room. Issue 26's goal is 250 KB.
/// A visitor's page loads none (`pages.rs`).
const MEMBER_SCRIPT_BUDGET_BYTES: usize = 190_000;

/// The most the whole app may weigh with brotli, every lazy island's chunks included (issue
/// 26's goal; about 394 KB today).
const WHOLE_APP_BUDGET_BYTES: usize = 400_000;

/// A member's page loads the app within its budget: the script and the WebAssembly its loader imports
/// (the app's core), in the bytes a browser receives with brotli (the release build `make
/// test` makes and runs); and the whole app, lazy islands' chunks included, within its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_page_loads_no_more_script_than_its_budget() {
    // Only a build by cargo-leptos has the files the page names.
    if std::env::var_os("CONCERTS_SERVER_BIN").is_none() {
        return;
    }
    let folder = tempfile::tempdir().expect("temporary folder");
    let port = free_port();
    let _server = start(&folder, port);
    wait_until_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");
    // No automatic decompression: the sizes are what travels.
    let client = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .expect("http client");
    let session = demo_host_session(&base).await;
    for page in ["/messages", "/profil", "/artistes"] {
        let html = client
            .get(format!("{base}{page}"))
            .header("cookie", &session)
            .send()
            .await
            .expect("a member's page")
            .text()
            .await
            .expect("page text");
        let files = app_files_loaded_by(&html);
        assert!(!files.is_empty(), "{page} loads the app");
        let mut total = 0;
        for file in &files {
            total += brotli_size(&client, &format!("{base}{file}")).await;
        }
        println!(
            "{page} loads {total} bytes of script (brotli) in {} files",
            files.len()
        );
        assert!(
            total <= MEMBER_SCRIPT_BUDGET_BYTES,
            "{page}: {total} bytes of JavaScript + WebAssembly, over the budget of {MEMBER_SCRIPT_BUDGET_BYTES}"
        );
    }
    let whole: usize = whole_app_sizes(&client, &base).await.iter().sum();
    println!("the whole app is {whole} bytes of script (brotli)");
    assert!(
        whole <= WHOLE_APP_BUDGET_BYTES,
        "the whole app: {whole} bytes of JavaScript + WebAssembly, over the budget of {WHOLE_APP_BUDGET_BYTES}"
    );
}

/// The size of every script and WebAssembly file of the app as served with brotli: the core
/// and its glue, the split loader, and each chunk the split manifest names (once, though
/// several lazy islands share it). The names come from the build's hashes beside the server
/// binary.
async fn whole_app_sizes(client: &reqwest::Client, base: &str) -> Vec<usize> {
    let binary = std::env::var("CONCERTS_SERVER_BIN").expect("the release build");
    let hashes = std::fs::read_to_string(Path::new(&binary).with_file_name("hash.txt"))
        .expect("the build's hashes");
    let hash = |kind: &str| {
        hashes
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim() == kind)
            .map(|(_, hash)| hash.trim().to_owned())
            .unwrap_or_else(|| panic!("no {kind} hash in {hashes}"))
    };
    let fetch =
        |path: String| async move { brotli_size(client, &format!("{base}/pkg/{path}")).await };
    let manifest: BTreeMap<String, Vec<String>> = serde_json::from_slice(
        &reqwest::get(format!(
            "{base}/pkg/__wasm_split_manifest.{}.json",
            hash("manifest")
        ))
        .await
        .expect("the split manifest")
        .bytes()
        .await
        .expect("manifest body"),
    )
    .expect("the manifest's JSON");
    let chunks: std::collections::BTreeSet<String> = manifest.into_values().flatten().collect();
    let mut files = vec![
        fetch(format!("concerts.{}.js", hash("js"))).await,
        fetch(format!("concerts.{}.wasm", hash("wasm"))).await,
        fetch(format!("__wasm_split.{}.js", hash("split"))).await,
    ];
    for chunk in chunks {
        files.push(fetch(format!("{chunk}.wasm")).await);
    }
    files
}

/// The bytes of the file at `url` as a browser receives it with brotli (which it must be).
async fn brotli_size(client: &reqwest::Client, url: &str) -> usize {
    let response = client
        .get(url)
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("the app's file");
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(header(&response, "content-encoding"), "br", "{url}");
    response.bytes().await.expect("file body").len()
}
