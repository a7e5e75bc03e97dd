//! The messenger's live signals, shared through context by the header, the tab title, the
//! favicon, the inbox and the open conversation; fed by the messenger's events on the live
//! stream.

use crate::{
    auth::context::Auth,
    live::signals::LiveStream,
    messaging::{
        api::my_unread_count,
        model::{ArchiveState, LiveEvent, Message, UnreadState, open_conversation},
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

pub const FAVICON: &str = "/favicon.svg";
pub const FAVICON_UNREAD: &str = "/favicon-unread.svg";

#[derive(Clone, Copy)]
pub struct LiveMessages {
    /// The unread count the page was rendered with (read again on each page), until the
    /// stream sends its own.
    rendered: Resource<i64>,
    /// The unread state last sent by the stream; `None` before it connects.
    pub unread: RwSignal<Option<UnreadState>>,
    /// The last message the stream brought.
    pub message: RwSignal<Option<Message>>,
    /// How many messages the stream brought: lists that show conversations read again.
    pub messages_received: RwSignal<u32>,
    /// The last conversation archived or brought back in another tab.
    pub archived: RwSignal<Option<ArchiveState>>,
    /// The conversation open and in view: its messages are read as they arrive, so they
    /// are not counted.
    pub reading: RwSignal<Option<i64>>,
}

impl LiveMessages {
    /// Creates the signals, provides them and registers them on `stream`; inside the router
    /// (the count depends on the page: opening a conversation reads it).
    pub fn provide(stream: LiveStream) -> Self {
        let auth = expect_context::<Auth>();
        let location = use_location();
        let rendered = Resource::new(
            move || location.pathname.get(),
            move |path| async move {
                match auth.viewer.await {
                    Ok(Some(_)) => my_unread_count(open_conversation(&path))
                        .await
                        .map_or(0, |count| count.total),
                    _ => 0,
                }
            },
        );
        let live = LiveMessages {
            rendered,
            unread: RwSignal::new(None),
            message: RwSignal::new(None),
            messages_received: RwSignal::new(0),
            archived: RwSignal::new(None),
            reading: RwSignal::new(None),
        };
        // An event of another feature (or of a newer server) is skipped.
        stream.on_event(move |data| match serde_json::from_str::<LiveEvent>(data) {
            Ok(LiveEvent::Unread(unread)) => live.unread.set(Some(unread)),
            Ok(LiveEvent::Message { message }) => {
                live.message.set(Some(message));
                live.messages_received.update(|count| *count += 1);
            }
            Ok(LiveEvent::Archived(archive)) => live.archived.set(Some(archive)),
            Err(_) => {}
        });
        // Signed out, the stream's count is no one's any more.
        let signed_in = auth.signed_in();
        Effect::new(move |_| {
            if !signed_in.get() {
                live.unread.set(None);
            }
        });
        #[cfg(feature = "hydrate")]
        show_unread_in_favicon(live.unread_total());
        provide_context(live);
        live
    }

    /// Waits for the count the page is rendered with (the header shows it on the server).
    pub async fn ready(self) {
        self.rendered.await;
    }

    /// Unread messages to show: the stream's, once connected, else the page's.
    pub fn unread_total(self) -> Signal<i64> {
        Signal::derive(move || {
            shown_unread(self.unread.get(), self.reading.get(), self.rendered.get())
        })
    }

    /// The same count, read through handles that own their values, for the tab's title.
    ///
    /// leptos_meta keeps the title's formatter and, on the server, calls it while it writes
    /// `<head>`, after the page has rendered and outside the request's reactive arena (only
    /// the page's own stream runs `Sandboxed`). A `Copy` signal read there is looked up in the
    /// arena of whichever request ran last on that thread: disposed (a panic), or another
    /// visitor's. Reference-counted handles need no arena, so they read right anywhere.
    pub fn unread_total_for_title(self) -> impl Fn() -> i64 + Send + Sync + 'static {
        let unread = ArcRwSignal::from(self.unread);
        let reading = ArcRwSignal::from(self.reading);
        let rendered = ArcResource::from(self.rendered);
        move || shown_unread(unread.get(), reading.get(), rendered.get())
    }

    /// Unread messages of one conversation, if the stream said (else what the page shows).
    pub fn unread_in(self, conversation_id: i64) -> Option<i64> {
        self.unread
            .get()
            .map(|unread| unread.in_conversation(conversation_id))
    }
}

/// The stream's count less the conversation in view, once connected; before that, the count
/// the page was rendered with.
fn shown_unread(unread: Option<UnreadState>, reading: Option<i64>, rendered: Option<i64>) -> i64 {
    match unread {
        Some(unread) => {
            unread.total - reading.map_or(0, |conversation| unread.in_conversation(conversation))
        }
        None => rendered.unwrap_or(0),
    }
}

/// The tab's icon shows a dot while something is unread.
#[cfg(feature = "hydrate")]
fn show_unread_in_favicon(unread: Signal<i64>) {
    Effect::new(move |_| {
        let href = if unread.get() > 0 {
            FAVICON_UNREAD
        } else {
            FAVICON
        };
        if let Some(icon) = document()
            .query_selector("link[rel~='icon']")
            .ok()
            .flatten()
        {
            let _ = icon.set_attribute("href", href);
        }
    });
}

/// "(3) Messages · Concerts dans mon salon" while something is unread.
pub fn with_unread_count(title: String, unread: i64) -> String {
    if unread > 0 {
        format!("({unread}) {title}")
    } else {
        title
    }
}
