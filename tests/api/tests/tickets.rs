//! Service tickets (SVC-1..5): a complaint walked through every status — dissatisfied, reopened,
//! closed — with its timeline and SLA clocks on a moved clock (a holiday week with make-up days);
//! the SLA job's warning, breach and two escalations; every illegal step refused with 409; the
//! green channel for a key customer; scoping (404) and masking.

use chrono::{Duration, NaiveDateTime};
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{customer, world};
use crate::helpers::TestApp;

/// A local (China) time as the UTC instant the clock holds.
fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap() - Duration::hours(8)
}

fn utc(s: &str) -> String {
    format!("{}Z", local(s).format("%Y-%m-%dT%H:%M:%S"))
}

fn at(v: &Value) -> String {
    // The API writes RFC 3339 with the zone; compare to the second.
    let t = chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    format!("{}Z", t.naive_utc().format("%Y-%m-%dT%H:%M:%S"))
}

async fn step(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    app.post(&format!("/api/v1/tickets/{id}/transitions"), token, body).await.expect(200).body
}

fn kinds(t: &Value) -> Vec<String> {
    t["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
}

/// Each queue's count is the number of tickets its list holds, for this caller now.
async fn counts_match_lists(app: &TestApp, token: &str) {
    let counts = app.get("/api/v1/tickets/counts", token).await.expect(200).body;
    for (queue, key) in [
        ("mine", "mine"),
        ("unit", "unit"),
        ("unassigned", "unassigned"),
        ("breaching", "breaching_soon"),
        ("overdue", "overdue"),
        ("revisits", "revisits"),
    ] {
        let list = app.get(&format!("/api/v1/tickets?queue={queue}&limit=500"), token).await.expect(200).body;
        assert_eq!(counts[key].as_u64(), Some(list["items"].as_array().unwrap().len() as u64), "{queue}: {counts}");
    }
}

async fn complaint_walks_every_status(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "王小明", "13800138000").await;
    let agent_id = app.get("/api/v1/me", &w.agent).await.expect(200).body["id"].as_str().unwrap().to_owned();
    // Friday 13 February 2026, 17:00: Spring Festival is ahead, Saturday 14 is a make-up working day.
    app.state.clock.set(local("2026-02-13 17:00"));
    let body = json!({"customer_id": c, "kind": "complaint", "channel": "website", "subject": "机顶盒无信号",
                      "description": "客户反映机顶盒三天无信号"});
    let t = app.post("/api/v1/tickets", &w.agent, body).await.expect(201).body;
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (t["status"].as_str(), t["priority"].as_str(), t["green_channel"].as_bool()),
        (Some("new"), Some("normal"), Some(false))
    );
    assert_eq!(t["subject"], "机顶盒无信号");
    // Complaints: first answer within 60 minutes on the always clock; resolution within five
    // working days: Friday 60 min, Saturday 14 (make-up) 540, 15–23 February off, then 24, 25,
    // 26 February (2220 minutes), and 480 more on Friday 27 February: due at 17:00.
    assert_eq!(at(&t["sla"]["first_response_due"]), utc("2026-02-13 18:00"));
    assert_eq!(at(&t["sla"]["resolution_due"]), utc("2026-02-27 17:00"));
    assert_eq!(t["next"], json!(["investigating", "cancelled"]));
    // The customer's data on the ticket is masked for the agent.
    assert_ne!(t["customer"]["name"], "王小明");
    assert_eq!(t["customer"]["mobile"], "138****8000");

    // An illegal step: 409 naming the allowed ones.
    let r =
        app.post(&format!("/api/v1/tickets/{id}/transitions"), &w.agent, json!({"to": "assigned"})).await.problem(409);
    assert_eq!(r.body["code"], "transition_not_allowed");
    assert_eq!(r.body["params"]["allowed"], "investigating, cancelled");

    let t = step(&app, &w.agent, &id, json!({"to": "investigating"})).await;
    assert!(t["sla"]["first_responded_at"].is_string(), "leaving new is the first response");
    // Assigning responsibility needs the findings, the cause and a person.
    let r = app
        .post(
            &format!("/api/v1/tickets/{id}/transitions"),
            &w.agent,
            json!({"to": "assigned", "assignee_id": agent_id}),
        )
        .await
        .problem(422);
    assert_eq!(r.body["errors"][0]["field"], "findings");
    let t = step(
        &app,
        &w.agent,
        &id,
        json!({"to": "assigned", "assignee_id": agent_id, "findings": "线路老化", "cause": "line"}),
    )
    .await;
    assert_eq!((t["assignee_id"].as_str(), t["cause"].as_str()), (Some(agent_id.as_str()), Some("line")));
    step(&app, &w.agent, &id, json!({"to": "resolving"})).await;
    let t = step(&app, &w.agent, &id, json!({"to": "awaiting_feedback", "solution": "更换线路"})).await;
    assert_eq!(t["sla"]["paused"], true);
    assert!(t["sla"]["resolved_at"].is_string());

    // The customer is not satisfied (2): the complaint is reopened, not closed, and its
    // resolution clock starts again from Monday 2 March 10:00 with five working days.
    app.state.clock.set(local("2026-03-02 10:00"));
    let t = step(&app, &w.agent, &id, json!({"to": "closed", "feedback": "已回访", "satisfaction": 2})).await;
    assert_eq!((t["status"].as_str(), t["reopen_count"].as_i64()), (Some("reopened"), Some(1)));
    assert_eq!(at(&t["sla"]["resolution_due"]), utc("2026-03-09 10:00"));
    assert!(t["sla"]["resolved_at"].is_null() && t["sla"]["paused"] == false);

    step(&app, &w.agent, &id, json!({"to": "investigating"})).await;
    step(
        &app,
        &w.agent,
        &id,
        json!({"to": "assigned", "assignee_id": agent_id, "findings": "复查", "cause": "device"}),
    )
    .await;
    step(&app, &w.agent, &id, json!({"to": "resolving"})).await;
    step(&app, &w.agent, &id, json!({"to": "awaiting_feedback", "solution": "更换机顶盒"})).await;
    let body = json!({"to": "closed", "feedback": "客户满意", "satisfaction": 5, "revisit_after_days": 3});
    let t = step(&app, &w.agent, &id, body).await;
    assert_eq!((t["status"].as_str(), t["satisfaction"].as_i64()), (Some("closed"), Some(5)));
    // The revisit planned on closing waits in the agent's revisit queue, due three days later.
    let revisits = app.get("/api/v1/tickets?queue=revisits", &w.agent).await.expect(200).body;
    let revisit = revisits["items"][0].clone();
    assert_eq!((revisit["kind"].as_str(), revisit["parent_id"].as_str()), (Some("revisit"), Some(id.as_str())));
    assert_eq!(at(&revisit["revisit_at"]), utc("2026-03-05 10:00"));
    assert_eq!(app.get("/api/v1/tickets/counts", &w.agent).await.expect(200).body["revisits"], 1);
    let rid = revisit["id"].as_str().unwrap();
    let done =
        step(&app, &w.agent, rid, json!({"to": "closed", "feedback": "回访：已正常使用", "satisfaction": 5})).await;
    assert_eq!(done["status"], "closed");
    assert_eq!(app.get("/api/v1/tickets/counts", &w.agent).await.expect(200).body["revisits"], 0);
    assert_eq!(t["next"], json!(["reopened"]));
    let r = app
        .post(&format!("/api/v1/tickets/{id}/transitions"), &w.agent, json!({"to": "investigating"}))
        .await
        .problem(409);
    assert_eq!(r.body["params"]["allowed"], "reopened");

    // The timeline holds every step, in order, with the texts decrypted.
    let t = app.get(&format!("/api/v1/tickets/{id}"), &w.agent).await.expect(200).body;
    let statuses: Vec<String> = t["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status")
        .map(|e| e["data"]["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        statuses,
        [
            "investigating",
            "assigned",
            "resolving",
            "awaiting_feedback",
            "reopened",
            "investigating",
            "assigned",
            "resolving",
            "awaiting_feedback",
            "closed"
        ]
    );
    let k = kinds(&t);
    assert_eq!(k[0], "created");
    assert!(k.contains(&"assignment".to_owned()));
    let notes: Vec<&str> = t["timeline"].as_array().unwrap().iter().filter_map(|e| e["body"].as_str()).collect();
    assert!(notes.contains(&"线路老化") && notes.contains(&"客户满意"), "{notes:?}");
    // The ticket's words never reach the audit log or the outbox in clear.
    let leaked = app.count("tickets WHERE subject LIKE '%机顶盒%' OR description LIKE '%机顶盒%'");
    assert_eq!(leaked, 0, "subject and description are encrypted at rest");
    assert_eq!(app.count("ticket_events WHERE body LIKE '%线路%'"), 0);
    let notes = app.count("ticket_events WHERE body IS NOT NULL");
    assert_eq!(notes, 9, "findings ×2, cause ×2, solution ×2, feedback ×2, the revisit's outcome");
    assert_eq!(app.count(&format!("outbox WHERE topic = 'ticket.closed' AND aggregate_id = '{id}'")), 1);
    assert_eq!(app.count(&format!("outbox WHERE topic = 'ticket.reopened' AND aggregate_id = '{id}'")), 1);
}
both!(complaint_walks_every_status, complaint_walks_every_status);

async fn sla_job_warns_breaches_and_escalates(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "李四", "13900139000").await;
    let manager_id = app.get("/api/v1/me", &w.manager).await.expect(200).body["id"].as_str().unwrap().to_owned();
    let admin_group = app.group_id(&w.admin).await;
    let (_, group_manager) = app.user(&w.admin, "groupboss", "manager", &admin_group).await;
    // Monday 2 March 2026, 09:00. A repair: three working days (1620 business minutes): due
    // Wednesday 4 March 18:00; the warning at 80 % (1296 min: Wednesday 12:36); the group at
    // 150 % (2430 min: Friday 6 March 13:30).
    app.state.clock.set(local("2026-03-02 09:00"));
    let body =
        json!({"customer_id": c, "kind": "repair", "channel": "app", "subject": "宽带故障", "assignee_id": manager_id});
    let t = app.post("/api/v1/tickets", &w.manager, body).await.expect(201).body;
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!(at(&t["sla"]["resolution_due"]), utc("2026-03-04 18:00"));
    let paused = app
        .post(
            "/api/v1/tickets",
            &w.manager,
            json!({"customer_id": c, "kind": "repair", "channel": "app", "subject": "另一单"}),
        )
        .await
        .expect(201)
        .body;
    let paused_id = paused["id"].as_str().unwrap().to_owned();
    step(&app, &w.manager, &paused_id, json!({"to": "assigned", "assignee_id": manager_id})).await;
    step(&app, &w.manager, &paused_id, json!({"to": "resolving"})).await;
    step(&app, &w.manager, &paused_id, json!({"to": "awaiting_feedback", "solution": "已修复"})).await;

    let sweep = |at: NaiveDateTime| {
        let mut conn = app.state.db.get().unwrap();
        guanxi::tickets::sweep::sweep(&mut conn, at).unwrap()
    };
    let state = |app: &TestApp| app.count(&format!("tickets WHERE id = '{id}' AND sla_state = 'on_track'"));
    let s = sweep(local("2026-03-04 12:35"));
    assert_eq!((s.warned, s.breached, s.escalated), (0, 0, 0), "a minute before the warning");
    assert_eq!(state(&app), 1);
    let s = sweep(local("2026-03-04 12:36"));
    assert_eq!((s.warned, s.breached), (1, 0));
    assert_eq!(sweep(local("2026-03-04 17:59")).warned, 0, "warned once");
    let s = sweep(local("2026-03-04 18:00"));
    assert_eq!((s.breached, s.escalated), (1, 0));
    assert_eq!(sweep(local("2026-03-06 13:29")).escalated, 0);
    let s = sweep(local("2026-03-06 13:30"));
    assert_eq!(s.escalated, 1, "half a target past due: the group");
    assert_eq!(sweep(local("2026-03-30 09:00")), Default::default(), "each step once; the paused ticket never");

    let t = app.get(&format!("/api/v1/tickets/{id}"), &w.manager).await.expect(200).body;
    assert_eq!(t["sla"]["state"], "escalated");
    let k = kinds(&t);
    for kind in ["sla_warning", "sla_breach", "escalation"] {
        assert_eq!(k.iter().filter(|x| *x == kind).count(), 1, "{kind}: {k:?}");
    }
    // The assignee heard of each step; the group's manager of the escalation only.
    let bell = app.get("/api/v1/notifications", &w.manager).await.expect(200).body;
    let topics: Vec<&str> = bell["items"].as_array().unwrap().iter().map(|n| n["topic"].as_str().unwrap()).collect();
    for topic in ["ticket.warning", "ticket.breached", "ticket.escalated", "ticket.assigned"] {
        assert!(topics.contains(&topic), "{topic}: {topics:?}");
    }
    assert_eq!(bell["unread"].as_i64(), Some(topics.len() as i64));
    let boss = app.get("/api/v1/notifications", &group_manager).await.expect(200).body;
    let topics: Vec<&str> = boss["items"].as_array().unwrap().iter().map(|n| n["topic"].as_str().unwrap()).collect();
    assert_eq!(topics, ["ticket.escalated"]);
    let read = app.post("/api/v1/notifications/read", &w.manager, json!({})).await.expect(200).body;
    assert_eq!(read["unread"], 0);
    // Queues: overdue now holds the escalated ticket, and the counts agree.
    app.state.clock.set(local("2026-03-06 14:00"));
    let counts = app.get("/api/v1/tickets/counts", &w.manager).await.expect(200).body;
    assert_eq!(
        (counts["overdue"].as_i64(), counts["unit"].as_i64(), counts["mine"].as_i64()),
        (Some(1), Some(2), Some(2))
    );
    let overdue = app.get("/api/v1/tickets?queue=overdue", &w.manager).await.expect(200).body;
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    assert_eq!(overdue["items"][0]["id"], id.as_str());
    // Breaching soon: a new urgent repair once the SLA job warned it; the paused one never.
    app.state.clock.set(local("2026-03-09 08:30"));
    let body =
        json!({"customer_id": c, "kind": "repair", "channel": "hotline", "subject": "急修", "priority": "urgent"});
    let urgent = app.post("/api/v1/tickets", &w.agent, body).await.expect(201).body;
    let due = chrono::DateTime::parse_from_rfc3339(urgent["sla"]["resolution_due"].as_str().unwrap()).unwrap();
    assert_eq!(app.get("/api/v1/tickets/counts", &w.manager).await.expect(200).body["breaching_soon"], 0);
    assert_eq!(sweep(due.naive_utc() - Duration::minutes(1)).warned, 1);
    let counts = app.get("/api/v1/tickets/counts", &w.manager).await.expect(200).body;
    assert_eq!((counts["breaching_soon"].as_i64(), counts["overdue"].as_i64()), (Some(1), Some(1)));
    // A ticket of this subsidiary given by the group to the other subsidiary's manager: theirs
    // to see and count, though outside their units (counted before the job folds the tallies).
    let other_id = app.get("/api/v1/me", &w.other_manager).await.expect(200).body["id"].as_str().unwrap().to_owned();
    let body = json!({"customer_id": c, "kind": "inquiry", "channel": "email", "subject": "跨公司协办", "assignee_id": other_id});
    let cross = app.post("/api/v1/tickets", &group_manager, body).await.expect(201).body;
    let theirs = app.get("/api/v1/tickets/counts", &w.other_manager).await.expect(200).body;
    assert_eq!((theirs["mine"].as_i64(), theirs["unit"].as_i64()), (Some(1), Some(1)));
    // The customer's manager sees it (their customer) but it is not their units' work: in `all`,
    // not in the queues.
    let ids = |v: &Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_ne!(cross["unit_id"], Value::Null);
    let all = app.get("/api/v1/tickets", &w.manager).await.expect(200).body;
    assert!(ids(&all).contains(&cross["id"].as_str().unwrap().to_owned()));
    let unit = app.get("/api/v1/tickets?queue=unit", &w.manager).await.expect(200).body;
    assert!(!ids(&unit).contains(&cross["id"].as_str().unwrap().to_owned()));
    for token in [&w.manager, &w.agent, &w.other_manager, &group_manager] {
        counts_match_lists(&app, token).await;
    }
    // Past due: the job marks the repair (the manager's unit) and the inquiry (the other
    // subsidiary's) breached, the counts follow; then one cancelled leaves them, before the next
    // fold.
    app.state.clock.set(local("2026-03-11 17:30"));
    assert_eq!(sweep(local("2026-03-11 17:30")).breached, 2);
    assert_eq!(app.get("/api/v1/tickets/counts", &w.manager).await.expect(200).body["overdue"], 2);
    assert_eq!(app.get("/api/v1/tickets/counts", &w.other_manager).await.expect(200).body["overdue"], 1);
    step(&app, &w.manager, &id, json!({"to": "cancelled", "reason": "客户撤回"})).await;
    assert_eq!(app.get("/api/v1/tickets/counts", &w.manager).await.expect(200).body["overdue"], 1);
    for token in [&w.manager, &w.agent, &w.other_manager, &group_manager] {
        counts_match_lists(&app, token).await;
    }
}
both!(sla_job_warns_breaches_and_escalates, sla_job_warns_breaches_and_escalates);

/// Every (type, status, target) the workflow does not list is refused with 409 and changes
/// nothing; every one it lists is taken.
async fn illegal_steps_are_refused(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "赵六", "13700137000").await;
    let me = app.get("/api/v1/me", &w.manager).await.expect(200).body["id"].as_str().unwrap().to_owned();
    const ALL: [&str; 8] =
        ["new", "investigating", "assigned", "resolving", "awaiting_feedback", "closed", "reopened", "cancelled"];
    let full = |to: &str| {
        json!({"to": to, "assignee_id": me, "findings": "f", "cause": "c", "solution": "s", "feedback": "fb",
               "satisfaction": 4, "reason": "r"})
    };
    for kind in ["complaint", "inquiry", "repair"] {
        // Walk the happy path; at every status try every target.
        let body = json!({"customer_id": c, "kind": kind, "channel": "hotline", "subject": "s"});
        let t = app.post("/api/v1/tickets", &w.manager, body).await.expect(201).body;
        let id = t["id"].as_str().unwrap().to_owned();
        let mut current = t;
        loop {
            let allowed: Vec<String> =
                current["next"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
            for to in ALL.iter().filter(|s| !allowed.contains(&s.to_string())) {
                let r = app.post(&format!("/api/v1/tickets/{id}/transitions"), &w.manager, full(to)).await.problem(409);
                assert_eq!(r.body["code"], "transition_not_allowed", "{kind}: {} → {to}", current["status"]);
            }
            let after = app.get(&format!("/api/v1/tickets/{id}"), &w.manager).await.expect(200).body;
            assert_eq!(after["version"], current["version"], "a refused step writes nothing");
            // Forward: the first allowed step that is not cancelling or reopening.
            let Some(next) = allowed.iter().find(|s| *s != "cancelled" && *s != "reopened") else { break };
            current = step(&app, &w.manager, &id, full(next)).await;
            if current["status"] == "closed" {
                break;
            }
        }
        assert_eq!(current["status"], "closed", "{kind}");
    }
}
both!(illegal_steps_are_refused, illegal_steps_are_refused);

async fn scope_and_green_channel(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "钱七", "13600136000").await;
    // A manager's override puts the customer in tier A: the class strategy's green channel.
    let body = json!({"tier": "A", "reason": "战略客户", "days": 30});
    app.send("PUT", &format!("/api/v1/customers/{c}/tier/override"), Some(&w.manager), Some(body), &[])
        .await
        .expect(200);
    let body =
        json!({"customer_id": c, "kind": "inquiry", "channel": "email", "subject": "账单疑问", "priority": "low"});
    let t = app.post("/api/v1/tickets", &w.agent, body).await.expect(201).body;
    assert_eq!((t["green_channel"].as_bool(), t["sla_class"].as_str()), (Some(true), Some("urgent")));
    assert_eq!(t["priority"], "urgent", "raised from low by the strategy");
    let created = chrono::DateTime::parse_from_rfc3339(t["created_at"].as_str().unwrap()).unwrap();
    let first = chrono::DateTime::parse_from_rfc3339(t["sla"]["first_response_due"].as_str().unwrap()).unwrap();
    assert_eq!((first - created).num_minutes(), 3, "urgent class: three minutes, not email's 24 hours");
    let id = t["id"].as_str().unwrap();
    // Another subsidiary's manager: 404 for the ticket, nothing in their queues.
    app.get(&format!("/api/v1/tickets/{id}"), &w.other_manager).await.problem(404);
    app.post(&format!("/api/v1/tickets/{id}/comments"), &w.other_manager, json!({"body": "x"})).await.problem(404);
    let theirs = app.get("/api/v1/tickets", &w.other_manager).await.expect(200).body;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    // Nor may they open one for a customer they cannot see.
    let body = json!({"customer_id": c, "kind": "inquiry", "channel": "email", "subject": "x"});
    app.post("/api/v1/tickets", &w.other_manager, body).await.problem(404);
    // An auditor reads but cannot write; a comment is validated.
    app.get(&format!("/api/v1/tickets/{id}"), &w.auditor).await.expect(200);
    app.post(&format!("/api/v1/tickets/{id}/comments"), &w.auditor, json!({"body": "x"})).await.problem(403);
    let r = app.post(&format!("/api/v1/tickets/{id}/comments"), &w.agent, json!({"body": "   "})).await.problem(422);
    assert_eq!(r.body["errors"][0]["code"], "blank");
    let t = app
        .post(&format!("/api/v1/tickets/{id}/comments"), &w.agent, json!({"body": "已致电客户", "public": true}))
        .await
        .expect(201)
        .body;
    assert!(t["sla"]["first_responded_at"].is_string(), "a public answer is the first response");
    // SLA configuration: the calendar's built-in 2026 schedule, an edit, a refused day.
    let cal = app.get("/api/v1/sla/calendar/2026", &w.manager).await.expect(200).body;
    assert_eq!(cal["built_in"], true);
    assert!(cal["days"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["day"] == "2026-02-14" && d["kind"] == "workday" && d["name"] == "春节"));
    let body = json!({"days": [{"day": "2027-02-06", "kind": "holiday"}]});
    let r = app.send("PUT", "/api/v1/sla/calendar/2026", Some(&w.manager), Some(body), &[]).await.problem(422);
    assert_eq!(r.body["errors"][0]["code"], "other_year");
    app.send("PUT", "/api/v1/sla/calendar/2026", Some(&w.agent), Some(json!({"days": []})), &[]).await.problem(403);
    let r = app
        .send(
            "PUT",
            "/api/v1/sla/settings",
            Some(&w.manager),
            Some(json!({"start_minute": 600, "end_minute": 540, "utc_offset_minutes": 480, "warn_percent": 80})),
            &[],
        )
        .await
        .problem(422);
    assert_eq!(r.body["errors"][0]["field"], "end_minute");
}
both!(scope_and_green_channel, scope_and_green_channel);

/// Each server keeps the SLA setup while its stored revision stands: policies and a holiday
/// changed through another server on the same database apply to this server's next ticket.
async fn an_sla_change_through_another_server_applies_at_once(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "钱七", "13600136000").await;
    let other = app.twin(&[]).await;
    let policy = |first: i64| {
        json!({"policies": [{"kind": "inquiry", "channel": "email", "first_response_minutes": first,
                             "resolution_minutes": 540, "clock": "business"}]})
    };
    app.send("PUT", "/api/v1/sla/policies", Some(&w.manager), Some(policy(120)), &[]).await.expect(200);
    // Monday 2 March 2026, 10:00: one working day (540 business minutes) ends on Tuesday at 10:00.
    app.state.clock.set(local("2026-03-02 10:00"));
    let body = json!({"customer_id": c, "kind": "inquiry", "channel": "email", "subject": "发票查询"});
    let t = app.post("/api/v1/tickets", &w.agent, body.clone()).await.expect(201).body;
    assert_eq!(at(&t["sla"]["first_response_due"]), utc("2026-03-02 12:00"));
    assert_eq!(at(&t["sla"]["resolution_due"]), utc("2026-03-03 10:00"));
    // Through the other server: a tighter first answer, and Tuesday off.
    other.send("PUT", "/api/v1/sla/policies", Some(&w.manager), Some(policy(30)), &[]).await.expect(200);
    let t = app.post("/api/v1/tickets", &w.agent, body.clone()).await.expect(201).body;
    assert_eq!(at(&t["sla"]["first_response_due"]), utc("2026-03-02 10:30"));
    assert_eq!(at(&t["sla"]["resolution_due"]), utc("2026-03-03 10:00"));
    let days = json!({"days": [{"day": "2026-03-03", "kind": "holiday"}]});
    other.send("PUT", "/api/v1/sla/calendar/2026", Some(&w.manager), Some(days), &[]).await.expect(200);
    let t = app.post("/api/v1/tickets", &w.agent, body).await.expect(201).body;
    assert_eq!(at(&t["sla"]["resolution_due"]), utc("2026-03-04 10:00"));
}
both!(an_sla_change_through_another_server_applies_at_once, an_sla_change_through_another_server_applies_at_once);

/// A customer through their own link: opens a complaint, sees only what is shown to them,
/// replies, rates 2 once the answer is given — and the complaint is reopened.
async fn a_customer_rates_through_their_link(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "孙八", "13500135000").await;
    let other = customer(&app, &w.manager, "周九", "13400134000").await;
    let link = app.post(&format!("/api/v1/customers/{c}/ticket-links"), &w.agent, json!({})).await.expect(201).body;
    let token = link["token"].as_str().unwrap().to_owned();
    assert!(link["url"].as_str().unwrap().starts_with("/self-service/tickets#"));
    // A ticket link is no consent link, and a staff token is no link.
    app.get("/api/v1/self-service/consents", &token).await.problem(401);
    app.get("/api/v1/self-service/tickets", &w.agent).await.problem(401);

    let body =
        json!({"kind": "complaint", "channel": "app", "subject": "安装师傅未按约上门", "description": "约好周六上午"});
    let t = app.post("/api/v1/self-service/tickets", &token, body).await.expect(201).body;
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!((t["status"].as_str(), t["can_rate"].as_bool()), (Some("new"), Some(false)));
    // Staff see it in their unit's queue, opened on the app channel, by the customer.
    let staff = app.get(&format!("/api/v1/tickets/{id}"), &w.agent).await.expect(200).body;
    assert_eq!((staff["channel"].as_str(), staff["created_by"].as_str()), (Some("app"), Some(c.as_str())));
    // Too early to rate.
    let r = app
        .post(&format!("/api/v1/self-service/tickets/{id}/rating"), &token, json!({"satisfaction": 5}))
        .await
        .problem(409);
    assert_eq!(r.body["code"], "rating_not_open");

    let me = app.get("/api/v1/me", &w.agent).await.expect(200).body["id"].as_str().unwrap().to_owned();
    step(&app, &w.agent, &id, json!({"to": "investigating"})).await;
    step(
        &app,
        &w.agent,
        &id,
        json!({"to": "assigned", "assignee_id": me, "findings": "排班冲突", "cause": "schedule"}),
    )
    .await;
    app.post(&format!("/api/v1/tickets/{id}/comments"), &w.agent, json!({"body": "内部：师傅请假"})).await.expect(201);
    app.post(&format!("/api/v1/tickets/{id}/comments"), &w.agent, json!({"body": "已改约周日上午", "public": true}))
        .await
        .expect(201);
    step(&app, &w.agent, &id, json!({"to": "resolving"})).await;
    step(&app, &w.agent, &id, json!({"to": "awaiting_feedback", "solution": "周日上门完成安装"})).await;

    let mine = app.get(&format!("/api/v1/self-service/tickets/{id}"), &token).await.expect(200).body;
    let bodies: Vec<&str> = mine["timeline"].as_array().unwrap().iter().filter_map(|e| e["body"].as_str()).collect();
    assert!(bodies.contains(&"已改约周日上午") && bodies.contains(&"周日上门完成安装"), "{bodies:?}");
    assert!(!bodies.contains(&"内部：师傅请假") && !bodies.contains(&"排班冲突"), "staff-only entries stay hidden");
    assert_eq!(mine["can_rate"], true);
    app.post(&format!("/api/v1/self-service/tickets/{id}/replies"), &token, json!({"body": "还是没装好"}))
        .await
        .expect(201);
    let rated = app
        .post(
            &format!("/api/v1/self-service/tickets/{id}/rating"),
            &token,
            json!({"satisfaction": 2, "comment": "不满意"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!((rated["status"].as_str(), rated["satisfaction"].as_i64()), (Some("reopened"), Some(2)));
    let staff = app.get(&format!("/api/v1/tickets/{id}"), &w.agent).await.expect(200).body;
    assert_eq!((staff["status"].as_str(), staff["reopen_count"].as_i64()), (Some("reopened"), Some(1)));
    assert!(staff["timeline"].as_array().unwrap().iter().any(|e| e["kind"] == "reply" && e["body"] == "还是没装好"));
    assert_eq!(app.count("outbox WHERE topic = 'ticket.reopened'"), 1);
    // Another customer's ticket is none of this link's business.
    let theirs = app
        .post(
            "/api/v1/tickets",
            &w.agent,
            json!({"customer_id": other, "kind": "inquiry", "channel": "hotline", "subject": "x"}),
        )
        .await
        .expect(201)
        .body;
    app.get(&format!("/api/v1/self-service/tickets/{}", theirs["id"].as_str().unwrap()), &token).await.problem(404);
    let list = app.get("/api/v1/self-service/tickets", &token).await.expect(200).body;
    assert_eq!(list.as_array().unwrap().len(), 1);
}
both!(a_customer_rates_through_their_link, a_customer_rates_through_their_link);

/// A hotline (CTI) opens tickets with a key scoped to tickets: a retried create with the same
/// `Idempotency-Key` makes one ticket; the key reads no customer records and sees them masked.
async fn a_hotline_opens_tickets_with_a_scoped_key(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "吴十", "13300133000").await;
    let body = json!({"name": "cti", "scopes": ["tickets:read", "tickets:write"], "unit_id": w.s1});
    let key = app.post("/api/v1/api-keys", &w.admin, body).await.expect(201).body["key"].as_str().unwrap().to_owned();
    let body = json!({"customer_id": c, "kind": "inquiry", "channel": "hotline", "subject": "来电咨询套餐"});
    let retry = [("Idempotency-Key", "call-2026-0001")];
    let first = app.send("POST", "/api/v1/tickets", Some(&key), Some(body.clone()), &retry).await.expect(201);
    let again = app.send("POST", "/api/v1/tickets", Some(&key), Some(body), &retry).await.expect(201);
    assert_eq!(first.body["id"], again.body["id"]);
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(app.count(&format!("tickets WHERE customer_id = '{c}'")), 1);
    assert_ne!(first.body["customer"]["name"], "吴十", "masked for an integration");
    app.get(&format!("/api/v1/customers/{c}"), &key).await.problem(403);
    let id = first.body["id"].as_str().unwrap();
    app.post(&format!("/api/v1/tickets/{id}/comments"), &key, json!({"body": "通话录音已归档"})).await.expect(201);
    // Another subsidiary's customer is out of the key's reach.
    let theirs = customer(&app, &w.other_manager, "郑十一", "13200132000").await;
    let body = json!({"customer_id": theirs, "kind": "inquiry", "channel": "hotline", "subject": "x"});
    app.post("/api/v1/tickets", &key, body).await.problem(404);
}
both!(a_hotline_opens_tickets_with_a_scoped_key, a_hotline_opens_tickets_with_a_scoped_key);
