//! The keyring: loaded from files, generated on first start when absent (mode 0600), with a clear
//! error naming the file when one is malformed.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::config::Settings;

pub struct SigningKey {
    pub kid: String,
    pub pkcs8: Vec<u8>,
    pub public: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

pub struct Keyring {
    pub signing: SigningKey,
    /// (key id, key); the last one encrypts new values, the others still decrypt (rotation).
    pub field_keys: Vec<(String, [u8; 32])>,
    /// (key id, key); the last one indexes new values, every one is tried in lookups (rotation).
    pub blind_index_keys: Vec<(String, [u8; 32])>,
}

impl Keyring {
    pub fn load_or_create(s: &Settings) -> Result<Keyring, String> {
        Ok(Keyring {
            signing: load_signing(&s.signing_key_file)?,
            field_keys: load_keys(&s.field_key_file, FIELD_PREFIX)?,
            blind_index_keys: load_keys(&s.blind_index_key_file, BLIND_PREFIX)?,
        })
    }

    /// The public signing key as a JWK set, for `/.well-known/jwks.json`.
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [{
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA",
            "kid": self.signing.kid, "x": URL_SAFE_NO_PAD.encode(&self.signing.public),
        }]})
    }
}

fn write_secret(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        }
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tracing::info!(file = %path.display(), "generated a new key");
    Ok(())
}

fn read_or_generate(path: &Path, generate: impl FnOnce() -> String) -> Result<String, String> {
    if !path.exists() {
        write_secret(path, &generate())?;
    }
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn malformed(path: &Path, what: &str) -> String {
    format!("{}: malformed key file, expected {what}", path.display())
}

fn load_signing(path: &Path) -> Result<SigningKey, String> {
    let text = read_or_generate(path, || {
        let rng = ring::rand::SystemRandom::new();
        let doc = Ed25519KeyPair::generate_pkcs8(&rng).expect("OS random generator unavailable");
        format!("{}\n", STANDARD.encode(doc.as_ref()))
    })?;
    let what = "an Ed25519 PKCS#8 key in base64";
    let pkcs8 = STANDARD.decode(text.trim()).map_err(|_| malformed(path, what))?;
    let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8).map_err(|_| malformed(path, what))?;
    let public = pair.public_key().as_ref().to_vec();
    let kid = super::sha256_hex(&public)[..16].to_owned();
    Ok(SigningKey { kid, pkcs8, public })
}

fn decode_32(path: &Path, b64: &str, what: &str) -> Result<[u8; 32], String> {
    STANDARD
        .decode(b64.trim())
        .ok()
        .and_then(|v| <[u8; 32]>::try_from(v.as_slice()).ok())
        .ok_or_else(|| malformed(path, what))
}

pub const FIELD_PREFIX: &str = "k";
pub const BLIND_PREFIX: &str = "b";

fn new_key_line(kid: &str) -> String {
    format!("{kid} {}\n", STANDARD.encode(super::random_bytes::<32>()))
}

/// Lines of `KEY_ID BASE64_32_BYTES`, oldest first. A file holding one bare base64 secret (the
/// blind-index format before rotation existed) is key `{prefix}1`.
fn load_keys(path: &Path, prefix: &str) -> Result<Vec<(String, [u8; 32])>, String> {
    let text = read_or_generate(path, || new_key_line(&format!("{prefix}1")))?;
    let what = "lines of `KEY_ID BASE64_32_BYTES`";
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    if let [single] = lines.as_slice() {
        if !single.contains(' ') {
            return Ok(vec![(format!("{prefix}1"), decode_32(path, single, what)?)]);
        }
    }
    let keys = lines
        .iter()
        .map(|line| {
            let (kid, b64) = line.split_once(' ').ok_or_else(|| malformed(path, what))?;
            if kid.contains(':') {
                return Err(malformed(path, what));
            }
            Ok((kid.to_owned(), decode_32(path, b64, what)?))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if keys.is_empty() {
        return Err(malformed(path, what));
    }
    Ok(keys)
}

/// Appends a fresh key to a key file; it becomes the key new values use. Returns its id.
pub fn add_key(path: &Path, prefix: &str) -> Result<String, String> {
    let keys = load_keys(path, prefix)?;
    let next = keys.iter().filter_map(|(k, _)| k.strip_prefix(prefix)?.parse::<u64>().ok()).max().unwrap_or(0) + 1;
    let kid = format!("{prefix}{next}");
    let text: String = keys.iter().map(|(k, v)| format!("{k} {}\n", STANDARD.encode(v))).collect();
    replace_secret(path, &(text + &new_key_line(&kid)))?;
    Ok(kid)
}

/// Keeps only the newest key of a key file; returns the ids removed.
pub fn retire_old_keys(path: &Path, prefix: &str) -> Result<Vec<String>, String> {
    let mut keys = load_keys(path, prefix)?;
    let newest = keys.pop().ok_or_else(|| malformed(path, "at least one key"))?;
    if !keys.is_empty() {
        replace_secret(path, &format!("{} {}\n", newest.0, STANDARD.encode(newest.1)))?;
    }
    Ok(keys.into_iter().map(|(k, _)| k).collect())
}

/// Writes a key file anew through a private temporary file and a rename, so a crash leaves
/// either the old or the new file, never half of one.
fn replace_secret(path: &Path, contents: &str) -> Result<(), String> {
    let tmp = path.with_extension(format!("new-{}", crate::db::new_id()));
    write_secret(&tmp, contents)?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("guanxi-keys-{name}-{}", crate::db::new_id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn generates_keys_once_with_private_mode() {
        let dir = temp_dir("gen");
        let path = dir.join("keys/signing.key");
        let a = load_signing(&path).unwrap();
        let b = load_signing(&path).unwrap();
        assert_eq!(a.public, b.public, "the second start reads the same key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn malformed_keys_are_refused_with_the_file_name() {
        let dir = temp_dir("bad");
        let path = dir.join("field.key");
        fs::write(&path, "k1 not-base64!!\n").unwrap();
        let err = load_keys(&path, FIELD_PREFIX).unwrap_err();
        assert!(err.contains("field.key") && err.contains("malformed"), "{err}");
        let sig = dir.join("signing.key");
        fs::write(&sig, "AAAA\n").unwrap();
        assert!(load_signing(&sig).unwrap_err().contains("Ed25519"));
    }

    #[test]
    fn rotation_adds_a_newest_key_and_retires_the_others() {
        let dir = temp_dir("rotate");
        let path = dir.join("blind-index.key");
        // The single-secret format written before rotation existed is key b1.
        fs::write(&path, format!("{}\n", STANDARD.encode([7u8; 32]))).unwrap();
        assert_eq!(load_keys(&path, BLIND_PREFIX).unwrap(), vec![("b1".to_owned(), [7u8; 32])]);
        assert_eq!(add_key(&path, BLIND_PREFIX).unwrap(), "b2");
        let keys = load_keys(&path, BLIND_PREFIX).unwrap();
        assert_eq!(keys.iter().map(|k| k.0.as_str()).collect::<Vec<_>>(), ["b1", "b2"]);
        assert_eq!(keys[0].1, [7u8; 32], "the old key is kept for reading");
        assert_eq!(retire_old_keys(&path, BLIND_PREFIX).unwrap(), ["b1"]);
        assert_eq!(load_keys(&path, BLIND_PREFIX).unwrap(), vec![keys[1].clone()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
