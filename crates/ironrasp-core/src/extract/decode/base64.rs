//! Base64 (standard and URL-safe alphabets), decoded only when the text plausibly is base64
//! and the result is readable text. Ordinary words, numbers, hex strings and UUIDs never
//! qualify, by construction rather than by list:
//! - at least [`MIN_LEN`] characters, all from one alphabet, `=` only as final padding, and a
//!   length that base64 can have (padded: multiple of 4; unpadded: not 1 mod 4);
//! - at least two of upper case, lower case and digits (base64 of text nearly always mixes
//!   them; the symbols do not count, slugs and paths are full of `-`, `_` and `/`), and not
//!   only hex digits and `-` (hex digests, UUIDs);
//! - the decoded bytes are valid UTF-8 and at least [`MIN_PRINTABLE`] printable; short results
//!   must be all printable and mostly ASCII, since a few random bytes easily form valid but
//!   meaningless UTF-8 (`d-icotmico` would give "w蜢٢r").
//!
//! The decoded prefix is checked in a stack buffer first, so rejected candidates cost no
//! allocation. Query values reach us form-decoded, where an unencoded `+` became a space: when
//! a standard-alphabet candidate has spaces and no `+`, spaces are read as `+`.

use ::base64::alphabet;
use ::base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ::base64::Engine;

/// Shortest text taken as base64: 6 decoded bytes, enough for a short payload like `id;ls`.
pub const MIN_LEN: usize = 8;
/// Share of printable characters the decoded text must have.
pub const MIN_PRINTABLE: f64 = 0.9;
/// Below this many decoded characters every one must be printable.
const STRICT_BELOW: usize = 24;
/// Encoded characters checked in the stack buffer before decoding the whole text.
const PROBE: usize = 128;

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Which base64 alphabet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// `+` and `/`.
    Standard,
    /// `-` and `_`; only claimed when one of them occurs (otherwise Standard decodes it).
    UrlSafe,
}

impl Alphabet {
    fn symbols(self) -> (u8, u8) {
        match self {
            Alphabet::Standard => (b'+', b'/'),
            Alphabet::UrlSafe => (b'-', b'_'),
        }
    }

    fn engine(self) -> &'static GeneralPurpose {
        match self {
            Alphabet::Standard => &STANDARD,
            Alphabet::UrlSafe => &URL_SAFE,
        }
    }
}

/// What the byte scan learned about a candidate.
struct Shape {
    /// Spaces stand for `+` (form-decoded query value).
    spaces_are_plus: bool,
}

/// Plausibility check without allocation: the length, the alphabet and classes of the bytes
/// (one scan), and the decoded probe prefix in a stack buffer. False exactly when [`decode`]
/// gives None for a reason other than the decoding of the whole text, so words that pass the
/// byte tests by chance ("Remplissage" starts with a readable CJK character) are turned away
/// before the expansion reads them again.
pub fn applies(text: &str, alphabet: Alphabet) -> bool {
    probe(text.trim_ascii(), alphabet).is_some()
}

/// The byte tests of [`applies`] alone (length, alphabet and classes), without decoding.
pub fn may_be_base64(text: &str, alphabet: Alphabet) -> bool {
    let t = text.trim_ascii();
    head_fits(t.as_bytes(), alphabet) && shape(t, alphabet).is_some()
}

/// The length test and the head check: they reject most words, phrases and tokens before the
/// full scan of [`shape`].
fn head_fits(b: &[u8], alphabet: Alphabet) -> bool {
    b.len() >= MIN_LEN && length_may_fit(b) && head_is_readable(b, alphabet)
}

/// False when [`shape`] rejects `b` by its length alone: padding can only be a run of `=` at
/// the end, so a text ending otherwise is unpadded and must not be 1 mod 4 long, and a padded
/// one must be a multiple of 4.
fn length_may_fit(b: &[u8]) -> bool {
    if b.last() == Some(&b'=') {
        b.len() % 4 == 0
    } else {
        b.len() % 4 != 1
    }
}

/// The decoded text when `text` plausibly is base64 of readable text.
pub fn decode(text: &str, alphabet: Alphabet) -> Option<String> {
    let text = text.trim_ascii();
    let shape = probe(text, alphabet)?;
    let engine = alphabet.engine();
    let bytes = if shape.spaces_are_plus {
        engine.decode(text.replace(' ', "+")).ok()?
    } else {
        engine.decode(text.as_bytes()).ok()?
    };
    let decoded = String::from_utf8(bytes).ok()?;
    printable_enough(&decoded).then_some(decoded)
}

/// The checks of [`decode`] before the whole text is decoded, on `text` already trimmed:
/// [`head_fits`], then [`shape`], then a prefix of whole quanta (or the whole text when short)
/// decoded in a stack buffer.
fn probe(text: &str, alphabet: Alphabet) -> Option<Shape> {
    if !head_fits(text.as_bytes(), alphabet) {
        return None;
    }
    probe_past_head(text, alphabet)
}

/// [`probe`] past [`head_fits`], which turns away most texts: kept out of line so that its
/// callers stay small.
#[inline(never)]
fn probe_past_head(text: &str, alphabet: Alphabet) -> Option<Shape> {
    let b = text.as_bytes();
    let shape = shape(text, alphabet)?;
    let probe_len = if b.len() <= PROBE { b.len() } else { PROBE };
    let mut enc = [0u8; PROBE];
    enc[..probe_len].copy_from_slice(&b[..probe_len]);
    if shape.spaces_are_plus {
        enc[..probe_len]
            .iter_mut()
            .filter(|c| **c == b' ')
            .for_each(|c| *c = b'+');
    }
    let mut dec = [0u8; PROBE / 4 * 3];
    let n = alphabet
        .engine()
        .decode_slice(&enc[..probe_len], &mut dec)
        .ok()?;
    readable(&dec[..n], probe_len < b.len()).then_some(shape)
}

/// Lenient base64url decoding of one JWT segment (no plausibility checks: the JWT shape is
/// the evidence).
pub fn url_safe_bytes(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE.decode(segment).ok()
}

/// Lenient standard base64 decoding of a data URI payload (the `;base64,` marker is the
/// evidence).
pub fn standard_bytes(run: &[u8]) -> Option<Vec<u8>> {
    STANDARD.decode(run).ok()
}

fn shape(t: &str, alphabet: Alphabet) -> Option<Shape> {
    let b = t.as_bytes();
    if b.len() < MIN_LEN {
        return None;
    }
    let (s1, s2) = alphabet.symbols();
    let (mut upper, mut lower, mut digit, mut symbol) = (false, false, false, false);
    let (mut spaces, mut only_hex) = (0usize, true);
    let mut pad = 0usize;
    for &c in b {
        if pad > 0 && c != b'=' {
            return None;
        }
        match c {
            b'A'..=b'Z' => upper = true,
            b'a'..=b'z' => lower = true,
            b'0'..=b'9' => digit = true,
            b'=' => pad += 1,
            b' ' if alphabet == Alphabet::Standard => spaces += 1,
            _ if c == s1 || c == s2 => symbol = true,
            _ => return None,
        }
        only_hex &= c.is_ascii_hexdigit() || c == b'-';
    }
    let spaces_are_plus = spaces > 0;
    if pad > 2 || (spaces_are_plus && b.contains(&b'+')) {
        return None;
    }
    if alphabet == Alphabet::UrlSafe && !symbol {
        return None;
    }
    let classes = [upper, lower, digit].iter().filter(|&&x| x).count();
    if classes < 2 || only_hex {
        return None;
    }
    let len_ok = if pad > 0 {
        b.len() % 4 == 0
    } else {
        b.len() % 4 != 1
    };
    len_ok.then_some(Shape { spaces_are_plus })
}

/// Decodes the first two quanta by hand (6 bytes) and checks they can start readable text:
/// rejects most non-base64 candidates (random tokens, words) in a few nanoseconds. Only whole
/// quanta before the first byte outside the alphabet count.
fn head_is_readable(b: &[u8], alphabet: Alphabet) -> bool {
    let values = match alphabet {
        Alphabet::Standard => &STANDARD_SEXTETS,
        Alphabet::UrlSafe => &URL_SAFE_SEXTETS,
    };
    let mut bytes = [0u8; 6];
    let mut whole = 0;
    'quanta: for (quantum, out) in b.chunks_exact(4).take(2).zip(bytes.chunks_exact_mut(3)) {
        let mut acc: u32 = 0;
        for &c in quantum {
            let v = values[usize::from(c)];
            if v == NOT_IN_ALPHABET {
                break 'quanta;
            }
            acc = acc << 6 | u32::from(v);
        }
        out.copy_from_slice(&acc.to_be_bytes()[1..]);
        whole += 3;
    }
    readable_prefix(&bytes[..whole])
}

/// [`sextet`] of every byte, `NOT_IN_ALPHABET` for None: a table load instead of a chain of
/// range tests.
const NOT_IN_ALPHABET: u8 = 0xFF;
static STANDARD_SEXTETS: [u8; 256] = sextet_table(Alphabet::Standard);
static URL_SAFE_SEXTETS: [u8; 256] = sextet_table(Alphabet::UrlSafe);

const fn sextet_table(alphabet: Alphabet) -> [u8; 256] {
    let mut t = [NOT_IN_ALPHABET; 256];
    let mut i = 0;
    while i < 256 {
        if let Some(v) = sextet(i as u8, alphabet) {
            t[i] = v;
        }
        i += 1;
    }
    t
}

/// The 6-bit value of a base64 character (a space standing for `+`).
const fn sextet(c: u8, alphabet: Alphabet) -> Option<u8> {
    let (s1, s2) = match alphabet {
        Alphabet::Standard => (b'+', b'/'),
        Alphabet::UrlSafe => (b'-', b'_'),
    };
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b' ' if matches!(alphabet, Alphabet::Standard) => Some(62),
        _ if c == s1 => Some(62),
        _ if c == s2 => Some(63),
        _ => None,
    }
}

/// Bytes that may begin readable UTF-8 text: no control characters, valid UTF-8 up to a cut
/// multi-byte sequence at the end.
fn readable_prefix(bytes: &[u8]) -> bool {
    // ASCII bytes settle most heads (words read as base64 decode to ASCII controls) without
    // decoding: an ASCII control is a control character wherever it stands (an ASCII byte is
    // never part of a multi-byte sequence, and one cut at the end holds none), and ASCII
    // without controls is readable.
    if bytes.iter().any(|&c| ascii_control(c)) {
        return false;
    }
    bytes.is_ascii() || (!surely_invalid_utf8(bytes) && readable_prefix_by_decoding(bytes))
}

/// True when `bytes` break UTF-8 where any decoder would see it, read from each byte and its
/// neighbours: a byte that never occurs (`C0`, `C1`, `F5`..), a continuation byte first or
/// after an ASCII byte, a lead byte followed by anything but a continuation byte. Most heads
/// of words read as base64 fail here, without the library call; a sequence cut at the end is
/// not flagged (a head may end inside a character).
fn surely_invalid_utf8(bytes: &[u8]) -> bool {
    // 0 ASCII, 1 continuation, 2 lead, 3 never valid.
    let kind = |c: u8| match c {
        0x00..=0x7F => 0,
        0x80..=0xBF => 1,
        0xC2..=0xF4 => 2,
        _ => 3,
    };
    let mut prev = 0;
    for &c in bytes {
        let k = kind(c);
        // A continuation byte needs a lead or a continuation byte before it; a lead byte
        // needs a continuation byte after it.
        if k == 3 || (k == 1 && prev == 0) || (prev == 2 && k != 1) {
            return true;
        }
        prev = k;
    }
    false
}

/// [`readable_prefix`] without its ASCII shortcut.
fn readable_prefix_by_decoding(bytes: &[u8]) -> bool {
    valid_text(bytes, true).is_some_and(|v| {
        v.chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    })
}

/// `bytes` as text when they are valid UTF-8, or, with `cut_ok`, valid up to a sequence cut
/// at the end (then the valid part).
fn valid_text(bytes: &[u8], cut_ok: bool) -> Option<&str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) if cut_ok && e.error_len().is_none() => {
            Some(std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""))
        }
        Err(_) => None,
    }
}

/// An ASCII control character other than tab and line ends.
fn ascii_control(c: u8) -> bool {
    (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) || c == 0x7F
}

/// Checks decoded probe bytes: valid UTF-8 (a sequence cut at the end of a partial probe is
/// fine) and printable enough.
fn readable(bytes: &[u8], partial: bool) -> bool {
    // Only the tail of a partial probe may be cut: the valid part decides.
    valid_text(bytes, partial).is_some_and(printable_enough)
}

/// Valid text worth inspecting: at least [`MIN_PRINTABLE`] printable, all printable and mostly
/// ASCII when short.
pub fn printable_enough(s: &str) -> bool {
    let (mut total, mut printable, mut ascii) = (0usize, 0usize, 0usize);
    for c in s.chars() {
        total += 1;
        ascii += usize::from(c.is_ascii());
        if !c.is_control() || matches!(c, '\t' | '\n' | '\r') {
            printable += usize::from(c != '\u{FFFD}');
        }
    }
    if total == 0 {
        return false;
    }
    if total < STRICT_BELOW {
        return printable == total && ascii * 4 >= total * 3;
    }
    printable as f64 >= MIN_PRINTABLE * total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::{STANDARD as STD, URL_SAFE_NO_PAD};

    fn dec(s: &str, a: Alphabet) -> Option<String> {
        if !applies(s, a) {
            assert_eq!(decode(s, a), None);
        }
        decode(s, a)
    }

    #[test]
    fn length_test_rejects_only_what_shape_rejects() {
        let alphabet = b"aZ09+/-_= x";
        let mut rng = crate::test_rng::TestRng::new(0x5DEE_CE66_D1CE_4E5B);
        for _ in 0..50_000 {
            let len = rng.below(15);
            let s: String = (0..len)
                .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
                .collect();
            if !length_may_fit(s.as_bytes()) {
                for a in [Alphabet::Standard, Alphabet::UrlSafe] {
                    assert!(shape(&s, a).is_none(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn shortcuts_of_the_head_check_are_exact() {
        // Every one- and two-byte head, then six-byte heads mixing ASCII (controls among it),
        // lead and continuation bytes of every length, C1 controls and U+FFFD.
        for a in 0..=255u8 {
            assert_eq!(readable_prefix(&[a]), readable_prefix_by_decoding(&[a]));
            for b in 0..=255u8 {
                let h = [a, b];
                assert_eq!(
                    readable_prefix(&h),
                    readable_prefix_by_decoding(&h),
                    "{h:?}"
                );
            }
        }
        let pool = [
            0x00, 0x05, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0,
            0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xBD,
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2F1B_7A53_0C9D_E611);
        for _ in 0..200_000 {
            let len = rng.below(7);
            let h: Vec<u8> = (0..len).map(|_| pool[rng.below(pool.len())]).collect();
            assert_eq!(
                readable_prefix(&h),
                readable_prefix_by_decoding(&h),
                "{h:?}"
            );
            if surely_invalid_utf8(&h) {
                assert_eq!(valid_text(&h, true), None, "{h:?}");
            }
        }
    }

    /// [`head_is_readable`] as it was first written: a byte at a time with [`sextet`].
    fn head_is_readable_by_sextets(b: &[u8], alphabet: Alphabet) -> bool {
        let mut bytes = [0u8; 6];
        let (mut acc, mut n) = (0u32, 0);
        for &c in b.iter().take(8) {
            let Some(v) = sextet(c, alphabet) else { break };
            acc = acc << 6 | u32::from(v);
            n += 1;
            if n % 4 == 0 {
                let k = n / 4 * 3;
                bytes[k - 3..k].copy_from_slice(&acc.to_be_bytes()[1..]);
                acc = 0;
            }
        }
        readable_prefix_by_decoding(&bytes[..n / 4 * 3])
    }

    #[test]
    fn head_check_agrees_with_a_byte_at_a_time() {
        // Bytes outside both alphabets, and every character of both (so the decoded bytes
        // take every value: controls, ASCII, lead and continuation bytes).
        let odd = b"=.%\\\xff";
        let all = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_ ";
        let mut rng = crate::test_rng::TestRng::new(0x7F4A_7C15_9E37_79B9);
        for _ in 0..200_000 {
            let len = rng.below(12);
            let s: Vec<u8> = (0..len).map(|_| all[rng.below(all.len())]).collect();
            let mut r = s.clone();
            if !r.is_empty() {
                let at = rng.below(r.len());
                r[at] = odd[rng.below(odd.len())];
            }
            for h in [s, r] {
                for a in [Alphabet::Standard, Alphabet::UrlSafe] {
                    assert_eq!(
                        head_is_readable(&h, a),
                        head_is_readable_by_sextets(&h, a),
                        "{h:?} {a:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn attacks_in_base64_decode() {
        let xss = "<script>alert(document.cookie)</script>";
        assert_eq!(dec(&STD.encode(xss), Alphabet::Standard).unwrap(), xss);
        let sqli = "' UNION SELECT username, password FROM users--";
        assert_eq!(dec(&STD.encode(sqli), Alphabet::Standard).unwrap(), sqli);
        assert_eq!(dec("aWQ7bHM=", Alphabet::Standard).unwrap(), "id;ls");
        // Unpadded standard alphabet decodes too.
        assert_eq!(
            dec("Li4vLi4vZXRjL3Bhc3N3ZA", Alphabet::Standard).unwrap(),
            "../../etc/passwd"
        );
    }

    #[test]
    fn base64url_of_an_attack() {
        let payload = "<svg/onload=alert(1)>?>>";
        let enc = URL_SAFE_NO_PAD.encode(payload);
        assert!(enc.contains('-') || enc.contains('_'), "{enc}");
        assert_eq!(dec(&enc, Alphabet::UrlSafe).unwrap(), payload);
        // The standard decoder does not claim it.
        assert_eq!(dec(&enc, Alphabet::Standard), None);
    }

    #[test]
    fn url_safe_needs_its_own_symbols() {
        let enc = STD.encode("../../etc/passwd");
        assert!(!applies(&enc, Alphabet::UrlSafe));
    }

    #[test]
    fn spaces_from_form_decoding_are_read_as_plus() {
        let payload = "a>>b<script>x</script>";
        let enc = STD.encode(payload);
        assert_eq!(enc.matches('+').count(), 2, "{enc}");
        assert_eq!(
            dec(&enc.replace('+', " "), Alphabet::Standard).unwrap(),
            payload
        );
    }

    #[test]
    fn ordinary_values_are_not_base64() {
        let words = [
            "Lyon",
            "page",
            "1407",
            "admin123",
            "Hello World",
            "Hello",
            "password",
            "userName",
            "deadbeefcafe0123",
            "550e8400-e29b-41d4-a716-446655440000",
            "#074024",
            "074024aa",
            "ThisIsATest",
            "Hello World 2024",
            "select a size",
            "Tom & Jerry",
            "O'Brien",
            "2024-01-15",
            "john.doe@example.com",
            "ORDER12345",
            "abcdefgh",
            "ABCDEFGH",
            "12345678",
            "session_id",
            "my-long-slug-2024",
            "Jean-Pierre",
            "Content-Type",
            "Mozilla/5.0",
            "application/json",
            "/api/v1/users",
        ];
        for w in words {
            for a in [Alphabet::Standard, Alphabet::UrlSafe] {
                assert_eq!(dec(w, a), None, "{w:?} {a:?}");
            }
        }
    }

    #[test]
    fn short_results_must_be_mostly_ascii() {
        let enc = STD.encode("＜svg onload=alert(1)＞");
        assert_eq!(
            dec(&enc, Alphabet::Standard).unwrap(),
            "＜svg onload=alert(1)＞"
        );
        assert_eq!(dec(&STD.encode("蜢蜢蜢x"), Alphabet::Standard), None);
        let long = "Привет, как дела? Всё хорошо, спасибо.";
        assert_eq!(dec(&STD.encode(long), Alphabet::Standard).unwrap(), long);
    }

    #[test]
    fn binary_and_bad_padding_are_refused() {
        let png = STD.encode([
            0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe,
        ]);
        assert_eq!(dec(&png, Alphabet::Standard), None);
        assert_eq!(dec("aWQ7bHM===", Alphabet::Standard), None);
        assert_eq!(dec("aWQ7=bHM", Alphabet::Standard), None);
        assert_eq!(dec("aWQ7bHMab", Alphabet::Standard), None); // 9 chars: 1 mod 4
    }

    #[test]
    fn long_text_is_probed_then_decoded_whole() {
        let text = "The quick brown fox; ".repeat(40) + "<script>x</script>";
        let enc = STD.encode(&text);
        assert!(enc.len() > PROBE);
        assert_eq!(dec(&enc, Alphabet::Standard).unwrap(), text);
        let mut binary_tail = text.into_bytes();
        binary_tail.extend(std::iter::repeat_n(0u8, 400));
        assert_eq!(dec(&STD.encode(&binary_tail), Alphabet::Standard), None);
    }
}
