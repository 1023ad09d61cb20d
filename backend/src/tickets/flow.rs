//! The ticket workflows (SVC-2) as data: which status may follow which, per ticket type, and what
//! a step must carry. Pure: the service asks here before it writes, and the table test below walks
//! every (type, from, to) pair.

crate::text_enum!(
    /// What the customer came with.
    TicketKind {
        Inquiry => "inquiry",
        Complaint => "complaint",
        Installation => "installation",
        Repair => "repair",
        Revisit => "revisit",
        Other => "other",
    }
);

crate::text_enum!(
    /// Where a ticket stands. `awaiting_feedback` waits on the customer: its SLA clocks pause.
    TicketStatus {
        New => "new",
        Investigating => "investigating",
        Assigned => "assigned",
        Resolving => "resolving",
        AwaitingFeedback => "awaiting_feedback",
        Closed => "closed",
        Reopened => "reopened",
        Cancelled => "cancelled",
    }
);

use TicketStatus::*;

/// The statuses a ticket of `kind` may move to from `from`, in the order the UI offers them.
/// Complaints take the seed's whole path (record → investigate → assign responsibility → resolve
/// → feed back → satisfaction; dissatisfied → reopened → investigate again); after-sales work is
/// assigned without an investigation; inquiries, revisits and the rest are answered directly.
pub fn next(kind: TicketKind, from: TicketStatus) -> &'static [TicketStatus] {
    use TicketKind::*;
    match (kind, from) {
        (_, Cancelled) => &[],
        (Complaint, New) => &[Investigating, Cancelled],
        (Complaint, Investigating) => &[Assigned, Cancelled],
        (Complaint, Assigned) => &[Resolving, Cancelled],
        (Complaint, Resolving) => &[AwaitingFeedback, Cancelled],
        (Complaint, AwaitingFeedback) => &[Closed, Reopened],
        (Complaint, Closed) => &[Reopened],
        (Complaint, Reopened) => &[Investigating, Cancelled],
        (Installation | Repair, New) => &[Assigned, Cancelled],
        (Installation | Repair, Assigned) => &[Resolving, Cancelled],
        (Installation | Repair, Resolving) => &[AwaitingFeedback, Cancelled],
        (Installation | Repair, AwaitingFeedback) => &[Closed, Reopened],
        (Installation | Repair, Closed) => &[Reopened],
        (Installation | Repair, Reopened) => &[Assigned, Cancelled],
        (Inquiry | Revisit | Other, New) => &[Resolving, Closed, Cancelled],
        (Inquiry | Revisit | Other, Resolving) => &[Closed, Cancelled],
        (Inquiry | Other, Closed) => &[Reopened],
        (Inquiry | Other, Reopened) => &[Resolving, Cancelled],
        _ => &[],
    }
}

/// What a step into `to` must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// Investigation findings (complaints) and who is responsible: unit, person, cause.
    Responsibility,
    /// The solution carried out.
    Solution,
    /// What was fed back to the customer (a revisit: its outcome) and the satisfaction (1–5).
    Feedback,
    /// Why: a reason (cancel, reopen).
    Reason,
}

pub fn needs(kind: TicketKind, to: TicketStatus) -> Needs {
    match to {
        Assigned => Needs::Responsibility,
        AwaitingFeedback => Needs::Solution,
        Closed if !matches!(kind, TicketKind::Inquiry | TicketKind::Other) => Needs::Feedback,
        Closed => Needs::Solution,
        Reopened | Cancelled => Needs::Reason,
        _ => Needs::Nothing,
    }
}

/// Statuses in which a ticket is still open (counts in queues, runs SLA clocks).
pub fn is_open(s: TicketStatus) -> bool {
    !matches!(s, Closed | Cancelled)
}

/// A step that delivers the answer: the resolution target is met.
pub fn resolves(to: TicketStatus) -> bool {
    matches!(to, AwaitingFeedback | Closed)
}

/// A satisfaction this low reopens a complaint instead of closing it.
pub const DISSATISFIED_AT_MOST: i32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [TicketStatus; 8] =
        [New, Investigating, Assigned, Resolving, AwaitingFeedback, Closed, Reopened, Cancelled];
    const KINDS: [TicketKind; 6] = [
        TicketKind::Inquiry,
        TicketKind::Complaint,
        TicketKind::Installation,
        TicketKind::Repair,
        TicketKind::Revisit,
        TicketKind::Other,
    ];

    /// The complaint workflow, written out as the seed gives it: (from, to) pairs allowed.
    const COMPLAINT: &[(TicketStatus, TicketStatus)] = &[
        (New, Investigating),
        (Investigating, Assigned),
        (Assigned, Resolving),
        (Resolving, AwaitingFeedback),
        (AwaitingFeedback, Closed),
        (AwaitingFeedback, Reopened),
        (Closed, Reopened),
        (Reopened, Investigating),
        (New, Cancelled),
        (Investigating, Cancelled),
        (Assigned, Cancelled),
        (Resolving, Cancelled),
        (Reopened, Cancelled),
    ];

    #[test]
    fn complaints_follow_the_seed_and_nothing_else() {
        for from in ALL {
            for to in ALL {
                let allowed = next(TicketKind::Complaint, from).contains(&to);
                assert_eq!(allowed, COMPLAINT.contains(&(from, to)), "complaint {from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn every_kind_reaches_closed_from_new_and_cancelled_is_final() {
        for kind in KINDS {
            assert!(next(kind, Cancelled).is_empty(), "{kind:?}");
            // Breadth-first from new: closed is reachable, and every reachable status is named.
            let (mut seen, mut todo) = (vec![New], vec![New]);
            while let Some(s) = todo.pop() {
                for &n in next(kind, s) {
                    if !seen.contains(&n) {
                        seen.push(n);
                        todo.push(n);
                    }
                }
            }
            assert!(seen.contains(&Closed), "{kind:?} cannot be closed");
            assert!(next(kind, New).contains(&Cancelled), "{kind:?} cannot be cancelled when new");
        }
    }

    #[test]
    fn revisits_do_not_reopen_and_after_sales_skip_investigation() {
        assert!(next(TicketKind::Revisit, Closed).is_empty());
        assert!(!next(TicketKind::Repair, New).contains(&Investigating));
        assert_eq!(next(TicketKind::Repair, Reopened), &[Assigned, Cancelled]);
        assert_eq!(next(TicketKind::Inquiry, New), &[Resolving, Closed, Cancelled]);
    }

    #[test]
    fn steps_carry_what_the_seed_asks() {
        assert_eq!(needs(TicketKind::Complaint, Assigned), Needs::Responsibility);
        assert_eq!(needs(TicketKind::Complaint, AwaitingFeedback), Needs::Solution);
        assert_eq!(needs(TicketKind::Complaint, Closed), Needs::Feedback);
        assert_eq!(needs(TicketKind::Inquiry, Closed), Needs::Solution);
        assert_eq!(needs(TicketKind::Revisit, Cancelled), Needs::Reason);
        assert_eq!(needs(TicketKind::Revisit, Closed), Needs::Feedback);
        assert_eq!(needs(TicketKind::Complaint, Investigating), Needs::Nothing);
        assert!(resolves(Closed) && resolves(AwaitingFeedback) && !resolves(Resolving));
        assert!(is_open(Reopened) && !is_open(Closed) && !is_open(Cancelled));
    }
}
