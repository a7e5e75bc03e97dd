//! Host profiles: the editor's server functions and the confidentiality of `/hotes/{id}`.

use crate::common::{client, json_of, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_saves_a_profile_in_a_real_commune() {
    let app = spawn_app().await;
    let (host, profile) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    assert_eq!(profile["name"], "Famille Martin");
    assert_eq!(profile["city"]["name"], "Lyon");
    assert_eq!(profile["city"]["region"]["name"], "Auvergne-Rhône-Alpes");
    let own = json_of(app.call(&host, "my_host_profile", &[]).await).await;
    assert_eq!(own, profile);

    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("host[name]", " "), ("host[city]", "Lyon")], "host[name]"),
        (
            &[("host[name]", "X"), ("host[city]", "Atlantide")],
            "host[city]",
        ),
        (&[("host[name]", "X"), ("host[city]", "")], "host[city]"),
        (
            &[
                ("host[name]", "X"),
                ("host[city]", "Lyon"),
                ("host[description]", &"a".repeat(5001)),
            ],
            "host[description]",
        ),
    ];
    for (fields, field) in cases {
        let response = app.call(&host, "save_host_profile", fields).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(json_of(response).await["field"], field);
    }
    let unchanged = json_of(app.call(&host, "my_host_profile", &[]).await).await;
    assert_eq!(unchanged, profile, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_hosts_edit_a_host_profile() {
    let app = spawn_app().await;
    let fields = [("host[name]", "X"), ("host[city]", "Lyon")];
    assert_eq!(
        app.call(&client(), "save_host_profile", &fields)
            .await
            .status(),
        401
    );
    let artist = app.signed_up("artist", "artiste@exemple.fr").await;
    assert_eq!(
        app.call(&artist, "save_host_profile", &fields)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&artist, "my_host_profile", &[]).await.status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_profile_is_a_404_for_everyone_else() {
    let app = spawn_app().await;
    let (host, profile) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let id = profile["id"].to_string();
    let path = format!("/hotes/{id}");

    let own = app.call(&host, "host_profile", &[("id", &id)]).await;
    assert_eq!(own.status(), 200);
    let page = app.html(&host, &path).await;
    assert!(page.contains("Un grand salon, un piano droit, 40 places."));
    assert!(page.contains(r#"content="noindex, nofollow""#));

    let other_host = app.signed_up("host", "autre-hote@exemple.fr").await;
    let artist = app.signed_up("artist", "artiste@exemple.fr").await;
    for stranger in [&client(), &other_host, &artist] {
        let response = app.call(stranger, "host_profile", &[("id", &id)]).await;
        assert_eq!(response.status(), 404);
        let page = stranger
            .get(app.url(&path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(!page.text().await.unwrap().contains("Famille Martin"));
    }
    for listing in ["/artistes", "/recherche?type=martin", "/sitemap.xml"] {
        assert!(
            !app.html(&client(), listing)
                .await
                .contains("Famille Martin"),
            "{listing}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_refused_host_profile_keeps_what_was_typed() {
    let app = spawn_app().await;
    let host = app.signed_up("host", "sansjs@exemple.fr").await;
    let editor = app.url("/profil");
    let response = app
        .post_plain_form(
            &host,
            "save_host_profile",
            &editor,
            &[
                ("host[name]", "Les Voisins"),
                ("host[city]", "Atlantide"),
                ("host[description]", "Une grange </textarea> rénovée."),
            ],
        )
        .await;
    assert_eq!(response.status(), 302);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    let page = app.html(&host, back.trim_start_matches(&app.address)).await;
    assert!(page.contains("Nous ne trouvons pas de commune «\u{a0}Atlantide\u{a0}»"));
    assert!(page.contains(r#"value="Les Voisins""#));
    assert!(page.contains("Une grange &lt;/textarea&gt; rénovée."));
}
