//! Tokens that must be refused: expired, wrongly signed, `alg: none`, wrong audience or issuer,
//! wrong type, HMAC with the public key, a refresh token used as an access token.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::signature::Ed25519KeyPair;
use serde_json::{json, Value};

use crate::helpers::{Db, TestApp, ADMIN_PASSWORD};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(claims: &Value, key: &EncodingKey, kid: &str, typ: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    header.typ = typ.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

#[actix_web::test]
async fn forged_and_stale_tokens_are_refused() {
    let app = TestApp::start(Db::Sqlite, &[]).await;
    let (good, refresh) = app.login("admin", ADMIN_PASSWORD).await;
    app.get("/api/v1/me", &good).await.expect(200);
    let claims = claims_of(&good);
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(good.split('.').next().unwrap()).unwrap()).unwrap();
    let kid = header["kid"].as_str().unwrap();
    let pkcs8 =
        STANDARD.decode(std::fs::read_to_string(app.data_dir.join("keys/signing.key")).unwrap().trim()).unwrap();
    let real = EncodingKey::from_ed_der(&pkcs8);
    let now = chrono::Utc::now().timestamp();

    // Sanity: our own re-signing of the same claims is accepted, so each refusal below is about
    // the one thing changed.
    app.get("/api/v1/me", &sign(&claims, &real, kid, Some("at+jwt"))).await.expect(200);

    let mut expired = claims.clone();
    expired["exp"] = json!(now - 3600);
    expired["nbf"] = json!(now - 7200);
    let mut future = claims.clone();
    future["nbf"] = json!(now + 3600);
    let mut wrong_aud = claims.clone();
    wrong_aud["aud"] = json!("another-service");
    let mut wrong_iss = claims.clone();
    wrong_iss["iss"] = json!("someone-else");
    let mut no_exp = claims.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    let mut string_exp = claims.clone();
    string_exp["exp"] = json!((now + 600).to_string());

    let other_pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let other = EncodingKey::from_ed_der(other_pkcs8.as_ref());

    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"at+jwt"}"#);
    let body = good.split('.').nth(1).unwrap();
    let alg_none = format!("{none_header}.{body}.");

    let public = app.state.keys.signing.public.clone();
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some(kid.to_owned());
    hs.typ = Some("at+jwt".into());
    let hmac_with_public = jsonwebtoken::encode(&hs, &claims, &EncodingKey::from_secret(&public)).unwrap();

    let cases = [
        ("expired", sign(&expired, &real, kid, Some("at+jwt"))),
        ("not yet valid", sign(&future, &real, kid, Some("at+jwt"))),
        ("wrong audience", sign(&wrong_aud, &real, kid, Some("at+jwt"))),
        ("wrong issuer", sign(&wrong_iss, &real, kid, Some("at+jwt"))),
        ("no exp", sign(&no_exp, &real, kid, Some("at+jwt"))),
        ("string exp", sign(&string_exp, &real, kid, Some("at+jwt"))),
        ("wrongly signed", sign(&claims, &other, kid, Some("at+jwt"))),
        ("unknown kid", sign(&claims, &real, "someone-elses-key", Some("at+jwt"))),
        ("no typ", sign(&claims, &real, kid, None)),
        ("plain JWT typ", sign(&claims, &real, kid, Some("JWT"))),
        ("alg none", alg_none),
        ("HS256 with the public key", hmac_with_public),
        ("refresh token as access token", refresh),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (what, token) in cases {
        let r = app.get("/api/v1/me", &token).await;
        assert_eq!(r.status.as_u16(), 401, "{what} must be refused");
    }
    // Tokens are taken from the Authorization header only, never from the URL.
    app.send("GET", &format!("/api/v1/me?access_token={good}"), None, None, &[]).await.problem(401);
}
