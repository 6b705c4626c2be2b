//! Identity: who a person is (mobile number, real name, resident ID), how they prove it (SMS
//! codes, passkeys), their sessions and devices; court staff; lawyers and the representation
//! clients grant them; signing a kiosk or tablet in from a phone.
pub mod api;
pub mod handoff;
pub mod handoff_pages;
pub mod model;
pub mod pages;
pub mod passkeys;
pub mod staff;
pub mod staff_pages;
#[cfg(feature = "hydrate")]
pub mod browser;
#[cfg(feature = "ssr")]
pub mod store;
