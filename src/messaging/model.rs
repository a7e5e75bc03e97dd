//! Conversations and messages as clients receive them: the stable JSON shapes of the
//! messenger's server functions, separate from the database rows.

use crate::{auth::model::Role, concerts::model::ConcertRequest};
use serde::{Deserialize, Serialize};

pub mod limits {
    /// Characters in one message.
    pub const BODY: usize = 5000;
    /// Messages sent in one answer of `conversation`; older ones come on demand.
    pub const THREAD_PAGE: usize = 30;
    /// Characters of the last message shown in the inbox.
    pub const EXCERPT: usize = 140;
    /// Conversations in one page of the inbox; older ones come on demand.
    pub const INBOX_PAGE: usize = 30;
}

/// The other participant of a conversation, as the reader sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The account id.
    pub id: i64,
    pub role: Role,
    /// A host's name or an artist's stage name.
    pub name: String,
    /// Their profile page, when the reader may open it: a host's confidential profile for the
    /// artist they wrote to, an artist's page while it is published.
    pub profile_url: Option<String>,
}

/// One row of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: i64,
    pub other: Party,
    /// The start of the last message, on one line.
    pub excerpt: String,
    /// Whether the reader wrote the last message.
    pub last_from_me: bool,
    /// Milliseconds since the Unix epoch.
    pub last_message_at: i64,
    /// Messages from the other participant the reader has not opened yet.
    pub unread: i64,
    /// Archived by the reader (each participant archives for themself).
    pub archived: bool,
    /// One of the two blocked the other: shown with the archived ones, nobody writes here.
    pub closed: bool,
}

/// The reader's inbox: one page of one view (current or archived), newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub archived: bool,
    pub conversations: Vec<ConversationSummary>,
    /// Unread messages in all the reader's conversations, archived ones included.
    pub unread_total: i64,
    /// When older conversations exist: ask again with `before` = this, for the next page.
    pub older: Option<String>,
}

/// Where a page of the inbox ends: its last conversation's activity and id, written
/// "{last_message_at}.{id}". Pages follow each other by it, whatever arrives meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxCursor {
    pub last_message_at: i64,
    pub id: i64,
}

impl InboxCursor {
    pub fn after(summary: &ConversationSummary) -> Self {
        InboxCursor {
            last_message_at: summary.last_message_at,
            id: summary.id,
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let (at, id) = text.split_once('.')?;
        Some(InboxCursor {
            last_message_at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

impl std::fmt::Display for InboxCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.last_message_at, self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub sender_id: i64,
    pub from_me: bool,
    /// As written, line breaks included: clients show it as text, never as markup.
    pub body: String,
    /// Milliseconds since the Unix epoch.
    pub sent_at: i64,
    /// The concert request this message records a step of (a proposal, an answer), if any:
    /// its card is in the thread's `concerts`.
    pub concert_id: Option<i64>,
}

/// A conversation as opened by one participant, with one page of messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub id: i64,
    pub other: Party,
    pub archived: bool,
    /// One of the two blocked the other: nobody writes here any more ("Cette conversation est
    /// fermée"; which of the two is never told to the other).
    pub closed: bool,
    /// The reader blocked the other participant (and may unblock them).
    pub blocked_by_me: bool,
    pub messages: Vec<Message>,
    /// Whether older messages exist: ask again with `before` = the first message's id.
    pub has_older: bool,
    /// The conversation's concert requests, oldest first, whatever page of messages this is.
    pub concerts: Vec<ConcertRequest>,
    /// The titles of the artist's formules, which a proposal may name (or "autre").
    pub concert_offers: Vec<String>,
}

/// One whole conversation, as its reader sees it, with all its messages oldest first: how
/// "Mes données" gives it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversationRecord {
    pub id: i64,
    /// The other participant, named as the reader's inbox names them.
    pub other: Party,
    /// Milliseconds since the Unix epoch.
    pub started_at: i64,
    pub archived: bool,
    pub closed: bool,
    pub messages: Vec<Message>,
}

/// Whether the asker blocks `person` (after `block_person`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockState {
    pub person: i64,
    pub blocked: bool,
}

/// Someone the asker blocked, as their own list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedPerson {
    /// The account id, to unblock them.
    pub id: i64,
    pub role: Role,
    /// An artist's stage name, a host's name (as the conversation showed it).
    pub name: String,
    /// Milliseconds since the Unix epoch.
    pub blocked_at: i64,
}

/// The reader's number of unread messages, for the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadCount {
    pub total: i64,
}

/// A conversation's state for its reader after archiving or un-archiving it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveState {
    pub conversation_id: i64,
    pub archived: bool,
}

/// What an artist's page offers its visitor for writing to the artist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ContactState {
    /// Anonymous: sign in, or sign up as a host, first.
    SignInRequired,
    /// Artists do not write to artists.
    NotAHost,
    /// A host writes once their profile exists, since the artist will read it.
    ProfileRequired,
    /// A host writes once they confirmed their address.
    AddressUnconfirmed,
    /// The host may write; `conversation_id` is their conversation with this artist, if any;
    /// `artist_id` the artist's account, which the host may block.
    Open {
        artist_id: i64,
        conversation_id: Option<i64>,
    },
    /// The host blocked this artist (`artist_id`): they unblock them to write again.
    BlockedByMe {
        artist_id: i64,
        conversation_id: Option<i64>,
    },
    /// Nobody writes here any more ("Cette conversation est fermée"), for whichever reason.
    Closed { conversation_id: Option<i64> },
}

/// "1 message non lu", "3 messages non lus".
pub fn unread_label(count: i64) -> String {
    if count == 1 {
        "1 message non lu".to_owned()
    } else {
        format!("{count} messages non lus")
    }
}

/// The conversation a path opens, if it is a thread's (`/messages/{id}`).
pub fn open_conversation(path: &str) -> Option<i64> {
    path.strip_prefix("/messages/")?
        .trim_end_matches('/')
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_thread_paths_open_a_conversation() {
        assert_eq!(open_conversation("/messages/42"), Some(42));
        assert_eq!(open_conversation("/messages/42/"), Some(42));
        assert_eq!(open_conversation("/messages"), None);
        assert_eq!(open_conversation("/messages/abc"), None);
        assert_eq!(open_conversation("/artistes/42"), None);
    }
}

/// The messenger's events on the live stream (`GET /events`), tagged by `kind`.
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
