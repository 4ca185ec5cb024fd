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

/// False when [`decode`] gives None for any `max_len` of at least the text's length: the text
/// is ASCII or already in NFKC (by the quick check, or segment by segment when it says Maybe).
pub fn may_fold(text: &str) -> bool {
    applies(text)
        && match quick_check(text) {
            IsNormalized::Yes => false,
            IsNormalized::No => true,
            IsNormalized::Maybe => !is_nfkc_by_segments(text),
        }
}

/// The NFKC form, or None when folding changes nothing. Folding can grow text (U+FDFA is 18
/// characters), so output stops just past `max_len` bytes; the caller clips and reports.
pub fn decode(text: &str, max_len: usize) -> Option<String> {
    if !applies(text) {
        return None;
    }
    // A Maybe answer is settled per segment (text already in NFKC, such as Indic vowel signs
    // after their consonants, is common); a longer text would come back cut, so not changed.
    match quick_check(text) {
        IsNormalized::Yes => return None,
        IsNormalized::Maybe if text.len() <= max_len && is_nfkc_by_segments(text) => return None,
        _ => {}
    }
    let mut folded = String::with_capacity(text.len().min(max_len));
    for_each_segment(text, |piece, mixed| {
        if mixed {
            push_within(&mut folded, max_len, piece.nfkc())
        } else if folded.len() + piece.len() <= max_len {
            // Every push of `push_within` would pass its test: copy the unchanged run at once.
            folded.push_str(piece);
            true
        } else {
            push_within(&mut folded, max_len, piece.chars())
        }
    });
    (folded != text).then_some(folded)
}

/// Pushes `chars` onto `folded` while it is at most `max_len` bytes long, so output stops
/// where it would have in one pass over the whole text's NFKC; false if it stopped.
fn push_within(folded: &mut String, max_len: usize, chars: impl Iterator<Item = char>) -> bool {
    for c in chars {
        if folded.len() > max_len {
            return false;
        }
        folded.push(c);
    }
    true
}

/// `is_nfkc_quick(text.chars())`, cheaper. The library's quick check looks up each non-ASCII
/// character in a long chain of range tests (hundreds of instructions per character, most of
/// the cost of short non-Latin values). This is the same loop over the same two properties
/// (combining class and NFKC quick check), read from [`char_info`]; a [`plain`] character
/// takes the path of an ASCII character there (no verdict, and the last class becomes 0).
fn quick_check(text: &str) -> IsNormalized {
    // Plain characters leave the loop's state as it starts (no verdict, last class 0), so the
    // loop may start at the first byte that does not prove its character plain: a lead byte
    // (continuation bytes all do), hence a character boundary.
    let Some(first) = first_unsure(text) else {
        return IsNormalized::Yes;
    };
    let table = char_info();
    let mut last_class = 0;
    let mut result = IsNormalized::Yes;
    for c in text.get(first..).unwrap_or(text).chars() {
        // ASCII (most characters of most values) is plain: no table lookup.
        let info = if c.is_ascii() { PLAIN } else { info(table, c) };
        if info == PLAIN {
            last_class = 0;
            continue;
        }
        let class = (info & 0xFF) as u8;
        if last_class > class && class != 0 {
            return IsNormalized::No;
        }
        match info & !0xFF {
            QC_NO => return IsNormalized::No,
            QC_MAYBE => result = IsNormalized::Maybe,
            _ => {}
        }
        last_class = class;
    }
    result
}

/// Whether `text` is in NFKC, normalizing only the pieces [`for_each_segment`] marks mixed
/// and whose own quick check is not a definite Yes (marks that only need their order checked,
/// such as a virama, are common beside the vowel signs that make the whole text's answer Maybe).
fn is_nfkc_by_segments(text: &str) -> bool {
    for_each_segment(text, |piece, mixed| {
        !mixed || quick_check(piece) == IsNormalized::Yes || piece.nfkc().eq(piece.chars())
    })
}

/// Cuts `text` into pieces that normalize on their own and calls `each(piece, mixed)` on them
/// in order, while it returns true; returns false if it stopped. A piece is either a run of
/// [`plain`] characters (unchanged by NFKC), or, when `mixed`, a plain character (or the
/// start of the text) followed by the non-plain characters after it.
///
/// Why the pieces are independent: a plain character (quick check Yes, combining class 0)
/// decomposes to a plain character first (the tests check every one), a starter that
/// combines with nothing before it, so neither canonical reordering nor composition reaches
/// across it. NFKC of the text is then the NFKC of its pieces, joined.
fn for_each_segment(text: &str, mut each: impl FnMut(&str, bool) -> bool) -> bool {
    let table = char_info();
    // Characters whose bytes all prove them plain (see `quick_check`) only extend the first
    // pending plain run: the loop starts after them, with the state they leave.
    let first = first_unsure(text).unwrap_or(text.len());
    let first = if text.is_char_boundary(first) {
        first
    } else {
        0
    };
    let (head, rest) = text.split_at(first);
    // Start of the pending piece, whether it is mixed, and the last plain character seen.
    let last_plain = head.char_indices().next_back().map_or(0, |(i, _)| i);
    let (mut start, mut mixed, mut last_plain) = (0, false, last_plain);
    for (i, c) in rest.char_indices().map(|(i, c)| (i + first, c)) {
        if plain(table, c) {
            if mixed {
                if !each(&text[start..i], true) {
                    return false;
                }
                (start, mixed) = (i, false);
            }
            last_plain = i;
        } else if !mixed {
            // The pending plain run gives its last character to the mixed piece.
            if i > start {
                if !each(&text[start..last_plain], false) {
                    return false;
                }
                start = last_plain;
            }
            mixed = true;
        }
    }
    start == text.len() || each(&text[start..], mixed)
}

/// Characters below this are looked up in a table; the blocks of everyday scripts (Latin,
/// Greek, Cyrillic, Arabic, the Indic and South-East Asian scripts, kana) all lie below it.
const TABLE_END: u32 = 0x3100;

/// CJK ideographs (Extension A and the unified block) and Hangul syllables: whole ranges of
/// plain characters, too large for the table (the test checks every code point).
const PLAIN_RANGES: [(char, char); 2] = [('\u{3400}', '\u{9FFF}'), ('\u{AC00}', '\u{D7A3}')];

/// A character's [`info_by_library`]: its canonical combining class in the low byte, and its
/// NFKC quick-check answer above it (`QC_MAYBE`, `QC_NO`, or nothing for Yes).
const QC_MAYBE: u16 = 1 << 8;
const QC_NO: u16 = 2 << 8;
/// Quick check Yes and combining class 0: a character that never changes under NFKC and that
/// nothing before it combines with.
const PLAIN: u16 = 0;

/// The library's answers for `c`, packed.
fn info_by_library(c: char) -> u16 {
    let qc = match is_nfkc_quick(std::iter::once(c)) {
        IsNormalized::Yes => 0,
        IsNormalized::Maybe => QC_MAYBE,
        IsNormalized::No => QC_NO,
    };
    u16::from(canonical_combining_class(c)) | qc
}

/// [`info_by_library`] of every code point below [`TABLE_END`], built on first use (about 5M
/// instructions once per process; each short non-ASCII value saves about 4k, so the table
/// pays for itself within about 1,500 such values).
fn char_info() -> &'static [u16] {
    static INFO: OnceLock<Vec<u16>> = OnceLock::new();
    INFO.get_or_init(|| {
        (0..TABLE_END)
            .map(|cp| char::from_u32(cp).map_or(PLAIN, info_by_library))
            .collect()
    })
}

/// Bytes that prove the character they belong to [`plain`]: ASCII, continuation bytes (their
/// lead byte decides), and lead bytes all of whose characters are plain, such as those of
/// Latin-1 letters (é), most Cyrillic, CJK ideographs and Hangul syllables. A run of such
/// bytes is answered without decoding a character. Built on first use from the table and
/// [`PLAIN_RANGES`] (about 1.4M instructions once per process, beside 5M for the table).
fn sure_plain_bytes() -> &'static [bool; 256] {
    static SURE: OnceLock<[bool; 256]> = OnceLock::new();
    SURE.get_or_init(|| {
        let table = char_info();
        let mut sure = [false; 256];
        for (b, sure) in (0..=255u8).zip(sure.iter_mut()) {
            // The code points a lead byte can start.
            let (first, count) = match b {
                0..=0xBF => {
                    *sure = true;
                    continue;
                }
                0xC0..=0xDF => (u32::from(b & 0x1F) << 6, 1 << 6),
                0xE0..=0xED => (u32::from(b & 0x0F) << 12, 1 << 12),
                // U+E000..U+FFFF (private use, compatibility forms) is rare in text, and its
                // thousands of library lookups would cost about 4M instructions.
                _ => continue,
            };
            // Surrogates never occur in a `str`.
            *sure =
                (first..first + count).all(|cp| char::from_u32(cp).is_none_or(|c| plain(table, c)));
        }
        sure
    })
}

/// The first byte of `text` not in [`sure_plain_bytes`], four bytes to a test while all are.
fn first_unsure(text: &str) -> Option<usize> {
    let sure = sure_plain_bytes();
    let bytes = text.as_bytes();
    let mut at = 0;
    for c in bytes.chunks_exact(4) {
        let sure_at = |k: usize| sure[usize::from(c[k])];
        if !(sure_at(0) & sure_at(1) & sure_at(2) & sure_at(3)) {
            break;
        }
        at += 4;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    Some(at + rest.iter().position(|&b| !sure[usize::from(b)])?)
}

/// [`info_by_library`], from the table where it has the character.
fn info(table: &[u16], c: char) -> u16 {
    let cp = c as u32;
    if cp < TABLE_END {
        return table[cp as usize];
    }
    if PLAIN_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)) {
        return PLAIN;
    }
    info_by_library(c)
}

/// Whether `c` is plain (exactly when `info_by_library(c) == PLAIN`).
fn plain(table: &[u16], c: char) -> bool {
    info(table, c) == PLAIN
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
    fn table_answers_are_exactly_the_librarys() {
        let table = char_info();
        for cp in 0..=u32::from(char::MAX) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(info(table, c), info_by_library(c), "U+{cp:04X}");
        }
    }

    #[test]
    fn sure_plain_bytes_only_start_plain_characters() {
        let (table, sure) = (char_info(), sure_plain_bytes());
        for cp in 0..=u32::from(char::MAX) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut buf = [0u8; 4];
            if c.encode_utf8(&mut buf)
                .bytes()
                .all(|b| sure[usize::from(b)])
            {
                assert!(plain(table, c), "U+{cp:04X}");
            }
        }
        // The leads the shortcut is for.
        for s in ["é", "Ж", "ы", "中", "먹"] {
            assert!(sure[usize::from(s.as_bytes()[0])], "{s}");
        }
    }

    #[test]
    fn first_unsure_is_the_first_byte_not_sure() {
        let sure = sure_plain_bytes();
        let alphabet: Vec<char> = "aé Ж中…\u{301}ﬁ가ا".chars().collect();
        let mut rng = TestRng::new(0x6C07_8965_D2B1_A3F1);
        for _ in 0..20_000 {
            let len = rng.below(12);
            let s: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let expected = s.bytes().position(|b| !sure[usize::from(b)]);
            assert_eq!(first_unsure(&s), expected, "{s:?}");
        }
    }

    #[test]
    fn plain_characters_decompose_to_a_plain_starter() {
        let table = char_info();
        for cp in 0..=u32::from(char::MAX) {
            let Some(c) = char::from_u32(cp).filter(|&c| plain(table, c)) else {
                continue;
            };
            let first = std::iter::once(c).nfkd().next().unwrap();
            assert_eq!(info_by_library(first), PLAIN, "U+{cp:04X}");
        }
    }

    #[test]
    fn segments_agree_with_the_library() {
        // Starters that compose with what follows (Latin, Indic, Hangul jamo, kana), the marks
        // and vowel signs they compose with (quick check Maybe), marks that only reorder,
        // compatibility characters (No), and plain letters of several scripts.
        let alphabet: Vec<char> = [
            "aeoAEOu ",
            "\u{300}\u{301}\u{308}\u{327}\u{323}\u{338}\u{342}\u{345}\u{3B1}\u{3C9}",
            "\u{627}\u{648}\u{64A}\u{653}\u{654}\u{655}\u{64B}\u{651}",
            "\u{915}\u{928}\u{93C}\u{93E}\u{94D}\u{9C7}\u{9BE}\u{9D7}\u{9AC}",
            "\u{B47}\u{B3E}\u{B56}\u{B57}\u{B92}\u{BC6}\u{BC7}\u{BBE}\u{BD7}\u{BB5}",
            "\u{C46}\u{C56}\u{CBF}\u{CC6}\u{CC2}\u{CD5}\u{CD6}\u{D46}\u{D3E}\u{D57}",
            "\u{DD9}\u{DCA}\u{DCF}\u{DDF}\u{1025}\u{102E}\u{1B05}\u{1B35}",
            "\u{1100}\u{1161}\u{11A8}\u{AC00}\u{AC01}\u{3099}\u{309A}\u{304B}\u{30CF}",
            "\u{E01}\u{E49}\u{E38}ﬁ²\u{FDFA}\u{212B}\u{1F71}\u{F73}\u{344}é",
        ]
        .concat()
        .chars()
        .collect();
        let mut rng = TestRng::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..100_000 {
            let len = 1 + rng.below(8);
            let s: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let nfkc = s.nfkc().eq(s.chars());
            assert_eq!(is_nfkc_by_segments(&s), nfkc, "{s:?}");
            assert_eq!(may_fold(&s), !nfkc, "{s:?}");
            for max_len in [0, 3, 7, 1000] {
                assert_eq!(decode(&s, max_len), whole_text_nfkc(&s, max_len), "{s:?}");
            }
        }
    }

    /// [`decode`] as one pass of the library over the whole text.
    fn whole_text_nfkc(text: &str, max_len: usize) -> Option<String> {
        if !applies(text) || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            return None;
        }
        let mut folded = String::new();
        for c in text.nfkc() {
            if folded.len() > max_len {
                break;
            }
            folded.push(c);
        }
        (folded != text).then_some(folded)
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
            "😀𝐀𠀀\u{D7A3}\u{D7B0}\u{10FFFF}ѐ\u{483}",
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
