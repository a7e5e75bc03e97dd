//! The browser's side of the stream, shared through context: features register what to do
//! with each event (`on_event`), and pages read `reconnections` to read again what they show.

use leptos::prelude::*;
use std::sync::Arc;

/// Something a feature does with each event's JSON text (it skips kinds that are not its).
type Handler = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Clone, Copy)]
pub struct LiveStream {
    handlers: StoredValue<Vec<Handler>>,
    /// Reconnections after the first connection: pages read again what they show.
    pub reconnections: RwSignal<u32>,
}

impl LiveStream {
    /// Creates the stream's context and provides it, before the features register: on the
    /// server for each page, in the browser once, for all the page's islands.
    pub fn provide() -> Self {
        let stream = LiveStream {
            handlers: StoredValue::new(Vec::new()),
            reconnections: RwSignal::new(0),
        };
        provide_context(stream);
        stream
    }

    /// Calls `handle` with the JSON text of every event the stream brings, whichever
    /// feature's it is.
    pub fn on_event(self, handle: impl Fn(&str) + Send + Sync + 'static) {
        self.handlers
            .update_value(|handlers| handlers.push(Arc::new(handle)));
    }

    /// Keeps the page's stream open, in the browser (nothing on the server): called by the
    /// one island that shows the stream's state on every member's page.
    pub fn open(self) {
        #[cfg(feature = "hydrate")]
        super::connection::keep_open(self);
    }

    /// Hands one event to every feature.
    #[cfg(feature = "hydrate")]
    pub(super) fn dispatch(self, event: &str) {
        for handle in self.handlers.get_value() {
            handle(event);
        }
    }
}
