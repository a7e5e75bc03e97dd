//! `/artistes`: the published profiles, a page at a time.

use super::{ArtistList, count_label, page_param};
use crate::paths::{ARTISTS, SEARCH, with_query};
use crate::{
    artists::api::list_artists,
    ui::loading::{LoadError, Loading},
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

/// `/artistes`: every published artist, most recently updated first.
#[component]
pub fn ArtistsPage() -> impl IntoView {
    let query = use_query_map();
    let artists = Resource::new(move || page_param(&query.read()), list_artists);
    view! {
        <Title text="Les artistes" />
        <Meta
            name="description"
            content="Musiciens et groupes qui proposent des concerts à domicile, partout en France : découvrez leurs profils et leurs formules."
        />
        <section class="page-heading">
            <h1>"Les artistes"</h1>
            <p class="lead">
                "Ils jouent chez vous : dans un salon, un jardin, une entreprise. "
                <A href=SEARCH>"Chercher par style et par ville"</A>
            </p>
        </section>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match artists.await {
                    Ok(page) if page.total == 0 => Either::Left(view! {
                        <p class="empty card">"Aucun artiste n'a encore publié son profil. Revenez bientôt !"</p>
                    }.into_any()),
                    Ok(page) => Either::Left(view! {
                        <p class="result-count">{count_label(&page)}</p>
                        <ArtistList page href=|n| with_query(ARTISTS, &[("page", &n.to_string())]) />
                    }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}
