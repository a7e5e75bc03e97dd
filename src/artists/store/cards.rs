//! SQL for artist cards (the list and search results): a page's cards in one query.

use super::{placeholders, profile::photo_urls};
use crate::{
    artists::model::{ArtistCard, OfferSummary},
    db::{Backend, Db},
    error::AppError,
    text::search_key,
};

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
