//! Text keys for matching what people type with what is stored: case, accents and
//! punctuation must not matter ("saint etienne" finds "Saint-Étienne").

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
    fn slugs_are_readable() {
        assert_eq!(slugify("Les Frères Étoile"), "les-freres-etoile");
        assert_eq!(slugify("¡¿?!"), "");
    }
}
