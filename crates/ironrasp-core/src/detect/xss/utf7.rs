//! UTF-7 (RFC 2152), which old browsers could be talked into (`<meta charset=utf-7>`, charset
//! sniffing): `+ADw-script+AD4-` is `<script>`. Nothing but an evasion spells markup so, so the
//! decoded text is judged as markup of its own.

/// Longest input decoded.
const MAX_INPUT: usize = 8192;

fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// The text with its `+...-` shifted runs decoded, when one of them decodes to `<`, `>` or a
/// quote; `None` otherwise.
pub fn decode_markup(text: &str) -> Option<String> {
    let b = text.as_bytes();
    if b.len() > MAX_INPUT || memchr::memchr(b'+', b).is_none() {
        return None;
    }
    let mut out = String::with_capacity(b.len());
    let mut markup = false;
    let mut prev = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'+', &b[i..]).map(|p| i + p) {
        let mut j = p + 1;
        let mut bits = 0u32;
        let mut nbits = 0u32;
        let mut units: Vec<u16> = Vec::new();
        while let Some(v) = b.get(j).copied().and_then(sextet) {
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                units.push((bits >> nbits) as u16);
                bits &= (1 << nbits) - 1;
            }
            j += 1;
        }
        i = j.max(p + 1);
        if units.is_empty() {
            continue;
        }
        let decoded: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{fffd}'))
            .collect();
        markup |= decoded.contains(['<', '>', '"', '\'']);
        // `+` and the run end at ASCII bytes: char boundaries.
        out.push_str(&text[prev..p]);
        out.push_str(&decoded);
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        prev = j;
        i = j;
    }
    if !markup {
        return None;
    }
    out.push_str(&text[prev..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_shifted_runs() {
        assert_eq!(
            decode_markup("+ADw-script+AD4-alert(1)+ADw-/script+AD4-").as_deref(),
            Some("<script>alert(1)</script>")
        );
        assert_eq!(decode_markup("1+1=2"), None);
        assert_eq!(decode_markup("C++ and A+B-"), None);
        for s in ["+", "+-", "+A", "é+ADw", "+ADw-é"] {
            let _ = decode_markup(s);
        }
    }
}
