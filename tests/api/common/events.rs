//! A reader of one `GET /events` stream, as a browser's `EventSource` reads it.

use reqwest::Client;
use serde_json::Value;
use std::time::Duration;

pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
    /// The `id:` of the last event read.
    pub last_id: Option<u64>,
}

impl EventStream {
    /// Opens the stream at `url` for `who`, checking it is a real, uncompressed stream.
    pub async fn open(who: &Client, url: &str) -> EventStream {
        match EventStream::try_open(who, url).await {
            Ok(stream) => stream,
            Err(refused) => panic!("stream not opened: {refused:?}"),
        }
    }

    /// Like `open`; else the status of the refusal, or `None` if there was no answer at all.
    /// A browser's `EventSource` tries again after no answer, and gives up for good after a
    /// refusal.
    pub async fn try_open(who: &Client, url: &str) -> Result<EventStream, Option<u16>> {
        let response = who
            .get(url)
            .header("accept", "text/event-stream")
            .send()
            .await
            .map_err(|_| None)?;
        match response.status().as_u16() {
            200 => Ok(EventStream::checked(response)),
            refused => Err(Some(refused)),
        }
    }

    fn checked(response: reqwest::Response) -> EventStream {
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        assert!(
            response.headers().get("content-encoding").is_none(),
            "a compressed stream would be buffered"
        );
        EventStream {
            response,
            buffer: String::new(),
            last_id: None,
        }
    }

    /// The next event's data, or `None` if none comes within `wait` (or the stream ended).
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        tokio::time::timeout(wait, self.next_event())
            .await
            .ok()
            .flatten()
    }

    pub async fn next(&mut self) -> Value {
        self.next_within(Duration::from_secs(5))
            .await
            .expect("an event within 5 s")
    }

    /// Reads blocks until one carries data (keep-alive comments carry none); `None` once the
    /// stream ends.
    pub async fn next_event(&mut self) -> Option<Value> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = block
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if let Some(id) = block.lines().find_map(|line| line.strip_prefix("id:")) {
                    self.last_id = id.trim().parse().ok();
                }
                if !data.is_empty() {
                    return Some(serde_json::from_str(&data.join("\n")).expect("JSON data"));
                }
                continue;
            }
            let chunk = self.response.chunk().await.ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Whether the server ended the stream (within `wait`).
    pub async fn ended_within(mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, async {
            while let Ok(Some(_)) = self.response.chunk().await {}
        })
        .await
        .is_ok()
    }
}
