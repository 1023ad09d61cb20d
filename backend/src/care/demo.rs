//! Demo care rules for `guanxi seed-demo`: a birthday greeting and a renewal reminder a week
//! before a yearly fee runs out, made by one manager and switched on by another, so the care page
//! and its calendar show the coming two weeks from the start.

use chrono::NaiveDateTime;

use super::model::{CareKind, CareRuleInput};
use super::{service, store};
use crate::auth::Principal;
use crate::consent::purpose::MarketingChannel;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::org::scope::Scope;

pub fn seed(
    conn: &mut DbConnection,
    author: &Principal,
    approver: &Principal,
    at: NaiveDateTime,
) -> Result<usize, ApiError> {
    if !store::list(conn, &Scope::from_prefix("/"), false)?.is_empty() {
        return Ok(0);
    }
    let rules = [
        (
            "生日祝福 Birthday greeting",
            CareKind::Birthday,
            "{{name}}您好，祝您生日快乐！本月到店消费享双倍积分。",
            None,
        ),
        (
            "续费提醒 Renewal reminder",
            CareKind::Renewal,
            "{{name}}您好，您的年度服务将于 7 天后到期，回复或到店即可续费。",
            Some(7),
        ),
    ];
    for (name, kind, body, days) in rules {
        let input = CareRuleInput {
            name: name.into(),
            kind,
            channel: MarketingChannel::Sms,
            subject: None,
            body: body.into(),
            days,
            month_day: None,
        };
        let row = service::new_rule(author, input, at)?;
        store::insert(conn, &row)?;
        service::switch(conn, approver, &row.id, true, at)?;
    }
    Ok(rules.len())
}
