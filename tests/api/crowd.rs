//! A crowd on one server (SQLite; PostgreSQL on the suite's second pass), the server binary in
//! a process of its own: people arrive over the first third of the run, each from an address
//! of their own (as a proxy reports it, `TRUST_FORWARDED_FOR`), and until the end visitors
//! browse and search while hosts and artists sign in, keep `/events` open, read their
//! messages and write. No answer may be an error; the time of each route is printed (p50,
//! p99, max). `make test` runs 30 people for 20 s, `make soak` 300 people for 2 minutes
//! (`SOAK_CROWD_PEOPLE`, `SOAK_CROWD_SECONDS`).

use crate::common::{
    PASSWORD,
    events::EventStream,
    postgres,
    process::{call, free_port, start_server, wait_until_healthy},
    soak_size,
};
use concerts::{
    artists::{
        model::{OfferForm, ProfileForm},
        profile::ValidProfile,
        store as artists_store,
    },
    auth::{
        accounts::create_confirmed_account,
        model::{Email, NewPassword, Role},
        password,
    },
    db::{Db, now_ms},
    hosts::store as hosts_store,
    places,
};
#[path = "../../benches/support/figures.rs"]
mod figures;

use figures::{ms, percentile};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use serde_json::Value;
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// One timed answer: its route, how long it took, and what went wrong if anything did.
type Timing = (&'static str, Duration, Option<String>);

/// What the crowd measured, shared by its people.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Timing>>>);

impl Log {
    /// Times `request`, and records a transport failure or a status other than 200 as an
    /// error. Answers the JSON body of a server function's answer (`Null` otherwise).
    async fn timed(
        &self,
        route: &'static str,
        request: impl Future<Output = reqwest::Result<reqwest::Response>>,
    ) -> Value {
        let start = Instant::now();
        let (error, body) = match request.await {
            Ok(answer) if answer.status() == 200 => {
                let json = answer
                    .headers()
                    .get("content-type")
                    .is_some_and(|kind| kind.as_bytes().starts_with(b"application/json"));
                match answer.bytes().await {
                    Ok(bytes) if json => (None, serde_json::from_slice(&bytes).unwrap_or_default()),
                    Ok(_) => (None, Value::Null),
                    Err(error) => (Some(format!("body: {error}")), Value::Null),
                }
            }
            Ok(answer) => {
                let status = answer.status();
                let text = answer.text().await.unwrap_or_default();
                (Some(format!("{status}: {text}")), Value::Null)
            }
            Err(error) => (Some(error.to_string()), Value::Null),
        };
        self.0
            .lock()
            .expect("log")
            .push((route, start.elapsed(), error));
        body
    }
}

const MUSIC_TYPES: [&str; 8] = [
    "Jazz",
    "Chanson française",
    "Musique classique",
    "Folk",
    "Électro",
    "Musique bretonne",
    "Blues",
    "Bossa nova",
];
const CITIES: [&str; 6] = ["Lyon", "Paris", "Rennes", "Marseille", "Lille", "35000"];

/// Accounts of the crowd's hosts and artists (their e-mail addresses), and the artists'
/// slugs, written straight into the database before the server starts (one password hash
/// for all: hashing is what signing in measures, not the set-up).
async fn seed(db: &Db, hosts: usize, artists: usize) -> (Vec<String>, Vec<String>, Vec<String>) {
    let hash = password::hash(&NewPassword::parse(PASSWORD).expect("password"))
        .await
        .expect("hash");
    let now = now_ms();
    let lyon = places::store::resolve(db, "Lyon")
        .await
        .expect("lookup")
        .expect("Lyon");
    let regions: Vec<String> = places::store::regions(db)
        .await
        .expect("regions")
        .into_iter()
        .map(|region| region.code)
        .collect();
    let mut slugs = Vec::new();
    let mut artist_emails = Vec::new();
    for n in 0..artists {
        let email = format!("foule.artiste{n}@exemple.fr");
        let id = create_confirmed_account(
            db,
            Role::Artist,
            &Email::parse(&email).expect("email"),
            &hash,
            now,
        )
        .await
        .expect("artist account");
        let form = ProfileForm {
            stage_name: format!("Groupe de la foule {n}"),
            presentation: "Nous jouons en salon depuis dix ans.".to_owned(),
            music_description: "Un répertoire pensé pour l'écoute de près.".to_owned(),
            music_types: MUSIC_TYPES[n % MUSIC_TYPES.len()].to_owned(),
            whole_france: true,
            offers: vec![OfferForm {
                title: "Concert en salon".to_owned(),
                price_text: "400 €".to_owned(),
                description: "Une heure et demie, sans sonorisation.".to_owned(),
                ..OfferForm::default()
            }],
            published: true,
            ..ProfileForm::default()
        };
        let profile = ValidProfile::parse(&form, &regions).expect("a valid profile");
        slugs.push(
            artists_store::save(db, id, &profile, None, now)
                .await
                .expect("profile saved"),
        );
        artist_emails.push(email);
    }
    let mut host_emails = Vec::new();
    for n in 0..hosts {
        let email = format!("foule.hote{n}@exemple.fr");
        let id = create_confirmed_account(
            db,
            Role::Host,
            &Email::parse(&email).expect("email"),
            &hash,
            now,
        )
        .await
        .expect("host account");
        let name = format!("Famille de la foule {n}");
        hosts_store::save(db, id, &name, &lyon.code, "Un grand salon.", now)
            .await
            .expect("host profile");
        host_emails.push(email);
    }
    (host_emails, artist_emails, slugs)
}

/// One person's browser: their own cookies and address.
fn browser(person: usize) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let address = format!(
        "10.{}.{}.{}",
        person / 65_536,
        person / 256 % 256,
        person % 256
    );
    headers.insert(
        "x-forwarded-for",
        address.parse().expect("an address header"),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

/// Everything one person of the crowd needs to know.
struct Person {
    who: reqwest::Client,
    base: String,
    log: Log,
    slugs: Arc<Vec<String>>,
    until: Instant,
    rng: StdRng,
}

impl Person {
    async fn page(&self, route: &'static str, path: &str) {
        let url = format!("{}{path}", self.base);
        self.log.timed(route, self.who.get(url).send()).await;
    }

    async fn call(&self, route: &'static str, form: &[(&str, &str)]) -> Value {
        self.log
            .timed(route, call(&self.who, &self.base, route, form))
            .await
    }

    async fn think(&mut self) {
        let pause = self.rng.random_range(500..2_000);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }

    fn any_artist(&mut self) -> String {
        self.slugs.choose(&mut self.rng).expect("artists").clone()
    }

    async fn browse(mut self) {
        while Instant::now() < self.until {
            self.page("GET /", "/").await;
            self.page("GET /artistes", "/artistes").await;
            let music_type = *MUSIC_TYPES.choose(&mut self.rng).expect("types");
            let city = *CITIES.choose(&mut self.rng).expect("cities");
            let found = self
                .call(
                    "search_artists",
                    &[("music_type", music_type), ("city", city)],
                )
                .await;
            let slug = found["results"]["artists"][0]["slug"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| self.any_artist());
            self.page("GET /artistes/{slug}", &format!("/artistes/{slug}"))
                .await;
            self.think().await;
        }
    }

    /// Signs in, keeps `/events` open, and reads and writes until the end; a host first
    /// writes to one artist, an artist answers the conversations hosts opened.
    async fn converse(mut self, email: String, host: bool) {
        self.call("sign_in", &[("email", &email), ("password", PASSWORD)])
            .await;
        let listening = self.listen();
        let mut conversation: Option<String> = None;
        if host {
            let slug = self.any_artist();
            self.page("GET /artistes/{slug}", &format!("/artistes/{slug}"))
                .await;
            let opened = self
                .call(
                    "write_to_artist",
                    &[
                        ("artist", &slug),
                        ("body", "Bonjour, seriez-vous libres en mars ?"),
                    ],
                )
                .await;
            conversation = opened["conversation_id"].as_i64().map(|id| id.to_string());
        }
        let mut sent = 0;
        while Instant::now() < self.until {
            self.page("GET /messages", "/messages").await;
            let inbox = self.call("inbox", &[("archived", "false")]).await;
            if conversation.is_none() {
                conversation = inbox["conversations"][0]["id"]
                    .as_i64()
                    .map(|id| id.to_string());
            }
            if let Some(id) = &conversation {
                let thread = self.call("conversation", &[("id", id)]).await;
                if let Some(newest) = thread["messages"]
                    .as_array()
                    .and_then(|messages| messages.last())
                {
                    let up_to = newest["id"].to_string();
                    self.call("mark_read", &[("conversation_id", id), ("up_to", &up_to)])
                        .await;
                }
                // One message in eight rounds (about 6 a minute): within the 20 a minute
                // allowed even on a run of luck, as a person typing them would be.
                if self.rng.random_bool(1.0 / 8.0) {
                    sent += 1;
                    let body = format!("Message n° {sent} de {email}.");
                    self.call("send_message", &[("conversation_id", id), ("body", &body)])
                        .await;
                }
            }
            self.think().await;
        }
        listening.abort();
    }

    /// Keeps `/events` open in the background as the open page does, reading every event.
    fn listen(&self) -> tokio::task::JoinHandle<()> {
        let (who, url, log) = (
            self.who.clone(),
            format!("{}/events", self.base),
            self.log.clone(),
        );
        tokio::spawn(async move {
            let start = Instant::now();
            let stream = EventStream::try_open(&who, &url).await;
            let error = stream
                .as_ref()
                .err()
                .map(|refused| format!("not opened: {refused:?}"));
            log.0
                .lock()
                .expect("log")
                .push(("GET /events (opened)", start.elapsed(), error));
            if let Ok(mut stream) = stream {
                while stream.next_event().await.is_some() {}
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_browsing_searching_and_writing_gets_no_error() {
    let people = soak_size("SOAK_CROWD_PEOPLE", 30);
    let seconds = soak_size("SOAK_CROWD_SECONDS", 20) as u64;
    let (hosts, artists) = (people / 5, people / 5);
    let folder = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir_all(folder.path().join("data")).expect("data folder");
    // On the suite's PostgreSQL pass, a database of that server's.
    let database_url = match postgres::server_url() {
        Some(server) => postgres::fresh_database(&server).await,
        None => format!("sqlite://{}/data/site.db", folder.path().display()),
    };
    let db = Db::connect(&database_url, 2).await.expect("the database");
    let (host_emails, artist_emails, slugs) = seed(&db, hosts, artists).await;
    db.pool.close().await;

    let port = free_port();
    let mail_dir = folder.path().join("mail").display().to_string();
    let settings = [
        ("DATABASE_URL", database_url.as_str()),
        ("TRUST_FORWARDED_FOR", "true"),
        ("MAIL_DIR", mail_dir.as_str()),
    ];
    let _server = start_server(folder.path(), port, &settings);
    wait_until_healthy(port).await;
    let base = format!("http://127.0.0.1:{port}");

    let log = Log::default();
    let slugs = Arc::new(slugs);
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let arrivals = Duration::from_secs(seconds) / 3;
    let crowd: Vec<_> = (0..people)
        .map(|n| {
            let person = Person {
                who: browser(n),
                base: base.clone(),
                log: log.clone(),
                slugs: Arc::clone(&slugs),
                until,
                rng: StdRng::seed_from_u64(n as u64),
            };
            let arrives = arrivals * n as u32 / people as u32;
            let (host, artist) = (host_emails.get(n).cloned(), artist_emails.get(n).cloned());
            tokio::spawn(async move {
                tokio::time::sleep(arrives).await;
                match (host, artist) {
                    (Some(email), _) => person.converse(email, true).await,
                    (None, Some(email)) => person.converse(email, false).await,
                    (None, None) => person.browse().await,
                }
            })
        })
        .collect();
    for person in crowd {
        person.await.expect("a person of the crowd");
    }

    let timings = std::mem::take(&mut *log.0.lock().expect("log"));
    let mut routes: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut errors: Vec<String> = Vec::new();
    for (route, took, error) in &timings {
        routes.entry(route).or_default().push(*took);
        if let Some(error) = error {
            errors.push(format!("{route}: {error}"));
        }
    }
    println!(
        "crowd: {people} people ({hosts} hosts, {artists} artists, {} visitors) for {:.0} s on \
         {}: {} requests, {} errors",
        people - hosts - artists,
        started.elapsed().as_secs_f64(),
        if database_url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        },
        timings.len(),
        errors.len()
    );
    println!(
        "{:<24} {:>7} {:>10} {:>10} {:>10}",
        "route", "count", "p50", "p99", "max"
    );
    for (route, mut took) in routes {
        took.sort();
        println!(
            "{route:<24} {:>7} {:>10} {:>10} {:>10}",
            took.len(),
            ms(percentile(&took, 0.5)),
            ms(percentile(&took, 0.99)),
            ms(percentile(&took, 1.0))
        );
    }
    assert!(errors.is_empty(), "errors: {errors:#?}");
    let sent_by_members = timings
        .iter()
        .filter(|(route, _, _)| *route == "send_message")
        .count();
    assert!(
        sent_by_members > 0 && timings.len() > people * 5,
        "the crowd did its rounds"
    );
}
