//! The two migration trees (`migrations/sqlite`, `migrations/postgres`) are written by hand,
//! one per backend: nothing but this test keeps them in step.

use concerts::db::Db;
use std::collections::BTreeSet;

/// The full-text index of artists, each backend's own by design: an FTS5 virtual table (and
/// its shadow tables) on SQLite, a table of `tsvector` on PostgreSQL.
const SEARCH_INDEX: &str = "artist_search";

/// Every (table, column) of a database, but sqlx's own bookkeeping and the search index.
async fn columns(db: &Db, query: &str) -> BTreeSet<(String, String)> {
    sqlx::query_as::<_, (String, String)>(query)
        .fetch_all(&db.pool)
        .await
        .expect("the schema")
        .into_iter()
        .filter(|(table, _)| table != "_sqlx_migrations" && !table.starts_with(SEARCH_INDEX))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres.sh (make rust-tests does)"]
async fn both_migration_trees_make_the_same_tables_and_columns() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let sqlite = Db::connect(
        &format!("sqlite://{}/schema.db", folder.path().display()),
        1,
    )
    .await
    .expect("SQLite migrated");
    let server = crate::common::postgres::required_server_url();
    let postgres = Db::connect(&crate::common::postgres::fresh_database(&server).await, 1)
        .await
        .expect("PostgreSQL migrated");
    let on_sqlite = columns(
        &sqlite,
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .await;
    let on_postgres = columns(
        &postgres,
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public'",
    )
    .await;
    assert!(on_sqlite.len() > 50, "{on_sqlite:?}");
    let only_sqlite: Vec<_> = on_sqlite.difference(&on_postgres).collect();
    let only_postgres: Vec<_> = on_postgres.difference(&on_sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only on SQLite: {only_sqlite:?}; only on PostgreSQL: {only_postgres:?}"
    );
}
