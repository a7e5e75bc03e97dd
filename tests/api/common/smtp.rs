//! A real SMTP server for the e-mail tests: Debian's aiosmtpd, storing what it receives in a
//! Maildir that the tests read.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The subject of the e-mail a new account confirms its address with.
pub const WELCOME_SUBJECT: &str = "Bienvenue : confirmez votre adresse e-mail";

pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Option<Child>,
    _folder: tempfile::TempDir,
}

/// One received e-mail, decoded.
pub struct Received {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub list_unsubscribe: String,
    pub list_unsubscribe_post: String,
    /// The calendar files attached: (file name, content).
    pub calendars: Vec<(String, String)>,
}

impl SmtpServer {
    /// A port for a server started later (until then, sending fails).
    pub fn stopped() -> SmtpServer {
        let folder = tempfile::tempdir().expect("temporary folder");
        SmtpServer {
            port: super::process::free_port(),
            maildir: folder.path().join("maildir"),
            child: None,
            _folder: folder,
        }
    }

    pub async fn started() -> SmtpServer {
        let mut server = SmtpServer::stopped();
        server.start().await;
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn start(&mut self) {
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (apt-get install python3-aiosmtpd)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "aiosmtpd never listened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Every e-mail received so far, but the welcome e-mails (with their confirmation link)
    /// that every sign-up sends: tests about other e-mails count without them.
    pub fn received(&self) -> Vec<Received> {
        self.everything()
            .into_iter()
            .filter(|mail| mail.subject != WELCOME_SUBJECT)
            .collect()
    }

    /// The welcome e-mails received so far.
    pub fn welcomes(&self) -> Vec<Received> {
        self.everything()
            .into_iter()
            .filter(|mail| mail.subject == WELCOME_SUBJECT)
            .collect()
    }

    fn everything(&self) -> Vec<Received> {
        let Ok(files) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        files
            .filter_map(Result::ok)
            .map(|file| decode(&std::fs::read(file.path()).expect("mail file")))
            .collect()
    }

    /// Waits until `count` welcome e-mails arrived (10 s at most).
    pub async fn wait_for_welcomes(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let received = self.welcomes();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{count} welcome e-mails expected, {} arrived",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `count` e-mails arrived (10 s at most).
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{count} e-mails expected, {} arrived",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The `jeton=` of the (first) link in an e-mail's text.
pub fn link_token(text: &str) -> String {
    text.split("jeton=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| c.is_whitespace() || c == '&').next())
        .expect("a link with a token")
        .to_owned()
}

fn decode(raw: &[u8]) -> Received {
    let mail = mailparse::parse_mail(raw).expect("a MIME e-mail");
    let header = |name: &str| {
        mailparse::MailHeaderMap::get_first_value(mail.headers.as_slice(), name).unwrap_or_default()
    };
    // The parts, those of a `multipart/alternative` inside a `multipart/mixed` included.
    let parts: Vec<&mailparse::ParsedMail> = mail
        .subparts
        .iter()
        .flat_map(|part| std::iter::once(part).chain(part.subparts.iter()))
        .collect();
    let part = |mime: &str| {
        parts
            .iter()
            .find(|part| part.ctype.mimetype == mime)
            .and_then(|part| part.get_body().ok())
            .unwrap_or_default()
    };
    let calendars = parts
        .iter()
        .filter(|part| part.ctype.mimetype == "text/calendar")
        .map(|part| {
            let name = part
                .get_content_disposition()
                .params
                .get("filename")
                .cloned()
                .unwrap_or_default();
            (name, part.get_body().unwrap_or_default())
        })
        .collect();
    Received {
        to: header("To"),
        subject: header("Subject"),
        text: part("text/plain").replace("\r\n", "\n"),
        html: part("text/html"),
        list_unsubscribe: header("List-Unsubscribe"),
        list_unsubscribe_post: header("List-Unsubscribe-Post"),
        calendars,
    }
}
