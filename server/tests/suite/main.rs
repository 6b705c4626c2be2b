//! Every integration suite in one test binary: each links the whole server, and seventeen
//! binaries of ~450 MB apiece filled CI's disk at link time. Run one suite with
//! `cargo test -p server --test suite signing::` (the module path filters the tests).
mod support;

mod audit;
mod cases;
mod claims;
mod fees;
mod filing;
mod hearings;
mod http;
mod identity;
mod notices;
mod payments;
mod process;
mod receipts;
mod refunds;
mod relief;
mod service;
mod signing;
