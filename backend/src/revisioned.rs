//! A value each server keeps in memory while a revision stored in the database stands (decision
//! 0026): servers behind a load balancer keep their own copies, and a change made through any of
//! them moves the stored revision, so every server reads the value again at its next use.

use std::sync::{Arc, Mutex, PoisonError};

pub struct Revisioned<T>(Mutex<Option<(i64, Arc<T>)>>);

impl<T> Default for Revisioned<T> {
    fn default() -> Self {
        Revisioned(Mutex::new(None))
    }
}

impl<T> Revisioned<T> {
    /// The value kept at `revision`, else what `load` reads (then kept at `revision`). The caller
    /// reads the revision before `load` reads the value, so what is kept is never older than the
    /// revision it is kept at: a change committed in between is read again next time, not missed.
    pub fn at<E>(&self, revision: i64, load: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        if let Some((at, kept)) = &*self.0.lock().unwrap_or_else(PoisonError::into_inner) {
            if *at == revision {
                return Ok(kept.clone());
            }
        }
        let fresh = Arc::new(load()?);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((revision, fresh.clone()));
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_while_the_revision_stands_and_read_again_when_it_moves() {
        let cell = Revisioned::default();
        let reads = std::cell::Cell::new(0);
        let get = |revision: i64| {
            cell.at(revision, || {
                reads.set(reads.get() + 1);
                Ok::<_, ()>(revision * 10)
            })
            .map(|v| *v)
        };
        assert_eq!((get(1), get(1)), (Ok(10), Ok(10)));
        assert_eq!((get(2), get(2), get(1)), (Ok(20), Ok(20), Ok(10)));
        assert_eq!(reads.get(), 3, "read once per revision met in turn");
    }
}
