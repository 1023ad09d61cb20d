//! Field encryption and blind indexes for sensitive personal data.
//!
//! Ciphertext format: `KID:BASE64(nonce ‖ ciphertext ‖ tag)`. The additional data binds a value
//! to its table, column and row, so ciphertexts cannot be moved between rows or columns.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hmac;

use super::keys::Keyring;

pub struct FieldCipher {
    keys: Vec<(String, LessSafeKey)>,
    /// Oldest first; the last one indexes new values.
    blind: Vec<(String, hmac::Key)>,
    /// Benchmark B8 only ("the same build with encryption off"); never set from configuration.
    plaintext: bool,
}

const PLAIN: &str = "plain:";

#[derive(Debug, PartialEq, Eq)]
pub enum CipherError {
    UnknownKey,
    Malformed,
    Tampered,
}

fn aad(table: &str, column: &str, row_id: &str) -> Vec<u8> {
    format!("{table}|{column}|{row_id}").into_bytes()
}

impl FieldCipher {
    pub fn new(ring_: &Keyring) -> FieldCipher {
        let keys = ring_
            .field_keys
            .iter()
            .map(|(kid, k)| {
                let key = UnboundKey::new(&AES_256_GCM, k).expect("32-byte AES key");
                (kid.clone(), LessSafeKey::new(key))
            })
            .collect();
        let blind =
            ring_.blind_index_keys.iter().map(|(kid, k)| (kid.clone(), hmac::Key::new(hmac::HMAC_SHA256, k))).collect();
        FieldCipher { keys, blind, plaintext: false }
    }

    /// A cipher that stores values in clear, for the encryption-off side of benchmark B8. Only
    /// `guanxi bench` builds one; a normal cipher refuses its values (`plain` is no key id).
    pub fn without_encryption_for_bench(ring_: &Keyring) -> FieldCipher {
        FieldCipher { plaintext: true, ..FieldCipher::new(ring_) }
    }

    pub fn encrypt(&self, table: &str, column: &str, row_id: &str, plain: &str) -> String {
        if self.plaintext {
            return format!("{PLAIN}{plain}");
        }
        let (kid, key) = self.keys.last().expect("at least one field key");
        let nonce_bytes = super::random_bytes::<NONCE_LEN>();
        let mut buf = plain.as_bytes().to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(aad(table, column, row_id)),
            &mut buf,
        )
        .expect("AES-GCM seal");
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&buf);
        format!("{kid}:{}", STANDARD.encode(out))
    }

    pub fn decrypt(&self, table: &str, column: &str, row_id: &str, stored: &str) -> Result<String, CipherError> {
        if self.plaintext {
            return stored.strip_prefix(PLAIN).map(str::to_owned).ok_or(CipherError::Malformed);
        }
        let (kid, b64) = stored.split_once(':').ok_or(CipherError::Malformed)?;
        let key = self.keys.iter().find(|(k, _)| k == kid).map(|(_, k)| k).ok_or(CipherError::UnknownKey)?;
        let raw = STANDARD.decode(b64).map_err(|_| CipherError::Malformed)?;
        if raw.len() < NONCE_LEN {
            return Err(CipherError::Malformed);
        }
        let (nonce, body) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| CipherError::Malformed)?;
        let mut body = body.to_vec();
        let plain = key
            .open_in_place(nonce, Aad::from(aad(table, column, row_id)), &mut body)
            .map_err(|_| CipherError::Tampered)?;
        String::from_utf8(plain.to_vec()).map_err(|_| CipherError::Malformed)
    }

    /// Seals bytes (a job's file) with the newest field key: `KID:` ‖ nonce ‖ ciphertext ‖ tag,
    /// bound to `context` (the file and part it is), so parts cannot be swapped or moved.
    pub fn seal_bytes(&self, context: &str, plain: &[u8]) -> Vec<u8> {
        let (kid, key) = self.keys.last().expect("at least one field key");
        let nonce_bytes = super::random_bytes::<NONCE_LEN>();
        let mut buf = plain.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(context.as_bytes()),
            &mut buf,
        )
        .expect("AES-GCM seal");
        let mut out = Vec::with_capacity(kid.len() + 1 + NONCE_LEN + buf.len());
        out.extend_from_slice(kid.as_bytes());
        out.push(b':');
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&buf);
        out
    }

    /// Opens what `seal_bytes` sealed for the same `context`.
    pub fn open_bytes(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, CipherError> {
        let colon = sealed.iter().position(|b| *b == b':').ok_or(CipherError::Malformed)?;
        let kid = std::str::from_utf8(&sealed[..colon]).map_err(|_| CipherError::Malformed)?;
        let key = self.keys.iter().find(|(k, _)| k == kid).map(|(_, k)| k).ok_or(CipherError::UnknownKey)?;
        let rest = &sealed[colon + 1..];
        if rest.len() < NONCE_LEN {
            return Err(CipherError::Malformed);
        }
        let (nonce, body) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| CipherError::Malformed)?;
        let mut body = body.to_vec();
        let plain =
            key.open_in_place(nonce, Aad::from(context.as_bytes()), &mut body).map_err(|_| CipherError::Tampered)?;
        Ok(plain.to_vec())
    }

    /// The id of the key new values are encrypted with.
    pub fn field_key_id(&self) -> &str {
        &self.keys.last().expect("at least one field key").0
    }

    pub fn field_key_ids(&self) -> Vec<String> {
        self.keys.iter().map(|(k, _)| k.clone()).collect()
    }

    pub fn blind_key_ids(&self) -> Vec<String> {
        self.blind.iter().map(|(k, _)| k.clone()).collect()
    }

    /// The id of the key new blind indexes are computed with.
    pub fn blind_key_id(&self) -> &str {
        &self.blind.last().expect("at least one blind-index key").0
    }

    /// A stored value encrypted anew with the newest key, or None when it already uses it.
    pub fn reseal(&self, table: &str, column: &str, row_id: &str, stored: &str) -> Result<Option<String>, CipherError> {
        if self.plaintext || stored.split_once(':').is_some_and(|(kid, _)| kid == self.field_key_id()) {
            return Ok(None);
        }
        let clear = self.decrypt(table, column, row_id, stored)?;
        Ok(Some(self.encrypt(table, column, row_id, &clear)))
    }

    /// HMAC-SHA256 of a normalised value, truncated to 16 bytes, for exact lookups.
    pub fn blind_index(&self, column: &str, normalised: &str) -> String {
        let (_, key) = self.blind.last().expect("at least one blind-index key");
        Self::index_with(key, column, normalised)
    }

    /// The value's blind index under every key, newest first: during a blind-index rotation a
    /// row not yet re-indexed still carries an older key's index.
    pub fn blind_indexes(&self, column: &str, normalised: &str) -> Vec<String> {
        self.blind.iter().rev().map(|(_, key)| Self::index_with(key, column, normalised)).collect()
    }

    fn index_with(key: &hmac::Key, column: &str, normalised: &str) -> String {
        let tag = hmac::sign(key, format!("{column}\u{0}{normalised}").as_bytes());
        super::hex(&tag.as_ref()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keys::SigningKey;

    fn keyring() -> Keyring {
        Keyring {
            signing: SigningKey { kid: "t".into(), pkcs8: vec![], public: vec![] },
            field_keys: vec![("k1".into(), [7u8; 32])],
            blind_index_keys: vec![("b1".into(), [9u8; 32])],
        }
    }

    #[test]
    fn round_trip_and_binding_to_the_row() {
        let c = FieldCipher::new(&keyring());
        let ct = c.encrypt("customers", "mobile", "row-1", "+8613812341234");
        assert!(ct.starts_with("k1:"));
        assert!(!ct.contains("13812341234"));
        assert_eq!(c.decrypt("customers", "mobile", "row-1", &ct).unwrap(), "+8613812341234");
        assert_eq!(c.decrypt("customers", "mobile", "row-2", &ct), Err(CipherError::Tampered));
        assert_eq!(c.decrypt("customers", "email", "row-1", &ct), Err(CipherError::Tampered));
        assert_eq!(c.decrypt("customers", "mobile", "row-1", "k9:AAAA"), Err(CipherError::UnknownKey));
    }

    #[test]
    fn bytes_round_trip_bound_to_their_context() {
        let c = FieldCipher::new(&keyring());
        let sealed = c.seal_bytes("job|a.csv|0", "张三,13812341234".as_bytes());
        assert!(sealed.starts_with(b"k1:"));
        assert!(!sealed.windows(11).any(|w| w == b"13812341234"));
        assert_eq!(c.open_bytes("job|a.csv|0", &sealed).unwrap(), "张三,13812341234".as_bytes());
        assert_eq!(c.open_bytes("job|a.csv|1", &sealed), Err(CipherError::Tampered));
        assert_eq!(c.open_bytes("job|a.csv|0", b"k9:xxxxxxxxxxxxxxxx"), Err(CipherError::UnknownKey));
    }

    #[test]
    fn a_real_cipher_refuses_bench_plaintext() {
        let bench = FieldCipher::without_encryption_for_bench(&keyring());
        let stored = bench.encrypt("customers", "mobile", "row-1", "+8613812341234");
        assert_eq!(bench.decrypt("customers", "mobile", "row-1", &stored).unwrap(), "+8613812341234");
        let real = FieldCipher::new(&keyring());
        assert_eq!(real.decrypt("customers", "mobile", "row-1", &stored), Err(CipherError::UnknownKey));
    }

    #[test]
    fn blind_index_is_deterministic_and_column_bound() {
        let c = FieldCipher::new(&keyring());
        let a = c.blind_index("mobile", "+8613812341234");
        assert_eq!(a, c.blind_index("mobile", "+8613812341234"));
        assert_ne!(a, c.blind_index("email", "+8613812341234"));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn after_rotation_new_values_use_the_new_keys_and_old_ones_still_open() {
        let old = FieldCipher::new(&keyring());
        let ct = old.encrypt("customers", "mobile", "row-1", "+8613812341234");
        let mut ring_ = keyring();
        ring_.field_keys.push(("k2".into(), [8u8; 32]));
        ring_.blind_index_keys.push(("b2".into(), [10u8; 32]));
        let new = FieldCipher::new(&ring_);
        assert_eq!(new.decrypt("customers", "mobile", "row-1", &ct).unwrap(), "+8613812341234");
        let resealed = new.reseal("customers", "mobile", "row-1", &ct).unwrap().expect("k1 is not the newest");
        assert!(resealed.starts_with("k2:"));
        assert_eq!(new.reseal("customers", "mobile", "row-1", &resealed).unwrap(), None);
        assert_eq!(old.decrypt("customers", "mobile", "row-1", &resealed), Err(CipherError::UnknownKey));
        let both = new.blind_indexes("mobile", "+8613812341234");
        assert_eq!(both, [new.blind_index("mobile", "+8613812341234"), old.blind_index("mobile", "+8613812341234")]);
        assert_ne!(both[0], both[1]);
    }
}
