//! Campaign rows, their targets and frozen audience, and the tallies of their deliveries.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::IntoSql;

use crate::db::schema::{
    campaign_audience, campaign_deliveries, campaign_targets, campaigns, segment_snapshot_members,
};
use crate::db::DbConnection;
use crate::org::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = campaigns)]
pub struct CampaignRow {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub goal: Option<String>,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub budget_fen: Option<i64>,
    pub cost_per_message_fen: i64,
    pub state: String,
    pub send_cursor: Option<String>,
    pub author_id: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub review_note: Option<String>,
    pub audience: i64,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub link_url: Option<String>,
    pub holdout_percent: i64,
    pub attribution_days: i64,
    pub care_rule_id: Option<String>,
}

/// What an author may change while the campaign is a draft.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = campaigns, treat_none_as_null = true)]
pub struct Plan {
    pub name: String,
    pub goal: Option<String>,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub budget_fen: Option<i64>,
    pub cost_per_message_fen: i64,
    pub link_url: Option<String>,
    pub holdout_percent: i64,
    pub attribution_days: i64,
}

pub fn insert(conn: &mut DbConnection, row: &CampaignRow, segment_ids: &[String]) -> QueryResult<()> {
    diesel::insert_into(campaigns::table).values(row).execute(conn)?;
    set_targets(conn, &row.id, segment_ids)
}

fn set_targets(conn: &mut DbConnection, id: &str, segment_ids: &[String]) -> QueryResult<()> {
    diesel::delete(campaign_targets::table.filter(campaign_targets::campaign_id.eq(id))).execute(conn)?;
    for segment in segment_ids {
        diesel::insert_into(campaign_targets::table)
            .values((campaign_targets::campaign_id.eq(id), campaign_targets::segment_id.eq(segment)))
            .execute(conn)?;
    }
    Ok(())
}

/// A campaign of a unit in `scope` (another unit's is not found).
pub fn get(conn: &mut DbConnection, scope: &Scope, id: &str) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .filter(campaigns::id.eq(id))
        .filter(campaigns::unit_id.eq_any(scope.unit_ids()))
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

pub fn get_any(conn: &mut DbConnection, id: &str) -> QueryResult<CampaignRow> {
    campaigns::table.find(id).select(CampaignRow::as_select()).first(conn)
}

/// Newest first, optionally of one state.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    state: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CampaignRow>> {
    let mut q = campaigns::table
        .filter(campaigns::unit_id.eq_any(scope.unit_ids()))
        .select(CampaignRow::as_select())
        .into_boxed();
    if let Some(s) = state {
        q = q.filter(campaigns::state.eq(s.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(campaigns::id.lt(b.to_owned()));
    }
    q.order(campaigns::id.desc()).limit(limit).load(conn)
}

pub fn segment_ids(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    campaign_targets::table
        .filter(campaign_targets::campaign_id.eq_any(ids))
        .select((campaign_targets::campaign_id, campaign_targets::segment_id))
        .order((campaign_targets::campaign_id, campaign_targets::segment_id))
        .load(conn)
}

/// Changes a draft's plan and targets if its version is still `version`; false when not.
pub fn update_plan(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    plan: &Plan,
    segment_ids: &[String],
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(campaigns::table.filter(campaigns::id.eq(id)).filter(campaigns::version.eq(version)))
        .set((plan, campaigns::version.eq(version + 1), campaigns::updated_at.eq(at)))
        .execute(conn)?;
    if n == 1 {
        set_targets(conn, id, segment_ids)?;
    }
    Ok(n == 1)
}

/// The review fields of a state change.
pub struct Review<'a> {
    pub by: &'a str,
    pub note: Option<&'a str>,
}

/// Moves the campaign from `from` to `to` if it is still at `version` and in `from`; false when
/// not. A review records who, when and the note.
pub fn transition(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    (from, to): (&str, &str),
    review: Option<Review<'_>>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let target = campaigns::table
        .filter(campaigns::id.eq(id))
        .filter(campaigns::version.eq(version))
        .filter(campaigns::state.eq(from));
    let common = (campaigns::state.eq(to), campaigns::version.eq(version + 1), campaigns::updated_at.eq(at));
    let n = match review {
        Some(r) => diesel::update(target)
            .set((
                common,
                campaigns::reviewed_by.eq(r.by),
                campaigns::reviewed_at.eq(at),
                campaigns::review_note.eq(r.note),
            ))
            .execute(conn)?,
        None => diesel::update(target).set(common).execute(conn)?,
    };
    Ok(n == 1)
}

/// Freezes the audience: the distinct members of the targets' snapshots, in one statement.
pub fn freeze_audience(conn: &mut DbConnection, id: &str, snapshots: &[(String, String)]) -> QueryResult<i64> {
    for (segment, snapshot) in snapshots {
        diesel::update(
            campaign_targets::table
                .filter(campaign_targets::campaign_id.eq(id))
                .filter(campaign_targets::segment_id.eq(segment)),
        )
        .set(campaign_targets::snapshot_id.eq(snapshot))
        .execute(conn)?;
    }
    let snapshot_ids: Vec<&String> = snapshots.iter().map(|(_, s)| s).collect();
    let members = segment_snapshot_members::table
        .filter(segment_snapshot_members::snapshot_id.eq_any(snapshot_ids))
        .select((id.to_owned().into_sql::<diesel::sql_types::Text>(), segment_snapshot_members::customer_id))
        .distinct();
    let n = diesel::insert_into(campaign_audience::table)
        .values(members)
        .into_columns((campaign_audience::campaign_id, campaign_audience::customer_id))
        .execute(conn)? as i64;
    diesel::update(campaigns::table.find(id)).set(campaigns::audience.eq(n)).execute(conn)?;
    Ok(n)
}

/// The deliveries of a campaign by status and reason.
pub fn tallies(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<(String, Option<String>, i64)>> {
    campaign_deliveries::table
        .filter(campaign_deliveries::campaign_id.eq(id))
        .group_by((campaign_deliveries::status, campaign_deliveries::reason))
        .select((campaign_deliveries::status, campaign_deliveries::reason, count_star()))
        .load(conn)
}

/// The next `limit` customers whose message is queued, after `after` in id order.
pub fn queued(conn: &mut DbConnection, id: &str, after: &str, limit: i64) -> QueryResult<Vec<String>> {
    campaign_deliveries::table
        .filter(campaign_deliveries::campaign_id.eq(id))
        .filter(campaign_deliveries::status.eq("queued"))
        .filter(campaign_deliveries::customer_id.gt(after))
        .order(campaign_deliveries::customer_id)
        .limit(limit)
        .select(campaign_deliveries::customer_id)
        .load(conn)
}

/// Marks members `sent` (handed over) or `control` (held out): either way, a purchase until
/// `until` is their conversion.
pub fn mark_reached(
    conn: &mut DbConnection,
    id: &str,
    customers: &[String],
    status: &str,
    at: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        campaign_deliveries::table
            .filter(campaign_deliveries::campaign_id.eq(id))
            .filter(campaign_deliveries::customer_id.eq_any(customers)),
    )
    .set((
        campaign_deliveries::status.eq(status),
        campaign_deliveries::sent_at.eq(at),
        campaign_deliveries::attributed_until.eq(until),
    ))
    .execute(conn)?;
    Ok(())
}

/// Marks failures, one statement per reason code (a batch has a few).
pub fn mark_failed(conn: &mut DbConnection, id: &str, failed: &[(String, String)]) -> QueryResult<()> {
    let mut by_code: std::collections::BTreeMap<&str, Vec<&String>> = Default::default();
    for (customer, code) in failed {
        by_code.entry(code).or_default().push(customer);
    }
    for (code, customers) in by_code {
        diesel::update(
            campaign_deliveries::table
                .filter(campaign_deliveries::campaign_id.eq(id))
                .filter(campaign_deliveries::customer_id.eq_any(customers)),
        )
        .set((campaign_deliveries::status.eq("failed"), campaign_deliveries::reason.eq(code)))
        .execute(conn)?;
    }
    Ok(())
}

/// Records the customer's first response to a message they were sent.
pub fn respond(conn: &mut DbConnection, id: &str, customer_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        campaign_deliveries::table
            .find((id, customer_id))
            .filter(campaign_deliveries::status.eq("sent"))
            .filter(campaign_deliveries::responded_at.is_null()),
    )
    .set(campaign_deliveries::responded_at.eq(at))
    .execute(conn)?;
    Ok(())
}

/// The campaign's landing page, if it has one.
pub fn link_url(conn: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    Ok(campaigns::table.find(id).select(campaigns::link_url).first(conn).optional()?.flatten())
}

/// Members who followed the tracked link.
pub fn responded(conn: &mut DbConnection, id: &str) -> QueryResult<i64> {
    campaign_deliveries::table
        .filter(campaign_deliveries::campaign_id.eq(id))
        .filter(campaign_deliveries::responded_at.is_not_null())
        .count()
        .get_result(conn)
}

#[derive(QueryableByName)]
pub struct Conversions {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub converted: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub revenue_fen: i64,
}

crate::prepared! {
    /// The members of one outcome (`sent`, or the `control` group) who bought within their
    /// attribution window, and what those purchases came to net of their refunds.
    struct ConversionsOf { campaign_id: String => diesel::sql_types::Text, status: String => diesel::sql_types::Text }
    sql = "SELECT COUNT(DISTINCT d.customer_id) AS converted, \
           CAST(COALESCE(SUM(p.amount_fen + COALESCE((SELECT SUM(r.amount_fen) FROM purchases r WHERE r.refund_of = p.id), 0)), 0) AS BIGINT) AS revenue_fen \
           FROM campaign_deliveries d JOIN purchases p ON p.customer_id = d.customer_id \
           AND p.purchased_at >= d.sent_at AND p.purchased_at < d.attributed_until \
           AND p.refund_of IS NULL AND p.amount_fen > 0 \
           WHERE d.campaign_id = ? AND d.status = ?";
}

pub fn conversions(conn: &mut DbConnection, id: &str, status: &str) -> QueryResult<Conversions> {
    let q = ConversionsOf { campaign_id: id.to_owned(), status: status.to_owned() };
    crate::on_backend!(conn, |c| q.get_result::<Conversions>(c))
}

/// Customers (not deleted) whose mobile has one of these blind indexes.
pub fn customers_by_mobile(conn: &mut DbConnection, indexes: &[String]) -> QueryResult<Vec<String>> {
    use crate::db::schema::customers;
    customers::table
        .filter(customers::mobile_bidx.eq_any(indexes))
        .filter(customers::deleted_at.is_null())
        .select(customers::id)
        .load(conn)
}

/// Demo data only: reached members whose id ends like one of `endings` responded when reached.
pub fn demo_responses(conn: &mut DbConnection, id: &str, endings: &[&str]) -> QueryResult<usize> {
    let mut n = 0;
    for ending in endings {
        n += diesel::update(
            campaign_deliveries::table
                .filter(campaign_deliveries::campaign_id.eq(id))
                .filter(campaign_deliveries::status.eq("sent"))
                .filter(campaign_deliveries::customer_id.like(*ending)),
        )
        .set(campaign_deliveries::responded_at.eq(campaign_deliveries::sent_at))
        .execute(conn)?;
    }
    Ok(n)
}
