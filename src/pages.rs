//! Pages that belong to no single feature: home and privacy.

use crate::paths::{PROFILE, SEARCH, SIGN_UP_ARTIST, SIGN_UP_HOST};

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <Meta
            name="description"
            content="Des musiciens proposent des concerts chez vous : trouvez un artiste par style de musique et par ville, et organisez un concert à domicile."
        />
        <DeletedNotice />
        <section class="hero">
            <h1>"La musique vivante, dans votre salon"</h1>
            <p class="lead">
                "Des musiciens proposent des concerts à domicile. Vous les trouvez par style et par ville, vous leur écrivez, et le concert se fait chez vous : dans un salon, un jardin ou les locaux d'une entreprise."
            </p>
            <p class="hero-actions">
                <A href=SEARCH attr:class="button">"Trouver un artiste"</A>
                <A href=SIGN_UP_ARTIST attr:class="button secondary">"Je suis musicien"</A>
            </p>
        </section>
        <section class="two-columns">
            <article class="card">
                <h2>"Vous êtes musicien ?"</h2>
                <ul class="ticks">
                    <li>"Présentez votre groupe, votre musique et vos formules de concert, avec vos propres mots."</li>
                    <li>"Indiquez les régions où vous jouez, ou toute la France."</li>
                    <li>"Les hôtes vous écrivent ; vous répondez depuis votre messagerie."</li>
                </ul>
                <A href=SIGN_UP_ARTIST attr:class="button">"Créer mon profil d'artiste"</A>
            </article>
            <article class="card">
                <h2>"Vous voulez accueillir un concert ?"</h2>
                <ul class="ticks">
                    <li>"Particulier ou entreprise, cherchez par style de musique et par ville."</li>
                    <li>"Écrivez aux artistes qui vous plaisent et convenez ensemble du concert."</li>
                    <li>"Votre profil reste confidentiel : seuls les artistes à qui vous écrivez le voient."</li>
                </ul>
                <A href=SIGN_UP_HOST attr:class="button">"Accueillir un concert"</A>
            </article>
        </section>
    }
}

/// After an account deletion, the home page says it is done.
#[component]
fn DeletedNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        (query.read().get("compte").as_deref() == Some("supprime")).then(|| view! {
            <p class="notice success" role="status">"Votre compte a été supprimé. Merci d'avoir fait vivre la musique près de chez vous."</p>
        })
    }
}

/// `/confidentialite`: what the site stores, why, who sees it, and how to delete it.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Confidentialité" />
        <Meta name="description" content="Les données que conserve Concerts dans mon salon, pourquoi, qui les voit, et comment les supprimer." />
        <article class="card prose-page">
            <h1>"Confidentialité"</h1>
            <p>"Concerts dans mon salon conserve le moins possible de données, seulement pour faire fonctionner le site. Rien n'est vendu, rien n'est partagé avec des annonceurs, et le site ne dépose aucun traceur."</p>
            <h2>"Ce que nous conservons, et pourquoi"</h2>
            <ul>
                <li><strong>"Votre compte"</strong>" : votre adresse e-mail (pour vous connecter et, si vous le demandez, vous envoyer vos messages), votre rôle (artiste ou hôte) et votre mot de passe, chiffré de façon irréversible (argon2) : nous ne pouvons pas le lire."</li>
                <li><strong>"Vos sessions"</strong>" : un cookie de session, indispensable pour rester connecté, et son empreinte sur le serveur. Une session expire après 14 jours sans visite, et au plus tard après 60 jours."</li>
                <li><strong>"Le profil d'artiste"</strong>" : ce que l'artiste y écrit, ses liens et sa photo. Il est public une fois publié, et apparaît dans les recherches."</li>
                <li><strong>"Le profil d'hôte"</strong>" : votre nom, la commune et la description du lieu. Il est confidentiel : seuls vous et les artistes à qui vous avez écrit peuvent le voir ; il n'apparaît dans aucune liste ni recherche."</li>
                <li><strong>"Vos messages"</strong>" : seuls les deux participants d'une conversation peuvent la lire, avec l'heure d'envoi et ce que chacun a lu ou archivé."</li>
                <li><strong>"Les concerts et les avis"</strong>" : les demandes de concert d'une conversation (date, formule, invités, cachet) ne sont vues que de ses deux participants. Après un concert, l'avis d'un hôte sur un artiste est public sur la page de l'artiste, signé « L'hôte du concert », jamais de votre nom ; l'avis d'un artiste sur un hôte n'est vu que par ceux qui voient le profil de cet hôte."</li>
                <li><strong>"Les e-mails"</strong>" : si vous demandez à recevoir vos messages par e-mail, nous gardons la trace de chaque envoi (destinataire, date, nombre d'essais). Chaque e-mail contient un lien pour ne plus en recevoir."</li>
                <li><strong>"Contre les abus"</strong>" : des compteurs de tentatives de connexion et d'envois, par compte et par adresse IP, effacés au plus tard deux jours après. Le serveur tient aussi un journal technique (pages demandées, erreurs) pour corriger les pannes."</li>
            </ul>
            <h2>"Obtenir une copie de vos données"</h2>
            <p>
                "Depuis " <A href=PROFILE>"Mon profil"</A> ", « Télécharger mes données » vous donne en un fichier tout ce que le site conserve sur vous : votre compte et vos réglages, votre profil, vos conversations avec tous leurs messages, vos concerts et leurs avis, vos signalements et les e-mails envoyés ces 30 derniers jours. Le fichier est au format JSON, que d'autres services savent lire."
            </p>
            <h2>"Supprimer vos données"</h2>
            <p>
                "Depuis " <A href=PROFILE>"Mon profil"</A> ", « Supprimer mon compte » efface aussitôt votre profil, votre photo, votre adresse e-mail, votre mot de passe et vos sessions ; plus aucun e-mail ne vous est envoyé. "
                "Les messages que vous avez envoyés restent lisibles par les personnes qui les ont reçus, signés « Compte supprimé », car ils font aussi partie de leur conversation."
            </p>
        </article>
    }
}
