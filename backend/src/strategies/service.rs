//! A customer's strategy from the classes they are in: the stored rows, else the defaults.

use super::model::{combine, default_of, CustomerStrategy, Strategy};
use super::store;
use crate::db::DbConnection;
use crate::error::ApiError;

/// The strategy of a customer in these classes (`tier:A`, `level:gold`, ...).
pub fn resolve(conn: &mut DbConnection, classes: Vec<String>) -> Result<CustomerStrategy, ApiError> {
    let stored = store::of(conn, &classes)?;
    let parts: Vec<Strategy> = classes
        .iter()
        .map(|c| stored.iter().find(|r| &r.class == c).map_or(Ok(default_of(c)), store::StrategyRow::strategy))
        .collect::<Result<_, _>>()?;
    let strategy = combine(&parts).unwrap_or_else(|| default_of("tier:D"));
    Ok(CustomerStrategy { strategy, classes })
}
