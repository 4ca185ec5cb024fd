//! Walks the tokens of a value as they would continue a query and records which SQL
//! structures appear while the continuation stays grammatical. The grammar is a small state
//! machine over token classes (operand / operator alternation, parentheses, clauses, UNION,
//! stacked statements): tolerant enough for every dialect, strict enough that prose ("Can you
//! drop the table booking?") falls out of it at the first word pair SQL would reject.

use super::lexer::{Class, Token};
use super::words::{is_attack_function, is_attack_package, is_catalog, is_probe_function};

/// Where the walk begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// The value itself is the first operand (`WHERE id = <value>`).
    Operand,
    /// An operand precedes the value: a literal the value just closed, or the original
    /// parameter value that a payload was appended to.
    AfterOperand,
    /// The value is a whole statement (`SELECT ...`): pasted SQL or a query-sized payload.
    Statement,
}

/// What the walk found. Only facts; [`super::score`] weighs them.
#[derive(Clone, Debug, Default)]
pub struct Shape<'a> {
    pub union_select: bool,
    pub stacked: Option<&'a str>,
    /// A statement head after an operand without `;` (SQL Server batches allow it).
    pub stacked_implicit: bool,
    pub attack_call: Option<&'a str>,
    pub probe_call: Option<&'a str>,
    pub subselect: bool,
    pub into_file: bool,
    /// AND/OR/XOR/&&/|| followed by a comparison (`OR 1=1`, `AND x LIKE y`).
    pub logic_cmp: bool,
    /// ... where that comparison tests constants (`1=1`), equal sides (`x=x`) or a computed
    /// value (`ascii(...)>5`), not a name against a value (`price <= 20`).
    pub logic_cmp_literal: bool,
    /// AND/OR followed directly by a call (`AND SLEEP(5)`, `OR ISNULL(1/0)`).
    pub logic_call: bool,
    /// AND/OR followed by a lone operand (`OR 1`, `OR TRUE`).
    pub logic_operand: bool,
    /// ... and that operand is truthy or falsy on its own: a number, TRUE/FALSE/NULL, or a
    /// string with a numeric value (`OR '1'`), unlike `AND "disney"` or `and white`.
    pub logic_operand_literal: bool,
    /// ... and that operand ends the value and is spelled as only SQL spells one: TRUE or
    /// FALSE, a hex or bit string (`x'31'`), a number negated by `!` or `~`, or anything glued
    /// to the AND/OR with no space (`1 or true`, `1 AND !0`, `1 AND'1'`, `1 AND-1`), unlike
    /// "1 or 2", "0 or null", "255 or 0xFF" and "1 and @channel".
    pub logic_operand_sql: bool,
    /// A comparison with a symbol (`=`, `<>`, `<`...), not a word (LIKE, IS, IN).
    pub comparison_symbolic: bool,
    /// Characters inside the comment that ends the value (`admin'--` has none).
    pub comment_len: usize,
    pub tautology: bool,
    pub comparison: bool,
    pub arithmetic: bool,
    /// A binary operator joined two operands (`x'|email`, `id' NOT LIKE id`); COLLATE and
    /// ESCAPE only qualify a value, and `~` is unary outside PostgreSQL.
    pub operator_join: bool,
    pub order_by: bool,
    pub order_by_number: bool,
    pub group_by: bool,
    pub having: bool,
    /// The first thing after the breakout is a comment that runs to the end (`admin'--`).
    pub comment_first: bool,
    /// The value ends in a comment (or `;` and a comment): the rest of the query is cut off.
    pub truncated: bool,
    /// The value ends inside a string it opened: the query's own closing quote balances it.
    pub balanced: bool,
    /// Unmatched `)` right after the first operand: breaking out of a parenthesis.
    pub lead_close: u8,
    /// A token SQL would reject; the walk stopped there.
    pub error: bool,
    /// Tokens of real SQL seen (not comments).
    pub tokens: usize,
    /// UNION SELECT at the very end with nothing after it (a truncated payload).
    pub union_at_end: bool,
    /// The first operand is a number (`-1 UNION ...`): a numeric parameter.
    pub numeric_start: bool,
    /// Parentheses, variables, calls or typed keywords: things prose does not produce.
    pub sql_only: bool,
    /// The value is itself a statement (see [`Start::Statement`]).
    pub whole_statement: bool,
    /// A T-SQL batch statement (WAITFOR, EXEC, DECLARE, SHUTDOWN) was validated.
    pub batch_statement: Option<&'a str>,
    /// Quoted contexts: the part before the breakout quote is prose of three words or more
    /// (set by the caller, which sees the whole value).
    pub prose_prefix: bool,
    /// Quoted contexts: words before the breakout quote, up to 3 (set by the caller).
    pub prefix_words: u8,
    /// A whole statement without WHERE or a cut: pasted SQL (set by the caller).
    pub pasted: bool,
    /// Bare context: the value opens with an HTML tag, so it is markup, not a fragment
    /// (set by the caller; see [`super::markup`]).
    pub markup: bool,
    /// A name of a system catalog (`information_schema`, `sysibm`, `pg_catalog`, ...): the
    /// schema an attacker enumerates.
    pub catalog: Option<&'a str>,
    /// A block comment between two tokens of the walk (`9999 or /* x */ true`): only SQL
    /// interleaves comments so.
    pub inline_comment: bool,
    /// `IF(...)` / `IIF(...)` whose condition compares two constants (`IIF(2510=9436,..)`):
    /// a blind-inference test, not a real condition.
    pub constant_condition: bool,
    /// The value ends right after UNION [ALL] (`-1 union`, `@a union`), nothing else wrong.
    pub union_dangling: bool,
    /// The first operand is a variable (`@a union select`).
    pub variable_start: bool,
    /// A name, call or identity value cast to a number (`password::int`,
    /// `unistr(password)::int`): PostgreSQL then reports the text it could not convert, the
    /// error-based way to read a column.
    pub error_cast: bool,
    /// A system catalog read right after FROM or JOIN (`from information_schema.tables`).
    pub catalog_from: bool,
    /// After the breakout, nothing but binary operators alternating with operands, two or
    /// more of each, ending in a literal the query's quote closes or a comment (`1' * id -
    /// '0`); at least one operand is not a string and one operator is none of `+` (a URL's
    /// space), `/` (a path's separator) and `-` (a hyphen).
    pub operator_chain: bool,
    /// AND/OR followed by an arithmetic or bitwise expression (`OR t.col^'1`): MySQL reads
    /// its value as the condition.
    pub logic_arith: bool,
    /// A postfix null test (`NOTNULL`, `ISNULL`) right after the breakout literal.
    pub postfix_null_first: bool,
    /// Only `)` and `;` (and comments) follow the breakout: the statement is ended there.
    pub semicolon_first: bool,
    /// LIMIT is the first word after the breakout (`admin' LIMIT 1-- -`): the closed literal
    /// ends the condition and the rows are cut to the first, the login-bypass shape.
    pub limit_first: bool,
    /// After the breakout, only literals each after a comma, then `)` and a comment that ends
    /// the value (`a', 'b') -- `, `x', 1)#`): the value fills the rest of an INSERT's VALUES
    /// list with values of its own (an `is_admin` of 1) and cuts off the application's.
    pub values_cut: bool,
    /// After the breakout, only a pattern operator (LIKE, RLIKE, REGEXP, GLOB) and a pattern
    /// of wildcards alone (`' like '%`, `' rlike '.`, `' regexp '.*`): the condition matches
    /// every row, the login-bypass shape of the pattern operators.
    pub wildcard_match: bool,
    /// Block comments glued to words on both sides (`SELECT/**/password/**/FROM`): comments
    /// used as spaces, the way filters that look for spaces are evaded.
    pub glued_comments: u8,
}

impl Shape<'_> {
    pub fn strong(&self) -> bool {
        self.union_select
            || self.stacked.is_some()
            || self.attack_call.is_some()
            || self.subselect
            || self.into_file
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St {
    Expect,
    After,
    Alias,
    Dot,
    Func,
    Union,
    By,
    Stmt,
    /// Inside a stacked statement other than SELECT whose head was checked: anything goes.
    Loose,
}

/// Which SELECT is waiting for proof that it is SQL and not English ("union select a size").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PendingSelect {
    Union,
    Stacked,
    Sub,
}

pub fn walk<'a>(toks: &[Token<'a>], start: Start) -> Shape<'a> {
    let mut w = Walker::new(start);
    w.shape.whole_statement = start == Start::Statement;
    for (i, t) in toks.iter().enumerate() {
        if t.class == Class::Comment {
            let only_closers = toks[..i]
                .iter()
                .all(|x| matches!(x.class, Class::RParen | Class::Semicolon | Class::Comment));
            if only_closers
                && w.start == Start::AfterOperand
                && toks[i + 1..].iter().all(|x| x.class == Class::Comment)
            {
                w.shape.comment_first = true;
            }
            continue;
        }
        if w.sig > 0 && toks[..i].last().is_some_and(|p| p.class == Class::Comment) {
            w.shape.inline_comment |= toks[i - 1].text.starts_with("/*");
        }
        if i >= 2 && glued_comment(&toks[i - 2], &toks[i - 1], &toks[i]) {
            w.shape.glued_comments = w.shape.glued_comments.saturating_add(1);
        }
        if !w.step(toks, i) {
            w.shape.error = true;
            break;
        }
        w.sig += 1;
    }
    w.finish(toks);
    let significant = || toks.iter().filter(|x| x.class != Class::Comment);
    // `all` stops at the first other token: cheap on long values.
    w.shape.semicolon_first = start == Start::AfterOperand
        && !w.shape.error
        && significant().all(|x| matches!(x.class, Class::RParen | Class::Semicolon))
        && significant().any(|x| x.class == Class::Semicolon);
    w.shape.operator_chain = start == Start::AfterOperand && operator_chain(toks);
    w.shape.values_cut = start == Start::AfterOperand && values_cut(toks);
    w.shape.wildcard_match = start == Start::AfterOperand && wildcard_match(toks);
    w.shape
}

/// See [`Shape::wildcard_match`].
fn wildcard_match(toks: &[Token<'_>]) -> bool {
    let mut it = toks.iter().filter(|t| t.class != Class::Comment);
    let mut op = it.next();
    if op.is_some_and(|t| t.is(Class::Logic, "not")) {
        op = it.next();
    }
    let pattern_op = op.is_some_and(|t| {
        t.class == Class::WordOp
            && ["like", "rlike", "regexp", "glob", "ilike"]
                .iter()
                .any(|w| t.text.eq_ignore_ascii_case(w))
    });
    let (Some(pattern), None) = (it.next(), it.next()) else {
        return false;
    };
    let body = pattern.text.get(1..).unwrap_or("");
    let body = if pattern.open {
        body
    } else {
        body.get(..body.len().saturating_sub(1)).unwrap_or("")
    };
    pattern_op
        && pattern.class == Class::Str
        && !body.is_empty()
        && body
            .bytes()
            .all(|c| matches!(c, b'%' | b'_' | b'.' | b'*' | b'+' | b'^' | b'$'))
}

/// See [`Shape::values_cut`].
fn values_cut(toks: &[Token<'_>]) -> bool {
    let Some((last, rest)) = toks.split_last() else {
        return false;
    };
    if last.class != Class::Comment || rest.iter().any(|t| t.class == Class::Comment) {
        return false;
    }
    let closers = rest
        .iter()
        .rev()
        .take_while(|t| matches!(t.class, Class::RParen | Class::Semicolon))
        .count();
    let list = &rest[..rest.len() - closers];
    let closes = rest[list.len()..]
        .first()
        .is_some_and(|t| t.class == Class::RParen);
    let literal = |t: &Token<'_>| {
        matches!(
            t.class,
            Class::Str | Class::Number | Class::Literal | Class::Variable
        ) && !t.open
    };
    closes
        && !list.is_empty()
        && list
            .chunks(2)
            .all(|pair| matches!(pair, [c, v] if c.class == Class::Comma && literal(v)))
}

/// Whether the call of attack function `name`, `rest` being what follows the name, does
/// nothing an attack wants: "Sleep (album)", "Benchmark (ms)", "Sleep(less)" (words of letters
/// between the parentheses) are titles and table headers, and so is "Benchmark (2023)"
/// (BENCHMARK takes two arguments). An attack's call takes numbers (a delay in seconds, or in
/// milliseconds for a JavaScript `sleep(5000)`), strings, variables or other calls (`sleep(5)`,
/// `benchmark(1e7,md5(1))`, `sleep(__TIME__)`).
fn inert_call(name: &str, rest: &[Token<'_>]) -> bool {
    let mut it = rest.iter().filter(|x| x.class != Class::Comment);
    if it.next().is_none_or(|x| x.class != Class::LParen) {
        return false;
    }
    let (Some(first), Some(close)) = (it.next(), it.next()) else {
        return false;
    };
    if first.class == Class::Number && close.class == Class::RParen {
        return name.eq_ignore_ascii_case("benchmark");
    }
    let mut words = 0;
    for x in [first, close].into_iter().chain(it) {
        match x.class {
            Class::RParen => return words > 0,
            // Letters only: `__TIME__` or `delay_ms` is a placeholder or a column, code.
            Class::Ident if x.text.chars().all(char::is_alphabetic) => words += 1,
            _ => return false,
        }
    }
    false
}

/// See [`Shape::operator_chain`].
fn operator_chain(toks: &[Token<'_>]) -> bool {
    let ends = toks
        .last()
        .is_some_and(|x| x.class == Class::Comment || (x.class == Class::Str && x.open));
    if !ends {
        return false;
    }
    let binary = |x: &Token<'_>| match x.class {
        Class::Operator => !matches!(x.text, "!" | "~" | "::" | ":="),
        Class::Comparison => true,
        Class::WordOp => !x.text.eq_ignore_ascii_case("collate"),
        _ => false,
    };
    let operand = |x: &Token<'_>| {
        matches!(
            x.class,
            Class::Str | Class::Number | Class::Ident | Class::Literal | Class::Variable
        )
    };
    // `''` between operators (`'-''-'`): an empty literal is computed with, never quoted.
    let empty = |x: &Token<'_>| x.class == Class::Str && !x.open && literal_value(x).is_empty();
    let (mut n, mut name_operand, mut telling_operator) = (0usize, false, false);
    for (k, x) in toks
        .iter()
        .filter(|x| x.class != Class::Comment)
        .enumerate()
    {
        if k % 2 == 0 {
            if !binary(x) {
                return false;
            }
            telling_operator |= !matches!(x.text, "+" | "/" | "-");
        } else {
            if !operand(x) {
                return false;
            }
            name_operand |= x.class != Class::Str || empty(x);
            telling_operator |= empty(x);
        }
        n = k + 1;
    }
    n >= 4 && n % 2 == 0 && name_operand && telling_operator
}

/// A block comment with a word glued to each side (`SELECT/**/x`): no space around it.
fn glued_comment(before: &Token<'_>, c: &Token<'_>, after: &Token<'_>) -> bool {
    let wordy = |x: &Token<'_>| {
        matches!(
            x.class,
            Class::Statement
                | Class::Union
                | Class::Clause
                | Class::Logic
                | Class::WordOp
                | Class::Keyword
                | Class::Ident
                | Class::Function
                | Class::Number
        ) && x
            .text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let start = |x: &Token<'_>| x.end - x.text.len();
    c.class == Class::Comment
        && c.text.starts_with("/*")
        && !c.open
        && before.end == start(c)
        && c.end == start(after)
        && wordy(before)
        && wordy(after)
}

struct Walker<'a> {
    st: St,
    start: Start,
    depth: u32,
    list_ok: bool,
    lead: bool,
    /// Significant tokens consumed.
    sig: usize,
    prev: Option<Token<'a>>,
    prev2: Option<Token<'a>>,
    /// A binary AND/OR was seen and its right side has not shown a comparison or call yet.
    pending_logic: bool,
    logic_rhs_tokens: usize,
    logic_rhs_literal: bool,
    /// The right side's first operand is spelled as only SQL spells one (see
    /// [`Shape::logic_operand_sql`]).
    logic_rhs_sql: bool,
    /// Byte offset just past the last binary AND/OR.
    logic_end: usize,
    /// The operand left of the last comparison, waiting for its right side.
    cmp_lhs: Option<Token<'a>>,
    cmp_under_logic: bool,
    last_operand: Option<Token<'a>>,
    pending_select: Option<(PendingSelect, &'a str)>,
    /// Inside `IF <cond>`: a statement may follow the condition without a separator.
    if_statement: bool,
    /// Parenthesis depth inside the arguments of an `IF(` / `IIF(` call.
    condition_depth: Option<u32>,
    /// Parenthesis depth of a `CASE WHEN` whose condition is being read (until THEN).
    when_depth: Option<u32>,
    /// A CASE opened an expression (see `when_depth`): its later WHENs are conditions too.
    case_opened: bool,
    shape: Shape<'a>,
}

impl<'a> Walker<'a> {
    fn new(start: Start) -> Self {
        Walker {
            st: match start {
                Start::Operand => St::Expect,
                Start::AfterOperand => St::After,
                Start::Statement => St::Stmt,
            },
            start,
            depth: 0,
            list_ok: false,
            lead: true,
            sig: 0,
            prev: None,
            prev2: None,
            pending_logic: false,
            logic_rhs_tokens: 0,
            logic_rhs_literal: false,
            logic_rhs_sql: false,
            logic_end: 0,
            cmp_lhs: None,
            cmp_under_logic: false,
            last_operand: None,
            pending_select: None,
            if_statement: false,
            condition_depth: None,
            when_depth: None,
            case_opened: false,
            shape: Shape::default(),
        }
    }

    fn finish(&mut self, toks: &[Token<'a>]) {
        // Only a value that ends on the operand: "12 and null terminator" goes on in words.
        let ends_on_operand = self.prev.map(|p| p.end) == self.last_operand.map(|o| o.end);
        self.shape.logic_operand_sql = self.pending_logic
            && self.logic_rhs_sql
            && self.logic_rhs_tokens == 1
            && ends_on_operand;
        self.close_logic();
        let last = toks.iter().rev().find(|t| t.class != Class::Comment);
        let ends_in_comment = toks.last().is_some_and(|t| t.class == Class::Comment);
        if let Some(c) = toks.last().filter(|t| t.class == Class::Comment) {
            let body = c
                .text
                .trim_start_matches(['-', '#', '/', '*'])
                .trim_end_matches(['*', '/']);
            self.shape.comment_len = body.trim().chars().count();
        }
        if !self.shape.error {
            self.shape.truncated =
                ends_in_comment || last.is_some_and(|t| t.class == Class::Semicolon);
            self.shape.balanced = last.is_some_and(|t| t.class == Class::Str && t.open);
        }
        self.shape.tokens = self.sig;
        if !self.shape.error && self.st == St::Union && self.depth == 0 {
            self.shape.union_dangling = true;
        }
        if !self.shape.error
            && self
                .pending_select
                .is_some_and(|(k, _)| k == PendingSelect::Union)
            && (self.prev.is_some_and(|p| p.is(Class::Statement, "select"))
                || (self.prev.is_some_and(|p| p.class == Class::Ident)
                    && self.prev2.is_some_and(|p| p.is(Class::Statement, "select"))))
        {
            // `UNION SELECT` or `UNION SELECT name` cut at the end of the value.
            self.shape.union_at_end = true;
        }
    }

    fn close_logic(&mut self) {
        if self.pending_logic && self.logic_rhs_tokens > 0 {
            self.shape.logic_operand = true;
            if self.logic_rhs_literal && self.logic_rhs_tokens == 1 {
                self.shape.logic_operand_literal = true;
            }
        }
        self.pending_logic = false;
    }

    /// One significant token; false when SQL would reject it here.
    fn step(&mut self, toks: &[Token<'a>], i: usize) -> bool {
        let t = toks[i];
        let ok = self.transition(toks, i, t);
        self.prev2 = self.prev;
        self.prev = Some(t);
        ok
    }

    fn operand(&mut self, t: Token<'a>) {
        if self.pending_logic && self.logic_rhs_tokens == 0 {
            let v = literal_value(&t);
            let numeric = !v.is_empty()
                && v.trim()
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c == b'.' || c == b'-');
            self.logic_rhs_literal = match t.class {
                Class::Number | Class::Literal => true,
                Class::Str => numeric,
                _ => false,
            };
            self.logic_rhs_sql = self.sql_spelled_rhs(t);
        }
        if self.sig == 0 || (self.sig == 1 && self.prev.is_some_and(|p| p.class == Class::Operator))
        {
            self.shape.numeric_start = t.class == Class::Number;
            self.shape.variable_start = t.class == Class::Variable;
        }
        if t.class == Class::Ident && is_catalog(t.text) {
            self.shape.catalog.get_or_insert(t.text);
            self.shape.catalog_from |= self
                .prev
                .is_some_and(|p| p.is(Class::Clause, "from") || p.is(Class::Clause, "join"));
        }
        if t.class == Class::Variable {
            self.shape.sql_only = true;
        }
        self.st = St::After;
        self.last_operand = Some(t);
        if self.pending_logic {
            self.logic_rhs_tokens += 1;
        }
        if let Some(lhs) = self.cmp_lhs.take() {
            // `1=1`, `'a'='b'`, `x=x`, `ascii(...)>5`: a test of constants or of a computed
            // value, unlike a real filter such as `price <= 20`.
            let literal = |x: &Token| {
                matches!(
                    x.class,
                    Class::Number | Class::Str | Class::Literal | Class::Variable
                )
            };
            let same =
                lhs.class == t.class && literal_value(&lhs).eq_ignore_ascii_case(literal_value(&t));
            let lit = (literal(&lhs) && literal(&t)) || same || lhs.class == Class::Function;
            if same {
                self.shape.tautology = true;
            }
            let constant = |x: &Token| matches!(x.class, Class::Number | Class::Str);
            let in_condition = self.condition_depth.is_some_and(|d| self.depth >= d)
                || self.when_depth.is_some_and(|d| self.depth >= d);
            if in_condition && constant(&lhs) && constant(&t) {
                self.shape.constant_condition = true;
            }
            if self.cmp_under_logic && lit {
                self.shape.logic_cmp_literal = true;
            }
        }
        if matches!(
            t.class,
            Class::Number | Class::Str | Class::Literal | Class::Variable
        ) {
            self.confirm_select();
        }
        // CURRENT_USER, SESSION_USER, SYSTEM_USER without parentheses.
        let identity = t.class == Class::Literal
            && t.text.len() >= 5
            && t.text.as_bytes()[t.text.len() - 5..].eq_ignore_ascii_case(b"_USER");
        if (t.class == Class::Variable && t.text.starts_with("@@")) || identity {
            self.shape.probe_call.get_or_insert(t.text);
        }
    }

    /// Whether `t`, the first operand after AND/OR, is spelled as only SQL spells an operand:
    /// see [`Shape::logic_operand_sql`]. `prev` is the token before it: the AND/OR itself or
    /// a unary operator.
    fn sql_spelled_rhs(&self, t: Token<'a>) -> bool {
        let start = |x: &Token<'_>| x.end - x.text.len();
        let b = t.text.as_bytes();
        // TRUE and FALSE; NULL is also a word of programmers' prose ("0 or null").
        let boolean = t.class == Class::Literal
            && (t.text.eq_ignore_ascii_case("true") || t.text.eq_ignore_ascii_case("false"));
        // `x'31'`, `b'1'`: hex and bit strings (`0xFF` is also any programmer's number).
        let radix_string = t.class == Class::Str
            && b.len() > 2
            && matches!(b[0], b'x' | b'X' | b'b' | b'B')
            && b[1] == b'\'';
        let first = match self.prev {
            Some(p) if p.class == Class::Operator && matches!(p.text, "!" | "~") => {
                // `!0`, `~0`, `!true`; `!important` and `!done` are words.
                return matches!(t.class, Class::Number) || boolean;
            }
            Some(p) if p.class == Class::Operator && matches!(p.text, "-" | "+") => p,
            _ => t,
        };
        boolean || radix_string || start(&first) == self.logic_end
    }

    fn confirm_select(&mut self) {
        if let Some((kind, word)) = self.pending_select.take() {
            match kind {
                PendingSelect::Union => self.shape.union_select = true,
                PendingSelect::Sub => self.shape.subselect = true,
                PendingSelect::Stacked => {
                    self.shape.stacked = Some(word);
                }
            }
        }
    }

    fn start_select(&mut self, kind: PendingSelect, word: &'a str) {
        self.pending_select = Some((kind, word));
        self.list_ok = true;
        self.st = St::Expect;
    }

    fn binary(&mut self, t: Token<'a>) {
        // Operators keep the lead phase: `1=1) AND ...` closes a parenthesis after an
        // expression, still inside the value's own slot.
        self.st = St::Expect;
        let qualifier = t.text == "~"
            || t.text.eq_ignore_ascii_case("collate")
            || t.text.eq_ignore_ascii_case("escape");
        self.shape.operator_join |= !qualifier;
        match t.class {
            Class::Comparison => {
                self.shape.comparison_symbolic = true;
                self.comparison()
            }
            Class::WordOp => {
                if matches!(
                    upper(t.text, &mut [0; UPPER_MAX]),
                    "DIV" | "MOD" | "COLLATE" | "ESCAPE"
                ) {
                    self.shape.arithmetic = true;
                } else {
                    self.comparison();
                }
            }
            _ => {
                self.shape.arithmetic = true;
                if self.pending_logic && self.logic_rhs_tokens > 0 && !qualifier {
                    self.shape.logic_arith = true;
                }
            }
        }
    }

    fn comparison(&mut self) {
        self.shape.comparison = true;
        self.cmp_lhs = self.last_operand;
        self.cmp_under_logic = self.pending_logic;
        if self.pending_logic {
            self.shape.logic_cmp = true;
        }
    }

    fn transition(&mut self, toks: &[Token<'a>], i: usize, t: Token<'a>) -> bool {
        use Class as C;
        match self.st {
            St::Expect => match t.class {
                // `SIMILAR TO`.
                C::Ident
                    if t.text.eq_ignore_ascii_case("to")
                        && self.prev.is_some_and(|p| p.is(C::WordOp, "similar")) =>
                {
                    true
                }
                // `x::int`: the type names no operand; the cast value stays the operand.
                C::Ident | C::Keyword
                    if self
                        .prev
                        .is_some_and(|p| p.text == "::" && p.end == t.end - t.text.len()) =>
                {
                    self.cast(toks, i, t);
                    true
                }
                C::Number | C::Str | C::Ident | C::Literal | C::Variable => {
                    self.operand(t);
                    true
                }
                C::Function => {
                    self.call(t, &toks[i + 1..]);
                    true
                }
                C::LParen => {
                    self.depth += 1;
                    self.shape.sql_only = true;
                    true
                }
                C::RParen => {
                    // Only `f()`: an empty argument list.
                    let empty_call = self.prev.is_some_and(|p| p.class == C::LParen)
                        && self.prev2.is_some_and(|p| p.class == C::Function)
                        && self.depth > 0;
                    if empty_call {
                        self.depth -= 1;
                        self.st = St::After;
                    }
                    empty_call
                }
                C::Operator => {
                    if matches!(t.text, "-" | "+" | "~" | "!") {
                        true
                    } else if t.text == "*" && self.list_ok {
                        self.confirm_select();
                        self.st = St::After;
                        true
                    } else {
                        false
                    }
                }
                C::Logic => t.text.eq_ignore_ascii_case("not"),
                // SQLite's LIKE('a', b), MySQL's MOD(a, b): operator words called as functions.
                C::WordOp if toks.get(i + 1).is_some_and(|x| x.class == C::LParen) => {
                    self.call(t, &toks[i + 1..]);
                    true
                }
                // `x NOT LIKE y`, `x NOT IN (...)`: the NOT was taken as logic, the word after
                // it is the comparison (`' NOT LIKE x`: the operand is the closed literal).
                C::WordOp
                    if self.prev.is_some_and(|p| p.is(C::Logic, "not"))
                        && (self.sig > 1 || self.start == Start::AfterOperand) =>
                {
                    self.shape.operator_join = true;
                    self.comparison();
                    true
                }
                C::WordOp => self.prev.is_some_and(|p| {
                    p.text.eq_ignore_ascii_case("not")
                        || p.text.eq_ignore_ascii_case("sounds")
                        || p.text.eq_ignore_ascii_case("similar")
                }),
                C::Case => {
                    let w = t.text;
                    let when = w.eq_ignore_ascii_case("when")
                        && self.prev.is_some_and(|p| p.is(C::Case, "case"));
                    // CASE opening an expression: the value's start, or after `(`, `,` or an
                    // operator ("in case when ..." is prose).
                    let opens = self.prev2.is_none_or(|p| {
                        matches!(
                            p.class,
                            C::LParen | C::Comma | C::Operator | C::Comparison | C::Logic
                        )
                    });
                    if when && opens {
                        self.when_depth = Some(self.depth);
                        self.case_opened = true;
                    }
                    w.eq_ignore_ascii_case("case") || when
                }
                // `table.column`: a reserved word qualifying a name is a name.
                C::Keyword if toks.get(i + 1).is_some_and(|x| x.class == C::Dot) => {
                    self.operand(Token {
                        class: C::Ident,
                        ..t
                    });
                    true
                }
                C::Keyword => self.keyword_in_expect(t),
                C::Statement
                    if t.text.eq_ignore_ascii_case("select")
                        && self.prev.is_some_and(|p| p.class == C::LParen) =>
                {
                    let kind = if self.st_union_paren(i, toks) {
                        PendingSelect::Union
                    } else {
                        PendingSelect::Sub
                    };
                    self.start_select(kind, t.text);
                    true
                }
                _ => false,
            },
            St::After | St::Alias => self.after(toks, i, t),
            St::Dot => match t.class {
                C::Function => {
                    self.call(t, &toks[i + 1..]);
                    true
                }
                C::Operator if t.text == "*" => {
                    self.st = St::After;
                    true
                }
                C::Ident
                | C::Keyword
                | C::Literal
                | C::Statement
                | C::Clause
                | C::WordOp
                | C::Union
                | C::Case
                | C::Logic => {
                    self.operand(Token {
                        class: C::Ident,
                        ..t
                    });
                    true
                }
                _ => false,
            },
            St::Func => {
                if t.class == C::LParen {
                    self.depth += 1;
                    self.st = St::Expect;
                    true
                } else {
                    false
                }
            }
            St::Union => match t.class {
                C::Keyword
                    if t.text.eq_ignore_ascii_case("all")
                        || t.text.eq_ignore_ascii_case("distinct") =>
                {
                    true
                }
                C::LParen => {
                    self.depth += 1;
                    true
                }
                C::Statement if t.text.eq_ignore_ascii_case("select") => {
                    self.start_select(PendingSelect::Union, t.text);
                    true
                }
                // MySQL 8 `UNION TABLE users` and `UNION VALUES ROW(1,2)`, PostgreSQL and
                // SQLite `UNION VALUES (1,2)`: another result set without SELECT.
                C::Keyword | C::Clause
                    if (t.is(C::Keyword, "table")
                        && toks.get(i + 1).is_some_and(|x| x.class == C::Ident))
                        || (t.is(C::Clause, "values")
                            && toks.get(i + 1).is_some_and(|x| {
                                x.class == C::LParen || x.text.eq_ignore_ascii_case("row")
                            })) =>
                {
                    self.shape.union_select = true;
                    self.st = St::Expect;
                    true
                }
                _ => false,
            },
            St::By => {
                if t.is(C::Keyword, "by") {
                    if self
                        .prev
                        .is_some_and(|p| p.text.eq_ignore_ascii_case("order"))
                    {
                        self.shape.order_by = true;
                    } else {
                        self.shape.group_by = true;
                    }
                    self.st = St::Expect;
                    self.list_ok = true;
                    if toks[i + 1..]
                        .iter()
                        .find(|x| x.class != C::Comment)
                        .is_some_and(|x| x.class == C::Number)
                    {
                        self.shape.order_by_number = true;
                    }
                    true
                } else {
                    false
                }
            }
            St::Stmt => match t.class {
                C::Semicolon => true,
                // `...;'`: the value ends in a quote the query's own closing quote pairs with.
                C::Str if t.open && i + 1 == toks.len() => true,
                C::Statement if t.text.eq_ignore_ascii_case("begin") => true,
                C::Statement => self.statement(toks, i, t, false),
                // `IF (cond) WAITFOR ...`, `BEGIN DBMS_LOCK.SLEEP(5); END`: a condition or a
                // call as a statement; what follows is judged as usual.
                C::Function | C::Keyword if t.text.eq_ignore_ascii_case("if") => {
                    self.if_statement = true;
                    if t.class == C::Function {
                        self.call(t, &toks[i + 1..]);
                    }
                    true
                }
                C::Function => {
                    self.call(t, &toks[i + 1..]);
                    true
                }
                C::Ident if toks.get(i + 1).is_some_and(|x| x.class == C::Dot) => {
                    self.operand(t);
                    true
                }
                C::Case if t.text.eq_ignore_ascii_case("end") => true,
                // T-SQL `PRINT 'x'`: a statement that proves stacking works.
                C::Ident
                    if t.text.eq_ignore_ascii_case("print")
                        && toks[i + 1..]
                            .iter()
                            .find(|x| x.class != C::Comment)
                            .is_some_and(|x| {
                                matches!(x.class, C::Str | C::Variable | C::Number)
                            }) =>
                {
                    self.shape.stacked = Some(t.text);
                    self.st = St::Loose;
                    true
                }
                // SQL Server `BACKUP DATABASE d TO DISK = '\\\\host\\share'` and `BULK INSERT t
                // FROM '\\\\host\\f'` reach a network share; SQLite `ATTACH DATABASE '/var/www/x.php'
                // AS x` creates a file wherever the path says.
                C::Ident if stacked_head(&toks[i..]) => {
                    self.shape.stacked = Some(t.text);
                    self.st = St::Loose;
                    true
                }
                // `; DESC users`: MySQL's DESCRIBE lists a table's columns.
                C::Keyword | C::Ident
                    if (t.text.eq_ignore_ascii_case("desc")
                        || t.text.eq_ignore_ascii_case("describe"))
                        && toks[i + 1..]
                            .iter()
                            .find(|x| x.class != C::Comment)
                            .is_some_and(|x| x.class == C::Ident) =>
                {
                    self.shape.stacked = Some(t.text);
                    self.st = St::Loose;
                    true
                }
                _ => false,
            },
            St::Loose => {
                if t.class == C::Semicolon {
                    self.st = St::Stmt;
                }
                // `INSERT INTO user(...)`, `CREATE TABLE user (...)`, `REFERENCES user (id)`,
                // `CREATE FUNCTION f(...)`: a table with its column list or a routine with its
                // parameters, not a call.
                let table = self.prev.is_some_and(|p| {
                    p.is(C::Clause, "into")
                        || p.class == C::Statement
                        || p.is(C::Keyword, "table")
                        || p.is(C::Keyword, "function")
                        || p.is(C::Clause, "procedure")
                        || p.text.eq_ignore_ascii_case("references")
                });
                if t.class == C::Function && !table {
                    self.call(t, &toks[i + 1..]);
                    self.st = St::Loose;
                }
                true
            }
        }
    }

    /// After `(`: is this the `UNION (SELECT` form?
    fn st_union_paren(&self, i: usize, toks: &[Token<'a>]) -> bool {
        toks[..i]
            .iter()
            .rev()
            .filter(|x| x.class != Class::Comment)
            .find(|x| x.class != Class::LParen)
            .is_some_and(|x| {
                x.class == Class::Union
                    || x.is(Class::Keyword, "all")
                    || x.is(Class::Keyword, "distinct")
            })
    }

    /// The type after `::`. A name, a call's result or an identity value cast to a number is
    /// the error-based read; a literal cast (`'1'::int`, `'{}'::jsonb`) is not.
    fn cast(&mut self, toks: &[Token<'a>], i: usize, t: Token<'a>) {
        self.st = St::After;
        self.shape.sql_only = true;
        let numeric = [
            "int", "integer", "int2", "int4", "int8", "bigint", "smallint", "numeric",
        ]
        .iter()
        .any(|n| t.text.eq_ignore_ascii_case(n));
        // `a::int::x`, `ns::int(...)`, `ns::int.y`, `a::b::int` are paths of code, not a type.
        let path = toks[i + 1..]
            .iter()
            .find(|x| x.class != Class::Comment)
            .is_some_and(|x| matches!(x.class, Class::LParen | Class::Dot) || x.text == "::")
            || (i >= 3 && toks[i - 3].text == "::");
        // SQL writes the cast glued (`x::int`); `x :: Int` is a type signature in code.
        let glued = i >= 2 && toks[i - 2].end + 2 == toks[i].end - toks[i].text.len();
        let read = glued
            && self.last_operand.is_some_and(|o| {
                matches!(o.class, Class::Ident | Class::Function | Class::Literal)
            });
        self.shape.error_cast |= numeric && read && !path;
    }

    /// A call of `t`; `rest` are the tokens after its name.
    fn call(&mut self, t: Token<'a>, rest: &[Token<'a>]) {
        self.st = St::Func;
        self.shape.sql_only = true;
        // `UTL_HTTP.REQUEST(`, `DBMS_LOCK.SLEEP(`: a call into a package that reaches outside
        // the database or waits, whatever the member is called.
        let package = self.prev.is_some_and(|p| p.class == Class::Dot)
            && self.prev2.is_some_and(|p| is_attack_package(p.text));
        if t.text.eq_ignore_ascii_case("if") || t.text.eq_ignore_ascii_case("iif") {
            self.condition_depth = Some(self.depth + 1);
        }
        // MySQL `PROCEDURE ANALYSE(...)` evaluates its arguments after a query's rows.
        let analyse = t.text.eq_ignore_ascii_case("analyse")
            && self.prev.is_some_and(|p| p.is(Class::Clause, "procedure"));
        if (is_attack_function(t.text) && !inert_call(t.text, rest)) || package || analyse {
            self.shape.attack_call.get_or_insert(t.text);
        } else if is_probe_function(t.text) {
            self.shape.probe_call.get_or_insert(t.text);
        }
        if self.pending_logic && self.logic_rhs_tokens == 0 {
            self.shape.logic_call = true;
        }
        if self.pending_logic {
            self.logic_rhs_tokens += 1;
        }
        self.last_operand = Some(t);
        if self.cmp_lhs.take().is_some() && self.cmp_under_logic {
            self.shape.logic_cmp_literal = true;
        }
        self.confirm_select();
    }

    fn keyword_in_expect(&mut self, t: Token<'a>) -> bool {
        let mut buf = [0; UPPER_MAX];
        let w = upper(t.text, &mut buf);
        match w {
            // DISTINCTROW: MySQL's synonym of DISTINCT.
            "DISTINCT" | "DISTINCTROW" | "ALL" | "BINARY" | "TOP" | "INTERVAL" | "EXISTS" => {
                self.shape.sql_only = true;
                true
            }
            "OUTFILE" | "DUMPFILE" => {
                self.shape.into_file = self.prev.is_some_and(|p| p.is(Class::Clause, "into"));
                self.shape.into_file
            }
            "USER" | "CHAR" | "TIME" | "DATABASE" | "SCHEMA" | "LOGIN" | "LEFT" | "RIGHT" => {
                self.operand(Token {
                    class: Class::Ident,
                    ..t
                });
                true
            }
            _ => false,
        }
    }

    fn after(&mut self, toks: &[Token<'a>], i: usize, t: Token<'a>) -> bool {
        use Class as C;
        let alias = self.st == St::Alias;
        match t.class {
            C::Operator | C::Comparison | C::WordOp if !alias => {
                self.binary(t);
                true
            }
            C::Logic if !alias => {
                self.lead = false;
                self.st = St::Expect;
                if t.text.eq_ignore_ascii_case("not") {
                    return true;
                }
                self.close_logic();
                self.pending_logic = true;
                self.logic_rhs_tokens = 0;
                self.logic_end = t.end;
                true
            }
            // SQLite / PostgreSQL postfix `x NOTNULL`, `x ISNULL`: a complete comparison.
            C::Ident
                if !alias
                    && (t.text.eq_ignore_ascii_case("notnull")
                        || t.text.eq_ignore_ascii_case("isnull")) =>
            {
                self.shape.postfix_null_first |= self.sig == 0 && self.start == Start::AfterOperand;
                self.shape.operator_join = true;
                self.comparison();
                self.cmp_lhs = None;
                self.st = St::After;
                true
            }
            C::Dot if !alias => {
                self.st = St::Dot;
                true
            }
            C::Ident if !alias => {
                self.st = St::Alias;
                true
            }
            C::RParen => {
                if self.depth > 0 {
                    self.depth -= 1;
                    self.st = St::After;
                    // A parenthesized group or call result: a computed operand.
                    self.last_operand = Some(Token {
                        class: C::Function,
                        ..t
                    });
                    true
                } else if self.lead && self.shape.lead_close < u8::MAX {
                    self.shape.lead_close += 1;
                    self.st = St::After;
                    true
                } else {
                    false
                }
            }
            C::Comma => {
                // A value inside a list (`VALUES ('<v>', ...)`, `IN (<v>)`, `ORDER BY <v>`)
                // may continue the list before closing it.
                if self.lead && self.depth == 0 {
                    self.list_ok = true;
                }
                if self.depth > 0 || self.list_ok {
                    self.st = St::Expect;
                    self.confirm_select();
                    true
                } else {
                    false
                }
            }
            C::Semicolon => {
                self.lead = false;
                self.close_logic();
                self.st = St::Stmt;
                true
            }
            C::Union => {
                self.lead = false;
                self.st = St::Union;
                true
            }
            C::Clause => {
                self.lead = false;
                self.clause(t)
            }
            C::Keyword => {
                let mut buf = [0; UPPER_MAX];
                let w = upper(t.text, &mut buf);
                match w {
                    // DB2 special registers: `CURRENT USER`, `CURRENT SERVER`.
                    "USER" | "SCHEMA"
                        if self
                            .prev
                            .is_some_and(|p| p.text.eq_ignore_ascii_case("current")) =>
                    {
                        self.st = St::After;
                        true
                    }
                    "AS" => {
                        self.st = St::Expect;
                        // An alias name must follow; treat it as an operand position.
                        true
                    }
                    "ASC" | "DESC" | "LEFT" | "RIGHT" | "INNER" | "OUTER" | "CROSS" | "NATURAL"
                    | "FULL" | "WITH" => {
                        self.st = St::Alias;
                        true
                    }
                    _ => false,
                }
            }
            C::Case => {
                let mut buf = [0; UPPER_MAX];
                let w = upper(t.text, &mut buf);
                match w {
                    "WHEN" | "THEN" | "ELSE" if !alias => {
                        self.when_depth = (w == "WHEN" && self.case_opened).then_some(self.depth);
                        self.st = St::Expect;
                        true
                    }
                    "END" => {
                        self.st = St::After;
                        true
                    }
                    _ => false,
                }
            }
            C::Statement if self.depth == 0 => {
                self.lead = false;
                self.statement(toks, i, t, true)
            }
            _ => false,
        }
    }

    fn clause(&mut self, t: Token<'a>) -> bool {
        let mut buf = [0; UPPER_MAX];
        let w = upper(t.text, &mut buf);
        match w {
            // Counted once BY follows: "Order #5" and "group" alone are words.
            "ORDER" | "GROUP" => self.st = St::By,
            "HAVING" | "WHERE" => {
                self.shape.having |= w == "HAVING";
                self.st = St::Expect;
                // A condition starts here, just as after AND/OR (`HAVING 1=1`).
                self.close_logic();
                self.pending_logic = true;
                self.logic_rhs_tokens = 0;
                self.logic_end = t.end;
                return true;
            }
            "LIMIT" | "OFFSET" | "FROM" | "VALUES" => {
                self.shape.limit_first |=
                    w == "LIMIT" && self.sig == 0 && self.start == Start::AfterOperand;
                if w == "FROM" {
                    self.confirm_select();
                }
                self.list_ok = true;
                self.st = St::Expect;
            }
            _ => self.st = St::Expect,
        }
        self.close_logic();
        true
    }

    /// A statement head, after `;` (or, `implicit`, directly after an operand). Only heads
    /// followed by what that statement needs count: "; drop me a line" is not DROP TABLE.
    fn statement(&mut self, toks: &[Token<'a>], i: usize, t: Token<'a>, implicit: bool) -> bool {
        let mut buf = [0; UPPER_MAX];
        let w = upper(t.text, &mut buf);
        if w == "SELECT" {
            // Without `;` only inside `IF (cond) SELECT ...`: a quoted code snippet such as
            // `execute('select * from t')` must not read as a stacked query.
            if implicit && !self.if_statement {
                return false;
            }
            self.start_select(PendingSelect::Stacked, t.text);
            self.shape.stacked_implicit = implicit;
            return true;
        }
        // Without `;`, only the heads attack payloads batch that way (SQL Server), or any
        // statement under `IF (cond)`: `execute('UPDATE t SET ...')` in code is not a batch.
        let batchable = is_batch_head(w);
        if implicit && !batchable && !self.if_statement {
            return false;
        }
        // The next three significant tokens, without a `Vec`, and only now: prose reaches this
        // function at every statement word ("drop", "set", "do") and mostly leaves above.
        let mut next: [Option<&Token<'a>>; 5] = [None; 5];
        let after = toks[i + 1..].iter().filter(|x| x.class != Class::Comment);
        for (slot, x) in next.iter_mut().zip(after) {
            *slot = Some(x);
        }
        let n = |k: usize| next.get(k).copied().flatten();
        if w == "BEGIN" {
            let ok = n(0)
                .is_some_and(|x| x.class == Class::Statement || x.text.eq_ignore_ascii_case("try"));
            if ok {
                self.st = St::Stmt;
            }
            return ok;
        }
        let object = |x: Option<&Token>| {
            x.is_some_and(|x| {
                matches!(x.class, Class::Keyword | Class::Ident)
                    && matches!(
                        upper(x.text, &mut [0; UPPER_MAX]),
                        "TABLE"
                            | "DATABASE"
                            | "SCHEMA"
                            | "VIEW"
                            | "INDEX"
                            | "TRIGGER"
                            | "FUNCTION"
                            | "USER"
                            | "LOGIN"
                            | "ROLE"
                            | "EXTENSION"
                            | "LANGUAGE"
                            | "SERVER"
                    )
                    || x.is(Class::Clause, "procedure")
            })
        };
        let name = |x: Option<&Token>| {
            x.is_some_and(|x| matches!(x.class, Class::Ident | Class::Keyword | Class::Variable))
        };
        let word = |x: Option<&Token>, w: &str| x.is_some_and(|x| x.text.eq_ignore_ascii_case(w));
        let ok = match w {
            "DROP" | "CREATE" | "ALTER" => {
                // `CREATE OR REPLACE FUNCTION f(...)`: PostgreSQL's way to a C library's
                // `system`; a table or function with its parameter list reads as a call.
                let k = if word(n(0), "or") && word(n(1), "replace") {
                    2
                } else {
                    0
                };
                let named =
                    |x: Option<&Token>| name(x) || x.is_some_and(|x| x.class == Class::Function);
                // `ALTER SYSTEM SET log_statement = 'none'` (PostgreSQL's server settings).
                let system = w == "ALTER"
                    && word(n(0), "system")
                    && (word(n(1), "set") || word(n(1), "reset"));
                (object(n(k)) && named(n(k + 1))) || system
            }
            "TRUNCATE" => {
                (n(0).is_some_and(|x| x.is(Class::Keyword, "table")) && name(n(1)))
                    || (!implicit && name(n(0)))
            }
            // `INSERT INTO t(cols) ...`, and MySQL's INTO-less `REPLACE t (cols) VALUES ...`.
            "INSERT" | "REPLACE" => {
                let table =
                    |x: Option<&Token>| name(x) || x.is_some_and(|x| x.class == Class::Function);
                let into = n(0).is_some_and(|x| x.is(Class::Clause, "into")) && table(n(1));
                into || (!implicit && table(n(0)) && statement_has_rows(&toks[i + 1..]))
            }
            "UPDATE" => name(n(0)) && n(1).is_some_and(|x| x.is(Class::Statement, "set")),
            "DELETE" => n(0).is_some_and(|x| x.is(Class::Clause, "from")) && name(n(1)),
            "EXEC" | "EXECUTE" => {
                let call = n(0).is_some_and(|x| x.class == Class::LParen)
                    && n(1).is_some_and(|x| matches!(x.class, Class::Variable | Class::Str));
                // `exec@company.com` is an address, not `EXEC @sql`.
                let dynamic = n(0).is_some_and(|x| x.class == Class::Variable)
                    && n(1).is_none_or(|x| x.class != Class::Dot);
                // A value that opens with `exec <word>` names a procedure only by a
                // procedure's spelling (`sp_who`, `xp_cmdshell`) or with arguments: "exec
                // summary", "Exec Chef" and "Exec Summary (final).docx" are titles.
                let spelled = |x: &Token| x.text.bytes().any(|c| c == b'_' || c.is_ascii_digit());
                let lone = n(1).is_none_or(|x| x.class == Class::Semicolon);
                let procedure = n(0).is_some_and(|x| {
                    x.class == Class::Ident && (self.sig > 0 || !lone || spelled(x))
                });
                call || dynamic
                    || n(0)
                        .is_some_and(|x| x.class == Class::Function && (self.sig > 0 || spelled(x)))
                    || (procedure
                        && n(1).is_none_or(|x| {
                            matches!(
                                x.class,
                                Class::Str
                                    | Class::Dot
                                    | Class::Semicolon
                                    | Class::Variable
                                    | Class::Number
                            )
                        }))
            }
            "DECLARE" => n(0).is_some_and(|x| x.class == Class::Variable),
            "SHUTDOWN" => n(0).is_none_or(|x| {
                x.class == Class::Semicolon
                    || x.is(Class::Keyword, "with")
                    || x.is(Class::Case, "end")
            }),
            "GOTO" => n(0).is_some_and(|x| x.class == Class::Ident),
            "WAITFOR" => {
                n(0).is_some_and(|x| x.is(Class::Keyword, "delay") || x.is(Class::Keyword, "time"))
                    && n(1).is_some_and(|x| x.class == Class::Str)
            }
            "SET" => {
                let scope = ["global", "session", "persist", "local"]
                    .iter()
                    .any(|s| word(n(0), s));
                !implicit
                    && (n(0).is_some_and(|x| {
                        x.class == Class::Variable && !x.text.trim_start_matches('@').is_empty()
                    }) || (scope && name(n(1)) && n(2).is_some_and(|x| x.text == "=")))
            }
            "DO" | "CALL" => {
                // `DO $$ ... $$`: a PostgreSQL anonymous code block.
                !implicit
                    && n(0).is_some_and(|x| {
                        matches!(x.class, Class::Function | Class::LParen)
                            || (w == "DO" && x.class == Class::Str && x.text.starts_with('$'))
                    })
            }
            // MySQL `PREPARE s FROM @q`: a statement built from a string, run by EXECUTE.
            "PREPARE" => name(n(0)) && n(1).is_some_and(|x| x.is(Class::Clause, "from")),
            "RENAME" => word(n(0), "table") || word(n(0), "user"),
            // MySQL `HANDLER t OPEN` / `READ`: reads a table row by row.
            "HANDLER" => name(n(0)) && (word(n(1), "open") || word(n(1), "read")),
            "LOAD" => n(0).is_some_and(|x| x.text.eq_ignore_ascii_case("data")),
            // PostgreSQL `COPY t TO '/file'` writes a file, `COPY t FROM PROGRAM` runs one;
            // `COPY (SELECT ...) TO` copies a query's rows. Only stacked after another
            // statement: "Copy this to clipboard" is a button.
            "COPY" if n(0).is_some_and(|x| x.class == Class::LParen) => {
                self.sig > 0 && n(1).is_some_and(|x| x.is(Class::Statement, "select"))
            }
            "COPY" => {
                let to = n(1).is_some_and(|x| x.text.eq_ignore_ascii_case("to"));
                let ok = self.sig > 0
                    && n(2).is_some()
                    && name(n(0))
                    && (to || n(1).is_some_and(|x| x.is(Class::Clause, "from")));
                self.shape.into_file |= ok && to;
                ok
            }
            "GRANT" | "REVOKE" => {
                n(0).is_some_and(|x| x.is(Class::Keyword, "all") || x.class == Class::Statement)
            }
            _ => false,
        };
        if ok {
            if batchable {
                self.shape.batch_statement = Some(t.text);
            }
            self.shape.stacked = Some(t.text);
            self.shape.stacked_implicit = implicit && !self.if_statement;
            self.st = St::Loose;
        }
        ok
    }
}

/// Whether `toks` (from a statement's first word, a name to the lexer) open one of the
/// statements that reach outside the database with words the grammar does not know:
/// `BACKUP DATABASE|LOG name TO`, `BULK INSERT name FROM`, `ATTACH [DATABASE] 'file' AS name`.
fn stacked_head(toks: &[Token<'_>]) -> bool {
    let mut it = toks.iter().filter(|x| x.class != Class::Comment);
    let mut next = || it.next();
    let head = next();
    if !head.is_some_and(|h| is_name_statement_head(h.text)) {
        return false;
    }
    let w = |x: Option<&Token>, s: &str| x.is_some_and(|x| x.text.eq_ignore_ascii_case(s));
    let name =
        |x: Option<&Token>| x.is_some_and(|x| matches!(x.class, Class::Ident | Class::Keyword));
    if w(head, "backup") {
        let (kind, n, to) = (next(), next(), next());
        (w(kind, "database") || w(kind, "log")) && name(n) && w(to, "to")
    } else if w(head, "bulk") {
        let (ins, n, from) = (next(), next(), next());
        w(ins, "insert") && name(n) && w(from, "from")
    } else if w(head, "attach") {
        let mut x = next();
        if w(x, "database") {
            x = next();
        }
        x.is_some_and(|x| x.class == Class::Str) && w(next(), "as")
    } else {
        false
    }
}

/// The statement heads [`stacked_head`] reads that the grammar knows as names (see
/// [`super::words`]): `BACKUP`, `BULK`, `ATTACH`.
pub fn is_name_statement_head(word: &str) -> bool {
    ["backup", "bulk", "attach"]
        .iter()
        .any(|h| word.eq_ignore_ascii_case(h))
}

/// Statement heads that attack payloads batch without `;` (SQL Server): the only ones
/// [`Walker::statement`] accepts right after an operand outside `IF (cond)`.
pub fn is_batch_head(word: &str) -> bool {
    // Upper-cased into a buffer as long as the longest head: one `match` instead of six
    // case-insensitive comparisons.
    let mut buf = [0u8; 8];
    let Some(up) = buf.get_mut(..word.len()) else {
        return false;
    };
    for (d, s) in up.iter_mut().zip(word.as_bytes()) {
        *d = s.to_ascii_uppercase();
    }
    matches!(
        &*up,
        b"WAITFOR" | b"EXEC" | b"EXECUTE" | b"DECLARE" | b"SHUTDOWN" | b"BEGIN"
    )
}

/// Whether a statement body (up to its `;`) supplies rows: VALUES, SELECT or SET.
fn statement_has_rows(toks: &[Token<'_>]) -> bool {
    toks.iter()
        .take_while(|x| x.class != Class::Semicolon)
        .any(|x| {
            x.is(Class::Clause, "values")
                || x.is(Class::Statement, "select")
                || x.is(Class::Statement, "set")
        })
}

/// Longest word [`upper`] copies; every grammar word compared with its result is shorter.
const UPPER_MAX: usize = 24;

/// `text` upper-cased into `buf`, to match grammar words without allocating a `String`; a
/// longer text, which no grammar word equals, comes back empty.
fn upper<'b>(text: &str, buf: &'b mut [u8; UPPER_MAX]) -> &'b str {
    let Some(out) = buf.get_mut(..text.len()) else {
        return "";
    };
    for (d, s) in out.iter_mut().zip(text.as_bytes()) {
        *d = s.to_ascii_uppercase();
    }
    // ASCII case changes keep UTF-8 valid.
    std::str::from_utf8(out).unwrap_or("")
}

/// A string's content without its quotes (the last one may be missing: the query adds it).
fn literal_value<'a>(t: &Token<'a>) -> &'a str {
    if t.class != Class::Str {
        return t.text;
    }
    let Some(q) = t.text.find(['\'', '"', '$']) else {
        return t.text;
    };
    let body = t.text.get(q + 1..).unwrap_or("");
    if t.open {
        body
    } else {
        body.get(..body.len().saturating_sub(1)).unwrap_or(body)
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn bare(s: &str) -> Shape<'_> {
        walk(&lex(s), Start::Operand)
    }

    fn after(s: &str) -> Shape<'_> {
        walk(&lex(s), Start::AfterOperand)
    }

    #[test]
    fn tautology_after_operand() {
        let s = bare("1 OR 1=1");
        assert!(s.logic_cmp && s.logic_cmp_literal && s.tautology && !s.error);
        let s = after(" or 'a'='a");
        assert!(s.logic_cmp && s.tautology && s.balanced);
        let s = after(" or x like x -- ");
        assert!(s.logic_cmp && s.truncated);
    }

    #[test]
    fn lone_operand_after_logic_is_not_a_comparison() {
        let s = bare("1 or 2");
        assert!(s.logic_operand && !s.logic_cmp && !s.error);
    }

    #[test]
    fn union_select_needs_sql_in_its_list() {
        assert!(bare("1 union all select null,version()--").union_select);
        assert!(bare("1 UNION (SELECT 1)").union_select);
        assert!(!after(" union select a size").union_select);
    }

    #[test]
    fn stacked_statements() {
        assert_eq!(after("; DROP TABLE users --").stacked, Some("DROP"));
        assert_eq!(after(";waitfor delay '0:0:5'--").stacked, Some("waitfor"));
        assert!(after(" waitfor delay '0:0:5'").stacked_implicit);
        assert_eq!(after("; drop me a line").stacked, None);
        assert_eq!(
            after("; exec master..xp_cmdshell 'dir'").stacked,
            Some("exec")
        );
        assert_eq!(after("; select * from users").stacked, Some("select"));
        assert_eq!(after("; select a size").stacked, None);
        // Statements that reach outside the database in PostgreSQL, MySQL, SQL Server and
        // SQLite.
        for (s, head) in [
            ("1;COPY (SELECT '') TO PROGRAM 'id'", "COPY"),
            ("1;DO $$BEGIN PERFORM pg_sleep(5);END$$", "DO"),
            (
                "1;CREATE OR REPLACE FUNCTION sys(cstring) RETURNS int",
                "CREATE",
            ),
            ("1;CREATE EXTENSION dblink", "CREATE"),
            ("1;CREATE TABLE t(c text)", "CREATE"),
            ("1;ALTER SYSTEM SET log_statement='none'", "ALTER"),
            ("1;SET GLOBAL general_log_file='/var/www/s.php'", "SET"),
            ("1;PREPARE s FROM @q", "PREPARE"),
            ("1;RENAME TABLE users TO x", "RENAME"),
            ("1;HANDLER users OPEN", "HANDLER"),
            ("1;BACKUP DATABASE db TO DISK='x'", "BACKUP"),
            ("1;BULK INSERT t FROM 'x'", "BULK"),
            ("1;ATTACH DATABASE '/var/www/x.php' AS x", "ATTACH"),
        ] {
            let found = bare(s).stacked;
            assert!(
                found.is_some_and(|w| w.eq_ignore_ascii_case(head)),
                "{s}: {found:?}"
            );
        }
        for s in [
            "ok; do it",
            "done; backup your files",
            "soldiers; attach bayonets",
            "Hi; set global goals",
        ] {
            assert_eq!(after(s).stacked, None, "{s}");
        }
        // A value that is only `exec <word>`: a procedure by its spelling, not a title.
        let whole = |s| walk(&lex(s), Start::Statement).batch_statement;
        assert_eq!(whole("exec sp_who"), Some("exec"));
        assert_eq!(whole("exec @q"), Some("exec"));
        assert_eq!(whole("Exec Chef"), None);
        assert_eq!(whole("exec summary"), None);
        assert_eq!(whole("exec@company.com"), None);
        assert_eq!(whole("Exec Summary (final).docx"), None);
        assert_eq!(whole("exec xp_cmdshell('dir')"), Some("exec"));
    }

    #[test]
    fn set_operations_without_select() {
        for s in [
            "1 UNION TABLE users",
            "1 UNION VALUES(1)",
            "1 UNION (VALUES ROW(1,2))",
        ] {
            assert!(bare(s).union_select, "{s}");
        }
        assert!(!bare("table union table").union_select);
        assert!(!bare("1 union values matter").union_select);
    }

    #[test]
    fn calls_and_subselects() {
        assert_eq!(after(" and sleep(5)#").attack_call, Some("sleep"));
        assert!(after(" and sleep(5)#").logic_call);
        // Titles and table headers.
        for s in [
            "Sleep (album)",
            "Sleep (Max Richter album)",
            "Benchmark (ms)",
            "Sleep(less)",
            "Benchmark (2023)",
        ] {
            assert_eq!(bare(s).attack_call, None, "{s}");
        }
        assert_eq!(bare("sleep(@x)").attack_call, Some("sleep"));
        assert_eq!(bare("sleep(__TIME__)#").attack_call, Some("sleep"));
        assert_eq!(bare("sleep(5000)").attack_call, Some("sleep"));
        assert_eq!(bare("pg_sleep(5.5)").attack_call, Some("pg_sleep"));
        assert!(bare("(select password from users limit 1)").subselect);
        assert!(after(" and 1=(select 1 from dual)").subselect);
        assert_eq!(
            after(" or dbms_pipe.receive_message('a',5)--").attack_call,
            Some("receive_message")
        );
    }

    #[test]
    fn order_by_and_comment_truncation() {
        let s = bare("8 order by 1--");
        assert!(s.order_by && s.order_by_number && s.truncated);
        assert!(bare("1 group by 2").group_by);
        assert!(!after("Order #5").order_by);
        assert!(after("--").comment_first);
        assert!(after(")) union select null--").lead_close == 2);
    }

    #[test]
    fn conditions_after_having_and_where() {
        assert!(bare("1 GROUP BY 1 HAVING 1=1").logic_cmp_literal);
        assert!(after(" where 1=1").logic_cmp_literal);
        assert!(!bare("price >= 10 and price <= 20").logic_cmp_literal);
        assert!(bare("1 and ascii(substring(version(),1,1))>5").logic_cmp_literal);
    }

    #[test]
    fn value_inside_a_list_may_continue_it() {
        let s = after(",NULL) waitfor delay '0:0:20' --");
        assert_eq!(s.stacked, Some("waitfor"));
        assert!(!s.error);
    }

    #[test]
    fn case_when_on_constants() {
        for v in [
            "(CASE WHEN 1=1 THEN id ELSE name END)",
            "CASE WHEN 1=2 THEN 1 ELSE 2 END",
            "(case when 'a'='a' then id else name end)",
            "(CASE WHEN x=1 THEN 1 WHEN 2>1 THEN 2 END)",
        ] {
            let s = bare(v);
            assert!(s.constant_condition && !s.error, "{v}: {s:?}");
        }
        for v in [
            "CASE WHEN price > 10 THEN 'high' ELSE 'low' END",
            "(CASE WHEN x=1 THEN 2=2 END)",
            "In case when 1=1 then fine",
        ] {
            assert!(!bare(v).constant_condition, "{v}");
        }
    }

    #[test]
    fn values_list_closed_and_cut() {
        for v in [", 'b') -- ", ", 'y', 1)#", ",NULL);-- -", ", 1, 'admin')/*"] {
            assert!(after(v).values_cut, "{v}");
        }
        for v in [", 'b')", ", 'b' -- ", ") -- ", ", b) -- ", ", 'b) --"] {
            assert!(!after(v).values_cut, "{v}");
        }
    }

    #[test]
    fn pattern_of_wildcards_alone() {
        for v in [
            " like '%",
            " rlike '.",
            " regexp '.*",
            " NOT LIKE '_",
            " like '%'-- -",
        ] {
            assert!(after(v).wildcard_match, "{v}");
        }
        for v in [
            " like 'this",
            " like '",
            " regexp '^a",
            " like '%' or x",
            " = '%",
        ] {
            assert!(!after(v).wildcard_match, "{v}");
        }
    }

    #[test]
    fn if_condition_then_statement() {
        let s = after("; IF (1=1) WAITFOR DELAY '0:0:1'--");
        assert_eq!(s.stacked, Some("WAITFOR"));
        assert!(!s.stacked_implicit);
        assert!(
            after(" select * from users").error,
            "no implicit SELECT without IF"
        );
    }

    #[test]
    fn whole_statements() {
        let s = walk(&lex("SELECT * FROM users"), Start::Statement);
        assert!(s.whole_statement && s.attack_call.is_none() && !s.error);
        let s = walk(&lex("select benchmark(1000000,md5(1))"), Start::Statement);
        assert_eq!(s.attack_call, Some("benchmark"));
    }

    #[test]
    fn casts_keep_their_operand() {
        assert!(bare("password::int").error_cast);
        assert!(bare("unistr(password)::int").error_cast);
        assert!(!bare("'1'::int").error_cast, "a literal cast reads nothing");
        assert!(!bare("x :: Int").error_cast, "a type signature in code");
        assert!(!bare("ns::int::x").error_cast && !bare("ns::int(x)").error_cast);
        // The type is no operand: `'1'::int` stays a literal on the right of OR.
        let s = bare("1 OR '{\"b\":2}'::jsonb <@ '{\"b\":2}'::jsonb");
        assert!(s.logic_cmp_literal && !s.error);
        let s = after(" or '1'::int");
        assert!(s.logic_operand_literal);
    }

    #[test]
    fn array_constructor_and_postfix_null_tests() {
        let s = after(" or array[id] is not null--");
        assert!(s.logic_call && !s.error && s.truncated);
        let s = after("or email notnull--");
        assert!(s.logic_cmp && !s.error);
        assert!(after(" notnull --").postfix_null_first);
        assert!(!after(" or email notnull").postfix_null_first);
    }

    #[test]
    fn logic_then_an_expression() {
        assert!(after(" or table.column^\"1").logic_arith);
        assert!(after(" or x - 1--").logic_arith);
        assert!(!after(" or 1=1").logic_arith);
        assert!(!after(" - 1 or x").logic_arith);
    }

    #[test]
    fn statement_ended_after_the_literal() {
        assert!(after(";").semicolon_first);
        assert!(after(") /* x */;").semicolon_first);
        assert!(!after("; drop me a line").semicolon_first);
        assert!(!bare(";").semicolon_first);
    }

    #[test]
    fn more_stacked_statement_forms() {
        assert_eq!(
            after("; insert into category(id) values (3)--").stacked,
            Some("insert")
        );
        assert_eq!(
            after("; replace t (id, name) values (1, 'x');").stacked,
            Some("replace")
        );
        assert_eq!(after("; replace the filter (old one)").stacked, None);
        assert_eq!(after(";print 'x'").stacked, Some("print"));
        assert_eq!(after("; print this page").stacked, None);
        assert_eq!(after(";set @").stacked, None);
        assert_eq!(after(";set @a=1").stacked, Some("set"));
    }

    #[test]
    fn catalog_after_from_and_procedure_analyse() {
        assert!(after(" from information_schema.tables limit").catalog_from);
        assert!(!bare("information_schema").catalog_from);
        assert_eq!(after(" procedure analyse(").attack_call, Some("analyse"));
        assert_eq!(bare("analyse(data)").attack_call, None);
    }

    #[test]
    fn union_select_cut_after_one_name() {
        assert!(bare("-1 union select password").union_at_end);
        assert!(!bare("-1 union select a size").union_at_end);
    }

    #[test]
    fn operator_chains_and_glued_comments() {
        assert!(after(" * id - '0").operator_chain);
        assert!(after("*column is \\N - '1").operator_chain);
        assert!(
            !after("+X+48+\"+FRAME").operator_chain,
            "only +: spaces of a URL"
        );
        assert!(
            !after("% ' if x else b' % '").operator_chain,
            "only strings: code"
        );
        assert!(!after(" - 6'").operator_chain);
        assert!(
            !after("/users/', view_func=x)").operator_chain,
            "a path in code"
        );
        assert_eq!(
            walk(&lex("SELECT/**/password/**/FROM/**/t"), Start::Statement).glued_comments,
            3
        );
        assert_eq!(bare("a /* b */ c").glued_comments, 0);
        assert_eq!(bare("src/*/foo/*/bar").glued_comments, 1);
    }

    #[test]
    fn prose_is_ungrammatical() {
        assert!(bare("Can you drop the table booking for tonight?").error);
        assert!(bare("a < b and c > d").logic_cmp);
        assert!(!bare("a < b and c > d").logic_cmp_literal);
        assert!(after("s a big day").error);
    }
}
