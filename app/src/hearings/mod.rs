//! Online hearings (在线庭审): the signalling protocol, the rules of the room and the record's
//! review (`model`), the socket that runs each hearing's room on the server (`socket`), the
//! record's server functions (`api`) and their SQL (`store`). The pages and the browser's
//! WebRTC glue build on them.
pub mod api;
pub mod browser;
pub mod call;
pub mod model;
pub mod pages;
pub mod room;
#[cfg(feature = "ssr")]
pub mod socket;
#[cfg(feature = "ssr")]
pub mod store;
