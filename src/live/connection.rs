//! The browser's end: each member's page keeps one `EventSource` on `/events` and
//! hands its events to the features registered on `LiveStream`.

use crate::live::signals::LiveStream;
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

/// Opens the page's one stream (its island lives as long as the page).
pub fn keep_open(stream: LiveStream) {
    let connection = StoredValue::new_local(open(stream));
    on_cleanup(move || connection.set_value(None));
}

fn open(stream: LiveStream) -> Option<Connection> {
    let source = EventSource::new("/events").ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(data) = event.data().as_string() {
            stream.dispatch(&data);
        }
    });
    // The browser reconnects by itself; after the first time, pages re-read what they show.
    let mut opened_before = false;
    let on_open = Closure::<dyn FnMut(Event)>::new(move |_| {
        if opened_before {
            stream.reconnections.update(|count| *count += 1);
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
