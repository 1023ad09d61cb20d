//! B3b (the deepest page under every filter and sort) and B3c (name search) against SQL written
//! by hand for the same page, run raw on the same pool. Each raw query is first checked to return
//! exactly the page the API returns, so the two sides measure the same work.

use std::time::Instant;

use diesel::sql_types::Text;
use diesel::QueryableByName;

use super::{load, Figure};
use crate::db::{DbConnection, DbPool};

/// Requests per side and scenario in each pair (the p50 of these is compared).
const SAMPLES: usize = 15;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Runs `sql` with text parameters (`?`, numbered for PostgreSQL; `{ts}` is a timestamp
/// parameter), returning the `id` column.
fn raw(conn: &mut DbConnection, sql: &str, params: &[String]) -> Result<Vec<String>, String> {
    macro_rules! run {
        ($c:expr, $db:ty, $sql:expr) => {{
            let mut q = diesel::sql_query($sql).into_boxed::<$db>();
            for p in params {
                q = q.bind::<Text, _>(p.clone());
            }
            diesel::RunQueryDsl::load::<Row>(q, $c)
        }};
    }
    let rows = match conn {
        DbConnection::Sqlite(c) => run!(c, diesel::sqlite::Sqlite, sql.replace("{ts}", "?")),
        DbConnection::Postgres(c) => {
            let mut n = 0;
            let numbered: String = sql
                .replace("{ts}", "CAST(? AS timestamp)")
                .chars()
                .map(|ch| match ch {
                    '?' => {
                        n += 1;
                        format!("${n}")
                    }
                    _ => ch.to_string(),
                })
                .collect();
            run!(c, diesel::pg::Pg, numbered)
        }
    };
    rows.map(|r| r.into_iter().map(|r| r.id).collect()).map_err(|e| e.to_string())
}

pub(super) async fn raw_on(db: &DbPool, sql: String, params: Vec<String>) -> Result<Vec<String>, String> {
    let db = db.clone();
    actix_web::web::block(move || raw(&mut *db.get().map_err(|e| e.to_string())?, &sql, &params))
        .await
        .map_err(|e| e.to_string())?
}

/// A page as the raw side returns it: the rows, then their owners and tags (as the API does).
async fn raw_page(db: &DbPool, sql: &str, params: &[String]) -> Result<Vec<String>, String> {
    let ids = raw_on(db, sql.to_owned(), params.to_vec()).await?;
    if !ids.is_empty() {
        let marks = vec!["?"; ids.len()].join(",");
        let owners = format!("SELECT user_id AS id FROM customer_owners WHERE customer_id IN ({marks})");
        let tags = format!("SELECT tag AS id FROM customer_tags WHERE customer_id IN ({marks})");
        raw_on(db, owners, ids.clone()).await?;
        raw_on(db, tags, ids.clone()).await?;
    }
    Ok(ids)
}

async fn api_page(client: &awc::Client, url: &str, auth: &str) -> Result<Vec<String>, String> {
    let mut res = client.get(url).insert_header(("Authorization", auth)).send().await.map_err(|e| e.to_string())?;
    let body: serde_json::Value = res.json().limit(16 << 20).await.map_err(|e| e.to_string())?;
    let items = body["items"].as_array().ok_or_else(|| format!("{url}: {body}"))?;
    Ok(items.iter().filter_map(|c| c["id"].as_str().map(str::to_owned)).collect())
}

/// One list the API serves, and the hand-written SQL for the same page.
struct Scenario {
    label: String,
    /// API query string (without cursor and limit).
    query: String,
    /// Predicate over `customers c`, with `?` parameters.
    predicate: String,
    params: Vec<String>,
    by_name: bool,
}

impl Scenario {
    fn order(&self, desc: bool) -> &'static str {
        match (self.by_name, desc) {
            (true, false) => "c.name, c.id",
            (true, true) => "c.name DESC, c.id DESC",
            (false, false) => "c.id DESC",
            (false, true) => "c.id",
        }
    }
}

/// What the bench signs in as and looks at.
pub struct Viewer<'a> {
    pub db: &'a DbPool,
    pub client: &'a awc::Client,
    pub base: &'a str,
    pub auth: &'a str,
    /// Unit path prefix of the viewer's scope.
    pub scope: &'a str,
    /// Customers the viewer sees (a sample).
    pub ids: &'a [String],
}

/// The deepest page of `s` through the API (URL) and raw (SQL, params), checked equal.
async fn deepest(v: &Viewer<'_>, s: &Scenario) -> Result<(String, String, Vec<String>), String> {
    let scoped = format!(
        "c.deleted_at IS NULL AND EXISTS (SELECT 1 FROM units u WHERE u.id = c.unit_id AND u.path LIKE ?) AND {}",
        s.predicate
    );
    let mut params = vec![format!("{}%", v.scope)];
    params.extend(s.params.iter().cloned());
    // The row just before the last page of 50 is the cursor that reaches it.
    let before =
        format!("SELECT c.id AS id FROM customers c WHERE {scoped} ORDER BY {} LIMIT 1 OFFSET 50", s.order(true));
    let cursor_row = raw_on(v.db, before, params.clone()).await?;
    let mut url = format!("{}/api/v1/customers?limit=50&{}", v.base, s.query);
    let list = crate::http::pagination::list_of("/api/v1/customers", &format!("limit=50&{}", s.query));
    let mut sql = format!("SELECT c.* FROM customers c WHERE {scoped}");
    if let Some(id) = cursor_row.first() {
        if s.by_name {
            let name = raw_on(v.db, "SELECT name AS id FROM customers WHERE id = ?".into(), vec![id.clone()]).await?;
            let name = name.first().ok_or("cursor row vanished")?;
            url +=
                &format!("&cursor={}", crate::http::pagination::encode_cursor_for(&list, &format!("{name}\u{1f}{id}")));
            sql += " AND (c.name, c.id) > (?, ?)";
            params.extend([name.clone(), id.clone()]);
        } else {
            url += &format!("&cursor={}", crate::http::pagination::encode_cursor_for(&list, id));
            sql += " AND c.id < ?";
            params.push(id.clone());
        }
    }
    sql += &format!(" ORDER BY {} LIMIT 50", s.order(false));
    let (api, raw) = (api_page(v.client, &url, v.auth).await?, raw_page(v.db, &sql, &params).await?);
    if api != raw {
        return Err(format!("{}: the API page and the raw page differ ({} vs {} rows)", s.label, api.len(), raw.len()));
    }
    Ok((url, sql, params))
}

/// p50 seconds of `SAMPLES` API requests and of as many raw runs.
async fn p50s(v: &Viewer<'_>, urls: &[String], raws: &[(String, Vec<String>)]) -> Result<(f64, f64), String> {
    let (mut a, mut b) = (vec![], vec![]);
    for i in 0..SAMPLES {
        let t = Instant::now();
        api_page(v.client, &urls[i % urls.len()], v.auth).await?;
        a.push(t.elapsed().as_secs_f64());
        let (sql, params) = &raws[i % raws.len()];
        let t = Instant::now();
        raw_page(v.db, sql, params).await?;
        b.push(t.elapsed().as_secs_f64());
    }
    Ok((load::median(&a), load::median(&b)))
}

/// Scenarios over the viewer's customers: unfiltered and fully filtered, in both orders.
async fn scenarios(v: &Viewer<'_>) -> Result<Vec<Scenario>, String> {
    let first = v.ids.first().ok_or("no customer to filter on")?.clone();
    let one = |sql: &str| raw_on(v.db, sql.to_owned(), vec![first.clone()]);
    let unit = one("SELECT unit_id AS id FROM customers WHERE id = ?").await?.remove(0);
    let owner = one("SELECT user_id AS id FROM customer_owners WHERE customer_id = ?").await?;
    let owner = owner.first().ok_or("the sample customer has no owner")?.clone();
    let channel = one("SELECT source_channel AS id FROM customers WHERE id = ?").await?.remove(0);
    let from = (chrono::Utc::now() - chrono::TimeDelta::days(540)).naive_utc();
    let to = chrono::Utc::now().naive_utc();
    let rfc = |t: chrono::NaiveDateTime| t.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let stored = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
    let every = format!(
        "tag=vip&owner_id={owner}&unit_id={unit}&channel={channel}&reachable=true&created_from={}&created_to={}",
        rfc(from),
        rfc(to)
    );
    let every_sql = "c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?) \
         AND c.id IN (SELECT customer_id FROM customer_owners WHERE user_id = ?) \
         AND c.unit_id = ? AND c.source_channel = ? AND c.reachable = TRUE \
         AND c.created_at >= {ts} AND c.created_at < {ts}";
    let every_params = vec!["vip".into(), owner, unit, channel, stored(from), stored(to)];
    let mut out = vec![];
    for by_name in [true, false] {
        let sort = if by_name { "sort=name" } else { "sort=-created" };
        out.push(Scenario {
            label: format!("{sort}, no filter"),
            query: sort.into(),
            predicate: "1 = 1".into(),
            params: vec![],
            by_name,
        });
        out.push(Scenario {
            label: format!("{sort}, every filter"),
            query: format!("{sort}&{every}"),
            predicate: every_sql.into(),
            params: every_params.clone(),
            by_name,
        });
        out.push(Scenario {
            label: format!("{sort}, tag and reachable"),
            query: format!("{sort}&tag=vip&reachable=true"),
            predicate: "c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?) AND c.reachable = TRUE".into(),
            params: vec!["vip".into()],
            by_name,
        });
    }
    Ok(out)
}

/// B3b: for each scenario the deepest page, API vs raw; each pair's ratio is the worst scenario's.
pub async fn b3b(v: &Viewer<'_>, pairs: usize) -> Result<Figure, String> {
    let mut figure =
        Figure::new("B3b", "deepest page, every filter and sort vs hand-written SQL (p50, worst)", (5.0, false));
    let mut cases = vec![];
    for s in scenarios(v).await? {
        let (url, sql, params) = deepest(v, &s).await?;
        cases.push((s.label, url, sql, params));
    }
    let mut worst: Vec<(f64, String)> = vec![];
    for _ in 0..pairs {
        let mut pair_worst = (0.0, String::new());
        for (label, url, sql, params) in &cases {
            let (a, b) = p50s(v, std::slice::from_ref(url), &[(sql.clone(), params.clone())]).await?;
            if a / b > pair_worst.0 {
                pair_worst = (a / b, format!("{label}: {:.2} vs {:.2} ms", a * 1e3, b * 1e3));
            }
        }
        figure.ratios.push(pair_worst.0);
        worst.push(pair_worst);
    }
    worst.sort_by(|x, y| x.0.total_cmp(&y.0));
    figure.detail = worst.get(worst.len() / 2).map(|w| w.1.clone()).unwrap_or_default();
    Ok(figure)
}

/// B3c: `q=` name search (a page of 50 by name) vs the raw trigram query for the same page; and
/// its absolute p50.
pub async fn b3c(v: &Viewer<'_>, pairs: usize) -> Result<Vec<Figure>, String> {
    let sample: Vec<String> = v.ids.iter().take(400).cloned().collect();
    let marks = vec!["?"; sample.len()].join(",");
    let names = raw_on(v.db, format!("SELECT name AS id FROM customers WHERE id IN ({marks})"), sample).await?;
    // Three characters from the end of each name: a given name with the last surname character.
    let mut terms: Vec<String> = names
        .iter()
        .filter_map(|n| {
            let chars: Vec<char> = n.chars().collect();
            (chars.len() >= 3).then(|| chars[chars.len() - 3..].iter().collect())
        })
        .collect();
    terms.sort();
    terms.dedup();
    terms.truncate(30);
    if terms.is_empty() {
        return Err("no name of three or more characters to search for".into());
    }
    let trigram = match &mut **v.db.get().map_err(|e| e.to_string())? {
        DbConnection::Sqlite(_) => {
            "c.id IN (SELECT s.customer_id FROM customer_search s JOIN customer_names n ON n.rowid = s.id \
             WHERE customer_names MATCH ?)"
        }
        DbConnection::Postgres(_) => "c.name ILIKE ?",
    };
    let sql = format!(
        "SELECT c.* FROM customers c WHERE {trigram} AND c.deleted_at IS NULL \
         AND EXISTS (SELECT 1 FROM units u WHERE u.id = c.unit_id AND u.path LIKE ?) ORDER BY c.name, c.id LIMIT 50"
    );
    let (mut urls, mut raws) = (vec![], vec![]);
    for t in &terms {
        let pattern = match trigram.contains("MATCH") {
            true => crate::customers::store::fts_phrase(t),
            false => format!("%{t}%"),
        };
        let query = serde_urlencoded::to_string([("q", t)]).map_err(|e| e.to_string())?;
        let url = format!("{}/api/v1/customers?limit=50&sort=name&{query}", v.base);
        let params = vec![pattern, format!("{}%", v.scope)];
        let (api, raw) = (api_page(v.client, &url, v.auth).await?, raw_page(v.db, &sql, &params).await?);
        if api != raw || api.is_empty() {
            return Err(format!("B3c: the API and raw pages for {t:?} differ ({} vs {} rows)", api.len(), raw.len()));
        }
        urls.push(url);
        raws.push((sql.clone(), params));
    }
    let mut ratio = Figure::new(
        "B3c",
        "GET /api/v1/customers?q=<3 characters of a name> vs the raw trigram query (p50)",
        (3.0, false),
    );
    let mut absolute = Figure::new("B3c-p50", "the same search's p50 in ms (not a ratio)", (10.0, false));
    let (mut cand, mut refs) = (vec![], vec![]);
    for _ in 0..pairs {
        let (a, b) = p50s(v, &urls, &raws).await?;
        ratio.ratios.push(a / b);
        absolute.ratios.push(a * 1e3);
        cand.push(a);
        refs.push(b);
    }
    ratio.detail =
        format!("{:.2} vs {:.2} ms over {} terms", load::median(&cand) * 1e3, load::median(&refs) * 1e3, terms.len());
    Ok(vec![ratio, absolute])
}
