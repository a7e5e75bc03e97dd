//! `GET /events`: the signed-in user's live stream (401 without a session).

use crate::{
    auth::session::CurrentUser,
    error::AppError,
    live::{hub::Stamped, model::LiveEvent},
    messaging,
    state::AppState,
};
use axum::{
    extract::State,
    response::{
        IntoResponse,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures::stream::{self, StreamExt};
use std::{convert::Infallible, time::Duration};

/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(2);
/// Comments that keep idle connections (and proxies) from timing out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<impl IntoResponse, AppError> {
    let user = user.viewer.id;
    // Subscribed before reading the state: nothing published in between is missed.
    let subscription = state.hub.subscribe(user);
    let unread = messaging::events::unread_state(&state.db, user).await?;
    let first = to_event(&LiveEvent::Unread(unread))
        .id(state.hub.next_id().to_string())
        .retry(RETRY);
    let updates = stream::unfold(subscription, |mut subscription| async move {
        let stamped: Stamped = subscription.next().await?;
        let event = to_event(&stamped.event).id(stamped.id.to_string());
        Some((event, subscription))
    });
    let events = stream::once(async { first })
        .chain(updates)
        .map(Ok::<_, Infallible>);
    Ok((
        // Tells a reverse proxy (nginx) not to buffer the stream.
        [("x-accel-buffering", "no")],
        Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)),
    ))
}

fn to_event(event: &LiveEvent) -> Event {
    Event::default().json_data(event).unwrap_or_else(|error| {
        tracing::error!(%error, "live event not serializable");
        Event::default().comment("unserializable event")
    })
}
