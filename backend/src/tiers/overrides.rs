//! A manager's tier for one customer (SEG-1 "overridable"): with a reason and an expiry, audited,
//! shown as an override. Runs go on scoring the customer; while the override lasts it is the
//! tier the customer has — on the customer page, in list filters and in segment rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::customers::dto::TierLetter;
use crate::db::schema::tier_overrides;
use crate::db::{new_id, DbConnection};
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tier_overrides)]
pub struct OverrideRow {
    pub id: String,
    pub customer_id: String,
    pub tier: String,
    pub reason: String,
    pub expires_at: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetOverride {
    pub tier: TierLetter,
    /// Why, for whoever reads the customer's tier later (kept in the audit trail too).
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reason: String,
    /// How long it lasts; afterwards the computed tier shows again.
    #[validate(range(min = 1, max = 730))]
    #[schema(minimum = 1, maximum = 730)]
    pub days: u32,
}

fn not_blank(s: &str) -> Result<(), validator::ValidationError> {
    if s.trim().is_empty() {
        return Err(validator::ValidationError::new("blank"));
    }
    Ok(())
}

/// An override as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierOverride {
    pub tier: String,
    pub reason: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<OverrideRow> for TierOverride {
    fn from(r: OverrideRow) -> Self {
        TierOverride {
            tier: r.tier,
            reason: r.reason,
            expires_at: r.expires_at.and_utc(),
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
        }
    }
}

/// The customer's override in force at `now`.
pub fn active(conn: &mut DbConnection, customer_id: &str, now: NaiveDateTime) -> QueryResult<Option<OverrideRow>> {
    tier_overrides::table
        .filter(tier_overrides::customer_id.eq(customer_id))
        .filter(tier_overrides::ended_at.is_null())
        .filter(tier_overrides::expires_at.gt(now))
        .order(tier_overrides::id.desc())
        .select(OverrideRow::as_select())
        .first(conn)
        .optional()
}

fn end_all(conn: &mut DbConnection, customer_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        tier_overrides::table
            .filter(tier_overrides::customer_id.eq(customer_id))
            .filter(tier_overrides::ended_at.is_null()),
    )
    .set(tier_overrides::ended_at.eq(now))
    .execute(conn)
}

/// Sets the customer's override (ending any earlier one).
pub fn set(
    conn: &mut DbConnection,
    p: &Principal,
    customer_id: &str,
    body: SetOverride,
) -> Result<OverrideRow, ApiError> {
    body.validate()?;
    let at = crate::db::now();
    end_all(conn, customer_id, at)?;
    let row = OverrideRow {
        id: new_id(),
        customer_id: customer_id.to_owned(),
        tier: body.tier.as_str().to_owned(),
        reason: body.reason.trim().to_owned(),
        expires_at: at + chrono::Duration::days(i64::from(body.days)),
        created_by: p.id.clone(),
        created_at: at,
        ended_at: None,
    };
    diesel::insert_into(tier_overrides::table).values(&row).execute(conn)?;
    let event = Event::new("tiers.override", "customer", Some(customer_id)).fields(&["tier", "reason", "expires_at"]);
    audit::append(conn, &p.actor(), event)?;
    Ok(row)
}

/// Ends the customer's override now; 404 when none is in force.
pub fn end(conn: &mut DbConnection, p: &Principal, customer_id: &str) -> Result<(), ApiError> {
    let at = crate::db::now();
    active(conn, customer_id, at)?.ok_or(ApiError::NotFound)?;
    end_all(conn, customer_id, at)?;
    audit::append(conn, &p.actor(), Event::new("tiers.override_end", "customer", Some(customer_id)))?;
    Ok(())
}
