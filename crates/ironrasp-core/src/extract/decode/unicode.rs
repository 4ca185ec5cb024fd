//! Unicode compatibility folding (NFKC): full-width `＜script＞`, ligatures, superscripts and
//! the like become the ASCII that many back ends (databases, Python's `unicodedata`, some
//! template engines) will later treat them as.

use std::sync::OnceLock;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// True when the text has non-ASCII characters (ASCII is always NFKC).
pub fn applies(text: &str) -> bool {
    !text.is_ascii()
}

/// False when [`decode`] gives None: the text is ASCII or already in NFKC by the quick check.
pub fn may_fold(text: &str) -> bool {
    applies(text) && quick_check(text) != IsNormalized::Yes
}

/// The NFKC form, or None when folding changes nothing. Folding can grow text (U+FDFA is 18
/// characters), so output stops just past `max_len` bytes; the caller clips and reports.
pub fn decode(text: &str, max_len: usize) -> Option<String> {
    if !may_fold(text) {
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

/// `is_nfkc_quick(text.chars())`, cheaper. The library's quick check looks up each non-ASCII
/// character in a long chain of range tests (hundreds of instructions per character, most of
/// the cost of short non-Latin values). A character whose NFKC quick check is Yes and whose
/// canonical combining class is 0 takes exactly the path of an ASCII character in that loop
/// (no verdict, and the last class becomes 0), so such [`plain`] characters are handed to the
/// library as `a` and answered with a bit test.
fn quick_check(text: &str) -> IsNormalized {
    let bits = plain_bits();
    // Nearly every non-ASCII value is plain throughout: answered without the library's loop.
    if text.chars().all(|c| plain(bits, c)) {
        return IsNormalized::Yes;
    }
    is_nfkc_quick(text.chars().map(|c| if plain(bits, c) { 'a' } else { c }))
}

/// Characters below this are looked up in a bitmap; the blocks of everyday scripts (Latin,
/// Greek, Cyrillic, Arabic, the Indic and South-East Asian scripts, kana) all lie below it.
const BITMAP_END: u32 = 0x3100;

/// CJK ideographs (Extension A and the unified block) and Hangul syllables: whole ranges of
/// plain characters, too large for the bitmap (the test checks every code point).
const PLAIN_RANGES: [(char, char); 2] = [('\u{3400}', '\u{9FFF}'), ('\u{AC00}', '\u{D7A3}')];

/// Whether the library counts `c` as plain: NFKC quick check Yes and combining class 0.
fn plain_by_library(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// One bit per code point below [`BITMAP_END`]: [`plain_by_library`], built on first use
/// (about 5M instructions once per process; each short non-ASCII value saves about 4k, so
/// the table pays for itself within about 1,500 such values).
fn plain_bits() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0u64; BITMAP_END as usize / 64];
        for cp in 0..BITMAP_END {
            if char::from_u32(cp).is_some_and(plain_by_library) {
                bits[cp as usize / 64] |= 1 << (cp % 64);
            }
        }
        bits
    })
}

/// [`plain_by_library`] exactly below [`BITMAP_END`]; above it, true only inside
/// [`PLAIN_RANGES`] (false is always safe: the library then answers).
fn plain(bits: &[u64], c: char) -> bool {
    let cp = c as u32;
    if cp < BITMAP_END {
        return bits[cp as usize / 64] >> (cp % 64) & 1 != 0;
    }
    PLAIN_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::TestRng;

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

    #[test]
    fn plain_characters_are_exactly_the_librarys() {
        let bits = plain_bits();
        for cp in 0..=u32::from(char::MAX) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let fast = plain(bits, c);
            if cp < BITMAP_END {
                assert_eq!(fast, plain_by_library(c), "U+{cp:04X}");
            } else if fast {
                assert!(plain_by_library(c), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn quick_check_agrees_with_the_library() {
        // Plain letters of several scripts beside combining marks (in and out of order),
        // characters whose quick check is Maybe or No, and ASCII.
        let alphabet: Vec<char> = [
            "aZ é",
            "\u{301}\u{300}\u{327}",
            "क\u{94D}\u{93C}\u{9BE}\u{BBE}",
            "\u{64B}\u{651}",
            "ДжΩά",
            "ﬁ²＜\u{2026}\u{A0}\u{FDFA}\u{1F71}",
            "\u{1161}가中\u{3099}か\u{E49}",
        ]
        .concat()
        .chars()
        .collect();
        let mut rng = TestRng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = rng.below(7);
            let s: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            assert_eq!(quick_check(&s), is_nfkc_quick(s.chars()), "{s:?}");
        }
    }
}
