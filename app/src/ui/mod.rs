//! Shared components: the layout, the pages every area starts from, per-device preferences and
//! the browser glue they need.
pub mod base64url;
pub mod browser;
pub mod forms;
pub mod kiosk;
pub mod layout;
pub mod pages;
pub mod prefs;
pub mod title;
