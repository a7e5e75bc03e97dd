//! What a page shows in place of data it is loading, or could not load.

use crate::error::AppError;
use leptos::prelude::*;

/// The placeholder of a `Suspense` or `Transition` while its data loads.
#[component]
pub fn Loading(#[prop(default = "Chargement…")] text: &'static str) -> impl IntoView {
    view! { <p class="loading">{text}</p> }
}

/// A load that failed, said in place of what it was for, and announced to screen readers;
/// `card`: a block of its own (a whole page's content), not a line inside one.
#[component]
pub fn LoadError(error: AppError, #[prop(optional)] card: bool) -> impl IntoView {
    let class = if card {
        "form-error card"
    } else {
        "form-error"
    };
    view! { <p class=class role="alert">{error.to_string()}</p> }
}
