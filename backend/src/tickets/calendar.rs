//! Working time (SVC-3): business hours on working days, where a working day is a weekday that is
//! not a public holiday, or a weekend day the holiday schedule makes a working day (调休). Pure
//! arithmetic on UTC instants with the calendar's fixed offset (mainland China has no daylight
//! saving). The published test vectors are `docs/sla-vectors.md`; the tests read that table.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// How the holiday schedule changes a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// A day off that would be a working day.
    Holiday,
    /// A working day that would be a day off (a make-up working day).
    Workday,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    /// Local minutes from midnight when work starts and ends (start < end ≤ 1440).
    pub start_minute: u32,
    pub end_minute: u32,
    /// Offset of local time from UTC in minutes (China: +480).
    pub utc_offset_minutes: i32,
    /// The holiday schedule, by local date.
    pub days: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    /// 09:00–18:00 China time, Monday to Friday, no holidays.
    pub fn standard() -> Self {
        Calendar { start_minute: 9 * 60, end_minute: 18 * 60, utc_offset_minutes: 480, days: BTreeMap::new() }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    fn offset(&self) -> Duration {
        Duration::minutes(i64::from(self.utc_offset_minutes))
    }

    /// The working window of a local date, as UTC instants (None on a day off).
    fn window(&self, d: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
        if !self.is_working_day(d) || self.start_minute >= self.end_minute {
            return None;
        }
        let midnight = d.and_time(NaiveTime::MIN) - self.offset();
        Some((
            midnight + Duration::minutes(i64::from(self.start_minute)),
            midnight + Duration::minutes(i64::from(self.end_minute.min(1440))),
        ))
    }

    fn local_date(&self, t: NaiveDateTime) -> NaiveDate {
        (t + self.offset()).date()
    }

    /// The instant `seconds` of working time after `from`. Zero working time gives `from` itself;
    /// a start outside business hours counts from the next opening. Gives up after ten years
    /// without a working day (a calendar of holidays only) and answers the last day searched.
    pub fn add(&self, from: NaiveDateTime, seconds: i64) -> NaiveDateTime {
        if seconds <= 0 {
            return from;
        }
        let (mut left, mut day) = (seconds, self.local_date(from));
        for _ in 0..3660 {
            if let Some((open, close)) = self.window(day) {
                let start = from.max(open);
                if start < close {
                    let available = (close - start).num_seconds();
                    if left <= available {
                        return start + Duration::seconds(left);
                    }
                    left -= available;
                }
            }
            day = day.succ_opt().unwrap_or(day);
        }
        day.and_time(NaiveTime::MIN)
    }

    /// Working seconds in [from, to) (0 when to ≤ from).
    pub fn between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to <= from {
            return 0;
        }
        let (mut total, mut day, last) = (0, self.local_date(from), self.local_date(to));
        while day <= last {
            if let Some((open, close)) = self.window(day) {
                let (a, b) = (from.max(open), to.min(close));
                if a < b {
                    total += (b - a).num_seconds();
                }
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        total
    }
}

/// The clock a target runs on: every second, or business hours only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Always,
    Business,
}

/// `seconds` of target time after `from` on `clock`.
pub fn due(cal: &Calendar, clock: Clock, from: NaiveDateTime, seconds: i64) -> NaiveDateTime {
    match clock {
        Clock::Always => from + Duration::seconds(seconds.max(0)),
        Clock::Business => cal.add(from, seconds),
    }
}

/// Seconds of target time in [from, to) on `clock` — what a pause moves the due times by.
pub fn elapsed(cal: &Calendar, clock: Clock, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    match clock {
        Clock::Always => (to - from).num_seconds().max(0),
        Clock::Business => cal.between(from, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mainland schedule's days of the published vectors (2026, as announced).
    fn china_2026() -> Calendar {
        let mut cal = Calendar::standard();
        for (d, kind, _) in crate::tickets::holidays::CN_2026 {
            cal.days.insert(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(), *kind);
        }
        cal
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap() - Duration::hours(8)
    }

    /// Rows of the table in docs/sla-vectors.md: | clock | from (local) | minutes | due (local) |
    /// working minutes back |.
    #[test]
    fn published_vectors_hold() {
        let cal = china_2026();
        let text = include_str!("../../../docs/sla-vectors.md");
        let mut checked = 0;
        for line in text.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| clock") && !l.contains("---")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
            let [clock, from, minutes, expected, back, ..] = cells[..] else { panic!("bad row: {line}") };
            let clock = if clock == "business" { Clock::Business } else { Clock::Always };
            let (from, expected) = (local(from), local(expected));
            let minutes: i64 = minutes.parse().unwrap();
            assert_eq!(due(&cal, clock, from, minutes * 60), expected, "{line}");
            let back: i64 = back.parse().unwrap();
            assert_eq!(elapsed(&cal, clock, from, expected), back * 60, "{line}");
            checked += 1;
        }
        assert!(checked >= 10, "the vectors table was not read ({checked} rows)");
    }

    #[test]
    fn make_up_days_work_and_holidays_do_not() {
        let cal = china_2026();
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(cal.is_working_day(d("2026-02-14")), "Saturday 14 February is a make-up working day");
        assert!(!cal.is_working_day(d("2026-02-16")), "Monday 16 February is Spring Festival");
        assert!(!cal.is_working_day(d("2026-02-21")));
        assert!(cal.is_working_day(d("2026-02-24")));
    }

    #[test]
    fn a_calendar_without_working_days_ends() {
        let mut cal = Calendar::standard();
        cal.start_minute = cal.end_minute;
        let t = local("2026-03-02 10:00");
        assert!(cal.add(t, 60) > t);
        assert_eq!(cal.between(t, t + Duration::days(3)), 0);
    }
}
