//! `guanxi seed-demo`: a small, realistic organisation to explore the product with. Idempotent.

use diesel::prelude::*;

use crate::auth::{password, Role};
use crate::consent::model::CreateNotice;
use crate::consent::purpose::Purpose;
use crate::db::transaction;
use crate::demo_customers::Home;
use crate::error::ApiError;
use crate::org::{bootstrap, model::UnitRow, store};
use crate::state::AppState;

pub const DEMO_PASSWORD: &str = "guanxi-demo-2026";

const SUBSIDIARIES: [(&str, &str); 2] = [("BJ", "北京子公司 Beijing Co."), ("SH", "上海子公司 Shanghai Co.")];
const DEPARTMENTS: [(&str, &str); 3] =
    [("CS", "客户服务中心 Service Centre"), ("BIZ", "业务部 Business"), ("CM", "客户管理部 Customer Management")];

fn unit(
    conn: &mut crate::db::DbConnection,
    parent: &UnitRow,
    kind: &str,
    code: &str,
    name: &str,
) -> Result<UnitRow, ApiError> {
    if let Some(u) = store::unit_by_code(conn, code)? {
        return Ok(u);
    }
    let row = UnitRow::new(Some(parent), kind, code, name);
    store::insert_unit(conn, &row)?;
    Ok(row)
}

/// A demo user as the principal it signs in as, if it exists.
fn principal(conn: &mut crate::db::DbConnection, username: &str) -> Result<Option<crate::auth::Principal>, ApiError> {
    let Some((user, path)) =
        store::user_by_username(conn, username)?.map(|u| store::user_with_path(conn, &u.id)).transpose()?.flatten()
    else {
        return Ok(None);
    };
    Ok(Some(crate::auth::Principal {
        id: user.id.clone(),
        kind: crate::auth::principal::PrincipalKind::Staff,
        name: user.display_name.clone(),
        role: Role::ALL.into_iter().find(|r| r.as_str() == user.role),
        unit_id: user.unit_id.clone(),
        unit_path: path,
        scopes: Vec::new(),
        session_id: None,
        partner_id: None,
        ip: "seed-demo".into(),
        request_id: None,
        owed: crate::db::Owed::nothing(),
    }))
}

/// The group's privacy notices (zh-CN and en), published by the group's compliance officer as in
/// a real start: without one, no consent can be recorded.
fn publish_notices(conn: &mut crate::db::DbConnection, group: &UnitRow) -> Result<(), ApiError> {
    let Some(p) = principal(conn, "group.compliance")? else {
        return Ok(());
    };
    let purposes: Vec<Purpose> = ["marketing_sms", "marketing_email", "profiling", "intra_group_sharing"]
        .iter()
        .filter_map(|p| Purpose::parse(p))
        .collect();
    for (language, title, method, scope, retention, body) in NOTICES {
        if crate::consent::store::latest_version(conn, &group.id, language)? > 0 {
            continue;
        }
        let input = CreateNotice {
            unit_id: Some(group.id.clone()),
            language: language.to_owned(),
            title: title.to_owned(),
            purposes: purposes.clone(),
            method: method.to_owned(),
            scope: scope.to_owned(),
            retention: retention.to_owned(),
            body: body.to_owned(),
        };
        crate::consent::service::create_notice(conn, &p, input)?;
    }
    Ok(())
}

const NOTICES: [(&str, &str, &str, &str, &str, &str); 2] = [
    (
        "zh-CN",
        "个人信息保护告知书",
        "电子化存储，敏感信息加密处理，按角色脱敏展示",
        "姓名、手机号、电子邮箱、购买记录；在集团内共享用于服务与营销",
        "业务关系终止后 3 年",
        "我们依据《个人信息保护法》处理您的个人信息，仅用于向您提供服务、经您同意的营销与分析。您可随时查阅、更正、撤回同意或要求删除。",
    ),
    (
        "en",
        "Privacy notice",
        "Stored electronically; sensitive data encrypted and masked by role",
        "Name, mobile, email, purchases; shared within the group for service and marketing",
        "3 years after the relationship ends",
        "We process your personal information under the PIPL only to serve you and, with your consent, for marketing and analysis. You may access, correct, withdraw consent or ask for deletion at any time.",
    ),
];

/// Consents, points and campaigns are seeded only up to this many customers: a demo, not a
/// benchmark's million (whose figures they would change).
const ENGAGED_UP_TO: u64 = 50_000;

pub fn seed(state: &AppState, customers: u64) -> Result<(), String> {
    let (db, cipher) = (&state.db, &state.cipher);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let hash = password::hash(DEMO_PASSWORD);
    let created = transaction(&mut conn, |c| -> Result<Vec<String>, ApiError> {
        let group = bootstrap::ensure_group(c)?;
        let mut created = Vec::new();
        for (sub_code, sub_name) in SUBSIDIARIES {
            let sub = unit(c, &group, "subsidiary", sub_code, sub_name)?;
            for (dept_code, dept_name) in DEPARTMENTS {
                unit(c, &sub, "department", &format!("{sub_code}-{dept_code}"), dept_name)?;
            }
            let staff = [(Role::Manager, "CM"), (Role::Agent, "CS"), (Role::Sales, "BIZ")];
            for (role, dept) in staff {
                let username = format!("{}.{}", sub_code.to_lowercase(), role.as_str());
                if store::user_by_username(c, &username)?.is_none() {
                    bootstrap::create_user(c, &username, role, Some(&format!("{sub_code}-{dept}")), hash.clone())?;
                    created.push(username);
                }
            }
        }
        for role in [Role::Compliance, Role::Auditor, Role::Manager] {
            let username = format!("group.{}", role.as_str());
            if store::user_by_username(c, &username)?.is_none() {
                bootstrap::create_user(c, &username, role, None, hash.clone())?;
                created.push(username);
            }
        }
        publish_notices(c, &group)?;
        Ok(created)
    })
    .map_err(|e| e.to_string())?;
    println!("demo organisation ready: group, subsidiaries BJ and SH with departments CS, BIZ, CM");
    if created.is_empty() {
        println!("demo users existed already");
    } else {
        println!("created demo users (password `{DEMO_PASSWORD}`): {}", created.join(", "));
    }
    if customers > 0 {
        // Set-based statements over every customer: minutes at a million on PostgreSQL.
        crate::db::without_statement_timeout(&mut conn, |conn| -> Result<(), String> {
            let started = std::time::Instant::now();
            let homes = homes(conn).map_err(|e| e.to_string())?;
            let existing = customer_count(conn).map_err(|e| e.to_string())? as u64;
            let missing = customers.saturating_sub(existing);
            let (n, bought) =
                crate::demo_customers::seed(conn, cipher, &homes, missing, existing).map_err(|e| e.to_string())?;
            println!(
                "{} customers now ({n} added with {bought} purchases in {:.1} s)",
                existing + n,
                started.elapsed().as_secs_f64()
            );
            if n == 0 {
                return Ok(());
            }
            // Consents first: the tiering leaves out those who withdrew profiling.
            let engaged = existing + n <= ENGAGED_UP_TO;
            if engaged {
                let consented = crate::consent::demo::seed(conn).map_err(|e| e.to_string())?;
                println!(
                    "consents: {consented} customers' paper consents (SMS, email, profiling; some withdrew profiling)"
                );
            }
            // A first tiering, so that the demo shows tiers and their why from the start.
            let run = crate::tiers::run::execute(conn, &crate::audit::Actor::system(), None, false, &mut |_, _| Ok(()))
                .map_err(|e| e.to_string())?;
            println!("value tiers: {} customers scored, {} given a tier", run.scored, run.changed);
            let tickets = crate::tickets::demo::seed(conn, cipher, existing as i64).map_err(|e| e.to_string())?;
            println!(
                "service tickets: {tickets} added (inquiries, complaints, repairs; open, breached, closed and rated)"
            );
            if engaged {
                engage(conn, state).map_err(|e| e.to_string())?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Loyalty points and two campaigns (see their modules).
fn engage(conn: &mut crate::db::DbConnection, state: &AppState) -> Result<(), ApiError> {
    let now = crate::db::now();
    let group = bootstrap::ensure_group(conn)?;
    let (rewards, accounts, redeemed) = crate::loyalty::demo::seed(conn, &group.id, now)?;
    println!("loyalty: {rewards} rewards, {accounts} points accounts from past purchases, {redeemed} redemptions");
    if let (Some(author), Some(approver)) = (principal(conn, "bj.manager")?, principal(conn, "group.manager")?) {
        if let Some(t) = crate::campaigns::demo::seed(conn, state, &author, &approver, now)? {
            println!(
                "campaigns: one finished ({} sent, the rest excluded by reason), one starting in ten minutes",
                t.sent
            );
        }
        let care = crate::care::demo::seed(conn, &author, &approver, now)?;
        println!("care: {care} rules switched on (birthday greeting, renewal reminder)");
    }
    Ok(())
}

/// Each demo subsidiary, with its manager and sales staff as account managers.
fn homes(conn: &mut crate::db::DbConnection) -> Result<Vec<Home>, ApiError> {
    let mut homes = Vec::new();
    for (code, _) in SUBSIDIARIES {
        let unit = store::unit_by_code(conn, code)?.ok_or(ApiError::NotFound)?;
        let owners = [Role::Manager, Role::Sales]
            .iter()
            .filter_map(|r| {
                store::user_by_username(conn, &format!("{}.{}", code.to_lowercase(), r.as_str())).ok().flatten()
            })
            .map(|u| u.id)
            .collect();
        homes.push(Home { unit_id: unit.id, owners });
    }
    Ok(homes)
}

fn customer_count(conn: &mut crate::db::DbConnection) -> QueryResult<i64> {
    crate::db::schema::customers::table.count().get_result(conn)
}
