//! The live benchmarks' client side: a site reached over HTTP like a browser, a host writing
//! to many artists, and the time each message takes to reach the artists' open streams.

use crate::common::{PASSWORD, events::EventStream};
use reqwest::Client;
use serde_json::Value;
use std::{
    collections::HashMap,
    time::{Duration, Instant},
};
use tokio::sync::mpsc;

#[derive(Clone)]
pub struct Site {
    base: String,
    /// The site's database, to mark the bench's accounts confirmed (people open the link
    /// e-mailed to them; the tests prove that path).
    db: concerts::db::Db,
}

impl Site {
    pub async fn at(port: u16, database_url: &str) -> Site {
        Site {
            base: format!("http://127.0.0.1:{port}"),
            db: concerts::db::Db::connect(database_url, 2)
                .await
                .expect("the site's database"),
        }
    }

    pub async fn call(&self, who: &Client, endpoint: &str, form: &[(&str, &str)]) -> Value {
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

    pub async fn signed_up(&self, role: &str, email: &str) -> Client {
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
        // A sign-up opens no session: the person signs in.
        self.call(&who, "sign_in", &[("email", email), ("password", PASSWORD)])
            .await;
        sqlx::query("UPDATE users SET email_verified_at = created_at WHERE email = $1")
            .bind(email)
            .execute(&self.db.pool)
            .await
            .expect("address confirmed");
        who
    }

    /// An open stream of `who`, its first (state) event read.
    pub async fn stream(&self, who: &Client) -> EventStream {
        let mut stream = EventStream::open(who, &format!("{}/events", self.base)).await;
        stream.next().await;
        stream
    }

    /// A host who wrote once to each of `count` published artists: the host, and each
    /// artist with their conversation id.
    pub async fn host_writing_to(&self, count: usize) -> (Client, Vec<(Client, String)>) {
        let host = self.signed_up("host", "hote@bench.fr").await;
        self.call(
            &host,
            "save_host_profile",
            &[
                ("host[name]", "Hôte du banc d'essai"),
                ("host[city]", "Lyon"),
            ],
        )
        .await;
        let mut artists = Vec::new();
        for n in 0..count {
            let artist = self
                .signed_up("artist", &format!("artiste{n}@bench.fr"))
                .await;
            let name = format!("Groupe {n}");
            let profile = self
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
            let first = self
                .call(
                    &host,
                    "write_to_artist",
                    &[("artist", &slug), ("body", "Bonjour")],
                )
                .await;
            artists.push((artist, first["conversation_id"].to_string()));
        }
        (host, artists)
    }
}

/// Arrivals of messages in the tabs that listen: each message's body, when it arrived.
pub struct Arrivals(mpsc::UnboundedReceiver<(String, Instant)>);

/// Each artist listens in `tabs` streams on `site`, each read as it comes.
pub async fn listening(site: &Site, artists: &[(Client, String)], tabs: usize) -> Arrivals {
    let (arrived, arrivals) = mpsc::unbounded_channel::<(String, Instant)>();
    for (artist, _) in artists {
        for _ in 0..tabs {
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
    Arrivals(arrivals)
}

/// The host sends `messages` through `site`, round the artists, one after the other or
/// `per_second` (each sent without waiting for the ones before): the time from sending each
/// message to each of its `tabs` arrivals, sorted.
pub async fn delivery_latencies(
    mut arrivals: Arrivals,
    site: &Site,
    host: &Client,
    artists: &[(Client, String)],
    tabs: usize,
    messages: usize,
    per_second: Option<u32>,
) -> Vec<Duration> {
    let mut sent_at = HashMap::new();
    let mut pace = per_second.map(|rate| {
        let mut ticks = tokio::time::interval(Duration::from_secs(1) / rate);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        ticks
    });
    let mut sending = tokio::task::JoinSet::new();
    for n in 0..messages {
        let (_, conversation) = &artists[n % artists.len()];
        let body = format!("Message {n}");
        let form = [
            ("conversation_id".to_owned(), conversation.clone()),
            ("body".to_owned(), body.clone()),
        ];
        let (site, host) = (site.clone(), host.clone());
        let send = async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            site.call(&host, "send_message", &form).await;
        };
        match &mut pace {
            Some(ticks) => {
                ticks.tick().await;
                sent_at.insert(body, Instant::now());
                sending.spawn(send);
            }
            None => {
                sent_at.insert(body, Instant::now());
                send.await;
            }
        }
    }
    sending.join_all().await;
    let mut latencies = Vec::with_capacity(messages * tabs);
    while latencies.len() < messages * tabs {
        let (body, at) = tokio::time::timeout(Duration::from_secs(10), arrivals.0.recv())
            .await
            .expect("every message reaches every tab")
            .expect("listeners running");
        latencies.push(at - sent_at[&body]);
    }
    latencies.sort();
    latencies
}
