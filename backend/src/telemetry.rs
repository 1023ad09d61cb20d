use tracing_subscriber::EnvFilter;

/// Structured logs to stderr: text for people, JSON (`GUANXI_LOG_FORMAT=json`) for collectors.
pub fn init(filter: &str, json: bool) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
