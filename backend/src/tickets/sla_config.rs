//! SLA policies, business hours and the holiday schedule as the API edits them, and the setup a
//! ticket's clocks are computed with. Nothing stored means the seed's defaults.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::calendar::{Calendar, Clock, DayKind};
use super::flow::TicketKind;
use super::model::{Channel, Priority};
use super::sla::{Policy, Setup};
use super::sla_store::{self, DayRow, PolicyRow, SettingsRow};
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::revisioned::Revisioned;
use crate::strategies::model::SlaClass;

crate::text_enum!(
    /// `always`: every minute counts; `business`: business hours on working days only.
    SlaClock { Always => "always", Business => "business" }
);
crate::text_enum!(
    /// `holiday`: a weekday off; `workday`: a weekend day worked (调休).
    CalendarDayKind { Holiday => "holiday", Workday => "workday" }
);

impl From<SlaClock> for Clock {
    fn from(c: SlaClock) -> Clock {
        match c {
            SlaClock::Always => Clock::Always,
            SlaClock::Business => Clock::Business,
        }
    }
}

/// One row of the SLA table; an unnamed field matches any ticket.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicy {
    pub kind: Option<TicketKind>,
    pub channel: Option<Channel>,
    pub priority: Option<Priority>,
    pub sla_class: Option<SlaClass>,
    /// Minutes to the first answer, on the always clock.
    #[validate(range(min = 1, max = 525600))]
    #[schema(minimum = 1, maximum = 525600)]
    pub first_response_minutes: i64,
    /// Minutes to a resolution on `clock` (a working day is 540 business minutes by default).
    #[validate(range(min = 1, max = 525600))]
    #[schema(minimum = 1, maximum = 525600)]
    pub resolution_minutes: i64,
    pub clock: SlaClock,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicies {
    /// The whole table; the rows that match a ticket and name the most fields decide, the
    /// tightest target among equally specific rows.
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub policies: Vec<SlaPolicy>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SlaPolicyTable {
    pub policies: Vec<SlaPolicy>,
    /// True while nothing was saved: the seed's defaults.
    pub defaults: bool,
}

/// Business hours (local minutes from midnight) and when the warning fires.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaSettings {
    #[validate(range(min = 0, max = 1439))]
    #[schema(minimum = 0, maximum = 1439)]
    pub start_minute: i32,
    #[validate(range(min = 1, max = 1440))]
    #[schema(minimum = 1, maximum = 1440)]
    pub end_minute: i32,
    /// Local time's offset from UTC (China: 480).
    #[validate(range(min = -720, max = 840))]
    #[schema(minimum = -720, maximum = 840)]
    pub utc_offset_minutes: i32,
    /// The share of the resolution target at which the warning fires.
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub warn_percent: i32,
}

pub const DEFAULT_SETTINGS: SlaSettings =
    SlaSettings { start_minute: 540, end_minute: 1080, utc_offset_minutes: 480, warn_percent: 80 };

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: CalendarDayKind,
    /// The holiday's name, e.g. 春节.
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub name: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    /// The year's holidays and make-up working days; days of other years are refused.
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarYearView {
    pub year: i32,
    pub days: Vec<CalendarDay>,
    /// True when nothing was saved for the year and the built-in schedule applies.
    pub built_in: bool,
}

/// The seed's targets: the hotline answered within 3 minutes and email within 24 hours (seed 002),
/// installation and repair within 3 working days, complaints within 5; urgent and priority SLA
/// classes (the green channel) tighter.
pub fn default_policies() -> Vec<SlaPolicy> {
    let row = |kind, channel, sla_class, first, resolution, clock| SlaPolicy {
        kind,
        channel,
        priority: None,
        sla_class,
        first_response_minutes: first,
        resolution_minutes: resolution,
        clock,
    };
    use SlaClock::{Always, Business};
    vec![
        row(None, None, None, 240, 1080, Business),
        row(None, Some(Channel::Hotline), None, 3, 1080, Business),
        row(None, Some(Channel::Email), None, 1440, 1080, Business),
        row(None, Some(Channel::Chat), None, 5, 1080, Business),
        row(Some(TicketKind::Installation), None, None, 240, 1620, Business),
        row(Some(TicketKind::Repair), None, None, 240, 1620, Business),
        row(Some(TicketKind::Complaint), None, None, 60, 2700, Business),
        row(None, None, Some(SlaClass::Priority), 30, 1080, Business),
        row(None, None, Some(SlaClass::Urgent), 3, 480, Always),
        SlaPolicy { priority: Some(Priority::Urgent), ..row(None, None, None, 15, 480, Always) },
    ]
}

impl From<&SlaPolicy> for Policy {
    fn from(p: &SlaPolicy) -> Policy {
        Policy {
            kind: p.kind.map(|k| k.as_str().to_owned()),
            channel: p.channel.map(|c| c.as_str().to_owned()),
            priority: p.priority.map(|c| c.as_str().to_owned()),
            sla_class: p.sla_class.map(|c| c.as_str().to_owned()),
            first_response_minutes: p.first_response_minutes,
            resolution_minutes: p.resolution_minutes,
            clock: p.clock.into(),
        }
    }
}

fn parse<T>(s: Option<&str>, f: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
    s.map(|v| f(v).ok_or_else(|| ApiError::Internal(format!("stored SLA value {v} unknown")))).transpose()
}

fn policy_of(r: PolicyRow) -> Result<SlaPolicy, ApiError> {
    Ok(SlaPolicy {
        kind: parse(r.kind.as_deref(), TicketKind::parse)?,
        channel: parse(r.channel.as_deref(), Channel::parse)?,
        priority: parse(r.priority.as_deref(), Priority::parse)?,
        sla_class: parse(r.sla_class.as_deref(), SlaClass::parse)?,
        first_response_minutes: r.first_response_minutes,
        resolution_minutes: r.resolution_minutes,
        clock: parse(Some(&r.clock), SlaClock::parse)?.unwrap_or(SlaClock::Business),
    })
}

pub fn policies(conn: &mut DbConnection) -> Result<SlaPolicyTable, ApiError> {
    let rows = sla_store::policies(conn)?;
    if rows.is_empty() {
        return Ok(SlaPolicyTable { policies: default_policies(), defaults: true });
    }
    Ok(SlaPolicyTable { policies: rows.into_iter().map(policy_of).collect::<Result<_, _>>()?, defaults: false })
}

pub fn put_policies(conn: &mut DbConnection, input: &SlaPolicies) -> Result<(), ApiError> {
    input.validate()?;
    let at = now();
    let rows: Vec<PolicyRow> = input
        .policies
        .iter()
        .map(|p| PolicyRow {
            id: new_id(),
            kind: p.kind.map(|k| k.as_str().to_owned()),
            channel: p.channel.map(|c| c.as_str().to_owned()),
            priority: p.priority.map(|c| c.as_str().to_owned()),
            sla_class: p.sla_class.map(|c| c.as_str().to_owned()),
            first_response_minutes: p.first_response_minutes,
            resolution_minutes: p.resolution_minutes,
            clock: p.clock.as_str().to_owned(),
            updated_at: at,
        })
        .collect();
    Ok(sla_store::replace_policies(conn, &rows)?)
}

pub fn settings(conn: &mut DbConnection) -> Result<SlaSettings, ApiError> {
    Ok(sla_store::settings(conn)?.map_or(DEFAULT_SETTINGS, |r| SlaSettings {
        start_minute: r.start_minute,
        end_minute: r.end_minute,
        utc_offset_minutes: r.utc_offset_minutes,
        warn_percent: r.warn_percent,
    }))
}

pub fn put_settings(conn: &mut DbConnection, s: &SlaSettings) -> Result<(), ApiError> {
    s.validate()?;
    if s.end_minute <= s.start_minute {
        return Err(ApiError::field("end_minute", "after_start"));
    }
    let row = SettingsRow {
        id: "default".into(),
        start_minute: s.start_minute,
        end_minute: s.end_minute,
        utc_offset_minutes: s.utc_offset_minutes,
        warn_percent: s.warn_percent,
        updated_at: now(),
    };
    Ok(sla_store::put_settings(conn, &row)?)
}

fn built_in(year: i32) -> Vec<CalendarDay> {
    let table = match year {
        2026 => super::holidays::CN_2026,
        _ => &[],
    };
    table
        .iter()
        .filter_map(|(d, kind, name)| {
            Some(CalendarDay {
                day: NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?,
                kind: match kind {
                    DayKind::Holiday => CalendarDayKind::Holiday,
                    DayKind::Workday => CalendarDayKind::Workday,
                },
                name: Some((*name).to_owned()),
            })
        })
        .collect()
}

fn stored_days(conn: &mut DbConnection) -> Result<Vec<CalendarDay>, ApiError> {
    let rows = sla_store::days(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r: DayRow| {
            Some(CalendarDay {
                day: NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").ok()?,
                kind: CalendarDayKind::parse(&r.kind)?,
                name: r.name,
            })
        })
        .collect())
}

pub fn year(conn: &mut DbConnection, year: i32) -> Result<CalendarYearView, ApiError> {
    let days: Vec<CalendarDay> = stored_days(conn)?.into_iter().filter(|d| d.day.year() == year).collect();
    if days.is_empty() {
        return Ok(CalendarYearView { year, days: built_in(year), built_in: true });
    }
    Ok(CalendarYearView { year, days, built_in: false })
}

pub fn put_year(conn: &mut DbConnection, year: i32, input: &CalendarYear) -> Result<(), ApiError> {
    input.validate()?;
    let mut rows = BTreeMap::new();
    for (i, d) in input.days.iter().enumerate() {
        if d.day.year() != year {
            return Err(ApiError::field(&format!("days[{i}].day"), "other_year"));
        }
        let name = d.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        let row = DayRow { day: d.day.format("%Y-%m-%d").to_string(), kind: d.kind.as_str().to_owned(), name };
        if rows.insert(d.day, row).is_some() {
            return Err(ApiError::field(&format!("days[{i}].day"), "duplicate"));
        }
    }
    let rows: Vec<DayRow> = rows.into_values().collect();
    Ok(sla_store::replace_year(conn, year, &rows)?)
}

/// The setup as stored now, through the server's copy (`cache`): one read of the revision, the
/// tables only when it has moved (decision 0026).
pub fn current(conn: &mut DbConnection, cache: &Revisioned<Setup>) -> Result<Arc<Setup>, ApiError> {
    let revision = sla_store::revision(conn)?;
    cache.at(revision, || setup(conn))
}

pub fn setup(conn: &mut DbConnection) -> Result<Setup, ApiError> {
    let s = settings(conn)?;
    let mut days = BTreeMap::new();
    let stored = stored_days(conn)?;
    let stored_years: std::collections::BTreeSet<i32> = stored.iter().map(|d| d.day.year()).collect();
    let built: Vec<CalendarDay> = [2026].into_iter().filter(|y| !stored_years.contains(y)).flat_map(built_in).collect();
    for d in stored.into_iter().chain(built) {
        let kind = match d.kind {
            CalendarDayKind::Holiday => DayKind::Holiday,
            CalendarDayKind::Workday => DayKind::Workday,
        };
        days.insert(d.day, kind);
    }
    let calendar = Calendar {
        start_minute: u32::try_from(s.start_minute).unwrap_or(540),
        end_minute: u32::try_from(s.end_minute).unwrap_or(1080),
        utc_offset_minutes: s.utc_offset_minutes,
        days,
    };
    let policies = policies(conn)?.policies.iter().map(Policy::from).collect();
    Ok(Setup { calendar, policies, warn_percent: i64::from(s.warn_percent) })
}
