//! Every kind of background job, assembled from the domains that declare them: the runner and
//! the scheduler get this list, so `jobs/` depends on no domain. A new domain adds its `JOB`
//! here.

use crate::jobs::JobKind;

pub const ALL: &[JobKind] = &[
    crate::audit::service::VERIFY_JOB,
    crate::audit::checkpoint::JOB,
    crate::customers::quality::job::JOB,
    crate::customers::bulk::export::JOB,
    crate::customers::bulk::import::JOB,
    crate::jobs::files::EXPIRE_JOB,
    crate::partners::export::JOB,
    crate::privacy::retention::JOB,
    crate::keys::reencrypt::JOB,
    crate::tiers::run::JOB,
    crate::tickets::sweep::JOB,
    crate::tickets::attachments::SWEEP_JOB,
    crate::campaigns::send::JOB,
    crate::loyalty::service::JOB,
    crate::care::service::JOB,
];

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_schedules_are_unique() {
        let mut names: Vec<&str> = super::ALL.iter().map(|k| k.name).collect();
        let mut schedules: Vec<&str> = super::ALL.iter().filter_map(|k| k.schedule.map(|s| s.name)).collect();
        let (n, s) = (names.len(), schedules.len());
        names.dedup();
        schedules.sort_unstable();
        schedules.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!((names.len(), schedules.len()), (n, s));
        assert_eq!(
            s, 10,
            "quality, retention, job files, audit checkpoint, tiers, SLA, attachments, campaigns, points, care"
        );
    }
}
