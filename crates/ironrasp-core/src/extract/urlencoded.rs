//! Query strings and urlencoded form bodies ('+' is a space in both).

use super::{is_plain_name, Input, Inputs, Location};
use crate::limits::Limits;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Query,
    Form,
}

/// Takes every name and value of an urlencoded string (percent-decoded once, '+' as space).
pub fn extract(text: &str, source: Source, limits: &Limits, inputs: &mut Inputs) {
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (decode(name), decode(value));
        let (name_loc, value_loc) = match source {
            Source::Query => (Location::QueryName, Location::QueryValue(name.clone())),
            Source::Form => (Location::FormName, Location::FormValue(name.clone())),
        };
        // Plain identifiers as names are the norm; only odd names are worth a look.
        if !is_plain_name(&name) && !inputs.push(Input::new(name_loc, name), limits) {
            return;
        }
        if !inputs.push(Input::new(value_loc, value), limits) {
            return;
        }
    }
}

/// '+' -> space, then one level of percent-decoding. When the decoded bytes are not UTF-8
/// (overlong sequences like %c0%af, stray bytes), the value is kept percent-encoded instead of
/// being replaced lossily, so the decoders can still read what the bytes spell.
fn decode(raw: &str) -> String {
    if !raw.contains(['+', '%']) {
        return raw.to_string();
    }
    let plus = raw.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&plus).collect();
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => plus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_keeps_the_encoded_form() {
        let mut ins = Inputs::default();
        extract(
            "a=..%c0%af..&b=caf%C3%A9+au+lait&c",
            Source::Query,
            &Limits::default(),
            &mut ins,
        );
        let v: Vec<&str> = ins.items.iter().map(|i| i.value.as_str()).collect();
        assert_eq!(v, vec!["..%c0%af..", "café au lait", ""]);
    }

    #[test]
    fn odd_names_are_inspected_plain_ones_not() {
        let mut ins = Inputs::default();
        extract(
            "id=1&a%5B%24ne%5D=1",
            Source::Query,
            &Limits::default(),
            &mut ins,
        );
        assert!(ins
            .items
            .iter()
            .any(|i| i.location == Location::QueryName && i.value == "a[$ne]"));
        assert!(!ins
            .items
            .iter()
            .any(|i| i.location == Location::QueryName && i.value == "id"));
        assert_eq!(
            ins.items
                .iter()
                .filter(|i| matches!(i.location, Location::QueryValue(_)))
                .count(),
            2
        );
    }
}
