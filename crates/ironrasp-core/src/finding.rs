//! What a detector returns: evidence, never a decision.

use crate::check::Check;

/// One detection on one value (or on the request as a whole).
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub check: Check,
    /// Confidence in 0.0..=1.0.
    pub score: f32,
    /// Why: the structure matched (e.g. "separator ';' then command 'cat' with path argument").
    pub evidence: String,
}

impl Finding {
    pub fn new(check: Check, score: f32, evidence: impl Into<String>) -> Self {
        Finding {
            check,
            score,
            evidence: evidence.into(),
        }
    }
}
