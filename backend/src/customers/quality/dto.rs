use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

crate::text_enum!(
    /// Fields whose values count towards the accuracy rate (and can be verified).
    QualityField {
        Name => "name",
        Gender => "gender",
        BirthDate => "birth_date",
        NationalId => "national_id",
        Mobile => "mobile",
        Email => "email",
        Address => "address",
        Occupation => "occupation",
        IncomeBand => "income_band",
    }
);

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// Filled fields just confirmed with the customer.
    #[validate(length(min = 1, max = 9))]
    #[schema(min_items = 1, max_items = 9)]
    pub fields: Vec<QualityField>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldVerification {
    pub field: String,
    pub verified_by: String,
    pub verified_at: chrono::DateTime<chrono::Utc>,
}

/// The latest quality figures of one unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitQuality {
    pub unit_id: String,
    pub unit_name: String,
    pub customers: i64,
    /// Filled fields among name, gender, birth date, national id, mobile, email, address,
    /// occupation, income band.
    pub filled: i64,
    pub verified: i64,
    /// verified / filled (0 when nothing is filled).
    pub accuracy: f64,
    pub unreachable: i64,
    pub inactive: i64,
    pub measured_at: chrono::DateTime<chrono::Utc>,
}
