//! Who is listening, and delivery: one broadcast channel per connected user, shared by all
//! their open streams (tabs, devices). Events live in memory only: a stream that reconnects
//! starts with a fresh read of the user's state.

use crate::live::model::LiveEvent;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};
use tokio::sync::{broadcast, watch};

/// Events a slow stream may fall behind by before it is closed (its page then reconnects
/// and reads its state afresh).
const BACKLOG: usize = 64;

/// An event with its stream id (`id:` in the SSE stream).
#[derive(Debug, Clone)]
pub struct Stamped {
    pub id: u64,
    pub event: Arc<LiveEvent>,
}

#[derive(Clone, Debug)]
pub struct Hub {
    inner: Arc<Inner>,
}

/// One user's channel; `generation` tells it from a later one of the same user (after a
/// `disconnect`), so that an old stream's end never removes a newer channel.
#[derive(Debug)]
struct Channel {
    generation: u64,
    sender: broadcast::Sender<Stamped>,
}

#[derive(Debug)]
struct Inner {
    channels: Mutex<HashMap<i64, Channel>>,
    next_id: AtomicU64,
    closed: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            inner: Arc::new(Inner {
                channels: Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
                closed: watch::Sender::new(false),
            }),
        }
    }
}

impl Hub {
    /// A new stream of `user`'s events.
    pub fn subscribe(&self, user: i64) -> Subscription {
        let mut channels = self.channels();
        let channel = channels.entry(user).or_insert_with(|| Channel {
            generation: self.next_id(),
            sender: broadcast::channel(BACKLOG).0,
        });
        let (generation, receiver) = (channel.generation, channel.sender.subscribe());
        drop(channels);
        Subscription {
            user,
            generation,
            receiver,
            closed: self.inner.closed.subscribe(),
            hub: self.clone(),
        }
    }

    /// A fresh event id (ids grow across all streams of this server).
    pub fn next_id(&self) -> u64 {
        self.inner.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends `event` to every open stream of `user` (none: nothing to do).
    pub fn publish(&self, user: i64, event: LiveEvent) {
        let channels = self.channels();
        if let Some(Channel { sender, .. }) = channels.get(&user) {
            let id = self.next_id();
            // An error only means every stream closed meanwhile; their drop cleans up.
            let _ = sender.send(Stamped {
                id,
                event: Arc::new(event),
            });
        }
    }

    /// Ends every open stream of `user`, whose sessions were just revoked: each page
    /// reconnects, and only those still signed in get a stream again.
    pub fn disconnect(&self, user: i64) {
        // Dropping the sender closes the channel for all its receivers.
        self.channels().remove(&user);
    }

    /// Whether `user` has a stream open on this server.
    pub fn is_connected(&self, user: i64) -> bool {
        self.channels().contains_key(&user)
    }

    /// Ends every open stream (their pages reconnect and read their state afresh), while new
    /// ones keep opening: events may have been missed.
    pub fn disconnect_all(&self) {
        self.channels().clear();
    }

    /// Ends every stream, now and from now on: the server is stopping.
    pub fn close(&self) {
        self.inner.closed.send_replace(true);
    }

    /// Completes once the server is stopping.
    pub async fn closed(&self) {
        let mut closed = self.inner.closed.subscribe();
        let _ = closed.wait_for(|closed| *closed).await;
    }

    /// Open streams, all users together.
    pub fn stream_count(&self) -> usize {
        self.channels()
            .values()
            .map(|channel| channel.sender.receiver_count())
            .sum()
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Channel>> {
        // A panic while holding this lock cannot leave the map half-changed.
        self.inner
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One open stream. Dropping it forgets the user's channel once no stream is left.
pub struct Subscription {
    user: i64,
    generation: u64,
    receiver: broadcast::Receiver<Stamped>,
    closed: watch::Receiver<bool>,
    hub: Hub,
}

impl Subscription {
    /// The next event; `None` once the server stops, or if this stream fell too far behind
    /// (the page reconnects and reads its state afresh).
    pub async fn next(&mut self) -> Option<Stamped> {
        tokio::select! {
            received = self.receiver.recv() => received.ok(),
            _ = self.closed.wait_for(|closed| *closed) => None,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = self.hub.channels();
        // This stream's receiver still counts until the end of this function.
        if channels.get(&self.user).is_some_and(|channel| {
            channel.generation == self.generation && channel.sender.receiver_count() <= 1
        }) {
            channels.remove(&self.user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::model::UnreadState;

    fn unread(total: i64) -> LiveEvent {
        LiveEvent::Unread(UnreadState {
            total,
            conversations: Vec::new(),
        })
    }

    #[tokio::test]
    async fn events_reach_every_stream_of_their_user_only() {
        let hub = Hub::default();
        let (mut first, mut second, mut other) =
            (hub.subscribe(1), hub.subscribe(1), hub.subscribe(2));
        hub.publish(1, unread(3));
        for stream in [&mut first, &mut second] {
            let stamped = stream.next().await.expect("an event");
            assert_eq!(*stamped.event, unread(3));
        }
        hub.publish(2, unread(7));
        assert_eq!(*other.next().await.expect("an event").event, unread(7));
        assert_eq!(hub.stream_count(), 3);
        drop((first, second));
        assert_eq!(hub.stream_count(), 1, "the user's channel is forgotten");
    }

    #[tokio::test]
    async fn disconnecting_a_user_ends_their_streams_only() {
        let hub = Hub::default();
        let (mut revoked, mut other) = (hub.subscribe(1), hub.subscribe(2));
        hub.disconnect(1);
        assert!(revoked.next().await.is_none());
        // A stream opened afterwards outlives the end of the revoked one.
        let mut reopened = hub.subscribe(1);
        drop(revoked);
        hub.publish(1, unread(2));
        assert_eq!(*reopened.next().await.expect("an event").event, unread(2));
        hub.publish(2, unread(1));
        assert_eq!(*other.next().await.expect("an event").event, unread(1));
    }

    #[tokio::test]
    async fn disconnecting_all_ends_every_stream_but_not_later_ones() {
        let hub = Hub::default();
        let (mut first, mut second) = (hub.subscribe(1), hub.subscribe(2));
        assert!(hub.is_connected(1) && hub.is_connected(2));
        hub.disconnect_all();
        assert!(first.next().await.is_none());
        assert!(second.next().await.is_none());
        assert!(!hub.is_connected(1));
        let mut later = hub.subscribe(1);
        drop(first);
        hub.publish(1, unread(4));
        assert_eq!(*later.next().await.expect("an event").event, unread(4));
    }

    #[tokio::test]
    async fn closing_ends_open_and_later_streams() {
        let hub = Hub::default();
        let mut open = hub.subscribe(1);
        hub.close();
        assert!(open.next().await.is_none());
        assert!(hub.subscribe(1).next().await.is_none());
    }
}
