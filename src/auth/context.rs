//! Who is signed in, as pages see it: the viewer shared by the header and the pages, the
//! guard of pages that need a signed-in user, and whether a page loads the app at all.

use crate::{
    auth::{api::current_viewer, model::Viewer},
    error::AppError,
    paths::{SIGN_IN, with_return},
    ui::loading::Loading,
};
use leptos::{either::Either, prelude::*};
use leptos_router::hooks::use_location;

/// Whether the page being rendered loads the app (WebAssembly) and hydrates. A visitor's
/// page does not: every public page works as plain HTML (links, GET forms, forms posted
/// without JavaScript), and most visitors read a profile or two on a phone, for whom the
/// app's download would only delay the page. Members' pages do, for live messages and the
/// editors. In the browser the answer is always yes: only a page that loaded the app runs it.
pub fn page_loads_app() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::auth::session::current_user().is_some()
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// Who is signed in, shared by the header and the pages (rendered on the server: a form
/// that changes the session is a post, and the page after it reads the session again).
#[derive(Clone, Copy)]
pub struct Auth {
    pub viewer: Resource<Result<Option<Viewer>, AppError>>,
}

impl Auth {
    /// Puts the viewer in the app's context, for every page and the header.
    pub fn provide() -> Self {
        let auth = Auth {
            viewer: Resource::new(|| (), |()| current_viewer()),
        };
        provide_context(auth);
        auth
    }
}

/// Shows `children` to a signed-in user; anyone else is sent to the sign-in page, which
/// brings them back here afterwards: a `303 See Other` whatever the client accepts (a
/// visitor without JavaScript, a crawler).
#[component]
pub fn SignedIn<F, V>(children: F) -> impl IntoView
where
    F: Fn(Viewer) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let auth = expect_context::<Auth>();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {
                let children = children.clone();
                move || {
                    let children = children.clone();
                    Suspend::new(async move {
                        match auth.viewer.await {
                            Ok(Some(viewer)) => Either::Left(children(viewer)),
                            _ => {
                                let search = location.search.get_untracked();
                                let query = search.trim_start_matches('?');
                                let here = if query.is_empty() {
                                    location.pathname.get_untracked()
                                } else {
                                    format!("{}?{query}", location.pathname.get_untracked())
                                };
                                Either::Right(to_sign_in(&with_return(SIGN_IN, &here)))
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn to_sign_in(target: &str) -> impl IntoView + use<> {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(target),
    ) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, location);
    }
    view! { <p><a href=target.to_owned()>"Connectez-vous pour continuer."</a></p> }
}
