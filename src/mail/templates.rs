//! An e-mail's parts: its subject, and its text as plain text and HTML.

pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}
