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

/// What `fetch` answers for the route's numeric `id` parameter (`/hotes/{id}`,
/// `/concerts/{id}`), read again when it changes; an address whose id is not a number is a 404.
pub fn by_route_id<T, Fut>(
    fetch: impl Fn(i64) -> Fut + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    T: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    Resource::new(id, move |id| {
        let fetched = id.map(&fetch);
        async move {
            match fetched {
                Some(fetched) => fetched.await,
                None => Err(AppError::NotFound),
            }
        }
    })
}
