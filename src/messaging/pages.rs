//! The messenger's pages: the inbox (`/messages`), a conversation (`/messages/{id}`), and the
//! "Contacter" block of an artist's page.

use crate::{
    artists::model::artist_path,
    auth::context::SignedIn,
    auth::model::{Role, Viewer},
    error::AppError,
    live::signals::Live,
    messaging::{
        api::{ArchiveConversation, SendMessage, WriteToArtist, conversation, mark_read, my_inbox},
        model::thread_path,
        model::{
            ContactState, ConversationSummary, Inbox, Message, Party, Thread, limits, unread_label,
        },
    },
    ui::not_found::NotFound,
    ui::{
        forms::{Field, FormError, SubmitButton, last_error, on_success},
        loading::{LoadError, Loading},
        time::{iso, when_from_now},
    },
};
use leptos::{either::Either, html, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

/// `/messages`: the current conversations, or with `?vue=archives` the archived ones, a page
/// at a time (`?avant=` an inbox's `older`: the next older page, with or without JavaScript).
#[component]
pub fn MessagesPage() -> impl IntoView {
    view! {
        <Title text="Messages" />
        <Meta name="robots" content="noindex" />
        <SignedIn children=|viewer| view! { <InboxView viewer /> } />
    }
}

#[component]
fn InboxView(viewer: Viewer) -> impl IntoView {
    let query = use_query_map();
    let archived = move || query.read().get("vue").as_deref() == Some("archives");
    let before = move || query.read().get("avant");
    let live = expect_context::<Live>();
    // Read again when a message arrives or another tab archives: the order and the rows change.
    let inbox = Resource::new(
        move || {
            (
                archived(),
                before(),
                live.messages_received.get(),
                live.archived.get(),
            )
        },
        |(archived, before, _, _)| my_inbox(archived, before),
    );
    // Plain links: the router's <A> marks both current, as they share the path.
    let tab = move |label: &'static str, href: &'static str, is_archive: bool| {
        view! {
            <a href=href class="tab" aria-current=move || (archived() == is_archive).then_some("page")>
                {label}
            </a>
        }
    };
    view! {
        <section class="page-heading">
            <h1>"Messages"</h1>
        </section>
        <nav class="tabs" aria-label="Conversations">
            {tab("En cours", "/messages", false)}
            {tab("Archivées", "/messages?vue=archives", true)}
        </nav>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(inbox) => Either::Left(view! {
                        <ConversationList inbox role=viewer.role paged=before().is_some() />
                    }),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Transition>
    }
}

/// One page of conversations; `paged`: an older page, not the newest one.
#[component]
fn ConversationList(inbox: Inbox, role: Role, paged: bool) -> impl IntoView {
    let live = expect_context::<Live>();
    let listed = inbox.unread_total;
    let unread = move || match live.unread.get().map_or(listed, |unread| unread.total) {
        0 => "Aucun message non lu.".to_owned(),
        count => format!("{}.", unread_label(count)),
    };
    let empty = match (inbox.archived, role) {
        (true, _) => Either::Left("Aucune conversation archivée."),
        (false, Role::Artist) => Either::Left(
            "Aucune conversation pour l'instant. Les hôtes qui vous écrivent apparaîtront ici.",
        ),
        (false, Role::Host) => Either::Right(view! {
            "Aucune conversation pour l'instant. Trouvez un artiste et écrivez-lui depuis sa page : "
            <A href="/recherche">"rechercher un artiste"</A>
            "."
        }),
    };
    let newest = if inbox.archived {
        "/messages?vue=archives"
    } else {
        "/messages"
    };
    let older = inbox.older.map(|older| {
        let separator = if inbox.archived { '&' } else { '?' };
        view! {
            <p class="older"><a href=format!("{newest}{separator}avant={older}")>"Conversations plus anciennes"</a></p>
        }
    });
    view! {
        <p class="result-count" role="status">{unread}</p>
        {if inbox.conversations.is_empty() {
            Either::Left(view! { <p class="empty">{empty}</p> })
        } else {
            Either::Right(view! {
                <ul class="inbox">
                    {inbox.conversations.into_iter().map(|summary| view! { <ConversationRow summary /> }).collect_view()}
                </ul>
            })
        }}
        {older}
        {paged.then(|| view! {
            <p class="older"><a href=newest>"Revenir aux conversations les plus récentes"</a></p>
        })}
    }
}

#[component]
fn ConversationRow(summary: ConversationSummary) -> impl IntoView {
    let live = expect_context::<Live>();
    let (id, listed) = (summary.id, summary.unread);
    // The stream's count once it has one: reading in another tab clears it here.
    let count = move || live.unread_in(id).unwrap_or(listed);
    let unread = move || {
        let count = count();
        (count > 0).then(|| {
            let label = unread_label(count);
            view! { <span class="badge" aria-label=label.clone() title=label>{count}</span> }
        })
    };
    view! {
        <li class="conversation" class:unread={move || count() > 0}>
            <a href=thread_path(summary.id)>
                <span class="conversation-top">
                    <strong class="conversation-name">{summary.other.name}</strong>
                    {unread}
                    <time datetime=iso(summary.last_message_at)>{when_from_now(summary.last_message_at)}</time>
                </span>
                <span class="excerpt">
                    {summary.last_from_me.then_some("Vous : ")}
                    {summary.excerpt}
                </span>
            </a>
        </li>
    }
}

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
                    Ok(thread) => Either::Left(view! { <ThreadView thread /> }),
                    Err(AppError::NotFound) => Either::Right(view! { <NotFound /> }.into_any()),
                    Err(error) => Either::Right(view! { <LoadError error card=true /> }.into_any()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ThreadView(thread: Thread) -> impl IntoView {
    let id = thread.id;
    let other = thread.other.clone();
    let messages = RwSignal::new(thread.messages);
    let has_older = RwSignal::new(thread.has_older);
    // Showing an older page without JavaScript (`?avant=`): offer the way back to the newest.
    let showing_older = use_query_map().read_untracked().get("avant").is_some();
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
    follow_live(id, messages);
    view! {
        <Title text=format!("Conversation avec {}", other.name) />
        <section class="thread-heading">
            <p class="back"><A href="/messages">"← Toutes les conversations"</A></p>
            <h1>{format!("Conversation avec {}", other.name)}</h1>
            <div class="thread-actions">
                <ProfileLink other=other.clone() />
                <ArchiveForm id archived=thread.archived />
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
        <ReplyForm id messages />
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
fn follow_live(id: i64, messages: RwSignal<Vec<Message>>) {
    let live = expect_context::<Live>();
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
            messages.update(|list| merge(list, vec![message]));
            if follow {
                request_animation_frame(scroll_to_bottom);
            }
        },
        false,
    );
    Effect::watch(
        move || live.reconnections.get(),
        move |_, _, _| {
            leptos::task::spawn_local(async move {
                if let Ok(newest) = conversation(id, None).await {
                    if let (true, Some(last)) = (in_view.get_untracked(), newest.messages.last()) {
                        read_up_to(last.id);
                    }
                    messages.update(|list| merge(list, newest.messages));
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
        .map(|url| view! { <A href=url attr:class="button secondary">{label}</A> })
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
            </p>
            <p class="message-body">{message.body}</p>
        </li>
    }
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

/// The "Contacter" block of an artist's page: a host writes here; anyone else is told how to.
#[component]
pub fn ContactArtist(state: ContactState, slug: String, name: String) -> impl IntoView {
    let here = artist_path(&slug);
    let back = form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>();
    let body = match state {
        ContactState::NotAHost => return None,
        ContactState::SignInRequired => Either::Left(view! {
            <p>
                "Pour contacter " {name.clone()} ", "
                <A href=format!("/connexion?suite={back}")>"connectez-vous"</A>
                " ou "
                <A href=format!("/inscription?role=hote&suite={back}")>"créez un compte d'hôte"</A>
                ". C'est gratuit."
            </p>
        }.into_any()),
        ContactState::ProfileRequired => Either::Left(view! {
            <p>
                "Avant de contacter " {name.clone()}
                ", présentez-vous : un artiste voit le profil des hôtes qui lui écrivent (nom, commune, le lieu proposé)."
            </p>
            <A href=format!("/profil?suite={back}") attr:class="button">"Compléter mon profil d'hôte"</A>
        }.into_any()),
        ContactState::AddressUnconfirmed => Either::Left(view! {
            <p>
                "Pour écrire à " {name.clone()}
                ", confirmez d'abord votre adresse e-mail : ouvrez le lien que nous vous avons envoyé (vous pouvez en demander un nouveau en haut de la page)."
            </p>
        }.into_any()),
        ContactState::Open { conversation_id } => Either::Right(view! {
            {conversation_id.map(|conversation| view! {
                <p class="notice">
                    "Vous êtes déjà en conversation avec " {name.clone()} ". "
                    <A href=thread_path(conversation)>"Voir la conversation"</A>
                </p>
            })}
            <WriteForm slug />
        }),
    };
    Some(view! {
        <section class="card contact" id="contacter">
            <h2>{format!("Contacter {name}")}</h2>
            {body}
        </section>
    })
}

#[component]
fn WriteForm(slug: String) -> impl IntoView {
    let write = ServerAction::<WriteToArtist>::new();
    let error = last_error(write);
    view! {
        <ActionForm action=write>
            <FormError error />
            <input type="hidden" name="artist" value=slug />
            <Field label="Votre message" name="body" rows=6 required=true keep=true
                maxlength=limits::BODY error
                hint="Présentez votre projet : la date envisagée, le lieu, le nombre d'invités, ce que vous aimeriez entendre." />
            <SubmitButton label="Envoyer" working="Envoi…" pending=write.pending() />
        </ActionForm>
    }
}
