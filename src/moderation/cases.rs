//! The rules of reports and of the desk: who may report what, what a case keeps, and what
//! each moderator action does. Every desk rule answers 404 to anyone but a moderator.

use crate::{
    auth::{self, model::Role},
    db::now_ms,
    error::AppError,
    hosts, mail,
    moderation::{
        emails,
        model::{
            ActionReason, CONTEXT_BEFORE, CONVERSATION_CONTEXT, CaseContext, Desk, HostDetails,
            ModerationAction, ReportDetails, ReportReason, ReportReceipt, ReportSubject,
        },
        store::{self, LogLine, NewCase},
    },
    rate_limit::{self, Limit},
    state::AppState,
};

/// Reports one member may send in an hour: plenty for real trouble, too few to flood the desk.
const REPORTS_PER_HOUR: Limit = Limit::per_hour(20);

/// `reporter` reports `target` (a message's or a conversation's id, an artist's slug).
/// What the reporter may not see answers 404, like something that does not exist. The
/// reporter learns that the report arrived, never what comes of it.
pub async fn report(
    state: &AppState,
    reporter: i64,
    subject: ReportSubject,
    target: &str,
    reason: &str,
    details: &str,
) -> Result<ReportReceipt, AppError> {
    let reason = ReportReason::parse(reason)?;
    let details = ReportDetails::parse(details)?;
    let id = |target: &str| target.trim().parse::<i64>().map_err(|_| AppError::NotFound);
    let db = &state.db;
    let (subject_id, reported, context) = match subject {
        ReportSubject::Message => {
            let message = id(target)?;
            let (conversation, author) = store::reportable_message(db, message, reporter)
                .await?
                .ok_or(AppError::NotFound)?;
            let messages =
                store::context_messages(db, conversation, Some(message), CONTEXT_BEFORE + 1)
                    .await?;
            let context = CaseContext {
                messages,
                profile: None,
            };
            (message, author, context)
        }
        ReportSubject::Conversation => {
            let conversation = id(target)?;
            let other = store::conversation_other(db, conversation, reporter)
                .await?
                .ok_or(AppError::NotFound)?;
            let messages =
                store::context_messages(db, conversation, None, CONVERSATION_CONTEXT).await?;
            let context = CaseContext {
                messages,
                profile: None,
            };
            (conversation, other, context)
        }
        ReportSubject::Profile => {
            let (artist, profile) = store::published_profile(db, target.trim())
                .await?
                .filter(|(artist, _)| *artist != reporter)
                .ok_or(AppError::NotFound)?;
            let context = CaseContext {
                messages: Vec::new(),
                profile: Some(profile),
            };
            (artist, artist, context)
        }
    };
    rate_limit::spend(
        db,
        [(format!("report:{reporter}"), REPORTS_PER_HOUR)],
        "Vous avez envoyé beaucoup de signalements en peu de temps : réessayez dans une heure.",
    )
    .await?;
    let now = now_ms();
    let case = NewCase {
        subject,
        subject_id,
        reported,
        reporter: Some(reporter),
        reason,
        details: details.as_str(),
        context: &context,
        automatic: None,
    };
    if store::open_case(db, &case, now).await? {
        tracing::info!(subject = subject.as_str(), subject_id, "report received");
    }
    Ok(ReportReceipt {
        subject,
        reason,
        received_at: now,
    })
}

/// `user` if they are a moderator; 404 otherwise, as if the desk did not exist.
pub async fn moderator(state: &AppState, user: i64) -> Result<i64, AppError> {
    if store::is_moderator(&state.db, user).await? {
        Ok(user)
    } else {
        Err(AppError::NotFound)
    }
}

/// The desk: open cases, oldest first, and the audit log.
pub async fn desk(state: &AppState, user: i64) -> Result<Desk, AppError> {
    moderator(state, user).await?;
    Ok(Desk {
        cases: store::open_cases(&state.db, None).await?,
        restricted: store::restricted_accounts(&state.db).await?,
        audit_log: store::audit_log(&state.db).await?,
    })
}

/// A moderator decides an open case, for the reason they give (written to the audit log with
/// the decision): dismiss it, hide the reported artist's profile, or suspend the reported
/// account. The member concerned is told by e-mail of a measure, why, and how to contest it.
/// 404 for a case that is not open.
pub async fn act(
    state: &AppState,
    user: i64,
    case: i64,
    action: &str,
    reason: &str,
) -> Result<(), AppError> {
    let moderator = moderator(state, user).await?;
    let action = ModerationAction::parse(action)?;
    let reason = ActionReason::parse(reason)?;
    let open = store::open_cases(&state.db, Some(case)).await?;
    let Some(case) = open.into_iter().next() else {
        return Err(AppError::NotFound);
    };
    let account = case.reported.id;
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    if !store::close_case(&mut tx, case.id, now).await? {
        return Err(AppError::NotFound);
    }
    // Whether the decision found what it acts on (a host has no profile to hide).
    let applies = match action {
        ModerationAction::HideProfile => store::hide(&mut tx, account, now).await?,
        ModerationAction::Suspend => {
            auth::store::set_suspended(&mut tx, account, Some(now)).await?;
            store::hide(&mut tx, account, now).await?;
            true
        }
        _ => true,
    };
    if !applies {
        return Err(AppError::invalid(
            "action",
            "Ce compte n'a pas de profil d'artiste à masquer : classez le signalement, ou suspendez le compte.",
        ));
    }
    let line = LogLine {
        moderator,
        action,
        case: Some(case.id),
        account: Some(account),
        reason: reason.as_str(),
    };
    store::write_log(&mut tx, &line, now).await?;
    tx.commit().await?;
    if action == ModerationAction::Suspend {
        state.live.sessions_revoked(account).await;
    }
    tell(state, account, action, &reason, now).await?;
    tracing::info!(
        case = case.id,
        action = action.as_str(),
        "moderation decision"
    );
    Ok(())
}

/// A moderator lifts the measures on `account` (a hidden profile, a suspension), for the
/// reason they give. 404 for an account under no measure.
pub async fn restore(
    state: &AppState,
    user: i64,
    account: i64,
    reason: &str,
) -> Result<(), AppError> {
    let moderator = moderator(state, user).await?;
    let reason = ActionReason::parse(reason)?;
    let restricted = store::restricted_accounts(&state.db).await?;
    if !restricted
        .iter()
        .any(|restricted| restricted.account.id == account)
    {
        return Err(AppError::NotFound);
    }
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    auth::store::set_suspended(&mut tx, account, None).await?;
    store::unhide(&mut tx, account).await?;
    let line = LogLine {
        moderator,
        action: ModerationAction::Restore,
        case: None,
        account: Some(account),
        reason: reason.as_str(),
    };
    store::write_log(&mut tx, &line, now).await?;
    tx.commit().await?;
    tell(state, account, ModerationAction::Restore, &reason, now).await?;
    tracing::info!(account, "moderation measures lifted");
    Ok(())
}

/// How long the e-mail of a decision is worth sending.
const DECISION_EMAIL_VALIDITY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// E-mails `account` the decision `action` and its reason (if it is one they are told of).
async fn tell(
    state: &AppState,
    account: i64,
    action: ModerationAction,
    reason: &ActionReason,
    now: i64,
) -> Result<(), AppError> {
    let Some(email) = emails::decision(action, reason.as_str(), &state.config.moderation_email)
    else {
        return Ok(());
    };
    let Some((owner, _)) = auth::store::find_by_id(&state.db, account).await? else {
        return Ok(());
    };
    let times = (now, now + DECISION_EMAIL_VALIDITY_MS);
    mail::store::enqueue_account(&state.db, account, &owner.email, &email, times).await
}

/// A host's confidential details, for a moderator; each visit goes to the audit log. 404 for
/// anyone else, and for an account that is not a host's.
pub async fn host_details(state: &AppState, user: i64, host: i64) -> Result<HostDetails, AppError> {
    let moderator = moderator(state, user).await?;
    let (account, signed_up_at) = auth::store::find_by_id(&state.db, host)
        .await?
        .filter(|(account, _)| account.role == Role::Host)
        .ok_or(AppError::NotFound)?;
    let profile = hosts::store::find_any(&state.db, host).await?;
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let line = LogLine {
        moderator,
        action: ModerationAction::ViewHost,
        case: None,
        account: Some(host),
        reason: "",
    };
    store::write_log(&mut tx, &line, now).await?;
    tx.commit().await?;
    Ok(HostDetails {
        id: host,
        email: account.email,
        signed_up_at,
        profile,
    })
}
