//! Artist pages: the public list, a profile, search, and the owner's editor; what they
//! share (cards, pagination, query strings) is here.

mod editor;
mod list;
mod profile;
mod search;

pub use editor::ArtistEditor;
pub use list::ArtistsPage;
pub use profile::ArtistProfilePage;
pub use search::SearchPage;

use crate::{
    artists::model::{ArtistCard, ArtistPage, Photo},
    paths::artist_path,
    ui::thousands,
};
use leptos::{either::Either, prelude::*};

/// Up to `max` characters of `text` on one line, cut at a word, for summaries.
fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', '.', ':']))
}

fn regions_label(whole_france: bool, regions: &[String]) -> String {
    match (whole_france, regions) {
        (true, _) => "Toute la France".to_owned(),
        (false, []) => "Régions non précisées".to_owned(),
        (false, [one]) => one.clone(),
        (false, [first, second]) => format!("{first} et {second}"),
        (false, [first, second, rest @ ..]) => {
            format!(
                "{first}, {second} et {} autre{}",
                rest.len(),
                plural(rest.len())
            )
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count > 1 { "s" } else { "" }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The artist's photo, or their initials on a coloured square.
#[component]
fn Portrait(photo: Option<Photo>, name: String, #[prop(optional)] large: bool) -> impl IntoView {
    let class = if large { "portrait large" } else { "portrait" };
    match photo {
        Some(photo) => Either::Left(view! {
            <img
                class=class
                src=if large { photo.url } else { photo.thumbnail_url }
                alt=format!("Photo de {name}")
                loading="lazy"
                width=if large { 480 } else { 240 }
                height=if large { 480 } else { 240 }
            />
        }),
        None => Either::Right(view! {
            <span class=format!("{class} placeholder") aria-hidden="true">{initials(&name)}</span>
        }),
    }
}

#[component]
fn ArtistCardView(card: ArtistCard) -> impl IntoView {
    let href = artist_path(&card.slug);
    let regions = regions_label(card.whole_france, &card.regions);
    let more_offers = card.offer_count.saturating_sub(1) as usize;
    view! {
        <li class="artist-card">
            <Portrait photo=card.photo name=card.stage_name.clone() />
            <div class="artist-card-body">
                <h2 class="artist-card-name">
                    <a href=href>{card.stage_name}</a>
                </h2>
                <ul class="tags" aria-label="Types de musique">
                    {card.music_types.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
                <p class="artist-card-regions">{regions}</p>
                {card.offer.map(|offer| view! {
                    <p class="artist-card-offer">
                        <strong>{offer.title}</strong>
                        {(!offer.price_text.is_empty()).then(|| format!(" · {}", offer.price_text))}
                        {(more_offers > 0).then(|| view! {
                            <span class="muted">
                                {format!(" (+ {more_offers} autre{} formule{})", plural(more_offers), plural(more_offers))}
                            </span>
                        })}
                    </p>
                })}
            </div>
        </li>
    }
}

/// Previous / next links and the page number, for lists and search results.
#[component]
fn Pagination(page: u32, page_count: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    (page_count > 1).then(|| {
        view! {
            <nav class="pagination" aria-label="Pages de résultats">
                {(page > 1).then(|| view! { <a href=href(page - 1) rel="prev">"← Page précédente"</a> })}
                <span aria-current="page">{format!("Page {page} sur {page_count}")}</span>
                {(page < page_count).then(|| view! { <a href=href(page + 1) rel="next">"Page suivante →"</a> })}
            </nav>
        }
    })
}

#[component]
fn ArtistList(page: ArtistPage, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    view! {
        <ul class="artist-grid">
            {page.artists.into_iter().map(|card| view! { <ArtistCardView card /> }).collect_view()}
        </ul>
        <Pagination page=page.page page_count=page.page_count href />
    }
}

fn page_param(query: &leptos_router::params::ParamsMap) -> Option<u32> {
    query.get("page").and_then(|page| page.parse().ok())
}

fn count_label(page: &ArtistPage) -> String {
    let total = thousands(page.total as usize);
    match page.total {
        _ if page.more_than_total => format!("Plus de {total} artistes"),
        0 => "Aucun artiste".to_owned(),
        1 => "1 artiste".to_owned(),
        _ => format!("{total} artistes"),
    }
}
