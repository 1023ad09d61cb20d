//! The counters behind `/metrics`: request counts and latency histograms, fed by the request
//! middleware (`observe`), read by the health endpoints.

use std::collections::BTreeMap;
use std::sync::Mutex;

const BUCKETS_MS: [f64; 10] = [1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum_ms: f64,
    statements: u64,
    buckets: [u64; BUCKETS_MS.len()],
}

/// Request counts and latency histograms by method, route pattern and status.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    pub(super) fn record(&self, method: &str, route: &str, status: u16, ms: f64, statements: u64) {
        let Ok(mut map) = self.series.lock() else { return };
        let s = map.entry((method.to_owned(), route.to_owned(), status)).or_default();
        s.count += 1;
        s.sum_ms += ms;
        s.statements += statements;
        for (i, le) in BUCKETS_MS.iter().enumerate() {
            if ms <= *le {
                s.buckets[i] += 1;
            }
        }
    }

    /// Prometheus text exposition.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from(
            "# HELP guanxi_http_requests_total Requests served.\n# TYPE guanxi_http_requests_total counter\n",
        );
        let Ok(map) = self.series.lock() else { return out };
        for ((m, r, st), s) in map.iter() {
            let _ =
                writeln!(out, "guanxi_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{st}\"}} {}", s.count);
        }
        out.push_str("# HELP guanxi_http_request_duration_ms Request latency.\n# TYPE guanxi_http_request_duration_ms histogram\n");
        for ((m, r, st), s) in map.iter() {
            let labels = format!("method=\"{m}\",route=\"{r}\",status=\"{st}\"");
            for (i, le) in BUCKETS_MS.iter().enumerate() {
                let _ =
                    writeln!(out, "guanxi_http_request_duration_ms_bucket{{{labels},le=\"{le}\"}} {}", s.buckets[i]);
            }
            let _ = writeln!(out, "guanxi_http_request_duration_ms_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "guanxi_http_request_duration_ms_sum{{{labels}}} {:.3}", s.sum_ms);
            let _ = writeln!(out, "guanxi_http_request_duration_ms_count{{{labels}}} {}", s.count);
        }
        out.push_str(
            "# HELP guanxi_http_request_db_statements_total Database statements sent (queries and transaction commands, a checkout's test query included).\n# TYPE guanxi_http_request_db_statements_total counter\n",
        );
        for ((m, r, st), s) in map.iter() {
            let labels = format!("method=\"{m}\",route=\"{r}\",status=\"{st}\"");
            let _ = writeln!(out, "guanxi_http_request_db_statements_total{{{labels}}} {}", s.statements);
        }
        out
    }
}
