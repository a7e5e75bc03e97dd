//! `GET /events`: who receives what, and a prompt shutdown with streams open.

use crate::common::{
    TestApp, client, events::EventStream, json_of, spawn_app, spawn_app_with, spawn_stoppable_app,
};
use reqwest::Client;
use std::time::Duration;

async fn open(app: &TestApp, who: &Client) -> EventStream {
    EventStream::open(who, &app.url("/events")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_needs_a_session() {
    let app = spawn_app().await;
    let response = client().get(app.url("/events")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(json_of(response).await["code"], "unauthorized");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_reach_every_stream_of_the_participants_and_no_one_else() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (third, _) = app
        .published_artist("autre@exemple.fr", "Autre Groupe")
        .await;
    let mut artist_tabs = [open(&app, &artist).await, open(&app, &artist).await];
    let mut host_tab = open(&app, &host).await;
    let mut third_tab = open(&app, &third).await;
    for tab in artist_tabs
        .iter_mut()
        .chain([&mut host_tab, &mut third_tab])
    {
        let first = tab.next().await;
        assert_eq!(first["kind"], "unread", "a fresh state opens every stream");
        assert_eq!(first["total"], 0);
    }

    let sent = app
        .call(
            &host,
            "write_to_artist",
            &[("artist", slug.as_str()), ("body", "Bonjour !")],
        )
        .await;
    let sent = json_of(sent).await;
    let conversation = sent["conversation_id"].to_string();
    for tab in &mut artist_tabs {
        let before = tab.last_id.expect("the first event has an id");
        let message = tab.next().await;
        assert!(tab.last_id > Some(before), "ids grow");
        assert_eq!(message["kind"], "message");
        assert_eq!(message["message"]["body"], "Bonjour !");
        assert_eq!(message["message"]["from_me"], false);
        let unread = tab.next().await;
        assert_eq!(unread["kind"], "unread");
        assert_eq!(unread["total"], 1);
        assert_eq!(
            unread["conversations"][0]["conversation_id"],
            sent["conversation_id"]
        );
    }
    let own = host_tab.next().await;
    assert_eq!(
        own["message"]["from_me"], true,
        "the sender's other tabs get it too"
    );
    assert_eq!(host_tab.next().await["total"], 0);
    assert_eq!(
        third_tab.next_within(Duration::from_millis(500)).await,
        None,
        "a stranger's stream hears nothing"
    );

    // Reading in one tab clears the count in all of them.
    app.read_conversation(&artist, &conversation).await;
    for tab in &mut artist_tabs {
        let unread = tab.next().await;
        assert_eq!(unread["total"], 0);
    }

    // Archiving is told to the archiver's tabs only.
    let archived = app
        .call(
            &artist,
            "archive_conversation",
            &[("id", &conversation), ("archived", "true")],
        )
        .await;
    assert_eq!(archived.status(), 200);
    for tab in &mut artist_tabs {
        let event = tab.next().await;
        assert_eq!(event["kind"], "archived");
        assert_eq!(event["archived"], true);
    }
    assert_eq!(host_tab.next_within(Duration::from_millis(300)).await, None);
    assert_eq!(
        third_tab.next_within(Duration::from_millis(300)).await,
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_read_stays_inside_the_readers_own_conversation() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (stranger, _) = app
        .published_artist("autre@exemple.fr", "Autre Groupe")
        .await;
    let first = json_of(
        app.call(
            &host,
            "write_to_artist",
            &[("artist", &slug), ("body", "Un")],
        )
        .await,
    )
    .await;
    let conversation = first["conversation_id"].to_string();
    let first_id = first["id"].to_string();
    let second = json_of(
        app.call(
            &host,
            "write_to_artist",
            &[("artist", &slug), ("body", "Deux")],
        )
        .await,
    )
    .await;
    let mark = |who: &Client, up_to: &str| {
        let (app, who, conversation, up_to) =
            (&app, who.clone(), conversation.clone(), up_to.to_owned());
        async move {
            app.call(
                &who,
                "mark_read",
                &[("conversation_id", &conversation), ("up_to", &up_to)],
            )
            .await
        }
    };
    assert_eq!(mark(&stranger, &first_id).await.status(), 404);
    // Read up to a message that does not exist yet: nothing changes, or later messages
    // would arrive already read.
    let future = mark(&artist, "1000000").await;
    assert_eq!(json_of(future).await["total"], 2);
    let partly = mark(&artist, &first_id).await;
    assert_eq!(json_of(partly).await["total"], 1);
    let all = mark(&artist, &second["id"].to_string()).await;
    assert_eq!(json_of(all).await["total"], 0);
    let backwards = mark(&artist, &first_id).await;
    assert_eq!(json_of(backwards).await["total"], 0, "never backwards");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_with_100_open_streams_finishes_within_5_seconds() {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let many = [
        ("EVENT_STREAMS_PER_ACCOUNT", "100"),
        ("EVENT_STREAMS_PER_IP", "100"),
    ];
    let (app, serving) = spawn_stoppable_app(&many, async {
        let _ = stopped.await;
    })
    .await;
    let user = app.signed_up("artist", "ecoute@exemple.fr").await;
    let mut streams = Vec::new();
    for _ in 0..100 {
        let mut stream = open(&app, &user).await;
        stream.next().await;
        streams.push(stream);
    }
    assert_eq!(app.state.live.hub.stream_count(), 100);

    let asked = std::time::Instant::now();
    stop.send(()).expect("server running");
    let finished = tokio::time::timeout(Duration::from_secs(5), serving).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "the server stopped within 5 s"
    );
    println!("stopped {:?} after being asked", asked.elapsed());
    for stream in streams {
        assert!(stream.ended_within(Duration::from_secs(1)).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_sessions_ends_the_streams_they_opened() {
    let app = spawn_app().await;
    let laptop = app.signed_up("artist", "trio@exemple.fr").await;
    let stolen = client();
    assert_eq!(
        app.sign_in(&stolen, "trio@exemple.fr", crate::common::PASSWORD)
            .await
            .status(),
        200
    );
    let mut listening = open(&app, &stolen).await;
    listening.next().await;
    let changed = app.change_password(&laptop, "un air de printemps").await;
    assert_eq!(changed.status(), 200);
    assert!(
        listening.ended_within(Duration::from_secs(2)).await,
        "the revoked session's stream ends"
    );
    let again = stolen.get(app.url("/events")).send().await.unwrap();
    assert_eq!(again.status(), 401, "and cannot reopen");
    let mut kept = open(&app, &laptop).await;
    assert_eq!(
        kept.next().await["kind"],
        "unread",
        "the changer's session still listens"
    );
}

/// The race of a stream's request with the end of its session: the request reads the session
/// (live), the session ends (signed out, or revoked by a new password elsewhere) while no
/// stream is subscribed to hear it, then the stream subscribes. It must be refused, not left
/// delivering the account's messages until the session's expiry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_whose_session_ends_before_it_subscribes_is_refused() {
    let app = spawn_app().await;
    let laptop = app.signed_up("artist", "trio@exemple.fr").await;
    let read_then_ended = async |end: &str| {
        let phone = client();
        let signed_in = app
            .sign_in(&phone, "trio@exemple.fr", crate::common::PASSWORD)
            .await;
        let token = crate::common::session_cookie(&signed_in).expect("a session cookie");
        let read = concerts::auth::session::lookup(&app.state, &token)
            .await
            .expect("the session read")
            .expect("a live session");
        let ended = match end {
            "sign_out" => app.call(&phone, "sign_out", &[]).await,
            _ => app.change_password(&laptop, crate::common::PASSWORD).await,
        };
        assert_eq!(ended.status(), 200);
        read
    };
    for end in ["sign_out", "revoked"] {
        let read = read_then_ended(end).await;
        let opened = concerts::server::open_live_stream(&app.state, &read, "203.0.113.1").await;
        assert!(
            matches!(opened, Err(concerts::error::AppError::Unauthorized)),
            "{end}: the stream is refused"
        );
        assert!(!app.state.live.hub.is_connected(read.viewer.id), "{end}");
    }
}

/// A stream belongs to the session that opened it: signing out ends it at once (the browser
/// would otherwise keep receiving that account's messages), and only it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_that_sessions_streams_within_a_second() {
    let app = spawn_app().await;
    let (host, laptop, slug) = app.host_and_artist().await;
    let phone = client();
    let signed_in = app
        .sign_in(&phone, "trio@exemple.fr", crate::common::PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 200);
    let mut on_laptop = open(&app, &laptop).await;
    on_laptop.next().await;
    let mut on_phone = open(&app, &phone).await;
    on_phone.next().await;

    let asked = std::time::Instant::now();
    assert_eq!(app.call(&laptop, "sign_out", &[]).await.status(), 200);
    assert!(
        on_laptop.ended_within(Duration::from_secs(1)).await,
        "the signed-out session's stream ends"
    );
    println!("stream ended {:?} after the sign-out", asked.elapsed());
    let again = laptop.get(app.url("/events")).send().await.unwrap();
    assert_eq!(again.status(), 401, "and cannot reopen");

    // The phone's session is another one: its stream still delivers.
    let written = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(written.status(), 200);
    let mut kinds = Vec::new();
    while let Some(event) = on_phone.next_within(Duration::from_secs(5)).await {
        kinds.push(event["kind"].as_str().unwrap_or_default().to_owned());
        if kinds.iter().any(|kind| kind == "message") {
            break;
        }
    }
    assert!(kinds.iter().any(|kind| kind == "message"), "{kinds:?}");
}

/// Open streams are capped per account and per client address, so that a few clients
/// cannot hold the server's memory with thousands of idle streams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_streams_are_limited_per_account_and_per_address() {
    let app = spawn_app_with(&[
        ("EVENT_STREAMS_PER_ACCOUNT", "3"),
        ("EVENT_STREAMS_PER_IP", "5"),
    ])
    .await;
    let artist = app.signed_up("artist", "trio@exemple.fr").await;
    let mut open_streams = Vec::new();
    for _ in 0..3 {
        let mut stream = open(&app, &artist).await;
        stream.next().await;
        open_streams.push(stream);
    }
    let fourth = artist.get(app.url("/events")).send().await.unwrap();
    assert_eq!(fourth.status(), 429, "a fourth stream of one account");
    let host = app.signed_up("host", "hote@exemple.fr").await;
    for _ in 0..2 {
        let mut stream = open(&app, &host).await;
        stream.next().await;
        open_streams.push(stream);
    }
    let sixth = host.get(app.url("/events")).send().await.unwrap();
    assert_eq!(sixth.status(), 429, "a sixth stream from one address");
    drop(open_streams);
}

/// "Marquer comme non lu": the newest message received counts as unread again, in every open
/// tab, as if it had just arrived; nothing to mark before the other side wrote, and nothing at
/// all in someone else's conversation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_a_conversation_unread_reaches_every_tab() {
    let app = spawn_app().await;
    let (host, artist, slug) = app.host_and_artist().await;
    let (stranger, _) = app
        .published_artist("autre@exemple.fr", "Autre Groupe")
        .await;
    for body in ["Bonjour !", "Seriez-vous libres en mars ?"] {
        assert_eq!(app.write_to_artist(&host, &slug, body).await.status(), 200);
    }
    let sent = app.write_to_artist(&host, &slug, "Et en avril ?").await;
    let conversation = json_of(sent).await["conversation_id"].to_string();
    app.read_conversation(&artist, &conversation).await;
    let mut tab = open(&app, &artist).await;
    assert_eq!(tab.next().await["total"], 0);

    let marked = app
        .call(
            &artist,
            "mark_unread",
            &[("conversation_id", &conversation)],
        )
        .await;
    assert_eq!(marked.status(), 200);
    assert_eq!(json_of(marked).await["total"], 1, "the newest one only");
    let unread = tab.next().await;
    assert_eq!(unread["kind"], "unread");
    assert_eq!(unread["total"], 1);
    assert_eq!(unread["conversations"][0]["unread"], 1);

    let nothing_received = app
        .call(&host, "mark_unread", &[("conversation_id", &conversation)])
        .await;
    assert_eq!(nothing_received.status(), 422);
    let not_theirs = app
        .call(
            &stranger,
            "mark_unread",
            &[("conversation_id", &conversation)],
        )
        .await;
    assert_eq!(not_theirs.status(), 404);
    let count = json_of(app.call(&artist, "unread_count", &[]).await).await;
    assert_eq!(count["total"], 1, "the refused calls changed nothing");
}

/// A connection of the test's own, read byte by byte as answers come.
struct OwnConnection {
    socket: tokio::net::TcpStream,
    read: Vec<u8>,
}

impl OwnConnection {
    async fn open(app: &TestApp) -> OwnConnection {
        let address = app.address.trim_start_matches("http://");
        OwnConnection {
            socket: tokio::net::TcpStream::connect(address).await.unwrap(),
            read: Vec::new(),
        }
    }

    /// Sends `requests` in two parts, the way a slow network may cut them.
    async fn send(&mut self, requests: &str) {
        use tokio::io::AsyncWriteExt;
        let (start, rest) = requests.split_at(7);
        self.socket.write_all(start.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.socket.write_all(rest.as_bytes()).await.unwrap();
    }

    /// The text up to and including the next `end`, or `None` if the connection closes first.
    async fn until(&mut self, end: &str) -> Option<String> {
        let found = |read: &[u8]| {
            let at = read.windows(end.len()).position(|w| w == end.as_bytes())?;
            Some(at + end.len())
        };
        self.taking(found).await
    }

    /// The next `count` bytes, as text.
    async fn exactly(&mut self, count: usize) -> Option<String> {
        self.taking(|read: &[u8]| (read.len() >= count).then_some(count))
            .await
    }

    /// Reads until `whole` says how much of what was read to take.
    async fn taking(&mut self, whole: impl Fn(&[u8]) -> Option<usize>) -> Option<String> {
        use tokio::io::AsyncReadExt;
        loop {
            if let Some(end) = whole(&self.read) {
                let taken: Vec<u8> = self.read.drain(..end).collect();
                return Some(String::from_utf8(taken).unwrap());
            }
            let mut chunk = [0u8; 4096];
            let count = tokio::time::timeout(Duration::from_secs(5), self.socket.read(&mut chunk))
                .await
                .expect("bytes within 5 s")
                .unwrap();
            if count == 0 {
                return None;
            }
            self.read.extend_from_slice(&chunk[..count]);
        }
    }

    /// The head of the next answer, lowercased.
    async fn head(&mut self) -> String {
        self.until("\r\n\r\n")
            .await
            .expect("an answer")
            .to_lowercase()
    }

    /// The head of a live stream's answer, checked, and its first event's kind.
    async fn stream_opened(&mut self) -> (String, serde_json::Value) {
        let head = self.head().await;
        assert!(head.starts_with("http/1.1 200 ok\r\n"), "{head}");
        for line in [
            "content-type: text/event-stream",
            "x-content-type-options: nosniff",
            "x-accel-buffering: no",
        ] {
            assert!(head.contains(line), "{line} in {head}");
        }
        assert!(!head.contains("content-length"), "{head}");
        (head, self.next_event().await["kind"].clone())
    }

    /// The next event's data (keep-alive comments skipped).
    async fn next_event(&mut self) -> serde_json::Value {
        loop {
            let block = self.until("\n\n").await.expect("an event");
            if let Some(data) = block.lines().find_map(|line| line.strip_prefix("data:")) {
                return serde_json::from_str(data.trim()).unwrap();
            }
        }
    }
}

fn stream_request(cookie: Option<&str>) -> String {
    let cookie = cookie.map_or(String::new(), |token| {
        format!("Cookie: session={token}\r\n")
    });
    format!("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n{cookie}\r\n")
}

const HEALTH_REQUEST: &str = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// A live stream is answered outside hyper (`server/connections.rs`, which says
/// `connection: close`) whether it is its connection's first request or comes after an
/// answer on a kept-alive connection, as a browser sends it; requests sent all at once stay
/// hyper's. All three deliver alike, and a stream whose client leaves is forgotten at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_is_served_apart_first_or_after_an_answer_on_its_connection() {
    let app = spawn_app().await;
    let (host, _, slug) = app.host_and_artist().await;
    let phone = client();
    let signed_in = app
        .sign_in(&phone, "trio@exemple.fr", crate::common::PASSWORD)
        .await;
    let token = crate::common::session_cookie(&signed_in).expect("a session cookie");
    let stream = stream_request(Some(&token));

    let mut first = OwnConnection::open(&app).await;
    first.send(&stream).await;
    let (head, kind) = first.stream_opened().await;
    assert!(head.contains("connection: close"), "served apart: {head}");
    assert_eq!(kind, "unread");

    let mut after_an_answer = OwnConnection::open(&app).await;
    after_an_answer.send(HEALTH_REQUEST).await;
    let head = after_an_answer.head().await;
    assert!(head.starts_with("http/1.1 200 ok\r\n"), "{head}");
    assert!(!head.contains("connection: close"), "kept alive: {head}");
    assert_eq!(after_an_answer.exactly(2).await.as_deref(), Some("ok"));
    after_an_answer.send(&stream).await;
    let (head, kind) = after_an_answer.stream_opened().await;
    assert!(head.contains("connection: close"), "served apart: {head}");
    assert_eq!(kind, "unread");

    let mut all_at_once = OwnConnection::open(&app).await;
    all_at_once.send(&format!("{HEALTH_REQUEST}{stream}")).await;
    assert!(all_at_once.head().await.starts_with("http/1.1 200 ok\r\n"));
    assert_eq!(all_at_once.exactly(2).await.as_deref(), Some("ok"));
    let (head, kind) = all_at_once.stream_opened().await;
    assert!(
        !head.contains("connection: close"),
        "served by hyper: {head}"
    );
    assert_eq!(kind, "unread");
    assert_eq!(app.state.live.hub.stream_count(), 3);

    let written = app.write_to_artist(&host, &slug, "Bonjour !").await;
    assert_eq!(written.status(), 200);
    for connection in [&mut first, &mut after_an_answer, &mut all_at_once] {
        let received = connection.next_event().await;
        assert_eq!(received["kind"], "message");
        assert_eq!(received["message"]["body"], "Bonjour !");
    }

    drop(first);
    let forgotten = async {
        while app.state.live.hub.stream_count() > 2 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    assert!(
        tokio::time::timeout(Duration::from_secs(1), forgotten)
            .await
            .is_ok(),
        "a stream whose client left is forgotten within a second"
    );
}

/// A refusal on a connection of its own is whole (its length said) and then closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_refused_on_a_connection_of_its_own_gets_the_usual_answer() {
    let app = spawn_app().await;
    for cookie in [None, Some("not-a-session")] {
        let mut own = OwnConnection::open(&app).await;
        own.send(&stream_request(cookie)).await;
        let head = own.head().await;
        assert!(head.starts_with("http/1.1 401 unauthorized\r\n"), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length: "))
            .expect("a length")
            .trim()
            .parse()
            .unwrap();
        let body = own.exactly(length).await.expect("the error");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["code"], "unauthorized");
        assert_eq!(own.exactly(1).await, None, "then closed");
    }
}
