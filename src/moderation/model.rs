//! Reports and the moderators' desk: the types shared by the server, the browser and the
//! mobile app. Each input parses once, with a clear French refusal.

use crate::{auth::model::Role, error::AppError, hosts::model::HostProfile};
use serde::{Deserialize, Serialize};

/// The longest explanation a report may carry.
pub const DETAILS_MAX_CHARS: usize = 2000;
/// The longest reason a moderator may give for an action.
pub const ACTION_REASON_MAX_CHARS: usize = 1000;
/// How many messages before a reported one go into its case.
pub const CONTEXT_BEFORE: usize = 5;
/// How many of a reported conversation's latest messages go into its case.
pub const CONVERSATION_CONTEXT: usize = 10;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSubject {
    Message,
    Conversation,
    /// An artist's public profile.
    Profile,
}

impl ReportSubject {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        match input {
            "message" => Ok(ReportSubject::Message),
            "conversation" => Ok(ReportSubject::Conversation),
            "profile" => Ok(ReportSubject::Profile),
            _ => Err(AppError::NotFound),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReportSubject::Message => "message",
            ReportSubject::Conversation => "conversation",
            ReportSubject::Profile => "profile",
        }
    }

    /// The report page's address names it in French: `/signaler/profil/…`.
    pub fn segment(self) -> &'static str {
        match self {
            ReportSubject::Profile => "profil",
            other => other.as_str(),
        }
    }

    pub fn from_segment(segment: &str) -> Option<Self> {
        [
            ReportSubject::Message,
            ReportSubject::Conversation,
            ReportSubject::Profile,
        ]
        .into_iter()
        .find(|subject| subject.segment() == segment)
    }

    /// "Signaler …" in the page's title.
    pub fn label(self) -> &'static str {
        match self {
            ReportSubject::Message => "un message",
            ReportSubject::Conversation => "une conversation",
            ReportSubject::Profile => "un profil",
        }
    }
}

/// Why a member reports something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Harcelement,
    FauxProfil,
    ContenuInapproprie,
    Autre,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Spam,
        ReportReason::Harcelement,
        ReportReason::FauxProfil,
        ReportReason::ContenuInapproprie,
        ReportReason::Autre,
    ];

    pub fn parse(input: &str) -> Result<Self, AppError> {
        Self::ALL
            .into_iter()
            .find(|reason| reason.as_str() == input)
            .ok_or_else(|| AppError::invalid("reason", "Choisissez la raison du signalement."))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Harcelement => "harcelement",
            ReportReason::FauxProfil => "faux_profil",
            ReportReason::ContenuInapproprie => "contenu_inapproprie",
            ReportReason::Autre => "autre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Spam => "Spam ou démarchage",
            ReportReason::Harcelement => "Harcèlement",
            ReportReason::FauxProfil => "Faux profil",
            ReportReason::ContenuInapproprie => "Contenu inapproprié",
            ReportReason::Autre => "Autre",
        }
    }
}

/// A report's optional explanation, trimmed and within `DETAILS_MAX_CHARS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDetails(String);

impl ReportDetails {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let details = input.trim();
        if details.chars().count() > DETAILS_MAX_CHARS {
            return Err(AppError::invalid(
                "details",
                format!("Votre explication ne peut pas dépasser {DETAILS_MAX_CHARS} caractères."),
            ));
        }
        Ok(ReportDetails(details.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the reporter gets back: an acknowledgement, never the case's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportReceipt {
    pub subject: ReportSubject,
    pub reason: ReportReason,
    /// Milliseconds since the Unix epoch.
    pub received_at: i64,
}

/// A report the member sent, as "Mes données" gives it back (never what came of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiledReport {
    pub subject: ReportSubject,
    pub reason: ReportReason,
    pub details: String,
    /// Milliseconds since the Unix epoch.
    pub sent_at: i64,
}

/// An account as the desk names it. A host's name is confidential: the desk shows their
/// number, and their details only on a page that writes the visit to the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRef {
    pub id: i64,
    pub role: Role,
    /// An artist's stage name, "Hôte n° 12" for a host.
    pub name: String,
}

/// A message as a case keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextMessage {
    pub id: i64,
    pub author: AccountRef,
    pub body: String,
    /// Milliseconds since the Unix epoch.
    pub sent_at: i64,
    /// The message the report is about.
    pub reported: bool,
}

/// An artist's profile as it was when reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSnapshot {
    pub slug: String,
    pub stage_name: String,
    pub presentation: String,
    pub music_description: String,
}

/// What a case holds of what was reported, copied when it was reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseContext {
    /// The reported message and those just before it, or a conversation's latest, oldest
    /// first; empty for a profile.
    pub messages: Vec<ContextMessage>,
    pub profile: Option<ProfileSnapshot>,
}

/// An open case in the desk's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationCase {
    pub id: i64,
    pub subject: ReportSubject,
    /// The message's, the conversation's, or the artist's account id.
    pub subject_id: i64,
    pub reason: ReportReason,
    pub details: String,
    /// `None` for a case the site opened on its own (`automatic` says why).
    pub reporter: Option<AccountRef>,
    pub automatic: Option<String>,
    pub reported: AccountRef,
    pub context: CaseContext,
    /// Milliseconds since the Unix epoch.
    pub opened_at: i64,
}

/// What a moderator does about a case, or an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// The case is closed; nothing else changes.
    Dismiss,
    /// The reported artist's profile is unpublished, and stays so until restored; its owner
    /// is told why by e-mail, and how to contest it.
    HideProfile,
    /// The reported account cannot sign in any more: its sessions and streams end at once,
    /// its profile is hidden, its conversations show "Compte suspendu".
    Suspend,
    /// A hidden profile may be published again, a suspended account signs in again.
    Restore,
    /// A moderator opened a host's confidential details.
    ViewHost,
}

impl ModerationAction {
    const ALL: [ModerationAction; 5] = [
        ModerationAction::Dismiss,
        ModerationAction::HideProfile,
        ModerationAction::Suspend,
        ModerationAction::Restore,
        ModerationAction::ViewHost,
    ];

    /// The decisions a case may end with, in the desk's form.
    pub const ON_A_CASE: [ModerationAction; 3] = [
        ModerationAction::Dismiss,
        ModerationAction::HideProfile,
        ModerationAction::Suspend,
    ];

    /// A decision a moderator chose in a case's form.
    pub fn parse(input: &str) -> Result<Self, AppError> {
        Self::parse_stored(input)
            .filter(|action| Self::ON_A_CASE.contains(action))
            .ok_or_else(|| AppError::invalid("action", "Choisissez une décision."))
    }

    /// Any action, as the audit log stores it.
    pub fn parse_stored(input: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|action| action.as_str() == input)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::Dismiss => "dismiss",
            ModerationAction::HideProfile => "hide_profile",
            ModerationAction::Suspend => "suspend",
            ModerationAction::Restore => "restore",
            ModerationAction::ViewHost => "view_host",
        }
    }

    /// As the audit log says it.
    pub fn label(self) -> &'static str {
        match self {
            ModerationAction::Dismiss => "Classé sans suite",
            ModerationAction::HideProfile => "Profil masqué",
            ModerationAction::Suspend => "Compte suspendu",
            ModerationAction::Restore => "Compte rétabli",
            ModerationAction::ViewHost => "Consultation d'un hôte",
        }
    }

    /// As a case's form offers it.
    pub fn choice(self) -> &'static str {
        match self {
            ModerationAction::Dismiss => "Classer sans suite",
            ModerationAction::HideProfile => {
                "Masquer le profil (la personne est prévenue par e-mail)"
            }
            ModerationAction::Suspend => "Suspendre le compte (déconnecté partout, profil masqué)",
            ModerationAction::Restore => "Rétablir le compte",
            ModerationAction::ViewHost => "Consulter l'hôte",
        }
    }
}

/// A moderator's reason for an action: required, within `ACTION_REASON_MAX_CHARS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionReason(String);

impl ActionReason {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let reason = input.trim();
        if reason.is_empty() {
            return Err(AppError::invalid(
                "reason",
                "Indiquez la raison de votre décision : elle est écrite au journal.",
            ));
        }
        if reason.chars().count() > ACTION_REASON_MAX_CHARS {
            return Err(AppError::invalid(
                "reason",
                format!("La raison ne peut pas dépasser {ACTION_REASON_MAX_CHARS} caractères."),
            ));
        }
        Ok(ActionReason(reason.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub moderator: AccountRef,
    pub action: ModerationAction,
    pub case_id: Option<i64>,
    pub account: Option<AccountRef>,
    pub reason: String,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
}

/// An account under a moderators' measure, which a moderator may lift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictedAccount {
    pub account: AccountRef,
    /// When its profile was hidden (ms since the epoch), if it was.
    pub hidden_at: Option<i64>,
    /// When it was suspended (ms since the epoch), if it was.
    pub suspended_at: Option<i64>,
}

/// The desk: the open cases, oldest first, the accounts under a measure, and the latest
/// lines of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub cases: Vec<ModerationCase>,
    pub restricted: Vec<RestrictedAccount>,
    pub audit_log: Vec<AuditEntry>,
}

/// A host's confidential details, as a moderator sees them (each visit logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostDetails {
    pub id: i64,
    pub email: String,
    /// Milliseconds since the Unix epoch.
    pub signed_up_at: i64,
    /// `None` until the host saved one.
    pub profile: Option<HostProfile>,
}
