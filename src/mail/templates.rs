//! An e-mail's parts: its subject, its text as plain text and HTML, and files attached.

pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

/// A file sent with an e-mail (a concert's calendar file).
pub struct Attachment {
    pub filename: String,
    /// Its MIME type, parameters included: "text/calendar; charset=utf-8".
    pub content_type: String,
    pub body: String,
}
