//! The OpenAPI schema of a rule tree, node by node, so that what the document allows is what
//! `customers::rule` accepts (only the depth and the node count are checked beyond it).

use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{Ref, RefOr};

use crate::consent::purpose::Purpose;
use crate::customers::codes::{
    ContactChannel, CustomerType, Gender, IncomeBand, Lifecycle, MemberLevel, SourceChannel, ValueBand,
};
use crate::customers::rule::{MAX_NODES, MAX_VALUES};

/// A rule tree: a group (`all`, `any`, `not`) or a comparison.
pub struct SegmentRule;

fn text(values: Option<Vec<&'static str>>) -> ObjectBuilder {
    let b = ObjectBuilder::new().schema_type(Type::String);
    match values {
        Some(v) => b.enum_values(Some(v)),
        None => b.min_length(Some(1)).max_length(Some(100)).pattern(Some(r"\S")),
    }
}

fn node(field: &'static str, op: ObjectBuilder, value: RefOr<Schema>, days: bool) -> ObjectBuilder {
    let mut b = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("field", text(Some(vec![field])))
        .property("op", op)
        .property("value", value)
        .required("field")
        .required("op")
        .required("value")
        .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
    if days {
        let d = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(3650));
        b = b.property("days", d.description(Some("The last N days (default 365)")));
    }
    b
}

fn one_or_list(values: Vec<&'static str>) -> RefOr<Schema> {
    let list = ArrayBuilder::new().items(text(Some(values.clone()))).min_items(Some(1)).max_items(Some(MAX_VALUES));
    OneOfBuilder::new().item(text(Some(values))).item(list).into()
}

fn group(key: &str) -> ObjectBuilder {
    let items =
        ArrayBuilder::new().items(Ref::from_schema_name("SegmentRule")).min_items(Some(1)).max_items(Some(MAX_NODES));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(key, items)
        .required(key)
        .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
}

/// `{"all": [rule, …]}`: every rule holds. Named, so that generated clients can follow the
/// recursion (an inline recursive union defeats some generators).
pub struct SegmentRuleAll;
/// `{"any": [rule, …]}`: at least one rule holds.
pub struct SegmentRuleAny;
/// `{"not": rule}`: the rule does not hold.
pub struct SegmentRuleNot;

impl utoipa::PartialSchema for SegmentRuleAll {
    fn schema() -> RefOr<Schema> {
        group("all").into()
    }
}
impl utoipa::ToSchema for SegmentRuleAll {}

impl utoipa::PartialSchema for SegmentRuleAny {
    fn schema() -> RefOr<Schema> {
        group("any").into()
    }
}
impl utoipa::ToSchema for SegmentRuleAny {}

impl utoipa::PartialSchema for SegmentRuleNot {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("not", Ref::from_schema_name("SegmentRule"))
            .required("not")
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
            .into()
    }
}
impl utoipa::ToSchema for SegmentRuleNot {}

impl utoipa::PartialSchema for SegmentRule {
    fn schema() -> RefOr<Schema> {
        let coded: [(&str, Vec<&'static str>); 9] = [
            ("gender", Gender::ALL_TEXT.to_vec()),
            ("customer_type", CustomerType::ALL_TEXT.to_vec()),
            ("income_band", IncomeBand::ALL_TEXT.to_vec()),
            ("source_channel", SourceChannel::ALL_TEXT.to_vec()),
            ("preferred_channel", ContactChannel::ALL_TEXT.to_vec()),
            ("tier", vec!["A", "B", "C", "D"]),
            ("level", MemberLevel::ALL_TEXT.to_vec()),
            ("band", ValueBand::ALL_TEXT.to_vec()),
            ("lifecycle", Lifecycle::ALL_TEXT.to_vec()),
        ];
        let eq_or_in = || text(Some(vec!["eq", "in"]));
        let eq = || text(Some(vec!["eq"]));
        let mut one = OneOfBuilder::new()
            .item(Ref::from_schema_name("SegmentRuleAll"))
            .item(Ref::from_schema_name("SegmentRuleAny"))
            .item(Ref::from_schema_name("SegmentRuleNot"));
        for (field, values) in coded {
            one = one.item(node(field, eq_or_in(), one_or_list(values), false));
        }
        let rfm = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[1-5]{3}$"))
                .description(Some("Recency, frequency and monetary quintiles, e.g. 555"))
        };
        one = one.item(node(
            "rfm",
            eq_or_in(),
            OneOfBuilder::new()
                .item(rfm())
                .item(ArrayBuilder::new().items(rfm()).min_items(Some(1)).max_items(Some(MAX_VALUES)))
                .into(),
            false,
        ));
        for field in ["tag", "unit", "household"] {
            one = one.item(node(field, eq(), text(None).into(), false));
        }
        one = one
            .item(node("reachable", eq(), ObjectBuilder::new().schema_type(Type::Boolean).into(), false))
            .item(node(
                "created_at",
                text(Some(vec!["after", "before"])),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                    .into(),
                false,
            ))
            .item(node(
                "consent",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(Purpose::FIXED))
                    .description(Some("The consent purpose")),
                text(Some(vec!["granted", "withdrawn", "never"])).into(),
                false,
            ));
        for field in ["spent_fen", "purchase_count"] {
            let value =
                ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).maximum(Some(100_000_000_000i64));
            one = one.item(node(field, text(Some(vec!["gt", "gte", "lt", "lte", "eq"])), value.into(), true));
        }
        one.description(Some(
            "A segment rule: `{\"all\": [...]}`, `{\"any\": [...]}`, `{\"not\": rule}` or a comparison \
             `{\"field\", \"op\", \"value\"}` (purchases: `days`, default 365). At most 6 levels deep and 100 \
             nodes. Example: `{\"all\": [{\"field\": \"tier\", \"op\": \"in\", \"value\": [\"A\", \"B\"]}, \
             {\"field\": \"spent_fen\", \"op\": \"gt\", \"value\": 500000, \"days\": 90}]}`",
        ))
        .into()
    }
}

impl utoipa::ToSchema for SegmentRule {}
