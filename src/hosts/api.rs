//! Server functions for host profiles; the rules are in `profiles.rs`.

use crate::{
    concerts::model::Reviews,
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
    hosts::{profiles, store},
    state::{app_state, respond},
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
            let saved = profiles::save(&state, id, &host).await.map_err(keep)?;
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

/// The reviews the host `id` received from the artists they welcomed, for whoever may see the
/// host's profile (the host, and the artists in a conversation with them); 404 for anyone else.
#[server(endpoint = "host_reviews")]
pub async fn host_reviews(id: i64) -> Result<Reviews, AppError> {
    respond(
        async {
            let viewer = current_user().ok_or(AppError::NotFound)?;
            let state = app_state()?;
            store::find_visible(&state.db, id, viewer.viewer.id)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::concerts::reviews::received(&state, id).await
        }
        .await,
    )
}
