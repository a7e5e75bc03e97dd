//! The page of an address that leads nowhere, or to something the asker may not see: the
//! same 404 for both.

use crate::paths::HOME;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page introuvable" />
        <section class="card narrow">
            <h1>"Page introuvable"</h1>
            <p>"Cette page n'existe pas, ou plus. Vérifiez l'adresse, ou repartez de l'accueil."</p>
            <A href=HOME attr:class="button">"Retour à l'accueil"</A>
        </section>
    }
}
