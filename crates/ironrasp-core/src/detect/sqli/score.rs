//! Weighs the structures a walk found into a score in 0..1 and a one-line explanation.
//! Strong structures (UNION SELECT, stacked statements, time/error functions, subqueries) score
//! high anywhere they are grammatical; boolean conditions need a breakout (a quoted context or
//! a closing parenthesis) or a literal comparison (`1 OR 1=1`, not `a < b and c > d`).

use std::borrow::Cow;

use super::context::Context;
use super::lexer::{Class, Token};
use super::structure::Shape;
use super::PARTIAL;

pub struct Judgement {
    pub score: f32,
    pub evidence: String,
}

pub fn judge(s: &Shape<'_>, ctx: Context) -> Judgement {
    let (score, what) = if s.whole_statement {
        whole_statement(s)
    } else {
        continuation(s, ctx)
    };
    let j = finish(s, ctx, score, what);
    if j.score < PARTIAL && is_fragment(s, ctx) {
        // Code, not prose, but no attack structure of its own: only a confident model may
        // raise it (see `combine`).
        return Judgement {
            score: PARTIAL,
            evidence: joined(&[ctx.describe(s.lead_close), ": SQL fragment"]),
        };
    }
    j
}

/// Words only SQL strings together, wherever the walk stopped: two of a statement head, a
/// set operator, a query clause or a call (`SELECT ... LIMIT`, `UNION(SELECT`, `COUNT(*) FROM`).
/// Prose with one SQL word ("select a size") has none of these pairs; prose with two is left
/// to the model: partial structure only. Markup read bare (`markup`: the value opens with a
/// tag, see [`super::markup`]) needs a set operator among them: the prose of rich text and
/// docs names statements, clauses and calls ("use range() for ..."), not UNION.
pub fn keyword_fragment(toks: &[Token<'_>], ctx: Context, markup: bool) -> Option<Judgement> {
    if ctx == Context::Bare && !statement_like_attack(toks) {
        return None;
    }
    let mut kinds = 0u8;
    let mut seen = 0usize;
    for (i, t) in toks.iter().enumerate().take(MAX_FRAGMENT_TOKENS) {
        let bit = match t.class {
            Class::Statement => 1,
            Class::Union => 2,
            Class::Clause => 4,
            Class::Function
                if t.text.len() >= 2
                    && toks[i + 1..]
                        .iter()
                        .find(|n| n.class != Class::Comment)
                        .is_some_and(|n| n.class == Class::LParen) =>
            {
                8
            }
            _ => 0,
        };
        if bit != 0 {
            kinds |= bit;
            seen += 1;
        }
    }
    let union = kinds & 2 != 0;
    (kinds.count_ones() >= 2 && seen >= 2 && (union || !markup)).then(|| Judgement {
        score: PARTIAL,
        evidence: joined(&[ctx.describe(0), ": SQL keywords in sequence"]),
    })
}

/// A value that starts with a statement head is pasted SQL ("SELECT * FROM users" in a
/// ticket) unless it filters with WHERE or cuts the query off with a comment: a complete
/// `SELECT ... FROM ... WHERE` placed in a parameter is an attack's shape. Values that do not
/// start with a statement pass.
pub fn statement_like_attack(toks: &[Token<'_>]) -> bool {
    let starts_statement = toks
        .iter()
        .find(|t| t.class != Class::Comment)
        .is_some_and(|t| t.class == Class::Statement);
    !starts_statement
        || toks.last().is_some_and(|t| t.class == Class::Comment)
        || toks
            .iter()
            .any(|t| t.class == Class::Clause && t.text.eq_ignore_ascii_case("where"))
}

/// Tokens looked at by [`keyword_fragment`]; payloads show their words early.
const MAX_FRAGMENT_TOKENS: usize = 64;

/// A value that reads as SQL code for a while: bare, a statement, calls, variables or
/// parentheses, or several tokens in a row SQL accepts (prose stops within two or three
/// words: two names in a row are at most a name and its alias); after a breakout, a tail SQL
/// accepts to its end. Markup read bare (`<p>Methods can ...`) is none.
fn is_fragment(s: &Shape<'_>, ctx: Context) -> bool {
    if s.tokens < 2 || s.pasted || s.markup {
        return false;
    }
    match ctx {
        Context::Bare => s.sql_only || s.whole_statement || s.tokens >= 4,
        _ => !s.error,
    }
}

/// A value that is itself a statement is pasted SQL unless it does what only attacks do:
/// sleep, raise data-leaking errors, write files, read the server's identity or UNION in
/// another result set. A plain `SELECT * FROM users` or a schema script is not a finding.
fn whole_statement(s: &Shape<'_>) -> (f32, Cow<'static, str>) {
    if let Some(f) = s.attack_call {
        (
            0.8,
            format!("statement calling {}()", f.to_ascii_uppercase()).into(),
        )
    } else if s.into_file {
        (0.8, "statement writing INTO OUTFILE".into())
    } else if s.union_select {
        (0.75, "statement with UNION SELECT".into())
    } else if let Some(w) = s.batch_statement {
        (
            0.75,
            format!("T-SQL batch statement {}", w.to_ascii_uppercase()).into(),
        )
    } else if let Some(f) = s.probe_call {
        (
            0.6,
            format!("statement probing {}", f.to_ascii_uppercase()).into(),
        )
    } else if let Some(c) = s.catalog {
        (
            0.6,
            format!("statement reading the system catalog {c}").into(),
        )
    } else if s.constant_condition {
        (0.6, "statement testing a condition on constants".into())
    } else if s.glued_comments >= 2 {
        (0.6, "statement with comments for spaces".into())
    } else {
        (0.0, "".into())
    }
}

/// The strongest structure so far and its description; fixed descriptions are kept borrowed,
/// so only a value that scores pays for a `String`, once.
struct Best {
    score: f32,
    what: Cow<'static, str>,
}

impl Best {
    fn consider(&mut self, score: f32, what: impl Into<Cow<'static, str>>) {
        if score > self.score {
            self.what = what.into();
            self.score = score;
        }
    }
}

fn continuation(s: &Shape<'_>, ctx: Context) -> (f32, Cow<'static, str>) {
    let quoted = ctx != Context::Bare;
    // A value that ends in a short comment cuts the query off (`1 OR 1--`); a long one is
    // more likely text after a `#` or an underline of dashes.
    let cut = s.truncated && !s.error && s.comment_len <= 6;
    let broke_out = quoted || s.lead_close > 0;
    let mut best = Best {
        score: 0.0,
        what: "".into(),
    };
    if s.union_select {
        best.consider(0.95, "UNION SELECT");
    } else if s.union_at_end && (quoted || s.numeric_start || s.variable_start) {
        best.consider(0.7, "UNION SELECT (cut short)");
    } else if s.union_dangling && (quoted || s.numeric_start || s.variable_start) {
        // `-1 union`, `@a union`: an operand then a set operator and nothing else.
        best.consider(0.55, "UNION (cut short)");
    }
    if s.constant_condition {
        best.consider(0.65, "IF() or CASE WHEN testing a condition on constants");
    }
    // The bare comment payloads end with (`-- `, `-- -`, `#`): "-- sizes" and a hashtag
    // (`#surf`) close a remark.
    if s.wildcard_match && quoted {
        best.consider(0.7, "pattern of wildcards alone (matches every row)");
    }
    if s.values_cut && quoted && s.comment_len <= 1 {
        best.consider(
            0.7,
            "VALUES list closed with values of its own, the rest cut off",
        );
    }
    if let Some(c) = s.catalog {
        let score = if s.error {
            0.0
        } else if s.catalog_from {
            // `FROM information_schema.tables`: the clause that reads it, not just its name.
            0.6
        } else {
            PARTIAL + 0.15
        };
        best.consider(score, format!("reads the system catalog {c}"));
    }
    if s.error_cast && !s.error {
        best.consider(
            0.6,
            "cast of a column or call to a number (error-based read)",
        );
    }
    if s.glued_comments >= 2 && s.tokens >= 3 {
        best.consider(0.6, "comments for spaces between words");
    }
    if let Some(w) = s.stacked {
        let what = format!(
            "stacked statement {}{}",
            w.to_ascii_uppercase(),
            if s.stacked_implicit {
                " (no separator)"
            } else {
                ""
            }
        );
        best.consider(if s.stacked_implicit { 0.85 } else { 0.92 }, what);
    }
    if let Some(f) = s.attack_call {
        best.consider(0.9, format!("call to {}()", f.to_ascii_uppercase()));
    }
    if s.into_file {
        best.consider(0.9, "INTO OUTFILE");
    }
    if s.subselect {
        best.consider(
            if broke_out || s.logic_cmp || s.comparison {
                0.88
            } else {
                0.7
            },
            "subquery (SELECT ...)",
        );
    }
    if s.logic_cmp && (broke_out || s.logic_cmp_literal) {
        if s.tautology {
            best.consider(0.9, "tautology after AND/OR");
        } else {
            best.consider(0.85, "AND/OR with comparison");
        }
    } else if s.logic_cmp {
        best.consider(0.3, "AND/OR with comparison of names");
    }
    if s.logic_call {
        best.consider(
            if broke_out { 0.8 } else { 0.7 },
            "AND/OR with function call",
        );
    }
    if s.logic_operand {
        let numeric_sql = s.logic_operand_sql && s.numeric_start && !quoted && !s.error;
        let score = if numeric_sql {
            // `1 or true`, `1 AND 0x1`, `1 AND'1'`: a numeric parameter made a condition that
            // holds (or fails) for every row; prose writes "1 or 2".
            0.6
        } else if !s.logic_operand_literal {
            // `" and "disney`: a word after a quote; too common in text for the model to lift.
            0.2
        } else if quoted || cut || s.inline_comment {
            0.6
        } else {
            0.2
        };
        best.consider(
            score,
            if numeric_sql {
                "AND/OR with a lone operand spelled as SQL"
            } else {
                "AND/OR with lone operand"
            },
        );
    }
    let clause = if s.having {
        Some("HAVING clause")
    } else if s.group_by {
        Some("GROUP BY clause")
    } else if s.order_by {
        Some("ORDER BY clause")
    } else {
        None
    };
    if let Some(c) = clause {
        let score = if broke_out {
            0.8
        } else if cut && (s.order_by_number || s.group_by || s.having) {
            0.75
        } else if s.order_by_number && s.numeric_start && !s.error {
            // `14968 ORDER BY 5`: a numeric id followed by a column-count probe.
            0.6
        } else if s.order_by_number || s.having {
            0.45
        } else {
            0.2
        };
        best.consider(score, c);
    }
    if quoted {
        if s.comparison {
            // `1'='1` closes its literal cleanly; `DANCIN' LIKE A ROBOT` leaves it dangling.
            let clean = s.balanced || s.truncated;
            let score = match (s.comparison_symbolic, clean) {
                (true, true) => 0.6,
                (true, false) | (false, true) => 0.45,
                (false, false) => 0.3,
            };
            best.consider(score, "comparison");
        }
        if cut && !s.prose_prefix && s.postfix_null_first {
            // `' notnull--`: the closed literal tested for NULL, the rest of the query cut off.
            best.consider(0.6, "literal tested for NULL");
        }
        if s.semicolon_first {
            // `admin@example.com';`: a login or id closed and the statement ended on the spot;
            // after words ("the students';") it is punctuation.
            best.consider(
                if s.prefix_words <= 1 { 0.55 } else { PARTIAL },
                "statement ended after the literal",
            );
        }
        if s.logic_arith && (s.balanced || cut) && !s.error && !s.prose_prefix {
            // `asd" or t.col^"1`: the condition is an expression's value.
            best.consider(0.6, "AND/OR with an expression");
        }
        if s.operator_chain && !s.error && !s.prose_prefix {
            // `1' * id - '0`: operators chain the closed literal through more operands into
            // a literal the query's own quote closes.
            best.consider(0.6, "operator chain between literals");
        }
        if cut && s.tokens >= 2 && s.operator_join && !s.prose_prefix {
            // `x'|email--`, `id' NOT LIKE id--`: the literal is closed, an operator joins it to
            // another operand and a comment cuts the rest of the query off.
            best.consider(0.6, "operator, then a comment cuts off the query");
        }
        if s.comment_first {
            // `admin'--`, `admin'-- -`: a long comment reads more like text after a quote.
            // After a three-word prefix it is text ending in a quote and a `#` or `--`.
            let score = if s.prose_prefix {
                PARTIAL
            } else if s.comment_len <= 3 {
                0.7
            } else {
                0.45
            };
            best.consider(score, "comment cuts off the query");
        }
        if s.limit_first && cut && !s.prose_prefix {
            // `admin' LIMIT 1-- -`: the literal closed, one row kept, the rest cut off.
            best.consider(0.7, "LIMIT right after the literal");
        }
        if let Some(f) = s.probe_call {
            best.consider(0.7, format!("probe {}", f.to_ascii_uppercase()));
        }
        if s.arithmetic {
            best.consider(0.35, "operator between literals");
        }
    } else {
        if let Some(f) = s.probe_call {
            best.consider(
                if s.error { 0.25 } else { 0.5 },
                format!("probe {}", f.to_ascii_uppercase()),
            );
        }
        if cut && s.sql_only {
            best.consider(0.45, "SQL expression");
        }
    }
    (best.score, best.what)
}

fn finish(s: &Shape<'_>, ctx: Context, mut score: f32, what: Cow<'static, str>) -> Judgement {
    let quoted = ctx != Context::Bare;
    if score == 0.0 {
        return Judgement {
            score,
            evidence: what.into_owned(),
        };
    }
    let mut tail = "";
    if s.error {
        // Trailing junk SQL would reject: strong structures still tell, weak ones do not.
        score *= if s.strong() { 0.75 } else { 0.5 };
        tail = " (tail not fully SQL)";
    } else if quoted && !s.balanced && !s.truncated && !s.strong() {
        // Leaves the query's own closing quote dangling: a syntax error, but the intent shows.
        score *= 0.85;
    }
    let cut = if s.truncated && !s.comment_first && !s.semicolon_first {
        " then comment"
    } else {
        ""
    };
    // Every context with a score gets here: one exact allocation, no `format!`.
    let evidence = joined(&[ctx.describe(s.lead_close), ": ", &what, tail, cut]);
    Judgement {
        score: score.clamp(0.0, 1.0),
        evidence,
    }
}

/// The parts one after the other in one allocation: cheaper than `format!` and than
/// `concat`, which both scan their parts more than once.
fn joined(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}
