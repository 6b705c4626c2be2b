//! Filing (网上立案): the guided wizard, drafts, evidence uploads, submission, clerk review and
//! the filer's list of filings.
pub mod api;
#[cfg(feature = "hydrate")]
pub mod browser;
pub mod draft_edit;
#[cfg(feature = "ssr")]
pub mod files;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
