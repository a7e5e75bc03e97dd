//! SQL for moderators, cases and the audit log, and the reads that copy what a report is
//! about into its case.

use crate::{
    auth::model::Role,
    db::Db,
    error::AppError,
    moderation::model::{
        AccountRef, AuditEntry, CaseContext, ContextMessage, FiledReport, ModerationAction,
        ModerationCase, ProfileSnapshot, ReportReason, ReportSubject, RestrictedAccount,
    },
};
use sqlx::{Any, Transaction};

/// How many open cases the desk shows at once (the oldest).
const QUEUE_PAGE: i64 = 50;
/// How many lines of the audit log the desk shows (the latest).
const AUDIT_PAGE: i64 = 100;

/// An account's columns for `AccountRef`, from `users u` and `artists a` joined on it.
fn account_columns(prefix: &str) -> String {
    format!(
        "{prefix}.id AS {prefix}_id, {prefix}.role AS {prefix}_role, {prefix}a.stage_name AS {prefix}_stage_name"
    )
}

fn account_joins(prefix: &str, user_column: &str) -> String {
    format!(
        "JOIN users {prefix} ON {prefix}.id = {user_column} \
         LEFT JOIN artists {prefix}a ON {prefix}a.user_id = {prefix}.id"
    )
}

/// `account_joins` for a column that may be NULL.
fn optional_account_joins(prefix: &str, user_column: &str) -> String {
    format!("LEFT {}", account_joins(prefix, user_column))
}

/// The `AccountRef` of optional columns (a LEFT JOIN that found no one gives `None`).
fn optional_account_ref(
    id: Option<i64>,
    role: Option<String>,
    stage_name: Option<String>,
) -> Result<Option<AccountRef>, AppError> {
    match (id, role) {
        (Some(id), Some(role)) => Ok(Some(account_ref(id, &role, stage_name)?)),
        _ => Ok(None),
    }
}

fn account_ref(id: i64, role: &str, stage_name: Option<String>) -> Result<AccountRef, AppError> {
    let role =
        Role::parse(role).map_err(|_| AppError::internal("unknown role in database", role))?;
    let name = match (role, stage_name) {
        (Role::Artist, Some(name)) if !name.is_empty() => name,
        (Role::Artist, _) => format!("Artiste n° {id}"),
        (Role::Host, _) => format!("Hôte n° {id}"),
    };
    Ok(AccountRef { id, role, name })
}

pub async fn is_moderator(db: &Db, user: i64) -> Result<bool, AppError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM moderators WHERE user_id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

/// Makes `user` a moderator (again: granting twice changes nothing).
pub async fn grant(db: &Db, user: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO moderators (user_id, granted_at) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Takes the role back from `user`; `false` if they did not have it.
pub async fn revoke(db: &Db, user: i64) -> Result<bool, AppError> {
    let revoked = sqlx::query("DELETE FROM moderators WHERE user_id = $1")
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(revoked.rows_affected() == 1)
}

/// The message `message` as `reporter` may report it: (its conversation, its author), when
/// the reporter takes part in the conversation and someone else wrote it.
pub async fn reportable_message(
    db: &Db,
    message: i64,
    reporter: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.conversation_id, m.sender_id FROM messages m \
         JOIN conversation_members me ON me.conversation_id = m.conversation_id \
         AND me.user_id = $2 WHERE m.id = $1 AND m.sender_id <> $2",
    )
    .bind(message)
    .bind(reporter)
    .fetch_optional(&db.pool)
    .await?)
}

/// The other participant of `reporter`'s conversation `conversation`; `None` if the reporter
/// takes no part in it.
pub async fn conversation_other(
    db: &Db,
    conversation: i64,
    reporter: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT other.user_id FROM conversation_members me \
         JOIN conversation_members other ON other.conversation_id = me.conversation_id \
         AND other.user_id <> me.user_id \
         WHERE me.conversation_id = $1 AND me.user_id = $2",
    )
    .bind(conversation)
    .bind(reporter)
    .fetch_optional(&db.pool)
    .await?)
}

/// The published artist at `slug`: their account id and their profile as it reads now.
pub async fn published_profile(
    db: &Db,
    slug: &str,
) -> Result<Option<(i64, ProfileSnapshot)>, AppError> {
    let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT user_id, slug, stage_name, presentation, music_description FROM artists \
         WHERE slug = $1 AND published = 1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(
        row.map(|(id, slug, stage_name, presentation, music_description)| {
            (
                id,
                ProfileSnapshot {
                    slug,
                    stage_name,
                    presentation,
                    music_description,
                },
            )
        }),
    )
}

#[derive(sqlx::FromRow)]
struct ContextRow {
    id: i64,
    body: String,
    created_at: i64,
    author_id: i64,
    author_role: String,
    author_stage_name: Option<String>,
}

/// Up to `count` messages of `conversation`, the latest up to `up_to` (or the latest of
/// all), oldest first, `up_to` marked as the reported one.
pub async fn context_messages(
    db: &Db,
    conversation: i64,
    up_to: Option<i64>,
    count: usize,
) -> Result<Vec<ContextMessage>, AppError> {
    let rows: Vec<ContextRow> = sqlx::query_as(&format!(
        "SELECT m.id, m.body, m.created_at, {} FROM messages m {} \
         WHERE m.conversation_id = $1 AND m.id <= $2 ORDER BY m.id DESC LIMIT $3",
        account_columns("author"),
        account_joins("author", "m.sender_id"),
    ))
    .bind(conversation)
    .bind(up_to.unwrap_or(i64::MAX))
    .bind(i64::try_from(count).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .rev()
        .map(|row| {
            Ok(ContextMessage {
                id: row.id,
                author: account_ref(row.author_id, &row.author_role, row.author_stage_name)?,
                body: row.body,
                sent_at: row.created_at,
                reported: Some(row.id) == up_to,
            })
        })
        .collect()
}

/// A case about to be opened.
pub struct NewCase<'a> {
    pub subject: ReportSubject,
    pub subject_id: i64,
    pub reported: i64,
    /// `None` for an automatic case.
    pub reporter: Option<i64>,
    pub reason: ReportReason,
    pub details: &'a str,
    pub context: &'a CaseContext,
    /// What opened an automatic case.
    pub automatic: Option<&'a str>,
}

/// Opens a case, unless the reporter already has one open about the same subject: reporting
/// twice adds nothing to the queue. `true` if a case was opened.
pub async fn open_case(db: &Db, case: &NewCase<'_>, now: i64) -> Result<bool, AppError> {
    let context = serde_json::to_string(case.context)
        .map_err(|error| AppError::internal("case context as JSON", error))?;
    let opened = sqlx::query(
        "INSERT INTO moderation_cases \
         (subject, subject_id, reported_id, reporter_id, reason, details, context, created_at, \
         automatic) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(case.subject.as_str())
    .bind(case.subject_id)
    .bind(case.reported)
    .bind(case.reporter)
    .bind(case.reason.as_str())
    .bind(case.details)
    .bind(context)
    .bind(now)
    .bind(case.automatic)
    .execute(&db.pool)
    .await?;
    Ok(opened.rows_affected() == 1)
}

/// The reports `reporter` sent, oldest first.
pub async fn reports_by(db: &Db, reporter: i64) -> Result<Vec<FiledReport>, AppError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT subject, reason, details, created_at FROM moderation_cases \
         WHERE reporter_id = $1 ORDER BY id",
    )
    .bind(reporter)
    .fetch_all(&db.pool)
    .await?;
    let corrupt = |what: &str| AppError::internal("report in database", what);
    rows.into_iter()
        .map(|(subject, reason, details, sent_at)| {
            Ok(FiledReport {
                subject: ReportSubject::parse(&subject).map_err(|_| corrupt(&subject))?,
                reason: ReportReason::parse(&reason).map_err(|_| corrupt(&reason))?,
                details,
                sent_at,
            })
        })
        .collect()
}

/// Whether an automatic case about `account` is open (the flags open one at a time).
pub async fn has_open_flag(db: &Db, account: i64) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM moderation_cases WHERE reported_id = $1 AND reporter_id IS NULL \
         AND closed_at IS NULL",
    )
    .bind(account)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// When `user` signed up.
pub async fn signed_up_at(db: &Db, user: i64) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT created_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await?,
    )
}

/// How many conversations `host` opened whose first message reads `body`.
pub async fn conversations_opened_with(db: &Db, host: i64, body: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM conversations c WHERE c.host_id = $1 AND EXISTS (\
         SELECT 1 FROM messages m WHERE m.id = (SELECT MIN(f.id) FROM messages f \
         WHERE f.conversation_id = c.id) AND m.sender_id = $1 AND m.body = $2)",
    )
    .bind(host)
    .bind(body)
    .fetch_one(&db.pool)
    .await?)
}

/// How many conversations `host` opened since `since`.
pub async fn conversations_opened_since(db: &Db, host: i64, since: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM conversations WHERE host_id = $1 AND created_at > $2",
    )
    .bind(host)
    .bind(since)
    .fetch_one(&db.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    subject: String,
    subject_id: i64,
    reason: String,
    details: String,
    context: String,
    created_at: i64,
    automatic: Option<String>,
    reporter_id: Option<i64>,
    reporter_role: Option<String>,
    reporter_stage_name: Option<String>,
    reported_id: i64,
    reported_role: String,
    reported_stage_name: Option<String>,
}

impl CaseRow {
    fn into_case(self) -> Result<ModerationCase, AppError> {
        let corrupt = |what: &str| AppError::internal("moderation case in database", what);
        Ok(ModerationCase {
            id: self.id,
            subject: ReportSubject::parse(&self.subject).map_err(|_| corrupt(&self.subject))?,
            subject_id: self.subject_id,
            reason: ReportReason::parse(&self.reason).map_err(|_| corrupt(&self.reason))?,
            details: self.details,
            reporter: optional_account_ref(
                self.reporter_id,
                self.reporter_role,
                self.reporter_stage_name,
            )?,
            automatic: self.automatic,
            reported: account_ref(
                self.reported_id,
                &self.reported_role,
                self.reported_stage_name,
            )?,
            context: serde_json::from_str(&self.context).map_err(|_| corrupt("context"))?,
            opened_at: self.created_at,
        })
    }
}

/// The open cases, oldest first (or only `case`, if given and open).
pub async fn open_cases(db: &Db, case: Option<i64>) -> Result<Vec<ModerationCase>, AppError> {
    let rows: Vec<CaseRow> = sqlx::query_as(&format!(
        "SELECT c.id, c.subject, c.subject_id, c.reason, c.details, c.context, c.created_at, \
         c.automatic, {}, {} FROM moderation_cases c {} {} \
         WHERE c.closed_at IS NULL AND ($1 IS NULL OR c.id = $1) ORDER BY c.id LIMIT $2",
        account_columns("reporter"),
        account_columns("reported"),
        optional_account_joins("reporter", "c.reporter_id"),
        account_joins("reported", "c.reported_id"),
    ))
    .bind(case)
    .bind(QUEUE_PAGE)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(CaseRow::into_case).collect()
}

/// Closes an open case; `false` if it is not open (closed meanwhile, or no such case).
pub async fn close_case(
    tx: &mut Transaction<'static, Any>,
    case: i64,
    now: i64,
) -> Result<bool, AppError> {
    let closed = sqlx::query(
        "UPDATE moderation_cases SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL",
    )
    .bind(now)
    .bind(case)
    .execute(&mut **tx)
    .await?;
    Ok(closed.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct RestrictedRow {
    account_id: i64,
    account_role: String,
    account_stage_name: Option<String>,
    hidden_at: Option<i64>,
    suspended_at: Option<i64>,
}

/// The accounts under a measure (a hidden profile, a suspension), the latest first.
pub async fn restricted_accounts(db: &Db) -> Result<Vec<RestrictedAccount>, AppError> {
    let rows: Vec<RestrictedRow> = sqlx::query_as(&format!(
        "SELECT {}, accounta.hidden_at, account.suspended_at FROM users account \
         LEFT JOIN artists accounta ON accounta.user_id = account.id \
         WHERE account.suspended_at IS NOT NULL OR accounta.hidden_at IS NOT NULL \
         ORDER BY COALESCE(account.suspended_at, accounta.hidden_at) DESC LIMIT $1",
        account_columns("account"),
    ))
    .bind(QUEUE_PAGE)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(RestrictedAccount {
                account: account_ref(row.account_id, &row.account_role, row.account_stage_name)?,
                hidden_at: row.hidden_at,
                suspended_at: row.suspended_at,
            })
        })
        .collect()
}

/// Hides the artist's profile of `user_id`: unpublished, and kept so until `unhide` (the
/// artists' editor refuses to publish it meanwhile). `false` if the account has no artist
/// profile.
pub async fn hide(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    now: i64,
) -> Result<bool, AppError> {
    let hidden = sqlx::query(
        "UPDATE artists SET published = 0, hidden_at = COALESCE(hidden_at, $1) WHERE user_id = $2",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(hidden.rows_affected() == 1)
}

/// Lets the owner publish their profile again (it stays unpublished until they do).
pub async fn unhide(tx: &mut Transaction<'static, Any>, user_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE artists SET hidden_at = NULL WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One line of the audit log.
pub struct LogLine<'a> {
    pub moderator: i64,
    pub action: ModerationAction,
    pub case: Option<i64>,
    pub account: Option<i64>,
    pub reason: &'a str,
}

pub async fn write_log(
    tx: &mut Transaction<'static, Any>,
    line: &LogLine<'_>,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO moderation_log (moderator_id, action, case_id, account_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(line.moderator)
    .bind(line.action.as_str())
    .bind(line.case)
    .bind(line.account)
    .bind(line.reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LogRow {
    id: i64,
    action: String,
    case_id: Option<i64>,
    reason: String,
    created_at: i64,
    moderator_id: i64,
    moderator_role: String,
    moderator_stage_name: Option<String>,
    account_id: Option<i64>,
    account_role: Option<String>,
    account_stage_name: Option<String>,
}

/// The latest lines of the audit log, the latest first.
pub async fn audit_log(db: &Db) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<LogRow> = sqlx::query_as(&format!(
        "SELECT l.id, l.action, l.case_id, l.reason, l.created_at, {}, \
         {} FROM moderation_log l {} {} ORDER BY l.id DESC LIMIT $1",
        account_columns("moderator"),
        account_columns("account"),
        account_joins("moderator", "l.moderator_id"),
        optional_account_joins("account", "l.account_id"),
    ))
    .bind(AUDIT_PAGE)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            let action = ModerationAction::parse_stored(&row.action).ok_or_else(|| {
                AppError::internal("unknown moderation action in database", &row.action)
            })?;
            let account =
                optional_account_ref(row.account_id, row.account_role, row.account_stage_name)?;
            Ok(AuditEntry {
                id: row.id,
                moderator: account_ref(
                    row.moderator_id,
                    &row.moderator_role,
                    row.moderator_stage_name,
                )?,
                action,
                case_id: row.case_id,
                account,
                reason: row.reason,
                at: row.created_at,
            })
        })
        .collect()
}
