//! `make bench`: search latency over 100,000 generated artists (`BENCH_ARTISTS`), through the
//! real server (HTTP POST /api/search_artists, as the browser and the mobile app call it), one
//! query at a time; on SQLite, or on PostgreSQL through `scripts/with-postgres.sh`.

#[path = "../tests/api/common/mod.rs"]
mod common;
#[path = "support/figures.rs"]
mod figures;

use concerts::{
    artists::{
        model::{OfferForm, PAGE_SIZE, ProfileForm},
        profile::ValidProfile,
        store,
    },
    auth::{
        accounts::create_confirmed_account,
        model::{Email, Role},
    },
    db::{Backend, Db, now_ms},
};
use figures::{ms, percentile};
use futures::StreamExt;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use sqlx::{Connection, Row};
use std::time::Instant;

/// Published artists generated, unless `BENCH_ARTISTS` says otherwise.
const ARTISTS: usize = 100_000;
const QUERIES_PER_SCENARIO: usize = 300;
const WARM_UP_QUERIES: usize = 30;

const GENRES: [&str; 40] = [
    "Jazz",
    "Jazz manouche",
    "Swing",
    "Blues",
    "Rock",
    "Folk",
    "Chanson française",
    "Électro",
    "House",
    "Techno",
    "Ambient",
    "Musique classique",
    "Baroque",
    "Musique de chambre",
    "Piano",
    "Reggae",
    "Dub",
    "Soul",
    "Funk",
    "Gospel",
    "Hip-hop",
    "Rap",
    "Pop",
    "Acoustique",
    "Flamenco",
    "Musique latine",
    "Salsa",
    "Cumbia",
    "Musiques du monde",
    "Afro",
    "Musique bretonne",
    "Musique irlandaise",
    "Accordéon",
    "Musette",
    "Chorale",
    "A cappella",
    "Jeune public",
    "Métal",
    "Punk",
    "Bossa nova",
];
const REGIONS: [&str; 13] = [
    "84", "27", "53", "24", "94", "44", "32", "11", "28", "75", "76", "52", "93",
];
const TYPED: [&str; 10] = [
    "jazz",
    "electro",
    "chanson",
    "classique",
    "rock",
    "folk",
    "musique",
    "bossa",
    "celtique",
    "swing manouche",
];
const CITIES: [&str; 10] = [
    "Lyon",
    "Paris",
    "Rennes",
    "Marseille",
    "69001",
    "Toulouse",
    "Lille",
    "Brest",
    "Nantes",
    "Strasbourg",
];

/// Misspelt cities: answered with the nearest communes' names (an edit distance over every
/// commune's name), not with results.
const MISSPELT: [&str; 6] = [
    "Marseile",
    "Bordaux",
    "Strasbourgg",
    "Toulouze",
    "Montpelier",
    "Saint-Etiene",
];

/// Draws one query: (music type, city).
type Scenario = fn(&mut StdRng) -> (String, String);

#[tokio::main]
async fn main() {
    let artists = std::env::var("BENCH_ARTISTS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(ARTISTS);
    let app = match common::postgres::server_url() {
        Some(server) => {
            let url = seeded_database(&server, artists).await;
            common::spawn_app_with(&[("DATABASE_URL", &url)]).await
        }
        None => common::spawn_app().await,
    };
    let started = Instant::now();
    let listed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM artists WHERE published = 1")
        .fetch_one(&app.state.db.pool)
        .await
        .expect("artists counted");
    match usize::try_from(listed) {
        Ok(0) => {
            seed(&app, artists).await;
            settle(&app.state.db).await;
            println!(
                "search bench: {artists} published artists generated in {:.1} s on {:?}",
                started.elapsed().as_secs_f64(),
                app.state.db.backend
            );
        }
        Ok(already) if already == artists => println!(
            "search bench: the {artists} published artists of an earlier run on {:?}",
            app.state.db.backend
        ),
        _ => panic!("{listed} artists in the bench's database, neither none nor {artists}"),
    }

    let http = common::client();
    let mut rng = StdRng::seed_from_u64(7);
    let scenarios: [(&str, Scenario); 7] = [
        ("type only", |rng| (pick(rng, &TYPED), String::new())),
        ("city only", |rng| (String::new(), pick(rng, &CITIES))),
        ("type + city", |rng| (pick(rng, &TYPED), pick(rng, &CITIES))),
        ("all, page 3", |_| (String::new(), String::new())),
        ("shared name", |_| (String::new(), "Saint-Denis".to_owned())),
        ("misspelt city", |rng| (String::new(), pick(rng, &MISSPELT))),
        // In every offer's title, in no music type or name: two tiers to find empty.
        ("offers' word", |_| ("concert".to_owned(), String::new())),
    ];
    println!(
        "{:<14} {:>9} {:>9} {:>9} {:>12}",
        "query", "p50", "p99", "max", "avg results"
    );
    // Untimed first: the first queries after seeding read the tables into PostgreSQL's (and
    // SQLite's) page cache, which a running site has warm.
    let mut warm_up = StdRng::seed_from_u64(8);
    for (_, make) in &scenarios {
        for _ in 0..WARM_UP_QUERIES {
            let (music_type, city) = make(&mut warm_up);
            app.call(
                &http,
                "search_artists",
                &[("music_type", &music_type), ("city", &city)],
            )
            .await;
        }
    }
    for (label, make) in scenarios {
        let mut timings = Vec::with_capacity(QUERIES_PER_SCENARIO);
        let mut found = 0u64;
        for _ in 0..QUERIES_PER_SCENARIO {
            let (music_type, city) = make(&mut rng);
            let page = if label.starts_with("all") { "3" } else { "1" };
            let start = Instant::now();
            let response = app
                .call(
                    &http,
                    "search_artists",
                    &[("music_type", &music_type), ("city", &city), ("page", page)],
                )
                .await;
            let body: serde_json::Value = response.json().await.expect("JSON results");
            timings.push(start.elapsed());
            if label == "misspelt city" {
                assert!(body["choices"].is_array(), "the nearest names: {body}");
            } else {
                found += body["results"]["total"].as_u64().expect("a total");
            }
        }
        timings.sort();
        println!(
            "{label:<14} {:>9} {:>9} {:>9} {:>12}",
            ms(percentile(&timings, 0.50)),
            ms(percentile(&timings, 0.99)),
            ms(*timings.last().expect("timings")),
            found / QUERIES_PER_SCENARIO as u64
        );
    }
    explain(&app.state.db).await;
}

/// Prints how the database runs each kind of search, its count then its page: SQLite's
/// query plan, PostgreSQL's plan as run (`EXPLAIN ANALYZE`, without timings).
async fn explain(db: &Db) {
    let searches = [
        ("type only", "jazz", None, 0),
        ("city only", "", Some("84"), 0),
        ("type + city", "jazz", Some("84"), 0),
        ("two words + city", "swing manouche", Some("84"), 0),
        ("all, page 3", "", None, 2 * PAGE_SIZE),
        ("offers' word", "concert", None, 0),
    ];
    for (label, words, region, offset) in searches {
        let filter = store::SearchFilter {
            words: words.to_owned(),
            region_code: region.map(str::to_owned),
        };
        let matching = store::matching(db, &filter).await.expect("words looked up");
        let counted = store::count(db, &matching).await.expect("a count");
        let (explain, column) = match db.backend {
            Backend::Sqlite => ("EXPLAIN QUERY PLAN", 3),
            Backend::Postgres => ("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)", 0),
        };
        // The count has no statement when the words' counts tell (PostgreSQL). A page reads
        // its tiers until it is full, unless the count read every match in order: the plan of
        // each tier, asked for a whole page.
        let count = store::count_sql(db.backend, &matching);
        if count.is_none() {
            println!(
                "plan of \"{label}\", count: {:?}, from the words' counts",
                counted.found
            );
        }
        let page = match &counted.ranked {
            Some(ids) => {
                println!(
                    "plan of \"{label}\", page: from the {} matches the count read",
                    ids.len()
                );
                Vec::new()
            }
            None => store::page_sql(db.backend, &matching, counted.found),
        };
        let parts =
            (count.map(|count| ("count".to_owned(), count, None)))
                .into_iter()
                .chain(page.into_iter().enumerate().map(|(n, statement)| {
                    (format!("page, part {}", n + 1), statement, Some(offset))
                }));
        for (part, statement, page) in parts {
            let text = format!("{explain} {}", statement.sql);
            let mut query = sqlx::query(&text);
            for value in &statement.binds {
                query = query.bind(value);
            }
            if let Some(offset) = page {
                query = query.bind(i64::from(PAGE_SIZE + offset));
            }
            let rows = query.fetch_all(&db.pool).await.expect("a plan");
            println!("plan of \"{label}\", {part}:");
            for row in rows {
                println!(
                    "  {}",
                    row.try_get::<String, _>(column).expect("a plan line")
                );
            }
        }
    }
}

/// PostgreSQL: the database of `artists` generated artists on this server, created (empty)
/// by the first bench run, so that another build's run beside it (`scripts/with-postgres.sh
/// sh -c 'search-a --bench; search-b --bench'`) times the same rows without generating them
/// again (15 minutes for 100,000).
async fn seeded_database(server: &str, artists: usize) -> String {
    let name = format!("bench_{artists}");
    let url = common::postgres::database_url(server, &name);
    let mut admin = sqlx::postgres::PgConnection::connect(server)
        .await
        .expect("PostgreSQL answers");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .expect("databases listed");
    if !exists {
        let fresh = common::postgres::fresh_database(server).await;
        let fresh_name = fresh.rsplit('/').next().expect("a database name");
        sqlx::query(&format!("ALTER DATABASE {fresh_name} RENAME TO {name}"))
            .execute(&mut admin)
            .await
            .expect("bench database named");
    }
    url
}

/// PostgreSQL: what autovacuum does within a minute of 100,000 inserts, done before timing
/// so that the figures are a running site's, not those of tables just filled (no visibility
/// map yet, so every index-only scan also reads the table; the GIN index's pending list not
/// merged, so every full-text query also reads it through).
async fn settle(db: &Db) {
    if db.backend == Backend::Postgres {
        sqlx::query("VACUUM ANALYZE")
            .execute(&db.pool)
            .await
            .expect("vacuumed");
    }
}

fn pick(rng: &mut StdRng, words: &[&str]) -> String {
    (*words.choose(rng).expect("words")).to_owned()
}

/// Creates `artists` published profiles: one at a time on SQLite (one writer anyway), eight
/// at once on PostgreSQL.
async fn seed(app: &common::TestApp, artists: usize) {
    let db = &app.state.db;
    let regions: Vec<String> = REGIONS.iter().map(|code| (*code).to_owned()).collect();
    let mut rng = StdRng::seed_from_u64(42);
    let now = now_ms();
    let writers = match db.backend {
        Backend::Sqlite => 1,
        Backend::Postgres => 8,
    };
    let profiles = (0..artists).map(|n| {
        let form = generated_profile(&mut rng, n);
        let profile = ValidProfile::parse(&form, &regions).expect("valid generated profile");
        (n, profile)
    });
    futures::stream::iter(profiles)
        .for_each_concurrent(writers, |(n, profile)| async move {
            let email = Email::parse(&format!("bench{n}@exemple.fr")).expect("email");
            // Nobody signs in: any string does as a password hash.
            let id = create_confirmed_account(db, Role::Artist, &email, "bench", now)
                .await
                .expect("account");
            store::save(db, id, &profile, None, now - n as i64)
                .await
                .expect("saved");
        })
        .await;
}

/// The `n`th artist: one to three music types among 40, one to three regions among 13 (or
/// all of France, one in ten), one to three offers.
fn generated_profile(rng: &mut StdRng, n: usize) -> ProfileForm {
    let type_count = rng.random_range(1..=3);
    let types: Vec<&str> = GENRES.choose_multiple(rng, type_count).copied().collect();
    let region_count = rng.random_range(1..=3);
    let whole_france = rng.random_bool(0.1);
    ProfileForm {
        stage_name: format!("Groupe {n}"),
        presentation: format!(
            "Nous jouons {} depuis {} ans, en salon comme en plein air.",
            types.join(" et ").to_lowercase(),
            rng.random_range(2..30)
        ),
        music_description: "Un répertoire pensé pour l'écoute de près.".to_owned(),
        music_types: types.join(", "),
        regions: if whole_france {
            Vec::new()
        } else {
            REGIONS
                .choose_multiple(rng, region_count)
                .map(|r| (*r).to_owned())
                .collect()
        },
        whole_france,
        offers: (0..rng.random_range(1..=3))
            .map(|k| OfferForm {
                title: format!("Formule {}", k + 1),
                price_text: format!("{} €", rng.random_range(1..20) * 100),
                description: "Concert acoustique, installation rapide.".to_owned(),
                ..OfferForm::default()
            })
            .collect(),
        published: true,
        ..ProfileForm::default()
    }
}
