//! Hostile input: every server function the app registers is called by a visitor, a host and
//! an artist with random, oversized, ill-typed and missing fields (the field names the README's
//! API table gives it, and some it does not know). No answer is a 5xx (a panic answers 500),
//! and a refused request writes nothing. Every server function must also be in that table.

use crate::common::{TestApp, client, soak_size, spawn_app};
use concerts::server::BODY_LIMIT_BYTES;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};
use reqwest::Client;
use std::collections::BTreeMap;

/// Each documented server function's field names, from the README's API table: the names
/// in backquotes of its "Fields" column, `[i]` read as `[0]` and `a\|b` alternatives spread.
fn documented_fields() -> BTreeMap<String, Vec<String>> {
    let readme = include_str!("../../README.md");
    readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `/api/"))
        .map(|row| {
            let (name, rest) = row.split_once('`').expect("a name in backquotes");
            let fields_column = rest.split(" | ").nth(1).unwrap_or_default();
            let fields = fields_column
                .split('`')
                .skip(1)
                .step_by(2)
                .flat_map(spread_alternatives)
                .collect();
            (name.to_owned(), fields)
        })
        .collect()
}

/// `profile[links][youtube\|website]` as `profile[links][youtube]`, `profile[links][website]`.
fn spread_alternatives(token: &str) -> Vec<String> {
    let token = token.replace("[i]", "[0]");
    let Some(open) = token.rfind('[').filter(|_| token.contains("\\|")) else {
        return vec![token];
    };
    let (head, tail) = token.split_at(open + 1);
    let inside = tail.trim_end_matches(']');
    inside
        .split("\\|")
        .map(|choice| format!("{head}{choice}]"))
        .collect()
}

/// One hostile value: empty, ill-typed, out of range, markup and SQL, control characters,
/// random text, past a field's limit, or past the body's (64 KiB).
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_owned()),
        Just("-1".to_owned()),
        Just("0".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("99999999999999999999999".to_owned()),
        Just("1.5e308".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("' OR 1=1; DROP TABLE users; --".to_owned()),
        Just("\u{0}\u{7}\u{202e}".to_owned()),
        Just("../../etc/passwd".to_owned()),
        "\\PC{0,80}",
        (5_001usize..20_000).prop_map(|length| "é".repeat(length)),
        Just("x".repeat(70 * 1024)),
    ]
}

/// The size of `form` as the request's body (`application/x-www-form-urlencoded`).
fn encoded_length(form: &[(String, String)]) -> usize {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
        .len()
}

/// What refused requests must leave as it was: the rows of every table people write to.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let tables = [
        "users",
        "artists",
        "artist_offers",
        "artist_music_types",
        "hosts",
        "conversations",
        "messages",
        "outbox",
        "concert_requests",
        "concert_reviews",
        "blocks",
        "moderation_cases",
        "moderation_log",
        "email_changes",
        "password_resets",
    ];
    let mut counts = Vec::new();
    for table in tables {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.state.db.pool)
            .await
            .expect("a count");
        counts.push(count);
    }
    let changed: Option<i64> = sqlx::query_scalar(
        "SELECT CAST((SELECT COALESCE(SUM(updated_at), 0) FROM artists) \
         + (SELECT COALESCE(SUM(updated_at), 0) FROM hosts) \
         + (SELECT COALESCE(SUM(email_notifications), 0) FROM users) AS BIGINT)",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .expect("a sum");
    counts.push(changed.unwrap_or_default());
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_hostile_input_without_a_5xx_or_a_write() {
    // Requests per server function and asker.
    let cases = soak_size("SOAK_HOSTILE_CASES", 6);
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let sent = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(sent.status(), 200);

    let documented = documented_fields();
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    registered.sort();
    let undocumented: Vec<&String> = registered
        .iter()
        .filter(|name| !documented.contains_key(*name))
        .collect();
    assert!(
        undocumented.is_empty(),
        "server functions missing from the README's API table: {undocumented:?}"
    );

    let mut runner = TestRunner::new(Config {
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    });
    let askers: [(&str, Client); 3] = [("visitor", client()), ("host", host), ("artist", artist)];
    let mut requests = 0;
    for name in &registered {
        // Signing out would leave the rest of the run to a visitor.
        let askers = askers
            .iter()
            .filter(|(who, _)| name != "sign_out" || *who == "visitor");
        for (who, asker) in askers {
            for _ in 0..cases {
                let mut names = documented[name].clone();
                names.push("champ_inconnu".to_owned());
                let mut form = Vec::new();
                for field in names {
                    // Each field is left out one time in three.
                    let kept = (0u8..3).new_tree(&mut runner).expect("a draw").current() > 0;
                    if kept {
                        let value = hostile_value()
                            .new_tree(&mut runner)
                            .expect("a value")
                            .current();
                        form.push((field, value));
                    }
                }
                let before = fingerprint(&app).await;
                let sent = asker
                    .post(app.url(&format!("/api/{name}")))
                    .header("accept", "application/json")
                    .header("sec-fetch-site", "same-origin")
                    .form(&form)
                    .send()
                    .await;
                let response = match sent {
                    Ok(response) => response,
                    // Past the body limit the server answers 413 without reading the body
                    // and closes the connection: a client still writing it may get the
                    // connection reset instead of the answer (more often on a busy
                    // machine). Refused all the same, so nothing may have been written.
                    Err(error)
                        if error.is_request() && encoded_length(&form) > BODY_LIMIT_BYTES =>
                    {
                        assert_eq!(
                            fingerprint(&app).await,
                            before,
                            "{name} as {who}: a body past the limit wrote ({error})"
                        );
                        requests += 1;
                        continue;
                    }
                    Err(error) => panic!("{name} as {who}: no answer: {error}"),
                };
                let status = response.status().as_u16();
                let shown: Vec<(&str, String)> = form
                    .iter()
                    .map(|(field, value)| (field.as_str(), value.chars().take(40).collect()))
                    .collect();
                assert!(
                    status < 500,
                    "{name} as {who}: {status} for {shown:?}: {}",
                    response.text().await.unwrap_or_default()
                );
                if status >= 400 {
                    assert_eq!(
                        fingerprint(&app).await,
                        before,
                        "{name} as {who} was refused ({status}) but wrote: {shown:?}"
                    );
                }
                requests += 1;
            }
        }
    }
    println!(
        "hostile input: {requests} requests to {} server functions, 0 answers 5xx",
        registered.len()
    );
}
