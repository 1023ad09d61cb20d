//! Request and response bodies for customers. Requests reject unknown fields: `id`, `unit_id`,
//! `version` and audit fields are set by the server only.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::domain::checks;
use crate::http::patch;

// The coded values of a customer's fields live in `codes` (a segment rule checks them too).
pub use super::codes::{ContactChannel, CustomerType, Gender, IncomeBand, SourceChannel};

crate::text_enum!(
    /// Why a full value is revealed; recorded in the audit log.
    RevealPurpose {
        ServiceRequest => "service_request",
        IdentityVerification => "identity_verification",
        ComplaintHandling => "complaint_handling",
        LegalRequest => "legal_request",
        DataSubjectRequest => "data_subject_request",
    }
);

/// Where a record came from. A purchased third-party list needs the supplier and legal basis.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "third_party_names_its_supplier"))]
pub struct Source {
    pub channel: SourceChannel,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub supplier: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub legal_basis: Option<String>,
}

fn third_party_names_its_supplier(source: &Source) -> Result<(), validator::ValidationError> {
    if source.channel == SourceChannel::ThirdParty && (source.supplier.is_none() || source.legal_basis.is_none()) {
        return Err(validator::ValidationError::new("third_party"));
    }
    Ok(())
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCustomer {
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub name: String,
    pub gender: Option<Gender>,
    /// YYYY-MM-DD; derived from the national id when that is given.
    #[validate(custom(function = "checks::birth_date"))]
    #[schema(format = Date)]
    pub birth_date: Option<String>,
    /// Mainland resident id (18 characters, GB 11643 check digit).
    #[validate(custom(function = "checks::national_id"))]
    #[schema(pattern = r"^[ \t\n\r\u3000]*[0-9]{17}[0-9Xx][ \t\n\r\u3000]*$", min_length = 18)]
    pub national_id: Option<String>,
    /// Mainland mobile; stored as E.164.
    #[validate(custom(function = "checks::mobile"))]
    #[schema(
        pattern = r"^[ ()-]*((\+|0[ ()-]*0)[ ()-]*8[ ()-]*6[ ()-]*)?(8[ ()-]*6[ ()-]*)?1[ ()-]*[3-9]([ ()-]*[0-9]){9}[ ()-]*$",
        min_length = 11
    )]
    pub mobile: Option<String>,
    #[validate(custom(function = "checks::email"))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub address: Option<String>,
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub occupation: Option<String>,
    pub income_band: Option<IncomeBand>,
    pub customer_type: CustomerType,
    pub preferred_channel: Option<ContactChannel>,
    #[validate(nested)]
    pub source: Source,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub household_id: Option<String>,
    /// Up to 20 tags of 1–32 characters. Latin letters are stored in lower case (`VIP` is `vip`).
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    #[serde(default)]
    pub tags: Vec<String>,
    /// Responsible staff (default: the creator). Must be active users of the caller's scope.
    #[validate(length(max = 10))]
    #[schema(max_items = 10)]
    #[serde(default)]
    pub owner_ids: Vec<String>,
}

/// A JSON merge patch: an absent field stays as it is, `null` clears an optional field (the
/// name, type, source, reachability, tags and owners cannot be cleared), a value replaces it.
#[derive(Debug, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomer {
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    #[serde(default, deserialize_with = "patch::required")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub gender: Option<Option<Gender>>,
    #[validate(custom(function = "checks::birth_date"))]
    #[schema(format = Date)]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub birth_date: Option<Option<String>>,
    #[validate(custom(function = "checks::national_id"))]
    #[schema(pattern = r"^[ \t\n\r\u3000]*[0-9]{17}[0-9Xx][ \t\n\r\u3000]*$", min_length = 18)]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub national_id: Option<Option<String>>,
    #[validate(custom(function = "checks::mobile"))]
    #[schema(
        pattern = r"^[ ()-]*((\+|0[ ()-]*0)[ ()-]*8[ ()-]*6[ ()-]*)?(8[ ()-]*6[ ()-]*)?1[ ()-]*[3-9]([ ()-]*[0-9]){9}[ ()-]*$",
        min_length = 11
    )]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub mobile: Option<Option<String>>,
    #[validate(custom(function = "checks::email"))]
    #[schema(format = Email, max_length = 254)]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub email: Option<Option<String>>,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub address: Option<Option<String>>,
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub occupation: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub income_band: Option<Option<IncomeBand>>,
    #[serde(default, deserialize_with = "patch::required")]
    #[schema(nullable = false)]
    pub customer_type: Option<CustomerType>,
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub preferred_channel: Option<Option<ContactChannel>>,
    #[validate(nested)]
    #[serde(default, deserialize_with = "patch::required")]
    #[schema(nullable = false)]
    pub source: Option<Source>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    #[serde(default, deserialize_with = "patch::nullable")]
    #[schema(nullable)]
    pub household_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::required")]
    #[schema(nullable = false)]
    pub reachable: Option<bool>,
    /// Replaces the tags (Latin letters stored in lower case).
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    #[serde(default, deserialize_with = "patch::required")]
    #[schema(nullable = false)]
    pub tags: Option<Vec<String>>,
    /// Replaces the responsible staff.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    #[serde(default, deserialize_with = "patch::required")]
    #[schema(nullable = false)]
    pub owner_ids: Option<Vec<String>>,
}

/// A customer as the caller's role may see it: sensitive fields masked (SECURITY.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct Customer {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<String>,
    pub national_id: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub occupation: Option<String>,
    pub income_band: Option<IncomeBand>,
    pub customer_type: CustomerType,
    pub preferred_channel: Option<ContactChannel>,
    pub source: Source,
    pub household_id: Option<String>,
    pub tags: Vec<String>,
    pub owner_ids: Vec<String>,
    pub reachable: bool,
    pub last_contact_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_purchase_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Search: a whole mobile, email or resident id (matched through its blind index), or else
    /// text found anywhere in the name (3 or more characters; a shorter term matches the start of
    /// the name). Parts of an encrypted value are not searchable.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Name starts with this.
    pub name: Option<String>,
    /// Exact mobile (any common format), matched through its blind index.
    #[param(
        pattern = r"^[ ()-]*((\+|0[ ()-]*0)[ ()-]*8[ ()-]*6[ ()-]*)?(8[ ()-]*6[ ()-]*)?1[ ()-]*[3-9]([ ()-]*[0-9]){9}[ ()-]*$"
    )]
    pub mobile: Option<String>,
    /// Exact email, matched through its blind index.
    #[param(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// Exact resident id (with a valid check character), matched through its blind index.
    #[param(pattern = r"^[ \t\n\r\u3000]*[0-9]{17}[0-9Xx][ \t\n\r\u3000]*$")]
    pub national_id: Option<String>,
    /// Customers with this tag; Latin letters match in either case.
    pub tag: Option<String>,
    pub owner_id: Option<String>,
    pub unit_id: Option<String>,
    /// Members of one household (CUS-6).
    pub household_id: Option<String>,
    pub channel: Option<SourceChannel>,
    /// Customers of this value tier (`GET /customers/{id}/tier`).
    pub tier: Option<TierLetter>,
    /// Customers of this member level (last applied run, after its grace).
    pub level: Option<super::codes::MemberLevel>,
    /// Customers of this value band.
    pub band: Option<super::codes::ValueBand>,
    /// Customers at this point of their lifecycle.
    pub lifecycle: Option<super::codes::Lifecycle>,
    /// Members of this saved segment (`/segments/{id}`), evaluated now; one the caller does not
    /// see selects nobody.
    pub segment_id: Option<String>,
    pub reachable: Option<bool>,
    /// Created at or after (RFC 3339).
    pub created_from: Option<chrono::DateTime<chrono::Utc>>,
    /// Created before (RFC 3339).
    pub created_to: Option<chrono::DateTime<chrono::Utc>>,
    pub sort: Option<super::store::Sort>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

crate::text_enum!(
    /// The fields a reveal can show in full: the masked ones.
    RevealField {
        NationalId => "national_id",
        Mobile => "mobile",
        Email => "email",
        Address => "address",
        BirthDate => "birth_date",
        Name => "name",
    }
);

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    #[validate(length(min = 1, max = 6))]
    #[schema(min_items = 1, max_items = 6)]
    pub fields: Vec<RevealField>,
    pub purpose: RevealPurpose,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub note: Option<String>,
}

/// The clear values asked for (absent when the customer has none).
#[derive(Debug, Serialize, ToSchema)]
pub struct Revealed {
    pub customer_id: String,
    #[schema(value_type = Object)]
    pub values: std::collections::BTreeMap<String, Option<String>>,
}

/// A customer who may be the same person, and why. Candidates are for a person to review; nothing
/// is ever merged automatically.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateCandidate {
    pub customer: Customer,
    /// Any of mobile, email, national_id, name_birth_date.
    pub reasons: Vec<String>,
}

/// One change in a customer's history: what was done, by whom, to which fields (never values).
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    /// customer.create, customer.update, customer.reveal, customer.merge, consent.grant,
    /// consent.withdraw, customer.purchase.create, customer.contact.create, privacy_request.create, …
    pub action: String,
    pub actor_id: Option<String>,
    /// staff, integration (an API key), customer (through a self-service link), system.
    pub actor_kind: String,
    /// The acting person's display name (absent for keys, the customer themself and the system).
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub fields: Vec<String>,
    pub purpose: Option<String>,
}

/// How many customers a list's filters select.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerCount {
    /// Exact when `exact`; otherwise the cap (10,000) — there are more.
    pub count: i64,
    pub exact: bool,
}

/// A value tier (SEG-1), as its capital letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TierLetter {
    A,
    B,
    C,
    D,
}

impl TierLetter {
    pub fn as_str(self) -> &'static str {
        match self {
            TierLetter::A => "A",
            TierLetter::B => "B",
            TierLetter::C => "C",
            TierLetter::D => "D",
        }
    }
}

/// Where a merged customer's record went.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergedInto {
    pub merged_into: String,
}

/// One change to many customers at once (the rows selected in the list).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkUpdate {
    /// The customers; each must be one the caller may change, or nothing changes.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_items = 1, max_items = 200)]
    pub ids: Vec<String>,
    /// Tags added to each customer (the tags they have stay).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub add_tags: Vec<String>,
    /// Replaces each customer's account managers.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub owner_ids: Option<Vec<String>>,
}

/// What a bulk change did.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub updated: usize,
}
