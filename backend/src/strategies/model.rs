use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

crate::text_enum!(
    /// How fast service must answer: urgent before priority before standard.
    SlaClass { Urgent => "urgent", Priority => "priority", Standard => "standard" }
);

impl SlaClass {
    fn rank(self) -> u8 {
        match self {
            SlaClass::Urgent => 0,
            SlaClass::Priority => 1,
            SlaClass::Standard => 2,
        }
    }
}

/// Every class a strategy is kept for, in the order the API lists them.
pub const CLASSES: &[&str] = &[
    "tier:A",
    "tier:B",
    "tier:C",
    "tier:D",
    "level:gold",
    "level:silver",
    "level:bronze",
    "lifecycle:active",
    "lifecycle:potential",
    "lifecycle:dormant",
    "lifecycle:churn_risk",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// 1 is served first.
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    pub priority: u8,
    pub sla_class: SlaClass,
    /// The priority lane ("green channel") of the seed.
    pub green_channel: bool,
    /// Served by a named account manager.
    pub dedicated_manager: bool,
    /// May be a campaign's target.
    pub campaign_eligible: bool,
}

/// The seed's defaults: A and gold get the green channel and a dedicated manager (seed 003 "关键
/// 客户维护计划", seed 001 金牌客户); dormant and churn-risk customers are win-back targets.
pub fn default_of(class: &str) -> Strategy {
    let s = |priority, sla_class, green_channel, dedicated_manager| Strategy {
        priority,
        sla_class,
        green_channel,
        dedicated_manager,
        campaign_eligible: true,
    };
    match class {
        "tier:A" | "level:gold" => s(1, SlaClass::Urgent, true, true),
        "tier:B" | "level:silver" => s(2, SlaClass::Priority, true, false),
        "lifecycle:churn_risk" => s(2, SlaClass::Priority, false, false),
        "tier:C" => s(3, SlaClass::Standard, false, false),
        _ => s(4, SlaClass::Standard, false, false),
    }
}

/// A class's strategy as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassStrategy {
    /// `tier:A`, `level:gold`, `lifecycle:dormant`, ...
    pub class: String,
    #[serde(flatten)]
    pub strategy: Strategy,
    /// False while the seed's default applies.
    pub customised: bool,
    pub updated_by: Option<String>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A customer's strategy: the most demanding of the classes they are in (lowest priority number,
/// most urgent SLA, green channel or dedicated manager if any class has it) — except campaign
/// eligibility, which every class must allow. A customer in no class gets the default of
/// `tier:D`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerStrategy {
    #[serde(flatten)]
    pub strategy: Strategy,
    /// The classes combined.
    pub classes: Vec<String>,
}

pub fn combine(parts: &[Strategy]) -> Option<Strategy> {
    parts.iter().copied().reduce(|a, b| Strategy {
        priority: a.priority.min(b.priority),
        sla_class: if b.sla_class.rank() < a.sla_class.rank() { b.sla_class } else { a.sla_class },
        green_channel: a.green_channel || b.green_channel,
        dedicated_manager: a.dedicated_manager || b.dedicated_manager,
        campaign_eligible: a.campaign_eligible && b.campaign_eligible,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_demanding_class_wins_but_every_class_must_allow_campaigns() {
        let a = default_of("tier:A");
        let dormant = Strategy { campaign_eligible: false, ..default_of("lifecycle:dormant") };
        let both = combine(&[dormant, a]).unwrap();
        assert_eq!(both.priority, 1);
        assert_eq!(both.sla_class, SlaClass::Urgent);
        assert!(both.green_channel && both.dedicated_manager);
        assert!(!both.campaign_eligible);
        assert_eq!(combine(&[]), None);
        let c_and_bronze = combine(&[default_of("tier:C"), default_of("level:bronze")]).unwrap();
        assert_eq!((c_and_bronze.priority, c_and_bronze.sla_class), (3, SlaClass::Standard));
    }

    #[test]
    fn every_class_has_a_default() {
        for c in CLASSES {
            assert!(default_of(c).validate().is_ok(), "{c}");
        }
        assert!(default_of("tier:A").green_channel && default_of("level:gold").dedicated_manager);
    }
}
