//! Earning, redeeming, reversing and expiring points: each one ledger entry and the account moved
//! with it, in the caller's transaction.

use chrono::{NaiveDateTime, TimeDelta};

use super::model::{EntryKind, LedgerEntry, LoyaltyRules, Reward, RewardKind};
use super::store::{self, EntryRow, RewardRow};
use crate::audit::{self, Actor, Event};
use crate::customers::model::CustomerRow;
use crate::customers::records::dto::PurchaseRow;
use crate::db::{new_id, DbConnection};
use crate::error::ApiError;

/// Points a purchase earns: whole yuan × points per yuan × the level's percent ÷ 100, rounded
/// down; a customer without a level earns at 100 %.
pub fn points_for(rules: &LoyaltyRules, amount_fen: i64, level: Option<&str>) -> i64 {
    let percent = match level {
        Some("gold") => rules.gold_percent,
        Some("silver") => rules.silver_percent,
        Some("bronze") => rules.bronze_percent,
        _ => 100,
    };
    (amount_fen.max(0) / 100).saturating_mul(rules.points_per_yuan).saturating_mul(percent) / 100
}

fn entry(customer_id: &str, kind: EntryKind, points: i64, balance_after: i64, at: NaiveDateTime) -> EntryRow {
    EntryRow {
        id: new_id(),
        customer_id: customer_id.to_owned(),
        kind: kind.as_str().to_owned(),
        points,
        balance_after,
        purchase_id: None,
        reward_id: None,
        expires_at: None,
        created_by: None,
        created_at: at,
    }
}

/// Credits what a new purchase earns (none for a zero amount).
pub fn earn_for_purchase(conn: &mut DbConnection, purchase: &PurchaseRow, by: Option<&str>) -> Result<(), ApiError> {
    let (rules, _) = store::rules(conn)?;
    let level = store::level(conn, &purchase.customer_id)?;
    let points = points_for(&rules, purchase.amount_fen, level.as_deref());
    if points == 0 {
        return Ok(());
    }
    let at = purchase.created_at;
    let balance = store::credit(conn, &purchase.customer_id, points, at)?;
    let mut row = entry(&purchase.customer_id, EntryKind::Earn, points, balance, at);
    row.purchase_id = Some(purchase.id.clone());
    row.expires_at = Some(at + TimeDelta::days(rules.expiry_days));
    row.created_by = by.map(str::to_owned);
    Ok(store::append(conn, &row)?)
}

/// Spends points on a reward of the customer's unit or a unit above it: 409 `reward_unavailable`
/// (inactive or another line's), `reward_out_of_stock`, `points_insufficient`.
pub fn redeem(
    conn: &mut DbConnection,
    actor: &Actor,
    customer: &CustomerRow,
    reward_id: &str,
    quantity: i64,
    at: NaiveDateTime,
) -> Result<EntryRow, ApiError> {
    let lineage = crate::consent::service::lineage(conn, &customer.unit_id)?;
    let reward = store::reward(conn, reward_id)?
        .filter(|r| r.active && lineage.contains(&r.unit_id))
        .ok_or_else(|| ApiError::conflict("reward_unavailable"))?;
    if !store::take_stock(conn, &reward.id, quantity)? {
        return Err(ApiError::conflict("reward_out_of_stock"));
    }
    let cost = reward.points.saturating_mul(quantity);
    let balance = store::debit(conn, &customer.id, cost, at)?
        .ok_or_else(|| ApiError::conflict("points_insufficient").with("needed", cost))?;
    let mut row = entry(&customer.id, EntryKind::Redeem, -cost, balance, at);
    row.reward_id = Some(reward.id.clone());
    row.created_by = actor.id.clone();
    store::append(conn, &row)?;
    audit::append(conn, actor, Event::new("points.redeem", "customer", Some(&customer.id)))?;
    Ok(row)
}

/// Takes back what a refunded purchase earned, in proportion to the refund (`refund`'s negative
/// amount against the original's), as far as the balance still holds it — never below zero:
/// points already spent stay spent. None when there was nothing to take.
pub fn reverse_refund(
    conn: &mut DbConnection,
    original: &PurchaseRow,
    refund: &PurchaseRow,
    by: Option<&str>,
) -> Result<Option<EntryRow>, ApiError> {
    let (earned, held) = store::earned_and_held(conn, &original.id)?;
    let share = i128::from(earned) * i128::from(-refund.amount_fen) / i128::from(original.amount_fen.max(1));
    let wanted = i64::try_from(share).unwrap_or(i64::MAX).min(held);
    let take = wanted.min(store::balance(conn, &original.customer_id)?);
    if take <= 0 {
        return Ok(None);
    }
    let at = refund.created_at;
    let balance =
        store::debit(conn, &original.customer_id, take, at)?.ok_or_else(|| ApiError::conflict("points_changed"))?;
    let mut row = entry(&original.customer_id, EntryKind::Reverse, -take, balance, at);
    row.purchase_id = Some(original.id.clone());
    row.created_by = by.map(str::to_owned);
    store::append(conn, &row)?;
    Ok(Some(row))
}

impl From<EntryRow> for LedgerEntry {
    fn from(r: EntryRow) -> Self {
        LedgerEntry {
            kind: EntryKind::parse(&r.kind).unwrap_or(EntryKind::Adjust),
            id: r.id,
            points: r.points,
            balance_after: r.balance_after,
            purchase_id: r.purchase_id,
            reward_id: r.reward_id,
            expires_at: r.expires_at.map(|t| t.and_utc()),
            created_at: r.created_at.and_utc(),
        }
    }
}

impl From<RewardRow> for Reward {
    fn from(r: RewardRow) -> Self {
        Reward {
            kind: RewardKind::parse(&r.kind).unwrap_or(RewardKind::Gift),
            id: r.id,
            unit_id: r.unit_id,
            name: r.name,
            points: r.points,
            stock: r.stock,
            active: r.active,
            version: r.version,
        }
    }
}

/// The nightly expiry (a job): one statement for the entries, one for the accounts.
pub fn expire(conn: &mut DbConnection, at: NaiveDateTime) -> Result<usize, ApiError> {
    crate::db::transaction(conn, |c| Ok(store::expire(c, &new_id(), at)?))
}

pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: "points.expire",
    schedule: Some(crate::jobs::Schedule { name: "nightly-points", next: crate::jobs::schedule::next_night }),
    run: |conn, state, _, _| Ok(serde_json::json!({ "expired_accounts": expire(conn, state.clock.now())? })),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_follow_whole_yuan_and_level() {
        let rules = LoyaltyRules {
            points_per_yuan: 1,
            gold_percent: 200,
            silver_percent: 150,
            bronze_percent: 100,
            expiry_days: 730,
        };
        assert_eq!(points_for(&rules, 12_345, None), 123, "123.45 yuan: 123 points");
        assert_eq!(points_for(&rules, 12_345, Some("gold")), 246);
        assert_eq!(points_for(&rules, 12_345, Some("silver")), 184, "184.5 rounds down");
        assert_eq!(points_for(&rules, 99, Some("gold")), 0, "under a yuan earns nothing");
        assert_eq!(points_for(&rules, -500, None), 0);
    }
}
