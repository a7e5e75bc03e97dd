//! `spawn_app`: the real application on a random port, against a fresh database: a SQLite
//! file, or a PostgreSQL database when the suite runs against PostgreSQL (`postgres.rs`).

#![allow(dead_code)] // each test binary uses its own part of this helper

pub mod events;
pub mod postgres;
pub mod process;
pub mod smtp;

use axum::Router;
use concerts::{config::Config, server, state::AppState};
use reqwest::{Client, redirect::Policy};
use serde_json::Value;
use std::collections::HashMap;

/// The password of the accounts tests create.
pub const PASSWORD: &str = "une chanson douce";

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    _folder: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the app with settings overridden by `settings` (names as in the environment).
pub async fn spawn_app_with(settings: &[(&str, &str)]) -> TestApp {
    spawn_stoppable_app(settings, std::future::pending())
        .await
        .0
}

/// Starts the app, serving until `shutdown` completes; the handle ends when the server has
/// stopped.
pub async fn spawn_stoppable_app(
    settings: &[(&str, &str)],
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<std::io::Result<()>>) {
    spawn_app_serving(settings, shutdown, Router::new()).await
}

/// Starts the app with `extra` routes of the test's own behind the site's middleware.
pub async fn spawn_app_with_routes(extra: Router<AppState>) -> TestApp {
    spawn_app_serving(&[], std::future::pending(), extra)
        .await
        .0
}

async fn spawn_app_serving(
    settings: &[(&str, &str)],
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    extra: Router<AppState>,
) -> (TestApp, tokio::task::JoinHandle<std::io::Result<()>>) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let database_url = match (
        settings.iter().find(|(name, _)| *name == "DATABASE_URL"),
        postgres::server_url(),
    ) {
        (Some((_, shared)), _) => (*shared).to_owned(),
        (None, Some(server)) => postgres::fresh_database(&server).await,
        (None, None) => format!("sqlite://{}/test.db", folder.path().display()),
    };
    let media_dir = folder.path().join("media").display().to_string();
    let mut values: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".to_owned(), database_url),
        ("MEDIA_DIR".to_owned(), media_dir),
        (
            "MAIL_DIR".to_owned(),
            folder.path().join("mail").display().to_string(),
        ),
        ("SITE_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("LOG_LEVEL".to_owned(), "warn".to_owned()),
        // Every test signs up from 127.0.0.1: a per-address limit would only count the suite
        // (the tests of that limit set their own).
        ("SIGN_UPS_PER_IP_PER_HOUR".to_owned(), "10000".to_owned()),
    ]);
    for (name, value) in settings.iter().filter(|(name, _)| *name != "DATABASE_URL") {
        values.insert((*name).to_owned(), (*value).to_owned());
    }
    let config = Config::from_lookup(|name| values.get(name).cloned()).expect("valid settings");
    let state = server::prepare(config).await.expect("database ready");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("free port");
    let address = format!("http://{}", listener.local_addr().expect("bound address"));
    let router = server::with_middleware(server::routes(&state).merge(extra), state.clone());
    let serving = tokio::spawn(server::serve(
        listener,
        router,
        state.shutdown.clone(),
        shutdown,
    ));
    let app = TestApp {
        address,
        state,
        _folder: folder,
    };
    (app, serving)
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("http client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Calls a server function as the browser's hydrated code does (JSON answer).
    /// Opens a conversation and reads it up to its newest message, as its page does once in
    /// view in a browser (fetching alone reads nothing). Answers the thread.
    pub async fn read_conversation(&self, who: &Client, conversation: &str) -> Value {
        let opened = self
            .call(who, "conversation", &[("id", conversation)])
            .await;
        assert_eq!(opened.status(), 200, "conversation {conversation}");
        let thread: Value = opened.json().await.expect("a thread");
        let newest = thread["messages"]
            .as_array()
            .and_then(|messages| messages.last())
            .expect("a message")["id"]
            .to_string();
        let read = self
            .call(
                who,
                "mark_read",
                &[("conversation_id", conversation), ("up_to", &newest)],
            )
            .await;
        assert_eq!(read.status(), 200, "mark_read {conversation}");
        thread
    }

    pub async fn call(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn sign_up(
        &self,
        client: &Client,
        role: &str,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.call(
            client,
            "sign_up",
            &[("role", role), ("email", email), ("password", password)],
        )
        .await
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> reqwest::Response {
        self.call(
            client,
            "sign_in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A fresh client, signed up with `role` (`artist` or `host`), its address confirmed.
    pub async fn signed_up(&self, role: &str, email: &str) -> Client {
        let browser = self.signed_up_unconfirmed(role, email).await;
        self.mark_address_confirmed(email).await;
        browser
    }

    /// A fresh client, signed up with `role` and signed in (a sign-up alone opens no
    /// session), whose address waits for its confirmation.
    pub async fn signed_up_unconfirmed(&self, role: &str, email: &str) -> Client {
        let browser = client();
        let response = self.sign_up(&browser, role, email, PASSWORD).await;
        assert_eq!(response.status(), 200, "sign-up of {email}");
        let response = self.sign_in(&browser, email, PASSWORD).await;
        assert_eq!(response.status(), 200, "sign-in of {email}");
        browser
    }

    /// Records `email`'s address as confirmed, for tests about something else: the link that
    /// does it for people is tested in `account.rs` and in Playwright.
    pub async fn mark_address_confirmed(&self, email: &str) {
        let done = sqlx::query("UPDATE users SET email_verified_at = $1 WHERE email = $2")
            .bind(concerts::db::now_ms())
            .bind(email)
            .execute(&self.state.db.pool)
            .await
            .expect("address confirmed");
        assert_eq!(done.rows_affected(), 1, "{email} has an account");
    }

    /// A host with a saved profile (in Lyon), and that profile.
    pub async fn host_with_profile(&self, email: &str, name: &str) -> (Client, Value) {
        let host = self.signed_up("host", email).await;
        let saved = self
            .call(
                &host,
                "save_host_profile",
                &[
                    ("host[name]", name),
                    ("host[city]", "69001"),
                    (
                        "host[description]",
                        "Un grand salon, un piano droit, 40 places.",
                    ),
                ],
            )
            .await;
        assert_eq!(saved.status(), 200, "host profile of {email}");
        (host, json_of(saved).await)
    }

    /// An artist with a published profile playing all over France, and that profile.
    pub async fn published_artist(&self, email: &str, name: &str) -> (Client, Value) {
        self.published_artist_with(email, name, &[]).await
    }

    /// `published_artist`, offering one formule titled `offer` (400 €).
    pub async fn published_artist_offering(
        &self,
        email: &str,
        name: &str,
        offer: &str,
    ) -> (Client, Value) {
        let fields = [
            ("profile[offers][0][title]", offer),
            ("profile[offers][0][price_text]", "400 €"),
        ];
        self.published_artist_with(email, name, &fields).await
    }

    async fn published_artist_with(
        &self,
        email: &str,
        name: &str,
        more: &[(&str, &str)],
    ) -> (Client, Value) {
        let artist = self.signed_up("artist", email).await;
        let mut fields = vec![
            ("profile[stage_name]", name),
            ("profile[music_types]", "Jazz"),
            ("profile[whole_france]", "true"),
            ("profile[published]", "true"),
        ];
        fields.extend_from_slice(more);
        let saved = self.call(&artist, "save_artist_profile", &fields).await;
        assert_eq!(saved.status(), 200, "artist profile of {email}");
        (artist, json_of(saved).await)
    }

    /// The usual pair: a host with a profile (Famille Martin) and a published artist (Trio
    /// Céleste); the host, the artist, and the artist's slug.
    pub async fn host_and_artist(&self) -> (Client, Client, String) {
        let (host, _) = self
            .host_with_profile("hote@exemple.fr", "Famille Martin")
            .await;
        let (artist, profile) = self
            .published_artist("trio@exemple.fr", "Trio Céleste")
            .await;
        let slug = profile["slug"].as_str().expect("slug").to_owned();
        (host, artist, slug)
    }

    /// Changes `who`'s password from the suite's `PASSWORD` to `new`.
    pub async fn change_password(&self, who: &Client, new: &str) -> reqwest::Response {
        self.call(
            who,
            "change_password",
            &[("current_password", PASSWORD), ("password", new)],
        )
        .await
    }

    /// A host writes to the artist at `slug` (opening their conversation the first time).
    pub async fn write_to_artist(
        &self,
        host: &Client,
        slug: &str,
        body: &str,
    ) -> reqwest::Response {
        self.call(host, "write_to_artist", &[("artist", slug), ("body", body)])
            .await
    }

    /// A participant replies in a conversation.
    pub async fn reply(&self, who: &Client, conversation: &str, body: &str) -> reqwest::Response {
        self.call(
            who,
            "send_message",
            &[("conversation_id", conversation), ("body", body)],
        )
        .await
    }

    /// A page's HTML, as a browser would ask for it.
    pub async fn html(&self, client: &Client, path: &str) -> String {
        let response = client
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request sent");
        response.text().await.expect("page body")
    }

    /// Posts a form as a browser without JavaScript does: straight to the server function,
    /// from the page at `referer`.
    pub async fn post_plain_form(
        &self,
        client: &Client,
        endpoint: &str,
        referer: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "text/html")
            .header("referer", referer)
            .header("origin", &self.address)
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Who the server thinks `client` is: the viewer's e-mail, or `None`.
    pub async fn whoami(&self, client: &Client) -> Option<String> {
        let response = self.call(client, "viewer", &[]).await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        body.get("email")
            .and_then(|email| email.as_str())
            .map(str::to_owned)
    }
}

/// The value of the session cookie a response sets, if it sets one.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("session="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
}

/// The JSON of a response that must be a success (the failure names the path and the answer).
pub async fn ok_json(response: reqwest::Response) -> Value {
    let status = response.status();
    let path = response.url().path().to_owned();
    let body = json_of(response).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// A response's JSON body.
pub async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// The files a page loads first to run the app: the glue and the core WebAssembly its island
/// loader imports when the page is idle (`/pkg/concerts.<hash>.js`, `/pkg/concerts.<hash>.wasm`),
/// read from the loader's arguments (root, package folder, glue, wasm); none on a page without it.
pub fn app_files_loaded_by(page: &str) -> Vec<String> {
    let Some((_, call)) = page
        .split("<script")
        .skip(1)
        .filter(|script| script.contains("import("))
        .find_map(|script| script.split("</script>").next()?.rsplit_once("})"))
    else {
        return Vec::new();
    };
    let arguments: Vec<&str> = call
        .trim()
        .trim_start_matches('(')
        .split(',')
        .map(|argument| argument.trim().trim_matches('"'))
        .collect();
    let [root, package, glue, wasm, ..] = arguments[..] else {
        panic!("the island loader's arguments: {call:?}");
    };
    vec![
        format!("{root}/{package}/{glue}.js"),
        format!("{root}/{package}/{wasm}.wasm"),
    ]
}

/// A size of a fault test's short version (`make test`), or of its soak (`make soak`) when the
/// soak's variable is set.
pub fn soak_size(variable: &str, short: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(short)
}
