//! NoSQL (MongoDB) injection, two shapes:
//!
//! * Operator injection: a query operator (`$ne`, `$gt`, `$regex`, `$where` ...) where a plain
//!   value was expected — the whole value or JSON key is an operator, a parameter name carries
//!   one in brackets (`user[$ne]`), or a decoded value holds an operator object (`{"$ne": null}`).
//! * Server-side JavaScript injection into `$where`/`mapReduce` strings: a quote is closed and
//!   JavaScript follows (`' && this.password.match(/.*/)//`, `';sleep(5000);`, `';return 'a'=='a'`),
//!   or database shell calls (`db.x.insert(`).
//!
//! `$5`, `$10.00`, `$HOME` are not operators: only the operator names below count, and in prose
//! an operator word needs object structure around it.

use crate::check::Check;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// Query and aggregation operators that change a query's meaning when injected; update
/// operators that rewrite other fields when a client's object becomes the update
/// (`{"$set": {"isAdmin": true}}`); pipeline stages that read or write other collections.
const OPERATORS: [&str; 36] = [
    "ne",
    "eq",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "nin",
    "regex",
    "where",
    "expr",
    "exists",
    "or",
    "and",
    "nor",
    "not",
    "elemMatch",
    "function",
    "accumulator",
    "type",
    "size",
    "all",
    "text",
    "jsonSchema",
    "mod",
    "comment",
    "set",
    "unset",
    "inc",
    "push",
    "rename",
    "lookup",
    "graphLookup",
    "unionWith",
    "out",
    "merge",
];

/// Operators found per value.
const MAX_DOLLARS: usize = 256;

/// The bytes the rules below need, read in one pass: `$` (operators), `.` (`db.` calls), `(`
/// (`mapReduce(`, `emit(`), the `;`, `&&`, `||` that begin injected JavaScript and the quotes
/// it follows.
mod need {
    pub const DOLLAR: u8 = 1;
    pub const DOT: u8 = 1 << 1;
    pub const PAREN: u8 = 1 << 2;
    pub const BREAK: u8 = 1 << 3;
    pub const QUOTE: u8 = 1 << 4;
    /// Letters of `db` and the `m` of both `mapReduce` and `emit`, in any case.
    pub const D: u8 = 1 << 5;
    pub const B: u8 = 1 << 6;
    pub const M: u8 = 1 << 7;
    /// Without one of these no rule applies.
    pub const ANY: u8 = DOLLAR | DOT | PAREN | BREAK;

    pub static TABLE: [u8; 256] = crate::detect::prefilter::byte_classes(&[
        (b"$", DOLLAR),
        (b".", DOT),
        (b"(", PAREN),
        (b";&|", BREAK),
        (b"'\"", QUOTE),
        (b"dD", D),
        (b"bB", B),
        (b"mM", M),
    ]);
}

pub fn inspect(text: &str) -> Option<Finding> {
    // Names, words and prose without any of these cost one pass.
    let seen = text.bytes().fold(0, |m, c| m | need::TABLE[usize::from(c)]);
    if seen & need::ANY == 0 {
        return None;
    }
    let mut best: Option<(f32, String)> = None;
    let mut keep = |score: f32, why: String| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    if let Some((s, w)) = (seen & need::DOLLAR != 0)
        .then(|| operators(text))
        .flatten()
    {
        keep(s, w);
    }
    if let Some((s, w)) = javascript(text, seen) {
        keep(s, w);
    }
    let (score, why) = best?;
    (score >= THRESHOLD).then(|| Finding::new(Check::Nosqli, score, why))
}

/// Scores every `$operator` occurrence by what surrounds it.
fn operators(text: &str) -> Option<(f32, String)> {
    let b = text.as_bytes();
    memchr::memchr(b'$', b)?;
    let t = text.trim().trim_matches(['"', '\'']);
    let mut best: Option<(f32, String)> = None;
    for at in memchr::memchr_iter(b'$', b).take(MAX_DOLLARS) {
        let name_end = b[at + 1..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .map_or(b.len(), |p| at + 1 + p);
        let name = &text[at + 1..name_end];
        if !OPERATORS.contains(&name) {
            continue;
        }
        if innermost_opener(&b[..at]) == Some(b'(') {
            // `query Products($where: ProductWhere)`: a GraphQL variable is declared in
            // parentheses; an operator is an object's key, in braces (or a form's brackets).
            continue;
        }
        let before = text[..at].trim_end_matches([' ', '"', '\'']);
        let after = text[name_end..].trim_start_matches([' ', '"', '\'']);
        let score = if t.len() == name.len() + 1 {
            // The whole value or JSON key is the operator: only an object key looks like that.
            0.8
        } else if (before.ends_with('[') && after.starts_with(']'))
            || (before.ends_with(['{', ',']) && after.starts_with(':'))
        {
            0.9 // user[$ne]=x, {"$gt": ""}, `, $where: ...`
        } else if after.starts_with(':') && (before.is_empty() || before.ends_with(['\'', '"'])) {
            0.85 // $where: '1 == 1'
        } else if after.starts_with(':') {
            0.5
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                format!("MongoDB query operator ${name} in object position"),
            ));
        }
    }
    best
}

/// The innermost bracket still open at the end of `b` (`(`, `[` or `{`), if any.
fn innermost_opener(b: &[u8]) -> Option<u8> {
    let mut depth = 0usize;
    for &c in b.iter().rev() {
        match c {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth == 0 => return Some(c),
            b'(' | b'[' | b'{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// JavaScript after a closed string, as injected into `$where` or `mapReduce`. `seen` holds the
/// [`need`] flags of the text's bytes.
fn javascript(text: &str, seen: u8) -> Option<(f32, String)> {
    // Each rule below needs its own bytes; the lower-cased copy is made only when one may apply.
    let b = text.as_bytes();
    let ends_with =
        |i: usize, name: &[u8]| i >= name.len() && b[i - name.len()..i].eq_ignore_ascii_case(name);
    let all = |flags: u8| seen & flags == flags;
    let db = all(need::DOT | need::D | need::B)
        && memchr::memchr_iter(b'.', b).any(|i| ends_with(i, b"db"));
    let call = all(need::PAREN | need::M)
        && memchr::memchr_iter(b'(', b)
            .any(|i| ends_with(i, b"mapreduce") || ends_with(i, b"emit"));
    // What follows a quote or the value's start must begin with `;`, `&&` or `||`: names and
    // prose with a quote and an `&` ("O'Brien & Sons") have none.
    let breaks = seen & need::BREAK != 0 && may_break(text, seen);
    if !(db || call || breaks) {
        return None;
    }
    javascript_rules(text)
}

/// Whether a quote read by [`quote_breaks`] (or the value's start, [`lead_break`]) may be
/// followed by `;`, `&&` or `||`: the only starts the quote rules of [`javascript_rules`]
/// accept. Read on bytes; a non-ASCII byte where a break could start (it may be Unicode
/// whitespace, which those rules skip) answers yes.
fn may_break(text: &str, seen: u8) -> bool {
    let b = text.as_bytes();
    let skip_spaces = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    let breaks_at = |j: usize| {
        b.get(j).is_some_and(|&c| c >= 0x80 || c == b';')
            || b[j.min(b.len())..].starts_with(b"&&")
            || b[j.min(b.len())..].starts_with(b"||")
    };
    // The start: optional digits before a `;` (`0;return true`).
    let lead = skip_spaces(0);
    let digits = b[lead..].iter().take_while(|c| c.is_ascii_digit()).count();
    if breaks_at(lead) || breaks_at(lead + digits) {
        return true;
    }
    if seen & need::QUOTE == 0 {
        return false;
    }
    let mut quotes = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\'' || c == b'"' {
            if breaks_at(skip_spaces(i + 1)) {
                return true;
            }
            quotes += 1;
            if quotes == MAX_QUOTES {
                break;
            }
        }
    }
    false
}

/// Quotes after which [`quote_breaks`] looks for injected JavaScript.
const MAX_QUOTES: usize = 32;

/// The JavaScript rules, without the byte gates of [`javascript`].
fn javascript_rules(text: &str) -> Option<(f32, String)> {
    let lower = text.to_ascii_lowercase();
    if let Some(p) = lower.find("db.").filter(|&p| statement_start(&lower[..p])) {
        // db.collection.method( — the Mongo shell API.
        let rest = &lower[p + 3..];
        let coll_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let rest = &rest[coll_end..];
        const METHODS: [&str; 9] = [
            ".insert",
            ".find",
            ".remove",
            ".update",
            ".drop",
            ".mapreduce",
            ".aggregate",
            ".delete",
            ".getcollection",
        ];
        if coll_end > 0 && METHODS.iter().any(|m| rest.starts_with(m)) {
            return Some((
                0.8,
                "MongoDB shell call db.<collection>.<method>(".to_string(),
            ));
        }
    }
    if lower.contains("mapreduce(") && lower.contains("function") {
        return Some((0.8, "mapReduce with a JavaScript function".to_string()));
    }
    if lower.contains("emit(") && lower.contains("function") {
        return Some((0.6, "map function emitting documents".to_string()));
    }
    // After a closing quote (or at the start), the statement separator or logical operator that
    // begins injected JavaScript.
    let starts = quote_breaks(&lower);
    for rest in starts {
        let r = rest.trim_start();
        if let Some(after) = r.strip_prefix("&&").or_else(|| r.strip_prefix("||")) {
            let a = after.trim_start();
            if a.starts_with("this.") {
                return Some((
                    0.85,
                    "quote closed, then a condition on this.<field>".to_string(),
                ));
            }
            if js_equality(a) {
                return Some((0.7, "quote closed, then a JavaScript tautology".to_string()));
            }
        }
        if let Some(after) = r.strip_prefix(';') {
            let a = after.trim_start();
            for (kw, why) in [
                ("sleep(", "a sleep() delay"),
                ("return", "a return statement"),
                ("while(", "a busy loop"),
                ("it=new date", "a timing loop"),
                ("var ", "a variable declaration"),
                ("this.", "a condition on this.<field>"),
            ] {
                if a.starts_with(kw) {
                    return Some((0.8, format!("statement separator, then {why}")));
                }
            }
        }
    }
    None
}

/// Injected statements start the value or follow `;` or a closing quote; `db.` in the middle
/// of ordinary code (`item = get(id) db.session.delete(item)`) is an ORM call.
fn statement_start(before: &str) -> bool {
    let b = before.trim_end();
    b.is_empty() || b.ends_with([';', '\'', '"'])
}

/// The text after each quote that could close a string (`'` or `"`), and after a leading
/// number (`0;return true`).
fn quote_breaks(lower: &str) -> Vec<&str> {
    let mut out: Vec<&str> = lower
        .match_indices(['\'', '"'])
        .take(MAX_QUOTES)
        .map(|(i, _)| &lower[i + 1..])
        .collect();
    out.extend(lead_break(lower));
    out
}

/// The value from its `;` after a leading number (`0;return true`), or from a leading `||` or
/// `&&`.
fn lead_break(text: &str) -> Option<&str> {
    let lead = text.trim_start();
    let digits = lead.bytes().take_while(|b| b.is_ascii_digit()).count();
    (lead[digits..].starts_with(';') || lead.starts_with("||") || lead.starts_with("&&"))
        .then(|| &lead[digits..])
}

/// `'a'=='a`, `1==1`: JavaScript strict/loose equality of two literals.
fn js_equality(s: &str) -> bool {
    let Some(p) = s.find("==") else {
        return false;
    };
    let left = s[..p].trim().trim_matches(['\'', '"']);
    let right: String = s[p + 2..]
        .trim_start_matches('=')
        .trim()
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    !left.is_empty()
        && left.len() <= 8
        && left.chars().all(|c| c.is_ascii_alphanumeric())
        && left == right
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_flags_skip_only_rules_that_cannot_apply() {
        // Generated values: the rules gated by the flags of the value's bytes give what they
        // give with every flag set (nothing skipped).
        let parts = [
            "db",
            "DB",
            ".",
            "(",
            "$",
            "$ne",
            "$where",
            ":",
            "'",
            "\"",
            ";",
            "&&",
            "||",
            "|",
            "&",
            "mapReduce",
            "MAPREDUCE",
            "emit",
            "Emit",
            "function",
            "sleep(",
            "return",
            "this.",
            "1==1",
            "0",
            " ",
            "x",
            "é",
            "\u{a0}",
            "\u{2003}",
            "'\u{a0}&&",
            "\" ;",
            "users.find",
            ".insert",
            "{",
            "[",
            "]",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut found = 0;
        for _ in 0..40_000 {
            let t = rng.pieces(&parts, 8);
            let seen = t.bytes().fold(0, |m, c| m | need::TABLE[usize::from(c)]);
            let js = javascript_rules(&t);
            found += usize::from(js.is_some());
            assert_eq!(javascript(&t, seen), js, "{t:?}");
            assert!(seen & need::DOLLAR != 0 || operators(&t).is_none(), "{t:?}");
            assert!(seen & need::ANY != 0 || inspect(&t).is_none(), "{t:?}");
        }
        assert!(found > 200, "{found}");
    }

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn operator_injection() {
        for s in [
            "$ne",
            "$gt",
            "$regex",
            "user[$ne]",
            "password[$regex]",
            "{\"$ne\": null}",
            "{\"username\": {\"$gt\": \"\"}}",
            "{$nin: [\"\"]}",
            "', $where: '1 == 1'",
            "$where: 'sleep(1000)'",
            "$or: [ {}, { 'a':'a",
            "{\"$where\": \"this.password.length > 0\"}",
            "login[$exists]",
            "db.users.find({$where: \"sleep(100)\"})",
            "{\"filter\": [{\"$or\": [{}]}]}",
            // Update operators and pipeline stages.
            "{\"$set\": {\"isAdmin\": true}}",
            "{\"$inc\": {\"balance\": 1000}}",
            "profile[$set][role]",
            "[{\"$lookup\": {\"from\": \"users\", \"as\": \"u\"}}]",
            "[{\"$out\": \"users\"}]",
        ] {
            assert!(flagged(s), "{s}");
        }
    }

    #[test]
    fn javascript_injection() {
        for s in [
            "' && this.password.match(/.*/)//",
            "';sleep(5000);",
            "';return 'a'=='a' && ''=='",
            "0;return true",
            "' || 'a'=='a",
            "|| 1==1",
            "db.injection.insert({success:1});",
            "db.stores.mapReduce(function() { emit(1,1) })",
        ] {
            assert!(flagged(s), "{s}");
        }
    }

    #[test]
    fn prices_shell_and_prose_pass() {
        for s in [
            "$5",
            "$10.00",
            "$HOME",
            "echo $PATH",
            "it costs $ne and more",
            "the $in operator is documented here",
            "O'Brien && sons",
            "a == b || c == d",
            "{\"name\": \"Tom & Jerry\", \"price\": \"$12\"}",
            "db.example.com",
            "return to sender; thanks",
            "def delete(self, id): item = self._get_item(id) db.session.delete(item)",
            // GraphQL variables (Hasura's and Prisma's filter argument is `where`).
            "query Products($where: ProductWhere) { products(where: $where) { id } }",
            "query Q($first: Int, $in: [ID!]) { a(ids: $in) }",
            "set $out to the output path",
            "echo $set",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"$".repeat(100_000));
        let _ = inspect(&"'&&".repeat(10_000));
        let _ = inspect("$é'ü");
    }
}
