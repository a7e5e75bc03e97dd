//! The host's editor (in `/profil`) and the confidential profile page `/hotes/{id}`.

use crate::{
    concerts::pages::ReviewList,
    hosts::{
        api::{SaveHostProfile, host_reviews, visible_host_profile},
        model::{HostForm, HostProfile, limits},
    },
    paths::host_path,
    places::components::CityInput,
    ui::not_found::NotFound,
    ui::{
        forms::{Field, FormError, Refusal, SubmitButton, last_error, provide_in_island},
        loading::{Loading, by_route_id},
    },
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};

/// The host's editor. Without JavaScript a refused save comes back with what was typed.
/// `next`: the page a successful save leads back to (where the host was about to write to an
/// artist), if any.
#[island(lazy)]
pub fn HostEditor(
    initial: Option<HostProfile>,
    next: String,
    refusal: Option<Refusal>,
) -> impl IntoView {
    provide_in_island(refusal);
    let save = ServerAction::<SaveHostProfile>::new();
    let error = last_error(save);
    let typed = move |name: &str, saved: &dyn Fn(&HostProfile) -> String| {
        error
            .get_untracked()
            .and_then(|error| error.kept_value(name).map(str::to_owned))
            .or_else(|| initial.as_ref().map(saved))
            .unwrap_or_default()
    };
    let form = HostForm {
        name: typed("host[name]", &|p| p.name.clone()),
        city: typed("host[city]", &|p| {
            p.city.as_ref().map(|c| c.label()).unwrap_or_default()
        }),
        description: typed("host[description]", &|p| p.description.clone()),
    };
    let status = move || match save.value().get() {
        Some(Ok(profile)) => Some(view! {
            <p class="notice success" role="status">
                "Profil enregistré. "
                <a href=host_path(profile.id)>"Voir mon profil"</a>
            </p>
        }),
        _ => None,
    };
    view! {
        {(!next.is_empty()).then(|| view! {
            <p class="notice" role="status">
                "Une fois votre profil enregistré, vous reviendrez à la page d'où vous venez pour écrire à l'artiste."
            </p>
        })}
        <p class="notice">
            "Votre profil est confidentiel : seuls les artistes à qui vous écrivez peuvent le voir. Il n'apparaît dans aucune liste ni recherche."
        </p>
        <ActionForm action=save attr:class="profile-form" attr:novalidate=true>
            <FormError error />
            <input type="hidden" name="next" value=next />
            <fieldset class="card">
                <legend>"Votre profil d'hôte"</legend>
                <Field label="Votre nom" name="host[name]" required=true maxlength=limits::NAME
                    autocomplete="name" value=form.name error
                    hint="Votre nom, ou celui de votre entreprise ou association." />
                <CityInput label="Commune du lieu" name="host[city]" value=form.city error />
                <Field label="Le lieu que vous proposez" name="host[description]" rows=6
                    maxlength=limits::DESCRIPTION value=form.description error
                    hint="Type de lieu, nombre de personnes, accès, instruments sur place (piano…), tout ce qui aide un artiste à se projeter." />
            </fieldset>
            {status}
            <SubmitButton label="Enregistrer mon profil" working="Enregistrement…" pending=save.pending() />
        </ActionForm>
    }
}

/// `/hotes/{id}`: a host's profile, for the host and the artists they wrote to; a 404
/// for everyone else.
#[component]
pub fn HostProfilePage() -> impl IntoView {
    let profile = by_route_id(visible_host_profile);
    let reviews = by_route_id(host_reviews);
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => {
                        // A failure leaves the reviews out, not the profile.
                        let reviews = reviews.await.ok();
                        Either::Left(view! {
                        <Title text=profile.name.clone() />
                        <article class="card">
                            <h1>{profile.name}</h1>
                            <dl class="facts">
                                <dt>"Lieu"</dt>
                                <dd>{profile.city.map(|city| format!("{}, {}", city.label(), city.region.name))}</dd>
                            </dl>
                            <p class="prose">{profile.description}</p>
                        </article>
                        {reviews.map(|reviews| view! { <ReviewList reviews /> })}
                    })
                    }
                    Err(_) => Either::Right(view! { <NotFound /> }),
                }
            })}
        </Suspense>
    }
}
