//! HTTP plumbing shared by every domain: request ids and metrics, body parsing, pagination,
//! ETags, client addresses.

pub mod etag;
pub mod extract;
pub mod group_setting;
pub mod idempotency;
pub mod methods;
pub mod metrics;
pub mod observe;
pub mod pagination;
pub mod patch;
pub mod strict_json;

/// A file sent or served as the body itself (a binary string in the document): an import, an
/// attachment.
pub struct BinaryFile;

impl utoipa::PartialSchema for BinaryFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for BinaryFile {}
