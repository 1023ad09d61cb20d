use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::customers;

/// A stored customer. Sensitive columns hold ciphertexts (`crypto::field`), never clear values.
#[derive(
    Debug, Clone, Queryable, QueryableByName, Selectable, Insertable, AsChangeset, serde::Serialize, serde::Deserialize,
)]
#[diesel(table_name = customers, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct CustomerRow {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub national_id: Option<String>,
    pub national_id_bidx: Option<String>,
    pub mobile: Option<String>,
    pub mobile_bidx: Option<String>,
    pub email: Option<String>,
    pub email_bidx: Option<String>,
    pub address: Option<String>,
    pub address_region: Option<String>,
    pub occupation: Option<String>,
    pub income_band: Option<String>,
    pub customer_type: String,
    pub preferred_channel: Option<String>,
    pub source_channel: String,
    pub source_supplier: Option<String>,
    pub source_legal_basis: Option<String>,
    pub household_id: Option<String>,
    pub reachable: bool,
    pub last_contact_at: Option<NaiveDateTime>,
    pub last_purchase_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// Blind index of name + birth date (duplicate detection).
    pub identity_bidx: Option<String>,
    /// Blind index of the birth date's month and day (today's birthdays; decision 0030).
    #[serde(default)]
    pub birthday_bidx: Option<String>,
}

/// The table name bound into every ciphertext of a customer field.
pub const TABLE: &str = "customers";
