//! The report pages (`/signaler/…`) and the moderators' desk (`/moderation`). Plain forms:
//! they work the same without JavaScript.

mod desk;
mod report;

pub use desk::{ModerationHostPage, ModerationPage};
pub use report::{ReportLink, ReportPage, ReportSentPage};
