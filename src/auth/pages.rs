//! Sign-up and sign-in pages. Both work without JavaScript (a plain form post, redirected)
//! and with it; on error they show the message and keep what was typed, never the password.

use crate::{
    app::Auth,
    auth::api::{SignIn, SignUp},
    auth::model::{EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS},
    ui::forms::{Field, FormError, ReturnField, SubmitButton, last_error, return_path},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn SignUpPage() -> impl IntoView {
    // Actions live inside the routes: only there can they read an error that a form
    // posted without JavaScript brought back in the URL.
    let action = ServerAction::<SignUp>::new();
    expect_context::<Auth>().follow(action);
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
    let sign_in = move || with_return("/connexion", &next());
    view! {
        <Title text="Créer un compte" />
        <section class="card narrow">
            <h1>"Créer un compte"</h1>
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
            <p class="aside">"Déjà inscrit ? " <A href=sign_in>"Connectez-vous"</A></p>
        </section>
    }
}

/// `page` with `?suite=next` (or `&suite=`), or just `page` without `next`.
fn with_return(page: &str, next: &str) -> String {
    if next.is_empty() {
        return page.to_owned();
    }
    let separator = if page.contains('?') { '&' } else { '?' };
    let next = form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>();
    format!("{page}{separator}suite={next}")
}

/// Kept in step with `PASSWORD_MIN_CHARS` and `PASSWORD_MAX_CHARS` by a test below.
const PASSWORD_HINT: &str =
    "Entre 10 et 128 caractères. Une phrase facile à retenir fait un bon mot de passe.";

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    expect_context::<Auth>().follow(action);
    let error = last_error(action);
    let next = return_path(error);
    // Someone sent here from a page (an artist's, to write to them) signs up as a host.
    let sign_up = move || match next() {
        next if next.is_empty() => "/inscription".to_owned(),
        next => with_return("/inscription?role=hote", &next),
    };
    view! {
        <Title text="Se connecter" />
        <section class="card narrow">
            <h1>"Se connecter"</h1>
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
            <p class="aside">
                "Pas encore de compte ? " <A href=sign_up>"Inscrivez-vous"</A>
            </p>
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
