//! B4: a whole tiering run (scored, summarised, applied: history and the current tiers rewritten)
//! against the raw statement that only aggregates the same three measures and ranks them — the
//! least any tiering must do — on a connection of the same pool, alternating.

use std::time::Instant;

use diesel::sql_types::BigInt;

use super::{load, Figure};
use crate::audit::Actor;
use crate::db::{DbConnection, DbPool};

#[derive(diesel::QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The measures of the last 12 months — of customers not deleted and not withdrawn from
/// profiling, as the run counts them — ranked and cut as the run does (seed defaults), counted.
fn reference_sql(pg: bool) -> String {
    let from = if pg { "now() - interval '12 months'" } else { "datetime('now', '-12 months')" };
    let now = if pg { "now()" } else { "datetime('now')" };
    let withdrawn = crate::profiling_withdrawn_sql!();
    format!(
        "WITH m AS (SELECT p.customer_id, SUM(p.amount_fen) AS spend, \
         SUM(COALESCE(p.margin_fen, p.amount_fen * 20 / 100)) AS profit, COUNT(*) AS freq FROM purchases p \
         JOIN customers ON customers.id = p.customer_id WHERE customers.deleted_at IS NULL \
         AND p.purchased_at >= {from} AND p.purchased_at < {now} AND NOT {withdrawn} GROUP BY p.customer_id), \
         r AS (SELECT m.*, COUNT(*) OVER () AS n, RANK() OVER (ORDER BY spend) AS rs, \
         RANK() OVER (ORDER BY profit) AS rp, RANK() OVER (ORDER BY freq) AS rf FROM m), \
         t AS (SELECT r.*, 40 * (rs - 1) * 10000 / GREATEST(n - 1, 1) + 40 * (rp - 1) * 10000 / GREATEST(n - 1, 1) \
         + 20 * (rf - 1) * 10000 / GREATEST(n - 1, 1) AS score FROM r), \
         u AS (SELECT t.*, RANK() OVER (ORDER BY score DESC) - 1 AS higher FROM t) \
         SELECT COUNT(*) AS n FROM u WHERE higher * 100 < n * 20"
    )
    .replace("GREATEST", if pg { "GREATEST" } else { "MAX" })
}

fn timed<T>(f: impl FnOnce() -> Result<T, String>) -> Result<(f64, T), String> {
    let t = Instant::now();
    let out = f()?;
    Ok((t.elapsed().as_secs_f64(), out))
}

pub async fn b4(db: &DbPool, pairs: usize) -> Result<Figure, String> {
    let db = db.clone();
    actix_web::web::block(move || -> Result<Figure, String> {
        let mut conn = db.get().map_err(|e| e.to_string())?;
        let pg = matches!(&**conn, DbConnection::Postgres(_));
        let sql = reference_sql(pg);
        let (mut ratios, mut cand, mut refs, mut scored) = (vec![], vec![], vec![], 0);
        for _ in 0..pairs.max(1) {
            let (a, run) = timed(|| {
                crate::tiers::run::execute(&mut conn, &Actor::system(), None, false, &mut |_, _| Ok(()))
                    .map_err(|e| format!("tiering run: {e:?}"))
            })?;
            let (b, top) = timed(|| {
                let rows: Vec<Counted> =
                    diesel::RunQueryDsl::load(diesel::sql_query(&sql), &mut **conn).map_err(|e| e.to_string())?;
                Ok(rows.first().map_or(0, |r| r.n))
            })?;
            if run.scored == 0 || top == 0 {
                return Err("B4: nothing to tier (seed customers with purchases first)".into());
            }
            scored = run.scored;
            ratios.push(a / b);
            cand.push(a);
            refs.push(b);
        }
        Ok(Figure {
            id: "B4",
            what: "tiering run (score, rank, apply, history) vs the raw aggregate + percentile ranking (time)",
            ratios,
            floor: (2.5, false),
            detail: format!("{scored} scored: {:.2} s vs {:.2} s", load::median(&cand), load::median(&refs)),
        })
    })
    .await
    .map_err(|e| e.to_string())?
}
