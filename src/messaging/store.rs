//! SQL for conversations and messages. Every read and write goes through the asking user's
//! row in `conversation_members`: someone who is not a participant finds nothing, and the
//! caller answers 404.

use crate::{
    auth::model::Role,
    db::Db,
    error::AppError,
    mail,
    messaging::model::{
        BlockedPerson, ConversationRecord, ConversationSummary, InboxCursor, Message, Party,
        Thread, limits,
    },
    paths::{artist_path, host_path},
};
use futures::{Stream, StreamExt};
use sqlx::{Any, Transaction};

/// The conversation as one participant (`me`) sees it.
const CONVERSATION_COLUMNS: &str = "c.id, c.host_id, c.artist_id, \
     h.name AS host_name, a.stage_name AS artist_name, a.slug AS artist_slug, \
     a.published AS artist_published, me.archived, \
     CASE WHEN EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = me.user_id \
     AND b.blocked_id IN (c.host_id, c.artist_id)) THEN 1 ELSE 0 END AS blocked_by_me, \
     CASE WHEN EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id IN (c.host_id, c.artist_id) \
     AND b.blocked_id IN (c.host_id, c.artist_id)) OR EXISTS (SELECT 1 FROM users s \
     WHERE s.id IN (c.host_id, c.artist_id) AND s.id <> me.user_id \
     AND s.suspended_at IS NOT NULL) THEN 1 ELSE 0 END AS closed, \
     CASE WHEN EXISTS (SELECT 1 FROM users s WHERE s.id IN (c.host_id, c.artist_id) \
     AND s.id <> me.user_id AND s.suspended_at IS NOT NULL) THEN 1 ELSE 0 END AS other_suspended";

/// Joins for `CONVERSATION_COLUMNS`; the caller adds `WHERE me.user_id = <reader>`.
const FROM_MY_CONVERSATIONS: &str = "FROM conversation_members me \
     JOIN conversations c ON c.id = me.conversation_id \
     LEFT JOIN hosts h ON h.user_id = c.host_id \
     LEFT JOIN artists a ON a.user_id = c.artist_id";

/// Messages of `me`'s conversation `c` written by the other participant and not yet read.
const UNREAD_IN_CONVERSATION: &str = "(SELECT COUNT(*) FROM messages u \
     WHERE u.conversation_id = c.id AND u.id > me.last_read_message_id \
     AND u.sender_id <> me.user_id)";

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    host_id: i64,
    artist_id: i64,
    host_name: Option<String>,
    artist_name: Option<String>,
    artist_slug: Option<String>,
    artist_published: Option<i64>,
    archived: i64,
    /// The reader blocked the other participant.
    blocked_by_me: i64,
    /// One of the two blocked the other, or the other is suspended: nobody writes here any
    /// more.
    closed: i64,
    /// The moderators suspended the other participant's account.
    other_suspended: i64,
}

impl ConversationRow {
    /// The participant who is not `reader`: a suspended account by that name only, with no
    /// profile to open.
    fn other(&self, reader: i64) -> Party {
        let suspended = self.other_suspended != 0;
        let name = |name: Option<&str>| {
            if suspended {
                SUSPENDED_ACCOUNT.to_owned()
            } else {
                display_name(name)
            }
        };
        if reader == self.host_id {
            Party {
                id: self.artist_id,
                role: Role::Artist,
                name: name(self.artist_name.as_deref()),
                profile_url: self
                    .artist_slug
                    .as_deref()
                    .filter(|_| self.artist_published == Some(1))
                    .map(artist_path),
            }
        } else {
            Party {
                id: self.host_id,
                role: Role::Host,
                name: name(self.host_name.as_deref()),
                // An artist who blocked a host no longer sees their profile, nor a suspended
                // host's.
                profile_url: (self.host_name.is_some() && self.blocked_by_me == 0 && !suspended)
                    .then(|| host_path(self.host_id)),
            }
        }
    }
}

/// A profile is only ever missing once its account was deleted (hosts write once they have
/// one, and are written to back; artists are written to once published).
fn display_name(name: Option<&str>) -> String {
    name.filter(|name| !name.is_empty())
        .unwrap_or(DELETED_ACCOUNT)
        .to_owned()
}

pub const DELETED_ACCOUNT: &str = "Compte supprimé";
/// How a conversation names a participant the moderators suspended.
pub const SUSPENDED_ACCOUNT: &str = "Compte suspendu";

#[derive(sqlx::FromRow)]
struct InboxRow {
    #[sqlx(flatten)]
    conversation: ConversationRow,
    last_body: String,
    last_length: i64,
    last_sender_id: i64,
    last_message_at: i64,
    unread: i64,
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    conversation_id: i64,
    sender_id: i64,
    body: String,
    created_at: i64,
    concert_id: Option<i64>,
}

impl MessageRow {
    fn into_message(self, reader: i64) -> Message {
        Message {
            id: self.id,
            conversation_id: self.conversation_id,
            sender_id: self.sender_id,
            from_me: self.sender_id == reader,
            body: self.body,
            sent_at: self.created_at,
            concert_id: self.concert_id,
        }
    }
}

/// The account id of the published artist at `slug`: whom a host writes to.
pub async fn published_artist(db: &Db, slug: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM artists WHERE slug = $1 AND published = 1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The conversation between this host and this artist, if they have one.
pub async fn between(db: &Db, host_id: i64, artist_id: i64) -> Result<Option<i64>, AppError> {
    find_between(&db.pool, host_id, artist_id).await
}

async fn find_between<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    host_id: i64,
    artist_id: i64,
) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM conversations WHERE host_id = $1 AND artist_id = $2")
            .bind(host_id)
            .bind(artist_id)
            .fetch_optional(executor)
            .await?,
    )
}

/// Writes the host's message to the artist: in their conversation, created with it if it is
/// the first.
pub async fn write_to_artist(
    db: &Db,
    host_id: i64,
    artist_id: i64,
    body: &str,
    now: i64,
    email_due_at: i64,
) -> Result<Message, AppError> {
    let mut tx = db.begin_write().await?;
    let existing = find_between(&mut *tx, host_id, artist_id).await?;
    let conversation_id = match existing {
        Some(id) => id,
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO conversations (host_id, artist_id, created_at, last_message_at) \
                 VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(host_id)
            .bind(artist_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO conversation_members (conversation_id, user_id) \
                 VALUES ($1, $2), ($1, $3)",
            )
            .bind(id)
            .bind(host_id)
            .bind(artist_id)
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    let message = append(
        &mut tx,
        conversation_id,
        host_id,
        body,
        None,
        now,
        email_due_at,
    )
    .await?;
    tx.commit().await?;
    Ok(message)
}

/// Why nobody reads a conversation's new messages any more, if so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherGone {
    /// The other participant deleted their account.
    Deleted,
    /// The moderators suspended it.
    Suspended,
}

/// Whether the other participant of the conversation is gone, and how.
pub async fn other_gone(
    db: &Db,
    conversation_id: i64,
    me: i64,
) -> Result<Option<OtherGone>, AppError> {
    let state: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT u.deleted_at, u.suspended_at FROM conversation_members cm \
         JOIN users u ON u.id = cm.user_id WHERE cm.conversation_id = $1 AND cm.user_id <> $2",
    )
    .bind(conversation_id)
    .bind(me)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match state {
        Some((Some(_), _)) => Some(OtherGone::Deleted),
        Some((None, Some(_))) => Some(OtherGone::Suspended),
        _ => None,
    })
}

/// Whether `user` takes part in the conversation.
pub async fn is_member(db: &Db, conversation_id: i64, user: i64) -> Result<bool, AppError> {
    let member: Option<i64> = sqlx::query_scalar(
        "SELECT conversation_id FROM conversation_members \
         WHERE conversation_id = $1 AND user_id = $2",
    )
    .bind(conversation_id)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    Ok(member.is_some())
}

/// Adds `sender`'s message to a conversation; the caller checked they take part in it
/// (`is_member`: participants never change). A recipient who asked for e-mails gets one,
/// due at `email_due_at`.
pub async fn send(
    db: &Db,
    conversation_id: i64,
    sender: i64,
    body: &str,
    now: i64,
    email_due_at: i64,
) -> Result<Message, AppError> {
    let mut tx = db.begin_write().await?;
    let message = append(
        &mut tx,
        conversation_id,
        sender,
        body,
        None,
        now,
        email_due_at,
    )
    .await?;
    tx.commit().await?;
    Ok(message)
}

/// Adds a message in the caller's transaction: a reply, or the step of a concert request
/// (`concert_id`) stored with it.
pub async fn append(
    tx: &mut Transaction<'static, Any>,
    conversation_id: i64,
    sender: i64,
    body: &str,
    concert_id: Option<i64>,
    now: i64,
    email_due_at: i64,
) -> Result<Message, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, sender_id, body, created_at, concert_id) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(conversation_id)
    .bind(sender)
    .bind(body)
    .bind(now)
    .bind(concert_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE conversations SET last_message_id = $1, last_message_at = $2 WHERE id = $3",
    )
    .bind(id)
    .bind(now)
    .bind(conversation_id)
    .execute(&mut **tx)
    .await?;
    // Whoever writes has read the conversation so far.
    sqlx::query(
        "UPDATE conversation_members SET last_read_message_id = $1 \
         WHERE conversation_id = $2 AND user_id = $3",
    )
    .bind(id)
    .bind(conversation_id)
    .bind(sender)
    .execute(&mut **tx)
    .await?;
    mail::store::enqueue_message(tx, conversation_id, id, sender, email_due_at, now).await?;
    // A new message brings the conversation back for its recipient, not for its sender.
    sqlx::query(
        "UPDATE conversation_members SET archived = 0 \
         WHERE conversation_id = $1 AND user_id <> $2",
    )
    .bind(conversation_id)
    .bind(sender)
    .execute(&mut **tx)
    .await?;
    Ok(Message {
        id,
        conversation_id,
        sender_id: sender,
        from_me: true,
        body: body.to_owned(),
        sent_at: now,
        concert_id,
    })
}

/// One page of the reader's conversations in one view (current or archived), newest
/// activity first, from after `before`; and whether older ones follow.
pub async fn inbox(
    db: &Db,
    reader: i64,
    archived: bool,
    before: Option<InboxCursor>,
) -> Result<(Vec<ConversationSummary>, bool), AppError> {
    let before = before.unwrap_or(InboxCursor {
        last_message_at: i64::MAX,
        id: i64::MAX,
    });
    let rows: Vec<InboxRow> = sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS}, SUBSTR(m.body, 1, CAST($3 AS INTEGER)) AS last_body, \
         LENGTH(m.body) AS last_length, m.sender_id AS last_sender_id, c.last_message_at, {UNREAD_IN_CONVERSATION} AS unread \
         {FROM_MY_CONVERSATIONS} JOIN messages m ON m.id = c.last_message_id \
         WHERE me.user_id = $1 \
         AND (CASE WHEN me.archived = 1 OR EXISTS (SELECT 1 FROM blocks b \
         WHERE b.blocker_id IN (c.host_id, c.artist_id) AND b.blocked_id IN (c.host_id, c.artist_id)) \
         THEN 1 ELSE 0 END) = $2 \
         AND (c.last_message_at < $4 OR (c.last_message_at = $4 AND c.id < $5)) \
         ORDER BY c.last_message_at DESC, c.id DESC LIMIT $6"
    ))
    .bind(reader)
    .bind(i64::from(archived))
    // Room for the line breaks and spaces the excerpt folds.
    .bind(i64::try_from(limits::EXCERPT * 2).unwrap_or(i64::MAX))
    .bind(before.last_message_at)
    .bind(before.id)
    // One more than a page: whether older ones follow.
    .bind(i64::try_from(limits::INBOX_PAGE + 1).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?;
    let has_older = rows.len() > limits::INBOX_PAGE;
    let page = rows
        .into_iter()
        .take(limits::INBOX_PAGE)
        .map(|row| ConversationSummary {
            id: row.conversation.id,
            other: row.conversation.other(reader),
            excerpt: excerpt(
                &row.last_body,
                usize::try_from(row.last_length).unwrap_or(usize::MAX),
            ),
            last_from_me: row.last_sender_id == reader,
            last_message_at: row.last_message_at,
            unread: row.unread,
            archived: row.conversation.archived != 0,
            closed: row.conversation.closed != 0,
        })
        .collect();
    Ok((page, has_older))
}

/// The start of a message (`fetched` of its `length` characters) on one line, cut at
/// `limits::EXCERPT` characters, with "…" when something is left out.
fn excerpt(fetched: &str, length: usize) -> String {
    let line = fetched.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = line.chars().take(limits::EXCERPT).collect();
    if cut.len() < line.len() || fetched.chars().count() < length {
        format!("{}…", cut.trim_end())
    } else {
        line
    }
}

/// Unread messages in all the reader's conversations, except `reading` (the one being
/// opened, which opening marks read).
pub async fn unread_total(db: &Db, reader: i64, reading: Option<i64>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM conversation_members me \
         JOIN messages u ON u.conversation_id = me.conversation_id \
         AND u.id > me.last_read_message_id AND u.sender_id <> me.user_id \
         WHERE me.user_id = $1 AND me.conversation_id <> $2",
    )
    .bind(reader)
    .bind(reading.unwrap_or(-1))
    .fetch_one(&db.pool)
    .await?)
}

/// Unread messages of each of the reader's conversations that has some.
pub async fn unread_by_conversation(db: &Db, reader: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT me.conversation_id, COUNT(*) FROM conversation_members me \
         JOIN messages u ON u.conversation_id = me.conversation_id \
         AND u.id > me.last_read_message_id AND u.sender_id <> me.user_id \
         WHERE me.user_id = $1 GROUP BY me.conversation_id",
    )
    .bind(reader)
    .fetch_all(&db.pool)
    .await?)
}

/// (host, artist) of a conversation.
pub async fn participants(db: &Db, conversation_id: i64) -> Result<[i64; 2], AppError> {
    let (host, artist) =
        sqlx::query_as("SELECT host_id, artist_id FROM conversations WHERE id = $1")
            .bind(conversation_id)
            .fetch_one(&db.pool)
            .await?;
    Ok([host, artist])
}

/// A message, seen from its sender's side; `None` if it no longer exists.
pub async fn message(db: &Db, id: i64) -> Result<Option<Message>, AppError> {
    let row: Option<MessageRow> = sqlx::query_as(
        "SELECT id, conversation_id, sender_id, body, created_at, concert_id FROM messages \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|row| {
        let sender = row.sender_id;
        row.into_message(sender)
    }))
}

/// Whether the reader has archived the conversation; `None` if they take no part in it.
pub async fn is_archived(
    db: &Db,
    reader: i64,
    conversation_id: i64,
) -> Result<Option<bool>, AppError> {
    let archived: Option<i64> = sqlx::query_scalar(
        "SELECT archived FROM conversation_members WHERE conversation_id = $1 AND user_id = $2",
    )
    .bind(conversation_id)
    .bind(reader)
    .fetch_optional(&db.pool)
    .await?;
    Ok(archived.map(|archived| archived != 0))
}

/// One page of the conversation for the reader: the `limits::THREAD_PAGE` messages before
/// `before` (or the newest), oldest first. `None` if the reader takes no part in it.
pub async fn thread(
    db: &Db,
    reader: i64,
    conversation_id: i64,
    before: Option<i64>,
) -> Result<Option<Thread>, AppError> {
    let row: Option<ConversationRow> = sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} {FROM_MY_CONVERSATIONS} \
         WHERE me.user_id = $1 AND c.id = $2"
    ))
    .bind(reader)
    .bind(conversation_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let page = i64::try_from(limits::THREAD_PAGE).unwrap_or(i64::MAX);
    let mut messages: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, conversation_id, sender_id, body, created_at, concert_id FROM messages \
         WHERE conversation_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(conversation_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(page + 1)
    .fetch_all(&db.pool)
    .await?;
    let has_older = messages.len() > limits::THREAD_PAGE;
    messages.truncate(limits::THREAD_PAGE);
    messages.reverse();
    let thread = Thread {
        id: row.id,
        other: row.other(reader),
        archived: row.archived != 0,
        closed: row.closed != 0,
        blocked_by_me: row.blocked_by_me != 0,
        messages: messages
            .into_iter()
            .map(|message| message.into_message(reader))
            .collect(),
        has_older,
        concerts: Vec::new(),
        concert_offers: Vec::new(),
    };
    Ok(Some(thread))
}

/// Every conversation of the reader, archived and closed ones included, oldest first, without
/// their messages (`messages_of` streams them).
pub async fn all_conversations(db: &Db, reader: i64) -> Result<Vec<ConversationRecord>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        conversation: ConversationRow,
        started_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS}, c.created_at AS started_at {FROM_MY_CONVERSATIONS} \
         WHERE me.user_id = $1 ORDER BY c.id"
    ))
    .bind(reader)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ConversationRecord {
            id: row.conversation.id,
            other: row.conversation.other(reader),
            started_at: row.started_at,
            archived: row.conversation.archived != 0,
            closed: row.conversation.closed != 0,
            messages: Vec::new(),
        })
        .collect())
}

/// All the messages of the reader's conversation, oldest first, as the database yields them
/// (none are held together); nothing if the reader takes no part in it.
pub fn messages_of(
    db: &Db,
    reader: i64,
    conversation_id: i64,
) -> impl Stream<Item = Result<Message, AppError>> + Send + '_ {
    sqlx::query_as::<_, MessageRow>(
        "SELECT m.id, m.conversation_id, m.sender_id, m.body, m.created_at, m.concert_id \
         FROM messages m JOIN conversation_members me ON me.conversation_id = m.conversation_id \
         WHERE me.user_id = $1 AND m.conversation_id = $2 ORDER BY m.id",
    )
    .bind(reader)
    .bind(conversation_id)
    .fetch(&db.pool)
    .map(move |row| Ok(row?.into_message(reader)))
}

/// Marks the reader's conversation read up to message `up_to`, a message of this
/// conversation (never backwards, never past what exists). `false` if nothing changed.
pub async fn mark_read(
    db: &Db,
    reader: i64,
    conversation_id: i64,
    up_to: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE conversation_members SET last_read_message_id = $1 \
         WHERE conversation_id = $2 AND user_id = $3 AND last_read_message_id < $1 \
         AND EXISTS (SELECT 1 FROM messages WHERE id = $1 AND conversation_id = $2)",
    )
    .bind(up_to)
    .bind(conversation_id)
    .bind(reader)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Makes the newest message the other participant wrote unread again for the reader (the
/// ones before it stay read). `false` if the other participant wrote nothing yet.
pub async fn mark_unread(db: &Db, reader: i64, conversation_id: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE conversation_members SET last_read_message_id = \
         (SELECT MAX(id) - 1 FROM messages WHERE conversation_id = $1 AND sender_id <> $2) \
         WHERE conversation_id = $1 AND user_id = $2 \
         AND EXISTS (SELECT 1 FROM messages WHERE conversation_id = $1 AND sender_id <> $2)",
    )
    .bind(conversation_id)
    .bind(reader)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Archives or un-archives the conversation for the reader only; `false` if they take no
/// part in it.
pub async fn set_archived(
    db: &Db,
    reader: i64,
    conversation_id: i64,
    archived: bool,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE conversation_members SET archived = $1 WHERE conversation_id = $2 AND user_id = $3",
    )
    .bind(i64::from(archived))
    .bind(conversation_id)
    .bind(reader)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who of the two blocked the other: none, one, or both.
pub async fn blockers_between(db: &Db, one: i64, other: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT blocker_id FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) \
         OR (blocker_id = $2 AND blocked_id = $1)",
    )
    .bind(one)
    .bind(other)
    .fetch_all(&db.pool)
    .await?)
}

/// The conversation of these two people, whichever of them is the host.
pub async fn conversation_of(db: &Db, one: i64, other: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM conversations WHERE (host_id = $1 AND artist_id = $2) \
         OR (host_id = $2 AND artist_id = $1)",
    )
    .bind(one)
    .bind(other)
    .fetch_optional(&db.pool)
    .await?)
}

/// Whether `me` knows of `person` through the site, and so may block them: they share a
/// conversation, or `person` is a published artist (whom a host may block before any word).
pub async fn may_block(db: &Db, me: i64, person: i64) -> Result<bool, AppError> {
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT 1 WHERE $1 <> $2 AND (\
         EXISTS (SELECT 1 FROM conversations WHERE (host_id = $1 AND artist_id = $2) \
                 OR (host_id = $2 AND artist_id = $1)) \
         OR EXISTS (SELECT 1 FROM artists WHERE user_id = $2 AND published = 1))",
    )
    .bind(me)
    .bind(person)
    .fetch_optional(&db.pool)
    .await?;
    Ok(known.is_some())
}

/// Records that `blocker` blocks `blocked`, or lifts it; `true` if that changed something.
pub async fn set_blocked(
    db: &Db,
    blocker: i64,
    blocked: i64,
    blocking: bool,
    now: i64,
) -> Result<bool, AppError> {
    let query = if blocking {
        sqlx::query(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
        )
        .bind(blocker)
        .bind(blocked)
        .bind(now)
    } else {
        sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
            .bind(blocker)
            .bind(blocked)
    };
    Ok(query.execute(&db.pool).await?.rows_affected() > 0)
}

#[derive(sqlx::FromRow)]
struct BlockedRow {
    blocked_id: i64,
    role: String,
    stage_name: Option<String>,
    host_name: Option<String>,
    created_at: i64,
}

/// The people `blocker` blocked, the latest first.
pub async fn blocked_people(db: &Db, blocker: i64) -> Result<Vec<BlockedPerson>, AppError> {
    let rows: Vec<BlockedRow> = sqlx::query_as(
        "SELECT b.blocked_id, u.role, a.stage_name, h.name AS host_name, b.created_at FROM blocks b \
         JOIN users u ON u.id = b.blocked_id \
         LEFT JOIN artists a ON a.user_id = b.blocked_id \
         LEFT JOIN hosts h ON h.user_id = b.blocked_id \
         WHERE b.blocker_id = $1 ORDER BY b.created_at DESC, b.blocked_id DESC",
    )
    .bind(blocker)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let role = Role::parse(&row.role).unwrap_or(Role::Host);
            let name = match role {
                Role::Artist => row.stage_name,
                Role::Host => row.host_name,
            };
            BlockedPerson {
                id: row.blocked_id,
                role,
                name: display_name(name.as_deref()),
                blocked_at: row.created_at,
            }
        })
        .collect())
}

/// Forgets whom a deleted account had blocked (who blocked it stays: their choice).
pub async fn delete_blocks_by(
    tx: &mut Transaction<'static, Any>,
    blocker: i64,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM blocks WHERE blocker_id = $1")
        .bind(blocker)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_one_line_cut_with_an_ellipsis() {
        let short = "Bonjour,\n\n  à bientôt";
        assert_eq!(excerpt(short, short.chars().count()), "Bonjour, à bientôt");
        let long = "é".repeat(limits::EXCERPT + 5);
        let cut = excerpt(&long, long.chars().count());
        assert_eq!(cut.chars().count(), limits::EXCERPT + 1);
        assert!(cut.ends_with('…'));
        let exact = "a".repeat(limits::EXCERPT);
        assert_eq!(excerpt(&exact, limits::EXCERPT), exact);
        assert_eq!(
            excerpt("a  b", 500),
            "a b…",
            "the database sent only the start"
        );
    }
}
