use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::dto::{ContactRow, FeedbackRow, PreferenceRow, PurchaseRow};
use crate::db::schema::{contacts, customers, feedback, preferences, purchases};
use crate::db::DbConnection;

/// Newest first, keyset on id (UUIDv7: creation order), by the (customer_id, id) index.
macro_rules! list_fn {
    ($name:ident, $table:ident, $row:ty) => {
        pub fn $name(
            conn: &mut DbConnection,
            customer_id: &str,
            before: Option<&str>,
            limit: i64,
        ) -> QueryResult<Vec<$row>> {
            let mut q = $table::table
                .filter($table::customer_id.eq(customer_id.to_owned()))
                .select(<$row>::as_select())
                .into_boxed();
            if let Some(b) = before {
                q = q.filter($table::id.lt(b.to_owned()));
            }
            q.order($table::id.desc()).limit(limit).load(conn)
        }
    };
}

list_fn!(purchases, purchases, PurchaseRow);
list_fn!(preferences, preferences, PreferenceRow);
list_fn!(feedback, feedback, FeedbackRow);
list_fn!(contacts, contacts, ContactRow);

pub fn insert_purchase(conn: &mut DbConnection, row: &PurchaseRow) -> QueryResult<()> {
    diesel::insert_into(purchases::table).values(row).execute(conn)?;
    // The customer's last purchase only ever moves forward (records may arrive late).
    diesel::update(
        customers::table
            .find(&row.customer_id)
            .filter(customers::last_purchase_at.is_null().or(customers::last_purchase_at.lt(row.purchased_at))),
    )
    .set(customers::last_purchase_at.eq(Some(row.purchased_at)))
    .execute(conn)
    .map(|_| ())
}

/// A purchase of the customer (for a refund naming it).
pub fn purchase_of(conn: &mut DbConnection, customer_id: &str, id: &str) -> QueryResult<Option<PurchaseRow>> {
    purchases::table
        .filter(purchases::id.eq(id))
        .filter(purchases::customer_id.eq(customer_id))
        .select(PurchaseRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_preference(conn: &mut DbConnection, row: &PreferenceRow) -> QueryResult<()> {
    diesel::insert_into(preferences::table).values(row).execute(conn).map(|_| ())
}

pub fn insert_feedback(conn: &mut DbConnection, row: &FeedbackRow) -> QueryResult<()> {
    diesel::insert_into(feedback::table).values(row).execute(conn).map(|_| ())
}

pub fn insert_contact(conn: &mut DbConnection, row: &ContactRow) -> QueryResult<()> {
    diesel::insert_into(contacts::table).values(row).execute(conn)?;
    let later = customers::last_contact_at.is_null().or(customers::last_contact_at.lt(row.occurred_at));
    if row.reached {
        diesel::update(customers::table.find(&row.customer_id).filter(later))
            .set((customers::last_contact_at.eq(Some(row.occurred_at)), customers::reachable.eq(true)))
            .execute(conn)?;
    } else if row.direction == "outbound" {
        diesel::update(customers::table.find(&row.customer_id).filter(later))
            .set(customers::reachable.eq(false))
            .execute(conn)?;
    }
    Ok(())
}

pub fn time(t: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    use chrono::{DurationRound, TimeDelta};
    let t = t.naive_utc();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}
