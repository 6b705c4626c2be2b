//! Court fees: the statutory calculator (`model`), used by the public fee calculator page and
//! by the filing wizard's estimate; fee notices, payment, receipts, refunds and relief follow.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
