//! What the messenger tells the live streams after each change, once it is committed.

use crate::{
    db::Db,
    error::AppError,
    live::model::{LiveEvent, UnreadState},
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

/// Sends the user's unread state to all their streams (after they read, or received).
/// The change itself is saved already: a failure here is logged, and pages catch up when
/// they reconnect.
pub async fn unread_changed(state: &AppState, user: i64) {
    match unread_state(&state.db, user).await {
        Ok(unread) => state.hub.publish(user, LiveEvent::Unread(unread)),
        Err(error) => tracing::error!(%error, user, "unread state not published"),
    }
}

/// A message was sent: both participants' streams get it, each seen from their side, with
/// their new unread state (writing reads the conversation for its sender).
pub async fn message_sent(state: &AppState, message: &Message) {
    let participants = match store::participants(&state.db, message.conversation_id).await {
        Ok((host, artist)) => [host, artist],
        Err(error) => {
            tracing::error!(%error, message.id, "message not published");
            return;
        }
    };
    for user in participants {
        let from_me = user == message.sender_id;
        state.hub.publish(
            user,
            LiveEvent::Message {
                message: Message {
                    from_me,
                    ..message.clone()
                },
            },
        );
        unread_changed(state, user).await;
    }
}

/// The user archived or brought back a conversation: their other tabs follow.
pub fn archive_changed(state: &AppState, user: i64, archive: ArchiveState) {
    state.hub.publish(user, LiveEvent::Archived(archive));
}
