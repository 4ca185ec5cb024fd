//! Zero-trust application access: when configured, every request must carry the configured
//! header with the secret or a signed, unexpired token (see [`crate::ztaa_token`]).

use crate::check::Check;
use crate::finding::Finding;
use crate::request::Request;
use crate::ztaa_token::{verify, Refusal};

/// Checks the ZTAA header of `req`.
pub fn inspect(req: &Request, header: &str, secret: &str, now: f64) -> Option<Finding> {
    match verify(secret, req.header(header), now) {
        Ok(()) => None,
        Err(r) => {
            let why = match r {
                Refusal::Missing => "access header missing",
                Refusal::Invalid => "access token invalid",
                Refusal::Expired => "access token expired",
            };
            Some(Finding::new(Check::Ztaa, 1.0, why))
        }
    }
}
