//! Decoders (stub, filled by the decoders work).

use crate::limits::Limits;

/// One decoded view of a value.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub text: String,
    pub chain: Vec<&'static str>,
    pub json_path: Option<String>,
}

/// Pushes every decoded view of `value` (not the value itself) onto `out`.
/// Returns true when a decoding limit stopped the expansion.
pub fn expand(_value: &str, _limits: &Limits, _out: &mut Vec<View>) -> bool {
    false
}
