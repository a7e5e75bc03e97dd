//! One error type for every server function, page and route.
//!
//! It travels as JSON (`{"code": "...", ...}`), so the browser build and the future mobile app
//! read the same stable shape, and it maps to one HTTP status on the server.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// The input was refused. `field` names the faulty field; `values` echoes what was typed
    /// (never a password) so that a form submitted without JavaScript can be shown again filled;
    /// `choices`, values the field may have meant instead (the communes near a misspelt name).
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        values: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        choices: Vec<String>,
    },
    #[error("Connectez-vous pour continuer.")]
    Unauthorized,
    #[error("Cette page n'existe pas, ou vous n'y avez pas accès.")]
    NotFound,
    #[error("Requête refusée : elle ne vient pas de ce site.")]
    Forbidden,
    /// The account has not confirmed its address yet, which this action needs.
    #[error(
        "Confirmez d'abord votre adresse e-mail : ouvrez le lien que nous vous avons envoyé. Vous pouvez en recevoir un nouveau depuis « Mon profil »."
    )]
    Unverified,
    /// A limit was reached; like `Invalid`, it may echo what was typed in `values`.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        values: BTreeMap<String, String>,
    },
    #[error("Le serveur n'a pas pu répondre. Vérifiez votre connexion et réessayez.")]
    Unreachable,
    /// The server is too busy for this request now (sent with `Retry-After`).
    #[error("Le site est très demandé en ce moment. Réessayez dans quelques secondes.")]
    Unavailable,
    /// The database cannot be reached for a moment (restarting, failing over, a dropped
    /// connection): worth trying again in a few seconds.
    #[error("Le site est momentanément indisponible. Réessayez dans quelques secondes.")]
    Interrupted,
    /// Nothing can be written now: the disk is full, or the database only reads (a
    /// PostgreSQL standby after a failover). Pages still show; worth trying again later.
    #[error(
        "Le site ne peut rien enregistrer pour le moment, à cause d'un incident de notre côté. Gardez votre texte et réessayez dans quelques minutes."
    )]
    NotStored,
    #[error("Une erreur est survenue de notre côté. Réessayez dans un instant.")]
    Internal,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            message: message.into(),
            field: Some(field.to_owned()),
            values: BTreeMap::new(),
            choices: Vec::new(),
        }
    }

    /// Input refused as a whole, not for one field.
    pub fn refused(message: impl Into<String>) -> Self {
        AppError::Invalid {
            message: message.into(),
            field: None,
            values: BTreeMap::new(),
            choices: Vec::new(),
        }
    }

    pub fn too_many_requests(message: impl Into<String>) -> Self {
        AppError::TooManyRequests {
            message: message.into(),
            values: BTreeMap::new(),
        }
    }

    /// Attaches what the user typed, for forms posted without JavaScript.
    pub fn keeping(mut self, kept: &[(&str, &str)]) -> Self {
        if let AppError::Invalid { values, .. } | AppError::TooManyRequests { values, .. } =
            &mut self
        {
            *values = kept
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect();
        }
        self
    }

    /// Proposes values the field may have meant (see `choices`).
    pub fn proposing(mut self, proposed: Vec<String>) -> Self {
        if let AppError::Invalid { choices, .. } = &mut self {
            *choices = proposed;
        }
        self
    }

    /// What the field may have meant, when the error proposes something.
    pub fn choices(&self) -> &[String] {
        match self {
            AppError::Invalid { choices, .. } => choices,
            _ => &[],
        }
    }

    /// The value typed in `name` when this error was raised, if it was kept.
    pub fn kept_value(&self, name: &str) -> Option<&str> {
        match self {
            AppError::Invalid { values, .. } | AppError::TooManyRequests { values, .. } => {
                values.get(name).map(String::as_str)
            }
            _ => None,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// What `Retry-After` says with this error: when it is worth trying again, in seconds.
    pub fn retry_after(&self) -> Option<&'static str> {
        match self {
            AppError::Unavailable | AppError::Interrupted => Some("5"),
            AppError::NotStored => Some("60"),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 422,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::Unverified => 403,
            AppError::NotFound => 404,
            AppError::TooManyRequests { .. } => 429,
            AppError::Unreachable => 502,
            AppError::Unavailable | AppError::Interrupted | AppError::NotStored => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::refused("Le formulaire envoyé est incomplet ou mal formé.")
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Unreachable
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::Asker;

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use axum::response::{IntoResponse, Response};
    use http::StatusCode;

    impl AppError {
        /// Logs a server-side failure and hides its details from the client.
        pub fn internal(context: &str, error: impl std::fmt::Display) -> Self {
            tracing::error!(%error, "{context}");
            AppError::Internal
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            let code = database_code(&error);
            if interrupted(&error, code.as_ref()) {
                tracing::warn!(%error, "the database cannot be reached");
                return AppError::Interrupted;
            }
            if code.as_ref().is_some_and(cannot_store) {
                tracing::error!(%error, "the database cannot store: disk full or read-only");
                return AppError::NotStored;
            }
            // PostgreSQL takes no NUL character in text (SQLite does): the input is refused
            // as it would be anywhere else, with nothing written.
            if matches!(&code, Some(Code::Postgres(state)) if state == "22021") {
                return AppError::refused(
                    "Le texte envoyé contient un caractère invalide : retirez-le et réessayez.",
                );
            }
            AppError::internal("database error", error)
        }
    }

    /// The database's own code for an error.
    enum Code {
        /// SQLite's primary result code (the low byte of its extended code).
        Sqlite(i32),
        /// PostgreSQL's SQLSTATE.
        Postgres(String),
    }

    fn database_code(error: &sqlx::Error) -> Option<Code> {
        let sqlx::Error::Database(database) = error else {
            return None;
        };
        let code = database.code()?;
        Some(
            if database
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some()
            {
                Code::Sqlite(code.parse::<i32>().ok()? & 0xff)
            } else {
                Code::Postgres(code.into_owned())
            },
        )
    }

    /// Whether the database could not be reached, rather than refused anything: no
    /// connection (refused, reset, none free in time), PostgreSQL's class 08 (connection
    /// exception) and 57P01–57P03 (shutting down, starting up), SQLite's BUSY (5) and
    /// LOCKED (6) past their wait.
    fn interrupted(error: &sqlx::Error, code: Option<&Code>) -> bool {
        match code {
            Some(Code::Sqlite(code)) => matches!(code, 5 | 6),
            Some(Code::Postgres(state)) => {
                state.starts_with("08") || matches!(state.as_str(), "57P01" | "57P02" | "57P03")
            }
            None => matches!(
                error,
                sqlx::Error::Io(_)
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::WorkerCrashed
            ),
        }
    }

    /// Whether the database refused a write for want of space or of write access, rather than
    /// for anything about the request: SQLite's READONLY (8), IOERR (10) and FULL (13);
    /// PostgreSQL's class 53 (insufficient resources, 53100 disk full), 25006 (read-only
    /// transaction) and 58030 (I/O error).
    fn cannot_store(code: &Code) -> bool {
        match code {
            Code::Sqlite(code) => matches!(code, 8 | 10 | 13),
            Code::Postgres(state) => {
                state.starts_with("53") || state == "25006" || state == "58030"
            }
        }
    }

    /// Who asked, as far as an error's answer depends on it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Asker {
        /// Code calling a server function (`/api/…`): the error as JSON.
        ServerFunction,
        /// A browser's `EventSource` (it asks for `text/event-stream`).
        EventSource,
        /// A person loading a page: a page they can read.
        Person,
    }

    impl Asker {
        pub fn of(path: &str, headers: &http::HeaderMap) -> Asker {
            let accepts = |kind: &str| {
                headers
                    .get(http::header::ACCEPT)
                    .and_then(|value| value.to_str().ok())
                    .is_some_and(|value| value.contains(kind))
            };
            if path.starts_with("/api/") {
                Asker::ServerFunction
            } else if accepts("text/event-stream") {
                Asker::EventSource
            } else {
                Asker::Person
            }
        }
    }

    impl AppError {
        /// The answer to a request that failed outside a server function, with this error's
        /// status. An `EventSource` gives up for good on any answer but a 200, so one told to
        /// come back later (a 503) gets a 200 stream that says when (`retry:`) and ends.
        pub fn answer(self, asker: Asker) -> Response {
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let no_store = (http::header::CACHE_CONTROL, "no-store");
            match (asker, self.retry_after()) {
                (Asker::EventSource, Some(seconds)) => (
                    [(http::header::CONTENT_TYPE, "text/event-stream"), no_store],
                    format!("retry: {seconds}000\n\n"),
                )
                    .into_response(),
                (Asker::ServerFunction | Asker::EventSource, _) => self.into_response(),
                (Asker::Person, _) => {
                    (status, [no_store], axum::response::Html(error_page())).into_response()
                }
            }
        }
    }

    /// The page shown when a page could not be made: made once, so that it cannot fail in
    /// turn.
    fn error_page() -> &'static str {
        static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        PAGE.get_or_init(|| {
            format!(
                "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>Erreur · Concerts dans mon salon</title>\
                 <link rel=\"stylesheet\" href=\"{}\"></head>\
                 <body><main id=\"contenu\"><h1>Cette page n'a pas pu s'afficher</h1>\
                 <p>Une erreur est survenue de notre côté. Réessayez dans un instant ; \
                 si elle revient, nous la corrigeons au plus vite.</p>\
                 <p><a href=\"/\">Revenir à l'accueil</a></p></main></body></html>\n",
                crate::static_files::stylesheet_href()
            )
        })
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let retry_after = self.retry_after();
            let mut response = (status, axum::Json(self)).into_response();
            if let Some(after) = retry_after {
                response.headers_mut().insert(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static(after),
                );
            }
            response
        }
    }

    #[cfg(test)]
    mod tests {
        use super::{AppError, Asker};
        use axum::body::to_bytes;
        use sqlx::{AnyConnection, Connection, Executor};

        async fn answered(error: AppError, asker: Asker) -> (u16, String, String) {
            let response = error.answer(asker);
            let kind = response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|kind| kind.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let status = response.status().as_u16();
            let body = to_bytes(response.into_body(), 10_000).await.expect("body");
            (status, kind, String::from_utf8_lossy(&body).into_owned())
        }

        /// An `EventSource` gives up on anything but a 200: told to come back, it gets a
        /// stream that says when; refused, it gets the refusal. People get a page.
        #[tokio::test]
        async fn errors_answer_event_sources_people_and_code_each_in_their_terms() {
            let asker = |path, accept: &'static str| {
                let mut headers = http::HeaderMap::new();
                headers.insert(http::header::ACCEPT, http::HeaderValue::from_static(accept));
                Asker::of(path, &headers)
            };
            assert_eq!(asker("/events", "text/event-stream"), Asker::EventSource);
            assert_eq!(asker("/api/inbox", "text/html"), Asker::ServerFunction);
            assert_eq!(asker("/messages", "text/html,*/*"), Asker::Person);

            let (status, kind, body) = answered(AppError::Interrupted, Asker::EventSource).await;
            assert_eq!((status, kind.as_str()), (200, "text/event-stream"));
            assert_eq!(body, "retry: 5000\n\n");
            let (status, _, body) = answered(AppError::Unauthorized, Asker::EventSource).await;
            assert_eq!(status, 401);
            assert!(body.contains("\"code\":\"unauthorized\""), "{body}");
            let (status, kind, body) = answered(AppError::Interrupted, Asker::Person).await;
            assert_eq!((status, kind.as_str()), (503, "text/html; charset=utf-8"));
            assert!(body.contains("Réessayez dans un instant"), "{body}");
            let (status, _, body) = answered(AppError::Interrupted, Asker::ServerFunction).await;
            assert_eq!(status, 503);
            assert!(body.contains("\"code\":\"interrupted\""), "{body}");
        }

        async fn sqlite(url: &str) -> AnyConnection {
            sqlx::any::install_default_drivers();
            AnyConnection::connect(url).await.expect("SQLite opens")
        }

        /// Real errors of a real SQLite file: a full database and a read-only one cannot
        /// store (503), a broken rule is the server's own fault (500).
        #[tokio::test]
        async fn a_full_or_read_only_database_cannot_store_and_other_errors_stay_internal() {
            let folder = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite://{}/t.db?mode=rwc", folder.path().display());
            let mut db = sqlite(&url).await;
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
                .await
                .expect("table");
            db.execute("INSERT INTO t VALUES (1, 'un')")
                .await
                .expect("row");
            let taken = db.execute("INSERT INTO t VALUES (1, 'deux')").await;
            assert_eq!(
                AppError::from(taken.expect_err("unique")),
                AppError::Internal
            );

            // A database that may not grow past its pages, as on a full disk.
            db.execute("PRAGMA max_page_count = 3")
                .await
                .expect("limit");
            let full = db
                .execute("INSERT INTO t (body) SELECT hex(randomblob(100000))")
                .await;
            assert_eq!(AppError::from(full.expect_err("full")), AppError::NotStored);

            let read_only = url.replace("mode=rwc", "mode=ro");
            let mut reader = sqlite(&read_only).await;
            let refused = reader
                .execute("INSERT INTO t (body) VALUES ('trois')")
                .await;
            assert_eq!(
                AppError::from(refused.expect_err("read-only")),
                AppError::NotStored
            );
        }
    }
}
