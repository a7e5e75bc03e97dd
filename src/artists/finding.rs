//! Finding artists, behind the list and search server functions: a typed city understood
//! (or the communes it may mean), and pages that stay within the results.

use crate::{
    artists::{
        model::{ArtistPage, PAGE_SIZE, SearchResults, limits},
        store,
    },
    db::Db,
    error::AppError,
    places::{self, model::unknown_city, store::CityMatch},
};

/// Characters of the music words of a search.
const WORDS: usize = 200;

/// Published artists matching `words` and serving the commune `typed_city` (either may be
/// empty), best first; `page` starts at 1.
pub async fn search(
    db: &Db,
    words: String,
    typed_city: &str,
    page: Option<u32>,
) -> Result<SearchResults, AppError> {
    if words.chars().count() > WORDS || typed_city.chars().count() > limits::CITY {
        return Err(AppError::refused("Cette recherche est trop longue."));
    }
    let (city, same_name) = if typed_city.trim().is_empty() {
        (None, Vec::new())
    } else {
        match places::store::lookup(db, typed_city).await? {
            CityMatch::Found { city, same_name } => (Some(city), same_name),
            CityMatch::Unknown { nearest } => {
                return Err(unknown_city("ville", typed_city, &nearest));
            }
        }
    };
    let filter = store::SearchFilter {
        words,
        region_code: city.as_ref().map(|city| city.region.code.clone()),
    };
    let results = page_of(db, &filter, page).await?;
    Ok(SearchResults {
        city,
        same_name,
        results,
    })
}

/// One page of the artists `filter` finds; a page past the end (an old link, fewer artists
/// since) shows the last page instead.
pub async fn page_of(
    db: &Db,
    filter: &store::SearchFilter,
    page: Option<u32>,
) -> Result<ArtistPage, AppError> {
    let matching = store::matching(db, filter).await?;
    let counted = store::count(db, &matching).await?;
    let found = counted.found;
    let page_count = found.total.div_ceil(PAGE_SIZE).max(1);
    let page = page.unwrap_or(1).clamp(1, page_count);
    let ids = store::search(db, &matching, &counted, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    Ok(ArtistPage {
        artists: store::cards(db, &ids).await?,
        total: found.total,
        more_than_total: found.more_than_total,
        page,
        page_count,
    })
}
