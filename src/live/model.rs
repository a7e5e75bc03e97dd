//! The events of the live stream, as JSON: the same shapes for the browser and the mobile app.

use crate::messaging::model::{ArchiveState, Message};
use serde::{Deserialize, Serialize};

/// One event of `GET /events`, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// The user's unread messages, whole: sent first on every (re)connection, then after each
    /// change (a message received, a conversation read in any tab).
    Unread(UnreadState),
    /// A message in one of the user's conversations, theirs (from another tab or device) or
    /// the other participant's.
    Message { message: Message },
    /// The user archived or brought back a conversation.
    Archived(ArchiveState),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadState {
    pub total: i64,
    /// Conversations with unread messages (the others have none).
    pub conversations: Vec<ConversationUnread>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationUnread {
    pub conversation_id: i64,
    pub unread: i64,
}

impl UnreadState {
    pub fn from_counts(counts: Vec<(i64, i64)>) -> Self {
        let conversations: Vec<ConversationUnread> = counts
            .into_iter()
            .filter(|(_, unread)| *unread > 0)
            .map(|(conversation_id, unread)| ConversationUnread {
                conversation_id,
                unread,
            })
            .collect();
        UnreadState {
            total: conversations.iter().map(|c| c.unread).sum(),
            conversations,
        }
    }

    pub fn in_conversation(&self, conversation_id: i64) -> i64 {
        self.conversations
            .iter()
            .find(|c| c.conversation_id == conversation_id)
            .map_or(0, |c| c.unread)
    }
}
