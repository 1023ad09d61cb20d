//! Roles (ORG-2) and what each may do. Deny by default: a permission not listed is refused.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Compliance,
    Manager,
    Agent,
    Sales,
    Auditor,
    Integration,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Admin, Role::Compliance, Role::Manager, Role::Agent, Role::Sales, Role::Auditor, Role::Integration];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Compliance => "compliance",
            Role::Manager => "manager",
            Role::Agent => "agent",
            Role::Sales => "sales",
            Role::Auditor => "auditor",
            Role::Integration => "integration",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    OrgRead,
    OrgWrite,
    UsersRead,
    UsersWrite,
    ApiKeysManage,
    AuditRead,
    JobsRead,
    CustomersRead,
    CustomersWrite,
    CustomersReveal,
    /// Bulk: CSV import, CSV/JSON export (a whole scope's data moves at once).
    CustomersImport,
    CustomersExport,
    /// Merging duplicates and undoing merges.
    CustomersMerge,
    /// Running the data-quality job on demand.
    CustomersQuality,
    /// Reading and recording customers' consents.
    ConsentRead,
    ConsentWrite,
    /// Privacy notices, partners and agreements, legal holds, completing data-subject requests.
    PrivacyManage,
    /// Logging and following data-subject requests.
    PrivacyRequests,
    /// The share log (disclosures to partners).
    SharesRead,
    /// A partner's key reading the customers its agreement and their consents allow.
    PartnerApi,
    /// Key status and the re-encryption run after a key rotation.
    KeysManage,
    /// The incident register (PRV-7): reading it, and recording incidents, actions, notifications.
    IncidentsRead,
    IncidentsManage,
    /// Approving what an administrator asked for an account that would read clear personal data
    /// (four eyes, `org::grants`).
    GrantsApprove,
    /// Value-tier settings and tiering runs (with a whole-group scope: percentiles span the group).
    TiersManage,
    /// Saving, changing and deleting segments (reading them needs only `customers:read`).
    SegmentsManage,
    /// Service tickets: reading queues and tickets; opening, commenting and moving them on.
    TicketsRead,
    TicketsWrite,
    /// SLA policies and the working-time calendar.
    SlaManage,
    /// Campaigns: reading them and their reports; planning and submitting them; approving them.
    CampaignsRead,
    CampaignsManage,
    CampaignsApprove,
}

impl Permission {
    pub const ALL: [Permission; 32] = [
        Permission::OrgRead,
        Permission::OrgWrite,
        Permission::UsersRead,
        Permission::UsersWrite,
        Permission::ApiKeysManage,
        Permission::AuditRead,
        Permission::JobsRead,
        Permission::CustomersRead,
        Permission::CustomersWrite,
        Permission::CustomersReveal,
        Permission::CustomersImport,
        Permission::CustomersExport,
        Permission::CustomersMerge,
        Permission::CustomersQuality,
        Permission::ConsentRead,
        Permission::ConsentWrite,
        Permission::PrivacyManage,
        Permission::PrivacyRequests,
        Permission::SharesRead,
        Permission::PartnerApi,
        Permission::KeysManage,
        Permission::IncidentsRead,
        Permission::IncidentsManage,
        Permission::GrantsApprove,
        Permission::TiersManage,
        Permission::SegmentsManage,
        Permission::TicketsRead,
        Permission::TicketsWrite,
        Permission::SlaManage,
        Permission::CampaignsRead,
        Permission::CampaignsManage,
        Permission::CampaignsApprove,
    ];

    /// The API-key scope that grants this permission to an integration.
    pub fn scope(self) -> &'static str {
        match self {
            Permission::OrgRead => "org:read",
            Permission::OrgWrite => "org:write",
            Permission::UsersRead => "users:read",
            Permission::UsersWrite => "users:write",
            Permission::ApiKeysManage => "api_keys:manage",
            Permission::AuditRead => "audit:read",
            Permission::JobsRead => "jobs:read",
            Permission::CustomersRead => "customers:read",
            Permission::CustomersWrite => "customers:write",
            Permission::CustomersReveal => "customers:reveal",
            Permission::CustomersImport => "customers:import",
            Permission::CustomersExport => "customers:export",
            Permission::CustomersMerge => "customers:merge",
            Permission::CustomersQuality => "customers:quality",
            Permission::ConsentRead => "consent:read",
            Permission::ConsentWrite => "consent:write",
            Permission::PrivacyManage => "privacy:manage",
            Permission::PrivacyRequests => "privacy:requests",
            Permission::SharesRead => "shares:read",
            Permission::PartnerApi => "partner:read",
            Permission::KeysManage => "keys:manage",
            Permission::IncidentsRead => "incidents:read",
            Permission::IncidentsManage => "incidents:manage",
            Permission::GrantsApprove => "grants:approve",
            Permission::TiersManage => "tiers:manage",
            Permission::SegmentsManage => "segments:manage",
            Permission::TicketsRead => "tickets:read",
            Permission::TicketsWrite => "tickets:write",
            Permission::SlaManage => "sla:manage",
            Permission::CampaignsRead => "campaigns:read",
            Permission::CampaignsManage => "campaigns:manage",
            Permission::CampaignsApprove => "campaigns:approve",
        }
    }
}

/// Scopes an API key may carry (integrations never manage users or keys, nor read customer
/// records; a ticket key sees the customers of its unit's tickets masked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum GrantableScope {
    #[serde(rename = "org:read")]
    OrgRead,
    #[serde(rename = "jobs:read")]
    JobsRead,
    #[serde(rename = "audit:read")]
    AuditRead,
    /// A hotline (CTI) or chat platform following tickets of its unit.
    #[serde(rename = "tickets:read")]
    TicketsRead,
    /// The same platform opening tickets and adding to their timelines.
    #[serde(rename = "tickets:write")]
    TicketsWrite,
}

impl GrantableScope {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantableScope::OrgRead => Permission::OrgRead.scope(),
            GrantableScope::JobsRead => Permission::JobsRead.scope(),
            GrantableScope::AuditRead => Permission::AuditRead.scope(),
            GrantableScope::TicketsRead => Permission::TicketsRead.scope(),
            GrantableScope::TicketsWrite => Permission::TicketsWrite.scope(),
        }
    }
}

pub fn role_allows(role: Role, p: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => matches!(p, OrgRead | OrgWrite | UsersRead | UsersWrite | ApiKeysManage | JobsRead | KeysManage),
        Role::Compliance => {
            matches!(
                p,
                OrgRead
                    | UsersRead
                    | AuditRead
                    | JobsRead
                    | CustomersRead
                    | CustomersReveal
                    | CustomersExport
                    | CustomersQuality
                    | ConsentRead
                    | ConsentWrite
                    | PrivacyManage
                    | PrivacyRequests
                    | SharesRead
                    | IncidentsRead
                    | IncidentsManage
                    | GrantsApprove
                    | TicketsRead
                    | CampaignsRead
            )
        }
        Role::Auditor => {
            matches!(
                p,
                OrgRead
                    | UsersRead
                    | AuditRead
                    | JobsRead
                    | CustomersRead
                    | ConsentRead
                    | SharesRead
                    | IncidentsRead
                    | TicketsRead
                    | CampaignsRead
            )
        }
        Role::Manager => {
            matches!(
                p,
                OrgRead
                    | UsersRead
                    | JobsRead
                    | CustomersRead
                    | CustomersWrite
                    | CustomersReveal
                    | CustomersImport
                    | CustomersExport
                    | CustomersMerge
                    | CustomersQuality
                    | ConsentRead
                    | ConsentWrite
                    | PrivacyRequests
                    | GrantsApprove
                    | TiersManage
                    | SegmentsManage
                    | TicketsRead
                    | TicketsWrite
                    | SlaManage
                    | CampaignsRead
                    | CampaignsManage
                    | CampaignsApprove
            )
        }
        // Sales plan campaigns; a manager approves them.
        Role::Sales if matches!(p, CampaignsRead | CampaignsManage) => true,
        Role::Agent | Role::Sales => matches!(
            p,
            OrgRead
                | JobsRead
                | CustomersRead
                | CustomersWrite
                | ConsentRead
                | ConsentWrite
                | PrivacyRequests
                | TicketsRead
                | TicketsWrite
        ),
        // Integrations get exactly their key's scopes (see Principal::require).
        Role::Integration => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separation_of_duties() {
        assert!(!role_allows(Role::Admin, Permission::AuditRead), "IT does not read the audit log");
        assert!(role_allows(Role::Auditor, Permission::AuditRead));
        assert!(!role_allows(Role::Auditor, Permission::UsersWrite), "auditors change nothing");
        assert!(!role_allows(Role::Agent, Permission::UsersRead));
        assert!(!role_allows(Role::Admin, Permission::CustomersRead), "IT does not read personal data");
        assert!(!role_allows(Role::Agent, Permission::CustomersReveal));
        assert!(!role_allows(Role::Auditor, Permission::CustomersWrite));
        assert!(role_allows(Role::Compliance, Permission::CustomersReveal));
        assert!(!role_allows(Role::Agent, Permission::CustomersExport), "frontline staff cannot take a scope home");
        assert!(!role_allows(Role::Sales, Permission::CustomersImport));
        assert!(role_allows(Role::Sales, Permission::CampaignsManage));
        assert!(!role_allows(Role::Sales, Permission::CampaignsApprove), "a manager approves a campaign");
        assert!(!role_allows(Role::Agent, Permission::CampaignsManage));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
