//! Query strings and urlencoded form bodies ('+' is a space in both).

use super::{hpp, is_plain_name, Input, Location, Out};
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Query,
    Form,
}

impl Source {
    /// Where a value of the parameter `name` was found.
    pub(crate) fn value_location(self, name: Cow<'_, str>) -> Location<'_> {
        match self {
            Source::Query => Location::QueryValue(name),
            Source::Form => Location::FormValue(name),
        }
    }
}

/// Takes every name and value of an urlencoded string (percent-decoded once, '+' as space);
/// repeated parameters are joined afterwards (see [`hpp`]).
pub fn extract(text: &str, source: Source, out: &mut Out<'_>) {
    let name_loc = match source {
        Source::Query => Location::QueryName,
        Source::Form => Location::FormName,
    };
    // The decoded pairs that were taken, kept for the repeats; mostly slices of `text`.
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    for p in split_pairs(text) {
        let (name, value) = (
            decode(p.name, p.name_encoded),
            decode(p.value, p.value_encoded),
        );
        // Plain identifiers as names are the norm; only odd names are worth a look.
        if !is_plain_name(&name) && !out.push(Input::new(name_loc.clone(), &*name)) {
            break;
        }
        let value_loc = source.value_location(Cow::Borrowed(&name));
        if !out.push(Input::new(value_loc, &*value)) {
            break;
        }
        if pairs.is_empty() {
            pairs.reserve(16);
        }
        pairs.push((name, value));
    }
    hpp::join_repeats(&pairs, source, out);
}

/// A `name=value` pair as written, and whether each part holds a `+` or `%` to decode.
struct Pair<'a> {
    name: &'a str,
    value: &'a str,
    name_encoded: bool,
    value_encoded: bool,
}

const PLAIN: u8 = 0;
const AMP: u8 = 1;
const EQ: u8 = 2;
const ENCODED: u8 = 3;

/// What each byte means to [`split_pairs`].
static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    t[b'&' as usize] = AMP;
    t[b'=' as usize] = EQ;
    t[b'+' as usize] = ENCODED;
    t[b'%' as usize] = ENCODED;
    t
};

/// The non-empty pairs of `text`, split at the first `=` (a pair without one is a name with an
/// empty value). One pass over the bytes finds the separators and what needs decoding.
fn split_pairs(text: &str) -> impl Iterator<Item = Pair<'_>> {
    let b = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < b.len() {
            let (from, mut end, mut eq) = (start, start, None);
            let (mut name_encoded, mut value_encoded) = (false, false);
            while end < b.len() {
                match CLASS[b[end] as usize] {
                    PLAIN => {}
                    AMP => break,
                    EQ if eq.is_none() => eq = Some(end),
                    ENCODED if eq.is_none() => name_encoded = true,
                    ENCODED => value_encoded = true,
                    _ => {}
                }
                end += 1;
            }
            start = end + 1;
            if end > from {
                // '&' and '=' are ASCII: the slices fall on character boundaries.
                let (name, value) = match eq {
                    Some(i) => (&text[from..i], &text[i + 1..end]),
                    None => (&text[from..end], ""),
                };
                return Some(Pair {
                    name,
                    value,
                    name_encoded,
                    value_encoded,
                });
            }
        }
        None
    })
}

/// '+' -> space, then one level of percent-decoding (`encoded`: `raw` holds a `+` or `%`).
/// When the decoded bytes are not UTF-8 (overlong sequences like %c0%af, stray bytes), the
/// value is kept percent-encoded instead of being replaced lossily, so the decoders can still
/// read what the bytes spell.
fn decode(raw: &str, encoded: bool) -> Cow<'_, str> {
    if !encoded {
        return Cow::Borrowed(raw);
    }
    let b = raw.as_bytes();
    // `%` not followed by two hex digits stays as written.
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match hex_pair(b.get(i + 1..i + 3)) {
                Some(v) => {
                    out.push(v);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(_) => Cow::Owned(raw.replace('+', " ")),
    }
}

fn hex_pair(d: Option<&[u8]>) -> Option<u8> {
    let d = d?;
    let v = |c: u8| (c as char).to_digit(16);
    Some((v(d[0])? * 16 + v(d[1])?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Inputs;
    use crate::limits::Limits;

    #[test]
    fn invalid_utf8_keeps_the_encoded_form() {
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract("a=..%c0%af..&b=caf%C3%A9+au+lait&c", Source::Query, out)
        });
        let v: Vec<&str> = ins.items.iter().map(|i| &*i.value).collect();
        assert_eq!(v, vec!["..%c0%af..", "café au lait", ""]);
    }

    #[test]
    fn pairs_split_at_the_first_equals_sign_and_skip_empty_ones() {
        let got: Vec<_> = split_pairs("&a=1=2&&b&=c&é=ü&x%41=y+z=%&")
            .map(|p| (p.name, p.value, p.name_encoded, p.value_encoded))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "1=2", false, false),
                ("b", "", false, false),
                ("", "c", false, false),
                ("é", "ü", false, false),
                ("x%41", "y+z=%", true, true)
            ]
        );
        assert_eq!(split_pairs("").count(), 0);
        assert_eq!(decode("a+b%2", true), "a b%2");
        assert_eq!(decode("%41%zz%", true), "A%zz%");
    }

    #[test]
    fn odd_names_are_inspected_plain_ones_not() {
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract("id=1&a%5B%24ne%5D=1", Source::Query, out)
        });
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
