//! Online hearings (在线庭审): the signalling protocol and the rules of the room (`model`).
//! The socket, the pages and the browser's WebRTC glue build on it.
pub mod model;
