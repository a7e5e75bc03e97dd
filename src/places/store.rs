//! SQL for regions and communes (reference data loaded by a migration, read-only here).

use crate::{
    db::Db,
    error::AppError,
    places::model::{City, Region},
    text::search_key,
};

const CITY_COLUMNS: &str = "c.code, c.name, c.department, r.code, r.name, \
     (SELECT MIN(p.postal_code) FROM commune_postal_codes p WHERE p.commune_code = c.code)";

/// code, name, département, region code, region name, main postal code.
type CityRow = (String, String, String, String, String, Option<String>);

fn city((code, name, department, region_code, region_name, postal_code): CityRow) -> City {
    City {
        code,
        name,
        department,
        region: Region {
            code: region_code,
            name: region_name,
        },
        postal_code,
    }
}

/// The columns of an optional commune joined as `c` (with its region as `cr`), for rows
/// that point to a commune: read them with `OptionalCity`.
pub const OPTIONAL_CITY_COLUMNS: &str = "c.code AS city_code, c.name AS city_name, \
     c.department AS city_department, cr.code AS city_region_code, cr.name AS city_region_name, \
     (SELECT MIN(p.postal_code) FROM commune_postal_codes p WHERE p.commune_code = c.code) \
       AS city_postal_code";

/// The joins behind `OPTIONAL_CITY_COLUMNS`, for a commune code in `column`.
pub fn optional_city_joins(column: &str) -> String {
    format!(
        "LEFT JOIN communes c ON c.code = {column} LEFT JOIN regions cr ON cr.code = c.region_code"
    )
}

/// A commune read through `OPTIONAL_CITY_COLUMNS` (all columns NULL when there is none).
#[derive(sqlx::FromRow)]
pub struct OptionalCity {
    city_code: Option<String>,
    city_name: Option<String>,
    city_department: Option<String>,
    city_region_code: Option<String>,
    city_region_name: Option<String>,
    city_postal_code: Option<String>,
}

impl OptionalCity {
    pub fn into_city(self) -> Option<City> {
        Some(city((
            self.city_code?,
            self.city_name?,
            self.city_department?,
            self.city_region_code?,
            self.city_region_name?,
            self.city_postal_code,
        )))
    }
}

/// All regions, in French alphabetical order.
pub async fn regions(db: &Db) -> Result<Vec<Region>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM regions")
        .fetch_all(&db.pool)
        .await?;
    let mut regions: Vec<Region> = rows
        .into_iter()
        .map(|(code, name)| Region { code, name })
        .collect();
    // SQL collation would put "Île-de-France" last; compare without accents instead.
    regions.sort_by_cached_key(|region| search_key(&region.name));
    Ok(regions)
}

/// Communes whose name (or postal code, for digits) starts with `typed`, larger towns first.
pub async fn suggest(db: &Db, typed: &str, limit: i64) -> Result<Vec<City>, AppError> {
    let typed = typed.trim();
    let rows: Vec<CityRow> = if is_postal_prefix(typed) {
        sqlx::query_as(&format!(
            "SELECT {CITY_COLUMNS} FROM communes c JOIN regions r ON r.code = c.region_code \
             WHERE c.code IN (SELECT commune_code FROM commune_postal_codes \
                              WHERE postal_code >= $1 AND postal_code < $2) \
             ORDER BY c.population DESC, c.name LIMIT $3"
        ))
        .bind(typed)
        .bind(prefix_end(typed))
        .bind(limit)
        .fetch_all(&db.pool)
        .await?
    } else {
        let key = search_key(typed);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        // A range on the indexed key is a prefix match on both SQLite and PostgreSQL.
        sqlx::query_as(&format!(
            "SELECT {CITY_COLUMNS} FROM communes c JOIN regions r ON r.code = c.region_code \
             WHERE c.search_key >= $1 AND c.search_key < $2 \
             ORDER BY c.population DESC, c.name LIMIT $3"
        ))
        .bind(&key)
        .bind(prefix_end(&key))
        .bind(limit)
        .fetch_all(&db.pool)
        .await?
    };
    Ok(rows.into_iter().map(city).collect())
}

/// How what was typed in a city field was understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CityMatch {
    /// The commune meant and, when its name is shared, every commune of that name (most
    /// populous first, the one meant included), to choose another.
    Found { city: City, same_name: Vec<City> },
    /// No commune answers to it: the communes whose names are nearest, most alike first.
    Unknown { nearest: Vec<City> },
}

/// The commune meant by what was typed in a city field: a postal code, a name, or a label
/// such as "Saint-Denis (974)". Among namesakes the most populous wins; a name that is no
/// commune's gets the nearest names instead ("Marseile": Marseille).
pub async fn lookup(db: &Db, typed: &str) -> Result<CityMatch, AppError> {
    let typed = typed.trim();
    if typed.len() == 5 && is_postal_prefix(typed) {
        let row: Option<CityRow> = sqlx::query_as(&format!(
            "SELECT {CITY_COLUMNS} FROM communes c JOIN regions r ON r.code = c.region_code \
             JOIN commune_postal_codes p ON p.commune_code = c.code \
             WHERE p.postal_code = $1 ORDER BY c.population DESC LIMIT 1"
        ))
        .bind(typed)
        .fetch_optional(&db.pool)
        .await?;
        return Ok(match row {
            Some(row) => CityMatch::Found {
                city: city(row),
                same_name: Vec::new(),
            },
            None => CityMatch::Unknown {
                nearest: Vec::new(),
            },
        });
    }
    let (name, department) = split_label(typed);
    let key = search_key(name);
    if key.is_empty() {
        return Ok(CityMatch::Unknown {
            nearest: Vec::new(),
        });
    }
    let namesakes: Vec<City> = sqlx::query_as(&format!(
        "SELECT {CITY_COLUMNS} FROM communes c JOIN regions r ON r.code = c.region_code \
         WHERE c.search_key = $1 ORDER BY c.population DESC, c.department"
    ))
    .bind(&key)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(city)
    .collect();
    let meant = match department {
        Some(department) => namesakes
            .iter()
            .position(|city| city.department.eq_ignore_ascii_case(department)),
        None => (!namesakes.is_empty()).then_some(0),
    };
    if let Some(index) = meant {
        let city = namesakes[index].clone();
        let same_name = if namesakes.len() > 1 {
            namesakes
        } else {
            Vec::new()
        };
        return Ok(CityMatch::Found { city, same_name });
    }
    if !namesakes.is_empty() {
        // "Saint-Denis (75)": the name exists, not in that département.
        return Ok(CityMatch::Unknown { nearest: namesakes });
    }
    // Someone who typed "Lyo" and pressed Enter means the town autocomplete would offer,
    // unless a name a typo away is a larger town: "Toulouze" is Toulouse, not Toulouzette.
    let names = commune_names(db).await?;
    let near = names.near(&key);
    let prefixed = suggest(db, name, 1).await?.into_iter().next();
    if let Some(city) = prefixed {
        let population = names.population(&city.code);
        if near.iter().all(|(_, other, _)| *other <= population) {
            return Ok(CityMatch::Found {
                city,
                same_name: Vec::new(),
            });
        }
        let mut codes: Vec<&str> = near.iter().map(|(_, _, code)| *code).collect();
        if !codes.contains(&city.code.as_str()) {
            codes.push(&city.code);
        }
        return Ok(CityMatch::Unknown {
            nearest: by_codes(db, &codes).await?,
        });
    }
    let codes: Vec<&str> = near.iter().map(|(_, _, code)| *code).collect();
    Ok(CityMatch::Unknown {
        nearest: by_codes(db, &codes).await?,
    })
}

/// The commune `lookup` finds, if any.
pub async fn resolve(db: &Db, typed: &str) -> Result<Option<City>, AppError> {
    Ok(match lookup(db, typed).await? {
        CityMatch::Found { city, .. } => Some(city),
        CityMatch::Unknown { .. } => None,
    })
}

/// How many near names a misspelt city gets.
const NEAREST_NAMES: usize = 5;

/// Every commune's search key, code and population, to find the names nearest a misspelt
/// one. The reference data is the same in every database (one migration writes it), so one
/// copy per process serves them all; it is read on the first name that is no commune's
/// (about 2 MB).
struct CommuneNames(Vec<(Box<str>, Box<str>, i64)>);

static COMMUNE_NAMES: tokio::sync::OnceCell<CommuneNames> = tokio::sync::OnceCell::const_new();

async fn commune_names(db: &Db) -> Result<&'static CommuneNames, AppError> {
    COMMUNE_NAMES
        .get_or_try_init(|| async {
            let rows: Vec<(String, String, i64)> =
                sqlx::query_as("SELECT search_key, code, population FROM communes")
                    .fetch_all(&db.pool)
                    .await?;
            Ok::<_, AppError>(CommuneNames(
                rows.into_iter()
                    .map(|(key, code, population)| (key.into(), code.into(), population))
                    .collect(),
            ))
        })
        .await
}

impl CommuneNames {
    /// Up to `NEAREST_NAMES` communes whose names are within a few edits of `key` (a search
    /// key), as (edits, population, code), the fewest edits first, then the most populous.
    /// A typo is an edit (a letter missing, added, changed, or two swapped); longer names may
    /// have more of them.
    fn near(&self, key: &str) -> Vec<(usize, i64, &str)> {
        let length = key.chars().count();
        let allowed = match length {
            0..=3 => return Vec::new(),
            4..=6 => 1,
            7..=11 => 2,
            _ => 3,
        };
        let mut close: Vec<(usize, i64, &str)> = self
            .0
            .iter()
            .filter(|(name, _, _)| name.chars().count().abs_diff(length) <= allowed)
            .filter_map(|(name, code, population)| {
                let edits = strsim::osa_distance(key, name);
                (edits <= allowed).then_some((edits, *population, &**code))
            })
            .collect();
        close.sort_unstable_by_key(|&(edits, population, code)| (edits, -population, code));
        close.truncate(NEAREST_NAMES);
        close
    }

    fn population(&self, code: &str) -> i64 {
        self.0
            .iter()
            .find(|(_, other, _)| &**other == code)
            .map_or(0, |(_, _, population)| *population)
    }
}

/// The communes with these INSEE codes, in the order given.
async fn by_codes(db: &Db, codes: &[&str]) -> Result<Vec<City>, AppError> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=codes.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT {CITY_COLUMNS} FROM communes c JOIN regions r ON r.code = c.region_code \
         WHERE c.code IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, CityRow>(&sql);
    for code in codes {
        query = query.bind(*code);
    }
    let mut found: Vec<City> = query
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(city)
        .collect();
    found.sort_by_key(|city| codes.iter().position(|code| *code == city.code));
    Ok(found)
}

fn is_postal_prefix(typed: &str) -> bool {
    !typed.is_empty() && typed.len() <= 5 && typed.bytes().all(|b| b.is_ascii_digit())
}

/// The smallest string greater than every string starting with `prefix` (ASCII keys only).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{7f}")
}

/// "Saint-Denis (974)" → ("Saint-Denis", Some("974")).
fn split_label(typed: &str) -> (&str, Option<&str>) {
    if let Some(open) = typed.rfind('(')
        && let Some(inside) = typed[open + 1..].strip_suffix(')')
    {
        let department = inside.trim();
        if (2..=3).contains(&department.len())
            && department.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return (typed[..open].trim(), Some(department));
        }
    }
    (typed, None)
}

#[cfg(test)]
mod tests {
    use super::split_label;

    #[test]
    fn labels_split_into_name_and_department() {
        assert_eq!(
            split_label("Saint-Denis (974)"),
            ("Saint-Denis", Some("974"))
        );
        assert_eq!(split_label("Ajaccio (2A)"), ("Ajaccio", Some("2A")));
        assert_eq!(split_label("Lyon"), ("Lyon", None));
        assert_eq!(
            split_label("Lyon (rive gauche)"),
            ("Lyon (rive gauche)", None)
        );
    }
}
