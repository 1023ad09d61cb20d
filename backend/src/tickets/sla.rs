//! SLA targets and clocks (SVC-3), pure. A policy row names any of type, channel, priority and
//! SLA class (unnamed: any) with a first-response and a resolution target. For a ticket the rows
//! that match and name the most of the four decide; among equally specific rows each target is the
//! tightest. First response runs on the always clock (the seed's minutes and hours); resolution on
//! the policy's clock. See docs/decisions/0024-tickets-sla.md.

use chrono::NaiveDateTime;

use super::calendar::{due, Calendar, Clock};

/// What a ticket's clocks are computed with: the calendar, the policy table and the warning share.
pub struct Setup {
    pub calendar: Calendar,
    pub policies: Vec<Policy>,
    pub warn_percent: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub priority: Option<String>,
    pub sla_class: Option<String>,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub clock: Clock,
}

/// What a ticket is, for matching.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub kind: &'a str,
    pub channel: &'a str,
    pub priority: &'a str,
    pub sla_class: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub clock: Clock,
}

/// When nothing matches: four hours to answer, two working days to resolve.
pub const FALLBACK: Targets = Targets { first_response_minutes: 240, resolution_minutes: 1080, clock: Clock::Business };

fn specificity(p: &Policy, k: &Key<'_>) -> Option<usize> {
    let fields = [(&p.kind, k.kind), (&p.channel, k.channel), (&p.priority, k.priority), (&p.sla_class, k.sla_class)];
    let mut n = 0;
    for (want, have) in fields {
        match want {
            Some(w) if w != have => return None,
            Some(_) => n += 1,
            None => {}
        }
    }
    Some(n)
}

pub fn targets(policies: &[Policy], key: &Key<'_>) -> Targets {
    let matching: Vec<(usize, &Policy)> = policies.iter().filter_map(|p| Some((specificity(p, key)?, p))).collect();
    let Some(best) = matching.iter().map(|(n, _)| *n).max() else { return FALLBACK };
    let top = matching.into_iter().filter(|(n, _)| *n == best).map(|(_, p)| p);
    top.fold(None::<Targets>, |acc, p| {
        Some(match acc {
            None => Targets {
                first_response_minutes: p.first_response_minutes,
                resolution_minutes: p.resolution_minutes,
                clock: p.clock,
            },
            Some(t) => Targets {
                first_response_minutes: t.first_response_minutes.min(p.first_response_minutes),
                resolution_minutes: t.resolution_minutes.min(p.resolution_minutes),
                // The clock goes with the resolution target chosen.
                clock: if p.resolution_minutes < t.resolution_minutes { p.clock } else { t.clock },
            },
        })
    })
    .unwrap_or(FALLBACK)
}

/// A ticket's clock instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub first_response_due: NaiveDateTime,
    pub resolution_due: NaiveDateTime,
    /// `warn_percent` of the resolution target: the warning.
    pub warn_at: NaiveDateTime,
    /// Half the target again after the due time: the second escalation, to the group.
    pub escalate_at: NaiveDateTime,
}

/// The clocks of a ticket whose resolution target starts at `from`.
pub fn start(cal: &Calendar, t: Targets, from: NaiveDateTime, created: NaiveDateTime, warn_percent: i64) -> Clocks {
    let target = t.resolution_minutes * 60;
    Clocks {
        first_response_due: due(cal, Clock::Always, created, t.first_response_minutes * 60),
        resolution_due: due(cal, t.clock, from, target),
        warn_at: due(cal, t.clock, from, target * warn_percent.clamp(1, 100) / 100),
        escalate_at: due(cal, t.clock, from, target + target / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn policy(kind: Option<&str>, channel: Option<&str>, class: Option<&str>, first: i64, res: i64) -> Policy {
        Policy {
            kind: kind.map(str::to_owned),
            channel: channel.map(str::to_owned),
            priority: None,
            sla_class: class.map(str::to_owned),
            first_response_minutes: first,
            resolution_minutes: res,
            clock: Clock::Business,
        }
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap() - Duration::hours(8)
    }

    #[test]
    fn the_most_specific_rows_decide_and_ties_take_the_tightest() {
        let rows = vec![
            policy(None, None, None, 240, 1080),
            policy(None, Some("hotline"), None, 3, 1080),
            policy(Some("installation"), None, None, 240, 1620),
            policy(None, None, Some("urgent"), 3, 540),
            policy(Some("complaint"), Some("email"), None, 1440, 2700),
        ];
        let key = |kind, channel, class| Key { kind, channel, priority: "normal", sla_class: class };
        let t = targets(&rows, &key("inquiry", "website", "standard"));
        assert_eq!((t.first_response_minutes, t.resolution_minutes), (240, 1080), "only the catch-all");
        let t = targets(&rows, &key("installation", "hotline", "standard"));
        assert_eq!((t.first_response_minutes, t.resolution_minutes), (3, 1080), "two rows of one field: tightest each");
        let t = targets(&rows, &key("installation", "website", "standard"));
        assert_eq!((t.first_response_minutes, t.resolution_minutes), (240, 1620));
        let t = targets(&rows, &key("installation", "website", "urgent"));
        assert_eq!((t.first_response_minutes, t.resolution_minutes), (3, 540), "the green channel is tighter");
        let t = targets(&rows, &key("complaint", "email", "urgent"));
        assert_eq!((t.first_response_minutes, t.resolution_minutes), (1440, 2700), "two named fields beat one");
        assert_eq!(targets(&[], &key("inquiry", "chat", "standard")), FALLBACK);
    }

    #[test]
    fn clocks_start_warn_and_escalate_on_working_time() {
        let cal = Calendar::standard();
        let t = Targets { first_response_minutes: 3, resolution_minutes: 1080, clock: Clock::Business };
        let created = local("2026-03-06 17:00"); // a Friday
        let c = start(&cal, t, created, created, 80);
        assert_eq!(c.first_response_due, local("2026-03-06 17:03"));
        // 60 min Friday, 540 Monday, 480 Tuesday.
        assert_eq!(c.resolution_due, local("2026-03-10 17:00"));
        // 80 %: 864 min = 60 + 540 + 264.
        assert_eq!(c.warn_at, local("2026-03-10 13:24"));
        // 150 %: 1620 min = 60 + 540 + 540 + 480.
        assert_eq!(c.escalate_at, local("2026-03-11 17:00"));
    }
}
