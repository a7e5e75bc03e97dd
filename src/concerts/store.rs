//! SQL for concert requests. Every read goes through the asking user's row in
//! `conversation_members`, as the messenger's do: someone who takes no part in the
//! conversation finds nothing, and the caller answers 404. Writes take the caller's
//! transaction, so that a step and the message that records it are stored together.

use crate::{
    concerts::model::{ConcertRecord, RequestStatus, limits},
    db::Db,
    error::AppError,
};
use sqlx::{Any, Transaction};

const REQUEST_COLUMNS: &str = "r.id, r.conversation_id, r.proposed_by, r.replaces_id, \
     r.starts_at, r.day, r.offer, r.guests, r.fee_eur, r.note, r.status, r.reason, \
     r.sequence, r.updated_at, c.host_id, c.artist_id";

/// Joins for `REQUEST_COLUMNS`, through the reader's membership (`$1`).
const FROM_MY_REQUESTS: &str = "FROM concert_requests r \
     JOIN conversations c ON c.id = r.conversation_id \
     JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = $1";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub conversation_id: i64,
    pub proposed_by: i64,
    pub replaces_id: Option<i64>,
    pub starts_at: i64,
    pub day: String,
    pub offer: Option<String>,
    pub guests: i64,
    pub fee_eur: Option<i64>,
    pub note: String,
    pub status: String,
    pub reason: Option<String>,
    pub sequence: i64,
    pub updated_at: i64,
    pub host_id: i64,
    pub artist_id: i64,
}

impl RequestRow {
    pub fn status(&self) -> RequestStatus {
        // Only this module writes the column, with `RequestStatus::as_str`.
        RequestStatus::parse(&self.status).unwrap_or(RequestStatus::Cancelled)
    }
}

/// The terms of a new request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub starts_at: i64,
    /// The start's day in Paris, "2027-07-03".
    pub day: String,
    pub offer: Option<String>,
    pub guests: i64,
    pub fee_eur: Option<i64>,
    pub note: String,
}

/// The request `id` as `reader` may see it; `None` if it does not exist or they take no part
/// in its conversation.
pub async fn for_member(db: &Db, reader: i64, id: i64) -> Result<Option<RequestRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} {FROM_MY_REQUESTS} WHERE r.id = $2"
    ))
    .bind(reader)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

/// A request with what its calendar file says: who plays, at whose home, in which commune.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarRow {
    #[sqlx(flatten)]
    pub request: RequestRow,
    pub artist_name: Option<String>,
    pub host_name: Option<String>,
    pub commune: Option<String>,
}

/// The request `id` with its calendar's details, as `reader` may see it (`None` otherwise).
pub async fn calendar_row(db: &Db, reader: i64, id: i64) -> Result<Option<CalendarRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS}, a.stage_name AS artist_name, h.name AS host_name, \
         co.name AS commune {FROM_MY_REQUESTS} \
         LEFT JOIN artists a ON a.user_id = c.artist_id \
         LEFT JOIN hosts h ON h.user_id = c.host_id \
         LEFT JOIN communes co ON co.code = h.commune_code \
         WHERE r.id = $2"
    ))
    .bind(reader)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

/// The newest requests of a conversation `reader` takes part in, oldest first.
pub async fn in_conversation(
    db: &Db,
    reader: i64,
    conversation_id: i64,
) -> Result<Vec<RequestRow>, AppError> {
    let mut rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} {FROM_MY_REQUESTS} WHERE r.conversation_id = $2 \
         ORDER BY r.id DESC LIMIT $3"
    ))
    .bind(reader)
    .bind(conversation_id)
    .bind(i64::try_from(limits::PER_CONVERSATION).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?;
    rows.reverse();
    Ok(rows)
}

/// The titles of the artist's formules, which a proposal names.
pub async fn offer_titles(db: &Db, artist: i64) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar(
            "SELECT title FROM artist_offers WHERE artist_id = $1 ORDER BY position",
        )
        .bind(artist)
        .fetch_all(&db.pool)
        .await?,
    )
}

/// The artist's accepted concerts (id, day) on any of `days` (Paris days, "2027-07-03").
pub async fn accepted_on_days(
    db: &Db,
    artist: i64,
    days: &[&str],
) -> Result<Vec<(i64, String)>, AppError> {
    if days.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..days.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT r.id, r.day FROM concert_requests r \
         JOIN conversations c ON c.id = r.conversation_id \
         WHERE c.artist_id = $1 AND r.status = 'accepted' AND r.day IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(artist);
    for day in days {
        query = query.bind(*day);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// Stores a new request by `proposed_by` (replacing `replaces`, for a counter-proposal).
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    conversation_id: i64,
    proposed_by: i64,
    replaces: Option<i64>,
    terms: &Terms,
    now: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO concert_requests (conversation_id, proposed_by, replaces_id, starts_at, \
         day, offer, guests, fee_eur, note, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(conversation_id)
    .bind(proposed_by)
    .bind(replaces)
    .bind(terms.starts_at)
    .bind(&terms.day)
    .bind(&terms.offer)
    .bind(terms.guests)
    .bind(terms.fee_eur)
    .bind(&terms.note)
    .bind(RequestStatus::Proposed.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Moves a request from `from` to `to`, with a reason; `false` if it was no longer `from`
/// (someone answered first). An accepted concert that changes gets a new calendar sequence.
pub async fn change_status(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    from: RequestStatus,
    to: RequestStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE concert_requests SET status = $1, reason = $2, updated_at = $3, \
         sequence = sequence + $4 WHERE id = $5 AND status = $6",
    )
    .bind(to.as_str())
    .bind(reason)
    .bind(now)
    .bind(i64::from(from == RequestStatus::Accepted))
    .bind(id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The concerts the published artist at `slug` gave through the site before `now`, and their
/// upcoming booked days; `None` if no published artist is there.
pub async fn artist_concerts(
    db: &Db,
    slug: &str,
    now: i64,
) -> Result<Option<ConcertRecord>, AppError> {
    let artist: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM artists WHERE slug = $1 AND published = 1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?;
    let Some(artist) = artist else {
        return Ok(None);
    };
    const ACCEPTED_OF_ARTIST: &str = "FROM concert_requests r \
         JOIN conversations c ON c.id = r.conversation_id \
         WHERE c.artist_id = $1 AND r.status = 'accepted'";
    let given: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) {ACCEPTED_OF_ARTIST} AND r.starts_at <= $2"
    ))
    .bind(artist)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    let booked_days = sqlx::query_scalar(&format!(
        "SELECT DISTINCT r.day {ACCEPTED_OF_ARTIST} AND r.starts_at > $2 ORDER BY r.day LIMIT $3"
    ))
    .bind(artist)
    .bind(now)
    .bind(i64::try_from(limits::BOOKED_DAYS).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(ConcertRecord { given, booked_days }))
}
