//! Who is calling: staff (access JWT) or an integration (API key), resolved once per request into
//! a `Principal`; what they may do: `Permission` by role and scope.

pub mod api_keys;
pub mod jwt;
pub mod lockout;
pub mod password;
pub mod permissions;
pub mod principal;
pub mod routes;
pub mod sessions;
pub mod throttle;

pub use permissions::{Permission, Role};
pub use principal::{Principal, PrincipalKind};
