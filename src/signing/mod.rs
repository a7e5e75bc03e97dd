//! Values the site signs so that it can trust them back without storing them: unsubscribe
//! links, device cookies. HMAC-SHA256 with a key of the site's, kept in the database so that
//! every app server signs alike.

mod store;

use crate::{db::Db, error::AppError};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The key named `name`, created at random the first time it is asked for.
pub async fn key(db: &Db, name: &str) -> Result<Vec<u8>, AppError> {
    store::key(db, name).await
}

fn mac(key: &[u8], purpose: &str, message: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(message.as_bytes());
    mac
}

/// "{message}.{signature}"; `purpose` keeps a value signed for one use from serving another.
pub fn sign(key: &[u8], purpose: &str, message: &str) -> String {
    let signature = mac(key, purpose, message).finalize().into_bytes();
    format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The message a value was signed for, if its signature holds (compared in constant time).
pub fn verify<'a>(key: &[u8], purpose: &str, signed: &'a str) -> Option<&'a str> {
    let (message, signature) = signed.trim().rsplit_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    mac(key, purpose, message).verify_slice(&signature).ok()?;
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_value_cannot_be_forged_nor_used_for_another_purpose() {
        let key = b"a key of the site";
        let signed = sign(key, "unsubscribe", "42");
        assert_eq!(verify(key, "unsubscribe", &signed), Some("42"));
        assert_eq!(verify(b"another key", "unsubscribe", &signed), None);
        assert_eq!(verify(key, "device", &signed), None);
        let forged = signed.replacen("42.", "43.", 1);
        assert_eq!(verify(key, "unsubscribe", &forged), None);
        assert_eq!(verify(key, "unsubscribe", "42"), None);
        assert_eq!(verify(key, "unsubscribe", "x.y"), None);
    }
}
