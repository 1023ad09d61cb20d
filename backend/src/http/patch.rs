//! JSON merge patch (RFC 7396) for PATCH bodies: an absent member keeps the stored value,
//! `null` clears it, a value replaces it. A field that cannot be empty refuses `null` (422).

use serde::{Deserialize, Deserializer};

/// For `#[serde(default, deserialize_with = "nullable")] Option<Option<T>>`: `None` when the
/// member is absent, `Some(None)` for `null`, `Some(Some(v))` for a value.
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// For `#[serde(default, deserialize_with = "required")] Option<T>`: absent keeps, a value
/// replaces, `null` is refused — the field cannot be cleared.
pub fn required<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    match Option::<T>::deserialize(d)? {
        Some(v) => Ok(Some(v)),
        None => Err(serde::de::Error::custom("this field cannot be cleared")),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Change {
        #[serde(default, deserialize_with = "super::nullable")]
        note: Option<Option<String>>,
        #[serde(default, deserialize_with = "super::required")]
        name: Option<String>,
    }

    #[test]
    fn absent_keeps_null_clears_value_replaces() {
        let c: Change = serde_json::from_str("{}").unwrap();
        assert_eq!((c.note, c.name), (None, None));
        let c: Change = serde_json::from_str(r#"{"note": null, "name": "x"}"#).unwrap();
        assert_eq!((c.note, c.name.as_deref()), (Some(None), Some("x")));
        let c: Change = serde_json::from_str(r#"{"note": "n"}"#).unwrap();
        assert_eq!(c.note, Some(Some("n".into())));
        assert!(serde_json::from_str::<Change>(r#"{"name": null}"#).is_err());
    }
}
