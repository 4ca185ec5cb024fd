//! Text read as US-ASCII with the eighth bit dropped, as old Internet Explorer did for pages
//! served with `charset=us-ascii`: `¼` (0xBC) became `<`, `¾` (0xBE) `>`, `¢` (0xA2) `"`. So
//! `¼script¾alert(¢XSS¢)¼/script¾` passed every filter and ran. Only Latin-1 characters whose
//! low seven bits are printable are folded; the view exists only when it creates a `<`.

/// Longest input folded.
const MAX_INPUT: usize = 8192;

/// The folded text, when the value holds `¼` (the only way to fold into `<`).
pub fn fold(text: &str) -> Option<String> {
    // One SIMD byte search (C2 BC is `¼` in UTF-8), like the other gates of `structural`.
    if text.len() > MAX_INPUT || memchr::memmem::find(text.as_bytes(), b"\xC2\xBC").is_none() {
        return None;
    }
    Some(
        text.chars()
            .map(|c| match c as u32 {
                v @ 0xA0..=0xFE => char::from((v & 0x7F) as u8),
                _ => c,
            })
            .collect(),
    )
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
}
