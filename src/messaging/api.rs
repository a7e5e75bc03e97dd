//! Server functions of the messenger. A conversation someone takes no part in answers 404,
//! exactly like one that does not exist.

use crate::{
    concerts::model::{ConcertRequest, ProposalForm},
    error::AppError,
    messaging::model::{
        ArchiveState, BlockState, BlockedPerson, ContactState, Inbox, Message, Thread, UnreadCount,
    },
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::{
        model::Role,
        session::{current_user, signed_in, signed_in_as, signed_in_verified},
    },
    messaging::{bookings, conversations, model::InboxCursor, store},
    paths::{MESSAGES, thread_path},
    state::{app_state, respond},
};

/// What the artist page offers its visitor for writing to the artist `artist` (a slug).
#[server(endpoint = "contact_state")]
pub async fn artist_contact_state(artist: String) -> Result<ContactState, AppError> {
    respond(
        async {
            let Some(user) = current_user() else {
                return Ok(ContactState::SignInRequired);
            };
            if user.viewer.role != Role::Host {
                return Ok(ContactState::NotAHost);
            }
            conversations::contact_state(&app_state()?, &user, &artist).await
        }
        .await,
    )
}

/// A host writes to the published artist `artist` (a slug): the first message opens their
/// conversation, later ones continue it. Leads the browser to the conversation.
#[server(endpoint = "write_to_artist")]
pub async fn write_to_artist(artist: String, body: String) -> Result<Message, AppError> {
    respond(
        async {
            let host = signed_in_as(Role::Host)?;
            signed_in_verified()?;
            let message = conversations::write_to_artist(&app_state()?, host, &artist, &body)
                .await
                .map_err(|error| error.keeping(&[("body", &body)]))?;
            leptos_axum::redirect(&thread_path(message.conversation_id));
            Ok(message)
        }
        .await,
    )
}

/// Replies in a conversation the signed-in user takes part in.
#[server(endpoint = "send_message")]
pub async fn send_message(conversation_id: i64, body: String) -> Result<Message, AppError> {
    respond(
        async {
            let sender = signed_in_verified()?;
            conversations::reply(&app_state()?, sender, conversation_id, &body)
                .await
                .map_err(|error| error.keeping(&[("body", &body)]))
        }
        .await,
    )
}

/// The signed-in user's conversations, one page at a time: current ones, or with `archived`
/// the archived ones; with `before` (an answer's `older`), the next older page.
#[server(endpoint = "inbox")]
pub async fn my_inbox(archived: bool, before: Option<String>) -> Result<Inbox, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            let before = match before.as_deref() {
                Some(text) => Some(InboxCursor::parse(text).ok_or(AppError::NotFound)?),
                None => None,
            };
            let db = app_state()?.db;
            let (conversations, has_older) = store::inbox(&db, reader, archived, before).await?;
            let older = conversations
                .last()
                .filter(|_| has_older)
                .map(|last| InboxCursor::after(last).to_string());
            Ok(Inbox {
                archived,
                conversations,
                unread_total: store::unread_total(&db, reader, None).await?,
                older,
            })
        }
        .await,
    )
}

/// A conversation's newest messages; with `before` (a message id), the page of older
/// messages before it. Reading changes nothing: the page that shows a conversation marks it
/// read through `mark_read` once it is in view in a browser, so that the server's answer to a
/// GET (a prefetch, a link followed by a crawler or a mail scanner) never does.
#[server(endpoint = "conversation")]
pub async fn conversation(id: i64, before: Option<i64>) -> Result<Thread, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            let state = app_state()?;
            let mut thread = store::thread(&state.db, reader, id, before)
                .await?
                .ok_or(AppError::NotFound)?;
            bookings::add_to_thread(&state, reader, &mut thread).await?;
            Ok(thread)
        }
        .await,
    )
}

/// Marks a conversation read up to `up_to` (one of its messages), as an open conversation
/// does when a message arrives while it is in view. Answers the reader's unread count.
#[server(endpoint = "mark_read")]
pub async fn mark_read(conversation_id: i64, up_to: i64) -> Result<UnreadCount, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            let total =
                conversations::mark_read(&app_state()?, reader, conversation_id, up_to).await?;
            Ok(UnreadCount { total })
        }
        .await,
    )
}

/// Makes the newest message the other participant wrote in the conversation unread again
/// for the signed-in user (the ones before it stay read), then leads the browser to the
/// inbox: the conversation's page would read it again at once.
#[server(endpoint = "mark_unread")]
pub async fn mark_unread(conversation_id: i64) -> Result<UnreadCount, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            let total = conversations::mark_unread(&app_state()?, reader, conversation_id).await?;
            leptos_axum::redirect(MESSAGES);
            Ok(UnreadCount { total })
        }
        .await,
    )
}

/// The signed-in user's unread messages in all conversations, but `reading`: the one being
/// opened alongside, which opening marks read.
#[server(endpoint = "unread_count")]
pub async fn my_unread_count(reading: Option<i64>) -> Result<UnreadCount, AppError> {
    respond(
        async {
            let total = store::unread_total(&app_state()?.db, signed_in()?, reading).await?;
            Ok(UnreadCount { total })
        }
        .await,
    )
}

/// Archives (or with `archived` = false, brings back) a conversation, for the signed-in user
/// only: the other participant keeps it where it was.
#[server(endpoint = "archive_conversation")]
pub async fn archive_conversation(id: i64, archived: bool) -> Result<ArchiveState, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            conversations::archive(&app_state()?, reader, id, archived).await
        }
        .await,
    )
}

/// Blocks `person` (or with `blocked` = false, unblocks them): neither writes to the other any
/// more, their conversation leaves both current inboxes, and an artist who blocks a host no
/// longer sees the host's profile. The blocked person is never told. 404 for someone the
/// signed-in user does not know through the site.
#[server(endpoint = "block_person")]
pub async fn block_person(person: i64, blocked: bool) -> Result<BlockState, AppError> {
    respond(
        async {
            let me = signed_in()?;
            conversations::block(&app_state()?, me, person, blocked).await
        }
        .await,
    )
}

/// The people the signed-in user blocked, the latest first.
#[server(endpoint = "blocked_people")]
pub async fn blocked_people() -> Result<Vec<BlockedPerson>, AppError> {
    respond(
        async {
            let me = signed_in()?;
            store::blocked_people(&app_state()?.db, me).await
        }
        .await,
    )
}

/// The host proposes a concert to the artist of their conversation: a date and a start time
/// (Paris time), a formule of the artist's (or "autre"), the guests expected, a fee (optional)
/// and a note. It arrives in the conversation as a message with its card.
#[server(endpoint = "propose_concert")]
pub async fn propose_concert(
    conversation_id: i64,
    proposal: ProposalForm,
) -> Result<ConcertRequest, AppError> {
    respond(
        async {
            let host = signed_in_verified()?;
            bookings::propose(&app_state()?, host, conversation_id, &proposal).await
        }
        .await,
    )
}

/// Answers the proposal `id` with other terms: a new request that replaces it.
#[server(endpoint = "counter_concert")]
pub async fn counter_concert(id: i64, proposal: ProposalForm) -> Result<ConcertRequest, AppError> {
    respond(
        async {
            let reader = signed_in_verified()?;
            bookings::counter(&app_state()?, reader, id, &proposal).await
        }
        .await,
    )
}

/// Accepts the proposal `id`: the concert is on.
#[server(endpoint = "accept_concert")]
pub async fn accept_concert(id: i64) -> Result<ConcertRequest, AppError> {
    respond(
        async {
            let reader = signed_in_verified()?;
            bookings::accept(&app_state()?, reader, id).await
        }
        .await,
    )
}

/// Declines the proposal `id`, with a reason if one is given.
#[server(endpoint = "decline_concert")]
pub async fn decline_concert(id: i64, reason: Option<String>) -> Result<ConcertRequest, AppError> {
    respond(
        async {
            let reader = signed_in_verified()?;
            bookings::decline(&app_state()?, reader, id, reason.as_deref()).await
        }
        .await,
    )
}

/// Withdraws one's own proposal `id`, or calls off the accepted concert `id` before its date
/// (with a reason).
#[server(endpoint = "cancel_concert")]
pub async fn cancel_concert(id: i64, reason: Option<String>) -> Result<ConcertRequest, AppError> {
    respond(
        async {
            let reader = signed_in_verified()?;
            bookings::cancel(&app_state()?, reader, id, reason.as_deref()).await
        }
        .await,
    )
}
