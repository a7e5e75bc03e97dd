//! The city field: a text input that, on a page that loads the app, proposes communes as
//! you type (accents optional, larger towns first). On a visitor's page, and without
//! JavaScript, it is a plain text input: the server understands a name, "Name (département)"
//! or a postal code, and offers the communes meant when the name is shared or misspelt.

use crate::{
    error::AppError,
    places::{api::suggest_cities, model::City},
    ui::{forms::FieldState, hydration::page_loads_app},
};
use leptos::{either::Either, ev, prelude::*};

#[component]
pub fn CityInput(
    label: &'static str,
    #[prop(into)] name: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let state = FieldState::new(&name, hint, error);
    if !page_loads_app() {
        return Either::Left(view! {
            <div class="field city-field">
                <label for=state.id.clone()>{label}</label>
                {state.hint_view()}
                <input
                    id=state.id.clone()
                    name=name
                    type="text"
                    autocomplete="address-level2"
                    aria-invalid=state.invalid()
                    aria-describedby=state.described_by()
                    maxlength=100
                    placeholder="Nom de la ville ou code postal"
                    value=value
                />
                {state.error_view()}
            </div>
        });
    }
    let id = state.id.clone();
    let list_id = format!("{id}-suggestions");
    let input = NodeRef::<leptos::html::Input>::new();
    let suggestions = RwSignal::new(Vec::<City>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // Answers can arrive out of order: only the latest request may fill the list.
    let latest = StoredValue::new(0u32);

    let choose = move |city: &City| {
        if let Some(input) = input.get_untracked() {
            input.set_value(&city.label());
        }
        open.set(false);
        active.set(None);
    };
    let on_input = move |event: ev::Event| {
        let typed = event_target_value(&event);
        let request = latest.get_value() + 1;
        latest.set_value(request);
        if typed.trim().chars().count() < 2 {
            open.set(false);
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(cities) = suggest_cities(typed).await
                && latest.get_value() == request
            {
                open.set(!cities.is_empty());
                active.set(None);
                suggestions.set(cities);
            }
        });
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        if !open.get_untracked() || count == 0 {
            return;
        }
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" => {
                event.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                if let Some(index) = active.get_untracked() {
                    event.prevent_default();
                    if let Some(city) = suggestions.with_untracked(|list| list.get(index).cloned())
                    {
                        choose(&city);
                    }
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    let option_id = {
        let id = id.clone();
        move |index: usize| format!("{id}-option-{index}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || active.get().filter(|_| open.get()).map(&option_id)
    };
    let (invalid, described_by) = (state.clone(), state.clone());
    let invalid = move || invalid.invalid();
    let described_by = move || described_by.described_by();

    Either::Right(view! {
        <div class="field city-field">
            <label for=id.clone()>{label}</label>
            {state.hint_view()}
            <input
                node_ref=input
                id=id.clone()
                name=name
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=active_descendant
                aria-invalid=invalid
                aria-describedby=described_by
                maxlength=100
                placeholder="Nom de la ville ou code postal"
                value=value
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| open.set(false)
            />
            <ul class="suggestions" id=list_id role="listbox" aria-label=label hidden=move || !open.get()>
                <For
                    each=move || suggestions.get().into_iter().enumerate()
                    key=|(index, city)| (*index, city.code.clone())
                    children=move |(index, city)| {
                        let label = city.label();
                        let region = city.region.name.clone();
                        view! {
                            <li
                                id=option_id(index)
                                role="option"
                                aria-selected=move || if active.get() == Some(index) { "true" } else { "false" }
                                // Before the input's blur closes the list.
                                on:mousedown=move |event| {
                                    event.prevent_default();
                                    choose(&city);
                                }
                            >
                                <span class="suggestion-name">{label}</span>
                                <span class="suggestion-region">{region}</span>
                            </li>
                        }
                    }
                />
            </ul>
            {state.error_view()}
        </div>
    })
}
