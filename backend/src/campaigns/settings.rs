//! The marketing rules every send obeys (MKT-2): at most `cap_messages` marketing messages to a
//! customer in `cap_days` across all campaigns, and none in the quiet hours of local time.

use chrono::{NaiveDateTime, TimeDelta, Timelike};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::schema::marketing_settings;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, AsChangeset)]
#[diesel(table_name = marketing_settings)]
pub struct SettingsRow {
    pub id: i32,
    pub cap_messages: i64,
    pub cap_days: i64,
    pub quiet_start_minute: i64,
    pub quiet_end_minute: i64,
    pub utc_offset_minutes: i64,
    pub version: i64,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The rules as set; `version` is also the `ETag`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketingRules {
    /// At most this many marketing messages reach one customer in `cap_days`, over all campaigns.
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100, example = 4)]
    pub cap_messages: i64,
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365, example = 30)]
    pub cap_days: i64,
    /// Quiet hours, in minutes after local midnight: from `quiet_start_minute` (21:00 = 1260) to
    /// `quiet_end_minute` (08:00 = 480), across midnight when the start is later. Equal: none.
    #[validate(range(min = 0, max = 1439))]
    #[schema(minimum = 0, maximum = 1439, example = 1260)]
    pub quiet_start_minute: i64,
    #[validate(range(min = 0, max = 1439))]
    #[schema(minimum = 0, maximum = 1439, example = 480)]
    pub quiet_end_minute: i64,
    /// Local time's offset from UTC (China: 480).
    #[validate(range(min = -720, max = 840))]
    #[schema(minimum = -720, maximum = 840, example = 480)]
    pub utc_offset_minutes: i64,
}

impl SettingsRow {
    pub fn rules(&self) -> MarketingRules {
        MarketingRules {
            cap_messages: self.cap_messages,
            cap_days: self.cap_days,
            quiet_start_minute: self.quiet_start_minute,
            quiet_end_minute: self.quiet_end_minute,
            utc_offset_minutes: self.utc_offset_minutes,
        }
    }
}

impl MarketingRules {
    /// Whether `at` (UTC) falls in the quiet hours of local time.
    pub fn quiet_at(&self, at: NaiveDateTime) -> bool {
        let local = at + TimeDelta::minutes(self.utc_offset_minutes);
        let m = i64::from(local.hour() * 60 + local.minute());
        let (start, end) = (self.quiet_start_minute, self.quiet_end_minute);
        match start.cmp(&end) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => m >= start && m < end,
            std::cmp::Ordering::Greater => m >= start || m < end,
        }
    }

    /// Messages handed out after this instant count against the cap at `at`.
    pub fn cap_since(&self, at: NaiveDateTime) -> NaiveDateTime {
        at - TimeDelta::days(self.cap_days)
    }
}

pub fn get(conn: &mut DbConnection) -> QueryResult<SettingsRow> {
    marketing_settings::table.find(1).select(SettingsRow::as_select()).first(conn)
}

/// Saves the rules if the version is still `version`; false when it is not.
pub fn put(
    conn: &mut DbConnection,
    version: i64,
    r: &MarketingRules,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(marketing_settings::table.find(1).filter(marketing_settings::version.eq(version)))
        .set((
            marketing_settings::cap_messages.eq(r.cap_messages),
            marketing_settings::cap_days.eq(r.cap_days),
            marketing_settings::quiet_start_minute.eq(r.quiet_start_minute),
            marketing_settings::quiet_end_minute.eq(r.quiet_end_minute),
            marketing_settings::utc_offset_minutes.eq(r.utc_offset_minutes),
            marketing_settings::version.eq(version + 1),
            marketing_settings::updated_by.eq(by),
            marketing_settings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

impl crate::http::group_setting::GroupSetting for MarketingRules {
    const ACTION: &'static str = "marketing.rules";
    const ENTITY: &'static str = "marketing_rules";

    fn load(conn: &mut DbConnection) -> QueryResult<(Self, i64)> {
        let row = get(conn)?;
        Ok((row.rules(), row.version))
    }

    fn store(&self, conn: &mut DbConnection, version: i64, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
        put(conn, version, self, by, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn quiet_hours_cross_local_midnight() {
        let r = MarketingRules {
            cap_messages: 4,
            cap_days: 30,
            quiet_start_minute: 21 * 60,
            quiet_end_minute: 8 * 60,
            utc_offset_minutes: 480,
        };
        // Beijing 20:59 is 12:59 UTC; 21:00 is 13:00; 07:59 is 23:59 the day before; 08:00 is 00:00.
        assert!(!r.quiet_at(utc("2026-03-02 12:59")));
        assert!(r.quiet_at(utc("2026-03-02 13:00")));
        assert!(r.quiet_at(utc("2026-03-02 23:59")));
        assert!(!r.quiet_at(utc("2026-03-03 00:00")));
        let day = MarketingRules { quiet_start_minute: 12 * 60, quiet_end_minute: 14 * 60, ..r.clone() };
        assert!(day.quiet_at(utc("2026-03-02 04:30")) && !day.quiet_at(utc("2026-03-02 06:00")));
        let none = MarketingRules { quiet_end_minute: 21 * 60, ..r };
        assert!(!none.quiet_at(utc("2026-03-02 13:30")));
    }
}
