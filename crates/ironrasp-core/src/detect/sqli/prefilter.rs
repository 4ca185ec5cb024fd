//! Cheap first: a byte-class pass and one word scan decide whether a value could carry
//! SQL structure at all. Quoted contexts need a quote plus something SQL does after it; bare
//! values need an SQL keyword as a whole word, or `||` / `&&`.

use super::lexer::is_word_byte;
use super::words::{is_catalog_name, word_match, LengthGate};

// Words without which no bare value can carry structure (statement heads, set and logic
// operators, clauses that start a probe, time functions).
word_match!(TRIGGER_WORDS, fn is_trigger_word -> bool {
    b"select" | b"union" | b"insert" | b"update" | b"delete" | b"drop" | b"exec"
    | b"execute" | b"declare" | b"waitfor" | b"shutdown" | b"sleep" | b"benchmark" | b"pg_sleep"
    | b"or" | b"and" | b"xor" | b"like" | b"rlike" | b"regexp" | b"order"
    | b"group" | b"having" | b"into" | b"procedure" | b"truncate" | b"create" | b"alter"
    | b"do" | b"set" | b"call" | b"load" | b"extractvalue" | b"updatexml" | b"intersect"
    | b"except" | b"where" | b"begin" | b"if" => true,
    _ => false,
});

static TRIGGER_GATE: LengthGate = LengthGate::new(TRIGGER_WORDS);

/// Whether any context could find SQL structure in `text`: `None` when none can, else
/// whether a quote came before the shape or keyword that decided it (a value with a quote is
/// never plain text for [`super::prose`], so the caller skips that gate).
///
/// Shapes, each decided at one signal byte from its neighbours: a quote with an operator or a
/// clause sign elsewhere (`' or 1=1`, `'&'`, `A' | 'B`), `||` / `&&`, a call `name(` (a name
/// of two letters or more, not glued to a digit on its left: `1x(` is a number with a
/// suffix), a server variable `@@name`, a PostgreSQL cast `::int`; else an SQL keyword.
///
/// One pass reads both the signal bytes and the words (no signal byte is a word letter), and
/// stops at the first shape or keyword.
pub fn sql_signal(text: &str) -> Option<bool> {
    let b = text.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let mut quote = false;
    let mut after_quote_sign = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let class = CLASS[c as usize];
        if class == 0 {
            // ASCII runs of such bytes are short (a space): stepping is cheaper there.
            i = if c < 0x80 {
                i + 1
            } else {
                plain_run_end(b, i + 1)
            };
            continue;
        }
        if class == LETTER {
            let (end, underscore) = word_end(b, i);
            if is_keyword(b, i, end, underscore) {
                return Some(quote);
            }
            i = end;
            continue;
        }
        let prev = if i > 0 { b[i - 1] } else { 0 };
        match c {
            b'\'' | b'"' => {
                quote = true;
                // An operator right after a quote (`'&'`, `A' | 'B`): MySQL implicit conversion.
                let next = b[i + 1..].iter().find(|&&n| !matches!(n, b' ' | b'\t'));
                if next.is_some_and(|n| {
                    matches!(n, b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^')
                }) {
                    after_quote_sign = true;
                }
            }
            b'(' => {
                if is_call_name(&b[..i]) {
                    return Some(quote);
                }
                after_quote_sign = true;
            }
            b'=' | b'<' | b'>' | b'#' | b';' | b')' => after_quote_sign = true,
            b'-' if prev == b'-' => after_quote_sign = true,
            b'*' if prev == b'*' || prev == b'/' => after_quote_sign = true,
            b'|' | b'&' if prev == c => return Some(quote),
            b'@' if prev == b'@' => return Some(quote),
            b':' if prev == b':' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                return Some(quote)
            }
            _ => {}
        }
        if quote && after_quote_sign {
            return Some(quote);
        }
        i += 1;
    }
    None
}

/// Whether `before` (the text up to a `(`) ends with a name that the `(` calls: a letter last
/// (spaces and tabs allowed before the `(`), two letters or `_` at least in its run, and no
/// digit right before the run. Linear overall: the scan stops at the previous solid byte, and
/// a `(` is solid itself.
fn is_call_name(before: &[u8]) -> bool {
    let end = before
        .iter()
        .rposition(|&c| !matches!(c, b' ' | b'\t'))
        .map_or(0, |p| p + 1);
    let word = &before[..end];
    if !word.last().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let start = word
        .iter()
        .rposition(|&c| !(c.is_ascii_alphabetic() || c == b'_'))
        .map_or(0, |p| p + 1);
    end - start >= 2 && !(start > 0 && word[start - 1].is_ascii_digit())
}

/// [`CLASS`] of a word letter (ASCII letters and `_`: the bytes of the words read).
const LETTER: u8 = 1;
/// [`CLASS`] of a byte at which one of the shapes of [`sql_signal`] can start or end.
const SIGNAL: u8 = 2;

/// Every other byte only matters as the neighbour of one of these, so the scan jumps from one
/// to the next.
static CLASS: [u8; 256] = {
    let signal = crate::detect::prefilter::byte_set(b"'\"=<>#;()-*|&@:");
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphabetic() || b == b'_' {
            t[c] = LETTER;
        } else if signal[c] {
            t[c] = SIGNAL;
        }
        c += 1;
    }
    t
};

/// End of the run of bytes of [`CLASS`] 0 from `i`: eight bytes at a time while none of them
/// has a class, which skips most of a non-ASCII word (Cyrillic, CJK) per step.
fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        if chunk.iter().any(|&c| CLASS[c as usize] != 0) {
            break;
        }
        i += 8;
    }
    while i < b.len() && CLASS[b[i] as usize] == 0 {
        i += 1;
    }
    i
}

/// End of the run of word letters starting at `i`, and whether it holds a `_`.
fn word_end(b: &[u8], mut i: usize) -> (usize, bool) {
    let mut underscore = false;
    while i < b.len() && CLASS[b[i] as usize] == LETTER {
        underscore |= b[i] == b'_';
        i += 1;
    }
    (i, underscore)
}

/// Whether the word `b[start..end]` (a whole run of letters and `_`) is a keyword: a scanner
/// of words is cheaper than a multi-pattern automaton for a few dozen short keywords and gives
/// whole-word matches directly. Digits may touch a keyword on its left: MySQL reads `1union`
/// and `/*!50000union*/` as keywords.
fn is_keyword(b: &[u8], start: usize, end: usize, underscore: bool) -> bool {
    let glued_left = start > 0 && is_word_byte(b[start - 1]) && !b[start - 1].is_ascii_digit();
    let glued_right = end < b.len() && is_word_byte(b[end]);
    if glued_left || glued_right {
        return false;
    }
    let word = &b[start..end];
    let len = word.len();
    // System catalogs with `_` in their name (`information_schema`, `pg_catalog`); the word
    // holds no quote or bracket to trim.
    if underscore && is_catalog_name(word) {
        return true;
    }
    // Every trigger word has 2 to 12 bytes; most words fail the gate before the copy.
    if !TRIGGER_GATE.may_hold(word) {
        return false;
    }
    let mut buf = [0u8; 12];
    for (d, s) in buf.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    is_trigger_word(&buf[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn may_be_sql(text: &str) -> bool {
        sql_signal(text).is_some()
    }

    #[test]
    fn plain_values_are_skipped() {
        for s in [
            "garvn",
            "34419",
            "puente la reina/gares",
            "#074024",
            "John Smith",
            "ordering",
            "x",
            "forward",
            "10:30::",
            "x::1",
            "a b(c",
            "a_(",
            "1x(2",
            "12 (3)",
            "email@ex",
        ] {
            assert!(!may_be_sql(s), "{s}");
        }
    }

    #[test]
    fn every_trigger_word_passes_in_any_case() {
        for w in TRIGGER_WORDS {
            let w = std::str::from_utf8(w).unwrap();
            assert!(may_be_sql(w), "{w}");
            assert!(
                may_be_sql(&format!("x {} y", w.to_ascii_uppercase())),
                "{w}"
            );
        }
    }

    #[test]
    fn a_quote_before_the_deciding_word_is_reported() {
        assert_eq!(sql_signal("I'd like to order"), Some(true));
        assert_eq!(sql_signal("drop it, it's fine"), Some(false));
        assert_eq!(sql_signal("it's"), None);
    }

    #[test]
    fn sql_shapes_pass() {
        for s in [
            "1 or 1=1",
            "admin'--",
            "1 UNION SELECT 1",
            "x'='x",
            "1||1",
            "sleep(5)",
            "a /*!union*/",
            "' & '",
            "A'|'B",
            "password::int",
            "from information_schema.tables",
            "ab (x",
            "_a\t(",
            "x @@version",
            "a::b",
            "x' \t+ 'y",
        ] {
            assert!(may_be_sql(s), "{s}");
        }
    }
}
