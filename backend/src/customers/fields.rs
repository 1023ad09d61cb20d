//! The fields that describe a customer, once: the API name, whether it is personal data, sensitive
//! (encrypted at rest with a blind index or region beside it, masked by role, revealable),
//! verifiable by data-quality checks, chosen between by a merge, a column of import and export
//! files; and where its value is stored on the row. Sealing, views, reveals, copies, incident
//! registers, verifications, imports, exports and merges iterate this table: adding a field is one
//! row here (and its column). The typed lists in the API (`RevealField`, `QualityField`) are held
//! to it by the tests below.

use super::mask::{self, View};
use super::model::CustomerRow;

/// Where a value lives on the row: read as text, written as text (`None` clears an optional
/// column and leaves a required one as it is).
#[derive(Clone, Copy)]
pub struct Slot {
    pub get: fn(&CustomerRow) -> Option<&str>,
    pub set: fn(&mut CustomerRow, Option<String>),
}

/// What is derived from a sensitive value and travels with it (copied on merge, cleared with it).
#[derive(Clone, Copy)]
pub enum Derived {
    Nothing,
    /// A keyed hash of the clear value, for exact search and duplicate detection.
    BlindIndex(Slot),
    /// The region part of an address, kept clear for statistics.
    Region(Slot),
}

pub const PERSONAL: u8 = 1;
pub const SENSITIVE: u8 = 2;
pub const VERIFIABLE: u8 = 4;
pub const MERGED: u8 = 8;
pub const FILE: u8 = 16;

#[derive(Clone, Copy)]
pub struct Field {
    /// The API name (and the column name in files).
    pub name: &'static str,
    flags: u8,
    pub stored: Slot,
    pub derived: Derived,
    /// How a role sees the clear value (sensitive fields only).
    pub mask: Option<fn(&str, View) -> String>,
}

impl Field {
    pub fn is(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Part of the person's data: what a copy hands over, what an incident can name.
    pub fn personal(&self) -> bool {
        self.is(PERSONAL)
    }

    pub fn sensitive(&self) -> bool {
        self.is(SENSITIVE)
    }
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field").field("name", &self.name).field("flags", &self.flags).finish()
    }
}

macro_rules! optional {
    ($col:ident) => {
        Slot { get: |r| r.$col.as_deref(), set: |r, v| r.$col = v }
    };
}

macro_rules! required {
    ($col:ident) => {
        Slot {
            get: |r| Some(r.$col.as_str()),
            set: |r, v| {
                if let Some(v) = v {
                    r.$col = v
                }
            },
        }
    };
}

const fn plain(name: &'static str, flags: u8, stored: Slot) -> Field {
    Field { name, flags, stored, derived: Derived::Nothing, mask: None }
}

const fn sealed(name: &'static str, stored: Slot, derived: Derived, mask: fn(&str, View) -> String) -> Field {
    Field { name, flags: PERSONAL | SENSITIVE | VERIFIABLE | MERGED | FILE, stored, derived, mask: Some(mask) }
}

const PERSON: u8 = PERSONAL | VERIFIABLE | MERGED | FILE;

/// In the order copies, merges and files list them.
pub const ALL: [Field; 16] = [
    plain("name", PERSON, required!(name)),
    plain("gender", PERSON, optional!(gender)),
    sealed("birth_date", optional!(birth_date), Derived::Nothing, mask::birth_date),
    sealed("national_id", optional!(national_id), Derived::BlindIndex(optional!(national_id_bidx)), mask::national_id),
    sealed("mobile", optional!(mobile), Derived::BlindIndex(optional!(mobile_bidx)), mask::mobile),
    sealed("email", optional!(email), Derived::BlindIndex(optional!(email_bidx)), mask::email),
    sealed("address", optional!(address), Derived::Region(optional!(address_region)), mask::address),
    plain("address_region", PERSONAL, optional!(address_region)),
    plain("occupation", PERSON, optional!(occupation)),
    plain("income_band", PERSON, optional!(income_band)),
    plain("customer_type", FILE, required!(customer_type)),
    plain("preferred_channel", MERGED | FILE, optional!(preferred_channel)),
    plain("source_channel", FILE, required!(source_channel)),
    plain("source_supplier", FILE, optional!(source_supplier)),
    plain("source_legal_basis", FILE, optional!(source_legal_basis)),
    plain("household_id", MERGED | FILE, optional!(household_id)),
];

pub fn find(name: &str) -> Option<&'static Field> {
    ALL.iter().find(|f| f.name == name)
}

/// The fields with `flag`, in table order.
pub fn with(flag: u8) -> impl Iterator<Item = &'static Field> {
    ALL.iter().filter(move |f| f.is(flag))
}

/// The API names of the person's fields: what a copy hands over, what an incident can name.
pub fn names() -> impl Iterator<Item = &'static str> {
    with(PERSONAL).map(|f| f.name)
}

pub fn is_personal(name: &str) -> bool {
    find(name).is_some_and(Field::personal)
}

/// Whether the row holds a value for the field (a sensitive one as ciphertext).
pub fn is_set(row: &CustomerRow, field: &Field) -> bool {
    (field.stored.get)(row).is_some()
}

/// Clears a value and what is derived from it.
pub fn clear(row: &mut CustomerRow, field: &Field) {
    (field.stored.set)(row, None);
    if let Derived::BlindIndex(s) | Derived::Region(s) = field.derived {
        (s.set)(row, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::dto::RevealField;
    use crate::customers::quality::dto::QualityField;

    fn variants<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        let mut v: Vec<String> =
            all.iter().map(|x| serde_json::to_value(x).unwrap().as_str().unwrap().to_owned()).collect();
        v.sort();
        v
    }

    fn sorted(it: impl Iterator<Item = &'static str>) -> Vec<String> {
        let mut v: Vec<String> = it.map(str::to_owned).collect();
        v.sort();
        v
    }

    #[test]
    fn the_api_lists_follow_the_table() {
        use RevealField as R;
        let reveal = [R::NationalId, R::Mobile, R::Email, R::Address, R::BirthDate, R::Name];
        // A reveal shows the sensitive fields and the (masked) name in full.
        let revealable = ALL.iter().filter(|f| f.sensitive() || f.name == "name").map(|f| f.name);
        assert_eq!(variants(&reveal), sorted(revealable));
        use QualityField as Q;
        let quality = [
            Q::Name,
            Q::Gender,
            Q::BirthDate,
            Q::NationalId,
            Q::Mobile,
            Q::Email,
            Q::Address,
            Q::Occupation,
            Q::IncomeBand,
        ];
        assert_eq!(variants(&quality), sorted(with(VERIFIABLE).map(|f| f.name)));
        assert!(is_personal("address_region") && !is_personal("password_hash") && !is_personal("household_id"));
    }

    #[test]
    fn every_sensitive_field_is_masked_and_slots_reach_their_columns() {
        for f in ALL {
            assert_eq!(f.sensitive(), f.mask.is_some(), "{}", f.name);
        }
        let mut row: CustomerRow = serde_json::from_value(serde_json::json!({
            "id": "c", "unit_id": "u", "name": "n", "customer_type": "t", "source_channel": "s",
            "reachable": true, "version": 1,
            "created_at": "2026-01-01T00:00:00", "updated_at": "2026-01-01T00:00:00"
        }))
        .unwrap();
        for f in ALL {
            (f.stored.set)(&mut row, Some(format!("v-{}", f.name)));
        }
        let json = serde_json::to_value(&row).unwrap();
        for f in ALL {
            assert_eq!((f.stored.get)(&row), Some(format!("v-{}", f.name).as_str()), "{}", f.name);
            assert_eq!(json[f.name], format!("v-{}", f.name), "{} writes its own column", f.name);
        }
        let mobile = find("mobile").unwrap();
        (optional!(mobile_bidx).set)(&mut row, Some("b".into()));
        clear(&mut row, mobile);
        assert!(row.mobile.is_none() && row.mobile_bidx.is_none() && row.email.is_some());
    }
}
