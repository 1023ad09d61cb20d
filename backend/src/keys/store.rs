//! Where ciphertexts and blind indexes live, counted and rewritten in batches.

use diesel::prelude::*;

use crate::customers::model::CustomerRow;
use crate::db::schema::{customer_merges, customers, jobs, webhooks};
use crate::db::DbConnection;

/// Stored values still encrypted with one of `old` key ids, per place.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Stale {
    pub customers: i64,
    pub webhooks: i64,
    pub merge_snapshots: i64,
    /// Sealed job files and their parts (uploads and exports, kept for days).
    pub job_files: i64,
    /// Ticket subjects, descriptions and timeline texts.
    pub tickets: i64,
    /// Attachment files (counted per attachment).
    pub attachments: i64,
}

impl Stale {
    pub fn total(&self) -> i64 {
        self.customers + self.webhooks + self.merge_snapshots + self.job_files + self.tickets + self.attachments
    }
}

/// Counts the values under the `old` field keys. A full scan, for an operator's status page and
/// the retirement check, never on a request path.
pub fn stale(conn: &mut DbConnection, old: &[String]) -> QueryResult<Stale> {
    let mut s = Stale {
        job_files: crate::jobs::files::sealed_with(conn, old)?,
        tickets: crate::tickets::reseal::sealed_with(conn, old)?,
        attachments: crate::tickets::attachments::sealed_with(conn, old)?,
        ..Stale::default()
    };
    for kid in old {
        let p = format!("{kid}:%");
        s.customers += customers::table
            .filter(
                customers::national_id
                    .like(p.clone())
                    .or(customers::mobile.like(p.clone()))
                    .or(customers::email.like(p.clone()))
                    .or(customers::address.like(p.clone()))
                    .or(customers::birth_date.like(p.clone())),
            )
            .count()
            .get_result::<i64>(conn)?;
        s.webhooks += webhooks::table.filter(webhooks::secret.like(p.clone())).count().get_result::<i64>(conn)?;
        // Snapshots are JSON: a ciphertext there is a string value starting with `"KID:`.
        s.merge_snapshots += customer_merges::table
            .filter(customer_merges::target_before.like(format!("%\"{kid}:%")))
            .count()
            .get_result::<i64>(conn)?;
    }
    Ok(s)
}

pub fn counts(conn: &mut DbConnection) -> QueryResult<(i64, i64, i64)> {
    Ok((
        customers::table.count().get_result(conn)?,
        webhooks::table.count().get_result(conn)?,
        customer_merges::table.count().get_result(conn)?,
    ))
}

pub fn customers_after(conn: &mut DbConnection, after: &str, limit: i64) -> QueryResult<Vec<CustomerRow>> {
    customers::table
        .filter(customers::id.gt(after))
        .order(customers::id.asc())
        .limit(limit)
        .select(CustomerRow::as_select())
        .load(conn)
}

/// Writes a customer's re-sealed values unless the row changed since it was read (a write in
/// between already used the newest keys). Leaves `version` alone: the values are the same.
pub fn update_sealed(conn: &mut DbConnection, row: &CustomerRow) -> QueryResult<usize> {
    diesel::update(customers::table.find(&row.id).filter(customers::version.eq(row.version)))
        .set((
            customers::national_id.eq(&row.national_id),
            customers::national_id_bidx.eq(&row.national_id_bidx),
            customers::mobile.eq(&row.mobile),
            customers::mobile_bidx.eq(&row.mobile_bidx),
            customers::email.eq(&row.email),
            customers::email_bidx.eq(&row.email_bidx),
            customers::address.eq(&row.address),
            customers::birth_date.eq(&row.birth_date),
            customers::identity_bidx.eq(&row.identity_bidx),
        ))
        .execute(conn)
}

pub fn webhooks_after(conn: &mut DbConnection, after: &str, limit: i64) -> QueryResult<Vec<(String, String)>> {
    webhooks::table
        .filter(webhooks::id.gt(after))
        .order(webhooks::id.asc())
        .limit(limit)
        .select((webhooks::id, webhooks::secret))
        .load(conn)
}

pub fn update_webhook_secret(conn: &mut DbConnection, id: &str, old: &str, new: &str) -> QueryResult<usize> {
    diesel::update(webhooks::table.find(id).filter(webhooks::secret.eq(old)))
        .set(webhooks::secret.eq(new))
        .execute(conn)
}

pub fn merges_after(conn: &mut DbConnection, after: &str, limit: i64) -> QueryResult<Vec<(String, String)>> {
    customer_merges::table
        .filter(customer_merges::id.gt(after))
        .order(customer_merges::id.asc())
        .limit(limit)
        .select((customer_merges::id, customer_merges::target_before))
        .load(conn)
}

pub fn update_snapshot(conn: &mut DbConnection, id: &str, old: &str, new: &str) -> QueryResult<usize> {
    diesel::update(customer_merges::table.find(id).filter(customer_merges::target_before.eq(old)))
        .set(customer_merges::target_before.eq(new))
        .execute(conn)
}

/// Results of the re-encryption runs that ended well, newest first.
pub fn succeeded_runs(conn: &mut DbConnection, kind: &str) -> QueryResult<Vec<Option<String>>> {
    jobs::table
        .filter(jobs::kind.eq(kind))
        .filter(jobs::status.eq("succeeded"))
        .order(jobs::finished_at.desc())
        .limit(20)
        .select(jobs::result)
        .load(conn)
}
