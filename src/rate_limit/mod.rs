//! Rate limits as fixed-window counters in the database, so that every app server counts
//! together and a restart forgets nothing.
//!
//! A request takes its hit before doing the work it is limited for: one statement adds the
//! hit and returns the new count, so requests racing each other cannot all find room left.

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
    pub const fn per_hour(max: u32) -> Self {
        Limit {
            max,
            window: Duration::from_secs(60 * 60),
        }
    }

    fn window_start(self, now: i64) -> i64 {
        let window = i64::try_from(self.window.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        now - now.rem_euclid(window)
    }
}

/// One hit counted against a bucket's current window.
#[derive(Debug)]
pub struct Hit {
    bucket: String,
    window_start: i64,
    /// Whether the count, this hit included, stays within the limit.
    pub allowed: bool,
}

/// Counts one hit against `bucket` and says whether it is within `limit`.
async fn hit(db: &Db, bucket: String, limit: Limit) -> Result<Hit, AppError> {
    let window_start = limit.window_start(now_ms());
    let count = store::add_hit(db, &bucket, window_start).await?;
    Ok(Hit {
        bucket,
        window_start,
        allowed: count <= i64::from(limit.max),
    })
}

/// Counts one hit against each bucket in turn. At the first one over its limit the answer
/// is a 429 saying `refusal` (the buckets after it are not counted); else the hits, which
/// the caller may take back.
pub async fn spend(
    db: &Db,
    buckets: impl IntoIterator<Item = (String, Limit)>,
    refusal: &str,
) -> Result<Vec<Hit>, AppError> {
    let mut counted = Vec::new();
    for (bucket, limit) in buckets {
        let hit = hit(db, bucket, limit).await?;
        if !hit.allowed {
            tracing::warn!(bucket = hit.bucket, "refused by rate limit");
            return Err(AppError::too_many_requests(refusal));
        }
        counted.push(hit);
    }
    Ok(counted)
}

impl Hit {
    /// Takes the hit back: what it counted turned out not to be limited (a right password
    /// is no failed sign-in).
    pub async fn take_back(self, db: &Db) -> Result<(), AppError> {
        store::remove_hit(db, &self.bucket, self.window_start).await
    }
}

/// The part of a client address that limits count: the address itself for IPv4, its /64
/// for IPv6 (one subscriber usually holds a whole /64, and picks any address in it).
pub fn client_key(ip: &str) -> String {
    match ip
        .parse::<std::net::IpAddr>()
        .map(|address| address.to_canonical())
    {
        Ok(std::net::IpAddr::V6(v6)) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn ipv6_clients_count_per_64_and_ipv4_per_address() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("unknown"), "unknown");
    }
}
