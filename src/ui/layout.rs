//! Header, footer, and the guard for pages that need a signed-in user.

use crate::{app::Auth, auth::model::Viewer, live::signals::Live, messaging::model::unread_label};
use leptos::{either::Either, prelude::*};
use leptos_router::{
    components::{A, Redirect},
    hooks::use_location,
};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let live = expect_context::<Live>();
    let unread = live.unread_total();
    let links = move || {
        Suspend::new(async move {
            live.ready().await;
            match auth.viewer.await {
                Ok(Some(_)) => Either::Left(view! {
                    <li><A href="/messages">"Messages" <UnreadBadge count=unread /></A></li>
                    <li><A href="/profil">"Mon profil"</A></li>
                    <li>
                        <ActionForm action=auth.sign_out attr:class="inline-form">
                            <button type="submit" class="link-button">"Se déconnecter"</button>
                        </ActionForm>
                    </li>
                }),
                _ => Either::Right(view! {
                    <li><A href="/connexion">"Se connecter"</A></li>
                    <li><A href="/inscription" attr:class="button-link">"S'inscrire"</A></li>
                }),
            }
        })
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"♪"</span>
                "Concerts dans mon salon"
            </a>
            <nav aria-label="Navigation principale">
                <ul class="nav-list">
                    <li><A href="/artistes">"Artistes"</A></li>
                    <li><A href="/recherche">"Rechercher"</A></li>
                    <Transition fallback=|| ()>{links}</Transition>
                </ul>
            </nav>
        </header>
    }
}

/// The number of unread messages, if any, read out in full by screen readers.
#[component]
fn UnreadBadge(count: Signal<i64>) -> impl IntoView {
    move || {
        let count = count.get();
        (count > 0).then(|| {
            view! {
                " "
                <span class="badge" aria-hidden="true">{count}</span>
                <span class="visually-hidden">{format!("({})", unread_label(count))}</span>
            }
        })
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Concerts dans mon salon — la musique vivante, au plus près de chez vous."</p>
            <nav aria-label="Liens du pied de page">
                <ul class="footer-links">
                    <li><A href="/">"Accueil"</A></li>
                    <li><A href="/artistes">"Les artistes"</A></li>
                    <li><A href="/inscription">"Créer un compte"</A></li>
                    <li><A href="/confidentialite">"Confidentialité"</A></li>
                </ul>
            </nav>
        </footer>
    }
}

/// Shows `children` to a signed-in user; anyone else is sent to the sign-in page, which
/// brings them back here afterwards.
#[component]
pub fn SignedIn<F, V>(children: F) -> impl IntoView
where
    F: Fn(Viewer) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let auth = expect_context::<Auth>();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {
                let children = children.clone();
                move || {
                    let children = children.clone();
                    Suspend::new(async move {
                        match auth.viewer.await {
                            Ok(Some(viewer)) => Either::Left(children(viewer)),
                            _ => {
                                let here = location.pathname.get_untracked();
                                Either::Right(view! { <Redirect path=format!("/connexion?suite={here}") /> })
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
}
