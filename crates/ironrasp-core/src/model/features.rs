//! Feature extraction, the exact mirror of `training/features.py` (spec in training/README.md).
//!
//! Text is normalized into a byte buffer, then every feature is hashed on the fly into one of
//! `2^bits` buckets; nothing is allocated per feature.

/// Only the first this many chars of a value are scored (bounds the work per value).
pub const MAX_CHARS: usize = 2000;
/// Character (byte) n-gram sizes, inclusive.
pub const CHAR_N_MIN: usize = 1;
pub const CHAR_N_MAX: usize = 4;
/// Marks both ends of the normalized text for the char n-grams.
const FRAME: u8 = 0x01;

const FNV_OFFSET: u32 = 0x811C_9DC5;
const FNV_PRIME: u32 = 0x0100_0193;
const PREFIX_CHAR: u8 = b'c';
const PREFIX_WORD: u8 = b'w';
const PREFIX_BIGRAM: u8 = b'b';

#[inline]
fn fnv1a(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h = (h ^ u32::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

/// Murmur3's finalizer: FNV-1a alone mixes its low bits poorly, and buckets use the low bits.
#[inline]
fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

/// Writes `FRAME + normalize(text) + FRAME` into `out`: the first `MAX_CHARS` chars, ASCII
/// lowercased, every run of ASCII digits as one `0`, every run of ASCII whitespace
/// (`\t \n \x0b \x0c \r` and space) as one space.
pub fn normalize_framed(text: &str, out: &mut Vec<u8>) {
    let end = text
        .char_indices()
        .nth(MAX_CHARS)
        .map_or(text.len(), |(i, _)| i);
    out.clear();
    out.push(FRAME);
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
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Space,
    Other,
}

#[inline]
fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'_' | 0x80..=0xff => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b' ' => Class::Space,
        _ => Class::Other,
    }
}

/// Calls `emit` with the bucket of every feature of the framed, normalized text `framed`
/// (duplicates included): byte n-grams of `framed`, then token unigrams and bigrams of the text
/// between the frames.
pub fn for_each_bucket(framed: &[u8], bits: u32, mut emit: impl FnMut(u32)) {
    let mask = (1u32 << bits) - 1;
    let char_seed = fnv1a(FNV_OFFSET, &[PREFIX_CHAR]);
    for i in 0..framed.len() {
        let mut h = char_seed;
        for n in 1..=CHAR_N_MAX.min(framed.len() - i) {
            h = (h ^ u32::from(framed[i + n - 1])).wrapping_mul(FNV_PRIME);
            if n >= CHAR_N_MIN {
                emit(fmix32(h) & mask);
            }
        }
    }

    let norm: &[u8] = if framed.len() >= 2 {
        &framed[1..framed.len() - 1]
    } else {
        &[]
    };
    let word_seed = fnv1a(FNV_OFFSET, &[PREFIX_WORD]);
    let bigram_seed = fnv1a(FNV_OFFSET, &[PREFIX_BIGRAM]);
    let mut prev: Option<&[u8]> = None;
    let mut i = 0;
    while i < norm.len() {
        let c = class(norm[i]);
        let mut j = i + 1;
        match c {
            Class::Space => {
                i = j;
                continue;
            }
            Class::Letter | Class::Digit => {
                while j < norm.len() && class(norm[j]) == c {
                    j += 1;
                }
            }
            Class::Other => {}
        }
        let tok = &norm[i..j];
        emit(fmix32(fnv1a(word_seed, tok)) & mask);
        if let Some(p) = prev {
            let h = fnv1a(fnv1a(fnv1a(bigram_seed, p), b" "), tok);
            emit(fmix32(h) & mask);
        }
        prev = Some(tok);
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(text: &str) -> Vec<u8> {
        let mut v = Vec::new();
        normalize_framed(text, &mut v);
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
        let v = framed(&text);
        assert_eq!(v.len(), 2 * MAX_CHARS + 2);
    }

    #[test]
    fn known_hashes_match_the_python_reference() {
        // Values printed by training/features.py: fmix32(fnv1a(b"c" + b"a")), fnv1a(b"w" + b"or").
        assert_eq!(fmix32(fnv1a(FNV_OFFSET, b"ca")), 0x125a_95af);
        assert_eq!(fnv1a(FNV_OFFSET, b"wor"), 0x1fe8_e04b);
    }

    #[test]
    fn counts_features() {
        // "\x01a\x01": 3 + 2 + 1 char n-grams, one token.
        let mut n = 0;
        for_each_bucket(&framed("a"), 18, |_| n += 1);
        assert_eq!(n, 7);
        let mut n = 0;
        // "o'b": tokens o ' b -> 3 unigrams + 2 bigrams; 5 framed bytes -> 5+4+3+2 n-grams.
        for_each_bucket(&framed("O'B"), 18, |_| n += 1);
        assert_eq!(n, 19);
    }
}
