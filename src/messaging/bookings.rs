//! Concert requests in the messenger. Each step (a proposal, a counter-proposal, an answer, a
//! cancellation) is stored with the message that records it, in one transaction, and then
//! goes out like any message: live to both participants, unread for the other, up in their
//! inbox, and by e-mail to those who asked for e-mails. The rules are `concerts::requests`'.

use crate::{
    clock,
    concerts::{
        model::{ConcertRequest, ProposalForm, RequestAction, RequestStatus, fields},
        requests::{self, Step, check, message_text, parse_proposal},
        store::{self as concerts_store, RequestRow, Terms},
    },
    db::now_ms,
    error::AppError,
    messaging::{
        conversations::{email_due_at, other_side_still_here, spend_message},
        events,
        model::Thread,
        store,
    },
    state::AppState,
};

/// The host of a conversation proposes a concert to its artist. 404 if `host` takes no part
/// in it; refused when the artist asks (an artist answers with a counter-proposal).
pub async fn propose(
    state: &AppState,
    host: i64,
    conversation_id: i64,
    form: &ProposalForm,
) -> Result<ConcertRequest, AppError> {
    if !store::is_member(&state.db, conversation_id, host).await? {
        return Err(AppError::NotFound);
    }
    let [host_id, artist_id] = store::participants(&state.db, conversation_id).await?;
    if host != host_id {
        return Err(AppError::refused(
            "C'est l'hôte qui propose un concert : répondez à sa demande, ou écrivez-lui vos disponibilités.",
        ));
    }
    let terms = terms_for(state, artist_id, form).await?;
    other_side_still_here(state, conversation_id, host).await?;
    let change = Change {
        answered: None,
        proposed: true,
    };
    let id = record(
        state,
        conversation_id,
        host,
        Step::Proposed,
        &terms,
        None,
        change,
    )
    .await?;
    request_for(state, host, id).await
}

/// `reader` answers the proposal `id` with other terms: a new request that replaces it.
pub async fn counter(
    state: &AppState,
    reader: i64,
    id: i64,
    form: &ProposalForm,
) -> Result<ConcertRequest, AppError> {
    let row = open_request(state, reader, id, RequestAction::Counter).await?;
    let terms = terms_for(state, row.artist_id, form).await?;
    let change = Change {
        answered: Some((id, RequestStatus::Proposed, RequestStatus::Countered)),
        proposed: true,
    };
    let new_id = record(
        state,
        row.conversation_id,
        reader,
        Step::Countered,
        &terms,
        None,
        change,
    )
    .await?;
    request_for(state, reader, new_id).await
}

/// `reader` accepts the proposal `id`: the concert is on.
pub async fn accept(state: &AppState, reader: i64, id: i64) -> Result<ConcertRequest, AppError> {
    let row = open_request(state, reader, id, RequestAction::Accept).await?;
    answer(state, reader, row, RequestStatus::Accepted, None).await
}

/// `reader` declines the proposal `id`, saying why if they wish.
pub async fn decline(
    state: &AppState,
    reader: i64,
    id: i64,
    reason: Option<&str>,
) -> Result<ConcertRequest, AppError> {
    let reason = requests::reason(reason)?;
    let row = open_request(state, reader, id, RequestAction::Decline).await?;
    answer(state, reader, row, RequestStatus::Declined, reason).await
}

/// `reader` withdraws their proposal `id`, or calls off the accepted concert `id` (which
/// needs a reason: the other side is counting on it).
pub async fn cancel(
    state: &AppState,
    reader: i64,
    id: i64,
    reason: Option<&str>,
) -> Result<ConcertRequest, AppError> {
    let reason = requests::reason(reason)?;
    let row = open_request(state, reader, id, RequestAction::Cancel).await?;
    if row.status() == RequestStatus::Accepted && reason.is_none() {
        return Err(AppError::invalid(
            fields::REASON,
            "Dites en quelques mots pourquoi vous annulez ce concert : l'autre personne comptait dessus.",
        ));
    }
    answer(state, reader, row, RequestStatus::Cancelled, reason).await
}

/// Adds to a thread `reader` opened its concert requests, and the artist's formules a
/// proposal may name.
pub async fn add_to_thread(
    state: &AppState,
    reader: i64,
    thread: &mut Thread,
) -> Result<(), AppError> {
    let rows = concerts_store::in_conversation(&state.db, reader, thread.id).await?;
    thread.concerts = views(state, reader, rows).await?;
    let [_, artist] = store::participants(&state.db, thread.id).await?;
    thread.concert_offers = concerts_store::offer_titles(&state.db, artist).await?;
    Ok(())
}

/// Accepts, declines or cancels `row`: a change of status and the message that says it.
async fn answer(
    state: &AppState,
    reader: i64,
    row: RequestRow,
    to: RequestStatus,
    reason: Option<String>,
) -> Result<ConcertRequest, AppError> {
    let step = match to {
        RequestStatus::Accepted => Step::Accepted,
        RequestStatus::Declined => Step::Declined,
        _ => Step::Cancelled,
    };
    let change = Change {
        answered: Some((row.id, row.status(), to)),
        proposed: false,
    };
    let terms = row.terms();
    let id = record(
        state,
        row.conversation_id,
        reader,
        step,
        &terms,
        reason.as_deref(),
        change,
    )
    .await?;
    request_for(state, reader, id).await
}

/// The request `id` when `reader` takes part in its conversation (404 otherwise) and may take
/// `action` on it now.
async fn open_request(
    state: &AppState,
    reader: i64,
    id: i64,
    action: RequestAction,
) -> Result<RequestRow, AppError> {
    let row = concerts_store::for_member(&state.db, reader, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check(&row, reader, clock::now(state), action)?;
    other_side_still_here(state, row.conversation_id, reader).await?;
    Ok(row)
}

/// The proposal's terms, with the artist's formule its `offer` names.
async fn terms_for(state: &AppState, artist: i64, form: &ProposalForm) -> Result<Terms, AppError> {
    let offers = concerts_store::offer_titles(&state.db, artist).await?;
    parse_proposal(form, clock::now(state), &offers)
}

/// What a step changes.
struct Change {
    /// The request answered, moved from one status to another (if it still is in the first:
    /// otherwise someone answered first, and the step is refused).
    answered: Option<(i64, RequestStatus, RequestStatus)>,
    /// Whether the step proposes the terms as a new request (replacing the answered one, for
    /// a counter-proposal).
    proposed: bool,
}

/// Stores a step and the message that records it, together, then announces the message.
/// Answers the id of the request the step leaves current.
async fn record(
    state: &AppState,
    conversation_id: i64,
    sender: i64,
    step: Step,
    terms: &Terms,
    reason: Option<&str>,
    change: Change,
) -> Result<i64, AppError> {
    spend_message(state, sender).await?;
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let answered = change.answered.map(|(id, _, _)| id);
    if let Some((id, from, to)) = change.answered
        && !concerts_store::change_status(&mut tx, id, from, to, reason, now).await?
    {
        return Err(AppError::refused(requests::ALREADY_ANSWERED));
    }
    let current = if change.proposed {
        concerts_store::insert(&mut tx, conversation_id, sender, answered, terms, now).await?
    } else {
        answered.ok_or(AppError::Internal)?
    };
    let text = message_text(step, terms, reason);
    let due = email_due_at(state, now);
    let message = store::append(
        &mut tx,
        conversation_id,
        sender,
        &text,
        Some(current),
        now,
        due,
    )
    .await?;
    tx.commit().await?;
    events::message_sent(&state.live, &message).await;
    Ok(current)
}

/// The request `id` as `reader` sees it now.
async fn request_for(state: &AppState, reader: i64, id: i64) -> Result<ConcertRequest, AppError> {
    let row = concerts_store::for_member(&state.db, reader, id)
        .await?
        .ok_or(AppError::NotFound)?;
    views(state, reader, vec![row])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Requests (of one conversation) as `reader` sees them: those still to happen learn
/// whether the artist has another accepted concert that day.
async fn views(
    state: &AppState,
    reader: i64,
    rows: Vec<RequestRow>,
) -> Result<Vec<ConcertRequest>, AppError> {
    let now = clock::now(state);
    let pending = |row: &RequestRow| {
        matches!(
            row.status(),
            RequestStatus::Proposed | RequestStatus::Accepted
        ) && row.starts_at > now
    };
    let days: Vec<&str> = rows
        .iter()
        .filter(|row| pending(row))
        .map(|row| row.day.as_str())
        .collect();
    let taken = match rows.first() {
        Some(first) => concerts_store::accepted_on_days(&state.db, first.artist_id, &days).await?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let same_day = pending(&row)
                && taken
                    .iter()
                    .any(|(id, day)| *id != row.id && *day == row.day);
            requests::view(row, reader, now, same_day)
        })
        .collect())
}
