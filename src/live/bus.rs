//! How a change reaches the live streams of every server. A committed change is announced
//! as a `Notice` holding ids only; each server reads what its own connected users need and
//! sends them events. With SQLite (one server) the notice is handled at once, in process;
//! with PostgreSQL it goes through `NOTIFY`, which every server `LISTEN`s to (`listener`),
//! the announcing one included.

use crate::{db::Backend, live::store, messaging::events, state::AppState};
use serde::{Deserialize, Serialize};

/// The PostgreSQL channel the notices travel on.
pub const CHANNEL: &str = "concerts_live";

/// A change, by ids: small enough for any `NOTIFY` payload, and nothing private in it (a
/// session is named by its token's hash, which opens nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A new message: its two participants (read by each server) get it, and their unread
    /// state.
    Message { id: i64 },
    /// The user's unread state changed (they read a conversation).
    Unread { user: i64 },
    /// The user archived or brought back a conversation.
    Archived { user: i64, conversation: i64 },
    /// The user's sessions were revoked: their streams end, and only pages still signed in
    /// get one again.
    SessionsRevoked { user: i64 },
    /// One session of the user ended (signed out): the streams it opened end.
    SessionEnded { user: i64, session: String },
}

/// Tells every server about a committed change. A notice that cannot be sent is logged: the
/// change is saved, and pages catch up when they reconnect.
pub async fn announce(state: &AppState, notice: Notice) {
    match state.db.backend {
        Backend::Sqlite => deliver(state, notice).await,
        Backend::Postgres => {
            let sent = match serde_json::to_string(&notice) {
                Ok(payload) => store::notify(&state.db, CHANNEL, &payload).await,
                Err(error) => Err(crate::error::AppError::internal("notice", error)),
            };
            if let Err(error) = sent {
                tracing::error!(%error, ?notice, "live notice not sent");
            }
        }
    }
}

/// The user's sessions were revoked (password changed or reset, account deleted).
pub async fn sessions_revoked(state: &AppState, user: i64) {
    announce(state, Notice::SessionsRevoked { user }).await;
}

/// The user signed out of one session (its token's hash).
pub async fn session_ended(state: &AppState, user: i64, session: &str) {
    let session = session.to_owned();
    announce(state, Notice::SessionEnded { user, session }).await;
}

/// Turns a notice into events for the streams open on this server.
pub async fn deliver(state: &AppState, notice: Notice) {
    match notice {
        Notice::Message { id } => events::send_message(state, id).await,
        Notice::Unread { user } => events::send_unread(state, user).await,
        Notice::Archived { user, conversation } => {
            events::send_archive(state, user, conversation).await;
        }
        Notice::SessionsRevoked { user } => state.hub.disconnect(user),
        Notice::SessionEnded { user, session } => state.hub.end_session(user, &session),
    }
}

#[cfg(test)]
mod tests {
    use super::Notice;

    #[test]
    fn notices_are_small_json_of_ids() {
        let notices = [
            (
                Notice::Message { id: 42 },
                r#"{"notice":"message","id":42}"#,
            ),
            (
                Notice::Unread { user: 7 },
                r#"{"notice":"unread","user":7}"#,
            ),
            (
                Notice::Archived {
                    user: 7,
                    conversation: 3,
                },
                r#"{"notice":"archived","user":7,"conversation":3}"#,
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
