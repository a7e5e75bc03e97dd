//! Blocking someone: the button of a conversation and of an artist's page, and the list of
//! the people one blocked, on the account page. Plain forms: the server brings the browser
//! back to the page, which then shows the conversation closed (or open again).

use crate::{
    messaging::{
        api::{BlockPerson, blocked_people},
        model::BlockedPerson,
    },
    ui::{
        loading::{LoadError, Loading},
        time::when_from_now,
    },
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};

/// Blocks `person` (or unblocks them when `blocked`), then comes back to this page.
#[component]
pub fn BlockButton(person: i64, blocked: bool, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <form method="post" action={<BlockPerson as ServerFn>::PATH} class="inline-form">
            <input type="hidden" name="person" value=person />
            <input type="hidden" name="blocked" value=(!blocked).to_string() />
            <button type="submit" class="button secondary">{label}</button>
        </form>
    }
}

/// "Personnes bloquées" on the account page, each with "Débloquer".
#[component]
pub fn BlockedPeople() -> impl IntoView {
    let people = Resource::new(|| (), |_| blocked_people());
    view! {
        <section class="card" id="personnes-bloquees">
            <h2>"Personnes bloquées"</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match people.await {
                        Ok(people) if people.is_empty() => Either::Left(view! {
                            <p>"Vous n'avez bloqué personne. Depuis une conversation ou la page d'un artiste, « Bloquer » empêche quelqu'un de vous écrire."</p>
                        }.into_any()),
                        Ok(people) => Either::Left(view! {
                            <p>"Ni vous ni ces personnes ne pouvez écrire à l'autre. Elles n'en sont pas averties."</p>
                            <ul class="blocked-people">
                                {people.into_iter().map(|person| view! { <BlockedRow person /> }).collect_view()}
                            </ul>
                        }.into_any()),
                        Err(error) => Either::Right(view! { <LoadError error /> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BlockedRow(person: BlockedPerson) -> impl IntoView {
    view! {
        <li>
            <span>
                <strong>{person.name}</strong>
                {format!(" · {} · depuis {}", person.role.label(), when_from_now(person.blocked_at))}
            </span>
            <BlockButton person=person.id blocked=true label="Débloquer" />
        </li>
    }
}
