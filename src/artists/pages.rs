//! Artist pages: the public list, a profile, search, and the owner's editor.

use crate::{
    artists::{
        api::{
            RemoveArtistPhoto, SaveArtistProfile, UploadArtistPhoto, list_artists,
            public_artist_profile, search_artists, upload_artist_photo,
        },
        model::{
            ArtistCard, ArtistPage, ArtistProfile, KEPT_FORM, LinkKind, Offer, OfferForm, Photo,
            ProfileForm, SearchResults, artist_path, limits,
        },
    },
    error::AppError,
    messaging::{api::artist_contact_state, model::ContactState, pages::ContactArtist},
    places::{components::CityInput, model::Region},
    ui::not_found::NotFound,
    ui::{
        forms::{Field, FormError, SubmitButton, last_error, on_success},
        loading::{LoadError, Loading},
    },
};
use leptos::{
    either::Either,
    prelude::*,
    server_fn::{ServerFn, error::ServerFnUrlError},
};
use leptos_meta::{Link, Meta, Title};
use leptos_router::{
    components::{A, Form},
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};

/// "/recherche?type=…&ville=…&page=2" and the like, properly encoded.
fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
        query.append_pair(name, value);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

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
                <A href="/recherche">"Chercher par style et par ville"</A>
            </p>
        </section>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match artists.await {
                    Ok(page) if page.total == 0 => Either::Left(view! {
                        <p class="empty card">"Aucun artiste n'a encore publié son profil. Revenez bientôt !"</p>
                    }.into_any()),
                    Ok(page) => Either::Left(view! {
                        <p class="result-count">{count_label(page.total)}</p>
                        <ArtistList page href=|n| with_query("/artistes", &[("page", &n.to_string())]) />
                    }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}

fn count_label(total: u32) -> String {
    match total {
        0 => "Aucun artiste".to_owned(),
        1 => "1 artiste".to_owned(),
        n => format!("{n} artistes"),
    }
}

/// `/artistes/{slug}`: a published profile (its owner also sees the draft).
#[component]
pub fn ArtistProfilePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let profile = Resource::new(slug, public_artist_profile);
    let contact = Resource::new(slug, artist_contact_state);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => {
                        // A draft or a failed check offers no contact block.
                        let contact = contact.await.ok();
                        Either::Left(view! { <ArtistProfileView profile contact /> })
                    }
                    Err(AppError::NotFound) => Either::Right(view! { <NotFound /> }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error card=true /> }.into_any()),
                }
            })}
        </Suspense>
    }
}

/// schema.org data for search engines (a data block: never executed, so the CSP allows it).
fn json_ld(profile: &ArtistProfile, origin: &str) -> String {
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
    let data = serde_json::json!({
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
fn ArtistProfileView(profile: ArtistProfile, contact: Option<ContactState>) -> impl IntoView {
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
    let json_ld = json_ld(&profile, &origin);
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
                <A href="/profil">"Mon profil"</A>
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
            {contact.map(|state| view! {
                <ContactArtist state slug=profile.slug.clone() name=profile.stage_name.clone() />
            })}
        </article>
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

/// `/recherche?type=…&ville=…`: a GET form, so results can be shared and work without
/// JavaScript; the city field gains autocomplete once hydrated.
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
                        <Form method="GET" action="/recherche" attr:class="search-form" attr:role="search">
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
                            <CityInput label="Ville" name="ville" value=typed_city.clone() error />
                            <button type="submit" class="button">"Rechercher"</button>
                        </Form>
                        <FormError error />
                        {nearest}
                    </section>
                    {found}
                }
            })}
        </Transition>
    }
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
            {count_label(found.results.total)}
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
                <A href="/artistes" attr:class="button secondary">"Voir tous les artistes"</A>
            </div>
        })
    } else {
        Either::Right(view! {
            {summary}
            <ArtistList
                page=found.results
                href=move |n| with_query("/recherche", &[("type", &words), ("ville", &typed_city), ("page", &n.to_string())])
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
                            let href = with_query("/recherche", &[("type", &words), ("ville", &label)]);
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

/// The artist's editor, in `/profil`. Each save sends the whole form; on failure nothing
/// is saved, the form keeps what was typed and the faulty field says why.
#[component]
pub fn ArtistEditor(
    initial: Option<ArtistProfile>,
    /// Every region, to choose from.
    regions: Vec<Region>,
    /// Music types other artists wrote.
    suggestions: Vec<String>,
) -> impl IntoView {
    let save = ServerAction::<SaveArtistProfile>::new();
    let error = last_error(save);
    let saved = RwSignal::new(initial);
    // After a successful save the form shows what was stored (removed offers disappear, a
    // new blank offer appears); after a failure it is left as typed.
    on_success(save, move |profile| saved.set(Some(profile)));
    let status = move || match save.value().get() {
        Some(Ok(profile)) => Some(view! {
            <p class="notice success" role="status">
                {if profile.published { "Profil enregistré et publié. " } else { "Brouillon enregistré. " }}
                <a href=artist_path(&profile.slug)>"Voir ma page"</a>
            </p>
        }),
        _ => None,
    };
    view! {
        <PhotoEditor saved />
        <ActionForm action=save attr:class="profile-form" attr:novalidate=true>
            <FormError error />
            {move || {
                // A form posted without JavaScript comes back here with what was typed inside
                // the error; otherwise the form starts from what is saved.
                let form = error
                    .get_untracked()
                    .and_then(|error| error.kept_value(KEPT_FORM).and_then(|json| serde_json::from_str::<ProfileForm>(json).ok()))
                    .unwrap_or_else(|| saved.get().as_ref().map(ProfileForm::from_saved).unwrap_or_default());
                view! { <ProfileFields form suggestions=suggestions.clone() regions=regions.clone() error /> }
            }}
            {status}
            <SubmitButton label="Enregistrer mon profil" working="Enregistrement…" pending=save.pending() />
        </ActionForm>
    }
}

#[component]
fn ProfileFields(
    form: ProfileForm,
    suggestions: Vec<String>,
    regions: Vec<Region>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let mut offers: Vec<(usize, OfferForm)> = form.offers.into_iter().enumerate().collect();
    // A blank offer to fill in, while there is room for one more.
    if offers.len() < limits::OFFER_COUNT
        && offers.last().is_none_or(|(_, offer)| !offer.is_blank())
    {
        offers.push((offers.len(), OfferForm::default()));
    }
    let links = form.links;
    view! {
        <fieldset class="card">
            <legend>"Qui êtes-vous ?"</legend>
            <Field label="Nom de scène" name="profile[stage_name]" required=true maxlength=limits::STAGE_NAME
                hint="Le nom de l'artiste ou du groupe, tel que le public le connaît."
                value=form.stage_name error />
            <Field label="Présentation du groupe et de ses membres" name="profile[presentation]" rows=6
                maxlength=limits::PRESENTATION value=form.presentation error
                hint="Qui joue, de quels instruments, votre parcours : avec vos mots." />
            <Field label="Votre musique" name="profile[music_description]" rows=5
                maxlength=limits::MUSIC_DESCRIPTION value=form.music_description error
                hint="Ce qu'on entend à vos concerts, vos influences, votre répertoire." />
            <MusicTypesField value=form.music_types suggestions error />
        </fieldset>
        <fieldset class="card">
            <legend>"Où jouez-vous ?"</legend>
            <label class="choice">
                <input type="checkbox" name="profile[whole_france]" value="true" checked=form.whole_france />
                <span><strong>"Toute la France"</strong></span>
            </label>
            <RegionChoices chosen=form.regions regions error />
            <CityInput label="Ville où vous êtes basé (facultatif)" name="profile[base_city]"
                value=form.base_city error />
        </fieldset>
        <fieldset class="card">
            <legend>"Écouter votre musique"</legend>
            <p class="field-hint">"Des liens vers vos pages : YouTube, SoundCloud, Bandcamp, Spotify, votre site."</p>
            {LinkKind::ALL.into_iter().map(|kind| view! {
                <Field label=kind.label() name=format!("profile[links][{}]", kind.field())
                    inputmode="url" maxlength=limits::LINK value=kind.typed(&links).to_owned() error
                    placeholder=match kind { LinkKind::Website => "https://…", _ => "" } />
            }).collect_view()}
        </fieldset>
        <fieldset class="offers-editor">
            <legend>"Vos formules de concert"</legend>
            <p class="field-hint">"Décrivez chaque formule que vous proposez ; laissez la dernière vide si vous n'en avez pas d'autre."</p>
            {offers.into_iter().map(|(index, offer)| view! { <OfferEditor index offer error /> }).collect_view()}
        </fieldset>
        <fieldset class="card">
            <legend>"Publication"</legend>
            <label class="choice">
                <input type="checkbox" name="profile[published]" value="true" checked=form.published />
                <span>
                    <strong>"Publier mon profil"</strong>
                    " — visible de tous et trouvable par la recherche. Décoché, c'est un brouillon que vous seul voyez."
                </span>
            </label>
        </fieldset>
    }
}

#[component]
fn MusicTypesField(
    value: String,
    suggestions: Vec<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let add = move |word: String| {
        if let Some(input) = input.get_untracked() {
            let current = input.value();
            let already = current
                .split(',')
                .any(|typed| typed.trim().eq_ignore_ascii_case(&word));
            if !already {
                let joined = if current.trim().is_empty() {
                    word
                } else {
                    format!("{}, {word}", current.trim().trim_end_matches(','))
                };
                input.set_value(&joined);
            }
        }
    };
    let state = crate::ui::forms::FieldState::new(
        "profile[music_types]",
        Some("Des mots libres, séparés par des virgules : « jazz manouche, swing »."),
        error,
    );
    let (invalid, described_by) = (state.clone(), state.clone());
    view! {
        <div class="field">
            <label for=state.id.clone()>"Types de musique"</label>
            {state.hint_view()}
            <input
                node_ref=input
                id=state.id.clone()
                name="profile[music_types]"
                type="text"
                maxlength=limits::MUSIC_TYPES
                value=value
                aria-invalid=move || invalid.invalid()
                aria-describedby=move || described_by.described_by()
            />
            {(!suggestions.is_empty()).then(|| view! {
                <div class="type-suggestions">
                    <span class="field-hint">"Déjà utilisés par d'autres artistes : "</span>
                    {suggestions.into_iter().map(|word| {
                        let chosen = word.clone();
                        view! {
                            <button type="button" class="chip" on:click=move |_| add(chosen.clone())>
                                {word}
                            </button>
                        }
                    }).collect_view()}
                </div>
            })}
            {state.error_view()}
        </div>
    }
}

#[component]
fn RegionChoices(
    chosen: Vec<String>,
    regions: Vec<Region>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let state = crate::ui::forms::FieldState::new(
        "profile[regions]",
        Some("Cochez les régions où vous pouvez vous déplacer."),
        error,
    );
    view! {
        <div class="field" role="group" aria-labelledby="regions-label">
            <p class="label" id="regions-label">"Ou bien, les régions où vous jouez"</p>
            {state.hint_view()}
            <div class="region-grid">
                {regions.into_iter().enumerate().map(|(index, region)| {
                    let checked = chosen.contains(&region.code);
                    view! {
                        <label class="choice">
                            <input type="checkbox" name=format!("profile[regions][{index}]") value=region.code checked=checked />
                            <span>{region.name}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            {state.error_view()}
        </div>
    }
}

#[component]
fn OfferEditor(index: usize, offer: OfferForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let existing = !offer.is_blank();
    let removed = offer.remove;
    let form = offer;
    let name = move |field: &str| format!("profile[offers][{index}][{field}]");
    let heading = if existing {
        format!("Formule n°\u{a0}{}", index + 1)
    } else {
        "Nouvelle formule (facultatif)".to_owned()
    };
    view! {
        <fieldset class="card offer-editor">
            <legend>{heading}</legend>
            <Field label="Titre" name=name("title") maxlength=limits::OFFER_TITLE value=form.title error
                placeholder="Concert acoustique en salon" />
            <div class="field-row">
                <Field label="Type de lieu" name=name("venue_type") maxlength=limits::OFFER_SHORT value=form.venue_type error
                    placeholder="Salon, jardin, entreprise…" />
                <Field label="Durée" name=name("duration") maxlength=limits::OFFER_SHORT value=form.duration error
                    placeholder="1 h 30 en deux parties" />
                <Field label="Public" name=name("audience") maxlength=limits::OFFER_SHORT value=form.audience error
                    placeholder="De 15 à 50 personnes" />
            </div>
            <Field label="Prix demandé" name=name("price_text") maxlength=limits::OFFER_SHORT value=form.price_text error
                placeholder="400 € + défraiement, ou au chapeau" />
            <div class="field-row">
                <Field label="Prix minimum (€, facultatif)" name=name("price_min_eur") inputmode="numeric" maxlength=9usize
                    value=form.price_min_eur error />
                <Field label="Prix maximum (€, facultatif)" name=name("price_max_eur") inputmode="numeric" maxlength=9usize
                    value=form.price_max_eur error />
            </div>
            <Field label="Description" name=name("description") rows=4 maxlength=limits::OFFER_DESCRIPTION
                value=form.description error />
            {existing.then(|| view! {
                <label class="choice danger">
                    <input type="checkbox" name=name("remove") value="true" checked=removed />
                    <span>"Supprimer cette formule"</span>
                </label>
            })}
        </fieldset>
    }
}

/// The photo, sent on its own (multipart). With JavaScript the page stays as it is; without,
/// the browser posts the form and comes back here.
#[component]
fn PhotoEditor(saved: RwSignal<Option<ArtistProfile>>) -> impl IntoView {
    let upload = Action::new_local(|data: &leptos::web_sys::FormData| {
        upload_artist_photo(data.clone().into())
    });
    let remove = ServerAction::<RemoveArtistPhoto>::new();
    let too_large = RwSignal::new(false);
    let photo = move || saved.with(|p| p.as_ref().and_then(|p| p.photo.clone()));
    let set_photo = move |photo: Option<Photo>| {
        saved.update(|p| {
            if let Some(p) = p {
                p.photo = photo
            }
        })
    };
    on_success(upload, move |photo| set_photo(Some(photo)));
    on_success(remove, move |()| set_photo(None));
    // Without JavaScript, a refused upload comes back in the URL, as for server actions.
    let returned_error = StoredValue::new(
        use_context::<leptos::server::ServerActionError>()
            .filter(|error| error.path() == <UploadArtistPhoto as ServerFn>::PATH)
            .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()).to_string()),
    );
    let message = move || {
        if too_large.get() {
            return Some(crate::artists::model::PHOTO_TOO_LARGE.to_owned());
        }
        match upload.value().get() {
            Some(Err(error)) => Some(error.to_string()),
            Some(Ok(_)) => None,
            None => returned_error.get_value(),
        }
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        event.prevent_default();
        let Some(form) = event
            .target()
            .and_then(|target| target.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else {
            return;
        };
        // Refuse an oversized file before sending 5 MB for nothing.
        let size = data
            .get("photo")
            .dyn_into::<leptos::web_sys::File>()
            .map(|file| file.size())
            .unwrap_or(0.0);
        too_large.set(size > limits::PHOTO_BYTES as f64);
        if !too_large.get_untracked() {
            upload.dispatch_local(data);
        }
    };
    view! {
        <section class="card photo-editor">
            <h2>"Photo"</h2>
            {move || match photo() {
                Some(photo) => Either::Left(view! {
                    <img class="portrait large" src=photo.url alt="Votre photo actuelle" width=240 height=240 />
                }),
                None => Either::Right(view! { <p class="field-hint">"Pas encore de photo. Une photo du groupe donne envie de vous écrire."</p> }),
            }}
            {move || if saved.with(Option::is_none) {
                Either::Left(view! { <p class="field-hint">"Enregistrez d'abord votre profil ci-dessous, puis ajoutez votre photo."</p> })
            } else {
                Either::Right(view! {
                    <form method="post" action={<UploadArtistPhoto as ServerFn>::PATH} enctype="multipart/form-data" on:submit=on_submit>
                        <div class="field">
                            <label for="champ-photo">"Choisir une photo"</label>
                            <p class="field-hint" id="champ-photo-aide">"JPEG, PNG ou WebP, 5 Mo au plus. Elle sera recadrée pour les vignettes."</p>
                            <input id="champ-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required
                                aria-describedby="champ-photo-aide" />
                        </div>
                        {move || message().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
                        <SubmitButton label="Envoyer la photo" working="Envoi…" pending=upload.pending() />
                    </form>
                    {move || photo().map(|_| view! {
                        <ActionForm action=remove attr:class="inline-form">
                            <button type="submit" class="link-button">"Retirer la photo"</button>
                        </ActionForm>
                    })}
                })
            }}
        </section>
    }
}
