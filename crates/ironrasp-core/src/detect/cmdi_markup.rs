//! Attribute values of a value that is XML or HTML markup. A command injected into an XML
//! document reaches the shell as an attribute value, entity references decoded; inside the
//! markup it sits between quotes that the shell reading of the whole value would respect.

use crate::extract::decode::Decoder;
use crate::limits::Limits;

/// Attribute values looked at per value, and the bytes read of each (a longer value is read up
/// to this length, not skipped, so padding cannot push a command out of reach).
const MAX_VALUES: usize = 64;
const MAX_LEN: usize = 1024;

/// The value with its bare tags (`<p>`, `</li>`, `<br/>`: a name and nothing else) read as
/// spaces, or None when it has none. Rich text closes every paragraph with `</p>`, which a
/// shell reads as input redirected from the path `/p`: "copy & paste</p>" would be a command
/// `paste` with arguments. A tag with attributes is left as it is (a command may sit in one).
pub(super) fn bare_tags_blanked(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    for at in memchr::memchr_iter(b'<', b) {
        if at < copied {
            continue;
        }
        let Some(len) = bare_tag_len(&b[at..]) else {
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        // `<` and `>` are ASCII, so both ends are char boundaries.
        o.push_str(&text[copied..at]);
        o.push(' ');
        copied = at + len;
    }
    let mut o = out?;
    o.push_str(&text[copied..]);
    Some(o)
}

/// Length of `<name>`, `</name>` or `<name/>` at the start of `b` (a name of up to 16 ASCII
/// letters and digits, starting with a letter).
fn bare_tag_len(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let name = b[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name > 16 {
        return None;
    }
    i += name;
    if b.get(i) == Some(&b'/') && b[1] != b'/' {
        i += 1;
    }
    (b.get(i) == Some(&b'>')).then_some(i + 1)
}

/// The quoted attribute values of a value that starts as markup (`<?xml`, `<tag`), with
/// character references decoded (twice, for `&amp;lt;`). Empty for anything else.
pub(super) fn attribute_values(text: &str) -> Vec<String> {
    let t = text.trim_start();
    let b = t.as_bytes();
    let starts_markup = b.first() == Some(&b'<')
        && b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'?');
    if !starts_markup || !t.contains("=\"") && !t.contains("='") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_tag = false;
    while i < b.len() && out.len() < MAX_VALUES {
        match b[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'=' if in_tag && matches!(b.get(i + 1), Some(b'"' | b'\'')) => {
                let q = b[i + 1];
                let start = i + 2;
                let Some(len) = b[start..].iter().position(|&c| c == q) else {
                    break;
                };
                let raw = crate::clip::clip(&t[start..start + len], MAX_LEN);
                if !raw.trim().is_empty() {
                    out.push(decoded(raw));
                }
                i = start + len;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn decoded(raw: &str) -> String {
    let limits = Limits::default();
    let mut v = raw.to_string();
    for _ in 0..2 {
        match Decoder::Html.decode_text(&v, &limits) {
            Some(d) => v = d,
            None => break,
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_does_not_hide_a_value() {
        let pad: String = (0..40).map(|i| format!(" a{i}=\"x\"")).collect();
        let many = format!("<r{pad} p=\";cat /etc/passwd\"/>");
        assert!(attribute_values(&many)
            .iter()
            .any(|v| v == ";cat /etc/passwd"));
        let long = format!("<r p=\";cat /etc/passwd;{}\"/>", "y".repeat(5000));
        let values = attribute_values(&long);
        assert!(values[0].starts_with(";cat /etc/passwd;") && values[0].len() == MAX_LEN);
        assert!(attribute_values("plain text").is_empty());
    }
}
