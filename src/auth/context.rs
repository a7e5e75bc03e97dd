//! Who is signed in, as pages see it: the viewer shared by the header and the pages, the
//! guard of pages that need a signed-in user, and whether a page loads the app at all.

use crate::{
    auth::{
        api::{SignOut, current_viewer},
        model::Viewer,
    },
    error::AppError,
    paths::{SIGN_IN, with_return},
    ui::loading::Loading,
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};
#[cfg(not(feature = "ssr"))]
use leptos_router::components::Redirect;
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

/// Who is signed in, shared by the header and the pages. Pages that change the session
/// (sign-in, sign-up, sign-out) call `follow` on their action so the viewer is read again.
#[derive(Clone, Copy)]
pub struct Auth {
    pub sign_out: ServerAction<SignOut>,
    pub viewer: Resource<Result<Option<Viewer>, AppError>>,
    session_changes: RwSignal<u32>,
}

impl Auth {
    /// Puts the viewer in the app's context, for every page and the header.
    pub fn provide() -> Self {
        let sign_out = ServerAction::<SignOut>::new();
        let session_changes = RwSignal::new(0);
        let viewer = Resource::new(
            move || (session_changes.get(), sign_out.version().get()),
            |_| current_viewer(),
        );
        let auth = Auth {
            sign_out,
            viewer,
            session_changes,
        };
        provide_context(auth);
        auth
    }

    /// Whether someone is signed in, as far as the page knows (not while it is reading).
    pub fn signed_in(self) -> Signal<bool> {
        Signal::derive(move || matches!(self.viewer.get(), Some(Ok(Some(_)))))
    }

    /// Reads the viewer again each time `action` succeeds.
    pub fn follow<S>(self, action: ServerAction<S>)
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        crate::ui::forms::on_success(action, move |_| {
            self.session_changes.update(|count| *count += 1)
        });
    }
}

/// Shows `children` to a signed-in user; anyone else is sent to the sign-in page, which
/// brings them back here afterwards. On the server that is a `303 See Other` whatever the
/// client accepts (a visitor without JavaScript, a crawler); in the browser, a navigation.
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

#[cfg(feature = "ssr")]
fn to_sign_in(target: &str) -> impl IntoView + use<> {
    if let (Some(response), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(target),
    ) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, location);
    }
    view! { <p><a href=target.to_owned()>"Connectez-vous pour continuer."</a></p> }
}

#[cfg(not(feature = "ssr"))]
fn to_sign_in(target: &str) -> impl IntoView + use<> {
    view! { <Redirect path=target.to_owned() /> }
}
