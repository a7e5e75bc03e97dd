//! SQL for search: the listing of published artists and their full-text index (FTS5 on
//! SQLite, `tsvector` on PostgreSQL), both in display order and kept in step with each save,
//! and the search itself; the music types to suggest.
//!
//! Display order is the artist's listing position (`artists.listing_position`, larger for a
//! more recent save), so a page is the next entries of an index read backwards, never a sort
//! of every match: reading 20 entries costs the same over 100 artists or 100,000. Words rank
//! in two tiers, each newest first: every word among the music types, then anywhere else.

use crate::{
    artists::profile::ValidProfile,
    db::{Backend, Db},
    error::AppError,
    text::search_key,
};
use sqlx::{Any, Transaction};
use std::collections::BTreeMap;

/// Results are counted up to here: past it a search says "plus de 1 000 artistes" (nobody
/// reads fifty pages, and an exact count of 30,000 would cost reading them all).
pub const COUNT_LIMIT: u32 = 1000;

/// The listing's scope of every published artist, whatever the regions it serves.
const EVERYWHERE: &str = "tout";

/// The scope of artists who play all over France (listed under no region code in the
/// full-text index and PostgreSQL's word counts).
const ALL_OF_FRANCE: &str = "partout";

/// Lists a published profile at a new listing position (the top of every list it is in),
/// under 'tout' and each region it serves, and indexes its texts; an unpublished one is only
/// taken out. The full-text entry holds the music types, the stage name, the other texts
/// folded like `search_key` (FTS5 folds by itself) and the regions served.
pub(super) async fn list_for_search(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    user_id: i64,
    profile: &ValidProfile,
) -> Result<(), AppError> {
    unlist(tx, backend, user_id).await?;
    if !profile.published {
        return Ok(());
    }
    let next_position = match backend {
        // One writer at a time on SQLite: the largest position plus one cannot be taken twice.
        Backend::Sqlite => "SELECT COALESCE(MAX(listing_position), 0) + 1 FROM artists",
        Backend::Postgres => "SELECT nextval('artist_listing_positions')",
    };
    let position: i64 = sqlx::query_scalar(next_position)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("UPDATE artists SET listing_position = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(position)
        .execute(&mut **tx)
        .await?;

    let regions: Vec<String> = if profile.whole_france {
        sqlx::query_scalar("SELECT code FROM regions")
            .fetch_all(&mut **tx)
            .await?
    } else {
        profile.region_codes.clone()
    };
    for scope in std::iter::once(EVERYWHERE).chain(regions.iter().map(String::as_str)) {
        sqlx::query("INSERT INTO artist_listing (scope, position, artist_id) VALUES ($1, $2, $3)")
            .bind(scope)
            .bind(position)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }

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
    let scopes = if profile.whole_france {
        scope_word(backend, None)
    } else {
        let words: Vec<String> = (profile.region_codes.iter())
            .map(|code| scope_word(backend, Some(code)))
            .collect();
        words.join(" ")
    };
    let insert = match backend {
        Backend::Sqlite => sqlx::query(
            "INSERT INTO artist_search (rowid, music_types, stage_name, body, scopes) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(position)
        .bind(music_types)
        .bind(&profile.stage_name)
        .bind(body)
        .bind(scopes),
        // Weights A, B, C: music types, stage name, other texts (the tiers of a search).
        Backend::Postgres => sqlx::query(
            "INSERT INTO artist_search (artist_id, position, document) VALUES ($1, $2, \
             setweight(to_tsvector('simple', $3), 'A') || \
             setweight(to_tsvector('simple', $4), 'B') || \
             setweight(to_tsvector('simple', $5), 'C') || $6::tsvector)",
        )
        .bind(user_id)
        .bind(position)
        .bind(search_key(&music_types))
        .bind(search_key(&profile.stage_name))
        .bind(search_key(&body))
        .bind(scopes),
    };
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// Takes the artist out of the listing and the full-text index.
pub(super) async fn unlist(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    user_id: i64,
) -> Result<(), AppError> {
    let delete_entry = match backend {
        Backend::Sqlite => {
            "DELETE FROM artist_search WHERE rowid = \
             (SELECT listing_position FROM artists WHERE user_id = $1)"
        }
        Backend::Postgres => "DELETE FROM artist_search WHERE artist_id = $1",
    };
    for statement in [
        delete_entry,
        "DELETE FROM artist_listing WHERE artist_id = $1",
        "UPDATE artists SET listing_position = NULL WHERE user_id = $1",
    ] {
        sqlx::query(statement)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The word of the full-text index saying that an artist plays in region `code`, or all over
/// France for `None`. Nothing typed can match it: typed words are looked for in the other
/// columns on SQLite, and folded to letters and digits (never '@') on PostgreSQL.
fn scope_word(backend: Backend, region: Option<&str>) -> String {
    match (backend, region) {
        (Backend::Sqlite, Some(code)) => format!("r{code}"),
        (Backend::Sqlite, None) => ALL_OF_FRANCE.to_owned(),
        (Backend::Postgres, Some(code)) => format!("'@{code}'"),
        (Backend::Postgres, None) => format!("'@{ALL_OF_FRANCE}'"),
    }
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

/// A typed word as the full-text query reads it: a prefix of any indexed word
/// (`"electro"*`, `'electro':*`), or on PostgreSQL the indexed words it begins, listed, since
/// GIN intersects exact words by skipping through their lists where a prefix has it build
/// the bitmap of every match (SQLite's prefix indexes read a prefix like a word).
#[derive(Debug)]
struct Term {
    typed: String,
    /// The indexed words it begins (PostgreSQL), unless more than `EXPANDED_WORDS`.
    words: Option<Vec<String>>,
}

impl Term {
    fn prefix(typed: String) -> Term {
        Term { typed, words: None }
    }
}

/// Past this many indexed words begun by one typed word (one or two letters, say), the
/// query keeps the prefix rather than naming them all.
const EXPANDED_WORDS: usize = 32;

/// Where words count, best first: every word among the music types, then among the music types
/// and the stage name, then anywhere. A match ranks in the first tier it reaches.
const TIERS: usize = 3;

/// Every word required, in the backend's syntax, for each tier (SQLite: `"electro"* "pop"*`
/// and the tier's columns; PostgreSQL: `'electro':*A & ('pop':A | 'pops':A)` with the tier's
/// weights, A music types, B name, C texts); `None` without words.
fn tier_queries(backend: Backend, terms: &[Term]) -> Option<[String; TIERS]> {
    if terms.is_empty() {
        return None;
    }
    let tier = |columns: &str, weights: &str| match backend {
        Backend::Sqlite => {
            let prefixes: Vec<String> = (terms.iter())
                .map(|term| format!("\"{}\"*", term.typed))
                .collect();
            format!("{{{columns}}} : ({})", prefixes.join(" "))
        }
        Backend::Postgres => {
            let weighted = |word: &str, prefix: &str| match (prefix, weights) {
                ("", "") => format!("'{word}'"),
                _ => format!("'{word}':{prefix}{weights}"),
            };
            let required: Vec<String> = (terms.iter())
                .map(|term| match term.words.as_deref() {
                    None => weighted(&term.typed, "*"),
                    Some([word]) => weighted(word, ""),
                    Some(words) => {
                        let any: Vec<String> = words.iter().map(|w| weighted(w, "")).collect();
                        format!("({})", any.join(" | "))
                    }
                })
                .collect();
            required.join(" & ")
        }
    };
    Some([
        tier("music_types", "A"),
        tier("music_types stage_name", "AB"),
        tier("music_types stage_name body", ""),
    ])
}

/// One statement of a search and what to bind to it.
pub struct Statement {
    pub sql: String,
    pub binds: Vec<String>,
}

/// What a search matches, as each backend's index reads it (`matching` makes it).
pub enum Matching {
    /// No words: the listing's scope, 'tout' or a region code.
    Listed { scope: String },
    /// The full-text query of each tier, the region's condition included; a tier's matches
    /// include the tiers before it (the last one matches everything found). `counted` when
    /// the words' counts already tell how many match, `unreached` the tiers they show no
    /// artist reaches, which a page does not read (PostgreSQL).
    FullText {
        tiers: [String; TIERS],
        counted: Option<Found>,
        unreached: [bool; TIERS],
    },
    /// A word that begins no indexed word (PostgreSQL knows without a search).
    Nobody,
}

/// How `filter` is searched: on PostgreSQL, each typed word is first looked up among the
/// indexed words it begins (`artist_search_words`, a range of its key per word and scope).
pub async fn matching(db: &Db, filter: &SearchFilter) -> Result<Matching, AppError> {
    let region = filter.region_code.as_deref();
    let typed = search_terms(&filter.words);
    if typed.is_empty() {
        let scope = region.unwrap_or(EVERYWHERE).to_owned();
        return Ok(Matching::Listed { scope });
    }
    let (terms, counted, unreached) = match db.backend {
        Backend::Sqlite => (
            typed.into_iter().map(Term::prefix).collect(),
            None,
            [false; TIERS],
        ),
        Backend::Postgres => {
            let begun = begun_words(db, &typed, region).await?;
            if begun
                .iter()
                .any(|words| words.complete && words.words.is_empty())
            {
                return Ok(Matching::Nobody);
            }
            let counted = match begun.as_slice() {
                [only] => only.count(),
                _ => None,
            };
            // Every word is required: a tier one of them reaches in no artist is empty.
            let unreached = std::array::from_fn(|tier| {
                (begun.iter()).any(|words| words.tier_artists(tier) == Some(0))
            });
            let terms = (typed.into_iter().zip(begun))
                .map(|(typed, begun)| Term {
                    typed,
                    words: (begun.complete)
                        .then(|| begun.words.into_iter().map(|(word, _)| word).collect()),
                })
                .collect::<Vec<_>>();
            (terms, counted, unreached)
        }
    };
    let Some(tiers) = tier_queries(db.backend, &terms) else {
        return Ok(Matching::Nobody);
    };
    // Playing in the region, or all over France.
    let Some(code) = region else {
        return Ok(Matching::FullText {
            tiers,
            counted,
            unreached,
        });
    };
    let (region, france) = (
        scope_word(db.backend, Some(code)),
        scope_word(db.backend, None),
    );
    let serves = match db.backend {
        Backend::Sqlite => format!(" AND {{scopes}} : ({region} OR {france})"),
        Backend::Postgres => format!(" & ({region} | {france})"),
    };
    Ok(Matching::FullText {
        tiers: tiers.map(|tier| format!("{tier}{serves}")),
        counted,
        unreached,
    })
}

/// The indexed words one typed word begins, with how many listed artists have each in the
/// search's scope, per tier (PostgreSQL).
struct BegunWords {
    /// Sorted, with their artists: among their music types, among their music types or
    /// stage name, anywhere (each tier's count includes the tiers before it).
    words: Vec<(String, [i64; TIERS])>,
    /// Every word it begins, not only the first `EXPANDED_WORDS`.
    complete: bool,
}

impl BegunWords {
    /// How many artists the typed word alone finds, when these counts tell: exactly when it
    /// begins one word, "more than" when one of its words has more than `COUNT_LIMIT`.
    fn count(&self) -> Option<Found> {
        let most = (self.words.iter())
            .map(|(_, artists)| artists[TIERS - 1])
            .max()?;
        let exact = self.complete && self.words.len() == 1;
        (exact || most > i64::from(COUNT_LIMIT)).then(|| Found::counted(most))
    }

    /// At most how many artists the typed word brings to `tier` (an artist may have two of
    /// its words), when every word it begins was read.
    fn tier_artists(&self, tier: usize) -> Option<i64> {
        (self.complete).then(|| self.words.iter().map(|(_, artists)| artists[tier]).sum())
    }
}

/// Looks each typed word up in `artist_search_words`, in one statement: a range of the key
/// per word and scope ('tout', or the region and 'partout', whose artists differ), read up
/// to one word more than `EXPANDED_WORDS`.
async fn begun_words(
    db: &Db,
    typed: &[String],
    region: Option<&str>,
) -> Result<Vec<BegunWords>, AppError> {
    let scopes = match region {
        Some(code) => vec![code, ALL_OF_FRANCE],
        None => vec![EVERYWHERE],
    };
    let ranges: Vec<String> = (0..typed.len())
        .map(|n| format!("({n}, ${}, ${})", 2 * n + 1, 2 * n + 2))
        .collect();
    let scope_rows: Vec<String> = (0..scopes.len())
        .map(|k| format!("({k}, ${})", 2 * typed.len() + k + 1))
        .collect();
    let sql = format!(
        "SELECT t.n, s.k, w.word, w.in_music_types, w.in_types_or_name, w.artists \
         FROM (VALUES {}) AS t(n, low, high) \
         CROSS JOIN (VALUES {}) AS s(k, scope) CROSS JOIN LATERAL ( \
           SELECT word, in_music_types, in_types_or_name, artists FROM artist_search_words \
           WHERE scope = s.scope AND word >= t.low COLLATE \"C\" \
             AND word < t.high COLLATE \"C\" AND artists > 0 \
           ORDER BY word LIMIT {}) w",
        ranges.join(", "),
        scope_rows.join(", "),
        EXPANDED_WORDS + 1
    );
    let mut query = sqlx::query_as::<_, (i32, i32, String, i64, i64, i64)>(&sql);
    for term in typed {
        // Every word beginning so sorts between the term and the term followed by the last
        // code point (bytes order, collation "C").
        query = query.bind(term.clone()).bind(format!("{term}\u{10FFFF}"));
    }
    for scope in &scopes {
        query = query.bind(*scope);
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok((0..typed.len())
        .map(|n| {
            let term_rows = || rows.iter().filter(move |row| row.0 as usize == n);
            let mut words = BTreeMap::<String, [i64; TIERS]>::new();
            for (_, _, word, types, types_or_name, anywhere) in term_rows() {
                let artists = words.entry(word.clone()).or_default();
                for (tier, count) in [types, types_or_name, anywhere].into_iter().enumerate() {
                    artists[tier] += count;
                }
            }
            // A scope that filled its reading may hold more words than were read.
            let complete = (0..scopes.len())
                .all(|k| term_rows().filter(|row| row.1 as usize == k).count() <= EXPANDED_WORDS);
            BegunWords {
                words: words.into_iter().collect(),
                complete,
            }
        })
        .collect())
}

/// The artists of a listing scope bound at `$1`, or (`full_text_sql`) matching the full-text
/// query bound at `$bound`, as `s`. Only published artists have entries (a trigger takes out
/// any profile that stops being published), so neither looks the artist up.
const LISTED: &str = "FROM artist_listing l WHERE l.scope = $1";

fn full_text_sql(backend: Backend, bound: usize) -> String {
    match backend {
        Backend::Sqlite => format!("FROM artist_search s WHERE artist_search MATCH ${bound}"),
        Backend::Postgres => format!("FROM artist_search s WHERE s.document @@ ${bound}::tsquery"),
    }
}

/// Counts the artists `matching` finds up to `COUNT_LIMIT` + 1 (`make bench` prints its
/// plan), as `(count, ranked)`; `None` when there is nothing to ask (a count known from the
/// words, or nobody). On PostgreSQL a word search's count also reads the matches' ids in
/// display order (`ranked`, ids joined by commas): GIN finds them in no order, so a page
/// would run it a second time, and up to `COUNT_LIMIT` they are few enough to sort.
pub fn count_sql(backend: Backend, matching: &Matching) -> Option<Statement> {
    let counted = |from: String, bind: String| Statement {
        sql: format!(
            "SELECT COUNT(*), CAST(NULL AS TEXT) FROM (SELECT 1 {from} LIMIT {}) matched",
            COUNT_LIMIT + 1
        ),
        binds: vec![bind],
    };
    match matching {
        Matching::Listed { scope } => Some(counted(LISTED.to_owned(), scope.clone())),
        Matching::FullText {
            tiers,
            counted: None,
            ..
        } => Some(match backend {
            Backend::Sqlite => counted(full_text_sql(backend, 1), tiers[TIERS - 1].clone()),
            Backend::Postgres => ranked_sql(tiers),
        }),
        Matching::FullText {
            counted: Some(_), ..
        }
        | Matching::Nobody => None,
    }
}

/// PostgreSQL: up to `COUNT_LIMIT` + 1 matches of the last tier's query (bound last), each
/// ranked by the first tier it matches then newest first: how many, and their ids in order.
fn ranked_sql(tiers: &[String; TIERS]) -> Statement {
    let first_tier: Vec<String> = (0..TIERS - 1)
        .map(|tier| format!("WHEN s.document @@ ${}::tsquery THEN {tier}", tier + 1))
        .collect();
    Statement {
        sql: format!(
            "SELECT COUNT(*), string_agg(m.artist_id::text, ',' ORDER BY m.tier, m.position DESC) \
             FROM (SELECT s.artist_id, s.position, CASE {} ELSE {} END AS tier {} LIMIT {}) m",
            first_tier.join(" "),
            TIERS - 1,
            full_text_sql(Backend::Postgres, TIERS),
            COUNT_LIMIT + 1
        ),
        binds: tiers.to_vec(),
    }
}

/// The statements that read `matching`'s artists in display order, knowing how many there
/// are (`make bench` prints their plans): one for a listing, one per tier for words (every
/// word among the music types, then also in the name, then anywhere), each newest first and
/// leaving out the tiers before it, and none for a tier no artist reaches. Each takes, bound
/// after its own, how many rows to read: `search` reads a tier only when those before it
/// cannot fill the page, and stops there.
pub fn page_sql(backend: Backend, matching: &Matching, found: Found) -> Vec<Statement> {
    let (tiers, unreached) = match matching {
        Matching::Listed { scope } => {
            return vec![Statement {
                sql: format!("SELECT l.artist_id {LISTED} ORDER BY l.position DESC LIMIT $2"),
                binds: vec![scope.clone()],
            }];
        }
        Matching::FullText {
            tiers, unreached, ..
        } => (tiers, unreached),
        Matching::Nobody => return Vec::new(),
    };
    (0..TIERS)
        .filter(|tier| !unreached[*tier])
        .map(|tier| {
            // The tier before, whose matches this one leaves out, unless known empty (then
            // so are those before it): PostgreSQL reads `AND NOT` of a query matching every
            // row as matching none, and would sort every artist instead of walking the index.
            let before = (tier > 0 && !unreached[tier - 1]).then(|| &tiers[tier - 1]);
            match backend {
                // FTS5 walks matches in rowid order and stops at the rows asked for; the
                // rowid is the listing position, whose artist the join finds (CROSS JOIN
                // keeps the full-text index the outer loop).
                Backend::Sqlite => Statement {
                    sql: "SELECT a.user_id FROM artist_search s CROSS JOIN artists a \
                          ON a.listing_position = s.rowid WHERE artist_search MATCH $1 \
                          ORDER BY s.rowid DESC LIMIT $2"
                        .to_owned(),
                    binds: vec![match before {
                        None => tiers[tier].clone(),
                        Some(before) => format!("({}) NOT ({before})", tiers[tier]),
                    }],
                },
                Backend::Postgres => {
                    let (left_out, rows) = match before {
                        None => ("", 2),
                        Some(_) => (" AND NOT s.document @@ $2::tsquery", 3),
                    };
                    Statement {
                        sql: format!(
                            "SELECT s.artist_id {}{left_out} ORDER BY {} DESC LIMIT ${rows}",
                            full_text_sql(backend, 1),
                            postgres_order(found)
                        ),
                        binds: std::iter::once(&tiers[tier])
                            .chain(before)
                            .cloned()
                            .collect(),
                    }
                }
            }
        })
        .collect()
}

/// PostgreSQL's GIN index finds matches in no order. Past `COUNT_LIMIT` matches (one artist
/// in a hundred or more), walking the listing position backwards and testing each row finds
/// a page sooner than sorting them all. With fewer, `position + 0` (no index has it) makes
/// PostgreSQL sort the few matches the GIN index finds, where its estimates of a `tsquery`
/// might otherwise have it walk every artist.
fn postgres_order(found: Found) -> &'static str {
    if found.more_than_total {
        "s.position"
    } else {
        "s.position + 0"
    }
}

/// How many artists a search found: exact up to `COUNT_LIMIT`, "more than" past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub total: u32,
    pub more_than_total: bool,
}

impl Found {
    /// From a count that may pass `COUNT_LIMIT`.
    fn counted(count: i64) -> Found {
        let count = u32::try_from(count.max(0)).unwrap_or(u32::MAX);
        Found {
            total: count.min(COUNT_LIMIT),
            more_than_total: count > COUNT_LIMIT,
        }
    }
}

/// What counting a search tells: how many it found, and every match in display order when
/// that is known: none found, or on PostgreSQL a word search that found no more than
/// `COUNT_LIMIT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub found: Found,
    pub ranked: Option<Vec<i64>>,
}

/// How many published artists `matching` finds, counted up to `COUNT_LIMIT`.
pub async fn count(db: &Db, matching: &Matching) -> Result<Counted, AppError> {
    let Some(statement) = count_sql(db.backend, matching) else {
        // Known without a statement: from the words' counts, or nobody.
        let found = match matching {
            Matching::FullText {
                counted: Some(found),
                ..
            } => *found,
            _ => Found::counted(0),
        };
        let ranked = (found.total == 0).then(Vec::new);
        return Ok(Counted { found, ranked });
    };
    let mut count = sqlx::query_as::<_, (i64, Option<String>)>(&statement.sql);
    for value in &statement.binds {
        count = count.bind(value);
    }
    let (count, ranked) = count.fetch_one(&db.pool).await?;
    let found = Found::counted(count);
    let ranked = match ranked {
        Some(ids) if !found.more_than_total => Some(
            (ids.split(',').map(str::parse))
                .collect::<Result<Vec<i64>, _>>()
                .map_err(|error| AppError::internal("ranked ids read from the count", error))?,
        ),
        // Nobody found: no page to read (`string_agg` of no rows is NULL).
        _ if count == 0 => Some(Vec::new()),
        _ => None,
    };
    Ok(Counted { found, ranked })
}

/// One page of published artist ids `matching` finds, best first; `counted` is its `count`.
pub async fn search(
    db: &Db,
    matching: &Matching,
    counted: &Counted,
    limit: u32,
    offset: u32,
) -> Result<Vec<i64>, AppError> {
    let (limit, mut skip) = (limit as usize, offset as usize);
    if let Some(ranked) = &counted.ranked {
        return Ok(ranked.iter().skip(skip).take(limit).copied().collect());
    }
    let mut ids = Vec::with_capacity(limit);
    for statement in page_sql(db.backend, matching, counted.found) {
        let wanted = skip + (limit - ids.len());
        let mut query = sqlx::query_scalar::<_, i64>(&statement.sql);
        for value in &statement.binds {
            query = query.bind(value);
        }
        let rows = query
            .bind(i64::try_from(wanted).unwrap_or(i64::MAX))
            .fetch_all(&db.pool)
            .await?;
        // Fewer rows than asked: this tier is read to its end, the next one follows.
        let read = rows.len();
        ids.extend(rows.into_iter().skip(skip));
        skip = skip.saturating_sub(read);
        if ids.len() == limit {
            break;
        }
    }
    Ok(ids)
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
    use super::{Backend, BegunWords, Found, TIERS, Term, search_terms, tier_queries};

    fn prefixes(typed: &str) -> Vec<Term> {
        search_terms(typed).into_iter().map(Term::prefix).collect()
    }

    #[test]
    fn full_text_queries_are_prefix_words_without_syntax_for_each_tier() {
        let [types, _, anywhere] =
            tier_queries(Backend::Sqlite, &prefixes("Électro  POP")).expect("words");
        assert_eq!(types, "{music_types} : (\"electro\"* \"pop\"*)");
        assert_eq!(
            anywhere,
            "{music_types stage_name body} : (\"electro\"* \"pop\"*)"
        );
        let [.., anywhere] =
            tier_queries(Backend::Sqlite, &prefixes("\"jazz\" OR NEAR(x)")).expect("words");
        assert_eq!(
            anywhere,
            "{music_types stage_name body} : (\"jazz\"* \"or\"* \"near\"* \"x\"*)"
        );
        assert_eq!(
            tier_queries(Backend::Postgres, &prefixes("Chanson française & !jazz:*")),
            Some([
                "'chanson':*A & 'francaise':*A & 'jazz':*A".to_owned(),
                "'chanson':*AB & 'francaise':*AB & 'jazz':*AB".to_owned(),
                "'chanson':* & 'francaise':* & 'jazz':*".to_owned(),
            ])
        );
        assert_eq!(tier_queries(Backend::Sqlite, &prefixes(" -*- ")), None);
        assert_eq!(tier_queries(Backend::Postgres, &prefixes(" -*- ")), None);
    }

    #[test]
    fn on_postgresql_a_prefix_becomes_the_indexed_words_it_begins_unless_too_many() {
        let terms = [
            Term {
                typed: "musique".to_owned(),
                words: Some(vec!["musique".to_owned(), "musiques".to_owned()]),
            },
            Term {
                typed: "jazz".to_owned(),
                words: Some(vec!["jazz".to_owned()]),
            },
            Term::prefix("a".to_owned()),
        ];
        assert_eq!(
            tier_queries(Backend::Postgres, &terms),
            Some([
                "('musique':A | 'musiques':A) & 'jazz':A & 'a':*A".to_owned(),
                "('musique':AB | 'musiques':AB) & 'jazz':AB & 'a':*AB".to_owned(),
                "('musique' | 'musiques') & 'jazz' & 'a':*".to_owned(),
            ])
        );
    }

    /// The words a typed word begins, with their artists per tier.
    fn begun(words: &[(&str, [i64; TIERS])], complete: bool) -> BegunWords {
        BegunWords {
            words: (words.iter()).map(|(w, n)| ((*w).to_owned(), *n)).collect(),
            complete,
        }
    }

    #[test]
    fn the_counts_of_the_words_begun_settle_a_count_only_when_they_can() {
        let found = |total, more_than_total| {
            Some(Found {
                total,
                more_than_total,
            })
        };
        assert_eq!(
            begun(&[("jazz", [0, 0, 412])], true).count(),
            found(412, false)
        );
        assert_eq!(
            begun(&[("jazz", [0, 0, 1001])], true).count(),
            found(1000, true)
        );
        // Two words: an artist may have both, so only a word past 1,000 alone tells.
        let musique = |first| {
            begun(
                &[("musique", [0, 0, first]), ("musiques", [0, 0, 300])],
                true,
            )
        };
        assert_eq!(musique(900).count(), None);
        assert_eq!(musique(1200).count(), found(1000, true));
        // Words not read may add artists.
        assert_eq!(begun(&[("jazz", [0, 0, 412])], false).count(), None);
        assert_eq!(begun(&[], true).count(), None);
    }

    #[test]
    fn a_tier_is_known_empty_only_when_every_word_begun_was_read() {
        let concert = [("concert", [0, 0, 5000]), ("concerto", [0, 12, 40])];
        let tiers = |words: &BegunWords| {
            (0..TIERS)
                .map(|t| words.tier_artists(t))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            tiers(&begun(&concert, true)),
            [Some(0), Some(12), Some(5040)]
        );
        assert_eq!(tiers(&begun(&concert, false)), [None, None, None]);
    }
}
