//! Text keys for matching what people type with what is stored: case, accents and
//! punctuation must not matter ("saint etienne" finds "Saint-Étienne").

use crate::{error::AppError, ui::thousands};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Lower-case ASCII letters and digits separated by single spaces.
///
/// Must stay identical to `searchKey` in `scripts/places/import.mjs`, which computed the
/// stored keys of communes (a test compares them all).
pub fn search_key(text: &str) -> String {
    let folded: String = text
        .to_lowercase()
        .replace('œ', "oe")
        .replace('æ', "ae")
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A readable URL segment: "Les Frères Étoile" → "les-freres-etoile".
pub fn slugify(text: &str) -> String {
    search_key(text).replace(' ', "-")
}

/// Trimmed text with Unix line breaks, refused past `max` characters with a French message
/// that names the field (`label`) and the form input (`field`).
pub fn bounded(field: &str, label: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.replace("\r\n", "\n").trim().to_owned();
    let count = value.chars().count();
    if count > max {
        return Err(AppError::invalid(
            field,
            format!(
                "« {label} » : {} caractères au plus (vous en avez écrit {}).",
                thousands(max),
                thousands(count)
            ),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_accents_and_punctuation() {
        assert_eq!(search_key("Saint-Étienne"), "saint etienne");
        assert_eq!(search_key("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(search_key("Œuilly"), "oeuilly");
        assert_eq!(search_key("  ÉLECTRO   Pop! "), "electro pop");
    }

    #[test]
    fn bounded_text_is_trimmed_and_counted_in_characters() {
        assert_eq!(bounded("f", "Nom", "  a\r\nb ", 3).unwrap(), "a\nb");
        let error = bounded("f", "Nom", &"é".repeat(1001), 1000).unwrap_err();
        assert_eq!(error.field(), Some("f"));
        assert!(error.to_string().contains("1\u{202f}000"), "{error}");
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slugify("Les Frères Étoile"), "les-freres-etoile");
        assert_eq!(slugify("¡¿?!"), "");
    }
}
