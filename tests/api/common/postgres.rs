//! PostgreSQL for the suite's second pass: `scripts/with-postgres.sh` starts a throwaway
//! server and names it in `TEST_POSTGRES_URL`; each test gets a database of its own, copied
//! from a template migrated once (copying is much faster than loading the communes again).

use sqlx::{Connection, Executor, postgres::PgConnection};

const TEMPLATE: &str = "concerts_template";

/// The throwaway server's address, when the suite runs against PostgreSQL.
pub fn server_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok()
}

/// For tests that only make sense on PostgreSQL (several instances on one database).
pub fn required_server_url() -> String {
    server_url().expect(
        "TEST_POSTGRES_URL is not set: run this test through scripts/with-postgres.sh \
         (make rust-tests does)",
    )
}

/// `server`'s URL pointing at `database`.
pub fn database_url(server: &str, database: &str) -> String {
    let mut url = url::Url::parse(server).expect("TEST_POSTGRES_URL is a URL");
    url.set_path(database);
    url.to_string()
}

/// A new, migrated database on `server`; its URL.
pub async fn fresh_database(server: &str) -> String {
    let mut admin = PgConnection::connect(server)
        .await
        .expect("the test PostgreSQL server answers");
    // Test binaries run side by side: one builds the template, the others wait for it.
    admin
        .execute("SELECT pg_advisory_lock(7201)")
        .await
        .expect("template lock");
    let ready: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(TEMPLATE)
            .fetch_one(&mut admin)
            .await
            .expect("template lookup");
    if !ready {
        let building = format!("{TEMPLATE}_building");
        admin
            .execute(format!("DROP DATABASE IF EXISTS {building}").as_str())
            .await
            .expect("no half-built template");
        admin
            .execute(format!("CREATE DATABASE {building}").as_str())
            .await
            .expect("template created");
        let db = concerts::db::Db::connect(&database_url(server, &building), 1)
            .await
            .expect("template migrated");
        db.pool.close().await;
        let rename = format!("ALTER DATABASE {building} RENAME TO {TEMPLATE}");
        admin
            .execute(rename.as_str())
            .await
            .expect("template ready");
    }
    admin
        .execute("SELECT pg_advisory_unlock(7201)")
        .await
        .expect("template unlock");
    let name = format!("test_{:016x}", rand::random::<u64>());
    admin
        .execute(format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}").as_str())
        .await
        .expect("test database created");
    database_url(server, &name)
}
