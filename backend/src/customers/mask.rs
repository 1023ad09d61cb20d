//! Masking by role (SECURITY.md, "Who sees what"): one place, applied to every response that
//! carries a sensitive field. Unknown roles get the most restrictive view.

use crate::auth::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// agent, sales, auditor, admin, integrations, unknown roles.
    Frontline,
    /// manager, compliance: more, but full values only through a purposeful reveal.
    Manager,
}

impl View {
    pub fn for_role(role: Option<Role>) -> View {
        match role {
            Some(Role::Manager | Role::Compliance) => View::Manager,
            _ => View::Frontline,
        }
    }
}

fn keep(value: &str, head: usize, tail: usize, stars: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < head + tail {
        return "*".repeat(stars.max(chars.len()));
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(stars));
    out.extend(&chars[chars.len() - tail..]);
    out
}

pub fn national_id(value: &str, view: View) -> String {
    match view {
        View::Frontline => keep(value, 3, 4, 11),
        View::Manager => keep(value, 6, 4, 8),
    }
}

/// Shown in national form (the stored value is E.164).
pub fn mobile(e164: &str, _view: View) -> String {
    let national = e164.strip_prefix("+86").unwrap_or(e164);
    keep(national, 3, 4, 4)
}

pub fn email(value: &str, view: View) -> String {
    match (view, value.split_once('@')) {
        (View::Manager, _) => value.to_owned(),
        (View::Frontline, Some((local, domain))) => {
            format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
        }
        (View::Frontline, None) => "***".into(),
    }
}

pub fn name(value: &str, view: View) -> String {
    match view {
        View::Manager => value.to_owned(),
        View::Frontline => {
            let mut chars = value.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            format!("{first}{}", "*".repeat(chars.count().max(1)))
        }
    }
}

/// Frontline staff see the leading divisions only, derived from the value each time (never from
/// a stored region, which an older rule may have cut too long).
pub fn address(value: &str, view: View) -> String {
    match view {
        View::Manager => value.to_owned(),
        View::Frontline => {
            let shown = super::domain::address_region(value);
            if shown.is_empty() {
                "***".to_owned()
            } else {
                shown
            }
        }
    }
}

pub fn birth_date(value: &str, view: View) -> String {
    match view {
        View::Manager => value.to_owned(),
        View::Frontline => format!("{}-**-**", value.get(..4).unwrap_or("****")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The golden vectors of SECURITY.md, per role.
    #[test]
    fn golden_vectors() {
        let f = View::for_role(Some(Role::Agent));
        let m = View::for_role(Some(Role::Manager));
        let a = View::for_role(Some(Role::Auditor));
        assert_eq!(national_id("110105199001011234", f), "110***********1234");
        assert_eq!(national_id("110105199001011234", m), "110105********1234");
        assert_eq!(national_id("110105199001011234", a), "110***********1234");
        for v in [f, m, a] {
            assert_eq!(mobile("+8613812341234", v), "138****1234");
        }
        assert_eq!(email("zhang.san@example.com", f), "z***@example.com");
        assert_eq!(email("zhang.san@example.com", m), "zhang.san@example.com");
        assert_eq!(email("zhang.san@example.com", a), "z***@example.com");
        assert_eq!(name("张三丰", f), "张**");
        assert_eq!(name("张三丰", m), "张三丰");
        assert_eq!(name("张三丰", a), "张**");
        assert_eq!(address("北京市朝阳区建国路88号", f), "北京市朝阳区");
        assert_eq!(address("北京市朝阳区建国路88号", m), "北京市朝阳区建国路88号");
        assert_eq!(address("建国路88号院3号楼(朝阳区)", f), "***");
        assert_eq!(birth_date("1990-01-01", f), "1990-**-**");
        assert_eq!(birth_date("1990-01-01", m), "1990-01-01");
        assert_eq!(birth_date("1990-01-01", a), "1990-**-**");
    }

    #[test]
    fn unknown_and_admin_roles_get_the_narrowest_view() {
        assert_eq!(View::for_role(None), View::Frontline);
        assert_eq!(View::for_role(Some(Role::Admin)), View::Frontline);
        assert_eq!(View::for_role(Some(Role::Integration)), View::Frontline);
        assert_eq!(View::for_role(Some(Role::Compliance)), View::Manager);
        assert_eq!(name("李", View::Frontline), "李*");
    }
}
