//! SQL for an artist's profile: reading it whole (offers, types, regions), saving it, its photo,
//! deleting it; the published slugs for the sitemap.

use super::{
    placeholders,
    search::{list_for_search, unlist},
};
use crate::{
    artists::{
        model::{ArtistProfile, LinkKind, MusicLink, Offer, Photo},
        profile::ValidProfile,
    },
    db::{Backend, Db},
    error::AppError,
    paths::artist_path,
    places::{
        model::Region,
        store::{OPTIONAL_CITY_COLUMNS, OptionalCity, optional_city_joins},
    },
    text::{search_key, slugify},
};
use sqlx::{Any, Transaction};

/// Public address of a stored photo file.
pub fn photo_urls(file: &str) -> Photo {
    Photo {
        url: format!("/media/photos/{file}.jpg"),
        thumbnail_url: format!("/media/photos/{file}-vignette.jpg"),
    }
}

#[derive(sqlx::FromRow)]
struct ArtistRow {
    user_id: i64,
    slug: String,
    stage_name: String,
    presentation: String,
    music_description: String,
    whole_france: i64,
    youtube_url: Option<String>,
    soundcloud_url: Option<String>,
    bandcamp_url: Option<String>,
    spotify_url: Option<String>,
    website_url: Option<String>,
    photo: Option<String>,
    published: i64,
    updated_at: i64,
    #[sqlx(flatten)]
    base_city: OptionalCity,
}

fn artist_select() -> String {
    format!(
        "SELECT a.user_id, a.slug, a.stage_name, a.presentation, a.music_description, \
         a.whole_france, a.youtube_url, a.soundcloud_url, a.bandcamp_url, a.spotify_url, \
         a.website_url, a.photo, a.published, a.updated_at, {OPTIONAL_CITY_COLUMNS} \
         FROM artists a {}",
        optional_city_joins("a.base_commune_code")
    )
}

/// The owner's profile, draft or published.
pub async fn find_by_owner(db: &Db, user_id: i64) -> Result<Option<ArtistProfile>, AppError> {
    let row: Option<ArtistRow> =
        sqlx::query_as(&format!("{} WHERE a.user_id = $1", artist_select()))
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    match row {
        Some(row) => Ok(Some(complete(db, row).await?)),
        None => Ok(None),
    }
}

/// A profile anyone may see: published, or a draft asked for by its owner.
pub async fn find_visible_by_slug(
    db: &Db,
    slug: &str,
    viewer_id: Option<i64>,
) -> Result<Option<ArtistProfile>, AppError> {
    let row: Option<ArtistRow> = sqlx::query_as(&format!(
        "{} WHERE a.slug = $1 AND (a.published = 1 OR a.user_id = $2)",
        artist_select()
    ))
    .bind(slug)
    .bind(viewer_id.unwrap_or(-1))
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(row) => Ok(Some(complete(db, row).await?)),
        None => Ok(None),
    }
}

async fn complete(db: &Db, row: ArtistRow) -> Result<ArtistProfile, AppError> {
    let music_types = music_types_of(db, &[row.user_id]).await?;
    let regions: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT ar.artist_id, r.code, r.name FROM artist_regions ar \
         JOIN regions r ON r.code = ar.region_code WHERE ar.artist_id = $1",
    )
    .bind(row.user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut regions: Vec<Region> = regions
        .into_iter()
        .map(|(_, code, name)| Region { code, name })
        .collect();
    regions.sort_by_cached_key(|region| search_key(&region.name));
    let offers: Vec<OfferRow> = sqlx::query_as(
        "SELECT title, venue_type, duration, audience, price_text, price_min_eur, \
         price_max_eur, description FROM artist_offers WHERE artist_id = $1 ORDER BY position",
    )
    .bind(row.user_id)
    .fetch_all(&db.pool)
    .await?;
    let links = LinkKind::ALL
        .into_iter()
        .zip([
            row.youtube_url,
            row.soundcloud_url,
            row.bandcamp_url,
            row.spotify_url,
            row.website_url,
        ])
        .filter_map(|(kind, url)| url.map(|url| MusicLink { kind, url }))
        .collect();
    Ok(ArtistProfile {
        url: artist_path(&row.slug),
        slug: row.slug,
        stage_name: row.stage_name,
        presentation: row.presentation,
        music_description: row.music_description,
        music_types: music_types.into_iter().map(|(_, label)| label).collect(),
        regions,
        whole_france: row.whole_france != 0,
        base_city: row.base_city.into_city(),
        links,
        photo: row.photo.as_deref().map(photo_urls),
        offers: offers.into_iter().map(OfferRow::into_offer).collect(),
        published: row.published != 0,
        updated_at: row.updated_at,
    })
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    title: String,
    venue_type: String,
    duration: String,
    audience: String,
    price_text: String,
    price_min_eur: Option<i64>,
    price_max_eur: Option<i64>,
    description: String,
}

impl OfferRow {
    fn into_offer(self) -> Offer {
        Offer {
            title: self.title,
            venue_type: self.venue_type,
            duration: self.duration,
            audience: self.audience,
            price_text: self.price_text,
            price_min_eur: self.price_min_eur.and_then(|p| u32::try_from(p).ok()),
            price_max_eur: self.price_max_eur.and_then(|p| u32::try_from(p).ok()),
            description: self.description,
        }
    }
}

/// (artist id, label) of each artist's music types, in the artist's order.
async fn music_types_of(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT artist_id, label FROM artist_music_types WHERE artist_id IN ({}) \
         ORDER BY artist_id, position",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// Saves the owner's profile (creating it, with its slug, the first time) and returns the slug.
pub async fn save(
    db: &Db,
    user_id: i64,
    profile: &ValidProfile,
    base_commune_code: Option<&str>,
    now: i64,
) -> Result<String, AppError> {
    let mut tx = db.begin_write().await?;
    let existing: Option<String> =
        sqlx::query_scalar("SELECT slug FROM artists WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let slug = match existing {
        Some(slug) => slug,
        None => {
            let slug = free_slug(&mut tx, &profile.stage_name).await?;
            sqlx::query(
                "INSERT INTO artists (user_id, slug, stage_name, presentation, music_description, \
                 created_at, updated_at) VALUES ($1, $2, '', '', '', $3, $3)",
            )
            .bind(user_id)
            .bind(&slug)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            slug
        }
    };
    let link = |kind: LinkKind| kind.find(&profile.links);
    sqlx::query(
        "UPDATE artists SET stage_name = $2, presentation = $3, music_description = $4, \
         whole_france = $5, base_commune_code = $6, youtube_url = $7, soundcloud_url = $8, \
         bandcamp_url = $9, spotify_url = $10, website_url = $11, published = $12, \
         updated_at = $13 WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(&profile.stage_name)
    .bind(&profile.presentation)
    .bind(&profile.music_description)
    .bind(i64::from(profile.whole_france))
    .bind(base_commune_code)
    .bind(link(LinkKind::Youtube))
    .bind(link(LinkKind::Soundcloud))
    .bind(link(LinkKind::Bandcamp))
    .bind(link(LinkKind::Spotify))
    .bind(link(LinkKind::Website))
    .bind(i64::from(profile.published))
    .bind(now)
    .execute(&mut *tx)
    .await?;

    for table in ["artist_music_types", "artist_regions", "artist_offers"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE artist_id = $1"))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    for (position, label) in profile.music_types.iter().enumerate() {
        sqlx::query(
            "INSERT INTO artist_music_types (artist_id, position, label, search_key) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(position as i64)
        .bind(label)
        .bind(search_key(label))
        .execute(&mut *tx)
        .await?;
    }
    for code in &profile.region_codes {
        sqlx::query("INSERT INTO artist_regions (artist_id, region_code) VALUES ($1, $2)")
            .bind(user_id)
            .bind(code)
            .execute(&mut *tx)
            .await?;
    }
    for (position, offer) in profile.offers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO artist_offers (artist_id, position, title, venue_type, duration, \
             audience, price_text, price_min_eur, price_max_eur, description) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(user_id)
        .bind(position as i64)
        .bind(&offer.title)
        .bind(&offer.venue_type)
        .bind(&offer.duration)
        .bind(&offer.audience)
        .bind(&offer.price_text)
        .bind(offer.price_min_eur.map(i64::from))
        .bind(offer.price_max_eur.map(i64::from))
        .bind(&offer.description)
        .execute(&mut *tx)
        .await?;
    }
    list_for_search(&mut tx, db.backend, user_id, profile).await?;
    tx.commit().await?;
    Ok(slug)
}

/// The stage name's slug, or the same with "-2", "-3"… when taken.
async fn free_slug(
    tx: &mut Transaction<'static, Any>,
    stage_name: &str,
) -> Result<String, AppError> {
    let base = match slugify(stage_name) {
        slug if slug.is_empty() => "artiste".to_owned(),
        slug => slug
            .chars()
            .take(60)
            .collect::<String>()
            .trim_end_matches('-')
            .to_owned(),
    };
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM artists WHERE slug = $1 OR slug LIKE $2")
            .bind(&base)
            .bind(format!("{base}-%"))
            .fetch_all(&mut **tx)
            .await?;
    let slug = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(base);
    Ok(slug)
}

/// Sets the artist's photo file and returns the previous one, to be deleted; `None` when the
/// artist has no profile yet.
pub async fn replace_photo(
    db: &Db,
    user_id: i64,
    file: Option<&str>,
    now: i64,
) -> Result<Option<Option<String>>, AppError> {
    let mut tx = db.begin_write().await?;
    let previous: Option<Option<String>> =
        sqlx::query_scalar("SELECT photo FROM artists WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if previous.is_some() {
        sqlx::query("UPDATE artists SET photo = $2, updated_at = $3 WHERE user_id = $1")
            .bind(user_id)
            .bind(file)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(previous)
}

/// Deletes the artist's profile, offers and search entry (their account is being deleted).
pub async fn delete_profile(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    user_id: i64,
) -> Result<(), AppError> {
    unlist(tx, backend, user_id).await?;
    sqlx::query("DELETE FROM artists WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the moderators hid the artist's profile.
pub async fn is_hidden(db: &Db, user_id: i64) -> Result<bool, AppError> {
    let hidden: Option<Option<i64>> =
        sqlx::query_scalar("SELECT hidden_at FROM artists WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(hidden.flatten().is_some())
}

/// (slug, last change) of every published artist, for the sitemap.
pub async fn published_slugs(db: &Db) -> Result<Vec<(String, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT slug, updated_at FROM artists WHERE published = 1 ORDER BY slug")
            .fetch_all(&db.pool)
            .await?,
    )
}
