//! Server functions of the messenger. A conversation someone takes no part in answers 404,
//! exactly like one that does not exist.

use crate::{
    error::AppError,
    messaging::model::{ArchiveState, ContactState, Inbox, Message, Thread, UnreadCount},
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    artists,
    auth::{
        model::Role,
        session::{current_user, signed_in, signed_in_as, signed_in_verified},
    },
    db::now_ms,
    hosts,
    messaging::{events, model::InboxCursor, store},
    paths::thread_path,
    rate_limit::{self, Limit},
    state::{AppState, app_state, respond},
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
            let state = app_state()?;
            let host = user.viewer.id;
            let artist_id = artists::store::published_id(&state.db, &artist)
                .await?
                .ok_or(AppError::NotFound)?;
            if hosts::store::find_visible(&state.db, host, host)
                .await?
                .is_none()
            {
                return Ok(ContactState::ProfileRequired);
            }
            if !user.viewer.verified {
                return Ok(ContactState::AddressUnconfirmed);
            }
            Ok(ContactState::Open {
                conversation_id: store::between(&state.db, host, artist_id).await?,
            })
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
            let state = app_state()?;
            let keep = |error: AppError| error.keeping(&[("body", &body)]);
            let text = message_body(&body).map_err(keep)?;
            let artist_id = artists::store::published_id(&state.db, &artist)
                .await?
                .ok_or(AppError::NotFound)?;
            if hosts::store::find_visible(&state.db, host, host)
                .await?
                .is_none()
            {
                return Err(keep(AppError::refused(
                    "Présentez-vous d'abord : complétez votre profil d'hôte, que l'artiste pourra consulter.",
                )));
            }
            let is_new = store::between(&state.db, host, artist_id).await?.is_none();
            if is_new {
                spend(&state, NewConversations(host)).await.map_err(keep)?;
            }
            spend(&state, Messages(host)).await.map_err(keep)?;
            let now = now_ms();
            let message = store::write_to_artist(
                &state.db,
                host,
                artist_id,
                &text,
                now,
                email_due_at(&state, now),
            )
            .await?;
            events::message_sent(&state.live, &message).await;
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
            let state = app_state()?;
            let keep = |error: AppError| error.keeping(&[("body", &body)]);
            let text = message_body(&body).map_err(keep)?;
            if !store::is_member(&state.db, conversation_id, sender).await? {
                return Err(AppError::NotFound);
            }
            if store::other_is_deleted(&state.db, conversation_id, sender).await? {
                return Err(keep(AppError::refused(
                    "Ce compte a été supprimé : personne ne lira plus vos messages ici.",
                )));
            }
            spend(&state, Messages(sender)).await.map_err(keep)?;
            let now = now_ms();
            let message = store::send(
                &state.db,
                conversation_id,
                sender,
                &text,
                now,
                email_due_at(&state, now),
            )
            .await?;
            events::message_sent(&state.live, &message).await;
            Ok(message)
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
            store::thread(&state.db, reader, id, before)
                .await?
                .ok_or(AppError::NotFound)
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
            let state = app_state()?;
            if !store::is_member(&state.db, conversation_id, reader).await? {
                return Err(AppError::NotFound);
            }
            if store::mark_read(&state.db, reader, conversation_id, up_to).await? {
                events::unread_changed(&state.live, reader).await;
            }
            Ok(UnreadCount {
                total: store::unread_total(&state.db, reader, None).await?,
            })
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
            let state = app_state()?;
            if !store::set_archived(&state.db, reader, id, archived).await? {
                return Err(AppError::NotFound);
            }
            let archive = ArchiveState {
                conversation_id: id,
                archived,
            };
            events::archive_changed(&state.live, reader, id).await;
            Ok(archive)
        }
        .await,
    )
}

/// When the e-mail of a message sent `now` leaves (read on the site before, it does not).
#[cfg(feature = "ssr")]
fn email_due_at(state: &AppState, now: i64) -> i64 {
    now.saturating_add(i64::try_from(state.config.mail.delay.as_millis()).unwrap_or(i64::MAX))
}

/// A message as stored: line breaks kept, surrounding blanks trimmed, 1 to 5,000 characters.
#[cfg(feature = "ssr")]
fn message_body(typed: &str) -> Result<String, AppError> {
    use crate::{messaging::model::limits, text::bounded};
    let body = bounded("body", "Votre message", typed, limits::BODY)?;
    if body.is_empty() {
        return Err(AppError::invalid(
            "body",
            "Écrivez votre message avant de l'envoyer.",
        ));
    }
    Ok(body)
}

/// The allowances of the messenger, each counted per user.
#[cfg(feature = "ssr")]
enum Allowance {
    /// Conversations a host starts per day.
    NewConversations(i64),
    /// Messages anyone sends per minute.
    Messages(i64),
}

#[cfg(feature = "ssr")]
use Allowance::{Messages, NewConversations};

#[cfg(feature = "ssr")]
impl Allowance {
    fn bucket(&self) -> String {
        match self {
            NewConversations(host) => format!("conversations:host:{host}"),
            Messages(sender) => format!("messages:user:{sender}"),
        }
    }

    fn limit(&self, state: &AppState) -> Limit {
        let limits = state.config.messaging_limits;
        match self {
            NewConversations(_) => Limit {
                max: limits.new_conversations_per_day,
                window: std::time::Duration::from_secs(24 * 60 * 60),
            },
            Messages(_) => Limit {
                max: limits.messages_per_minute,
                window: std::time::Duration::from_secs(60),
            },
        }
    }

    fn refusal(&self) -> &'static str {
        match self {
            NewConversations(_) => {
                "Vous avez écrit à beaucoup de nouveaux artistes aujourd'hui : vous pourrez en contacter d'autres demain. Vos conversations en cours restent ouvertes."
            }
            Messages(_) => {
                "Vous envoyez beaucoup de messages à la suite. Attendez une minute, puis réessayez."
            }
        }
    }
}

/// Counts one use of `allowance`, or refuses with 429 once it is spent.
#[cfg(feature = "ssr")]
async fn spend(state: &AppState, allowance: Allowance) -> Result<(), AppError> {
    let bucket = (allowance.bucket(), allowance.limit(state));
    rate_limit::spend(&state.db, [bucket], allowance.refusal())
        .await
        .map(drop)
}
