//! Care rules: what a rule must hold, four eyes to switch one on, the morning job that turns
//! each active rule into the day's campaign, and the calendar of the coming days.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use super::model::{CareDay, CareKind, CareRule, CareRuleInput};
use super::store::{self, Concerns, RuleRow};
use crate::auth::Principal;
use crate::campaigns::model::CampaignState;
use crate::campaigns::{store as campaigns, template};
use crate::consent::purpose::MarketingChannel;
use crate::crypto::field::FieldCipher;
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::org::scope::Scope;

/// The care campaign of a day runs from 09:00 to 21:00 Beijing time (01:00–13:00 UTC), inside the
/// default quiet hours' complement; the send job still applies the configured ones.
const DAY_START_UTC_HOUR: u32 = 1;
const DAY_HOURS: i64 = 12;

/// A valid rule's row (inactive, for a second manager to switch on), or 422 naming each field.
pub fn new_rule(p: &Principal, input: CareRuleInput, at: NaiveDateTime) -> Result<RuleRow, ApiError> {
    validator::Validate::validate(&input)?;
    let mut errors = template::check_message(input.channel, input.subject.as_deref(), &input.body);
    if template::uses(&input.body, "link") {
        errors.push(FieldError::new("body", "unknown_variable").with("variable", "link"));
    }
    match (input.kind, &input.month_day) {
        (CareKind::Holiday, Some(md)) if month_day(md).is_none() => errors.push(FieldError::new("month_day", "format")),
        (CareKind::Holiday, None) => errors.push(FieldError::new("month_day", "required")),
        (CareKind::Holiday, Some(_)) | (_, None) => {}
        (_, Some(_)) => errors.push(FieldError::new("month_day", "holiday_only")),
    }
    if input.kind == CareKind::Tip && input.days.unwrap_or(0) < 1 {
        errors.push(FieldError::new("days", "range").with("min", 1));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(RuleRow {
        id: crate::db::new_id(),
        unit_id: p.unit_id.clone(),
        name: input.name.trim().to_owned(),
        kind: input.kind.as_str().to_owned(),
        channel: input.channel.as_str().to_owned(),
        subject: input.subject,
        body: input.body,
        days: input.days.unwrap_or(0),
        month_day: input.month_day,
        active: false,
        author_id: p.id.clone(),
        approved_by: None,
        version: 1,
        created_at: at,
        updated_at: at,
    })
}

/// `MM-DD` as (month, day), any year's day (02-29 included).
fn month_day(md: &str) -> Option<(u32, u32)> {
    let (m, d) = md.split_once('-').filter(|(m, d)| m.len() == 2 && d.len() == 2)?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

/// Switches a rule on (a manager other than its author) or off.
pub fn switch(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    on: bool,
    at: NaiveDateTime,
) -> Result<RuleRow, ApiError> {
    let row = store::get(conn, &Scope::of(p), id)?.ok_or(ApiError::NotFound)?;
    if on && row.author_id == p.id {
        return Err(ApiError::conflict("care_rule_second_person"));
    }
    let approved_by = on.then_some(p.id.as_str());
    if !store::set_active(conn, &row.id, row.version, on, approved_by, at)? {
        return Err(ApiError::conflict("care_rule_changed"));
    }
    store::get(conn, &Scope::of(p), id)?.ok_or(ApiError::NotFound)
}

pub fn view(r: RuleRow) -> Result<CareRule, ApiError> {
    Ok(CareRule {
        kind: CareKind::parse(&r.kind).ok_or_else(|| ApiError::internal("care kind"))?,
        channel: MarketingChannel::parse(&r.channel).ok_or_else(|| ApiError::internal("care channel"))?,
        id: r.id,
        unit_id: r.unit_id,
        name: r.name,
        subject: r.subject,
        body: r.body,
        days: r.days,
        month_day: r.month_day,
        active: r.active,
        author_id: r.author_id,
        approved_by: r.approved_by,
        version: r.version,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// The birthday indexes of `day` under every key: its `MM-DD`, and on 28 February of a year
/// without a 29th, those born on the 29th too.
fn birthday_indexes(cipher: &FieldCipher, day: NaiveDate) -> Vec<String> {
    let mut days = vec![format!("{:02}-{:02}", day.month(), day.day())];
    if day.month() == 2 && day.day() == 28 && NaiveDate::from_ymd_opt(day.year(), 2, 29).is_none() {
        days.push("02-29".into());
    }
    days.iter().flat_map(|md| cipher.blind_indexes("birthday", md)).collect()
}

/// Whom a rule concerns on `day`; None when its day is not today (a holiday on another date).
fn concerns<'a>(rule: &RuleRow, day: NaiveDate, birthdays: &'a [String]) -> Option<Concerns<'a>> {
    let start = day.and_hms_opt(0, 0, 0)?;
    let window = |offset: i64| (start + TimeDelta::days(offset), start + TimeDelta::days(offset + 1));
    match CareKind::parse(&rule.kind)? {
        CareKind::Birthday => Some(Concerns::Birthday(birthdays)),
        CareKind::Holiday => {
            let today = format!("{:02}-{:02}", day.month(), day.day());
            (rule.month_day.as_deref() == Some(today.as_str())).then_some(Concerns::Everyone)
        }
        CareKind::Renewal => {
            let (from, to) = window(rule.days);
            Some(Concerns::Ending(from, to))
        }
        CareKind::Tip => {
            let (from, to) = window(-rule.days);
            Some(Concerns::Bought(from, to))
        }
    }
}

#[derive(Debug, Default, serde::Serialize, PartialEq, Eq)]
pub struct Daily {
    pub rules: usize,
    pub campaigns: usize,
    pub customers: i64,
    pub indexed: usize,
}

/// Indexes birth dates written before the index existed, a batch at a time (a one-off after the
/// upgrade; a date that does not open is skipped and left for the key's owner).
fn backfill(conn: &mut DbConnection, cipher: &FieldCipher) -> Result<usize, ApiError> {
    let mut n = 0;
    loop {
        let batch = store::unindexed_birthdays(conn, 1000)?;
        let mut done = 0;
        for (id, sealed) in &batch {
            let index = cipher
                .decrypt(crate::customers::model::TABLE, "birth_date", id, sealed)
                .ok()
                .and_then(|b| crate::customers::service::birthday_index(cipher, &b))
                // Marks a date that does not open, so the loop moves on; no real index looks so.
                .unwrap_or_else(|| "-".into());
            store::set_birthday_index(conn, id, &index)?;
            done += 1;
        }
        n += done;
        if batch.len() < 1000 {
            return Ok(n);
        }
    }
}

/// The morning run (a job): each active rule's campaign for the day `at` falls on — scheduled,
/// approved by the rule's approver, its audience frozen in one statement — unless it exists.
pub fn daily(conn: &mut DbConnection, cipher: &FieldCipher, at: NaiveDateTime) -> Result<Daily, ApiError> {
    let mut out = Daily { indexed: backfill(conn, cipher)?, ..Daily::default() };
    let day = at.date();
    let starts = day.and_hms_opt(DAY_START_UTC_HOUR, 0, 0).ok_or_else(|| ApiError::internal("care day"))?;
    let birthdays = birthday_indexes(cipher, day);
    for rule in store::list(conn, &Scope::from_prefix("/"), true)? {
        out.rules += 1;
        let Some(who) = concerns(&rule, day, &birthdays) else { continue };
        if store::has_campaign(conn, &rule.id, starts)? {
            continue;
        }
        let path = crate::org::store::unit_path(conn, &rule.unit_id)?.ok_or(ApiError::NotFound)?;
        // A day that concerns nobody makes no campaign (the list stays readable).
        if store::count(conn, &Scope::from_prefix(path.clone()), &who)? == 0 {
            continue;
        }
        crate::db::transaction(conn, |c| -> Result<(), ApiError> {
            let row = campaigns::CampaignRow {
                id: crate::db::new_id(),
                unit_id: rule.unit_id.clone(),
                name: format!("{} {}", rule.name, day),
                goal: None,
                channel: rule.channel.clone(),
                subject: rule.subject.clone(),
                body: rule.body.clone(),
                starts_at: starts,
                ends_at: starts + TimeDelta::hours(DAY_HOURS),
                budget_fen: None,
                cost_per_message_fen: 0,
                state: CampaignState::Scheduled.as_str().to_owned(),
                send_cursor: None,
                author_id: rule.author_id.clone(),
                reviewed_by: rule.approved_by.clone(),
                reviewed_at: Some(at),
                review_note: None,
                audience: 0,
                version: 1,
                created_at: at,
                updated_at: at,
                link_url: None,
                holdout_percent: 0,
                attribution_days: crate::campaigns::service::DEFAULT_ATTRIBUTION_DAYS,
                care_rule_id: Some(rule.id.clone()),
            };
            campaigns::insert(c, &row, &[])?;
            out.customers += store::freeze(c, &row.id, &Scope::from_prefix(path.clone()), &who)?;
            Ok(())
        })?;
        out.campaigns += 1;
    }
    Ok(out)
}

/// For each of the next `days` days from `from`, how many customers each active rule of the
/// scope concerns (days with none are left out).
pub fn calendar(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &Scope,
    from: NaiveDate,
    days: i64,
) -> Result<Vec<CareDay>, ApiError> {
    // Each rule's reach (its unit's subtree, narrowed to what the caller sees), read once.
    let mut rules = Vec::new();
    for rule in store::list(conn, scope, true)? {
        let path = crate::org::store::unit_path(conn, &rule.unit_id)?.ok_or(ApiError::NotFound)?;
        let reach = if scope.covers(&path) { Scope::from_prefix(path) } else { scope.clone() };
        rules.push((rule, reach));
    }
    let mut out = Vec::new();
    for offset in 0..days {
        let day = from + TimeDelta::days(offset);
        let birthdays = birthday_indexes(cipher, day);
        for (rule, reach) in &rules {
            let Some(who) = concerns(rule, day, &birthdays) else { continue };
            let customers = store::count(conn, reach, &who)?;
            if customers > 0 {
                out.push(CareDay {
                    date: day,
                    rule_id: rule.id.clone(),
                    rule_name: rule.name.clone(),
                    kind: CareKind::parse(&rule.kind).ok_or_else(|| ApiError::internal("care kind"))?,
                    customers,
                });
            }
        }
    }
    Ok(out)
}

fn next_morning(t: NaiveDateTime) -> NaiveDateTime {
    let today = t.date().and_hms_opt(DAY_START_UTC_HOUR, 0, 0).unwrap_or(t);
    if today > t {
        today
    } else {
        today + TimeDelta::days(1)
    }
}

/// Every morning at 09:00 Beijing time.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: "care.daily",
    schedule: Some(crate::jobs::Schedule { name: "morning-care", next: next_morning }),
    run: |conn, state, _, _| Ok(serde_json::to_value(daily(conn, &state.cipher, state.clock.now())?)?),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_days_and_the_leap_day() {
        assert_eq!(month_day("02-29"), Some((2, 29)));
        assert_eq!(month_day("10-01"), Some((10, 1)));
        for bad in ["2-9", "13-01", "02-30", "0229", "aa-bb"] {
            assert_eq!(month_day(bad), None, "{bad}");
        }
        let at = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(0, 30, 0).unwrap();
        assert_eq!(next_morning(at).to_string(), "2026-03-02 01:00:00");
        assert_eq!(next_morning(next_morning(at)).to_string(), "2026-03-03 01:00:00");
    }
}
