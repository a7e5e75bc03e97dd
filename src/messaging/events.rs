//! What the messenger keeps live. A change, once committed, is announced by ids on the
//! messenger's topic (`live::bus`); every server then reads what its own streams need and
//! sends it. Registered at start-up by `TOPIC`.

use crate::{
    db::Db,
    error::AppError,
    live::bus::{Live, Topic, read_notice, to_json},
    messaging::{
        model::{ArchiveState, LiveEvent, Message, UnreadState},
        store,
    },
};
use serde::{Deserialize, Serialize};

/// The messenger's name on the live bus.
const NAME: &str = "messaging";

/// The messenger on the live bus.
pub const TOPIC: Topic = Topic {
    name: NAME,
    deliver: |live, body| Box::pin(deliver(live, body)),
    first_events: |live, user| Box::pin(first_events(live, user)),
};

/// A change of the messenger, by ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
enum Notice {
    /// A new message: its two participants (read by each server) get it, and their unread
    /// state.
    Message { id: i64 },
    /// The user's unread state changed (they read a conversation).
    Unread { user: i64 },
    /// The user archived or brought back a conversation.
    Archived { user: i64, conversation: i64 },
}

/// The user's unread messages, per conversation and in total.
pub async fn unread_state(db: &Db, user: i64) -> Result<UnreadState, AppError> {
    Ok(UnreadState::from_counts(
        store::unread_by_conversation(db, user).await?,
    ))
}

/// The user read a conversation: all their streams get the new unread state.
pub async fn unread_changed(live: &Live, user: i64) {
    live.announce(NAME, &Notice::Unread { user }).await;
}

/// A message was sent: both participants' streams get it.
pub async fn message_sent(live: &Live, message: &Message) {
    live.announce(NAME, &Notice::Message { id: message.id })
        .await;
}

/// The user archived or brought back a conversation: their other tabs follow.
pub async fn archive_changed(live: &Live, user: i64, conversation_id: i64) {
    let conversation = conversation_id;
    live.announce(NAME, &Notice::Archived { user, conversation })
        .await;
}

/// A stream starts with the user's unread state.
async fn first_events(live: Live, user: i64) -> Result<Vec<std::sync::Arc<str>>, AppError> {
    let unread = unread_state(&live.db, user).await?;
    Ok(vec![to_json(&LiveEvent::Unread(unread))?])
}

async fn deliver(live: Live, body: serde_json::Value) {
    match read_notice(NAME, body) {
        Some(Notice::Message { id }) => send_message(&live, id).await,
        Some(Notice::Unread { user }) => send_unread(&live, user).await,
        Some(Notice::Archived { user, conversation }) => {
            send_archive(&live, user, conversation).await;
        }
        None => {}
    }
}

/// Sends the user's unread state to their streams on this server, if any. The change is
/// saved already: a failure here is logged, and pages catch up when they reconnect.
async fn send_unread(live: &Live, user: i64) {
    if !live.hub.is_connected(user) {
        return;
    }
    match unread_state(&live.db, user).await {
        Ok(unread) => live.hub.publish(user, &LiveEvent::Unread(unread)),
        Err(error) => tracing::error!(%error, user, "unread state not sent"),
    }
}

/// Sends a new message to the streams its participants have on this server, each seen from
/// their side, with their new unread state (writing reads the conversation for its sender).
/// The participants are read from the database, never taken from the notice: whoever can
/// `NOTIFY` cannot send a message to someone outside its conversation.
async fn send_message(live: &Live, id: i64) {
    if live.hub.stream_count() == 0 {
        return;
    }
    let read = async {
        let Some(message) = store::message(&live.db, id).await? else {
            return Ok(None);
        };
        let users = store::participants(&live.db, message.conversation_id).await?;
        Ok::<_, AppError>(Some((message, users)))
    };
    let (message, users) = match read.await {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(error) => {
            tracing::error!(%error, id, "message not sent to live streams");
            return;
        }
    };
    for user in users
        .into_iter()
        .filter(|user| live.hub.is_connected(*user))
    {
        let mut seen = message.clone();
        seen.from_me = user == message.sender_id;
        live.hub
            .publish(user, &LiveEvent::Message { message: seen });
        send_unread(live, user).await;
    }
}

/// Sends the conversation's archive state to the user's streams on this server.
async fn send_archive(live: &Live, user: i64, conversation_id: i64) {
    if !live.hub.is_connected(user) {
        return;
    }
    match store::is_archived(&live.db, user, conversation_id).await {
        Ok(Some(archived)) => live.hub.publish(
            user,
            &LiveEvent::Archived(ArchiveState {
                conversation_id,
                archived,
            }),
        ),
        Ok(None) => {}
        Err(error) => tracing::error!(%error, user, "archive state not sent"),
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
        ];
        for (notice, json) in notices {
            assert_eq!(serde_json::to_string(&notice).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<Notice>(json).ok(), Some(notice));
        }
    }
}
