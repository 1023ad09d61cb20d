//! A JSON document read strictly: a key twice in one object is an error, not "the last one wins"
//! (two parsers in a chain — a gateway and this server — could otherwise read two different
//! requests from the same bytes).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

pub const DUPLICATE: &str = "duplicate key";

pub struct Strict(pub Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON Schema counts 2808.0 as the integer 2808; so does this server, for whole numbers
        // a double holds exactly (|v| < 2^53).
        if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            return Ok(Value::Number((v as i64).into()));
        }
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE} `{key}`")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let v: Strict = serde_json::from_str(r#"{"a": 2808.0, "b": -0.0, "c": 2.5, "d": 1e300}"#).unwrap();
        assert_eq!(v.0["a"], serde_json::json!(2808));
        assert!(v.0["a"].is_i64());
        assert_eq!(v.0["b"], serde_json::json!(0));
        assert_eq!(v.0["c"], serde_json::json!(2.5));
        assert!(v.0["d"].is_f64(), "beyond 2^53 a double is no exact integer");
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let ok: Strict = serde_json::from_str(r#"{"a": [1, 2.5, "x", null, true], "b": {"c": -3}}"#).unwrap();
        assert_eq!(ok.0, serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {"c": -3}}));
        for bad in [r#"{"a": 1, "a": 2}"#, r#"{"b": {"c": 1, "c": 1}}"#, r#"[{"x": 1, "x": 2}]"#] {
            let e = serde_json::from_str::<Strict>(bad).err().expect(bad).to_string();
            assert!(e.starts_with(DUPLICATE), "{e}");
        }
    }
}
