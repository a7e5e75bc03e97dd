//! `make bench`, scale-out part: two release servers on one PostgreSQL database (started by
//! scripts/with-postgres.sh); a host writes through server A while 1,000 clients listen on
//! server B. Every message crosses through PostgreSQL's NOTIFY.

#[path = "../tests/api/common/mod.rs"]
mod common;
#[path = "support/figures.rs"]
mod figures;
#[path = "support/site.rs"]
mod site;

use common::{
    postgres,
    process::{free_port, start_server, wait_until_healthy},
};
use figures::{ms, percentile};
use site::Site;

const ARTISTS: usize = 100;
const TABS_PER_ARTIST: usize = 10;
const MESSAGES: usize = 300;

#[tokio::main]
async fn main() {
    let database = postgres::fresh_database(&postgres::required_server_url()).await;
    let folder = tempfile::tempdir().expect("temporary folder");
    let settings = [
        ("DATABASE_URL", database.as_str()),
        ("DEMO_CONTENT", "false"),
        ("MESSAGES_PER_MINUTE", "1000000"),
        ("NEW_CONVERSATIONS_PER_DAY", "1000"),
        ("SIGN_UPS_PER_IP_PER_HOUR", "100000"),
        ("EVENT_STREAMS_PER_ACCOUNT", "100000"),
        ("EVENT_STREAMS_PER_IP", "100000"),
    ];
    let ports = [free_port(), free_port()];
    let mut servers: Vec<_> = ports
        .iter()
        .map(|port| start_server(folder.path(), *port, &settings))
        .collect();
    for port in ports {
        wait_until_healthy(port).await;
    }
    let (a, b) = (
        Site::at(ports[0], &database).await,
        Site::at(ports[1], &database).await,
    );

    let (host, artists) = a.host_writing_to(ARTISTS).await;
    let arrivals = site::listening(&b, &artists, TABS_PER_ARTIST).await;
    let latencies = site::delivery_latencies(
        arrivals,
        &a,
        &host,
        &artists,
        TABS_PER_ARTIST,
        MESSAGES,
        None,
    )
    .await;
    println!(
        "cluster bench: two servers on PostgreSQL, {MESSAGES} messages written on A to {ARTISTS} \
         artists with {} clients connected to B ({} deliveries)",
        ARTISTS * TABS_PER_ARTIST,
        latencies.len()
    );
    println!(
        "  send on A → event received from B: p50 {}, p99 {}, max {}",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("latencies"))
    );
    for server in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
}
