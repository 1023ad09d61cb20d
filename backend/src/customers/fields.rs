//! The fields that describe a person, once: what each is called in the API, whether it is
//! sensitive (encrypted at rest, masked by role, revealable), and whether data-quality checks
//! verify it. Copies, incident registers, reveals and verifications read this table; the typed
//! lists in the API (`RevealField`, `QualityField`) are held to it by the tests below.

/// One field of the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The API name.
    pub name: &'static str,
    /// Encrypted at rest with a blind index or region beside it, masked for every role.
    pub sensitive: bool,
    /// Counted in the accuracy rate and confirmable by a verification.
    pub verifiable: bool,
}

const fn field(name: &'static str, sensitive: bool, verifiable: bool) -> Field {
    Field { name, sensitive, verifiable }
}

/// In the order a copy of the person's data lists them.
pub const PERSON: [Field; 10] = [
    field("name", false, true),
    field("gender", false, true),
    field("birth_date", true, true),
    field("national_id", true, true),
    field("mobile", true, true),
    field("email", true, true),
    field("address", true, true),
    field("address_region", false, false),
    field("occupation", false, true),
    field("income_band", false, true),
];

/// The API names of the person's fields: what a copy hands over, what an incident can name.
pub fn names() -> impl Iterator<Item = &'static str> {
    PERSON.iter().map(|f| f.name)
}

pub fn is_personal(name: &str) -> bool {
    names().any(|n| n == name)
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
        let revealable = PERSON.iter().filter(|f| f.sensitive || f.name == "name").map(|f| f.name);
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
        assert_eq!(variants(&quality), sorted(PERSON.iter().filter(|f| f.verifiable).map(|f| f.name)));
        assert!(is_personal("address_region") && !is_personal("password_hash"));
    }
}
