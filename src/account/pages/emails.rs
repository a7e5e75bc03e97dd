//! The e-mail settings in `/profil`, and the pages links in e-mails open: confirming an
//! address, unsubscribing.

use crate::{
    account::api::{
        ConfirmEmailChange, RequestEmailChange, SetEmailNotifications, Unsubscribe,
        my_email_settings,
    },
    auth::model::EMAIL_MAX_CHARS,
    error::AppError,
    mail::model::EmailSettings,
    paths::PROFILE,
    ui::{
        forms::{Field, FormError, Refusal, SubmitButton, last_error, provide_in_island},
        loading::{LoadError, Loading},
    },
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

/// Loads the settings, then shows them.
#[component]
pub fn OwnEmailSettings(account_email: String) -> impl IntoView {
    let settings = Resource::new(|| (), |_| my_email_settings());
    let account_email = StoredValue::new(account_email);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let account_email = account_email.get_value();
                match settings.await {
                    Ok(settings) => Either::Left(view! {
                        <EmailSettingsEditor settings account_email refusal=Refusal::current() />
                    }),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}

/// The switch and the address changes, each saying in place what it did.
#[island(lazy)]
fn EmailSettingsEditor(
    settings: EmailSettings,
    account_email: String,
    refusal: Option<Refusal>,
) -> impl IntoView {
    provide_in_island(refusal);
    let switch = ServerAction::<SetEmailNotifications>::new();
    let error = last_error(switch);
    let address = settings.notify_email.clone();
    let on = move || {
        switch
            .value()
            .get()
            .and_then(Result::ok)
            .map_or(settings.notifications, |saved| saved.notifications)
    };
    view! {
        <section class="card" id="e-mails">
            <h2>"Recevoir mes messages par e-mail"</h2>
            <p>
                {move || if on() {
                    Either::Left(view! { "Activé : chaque nouveau message vous est envoyé à " <strong>{address.clone()}</strong> ", sauf si vous l'avez déjà lu sur le site." })
                } else {
                    Either::Right(view! { "Désactivé : vos messages vous attendent sur le site, dans « Messages »." })
                }}
            </p>
            <ActionForm action=switch attr:class="inline-form">
                <FormError error />
                <input type="hidden" name="enabled" value=move || (!on()).to_string() />
                {move || if on() {
                    view! { <SubmitButton label="Ne plus recevoir mes messages par e-mail" working="Enregistrement…" pending=switch.pending() /> }
                } else {
                    view! { <SubmitButton label="Recevoir mes messages par e-mail" working="Enregistrement…" pending=switch.pending() /> }
                }}
            </ActionForm>
            <AddressChange kind="notify" label="Recevoir mes messages à une autre adresse"
                current=settings.notify_email.clone() />
            <AddressChange kind="account" label="Changer l'adresse de mon compte (celle qui sert à me connecter)"
                current=account_email.clone() />
        </section>
    }
}

/// A new address, which changes only once the link sent to it is opened.
#[component]
fn AddressChange(kind: &'static str, label: &'static str, current: String) -> impl IntoView {
    let action = ServerAction::<RequestEmailChange>::new();
    let error = last_error(action);
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <details class="address-change">
            <summary>{label}</summary>
            <ActionForm action>
                <FormError error />
                <input type="hidden" name="kind" value=kind />
                <Field label="Nouvelle adresse" name="email" kind="email" autocomplete="email"
                    required=true keep=true maxlength=EMAIL_MAX_CHARS error
                    placeholder="prenom@exemple.fr" />
                <p class="field-hint">{format!("Actuellement : {current}. Nous envoyons un lien à la nouvelle adresse ; elle remplace l'ancienne quand vous l'ouvrez.")}</p>
                <Field label="Mot de passe actuel" name="current_password" kind="password"
                    autocomplete="current-password" required=true error
                    hint="Pour être sûrs que c'est bien vous : nous prévenons aussi l'adresse de votre compte." />
                {move || sent().then(|| view! {
                    <p class="notice success" role="status">"Lien envoyé : ouvrez-le depuis la nouvelle adresse pour confirmer."</p>
                })}
                <SubmitButton label="Envoyer le lien de confirmation" working="Envoi…" pending=action.pending() />
            </ActionForm>
        </details>
    }
}

/// A page opened from a link in an e-mail: the link's `?jeton=`, and whether its one action
/// is done (just now, or before a redirect without JavaScript, which adds `?fait=1`). The page
/// carries the link's one-time token: no cache keeps it.
fn opened_link<S>(action: ServerAction<S>) -> (impl Fn() -> String + Copy, impl Fn() -> bool + Copy)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    crate::page_cache::forbid_storing();
    let query = use_query_map();
    let token = move || query.read().get("jeton").unwrap_or_default();
    let done = move || {
        action.value().with(|value| matches!(value, Some(Ok(_))))
            || query.read().get("fait").is_some()
    };
    (token, done)
}

/// `/adresse/confirmer?jeton=…`: the link sent to a new account's address, or to a new
/// address; one button confirms (nothing changes on a GET).
#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = last_error(action);
    let (token, done) = opened_link(action);
    let query = use_query_map();
    let next = move || query.read().get("suite");
    view! {
        <Title text="Confirmer l'adresse" />
        <Meta name="robots" content="noindex" />
        <section class="card narrow">
            <h1>"Confirmer votre adresse e-mail"</h1>
            {move || if done() {
                Either::Left(view! {
                    <p class="notice success" role="status">"C'est fait : votre adresse est confirmée."</p>
                    <A href=PROFILE>"Mon profil"</A>
                })
            } else {
                Either::Right(view! {
                    <ActionForm action>
                        <FormError error />
                        <input type="hidden" name="token" value=token />
                        // Where a new account goes after its profile (a host from an artist's page).
                        {next().map(|next| view! { <input type="hidden" name="next" value=next /> })}
                        <SubmitButton label="Confirmer cette adresse" working="Enregistrement…" pending=action.pending() />
                    </ActionForm>
                })
            }}
        </section>
    }
}

/// `/desabonnement?jeton=…`: the link of every e-mail; one button, no sign-in.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let action = ServerAction::<Unsubscribe>::new();
    let error = last_error(action);
    let (token, done) = opened_link(action);
    view! {
        <Title text="Ne plus recevoir les e-mails" />
        <Meta name="robots" content="noindex" />
        <section class="card narrow">
            <h1>"Ne plus recevoir vos messages par e-mail"</h1>
            {move || if done() {
                Either::Left(view! {
                    <p class="notice success" role="status">
                        "C'est fait : vous ne recevrez plus vos messages par e-mail. Ils vous attendent sur le site, et vous pouvez réactiver les e-mails depuis "
                        <A href=PROFILE>"Mon profil"</A> "."
                    </p>
                })
            } else {
                Either::Right(view! {
                    <p>"Vos messages resteront lisibles sur le site, dans « Messages »."</p>
                    <ActionForm action>
                        <FormError error />
                        <input type="hidden" name="token" value=token />
                        <SubmitButton label="Ne plus recevoir d'e-mails" working="Enregistrement…" pending=action.pending() />
                    </ActionForm>
                })
            }}
        </section>
    }
}
