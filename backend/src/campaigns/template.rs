//! Message templates: text with `{{variable}}` marks. A template names only known variables
//! (checked when the campaign is saved: 422 on the field), and the greeting name follows the
//! channel — a text message or a push shows on a lock screen, so it carries the masked name; an
//! email or an agent's call may use the name the customer gave.

use crate::consent::purpose::MarketingChannel;
use crate::customers::mask::{self, View};
use crate::error::{ApiError, FieldError};

/// Every variable a template may use.
pub const VARIABLES: [&str; 3] = ["name", "campaign", "link"];

/// What the marks stand for in one message.
pub struct Vars<'a> {
    pub name: &'a str,
    pub campaign: &'a str,
    /// The tracked link to the campaign's landing page (empty when it has none).
    pub link: &'a str,
}

/// Whether a (checked) template uses the variable.
pub fn uses(text: &str, variable: &str) -> bool {
    marks(text).is_ok_and(|m| m.contains(&variable))
}

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

/// The field errors of a message for `channel`: an email has a subject and nothing else does, and
/// both texts name only known variables.
pub fn check_message(channel: MarketingChannel, subject: Option<&str>, body: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match (channel, subject) {
        (MarketingChannel::Email, None) => errors.push(FieldError::new("subject", "required")),
        (MarketingChannel::Email, Some(_)) | (_, None) => {}
        (_, Some(_)) => errors.push(FieldError::new("subject", "email_only")),
    }
    for (field, text) in [("body", Some(body)), ("subject", subject)] {
        if let Some(Err(ApiError::Validation(e))) = text.map(|t| check(field, t)) {
            errors.extend(e);
        }
    }
    errors
}

/// The greeting name as the channel may show it.
pub fn name_for(channel: MarketingChannel, name: &str) -> String {
    match channel {
        MarketingChannel::Sms | MarketingChannel::Push => mask::name(name, View::Frontline),
        MarketingChannel::Email | MarketingChannel::Phone => name.to_owned(),
    }
}

/// The text with each mark replaced; a template that was checked renders whole.
pub fn render(text: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        match after[..end].trim() {
            "name" => out.push_str(vars.name),
            "campaign" => out.push_str(vars.campaign),
            "link" => out.push_str(vars.link),
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
        let vars = Vars { name: "张*", campaign: "春节回馈", link: "https://x.cn/t/1" };
        assert_eq!(
            render("{{ name }}您好，{{campaign}}开始了 {{link}}", &vars),
            "张*您好，春节回馈开始了 https://x.cn/t/1"
        );
        assert!(uses("见 {{ link }}", "link") && !uses("{{name}}", "link"));
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
