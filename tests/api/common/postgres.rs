//! PostgreSQL for the suite's second pass: `scripts/with-postgres.sh` starts a throwaway
//! server and names it in `TEST_POSTGRES_URL`; each test gets a database of its own, copied
//! from a template migrated once (copying is much faster than loading the communes again).

use sqlx::{Connection, Executor, postgres::PgConnection};

const TEMPLATE: &str = "concerts_template";

/// The throwaway server's address, when the suite runs against PostgreSQL.
pub fn server_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok()
}

/// For tests that only make sense on PostgreSQL (several instances on one database).
pub fn required_server_url() -> String {
    server_url().expect(
        "TEST_POSTGRES_URL is not set: run this test through scripts/with-postgres.sh \
         (make rust-tests does)",
    )
}

/// `server`'s URL pointing at `database`.
pub fn database_url(server: &str, database: &str) -> String {
    let mut url = url::Url::parse(server).expect("TEST_POSTGRES_URL is a URL");
    url.set_path(database);
    url.to_string()
}

/// A new, migrated database on `server`; its URL.
pub async fn fresh_database(server: &str) -> String {
    let mut admin = PgConnection::connect(server)
        .await
        .expect("the test PostgreSQL server answers");
    // Test binaries run side by side: one builds the template, the others wait for it.
    admin
        .execute("SELECT pg_advisory_lock(7201)")
        .await
        .expect("template lock");
    let ready: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(TEMPLATE)
            .fetch_one(&mut admin)
            .await
            .expect("template lookup");
    if !ready {
        let building = format!("{TEMPLATE}_building");
        admin
            .execute(format!("DROP DATABASE IF EXISTS {building}").as_str())
            .await
            .expect("no half-built template");
        admin
            .execute(format!("CREATE DATABASE {building}").as_str())
            .await
            .expect("template created");
        let db = concerts::db::Db::connect(&database_url(server, &building), 1)
            .await
            .expect("template migrated");
        db.pool.close().await;
        let rename = format!("ALTER DATABASE {building} RENAME TO {TEMPLATE}");
        admin
            .execute(rename.as_str())
            .await
            .expect("template ready");
    }
    admin
        .execute("SELECT pg_advisory_unlock(7201)")
        .await
        .expect("template unlock");
    let name = format!("test_{:016x}", rand::random::<u64>());
    admin
        .execute(format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}").as_str())
        .await
        .expect("test database created");
    database_url(server, &name)
}

/// A PostgreSQL server of one test's own, for tests that stop and start it (the suite's
/// shared server must stay up for the others): a fresh cluster in a temporary folder on a
/// port that stays the same across restarts, stopped and removed when dropped. Built like
/// `scripts/with-postgres.sh`'s.
pub struct OwnServer {
    folder: tempfile::TempDir,
    port: u16,
    bin: std::path::PathBuf,
}

impl OwnServer {
    pub fn start() -> OwnServer {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL is installed (scripts/install-scale-out-tools.sh)")
            .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
            .filter(|bin| bin.join("pg_ctl").exists())
            .max()
            .expect("a PostgreSQL version with pg_ctl");
        let folder = tempfile::tempdir().expect("temporary folder");
        let server = OwnServer {
            folder,
            port: super::process::free_port(),
            bin,
        };
        if as_root() {
            let owned = std::process::Command::new("chown")
                .args(["postgres", &server.path("")])
                .status()
                .expect("chown runs");
            assert!(owned.success(), "the cluster's folder given to postgres");
        }
        server.run(
            &server.tool("initdb"),
            &[
                "-D",
                &server.path("data"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
        );
        server.start_again();
        server
    }

    /// The `postgres` database, as the superuser.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server as a crash would (`-m immediate`: no checkpoint, connections cut; it
    /// recovers from its log when started again).
    pub fn crash(&self) {
        self.run(
            &self.tool("pg_ctl"),
            &["-D", &self.path("data"), "-m", "immediate", "stop"],
        );
    }

    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.path("")
        );
        self.run(
            &self.tool("pg_ctl"),
            &[
                "-D",
                &self.path("data"),
                "-l",
                &self.path("server.log"),
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                &options,
            ],
        );
    }

    fn path(&self, name: &str) -> String {
        self.folder.path().join(name).display().to_string()
    }

    fn tool(&self, name: &str) -> String {
        self.bin.join(name).display().to_string()
    }

    /// Runs `program`, failing the test with its output if it fails.
    fn run(&self, program: &str, args: &[&str]) {
        let output = as_owner(program).args(args).output().expect("command runs");
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = as_owner(&self.tool("pg_ctl"))
            .args(["-D", &self.path("data"), "-m", "immediate", "stop"])
            .output();
    }
}

/// `program` as the cluster's owner: the `postgres` user when the tests run as root
/// (PostgreSQL refuses to run as root), else the current user.
fn as_owner(program: &str) -> std::process::Command {
    if as_root() {
        let mut command = std::process::Command::new("runuser");
        command.args(["-u", "postgres", "--", program]);
        command
    } else {
        std::process::Command::new(program)
    }
}

fn as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"0\n"))
}
