//! PostgreSQL only: one connection per server `LISTEN`s for the notices of every server and
//! hands them to `Live::deliver`. Notices sent while that connection is down are lost, so
//! once it is back every stream of this server is ended: their pages reconnect at once
//! (`retry` of the stream) and start again from the true state.

use crate::live::bus::{CHANNEL, Live, Notice};
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Longest wait between two attempts to listen again.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// Listens before returning, so that no stream opened afterwards misses a notice; then
/// keeps listening in the background until `shutdown`.
pub async fn start(live: Live, shutdown: CancellationToken) -> Result<(), sqlx::Error> {
    let first = listen(&live.db.url).await?;
    tokio::spawn(async move {
        let mut listener = first;
        loop {
            tokio::select! {
                () = receive_until_dropped(&live, &mut listener) => {}
                () = shutdown.cancelled() => return,
            }
            tracing::warn!("live listener lost its connection; listening again");
            listener = tokio::select! {
                listener = listen_again(&live.db.url) => listener,
                () = shutdown.cancelled() => return,
            };
            live.hub.disconnect_all();
            tracing::info!("live listener back; open streams restarted to catch up");
        }
    });
    Ok(())
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Tries again, waiting longer each time (up to `LONGEST_WAIT`), until listening works.
async fn listen_again(url: &str) -> PgListener {
    let mut wait = Duration::from_millis(100);
    loop {
        match listen(url).await {
            Ok(listener) => return listener,
            Err(error) => tracing::warn!(%error, "live listener cannot listen yet"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(LONGEST_WAIT);
    }
}

/// Delivers notices until the connection drops.
async fn receive_until_dropped(live: &Live, listener: &mut PgListener) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                match serde_json::from_str::<Notice>(notification.payload()) {
                    Ok(notice) => live.deliver(notice).await,
                    Err(error) => tracing::error!(%error, "unreadable live notice"),
                }
            }
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "live listener failed");
                return;
            }
        }
    }
}
