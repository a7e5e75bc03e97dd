//! The account e-mails' text, in French, as plain text and HTML: welcome and confirmation
//! links, password reset, notices of an address change.

use crate::{
    auth::model::{EMAIL_CHANGE_VALIDITY, Email as Address, RESET_VALIDITY},
    mail::templates::Email,
    ui::time::in_words,
};

/// The password reset e-mail, with its one-time link.
pub fn password_reset(link: &str) -> Email {
    let validity = in_words(RESET_VALIDITY);
    let text = format!(
        "Bonjour,\n\nPour choisir un nouveau mot de passe sur Concerts dans mon salon, ouvrez ce lien \
         (il sert une fois, pendant {validity}) :\n\n{link}\n\n\
         Vous n'avez rien demandé ? Ignorez cet e-mail : votre mot de passe ne change pas.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>Pour choisir un nouveau mot de passe sur Concerts dans mon salon, \
         ouvrez ce lien (il sert une fois, pendant {validity}) :</p>\
         <p><a href=\"{0}\">Choisir un nouveau mot de passe</a></p>\
         <p>Vous n'avez rien demandé ? Ignorez cet e-mail : votre mot de passe ne change pas.</p>\
         </body></html>",
        html_escape::encode_double_quoted_attribute(link)
    );
    Email {
        subject: "Votre nouveau mot de passe".to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}

/// The confirmation of a new address, sent to that address.
pub fn confirm_address(link: &str, for_the_account: bool) -> Email {
    let what = if for_the_account {
        "l'adresse de votre compte (celle qui sert à vous connecter)"
    } else {
        "l'adresse où vous recevez vos messages"
    };
    let validity = in_words(EMAIL_CHANGE_VALIDITY);
    let text = format!(
        "Bonjour,\n\nPour que cette adresse devienne {what} sur Concerts dans mon salon, \
         ouvrez ce lien (il sert une fois, pendant {validity}) :\n\n{link}\n\n\
         Vous n'avez rien demandé ? Ignorez cet e-mail : rien ne change.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>Pour que cette adresse devienne {what} sur Concerts dans mon salon, \
         ouvrez ce lien (il sert une fois, pendant {validity}) :</p>\
         <p><a href=\"{0}\">Confirmer cette adresse</a></p>\
         <p>Vous n'avez rien demandé ? Ignorez cet e-mail : rien ne change.</p></body></html>",
        html_escape::encode_double_quoted_attribute(link)
    );
    Email {
        subject: "Confirmez votre adresse e-mail".to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}

/// The link a new account proves its address with.
pub fn confirm_new_account(link: &str, days: i64) -> Email {
    let text = format!(
        "Bonjour,\n\nBienvenue sur Concerts dans mon salon ! Pour confirmer votre adresse \
         et vous connecter, ouvrez ce lien (il sert une fois, pendant {days} jours) :\n\n{link}\n\n\
         Tant qu'elle n'est pas confirmée, vous pouvez vous connecter avec votre mot de passe \
         et préparer votre profil, mais pas le publier ni écrire à quelqu'un. Sans \
         confirmation, le compte est supprimé au bout de {days} jours.\n\n\
         Vous n'avez rien demandé ? Ignorez cet e-mail : le compte sera supprimé.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>Bienvenue sur Concerts dans mon salon ! Pour confirmer votre \
         adresse et vous connecter, ouvrez ce lien (il sert une fois, pendant {days} jours) :</p>\
         <p><a href=\"{0}\">Confirmer mon adresse</a></p>\
         <p>Tant qu'elle n'est pas confirmée, vous pouvez vous connecter avec votre mot de passe \
         et préparer votre profil, mais pas le publier ni écrire à quelqu'un. Sans confirmation, le compte est supprimé au bout de \
         {days} jours.</p>\
         <p>Vous n'avez rien demandé ? Ignorez cet e-mail : le compte sera supprimé.</p>\
         </body></html>",
        html_escape::encode_double_quoted_attribute(link)
    );
    Email {
        subject: "Bienvenue : confirmez votre adresse e-mail".to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}

/// What someone tried to do with an address that already has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenAddressUse {
    /// Create an account with it.
    SignUp,
    /// Make it another account's sign-in address.
    AddressChange,
}

/// Sent to an address that already has an account when someone tries to use it for another:
/// the page they saw said the same as for a free address, so only the owner learns it.
pub fn address_already_has_account(attempt: TakenAddressUse, sign_in: &str, reset: &str) -> Email {
    let what = match attempt {
        TakenAddressUse::SignUp => {
            "Quelqu'un vient de créer un compte sur Concerts dans mon salon avec cette adresse, \
             qui en a déjà un : aucun nouveau compte n'a été créé."
        }
        TakenAddressUse::AddressChange => {
            "Quelqu'un a demandé que cette adresse devienne celle d'un autre compte sur Concerts \
             dans mon salon. Elle est déjà celle de votre compte : rien n'a changé."
        }
    };
    let text = format!(
        "Bonjour,\n\n{what}\n\n\
         C'était vous ? Connectez-vous : {sign_in}\n\
         Mot de passe oublié ? Choisissez-en un nouveau : {reset}\n\n\
         Ce n'était pas vous ? Ignorez cet e-mail : votre compte ne change pas.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>{what}</p>\
         <p>C'était vous ? <a href=\"{0}\">Connectez-vous</a>. Mot de passe oublié ? \
         <a href=\"{1}\">Choisissez-en un nouveau</a>.</p>\
         <p>Ce n'était pas vous ? Ignorez cet e-mail : votre compte ne change pas.</p>\
         </body></html>",
        html_escape::encode_double_quoted_attribute(sign_in),
        html_escape::encode_double_quoted_attribute(reset),
    );
    Email {
        subject: "Vous avez déjà un compte".to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}

/// Sent to the sign-in address when someone asks to change one of the account's addresses:
/// the sign-in one (`for_the_account`) or the one messages go to.
pub fn address_change_asked(new_email: &Address, profile: &str, for_the_account: bool) -> Email {
    let (subject, what) = if for_the_account {
        (
            "Changement de l'adresse de votre compte",
            "que l'adresse de votre compte Concerts dans mon salon devienne",
        )
    } else {
        (
            "Vos messages envoyés à une autre adresse",
            "que vos messages de Concerts dans mon salon soient envoyés à",
        )
    };
    let new_email = new_email.as_str();
    let text = format!(
        "Bonjour,\n\nQuelqu'un, sans doute vous, a demandé {what} {new_email}. Le changement \
         aura lieu quand le lien envoyé à cette adresse sera ouvert.\n\n\
         Ce n'est pas vous ? Changez dès maintenant votre mot de passe depuis « Mon profil » \
         ({profile}) : cela annule la demande. Si vous ne pouvez plus vous connecter, \
         utilisez « Mot de passe oublié ? » sur la page de connexion.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>Quelqu'un, sans doute vous, a demandé {what} <strong>{0}</strong>. \
         Le changement aura lieu quand le lien envoyé à cette adresse sera ouvert.</p>\
         <p>Ce n'est pas vous ? Changez dès maintenant votre mot de passe depuis \
         <a href=\"{1}\">Mon profil</a> : cela annule la demande. Si vous ne pouvez plus vous \
         connecter, utilisez « Mot de passe oublié ? » sur la page de connexion.</p></body></html>",
        html_escape::encode_text(new_email),
        html_escape::encode_double_quoted_attribute(profile)
    );
    Email {
        subject: subject.to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}

/// Sent to the sign-in address when a new password took away the address messages went to.
pub fn notify_address_dropped(notify_email: &str, profile: &str) -> Email {
    let text = format!(
        "Bonjour,\n\nLe mot de passe de votre compte Concerts dans mon salon vient de changer. \
         Par prudence, vos messages ne sont plus envoyés à {notify_email}, mais à cette \
         adresse-ci, celle de votre compte.\n\n\
         Si {notify_email} est bien la vôtre, demandez-la de nouveau depuis « Mon profil » \
         ({profile}) : il faudra votre mot de passe, puis ouvrir le lien que nous y enverrons.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#1f1a17\">\
         <p>Bonjour,</p><p>Le mot de passe de votre compte Concerts dans mon salon vient de \
         changer. Par prudence, vos messages ne sont plus envoyés à <strong>{0}</strong>, mais \
         à cette adresse-ci, celle de votre compte.</p>\
         <p>Si {0} est bien la vôtre, demandez-la de nouveau depuis \
         <a href=\"{1}\">Mon profil</a> : il faudra votre mot de passe, puis ouvrir le lien que \
         nous y enverrons.</p></body></html>",
        html_escape::encode_text(notify_email),
        html_escape::encode_double_quoted_attribute(profile)
    );
    Email {
        subject: "Vos messages reviennent à l'adresse de votre compte".to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}
