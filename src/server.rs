//! The HTTP server: routes, middleware, and serving with graceful shutdown.

mod connections;

use crate::{
    app::{App, shell},
    artists::seo,
    auth::session::{self, CurrentUser},
    config::Config,
    db::{Backend, Db, DbError},
    error::{AppError, Asker},
    form_refusals,
    live::{self, bus::Live, hub::Hub},
    mail, messaging, page_cache,
    paths::ONE_CLICK_UNSUBSCRIBE,
    state::{AppState, client_ip},
    static_files,
};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use futures::FutureExt;
use http_body_util::Limited;
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, generate_route_list, handle_server_fns_with_context,
};
use std::{
    future::Future,
    panic::AssertUnwindSafe,
    sync::{Arc, OnceLock},
};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::{
    CompressionLevel, compression::CompressionLayer, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};
use tracing::Instrument;

/// Largest request body accepted: forms carry text only (uploads get their own limit).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// Largest photo upload body. Above the 5 MB the photo itself may weigh, so that a photo a
/// little too large gets the server function's French message rather than a bare 413.
pub const UPLOAD_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

/// The one route that takes files.
const UPLOAD_PATH: &str =
    <crate::artists::api::UploadArtistPhoto as leptos::server_fn::ServerFn>::PATH;

/// Connects to the database (applying migrations) and builds the shared state.
pub async fn prepare(config: Config) -> Result<AppState, DbError> {
    let db = Db::connect(
        config.database_url.expose(),
        config.database_max_connections,
    )
    .await?;
    let leptos_options = leptos_options(&config);
    let shutdown = CancellationToken::new();
    // What each feature keeps live.
    let topics = vec![messaging::events::TOPIC];
    let live = Live::new(db.clone(), Hub::new(shutdown.clone()), topics);
    let state = AppState {
        db,
        config: Arc::new(config),
        leptos_options,
        live,
        shutdown,
    };
    if state.db.backend == Backend::Postgres {
        live::listener::start(state.live.clone(), state.shutdown.clone()).await?;
    }
    mail::worker::spawn(state.clone(), messaging::emails::compose);
    crate::account::removal::keep_removing_unconfirmed(&state);
    // The first purge comes after one period: at start nothing is old yet.
    let purge = crate::rate_limit::PURGE_PERIOD;
    state.repeat(
        tokio::time::interval_at(tokio::time::Instant::now() + purge, purge),
        "could not purge expired rate-limit counters",
        |state| async move { crate::rate_limit::purge_expired(&state.db, crate::db::now_ms()).await },
    );
    crate::form_refusals::keep_purging(&state);
    Ok(state)
}

/// Under cargo-leptos (`make dev`) its environment describes the site; otherwise the
/// settings come from our own configuration, so the binary runs on its own.
fn leptos_options(config: &Config) -> LeptosOptions {
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some()
        && let Ok(conf) = leptos::config::get_configuration(None)
    {
        let mut options = conf.leptos_options;
        options.site_addr = config.site_addr;
        return options;
    }
    LeptosOptions::builder()
        .output_name(static_files::OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir(static_files::PKG_DIR)
        .hash_files(static_files::names_are_hashed())
        .site_addr(config.site_addr)
        .build()
}

/// The app's routes, computed once per process: listing them renders the app in a special
/// mode that must not overlap a real render (several servers share a process in tests).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole site: its routes behind its middleware.
pub fn router(state: AppState) -> Router {
    with_middleware(routes(&state), state)
}

/// The site's routes: pages, server functions, media (live events come apart, see
/// `live_events_route`).
pub fn routes(state: &AppState) -> Router<AppState> {
    let routes = route_list();
    let page_state = state.clone();
    let file_state = state.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route(ONE_CLICK_UNSUBSCRIBE, post(one_click_unsubscribe))
        // `paths::concert_calendar_path`.
        .route(
            "/concerts/{id}/calendrier.ics",
            get(crate::concerts::calendar::calendar_file),
        )
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/robots.txt", get(seo::robots))
        .route("/api/{*fn_name}", post(server_fn_handler))
        .leptos_routes_with_context(
            state,
            routes,
            move || provide_context(page_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(move || provide_context(file_state.clone()), shell))
}

/// Wraps `routes` in the middleware of pages and server functions, beside the static files,
/// which need none of it (tests add routes of their own under the same stack).
pub fn with_middleware(routes: Router<AppState>, state: AppState) -> Router {
    let files = static_files::routes(
        &state.leptos_options,
        &state.config.media_dir.join("photos"),
    );
    // Over HTTPS, browsers are told to never come back over plain HTTP (two years).
    let strict_transport = state.config.https().then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000"),
        )
    });
    let pages_and_api = routes
        .layer(middleware::from_fn(files_stay_the_answer))
        .layer(middleware::from_fn(limit_body_size))
        .layer(middleware::from_fn(errors_with_their_status))
        // Inside `page_cache`: a page showing a refused form is never stored nor validated.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            form_refusals::carry,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_only,
        ))
        .layer(middleware::from_fn(answer_panics))
        .layer(middleware::from_fn(page_cache::validate_pages))
        // Pages are compressed as they are sent: at the fastest level, since brotli's default
        // spent more time on a catalogue page than rendering it (the static files come
        // compressed at the best level from the build).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state.clone());
    let traced = files
        .merge(pages_and_api)
        .layer(TraceLayer::new_for_http().make_span_with(request_span));
    traced
        .merge(live_events_route(state))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(tower::util::option_layer(strict_transport))
        // Pages set their own policy with a nonce (see `app::shell`); this covers the rest.
        // Not a 304: the browser would store it over the kept page's own (see `page_cache`).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            |response: &Response| {
                (response.status() != StatusCode::NOT_MODIFIED).then_some(HeaderValue::from_static(
                    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
                ))
            },
        ))
}

/// `GET /events`, apart from the pages' middleware: compression never applies to an event
/// stream, and the request trace's span and body wrappers stayed with every open stream for
/// as long as it lived (half of an idle stream's memory, measured in the README). Only its
/// opening is traced, under the same span as a request's.
fn live_events_route(state: AppState) -> Router {
    Router::new()
        .route("/events", get(live_events))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .layer(middleware::from_fn(answer_panics))
        .layer(middleware::from_fn(trace_opening))
        .with_state(state)
}

async fn trace_opening(request: Request, next: Next) -> Response {
    let span = request_span(&request);
    next.run(request).instrument(span).await
}

/// The span every line logged while answering `request` is written under, a panic's
/// included. At ERROR level so that it is kept whatever the filter; the path only, since
/// query strings may carry one-time tokens.
fn request_span(request: &Request) -> tracing::Span {
    tracing::error_span!("request", method = %request.method(), path = %request.uri().path())
}

/// A request whose handler panics still gets its answer, a 500, instead of a dropped
/// connection: JSON `AppError` for server functions, a page for people. (tower-http's
/// `CatchPanicLayer` does the same with `catch_unwind`, but its answer cannot depend on the
/// request.) The panic itself is logged once by the hook `telemetry::init` installs.
async fn answer_panics(request: Request, next: Next) -> Response {
    let asker = Asker::of(request.uri().path(), request.headers());
    match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => AppError::Internal.answer(asker),
    }
}

/// Serves until `stop` completes, then cancels `shutdown`: the live streams end (they would
/// otherwise keep their connections open), so do background tasks, and the requests under
/// way finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    connections::serve(listener, router, shutdown, stop).await
}

#[derive(serde::Deserialize)]
struct UnsubscribeQuery {
    jeton: String,
}

async fn one_click_unsubscribe(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<UnsubscribeQuery>,
) -> Result<&'static str, crate::error::AppError> {
    crate::account::api::unsubscribe_by_token(&state, &query.jeton).await?;
    Ok("Vous ne recevrez plus vos messages par e-mail.")
}

/// `GET /events`: the signed-in user's live stream (401 without a session).
async fn live_events(
    State(state): State<AppState>,
    current: CurrentUser,
    parts: http::request::Parts,
) -> Response {
    let client = client_ip(&parts, state.config.trust_forwarded_for);
    match open_live_stream(&state, &current, &client).await {
        Ok(events) => live::stream::response(events).into_response(),
        Err(error) => error.answer(Asker::EventSource),
    }
}

/// The live stream of `current`, from `client`'s address. It ends with their session.
pub async fn open_live_stream(
    state: &AppState,
    current: &CurrentUser,
    client: &str,
) -> Result<impl futures::Stream<Item = axum::response::sse::Event> + use<>, AppError> {
    let listener = live::hub::Listener {
        user: current.viewer.id,
        session: current.token_hash().to_owned(),
        expires_at: live::stream::deadline(current.expires_at()),
        client: crate::rate_limit::client_networks(client),
    };
    let still_live = Box::pin(current.is_still_live(state));
    live::stream::open(
        &state.live,
        listener,
        state.config.stream_limits,
        still_live,
    )
    .await
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn server_fn_handler(State(state): State<AppState>, request: Request) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await
}

/// Leptos sends a plain form's post back to its page once the server function has run; a
/// file to download ("Mes données") is the answer itself, and the browser stays on the page.
async fn files_stay_the_answer(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.status().is_redirection()
        && response
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("attachment"))
    {
        *response.status_mut() = StatusCode::OK;
        response.headers_mut().remove(header::LOCATION);
    }
    response
}

/// A server function whose arguments cannot be read (a form with a field missing or
/// malformed) never runs, and Leptos answers its error with a 500; the error says what it
/// is (`AppError` as JSON), so it goes with its own status: 422 for a form that is the
/// client's to fix, not 500, which says the server failed.
async fn errors_with_their_status(request: Request, next: Next) -> Response {
    let server_function = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error's JSON is small; anything larger is passed on unread.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return crate::error::AppError::Internal.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Caps request bodies: small for forms, larger for the photo upload. (tower-http's
/// `RequestBodyLimitLayer` holds one limit per router, and Leptos puts every server function
/// on the same router.) A declared length over the limit is refused at once; a body that
/// grows past it while read fails its read.
async fn limit_body_size(request: Request, next: Next) -> Response {
    let upload = request.uri().path() == UPLOAD_PATH;
    // Leptos's multipart reader panics on a body that does not say its boundary.
    if upload && !multipart_with_boundary(request.headers()) {
        let error = crate::error::AppError::refused(
            "La photo n'a pas été reçue : choisissez un fichier JPEG, PNG ou WebP et réessayez.",
        );
        return (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(error)).into_response();
    }
    let limit = if upload {
        UPLOAD_BODY_LIMIT_BYTES
    } else {
        BODY_LIMIT_BYTES
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        let error = crate::error::AppError::refused(
            "Cet envoi est trop volumineux : raccourcissez le texte ou choisissez un fichier plus léger.",
        );
        return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response();
    }
    next.run(request.map(|body| Body::new(Limited::new(body, limit))))
        .await
}

/// Whether a request's body is `multipart/form-data` with its boundary.
fn multipart_with_boundary(headers: &http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_ascii_lowercase)
        .is_some_and(|value| {
            value.starts_with("multipart/form-data")
                && value
                    .split(';')
                    .filter_map(|part| part.trim().strip_prefix("boundary="))
                    .any(|boundary| !boundary.trim_matches('"').is_empty())
        })
}

/// Refuses state-changing requests sent by another site (Leptos does not guard server
/// functions against CSRF). Browsers say where a request comes from in `Sec-Fetch-Site` or
/// `Origin`; an older browser may send only a `Referer`, which must then be this site's own.
/// A client that sends none of them is refused too: the mobile app and tests send `Origin`
/// or `Sec-Fetch-Site` like a browser.
async fn same_origin_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request.uri().path() == ONE_CLICK_UNSUBSCRIBE
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let own_origin = |origin: &str| {
        origin == state.config.public_origin()
            || text("host").is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, origin_host)| origin_host == host)
            })
    };
    let allowed = match (text("sec-fetch-site"), text("origin"), text("referer")) {
        (Some("same-origin" | "none"), _, _) => true,
        (Some(_), _, _) => false,
        (None, Some(origin), _) => own_origin(origin),
        (None, None, Some(referer)) => url::Url::parse(referer)
            .is_ok_and(|referer| own_origin(&referer.origin().ascii_serialization())),
        (None, None, None) => false,
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        crate::error::AppError::Forbidden.into_response()
    }
}
