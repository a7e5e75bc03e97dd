//! SQL for search: the full-text index (FTS5 on SQLite, `tsvector` on PostgreSQL), kept in
//! step with each save, and the search itself; the music types to suggest.

use crate::{
    artists::profile::ValidProfile,
    db::{Backend, Db},
    error::AppError,
    text::search_key,
};
use sqlx::{Any, Transaction};

/// Rewrites the artist's entry in the full-text index: FTS5 on SQLite (rowid = artist id),
/// a weighted `tsvector` of the same texts, folded by `search_key`, on PostgreSQL.
pub(super) async fn index_for_search(
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

pub(super) async fn remove_from_search(
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

/// The statements of a search: one page and the count in one, and the count alone (for a
/// page past the end), with their binds (the page's limit and offset come after them).
pub struct SearchSql {
    pub page: String,
    pub count: String,
    pub binds: Vec<String>,
}

/// The SQL that finds `filter`'s artists on `backend` (`make bench` prints its plans).
pub fn search_sql(backend: Backend, filter: &SearchFilter) -> SearchSql {
    let mut from = String::from("FROM artists a");
    let mut conditions = vec!["a.published = 1".to_owned()];
    let mut binds: Vec<String> = Vec::new();
    let mut rank = "0".to_owned();
    let mut order = "updated_at DESC, user_id DESC".to_owned();
    if let Some(query) = full_text_query(backend, &filter.words) {
        binds.push(query);
        let (matches_from, condition, match_rank, rank_order) = full_text_sql(backend, binds.len());
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
    let page = format!(
        "SELECT user_id, COUNT(*) OVER () FROM \
         (SELECT a.user_id, a.updated_at, {rank} AS rank {filter_sql}) matched \
         ORDER BY {order} LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    );
    SearchSql {
        page,
        count: format!("SELECT COUNT(*) {filter_sql}"),
        binds,
    }
}

/// One page of published artist ids matching `filter`, best first, and how many match in all.
pub async fn search(
    db: &Db,
    filter: &SearchFilter,
    limit: u32,
    offset: u32,
) -> Result<(Vec<i64>, u32), AppError> {
    let sql = search_sql(db.backend, filter);
    let mut page = sqlx::query_as::<_, (i64, i64)>(&sql.page);
    for value in &sql.binds {
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
            let mut count = sqlx::query_scalar::<_, i64>(&sql.count);
            for value in &sql.binds {
                count = count.bind(value);
            }
            count.fetch_one(&db.pool).await?
        }
        None => 0,
    };
    let ids = rows.into_iter().map(|(id, _)| id).collect();
    Ok((ids, u32::try_from(total).unwrap_or(u32::MAX)))
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
