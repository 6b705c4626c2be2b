//! Identity: who a person is (mobile number, real name, resident ID), how they prove it (SMS
//! codes, passkeys) and their sessions. This session built the pure rules (model.rs); the server
//! functions, store and pages follow in the Identity issue.
pub mod model;
