//! Cheap first: a byte-class pass and one Aho-Corasick scan decide whether a value could carry
//! SQL structure at all. Quoted contexts need a quote plus something SQL does after it; bare
//! values need an SQL keyword as a whole word, or `||` / `&&`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

use super::lexer::is_word_byte;

const KEYWORDS: [&str; 36] = [
    "select",
    "union",
    "insert",
    "update",
    "delete",
    "drop",
    "exec",
    "execute",
    "declare",
    "waitfor",
    "shutdown",
    "sleep",
    "benchmark",
    "pg_sleep",
    "or",
    "and",
    "xor",
    "like",
    "rlike",
    "regexp",
    "order",
    "group",
    "having",
    "into",
    "procedure",
    "truncate",
    "create",
    "alter",
    "do",
    "set",
    "call",
    "load",
    "extractvalue",
    "updatexml",
    "intersect",
    "except",
];

fn keywords() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(KEYWORDS)
            .expect("static keyword set builds")
    })
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
    let mut prev = 0u8;
    for &c in b {
        match c {
            b'\'' | b'"' => quote = true,
            b'=' | b'<' | b'>' | b'#' | b';' | b'(' | b')' => after_quote_sign = true,
            b'-' | b'*' if prev == c || (c == b'*' && prev == b'/') => after_quote_sign = true,
            b'|' | b'&' if prev == c => logic_op = true,
            _ => {}
        }
        prev = c;
    }
    if logic_op || (quote && after_quote_sign) {
        return true;
    }
    has_keyword(b)
}

fn has_keyword(b: &[u8]) -> bool {
    keywords().find_iter(b).any(|m| {
        // Digits may touch a keyword: MySQL reads `1union` and `/*!50000union*/` as keywords.
        let before = m.start().checked_sub(1).map(|p| b[p]);
        let after = b.get(m.end()).copied();
        !before.is_some_and(|c| is_word_byte(c) && !c.is_ascii_digit())
            && !after.is_some_and(is_word_byte)
    })
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
        ] {
            assert!(may_be_sql(s), "{s}");
        }
    }
}
