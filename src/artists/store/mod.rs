//! SQL for artists: their profiles, search, and the cards of lists and search results.

mod cards;
mod profile;
mod search;

pub use cards::cards;
pub use profile::{
    delete_profile, find_by_owner, find_visible_by_slug, is_hidden, photo_urls, published_slugs,
    replace_photo, save,
};
pub use search::{
    Counted, Found, Matching, SearchFilter, Statement, count, count_sql, matching,
    music_type_suggestions, page_sql, search,
};

/// `$first, $first+1, …` for `count` values bound in an `IN (…)` list.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
