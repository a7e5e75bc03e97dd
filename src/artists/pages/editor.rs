//! The artist's own editor on "Mon profil": profile, offers, regions, photo.

use crate::{
    artists::{
        api::{RemoveArtistPhoto, SaveArtistProfile, UploadArtistPhoto, upload_artist_photo},
        model::{ArtistProfile, KEPT_FORM, LinkKind, OfferForm, Photo, ProfileForm, limits},
    },
    error::AppError,
    paths::artist_path,
    places::{components::CityInput, model::Region},
    ui::forms::{
        Field, FormError, Refusal, SubmitButton, last_error, on_success, provide_in_island,
    },
};
use leptos::{
    either::Either,
    prelude::*,
    server_fn::{ServerFn, error::ServerFnUrlError},
};

/// The artist's editor, in `/profil`. Each save sends the whole form; on failure nothing
/// is saved, the form keeps what was typed and the faulty field says why.
#[island(lazy)]
pub fn ArtistEditor(
    initial: Option<ArtistProfile>,
    /// Every region, to choose from.
    regions: Vec<Region>,
    /// Music types other artists wrote.
    suggestions: Vec<String>,
    refusal: Option<Refusal>,
) -> impl IntoView {
    provide_in_island(refusal);
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
