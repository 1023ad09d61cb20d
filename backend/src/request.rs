//! What the code handling one request may ask about it without being handed it: its id (for
//! problem documents and the audit log), the list it reads (cursors are bound to it) and the
//! database statements it has sent so far (for `/metrics`). A leaf:
//! it imports nothing of the crate, so errors, the database layer and the HTTP middleware can all
//! use it without depending on one another.

use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    static ID: String;
    static LIST: String;
    static STATEMENTS: std::cell::Cell<u64>;
}

thread_local! {
    static LIST_ON_THREAD: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The current request's id, if this runs for a request.
pub fn id() -> Option<String> {
    ID.try_with(|id| id.clone()).ok()
}

/// Runs `f` as the request `id`.
pub async fn with_id<F: Future>(id: String, f: F) -> F::Output {
    ID.scope(id, f).await
}

/// Runs `f` synchronously as the request `id` (to build a response outside the handler).
pub fn sync_with_id<T>(id: String, f: impl FnOnce() -> T) -> T {
    ID.sync_scope(id, f)
}

/// Runs a request's handling with its list known to the cursors it reads and writes.
pub async fn within_list<F: Future>(list: String, f: F) -> F::Output {
    LIST.scope(list, f).await
}

/// The list of the current request — on its task, or on the blocking thread serving it.
pub fn list() -> Option<String> {
    LIST.try_with(|l| l.clone()).ok().or_else(|| LIST_ON_THREAD.with(|l| l.borrow().clone()))
}

/// Runs `f` on this (blocking) thread with the list of the request it serves.
pub fn on_thread<T>(list: Option<String>, f: impl FnOnce() -> T) -> T {
    let before = LIST_ON_THREAD.with(|l| l.replace(list));
    let out = f();
    LIST_ON_THREAD.with(|l| *l.borrow_mut() = before);
    out
}

/// Runs a request's handling counting the database statements it sends; returns them with the
/// output.
pub async fn counting_statements<F: Future>(f: F) -> (F::Output, u64) {
    STATEMENTS.scope(std::cell::Cell::new(0), async move { (f.await, STATEMENTS.with(|n| n.get())) }).await
}

/// Adds statements sent for the current request (none outside a request).
pub fn count_statements(n: u64) {
    let _ = STATEMENTS.try_with(|c| c.set(c.get() + n));
}
