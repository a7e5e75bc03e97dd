//! E-mail settings as clients receive them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    /// Where messages are sent: the account's address unless another was confirmed.
    pub notify_email: String,
    /// "Recevoir mes messages par e-mail" (off until the user turns it on).
    pub notifications: bool,
}

/// An e-mail the site sent to a member, as it keeps it once sent: its body is gone (an
/// account e-mail's held a one-time link); a message's e-mail names the message it told of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentEmail {
    /// `message` (a new message, told by e-mail) or `account` (an address to confirm, a
    /// password to reset).
    pub kind: String,
    /// The address and subject of an account e-mail (a message's went to the address of
    /// the e-mail settings, named after its sender).
    pub to: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<i64>,
    /// Milliseconds since the Unix epoch.
    pub sent_at: i64,
}
