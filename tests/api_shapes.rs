//! The JSON shapes that clients (the browser build, later the mobile app) depend on. A change
//! here is a change of API: review the snapshot diff deliberately.

mod common;

use common::{client, json_of, spawn_app_with};

const PASSWORD: &str = "une chanson douce";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_endpoints_answer_stable_json() {
    let app = spawn_app_with(&[("SIGN_IN_LIMIT_PER_ACCOUNT", "1")]).await;
    let browser = client();

    let viewer = json_of(
        app.sign_up(&browser, "artist", "forme@exemple.fr", PASSWORD)
            .await,
    )
    .await;
    insta::assert_json_snapshot!("viewer", viewer);

    let duplicate = json_of(
        app.sign_up(&client(), "host", "forme@exemple.fr", PASSWORD)
            .await,
    )
    .await;
    insta::assert_json_snapshot!("invalid_email_taken", duplicate);

    let wrong = json_of(
        app.sign_in(&client(), "forme@exemple.fr", "pas le bon")
            .await,
    )
    .await;
    insta::assert_json_snapshot!("invalid_credentials", wrong);

    let limited = json_of(
        app.sign_in(&client(), "forme@exemple.fr", "pas le bon")
            .await,
    )
    .await;
    insta::assert_json_snapshot!("too_many_requests", limited);

    let anonymous = json_of(app.call(&client(), "viewer", &[]).await).await;
    insta::assert_json_snapshot!("no_viewer", anonymous);

    let forbidden = client()
        .post(app.url("/api/sign_out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    let forbidden = json_of(forbidden).await;
    insta::assert_json_snapshot!("forbidden", forbidden);
}
