//! Rate limits as fixed-window counters in the database, so that every app server counts
//! together and a restart forgets nothing.

mod store;

use crate::{
    db::{Db, now_ms},
    error::AppError,
};
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    fn window_start(self, now: i64) -> i64 {
        let window = i64::try_from(self.window.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        now - now.rem_euclid(window)
    }
}

/// Whether `bucket` already used up its allowance in the current window.
pub async fn is_exhausted(db: &Db, bucket: &str, limit: Limit) -> Result<bool, AppError> {
    let hits = store::hits(db, bucket, limit.window_start(now_ms())).await?;
    Ok(hits >= i64::from(limit.max))
}

/// Counts one more hit against `bucket`.
pub async fn record(db: &Db, bucket: &str, limit: Limit) -> Result<(), AppError> {
    store::add_hit(db, bucket, limit.window_start(now_ms()))
        .await
        .map(|_| ())
}
