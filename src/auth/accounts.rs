//! The account flows behind the server functions: sign-up, sign-in (rate-limited),
//! sign-out, password reset and change. Those that open a session return what the caller
//! must put in the session cookie.

use crate::{
    auth::{
        device,
        emails::{self, TakenAddressUse},
        model::{
            EMAIL_CHANGE_VALIDITY, Email, NewPassword, RESET_VALIDITY, Role, UNCONFIRMED_DAYS,
            Viewer, safe_return_path,
        },
        password,
        session::{self, CurrentUser},
        store,
    },
    db::now_ms,
    error::AppError,
    paths::{CONFIRM_ADDRESS, NEW_PASSWORD, with_return, with_token},
    rate_limit::{self, Limit},
    signing,
    state::AppState,
    ui::time::in_words,
};

/// A session just opened: the viewer, the token for the session cookie, and the device
/// cookie that lets this browser in while its account is under attack.
pub struct Opened {
    pub viewer: Viewer,
    pub token: String,
    pub device: String,
}

/// Who is asking, as rate limits see them.
pub struct Client<'a> {
    /// The client's address, as `state::client_ip` reads it.
    pub ip: &'a str,
    /// The device cookie this browser sent, if any.
    pub device: Option<&'a str>,
}

const WRONG_CREDENTIALS: &str = "Adresse e-mail ou mot de passe incorrect.";
const TOO_MANY_ATTEMPTS: &str =
    "Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer.";
const TOO_MANY_SIGN_UPS: &str = "Beaucoup de comptes ont été créés depuis votre connexion. Patientez une heure avant de réessayer.";

/// Records a new account and answers the same whether the address was free or not: which
/// addresses have an account is nobody's business. The e-mail tells the difference, in the
/// background: a new account gets its confirmation link (opening it signs in); an address
/// that already has one gets a note saying so (or, unconfirmed, a new link). No session is
/// opened here: only the link proves the address. `next` is a local page the link leads to
/// once the profile is filled.
pub async fn sign_up(
    state: &AppState,
    role: Role,
    email: Email,
    password: NewPassword,
    client_ip: &str,
    next: Option<String>,
) -> Result<(), AppError> {
    // Counted before anything else: so a crowd of sign-ups costs at most this many hashes.
    let per_ip = Limit::per_hour(state.config.account_limits.sign_ups_per_ip_per_hour);
    let buckets = rate_limit::network_buckets("sign_up", client_ip, per_ip);
    rate_limit::spend(&state.db, buckets, TOO_MANY_SIGN_UPS).await?;
    // The hash and the insert run for a taken address too: the answer takes as long.
    let hash = password::hash(&password).await?;
    let now = now_ms();
    let created = store::insert_user(&state.db, &email, &hash, role, now, None).await?;
    if let Some(id) = created {
        tracing::info!(user_id = id, role = role.as_str(), "account created");
    }
    let state = state.clone();
    tokio::spawn(async move {
        let sent = match created {
            Some(id) => {
                send_address_confirmation(&state, id, email.as_str(), now, next.as_deref()).await
            }
            None => tell_address_taken(&state, &email, next.as_deref()).await,
        };
        if let Err(error) = sent {
            tracing::error!(%error, "sign-up e-mail not sent");
        }
    });
    Ok(())
}

/// Someone signed up with an address that has an account: a confirmed one is told (how to
/// sign in or reset the password); an unconfirmed one gets a new confirmation link. Both a
/// few times an hour at most, silently: the person who signed up must not learn which.
async fn tell_address_taken(
    state: &AppState,
    email: &Email,
    next: Option<&str>,
) -> Result<(), AppError> {
    let Some(viewer) = store::find_by_email(&state.db, email).await? else {
        return Ok(());
    };
    let limit = Limit::per_hour(state.config.account_limits.resets_per_hour);
    let bucket = format!("confirmation:account:{}", viewer.id);
    match rate_limit::spend(&state.db, [(bucket, limit)], "").await {
        Err(AppError::TooManyRequests { .. }) => return Ok(()),
        spent => spent?,
    };
    let now = now_ms();
    if !viewer.verified {
        return send_address_confirmation(state, viewer.id, &viewer.email, now, next).await;
    }
    tell_owner_of_taken_address(state, &viewer, TakenAddressUse::SignUp, now).await
}

/// Tells the owner of an address that someone tried to use it for another account.
async fn tell_owner_of_taken_address(
    state: &AppState,
    owner: &Viewer,
    attempt: TakenAddressUse,
    now: i64,
) -> Result<(), AppError> {
    let site = &state.config.public_url;
    let notice = emails::address_already_has_account(
        attempt,
        &format!("{site}/connexion"),
        &format!("{site}/mot-de-passe-oublie"),
    );
    let times = (now, now + NOTICE_VALIDITY_MS);
    crate::mail::store::enqueue_account(&state.db, owner.id, &owner.email, &notice, times).await
}

/// How long an account may wait for its address to be confirmed before it is removed.
pub const UNCONFIRMED_MS: i64 = UNCONFIRMED_DAYS * 24 * 60 * 60 * 1000;

/// A new one-time link of `links` for `user` (only its token's hash is stored): the address
/// of `page` with the token.
async fn one_time_link(
    state: &AppState,
    links: store::OneTimeLinks,
    user: i64,
    expires_at: i64,
    page: &str,
) -> Result<String, AppError> {
    let (token, token_hash) = session::new_token();
    store::insert_link(&state.db, links, &token_hash, user, expires_at).await?;
    Ok(format!(
        "{}{}",
        state.config.public_url,
        with_token(page, &token)
    ))
}

/// E-mails a link that proves the account's address; `next`, a local page to go on to.
async fn send_address_confirmation(
    state: &AppState,
    user: i64,
    email: &str,
    now: i64,
    next: Option<&str>,
) -> Result<(), AppError> {
    let links = store::OneTimeLinks::AddressConfirmations;
    let expires_at = now + UNCONFIRMED_MS;
    let link = one_time_link(state, links, user, expires_at, CONFIRM_ADDRESS).await?;
    let link = with_return(&link, next.and_then(safe_return_path).unwrap_or_default());
    let welcome = emails::confirm_new_account(&link, UNCONFIRMED_DAYS);
    let times = (now, expires_at);
    crate::mail::store::enqueue_account(&state.db, user, email, &welcome, times).await
}

/// Sends the confirmation link again (a few times an hour at most).
pub async fn resend_address_confirmation(
    state: &AppState,
    viewer: &Viewer,
) -> Result<(), AppError> {
    if viewer.verified {
        return Ok(());
    }
    let limit = Limit::per_hour(state.config.account_limits.resets_per_hour);
    rate_limit::spend(
        &state.db,
        [(format!("confirmation:account:{}", viewer.id), limit)],
        "Nous vous avons déjà envoyé plusieurs liens : patientez une heure avant d'en demander un autre, et regardez dans vos indésirables.",
    )
    .await?;
    send_address_confirmation(state, viewer.id, &viewer.email, now_ms(), None).await
}

/// Whether the site has no account yet (demo content goes only into an empty database).
pub async fn is_empty(db: &crate::db::Db) -> Result<bool, AppError> {
    Ok(!store::has_users(db).await?)
}

/// Records an account the site makes itself (demo content, benchmarks), its address taken
/// as proven: no one is there to open a link. Refused if the address is taken.
pub async fn create_confirmed_account(
    db: &crate::db::Db,
    role: Role,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> Result<i64, AppError> {
    store::insert_user(db, email, password_hash, role, now, Some(now))
        .await?
        .ok_or_else(|| AppError::invalid("email", "Un compte existe déjà avec cette adresse."))
}

/// Checks the credentials. Every attempt takes a hit, before the password is checked, so
/// that parallel attempts cannot overshoot; a right password gives its hits back. A browser
/// with a current device cookie of this account counts on its own and with the account's
/// other devices; any other client counts per address, per address and account, and per
/// account.
pub async fn sign_in(
    state: &AppState,
    email: Email,
    password: &str,
    client: Client<'_>,
) -> Result<Opened, AppError> {
    let limits = state.config.sign_in_limits;
    let limit = |max| Limit {
        max,
        window: limits.window,
    };
    let credentials = store::find_credentials(&state.db, &email).await?;
    let key = signing::key(&state.db, device::PURPOSE).await?;
    let known_device = client
        .device
        .and_then(|value| device::verify(&key, value, now_ms()))
        .filter(|device| {
            credentials.as_ref().is_some_and(|known| {
                known.viewer.id == device.user && known.device_epoch == device.epoch
            })
        });
    let network = rate_limit::client_key(client.ip);
    let buckets = match &known_device {
        Some(device) => vec![
            (
                format!("sign_in:device:{}", device.nonce),
                limit(limits.per_account),
            ),
            // Per epoch: a new password gives its owner's devices a fresh allowance.
            (
                format!("sign_in:devices:{}:{}", device.user, device.epoch),
                limit(limits.per_account_devices),
            ),
        ],
        None => {
            let mut buckets =
                rate_limit::network_buckets("sign_in", client.ip, limit(limits.per_ip));
            buckets.extend([
                (
                    format!("sign_in:ip_account:{network}:{email}"),
                    limit(limits.per_ip_and_account),
                ),
                (
                    format!("sign_in:account:{email}"),
                    limit(limits.per_account),
                ),
            ]);
            buckets
        }
    };
    let hits = rate_limit::spend(&state.db, buckets, TOO_MANY_ATTEMPTS).await?;

    let (viewer, stored_hash, device_epoch, suspended) = match credentials {
        Some(known) => (
            Some(known.viewer),
            Some(known.password_hash),
            known.device_epoch,
            known.suspended,
        ),
        None => (None, None, 0, false),
    };
    // `verify` is false without a stored hash, so a missing account fails here too.
    let verified = password::verify(password, stored_hash).await?;
    let Some(viewer) = viewer.filter(|_| verified) else {
        return Err(AppError::invalid("password", WRONG_CREDENTIALS));
    };
    // Said only to whoever knows the password.
    if suspended {
        return Err(AppError::refused(format!(
            "Ce compte est suspendu par l'équipe de modération. Pour en savoir plus ou contester, écrivez à {}.",
            state.config.moderation_email
        )));
    }
    for hit in hits {
        hit.take_back(&state.db).await?;
    }
    let now = now_ms();
    store::delete_expired_sessions(&state.db, viewer.id, state.config.sessions, now).await?;
    open_session(state, viewer, device_epoch, now, &key).await
}

/// Ends the session, and the live streams it opened (on every server).
pub async fn sign_out(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    store::delete_session(&state.db, user.token_hash()).await?;
    state
        .live
        .session_ended(user.viewer.id, user.token_hash())
        .await;
    Ok(())
}

async fn open_session(
    state: &AppState,
    viewer: Viewer,
    device_epoch: i64,
    now: i64,
    device_key: &[u8],
) -> Result<Opened, AppError> {
    let (token, token_hash) = session::new_token();
    store::insert_session(&state.db, &token_hash, viewer.id, now).await?;
    Ok(Opened {
        device: device::issue(device_key, viewer.id, device_epoch, now),
        viewer,
        token,
    })
}

/// A device cookie for the browser that just set `user`'s password (with the current one,
/// or a reset link): it proved as much as a sign-in does.
async fn device_after_new_password(
    state: &AppState,
    user: i64,
    device_epoch: i64,
) -> Result<String, AppError> {
    let key = signing::key(&state.db, device::PURPOSE).await?;
    Ok(device::issue(&key, user, device_epoch, now_ms()))
}

/// Sends a password reset link if an account has this address. The answer is the same
/// either way, and as fast: once counted, the request is answered, and looking the address
/// up and writing the link happen after, in the background (a real account's extra writes
/// would otherwise tell it by their time).
pub async fn request_password_reset(
    state: &AppState,
    email: Email,
    client_ip: &str,
) -> Result<(), AppError> {
    let limit = Limit::per_hour(state.config.account_limits.resets_per_hour);
    let mut buckets = rate_limit::network_buckets("reset", client_ip, limit);
    buckets.push((format!("reset:account:{email}"), limit));
    rate_limit::spend(
        &state.db,
        buckets,
        "Trop de demandes de réinitialisation. Patientez une heure avant de réessayer.",
    )
    .await?;
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&state, &email).await {
            tracing::error!(%error, "reset link not sent");
        }
    });
    Ok(())
}

/// The reset link of the account with this address, if there is one.
async fn send_reset_link(state: &AppState, email: &Email) -> Result<(), AppError> {
    let Some(viewer) = store::find_by_email(&state.db, email).await? else {
        return Ok(());
    };
    let now = now_ms();
    let links = store::OneTimeLinks::PasswordResets;
    let expires_at = now + store::millis(RESET_VALIDITY);
    let link = one_time_link(state, links, viewer.id, expires_at, NEW_PASSWORD).await?;
    let email = emails::password_reset(&link);
    let times = (now, expires_at);
    crate::mail::store::enqueue_account(&state.db, viewer.id, &viewer.email, &email, times).await
}

fn reset_link_invalid() -> AppError {
    AppError::refused(format!(
        "Ce lien n'est plus valable (il sert une fois, pendant {}). Demandez-en un nouveau.",
        in_words(RESET_VALIDITY)
    ))
}

/// Sets a new password through a reset link, and signs every session of the account out.
/// The link is checked before the (costly) hash, and used up only once the hash is made;
/// using it cancels the account's other reset links. The answer is a device cookie for this
/// browser: its owner can sign in even while others keep the account's limit full.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: NewPassword,
) -> Result<String, AppError> {
    let token_hash = session::hash_token(token.trim());
    if !store::reset_is_valid(&state.db, &token_hash, now_ms()).await? {
        return Err(reset_link_invalid());
    }
    let hash = password::hash(&password).await?;
    let user = store::take_reset(&state.db, &token_hash, now_ms())
        .await?
        .ok_or_else(reset_link_invalid)?;
    let set = store::set_password(&state.db, user, &hash, None).await?;
    state.live.sessions_revoked(user).await;
    tracing::info!(user_id = user, "password reset; all sessions ended");
    tell_notify_address_dropped(state, user, set.dropped_notify_address).await?;
    device_after_new_password(state, user, set.device_epoch).await
}

/// Checks that `typed` is the signed-in user's current password (before changing it or an
/// address, or deleting the account); `wrong` is the answer when it is not. Each check is
/// counted, so that a stolen session cannot be used to guess the password. Counted per
/// session: a thief's wrong guesses never use up the owner's own checks (the owner must stay
/// able to change the password and end the thief's session); and per account, with room for
/// a few sessions, so that guessing through many sessions stays bounded too.
pub async fn check_current_password(
    state: &AppState,
    user: &CurrentUser,
    typed: &str,
    wrong: AppError,
) -> Result<(), AppError> {
    let per_session = Limit::per_hour(state.config.account_limits.password_checks_per_hour);
    let per_account = Limit::per_hour(
        state
            .config
            .account_limits
            .password_checks_per_hour
            .saturating_mul(PASSWORD_CHECK_SESSIONS),
    );
    rate_limit::spend(
        &state.db,
        [
            (
                format!("password_check:session:{}", user.token_hash()),
                per_session,
            ),
            (
                format!("password_check:account:{}", user.viewer.id),
                per_account,
            ),
        ],
        "Trop d'essais de mot de passe. Patientez une heure avant de réessayer.",
    )
    .await?;
    let stored = store::password_hash(&state.db, user.viewer.id).await?;
    if password::verify(typed, stored).await? {
        Ok(())
    } else {
        Err(wrong)
    }
}

/// How many sessions' worth of password checks an account has per hour.
const PASSWORD_CHECK_SESSIONS: u32 = 3;

/// Changes the signed-in user's password (the current one is required) and signs their
/// other sessions out; the answer is this browser's new device cookie.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    current: &str,
    new: NewPassword,
) -> Result<String, AppError> {
    let wrong = AppError::invalid(
        "current_password",
        "Ce n'est pas votre mot de passe actuel.",
    );
    check_current_password(state, user, current, wrong).await?;
    let hash = password::hash(&new).await?;
    let id = user.viewer.id;
    let set = store::set_password(&state.db, id, &hash, Some(user.token_hash())).await?;
    // Streams opened by the ended sessions stop too; this one's pages reconnect.
    state.live.sessions_revoked(id).await;
    tell_notify_address_dropped(state, id, set.dropped_notify_address).await?;
    device_after_new_password(state, id, set.device_epoch).await
}

/// How long a notice without a link (an address change asked, a notification address taken
/// back) is worth sending, if the mail server cannot take it at once.
const NOTICE_VALIDITY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

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

/// Sends a confirmation link to a new address; nothing changes until it is opened. Either
/// address (the sign-in one, or the one messages go to) needs the current password, and the
/// account's address is told at once, so that its owner can stop a change they did not ask
/// for (changing the password cancels it): a stolen session alone cannot send someone's
/// messages elsewhere. A sign-in address another account has gets the same answer; its owner
/// is told instead of sent a link.
pub async fn request_email_change(
    state: &AppState,
    user: &CurrentUser,
    kind: AddressKind,
    new_email: Email,
    current_password: &str,
) -> Result<(), AppError> {
    let id = user.viewer.id;
    let wrong = AppError::invalid(
        "current_password",
        "Ce n'est pas votre mot de passe actuel : l'adresse ne change pas.",
    );
    check_current_password(state, user, current_password, wrong).await?;
    // Counted once the request is sound: each one sends two e-mails.
    let per_day = Limit {
        max: state.config.account_limits.address_changes_per_day,
        window: std::time::Duration::from_secs(24 * 60 * 60),
    };
    rate_limit::spend(
        &state.db,
        [(format!("address_change:account:{id}"), per_day)],
        "Vous avez demandé beaucoup de changements d'adresse aujourd'hui. Réessayez demain.",
    )
    .await?;
    let now = now_ms();
    let for_the_account = kind == AddressKind::Account;
    let owner = if for_the_account {
        store::find_by_email(&state.db, &new_email).await?
    } else {
        None
    };
    if let Some(owner) = owner {
        // The same answer as for a free address: which addresses have an account is nobody's
        // business. Its owner is told instead of sent a link.
        tell_owner_of_taken_address(state, &owner, TakenAddressUse::AddressChange, now).await?;
    } else {
        let (token, token_hash) = session::new_token();
        let expires_at = now + store::millis(EMAIL_CHANGE_VALIDITY);
        let target = kind.as_str();
        store::insert_email_change(&state.db, &token_hash, id, target, &new_email, expires_at)
            .await?;
        let link = format!(
            "{}{}",
            state.config.public_url,
            with_token(CONFIRM_ADDRESS, &token)
        );
        let email = emails::confirm_address(&link, for_the_account);
        let times = (now, expires_at);
        crate::mail::store::enqueue_account(&state.db, id, new_email.as_str(), &email, times)
            .await?;
    }
    let profile = profile_url(state);
    let notice = emails::address_change_asked(&new_email, &profile, for_the_account);
    let times = (now, now + NOTICE_VALIDITY_MS);
    crate::mail::store::enqueue_account(&state.db, id, &user.viewer.email, &notice, times).await
}

/// The page of "Mon profil", for links in account e-mails.
fn profile_url(state: &AppState) -> String {
    format!("{}/profil", state.config.public_url)
}

/// After a new password: a notification address set before it may be the work of whoever
/// knew the old one, so messages go back to the account's address, which is told how to
/// ask for the other one again.
async fn tell_notify_address_dropped(
    state: &AppState,
    user: i64,
    dropped: Option<store::DroppedNotifyAddress>,
) -> Result<(), AppError> {
    let Some(dropped) = dropped else {
        return Ok(());
    };
    let profile = profile_url(state);
    let notice = emails::notify_address_dropped(&dropped.notify_email, &profile);
    let now = now_ms();
    let times = (now, now + NOTICE_VALIDITY_MS);
    crate::mail::store::enqueue_account(&state.db, user, &dropped.account_email, &notice, times)
        .await
}

/// What a confirmation link did.
pub enum Confirmed {
    /// A new account's address is proven, and the browser that opened the link is signed in
    /// to it (the link is the only proof a new account has).
    NewAccount(Opened),
    /// An account's address changed.
    AddressChanged,
}

/// Applies what a confirmation link was sent for: a new account's address, or a change of
/// address. A new sign-in address ends the account's other sessions (`keep`: the confirming
/// browser's, if it is signed in to it).
pub async fn confirm_email_change(
    state: &AppState,
    token: &str,
    keep: Option<&CurrentUser>,
) -> Result<Confirmed, AppError> {
    let token_hash = session::hash_token(token.trim());
    let now = now_ms();
    if let Some(account) = store::confirm_address(&state.db, &token_hash, now).await? {
        tracing::info!(user_id = account.viewer.id, "address confirmed");
        let key = signing::key(&state.db, device::PURPOSE).await?;
        let opened = open_session(state, account.viewer, account.device_epoch, now, &key).await?;
        return Ok(Confirmed::NewAccount(opened));
    }
    let confirmed = store::confirm_email_change(
        &state.db,
        &token_hash,
        now,
        keep.map(CurrentUser::token_hash),
    )
    .await?
    .ok_or_else(|| {
        AppError::refused(format!(
            "Ce lien n'est plus valable (il sert une fois, pendant {}), ou l'adresse est déjà prise. Recommencez depuis « Mon profil ».",
            in_words(EMAIL_CHANGE_VALIDITY)
        ))
    })?;
    let (user, target) = confirmed;
    tracing::info!(user_id = user, target, "address changed");
    if target == AddressKind::Account.as_str() {
        state.live.sessions_revoked(user).await;
    }
    Ok(Confirmed::AddressChanged)
}
