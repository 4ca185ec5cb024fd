//! A small SQL tokenizer that accepts the union of the MySQL, PostgreSQL, SQL Server, Oracle and
//! SQLite lexical rules, because we do not know which database sits behind the application.
//! It never fails: unknown bytes become `Other` tokens. It is bounded by [`MAX_TOKENS`] and every
//! step consumes at least one byte, so it is linear in the input.

use super::words::{classify_word, WordClass};

/// Tokens kept per lexed view; an attack shows its structure well before this.
pub const MAX_TOKENS: usize = 256;

/// Token classes the structural walker reasons about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Statement heads: SELECT, INSERT, DROP, EXEC, WAITFOR, ...
    Statement,
    /// Set operators: UNION, INTERSECT, EXCEPT, MINUS.
    Union,
    /// Clauses that continue a query: FROM, WHERE, ORDER, GROUP, LIMIT, INTO, ...
    Clause,
    /// AND, OR, XOR, NOT, `&&`, `||`.
    Logic,
    /// Word operators: LIKE, REGEXP, IS, IN, BETWEEN, DIV, ...
    WordOp,
    /// NULL, TRUE, FALSE, `\N`, CURRENT_USER, ...
    Literal,
    /// CASE, WHEN, THEN, ELSE, END.
    Case,
    /// Other reserved words (AS, ALL, BY, TABLE, DELAY, ...).
    Keyword,
    /// A name directly followed by `(` (comments and spaces allowed in between).
    Function,
    Ident,
    Number,
    Str,
    /// Arithmetic, bitwise and other non-comparison operators.
    Operator,
    /// `=`, `<>`, `!=`, `<`, `>`, `<=`, `>=`, `<=>`, `==`.
    Comparison,
    Comment,
    LParen,
    RParen,
    Comma,
    Semicolon,
    /// `@x`, `@@version`.
    Variable,
    Dot,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub class: Class,
    pub text: &'a str,
    /// A string or block comment that the input ended inside.
    pub open: bool,
    /// Byte offset just past the token.
    pub end: usize,
}

impl Token<'_> {
    pub fn is(&self, class: Class, word: &str) -> bool {
        self.class == class && self.text.eq_ignore_ascii_case(word)
    }
}

/// Lexes `text` from the start, outside any literal.
pub fn lex(text: &str) -> Vec<Token<'_>> {
    // One allocation for typical values (a token spans a few bytes), instead of regrowing.
    let mut out = Vec::with_capacity((text.len() / 4 + 2).min(MAX_TOKENS));
    let b = text.as_bytes();
    let mut i = 0;
    // Inside a MySQL `/*! ... */` versioned comment: its content is live SQL.
    let mut in_exec_comment = false;
    // Open `ARRAY[` brackets, closed by `]` (bounded by the token count).
    let mut array_depth = 0u32;
    // Open ODBC escapes (`{fn USER()}`, `{d '2024-01-01'}`, MySQL's `{x 1=1}`), closed by `}`.
    let mut odbc_depth = 0u32;
    while i < b.len() && out.len() < MAX_TOKENS {
        let c = b[i];
        // MySQL also skips the vertical tab (0x0B), which `is_ascii_whitespace` does not, and
        // SQL Server every control character (0x01-0x1F): all separate words.
        if c.is_ascii_whitespace() || c < 0x20 {
            i += 1;
            continue;
        }
        let start = i;
        let (class, end, open) = match c {
            b'*' if in_exec_comment && b.get(i + 1) == Some(&b'/') => {
                in_exec_comment = false;
                i += 2;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                if b.get(i + 2) == Some(&b'!') {
                    // Versioned comment: skip the marker and optional version digits.
                    let mut j = i + 3;
                    while j < b.len() && j < i + 9 && b[j].is_ascii_digit() {
                        j += 1;
                    }
                    in_exec_comment = true;
                    i = j;
                    continue;
                }
                match find2(b, i + 2, b'*', b'/') {
                    Some(e) => (Class::Comment, e + 2, false),
                    None => (Class::Comment, b.len(), true),
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => (Class::Comment, line_end(b, i), false),
            // PostgreSQL JSON path operators `#>`, `#>>`, `#-` take a path literal (`'{a,b}'`)
            // on their right and follow an operand; anywhere else `#` starts a MySQL comment.
            b'#' if json_path_operator(b, i, out.last()).is_some() => {
                let len = json_path_operator(b, i, out.last()).unwrap_or(1);
                (Class::Operator, i + len, false)
            }
            b'#' => (Class::Comment, line_end(b, i), false),
            b'\'' => string_end(b, i, b'\'', true),
            b'"' => string_end(b, i, b'"', true),
            b'`' => quoted_ident_end(b, i, b'`'),
            // PostgreSQL `ARRAY[...]`: the brackets hold a list, as parentheses do.
            b'[' if out.last().is_some_and(|t| is_array_word(t)) => {
                array_depth += 1;
                (Class::LParen, i + 1, false)
            }
            b']' if array_depth > 0 => {
                array_depth -= 1;
                (Class::RParen, i + 1, false)
            }
            // An ODBC escape groups what it holds, as parentheses do: its keyword is no operand.
            b'{' => match odbc_escape_len(b, i) {
                Some(n) => {
                    odbc_depth += 1;
                    (Class::LParen, i + n, false)
                }
                None => (Class::Other, i + 1, false),
            },
            b'}' if odbc_depth > 0 => {
                odbc_depth -= 1;
                (Class::RParen, i + 1, false)
            }
            b'[' => match bracket_ident_end(b, i) {
                Some(e) => (Class::Ident, e, false),
                None => (Class::Other, i + 1, false),
            },
            b'$' => match dollar_string_end(b, i) {
                Some((e, open)) => (Class::Str, e, open),
                None => (Class::Other, i + 1, false),
            },
            // PostgreSQL containment `@>`.
            b'@' if b.get(i + 1) == Some(&b'>') => (Class::Comparison, i + 2, false),
            b'@' => {
                let mut j = i + 1;
                if b.get(j) == Some(&b'@') {
                    j += 1;
                }
                match b.get(j) {
                    Some(b'\'') | Some(b'"') | Some(b'`') => {
                        let (_, e, open) = string_end(b, j, b[j], false);
                        (Class::Variable, e, open)
                    }
                    _ => {
                        let e = word_end(b, j);
                        (Class::Variable, e, false)
                    }
                }
            }
            b'\\' if matches!(b.get(i + 1), Some(b'N')) => (Class::Literal, i + 2, false),
            b'0'..=b'9' => match digit_name_end(b, i) {
                Some(e) => (Class::Ident, e, false),
                None => (Class::Number, number_end(b, i), false),
            },
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                (Class::Number, number_end(b, i), false)
            }
            b'.' => (Class::Dot, i + 1, false),
            b'(' => (Class::LParen, i + 1, false),
            b')' => (Class::RParen, i + 1, false),
            b',' => (Class::Comma, i + 1, false),
            b';' => (Class::Semicolon, i + 1, false),
            b'=' | b'<' | b'>' | b'!' | b'|' | b'&' | b':' | b'+' | b'-' | b'*' | b'/' | b'%'
            | b'^' | b'~' => operator(b, i),
            // PostgreSQL key tests `?`, `?|`, `?&` compare a JSON operand to keys; a `?` that
            // follows no operand is a placeholder or punctuation.
            b'?' if json_key_test(b, i, out.last()).is_some() => {
                let len = json_key_test(b, i, out.last()).unwrap_or(1);
                (Class::Comparison, i + len, false)
            }
            _ if is_word_byte(c) => {
                // Every prefixed literal has a quote or `&` right after its letter.
                let prefixed = matches!(b.get(i + 1), Some(b'\'' | b'&'));
                if let Some(r) = prefixed.then(|| prefixed_string(b, i)).flatten() {
                    r
                } else {
                    (Class::Ident, word_end(b, i), false)
                }
            }
            _ => (Class::Other, i + 1, false),
        };
        let end = end.max(start + 1).min(b.len());
        // Offsets are always at ASCII bytes or the end, so these are char boundaries.
        let Some(tok_text) = text.get(start..end) else {
            break;
        };
        let class = if class == Class::Ident {
            word_class(tok_text)
        } else {
            class
        };
        out.push(Token {
            class,
            text: tok_text,
            open,
            end,
        });
        i = end;
    }
    mark_functions(&mut out);
    out
}

/// The ARRAY constructor keyword, written right before its `[`.
fn is_array_word(t: &Token<'_>) -> bool {
    t.class == Class::Ident && t.text.eq_ignore_ascii_case("array")
}

fn word_class(w: &str) -> Class {
    match classify_word(w) {
        WordClass::Statement => Class::Statement,
        WordClass::Union => Class::Union,
        WordClass::Clause => Class::Clause,
        WordClass::Logic => Class::Logic,
        WordClass::WordOp => Class::WordOp,
        WordClass::Literal => Class::Literal,
        WordClass::Case => Class::Case,
        WordClass::Keyword => Class::Keyword,
        WordClass::Name => Class::Ident,
    }
}

const NOT_CALLABLE: [&str; 18] = [
    "all", "distinct", "as", "by", "top", "with", "for", "interval", "table", "view", "index",
    "delay", "outfile", "dumpfile", "function", "trigger", "nowait", "asc",
];

/// A name followed by `(` is a call. Statement and clause words keep their class (`IN (`,
/// `VALUES (`, `UNION (`), except REPLACE which is also a common function.
fn mark_functions(toks: &mut [Token<'_>]) {
    for i in 0..toks.len() {
        let word = matches!(
            toks[i].class,
            Class::Ident | Class::Literal | Class::Keyword | Class::Statement
        );
        if !word {
            continue;
        }
        // The parenthesis before the word lists: most words have none after them.
        let next = toks[i + 1..].iter().find(|t| t.class != Class::Comment);
        if !next.is_some_and(|t| t.class == Class::LParen) {
            continue;
        }
        let callable = match toks[i].class {
            Class::Ident | Class::Literal => !toks[i].text.starts_with(['`', '[']),
            // `UNION ALL (SELECT`, `AS (`, `TOP (10)`: grammar words before a parenthesis.
            Class::Keyword => !NOT_CALLABLE
                .iter()
                .any(|w| toks[i].text.eq_ignore_ascii_case(w)),
            Class::Statement => toks[i].text.eq_ignore_ascii_case("replace"),
            _ => false,
        };
        if callable {
            toks[i].class = Class::Function;
        }
    }
}

/// ASCII letters and digits, `_`, `$` and every non-ASCII byte: the bytes of a name.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        c += 1;
    }
    t
};

/// One table lookup: the lexer and the prefilter ask this for nearly every byte.
pub fn is_word_byte(c: u8) -> bool {
    WORD_BYTE[usize::from(c)]
}

fn word_end(b: &[u8], mut j: usize) -> usize {
    while j < b.len() && is_word_byte(b[j]) {
        j += 1;
    }
    j
}

/// The length of an ODBC escape's opening (`{fn `, `{oj `, `{d `, `{ts `, MySQL's `{x `): `{`,
/// one to eight letters and a space, with a `}` later in the value.
fn odbc_escape_len(b: &[u8], i: usize) -> Option<usize> {
    let letters = b[i + 1..]
        .iter()
        .take(9)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let space = b.get(i + 1 + letters).is_some_and(u8::is_ascii_whitespace);
    ((1..=8).contains(&letters) && space && memchr::memchr(b'}', &b[i + 1..]).is_some())
        .then_some(letters + 2)
}

fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p)
}

fn find2(b: &[u8], from: usize, x: u8, y: u8) -> Option<usize> {
    let mut j = from;
    while j + 1 < b.len() {
        let p = memchr::memchr(x, &b[j..b.len() - 1])?;
        if b[j + p + 1] == y {
            return Some(j + p);
        }
        j += p + 1;
    }
    None
}

/// End of a quoted string starting at `i` (the opening quote). A doubled quote is an escaped
/// quote in every dialect; backslash escapes are MySQL's (the default there).
pub fn string_end(b: &[u8], i: usize, q: u8, backslash: bool) -> (Class, usize, bool) {
    match close_quote(b, i + 1, q, backslash) {
        Some(e) => (Class::Str, e + 1, false),
        None => (Class::Str, b.len(), true),
    }
}

/// Position of the quote that closes a literal whose body starts at `from`.
pub fn close_quote(b: &[u8], from: usize, q: u8, backslash: bool) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        // Only the quote and (when it escapes) the backslash change anything: jump to the next.
        let rest = &b[j..];
        j += if backslash {
            memchr::memchr2(q, b'\\', rest)?
        } else {
            memchr::memchr(q, rest)?
        };
        if b[j] != q {
            // An escaping backslash: skip it and the byte it escapes.
            j += 2;
            continue;
        }
        if b.get(j + 1) == Some(&q) {
            j += 2;
            continue;
        }
        return Some(j);
    }
    None
}

fn quoted_ident_end(b: &[u8], i: usize, q: u8) -> (Class, usize, bool) {
    match close_quote(b, i + 1, q, false) {
        Some(e) => (Class::Ident, e + 1, false),
        None => (Class::Other, i + 1, false),
    }
}

/// SQL Server `[name]`: only a short run of name-like bytes, so JSON arrays and markdown links
/// do not become identifiers.
fn bracket_ident_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() && j < i + 130 {
        match b[j] {
            b']' if j > i + 1 => return Some(j + 1),
            c if is_word_byte(c) || c == b' ' || c == b'-' || c == b'.' => j += 1,
            _ => return None,
        }
    }
    None
}

/// PostgreSQL `$$...$$` and `$tag$...$tag$`.
fn dollar_string_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut j = i + 1;
    while j < b.len() && j < i + 64 && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    if b.get(j) != Some(&b'$') {
        return None;
    }
    let tag = &b[i..=j];
    let body = j + 1;
    let found = memchr::memmem::find(&b[body..], tag);
    Some(match found {
        Some(p) => (body + p + tag.len(), false),
        None => (b.len(), true),
    })
}

/// `N'..'`, `X'..'`, `B'..'`, `E'..'` (backslash escapes), `U&'..'`, Oracle `Q'[..]'`.
fn prefixed_string(b: &[u8], i: usize) -> Option<(Class, usize, bool)> {
    let p = b[i].to_ascii_uppercase();
    let next = *b.get(i + 1)?;
    match (p, next) {
        (b'N' | b'X' | b'B' | b'E', b'\'') => Some(string_end(b, i + 1, b'\'', true)),
        (b'U', b'&') if b.get(i + 2) == Some(&b'\'') => Some(string_end(b, i + 2, b'\'', true)),
        (b'Q', b'\'') => {
            let open = *b.get(i + 2)?;
            let close = match open {
                b'[' => b']',
                b'(' => b')',
                b'{' => b'}',
                b'<' => b'>',
                c if !c.is_ascii_whitespace() => c,
                _ => return None,
            };
            let mut j = i + 3;
            while j + 1 < b.len() {
                if b[j] == close && b[j + 1] == b'\'' {
                    return Some((Class::Str, j + 2, false));
                }
                j += 1;
            }
            Some((Class::Str, b.len(), true))
        }
        _ => None,
    }
}

/// MySQL: digits followed by name characters form an identifier (`1108_no_1718`), except hex
/// and binary literals, an exponent (`1e1union` is `1e1` then `union`), and letters that are
/// a grammar word (`25UNION SELECT`, `1or 1=1`): parsers that split there, and filters that
/// miss the word, make that the shape of an evasion, not of a name.
fn digit_name_end(b: &[u8], i: usize) -> Option<usize> {
    if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X' | b'b' | b'B')) {
        return None;
    }
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let c = *b.get(j)?;
    let exponent = matches!(c, b'e' | b'E')
        && b.get(j + 1)
            .is_some_and(|d| d.is_ascii_digit() || *d == b'+' || *d == b'-');
    if exponent || !is_word_byte(c) {
        return None;
    }
    let end = word_end(b, j);
    let grammar = std::str::from_utf8(&b[j..end]).is_ok_and(|w| {
        matches!(
            classify_word(w),
            WordClass::Statement | WordClass::Union | WordClass::Logic
        )
    });
    if grammar {
        return None;
    }
    Some(end)
}

fn number_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    if b[j] == b'0' && matches!(b.get(j + 1), Some(b'x' | b'X')) {
        j += 2;
        while j < b.len() && b[j].is_ascii_hexdigit() {
            j += 1;
        }
        return j;
    }
    if b[j] == b'0'
        && matches!(b.get(j + 1), Some(b'b' | b'B'))
        && b.get(j + 2).is_some_and(|c| *c == b'0' || *c == b'1')
    {
        j += 2;
        while j < b.len() && (b[j] == b'0' || b[j] == b'1') {
            j += 1;
        }
        return j;
    }
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if b.get(j) == Some(&b'.') {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let k = if matches!(b.get(j + 1), Some(b'+' | b'-')) {
            j + 2
        } else {
            j + 1
        };
        if b.get(k).is_some_and(u8::is_ascii_digit) {
            j = k;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
        }
    }
    j
}

/// Length of a PostgreSQL key test at `i`: `?` before a key literal, `?|` / `?&` before a
/// literal or an `ARRAY[...]`, each after an operand that is not a bare number ("3? Explain").
fn json_key_test(b: &[u8], i: usize, prev: Option<&Token<'_>>) -> Option<usize> {
    let json_operand = prev.is_some_and(|t| is_operand_end(t.class) && t.class != Class::Number);
    let len = if matches!(b.get(i + 1), Some(b'|' | b'&')) {
        2
    } else {
        1
    };
    let next = b
        .get(i + len..)?
        .iter()
        .take(8)
        .find(|c| !c.is_ascii_whitespace());
    let key = next.is_some_and(|c| *c == b'\'' || (len == 2 && c.eq_ignore_ascii_case(&b'a')));
    (json_operand && key).then_some(len)
}

/// Tokens that can end an operand, so that a binary operator may follow.
fn is_operand_end(c: Class) -> bool {
    matches!(c, Class::Str | Class::Ident | Class::Number | Class::RParen)
}

/// Length of a PostgreSQL JSON path operator at `i` (`#>`, `#>>`, `#-`): only after an operand
/// and before a string literal, so `admin'#` and `1 #> note` stay comments.
fn json_path_operator(b: &[u8], i: usize, prev: Option<&Token<'_>>) -> Option<usize> {
    let len = match (b.get(i + 1), b.get(i + 2)) {
        (Some(b'>'), Some(b'>')) => 3,
        (Some(b'>' | b'-'), _) => 2,
        _ => return None,
    };
    let after_operand = prev.is_some_and(|t| is_operand_end(t.class));
    let rest = b.get(i + len..)?;
    let path_follows = rest
        .iter()
        .take(8)
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|c| *c == b'\'');
    (after_operand && path_follows).then_some(len)
}

fn operator(b: &[u8], i: usize) -> (Class, usize, bool) {
    let two = |x: u8| b.get(i + 1) == Some(&x);
    let c = b[i];
    let (class, len) = match c {
        b'<' if two(b'=') && b.get(i + 2) == Some(&b'>') => (Class::Comparison, 3),
        b'<' if two(b'>') || two(b'=') => (Class::Comparison, 2),
        b'<' if two(b'<') => (Class::Operator, 2),
        // PostgreSQL containment `<@`.
        b'<' if two(b'@') => (Class::Comparison, 2),
        b'>' if two(b'=') => (Class::Comparison, 2),
        b'>' if two(b'>') => (Class::Operator, 2),
        b'!' if two(b'=') => (Class::Comparison, 2),
        b'!' if two(b'<') || two(b'>') => (Class::Comparison, 2),
        b'=' if two(b'=') => (Class::Comparison, 2),
        b'=' | b'<' | b'>' => (Class::Comparison, 1),
        b'|' if two(b'|') => (Class::Logic, 2),
        b'&' if two(b'&') => (Class::Logic, 2),
        b':' if two(b':') || two(b'=') => (Class::Operator, 2),
        b'-' if two(b'>') => (
            Class::Operator,
            if b.get(i + 2) == Some(&b'>') { 3 } else { 2 },
        ),
        b':' => (Class::Other, 1),
        _ => (Class::Operator, 1),
    };
    (class, i + len, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(s: &str) -> Vec<Class> {
        lex(s).iter().map(|t| t.class).collect()
    }

    fn texts(s: &str) -> Vec<&str> {
        lex(s).iter().map(|t| t.text).collect()
    }

    #[test]
    fn comments_of_every_kind() {
        use Class::*;
        assert_eq!(classes("1 -- x"), vec![Number, Comment]);
        assert_eq!(classes("1 # x\nor"), vec![Number, Comment, Logic]);
        assert_eq!(classes("1/*x*/or"), vec![Number, Comment, Logic]);
        assert_eq!(classes("1 /* open"), vec![Number, Comment]);
        assert!(lex("1 /* open")[1].open);
    }

    #[test]
    fn mysql_versioned_comment_is_live_sql() {
        use Class::*;
        assert_eq!(
            classes("1 /*!50000union*/ /*!select*/ 1"),
            vec![Number, Union, Statement, Number]
        );
        assert_eq!(texts("/*!UNION*/"), vec!["UNION"]);
    }

    #[test]
    fn quoted_names_and_strings() {
        use Class::*;
        assert_eq!(
            classes("`a b` [col name] \"x\" 'it''s'"),
            vec![Ident, Ident, Str, Str]
        );
        assert_eq!(classes("'a\\'b'"), vec![Str]);
        assert_eq!(classes("$$ body ' $$ $tag$ x $tag$"), vec![Str, Str]);
        assert_eq!(
            classes("N'x' X'41' B'01' E'\\'' q'[it's]'"),
            vec![Str, Str, Str, Str, Str]
        );
        let t = lex("'unterminated");
        assert!(t[0].open);
    }

    #[test]
    fn array_constructor_brackets_are_parentheses() {
        use Class::*;
        assert_eq!(
            classes("array['a',x]"),
            vec![Function, LParen, Str, Comma, Ident, RParen]
        );
        // Without ARRAY a bracket is a name or punctuation, and a lone `]` stays Other.
        assert_eq!(classes("[x] ]"), vec![Ident, Other]);
    }

    #[test]
    fn json_array_is_not_a_bracket_identifier() {
        assert_eq!(classes("[1, 2]")[0], Class::Other);
    }

    #[test]
    fn numbers_and_variables() {
        use Class::*;
        assert_eq!(
            classes("0x41 0b01 1.5e3 .5 \\N @x @@version"),
            vec![Number, Number, Number, Number, Literal, Variable, Variable]
        );
        assert_eq!(texts("1e1union"), vec!["1e1", "union"]);
    }

    #[test]
    fn mysql_digit_leading_names() {
        use Class::*;
        assert_eq!(
            classes("1108_no_1718 1e5 0x1f 12"),
            vec![Ident, Number, Number, Number]
        );
        assert_eq!(classes("union all (select 1)")[1], Keyword);
        assert_eq!(texts("25UNION SELECT"), vec!["25", "UNION", "SELECT"]);
        assert_eq!(classes("1or 2"), vec![Number, Logic, Number]);
        assert_eq!(classes("2nd 10am"), vec![Ident, Ident]);
        assert_eq!(classes("1\u{b}||\u{b}2"), vec![Number, Logic, Number]);
    }

    #[test]
    fn operators() {
        use Class::*;
        assert_eq!(
            classes("a||b&&c<=>d::e!=f<>g:=h>=i"),
            vec![
                Ident, Logic, Ident, Logic, Ident, Comparison, Ident, Operator, Ident, Comparison,
                Ident, Comparison, Ident, Operator, Ident, Comparison, Ident
            ]
        );
    }

    #[test]
    fn keywords_and_functions() {
        use Class::*;
        assert_eq!(
            classes("SeLeCt sleep (5) UNION and"),
            vec![Statement, Function, LParen, Number, RParen, Union, Logic]
        );
        assert_eq!(
            classes("char/**/(65)"),
            vec![Function, Comment, LParen, Number, RParen]
        );
        assert_eq!(classes("in (1)"), vec![WordOp, LParen, Number, RParen]);
    }

    #[test]
    fn bounded_and_total_on_odd_input() {
        let long = "(".repeat(10_000);
        assert_eq!(lex(&long).len(), MAX_TOKENS);
        for s in [
            "'", "\"", "$", "$a", "/*", "/*!", "*/", "@", "\\", "0x", "[", "`", "q'", "é'ü",
            "\u{0}",
        ] {
            let _ = lex(s);
        }
    }
}
