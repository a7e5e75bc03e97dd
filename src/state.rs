//! What every request handler shares, and the glue between server functions and HTTP.

use crate::{config::Config, db::Db, error::AppError, live::bus::Live};
use axum::extract::FromRef;
use http::{HeaderMap, header::ACCEPT, request::Parts};
use leptos::{config::LeptosOptions, prelude::use_context};
use leptos_axum::ResponseOptions;
use std::{net::SocketAddr, sync::Arc};
use tokio_util::sync::CancellationToken;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// The live streams open on this server, and the notices between servers.
    pub live: Live,
    /// Cancelled when the server stops: background tasks and live streams end.
    pub shutdown: CancellationToken,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Runs `round` in the background at each tick of `every` until the server stops; a
    /// failed round is logged as `failure` and the next tick tries again.
    pub fn repeat<T, Round>(
        &self,
        mut every: tokio::time::Interval,
        failure: &'static str,
        round: impl Fn(AppState) -> Round + Send + 'static,
    ) where
        Round: std::future::Future<Output = Result<T, AppError>> + Send,
    {
        let state = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = every.tick() => {
                        if let Err(error) = round(state.clone()).await {
                            tracing::warn!(%error, "{failure}");
                        }
                    }
                    () = state.shutdown.cancelled() => break,
                }
            }
        });
    }
}

/// The shared state, provided as context to every page render and server function.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("app state", "not in context"))
}

/// The current request's head (headers, extensions), for server functions.
pub fn request_parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| AppError::internal("request parts", "not in context"))
}

/// Gives a server function's error its HTTP status, except for plain HTML form posts: those
/// must stay redirects so the browser comes back to the form, which then shows the error.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let plain_form_post =
            use_context::<Parts>().is_some_and(|parts| accepts_html(&parts.headers));
        if let (false, Some(response)) = (plain_form_post, use_context::<ResponseOptions>())
            && let Ok(status) = http::StatusCode::from_u16(error.status())
        {
            response.set_status(status);
            if let Some(after) = error.retry_after() {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static(after),
                );
            }
        }
    }
    result
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("text/html"))
}

/// The client's address: the socket's peer, or behind a trusted proxy the last address it
/// appended to `X-Forwarded-For`. That is the last address of the header's last line: a
/// proxy may add a line of its own after the one the client sent, whose content is anyone's.
pub fn client_ip(parts: &Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .map(str::trim)
            .filter(|value| !value.is_empty());
        if let Some(address) = forwarded {
            return address.to_owned();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}
