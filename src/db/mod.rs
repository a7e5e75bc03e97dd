//! The connection pool and its migrations.
//!
//! Stores talk to one `sqlx::AnyPool` with portable SQL (`$1` placeholders, `RETURNING`,
//! timestamps as integer milliseconds), so the same store serves SQLite and PostgreSQL.

use sqlx::{
    AnyConnection, AnyPool, ConnectOptions, Connection, Executor,
    any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers},
    migrate::Migrator,
};
use std::{path::Path, str::FromStr, time::Duration};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the pool talks to; the few places where SQL must differ ask this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One file, one server: the embedded default.
    Sqlite,
    /// Shared by several servers (scale-out).
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Kept for connections outside the pool (PostgreSQL's LISTEN). It may hold a password:
    /// never printed (see `Debug` below).
    pub url: String,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .field("url", &redact(&self.url))
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL {0:?}: expected sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Whether a connection handed back to the pool may serve again. A transaction dropped
/// without its commit left a rollback queued; the ping runs it. When the database had already
/// ended the transaction itself (SQLite rolls back on a disk I/O error, e.g. a full disk),
/// that rollback fails and sqlx still counts the transaction open: every later `BEGIN` on
/// that connection would fail, so it is closed instead (the pool opens a fresh one).
async fn still_usable(connection: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    connection.ping().await?;
    Ok(!connection.is_in_transaction())
}

impl Db {
    /// Connects a pool of up to `max_connections` and applies the backend's migrations
    /// (several servers starting together take turns: sqlx holds a lock while migrating).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .after_release(|connection, _| Box::pin(still_usable(connection)));
        if let Some(path) = url.strip_prefix("sqlite://") {
            Self::connect_sqlite(pool, url, path).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_postgres(pool, url).await
        } else {
            Err(DbError::UnsupportedUrl(redact(url)))
        }
    }

    async fn connect_postgres(pool: AnyPoolOptions, url: &str) -> Result<Self, DbError> {
        let pool = pool.connect(url).await?;
        migrate(url, &POSTGRES_MIGRATIONS).await?;
        Ok(Db {
            pool,
            backend: Backend::Postgres,
            url: url.to_owned(),
        })
    }

    /// Creates the SQLite file and its folder if needed.
    async fn connect_sqlite(pool: AnyPoolOptions, url: &str, path: &str) -> Result<Self, DbError> {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(folder) = Path::new(file)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|source| DbError::Folder {
                path: folder.display().to_string(),
                source,
            })?;
        }
        let url = if url.contains("mode=") {
            url.to_owned()
        } else if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        let pool = pool
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    // Per connection: enforce foreign keys, and make a writer wait for the lock
                    // instead of failing at once when another writer holds it.
                    conn.execute(
                        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                         PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        pool.execute("PRAGMA journal_mode = WAL;").await?;
        migrate(&url, &SQLITE_MIGRATIONS).await?;
        Ok(Db {
            pool,
            backend: Backend::Sqlite,
            url: url.to_owned(),
        })
    }

    /// A transaction for writing. On SQLite it takes the write lock at once, so that
    /// concurrent writers wait for each other (busy_timeout) instead of failing when a read
    /// lock cannot be upgraded; PostgreSQL locks rows as they are written.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Answers whether the database responds, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Applies `migrator` on a connection of its own that logs no statement: the communes data
/// is one 2.6 MB statement, which sqlx would otherwise print whole as a slow query.
async fn migrate(url: &str, migrator: &Migrator) -> Result<(), DbError> {
    let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
    let mut connection = AnyConnection::connect_with(&options).await?;
    migrator.run(&mut connection).await?;
    connection.close().await?;
    Ok(())
}

/// The URL without its password, for error messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("********"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Milliseconds since the Unix epoch: the one time format stored in every table.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_database_password_is_never_shown() {
        assert_eq!(
            redact("postgres://concerts:s3cret@db.internal/concerts"),
            "postgres://concerts:********@db.internal/concerts"
        );
        assert_eq!(
            redact("sqlite://data/concerts.db"),
            "sqlite://data/concerts.db"
        );
    }
}
