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
    // Most `+` runs (phone numbers, `C++`) spell no markup: that is read without building the
    // decoded text.
    if b.len() > MAX_INPUT || !runs_spell_markup(b) {
        return None;
    }
    decode_all(text)
}

/// Whether a shifted run holds a UTF-16 unit that is `<`, `>` or a quote: the units
/// [`decode_all`] decodes, read without building anything. These characters are no
/// surrogates, so a unit spells one exactly when the decoded run holds it.
fn runs_spell_markup(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'+', &b[i..]).map(|p| i + p) {
        let mut j = p + 1;
        let mut bits = 0u32;
        let mut nbits = 0u32;
        while let Some(v) = b.get(j).copied().and_then(sextet) {
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                if matches!(bits >> nbits, 0x22 | 0x27 | 0x3C | 0x3E) {
                    return true;
                }
                bits &= (1 << nbits) - 1;
            }
            j += 1;
        }
        // A `-` after a run is no `+`: the next search may start on it.
        i = j.max(p + 1);
    }
    false
}

/// [`decode_markup`] past its gate.
fn decode_all(text: &str) -> Option<String> {
    let b = text.as_bytes();
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

    #[test]
    fn markup_test_answers_as_the_full_decoding() {
        // Runs of every length, with and without `-`, spelling quotes and brackets or not.
        const PARTS: [&str; 20] = [
            "+", "+", "-", "ADw", "AD4", "ACI", "ACc", "ADwA", "AG", "4", "353", "A", "Ag", "/",
            "+/v8", " ", "é", "x", "C++", "+AD",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut markup = 0;
        for _ in 0..100_000 {
            let s = rng.pieces(&PARTS, 8);
            let full = decode_all(&s);
            assert_eq!(runs_spell_markup(s.as_bytes()), full.is_some(), "{s:?}");
            assert_eq!(decode_markup(&s), full, "{s:?}");
            markup += usize::from(full.is_some());
        }
        assert!(markup > 5_000, "{markup}");
    }
}
