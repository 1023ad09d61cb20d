//! The OpenAPI document, generated from the routes. `openapi.yaml` at the repository root is this
//! document, committed; a test fails when they differ (`guanxi openapi > openapi.yaml` updates it).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Guanxi API",
        description = "Customer management for the personal customers of group companies. \
            Errors are RFC 9457 problem documents; lists are keyset-paginated (`limit`, `cursor`); \
            changes need `If-Match` with the ETag of the version read (or `*`). No text may hold \
            NUL (U+0000), in a body or a URL: the request is refused.",
        license(name = "AGPL-3.0-or-later"),
    ),
    servers((url = "/", description = "This server (the document is served by the API it describes)")),
    components(schemas(
        crate::outbox::Event,
        crate::customers::store::Sort,
        crate::consent::purpose::Purpose,
        crate::consent::purpose::MarketingChannel,
        crate::segments::schema::SegmentRuleAll,
        crate::segments::schema::SegmentRuleAny,
        crate::segments::schema::SegmentRuleNot,
        crate::churn::routes::WarningStatus,
        crate::customers::codes::MemberLevel,
        crate::customers::codes::ValueBand,
        crate::customers::codes::Lifecycle,
        crate::tickets::routes::Queue
    )),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Sign-in, tokens, the current principal"),
        (name = "org", description = "Units and staff users"),
        (name = "customers", description = "Customer records, masked by role"),
        (name = "api_keys", description = "Keys for integrations"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "jobs", description = "Background work and its progress"),
        (name = "webhooks", description = "Signed change events for integrations"),
        (name = "ops", description = "Health, metrics and keys"),
        (name = "consent", description = "Privacy notices, consent records, receipts, self-service links"),
        (name = "partners", description = "Partners, sharing agreements, the share log"),
        (name = "privacy", description = "Data-subject requests, legal holds, retention"),
        (name = "incidents", description = "The data-incident register and regulator reports"),
        (name = "campaigns", description = "Marketing campaigns: plan, four-eyes approval, sends checked against live consent, caps and quiet hours, the report"),
        (name = "care", description = "Care automations: birthday, holiday, renewal and tip rules that become each day's campaign, and their calendar"),
        (name = "loyalty", description = "Loyalty points: the ledger per customer, earning by spend and level, redemptions against the rewards catalogue, expiry, refunds"),
        (name = "churn", description = "Churn warnings (MKT-6): the queue per account manager, the drop in figures, win-back actions"),
        (name = "segments", description = "Saved rule segments: live counts, members (scoped and masked like the customer list)"),
        (name = "tickets", description = "Service tickets and complaints: queues, the workflow, the timeline, SLA clocks, notifications"),
        (name = "sla", description = "SLA policies, business hours and the holiday schedule (调休 included)"),
        (name = "tiers", description = "Value tiers A/B/C/D: settings, runs with their distribution and movement, a customer's tier and why"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT or gx_ API key".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        let mut metrics = Http::new(HttpAuthScheme::Bearer);
        metrics.description = Some("GUANXI_METRICS_TOKEN, set by the operator".into());
        components.add_security_scheme("metrics_token", SecurityScheme::Http(metrics));
    }
}

/// The document, collected from the same registrations the server uses.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure_routes)
        .split_for_parts();
    let types: Vec<String> = crate::error::PROBLEM_TYPES
        .iter()
        .map(|(code, status, meaning)| format!("- `https://guanxi.dev/problems/{code}` ({status}): {meaning}"))
        .collect();
    let described = api.info.description.take().unwrap_or_default();
    api.info.description = Some(format!("{described}\n\nProblem types:\n\n{}", types.join("\n")));
    for (path, item) in api.paths.paths.iter_mut() {
        let kept = path.starts_with("/api/v1/") && !path.ends_with("/reveal");
        if let Some(op) = item.post.as_mut().filter(|op| kept && op.security.is_some()) {
            op.parameters.get_or_insert_with(Vec::new).push(idempotency_key());
        }
    }
    if let Some(components) = api.components.as_mut() {
        page_items_by_reference(components);
    }
    // utoipa 5 has no field for OpenAPI 3.1's top-level `webhooks`; extensions serialise at the
    // top level, so the section goes there.
    api.extensions.get_or_insert_with(Default::default).insert("webhooks".into(), webhooks());
    api
}

/// `Page_Customer.items` refers to `Customer` instead of repeating it, so generated clients
/// have one class per resource.
fn page_items_by_reference(components: &mut utoipa::openapi::Components) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::{Ref, RefOr};
    let pages: Vec<String> = components.schemas.keys().filter(|k| k.starts_with("Page_")).cloned().collect();
    for page in pages {
        let item = page.trim_start_matches("Page_").to_owned();
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&page) else { continue };
        let Some(RefOr::T(Schema::Array(array))) = object.properties.get_mut("items") else { continue };
        let ArrayItems::RefOrSchema(inline) = &mut array.items else { continue };
        let inline = std::mem::replace(inline.as_mut(), RefOr::Ref(Ref::from_schema_name(&item)));
        components.schemas.entry(item).or_insert(inline);
    }
}

/// One entry per event topic: what a subscriber's URL receives, and how to check it came from us.
fn webhooks() -> serde_json::Value {
    use crate::outbox::Topic;
    let header = |name: &str, description: &str| serde_json::json!({"name": name, "in": "header", "required": true, "description": description, "schema": {"type": "string"}});
    let parameters = serde_json::json!([
        header("X-Guanxi-Event", "The topic."),
        header("X-Guanxi-Delivery", "This delivery's id; a retry of it keeps the id."),
        header(
            "X-Guanxi-Signature",
            "`t=<unix seconds>,v1=<hex of HMAC-SHA256(secret, \"<t>.<raw body>\")>` with the subscription's \
             secret (shown once, at creation). Compute it over the raw bytes, compare in constant time, and refuse \
             a `t` more than 300 seconds from your clock: that refuses replays.",
        ),
    ]);
    let entries = Topic::ALL.iter().map(|topic| {
        let operation = serde_json::json!({
            "operationId": format!("on_{}", topic.as_str().replace('.', "_")),
            "summary": topic.as_str(),
            "description": topic.describe(),
            "tags": ["webhooks"],
            "parameters": parameters,
            "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}},
            },
            "responses": {
                "2XX": {"description": "Received. Any other answer, or none within 10 s, is retried with growing \
                    back-off (up to 8 attempts, at most an hour apart); deliveries are at least once, in no \
                    guaranteed order."},
            },
        });
        (topic.as_str().to_owned(), serde_json::json!({ "post": operation }))
    });
    serde_json::Value::Object(entries.collect())
}

/// Every authenticated POST but a reveal takes `Idempotency-Key` (see `http::idempotency`).
fn idempotency_key() -> utoipa::openapi::path::Parameter {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, Required, Type};
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes a retry safe: the same key and body from the same caller within 24 h replays the first \
             successful response (`Idempotency-Replayed: true`); the same key with another body is 422; while \
             the first request runs, 409.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[!-~]+$")),
        ))
        .build()
}

pub fn yaml() -> String {
    spec().to_yaml().unwrap_or_default()
}
