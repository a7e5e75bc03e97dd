//! Artists over HTTP: the editor's server functions, public pages, search, photos, limits.

use crate::common::{TestApp, client, json_of, spawn_app, spawn_app_with};
use concerts::{
    artists::{
        self,
        model::{OfferForm, ProfileForm},
        profile::ValidProfile,
    },
    auth::{
        accounts::create_confirmed_account,
        model::{Email, Role},
    },
    db::now_ms,
};
use reqwest::{
    Client,
    multipart::{Form, Part},
};
use serde_json::Value;

/// Signs up an artist on a fresh client and saves `fields` as their profile.
async fn artist_with(app: &TestApp, email: &str, fields: &[(&str, &str)]) -> (Client, Value) {
    let browser = app.signed_up("artist", email).await;
    let saved = app.call(&browser, "save_artist_profile", fields).await;
    assert_eq!(saved.status(), 200, "profile saved");
    let profile = json_of(saved).await;
    (browser, profile)
}

/// A published profile with the given name, music types and region ("" for all of France).
async fn published(app: &TestApp, email: &str, name: &str, types: &str, region: &str) -> Value {
    let mut fields = vec![
        ("profile[stage_name]", name),
        ("profile[music_types]", types),
        ("profile[published]", "true"),
        ("profile[offers][0][title]", "Concert en salon"),
        ("profile[offers][0][price_text]", "400 €"),
    ];
    if region.is_empty() {
        fields.push(("profile[whole_france]", "true"));
    } else {
        // Sparse indexes, as the editor's checkboxes send them.
        fields.push(("profile[regions][7]", region));
    }
    artist_with(app, email, &fields).await.1
}

async fn search(app: &TestApp, music_type: &str, city: &str, page: &str) -> Value {
    let response = app
        .call(
            &client(),
            "search_artists",
            &[("music_type", music_type), ("city", city), ("page", page)],
        )
        .await;
    assert_eq!(response.status(), 200);
    json_of(response).await
}

fn names(results: &Value) -> Vec<String> {
    results["results"]["artists"]
        .as_array()
        .expect("artists")
        .iter()
        .map(|card| card["stage_name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn electro_finds_electro_whatever_the_accents_and_case() {
    let app = spawn_app().await;
    published(
        &app,
        "a@exemple.fr",
        "Nuit Blanche",
        "Électro, Ambient",
        "84",
    )
    .await;
    published(
        &app,
        "b@exemple.fr",
        "Trio Garance",
        "Musique classique",
        "84",
    )
    .await;

    for typed in ["electro", "ÉLECTRO", "Electro", "élec"] {
        assert_eq!(
            names(&search(&app, typed, "", "1").await),
            ["Nuit Blanche"],
            "{typed}"
        );
    }
    assert_eq!(
        names(&search(&app, "classique", "", "1").await),
        ["Trio Garance"]
    );
    assert!(names(&search(&app, "reggae", "", "1").await).is_empty());
    // FTS5 syntax typed by a visitor is just words, never an error.
    assert!(names(&search(&app, "\"electro* OR (", "", "1").await).len() <= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_music_type_outranks_a_stage_name_which_outranks_a_mention_in_the_texts() {
    let app = spawn_app().await;
    // Saved first to last, so that newest-first order would be the reverse of the ranking.
    published(&app, "type@exemple.fr", "Quartette Nocturne", "Jazz", "").await;
    published(&app, "nom@exemple.fr", "Jazz Band Sud", "Swing", "").await;
    artist_with(
        &app,
        "texte@exemple.fr",
        &[
            ("profile[stage_name]", "Les Cordes"),
            ("profile[music_types]", "Classique"),
            (
                "profile[presentation]",
                "Nous jouons aussi un peu de jazz manouche, jamais de rock.",
            ),
            ("profile[whole_france]", "true"),
            ("profile[published]", "true"),
        ],
    )
    .await;
    // "jazz" begins one indexed word: PostgreSQL counts it from the words' counts, then
    // reads the page tier by tier. "ja" begins two ("jazz", "jamais"): its count reads every
    // match, ranked.
    for typed in ["jazz", "ja"] {
        assert_eq!(
            names(&search(&app, typed, "", "1").await),
            ["Quartette Nocturne", "Jazz Band Sud", "Les Cordes"],
            "{typed}"
        );
    }
}

/// On PostgreSQL a page does not read a tier that the words' counts show no artist reaches
/// ("concert", in every offer's title here, among no music type or name at first): those
/// counts per tier must follow every save, or a page would miss the artists of a tier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tier_known_empty_is_read_again_once_a_save_fills_it() {
    let app = spawn_app().await;
    let profile = |name: &'static str, types: &'static str| {
        vec![
            ("profile[stage_name]", name),
            ("profile[music_types]", types),
            ("profile[offers][0][title]", "Concert en salon"),
            ("profile[offers][0][price_text]", "400 €"),
            ("profile[whole_france]", "true"),
            ("profile[published]", "true"),
        ]
    };
    let (cordes, _) = artist_with(&app, "c@exemple.fr", &profile("Les Cordes", "Classique")).await;
    let (trio, _) = artist_with(&app, "t@exemple.fr", &profile("Trio Sud", "Swing")).await;
    let concert = || async { names(&search(&app, "concert", "", "1").await) };
    assert_eq!(concert().await, ["Trio Sud", "Les Cordes"], "newest first");

    // The name's tier filled, then the music types' (each save lists the artist newest).
    let renamed = profile("Concert Baroque", "Classique");
    assert_eq!(resave(&app, &cordes, &renamed).await, 200);
    assert_eq!(
        resave(&app, &trio, &profile("Trio Sud", "Swing")).await,
        200
    );
    assert_eq!(concert().await, ["Concert Baroque", "Trio Sud"]);
    assert_eq!(
        resave(&app, &trio, &profile("Trio Sud", "Musique de concert")).await,
        200
    );
    assert_eq!(resave(&app, &cordes, &renamed).await, 200);
    assert_eq!(concert().await, ["Trio Sud", "Concert Baroque"]);

    // Two among the music types, then one no longer: the other still ranks first.
    let cordes_types = profile("Les Cordes", "Concert baroque");
    assert_eq!(resave(&app, &cordes, &cordes_types).await, 200);
    assert_eq!(
        resave(&app, &trio, &profile("Trio Sud", "Swing")).await,
        200
    );
    assert_eq!(concert().await, ["Les Cordes", "Trio Sud"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_finds_artists_of_its_region_and_of_all_france_only() {
    let app = spawn_app().await;
    published(&app, "aura@exemple.fr", "Les Gones", "Rock", "84").await;
    published(&app, "france@exemple.fr", "Partout Trio", "Rock", "").await;
    published(&app, "bzh@exemple.fr", "Breizh Band", "Rock", "53").await;

    for city in ["Lyon", "lyon", "69001", "Lyon (69)", "Villeurbanne"] {
        let results = search(&app, "", city, "1").await;
        let mut found = names(&results);
        found.sort();
        assert_eq!(found, ["Les Gones", "Partout Trio"], "{city}");
        assert_eq!(results["city"]["region"]["name"], "Auvergne-Rhône-Alpes");
    }
    let mut rennes = names(&search(&app, "rock", "Rennes", "1").await);
    rennes.sort();
    assert_eq!(rennes, ["Breizh Band", "Partout Trio"]);

    let unknown = app
        .call(&client(), "search_artists", &[("city", "Zzyzx-sur-Mer")])
        .await;
    assert_eq!(unknown.status(), 422);
    let error = json_of(unknown).await;
    assert_eq!(error["field"], "ville");
    assert!(error["message"].as_str().unwrap().contains("Zzyzx-sur-Mer"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_results_are_paginated_without_overlap() {
    let app = spawn_app().await;
    for n in 1..=23 {
        published(
            &app,
            &format!("p{n}@exemple.fr"),
            &format!("Groupe {n}"),
            "Folk",
            "",
        )
        .await;
    }
    // Found by their texts only: the last tier, after the 23 whose music type is folk, so
    // page 2 starts in one tier and ends in another.
    for n in 1..=5 {
        artist_with(
            &app,
            &format!("t{n}@exemple.fr"),
            &[
                ("profile[stage_name]", &format!("Texte {n}")),
                ("profile[music_types]", "Chanson"),
                (
                    "profile[presentation]",
                    "Un peu de folk aussi, et de la folie.",
                ),
                ("profile[whole_france]", "true"),
                ("profile[published]", "true"),
            ],
        )
        .await;
    }
    // "folk" begins one indexed word, "fol" two ("folk", "folie"): on PostgreSQL, a page read
    // tier by tier, and one taken from the count's ranked matches.
    for typed in ["folk", "fol"] {
        let first = search(&app, typed, "", "1").await;
        let second = search(&app, typed, "", "2").await;
        assert_eq!(first["results"]["total"], 28);
        assert_eq!(first["results"]["page_count"], 2);
        let newest_first: Vec<String> = (4..=23).rev().map(|n| format!("Groupe {n}")).collect();
        assert_eq!(names(&first), newest_first, "{typed}");
        let second_names = names(&second);
        assert_eq!(second_names.len(), 8);
        assert!(
            second_names[..3]
                .iter()
                .all(|name| name.starts_with("Groupe"))
        );
        assert_eq!(
            second_names[3..],
            ["Texte 5", "Texte 4", "Texte 3", "Texte 2", "Texte 1"],
            "the texts' tier last, newest first ({typed})"
        );
        let mut all: Vec<String> = names(&first).into_iter().chain(second_names).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 28, "every artist once ({typed})");

        let past_the_end = search(&app, typed, "", "9").await;
        assert_eq!(past_the_end["results"]["page"], 2, "the last page instead");
        assert_eq!(names(&past_the_end), names(&second));
    }

    let listed = json_of(app.call(&client(), "list_artists", &[("page", "2")]).await).await;
    assert_eq!(listed["page"], 2);
    assert_eq!(listed["artists"].as_array().unwrap().len(), 8);
    let page = app.html(&client(), "/artistes?page=2").await;
    assert!(page.contains("Page 2 sur 2"));
    assert!(page.contains("href=\"/artistes?page=1\""));
}

/// Saves `count` published profiles straight through the store (signing each artist up over
/// HTTP would take minutes): "Fanfare {first}" to "Fanfare {first + count - 1}", all of
/// France, saved in that order, the `n`th playing `music_type(n)`.
async fn many_published(
    app: &TestApp,
    first: usize,
    count: usize,
    music_type: fn(usize) -> String,
) {
    let db = &app.state.db;
    let now = now_ms();
    for n in first..first + count {
        let email = Email::parse(&format!("fanfare{n}@exemple.fr")).expect("an address");
        // Nobody signs in: any string does as a password hash.
        let id = create_confirmed_account(db, Role::Artist, &email, "aucun", now)
            .await
            .expect("an account");
        let form = ProfileForm {
            stage_name: format!("Fanfare {n}"),
            music_types: music_type(n),
            whole_france: true,
            offers: vec![OfferForm {
                title: "Concert en salon".to_owned(),
                price_text: "400 €".to_owned(),
                ..OfferForm::default()
            }],
            published: true,
            ..ProfileForm::default()
        };
        let profile = ValidProfile::parse(&form, &[]).expect("a valid profile");
        artists::store::save(db, id, &profile, None, now)
            .await
            .expect("saved");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_a_thousand_matches_the_count_says_more_and_pages_stop_at_fifty() {
    let app = spawn_app().await;
    many_published(&app, 1, 1000, |_| "Fanfare".to_owned()).await;
    let exactly = search(&app, "fanfare", "Lyon", "1").await;
    assert_eq!(exactly["results"]["total"], 1000);
    assert_eq!(exactly["results"]["more_than_total"], false);
    assert!(
        app.html(&client(), "/artistes")
            .await
            .contains(">1\u{202f}000 artistes<")
    );

    many_published(&app, 1001, 1, |_| "Fanfare".to_owned()).await;
    let results = search(&app, "fanfare", "Lyon", "51").await;
    assert_eq!(results["results"]["total"], 1000);
    assert_eq!(results["results"]["more_than_total"], true);
    assert_eq!(results["results"]["page_count"], 50);
    assert_eq!(results["results"]["page"], 50, "the last page counted");
    assert_eq!(names(&results).len(), 20);
    let everything = json_of(app.call(&client(), "list_artists", &[]).await).await;
    assert_eq!(everything["more_than_total"], true);
    assert_eq!(
        everything["artists"][0]["stage_name"], "Fanfare 1001",
        "newest first"
    );
    let page = app.html(&client(), "/artistes").await;
    assert!(page.contains("Plus de 1\u{202f}000 artistes"), "{page}");
    assert!(page.contains("Page 1 sur 50"));
}

/// The number of artists a search finds (`total`, exact below 1,000).
async fn total(app: &TestApp, music_type: &str, city: &str) -> Value {
    search(app, music_type, city, "1").await["results"]["total"].clone()
}

/// Saves `fields` as the profile of the artist signed in on `browser`; the answer's status.
async fn resave(app: &TestApp, browser: &Client, fields: &[(&str, &str)]) -> u16 {
    let saved = app.call(browser, "save_artist_profile", fields).await;
    saved.status().as_u16()
}

/// Checks the total of each (music type, city) search.
async fn assert_totals(app: &TestApp, expected: &[(&str, &str, u32)]) {
    for (typed, city, count) in expected {
        assert_eq!(total(app, typed, city).await, *count, "{typed} {city}");
    }
}

/// PostgreSQL counts a word typed from the counts of the indexed words it begins (kept by
/// triggers on each save), and searches the others through the full-text index: every way
/// must give the same totals as the index itself, before and after edits and unpublishing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_follow_every_save_whichever_way_the_words_are_counted() {
    let app = spawn_app().await;
    let profile = |name: &'static str, types: &'static str, region: &'static str, on: bool| {
        let mut fields = vec![
            ("profile[stage_name]", name),
            ("profile[music_types]", types),
            ("profile[offers][0][title]", "Concert en salon"),
            ("profile[offers][0][price_text]", "400 €"),
        ];
        fields.push(match region {
            "" => ("profile[whole_france]", "true"),
            code => ("profile[regions][0]", code),
        });
        if on {
            fields.push(("profile[published]", "true"));
        }
        fields
    };
    let (quartette, _) = artist_with(
        &app,
        "q@exemple.fr",
        &profile("Quartette", "Jazz manouche", "84", true),
    )
    .await;
    artist_with(
        &app,
        "j@exemple.fr",
        &profile("Les Jazzy", "Jazzy", "", true),
    )
    .await;
    let (brest, _) = artist_with(
        &app,
        "b@exemple.fr",
        &profile("Brest Swing", "Swing, Jazz manouche", "53", true),
    )
    .await;
    // "jazz" begins two indexed words, "manouche" one; Lyon is in region 84, Rennes in 53.
    let expected = [
        ("jazz", "", 3),
        ("manouche", "", 2),
        ("manouche", "Lyon", 1),
        ("jazzy", "Lyon", 1),
        ("jazz", "Rennes", 2),
        ("manouche swing", "", 1),
        ("celtique", "", 0),
    ];
    assert_totals(&app, &expected).await;

    let quartette_rock = profile("Quartette", "Rock", "84", true);
    assert_eq!(resave(&app, &quartette, &quartette_rock).await, 200);
    let brest_draft = profile("Brest Swing", "Swing", "53", false);
    assert_eq!(resave(&app, &brest, &brest_draft).await, 200);
    assert_totals(
        &app,
        &[
            ("jazz", "", 1),
            ("manouche", "", 0),
            ("manouche", "Lyon", 0),
            ("rock", "Lyon", 1),
            ("swing", "", 0),
        ],
    )
    .await;
    let brest_published = profile("Brest Swing", "Swing", "53", true);
    assert_eq!(resave(&app, &brest, &brest_published).await, 200);
    assert_eq!(total(&app, "swing", "Rennes").await, 1);

    // A prefix that begins more words than PostgreSQL lists is searched as a prefix.
    many_published(&app, 1, 40, |n| format!("Jazz{n}")).await;
    // And Les Jazzy, all of France too.
    assert_eq!(total(&app, "jazz", "").await, 41);
    assert_eq!(total(&app, "jazz", "Rennes").await, 41);
    assert_eq!(
        total(&app, "jazz1", "").await,
        11,
        "jazz1, jazz10 to jazz19"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slugs_are_readable_unique_and_stable() {
    let app = spawn_app().await;
    let first = published(&app, "a@exemple.fr", "Les Frères Étoile", "Swing", "").await;
    let (second_client, second) = artist_with(
        &app,
        "b@exemple.fr",
        &[("profile[stage_name]", "Les frères étoile !")],
    )
    .await;
    assert_eq!(first["slug"], "les-freres-etoile");
    assert_eq!(second["slug"], "les-freres-etoile-2");

    // Renaming keeps the address that was already shared.
    let renamed = app
        .call(
            &second_client,
            "save_artist_profile",
            &[("profile[stage_name]", "Étoile Filante")],
        )
        .await;
    assert_eq!(json_of(renamed).await["slug"], "les-freres-etoile-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_refused_by_field_and_changes_nothing() {
    let app = spawn_app().await;
    let (browser, saved) = artist_with(
        &app,
        "a@exemple.fr",
        &[
            ("profile[stage_name]", "Avant"),
            ("profile[presentation]", "Le texte d'avant."),
        ],
    )
    .await;
    let too_long_name = "N".repeat(81);
    let too_long_text = "é".repeat(5001);
    let too_many_types = (0..13)
        .map(|n| format!("type{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("profile[stage_name]", "   ")], "profile[stage_name]"),
        (
            vec![("profile[stage_name]", &too_long_name)],
            "profile[stage_name]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[presentation]", &too_long_text),
            ],
            "profile[presentation]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[music_types]", &too_many_types),
            ],
            "profile[music_types]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[links][spotify]", "https://evil.example/spotify"),
            ],
            "profile[links][spotify]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[offers][0][description]", "sans titre"),
            ],
            "profile[offers][0][title]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[offers][0][title]", "Salon"),
                ("profile[offers][0][price_min_eur]", "beaucoup"),
            ],
            "profile[offers][0][price_min_eur]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[base_city]", "Atlantide"),
            ],
            "profile[base_city]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[regions][0]", "99"),
            ],
            "profile[regions]",
        ),
        (
            vec![
                ("profile[stage_name]", "Après"),
                ("profile[published]", "true"),
            ],
            "profile[regions]",
        ),
    ];
    for (fields, field) in cases {
        let response = app.call(&browser, "save_artist_profile", &fields).await;
        assert_eq!(response.status(), 422, "{field}");
        let error = json_of(response).await;
        assert_eq!(error["field"], field);
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let now = json_of(app.call(&browser, "my_artist_profile", &[]).await).await;
    assert_eq!(now, saved, "nothing changed");

    let huge = "a".repeat(concerts::server::BODY_LIMIT_BYTES + 1);
    let response = app
        .call(
            &browser,
            "save_artist_profile",
            &[("profile[stage_name]", &huge)],
        )
        .await;
    assert_eq!(response.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_artists_edit_and_a_draft_is_seen_by_its_owner_only() {
    let app = spawn_app().await;
    let anonymous = app
        .call(
            &client(),
            "save_artist_profile",
            &[("profile[stage_name]", "X")],
        )
        .await;
    assert_eq!(anonymous.status(), 401);
    let host = app.signed_up_unconfirmed("host", "hote@exemple.fr").await;
    let as_host = app
        .call(
            &host,
            "save_artist_profile",
            &[("profile[stage_name]", "X")],
        )
        .await;
    assert_eq!(as_host.status(), 404);

    let (owner, draft) = artist_with(
        &app,
        "draft@exemple.fr",
        &[
            ("profile[stage_name]", "Brouillon Secret"),
            ("profile[music_types]", "Secretcore"),
        ],
    )
    .await;
    assert_eq!(draft["published"], false);
    let slug = draft["slug"].as_str().unwrap();
    let other_artist = app
        .signed_up_unconfirmed("artist", "autre@exemple.fr")
        .await;
    for stranger in [&client(), &host, &other_artist] {
        let response = app
            .call(stranger, "artist_profile", &[("slug", slug)])
            .await;
        assert_eq!(response.status(), 404);
        let page = stranger
            .get(app.url(&format!("/artistes/{slug}")))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(!page.text().await.unwrap().contains("Brouillon Secret"));
    }
    let own = app.call(&owner, "artist_profile", &[("slug", slug)]).await;
    assert_eq!(own.status(), 200);
    assert!(
        app.html(&owner, &format!("/artistes/{slug}"))
            .await
            .contains("Brouillon : vous seul voyez cette page")
    );

    assert!(names(&search(&app, "secretcore", "", "1").await).is_empty());
    assert!(!app.html(&client(), "/sitemap.xml").await.contains(slug));
    let suggestions = json_of(app.call(&client(), "music_type_suggestions", &[]).await).await;
    assert!(
        !suggestions.to_string().contains("Secretcore"),
        "drafts suggest nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_carry_seo_tags_and_escape_what_artists_write() {
    let app = spawn_app().await;
    let profile = {
        let (_, profile) = artist_with(
            &app,
            "seo@exemple.fr",
            &[
                (
                    "profile[stage_name]",
                    "Les <b>Gras</b></title><script>alert(3)</script>",
                ),
                (
                    "profile[presentation]",
                    "Bonjour <script>alert(1)</script> </script><img src=x onerror=alert(2)>",
                ),
                ("profile[music_types]", "Jazz"),
                ("profile[whole_france]", "true"),
                ("profile[published]", "true"),
            ],
        )
        .await;
        profile
    };
    let slug = profile["slug"].as_str().unwrap();
    let page = app.html(&client(), &format!("/artistes/{slug}")).await;
    let title = page
        .split("<title>")
        .nth(1)
        .and_then(|rest| rest.split("</title>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(
        title.starts_with("Les &lt;b>Gras&lt;/b>&lt;/title>&lt;script>"),
        "{title}"
    );
    assert!(!page.contains("<script>alert(3)"));
    assert!(page.contains("property=\"og:title\""));
    assert!(page.contains("name=\"description\""));
    assert!(page.contains("rel=\"canonical\""));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"));
    assert!(!page.contains("<img src=x"));
    let json_ld = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a JSON-LD block");
    let data: Value = serde_json::from_str(json_ld).expect("valid JSON-LD, not cut short");
    assert_eq!(data["@type"], "MusicGroup");
    assert_eq!(
        data["name"],
        "Les <b>Gras</b></title><script>alert(3)</script>"
    );

    let sitemap = app.html(&client(), "/sitemap.xml").await;
    assert!(sitemap.contains(&format!("/artistes/{slug}</loc>")));
    let robots = app.html(&client(), "/robots.txt").await;
    assert!(robots.contains("Sitemap: ") && robots.contains("Disallow: /profil"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_works_as_a_plain_get_page() {
    let app = spawn_app().await;
    published(&app, "a@exemple.fr", "Les Gones", "Électro", "84").await;
    let page = app
        .html(&client(), "/recherche?type=electro&ville=69001")
        .await;
    assert!(page.contains("Les Gones"));
    assert!(page.contains("1 artiste"));
    assert!(page.contains("Lyon (69), Auvergne-Rhône-Alpes"));
    let nowhere = app
        .html(&client(), "/recherche?type=electro&ville=Atlantide")
        .await;
    assert!(nowhere.contains("Nous ne trouvons pas de commune «\u{a0}Atlantide\u{a0}»"));
    let nothing = app.html(&client(), "/recherche?type=polka").await;
    assert!(nothing.contains("Aucun artiste ne correspond"));
}

/// The labels of a list of communes in a search's answer.
fn labels(cities: &Value) -> Vec<String> {
    cities
        .as_array()
        .expect("a list")
        .iter()
        .map(|city| {
            let (name, department) = (&city["name"], &city["department"]);
            format!(
                "{} ({})",
                name.as_str().unwrap(),
                department.as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_city_name_offers_every_commune_and_a_misspelt_one_the_nearest() {
    let app = spawn_app().await;
    published(&app, "a@exemple.fr", "Les Dionysiens", "Rap", "11").await;

    // Four communes are called Saint-Denis: results for the most populous, all four offered.
    for typed in ["Saint-Denis", "saint denis", "Saint-Dénis"] {
        let found = search(&app, "", typed, "1").await;
        assert_eq!(found["city"]["department"], "974", "{typed}");
        assert_eq!(
            labels(&found["same_name"]),
            [
                "Saint-Denis (974)",
                "Saint-Denis (93)",
                "Saint-Denis (11)",
                "Saint-Denis (30)"
            ],
            "{typed}: most populous first"
        );
    }
    // Choosing one of them searches there, and still offers the others.
    let chosen = search(&app, "", "Saint-Denis (93)", "1").await;
    assert_eq!(chosen["city"]["region"]["name"], "Île-de-France");
    assert_eq!(names(&chosen), ["Les Dionysiens"]);
    assert_eq!(chosen["same_name"].as_array().unwrap().len(), 4);
    // A name no other commune bears, and a postal code, are no question.
    for typed in ["Lyon", "69001"] {
        let found = search(&app, "", typed, "1").await;
        assert_eq!(found["city"]["name"], "Lyon");
        assert_eq!(found["same_name"], serde_json::json!([]), "{typed}");
    }

    let refused = |typed: &'static str| {
        let app = &app;
        async move {
            let response = app
                .call(&client(), "search_artists", &[("city", typed)])
                .await;
            assert_eq!(response.status(), 422, "{typed}");
            json_of(response).await
        }
    };
    let misspelt = refused("Marseile").await;
    assert_eq!(misspelt["field"], "ville");
    assert_eq!(misspelt["choices"][0], "Marseille (13)");
    assert!(
        misspelt["message"]
            .as_str()
            .unwrap()
            .contains("Vouliez-vous dire Marseille (13)"),
        "{misspelt}"
    );
    assert_eq!(refused("Bordaux").await["choices"][0], "Bordeaux (33)");
    // The start of a name is the town it starts, unless a typo away lies a larger one.
    for (typed, meant) in [("Lyo", "Lyon"), ("Marseil", "Marseille")] {
        assert_eq!(search(&app, "", typed, "1").await["city"]["name"], meant);
    }
    let toulouse = refused("Toulouze").await;
    assert_eq!(toulouse["choices"][0], "Toulouse (31)", "{toulouse}");
    assert!(
        toulouse["choices"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("Toulouzette (40)"))
    );
    assert_eq!(
        refused("Strasbourgg").await["choices"][0],
        "Strasbourg (67)"
    );
    // The name exists, not in that département: its namesakes are offered.
    let elsewhere = refused("Saint-Denis (75)").await;
    assert_eq!(elsewhere["choices"][0], "Saint-Denis (974)");
    assert_eq!(elsewhere["choices"].as_array().unwrap().len(), 4);
    // Nothing near: no choice to make, advice instead.
    let nowhere = refused("Qwxzqwxz").await;
    assert_eq!(nowhere.get("choices"), None, "{nowhere}");
    assert!(nowhere["message"].as_str().unwrap().contains("code postal"));

    // The page, for a visitor without the app: the choices are links that search there.
    let shared = app
        .html(&client(), "/recherche?type=rap&ville=Saint-Denis")
        .await;
    assert!(
        shared.contains("4 communes s'appellent Saint-Denis"),
        "{shared}"
    );
    assert!(
        shared.contains(r#"ville=Saint-Denis+%2893%29""#),
        "{shared}"
    );
    assert!(shared.contains(r#"aria-current="page">Saint-Denis (974)</a>"#));
    let near = app
        .html(&client(), "/recherche?type=rap&ville=Marseile")
        .await;
    assert!(near.contains(r#"ville=Marseille+%2813%29""#), "{near}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn city_autocomplete_prefers_larger_towns_and_ignores_accents() {
    let app = spawn_app().await;
    let suggest = |query: &'static str| {
        let app = &app;
        async move {
            let cities = json_of(
                app.call(&client(), "suggest_cities", &[("query", query)])
                    .await,
            )
            .await;
            cities
                .as_array()
                .expect("a list")
                .iter()
                .map(|city| {
                    format!(
                        "{} ({})",
                        city["name"].as_str().unwrap(),
                        city["department"].as_str().unwrap()
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        suggest("lyo").await.first().map(String::as_str),
        Some("Lyon (69)")
    );
    assert_eq!(
        suggest("sete").await.first().map(String::as_str),
        Some("Sète (34)")
    );
    assert_eq!(
        suggest("saint etienne").await.first().map(String::as_str),
        Some("Saint-Étienne (42)")
    );
    assert_eq!(suggest("69001").await, ["Lyon (69)"]);
    assert_eq!(suggest("sa").await.len(), 10);
    assert!(suggest("").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_commune_keys_match_what_the_server_computes() {
    let app = spawn_app().await;
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT name, search_key FROM communes")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(rows.len() > 34_000, "about 35,000 communes: {}", rows.len());
    let mismatched: Vec<&(String, String)> = rows
        .iter()
        .filter(|(name, key)| concerts::text::search_key(name) != *key)
        .collect();
    assert!(mismatched.is_empty(), "{mismatched:?}");
    let regions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(regions, 18);
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([120, 40, 60]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn try_upload(
    app: &TestApp,
    browser: &Client,
    bytes: Vec<u8>,
    file_name: &str,
) -> reqwest::Result<reqwest::Response> {
    let form = Form::new().part("photo", Part::bytes(bytes).file_name(file_name.to_owned()));
    browser
        .post(app.url("/api/upload_artist_photo"))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
}

async fn upload(
    app: &TestApp,
    browser: &Client,
    bytes: Vec<u8>,
    file_name: &str,
) -> reqwest::Response {
    try_upload(app, browser, bytes, file_name)
        .await
        .expect("upload sent")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_reencoded_and_bad_uploads_leave_the_profile_unchanged() {
    let app = spawn_app().await;
    let (browser, _) = artist_with(
        &app,
        "photo@exemple.fr",
        &[("profile[stage_name]", "Photogénique")],
    )
    .await;

    let first = upload(&app, &browser, png(1600, 900), "groupe.png").await;
    assert_eq!(first.status(), 200);
    let photo = json_of(first).await;
    let url = photo["url"].as_str().unwrap().to_owned();
    let served = client().get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let large = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((large.width(), large.height()), (1200, 675));
    let thumbnail = client()
        .get(app.url(photo["thumbnail_url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), 200);
    let before = json_of(app.call(&browser, "my_artist_profile", &[]).await).await;

    let refusals: Vec<(Vec<u8>, &str, u16, &str)> = vec![
        (
            b"#!/bin/sh\necho hello\n".to_vec(),
            "photo.jpg",
            422,
            "n'est pas une image",
        ),
        (
            png(1600, 900)[..300].to_vec(),
            "coupee.png",
            422,
            "illisible",
        ),
        (
            vec![0xFF; 6 * 1024 * 1024],
            "grosse.jpg",
            422,
            "dépasse 5 Mo",
        ),
    ];
    for (bytes, name, status, message) in refusals {
        let response = upload(&app, &browser, bytes, name).await;
        assert_eq!(response.status(), status, "{name}");
        let error = json_of(response).await;
        assert!(
            error["message"].as_str().unwrap().contains(message),
            "{name}: {error}"
        );
    }
    // Past the body limit the server answers 413 without reading the rest, and may close
    // the connection while the client is still sending: either way, nothing is stored.
    match try_upload(&app, &browser, vec![0xFF; 9 * 1024 * 1024], "enorme.jpg").await {
        Ok(response) => {
            assert_eq!(response.status(), 413);
            let error = json_of(response).await;
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .contains("trop volumineux")
            );
        }
        Err(error) => assert!(!error.is_status() && !error.is_decode(), "{error}"),
    }
    let after = json_of(app.call(&browser, "my_artist_profile", &[]).await).await;
    assert_eq!(after, before, "the profile and its photo are unchanged");

    // A new photo replaces the old one, whose files are removed.
    let second = json_of(upload(&app, &browser, png(800, 800), "autre.png").await).await;
    assert_ne!(second["url"], photo["url"]);
    assert_eq!(
        client().get(app.url(&url)).send().await.unwrap().status(),
        404
    );

    let host = app.signed_up_unconfirmed("host", "hote@exemple.fr").await;
    assert_eq!(
        upload(&app, &host, png(400, 400), "x.png").await.status(),
        404
    );
    assert_eq!(
        upload(&app, &client(), png(400, 400), "x.png")
            .await
            .status(),
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_refused_save_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let (browser, _) = artist_with(
        &app,
        "sansjs@exemple.fr",
        &[("profile[stage_name]", "Avant")],
    )
    .await;
    let editor = app.url("/profil");
    let response = app
        .post_plain_form(
            &browser,
            "save_artist_profile",
            &editor,
            &[
                ("profile[stage_name]", "Les Sans Script"),
                (
                    "profile[presentation]",
                    "Un long texte écrit avec soin, à ne pas perdre.",
                ),
                (
                    "profile[music_description]",
                    "</textarea><b id=\"injecte\">x</b>",
                ),
                ("profile[offers][0][description]", "Une formule sans titre"),
            ],
        )
        .await;
    assert_eq!(response.status(), 302);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&editor), "{back}");
    let page = app
        .html(&browser, back.trim_start_matches(&app.address))
        .await;
    assert!(
        page.contains("Donnez un titre à la formule n°\u{a0}1."),
        "the error is shown"
    );
    assert!(page.contains("Un long texte écrit avec soin, à ne pas perdre."));
    assert!(page.contains(r#"value="Les Sans Script""#));
    assert!(page.contains("Une formule sans titre"));
    // What comes back is shown as text, never as markup.
    assert!(page.contains("&lt;/textarea&gt;&lt;b id=\"injecte\"&gt;x&lt;/b&gt;"));
    assert!(!page.contains("<b id=\"injecte\">"));
    let saved = json_of(app.call(&browser, "my_artist_profile", &[]).await).await;
    assert_eq!(saved["stage_name"], "Avant", "nothing was saved");
}

/// One offer too many is refused under that offer's title, where the person sees it (an
/// error naming the list of offers had no input to show under, and showed nowhere).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_offer_too_many_is_refused_where_it_shows() {
    let app = spawn_app().await;
    let (browser, _) = artist_with(
        &app,
        "formules@exemple.fr",
        &[("profile[stage_name]", "Les Nombreux")],
    )
    .await;
    let names: Vec<String> = (0..11)
        .map(|index| format!("profile[offers][{index}][title]"))
        .collect();
    let mut form = vec![("profile[stage_name]", "Les Nombreux")];
    form.extend(names.iter().map(|name| (name.as_str(), "Une formule")));
    let editor = app.url("/profil");
    let response = app
        .post_plain_form(&browser, "save_artist_profile", &editor, &form)
        .await;
    assert_eq!(response.status(), 302);
    let page = app.html(&browser, "/profil").await;
    assert!(
        page.contains("10 formules de concert au plus : retirez celle-ci ou une autre."),
        "the refusal is shown"
    );
    let refused = app.call(&browser, "save_artist_profile", &form).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        json_of(refused).await["field"],
        "profile[offers][10][title]"
    );
}

/// A form missing its fields is the client's to fix: 422 with the French message, not a 500
/// (which says the server failed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_with_fields_missing_is_refused_with_422() {
    let app = spawn_app().await;
    let browser = app.signed_up("artist", "vide@exemple.fr").await;
    for form in [vec![], vec![("autre", "x")]] {
        let refused = app.call(&browser, "save_artist_profile", &form).await;
        assert_eq!(refused.status(), 422, "{form:?}");
        let error = json_of(refused).await;
        assert_eq!(error["code"], "invalid");
        assert_eq!(
            error["message"],
            "Le formulaire envoyé est incomplet ou mal formé."
        );
    }
}

/// Posts a photo as a browser without JavaScript does; returns where it is sent back to,
/// after checking it is the editor.
async fn plain_upload(app: &TestApp, browser: &Client, bytes: Vec<u8>, file_name: &str) -> String {
    let editor = app.url("/profil");
    let form = Form::new().part("photo", Part::bytes(bytes).file_name(file_name.to_owned()));
    let response = browser
        .post(app.url("/api/upload_artist_photo"))
        .header("accept", "text/html")
        .header("referer", &editor)
        .header("origin", &app.address)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&editor), "{back}");
    back.trim_start_matches(&app.address).to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_photo_upload_returns_to_the_editor() {
    let app = spawn_app().await;
    let (browser, _) = artist_with(
        &app,
        "photo-sansjs@exemple.fr",
        &[("profile[stage_name]", "Sans JS")],
    )
    .await;
    plain_upload(&app, &browser, png(600, 600), "groupe.png").await;
    let profile = json_of(app.call(&browser, "my_artist_profile", &[]).await).await;
    let url = profile["photo"]["url"].as_str().expect("a photo");
    assert!(app.html(&browser, "/profil").await.contains(url));

    // A refused file comes back to the editor with the reason.
    let back = plain_upload(&app, &browser, b"pas une image".to_vec(), "notes.jpg").await;
    let page = app.html(&browser, &back).await;
    assert!(
        page.contains("Ce fichier n&#x27;est pas une image")
            || page.contains("Ce fichier n'est pas une image"),
        "the reason is shown"
    );
    assert!(page.contains(url), "the photo is unchanged");
}

/// A picture claiming more than 40 million pixels is refused from its header alone, with a
/// French message; uploads are counted per artist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_picture_is_refused_at_once_and_uploads_are_limited() {
    let app = spawn_app_with(&[("PHOTO_UPLOADS_PER_HOUR", "3")]).await;
    let (browser, _) = artist_with(
        &app,
        "bombe@exemple.fr",
        &[("profile[stage_name]", "Grand Format")],
    )
    .await;
    // 12000 × 12000 black pixels of one bit: 18 MB once decoded as bits, 576 MB as RGBA.
    let mut header = Vec::new();
    let mut encoder = png::Encoder::new(&mut header, 12_000, 12_000);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![0; 1_500 * 12_000]).unwrap();
    writer.finish().unwrap();
    let started = std::time::Instant::now();
    let refused = upload(&app, &browser, header, "immense.png").await;
    println!("12000×12000 refused in {:?}", started.elapsed());
    assert_eq!(refused.status(), 422);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(error["field"], "photo");
    assert!(
        error["message"].as_str().unwrap().contains("trop grande"),
        "{error}"
    );

    for _ in 0..2 {
        assert_eq!(
            upload(&app, &browser, png(300, 300), "p.png")
                .await
                .status(),
            200
        );
    }
    let fourth = upload(&app, &browser, png(300, 300), "p.png").await;
    assert_eq!(fourth.status(), 429, "PHOTO_UPLOADS_PER_HOUR");
}
