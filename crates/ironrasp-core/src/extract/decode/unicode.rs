//! Unicode compatibility folding (NFKC): full-width `＜script＞`, ligatures, superscripts and
//! the like become the ASCII that many back ends (databases, Python's `unicodedata`, some
//! template engines) will later treat them as.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// True when the text has non-ASCII characters (ASCII is always NFKC).
pub fn applies(text: &str) -> bool {
    !text.is_ascii()
}

/// The NFKC form, or None when folding changes nothing. Folding can grow text (U+FDFA is 18
/// characters), so output stops just past `max_len` bytes; the caller clips and reports.
pub fn decode(text: &str, max_len: usize) -> Option<String> {
    if !applies(text) || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        return None;
    }
    let mut folded = String::with_capacity(text.len().min(max_len));
    for c in text.nfkc() {
        if folded.len() > max_len {
            break;
        }
        folded.push(c);
    }
    (folded != text).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_compatibility_forms_fold() {
        assert_eq!(
            decode("＜script＞alert(1)＜/script＞", 1000).unwrap(),
            "<script>alert(1)</script>"
        );
        assert_eq!(
            decode("ＳＥＬＥＣＴ＊ＦＲＯＭ", 1000).unwrap(),
            "SELECT*FROM"
        );
        assert_eq!(decode("ﬁle", 1000).unwrap(), "file");
        assert_eq!(decode("．．／．．／etc", 1000).unwrap(), "../../etc");
        assert_eq!(decode("x²", 1000).unwrap(), "x2");
    }

    #[test]
    fn growth_is_bounded() {
        let out = decode(&"\u{FDFA}".repeat(1000), 100).unwrap();
        assert!(out.len() > 100 && out.len() <= 104, "{}", out.len());
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for s in [
            "Zürich",
            "Łódź",
            "東京",
            "naïve café",
            "plain ascii",
            "",
            "O'Brien",
        ] {
            assert_eq!(decode(s, 1000), None, "{s:?}");
        }
        assert!(!applies("plain ascii"));
    }
}
