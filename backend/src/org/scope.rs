//! A data scope: the subtree of units a principal's data reach covers (its subsidiary, or the
//! whole group for group-level staff). Units are paths `/group/subsidiary/department/`, so a
//! subtree is a path prefix.

use diesel::dsl::{Filter, Like, Select};
use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::units;

/// `units.path LIKE '<prefix>%'`: a unit in the scope.
pub type HoldsUnit = Like<units::path, String>;
/// The ids of the units in a scope, as a subquery: `x::unit_id.eq_any(scope.unit_ids())`.
pub type UnitIds = Select<Filter<units::table, HoldsUnit>, units::id>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    prefix: String,
}

impl Scope {
    pub fn of(p: &Principal) -> Scope {
        Scope { prefix: p.scope_prefix() }
    }

    pub fn from_prefix(prefix: impl Into<String>) -> Scope {
        Scope { prefix: prefix.into() }
    }

    /// The prefix to filter by, or None for the whole group (which also sees what belongs to no
    /// unit: system and self-service entries).
    pub fn narrowing(&self) -> Option<&str> {
        (!self.is_whole_group()).then_some(self.prefix.as_str())
    }

    /// The scope to filter by, or None for the whole group (see `narrowing`).
    pub fn narrowed(&self) -> Option<&Scope> {
        (!self.is_whole_group()).then_some(self)
    }

    /// The group's scope: `/group/`, one segment.
    pub fn is_whole_group(&self) -> bool {
        self.prefix.matches('/').count() <= 2
    }

    /// The one place a scope becomes SQL: the units whose path starts with the prefix (served
    /// by the index on `units.path`).
    pub fn holds_unit(&self) -> HoldsUnit {
        units::path.like(self.like_pattern())
    }

    /// The ids of the units in this scope, as a subquery.
    pub fn unit_ids(&self) -> UnitIds {
        units::table.filter(self.holds_unit()).select(units::id)
    }

    /// The `LIKE` pattern of the subtree, for the raw SQL fragments that need it.
    pub fn like_pattern(&self) -> String {
        format!("{}%", self.prefix)
    }

    /// True when the unit at `path` lies in this scope.
    pub fn covers(&self, path: &str) -> bool {
        path.starts_with(&self.prefix)
    }

    /// The parts of the subtrees rooted at `paths` that lie in this scope, as prefixes that do
    /// not overlap: a subtree inside the scope stays whole, a subtree holding the scope narrows
    /// to the scope, one beside it drops out. (An agreement for the whole group, used by a
    /// subsidiary, reaches that subsidiary only.)
    pub fn within<'a>(&self, paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut out: Vec<String> = paths
            .into_iter()
            .filter_map(|path| {
                if self.covers(path) {
                    Some(path.to_owned())
                } else if self.prefix.starts_with(path) {
                    Some(self.prefix.clone())
                } else {
                    None
                }
            })
            .collect();
        out.sort();
        out.dedup();
        // Drop a prefix already inside another (sorted: a parent comes before its children).
        let mut kept: Vec<String> = Vec::with_capacity(out.len());
        for p in out {
            if !kept.iter().any(|k| p.starts_with(k.as_str())) {
                kept.push(p);
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_narrows_to_the_scope_without_overlaps() {
        let s1 = Scope::from_prefix("/g/s1/");
        assert_eq!(s1.within(["/g/"]), ["/g/s1/"]);
        assert_eq!(s1.within(["/g/s2/"]), Vec::<String>::new());
        assert_eq!(s1.within(["/g/s1/d1/", "/g/s2/"]), ["/g/s1/d1/"]);
        assert_eq!(s1.within(["/g/", "/g/s1/d1/", "/g/s1/"]), ["/g/s1/"]);
        let group = Scope::from_prefix("/g/");
        assert_eq!(group.within(["/g/s2/", "/g/s1/"]), ["/g/s1/", "/g/s2/"]);
        assert!(s1.covers("/g/s1/d1/") && !s1.covers("/g/s10/"));
        assert_eq!((s1.narrowing(), group.narrowing()), (Some("/g/s1/"), None));
    }
}
