//! Cookie header -> cookie names and values.

use super::{Input, Inputs, Location};
use crate::limits::Limits;

/// Splits one Cookie header ("a=b; c=d") into inputs. Values are taken as sent; the decoders
/// see their percent-, base64- and JWT-decoded views.
pub fn extract(header: &str, limits: &Limits, inputs: &mut Inputs) {
    for pair in header.split(';') {
        let pair = pair.trim();
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or(("", pair));
        let (name, value) = (name.trim(), value.trim());
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            && !inputs.push(Input::new(Location::CookieName, name), limits)
        {
            return;
        }
        if !inputs.push(
            Input::new(Location::CookieValue(name.to_string()), value),
            limits,
        ) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_pairs_and_unquotes() {
        let mut ins = Inputs::default();
        extract("a=1; b=\"two\";;c", &Limits::default(), &mut ins);
        let vals: Vec<_> = ins
            .items
            .iter()
            .map(|i| (i.location.clone(), i.value.as_str()))
            .collect();
        assert!(vals.contains(&(Location::CookieValue("a".into()), "1")));
        assert!(vals.contains(&(Location::CookieValue("b".into()), "two")));
        assert!(vals.contains(&(Location::CookieValue("".into()), "c")));
    }
}
