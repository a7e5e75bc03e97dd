//! The account flows behind the server functions: sign-up, sign-in (rate-limited),
//! sign-out, password reset and change. Those that open a session return what the caller
//! must put in the session cookie.

use crate::{
    auth::{
        model::{Email, NewPassword, Role, Viewer},
        password,
        session::{self, CurrentUser},
        store,
    },
    db::now_ms,
    error::AppError,
    rate_limit::{self, Limit},
    state::AppState,
};

/// A session just opened: the viewer and the token for the cookie.
pub struct Opened {
    pub viewer: Viewer,
    pub token: String,
}

const WRONG_CREDENTIALS: &str = "Adresse e-mail ou mot de passe incorrect.";
const TOO_MANY_ATTEMPTS: &str =
    "Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer.";

pub async fn sign_up(
    state: &AppState,
    role: Role,
    email: Email,
    password: NewPassword,
) -> Result<Opened, AppError> {
    let hash = password::hash(&password).await?;
    let now = now_ms();
    let id = create_account(&state.db, role, &email, &hash, now).await?;
    open_session(
        state,
        Viewer {
            id,
            role,
            email: email.as_str().to_owned(),
        },
        now,
    )
    .await
}

/// Whether the site has no account yet (demo content goes only into an empty database).
pub async fn is_empty(db: &crate::db::Db) -> Result<bool, AppError> {
    Ok(!store::has_users(db).await?)
}

/// Records a new account whose password is already hashed; refused if the address is taken.
pub async fn create_account(
    db: &crate::db::Db,
    role: Role,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> Result<i64, AppError> {
    let Some(id) = store::insert_user(db, email, password_hash, role, now).await? else {
        return Err(AppError::invalid(
            "email",
            "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou choisissez une autre adresse.",
        ));
    };
    tracing::info!(user_id = id, role = role.as_str(), "account created");
    Ok(id)
}

/// Checks the credentials. Failures are counted per client address and per account; past
/// either limit every attempt is refused until the window ends, even a correct one.
pub async fn sign_in(
    state: &AppState,
    email: Email,
    password: &str,
    client_ip: &str,
) -> Result<Opened, AppError> {
    let limits = state.config.sign_in_limits;
    let ip_bucket = format!("sign_in:ip:{client_ip}");
    let account_bucket = format!("sign_in:account:{email}");
    let per_ip = Limit {
        max: limits.per_ip,
        window: limits.window,
    };
    let per_account = Limit {
        max: limits.per_account,
        window: limits.window,
    };
    if rate_limit::is_exhausted(&state.db, &ip_bucket, per_ip).await?
        || rate_limit::is_exhausted(&state.db, &account_bucket, per_account).await?
    {
        tracing::warn!(client_ip, "sign-in refused by rate limit");
        return Err(AppError::too_many_requests(TOO_MANY_ATTEMPTS));
    }

    let (viewer, stored_hash) = store::find_credentials(&state.db, &email).await?.unzip();
    // `verify` is false without a stored hash, so a missing account fails here too.
    let verified = password::verify(password, stored_hash).await?;
    let Some(viewer) = viewer.filter(|_| verified) else {
        rate_limit::record(&state.db, &ip_bucket, per_ip).await?;
        rate_limit::record(&state.db, &account_bucket, per_account).await?;
        return Err(AppError::invalid("password", WRONG_CREDENTIALS));
    };
    let now = now_ms();
    store::delete_expired_sessions(&state.db, viewer.id, state.config.sessions, now).await?;
    open_session(state, viewer, now).await
}

pub async fn sign_out(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    store::delete_session(&state.db, user.token_hash()).await
}

async fn open_session(state: &AppState, viewer: Viewer, now: i64) -> Result<Opened, AppError> {
    let (token, token_hash) = session::new_token();
    store::insert_session(&state.db, &token_hash, viewer.id, now).await?;
    Ok(Opened { viewer, token })
}

/// How long a password reset link works.
const RESET_VALIDITY_MS: i64 = 60 * 60 * 1000;
/// Reset e-mails per address and per client address, each hour.
const RESET_LIMIT: Limit = Limit {
    max: 5,
    window: std::time::Duration::from_secs(60 * 60),
};

/// Sends a password reset link if an account has this address. The answer is the same
/// either way, so that nobody learns which addresses have an account.
pub async fn request_password_reset(
    state: &AppState,
    email: Email,
    client_ip: &str,
) -> Result<(), AppError> {
    let buckets = [
        format!("reset:ip:{client_ip}"),
        format!("reset:account:{email}"),
    ];
    for bucket in &buckets {
        if rate_limit::is_exhausted(&state.db, bucket, RESET_LIMIT).await? {
            return Err(AppError::too_many_requests(
                "Trop de demandes de réinitialisation. Patientez une heure avant de réessayer.",
            ));
        }
    }
    for bucket in &buckets {
        rate_limit::record(&state.db, bucket, RESET_LIMIT).await?;
    }
    let Some(viewer) = store::find_by_email(&state.db, &email).await? else {
        return Ok(());
    };
    let (token, token_hash) = session::new_token();
    let now = now_ms();
    store::insert_reset(&state.db, &token_hash, viewer.id, now + RESET_VALIDITY_MS).await?;
    let link = format!(
        "{}/mot-de-passe/nouveau?jeton={token}",
        state.config.public_url
    );
    let email = crate::mail::templates::password_reset(&link);
    crate::mail::store::enqueue_account(&state.db, viewer.id, &viewer.email, &email, now).await
}

/// Sets a new password through a reset link, and signs every session of the account out.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: NewPassword,
) -> Result<(), AppError> {
    let hash = password::hash(&password).await?;
    let user = store::take_reset(&state.db, &session::hash_token(token.trim()), now_ms())
        .await?
        .ok_or_else(|| {
            AppError::refused(
                "Ce lien n'est plus valable (il sert une fois, pendant une heure). Demandez-en un nouveau.",
            )
        })?;
    store::set_password(&state.db, user, &hash, None).await?;
    crate::live::bus::sessions_revoked(state, user).await;
    tracing::info!(user_id = user, "password reset; all sessions ended");
    Ok(())
}

/// Changes the signed-in user's password (the current one is required) and signs their
/// other sessions out.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    current: &str,
    new: NewPassword,
) -> Result<(), AppError> {
    let stored = store::password_hash(&state.db, user.viewer.id).await?;
    if !password::verify(current, stored).await? {
        return Err(AppError::invalid(
            "current_password",
            "Ce n'est pas votre mot de passe actuel.",
        ));
    }
    let hash = password::hash(&new).await?;
    store::set_password(&state.db, user.viewer.id, &hash, Some(user.token_hash())).await?;
    // Streams opened by the ended sessions stop too; this one's pages reconnect.
    crate::live::bus::sessions_revoked(state, user.viewer.id).await;
    Ok(())
}

/// Deletes the signed-in user's account, once they confirmed with their password: profiles
/// gone at once, every session ended, no e-mail ever again; their messages stay with the
/// other participants, signed "Compte supprimé".
pub async fn delete_account(
    state: &AppState,
    user: &CurrentUser,
    password_typed: &str,
) -> Result<(), AppError> {
    let id = user.viewer.id;
    let stored = store::password_hash(&state.db, id).await?;
    if !password::verify(password_typed, stored).await? {
        return Err(AppError::invalid(
            "password",
            "Ce n'est pas votre mot de passe : le compte n'est pas supprimé.",
        ));
    }
    let now = now_ms();
    let photo = crate::artists::store::replace_photo(&state.db, id, None, now).await?;
    let mut tx = state.db.begin_write().await?;
    crate::artists::store::delete_profile(&mut tx, state.db.backend, id).await?;
    crate::hosts::store::delete(&mut tx, id).await?;
    crate::mail::store::skip_pending_of(&mut tx, id, now).await?;
    store::anonymize(&mut tx, id, now).await?;
    tx.commit().await?;
    crate::live::bus::sessions_revoked(state, id).await;
    if let Some(Some(file)) = photo {
        crate::artists::photo::remove(&state.config.media_dir.join("photos"), &file).await;
    }
    tracing::info!(user_id = id, "account deleted");
    Ok(())
}

/// How long a confirmation link for a new address works.
const EMAIL_CHANGE_VALIDITY_MS: i64 = 24 * 60 * 60 * 1000;

/// Which address a change is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    /// The account's address, to sign in with.
    Account,
    /// Where messages are e-mailed.
    Notify,
}

impl AddressKind {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        match input {
            "account" => Ok(AddressKind::Account),
            "notify" => Ok(AddressKind::Notify),
            _ => Err(AppError::refused("Choisissez quelle adresse changer.")),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            AddressKind::Account => "account",
            AddressKind::Notify => "notify",
        }
    }
}

/// Sends a confirmation link to a new address; nothing changes until it is opened.
pub async fn request_email_change(
    state: &AppState,
    user: i64,
    kind: AddressKind,
    new_email: Email,
) -> Result<(), AppError> {
    if kind == AddressKind::Account && store::email_taken(&state.db, &new_email).await? {
        return Err(AppError::invalid(
            "email",
            "Un compte utilise déjà cette adresse.",
        ));
    }
    let (token, token_hash) = session::new_token();
    let now = now_ms();
    store::insert_email_change(
        &state.db,
        &token_hash,
        user,
        kind.as_str(),
        &new_email,
        now + EMAIL_CHANGE_VALIDITY_MS,
    )
    .await?;
    let link = format!(
        "{}/adresse/confirmer?jeton={token}",
        state.config.public_url
    );
    let email = crate::mail::templates::confirm_address(&link, kind == AddressKind::Account);
    crate::mail::store::enqueue_account(&state.db, user, new_email.as_str(), &email, now).await
}

/// Applies the change a confirmation link was sent for.
pub async fn confirm_email_change(state: &AppState, token: &str) -> Result<(), AppError> {
    store::confirm_email_change(&state.db, &session::hash_token(token.trim()), now_ms())
        .await?
        .map(|(user, target)| tracing::info!(user_id = user, target, "address changed"))
        .ok_or_else(|| {
            AppError::refused(
                "Ce lien n'est plus valable (il sert une fois, pendant un jour), ou l'adresse est déjà prise. Recommencez depuis « Mon profil ».",
            )
        })
}
