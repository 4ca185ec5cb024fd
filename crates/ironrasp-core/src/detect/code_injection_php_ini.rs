//! PHP configuration directives set from a request value: `allow_url_include=On`,
//! `auto_prepend_file=php://input`, `opcache.jit_buffer_size=64M`, `memory_limit = 512M`.
//! Such a value reaches PHP's configuration through argument injection into PHP-CGI
//! (`-d name=value`), an uploaded `.user.ini`/`.htaccess`, or a script that passes it to
//! `ini_set`/`putenv("PHP_VALUE=...")`. The value needs no bracket or quote, so the code-injection
//! gate lets it through on a `=` alone, and this reads it.
//!
//! Evidence is graded by the name, looked up once per `=`: a directive that switches off a
//! protection or loads code is evidence wherever it is assigned; a name only PHP uses (an
//! underscore core name, an extension prefix like `opcache.`) counts when the assignment is the
//! whole value (or a whole line, an attribute, a `-d` argument); a core name that is also an
//! English word (`engine`, `precision`, `extension`) counts only when it is the whole value and
//! set to an ini literal (`On`, `true`, `512M`) or, for `extension`, a shared library; settings
//! forms of other programs rarely send `name=value` as one value.

use crate::clip::clip as head;

/// Bytes of one value read (directives are short; the head is where they are).
const MAX_TEXT: usize = 8 * 1024;
/// `=` signs examined per value.
const MAX_ASSIGNS: usize = 64;
/// Longest directive name (PHP's longest are about 40 bytes).
const MAX_NAME: usize = 64;
/// Longest value token.
const MAX_VALUE: usize = 512;

/// Directives that turn off a protection, load code or redirect output to files. Their
/// names exist only in PHP configuration, so an assignment anywhere in a value counts.
const GUARDS: [&str; 16] = [
    "allow_url_fopen",
    "allow_url_include",
    "auto_append_file",
    "auto_prepend_file",
    "cgi.fix_pathinfo",
    "cgi.force_redirect",
    "disable_classes",
    "disable_functions",
    "enable_dl",
    "mail.force_extra_parameters",
    "open_basedir",
    "register_globals",
    "safe_mode_exec_dir",
    "sendmail_path",
    "unserialize_callback_func",
    "zend_extension",
];

/// Security-relevant directives whose names could appear in other code (`error_log = []`):
/// evidence when the assignment stands alone.
const SENSITIVE: [&str; 14] = [
    "assert.active",
    "doc_root",
    "error_log",
    "extension_dir",
    "file_uploads",
    "include_path",
    "magic_quotes_gpc",
    "phar.readonly",
    "safe_mode",
    "short_open_tag",
    "upload_tmp_dir",
    "user_dir",
    "user_ini.filename",
    "zend.assertions",
];

/// Core directives with names no other configuration spells this way.
const CORE: [&str; 50] = [
    "always_populate_raw_post_data",
    "arg_separator.input",
    "arg_separator.output",
    "asp_tags",
    "auto_detect_line_endings",
    "auto_globals_jit",
    "default_charset",
    "default_mimetype",
    "default_socket_timeout",
    "display_errors",
    "display_startup_errors",
    "docref_ext",
    "docref_root",
    "enable_post_data_reading",
    "error_append_string",
    "error_prepend_string",
    "error_reporting",
    "expose_php",
    "hard_timeout",
    "html_errors",
    "ignore_repeated_errors",
    "ignore_repeated_source",
    "ignore_user_abort",
    "implicit_flush",
    "input_encoding",
    "internal_encoding",
    "log_errors",
    "log_errors_max_len",
    "magic_quotes_runtime",
    "max_execution_time",
    "max_file_uploads",
    "max_input_nesting_level",
    "max_input_time",
    "max_input_vars",
    "memory_limit",
    "output_buffering",
    "output_encoding",
    "output_handler",
    "post_max_size",
    "realpath_cache_size",
    "realpath_cache_ttl",
    "register_argc_argv",
    "report_memleaks",
    "request_order",
    "serialize_precision",
    "smtp_port",
    "sendmail_from",
    "sys_temp_dir",
    "unserialize_max_depth",
    "y2k_compliance",
];

/// Core directives that are also ordinary words.
const WORDS: [&str; 5] = ["browscap", "engine", "extension", "precision", "smtp"];

/// Extension prefixes found only in PHP configuration: `prefix.anything` is a directive.
const EXTENSIONS: [&str; 29] = [
    "apc",
    "apcu",
    "bcmath",
    "exif",
    "fastcgi",
    "ibase",
    "iconv",
    "mbstring",
    "mysql",
    "mysqli",
    "mysqlnd",
    "oci8",
    "odbc",
    "opcache",
    "pcre",
    "pdo",
    "pdo_mysql",
    "pdo_odbc",
    "pgsql",
    "phar",
    "sqlite3",
    "sybct",
    "tidy",
    "uploadprogress",
    "url_rewriter",
    "user_ini",
    "xdebug",
    "zend",
    "zlib",
];

/// Extension prefixes that are also ordinary words (`session.timeout`, `date.format` belong to
/// many configurations): the rest of the name must be PHP-styled, with an underscore.
const WORD_EXTENSIONS: [&str; 14] = [
    "assert",
    "cgi",
    "curl",
    "date",
    "filter",
    "gd",
    "highlight",
    "intl",
    "ldap",
    "mail",
    "openssl",
    "session",
    "soap",
    "syslog",
];

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Kind {
    /// A core name that is also a word: whole value, literal setting.
    Word,
    /// A PHP-only name: whole value.
    Php,
    /// A security-relevant name that other code may use too: whole value.
    Sensitive,
    /// A protection switch: anywhere.
    Guard,
}

/// For each first byte, the lengths (bit `n` for `n` bytes) of the names of [`GUARDS`],
/// [`SENSITIVE`] and [`CORE`] that start with it: a name of another first byte and length is
/// none of them, known without comparing it with each of the 80 (`utm_source=`, `api_key=`).
static LISTED_SHAPES: [u64; 256] = {
    let mut t = [0u64; 256];
    let lists: [&[&str]; 3] = [&GUARDS, &SENSITIVE, &CORE];
    let mut l = 0;
    while l < lists.len() {
        let mut k = 0;
        while k < lists[l].len() {
            let w = lists[l][k].as_bytes();
            assert!(!w.is_empty() && w.len() < 64);
            t[w[0] as usize] |= 1 << w.len();
            k += 1;
        }
        l += 1;
    }
    t
};

/// `name` has the first byte and length of a name of [`GUARDS`], [`SENSITIVE`] or [`CORE`].
fn listed_shape(name: &str) -> bool {
    name.as_bytes()
        .first()
        .is_some_and(|&c| name.len() < 64 && LISTED_SHAPES[usize::from(c)] & (1 << name.len()) != 0)
}

fn kind(name: &str) -> Option<Kind> {
    // Every directive but the word-like ones has `_` or `.` in its name.
    if !name.contains(['_', '.']) {
        return WORDS.contains(&name).then_some(Kind::Word);
    }
    if listed_shape(name) {
        if GUARDS.contains(&name) {
            return Some(Kind::Guard);
        }
        if SENSITIVE.contains(&name) {
            return Some(Kind::Sensitive);
        }
        if CORE.contains(&name) {
            return Some(Kind::Php);
        }
    }
    let (prefix, rest) = name.split_once('.')?;
    let styled = !rest.is_empty()
        && !rest.contains('.')
        && rest.as_bytes()[0].is_ascii_alphabetic()
        && rest.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    if !styled {
        return None;
    }
    if EXTENSIONS.contains(&prefix) || (WORD_EXTENSIONS.contains(&prefix) && rest.contains('_')) {
        return Some(Kind::Php);
    }
    None
}

/// A value PHP's ini parser reads as a setting: a boolean word, a number with an optional
/// size suffix (`512M`, `-1`).
fn ini_literal(v: &str) -> bool {
    let v = v.trim_matches(['"', '\'']);
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "on" | "off" | "true" | "false" | "yes" | "no" | "none" | "null"
    ) {
        return true;
    }
    let n = lower.strip_prefix('-').unwrap_or(&lower);
    let n = n.strip_suffix(['k', 'm', 'g']).unwrap_or(n);
    !n.is_empty() && n.len() <= 20 && n.bytes().all(|c| c.is_ascii_digit() || c == b'.')
}

/// A token an ini file could hold: a quoted string, or a word, number, path or flag
/// expression. Brackets, braces, `;` and `$` make it code of some other language
/// (`error_log = []`).
fn setting(v: &str) -> bool {
    v.starts_with(['"', '\''])
        || !v.bytes().any(|c| {
            matches!(
                c,
                b'(' | b')' | b'[' | b']' | b'{' | b'}' | b';' | b'<' | b'>' | b'$'
            )
        })
}

/// A shared library an `extension=` line loads.
fn library_file(v: &str) -> bool {
    let v = v.trim_matches(['"', '\'']).to_ascii_lowercase();
    v.ends_with(".so") || v.ends_with(".dll")
}

fn is_name_byte(c: u8) -> bool {
    NAME_BYTES[usize::from(c)]
}

/// Letters, digits, `_` and `.`: a table, as names are read back from every `=` (a padded
/// base64 token is read up to [`MAX_NAME`] bytes).
static NAME_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
        i += 1;
    }
    t
};

/// Before the name only blanks back to a segment start: the value's start, a line break, a
/// quote (an attribute or string holding the assignment) or a `-d` option.
fn starts_segment(b: &[u8], name_start: usize) -> bool {
    let mut i = name_start;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 || matches!(b[i - 1], b'\n' | b'\r' | b'"' | b'\'') {
        return true;
    }
    // `-d name=value`, the PHP-CGI option (the blank after `-d` is optional).
    i >= 2
        && b[i - 2] == b'-'
        && b[i - 1] == b'd'
        && (i == 2 || matches!(b[i - 3], b' ' | b'\t' | b'\n' | b'+' | b'"' | b'\''))
}

/// After the value only blanks up to a segment end: the value's end, a line break, a quote or
/// a ` -d` option that sets the next directive.
fn ends_segment(b: &[u8], value_end: usize) -> bool {
    let mut i = value_end;
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i == b.len()
        || matches!(b[i], b'\n' | b'\r' | b'"' | b'\'')
        || (b[i] == b'-' && b.get(i + 1) == Some(&b'd') && i > value_end)
}

/// The strongest directive assignment in `text`: score and explanation.
pub(crate) fn scan(text: &str) -> Option<(f32, String)> {
    let text = head(text, MAX_TEXT);
    let b = text.as_bytes();
    let mut best: Option<(f32, String)> = None;
    for eq in memchr::memchr_iter(b'=', b).take(MAX_ASSIGNS) {
        // `==`, `!=`, `<=`, `>=`, `=>` are comparisons and arrows, not assignments.
        if b.get(eq + 1).is_some_and(|c| matches!(c, b'=' | b'>'))
            || (eq > 0 && matches!(b[eq - 1], b'=' | b'!' | b'<' | b'>'))
        {
            continue;
        }
        let mut end = eq;
        while end > 0 && eq - end < 8 && matches!(b[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && end - start < MAX_NAME && is_name_byte(b[start - 1]) {
            start -= 1;
        }
        if start == end || (start > 0 && is_name_byte(b[start - 1])) {
            continue;
        }
        // Lower-cased on the stack: this runs for every `name=` in every value.
        let mut buf = [0u8; MAX_NAME];
        let name = &mut buf[..end - start];
        name.copy_from_slice(&b[start..end]);
        name.make_ascii_lowercase();
        // What `kind` reads first, on the bytes: most names (`color=`, `q=`) have neither `_`
        // nor `.` and are no word-like directive, and need no conversion to text.
        if !name.iter().any(|&c| matches!(c, b'_' | b'.'))
            && !WORDS.iter().any(|w| w.as_bytes() == &name[..])
        {
            continue;
        }
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        let Some(kind) = kind(name) else {
            continue;
        };
        // The value: one token, or one quoted string, on the same line.
        let mut v = eq + 1;
        while v < b.len() && v - eq < 8 && matches!(b[v], b' ' | b'\t') {
            v += 1;
        }
        let value_end = match b.get(v) {
            Some(&q @ (b'"' | b'\'')) => b[v + 1..]
                .iter()
                .take(MAX_VALUE)
                .position(|&c| c == q || c == b'\n')
                .filter(|&p| b[v + 1 + p] == q)
                .map(|p| v + 1 + p + 1),
            Some(_) => {
                let n = b[v..]
                    .iter()
                    .take(MAX_VALUE + 1)
                    .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\''))
                    .count();
                // A token longer than any setting is not one.
                (n <= MAX_VALUE).then_some(v + n)
            }
            None => None,
        };
        let Some(value_end) = value_end.filter(|&e| e > v) else {
            continue;
        };
        let value = &text[v..value_end];
        let alone = starts_segment(b, start) && ends_segment(b, value_end) && setting(value);
        let score = match kind {
            Kind::Guard if alone => 0.9,
            Kind::Guard => 0.85,
            Kind::Sensitive if alone => 0.85,
            Kind::Php if alone => 0.75,
            // `extension=evil.so` loads code; `extension=pdf` is a file-type filter.
            Kind::Word if alone && library_file(value) => 0.8,
            Kind::Word if alone && ini_literal(value) => 0.6,
            _ => continue,
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, format!("PHP configuration directive {name} set")));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        scan(s).is_some_and(|(score, _)| score >= 0.5)
    }

    #[test]
    fn directive_assignments() {
        let cases = [
            "allow_url_include=On",
            "auto_prepend_file=/tmp/upload/x.txt",
            "-d allow_url_include=1 -d auto_prepend_file=php://input",
            "x=1 allow_url_fopen=1",
            "disable_functions = \"\"",
            "open_basedir=/",
            "opcache.jit_buffer_size=64M",
            "mbstring.func_overload=7",
            "session.save_path=/tmp",
            "memory_limit = 512M",
            "max_execution_time=0",
            "extension_dir=/var/tmp",
            "extension=evil.so",
            "extension=true",
            "engine=Off",
            "precision=17",
            "smtp=true",
            "ERROR_REPORTING=E_ALL",
            "line one\nmemory_limit=1G\nline three",
            "<a probe=\"opcache.enable=1\"></a>",
            "unserialize_max_depth=true",
        ];
        let missed: Vec<_> = cases.iter().filter(|s| !flagged(s)).collect();
        assert!(missed.is_empty(), "missed: {missed:#?}");
    }

    #[test]
    fn ordinary_settings_pass() {
        let cases = [
            "timezone=UTC",
            "debug=true",
            "mode=on",
            "engine=google",
            "extension=pdf",
            "precision=high",
            "session.timeout=30",
            "date.format=yyyy-mm-dd",
            "a=1&memory_limit=5",
            "https://example.com/?engine=true",
            "error_log = []",
            "memory_limit = {}",
            "max_input_vars=count($x);",
            "my_memory_limit=512M",
            "if (precision == 1) { }",
            "memory_limit => 512M",
            "Set memory_limit = 512M in php.ini and restart",
            "spring.datasource.url=jdbc:x",
            "aGVsbG8gd29ybGQ=",
            "===",
            "=",
        ];
        let wrong: Vec<_> = cases.iter().filter(|s| flagged(s)).collect();
        assert!(wrong.is_empty(), "flagged: {wrong:#?}");
    }

    /// The shape filter of `kind` passes every listed name, so it only skips comparisons
    /// that would fail; names of other shapes are not listed.
    #[test]
    fn listed_names_pass_the_shape_filter() {
        for name in GUARDS.iter().chain(&SENSITIVE).chain(&CORE) {
            assert!(listed_shape(name), "{name}");
            assert!(kind(name).is_some(), "{name}");
        }
        for name in [
            "utm_source",
            "api_key",
            "a_b",
            "",
            "x.y",
            "zz_top_of_the_list",
        ] {
            assert!(!listed_shape(name), "{name}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = scan(&"=".repeat(100_000));
        let _ = scan(&"a=".repeat(50_000));
        let _ = scan("é=é\"é");
        let _ = scan("engine=\"");
        let _ = scan(&format!("memory_limit=\"{}", "x".repeat(2_000)));
    }
}
