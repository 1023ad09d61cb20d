use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{SlaClass, Strategy};
use crate::db::schema::service_strategies;
use crate::db::DbConnection;
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = service_strategies)]
pub struct StrategyRow {
    pub class: String,
    pub priority: i64,
    pub sla_class: String,
    pub green_channel: bool,
    pub dedicated_manager: bool,
    pub campaign_eligible: bool,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl StrategyRow {
    pub fn strategy(&self) -> Result<Strategy, ApiError> {
        Ok(Strategy {
            priority: u8::try_from(self.priority).map_err(ApiError::internal)?,
            sla_class: SlaClass::parse(&self.sla_class)
                .ok_or_else(|| ApiError::internal(format!("sla class {}", self.sla_class)))?,
            green_channel: self.green_channel,
            dedicated_manager: self.dedicated_manager,
            campaign_eligible: self.campaign_eligible,
        })
    }
}

pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<StrategyRow>> {
    service_strategies::table.select(StrategyRow::as_select()).load(conn)
}

pub fn of(conn: &mut DbConnection, classes: &[String]) -> QueryResult<Vec<StrategyRow>> {
    service_strategies::table
        .filter(service_strategies::class.eq_any(classes))
        .select(StrategyRow::as_select())
        .load(conn)
}

/// Inserts or replaces the class's row.
pub fn put(conn: &mut DbConnection, row: &StrategyRow) -> QueryResult<()> {
    diesel::delete(service_strategies::table.find(&row.class)).execute(conn)?;
    diesel::insert_into(service_strategies::table).values(row).execute(conn).map(|_| ())
}
