//! Sessions: a random token in an HttpOnly cookie, only its SHA-256 stored in the database.
//! A middleware resolves the cookie once per request; `CurrentUser` then reads the result,
//! in axum handlers as an extractor and in pages and server functions through `current_user`.

use crate::{
    auth::{model::Viewer, store},
    config::Config,
    db::now_ms,
    error::{AppError, Asker},
    state::AppState,
};
use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts, Request, State},
    middleware::Next,
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use cookie::{Cookie, SameSite};
use http::{header::COOKIE, request::Parts};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The session cookie's name. Over HTTPS it carries the `__Host-` prefix: browsers then
/// accept it only with `Secure`, for this very host and path `/`, so a sibling domain cannot
/// plant one.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.cookie_secure {
        "__Host-session"
    } else {
        "session"
    }
}
/// Writing `last_seen_at` on every request would turn reads into writes; once a minute is
/// precise enough for an idle timeout counted in days.
const TOUCH_EVERY_MS: i64 = 60_000;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub viewer: Viewer,
    token_hash: String,
    /// When the session expires unless used again (ms since the epoch).
    expires_at: i64,
}

impl CurrentUser {
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }
}

/// A fresh 256-bit token for the cookie, and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

pub fn session_cookie(token: String, config: &Config) -> Cookie<'static> {
    Cookie::build((cookie_name(config), token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.cookie_secure)
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(config.sessions.absolute.as_secs()).unwrap_or(i64::MAX),
        ))
        .build()
}

pub fn removal_cookie(config: &Config) -> Cookie<'static> {
    let mut cookie = session_cookie(String::new(), config);
    cookie.make_removal();
    cookie
}

/// The value of the cookie called `name` in a request's headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// Middleware: finds the live session named by the cookie and records its user in the
/// request's extensions. When the session cannot be read (the database is down), the request
/// is answered with that error: going on as a visitor would tell a member they are signed out.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(token) = cookie_value(request.headers(), cookie_name(&state.config)) {
        match lookup(&state, &token).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(error) => return error.answer(Asker::of(request.uri().path(), request.headers())),
        }
    }
    next.run(request).await
}

/// The live session a cookie's `token` names, if any; its activity is recorded now and then.
pub async fn lookup(state: &AppState, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let token_hash = hash_token(token);
    let now = now_ms();
    let policy = state.config.sessions;
    let Some(session) = store::find_live_session(&state.db, &token_hash, policy, now).await? else {
        return Ok(None);
    };
    let mut last_seen_at = session.last_seen_at;
    if now - last_seen_at > TOUCH_EVERY_MS {
        match store::touch_session(&state.db, &token_hash, now).await {
            Ok(()) => last_seen_at = now,
            Err(error) => tracing::warn!(?error, "could not record session activity"),
        }
    }
    let expires_at = (last_seen_at + store::millis(policy.idle))
        .min(session.created_at + store::millis(policy.absolute));
    Ok(Some(CurrentUser {
        viewer: session.viewer,
        token_hash,
        expires_at,
    }))
}

impl CurrentUser {
    /// Whether this session is still live now (read again from the database: it may have
    /// ended since the request began).
    pub async fn is_still_live(&self, state: &AppState) -> Result<bool, AppError> {
        let policy = state.config.sessions;
        let session =
            store::find_live_session(&state.db, &self.token_hash, policy, now_ms()).await?;
        Ok(session.is_some())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

/// The signed-in user of the request being served, in pages and server functions.
pub fn current_user() -> Option<CurrentUser> {
    leptos::prelude::use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
}

/// The signed-in user's id, or 401.
pub fn signed_in() -> Result<i64, crate::error::AppError> {
    current_user()
        .map(|user| user.viewer.id)
        .ok_or(crate::error::AppError::Unauthorized)
}

/// The signed-in user's id once their address is confirmed (for publishing, writing,
/// e-mails); 401 signed out, 403 `unverified` before.
pub fn signed_in_verified() -> Result<i64, AppError> {
    let user = current_user().ok_or(AppError::Unauthorized)?;
    if user.viewer.verified {
        Ok(user.viewer.id)
    } else {
        Err(AppError::Unverified)
    }
}

/// The signed-in user's id if they have `role`. Signed out is 401; the other role gets 404,
/// as what it asks for (its own artist or host profile) does not exist for it.
pub fn signed_in_as(role: crate::auth::model::Role) -> Result<i64, crate::error::AppError> {
    let user = current_user().ok_or(crate::error::AppError::Unauthorized)?;
    if user.viewer.role == role {
        Ok(user.viewer.id)
    } else {
        Err(crate::error::AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_random_and_stored_only_hashed() {
        let (first, first_hash) = new_token();
        let (second, _) = new_token();
        assert_ne!(first, second);
        assert_eq!(URL_SAFE_NO_PAD.decode(&first).unwrap().len(), 32);
        assert_ne!(first, first_hash);
        assert_eq!(hash_token(&first), first_hash);
    }

    #[test]
    fn cookie_is_http_only_and_same_site_lax() {
        let config = Config::from_lookup(|_| None).unwrap();
        let cookie = session_cookie("t".into(), &config);
        assert_eq!(cookie.http_only(), Some(true));
        assert_eq!(cookie.same_site(), Some(SameSite::Lax));
        let secure =
            Config::from_lookup(|name| (name == "COOKIE_SECURE").then(|| "true".into())).unwrap();
        assert_eq!(session_cookie("t".into(), &secure).secure(), Some(true));
    }
}
