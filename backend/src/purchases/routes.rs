use actix_web::{post, web, HttpResponse};

use crate::auth::{Permission, Principal};
use crate::customers::records::dto::{CreatePurchase, Purchase, PurchaseRow};
use crate::customers::records::{self, store};
use crate::db::{new_id, now};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::outbox::Topic;
use crate::state::AppState;

/// Records a purchase; the caller's unit is the seller. It earns loyalty points (whole yuan ×
/// points per yuan × the member level's multiplier); a refund (a negative amount naming the
/// purchase in `refund_of`) takes back that purchase's points in proportion, as far as the
/// balance still holds them.
#[utoipa::path(
    tag = "customers", operation_id = "create_purchase", params(("id" = String, Path)), request_body = CreatePurchase,
    security(("bearer" = [])),
    responses((status = 201, body = Purchase), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/purchases")]
pub async fn create_purchase(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreatePurchase>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            records::write(c, &p, &id, "purchase", Topic::PurchaseCreated, |c, customer| {
                let refunded = match &input.refund_of {
                    None => None,
                    Some(of) => {
                        let original = store::purchase_of(c, &customer.id, of)?
                            .filter(|o| o.amount_fen > 0 && o.refund_of.is_none())
                            .ok_or_else(|| ApiError::field("refund_of", "not_found"))?;
                        if input.amount_fen >= 0 || -input.amount_fen > original.amount_fen {
                            return Err(ApiError::field("amount_fen", "refund_range").with("max", original.amount_fen));
                        }
                        Some(original)
                    }
                };
                if input.ends_at.is_some_and(|e| e <= input.purchased_at) {
                    return Err(ApiError::field("ends_at", "after_start"));
                }
                let row = PurchaseRow {
                    id: new_id(),
                    customer_id: customer.id.clone(),
                    unit_id: p.unit_id.clone(),
                    product: input.product,
                    amount_fen: input.amount_fen,
                    currency: input.currency.map(|c| c.to_ascii_uppercase()).unwrap_or_else(|| "CNY".into()),
                    channel: input.channel.as_str().into(),
                    purchased_at: store::time(input.purchased_at),
                    created_by: Some(p.id.clone()),
                    created_at: now(),
                    margin_fen: input.margin_fen,
                    refund_of: input.refund_of,
                    ends_at: input.ends_at.map(store::time),
                };
                store::insert_purchase(c, &row)?;
                match &refunded {
                    Some(original) => {
                        crate::loyalty::service::reverse_refund(c, original, &row, Some(&p.id))?;
                    }
                    None => crate::loyalty::service::earn_for_purchase(c, &row, Some(&p.id))?,
                }
                Ok((row.id.clone(), row))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(Purchase::from(row)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_purchase);
}
