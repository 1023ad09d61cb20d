//! Demo loyalty for `guanxi seed-demo`: a rewards catalogue of the group (gifts, coupons, a
//! service; one out of stock), every purchase's points earned by the rules in force (set-based:
//! one statement for the ledger, with running balances, one for the accounts), and a few
//! redemptions through the real path. Only customers without an account yet get points.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::model::RewardKind;
use super::store::{self, RewardRow};
use crate::audit::Actor;
use crate::db::schema::{points_accounts, rewards};
use crate::db::DbConnection;
use crate::error::ApiError;

const CATALOGUE: [(&str, RewardKind, i64, Option<i64>); 5] = [
    ("品牌帆布袋 Canvas bag", RewardKind::Gift, 300, Some(0)),
    ("定制保温杯 Thermos cup", RewardKind::Gift, 800, Some(200)),
    ("视频会员月卡 Video membership, one month", RewardKind::Coupon, 1200, Some(500)),
    ("20 元话费券 ¥20 phone credit", RewardKind::Coupon, 1500, None),
    ("免费上门检修 Home repair visit", RewardKind::Service, 3000, Some(50)),
];

crate::prepared! {
    /// An `earn` entry per purchase (not a refund) of customers without an account: points per
    /// whole yuan, the running balance per customer in time order, expiry after the rules' days.
    /// The purchase's id is the entry's: made when the purchase was, so later entries sort after.
    struct Earn { per_yuan: i64 => BigInt, per_yuan2: i64 => BigInt, days: i64 => BigInt }
    pg = "INSERT INTO points_ledger (id, customer_id, kind, points, balance_after, purchase_id, expires_at, created_at) \
          SELECT p.id, p.customer_id, 'earn', (p.amount_fen / 100) * ?, \
          SUM((p.amount_fen / 100) * ?) OVER (PARTITION BY p.customer_id ORDER BY p.purchased_at, p.id), \
          p.id, p.purchased_at + make_interval(days => CAST(? AS INT)), p.purchased_at \
          FROM purchases p WHERE p.refund_of IS NULL AND p.amount_fen >= 100 \
          AND NOT EXISTS (SELECT 1 FROM points_accounts a WHERE a.customer_id = p.customer_id)";
    sqlite = "INSERT INTO points_ledger (id, customer_id, kind, points, balance_after, purchase_id, expires_at, created_at) \
          SELECT p.id, p.customer_id, 'earn', (p.amount_fen / 100) * ?, \
          SUM((p.amount_fen / 100) * ?) OVER (PARTITION BY p.customer_id ORDER BY p.purchased_at, p.id), \
          p.id, datetime(p.purchased_at, '+' || ? || ' days'), p.purchased_at \
          FROM purchases p WHERE p.refund_of IS NULL AND p.amount_fen >= 100 \
          AND NOT EXISTS (SELECT 1 FROM points_accounts a WHERE a.customer_id = p.customer_id)";
}

crate::prepared! {
    /// The accounts of the customers the statement above gave points.
    struct Accounts { at: NaiveDateTime => Timestamp }
    sql = "INSERT INTO points_accounts (customer_id, balance, debited, updated_at) \
           SELECT customer_id, CAST(SUM(points) AS BIGINT), 0, ? FROM points_ledger l \
           WHERE NOT EXISTS (SELECT 1 FROM points_accounts a WHERE a.customer_id = l.customer_id) \
           GROUP BY customer_id";
}

/// Seeds what is missing; returns (rewards added, accounts opened, redemptions).
pub fn seed(conn: &mut DbConnection, group_id: &str, at: NaiveDateTime) -> Result<(usize, usize, usize), ApiError> {
    let mut added = 0;
    if rewards::table.count().get_result::<i64>(conn)? == 0 {
        for (name, kind, points, stock) in CATALOGUE {
            let row = RewardRow {
                id: crate::db::new_id(),
                unit_id: group_id.to_owned(),
                name: name.to_owned(),
                kind: kind.as_str().to_owned(),
                points,
                stock,
                active: true,
                version: 1,
                created_at: at,
                updated_at: at,
            };
            diesel::insert_into(rewards::table).values(&row).execute(conn)?;
            added += 1;
        }
    }
    let (rules, _) = store::rules(conn)?;
    let earn = Earn { per_yuan: rules.points_per_yuan, per_yuan2: rules.points_per_yuan, days: rules.expiry_days };
    crate::on_backend!(conn, |c| earn.execute(c))?;
    let opened = crate::on_backend!(conn, |c| Accounts { at }.execute(c))?;
    // A few customers spend points on the cheapest reward in stock they can afford.
    let cup = rewards::table
        .filter(rewards::stock.gt(0))
        .order(rewards::points)
        .select((rewards::id, rewards::points))
        .first::<(String, i64)>(conn)
        .optional()?;
    let mut redeemed = 0;
    if let (Some((reward, price)), true) = (cup, opened > 0) {
        let rich: Vec<String> = points_accounts::table
            .filter(points_accounts::balance.ge(price))
            .order(points_accounts::customer_id)
            .limit(12)
            .select(points_accounts::customer_id)
            .load(conn)?;
        for id in rich {
            let Some((customer, _)) = crate::customers::store::get_with_path(conn, &id)? else { continue };
            if super::service::redeem(conn, &Actor::system(), &customer, &reward, 1, at).is_ok() {
                redeemed += 1;
            }
        }
    }
    Ok((added, opened, redeemed))
}
