//! Lockout after repeated failed logins, per (username as typed, client address), in the
//! database so it holds across servers.
//!
//! - Unknown names are counted exactly like real ones: the 429 tells nobody a name exists.
//! - A lock holds one address: an attacker elsewhere cannot lock the owner out of their account.
//! - A served lock consumes its failures (the next failure does not lock again at once), and each
//!   further lock lasts twice as long, up to a day; a day without failures forgets them all.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::login_locks;
use crate::db::DbConnection;
use crate::error::ApiError;

const FIRST_LOCK: TimeDelta = TimeDelta::minutes(15);
const LONGEST_LOCK: TimeDelta = TimeDelta::hours(24);
const FORGET_AFTER: TimeDelta = TimeDelta::hours(24);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_locks, treat_none_as_null = true)]
struct State {
    failures: i32,
    locks: i32,
    locked_until: Option<NaiveDateTime>,
    last_failure_at: NaiveDateTime,
}

fn lock_for(locks: i32) -> TimeDelta {
    let doublings = (locks - 1).clamp(0, 16) as u32;
    (FIRST_LOCK * 2i32.pow(doublings)).min(LONGEST_LOCK)
}

/// The state after one more failure at `t`.
fn after_failure(prev: Option<State>, t: NaiveDateTime, max_failures: i32) -> State {
    let mut s = prev.unwrap_or(State { failures: 0, locks: 0, locked_until: None, last_failure_at: t });
    if t - s.last_failure_at > FORGET_AFTER {
        s.failures = 0;
        s.locks = 0;
    }
    if s.locked_until.is_some_and(|until| until <= t) {
        s.failures = 0;
        s.locked_until = None;
    }
    s.failures += 1;
    s.last_failure_at = t;
    if s.failures >= max_failures.max(1) {
        s.locks += 1;
        s.failures = 0;
        s.locked_until = Some(t + lock_for(s.locks));
    }
    s
}

/// The key for a client address: IPv6 clients by /64, since one host owns the whole block.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_owned(),
    }
}

fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Seconds until this name may be tried again from this address, if it is locked there now.
pub fn locked(
    conn: &mut DbConnection,
    username: &str,
    address: &str,
    t: NaiveDateTime,
) -> Result<Option<u64>, ApiError> {
    let until: Option<Option<NaiveDateTime>> = login_locks::table
        .find((key(username), address_key(address)))
        .select(login_locks::locked_until)
        .first(conn)
        .optional()?;
    Ok(until.flatten().filter(|u| *u > t).map(|u| (u - t).num_seconds().max(1) as u64))
}

/// Counts a failure; the end of the lock when it locked this name at this address.
pub fn failed(
    conn: &mut DbConnection,
    username: &str,
    address: &str,
    max_failures: i32,
    t: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, ApiError> {
    let id = (key(username), address_key(address));
    let prev: Option<State> = match conn {
        DbConnection::Postgres(c) => {
            login_locks::table.find(id.clone()).select(State::as_select()).for_update().first(c).optional()?
        }
        DbConnection::Sqlite(c) => {
            login_locks::table.find(id.clone()).select(State::as_select()).first(c).optional()?
        }
    };
    let next = after_failure(prev, t, max_failures);
    match prev {
        Some(_) => {
            diesel::update(login_locks::table.find(id)).set(&next).execute(conn)?;
        }
        None => {
            diesel::insert_into(login_locks::table)
                .values((login_locks::username.eq(&id.0), login_locks::address.eq(&id.1), &next))
                .execute(conn)?;
        }
    }
    // Rows nobody failed with for a while are of no use; keep the table small as it goes.
    diesel::delete(login_locks::table.filter(login_locks::last_failure_at.lt(t - FORGET_AFTER - TimeDelta::hours(24))))
        .execute(conn)?;
    Ok(next.locked_until.filter(|_| prev.is_none_or(|p| p.locked_until != next.locked_until)))
}

/// A successful login forgets the failures of this name at this address.
pub fn succeeded(conn: &mut DbConnection, username: &str, address: &str) -> Result<(), ApiError> {
    diesel::delete(login_locks::table.find((key(username), address_key(address)))).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc() + TimeDelta::minutes(minutes)
    }

    #[test]
    fn the_fifth_failure_locks_and_a_served_lock_starts_afresh() {
        let mut s = None;
        for i in 0..4 {
            s = Some(after_failure(s, at(i), 5));
            assert_eq!(s.unwrap().locked_until, None);
        }
        let locked = after_failure(s, at(4), 5);
        assert_eq!(locked.locked_until, Some(at(4 + 15)));
        // One failure after the lock ended does not lock again.
        let after = after_failure(Some(locked), at(4 + 16), 5);
        assert_eq!((after.locked_until, after.failures), (None, 1));
    }

    #[test]
    fn locks_back_off_and_a_quiet_day_forgets() {
        let mut s = None;
        let mut t = 0;
        let mut lengths = Vec::new();
        for _ in 0..4 {
            for _ in 0..5 {
                s = Some(after_failure(s, at(t), 5));
                t += 1;
            }
            let until = s.unwrap().locked_until.unwrap();
            lengths.push((until - at(t - 1)).num_minutes());
            t = (until - at(0)).num_minutes() + 1;
        }
        assert_eq!(lengths, [15, 30, 60, 120]);
        assert_eq!(lock_for(20), LONGEST_LOCK);
        let later = after_failure(s, at(t + 25 * 60), 5);
        assert_eq!((later.locks, later.failures), (0, 1));
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        assert_eq!(address_key("2001:db8::1"), address_key("2001:db8::ffff"));
        assert_eq!(address_key("10.0.0.1"), "10.0.0.1");
    }
}
