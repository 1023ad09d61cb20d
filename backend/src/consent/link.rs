//! Self-service consent (issue 4 §5): a signed, expiring link lets a customer see and change
//! their own consents and read who received their data, without a staff account. The link is a
//! JWS of its own type, so it is never an access token and an access token is never a link.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::*;
use super::{service, store};
use crate::audit::Actor;
use crate::auth::jwt::TokenService;
use crate::customers::model::CustomerRow;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::partners::model::Share;

pub const LINK_TYP: &str = "consent-link+jwt";
const DISCLOSURES_SHOWN: i64 = 100;

#[derive(Debug, Serialize, Deserialize)]
struct LinkClaims {
    iss: String,
    sub: String,
    jti: String,
    iat: i64,
    exp: i64,
}

#[derive(Debug, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueLink {
    /// How long the link works: 1 to 30 days (default 7).
    #[validate(range(min = 1, max = 30))]
    #[schema(minimum = 1, maximum = 30)]
    pub valid_days: Option<i64>,
}

/// A link to hand to the customer (by SMS, email or on paper as a QR code). The token travels
/// in the URL fragment, which browsers never send to a server, so it stays out of access logs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentLink {
    pub token: String,
    /// The SPA path of the public page, token included.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// What the customer sees on the public page. No identifier beyond a masked name.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfServiceView {
    pub display_name: String,
    pub controller: String,
    /// The privacy notice in force for the customer's unit.
    pub notice: Option<Notice>,
    /// Purposes the customer can decide on here.
    pub purposes: Vec<String>,
    pub current: Vec<Consent>,
    pub history: Vec<Consent>,
    /// Who received the customer's data, when and why (newest first).
    pub disclosures: Vec<Share>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfServiceChoice {
    pub purpose: Purpose,
    pub granted: bool,
}

/// The recorded choice and its signed receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfServiceResult {
    pub consent: Consent,
    pub receipt: Receipt,
}

pub fn issue(tokens: &TokenService, customer: &CustomerRow, valid_days: i64) -> Result<ConsentLink, ApiError> {
    issue_as(tokens, LINK_TYP, "/self-service/consent", &customer.id, valid_days)
}

/// A signed link of type `typ` (its audience: consent, tickets) to the SPA page at `path`.
pub fn issue_as(
    tokens: &TokenService,
    typ: &str,
    path: &str,
    customer_id: &str,
    valid_days: i64,
) -> Result<ConsentLink, ApiError> {
    let now = Utc::now();
    let expires_at = now + Duration::days(valid_days);
    let claims = LinkClaims {
        iss: tokens.issuer().to_owned(),
        sub: customer_id.to_owned(),
        jti: crate::db::new_id(),
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
    };
    let token = tokens.sign_document(typ, &claims)?;
    Ok(ConsentLink { url: format!("{path}#{token}"), token, expires_at })
}

/// The customer a link is for, with its expiry; 401 for a bad or expired link, 404 once the
/// customer was deleted or anonymised (both set `deleted_at`; a merge leads on instead).
pub fn open(
    conn: &mut DbConnection,
    tokens: &TokenService,
    token: &str,
) -> Result<(CustomerRow, DateTime<Utc>), ApiError> {
    open_as(conn, tokens, LINK_TYP, token)
}

/// `open` for a link of type `typ`: a link of another audience is 401 here.
pub fn open_as(
    conn: &mut DbConnection,
    tokens: &TokenService,
    typ: &str,
    token: &str,
) -> Result<(CustomerRow, DateTime<Utc>), ApiError> {
    let claims: LinkClaims = tokens.verify_document(typ, token, true).ok_or(ApiError::Unauthorized("link_invalid"))?;
    // A link sent before the customer's record was merged opens the record it was merged into.
    let id = crate::customers::merge::service::merged_into(conn, &claims.sub)?.unwrap_or(claims.sub);
    let customer = crate::customers::store::get_with_path(conn, &id)?.map(|(c, _)| c).ok_or(ApiError::NotFound)?;
    let expires = DateTime::from_timestamp(claims.exp, 0).unwrap_or_else(Utc::now);
    Ok((customer, expires))
}

/// The customer as an audit actor: choices made on the public page are theirs.
pub fn actor(customer: &CustomerRow, ip: &str) -> Actor {
    Actor {
        id: Some(customer.id.clone()),
        kind: "customer".into(),
        unit_id: Some(customer.unit_id.clone()),
        ..Actor::anonymous(ip, crate::request::id())
    }
}

pub fn view(
    conn: &mut DbConnection,
    customer: &CustomerRow,
    expires_at: DateTime<Utc>,
) -> Result<SelfServiceView, ApiError> {
    let overview = service::overview(conn, &customer.id)?;
    let lineage = service::lineage(conn, &customer.unit_id)?;
    let notice = store::current_notice(conn, &lineage)?.map(Notice::from);
    let controller = crate::org::store::unit(conn, &customer.unit_id)?.map(|u| u.name).unwrap_or_default();
    // The fixed purposes, and every partner the customer has ever decided on (to withdraw).
    let mut purposes: Vec<String> = Purpose::FIXED.iter().map(|p| (*p).to_owned()).collect();
    for c in &overview.current {
        if !purposes.contains(&c.purpose) {
            purposes.push(c.purpose.clone());
        }
    }
    let disclosures = crate::partners::store::shares(conn, None, None, Some(&customer.id), None, DISCLOSURES_SHOWN)?
        .into_iter()
        .map(Share::from)
        .collect();
    Ok(SelfServiceView {
        display_name: crate::customers::mask::name(&customer.name, crate::customers::mask::View::Frontline),
        controller,
        notice,
        purposes,
        current: overview.current,
        history: overview.history,
        disclosures,
        expires_at,
    })
}

/// Records the customer's own choice (channel `self_service`, no staff member) and signs its
/// receipt.
pub fn choose(
    conn: &mut DbConnection,
    tokens: &TokenService,
    actor: &Actor,
    customer: &CustomerRow,
    choice: SelfServiceChoice,
) -> Result<SelfServiceResult, ApiError> {
    let input = RecordConsent {
        purpose: choice.purpose,
        granted: choice.granted,
        channel: ConsentChannel::SelfService,
        evidence: Some("self-service page".into()),
        notice_id: None,
        scope: None,
    };
    let row = service::append(conn, actor, customer, input, None)?;
    let receipt = service::receipt(conn, tokens, customer, &row.id)?;
    Ok(SelfServiceResult { consent: Consent::from(row), receipt })
}
