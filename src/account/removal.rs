//! Removing an account reaches every feature: each one's data goes through its own store, in
//! one transaction where it must be all or nothing.

use crate::{
    artists,
    auth::{self, accounts, session::CurrentUser},
    db::now_ms,
    error::AppError,
    hosts, mail, messaging,
    state::AppState,
};

/// Deletes the signed-in user's account, once they confirmed with their password: profiles
/// gone at once, every session ended, no e-mail ever again; their messages stay with the
/// other participants, signed "Compte supprimé".
pub async fn delete_account(
    state: &AppState,
    user: &CurrentUser,
    password_typed: &str,
) -> Result<(), AppError> {
    let id = user.viewer.id;
    let wrong = AppError::invalid(
        "password",
        "Ce n'est pas votre mot de passe : le compte n'est pas supprimé.",
    );
    accounts::check_current_password(state, user, password_typed, wrong).await?;
    let now = now_ms();
    let photo = artists::store::replace_photo(&state.db, id, None, now).await?;
    let mut tx = state.db.begin_write().await?;
    artists::store::delete_profile(&mut tx, state.db.backend, id).await?;
    hosts::store::delete(&mut tx, id).await?;
    messaging::store::delete_blocks_by(&mut tx, id).await?;
    mail::store::skip_pending_of(&mut tx, id, now).await?;
    auth::store::anonymize(&mut tx, id, now).await?;
    tx.commit().await?;
    state.live.sessions_revoked(id).await;
    remove_photo_file(state, photo).await;
    tracing::info!(user_id = id, "account deleted");
    Ok(())
}

/// Removes the accounts whose address was not confirmed within `UNCONFIRMED_DAYS` (they
/// could publish nothing and write to no one), with their draft's photo.
pub async fn remove_unconfirmed(state: &AppState, now: i64) -> Result<usize, AppError> {
    let mut removed = 0;
    let cutoff = now - accounts::UNCONFIRMED_MS;
    for user in auth::store::unconfirmed_since(&state.db, cutoff).await? {
        let photo = artists::store::replace_photo(&state.db, user, None, now).await?;
        if auth::store::delete_unconfirmed(&state.db, user).await? {
            removed += 1;
        }
        remove_photo_file(state, photo).await;
    }
    if removed > 0 {
        tracing::info!(removed, "unconfirmed accounts removed");
    }
    Ok(removed)
}

/// Runs `remove_unconfirmed` every hour in the background (the first time at start), until
/// the server stops.
pub fn keep_removing_unconfirmed(state: &AppState) {
    state.repeat(
        tokio::time::interval(std::time::Duration::from_secs(60 * 60)),
        "could not remove unconfirmed accounts",
        |state| async move { remove_unconfirmed(&state, now_ms()).await },
    );
}

/// Deletes the file of a photo `replace_photo` took off a profile (if there was one).
async fn remove_photo_file(state: &AppState, replaced: Option<Option<String>>) {
    if let Some(Some(file)) = replaced {
        artists::photo::remove(&state.config.media_dir.join("photos"), &file).await;
    }
}
