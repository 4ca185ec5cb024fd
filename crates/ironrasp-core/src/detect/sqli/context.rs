//! The places a request value usually lands in a query, and the part of the value that would
//! be parsed as SQL in each: `WHERE id = <v>`, `'<v>'`, `"<v>"`. A closing parenthesis after
//! the breakout (`('<v>')`, `(<v>)`) is handled by the walker as leading unmatched `)`.
//! A backslash before the quote escapes it in MySQL's default mode only; where backslashes are
//! plain characters (standard SQL strings), or where the application escapes quotes by adding
//! a backslash (`\'` becomes `\\'`), the quote after a backslash ends the literal: the
//! `...Unescaped` contexts read the value that way.

use super::lexer::{close_quote, lex, Class, Token};
use super::structure::Start;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Numeric or otherwise unquoted: the whole value is SQL.
    Bare,
    SingleQuote,
    DoubleQuote,
    /// Inside single quotes, the value's `\'` ending the literal.
    SingleQuoteUnescaped,
    /// Inside double quotes, the value's `\"` ending the literal.
    DoubleQuoteUnescaped,
    /// A MySQL/SQLite quoted identifier: a column or table name the application put between
    /// backticks (`ORDER BY `<v>``), the value's first backtick ending it.
    Backtick,
    /// A SQL Server bracketed identifier (`ORDER BY [<v>]`), the value's first `]` ending it.
    Bracket,
}

pub const ALL: [Context; 7] = [
    Context::Bare,
    Context::SingleQuote,
    Context::DoubleQuote,
    Context::SingleQuoteUnescaped,
    Context::DoubleQuoteUnescaped,
    Context::Backtick,
    Context::Bracket,
];

impl Context {
    pub fn describe(self, lead_close: u8) -> &'static str {
        match (self, lead_close > 0) {
            (Context::Bare, false) => "numeric/bare",
            (Context::Bare, true) => "after closing parenthesis",
            (Context::SingleQuote, false) => "after single quote",
            (Context::SingleQuote, true) => "after single quote and parenthesis",
            (Context::DoubleQuote, false) => "after double quote",
            (Context::DoubleQuote, true) => "after double quote and parenthesis",
            (Context::SingleQuoteUnescaped, false) => "after backslash and single quote",
            (Context::SingleQuoteUnescaped, true) => {
                "after backslash, single quote and parenthesis"
            }
            (Context::DoubleQuoteUnescaped, false) => "after backslash and double quote",
            (Context::DoubleQuoteUnescaped, true) => {
                "after backslash, double quote and parenthesis"
            }
            (Context::Backtick, false) => "after backtick-quoted name",
            (Context::Backtick, true) => "after backtick-quoted name and parenthesis",
            (Context::Bracket, false) => "after bracketed name",
            (Context::Bracket, true) => "after bracketed name and parenthesis",
        }
    }

    pub fn quote(self) -> Option<u8> {
        match self {
            Context::Bare => None,
            Context::SingleQuote | Context::SingleQuoteUnescaped => Some(b'\''),
            Context::DoubleQuote | Context::DoubleQuoteUnescaped => Some(b'"'),
            Context::Backtick => Some(b'`'),
            Context::Bracket => Some(b']'),
        }
    }

    fn backslash_escapes(self) -> bool {
        matches!(self, Context::SingleQuote | Context::DoubleQuote)
    }

    fn unescaped(self) -> bool {
        matches!(
            self,
            Context::SingleQuoteUnescaped | Context::DoubleQuoteUnescaped
        )
    }

    fn names(self) -> bool {
        matches!(self, Context::Backtick | Context::Bracket)
    }
}

/// The tokens SQL would see in `ctx`, and where the walk starts; `None` when the value cannot
/// leave the literal of that context (no unescaped closing quote).
pub fn tokens(text: &str, ctx: Context) -> Option<(Vec<Token<'_>>, Start)> {
    let Some(q) = ctx.quote() else {
        let toks = lex(text);
        let start = bare_start(&toks);
        return Some((toks, start));
    };
    let b = text.as_bytes();
    let close = close_quote(b, 0, q, ctx.backslash_escapes())?;
    // The unescaped reading only differs when a backslash stands right before that quote.
    if ctx.unescaped() && (close == 0 || b[close - 1] != b'\\') {
        return None;
    }
    // A name, as an application takes a sort column or a field from a parameter: `id`,
    // `t.col`. Text before a backtick (Markdown's "use `x`") or a `]` ("[1]") is no name.
    if ctx.names()
        && !b[..close]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.'))
    {
        return None;
    }
    // The closing quote is ASCII, so close + 1 is a char boundary.
    let tail = text.get(close + 1..)?;
    Some((lex(tail), Start::AfterOperand))
}

/// A bare value either is an operand itself (`1 OR 1=1`) or was appended to one by a scanner
/// (` OR 1=1`, `) UNION SELECT ...`): decided by its first real token.
fn bare_start(toks: &[Token<'_>]) -> Start {
    let first = toks.iter().find(|t| t.class != Class::Comment);
    let operand_like = first.is_none_or(|t| match t.class {
        Class::Number
        | Class::Str
        | Class::Ident
        | Class::Literal
        | Class::Variable
        | Class::Function
        | Class::LParen
        | Class::Case => true,
        // `AS alias WHERE ...`: an alias continues an operand, it never starts one.
        Class::Keyword => !t.text.eq_ignore_ascii_case("as"),
        Class::Operator => matches!(t.text, "-" | "+" | "~" | "!"),
        Class::Logic => t.text.eq_ignore_ascii_case("not"),
        _ => false,
    });
    if first.is_some_and(|t| t.class == Class::Statement) {
        Start::Statement
    } else if operand_like {
        Start::Operand
    } else {
        Start::AfterOperand
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_context_needs_a_closing_quote() {
        assert!(tokens("O Brien", Context::SingleQuote).is_none());
        assert!(tokens("it''s", Context::SingleQuote).is_none());
        assert!(tokens("it\\'s", Context::SingleQuote).is_none());
        let (t, s) = tokens("admin' or 1=1", Context::SingleQuote).unwrap();
        assert_eq!(s, Start::AfterOperand);
        assert_eq!(t[0].text, "or");
        assert!(tokens("say \"hi\"", Context::DoubleQuote).is_some());
    }

    #[test]
    fn backslash_before_the_quote_may_not_escape_it() {
        assert!(tokens("it\\'s", Context::SingleQuoteUnescaped).is_some());
        assert!(tokens("it's", Context::SingleQuoteUnescaped).is_none());
        let (t, _) = tokens("x\\' or 1=1", Context::SingleQuoteUnescaped).unwrap();
        assert_eq!(t[0].text, "or");
        assert!(tokens("x\\\" or 1", Context::DoubleQuoteUnescaped).is_some());
    }

    #[test]
    fn bare_start_depends_on_first_token() {
        assert_eq!(tokens("1 or 1=1", Context::Bare).unwrap().1, Start::Operand);
        assert_eq!(
            tokens(" or 1=1", Context::Bare).unwrap().1,
            Start::AfterOperand
        );
        assert_eq!(
            tokens(") union select 1", Context::Bare).unwrap().1,
            Start::AfterOperand
        );
        assert_eq!(
            tokens("-1 union select 1", Context::Bare).unwrap().1,
            Start::Operand
        );
    }
}
