//! The messenger's pages: the inbox (`/messages`), a conversation (`/messages/{id}`), the
//! "Contacter" block of an artist's page, and blocking someone.

mod blocks;
mod concerts;
mod contact;
mod inbox;
mod thread;

pub use blocks::{BlockButton, BlockedPeople};
pub use contact::ContactArtist;
pub use inbox::MessagesPage;
pub use thread::ThreadPage;
