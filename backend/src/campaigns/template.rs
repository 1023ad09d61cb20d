//! Message templates: text with `{{variable}}` marks. A template names only known variables
//! (checked when the campaign is saved: 422 on the field), and the greeting name follows the
//! channel — a text message or a push shows on a lock screen, so it carries the masked name; an
//! email or an agent's call may use the name the customer gave.

use crate::consent::purpose::MarketingChannel;
use crate::customers::mask::{self, View};
use crate::error::{ApiError, FieldError};

/// Every variable a template may use.
pub const VARIABLES: [&str; 2] = ["name", "campaign"];

/// The variables a template uses, in order; `Err` names the first unknown one or a mark left
/// open.
fn marks(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| "{{".to_owned())?;
        let name = after[..end].trim();
        if !VARIABLES.contains(&name) {
            return Err(name.to_owned());
        }
        out.push(name);
        rest = &after[end + 2..];
    }
    Ok(out)
}

/// Checks a template field; the error names the field and the unknown variable.
pub fn check(field: &str, text: &str) -> Result<(), ApiError> {
    marks(text).map(|_| ()).map_err(|name| {
        ApiError::Validation(vec![FieldError::new(field, "unknown_variable")
            .with("variable", name)
            .with("allowed", VARIABLES.join(", "))])
    })
}

/// The greeting name as the channel may show it.
pub fn name_for(channel: MarketingChannel, name: &str) -> String {
    match channel {
        MarketingChannel::Sms | MarketingChannel::Push => mask::name(name, View::Frontline),
        MarketingChannel::Email | MarketingChannel::Phone => name.to_owned(),
    }
}

/// The text with each mark replaced; a template that was checked renders whole.
pub fn render(text: &str, name: &str, campaign: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        match after[..end].trim() {
            "name" => out.push_str(name),
            "campaign" => out.push_str(campaign),
            _ => {}
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_marks_and_refuses_unknown_ones() {
        assert_eq!(render("{{ name }}您好，{{campaign}}开始了", "张*", "春节回馈"), "张*您好，春节回馈开始了");
        assert!(check("body", "Hi {{name}}").is_ok());
        let ApiError::Validation(errors) = check("body", "Hi {{nickname}}").unwrap_err() else { panic!() };
        assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), ("body", "unknown_variable"));
        assert!(check("subject", "Hi {{name").is_err(), "a mark left open");
    }

    #[test]
    fn text_messages_carry_the_masked_name() {
        assert_eq!(name_for(MarketingChannel::Sms, "张三丰"), "张**");
        assert_eq!(name_for(MarketingChannel::Push, "李四"), "李*");
        assert_eq!(name_for(MarketingChannel::Email, "张三丰"), "张三丰");
    }
}
