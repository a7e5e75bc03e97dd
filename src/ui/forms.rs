//! Labelled form fields and the error line of a form.

use crate::error::AppError;
use leptos::{prelude::*, server_fn::ServerFn};

/// The error of an action's last run, if it failed.
pub fn last_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
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

/// A labelled input; an error naming this field is shown under it and marks it invalid.
/// With `keep`, what was typed before a failed submission is written back.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] keep: bool,
    #[prop(optional, into)] maxlength: Option<usize>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let hint_id = format!("{id}-aide");
    let error_id = format!("{id}-erreur");
    let own_error = move || error.get().filter(|error| error.field() == Some(name));
    let kept = move || {
        keep.then(|| {
            error
                .get()
                .and_then(|e| e.kept_value(name).map(str::to_owned))
        })
        .flatten()
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if own_error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                value=kept
                aria-invalid=move || own_error().map(|_| "true")
                aria-describedby=described_by
            />
            {move || {
                own_error()
                    .map(|error| {
                        view! {
                            <p class="field-error" id=error_id.clone() role="alert">
                                {error.to_string()}
                            </p>
                        }
                    })
            }}
        </div>
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
