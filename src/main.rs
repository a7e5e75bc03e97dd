//! The server binary: configuration → database (migrated) → router → serve until a signal.

use concerts::{config::Config, db::Db, demo, moderation, server, telemetry};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration: {error}");
            return ExitCode::FAILURE;
        }
    };
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if let Some((command, rest)) = arguments.split_first() {
        if command != "moderator" {
            eprintln!("{}", moderation::roles::USAGE);
            return ExitCode::FAILURE;
        }
        return moderator_command(&config, rest).await;
    }
    telemetry::init(&config);
    let address = config.site_addr;
    let public_url = config.public_url.clone();
    let state = match server::prepare(config).await {
        Ok(state) => state,
        Err(error) => {
            tracing::error!(%error, "cannot open the database");
            return ExitCode::FAILURE;
        }
    };
    if state.config.demo_content {
        match demo::load_if_empty(&state.db).await {
            Ok(Some(accounts)) => print_demo_accounts(&accounts),
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "could not load the demo content"),
        }
    }
    // Listened for before the first connection can be taken: a signal sent as soon as the
    // server answers stops it cleanly, instead of killing it.
    let stop = shutdown_signal();
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, %address, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(%address, "Concerts dans mon salon est en ligne sur {public_url}");
    let shutdown = state.shutdown.clone();
    match server::serve(listener, server::router(state), shutdown, stop).await {
        Ok(()) => {
            tracing::info!("server stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "server failed");
            ExitCode::FAILURE
        }
    }
}

/// `concerts moderator grant|revoke ADDRESS`, on the database the server would use.
async fn moderator_command(config: &Config, arguments: &[String]) -> ExitCode {
    let db = match Db::connect(config.database_url.expose(), 1).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("base de données : {error}");
            return ExitCode::FAILURE;
        }
    };
    match moderation::roles::run(&db, arguments).await {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(refused) => {
            eprintln!("{refused}");
            ExitCode::FAILURE
        }
    }
}

fn print_demo_accounts(accounts: &demo::DemoAccounts) {
    println!(
        "\nContenu de démonstration chargé. Mot de passe de tous les comptes : {}",
        demo::PASSWORD
    );
    println!("Hôtes :");
    for email in &accounts.hosts {
        println!("  {email}");
    }
    println!("Artistes :");
    for (email, name) in &accounts.artists {
        println!("  {email:<32} {name}");
    }
    println!();
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM received from this call on. Both are listened for
/// here, not when the future is first polled: the server's accept loop may take a request
/// before it polls its stop.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind: SignalKind, name: &'static str| {
        let listener = signal(kind);
        async move {
            match listener {
                Ok(mut listener) => {
                    listener.recv().await;
                }
                Err(error) => {
                    tracing::error!(%error, "cannot listen for {name}");
                    std::future::pending::<()>().await;
                }
            }
        }
    };
    let interrupt = listen(SignalKind::interrupt(), "SIGINT");
    let terminate = listen(SignalKind::terminate(), "SIGTERM");
    async move {
        tokio::select! {
            () = interrupt => {},
            () = terminate => {},
        }
        tracing::info!("shutting down");
    }
}
