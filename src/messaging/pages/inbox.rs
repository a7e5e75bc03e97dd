//! `/messages`: the inbox, a page of conversations at a time.

use crate::{
    auth::context::SignedIn,
    auth::model::{Role, Viewer},
    messaging::{
        api::{MarkUnread, my_inbox},
        model::{ConversationSummary, Inbox, unread_label},
        signals::LiveMessages,
    },
    paths::{ARCHIVED_MESSAGES, MESSAGES, SEARCH, thread_path},
    ui::{
        loading::{LoadError, Loading},
        time::{iso, when_from_now},
    },
};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

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
    let inbox = Resource::new(
        move || (archived(), before()),
        |(archived, before)| my_inbox(archived, before),
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
            {tab("En cours", MESSAGES, false)}
            {tab("Archivées", ARCHIVED_MESSAGES, true)}
        </nav>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(inbox) => Either::Left(view! {
                        <LiveInbox inbox role=viewer.role before=before() />
                    }),
                    Err(error) => Either::Right(view! { <LoadError error /> }),
                }
            })}
        </Suspense>
    }
}

/// The page of conversations, read again when a message arrives or another tab archives
/// one (the order and the rows change). `before`: the page's `?avant=`, an older page.
#[island]
fn LiveInbox(inbox: Inbox, role: Role, before: Option<String>) -> impl IntoView {
    let live = expect_context::<LiveMessages>();
    let (archived, paged) = (inbox.archived, before.is_some());
    let shown = RwSignal::new(inbox);
    Effect::watch(
        move || (live.messages_received.get(), live.archived.get()),
        move |_, _, _| {
            let before = before.clone();
            leptos::task::spawn_local(async move {
                // A failure keeps the rows shown: the next event reads them again.
                if let Ok(inbox) = my_inbox(archived, before).await {
                    shown.set(inbox);
                }
            });
        },
        false,
    );
    move || view! { <ConversationList inbox=shown.get() role paged /> }
}

/// One page of conversations; `paged`: an older page, not the newest one.
#[component]
fn ConversationList(inbox: Inbox, role: Role, paged: bool) -> impl IntoView {
    let live = expect_context::<LiveMessages>();
    let listed = inbox.unread_total;
    let unread = move || match live.unread.get().map_or(listed, |unread| unread.total) {
        0 => "Aucun message non lu.".to_owned(),
        count => format!("{}.", unread_label(count)),
    };
    let empty = match (inbox.archived, role) {
        (true, _) => Either::Left("Aucune conversation archivée ni fermée."),
        (false, Role::Artist) => Either::Left(
            "Aucune conversation pour l'instant. Les hôtes qui vous écrivent apparaîtront ici.",
        ),
        (false, Role::Host) => Either::Right(view! {
            "Aucune conversation pour l'instant. Trouvez un artiste et écrivez-lui depuis sa page : "
            <a href=SEARCH>"rechercher un artiste"</a>
            "."
        }),
    };
    let newest = if inbox.archived {
        ARCHIVED_MESSAGES
    } else {
        MESSAGES
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
    let live = expect_context::<LiveMessages>();
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
                    {summary.closed.then(|| view! { <span class="tag">"Fermée"</span> })}
                    {unread}
                    <time datetime=iso(summary.last_message_at)>{when_from_now(summary.last_message_at)}</time>
                </span>
                // One text node: the HTML parser would merge two adjacent ones, and the
                // browser's hydration then find one node where it expects two.
                <span class="excerpt">
                    {if summary.last_from_me { format!("Vous : {}", summary.excerpt) } else { summary.excerpt }}
                </span>
            </a>
            {move || (count() == 0).then(|| view! { <MarkUnreadButton conversation_id=id /> })}
        </li>
    }
}

/// "Marquer comme non lu": the newest message received in the conversation counts as unread
/// again, in the header, the title and the icon of every open page; back to the inbox.
#[component]
pub(super) fn MarkUnreadButton(conversation_id: i64) -> impl IntoView {
    view! {
        <form method="post" action={<MarkUnread as ServerFn>::PATH} class="mark-unread">
            <input type="hidden" name="conversation_id" value=conversation_id />
            <button type="submit" class="link-button">"Marquer comme non lu"</button>
        </form>
    }
}
