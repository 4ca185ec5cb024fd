//! Weighs the structures a walk found into a score in 0..1 and a one-line explanation.
//! Strong structures (UNION SELECT, stacked statements, time/error functions, subqueries) score
//! high anywhere they are grammatical; boolean conditions need a breakout (a quoted context)
//! or a literal comparison (`1 OR 1=1`, not `a < b and c > d`).

use super::context::Context;
use super::structure::Shape;

pub struct Judgement {
    pub score: f32,
    pub evidence: String,
}

pub fn judge(s: &Shape<'_>, ctx: Context) -> Judgement {
    let quoted = ctx != Context::Bare;
    let mut best: (f32, String) = (0.0, String::new());
    let mut consider = |score: f32, what: String| {
        if score > best.0 {
            best = (score, what);
        }
    };
    if s.union_select {
        consider(0.95, "UNION SELECT".into());
    }
    if let Some(w) = s.stacked {
        let implicit = if s.stacked_implicit { " (no separator)" } else { "" };
        consider(if s.stacked_implicit { 0.85 } else { 0.92 }, format!("stacked statement {}{implicit}", w.to_ascii_uppercase()));
    }
    if let Some(f) = s.attack_call {
        consider(0.9, format!("call to {}()", f.to_ascii_uppercase()));
    }
    if s.into_file {
        consider(0.9, "INTO OUTFILE".into());
    }
    if s.subselect {
        consider(if quoted || s.logic_cmp || s.comparison { 0.88 } else { 0.7 }, "subquery (SELECT ...)".into());
    }
    if s.logic_cmp && (quoted || s.logic_cmp_literal) {
        if s.tautology {
            consider(0.9, "tautology after AND/OR".into());
        } else {
            consider(0.85, "AND/OR with comparison".into());
        }
    } else if s.logic_cmp {
        consider(0.3, "AND/OR with comparison of names".into());
    }
    if s.logic_call {
        consider(if quoted { 0.8 } else { 0.7 }, "AND/OR with function call".into());
    }
    if s.logic_operand {
        consider(if quoted { 0.6 } else { 0.2 }, "AND/OR with lone operand".into());
    }
    let clause = if s.having {
        Some("HAVING")
    } else if s.group_by {
        Some("GROUP BY")
    } else if s.order_by {
        Some("ORDER BY")
    } else {
        None
    };
    if let Some(c) = clause {
        let score = if quoted {
            0.8
        } else if s.truncated && (s.order_by_number || s.group_by || s.having) {
            0.75
        } else if s.order_by_number || s.having {
            0.45
        } else {
            0.2
        };
        consider(score, format!("{c} clause"));
    }
    if quoted {
        if s.comparison {
            consider(0.6, "comparison".into());
        }
        if s.comment_first {
            consider(0.7, "comment cuts off the query".into());
        }
        if let Some(f) = s.probe_call {
            consider(0.7, format!("probe {}", f.to_ascii_uppercase()));
        }
        if s.arithmetic {
            consider(0.35, "arithmetic".into());
        }
    } else if let Some(f) = s.probe_call {
        consider(if s.arithmetic || s.logic_operand { 0.45 } else { 0.3 }, format!("probe {}", f.to_ascii_uppercase()));
    }
    let (mut score, mut what) = best;
    if score == 0.0 {
        return Judgement { score, evidence: what };
    }
    if s.error {
        // Trailing junk SQL would reject: strong structures still tell, weak ones do not.
        score *= if s.strong() { 0.75 } else { 0.5 };
        what.push_str(" (tail not fully SQL)");
    } else if quoted && !s.balanced && !s.truncated && !s.strong() {
        // Leaves the query's own closing quote dangling: a syntax error, but the intent shows.
        score *= 0.85;
    }
    if s.truncated && !s.comment_first {
        what.push_str(" then comment");
    }
    let evidence = format!("{}: {what}", ctx.describe(s.lead_close));
    Judgement { score: score.clamp(0.0, 1.0), evidence }
}
