//! How a change reaches the live streams of every server. A committed change is announced
//! as a notice holding ids only; each server reads what its own connected users need and
//! sends them events. With SQLite (one server) the notice is handled at once, in process;
//! with PostgreSQL it goes through `NOTIFY`, which every server `LISTEN`s to (`listener`),
//! the announcing one included.
//!
//! The bus knows no feature: each one registers a `Topic` at start-up (its name, how to
//! deliver its notices, what a new stream starts with) and announces its notices as its own
//! JSON, which the bus carries without reading.

use crate::{
    db::{Backend, Db},
    error::AppError,
    live::{hub::Hub, store},
};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::sync::Arc;

/// The PostgreSQL channel the notices travel on.
pub const CHANNEL: &str = "concerts_live";

/// A notice: small enough for any `NOTIFY` payload, and nothing private in it (a session is
/// named by its token's hash, which opens nothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A feature's change, in the feature's own words.
    Change {
        topic: String,
        body: serde_json::Value,
    },
    /// The user's sessions were revoked: their streams end, and only pages still signed in
    /// get one again.
    SessionsRevoked { user: i64 },
    /// One session of the user ended (signed out): the streams it opened end.
    SessionEnded { user: i64, session: String },
}

/// The events a feature's topic starts a stream with, as JSON text.
pub type FirstEvents = BoxFuture<'static, Result<Vec<Arc<str>>, AppError>>;

/// What a feature keeps live, registered at start-up.
#[derive(Debug, Clone, Copy)]
pub struct Topic {
    /// The feature's name in notices.
    pub name: &'static str,
    /// Turns one of its notices into events for the streams open on this server.
    pub deliver: fn(Live, serde_json::Value) -> BoxFuture<'static, ()>,
    /// The events a new stream of the user starts with: the whole state the feature keeps
    /// live, read afresh (a page that reconnects may have missed changes).
    pub first_events: fn(Live, i64) -> FirstEvents,
}

/// The live transport of this server: its streams, the database that carries notices
/// between servers, and the topics registered.
#[derive(Debug, Clone)]
pub struct Live {
    pub db: Db,
    pub hub: Hub,
    topics: Arc<[Topic]>,
}

impl Live {
    pub fn new(db: Db, hub: Hub, topics: Vec<Topic>) -> Self {
        Live {
            db,
            hub,
            topics: topics.into(),
        }
    }

    /// Tells every server about a committed change of `topic`. A notice that cannot be sent
    /// is logged: the change is saved, and pages catch up when they reconnect.
    pub async fn announce(&self, topic: &'static str, body: &impl Serialize) {
        match serde_json::to_value(body) {
            Ok(body) => {
                let topic = topic.to_owned();
                self.send(Notice::Change { topic, body }).await;
            }
            Err(error) => tracing::error!(%error, topic, "live notice not serializable"),
        }
    }

    /// The user's sessions were revoked (password changed or reset, account deleted).
    pub async fn sessions_revoked(&self, user: i64) {
        self.send(Notice::SessionsRevoked { user }).await;
    }

    /// The user signed out of one session (its token's hash).
    pub async fn session_ended(&self, user: i64, session: &str) {
        let session = session.to_owned();
        self.send(Notice::SessionEnded { user, session }).await;
    }

    async fn send(&self, notice: Notice) {
        match self.db.backend {
            Backend::Sqlite => self.deliver(notice).await,
            Backend::Postgres => {
                let sent = match serde_json::to_string(&notice) {
                    Ok(payload) => store::notify(&self.db, CHANNEL, &payload).await,
                    Err(error) => Err(AppError::internal("notice", error)),
                };
                if let Err(error) = sent {
                    tracing::error!(%error, ?notice, "live notice not sent");
                }
            }
        }
    }

    /// Turns a notice into events for the streams open on this server.
    pub async fn deliver(&self, notice: Notice) {
        match notice {
            Notice::Change { topic, body } => {
                match self.topics.iter().find(|known| known.name == topic) {
                    Some(known) => (known.deliver)(self.clone(), body).await,
                    None => tracing::error!(topic, "live notice of an unknown topic"),
                }
            }
            Notice::SessionsRevoked { user } => self.hub.disconnect(user),
            Notice::SessionEnded { user, session } => self.hub.end_session(user, &session),
        }
    }

    /// What a new stream of `user` starts with, every topic's, as JSON text.
    pub async fn first_events(&self, user: i64) -> Result<Vec<Arc<str>>, AppError> {
        let mut events = Vec::new();
        for topic in self.topics.iter() {
            events.extend((topic.first_events)(self.clone(), user).await?);
        }
        Ok(events)
    }
}

/// Reads a topic's notice, for its `deliver`: a notice this server cannot read (sent by
/// another version, or forged) is logged and dropped.
pub fn read_notice<T: DeserializeOwned>(topic: &str, body: serde_json::Value) -> Option<T> {
    serde_json::from_value(body)
        .inspect_err(|error| tracing::error!(%error, topic, "unreadable live notice"))
        .ok()
}

/// An event as JSON text, for a topic's `first_events`.
pub fn to_json(event: &impl Serialize) -> Result<Arc<str>, AppError> {
    serde_json::to_string(event)
        .map(Arc::from)
        .map_err(|error| AppError::internal("live event", error))
}

#[cfg(test)]
mod tests {
    use super::Notice;
    use serde_json::json;

    #[test]
    fn notices_are_small_json_of_ids() {
        let notices = [
            (
                Notice::Change {
                    topic: "messaging".to_owned(),
                    body: json!({"notice": "message", "id": 42}),
                },
                r#"{"notice":"change","topic":"messaging","body":{"id":42,"notice":"message"}}"#,
            ),
            (
                Notice::SessionsRevoked { user: 7 },
                r#"{"notice":"sessions_revoked","user":7}"#,
            ),
            (
                Notice::SessionEnded {
                    user: 7,
                    session: "aGFzaA".to_owned(),
                },
                r#"{"notice":"session_ended","user":7,"session":"aGFzaA"}"#,
            ),
        ];
        for (notice, json) in notices {
            assert_eq!(serde_json::to_string(&notice).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<Notice>(json).ok(), Some(notice));
        }
    }
}
