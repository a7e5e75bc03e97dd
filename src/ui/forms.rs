//! Labelled form fields and the error line of a form.

use crate::error::AppError;
use leptos::{prelude::*, server_fn::ServerFn};

/// A refused form's error, as Leptos shows it: the server function's path, and its error
/// encoded as Leptos encodes it in an address (`form_refusals` keeps it for the page the
/// browser is sent back to).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Refusal {
    pub path: String,
    pub error: String,
}

impl Refusal {
    /// The refusal the page being rendered shows, for an island's props.
    pub fn current() -> Option<Refusal> {
        use_context::<leptos::server::ServerActionError>().map(|error| Refusal {
            path: error.path().to_owned(),
            error: error.err().to_owned(),
        })
    }
}

/// First thing in an island with a form: the page's refusal (`Refusal::current`, handed
/// over as a prop), provided in the browser as it was on the server, where the router
/// provides it: the island's actions and `returned_error` then show it alike.
pub fn provide_in_island(refusal: Option<Refusal>) {
    if let Some(refusal) = refusal {
        provide_context(leptos::server::ServerActionError::new(
            &refusal.path,
            &refusal.error,
        ));
    }
}

/// The error of an action's last run, if it failed.
pub fn last_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The error a plain form posting to the server function `S` came back with: such a form
/// needs no code in the browser (a post, then the page again, with or without JavaScript),
/// and shows its refusal as an action's form shows `last_error`.
pub fn returned_error<S>() -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError>,
{
    let error = use_context::<leptos::server::ServerActionError>()
        .filter(|error| error.path() == S::PATH)
        .map(|error| {
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(error.err())
        });
    Signal::stored(error)
}

/// Runs `then` with each successful answer of `action` (neither at start nor after an error).
/// A `ServerAction` is one too (`.into()`), and so is a file upload's plain `Action`.
pub fn on_success<I, O>(
    action: impl Into<Action<I, Result<O, AppError>>>,
    then: impl Fn(O) + Send + Sync + 'static,
) where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let action = action.into();
    Effect::watch(
        move || action.version().get(),
        move |_, _, _| {
            if let Some(Ok(output)) = action.value().get_untracked() {
                then(output);
            }
        },
        false,
    );
}

/// A form's general error (one not tied to a field), announced to screen readers.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|error| error.field().is_none())
            .map(|error| view! { <p class="form-error" role="alert">{error.to_string()}</p> })
    }
}

/// What every kind of field shares: its ids, and the error naming it (shown under it,
/// marking it invalid, and announced to screen readers).
#[derive(Clone)]
pub struct FieldState {
    pub id: String,
    name: String,
    hint: Option<&'static str>,
    error: Signal<Option<AppError>>,
}

impl FieldState {
    pub fn new(name: &str, hint: Option<&'static str>, error: Signal<Option<AppError>>) -> Self {
        FieldState {
            id: format!("champ-{}", field_id(name)),
            name: name.to_owned(),
            hint,
            error,
        }
    }

    /// Ids of their own for one of several forms of a page with the same field names.
    fn numbered(mut self, suffix: Option<String>) -> Self {
        if let Some(suffix) = suffix {
            self.id = format!("{}-{suffix}", self.id);
        }
        self
    }

    fn own_error(&self) -> Option<AppError> {
        self.error
            .get()
            .filter(|error| error.field() == Some(self.name.as_str()))
    }

    pub fn invalid(&self) -> Option<&'static str> {
        self.own_error().map(|_| "true")
    }

    pub fn described_by(&self) -> Option<String> {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-aide", self.id));
        }
        if self.own_error().is_some() {
            ids.push(format!("{}-erreur", self.id));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    pub fn hint_view(&self) -> impl IntoView + use<> {
        let id = format!("{}-aide", self.id);
        self.hint
            .map(|hint| view! { <p class="field-hint" id=id>{hint}</p> })
    }

    pub fn error_view(&self) -> impl IntoView + use<> {
        let state = self.clone();
        move || {
            state.own_error().map(|error| {
                view! {
                    <p class="field-error" id=format!("{}-erreur", state.id) role="alert">
                        {error.to_string()}
                    </p>
                }
            })
        }
    }
}

/// A labelled input (or, with `rows`, a text area) with its hint and error. It starts with
/// `value`; with `keep`, what was typed before a failed submission (echoed in the error) is
/// written back instead.
#[component]
pub fn Field(
    label: &'static str,
    #[prop(into)] name: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] keep: bool,
    #[prop(optional, into)] maxlength: Option<usize>,
    #[prop(optional, into)] value: Option<String>,
    /// Makes it a text area of this many rows.
    #[prop(optional)]
    rows: Option<u32>,
    /// Added to its ids, when several forms of the page have a field of this name.
    #[prop(optional, into)]
    id_suffix: Option<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let state = FieldState::new(&name, hint, error).numbered(id_suffix);
    let kept = {
        let name = name.clone();
        move || {
            keep.then(|| {
                error
                    .get()
                    .and_then(|e| e.kept_value(&name).map(str::to_owned))
            })
            .flatten()
            .or_else(|| value.clone())
        }
    };
    let (invalid, described_by) = (state.clone(), state.clone());
    let invalid = move || invalid.invalid();
    let described_by = move || described_by.described_by();
    let control = match rows {
        Some(rows) => view! {
            // Leptos writes a text area's children unescaped (and an empty one hydrates
            // badly): its content goes through `inner_html`, escaped here, instead.
            <textarea
                id=state.id.clone()
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                placeholder=placeholder
                aria-invalid=invalid
                aria-describedby=described_by
                inner_html=html_escape::encode_text(&kept().unwrap_or_default()).into_owned()
            ></textarea>
        }
        .into_any(),
        None => view! {
            <input
                id=state.id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                maxlength=maxlength
                placeholder=placeholder
                value=kept
                aria-invalid=invalid
                aria-describedby=described_by
            />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=state.id.clone()>{label}</label>
            {state.hint_view()}
            {control}
            {state.error_view()}
        </div>
    }
}

/// An HTML id from a form name: "profile[offers][0][title]" → "profile-offers-0-title".
pub fn field_id(name: &str) -> String {
    name.split(['[', ']'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Where the user goes once the form succeeds: the page named by `?suite=` (or, after a
/// refused post without JavaScript, the one kept in the error), sent as the `next` field.
#[component]
pub fn ReturnField(error: Signal<Option<AppError>>) -> impl IntoView {
    let next = return_path(error);
    view! { <input type="hidden" name="next" value=next /> }
}

/// The `?suite=` page to come back to, kept across a refused submission.
pub fn return_path(error: Signal<Option<AppError>>) -> impl Fn() -> String + Copy {
    let query = leptos_router::hooks::use_query_map();
    move || {
        error
            .get()
            .and_then(|error| error.kept_value("next").map(str::to_owned))
            .or_else(|| query.read().get("suite"))
            .unwrap_or_default()
    }
}

/// A form's submit button, disabled with a "working" label while the action runs.
#[component]
pub fn SubmitButton(
    label: &'static str,
    working: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button" disabled=move || pending.get()>
            {move || if pending.get() { working } else { label }}
        </button>
    }
}
