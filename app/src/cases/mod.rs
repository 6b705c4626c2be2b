//! Cases after acceptance: the litigant's and lawyer's case list and case page with its timeline
//! and running deadlines (`model`, `api`, `pages`); for staff, the court's case list and recording
//! how a case ended, which creates the refunds the fee measures call for; electronic service
//! of documents with read receipts and the periods they start (`service`, `documents`);
//! hearings staff schedule and the public lookup by case number and query code (`schedule`);
//! contacting the judge, a thread per case and party with the court (`messages`); the person's
//! notices and how they are told (`inbox`, `push`) and their calendar feed (`calendar`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod documents;
pub mod inbox;
pub mod messages;
#[cfg(feature = "ssr")]
pub mod messages_http;
pub mod model;
pub mod offline;
pub mod pages;
pub mod push;
pub mod schedule;
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
