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

#[test]
fn every_event_topic_is_a_documented_webhook() {
    let spec = serde_json::to_value(guanxi::openapi::spec()).unwrap();
    let hooks = spec["webhooks"].as_object().expect("an OAS 3.1 webhooks section");
    for topic in guanxi::outbox::Topic::ALL {
        let op = &hooks[topic.as_str()]["post"];
        assert_eq!(op["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Event");
        let names: Vec<&str> = op["parameters"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
        assert!(names.contains(&"X-Guanxi-Signature"), "{topic:?}");
    }
    assert_eq!(hooks.len(), guanxi::outbox::Topic::ALL.len());
    // What a subscription may name is exactly the topics and their families.
    let filters = spec["components"]["schemas"]["TopicFilter"]["oneOf"].as_array().unwrap();
    assert_eq!(filters.len(), 2);
}

#[test]
fn pages_refer_to_their_items() {
    let spec = serde_json::to_value(guanxi::openapi::spec()).unwrap();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let pages: Vec<&String> = schemas.keys().filter(|k| k.starts_with("Page_")).collect();
    assert!(pages.len() >= 10);
    for page in pages {
        let item = page.trim_start_matches("Page_");
        assert_eq!(schemas[page]["properties"]["items"]["items"]["$ref"], format!("#/components/schemas/{item}"));
        assert!(schemas.contains_key(item), "{item} is a component");
    }
}

#[test]
fn every_reference_resolves() {
    fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r);
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let spec = serde_json::to_value(guanxi::openapi::spec()).unwrap();
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 100);
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
        assert!(spec["components"]["schemas"][name].is_object(), "{r} names no schema");
    }
}
