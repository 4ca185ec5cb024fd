//! Percent decoding: `%XX`, IIS-style `%uXXXX`, and overlong UTF-8 escapes (`%c0%af`,
//! `%e0%80%af`) folded to the ASCII character they spell, because lenient servers and old
//! filters accept them. A value that still holds escapes after the form decoding of its
//! request was encoded twice, and its inner layer is form encoding as often as not (payload
//! lists and tools write `%27+OR+1`): the decoded view reads a raw `+` as a space too, as the
//! application's second decoding (`unquote_plus`, `urldecode`) would. A value that was never
//! form-decoded (a cookie, header, path or JSON value) keeps its raw `+` under `unquote`, so a
//! value with both escapes and a raw `+` also gets that reading ([`decode_keeping_plus`]).

use memchr::memchr_iter;

/// True when the text holds at least one `%XX` or `%uXXXX` escape.
pub fn applies(text: &str) -> bool {
    let b = text.as_bytes();
    memchr_iter(b'%', b).any(|i| hex2(b, i + 1).is_some() || unicode_escape(b, i).is_some())
}

/// Decodes one layer of escapes, a raw `+` read as a space; None when the text holds none.
pub fn decode(text: &str) -> Option<String> {
    decode_with(text, true)
}

/// As [`decode`], a raw `+` kept a plus; None also when the text holds no raw `+` (then this
/// reading is [`decode`]'s).
pub fn decode_keeping_plus(text: &str) -> Option<String> {
    memchr::memchr(b'+', text.as_bytes())?;
    decode_with(text, false)
}

fn decode_with(text: &str, plus_is_space: bool) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut copied = 0; // bytes of `b` already copied or decoded into `out`
    let mut changed = false;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'%', &b[i..]) {
        let at = i + off;
        let step = if let Some((byte, len)) = overlong(b, at) {
            Some((Decoded::Byte(byte), len))
        } else if let Some(byte) = hex2(b, at + 1) {
            Some((Decoded::Byte(byte), 3))
        } else {
            unicode_escape(b, at).map(|(c, len)| (Decoded::Char(c), len))
        };
        match step {
            Some((d, len)) => {
                if !changed {
                    out.reserve(b.len());
                    changed = true;
                }
                push_raw(&mut out, &b[copied..at], plus_is_space);
                match d {
                    Decoded::Byte(x) => out.push(x),
                    Decoded::Char(c) => {
                        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes())
                    }
                }
                i = at + len;
                copied = i;
            }
            None => i = at + 1,
        }
    }
    if !changed {
        return None;
    }
    push_raw(&mut out, &b[copied..], plus_is_space);
    Some(utf8_or_latin1(out))
}

/// The decoded bytes as text: UTF-8 where they are, and each byte that is not as its
/// Latin-1 character, as a server decoding Latin-1 (WSGI's PEP 3333 environ, a MySQL latin1
/// connection) reads it: `%A0` is a no-break space, which MySQL skips like a space, not the
/// U+FFFD that a lossy reading would put in every such place.
fn utf8_or_latin1(out: Vec<u8>) -> String {
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let mut s = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                s.push_str(chunk.valid());
                s.extend(chunk.invalid().iter().map(|&c| char::from(c)));
            }
            s
        }
    }
}

/// Copies undecoded bytes, a raw `+` as a space when `plus_is_space` (a `+` spelled `%2B`
/// stays a plus).
fn push_raw(out: &mut Vec<u8>, raw: &[u8], plus_is_space: bool) {
    if plus_is_space {
        out.extend(raw.iter().map(|&c| if c == b'+' { b' ' } else { c }));
    } else {
        out.extend_from_slice(raw);
    }
}

enum Decoded {
    Byte(u8),
    Char(char),
}

fn hex_val(x: u8) -> Option<u8> {
    match x {
        b'0'..=b'9' => Some(x - b'0'),
        b'a'..=b'f' => Some(x - b'a' + 10),
        b'A'..=b'F' => Some(x - b'A' + 10),
        _ => None,
    }
}

/// The byte spelled by two hex digits at `b[i..i + 2]`.
fn hex2(b: &[u8], i: usize) -> Option<u8> {
    let hi = hex_val(*b.get(i)?)?;
    let lo = hex_val(*b.get(i + 1)?)?;
    Some(hi << 4 | lo)
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(hex2(b, i)?) << 8 | u32::from(hex2(b, i + 2)?))
}

/// `%uXXXX` at `b[at]` (a '%'): the character and the escape length. A high surrogate followed
/// by a `%uXXXX` low surrogate is one character; a lone surrogate becomes U+FFFD.
fn unicode_escape(b: &[u8], at: usize) -> Option<(char, usize)> {
    if !matches!(b.get(at + 1), Some(b'u' | b'U')) {
        return None;
    }
    let cp = hex4(b, at + 2)?;
    if (0xD800..0xDC00).contains(&cp) {
        if b.get(at + 6) == Some(&b'%') && matches!(b.get(at + 7), Some(b'u' | b'U')) {
            if let Some(lo) = hex4(b, at + 8).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                let c = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                return Some((char::from_u32(c).unwrap_or('\u{FFFD}'), 12));
            }
        }
        return Some(('\u{FFFD}', 6));
    }
    Some((char::from_u32(cp).unwrap_or('\u{FFFD}'), 6))
}

/// An overlong multi-byte UTF-8 sequence written as consecutive `%XX` escapes starting at
/// `b[at]`, whose code point is ASCII: that ASCII byte and the escape length. Any multi-byte
/// form of a code point below 0x80 is overlong by definition, so this covers the 2- to 6-byte
/// forms. For the 2-byte form the continuation byte's top bits are ignored, as old IIS did
/// (`%c1%1c` -> `\`), when that yields a printable character.
fn overlong(b: &[u8], at: usize) -> Option<(u8, usize)> {
    let lead = hex2(b, at + 1)?;
    let (n, payload) = match lead {
        0xC0..=0xC1 => (2, lead & 0x1F),
        0xE0 => (3, 0),
        0xF0 => (4, 0),
        0xF8 => (5, 0),
        0xFC => (6, 0),
        _ => return None,
    };
    let mut cp = u32::from(payload);
    for k in 1..n {
        let p = at + 3 * k;
        if b.get(p) != Some(&b'%') {
            return None;
        }
        let cont = hex2(b, p + 1)?;
        let sloppy = n == 2 && cont < 0x80;
        if cont & 0xC0 != 0x80 && !sloppy {
            return None;
        }
        cp = cp << 6 | u32::from(cont & 0x3F);
    }
    let strict_ok = n > 2 || hex2(b, at + 4).is_some_and(|c| c & 0xC0 == 0x80);
    let printable = (0x21..0x7F).contains(&cp);
    if cp < 0x80 && (strict_ok || printable) {
        Some((cp as u8, 3 * n))
    } else {
        None
    }
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
    fn plain_escapes() {
        assert_eq!(
            dec("%3Cscript%3Ealert(1)%3C%2Fscript%3E").unwrap(),
            "<script>alert(1)</script>"
        );
        assert_eq!(dec("..%2f..%2Fetc%2fpasswd").unwrap(), "../../etc/passwd");
        assert_eq!(dec("caf%C3%A9").unwrap(), "café");
    }

    #[test]
    fn a_raw_plus_is_a_space_an_escaped_one_a_plus() {
        assert_eq!(dec("a+b%20c").unwrap(), "a b c");
        assert_eq!(dec("%27+OR+1=1--").unwrap(), "' OR 1=1--");
        assert_eq!(dec("C%2B%2B+rocks").unwrap(), "C++ rocks");
        // No escape, no view: a raw plus alone is the value's own text.
        assert_eq!(dec("1+1"), None);
        // The `unquote` reading keeps it, and exists only when there is a raw plus to keep.
        assert_eq!(decode_keeping_plus("a+b%20c").unwrap(), "a+b c");
        assert_eq!(decode_keeping_plus("C%2B%2B%20rocks"), None);
        assert_eq!(decode_keeping_plus("1+1"), None);
    }

    #[test]
    fn one_layer_at_a_time() {
        let double = "%253Cscript%253E";
        let once = dec(double).unwrap();
        assert_eq!(once, "%3Cscript%3E");
        assert_eq!(dec(&once).unwrap(), "<script>");
        let triple = "%25252e%25252e%25252f";
        let a = dec(triple).unwrap();
        let b = dec(&a).unwrap();
        assert_eq!(dec(&b).unwrap(), "../");
    }

    #[test]
    fn iis_unicode_escapes() {
        assert_eq!(dec("%u003Cscript%u003E").unwrap(), "<script>");
        assert_eq!(dec("%uFF1Cscript%uFF1E").unwrap(), "＜script＞");
        assert_eq!(dec("%uD83D%uDE00").unwrap(), "😀");
        assert_eq!(dec("%uD83Dx").unwrap(), "\u{FFFD}x");
        assert_eq!(dec("%uDE00").unwrap(), "\u{FFFD}");
    }

    #[test]
    fn overlong_utf8_is_folded_to_ascii() {
        assert_eq!(dec("..%c0%af..%c0%afetc").unwrap(), "../../etc");
        assert_eq!(dec("%e0%80%af").unwrap(), "/");
        assert_eq!(dec("%c0%ae%c0%ae/").unwrap(), "../");
        assert_eq!(dec("%f0%80%80%af").unwrap(), "/");
        assert_eq!(dec("%f8%80%80%80%af").unwrap(), "/");
        assert_eq!(dec("%fc%80%80%80%80%af").unwrap(), "/");
        assert_eq!(dec("%C0%BCscript%C0%BE").unwrap(), "<script>");
        // Old IIS ignored the top bits of the second byte.
        assert_eq!(dec("..%c1%1c..").unwrap(), "..\\..");
        // Valid two-byte UTF-8 stays what it is.
        assert_eq!(dec("%C2%A0").unwrap(), "\u{A0}");
    }

    #[test]
    fn bytes_that_are_not_utf8_read_as_latin1() {
        assert_eq!(dec("%ff%fe%80abc").unwrap(), "\u{FF}\u{FE}\u{80}abc");
        assert_eq!(dec("%c0").unwrap(), "\u{C0}");
        assert_eq!(dec("%e0%80").unwrap(), "\u{E0}\u{80}");
        assert_eq!(dec("%c0%41").unwrap(), "\u{C0}A");
        assert_eq!(dec("%F0%9F%98").unwrap(), "\u{F0}\u{9F}\u{98}");
        // MySQL's latin1 no-break space between words; Spanish forms sent in Latin-1.
        assert_eq!(
            dec("1%a0UNION%a0SELECT").unwrap(),
            "1\u{A0}UNION\u{A0}SELECT"
        );
        assert_eq!(dec("Cami%F3n %E9xito").unwrap(), "Camión éxito");
        // Valid UTF-8 around an invalid byte stays UTF-8.
        assert_eq!(dec("%C3%A9%A0%C3%A9").unwrap(), "é\u{A0}é");
    }

    #[test]
    fn broken_or_absent_escapes() {
        for s in [
            "100%",
            "50% off",
            "%zz",
            "%u12",
            "%4",
            "plain text",
            "",
            "%",
            "%u",
            "é%",
        ] {
            assert_eq!(dec(s), None, "{s:?}");
        }
        assert_eq!(dec("100%%41").unwrap(), "100%A");
    }
}
