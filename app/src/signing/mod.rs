//! Signing (电子签名): documents the court sends for signature — mediation agreements, hearing
//! records, others — signed on a phone with a drawn signature bound by a passkey or SMS code,
//! sealed by the court, and verifiable by anyone.
pub mod model;
pub mod api;
pub mod pages;
pub mod staff;
#[cfg(feature = "hydrate")]
pub mod pad;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod check;
