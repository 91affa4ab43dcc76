//! Writing our files (the config file, the emulator's state file):
//! atomically, private, through symlinks, and never over something that is
//! not a regular file. Reading them goes through [`read_regular`], so that a
//! path naming a device, a folder or a pipe is refused instead of read.
//!
//! What each file holds, and the wording of errors about it, is left to the
//! callers; the errors here are plain [`io::Error`]s for them to wrap.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// The reason given for a path that exists but is not a regular file.
pub(crate) const NOT_REGULAR: &str = "not a regular file";

/// Symlinks followed at most, as the kernel does, so a loop ends.
const MAX_LINKS: usize = 40;

fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, NOT_REGULAR)
}

/// The file `path` stands for: a symlink resolved to its target, even when
/// the target does not exist yet, and the folder made absolute. The folder
/// must exist.
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            Ok(_) => return std::fs::canonicalize(&current),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let Some(name) = current.file_name() else {
                    return Err(err);
                };
                let folder = match current.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                };
                return Ok(std::fs::canonicalize(folder)?.join(name));
            }
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Refuse `path` when it exists and is not a regular file (after links).
fn check_regular(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(not_regular()),
        Ok(_) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}

/// The contents of `path`, refused when it is not a regular file: reading a
/// device or a pipe could block or never end.
pub(crate) fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    std::fs::read(path)
}

/// Replace the file `path` stands for with `bytes`, mode 0600: a temporary
/// file in the target's folder is written, synced and renamed over it, so a
/// reader sees the old file or the new one, never half of one. A symlink is
/// followed and left in place; a path that is not a regular file is refused.
pub(crate) fn write_private_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve(path)?;
    check_regular(&target)?;
    let folder = target.parent().unwrap_or(Path::new("/"));
    // tempfile creates the file 0600 on Unix; set it anyway, so the mode
    // does not depend on that.
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(&target).map_err(|err| err.error)?;
    Ok(())
}

/// An exclusive lock on `PATH.lock` beside the file `path` stands for,
/// held until the returned file is dropped. The lock file is created 0600
/// and left in place: removing it would let a waiting run lock a file that
/// a newer run no longer sees.
pub(crate) fn lock_beside(path: &Path) -> io::Result<File> {
    let target = resolve(path)?;
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    let lock_path = target.with_file_name(name);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options.open(&lock_path)?;
    file.lock()?;
    Ok(file)
}

/// Text without a leading UTF-8 byte order mark, which some Windows editors
/// write and which no parser of ours expects.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        write_private_atomically(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink("real.toml", &link).unwrap();

        write_private_atomically(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link was replaced"
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");

        // A dangling link creates its target.
        let dangling = dir.path().join("dangling.toml");
        std::os::unix::fs::symlink(dir.path().join("later.toml"), &dangling).unwrap();
        write_private_atomically(&dangling, b"later").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("later.toml")).unwrap(),
            b"later"
        );
    }

    #[cfg(unix)]
    #[test]
    fn what_is_not_a_regular_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("folder");
        std::fs::create_dir(&folder).unwrap();
        let err = write_private_atomically(&folder, b"x").unwrap_err();
        assert_eq!(err.to_string(), NOT_REGULAR);
        assert!(folder.is_dir());
        assert_eq!(read_regular(&folder).unwrap_err().to_string(), NOT_REGULAR);

        // A link to a folder is refused too.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&folder, &link).unwrap();
        let err = write_private_atomically(&link, b"x").unwrap_err();
        assert_eq!(err.to_string(), NOT_REGULAR);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(write_private_atomically(&a, b"x").is_err());
    }

    #[test]
    fn a_missing_folder_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("f");
        let err = write_private_atomically(&path, b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn the_lock_file_sits_beside_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let held = lock_beside(&path).unwrap();
        let lock_path = dir.path().join("c.toml.lock");
        assert!(lock_path.is_file());
        #[cfg(unix)]
        assert_eq!(mode(&lock_path), 0o600);
        // A second handle cannot take it while the first holds it.
        let other = File::open(dir.path().join("c.toml.lock")).unwrap();
        assert!(other.try_lock().is_err());
        drop(held);
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn a_leading_bom_is_stripped_once() {
        assert_eq!(strip_bom("\u{feff}[a]"), "[a]");
        assert_eq!(strip_bom("[a]"), "[a]");
        assert_eq!(strip_bom("\u{feff}\u{feff}x"), "\u{feff}x");
    }
}
