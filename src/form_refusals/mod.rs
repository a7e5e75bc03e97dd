//! Forms posted without JavaScript, and refused. Leptos sends the browser back to the form's
//! page with the error in the page's address (`?__path=…&__err=…`, what was typed included),
//! and shows whatever error such an address holds: a crafted link could show any text as a
//! form's error and fill in any value, and a refused message's body would stay in the
//! browser's history and in proxies' logs. Here the error waits in the database instead,
//! named by a short-lived cookie of the browser that posted, and is read once by the page it
//! goes back to; an address's own `__path` and `__err` are never honoured. When the database
//! cannot write, an error that holds nothing typed travels in the cookie itself.

#[cfg(feature = "ssr")]
mod store;

/// The parameters Leptos writes a refused form's error into.
const PATH_PARAM: &str = "__path";
const ERROR_PARAM: &str = "__err";

/// Makes the refusal this page was sent back with (if any) the error of its form's action,
/// on the server. In the browser, each island with a form is handed it (`Refusal::current`,
/// then `provide_in_island`), so that both render the same.
pub fn provide_refusal() {
    #[cfg(feature = "ssr")]
    if let Some(refusal) = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::ui::forms::Refusal>().cloned())
    {
        crate::ui::forms::provide_in_island(Some(refusal));
    }
}

/// `query` (without its `?`) less the refusal's parameters, however they are encoded; the
/// others stay as they were written.
fn without_refusal(query: &str) -> String {
    query
        .split('&')
        .filter(|pair| {
            let name = form_urlencoded::parse(pair.as_bytes()).next();
            !name.is_some_and(|(name, _)| name == PATH_PARAM || name == ERROR_PARAM)
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `path` followed by `query` (if any is left) and `fragment`.
fn address(path: &str, query: &str, fragment: &str) -> String {
    if query.is_empty() {
        format!("{path}{fragment}")
    } else {
        format!("{path}?{query}{fragment}")
    }
}

/// In the browser, before the router reads the address: a link that carries refusal
/// parameters loses them (the server ignored them too), so that the page hydrates as it was
/// rendered and shows no error it was not sent back with.
#[cfg(feature = "hydrate")]
pub fn clean_address_bar() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let query = search.trim_start_matches('?');
    let cleaned = without_refusal(query);
    if cleaned == query {
        return;
    }
    let path = location.pathname().unwrap_or_default();
    let fragment = location.hash().unwrap_or_default();
    if let Ok(history) = window.history() {
        let clean = address(&path, &cleaned, &fragment);
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}

#[cfg(feature = "ssr")]
pub use server::{carry, keep_purging};

#[cfg(feature = "ssr")]
mod server {
    use super::{ERROR_PARAM, PATH_PARAM, address, store, without_refusal};
    use crate::ui::forms::Refusal;
    use crate::{auth::session, config::Config, db::now_ms, state::AppState};
    use axum::{
        extract::{Request, State},
        middleware::Next,
        response::Response,
    };
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use cookie::{Cookie, SameSite};
    use http::{HeaderValue, Method, Uri, header};
    use leptos::server_fn::error::ServerFnUrlError;

    /// How long a refusal waits for its page: the redirect is followed at once.
    const KEPT_MS: i64 = 5 * 60 * 1000;

    fn cookie_name(config: &Config) -> &'static str {
        if config.cookie_secure {
            "__Host-refus"
        } else {
            "refus"
        }
    }

    fn cookie(value: String, config: &Config, max_age_ms: i64) -> HeaderValue {
        let cookie = Cookie::build((cookie_name(config), value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(config.cookie_secure)
            .max_age(cookie::time::Duration::milliseconds(max_age_ms))
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
    }

    /// Middleware of pages and server functions: moves a refused form's error from the
    /// address Leptos sends the browser back to into the database (and a cookie naming it),
    /// and back into the request of the page that follows; strips the refusal parameters
    /// from every address it receives.
    pub async fn carry(
        State(state): State<AppState>,
        mut request: Request,
        next: Next,
    ) -> Response {
        strip_refusal(request.uri_mut());
        let config = &state.config;
        let token = session::cookie_value(request.headers(), cookie_name(config));
        let page = request.method() == Method::GET
            && request
                .headers()
                .get(header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"));
        let mut restored = false;
        if let (true, Some(token)) = (page, &token) {
            let kept = match carried_in_cookie(token) {
                Some(refusal) => Ok(Some(refusal)),
                None => store::take(&state.db, &session::hash_token(token), now_ms()).await,
            };
            match kept {
                Ok(Some(refusal)) => {
                    request.extensions_mut().insert(refusal);
                    restored = true;
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "refused form not read"),
            }
        }
        let posted = request.method() == Method::POST;
        let mut response = next.run(request).await;
        if page && token.is_some() {
            let removal = cookie(String::new(), config, 0);
            response.headers_mut().append(header::SET_COOKIE, removal);
        }
        if restored {
            // It shows what was typed: no cache keeps it.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        if posted {
            keep_refusal(&state, &mut response).await;
        }
        response
    }

    /// A refused server function's redirect back to its form: its error goes to the
    /// database, the browser gets a cookie naming it, and the address is left clean.
    async fn keep_refusal(state: &AppState, response: &mut Response) {
        let Some(location) = response
            .headers()
            .get(header::LOCATION)
            .and_then(|location| location.to_str().ok())
            .map(str::to_owned)
        else {
            return;
        };
        let (before_fragment, fragment) = match location.find('#') {
            Some(at) => location.split_at(at),
            None => (location.as_str(), ""),
        };
        let Some((path, query)) = before_fragment.split_once('?') else {
            return;
        };
        let param = |wanted: &str| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.into_owned())
        };
        let (Some(server_fn), Some(error)) = (param(PATH_PARAM), param(ERROR_PARAM)) else {
            return;
        };
        let refusal = Refusal {
            path: server_fn,
            error,
        };
        let (token, token_hash) = session::new_token();
        let kept = match store::put(&state.db, &token_hash, &refusal, now_ms() + KEPT_MS).await {
            Ok(()) => Some(token),
            // The database cannot write (the very error being shown, often): an error that
            // holds nothing typed travels in the cookie itself. A form's text never does: the
            // form comes back empty, but nothing typed goes into the address.
            Err(error) => {
                tracing::warn!(%error, "refused form not kept");
                cookie_carrying(&refusal)
            }
        };
        if let Some(value) = kept {
            let kept = cookie(value, &state.config, KEPT_MS);
            response.headers_mut().append(header::SET_COOKIE, kept);
        }
        let clean = address(path, &without_refusal(query), fragment);
        if let Ok(clean) = HeaderValue::from_str(&clean) {
            response.headers_mut().insert(header::LOCATION, clean);
        }
    }

    /// Marks a cookie that carries its refusal rather than naming one in the database.
    const CARRIED: &str = "e.";

    /// The cookie value carrying `refusal` itself, if its error holds nothing typed.
    fn cookie_carrying(refusal: &Refusal) -> Option<String> {
        use crate::error::AppError;
        let error = ServerFnUrlError::<AppError>::decode_err(&refusal.error);
        let typed = match &error {
            AppError::Invalid { values, .. } | AppError::TooManyRequests { values, .. } => {
                !values.is_empty()
            }
            _ => false,
        };
        let json = serde_json::to_vec(refusal).ok().filter(|_| !typed)?;
        Some(format!("{CARRIED}{}", URL_SAFE_NO_PAD.encode(json)))
    }

    /// The refusal a cookie carries itself (`cookie_carrying`), if it does.
    fn carried_in_cookie(value: &str) -> Option<Refusal> {
        let json = URL_SAFE_NO_PAD.decode(value.strip_prefix(CARRIED)?).ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// Leaves out the refusal parameters of a request's address: only the server's own
    /// cookie brings a refusal to a page.
    fn strip_refusal(uri: &mut Uri) {
        let Some(query) = uri.query() else {
            return;
        };
        let cleaned = without_refusal(query);
        if cleaned == query {
            return;
        }
        if let Ok(clean) = address(uri.path(), &cleaned, "").parse() {
            *uri = clean;
        }
    }

    /// Forgets, every ten minutes, the refusals no page came to read.
    pub fn keep_purging(state: &AppState) {
        let period = std::time::Duration::from_secs(10 * 60);
        state.repeat(
            tokio::time::interval_at(tokio::time::Instant::now() + period, period),
            "could not purge refused forms",
            |state| async move { store::purge_expired(&state.db, now_ms()).await },
        );
    }

    #[cfg(test)]
    mod tests {
        use super::{Refusal, carried_in_cookie, cookie_carrying};
        use crate::error::AppError;
        use base64::{Engine, engine::general_purpose::URL_SAFE};
        use leptos::server_fn::error::FromServerFnError;

        fn refusal(error: AppError) -> Refusal {
            Refusal {
                path: "/api/write_to_artist".to_owned(),
                error: URL_SAFE.encode(error.ser()),
            }
        }

        #[test]
        fn only_an_error_holding_nothing_typed_travels_in_the_cookie() {
            let not_stored = refusal(AppError::NotStored);
            let value = cookie_carrying(&not_stored).expect("carried");
            assert_eq!(carried_in_cookie(&value), Some(not_stored));
            let typed = AppError::refused("Trop long.").keeping(&[("body", "Bonjour !")]);
            assert_eq!(cookie_carrying(&refusal(typed)), None);
            assert_eq!(carried_in_cookie("a-database-token"), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::without_refusal;

    #[test]
    fn refusal_parameters_are_left_out_however_they_are_written() {
        assert_eq!(
            without_refusal("suite=/profil&__path=/api/sign_in&__err=eyJ9"),
            "suite=/profil"
        );
        assert_eq!(
            without_refusal("%5F%5Ferr=eyJ9&vue=archives"),
            "vue=archives"
        );
        assert_eq!(without_refusal("__path=x"), "");
        assert_eq!(without_refusal("avant=12.3"), "avant=12.3");
    }
}
