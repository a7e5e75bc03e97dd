//! SQL for host profiles. Every read says who is asking: the confidentiality rule lives in
//! the query, not in the page.

use crate::{
    db::Db,
    error::AppError,
    hosts::model::HostProfile,
    places::store::{OPTIONAL_CITY_COLUMNS, OptionalCity, optional_city_joins},
};

#[derive(sqlx::FromRow)]
struct HostRow {
    user_id: i64,
    name: String,
    description: String,
    updated_at: i64,
    #[sqlx(flatten)]
    city: OptionalCity,
}

impl HostRow {
    fn into_profile(self) -> HostProfile {
        HostProfile {
            id: self.user_id,
            name: self.name,
            city: self.city.into_city(),
            description: self.description,
            updated_at: self.updated_at,
        }
    }
}

fn host_select() -> String {
    format!(
        "SELECT h.user_id, h.name, h.description, h.updated_at, {OPTIONAL_CITY_COLUMNS} \
         FROM hosts h {}",
        optional_city_joins("h.commune_code")
    )
}

/// The host profile `host_id` as `viewer_id` may see it: the host themself, and the artists
/// this host has a conversation with, unless the artist blocked the host or the host is
/// suspended.
pub async fn find_visible(
    db: &Db,
    host_id: i64,
    viewer_id: i64,
) -> Result<Option<HostProfile>, AppError> {
    let row: Option<HostRow> = sqlx::query_as(&format!(
        "{} WHERE h.user_id = $1 AND (h.user_id = $2 OR (EXISTS (SELECT 1 FROM conversations c \
         WHERE c.host_id = h.user_id AND c.artist_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $2 AND b.blocked_id = h.user_id) \
         AND NOT EXISTS (SELECT 1 FROM users s WHERE s.id = h.user_id AND s.suspended_at IS NOT NULL)))",
        host_select()
    ))
    .bind(host_id)
    .bind(viewer_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(HostRow::into_profile))
}

/// The host profile `host_id`, whoever asks: only for the moderators' desk, which writes
/// each visit to its audit log.
pub async fn find_any(db: &Db, host_id: i64) -> Result<Option<HostProfile>, AppError> {
    let row: Option<HostRow> = sqlx::query_as(&format!("{} WHERE h.user_id = $1", host_select()))
        .bind(host_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(HostRow::into_profile))
}

/// Creates or replaces the host's profile.
pub async fn save(
    db: &Db,
    host_id: i64,
    name: &str,
    commune_code: &str,
    description: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO hosts (user_id, name, commune_code, description, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, \
         commune_code = excluded.commune_code, description = excluded.description, \
         updated_at = excluded.updated_at",
    )
    .bind(host_id)
    .bind(name)
    .bind(commune_code)
    .bind(description)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Deletes the host's profile (their account is being deleted).
pub async fn delete(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    host_id: i64,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM hosts WHERE user_id = $1")
        .bind(host_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
