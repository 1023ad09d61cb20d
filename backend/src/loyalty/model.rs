use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

crate::text_enum!(
    /// `earn` (a purchase), `redeem` (a reward), `reverse` (a refunded purchase's points),
    /// `expire` (past the expiry period), `adjust` (by hand, with a reason).
    EntryKind {
        Earn => "earn",
        Redeem => "redeem",
        Reverse => "reverse",
        Expire => "expire",
        Adjust => "adjust",
    }
);

crate::text_enum!(
    /// What a reward is: a gift, a coupon, or a service.
    RewardKind {
        Gift => "gift",
        Coupon => "coupon",
        Service => "service",
    }
);

/// How points are earned and how long they last.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoyaltyRules {
    /// Points per whole yuan spent, before the level's multiplier.
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100, example = 1)]
    pub points_per_yuan: i64,
    /// The member levels' multipliers, in percent (gold 200 = double points).
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000, example = 200)]
    pub gold_percent: i64,
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000, example = 150)]
    pub silver_percent: i64,
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000, example = 100)]
    pub bronze_percent: i64,
    /// Points expire this many days after they were earned.
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650, example = 730)]
    pub expiry_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    pub id: String,
    pub kind: EntryKind,
    /// Signed: earned points are positive, spent ones negative.
    pub points: i64,
    pub balance_after: i64,
    pub purchase_id: Option<String>,
    pub reward_id: Option<String>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A customer's balance and newest entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointsAccount {
    pub customer_id: String,
    pub balance: i64,
    pub entries: crate::http::pagination::Page<LedgerEntry>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    pub reward_id: String,
    /// How many of the reward (default 1).
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub quantity: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RewardInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub kind: RewardKind,
    /// Its price in points.
    #[validate(range(min = 1, max = 10000000))]
    #[schema(minimum = 1, maximum = 10000000)]
    pub points: i64,
    /// How many are left; none: no limit.
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub stock: Option<i64>,
    pub active: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reward {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub kind: RewardKind,
    pub points: i64,
    pub stock: Option<i64>,
    pub active: bool,
    /// Also the `ETag`.
    pub version: i64,
}
