//! The e-mails of the moderators' decisions, in French, as plain text and HTML: what was
//! decided, why (the moderator's reason, as written), and how to contest it.

use crate::{mail::templates::Email, moderation::model::ModerationAction};

/// The e-mail telling a member of `action` on their account, for `reason`; `None` for an
/// action nobody is told of.
pub fn decision(action: ModerationAction, reason: &str, contact: &str) -> Option<Email> {
    let (subject, what) = match action {
        ModerationAction::HideProfile => (
            "Votre profil a été masqué",
            "l'équipe de modération de Concerts dans mon salon a masqué votre profil d'artiste : \
             il n'apparaît plus sur le site, et vous ne pouvez pas le publier de nouveau pour le \
             moment. Votre compte et vos conversations restent accessibles.",
        ),
        ModerationAction::Suspend => (
            "Votre compte a été suspendu",
            "l'équipe de modération de Concerts dans mon salon a suspendu votre compte : vous ne \
             pouvez plus vous connecter, et votre profil n'apparaît plus sur le site.",
        ),
        ModerationAction::Restore => (
            "Votre compte est rétabli",
            "l'équipe de modération de Concerts dans mon salon a levé la mesure qui visait votre \
             compte : vous pouvez de nouveau vous connecter et publier votre profil.",
        ),
        ModerationAction::Dismiss | ModerationAction::ViewHost => return None,
    };
    let appeal = format!(
        "Pour contester cette décision, écrivez à {contact} en expliquant votre situation : une \
         autre personne de l'équipe la réexaminera."
    );
    let appeal = (action != ModerationAction::Restore).then_some(appeal);
    let text = format!(
        "Bonjour,\n\n{what}\n\nRaison : {reason}\n\n{}",
        appeal
            .as_deref()
            .map(|appeal| format!("{appeal}\n"))
            .unwrap_or_default()
    );
    let escape = |text: &str| html_escape::encode_text(text).into_owned();
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>{}</p><p><strong>Raison :</strong> <span style=\"white-space:pre-line\">{}</span></p>{}\
         </body></html>",
        escape(what),
        escape(reason),
        appeal
            .map(|appeal| format!("<p>{}</p>", escape(&appeal)))
            .unwrap_or_default()
    );
    Some(Email {
        subject: subject.to_owned(),
        text,
        html,
        attachments: Vec::new(),
    })
}
