//! Path traversal and local file inclusion.
//!
//! Evidence, scored together: how far `..` segments climb above where the path starts, dot-dot
//! spellings that only filter evasion produces (`%2e%2e`, `..%2f`, `..;/`, `....//`, overlong
//! UTF-8, full-width dots), what the path reaches (well-known secret and configuration files,
//! system directories), null bytes that cut off an appended extension, and stream wrappers that
//! make `include`/`open` read something other than a local file (`php://filter`, `phar://`...).
//! Flagged at [`THRESHOLD`].
//!
//! The engine inspects every decoded view separately; encoded forms are handled here only when
//! they survive in the view (double encoding, or raw lists of payloads).

use crate::check::Check;
use crate::finding::Finding;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Scores at or above this are findings.
pub const THRESHOLD: f32 = 0.5;

/// Encoded spellings of `.`, `/`, `\` and NUL that survive one round of decoding; matched
/// case-insensitively at a `%`.
const ENCODED: &[(&str, char)] = &[
    ("%c0%ae", '.'),
    ("%c0%2e", '.'),
    ("%e0%80%ae", '.'),
    ("%c0%af", '/'),
    ("%e0%80%af", '/'),
    ("%c0%2f", '/'),
    ("%c1%9c", '\\'),
    ("%c1%1c", '\\'),
    ("%c0%5c", '\\'),
    ("%u002e", '.'),
    ("%uff0e", '.'),
    ("%u002f", '/'),
    ("%u2215", '/'),
    ("%uff0f", '/'),
    ("%u005c", '\\'),
    ("%u2216", '\\'),
    ("%uff3c", '\\'),
    ("%252e", '.'),
    ("%252f", '/'),
    ("%255c", '\\'),
    ("%2500", '\0'),
    ("%2e", '.'),
    ("%2f", '/'),
    ("%5c", '\\'),
    ("%00", '\0'),
];

/// [`is_delimiter`] for ASCII characters, read from a table: it runs on every character.
static ASCII_DELIMITERS: [bool; 256] =
    crate::detect::prefilter::byte_set(b" \t\n\x0B\x0C\r'\"<>|,()`?&=#{}[]");

/// Characters that end a path token.
fn is_delimiter(c: char) -> bool {
    if c.is_ascii() {
        return ASCII_DELIMITERS[c as usize];
    }
    delimiter_by_rule(c)
}

/// The definition [`ASCII_DELIMITERS`] tabulates, and the answer for every other character.
fn delimiter_by_rule(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\'' | '"'
                | '<'
                | '>'
                | '|'
                | ','
                | '('
                | ')'
                | '`'
                | '?'
                | '&'
                | '='
                | '#'
                | '{'
                | '}'
                | '['
                | ']'
        )
}

/// Targets: how sensitive, and the pattern (lower case, `/` separators).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Tier {
    /// Directories holding configuration or logs: evidence only at the end of a climb.
    Dir,
    /// Configuration and logs: common in documentation, flagged with more evidence.
    Config,
    /// Secrets and the classic proofs of file disclosure.
    Secret,
}

const TARGETS: &[(&str, Tier)] = &[
    ("etc/passwd", Tier::Secret),
    ("etc/shadow", Tier::Secret),
    ("etc/gshadow", Tier::Secret),
    ("etc/master.passwd", Tier::Secret),
    // BSD's shadow file, also probed by its bare name.
    ("master.passwd", Tier::Secret),
    ("etc/sudoers", Tier::Secret),
    ("etc/security/opasswd", Tier::Secret),
    ("proc/self/", Tier::Secret),
    ("proc/thread-self/", Tier::Secret),
    ("windows/win.ini", Tier::Secret),
    ("win.ini", Tier::Secret),
    ("boot.ini", Tier::Secret),
    ("system32/config/sam", Tier::Secret),
    ("system32/config/system", Tier::Secret),
    ("repair/sam", Tier::Secret),
    // Windows setup answer files keep the administrator password.
    ("unattend.xml", Tier::Secret),
    ("unattend.txt", Tier::Secret),
    ("unattended.txt", Tier::Secret),
    ("sysprep.inf", Tier::Secret),
    ("sysprep.xml", Tier::Secret),
    (".ssh/id_rsa", Tier::Secret),
    (".ssh/id_dsa", Tier::Secret),
    (".ssh/id_ecdsa", Tier::Secret),
    (".ssh/id_ed25519", Tier::Secret),
    ("id_rsa", Tier::Secret),
    ("authorized_keys", Tier::Secret),
    (".bash_history", Tier::Secret),
    (".aws/credentials", Tier::Secret),
    (".git-credentials", Tier::Secret),
    (".htpasswd", Tier::Secret),
    (".netrc", Tier::Secret),
    (".pgpass", Tier::Secret),
    ("wp-config.php", Tier::Secret),
    ("var/run/secrets/", Tier::Secret),
    // Docker and Compose mount secrets here; gcloud keeps its credentials database here.
    ("run/secrets/", Tier::Secret),
    (".config/gcloud/", Tier::Secret),
    (".kube/config", Tier::Secret),
    (".docker/config.json", Tier::Secret),
    ("etc/hosts", Tier::Config),
    ("etc/group", Tier::Config),
    ("etc/issue", Tier::Config),
    ("etc/hostname", Tier::Config),
    ("etc/crontab", Tier::Config),
    ("etc/fstab", Tier::Config),
    ("etc/resolv.conf", Tier::Config),
    ("etc/os-release", Tier::Config),
    ("etc/apache2/", Tier::Dir),
    ("etc/httpd/", Tier::Dir),
    ("etc/nginx/", Tier::Dir),
    ("etc/mysql/", Tier::Dir),
    ("etc/ssh/", Tier::Dir),
    ("proc/version", Tier::Config),
    ("proc/cpuinfo", Tier::Config),
    ("var/log/", Tier::Dir),
    ("system.ini", Tier::Config),
    ("windows/system32/", Tier::Dir),
    ("inetpub/", Tier::Dir),
    (".htaccess", Tier::Config),
    ("web.config", Tier::Config),
    ("applicationhost.config", Tier::Config),
    (".env", Tier::Config),
    (".git/config", Tier::Config),
    (".git/head", Tier::Config),
    ("php.ini", Tier::Config),
    ("my.cnf", Tier::Config),
    ("my.ini", Tier::Config),
    ("httpd.conf", Tier::Config),
    ("nginx.conf", Tier::Config),
    ("known_hosts", Tier::Config),
    (".bashrc", Tier::Config),
    ("web-inf/web.xml", Tier::Config),
    ("meta-inf/", Tier::Dir),
    ("ntuser.dat", Tier::Secret),
    ("ntuser.ini", Tier::Config),
    (".profile", Tier::Config),
    (".rhosts", Tier::Secret),
    (".shosts", Tier::Secret),
    (".forward", Tier::Config),
    (".sh_history", Tier::Secret),
    (".zsh_history", Tier::Secret),
    (".mysql_history", Tier::Secret),
    (".psql_history", Tier::Secret),
    (".viminfo", Tier::Config),
    (".docker/", Tier::Dir),
    (".passwd", Tier::Secret),
    (".logout", Tier::Config),
    (".cshrc", Tier::Config),
    ("unattended.xml", Tier::Secret),
    ("windows/system32/config/", Tier::Config),
];

/// Top-level directories of operating systems, for what a climb reaches.
const SYSTEM_DIRS: &[&str] = &[
    "etc", "proc", "windows", "winnt", "boot", "root", "var", "usr", "sys", "dev", "bin", "home",
    "system32", "inetpub", "tmp", "users",
];

/// Top-level directories of Unix and Windows systems an absolute probe starts in.
const OS_ROOTS: &[&str] = &[
    "etc",
    "proc",
    "sys",
    "boot",
    "root",
    "var",
    "usr",
    "opt",
    "dev",
    "windows",
    "winnt",
    "program files",
    "program files (x86)",
    "programdata",
    "documents and settings",
    "system volume information",
    "inetpub",
];

/// Directories of the Windows directory that hold registry backups, setup answer files,
/// offline caches, scheduled tasks and logs.
const WINDOWS_STATE_DIRS: &[&str] = &[
    "repair", "panther", "temp", "debug", "csc", "tasks", "prefetch", "minidump", "logs",
];

/// Directories of a Windows drive that hold the system and its state, not user documents:
/// whatever a whole value names below them is a probe.
const WINDOWS_SYSTEM_DIRS: &[&str] = &[
    "windows",
    "winnt",
    "system volume information",
    "programdata",
    "documents and settings",
];

/// Extensions of configuration, source and data files an inclusion wants.
const CONFIG_EXTS: &[&str] = &[
    "php",
    "ini",
    "conf",
    "config",
    "cfg",
    "env",
    "xml",
    "yml",
    "yaml",
    "json",
    "log",
    "db",
    "sqlite",
    "sql",
    "bak",
    "key",
    "pem",
    "properties",
    "inc",
    "asp",
    "aspx",
    "jsp",
    "py",
    "rb",
];

/// Stream wrappers and schemes that change what a file API reads (lower case). `data:` is not
/// here: it carries content, not a path, and the RFI detector judges that content.
const WRAPPERS: &[(&str, f32)] = &[
    ("php://", 0.9),
    ("phar://", 0.9),
    ("zip://", 0.85),
    ("expect://", 0.9),
    ("glob://", 0.85),
    ("compress.zlib://", 0.85),
    ("compress.bzip2://", 0.85),
    ("rar://", 0.85),
    ("ogg://", 0.8),
    ("jar:file:", 0.85),
    ("jar:http", 0.8),
    ("netdoc:/", 0.85),
];

/// The automaton over [`TARGETS`]; `None` only if building it failed (it cannot for this fixed
/// list), in which case targets are simply not recognised.
fn targets() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(TARGETS.iter().map(|(p, _)| *p)).ok())
        .as_ref()
}

/// Whether a value that passed [`prefilter`] can hold any evidence at all. Header values and
/// URLs ("text/html", "Mozilla/5.0 (X11; Linux)", "https://shop.example.com/p/42?c=blue") pass
/// the prefilter on their slashes alone; without a climb, an escape, a look-alike character, a
/// wrapper or drive colon, an absolute start, a doubled separator, a PHP filter name or a known
/// target, no rule of this detector can score them. One pass over the bytes.
pub fn worth_a_look(text: &str) -> bool {
    // The whole value (quotes and spaces aside, as `trim_span` reads it) may be an absolute
    // path or a dot file; `?` stands in for a dot at the start of a fuzzed climb ("?./?./etc").
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if t.starts_with(['/', '.', '?']) {
        return !plain_path_without_evidence(text);
    }
    let b = text.as_bytes();
    let windows = gate_windows();
    let mut near_a_word = false;
    let stop = |i: usize, near_a_word: &mut bool| {
        let next = b.get(i + 1).copied();
        match b[i] {
            // Escapes, NUL and `~` homes.
            b'%' | b'\\' | 0 | b'~' => true,
            // Any other non-ASCII character stays plain text to every rule.
            0xE2 | 0xEF => not_plain_at(b, i),
            // "./" and "..": a relative start or a climb.
            b'.' if matches!(next, Some(b'/' | b'.')) => true,
            // A parameter value that may be an absolute path or a dot file.
            b'=' => matches!(next, Some(b'/' | b'.' | b'?')),
            // A doubled separator, not the one of a scheme.
            b'/' if next == Some(b'/') && (i == 0 || b[i - 1] != b':') => true,
            b':' => colon_matters(b, i),
            // `0x` escapes, case-insensitive like the gate words.
            b'0' => matches!(next, Some(b'x' | b'X')),
            _ => {
                // `/`, `.` or `_`: a gate word may be around.
                *near_a_word = *near_a_word || windows.near(b, i);
                false
            }
        }
    };
    if scan_each(b, &GATE_BYTES, |i| stop(i, &mut near_a_word)) {
        return true;
    }
    // Every gate word holds a `/`, `.` or `_` with one of its windows around it; only a value
    // with such a window can match the automaton.
    near_a_word && gate_words().is_some_and(|ac| ac.is_match(text))
}

/// Bytes of a plain path or query string: letters, digits, `/`, `.`, `-`, `_`, `+`, `?`,
/// `&`, `=`, `#` and `,`. No escape, backslash, NUL, `~`, colon, whitespace, quote or
/// non-ASCII byte (the start of every encoded or look-alike spelling `normalize` reads).
static PLAIN_PATH_BYTES: [bool; 256] = {
    let mut t = crate::detect::prefilter::byte_set(b"/.-_+?&=#,");
    let mut c = 0;
    while c < 128 {
        if (c as u8).is_ascii_alphanumeric() {
            t[c] = true;
        }
        c += 1;
    }
    t
};

/// The bytes of [`PLAIN_PATH_BYTES`] that [`plain_path_without_evidence`] reads further: the
/// last bytes of `..`, `//`, `/.`, `0x` and `log`, segment ends, and the bytes gate word
/// windows are found around.
static PLAIN_PATH_MARKS: [bool; 256] = crate::detect::prefilter::byte_set(b"/.?&=#,_xXgG");

/// Bit `n` of entry `c`: some word of `lists` is `n` bytes long and starts with byte `c` (either
/// case). Words of 32 bytes or more are not recorded (none of these lists holds one).
const fn word_shapes(lists: &[&[&str]]) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < lists.len() {
        let mut j = 0;
        while j < lists[i].len() {
            let w = lists[i][j].as_bytes();
            if !w.is_empty() && w.len() < 32 {
                t[w[0].to_ascii_lowercase() as usize] |= 1 << w.len();
                t[w[0].to_ascii_uppercase() as usize] |= 1 << w.len();
            }
            j += 1;
        }
        i += 1;
    }
    t
}

/// [`word_shapes`] of the directory names [`system_path`] reads, and of [`CONFIG_EXTS`].
static DIR_SHAPES: [u32; 256] = word_shapes(&[OS_ROOTS, SERVER_DIRS]);
static EXT_SHAPES: [u32; 256] = word_shapes(&[CONFIG_EXTS]);

/// Whether no rule can score `text`, for the values that start like a path (`/api/v1/x`)
/// and so skip the rest of [`worth_a_look`]. Such a value made of [`PLAIN_PATH_BYTES`] only,
/// without `..`, `//` or `/.`, normalizes to itself lower-cased: no encoded or opaque
/// character, no climb (every climb holds `..`), no wrapper or drive (they need a colon), no
/// NUL, no hidden entry (`/.`), no spaced path, no separator probe, and tokens whose collapsed
/// form is their own text, so no target and no PHP filter name without a [`gate_words`]
/// match. What is left is [`system_path`]: it offers only for a segment naming an OS root or
/// a server directory, or a last segment with a configuration extension or a log name (all
/// of which hold "log" or a [`CONFIG_EXTS`] extension). Every segment is checked, whatever
/// its place. `tests::plain_path_gate_hides_nothing` compares with the ungated score.
/// One pass over the bytes.
fn plain_path_without_evidence(text: &str) -> bool {
    let b = text.as_bytes();
    let is_word = |w: &[u8], list: &[&str]| {
        list.iter()
            .any(|d| d.len() == w.len() && w.eq_ignore_ascii_case(d.as_bytes()))
    };
    let shaped = |w: &[u8], shapes: &[u32; 256]| {
        w.len() < 32
            && w.first()
                .is_some_and(|&c| shapes[c as usize] >> w.len() & 1 != 0)
    };
    // A segment naming a directory, or a file with a configuration extension.
    let suspicious = |seg: &[u8], dot: Option<usize>| {
        (shaped(seg, &DIR_SHAPES) && (is_word(seg, OS_ROOTS) || is_word(seg, SERVER_DIRS)))
            || dot.is_some_and(|d| {
                let ext = &seg[d + 1..];
                shaped(ext, &EXT_SHAPES) && is_word(ext, CONFIG_EXTS)
            })
    };
    let windows = gate_windows();
    let mut near_a_word = false;
    let mut seg_start = 0;
    let mut dot = None;
    // The last three bytes, folded to lower case by setting bit 5: no other byte of
    // `PLAIN_PATH_BYTES` folds into a letter, `.`, `/` or `0`.
    let mut tail = 0u32;
    for (i, &c) in b.iter().enumerate() {
        if !PLAIN_PATH_BYTES[c as usize] {
            return false;
        }
        tail = (tail << 8 | u32::from(c | 0x20)) & 0x00FF_FFFF;
        if !PLAIN_PATH_MARKS[c as usize] {
            continue;
        }
        if matches!(tail & 0xFFFF, 0x2E2E | 0x2F2F | 0x2F2E | 0x3078) || tail == 0x006C_6F67 {
            // "..", "//", "/.", "0x" or "log".
            return false;
        }
        match c {
            b'/' | b'?' | b'&' | b'=' | b'#' | b',' => {
                if suspicious(&b[seg_start..i], dot) {
                    return false;
                }
                seg_start = i + 1;
                dot = None;
            }
            b'.' => dot = Some(i - seg_start),
            _ => {}
        }
        if matches!(c, b'/' | b'.' | b'_') {
            near_a_word = near_a_word || windows.near(b, i);
        }
    }
    if suspicious(&b[seg_start..], dot) {
        return false;
    }
    // Every gate word but `0x` (refused above) has a window around a `/`, `.` or `_`.
    !(near_a_word && gate_words().is_some_and(|ac| ac.is_match(text)))
}

/// Calls `stop` at each byte of `b` that `stops` marks, in order, until it says yes; whether
/// it did. Eight bytes at a time where none is marked: most prose has few marked bytes.
fn scan(b: &[u8], stops: &[bool; 256], mut stop: impl FnMut(usize) -> bool) -> bool {
    let mut i = 0;
    while i < b.len() {
        let chunk = &b[i..(i + 8).min(b.len())];
        if chunk.len() == 8 && !chunk.iter().fold(false, |any, &c| any | stops[c as usize]) {
            i += 8;
            continue;
        }
        for (k, &c) in chunk.iter().enumerate() {
            if stops[c as usize] && stop(i + k) {
                return true;
            }
        }
        i += chunk.len();
    }
    false
}

/// [`scan`] a byte at a time, for values that passed [`prefilter`]: URLs, paths and header
/// values hold a marked byte (`/`, `.`) in nearly every eight, where testing chunks first only
/// adds work.
fn scan_each(b: &[u8], stops: &[bool; 256], mut stop: impl FnMut(usize) -> bool) -> bool {
    b.iter()
        .enumerate()
        .any(|(i, &c)| stops[c as usize] && stop(i))
}

/// The bytes [`worth_a_look`] stops at; every other byte is read no further.
static GATE_BYTES: [bool; 256] = crate::detect::prefilter::byte_set(b"%\\\0~\xE2\xEF./=:0_");

/// One case-insensitive automaton over every literal the gate looks for: the [`TARGETS`], `0x`
/// escapes and PHP filter names. One pass, no lower-cased copy of the value.
fn gate_words() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(gate_word_list())
            .ok()
    })
    .as_ref()
}

fn gate_word_list() -> impl Iterator<Item = &'static str> {
    let extra = ["0x", "convert.", "string.rot13"];
    TARGETS.iter().map(|(p, _)| *p).chain(extra)
}

/// A bit set over hashed four-byte windows, ASCII case folded: for each gate word of four or
/// more bytes, the window around its first `/`, `.` or `_`. A value holding a gate word holds
/// that window at most three bytes before one of its own `/`, `.` or `_`, so a value without
/// any such window cannot match [`gate_words`] (`0x`, two bytes long, is checked on its own).
/// Header values and URLs rarely hold one, so the automaton seldom runs.
struct GateWindows {
    bits: Box<[u64; 1024]>,
}

impl GateWindows {
    /// Folding sets bit 5 of every byte: letters lose their case (and a few punctuation bytes
    /// merge with others, which only makes [`GateWindows::near`] say yes more often).
    const FOLD: u32 = 0x2020_2020;

    fn slot(w: u32) -> usize {
        // 16 bits of a multiplicative hash: 65,536 slots for about 90 windows.
        ((w | Self::FOLD).wrapping_mul(0x9E37_79B1) >> 16) as usize
    }

    fn build() -> Self {
        let mut bits = Box::new([0u64; 1024]);
        for w in gate_word_list().map(str::as_bytes).filter(|w| w.len() >= 4) {
            let Some(a) = w.iter().position(|c| matches!(c, b'/' | b'.' | b'_')) else {
                continue;
            };
            let s = a.saturating_sub(2).min(w.len() - 4);
            let slot = Self::slot(u32::from_le_bytes([w[s], w[s + 1], w[s + 2], w[s + 3]]));
            bits[slot / 64] |= 1 << (slot % 64);
        }
        GateWindows { bits }
    }

    fn has(&self, w: u32) -> bool {
        let slot = Self::slot(w);
        self.bits[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// Whether a window of a gate word may start up to three bytes before `p`.
    fn near(&self, b: &[u8], p: usize) -> bool {
        // The seven bytes from p - 3 hold all four windows; one load where they exist.
        if let Some(s) = b.get(p.wrapping_sub(3)..p + 5) {
            let x = u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]);
            return (0..4).any(|k| self.has((x >> (8 * k)) as u32));
        }
        (p.saturating_sub(3)..=p).any(|s| {
            b.get(s..s + 4)
                .is_some_and(|w| self.has(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
        })
    }
}

fn gate_windows() -> &'static GateWindows {
    static W: OnceLock<GateWindows> = OnceLock::new();
    W.get_or_init(GateWindows::build)
}

/// Words before a colon that start a wrapper `wrappers` and the `file:` prefix of `token`
/// read. `compress.zlib` and `compress.bzip2` are whole words: `.` is a scheme character.
const WRAPPER_WORDS: &[&str] = &[
    "php",
    "phar",
    "zip",
    "expect",
    "glob",
    "compress.zlib",
    "compress.bzip2",
    "rar",
    "ogg",
    "jar",
    "netdoc",
    "file",
];

/// A colon that may start a wrapper (`php:`, `jar:`, `file:`) or follow a drive letter. Every
/// rule that reads a colon needs one of these as the whole scheme-character word before it:
/// wrappers must not be glued to a word, and drive paths and `file:` start a token, whose
/// delimiters are no scheme characters. Ports, times of day and `http(s):` never matter.
fn colon_matters(b: &[u8], p: usize) -> bool {
    let scheme_char = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-');
    // No word at all (`":"` in JSON), or a port or time of day.
    if p == 0 || !scheme_char(&b[p - 1]) || b.get(p + 1).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    // No word is longer than "compress.bzip2": look no further back.
    let from = p.saturating_sub(15);
    let word_start = b[from..p]
        .iter()
        .rposition(|c| !scheme_char(c))
        .map_or(from, |i| from + i + 1);
    let word = &b[word_start..p];
    let whole = word_start > from || from == 0;
    // Lengths compared first: "http" and "https" (5 letters, no wrapper word) end here cheaply.
    whole
        && ((word.len() == 1 && word[0].is_ascii_alphabetic())
            || WRAPPER_WORDS
                .iter()
                .any(|w| w.len() == word.len() && word.eq_ignore_ascii_case(w.as_bytes())))
}

/// Whether the character starting with the byte `E2` or `EF` at `b[i]` is one that some rule
/// reads: a look-alike dot, slash or backslash [`normalize`] maps (U+2024, U+2044, U+2215,
/// U+2216, U+FF0E, U+FF0F, U+FF3C), U+FFFD (opaque), or whitespace (a delimiter, and
/// [`spaced_path`] reads it). Every other character of these blocks ("…", "→", "，") is as
/// plain to every rule as a letter. Both lead bytes start three-byte characters, decoded here
/// from bytes.
fn not_plain_at(b: &[u8], i: usize) -> bool {
    let Some(&[b0, b1, b2]) = b.get(i..i + 3) else {
        return true;
    };
    let cp = u32::from(b0 & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
    matches!(
        cp,
        0x2024 | 0x2044 | 0x2215 | 0x2216 | 0xFF0E | 0xFF0F | 0xFF3C | 0xFFFD
    ) || char::from_u32(cp).is_none_or(char::is_whitespace)
}

/// The bytes [`prefilter`] stops at.
static PREFILTER_BYTES: [bool; 256] = crate::detect::prefilter::byte_set(b"/\\%\0\xE2\xEF.0");

/// Bytes without which none of the evidence exists (separators, encodings, NUL, non-ASCII
/// look-alike dots and slashes), `..`, `0x`, `convert.`, or a dot in a short value naming a
/// file by itself (".htaccess", "web.config"). One pass over the bytes.
fn prefilter(text: &str) -> bool {
    let b = text.as_bytes();
    let mut dot = false;
    let hit = scan(b, &PREFILTER_BYTES, |i| {
        let next = b.get(i + 1).copied();
        match b[i] {
            b'.' => {
                dot = true;
                next == Some(b'.')
            }
            b'0' => matches!(next, Some(b'x' | b'X')),
            0xE2 | 0xEF => not_plain_at(b, i),
            _ => true,
        }
    });
    // "convert." holds a dot.
    hit || (dot
        && (b.len() <= 64 || memchr::memchr_iter(b'.', b).any(|p| b[..p].ends_with(b"convert"))))
}

/// Inspects one view of a value.
pub fn inspect(text: &str) -> Option<Finding> {
    let (score, evidence) = score(text)?;
    (score >= THRESHOLD).then(|| Finding::new(Check::PathTraversal, score, evidence))
}

/// The best score of one view and its evidence, below [`THRESHOLD`] too (diagnostics).
pub fn score(text: &str) -> Option<(f32, String)> {
    if !prefilter(text) || !worth_a_look(text) {
        return None;
    }
    score_ungated(text)
}

/// [`score`] without the cheap gates: `tests/prefilter.rs` checks that the gates hide nothing.
pub fn score_ungated(text: &str) -> Option<(f32, String)> {
    let norm = normalize(text);
    let mut best = Best::default();
    wrappers(&norm, &mut best);
    let whole = trim_span(&norm);
    let mut start = 0;
    while start < norm.len() {
        if is_delimiter(norm[start].c) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < norm.len() && !is_delimiter(norm[end].c) {
            end += 1;
        }
        // After `=`, or after the `?`s that open the value ("?./etc/issue", "??/etc/issue").
        let param = start > 0
            && (norm[start - 1].c == '='
                || (start > whole.0 && norm[whole.0..start].iter().all(|n| n.c == '?')));
        token(
            &norm[start..end],
            (start, end) == whole || param,
            &norm[whole.0..start],
            &mut best,
        );
        start = end;
    }
    encoded_climb(&norm[whole.0..whole.1], &mut best);
    php_filter(text, &mut best);
    upload_filename(text, &mut best);
    spaced_path(&norm[whole.0..whole.1], &mut best);
    separator_probe(&norm[whole.0..whole.1], &mut best);
    best.top
}

#[derive(Clone, Copy)]
struct NChar {
    c: char,
    /// Came from an encoded or look-alike spelling.
    encoded: bool,
    /// An escape no server decodes to a known character (`%qf`, `%uf025`, a lone `%c1`):
    /// fuzzers put them where separators go, so they count as one, but never as a leading `/`.
    opaque: bool,
}

impl NChar {
    fn plain(c: char) -> Self {
        NChar {
            c,
            encoded: false,
            opaque: false,
        }
    }
    fn encoded(c: char) -> Self {
        NChar {
            c,
            encoded: true,
            opaque: false,
        }
    }
    fn opaque() -> Self {
        NChar {
            c: '/',
            encoded: true,
            opaque: true,
        }
    }
}

/// Lower-cased characters with surviving encodings of `.`, `/`, `\` and NUL decoded, and the
/// spellings fuzzers use although no server decodes them made opaque (see [`NChar::opaque`]).
fn normalize(text: &str) -> Vec<NChar> {
    let mut out = Vec::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if b[i] == b'%' {
            // The two bytes after `%` first: most spellings differ there (the list is lower
            // case, every spelling at least three bytes long).
            let second = b.get(i + 1).map(u8::to_ascii_lowercase);
            let third = b.get(i + 2).map(u8::to_ascii_lowercase);
            let hit = ENCODED.iter().find(|(pat, _)| {
                second == Some(pat.as_bytes()[1])
                    && third == Some(pat.as_bytes()[2])
                    && b.get(i..i + pat.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(pat.as_bytes()))
            });
            if let Some((pat, c)) = hit {
                out.push(NChar::encoded(*c));
                i += pat.len();
                continue;
            }
            if let Some((c, len)) = overlong(b, i) {
                out.push(match c {
                    '.' | '/' | '\\' => NChar::encoded(c),
                    _ => NChar::opaque(),
                });
                i += len;
                continue;
            }
            if let Some((c, len)) = nibbles(b, i) {
                out.push(NChar::encoded(c));
                i += len;
                continue;
            }
            if let Some(c) = split_nibbles(b, i) {
                out.push(NChar::encoded(c));
                i += 4;
                continue;
            }
            if let Some(len) = opaque_escape(b, i) {
                out.push(NChar::opaque());
                i += len;
                continue;
            }
            if matches!(b.get(i + 1), Some(b'%' | b'/' | b'\\')) {
                // A stray '%' doubled in front of an escape ("%%c0%6e"), or left in front of
                // a separator by a decoding of "%25%5c": padding, not text.
                i += 1;
                continue;
            }
        }
        // Only a `2` or `5` can start the "2f" or "5c" read below.
        let after_dot_dot = matches!(b[i], b'2' | b'5')
            && out.len() >= 2
            && out[out.len() - 2..].iter().all(|n| n.c == '.');
        if after_dot_dot {
            // "..2f..2f": an escape whose '%' was lost on the way, still meant as a separator.
            let c = match b.get(i..i + 2).map(|h| h.to_ascii_lowercase()) {
                Some(h) if h == b"2f" => Some('/'),
                Some(h) if h == b"5c" => Some('\\'),
                _ => None,
            };
            if let Some(c) = c {
                out.push(NChar::encoded(c));
                i += 2;
                continue;
            }
        }
        if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X')) {
            // "0x2e0x2e0x2f": the C hex-literal spelling scanners substitute for characters.
            let c = match b.get(i + 2..i + 4).map(|h| h.to_ascii_lowercase()) {
                Some(h) if h == b"2e" => Some('.'),
                Some(h) if h == b"2f" => Some('/'),
                Some(h) if h == b"5c" => Some('\\'),
                _ => None,
            };
            if let Some(c) = c {
                out.push(NChar::encoded(c));
                i += 4;
                continue;
            }
        }
        if b[i].is_ascii() {
            // No look-alike and no U+FFFD is ASCII: the character itself, lower-cased.
            out.push(NChar::plain(char::from(b[i].to_ascii_lowercase())));
            i += 1;
            continue;
        }
        let Some(ch) = text.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        i += ch.len_utf8();
        let mapped = match ch {
            '\u{ff0e}' | '\u{2024}' => Some('.'),
            '\u{ff0f}' | '\u{2215}' | '\u{2044}' => Some('/'),
            '\u{ff3c}' | '\u{2216}' => Some('\\'),
            _ => None,
        };
        out.push(match mapped {
            Some(c) => NChar::encoded(c),
            // A byte an earlier decoding could not read: as opaque as the escape it came from.
            None if ch == '\u{fffd}' => NChar::opaque(),
            None => NChar::plain(ch.to_ascii_lowercase()),
        });
    }
    out
}

/// `%%32%%65`: each hex digit of an escape itself percent-encoded (with the doubled `%` some
/// fuzzers emit); only `.`, `/` and `\` are of interest.
fn nibbles(b: &[u8], i: usize) -> Option<(char, usize)> {
    let s = b.get(i..i + 8)?;
    if s[0] != b'%' || s[1] != b'%' || s[4] != b'%' || s[5] != b'%' {
        return None;
    }
    let digit = |h: &[u8]| -> Option<u32> {
        let v = std::str::from_utf8(h).ok()?;
        let byte = u8::from_str_radix(v, 16).ok()?;
        (byte as char).to_digit(16)
    };
    let c = char::from((digit(&s[2..4])? * 16 + digit(&s[6..8])?) as u8);
    matches!(c, '.' | '/' | '\\').then_some((c, 8))
}

/// `%2%e`: [`nibbles`] after one decoding, each hex digit of the escape behind its own `%`.
/// Only `.`, `/` and `\` are of interest.
fn split_nibbles(b: &[u8], i: usize) -> Option<char> {
    let s = b.get(i..i + 4)?;
    if s[0] != b'%' || s[2] != b'%' {
        return None;
    }
    let h = (s[1] as char).to_digit(16)?;
    let l = (s[3] as char).to_digit(16)?;
    let c = char::from((h * 16 + l) as u8);
    matches!(c, '.' | '/' | '\\').then_some(c)
}

/// Length of an escape that decodes to nothing a path could use: `%` with non-hex digits
/// (`%qf`, `%9v`), `%u` with an unassigned or private code point, a control byte or a lone
/// high byte. Escapes of printable ASCII are left as they are (the engine decodes those).
fn opaque_escape(b: &[u8], i: usize) -> Option<usize> {
    let alnum2 = b.get(i + 1..i + 3)?;
    if alnum2[0].eq_ignore_ascii_case(&b'u') {
        if let Some(h) = b.get(i + 2..i + 6) {
            if h.iter().all(u8::is_ascii_hexdigit) {
                return Some(6);
            }
        }
    }
    if !alnum2.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let hex = std::str::from_utf8(alnum2)
        .ok()
        .and_then(|h| u8::from_str_radix(h, 16).ok());
    match hex {
        None => Some(3),
        Some(v) if !(0x20..0x80).contains(&v) => Some(3),
        Some(_) => None,
    }
}

/// A percent-encoded overlong UTF-8 sequence (`%c0%ae`, `%e0%80%af`, `%f8%80%80%80%ae`...),
/// decoded the lenient way some servers do (only the low bits of the last byte count). Returns
/// the character, whatever it is (the caller keeps `.`, `/`, `\` and makes the rest opaque),
/// and the length of the escape. Each byte may also be escaped twice (`%25c0%25af`): a value
/// encoded once more than the engine's decoders undo still spells the same bytes.
fn overlong(b: &[u8], i: usize) -> Option<(char, usize)> {
    let hex = |c: u8| (c as char).to_digit(16);
    // The byte escaped at `at` and the length of its escape.
    let escaped = |at: usize| -> Option<(u8, usize)> {
        let s = b.get(at..at + 3)?;
        if s[0] != b'%' {
            return None;
        }
        if s[1..] == *b"25" {
            if let Some(t) = b.get(at + 3..at + 5) {
                if let (Some(h), Some(l)) = (hex(t[0]), hex(t[1])) {
                    return Some(((h * 16 + l) as u8, 5));
                }
            }
        }
        Some(((hex(s[1])? * 16 + hex(s[2])?) as u8, 3))
    };
    let (lead, mut len) = escaped(i)?;
    let extra = match lead {
        0xc0 | 0xc1 => 1,
        0xe0 => 2,
        0xf0 => 3,
        0xf8 => 4,
        0xfc => 5,
        _ => return None,
    };
    for _ in 1..extra {
        let (cont, l) = escaped(i + len)?;
        if cont != 0x80 {
            return None;
        }
        len += l;
    }
    let (last, l) = escaped(i + len)?;
    let high = if lead == 0xc1 { 0x40 } else { 0 };
    Some((char::from(high | (last & 0x3f)), len + l))
}

/// The span of the value without surrounding whitespace and quotes.
fn trim_span(n: &[NChar]) -> (usize, usize) {
    let skip = |c: char| c.is_whitespace() || c == '"' || c == '\'';
    let start = n.iter().position(|x| !skip(x.c)).unwrap_or(n.len());
    let end = n.iter().rposition(|x| !skip(x.c)).map_or(start, |p| p + 1);
    (start, end)
}

#[derive(Default)]
struct Best {
    top: Option<(f32, String)>,
}

impl Best {
    fn offer(&mut self, score: f32, evidence: impl FnOnce() -> String) {
        let score = (score.clamp(0.0, 1.0) * 100.0).round() / 100.0;
        if self.top.as_ref().is_none_or(|(s, _)| score > *s) {
            self.top = Some((score, evidence()));
        }
    }
}

fn wrappers(norm: &[NChar], best: &mut Best) {
    for (i, w) in norm.iter().enumerate() {
        if !matches!(
            w.c,
            'p' | 'z' | 'e' | 'd' | 'g' | 'c' | 'r' | 'o' | 'j' | 'n' | 'f'
        ) {
            continue;
        }
        if i > 0
            && (norm[i - 1].c.is_ascii_alphanumeric() || matches!(norm[i - 1].c, '.' | '+' | '-'))
        {
            continue;
        }
        let starts = |pat: &str| {
            pat.chars()
                .enumerate()
                .all(|(k, pc)| norm.get(i + k).is_some_and(|n| n.c == pc))
        };
        for (pat, score) in WRAPPERS {
            if starts(pat) {
                best.offer(*score, || format!("stream wrapper '{pat}'"));
            }
        }
        if starts("file:/") || starts("file:\\") {
            // file:// is also how users paste local links; it needs a target to be sure.
            best.offer(0.45, || "file: URL".to_string());
        }
    }
}

/// One path-like token: climb, evasion, target, null byte.
/// `before` is the value up to the token (read only for a secret file named after words).
fn token(tok: &[NChar], whole_or_param: bool, before: &[NChar], best: &mut Best) {
    let is_sep = |c: char| c == '/' || c == '\\';
    // Without a separator only a whole value naming a file (".htaccess") can be evidence.
    let has_sep = tok.iter().any(|n| is_sep(n.c) || n.c == '\0');
    let names_file = whole_or_param && tok.iter().any(|n| n.c == '.');
    if !has_sep && !names_file {
        return;
    }
    // Segments between separators, allocated once: climbs are lists of short segments.
    let seps = tok.iter().filter(|n| is_sep(n.c)).count();
    let mut segs: Vec<(usize, usize)> = Vec::with_capacity(seps + 1);
    let mut s = 0;
    for (k, n) in tok.iter().enumerate() {
        if is_sep(n.c) {
            segs.push((s, k));
            s = k + 1;
        }
    }
    segs.push((s, tok.len()));

    let mut level: i32 = 0;
    let mut climb: i32 = 0;
    let mut dotdots = 0;
    let mut evasion: Option<&'static str> = None;
    let mut backslash = false;
    let mut last_dotdot_end = 0;
    for (idx, &(a, b)) in segs.iter().enumerate() {
        let seg = &tok[a..b];
        let dots = seg.iter().take_while(|n| n.c == '.').count();
        let next_empty_or_dot = segs
            .get(idx + 1)
            .is_some_and(|&(x, y)| y == x || (y == x + 1 && tok[x].c == '.'));
        let has_sep_after = b < tok.len();
        let dot_run = |k: usize| {
            segs.get(k).is_some_and(|&(x, y)| {
                (3..=8).contains(&(y - x)) && tok[x..y].iter().all(|n| n.c == '.')
            })
        };
        let kind = if dots == seg.len() && dots == 2 && (has_sep_after || idx > 0) {
            Some(None)
        } else if dots == 2 && seg.get(2).is_some_and(|n| n.c == ';') && has_sep_after {
            Some(Some("'..;' path parameter"))
        } else if dots == 2 && seg.get(2).is_some_and(|n| n.c == '\0') {
            Some(Some("null byte after '..'"))
        } else if dots == seg.len()
            && (3..=8).contains(&dots)
            && has_sep_after
            && (next_empty_or_dot || dot_run(idx + 1) || (idx > 0 && dot_run(idx - 1)))
        {
            // "....//" and repeated ".../" only come from filter evasion; a single ".../" is
            // how documentation elides a path.
            Some(Some("'....//' filter evasion"))
        } else {
            None
        };
        match kind {
            Some(ev) => {
                dotdots += 1;
                if level == 0 {
                    climb += 1;
                } else {
                    level -= 1;
                }
                if seg.iter().any(|n| n.encoded) || (has_sep_after && tok[b].encoded) {
                    evasion = evasion.or(Some("encoded dots or separators"));
                }
                if has_sep_after
                    && b + 1 < tok.len()
                    && is_sep(tok[b + 1].c)
                    && tok[b + 1].c != tok[b].c
                {
                    evasion = evasion.or(Some("mixed separators"));
                }
                evasion = evasion.or(ev);
                backslash |= has_sep_after && tok[b].c == '\\';
                last_dotdot_end = b;
            }
            // Empty, ".", and runs of dots name no directory to climb out of.
            None if seg.iter().all(|n| n.c == '.') => {}
            None => level += 1,
        }
    }

    // Target: what follows the last dot-dot, or the whole token.
    // Backslashes read as slashes, runs of slashes as one: one pass, no intermediate copy.
    // `/etc/./passwd`: a `.` segment names the directory it is in, and goes too.
    let mut collapsed = String::with_capacity(tok.len());
    let mut prev_slash = false;
    for n in tok {
        let c = if n.c == '\\' { '/' } else { n.c };
        if c == '/' && collapsed.ends_with("/.") {
            collapsed.pop();
        } else if !(c == '/' && prev_slash) {
            collapsed.push(c);
        }
        prev_slash = c == '/';
    }
    let target = sensitive(&collapsed);
    let nul = tok.iter().position(|n| n.c == '\0');
    let absolute = !tok.first().is_some_and(|n| n.opaque) && {
        let t = strip_file_prefixes(&collapsed);
        t.starts_with('/')
            || t.starts_with('~')
            || (t.len() > 2
                && t.as_bytes()[0].is_ascii_alphabetic()
                && t.as_bytes()[1..3] == *b":/")
    };
    let in_url = has_scheme_separator(collapsed.as_bytes()) && !collapsed.starts_with("file:");
    // `c:windows/system32`: a path relative to the current directory of drive C.
    let drive_relative = {
        let b = collapsed.as_bytes();
        b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2].is_ascii_alphabetic()
    };

    if dotdots > 0 && climb > 0 {
        let rest: String = tok[last_dotdot_end.min(tok.len())..]
            .iter()
            .map(|n| if n.c == '\\' { '/' } else { n.c })
            .collect();
        let rest = rest.trim_start_matches('/');
        let mut score = match climb {
            1 => 0.3,
            2 => 0.45,
            3 => 0.6,
            _ => 0.7,
        };
        // What the evidence says after the climb count, spelled out only if this offer wins.
        let mut notes = [Note::Text(""); 5];
        let mut count = 0;
        let mut note = |n| {
            notes[count] = n;
            count += 1;
        };
        let rooted = tok.first().is_some_and(|n| is_sep(n.c) && !n.opaque);
        if rooted && last_dotdot_end < tok.len() {
            // "/../x": no file system path climbs above its own root; a web server that joins
            // it to its document root does.
            score += 0.25;
            note(Note::Text("above the root of an absolute path"));
        }
        if let Some(ev) = evasion {
            score += 0.35;
            note(Note::Text(ev));
        }
        let first = rest.split('/').next().unwrap_or("");
        if let Some((pat, tier)) = target {
            score += match tier {
                Tier::Secret => 0.45,
                Tier::Config => 0.3,
                Tier::Dir => 0.2,
            };
            note(Note::Named("reaching", pat));
        } else if SYSTEM_DIRS.contains(&first) {
            score += 0.2;
            note(Note::Named("into system directory", first));
        } else if has_config_ext(rest) {
            score += 0.15;
            note(Note::Text("to a configuration or source file"));
        } else if file_like(rest) {
            score += 0.1;
            note(Note::Text("to a file"));
        } else if rest.is_empty() && (climb >= 2 || whole_or_param) {
            // Nothing but a climb: a probe for how far up the application lets one go.
            score += 0.1;
        }
        if nul.is_some() {
            score += 0.2;
            note(Note::Text("null byte"));
        }
        if whole_or_param {
            score += 0.1;
            if backslash {
                // "..\\x" as a whole value: links and relative URLs climb with '/'; a Windows
                // climb is aimed at a file API on the server.
                score += 0.1;
                note(Note::Text("Windows '..\\' separator"));
            }
        }
        best.offer(score, || {
            let mut why = format!("{climb} '../' level(s) up");
            for n in &notes[..count] {
                why.push_str(", ");
                match *n {
                    Note::Text(t) => why.push_str(t),
                    Note::Named(what, name) => {
                        why.push_str(what);
                        why.push_str(" '");
                        why.push_str(name);
                        why.push('\'');
                    }
                }
            }
            why
        });
    }

    if whole_or_param && (absolute || drive_relative) && !in_url && dotdots == 0 {
        system_path(&collapsed, best);
    }

    if let Some((pat, tier)) = target {
        let (mut score, how) = match (tier, absolute, in_url) {
            (_, _, true) => (0.3, "inside a URL"),
            // "The file /etc/passwd lists the users": documentation names the account list and
            // Windows' probe files in sentences. Only those: words before a path may also be
            // arguments a command line splits (`ab cd /etc/shadow`), and no secret is in them.
            (Tier::Secret, true, _)
                if !whole_or_param
                    && matches!(
                        pat,
                        "etc/passwd" | "win.ini" | "windows/win.ini" | "boot.ini"
                    )
                    && in_sentence(before) =>
            {
                (0.45, "by absolute path after words")
            }
            (Tier::Secret, true, _) => (0.85, "by absolute path"),
            (Tier::Secret, false, _) => (0.55, "by relative path"),
            (Tier::Config, true, _) => (0.45, "by absolute path"),
            // The whole value names the file itself (".htaccess", ".git/config").
            (Tier::Config, false, _) if whole_or_param && starts_with_target(&collapsed, pat) => {
                (0.4, "as the whole value")
            }
            (Tier::Config, false, _) => (0.25, "by relative path"),
            (Tier::Dir, _, _) => (0.2, "directory"),
        };
        if whole_or_param {
            score += 0.1;
        }
        if nul.is_some() {
            score += 0.2;
        }
        best.offer(score, || format!("sensitive file '{pat}' {how}"));
    }

    if let Some(p) = nul {
        // A NUL that cuts off an appended extension: "x.php%00.jpg", "../../etc/passwd\0".
        let after: String = tok[p + 1..].iter().map(|n| n.c).collect();
        let ext_after = after.starts_with('.')
            && (2..=6).contains(&after.len())
            && after[1..].bytes().all(|c| c.is_ascii_alphanumeric());
        let pathish = tok[..p].iter().any(|n| is_sep(n.c) || n.c == '.');
        let score = if ext_after && pathish {
            0.65
        } else if pathish {
            0.55
        } else {
            0.35
        };
        best.offer(score, || "null byte truncating a file name".to_string());
    }
}

/// One part of a climb's evidence: a phrase, or a phrase and the name it is about (quoted).
#[derive(Clone, Copy)]
enum Note<'a> {
    Text(&'a str),
    Named(&'static str, &'a str),
}

/// A whole value that starts with a run of nothing but dots, separators, `?` and escapes (at
/// least one of them encoded or opaque) and then names a known target: the shape of a climb
/// whatever spelling a fuzzer chose for the dots and separators ("%c0%fe%c0%fe%qf..etc%qfissue"
/// is how scanners enumerate encodings a server might accept).
fn encoded_climb(span: &[NChar], best: &mut Best) {
    let is_climb_char = |n: &NChar| n.encoded || matches!(n.c, '.' | '/' | '\\' | '?');
    let cut = span
        .iter()
        .position(|n| !is_climb_char(n))
        .unwrap_or(span.len());
    let prefix = &span[..cut];
    // Encoded characters, or `?` standing in for a dot ("?./?./"), between separators.
    let odd = prefix.iter().any(|n| n.encoded)
        || (prefix.iter().any(|n| n.c == '?')
            && prefix.iter().filter(|n| matches!(n.c, '/' | '\\')).count() >= 2);
    if prefix.len() < 2 || !odd {
        return;
    }
    // Separators in the target may be spelled the same odd way; dots are kept.
    let rest: String = span[cut..]
        .iter()
        .map(|n| if n.c == '\\' { '/' } else { n.c })
        .collect();
    if rest.contains(|c: char| c.is_whitespace() || is_delimiter(c)) {
        return;
    }
    let rest = collapse_slashes(&rest);
    let Some((pat, tier)) = sensitive(&rest) else {
        return;
    };
    let first = rest.split('/').next().unwrap_or("");
    if tier == Tier::Dir || !(rest.starts_with(pat) || SYSTEM_DIRS.contains(&first)) {
        return;
    }
    let score = if tier == Tier::Secret { 0.85 } else { 0.7 };
    best.offer(score, || {
        format!("encoded climb (dots and separators spelled as escapes) to '{pat}'")
    });
}

/// `filename="../x"` in a multipart part header: a file name never contains a directory, so a
/// climb in it is a write outside the upload directory.
fn upload_filename(text: &str, best: &mut Best) {
    // A name is read only after `=`: without one, no lower-cased copy and no search.
    if !has_dot_dot(text.as_bytes()) || memchr::memchr(b'=', text.as_bytes()).is_none() {
        return;
    }
    // Parameter names are case-insensitive (`FileName=`), may carry spaces around `=` and the
    // RFC 5987 star (`filename*=UTF-8''..%2F..%2Fx`, whose escapes the decoders undo).
    let lower = text.to_ascii_lowercase();
    for p in memchr::memmem::find_iter(lower.as_bytes(), b"filename").take(16) {
        let after = text[p + 8..].trim_start_matches([' ', '*']);
        let Some(rest) = after.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start_matches(' ');
        let rest = rest
            .strip_prefix("utf-8''")
            .or_else(|| rest.strip_prefix("UTF-8''"))
            .unwrap_or(rest);
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        let end = rest
            .find(['"', '\'', ';', '\r', '\n'])
            .unwrap_or(rest.len());
        if end > 1024 {
            continue;
        }
        let name = &rest[..end];
        let climbs = name.split(['/', '\\']).any(|seg| seg == "..");
        if climbs && name.contains(['/', '\\']) {
            best.offer(0.75, || "a '../' climb in an upload file name".to_string());
        }
    }
}

/// A whole value of nothing but dots and separators that mixes `/` with `\\`, or holds a run
/// of five or more dots between separators ("/./\\/././\\/./", "/......../"): how fuzzers
/// probe a server's path normalisation. No file name, no prose and no URL is spelled so.
fn separator_probe(span: &[NChar], best: &mut Best) {
    if span.len() < 4 || !span.iter().all(|n| matches!(n.c, '.' | '/' | '\\')) {
        return;
    }
    let slash = span.iter().any(|n| n.c == '/');
    let backslash = span.iter().any(|n| n.c == '\\');
    let dots = span.iter().any(|n| n.c == '.');
    let mut run = 0usize;
    let mut long_run = false;
    for n in span {
        run = if n.c == '.' { run + 1 } else { 0 };
        long_run |= run >= 5;
    }
    let separated = span.iter().any(|n| n.c != '.');
    if (slash && backslash && dots) || (long_run && separated) {
        best.offer(0.5, || {
            "a value of only dots and separators: a path normalisation probe".to_string()
        });
    }
}

/// A whole value that is an absolute path with spaces in directory names
/// (`C:\Program Files\Apache Group\conf\httpd.conf`): the tokens split at spaces would each
/// look harmless. Only when the value ends as a path, so prose after a path stays prose.
fn spaced_path(span: &[NChar], best: &mut Best) {
    let Some(first) = span.first() else { return };
    let drive = span.len() > 2 && first.c.is_ascii_alphabetic() && span[1].c == ':';
    if !(drive || matches!(first.c, '/' | '\\')) || first.opaque {
        return;
    }
    if !span.iter().any(|n| n.c == ' ') {
        return;
    }
    if span.iter().any(|n| {
        n.c != ' ' && (n.c.is_whitespace() || is_delimiter(n.c)) && !matches!(n.c, '(' | ')')
    }) {
        return;
    }
    // "access. log", "wp-config. php": a space after the dot slips past extension filters and
    // is dropped by the file API; read the name without it.
    let joined: Vec<NChar> = span
        .iter()
        .enumerate()
        .filter(|&(k, n)| {
            !(n.c == ' ' && k > 0 && span[k - 1].c == '.' && ext_follows(span, k + 1))
        })
        .map(|(_, n)| *n)
        .collect();
    let last_word = joined.rsplit(|n| n.c == ' ').next().unwrap_or(&[]);
    let last: String = last_word.iter().map(|n| n.c).collect();
    // The value ends as a path, or as a file name with a configuration or log extension
    // ("C:/program files/filezilla server/filezilla server.xml").
    let ends_as_path = last_word.iter().any(|n| matches!(n.c, '/' | '\\'))
        || (has_config_ext(&last) && !last.ends_with('.'))
        || log_file(&last);
    if !ends_as_path {
        return;
    }
    token(&joined, true, &[], best);
}

/// Letters or digits from `k` to the end of the span or the next separator (an extension).
fn ext_follows(span: &[NChar], k: usize) -> bool {
    let run = span[k.min(span.len())..]
        .iter()
        .take_while(|n| n.c.is_ascii_alphanumeric())
        .count();
    (1..=5).contains(&run)
        && span
            .get(k + run)
            .is_none_or(|n| matches!(n.c, '/' | '\\' | '\0'))
}

/// A whole value that is an absolute path into an operating system directory, or to a
/// configuration or log file on a Windows drive: what file-inclusion probes send.
fn system_path(collapsed: &str, best: &mut Best) {
    let p = strip_file_prefixes(collapsed).trim_end();
    let b = p.as_bytes();
    let drive = b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    let p = if drive { &p[2..] } else { p };
    let mut segs = p.split('/').filter(|s| !s.is_empty());
    let Some(first) = segs.next() else { return };
    let rest: Vec<&str> = segs.collect();
    hidden_entry(p, first, &rest, best);
    let Some(last) = rest.last() else { return };
    let os_dir = OS_ROOTS.contains(&first);
    let file = !p.ends_with('/') && (has_config_ext(last) || log_file(last));
    let secret_dir = matches!(first, "etc" | "proc" | "boot" | "root" | "sys");
    let server = std::iter::once(&first)
        .chain(rest.iter())
        .find(|s| SERVER_DIRS.contains(s));
    // A file in a log directory, or a file named `log` ("/var/cron/log", "/usr/spool/lp/log").
    let logs = !p.ends_with('/')
        && rest.len() >= 2
        && (matches!(rest[rest.len() - 2], "log" | "logs" | "adm") || *last == "log");
    if let Some(dir) = server.filter(|_| rest.len() >= 2 || file || drive) {
        // Where web servers, databases and stacks keep configuration and logs: what log
        // poisoning and configuration disclosure read, wherever the stack is installed.
        best.offer(0.55, || {
            format!("absolute path into the '{dir}' installation")
        });
    }
    if file && (log_file(last) || logs) {
        best.offer(0.5, || format!("absolute path to the log file '{last}'"));
    }
    if !(os_dir || drive) {
        return;
    }
    let mut score = 0.4;
    // Under /var, the directories where services keep logs, mail, spools and state.
    let var_data = first == "var"
        && matches!(
            rest.first().copied(),
            Some("log" | "adm" | "spool" | "mail" | "lib" | "run" | "lp" | "backups")
        );
    // A named file below the Windows directory of a drive ("C:/windows/system32/x.inf"):
    // system files only.
    // Below the system directories of a drive, a named file ("C:/windows/explorer.exe") or a
    // directory where Windows keeps backups, setup answers, caches and logs
    // ("C:/windows/repair/system", "C:/windows/temp/"); a drive-relative path into them
    // ("c:windows/system32") only comes from a filter that stripped the backslash.
    let drive_relative = drive && !b[2..].starts_with(b"/");
    let windows_file = drive
        && WINDOWS_SYSTEM_DIRS.contains(&first)
        && (file_like(last)
            || drive_relative
            || !matches!(first, "windows" | "winnt")
            || WINDOWS_STATE_DIRS.contains(&rest[0]));
    if secret_dir || file || logs || (var_data && rest.len() >= 2) || windows_file {
        score += 0.15;
    }
    best.offer(score, || format!("absolute path into '{first}'"));
}

/// An absolute path to a hidden file or directory ("/.git/config", "/.cursor/mcp.json",
/// "/path/to/.docker/secrets"): configuration, credentials and tool state that no page links
/// to. `.well-known` is the public exception.
fn hidden_entry(p: &str, first: &str, rest: &[&str], best: &mut Best) {
    if p.contains(' ') {
        return;
    }
    let hidden = std::iter::once(&first)
        .chain(rest.iter())
        .enumerate()
        .find(|(_, s)| {
            s.strip_prefix('.')
                .and_then(|n| n.chars().next())
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && **s != ".well-known"
        });
    // A user's own application settings live in hidden entries of their home directory
    // ("/home/ana/.config/app.json", "~/.vimrc"): typed into settings forms, they need a known
    // target (`.ssh/id_rsa`, `.bash_history`, scored elsewhere) to be evidence. Elsewhere
    // ("/.git/config", "/app/.env") a hidden entry is what scanners probe.
    if let Some((at, h)) = hidden {
        let home = first == "~" || (matches!(first, "home" | "users") && at >= 2);
        let score = if home { 0.45 } else { 0.5 };
        best.offer(score, || {
            format!("absolute path to the hidden file or directory '{h}'")
        });
    }
}

/// Directories of web servers, application servers, databases and bundled stacks.
const SERVER_DIRS: &[&str] = &[
    "apache",
    "apache2",
    "apache group",
    "apache software foundation",
    "httpd",
    "nginx",
    "lighttpd",
    "xampp",
    "lampp",
    "wamp",
    "wamp64",
    "mamp",
    "appserv",
    "inetpub",
    "wwwroot",
    "tomcat",
    "jboss",
    "mysql",
    "mariadb",
    "postgresql",
    "filezillaftp",
    "web-inf",
    "meta-inf",
];

/// A log file name: `*.log`, `*_log`, rotated `*.log.1`, `access.log.gz`.
fn log_file(name: &str) -> bool {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let stem = stem.strip_suffix(".gz").unwrap_or(stem);
    let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    stem.ends_with(".log")
        || stem.ends_with("_log")
        || stem.ends_with("-log")
        // Log files named without a separator ("syslog", "accesslog").
        || matches!(stem, "syslog" | "accesslog" | "errorlog")
}

/// `s` without its leading `file:` prefixes, as `trim_start_matches("file:")` (which builds a
/// substring searcher on every call).
fn strip_file_prefixes(mut s: &str) -> &str {
    while let Some(rest) = s.strip_prefix("file:") {
        s = rest;
    }
    s
}

/// `://` somewhere in `b`, found at its colons.
fn has_scheme_separator(b: &[u8]) -> bool {
    memchr::memchr_iter(b':', b).any(|p| b[p + 1..].starts_with(b"//"))
}

/// `..` somewhere in `b`, found at its dots.
fn has_dot_dot(b: &[u8]) -> bool {
    memchr::memchr_iter(b'.', b).any(|p| b.get(p + 1) == Some(&b'.'))
}

fn collapse_slashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_slash = false;
    for c in s.chars() {
        if c == '/' && prev_slash {
            continue;
        }
        prev_slash = c == '/';
        out.push(c);
    }
    out
}

/// The most sensitive known target in a flattened token, at a path-segment boundary.
fn sensitive(flat: &str) -> Option<(&'static str, Tier)> {
    let b = flat.as_bytes();
    let mut found: Option<(&'static str, Tier)> = None;
    for m in targets()?.find_overlapping_iter(flat) {
        let (pat, tier) = TARGETS[m.pattern().as_usize()];
        let left_ok = m.start() == 0 || b[m.start() - 1] == b'/' || b[m.start() - 1] == b':';
        let right_ok = pat.ends_with('/')
            || b.get(m.end())
                .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'));
        let key = pat.rsplit('/').next().is_some_and(|n| n.starts_with("id_"));
        if left_ok
            && right_ok
            && !(key && public_half(&b[m.end()..]))
            && found.is_none_or(|(_, t)| tier > t)
        {
            found = Some((pat, tier));
        }
    }
    found
}

/// Whether a token after `before` (the value up to it) stands in a sentence: the two words
/// before it on its line are words of two letters or more (a colon or a full stop may end
/// them), then spaces, as in "The file /etc/passwd lists the users". A list (a comma, a line
/// break, file names or numbers), an option (`-T /etc/shadow`), a quote, a parenthesis, an `=`
/// or a shell separator before it is a list, an argument, code or a parameter, where a file
/// API may get the path.
fn in_sentence(before: &[NChar]) -> bool {
    // Read backwards, two words at most: the cost is bounded by those words, whatever precedes.
    let mut k = before.len();
    let mut words = 0;
    while words < 2 {
        let blank_end = k;
        while k > 0 && matches!(before[k - 1].c, ' ' | '\t') {
            k -= 1;
        }
        if k == blank_end {
            return false; // no space before the path or between the words
        }
        if k > 0 && matches!(before[k - 1].c, ':' | '.') {
            k -= 1;
        }
        let letters_end = k;
        while k > 0 && before[k - 1].c.is_alphabetic() {
            k -= 1;
        }
        let boundary = k == 0 || matches!(before[k - 1].c, ' ' | '\t' | '\n' | '\r');
        if letters_end - k < 2 || !boundary {
            return false;
        }
        words += 1;
    }
    true
}

/// `.pub` right after a key's name (`id_rsa.pub`): the public half of the pair, made to be
/// copied to other machines and pasted into forms.
fn public_half(rest: &[u8]) -> bool {
    rest.len() >= 4
        && rest[..4].eq_ignore_ascii_case(b".pub")
        && rest
            .get(4)
            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))
}

/// The flattened token starts with the target (after `./`).
fn starts_with_target(collapsed: &str, pat: &str) -> bool {
    collapsed.trim_start_matches("./").starts_with(pat)
}

/// PHP stream filter names (`convert.iconv.*`, `convert.base64-decode`): the pieces of a
/// `php://filter` chain, meaningless anywhere but in an inclusion.
fn php_filter(text: &str, best: &mut Best) {
    // Every name below holds "convert." or "string.": without either, nothing to look for.
    let b = text.as_bytes();
    let named = memchr::memchr_iter(b'.', b).any(|p| {
        let ends = |w: &[u8]| p >= w.len() && b[p - w.len()..p].eq_ignore_ascii_case(w);
        ends(b"convert") || ends(b"string")
    });
    if !named {
        return;
    }
    let lower = text.to_ascii_lowercase();
    for name in [
        "convert.iconv.",
        "convert.base64-",
        "convert.quoted-printable-",
        "string.rot13",
    ] {
        if let Some(p) = lower.find(name) {
            let glued = lower[..p]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            let tail = &lower[p + name.len()..];
            let named = name.ends_with('.') || name.ends_with('-');
            if !glued && (!named || tail.starts_with(|c: char| c.is_ascii_alphanumeric())) {
                best.offer(0.6, || format!("PHP stream filter '{name}'"));
            }
        }
    }
}

/// The last segment names a file: an extension of 1 to 5 letters or digits, or a dotfile
/// (`.history`).
fn file_like(rest: &str) -> bool {
    let name = rest.rsplit('/').next().unwrap_or("");
    let name = name.split('\0').next().unwrap_or("");
    let word = |s: &str| s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    match name.rsplit_once('.') {
        Some(("", dotfile)) => dotfile.len() >= 2 && word(dotfile),
        Some((_, ext)) => (1..=5).contains(&ext.len()) && word(ext),
        None => false,
    }
}

fn has_config_ext(rest: &str) -> bool {
    let name = rest.rsplit('/').next().unwrap_or("");
    let name = name.split('\0').next().unwrap_or("");
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && CONFIG_EXTS.contains(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn attack(text: &str) {
        let f = inspect(text);
        assert!(f.is_some(), "missed attack {text:?}");
        let f = f.unwrap_or_else(|| Finding::new(Check::PathTraversal, 0.0, ""));
        assert_eq!(f.check, Check::PathTraversal);
        assert!(
            (THRESHOLD..=1.0).contains(&f.score),
            "{text:?}: score {}",
            f.score
        );
        assert!(!f.evidence.is_empty());
    }

    #[track_caller]
    fn benign(text: &str) {
        let f = inspect(text);
        assert!(f.is_none(), "false positive on {text:?}: {f:?}");
    }

    #[test]
    fn dot_dot_climbs() {
        for t in [
            "../../../etc/passwd",
            "..\\..\\..\\windows\\win.ini",
            "../../../../../../",
            "file=../../../../etc/shadow",
            "../../config.php",
            "../config.php",
            "images/../../../../etc/passwd",
            "/var/www/../../etc/passwd",
        ] {
            attack(t);
        }
    }

    #[test]
    fn encoded_dot_dots_that_survive_decoding() {
        for t in [
            "%2e%2e/%2e%2e/etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "..%5c..%5cwindows%5cwin.ini",
            "..;/..;/WEB-INF/web.xml",
            "....//....//etc/passwd",
            ".%2e/.%2e/secret",
            "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
            "%252e%252e%252fetc%252fpasswd",
            "..\u{ff0f}..\u{ff0f}etc",
            "..\\/..\\/boot",
        ] {
            attack(t);
        }
    }

    #[test]
    fn null_bytes() {
        for t in [
            "../../etc/passwd\0",
            "shell.php%00.jpg",
            "image.png\0.php",
            "../../etc/passwd%00.html",
        ] {
            attack(t);
        }
        benign("a\0b");
    }

    #[test]
    fn wrappers() {
        for t in [
            "php://filter/convert.base64-encode/resource=index.php",
            "php://input",
            "zip://shell.jpg#payload.php",
            "phar://uploads/x.phar/shell",
            "expect://id",
            "jar:file:///tmp/x.jar!/",
            "file:///etc/passwd",
            "FILE:///C:/Windows/win.ini",
        ] {
            attack(t);
        }
    }

    #[test]
    fn sensitive_absolute_paths() {
        for t in [
            "/etc/passwd",
            "/etc/shadow",
            "/proc/self/environ",
            "/proc/self/cmdline",
            "c:\\windows\\win.ini",
            "C:/boot.ini",
            "C:\\Windows\\System32\\config\\SAM",
            "/home/user/.ssh/id_rsa",
            "/root/.ssh/authorized_keys",
            "/var/www/html/.htaccess",
            "C:\\inetpub\\wwwroot\\web.config",
            "~/.aws/credentials",
            "/etc/hosts",
            "/run/secrets/db_password",
            "/home/user/.config/gcloud/credentials.db",
        ] {
            attack(t);
        }
        // `.` segments name the directory they are in: the file is still the secret.
        for t in ["/./etc/./passwd", "/etc/./././shadow"] {
            assert!(inspect(t).is_some_and(|f| f.score >= 0.85), "{t}");
        }
    }

    #[test]
    fn benign_paths_and_prose() {
        for t in [
            "1/26/11",
            "a/b/c",
            "https://example.com/a/b",
            "see ../README",
            "../README",
            "1.2.3",
            "...",
            "wait...",
            "report..pdf",
            "images/logo.png",
            "Loading.../please wait",
            "path/to/.../file",
            "and/or",
            "50% off / today only",
            "100%",
            "C:\\Users\\me\\Documents\\report.docx",
            "https://example.com/docs/web.config-guide",
            "edit /etc/hosts to add the name",
            "the passwd file",
            "import Button from '../../components/Button'",
            "data:image/png;base64,iVBORw0KGgo=",
            "Copy a file:// link",
            "/api/v1/users/42",
            "a\\b",
            "světlý/tmavý",
            "C:\\Windows\\System32\\ls",
            "/var/log/",
        ] {
            benign(t);
        }
    }

    #[test]
    fn fuzzer_spellings_of_a_climb() {
        for t in [
            "0x2e0x2e0x2f0x2e0x2e0x2fetc0x2fpasswd",
            "..%u2f00..%u2f00etc%u2f00shadow",
            "%c0%9e%c0%9e%zz%c0%9e%c0%9e%zzboot.ini",
            "?.%c1%8f?.%c1%8fetc%c1%8fgroup",
            "%%32%%65%%32%%65%%32%%66etc%%32%%66passwd",
            "..5c..5cwindows5cwin.ini",
            "\u{fffd}\u{fffd}/\u{fffd}\u{fffd}/etc/hosts",
        ] {
            attack(t);
        }
        benign("caf%c3%a9/menu");
        benign("100%qualité");
        benign("0x2f0x3a");
    }

    #[test]
    fn whole_values_naming_server_files() {
        for t in [
            "D:\\nginx\\conf\\nginx.conf",
            "/opt/lampp/logs/access_log",
            "E:\\wamp64\\logs\\php_error.log",
            "/var/log/nginx/error.log.1",
            "C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\conf\\server.xml",
            ".htaccess",
            "WEB-INF/web.xml",
            "../avatar.png",
            "..\\",
            "convert.iconv.UTF8.UTF16LE|convert.base64-decode",
        ] {
            attack(t);
        }
        for t in [
            "/api/logs",
            "/blog/2024/05",
            "C:\\Users\\ana\\Desktop\\invoice 2024.pdf",
            "/images/logo.png is missing",
            "settings.py",
            "photo.jpg",
            "Convert.ToInt32(value)",
        ] {
            benign(t);
        }
    }

    #[test]
    fn climbs_above_an_absolute_root() {
        for t in ["/./../../x", "/..//x.txt", "\\..\\boot\\x", "//..\\y"] {
            attack(t);
        }
        // A bare "/.." names a parent in prose; "a/../b" climbs back into its own start.
        for t in ["/images/../logo.png", "a/../b", "see ../img/a.png"] {
            benign(t);
        }
    }

    #[test]
    fn upload_file_names_with_a_climb() {
        attack("Content-Disposition: form-data; name=\"f\"; filename=\"../x.png\"");
        attack("Content-Disposition: form-data; name=\"f\"; filename=\"..\\x.png\"");
        benign("Content-Disposition: form-data; name=\"f\"; filename=\"x..png\"");
        attack("Content-Disposition: form-data; name=\"f\"; FileName = \"../x.png\"");
        attack("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''../../x.png");
        benign("<img src=\"../img/a.png\">");
    }

    #[test]
    fn named_files_below_the_windows_directory() {
        attack("C:/windows/system32/drivers/x.sys");
        attack("c:\\WINDOWS\\panther\\setup.txt");
        benign("C:\\Windows\\System32\\ls");
        benign("C:\\Users\\jo\\report.docx");
    }

    #[test]
    fn escapes_encoded_once_more_than_decoded() {
        // Overlong escapes with their '%' encoded again, nibbles split by an earlier decoding,
        // and a '%' left in front of a separator by one.
        for t in [
            "%c0%5e%c0%5e%25c0%25afwindows%25c0%25afwin.ini",
            "%25c0%25ae%25c0%25ae/%25c0%25ae%25c0%25ae/etc/passwd",
            "%2%e%2%e\\%2%e%2%e\\etc\\issue",
            "%2%e%2%e%2%f%2%e%2%e%2%fetc%2%fpasswd",
            "%\\..%\\..%\\..%\\..",
            "??/etc/issue",
        ] {
            attack(t);
        }
        for t in [
            "50%/day",
            "%2%",
            "100%25c0",
            "??/images/a.png",
            "what??/about",
        ] {
            benign(t);
        }
    }

    #[test]
    fn windows_climb_as_the_whole_value() {
        attack("..\\settings");
        attack("file=..\\report");
        // A '/' climb to a bare name, or a '\\' climb inside prose, stays below.
        benign("../settings");
        benign("open ..\\build for the output");
    }

    #[test]
    fn hidden_entries_of_a_home_directory_need_a_target() {
        for t in [
            "/home/ana/.config/app.json",
            "~/.config/app/settings.toml",
            "/Users/ana/.vscode/settings.json",
        ] {
            benign(t);
        }
        for t in [
            "/home/ana/.ssh/id_rsa",
            "~/.bash_history",
            "/.git/config",
            "/app/.env.local",
            "/home/.secrets/x",
        ] {
            attack(t);
        }
    }

    #[test]
    fn log_files_named_without_a_separator() {
        attack("/usr/spool/mqueue/syslog");
        attack("/opt/app/log/accesslog");
        benign("/blog/catalog");
        benign("/usr/share/doc/syslog-ng");
    }

    #[test]
    fn score_reports_below_the_threshold() {
        let (s, e) = score("../x").unwrap_or_default();
        assert!(s > 0.0 && s < THRESHOLD, "{s} {e}");
        assert!(score("hello").is_none());
    }

    #[test]
    fn evidence_explains() {
        let e = inspect("../../../etc/passwd")
            .map(|f| f.evidence)
            .unwrap_or_default();
        assert!(e.contains("3 '../'"), "{e}");
        assert!(e.contains("etc/passwd"), "{e}");
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let _ = inspect(&"../".repeat(50_000));
        let _ = inspect(&"%".repeat(10_000));
        let _ = inspect(&"%c0".repeat(10_000));
        let _ = inspect("%");
        let _ = inspect("é/ü\\\0");
        let _ = inspect(&"/".repeat(100_000));
        let _ = inspect("c:");
        let _ = inspect("..\0");
    }

    #[test]
    fn encoded_spellings_are_lower_case() {
        // `normalize` compares the byte after `%` lower-cased with the spelling's own.
        for (pat, _) in ENCODED {
            assert!(pat.len() >= 3 && pat.starts_with('%'), "{pat}");
            assert_eq!(*pat, pat.to_ascii_lowercase(), "{pat}");
        }
    }

    #[test]
    fn delimiter_table_matches_the_rule() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_delimiter(c), delimiter_by_rule(c), "{c:?}");
        }
    }

    #[test]
    fn gate_windows_cover_every_gate_word() {
        let windows = gate_windows();
        for w in gate_word_list().filter(|w| w.len() >= 4) {
            let upper = w.to_ascii_uppercase();
            // Alone (the windows at the value's edges) and inside other text.
            for text in [upper.clone(), format!("see {upper} now"), w.to_string()] {
                let b = text.as_bytes();
                let near = (0..b.len())
                    .filter(|&p| matches!(b[p], b'/' | b'.' | b'_'))
                    .any(|p| windows.near(b, p));
                assert!(near, "{text:?}");
            }
        }
    }

    #[test]
    fn punctuation_of_the_e2_and_ef_blocks_hides_nothing() {
        // Values built from signs, path words and characters of the blocks whose lead bytes
        // the gates read further: whatever the gates turn away, the full path scores nothing.
        let parts = [
            "a", "etc", "passwd", "/", "..", ".", "\u{2026}", "\u{2192}", "\u{FF0C}", "\u{2019}",
            "\u{FF5E}", "\u{2003}", "\u{2028}", "\u{FFFD}", "\u{2215}", "\u{2024}", "\u{FF0E}",
            "\u{FF3C}", "\u{E9}", "\u{A0}", " ", "=", "?", "%2e", "~", "\\", ":", "file", "php",
            "c:", "0x", "log", ".env", "win.ini", "convert.", "\u{200B}", "(", "'", "&",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut next = |n: usize| rng.below(n);
        let mut gated = 0;
        for _ in 0..30_000 {
            let mut v = String::new();
            for _ in 0..1 + next(6) {
                v.push_str(parts[next(parts.len())]);
            }
            let plain = v.contains(['\u{2026}', '\u{2192}', '\u{FF0C}', '\u{2019}', '\u{FF5E}']);
            if plain && (!prefilter(&v) || !worth_a_look(&v)) {
                gated += 1;
                assert_eq!(score_ungated(&v), None, "{v:?}");
            }
        }
        assert!(gated > 1_000, "{gated}");
        for v in ["Загрузка\u{2026}", "\u{2192} next", "a\u{FF0C}b"] {
            assert!(!prefilter(v), "{v}");
        }
        for v in ["..\u{2215}etc", "a\u{2003}b/c", "\u{FFFD}/x"] {
            assert!(prefilter(v) && worth_a_look(v), "{v}");
        }
    }

    #[test]
    fn plain_path_gate_hides_nothing() {
        // Paths and query strings built from plain words and from every kind of name a rule
        // reads: OS roots, server directories, targets, logs, configuration files, hidden
        // entries, climbs and escapes.
        let words = [
            "api",
            "v1",
            "orders",
            "42",
            "static",
            "css",
            "site.min.css",
            "img",
            "logo.png",
            "etc",
            "ETC",
            "var",
            "usr",
            "opt",
            "proc",
            "windows",
            "inetpub",
            "home",
            "users",
            "apache2",
            "nginx",
            "Tomcat",
            "web-inf",
            "mysql",
            "log",
            "logs",
            "adm",
            "syslog",
            "blog",
            "access.log",
            "error_log",
            "app.conf",
            "settings.PHP",
            "db.sqlite",
            "x.py",
            "passwd",
            "shadow",
            "win.ini",
            "web.config",
            ".env",
            ".git",
            "config",
            "id_rsa",
            ".well-known",
            "..",
            "...",
            "....",
            ".",
            "",
            "%2e",
            "0x2e",
            "a b",
            "c:",
            "~",
        ];
        let tails = [
            "",
            "/",
            "?page=2",
            "?file=/etc/x",
            "#top",
            "=/var/log/x",
            "&a=.env",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut next = |n: usize| rng.below(n);
        let mut gated = 0;
        for _ in 0..20_000 {
            let mut v = String::from(["/", "", "?", "./"][next(4)]);
            for k in 0..1 + next(4) {
                if k > 0 {
                    v.push('/');
                }
                v.push_str(words[next(words.len())]);
            }
            v.push_str(tails[next(tails.len())]);
            if plain_path_without_evidence(&v) {
                gated += 1;
                assert_eq!(score_ungated(&v), None, "{v:?}");
            }
        }
        assert!(gated > 1_000, "{gated}");
        for v in [
            "/api/v1/orders?page=2",
            "/products/42",
            "/static/css/site.min.css",
        ] {
            assert!(plain_path_without_evidence(v), "{v}");
            assert!(!worth_a_look(v), "{v}");
        }
        for v in [
            "/etc/passwd",
            "/var/x",
            "/a/.env",
            "/a//etc",
            "/x/app.log",
            "/a/../b",
        ] {
            assert!(!plain_path_without_evidence(v), "{v}");
        }
    }

    #[test]
    fn gate_reads_colons_of_wrappers_and_drives_only() {
        for v in [
            "2026-12-01T09:00/12:00",
            "{\"note\":\"navy/white\",\"at\":\"12:00\"}",
            "Note: see a/b",
            "mailto:ana/x",
        ] {
            assert!(!worth_a_look(v), "{v}");
        }
        for v in [
            "c:windows/system32",
            "x=D:/app/web.config",
            "PHP://filter/x",
            "compress.zlib://x/y",
            "jar:file:/x!/y",
            "FILE:/etc/app.conf",
        ] {
            assert!(worth_a_look(v), "{v}");
        }
    }

    #[test]
    fn gate_skips_header_values_and_plain_urls_only() {
        for v in [
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0",
            "https://shop.example.com/products/42?color=blue",
            "https://shop.example.com:8443/a/b",
            "application/json",
            "Wed, 25 Nov 2026 18:21:09 GMT",
        ] {
            assert!(!worth_a_look(v), "{v}");
        }
        for v in [
            "../../etc/passwd",
            "/etc/passwd",
            "etc/passwd",
            "ETC/PASSWD",
            "php://filter/convert.base64-encode/resource=index",
            "C:/windows/win.ini",
            "file:///etc/hosts",
            "web.config",
            "a//etc//passwd",
            "%2e%2e/x",
            "~/.ssh/id_rsa",
            "?./?./etc/passwd",
            "jar:file:/x!/y",
            "file=/etc/app/config.yml",
            "\"/etc/app/config.yml\"",
            "x=/opt/app/logs/access.log",
        ] {
            assert!(worth_a_look(v), "{v}");
        }
    }
}
