//! The time the concert rules go by (is a date past, may a review still change). It is the
//! real time, except on a site started with `TEST_CLOCK=true` (never in production), where a
//! request may carry `X-Test-Clock-Offset`, in milliseconds, to be judged as if that much
//! later: end-to-end tests reach a concert's aftermath without waiting for it, and each browser
//! keeps its own time, so tests running side by side do not disturb one another.

use crate::{db::now_ms, state::AppState};
use leptos::prelude::use_context;

pub const OFFSET_HEADER: &str = "x-test-clock-offset";

/// Milliseconds since the Unix epoch, as the current request's rules see it.
pub fn now(state: &AppState) -> i64 {
    let real = now_ms();
    if !state.config.test_clock {
        return real;
    }
    let offset = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(OFFSET_HEADER)?
                .to_str()
                .ok()?
                .trim()
                .parse::<i64>()
                .ok()
        })
        .unwrap_or(0);
    real.saturating_add(offset)
}
