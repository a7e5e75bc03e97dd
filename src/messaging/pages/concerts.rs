//! The concert requests of a conversation, in its page: a card for each (its terms, where it
//! stands, what the reader may do now), and the host's form to propose one. Every form is a
//! plain post, then the conversation again (with its refusal and what was typed, if refused),
//! which needs no code in the browser; with JavaScript, the cards also follow each step the
//! other side takes, live.

use crate::{
    concerts::model::{ConcertRequest, ProposalForm, RequestAction, RequestStatus, fields, limits},
    error::AppError,
    messaging::api::{
        AcceptConcert, CancelConcert, CounterConcert, DeclineConcert, ProposeConcert,
    },
    paths::{concert_calendar_path, concert_path},
    ui::{
        forms::{Field, FieldState, FormError, returned_error},
        time::full_date_and_time,
    },
};
use leptos::{prelude::*, server_fn::ServerFn};

/// The cards of the conversation's current requests (those replaced by a counter-proposal
/// are left out: the new card says it replaces one), and for the host, the form to propose a
/// concert.
#[component]
pub fn ConcertRequests(
    conversation_id: i64,
    /// Whether the reader is the conversation's host (who proposes).
    reader_is_host: bool,
    concerts: RwSignal<Vec<ConcertRequest>>,
    /// The titles of the artist's formules, which a proposal may name.
    offers: Vec<String>,
) -> impl IntoView {
    let offers = StoredValue::new(offers);
    let shown = move || {
        concerts
            .get()
            .into_iter()
            .filter(|request| request.status != RequestStatus::Countered)
            .collect::<Vec<_>>()
    };
    view! {
        <section class="concert-requests" aria-label="Concerts">
            <For each=shown key=|request| (request.id, request.updated_at) let:request>
                <ConcertCard request offers=offers.get_value() />
            </For>
            {reader_is_host.then(|| view! {
                <ProposeForm conversation_id offers=offers.get_value() />
            })}
        </section>
    }
}

#[component]
fn ProposeForm(conversation_id: i64, offers: Vec<String>) -> impl IntoView {
    let error = returned_error::<ProposeConcert>();
    // Open again after a refusal, so that the error and what was typed show.
    view! {
        <details class="card concert-form" open=error.get_untracked().is_some()>
            <summary>"Proposer un concert"</summary>
            <form method="post" action={<ProposeConcert as ServerFn>::PATH}>
                <FormError error />
                <input type="hidden" name="conversation_id" value=conversation_id />
                <ProposalFields offers error />
                <button type="submit" class="button">"Envoyer la proposition"</button>
            </form>
        </details>
    }
}

/// Date, time, formule, guests, fee and note: a proposal's fields, kept when refused.
#[component]
fn ProposalFields(
    offers: Vec<String>,
    error: Signal<Option<AppError>>,
    #[prop(optional)] start: Option<ProposalForm>,
) -> impl IntoView {
    let start = start.unwrap_or_default();
    view! {
        <div class="field-row">
            <Field label="Date" name=fields::DATE kind="date" required=true keep=true
                value=start.date error />
            <Field label="Heure de début" name=fields::TIME kind="time" required=true keep=true
                value=start.time error />
        </div>
        <OfferSelect offers chosen=start.offer error />
        <div class="field-row">
            <Field label="Nombre d'invités" name=fields::GUESTS kind="number" inputmode="numeric"
                required=true keep=true value=start.guests error />
            <Field label="Cachet proposé (€)" name=fields::FEE kind="number" inputmode="numeric"
                hint="Facultatif." keep=true value=start.fee error />
        </div>
        <Field label="Un mot pour préciser (lieu, accès, horaires…)" name=fields::NOTE rows=3
            keep=true maxlength=limits::NOTE value=start.note error />
    }
}

/// The artist's formules, or "Autre".
#[component]
fn OfferSelect(
    offers: Vec<String>,
    chosen: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let state = FieldState::new(fields::OFFER, None, error);
    let invalid = {
        let state = state.clone();
        move || state.invalid()
    };
    let chosen = move || {
        error
            .get()
            .and_then(|error| error.kept_value(fields::OFFER).map(str::to_owned))
            .unwrap_or_else(|| chosen.clone())
    };
    let options = offers
        .into_iter()
        .map(|title| {
            let value = title.clone();
            let selected = {
                let chosen = chosen.clone();
                move || chosen() == value
            };
            let label = title.clone();
            view! { <option value=title selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=state.id.clone()>"Formule"</label>
            <select id=state.id.clone() name=fields::OFFER aria-invalid=invalid>
                {options}
                <option value="autre">"Autre"</option>
            </select>
            {state.error_view()}
        </div>
    }
}

#[component]
fn ConcertCard(request: ConcertRequest, offers: Vec<String>) -> impl IntoView {
    let id = request.id;
    let allows = |action| request.actions.contains(&action);
    let heading = match (request.proposed_by_me, request.replaces.is_some()) {
        (true, false) => "Votre proposition de concert",
        (true, true) => "Votre contre-proposition",
        (false, false) => "Proposition de concert",
        (false, true) => "Contre-proposition",
    };
    let has_calendar = request.status == RequestStatus::Accepted
        || (request.status == RequestStatus::Cancelled && request.sequence > 0);
    let fee = request
        .fee_eur
        .map_or_else(|| "à convenir".to_owned(), |fee| format!("{fee} €"));
    let counter_start = ProposalForm {
        date: request.date.clone(),
        time: request.time.clone(),
        offer: request.offer.clone().unwrap_or_else(|| "autre".to_owned()),
        guests: request.guests.to_string(),
        fee: request
            .fee_eur
            .map(|fee| fee.to_string())
            .unwrap_or_default(),
        note: String::new(),
    };
    view! {
        <article class="card concert-card" id=format!("concert-{id}")
            data-status=request.status.as_str()>
            <p class="concert-heading">{heading}</p>
            <h2 class="concert-date">{full_date_and_time(request.starts_at)}</h2>
            <p class=format!("concert-status status-{}", request.status.as_str())>
                {request.status.label()}
            </p>
            <dl class="facts">
                <dt>"Formule"</dt><dd>{request.offer.clone().unwrap_or_else(|| "Autre".to_owned())}</dd>
                <dt>"Invités"</dt><dd>{request.guests}</dd>
                <dt>"Cachet"</dt><dd>{fee}</dd>
            </dl>
            {(!request.note.is_empty()).then(|| view! { <p class="concert-note">{request.note.clone()}</p> })}
            {request.reason.clone().map(|reason| view! { <p class="concert-reason">"Raison : " {reason}</p> })}
            {(request.same_day_concert && allows(RequestAction::Accept)).then(|| view! {
                <p class="notice" role="status">"Attention : un autre concert est déjà confirmé ce jour-là."</p>
            })}
            {has_calendar.then(|| view! {
                <p><a href=concert_calendar_path(id) download>"Ajouter à mon agenda (.ics)"</a></p>
            })}
            // An accepted concert whose date has passed can no longer change: it is reviewed.
            {(request.status == RequestStatus::Accepted && request.actions.is_empty()).then(|| view! {
                <p><a href=concert_path(id)>"Donner mon avis sur ce concert"</a></p>
            })}
            <div class="concert-actions">
                {allows(RequestAction::Accept).then(|| view! { <AcceptForm id /> })}
                {allows(RequestAction::Decline).then(|| view! {
                    <ReasonForm id kind=Reason::Decline />
                })}
                {allows(RequestAction::Counter).then(|| view! {
                    <CounterForm id offers start=counter_start />
                })}
                {allows(RequestAction::Cancel).then(|| {
                    let kind = if request.status == RequestStatus::Accepted {
                        Reason::CallOff
                    } else {
                        Reason::Withdraw
                    };
                    view! { <ReasonForm id kind /> }
                })}
            </div>
        </article>
    }
}

#[component]
fn AcceptForm(id: i64) -> impl IntoView {
    let error = returned_error::<AcceptConcert>();
    view! {
        <form method="post" action={<AcceptConcert as ServerFn>::PATH} class="inline-form">
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button">"Accepter"</button>
            <FormError error />
        </form>
    }
}

#[component]
fn CounterForm(id: i64, offers: Vec<String>, start: ProposalForm) -> impl IntoView {
    let error = returned_error::<CounterConcert>();
    view! {
        <details class="concert-form" open=error.get_untracked().is_some()>
            <summary class="button secondary">"Proposer autre chose"</summary>
            <form method="post" action={<CounterConcert as ServerFn>::PATH}>
                <FormError error />
                <input type="hidden" name="id" value=id />
                <ProposalFields offers error start />
                <button type="submit" class="button">"Envoyer la contre-proposition"</button>
            </form>
        </details>
    }
}

/// The answers that may say why: declining, withdrawing a proposal, calling off a concert.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reason {
    Decline,
    Withdraw,
    CallOff,
}

#[component]
fn ReasonForm(id: i64, kind: Reason) -> impl IntoView {
    let (summary, label, button) = match kind {
        Reason::Decline => (
            "Décliner",
            "Pourquoi ? (facultatif)",
            "Décliner la proposition",
        ),
        Reason::Withdraw => (
            "Retirer",
            "Pourquoi ? (facultatif)",
            "Retirer ma proposition",
        ),
        Reason::CallOff => (
            "Annuler le concert",
            "Pourquoi annulez-vous ?",
            "Annuler le concert",
        ),
    };
    let (error, action) = if kind == Reason::Decline {
        (
            returned_error::<DeclineConcert>(),
            <DeclineConcert as ServerFn>::PATH,
        )
    } else {
        (
            returned_error::<CancelConcert>(),
            <CancelConcert as ServerFn>::PATH,
        )
    };
    view! {
        <details class="concert-form" open=error.get_untracked().is_some()>
            <summary class="button secondary">{summary}</summary>
            <form method="post" action=action>
                <FormError error />
                <input type="hidden" name="id" value=id />
                <Field label name=fields::REASON rows=2 keep=true required=kind == Reason::CallOff
                    maxlength=limits::REASON error />
                <button type="submit" class="button">{button}</button>
            </form>
        </details>
    }
}
