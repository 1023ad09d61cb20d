//! Recurring jobs. A schedule row holds the next due time; the server that moves it forward with a
//! compare-and-set (only one can) enqueues the job, so several servers never run it twice.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{JobKind, Schedule};
use crate::db::schema::schedules;
use crate::db::{now, DbConnection};
use crate::error::ApiError;

/// The start of the hour after `t`.
pub fn next_hour(t: NaiveDateTime) -> NaiveDateTime {
    let hour = t.date().and_hms_opt(chrono::Timelike::hour(&t), 0, 0).unwrap_or(t);
    hour + chrono::TimeDelta::hours(1)
}

/// 03:00 UTC on the day after `t`.
pub fn next_night(t: NaiveDateTime) -> NaiveDateTime {
    (t.date() + chrono::Days::new(1)).and_hms_opt(3, 0, 0).unwrap_or(t)
}

/// 02:00 UTC on the first day of the quarter after `t`.
pub fn next_quarter(t: NaiveDateTime) -> NaiveDateTime {
    let q_start = (t.month0() / 3) * 3 + 1;
    let (y, m) = if q_start + 3 > 12 { (t.year() + 1, 1) } else { (t.year(), q_start + 3) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.and_hms_opt(2, 0, 0)).unwrap_or(t)
}

/// Enqueues the jobs of `kinds` whose schedule is due; returns how many. Reads first, so an
/// idle server writes nothing.
pub fn enqueue_due(conn: &mut DbConnection, kinds: &[JobKind]) -> Result<usize, ApiError> {
    let t = now();
    let mut started = 0;
    for (kind, Schedule { name, next: next_after }) in kinds.iter().filter_map(|k| Some((k.name, k.schedule?))) {
        let next: Option<NaiveDateTime> =
            schedules::table.find(name).select(schedules::next_run_at).first(conn).optional()?;
        match next {
            None => {
                // First start: the first run is at the next due time.
                let inserted = diesel::insert_into(schedules::table)
                    .values((schedules::name.eq(name), schedules::next_run_at.eq(next_after(t))))
                    .execute(conn);
                match inserted {
                    Err(e) if crate::db::is_unique_violation(&e) => {}
                    other => {
                        other?;
                    }
                }
            }
            Some(due) if due <= t => {
                let moved = crate::db::transaction(conn, |c| {
                    let n = diesel::update(schedules::table.find(name).filter(schedules::next_run_at.eq(due)))
                        .set(schedules::next_run_at.eq(next_after(t)))
                        .execute(c)?;
                    if n == 1 {
                        super::store::enqueue(c, kind, &serde_json::json!({ "owner": null }), None, None)?;
                    }
                    Ok::<_, ApiError>(n == 1)
                })?;
                started += usize::from(moved);
            }
            Some(_) => {}
        }
    }
    Ok(started)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn nights_roll_over_months_and_years() {
        assert_eq!(
            next_night(at(2026, 12, 31)),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(3, 0, 0).unwrap()
        );
        assert_eq!(
            next_night(at(2026, 2, 28)),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(3, 0, 0).unwrap()
        );
    }

    #[test]
    fn quarters_roll_over() {
        assert_eq!(
            next_quarter(at(2026, 11, 23)),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(2, 0, 0).unwrap()
        );
        assert_eq!(
            next_quarter(at(2026, 1, 1)),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap().and_hms_opt(2, 0, 0).unwrap()
        );
        assert_eq!(
            next_quarter(at(2026, 6, 30)),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(2, 0, 0).unwrap()
        );
    }
}
