//! The "Contacter" block of an artist's page, and the first message a host writes there.

use crate::{
    messaging::{
        api::WriteToArtist,
        model::{ContactState, limits},
        pages::BlockButton,
    },
    paths::{PROFILE, SIGN_IN, SIGN_UP_HOST, artist_path, thread_path, with_return},
    ui::forms::{Field, FormError, SubmitButton, last_error},
};
use leptos::{either::Either, prelude::*};
use leptos_router::components::A;

/// The "Contacter" block of an artist's page: a host writes here; anyone else is told how to.
#[component]
pub fn ContactArtist(state: ContactState, slug: String, name: String) -> impl IntoView {
    let here = artist_path(&slug);
    let body = match state {
        ContactState::NotAHost => return None,
        ContactState::SignInRequired => Either::Left(view! {
            <p>
                "Pour contacter " {name.clone()} ", "
                <A href=with_return(SIGN_IN, &here)>"connectez-vous"</A>
                " ou "
                <A href=with_return(SIGN_UP_HOST, &here)>"créez un compte d'hôte"</A>
                ". C'est gratuit."
            </p>
        }.into_any()),
        ContactState::ProfileRequired => Either::Left(view! {
            <p>
                "Avant de contacter " {name.clone()}
                ", présentez-vous : un artiste voit le profil des hôtes qui lui écrivent (nom, commune, le lieu proposé)."
            </p>
            <A href=with_return(PROFILE, &here) attr:class="button">"Compléter mon profil d'hôte"</A>
        }.into_any()),
        ContactState::AddressUnconfirmed => Either::Left(view! {
            <p>
                "Pour écrire à " {name.clone()}
                ", confirmez d'abord votre adresse e-mail : ouvrez le lien que nous vous avons envoyé (vous pouvez en demander un nouveau en haut de la page)."
            </p>
        }.into_any()),
        ContactState::Open { artist_id, conversation_id } => Either::Right(view! {
            {conversation_id.map(|conversation| view! {
                <p class="notice">
                    "Vous êtes déjà en conversation avec " {name.clone()} ". "
                    <A href=thread_path(conversation)>"Voir la conversation"</A>
                </p>
            })}
            <WriteForm slug />
            <p class="block-hint">
                "Vous ne souhaitez plus d'échange avec " {name.clone()} " ? "
                <BlockButton person=artist_id blocked=false label="Bloquer cet artiste" />
            </p>
        }.into_any()),
        ContactState::BlockedByMe { artist_id, conversation_id } => Either::Left(view! {
            <p class="notice">
                {format!("Vous avez bloqué {name} : ni l'un ni l'autre ne peut écrire à l'autre. ")}
                {conversation_id.map(|conversation| view! {
                    <A href=thread_path(conversation)>"Voir la conversation"</A>
                })}
            </p>
            <BlockButton person=artist_id blocked=true label="Débloquer" />
        }.into_any()),
        ContactState::Closed { conversation_id } => Either::Left(view! {
            <p class="notice">
                "Cette conversation est fermée. "
                {conversation_id.map(|conversation| view! {
                    <A href=thread_path(conversation)>"Voir la conversation"</A>
                })}
            </p>
        }.into_any()),
    };
    Some(view! {
        <section class="card contact" id="contacter">
            <h2>{format!("Contacter {name}")}</h2>
            {body}
        </section>
    })
}

#[component]
fn WriteForm(slug: String) -> impl IntoView {
    let write = ServerAction::<WriteToArtist>::new();
    let error = last_error(write);
    view! {
        <ActionForm action=write>
            <FormError error />
            <input type="hidden" name="artist" value=slug />
            <Field label="Votre message" name="body" rows=6 required=true keep=true
                maxlength=limits::BODY error
                hint="Présentez votre projet : la date envisagée, le lieu, le nombre d'invités, ce que vous aimeriez entendre." />
            <SubmitButton label="Envoyer" working="Envoi…" pending=write.pending() />
        </ActionForm>
    }
}
