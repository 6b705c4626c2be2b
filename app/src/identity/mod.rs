//! Identity: who a person is (mobile number, real name, resident ID), how they prove it (SMS
//! codes; passkeys next), their sessions and devices.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
