//! Server functions of reports and of the desk. Every desk function answers 404 to anyone
//! but a moderator, exactly as if it did not exist.

use crate::{
    error::AppError,
    moderation::model::{Desk, HostDetails, ReportReceipt},
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::session::{signed_in, signed_in_verified},
    moderation::{cases, model::ReportSubject},
    paths::{MODERATION, REPORT_SENT},
    state::{app_state, respond},
};

/// Reports `target` to the moderators: `subject` "message" or "conversation" (`target` is its
/// id, of a conversation the signed-in member takes part in) or "profile" (`target` is a
/// published artist's slug), with a `reason` ("spam", "harcelement", "faux_profil",
/// "contenu_inapproprie", "autre") and `details`, both optional in the request (a missing
/// reason is refused as one left empty). The answer acknowledges the report; what comes of
/// it is never told. Leads the browser to the acknowledgement.
#[server(endpoint = "report")]
pub async fn report(
    subject: String,
    target: String,
    // A browser sends no radio button when none is chosen: missing, it is refused like empty.
    reason: Option<String>,
    details: Option<String>,
) -> Result<ReportReceipt, AppError> {
    respond(
        async {
            let reporter = signed_in_verified()?;
            let subject = ReportSubject::parse(&subject)?;
            let (reason, details) = (reason.unwrap_or_default(), details.unwrap_or_default());
            let receipt =
                cases::report(&app_state()?, reporter, subject, &target, &reason, &details)
                    .await
                    .map_err(|error| {
                        error.keeping(&[("reason", &reason), ("details", &details)])
                    })?;
            leptos_axum::redirect(REPORT_SENT);
            Ok(receipt)
        }
        .await,
    )
}

/// The moderators' desk: the open cases, oldest first, with what was reported, and the audit
/// log, the latest first.
#[server(endpoint = "moderation_desk")]
pub async fn moderation_desk() -> Result<Desk, AppError> {
    respond(async { cases::desk(&app_state()?, asker()?).await }.await)
}

/// A moderator decides the open case `case`: `action` "dismiss" (closes it), "hide_profile"
/// (the reported artist's profile is unpublished until restored; they are told by e-mail)
/// or "suspend" (the reported account cannot sign in, its sessions and streams end on every
/// server, its profile is hidden; told by e-mail). The `reason` is required, and written to
/// the audit log with the decision. Leads the browser back to the desk.
#[server(endpoint = "moderate")]
pub async fn moderate(case: i64, action: String, reason: String) -> Result<(), AppError> {
    respond(
        async {
            cases::act(&app_state()?, asker()?, case, &action, &reason)
                .await
                .map_err(|error| {
                    error.keeping(&[("case", &case.to_string()), ("reason", &reason)])
                })?;
            leptos_axum::redirect(MODERATION);
            Ok(())
        }
        .await,
    )
}

/// A moderator lifts the measures on `account` (a hidden profile, a suspension): it signs in
/// and may publish again; told by e-mail. The `reason` is required, and written to the audit
/// log. 404 for an account under no measure. Leads the browser back to the desk.
#[server(endpoint = "restore_account")]
pub async fn restore_account(account: i64, reason: String) -> Result<(), AppError> {
    respond(
        async {
            cases::restore(&app_state()?, asker()?, account, &reason)
                .await
                .map_err(|error| {
                    error.keeping(&[("account", &account.to_string()), ("reason", &reason)])
                })?;
            leptos_axum::redirect(MODERATION);
            Ok(())
        }
        .await,
    )
}

/// A host's confidential details, for a moderator; the visit is written to the audit log.
#[server(endpoint = "moderation_host")]
pub async fn moderation_host(host: i64) -> Result<HostDetails, AppError> {
    respond(async { cases::host_details(&app_state()?, asker()?, host).await }.await)
}

/// Whoever asks for the desk: a visitor gets the same 404 as a member who is not a moderator.
#[cfg(feature = "ssr")]
fn asker() -> Result<i64, AppError> {
    signed_in().map_err(|_| AppError::NotFound)
}
