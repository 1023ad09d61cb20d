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
    /// (key id, key); the last one encrypts new values.
    pub field_keys: Vec<(String, [u8; 32])>,
    pub blind_index_key: [u8; 32],
}

impl Keyring {
    pub fn load_or_create(s: &Settings) -> Result<Keyring, String> {
        Ok(Keyring {
            signing: load_signing(&s.signing_key_file)?,
            field_keys: load_field_keys(&s.field_key_file)?,
            blind_index_key: load_secret(&s.blind_index_key_file)?,
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

fn load_secret(path: &Path) -> Result<[u8; 32], String> {
    let text = read_or_generate(path, || format!("{}\n", STANDARD.encode(super::random_bytes::<32>())))?;
    decode_32(path, &text, "32 random bytes in base64")
}

fn load_field_keys(path: &Path) -> Result<Vec<(String, [u8; 32])>, String> {
    let text = read_or_generate(path, || format!("k1 {}\n", STANDARD.encode(super::random_bytes::<32>())))?;
    let what = "lines of `KEY_ID BASE64_32_BYTES`";
    let keys = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|line| {
            let (kid, b64) = line.trim().split_once(' ').ok_or_else(|| malformed(path, what))?;
            Ok((kid.to_owned(), decode_32(path, b64, what)?))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if keys.is_empty() {
        return Err(malformed(path, what));
    }
    Ok(keys)
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
        let err = load_field_keys(&path).unwrap_err();
        assert!(err.contains("field.key") && err.contains("malformed"), "{err}");
        let sig = dir.join("signing.key");
        fs::write(&sig, "AAAA\n").unwrap();
        assert!(load_signing(&sig).unwrap_err().contains("Ed25519"));
    }
}
