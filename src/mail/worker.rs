//! Sends the outbox in the background, so that no request waits for a mail server. Due
//! e-mails are gathered per recipient and conversation; those read on the site meanwhile
//! are skipped; a failure is recorded and retried later, waiting twice as long each time.
//! Account e-mails are written when queued; message e-mails are written as they leave, by
//! the messenger (`ComposeMessages`, given at start-up), so that they hold what is unread.

use crate::{
    db::now_ms,
    error::AppError,
    mail::{
        store::{self, Due},
        templates, token,
        transport::Mailer,
    },
    paths::{ONE_CLICK_UNSUBSCRIBE, UNSUBSCRIBE, with_token},
    state::AppState,
};
use futures::future::BoxFuture;
use lettre::message::{
    Mailbox, MultiPart,
    header::{ContentType, Header, HeaderName, HeaderValue},
};
use std::time::Duration;

/// E-mails handled per round.
const BATCH: i64 = 50;
const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);
/// How long claimed e-mails stay this worker's: far longer than sending takes (lettre gives
/// up on a silent server after a minute), short enough that e-mails claimed by a server that
/// stopped mid-round are soon tried again.
const CLAIM: Duration = Duration::from_secs(10 * 60);

/// The messages of one conversation due for one recipient, to be written as one e-mail.
#[derive(Debug, Clone)]
pub struct DueMessages {
    pub user: i64,
    pub conversation: i64,
    /// Oldest first.
    pub message_ids: Vec<i64>,
    /// The recipient's link to stop these e-mails.
    pub unsubscribe_url: String,
}

/// Writes the e-mail of `DueMessages`.
pub type ComposeMessages =
    fn(AppState, DueMessages) -> BoxFuture<'static, Result<templates::Email, AppError>>;

/// Starts the worker; it stops when the server does. A bad mail setting is logged and leaves
/// the e-mails waiting in the outbox, where nothing is lost.
pub fn spawn(state: AppState, compose_messages: ComposeMessages) {
    let mailer = match Mailer::from_settings(&state.config.mail) {
        Ok(mailer) => mailer,
        Err(error) => {
            tracing::error!(%error, "e-mails cannot be sent; they wait in the outbox");
            return;
        }
    };
    tokio::spawn(async move {
        loop {
            if let Err(error) = deliver_due(&state, &mailer, compose_messages).await {
                tracing::error!(%error, "outbox round failed");
            }
            tokio::select! {
                () = tokio::time::sleep(state.config.mail.poll) => {}
                () = state.shutdown.cancelled() => break,
            }
        }
    });
}

/// One round: the e-mails due now that no other worker has claimed.
async fn deliver_due(
    state: &AppState,
    mailer: &Mailer,
    compose_messages: ComposeMessages,
) -> Result<(), AppError> {
    let now = now_ms();
    let given_up = store::give_up_expired(&state.db, now).await?;
    if given_up > 0 {
        tracing::warn!(
            given_up,
            "account e-mails expired before they could be sent"
        );
    }
    let until = now + i64::try_from(CLAIM.as_millis()).unwrap_or(i64::MAX);
    let claim = store::claim(&state.db, now, until, BATCH).await?;
    for due in store::due_account(&state.db, &claim).await? {
        let email = templates::Email {
            subject: due.subject,
            text: due.text_body,
            html: due.html_body,
            attachments: Vec::new(),
        };
        let sent = match compose(state, &due.to_address, email, None) {
            Ok(message) => mailer.send(message).await,
            Err(error) => Err(error),
        };
        settle(state, &[due.id], due.attempts, sent).await?;
    }
    for group in gather(store::due(&state.db, &claim).await?) {
        let (skipped, unread): (Vec<&Due>, Vec<&Due>) = group
            .iter()
            .partition(|due| due.opted_in == 0 || due.read != 0);
        let skipped: Vec<i64> = skipped.iter().map(|due| due.id).collect();
        store::settle(&state.db, &skipped, "skipped", now).await?;
        if let Some(first) = unread.first() {
            let ids: Vec<i64> = unread.iter().map(|due| due.id).collect();
            let message_ids: Vec<i64> = unread.iter().map(|due| due.message_id).collect();
            let sent = send_messages(state, mailer, compose_messages, first, message_ids).await;
            settle(state, &ids, first.attempts, sent).await?;
        }
    }
    Ok(())
}

/// Records the outcome of sending: sent, or a failure to retry later.
async fn settle(
    state: &AppState,
    ids: &[i64],
    attempts: i64,
    sent: Result<(), String>,
) -> Result<(), AppError> {
    match sent {
        Ok(()) => store::settle(&state.db, ids, "sent", now_ms()).await,
        Err(error) => {
            tracing::warn!(%error, attempts = attempts + 1, "e-mail not sent, will retry");
            let retry_at = now_ms() + retry_wait(state, attempts);
            store::failed(&state.db, ids, &error, retry_at).await
        }
    }
}

/// Due e-mails grouped by recipient and conversation, in order of first appearance.
fn gather(due: Vec<Due>) -> Vec<Vec<Due>> {
    let mut groups: Vec<Vec<Due>> = Vec::new();
    for row in due {
        match groups.iter_mut().find(|group| {
            group[0].user_id == row.user_id && group[0].conversation_id == row.conversation_id
        }) {
            Some(group) => group.push(row),
            None => groups.push(vec![row]),
        }
    }
    groups
}

fn retry_wait(state: &AppState, attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    let wait = state
        .config
        .mail
        .retry_base
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(LONGEST_WAIT);
    i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)
}

async fn send_messages(
    state: &AppState,
    mailer: &Mailer,
    compose_messages: ComposeMessages,
    due: &Due,
    message_ids: Vec<i64>,
) -> Result<(), String> {
    let base = &state.config.public_url;
    let key = crate::signing::key(&state.db, token::PURPOSE)
        .await
        .map_err(|error| error.to_string())?;
    let signed = token::sign(&key, due.user_id);
    let unsubscribe = format!("{base}{}", with_token(UNSUBSCRIBE, &signed));
    let one_click = format!("{base}{}", with_token(ONE_CLICK_UNSUBSCRIBE, &signed));
    let due_messages = DueMessages {
        user: due.user_id,
        conversation: due.conversation_id,
        message_ids,
        unsubscribe_url: unsubscribe,
    };
    let email = compose_messages(state.clone(), due_messages)
        .await
        .map_err(|error| error.to_string())?;
    let message = compose(state, &due.to_address, email, Some(one_click))?;
    mailer.send(message).await
}

/// The e-mail as sent: from `MAIL_FROM`, plain text and HTML, and for messages the
/// one-click unsubscribe headers.
fn compose(
    state: &AppState,
    to: &str,
    email: templates::Email,
    one_click_unsubscribe: Option<String>,
) -> Result<lettre::Message, String> {
    let from: Mailbox = state
        .config
        .mail
        .from
        .parse()
        .map_err(|error| format!("MAIL_FROM: {error}"))?;
    let to: Mailbox = to.parse().map_err(|error| format!("address: {error}"))?;
    let mut message = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject);
    if let Some(address) = one_click_unsubscribe {
        message = message
            .header(ListUnsubscribe(format!("<{address}>")))
            .header(ListUnsubscribePost);
    }
    let body = MultiPart::alternative_plain_html(email.text, email.html);
    let body = if email.attachments.is_empty() {
        body
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for attachment in email.attachments {
            let content_type = ContentType::parse(&attachment.content_type)
                .map_err(|error| format!("attachment: {error}"))?;
            mixed = mixed.singlepart(
                lettre::message::Attachment::new(attachment.filename)
                    .body(attachment.body, content_type),
            );
        }
        mixed
    };
    message.multipart(body).map_err(|error| error.to_string())
}

/// `List-Unsubscribe`: mail programs show their own "unsubscribe" button (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(value.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post`: that button unsubscribes with one POST, no page (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}
