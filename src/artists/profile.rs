//! Parses the editor's form once: past this point a profile is valid, and every refusal
//! names its field with a French message.

use crate::{
    artists::model::{LinkKind, MusicLink, Offer, OfferForm, ProfileForm, limits},
    error::AppError,
    text::{bounded, search_key},
};

/// A profile that passed every check, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProfile {
    pub stage_name: String,
    pub presentation: String,
    pub music_description: String,
    pub music_types: Vec<String>,
    pub region_codes: Vec<String>,
    pub whole_france: bool,
    /// What was typed as base city, still to be matched with a commune.
    pub base_city: Option<String>,
    pub links: Vec<MusicLink>,
    pub offers: Vec<Offer>,
    pub published: bool,
}

/// The name of the editor's input for a profile field, as errors report it.
pub fn field_name(path: &str) -> String {
    format!("profile[{path}]")
}

impl ValidProfile {
    /// `known_regions` are the INSEE codes a region may take.
    pub fn parse(form: &ProfileForm, known_regions: &[String]) -> Result<Self, AppError> {
        let stage_name = text(
            "stage_name",
            "Nom de scène",
            &form.stage_name,
            limits::STAGE_NAME,
        )?;
        if stage_name.is_empty() {
            return Err(AppError::invalid(
                &field_name("stage_name"),
                "Indiquez votre nom de scène (ou celui du groupe).",
            ));
        }
        let mut region_codes: Vec<String> = Vec::new();
        for code in &form.regions {
            if !known_regions.contains(code) {
                return Err(AppError::invalid(
                    &field_name("regions"),
                    "Une des régions choisies n'existe pas : rechargez la page et réessayez.",
                ));
            }
            if !region_codes.contains(code) {
                region_codes.push(code.clone());
            }
        }
        let base_city = text("base_city", "Ville", &form.base_city, limits::CITY)?;
        let profile = ValidProfile {
            stage_name,
            presentation: text(
                "presentation",
                "Présentation",
                &form.presentation,
                limits::PRESENTATION,
            )?,
            music_description: text(
                "music_description",
                "Votre musique",
                &form.music_description,
                limits::MUSIC_DESCRIPTION,
            )?,
            music_types: music_types(&form.music_types)?,
            region_codes,
            whole_france: form.whole_france,
            base_city: (!base_city.is_empty()).then_some(base_city),
            links: links(form)?,
            offers: offers(&form.offers)?,
            published: form.published,
        };
        if profile.published && profile.region_codes.is_empty() && !profile.whole_france {
            return Err(AppError::invalid(
                &field_name("regions"),
                "Pour publier votre profil, cochez au moins une région, ou « Toute la France ».",
            ));
        }
        if profile.published && profile.music_types.is_empty() {
            return Err(AppError::invalid(
                &field_name("music_types"),
                "Pour publier votre profil, indiquez au moins un type de musique : c'est ainsi que les hôtes vous trouvent.",
            ));
        }
        Ok(profile)
    }
}

fn text(path: &str, label: &str, value: &str, max: usize) -> Result<String, AppError> {
    bounded(&field_name(path), label, value, max)
}

fn music_types(typed: &str) -> Result<Vec<String>, AppError> {
    let typed = text(
        "music_types",
        "Types de musique",
        typed,
        limits::MUSIC_TYPES,
    )?;
    let mut types: Vec<String> = Vec::new();
    // Commas, semicolons and line breaks separate types; so does any other control character
    // (a tab pasted from a spreadsheet): no label holds one, and cards rely on it.
    for word in typed
        .split(|c: char| c == ',' || c == ';' || c.is_control())
        .map(str::trim)
    {
        if word.is_empty() || types.iter().any(|t| search_key(t) == search_key(word)) {
            continue;
        }
        if word.chars().count() > limits::MUSIC_TYPE {
            return Err(AppError::invalid(
                &field_name("music_types"),
                format!(
                    "« {word} » est trop long pour un type de musique ({} caractères au plus) : séparez les types par des virgules.",
                    limits::MUSIC_TYPE
                ),
            ));
        }
        types.push(word.to_owned());
    }
    if types.len() > limits::MUSIC_TYPE_COUNT {
        return Err(AppError::invalid(
            &field_name("music_types"),
            format!(
                "{} types de musique au plus : gardez ceux qui vous décrivent le mieux.",
                limits::MUSIC_TYPE_COUNT
            ),
        ));
    }
    Ok(types)
}

fn links(form: &ProfileForm) -> Result<Vec<MusicLink>, AppError> {
    let mut links = Vec::new();
    for kind in LinkKind::ALL {
        let path = format!("links][{}", kind.field());
        let typed = text(&path, kind.label(), kind.typed(&form.links), limits::LINK)?;
        if typed.is_empty() {
            continue;
        }
        let url = music_link(kind, &typed).ok_or_else(|| {
            let expected = match kind.domains().first() {
                Some(domain) => format!("une adresse {domain}"),
                None => "une adresse web".to_owned(),
            };
            AppError::invalid(
                &field_name(&path),
                format!(
                    "Le lien {} n'est pas valide : indiquez {expected}, par exemple https://{}/…",
                    kind.label(),
                    kind.domains().first().copied().unwrap_or("mon-groupe.fr")
                ),
            )
        })?;
        links.push(MusicLink { kind, url });
    }
    Ok(links)
}

/// A web address of the right site for `kind`; "www.youtube.com/…" gets its https://.
fn music_link(kind: LinkKind, typed: &str) -> Option<String> {
    let with_scheme = if typed.contains("://") {
        typed.to_owned()
    } else {
        format!("https://{typed}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let allowed = if kind.domains().is_empty() {
        host.contains('.')
    } else {
        kind.domains()
            .iter()
            .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
    };
    allowed.then(|| url.to_string())
}

fn offers(forms: &[OfferForm]) -> Result<Vec<Offer>, AppError> {
    let kept: Vec<(usize, &OfferForm)> = forms
        .iter()
        .enumerate()
        .filter(|(_, form)| !form.remove && !form.is_blank())
        .collect();
    // Named after the first offer too many, so that the message shows under its title (an
    // error naming no input would be shown nowhere).
    if let Some((index, _)) = kept.get(limits::OFFER_COUNT) {
        return Err(AppError::invalid(
            &field_name(&format!("offers][{index}][title")),
            format!(
                "{} formules de concert au plus : retirez celle-ci ou une autre.",
                limits::OFFER_COUNT
            ),
        ));
    }
    kept.into_iter()
        .map(|(index, form)| offer(index, form))
        .collect()
}

fn offer(index: usize, form: &OfferForm) -> Result<Offer, AppError> {
    let path = |name: &str| format!("offers][{index}][{name}");
    let number = index + 1;
    let title = text(
        &path("title"),
        "Titre de la formule",
        &form.title,
        limits::OFFER_TITLE,
    )?;
    if title.is_empty() {
        return Err(AppError::invalid(
            &field_name(&path("title")),
            format!("Donnez un titre à la formule n°\u{a0}{number}."),
        ));
    }
    let price_min_eur = price(&path("price_min_eur"), &form.price_min_eur)?;
    let price_max_eur = price(&path("price_max_eur"), &form.price_max_eur)?;
    if let (Some(min), Some(max)) = (price_min_eur, price_max_eur)
        && min > max
    {
        return Err(AppError::invalid(
            &field_name(&path("price_max_eur")),
            "Le prix maximum doit être supérieur ou égal au prix minimum.",
        ));
    }
    let short =
        |name: &str, label: &str, value: &str| text(&path(name), label, value, limits::OFFER_SHORT);
    Ok(Offer {
        title,
        venue_type: short("venue_type", "Type de lieu", &form.venue_type)?,
        duration: short("duration", "Durée", &form.duration)?,
        audience: short("audience", "Public", &form.audience)?,
        price_text: short("price_text", "Prix demandé", &form.price_text)?,
        price_min_eur,
        price_max_eur,
        description: text(
            &path("description"),
            "Description de la formule",
            &form.description,
            limits::OFFER_DESCRIPTION,
        )?,
    })
}

/// Whole euros, "1 200", "1200 €" or empty.
fn price(path: &str, typed: &str) -> Result<Option<u32>, AppError> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    match digits.parse::<u32>() {
        Ok(euros) if euros <= limits::PRICE_EUR => Ok(Some(euros)),
        _ => Err(AppError::invalid(
            &field_name(path),
            "Indiquez un montant en euros, sans centimes (par exemple 400), ou laissez vide.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artists::model::LinksForm;

    fn regions() -> Vec<String> {
        vec!["84".to_owned(), "53".to_owned()]
    }

    fn form() -> ProfileForm {
        ProfileForm {
            stage_name: "  Les Frères Étoile ".into(),
            music_types: "Électro, swing; électro\n".into(),
            regions: vec!["84".into(), "84".into()],
            published: true,
            offers: vec![
                OfferForm {
                    title: "Salon acoustique".into(),
                    price_min_eur: "1 200 €".into(),
                    ..OfferForm::default()
                },
                OfferForm::default(),
            ],
            ..ProfileForm::default()
        }
    }

    #[test]
    fn a_valid_form_is_trimmed_and_deduplicated() {
        let profile = ValidProfile::parse(&form(), &regions()).unwrap();
        assert_eq!(profile.stage_name, "Les Frères Étoile");
        assert_eq!(profile.music_types, vec!["Électro", "swing"]);
        let tabbed = ProfileForm {
            music_types: "Jazz\tBlues\u{1f}Soul".into(),
            ..form()
        };
        assert_eq!(
            ValidProfile::parse(&tabbed, &regions())
                .expect("valid")
                .music_types,
            vec!["Jazz", "Blues", "Soul"]
        );
        assert_eq!(profile.region_codes, vec!["84"]);
        assert_eq!(profile.offers.len(), 1, "the blank offer is ignored");
        assert_eq!(profile.offers[0].price_min_eur, Some(1200));
    }

    #[test]
    fn errors_name_their_field() {
        let mut long = form();
        long.presentation = "é".repeat(limits::PRESENTATION + 1);
        let error = ValidProfile::parse(&long, &regions()).unwrap_err();
        assert_eq!(error.field(), Some("profile[presentation]"));
        assert!(error.to_string().contains("5\u{202f}000"), "{error}");

        let mut untitled = form();
        untitled.offers[1].description = "Sans titre".into();
        let error = ValidProfile::parse(&untitled, &regions()).unwrap_err();
        assert_eq!(error.field(), Some("profile[offers][1][title]"));

        let mut many = form();
        let offer = many.offers[0].clone();
        many.offers = vec![offer; limits::OFFER_COUNT + 1];
        let error = ValidProfile::parse(&many, &regions()).unwrap_err();
        assert_eq!(
            error.field(),
            Some(format!("profile[offers][{}][title]", limits::OFFER_COUNT).as_str()),
            "the offer too many, which has an input"
        );

        let mut unknown = form();
        unknown.regions = vec!["99".into()];
        assert!(ValidProfile::parse(&unknown, &regions()).is_err());

        let mut nowhere = form();
        nowhere.regions.clear();
        let error = ValidProfile::parse(&nowhere, &regions()).unwrap_err();
        assert_eq!(error.field(), Some("profile[regions]"));
    }

    #[test]
    fn links_must_point_to_their_site() {
        let mut with_links = form();
        with_links.links = LinksForm {
            youtube: "www.youtube.com/watch?v=abc".into(),
            website: "mon-groupe.fr".into(),
            ..LinksForm::default()
        };
        let profile = ValidProfile::parse(&with_links, &regions()).unwrap();
        assert_eq!(profile.links[0].url, "https://www.youtube.com/watch?v=abc");
        assert_eq!(profile.links[1].url, "https://mon-groupe.fr/");

        for bad in [
            "https://evil.example/youtube.com",
            "javascript:alert(1)",
            "https://notyoutube.com/x",
        ] {
            let mut bad_link = form();
            bad_link.links.youtube = bad.into();
            let error = ValidProfile::parse(&bad_link, &regions()).unwrap_err();
            assert_eq!(error.field(), Some("profile[links][youtube]"), "{bad}");
        }
    }

    #[test]
    fn prices_are_whole_euros_in_order() {
        let mut bad = form();
        bad.offers[0].price_min_eur = "quatre cents".into();
        assert!(ValidProfile::parse(&bad, &regions()).is_err());
        let mut reversed = form();
        reversed.offers[0].price_max_eur = "100".into();
        let error = ValidProfile::parse(&reversed, &regions()).unwrap_err();
        assert_eq!(error.field(), Some("profile[offers][0][price_max_eur]"));
    }
}
