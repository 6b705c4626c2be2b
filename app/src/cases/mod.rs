//! Cases after acceptance: the litigant's and lawyer's case list and case page with its timeline
//! and running deadlines (`model`, `api`, `pages`); for staff, the court's case list and recording
//! how a case ended, which creates the refunds the fee measures call for.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
