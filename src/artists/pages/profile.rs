//! `/artistes/{slug}`: an artist's public page, with its JSON-LD and the contact block.

use super::{Portrait, excerpt, regions_label};
use crate::{
    artists::{
        api::{artist_concerts, public_artist_profile},
        model::{ArtistProfile, Offer},
    },
    concerts::{model::ConcertRecord, pages::ReviewList},
    error::AppError,
    messaging::{api::artist_contact_state, model::ContactState, pages::ContactArtist},
    moderation::{model::ReportSubject, pages::ReportLink},
    paths::PROFILE,
    ui::loading::{LoadError, Loading},
    ui::not_found::NotFound,
    ui::time::full_date,
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::{components::A, hooks::use_params_map};

/// `/artistes/{slug}`: a published profile (its owner also sees the draft).
#[component]
pub fn ArtistProfilePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let profile = Resource::new(slug, public_artist_profile);
    let contact = Resource::new(slug, artist_contact_state);
    let concerts = Resource::new(slug, artist_concerts);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => {
                        // A draft or a failed check offers no contact block.
                        let contact = contact.await.ok();
                        // A draft has none; a failure leaves the section out.
                        let concerts = concerts.await.ok();
                        Either::Left(view! { <ArtistProfileView profile contact concerts /> })
                    }
                    Err(AppError::NotFound) => Either::Right(view! { <NotFound /> }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error card=true /> }.into_any()),
                }
            })}
        </Suspense>
    }
}

/// schema.org data for search engines (a data block: never executed, so the CSP allows it),
/// with the hosts' reviews and their average when there are some.
fn json_ld(profile: &ArtistProfile, concerts: Option<&ConcertRecord>, origin: &str) -> String {
    let offers: Vec<serde_json::Value> = profile
        .offers
        .iter()
        .map(|offer| {
            let mut value = serde_json::json!({
                "@type": "Offer",
                "name": offer.title,
                "description": offer.description,
                "priceCurrency": "EUR",
            });
            if let Some(min) = offer.price_min_eur {
                value["priceSpecification"] = serde_json::json!({
                    "@type": "PriceSpecification",
                    "priceCurrency": "EUR",
                    "minPrice": min,
                    "maxPrice": offer.price_max_eur.unwrap_or(min),
                });
            }
            value
        })
        .collect();
    let area: Vec<String> = if profile.whole_france {
        vec!["France".to_owned()]
    } else {
        profile.regions.iter().map(|r| r.name.clone()).collect()
    };
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "MusicGroup",
        "name": profile.stage_name,
        "url": profile.url,
        "description": excerpt(&profile.presentation, 300),
        "genre": profile.music_types,
        "image": profile.photo.as_ref().map(|p| format!("{origin}{}", p.url)),
        "sameAs": profile.links.iter().map(|l| l.url.clone()).collect::<Vec<_>>(),
        "areaServed": area,
        "makesOffer": offers,
    });
    if let Some(reviews) = concerts.map(|record| &record.reviews)
        && let Some(average) = reviews.average
    {
        data["aggregateRating"] = serde_json::json!({
            "@type": "AggregateRating",
            "ratingValue": average,
            "reviewCount": reviews.count,
            "bestRating": 5,
            "worstRating": 1,
        });
        data["review"] = reviews
            .newest
            .iter()
            .map(|review| {
                serde_json::json!({
                    "@type": "Review",
                    "author": { "@type": "Person", "name": "Hôte du concert" },
                    "datePublished": review.concert_day,
                    "reviewBody": review.text,
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": review.rating,
                        "bestRating": 5,
                        "worstRating": 1,
                    },
                })
            })
            .collect();
    }
    // "</script>" inside a string must not end the element.
    data.to_string().replace('<', "\\u003c")
}

fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..]
        .find('/')
        .map_or(url, |slash| &url[..after_scheme + slash])
}

#[component]
fn ArtistProfileView(
    profile: ArtistProfile,
    contact: Option<ContactState>,
    concerts: Option<ConcertRecord>,
) -> impl IntoView {
    let can_write = contact.is_some_and(|state| state != ContactState::NotAHost);
    let origin = origin_of(&profile.url).to_owned();
    let description = {
        let summary = excerpt(&profile.presentation, 150);
        if summary.is_empty() {
            format!(
                "{} : concerts à domicile ({}).",
                profile.stage_name,
                profile.music_types.join(", ")
            )
        } else {
            summary
        }
    };
    let regions: Vec<String> = profile.regions.iter().map(|r| r.name.clone()).collect();
    let regions = regions_label(profile.whole_france, &regions);
    let image = profile
        .photo
        .as_ref()
        .map(|photo| format!("{origin}{}", photo.url));
    let json_ld = json_ld(&profile, concerts.as_ref(), &origin);
    view! {
        <Title text=profile.stage_name.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=profile.url.clone() />
        <Meta property="og:type" content="profile" />
        <Meta property="og:title" content=profile.stage_name.clone() />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=profile.url.clone() />
        <Meta property="og:locale" content="fr_FR" />
        {image.map(|image| view! { <Meta property="og:image" content=image /> })}
        {(!profile.published).then(|| view! {
            <Meta name="robots" content="noindex" />
            <p class="notice" role="status">
                "Brouillon : vous seul voyez cette page. Publiez votre profil depuis "
                <A href=PROFILE>"Mon profil"</A>
                "."
            </p>
        })}
        <script type="application/ld+json" inner_html=json_ld></script>
        <article class="artist-profile">
            <header class="artist-header card">
                <Portrait photo=profile.photo.clone() name=profile.stage_name.clone() large=true />
                <div>
                    <h1>{profile.stage_name.clone()}</h1>
                    {can_write.then(|| view! { <p><a href="#contacter" class="button">"Contacter"</a></p> })}
                    <ul class="tags" aria-label="Types de musique">
                        {profile.music_types.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                    </ul>
                    <dl class="facts">
                        <dt>"Joue"</dt>
                        <dd>{regions}</dd>
                        {profile.base_city.as_ref().map(|city| view! {
                            <dt>"Basé à"</dt>
                            <dd>{city.label()}</dd>
                        })}
                    </dl>
                    {(!profile.links.is_empty()).then(|| view! {
                        <ul class="music-links" aria-label="Écouter">
                            {profile.links.iter().map(|link| view! {
                                <li>
                                    <a href=link.url.clone() rel="nofollow noopener ugc" target="_blank">
                                        {link.kind.label()}
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            </header>
            {(!profile.presentation.is_empty()).then(|| view! {
                <section class="card">
                    <h2>"Présentation"</h2>
                    <p class="prose">{profile.presentation.clone()}</p>
                </section>
            })}
            {(!profile.music_description.is_empty()).then(|| view! {
                <section class="card">
                    <h2>"La musique"</h2>
                    <p class="prose">{profile.music_description.clone()}</p>
                </section>
            })}
            <section class="offers">
                <h2>"Formules de concert"</h2>
                {if profile.offers.is_empty() {
                    Either::Left(view! { <p class="empty">"Cet artiste n'a pas encore décrit de formule : écrivez-lui pour en parler."</p> })
                } else {
                    Either::Right(view! {
                        <ul class="offer-list">
                            {profile.offers.into_iter().map(|offer| view! { <OfferView offer /> }).collect_view()}
                        </ul>
                    })
                }}
            </section>
            {concerts.map(|concerts| {
                let reviews = concerts.reviews.clone();
                view! {
                    <ConcertsGiven concerts />
                    <ReviewList reviews />
                }
            })}
            {contact.map(|state| view! {
                <ContactArtist state slug=profile.slug.clone() name=profile.stage_name.clone() />
            })}
            <p class="report-line">
                <ReportLink subject=ReportSubject::Profile target=profile.slug.clone() label="Signaler ce profil" />
            </p>
        </article>
    }
}

/// The concerts given through the site, and the upcoming days already booked ("complet").
#[component]
fn ConcertsGiven(concerts: ConcertRecord) -> impl IntoView {
    let given = match concerts.given {
        0 => "Pas encore de concert donné via Concerts dans mon salon.".to_owned(),
        1 => "1 concert donné via Concerts dans mon salon.".to_owned(),
        count => format!("{count} concerts donnés via Concerts dans mon salon."),
    };
    view! {
        <section class="card artist-concerts">
            <h2>"Concerts"</h2>
            <p class="concerts-given">{given}</p>
            {(!concerts.booked_days.is_empty()).then(|| view! {
                <p>"Dates à venir déjà réservées :"</p>
                <ul class="booked-days">
                    {concerts.booked_days.iter().map(|day| view! {
                        <li><time datetime=day.clone()>{full_date(day)}</time>" — complet"</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn OfferView(offer: Offer) -> impl IntoView {
    let facts = [
        ("Lieu", offer.venue_type),
        ("Durée", offer.duration),
        ("Public", offer.audience),
        ("Prix", offer.price_text),
    ];
    view! {
        <li class="offer card">
            <h3>{offer.title}</h3>
            <dl class="facts">
                {facts
                    .into_iter()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
            {(!offer.description.is_empty()).then(|| view! { <p class="prose">{offer.description}</p> })}
        </li>
    }
}
