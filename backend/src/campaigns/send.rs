//! The send job (MKT-2): every minute, each due campaign's audience is decided a batch at a time
//! — live consent for the channel's marketing purpose, profiling, an address, the frequency cap
//! across campaigns — in one set-based statement per batch that writes a delivery row for every
//! member, then the batch's queued messages go to the channel adapter and are marked sent or
//! failed. Quiet hours hold a campaign back; its window's end leaves the rest out. A batch is one
//! transaction with the campaign's cursor, so a killed job resumes where it stopped; messages
//! decided but not yet handed over are sent first on the next run (at least once, never skipped).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::adapter::Message;
use super::model::{CampaignState, Exclusion};
use super::settings::{self, MarketingRules};
use super::store::{self, CampaignRow};
use super::{holdout, template};
use crate::consent::purpose::{MarketingChannel, Purpose};
use crate::db::schema::{campaign_audience, campaign_deliveries, campaigns, customers};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox::{self, Topic};
use crate::state::AppState;

const BATCH: i64 = 1000;
/// Batches one campaign sends per run before the next campaign's turn.
const BATCHES_PER_RUN: usize = 200;
/// How long a run holds a campaign at most (a crashed run's hold lapses).
const HOLD: chrono::TimeDelta = chrono::TimeDelta::minutes(15);
/// The opt-out line every text message carries (the carriers' rule in China).
const SMS_OPT_OUT: &str = " 回T退订";

#[derive(Debug, Default, serde::Serialize, PartialEq, Eq)]
pub struct Tally {
    pub campaigns: usize,
    pub decided: i64,
    pub sent: i64,
    pub failed: i64,
    /// Campaigns held back by quiet hours this run.
    pub held: usize,
    pub completed: usize,
}

crate::prepared! {
    /// One batch of a campaign's audience (members in `(after, last]`), each decided into a
    /// delivery row: queued, or excluded with the first reason that applies.
    struct Decide {
        channel: String => Text, at: NaiveDateTime => Timestamp, cap: i64 => BigInt,
        purpose: String => Text, channel2: String => Text, since: NaiveDateTime => Timestamp,
        campaign_id: String => Text, after: String => Text, last: String => Text
    }
    sql = concat!(
        "INSERT INTO campaign_deliveries (campaign_id, customer_id, channel, status, reason, created_at) ",
        "SELECT campaign_id, customer_id, ?, CASE WHEN reason IS NULL THEN 'queued' ELSE 'excluded' END, reason, ? ",
        "FROM (SELECT campaign_id, customer_id, CASE ",
        "WHEN gone THEN 'unreachable' WHEN unprofiled THEN 'not_profiled' ",
        "WHEN granted IS NULL THEN 'no_consent' WHEN NOT granted THEN 'withdrawn' ",
        "WHEN no_address THEN 'unreachable' WHEN recent >= ? THEN 'capped' END AS reason ",
        "FROM (SELECT a.campaign_id, a.customer_id, ",
        "(customers.id IS NULL OR customers.deleted_at IS NOT NULL OR customers.anonymised_at IS NOT NULL) AS gone, ",
        crate::profiling_withdrawn_sql!(), " AS unprofiled, ",
        crate::newest_consent_sql!(before), "?", crate::newest_consent_sql!(after), " AS granted, ",
        "(customers.reachable = FALSE OR (CASE WHEN ? = 'email' THEN customers.email ELSE customers.mobile END) IS NULL) AS no_address, ",
        "(SELECT COUNT(*) FROM campaign_deliveries d WHERE d.customer_id = a.customer_id ",
        "AND d.status IN ('queued', 'sent') AND d.created_at > ?) AS recent ",
        "FROM campaign_audience a LEFT JOIN customers ON customers.id = a.customer_id ",
        "WHERE a.campaign_id = ? AND a.customer_id > ? AND a.customer_id <= ?) y) x"
    );
}

crate::prepared! {
    /// Members never decided when the campaign's window closed: left out for quiet hours.
    struct LeaveOut { channel: String => Text, at: NaiveDateTime => Timestamp, campaign_id: String => Text, after: String => Text }
    sql = "INSERT INTO campaign_deliveries (campaign_id, customer_id, channel, status, reason, created_at) \
           SELECT campaign_id, customer_id, ?, 'excluded', 'quiet_hours', ? FROM campaign_audience \
           WHERE campaign_id = ? AND customer_id > ?";
}

/// One run over every due campaign at `at` (the service clock).
pub fn tick(conn: &mut DbConnection, state: &AppState, at: NaiveDateTime) -> Result<Tally, ApiError> {
    let rules = settings::get(conn)?.rules();
    let due: Vec<CampaignRow> = campaigns::table
        .filter(campaigns::state.eq_any([CampaignState::Scheduled.as_str(), CampaignState::Running.as_str()]))
        .filter(campaigns::starts_at.le(at))
        .order((campaigns::starts_at, campaigns::id))
        .select(CampaignRow::as_select())
        .load(conn)?;
    let mut tally = Tally::default();
    for c in due {
        if !hold(conn, &c.id)? {
            continue;
        }
        tally.campaigns += 1;
        let ran = run_campaign(conn, state, &rules, c.clone(), at, &mut tally);
        diesel::update(campaigns::table.find(&c.id))
            .set(campaigns::sending_until.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        ran?;
    }
    Ok(tally)
}

/// Takes the campaign for this run unless another run holds it (real time: this is about
/// processes, not the service clock).
fn hold(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let now = crate::db::now();
    let n = diesel::update(
        campaigns::table.find(id).filter(campaigns::sending_until.is_null().or(campaigns::sending_until.lt(now))),
    )
    .set(campaigns::sending_until.eq(now + HOLD))
    .execute(conn)?;
    Ok(n == 1)
}

fn run_campaign(
    conn: &mut DbConnection,
    state: &AppState,
    rules: &MarketingRules,
    mut c: CampaignRow,
    at: NaiveDateTime,
    tally: &mut Tally,
) -> Result<(), ApiError> {
    if c.state == CampaignState::Scheduled.as_str() {
        let moved = (CampaignState::Scheduled.as_str(), CampaignState::Running.as_str());
        store::transition(conn, &c.id, c.version, moved, None, at)?;
        c = store::get_any(conn, &c.id)?;
    }
    dispatch(conn, state, &c, at, tally)?;
    if at >= c.ends_at {
        let after = c.send_cursor.clone().unwrap_or_default();
        crate::db::transaction(conn, |t| -> Result<(), ApiError> {
            let left = LeaveOut { channel: c.channel.clone(), at, campaign_id: c.id.clone(), after };
            crate::on_backend!(t, |x| left.execute(x))?;
            complete(t, &c, at)
        })?;
        tally.completed += 1;
        return Ok(());
    }
    if rules.quiet_at(at) {
        tally.held += 1;
        return Ok(());
    }
    let channel = MarketingChannel::parse(&c.channel).ok_or_else(|| ApiError::internal("campaign channel"))?;
    let mut after = c.send_cursor.clone().unwrap_or_default();
    for _ in 0..BATCHES_PER_RUN {
        // A campaign cancelled while this run sends stops at the next batch.
        let now_in: String = campaigns::table.find(&c.id).select(campaigns::state).first(conn)?;
        if now_in != CampaignState::Running.as_str() {
            return Ok(());
        }
        let page: Vec<String> = campaign_audience::table
            .filter(campaign_audience::campaign_id.eq(&c.id))
            .filter(campaign_audience::customer_id.gt(&after))
            .order(campaign_audience::customer_id)
            .limit(BATCH)
            .select(campaign_audience::customer_id)
            .load(conn)?;
        let Some(last) = page.last().cloned() else {
            crate::db::transaction(conn, |t| complete(t, &c, at))?;
            tally.completed += 1;
            return Ok(());
        };
        tally.decided += crate::db::transaction(conn, |t| -> Result<i64, ApiError> {
            let decide = Decide {
                channel: c.channel.clone(),
                at,
                cap: rules.cap_messages,
                purpose: Purpose::Marketing(channel).to_string(),
                channel2: c.channel.clone(),
                since: rules.cap_since(at),
                campaign_id: c.id.clone(),
                after: after.clone(),
                last: last.clone(),
            };
            let n = crate::on_backend!(t, |x| decide.execute(x))? as i64;
            within_budget(t, &c, (&after, &last))?;
            diesel::update(campaigns::table.find(&c.id)).set(campaigns::send_cursor.eq(&last)).execute(t)?;
            Ok(n)
        })?;
        dispatch(conn, state, &c, at, tally)?;
        after = last;
    }
    Ok(())
}

/// Of the batch's queued members, those past what the budget still pays for are left out.
fn within_budget(conn: &mut DbConnection, c: &CampaignRow, (after, last): (&str, &str)) -> Result<(), ApiError> {
    let Some(budget) = c.budget_fen.filter(|_| c.cost_per_message_fen > 0) else { return Ok(()) };
    let paid_for = budget / c.cost_per_message_fen;
    let of_campaign = || campaign_deliveries::table.filter(campaign_deliveries::campaign_id.eq(&c.id));
    let before: i64 = of_campaign()
        .filter(campaign_deliveries::status.eq_any(["queued", "sent"]))
        .filter(campaign_deliveries::customer_id.le(after))
        .count()
        .get_result(conn)?;
    let queued: Vec<String> = of_campaign()
        .filter(campaign_deliveries::status.eq("queued"))
        .filter(campaign_deliveries::customer_id.gt(after))
        .filter(campaign_deliveries::customer_id.le(last))
        .order(campaign_deliveries::customer_id)
        .select(campaign_deliveries::customer_id)
        .load(conn)?;
    let keep = usize::try_from((paid_for - before).max(0)).unwrap_or(0);
    if queued.len() > keep {
        diesel::update(of_campaign().filter(campaign_deliveries::customer_id.eq_any(&queued[keep..])))
            .set((
                campaign_deliveries::status.eq("excluded"),
                campaign_deliveries::reason.eq(Exclusion::Budget.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn complete(conn: &mut DbConnection, c: &CampaignRow, at: NaiveDateTime) -> Result<(), ApiError> {
    let current = store::get_any(conn, &c.id)?;
    let moved = (CampaignState::Running.as_str(), CampaignState::Completed.as_str());
    if store::transition(conn, &c.id, current.version, moved, None, at)? {
        outbox::enqueue(conn, Topic::CampaignCompleted, &c.id, Some(&c.unit_id), &serde_json::json!({ "id": c.id }))?;
    }
    Ok(())
}

/// Hands every queued message of the campaign to the adapter and records each outcome.
fn dispatch(
    conn: &mut DbConnection,
    state: &AppState,
    c: &CampaignRow,
    at: NaiveDateTime,
    tally: &mut Tally,
) -> Result<(), ApiError> {
    let channel = MarketingChannel::parse(&c.channel).ok_or_else(|| ApiError::internal("campaign channel"))?;
    let column = if channel == MarketingChannel::Email { "email" } else { "mobile" };
    let mut after = String::new();
    loop {
        let queued = store::queued(conn, &c.id, &after, BATCH)?;
        let Some(last) = queued.last().cloned() else { return Ok(()) };
        let (control, queued): (Vec<String>, Vec<String>) =
            queued.into_iter().partition(|id| holdout::held_out(&c.id, id, c.holdout_percent));
        let people: Vec<(String, String, Option<String>, Option<String>)> = customers::table
            .filter(customers::id.eq_any(&queued))
            .select((customers::id, customers::name, customers::email, customers::mobile))
            .load(conn)?;
        let mut messages = Vec::with_capacity(people.len());
        let mut failed: Vec<(String, String)> = Vec::new();
        for (id, name, email, mobile) in people {
            let stored = if channel == MarketingChannel::Email { email } else { mobile };
            let to = stored.map(|s| state.cipher.decrypt("customers", column, &id, &s)).transpose();
            let Ok(Some(to)) = to else {
                failed.push((id, Exclusion::Unreachable.as_str().to_owned()));
                continue;
            };
            messages.push(message(state, c, channel, id, &name, to)?);
        }
        let answers = state.channels.send(&messages);
        let mut sent = Vec::with_capacity(messages.len());
        for (m, answer) in messages.into_iter().zip(answers) {
            match answer {
                Ok(()) => sent.push(m.customer_id),
                Err(code) => failed.push((m.customer_id, code)),
            }
        }
        // Customers gone since the decision have no row: they failed by absence.
        let answered: std::collections::HashSet<&String> = sent.iter().chain(failed.iter().map(|(id, _)| id)).collect();
        let missing: Vec<String> = queued.iter().filter(|id| !answered.contains(id)).cloned().collect();
        failed.extend(missing.into_iter().map(|id| (id, Exclusion::Unreachable.as_str().to_owned())));
        crate::db::transaction(conn, |t| -> Result<(), ApiError> {
            let until = at + chrono::TimeDelta::days(c.attribution_days);
            store::mark_reached(t, &c.id, &sent, "sent", at, until)?;
            store::mark_reached(t, &c.id, &control, "control", at, until)?;
            store::mark_failed(t, &c.id, &failed)?;
            // Win-back (MKT-6): a reached customer's open churn warning shows the message.
            crate::churn::service::note_campaign(t, &sent, &c.id, &c.channel, &c.author_id, at)?;
            Ok(())
        })?;
        tally.sent += sent.len() as i64;
        tally.failed += failed.len() as i64;
        after = last;
    }
}

fn message(
    state: &AppState,
    c: &CampaignRow,
    channel: MarketingChannel,
    customer_id: String,
    name: &str,
    to: String,
) -> Result<Message, ApiError> {
    let unsubscribe = (channel == MarketingChannel::Email)
        .then(|| super::unsubscribe::link_for(state, channel, &customer_id))
        .transpose()?;
    let shown = template::name_for(channel, name);
    let link = match &c.link_url {
        Some(_) => super::track::link_for(state, &c.id, &customer_id)?,
        None => String::new(),
    };
    let vars = template::Vars { name: &shown, campaign: &c.name, link: &link };
    let mut body = template::render(&c.body, &vars);
    if channel == MarketingChannel::Sms {
        body.push_str(SMS_OPT_OUT);
    }
    Ok(Message {
        campaign_id: c.id.clone(),
        customer_id,
        channel,
        to,
        subject: c.subject.as_deref().map(|s| template::render(s, &vars)),
        body,
        unsubscribe,
    })
}

fn next_minute(t: NaiveDateTime) -> NaiveDateTime {
    t + chrono::Duration::minutes(1)
}

/// Every minute.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: "campaigns.send",
    schedule: Some(crate::jobs::Schedule { name: "minutely-campaigns", next: next_minute }),
    run: |conn, state, _, _| Ok(serde_json::to_value(tick(conn, state, state.clock.now())?)?),
};
