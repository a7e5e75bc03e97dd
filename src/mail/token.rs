//! Unsubscribe links that need no sign-in: the user id, signed with the site's key.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PURPOSE: &[u8] = b"unsubscribe:";

fn mac(key: &[u8], user: i64) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(PURPOSE);
    mac.update(&user.to_be_bytes());
    mac
}

/// "{user}.{signature}".
pub fn sign(key: &[u8], user: i64) -> String {
    let signature = mac(key, user).finalize().into_bytes();
    format!("{user}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The user a token was signed for, if its signature holds (compared in constant time).
pub fn verify(key: &[u8], token: &str) -> Option<i64> {
    let (user, signature) = token.trim().split_once('.')?;
    let user: i64 = user.parse().ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    mac(key, user).verify_slice(&signature).ok()?;
    Some(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_user_and_cannot_be_forged() {
        let key = b"a key of the site";
        let token = sign(key, 42);
        assert_eq!(verify(key, &token), Some(42));
        assert_eq!(verify(b"another key", &token), None);
        let forged = token.replacen("42.", "43.", 1);
        assert_eq!(verify(key, &forged), None);
        assert_eq!(verify(key, "42"), None);
        assert_eq!(verify(key, "x.y"), None);
    }
}
