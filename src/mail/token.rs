//! Unsubscribe links that need no sign-in: the user id, signed with the site's key.

use crate::signing;

/// The key's name, and what its signatures are for.
pub const PURPOSE: &str = "unsubscribe";

/// "{user}.{signature}".
pub fn sign(key: &[u8], user: i64) -> String {
    signing::sign(key, PURPOSE, &user.to_string())
}

/// The user a token was signed for, if its signature holds.
pub fn verify(key: &[u8], token: &str) -> Option<i64> {
    signing::verify(key, PURPOSE, token)?.parse().ok()
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
    }
}
