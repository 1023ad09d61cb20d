//! Erasure by anonymisation (PRV-8, retention): clear values and blind indexes are destroyed,
//! free text about the person is blanked, and what statistics need stays — the customer row
//! (unit, type, source, gender, region, dates), purchases and their amounts, consent history,
//! tickets without their words.
//! One transaction: either the whole person is gone or nothing changed.

use diesel::prelude::*;

use crate::db::schema::{
    contacts, customer_merges, customer_verifications, customers, feedback, preferences, ticket_events, tickets,
};
use crate::db::{now, DbConnection};
use crate::error::ApiError;

pub const PLACEHOLDER_NAME: &str = "(已匿名)";
/// What a merge snapshot becomes when either side is erased (undo then refuses).
pub const ERASED: &str = "{}";

/// Anonymises one customer (call inside a transaction). Returns false when it was already
/// anonymised.
pub fn anonymise(conn: &mut DbConnection, customer_id: &str) -> Result<bool, ApiError> {
    let t = now();
    let changed = diesel::update(customers::table.find(customer_id).filter(customers::anonymised_at.is_null()))
        .set((
            customers::name.eq(PLACEHOLDER_NAME),
            customers::birth_date.eq(None::<String>),
            customers::national_id.eq(None::<String>),
            customers::national_id_bidx.eq(None::<String>),
            customers::mobile.eq(None::<String>),
            customers::mobile_bidx.eq(None::<String>),
            customers::email.eq(None::<String>),
            customers::email_bidx.eq(None::<String>),
            customers::address.eq(None::<String>),
            customers::occupation.eq(None::<String>),
            customers::household_id.eq(None::<String>),
            customers::identity_bidx.eq(None::<String>),
            customers::birthday_bidx.eq(None::<String>),
            customers::source_supplier.eq(None::<String>),
            customers::reachable.eq(false),
            customers::version.eq(customers::version + 1),
            customers::updated_at.eq(t),
            customers::deleted_at.eq(Some(t)),
            customers::anonymised_at.eq(Some(t)),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::delete(preferences::table.filter(preferences::customer_id.eq(customer_id))).execute(conn)?;
    diesel::delete(customer_verifications::table.filter(customer_verifications::customer_id.eq(customer_id)))
        .execute(conn)?;
    diesel::update(feedback::table.filter(feedback::customer_id.eq(customer_id)))
        .set(feedback::content.eq(""))
        .execute(conn)?;
    diesel::update(contacts::table.filter(contacts::customer_id.eq(customer_id)))
        .set(contacts::summary.eq(""))
        .execute(conn)?;
    // Attachments go (their files with the next sweep); tickets stay for the statistics (type,
    // channel, times, satisfaction) without their words.
    crate::tickets::attachments::forget_customer(conn, customer_id)?;
    diesel::update(tickets::table.filter(tickets::customer_id.eq(customer_id)))
        .set((tickets::subject.eq(""), tickets::description.eq(None::<String>), tickets::cause.eq(None::<String>)))
        .execute(conn)?;
    diesel::update(
        ticket_events::table.filter(
            ticket_events::ticket_id
                .eq_any(tickets::table.filter(tickets::customer_id.eq(customer_id)).select(tickets::id)),
        ),
    )
    .set(ticket_events::body.eq(None::<String>))
    .execute(conn)?;
    // Merge snapshots hold the record as it was; after erasure there is nothing to restore.
    diesel::update(
        customer_merges::table
            .filter(customer_merges::target_id.eq(customer_id).or(customer_merges::source_id.eq(customer_id))),
    )
    .set(customer_merges::target_before.eq(ERASED))
    .execute(conn)?;
    Ok(true)
}
