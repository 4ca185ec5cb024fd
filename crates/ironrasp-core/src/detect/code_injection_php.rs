//! PHP: open tags with code, calls of executors with code-like arguments, variable functions,
//! superglobals, stream wrappers, serialized objects and obfuscated function names.

use super::needle::{find, has, sites};
use super::{alone, call_at, call_sites, ends_statement, word_sites, Arg, Best, View, MAX_SITES};
use std::borrow::Cow;

/// Functions that run code or commands.
pub(super) const EXECUTORS: [&str; 14] = [
    "system",
    "exec",
    "passthru",
    "shell_exec",
    "popen",
    "proc_open",
    "pcntl_exec",
    "eval",
    "assert",
    "create_function",
    "call_user_func",
    "call_user_func_array",
    "execfile",
    "expect_popen",
];

/// Executors whose names are not English words: a bare-word argument is enough.
const UNAMBIGUOUS: [&str; 8] = [
    "shell_exec",
    "passthru",
    "proc_open",
    "pcntl_exec",
    "create_function",
    "call_user_func",
    "call_user_func_array",
    "expect_popen",
];

/// Decoders web shells wrap their payload in.
pub(super) const UNPACKERS: [&str; 8] = [
    "base64_decode",
    "gzinflate",
    "gzuncompress",
    "gzdecode",
    "str_rot13",
    "bzdecompress",
    "hex2bin",
    "convert_uudecode",
];

/// Request superglobals.
const SUPERGLOBALS: [&str; 8] = [
    "$_get",
    "$_post",
    "$_request",
    "$_cookie",
    "$_server",
    "$_files",
    "$_env",
    "$globals",
];

pub(super) fn scan(v: &View, best: &mut Best) {
    open_tags(v, best);
    executors(v, best);
    probes(v, best);
    if v.calls {
        variable_functions(v, best);
    }
    variable_variables(v, best);
    bbcode_tags(v, best);
    library_calls(v, best);
    callbacks(v, best);
    ini_changes(v, best);
    if v.calls {
        hidden_calls(v, best);
    }
    hidden_named_calls(v, best);
    wrappers(v, best);
    serialized_object(v, best);
    obfuscated_callee(v, best);
}

/// `<?php ...`, `<?= ...`, `<? f(...)`: a PHP block with code in it. `<?xml` is a declaration.
fn open_tags(v: &View, best: &mut Best) {
    for at in v.sites("<?").take(MAX_SITES) {
        let rest = &v.lower[at + 2..];
        let (kind, body) = if let Some(b) = rest.strip_prefix("php") {
            ("<?php", b)
        } else if let Some(b) = rest.strip_prefix('=') {
            ("<?=", b)
        } else if rest.starts_with(char::is_whitespace) {
            // `<? php echo` is read as `<?` then code by lenient parsers.
            let r = rest.trim_start();
            ("<?", r.strip_prefix("php").unwrap_or(r))
        } else if rest.trim_end().is_empty() {
            // A value ending in a bare short open tag: whatever is joined after it (the next
            // parameter of the same name, a template) runs as PHP.
            best.keep(0.6, "PHP short open tag <? ending the value");
            continue;
        } else if let Some(body) = label_body(rest) {
            // `<?xml: echo 1;` is the short open tag, a goto label `xml:` and a statement;
            // `<?xml:namespace prefix=...` (pasted Word HTML) is no statement.
            if statement_start(body) {
                best.keep(
                    0.85,
                    "PHP short open tag with a label before code (<?name: ...)",
                );
            }
            continue;
        } else {
            continue;
        };
        let body = body.trim_start();
        let keyword = [
            "echo ", "print ", "include", "require", "eval", "system", "exit",
        ]
        .iter()
        .any(|k| body.starts_with(k));
        let code = keyword
            || body.starts_with(['$', '`', '@', '"', '\''])
            || super::has_call(super::head(body, 200))
            || (kind != "<?" && body.contains(';'));
        if code {
            best.keep_with(0.9, || format!("PHP block {kind} with code"));
        }
    }
}

/// After `<?`, a goto label (`xml:`, not `::`) and the code that follows it.
fn label_body(rest: &str) -> Option<&str> {
    let n = rest.bytes().take_while(|c| super::is_ident(*c)).count();
    if n == 0 || rest.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let after = rest[n..].trim_start();
    let body = after.strip_prefix(':')?;
    (!body.starts_with(':')).then_some(body)
}

/// Code starts here: a statement keyword, a variable, backticks or a call `name(`.
fn statement_start(body: &str) -> bool {
    let body = body.trim_start();
    let keyword = [
        "echo ", "echo\"", "echo'", "print ", "include", "require", "eval", "system", "exit",
    ]
    .iter()
    .any(|k| body.starts_with(k));
    let n = body.bytes().take_while(|c| super::is_ident(*c)).count();
    let call = n > 0
        && !body.as_bytes()[0].is_ascii_digit()
        && body[n..].trim_start_matches([' ', '\t']).starts_with('(');
    keyword || call || body.starts_with(['$', '`'])
}

/// `system('id')`, `eval($_POST[x])`, `exec (blah);`, `eval(base64_decode(...))`,
/// `system/**/('id')`.
fn executors(v: &View, best: &mut Best) {
    for name in EXECUTORS {
        for at in call_sites(v, name) {
            let Some(call) = call_at(v.lower, at + name.len()) else {
                continue;
            };
            let a = call
                .args
                .trim_start_matches(|c: char| c.is_whitespace() || c == '@');
            let unpacked = UNPACKERS.iter().any(|u| a.starts_with(u));
            let request = SUPERGLOBALS.iter().any(|g| a.starts_with(g));
            // A comment between a name and its `(` only hides a call from filters.
            let gap = &v.lower[at + name.len()..];
            let commented = gap.trim_start().starts_with("/*")
                || gap.trim_start().starts_with("//")
                || gap.trim_start().starts_with('#');
            // The value is nothing but this call (a payload on its own, not prose around it).
            let whole = v.lower.trim_start().len() == v.lower.len() - at
                && (call.after.trim().is_empty() || call.after.trim() == ";");
            let score = match call.arg {
                _ if unpacked || request => 0.95,
                _ if commented && call.closed => 0.85,
                Arg::Quoted | Arg::Variable | Arg::Call => 0.9,
                Arg::Empty
                    if ends_statement(call.after) && (whole || alone(v.text, name.len() + 4)) =>
                {
                    0.7
                }
                Arg::Words
                    if call.closed
                        && !a.contains(' ')
                        && (UNAMBIGUOUS.contains(&name)
                            || call.after.trim_start().starts_with(';')
                            || whole) =>
                {
                    0.75
                }
                _ => continue,
            };
            best.keep_with(score, || format!("call of code executor {name}(...)"));
        }
    }
    // preg_replace with the /e modifier evaluates the replacement.
    for at in call_sites(v, "preg_replace") {
        if let Some(call) = call_at(v.lower, at + 12) {
            let a = call.args.trim_start();
            if let Some(q) = a.chars().next().filter(|c| *c == '\'' || *c == '"') {
                if let Some(end) = a[1..].find(q) {
                    let pattern = &a[1..1 + end];
                    if let Some(p) = pattern.rfind(|c: char| !c.is_ascii_alphabetic()) {
                        if pattern[p + 1..].contains('e') {
                            best.keep(0.9, "preg_replace with the /e (eval) modifier");
                        }
                    }
                }
            }
        }
    }
    // include/require of a remote or wrapper URL.
    for name in ["include", "require", "include_once", "require_once"] {
        for at in word_sites(v, name) {
            let rest = v.lower[at + name.len()..].trim_start();
            let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
            let rest = rest.strip_prefix(['\'', '"']).unwrap_or(rest);
            if [
                "http://",
                "https://",
                "ftp://",
                "php://",
                "data:",
                "expect://",
                "phar://",
                "zip://",
            ]
            .iter()
            .any(|s| rest.starts_with(s))
            {
                best.keep_with(0.9, || format!("{name} of a remote or wrapper URL"));
            }
        }
    }
}

/// `phpinfo()`, unpackers fed by the request, writes of files from the request.
fn probes(v: &View, best: &mut Best) {
    for at in call_sites(v, "phpinfo") {
        if let Some(call) = call_at(v.lower, at + 7) {
            if call.arg == Arg::Empty {
                best.keep(0.8, "phpinfo() call");
            } else if call.closed
                && call.args.len() < 32
                && v.lower[..at].trim().is_empty()
                && matches!(call.after.trim(), "" | ";")
            {
                // `phpinfo(INFO_ALL)`, `phpinfo(-1)`: the whole value is the probe.
                best.keep(0.7, "phpinfo(...) call as the whole value");
            }
        }
    }
    for name in [
        "file_put_contents",
        "fwrite",
        "fputs",
        "fsockopen",
        "pfsockopen",
    ] {
        for at in call_sites(v, name) {
            if let Some(call) = call_at(v.lower, at + name.len()) {
                let request = SUPERGLOBALS.iter().any(|g| has(call.args, g))
                    || UNPACKERS.iter().any(|u| has(call.args, u));
                if request {
                    best.keep_with(0.85, || {
                        format!("{name}(...) with request data or decoded payload")
                    });
                }
            }
        }
    }
    // A superglobal subscripted as code (`$_SERVER['x'];`): PHP source, not text.
    for g in SUPERGLOBALS {
        for at in v.sites(g).take(MAX_SITES) {
            let rest = v.lower[at + g.len()..].trim_start();
            // `$_COOKIE=...;`: a superglobal overwritten by a statement.
            let assigned = rest.strip_prefix('=').is_some_and(|r| {
                !r.starts_with(['=', '>']) && r.lines().next().is_some_and(|l| l.contains(';'))
            });
            if assigned {
                best.keep_with(0.7, || format!("PHP superglobal {g} assigned as code"));
            }
            if rest.starts_with('[') {
                if let Some(close) = rest.find(']') {
                    let after = rest[close + 1..].trim_start();
                    if after.is_empty() || after.starts_with([';', '(', ')', '.', ',']) {
                        best.keep_with(0.7, || format!("PHP superglobal {g}[...] used as code"));
                    }
                }
            }
        }
    }
}

/// `$f(...)`, `$_GET['a']($_POST['b'])`, `${'a'}(1)`, `$$b(2)`, `$__[$_[1]](7)`: calling a
/// variable.
fn variable_functions(v: &View, best: &mut Best) {
    let b = v.lower.as_bytes();
    for (at, _) in v.lower.match_indices('$').take(MAX_SITES * 2) {
        if at > 0 && (super::is_ident(b[at - 1]) || b[at - 1] == b'.' || b[at - 1] == b'$') {
            continue;
        }
        let mut i = at + 1;
        while i < b.len() && b[i] == b'$' && i < at + 4 {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && super::is_ident(b[i]) && i < at + 64 {
            i += 1;
        }
        if b.get(name_start).is_some_and(u8::is_ascii_digit) {
            continue; // `$5 (incl. VAT)`: PHP names never start with a digit
        }
        // `${...}`, also `$ {...}`: PHP allows whitespace there, nothing else does.
        let brace = if i == name_start {
            let k = i + b[i..]
                .iter()
                .take(32)
                .take_while(|c| c.is_ascii_whitespace())
                .count();
            (b.get(k) == Some(&b'{')).then_some(k)
        } else {
            None
        };
        let braced = brace.is_some();
        if i == name_start && !braced {
            continue;
        }
        // Subscripts `[...]` / `{...}` (and `${...}`), brackets balanced, each bounded;
        // comments and whitespace between them are skipped as PHP skips them. A bare name in
        // braces (`${total}`, also a JavaScript, shell or Groovy placeholder) is no subscript:
        // it is judged as `$total` is.
        let mut subscripted = false;
        let mut j = brace.unwrap_or(i);
        for _ in 0..6 {
            let Some(end) = balanced(b, super::skip_gap(v.lower, j)) else {
                break;
            };
            // `${_}` reads as `$_` does.
            let inner = b[j + 1..end - 1].trim_ascii();
            let placeholder = braced && j == brace.unwrap_or(i) && bare_name(inner);
            subscripted |= !placeholder || inner[0] == b'_';
            j = end;
        }
        let open = super::skip_gap(v.lower, j);
        if b.get(open) != Some(&b'(') {
            continue;
        }
        let Some(call) = call_at(v.lower, j) else {
            continue;
        };
        if !call.closed {
            continue;
        }
        let name = &v.lower[name_start..i];
        let request = !name.is_empty() && SUPERGLOBALS.iter().any(|g| g[1..] == *name);
        let argument_is_request = SUPERGLOBALS.iter().any(|g| has(call.args, g));
        let commented = b[j..open].iter().any(|&c| matches!(c, b'/' | b'#'));
        let plain_callee = !(name.starts_with('_') || subscripted || b[at + 1] == b'$');
        // Prose writes a variable and then a parenthetical (`Set $HOME (your home dir)`,
        // `${total} (incl. VAT)`, `Hi $name ($role)`): words in a row as arguments, or an
        // operand right after a word. A plain callee that the value does not assign itself
        // (`$f=strrev('metsys');$f(i. d);`) and whose call ends no statement needs code
        // arguments and a place where an expression may start.
        let statement = {
            let a = call.after.trim_start();
            a.starts_with(';') || a.starts_with("?>")
        };
        if plain_callee
            && !commented
            && !statement
            && !request
            && !argument_is_request
            && (prose_arguments(original(v, call.args)) || after_word(b, at))
            && !assigns(v.lower, &v.lower[at..j])
        {
            continue;
        }
        if plain_callee && !request && !argument_is_request && in_mustache(v.lower, at) {
            // `{{ $t('checkout.title') }}`: a Vue or Angular template expression; PHP has no
            // `{{ }}`.
            continue;
        }
        let score = if request || argument_is_request {
            0.95
        } else if !plain_callee || open > j {
            0.8
        } else if ends_statement(call.after) && call.args.len() < 40 {
            0.65
        } else {
            continue;
        };
        best.keep(score, "PHP variable function call $f(...)");
    }
}

/// Whether byte `at` of `text` lies between a template's `{{` and its `}}`.
fn in_mustache(text: &str, at: usize) -> bool {
    let (before, after) = text.split_at(at);
    before.rfind("{{") > before.rfind("}}") && after.contains("}}")
}

/// A name and nothing else: `total` in `${ total }` (whitespace trimmed by the caller).
fn bare_name(inner: &[u8]) -> bool {
    !inner.is_empty() && inner.iter().all(|&c| super::is_ident(c))
}

/// Whether the arguments of a call read as words of prose: two words in a row (a token opening
/// with a letter, then another, the first no PHP keyword and not `x.` before a lower-case word,
/// which PHP joins: `i. d` is `id`), which PHP rejects, and none of the signs that only code
/// has (quotes, `$`, brackets, a backslash, `::`, `...`, a heredoc's `<<<`). A first word ending
/// in an operator or a comma (`id| id`, `system, id`) is joined to the next, not prose.
/// `(your home dir)`, `(incl. VAT)`, `(colon-separated; see below)` are; `(16)`, `(i.d)`,
/// `(id & whoami)`, `(new Foo)` and `('id')` are not.
fn prose_arguments(args: &str) -> bool {
    let code_sign = args.bytes().any(|c| {
        matches!(
            c,
            b'\'' | b'"' | b'`' | b'$' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'\\'
        )
    }) || args.contains("::")
        || args.contains("...")
        || args.contains("<<<");
    if code_sign {
        return false;
    }
    let word = |t: &str| t.chars().next().is_some_and(char::is_alphabetic);
    let mut prev: Option<&str> = None;
    for t in args.split_ascii_whitespace() {
        if let Some(p) = prev {
            let joined = p.ends_with('.') && t.starts_with(|c: char| c.is_lowercase());
            // `id| id`, `system, id`, `id?: x`: an operator or a comma joins the two.
            let ends_word = p.ends_with(|c: char| c.is_alphanumeric() || c == '.' || c == ';');
            let keyword = || {
                EXPRESSION_KEYWORDS
                    .iter()
                    .chain(&[&b"fn"[..], b"function", b"static", b"use", b"not"])
                    .any(|k| p.as_bytes().eq_ignore_ascii_case(k))
            };
            if word(p) && word(t) && ends_word && !joined && !keyword() {
                return true;
            }
        }
        prev = Some(t);
    }
    false
}

/// The original spelling of `part`, a slice of the view's lower-cased copy (same offsets).
fn original<'a>(v: &View<'a>, part: &str) -> &'a str {
    let start = part.as_ptr() as usize - v.lower.as_ptr() as usize;
    &v.text[start..start + part.len()]
}

/// Whether `lower` assigns the variable spelled `var` (`$f=`, `$f =`, not `$f==`).
fn assigns(lower: &str, var: &str) -> bool {
    lower.match_indices(var).any(|(p, _)| {
        let rest = lower[p + var.len()..].trim_start();
        rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
    })
}

/// Whether the `$` at `at` follows a word and spaces on the same line (`Hi $name`): an operand
/// right after another, which PHP rejects, unless the word is a keyword that an expression
/// follows. After a line break the word may end a comment (`#c` then `$f('id')`).
fn after_word(b: &[u8], at: usize) -> bool {
    let end = b[..at]
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    if end == at || end == 0 || b[end..at].iter().any(|&c| c == b'\n' || c == b'\r') {
        return false;
    }
    let start = b[..end]
        .iter()
        .rposition(|&c| !(super::is_ident(c) || c >= 0x80))
        .map_or(0, |p| p + 1);
    start < end && !EXPRESSION_KEYWORDS.contains(&&b[start..end])
}

/// PHP keywords an expression may follow (`echo $f(1)`, `<?php $f(1)`); lower case, as the
/// view is.
const EXPRESSION_KEYWORDS: &[&[u8]] = &[
    b"php",
    b"echo",
    b"print",
    b"return",
    b"new",
    b"clone",
    b"include",
    b"include_once",
    b"require",
    b"require_once",
    b"and",
    b"or",
    b"xor",
    b"as",
    b"case",
    b"else",
    b"yield",
    b"throw",
    b"instanceof",
    b"do",
    b"from",
];

/// The end (exclusive) of a `[...]` or `{...}` group starting at `at`, nesting counted; bounded.
fn balanced(b: &[u8], at: usize) -> Option<usize> {
    let (open, close) = match b.get(at)? {
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0usize;
    for (k, &c) in b[at..].iter().enumerate().take(128) {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                // An empty group (`$a[]`, `${}`) names nothing to call.
                return (k > 1).then_some(at + k + 1);
            }
        }
    }
    None
}

/// Stream wrappers that read the request body or run commands.
fn wrappers(v: &View, best: &mut Best) {
    const WRAPPERS: [(&str, f32); 14] = [
        ("php://input", 0.9),
        ("php://filter", 0.9),
        ("php://fd", 0.8),
        ("php://stdin", 0.8),
        ("expect://", 0.9),
        ("phar://", 0.8),
        ("ssh2.exec://", 0.9),
        ("ssh2.shell://", 0.9),
        ("ssh2.tunnel://", 0.8),
        ("ssh2.scp://", 0.8),
        ("ssh2.sftp://", 0.8),
        ("compress.zlib://", 0.7),
        ("compress.bzip2://", 0.7),
        ("glob://", 0.7),
    ];
    for (w, s) in WRAPPERS {
        if v.has(w) {
            best.keep_with(s, || format!("PHP stream wrapper {w}"));
        }
    }
}

/// `O:8:"stdClass":1:{...}`: a serialized PHP object whose declared name length matches.
fn serialized_object(v: &View, best: &mut Best) {
    // `O:` and `:"` lower-cased are in the copy wherever the object is in the value: its
    // byte pairs rule most values out without a search.
    if !(v.pairs.may_hold("o:") && v.pairs.may_hold(":\"")) {
        return;
    }
    let b = v.text.as_bytes();
    for at in sites(v.text, "O:").take(MAX_SITES) {
        if at > 0 && super::is_ident(b[at - 1]) {
            continue;
        }
        let rest = &v.text[at + 2..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(len) = rest[..digits].parse::<usize>() else {
            continue;
        };
        let Some(name) = rest[digits..].strip_prefix(":\"") else {
            continue;
        };
        if len == 0 || len > 128 || name.len() <= len {
            continue;
        }
        let Some(tail) = name.get(len..) else {
            continue;
        };
        let ident = name[..len]
            .bytes()
            .all(|c| super::is_ident(c) || c == b'\\');
        if ident && tail.starts_with("\":") {
            let t = &tail[2..];
            let n = t.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0 && t[n..].starts_with(":{") {
                best.keep(0.8, "serialized PHP object O:<len>:\"Class\":<n>:{");
            }
        }
    }
}

/// A quoted piece joined to the next one (PHP `.`, JavaScript `+`).
const JOINS: [&str; 8] = ["'.", "\".", "' .", "\" .", "'+", "\"+", "' +", "\" +"];

/// Callees built so that the function name never appears whole: `(sy.(st).em)(`,
/// `"sys"."tem"(`, `(string)"system"(`, `"\x73ystem"`, `'sys'.'tem'` assigned and called.
fn obfuscated_callee(v: &View, best: &mut Best) {
    let b = v.lower.as_bytes();
    let mut seen = 0;
    // Without a `(` (`v.calls`), no call: the search for one is skipped.
    let opens = v
        .lower
        .match_indices('(')
        .take(if v.calls { usize::MAX } else { 0 });
    for (open, _) in opens {
        if seen >= MAX_SITES {
            break;
        }
        // The callee ends right before this `(` (gaps allowed): `)`, a quote or a bracket.
        let mut end = open;
        while end > 0 && matches!(b[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
            end -= 1;
        }
        if end == 0 || !matches!(b[end - 1], b')' | b'"' | b'\'' | b']' | b'}') {
            continue;
        }
        seen += 1;
        let floor = end.saturating_sub(80);
        // Whether `b[start..end]` has a byte `squash` rejects, and a `\` or `/` (an escape or
        // a comment could consume it): with the first and not the second, the squashed
        // expression is empty and names nothing. Kept up as `start` moves left.
        let (mut rejected, mut hiding) = (false, false);
        for start in (floor..end).rev() {
            rejected |= squash_rejects(b[start]);
            hiding |= matches!(b[start], b'\\' | b'/');
            if !v.lower.is_char_boundary(start)
                || !matches!(b[start], b'(' | b'"' | b'\'' | b'{' | b'[')
                || (rejected && !hiding)
            {
                continue;
            }
            let expr = &v.lower[start..end];
            // `[name][0](`: an array literal indexed; a bare `[name](` is a markdown link.
            if b[start] == b'[' && !has(&squash_spaces(expr), "][") {
                continue;
            }
            let joined = squash(expr);
            if let Some(name) = EXECUTORS.iter().find(|n| joined == **n) {
                best.keep_with(0.9, || {
                    format!("obfuscated call of {name} (name assembled from pieces)")
                });
                break;
            }
        }
    }
    // String pieces concatenated into an executor name (assigned first, called later), or a
    // string spelling one with escapes.
    // Quotes and stops are ASCII: byte scans find what the `char` searches did, cheaper. A
    // piece read below is part of the value: when the value's byte pairs rule out every
    // join and escape, no quote needs reading (most quoted text, JSON).
    let quotes = memchr::memchr2_iter(b'\'', b'"', b);
    let pieces = JOINS.iter().chain(&["\\x"]).any(|j| v.pairs.may_hold(j));
    for at in quotes.take(if pieces { MAX_SITES * 2 } else { 0 }) {
        let window = super::head(&v.lower[at..], 80);
        let stop = window.as_bytes()[1..]
            .iter()
            .position(|c| matches!(c, b';' | b')' | b',' | b'=' | b'('))
            .map_or(window.len(), |p| p + 1);
        let run = &window[..stop];
        let joined_pieces = JOINS.iter().any(|j| has(run, j));
        if !joined_pieces && !has(run, "\\x") {
            continue;
        }
        let joined = squash(run);
        if let Some(name) = EXECUTORS.iter().find(|n| joined == **n) {
            best.keep_with(0.75, || {
                format!("executor name {name} assembled or escaped in a string")
            });
        }
    }
}

/// Punctuation [`squash`] drops from an expression (anything else but letters, digits, `_`
/// and escapes makes it give nothing).
const SQUASH_DROPS: &[u8] = b"'\".+()[]{} \t\n";

/// An ASCII byte that makes [`squash`] return nothing when it is neither in a comment nor
/// consumed by an escape: not whitespace (removed first), a letter, a digit, `_`, one of
/// [`SQUASH_DROPS`], nor one of `\`, `/`, `*` (escape and comment bytes).
fn squash_rejects(c: u8) -> bool {
    c.is_ascii()
        && !(c.is_ascii_alphanumeric()
            || c.is_ascii_whitespace()
            || c == 0x0b
            || matches!(c, b'_' | b'\\' | b'/' | b'*')
            || SQUASH_DROPS.contains(&c))
}

/// Letters of an expression with quotes, dots, brackets, casts, comments, spaces removed and
/// `\xNN` escapes resolved.
fn squash(expr: &str) -> String {
    let mut s = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(p) = find(rest, "/*") {
        s.push_str(&rest[..p]);
        rest = find(&rest[p + 2..], "*/").map_or("", |q| &rest[p + 2 + q + 2..]);
    }
    s.push_str(rest);
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let cast = removed(&s, "(string)");
    let index = removed(&cast, "[0]");
    let s = removed(&index, "{0}");
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'x') {
            chars.next();
            let h: String = chars.by_ref().take(2).collect();
            if let Ok(n) = u8::from_str_radix(&h, 16) {
                out.push(char::from(n).to_ascii_lowercase());
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !u8::try_from(c).is_ok_and(|c| SQUASH_DROPS.contains(&c)) {
            return String::new();
        }
        if out.len() > 40 {
            return String::new();
        }
    }
    out
}

/// `${'name'}`, `${$a}`, `$ {name}`: a variable whose name is computed. A quoted string or a
/// variable inside the braces, or whitespace between `$` and `{`, is PHP; a bare `${name}` is
/// also a shell or template placeholder and does not count.
fn variable_variables(v: &View, best: &mut Best) {
    let b = v.lower.as_bytes();
    for (at, _) in v.lower.match_indices('$').take(MAX_SITES * 2) {
        let gap = b[at + 1..]
            .iter()
            .take(32)
            .take_while(|c| c.is_ascii_whitespace())
            .count();
        let open = at + 1 + gap;
        if b.get(open) != Some(&b'{') {
            continue;
        }
        let Some(end) = balanced(b, open) else {
            continue;
        };
        let inner = v.lower[open + 1..end - 1].trim();
        let computed = inner.starts_with(['\'', '"', '$']);
        let spaced_name = gap > 0
            && !inner.is_empty()
            && inner.bytes().all(super::is_ident)
            && !inner.as_bytes()[0].is_ascii_digit();
        if computed && inner.len() > 1 + usize::from(!inner.starts_with('$')) {
            best.keep(0.75, "PHP variable variable ${...} with a computed name");
        } else if spaced_name {
            best.keep(0.6, "PHP variable variable $ {name}");
        }
    }
}

/// Code between `[php]...[/php]` or `{php}...{/php}` (Smarty and CMS plugins run it).
fn bbcode_tags(v: &View, best: &mut Best) {
    // Smarty runs whatever stands between `{php}` and `{/php}` (BBCode `[php]` only colours it).
    if let Some(at) = v.find("{php}") {
        if find(&v.lower[at + 5..], "{/php}")
            .is_some_and(|end| !v.lower[at + 5..at + 5 + end].trim().is_empty())
        {
            best.keep(0.75, "PHP code in a Smarty {php}...{/php} block");
        }
    }
    for (open, close) in [("[php]", "[/php]"), ("{php}", "{/php}")] {
        if let Some(at) = v.find(open) {
            if looks_like_php(&v.lower[at + open.len()..]) {
                best.keep_with(0.85, || format!("PHP code in a {open} block"));
            }
        }
        if let Some(at) = v.find(close) {
            let before = v.lower[..at].trim_end();
            let start = before.rfind([']', '}']).map_or(0, |p| p + 1);
            if looks_like_php(&before[start..]) && before.ends_with([';', ')', '"', '\'']) {
                best.keep_with(0.8, || format!("PHP code closed by {close}"));
            }
        }
    }
}

/// A PHP statement: `echo`/`print`/`include`..., a variable, or a call.
fn looks_like_php(body: &str) -> bool {
    let body = body.trim_start();
    [
        "echo ", "echo\"", "echo'", "print ", "include", "require", "eval", "system",
    ]
    .iter()
    .any(|k| body.starts_with(k))
        || body.starts_with('$')
        || super::has_call(super::head(body, 200))
}

/// Library functions attackers call once they run PHP: sockets for reverse shells, process
/// and user lookups, configuration changes, source disclosure. Their names are PHP's own.
pub(super) const LIBRARY: [&str; 15] = [
    "fsockopen",
    "pfsockopen",
    "stream_socket_client",
    "stream_socket_server",
    "curl_exec",
    "get_defined_functions",
    "get_defined_vars",
    "get_defined_constants",
    "php_uname",
    "putenv",
    "highlight_file",
    "show_source",
    "symlink",
    "assert_options",
    "move_uploaded_file",
];

/// A call of a [`LIBRARY`] function or a `posix_*` one with code-like arguments, or a value
/// that is nothing but such a call (or an unpacker's, `base64_decode()`).
fn library_calls(v: &View, best: &mut Best) {
    // `posix_getpwuid`, `posix_kill`...: every POSIX wrapper reveals or changes the process.
    let mut posix = Vec::new();
    for at in v.sites("posix_").take(MAX_SITES) {
        let n = v.lower[at..]
            .bytes()
            .take_while(|c| super::is_ident(*c))
            .count();
        posix.push(&v.lower[at..at + n]);
    }
    let names = LIBRARY.iter().chain(UNPACKERS.iter()).copied();
    for name in names.chain(posix) {
        for at in call_sites(v, name) {
            let unpacker = UNPACKERS.contains(&name);
            let Some(call) = call_at(v.lower, at + name.len()) else {
                continue;
            };
            let whole = v.lower[..at].trim().is_empty() && call.closed && {
                let a = call.after.trim();
                a.is_empty() || a == ";" || (a.starts_with('[') && a.len() < 12)
            };
            // Code-like arguments count where a statement starts: the value's start or after
            // `;` on one line (pasted source has assignments and many lines around calls).
            let before = v.lower[..at].trim_end();
            let statement = (before.is_empty() || before.ends_with(';')) && !v.lower.contains('\n');
            let code_args = matches!(call.arg, Arg::Quoted | Arg::Variable | Arg::Call);
            let score = if code_args && statement && !unpacker {
                0.8
            } else if whole && (name.contains('_') || unpacker) {
                0.7
            } else {
                continue;
            };
            best.keep_with(score, || {
                format!("call of PHP library function {name}(...)")
            });
        }
    }
}

/// `ini_set('allow_url_include', 1)`: switching off a protection PHP reads at run time.
fn ini_changes(v: &View, best: &mut Best) {
    const GUARDS: [&str; 6] = [
        "allow_url_include",
        "allow_url_fopen",
        "auto_prepend_file",
        "auto_append_file",
        "open_basedir",
        "disable_functions",
    ];
    for name in ["ini_set", "ini_alter"] {
        for at in call_sites(v, name) {
            if let Some(call) = call_at(v.lower, at + name.len()) {
                let a = call.args.trim_start().trim_start_matches(['\'', '"']);
                if let Some(g) = GUARDS.iter().find(|g| a.starts_with(*g)) {
                    best.keep_with(0.85, || format!("{name}(...) changing the guard {g}"));
                }
            }
        }
    }
}

/// Functions that call a callback by name, given an executor's name: `array_map('system',
/// $_GET)`, `usort($a, "assert")`, `register_shutdown_function('passthru', ...)`.
fn callbacks(v: &View, best: &mut Best) {
    const TAKERS: [&str; 14] = [
        "array_map",
        "array_filter",
        "array_walk",
        "array_reduce",
        "usort",
        "uasort",
        "uksort",
        "register_shutdown_function",
        "register_tick_function",
        "iterator_apply",
        "forward_static_call",
        "forward_static_call_array",
        "preg_replace_callback",
        "ob_start",
    ];
    for name in TAKERS {
        for at in call_sites(v, name) {
            let Some(call) = call_at(v.lower, at + name.len()) else {
                continue;
            };
            let named = EXECUTORS
                .iter()
                .any(|e| has(call.args, &format!("'{e}'")) || has(call.args, &format!("\"{e}\"")));
            if named {
                best.keep_with(0.9, || format!("{name}(...) given an executor as callback"));
            }
        }
    }
}

/// A value that is one call with a comment or a vertical tab between the name and its `(`:
/// `touch/*x*/()`, `symlink//c\n()`, `pi\x0b()`. Nothing but evasion puts them there.
fn hidden_calls(v: &View, best: &mut Best) {
    let t = v.lower.trim_start();
    let n = t.bytes().take_while(|c| super::is_ident(*c)).count();
    if n < 2 || t.as_bytes()[0].is_ascii_digit() {
        return;
    }
    let gap_end = super::skip_gap(t, n);
    let gap = &t[n..gap_end];
    // `#` after a space starts a shell-like comment or a heading in prose; glued to the name
    // it only hides the call.
    let hiding =
        has(gap, "/*") || has(gap, "//") || gap.starts_with('#') || gap.contains(['\x0b', '\x0c']);
    if !hiding {
        return;
    }
    if let Some(call) = call_at(t, n) {
        let after = call.after.trim();
        let code_args = matches!(
            call.arg,
            Arg::Empty | Arg::Quoted | Arg::Variable | Arg::Call
        );
        if call.closed && code_args && (after.is_empty() || after == ";") {
            best.keep(0.75, "call with a comment hiding it between name and (");
        }
    }
}

/// Anywhere in the value, for the functions attackers call: `gzinflate/*x*/(...)` inside a
/// sentence is still a call hidden from filters that look for `name(`.
fn hidden_named_calls(v: &View, best: &mut Best) {
    if !v.has("/*") {
        return;
    }
    let names = EXECUTORS
        .iter()
        .chain(UNPACKERS.iter())
        .chain(LIBRARY.iter());
    for name in names {
        for at in call_sites(v, name) {
            let end = at + name.len();
            let open = super::skip_gap(v.lower, end);
            if !has(&v.lower[end..open], "/*") {
                continue;
            }
            if call_at(v.lower, end).is_some_and(|c| c.closed) {
                best.keep_with(0.75, || {
                    format!("call of {name} hidden by a comment before its (")
                });
            }
        }
    }
}

/// `s` with every (non-overlapping, leftmost) occurrence of `piece` removed, as
/// `s.replace(piece, "")` without its searcher setup, and borrowed when `piece` is absent.
fn removed<'s>(s: &'s str, piece: &str) -> Cow<'s, str> {
    let mut pieces = sites(s, piece).peekable();
    if pieces.peek().is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for at in pieces {
        out.push_str(&s[last..at]);
        last = at + piece.len();
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// `expr` without ASCII whitespace (bounded by the callee window the caller passes).
fn squash_spaces(expr: &str) -> String {
    expr.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use crate::detect::code_injection::inspect;

    /// A byte `squash_rejects` in an expression without `\` or `/` squashes it to nothing,
    /// as `obfuscated_callee` assumes when it skips such expressions.
    #[test]
    fn rejected_bytes_squash_to_nothing() {
        const PIECES: [&str; 22] = [
            "sys", "tem", "'", "\"", ".", "+", "(", ")", "[0]", "{0}", "(string)", " ", "\t",
            "\u{a0}", ",", ";", "=", "$", "-", "é", "*", ":",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x5A11_A5E5_0B5C_0DE1);
        let (mut skipped, mut named) = (0, 0);
        for _ in 0..30_000 {
            let t = rng.pieces(&PIECES, 8);
            let squashed = super::squash(&t);
            named += usize::from(squashed == "system");
            if t.bytes().any(super::squash_rejects) {
                skipped += 1;
                assert_eq!(squashed, "", "{t:?}");
            }
        }
        assert!(skipped > 10_000 && named > 50, "{skipped} {named}");
    }

    fn flagged(s: &str) -> bool {
        inspect(s).is_some()
    }

    #[test]
    fn odd_open_tags() {
        for s in [
            "<?xml :echo 1;",
            "<?xml:echo 1;",
            "<?xml\t:print 'x';",
            "<?xml\n:fputs($fh, 'x');",
            "<?foo: system('id');",
            "<?xml :readfile ($f);",
            "payload<?",
            "<?",
        ] {
            assert!(flagged(s), "missed {s:?}");
        }
        for s in [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
            "<?xml:namespace prefix = o ns = \"urn:schemas-microsoft-com:office:office\" />",
            "<?xml:namespace prefix=o /><p style=\"color: rgb(0,0,0)\">x&nbsp;y</p>",
            "<?xml-stylesheet type=\"text/xsl\" href=\"s.xsl\"?>",
            "<?xpacket begin=\"\" id=\"W5M\"?>",
            "Is this a test? What do you think?",
            "x < y ? a : b",
            "&lt;? should not trigger",
        ] {
            assert!(!flagged(s), "flagged {s:?}");
        }
    }

    #[test]
    fn smarty_php_blocks() {
        assert!(flagged("{php}anything{/php}"));
        assert!(flagged("{PHP} x {/PHP}"));
        assert!(!flagged("{php}{/php}"));
        assert!(!flagged("tags: {php} and {python}"));
        assert!(!flagged("[php]hello world[/php]"));
    }

    #[test]
    fn superglobal_assignment() {
        assert!(flagged("$_COOKIE=value;"));
        assert!(flagged("$_GET = array();"));
        assert!(!flagged("$_COOKIE == value"));
        assert!(!flagged("the $_GET array holds query parameters"));
        assert!(!flagged("$_GETTER=1;"));
    }

    #[test]
    fn phpinfo_with_an_argument() {
        assert!(flagged("phpinfo(INFO_ALL)"));
        assert!(flagged("phpinfo(-1);"));
        assert!(!flagged("see phpinfo(INFO_ALL) output in the docs"));
    }

    #[test]
    fn directives_reach_the_php_rules() {
        for s in [
            "allow_url_include=On",
            "engine=true",
            "memory_limit = 512M",
            "opcache.jit_max_polymorphic_calls=50",
        ] {
            assert!(flagged(s), "missed {s:?}");
        }
        for s in ["timezone=UTC", "debug=true", "mode=on", "page=2&sort=asc"] {
            assert!(!flagged(s), "flagged {s:?}");
        }
    }
}
