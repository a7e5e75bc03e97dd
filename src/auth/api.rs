//! Server functions for accounts: the browser's forms and the future mobile app call these.
//! Each answers JSON (`Viewer`, or an `AppError`); a plain HTML form post is redirected.

use crate::{auth::model::Viewer, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::{
        accounts::{self, Opened},
        device,
        model::{Email, NewPassword, Role, safe_return_path},
        session,
    },
    paths::{FORGOT_PASSWORD, HOME, PROFILE, SIGN_IN, SIGN_UP, with_query, with_return},
    state::{app_state, client_ip, request_parts, respond},
};

/// Creates an account: `role` is `artist` or `host`; `next`, a page a host returns to once
/// their profile is filled. The answer is the same whether the address already had an
/// account or not; the e-mail sent to it tells, and its link signs the new account in.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    role: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    respond(
        async {
            let keep = |error: AppError| {
                error.keeping(&[
                    ("role", &role),
                    ("email", &email),
                    ("next", next.as_deref().unwrap_or_default()),
                ])
            };
            let role = Role::parse(&role).map_err(keep)?;
            let parsed = Email::parse(&email).map_err(keep)?;
            let password = NewPassword::parse(&password).map_err(keep)?;
            let state = app_state()?;
            let ip = client_ip(&request_parts()?, state.config.trust_forwarded_for);
            accounts::sign_up(&state, role, parsed, password, &ip, next.clone())
                .await
                .map_err(keep)?;
            leptos_axum::redirect(&with_query(SIGN_UP, &[("envoye", "1")]));
            Ok(())
        }
        .await,
    )
}

/// Signs in; `next` is the local page to return to afterwards.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<Viewer, AppError> {
    respond(
        async {
            let keep = |error: AppError| {
                error.keeping(&[
                    ("email", &email),
                    ("next", next.as_deref().unwrap_or_default()),
                ])
            };
            let parsed = Email::parse(&email).map_err(keep)?;
            let state = app_state()?;
            let parts = request_parts()?;
            let ip = client_ip(&parts, state.config.trust_forwarded_for);
            let device = session::cookie_value(&parts.headers, device::cookie_name(&state.config));
            let client = accounts::Client {
                ip: &ip,
                device: device.as_deref(),
            };
            let opened = accounts::sign_in(&state, parsed, &password, client)
                .await
                .map_err(keep)?;
            let target = next.as_deref().and_then(safe_return_path).unwrap_or(HOME);
            Ok(start_session(&state, opened, target))
        }
        .await,
    )
}

/// Ends the current session (also its cookie); harmless when already signed out.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            if let Some(user) = session::current_user() {
                accounts::sign_out(&state, &user).await?;
            }
            set_cookie(&session::removal_cookie(&state.config));
            // Pages are not stored (`page_cache`), but a browser may still hold some from
            // before: on a shared computer, Back must not show the member's pages.
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.insert_header(
                    http::HeaderName::from_static("clear-site-data"),
                    http::HeaderValue::from_static("\"cache\""),
                );
            }
            leptos_axum::redirect(HOME);
            Ok(())
        }
        .await,
    )
}

/// Sends the signed-in user a new link to confirm their address (a few an hour at most).
#[server(endpoint = "resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    respond(
        async {
            let user = session::current_user().ok_or(AppError::Unauthorized)?;
            accounts::resend_address_confirmation(&app_state()?, &user.viewer).await
        }
        .await,
    )
}

/// Who is signed in on this request, if anyone.
#[server(endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(session::current_user().map(|user| user.viewer))
}

/// Where a new account goes once its address is confirmed: everyone starts by filling
/// their profile; a host who came from an artist's page is brought back to it afterwards.
#[cfg(feature = "ssr")]
pub(crate) fn first_page(role: Role, next: Option<&str>) -> String {
    match (role, next.and_then(safe_return_path)) {
        (Role::Host, Some(next)) => with_return(PROFILE, next),
        _ => PROFILE.to_owned(),
    }
}

/// Sets the session and device cookies of a session just opened, and sends a browser that
/// posted a plain form to `target`.
#[cfg(feature = "ssr")]
pub(crate) fn start_session(
    state: &crate::state::AppState,
    opened: Opened,
    target: &str,
) -> Viewer {
    set_cookie(&session::session_cookie(opened.token, &state.config));
    set_cookie(&device::cookie(opened.device, &state.config));
    leptos_axum::redirect(target);
    opened.viewer
}

/// Adds `cookie` to the server function's response.
#[cfg(feature = "ssr")]
pub fn set_cookie(cookie: &cookie::Cookie<'_>) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Sends a password reset link to `email` if an account has it; the same answer either way.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    respond(
        async {
            let keep = |error: AppError| error.keeping(&[("email", &email)]);
            let parsed = Email::parse(&email).map_err(keep)?;
            let state = app_state()?;
            let ip = client_ip(&request_parts()?, state.config.trust_forwarded_for);
            accounts::request_password_reset(&state, parsed, &ip)
                .await
                .map_err(keep)?;
            leptos_axum::redirect(&with_query(FORGOT_PASSWORD, &[("envoye", "1")]));
            Ok(())
        }
        .await,
    )
}

/// Sets a new password with the link's `token`; every session of the account ends, and this
/// browser gets a device cookie.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    respond(
        async {
            let password = NewPassword::parse(&password)?;
            let state = app_state()?;
            let device = accounts::reset_password(&state, &token, password).await?;
            set_cookie(&device::cookie(device, &state.config));
            leptos_axum::redirect(&with_query(SIGN_IN, &[("reinitialise", "1")]));
            Ok(())
        }
        .await,
    )
}

/// Changes the signed-in user's password; their other sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, password: String) -> Result<(), AppError> {
    respond(
        async {
            let user = session::current_user().ok_or(AppError::Unauthorized)?;
            let password = NewPassword::parse(&password)?;
            let state = app_state()?;
            let device =
                accounts::change_password(&state, &user, &current_password, password).await?;
            set_cookie(&device::cookie(device, &state.config));
            Ok(())
        }
        .await,
    )
}
