//! `openapi.yaml` is generated from the code; this fails when the committed file is stale.
//! Regenerate with `cargo run -p guanxi -- openapi > openapi.yaml`.

#[test]
fn committed_openapi_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap_or_default();
    let generated = guanxi::openapi::yaml();
    assert!(
        committed == generated,
        "openapi.yaml is stale: run `cargo run -p guanxi -- openapi > openapi.yaml` and commit it"
    );
}

#[test]
fn every_operation_is_documented() {
    let spec = serde_json::to_value(guanxi::openapi::spec()).unwrap();
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let name = format!("{method} {path}");
            assert!(op["operationId"].is_string(), "{name}: operationId");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{name}: tag");
            assert!(op["summary"].is_string(), "{name}: summary");
            if path.starts_with("/api/v1/") {
                assert!(op["responses"]["4XX"].is_object(), "{name}: problem response");
            }
        }
    }
    assert!(count >= 20, "only {count} operations");
}
