//! `/recherche`: artists by music type and city.

use super::{ArtistList, count_label, page_param};
use crate::paths::{ARTISTS, SEARCH, with_query};
use crate::{
    artists::{api::search_artists, model::SearchResults},
    error::AppError,
    places::components::CityInput,
    ui::{forms::FormError, hydration::page_loads_app, loading::Loading},
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map, params::ParamsMap};

/// `/recherche?type=…&ville=…`: a GET form, so results can be shared and work without
/// JavaScript; on a member's page the city field proposes communes as they type.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let music_type = move || query.read().get("type").unwrap_or_default();
    let city = move || query.read().get("ville").unwrap_or_default();
    let results = Resource::new(
        move || (music_type(), city(), page_param(&query.read())),
        |(music_type, city, page)| search_artists(Some(music_type), Some(city), page),
    );
    // leptos_meta reads the title after the page has rendered, outside this request's
    // reactive arena (see `Live::unread_total_for_title`): through a handle that owns the
    // query, not the arena's `Memo`.
    let title_query: ArcSignal<ParamsMap> = ArcSignal::from(query);
    let title = move || {
        let query = title_query.read();
        let value = |name: &str| query.get_str(name).unwrap_or_default().trim().to_owned();
        match (value("type").as_str(), value("ville").as_str()) {
            ("", "") => "Rechercher un artiste".to_owned(),
            (words, "") => format!("« {words} » : artistes"),
            ("", place) => format!("Artistes près de {place}"),
            (words, place) => format!("« {words} » près de {place}"),
        }
    };
    view! {
        <Title text=title />
        <Meta
            name="description"
            content="Trouvez un musicien pour un concert à domicile, par style de musique et par ville."
        />
        // One block, so that the form shows the search's error (an unknown city) when the
        // page is rendered on the server; it stays in place while the next results load.
        <Transition fallback=|| view! { <Loading text="Recherche…" /> }>
            {move || Suspend::new(async move {
                let outcome = results.await;
                let (words, typed_city) = (music_type(), city());
                let error = Signal::stored(outcome.as_ref().err().cloned());
                // A misspelt city: the communes whose names are nearest, to search there.
                let nearest = outcome.as_ref().err().map(|error| {
                    let cities = error.choices().iter().map(|label| (label.clone(), String::new())).collect();
                    view! { <CityChoices intro="Vouliez-vous dire :" cities current=None words=words.clone() /> }
                });
                let found = outcome.ok().map(|found| {
                    view! { <SearchResultsView found words=words.clone() typed_city=typed_city.clone() /> }
                });
                view! {
                    <section class="card search-panel">
                        <h1>"Trouver un artiste"</h1>
                        <form method="get" action=SEARCH class="search-form" role="search">
                            <div class="field">
                                <label for="champ-type">"Type de musique"</label>
                                <input
                                    id="champ-type"
                                    name="type"
                                    type="search"
                                    maxlength=200
                                    placeholder="jazz, électro, chanson…"
                                    value=words.clone()
                                />
                            </div>
                            {if page_loads_app() {
                                let error = error.get_untracked();
                                Either::Left(view! { <SearchCityField value=typed_city.clone() error /> })
                            } else {
                                Either::Right(view! { <CityInput label="Ville" name="ville" value=typed_city.clone() error /> })
                            }}
                            <button type="submit" class="button">"Rechercher"</button>
                        </form>
                        <FormError error />
                        {nearest}
                    </section>
                    {found}
                }
            })}
        </Transition>
    }
}

/// The city field on a member's page, where it proposes communes as they type.
#[island]
fn SearchCityField(value: String, error: Option<AppError>) -> impl IntoView {
    view! { <CityInput label="Ville" name="ville" value error=Signal::stored(error) /> }
}

#[component]
fn SearchResultsView(found: SearchResults, words: String, typed_city: String) -> impl IntoView {
    let place = found
        .city
        .as_ref()
        .map(|city| format!("{}, {}", city.label(), city.region.name));
    // A name several communes bear: the results are the most populous one's; offer the others.
    let namesakes = found.city.as_ref().filter(|_| !found.same_name.is_empty()).map(|city| {
        let cities = found
            .same_name
            .iter()
            .map(|namesake| (namesake.label(), namesake.region.name.clone()))
            .collect();
        let intro = format!(
            "{} communes s'appellent {}. Résultats pour {}\u{a0}; vous pouvez en choisir une autre\u{a0}:",
            found.same_name.len(),
            city.name,
            city.label()
        );
        view! { <CityChoices intro cities current=Some(city.label()) words=words.clone() /> }
    });
    let summary = view! {
        {namesakes}
        <p class="result-count" role="status">
            {count_label(&found.results)}
            {(!words.trim().is_empty()).then(|| format!(" pour « {} »", words.trim()))}
            {place.map(|place| format!(" · jouant à {place}"))}
        </p>
    };
    if found.results.total == 0 {
        Either::Left(view! {
            {summary}
            <div class="empty card">
                <p>"Aucun artiste ne correspond à cette recherche pour l'instant."</p>
                <ul>
                    <li>"Essayez un mot plus court ou un autre style (« rock » plutôt que « rock progressif »)."</li>
                    <li>"Retirez la ville : certains artistes jouent dans toute la France."</li>
                </ul>
                <A href=ARTISTS attr:class="button secondary">"Voir tous les artistes"</A>
            </div>
        })
    } else {
        Either::Right(view! {
            {summary}
            <ArtistList
                page=found.results
                href=move |n| with_query(SEARCH, &[("type", &words), ("ville", &typed_city), ("page", &n.to_string())])
            />
        })
    }
}

/// Links that search the same words in another commune: `cities` as (label, region), the
/// one searched (`current`) marked as such.
#[component]
fn CityChoices(
    #[prop(into)] intro: String,
    cities: Vec<(String, String)>,
    current: Option<String>,
    words: String,
) -> impl IntoView {
    (!cities.is_empty()).then(|| {
        view! {
            <nav class="city-choices" aria-label="Autres communes">
                <p>{intro}</p>
                <ul>
                    {cities
                        .into_iter()
                        .map(|(label, region)| {
                            let href = with_query(SEARCH, &[("type", &words), ("ville", &label)]);
                            let here = (current.as_deref() == Some(label.as_str())).then_some("page");
                            view! {
                                <li>
                                    <a href=href aria-current=here>{label}</a>
                                    {(!region.is_empty()).then(|| view! { <span class="city-region">{region}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}
