//! Who is listening, and delivery: one broadcast channel per connected user, shared by all
//! their open streams (tabs, devices). Events live in memory only: a stream that reconnects
//! starts with a fresh read of the user's state.
//!
//! Each stream belongs to the session that opened it, and ends with it: when it is signed
//! out (the channel carries the end of a session to the user's streams), when it expires (a
//! deadline of the stream's own), or when all the user's sessions are revoked.

use crate::config::StreamLimits;
use serde::Serialize;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};
use tokio::{sync::broadcast, time::Instant};
use tokio_util::sync::CancellationToken;

/// Events a slow stream may fall behind by before it is closed (its page then reconnects
/// and reads its state afresh).
const BACKLOG: usize = 64;

/// An event with its stream id (`id:` in the SSE stream). The event is JSON text, written
/// once for all the user's streams; which feature's it is, the hub does not know.
#[derive(Debug, Clone)]
pub struct Stamped {
    pub id: u64,
    pub event: Arc<str>,
}

/// What a user's channel carries to their streams.
#[derive(Debug, Clone)]
enum Delivery {
    Event(Stamped),
    /// This session (its token's hash) ended: its streams stop.
    SessionEnded(Arc<str>),
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
    sender: broadcast::Sender<Delivery>,
}

#[derive(Debug)]
struct Inner {
    channels: Mutex<HashMap<i64, Channel>>,
    /// Open streams per client network (as `rate_limit::client_networks` names them).
    per_client: Mutex<HashMap<String, u32>>,
    next_id: AtomicU64,
    /// Cancelled when the server stops: every stream ends, and none opens any more.
    shutdown: CancellationToken,
}

/// Whose stream is being opened, and how many each may hold open on this server.
#[derive(Debug, Clone)]
pub struct Listener {
    pub user: i64,
    /// The hash of the session's token: the stream ends with the session.
    pub session: String,
    /// When the session expires if nothing renews it.
    pub expires_at: Instant,
    /// The client's networks (`rate_limit::client_networks`), each with how many times the
    /// per-client allowance it gets: an IPv6 /48 holds 65,536 /64s, not 65,536 allowances.
    pub client: Vec<(String, u32)>,
}

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TooManyForAccount,
    TooManyForClient,
}

impl Hub {
    /// A hub whose streams all end once `shutdown` is cancelled.
    pub fn new(shutdown: CancellationToken) -> Self {
        Hub {
            inner: Arc::new(Inner {
                channels: Mutex::new(HashMap::new()),
                per_client: Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
                shutdown,
            }),
        }
    }

    /// A new stream of `listener.user`'s events, unless they (or their address) already hold
    /// as many as `limits` allow.
    pub fn subscribe(
        &self,
        listener: Listener,
        limits: StreamLimits,
    ) -> Result<Subscription, Refused> {
        let mut channels = self.channels();
        let mut per_client = lock(&self.inner.per_client);
        let open_for_account = channels
            .get(&listener.user)
            .map_or(0, |channel| channel.sender.receiver_count());
        if open_for_account >= limits.per_account as usize {
            return Err(Refused::TooManyForAccount);
        }
        let full = listener.client.iter().any(|(network, times)| {
            per_client.get(network).copied().unwrap_or(0)
                >= limits.per_client.saturating_mul(*times)
        });
        if full {
            return Err(Refused::TooManyForClient);
        }
        for (network, _) in &listener.client {
            *per_client.entry(network.clone()).or_insert(0) += 1;
        }
        drop(per_client);
        let channel = channels.entry(listener.user).or_insert_with(|| Channel {
            generation: self.next_id(),
            sender: broadcast::channel(BACKLOG).0,
        });
        let (generation, receiver) = (channel.generation, channel.sender.subscribe());
        drop(channels);
        Ok(Subscription {
            listener,
            generation,
            receiver,
            shutdown: self.inner.shutdown.clone(),
            hub: self.clone(),
        })
    }

    /// A fresh event id (ids grow across all streams of this server).
    pub fn next_id(&self) -> u64 {
        self.inner.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends `event`, as JSON, to every open stream of `user` (none: nothing to do).
    pub fn publish(&self, user: i64, event: &impl Serialize) {
        let channels = self.channels();
        let Some(Channel { sender, .. }) = channels.get(&user) else {
            return;
        };
        match serde_json::to_string(event) {
            Ok(json) => {
                let id = self.next_id();
                // An error only means every stream closed meanwhile; their drop cleans up.
                let _ = sender.send(Delivery::Event(Stamped {
                    id,
                    event: json.into(),
                }));
            }
            Err(error) => tracing::error!(%error, user, "live event not serializable"),
        }
    }

    /// Ends the streams that `session` (its token's hash) of `user` opened: signed out.
    pub fn end_session(&self, user: i64, session: &str) {
        if let Some(Channel { sender, .. }) = self.channels().get(&user) {
            let _ = sender.send(Delivery::SessionEnded(session.into()));
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

    /// Open streams, all users together.
    pub fn stream_count(&self) -> usize {
        self.channels()
            .values()
            .map(|channel| channel.sender.receiver_count())
            .sum()
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Channel>> {
        lock(&self.inner.channels)
    }
}

/// A panic while holding one of the hub's locks cannot leave its map half-changed.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One open stream. Dropping it forgets the user's channel once no stream is left.
pub struct Subscription {
    listener: Listener,
    generation: u64,
    receiver: broadcast::Receiver<Delivery>,
    shutdown: CancellationToken,
    hub: Hub,
}

impl Subscription {
    /// The next event; `None` once the server stops, the session ended or expired, or if
    /// this stream fell too far behind (the page reconnects and reads its state afresh).
    pub async fn next(&mut self) -> Option<Stamped> {
        let expiry = tokio::time::sleep_until(self.listener.expires_at);
        tokio::pin!(expiry);
        loop {
            let delivery = tokio::select! {
                received = self.receiver.recv() => received.ok()?,
                () = self.shutdown.cancelled() => return None,
                () = &mut expiry => return None,
            };
            match delivery {
                Delivery::Event(stamped) => return Some(stamped),
                Delivery::SessionEnded(session) if *session == *self.listener.session => {
                    return None;
                }
                Delivery::SessionEnded(_) => {}
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let user = self.listener.user;
        let mut channels = self.hub.channels();
        // This stream's receiver still counts until the end of this function.
        if channels.get(&user).is_some_and(|channel| {
            channel.generation == self.generation && channel.sender.receiver_count() <= 1
        }) {
            channels.remove(&user);
        }
        drop(channels);
        let mut per_client = lock(&self.hub.inner.per_client);
        for (network, _) in &self.listener.client {
            if let Some(open) = per_client.get_mut(network) {
                *open = open.saturating_sub(1);
                if *open == 0 {
                    per_client.remove(network);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOMY: StreamLimits = StreamLimits {
        per_account: 100,
        per_client: 100,
    };

    fn listener(user: i64, session: &str) -> Listener {
        Listener {
            user,
            session: session.to_owned(),
            expires_at: Instant::now() + std::time::Duration::from_secs(3600),
            client: vec![(format!("client of {session}"), 1)],
        }
    }

    impl Hub {
        /// A stream of `user` in a session of its own.
        fn listen(&self, user: i64) -> Subscription {
            self.subscribe(
                listener(user, &format!("session {}", self.next_id())),
                ROOMY,
            )
            .expect("within limits")
        }
    }

    /// Any event a feature might publish.
    #[derive(Serialize)]
    struct Unread {
        total: i64,
    }

    fn unread(total: i64) -> Unread {
        Unread { total }
    }

    /// `event` as its streams receive it.
    fn sent(total: i64) -> Arc<str> {
        format!(r#"{{"total":{total}}}"#).into()
    }

    #[tokio::test]
    async fn events_reach_every_stream_of_their_user_only() {
        let hub = Hub::new(CancellationToken::new());
        let (mut first, mut second, mut other) = (hub.listen(1), hub.listen(1), hub.listen(2));
        hub.publish(1, &unread(3));
        for stream in [&mut first, &mut second] {
            let stamped = stream.next().await.expect("an event");
            assert_eq!(stamped.event, sent(3));
        }
        hub.publish(2, &unread(7));
        assert_eq!(other.next().await.expect("an event").event, sent(7));
        assert_eq!(hub.stream_count(), 3);
        drop((first, second));
        assert_eq!(hub.stream_count(), 1, "the user's channel is forgotten");
    }

    #[tokio::test]
    async fn disconnecting_a_user_ends_their_streams_only() {
        let hub = Hub::new(CancellationToken::new());
        let (mut revoked, mut other) = (hub.listen(1), hub.listen(2));
        hub.disconnect(1);
        assert!(revoked.next().await.is_none());
        // A stream opened afterwards outlives the end of the revoked one.
        let mut reopened = hub.listen(1);
        drop(revoked);
        hub.publish(1, &unread(2));
        assert_eq!(reopened.next().await.expect("an event").event, sent(2));
        hub.publish(2, &unread(1));
        assert_eq!(other.next().await.expect("an event").event, sent(1));
    }

    #[tokio::test]
    async fn disconnecting_all_ends_every_stream_but_not_later_ones() {
        let hub = Hub::new(CancellationToken::new());
        let (mut first, mut second) = (hub.listen(1), hub.listen(2));
        assert!(hub.is_connected(1) && hub.is_connected(2));
        hub.disconnect_all();
        assert!(first.next().await.is_none());
        assert!(second.next().await.is_none());
        assert!(!hub.is_connected(1));
        let mut later = hub.listen(1);
        drop(first);
        hub.publish(1, &unread(4));
        assert_eq!(later.next().await.expect("an event").event, sent(4));
    }

    #[tokio::test]
    async fn shutting_down_ends_open_and_later_streams() {
        let shutdown = CancellationToken::new();
        let hub = Hub::new(shutdown.clone());
        let mut open = hub.listen(1);
        shutdown.cancel();
        assert!(open.next().await.is_none());
        assert!(hub.listen(1).next().await.is_none());
    }

    #[tokio::test]
    async fn ending_a_session_ends_its_streams_only() {
        let hub = Hub::new(CancellationToken::new());
        let mut signed_out = hub.subscribe(listener(1, "a"), ROOMY).unwrap();
        let mut same_session = hub.subscribe(listener(1, "a"), ROOMY).unwrap();
        let mut other_session = hub.subscribe(listener(1, "b"), ROOMY).unwrap();
        hub.end_session(1, "a");
        assert!(signed_out.next().await.is_none());
        assert!(same_session.next().await.is_none());
        hub.publish(1, &unread(5));
        assert_eq!(other_session.next().await.expect("an event").event, sent(5));
    }

    #[tokio::test]
    async fn a_stream_ends_when_its_session_expires() {
        let hub = Hub::new(CancellationToken::new());
        let lifetime = std::time::Duration::from_millis(50);
        let mut expiring = hub
            .subscribe(
                Listener {
                    expires_at: Instant::now() + lifetime,
                    ..listener(1, "a")
                },
                ROOMY,
            )
            .unwrap();
        let started = Instant::now();
        assert!(expiring.next().await.is_none());
        assert!(
            started.elapsed() >= lifetime,
            "not before the session expires"
        );
    }

    #[tokio::test]
    async fn streams_are_limited_per_account_and_per_client() {
        let hub = Hub::new(CancellationToken::new());
        let limits = StreamLimits {
            per_account: 2,
            per_client: 3,
        };
        let on = |user, client: &str| Listener {
            client: vec![(client.to_owned(), 1)],
            ..listener(user, "s")
        };
        let first = hub.subscribe(on(1, "x"), limits).unwrap();
        let _second = hub.subscribe(on(1, "y"), limits).unwrap();
        assert_eq!(
            hub.subscribe(on(1, "z"), limits).err(),
            Some(Refused::TooManyForAccount)
        );
        let _third = hub.subscribe(on(2, "x"), limits).unwrap();
        let _fourth = hub.subscribe(on(3, "x"), limits).unwrap();
        assert_eq!(
            hub.subscribe(on(4, "x"), limits).err(),
            Some(Refused::TooManyForClient)
        );
        drop(first);
        assert!(
            hub.subscribe(on(4, "x"), limits).is_ok(),
            "a closed stream frees its place"
        );
    }

    #[tokio::test]
    async fn an_ipv6_network_gets_a_few_allowances_not_one_per_64() {
        let hub = Hub::new(CancellationToken::new());
        let limits = StreamLimits {
            per_account: 100,
            per_client: 2,
        };
        let from = |user: i64, ip: &str| Listener {
            client: crate::rate_limit::client_networks(ip),
            ..listener(user, "s")
        };
        // 2 per /64, 8 per /56, 32 per /48: the /48's 17th /64 finds it full.
        let mut open = Vec::new();
        for n in 0..16u32 {
            for user in 0..2 {
                let ip = format!("2001:db8:7:{:x}00::{}", n, user + 1);
                let stream = hub.subscribe(from(i64::from(n * 2) + user, &ip), limits);
                open.push(stream.expect("within the /64's, /56's and /48's allowances"));
            }
        }
        assert_eq!(
            hub.subscribe(from(99, "2001:db8:7:ff00::1"), limits).err(),
            Some(Refused::TooManyForClient)
        );
        assert!(
            hub.subscribe(from(99, "2001:db8:8::1"), limits).is_ok(),
            "another /48 is another client"
        );
    }
}
