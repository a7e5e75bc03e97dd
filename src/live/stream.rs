//! `GET /events`: the signed-in user's live stream (401 without a session).

use crate::{
    auth::session::CurrentUser,
    db::now_ms,
    error::AppError,
    live::{
        hub::{Listener, Stamped},
        model::LiveEvent,
    },
    messaging, rate_limit,
    state::{AppState, client_ip},
};
use axum::{
    extract::State,
    response::{
        IntoResponse,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures::stream::{self, Stream, StreamExt};
use std::{convert::Infallible, time::Duration};

/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(2);
/// Comments that keep idle connections (and proxies) from timing out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn events(
    State(state): State<AppState>,
    current: CurrentUser,
    parts: http::request::Parts,
) -> Result<impl IntoResponse, AppError> {
    let client = client_ip(&parts, state.config.trust_forwarded_for);
    let events = open(&state, &current, &client).await?;
    Ok((
        // Tells a reverse proxy (nginx) not to buffer the stream.
        [("x-accel-buffering", "no")],
        Sse::new(events.map(Ok::<_, Infallible>)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)),
    ))
}

/// The events of `current`'s stream: first the unread state, then each change. 401 if the
/// session ended since the request read it.
pub async fn open(
    state: &AppState,
    current: &CurrentUser,
    client: &str,
) -> Result<impl Stream<Item = Event> + use<>, AppError> {
    let user = current.viewer.id;
    let listener = Listener {
        user,
        session: current.token_hash().to_owned(),
        expires_at: deadline(current.expires_at()),
        client: rate_limit::client_networks(client),
    };
    // Subscribed before reading the state: nothing published in between is missed.
    let subscription = state
        .hub
        .subscribe(listener, state.config.stream_limits)
        .map_err(|refused| {
            tracing::warn!(user, ?refused, "live stream refused");
            AppError::too_many_requests(
                "Trop de pages du site sont ouvertes en même temps : fermez-en quelques-unes.",
            )
        })?;
    // The session is read again once subscribed: a sign-out or revocation that came between
    // the request's first read and the subscription found no stream to end, so it must be
    // seen here; one that comes after reaches the subscription.
    if !current.is_still_live(state).await? {
        return Err(AppError::Unauthorized);
    }
    let unread = messaging::events::unread_state(&state.db, user).await?;
    let first = to_event(&LiveEvent::Unread(unread))
        .id(state.hub.next_id().to_string())
        .retry(RETRY);
    let updates = stream::unfold(subscription, |mut subscription| async move {
        let stamped: Stamped = subscription.next().await?;
        let event = to_event(&stamped.event).id(stamped.id.to_string());
        Some((event, subscription))
    });
    Ok(stream::once(async { first }).chain(updates))
}

/// The instant of `at_ms` (ms since the epoch) on tokio's clock.
fn deadline(at_ms: i64) -> tokio::time::Instant {
    let left = u64::try_from(at_ms - now_ms()).unwrap_or(0);
    tokio::time::Instant::now() + Duration::from_millis(left)
}

fn to_event(event: &LiveEvent) -> Event {
    Event::default().json_data(event).unwrap_or_else(|error| {
        tracing::error!(%error, "live event not serializable");
        Event::default().comment("unserializable event")
    })
}
