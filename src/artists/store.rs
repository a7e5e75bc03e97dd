//! SQL for artist profiles, their offers, and search.

use crate::{
    artists::{
        model::{
            ArtistCard, ArtistProfile, LinkKind, MusicLink, Offer, OfferSummary, Photo, artist_path,
        },
        profile::ValidProfile,
    },
    db::{Backend, Db},
    error::AppError,
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

/// `$first, $first+1, …` for `count` values bound in an `IN (…)` list.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
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
    index_for_search(&mut tx, db.backend, user_id, profile).await?;
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

/// Rewrites the artist's entry in the full-text index: FTS5 on SQLite (rowid = artist id),
/// a weighted `tsvector` of the same texts, folded by `search_key`, on PostgreSQL.
async fn index_for_search(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    user_id: i64,
    profile: &ValidProfile,
) -> Result<(), AppError> {
    let body = std::iter::once(profile.presentation.as_str())
        .chain(std::iter::once(profile.music_description.as_str()))
        .chain(profile.offers.iter().flat_map(|offer| {
            [
                offer.title.as_str(),
                offer.venue_type.as_str(),
                offer.description.as_str(),
            ]
        }))
        .collect::<Vec<_>>()
        .join("\n");
    let music_types = profile.music_types.join(", ");
    remove_from_search(tx, backend, user_id).await?;
    let insert = match backend {
        Backend::Sqlite => sqlx::query(
            "INSERT INTO artist_search (rowid, music_types, stage_name, body) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(music_types)
        .bind(&profile.stage_name)
        .bind(body),
        Backend::Postgres => sqlx::query(
            "INSERT INTO artist_search (artist_id, document) VALUES ($1, \
             setweight(to_tsvector('simple', $2), 'A') || \
             setweight(to_tsvector('simple', $3), 'B') || \
             setweight(to_tsvector('simple', $4), 'C'))",
        )
        .bind(user_id)
        .bind(search_key(&music_types))
        .bind(search_key(&profile.stage_name))
        .bind(search_key(&body)),
    };
    insert.execute(&mut **tx).await?;
    Ok(())
}

async fn remove_from_search(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    user_id: i64,
) -> Result<(), AppError> {
    let delete = match backend {
        Backend::Sqlite => "DELETE FROM artist_search WHERE rowid = $1",
        Backend::Postgres => "DELETE FROM artist_search WHERE artist_id = $1",
    };
    sqlx::query(delete).bind(user_id).execute(&mut **tx).await?;
    Ok(())
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
    remove_from_search(tx, backend, user_id).await?;
    sqlx::query("DELETE FROM artists WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What to search: full-text words and a region, either of them optional.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Words typed in "type de musique"; empty means any.
    pub words: String,
    pub region_code: Option<String>,
}

/// The words to look for, folded like the index (no accents, no case, no punctuation, so
/// nothing the query syntax of either backend would read), at most eight.
fn search_terms(words: &str) -> Vec<String> {
    search_key(words)
        .split(' ')
        .filter(|word| !word.is_empty())
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// Every word as a prefix ("electro" also finds "électronique"), in the backend's syntax.
fn full_text_query(backend: Backend, words: &str) -> Option<String> {
    let terms = search_terms(words);
    if terms.is_empty() {
        return None;
    }
    let (prefixed, separator): (Vec<String>, &str) = match backend {
        Backend::Sqlite => (terms.iter().map(|t| format!("\"{t}\"*")).collect(), " "),
        Backend::Postgres => (terms.iter().map(|t| format!("{t}:*")).collect(), " & "),
    };
    Some(prefixed.join(separator))
}

/// The FROM clause, the match condition on bind `$n`, the rank of a match, and the order of
/// ranks (best first), per backend.
fn full_text_sql(backend: Backend, n: usize) -> (String, String, String, &'static str) {
    match backend {
        // CROSS JOIN makes SQLite start from the full-text matches; otherwise it may walk
        // every artist and run the MATCH once for each (500 ms instead of 5 over 10,000).
        // Music types weigh most, then the name, then the texts.
        Backend::Sqlite => (
            "FROM artist_search s CROSS JOIN artists a ON a.user_id = s.rowid".to_owned(),
            format!("artist_search MATCH ${n}"),
            "bm25(artist_search, 10.0, 4.0, 1.0)".to_owned(),
            "rank",
        ),
        // Weights are listed D, C, B, A: the same 1 : 4 : 10 as above, best first.
        Backend::Postgres => (
            "FROM artist_search s JOIN artists a ON a.user_id = s.artist_id".to_owned(),
            format!("s.document @@ to_tsquery('simple', ${n})"),
            format!("ts_rank('{{0.1, 0.1, 0.4, 1.0}}', s.document, to_tsquery('simple', ${n}))"),
            "rank DESC",
        ),
    }
}

/// One page of published artist ids matching `filter`, best first, and how many match in all.
pub async fn search(
    db: &Db,
    filter: &SearchFilter,
    limit: u32,
    offset: u32,
) -> Result<(Vec<i64>, u32), AppError> {
    let mut from = String::from("FROM artists a");
    let mut conditions = vec!["a.published = 1".to_owned()];
    let mut binds: Vec<String> = Vec::new();
    let mut rank = "0".to_owned();
    let mut order = "updated_at DESC, user_id DESC".to_owned();
    if let Some(query) = full_text_query(db.backend, &filter.words) {
        binds.push(query);
        let (matches_from, condition, match_rank, rank_order) =
            full_text_sql(db.backend, binds.len());
        from = matches_from;
        conditions.insert(0, condition);
        rank = match_rank;
        order = format!("{rank_order}, updated_at DESC");
    }
    if let Some(region) = &filter.region_code {
        binds.push(region.clone());
        // An uncorrelated IN list is built once, not looked up again for every artist.
        conditions.push(format!(
            "(a.whole_france = 1 OR a.user_id IN (SELECT r.artist_id FROM artist_regions r \
             WHERE r.region_code = ${}))",
            binds.len()
        ));
    }
    let filter_sql = format!("{from} WHERE {}", conditions.join(" AND "));

    // The page and the count in one statement (the window is counted before LIMIT): one trip
    // to the database instead of two. SQLite ranks matches only outside a window, hence
    // the ranking in a subquery.
    let page_sql = format!(
        "SELECT user_id, COUNT(*) OVER () FROM \
         (SELECT a.user_id, a.updated_at, {rank} AS rank {filter_sql}) matched \
         ORDER BY {order} LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    );
    let mut page = sqlx::query_as::<_, (i64, i64)>(&page_sql);
    for value in &binds {
        page = page.bind(value);
    }
    let rows = page
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&db.pool)
        .await?;
    let total = match rows.first() {
        Some((_, total)) => *total,
        // A page past the end has no row to carry the count.
        None if offset > 0 => {
            let count_sql = format!("SELECT COUNT(*) {filter_sql}");
            let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
            for value in &binds {
                count = count.bind(value);
            }
            count.fetch_one(&db.pool).await?
        }
        None => 0,
    };
    let ids = rows.into_iter().map(|(id, _)| id).collect();
    Ok((ids, u32::try_from(total).unwrap_or(u32::MAX)))
}

#[derive(sqlx::FromRow)]
struct CardRow {
    user_id: i64,
    slug: String,
    stage_name: String,
    photo: Option<String>,
    whole_france: i64,
    offer_count: i64,
    offer_title: Option<String>,
    offer_price: Option<String>,
    /// Joined by `LIST_SEPARATOR`, in the artist's order.
    music_types: Option<String>,
    /// Joined by `LIST_SEPARATOR`.
    regions: Option<String>,
}

/// Joins the values of one list column (ASCII's unit separator: no label holds a control
/// character, see `profile::music_types`; region names are ours).
const LIST_SEPARATOR: char = '\u{1f}';

/// `label` values of the rows `FROM … WHERE …` in `clause`, in `order`, as one text.
fn joined(backend: Backend, label: &str, order: &str, clause: &str) -> String {
    let aggregate = match backend {
        Backend::Sqlite => format!("group_concat({label}, char(31) ORDER BY {order})"),
        Backend::Postgres => format!("string_agg({label}, chr(31) ORDER BY {order})"),
    };
    format!("(SELECT {aggregate} {clause})")
}

fn split_list(joined: Option<&str>) -> Vec<String> {
    joined
        .filter(|text| !text.is_empty())
        .map(|text| text.split(LIST_SEPARATOR).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The cards of `ids`, in the same order, in one statement.
pub async fn cards(db: &Db, ids: &[i64]) -> Result<Vec<ArtistCard>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let music_types = joined(
        db.backend,
        "t.label",
        "t.position",
        "FROM artist_music_types t WHERE t.artist_id = a.user_id",
    );
    let regions = joined(
        db.backend,
        "r.name",
        "r.name",
        "FROM artist_regions ar JOIN regions r ON r.code = ar.region_code \
         WHERE ar.artist_id = a.user_id",
    );
    let sql = format!(
        "SELECT a.user_id, a.slug, a.stage_name, a.photo, a.whole_france, \
         (SELECT COUNT(*) FROM artist_offers o WHERE o.artist_id = a.user_id) AS offer_count, \
         (SELECT o.title FROM artist_offers o WHERE o.artist_id = a.user_id \
            ORDER BY o.position LIMIT 1) AS offer_title, \
         (SELECT o.price_text FROM artist_offers o WHERE o.artist_id = a.user_id \
            ORDER BY o.position LIMIT 1) AS offer_price, \
         {music_types} AS music_types, {regions} AS regions \
         FROM artists a WHERE a.user_id IN ({list})"
    );
    let mut query = sqlx::query_as::<_, CardRow>(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let mut rows = query.fetch_all(&db.pool).await?;

    let mut cards = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(at) = rows.iter().position(|row| row.user_id == *id) else {
            continue;
        };
        let row = rows.swap_remove(at);
        let mut region_names = split_list(row.regions.as_deref());
        region_names.sort_by_cached_key(|name| search_key(name));
        cards.push(ArtistCard {
            photo: row.photo.as_deref().map(photo_urls),
            music_types: split_list(row.music_types.as_deref()),
            regions: region_names,
            whole_france: row.whole_france != 0,
            offer: row.offer_title.map(|title| OfferSummary {
                title,
                price_text: row.offer_price.unwrap_or_default(),
            }),
            offer_count: u32::try_from(row.offer_count).unwrap_or(0),
            slug: row.slug,
            stage_name: row.stage_name,
        });
    }
    Ok(cards)
}

/// Music types other artists wrote, most used first (one spelling per key).
pub async fn music_type_suggestions(db: &Db, limit: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT MIN(t.label), COUNT(*) AS uses FROM artist_music_types t \
         JOIN artists a ON a.user_id = t.artist_id WHERE a.published = 1 \
         GROUP BY t.search_key ORDER BY uses DESC, MIN(t.search_key) LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(label, _)| label).collect())
}

/// The account id of the published artist at `slug`, for writing to them.
pub async fn published_id(db: &Db, slug: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM artists WHERE slug = $1 AND published = 1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// (slug, last change) of every published artist, for the sitemap.
pub async fn published_slugs(db: &Db) -> Result<Vec<(String, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT slug, updated_at FROM artists WHERE published = 1 ORDER BY slug")
            .fetch_all(&db.pool)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::{Backend, full_text_query};

    #[test]
    fn full_text_queries_are_prefix_words_without_syntax() {
        assert_eq!(
            full_text_query(Backend::Sqlite, "Électro  POP").as_deref(),
            Some("\"electro\"* \"pop\"*")
        );
        assert_eq!(
            full_text_query(Backend::Sqlite, "\"jazz\" OR NEAR(x)").as_deref(),
            Some("\"jazz\"* \"or\"* \"near\"* \"x\"*")
        );
        assert_eq!(
            full_text_query(Backend::Postgres, "Chanson française & !jazz:*").as_deref(),
            Some("chanson:* & francaise:* & jazz:*")
        );
        assert_eq!(full_text_query(Backend::Sqlite, " -*- "), None);
        assert_eq!(full_text_query(Backend::Postgres, " -*- "), None);
    }
}
