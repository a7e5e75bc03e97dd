//! "Mes données": everything the site holds about a member, as `my_data` streams it (RGPD,
//! articles 15 and 20). The file is one JSON object of this shape; a client reads it back
//! with these types.

use crate::{
    artists::model::ArtistProfile,
    auth::model::Role,
    concerts::model::MemberConcerts,
    hosts::model::HostProfile,
    mail::model::{EmailSettings, SentEmail},
    messaging::model::{BlockedPerson, ConversationRecord},
    moderation::model::FiledReport,
};
use serde::{Deserialize, Serialize};

/// Names the file's shape, so that a reader knows which one it holds.
pub const MY_DATA_FORMAT: &str = "concerts-dans-mon-salon/mes-donnees/1";

/// How far back the e-mails sent to the member go.
pub const EMAILS_DAYS: i64 = 30;

/// The whole file, in the order it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyData {
    /// `MY_DATA_FORMAT`.
    pub format: String,
    /// Milliseconds since the Unix epoch.
    pub exported_at: i64,
    pub account: AccountRecord,
    pub email_settings: EmailSettings,
    /// An artist's own profile, published or not, with its formules.
    pub artist_profile: Option<ArtistProfile>,
    /// A host's confidential profile.
    pub host_profile: Option<HostProfile>,
    pub blocked_people: Vec<BlockedPerson>,
    /// The reports the member sent (never what came of them).
    pub reports: Vec<FiledReport>,
    /// The member's concerts and the reviews of them, as "Mes concerts" lists them.
    pub concerts: MemberConcerts,
    /// Every conversation, archived and closed ones included, oldest first, each with all
    /// its messages.
    pub conversations: Vec<ConversationRecord>,
    /// The e-mails sent to the member in the last `EMAILS_DAYS` days, oldest first.
    pub emails: Vec<SentEmail>,
}

/// The account itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRecord {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}
