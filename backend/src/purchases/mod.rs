//! Recording a purchase and what follows from it in the same transaction: the record itself
//! (`customers::records`) and the points it earns or, for a refund, takes back (`loyalty`). A
//! module of its own so that neither of those two depends on the other.

pub mod routes;
