//! Device cookies, as OWASP describes them against online password guessing: a browser that
//! signed in to an account keeps a signed cookie naming that account and a random nonce.
//! Once an account's failed sign-ins from unknown clients reach their limit, a browser with
//! its device cookie may still try, within a limit of its own (per nonce, and all of the
//! account's devices together within another). So a flood of wrong passwords from elsewhere
//! never refuses the owner's right password in their own browser.
//!
//! A cookie also carries its expiry and the account's device epoch, which a new password or
//! sign-in address moves on: whoever once knew the password keeps no way around the limits.

use crate::{config::Config, signing};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use cookie::{Cookie, SameSite};
use rand::RngCore;

/// Also the name of the key that signs them.
pub const PURPOSE: &str = "device";
const LIFETIME_DAYS: i64 = 365;
const LIFETIME_MS: i64 = LIFETIME_DAYS * 24 * 60 * 60 * 1000;

/// A device cookie whose signature holds and whose time is not over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub user: i64,
    /// The account's device epoch when it was issued: it counts only while they agree.
    pub epoch: i64,
    pub nonce: String,
}

/// "{user}.{epoch}.{expires_at}.{nonce}.{signature}", for a browser that just proved it
/// holds `user`'s password (or a reset link) at `now`.
pub fn issue(key: &[u8], user: i64, epoch: i64, now: i64) -> String {
    let mut nonce = [0u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    let nonce = URL_SAFE_NO_PAD.encode(nonce);
    let expires_at = now + LIFETIME_MS;
    signing::sign(
        key,
        PURPOSE,
        &format!("{user}.{epoch}.{expires_at}.{nonce}"),
    )
}

/// The device a cookie names, unless it is forged or expired at `now`.
pub fn verify(key: &[u8], value: &str, now: i64) -> Option<Device> {
    let mut fields = signing::verify(key, PURPOSE, value)?.splitn(4, '.');
    let user = fields.next()?.parse().ok()?;
    let epoch = fields.next()?.parse().ok()?;
    let expires_at: i64 = fields.next()?.parse().ok()?;
    let nonce = fields.next()?;
    (now < expires_at).then(|| Device {
        user,
        epoch,
        nonce: nonce.to_owned(),
    })
}

pub fn cookie_name(config: &Config) -> &'static str {
    if config.cookie_secure {
        "__Host-appareil"
    } else {
        "appareil"
    }
}

pub fn cookie(value: String, config: &Config) -> Cookie<'static> {
    Cookie::build((cookie_name(config), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.cookie_secure)
        .max_age(cookie::time::Duration::days(LIFETIME_DAYS))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_names_its_account_and_cannot_be_moved_to_another() {
        let key = b"a key of the site";
        let value = issue(key, 7, 3, 0);
        let device = verify(key, &value, 0).expect("valid");
        assert_eq!((device.user, device.epoch), (7, 3));
        assert_ne!(
            verify(key, &issue(key, 7, 3, 0), 0),
            Some(device),
            "a nonce per sign-in"
        );
        let moved = value.replacen("7.", "8.", 1);
        assert_eq!(verify(key, &moved, 0), None);
        let older_epoch = value.replacen(".3.", ".2.", 1);
        assert_eq!(verify(key, &older_epoch, 0), None);
        assert_eq!(verify(b"another key", &value, 0), None);
    }

    #[test]
    fn a_device_cookie_expires_after_a_year() {
        let key = b"a key of the site";
        let value = issue(key, 7, 0, 1_000);
        assert!(verify(key, &value, 1_000 + LIFETIME_MS - 1).is_some());
        assert_eq!(verify(key, &value, 1_000 + LIFETIME_MS), None);
    }
}
