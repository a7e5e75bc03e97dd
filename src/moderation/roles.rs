//! The moderator role is granted and taken back by the server binary, on the server's own
//! machine (`concerts moderator grant ADDRESS`), never through the site: whoever takes over
//! an account still cannot make it a moderator.

use crate::{
    auth::{self, model::Email},
    db::{Db, now_ms},
    moderation::store,
};

/// How to call the command, shown when it is called wrongly.
pub const USAGE: &str = "usage : concerts moderator grant|revoke ADRESSE";

/// Runs `moderator grant|revoke ADDRESS` (`arguments` are what follows `moderator`); the
/// line to print, or why nothing was done.
pub async fn run(db: &Db, arguments: &[String]) -> Result<String, String> {
    let [verb, address] = arguments else {
        return Err(USAGE.to_owned());
    };
    let email = Email::parse(address).map_err(|error| error.to_string())?;
    let account = match auth::store::find_by_email(db, &email).await {
        Ok(Some(account)) => account,
        Ok(None) => return Err(format!("Aucun compte n'a l'adresse {email}.")),
        Err(error) => return Err(error.to_string()),
    };
    match verb.as_str() {
        "grant" => {
            store::grant(db, account.id, now_ms())
                .await
                .map_err(|error| error.to_string())?;
            Ok(format!(
                "{email} est modérateur ou modératrice (compte n° {}).",
                account.id
            ))
        }
        "revoke" => match store::revoke(db, account.id).await {
            Ok(true) => Ok(format!("{email} n'est plus modérateur ni modératrice.")),
            Ok(false) => Ok(format!("{email} n'était pas modérateur ni modératrice.")),
            Err(error) => Err(error.to_string()),
        },
        _ => Err(USAGE.to_owned()),
    }
}
