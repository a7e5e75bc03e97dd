//! SQL for concert requests. Every read goes through the asking user's row in
//! `conversation_members`, as the messenger's do: someone who takes no part in the
//! conversation finds nothing, and the caller answers 404. Writes take the caller's
//! transaction, so that a step and the message that records it are stored together.

use crate::{
    concerts::model::{RequestStatus, limits},
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

/// One of the reader's concerts, with the name of the other side.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyConcertRow {
    #[sqlx(flatten)]
    pub request: RequestRow,
    pub with_name: Option<String>,
}

/// A request with the name of the other side, through the reader's membership (`$1`).
fn my_concert_select() -> String {
    format!(
        "SELECT {REQUEST_COLUMNS}, CASE WHEN c.host_id = $1 THEN a.stage_name ELSE h.name END \
         AS with_name {FROM_MY_REQUESTS} \
         LEFT JOIN artists a ON a.user_id = c.artist_id \
         LEFT JOIN hosts h ON h.user_id = c.host_id"
    )
}

/// The reader's current requests (not those replaced by a counter-proposal), to come after
/// `now` (soonest first) or, when `past`, before it (latest first).
pub async fn my_concerts(
    db: &Db,
    reader: i64,
    now: i64,
    past: bool,
) -> Result<Vec<MyConcertRow>, AppError> {
    let (when, order) = if past {
        ("r.starts_at <= $2", "DESC")
    } else {
        ("r.starts_at > $2", "ASC")
    };
    Ok(sqlx::query_as(&format!(
        "{} WHERE r.status <> 'countered' AND {when} ORDER BY r.starts_at {order}, r.id LIMIT $3",
        my_concert_select()
    ))
    .bind(reader)
    .bind(now)
    .bind(i64::try_from(limits::MY_CONCERTS).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?)
}

/// The request `id` with the name of the other side, if `reader` takes part in it.
pub async fn my_concert(db: &Db, reader: i64, id: i64) -> Result<Option<MyConcertRow>, AppError> {
    Ok(
        sqlx::query_as(&format!("{} WHERE r.id = $2", my_concert_select()))
            .bind(reader)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The concerts `artist` gave through the site before `now`, and their upcoming booked days.
pub async fn artist_concerts(
    db: &Db,
    artist: i64,
    now: i64,
) -> Result<(i64, Vec<String>), AppError> {
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
    Ok((given, booked_days))
}

/// A review, with its concert's day and, when an artist wrote it, their stage name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub concert_id: i64,
    pub author_id: i64,
    pub subject_id: i64,
    pub rating: i64,
    pub body: String,
    pub answer: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub concert_day: String,
    pub author_name: Option<String>,
}

const REVIEW_SELECT: &str = "SELECT rv.id, rv.concert_id, rv.author_id, rv.subject_id, \
     rv.rating, rv.body, rv.answer, rv.created_at, rv.updated_at, r.day AS concert_day, \
     CASE WHEN rv.author_id = c.artist_id THEN COALESCE(a.stage_name, 'Compte supprimé') END \
     AS author_name \
     FROM concert_reviews rv \
     JOIN concert_requests r ON r.id = rv.concert_id \
     JOIN conversations c ON c.id = r.conversation_id \
     LEFT JOIN artists a ON a.user_id = c.artist_id";

/// The reviews of the concerts `ids`, whoever wrote them.
pub async fn reviews_of_concerts(db: &Db, ids: &[i64]) -> Result<Vec<ReviewRow>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{REVIEW_SELECT} WHERE rv.concert_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// The review `id`, if `reader` takes part in its concert's conversation.
pub async fn review_for_member(
    db: &Db,
    reader: i64,
    id: i64,
) -> Result<Option<ReviewRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{REVIEW_SELECT} JOIN conversation_members me ON me.conversation_id = c.id \
         AND me.user_id = $1 WHERE rv.id = $2"
    ))
    .bind(reader)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

/// `author`'s review of the concert `concert`.
pub async fn review_by(db: &Db, concert: i64, author: i64) -> Result<Option<ReviewRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{REVIEW_SELECT} WHERE rv.concert_id = $1 AND rv.author_id = $2"
    ))
    .bind(concert)
    .bind(author)
    .fetch_optional(&db.pool)
    .await?)
}

/// How many reviews `subject` received and their total of stars, with the newest.
pub async fn reviews_received(
    db: &Db,
    subject: i64,
) -> Result<(i64, i64, Vec<ReviewRow>), AppError> {
    let (count, stars): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(rating), 0) AS BIGINT) FROM concert_reviews \
         WHERE subject_id = $1",
    )
    .bind(subject)
    .fetch_one(&db.pool)
    .await?;
    let newest = sqlx::query_as(&format!(
        "{REVIEW_SELECT} WHERE rv.subject_id = $1 ORDER BY rv.created_at DESC, rv.id DESC LIMIT $2"
    ))
    .bind(subject)
    .bind(i64::try_from(limits::REVIEWS_SHOWN).unwrap_or(i64::MAX))
    .fetch_all(&db.pool)
    .await?;
    Ok((count, stars, newest))
}

/// Stores `author`'s first review of `concert`; `None` if they already wrote one (a second
/// post at the same moment).
pub async fn insert_review(
    db: &Db,
    concert: i64,
    author: i64,
    subject: i64,
    rating: i64,
    body: &str,
    now: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO concert_reviews (concert_id, author_id, subject_id, rating, body, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (concert_id, author_id) DO NOTHING RETURNING id",
    )
    .bind(concert)
    .bind(author)
    .bind(subject)
    .bind(rating)
    .bind(body)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?)
}

/// Changes the review `id`, if it was written after `written_after`.
pub async fn update_review(
    db: &Db,
    id: i64,
    rating: i64,
    body: &str,
    written_after: i64,
    now: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE concert_reviews SET rating = $1, body = $2, updated_at = $3 \
         WHERE id = $4 AND created_at > $5",
    )
    .bind(rating)
    .bind(body)
    .bind(now)
    .bind(id)
    .bind(written_after)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the answer to the review `id`, unless it already has one.
pub async fn answer_review(db: &Db, id: i64, answer: &str, now: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE concert_reviews SET answer = $1, answered_at = $2 \
         WHERE id = $3 AND answer IS NULL",
    )
    .bind(answer)
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
