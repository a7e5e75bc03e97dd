//! The messenger's rules behind its server functions: who may write to whom, the
//! allowances, when a message's e-mail leaves, and what each change tells the live streams.
//! The server functions (`api.rs`) read the request and the session, and call these.

use crate::{
    auth::session::CurrentUser,
    db::now_ms,
    error::AppError,
    hosts,
    messaging::{
        events,
        model::{ArchiveState, BlockState, ContactState, Message, limits},
        store,
    },
    moderation,
    rate_limit::{self, Limit},
    state::AppState,
    text::bounded,
};

/// What the artist page at `artist` (a slug) offers `host`, a signed-in host, for writing to
/// the artist. 404 when no published artist is there.
pub async fn contact_state(
    state: &AppState,
    host: &CurrentUser,
    artist: &str,
) -> Result<ContactState, AppError> {
    let artist_id = store::published_artist(&state.db, artist)
        .await?
        .ok_or(AppError::NotFound)?;
    let host_id = host.viewer.id;
    if !has_a_profile(state, host_id).await? {
        return Ok(ContactState::ProfileRequired);
    }
    if !host.viewer.verified {
        return Ok(ContactState::AddressUnconfirmed);
    }
    let conversation_id = store::between(&state.db, host_id, artist_id).await?;
    let blockers = store::blockers_between(&state.db, host_id, artist_id).await?;
    if blockers.contains(&host_id) {
        return Ok(ContactState::BlockedByMe {
            artist_id,
            conversation_id,
        });
    }
    if !blockers.is_empty() {
        return Ok(ContactState::Closed { conversation_id });
    }
    Ok(ContactState::Open {
        artist_id,
        conversation_id,
    })
}

/// `host` (a host whose address is confirmed) writes `typed` to the published artist at
/// `artist`: the first message opens their conversation, later ones continue it.
pub async fn write_to_artist(
    state: &AppState,
    host: i64,
    artist: &str,
    typed: &str,
) -> Result<Message, AppError> {
    let text = message_body(typed)?;
    let artist_id = store::published_artist(&state.db, artist)
        .await?
        .ok_or(AppError::NotFound)?;
    if !has_a_profile(state, host).await? {
        return Err(AppError::refused(
            "Présentez-vous d'abord : complétez votre profil d'hôte, que l'artiste pourra consulter.",
        ));
    }
    if !store::blockers_between(&state.db, host, artist_id)
        .await?
        .is_empty()
    {
        return Err(closed());
    }
    let opens = store::between(&state.db, host, artist_id).await?.is_none();
    if opens {
        spend(state, NewConversations(host)).await?;
    }
    spend(state, Messages(host)).await?;
    let now = now_ms();
    let due = email_due_at(state, now);
    let message = store::write_to_artist(&state.db, host, artist_id, &text, now, due).await?;
    events::message_sent(&state.live, &message).await;
    if opens {
        // The message is sent whatever happens here: a failed check is logged, not answered.
        let flagged = moderation::flags::after_new_conversation(
            state,
            host,
            message.conversation_id,
            &message.body,
        );
        if let Err(error) = flagged.await {
            tracing::error!(%error, "automatic moderation flags could not be checked");
        }
    }
    Ok(message)
}

/// `sender` (whose address is confirmed) replies `typed` in a conversation; 404 if they take
/// no part in it.
pub async fn reply(
    state: &AppState,
    sender: i64,
    conversation_id: i64,
    typed: &str,
) -> Result<Message, AppError> {
    let text = message_body(typed)?;
    if !store::is_member(&state.db, conversation_id, sender).await? {
        return Err(AppError::NotFound);
    }
    other_side_still_here(state, conversation_id, sender).await?;
    spend(state, Messages(sender)).await?;
    let now = now_ms();
    let due = email_due_at(state, now);
    let message = store::send(&state.db, conversation_id, sender, &text, now, due).await?;
    events::message_sent(&state.live, &message).await;
    Ok(message)
}

/// Refuses to write where nobody would read (the other participant deleted their account)
/// or where one of the two blocked the other.
pub(super) async fn other_side_still_here(
    state: &AppState,
    conversation_id: i64,
    me: i64,
) -> Result<(), AppError> {
    match store::other_gone(&state.db, conversation_id, me).await? {
        Some(store::OtherGone::Deleted) => {
            return Err(AppError::refused(
                "Ce compte a été supprimé : personne ne lira plus vos messages ici.",
            ));
        }
        Some(store::OtherGone::Suspended) => return Err(closed()),
        None => {}
    }
    let [host, artist] = store::participants(&state.db, conversation_id).await?;
    if !store::blockers_between(&state.db, host, artist)
        .await?
        .is_empty()
    {
        return Err(closed());
    }
    Ok(())
}

/// The same refusal to both sides of a block: the blocked person never learns of it.
fn closed() -> AppError {
    AppError::refused("Cette conversation est fermée : vous ne pouvez plus y écrire.")
}

/// `me` blocks `person` (or lifts it): neither writes to the other any more. 404 when `me`
/// does not know them through the site (no conversation together, not a published artist),
/// so that ids cannot be probed. Both inboxes are told: the conversation changes view.
pub async fn block(
    state: &AppState,
    me: i64,
    person: i64,
    blocking: bool,
) -> Result<BlockState, AppError> {
    if blocking && !store::may_block(&state.db, me, person).await? {
        return Err(AppError::NotFound);
    }
    let changed = store::set_blocked(&state.db, me, person, blocking, now_ms()).await?;
    if changed && let Some(conversation_id) = store::conversation_of(&state.db, me, person).await? {
        events::archive_changed(&state.live, me, conversation_id).await;
        events::archive_changed(&state.live, person, conversation_id).await;
    }
    Ok(BlockState {
        person,
        blocked: blocking,
    })
}

/// Marks a conversation read by `reader` up to `up_to`; 404 if they take no part in it.
/// Answers their unread count.
pub async fn mark_read(
    state: &AppState,
    reader: i64,
    conversation_id: i64,
    up_to: i64,
) -> Result<i64, AppError> {
    if !store::is_member(&state.db, conversation_id, reader).await? {
        return Err(AppError::NotFound);
    }
    if store::mark_read(&state.db, reader, conversation_id, up_to).await? {
        events::unread_changed(&state.live, reader).await;
    }
    store::unread_total(&state.db, reader, None).await
}

/// Makes the newest message of the other participant unread again for `reader`, as if it
/// had just arrived (the header, the title and the icon follow, live); 404 if they take no
/// part in the conversation. Answers their unread count.
pub async fn mark_unread(
    state: &AppState,
    reader: i64,
    conversation_id: i64,
) -> Result<i64, AppError> {
    if !store::is_member(&state.db, conversation_id, reader).await? {
        return Err(AppError::NotFound);
    }
    if !store::mark_unread(&state.db, reader, conversation_id).await? {
        return Err(AppError::refused(
            "Il n'y a encore aucun message reçu dans cette conversation : rien à marquer comme non lu.",
        ));
    }
    events::unread_changed(&state.live, reader).await;
    store::unread_total(&state.db, reader, None).await
}

/// Archives (or brings back) a conversation for `reader` only; 404 if they take no part in it.
pub async fn archive(
    state: &AppState,
    reader: i64,
    conversation_id: i64,
    archived: bool,
) -> Result<ArchiveState, AppError> {
    if !store::set_archived(&state.db, reader, conversation_id, archived).await? {
        return Err(AppError::NotFound);
    }
    events::archive_changed(&state.live, reader, conversation_id).await;
    Ok(ArchiveState {
        conversation_id,
        archived,
    })
}

/// Whether the host has a profile the artist can read: hosts introduce themselves first.
async fn has_a_profile(state: &AppState, host: i64) -> Result<bool, AppError> {
    Ok(hosts::store::find_visible(&state.db, host, host)
        .await?
        .is_some())
}

/// When the e-mail of a message sent `now` leaves (read on the site before, it does not).
pub(super) fn email_due_at(state: &AppState, now: i64) -> i64 {
    now.saturating_add(i64::try_from(state.config.mail.delay.as_millis()).unwrap_or(i64::MAX))
}

/// A message as stored: line breaks kept, surrounding blanks trimmed, 1 to 5,000 characters.
pub fn message_body(typed: &str) -> Result<String, AppError> {
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
enum Allowance {
    /// Conversations a host starts per day.
    NewConversations(i64),
    /// Messages anyone sends per minute.
    Messages(i64),
}

use Allowance::{Messages, NewConversations};

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

/// Counts one message of `sender` (a reply, or a step of a concert request).
pub(super) async fn spend_message(state: &AppState, sender: i64) -> Result<(), AppError> {
    spend(state, Messages(sender)).await
}

/// Counts one use of `allowance`, or refuses with 429 once it is spent.
async fn spend(state: &AppState, allowance: Allowance) -> Result<(), AppError> {
    let bucket = (allowance.bucket(), allowance.limit(state));
    rate_limit::spend(&state.db, [bucket], allowance.refusal())
        .await
        .map(drop)
}
