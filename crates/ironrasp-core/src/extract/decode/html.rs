//! HTML character references: named (`&lt;`), decimal (`&#60;`, `&#0000060`) and hex
//! (`&#x3c;`), with or without the `;` for numeric ones, as browsers decode them inside
//! attributes (`href="jav&#x61script:..."`). Names come from the `html-escape` table.
//! Legacy names without `;` (`&lt`, `&gt`, `&amp`, `&quot`) are decoded only when not followed by
//! a letter, digit or `=`, which is the browsers' attribute rule, so `&ltd=1` stays as is.

use memchr::memchr_iter;

/// Longest entity name in the table is 31 bytes ("CounterClockwiseContourIntegral").
const MAX_NAME: usize = 32;

/// True when the text holds at least one character reference.
pub fn applies(text: &str) -> bool {
    let b = text.as_bytes();
    memchr_iter(b'&', b).any(|i| reference_at(b, i).is_some())
}

/// Decodes every character reference once; None when there is none. Double encoding
/// (`&amp;lt;`) is peeled by the next layer of expansion.
pub fn decode(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    for at in memchr_iter(b'&', b) {
        if at < copied {
            continue;
        }
        if let Some((repl, len)) = reference_at(b, at) {
            if out.is_empty() {
                out.reserve(b.len());
            }
            // `&` and the end of a reference are ASCII, so both are char boundaries.
            out.push_str(&text[copied..at]);
            match repl {
                Replacement::Char(c) => out.push(c),
                Replacement::Str(s) => out.push_str(s),
            }
            copied = at + len;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[derive(Debug, PartialEq)]
enum Replacement {
    Char(char),
    Str(&'static str),
}

/// The reference starting at `b[at]` (an '&'): its replacement and byte length.
fn reference_at(b: &[u8], at: usize) -> Option<(Replacement, usize)> {
    match b.get(at + 1)? {
        b'#' => numeric(b, at),
        c if c.is_ascii_alphabetic() => named(b, at),
        _ => None,
    }
}

fn numeric(b: &[u8], at: usize) -> Option<(Replacement, usize)> {
    let hex = matches!(b.get(at + 2), Some(b'x' | b'X'));
    let start = at + if hex { 3 } else { 2 };
    let radix: u32 = if hex { 16 } else { 10 };
    let mut value: u32 = 0;
    let mut end = start;
    while let Some(d) = b.get(end).and_then(|&c| char::from(c).to_digit(radix)) {
        // Saturate above the Unicode range: the result is U+FFFD either way.
        value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
        end += 1;
    }
    if end == start {
        return None;
    }
    if b.get(end) == Some(&b';') {
        end += 1;
    }
    let c = match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    };
    Some((Replacement::Char(c), end - at))
}

fn named(b: &[u8], at: usize) -> Option<(Replacement, usize)> {
    let start = at + 1;
    let mut end = start;
    while end < b.len() && end - start <= MAX_NAME && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let name = &b[start..end];
    if b.get(end) == Some(&b';') {
        let i = html_escape::NAMED_ENTITIES
            .binary_search_by(|(n, _)| n.cmp(&name))
            .ok()?;
        return Some((
            Replacement::Str(html_escape::NAMED_ENTITIES[i].1),
            end + 1 - at,
        ));
    }
    let legacy = match name {
        b"lt" | b"LT" => "<",
        b"gt" | b"GT" => ">",
        b"amp" | b"AMP" => "&",
        b"quot" | b"QUOT" => "\"",
        _ => return None,
    };
    if b.get(end) == Some(&b'=') || end - start > MAX_NAME {
        return None;
    }
    Some((Replacement::Str(legacy), end - at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Option<String> {
        assert_eq!(
            applies(s),
            decode(s).is_some(),
            "applies and decode disagree on {s:?}"
        );
        decode(s)
    }

    #[test]
    fn named_and_numeric_references() {
        assert_eq!(
            dec("&lt;script&gt;alert(1)&lt;/script&gt;").unwrap(),
            "<script>alert(1)</script>"
        );
        assert_eq!(
            dec("&#60;img src=x onerror=alert(1)&#62;").unwrap(),
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(dec("&#x3C;svg&#X3e;").unwrap(), "<svg>");
        assert_eq!(dec("&quot;&apos;&nbsp;&copy;").unwrap(), "\"'\u{a0}©");
    }

    #[test]
    fn numeric_without_semicolon_and_zero_padding() {
        assert_eq!(
            dec("&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058")
                .unwrap(),
            "javascript:"
        );
        assert_eq!(dec("jav&#x09;ascript&#x3A").unwrap(), "jav\tascript:");
    }

    #[test]
    fn legacy_names_without_semicolon_follow_the_attribute_rule() {
        assert_eq!(dec("&ltscript&gt").unwrap(), "&ltscript>");
        assert_eq!(dec("a &lt b").unwrap(), "a < b");
        assert_eq!(dec("?x=1&lt=2"), None);
    }

    #[test]
    fn double_encoding_is_one_layer_per_call() {
        let once = dec("&amp;lt;script&amp;gt;").unwrap();
        assert_eq!(once, "&lt;script&gt;");
        assert_eq!(dec(&once).unwrap(), "<script>");
    }

    #[test]
    fn out_of_range_and_null_references_become_replacement_chars() {
        assert_eq!(dec("&#0;").unwrap(), "\u{FFFD}");
        assert_eq!(dec("&#xD800;").unwrap(), "\u{FFFD}");
        assert_eq!(dec("&#99999999999999999999;").unwrap(), "\u{FFFD}");
    }

    #[test]
    fn ordinary_ampersands_are_not_references() {
        for s in [
            "Tom & Jerry",
            "copy & paste",
            "AT&T",
            "a=1&b=2",
            "&",
            "&#",
            "&#x;",
            "&unknown;",
            "fish&chips;",
            "#074024",
        ] {
            assert_eq!(dec(s), None, "{s:?}");
        }
    }

    #[test]
    fn huge_reference_strings_are_linear() {
        let s = "&lt;".repeat(10_000) + &"&#".repeat(10_000) + &"9".repeat(20_000);
        let d = decode(&s).unwrap();
        assert!(d.starts_with("<<<<"));
        assert_eq!(d.chars().filter(|&c| c == '<').count(), 10_000);
    }
}
