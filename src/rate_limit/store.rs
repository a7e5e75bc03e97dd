//! SQL for fixed-window counters.

use crate::{db::Db, error::AppError};

/// Adds one hit to the window and returns the window's count, in one statement; forgets the
/// bucket's earlier windows (through the primary key: a request never scans the table).
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
    sqlx::query("DELETE FROM rate_limit_hits WHERE bucket = $1 AND window_start < $2")
        .bind(bucket)
        .bind(window_start)
        .execute(&db.pool)
        .await?;
    Ok(hits)
}

/// Deletes every counter whose window started before `before` (by `rate_limit_hits_by_window`),
/// and says how many.
pub async fn purge_before(db: &Db, before: i64) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM rate_limit_hits WHERE window_start < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
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
