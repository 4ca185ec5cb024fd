//! Cheap first: a byte-class pass and one word scan decide whether a value could carry
//! SQL structure at all. Quoted contexts need a quote plus something SQL does after it; bare
//! values need an SQL keyword as a whole word, or `||` / `&&`. The same pass tells whether the
//! value can have another reading (typographic quotes, comments inside words).

use super::lexer::is_word_byte;
use super::structure::is_name_statement_head;
use super::words::{classify_word, is_catalog_name, word_match, LengthGate, WordClass, CATALOGS};

// Words without which no bare value can carry structure (statement heads, set and logic
// operators, clauses that start a probe, time functions, CASE that tests a condition in an
// ORDER BY).
word_match!(TRIGGER_WORDS, fn is_trigger_word -> bool {
    b"select" | b"union" | b"insert" | b"update" | b"delete" | b"drop" | b"exec"
    | b"execute" | b"declare" | b"waitfor" | b"shutdown" | b"sleep" | b"benchmark" | b"pg_sleep"
    | b"or" | b"and" | b"xor" | b"like" | b"rlike" | b"regexp" | b"order"
    | b"group" | b"having" | b"into" | b"procedure" | b"truncate" | b"create" | b"alter"
    | b"do" | b"set" | b"call" | b"load" | b"extractvalue" | b"updatexml" | b"intersect"
    | b"except" | b"where" | b"begin" | b"if" | b"case" => true,
    _ => false,
});

static TRIGGER_GATE: LengthGate = LengthGate::new(TRIGGER_WORDS);
/// Lets through every word [`is_keyword`] may accept (trigger words and catalog names): one
/// table load rejects most words of prose.
static KEYWORD_GATE: LengthGate = LengthGate::new(TRIGGER_WORDS).and(&CATALOGS);

/// What one pass over a value tells [`super::inspect`]: whether SQL structure is possible, and
/// whether the other readings of [`super::views`] can exist, so a plain value is read once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signals {
    /// [`sql_signal`]'s answer.
    pub sql: Option<bool>,
    /// Whether the value may hold `/*`: false only when the pass read all of it and met none
    /// (no comment to splice, see [`super::views::spliced_keywords`]).
    pub comment: bool,
    /// Whether the value may hold a lead byte of a typographic quote (`C2`, `CA`, `E2`, `EF`):
    /// false only when the pass read all of it and met none (see [`super::views::ascii_quotes`]).
    pub typographic: bool,
}

/// Whether any context could find SQL structure in `text`: `None` when none can, else
/// whether a quote came before the shape or keyword that decided it (a value with a quote is
/// never plain text for [`super::prose`], so the caller skips that gate).
///
/// Shapes, each decided at one signal byte from its neighbours: a quote with an operator or a
/// clause sign elsewhere (`' or 1=1`, `'&'`, `A' | 'B`), `||` / `&&`, a call `name(` (a name
/// of two letters or more, not glued to a digit on its left: `1x(` is a number with a
/// suffix), a server variable `@@name`, a PostgreSQL cast `::int`; else an SQL keyword.
pub fn sql_signal(text: &str) -> Option<bool> {
    scan(text).sql
}

/// [`sql_signal`] and the traits the views need, in one pass. The pass reads both the signal
/// bytes and the words (no signal byte is a word letter), and stops at the first shape or
/// keyword.
pub fn scan(text: &str) -> Signals {
    let b = text.as_bytes();
    let mut seen = Signals {
        sql: None,
        comment: false,
        typographic: false,
    };
    if b.len() < 2 {
        // A single byte is ASCII and no comment: no view either.
        return seen;
    }
    // Stopped early: the view traits of the rest are unknown, reported as possible (the
    // views' own searches decide them).
    let found = |quote: bool| Signals {
        sql: Some(quote),
        comment: true,
        typographic: true,
    };
    let mut quote = false;
    let mut after_quote_sign = false;
    // The last signal byte was a `;`, with no word since (white space and digits between).
    let mut semicolon = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match CLASS[c as usize] {
            PLAIN => {
                // ASCII runs of such bytes are short (a space): stepping is cheaper there.
                i = if c < 0x80 {
                    i + 1
                } else {
                    plain_run_end(b, i + 1)
                };
                continue;
            }
            LETTER => {
                let start = i;
                i = word_end(b, i + 1);
                if is_keyword(b, start, i) || (semicolon && stacked_head(b, start, i)) {
                    return found(quote);
                }
                semicolon = false;
                continue;
            }
            QUOTE_LEAD => {
                seen.typographic = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        semicolon = c == b';';
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
                    return found(quote);
                }
                after_quote_sign = true;
            }
            b'=' | b'<' | b'>' | b'#' | b';' | b')' => after_quote_sign = true,
            b'-' if prev == b'-' => after_quote_sign = true,
            b'*' if prev == b'*' || prev == b'/' => {
                seen.comment |= prev == b'/';
                after_quote_sign = true;
            }
            b'|' | b'&' if prev == c => return found(quote),
            b'@' if prev == b'@' => return found(quote),
            b':' if prev == b':' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                return found(quote)
            }
            _ => {}
        }
        if quote && after_quote_sign {
            return found(quote);
        }
        i += 1;
    }
    seen
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

/// [`CLASS`] of a byte that matters only as the neighbour of a signal byte.
const PLAIN: u8 = 0;
/// [`CLASS`] of a word letter (ASCII letters and `_`: the bytes of the words read).
const LETTER: u8 = 1;
/// [`CLASS`] of a byte at which one of the shapes of [`sql_signal`] can start or end.
const SIGNAL: u8 = 2;
/// [`CLASS`] of a UTF-8 lead byte that every typographic quote starts with (see
/// [`super::views::ascii_quotes`]); Cyrillic, CJK and most accented letters have other leads.
const QUOTE_LEAD: u8 = 3;

/// The scan jumps from one byte of a class other than [`PLAIN`] to the next.
static CLASS: [u8; 256] = {
    let signal = crate::detect::prefilter::byte_set(b"'\"=<>#;()-*|&@:");
    let mut t = [PLAIN; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphabetic() || b == b'_' {
            t[c] = LETTER;
        } else if signal[c] {
            t[c] = SIGNAL;
        } else if matches!(b, 0xC2 | 0xCA | 0xE2 | 0xEF) {
            t[c] = QUOTE_LEAD;
        }
        c += 1;
    }
    t
};

/// End of the run of [`PLAIN`] bytes from `i`: eight bytes at a time while none of them has
/// another class, which skips most of a non-ASCII word (Cyrillic, CJK) per step.
fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    let plain = |chunk: &[u8]| chunk.iter().all(|&c| CLASS[c as usize] == PLAIN);
    while let Some(chunk) = b.get(i..i + 8) {
        if !plain(chunk) {
            break;
        }
        i += 8;
    }
    // Fewer than eight bytes left: the last eight bytes of the value, read again in part,
    // often end the run in one step.
    if b.len() - i < 8 && b.len() >= 8 && plain(&b[b.len() - 8..]) {
        return b.len();
    }
    while i < b.len() && CLASS[b[i] as usize] == PLAIN {
        i += 1;
    }
    i
}

/// End of the run of word letters from `i`.
fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && CLASS[b[i] as usize] == LETTER {
        i += 1;
    }
    i
}

/// Whether the word `b[start..end]` (a whole run of letters and `_`) is a keyword: a scanner
/// of words is cheaper than a multi-pattern automaton for a few dozen short keywords and gives
/// whole-word matches directly. Digits may touch a keyword on its left: MySQL reads `1union`
/// and `/*!50000union*/` as keywords.
fn is_keyword(b: &[u8], start: usize, end: usize) -> bool {
    let word = &b[start..end];
    // One table load rejects most words, before the neighbour checks and the copy.
    if !KEYWORD_GATE.may_hold(word) {
        return false;
    }
    let glued_left = start > 0 && is_word_byte(b[start - 1]) && !b[start - 1].is_ascii_digit();
    let glued_right = end < b.len() && is_word_byte(b[end]);
    if glued_left || glued_right {
        return false;
    }
    is_trigger(word)
        // System catalogs with `_` in their name (`information_schema`, `pg_catalog`); the
        // word holds no quote or bracket to trim.
        || (word.contains(&b'_') && is_catalog_name(word))
}

/// Whether the word `b[start..end]` opens a statement right after a `;` (spaces between): any
/// statement word of the grammar, or a statement the walk reads by name (`BACKUP`, `BULK`,
/// `ATTACH`). Only there: "Copy link" is a button, `1;COPY (...)` a stacked statement, and
/// prose does not reach the lexer for `copy` or `grant`.
fn stacked_head(b: &[u8], start: usize, end: usize) -> bool {
    let after_semicolon = b[..start]
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .is_some_and(|p| b[p] == b';');
    if !after_semicolon || end < b.len() && is_word_byte(b[end]) {
        return false;
    }
    // Word bytes are ASCII: the slice is a `str`.
    let word = std::str::from_utf8(&b[start..end]).unwrap_or("");
    classify_word(word) == WordClass::Statement || is_name_statement_head(word)
}

/// Whether `word` is one of [`TRIGGER_WORDS`], ASCII case aside.
fn is_trigger(word: &[u8]) -> bool {
    // Every trigger word has 2 to 12 bytes: the gate keeps the copy in bounds.
    if !TRIGGER_GATE.may_hold(word) {
        return false;
    }
    let mut buf = [0u8; 12];
    for (d, s) in buf.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    is_trigger_word(&buf[..word.len()])
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
