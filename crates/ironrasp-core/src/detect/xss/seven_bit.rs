//! Text read as US-ASCII with the eighth bit dropped, as old Internet Explorer did for pages
//! served with `charset=us-ascii`: `¼` (0xBC) became `<`, `¾` (0xBE) `>`, `¢` (0xA2) `"`. So
//! `¼script¾alert(¢XSS¢)¼/script¾` passed every filter and ran. Only Latin-1 characters whose
//! low seven bits are printable are folded; the view exists only when it creates a `<`.
//! A payload written as UTF-8 but read back as Latin-1 (`\xc2\xbc` decoded byte by byte is
//! `Â¼`) carries the lead byte `Â` before each such character; that pair is the character
//! itself, so the lead is dropped. Other leads (`Ð¼` is Cyrillic `м`) spell other letters.

/// Longest input folded.
const MAX_INPUT: usize = 8192;

/// The folded text, when the value holds `¼` (the only way to fold into `<`).
pub fn fold(text: &str) -> Option<String> {
    // One SIMD byte search (C2 BC is `¼` in UTF-8), like the other gates of `structural`.
    if text.len() > MAX_INPUT || !super::has_pair(text.as_bytes(), *b"\xC2\xBC") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let v = c as u32;
        // `Â` then U+00A0..U+00BF: that character's UTF-8 bytes read as Latin-1.
        if v == 0xC2
            && chars
                .peek()
                .is_some_and(|n| (0xA0..=0xBF).contains(&(*n as u32)))
        {
            continue;
        }
        out.push(match v {
            0xA0..=0xFE => char::from((v & 0x7F) as u8),
            _ => c,
        });
    }
    Some(out)
}

/// True when `text` holds an end tag spelled with eighth-bit brackets (`¼/name¾`): prose
/// with fractions (`¼/½ cup`) never puts letters between `¼/` and `¾`.
pub fn folded_end_tag(text: &str) -> bool {
    let mut rest = text;
    // Bounded: each step moves past one `¼/`.
    while let Some(p) = rest.find("\u{BC}/") {
        rest = &rest[p + 3..];
        let name = rest
            .char_indices()
            .take(40)
            .take_while(|(_, c)| c.is_ascii_alphanumeric())
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        let after = &rest[name..];
        // `¾` may come as `Â¾` (UTF-8 read as Latin-1).
        let after = after.strip_prefix('\u{C2}').unwrap_or(after);
        if name > 0 && after.starts_with(['\u{BE}', '>']) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_bit_is_dropped() {
        assert_eq!(
            fold("\u{BC}b\u{BE}x\u{BC}/b\u{BE}").as_deref(),
            Some("<b>x</b>")
        );
        assert_eq!(fold("\u{A2}\u{BC}").as_deref(), Some("\"<"));
        assert_eq!(fold("Zürich ½"), None);
        assert_eq!(fold("plain"), None);
    }

    #[test]
    fn utf8_read_as_latin1_is_folded_too() {
        assert_eq!(
            fold("\u{C2}\u{BC}b\u{C2}\u{BE}x\u{C2}\u{BC}/b\u{C2}\u{BE}").as_deref(),
            Some("<b>x</b>")
        );
        // Only `Â` leads a Latin-1 character: `Ð¼` is Cyrillic `м`, and `Äx` stays letters.
        assert_eq!(fold("\u{BC} \u{C4}x").as_deref(), Some("< Dx"));
        assert_eq!(fold("\u{D0}\u{BC}b").as_deref(), Some("P<b"));
    }

    #[test]
    fn end_tags_spelled_with_eighth_bit() {
        assert!(folded_end_tag("\u{BC}t\u{BE}x\u{BC}/t\u{BE}"));
        assert!(!folded_end_tag("\u{BC}/\u{BD} cup"));
        assert!(!folded_end_tag("\u{BC}/ cup \u{BE}"));
        assert!(!folded_end_tag("\u{BC}/"));
        assert!(folded_end_tag("\u{C2}\u{BC}/t\u{C2}\u{BE}"));
    }
}
