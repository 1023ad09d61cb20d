//! Every documented route, registered once: the server mounts them, the OpenAPI document is
//! collected from the same registrations.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{audit, auth, customers, health, jobs, org, trail};

/// Every documented route, registered once for the server and for the OpenAPI document.
pub fn configure_routes(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1")
            .configure(auth::routes::configure)
            .configure(org::routes::configure)
            .configure(customers::bulk::routes::configure)
            .configure(customers::quality::routes::configure)
            .configure(customers::routes::configure)
            .configure(customers::merge::routes::configure)
            .configure(customers::records::routes::configure)
            .configure(auth::api_keys::routes::configure)
            .configure(trail::routes::configure)
            .configure(audit::routes::configure)
            .configure(jobs::routes::configure)
            .configure(crate::webhooks::routes::configure)
            .configure(crate::consent::routes::configure)
            .configure(crate::consent::link_routes::configure)
            .configure(crate::partners::routes::configure)
            .configure(crate::privacy::routes::configure)
            .configure(crate::privacy::retention_routes::configure)
            .configure(crate::keys::routes::configure)
            .configure(crate::incidents::routes::configure)
            .configure(crate::tiers::routes::configure)
            .configure(crate::segments::routes::configure)
            .configure(crate::segments::snapshot_routes::configure)
            .configure(crate::churn::routes::configure)
            .configure(crate::strategies::routes::configure)
            .configure(crate::campaigns::routes::configure)
            .configure(crate::care::routes::configure)
            .configure(crate::campaigns::settings_routes::configure)
            .configure(crate::campaigns::unsubscribe::configure)
            .configure(crate::campaigns::track::configure)
            .configure(crate::campaigns::inbound::configure)
            .configure(crate::loyalty::routes::configure)
            .configure(crate::loyalty::reward_routes::configure)
            .configure(crate::purchases::routes::configure)
            .configure(crate::tickets::routes::configure)
            .configure(crate::tickets::sla_routes::configure)
            .configure(crate::tickets::self_routes::configure)
            .configure(crate::tickets::attachment_routes::configure),
    )
    .service(auth::routes::jwks)
    .service(health::healthz)
    .service(health::readyz)
    .service(health::metrics);
}
