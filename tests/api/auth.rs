//! Accounts and sessions, through HTTP against the real app.

use crate::common::{client, session_cookie, smtp::SmtpServer, spawn_app, spawn_app_with};
use serde_json::Value;

const PASSWORD: &str = "une chanson douce";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_answers_when_the_database_does() {
    let app = spawn_app().await;
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    app.state.db.pool.close().await;
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
}

/// A sign-up opens no session: only the link e-mailed to the address does (see
/// `account.rs`). Signing in works meanwhile, with the address as it was typed, lower-cased.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_opens_no_session_and_the_account_signs_in() {
    let app = spawn_app().await;
    let browser = client();
    let response = app
        .sign_up(&browser, "artist", "Camille@Exemple.fr", PASSWORD)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        session_cookie(&response),
        None,
        "no session before the link"
    );
    assert_eq!(response.text().await.unwrap(), "null");
    assert_eq!(app.whoami(&browser).await, None);

    let response = app.sign_in(&browser, "camille@exemple.fr", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let viewer: Value = response.json().await.unwrap();
    assert_eq!(viewer["role"], "artist");
    assert_eq!(viewer["email"], "camille@exemple.fr");
    assert_eq!(viewer["verified"], false);
    assert_eq!(
        app.whoami(&browser).await.as_deref(),
        Some("camille@exemple.fr")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_refuses_short_passwords_and_unknown_roles() {
    let app = spawn_app().await;
    let response = app
        .sign_up(&client(), "artist", "court@exemple.fr", "123456789")
        .await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "password");
    let response = app
        .sign_up(&client(), "admin", "role@exemple.fr", PASSWORD)
        .await;
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "role");
    // Nothing was created: the addresses are still free.
    assert_eq!(
        app.sign_up(&client(), "host", "court@exemple.fr", PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_issues_a_new_token_each_time() {
    let app = spawn_app().await;
    app.sign_up(&client(), "host", "hote@exemple.fr", PASSWORD)
        .await;
    let first = app.sign_in(&client(), "hote@exemple.fr", PASSWORD).await;
    let first_token = session_cookie(&first).expect("cookie at the first sign-in");
    let browser = client();
    let second = app.sign_in(&browser, "hote@exemple.fr", PASSWORD).await;
    assert_eq!(second.status(), 200);
    let second_token = session_cookie(&second).expect("cookie at sign-in");
    assert_ne!(first_token, second_token);
    assert!(
        second_token.len() >= 43,
        "at least 256 bits, base64: {second_token}"
    );
    // The database keeps only hashes.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert!(!stored.contains(&second_token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.sign_up(&client(), "artist", "nina@exemple.fr", PASSWORD)
        .await;
    let wrong = app
        .sign_in(&client(), "nina@exemple.fr", "pas le bon mot")
        .await;
    let unknown = app
        .sign_in(&client(), "personne@exemple.fr", "pas le bon mot")
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(unknown.status(), 422);
    let wrong: Value = wrong.json().await.unwrap();
    let mut unknown: Value = unknown.json().await.unwrap();
    // Only the echoed e-mail differs.
    unknown["values"]["email"] = wrong["values"]["email"].clone();
    assert_eq!(wrong, unknown);
    assert_eq!(
        wrong["message"],
        "Adresse e-mail ou mot de passe incorrect."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_session_is_refused_even_with_the_old_cookie() {
    let app = spawn_app().await;
    app.sign_up(&client(), "artist", "sortie@exemple.fr", PASSWORD)
        .await;
    let browser = client();
    let response = app.sign_in(&browser, "sortie@exemple.fr", PASSWORD).await;
    let token = session_cookie(&response).unwrap();
    let response = app.call(&browser, "sign_out", &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.whoami(&browser).await, None);
    // Replaying the old token (as a thief would) does not work either.
    let thief = client();
    let response = thief
        .post(app.url("/api/viewer"))
        .header("cookie", format!("session={token}"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), "null");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_too_old_sessions_are_refused() {
    let app = spawn_app().await;
    let idle = app.signed_up_unconfirmed("artist", "idle@exemple.fr").await;
    let old = app.signed_up_unconfirmed("host", "old@exemple.fr").await;
    assert!(app.whoami(&idle).await.is_some());
    assert!(app.whoami(&old).await.is_some());

    let day_ms: i64 = 24 * 3600 * 1000;
    let idle_limit = 14 * day_ms; // default SESSION_IDLE_MINUTES
    let absolute_limit = 60 * day_ms; // default SESSION_ABSOLUTE_MINUTES
    let now = concerts::db::now_ms();
    sqlx::query(
        "UPDATE sessions SET last_seen_at = $1 WHERE user_id = \
         (SELECT id FROM users WHERE email = 'idle@exemple.fr')",
    )
    .bind(now - idle_limit - 1000)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE sessions SET created_at = $1 WHERE user_id = \
         (SELECT id FROM users WHERE email = 'old@exemple.fr')",
    )
    .bind(now - absolute_limit - 1000)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(app.whoami(&idle).await, None);
    assert_eq!(app.whoami(&old).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_forbidden() {
    let app = spawn_app().await;
    let attempts = [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://pirate.example")],
        vec![("origin", "null")],
        // Neither `Sec-Fetch-Site` nor `Origin`: only the site's own `Referer` would do.
        vec![],
        vec![("referer", "https://pirate.example/page")],
        vec![("referer", "not a url")],
    ];
    for headers in attempts {
        let mut request = client().post(app.url("/api/sign_up")).form(&[
            ("role", "artist"),
            ("email", "csrf@exemple.fr"),
            ("password", PASSWORD),
        ]);
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{headers:?}");
    }
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0);
    // An old browser that sends only the site's own page as `Referer` passes.
    let response = client()
        .post(app.url("/api/sign_up"))
        .header("referer", app.url("/inscription"))
        .form(&[
            ("role", "artist"),
            ("email", "ancien-navigateur@exemple.fr"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The site's own origin passes.
    let response = client()
        .post(app.url("/api/sign_up"))
        .header("origin", &app.address)
        .form(&[
            ("role", "artist"),
            ("email", "csrf@exemple.fr"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_on_one_account_get_429_until_the_window_ends() {
    let app = spawn_app_with(&[
        ("SIGN_IN_LIMIT_PER_ACCOUNT", "3"),
        ("SIGN_IN_WINDOW_SECONDS", "2"),
    ])
    .await;
    app.sign_up(&client(), "artist", "cible@exemple.fr", PASSWORD)
        .await;
    // Wait for the start of a fresh window, so all attempts fall in the same one.
    let window_ms = 2000;
    let into_window = concerts::db::now_ms() % window_ms;
    tokio::time::sleep(std::time::Duration::from_millis(
        (window_ms - into_window) as u64,
    ))
    .await;
    for _ in 0..3 {
        let response = app
            .sign_in(&client(), "cible@exemple.fr", "mauvais mot de passe")
            .await;
        assert_eq!(response.status(), 422);
    }
    let response = app
        .sign_in(&client(), "cible@exemple.fr", "mauvais mot de passe")
        .await;
    assert_eq!(response.status(), 429);
    let error: Value = response.json().await.unwrap();
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Trop de tentatives")
    );
    // Even the right password waits: that is what stops guessing.
    let response = app.sign_in(&client(), "cible@exemple.fr", PASSWORD).await;
    assert_eq!(response.status(), 429);
    // Once the window is over, the owner gets in.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let response = app.sign_in(&client(), "cible@exemple.fr", PASSWORD).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_from_one_address_get_429_across_accounts() {
    let app = spawn_app_with(&[
        ("SIGN_IN_LIMIT_PER_IP", "4"),
        ("SIGN_IN_WINDOW_SECONDS", "600"),
    ])
    .await;
    for n in 0..4 {
        let response = app
            .sign_in(
                &client(),
                &format!("inconnu{n}@exemple.fr"),
                "devinette1234",
            )
            .await;
        assert_eq!(response.status(), 422);
    }
    let response = app
        .sign_in(&client(), "encore@exemple.fr", "devinette1234")
        .await;
    assert_eq!(response.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let huge = "a".repeat(concerts::server::BODY_LIMIT_BYTES + 1);
    let response = app.sign_in(&client(), &huge, PASSWORD).await;
    assert_eq!(response.status(), 413);
}

/// A sign-in attempt from the client address `ip` (the app trusts `X-Forwarded-For` here, as
/// behind its proxy).
async fn sign_in_from(
    app: &crate::common::TestApp,
    who: &reqwest::Client,
    ip: &str,
    email: &str,
    password: &str,
) -> u16 {
    who.post(app.url("/api/sign_in"))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", ip)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("sign-in answered")
        .status()
        .as_u16()
}

/// Attempts in parallel cannot overshoot a limit (each takes its hit before its password is
/// checked), and a flood from elsewhere never refuses the owner in their own browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_parallel_wrong_passwords_check_exactly_the_limit_and_the_owner_still_gets_in() {
    let app = spawn_app_with(&[("TRUST_FORWARDED_FOR", "true")]).await;
    let owner = app.signed_up("artist", "cible@exemple.fr").await;
    let attempts = (0..40).map(|n| {
        let app = &app;
        async move {
            sign_in_from(
                app,
                &client(),
                &format!("198.51.100.{n}"),
                "cible@exemple.fr",
                "mauvais mot de passe",
            )
            .await
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|status| **status == 422).count();
    let refused = statuses.iter().filter(|status| **status == 429).count();
    println!("40 parallel wrong passwords: {checked} checked, {refused} refused");
    assert_eq!(
        checked, 8,
        "exactly SIGN_IN_LIMIT_PER_ACCOUNT checked: {statuses:?}"
    );
    assert_eq!(refused, 32);

    // The owner's browser signed in to this account before: its device cookie lets it in.
    assert_eq!(
        sign_in_from(&app, &owner, "203.0.113.9", "cible@exemple.fr", PASSWORD).await,
        200
    );
    // Any other client, even with the right password, waits for the window to end.
    assert_eq!(
        sign_in_from(
            &app,
            &client(),
            "203.0.113.10",
            "cible@exemple.fr",
            PASSWORD
        )
        .await,
        429
    );
    // A device cookie is for one account: it does not open another one under attack.
    app.signed_up("artist", "autre@exemple.fr").await;
    for n in 0..8 {
        let ip = format!("192.0.2.{n}");
        sign_in_from(
            &app,
            &client(),
            &ip,
            "autre@exemple.fr",
            "mauvais mot de passe",
        )
        .await;
    }
    assert_eq!(
        sign_in_from(&app, &owner, "203.0.113.9", "autre@exemple.fr", PASSWORD).await,
        429
    );
}

/// Whoever once knew the password keeps device cookies: together they get one allowance of
/// the account's, not one each, and once the owner sets a new password (here through a reset
/// link, in a private browser) they count as unknown clients, while the browser that used the
/// link gets in although the account's limit is full.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_device_cookies_stop_counting_after_a_reset_which_gives_its_browser_one() {
    let smtp = SmtpServer::started().await;
    let app = spawn_app_with(&[
        ("TRUST_FORWARDED_FOR", "true"),
        ("SMTP_URL", &smtp.url()),
        ("MAIL_POLL_MS", "100"),
        ("SIGN_IN_LIMIT_PER_ACCOUNT_DEVICES", "12"),
    ])
    .await;
    let email = "cible@exemple.fr";
    app.signed_up("artist", email).await;
    let mut thief = Vec::new();
    for n in 0..4 {
        let browser = client();
        let ip = format!("198.51.100.{n}");
        assert_eq!(
            sign_in_from(&app, &browser, &ip, email, PASSWORD).await,
            200
        );
        thief.push(browser);
    }
    // The account's limit for unknown clients is full.
    for n in 0..8 {
        let ip = format!("192.0.2.{n}");
        sign_in_from(&app, &client(), &ip, email, "mauvais mot de passe").await;
    }
    let guesses = async |browser: &reqwest::Client, tries: usize| {
        let mut checked = 0;
        for _ in 0..tries {
            let status = sign_in_from(&app, browser, "203.0.113.1", email, "devinette").await;
            checked += usize::from(status == 422);
        }
        checked
    };
    assert_eq!(guesses(&thief[0], 10).await, 8, "8 per device cookie");
    assert_eq!(
        guesses(&thief[1], 10).await,
        4,
        "12 for all the account's devices together"
    );
    assert_eq!(guesses(&thief[2], 1).await, 0);

    // The owner, in a private browser, resets the password.
    let private = client();
    assert_eq!(
        app.call(&private, "request_password_reset", &[("email", email)])
            .await
            .status(),
        200
    );
    let token = crate::common::smtp::link_token(&smtp.wait_for(1).await[0].text);
    let reset = app
        .call(
            &private,
            "reset_password",
            &[("token", &token), ("password", "un air de printemps")],
        )
        .await;
    assert_eq!(reset.status(), 200);
    assert_eq!(
        sign_in_from(&app, &private, "203.0.113.2", email, "un air de printemps").await,
        200,
        "the reset link's browser gets in, the account's limit full"
    );
    assert_eq!(
        guesses(&thief[3], 1).await,
        0,
        "a device cookie from before the reset is an unknown client's"
    );
    assert_eq!(
        sign_in_from(&app, &client(), "203.0.113.3", email, "un air de printemps").await,
        429,
        "other clients still wait"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_clients_are_counted_per_64() {
    let app = spawn_app_with(&[
        ("TRUST_FORWARDED_FOR", "true"),
        ("SIGN_IN_LIMIT_PER_IP", "4"),
    ])
    .await;
    for n in 1..=4 {
        let ip = format!("2001:db8:7:7::{n:x}");
        let email = format!("inconnu{n}@exemple.fr");
        let status = sign_in_from(&app, &client(), &ip, &email, "devinette1234").await;
        assert_eq!(status, 422);
    }
    let same_64 = sign_in_from(
        &app,
        &client(),
        "2001:db8:7:7:ffff::1",
        "x@exemple.fr",
        "devinette1234",
    )
    .await;
    assert_eq!(same_64, 429, "another address of the same /64");
    let next_64 = sign_in_from(
        &app,
        &client(),
        "2001:db8:7:8::1",
        "x@exemple.fr",
        "devinette1234",
    )
    .await;
    assert_eq!(next_64, 422, "the neighbouring /64 is someone else");
}

/// A /48 is 65,536 /64s: counted per /64 alone, its holder would get that many times every
/// per-address allowance. Its /56s and the /48 itself are counted too, with 4 and 16 times it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_networks_are_also_counted_per_56_and_per_48() {
    let app = spawn_app_with(&[
        ("TRUST_FORWARDED_FOR", "true"),
        ("SIGN_IN_LIMIT_PER_IP", "1"),
    ])
    .await;
    let attempt = |ip: String| {
        let app = &app;
        // A different account each time: only the address's limits are in play.
        let email = format!("{}@exemple.fr", ip.replace(':', "-"));
        async move { sign_in_from(app, &client(), &ip, &email, "devinette1234").await }
    };
    // Four /64s of one /56, one attempt each: the /56's allowance (4) is spent.
    for n in 0..4 {
        assert_eq!(attempt(format!("2001:db8:5:{n:x}::1")).await, 422);
    }
    assert_eq!(
        attempt("2001:db8:5:ff::1".to_owned()).await,
        429,
        "a fifth /64 of the /56"
    );
    // Twelve more /56s of the /48 reach its allowance (16).
    for n in 1..=12 {
        assert_eq!(attempt(format!("2001:db8:5:{:x}::1", n << 8)).await, 422);
    }
    assert_eq!(
        attempt("2001:db8:5:ff00::1".to_owned()).await,
        429,
        "another /56 of the /48"
    );
    assert_eq!(
        attempt("2001:db8:6::1".to_owned()).await,
        422,
        "the next /48 is someone else"
    );
}

/// Behind a proxy that adds its own `X-Forwarded-For` line after the one a client sent, the
/// client's line is not its address: the last line's last address is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_for_line_does_not_escape_the_per_address_limit() {
    let app = spawn_app_with(&[
        ("TRUST_FORWARDED_FOR", "true"),
        ("SIGN_IN_LIMIT_PER_IP", "3"),
    ])
    .await;
    let mut statuses = Vec::new();
    for n in 0..5 {
        let status = client()
            .post(app.url("/api/sign_in"))
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", format!("192.0.2.{n}"))
            .header("x-forwarded-for", "198.51.100.77")
            .form(&[
                ("email", format!("inconnu{n}@exemple.fr")),
                ("password", "devinette1234".to_owned()),
            ])
            .send()
            .await
            .expect("sign-in answered")
            .status()
            .as_u16();
        statuses.push(status);
    }
    assert_eq!(statuses, [422, 422, 422, 429, 429]);
}

/// A request counts its own bucket and nothing else: expired counters, which hold addresses,
/// are purged by a timer through an index on their window, never by scanning the table on
/// each hit (a flood of buckets would slow every request).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_counters_are_purged_by_the_timer_not_by_each_request() {
    use concerts::db::{Backend, now_ms};
    let app = spawn_app_with(&[("TRUST_FORWARDED_FOR", "true")]).await;
    let db = &app.state.db;
    let count = |bucket: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM rate_limit_hits WHERE bucket = $1")
            .bind(bucket)
            .fetch_one(&db.pool)
            .await
            .unwrap()
    };
    let three_days_ago = now_ms() - 3 * 24 * 60 * 60 * 1000;
    sqlx::query("INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ($1, $2, 3)")
        .bind("sign_in:ip:192.0.2.200")
        .bind(three_days_ago)
        .execute(&db.pool)
        .await
        .unwrap();

    let status = sign_in_from(
        &app,
        &client(),
        "192.0.2.1",
        "x@exemple.fr",
        "devinette1234",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        count("sign_in:ip:192.0.2.1").await,
        1,
        "the request's own counter"
    );
    assert_eq!(
        count("sign_in:ip:192.0.2.200").await,
        1,
        "another bucket, untouched"
    );

    let purged = concerts::rate_limit::purge_expired(db, now_ms())
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(count("sign_in:ip:192.0.2.200").await, 0, "expired: purged");
    assert_eq!(count("sign_in:ip:192.0.2.1").await, 1, "current: kept");

    let indexed = match db.backend {
        Backend::Sqlite => {
            use sqlx::Row;
            let plan: Vec<String> = sqlx::query(
                "EXPLAIN QUERY PLAN DELETE FROM rate_limit_hits WHERE window_start < 1",
            )
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|step| step.try_get::<String, _>("detail").unwrap_or_default())
            .collect();
            plan.iter()
                .any(|step| step.contains("rate_limit_hits_by_window"))
        }
        Backend::Postgres => {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'rate_limit_hits_by_window'",
            )
            .fetch_one(&db.pool)
            .await
            .unwrap()
                == 1
        }
    };
    assert!(indexed, "the purge finds expired counters by an index");
}

/// Sign-ups are counted per client address before any hashing: a crowd of them creates at
/// most the limit, and probing which addresses have an account is slow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ups_from_one_address_create_at_most_the_limit() {
    let app = spawn_app_with(&[("SIGN_UPS_PER_IP_PER_HOUR", "5")]).await;
    let attempts = (0..60).map(|n| {
        let app = &app;
        async move {
            app.sign_up(&client(), "host", &format!("foule{n}@exemple.fr"), PASSWORD)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let created = statuses.iter().filter(|status| **status == 200).count();
    assert_eq!(created, 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|status| matches!(status, 200 | 429)),
        "{statuses:?}"
    );
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 5);
}
