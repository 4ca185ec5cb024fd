//! Feature extraction, the exact mirror of `training/features.py` (spec in training/README.md).
//!
//! One pass over the text: each byte is normalized, then fed to the char n-gram hashes and to
//! the tokenizer, and every feature is hashed on the fly into one of `2^bits` buckets. Nothing
//! is allocated and no normalized copy of the text is built. The plain two-pass form of the
//! spec lives in the tests as the reference this pass must agree with.

/// Only the first this many chars of a value are scored (bounds the work per value).
pub const MAX_CHARS: usize = 2000;
/// Character (byte) n-gram sizes, inclusive. The pass below hard-codes 1..=4.
pub const CHAR_N_MIN: usize = 1;
pub const CHAR_N_MAX: usize = 4;
/// Features are hashed into `2^BITS` buckets (one weight each).
pub const BITS: u32 = 18;
pub const BUCKETS: usize = 1 << BITS;
/// Marks both ends of the normalized text for the char n-grams.
const FRAME: u8 = 0x01;

const FNV_OFFSET: u32 = 0x811C_9DC5;
const FNV_PRIME: u32 = 0x0100_0193;
/// FNV-1a states after the one-byte prefixes `c`, `w` and `b` (char n-gram, word, bigram).
const CHAR_SEED: u32 = step(FNV_OFFSET, b'c');
const WORD_SEED: u32 = step(FNV_OFFSET, b'w');
const BIGRAM_SEED: u32 = step(FNV_OFFSET, b'b');

/// One FNV-1a byte step; every hash here is extended one byte at a time.
#[inline(always)]
const fn step(h: u32, b: u8) -> u32 {
    (h ^ b as u32).wrapping_mul(FNV_PRIME)
}

/// Murmur3's finalizer: FNV-1a alone mixes its low bits poorly, and buckets use the low bits.
#[inline(always)]
const fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

/// Final hash of the char 1-gram of each byte: the commonest feature, looked up, not computed.
const CHAR_1GRAM: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = fmix32(step(CHAR_SEED, i as u8));
        i += 1;
    }
    t
};

/// Normalized byte of each input byte: ASCII lowercased, every digit `0`, every ASCII
/// whitespace (`\t \n \x0b \x0c \r` and space) a space. Runs of the last two collapse.
const NORM: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'0'..=b'9' => b'0',
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => b' ',
            _ => b.to_ascii_lowercase(),
        };
        i += 1;
    }
    t
};

/// Token classes of normalized bytes; `NO_TOKEN` is the tokenizer state between tokens.
const NO_TOKEN: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const OTHER: u8 = 3;
const SPACE: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            b'a'..=b'z' | b'_' | 0x80..=0xff => LETTER,
            b'0'..=b'9' => DIGIT,
            b' ' => SPACE,
            _ => OTHER,
        };
        i += 1;
    }
    t
};

/// The bytes of `text` that are scored: its first `MAX_CHARS` chars.
fn scored_prefix(text: &str) -> &[u8] {
    // A char is at least one byte, so a short text needs no counting.
    if text.len() <= MAX_CHARS {
        return text.as_bytes();
    }
    let end = text
        .char_indices()
        .nth(MAX_CHARS)
        .map_or(text.len(), |(i, _)| i);
    &text.as_bytes()[..end]
}

/// The normalized bytes of a text, one at a time: its scored prefix with `NORM` applied and
/// digit and space runs collapsed.
struct Normalized<'a> {
    bytes: std::slice::Iter<'a, u8>,
    /// Last byte returned; the leading frame stands before the text.
    last: u8,
}

impl<'a> Normalized<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: scored_prefix(text).iter(),
            last: FRAME,
        }
    }
}

impl Iterator for Normalized<'_> {
    type Item = u8;

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        loop {
            let x = NORM[usize::from(*self.bytes.next()?)];
            // A digit or space continuing a digit or space run adds nothing.
            if x != self.last || (x != b'0' && x != b' ') {
                self.last = x;
                return Some(x);
            }
        }
    }
}

/// The FNV states of the char n-grams of lengths 1..=3 that end at the last byte fed.
struct CharGrams {
    s1: u32,
    s2: u32,
    s3: u32,
}

impl CharGrams {
    /// Starts with the leading frame byte: its 1-gram is emitted here.
    #[inline(always)]
    fn start(emit: &mut impl FnMut(u32)) -> Self {
        let s1 = step(CHAR_SEED, FRAME);
        emit(CHAR_1GRAM[usize::from(FRAME)]);
        Self { s1, s2: 0, s3: 0 }
    }

    /// Feeds byte `x` at framed position `pos`, 1 or 2, where no 4-gram (and at 1 no 3-gram)
    /// ends yet.
    #[inline(always)]
    fn feed_head(&mut self, x: u8, pos: usize, emit: &mut impl FnMut(u32)) {
        let (n1, n2, n3) = (step(CHAR_SEED, x), step(self.s1, x), step(self.s2, x));
        emit(CHAR_1GRAM[usize::from(x)]);
        emit(fmix32(n2));
        if pos == 2 {
            emit(fmix32(n3));
        }
        (self.s1, self.s2, self.s3) = (n1, n2, n3);
    }

    /// Feeds byte `x` at a framed position of at least 3: all four n-grams end there.
    #[inline(always)]
    fn feed(&mut self, x: u8, emit: &mut impl FnMut(u32)) {
        let (n1, n2, n3) = (step(CHAR_SEED, x), step(self.s1, x), step(self.s2, x));
        emit(CHAR_1GRAM[usize::from(x)]);
        emit(fmix32(n2));
        emit(fmix32(n3));
        emit(fmix32(step(self.s3, x)));
        (self.s1, self.s2, self.s3) = (n1, n2, n3);
    }
}

/// Token unigrams and bigrams, hashed while the token's bytes go by.
struct Tokens {
    /// Class of the token being read, `NO_TOKEN` between tokens.
    class: u8,
    /// `H(w + token)` so far.
    word: u32,
    /// `H(b + previous token + ' ' + token)` so far (meaningless without a previous token).
    bigram: u32,
    /// `H(b + token)` so far: the start of the next bigram.
    next_prefix: u32,
    /// `H(b + previous token + ' ')`, once a token has ended.
    prefix: Option<u32>,
}

impl Tokens {
    fn new() -> Self {
        Self {
            class: NO_TOKEN,
            word: 0,
            bigram: 0,
            next_prefix: 0,
            prefix: None,
        }
    }

    #[inline(always)]
    fn feed(&mut self, x: u8, emit: &mut impl FnMut(u32)) {
        let c = CLASS[usize::from(x)];
        // Letter and digit runs grow; an other byte is a token on its own.
        if c == self.class && c < OTHER {
            self.word = step(self.word, x);
            self.bigram = step(self.bigram, x);
            self.next_prefix = step(self.next_prefix, x);
            return;
        }
        self.finish(emit);
        if c != SPACE {
            self.class = c;
            self.word = step(WORD_SEED, x);
            self.bigram = step(self.prefix.unwrap_or(0), x);
            self.next_prefix = step(BIGRAM_SEED, x);
        }
    }

    /// Emits the token being read, if any.
    #[inline(always)]
    fn finish(&mut self, emit: &mut impl FnMut(u32)) {
        if self.class == NO_TOKEN {
            return;
        }
        emit(fmix32(self.word));
        if self.prefix.is_some() {
            emit(fmix32(self.bigram));
        }
        self.prefix = Some(step(self.next_prefix, b' '));
        self.class = NO_TOKEN;
    }
}

/// Calls `emit` with the hash of every feature of `text` (duplicates included), the char
/// n-grams of the framed, normalized text and its token unigrams and bigrams, in no particular
/// order. The bucket of a feature is `bucket(hash)`.
#[inline(always)]
pub fn for_each_feature(text: &str, mut emit: impl FnMut(u32)) {
    let mut grams = CharGrams::start(&mut emit);
    let mut tokens = Tokens::new();
    let mut norm = Normalized::new(text);
    // The first bytes after the leading frame start fewer n-grams: a short loop of their own
    // keeps the position out of the main loop.
    let mut head = 0;
    for x in norm.by_ref().take(2) {
        head += 1;
        grams.feed_head(x, head, &mut emit);
        tokens.feed(x, &mut emit);
    }
    for x in norm {
        grams.feed(x, &mut emit);
        tokens.feed(x, &mut emit);
    }
    tokens.finish(&mut emit);
    if head < 2 {
        grams.feed_head(FRAME, head + 1, &mut emit);
    } else {
        grams.feed(FRAME, &mut emit);
    }
}

/// Upper bound on the features `for_each_feature` emits for `text`: four n-grams per framed
/// byte, a unigram and a bigram per token, at most one token per byte.
pub fn max_features(text: &str) -> usize {
    6 * scored_prefix(text).len() + 8
}

/// Bucket of a feature hash.
#[inline(always)]
pub fn bucket(hash: u32) -> usize {
    hash as usize & (BUCKETS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn fnv1a(mut h: u32, bytes: &[u8]) -> u32 {
        for &b in bytes {
            h = step(h, b);
        }
        h
    }

    /// The spec's normalize + frame, written plainly.
    fn framed(text: &str) -> Vec<u8> {
        let end = text
            .char_indices()
            .nth(MAX_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let mut out = vec![FRAME];
        let (mut in_digits, mut in_space) = (false, false);
        for &b in &text.as_bytes()[..end] {
            let digit = b.is_ascii_digit();
            let space = matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
            if digit {
                if !in_digits {
                    out.push(b'0');
                }
            } else if space {
                if !in_space {
                    out.push(b' ');
                }
            } else {
                out.push(b.to_ascii_lowercase());
            }
            in_digits = digit;
            in_space = space;
        }
        out.push(FRAME);
        out
    }

    /// The spec's feature hashes, written plainly (as `bucket_set` in training/features.py).
    fn reference_features(text: &str) -> Vec<u32> {
        let framed = framed(text);
        let mut out = Vec::new();
        for n in CHAR_N_MIN..=CHAR_N_MAX {
            for g in framed.windows(n) {
                out.push(fmix32(fnv1a(FNV_OFFSET, &[b"c", g].concat())));
            }
        }
        let norm = &framed[1..framed.len() - 1];
        let mut toks: Vec<&[u8]> = Vec::new();
        let mut i = 0;
        while i < norm.len() {
            let c = CLASS[usize::from(norm[i])];
            let mut j = i + 1;
            if c == LETTER || c == DIGIT {
                while j < norm.len() && CLASS[usize::from(norm[j])] == c {
                    j += 1;
                }
            }
            if c != SPACE {
                toks.push(&norm[i..j]);
            }
            i = j;
        }
        for (k, t) in toks.iter().enumerate() {
            out.push(fmix32(fnv1a(FNV_OFFSET, &[b"w", *t].concat())));
            if k > 0 {
                let bigram = [b"b", toks[k - 1], b" ", t].concat();
                out.push(fmix32(fnv1a(FNV_OFFSET, &bigram)));
            }
        }
        out
    }

    fn features(text: &str) -> Vec<u32> {
        let mut v = Vec::new();
        for_each_feature(text, |h| v.push(h));
        v
    }

    #[test]
    fn normalizes_case_digits_and_spaces() {
        assert_eq!(framed("AbC  12x\n\n3"), b"\x01abc 0x 0\x01");
        assert_eq!(framed(""), b"\x01\x01");
        assert_eq!(framed("ÄB"), "\x01Äb\x01".as_bytes());
    }

    #[test]
    fn truncates_on_a_char_boundary() {
        let text = "é".repeat(MAX_CHARS + 10);
        assert_eq!(scored_prefix(&text).len(), 2 * MAX_CHARS);
        assert_eq!(framed(&text).len(), 2 * MAX_CHARS + 2);
        let ascii = "a".repeat(MAX_CHARS + 10);
        assert_eq!(scored_prefix(&ascii).len(), MAX_CHARS);
    }

    #[test]
    fn known_hashes_match_the_python_reference() {
        // Values printed by training/features.py: fmix32(fnv1a(b"c" + b"a")), fnv1a(b"w" + b"or").
        assert_eq!(fmix32(fnv1a(FNV_OFFSET, b"ca")), 0x125a_95af);
        assert_eq!(fnv1a(FNV_OFFSET, b"wor"), 0x1fe8_e04b);
        assert_eq!(
            bucket(CHAR_1GRAM[usize::from(b'a')]),
            0x125a_95af & 0x3_ffff
        );
    }

    #[test]
    fn counts_features() {
        // "\x01a\x01": 3 + 2 + 1 char n-grams, one token.
        assert_eq!(features("a").len(), 7);
        // "o'b": tokens o ' b -> 3 unigrams + 2 bigrams; 5 framed bytes -> 5+4+3+2 n-grams.
        assert_eq!(features("O'B").len(), 19);
        // "\x01\x01": 2 + 1 char n-grams, no token.
        assert_eq!(features("").len(), 3);
    }

    #[test]
    fn one_pass_equals_the_plain_spec() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "0",
            "12 34",
            "  a  ",
            "a",
            "ab",
            "abc",
            "O'Brien",
            "1' UNION SELECT password FROM users--",
            "<script>alert(document.cookie)</script>",
            "\t\n\x0b\x0c\r x99y__z\u{1}\u{1}",
            "é\u{FFFD}😀 Ünïcödé 123abc_DEF",
            "a1b2c3  ;;;  x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.push("é".repeat(MAX_CHARS + 3));
        texts.push("ab 1".repeat(MAX_CHARS));
        // Seeded random texts over an alphabet with every class, runs and frame bytes.
        let alphabet: Vec<char> = "aZ_0 9\t\n\r\u{b}\u{c}';<>-\u{1}éß😀".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            texts.push(s);
        }
        for t in &texts {
            let mut got = features(t);
            let mut want = reference_features(t);
            assert_eq!(got.len(), want.len(), "{t:?}");
            assert!(got.len() <= max_features(t), "{t:?}");
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{t:?}");
            let set: HashSet<u32> = got.into_iter().collect();
            assert!(!set.is_empty());
        }
    }
}
