//! Password hashing with argon2id at OWASP's parameters, run off the async runtime because
//! each hash deliberately takes tens of milliseconds of CPU and 19 MiB of memory. Hashes are
//! rationed: at most one per core at a time, so a crowd of sign-ups makes a queue, never a
//! pile of buffers; past a short wait the answer is "busy, come back" (503).

use crate::rationed::Ration;
use crate::{auth::model::NewPassword, error::AppError};
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use std::{
    sync::{LazyLock, OnceLock},
    time::Duration,
};

/// 19 MiB of memory, 2 passes, 1 lane: OWASP's first recommended argon2id setting.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const LANES: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .expect("argon2 parameters are constants within bounds");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// One hash per core at a time; a request waits 3 s at most for its turn.
static HASHES: LazyLock<Ration> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    Ration::new(cores, Duration::from_secs(3), "password hashing")
});

pub async fn hash(password: &NewPassword) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    HASHES
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            hasher()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| AppError::internal("password hashing failed", error))
        })
        .await
}

/// Checks `password` against `stored`; with no stored hash (unknown account) it still spends
/// the same work on a dummy hash, so timing does not reveal which accounts exist.
pub async fn verify(password: &str, stored: Option<String>) -> Result<bool, AppError> {
    let password = password.to_owned();
    HASHES
        .run(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let parsed = PasswordHash::new(&stored)
                .map_err(|error| AppError::internal("stored password hash is unreadable", error))?;
            let matches = hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(known && matches)
        })
        .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"no account has this password", &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stored_hash_carries_owasp_parameters() {
        let stored = hash(&NewPassword::parse("correct horse battery").unwrap())
            .await
            .unwrap();
        let parsed = PasswordHash::new(&stored).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        let params = Params::try_from(&parsed).unwrap();
        assert!(params.m_cost() >= 19 * 1024, "m = {}", params.m_cost());
        assert!(params.t_cost() >= 2, "t = {}", params.t_cost());
        assert_eq!(params.p_cost(), 1);
    }

    #[tokio::test]
    async fn verify_accepts_only_the_right_password() {
        let stored = hash(&NewPassword::parse("correct horse battery").unwrap())
            .await
            .unwrap();
        assert!(
            verify("correct horse battery", Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("correct horse batterie", Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify("no account has this password", None).await.unwrap());
    }
}
