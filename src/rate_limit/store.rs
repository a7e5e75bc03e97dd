//! SQL for fixed-window counters.

use crate::{db::Db, error::AppError};

/// Counters older than this are deleted (the longest window is a day).
const KEPT_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// Adds one hit to the window and returns the window's count, in one statement; forgets
/// the bucket's earlier windows, and every counter older than two days (they hold client
/// addresses).
pub async fn add_hit(db: &Db, bucket: &str, window_start: i64) -> Result<i64, AppError> {
    let hits = sqlx::query_scalar(
        "INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1 \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .fetch_one(&db.pool)
    .await?;
    sqlx::query(
        "DELETE FROM rate_limit_hits WHERE (bucket = $1 AND window_start < $2) \
         OR window_start < $3",
    )
    .bind(bucket)
    .bind(window_start)
    .bind(crate::db::now_ms() - KEPT_MS)
    .execute(&db.pool)
    .await?;
    Ok(hits)
}

pub async fn remove_hit(db: &Db, bucket: &str, window_start: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE rate_limit_hits SET hits = hits - 1 \
         WHERE bucket = $1 AND window_start = $2 AND hits > 0",
    )
    .bind(bucket)
    .bind(window_start)
    .execute(&db.pool)
    .await?;
    Ok(())
}
