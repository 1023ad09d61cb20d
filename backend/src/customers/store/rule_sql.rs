//! A segment rule as one SQL condition on `customers`: typed diesel expressions and bound
//! parameters only — a rule's values never become SQL text. Each leaf is true or false, never
//! NULL (a customer without a gender is simply not `gender = female`, and is `not` it), so `not`
//! means what a user expects.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};

use super::Multi;
use crate::customers::rule::{Class, Coded, ConsentState, Measure, Rule};
use crate::db::schema::{customer_profiles, customer_tags, customers};

pub type Condition = Box<dyn BoxableExpression<customers::table, Multi, SqlType = Bool>>;

/// `now` anchors "the last N days" (the caller's clock, so tests can hold it).
pub fn condition(rule: &Rule, now: NaiveDateTime) -> Condition {
    let all = |parts: &[Rule], join: fn(Condition, Condition) -> Condition, empty: bool| {
        parts
            .iter()
            .map(|r| condition(r, now))
            .reduce(join)
            .unwrap_or_else(|| Box::new(diesel::dsl::sql::<Bool>(if empty { "1 = 1" } else { "1 = 0" })))
    };
    match rule {
        Rule::All(parts) => all(parts, |a, b| Box::new(a.and(b)), true),
        Rule::Any(parts) => all(parts, |a, b| Box::new(a.or(b)), false),
        Rule::Not(inner) => Box::new(diesel::dsl::not(condition(inner, now))),
        Rule::Coded { column, values } => {
            let v = values.clone();
            match column {
                Coded::Gender => Box::new(customers::gender.is_not_null().and(customers::gender.eq_any(v)).assume_not_null()),
                Coded::IncomeBand => {
                    Box::new(customers::income_band.is_not_null().and(customers::income_band.eq_any(v)).assume_not_null())
                }
                Coded::PreferredChannel => Box::new(
                    customers::preferred_channel.is_not_null().and(customers::preferred_channel.eq_any(v)).assume_not_null(),
                ),
                Coded::CustomerType => Box::new(customers::customer_type.eq_any(v)),
                Coded::SourceChannel => Box::new(customers::source_channel.eq_any(v)),
            }
        }
        Rule::Reachable(b) => Box::new(customers::reachable.eq(*b)),
        Rule::Tag(t) => Box::new(customers::id.eq_any(
            customer_tags::table.filter(customer_tags::tag.eq(crate::customers::domain::tag(t))).select(customer_tags::customer_id),
        )),
        Rule::Unit(unit) => Box::new(
            sql::<Bool>("customers.unit_id IN (SELECT u.id FROM units u WHERE u.path LIKE (SELECT p.path || '%' FROM units p WHERE p.id = ")
                .bind::<Text, _>(unit.clone())
                .sql("))"),
        ),
        Rule::Household(h) => {
            Box::new(customers::household_id.is_not_null().and(customers::household_id.eq(h.clone())).assume_not_null())
        }
        Rule::Class { class: c, values } => class(*c, values.clone(), now),
        Rule::CreatedAfter(day) => Box::new(customers::created_at.ge(day.and_time(chrono::NaiveTime::MIN))),
        Rule::CreatedBefore(day) => Box::new(customers::created_at.lt(day.and_time(chrono::NaiveTime::MIN))),
        Rule::Consent { purpose, state } => {
            let newest = |before: &'static str, after: &'static str| {
                sql::<Bool>(before).bind::<Text, _>(purpose.clone()).sql(after)
            };
            match state {
                ConsentState::Granted => Box::new(newest(
                    concat!("COALESCE(", crate::newest_consent_sql!(before)),
                    concat!(crate::newest_consent_sql!(after), " = TRUE, FALSE)"),
                )),
                ConsentState::Withdrawn => Box::new(newest(
                    concat!("COALESCE(", crate::newest_consent_sql!(before)),
                    concat!(crate::newest_consent_sql!(after), " = FALSE, FALSE)"),
                )),
                ConsentState::Never => Box::new(newest(
                    crate::newest_consent_sql!(before),
                    concat!(crate::newest_consent_sql!(after), " IS NULL"),
                )),
            }
        }
        Rule::Purchases { measure, days, cmp, value } => {
            let since = now - chrono::Duration::days(i64::from(*days));
            let aggregate = match measure {
                Measure::SpentFen => "(SELECT COALESCE(SUM(p.amount_fen), 0) FROM purchases p WHERE p.customer_id = customers.id AND p.purchased_at >= ",
                Measure::Count => "(SELECT COUNT(*) FROM purchases p WHERE p.customer_id = customers.id AND p.purchased_at >= ",
            };
            Box::new(sql::<Bool>(aggregate).bind::<Timestamp, _>(since).sql(")").sql(cmp.sql()).bind::<BigInt, _>(*value))
        }
    }
}

/// The customer's class is one of `values`. A tier is a manager's override while one is in force
/// at `now`, else the computed tier.
pub fn class(class: Class, values: Vec<String>, now: NaiveDateTime) -> Condition {
    let profiles = customer_profiles::table.select(customer_profiles::customer_id);
    match class {
        Class::Tier => {
            // One `IN` over a `UNION ALL`, not `(computed AND NOT overridden) OR overridden`: with
            // the `OR`, SQLite gave up walking the list's order and a page by tier took 0.64 s at a
            // million customers; this way, 0.08 s. The four tier slots are always bound (the
            // values repeated), so the statement's shape does not vary with the rule.
            let mut t: Vec<String> = values;
            t.sort();
            t.dedup();
            let at = |i: usize| t.get(i).or(t.first()).cloned().unwrap_or_default();
            Box::new(
                sql::<Bool>("customers.id IN (SELECT ct.customer_id FROM customer_tiers ct WHERE ct.tier IN (")
                    .bind::<Text, _>(at(0))
                    .sql(", ")
                    .bind::<Text, _>(at(1))
                    .sql(", ")
                    .bind::<Text, _>(at(2))
                    .sql(", ")
                    .bind::<Text, _>(at(3))
                    .sql(") AND ct.customer_id NOT IN (SELECT o.customer_id FROM tier_overrides o WHERE o.ended_at IS NULL AND o.expires_at > ")
                    .bind::<Timestamp, _>(now)
                    .sql(") UNION ALL SELECT o.customer_id FROM tier_overrides o WHERE o.ended_at IS NULL AND o.expires_at > ")
                    .bind::<Timestamp, _>(now)
                    .sql(" AND o.tier IN (")
                    .bind::<Text, _>(at(0))
                    .sql(", ")
                    .bind::<Text, _>(at(1))
                    .sql(", ")
                    .bind::<Text, _>(at(2))
                    .sql(", ")
                    .bind::<Text, _>(at(3))
                    .sql("))"),
            )
        }
        Class::Level => Box::new(customers::id.eq_any(profiles.filter(customer_profiles::level.eq_any(values)))),
        Class::Band => Box::new(customers::id.eq_any(profiles.filter(customer_profiles::band.eq_any(values)))),
        Class::Lifecycle => {
            Box::new(customers::id.eq_any(profiles.filter(customer_profiles::lifecycle.eq_any(values))))
        }
        Class::Rfm => Box::new(customers::id.eq_any(profiles.filter(customer_profiles::rfm.eq_any(values)))),
    }
}

/// Customers who withdrew profiling are in no segment (the consent decision in SQL).
pub fn profiled() -> Condition {
    Box::new(diesel::dsl::not(sql::<Bool>(crate::profiling_withdrawn_sql!())))
}
