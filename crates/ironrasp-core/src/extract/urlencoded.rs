//! Query strings and urlencoded form bodies ('+' is a space in both).

use super::{Input, Inputs, Location};
use crate::limits::Limits;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Query,
    Form,
}

/// Takes every name and value of an urlencoded string (percent-decoded once, '+' as space).
pub fn extract(text: &str, source: Source, limits: &Limits, inputs: &mut Inputs) {
    for (name, value) in form_urlencoded::parse(text.as_bytes()) {
        let (name_loc, value_loc) = match source {
            Source::Query => (Location::QueryName, Location::QueryValue(name.to_string())),
            Source::Form => (Location::FormName, Location::FormValue(name.to_string())),
        };
        // Plain identifiers as names are the norm; only odd names are worth a look.
        if !is_plain_name(&name) && !inputs.push(Input::new(name_loc, name.as_ref()), limits) {
            return;
        }
        if !inputs.push(Input::new(value_loc, value.into_owned()), limits) {
            return;
        }
    }
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

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
