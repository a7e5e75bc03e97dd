//! Demo content for an empty database (`make run`): fictional artists with varied music,
//! regions, offers and prices, a few hosts and their first messages, all sharing one printed
//! password. Composition code: each feature's data goes through its own store.
//! Turned off by `DEMO_CONTENT=false` (and by default in production).

use crate::{
    artists::{
        model::{LinksForm, OfferForm, ProfileForm},
        profile::ValidProfile,
        store,
    },
    auth::{
        accounts::{self, create_confirmed_account},
        model::{Email, NewPassword, Role},
        password,
    },
    db::{Db, now_ms},
    error::AppError,
    hosts, messaging, places,
};

/// The password of every demo account.
pub const PASSWORD: &str = "concert-demo-2026";

/// Sign-in details of the accounts created, to print.
pub struct DemoAccounts {
    pub artists: Vec<(String, String)>,
    pub hosts: Vec<String>,
}

/// (stage name, music types, regions ("FR" = all of France), base city, what they play)
const ARTISTS: [(&str, &str, &str, &str, &str); 30] = [
    (
        "Les Frères Étoile",
        "Jazz manouche, Swing",
        "84",
        "Lyon",
        "Deux guitares et une contrebasse, dans la lignée de Django Reinhardt.",
    ),
    (
        "Nuit Blanche Électro",
        "Électro, Ambient",
        "11",
        "Paris",
        "Synthétiseurs analogiques et boucles en direct, du chill-out à la danse.",
    ),
    (
        "Maëlle Kerhervé",
        "Musique bretonne, Harpe celtique",
        "53",
        "Quimper",
        "Harpe celtique et chant en breton, gavottes et complaintes.",
    ),
    (
        "Trio Garance",
        "Musique classique, Musique de chambre",
        "FR",
        "Tours",
        "Piano, violon et violoncelle : Schubert, Ravel, Fauré.",
    ),
    (
        "Los Caminantes",
        "Musique latine, Cumbia, Salsa",
        "76",
        "Toulouse",
        "Cumbia colombienne et salsa de Cuba, pour faire danser le salon.",
    ),
    (
        "Paul Ardent",
        "Chanson française",
        "FR",
        "Nantes",
        "Chansons à texte, guitare et voix, dans l'esprit de Brassens et Souchon.",
    ),
    (
        "Sœurs Vermeil",
        "Folk, Harmonies vocales",
        "52",
        "Angers",
        "Trois voix, un banjo, une guitare : folk des Appalaches et compositions.",
    ),
    (
        "Blue Bayou Band",
        "Blues, Rock",
        "44",
        "Strasbourg",
        "Blues électrique du Mississippi à Chicago.",
    ),
    (
        "Amina Sahraoui",
        "Musique arabo-andalouse, Oud",
        "93",
        "Marseille",
        "Oud et chant : le répertoire arabo-andalou et ses héritages.",
    ),
    (
        "Quatuor Alizé",
        "Musique classique, Quatuor à cordes",
        "75",
        "Bordeaux",
        "Quatuor à cordes : Haydn, Mozart, Debussy, et des arrangements pop.",
    ),
    (
        "DJ Komorebi",
        "Électro, House, Deep house",
        "84",
        "Grenoble",
        "Sets house et deep house, platines vinyles, lumière douce.",
    ),
    (
        "La Fanfare du Dimanche",
        "Fanfare, Musiques du monde",
        "32",
        "Lille",
        "Huit cuivres et percussions, des Balkans à la Nouvelle-Orléans.",
    ),
    (
        "Élise Montfort",
        "Piano, Musique classique, Jazz",
        "27",
        "Dijon",
        "Piano solo, de Satie à Bill Evans.",
    ),
    (
        "Kora Kanté",
        "Musiques du monde, Kora, Afro",
        "11",
        "Montreuil",
        "Kora mandingue et chant griot, en solo ou en duo.",
    ),
    (
        "Les Vieux Loups",
        "Rock, Reprises",
        "28",
        "Rouen",
        "Les classiques du rock des années 60 et 70, joués fort mais pas trop.",
    ),
    (
        "Mira Lune",
        "Pop, Chanson française, Acoustique",
        "FR",
        "Montpellier",
        "Pop acoustique et chansons en français, guitare, ukulélé et voix.",
    ),
    (
        "Ensemble Renaissance",
        "Musique ancienne, Baroque",
        "24",
        "Orléans",
        "Luth, viole de gambe et voix : Dowland, Monteverdi, Couperin.",
    ),
    (
        "Joe Swing Quartet",
        "Jazz, Swing, Standards",
        "93",
        "Nice",
        "Standards du jazz, de Gershwin à Monk, avec une chanteuse.",
    ),
    (
        "Tambours de Gascogne",
        "Percussions, Musiques du monde",
        "75",
        "Pau",
        "Percussions du monde entier et ateliers pour les enfants.",
    ),
    (
        "Corsica Voce",
        "Polyphonies corses, Chant a cappella",
        "94",
        "Ajaccio",
        "Chants polyphoniques corses, a cappella, à trois et quatre voix.",
    ),
    (
        "Zouk Péyi",
        "Zouk, Kompa, Biguine",
        "01",
        "Pointe-à-Pitre",
        "Zouk, biguine et kompa pour fêter en famille.",
    ),
    (
        "Les Accordéons Réunis",
        "Musette, Bal, Accordéon",
        "32",
        "Amiens",
        "Bal musette, valses et tangos, accordéon et contrebasse.",
    ),
    (
        "Hugo Rivière",
        "Folk, Songwriter, Acoustique",
        "84",
        "Annecy",
        "Guitare acoustique et compositions en anglais et en français.",
    ),
    (
        "Électron Libre",
        "Électro, Techno, Live coding",
        "FR",
        "Paris",
        "Techno composée en direct, code projeté au mur.",
    ),
    (
        "Sofia Reyes",
        "Flamenco, Guitare",
        "76",
        "Perpignan",
        "Guitare flamenca et danse, soleá, bulerías, alegrías.",
    ),
    (
        "Gospel Lumière",
        "Gospel, Soul",
        "11",
        "Saint-Denis",
        "Chorale gospel de huit voix et un piano.",
    ),
    (
        "Le Duo Cordes Sensibles",
        "Musique classique, Guitare, Violon",
        "53",
        "Rennes",
        "Violon et guitare : Piazzolla, Paganini, musiques de film.",
    ),
    (
        "Reggae Roots Family",
        "Reggae, Dub",
        "04",
        "Saint-Pierre",
        "Reggae roots et dub, basse ronde et chœurs.",
    ),
    (
        "Nour & les Oiseaux",
        "Jeune public, Chanson",
        "FR",
        "Clermont-Ferrand",
        "Concerts-spectacles pour les enfants de 3 à 10 ans.",
    ),
    (
        "Cœur de Chœur",
        "Chorale, Chanson française, A cappella",
        "44",
        "Reims",
        "Douze voix a cappella : de Piaf à Stromae.",
    ),
];

/// (title, venue, duration, audience, price text, minimum, maximum)
const OFFERS: [(&str, &str, &str, &str, &str, &str, &str); 4] = [
    (
        "Concert en salon",
        "Salon, appartement",
        "1 h 15",
        "De 15 à 40 personnes",
        "400 € + défraiement",
        "400",
        "400",
    ),
    (
        "Concert au jardin",
        "Jardin, cour, terrasse",
        "2 × 45 min",
        "Jusqu'à 80 personnes",
        "De 600 à 900 € selon la distance",
        "600",
        "900",
    ),
    (
        "Concert au chapeau",
        "Chez l'habitant",
        "1 h",
        "De 10 à 30 personnes",
        "Au chapeau, avec un minimum de 150 €",
        "150",
        "",
    ),
    (
        "Soirée d'entreprise",
        "Locaux d'entreprise, séminaire",
        "2 h en deux parties",
        "Jusqu'à 150 personnes",
        "Sur devis, à partir de 1 200 €",
        "1200",
        "2500",
    ),
];

/// (e-mail, name, commune, the place offered)
const HOSTS: [(&str, &str, &str, &str); 3] = [
    (
        "demo.hote1@example.org",
        "Famille Moreau",
        "Lyon",
        "Un grand salon de 50 m² au rez-de-chaussée, un piano droit accordé l'an dernier. Jusqu'à 40 invités assis ; la rue est calme, les voisins prévenus.",
    ),
    (
        "demo.hote2@example.org",
        "Atelier Lumière (agence de design)",
        "Nantes",
        "Un plateau de 200 m² sous verrière pour une soirée d'équipe : 80 personnes, sonorisation légère sur place, accès de plain-pied.",
    ),
    (
        "demo.hote3@example.org",
        "Claire et Julien",
        "Marseille",
        "Une terrasse ombragée avec vue sur la mer, pour un concert acoustique à la tombée du jour : 25 amis, pas d'amplification.",
    ),
];

/// The demo conversation: the first host writes to the first artist, who answers.
const CONVERSATION: [&str; 2] = [
    "Bonjour\u{202f}! Nous organisons un concert dans notre salon à Lyon le samedi 14 mars, pour une trentaine d'amis.\n\nVotre formule «\u{a0}Concert en salon\u{a0}» serait-elle possible ce jour-là\u{202f}?",
    "Bonjour, merci pour votre message\u{202f}! Le 14 mars nous convient très bien.\nPouvez-vous nous dire si le piano est accordé au diapason 440\u{202f}?",
];

/// Fills an empty database; does nothing (and returns `None`) if any account exists.
pub async fn load_if_empty(db: &Db) -> Result<Option<DemoAccounts>, AppError> {
    if !accounts::is_empty(db).await? {
        return Ok(None);
    }
    let hash = password::hash(&NewPassword::parse(PASSWORD)?).await?;
    let regions: Vec<String> = places::store::regions(db)
        .await?
        .into_iter()
        .map(|region| region.code)
        .collect();
    let now = now_ms();
    let mut accounts = DemoAccounts {
        artists: Vec::new(),
        hosts: Vec::new(),
    };
    let mut artist_ids = Vec::new();
    for (index, (name, types, region, city, sound)) in ARTISTS.into_iter().enumerate() {
        let email = format!("demo.artiste{:02}@example.org", index + 1);
        let id =
            create_confirmed_account(db, Role::Artist, &Email::parse(&email)?, &hash, now).await?;
        artist_ids.push(id);
        let form = demo_profile(index, name, types, region, city, sound);
        let profile = ValidProfile::parse(&form, &regions)?;
        let commune = places::store::resolve(db, city).await?;
        // Spread "last updated" over the past days, so the list has an order.
        let updated = now - i64::try_from(index).unwrap_or(0) * 3_600_000;
        store::save(
            db,
            id,
            &profile,
            commune.as_ref().map(|c| c.code.as_str()),
            updated,
        )
        .await?;
        accounts.artists.push((email, name.to_owned()));
    }
    let mut host_ids = Vec::new();
    for (email, name, city, place) in HOSTS {
        let id =
            create_confirmed_account(db, Role::Host, &Email::parse(email)?, &hash, now).await?;
        let commune = places::store::resolve(db, city)
            .await?
            .ok_or_else(|| AppError::internal("demo content", "unknown demo commune"))?;
        hosts::store::save(db, id, name, &commune.code, place, now).await?;
        host_ids.push(id);
        accounts.hosts.push(email.to_owned());
    }
    if let (Some(&host), Some(&artist)) = (host_ids.first(), artist_ids.first()) {
        let [question, answer] = CONVERSATION;
        // Demo accounts want no e-mails: none is queued, whatever the due time.
        let (asked, answered) = (now - 7_200_000, now - 3_600_000);
        let first =
            messaging::store::write_to_artist(db, host, artist, question, asked, asked).await?;
        messaging::store::send(
            db,
            first.conversation_id,
            artist,
            answer,
            answered,
            answered,
        )
        .await?;
    }
    Ok(Some(accounts))
}

fn demo_profile(
    index: usize,
    name: &str,
    types: &str,
    region: &str,
    city: &str,
    sound: &str,
) -> ProfileForm {
    // One to three offers per artist, in a rotating choice.
    let offers = (0..1 + index % 3)
        .map(|n| {
            let (title, venue, duration, audience, price, min, max) =
                OFFERS[(index + n) % OFFERS.len()];
            OfferForm {
                title: title.to_owned(),
                venue_type: venue.to_owned(),
                duration: duration.to_owned(),
                audience: audience.to_owned(),
                price_text: price.to_owned(),
                price_min_eur: min.to_owned(),
                price_max_eur: max.to_owned(),
                description: format!(
                    "{sound} Installation en trente minutes, sonorisation légère fournie si besoin."
                ),
                remove: false,
            }
        })
        .collect();
    let slug = crate::text::slugify(name);
    ProfileForm {
        stage_name: name.to_owned(),
        presentation: format!(
            "{name} joue depuis plus de {} ans sur scène et chez l'habitant. {sound}\n\nNous aimons la proximité des concerts à domicile : on se parle entre les morceaux, on raconte l'histoire des chansons.",
            3 + index % 12
        ),
        music_description: format!(
            "{sound} Un répertoire pensé pour l'écoute de près, sans sonorisation lourde."
        ),
        music_types: types.to_owned(),
        regions: if region == "FR" {
            Vec::new()
        } else {
            vec![region.to_owned()]
        },
        whole_france: region == "FR",
        base_city: city.to_owned(),
        links: LinksForm {
            youtube: format!("https://www.youtube.com/@{}", slug.replace('-', "")),
            bandcamp: if index.is_multiple_of(2) {
                format!("https://{}.bandcamp.com", slug.replace('-', ""))
            } else {
                String::new()
            },
            ..LinksForm::default()
        },
        offers,
        published: true,
    }
}
