//! The server binary in a process of its own, as it runs in production.

use std::{
    fs::File,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// The binary under test: `CONCERTS_SERVER_BIN` when set (`make test` points it at the
/// release build), else the one cargo built for these tests.
fn server_binary() -> String {
    std::env::var("CONCERTS_SERVER_BIN")
        .ok()
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_concerts").into())
}

fn server_command(folder: &Path, port: u16, settings: &[(&str, &str)]) -> Command {
    configured(Command::new(server_binary()), folder, port, settings)
}

fn configured(
    mut command: Command,
    folder: &Path,
    port: u16,
    settings: &[(&str, &str)],
) -> Command {
    command
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/data/site.db", folder.display()),
        )
        .env("MEDIA_DIR", folder.join("media"))
        .env("SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_LEVEL", "warn")
        .envs(settings.iter().copied());
    command
}

/// A server process, killed if the test ends (or fails) without stopping it.
pub struct ServerProcess(Child);

impl std::ops::Deref for ServerProcess {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for ServerProcess {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts the binary on a database in `folder`, with `settings` added; its standard output
/// is kept for the caller.
pub fn start_server(folder: &Path, port: u16, settings: &[(&str, &str)]) -> ServerProcess {
    ServerProcess(
        server_command(folder, port, settings)
            .stdout(Stdio::piped())
            .spawn()
            .expect("server binary starts"),
    )
}

/// Like `start_server`, with everything the server prints (its log and anything written to
/// stderr) going to `log`.
pub fn start_server_logging_to(
    folder: &Path,
    port: u16,
    settings: &[(&str, &str)],
    log: &Path,
) -> ServerProcess {
    spawn_logging_to(server_command(folder, port, settings), log)
}

fn spawn_logging_to(mut command: Command, log: &Path) -> ServerProcess {
    let file = File::create(log).expect("log file");
    let stderr = file.try_clone().expect("log file");
    ServerProcess(
        command
            .stdout(file)
            .stderr(stderr)
            .spawn()
            .expect("server binary starts"),
    )
}

/// Like `start_server`, through a shell that first ignores SIGXFSZ (an ignored signal stays
/// ignored across `exec`, and the process keeps the shell's pid): past a file-size limit set
/// with `prlimit`, the system then refuses writes with EFBIG, as a full disk does, instead of
/// killing the process.
/// Its log goes to `log`.
pub fn start_server_minding_file_sizes(
    folder: &Path,
    port: u16,
    settings: &[(&str, &str)],
    log: &Path,
) -> ServerProcess {
    let mut shell = Command::new("sh");
    shell.args(["-c", "trap '' XFSZ; exec \"$0\"", &server_binary()]);
    spawn_logging_to(configured(shell, folder, port, settings), log)
}

pub async fn wait_until_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await;
        if answer.is_ok_and(|response| response.status() == 200) {
            return;
        }
        assert!(Instant::now() < deadline, "server never became healthy");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Calls a server function of the binary at `base` (`http://127.0.0.1:port`), as the
/// browser's code does.
pub async fn call(
    who: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Result<reqwest::Response> {
    who.post(format!("{base}/api/{endpoint}"))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
}
