//! What a consent is for. A closed set — marketing per channel, profiling, sharing inside the
//! group, sensitive personal information — plus sharing with one partner, named by its code.
//! Stored and sent as text (`marketing_sms`, `partner_sharing:acme-insure`); typed everywhere
//! else, so a mistyped purpose is a 422 at the edge, never a silent "not allowed".

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

crate::text_enum!(
    /// A marketing channel: what `marketing_<channel>` consents to.
    #[derive(Hash)]
    MarketingChannel {
        Sms => "sms",
        Email => "email",
        Phone => "phone",
        Push => "push",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Purpose {
    Marketing(MarketingChannel),
    Profiling,
    IntraGroupSharing,
    SensitivePi,
    /// Sharing with the partner of this code.
    PartnerSharing(String),
}

pub const PARTNER_PREFIX: &str = "partner_sharing:";
const PARTNER_CODE: &str = "[A-Za-z0-9_-]{1,32}";

impl Purpose {
    /// The purposes that are not a partner's.
    pub const FIXED: [&'static str; 7] = [
        "marketing_sms",
        "marketing_email",
        "marketing_phone",
        "marketing_push",
        "profiling",
        "intra_group_sharing",
        "sensitive_pi",
    ];

    pub fn parse(text: &str) -> Option<Purpose> {
        if let Some(code) = text.strip_prefix(PARTNER_PREFIX) {
            let ok = (1..=32).contains(&code.len())
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            return ok.then(|| Purpose::PartnerSharing(code.to_owned()));
        }
        if let Some(channel) = text.strip_prefix("marketing_") {
            return MarketingChannel::parse(channel).map(Purpose::Marketing);
        }
        match text {
            "profiling" => Some(Purpose::Profiling),
            "intra_group_sharing" => Some(Purpose::IntraGroupSharing),
            "sensitive_pi" => Some(Purpose::SensitivePi),
            _ => None,
        }
    }

    /// The marketing channel this purpose covers, if it is a marketing purpose.
    pub fn channel(&self) -> Option<MarketingChannel> {
        match self {
            Purpose::Marketing(c) => Some(*c),
            _ => None,
        }
    }

    pub fn partner(&self) -> Option<&str> {
        match self {
            Purpose::PartnerSharing(code) => Some(code),
            _ => None,
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Purpose::Marketing(c) => write!(f, "marketing_{}", c.as_str()),
            Purpose::Profiling => f.write_str("profiling"),
            Purpose::IntraGroupSharing => f.write_str("intra_group_sharing"),
            Purpose::SensitivePi => f.write_str("sensitive_pi"),
            Purpose::PartnerSharing(code) => write!(f, "{PARTNER_PREFIX}{code}"),
        }
    }
}

impl Serialize for Purpose {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Purpose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Purpose, D::Error> {
        let text = String::deserialize(d)?;
        Purpose::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a consent purpose ({} or {PARTNER_PREFIX}<partner code>)",
                Purpose::FIXED.join(", ")
            ))
        })
    }
}

impl utoipa::PartialSchema for Purpose {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        let fixed = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(Purpose::FIXED));
        let partner = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!("^{PARTNER_PREFIX}{PARTNER_CODE}$")))
            .description(Some("Sharing with one partner, by its code"));
        OneOfBuilder::new()
            .item(fixed)
            .item(partner)
            .description(Some("What a consent is for: a fixed purpose, or sharing with one partner"))
            .into()
    }
}

impl utoipa::ToSchema for Purpose {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_strangers_are_refused() {
        for text in Purpose::FIXED.iter().copied().chain(["partner_sharing:acme-insure"]) {
            let p = Purpose::parse(text).unwrap();
            assert_eq!(p.to_string(), text);
            assert_eq!(serde_json::to_value(&p).unwrap(), text);
            assert_eq!(serde_json::from_value::<Purpose>(serde_json::json!(text)).unwrap(), p);
        }
        for bad in ["marketing_fax", "marketing", "partner_sharing:", "partner_sharing:a b", "Profiling", ""] {
            assert_eq!(Purpose::parse(bad), None, "{bad}");
        }
        assert_eq!(Purpose::parse("marketing_sms").unwrap().channel(), Some(MarketingChannel::Sms));
        assert_eq!(Purpose::parse("partner_sharing:x").unwrap().partner(), Some("x"));
    }
}
