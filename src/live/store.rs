//! SQL of live updates: PostgreSQL's `NOTIFY` (the listening side is `listener.rs`).

use crate::{db::Db, error::AppError};

/// Sends `payload` to every session listening on `channel`.
pub async fn notify(db: &Db, channel: &str, payload: &str) -> Result<(), AppError> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(&db.pool)
        .await?;
    Ok(())
}
