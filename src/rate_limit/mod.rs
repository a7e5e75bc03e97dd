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
use sha2::{Digest, Sha256};
use std::{
    net::{IpAddr, Ipv6Addr},
    time::Duration,
};

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
            tracing::warn!(
                limit = hit.bucket.split(':').next().unwrap_or_default(),
                bucket = bucket_digest(&hit.bucket),
                "refused by rate limit"
            );
            return Err(AppError::too_many_requests(refusal));
        }
        counted.push(hit);
    }
    Ok(counted)
}

/// A bucket as logs name it: its name holds an e-mail or client address, which logs must not
/// keep; a digest still tells the lines about one bucket apart from the others.
fn bucket_digest(bucket: &str) -> String {
    Sha256::digest(bucket.as_bytes())[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Counters are kept two days (the longest window is a day); they hold e-mail and client
/// addresses, so no longer.
const KEPT: Duration = Duration::from_secs(2 * 24 * 60 * 60);

/// Deletes the counters older than `KEPT`; says how many.
pub async fn purge_expired(db: &Db, now: i64) -> Result<u64, AppError> {
    let kept = i64::try_from(KEPT.as_millis()).unwrap_or(i64::MAX);
    store::purge_before(db, now.saturating_sub(kept)).await
}

/// How often each server runs `purge_expired` (`server.rs` starts it): once per server,
/// never per request.
pub const PURGE_PERIOD: Duration = Duration::from_secs(10 * 60);

impl Hit {
    /// Takes the hit back: what it counted turned out not to be limited (a right password
    /// is no failed sign-in).
    pub async fn take_back(self, db: &Db) -> Result<(), AppError> {
        store::remove_hit(db, &self.bucket, self.window_start).await
    }
}

/// The part of a client address that counts as one client: the address itself for IPv4,
/// its /64 for IPv6 (one subscriber usually holds a whole /64, and picks any address in it).
pub fn client_key(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|address| address.to_canonical()) {
        Ok(IpAddr::V6(v6)) => ipv6_prefix(v6, 64),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

/// The wider IPv6 networks a limit also counts, and how many times its allowance each gets:
/// a subscriber may hold a /56 (256 /64s) or a /48 (65,536), so a limit per /64 alone
/// would give them that many times its allowance. A /56 or /48 may also be a company's or a
/// campus's, hence an allowance several times larger rather than the same.
const IPV6_NETWORKS: [(u8, u32); 2] = [(56, 4), (48, 16)];

/// The networks a limit per client counts `ip` in, each with how many times the allowance
/// it gets: the client's address or /64 (`client_key`) once, and for IPv6 its /56 and /48.
pub fn client_networks(ip: &str) -> Vec<(String, u32)> {
    let mut networks = vec![(client_key(ip), 1)];
    if let Ok(IpAddr::V6(v6)) = ip.parse::<IpAddr>().map(|address| address.to_canonical()) {
        networks.extend(
            IPV6_NETWORKS
                .into_iter()
                .map(|(bits, times)| (ipv6_prefix(v6, bits), times)),
        );
    }
    networks
}

/// The buckets that count one hit of `action` from `ip` against `limit`, one per network of
/// `client_networks`.
pub fn network_buckets(action: &str, ip: &str, limit: Limit) -> Vec<(String, Limit)> {
    client_networks(ip)
        .into_iter()
        .map(|(network, times)| {
            let allowance = Limit {
                max: limit.max.saturating_mul(times),
                window: limit.window,
            };
            (format!("{action}:ip:{network}"), allowance)
        })
        .collect()
}

/// `address`'s network of `bits` bits (a multiple of 8 up to 128), written `a:b:c::/bits`.
fn ipv6_prefix(address: Ipv6Addr, bits: u8) -> String {
    let kept = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
    let network = Ipv6Addr::from(u128::from(address) & kept);
    format!("{network}/{bits}")
}

#[cfg(test)]
mod tests {
    use super::{Limit, bucket_digest, client_key, network_buckets};

    #[test]
    fn logs_name_a_bucket_without_its_address() {
        let digest = bucket_digest("sign_in:account:marie@exemple.fr");
        assert_eq!(digest.len(), 12);
        assert!(!digest.contains("exemple"));
        assert_eq!(digest, bucket_digest("sign_in:account:marie@exemple.fr"));
        assert_ne!(digest, bucket_digest("sign_in:account:paul@exemple.fr"));
    }

    #[test]
    fn ipv6_clients_count_per_64_and_ipv4_per_address() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("unknown"), "unknown");
    }

    #[test]
    fn ipv6_networks_also_count_per_56_and_48_with_larger_allowances() {
        let limit = Limit::per_hour(10);
        let buckets: Vec<(String, u32)> = network_buckets("act", "2001:db8:1:2ab:1::9", limit)
            .into_iter()
            .map(|(bucket, limit)| (bucket, limit.max))
            .collect();
        assert_eq!(
            buckets,
            [
                ("act:ip:2001:db8:1:2ab::/64".to_owned(), 10),
                ("act:ip:2001:db8:1:200::/56".to_owned(), 40),
                ("act:ip:2001:db8:1::/48".to_owned(), 160),
            ]
        );
        let ipv4: Vec<String> = network_buckets("act", "::ffff:192.0.2.7", limit)
            .into_iter()
            .map(|(bucket, _)| bucket)
            .collect();
        assert_eq!(ipv4, ["act:ip:192.0.2.7"]);
    }
}
