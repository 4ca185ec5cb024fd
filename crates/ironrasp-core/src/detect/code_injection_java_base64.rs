//! Keywords inside base64 fragments cut at an unknown alignment.
//!
//! A base64 stream cut anywhere (a chunk of a serialized object, a piece of a larger encoded
//! body, a name padded before encoding to dodge a signature) starts 0 to 3 characters into a
//! 4-character group. The engine's base64 decoder yields only the aligned decoding; this reads
//! a token at all four alignments and reports the keywords it finds, with how much of the
//! decoded fragment they make up, so the caller can tell a fragment that *is* a keyword from
//! an encoded document that merely contains the word.
//!
//! Work is bounded: tokens are runs of the base64 alphabet (standard or URL-safe) between
//! [`MIN_CHARS`] and [`MAX_CHARS`] long, with at least two of upper case, lower case and digits
//! (prose words are one case); at most [`MAX_TOKENS`] tokens per value are decoded, into a
//! stack buffer, so nothing is allocated.

/// Shortest token read: a 7-byte keyword needs 10 characters even when aligned.
pub(crate) const MIN_CHARS: usize = 10;
/// Longest token read: fragments are short; long aligned streams are the decoder's (and the
/// serialization-magic rule's) business.
pub(crate) const MAX_CHARS: usize = 1024;
/// Tokens decoded per value.
const MAX_TOKENS: usize = 64;
/// Decoded bytes of one token at one alignment (3 bytes per 4 characters, plus a partial group).
const MAX_BYTES: usize = MAX_CHARS / 4 * 3 + 3;

/// A keyword found in a decoded fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// The keyword (as given by the caller, lower case).
    pub keyword: &'static str,
    /// Bytes of the decoded fragment (at the alignment that held the keyword).
    pub decoded: usize,
    /// Bytes of the identifier run (letters, digits, `_`, `.`, `$`) around the keyword:
    /// `runtime` alone, `java.lang.runtime`, `getruntime`.
    pub name: usize,
    /// Characters of the token.
    pub chars: usize,
}

impl Hit {
    /// The named thing is most of the fragment: the fragment is the keyword (or a class or
    /// method name built on it), not a document that mentions it.
    pub fn dominant(&self) -> bool {
        2 * self.name >= self.decoded
    }
}

/// The 6-bit value of each byte in the standard and URL-safe alphabets; [`NOT_BASE64`] for
/// the others.
static SEXTETS: [u8; 256] = {
    let mut t = [NOT_BASE64; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = i as u8 + 26;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = d as u8 + 52;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'-' as usize] = 62;
    t[b'/' as usize] = 63;
    t[b'_' as usize] = 63;
    t
};
const NOT_BASE64: u8 = 0xff;

/// The 6-bit value of a base64 character (standard and URL-safe alphabets), or `None`.
fn sextet(c: u8) -> Option<u8> {
    let v = SEXTETS[c as usize];
    (v != NOT_BASE64).then_some(v)
}

/// Tokens up to this length are short fragments: they are decoded only at the alignments
/// where they could spell ASCII text (see [`ascii_alignments`]).
const SHORT_TOKEN: usize = 64;

/// For each `missing` (0..=3), whether `token` at that alignment could decode to ASCII: the
/// first character of every group then holds a byte's top six bits (below 32, the top bit is
/// clear), and the third holds the next byte's top two bits (the upper one clear). A word
/// that is not base64 ("AppleWebKit") usually fails every alignment, and is not decoded.
fn ascii_alignments(token: &[u8]) -> [bool; 4] {
    // Per place in the group, the AND of its characters' `ASCII_BITS`: character `j` of the
    // token sits at place `j % 4`, so whole groups are read.
    let mut ok = [3u8; 4];
    let groups = token.chunks_exact(4);
    let tail = groups.remainder();
    for g in groups {
        for k in 0..4 {
            ok[k] &= ASCII_BITS[usize::from(g[k])];
        }
    }
    for (k, &c) in tail.iter().enumerate() {
        ok[k] &= ASCII_BITS[usize::from(c)];
    }
    // With `missing` characters before it, the token's groups start at position (4 - m) % 4.
    std::array::from_fn(|m| ok[(4 - m) % 4] & 1 != 0 && ok[(6 - m) % 4] & 2 != 0)
}

/// Per byte: bit 0 when its 6-bit value is below 32 (as the first character of a group, the
/// byte it starts has its top bit clear), bit 1 when the value's bit 1 is clear (as the third,
/// the next byte's top bit is). One look-up per character in [`ascii_alignments`].
static ASCII_BITS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let v = SEXTETS[i];
        if v < 32 {
            t[i] |= 1;
        }
        if v & 2 == 0 {
            t[i] |= 2;
        }
        i += 1;
    }
    t
};

/// Per byte, the places of a group of four characters it can hold when the group decodes to
/// three ASCII letters (each byte's top two bits `01`): bit 0 for the first character (its
/// value in 16..=31), bit 1 for the second (value bits 3-2 `01`), bit 2 for the third
/// (low bits `01`), bit 3 for the fourth (any character of the alphabets).
static LETTER_GROUP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let v = SEXTETS[i];
        if v != NOT_BASE64 {
            t[i] = 8;
            if v >> 4 == 1 {
                t[i] |= 1;
            }
            if v & 12 == 4 {
                t[i] |= 2;
            }
            if v & 3 == 1 {
                t[i] |= 4;
            }
        }
        i += 1;
    }
    t
};

/// Bit `p` set when a group of `token` starting at a character `j` with `j % 4 == p` could
/// decode to three ASCII letters. A keyword's decoding is a run of at least five letters, and
/// any five consecutive decoded bytes hold a whole group: an alignment none of whose groups
/// can spell letters holds no keyword. One pass, a look-up per character.
fn letter_groups(token: &[u8]) -> u8 {
    // The places of the last four characters, one per nibble (the oldest highest).
    let mut recent: u16 = 0;
    let mut phases = 0u8;
    for (i, &c) in token.iter().enumerate() {
        recent = (recent << 4) | u16::from(LETTER_GROUP[usize::from(c)]);
        if recent & 0x1248 == 0x1248 {
            // The group starts at `i - 3`, which is `i + 1` modulo 4.
            phases |= 1 << ((i + 1) % 4);
        }
    }
    phases
}

/// Per byte: 0 outside the base64 alphabets; else which of upper case (1), lower case (2) and
/// digits (4) it is (8 for the four symbols `+ - / _`).
static KINDS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_lowercase() {
            2
        } else if c.is_ascii_digit() {
            4
        } else if SEXTETS[i] != NOT_BASE64 {
            8
        } else {
            0
        };
        i += 1;
    }
    t
};

/// A token worth decoding: long enough, and not a one-case word (`kinds` is the union of its
/// bytes' [`KINDS`]).
fn candidate(len: usize, kinds: u8) -> bool {
    (MIN_CHARS..=MAX_CHARS).contains(&len) && (kinds & 7).count_ones() >= 2
}

/// The base64-alphabet runs of `text` worth decoding (a `=` padding run ends one): the runs
/// of `split` on the bytes outside the alphabets that [`candidate`] takes. A run shorter than
/// [`MIN_CHARS`] is skipped without reading it whole: when the last byte of the window of
/// `MIN_CHARS` bytes from a run's start is outside the alphabets, the run ends before it, and
/// the next one starts after it (prose is read a few bytes per word). A long enough run is
/// read once, one table look-up per byte telling both its end and its kinds of characters.
fn tokens(text: &str) -> impl Iterator<Item = &[u8]> {
    let b = text.as_bytes();
    let in_alphabet = |i: usize| KINDS[usize::from(b[i])] != 0;
    // Always where a run may start: the text's start or just after a byte outside the
    // alphabets.
    let mut start = 0;
    std::iter::from_fn(move || {
        while start + MIN_CHARS <= b.len() {
            let last = start + MIN_CHARS - 1;
            if !in_alphabet(last) {
                start = last + 1;
                continue;
            }
            if let Some(i) = (start..last).rev().find(|&i| !in_alphabet(i)) {
                start = i + 1;
                continue;
            }
            // A run of at least `MIN_CHARS` bytes starts at `start`: read it to its end.
            let mut end = start;
            let mut kinds = 0u8;
            while let Some(&c) = b.get(end) {
                let k = KINDS[usize::from(c)];
                if k == 0 {
                    break;
                }
                kinds |= k;
                end += 1;
            }
            let run = &b[start..end];
            // Past the byte that ended the run (none at the end of the text).
            start = end + 1;
            if candidate(run.len(), kinds) {
                return Some(run);
            }
        }
        None
    })
    .take(MAX_TOKENS)
}

/// Decodes `token` as if `missing` (0..=3) characters of its first group came before it,
/// into `out`, lower-cased; returns the number of bytes whose every bit the token holds.
fn decode(token: &[u8], missing: usize, out: &mut [u8; MAX_BYTES]) -> usize {
    let mut n = 0;
    let mut acc: u32 = 0;
    let mut bits = 0;
    // The missing characters count as zero bits; the bytes they touch are dropped below.
    for c in std::iter::repeat_n(0u8, missing).chain(token.iter().filter_map(|c| sextet(*c))) {
        acc = (acc << 6) | u32::from(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if n < MAX_BYTES {
                out[n] = ((acc >> bits) as u8).to_ascii_lowercase();
                n += 1;
            }
            acc &= (1 << bits) - 1;
        }
    }
    // With `missing` characters unknown, the first `missing` bytes of the group hold bits
    // from them: bytes 0, 1, 2 draw on characters 0-1, 1-2, 2-3.
    let drop = missing.min(n);
    out.copy_within(drop..n, 0);
    n - drop
}

/// The base64 spellings of a set of keywords, for a test that rules out, without decoding
/// and in a few instructions per byte, every text in whose tokens [`find`] could find none of
/// them at any alignment (random ids, hashes, session tokens).
///
/// Why it is exact: a keyword of five bytes or more, wherever it sits in a decoding, covers a
/// whole group of three decoded bytes that starts 0, 1 or 2 bytes into it, and a whole group
/// of three bytes is spelled by four consecutive characters of the token. The decoding is
/// lower-cased before the search, so each letter of the group may have been of either case:
/// the case of the first byte shows only in the first character, of the second only in the
/// second, of the third only in the fourth, so a group's spellings are every choice of one
/// character per place, and [`Spellings::places`] holds exactly those.
pub(crate) struct Spellings {
    /// Admits every text: a keyword shorter than five bytes, or more groups than bits.
    open: bool,
    /// Per place in a group of four characters and per 6-bit value ([`OUTSIDE`] for a byte
    /// outside the alphabets): the groups (three bytes of a keyword from its byte 0, 1 or 2,
    /// one bit each) with a spelling that has a character of that value there.
    places: [[u64; OUTSIDE + 1]; 4],
    /// Bit `b << 8 | a` set when bytes `a`, `b` stand side by side in some spelling (at
    /// places 0-1, 1-2 or 2-3).
    pairs: [u64; 1 << 10],
}

/// The value in [`CODES`] of a byte outside the base64 alphabets.
const OUTSIDE: usize = 64;

/// The 6-bit value of each byte ([`SEXTETS`]), [`OUTSIDE`] for the others.
static CODES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if SEXTETS[i] == NOT_BASE64 {
            OUTSIDE as u8
        } else {
            SEXTETS[i]
        };
        i += 1;
    }
    t
};

/// `c` or, when `upper`, its upper case: a byte that lower-cases to `c`.
const fn cased(c: u8, upper: bool) -> u8 {
    if upper {
        c.to_ascii_uppercase()
    } else {
        c
    }
}

impl Spellings {
    /// The spellings of `keywords` (lower case, as given to [`find`]).
    pub const fn of(keywords: &[&str]) -> Self {
        let mut places = [[0u64; OUTSIDE + 1]; 4];
        let mut open = false;
        let mut group = 0;
        let mut k = 0;
        while k < keywords.len() {
            let w = keywords[k].as_bytes();
            if w.len() < 5 || group + 3 > 64 {
                open = true;
                break;
            }
            let mut start = 0;
            while start < 3 {
                // Each byte as decoded: itself or, for a letter, its upper case.
                let mut cases = 0;
                while cases < 8 {
                    let y0 = cased(w[start], cases & 1 != 0);
                    let y1 = cased(w[start + 1], cases & 2 != 0);
                    let y2 = cased(w[start + 2], cases & 4 != 0);
                    let chars = [
                        y0 >> 2,
                        (y0 & 3) << 4 | y1 >> 4,
                        (y1 & 15) << 2 | y2 >> 6,
                        y2 & 63,
                    ];
                    let mut p = 0;
                    while p < 4 {
                        places[p][chars[p] as usize] |= 1 << group;
                        p += 1;
                    }
                    cases += 1;
                }
                group += 1;
                start += 1;
            }
            k += 1;
        }
        let mut pairs = [0u64; 1 << 10];
        let mut a = 0;
        while a < 256 {
            let ca = CODES[a] as usize;
            let mut b = 0;
            // Bytes outside the alphabets are in no spelling.
            while ca != OUTSIDE && b < 256 {
                let cb = CODES[b] as usize;
                let mut p = 0;
                while p < 3 {
                    if places[p][ca] & places[p + 1][cb] != 0 {
                        let key = b << 8 | a;
                        pairs[key >> 6] |= 1 << (key & 63);
                    }
                    p += 1;
                }
                b += 1;
            }
            a += 1;
        }
        Spellings {
            open,
            places,
            pairs,
        }
    }

    /// False only when no four consecutive bytes of `text` spell a group of a keyword: then
    /// [`find`] with these keywords finds none. Any three consecutive offsets hold a multiple
    /// of three, so every window of four bytes holds a pair that starts at one: only those
    /// pairs are looked up, and the windows around a pair in the table are then read whole.
    pub fn may_be_in(&self, text: &[u8]) -> bool {
        if self.open {
            return true;
        }
        let mut i = 0;
        while i + 1 < text.len() {
            let key = usize::from(u16::from_le_bytes([text[i], text[i + 1]]));
            if self.pairs[key >> 6] & (1 << (key & 63)) != 0 && self.spelled_around(text, i) {
                return true;
            }
            i += 3;
        }
        false
    }

    /// A window of four bytes of `text` that holds the pair at `at` spells a group.
    #[inline(never)]
    fn spelled_around(&self, text: &[u8], at: usize) -> bool {
        (at.saturating_sub(2)..=at).any(|j| {
            text.get(j..j + 4).is_some_and(|w| {
                w.iter().zip(&self.places).fold(u64::MAX, |m, (&c, place)| {
                    m & place[usize::from(CODES[usize::from(c)])]
                }) != 0
            })
        })
    }

    /// Some group has a spelling all of whose characters are hex digits of one case (upper
    /// case when `upper`) or base64 symbols: when not, a text with no other letter has none.
    pub const fn spelled_in_hex(&self, upper: bool) -> bool {
        if self.open {
            return true;
        }
        let mut groups = u64::MAX;
        let mut p = 0;
        while p < 4 {
            let mut here = 0;
            let mut c = 0;
            while c < 128 {
                let b = c as u8;
                let letter = if upper {
                    b.is_ascii_uppercase()
                } else {
                    b.is_ascii_lowercase()
                };
                if !b.is_ascii_alphabetic() || letter && b.is_ascii_hexdigit() {
                    here |= self.places[p][CODES[c] as usize];
                }
                c += 1;
            }
            groups &= here;
            p += 1;
        }
        groups != 0
    }
}

/// Length of the longest run of ASCII letters in `bytes`.
fn longest_letter_run(bytes: &[u8]) -> usize {
    let (mut best, mut run) = (0, 0);
    for b in bytes {
        run = if b.is_ascii_alphabetic() { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$')
}

/// The first keyword found in a base64 token of `text` at any alignment that `accept` takes;
/// `keywords` are lower case.
pub(crate) fn find(
    text: &str,
    keywords: &[&'static str],
    accept: impl Fn(&Hit) -> bool,
) -> Option<Hit> {
    find_gated(text, keywords, accept, true)
}

/// [`find`]; `letter_gate` off decodes every alignment [`letter_groups`] would skip (the
/// tests compare both).
fn find_gated(
    text: &str,
    keywords: &[&'static str],
    accept: impl Fn(&Hit) -> bool,
    letter_gate: bool,
) -> Option<Hit> {
    if text.len() < MIN_CHARS {
        return None;
    }
    // Cleared only once a token is decoded: most values (words, prose, versions) hold no
    // token that could be base64 of text, and need no buffer.
    let mut buf: Option<[u8; MAX_BYTES]> = None;
    // Read once a token is found (most values have none).
    let mut shortest = None;
    for token in tokens(text) {
        let shortest =
            *shortest.get_or_insert_with(|| keywords.iter().map(|k| k.len()).min().unwrap_or(0));
        // Keywords of five letters or more span a whole group wherever they are decoded.
        let letter_gate = letter_gate && shortest >= 5;
        let aligned = if token.len() <= SHORT_TOKEN {
            ascii_alignments(token)
        } else {
            [true; 4]
        };
        // Read only for a token some alignment of which is still in play.
        let groups = if letter_gate && aligned.contains(&true) {
            letter_groups(token)
        } else {
            0b1111
        };
        // With `missing` characters before it, the token's groups start at `(4 - missing) % 4`.
        let spells = |m: usize| aligned[m] && groups & (1 << ((4 - m) % 4)) != 0;
        for missing in (0..4).filter(|&m| spells(m)) {
            let buf = buf.get_or_insert([0u8; MAX_BYTES]);
            let n = decode(token, missing, buf);
            let bytes = &buf[..n];
            // Keywords are words: most decodings (garbage) have no letter run as long as the
            // shortest, and are dropped after one pass instead of a search per keyword.
            if longest_letter_run(bytes) < shortest {
                continue;
            }
            for &k in keywords {
                let Some(at) = memchr::memmem::find(bytes, k.as_bytes()) else {
                    continue;
                };
                let start = bytes[..at]
                    .iter()
                    .rposition(|b| !is_name_byte(*b))
                    .map_or(0, |p| p + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|b| !is_name_byte(*b))
                    .map_or(n, |p| at + p);
                let hit = Hit {
                    keyword: k,
                    decoded: n,
                    name: end - start,
                    chars: token.len(),
                };
                if accept(&hit) {
                    return Some(hit);
                }
            }
        }
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const WORDS: &[&str] = &["runtime", "processbuilder", "invokertransformer"];

    /// Standard base64 of `bytes` (test helper; the engine never encodes).
    fn encode(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for chunk in bytes.chunks(3) {
            let v = chunk
                .iter()
                .enumerate()
                .fold(0u32, |a, (i, b)| a | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                s.push(A[(v >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        s
    }

    /// The fragment an attacker would cut: the word encoded after `pad` other bytes, with the
    /// characters that hold only those bytes removed.
    pub(crate) fn cut(word: &str, pad: usize) -> String {
        let mut b = vec![b' '; pad];
        b.extend_from_slice(word.as_bytes());
        let full = encode(&b);
        // Characters wholly made of the pad's bits; a character shared with the word stays.
        let skip = pad * 4 / 3;
        full[skip..].to_string()
    }

    #[test]
    fn keywords_are_found_at_every_alignment() {
        for word in ["runtime", "ProcessBuilder", "InvokerTransformer"] {
            for pad in 0..3 {
                let frag = cut(word, pad);
                let hit = find(&frag, WORDS, Hit::dominant)
                    .unwrap_or_else(|| panic!("{word} {pad} {frag}"));
                assert_eq!(hit.keyword, word.to_ascii_lowercase(), "{frag}");
                assert!(hit.dominant(), "{frag}");
                // In a form, a JSON string and a cookie too.
                for ctx in [format!("x={frag}"), format!("{{\"a\": \"{frag}\"}}")] {
                    assert!(find(&ctx, WORDS, Hit::dominant).is_some(), "{ctx}");
                }
            }
        }
        // A class name built on the keyword still dominates its fragment.
        assert!(find(&encode(b"java.lang.Runtime"), WORDS, Hit::dominant).is_some());
    }

    #[test]
    fn ascii_text_keeps_its_alignment_and_words_are_not_decoded() {
        // Printable ASCII encoded after 0, 1 or 2 bytes, then cut at every character: the
        // alignment that decodes it is always kept.
        let mut seed = 7u32;
        for len in 8..40 {
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    b' ' + (seed >> 16) as u8 % 95
                })
                .collect();
            let full = encode(&text);
            for cut in 0..4 {
                let token = &full.as_bytes()[cut..];
                let missing = cut % 4;
                assert!(ascii_alignments(token)[missing], "{full} cut {cut}");
            }
        }
        // Ordinary mixed-case words and versions are not base64 of text at any alignment.
        for w in [
            "AppleWebKit",
            "Chrome/120",
            "Safari/537",
            "JavaScript",
            "McDonalds1",
        ] {
            assert_eq!(ascii_alignments(w.as_bytes()), [false; 4], "{w}");
        }
    }

    #[test]
    fn encoded_documents_mentioning_a_word_do_not_dominate() {
        // An AWS Lambda / serverless config, base64-encoded at each alignment.
        let doc = br#"{"FunctionName":"api","Runtime":"python3.11","Handler":"app.main"}"#;
        for pad in 0..3 {
            let mut b = vec![b'x'; pad];
            b.extend_from_slice(doc);
            let hit = find(&encode(&b), WORDS, |_| true).expect("the word is there");
            assert_eq!(hit.keyword, "runtime");
            assert!(!hit.dominant(), "{hit:?}");
            assert_eq!(find(&encode(&b), WORDS, Hit::dominant), None);
        }
    }

    #[test]
    fn tokens_prose_and_random_strings_hold_nothing() {
        for t in [
            // A JWT (header.payload.signature).
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            // A SHA-256 in hex.
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            // A random API token.
            "ghp_R4nd0mT0kenVa1ueWithNoMeaning1234567",
            "Use the Runtime class to run a ProcessBuilder in Java",
            "JavaScript TypeScript getElementById",
            "",
            "=",
            "runtime",
        ] {
            assert_eq!(find(t, WORDS, |_| true), None, "{t}");
        }
        assert_eq!(tokens("plain english words only").count(), 0);
        assert_eq!(
            tokens("a cnVudGltZQ= b").collect::<Vec<_>>(),
            [b"cnVudGltZQ"]
        );
    }

    #[test]
    fn tokens_are_the_candidate_runs_of_a_split() {
        let split = |t: &str| -> Vec<Vec<u8>> {
            t.as_bytes()
                .split(|c| sextet(*c).is_none())
                .filter(|r| {
                    let has = |f: fn(&u8) -> bool| usize::from(r.iter().any(f));
                    (MIN_CHARS..=MAX_CHARS).contains(&r.len())
                        && has(u8::is_ascii_uppercase)
                            + has(u8::is_ascii_lowercase)
                            + has(u8::is_ascii_digit)
                            >= 2
                })
                .take(MAX_TOKENS)
                .map(<[u8]>::to_vec)
                .collect()
        };
        let long = "Ab1 ".repeat(40) + &"AbcdEfghIjkl ".repeat(MAX_TOKENS + 3);
        for t in [
            "",
            "=",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
            "a cnVudGltZQ= b",
            "cnVudGltZQ==cnVudGltZQ",
            "+-/_+-/_+-/_ abcdefghij ABCDEFGHIJ 0123456789 abcdeFGHIJ",
            "xx\\u00e9é cnVu\ndGltZQ.Zm9vYmFyYmF6MTIz",
            "abcdefghI",
            "abcdefghIj",
            "abcdefghIjk",
            " abcdefghIj",
            "abcdefghIj ",
            "ab cdefghIjkl mnopqrsT1 uvwxyzABCDEFG",
            "Aaaaaaaaa.Aaaaaaaaaa.Aaaaaaaaaaa",
            "Can you drop the table booking for tonight?",
            "https://shop.example.com/products/42?color=blue",
            long.as_str(),
        ] {
            let ours: Vec<Vec<u8>> = tokens(t).map(<[u8]>::to_vec).collect();
            assert_eq!(ours, split(t), "{t}");
        }
    }

    /// [`ascii_alignments`] as first written, from the 6-bit values.
    fn ascii_alignments_by_sextets(token: &[u8]) -> [bool; 4] {
        let mut below_32 = [true; 4];
        let mut bit1_clear = [true; 4];
        // Character `j` of the token sits at place `j % 4` of its group: read whole groups.
        let groups = token.chunks_exact(4);
        let tail = groups.remainder();
        for g in groups {
            for k in 0..4 {
                let v = SEXTETS[usize::from(g[k])];
                below_32[k] &= v < 32;
                bit1_clear[k] &= v & 2 == 0;
            }
        }
        for (k, &c) in tail.iter().enumerate() {
            let v = SEXTETS[usize::from(c)];
            below_32[k] &= v < 32;
            bit1_clear[k] &= v & 2 == 0;
        }
        // With `missing` characters before it, the token's groups start at position (4 - m) % 4.
        std::array::from_fn(|m| below_32[(4 - m) % 4] && bit1_clear[(6 - m) % 4])
    }

    #[test]
    fn ascii_alignments_by_table_read_like_by_sextets() {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        let mut rng = crate::test_rng::TestRng::new(0x0DDB_1A5E_5BAD_5EED);
        let mut kept = 0;
        for _ in 0..50_000 {
            // Mostly the letters of the low values, so that alignments survive.
            let len = rng.below(70);
            let mut token = Vec::with_capacity(len);
            for _ in 0..len {
                let pool = if rng.below(2) == 0 { 32 } else { CHARS.len() };
                token.push(CHARS[rng.below(pool)]);
            }
            let want = ascii_alignments_by_sextets(&token);
            assert_eq!(ascii_alignments(&token), want, "{token:?}");
            kept += want.iter().filter(|a| **a).count();
        }
        assert!(kept > 1_000, "{kept}");
    }

    #[test]
    fn letter_gate_reads_like_every_alignment() {
        // Keywords cut at every alignment, their neighbours and random base64 characters,
        // joined at random: the gate never changes what is found.
        let mut pieces: Vec<String> = Vec::new();
        for word in [
            "runtime",
            "ProcessBuilder",
            "InvokerTransformer",
            "java.lang.Runtime",
        ] {
            for pad in 0..3 {
                let frag = cut(word, pad);
                pieces.push(frag.clone());
                pieces.push(frag[..frag.len() / 2].to_string());
                pieces.push(frag[frag.len() / 2..].to_string());
            }
        }
        for p in [
            " ",
            "=",
            ".",
            "/",
            "é",
            "AppleWebKit",
            "Chrome/120",
            "x86_64",
        ] {
            pieces.push(p.to_string());
        }
        const ALPHABET: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut found = 0;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..1 + rng.below(6) {
                if rng.below(3) == 0 {
                    for _ in 0..1 + rng.below(12) {
                        t.push(char::from(ALPHABET[rng.below(ALPHABET.len())]));
                    }
                } else {
                    t.push_str(&pieces[rng.below(pieces.len())]);
                }
            }
            let accepts: [fn(&Hit) -> bool; 2] = [|_| true, Hit::dominant];
            for accept in accepts {
                let gated = find_gated(&t, WORDS, accept, true);
                assert_eq!(gated, find_gated(&t, WORDS, accept, false), "{t:?}");
                found += usize::from(gated.is_some());
            }
        }
        // The generated texts hold keywords, not only misses.
        assert!(found > 1_000, "{found}");
    }

    #[test]
    fn long_and_many_tokens_are_bounded() {
        let long = "QUFB".repeat(MAX_CHARS);
        assert_eq!(find(&long, WORDS, |_| true), None);
        let many = format!(
            "{} {}",
            "AbcdEfghIjkl ".repeat(MAX_TOKENS),
            cut("runtime", 0)
        );
        assert_eq!(
            find(&many, WORDS, |_| true),
            None,
            "tokens past the bound are not read"
        );
        // Decoding never overruns its buffer at any alignment.
        let max = "z".repeat(MAX_CHARS - 1) + "A";
        let mut buf = [0u8; MAX_BYTES];
        for missing in 0..4 {
            assert!(decode(max.as_bytes(), missing, &mut buf) <= MAX_BYTES);
        }
    }

    /// Texts made of keyword fragments cut at every alignment, halves of them, random base64
    /// and hex characters and separators.
    fn fragments_and_tokens(rng: &mut crate::test_rng::TestRng, words: &[&str]) -> String {
        const ALPHABET: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        const HEX: &[u8] = b"0123456789abcdef";
        const SEPARATORS: [&str; 7] = [" ", "=", ".", "-", ":", "é", "\u{fffd}"];
        let mut t = String::new();
        for _ in 0..1 + rng.below(5) {
            match rng.below(4) {
                0 => {
                    let word = words[rng.below(words.len())];
                    let word = if rng.below(2) == 0 {
                        word.to_ascii_uppercase()
                    } else {
                        word.to_string()
                    };
                    let frag = cut(&word, rng.below(3));
                    // Mostly whole, else cut at either end.
                    let (from, to) = match rng.below(4) {
                        0 => (rng.below(3).min(frag.len()), frag.len()),
                        1 => (0, frag.len() - rng.below(frag.len() + 1) / 2),
                        _ => (0, frag.len()),
                    };
                    t.push_str(&frag[from..to]);
                }
                1 => {
                    for _ in 0..1 + rng.below(20) {
                        t.push(char::from(ALPHABET[rng.below(ALPHABET.len())]));
                    }
                }
                2 => {
                    for _ in 0..1 + rng.below(40) {
                        t.push(char::from(HEX[rng.below(HEX.len())]));
                    }
                }
                _ => t.push_str(SEPARATORS[rng.below(SEPARATORS.len())]),
            }
        }
        t
    }

    #[test]
    fn spellings_admit_every_text_a_keyword_is_found_in() {
        let spellings = Spellings::of(WORDS);
        let mut rng = crate::test_rng::TestRng::new(0x51E1_1195_0F00_D5ED);
        let (mut found, mut ruled_out) = (0, 0);
        for _ in 0..50_000 {
            let t = fragments_and_tokens(&mut rng, WORDS);
            let admitted = spellings.may_be_in(t.as_bytes());
            if find_gated(&t, WORDS, |_| true, false).is_some() {
                assert!(admitted, "{t:?}");
                found += 1;
            }
            ruled_out += usize::from(!admitted);
        }
        // Both answers are common: the test reads the test, not a gate that admits all.
        assert!(found > 5_000, "{found}");
        assert!(ruled_out > 5_000, "{ruled_out}");
    }

    #[test]
    fn spellings_of_hex_digits() {
        let spellings = Spellings::of(WORDS);
        assert!(!spellings.spelled_in_hex(false) && !spellings.spelled_in_hex(true));
        let mut rng = crate::test_rng::TestRng::new(0x0123_4567_89AB_CDEF);
        for _ in 0..20_000 {
            let hex: String = (0..1 + rng.below(80))
                .map(|_| char::from(b"0123456789abcdef-"[rng.below(17)]))
                .collect();
            assert!(!spellings.may_be_in(hex.as_bytes()), "{hex}");
            let upper = hex.to_ascii_uppercase();
            assert!(!spellings.may_be_in(upper.as_bytes()), "{upper}");
        }
        // A keyword one of whose groups hex digits spell: `b250` is `ont`.
        let ontology = Spellings::of(&["ontology"]);
        assert!(ontology.spelled_in_hex(false));
        assert!(!ontology.spelled_in_hex(true));
        assert!(ontology.may_be_in(b"12b250"));
    }

    #[test]
    fn spellings_of_short_keywords_admit_everything() {
        // A keyword of four bytes may hold no whole group: nothing is ruled out.
        let spellings = Spellings::of(&["exec", "runtime"]);
        assert!(spellings.may_be_in(b"0123456789"));
        assert!(spellings.spelled_in_hex(false));
    }
}
