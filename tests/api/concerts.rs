//! Concert requests over HTTP: each transition, who may take it, refused terms that keep what
//! was typed, each step delivered as a message (unread, inbox, live), and the JSON shapes.

use crate::common::{
    TestApp, client, events::EventStream, json_of, ok_json, smtp::SmtpServer, spawn_app,
    spawn_app_with,
};
use reqwest::Client;
use serde_json::Value;

/// A host and a published artist (with one formule) in a conversation, and a third artist, a
/// third host and an anonymous visitor who must reach none of its requests.
struct Cast {
    host: Client,
    artist: Client,
    conversation: String,
    third_artist: Client,
    third_host: Client,
}

const FORMULE: &str = "Concert en salon";

/// The e-mail of each step goes to whoever asked for e-mails; once the concert is on, with its
/// calendar file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_step_is_emailed_like_a_message_and_the_confirmation_brings_the_calendar_file() {
    let smtp = SmtpServer::started().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_DELAY_SECONDS", "0"),
        ("MAIL_POLL_MS", "100"),
    ])
    .await;
    let cast = cast(&app).await;
    for who in [&cast.host, &cast.artist] {
        let on = app
            .call(who, "set_email_notifications", &[("enabled", "true")])
            .await;
        assert_eq!(on.status(), 200);
    }
    let already = smtp.received().len();
    let proposed = ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(70)).await).await;
    // (The Maildir lists e-mails in no particular order.)
    let received = smtp.wait_for(already + 1).await;
    let to_artist = received
        .iter()
        .find(|mail| mail.text.contains("Demande de concert"))
        .expect("the proposal's e-mail");
    assert!(to_artist.to.contains("trio@exemple.fr"), "{}", to_artist.to);
    assert!(
        to_artist.text.contains("Demande de concert : "),
        "{}",
        to_artist.text
    );
    assert!(
        to_artist.calendars.is_empty(),
        "no calendar before the concert is on"
    );

    let id = proposed["id"].to_string();
    ok_json(act(&app, &cast.artist, "accept_concert", &id, "").await).await;
    let received = smtp.wait_for(already + 2).await;
    let to_host = received
        .iter()
        .find(|mail| mail.text.contains("Concert confirmé"))
        .expect("the acceptance's e-mail");
    assert!(to_host.to.contains("hote@exemple.fr"), "{}", to_host.to);
    assert!(
        to_host.text.contains("Concert confirmé : "),
        "{}",
        to_host.text
    );
    let [(name, file)] = to_host.calendars.as_slice() else {
        panic!("one calendar file: {:?}", to_host.calendars);
    };
    assert_eq!(name, &format!("concert-{id}.ics"));
    let calendar: icalendar::Calendar = file.parse().expect("RFC 5545");
    let event = calendar.events().next().expect("an event");
    assert_eq!(
        icalendar::Component::property_value(event, "STATUS"),
        Some("CONFIRMED")
    );
}

async fn cast(app: &TestApp) -> Cast {
    let (host, _) = app
        .host_with_profile("hote@exemple.fr", "Famille Martin")
        .await;
    let (artist, profile) = app
        .published_artist_offering("trio@exemple.fr", "Trio Céleste", FORMULE)
        .await;
    let slug = profile["slug"].as_str().expect("slug").to_owned();
    let sent = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(sent.status(), 200);
    let conversation = json_of(sent).await["conversation_id"].to_string();
    let (third_artist, _) = app
        .published_artist("autre-artiste@exemple.fr", "Autre Groupe")
        .await;
    let (third_host, _) = app
        .host_with_profile("autre-hote@exemple.fr", "Autre Hôte")
        .await;
    Cast {
        host,
        artist,
        conversation,
        third_artist,
        third_host,
    }
}

/// A day `days` from today, as a date input sends it (today in UTC: the tests keep a day or
/// more away from today, so Paris's offset does not matter).
pub(crate) fn in_days(days: i64) -> String {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    today
        .checked_add(jiff::Span::new().days(days))
        .expect("a date")
        .to_string()
}

fn proposal<'a>(
    date: &'a str,
    time: &'a str,
    guests: &'a str,
    fee: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("proposal[date]", date),
        ("proposal[time]", time),
        ("proposal[offer]", FORMULE),
        ("proposal[guests]", guests),
        ("proposal[fee]", fee),
        ("proposal[note]", "Un piano droit, 40 places assises."),
    ]
}

async fn propose(app: &TestApp, who: &Client, conversation: &str, date: &str) -> reqwest::Response {
    let mut form = proposal(date, "20:30", "40", "300");
    form.push(("conversation_id", conversation));
    app.call(who, "propose_concert", &form).await
}

async fn act(
    app: &TestApp,
    who: &Client,
    endpoint: &str,
    id: &str,
    reason: &str,
) -> reqwest::Response {
    app.call(who, endpoint, &[("id", id), ("reason", reason)])
        .await
}

async fn thread(app: &TestApp, who: &Client, conversation: &str) -> Value {
    ok_json(app.call(who, "conversation", &[("id", conversation)]).await).await
}

async fn unread(app: &TestApp, who: &Client) -> i64 {
    ok_json(app.call(who, "unread_count", &[]).await).await["total"]
        .as_i64()
        .expect("a total")
}

fn actions(request: &Value) -> Vec<&str> {
    request["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

fn last_message(thread: &Value) -> &Value {
    thread["messages"]
        .as_array()
        .and_then(|messages| messages.last())
        .expect("a message")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concert_goes_from_proposal_to_counter_to_acceptance_to_cancellation() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let date = in_days(60);
    let mut artist_events = EventStream::open(&cast.artist, &app.url("/events")).await;
    artist_events.next().await; // the unread state on connection

    // The host proposes: a card for both, a message for the artist, live and unread.
    let proposed = ok_json(propose(&app, &cast.host, &cast.conversation, &date).await).await;
    let first = proposed["id"].to_string();
    assert_eq!(proposed["status"], "proposed");
    assert_eq!(proposed["date"], date.as_str());
    assert_eq!(proposed["time"], "20:30");
    assert_eq!(proposed["offer"], FORMULE);
    assert_eq!(
        (proposed["guests"].as_i64(), proposed["fee_eur"].as_i64()),
        (Some(40), Some(300))
    );
    assert_eq!(proposed["proposed_by_me"], true);
    assert_eq!(actions(&proposed), ["cancel"]);
    let event = artist_events.next().await;
    assert_eq!(event["kind"], "message");
    assert_eq!(event["message"]["concert_id"].to_string(), first);
    assert_eq!(
        unread(&app, &cast.artist).await,
        2,
        "the first message and the proposal"
    );
    let seen = thread(&app, &cast.artist, &cast.conversation).await;
    let card = &seen["concerts"][0];
    assert_eq!(card["id"].to_string(), first);
    assert_eq!(card["proposed_by_me"], false);
    assert_eq!(actions(card), ["accept", "decline", "counter"]);
    let message = last_message(&seen);
    assert_eq!(message["concert_id"].to_string(), first);
    let body = message["body"].as_str().expect("a body");
    assert!(body.starts_with("Demande de concert : "), "{body}");
    assert!(body.contains("Cachet : 300 €") && body.contains("Formule : Concert en salon"));

    // The host cannot answer their own proposal; the artist counter-proposes.
    let own = act(&app, &cast.host, "accept_concert", &first, "").await;
    assert_eq!(own.status(), 422);
    let mut counter_form = proposal(&date, "21:00", "40", "400");
    counter_form.push(("id", &first));
    let countered = ok_json(
        app.call(&cast.artist, "counter_concert", &counter_form)
            .await,
    )
    .await;
    let second = countered["id"].to_string();
    assert_ne!(second, first);
    assert_eq!(countered["replaces"].to_string(), first);
    assert_eq!(
        (countered["time"].as_str(), countered["fee_eur"].as_i64()),
        (Some("21:00"), Some(400))
    );
    let host_view = thread(&app, &cast.host, &cast.conversation).await;
    assert_eq!(host_view["concerts"][0]["status"], "countered");
    assert!(actions(&host_view["concerts"][0]).is_empty());
    assert_eq!(
        actions(&host_view["concerts"][1]),
        ["accept", "decline", "counter"]
    );
    assert!(
        last_message(&host_view)["body"]
            .as_str()
            .is_some_and(|body| body.starts_with("Contre-proposition : "))
    );
    // The replaced proposal can no longer be accepted.
    let stale = act(&app, &cast.host, "accept_concert", &first, "").await;
    assert_eq!(stale.status(), 422);

    // The host accepts the counter-proposal; answering twice is refused.
    let accepted = ok_json(act(&app, &cast.host, "accept_concert", &second, "").await).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["sequence"], 0);
    assert_eq!(actions(&accepted), ["cancel"]);
    let again = act(&app, &cast.host, "accept_concert", &second, "").await;
    assert_eq!(again.status(), 422);
    let artist_inbox = ok_json(
        app.call(&cast.artist, "inbox", &[("archived", "false")])
            .await,
    )
    .await;
    let excerpt = artist_inbox["conversations"][0]["excerpt"]
        .as_str()
        .expect("an excerpt");
    assert!(excerpt.starts_with("Concert confirmé : "), "{excerpt}");

    // Cancelling an accepted concert needs a reason, and keeps it.
    let bare = act(&app, &cast.artist, "cancel_concert", &second, "  ").await;
    assert_eq!(bare.status(), 422);
    assert_eq!(json_of(bare).await["field"], "reason");
    let cancelled = ok_json(
        act(
            &app,
            &cast.artist,
            "cancel_concert",
            &second,
            "Notre pianiste est malade.",
        )
        .await,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["reason"], "Notre pianiste est malade.");
    assert_eq!(cancelled["sequence"], 1, "the calendar's sequence moves on");
    assert!(actions(&cancelled).is_empty());
    let host_view = thread(&app, &cast.host, &cast.conversation).await;
    let body = last_message(&host_view)["body"].as_str().expect("a body");
    assert!(
        body.starts_with("Annulé : le concert du ")
            && body.ends_with("Raison : Notre pianiste est malade.")
    );
    assert_eq!(host_view["concerts"].as_array().map(Vec::len), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_is_declined_or_withdrawn_and_then_stays_as_it_is() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let first = ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(30)).await).await;
    let first = first["id"].to_string();
    let declined = ok_json(
        act(
            &app,
            &cast.artist,
            "decline_concert",
            &first,
            "Nous sommes en tournée.",
        )
        .await,
    )
    .await;
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["reason"], "Nous sommes en tournée.");
    for endpoint in ["accept_concert", "decline_concert", "cancel_concert"] {
        for who in [&cast.host, &cast.artist] {
            let status = act(&app, who, endpoint, &first, "Raison").await.status();
            assert_eq!(status, 422, "{endpoint} after a decline");
        }
    }
    // A reason is optional when declining, and a proposal can be withdrawn by its author.
    let second = ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(31)).await).await;
    let second = second["id"].to_string();
    let withdrawn = ok_json(act(&app, &cast.host, "cancel_concert", &second, "").await).await;
    assert_eq!(withdrawn["status"], "cancelled");
    assert_eq!(withdrawn["reason"], Value::Null);
    let third = ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(32)).await).await;
    let no_reason = ok_json(
        app.call(
            &cast.artist,
            "decline_concert",
            &[("id", &third["id"].to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(no_reason["status"], "declined");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_terms_name_their_field_keep_what_was_typed_and_store_nothing() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let (yesterday, soon) = (in_days(-1), in_days(10));
    let mut past = proposal(&yesterday, "20:30", "40", "300");
    past.push(("conversation_id", &cast.conversation));
    let mut bad_offer = proposal(&soon, "20:30", "40", "300");
    bad_offer[2] = ("proposal[offer]", "Une formule d'un autre artiste");
    bad_offer.push(("conversation_id", &cast.conversation));
    let mut bad_guests = proposal(&soon, "20:30", "des dizaines", "300");
    bad_guests.push(("conversation_id", &cast.conversation));
    let mut long_note = proposal(&soon, "20:30", "40", "300");
    let note = "la ".repeat(400);
    long_note[5] = ("proposal[note]", &note);
    long_note.push(("conversation_id", &cast.conversation));
    let cases = [
        (past, "proposal[date]", "passée"),
        (bad_offer, "proposal[offer]", "formules"),
        (bad_guests, "proposal[guests]", "invités"),
        (long_note, "proposal[note]", "1\u{202f}000 caractères"),
    ];
    for (form, field, says) in &cases {
        let refused = app.call(&cast.host, "propose_concert", form).await;
        assert_eq!(refused.status(), 422, "{field}");
        let error = json_of(refused).await;
        assert_eq!(error["field"], *field);
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains(says)),
            "{error}"
        );
        assert_eq!(
            error["values"]["proposal[guests]"], form[3].1,
            "typed guests kept"
        );
        assert_eq!(
            error["values"]["proposal[note]"], form[5].1,
            "typed note kept"
        );
    }
    // Only the host proposes; the artist answers with a counter-proposal.
    let by_artist = propose(&app, &cast.artist, &cast.conversation, &soon).await;
    assert_eq!(by_artist.status(), 422);
    let seen = thread(&app, &cast.host, &cast.conversation).await;
    assert_eq!(seen["concerts"], Value::Array(Vec::new()));
    assert_eq!(
        seen["messages"].as_array().map(Vec::len),
        Some(1),
        "no message either"
    );
    assert_eq!(unread(&app, &cast.artist).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_two_participants_reach_a_concert_request() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let date = in_days(20);
    let proposed = ok_json(propose(&app, &cast.host, &cast.conversation, &date).await).await;
    let id = proposed["id"].to_string();
    let mut counter_form = proposal(&date, "21:00", "40", "300");
    counter_form.push(("id", &id));
    let mut propose_form = proposal(&date, "21:00", "40", "300");
    propose_form.push(("conversation_id", &cast.conversation));
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("propose_concert", propose_form),
        ("counter_concert", counter_form),
        ("accept_concert", vec![("id", &id)]),
        ("decline_concert", vec![("id", &id)]),
        ("cancel_concert", vec![("id", &id), ("reason", "Intrus")]),
        ("accept_concert", vec![("id", "999999")]),
    ];
    let anonymous = client();
    let strangers = [
        ("third artist", &cast.third_artist, 404),
        ("third host", &cast.third_host, 404),
        ("anonymous", &anonymous, 401),
    ];
    for (endpoint, form) in &calls {
        for (who, stranger, expected) in strangers {
            let status = app.call(stranger, endpoint, form).await.status();
            assert_eq!(status, expected, "{endpoint} by the {who}");
        }
    }
    // Nothing moved.
    let seen = thread(&app, &cast.artist, &cast.conversation).await;
    assert_eq!(seen["concerts"].as_array().map(Vec::len), Some(1));
    assert_eq!(seen["concerts"][0]["status"], "proposed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_tells_the_artist_of_another_concert_that_day() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let date = in_days(45);
    let first = ok_json(propose(&app, &cast.host, &cast.conversation, &date).await).await;
    assert_eq!(first["same_day_concert"], false);
    ok_json(
        act(
            &app,
            &cast.artist,
            "accept_concert",
            &first["id"].to_string(),
            "",
        )
        .await,
    )
    .await;

    // Another host asks for the same day.
    let slug = ok_json(app.call(&cast.artist, "my_artist_profile", &[]).await).await["slug"]
        .as_str()
        .map(str::to_owned);
    let Some(slug) = slug else {
        panic!("the artist's slug");
    };
    let sent = app
        .write_to_artist(&cast.third_host, &slug, "Bonjour")
        .await;
    let other = json_of(sent).await["conversation_id"].to_string();
    let second = ok_json(propose(&app, &cast.third_host, &other, &date).await).await;
    assert_eq!(second["same_day_concert"], true);
    let artist_view = thread(&app, &cast.artist, &other).await;
    assert_eq!(artist_view["concerts"][0]["same_day_concert"], true);
    // A warning, not a refusal.
    let accepted = ok_json(
        act(
            &app,
            &cast.artist,
            "accept_concert",
            &second["id"].to_string(),
            "",
        )
        .await,
    )
    .await;
    assert_eq!(accepted["status"], "accepted");
    let another_day = ok_json(propose(&app, &cast.third_host, &other, &in_days(46)).await).await;
    assert_eq!(another_day["same_day_concert"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concert_requests_answer_stable_json() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let mut settings = insta::Settings::clone_current();
    for field in [
        "updated_at",
        "sent_at",
        "last_message_at",
        "starts_at",
        "date",
    ] {
        settings.add_redaction(&format!(".**.{field}"), 0);
    }
    // The proposal's message says its date in words.
    settings.add_redaction(".messages[1].body", "[Demande de concert : …]");
    let _times = settings.bind_to_scope();
    let proposed = ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(60)).await).await;
    insta::assert_json_snapshot!("concert_request", proposed);
    let seen = thread(&app, &cast.artist, &cast.conversation).await;
    insta::assert_json_snapshot!("thread_with_a_concert_request", seen);
    let mut past = proposal("2020-01-01", "20:30", "40", "300");
    past.push(("conversation_id", &cast.conversation));
    let refused = json_of(app.call(&cast.host, "propose_concert", &past).await).await;
    insta::assert_json_snapshot!("concert_request_refused", refused);
}

async fn calendar_file(app: &TestApp, who: &Client, request: &str) -> reqwest::Response {
    who.get(app.url(&format!("/concerts/{request}/calendrier.ics")))
        .send()
        .await
        .expect("calendar file")
}

/// The calendar file `who` downloads, read back: the event, and whether the file defines the
/// Paris zone its start refers to.
async fn calendar_event(app: &TestApp, who: &Client, request: &str) -> (icalendar::Event, bool) {
    use icalendar::{CalendarComponent, Component};
    let response = calendar_file(app, who, request).await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().expect("ascii");
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    let text = response.text().await.expect("a body");
    let calendar: icalendar::Calendar = text.parse().expect("RFC 5545");
    let has_paris = calendar.iter().any(|component| {
        matches!(component, CalendarComponent::Other(zone)
            if zone.component_kind() == "VTIMEZONE"
                && zone.property_value("TZID") == Some("Europe/Paris"))
    });
    let mut events = calendar.events();
    let event = events.next().expect("one event").clone();
    assert!(events.next().is_none(), "one event only");
    (event, has_paris)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_concert_has_a_calendar_file_for_its_two_participants_only() {
    use icalendar::{Component, EventLike};
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let date = in_days(90);
    let proposed = ok_json(propose(&app, &cast.host, &cast.conversation, &date).await).await;
    let id = proposed["id"].to_string();
    // Not before it is accepted.
    assert_eq!(calendar_file(&app, &cast.host, &id).await.status(), 404);
    ok_json(act(&app, &cast.artist, "accept_concert", &id, "").await).await;

    for who in [&cast.host, &cast.artist] {
        let (event, has_paris) = calendar_event(&app, who, &id).await;
        assert!(has_paris, "the file defines the zone DTSTART refers to");
        assert_eq!(
            event.get_uid(),
            Some(format!("concert-{id}@127.0.0.1").as_str())
        );
        let start = event.properties().get("DTSTART").expect("DTSTART");
        assert_eq!(start.value(), format!("{}T203000", date.replace('-', "")));
        let zone = start.params().get("TZID").map(|zone| zone.value());
        assert_eq!(zone, Some("Europe/Paris"));
        assert_eq!(
            event.get_summary(),
            Some("Concert de Trio Céleste chez Famille Martin")
        );
        assert_eq!(
            event.get_location(),
            Some("Lyon"),
            "the host's commune, no more"
        );
        assert_eq!(event.property_value("STATUS"), Some("CONFIRMED"));
        assert_eq!(event.get_sequence(), Some(0));
    }
    let anonymous = client();
    for stranger in [&cast.third_artist, &cast.third_host, &anonymous] {
        let response = calendar_file(&app, stranger, &id).await;
        assert_eq!(response.status(), 404);
        let body = response.text().await.expect("a body");
        assert!(!body.contains("Famille Martin") && !body.contains("BEGIN:VCALENDAR"));
    }

    // Called off: the same event, cancelled, one sequence later.
    ok_json(
        act(
            &app,
            &cast.host,
            "cancel_concert",
            &id,
            "Un dégât des eaux.",
        )
        .await,
    )
    .await;
    let (event, _) = calendar_event(&app, &cast.artist, &id).await;
    assert_eq!(
        event.get_uid(),
        Some(format!("concert-{id}@127.0.0.1").as_str())
    );
    assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(event.get_sequence(), Some(1));

    // A proposal withdrawn before any answer never had a calendar.
    let withdrawn =
        ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(91)).await).await;
    let withdrawn = withdrawn["id"].to_string();
    ok_json(act(&app, &cast.host, "cancel_concert", &withdrawn, "").await).await;
    assert_eq!(
        calendar_file(&app, &cast.host, &withdrawn).await.status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_artists_page_counts_the_concerts_given_and_shows_booked_days_only() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let profile = ok_json(app.call(&cast.artist, "my_artist_profile", &[]).await).await;
    let slug = profile["slug"].as_str().expect("a slug").to_owned();
    let record = |who: Client| {
        let (app, slug) = (&app, slug.clone());
        async move {
            ok_json(
                app.call(&who, "artist_concerts", &[("artist", &slug)])
                    .await,
            )
            .await
        }
    };
    let anonymous = client();
    assert_eq!(
        record(anonymous.clone()).await,
        serde_json::json!({
            "given": 0,
            "booked_days": [],
            "reviews": {"count": 0, "average": null, "newest": []},
        })
    );

    // Two accepted concerts, one then moved into the past; a third only proposed.
    let (past, booked, proposed) = (in_days(20), in_days(30), in_days(40));
    for date in [&past, &booked] {
        let request = ok_json(propose(&app, &cast.host, &cast.conversation, date).await).await;
        let id = request["id"].to_string();
        ok_json(act(&app, &cast.artist, "accept_concert", &id, "").await).await;
    }
    ok_json(propose(&app, &cast.host, &cast.conversation, &proposed).await).await;
    sqlx::query(
        "UPDATE concert_requests SET starts_at = starts_at - $1, day = '2020-01-01' \
         WHERE day = $2",
    )
    .bind(100_i64 * 86_400_000)
    .bind(&past)
    .execute(&app.state.db.pool)
    .await
    .expect("moved into the past");
    assert_eq!(
        record(anonymous.clone()).await,
        serde_json::json!({
            "given": 1,
            "booked_days": [booked],
            "reviews": {"count": 0, "average": null, "newest": []},
        })
    );
    let page = app.html(&anonymous, &format!("/artistes/{slug}")).await;
    assert!(page.contains("1 concert donné via Concerts dans mon salon."));
    assert!(
        page.contains(&format!("<time datetime=\"{booked}\">")),
        "the booked day"
    );
    assert!(page.contains("complet"));
    assert!(!page.contains("Famille Martin") && !page.contains(&proposed));

    // Nothing for what is not a published artist.
    let missing = app
        .call(&anonymous, "artist_concerts", &[("artist", "personne")])
        .await;
    assert_eq!(missing.status(), 404);
}

const DAY_MS: i64 = 86_400_000;

/// Calls a server function as if `days` had passed (the site's test clock).
async fn call_later(
    app: &TestApp,
    who: &Client,
    days: i64,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    who.post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("x-test-clock-offset", (days * DAY_MS).to_string())
        .form(form)
        .send()
        .await
        .expect("request sent")
}

/// A concert accepted `days` from now, between the cast's host and artist; its id.
async fn accepted_concert(app: &TestApp, cast: &Cast, days: i64) -> String {
    let request = ok_json(propose(app, &cast.host, &cast.conversation, &in_days(days)).await).await;
    let id = request["id"].to_string();
    ok_json(act(app, &cast.artist, "accept_concert", &id, "").await).await;
    id
}

async fn review(
    app: &TestApp,
    who: &Client,
    days: i64,
    id: &str,
    rating: &str,
    text: &str,
) -> reqwest::Response {
    let form = [
        ("id", id),
        ("review[rating]", rating),
        ("review[text]", text),
    ];
    call_later(app, who, days, "review_concert", &form).await
}

async fn review_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM concert_reviews")
        .fetch_one(&app.state.db.pool)
        .await
        .expect("counted")
}

/// After the date, each side reviews the other once; a review changes for 14 days; the
/// reviewed person answers once; an artist's reviews are public (with their average in the
/// JSON-LD), a host's are seen by the artists who may see the host's profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_concert_each_side_reviews_the_other_and_the_reviewed_answers_once() {
    let app = spawn_app_with(&[("TEST_CLOCK", "true")]).await;
    let cast = cast(&app).await;
    let id = accepted_concert(&app, &cast, 10).await;

    // Before the date, and without the clock moved: not yet.
    let early = review(&app, &cast.host, 0, &id, "5", "Magnifique").await;
    assert_eq!(early.status(), 422);
    assert!(
        json_of(early).await["message"]
            .as_str()
            .unwrap_or_default()
            .contains("une fois le concert passé")
    );
    assert_eq!(review_count(&app).await, 0);

    // Eleven days later: the concert took place.
    let by_host =
        ok_json(review(&app, &cast.host, 11, &id, "4", "Un trio merveilleux.").await).await;
    assert_eq!(by_host["rating"], 4);
    assert_eq!(
        by_host["author"],
        Value::Null,
        "a host's name is not public"
    );
    let by_artist =
        ok_json(review(&app, &cast.artist, 11, &id, "5", "Un accueil chaleureux.").await).await;
    assert_eq!(by_artist["author"], "Trio Céleste");

    // Changed within 14 days, not after.
    let changed =
        ok_json(review(&app, &cast.host, 12, &id, "5", "Un trio merveilleux !").await).await;
    assert_eq!(changed["id"], by_host["id"]);
    assert_eq!(changed["rating"], 5);
    let too_late = review(&app, &cast.host, 11 + 15, &id, "1", "Finalement non.").await;
    assert_eq!(too_late.status(), 422);
    let kept =
        ok_json(call_later(&app, &cast.host, 11 + 15, "my_concert", &[("id", &id)]).await).await;
    assert_eq!(kept["my_review"]["text"], "Un trio merveilleux !");
    assert_eq!(kept["may_review"], false);
    assert_eq!(kept["their_review"]["text"], "Un accueil chaleureux.");
    assert_eq!(kept["may_answer"], true);

    // The reviewed artist answers once; the author cannot answer their own review.
    let review_id = by_host["id"].to_string();
    let answer = |who: &Client, text: &'static str| {
        let (app, review_id, who) = (&app, review_id.clone(), who.clone());
        async move {
            let form = [("id", review_id.as_str()), ("answer", text)];
            call_later(app, &who, 13, "answer_review", &form).await
        }
    };
    let own = answer(&cast.host, "Merci à moi.").await;
    assert_eq!(own.status(), 422);
    let answered = ok_json(answer(&cast.artist, "Merci pour votre accueil !").await).await;
    assert_eq!(answered["answer"], "Merci pour votre accueil !");
    assert_eq!(answer(&cast.artist, "Encore merci.").await.status(), 422);

    // The artist's reviews are public, with their count and average.
    let anonymous = client();
    let profile = ok_json(app.call(&cast.artist, "my_artist_profile", &[]).await).await;
    let slug = profile["slug"].as_str().expect("a slug").to_owned();
    let record = ok_json(
        call_later(
            &app,
            &anonymous,
            13,
            "artist_concerts",
            &[("artist", &slug)],
        )
        .await,
    )
    .await;
    assert_eq!(record["given"], 1);
    assert_eq!(record["reviews"]["count"], 1);
    assert_eq!(record["reviews"]["average"], 5.0);
    assert_eq!(
        record["reviews"]["newest"][0]["answer"],
        "Merci pour votre accueil !"
    );
    let page = app.html(&anonymous, &format!("/artistes/{slug}")).await;
    assert!(
        page.contains("Un trio merveilleux !"),
        "the review on the page"
    );
    assert!(
        page.contains("\"aggregateRating\":{\"@type\":\"AggregateRating\""),
        "JSON-LD"
    );
    assert!(page.contains("\"reviewCount\":1"));
    assert!(!page.contains("Famille Martin"), "never the host's name");

    // The host's reviews: for the host and the artists they wrote to, no one else.
    let host_id =
        ok_json(app.call(&cast.host, "my_host_profile", &[]).await).await["id"].to_string();
    for who in [&cast.host, &cast.artist] {
        let reviews = ok_json(app.call(who, "host_reviews", &[("id", &host_id)]).await).await;
        assert_eq!(reviews["count"], 1);
        assert_eq!(reviews["newest"][0]["text"], "Un accueil chaleureux.");
    }
    for who in [&cast.third_artist, &cast.third_host, &anonymous] {
        let hidden = app.call(who, "host_reviews", &[("id", &host_id)]).await;
        assert_eq!(hidden.status(), 404);
    }

    // "Mes concerts": the concert is past, with both reviews.
    let mine = ok_json(call_later(&app, &cast.artist, 13, "my_concerts", &[]).await).await;
    assert_eq!(mine["upcoming"], serde_json::json!([]));
    assert_eq!(mine["past"][0]["request"]["id"].to_string(), id);
    assert_eq!(mine["past"][0]["with_name"], "Famille Martin");
    assert_eq!(
        mine["past"][0]["my_review"]["text"],
        "Un accueil chaleureux."
    );
}

/// A stranger, another host or another artist reaches neither a concert's page nor its
/// reviews: 404, as if it did not exist; nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_two_participants_reach_a_concerts_reviews() {
    let app = spawn_app_with(&[("TEST_CLOCK", "true")]).await;
    let cast = cast(&app).await;
    let id = accepted_concert(&app, &cast, 10).await;
    ok_json(review(&app, &cast.host, 11, &id, "5", "Parfait.").await).await;
    let review_id: i64 = sqlx::query_scalar("SELECT id FROM concert_reviews")
        .fetch_one(&app.state.db.pool)
        .await
        .expect("the review");
    let review_id = review_id.to_string();
    for who in [&cast.third_artist, &cast.third_host] {
        for missing in [&id, "9999"] {
            let written = review(&app, who, 11, missing, "1", "Je n'y étais pas.").await;
            assert_eq!(written.status(), 404);
            let seen = call_later(&app, who, 11, "my_concert", &[("id", missing)]).await;
            assert_eq!(seen.status(), 404);
        }
        let answer = [("id", review_id.as_str()), ("answer", "Pas moi.")];
        assert_eq!(
            call_later(&app, who, 11, "answer_review", &answer)
                .await
                .status(),
            404
        );
        let page = who
            .get(app.url(&format!("/concerts/{id}")))
            .send()
            .await
            .expect("sent");
        assert_eq!(page.status(), 404);
        let html = page.text().await.unwrap_or_default();
        assert!(!html.contains("Parfait.") && !html.contains("Famille Martin"));
    }
    let anonymous = client();
    assert_eq!(
        review(&app, &anonymous, 11, &id, "1", "Anonyme")
            .await
            .status(),
        401
    );
    assert_eq!(review_count(&app).await, 1);
    let answered: Option<String> = sqlx::query_scalar("SELECT answer FROM concert_reviews")
        .fetch_one(&app.state.db.pool)
        .await
        .expect("the review");
    assert_eq!(answered, None);
    let own = cast
        .host
        .get(app.url(&format!("/concerts/{id}")))
        .send()
        .await
        .expect("sent");
    assert_eq!(own.status(), 200);
}

/// A review needs stars and words, within limits, of a concert that took place; a refusal
/// names its field, keeps what was typed and stores nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_review_names_its_field_keeps_what_was_typed_and_stores_nothing() {
    let app = spawn_app_with(&[("TEST_CLOCK", "true")]).await;
    let cast = cast(&app).await;
    let id = accepted_concert(&app, &cast, 10).await;
    let long = "é".repeat(2001);
    for (rating, text, field) in [
        ("0", "Bien.", "review[rating]"),
        ("", "Bien.", "review[rating]"),
        ("cinq", "Bien.", "review[rating]"),
        ("5", "   ", "review[text]"),
        ("5", long.as_str(), "review[text]"),
    ] {
        let refused = review(&app, &cast.host, 11, &id, rating, text).await;
        assert_eq!(refused.status(), 422, "{rating} {field}");
        let error = json_of(refused).await;
        assert_eq!(error["field"], field);
        assert_eq!(error["values"]["review[text]"], text);
        assert_eq!(error["values"]["review[rating]"], rating);
    }
    // A declined proposal, and a withdrawn one, never took place.
    let declined = ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(5)).await).await;
    let declined = declined["id"].to_string();
    ok_json(act(&app, &cast.artist, "decline_concert", &declined, "").await).await;
    let refused = review(&app, &cast.host, 11, &declined, "5", "Bien.").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(review_count(&app).await, 0);
    let answer = call_later(
        &app,
        &cast.artist,
        11,
        "answer_review",
        &[("id", "1"), ("answer", "")],
    )
    .await;
    assert_eq!(answer.status(), 422, "an empty answer is refused first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviews_and_my_concerts_answer_stable_json() {
    let app = spawn_app_with(&[("TEST_CLOCK", "true")]).await;
    let cast = cast(&app).await;
    let id = accepted_concert(&app, &cast, 10).await;
    ok_json(propose(&app, &cast.host, &cast.conversation, &in_days(40)).await).await;
    let mut settings = insta::Settings::clone_current();
    for field in [
        "updated_at",
        "created_at",
        "starts_at",
        "date",
        "concert_day",
    ] {
        settings.add_redaction(&format!(".**.{field}"), 0);
    }
    let _times = settings.bind_to_scope();
    let written = ok_json(review(&app, &cast.host, 11, &id, "4", "Un beau moment.").await).await;
    insta::assert_json_snapshot!("review", written);
    let mine = ok_json(call_later(&app, &cast.host, 11, "my_concerts", &[]).await).await;
    insta::assert_json_snapshot!("my_concerts", mine);
}

/// Without JavaScript, the review form posts and the concert's page comes back: with the
/// refusal and what was typed, then with the review.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_review_posts_and_comes_back_to_the_concerts_page() {
    let app = spawn_app_with(&[("TEST_CLOCK", "true")]).await;
    let cast = cast(&app).await;
    let id = accepted_concert(&app, &cast, 10).await;
    let page = app.url(&format!("/concerts/{id}"));
    let later = (11 * DAY_MS).to_string();
    let post = |rating: &'static str| {
        let (app, cast, page, later, id) = (&app, &cast, page.clone(), later.clone(), id.clone());
        async move {
            let form = [
                ("id", id.as_str()),
                ("review[rating]", rating),
                ("review[text]", "Une soirée « magique »."),
            ];
            cast.host
                .post(app.url("/api/review_concert"))
                .header("accept", "text/html")
                .header("referer", &page)
                .header("origin", &app.address)
                .header("x-test-clock-offset", &later)
                .form(&form)
                .send()
                .await
                .expect("posted")
        }
    };
    let shown = || async {
        let response = cast
            .host
            .get(&page)
            .header("accept", "text/html")
            .header("x-test-clock-offset", &later)
            .send()
            .await
            .expect("the page");
        assert_eq!(response.status(), 200);
        response.text().await.expect("its text")
    };

    let refused = post("").await;
    assert_eq!(refused.status(), 302);
    let html = shown().await;
    assert!(
        html.contains("Choisissez une note, de 1 à 5 étoiles."),
        "the refusal"
    );
    assert!(html.contains("Une soirée « magique »."), "what was typed");
    assert_eq!(review_count(&app).await, 0);

    assert_eq!(post("5").await.status(), 302);
    let html = shown().await;
    assert!(!html.contains("Choisissez une note"), "no refusal any more");
    assert!(html.contains("Modifier mon avis"), "the review can change");
    assert!(html.contains("5 étoiles sur 5"), "its stars");
    assert_eq!(review_count(&app).await, 1);
}
