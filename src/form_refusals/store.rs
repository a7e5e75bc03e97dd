//! SQL for refused forms waiting for their page.

use crate::{db::Db, error::AppError, ui::forms::Refusal};

pub async fn put(
    db: &Db,
    token_hash: &str,
    refusal: &Refusal,
    expires_at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO form_refusals (token_hash, server_fn_path, error, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(&refusal.path)
    .bind(&refusal.error)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The refusal of `token_hash`, once: it is deleted as it is read.
pub async fn take(db: &Db, token_hash: &str, now: i64) -> Result<Option<Refusal>, AppError> {
    let found: Option<(String, String)> = sqlx::query_as(
        "DELETE FROM form_refusals WHERE token_hash = $1 AND expires_at > $2 \
         RETURNING server_fn_path, error",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.map(|(path, error)| Refusal { path, error }))
}

/// Forgets the refusals no page came to read.
pub async fn purge_expired(db: &Db, now: i64) -> Result<u64, AppError> {
    let purged = sqlx::query("DELETE FROM form_refusals WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(purged.rows_affected())
}
