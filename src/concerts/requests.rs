//! The rules of concert requests: what a proposal must say, who may do what and when, and
//! how each step reads as a message of the conversation.

use crate::{
    concerts::{
        model::{ConcertRequest, ProposalForm, RequestAction, RequestStatus, fields, limits},
        store::{RequestRow, Terms},
    },
    error::AppError,
    text::bounded,
    ui::{
        thousands,
        time::{full_date_and_time, paris_date_and_time, paris_start},
    },
};
use jiff::civil::Date;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Said when a step comes too late: the other side answered first.
pub const ALREADY_ANSWERED: &str =
    "Cette demande a déjà reçu une réponse : rechargez la conversation pour la voir.";

/// A step of a request, as the message that records it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Proposed,
    Countered,
    Accepted,
    Declined,
    Cancelled,
}

/// The proposal's terms, checked at `now`; `offers` are the titles of the artist's formules.
/// A refusal names its field and keeps everything typed.
pub fn parse_proposal(form: &ProposalForm, now: i64, offers: &[String]) -> Result<Terms, AppError> {
    parse_terms(form, now, offers).map_err(|error| error.keeping(&kept(form)))
}

fn kept(form: &ProposalForm) -> [(&'static str, &str); 6] {
    [
        (fields::DATE, &form.date),
        (fields::TIME, &form.time),
        (fields::OFFER, &form.offer),
        (fields::GUESTS, &form.guests),
        (fields::FEE, &form.fee),
        (fields::NOTE, &form.note),
    ]
}

fn parse_terms(form: &ProposalForm, now: i64, offers: &[String]) -> Result<Terms, AppError> {
    let day = parse_date(&form.date).ok_or_else(|| {
        AppError::invalid(
            fields::DATE,
            "Indiquez la date du concert, par exemple 14/03/2027.",
        )
    })?;
    let (hour, minute) = parse_time(&form.time).ok_or_else(|| {
        AppError::invalid(
            fields::TIME,
            "Indiquez l'heure de début du concert, par exemple 20:30.",
        )
    })?;
    let starts_at = paris_start(day, hour, minute)
        .ok_or_else(|| AppError::invalid(fields::TIME, "Cette heure n'existe pas ce jour-là."))?;
    if starts_at <= now {
        return Err(AppError::invalid(
            fields::DATE,
            "Cette date est passée : proposez une date à venir.",
        ));
    }
    if starts_at > now.saturating_add(limits::DAYS_AHEAD * DAY_MS) {
        return Err(AppError::invalid(
            fields::DATE,
            "Proposez une date dans les deux ans qui viennent.",
        ));
    }
    let offer = match form.offer.trim() {
        "" | "autre" => None,
        title => Some(
            offers
                .iter()
                .find(|offer| offer.as_str() == title)
                .cloned()
                .ok_or_else(|| {
                    AppError::invalid(
                        fields::OFFER,
                        "Choisissez une des formules de l'artiste, ou « Autre ».",
                    )
                })?,
        ),
    };
    let guests = whole_number(&form.guests)
        .filter(|guests| (1..=limits::GUESTS).contains(guests))
        .ok_or_else(|| {
            AppError::invalid(
                fields::GUESTS,
                format!(
                    "Indiquez le nombre d'invités attendus, de 1 à {}.",
                    limits::GUESTS
                ),
            )
        })?;
    let fee_eur = match form.fee.trim() {
        "" => None,
        typed => Some(
            whole_number(typed.trim_end_matches('€'))
                .filter(|fee| (0..=limits::FEE_EUR).contains(fee))
                .ok_or_else(|| {
                    AppError::invalid(
                        fields::FEE,
                        format!(
                            "Indiquez le cachet en euros, sans centimes (jusqu'à {} €), ou laissez vide.",
                            thousands(usize::try_from(limits::FEE_EUR).unwrap_or(0))
                        ),
                    )
                })?,
        ),
    };
    let note = bounded(fields::NOTE, "Votre mot", &form.note, limits::NOTE)?;
    Ok(Terms {
        starts_at,
        day: day.to_string(),
        offer,
        guests,
        fee_eur,
        note,
    })
}

/// "2027-07-03" (a date input) or "3/7/2027" (typed by hand).
fn parse_date(typed: &str) -> Option<Date> {
    let typed = typed.trim();
    if let Ok(date) = typed.parse::<Date>() {
        return Some(date);
    }
    let mut parts = typed.split(['/', '.', '-']);
    let day = parts.next()?.trim().parse().ok()?;
    let month = parts.next()?.trim().parse().ok()?;
    let year = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// "20:30" (a time input), "20h30", "20 h 30" or "20h".
fn parse_time(typed: &str) -> Option<(i8, i8)> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.to_lowercase();
    let (hour, minute) = compact
        .split_once([':', 'h'])
        .unwrap_or((compact.as_str(), ""));
    // A time input may send seconds: "20:30:00".
    let minute = minute.split(':').next().unwrap_or_default();
    let hour: i8 = hour.parse().ok()?;
    let minute: i8 = if minute.is_empty() {
        0
    } else {
        minute.parse().ok()?
    };
    ((0..24).contains(&hour) && (0..60).contains(&minute)).then_some((hour, minute))
}

/// A whole number as people type it: "1 200", "1200", "1 200" (no-break spaces).
fn whole_number(typed: &str) -> Option<i64> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .collect();
    digits.parse().ok()
}

/// An optional reason for declining or cancelling: trimmed, at most `limits::REASON`
/// characters; `None` when empty.
pub fn reason(typed: Option<&str>) -> Result<Option<String>, AppError> {
    let typed = typed.unwrap_or_default();
    let reason = bounded(fields::REASON, "La raison", typed, limits::REASON)
        .map_err(|error| error.keeping(&[(fields::REASON, typed)]))?;
    Ok(Some(reason).filter(|reason| !reason.is_empty()))
}

/// What `reader` may do with the request at `now`. The side that did not propose answers a
/// proposal; the side that proposed may withdraw it; either side may call off an accepted
/// concert. Nothing moves once the date has passed.
pub fn actions(row: &RequestRow, reader: i64, now: i64) -> Vec<RequestAction> {
    if row.starts_at <= now {
        return Vec::new();
    }
    match row.status() {
        RequestStatus::Proposed if row.proposed_by == reader => vec![RequestAction::Cancel],
        RequestStatus::Proposed => vec![
            RequestAction::Accept,
            RequestAction::Decline,
            RequestAction::Counter,
        ],
        RequestStatus::Accepted => vec![RequestAction::Cancel],
        RequestStatus::Declined | RequestStatus::Countered | RequestStatus::Cancelled => Vec::new(),
    }
}

/// Refuses `action` when `reader` may not take it now, saying why.
pub fn check(
    row: &RequestRow,
    reader: i64,
    now: i64,
    action: RequestAction,
) -> Result<(), AppError> {
    if actions(row, reader, now).contains(&action) {
        return Ok(());
    }
    let message = if row.starts_at <= now {
        "La date de ce concert est passée : il ne peut plus changer."
    } else if row.status() == RequestStatus::Proposed {
        "C'est à l'autre personne de répondre à cette proposition."
    } else {
        ALREADY_ANSWERED
    };
    Err(AppError::refused(message))
}

/// The request as `reader` sees it at `now`; `same_day_concert` when the artist has another
/// accepted concert that day.
pub fn view(row: RequestRow, reader: i64, now: i64, same_day_concert: bool) -> ConcertRequest {
    let (date, time) = paris_date_and_time(row.starts_at);
    ConcertRequest {
        id: row.id,
        conversation_id: row.conversation_id,
        proposed_by_me: row.proposed_by == reader,
        replaces: row.replaces_id,
        starts_at: row.starts_at,
        date,
        time,
        actions: actions(&row, reader, now),
        status: row.status(),
        offer: row.offer,
        guests: row.guests,
        fee_eur: row.fee_eur,
        note: row.note,
        reason: row.reason,
        sequence: row.sequence,
        same_day_concert,
        updated_at: row.updated_at,
    }
}

/// The message that records a step, as the inbox, the thread and e-mails show it.
pub fn message_text(step: Step, terms: &Terms, reason: Option<&str>) -> String {
    let when = full_date_and_time(terms.starts_at);
    let mut text = match step {
        Step::Proposed => format!("Demande de concert : {when}."),
        Step::Countered => format!("Contre-proposition : {when}."),
        Step::Accepted => format!("Concert confirmé : {when}."),
        Step::Declined => format!("Demande déclinée : {when}."),
        Step::Cancelled => format!("Annulé : le concert du {when}."),
    };
    if matches!(step, Step::Proposed | Step::Countered) {
        text.push_str(&format!(
            "\nFormule : {}\nInvités : {}\nCachet : {}",
            terms.offer.as_deref().unwrap_or("autre"),
            terms.guests,
            terms.fee_eur.map_or_else(
                || "à convenir".to_owned(),
                |fee| format!("{} €", thousands(usize::try_from(fee).unwrap_or(0)))
            )
        ));
        if !terms.note.is_empty() {
            text.push_str(&format!("\n\n{}", terms.note));
        }
    }
    if let Some(reason) = reason {
        text.push_str(&format!("\nRaison : {reason}"));
    }
    text
}

impl RequestRow {
    /// The terms this request proposed.
    pub fn terms(&self) -> Terms {
        Terms {
            starts_at: self.starts_at,
            day: self.day.clone(),
            offer: self.offer.clone(),
            guests: self.guests,
            fee_eur: self.fee_eur,
            note: self.note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1 December 2026, noon in Paris.
    const NOW: i64 = 1_796_122_800_000;

    fn form(date: &str, time: &str, guests: &str, fee: &str) -> ProposalForm {
        ProposalForm {
            date: date.to_owned(),
            time: time.to_owned(),
            offer: "autre".to_owned(),
            guests: guests.to_owned(),
            fee: fee.to_owned(),
            note: "  Dans notre salon.  ".to_owned(),
        }
    }

    const NO_OFFER: &[String] = &[];

    #[test]
    fn a_proposal_reads_dates_times_and_amounts_as_people_type_them() {
        let terms = parse_proposal(
            &form("03/07/2027", "20 h 30", "40", "1 200 €"),
            NOW,
            NO_OFFER,
        )
        .expect("accepted");
        assert_eq!(terms.day, "2027-07-03");
        assert_eq!(
            full_date_and_time(terms.starts_at),
            "samedi 3 juillet 2027 à 20 h 30"
        );
        assert_eq!((terms.guests, terms.fee_eur), (40, Some(1200)));
        assert_eq!(terms.note, "Dans notre salon.");
        let same = parse_proposal(&form("2027-07-03", "20:30", "40", ""), NOW, NO_OFFER)
            .expect("accepted");
        assert_eq!(same.starts_at, terms.starts_at);
        assert_eq!(same.fee_eur, None);
    }

    #[test]
    fn a_refused_proposal_names_its_field_and_keeps_what_was_typed() {
        let cases = [
            (form("", "20:30", "40", ""), fields::DATE),
            (form("31/02/2027", "20:30", "40", ""), fields::DATE),
            (form("2026-11-30", "20:30", "40", ""), fields::DATE),
            (form("2030-01-01", "20:30", "40", ""), fields::DATE),
            (form("2027-07-03", "25:00", "40", ""), fields::TIME),
            (form("2027-07-03", "20:30", "0", ""), fields::GUESTS),
            (form("2027-07-03", "20:30", "beaucoup", ""), fields::GUESTS),
            (form("2027-07-03", "20:30", "40", "-5"), fields::FEE),
            (form("2027-07-03", "20:30", "40", "12,50"), fields::FEE),
        ];
        for (typed, field) in cases {
            let error = parse_proposal(&typed, NOW, NO_OFFER).expect_err("refused");
            let AppError::Invalid {
                field: Some(named), ..
            } = &error
            else {
                panic!("{typed:?}: {error:?}");
            };
            assert_eq!(named, field, "{typed:?}");
            assert_eq!(
                error.kept_value(fields::GUESTS),
                Some(typed.guests.as_str())
            );
            assert_eq!(error.kept_value(fields::NOTE), Some(typed.note.as_str()));
        }
    }

    #[test]
    fn an_offer_is_one_of_the_artists() {
        let mut typed = form("2027-07-03", "20:30", "40", "");
        let offers = ["Duo".to_owned()];
        typed.offer = " Duo ".to_owned();
        let titled = parse_proposal(&typed, NOW, &offers);
        assert_eq!(titled.expect("accepted").offer.as_deref(), Some("Duo"));
        typed.offer = "Trio".to_owned();
        let error = parse_proposal(&typed, NOW, &offers).expect_err("not the artist's");
        assert!(matches!(error, AppError::Invalid { field: Some(f), .. } if f == fields::OFFER));
    }

    fn row(status: RequestStatus, proposed_by: i64, starts_at: i64) -> RequestRow {
        RequestRow {
            id: 1,
            conversation_id: 1,
            proposed_by,
            replaces_id: None,
            starts_at,
            day: "2027-07-03".to_owned(),
            offer: None,
            guests: 40,
            fee_eur: None,
            note: String::new(),
            status: status.as_str().to_owned(),
            reason: None,
            sequence: 0,
            updated_at: NOW,
            host_id: 10,
            artist_id: 20,
        }
    }

    #[test]
    fn each_side_may_do_what_its_turn_allows() {
        use RequestAction::*;
        let later = NOW + DAY_MS;
        let proposed = row(RequestStatus::Proposed, 10, later);
        assert_eq!(actions(&proposed, 10, NOW), vec![Cancel]);
        assert_eq!(actions(&proposed, 20, NOW), vec![Accept, Decline, Counter]);
        let accepted = row(RequestStatus::Accepted, 10, later);
        assert_eq!(actions(&accepted, 10, NOW), vec![Cancel]);
        assert_eq!(actions(&accepted, 20, NOW), vec![Cancel]);
        for done in [
            RequestStatus::Declined,
            RequestStatus::Countered,
            RequestStatus::Cancelled,
        ] {
            assert!(actions(&row(done, 10, later), 20, NOW).is_empty());
        }
        assert!(actions(&row(RequestStatus::Accepted, 10, NOW - 1), 20, NOW).is_empty());
        assert!(check(&proposed, 10, NOW, Accept).is_err());
        assert!(check(&proposed, 20, NOW, Accept).is_ok());
    }

    #[test]
    fn each_step_reads_as_a_message() {
        let terms = parse_proposal(&form("2027-07-03", "20:30", "40", "300"), NOW, NO_OFFER)
            .expect("accepted");
        assert_eq!(
            message_text(Step::Proposed, &terms, None),
            "Demande de concert : samedi 3 juillet 2027 à 20 h 30.\nFormule : autre\n\
             Invités : 40\nCachet : 300 €\n\nDans notre salon."
        );
        assert_eq!(
            message_text(Step::Cancelled, &terms, Some("Malade")),
            "Annulé : le concert du samedi 3 juillet 2027 à 20 h 30.\nRaison : Malade"
        );
    }
}
