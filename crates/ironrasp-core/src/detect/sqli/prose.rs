//! Plain text that the structural walk provably rejects within its first four tokens, decided
//! without the lexer: "Can you drop the table booking for tonight?" passes the prefilter on
//! `drop`, a browser's "Mozilla/5.0 (X11; ...) ... (KHTML, like Gecko) ..." on `like`, yet
//! every reading of them scores nothing.
//!
//! The proof, for a value of ASCII letters, digits, `_`, whitespace and `. , ? ! - / : ( ) ;`
//! only, with no `--` and no `(` right after a word:
//! - no quote, so the bare context is the only one; no comment, string or call;
//! - the lexer's tokens are then exactly the ones [`scan`] reads: words (a letter or `_`, then
//!   letters, digits and `_`), numbers (`12`, `1.5`, `.5`, no letter or `_` glued after them,
//!   so no `25UNION`, `1e5` or `0x1f`), and one token per sign (`::` is one, which no rule
//!   below accepts either way);
//! - a value that starts with a name then another name (not the postfix tests `NOTNULL`,
//!   `ISNULL`) is an operand and its alias, and after an alias the walk rejects another name,
//!   a logic or word operator, a literal, a number, `.`, `?`, `:`, `!`, `-`, `/` and any
//!   statement head but a batch head ([`is_batch_head`]);
//! - a value that starts with a name, `/` or `-`, then a number is an arithmetic operand, and
//!   after it the walk rejects `(`, a number, `?`, a literal and the same statement heads;
//! - either way the walk stops having set no flag that scores in the bare context (an
//!   arithmetic join only counts after a quote) and read fewer than four tokens, so
//!   [`super::score::judge`] gives 0 without evidence;
//! - [`super::score::keyword_fragment`] needs two kinds of statement head, set operator,
//!   clause or call (there is no call), [`super::char_codes`] needs calls, and implicit
//!   conversion needs a quote.
//!
//! So the judgement is score 0 with no evidence, exactly what the full pipeline gives.
//!
//! An apostrophe inside a word ("if nobody's home - thanks!") adds one reading, after the
//! single quote, and changes the bare one. When such text is the only quote, with a word of
//! two bytes or more before it and such plain text on both sides:
//! - the bare lexer reads the text before it as above (the word ends at the quote; a one-letter
//!   word right before it could be a prefixed literal such as `N'`, hence two bytes), then one
//!   open string to the end: the walk stops within the text before it as above, and an open
//!   string adds no kind, call or flag ([`super::structure::walk`] rejects before reaching it,
//!   and only an unrejected walk looks at the last token);
//! - after the quote (no other quote, no backslash: the only other context), the tail starts
//!   with a name then another name: the first is an alias of the closed literal (not the
//!   postfix tests `NOTNULL`, `ISNULL`), the walk rejects the second having set no flag and
//!   read one token, which is no fragment; no comment, no call, and fewer than two kinds of
//!   statement head, set operator or clause in the tail leave [`super::score::keyword_fragment`]
//!   nothing, and implicit conversion needs the tail to end in an open string.

use super::structure::is_batch_head;
use super::words::{classify_word, WordClass};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(WordClass, &'a str),
    Number,
    Dot,
    /// A one-byte sign: `- / ! ? : ( ) ; ,`.
    Sign(u8),
}

/// Whether `text` is such plain text (see the module documentation), possibly with one
/// apostrophe inside a word.
pub fn walk_stops_early(text: &str) -> bool {
    let mut head = Head::default();
    match scan(text, |n, t| head.read(n, t)) {
        End::Complete => head.rejected(),
        End::Apostrophe(q) => {
            let b = text.as_bytes();
            // `q >= 2`, and both bytes before it are ASCII: the slice below is on a boundary.
            let word_before = q >= 2
                && CLASS[usize::from(b[q - 1])] == LETTER
                && CLASS[usize::from(b[q - 2])] & (LETTER | DIGIT) != 0;
            word_before && head.rejected() && tail_rejected(&text[q + 1..])
        }
        End::Other => false,
    }
}

/// The tail after the apostrophe reads, after the closed literal, as an alias and then a
/// name (see the module documentation).
fn tail_rejected(tail: &str) -> bool {
    let mut head = Head::default();
    if scan(tail, |n, t| head.read(n, t)) != End::Complete || head.kinds.count_ones() >= 2 {
        return false;
    }
    matches!(
        head.first,
        [Some(Tok::Word(WordClass::Name, alias)), Some(Tok::Word(WordClass::Name, _)), ..]
            if !alias.eq_ignore_ascii_case("notnull") && !alias.eq_ignore_ascii_case("isnull")
    )
}

/// The first tokens of a value and the kinds of grammar words in all of it.
#[derive(Default)]
struct Head<'a> {
    first: [Option<Tok<'a>>; 4],
    kinds: u8,
}

impl<'a> Head<'a> {
    /// Records the `n`th token; false once the value can no longer match a pattern of
    /// [`Head::rejected`] or of the tail (both start with a name, then a name, `/` or `-`), so
    /// that the scan stops before reading the rest ("select a size", "12 Union Street").
    fn read(&mut self, n: usize, t: Tok<'a>) -> bool {
        if let Some(slot) = self.first.get_mut(n) {
            *slot = Some(t);
        }
        if let Tok::Word(class, _) = t {
            self.kinds |= match class {
                WordClass::Statement => 1,
                WordClass::Union => 2,
                WordClass::Clause => 4,
                _ => 0,
            };
        }
        match n {
            0 => matches!(t, Tok::Word(WordClass::Name, _)),
            1 => matches!(t, Tok::Word(WordClass::Name, _) | Tok::Sign(b'/' | b'-')),
            _ => true,
        }
    }

    /// Whether the bare walk over these tokens stops early (see the module documentation).
    fn rejected(&self) -> bool {
        if self.kinds.count_ones() >= 2 {
            return false;
        }
        use Tok::*;
        use WordClass::*;
        let head_rejected = |w: &str| !is_batch_head(w);
        match self.first {
            // A name and its alias, then a token no alias is followed by.
            [Some(Word(Name, _)), Some(Word(Name, alias)), Some(third), _]
                if !alias.eq_ignore_ascii_case("notnull")
                    && !alias.eq_ignore_ascii_case("isnull") =>
            {
                match third {
                    Word(Name | Logic | WordOp | Literal, _) => true,
                    Word(Statement, w) => head_rejected(w),
                    Word(..) => false,
                    Number | Dot => true,
                    Sign(c) => matches!(c, b'?' | b':' | b'!' | b'-' | b'/'),
                }
            }
            // `name/1.5`, then a token no operand is followed by.
            [Some(Word(Name, _)), Some(Sign(b'/' | b'-')), Some(Number), Some(fourth)] => {
                match fourth {
                    Word(Literal, _) | Number => true,
                    Word(Statement, w) => head_rejected(w),
                    Sign(c) => matches!(c, b'(' | b'?'),
                    Word(..) | Dot => false,
                }
            }
            _ => false,
        }
    }
}

/// Where [`scan`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// It read the whole value.
    Complete,
    /// At a `'` (its offset), every token before it read.
    Apostrophe(usize),
    /// Anywhere else outside the plain text, or where the tokens read ruled out every
    /// pattern.
    Other,
}

/// Reads the tokens of `text` in order, calling `each` with the index and token; stops at any
/// byte or sequence outside the plain text described above, or when `each` says false.
fn scan<'a>(text: &'a str, mut each: impl FnMut(usize, Tok<'a>) -> bool) -> End {
    let b = text.as_bytes();
    let mut n = 0;
    let mut after_word = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let class = CLASS[usize::from(c)];
        if class == SPACE {
            i += 1;
            continue;
        }
        let start = i;
        let tok = if class == LETTER {
            i = run_end(b, i, LETTER | DIGIT);
            // The run is ASCII, so both ends are char boundaries.
            let word = &text[start..i];
            Tok::Word(classify_word(word), word)
        } else if class == DIGIT || c == b'.' {
            i = run_end(b, i, DIGIT);
            if b.get(i) == Some(&b'.') {
                i = run_end(b, i + 1, DIGIT);
            }
            if i == start + 1 && c == b'.' {
                Tok::Dot
            } else if b.get(i).is_some_and(|&x| CLASS[usize::from(x)] == LETTER) {
                // A letter glued to a number: a name, an exponent, hex or a keyword.
                return End::Other;
            } else {
                Tok::Number
            }
        } else {
            match c {
                b'-' if b.get(i + 1) == Some(&b'-') => return End::Other,
                // A word before `(` would be a call.
                b'(' if after_word => return End::Other,
                b'-' | b'/' | b'!' | b'?' | b'(' | b')' | b';' | b',' => {
                    i += 1;
                    Tok::Sign(c)
                }
                b':' => {
                    i += if b.get(i + 1) == Some(&b':') { 2 } else { 1 };
                    Tok::Sign(c)
                }
                b'\'' => return End::Apostrophe(i),
                _ => return End::Other,
            }
        };
        after_word = matches!(tok, Tok::Word(..));
        if !each(n, tok) {
            return End::Other;
        }
        n += 1;
    }
    End::Complete
}

/// [`CLASS`] of ASCII whitespace, which the lexer skips.
const SPACE: u8 = 1;
/// [`CLASS`] of ASCII letters and `_`: the bytes that start a word.
const LETTER: u8 = 2;
/// [`CLASS`] of ASCII digits.
const DIGIT: u8 = 4;

/// One table load per byte, in the loops that read most of the value.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_whitespace() {
            SPACE
        } else if b.is_ascii_alphabetic() || b == b'_' {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        c += 1;
    }
    t
};

/// End of the run of bytes from `i` whose class is in `classes`.
fn run_end(b: &[u8], mut i: usize, classes: u8) -> usize {
    while i < b.len() && CLASS[usize::from(b[i])] & classes != 0 {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_the_walk_rejects_early() {
        for s in [
            "Can you drop the table booking for tonight?",
            "I would like 2.5 kg, please!",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
            "a/1.5.3 x",
            "Please leave it with the neighbour at no. 14 if nobody's home - thanks!",
            "Can you drop it off, we're out",
            "a b c it' s home",
        ] {
            assert!(walk_stops_early(s), "{s}");
        }
    }

    #[test]
    fn anything_else_takes_the_full_path() {
        for s in [
            "select a size",
            "Union Street",
            "x y",
            "a b, c",
            "a b end",
            "a b as c",
            "a b union select 1",
            "please select name from the list",
            "a b waitfor delay",
            "a b 25union",
            "a b 1.e5",
            "a b 0x1f",
            "a b 1_000",
            "a b -- c",
            "a notnull b",
            "a b c(1)",
            "a b 'c'",
            "a b = c",
            "café au lait",
            "1 or 1",
            "a/1.5 or 1",
            "a/1.5, b",
            "a/1.5 ) b",
            "a/1.5::int",
            "a/1.5. x",
            "a/b(1)",
            "a b c it's home, select x from y",
            "a b c it'notnull x",
            "a b c it's",
            "a b c it's home'",
            "a b c it\\'s home",
            "a b c it's home(1)",
            "a b c I's home",
            "a select from it's home",
            "Rain jacket (men's)",
        ] {
            assert!(!walk_stops_early(s), "{s}");
        }
    }
}
