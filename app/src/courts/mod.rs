//! The court directory: which courts exist, their codes (as used in case numbers) and hierarchy.
//! Filing, fees and cases look courts up here; `server seed` loads the directory. `calendar`
//! holds the days the courts are closed, which move the end of statutory periods.
pub mod calendar;
pub mod model;
#[cfg(feature = "ssr")]
pub mod store;
