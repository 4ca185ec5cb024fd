//! MySQL's implicit conversion: `'' + ''`, `'' & ''`, `'a' DIV 'b'` evaluate to a number (0),
//! and `WHERE name = 0` then matches every row whose name is not numeric. A value made of an
//! operator between two quotes (`'-'`, `A' | 'B`, `' DIV '`) closes the application's literal,
//! applies the operator and reopens a literal the query's own quote closes: an auth bypass
//! with no SQL word in it. The rest of the walk cannot see it (one operator, two literals), so
//! this reads the exact shape, and only when the words around it are glued to the quotes:
//! "Press '+' to zoom" or "the '+' key" are quotations, not this.

use super::context::Context;
use super::lexer::{Class, Token};
use super::score::Judgement;

/// Score of an operator between two empty or one-word literals.
const SCORE: f32 = 0.6;

pub fn judge(text: &str, ctx: Context, toks: &[Token<'_>]) -> Option<Judgement> {
    let q = match ctx {
        Context::SingleQuote => b'\'',
        Context::DoubleQuote => b'"',
        _ => return None,
    };
    // The shape ends in a literal the query's quote closes: most tails are rejected by their
    // last token, before collecting the others.
    let reopened =
        |t: &Token<'_>| t.class == Class::Str && t.open && t.text.as_bytes().first() == Some(&q);
    if !toks
        .iter()
        .rev()
        .find(|t| t.class != Class::Comment)
        .is_some_and(reopened)
    {
        return None;
    }
    let toks: Vec<&Token<'_>> = toks.iter().filter(|t| t.class != Class::Comment).collect();
    let (last, ops) = toks.split_last()?;
    if !reopened(last) {
        return None;
    }
    if !is_operator_group(ops) {
        return None;
    }
    // The prefix before the breakout quote and the reopened literal: one alphanumeric word or
    // nothing (a URL or a path around quotes is no operand).
    let prefix = &text.as_bytes()[..memchr::memchr(q, text.as_bytes())?];
    let body = last.text.get(1..).unwrap_or("").as_bytes();
    let word = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_alphanumeric);
    let blank = |s: &[u8]| s.iter().all(u8::is_ascii_whitespace);
    if !(word(prefix) || prefix.is_empty()) || !(word(body) || blank(body)) {
        return None;
    }
    // A quoted word (`'or'`, `"LIKE" stamp`) is a quotation unless words are glued to both
    // of its quotes as operands (`a'LIKE'b`); a symbol between quotes is not.
    let symbolic = ops
        .iter()
        .all(|t| !t.text.bytes().any(|c| c.is_ascii_alphabetic()));
    let glued_both = word(prefix) && word(body);
    if !(symbolic || glued_both) {
        return None;
    }
    let op = ops
        .iter()
        .map(|t| t.text.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Judgement {
        score: SCORE,
        evidence: format!(
            "{}: operator {op} between literals (implicit conversion)",
            ctx.describe(0)
        ),
    })
}

/// One binary operator (`+`, `&&`, `DIV`, `LIKE`, `=`), or a two-word one (`NOT LIKE`,
/// `SOUNDS LIKE`).
fn is_operator_group(ops: &[&Token<'_>]) -> bool {
    let binary = |t: &Token<'_>| match t.class {
        Class::Operator => !matches!(t.text, "~" | "!" | "::" | ":="),
        Class::Comparison | Class::WordOp => true,
        Class::Logic => !t.text.eq_ignore_ascii_case("not"),
        _ => false,
    };
    match ops {
        [op] => binary(op),
        [first, second] => {
            second.class == Class::WordOp
                && (first.is(Class::Logic, "not") || first.is(Class::WordOp, "sounds"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::context::tokens;
    use super::*;

    fn reads(s: &str) -> bool {
        [Context::SingleQuote, Context::DoubleQuote]
            .into_iter()
            .any(|ctx| tokens(s, ctx).is_some_and(|(t, _)| judge(s, ctx, &t).is_some()))
    }

    #[test]
    fn operator_between_quotes() {
        for s in [
            "'-'",
            "' & '",
            "A' | 'B",
            "u' DIV 'v",
            "a' NOT LIKE 'b",
            "a'SOUNDS LIKE'b",
            "x'^'y",
            "'&&'",
            "\"+\"",
        ] {
            assert!(reads(s), "{s}");
        }
    }

    #[test]
    fn quotations_are_not_conversions() {
        for s in [
            "Press '+' to zoom",
            "the '+' key",
            "A '+' B",
            "O'Brien",
            "'hello'",
            "it's - 'ok",
            "' - 'a b",
            "'~'",
            "'or'1",
            "' DIV '",
            "/search?q=\"LIKE\"+stamp&page=2",
            "\\'x' or '1",
        ] {
            assert!(!reads(s), "{s}");
        }
    }
}
