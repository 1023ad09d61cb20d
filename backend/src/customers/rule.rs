//! A segment's rule (SEG-7): a JSON tree of `all` / `any` / `not` groups over comparisons, read
//! into a closed set of typed conditions. Anything else — an unknown field or operator, a value
//! of the wrong kind, a tree too deep or too large — is refused with the path of the node
//! (`rule.all[2].value`), before any SQL exists.

use chrono::NaiveDate;
use serde_json::Value;

use crate::consent::purpose::Purpose;
use crate::customers::codes::{
    ContactChannel, CustomerType, Gender, IncomeBand, Lifecycle, MemberLevel, SourceChannel, ValueBand,
};
use crate::error::{ApiError, FieldError};

/// A rule may nest groups this deep and hold this many nodes.
pub const MAX_DEPTH: usize = 6;
pub const MAX_NODES: usize = 100;
/// An `in` list holds at most this many values.
pub const MAX_VALUES: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    All(Vec<Rule>),
    Any(Vec<Rule>),
    Not(Box<Rule>),
    /// A coded column is one of the values (`gender`, `customer_type`, `income_band`,
    /// `source_channel`, `preferred_channel`).
    Coded {
        column: Coded,
        values: Vec<String>,
    },
    Reachable(bool),
    Tag(String),
    /// In the unit or any unit below it.
    Unit(String),
    Household(String),
    /// A class the last applied run gave (`tier`, `level`, `band`, `lifecycle`, `rfm`) is one
    /// of the values.
    Class {
        class: Class,
        values: Vec<String>,
    },
    CreatedAfter(NaiveDate),
    CreatedBefore(NaiveDate),
    Consent {
        purpose: String,
        state: ConsentState,
    },
    /// Σ purchase amounts (fen) or the number of purchases in the last `days`, compared.
    Purchases {
        measure: Measure,
        days: u32,
        cmp: Cmp,
        value: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Tier,
    Level,
    Band,
    Lifecycle,
    Rfm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coded {
    Gender,
    CustomerType,
    IncomeBand,
    SourceChannel,
    PreferredChannel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentState {
    Granted,
    Withdrawn,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    SpentFen,
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
}

impl Cmp {
    pub fn sql(self) -> &'static str {
        match self {
            Cmp::Gt => " > ",
            Cmp::Gte => " >= ",
            Cmp::Lt => " < ",
            Cmp::Lte => " <= ",
            Cmp::Eq => " = ",
        }
    }
}

/// The fields a comparison may name, for the refusal that lists them.
pub const FIELDS: &[&str] = &[
    "gender",
    "customer_type",
    "income_band",
    "source_channel",
    "preferred_channel",
    "reachable",
    "tag",
    "unit",
    "household",
    "tier",
    "level",
    "band",
    "lifecycle",
    "rfm",
    "created_at",
    "consent",
    "spent_fen",
    "purchase_count",
];

/// An RFM code: recency, frequency and monetary quintiles, each 1..=5 (`"555"` the best).
pub fn is_rfm(v: &str) -> bool {
    v.len() == 3 && v.bytes().all(|b| (b'1'..=b'5').contains(&b))
}

fn bad(path: &str, code: &str) -> FieldError {
    FieldError::new(path, code)
}

/// Reads a rule tree; the first problem is refused with its path under `rule`.
pub fn parse(tree: &Value) -> Result<Rule, ApiError> {
    let mut nodes = 0;
    read(tree, "rule", 1, &mut nodes).map_err(|e| ApiError::Validation(vec![e]))
}

fn read(v: &Value, path: &str, depth: usize, nodes: &mut usize) -> Result<Rule, FieldError> {
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Err(bad(path, "too_many_nodes").with("max", MAX_NODES));
    }
    if depth > MAX_DEPTH {
        return Err(bad(path, "too_deep").with("max", MAX_DEPTH));
    }
    let Some(obj) = v.as_object() else { return Err(bad(path, "node")) };
    let group = |key: &str, items: &Value, nodes: &mut usize| -> Result<Vec<Rule>, FieldError> {
        let here = format!("{path}.{key}");
        let list = items.as_array().ok_or_else(|| bad(&here, "list"))?;
        if list.is_empty() {
            return Err(bad(&here, "empty"));
        }
        list.iter().enumerate().map(|(i, item)| read(item, &format!("{here}[{i}]"), depth + 1, nodes)).collect()
    };
    if let Some(items) = obj.get("all") {
        only(obj, path, &["all"])?;
        return Ok(Rule::All(group("all", items, nodes)?));
    }
    if let Some(items) = obj.get("any") {
        only(obj, path, &["any"])?;
        return Ok(Rule::Any(group("any", items, nodes)?));
    }
    if let Some(inner) = obj.get("not") {
        only(obj, path, &["not"])?;
        return Ok(Rule::Not(Box::new(read(inner, &format!("{path}.not"), depth + 1, nodes)?)));
    }
    comparison(obj, path)
}

/// Refuses keys a node of this kind does not have.
fn only(obj: &serde_json::Map<String, Value>, path: &str, keys: &[&str]) -> Result<(), FieldError> {
    match obj.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(k) => Err(bad(&format!("{path}.{k}"), "unknown")),
        None => Ok(()),
    }
}

fn comparison(obj: &serde_json::Map<String, Value>, path: &str) -> Result<Rule, FieldError> {
    let at = |k: &str| format!("{path}.{k}");
    let field = obj.get("field").and_then(Value::as_str).ok_or_else(|| bad(&at("field"), "required"))?;
    let op = obj.get("op").and_then(Value::as_str).ok_or_else(|| bad(&at("op"), "required"))?;
    let value = obj.get("value").ok_or_else(|| bad(&at("value"), "required"))?;
    let purchases = matches!(field, "spent_fen" | "purchase_count");
    only(obj, path, if purchases { &["field", "op", "value", "days"] } else { &["field", "op", "value"] })?;
    let unknown_op = || bad(&at("op"), "operator").with("value", op);
    let text = |v: &Value| -> Result<String, FieldError> {
        let s = v.as_str().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| bad(&at("value"), "text"))?;
        if s.chars().count() > 100 {
            return Err(bad(&at("value"), "length").with("max", 100));
        }
        Ok(s.to_owned())
    };
    // `eq` takes one value, `in` a list; each must be one of the column's codes.
    let values = |check: &dyn Fn(&str) -> bool| -> Result<Vec<String>, FieldError> {
        let list: Vec<String> = match op {
            "eq" => vec![text(value)?],
            "in" => {
                let items = value.as_array().filter(|a| !a.is_empty()).ok_or_else(|| bad(&at("value"), "list"))?;
                if items.len() > MAX_VALUES {
                    return Err(bad(&at("value"), "too_many").with("max", MAX_VALUES));
                }
                items.iter().map(text).collect::<Result<_, _>>()?
            }
            _ => return Err(unknown_op()),
        };
        match list.iter().find(|v| !check(v)) {
            Some(v) => Err(bad(&at("value"), "enum").with("value", v.as_str())),
            None => Ok(list),
        }
    };
    let coded = |column: Coded, check: &dyn Fn(&str) -> bool| -> Result<Rule, FieldError> {
        Ok(Rule::Coded { column, values: values(check)? })
    };
    let class = |class: Class, check: &dyn Fn(&str) -> bool| -> Result<Rule, FieldError> {
        Ok(Rule::Class { class, values: values(check)? })
    };
    let eq_text = |make: fn(String) -> Rule| -> Result<Rule, FieldError> {
        if op != "eq" {
            return Err(unknown_op());
        }
        Ok(make(text(value)?))
    };
    match field {
        "gender" => coded(Coded::Gender, &|v| Gender::parse(v).is_some()),
        "customer_type" => coded(Coded::CustomerType, &|v| CustomerType::parse(v).is_some()),
        "income_band" => coded(Coded::IncomeBand, &|v| IncomeBand::parse(v).is_some()),
        "source_channel" => coded(Coded::SourceChannel, &|v| SourceChannel::parse(v).is_some()),
        "preferred_channel" => coded(Coded::PreferredChannel, &|v| ContactChannel::parse(v).is_some()),
        "tier" => class(Class::Tier, &|v| matches!(v, "A" | "B" | "C" | "D")),
        "level" => class(Class::Level, &|v| MemberLevel::parse(v).is_some()),
        "band" => class(Class::Band, &|v| ValueBand::parse(v).is_some()),
        "lifecycle" => class(Class::Lifecycle, &|v| Lifecycle::parse(v).is_some()),
        "rfm" => class(Class::Rfm, &is_rfm),
        "reachable" => match (op, value.as_bool()) {
            ("eq", Some(b)) => Ok(Rule::Reachable(b)),
            ("eq", None) => Err(bad(&at("value"), "boolean")),
            _ => Err(unknown_op()),
        },
        "tag" => eq_text(Rule::Tag),
        "unit" => eq_text(Rule::Unit),
        "household" => eq_text(Rule::Household),
        "created_at" => {
            let day = value
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(|| bad(&at("value"), "date"))?;
            match op {
                "after" => Ok(Rule::CreatedAfter(day)),
                "before" => Ok(Rule::CreatedBefore(day)),
                _ => Err(unknown_op()),
            }
        }
        "consent" => {
            // `{"field": "consent", "op": "marketing_sms", "value": "granted"}`: the purpose is
            // the operator, the state the value.
            let purpose = Purpose::parse(op).ok_or_else(|| bad(&at("op"), "purpose").with("value", op))?;
            let state = match value.as_str() {
                Some("granted") => ConsentState::Granted,
                Some("withdrawn") => ConsentState::Withdrawn,
                Some("never") => ConsentState::Never,
                _ => return Err(bad(&at("value"), "consent_state")),
            };
            Ok(Rule::Consent { purpose: purpose.to_string(), state })
        }
        "spent_fen" | "purchase_count" => {
            let cmp = match op {
                "gt" => Cmp::Gt,
                "gte" => Cmp::Gte,
                "lt" => Cmp::Lt,
                "lte" => Cmp::Lte,
                "eq" => Cmp::Eq,
                _ => return Err(unknown_op()),
            };
            let value = value
                .as_i64()
                .filter(|n| (0..=100_000_000_000).contains(n))
                .ok_or_else(|| bad(&at("value"), "range").with("min", 0).with("max", 100_000_000_000i64))?;
            let days = match obj.get("days") {
                None => 365,
                Some(d) => d
                    .as_u64()
                    .filter(|d| (1..=3650).contains(d))
                    .ok_or_else(|| bad(&at("days"), "range").with("min", 1).with("max", 3650))?
                    as u32,
            };
            let measure = if field == "spent_fen" { Measure::SpentFen } else { Measure::Count };
            Ok(Rule::Purchases { measure, days, cmp, value })
        }
        other => Err(bad(&at("field"), "field").with("value", other).with("known", FIELDS.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(tree: Value) -> (String, String) {
        match parse(&tree) {
            Err(ApiError::Validation(e)) => (e[0].field.clone(), e[0].code.clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_tree_of_groups_and_comparisons_is_read() {
        let tree = json!({"all": [
            {"field": "gender", "op": "eq", "value": "female"},
            {"any": [{"field": "tier", "op": "in", "value": ["A", "B"]}, {"field": "tag", "op": "eq", "value": "vip"}]},
            {"not": {"field": "consent", "op": "marketing_sms", "value": "withdrawn"}},
            {"field": "spent_fen", "op": "gt", "value": 500000, "days": 90}
        ]});
        let Rule::All(parts) = parse(&tree).unwrap() else { panic!() };
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[3], Rule::Purchases { measure: Measure::SpentFen, days: 90, cmp: Cmp::Gt, value: 500_000 });
        assert!(
            matches!(&parts[2], Rule::Not(r) if matches!(**r, Rule::Consent { state: ConsentState::Withdrawn, .. }))
        );
    }

    #[test]
    fn each_problem_names_the_path_of_its_node() {
        let cases = [
            (
                json!({"all": [{"field": "gender", "op": "eq", "value": "female"}, {"field": "shoe", "op": "eq", "value": 1}]}),
                "rule.all[1].field",
                "field",
            ),
            (json!({"any": [{"field": "tier", "op": "like", "value": "A"}]}), "rule.any[0].op", "operator"),
            (json!({"field": "tier", "op": "in", "value": ["A", "Z"]}), "rule.value", "enum"),
            (json!({"not": {"field": "spent_fen", "op": "gt", "value": -1}}), "rule.not.value", "range"),
            (json!({"all": []}), "rule.all", "empty"),
            (json!({"all": [{"field": "tag", "op": "eq", "value": "x", "extra": 1}]}), "rule.all[0].extra", "unknown"),
            (json!({"field": "consent", "op": "marketing_fax", "value": "granted"}), "rule.op", "purpose"),
            (json!([1]), "rule", "node"),
        ];
        for (tree, path, code) in cases {
            assert_eq!(refused(tree.clone()), (path.to_owned(), code.to_owned()), "{tree}");
        }
    }

    #[test]
    fn depth_and_size_are_bounded() {
        let mut deep = json!({"field": "tag", "op": "eq", "value": "x"});
        for _ in 0..MAX_DEPTH {
            deep = json!({"not": deep});
        }
        assert_eq!(refused(deep).1, "too_deep");
        let wide: Vec<Value> = (0..MAX_NODES).map(|_| json!({"field": "tag", "op": "eq", "value": "x"})).collect();
        assert_eq!(refused(json!({"any": wide})).1, "too_many_nodes");
    }

    #[test]
    fn sql_metacharacters_are_values() {
        let tree = json!({"field": "tag", "op": "eq", "value": "x' OR '1'='1"});
        assert_eq!(parse(&tree).unwrap(), Rule::Tag("x' OR '1'='1".into()));
    }
}
