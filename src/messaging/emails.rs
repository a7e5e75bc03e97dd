//! Messages by e-mail, for those who ask: the e-mail of a recipient's unread messages in one
//! conversation, written as it leaves (`mail::worker` calls `compose`).

use crate::{
    concerts::{self, store::CalendarRow},
    error::AppError,
    mail::{
        templates::{Attachment, Email},
        worker::DueMessages,
    },
    messaging::{model::Message, store},
    paths::thread_path,
    state::AppState,
};
use futures::future::BoxFuture;
use html_escape::encode_text;

/// The e-mail of `due`: those of its messages still in the conversation, from the other
/// participant as the recipient sees them.
pub fn compose(state: AppState, due: DueMessages) -> BoxFuture<'static, Result<Email, AppError>> {
    Box::pin(async move {
        let thread = store::thread(&state.db, due.user, due.conversation, None)
            .await?
            .ok_or(AppError::NotFound)?;
        let messages: Vec<Message> = thread
            .messages
            .into_iter()
            .filter(|message| due.message_ids.contains(&message.id))
            .collect();
        let base = &state.config.public_url;
        let mut email = new_messages(
            &thread.other.name,
            &messages,
            &format!("{base}{}", thread_path(due.conversation)),
            &due.unsubscribe_url,
        );
        email.attachments = calendar_files(&state, due.user, &messages).await?;
        Ok(email)
    })
}

/// The calendar file of each concert these messages are steps of, once it was accepted: the
/// e-mail of an acceptance brings the concert to the calendar, that of a cancellation takes it
/// out.
async fn calendar_files(
    state: &AppState,
    reader: i64,
    messages: &[Message],
) -> Result<Vec<Attachment>, AppError> {
    let mut concerts: Vec<i64> = messages.iter().filter_map(|m| m.concert_id).collect();
    concerts.dedup();
    let mut files = Vec::new();
    for id in concerts {
        let row = concerts::store::calendar_row(&state.db, reader, id).await?;
        if let Some(row) = row.filter(CalendarRow::was_accepted) {
            files.push(Attachment {
                filename: concerts::calendar::file_name(id),
                content_type: concerts::calendar::CONTENT_TYPE.to_owned(),
                body: concerts::calendar::calendar(&row, &state.config.public_url),
            });
        }
    }
    Ok(files)
}

/// New messages of one conversation, gathered into one e-mail.
pub fn new_messages(
    sender: &str,
    messages: &[Message],
    conversation_url: &str,
    unsubscribe_url: &str,
) -> Email {
    let subject = match messages.len() {
        1 => format!("Nouveau message de {sender}"),
        count => format!("{count} nouveaux messages de {sender}"),
    };
    let intro = if messages.len() == 1 {
        format!("{sender} vous a écrit sur Concerts dans mon salon :")
    } else {
        format!(
            "{sender} vous a écrit {} messages sur Concerts dans mon salon :",
            messages.len()
        )
    };
    let bodies: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
    let text = format!(
        "Bonjour,\n\n{intro}\n\n{}\n\nRépondre : {conversation_url}\n\n-- \n\
         Vous recevez cet e-mail parce que vous avez demandé à recevoir vos messages par e-mail.\n\
         Ne plus les recevoir : {unsubscribe_url}\n",
        bodies.join("\n\n---\n\n")
    );
    let quoted: String = bodies
        .iter()
        .map(|body| {
            format!(
                "<blockquote style=\"white-space:pre-wrap;margin:1em 0;padding:.5em 1em;border-left:4px solid #7a2e3a\">{}</blockquote>",
                encode_text(body)
            )
        })
        .collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>{}</p>{quoted}\
         <p><a href=\"{}\">Répondre sur Concerts dans mon salon</a></p>\
         <hr><p style=\"font-size:small;color:#5d534c\">Vous recevez cet e-mail parce que vous avez \
         demandé à recevoir vos messages par e-mail. \
         <a href=\"{}\">Ne plus les recevoir</a></p></body></html>",
        encode_text(&intro),
        html_escape::encode_double_quoted_attribute(conversation_url),
        html_escape::encode_double_quoted_attribute(unsubscribe_url),
    );
    Email {
        subject,
        text,
        html,
        attachments: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: &str) -> Message {
        Message {
            id: 1,
            conversation_id: 1,
            sender_id: 2,
            from_me: false,
            body: body.to_owned(),
            sent_at: 0,
            concert_id: None,
        }
    }

    #[test]
    fn markup_in_a_message_stays_text_in_the_html_part() {
        let email = new_messages(
            "Famille <b>Martin</b>",
            &[message("<script>alert(1)</script>\nLigne 2")],
            "https://site/messages/1",
            "https://site/desabonnement?jeton=1.x",
        );
        assert_eq!(email.subject, "Nouveau message de Famille <b>Martin</b>");
        assert!(
            email
                .html
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;\nLigne 2")
        );
        assert!(email.html.contains("Famille &lt;b&gt;Martin&lt;/b&gt;"));
        assert!(!email.html.contains("<script>"));
        assert!(email.text.contains("<script>alert(1)</script>\nLigne 2"));
        assert!(
            email
                .text
                .contains("Ne plus les recevoir : https://site/desabonnement?jeton=1.x")
        );
    }

    #[test]
    fn several_messages_make_one_email() {
        let email = new_messages("Trio", &[message("Un"), message("Deux")], "u", "d");
        assert_eq!(email.subject, "2 nouveaux messages de Trio");
        assert!(email.text.contains("Un\n\n---\n\nDeux"));
    }
}
