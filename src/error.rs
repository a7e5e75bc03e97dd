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
        matches!(self, AppError::Unavailable).then_some("5")
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 422,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::Unverified => 403,
            AppError::NotFound => 404,
            AppError::TooManyRequests { .. } => 429,
            AppError::Unreachable => 502,
            AppError::Unavailable => 503,
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
            AppError::internal("database error", error)
        }
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
}
