//! Server functions about the account as a whole.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    account::removal,
    auth::{api::set_cookie, session},
    state::{app_state, respond},
};

/// Deletes the signed-in user's account, confirmed by their password, and signs them out.
#[server(endpoint = "delete_account")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    respond(
        async {
            let user = session::current_user().ok_or(AppError::Unauthorized)?;
            let state = app_state()?;
            removal::delete_account(&state, &user, &password).await?;
            set_cookie(&session::removal_cookie(&state.config));
            leptos_axum::redirect("/?compte=supprime");
            Ok(())
        }
        .await,
    )
}
