//! Server functions for host profiles.

use crate::{
    error::AppError,
    hosts::model::{HostForm, HostProfile},
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::{
        model::{Role, safe_return_path},
        session::{current_user, signed_in_as},
    },
    db::now_ms,
    hosts::{model::limits, store},
    places::{self, model::unknown_city, store::CityMatch},
    state::{app_state, respond},
    text::bounded,
};

/// The signed-in host's own profile; `None` before the first save.
#[server(endpoint = "my_host_profile")]
pub async fn my_host_profile() -> Result<Option<HostProfile>, AppError> {
    respond(
        async {
            let host = signed_in_as(Role::Host)?;
            store::find_visible(&app_state()?.db, host, host).await
        }
        .await,
    )
}

/// Saves the signed-in host's profile: a name, a commune, and a description of the place.
/// With `next` (a page of this site), the browser goes there afterwards.
#[server(endpoint = "save_host_profile")]
pub async fn save_host_profile(
    host: HostForm,
    next: Option<String>,
) -> Result<HostProfile, AppError> {
    respond(
        async {
            let id = signed_in_as(Role::Host)?;
            let state = app_state()?;
            let keep = |error: AppError| {
                error.keeping(&[
                    ("host[name]", &host.name),
                    ("host[city]", &host.city),
                    ("host[description]", &host.description),
                    ("next", next.as_deref().unwrap_or_default()),
                ])
            };
            let name = bounded("host[name]", "Nom", &host.name, limits::NAME).map_err(keep)?;
            if name.is_empty() {
                return Err(keep(AppError::invalid(
                    "host[name]",
                    "Indiquez votre nom, ou celui de votre entreprise.",
                )));
            }
            let typed_city =
                bounded("host[city]", "Ville", &host.city, limits::CITY).map_err(keep)?;
            let description = bounded(
                "host[description]",
                "Le lieu",
                &host.description,
                limits::DESCRIPTION,
            )
            .map_err(keep)?;
            if typed_city.is_empty() {
                return Err(keep(AppError::invalid(
                    "host[city]",
                    "Indiquez la commune du lieu.",
                )));
            }
            let city = match places::store::lookup(&state.db, &typed_city).await? {
                CityMatch::Found { city, .. } => city,
                CityMatch::Unknown { nearest } => {
                    return Err(keep(unknown_city("host[city]", &typed_city, &nearest)));
                }
            };
            store::save(&state.db, id, &name, &city.code, &description, now_ms()).await?;
            let saved = store::find_visible(&state.db, id, id)
                .await?
                .ok_or_else(|| {
                    AppError::internal("saving a host profile", "saved profile not found")
                })?;
            if let Some(next) = next.as_deref().and_then(safe_return_path) {
                leptos_axum::redirect(next);
            }
            Ok(saved)
        }
        .await,
    )
}

/// A host's profile, for whoever may see it; 404 for anyone else, signed in or not, so that
/// not even its existence shows.
#[server(endpoint = "host_profile")]
pub async fn visible_host_profile(id: i64) -> Result<HostProfile, AppError> {
    respond(
        async {
            let viewer = current_user().ok_or(AppError::NotFound)?;
            store::find_visible(&app_state()?.db, id, viewer.viewer.id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
