//! Identity: who a person is (mobile number, real name, resident ID), how they prove it (SMS
//! codes, passkeys), their sessions and devices.
pub mod api;
pub mod model;
pub mod pages;
pub mod passkeys;
#[cfg(feature = "hydrate")]
pub mod browser;
#[cfg(feature = "ssr")]
pub mod store;
