use diesel::prelude::*;

use super::model::{AgreementRow, PartnerRow, ShareRow};
use crate::db::schema::{customers, partners, shares, sharing_agreements};
use crate::db::DbConnection;
use crate::org::scope::Scope;

pub fn insert(conn: &mut DbConnection, row: &PartnerRow) -> QueryResult<()> {
    diesel::insert_into(partners::table).values(row).execute(conn).map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<PartnerRow>> {
    partners::table.find(id).select(PartnerRow::as_select()).first(conn).optional()
}

/// Partners by code (a group has tens of partners, so one page is the whole list).
pub fn list(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> QueryResult<Vec<PartnerRow>> {
    let mut q = partners::table.select(PartnerRow::as_select()).into_boxed();
    if let Some(a) = after {
        q = q.filter(partners::code.gt(a.to_owned()));
    }
    q.order(partners::code.asc()).limit(limit).load(conn)
}

pub fn insert_agreement(conn: &mut DbConnection, row: &AgreementRow) -> QueryResult<()> {
    diesel::insert_into(sharing_agreements::table).values(row).execute(conn).map(|_| ())
}

pub fn agreements(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Vec<AgreementRow>> {
    sharing_agreements::table
        .filter(sharing_agreements::partner_id.eq(partner_id))
        .order(sharing_agreements::id.desc())
        .select(AgreementRow::as_select())
        .load(conn)
}

/// One agreement with its partner's code.
pub fn agreement_with_code(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(AgreementRow, String)>> {
    sharing_agreements::table
        .inner_join(partners::table)
        .filter(sharing_agreements::id.eq(id))
        .select((AgreementRow::as_select(), partners::code))
        .first(conn)
        .optional()
}

pub fn agreement(conn: &mut DbConnection, partner_id: &str, id: &str) -> QueryResult<Option<AgreementRow>> {
    sharing_agreements::table
        .filter(sharing_agreements::partner_id.eq(partner_id))
        .filter(sharing_agreements::id.eq(id))
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()
}

pub fn end_agreement(conn: &mut DbConnection, partner_id: &str, id: &str) -> QueryResult<usize> {
    diesel::update(
        sharing_agreements::table
            .filter(sharing_agreements::partner_id.eq(partner_id))
            .filter(sharing_agreements::id.eq(id)),
    )
    .set(sharing_agreements::active.eq(false))
    .execute(conn)
}

/// Many shares at once (an export's), in chunks.
pub fn insert_shares(conn: &mut DbConnection, rows: &[ShareRow]) -> QueryResult<()> {
    crate::insert_chunks!(conn, shares::table, rows, 100)
}

/// Whether a partner with this code exists.
pub fn code_exists(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(partners::table.filter(partners::code.eq(code)))).get_result(conn)
}

pub fn insert_share(conn: &mut DbConnection, row: &ShareRow) -> QueryResult<()> {
    diesel::insert_into(shares::table).values(row).execute(conn).map(|_| ())
}

/// The share log, newest first, optionally for one partner or one customer; with a scope prefix
/// only disclosures of customers homed in it (None: the group, every disclosure).
pub fn shares(
    conn: &mut DbConnection,
    scope: Option<&Scope>,
    partner_id: Option<&str>,
    customer_id: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(ShareRow, String)>> {
    let mut q = shares::table.inner_join(partners::table).select((ShareRow::as_select(), partners::name)).into_boxed();
    if let Some(p) = partner_id {
        q = q.filter(shares::partner_id.eq(p.to_owned()));
    }
    if let Some(c) = customer_id {
        q = q.filter(shares::customer_id.eq(c.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(shares::id.lt(b.to_owned()));
    }
    if let Some(scope) = scope {
        let homed =
            customers::table.filter(customers::unit_id.eq_any(scope.unit_ids())).select(customers::id.nullable());
        q = q.filter(shares::customer_id.eq_any(homed));
    }
    q.order(shares::id.desc()).limit(limit).load(conn)
}
