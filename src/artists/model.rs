//! What clients send and receive about artists. These shapes are the API of the future
//! mobile app: they are separate from database rows, and snapshot tests pin them.

use crate::places::model::{City, Region};
use serde::{Deserialize, Serialize};

/// Field limits, in characters; the editor shows them and the server enforces them.
pub mod limits {
    pub const STAGE_NAME: usize = 80;
    pub const PRESENTATION: usize = 5000;
    pub const MUSIC_DESCRIPTION: usize = 5000;
    pub const MUSIC_TYPES: usize = 300;
    pub const MUSIC_TYPE: usize = 40;
    pub const MUSIC_TYPE_COUNT: usize = 12;
    pub const CITY: usize = 100;
    pub const LINK: usize = 300;
    pub const OFFER_COUNT: usize = 10;
    pub const OFFER_TITLE: usize = 120;
    pub const OFFER_SHORT: usize = 200;
    pub const OFFER_DESCRIPTION: usize = 3000;
    pub const PRICE_EUR: u32 = 1_000_000;
    pub const PHOTO_BYTES: usize = 5 * 1024 * 1024;
}

/// Said by the browser before sending, and by the server if the browser did not check.
pub const PHOTO_TOO_LARGE: &str = "Cette photo dépasse 5 Mo. Choisissez une image plus légère.";

/// Where a refused save keeps the typed form (as JSON) in its error, so that the editor can
/// show it again after a submission without JavaScript.
pub const KEPT_FORM: &str = "profile";

/// The editor's form as typed. The server parses it once into a valid profile or refuses it
/// naming the faulty field (`profile[offers][1][title]`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub stage_name: String,
    pub presentation: String,
    pub music_description: String,
    /// Free words separated by commas: "jazz manouche, swing".
    pub music_types: String,
    /// INSEE codes of the regions served.
    pub regions: Vec<String>,
    pub whole_france: bool,
    /// A commune name, "Name (département)" or postal code; may be empty.
    pub base_city: String,
    pub links: LinksForm,
    pub offers: Vec<OfferForm>,
    pub published: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinksForm {
    pub youtube: String,
    pub soundcloud: String,
    pub bandcamp: String,
    pub spotify: String,
    pub website: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferForm {
    pub title: String,
    pub venue_type: String,
    pub duration: String,
    pub audience: String,
    pub price_text: String,
    pub price_min_eur: String,
    pub price_max_eur: String,
    pub description: String,
    /// Ticked "Supprimer cette formule".
    pub remove: bool,
}

impl ProfileForm {
    /// The editor's starting point: a saved profile, as the form shows it.
    pub fn from_saved(profile: &ArtistProfile) -> Self {
        let link = |kind: LinkKind| kind.find(&profile.links).unwrap_or_default().to_owned();
        ProfileForm {
            stage_name: profile.stage_name.clone(),
            presentation: profile.presentation.clone(),
            music_description: profile.music_description.clone(),
            music_types: profile.music_types.join(", "),
            regions: profile.regions.iter().map(|r| r.code.clone()).collect(),
            whole_france: profile.whole_france,
            base_city: profile
                .base_city
                .as_ref()
                .map(City::label)
                .unwrap_or_default(),
            links: LinksForm {
                youtube: link(LinkKind::Youtube),
                soundcloud: link(LinkKind::Soundcloud),
                bandcamp: link(LinkKind::Bandcamp),
                spotify: link(LinkKind::Spotify),
                website: link(LinkKind::Website),
            },
            offers: profile.offers.iter().map(OfferForm::from_saved).collect(),
            published: profile.published,
        }
    }
}

impl OfferForm {
    pub fn from_saved(offer: &Offer) -> Self {
        let euros = |price: Option<u32>| price.map(|p| p.to_string()).unwrap_or_default();
        OfferForm {
            title: offer.title.clone(),
            venue_type: offer.venue_type.clone(),
            duration: offer.duration.clone(),
            audience: offer.audience.clone(),
            price_text: offer.price_text.clone(),
            price_min_eur: euros(offer.price_min_eur),
            price_max_eur: euros(offer.price_max_eur),
            description: offer.description.clone(),
            remove: false,
        }
    }

    /// The blank offer at the end of the editor is ignored unless something was typed in it.
    pub fn is_blank(&self) -> bool {
        [
            &self.title,
            &self.venue_type,
            &self.duration,
            &self.audience,
            &self.price_text,
            &self.price_min_eur,
            &self.price_max_eur,
            &self.description,
        ]
        .iter()
        .all(|text| text.trim().is_empty())
    }
}

/// A full profile: the public page, and the editor's starting point for its owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtistProfile {
    pub slug: String,
    /// The public page's full address.
    pub url: String,
    pub stage_name: String,
    pub presentation: String,
    pub music_description: String,
    pub music_types: Vec<String>,
    pub regions: Vec<Region>,
    pub whole_france: bool,
    pub base_city: Option<City>,
    pub links: Vec<MusicLink>,
    pub photo: Option<Photo>,
    pub offers: Vec<Offer>,
    pub published: bool,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Youtube,
    Soundcloud,
    Bandcamp,
    Spotify,
    Website,
}

impl LinkKind {
    pub const ALL: [LinkKind; 5] = [
        LinkKind::Youtube,
        LinkKind::Soundcloud,
        LinkKind::Bandcamp,
        LinkKind::Spotify,
        LinkKind::Website,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Youtube => "YouTube",
            LinkKind::Soundcloud => "SoundCloud",
            LinkKind::Bandcamp => "Bandcamp",
            LinkKind::Spotify => "Spotify",
            LinkKind::Website => "Site web",
        }
    }

    /// The editor's field name for this link.
    pub fn field(self) -> &'static str {
        match self {
            LinkKind::Youtube => "youtube",
            LinkKind::Soundcloud => "soundcloud",
            LinkKind::Bandcamp => "bandcamp",
            LinkKind::Spotify => "spotify",
            LinkKind::Website => "website",
        }
    }

    /// The host a link of this kind must point to (its subdomains too); any for a website.
    pub fn domains(self) -> &'static [&'static str] {
        match self {
            LinkKind::Youtube => &["youtube.com", "youtu.be"],
            LinkKind::Soundcloud => &["soundcloud.com"],
            LinkKind::Bandcamp => &["bandcamp.com"],
            LinkKind::Spotify => &["spotify.com"],
            LinkKind::Website => &[],
        }
    }

    /// The address of the link of this kind among `links`, if there is one.
    pub fn find(self, links: &[MusicLink]) -> Option<&str> {
        links
            .iter()
            .find(|link| link.kind == self)
            .map(|link| link.url.as_str())
    }

    pub fn typed(self, links: &LinksForm) -> &str {
        match self {
            LinkKind::Youtube => &links.youtube,
            LinkKind::Soundcloud => &links.soundcloud,
            LinkKind::Bandcamp => &links.bandcamp,
            LinkKind::Spotify => &links.spotify,
            LinkKind::Website => &links.website,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MusicLink {
    pub kind: LinkKind,
    pub url: String,
}

/// Both sizes of an artist's photo (JPEG, re-encoded by the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// At most 1200 px on its longer side.
    pub url: String,
    /// 480 × 480, cropped to a square.
    pub thumbnail_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub title: String,
    pub venue_type: String,
    pub duration: String,
    pub audience: String,
    /// The price as the artist wrote it ("400 € + défraiement").
    pub price_text: String,
    pub price_min_eur: Option<u32>,
    pub price_max_eur: Option<u32>,
    pub description: String,
}

/// An artist in a list or a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistCard {
    pub slug: String,
    pub stage_name: String,
    pub photo: Option<Photo>,
    pub music_types: Vec<String>,
    /// Region names, empty when the artist plays everywhere (`whole_france`).
    pub regions: Vec<String>,
    pub whole_france: bool,
    /// The first offer, as a summary.
    pub offer: Option<OfferSummary>,
    pub offer_count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferSummary {
    pub title: String,
    pub price_text: String,
}

/// One page of artists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistPage {
    pub artists: Vec<ArtistCard>,
    /// How many artists match, counted up to 1,000.
    pub total: u32,
    /// More than `total` match: counting stopped there ("plus de 1 000 artistes"), and
    /// pages go no further.
    pub more_than_total: bool,
    /// Starts at 1.
    pub page: u32,
    pub page_count: u32,
}

/// A search's answer: the commune understood from `ville`, and the matching artists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub city: Option<City>,
    /// When several communes bear the name typed ("Saint-Denis"): all of them, most
    /// populous first (`city` among them), so that the asker can choose another.
    pub same_name: Vec<City>,
    pub results: ArtistPage,
}

/// Artists per page, in lists and search results.
pub const PAGE_SIZE: u32 = 20;
