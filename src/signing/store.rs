//! SQL for the site's keys.

use crate::{db::Db, error::AppError};
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;

/// The key named `name`, created at random the first time it is asked for.
pub async fn key(db: &Db, name: &str) -> Result<Vec<u8>, AppError> {
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    sqlx::query(
        "INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(STANDARD.encode(fresh))
    .execute(&db.pool)
    .await?;
    let stored: String = sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await?;
    STANDARD
        .decode(stored)
        .map_err(|error| AppError::internal("reading a key", error))
}
