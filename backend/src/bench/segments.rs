//! B4b: a segment's live count against the same WHERE written by hand and counted raw on the same
//! pool (first checked to give the same number). B4c's segment is saved here too.

use std::time::Instant;

use super::search::{raw_on, Viewer};
use super::{load, Figure};

const SAMPLES: usize = 9;

/// High-value customers who bought lately: tier A or B and more than ¥500 in the last 90 days.
fn rule() -> serde_json::Value {
    serde_json::json!({"all": [
        {"field": "tier", "op": "in", "value": ["A", "B"]},
        {"field": "spent_fen", "op": "gt", "value": 50_000, "days": 90}
    ]})
}

/// The rule over `customers c` as the rule compiler writes it (tiers honour overrides in force;
/// customers who withdrew profiling are in no segment), with its parameters.
fn rule_sql(now: chrono::NaiveDateTime) -> (String, Vec<String>) {
    let ts = now.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    let since = (now - chrono::TimeDelta::days(90)).format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    let overridden = "SELECT o.customer_id FROM tier_overrides o WHERE o.ended_at IS NULL AND o.expires_at > {ts}";
    let sql = format!(
        "c.id IN (SELECT ct.customer_id FROM customer_tiers ct WHERE ct.tier IN (?, ?) \
         AND ct.customer_id NOT IN ({overridden}) UNION ALL {overridden} AND o.tier IN (?, ?)) \
         AND (SELECT COALESCE(SUM(p.amount_fen), 0) FROM purchases p WHERE p.customer_id = c.id \
         AND p.purchased_at >= {{ts}}) > 50000 AND NOT {}",
        crate::profiling_withdrawn_sql!().replace("customers.id", "c.id")
    );
    let params =
        ["A", "B"].iter().map(|s| s.to_string()).chain([ts.clone(), ts, "A".into(), "B".into(), since]).collect();
    (sql, params)
}

/// `SELECT COUNT(*)` of the rule within the viewer's unit scope, raw.
async fn raw_count(v: &Viewer<'_>, predicate: &str, params: &[String]) -> Result<i64, String> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS TEXT) AS id FROM customers c WHERE c.deleted_at IS NULL \
         AND EXISTS (SELECT 1 FROM units u WHERE u.id = c.unit_id AND u.path LIKE ?) AND {predicate}"
    );
    let mut all = vec![format!("{}%", v.scope)];
    all.extend(params.iter().cloned());
    let n = raw_on(v.db, sql, all).await?;
    n.first().and_then(|s| s.parse().ok()).ok_or_else(|| "no count".to_string())
}

async fn api_count(v: &Viewer<'_>) -> Result<i64, String> {
    let mut res = v
        .client
        .post(format!("{}/api/v1/segments/preview", v.base))
        .insert_header(("Authorization", v.auth))
        .send_json(&serde_json::json!({ "rule": rule() }))
        .await
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
    body["count"].as_i64().ok_or_else(|| format!("preview: {body}"))
}

/// B4b: POST /segments/preview vs the raw COUNT of the same WHERE (p50 of SAMPLES each, per pair).
pub async fn b4b(v: &Viewer<'_>, pairs: usize) -> Result<Figure, String> {
    let (predicate, params) = rule_sql(crate::db::now());
    let (api, raw) = (api_count(v).await?, raw_count(v, &predicate, &params).await?);
    if api != raw {
        return Err(format!("B4b: the preview counts {api}, the raw WHERE {raw}"));
    }
    let mut figure = Figure::new(
        "B4b",
        "POST /segments/preview (tier A/B and >¥500 in 90 days) vs raw COUNT, same WHERE (p50)",
        (1.5, false),
    );
    let (mut cand, mut refs) = (vec![], vec![]);
    for _ in 0..pairs.max(1) {
        let (mut a, mut b) = (vec![], vec![]);
        for _ in 0..SAMPLES {
            let t = Instant::now();
            api_count(v).await?;
            a.push(t.elapsed().as_secs_f64());
            let (predicate, params) = rule_sql(crate::db::now());
            let t = Instant::now();
            raw_count(v, &predicate, &params).await?;
            b.push(t.elapsed().as_secs_f64());
        }
        let (a, b) = (load::median(&a), load::median(&b));
        figure.ratios.push(a / b);
        cand.push(a);
        refs.push(b);
    }
    figure.detail = format!("{api} match: {:.1} vs {:.1} ms", load::median(&cand) * 1e3, load::median(&refs) * 1e3);
    Ok(figure)
}

/// Saves the rule as a segment of the viewer's unit and returns its id (B4c lists its members).
pub async fn saved_segment(v: &Viewer<'_>) -> Result<String, String> {
    let mut res = v
        .client
        .post(format!("{}/api/v1/segments", v.base))
        .insert_header(("Authorization", v.auth))
        .send_json(&serde_json::json!({ "name": "bench: recent high value", "rule": rule() }))
        .await
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
    body["id"].as_str().map(str::to_owned).ok_or_else(|| format!("segment: {body}"))
}
