//! The JSON shapes that clients (the browser build, later the mobile app) depend on. A change
//! here is a change of API: review the snapshot diff deliberately.

mod common;

use common::{client, spawn_app_with};
use serde_json::Value;

const PASSWORD: &str = "une chanson douce";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_endpoints_answer_stable_json() {
    let app = spawn_app_with(&[("SIGN_IN_LIMIT_PER_ACCOUNT", "1")]).await;
    let browser = client();

    let viewer: Value = app
        .sign_up(&browser, "artist", "forme@exemple.fr", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("viewer", viewer);

    let duplicate: Value = app
        .sign_up(&client(), "host", "forme@exemple.fr", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("invalid_email_taken", duplicate);

    let wrong: Value = app
        .sign_in(&client(), "forme@exemple.fr", "pas le bon")
        .await
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("invalid_credentials", wrong);

    let limited: Value = app
        .sign_in(&client(), "forme@exemple.fr", "pas le bon")
        .await
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("too_many_requests", limited);

    let anonymous: Value = app
        .call(&client(), "viewer", &[])
        .await
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("no_viewer", anonymous);

    let forbidden = client()
        .post(app.url("/api/sign_out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    let forbidden: Value = forbidden.json().await.unwrap();
    insta::assert_json_snapshot!("forbidden", forbidden);
}
