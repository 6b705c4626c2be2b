//! Online hearings (在线庭审): the signalling protocol and the rules of the room (`model`), the
//! socket that runs each hearing's room on the server (`socket`) and its SQL (`store`). The
//! pages and the browser's WebRTC glue build on them.
pub mod model;
#[cfg(feature = "ssr")]
pub mod socket;
#[cfg(feature = "ssr")]
pub mod store;
