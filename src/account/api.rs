//! Server functions about the account as a whole: its e-mail settings and addresses, the
//! unsubscribe link, a copy of its data, deleting it.

use crate::{auth::model::Viewer, error::AppError, mail::model::EmailSettings};
use leptos::{
    prelude::*,
    server_fn::codec::{ByteStream, Streaming},
};

#[cfg(feature = "ssr")]
use crate::{
    account::{export, removal},
    auth::{
        api::set_cookie,
        session::{self, signed_in, signed_in_verified},
    },
    db::now_ms,
    mail::{store, token},
    paths::{CONFIRM_ADDRESS, HOME, UNSUBSCRIBE, done, with_query},
    state::{AppState, app_state, respond},
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
            leptos_axum::redirect(&with_query(HOME, &[("compte", "supprime")]));
            Ok(())
        }
        .await,
    )
}

/// "Mes données": everything the site holds about the signed-in member, as one JSON file
/// (`account::model::MyData`) streamed as it is read; a few downloads an hour.
#[server(endpoint = "my_data", output = Streaming)]
pub async fn download_my_data() -> Result<ByteStream<AppError>, AppError> {
    use http::{HeaderValue, header};
    respond(
        async {
            let member = signed_in()?;
            let file = export::my_data(&app_state()?, member).await?;
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                let headers = [
                    (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"mes-donnees-concerts-dans-mon-salon.json\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ];
                for (name, value) in headers {
                    response.insert_header(name, HeaderValue::from_static(value));
                }
            }
            Ok(ByteStream::new(file))
        }
        .await,
    )
}

/// The signed-in user's e-mail settings.
#[server(endpoint = "email_settings")]
pub async fn my_email_settings() -> Result<EmailSettings, AppError> {
    respond(async { store::settings(&app_state()?.db, signed_in()?).await }.await)
}

/// Turns "Recevoir mes messages par e-mail" on or off.
#[server(endpoint = "set_email_notifications")]
pub async fn set_email_notifications(enabled: bool) -> Result<EmailSettings, AppError> {
    respond(
        async {
            // Mail goes to proven addresses only; turning it off needs no proof.
            let user = if enabled {
                signed_in_verified()?
            } else {
                signed_in()?
            };
            let db = app_state()?.db;
            store::set_notifications(&db, user, enabled, now_ms()).await?;
            store::settings(&db, user).await
        }
        .await,
    )
}

/// Sends a confirmation link to a new address, for the account (`kind` = `account`) or for
/// messages (`notify`), once the `current_password` is checked; the address changes once the
/// link is opened.
#[server(endpoint = "request_email_change")]
pub async fn request_email_change(
    kind: String,
    email: String,
    current_password: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{
        accounts::{self, AddressKind},
        model::Email,
        session::current_user,
    };
    respond(
        async {
            let user = current_user().ok_or(AppError::Unauthorized)?;
            let keep = |error: AppError| error.keeping(&[("email", &email), ("kind", &kind)]);
            let kind = AddressKind::parse(&kind).map_err(keep)?;
            let parsed = Email::parse(&email).map_err(keep)?;
            let password = current_password.unwrap_or_default();
            accounts::request_email_change(&app_state()?, &user, kind, parsed, &password)
                .await
                .map_err(keep)
        }
        .await,
    )
}

/// Applies what a confirmation link was sent for (no sign-in needed: the link reached that
/// address). A new account's link signs this browser in to it: the answer is then the
/// account, and a plain form post goes on to its profile (`next`: the page after it).
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(
    token: String,
    next: Option<String>,
) -> Result<Option<Viewer>, AppError> {
    respond(
        async {
            use crate::auth::{accounts, api};
            let state = app_state()?;
            let signed_in = crate::auth::session::current_user();
            match accounts::confirm_email_change(&state, &token, signed_in.as_ref()).await? {
                accounts::Confirmed::NewAccount(opened) => {
                    let target = api::first_page(opened.viewer.role, next.as_deref());
                    Ok(Some(api::start_session(&state, opened, &target)))
                }
                accounts::Confirmed::AddressChanged => {
                    leptos_axum::redirect(&done(CONFIRM_ADDRESS));
                    Ok(None)
                }
            }
        }
        .await,
    )
}

/// Turns e-mails off for the user an unsubscribe link was signed for; no sign-in needed.
#[server(endpoint = "unsubscribe")]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    respond(
        async {
            unsubscribe_by_token(&app_state()?, &token).await?;
            // Without JavaScript, the browser comes back to a page that says it is done.
            leptos_axum::redirect(&done(UNSUBSCRIBE));
            Ok(())
        }
        .await,
    )
}

/// Shared with the one-click route that mail programs call (`POST /desabonnement/direct`).
#[cfg(feature = "ssr")]
pub async fn unsubscribe_by_token(state: &AppState, token: &str) -> Result<(), AppError> {
    let key = crate::signing::key(&state.db, token::PURPOSE).await?;
    let user = token::verify(&key, token).ok_or_else(|| {
        AppError::refused("Ce lien de désabonnement n'est pas valide. Vous pouvez couper les e-mails depuis « Mon profil ».")
    })?;
    store::set_notifications(&state.db, user, false, now_ms()).await
}
