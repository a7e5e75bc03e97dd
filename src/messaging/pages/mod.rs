//! The messenger's pages: the inbox (`/messages`), a conversation (`/messages/{id}`), and the
//! "Contacter" block of an artist's page.

mod concerts;
mod contact;
mod inbox;
mod thread;

pub use contact::ContactArtist;
pub use inbox::MessagesPage;
pub use thread::ThreadPage;
