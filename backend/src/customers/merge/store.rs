use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::dto::MoveCounts;
use crate::db::schema::{
    consents, contacts, customer_merges, customer_notifications, feedback, preferences, purchases,
};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = customer_merges)]
pub struct MergeRow {
    pub id: String,
    pub target_id: String,
    pub source_id: String,
    pub target_before: String,
    pub target_version: i64,
    pub moved: String,
    pub fields: String,
    pub merged_by: String,
    pub merged_at: NaiveDateTime,
    pub undone_at: Option<NaiveDateTime>,
    pub undone_by: Option<String>,
}

/// Ids of what a merge moved or added, so that undo moves exactly those back.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Moved {
    pub purchases: Vec<String>,
    pub preferences: Vec<String>,
    pub feedback: Vec<String>,
    pub contacts: Vec<String>,
    pub notifications: Vec<String>,
    /// The source's consent records, and withdrawals the merge added because the source had
    /// withdrawn (they go back to the source on undo). Absent in merges made before consents.
    #[serde(default)]
    pub consents: Vec<String>,
    pub owners_added: Vec<String>,
    pub tags_added: Vec<String>,
}

impl Moved {
    pub fn counts(&self) -> MoveCounts {
        MoveCounts {
            purchases: self.purchases.len(),
            preferences: self.preferences.len(),
            feedback: self.feedback.len(),
            contacts: self.contacts.len(),
            notifications: self.notifications.len(),
            consents: self.consents.len(),
        }
    }
}

/// One macro body for the record tables, which differ only in name.
macro_rules! each_table {
    ($m:ident) => {
        $m!(purchases, purchases);
        $m!(preferences, preferences);
        $m!(feedback, feedback);
        $m!(contacts, contacts);
        $m!(customer_notifications, notifications);
        $m!(consents, consents);
    };
}

/// The ids of the records a customer has in each table.
pub fn records_of(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Moved> {
    let mut m = Moved::default();
    macro_rules! load {
        ($t:ident, $f:ident) => {
            m.$f = $t::table.filter($t::customer_id.eq(customer_id)).select($t::id).order($t::id).load(conn)?;
        };
    }
    each_table!(load);
    Ok(m)
}

/// Points the given records at `to`.
pub fn reassign(conn: &mut DbConnection, m: &Moved, to: &str) -> QueryResult<()> {
    macro_rules! update {
        ($t:ident, $f:ident) => {
            for chunk in m.$f.chunks(1000) {
                diesel::update($t::table.filter($t::id.eq_any(chunk))).set($t::customer_id.eq(to)).execute(conn)?;
            }
        };
    }
    each_table!(update);
    Ok(())
}

pub fn insert(conn: &mut DbConnection, row: &MergeRow) -> QueryResult<()> {
    diesel::insert_into(customer_merges::table).values(row).execute(conn).map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<MergeRow>> {
    customer_merges::table.find(id).select(MergeRow::as_select()).first(conn).optional()
}

/// The customer a merged one went into (its latest merge not undone), by the source index.
pub fn successor_of(conn: &mut DbConnection, source_id: &str) -> QueryResult<Option<String>> {
    customer_merges::table
        .filter(customer_merges::source_id.eq(source_id))
        .filter(customer_merges::undone_at.is_null())
        .order(customer_merges::id.desc())
        .select(customer_merges::target_id)
        .first(conn)
        .optional()
}

/// Merges into a customer, newest first.
pub fn into(conn: &mut DbConnection, target_id: &str) -> QueryResult<Vec<MergeRow>> {
    customer_merges::table
        .filter(customer_merges::target_id.eq(target_id))
        .order(customer_merges::id.desc())
        .limit(100)
        .select(MergeRow::as_select())
        .load(conn)
}

pub fn mark_undone(conn: &mut DbConnection, id: &str, by: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(customer_merges::table.find(id))
        .set((customer_merges::undone_at.eq(Some(at)), customer_merges::undone_by.eq(Some(by))))
        .execute(conn)
        .map(|_| ())
}
