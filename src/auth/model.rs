//! Account types shared by the server and the browser. Each input type parses once, so an
//! invalid value cannot exist past the boundary.

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const EMAIL_MAX_CHARS: usize = 254;
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A syntactically valid e-mail address, trimmed and lower-cased (addresses are compared
/// without regard to case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let candidate = input.trim().to_lowercase();
        if candidate.is_empty() {
            return Err(AppError::invalid("email", "Indiquez votre adresse e-mail."));
        }
        if candidate.chars().count() > EMAIL_MAX_CHARS {
            return Err(AppError::invalid(
                "email",
                format!("L'adresse e-mail ne peut pas dépasser {EMAIL_MAX_CHARS} caractères."),
            ));
        }
        let well_formed = email_address::EmailAddress::parse_with_options(
            &candidate,
            email_address::Options::default().without_display_text(),
        )
        .is_ok_and(|address| address.domain().contains('.'));
        if !well_formed {
            return Err(AppError::invalid(
                "email",
                "Cette adresse e-mail n'est pas valide (exemple : prenom@exemple.fr).",
            ));
        }
        Ok(Email(candidate))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the length rule (no composition rules, as NIST and ANSSI advise).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let length = input.chars().count();
        if length < PASSWORD_MIN_CHARS {
            return Err(AppError::invalid(
                "password",
                format!("Le mot de passe doit contenir au moins {PASSWORD_MIN_CHARS} caractères."),
            ));
        }
        if length > PASSWORD_MAX_CHARS {
            return Err(AppError::invalid(
                "password",
                format!("Le mot de passe ne peut pas dépasser {PASSWORD_MAX_CHARS} caractères."),
            ));
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Artist,
    Host,
}

impl Role {
    /// Reads the value of the sign-up form's radio buttons.
    pub fn parse(input: &str) -> Result<Self, AppError> {
        match input {
            "artist" => Ok(Role::Artist),
            "host" => Ok(Role::Host),
            _ => Err(AppError::invalid(
                "role",
                "Choisissez si vous êtes artiste ou hôte.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Artist => "artist",
            Role::Host => "host",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Artist => "Artiste",
            Role::Host => "Hôte",
        }
    }
}

/// The signed-in person, as sent to their own browser (and later to the mobile app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub role: Role,
    pub email: String,
    /// Whether the account proved its address (opened the link sent to it): until then it
    /// may not publish, write to anyone, or receive messages by e-mail.
    pub verified: bool,
}

/// How long a password reset link works.
pub const RESET_VALIDITY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// How long the link confirming a new address (of an account, or for messages) works.
pub const EMAIL_CHANGE_VALIDITY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// How long a new account may stay unconfirmed: its confirmation link works that long, and
/// then the account is removed.
pub const UNCONFIRMED_DAYS: i64 = 7;

/// Where to go after signing in: only a path on this site, never another site.
pub fn safe_return_path(candidate: &str) -> Option<&str> {
    let local = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(char::is_control);
    local.then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Camille.Durand@Exemple.FR ").unwrap();
        assert_eq!(email.as_str(), "camille.durand@exemple.fr");
    }

    #[test]
    fn email_without_domain_or_too_long_is_refused_with_a_french_message() {
        for bad in [
            "",
            "camille",
            "camille@",
            "camille@exemple",
            "a b@exemple.fr",
        ] {
            let error = Email::parse(bad).unwrap_err();
            assert_eq!(error.field(), Some("email"), "{bad:?}");
        }
        let long = format!("{}@exemple.fr", "a".repeat(250));
        assert!(Email::parse(&long).unwrap_err().to_string().contains("254"));
    }

    #[test]
    fn password_length_is_counted_in_characters() {
        assert!(NewPassword::parse("ééééééééé").is_err());
        assert!(NewPassword::parse("éééééééééé").is_ok());
        assert!(NewPassword::parse(&"x".repeat(128)).is_ok());
        let error = NewPassword::parse(&"x".repeat(129)).unwrap_err();
        assert!(error.to_string().contains("128"));
    }

    #[test]
    fn password_debug_never_prints_it() {
        let password = NewPassword::parse("un secret bien long").unwrap();
        assert!(!format!("{password:?}").contains("secret"));
    }

    #[test]
    fn only_local_paths_are_return_targets() {
        assert_eq!(safe_return_path("/artistes/trio"), Some("/artistes/trio"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "profil",
            "",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
