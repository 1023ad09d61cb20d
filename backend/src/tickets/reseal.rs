//! Key rotation for ticket texts: subjects, descriptions and timeline bodies still sealed with an
//! older field key are counted (the retirement check) and sealed anew, a batch at a time.

use diesel::prelude::*;

use crate::crypto::field::FieldCipher;
use crate::db::schema::{ticket_events, tickets};
use crate::db::DbConnection;
use crate::error::ApiError;

const BATCH: i64 = 500;

/// Ticket texts under one of the `old` key ids.
pub fn sealed_with(conn: &mut DbConnection, old: &[String]) -> QueryResult<i64> {
    let mut n = 0;
    for kid in old {
        let p = format!("{kid}:%");
        n += tickets::table
            .filter(tickets::subject.like(p.clone()).or(tickets::description.like(p.clone())))
            .count()
            .get_result::<i64>(conn)?;
        n += ticket_events::table.filter(ticket_events::body.like(p)).count().get_result::<i64>(conn)?;
    }
    Ok(n)
}

fn reseal(cipher: &FieldCipher, table: &str, column: &str, id: &str, stored: &str) -> Result<Option<String>, ApiError> {
    // Erased text is empty: nothing to seal.
    if stored.is_empty() {
        return Ok(None);
    }
    cipher.reseal(table, column, id, stored).map_err(|e| ApiError::internal(format!("{table} {id} {column}: {e:?}")))
}

/// Seals every ticket text anew with the newest field key; returns how many rows it rewrote.
pub fn reseal_all(conn: &mut DbConnection, cipher: &FieldCipher) -> Result<u64, ApiError> {
    let mut n = 0;
    let mut after = String::new();
    loop {
        let rows: Vec<(String, String, Option<String>)> = tickets::table
            .filter(tickets::id.gt(&after))
            .order(tickets::id)
            .limit(BATCH)
            .select((tickets::id, tickets::subject, tickets::description))
            .load(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.0.clone();
        for (id, subject, description) in rows {
            let new_subject = reseal(cipher, "tickets", "subject", &id, &subject)?;
            let new_description = match &description {
                Some(d) => reseal(cipher, "tickets", "description", &id, d)?,
                None => None,
            };
            if new_subject.is_none() && new_description.is_none() {
                continue;
            }
            diesel::update(tickets::table.find(&id).filter(tickets::subject.eq(&subject)))
                .set((
                    tickets::subject.eq(new_subject.unwrap_or(subject.clone())),
                    tickets::description.eq(new_description.or(description)),
                ))
                .execute(conn)?;
            n += 1;
        }
    }
    let mut after = String::new();
    loop {
        let rows: Vec<(String, Option<String>)> = ticket_events::table
            .filter(ticket_events::id.gt(&after))
            .filter(ticket_events::body.is_not_null())
            .order(ticket_events::id)
            .limit(BATCH)
            .select((ticket_events::id, ticket_events::body))
            .load(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.0.clone();
        for (id, body) in rows {
            let Some(body) = body else { continue };
            if let Some(new) = reseal(cipher, "ticket_events", "body", &id, &body)? {
                diesel::update(ticket_events::table.find(&id)).set(ticket_events::body.eq(new)).execute(conn)?;
                n += 1;
            }
        }
    }
    Ok(n)
}
