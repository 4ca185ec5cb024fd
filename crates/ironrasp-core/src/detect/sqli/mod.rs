//! Signature-free SQL injection detection.
//!
//! A value is an injection when, read as it would land in a query (bare/numeric, inside single
//! quotes, inside double quotes, optionally inside parentheses), it leaves its literal and
//! continues into a grammatical SQL tail with a structure an ordinary value never has: a
//! UNION SELECT, a stacked statement, a boolean condition, a time/error function, a subquery,
//! an ORDER/GROUP BY, or a comment that cuts the rest of the query off.
//!
//! Pipeline, cheapest first: [`prefilter`] (byte classes + one word scan) -> [`lexer`] (every
//! dialect's quirks, bounded) -> per [`context`], [`structure`] walks the tokens -> [`score`]
//! weighs what it found -> [`combine`] lets the trained model raise a partial structural
//! finding, never create one.
//!
//! Partial structure: SQL code without a breakout of its own (`version()`, `UNION(SELECT ...`,
//! a tail after a quote that SQL accepts to its end, a complete `SELECT ... FROM ... WHERE`)
//! scores [`PARTIAL`]; only a confident model ([`MODEL_CONFIDENT`], set on the dev split) makes
//! it a finding. A statement pasted without WHERE or a cutting comment ("SELECT * FROM users"
//! in a support ticket) stays clean: running a value as a whole query is for a sink-level SQL
//! check to catch (planned, not built yet: see docs/architecture.md).

mod char_codes;
mod context;
mod implicit_conversion;
mod lexer;
mod markup;
mod prefilter;
mod prose;
mod score;
mod structure;
mod views;
mod words;

use crate::check::Check;
use crate::finding::Finding;
use crate::model::{self, ModelKind};

/// Findings are reported at or above this score.
pub const REPORT: f32 = 0.5;
/// Structural scores from here up to [`REPORT`] are "partial": the model may raise them.
pub const PARTIAL: f32 = 0.3;
/// Model probability at which it may raise a partial finding.
pub const MODEL_CONFIDENT: f32 = 0.95;

pub fn inspect(text: &str) -> Option<Finding> {
    // One pass decides the value itself and whether the other readings can exist: most
    // values stop here.
    let signals = prefilter::scan(text);
    if signals == NOTHING {
        return None;
    }
    let mut best = judge_signalled(text, signals.sql).map(|j| (j, None));
    // Other readings (see [`views`]): judged like the value itself, the original text wins ties.
    let typographic = signals.typographic.then(|| views::ascii_quotes(text));
    if let Some(v) = typographic.flatten() {
        if let Some(j) = judge_view(&v) {
            if best.as_ref().is_none_or(|(b, _)| j.score > b.score) {
                let evidence = format!("typographic quotes read as ASCII, {}", j.evidence);
                best = Some((score::Judgement { evidence, ..j }, Some(v)));
            }
        }
    }
    let spliced = signals.comment.then(|| views::spliced_keywords(text));
    if let Some((v, word)) = spliced.flatten() {
        // A keyword cut in two by a comment is an evasion whatever follows it.
        let mut j = judge_view(&v).unwrap_or(score::Judgement {
            score: 0.0,
            evidence: String::new(),
        });
        let what = format!("keyword {} split by a comment", word.to_ascii_uppercase());
        j.evidence = if j.score > 0.0 {
            format!("{what}, {}", j.evidence)
        } else {
            what
        };
        j.score = j.score.max(SPLIT_KEYWORD);
        if best.as_ref().is_none_or(|(b, _)| j.score > b.score) {
            best = Some((j, Some(v)));
        }
    }
    let (best, view) = best?;
    let view = view.as_deref().unwrap_or(text);
    let mut evidence = best.evidence;
    let final_score = combine(best.score, || model::score(ModelKind::Sqli, view));
    if final_score < REPORT {
        return None;
    }
    if final_score > best.score {
        // The probability is recomputed only on this rare path, to keep `combine` lazy.
        let p = model::score(ModelKind::Sqli, view);
        evidence.push_str(&format!(" (raised by model, p={p:.2})"));
    }
    Some(Finding::new(Check::Sqli, final_score, evidence))
}

/// Score of a grammar word split by a comment (`SEL/**/ECT`): no text writes words that way.
const SPLIT_KEYWORD: f32 = 0.6;

/// A plain value: no SQL signal and no other reading.
const NOTHING: prefilter::Signals = prefilter::Signals {
    sql: None,
    comment: false,
    typographic: false,
};

/// The best judgement of one reading of the value over every context.
fn judge_view(text: &str) -> Option<score::Judgement> {
    judge_signalled(text, prefilter::sql_signal(text))
}

/// [`judge_view`] once [`prefilter::sql_signal`] has answered `sql` for `text`.
fn judge_signalled(text: &str, sql: Option<bool>) -> Option<score::Judgement> {
    let quote_seen = sql?;
    if !quote_seen && prose::walk_stops_early(text) {
        // The judgement the contexts below reach on such plain text (see [`prose`]),
        // without lexing it.
        return Some(score::Judgement {
            score: 0.0,
            evidence: String::new(),
        });
    }
    judge_contexts(text)
}

/// [`judge_view`] past its gates: every context the value can be read in.
fn judge_contexts(text: &str) -> Option<score::Judgement> {
    let mut best: Option<score::Judgement> = None;
    // A quoted context needs its quote in the text, an unescaped one also a backslash
    // (`context::tokens` returns `None` without them): skip those scans up front.
    let Quotes {
        single,
        double,
        backslash,
        backtick,
        bracket,
    } = quote_bytes(text.as_bytes());
    let opens_with_tag = markup::opens_with_tag(text);
    for ctx in context::ALL {
        let possible = match ctx {
            context::Context::Bare => true,
            context::Context::SingleQuote => single,
            context::Context::DoubleQuote => double,
            context::Context::SingleQuoteUnescaped => single && backslash,
            context::Context::DoubleQuoteUnescaped => double && backslash,
            context::Context::Backtick => backtick,
            context::Context::Bracket => bracket,
        };
        if !possible {
            continue;
        }
        let Some((toks, start)) = context::tokens(text, ctx) else {
            continue;
        };
        let markup = ctx == context::Context::Bare && opens_with_tag;
        let readings = [
            score::keyword_fragment(&toks, ctx, markup),
            implicit_conversion::judge(text, ctx, &toks),
            char_codes::judge(&toks, ctx),
        ];
        for j in readings.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| j.score > b.score) {
                best = Some(j);
            }
        }
        let mut shape = structure::walk(&toks, start);
        shape.pasted = shape.whole_statement && !score::statement_like_attack(&toks);
        shape.markup = markup;
        if ctx != context::Context::Bare {
            shape.prefix_words = words_before_quote(text, ctx);
            shape.prose_prefix = shape.prefix_words >= 3;
        }
        let j = score::judge(&shape, ctx);
        if best.as_ref().is_none_or(|b| j.score > b.score) {
            best = Some(j);
        }
    }
    best
}

/// The bytes that end a literal or a quoted name in some context, and the backslash.
struct Quotes {
    single: bool,
    double: bool,
    backslash: bool,
    backtick: bool,
    bracket: bool,
}

/// Which of `'`, `"`, `\\`, `` ` `` and `]` `b` holds. Most values are short: one byte loop
/// costs less there than a `memchr` call per byte, which wins on long ones; one `memchr3`
/// first answers for the long values (user agents, URLs) that hold none of the first three.
fn quote_bytes(b: &[u8]) -> Quotes {
    let has = |c: u8| memchr::memchr(c, b).is_some();
    if b.len() > 64 {
        let quoted = memchr::memchr3(b'\'', b'"', b'\\', b).is_some();
        return Quotes {
            single: quoted && has(b'\''),
            double: quoted && has(b'"'),
            backslash: quoted && has(b'\\'),
            backtick: has(b'`'),
            bracket: has(b']'),
        };
    }
    let mut q = Quotes {
        single: false,
        double: false,
        backslash: false,
        backtick: false,
        bracket: false,
    };
    for &c in b {
        q.single |= c == b'\'';
        q.double |= c == b'"';
        q.backslash |= c == b'\\';
        q.backtick |= c == b'`';
        q.bracket |= c == b']';
    }
    q
}

/// Whether the text before the first quote of `ctx` has three words or more: a product name
/// or a sentence, not the login name or id an `admin'--` cuts the query after.
#[cfg(test)]
fn prose_before_quote(text: &str, ctx: context::Context) -> bool {
    words_before_quote(text, ctx) >= 3
}

/// Words (up to 3) before the first quote of `ctx`.
fn words_before_quote(text: &str, ctx: context::Context) -> u8 {
    let q = ctx.quote().unwrap_or(b'\'');
    let b = text.as_bytes();
    let end = memchr::memchr(q, b).unwrap_or(b.len());
    b[..end]
        .split(|&c| c == b' ')
        .filter(|w| w.iter().any(u8::is_ascii_alphanumeric))
        .take(3)
        .count() as u8
}

/// Final score from the structural score and the model's probability (asked lazily, only
/// when it could change the outcome). The model never creates a finding on its own: below
/// [`PARTIAL`] the structure is absent and prose with SQL words stays clean however the model
/// votes; between [`PARTIAL`] and [`REPORT`] a confident model lifts the finding to the mean of
/// both, at least [`REPORT`]. Tune the three constants on the dev split.
pub fn combine(structural: f32, model: impl FnOnce() -> f32) -> f32 {
    if !(PARTIAL..REPORT).contains(&structural) {
        return structural;
    }
    let m = model();
    if m >= MODEL_CONFIDENT {
        REPORT.max((structural + m) / 2.0)
    } else {
        structural
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str) -> Finding {
        inspect(s).unwrap_or_else(|| panic!("expected sqli: {s:?}"))
    }

    fn clean(s: &str) {
        assert!(
            inspect(s).is_none(),
            "false positive on {s:?}: {:?}",
            inspect(s)
        );
    }

    #[test]
    fn numeric_context_attacks() {
        assert!(hit("1 OR 1=1")
            .evidence
            .starts_with("numeric/bare: tautology"));
        hit("1 UNION SELECT username, password FROM users");
        hit("1; DROP TABLE users");
        hit("-1 union select null,version()--");
        hit("1)) union select null--");
        hit("8 order by 1--");
        hit("sleep(5)#");
    }

    #[test]
    fn quoted_context_attacks() {
        let f = hit("' OR 1=1 -- ");
        assert_eq!(
            f.evidence,
            "after single quote: tautology after AND/OR then comment"
        );
        hit("admin'--");
        hit("admin'#");
        hit("admin'/*");
        hit("') or ('1'='1");
        hit("\" or \"1\"=\"1\"#");
        hit("x' AND 1=(SELECT COUNT(*) FROM users)--");
        hit("'; WAITFOR DELAY '0:0:5'--");
        hit("1' and pg_sleep(5)--");
        hit("' || '1'='1");
        hit("' group by userid having 1=1--");
        hit("1' or dbms_pipe.receive_message('a',5)--");
        hit("' and extractvalue(1,concat(0x7e,version()))--");
    }

    #[test]
    fn obfuscated_attacks() {
        hit("1/**/UnIoN/**/SeLeCt/**/1,2");
        assert!(hit("uni/**/on sel/**/ect").evidence.contains("UNION split"));
        assert!(hit("\u{2019} or \u{2018}1\u{2019}=\u{2019}1")
            .evidence
            .starts_with("typographic quotes"));
        hit("x\\' or 1=1-- ");
        hit("1\u{b}||\u{b}lpad(user,7,1)");
        hit("25UNION SELECT 1,2,3 LIMIT 1,1/*");
        hit("1 /*!50000union*/ /*!50000select*/ 1,2");
        hit("' union select char(65,66),0x414243--");
        hit("1 or 0x31=0x31");
        hit("'/**/or/**/'a'='a");
    }

    #[test]
    fn benign_text_passes() {
        for s in [
            "select a size",
            "Can you drop the table booking for tonight?",
            "O'Brien",
            "it's",
            "rock 'n' roll",
            "a < b and c > d",
            "1 or 2",
            "Union Street",
            "order by price",
            "SELECT * FROM users",
            "2024-01-31",
            "john.o'reilly@example.com",
            "{\"city\": \"Zürich\", \"qty\": 2}",
            "# Heading\n\n- item -- note",
            "#074024",
            "Tom & Jerry",
            "copy & paste",
            "<b>bold</b>",
            "I'd like to order by phone; is that OK?",
            "Please select pair #1",
            "We're open 9-5 and closed on Sundays (except holidays)",
            "It\u{2019}s \u{201C}great\u{201D}, isn\u{2019}t it?",
            "Rock \u{2018}n\u{2019} roll or jazz?",
            "path\\to\\file's name",
            "{\\\"a\\\": \\\"b or c\\\"}",
            "/* note */ select a size",
        ] {
            clean(s);
        }
    }

    #[test]
    fn whole_statements_need_an_attack_structure() {
        clean("SELECT name, price FROM products WHERE price < 20 ORDER BY price");
        clean("CREATE TABLE post (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
        assert!(hit("SELECT BENCHMARK(1000000,MD5(1))")
            .evidence
            .contains("BENCHMARK"));
        hit("declare @s varchar(200) select @s = 0x77 exec(@s)");
    }

    #[test]
    fn evidence_names_context_and_structure() {
        assert_eq!(
            hit("1)) union select null--").evidence,
            "after closing parenthesis: UNION SELECT then comment"
        );
        assert_eq!(
            hit("\" or 1=1#").evidence,
            "after double quote: tautology after AND/OR then comment"
        );
        assert!(hit("') or ('1'='1")
            .evidence
            .starts_with("after single quote and parenthesis"));
    }

    #[test]
    fn combine_never_lets_the_model_alone_flag() {
        assert_eq!(combine(0.0, || 1.0), 0.0);
        assert_eq!(combine(0.2, || 1.0), 0.2);
        assert!(combine(0.35, || 0.95) >= REPORT);
        assert_eq!(combine(0.35, || 0.5), 0.35);
        assert_eq!(combine(0.9, || panic!("model not needed")), 0.9);
    }

    #[test]
    fn fragments_are_partial_until_the_model_agrees() {
        // Partial structure: reported only with the model's agreement, never by it alone.
        hit("version()");
        hit("42 UNION(SELECT passwd FROM staff)");
        for s in [
            "Hand (panning tool)",
            "3x(2+4)",
            "SELECT id, title FROM posts",
        ] {
            clean(s);
        }
        assert!(prose_before_quote(
            "GREEN WOOL SCARF 2 '#",
            context::Context::SingleQuote
        ));
        assert!(!prose_before_quote(
            "admin'#",
            context::Context::SingleQuote
        ));
        assert!(!prose_before_quote(
            "x\" or 1=1",
            context::Context::DoubleQuote
        ));
        clean("GREEN WOOL SCARF 2 '#");
        hit("admin'#");
    }

    #[test]
    fn markup_read_bare_is_no_fragment() {
        // Before: every one was a bare "SQL fragment" or "SQL keywords in sequence" and cost a
        // model pass; now they have no partial structure to raise.
        for s in [
            "<p>Methods can be added to enumerations, and members can have attributes.</p>",
            "<p>Lists all managed policies that are attached to the specified IAM group.</p>",
            "<div><p>To choose a sample from a range of integers, use range() for it.</p></div>",
        ] {
            let j = judge_contexts(s).expect("read bare");
            assert!(j.score < PARTIAL, "{s}: {}", j.evidence);
        }
        // What is SQL in itself is still judged, tag or not.
        hit("<b>x</b> UNION SELECT username, password FROM users--");
        hit("<p>1; DROP TABLE users--");
        // Not a tag, so still a fragment the model may raise.
        assert!(judge_contexts("< p > concat(version(), 1)").is_some_and(|j| j.score >= PARTIAL));
    }

    #[test]
    fn error_casts_json_operators_and_arrays() {
        assert!(hit("password::int").evidence.contains("error-based"));
        hit("lower(password)::int");
        hit("1+current_user::int");
        hit("1 or '{\"a\":1}' ?| array['a','b']");
        hit("x' or array[id] is not null--");
        for s in [
            "std::string",
            "Foo::Bar::int",
            "x :: Int",
            "'2'::int",
            "my array[1, 2] or not",
            "array[0] = 5",
        ] {
            clean(s);
        }
    }

    #[test]
    fn breakout_then_end_of_statement_or_cut() {
        hit("admin@example.com';");
        hit("root@example.com'/* x */;");
        hit("z'or email notnull--");
        hit("' notnull --");
        hit("1' * id - '0");
        hit("asd\" or table.column^\"1");
        for s in [
            "the students';",
            "I said 'hello';",
            "Jane's bag + Tom's hat - 'x'",
            "5' - 6'",
            "it's 5 + 3 - 'x",
            "@app.route(\"/\") def index(): return \"Hello, World!\"",
            "36\"+X+48+\"+FRAME&VIEW_TYPE=GALLERY",
            "user'collate foo--",
            "Tom's or Jerry's - 'x",
            "rock 'n' roll or jazz-rock 'x",
        ] {
            clean(s);
        }
    }

    #[test]
    fn statement_forms_and_evasions() {
        hit("1;INSERT /*x*/INTO category(id) VALUES (3)-- -");
        hit(";REPLACE t (id, name) VALUES (1, 'x');");
        hit("';print'");
        hit("procedure analyse (");
        hit("-1 union select password");
        hit("from information_schema.tables limit");
        hit("SELECT/**/password/**/FROM/**/members");
        hit("SELECT (CHR(113)||CHR(122)||CHR(120)||CHR(106))||(SELECT (CASE");
        for s in [
            "; replace the filter (old one)",
            "; print this page",
            "Please copy from information_schema docs",
            "src/*/foo/*/bar",
            "x = Chr(13) & Chr(10) & Chr(9)",
            "SELECT id::int FROM t",
            "INSERT INTO user (name, pw) VALUES ('a', 'b'), ('c', 'd');",
            "app.add_url_rule('/users/', view_func=UserList.as_view())",
        ] {
            clean(s);
        }
    }

    #[test]
    fn numeric_booleans_spelled_as_sql() {
        for s in [
            "1 or true",
            "1 || true",
            "1 and false--",
            "1 or x'31'",
            "1 AND-1",
            "1 AND'1'",
            "1 AND@a",
            "1 AND !0",
            "1 AND ~0",
        ] {
            let f = hit(s);
            assert!(f.evidence.contains("spelled as SQL"), "{s}: {}", f.evidence);
        }
        // Prose with numbers: plain numbers and words after AND/OR, page ranges.
        for s in [
            "1 or 2",
            "1 and 2",
            "3 and not 4",
            "pages 1 and 3-5",
            "2 or more",
            // Programmers' prose and chat: NULL, hex numbers, mentions, CSS.
            "0 or null",
            "12 and null terminator",
            "255 or 0xFF",
            "42 or @everyone",
            "1 and !important",
            "2 && !done",
            "1 or true love",
        ] {
            clean(s);
        }
    }

    #[test]
    fn identifier_contexts_and_other_breakouts() {
        // A sort column or field name quoted as an identifier.
        let f = hit("id` or 1=1#");
        assert!(
            f.evidence.starts_with("after backtick-quoted name"),
            "{}",
            f.evidence
        );
        hit("id`=1 AND SLEEP(5)-- -");
        assert!(hit("id] OR 1=1--")
            .evidence
            .starts_with("after bracketed name"));
        // Markdown code and footnotes are no names before the quote.
        for s in [
            "use `x` or `y`",
            "[1] or 2",
            "see `a` and 1=1",
            "[note] or more",
        ] {
            clean(s);
        }
        // Control characters separate words (SQL Server), LIMIT right after the literal,
        // empty strings chained by operators (MySQL's string-to-number tautology).
        hit("1\u{2}UNION\u{3}SELECT\u{4}1");
        hit("admin'\u{1}OR\u{1}1=1--");
        assert!(hit("admin' LIMIT 1-- -").evidence.contains("LIMIT"));
        hit("'-''-'");
        hit("'*''*'");
        hit("1 UNION SELECT DISTINCTROW 1");
        for s in ["it's limit 1 -- ok", "don't limit 1 per customer"] {
            clean(s);
        }
    }

    #[test]
    fn prose_gate_gives_what_the_contexts_give() {
        // Every value the gate short-cuts, among many built from grammar words, names,
        // numbers and signs, gets the same judgement from the full pipeline.
        let parts = [
            "a", "Can", "you", "drop", "select", "union", "from", "or", "and", "like", "not",
            "null", "notnull", "isnull", "end", "as", "waitfor", "exec", "1", "1.5", ".5", "1.",
            ".", "/", "-", "!", "?", ":", "::", "(", ")", ";", ",", "e5", "x86_64", "_a", "table",
            "for", "current", "user", "where", "order", "by", "sleep", "char", "if", "case",
            "when", "in", "true", "0x1f", "25union", "desc", "set", "declare", "into", "limit",
            "all", "top", "E3", "Mozilla", "'", "\\",
        ];
        let seps = [" ", "", "\n"];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut rnd = |m: usize| rng.below(m);
        let (mut gated, mut apostrophes) = (0, 0);
        // Words with a quote, placed once among the parts in every other value.
        let quoted = [
            "nobody's",
            "it's",
            "don't",
            "O'Brien",
            "I'm",
            "x'",
            "'s",
            "N'",
            "a_'b",
            "ab1'or",
            "'",
            "\"",
            "s'notnull",
            "n't",
            "it'isnull",
            "it'select",
            "it'union",
            "x'1",
            "x'(",
            "it'--",
            "a\\'b",
        ];
        let names = [
            "Please", "leave", "it", "home", "s", "t", "thanks", "x86_64", "_a",
        ];
        for round in 0..100_000 {
            let mut t = String::new();
            let n = 2 + rnd(6);
            let at = if round % 2 == 0 { usize::MAX } else { rnd(n) };
            for k in 0..n {
                t.push_str(if k == at {
                    quoted[rnd(quoted.len())]
                } else if at != usize::MAX && rnd(2) == 0 {
                    // Names around the quote, as in the sentences the gate is for.
                    names[rnd(names.len())]
                } else {
                    parts[rnd(parts.len())]
                });
                t.push_str(seps[rnd(seps.len())]);
            }
            if prose::walk_stops_early(&t) {
                gated += 1;
                apostrophes += usize::from(t.contains('\''));
                let full = judge_contexts(&t);
                assert!(
                    full.as_ref()
                        .is_some_and(|j| j.score == 0.0 && j.evidence.is_empty()),
                    "{t:?}"
                );
            }
        }
        // What the gate must refuse: the tail after the quote reads as SQL keywords.
        let tail = "a b c it's home, select x from y";
        assert!(!prose::walk_stops_early(tail));
        assert!(judge_contexts(tail).is_some_and(|j| j.score > 0.0));
        assert!(gated > 1000, "{gated}");
        assert!(apostrophes > 300, "{apostrophes}");
    }

    #[test]
    fn the_first_pass_hides_no_view() {
        // A view the pass rules out is one that the view itself does not build.
        let mut texts: Vec<String> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .map(|c| format!("\u{416}{c} x"))
            .collect();
        for s in [
            "uni/**/on sel/**/ect 1",
            "SEL/*x*/ECT",
            "a /* b",
            "\u{2019} or \u{2018}1\u{2019}=\u{2019}1",
            "Zürich \u{201C}Altstadt\u{201D}",
            "x",
            "",
        ] {
            texts.push(s.to_string());
        }
        // Non-ASCII runs of every length, ending at every kind of byte.
        for n in 0..24 {
            for tail in ["", "'", "||", "/**/", "\u{2019}", "x", "\u{416}"] {
                texts.push(format!("{}{tail}", "\u{416}".repeat(n)));
                texts.push(format!("{}{tail}", "\u{67E5}".repeat(n)));
            }
        }
        for t in &texts {
            let seen = prefilter::scan(t);
            assert_eq!(seen.sql, prefilter::sql_signal(t), "{t:?}");
            if !seen.typographic {
                assert!(views::ascii_quotes(t).is_none(), "{t:?}");
            }
            if !seen.comment {
                assert!(views::spliced_keywords(t).is_none(), "{t:?}");
            }
            if seen == NOTHING {
                assert!(judge_view(t).is_none(), "{t:?}");
            }
        }
        let run = "\u{416}".repeat(9);
        assert!(prefilter::scan(&format!("{run}\u{2019}")).typographic);
        assert_eq!(prefilter::scan(&format!("{run}||")).sql, Some(false));
        assert_eq!(prefilter::scan(&run), NOTHING);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "'",
            "''",
            "'\"",
            "é'ü",
            "\\",
            "'/*!",
            "1'))))",
            &"(".repeat(5000),
            &"' or ".repeat(500),
        ] {
            let _ = inspect(s);
        }
    }
}
