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
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, %address, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(%address, "Concerts dans mon salon est en ligne sur {public_url}");
    let shutdown = state.shutdown.clone();
    match server::serve(listener, server::router(state), shutdown, shutdown_signal()).await {
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

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
