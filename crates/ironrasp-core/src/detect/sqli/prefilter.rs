//! Cheap first: a byte-class pass and one word scan decide whether a value could carry
//! SQL structure at all. Quoted contexts need a quote plus something SQL does after it; bare
//! values need an SQL keyword as a whole word, or `||` / `&&`.

use super::lexer::is_word_byte;
use super::words::is_catalog;

/// Words without which no bare value can carry structure (statement heads, set and logic
/// operators, clauses that start a probe, time functions).
fn is_trigger_word(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"select"
            | b"union"
            | b"insert"
            | b"update"
            | b"delete"
            | b"drop"
            | b"exec"
            | b"execute"
            | b"declare"
            | b"waitfor"
            | b"shutdown"
            | b"sleep"
            | b"benchmark"
            | b"pg_sleep"
            | b"or"
            | b"and"
            | b"xor"
            | b"like"
            | b"rlike"
            | b"regexp"
            | b"order"
            | b"group"
            | b"having"
            | b"into"
            | b"procedure"
            | b"truncate"
            | b"create"
            | b"alter"
            | b"do"
            | b"set"
            | b"call"
            | b"load"
            | b"extractvalue"
            | b"updatexml"
            | b"intersect"
            | b"except"
            | b"where"
            | b"begin"
            | b"if"
    )
}

/// Whether any context could find SQL structure in `text`.
pub fn may_be_sql(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 2 {
        return false;
    }
    let mut quote = false;
    let mut after_quote_sign = false;
    let mut logic_op = false;
    // `name(` (a name of two letters or more) or `@@name`: a call or a server variable, the
    // shape of bare SQL fragments.
    let mut call = false;
    let mut prev = 0u8;
    let mut prev_solid = 0u8;
    // Letters in the word that ends at `prev_solid`; a word glued to a digit on its left
    // (`1x(`) is a number with a suffix, not a name.
    let mut word_letters = 0usize;
    let mut word_glued = false;
    let mut prev2 = 0u8;
    for &c in b {
        // `name(`, `@@name`, or a PostgreSQL cast `::int` (a name right after `::`).
        if c == b'(' && prev_solid.is_ascii_alphabetic() && word_letters >= 2 && !word_glued
            || (c == b'@' && prev == b'@')
            || (c.is_ascii_alphabetic() && prev == b':' && prev2 == b':')
        {
            call = true;
        }
        prev2 = prev;
        if c.is_ascii_alphabetic() || c == b'_' {
            if !(prev.is_ascii_alphabetic() || prev == b'_') {
                word_letters = 0;
                word_glued = prev.is_ascii_digit();
            }
            word_letters += 1;
        } else if !matches!(c, b' ' | b'\t') {
            word_letters = 0;
        }
        // An operator right after a quote (`'&'`, `A' | 'B`): MySQL implicit conversion.
        if matches!(prev_solid, b'\'' | b'"')
            && matches!(c, b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^')
        {
            after_quote_sign = true;
        }
        match c {
            b'\'' | b'"' => quote = true,
            b'=' | b'<' | b'>' | b'#' | b';' | b'(' | b')' => after_quote_sign = true,
            b'-' | b'*' if prev == c || (c == b'*' && prev == b'/') => after_quote_sign = true,
            b'|' | b'&' if prev == c => logic_op = true,
            _ => {}
        }
        prev = c;
        if !matches!(c, b' ' | b'\t') {
            prev_solid = c;
        }
    }
    if logic_op || call || (quote && after_quote_sign) {
        return true;
    }
    has_keyword(b)
}

/// One pass over the words (runs of ASCII letters and `_`): a word scanner is cheaper than
/// a multi-pattern automaton for a few dozen short keywords and gives whole-word matches
/// directly. Digits may touch a keyword on its left: MySQL reads `1union` and
/// `/*!50000union*/` as keywords.
fn has_keyword(b: &[u8]) -> bool {
    let is_letter = |c: u8| c.is_ascii_alphabetic() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        if !is_letter(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_letter(b[i]) {
            i += 1;
        }
        let glued_left = start > 0 && is_word_byte(b[start - 1]) && !b[start - 1].is_ascii_digit();
        let glued_right = i < b.len() && is_word_byte(b[i]);
        let len = i - start;
        if glued_left || glued_right {
            continue;
        }
        // System catalogs with `_` in their name (`information_schema`, `pg_catalog`).
        let word = &b[start..i];
        if len <= 24 && word.contains(&b'_') && std::str::from_utf8(word).is_ok_and(is_catalog) {
            return true;
        }
        if !(2..=12).contains(&len) {
            continue;
        }
        let mut buf = [0u8; 12];
        for (d, s) in buf.iter_mut().zip(&b[start..i]) {
            *d = s.to_ascii_lowercase();
        }
        if is_trigger_word(&buf[..len]) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert!(!may_be_sql(s), "{s}");
        }
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
        ] {
            assert!(may_be_sql(s), "{s}");
        }
    }
}
