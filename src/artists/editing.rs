//! The artist's editor, behind its server functions: saving a profile (parsed once, its city
//! found, published only from a confirmed address) and replacing or removing the photo.

use crate::{
    artists::{
        model::{ArtistProfile, Photo},
        photo,
        profile::{ValidProfile, field_name},
        store,
    },
    auth::session::CurrentUser,
    config::Config,
    db::now_ms,
    error::AppError,
    places::{self, model::unknown_city, store::CityMatch},
    rate_limit::{self, Limit},
    state::AppState,
};

/// The store knows the page's path; only the configuration knows the site's address.
pub fn with_public_url(mut profile: ArtistProfile, config: &Config) -> ArtistProfile {
    profile.url = format!("{}{}", config.public_url, profile.url);
    profile
}

/// Saves `artist`'s profile, as the editor's form sent it, and returns it as saved. Invalid
/// input changes nothing and names the faulty field.
pub async fn save_profile(
    state: &AppState,
    artist: &CurrentUser,
    form: &crate::artists::model::ProfileForm,
) -> Result<ArtistProfile, AppError> {
    let known: Vec<String> = places::store::regions(&state.db)
        .await?
        .into_iter()
        .map(|region| region.code)
        .collect();
    let valid = ValidProfile::parse(form, &known)?;
    if valid.published && !artist.viewer.verified {
        // For the whole form: the box has no place for an error of its own.
        return Err(AppError::refused(
            "Confirmez d'abord votre adresse e-mail pour publier votre profil (ouvrez le lien que nous vous avons envoyé). En attendant, enregistrez-le sans le publier : rien n'est perdu.",
        ));
    }
    if valid.published && store::is_hidden(&state.db, artist.viewer.id).await? {
        return Err(AppError::refused(format!(
            "L'équipe de modération a masqué votre profil : vous ne pouvez pas le publier pour le moment. Enregistrez-le sans le publier, rien n'est perdu. Pour contester, écrivez à {}.",
            state.config.moderation_email
        )));
    }
    let base_city = match &valid.base_city {
        Some(typed) => match places::store::lookup(&state.db, typed).await? {
            CityMatch::Found { city, .. } => Some(city),
            CityMatch::Unknown { nearest } => {
                return Err(unknown_city(&field_name("base_city"), typed, &nearest));
            }
        },
        None => None,
    };
    let id = artist.viewer.id;
    let code = base_city.as_ref().map(|city| city.code.as_str());
    store::save(&state.db, id, &valid, code, now_ms()).await?;
    store::find_by_owner(&state.db, id)
        .await?
        .map(|profile| with_public_url(profile, &state.config))
        .ok_or_else(|| AppError::internal("saving a profile", "saved profile not found"))
}

/// Counts one photo upload of `artist`, before its body is read: each holds up to 8 MB,
/// then a decode.
pub async fn spend_photo_upload(state: &AppState, artist: i64) -> Result<(), AppError> {
    let per_hour = Limit::per_hour(state.config.account_limits.photo_uploads_per_hour);
    rate_limit::spend(
        &state.db,
        [(format!("photo_upload:account:{artist}"), per_hour)],
        "Vous avez envoyé beaucoup de photos en peu de temps. Patientez une heure avant de réessayer.",
    )
    .await
    .map(drop)
}

/// Makes `bytes` (an uploaded file) `artist`'s photo, re-encoded, in place of the previous
/// one. The profile must have been saved once.
pub async fn replace_photo(
    state: &AppState,
    artist: i64,
    bytes: Vec<u8>,
) -> Result<Photo, AppError> {
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

/// Removes `artist`'s photo, and its file.
pub async fn remove_photo(state: &AppState, artist: i64) -> Result<(), AppError> {
    if let Some(Some(previous)) = store::replace_photo(&state.db, artist, None, now_ms()).await? {
        photo::remove(&state.config.media_dir.join("photos"), &previous).await;
    }
    Ok(())
}
