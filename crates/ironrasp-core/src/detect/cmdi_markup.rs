//! Attribute values of a value that is XML or HTML markup. A command injected into an XML
//! document reaches the shell as an attribute value, entity references decoded; inside the
//! markup it sits between quotes that the shell reading of the whole value would respect.

use crate::extract::decode::Decoder;
use crate::limits::Limits;

/// Attribute values looked at per value, and their length.
const MAX_VALUES: usize = 16;
const MAX_LEN: usize = 1024;

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
                let raw = &t[start..start + len];
                if !raw.trim().is_empty() && raw.len() <= MAX_LEN {
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
