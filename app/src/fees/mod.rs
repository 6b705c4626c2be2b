//! Court fees: the statutory calculator (`model`), used by the public fee calculator page and
//! by the filing wizard's estimate; fee notices, and paying them through the gateway (`pay`);
//! electronic receipts with their PDF and public check (`receipts`); refunds (`refunds`,
//! `refund_pages`) and relief.
pub mod api;
#[cfg(feature = "hydrate")]
pub mod browser;
pub mod model;
pub mod pages;
pub mod pay_pages;
pub mod receipt_pages;
pub mod receipts;
pub mod relief;
pub mod refund_pages;
#[cfg(feature = "ssr")]
pub mod pay;
#[cfg(feature = "ssr")]
pub mod refunds;
#[cfg(feature = "ssr")]
pub mod store;
