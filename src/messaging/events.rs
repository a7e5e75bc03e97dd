//! What the messenger tells the live streams. A change, once committed, is announced by ids
//! (`live::bus`); every server then reads what its own streams need and sends it.

use crate::{
    db::Db,
    error::AppError,
    live::{
        bus::{self, Notice},
        model::{LiveEvent, UnreadState},
    },
    messaging::{
        model::{ArchiveState, Message},
        store,
    },
    state::AppState,
};

/// The user's unread messages, per conversation and in total.
pub async fn unread_state(db: &Db, user: i64) -> Result<UnreadState, AppError> {
    Ok(UnreadState::from_counts(
        store::unread_by_conversation(db, user).await?,
    ))
}

/// The user read a conversation: all their streams get the new unread state.
pub async fn unread_changed(state: &AppState, user: i64) {
    bus::announce(state, Notice::Unread { user }).await;
}

/// A message was sent: both participants' streams get it.
pub async fn message_sent(state: &AppState, message: &Message) {
    bus::announce(state, Notice::Message { id: message.id }).await;
}

/// The user archived or brought back a conversation: their other tabs follow.
pub async fn archive_changed(state: &AppState, user: i64, conversation_id: i64) {
    bus::announce(
        state,
        Notice::Archived {
            user,
            conversation: conversation_id,
        },
    )
    .await;
}

/// Sends the user's unread state to their streams on this server, if any. The change is
/// saved already: a failure here is logged, and pages catch up when they reconnect.
pub async fn send_unread(state: &AppState, user: i64) {
    if !state.hub.is_connected(user) {
        return;
    }
    match unread_state(&state.db, user).await {
        Ok(unread) => state.hub.publish(user, LiveEvent::Unread(unread)),
        Err(error) => tracing::error!(%error, user, "unread state not sent"),
    }
}

/// Sends a new message to the streams its participants have on this server, each seen from
/// their side, with their new unread state (writing reads the conversation for its sender).
/// The participants are read from the database, never taken from the notice: whoever can
/// `NOTIFY` cannot send a message to someone outside its conversation.
pub async fn send_message(state: &AppState, id: i64) {
    if state.hub.stream_count() == 0 {
        return;
    }
    let read = async {
        let Some(message) = store::message(&state.db, id).await? else {
            return Ok(None);
        };
        let users = store::participants(&state.db, message.conversation_id).await?;
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
        .filter(|user| state.hub.is_connected(*user))
    {
        let mut seen = message.clone();
        seen.from_me = user == message.sender_id;
        state
            .hub
            .publish(user, LiveEvent::Message { message: seen });
        send_unread(state, user).await;
    }
}

/// Sends the conversation's archive state to the user's streams on this server.
pub async fn send_archive(state: &AppState, user: i64, conversation_id: i64) {
    if !state.hub.is_connected(user) {
        return;
    }
    match store::is_archived(&state.db, user, conversation_id).await {
        Ok(Some(archived)) => state.hub.publish(
            user,
            LiveEvent::Archived(ArchiveState {
                conversation_id,
                archived,
            }),
        ),
        Ok(None) => {}
        Err(error) => tracing::error!(%error, user, "archive state not sent"),
    }
}
