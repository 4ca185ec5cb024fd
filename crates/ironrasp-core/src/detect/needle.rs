//! Substring search for short fixed needles (rule words, markers). `str::find` and its relatives
//! set up a Two-Way searcher on every call, which on the short values read here cost more
//! than the rules themselves (over half of an attack's instructions); these find the needle's
//! first byte with `memchr` and compare the rest in place. Long values go to `memmem`, whose
//! setup pays off there and whose time is linear. Results are those of `str::find` and
//! `str::match_indices` (leftmost, non-overlapping): a UTF-8 needle matched byte for byte in
//! UTF-8 text starts on a character boundary.

/// Haystacks up to this length are compared in place (at most this many times the needle's
/// length in byte comparisons).
const SHORT: usize = 256;

/// Haystacks up to this length are searched for a byte without `memchr`'s dispatch to its
/// vector code, whose fixed cost (about 100 instructions) is most of a search in a word or two.
const SHORT_BYTES: usize = 16;

/// The first position of byte `x` or `y` in `hay`, as `memchr::memchr2`.
pub(crate) fn byte2(x: u8, y: u8, hay: &[u8]) -> Option<usize> {
    if hay.len() <= SHORT_BYTES {
        hay.iter().position(|&c| c == x || c == y)
    } else {
        memchr::memchr2(x, y, hay)
    }
}

/// Every position of byte `x` or `y` in `hay`, left to right, as `memchr::memchr2_iter`.
pub(crate) fn byte2_iter(x: u8, y: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + byte2(x, y, hay.get(from..)?)?;
        from = at + 1;
        Some(at)
    })
}

/// The first occurrence of `needle` in `hay` at or after byte `from`.
pub(crate) fn find_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes().get(from..)?;
    let n = needle.as_bytes();
    let Some((&first, rest)) = n.split_first() else {
        return Some(from);
    };
    if h.len() < n.len() {
        return None;
    }
    if h.len() > SHORT {
        return memchr::memmem::find(h, n).map(|p| from + p);
    }
    memchr::memchr_iter(first, &h[..=h.len() - n.len()])
        .find(|&i| &h[i + 1..i + n.len()] == rest)
        .map(|p| from + p)
}

/// The first occurrence of `needle` in `hay`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    find_from(hay, needle, 0)
}

/// Whether `h` starts with `lower` (lower-case ASCII) in any ASCII case.
pub(crate) fn starts_with_nocase(h: &[u8], lower: &[u8]) -> bool {
    h.get(..lower.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(lower))
}

/// `needle` occurs in `hay`.
pub(crate) fn has(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// Starts of the non-overlapping occurrences of `needle` (not empty) in `hay`, left to
/// right.
pub(crate) fn sites<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        let at = find_from(hay, needle, from)?;
        from = at + needle.len();
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte2_finds_what_memchr2_finds() {
        let text = "ab:c@dé\u{3002}:x".repeat(3);
        let b = text.as_bytes();
        for from in 0..b.len() {
            for to in from..=b.len() {
                let hay = &b[from..to];
                for (x, y) in [(b':', b'@'), (b'\r', b'\n'), (0xE3, 0x82)] {
                    assert_eq!(byte2(x, y, hay), memchr::memchr2(x, y, hay), "{hay:?}");
                    assert!(
                        byte2_iter(x, y, hay).eq(memchr::memchr2_iter(x, y, hay)),
                        "{hay:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn needle_search_finds_what_std_finds() {
        let long = format!(
            "{}system(x) posix_kill{}",
            "ab".repeat(200),
            "é".repeat(150)
        );
        let hays = [
            "",
            "a",
            "aaaa",
            "system('id'); system",
            "x<?php <? <?= ?>",
            "é<!--#exec é<!--#",
            "__proto____proto__",
            long.as_str(),
        ];
        let needles = [
            "a",
            "aa",
            "system",
            "<?",
            "<!--#",
            "__proto__",
            "é",
            "posix_",
            "zz",
        ];
        for h in hays {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
                assert_eq!(has(h, n), h.contains(n), "{h:?} {n:?}");
                let ours: Vec<usize> = sites(h, n).collect();
                let std: Vec<usize> = h.match_indices(n).map(|(i, _)| i).collect();
                assert_eq!(ours, std, "{h:?} {n:?}");
            }
        }
        assert_eq!(find("abc", ""), Some(0));
        assert_eq!(sites("abc", "").count(), 0);
    }
}
