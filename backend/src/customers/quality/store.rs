use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::schema::{customer_tags, customer_verifications, customers, quality_reports, units};
use crate::db::{now, DbConnection};
use crate::org::scope::Scope;

pub const INACTIVE_TAG: &str = "inactive";

pub fn verify(conn: &mut DbConnection, customer_id: &str, fields: &[String], by: &str) -> QueryResult<()> {
    let t = now();
    for f in fields {
        diesel::delete(customer_verifications::table.find((customer_id, f))).execute(conn)?;
        diesel::insert_into(customer_verifications::table)
            .values((
                customer_verifications::customer_id.eq(customer_id),
                customer_verifications::field.eq(f),
                customer_verifications::verified_by.eq(by),
                customer_verifications::verified_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A changed value is no longer the verified one.
pub fn unverify(conn: &mut DbConnection, customer_id: &str, fields: &[&str]) -> QueryResult<()> {
    diesel::delete(
        customer_verifications::table
            .filter(customer_verifications::customer_id.eq(customer_id))
            .filter(customer_verifications::field.eq_any(fields)),
    )
    .execute(conn)
    .map(|_| ())
}

pub fn verifications(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    customer_verifications::table
        .filter(customer_verifications::customer_id.eq(customer_id))
        .order(customer_verifications::field)
        .select((
            customer_verifications::field,
            customer_verifications::verified_by,
            customer_verifications::verified_at,
        ))
        .load(conn)
}

/// Live customers of the scope with no mobile, email or address but still marked reachable.
pub fn channelless(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<(String, String, i64)>> {
    customers::table
        .filter(customers::deleted_at.is_null())
        .filter(customers::reachable.eq(true))
        .filter(customers::mobile.is_null())
        .filter(customers::email.is_null())
        .filter(customers::address.is_null())
        .filter(customers::unit_id.eq_any(scope.unit_ids()))
        .select((customers::id, customers::unit_id, customers::version))
        .load(conn)
}

pub fn mark_unreachable(conn: &mut DbConnection, ids: &[String]) -> QueryResult<()> {
    for chunk in ids.chunks(1000) {
        diesel::update(customers::table.filter(customers::id.eq_any(chunk)))
            .set((
                customers::reachable.eq(false),
                customers::version.eq(customers::version + 1),
                customers::updated_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Re-tags the scope's long-inactive customers (created, last purchase and last contact all
/// before `cutoff`) in two set-based statements; returns how many carry the tag now.
pub fn retag_inactive(conn: &mut DbConnection, scope: &Scope, cutoff: NaiveDateTime) -> QueryResult<i64> {
    let scope_customers = customers::table.filter(customers::unit_id.eq_any(scope.unit_ids())).select(customers::id);
    diesel::delete(
        customer_tags::table
            .filter(customer_tags::tag.eq(INACTIVE_TAG))
            .filter(customer_tags::customer_id.eq_any(scope_customers)),
    )
    .execute(conn)?;
    let inactive = customers::table
        .filter(customers::deleted_at.is_null())
        .filter(customers::unit_id.eq_any(scope.unit_ids()))
        .filter(customers::created_at.lt(cutoff))
        .filter(customers::last_purchase_at.is_null().or(customers::last_purchase_at.lt(cutoff)))
        .filter(customers::last_contact_at.is_null().or(customers::last_contact_at.lt(cutoff)))
        .select((customers::id, INACTIVE_TAG.into_sql::<diesel::sql_types::Text>()));
    let n = diesel::insert_into(customer_tags::table)
        .values(inactive)
        .into_columns((customer_tags::customer_id, customer_tags::tag))
        .execute(conn)?;
    Ok(n as i64)
}

pub type PerUnit = HashMap<String, i64>;

fn grouped<Q>(conn: &mut DbConnection, q: Q) -> QueryResult<PerUnit>
where
    Q: diesel::query_dsl::LoadQuery<'static, DbConnection, (String, i64)>,
{
    Ok(q.load::<(String, i64)>(conn)?.into_iter().collect())
}

/// Per-unit figures of the scope: (customers, filled, verified, unreachable, inactive).
pub fn measure(conn: &mut DbConnection, scope: &Scope) -> QueryResult<HashMap<String, [i64; 5]>> {
    let live =
        || customers::table.filter(customers::deleted_at.is_null()).filter(customers::unit_id.eq_any(scope.unit_ids()));
    let total = grouped(conn, live().group_by(customers::unit_id).select((customers::unit_id, count_star())))?;
    let mut filled = total.clone(); // the name is always filled
    macro_rules! add_filled {
        ($($col:ident),+) => {$(
            for (u, n) in grouped(conn, live().filter(customers::$col.is_not_null()).group_by(customers::unit_id).select((customers::unit_id, count_star())))? {
                *filled.entry(u).or_default() += n;
            }
        )+};
    }
    add_filled!(gender, birth_date, national_id, mobile, email, address, occupation, income_band);
    let verified = grouped(
        conn,
        live()
            .inner_join(customer_verifications::table)
            .group_by(customers::unit_id)
            .select((customers::unit_id, count_star())),
    )?;
    let unreachable = grouped(
        conn,
        live()
            .filter(customers::reachable.eq(false))
            .group_by(customers::unit_id)
            .select((customers::unit_id, count_star())),
    )?;
    let inactive = grouped(
        conn,
        live()
            .inner_join(customer_tags::table)
            .filter(customer_tags::tag.eq(INACTIVE_TAG))
            .group_by(customers::unit_id)
            .select((customers::unit_id, count_star())),
    )?;
    let get = |m: &PerUnit, u: &str| m.get(u).copied().unwrap_or(0);
    Ok(total
        .iter()
        .map(|(u, n)| (u.clone(), [*n, get(&filled, u), get(&verified, u), get(&unreachable, u), get(&inactive, u)]))
        .collect())
}

pub fn save_report(conn: &mut DbConnection, job_id: &str, figures: &HashMap<String, [i64; 5]>) -> QueryResult<()> {
    let t = now();
    for (unit, f) in figures {
        diesel::insert_into(quality_reports::table)
            .values((
                quality_reports::id.eq(crate::db::new_id()),
                quality_reports::job_id.eq(job_id),
                quality_reports::unit_id.eq(unit),
                quality_reports::customers.eq(f[0]),
                quality_reports::filled.eq(f[1]),
                quality_reports::verified.eq(f[2]),
                quality_reports::unreachable.eq(f[3]),
                quality_reports::inactive.eq(f[4]),
                quality_reports::created_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub type ReportRow = (String, String, i64, i64, i64, i64, i64, NaiveDateTime);

/// The latest report row of each unit in the scope (reports are few: one per unit per run).
pub fn latest(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<ReportRow>> {
    let rows: Vec<ReportRow> = quality_reports::table
        .inner_join(units::table)
        .filter(scope.holds_unit())
        .order((quality_reports::unit_id, quality_reports::created_at.desc()))
        .select((
            quality_reports::unit_id,
            units::name,
            quality_reports::customers,
            quality_reports::filled,
            quality_reports::verified,
            quality_reports::unreachable,
            quality_reports::inactive,
            quality_reports::created_at,
        ))
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows.into_iter().filter(|r| seen.insert(r.0.clone())).collect())
}
