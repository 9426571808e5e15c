//! Owner-only files and directories, in one place. Everything the desk keeps on disk names
//! customers, cards, tickets, merchants or logins, and the user's umask (typically 022) would
//! leave it readable by every local user: directories are made 0700 and files 0600 on unix
//! (Linux and macOS). On Windows the per-user profile's ACLs already keep other users out of
//! the app's directories, so nothing is changed there (docs/security.md).

use std::fs::{self, File};
use std::path::Path;

/// Creates `dir` and any missing parents 0700, and makes `dir` itself 0700 if it already
/// existed with another mode (a data dir made by an older version, or by sled, was 0755).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Makes an open file 0600. `OpenOptionsExt::mode` only applies when a file is created: a file
/// that already existed (an export written over an older one) keeps its mode without this.
pub fn restrict(file: &File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        if mode != 0o600 {
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// `options` will create its file 0600 (unix). Pair with [`restrict`] after opening when the
/// file may already exist.
pub fn owner_only(options: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    options
}

/// Best effort, for directories a library fills with the process's umask (sled): `dir` and
/// every directory below it 0700, every file 0600. Symlinks are left alone. The top directory
/// is 0700 first, so a file this misses is out of other users' reach all the same.
pub fn make_tree_private(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let set = |p: &Path, mode: u32| {
            let _ = fs::set_permissions(p, fs::Permissions::from_mode(mode));
        };
        set(dir, 0o700);
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                make_tree_private(&entry.path());
            } else if kind.is_file() {
                set(&entry.path(), 0o600);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_existing_open_dir_and_file_are_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        fs::create_dir_all(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);

        let path = dir.join("f");
        fs::write(&path, b"x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let file = owner_only(fs::OpenOptions::new().write(true).truncate(true))
            .open(&path)
            .unwrap();
        assert_eq!(mode(&path), 0o644, "mode() applies to new files only");
        restrict(&file).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_tree_is_made_private_below_its_top() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().join("db");
        fs::create_dir_all(top.join("blobs")).unwrap();
        fs::write(top.join("conf"), b"x").unwrap();
        fs::write(top.join("blobs/1"), b"x").unwrap();
        for p in [&top, &top.join("blobs")] {
            fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
        }
        make_tree_private(&top);
        assert_eq!(mode(&top), 0o700);
        assert_eq!(mode(&top.join("blobs")), 0o700);
        assert_eq!(mode(&top.join("conf")), 0o600);
        assert_eq!(mode(&top.join("blobs/1")), 0o600);
    }
}
