//! Whether the page being rendered loads the app (WebAssembly) and hydrates, for components
//! that render differently without it. The shell decides (`auth::context::page_loads_app`:
//! a member's page does, a visitor's does not) and says so here once per page.

#[cfg(feature = "ssr")]
use leptos::prelude::*;

#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
struct LoadsApp(bool);

/// Said by the shell, before the app renders.
#[cfg(feature = "ssr")]
pub fn provide_page_loads_app(loads_app: bool) {
    provide_context(LoadsApp(loads_app));
}

/// On the server, what the shell said (a page rendered outside it loads nothing); in the
/// browser always yes: only a page that loaded the app runs it.
pub fn page_loads_app() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<LoadsApp>().is_some_and(|LoadsApp(loads_app)| loads_app)
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}
