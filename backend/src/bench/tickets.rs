//! Service tickets at scale (issue 16): the queue counts (B11a, and their p99), a queue page
//! (B11b), an audited ticket created over HTTP against a raw autocommit INSERT loop with the same
//! durability (B9), and the SLA job over 100,000 open tickets against the bare UPDATE it amounts to
//! (B11c). Tickets are topped up to the customer count first (a million at a million customers).

use std::rc::Rc;
use std::time::Instant;

use diesel::prelude::*;

use super::search::Viewer;
use super::{load, Figure};
use crate::db::schema::tickets;
use crate::db::{DbConnection, DbPool};
use crate::state::AppState;

const SAMPLES: usize = 21;

fn blocking<T: Send + 'static>(
    db: &DbPool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, String> + Send + 'static,
) -> impl std::future::Future<Output = Result<T, String>> {
    let db = db.clone();
    async move {
        actix_web::web::block(move || {
            let mut conn = db.get().map_err(|e| e.to_string())?;
            f(&mut conn)
        })
        .await
        .map_err(|e| e.to_string())?
    }
}

/// Tops the tickets up to `target` and settles the SLA states the seed left due at the instant
/// returned (so that sweeps at that instant find only the tickets the bench makes due).
pub async fn prepare(state: &actix_web::web::Data<AppState>, target: u64) -> Result<chrono::NaiveDateTime, String> {
    let (st, started) = (state.clone(), Instant::now());
    // Minutes at a million on PostgreSQL: without the requests' statement timeout.
    let added = blocking(&state.db, move |c| {
        crate::db::without_statement_timeout(c, |c| {
            crate::tickets::demo::top_up(c, &st.cipher, target).map_err(|e| format!("{e:?}"))
        })
    })
    .await?;
    let at = state.clock.now();
    blocking(&state.db, move |c| {
        crate::db::without_statement_timeout(c, |c| crate::tickets::sweep::sweep(c, at).map_err(|e| format!("{e:?}")))
    })
    .await?;
    // As autovacuum leaves a settled table: statistics, PostgreSQL's visibility map, and the
    // queue tallies without the dead rows of the fold (migration 000032 has them vacuumed often).
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    crate::db::without_statement_timeout(&mut conn, |c| match c {
        DbConnection::Postgres(c) => diesel::connection::SimpleConnection::batch_execute(
            c,
            "VACUUM ANALYZE tickets, ticket_events, ticket_queue_tallies",
        )
        .map_err(|e| e.to_string()),
        DbConnection::Sqlite(_) => Ok(()),
    })?;
    println!("tickets: {added} added in {:.1} s", started.elapsed().as_secs_f64());
    Ok(at)
}

async fn get(v: &Viewer<'_>, url: &str, auth: bool) -> Result<f64, String> {
    let mut req = v.client.get(url);
    if auth {
        req = req.insert_header(("Authorization", v.auth));
    }
    let t = Instant::now();
    let mut res = req.send().await.map_err(|e| e.to_string())?;
    res.body().limit(16 << 20).await.map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("{url}: {}", res.status()));
    }
    Ok(t.elapsed().as_secs_f64())
}

/// B11a: GET /tickets/counts (six queues) vs the same six counts bare (p50 per pair), and the
/// p99 of every counted request (the 50 ms).
pub async fn b11a(v: &Viewer<'_>, viewer: &str, pairs: usize) -> Result<Vec<Figure>, String> {
    let api = format!("{}/api/v1/tickets/counts", v.base);
    let bare = format!("{}/bench/ticket-counts/{}/{viewer}", v.base, v.scope.trim_matches('/').replace('/', "~"));
    get(v, &api, true).await?;
    get(v, &bare, false).await?;
    let mut ratio = Figure::new("B11a", "GET /tickets/counts (6 queues) vs the same counts bare (p50)", (1.5, false));
    let mut p99 = Figure::new("B11a-p99", "GET /tickets/counts p99 latency, ms", (50.0, false));
    let (mut all, mut cand, mut refs) = (vec![], vec![], vec![]);
    for _ in 0..pairs.max(1) {
        let (mut a, mut b) = (vec![], vec![]);
        for _ in 0..SAMPLES {
            a.push(get(v, &api, true).await?);
            b.push(get(v, &bare, false).await?);
        }
        all.extend(a.iter().copied());
        p99.ratios.push(load::quantile(&a, 0.99) * 1e3);
        let (a, b) = (load::median(&a), load::median(&b));
        ratio.ratios.push(a / b);
        cand.push(a);
        refs.push(b);
    }
    ratio.detail = format!("{:.1} vs {:.1} ms", load::median(&cand) * 1e3, load::median(&refs) * 1e3);
    p99.detail = format!("{} requests, p99 of all {:.1} ms", all.len(), load::quantile(&all, 0.99) * 1e3);
    Ok(vec![ratio, p99])
}

/// B11b's two targets: the unit queue's first page through the API and the same query bare.
pub fn b11b_targets(v: &Viewer<'_>, viewer: &str) -> (Rc<Vec<String>>, Rc<Vec<String>>) {
    let scope = v.scope.trim_matches('/').replace('/', "~");
    (
        Rc::new(vec![format!("{}/api/v1/tickets?queue=unit&limit=50", v.base)]),
        Rc::new(vec![format!("{}/bench/tickets/{scope}/{viewer}", v.base)]),
    )
}

/// The reference table of B9 and B9c: made before, dropped after.
async fn raw_table(db: &DbPool, make: bool) -> Result<(), String> {
    let sql = if make {
        "CREATE TABLE IF NOT EXISTS bench_inserts (id TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL)"
    } else {
        "DROP TABLE bench_inserts"
    };
    blocking(db, move |c| diesel::sql_query(sql).execute(c).map(|_| ()).map_err(|e| e.to_string())).await
}

/// `n` single-row autocommit INSERTs into the reference table, one after another (ids from `key`).
fn raw_inserts(c: &mut DbConnection, key: &str, n: usize) -> Result<(), String> {
    let sql = match c {
        DbConnection::Postgres(_) => "INSERT INTO bench_inserts (id, body) VALUES ($1, $2)",
        DbConnection::Sqlite(_) => "INSERT INTO bench_inserts (id, body) VALUES (?, ?)",
    };
    for i in 0..n {
        diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(format!("{key}-{i}-{}", crate::db::new_id()))
            .bind::<diesel::sql_types::Text, _>("宽带资费咨询")
            .execute(c)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One hotline inquiry through the API for the `i`-th customer; anything but 201 is an error.
async fn create_ticket(v: &Viewer<'_>, url: &str, i: usize) -> Result<(), String> {
    let body = serde_json::json!({
        "customer_id": v.ids[i % v.ids.len()], "kind": "inquiry", "channel": "hotline",
        "subject": "宽带资费咨询", "description": "客户来电询问套餐资费",
    });
    let req = v.client.post(url).insert_header(("Authorization", v.auth));
    let mut res = req.send_json(&body).await.map_err(|e| e.to_string())?;
    res.body().await.map_err(|e| e.to_string())?;
    if res.status().as_u16() != 201 {
        return Err(format!("POST /tickets: {}", res.status()));
    }
    Ok(())
}

/// B9: tickets created one after another over HTTP (scope, class strategy, SLA clocks, timeline,
/// audit chain, outbox: one transaction each) vs single-row autocommit INSERTs into a table of
/// the same database, as many, one after another: requests per second over rows per second.
pub async fn b9(v: &Viewer<'_>, pairs: usize) -> Result<Figure, String> {
    const N: usize = 100;
    raw_table(v.db, true).await?;
    let url = format!("{}/api/v1/tickets", v.base);
    create_ticket(v, &url, 0).await?;
    let mut figure = Figure::new(
        "B9",
        "POST /tickets (audited, one transaction) vs raw autocommit INSERT, one after another (rate)",
        (0.5, true),
    );
    let (mut cand, mut refs) = (vec![], vec![]);
    for round in 0..pairs.max(1) {
        let t = Instant::now();
        for i in 0..N {
            create_ticket(v, &url, round * N + i).await?;
        }
        let a = t.elapsed().as_secs_f64();
        let b = blocking(v.db, move |c| {
            let t = Instant::now();
            raw_inserts(c, &round.to_string(), N)?;
            Ok(t.elapsed().as_secs_f64())
        })
        .await?;
        figure.ratios.push(b / a);
        cand.push(N as f64 / a);
        refs.push(N as f64 / b);
    }
    raw_table(v.db, false).await?;
    figure.detail = format!("{:.0} vs {:.0} per second", load::median(&cand), load::median(&refs));
    Ok(figure)
}

/// B9c: the goal's setting — 16 clients creating tickets at once against 16 raw autocommit INSERT
/// loops at once, each on a connection of its own, where the database may share commits (group
/// commit): requests per second over rows per second.
pub async fn b9c(v: &Viewer<'_>, pairs: usize) -> Result<Figure, String> {
    const CLIENTS: usize = 16;
    const EACH: usize = 20;
    raw_table(v.db, true).await?;
    let url = format!("{}/api/v1/tickets", v.base);
    let client = |k: usize| {
        let url = url.clone();
        async move {
            for i in 0..EACH {
                create_ticket(v, &url, k * EACH + i * 7919).await?;
            }
            Ok::<_, String>(())
        }
    };
    let raw = |round: usize, k: usize| blocking(v.db, move |c| raw_inserts(c, &format!("c{round}-{k}"), EACH));
    let mut figure = Figure::new(
        "B9c",
        "POST /tickets from 16 clients at once vs 16 raw autocommit INSERT loops at once (rate)",
        (0.5, true),
    );
    let (mut cand, mut refs) = (vec![], vec![]);
    for round in 0..pairs.max(1) {
        let t = Instant::now();
        for r in futures_util::future::join_all((0..CLIENTS).map(client)).await {
            r?;
        }
        let a = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for r in futures_util::future::join_all((0..CLIENTS).map(|k| raw(round, k))).await {
            r?;
        }
        let b = t.elapsed().as_secs_f64();
        figure.ratios.push(b / a);
        cand.push((CLIENTS * EACH) as f64 / a);
        refs.push((CLIENTS * EACH) as f64 / b);
    }
    raw_table(v.db, false).await?;
    figure.detail = format!("{:.0} vs {:.0} per second", load::median(&cand), load::median(&refs));
    Ok(figure)
}

/// The open tickets the SLA bench makes due for a warning: `n` of them, found once.
fn open_ids(c: &mut DbConnection, n: i64) -> QueryResult<Vec<String>> {
    tickets::table
        .filter(tickets::closed_at.is_null())
        .filter(tickets::status.ne("cancelled"))
        .filter(tickets::paused_at.is_null())
        .order(tickets::id)
        .limit(n)
        .select(tickets::id)
        .load(c)
}

/// Makes the chosen tickets due for a warning only (and nothing else due), as a fresh minute
/// finds them; removes what an earlier sweep wrote about them; folds the queue tallies, so that
/// the job folds only what its own steps appended.
fn arm(c: &mut DbConnection, ids: &[String], at: chrono::NaiveDateTime) -> QueryResult<()> {
    use crate::db::schema::{outbox, staff_notifications, ticket_events};
    for chunk in ids.chunks(10_000) {
        diesel::update(tickets::table.filter(tickets::id.eq_any(chunk)))
            .set((
                tickets::sla_state.eq("on_track"),
                tickets::warn_at.eq(at - chrono::Duration::minutes(1)),
                tickets::resolution_due.eq(at + chrono::Duration::days(1)),
                tickets::escalate_at.eq(at + chrono::Duration::days(2)),
            ))
            .execute(c)?;
        diesel::delete(
            ticket_events::table
                .filter(ticket_events::ticket_id.eq_any(chunk))
                .filter(ticket_events::kind.eq("sla_warning")),
        )
        .execute(c)?;
        diesel::delete(staff_notifications::table.filter(staff_notifications::ticket_id.eq_any(chunk))).execute(c)?;
    }
    diesel::delete(outbox::table.filter(outbox::topic.eq("ticket.warning"))).execute(c)?;
    crate::db::transaction(c, crate::tickets::store::fold_tallies)
}

/// B11c: the SLA job warning 100,000 open tickets (batches of 1,000: state, timeline entry,
/// notification, outbox event each) vs the bare `UPDATE … WHERE warn_at <= now` it amounts to.
pub async fn b11c(db: &DbPool, at: chrono::NaiveDateTime, pairs: usize) -> Result<Figure, String> {
    blocking(db, move |c| {
        let ids = open_ids(c, 100_000).map_err(|e| e.to_string())?;
        if ids.len() < 1000 {
            return Err(format!("B11c: only {} open tickets", ids.len()));
        }
        let (mut ratios, mut cand, mut refs) = (vec![], vec![], vec![]);
        for _ in 0..pairs.max(1) {
            arm(c, &ids, at).map_err(|e| e.to_string())?;
            let t = Instant::now();
            let swept = crate::tickets::sweep::sweep(c, at).map_err(|e| format!("{e:?}"))?;
            let a = t.elapsed().as_secs_f64();
            if swept.warned != ids.len() {
                return Err(format!("B11c: the job warned {} of {}", swept.warned, ids.len()));
            }
            arm(c, &ids, at).map_err(|e| e.to_string())?;
            let t = Instant::now();
            let n = diesel::update(
                tickets::table
                    .filter(tickets::warn_at.le(at))
                    .filter(tickets::sla_state.eq("on_track"))
                    .filter(tickets::closed_at.is_null())
                    .filter(tickets::status.ne("cancelled"))
                    .filter(tickets::paused_at.is_null()),
            )
            .set(tickets::sla_state.eq("warned"))
            .execute(c)
            .map_err(|e| e.to_string())?;
            let b = t.elapsed().as_secs_f64();
            if n != ids.len() {
                return Err(format!("B11c: the bare UPDATE changed {n} of {}", ids.len()));
            }
            ratios.push(a / b);
            cand.push(a);
            refs.push(b);
        }
        arm(c, &ids, at).map_err(|e| e.to_string())?;
        Ok(Figure {
            id: "B11c",
            what: "SLA job warning 100,000 open tickets vs the bare UPDATE … WHERE warn_at <= now (time)",
            ratios,
            floor: (3.0, false),
            detail: format!("{}: {:.2} s vs {:.2} s", ids.len(), load::median(&cand), load::median(&refs)),
        })
    })
    .await
}
