//! SQL for host profiles. Every read says who is asking: the confidentiality rule lives in
//! the query, not in the page.

use crate::{
    db::Db,
    error::AppError,
    hosts::model::HostProfile,
    places::{self, store::CityRow},
};

#[derive(sqlx::FromRow)]
struct HostRow {
    user_id: i64,
    name: String,
    description: String,
    updated_at: i64,
    city_code: Option<String>,
    city_name: Option<String>,
    city_department: Option<String>,
    city_region_code: Option<String>,
    city_region_name: Option<String>,
    city_postal_code: Option<String>,
}

impl HostRow {
    fn into_profile(self) -> HostProfile {
        let city = match (
            self.city_code,
            self.city_name,
            self.city_department,
            self.city_region_code,
            self.city_region_name,
        ) {
            (Some(code), Some(name), Some(department), Some(region_code), Some(region_name)) => {
                let row: CityRow = (
                    code,
                    name,
                    department,
                    region_code,
                    region_name,
                    self.city_postal_code,
                );
                Some(places::store::city(row))
            }
            _ => None,
        };
        HostProfile {
            id: self.user_id,
            name: self.name,
            city,
            description: self.description,
            updated_at: self.updated_at,
        }
    }
}

const HOST_SELECT: &str = "SELECT h.user_id, h.name, h.description, h.updated_at, \
     c.code AS city_code, c.name AS city_name, c.department AS city_department, \
     r.code AS city_region_code, r.name AS city_region_name, \
     (SELECT MIN(p.postal_code) FROM commune_postal_codes p WHERE p.commune_code = c.code) \
       AS city_postal_code \
     FROM hosts h \
     LEFT JOIN communes c ON c.code = h.commune_code \
     LEFT JOIN regions r ON r.code = c.region_code";

/// The host profile `host_id` as `viewer_id` may see it: only the host themself, for now.
/// (Artists this host wrote to will be let in by the messaging migration's conversations.)
pub async fn find_visible(
    db: &Db,
    host_id: i64,
    viewer_id: i64,
) -> Result<Option<HostProfile>, AppError> {
    let row: Option<HostRow> = sqlx::query_as(&format!(
        "{HOST_SELECT} WHERE h.user_id = $1 AND h.user_id = $2"
    ))
    .bind(host_id)
    .bind(viewer_id)
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
