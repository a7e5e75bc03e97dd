//! Server functions for artists: the editor, public pages, lists and search. Each answers
//! JSON with the shapes of `model.rs`, for the site and the future mobile app alike; the
//! rules are in `editing.rs` and `finding.rs`.

use crate::{
    artists::model::{ArtistPage, ArtistProfile, Photo, ProfileForm, SearchResults},
    concerts::model::ConcertRecord,
    error::AppError,
};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};

#[cfg(feature = "ssr")]
use crate::{
    artists::{
        editing::{self, with_public_url},
        finding,
        model::{KEPT_FORM, limits},
        photo, store,
    },
    auth::{
        model::Role,
        session::{current_user, signed_in_as},
    },
    state::{app_state, respond},
};

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
/// Invalid input changes nothing and names the faulty field; the form comes back as typed.
#[server(endpoint = "save_artist_profile")]
pub async fn save_artist_profile(profile: ProfileForm) -> Result<ArtistProfile, AppError> {
    let keep_typed = |error: AppError| match serde_json::to_string(&profile) {
        Ok(typed) => error.keeping(&[(KEPT_FORM, &typed)]),
        Err(_) => error,
    };
    respond(
        async {
            signed_in_as(Role::Artist)?;
            let artist = current_user().ok_or(AppError::Unauthorized)?;
            editing::save_profile(&app_state()?, &artist, &profile)
                .await
                .map_err(keep_typed)
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
            editing::spend_photo_upload(&state, artist).await?;
            let bytes = read_photo_field(data).await?;
            editing::replace_photo(&state, artist, bytes).await
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
            editing::remove_photo(&app_state()?, artist).await
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

/// What the published artist at `artist` (a slug) did through the site: the concerts given,
/// and the upcoming days already booked (the day only). 404 for anything but a published
/// artist.
#[server(endpoint = "artist_concerts")]
pub async fn artist_concerts(artist: String) -> Result<ConcertRecord, AppError> {
    respond(
        async {
            let state = app_state()?;
            // The messenger's lookup of whom a host may write to: a published artist.
            let artist = crate::messaging::store::published_artist(&state.db, &artist)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::concerts::reviews::artist_record(&state, artist, crate::clock::now(&state)).await
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
            finding::page_of(&state.db, &store::SearchFilter::default(), page).await
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
            let words = music_type.unwrap_or_default();
            let city = city.unwrap_or_default();
            finding::search(&app_state()?.db, words, &city, page).await
        }
        .await,
    )
}

/// Music types other artists wrote, most used first: suggestions, never a closed list.
#[server(endpoint = "music_type_suggestions")]
pub async fn music_type_suggestions() -> Result<Vec<String>, AppError> {
    store::music_type_suggestions(&app_state()?.db, 24).await
}
