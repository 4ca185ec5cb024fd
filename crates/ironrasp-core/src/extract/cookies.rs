//! Cookie header -> cookie names and values.

use super::{is_plain_name, Input, Location, Out};
use crate::ascii_trim::trim;
use std::borrow::Cow;

/// Splits one Cookie header ("a=b; c=d") into inputs. Quoted values are unquoted and their
/// escapes undone, as the application's framework will; the decoders then see their percent-,
/// base64- and JWT-decoded views.
pub fn extract(header: &str, out: &mut Out<'_>) {
    for pair in header.split(';') {
        let pair = trim(pair);
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or(("", pair));
        let (name, value) = (trim(name), trim(value));
        let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(q) if q.contains('\\') => Cow::Owned(unescape_quoted(q)),
            Some(q) => Cow::Borrowed(q),
            None => Cow::Borrowed(value),
        };
        if !is_plain_name(name) && !out.push(Input::new(Location::CookieName, name)) {
            return;
        }
        if !out.push(Input::new(Location::CookieValue(name.into()), value)) {
            return;
        }
    }
}

/// Quoted cookie values escape `;`, `,`, `"` and `\` as `\ooo` (octal) or `\c` (RFC 2109 style,
/// as Python's servers write and read them): undo that, so `"1\073 id"` is seen as `1; id`.
fn unescape_quoted(q: &str) -> String {
    let b = q.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], octal) {
            (b'\\', Some(d)) => {
                let v = (d[0] - b'0') as u32 * 64 + (d[1] - b'0') as u32 * 8 + (d[2] - b'0') as u32;
                out.push(v as u8);
                i += 4;
            }
            (b'\\', None) if i + 1 < b.len() => {
                out.push(b[i + 1]);
                i += 2;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Inputs;
    use crate::limits::Limits;

    #[test]
    fn splits_pairs_and_unquotes() {
        let ins = Inputs::collect(&Limits::default(), |out| extract("a=1; b=\"two\";;c", out));
        let vals: Vec<_> = ins
            .items
            .iter()
            .map(|i| (i.location.clone(), &*i.value))
            .collect();
        assert!(vals.contains(&(Location::CookieValue("a".into()), "1")));
        assert!(vals.contains(&(Location::CookieValue("b".into()), "two")));
        assert!(vals.contains(&(Location::CookieValue("".into()), "c")));
    }

    #[test]
    fn quoted_values_are_unescaped() {
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract(r#"p="1\073 cat \"x\" \\"; q="\07""#, out)
        });
        assert_eq!(ins.items[0].value, r#"1; cat "x" \"#);
        assert_eq!(ins.items[1].value, "07");
    }
}
