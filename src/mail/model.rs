//! E-mail settings as clients receive them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    /// Where messages are sent: the account's address unless another was confirmed.
    pub notify_email: String,
    /// "Recevoir mes messages par e-mail" (off until the user turns it on).
    pub notifications: bool,
}
