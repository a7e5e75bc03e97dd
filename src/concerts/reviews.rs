//! Reviews after a concert, and "Mes concerts". Once an accepted concert's start has passed,
//! each side may review the other once (1 to 5 stars and a text) and change it for
//! `limits::REVIEW_EDIT_DAYS` days; the reviewed person may answer once, publicly. Who sees a
//! review follows its subject's profile: an artist's are public, a host's are seen by whoever
//! may see the host's profile (the caller checks it).

use crate::{
    concerts::{
        model::{
            ConcertRecord, MemberConcert, MemberConcerts, RequestStatus, Review, ReviewForm,
            Reviews, fields, limits,
        },
        requests,
        store::{self, MyConcertRow, RequestRow, ReviewRow},
    },
    error::AppError,
    state::AppState,
    text::bounded,
};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The reader's concerts, to come and past, with the reviews each side wrote.
pub async fn mine(state: &AppState, reader: i64, now: i64) -> Result<MemberConcerts, AppError> {
    let upcoming = store::my_concerts(&state.db, reader, now, false).await?;
    let past = store::my_concerts(&state.db, reader, now, true).await?;
    let ids: Vec<i64> = past.iter().map(|row| row.request.id).collect();
    let reviews = store::reviews_of_concerts(&state.db, &ids).await?;
    let entry = |row: MyConcertRow| my_concert(row, reader, now, &reviews);
    Ok(MemberConcerts {
        upcoming: upcoming.into_iter().map(entry).collect(),
        past: past.into_iter().map(entry).collect(),
    })
}

/// The reader's concert `id`, with its reviews; 404 if they take no part in it.
pub async fn one(
    state: &AppState,
    reader: i64,
    id: i64,
    now: i64,
) -> Result<MemberConcert, AppError> {
    let row = store::my_concert(&state.db, reader, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reviews = store::reviews_of_concerts(&state.db, &[id]).await?;
    Ok(my_concert(row, reader, now, &reviews))
}

fn my_concert(row: MyConcertRow, reader: i64, now: i64, reviews: &[ReviewRow]) -> MemberConcert {
    let concert = row.request.id;
    let find = |mine: bool| {
        reviews
            .iter()
            .find(|review| review.concert_id == concert && (review.author_id == reader) == mine)
    };
    let (my_review, their_review) = (find(true), find(false));
    let may_review = took_place(&row.request, now)
        && my_review.is_none_or(|review| still_editable(review.created_at, now));
    let may_answer = their_review.is_some_and(|review| review.answer.is_none());
    MemberConcert {
        with_name: row
            .with_name
            .unwrap_or_else(|| "Compte supprimé".to_owned()),
        my_review: my_review.cloned().map(view),
        their_review: their_review.cloned().map(view),
        may_review,
        may_answer,
        request: requests::view(row.request, reader, now, false),
    }
}

/// `reader` reviews the other side of the concert `concert`, or changes their review. 404 if
/// they take no part in it; refused before the date, for a concert that did not happen, and
/// once the review may no longer change.
pub async fn write(
    state: &AppState,
    reader: i64,
    concert: i64,
    form: &ReviewForm,
    now: i64,
) -> Result<Review, AppError> {
    let kept = [
        (fields::RATING, form.rating.as_str()),
        (fields::REVIEW, form.text.as_str()),
    ];
    let (rating, text) = parse(form).map_err(|error| error.keeping(&kept))?;
    let row = store::for_member(&state.db, reader, concert)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status() != RequestStatus::Accepted {
        return Err(AppError::refused(
            "Seul un concert confirmé qui a eu lieu peut recevoir un avis.",
        )
        .keeping(&kept));
    }
    if !took_place(&row, now) {
        return Err(
            AppError::refused("Vous pourrez donner votre avis une fois le concert passé.")
                .keeping(&kept),
        );
    }
    let subject = if reader == row.host_id {
        row.artist_id
    } else {
        row.host_id
    };
    let id = match store::review_by(&state.db, concert, reader).await? {
        Some(review) => {
            let written_after = now - limits::REVIEW_EDIT_DAYS * DAY_MS;
            if !store::update_review(&state.db, review.id, rating, &text, written_after, now)
                .await?
            {
                return Err(AppError::refused(format!(
                    "Un avis se modifie pendant {} jours : celui-ci ne peut plus changer.",
                    limits::REVIEW_EDIT_DAYS
                )));
            }
            review.id
        }
        None => store::insert_review(&state.db, concert, reader, subject, rating, &text, now)
            .await?
            .ok_or_else(|| {
                AppError::refused(
                    "Votre avis est déjà enregistré : rechargez la page pour le voir.",
                )
            })?,
    };
    let review = store::review_for_member(&state.db, reader, id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(view(review))
}

/// The reviewed person answers the review `id`, once. 404 for anyone who takes no part in its
/// concert; refused for its author and for a second answer.
pub async fn answer(
    state: &AppState,
    reader: i64,
    id: i64,
    typed: &str,
    now: i64,
) -> Result<Review, AppError> {
    let kept = [(fields::ANSWER, typed)];
    let text = bounded(fields::ANSWER, "Votre réponse", typed, limits::ANSWER)
        .map_err(|error| error.keeping(&kept))?;
    if text.is_empty() {
        return Err(
            AppError::invalid(fields::ANSWER, "Écrivez votre réponse avant de l'envoyer.")
                .keeping(&kept),
        );
    }
    let review = store::review_for_member(&state.db, reader, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if review.subject_id != reader {
        return Err(AppError::refused(
            "Seule la personne dont parle cet avis peut y répondre.",
        ));
    }
    if !store::answer_review(&state.db, id, &text, now).await? {
        return Err(AppError::refused(
            "Vous avez déjà répondu à cet avis : une réponse ne se modifie pas.",
        ));
    }
    let review = store::review_for_member(&state.db, reader, id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(view(review))
}

/// What the public page of the published artist `artist` says of their concerts and reviews.
pub async fn artist_record(
    state: &AppState,
    artist: i64,
    now: i64,
) -> Result<ConcertRecord, AppError> {
    let (given, booked_days) = store::artist_concerts(&state.db, artist, now).await?;
    Ok(ConcertRecord {
        given,
        booked_days,
        reviews: received(state, artist).await?,
    })
}

/// The reviews `subject` received; the caller checks that the asker may see them.
pub async fn received(state: &AppState, subject: i64) -> Result<Reviews, AppError> {
    let (count, stars, newest) = store::reviews_received(&state.db, subject).await?;
    Ok(Reviews {
        count,
        average: average(count, stars),
        newest: newest.into_iter().map(view).collect(),
    })
}

/// The mean of `count` ratings adding up to `stars`, to a tenth.
fn average(count: i64, stars: i64) -> Option<f64> {
    (count > 0).then(|| {
        let tenths = (stars * 10 + count / 2) / count;
        // At most 50 tenths: exact in a float.
        f64::from(i32::try_from(tenths).unwrap_or(0)) / 10.0
    })
}

fn took_place(row: &RequestRow, now: i64) -> bool {
    row.status() == RequestStatus::Accepted && row.starts_at <= now
}

fn still_editable(written_at: i64, now: i64) -> bool {
    now < written_at.saturating_add(limits::REVIEW_EDIT_DAYS * DAY_MS)
}

/// The stars (1 to 5) and the text, which must say something.
fn parse(form: &ReviewForm) -> Result<(i64, String), AppError> {
    let rating = form
        .rating
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|stars| (1..=5).contains(stars))
        .ok_or_else(|| {
            AppError::invalid(fields::RATING, "Choisissez une note, de 1 à 5 étoiles.")
        })?;
    let text = bounded(fields::REVIEW, "Votre avis", &form.text, limits::REVIEW)?;
    if text.is_empty() {
        return Err(AppError::invalid(
            fields::REVIEW,
            "Dites en quelques mots comment s'est passé le concert.",
        ));
    }
    Ok((rating, text))
}

fn view(row: ReviewRow) -> Review {
    Review {
        id: row.id,
        concert_id: row.concert_id,
        author: row.author_name,
        rating: row.rating,
        text: row.body,
        concert_day: row.concert_day,
        answer: row.answer,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_is_rounded_to_a_tenth() {
        assert_eq!(average(0, 0), None);
        assert_eq!(average(3, 14), Some(4.7));
        assert_eq!(average(2, 9), Some(4.5));
        assert_eq!(average(1, 5), Some(5.0));
    }

    #[test]
    fn a_rating_is_one_to_five_stars_and_a_review_says_something() {
        let form = |rating: &str, text: &str| ReviewForm {
            rating: rating.to_owned(),
            text: text.to_owned(),
        };
        assert_eq!(
            parse(&form(" 4 ", " Super ")).ok(),
            Some((4, "Super".to_owned()))
        );
        for refused in ["0", "6", "", "quatre", "4.5"] {
            let error = parse(&form(refused, "Super")).err();
            assert_eq!(
                error.and_then(|e| e.field().map(str::to_owned)).as_deref(),
                Some(fields::RATING)
            );
        }
        let empty = parse(&form("4", "   ")).err();
        assert_eq!(
            empty.and_then(|e| e.field().map(str::to_owned)).as_deref(),
            Some(fields::REVIEW)
        );
        let long = "a".repeat(limits::REVIEW + 1);
        assert!(parse(&form("4", &long)).is_err());
    }
}
