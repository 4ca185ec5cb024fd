//! LDAP filter injection: a value that closes the filter it is pasted into and opens new filter
//! components. Flagged only on filter *structure* after a closing parenthesis:
//!
//! * `)(attr=value` / `)(attr>=v` / `)(attr~=v` — a new comparison (`*)(uid=*`, `x)(|(password=*`);
//! * `)(&)`, `)(|)`, `)(|`, `)(&(` — absolute true/false filters and new boolean groups;
//! * `)&(attr=`, `)|(attr=`, `)!(attr=` — operators written after the close;
//! * `*)` followed by more closes and a NUL (`*))%00`, `*))\0`) that truncates the filter;
//! * `*()|&` — the empty-filter wildcard trick.
//!
//! Parentheses in prose and phone numbers (`(555) 123-4567`, `:)(`, `(a)(b)`) have no
//! attribute comparison or filter operator after the close and pass.

use crate::check::Check;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// Closing parentheses examined per value.
const MAX_CLOSES: usize = 128;

pub fn inspect(text: &str) -> Option<Finding> {
    let b = text.as_bytes();
    // Every rule below needs a wildcard, a comparison or a boolean operator besides the `)`:
    // parentheses in prose and user agents ("(X11; Linux x86_64)") stop here.
    if memchr::memchr3(b'*', b'=', b'&', b).is_none() && memchr::memchr2(b'|', b'!', b).is_none() {
        return None;
    }
    let mut best: Option<(f32, &'static str)> = None;
    let mut keep = |score: f32, why: &'static str| {
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, why));
        }
    };
    for (at, escapes) in closes(b) {
        if !escapes {
            // Balanced parentheses are a complete filter or prose, not a break-out; only the
            // empty-filter trick `*()|&` works inside them.
            if at >= 2 && b[at - 1] == b'(' && b[at - 2] == b'*' {
                let tail = skip_ws(&b[at + 1..]);
                if tail.first().is_some_and(|c| matches!(c, b'|' | b'&')) {
                    keep(0.7, "wildcard, then an empty filter and a boolean operator");
                }
            }
            continue;
        }
        // Skip further closes: `*))(|(uid=*`.
        let mut i = at + 1;
        while i < b.len() && (b[i] == b')' || b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let rest = &b[i..];
        let wildcard_before = at > 0 && b[at - 1] == b'*';
        if let Some(after) = rest.strip_prefix(b"(") {
            let after = skip_ws(after);
            if after
                .first()
                .is_some_and(|c| matches!(c, b'&' | b'|' | b'!'))
            {
                let next = skip_ws(&after[1..]);
                if next.is_empty()
                    || next[0] == b')'
                    || next[0] == b'('
                    || comparison(next).is_some()
                {
                    keep(
                        0.85,
                        "filter closed, then a new boolean group ((&, (|, (!) opened",
                    );
                }
            } else if let Some(attr_len) = comparison(after) {
                // `(a=1)(b=2)` in prose is rare; a wildcard or an LDAP attribute name makes it sure.
                let score = if wildcard_before || after[attr_len..].contains(&b'*') {
                    0.9
                } else {
                    0.75
                };
                keep(
                    score,
                    "filter closed, then a new attribute comparison injected",
                );
            } else if wildcard_before && (after.is_empty() || after[0] == b')') {
                // `*()|&'` and `*)(&`-style empty components after a wildcard.
                let tail = skip_ws(after.strip_prefix(b")").unwrap_or(after));
                if tail.first().is_some_and(|c| matches!(c, b'|' | b'&')) || after.is_empty() {
                    keep(0.7, "wildcard, then an empty filter component");
                }
            }
        } else if rest
            .first()
            .is_some_and(|c| matches!(c, b'&' | b'|' | b'!'))
        {
            let next = skip_ws(&rest[1..]);
            if next.first() == Some(&b'(') && comparison(skip_ws(&next[1..])).is_some() {
                keep(0.8, "filter closed, then an operator and a new comparison");
            }
        } else if wildcard_before && at + 1 < i && nul_next(rest) {
            keep(
                0.75,
                "wildcard and closed filters, then a NUL to cut the rest",
            );
        } else if wildcard_before && i == at + 1 && nul_next(rest) {
            keep(
                0.6,
                "wildcard and closed filter, then a NUL to cut the rest",
            );
        }
    }
    let (score, why) = best?;
    (score >= THRESHOLD).then(|| Finding::new(Check::Ldapi, score, why))
}

/// Positions of `)` and whether each closes more than the value opened — a parenthesis of
/// the filter the value is pasted into.
fn closes(b: &[u8]) -> impl Iterator<Item = (usize, bool)> + '_ {
    let mut depth: i64 = 0;
    b.iter()
        .enumerate()
        .filter_map(move |(i, &c)| match c {
            b'(' => {
                depth += 1;
                None
            }
            b')' => {
                depth -= 1;
                Some((i, depth < 0))
            }
            _ => None,
        })
        .take(MAX_CLOSES)
}

fn skip_ws(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    &s[n..]
}

/// `attr=`, `attr>=`, `attr<=`, `attr~=` (attribute names: letters, digits, `-`, `;`, `.`);
/// returns the length up to and including the operator.
fn comparison(s: &[u8]) -> Option<usize> {
    let n = s
        .iter()
        .take(64)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b';' | b'.' | b'_'))
        .count();
    if n == 0 || !s[0].is_ascii_alphabetic() {
        return None;
    }
    let rest = &s[n..];
    if rest.starts_with(b"=") {
        Some(n + 1)
    } else if rest.starts_with(b">=") || rest.starts_with(b"<=") || rest.starts_with(b"~=") {
        Some(n + 2)
    } else {
        None
    }
}

/// A NUL byte or its common spellings right here.
fn nul_next(s: &[u8]) -> bool {
    s.first() == Some(&0)
        || s.starts_with(b"%00")
        || s.starts_with(b"\\x00")
        || s.starts_with(b"\\00")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn filter_injection() {
        for s in [
            "*)(uid=*))(|(uid=*",
            "admin)(&)",
            "*)(objectClass=*",
            "x)(|(password=*)",
            "*)(&",
            "*()|&'",
            "*))\u{0}",
            "*))%00",
            "admin)(|",
            "val)&(cn=admin",
            "val)|(uid=*",
            "*)!(sn=*",
            "value)(gidNumber<=100",
            "john)(sn~=smith",
            "test) ( & ",
            "test))(&(objectClass=*",
            ")(cn=))\\x00",
        ] {
            assert!(flagged(s), "{s}");
        }
    }

    #[test]
    fn prose_and_numbers_pass() {
        for s in [
            "(555) 123-4567",
            "smiley :)(",
            "(a)(b)",
            "foo*bar",
            "admin*",
            "john@example.com",
            "f(x) = (x+1)(x-1)",
            "see (note) (page 3)",
            "Tom & Jerry (1940) & friends",
            "(*)",
            "(userAccountControl:1.2.840.113556.1.4.803:=2)(&(objectCategory=group)(cn=x))",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&")(".repeat(50_000));
        let _ = inspect(&"*)".repeat(50_000));
        let _ = inspect("é)(ü=*");
    }
}
