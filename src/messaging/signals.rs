//! The messenger's live signals, shared through context by the header, the tab title, the
//! favicon, the inbox and the open conversation; fed by the messenger's events on the live
//! stream.

use crate::{
    auth::context::Auth,
    live::signals::LiveStream,
    messaging::{
        api::my_unread_count,
        model::{ArchiveState, LiveEvent, Message, UnreadState, open_conversation, unread_label},
    },
};
use leptos::prelude::*;

pub const FAVICON: &str = "/favicon.svg";
pub const FAVICON_UNREAD: &str = "/favicon-unread.svg";

#[derive(Clone, Copy)]
pub struct LiveMessages {
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
    /// Creates the signals, provides them and registers them on `stream`: on the server for
    /// each page, in the browser once, for all the page's islands (the badge, the inbox, the
    /// open conversation).
    pub fn provide(stream: LiveStream) -> Self {
        let live = LiveMessages {
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
        provide_context(live);
        live
    }

    /// Unread messages to show: the stream's (less the conversation in view), once
    /// connected; before that, the count the page was `rendered` with.
    pub fn unread_total(self, rendered: i64) -> Signal<i64> {
        Signal::derive(move || match self.unread.get() {
            Some(unread) => {
                unread.total
                    - self
                        .reading
                        .get()
                        .map_or(0, |conversation| unread.in_conversation(conversation))
            }
            None => rendered,
        })
    }

    /// Unread messages of one conversation, if the stream said (else what the page shows).
    pub fn unread_in(self, conversation_id: i64) -> Option<i64> {
        self.unread
            .get()
            .map(|unread| unread.in_conversation(conversation_id))
    }
}

/// The unread count a page is rendered with, read on the server for its header and title
/// (inside the router: opening a conversation reads it, so it is not counted).
pub fn rendered_unread() -> Resource<i64> {
    let auth = expect_context::<Auth>();
    let location = leptos_router::hooks::use_location();
    Resource::new(
        move || location.pathname.get(),
        move |path| async move {
            match auth.viewer.await {
                Ok(Some(_)) => my_unread_count(open_conversation(&path))
                    .await
                    .map_or(0, |count| count.total),
                _ => 0,
            }
        },
    )
}

/// The unread count in the header, kept live: the island that opens the page's stream (one
/// per member's page, shared by every island) and shows the count in the tab's title and
/// icon too. `rendered`: the count the page was rendered with, until the stream says.
#[island]
pub fn LiveUnreadBadge(rendered: i64) -> impl IntoView {
    let live = expect_context::<LiveMessages>();
    expect_context::<LiveStream>().open();
    let count = live.unread_total(rendered);
    #[cfg(feature = "hydrate")]
    show_unread_in_title_and_favicon(count);
    // Elements only (the space before the count is the badge's margin, and the spoken
    // label's own): a text node first in an island does not hydrate where the server wrote it.
    let shown = move || {
        let count = count.get();
        (count > 0).then(|| {
            view! {
                <span class="badge" aria-hidden="true">{count}</span>
                <span class="visually-hidden">{format!(" ({})", unread_label(count))}</span>
            }
        })
    };
    view! { <span class="unread-count">{shown}</span> }
}

/// The tab's title counts what is unread (the server wrote the count the page was rendered
/// with), and its icon shows a dot while something is.
#[cfg(feature = "hydrate")]
fn show_unread_in_title_and_favicon(unread: Signal<i64>) {
    let page_title = without_unread_count(&document().title()).to_owned();
    Effect::new(move |_| {
        let count = unread.get();
        document().set_title(&with_unread_count(page_title.clone(), count));
        let href = if count > 0 { FAVICON_UNREAD } else { FAVICON };
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

/// The page's own title, without the count `with_unread_count` put before it.
pub fn without_unread_count(title: &str) -> &str {
    title
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(") "))
        .filter(|(count, _)| !count.is_empty() && count.bytes().all(|byte| byte.is_ascii_digit()))
        .map_or(title, |(_, page)| page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_title_comes_back_from_a_counted_one() {
        let title = "Messages · Concerts dans mon salon";
        assert_eq!(
            without_unread_count(&with_unread_count(title.to_owned(), 3)),
            title
        );
        assert_eq!(
            without_unread_count(&with_unread_count(title.to_owned(), 0)),
            title
        );
        assert_eq!(without_unread_count("(12) Messages"), "Messages");
        // Only a count is taken off, not a page's own parenthesis.
        assert_eq!(without_unread_count("(Trio) Jazz"), "(Trio) Jazz");
        assert_eq!(without_unread_count("() Jazz"), "() Jazz");
    }
}
