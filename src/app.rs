//! The HTML shell, the application's routes and its page layout.

use crate::{
    artists::pages::{ArtistProfilePage, ArtistsPage, SearchPage},
    auth::api::{SignOut, current_viewer},
    auth::{
        model::Viewer,
        pages::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage},
    },
    error::AppError,
    hosts::pages::HostProfilePage,
    live::signals::{Live, LiveUpdates, with_unread_count},
    mail::pages::{ConfirmAddressPage, UnsubscribePage},
    messaging::pages::{MessagesPage, ThreadPage},
    pages::{AccountPage, HomePage, NotFound, PrivacyPage},
    ui::layout::{AddressToConfirm, SiteFooter, SiteHeader},
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

pub const SITE_NAME: &str = "Concerts dans mon salon";

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

/// The page around the app, written by the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let loads_app = page_loads_app();
    if !loads_app {
        // Nothing will hydrate: resources need not be serialised into the page (the
        // scripts Leptos still appends are cut by `page_cache`, as the policy forbids them).
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    set_content_security_policy(loads_app);
    if loads_app {
        // A member's page shows their own messages, profile or account.
        crate::page_cache::forbid_storing();
    }
    let app = loads_app.then(|| {
        view! {
            <AutoReload options=options.clone() />
            <HydrationScripts options />
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#7a2e3a" />
                // The stylesheet first: the page paints as soon as it arrives, whatever the
                // WebAssembly's download is at.
                <link rel="stylesheet" id="leptos" href=crate::static_files::stylesheet_href() />
                {app}
                <MetaTags />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/site.webmanifest" />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts run only with this response's nonce (Leptos adds it to its own inline scripts),
/// and none at all on a page that does not load the app; WebAssembly may compile; nothing
/// may frame the site.
#[cfg(feature = "ssr")]
fn set_content_security_policy(loads_app: bool) {
    use leptos::nonce::use_nonce;
    let Some(nonce) = use_nonce() else { return };
    let scripts = if loads_app {
        format!("'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'")
    } else {
        "'none'".to_owned()
    };
    // `make dev` reloads pages through cargo-leptos's websocket; production has none.
    let live_reload = use_context::<crate::state::AppState>()
        .filter(|state| !state.config.production)
        .map(|state| format!(" ws://127.0.0.1:{}", state.leptos_options.reload_port))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src {scripts}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{live_reload}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&policy),
    ) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
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
    fn provide() -> Self {
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

/// leptos_meta writes the title into the server's HTML unescaped: a stage name containing
/// "</title>" would inject markup. In the browser the title is set as plain text.
fn title_text(title: String) -> String {
    if cfg!(feature = "ssr") {
        title.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        title
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::form_refusals::provide_refusal();
    Auth::provide();
    view! {
        <Router>
            <SiteLayout />
        </Router>
    }
}

/// Everything inside the router: the live signals depend on the page shown.
#[component]
fn SiteLayout() -> impl IntoView {
    let unread = Live::provide().unread_total_for_title();
    view! {
        <Title formatter=move |page: String| {
            let title = if page.is_empty() { SITE_NAME.to_owned() } else { format!("{page} · {SITE_NAME}") };
            title_text(with_unread_count(title, unread()))
        } />
        <LiveUpdates />
        <a class="skip-link" href="#contenu">
            "Aller au contenu"
        </a>
        <SiteHeader />
        <AddressToConfirm />
        // Every page renders whole on the server (`SsrMode::Async`): its status and
        // <head> can depend on its data, and it reads right without JavaScript.
        <main id="contenu" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("inscription") view=SignUpPage ssr=SsrMode::Async />
                <Route path=path!("connexion") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("profil") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("messages") view=MessagesPage ssr=SsrMode::Async />
                <Route path=path!("messages/:id") view=ThreadPage ssr=SsrMode::Async />
                <Route path=path!("artistes") view=ArtistsPage ssr=SsrMode::Async />
                <Route path=path!("artistes/:slug") view=ArtistProfilePage ssr=SsrMode::Async />
                <Route path=path!("hotes/:id") view=HostProfilePage ssr=SsrMode::Async />
                <Route path=path!("recherche") view=SearchPage ssr=SsrMode::Async />
                <Route path=path!("desabonnement") view=UnsubscribePage ssr=SsrMode::Async />
                <Route path=path!("confidentialite") view=PrivacyPage ssr=SsrMode::Async />
                <Route path=path!("adresse/confirmer") view=ConfirmAddressPage ssr=SsrMode::Async />
                <Route path=path!("mot-de-passe-oublie") view=ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("mot-de-passe/nouveau") view=ResetPasswordPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <SiteFooter />
    }
}
