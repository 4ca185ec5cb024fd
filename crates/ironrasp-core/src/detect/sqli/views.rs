//! Other readings of a value that databases or the filters in front of them make: typographic
//! quotes that some servers' charset conversion turns into ASCII quotes (`’ or ‘1’=’1`), and
//! keywords split by an empty comment (`UNI/**/ON SEL/**/ECT`) for filters that delete
//! comments before the query runs. Each view is built only when the value has that trait.

use super::words::{classify_word, WordClass};

/// Bytes kept per view; longer values are judged on their original text only.
const MAX_VIEW: usize = 4096;
/// Comments removed per value.
const MAX_SPLICES: usize = 32;

/// The value with typographic single and double quotes replaced by ASCII ones, when it has any.
pub fn ascii_quotes(text: &str) -> Option<String> {
    if text.is_ascii() || text.len() > MAX_VIEW {
        return None;
    }
    // Every typographic quote starts with one of these bytes (UTF-8 `C2`, `CA`, `E2`, `EF`):
    // most non-ASCII text (accents, Cyrillic, CJK) is ruled out without decoding a character.
    // A lead byte is never a continuation byte, so `i` is a char boundary.
    let b = text.as_bytes();
    let quote_at = |i: usize| {
        text[i..]
            .chars()
            .next()
            .is_some_and(|c| single_quote(c) || double_quote(c))
    };
    // A byte loop on short values; on longer ones `memchr` finds the lead bytes several at a
    // time, which pays for setting it up.
    let found = if b.len() < 32 {
        b.iter()
            .enumerate()
            .any(|(i, &c)| matches!(c, 0xC2 | 0xCA | 0xE2 | 0xEF) && quote_at(i))
    } else {
        memchr::memchr3_iter(0xC2, 0xCA, 0xE2, b)
            .chain(memchr::memchr_iter(0xEF, b))
            .any(quote_at)
    };
    if !found {
        return None;
    }
    Some(
        text.chars()
            .map(|c| {
                if single_quote(c) {
                    '\''
                } else if double_quote(c) {
                    '"'
                } else {
                    c
                }
            })
            .collect(),
    )
}

fn single_quote(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{2032}'
            | '\u{00B4}'
            | '\u{02BC}'
            | '\u{FF07}'
    )
}

fn double_quote(c: char) -> bool {
    matches!(
        c,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{FF02}'
    )
}

/// The value with block comments that sit between two letters removed, when that joins the
/// letters into a grammar word (SELECT, UNION, FROM, OR, ...).
/// Returns the spliced text and the first word formed.
pub fn spliced_keywords(text: &str) -> Option<(String, String)> {
    let b = text.as_bytes();
    // A byte search for `*` first: most values have none (URLs and paths have many `/`), and
    // it builds no substring searcher.
    let opens_comment = memchr::memchr_iter(b'*', b).any(|i| i > 0 && b[i - 1] == b'/');
    if b.len() > MAX_VIEW || !opens_comment {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut formed: Option<String> = None;
    let mut prev = 0;
    let mut i = 0;
    let mut splices = 0;
    while let Some(p) = memchr::memmem::find(&b[i..], b"/*").map(|p| i + p) {
        let Some(end) = memchr::memmem::find(&b[p + 2..], b"*/").map(|e| p + 2 + e + 2) else {
            break;
        };
        i = end;
        let glued = p > 0
            && b[p - 1].is_ascii_alphabetic()
            && b.get(end).is_some_and(u8::is_ascii_alphabetic);
        if !glued || b.get(p + 2) == Some(&b'!') {
            continue;
        }
        splices += 1;
        if splices > MAX_SPLICES {
            break;
        }
        // Both offsets sit at ASCII bytes, so they are char boundaries.
        out.push_str(&text[prev..p]);
        prev = end;
        if formed.is_none() {
            let left = word_before(b, p);
            let right = word_after(b, end);
            let joined = format!("{}{}", &text[left..p], &text[end..right]);
            let grammar = |w: &str| {
                matches!(
                    classify_word(w),
                    WordClass::Statement | WordClass::Union | WordClass::Clause | WordClass::Logic
                )
            };
            if grammar(&joined) {
                formed = Some(joined);
            }
        }
    }
    let formed = formed?;
    out.push_str(&text[prev..]);
    Some((out, formed))
}

fn word_before(b: &[u8], mut p: usize) -> usize {
    while p > 0 && b[p - 1].is_ascii_alphabetic() {
        p -= 1;
    }
    p
}

fn word_after(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && b[p].is_ascii_alphabetic() {
        p += 1;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_quotes_become_ascii() {
        assert_eq!(
            ascii_quotes("\u{2019} or \u{2018}1\u{2019}=\u{2019}1").as_deref(),
            Some("' or '1'='1")
        );
        assert_eq!(ascii_quotes("plain 'ascii'"), None);
        assert_eq!(ascii_quotes("Zürich"), None);
        assert_eq!(ascii_quotes("Настройки …"), None);
        // The lead-byte test misses no character the quote lists hold.
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let quote = single_quote(c) || double_quote(c);
            assert_eq!(ascii_quotes(&format!("é{c}")).is_some(), quote, "{c:?}");
        }
        assert_eq!(
            ascii_quotes("\u{201C}hi\u{201D}").as_deref(),
            Some("\"hi\"")
        );
    }

    #[test]
    fn comments_inside_keywords_are_spliced() {
        let (v, w) = spliced_keywords("uni/**/on sel/**/ect 1").unwrap();
        assert_eq!(v, "union select 1");
        assert_eq!(w, "union");
        assert!(spliced_keywords("1/**/union/**/select").is_none());
        assert!(spliced_keywords("foo/*x*/bar").is_none());
        assert!(spliced_keywords("a /* note */ b").is_none());
        assert!(spliced_keywords("/*!50000uni*/on").is_none());
        let _ = spliced_keywords("é/*");
        let _ = spliced_keywords("a/*b");
    }
}
