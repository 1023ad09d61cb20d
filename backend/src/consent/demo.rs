//! Demo consents for `guanxi seed-demo`: most customers agreed on paper, when they became
//! customers, to SMS marketing and profiling, half of them to email too; one in sixteen then
//! withdrew profiling. Only customers without any record get them. Written a batch of customers at
//! a time with ids made now (time-ordered), so whatever is recorded later is the newer record.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::ConsentRow;
use crate::db::schema::{consents, customers};
use crate::db::DbConnection;

const BATCH: i64 = 500;

/// The records of one customer: the last hex digit of its (random) id picks its answers.
fn records(customer_id: &str, at: NaiveDateTime) -> Vec<ConsentRow> {
    let digit = customer_id.chars().last().and_then(|c| c.to_digit(16)).unwrap_or(0);
    let row = |purpose: &str, granted: bool, at: NaiveDateTime| ConsentRow {
        id: crate::db::new_id(),
        customer_id: customer_id.to_owned(),
        purpose: purpose.to_owned(),
        granted,
        scope: None,
        notice_id: None,
        channel: "paper".into(),
        evidence: Some("demo".into()),
        recorded_by: None,
        self_service: false,
        recorded_at: at,
    };
    let mut out = vec![row("profiling", true, at)];
    if digit >= 2 {
        out.push(row("marketing_sms", true, at));
    }
    if digit.is_multiple_of(2) {
        out.push(row("marketing_email", true, at));
    }
    if digit == 5 {
        out.push(row("profiling", false, at));
    }
    out
}

/// Gives every customer without a consent record the demo's; returns how many customers.
pub fn seed(conn: &mut DbConnection) -> QueryResult<usize> {
    let (mut after, mut n) = (String::new(), 0);
    loop {
        let batch: Vec<(String, NaiveDateTime)> = customers::table
            .filter(customers::id.gt(&after))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                consents::table.filter(consents::customer_id.eq(customers::id)),
            )))
            .order(customers::id)
            .limit(BATCH)
            .select((customers::id, customers::created_at))
            .load(conn)?;
        let Some((last, _)) = batch.last().cloned() else { return Ok(n) };
        let rows: Vec<ConsentRow> = batch.iter().flat_map(|(id, at)| records(id, *at)).collect();
        // A multi-row INSERT, which diesel writes per backend.
        crate::on_backend!(conn, |c| diesel::insert_into(consents::table).values(&rows).execute(c))?;
        n += batch.len();
        after = last;
    }
}
