//! Where attachments live: files under `<data dir>/attachments/`, named by the SHA-256 of their
//! content (`ab/ab12…`), each sealed with the field keys and bound to its name, so a file on disk
//! is unreadable without the keys and cannot be swapped for another. The same content is stored
//! once however often it is attached. A file appears whole or not at all (written aside, then
//! renamed). Several servers share the data directory as they share the database.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::crypto::field::FieldCipher;
use crate::error::ApiError;

#[derive(Clone, Debug)]
pub struct Files {
    dir: PathBuf,
}

fn context(sha256: &str) -> String {
    format!("ticket_attachments|{sha256}")
}

/// A digest as this store names files: 64 lower-case hex digits (anything else is never a path).
fn checked(sha256: &str) -> Result<&str, ApiError> {
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(sha256)
    } else {
        Err(ApiError::internal(format!("not a file digest: {sha256:?}")))
    }
}

/// The key id a sealed file starts with (`KID:` ‖ nonce ‖ …).
fn key_of(sealed: &[u8]) -> Option<String> {
    let colon = sealed.iter().position(|b| *b == b':')?;
    std::str::from_utf8(&sealed[..colon]).ok().map(str::to_owned)
}

fn io(what: &str, path: &Path, e: std::io::Error) -> ApiError {
    ApiError::internal(format!("attachment file {what} {}: {e}", path.display()))
}

impl Files {
    pub fn new(data_dir: &Path) -> Files {
        Files { dir: data_dir.join("attachments") }
    }

    fn path(&self, sha256: &str) -> Result<PathBuf, ApiError> {
        let sha = checked(sha256)?;
        Ok(self.dir.join(&sha[..2]).join(sha))
    }

    /// Writes `content` sealed under `sha256` unless that file is there already; returns the
    /// key id the stored file is sealed with.
    pub fn put(&self, cipher: &FieldCipher, sha256: &str, content: &[u8]) -> Result<String, ApiError> {
        let path = self.path(sha256)?;
        if let Ok(existing) = std::fs::read(&path) {
            if let Some(kid) = key_of(&existing) {
                return Ok(kid);
            }
        }
        self.write(&path, &cipher.seal_bytes(&context(sha256), content))?;
        Ok(cipher.field_key_id().to_owned())
    }

    fn write(&self, path: &Path, sealed: &[u8]) -> Result<(), ApiError> {
        let parent = path.parent().expect("a file under the store");
        std::fs::create_dir_all(parent).map_err(|e| io("directory", parent, e))?;
        let aside = parent.join(format!(".{}", crate::crypto::random_token()));
        let mut f = std::fs::File::create(&aside).map_err(|e| io("create", &aside, e))?;
        f.write_all(sealed).and_then(|_| f.sync_all()).map_err(|e| io("write", &aside, e))?;
        std::fs::rename(&aside, path).map_err(|e| io("rename", path, e))
    }

    /// The content stored under `sha256`, opened; `None` when no such file is there.
    pub fn get(&self, cipher: &FieldCipher, sha256: &str) -> Result<Option<Vec<u8>>, ApiError> {
        let path = self.path(sha256)?;
        let sealed = match std::fs::read(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("read", &path, e)),
        };
        let plain = cipher
            .open_bytes(&context(sha256), &sealed)
            .map_err(|e| ApiError::internal(format!("attachment {sha256}: {e:?}")))?;
        Ok(Some(plain))
    }

    /// Seals the file under `sha256` anew with the newest field key (key rotation); false when
    /// it is not there.
    pub fn reseal(&self, cipher: &FieldCipher, sha256: &str) -> Result<bool, ApiError> {
        let Some(plain) = self.get(cipher, sha256)? else { return Ok(false) };
        self.write(&self.path(sha256)?, &cipher.seal_bytes(&context(sha256), &plain))?;
        Ok(true)
    }

    pub fn remove(&self, sha256: &str) -> Result<(), ApiError> {
        let path = self.path(sha256)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io("remove", &path, e)),
            _ => Ok(()),
        }
    }

    /// The digests of the files stored, with their age, one directory (`ab/`) at a time, for the
    /// sweep of files no ticket holds any more. Unfinished writes (`.…`) are not listed.
    pub fn each_dir(
        &self,
        mut visit: impl FnMut(Vec<(String, std::time::Duration)>) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        let Ok(dirs) = std::fs::read_dir(&self.dir) else { return Ok(()) };
        for dir in dirs.flatten() {
            let Ok(entries) = std::fs::read_dir(dir.path()) else { continue };
            let found = entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let age = e.metadata().ok()?.modified().ok()?.elapsed().unwrap_or_default();
                    checked(&name).is_ok().then_some((name, age))
                })
                .collect();
            visit(found)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> FieldCipher {
        use crate::crypto::keys::{Keyring, SigningKey};
        FieldCipher::new(&Keyring {
            signing: SigningKey { kid: "t".into(), pkcs8: vec![], public: vec![] },
            field_keys: vec![("k1".into(), [7u8; 32])],
            blind_index_keys: vec![("b1".into(), [9u8; 32])],
        })
    }

    #[test]
    fn sealed_on_disk_stored_once_and_bound_to_its_name() {
        let dir = std::env::temp_dir().join(format!("guanxi-files-{}", crate::db::new_id()));
        let (files, cipher) = (Files::new(&dir), cipher());
        let photo = b"\xFF\xD8\xFF\xE0 a faulty set-top box".to_vec();
        let sha = crate::crypto::sha256_hex(&photo);
        let kid = files.put(&cipher, &sha, &photo).unwrap();
        assert_eq!(kid, cipher.field_key_id());
        let on_disk = std::fs::read(dir.join("attachments").join(&sha[..2]).join(&sha)).unwrap();
        assert!(!on_disk.windows(10).any(|w| w == b"set-top bo"), "the file is sealed");
        assert_eq!(files.get(&cipher, &sha).unwrap(), Some(photo.clone()));
        // A second put of the same content leaves the file as it was.
        files.put(&cipher, &sha, &photo).unwrap();
        assert_eq!(std::fs::read(dir.join("attachments").join(&sha[..2]).join(&sha)).unwrap(), on_disk);
        // Moved under another name it no longer opens.
        let other = crate::crypto::sha256_hex(b"other");
        std::fs::create_dir_all(dir.join("attachments").join(&other[..2])).unwrap();
        std::fs::write(dir.join("attachments").join(&other[..2]).join(&other), &on_disk).unwrap();
        assert!(files.get(&cipher, &other).is_err());
        let mut seen = Vec::new();
        files
            .each_dir(|found| {
                seen.extend(found.into_iter().map(|(s, _)| s));
                Ok(())
            })
            .unwrap();
        seen.sort();
        let mut both = vec![sha.clone(), other.clone()];
        both.sort();
        assert_eq!(seen, both);
        files.remove(&sha).unwrap();
        assert_eq!(files.get(&cipher, &sha).unwrap(), None);
        assert!(files.get(&cipher, "../../etc/passwd").is_err(), "never a path");
    }
}
