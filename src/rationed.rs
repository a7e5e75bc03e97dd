//! Heavy work done a few at a time: password hashes (19 MiB and tens of milliseconds each)
//! and photo decodes (up to 128 MiB each). More at once would not finish sooner, only hold
//! more memory; past a short wait a request is told to come back (`503` with `Retry-After`).

use crate::error::AppError;
use std::{sync::Arc, time::Duration};
use tokio::sync::Semaphore;

pub struct Ration {
    slots: Arc<Semaphore>,
    longest_wait: Duration,
    /// What the work is, for the log.
    what: &'static str,
}

impl Ration {
    pub fn new(at_once: usize, longest_wait: Duration, what: &'static str) -> Self {
        Ration {
            slots: Arc::new(Semaphore::new(at_once)),
            longest_wait,
            what,
        }
    }

    /// Runs `work` on the blocking pool once a slot is free. The slot goes with the work, so
    /// a request given up by its client cannot free it before the work is done.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let slot = tokio::time::timeout(self.longest_wait, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| {
                tracing::warn!(what = self.what, "too busy: request refused");
                AppError::Unavailable
            })?
            .map_err(|error| AppError::internal(self.what, error))?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        })
        .await
        .map_err(|error| AppError::internal(self.what, error))?
    }
}
