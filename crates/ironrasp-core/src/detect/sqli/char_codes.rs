//! Strings spelled out as character codes: `CHR(113)||CHR(122)||CHR(120)`, `CHAR(65)+CHAR(66)
//! +CHAR(67)`. Payloads build their markers and file names that way so that no quote appears;
//! queries people write use the string itself. Read on the tokens of the whole value, wherever a
//! walk would stop (truncated payloads leave the rest of the query unbalanced).

use super::context::Context;
use super::lexer::{Class, Token};
use super::score::Judgement;

/// Character-code calls in a row that spell a string.
const MIN_CALLS: usize = 3;
const SCORE: f32 = 0.6;

pub fn judge(toks: &[Token<'_>], ctx: Context) -> Option<Judgement> {
    if ctx != Context::Bare {
        return None;
    }
    let calls = toks
        .iter()
        .filter(|t| t.class == Class::Function && is_code_name(t.text))
        .take(MIN_CALLS)
        .count();
    if calls < MIN_CALLS {
        return None;
    }
    let toks: Vec<&Token<'_>> = toks.iter().filter(|t| t.class != Class::Comment).collect();
    let mut run = 0usize;
    let mut best = 0usize;
    let mut i = 0;
    while i < toks.len() {
        if let Some(next) = code_call(&toks, i) {
            run += 1;
            best = best.max(run);
            i = next;
            // Joined by concatenation (`||`, `+`, `,` in CONCAT) or nothing in between.
            if toks
                .get(i)
                .is_some_and(|t| matches!(t.text, "||" | "+" | ","))
            {
                i += 1;
            }
            continue;
        }
        run = 0;
        i += 1;
    }
    (best >= MIN_CALLS).then(|| Judgement {
        score: SCORE,
        evidence: format!("{}: string spelled as character codes", ctx.describe(0)),
    })
}

fn is_code_name(w: &str) -> bool {
    ["char", "chr", "nchar"]
        .iter()
        .any(|n| w.eq_ignore_ascii_case(n))
}

/// `CHAR(n)`, `CHR(n)`, `NCHAR(n)` at `i`: the index just past its `)`.
fn code_call(toks: &[&Token<'_>], i: usize) -> Option<usize> {
    let name = toks.get(i)?;
    if !is_code_name(name.text) || name.class != Class::Function {
        return None;
    }
    let shape = (
        toks.get(i + 1)?.class,
        toks.get(i + 2)?.class,
        toks.get(i + 3)?.class,
    );
    (shape == (Class::LParen, Class::Number, Class::RParen)).then_some(i + 4)
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn reads(s: &str) -> bool {
        judge(&lex(s), Context::Bare).is_some()
    }

    #[test]
    fn strings_spelled_as_codes() {
        assert!(reads("CHR(113)||CHR(122)||CHR(120)||CHR(106)"));
        assert!(reads("select char(65)+char(66)+char(67)"));
        assert!(reads("SELECT CHAR(113) CHAR(122) CHAR(120) (SELECT"));
        assert!(reads("concat(char(97),char(98),char(99))"));
    }

    #[test]
    fn ordinary_uses_of_char_pass() {
        assert!(!reads("Chr(13) & Chr(10)"));
        assert!(!reads("x = Chr(13) & Chr(10) & Chr(9)"));
        assert!(!reads("CHAR(10) + CHAR(13)"));
        assert!(!reads("name CHAR(20), code CHAR(3), flag CHAR(1)"));
    }
}
