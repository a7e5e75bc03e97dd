//! Device cookies, as OWASP describes them against online password guessing: a browser that
//! signed in to an account keeps a signed cookie naming that account and a random nonce.
//! Once an account's failed sign-ins from unknown clients reach their limit, a browser with
//! its device cookie may still try, within a limit of its own (per nonce). So a flood of wrong
//! passwords from elsewhere never refuses the owner's right password in their own browser.

use crate::{config::Config, signing};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use cookie::{Cookie, SameSite};
use rand::RngCore;

/// Also the name of the key that signs them.
pub const PURPOSE: &str = "device";
const LIFETIME_DAYS: i64 = 365;

/// A device cookie whose signature holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub user: i64,
    pub nonce: String,
}

/// "{user}.{nonce}.{signature}", for a browser that just signed in to `user`.
pub fn issue(key: &[u8], user: i64) -> String {
    let mut nonce = [0u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    let nonce = URL_SAFE_NO_PAD.encode(nonce);
    signing::sign(key, PURPOSE, &format!("{user}.{nonce}"))
}

pub fn verify(key: &[u8], value: &str) -> Option<Device> {
    let (user, nonce) = signing::verify(key, PURPOSE, value)?.split_once('.')?;
    Some(Device {
        user: user.parse().ok()?,
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
        let value = issue(key, 7);
        let device = verify(key, &value).expect("valid");
        assert_eq!(device.user, 7);
        assert_ne!(
            verify(key, &issue(key, 7)),
            Some(device),
            "a nonce per sign-in"
        );
        let moved = value.replacen("7.", "8.", 1);
        assert_eq!(verify(key, &moved), None);
        assert_eq!(verify(b"another key", &value), None);
    }
}
