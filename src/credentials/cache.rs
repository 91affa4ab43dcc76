//! The on-disk cache of temporary credentials, so that a cron job that runs
//! every minute does not call STS every minute.
//!
//! One JSON file per source, in `dts/credentials/` under the user cache
//! directory, named by a hash of the source's description (profile, file,
//! role, key id; never a secret). Entries are used until three minutes
//! before they expire. The folder is 0700 and each file 0600, written
//! atomically. A cache that cannot be read or written is skipped with a
//! debug line: it is an optimisation, never a reason to fail.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use log::debug;
use serde::{Deserialize, Serialize};
use sha1::{Digest as _, Sha1};

use super::Temporary;
use crate::config::{Credentials, Secret};

/// Entries this close to their expiration are fetched again.
pub(crate) const MARGIN: Duration = Duration::from_secs(180);

/// The cache folder under the user cache directory.
pub(crate) fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("dts").join("credentials"))
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: String,
}

fn file_for(dir: &Path, key: &str) -> PathBuf {
    let digest = Sha1::digest(key.as_bytes());
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{name}.json"))
}

/// The cached credentials for `key`, if they are good for more than
/// [`MARGIN`] after `now`.
pub(crate) fn load(dir: &Path, key: &str, now: SystemTime) -> Option<Credentials> {
    let path = file_for(dir, key);
    let text = std::fs::read(&path).ok()?;
    let Ok(entry) = serde_json::from_slice::<Entry>(&text) else {
        debug!(
            "credentials: cache file {} is unreadable, ignored",
            path.display()
        );
        return None;
    };
    if entry.key != key {
        return None;
    }
    let expiration = humantime::parse_rfc3339_weak(&entry.expiration).ok()?;
    if expiration <= now + MARGIN {
        debug!(
            "credentials: cached entry expires {}, fetching again",
            entry.expiration
        );
        return None;
    }
    Some(Credentials {
        access_key_id: entry.access_key_id,
        access_key_secret: Secret::new(entry.access_key_secret),
        security_token: entry.security_token.map(Secret::new),
    })
}

/// Keep `temporary` for `key`, when it says when it expires and is good for
/// longer than [`MARGIN`].
pub(crate) fn store(dir: &Path, key: &str, temporary: &Temporary, now: SystemTime) {
    let Some(expiration) = temporary.expiration else {
        debug!("credentials: no expiration given, so not cached");
        return;
    };
    if expiration <= now + MARGIN {
        return;
    }
    let entry = Entry {
        key: key.to_owned(),
        access_key_id: temporary.credentials.access_key_id.clone(),
        access_key_secret: temporary.credentials.access_key_secret.expose().to_owned(),
        security_token: temporary
            .credentials
            .security_token
            .as_ref()
            .map(|t| t.expose().to_owned()),
        expiration: humantime::format_rfc3339_seconds(expiration).to_string(),
    };
    let path = file_for(dir, key);
    match write(dir, &path, &entry) {
        Ok(()) => debug!("credentials: cached in {}", path.display()),
        Err(err) => debug!("credentials: not cached in {}: {err}", dir.display()),
    }
}

fn write(dir: &Path, path: &Path, entry: &Entry) -> std::io::Result<()> {
    create_private_dir(dir)?;
    tighten(dir)?;
    let json = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    // A temporary file in the same folder is created 0600 and renamed over
    // the entry, so no reader ever sees half a file.
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&json)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Take group and other access away from the cache folder, which an older
/// version or a user may have made looser: the folder is ours alone, and
/// its file names say which profiles and roles are in use. Only for this
/// folder, never for a folder a user named (a config file's may be /tmp).
fn tighten(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            debug!(
                "credentials: cache folder {} was {:o}, now 700",
                dir.display(),
                mode & 0o777
            );
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Create `dir` and its parents, the last one readable by its owner only.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary(expires_in: Duration, now: SystemTime) -> Temporary {
        Temporary {
            credentials: Credentials {
                access_key_id: "STS.cached".into(),
                access_key_secret: Secret::new("cached-secret"),
                security_token: Some(Secret::new("cached-token")),
            },
            expiration: Some(now + expires_in),
        }
    }

    #[test]
    fn an_entry_is_used_until_three_minutes_before_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("dts").join("credentials");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        store(&cache, "k", &temporary(Duration::from_secs(3600), now), now);

        let hit = load(&cache, "k", now).expect("fresh entry is used");
        assert_eq!(hit.access_key_id, "STS.cached");
        assert_eq!(hit.security_token.unwrap().expose(), "cached-token");
        assert!(load(&cache, "other", now).is_none(), "another key misses");

        let late = now + Duration::from_secs(3600 - 179);
        assert!(load(&cache, "k", late).is_none(), "inside the margin");
        let early = now + Duration::from_secs(3600 - 181);
        assert!(load(&cache, "k", early).is_some());
    }

    #[test]
    fn short_lived_or_undated_credentials_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        store(
            dir.path(),
            "k",
            &temporary(Duration::from_secs(60), now),
            now,
        );
        let mut undated = temporary(Duration::from_secs(3600), now);
        undated.expiration = None;
        store(dir.path(), "u", &undated, now);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("c");
        let now = SystemTime::now();
        store(&cache, "k", &temporary(Duration::from_secs(3600), now), now);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache), 0o700);
        assert_eq!(mode(&file_for(&cache, "k")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_looser_existing_folder_is_tightened() {
        // It was left as it was found, 0755 say.
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("c");
        std::fs::create_dir(&cache).unwrap();
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o755)).unwrap();
        let now = SystemTime::now();
        store(&cache, "k", &temporary(Duration::from_secs(3600), now), now);
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        assert!(load(&cache, "k", now).is_some());
    }
}
