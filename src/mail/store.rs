//! SQL for e-mail settings and the outbox.

use crate::{
    db::{Backend, Db},
    error::AppError,
    mail::{
        model::{EmailSettings, SentEmail},
        templates::Email,
    },
};
use futures::{Stream, StreamExt};
use sqlx::{Any, Transaction};

pub async fn settings(db: &Db, user: i64) -> Result<EmailSettings, AppError> {
    let (notify_email, notifications): (String, i64) = sqlx::query_as(
        "SELECT COALESCE(notify_email, email), email_notifications FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok(EmailSettings {
        notify_email,
        notifications: notifications != 0,
    })
}

/// The e-mails sent to `user` since `since`, oldest first, as the database yields them.
pub fn sent_to(
    db: &Db,
    user: i64,
    since: i64,
) -> impl Stream<Item = Result<SentEmail, AppError>> + Send + '_ {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        to_address: Option<String>,
        subject: Option<String>,
        message_id: Option<i64>,
        sent_at: i64,
    }
    sqlx::query_as::<_, Row>(
        "SELECT kind, to_address, subject, message_id, sent_at FROM outbox \
         WHERE user_id = $1 AND status = 'sent' AND sent_at >= $2 ORDER BY sent_at, id",
    )
    .bind(user)
    .bind(since)
    .fetch(&db.pool)
    .map(|row| {
        let row = row?;
        Ok(SentEmail {
            kind: row.kind,
            to: row.to_address,
            subject: row.subject,
            message_id: row.message_id,
            sent_at: row.sent_at,
        })
    })
}

/// Turns e-mails on or off. Turning them off also drops the e-mails still waiting.
pub async fn set_notifications(db: &Db, user: i64, on: bool, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET email_notifications = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(user)
        .execute(&mut *tx)
        .await?;
    if !on {
        skip_pending_of(&mut tx, user, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Drops the user's e-mails still waiting.
pub async fn skip_pending_of(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE outbox SET status = 'skipped', sent_at = $1, text_body = NULL, \
         html_body = NULL WHERE user_id = $2 AND status = 'pending'",
    )
    .bind(now)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues the e-mail of a new message for its recipient, if they asked for e-mails; in the
/// message's own transaction, so the two are saved together or not at all.
pub async fn enqueue_message(
    tx: &mut Transaction<'static, Any>,
    conversation_id: i64,
    message_id: i64,
    sender: i64,
    due_at: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO outbox (user_id, message_id, kind, next_attempt_at, created_at) \
         SELECT cm.user_id, $1, 'message', $2, $3 FROM conversation_members cm \
         JOIN users u ON u.id = cm.user_id \
         WHERE cm.conversation_id = $4 AND cm.user_id <> $5 AND u.email_notifications = 1",
    )
    .bind(message_id)
    .bind(due_at)
    .bind(now)
    .bind(conversation_id)
    .bind(sender)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues an account e-mail (written now: it may hold a one-time link), due at once, and
/// worth sending until `expires_at` (when its link stops working).
pub async fn enqueue_account(
    db: &Db,
    user: i64,
    to: &str,
    email: &Email,
    (now, expires_at): (i64, i64),
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO outbox (user_id, kind, to_address, subject, text_body, html_body, \
         next_attempt_at, created_at, expires_at) \
         VALUES ($1, 'account', $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(user)
    .bind(to)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(&email.html)
    .bind(now)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Gives up the account e-mails not sent before their link expired (a mail server down, an
/// address that refuses them): their body goes, and they are not tried again. How many.
pub async fn give_up_expired(db: &Db, now: i64) -> Result<u64, AppError> {
    let given_up = sqlx::query(
        "UPDATE outbox SET status = 'skipped', sent_at = $1, \
         last_error = 'expired before it could be sent', text_body = NULL, html_body = NULL, \
         claim = NULL, claimed_until = NULL \
         WHERE kind = 'account' AND status = 'pending' AND expires_at <= $1",
    )
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(given_up.rows_affected())
}

/// An account e-mail due now, as it was written.
#[derive(Debug, sqlx::FromRow)]
pub struct DueAccount {
    pub id: i64,
    pub attempts: i64,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// Claims up to `limit` e-mails due at `now` for this worker until `until`, and returns the
/// claim that names them. Message e-mails come with the other e-mails waiting for the same
/// recipient and conversation, so that they leave together. On PostgreSQL, rows another
/// worker is claiming at the same moment are skipped rather than waited for (SKIP LOCKED);
/// on SQLite the single writer does the same.
pub async fn claim(db: &Db, now: i64, until: i64, limit: i64) -> Result<String, AppError> {
    let claim = format!("{:032x}", rand::random::<u128>());
    let lock = match db.backend {
        Backend::Sqlite => "",
        Backend::Postgres => "FOR UPDATE OF o SKIP LOCKED",
    };
    sqlx::query(&format!(
        "UPDATE outbox SET claim = $1, claimed_until = $2 WHERE id IN (\
         SELECT o.id FROM outbox o LEFT JOIN messages m ON m.id = o.message_id \
         WHERE o.status = 'pending' AND (o.claimed_until IS NULL OR o.claimed_until <= $3) \
         AND ((o.kind = 'account' AND o.next_attempt_at <= $3) \
         OR (o.kind = 'message' AND EXISTS (SELECT 1 FROM outbox d \
         JOIN messages dm ON dm.id = d.message_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $3 AND d.user_id = o.user_id \
         AND dm.conversation_id = m.conversation_id))) \
         ORDER BY o.next_attempt_at, o.id LIMIT $4 {lock})"
    ))
    .bind(&claim)
    .bind(until)
    .bind(now)
    .bind(limit)
    .execute(&db.pool)
    .await?;
    Ok(claim)
}

/// The account e-mails of `claim`.
pub async fn due_account(db: &Db, claim: &str) -> Result<Vec<DueAccount>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, attempts, to_address, subject, text_body, html_body FROM outbox \
         WHERE claim = $1 AND kind = 'account' AND status = 'pending' ORDER BY id",
    )
    .bind(claim)
    .fetch_all(&db.pool)
    .await?)
}

/// An e-mail due now, with what deciding about it needs.
#[derive(Debug, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    pub user_id: i64,
    pub message_id: i64,
    pub conversation_id: i64,
    pub attempts: i64,
    pub to_address: String,
    /// The user still wants e-mails.
    pub opted_in: i64,
    /// The recipient has read the message on the site meanwhile.
    pub read: i64,
}

/// The message e-mails of `claim`, oldest first.
pub async fn due(db: &Db, claim: &str) -> Result<Vec<Due>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.user_id, o.message_id, m.conversation_id, o.attempts, \
         COALESCE(u.notify_email, u.email) AS to_address, u.email_notifications AS opted_in, \
         CASE WHEN cm.last_read_message_id >= o.message_id THEN 1 ELSE 0 END AS read \
         FROM outbox o JOIN users u ON u.id = o.user_id \
         JOIN messages m ON m.id = o.message_id \
         JOIN conversation_members cm ON cm.conversation_id = m.conversation_id \
         AND cm.user_id = o.user_id \
         WHERE o.claim = $1 AND o.kind = 'message' AND o.status = 'pending' \
         ORDER BY o.next_attempt_at, o.id",
    )
    .bind(claim)
    .fetch_all(&db.pool)
    .await?)
}

/// Marks e-mails sent or skipped. Their bodies go: an account e-mail's holds a one-time
/// link, which must not stay readable in the database once it has left.
pub async fn settle(db: &Db, ids: &[i64], status: &str, now: i64) -> Result<(), AppError> {
    for id in ids {
        sqlx::query(
            "UPDATE outbox SET status = $1, sent_at = $2, claim = NULL, claimed_until = NULL, \
             text_body = NULL, html_body = NULL WHERE id = $3",
        )
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// Records a failed attempt; the e-mails wait until `retry_at`.
pub async fn failed(db: &Db, ids: &[i64], error: &str, retry_at: i64) -> Result<(), AppError> {
    for id in ids {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, \
             claim = NULL, claimed_until = NULL WHERE id = $3",
        )
        .bind(error)
        .bind(retry_at)
        .bind(id)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}
