//! # ironrasp-core
//!
//! The IronRASP engine, free of any web framework and of Python. An adapter copies the raw
//! pieces of a request (method, path, query string, headers, body up to a limit, peer address)
//! into a [`Request`], calls [`Engine::inspect_request`] once, and maps the returned [`Verdict`]
//! to the framework's own response. The response gets one more call,
//! [`Engine::inspect_response`].
//!
//! Pipeline: `extract` turns the request into located [`extract::Input`]s and every decoded
//! view of each value (the decoder chain is recorded); `detect` holds one detector per file;
//! `policy` turns findings into actions; `event` and `output` report what was seen.
//!
//! ## Untrusted input
//! Every request field is attacker-controlled. Every loop over it is bounded by a named field of
//! [`Limits`]; going past a bound is itself a finding (`limit_exceeded`), never a silent pass.
//! Nothing here panics on malformed input (invalid UTF-8, broken JSON, truncated base64); only
//! linear-time matching is used.

pub mod ascii_trim;
pub mod check;
pub mod client_ip;
pub mod clip;
pub mod config;
pub mod detect;
pub mod engine;
pub mod event;
pub mod extract;
pub mod finding;
pub mod limits;
pub mod model;
pub mod output;
pub mod own_origin;
pub mod policy;
pub mod request;
pub mod routes;
pub mod state;
#[cfg(test)]
mod test_rng;
pub mod value_cache;
pub mod ztaa_token;

pub use check::Check;
pub use client_ip::FORWARDING_HEADERS;
pub use config::{Config, ConfigError};
pub use engine::{Engine, RequestKey, ScanFinding, Verdict};
pub use event::Event;

pub use finding::Finding;
pub use limits::Limits;
pub use request::{Request, Response};
