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

/// Whether `text` is such plain text (see the module documentation).
pub fn walk_stops_early(text: &str) -> bool {
    let mut first: [Option<Tok<'_>>; 4] = [None; 4];
    let mut kinds = 0u8;
    let complete = scan(text, |n, t| {
        if let Some(slot) = first.get_mut(n) {
            *slot = Some(t);
        }
        if let Tok::Word(class, _) = t {
            kinds |= match class {
                WordClass::Statement => 1,
                WordClass::Union => 2,
                WordClass::Clause => 4,
                _ => 0,
            };
        }
    });
    if !complete || kinds.count_ones() >= 2 {
        return false;
    }
    use Tok::*;
    use WordClass::*;
    let head_rejected = |w: &str| !is_batch_head(w);
    match first {
        // A name and its alias, then a token no alias is followed by.
        [Some(Word(Name, _)), Some(Word(Name, alias)), Some(third), _]
            if !alias.eq_ignore_ascii_case("notnull") && !alias.eq_ignore_ascii_case("isnull") =>
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

/// Reads the tokens of `text` in order, calling `each` with the index and token; false (and
/// stops) at any byte or sequence outside the plain text described above.
fn scan<'a>(text: &'a str, mut each: impl FnMut(usize, Tok<'a>)) -> bool {
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
                return false;
            } else {
                Tok::Number
            }
        } else {
            match c {
                b'-' if b.get(i + 1) == Some(&b'-') => return false,
                // A word before `(` would be a call.
                b'(' if after_word => return false,
                b'-' | b'/' | b'!' | b'?' | b'(' | b')' | b';' | b',' => {
                    i += 1;
                    Tok::Sign(c)
                }
                b':' => {
                    i += if b.get(i + 1) == Some(&b':') { 2 } else { 1 };
                    Tok::Sign(c)
                }
                _ => return false,
            }
        };
        after_word = matches!(tok, Tok::Word(..));
        each(n, tok);
        n += 1;
    }
    true
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
        ] {
            assert!(!walk_stops_early(s), "{s}");
        }
    }
}
