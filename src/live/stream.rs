//! A listener's stream of Server-Sent Events: first what every topic starts a stream with,
//! then each event published to the user. Who the listener is (the signed-in user, their
//! session) is for the caller to establish: `server.rs` serves it at `GET /events`.

use crate::{
    config::StreamLimits,
    db::now_ms,
    error::AppError,
    live::{
        bus::Live,
        hub::{Listener, Stamped},
    },
};
use axum::response::{
    IntoResponse,
    sse::{Event, KeepAlive, Sse},
};
use futures::{
    future::BoxFuture,
    stream::{self, Stream, StreamExt},
};
use std::{convert::Infallible, time::Duration};

/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(2);
/// Comments that keep idle connections (and proxies) from timing out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The HTTP response carrying `events`.
pub fn response(events: impl Stream<Item = Event> + Send + 'static) -> impl IntoResponse {
    (
        // Tells a reverse proxy (nginx) not to buffer the stream.
        [("x-accel-buffering", "no")],
        Sse::new(events.map(Ok::<_, Infallible>)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)),
    )
}

/// Opens `listener`'s stream, unless they hold as many as `limits` allow (429) or
/// `still_live`, read once subscribed, says their session ended meanwhile (401).
pub async fn open(
    live: &Live,
    listener: Listener,
    limits: StreamLimits,
    still_live: BoxFuture<'_, Result<bool, AppError>>,
) -> Result<impl Stream<Item = Event> + use<>, AppError> {
    let user = listener.user;
    // Subscribed before reading the state: nothing published in between is missed.
    let subscription = live.hub.subscribe(listener, limits).map_err(|refused| {
        tracing::warn!(user, ?refused, "live stream refused");
        AppError::too_many_requests(
            "Trop de pages du site sont ouvertes en même temps : fermez-en quelques-unes.",
        )
    })?;
    // A sign-out or revocation that came between the caller's first read of the session and
    // the subscription found no stream to end, so it must be seen here; one that comes after
    // reaches the subscription.
    if !still_live.await? {
        return Err(AppError::Unauthorized);
    }
    let first: Vec<Event> = live
        .first_events(user)
        .await?
        .iter()
        .map(|event| to_event(event, live.hub.next_id()).retry(RETRY))
        .collect();
    let updates = stream::unfold(subscription, |mut subscription| async move {
        let Stamped { id, event } = subscription.next().await?;
        Some((to_event(&event, id), subscription))
    });
    Ok(stream::iter(first).chain(updates))
}

/// The instant of `at_ms` (ms since the epoch) on tokio's clock.
pub fn deadline(at_ms: i64) -> tokio::time::Instant {
    let left = u64::try_from(at_ms - now_ms()).unwrap_or(0);
    tokio::time::Instant::now() + Duration::from_millis(left)
}

/// An event's JSON text (written without line breaks) as the `data:` of an SSE event.
fn to_event(json: &str, id: u64) -> Event {
    Event::default().data(json).id(id.to_string())
}
