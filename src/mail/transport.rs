//! Where e-mails go: an SMTP server when one is configured, else `.eml` files (so that
//! `make run` needs nothing else installed).

use crate::config::MailSettings;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> Result<Self, String> {
        match &settings.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map(|builder| Mailer::Smtp(builder.build()))
                .map_err(|error| format!("SMTP_URL: {error}")),
            None => {
                std::fs::create_dir_all(&settings.dir)
                    .map_err(|error| format!("MAIL_DIR {}: {error}", settings.dir.display()))?;
                Ok(Mailer::Files(AsyncFileTransport::new(&settings.dir)))
            }
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Files(files) => {
                let id = files.send(message).await.map_err(|e| e.to_string())?;
                tracing::info!(file = %format!("{id}.eml"), "e-mail written (no SMTP_URL)");
                Ok(())
            }
        }
    }
}
