//! Typed settings, read once from the environment at start-up, each with a working default.

use std::{net::SocketAddr, str::FromStr, time::Duration};

/// An address that may carry a password (database, SMTP): its `Debug` hides the password,
/// so printing the configuration never shows one.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", crate::db::redact(&self.0))
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (embedded default) or `postgres://…` (several servers on one database).
    pub database_url: SecretUrl,
    /// Connections this server's pool may open (PostgreSQL: size the server's
    /// `max_connections` for every app server, plus one `LISTEN` connection each).
    pub database_max_connections: u32,
    /// Where the server listens.
    pub site_addr: SocketAddr,
    /// The address people reach the site at, used for links and same-origin checks.
    pub public_url: String,
    /// Where cargo-leptos put the compiled site (`pkg/`, assets).
    pub site_root: String,
    pub production: bool,
    /// Adds `Secure` (and the `__Host-` prefix) to the cookies; always on for an `https`
    /// `PUBLIC_URL`, else on by default in production.
    pub cookie_secure: bool,
    /// A `tracing` filter, e.g. `info` or `concerts=debug,tower_http=info`.
    pub log_level: String,
    pub log_json: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    pub sessions: SessionPolicy,
    pub sign_in_limits: SignInLimits,
    pub account_limits: AccountLimits,
    pub messaging_limits: MessagingLimits,
    pub stream_limits: StreamLimits,
    pub mail: MailSettings,
    /// Where uploaded photos are stored (served under `/media/`).
    pub media_dir: std::path::PathBuf,
    /// Fill an empty database with fictional artists and hosts; off by default in production.
    pub demo_content: bool,
    /// Where members write to contest a moderators' decision (named in its e-mail).
    pub moderation_email: String,
    pub moderation_flags: ModerationFlags,
    /// Lets a request move the clock of the concert rules (`clock::OFFSET_HEADER`), so that
    /// end-to-end tests can reach a concert's aftermath; refused in production.
    pub test_clock: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused for this long is refused.
    pub idle: Duration,
    /// A session older than this is refused, however active.
    pub absolute: Duration,
}

/// Failed sign-ins allowed per window. Once an account's limit is reached, only browsers that
/// signed in to it before (device cookies) may still try, each within `per_account` of its own.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Per client address (IPv6: per /64), whatever the accounts tried.
    pub per_ip: u32,
    /// Per client address and account.
    pub per_ip_and_account: u32,
    /// Per account, from clients it does not know; also per device cookie.
    pub per_account: u32,
    /// Per account, from all the browsers holding one of its device cookies together.
    pub per_account_devices: u32,
    pub window: Duration,
}

/// Caps on the account operations that cost a password hash or send an e-mail, or that tell
/// whether an address has an account.
#[derive(Debug, Clone, Copy)]
pub struct AccountLimits {
    /// New accounts per client address and hour.
    pub sign_ups_per_ip_per_hour: u32,
    /// Password reset requests per client address, and per account, each hour.
    pub resets_per_hour: u32,
    /// Address changes asked per account and day.
    pub address_changes_per_day: u32,
    /// Current-password checks (changing the password, deleting the account) per account
    /// and hour.
    pub password_checks_per_hour: u32,
    /// Photo uploads per artist and hour (each is decoded and re-encoded).
    pub photo_uploads_per_hour: u32,
}

/// Live streams (`/events`) one account, and one client address, may hold open at once on
/// one server.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    pub per_account: u32,
    pub per_client: u32,
}

/// Caps that keep the messenger from being used to spam artists.
#[derive(Debug, Clone, Copy)]
pub struct MessagingLimits {
    /// Conversations a host may start per day (writing again in one is not counted).
    pub new_conversations_per_day: u32,
    /// Messages anyone may send per minute.
    pub messages_per_minute: u32,
}

/// When the site opens a moderation case on its own about a host who opens conversations.
#[derive(Debug, Clone, Copy)]
pub struct ModerationFlags {
    /// The same first message sent to this many artists by a new account…
    pub same_text_artists: u32,
    /// …"new" meaning signed up less than this many days ago.
    pub new_account_days: u32,
    /// This many conversations opened…
    pub burst_conversations: u32,
    /// …within this many minutes.
    pub burst_minutes: u32,
}

/// How e-mails leave: by SMTP when `smtp_url` is set, else as `.eml` files in `dir`.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port` (plain, for a local relay), `smtp://…?tls=required` (STARTTLS) or
    /// `smtps://user:password@host` (TLS), as lettre reads them.
    pub smtp_url: Option<SecretUrl>,
    /// The `From:` header.
    pub from: String,
    pub dir: std::path::PathBuf,
    /// How long a message waits before its e-mail leaves: read on the site by then, it is
    /// not sent.
    pub delay: Duration,
    /// The first retry's wait after a failure; each next one doubles, up to an hour.
    pub retry_base: Duration,
    /// How often the worker looks for e-mails that are due.
    pub poll: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid setting {name}={value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can pass their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str, default: &str| -> String {
            lookup(name).unwrap_or_else(|| default.to_owned())
        };
        let production = parse::<bool>("APP_PRODUCTION", &get("APP_PRODUCTION", "false"))?;
        let site_addr: SocketAddr = parse(
            "SITE_ADDR",
            &lookup("SITE_ADDR")
                .or_else(|| lookup("LEPTOS_SITE_ADDR"))
                .unwrap_or_else(|| "127.0.0.1:3000".into()),
        )?;
        let public_url = get("PUBLIC_URL", &format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        let https = public_url.starts_with("https://");
        let demo_content = parse(
            "DEMO_CONTENT",
            &get("DEMO_CONTENT", &(!production && !https).to_string()),
        )?;
        if demo_content && https {
            return Err(ConfigError {
                name: "DEMO_CONTENT",
                value: "true".to_owned(),
                reason: format!(
                    "a site served over https ({public_url}) is public: no demo accounts there"
                ),
            });
        }
        let test_clock = parse::<bool>("TEST_CLOCK", &get("TEST_CLOCK", "false"))?;
        if test_clock && production {
            return Err(ConfigError {
                name: "TEST_CLOCK",
                value: "true".to_owned(),
                reason: "a production site keeps the real time".to_owned(),
            });
        }
        Ok(Config {
            database_url: SecretUrl(get("DATABASE_URL", "sqlite://data/concerts.db")),
            database_max_connections: parse(
                "DATABASE_MAX_CONNECTIONS",
                &get("DATABASE_MAX_CONNECTIONS", "16"),
            )?,
            site_addr,
            public_url,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            production,
            cookie_secure: https
                || parse(
                    "COOKIE_SECURE",
                    &get("COOKIE_SECURE", &production.to_string()),
                )?,
            log_level: get("LOG_LEVEL", "info,sqlx=warn"),
            log_json: parse("LOG_JSON", &get("LOG_JSON", "false"))?,
            trust_forwarded_for: parse(
                "TRUST_FORWARDED_FOR",
                &get("TRUST_FORWARDED_FOR", "false"),
            )?,
            sessions: SessionPolicy {
                idle: minutes(parse(
                    "SESSION_IDLE_MINUTES",
                    &get("SESSION_IDLE_MINUTES", "20160"),
                )?),
                absolute: minutes(parse(
                    "SESSION_ABSOLUTE_MINUTES",
                    &get("SESSION_ABSOLUTE_MINUTES", "86400"),
                )?),
            },
            sign_in_limits: SignInLimits {
                per_ip: parse("SIGN_IN_LIMIT_PER_IP", &get("SIGN_IN_LIMIT_PER_IP", "30"))?,
                per_ip_and_account: parse(
                    "SIGN_IN_LIMIT_PER_IP_AND_ACCOUNT",
                    &get("SIGN_IN_LIMIT_PER_IP_AND_ACCOUNT", "5"),
                )?,
                per_account: parse(
                    "SIGN_IN_LIMIT_PER_ACCOUNT",
                    &get("SIGN_IN_LIMIT_PER_ACCOUNT", "8"),
                )?,
                per_account_devices: parse(
                    "SIGN_IN_LIMIT_PER_ACCOUNT_DEVICES",
                    &get("SIGN_IN_LIMIT_PER_ACCOUNT_DEVICES", "24"),
                )?,
                window: Duration::from_secs(parse(
                    "SIGN_IN_WINDOW_SECONDS",
                    &get("SIGN_IN_WINDOW_SECONDS", "600"),
                )?),
            },
            account_limits: AccountLimits {
                sign_ups_per_ip_per_hour: parse(
                    "SIGN_UPS_PER_IP_PER_HOUR",
                    &get("SIGN_UPS_PER_IP_PER_HOUR", "10"),
                )?,
                resets_per_hour: parse(
                    "PASSWORD_RESETS_PER_HOUR",
                    &get("PASSWORD_RESETS_PER_HOUR", "5"),
                )?,
                address_changes_per_day: parse(
                    "ADDRESS_CHANGES_PER_DAY",
                    &get("ADDRESS_CHANGES_PER_DAY", "5"),
                )?,
                password_checks_per_hour: parse(
                    "PASSWORD_CHECKS_PER_HOUR",
                    &get("PASSWORD_CHECKS_PER_HOUR", "10"),
                )?,
                photo_uploads_per_hour: parse(
                    "PHOTO_UPLOADS_PER_HOUR",
                    &get("PHOTO_UPLOADS_PER_HOUR", "20"),
                )?,
            },
            messaging_limits: MessagingLimits {
                new_conversations_per_day: parse(
                    "NEW_CONVERSATIONS_PER_DAY",
                    &get("NEW_CONVERSATIONS_PER_DAY", "20"),
                )?,
                messages_per_minute: parse(
                    "MESSAGES_PER_MINUTE",
                    &get("MESSAGES_PER_MINUTE", "20"),
                )?,
            },
            stream_limits: StreamLimits {
                per_account: parse(
                    "EVENT_STREAMS_PER_ACCOUNT",
                    &get("EVENT_STREAMS_PER_ACCOUNT", "20"),
                )?,
                per_client: parse("EVENT_STREAMS_PER_IP", &get("EVENT_STREAMS_PER_IP", "100"))?,
            },
            mail: MailSettings {
                smtp_url: lookup("SMTP_URL")
                    .filter(|url| !url.trim().is_empty())
                    .map(SecretUrl),
                from: get(
                    "MAIL_FROM",
                    "Concerts dans mon salon <ne-pas-repondre@concerts-dans-mon-salon.fr>",
                ),
                dir: get("MAIL_DIR", "data/mail").into(),
                delay: Duration::from_secs(parse(
                    "MAIL_DELAY_SECONDS",
                    &get("MAIL_DELAY_SECONDS", "120"),
                )?),
                retry_base: Duration::from_millis(parse(
                    "MAIL_RETRY_BASE_MS",
                    &get("MAIL_RETRY_BASE_MS", "30000"),
                )?),
                poll: Duration::from_millis(parse("MAIL_POLL_MS", &get("MAIL_POLL_MS", "5000"))?),
            },
            media_dir: get("MEDIA_DIR", "data/media").into(),
            demo_content,
            moderation_email: get("MODERATION_EMAIL", "moderation@concerts-dans-mon-salon.fr"),
            moderation_flags: ModerationFlags {
                same_text_artists: parse(
                    "FLAG_SAME_TEXT_ARTISTS",
                    &get("FLAG_SAME_TEXT_ARTISTS", "5"),
                )?,
                new_account_days: parse(
                    "FLAG_NEW_ACCOUNT_DAYS",
                    &get("FLAG_NEW_ACCOUNT_DAYS", "7"),
                )?,
                burst_conversations: parse(
                    "FLAG_BURST_CONVERSATIONS",
                    &get("FLAG_BURST_CONVERSATIONS", "8"),
                )?,
                burst_minutes: parse("FLAG_BURST_MINUTES", &get("FLAG_BURST_MINUTES", "60"))?,
            },
            test_clock,
        })
    }

    /// Whether people reach the site over HTTPS (then browsers are told to keep to it: HSTS).
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The `scheme://host[:port]` part of `public_url`, compared with a request's `Origin`.
    pub fn public_origin(&self) -> &str {
        let after_scheme = self.public_url.find("://").map_or(0, |i| i + 3);
        match self.public_url[after_scheme..].find('/') {
            Some(slash) => &self.public_url[..after_scheme + slash],
            None => &self.public_url,
        }
    }
}

fn minutes(count: u64) -> Duration {
    Duration::from_secs(count * 60)
}

fn parse<T: FromStr>(name: &'static str, value: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    value.trim().parse().map_err(|error: T::Err| ConfigError {
        name,
        value: value.to_owned(),
        reason: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_run_on_sqlite_at_port_3000_without_secure_cookies() {
        let config = config(&[]).expect("defaults are valid");
        assert_eq!(config.database_url.expose(), "sqlite://data/concerts.db");
        assert_eq!(config.database_max_connections, 16);
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.public_origin(), "http://127.0.0.1:3000");
        assert!(!config.cookie_secure);
        assert!(config.demo_content);
        assert_eq!(config.media_dir, std::path::Path::new("data/media"));
    }

    #[test]
    fn only_a_test_site_lets_requests_move_the_clock() {
        assert!(!config(&[]).unwrap().test_clock);
        assert!(config(&[("TEST_CLOCK", "true")]).unwrap().test_clock);
        assert!(config(&[("APP_PRODUCTION", "true"), ("TEST_CLOCK", "true")]).is_err());
    }

    #[test]
    fn production_has_no_demo_content_unless_asked() {
        assert!(!config(&[("APP_PRODUCTION", "true")]).unwrap().demo_content);
        let asked = config(&[("APP_PRODUCTION", "true"), ("DEMO_CONTENT", "true")]).unwrap();
        assert!(asked.demo_content);
    }

    #[test]
    fn production_turns_secure_cookies_on_unless_told_otherwise() {
        assert!(config(&[("APP_PRODUCTION", "true")]).unwrap().cookie_secure);
        let explicit = config(&[("APP_PRODUCTION", "true"), ("COOKIE_SECURE", "false")]).unwrap();
        assert!(!explicit.cookie_secure);
    }

    #[test]
    fn an_https_site_has_secure_cookies_and_refuses_demo_content() {
        let public = config(&[("PUBLIC_URL", "https://concerts.example")]).unwrap();
        assert!(public.https());
        assert!(public.cookie_secure);
        assert!(!public.demo_content);
        let forced = config(&[
            ("PUBLIC_URL", "https://concerts.example"),
            ("COOKIE_SECURE", "false"),
        ])
        .unwrap();
        assert!(forced.cookie_secure, "https keeps cookies secure");
        let error = config(&[
            ("PUBLIC_URL", "https://concerts.example"),
            ("DEMO_CONTENT", "true"),
        ])
        .unwrap_err();
        assert!(error.to_string().contains("DEMO_CONTENT"), "{error}");
    }

    #[test]
    fn printing_the_configuration_never_shows_a_password() {
        let config = config(&[
            (
                "DATABASE_URL",
                "postgres://concerts:db-secret@db.internal/concerts",
            ),
            ("SMTP_URL", "smtps://mailer:smtp-secret@smtp.example"),
        ])
        .unwrap();
        let printed = format!("{config:?}");
        assert!(!printed.contains("db-secret"), "{printed}");
        assert!(!printed.contains("smtp-secret"), "{printed}");
        assert!(printed.contains("db.internal"), "{printed}");
        assert_eq!(
            config.database_url.expose(),
            "postgres://concerts:db-secret@db.internal/concerts"
        );
    }

    #[test]
    fn public_origin_drops_the_path() {
        let config = config(&[("PUBLIC_URL", "https://concerts.example/app/")]).unwrap();
        assert_eq!(config.public_origin(), "https://concerts.example");
    }

    #[test]
    fn a_bad_value_names_the_setting() {
        let error = config(&[("SESSION_IDLE_MINUTES", "soon")]).unwrap_err();
        assert!(
            error.to_string().contains("SESSION_IDLE_MINUTES"),
            "{error}"
        );
    }
}
