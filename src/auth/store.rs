//! SQL for accounts and sessions.

use crate::{
    auth::model::{Email, Role, Viewer},
    config::SessionPolicy,
    db::Db,
    error::AppError,
};

#[derive(sqlx::FromRow)]
struct ViewerRow {
    id: i64,
    role: String,
    email: String,
    email_verified_at: Option<i64>,
}

impl ViewerRow {
    fn into_viewer(self) -> Result<Viewer, AppError> {
        let role = Role::parse(&self.role)
            .map_err(|_| AppError::internal("unknown role in database", &self.role))?;
        Ok(Viewer {
            id: self.id,
            role,
            email: self.email,
            verified: self.email_verified_at.is_some(),
        })
    }
}

/// Creates an account; `None` when the address is already taken.
pub async fn insert_user(
    db: &Db,
    email: &Email,
    password_hash: &str,
    role: Role,
    now: i64,
    verified_at: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let id = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role, created_at, email_verified_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .bind(verified_at)
    .fetch_optional(&db.pool)
    .await?;
    Ok(id)
}

/// Whether any account exists yet.
pub async fn has_users(db: &Db) -> Result<bool, AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    Ok(count > 0)
}

/// What checking a sign-in needs: the account, its password hash, and its device epoch.
pub struct Credentials {
    pub viewer: Viewer,
    pub password_hash: String,
    pub device_epoch: i64,
    /// The moderators suspended the account: it may not sign in.
    pub suspended: bool,
}

pub async fn find_credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        viewer: ViewerRow,
        password_hash: String,
        device_epoch: i64,
        suspended_at: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, role, email, email_verified_at, password_hash, device_epoch, suspended_at \
             FROM users WHERE email = $1 AND deleted_at IS NULL",
    )
    .bind(email.as_str())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(Credentials {
            viewer: row.viewer.into_viewer()?,
            password_hash: row.password_hash,
            device_epoch: row.device_epoch,
            suspended: row.suspended_at.is_some(),
        })
    })
    .transpose()
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A session that has expired neither by idleness nor by age.
pub struct LiveSession {
    pub viewer: Viewer,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn find_live_session(
    db: &Db,
    token_hash: &str,
    policy: SessionPolicy,
    now: i64,
) -> Result<Option<LiveSession>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        viewer: ViewerRow,
        created_at: i64,
        last_seen_at: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.id, u.role, u.email, u.email_verified_at, s.created_at, s.last_seen_at \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.last_seen_at > $2 AND s.created_at > $3 \
         AND u.suspended_at IS NULL",
    )
    .bind(token_hash)
    .bind(now - millis(policy.idle))
    .bind(now - millis(policy.absolute))
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        row.viewer.into_viewer().map(|viewer| LiveSession {
            viewer,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
        })
    })
    .transpose()
}

pub async fn touch_session(db: &Db, token_hash: &str, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Removes a user's expired sessions, so the table does not grow without end.
pub async fn delete_expired_sessions(
    db: &Db,
    user_id: i64,
    policy: SessionPolicy,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND (last_seen_at <= $2 OR created_at <= $3)",
    )
    .bind(user_id)
    .bind(now - millis(policy.idle))
    .bind(now - millis(policy.absolute))
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The account with this address.
pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<Viewer>, AppError> {
    let row: Option<ViewerRow> = sqlx::query_as(
        "SELECT id, role, email, email_verified_at FROM users \
             WHERE email = $1 AND deleted_at IS NULL",
    )
    .bind(email.as_str())
    .fetch_optional(&db.pool)
    .await?;
    row.map(ViewerRow::into_viewer).transpose()
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    #[sqlx(flatten)]
    viewer: ViewerRow,
    created_at: i64,
}

/// The account `id` (unless deleted), and when it signed up.
pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<(Viewer, i64)>, AppError> {
    let row: Option<AccountRow> = sqlx::query_as(
        "SELECT id, role, email, email_verified_at, created_at FROM users \
             WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| Ok((row.viewer.into_viewer()?, row.created_at)))
        .transpose()
}

pub async fn password_hash(db: &Db, user: i64) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Replaces the password and ends every session of the account but `keep` (the one asking).
/// The device cookies issued before stop counting, and the notification address goes too
/// (its owner asks for it again).
pub async fn set_password(
    db: &Db,
    user: i64,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<PasswordSet, AppError> {
    let mut tx = db.begin_write().await?;
    let (account_email, notify_email): (String, Option<String>) =
        sqlx::query_as("SELECT email, notify_email FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
    let device_epoch: i64 = sqlx::query_scalar(
        "UPDATE users SET password_hash = $1, notify_email = NULL, \
         device_epoch = device_epoch + 1 WHERE id = $2 RETURNING device_epoch",
    )
    .bind(password_hash)
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    end_other_sessions(&mut tx, user, keep).await?;
    // An address change asked meanwhile (perhaps by whoever knew the old password) is off.
    sqlx::query("DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(PasswordSet {
        device_epoch,
        dropped_notify_address: notify_email.map(|notify_email| DroppedNotifyAddress {
            account_email,
            notify_email,
        }),
    })
}

/// A password just set.
pub struct PasswordSet {
    /// The account's new device epoch, for the device cookie of the browser that set it.
    pub device_epoch: i64,
    pub dropped_notify_address: Option<DroppedNotifyAddress>,
}

/// A notification address a new password took away, and the account's address.
pub struct DroppedNotifyAddress {
    pub account_email: String,
    pub notify_email: String,
}

/// Deletes every session of `user` but `keep` (a token's hash).
async fn end_other_sessions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: i64,
    keep: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user)
        .bind(keep.unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records a one-time link of `links` for `user`, working until `expires_at`.
pub async fn insert_link(
    db: &Db,
    links: OneTimeLinks,
    token_hash: &str,
    user: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    sqlx::query(&format!(
        "INSERT INTO {} (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        links.table()
    ))
    .bind(token_hash)
    .bind(user)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Whether a reset link can still be used.
pub async fn reset_is_valid(db: &Db, token_hash: &str, now: i64) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM password_resets \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// Uses a reset link up, once, and cancels the account's other links.
pub async fn take_reset(db: &Db, token_hash: &str, now: i64) -> Result<Option<i64>, AppError> {
    let mut tx = db.begin_write().await?;
    let user = use_up_link(&mut tx, OneTimeLinks::PasswordResets, token_hash, now).await?;
    tx.commit().await?;
    Ok(user)
}

/// The tables of one-time links sent by e-mail (stored as their token's hash).
#[derive(Clone, Copy)]
pub enum OneTimeLinks {
    PasswordResets,
    AddressConfirmations,
}

impl OneTimeLinks {
    fn table(self) -> &'static str {
        match self {
            OneTimeLinks::PasswordResets => "password_resets",
            OneTimeLinks::AddressConfirmations => "address_confirmations",
        }
    }
}

/// Marks a link of `links` used, if it is unused and in time, and deletes the account's
/// other links of that kind: the account it was for.
async fn use_up_link(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    links: OneTimeLinks,
    token_hash: &str,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let table = links.table();
    let user: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE {table} SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id"
    ))
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(user) = user {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE user_id = $1 AND token_hash <> $2"
        ))
        .bind(user)
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    }
    Ok(user)
}

/// Empties a deleted account: no address, no usable password, no session, no reset link.
/// The row stays, so that conversations keep their messages.
pub async fn anonymize(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET email = $1, password_hash = '!', notify_email = NULL, \
         email_notifications = 0, deleted_at = $2 WHERE id = $3",
    )
    .bind(format!("compte-supprime-{user}@invalid"))
    .bind(now)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    for table in ["sessions", "password_resets", "email_changes"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Suspends the account (or lifts its suspension): suspended, it may not sign in, and its
/// sessions end here (its streams are the caller's to end, once committed).
pub async fn set_suspended(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: i64,
    suspended_at: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET suspended_at = $1 WHERE id = $2")
        .bind(suspended_at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    if suspended_at.is_some() {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records a new address waiting for confirmation.
pub async fn insert_email_change(
    db: &Db,
    token_hash: &str,
    user: i64,
    target: &str,
    new_email: &Email,
    expires_at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO email_changes (token_hash, user_id, target, new_email, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user)
    .bind(target)
    .bind(new_email.as_str())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Applies a confirmed address change: (user, target) if the link was unused and in time.
/// An account address taken meanwhile by someone else leaves everything as it was. A new
/// sign-in address ends the account's sessions but `keep` (the confirming browser's).
pub async fn confirm_email_change(
    db: &Db,
    token_hash: &str,
    now: i64,
    keep: Option<&str>,
) -> Result<Option<(i64, String)>, AppError> {
    let mut tx = db.begin_write().await?;
    let change: Option<(i64, String, String)> = sqlx::query_as(
        "UPDATE email_changes SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, target, new_email",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user, target, new_email)) = change else {
        return Ok(None);
    };
    let update = if target == "account" {
        "UPDATE users SET email = $1 WHERE id = $2 AND deleted_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM users WHERE email = $1)"
    } else {
        "UPDATE users SET notify_email = $1 WHERE id = $2 AND deleted_at IS NULL"
    };
    let done = sqlx::query(update)
        .bind(&new_email)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    if target == "account" {
        end_other_sessions(&mut tx, user, keep).await?;
        forget_links_to_old_address(&mut tx, user, now).await?;
    }
    tx.commit().await?;
    Ok(Some((user, target)))
}

/// Once the sign-in address changed, the links e-mailed to the old one (reset, confirmation,
/// other changes asked) and the device cookies issued before stop working; the new address
/// is proven by the link just opened.
async fn forget_links_to_old_address(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: i64,
    now: i64,
) -> Result<(), AppError> {
    for table in ["password_resets", "address_confirmations", "email_changes"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE user_id = $1 AND used_at IS NULL"
        ))
        .bind(user)
        .execute(&mut **tx)
        .await?;
    }
    // Device cookies were issued to whoever knew the old address's account.
    sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), \
         device_epoch = device_epoch + 1 WHERE id = $2",
    )
    .bind(now)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An account whose address a link just proved, as a session needs it.
pub struct ConfirmedAccount {
    pub viewer: Viewer,
    pub device_epoch: i64,
}

/// Uses a confirmation link up and marks the account's address verified: the account, if
/// the link was unused and in time. The account's other links are used up with it.
pub async fn confirm_address(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<ConfirmedAccount>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        viewer: ViewerRow,
        device_epoch: i64,
    }
    let mut tx = db.begin_write().await?;
    let Some(user) =
        use_up_link(&mut tx, OneTimeLinks::AddressConfirmations, token_hash, now).await?
    else {
        return Ok(None);
    };
    let row: Option<Row> = sqlx::query_as(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) \
         WHERE id = $2 AND deleted_at IS NULL \
         RETURNING id, role, email, email_verified_at, device_epoch",
    )
    .bind(now)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    row.map(|row| {
        Ok(ConfirmedAccount {
            viewer: row.viewer.into_viewer()?,
            device_epoch: row.device_epoch,
        })
    })
    .transpose()
}

/// Accounts created before `cutoff` whose address was never confirmed.
pub async fn unconfirmed_since(db: &Db, cutoff: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM users WHERE email_verified_at IS NULL AND created_at < $1 \
         AND deleted_at IS NULL",
    )
    .bind(cutoff)
    .fetch_all(&db.pool)
    .await?)
}

/// Deletes an account whose address was never confirmed, with everything it holds (it can
/// have written to no one). `false` if it was confirmed meanwhile.
pub async fn delete_unconfirmed(db: &Db, user: i64) -> Result<bool, AppError> {
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1 AND email_verified_at IS NULL")
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(deleted.rows_affected() > 0)
}
