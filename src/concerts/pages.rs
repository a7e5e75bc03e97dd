//! "Mes concerts" (`/concerts`), one concert's page with its reviews (`/concerts/{id}`), and
//! the list of reviews the artist and host pages show. Every form works without JavaScript.

use crate::{
    auth::context::SignedIn,
    concerts::{
        api::{AnswerReview, ReviewConcert, my_concert, my_concerts},
        model::{MemberConcert, RequestStatus, Review, Reviews, fields, limits},
    },
    error::AppError,
    paths::{concert_calendar_path, concert_path, thread_path},
    ui::{
        forms::{Field, FieldState, FormError, returned_error},
        loading::{LoadError, Loading, by_route_id},
        not_found::NotFound,
        time::{full_date, full_date_and_time},
    },
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

/// `/concerts`: the signed-in member's concerts, to come and past, each with its state.
#[component]
pub fn MyConcertsPage() -> impl IntoView {
    view! {
        <Title text="Mes concerts" />
        <Meta name="robots" content="noindex" />
        <SignedIn children=|_| view! { <MyConcertsView /> } />
    }
}

#[component]
fn MyConcertsView() -> impl IntoView {
    let concerts = Resource::new(|| (), |_| my_concerts());
    view! {
        <section class="page-heading">
            <h1>"Mes concerts"</h1>
        </section>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match concerts.await {
                    Ok(concerts) => Either::Left(view! {
                        <h2>"À venir"</h2>
                        <ConcertList concerts=concerts.upcoming
                            empty="Aucun concert à venir. Les demandes se font depuis une conversation." />
                        <h2>"Passés"</h2>
                        <ConcertList concerts=concerts.past empty="Aucun concert passé." />
                    }),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConcertList(concerts: Vec<MemberConcert>, empty: &'static str) -> impl IntoView {
    if concerts.is_empty() {
        return Either::Left(view! { <p class="empty">{empty}</p> });
    }
    Either::Right(view! {
        <ul class="my-concerts">
            {concerts.into_iter().map(|concert| view! { <li><ConcertSummary concert linked=true /></li> }).collect_view()}
        </ul>
    })
}

/// A concert's date, the other side, its state and terms; `linked`: its date leads to its page.
#[component]
fn ConcertSummary(concert: MemberConcert, linked: bool) -> impl IntoView {
    let request = concert.request;
    let date = full_date_and_time(request.starts_at);
    let date = if linked {
        Either::Left(view! { <A href=concert_path(request.id)>{date}</A> })
    } else {
        Either::Right(date)
    };
    let to_review = concert.may_review && concert.my_review.is_none();
    view! {
        <article class="card concert-card" data-status=request.status.as_str()>
            <h3 class="concert-date">{date}</h3>
            <p class="concert-with">"Avec " {concert.with_name}</p>
            <p class=format!("concert-status status-{}", request.status.as_str())>
                {request.status.label()}
            </p>
            <dl class="facts">
                <dt>"Formule"</dt><dd>{request.offer.unwrap_or_else(|| "Autre".to_owned())}</dd>
                <dt>"Invités"</dt><dd>{request.guests}</dd>
            </dl>
            <p class="concert-links">
                <A href=thread_path(request.conversation_id)>"Voir la conversation"</A>
                {(request.status == RequestStatus::Accepted).then(|| view! {
                    " · "<a href=concert_calendar_path(request.id) download>"Ajouter à mon agenda (.ics)"</a>
                })}
                {(linked && to_review).then(|| view! {
                    " · "<A href=concert_path(request.id)>"Donner mon avis"</A>
                })}
            </p>
        </article>
    }
}

/// `/concerts/{id}`: one of the member's concerts, its reviews, and the forms to write or
/// change one's review and to answer the other's.
#[component]
pub fn ConcertPage() -> impl IntoView {
    view! {
        <Title text="Concert" />
        <Meta name="robots" content="noindex" />
        <SignedIn children=|_| view! { <ConcertView /> } />
    }
}

#[component]
fn ConcertView() -> impl IntoView {
    let concert = by_route_id(my_concert);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match concert.await {
                    Ok(concert) => Either::Left(view! { <ConcertReviews concert /> }),
                    Err(AppError::NotFound) => Either::Right(view! { <NotFound /> }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error card=true /> }.into_any()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConcertReviews(concert: MemberConcert) -> impl IntoView {
    let id = concert.request.id;
    let accepted = concert.request.status == RequestStatus::Accepted;
    let (may_review, may_answer) = (concert.may_review, concert.may_answer);
    let (mine, theirs) = (concert.my_review.clone(), concert.their_review.clone());
    // Only a concert that took place has reviews, or may get one.
    let took_place = may_review || mine.is_some() || theirs.is_some();
    let reviews = took_place.then(|| {
        let my_part = match (may_review, mine.clone()) {
            (true, start) => Either::Left(view! {
                {start.clone().map(|review| view! { <ReviewView review /> })}
                <ReviewForm id start />
            }),
            (false, review) => Either::Right(view! {
                {review.map(|review| view! { <ReviewView review /> })}
                <p class="hint">{format!(
                    "Un avis se modifie pendant {} jours après sa publication : ce délai est passé.",
                    limits::REVIEW_EDIT_DAYS
                )}</p>
            }),
        };
        let their_part = match theirs {
            Some(review) => {
                let review_id = review.id;
                Either::Left(view! {
                    <ReviewView review />
                    {may_answer.then(|| view! { <AnswerForm id=review_id /> })}
                })
            }
            None => Either::Right(view! { <p class="empty">"Pas encore d'avis."</p> }),
        };
        view! {
            <section class="card reviews">
                <h2>"Votre avis"</h2>
                {my_part}
            </section>
            <section class="card reviews">
                <h2>"Son avis sur vous"</h2>
                {their_part}
            </section>
        }
    });
    let later = (accepted && !took_place).then(|| {
        view! {
            <p class="hint">"Vous pourrez donner votre avis une fois le concert passé."</p>
        }
    });
    view! {
        <section class="page-heading">
            <h1>"Concert du " {full_date(&concert.request.date)}</h1>
        </section>
        <ConcertSummary concert linked=false />
        {reviews}
        {later}
    }
}

/// A plain post (no code in the browser): the page comes back with the review, or with the
/// refusal and what was typed.
#[component]
fn ReviewForm(id: i64, start: Option<Review>) -> impl IntoView {
    let error = returned_error::<ReviewConcert>();
    let (rating, text, label) = match start {
        Some(review) => (review.rating.to_string(), review.text, "Modifier mon avis"),
        None => (String::new(), String::new(), "Publier mon avis"),
    };
    view! {
        <form method="post" action={<ReviewConcert as ServerFn>::PATH} class="review-form">
            <FormError error />
            <input type="hidden" name="id" value=id />
            <RatingField chosen=rating error />
            <Field label="Comment s'est passé le concert ?" name=fields::REVIEW rows=4 required=true
                keep=true maxlength=limits::REVIEW value=text error />
            <button type="submit" class="button">{label}</button>
        </form>
    }
}

/// Five radio buttons, "1 étoile" to "5 étoiles", kept when the form is refused.
#[component]
fn RatingField(chosen: String, error: Signal<Option<AppError>>) -> impl IntoView {
    // A plain form's error is known when the page is rendered: nothing here changes after.
    let returned = error.get_untracked();
    let chosen = returned
        .as_ref()
        .and_then(|error| error.kept_value(fields::RATING).map(str::to_owned))
        .unwrap_or(chosen);
    let state = FieldState::new(fields::RATING, None, error);
    let choices = (1..=5)
        .map(|stars: u8| {
            let value = stars.to_string();
            let checked = chosen == value;
            let label = if stars == 1 { "1 étoile".to_owned() } else { format!("{stars} étoiles") };
            view! {
                <label class="star-choice">
                    <input type="radio" name=fields::RATING value=value checked=checked required=true />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field rating-field" id=state.id.clone() aria-invalid=state.invalid()>
            <legend>"Votre note"</legend>
            {choices}
            {state.error_view()}
        </fieldset>
    }
}

#[component]
fn AnswerForm(id: i64) -> impl IntoView {
    let error = returned_error::<AnswerReview>();
    view! {
        <form method="post" action={<AnswerReview as ServerFn>::PATH} class="review-form">
            <FormError error />
            <input type="hidden" name="id" value=id />
            <Field label="Répondre publiquement (une seule fois)" name=fields::ANSWER rows=3
                required=true keep=true maxlength=limits::ANSWER error />
            <button type="submit" class="button">"Publier ma réponse"</button>
        </form>
    }
}

/// "★★★★☆", read out as "4 étoiles sur 5".
#[component]
fn Stars(rating: i64) -> impl IntoView {
    let full = usize::try_from(rating.clamp(0, 5)).unwrap_or(0);
    let stars = format!("{}{}", "★".repeat(full), "☆".repeat(5 - full));
    view! { <span class="stars" role="img" aria-label=format!("{full} étoiles sur 5")>{stars}</span> }
}

/// A review: its stars, who wrote it, the concert's day, the text and the answer.
#[component]
fn ReviewView(review: Review) -> impl IntoView {
    let author = review
        .author
        .unwrap_or_else(|| "L'hôte du concert".to_owned());
    view! {
        <article class="review">
            <p class="review-heading">
                <Stars rating=review.rating />
                " " <strong>{author}</strong>
                ", concert du " <time datetime=review.concert_day.clone()>{full_date(&review.concert_day)}</time>
            </p>
            <p class="prose">{review.text}</p>
            {review.answer.map(|answer| view! {
                <blockquote class="review-answer">
                    <p class="review-answer-heading">"Réponse"</p>
                    <p class="prose">{answer}</p>
                </blockquote>
            })}
        </article>
    }
}

/// The reviews someone received, with their average, for the artist and host pages.
#[component]
pub fn ReviewList(reviews: Reviews) -> impl IntoView {
    let summary = match (reviews.count, reviews.average) {
        (0, _) | (_, None) => "Pas encore d'avis.".to_owned(),
        (1, Some(average)) => format!("{} sur 5, 1 avis", french_decimal(average)),
        (count, Some(average)) => format!("{} sur 5, {count} avis", french_decimal(average)),
    };
    view! {
        <section class="card reviews" id="avis">
            <h2>"Avis"</h2>
            <p class="reviews-summary">{summary}</p>
            {reviews.newest.into_iter().map(|review| view! { <ReviewView review /> }).collect_view()}
        </section>
    }
}

/// An average of stars as French writes it, to a tenth: 4.5 → "4,5"; 5.0 → "5".
fn french_decimal(value: f64) -> String {
    // Averages are 1 to 5: far inside an i64.
    let tenths = (value * 10.0 + 0.5).floor() as i64;
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        tenth => format!("{},{tenth}", tenths / 10),
    }
}

#[cfg(test)]
mod tests {
    use super::french_decimal;

    #[test]
    fn an_average_reads_as_french_writes_it() {
        assert_eq!(french_decimal(4.5), "4,5");
        assert_eq!(french_decimal(5.0), "5");
        assert_eq!(french_decimal(4.7), "4,7");
        assert_eq!(french_decimal(1.0), "1");
        assert_eq!(french_decimal(3.96), "4");
    }
}
