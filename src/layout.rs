//! The frame of every page: the header (with the live unread count), the notice of an
//! address to confirm, and the footer. Composition code: it uses several features.

use crate::{
    auth::{
        api::{ResendConfirmation, SignOut},
        context::Auth,
    },
    messaging::signals::LiveUnreadBadge,
    paths::{ARTISTS, HOME, MESSAGES, MY_CONCERTS, PRIVACY, PROFILE, SEARCH, SIGN_IN, SIGN_UP},
    ui::forms::{FormError, Refusal, last_error, provide_in_island},
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};
use leptos_router::components::A;

/// The header; a member's shows their unread count (`unread`: the page's), kept live.
#[component]
pub fn SiteHeader(unread: Resource<i64>) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let links = move || {
        Suspend::new(async move {
            let unread = unread.await;
            match auth.viewer.await {
                Ok(Some(_)) => Either::Left(view! {
                    <li><a href=MESSAGES>"Messages" <LiveUnreadBadge rendered=unread /></a></li>
                    <li><A href=MY_CONCERTS>"Mes concerts"</A></li>
                    <li><A href=PROFILE>"Mon profil"</A></li>
                    <li>
                        <form method="post" action={<SignOut as ServerFn>::PATH} class="inline-form">
                            <button type="submit" class="link-button">"Se déconnecter"</button>
                        </form>
                    </li>
                }),
                _ => Either::Right(view! {
                    <li><A href=SIGN_IN>"Se connecter"</A></li>
                    <li><A href=SIGN_UP attr:class="button-link">"S'inscrire"</A></li>
                }),
            }
        })
    };
    view! {
        <header class="site-header">
            <a class="brand" href=HOME>
                <span class="brand-mark" aria-hidden="true">"♪"</span>
                "Concerts dans mon salon"
            </a>
            <nav aria-label="Navigation principale">
                <ul class="nav-list">
                    <li><A href=ARTISTS>"Artistes"</A></li>
                    <li><A href=SEARCH>"Rechercher"</A></li>
                    <Transition fallback=|| ()>{links}</Transition>
                </ul>
            </nav>
        </header>
    }
}

/// Until the signed-in account confirms its address: what waits, and a new link on request.
#[component]
pub fn AddressToConfirm() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let banner = move || {
        Suspend::new(async move {
            let viewer = auth.viewer.await.ok().flatten()?;
            (!viewer.verified).then(|| {
                view! {
                    <aside class="notice address-banner" aria-label="Adresse à confirmer">
                        <p>
                            <strong>"Confirmez votre adresse e-mail. "</strong>
                            {format!(
                                "Nous avons envoyé un lien à {}. En attendant, vous pouvez préparer votre profil, mais pas le publier ni écrire à quelqu'un.",
                                viewer.email,
                            )}
                        </p>
                        <ResendConfirmationForm refusal=Refusal::current() />
                    </aside>
                }
            })
        })
    };
    view! { <Transition fallback=|| ()>{banner}</Transition> }
}

/// "Renvoyer le lien", which says so in place once sent.
#[island]
fn ResendConfirmationForm(refusal: Option<Refusal>) -> impl IntoView {
    provide_in_island(refusal);
    let resend = ServerAction::<ResendConfirmation>::new();
    let error = last_error(resend);
    let sent = move || matches!(resend.value().get(), Some(Ok(())));
    view! {
        <ActionForm action=resend attr:class="inline-form">
            <FormError error />
            {move || if sent() {
                Either::Left(view! { <p role="status">"Nouveau lien envoyé : regardez aussi dans vos indésirables."</p> })
            } else {
                Either::Right(view! { <button type="submit" class="link-button">"Renvoyer le lien"</button> })
            }}
        </ActionForm>
    }
}

/// The footer; "Créer un compte" is offered to visitors only.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let sign_up = move || {
        Suspend::new(async move {
            let signed_in = matches!(auth.viewer.await, Ok(Some(_)));
            (!signed_in).then(|| view! { <li><A href=SIGN_UP>"Créer un compte"</A></li> })
        })
    };
    view! {
        <footer class="site-footer">
            <p>"Concerts dans mon salon — la musique vivante, au plus près de chez vous."</p>
            <nav aria-label="Liens du pied de page">
                <ul class="footer-links">
                    <li><A href=HOME>"Accueil"</A></li>
                    <li><A href=ARTISTS>"Les artistes"</A></li>
                    <Transition fallback=|| ()>{sign_up}</Transition>
                    <li><A href=PRIVACY>"Confidentialité"</A></li>
                </ul>
            </nav>
        </footer>
    }
}
