//! Cases after acceptance. For now what staff need for fees: the court's case list and recording
//! how a case ended, which creates the refunds the measures call for. The Cases issue builds the
//! litigant's case pages here.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
