//! Server functions for artists: the editor, public pages, lists and search. Each answers
//! JSON with the shapes of `model.rs`, for the site and the future mobile app alike.

use crate::{
    artists::model::{ArtistPage, ArtistProfile, Photo, ProfileForm, SearchResults},
    error::AppError,
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};

#[cfg(feature = "ssr")]
use crate::{
    artists::{
        model::{KEPT_FORM, PAGE_SIZE, limits},
        photo,
        profile::{ValidProfile, field_name},
        store,
    },
    auth::{
        model::Role,
        session::{current_user, signed_in_as},
    },
    db::now_ms,
    places::{self, model::unknown_city, store::CityMatch},
    rate_limit::{self, Limit},
    state::{app_state, respond},
};

/// The store knows the page's path; only the configuration knows the site's address.
#[cfg(feature = "ssr")]
fn with_public_url(mut profile: ArtistProfile, config: &crate::config::Config) -> ArtistProfile {
    profile.url = format!("{}{}", config.public_url, profile.url);
    profile
}

/// The signed-in artist's own profile, draft or published; `None` before the first save.
#[server(endpoint = "my_artist_profile")]
pub async fn my_artist_profile() -> Result<Option<ArtistProfile>, AppError> {
    respond(
        async {
            let artist = signed_in_as(Role::Artist)?;
            let state = app_state()?;
            let profile = store::find_by_owner(&state.db, artist).await?;
            Ok(profile.map(|profile| with_public_url(profile, &state.config)))
        }
        .await,
    )
}

/// Saves the signed-in artist's profile (the whole editor form) and returns it as saved.
/// Invalid input changes nothing and names the faulty field.
#[server(endpoint = "save_artist_profile")]
pub async fn save_artist_profile(profile: ProfileForm) -> Result<ArtistProfile, AppError> {
    let keep_typed = |error: AppError| match serde_json::to_string(&profile) {
        Ok(typed) => error.keeping(&[(KEPT_FORM, &typed)]),
        Err(_) => error,
    };
    respond(
        async {
            let artist = signed_in_as(Role::Artist)?;
            let state = app_state()?;
            let known: Vec<String> = places::store::regions(&state.db)
                .await?
                .into_iter()
                .map(|region| region.code)
                .collect();
            let valid = ValidProfile::parse(&profile, &known).map_err(keep_typed)?;
            if valid.published && !current_user().is_some_and(|user| user.viewer.verified) {
                // For the whole form: the box has no place for an error of its own.
                return Err(keep_typed(AppError::refused(
                    "Confirmez d'abord votre adresse e-mail pour publier votre profil (ouvrez le lien que nous vous avons envoyé). En attendant, enregistrez-le sans le publier : rien n'est perdu.",
                )));
            }
            let base_city = match &valid.base_city {
                Some(typed) => match places::store::lookup(&state.db, typed).await? {
                    CityMatch::Found { city, .. } => Some(city),
                    CityMatch::Unknown { nearest } => {
                        return Err(keep_typed(unknown_city(
                            &field_name("base_city"),
                            typed,
                            &nearest,
                        )));
                    }
                },
                None => None,
            };
            store::save(
                &state.db,
                artist,
                &valid,
                base_city.as_ref().map(|city| city.code.as_str()),
                now_ms(),
            )
            .await?;
            store::find_by_owner(&state.db, artist)
                .await?
                .map(|profile| with_public_url(profile, &state.config))
                .ok_or_else(|| AppError::internal("saving a profile", "saved profile not found"))
        }
        .await,
    )
}

/// Replaces the signed-in artist's photo with the file in the `photo` field (JPEG, PNG or
/// WebP, 5 MB at most). The profile must have been saved once.
#[server(endpoint = "upload_artist_photo", input = MultipartFormData)]
pub async fn upload_artist_photo(data: MultipartData) -> Result<Photo, AppError> {
    respond(
        async {
            let artist = signed_in_as(Role::Artist)?;
            let state = app_state()?;
            // Counted before the body is read: each upload holds up to 8 MB, then a decode.
            let per_hour = Limit::per_hour(state.config.account_limits.photo_uploads_per_hour);
            rate_limit::spend(
                &state.db,
                [(format!("photo_upload:account:{artist}"), per_hour)],
                "Vous avez envoyé beaucoup de photos en peu de temps. Patientez une heure avant de réessayer.",
            )
            .await?;
            let bytes = read_photo_field(data).await?;
            let encoded = photo::encode_rationed(bytes, artist).await?;
            let folder = state.config.media_dir.join("photos");
            photo::write(&folder, &encoded).await?;
            match store::replace_photo(&state.db, artist, Some(&encoded.name), now_ms()).await? {
                None => {
                    photo::remove(&folder, &encoded.name).await;
                    Err(AppError::invalid(
                        "photo",
                        "Enregistrez d'abord votre profil, puis ajoutez votre photo.",
                    ))
                }
                Some(previous) => {
                    if let Some(previous) = previous.filter(|name| *name != encoded.name) {
                        photo::remove(&folder, &previous).await;
                    }
                    Ok(store::photo_urls(&encoded.name))
                }
            }
        }
        .await,
    )
}

/// The bytes of the `photo` field, refused past the size limit without reading further.
#[cfg(feature = "ssr")]
async fn read_photo_field(data: MultipartData) -> Result<Vec<u8>, AppError> {
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::internal("photo upload", "no multipart body on the server"))?;
    let malformed = |_| AppError::invalid("photo", "L'envoi de la photo a échoué. Réessayez.");
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        if field.name() != Some("photo") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > limits::PHOTO_BYTES {
                return Err(photo::too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            break;
        }
        return Ok(bytes);
    }
    Err(AppError::invalid(
        "photo",
        "Choisissez une photo à envoyer.",
    ))
}

/// Removes the signed-in artist's photo.
#[server(endpoint = "remove_artist_photo")]
pub async fn remove_artist_photo() -> Result<(), AppError> {
    respond(
        async {
            let artist = signed_in_as(Role::Artist)?;
            let state = app_state()?;
            if let Some(Some(previous)) =
                store::replace_photo(&state.db, artist, None, now_ms()).await?
            {
                photo::remove(&state.config.media_dir.join("photos"), &previous).await;
            }
            Ok(())
        }
        .await,
    )
}

/// A published artist's profile (a draft only for its owner; 404 for anyone else).
#[server(endpoint = "artist_profile")]
pub async fn public_artist_profile(slug: String) -> Result<ArtistProfile, AppError> {
    respond(
        async {
            let viewer = current_user().map(|user| user.viewer.id);
            let state = app_state()?;
            store::find_visible_by_slug(&state.db, &slug, viewer)
                .await?
                .map(|profile| with_public_url(profile, &state.config))
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Published artists, most recently updated first; `page` starts at 1.
#[server(endpoint = "list_artists")]
pub async fn list_artists(page: Option<u32>) -> Result<ArtistPage, AppError> {
    respond(
        async {
            let state = app_state()?;
            page_of(&state.db, &store::SearchFilter::default(), page).await
        }
        .await,
    )
}

/// Published artists matching free words (`music_type`, e.g. "électro" or "jazz manouche")
/// and serving a commune (`city`: a name, "Name (69)" or a postal code), best first.
/// Either may be empty.
#[server(endpoint = "search_artists")]
pub async fn search_artists(
    music_type: Option<String>,
    city: Option<String>,
    page: Option<u32>,
) -> Result<SearchResults, AppError> {
    respond(
        async {
            let state = app_state()?;
            let words = music_type.unwrap_or_default();
            let typed_city = city.unwrap_or_default();
            if words.chars().count() > 200 || typed_city.chars().count() > limits::CITY {
                return Err(AppError::refused("Cette recherche est trop longue."));
            }
            let (city, same_name) = if typed_city.trim().is_empty() {
                (None, Vec::new())
            } else {
                match places::store::lookup(&state.db, &typed_city).await? {
                    CityMatch::Found { city, same_name } => (Some(city), same_name),
                    CityMatch::Unknown { nearest } => {
                        return Err(unknown_city("ville", &typed_city, &nearest));
                    }
                }
            };
            let filter = store::SearchFilter {
                words,
                region_code: city.as_ref().map(|city| city.region.code.clone()),
            };
            let results = page_of(&state.db, &filter, page).await?;
            Ok(SearchResults {
                city,
                same_name,
                results,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn page_of(
    db: &crate::db::Db,
    filter: &store::SearchFilter,
    page: Option<u32>,
) -> Result<ArtistPage, AppError> {
    let mut page = page.unwrap_or(1).clamp(1, 10_000);
    let (mut ids, total) = store::search(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let page_count = total.div_ceil(PAGE_SIZE).max(1);
    // A page past the end (an old link, fewer artists since) shows the last page instead.
    if page > page_count {
        page = page_count;
        ids = store::search(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)
            .await?
            .0;
    }
    Ok(ArtistPage {
        artists: store::cards(db, &ids).await?,
        total,
        page,
        page_count,
    })
}

/// Music types other artists wrote, most used first: suggestions, never a closed list.
#[server(endpoint = "music_type_suggestions")]
pub async fn music_type_suggestions() -> Result<Vec<String>, AppError> {
    store::music_type_suggestions(&app_state()?.db, 24).await
}
