//! The service clock of deadlines (SLA due times, warnings, escalations): real time, unless a test
//! has stopped it at an instant to walk a ticket through days of working time without sleeping.
//! Audit and record timestamps stay on `db::now`: only what deadlines are measured against moves.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime};

/// No instant set: real time.
const RUNNING: i64 = i64::MIN;

#[derive(Debug)]
pub struct Clock {
    stopped_at_micros: AtomicI64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { stopped_at_micros: AtomicI64::new(RUNNING) }
    }
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        match self.stopped_at_micros.load(Ordering::Relaxed) {
            RUNNING => crate::db::now(),
            micros => DateTime::from_timestamp_micros(micros).map_or_else(crate::db::now, |t| t.naive_utc()),
        }
    }

    /// Stops the clock at `at` until set again (tests only: nothing else calls it).
    pub fn set(&self, at: NaiveDateTime) {
        self.stopped_at_micros.store(at.and_utc().timestamp_micros(), Ordering::Relaxed);
    }
}
