//! Server functions of "Mes concerts" and of reviews; the rules are in `reviews.rs`. A concert
//! or a review someone takes no part in answers 404, like one that does not exist.

use crate::{
    concerts::model::{MemberConcert, MemberConcerts, Review, ReviewForm},
    error::AppError,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::session::{signed_in, signed_in_verified},
    clock,
    concerts::reviews,
    state::{app_state, respond},
};

/// The signed-in member's concerts: those to come, soonest first, and those past, latest
/// first, each with the reviews its two sides wrote.
#[server(endpoint = "my_concerts")]
pub async fn my_concerts() -> Result<MemberConcerts, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            let state = app_state()?;
            reviews::mine(&state, reader, clock::now(&state)).await
        }
        .await,
    )
}

/// One of the signed-in member's concerts, with its reviews and what they may do with them.
#[server(endpoint = "my_concert")]
pub async fn my_concert(id: i64) -> Result<MemberConcert, AppError> {
    respond(
        async {
            let reader = signed_in()?;
            let state = app_state()?;
            reviews::one(&state, reader, id, clock::now(&state)).await
        }
        .await,
    )
}

/// Reviews the other side of the concert `id` once its date has passed (1 to 5 stars and a
/// text), or changes that review within 14 days.
#[server(endpoint = "review_concert")]
pub async fn review_concert(id: i64, review: ReviewForm) -> Result<Review, AppError> {
    respond(
        async {
            let reader = signed_in_verified()?;
            let state = app_state()?;
            reviews::write(&state, reader, id, &review, clock::now(&state)).await
        }
        .await,
    )
}

/// Answers, publicly and once, the review `id` one received.
#[server(endpoint = "answer_review")]
pub async fn answer_review(id: i64, answer: String) -> Result<Review, AppError> {
    respond(
        async {
            let reader = signed_in_verified()?;
            let state = app_state()?;
            reviews::answer(&state, reader, id, &answer, clock::now(&state)).await
        }
        .await,
    )
}
