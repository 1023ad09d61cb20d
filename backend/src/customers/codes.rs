//! The closed sets a customer's coded fields take, as stored (TEXT) and as the API spells them.

crate::text_enum!(Gender { Male => "male", Female => "female" });
crate::text_enum!(CustomerType { Individual => "individual", HouseholdMember => "household_member" });
crate::text_enum!(IncomeBand { Low => "low", LowerMiddle => "lower_middle", Middle => "middle", UpperMiddle => "upper_middle", High => "high" });
crate::text_enum!(ContactChannel { Sms => "sms", Email => "email", Phone => "phone", Push => "push", Wechat => "wechat", Mail => "mail" });
crate::text_enum!(
    /// How the record was collected (CUS-5).
    SourceChannel {
        Sales => "sales",
        Service => "service",
        Survey => "survey",
        ThirdParty => "third_party",
        SelfWeb => "self_web",
        SelfHotline => "self_hotline",
        SelfApp => "self_app",
    }
);
crate::text_enum!(
    /// A member level (SEG-2), from spend, frequency and tenure.
    MemberLevel { Gold => "gold", Silver => "silver", Bronze => "bronze" }
);
crate::text_enum!(
    /// A value band (SEG-2), from spend.
    ValueBand { High => "high", Medium => "medium", Low => "low" }
);
crate::text_enum!(
    /// Where a customer is in their life with the group (SEG-3).
    Lifecycle { Active => "active", Dormant => "dormant", Potential => "potential", ChurnRisk => "churn_risk" }
);
