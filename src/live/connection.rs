//! The browser's end: while signed in, each page keeps one `EventSource` on `/events` and
//! turns its events into the `Live` signals; the favicon follows the unread count.

use crate::{
    auth::context::Auth,
    live::{
        model::LiveEvent,
        signals::{FAVICON, FAVICON_UNREAD, Live},
    },
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{Event, EventSource, MessageEvent};

/// An open stream and the callbacks it calls; dropping it closes the stream.
struct Connection {
    source: EventSource,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut(Event)>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.source.close();
    }
}

pub fn keep_open(auth: Auth, live: Live) {
    let connection = StoredValue::new_local(None::<Connection>);
    Effect::new(move |_| {
        let signed_in = matches!(auth.viewer.get(), Some(Ok(Some(_))));
        if signed_in == connection.with_value(Option::is_some) {
            return;
        }
        connection.set_value(if signed_in { open(live) } else { None });
        if !signed_in {
            live.unread.set(None);
        }
    });
    on_cleanup(move || connection.set_value(None));

    let unread = live.unread_total();
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

fn open(live: Live) -> Option<Connection> {
    let source = EventSource::new("/events").ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(data) = event.data().as_string() else {
            return;
        };
        // An event this build does not know (a newer server) is skipped.
        match serde_json::from_str::<LiveEvent>(&data) {
            Ok(LiveEvent::Unread(unread)) => live.unread.set(Some(unread)),
            Ok(LiveEvent::Message { message }) => {
                live.message.set(Some(message));
                live.messages_received.update(|count| *count += 1);
            }
            Ok(LiveEvent::Archived(archive)) => live.archived.set(Some(archive)),
            Err(_) => {}
        }
    });
    // The browser reconnects by itself; after the first time, pages re-read what they show.
    let mut opened_before = false;
    let on_open = Closure::<dyn FnMut(Event)>::new(move |_| {
        if opened_before {
            live.reconnections.update(|count| *count += 1);
        }
        opened_before = true;
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    Some(Connection {
        source,
        _on_message: on_message,
        _on_open: on_open,
    })
}
