//! Automatic flags: a case the site opens on its own about a host whose new conversations
//! look like spam, before any artist reports them. Thresholds are settings
//! (`config::ModerationFlags`); one open automatic case per account at a time.

use crate::{
    db::now_ms,
    error::AppError,
    moderation::{
        model::{CONVERSATION_CONTEXT, CaseContext, ReportReason, ReportSubject},
        store::{self, NewCase},
    },
    state::AppState,
};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// After `host` opened `conversation` with `body`: opens a case if the same text went to
/// `same_text_artists` artists from an account younger than `new_account_days`, or if
/// `burst_conversations` conversations were opened within `burst_minutes`. `true` if it did.
pub async fn after_new_conversation(
    state: &AppState,
    host: i64,
    conversation: i64,
    body: &str,
) -> Result<bool, AppError> {
    let db = &state.db;
    let flags = state.config.moderation_flags;
    if store::has_open_flag(db, host).await? {
        return Ok(false);
    }
    let now = now_ms();
    let new_account =
        store::signed_up_at(db, host).await? > now - i64::from(flags.new_account_days) * DAY_MS;
    let mut why = None;
    if new_account {
        let same = store::conversations_opened_with(db, host, body).await?;
        if same >= i64::from(flags.same_text_artists) {
            why = Some(format!(
                "le même premier message envoyé à {same} artistes par un compte créé il y a moins de {} jours",
                flags.new_account_days
            ));
        }
    }
    if why.is_none() {
        let since = now - i64::from(flags.burst_minutes) * 60 * 1000;
        let opened = store::conversations_opened_since(db, host, since).await?;
        if opened >= i64::from(flags.burst_conversations) {
            why = Some(format!(
                "{opened} nouvelles conversations en moins de {} minutes",
                flags.burst_minutes
            ));
        }
    }
    let Some(why) = why else { return Ok(false) };
    let context = CaseContext {
        messages: store::context_messages(db, conversation, None, CONVERSATION_CONTEXT).await?,
        profile: None,
    };
    let case = NewCase {
        subject: ReportSubject::Conversation,
        subject_id: conversation,
        reported: host,
        reporter: None,
        reason: ReportReason::Spam,
        details: "",
        context: &context,
        automatic: Some(&why),
    };
    let opened = store::open_case(db, &case, now).await?;
    if opened {
        tracing::info!(host, conversation, "automatic moderation flag");
    }
    Ok(opened)
}
