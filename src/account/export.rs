//! "Mes données": the member's data as one JSON file (`account::model::MyData`), each part
//! read through its feature's store. The small parts are read before the answer starts (a
//! failure there is a clear error); the messages and e-mails are written as the database
//! yields them, in chunks, so a large account is never held in memory. A failure after the
//! first chunk cuts the download short: the file is then not valid JSON, never a silently
//! incomplete one.

use crate::{
    account::model::{AccountRecord, EMAILS_DAYS, MY_DATA_FORMAT},
    artists::{self, editing::with_public_url},
    auth::{self, model::Role},
    clock, concerts,
    error::AppError,
    hosts, mail, messaging, moderation,
    rate_limit::{self, Limit},
    state::AppState,
};
use futures::{Stream, TryStreamExt};
use serde::Serialize;
use std::pin::pin;

/// Downloads per account and hour: enough to retry, too few to load the server.
const DOWNLOADS_PER_HOUR: Limit = Limit::per_hour(5);
const TOO_MANY_DOWNLOADS: &str = "Vous avez déjà téléchargé vos données plusieurs fois cette heure-ci : réessayez dans une heure.";

/// A chunk is sent once it holds this many bytes.
const CHUNK_BYTES: usize = 32 * 1024;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The file of `member`'s data, as a stream of chunks; refused past `DOWNLOADS_PER_HOUR`.
pub async fn my_data(
    state: &AppState,
    member: i64,
) -> Result<impl Stream<Item = Result<Vec<u8>, AppError>> + Send + 'static, AppError> {
    rate_limit::spend(
        &state.db,
        [(format!("my_data:{member}"), DOWNLOADS_PER_HOUR)],
        TOO_MANY_DOWNLOADS,
    )
    .await?;
    let db = &state.db;
    let now = clock::now(state);
    let (viewer, created_at) = auth::store::find_by_id(db, member)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let account = AccountRecord {
        id: viewer.id,
        email: viewer.email,
        role: viewer.role,
        created_at,
    };
    let (artist_profile, host_profile) = match viewer.role {
        Role::Artist => {
            let profile = artists::store::find_by_owner(db, member).await?;
            (profile.map(|p| with_public_url(p, &state.config)), None)
        }
        Role::Host => (None, hosts::store::find_visible(db, member, member).await?),
    };
    let mut out = JsonOut::default();
    out.open(b'{');
    out.field("format", MY_DATA_FORMAT)?;
    out.field("exported_at", &now)?;
    out.field("account", &account)?;
    out.field("email_settings", &mail::store::settings(db, member).await?)?;
    out.field("artist_profile", &artist_profile)?;
    out.field("host_profile", &host_profile)?;
    let blocked = messaging::store::blocked_people(db, member).await?;
    out.field("blocked_people", &blocked)?;
    let reports = moderation::store::reports_by(db, member).await?;
    out.field("reports", &reports)?;
    let concerts = concerts::reviews::mine(state, member, now).await?;
    out.field("concerts", &concerts)?;
    let conversations = messaging::store::all_conversations(db, member).await?;
    let db = state.db.clone();
    Ok(async_stream::try_stream! {
        out.key("conversations");
        out.open(b'[');
        for conversation in conversations {
            out.separator();
            out.open(b'{');
            out.field("id", &conversation.id)?;
            out.field("other", &conversation.other)?;
            out.field("started_at", &conversation.started_at)?;
            out.field("archived", &conversation.archived)?;
            out.field("closed", &conversation.closed)?;
            out.key("messages");
            out.open(b'[');
            let mut messages = pin!(messaging::store::messages_of(&db, member, conversation.id));
            while let Some(message) = messages.try_next().await? {
                out.item(&message)?;
                if let Some(chunk) = out.full_chunk() {
                    yield chunk;
                }
            }
            out.close(b']');
            out.close(b'}');
        }
        out.close(b']');
        out.key("emails");
        out.open(b'[');
        let mut emails = pin!(mail::store::sent_to(&db, member, now - EMAILS_DAYS * DAY_MS));
        while let Some(email) = emails.try_next().await? {
            out.item(&email)?;
            if let Some(chunk) = out.full_chunk() {
                yield chunk;
            }
        }
        out.close(b']');
        out.close(b'}');
        yield std::mem::take(&mut out.buffer);
    })
}

/// One JSON document written piece by piece: each value by serde_json, the brackets and
/// commas between them here (`nested` says, for each open bracket, whether something was
/// written inside it yet).
#[derive(Default)]
struct JsonOut {
    buffer: Vec<u8>,
    nested: Vec<bool>,
}

impl JsonOut {
    fn open(&mut self, bracket: u8) {
        self.buffer.push(bracket);
        self.nested.push(false);
    }

    fn close(&mut self, bracket: u8) {
        self.buffer.push(bracket);
        self.nested.pop();
    }

    /// The comma before every entry of an object or an array but its first.
    fn separator(&mut self) {
        if let Some(written) = self.nested.last_mut() {
            if *written {
                self.buffer.push(b',');
            }
            *written = true;
        }
    }

    /// An object's key, whose value comes next.
    fn key(&mut self, name: &str) {
        self.separator();
        self.buffer.push(b'"');
        self.buffer.extend_from_slice(name.as_bytes());
        self.buffer.extend_from_slice(b"\":");
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), AppError> {
        self.key(name);
        self.value(value)
    }

    /// An entry of an array.
    fn item<T: Serialize>(&mut self, value: &T) -> Result<(), AppError> {
        self.separator();
        self.value(value)
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), AppError> {
        serde_json::to_writer(&mut self.buffer, value)
            .map_err(|error| AppError::internal("my data as JSON", error))
    }

    /// What was written so far, once it is worth sending.
    fn full_chunk(&mut self) -> Option<Vec<u8>> {
        (self.buffer.len() >= CHUNK_BYTES).then(|| std::mem::take(&mut self.buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::JsonOut;

    #[test]
    fn pieces_make_one_valid_document_with_commas_only_between_entries() {
        let mut out = JsonOut::default();
        out.open(b'{');
        out.field("a", &1).unwrap();
        out.key("list");
        out.open(b'[');
        for item in ["x", "y\"z"] {
            out.item(&item).unwrap();
        }
        out.close(b']');
        out.key("empty");
        out.open(b'[');
        out.close(b']');
        out.key("objects");
        out.open(b'[');
        for id in [1, 2] {
            out.separator();
            out.open(b'{');
            out.field("id", &id).unwrap();
            out.close(b'}');
        }
        out.close(b']');
        out.close(b'}');
        let text = String::from_utf8(out.buffer).unwrap();
        assert_eq!(
            text,
            r#"{"a":1,"list":["x","y\"z"],"empty":[],"objects":[{"id":1},{"id":2}]}"#
        );
    }
}
