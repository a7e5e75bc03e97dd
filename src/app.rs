//! The HTML shell, the application's routes and its page layout.

use crate::{
    account::pages::{AccountPage, ConfirmAddressPage, UnsubscribePage},
    artists::pages::{ArtistProfilePage, ArtistsPage, SearchPage},
    auth::{
        context::Auth,
        pages::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage},
    },
    concerts::pages::{ConcertPage, MyConcertsPage},
    hosts::pages::HostProfilePage,
    layout::{AddressToConfirm, SiteFooter, SiteHeader},
    live::signals::LiveStream,
    messaging::{
        pages::{MessagesPage, ThreadPage},
        signals::{LiveMessages, rendered_unread, with_unread_count},
    },
    moderation::pages::{ModerationHostPage, ModerationPage, ReportPage, ReportSentPage},
    pages::{HomePage, PrivacyPage},
    ui::not_found::NotFound,
};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

pub const SITE_NAME: &str = "Concerts dans mon salon";

/// The page around the app, written by the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let loads_app = crate::auth::context::page_loads_app();
    crate::ui::hydration::provide_page_loads_app(loads_app);
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
            {islands_loader(options)}
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

/// Leptos's loader of the islands without the two preload links `HydrationScripts` writes
/// before it: fetched at once at high priority, the app's script and wasm delayed the first
/// paint of members' pages (Lighthouse LCP 1.8-2.0 s with them, 0.8-0.9 s without). The loader
/// itself fetches both when the page is idle, as it always did.
#[cfg(feature = "ssr")]
fn islands_loader(options: LeptosOptions) -> impl IntoView {
    let rendered = view! { <HydrationScripts options islands=true /> }.to_html();
    let loader = first_script_text(&rendered).unwrap_or_else(|| {
        tracing::error!("no <script> in HydrationScripts' output: members' pages will not hydrate");
        ""
    });
    view! { <script type="module" nonce=leptos::nonce::use_nonce() inner_html=loader.to_owned()></script> }
}

/// The text inside the first `<script>` element of `html`.
#[cfg(feature = "ssr")]
fn first_script_text(html: &str) -> Option<&str> {
    let open = html.find("<script")?;
    let text_start = open + html[open..].find('>')? + 1;
    let text_len = html[text_start..].find("</script>")?;
    Some(&html[text_start..text_start + text_len])
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

/// Everything inside the router: the unread count depends on the page shown.
#[component]
fn SiteLayout() -> impl IntoView {
    LiveMessages::provide(LiveStream::provide());
    let unread = rendered_unread();
    // leptos_meta calls the title's formatter while it writes `<head>`, after the page has
    // rendered and outside the request's reactive arena: a `Copy` handle read there would be
    // looked up in whichever request's arena ran last on that thread (a panic, or another
    // visitor's count). A reference-counted handle reads right anywhere.
    let unread_for_title = ArcResource::from(unread);
    view! {
        <Title formatter=move |page: String| {
            let title = if page.is_empty() { SITE_NAME.to_owned() } else { format!("{page} · {SITE_NAME}") };
            title_text(with_unread_count(title, unread_for_title.get().unwrap_or(0)))
        } />
        <a class="skip-link" href="#contenu">
            "Aller au contenu"
        </a>
        <SiteHeader unread />
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
                <Route path=path!("concerts") view=MyConcertsPage ssr=SsrMode::Async />
                <Route path=path!("concerts/:id") view=ConcertPage ssr=SsrMode::Async />
                <Route path=path!("artistes") view=ArtistsPage ssr=SsrMode::Async />
                <Route path=path!("artistes/:slug") view=ArtistProfilePage ssr=SsrMode::Async />
                <Route path=path!("hotes/:id") view=HostProfilePage ssr=SsrMode::Async />
                <Route path=path!("recherche") view=SearchPage ssr=SsrMode::Async />
                <Route path=path!("desabonnement") view=UnsubscribePage ssr=SsrMode::Async />
                <Route path=path!("confidentialite") view=PrivacyPage ssr=SsrMode::Async />
                <Route path=path!("adresse/confirmer") view=ConfirmAddressPage ssr=SsrMode::Async />
                <Route path=path!("mot-de-passe-oublie") view=ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("mot-de-passe/nouveau") view=ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("signaler/merci") view=ReportSentPage ssr=SsrMode::Async />
                <Route path=path!("signaler/:sujet/:cle") view=ReportPage ssr=SsrMode::Async />
                <Route path=path!("moderation") view=ModerationPage ssr=SsrMode::Async />
                <Route path=path!("moderation/hotes/:id") view=ModerationHostPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <SiteFooter />
    }
}
