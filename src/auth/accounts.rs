//! The account flows behind the server functions: sign-up, sign-in (rate-limited) and
//! sign-out. Each returns what the caller must put in the session cookie.

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
