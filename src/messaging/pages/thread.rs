//! `/messages/{id}`: one conversation, updated live, read as it shows, answered below.

use crate::{
    auth::context::SignedIn,
    auth::model::Role,
    error::AppError,
    live::signals::LiveStream,
    messaging::{
        api::{ArchiveConversation, SendMessage, conversation, mark_read},
        model::{Message, Party, Thread, limits},
        pages::{blocks::BlockButton, concerts::ConcertRequests, inbox::MarkUnreadButton},
        signals::LiveMessages,
    },
    moderation::{model::ReportSubject, pages::ReportLink},
    paths::{MESSAGES, thread_path},
    ui::not_found::NotFound,
    ui::{
        forms::{
            Field, FormError, Refusal, SubmitButton, last_error, on_success, provide_in_island,
        },
        loading::{LoadError, Loading},
        time::{iso, when_from_now},
    },
};
use leptos::{either::Either, html, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/messages/{id}`: one conversation, for its two participants only (404 for anyone else).
/// `?avant={message id}` shows the older page without JavaScript.
#[component]
pub fn ThreadPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex" />
        <SignedIn children=|_| view! { <ThreadLoader /> } />
    }
}

#[component]
fn ThreadLoader() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let thread = Resource::new(
        move || {
            let id = params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok());
            let before = query
                .read()
                .get("avant")
                .and_then(|id| id.parse::<i64>().ok());
            (id, before)
        },
        |(id, before)| async move {
            match id {
                Some(id) => conversation(id, before).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(thread) => Either::Left(view! {
                        <Title text=format!("Conversation avec {}", thread.other.name) />
                        <ThreadView thread showing_older=query.read_untracked().get("avant").is_some()
                            refusal=Refusal::current() />
                    }),
                    Err(AppError::NotFound) => Either::Right(view! { <NotFound /> }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error card=true /> }.into_any()),
                }
            })}
        </Suspense>
    }
}

/// The conversation, live. `showing_older`: an older page shown without JavaScript
/// (`?avant=`), which offers the way back to the newest.
#[island(lazy)]
fn ThreadView(thread: Thread, showing_older: bool, refusal: Option<Refusal>) -> impl IntoView {
    provide_in_island(refusal);
    let id = thread.id;
    let other = thread.other.clone();
    // Something to mark unread: a message from the other participant.
    let received = thread.messages.iter().any(|message| !message.from_me);
    let messages = RwSignal::new(thread.messages);
    let has_older = RwSignal::new(thread.has_older);
    let loading_older = RwSignal::new(false);
    let older_error = RwSignal::new(None::<String>);
    let first_id = move || messages.with(|list| list.first().map(|message| message.id));
    let load_older = move |event: leptos::ev::MouseEvent| {
        let Some(before) = first_id() else { return };
        event.prevent_default();
        loading_older.set(true);
        leptos::task::spawn_local(async move {
            match conversation(id, Some(before)).await {
                Ok(page) => {
                    messages.update(|list| merge(list, page.messages));
                    has_older.set(page.has_older);
                    older_error.set(None);
                }
                Err(error) => older_error.set(Some(error.to_string())),
            }
            loading_older.set(false);
        });
    };
    let other_name = StoredValue::new(other.name.clone());
    let concerts = RwSignal::new(thread.concerts);
    // After a step of a concert request the other side took, arriving live: where each
    // request stands now, and the messages that say it. (The reader's own steps are posts
    // that bring the page back.)
    let concerts_changed = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            if let Ok(newest) = conversation(id, None).await {
                concerts.set(newest.concerts);
                messages.update(|list| merge(list, newest.messages));
            }
        });
    });
    follow_live(id, messages, concerts_changed);
    view! {
        <section class="thread-heading">
            <p class="back"><a href=MESSAGES>"← Toutes les conversations"</a></p>
            <h1>{format!("Conversation avec {}", other.name)}</h1>
            <div class="thread-actions">
                <ProfileLink other=other.clone() />
                <ArchiveForm id archived=thread.archived />
                {received.then(|| view! { <MarkUnreadButton conversation_id=id /> })}
                <BlockButton person=other.id blocked=thread.blocked_by_me
                    label={ if thread.blocked_by_me { "Débloquer" } else { "Bloquer" } } />
                <ReportLink subject=ReportSubject::Conversation target=id.to_string() label="Signaler" />
            </div>
        </section>
        <section class="thread" aria-label="Messages">
            {move || has_older.get().then(|| view! {
                <p class="older">
                    <a href=move || format!("?avant={}", first_id().unwrap_or_default()) on:click=load_older
                        aria-disabled=move || loading_older.get().then_some("true")>
                        {move || if loading_older.get() { "Chargement…" } else { "Voir les messages précédents" }}
                    </a>
                </p>
            })}
            {move || older_error.get().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
            <ol class="messages">
                <For each=move || messages.get() key=|message| message.id let:message>
                    <MessageView message other_name=other_name.get_value() />
                </For>
            </ol>
            {showing_older.then(|| view! {
                <p class="older"><a href=thread_path(id)>"Voir les messages les plus récents"</a></p>
            })}
        </section>
        <ConcertRequests conversation_id=id reader_is_host=other.role == Role::Artist concerts
            offers=thread.concert_offers />
        {if thread.closed {
            Either::Left(view! { <ClosedNotice blocked_by_me=thread.blocked_by_me other_name=other.name.clone() /> })
        } else {
            Either::Right(view! { <ReplyForm id messages /> })
        }}
    }
}

/// Adds messages not shown yet, keeping the thread in order (the same message may come from
/// the reply form, the live stream and a page read again).
fn merge(list: &mut Vec<Message>, arrived: Vec<Message>) {
    for message in arrived {
        if list.iter().all(|known| known.id != message.id) {
            list.push(message);
        }
    }
    list.sort_by_key(|message| message.id);
}

/// Keeps an open conversation up to date: messages arrive as they are sent, and are read at
/// once while the page is in view (else when it comes back into view); after a reconnection
/// the newest page is read again, for what came meanwhile.
fn follow_live(id: i64, messages: RwSignal<Vec<Message>>, concerts_changed: Callback<()>) {
    let live = expect_context::<LiveMessages>();
    let stream = expect_context::<LiveStream>();
    let in_view = RwSignal::new(page_in_view());
    // The newest message from the other side not read yet because the page was hidden.
    let waiting = RwSignal::new(None::<i64>);
    let read_up_to = move |message_id: i64| {
        leptos::task::spawn_local(async move {
            // A failure leaves the message unread, which the badge says: nothing is lost.
            let _ = mark_read(id, message_id).await;
        });
    };
    Effect::new(move |_| live.reading.set(in_view.get().then_some(id)));
    // Showing the conversation in a browser reads it (effects run there only): the server's
    // answer to a GET never marks anything read.
    Effect::new(move |_| {
        let Some(newest) = messages.with_untracked(|list| list.last().map(|message| message.id))
        else {
            return;
        };
        if in_view.get_untracked() {
            read_up_to(newest);
        } else {
            waiting.set(Some(newest));
        }
    });
    on_cleanup(move || live.reading.set(None));
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let visible = page_in_view();
            in_view.set(visible);
            if let (true, Some(message_id)) = (visible, waiting.get_untracked()) {
                waiting.set(None);
                read_up_to(message_id);
            }
        });
        on_cleanup(move || handle.remove());
    }
    Effect::watch(
        move || live.message.get(),
        move |message, _, _| {
            let Some(message) = message.clone().filter(|m| m.conversation_id == id) else {
                return;
            };
            let follow = scrolled_to_bottom();
            if !message.from_me {
                if in_view.get_untracked() {
                    read_up_to(message.id);
                } else {
                    waiting.set(Some(message.id));
                }
            }
            let concert_step = message.concert_id.is_some();
            messages.update(|list| merge(list, vec![message]));
            if concert_step {
                concerts_changed.run(());
            }
            if follow {
                request_animation_frame(scroll_to_bottom);
            }
        },
        false,
    );
    Effect::watch(
        move || stream.reconnections.get(),
        move |_, _, _| {
            leptos::task::spawn_local(async move {
                if let Ok(newest) = conversation(id, None).await {
                    if let (true, Some(last)) = (in_view.get_untracked(), newest.messages.last()) {
                        read_up_to(last.id);
                    }
                    messages.update(|list| merge(list, newest.messages));
                    concerts_changed.run(());
                }
            });
        },
        false,
    );
}

/// Whether the page is in view (always, on the server).
fn page_in_view() -> bool {
    #[cfg(feature = "hydrate")]
    {
        document().visibility_state() == web_sys::VisibilityState::Visible
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}

/// Whether the reader is at the end of the page (then new messages keep it there).
fn scrolled_to_bottom() -> bool {
    #[cfg(feature = "hydrate")]
    {
        let window = window();
        let seen = window.scroll_y().unwrap_or(0.0)
            + window
                .inner_height()
                .ok()
                .and_then(|height| height.as_f64())
                .unwrap_or(0.0);
        let total = document()
            .document_element()
            .map_or(0.0, |root| f64::from(root.scroll_height()));
        seen >= total - 80.0
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

fn scroll_to_bottom() {
    #[cfg(feature = "hydrate")]
    if let Some(root) = document().document_element() {
        window().scroll_to_with_x_and_y(0.0, f64::from(root.scroll_height()));
    }
}

#[component]
fn ProfileLink(other: Party) -> impl IntoView {
    let label = match other.role {
        Role::Host => "Voir le profil de l'hôte",
        Role::Artist => "Voir la page de l'artiste",
    };
    other
        .profile_url
        .map(|url| view! { <a href=url class="button secondary">{label}</a> })
}

#[component]
fn MessageView(message: Message, other_name: String) -> impl IntoView {
    let sender = if message.from_me {
        "Vous".to_owned()
    } else {
        other_name
    };
    view! {
        <li class="message" class:mine=message.from_me id=format!("message-{}", message.id)>
            <p class="message-meta">
                <strong>{sender}</strong>
                " · "
                <time datetime=iso(message.sent_at)>{when_from_now(message.sent_at)}</time>
                {(!message.from_me).then(|| view! {
                    " · "
                    <ReportLink subject=ReportSubject::Message target=message.id.to_string() label="Signaler" />
                })}
            </p>
            <p class="message-body">{message.body}</p>
        </li>
    }
}

/// In place of the reply form once one of the two blocked the other. The blocked side reads
/// the same words as after any closing: nothing says who did it.
#[component]
fn ClosedNotice(blocked_by_me: bool, other_name: String) -> impl IntoView {
    // One text node: an island's text must hydrate as the server wrote it.
    let text = if blocked_by_me {
        format!(
            "Cette conversation est fermée. Vous avez bloqué {other_name} : ni l'un ni l'autre ne peut plus y écrire. « Débloquer », en haut, la rouvre."
        )
    } else {
        "Cette conversation est fermée.".to_owned()
    };
    view! { <p class="notice closed" role="status">{text}</p> }
}

/// Archives the conversation for the reader, or brings it back.
#[component]
fn ArchiveForm(id: i64, archived: bool) -> impl IntoView {
    let action = ServerAction::<ArchiveConversation>::new();
    let archived = move || {
        action
            .value()
            .get()
            .and_then(Result::ok)
            .map_or(archived, |state| state.archived)
    };
    let error = last_error(action);
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="archived" value=move || (!archived()).to_string() />
            <button type="submit" class="button secondary" disabled=move || action.pending().get()>
                {move || if archived() { "Remettre dans les conversations en cours" } else { "Archiver" }}
            </button>
            <FormError error />
        </ActionForm>
        {move || archived().then(|| view! {
            <p class="notice" role="status">"Conversation archivée. Elle reviendra dans vos conversations en cours si un nouveau message arrive."</p>
        })}
    }
}

/// The reply form. With JavaScript the sent message joins the thread and the form empties;
/// without it, the server sends the browser back to the conversation.
#[component]
fn ReplyForm(id: i64, messages: RwSignal<Vec<Message>>) -> impl IntoView {
    let send = ServerAction::<SendMessage>::new();
    let error = last_error(send);
    let form = NodeRef::<html::Form>::new();
    on_success(send, move |message| {
        messages.update(|list| merge(list, vec![message]));
        if let Some(form) = form.get_untracked() {
            form.reset();
        }
    });
    view! {
        <ActionForm action=send node_ref=form attr:class="reply-form card">
            <FormError error />
            <input type="hidden" name="conversation_id" value=id />
            <Field label="Votre réponse" name="body" rows=5 required=true keep=true
                maxlength=limits::BODY error />
            <SubmitButton label="Envoyer" working="Envoi…" pending=send.pending() />
        </ActionForm>
    }
}
