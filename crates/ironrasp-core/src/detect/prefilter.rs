//! The shared prefilter: one pass over a view's bytes records which byte classes it contains,
//! and a detector runs only when the view holds at least one byte it needs (an XSS payload
//! needs `<`, `"`, `(`... ; a JNDI lookup needs `$`). Ordinary words then cost one table scan
//! instead of a dozen detector prefilters. Each detector's `needs` set is a superset of what its
//! own code requires; `tests/prefilter.rs` checks on every vector and dataset value that a
//! skipped detector would have found nothing.

/// A set of byte classes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Classes(pub u64);

macro_rules! classes {
    ($($name:ident = $bit:expr;)*) => {
        impl Classes {
            $(pub const $name: Classes = Classes(1 << $bit);)*
        }
    };
}

classes! {
    LT = 0; GT = 1; DQUOTE = 2; SQUOTE = 3; BACKTICK = 4; LPAREN = 5; RPAREN = 6;
    LBRACE = 7; RBRACE = 8; LBRACKET = 9; RBRACKET = 10; DOLLAR = 11; PERCENT = 12;
    SLASH = 13; BACKSLASH = 14; COLON = 15; SEMI = 16; PIPE = 17; AMP = 18; EQ = 19;
    HASH = 20; AT = 21; STAR = 22; QMARK = 23; PLUS = 24; BANG = 25; CONTROL = 26;
    NON_ASCII = 27; DOT = 28; DIGIT = 29; TILDE = 30; CARET = 31; LETTER = 32; SPACE = 33;
    COMMA = 34; DASH = 35; UNDERSCORE = 36;
    // Non-ASCII bytes that some detectors need apart from the rest (each is also NON_ASCII):
    // the lead bytes of general punctuation (`…`, `∕`, look-alike dots and slashes) and of
    // fullwidth forms, and the last byte of a character a byte-truncating server turns into
    // CR or LF (U+010A, U+560D...).
    LEAD_E2 = 37; LEAD_EF = 38; BREAK_TAIL = 39;
    // ASCII upper-case letters (each is also LETTER): what base64 and serialization magics
    // mix with lower case.
    UPPER = 40;
    // The lead bytes C2 and CA (each is also NON_ASCII): typographic quotes start with them
    // (`«`, `»`, `ʼ`) or with E2 and EF.
    QUOTE_LEAD = 41;
    // ASCII lower-case letters, and letters past `f` in either case (each is also LETTER):
    // what the base64 decoder's hints read (two of upper case, lower case and digits; not only
    // hex digits), so that the expansion of a value needs no pass of its own.
    LOWER = 42; BEYOND_HEX = 43;
}

/// What a view must contain for a detector to run: a byte of one of the classes `any`, and
/// one of `also` (every class unless narrowed): a detector that reads non-ASCII bytes only
/// beside ASCII letters says so with the second set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    pub any: Classes,
    pub also: Classes,
}

impl Needs {
    /// A byte of one of `any`.
    pub const fn any(any: Classes) -> Needs {
        Needs {
            any,
            also: Classes::ALL,
        }
    }

    /// And a byte of one of `also`.
    pub const fn also(self, also: Classes) -> Needs {
        Needs {
            any: self.any,
            also,
        }
    }

    /// Whether a view whose classes are `present` has what the detector needs.
    #[inline(always)]
    pub fn met(self, present: Classes) -> bool {
        present.any(self.any) && present.any(self.also)
    }
}

impl Classes {
    /// Every class: the detector always runs.
    pub const ALL: Classes = Classes(u64::MAX);

    /// Letters, digits, `-` and `_` only: identifiers, SKUs, tokens, plain words. No injection
    /// that SQL, markup, a shell or a script interpreter would run is spelled with these alone
    /// (a keyword or command needs a separator, a quote or an operator next to it), so the
    /// detectors that read every other view skip these ones. This is a decision, not only a
    /// proof: the SQLi detector run anyway scores some bare words as cut-short fragments
    /// (`1union`, `or-1--`) or as a statement (`shutdown`, also an English word); none of them
    /// runs anything on its own. A bare command name still reaches cmdi
    /// (`CmdiDetector::names_a_command`).
    pub const WORD: Classes = Classes(
        Classes::LETTER.0
            | Classes::UPPER.0
            | Classes::LOWER.0
            | Classes::BEYOND_HEX.0
            | Classes::DIGIT.0
            | Classes::DASH.0
            | Classes::UNDERSCORE.0,
    );

    /// Every class but the word classes: a detector that needs more than a bare word.
    pub const BEYOND_WORD: Classes = Classes(!Classes::WORD.0);

    /// Every class of a non-ASCII byte.
    pub const NON_ASCII_ALL: Classes = Classes(
        Classes::NON_ASCII.0
            | Classes::LEAD_E2.0
            | Classes::LEAD_EF.0
            | Classes::BREAK_TAIL.0
            | Classes::QUOTE_LEAD.0,
    );

    /// Words (see [`Classes::WORD`]) in any script, separated by spaces: names, addresses,
    /// sentences without punctuation.
    pub const PLAIN_WORDS: Classes =
        Classes(Classes::WORD.0 | Classes::SPACE.0 | Classes::NON_ASCII_ALL.0);

    pub const fn or(self, o: Classes) -> Classes {
        Classes(self.0 | o.0)
    }

    pub const fn any(self, o: Classes) -> bool {
        self.0 & o.0 != 0
    }

    /// The classes present in `text`.
    pub fn of(text: &str) -> Classes {
        let mut m = 0u64;
        for &b in text.as_bytes() {
            m |= TABLE[b as usize];
        }
        Classes(m)
    }
}

/// A byte table marking `bytes`: the one-byte gates of the detectors that need a set of their
/// own besides [`Classes`].
pub(crate) const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut k = 0;
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
}

/// A byte table of bit flags: each byte of a group gets that group's flags (ORed, so a byte
/// may be in several groups); every other byte 0. For detectors that sort bytes into classes.
pub(crate) const fn byte_classes(groups: &[(&[u8], u8)]) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut g = 0;
    while g < groups.len() {
        let (bytes, flags) = groups[g];
        let mut k = 0;
        while k < bytes.len() {
            t[bytes[k] as usize] |= flags;
            k += 1;
        }
        g += 1;
    }
    t
}

/// Builds a set from a list: `set![LT, GT]`.
#[macro_export]
#[doc(hidden)]
macro_rules! prefilter_set {
    ($($c:ident),* $(,)?) => {
        $crate::detect::prefilter::Classes(0 $(| $crate::detect::prefilter::Classes::$c.0)*)
    };
}

const fn class_of(b: u8) -> u64 {
    let c = match b {
        b'<' => Classes::LT,
        b'>' => Classes::GT,
        b'"' => Classes::DQUOTE,
        b'\'' => Classes::SQUOTE,
        b'`' => Classes::BACKTICK,
        b'(' => Classes::LPAREN,
        b')' => Classes::RPAREN,
        b'{' => Classes::LBRACE,
        b'}' => Classes::RBRACE,
        b'[' => Classes::LBRACKET,
        b']' => Classes::RBRACKET,
        b'$' => Classes::DOLLAR,
        b'%' => Classes::PERCENT,
        b'/' => Classes::SLASH,
        b'\\' => Classes::BACKSLASH,
        b':' => Classes::COLON,
        b';' => Classes::SEMI,
        b'|' => Classes::PIPE,
        b'&' => Classes::AMP,
        b'=' => Classes::EQ,
        b'#' => Classes::HASH,
        b'@' => Classes::AT,
        b'*' => Classes::STAR,
        b'?' => Classes::QMARK,
        b'+' => Classes::PLUS,
        b'!' => Classes::BANG,
        b'.' => Classes::DOT,
        b'~' => Classes::TILDE,
        b'^' => Classes::CARET,
        b',' => Classes::COMMA,
        b'-' => Classes::DASH,
        b'_' => Classes::UNDERSCORE,
        b' ' => Classes::SPACE,
        b'0'..=b'9' => Classes::DIGIT,
        b'a'..=b'f' => Classes(Classes::LETTER.0 | Classes::LOWER.0),
        b'g'..=b'z' => Classes(Classes::LETTER.0 | Classes::LOWER.0 | Classes::BEYOND_HEX.0),
        b'A'..=b'F' => Classes(Classes::LETTER.0 | Classes::UPPER.0),
        b'G'..=b'Z' => Classes(Classes::LETTER.0 | Classes::UPPER.0 | Classes::BEYOND_HEX.0),
        0xC2 | 0xCA => Classes(Classes::NON_ASCII.0 | Classes::QUOTE_LEAD.0),
        0xE2 => Classes(Classes::NON_ASCII.0 | Classes::LEAD_E2.0),
        0xEF => Classes(Classes::NON_ASCII.0 | Classes::LEAD_EF.0),
        0x8A | 0x8D => Classes(Classes::NON_ASCII.0 | Classes::BREAK_TAIL.0),
        0x80..=0xff => Classes::NON_ASCII,
        _ => Classes::CONTROL,
    };
    c.0
}

const TABLE: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = class_of(i as u8);
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_or_the_flags_of_every_group() {
        let t = byte_classes(&[(b"ab", 1), (b"b", 4)]);
        assert_eq!(
            (t[b'a' as usize], t[b'b' as usize], t[b'c' as usize]),
            (1, 5, 0)
        );
    }

    #[test]
    fn classes_of_text() {
        let c = Classes::of("a<b> é\n");
        assert!(c.any(Classes::LT) && c.any(Classes::GT) && c.any(Classes::LETTER));
        assert!(c.any(Classes::NON_ASCII) && c.any(Classes::CONTROL) && c.any(Classes::SPACE));
        assert!(!c.any(Classes::DOLLAR));
        assert!(!Classes::of("blue").any(prefilter_set![LT, DOLLAR, PERCENT]));
        assert!(Classes::of("").0 == 0);
        // Bare words of either case are words: every class a letter has is a word class.
        for w in ["Cork", "WINTER-10", "A-1407", "snake_case", "shoes", "Z"] {
            assert!(!Classes::of(w).any(Classes::BEYOND_WORD), "{w}");
        }
        for t in ["Cork!", "a b", "é", "x\n"] {
            assert!(Classes::of(t).any(Classes::BEYOND_WORD), "{t:?}");
        }
    }

    #[test]
    fn non_ascii_bytes_of_their_own_are_also_non_ascii() {
        // "…" E2 80 A6, "．" EF BC 8E, "Ċ" C4 8A, "Ѝ" D0 8D.
        for (text, class) in [
            ("\u{2026}", Classes::LEAD_E2),
            ("\u{ff0e}", Classes::LEAD_EF),
            ("\u{10a}", Classes::BREAK_TAIL),
            ("\u{40d}", Classes::BREAK_TAIL),
        ] {
            let c = Classes::of(text);
            assert!(c.any(class) && c.any(Classes::NON_ASCII), "{text}");
        }
        let cyrillic = Classes::of("Обычный");
        assert!(cyrillic.any(Classes::NON_ASCII));
        assert!(!cyrillic.any(prefilter_set![LEAD_E2, LEAD_EF, BREAK_TAIL]));
    }
}
