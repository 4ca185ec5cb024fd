//! Backslash escapes of string literals: `\x3c`, `\u003c`, `\u{3c}`. JavaScript, Python, JSON
//! and C-family back ends turn them into the characters they name, so a value that spells its
//! payload that way (`\u0027 OR 1=1--`, `..\x2f..\x2fetc`) is read as they would read it.
//! Other backslashes (Windows paths, `\n`, regexes) are kept as they are.

/// True when the text has a backslash followed by `x` or `u` (a cheap scan; `decode` checks
/// the hex digits).
pub fn applies(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'\\', b).any(|i| matches!(b.get(i + 1), Some(b'x' | b'u' | b'X')))
}

/// The text with its hex escapes replaced, or None when it has none. Output is never longer
/// than the input (every escape is at least four bytes and yields at most four).
pub fn decode(text: &str) -> Option<String> {
    if !applies(text) {
        return None;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    while let Some(off) = memchr::memchr(b'\\', &b[i..]) {
        let at = i + off;
        match escape_at(b, at) {
            Some((c, len)) => {
                out.push_str(&text[copied..at]);
                out.push(c);
                i = at + len;
                copied = i;
                changed = true;
            }
            // `\\x41` is an escaped backslash followed by text: skip both backslashes.
            None if b.get(at + 1) == Some(&b'\\') => i = at + 2,
            None => i = at + 1,
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The character and escape length of a hex escape starting at `b[at]` (a backslash).
fn escape_at(b: &[u8], at: usize) -> Option<(char, usize)> {
    let rest = &b[at + 1..];
    let (digits, len) = match rest.first()? {
        b'x' | b'X' => (rest.get(1..3)?, 4),
        b'u' if rest.get(1) == Some(&b'{') => {
            let close = rest.iter().take(9).position(|&c| c == b'}')?;
            (rest.get(2..close)?, close + 2)
        }
        b'u' => (rest.get(1..5)?, 6),
        _ => return None,
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let n = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    if n > 0x10ffff {
        return None;
    }
    // A lone surrogate (half of a `\ud83d\ude00` pair) names no character.
    Some((char::from_u32(n).unwrap_or('\u{fffd}'), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_unicode_escapes_decode() {
        assert_eq!(decode(r"\u0027 OR 1=1--").unwrap(), "' OR 1=1--");
        assert_eq!(decode(r"..\x2f..\x2fetc").unwrap(), "../../etc");
        assert_eq!(decode(r"\u{3c}svg\u{3E}").unwrap(), "<svg>");
        assert_eq!(decode(r"\xbcscript\xbe").unwrap(), "\u{bc}script\u{be}");
        assert_eq!(decode(r"a\X41b").unwrap(), "aAb");
        assert_eq!(decode(r"\ud83d!").unwrap(), "\u{fffd}!");
    }

    #[test]
    fn other_backslashes_are_kept() {
        for s in [
            r"C:\Users\xavier\notes.txt",
            r"C:\users\u",
            r"line\nbreak",
            r"\\x41",
            r"regex \d+\s*",
            r"\u{110000}",
            r"\u{}",
            r"\x4",
            "no backslash",
            r"trailing \",
        ] {
            assert_eq!(decode(s), None, "{s}");
        }
    }

    #[test]
    fn escapes_beside_kept_text_and_unicode() {
        assert_eq!(decode(r"é\x41\u00e9 \z").unwrap(), r"éAé \z");
    }

    #[test]
    fn output_never_grows() {
        for s in [r"\x41", r"\u0041", r"\u{10FFFF}", r"\u{41}"] {
            assert!(decode(s).unwrap().len() <= s.len(), "{s}");
        }
    }
}
