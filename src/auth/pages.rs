//! Sign-up and sign-in pages. Both work without JavaScript (a plain form post, redirected)
//! and with it; on error they show the message and keep what was typed, never the password.

use crate::{
    auth::api::{ChangePassword, RequestPasswordReset, ResetPassword, SignIn, SignUp},
    auth::model::{EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, RESET_VALIDITY, UNCONFIRMED_DAYS},
    error::AppError,
    paths::{FORGOT_PASSWORD, SIGN_IN, SIGN_UP, SIGN_UP_HOST, with_return},
    ui::forms::{
        Field, FormError, Refusal, ReturnField, SubmitButton, last_error, on_success,
        provide_in_island, return_path,
    },
    ui::time::in_words,
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn SignUpPage() -> impl IntoView {
    // Actions live inside the routes: only there can they read an error that a form
    // posted without JavaScript brought back in the URL.
    let action = ServerAction::<SignUp>::new();
    let error = last_error(action);
    let query = use_query_map();
    // The role typed before an error wins; otherwise the one the home page link suggested.
    let chosen_role = move || {
        error
            .get()
            .and_then(|error| error.kept_value("role").map(str::to_owned))
            .or_else(|| {
                query.read().get("role").map(|role| match role.as_str() {
                    "hote" => "host".to_owned(),
                    _ => "artist".to_owned(),
                })
            })
    };
    let role_error = move || error.get().filter(|error| error.field() == Some("role"));
    let next = return_path(error);
    let sign_in = move || with_return(SIGN_IN, &next());
    // Sent: just now, or before the redirect of a form posted without JavaScript.
    let sent = move || {
        action.value().with(|value| matches!(value, Some(Ok(()))))
            || query.read().get("envoye").is_some()
    };
    view! {
        <Title text="Créer un compte" />
        <section class="card narrow">
            <h1>"Créer un compte"</h1>
            <Show when=sent fallback=move || view! { <SignUpForm action error chosen_role role_error /> }>
                <div class="notice success" role="status">
                    <p><strong>"Il reste une étape : ouvrez le lien que nous venons d'envoyer à votre adresse e-mail."</strong></p>
                    <p>{format!("Il confirme votre adresse et vous connecte, pour compléter votre profil. Il est valable {UNCONFIRMED_DAYS} jours.")}</p>
                </div>
                <p>"Rien reçu d'ici quelques minutes ? Regardez dans vos indésirables. Une faute dans l'adresse ? "
                    <A href=SIGN_UP>"Inscrivez-vous à nouveau"</A> "."</p>
            </Show>
            <p class="aside">"Déjà inscrit ? " <A href=sign_in>"Connectez-vous"</A></p>
        </section>
    }
}

/// The sign-up form itself, kept filled after a refusal (never the password).
#[component]
fn SignUpForm(
    action: ServerAction<SignUp>,
    error: Signal<Option<AppError>>,
    chosen_role: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    role_error: impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
            <p class="lead">"Gratuit, sans engagement. Vous complétez votre profil juste après."</p>
            <ActionForm action>
                <FormError error />
                <ReturnField error />
                <fieldset class="role-choice" aria-invalid=move || role_error().map(|_| "true")>
                    <legend>"Vous êtes…"</legend>
                    <label class="choice">
                        <input
                            type="radio"
                            name="role"
                            value="artist"
                            required
                            checked=move || chosen_role().as_deref() == Some("artist")
                        />
                        <span>
                            <strong>"Artiste"</strong>
                            " — je propose des concerts à domicile"
                        </span>
                    </label>
                    <label class="choice">
                        <input
                            type="radio"
                            name="role"
                            value="host"
                            checked=move || chosen_role().as_deref() == Some("host")
                        />
                        <span>
                            <strong>"Hôte"</strong>
                            " — particulier ou entreprise, je veux accueillir un concert"
                        </span>
                    </label>
                    {move || {
                        role_error()
                            .map(|error| view! { <p class="field-error" role="alert">{error.to_string()}</p> })
                    }}
                </fieldset>
                <Field
                    label="Adresse e-mail"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    hint="Elle sert à vous connecter ; elle n'est jamais montrée aux autres membres."
                    required=true
                    keep=true
                    maxlength=EMAIL_MAX_CHARS
                    error
                />
                <Field
                    label="Mot de passe"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint=PASSWORD_HINT
                    required=true
                    maxlength=PASSWORD_MAX_CHARS
                    error
                />
                <SubmitButton label="Créer mon compte" working="Création…" pending=action.pending() />
            </ActionForm>
    }
}

/// Kept in step with `PASSWORD_MIN_CHARS` and `PASSWORD_MAX_CHARS` by a test below.
const PASSWORD_HINT: &str =
    "Entre 10 et 128 caractères. Une phrase facile à retenir fait un bon mot de passe.";

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = last_error(action);
    let query = use_query_map();
    let next = return_path(error);
    // Someone sent here from a page (an artist's, to write to them) signs up as a host.
    let sign_up = move || match next() {
        next if next.is_empty() => SIGN_UP.to_owned(),
        next => with_return(SIGN_UP_HOST, &next),
    };
    view! {
        <Title text="Se connecter" />
        <section class="card narrow">
            <h1>"Se connecter"</h1>
            {move || query.read().get("reinitialise").is_some().then(|| view! {
                <p class="notice success" role="status">"Votre mot de passe a été changé. Connectez-vous avec le nouveau."</p>
            })}
            <ActionForm action>
                <FormError error />
                <ReturnField error />
                <Field
                    label="Adresse e-mail"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    keep=true
                    maxlength=EMAIL_MAX_CHARS
                    error
                />
                <Field
                    label="Mot de passe"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    maxlength=PASSWORD_MAX_CHARS
                    error
                />
                <SubmitButton label="Se connecter" working="Connexion…" pending=action.pending() />
            </ActionForm>
            <p class="aside"><A href=FORGOT_PASSWORD>"Mot de passe oublié ?"</A></p>
            <p class="aside">
                "Pas encore de compte ? " <A href=sign_up>"Inscrivez-vous"</A>
            </p>
        </section>
    }
}

/// `/mot-de-passe-oublie`: asks for a reset link. The answer never says whether the address
/// has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = last_error(action);
    let query = use_query_map();
    let sent = move || {
        matches!(action.value().get(), Some(Ok(()))) || query.read().get("envoye").is_some()
    };
    view! {
        <Title text="Mot de passe oublié" />
        <section class="card narrow">
            <h1>"Mot de passe oublié"</h1>
            {move || if sent() {
                Either::Left(view! {
                    <p class="notice success" role="status">
                        {format!("Si un compte existe avec cette adresse, nous venons d'y envoyer un lien pour choisir un nouveau mot de passe. Il sert une fois, pendant {}. Pensez à regarder dans les courriers indésirables.", in_words(RESET_VALIDITY))}
                    </p>
                })
            } else {
                Either::Right(view! {
                    <p>"Indiquez l'adresse de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe."</p>
                    <ActionForm action>
                        <FormError error />
                        <Field label="Adresse e-mail" name="email" kind="email" autocomplete="email"
                            required=true keep=true maxlength=EMAIL_MAX_CHARS error />
                        <SubmitButton label="Recevoir un lien" working="Envoi…" pending=action.pending() />
                    </ActionForm>
                })
            }}
            <p class="aside"><A href=SIGN_IN>"Retour à la connexion"</A></p>
        </section>
    }
}

/// `/mot-de-passe/nouveau?jeton=…`: the page of the reset link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    // The page carries the link's one-time token: no cache keeps it.
    #[cfg(feature = "ssr")]
    crate::page_cache::forbid_storing();
    let action = ServerAction::<ResetPassword>::new();
    let error = last_error(action);
    let query = use_query_map();
    let token = move || query.read().get("jeton").unwrap_or_default();
    view! {
        <Title text="Nouveau mot de passe" />
        <Meta name="robots" content="noindex" />
        <section class="card narrow">
            <h1>"Choisir un nouveau mot de passe"</h1>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="token" value=token />
                <Field label="Nouveau mot de passe" name="password" kind="password"
                    autocomplete="new-password" hint=PASSWORD_HINT required=true
                    maxlength=PASSWORD_MAX_CHARS error />
                <SubmitButton label="Enregistrer le mot de passe" working="Enregistrement…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// The password change of `/profil`: the current password, then the new one; it says in
/// place when it is done.
#[island(lazy)]
pub fn ChangePasswordForm(refusal: Option<Refusal>) -> impl IntoView {
    provide_in_island(refusal);
    let action = ServerAction::<ChangePassword>::new();
    let error = last_error(action);
    let form = NodeRef::<leptos::html::Form>::new();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    on_success(action, move |()| {
        if let Some(form) = form.get_untracked() {
            form.reset();
        }
    });
    view! {
        <section class="card">
            <h2>"Mot de passe"</h2>
            <ActionForm action node_ref=form>
                <FormError error />
                <Field label="Mot de passe actuel" name="current_password" kind="password"
                    autocomplete="current-password" required=true maxlength=PASSWORD_MAX_CHARS error />
                <Field label="Nouveau mot de passe" name="password" kind="password"
                    autocomplete="new-password" hint=PASSWORD_HINT required=true
                    maxlength=PASSWORD_MAX_CHARS error />
                {move || done().then(|| view! {
                    <p class="notice success" role="status">"Mot de passe changé. Vos autres sessions ont été fermées."</p>
                })}
                <SubmitButton label="Changer le mot de passe" working="Enregistrement…" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::PASSWORD_MIN_CHARS;

    #[test]
    fn password_hint_states_the_real_limits() {
        assert!(PASSWORD_HINT.contains(&format!(
            "Entre {PASSWORD_MIN_CHARS} et {PASSWORD_MAX_CHARS}"
        )));
    }
}
