//! `/profil`: the signed-in user's account, each feature's part of it in turn; and the pages
//! of e-mail links (`emails`).

mod emails;

pub use emails::{ConfirmAddressPage, UnsubscribePage};

use crate::{
    account::api::{DeleteAccount, DownloadMyData},
    account::pages::emails::OwnEmailSettings,
    artists::{
        api::{music_type_suggestions, my_artist_profile},
        pages::ArtistEditor,
    },
    auth::{
        context::SignedIn,
        model::{PASSWORD_MAX_CHARS, Role},
        pages::ChangePasswordForm,
    },
    error::AppError,
    hosts::{
        api::{SaveHostProfile, my_host_profile},
        pages::HostEditor,
    },
    messaging::pages::BlockedPeople,
    paths::PRIVACY,
    places::api::list_regions,
    ui::{
        forms::{Field, FormError, Refusal, last_error, return_path, returned_error},
        loading::{LoadError, Loading},
    },
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::components::A;

/// The signed-in user's account: an artist edits their public profile here, a host their
/// confidential one.
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Mon profil" />
        <SignedIn children=|viewer| {
            let is_artist = viewer.role == Role::Artist;
            view! {
                <section class="page-heading">
                    <h1>"Mon profil"</h1>
                    <dl class="facts">
                        <dt>"Type de compte"</dt>
                        <dd>{viewer.role.label()}</dd>
                        <dt>"Adresse e-mail"</dt>
                        <dd>{viewer.email.clone()}</dd>
                    </dl>
                </section>
                {if is_artist {
                    Either::Left(view! { <OwnArtistProfile /> })
                } else {
                    Either::Right(view! { <OwnHostProfile /> })
                }}
                <OwnEmailSettings account_email=viewer.email.clone() />
                <BlockedPeople />
                <ChangePasswordForm refusal=Refusal::current() />
                <MyDataForm />
                <DeleteAccountForm />
            }
        } />
    }
}

/// Loads the host's saved profile, then shows the host editor.
#[component]
fn OwnHostProfile() -> impl IntoView {
    let profile = Resource::new(|| (), |_| my_host_profile());
    view! {
        <Suspense fallback=|| view! { <Loading text="Chargement de votre profil…" /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(initial) => Either::Left(view! {
                        <HostEditor initial next=return_path(returned_error::<SaveHostProfile>())()
                            refusal=Refusal::current() />
                    }),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}

/// Loads what the editor needs — the saved profile, the regions, type suggestions — in one
/// suspense (nested ones inside the editor broke its hydration), then shows the editor.
#[component]
fn OwnArtistProfile() -> impl IntoView {
    let profile = Resource::new(|| (), |_| my_artist_profile());
    let regions = Resource::new(|| (), |_| list_regions());
    let suggestions = Resource::new(|| (), |_| music_type_suggestions());
    view! {
        <Suspense fallback=|| view! { <Loading text="Chargement de votre profil…" /> }>
            {move || Suspend::new(async move {
                let loaded = async { Ok::<_, AppError>((profile.await?, regions.await?, suggestions.await?)) };
                match loaded.await {
                    Ok((initial, regions, suggestions)) => {
                        Either::Left(view! {
                            <ArtistEditor initial regions suggestions refusal=Refusal::current() />
                        })
                    }
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}

/// "Mes données": a plain form, whose answer is the file (the page stays where it is); a
/// refusal comes back to the page like any form's.
#[component]
fn MyDataForm() -> impl IntoView {
    let error = returned_error::<DownloadMyData>();
    view! {
        <section class="card" id="mes-donnees">
            <h2>"Mes données"</h2>
            <p>
                "Téléchargez tout ce que le site conserve sur vous : votre compte et vos réglages, votre profil, vos conversations avec tous leurs messages, vos concerts et leurs avis, vos signalements, et les e-mails que nous vous avons envoyés ces 30 derniers jours. Le fichier est au format JSON, que d'autres services savent lire. "
                <A href=PRIVACY>"Ce que nous conservons"</A>
            </p>
            <form method="post" action={<DownloadMyData as ServerFn>::PATH}>
                <FormError error />
                <button type="submit" class="button secondary">"Télécharger mes données"</button>
            </form>
        </section>
    }
}

/// The end of `/profil`: deleting the account, confirmed by the password.
#[component]
pub fn DeleteAccountForm() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let error = last_error(action);
    view! {
        <section class="card danger-zone">
            <h2>"Supprimer mon compte"</h2>
            <p>
                "Votre profil disparaît aussitôt et vous ne recevrez plus aucun e-mail. Vos messages restent lisibles par les personnes avec qui vous avez échangé, signés « Compte supprimé ». C'est définitif. "
                <A href=PRIVACY>"Ce que nous conservons"</A>
            </p>
            <ActionForm action>
                <FormError error />
                <Field label="Votre mot de passe, pour confirmer" name="password" kind="password"
                    autocomplete="current-password" required=true maxlength=PASSWORD_MAX_CHARS error />
                <button type="submit" class="button danger" disabled=move || action.pending().get()>
                    "Supprimer définitivement mon compte"
                </button>
            </ActionForm>
        </section>
    }
}
