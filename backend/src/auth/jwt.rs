//! Access tokens: EdDSA JWTs with `typ: at+jwt`, pinned algorithm, required `exp nbf iss aud sub`,
//! keys chosen by `kid`. Verified tokens are cached (bounded, until `exp`) because an Ed25519
//! check costs about as much as a whole request.

use std::collections::HashMap;
use std::sync::Mutex;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::sessions::store::StaffSession;
use crate::crypto::keys::Keyring;
use crate::error::ApiError;

pub const TYP: &str = "at+jwt";
const CACHE_CAPACITY: usize = 20_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    /// The session (refresh family) this token belongs to; logout revokes it.
    pub sid: String,
    /// Username, role, unit and unit path when the token was issued. Every request re-checks
    /// them against the database (in its first database trip); a change ends the token.
    pub name: String,
    pub role: String,
    pub unit: String,
    pub path: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
}

pub struct TokenService {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    pub ttl_secs: i64,
    cache: Mutex<HashMap<[u8; 32], Claims>>,
}

impl TokenService {
    pub fn new(keys: &Keyring, issuer: &str, ttl_secs: i64) -> TokenService {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[issuer]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        TokenService {
            kid: keys.signing.kid.clone(),
            encoding: EncodingKey::from_ed_der(&keys.signing.pkcs8),
            decoding: DecodingKey::from_ed_der(&keys.signing.public),
            validation,
            issuer: issuer.to_owned(),
            ttl_secs,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn issue(&self, session_id: &str, staff: &StaffSession) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.issuer.clone(),
            sub: staff.user_id.clone(),
            sid: session_id.to_owned(),
            name: staff.username.clone(),
            role: staff.role.clone(),
            unit: staff.unit_id.clone(),
            path: staff.unit_path.clone(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_secs,
            jti: crate::db::new_id(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(TYP.to_owned());
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(ApiError::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let key: [u8; 32] = ring::digest::digest(&ring::digest::SHA256, token.as_bytes())
            .as_ref()
            .try_into()
            .map_err(ApiError::internal)?;
        let now = chrono::Utc::now().timestamp();
        if let Some(c) = self.cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
            if c.exp > now {
                return Ok(c);
            }
        }
        let claims = self.verify_uncached(token)?;
        if let Ok(mut map) = self.cache.lock() {
            if map.len() >= CACHE_CAPACITY {
                map.retain(|_, c| c.exp > now);
                if map.len() >= CACHE_CAPACITY {
                    map.clear();
                }
            }
            map.insert(key, claims.clone());
        }
        Ok(claims)
    }

    /// Signs a document other than an access token (consent receipts, self-service links) with
    /// the same key, told apart by its `typ` header so one can never pass for the other.
    pub fn sign_document(&self, typ: &str, claims: &impl Serialize) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(typ.to_owned());
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(ApiError::internal)
    }

    /// Verifies a document signed by `sign_document` with this `typ`; `exp` is checked when the
    /// document carries one and required when `expiring`.
    pub fn verify_document<T: serde::de::DeserializeOwned>(&self, typ: &str, token: &str, expiring: bool) -> Option<T> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.typ.as_deref() != Some(typ) || header.kid.as_deref() != Some(self.kid.as_str()) {
            return None;
        }
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(if expiring { &["exp", "iss"][..] } else { &["iss"][..] });
        validation.validate_exp = expiring;
        validation.validate_aud = false;
        validation.leeway = 30;
        jsonwebtoken::decode::<T>(token, &self.decoding, &validation).ok().map(|d| d.claims)
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    fn verify_uncached(&self, token: &str) -> Result<Claims, ApiError> {
        let invalid = || ApiError::Unauthorized("token_invalid");
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        if header.typ.as_deref() != Some(TYP)
            || header.kid.as_deref() != Some(self.kid.as_str())
            || header.jku.is_some()
            || header.jwk.is_some()
        {
            return Err(invalid());
        }
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims).map_err(|_| invalid())
    }
}
