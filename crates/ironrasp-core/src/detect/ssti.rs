//! Server-side template injection. The value is searched for template delimiters of the common
//! engines — `{{ }}` `{% %}` (Jinja, Twig, Django, Nunjucks, Handlebars), `${ }` (FreeMarker,
//! Velocity, Mako, EL, Thymeleaf), `#{ }` `*{ }` (Ruby, Spring), `<%= %>` `<% %>` (ERB, EJS),
//! `@( )` (Razor), `[[ ]]` (Thymeleaf inlining) — and the *content* between them decides:
//! arithmetic probes (`7*7`), Python dunder chains, template-global objects (`config`, `self`,
//! `request`, `lipsum`, `cycler`), calls of code-execution APIs, dangerous filters, directive
//! tags. A placeholder that is a plain name or property path (`{{ name }}`, `${price}`,
//! `{{ user.email }}`) is what templates legitimately contain, so it is not flagged.
//! Delimiter-free engines are matched by their directive syntax (`<#assign`, `#set(`,
//! `$class.inspect`).

use crate::check::Check;
use crate::detect::needle::starts_with_nocase;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// Delimited expressions examined per value.
const MAX_EXPRS: usize = 64;
/// Bytes of one expression examined.
const MAX_CONTENT: usize = 2048;

/// Delimiters: opener, closer, engine family.
const DELIMS: [(&str, &str, &str); 10] = [
    ("{{", "}}", "{{ }}"),
    ("{%", "%}", "{% %}"),
    ("${", "}", "${ }"),
    ("#{", "}", "#{ }"),
    ("*{", "}", "*{ }"),
    ("<%", "%>", "<% %>"),
    ("@(", ")", "@( )"),
    ("[[", "]]", "[[ ]]"),
    ("{#", "#}", "{# #}"),
    ("{$", "}", "Smarty {$ }"),
];

/// Calls and names that reach code execution, file access or reflection from a template.
const EXEC_WORDS: [&str; 57] = [
    "popen",
    ".mro(",
    "subclasses(",
    ".__",
    "dump(",
    "include(",
    "source(",
    "_context",
    "file_excerpt",
    "%x",
    "subprocess",
    "os.system",
    "system(",
    "exec(",
    "eval(",
    "execute(",
    ".execute",
    "getruntime",
    "runtime",
    "processbuilder",
    "forname(",
    "getclass",
    "classloader",
    "newinstance",
    "t(java.",
    "freemarker.template.utility",
    "objectconstructor",
    "?new(",
    "child_process",
    "require(",
    "mainmodule",
    "process.",
    "spawn",
    "shell_exec",
    "passthru",
    "call_user_func",
    "registerundefinedfiltercallback",
    "getfilter(",
    "file_get_contents",
    "file_put_contents",
    "readfile",
    "open3",
    "open4",
    "io.popen",
    "kernel.",
    "file.read",
    "file.open",
    "dir.entries",
    "constructor.constructor",
    "import(",
    "importlib",
    "from_pyfile",
    "read()",
    "methodclosure",
    ".inspect",
    "system.getenv",
    "getattribute(",
];

/// Python attributes that only reflection chains use.
const DUNDERS: [&str; 11] = [
    "__class__",
    "__mro__",
    "__subclasses__",
    "__globals__",
    "__builtins__",
    "__import__",
    "__init__",
    "__base__",
    "__bases__",
    "__getattribute__",
    "__dict__",
];

/// Objects every Jinja/Twig/Mako/Django template can reach and that lead to the runtime.
/// `request`, `session` and `url_for` are left out: real templates walk them all the time.
const TEMPLATE_GLOBALS: [&str; 10] = [
    "config",
    "self",
    "_self",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "settings",
    "smarty",
    "_",
];

pub fn inspect(text: &str) -> Option<Finding> {
    let b = text.as_bytes();
    let bytes = template_bytes(b);
    if !may_hold_template(b, bytes) {
        return None;
    }
    let mut best: Option<(f32, String)> = None;
    let mut keep = |score: f32, why: String| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    let mut seen = 0;
    // Every opener holds a `{`, `[`, `@` or `%`.
    let present = if bytes & gate::DELIMITER != 0 {
        openers_present(b)
    } else {
        0
    };
    for (k, (open, close, family)) in DELIMS.iter().enumerate() {
        if present & (1 << k) == 0 {
            continue;
        }
        let mut from = 0;
        while let Some(off) = find_opener(&b[from..], open.as_bytes()) {
            if seen >= MAX_EXPRS {
                break;
            }
            seen += 1;
            let start = from + off + open.len();
            from = start;
            let Some(content) = enclosed(&text[start..], open, close) else {
                // Unclosed (truncated or split payload): only unmistakable content counts.
                if let Some((score, why)) = judge_unclosed(&text[start..], open) {
                    keep(score, ["unclosed ", family, " expression ", &why].concat());
                }
                continue;
            };
            if let Some((score, why)) = judge(content, open) {
                keep(score, [family, " expression ", &why].concat());
            }
        }
    }
    if let Some((score, why)) = directives(text, bytes) {
        keep(score, why);
    }
    if let Some((score, why)) = bare_dunder_chain(text) {
        keep(score, why);
    }
    if let Some((score, why)) = super::ssti_lone_tag::judge(text) {
        keep(score, why);
    }
    let (score, why) = best?;
    (score >= THRESHOLD).then(|| Finding::new(Check::Ssti, score, why))
}

/// Whether any rule can match: every delimiter starts with `{`, `[`, `@` or (`<%`) holds `%`,
/// the directives need `#`, `$` or the FreeMarker package name, the bare chain needs `__`.
/// Ordinary values (user agents, URLs, prose) have none of these and cost three byte scans.
/// `bytes` are the [`template_bytes`] of `b`.
fn may_hold_template(b: &[u8], bytes: u8) -> bool {
    // The name and the dunder are looked for only when their bytes are there.
    bytes & (gate::DELIMITER | gate::HASH | gate::DOLLAR) != 0
        || (bytes & gate::UNDERSCORE != 0 && has_double_underscore(b))
        || (bytes & gate::FREEMARKER == gate::FREEMARKER && names_freemarker(b))
}

/// The [`gate`] flags of the bytes of `b`, in one pass instead of a search per byte (each
/// search costs more than the pass on short values).
fn template_bytes(b: &[u8]) -> u8 {
    b.iter().fold(0, |m, &c| m | gate::TABLE[usize::from(c)])
}

/// Byte flags for [`may_hold_template`], the openers and the directives.
mod gate {
    pub const DELIMITER: u8 = 1;
    pub const UNDERSCORE: u8 = 1 << 1;
    pub const DOT: u8 = 1 << 2;
    pub const F: u8 = 1 << 3;
    pub const K: u8 = 1 << 4;
    pub const Y: u8 = 1 << 5;
    pub const HASH: u8 = 1 << 6;
    pub const DOLLAR: u8 = 1 << 7;
    /// Bytes `freemarker.template.utility` holds in any case.
    pub const FREEMARKER: u8 = DOT | F | K | Y;

    pub static TABLE: [u8; 256] = crate::detect::prefilter::byte_classes(&[
        (b"{[@%", DELIMITER),
        (b"#", HASH),
        (b"$", DOLLAR),
        (b"_", UNDERSCORE),
        (b".", DOT),
        (b"fF", F),
        (b"kK", K),
        (b"yY", Y),
    ]);
}

/// A bit per entry of [`DELIMS`] whose opener occurs in `b`, found in one pass so that
/// absent openers cost no substring search.
fn openers_present(b: &[u8]) -> u16 {
    /// The first bytes of the openers: every other byte costs one table look-up.
    static FIRST: [bool; 256] = crate::detect::prefilter::byte_set(b"{$#*<@[");
    let mut present = 0u16;
    for (i, &c) in b.iter().enumerate() {
        if !FIRST[usize::from(c)] {
            continue;
        }
        let Some(&next) = b.get(i + 1) else {
            break;
        };
        let k = match (c, next) {
            (b'{', b'{') => 0,
            (b'{', b'%') => 1,
            (b'$', b'{') => 2,
            (b'#', b'{') => 3,
            (b'*', b'{') => 4,
            (b'<', b'%') => 5,
            (b'@', b'(') => 6,
            (b'[', b'[') => 7,
            (b'{', b'#') => 8,
            (b'{', b'$') => 9,
            _ => continue,
        };
        present |= 1 << k;
    }
    present
}

/// The first occurrence of an opener (two ASCII bytes, as every one in [`DELIMS`]), found by
/// its first byte instead of a substring searcher.
fn find_opener(h: &[u8], open: &[u8]) -> Option<usize> {
    memchr::memchr_iter(open[0], h).find(|&i| h.get(i + 1) == Some(&open[1]))
}

/// `__` anywhere: what every dunder needs, without building a substring searcher.
fn has_double_underscore(b: &[u8]) -> bool {
    memchr::memchr_iter(b'_', b).any(|i| b.get(i + 1) == Some(&b'_'))
}

/// `freemarker.template.utility` in any case.
fn names_freemarker(b: &[u8]) -> bool {
    memchr::memchr_iter(b'.', b).any(|i| names_freemarker_dot(b, i))
}

/// `freemarker.template.utility` in any case whose first `.` is at `dot`: dots are rarer than
/// the letter f, so the name is looked for only there.
fn names_freemarker_dot(b: &[u8], dot: usize) -> bool {
    dot >= FREEMARKER_DOT && names_freemarker_at(b, dot - FREEMARKER_DOT)
}

/// Where the first `.` of `freemarker.template.utility` is.
const FREEMARKER_DOT: usize = "freemarker".len();

/// `freemarker.template.utility` in any case at `i`.
fn names_freemarker_at(b: &[u8], i: usize) -> bool {
    const FREEMARKER: &[u8] = b"freemarker.template.utility";
    b.get(i..i + FREEMARKER.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(FREEMARKER))
}

/// Whether `needle` (not empty) occurs in `h`: the same answer as `str::contains`, found from
/// its first byte. The standard searcher builds a table per call, which costs more than the
/// search itself on the short expressions read here.
fn has(h: &str, needle: &str) -> bool {
    let (h, n) = (h.as_bytes(), needle.as_bytes());
    if h.len() >= SHORT {
        return memchr::memchr_iter(n[0], h).any(|i| h[i..].starts_with(n));
    }
    // A vectorised search costs more to start than this loop on a short text.
    h.len() >= n.len()
        && (0..=h.len() - n.len())
            .any(|i| h[i] == n[0] && h[i..].iter().zip(n).all(|(x, y)| x == y))
}

/// Texts shorter than this are searched byte by byte.
const SHORT: usize = 64;

/// The text up to the closer that balances the opener (braces and parentheses nest), bounded.
fn enclosed<'a>(rest: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let limit = rest.len().min(MAX_CONTENT);
    let b = rest.as_bytes();
    let (inc, dec) = match open.as_bytes()[open.len() - 1] {
        b'{' => (b'{', b'}'),
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        _ => (0, 0),
    };
    let mut depth = 0usize;
    let mut i = 0;
    while i < limit {
        // The closer is ASCII, so a byte match is always at a char boundary. Its first byte
        // is compared first: a slice comparison per byte costs a call.
        let c = b[i];
        if depth == 0 && c == close.as_bytes()[0] && b[i..].starts_with(close.as_bytes()) {
            return Some(&rest[..i]);
        }
        if inc != 0 && c == inc {
            depth += 1;
        } else if inc != 0 && c == dec && depth > 0 {
            depth -= 1;
        }
        i += 1;
    }
    None
}

/// Scores the content of one delimited expression.
fn judge(content: &str, open: &str) -> Option<(f32, String)> {
    let c = content
        .trim()
        .trim_start_matches(['=', '-', '+', '~'])
        .trim();
    if c.is_empty() {
        return None;
    }
    let lower = c.to_ascii_lowercase();
    let lb = lower.as_bytes();
    if has_double_underscore(lb) {
        if let Some(d) = DUNDERS.iter().find(|d| has(&lower, d)) {
            return Some((0.95, format!("with Python reflection attribute {d}")));
        }
    }
    if let Some(found) = super::ssti_rebuilt_names::judge(&lower, &DUNDERS) {
        return Some(found);
    }
    // `{% print config %}`, `{%print(self)%}`: Jinja's print statement is an expression tag.
    let word_after = |x: &u8| x.is_ascii_alphanumeric() || *x == b'_';
    if open == "{%" && lower.starts_with("print") && !lb.get(5).is_some_and(word_after) {
        let arg = c[5..].trim();
        let arg = arg
            .strip_prefix('(')
            .and_then(|a| a.strip_suffix(')'))
            .unwrap_or(arg);
        return judge(arg, "{{").map(|(s, why)| (s, format!("{{% print %}} {why}")));
    }
    // A word can only occur if its first byte does: one pass instead of a searcher per word.
    let mut bytes = [false; 256];
    for &x in lb {
        bytes[x as usize] = true;
    }
    // Words like "runtime" or "spawn" need a call or attribute access to mean code: without
    // one the words are not searched for.
    let reached = bytes[usize::from(b'(')] || bytes[usize::from(b'.')] || bytes[usize::from(b'[')];
    if let Some(w) = EXEC_WORDS.iter().find(|w| {
        reached && w.len() <= lb.len() && bytes[w.as_bytes()[0] as usize] && has(&lower, w)
    }) {
        return Some((0.9, format!("calling code-execution API '{w}'")));
    }
    if is_arithmetic(c) || is_filter_arithmetic(c) {
        return Some((0.85, ["evaluating arithmetic '", short(c), "'"].concat()));
    }
    if method_on_literal(c) {
        return Some((
            0.6,
            ["calling a method on a literal '", short(c), "'"].concat(),
        ));
    }
    if let Some(g) = leading_global(&lower) {
        let rest = lower[g.len()..].trim_start();
        if rest.is_empty() {
            let score = if matches!(g, "config" | "self" | "_self" | "settings") {
                0.6
            } else {
                0.4
            };
            return Some((score, format!("dumping template global '{g}'")));
        }
        if rest.starts_with(['.', '|', '[']) {
            return Some((0.8, format!("walking template global '{g}'")));
        }
    }
    if let Some(g) = inner_global_walk(&lower) {
        return Some((0.75, format!("walking template global '{g}'")));
    }
    if let Some(f) = dangerous_filter(&lower) {
        return Some((0.8, format!("applying filter '{f}' with a callable name")));
    }
    if let Some(name) = quoted_executor(&lower) {
        return Some((0.9, format!("passing executor name '{name}' as a callable")));
    }
    if let Some(found) = super::ssti_object_walk::judge(&lower, open) {
        return Some(found);
    }
    if open == "{{" && handlebars_gadget(&lower) {
        return Some((
            0.85,
            "Handlebars helper reaching constructor or Function.apply".to_string(),
        ));
    }
    if open == "{%" {
        return statement_tag(&lower);
    }
    if open == "<%" && constant_condition(&lower) {
        return Some((0.6, "control tag with a constant condition".to_string()));
    }
    if open == "<%" {
        // ERB/EJS scriptlets that call anything run code.
        if lower.contains('(') || lower.contains('`') {
            return Some((0.7, ["running scriptlet '", short(c), "'"].concat()));
        }
        return None;
    }
    if lower.contains('`') && open != "{{" {
        return Some((0.75, "running a backtick command".to_string()));
    }
    // A method call with an argument list in an expression context (`${x.toString()}`,
    // `#{obj.method('a')}`) goes beyond what a placeholder needs; weak for `{{ }}` where
    // client-side frameworks write calls too.
    if has_call(&lower) && matches!(open, "${" | "#{" | "*{" | "@(") {
        return Some((0.55, ["calling a method '", short(c), "'"].concat()));
    }
    None
}

/// A quoted string that is exactly the name of a command or code executor, inside an
/// expression that calls something: `filter(0,0,1024,{'options':'system'})`,
/// `['id']|map('system')`. Templates have no reason to name these functions as data.
fn quoted_executor(lower: &str) -> Option<&'static str> {
    const NAMES: [&str; 8] = [
        "system",
        "exec",
        "passthru",
        "shell_exec",
        "popen",
        "eval",
        "assert",
        "proc_open",
    ];
    if !lower.contains('(') {
        return None;
    }
    let b = lower.as_bytes();
    // `'name'` or `"name"`: the name right after a quote and the same quote right after it.
    let quoted = |n: &str, q: u8| {
        memchr::memchr_iter(q, b)
            .any(|i| b[i + 1..].starts_with(n.as_bytes()) && b.get(i + 1 + n.len()) == Some(&q))
    };
    NAMES
        .into_iter()
        .find(|n| quoted(n, b'\'') || quoted(n, b'"'))
}

/// Handlebars sandbox escapes: `lookup ... "constructor"`, `(string.sub.apply 0 x)`,
/// `this.push (lookup ...)`.
fn handlebars_gadget(lower: &str) -> bool {
    (has(lower, "lookup") && has(lower, "constructor"))
        || has(lower, ".apply ")
        || has(lower, "string.sub")
        || (lower.starts_with("this.push") && lower.contains('('))
}

/// `7*7`, `7*'7'`, `3 * 3`, `1+1`: numbers (possibly quoted) joined by operators.
fn is_arithmetic(c: &str) -> bool {
    if c.len() > 64 {
        return false;
    }
    let mut numbers = 0;
    let mut ops = 0;
    let mut in_num = false;
    for ch in c.chars() {
        match ch {
            '0'..='9' => {
                if !in_num {
                    numbers += 1;
                }
                in_num = true;
            }
            '.' if in_num => {}
            '*' | '+' | '-' | '/' | '%' | '^' => {
                ops += 1;
                in_num = false;
            }
            ' ' | '\'' | '"' | '(' | ')' => in_num = false,
            _ => return false,
        }
    }
    numbers >= 2 && ops >= 1
}

fn leading_global(lower: &str) -> Option<&'static str> {
    TEMPLATE_GLOBALS.iter().copied().find(|g| {
        lower.starts_with(g)
            && !lower[g.len()..].starts_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '_')
    })
}

/// A template global used anywhere in the expression (`for k, v in config.items()`), not as
/// an attribute of something else (`user.config`).
fn inner_global_walk(lower: &str) -> Option<&'static str> {
    let b = lower.as_bytes();
    let walk = |c: &u8| matches!(c, b'.' | b'|' | b'[');
    // A global only counts right before one of these bytes: a global that never ends right
    // before one is not searched for at all.
    let ends = || {
        b.iter()
            .enumerate()
            .filter(|(_, c)| walk(c))
            .map(|(i, _)| i)
    };
    ends().next()?;
    for g in TEMPLATE_GLOBALS.iter().filter(|g| g.len() > 1) {
        if !ends().any(|e| b[..e].ends_with(g.as_bytes())) {
            continue;
        }
        for (i, _) in lower.match_indices(*g).take(16) {
            let before_ok =
                i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b'_'));
            let after = b.get(i + g.len()).copied();
            if before_ok && matches!(after, Some(b'.' | b'|' | b'[')) {
                return Some(g);
            }
        }
    }
    None
}

/// `|attr(`, `|map(`, `|filter(`, `|sort(`, `|reduce(` with a quoted argument: filters that
/// resolve a name given as a string, the way sandbox escapes reach blocked attributes.
fn dangerous_filter(lower: &str) -> Option<&'static str> {
    const FILTERS: [&str; 6] = ["attr", "map", "filter", "sort", "reduce", "format"];
    for (i, _) in lower.match_indices('|') {
        let rest = lower[i + 1..].trim_start();
        for f in FILTERS {
            if let Some(after) = rest.strip_prefix(f) {
                let after = after.trim_start();
                if after.starts_with('(')
                    && (after[1..].trim_start().starts_with(['\'', '"', '['])
                        || after.contains("request"))
                {
                    return Some(f);
                }
            }
        }
    }
    None
}

/// `{% ... %}` tags: assignments, imports, debugging and loops over callables are probes;
/// ordinary control tags (`if`, `for`, `block`) alone are kept below the threshold.
fn statement_tag(lower: &str) -> Option<(f32, String)> {
    let word: String = lower
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let (score, what) = match word.as_str() {
        "debug" => (0.8, "dumping the template context"),
        // Importing another template file (`{% from "_forms.html" import x %}`) is ordinary;
        // importing a bare module name is not.
        "import" | "from" | "load" if !lower.contains(['"', '\'']) => (0.7, "importing a module"),
        "import" | "from" | "load" => (0.4, "importing a template"),
        "set" | "with" => (0.4, "assigning a variable"),
        "include" | "extends" | "macro" | "call" | "filter" => {
            (0.4, "including or defining template code")
        }
        "if" | "elif" if constant_condition(lower) => {
            (0.6, "control tag with a constant condition")
        }
        "for" | "if" | "elif" | "block" => (0.4, "control tag"),
        _ => return None,
    };
    Some((score, format!("{{% {word} %}} tag {what}")))
}

/// `364|add:733`: a number run through a numeric filter, the Django-style arithmetic probe.
fn is_filter_arithmetic(c: &str) -> bool {
    let Some((left, right)) = c.split_once('|') else {
        return false;
    };
    let num = |s: &str| !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit());
    let Some((filter, arg)) = right.split_once(':') else {
        return false;
    };
    num(left) && num(arg) && filter.trim().bytes().all(|b| b.is_ascii_alphabetic())
}

/// `'a'.toUpperCase()`, `[].pop()`: a literal used as an object.
fn method_on_literal(c: &str) -> bool {
    let rest = if let Some(q) = c.chars().next().filter(|q| matches!(q, '\'' | '"')) {
        match c[1..].find(q) {
            Some(p) => &c[p + 2..],
            None => return false,
        }
    } else if let Some(r) = c.strip_prefix("[]") {
        r
    } else {
        return false;
    };
    rest.starts_with('.') && rest.contains('(')
}

/// `if True`, `if 1`, `if 1==1`: a condition that only a probe would write.
fn constant_condition(lower: &str) -> bool {
    let cond = lower
        .trim()
        .trim_start_matches("elif")
        .trim_start_matches("if")
        .trim();
    matches!(cond, "true" | "false" | "1" | "0")
        || (cond.contains("==")
            && cond
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'=' || b == b' '))
}

/// Content of an expression whose closer is missing: only reflection or code-execution words.
/// `<%s` and `{%d` are printf conversions in code (`'<%s>' % x.__class__.__name__`), not tags.
fn judge_unclosed(rest: &str, open: &str) -> Option<(f32, String)> {
    if open.ends_with('%') && printf_conversion(rest) {
        return None;
    }
    let mut end = rest.len().min(MAX_CONTENT);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let lower = rest[..end].to_ascii_lowercase();
    if let Some(d) = DUNDERS.iter().find(|d| has(&lower, d)) {
        return Some((0.8, format!("with Python reflection attribute {d}")));
    }
    const STRONG: [&str; 5] = [
        "getruntime",
        "processbuilder",
        ".exec(",
        "popen(",
        "forname(",
    ];
    STRONG
        .iter()
        .find(|w| has(&lower, w))
        .map(|w| (0.8, format!("calling code-execution API '{w}'")))
}

/// `s`, `d`, `r`, `.2f`, `-10s` right after a `%`: a printf conversion, not a template tag.
fn printf_conversion(rest: &str) -> bool {
    let spec = rest.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '.'));
    let mut chars = spec.chars();
    matches!(
        chars.next(),
        Some('s' | 'd' | 'r' | 'f' | 'x' | 'i' | 'o' | 'c' | 'e' | 'g')
    ) && !chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn has_call(lower: &str) -> bool {
    let b = lower.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'(' && i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        && lower.contains('.')
}

/// Directive syntax of engines without expression delimiters around the attack. `bytes` are
/// the [`template_bytes`] of the text.
fn directives(text: &str, bytes: u8) -> Option<(f32, String)> {
    // Each rule needs `#`, `$` or the FreeMarker package name: skip the searches of the rules
    // whose byte is missing.
    let b = text.as_bytes();
    let hash = bytes & gate::HASH != 0;
    let dollar = bytes & gate::DOLLAR != 0;
    let freemarker = bytes & gate::FREEMARKER == gate::FREEMARKER && names_freemarker(b);
    if !hash && !dollar && !freemarker {
        return None;
    }
    // ASCII case is ignored in place instead of in a lower-cased copy: lower-casing changes
    // only ASCII letters, byte for byte, and every word below is lower-case ASCII.
    let mut best: Option<(f32, String)> = None;
    let mut take = |s: f32, w: &str| {
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, w.to_string()));
        }
    };
    if freemarker {
        take(
            0.95,
            "FreeMarker utility class (Execute/ObjectConstructor) named",
        );
    }
    let directive = if hash { find_opener(b, b"<#") } else { None };
    if let Some(p) = directive {
        let rest = &b[p + 2..];
        for d in [
            "assign", "list", "include", "import", "setting", "attempt", "function",
        ] {
            if starts_with_nocase(rest, d.as_bytes()) {
                let s = if has_nocase(b, b"?new") || has_nocase(b, b"exec") {
                    0.95
                } else {
                    0.7
                };
                take(s, "FreeMarker directive <#");
            }
        }
    }
    // Velocity: #set( $x = ... ), #foreach, $class.inspect / $class.type reflection.
    if hash && dollar {
        for d in ["#set(", "#set (", "#foreach(", "#evaluate("] {
            if has_nocase(b, d.as_bytes()) {
                take(0.75, "Velocity directive with a reference");
            }
        }
    }
    if memchr::memchr_iter(b'$', b).any(|i| {
        starts_with_nocase(&b[i..], b"$class.inspect")
            || starts_with_nocase(&b[i..], b"$class.type")
    }) {
        take(0.9, "Velocity $class reflection");
    }
    best
}

/// Whether `lower` (lower-case ASCII, not empty) occurs in `h` in any ASCII case.
fn has_nocase(h: &[u8], lower: &[u8]) -> bool {
    memchr::memchr2_iter(lower[0], lower[0].to_ascii_uppercase(), h)
        .any(|i| starts_with_nocase(&h[i..], lower))
}

/// Outside any delimiter: a chain of several rare reflection dunders is template or code
/// injection (`''.__class__.__mro__[1].__subclasses__()`); one common dunder (`__init__`) is
/// ordinary Python.
fn bare_dunder_chain(text: &str) -> Option<(f32, String)> {
    const RARE: [&str; 6] = [
        "__mro__",
        "__subclasses__",
        "__globals__",
        "__builtins__",
        "__import__",
        "__base__",
    ];
    // Every name starts with `__`: one pass over the `__` of the text marks which occur (a bit
    // per name of RARE, then one for `__class__`), instead of one search per name.
    let b = text.as_bytes();
    let mut seen = 0u8;
    for i in memchr::memchr_iter(b'_', b).filter(|&i| b.get(i + 1) == Some(&b'_')) {
        for (k, d) in RARE.iter().chain(&["__class__"]).enumerate() {
            if b[i..].starts_with(d.as_bytes()) {
                seen |= 1 << k;
            }
        }
    }
    let n = (seen & 0b11_1111).count_ones();
    let has_class = seen & 1 << RARE.len() != 0;
    (n >= 2 || (n >= 1 && has_class)).then(|| {
        (
            0.7,
            "Python reflection chain of dunder attributes".to_string(),
        )
    })
}

/// The first 40 characters, borrowed: evidence quotes them without a copy per character.
fn short(s: &str) -> &str {
    s.char_indices().nth(40).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn probes_and_exploits() {
        for s in [
            "{{7*7}}",
            "${7*7}",
            "#{7*7}",
            "*{7*7}",
            "@(7*7)",
            "[[7*7]]",
            "<%= 7*7 %>",
            "{{7*'7'}}",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ config.items() }}",
            "{% for key, value in config.items() %}",
            "{{'a'.toUpperCase()}}",
            "{{364|add:733}}",
            "{% if 1==1 %}49{% endif %}",
            "${ @ASTTest(value={assert java.lang.Runtime.getRuntime().exec(\"id\")})",
            "{{config}}",
            "{{ self._TemplateReference__context }}",
            "{{ lipsum.__globals__['os'].popen('id').read() }}",
            "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
            "{{ request|attr('application') }}",
            "{{['id']|filter('system')}}",
            "${T(java.lang.Runtime).getRuntime().exec('id')}",
            "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
            "#set($x = $class.inspect(\"java.lang.Runtime\"))",
            "<%= `id` %>",
            "<%= system('id') %>",
            "{% debug %}",
            "{% import os %}",
            "#{runtime.exec('id')}",
            "${\"\".getClass().forName(\"java.lang.Runtime\")}",
            "{{constructor.constructor('alert(1)')()}}",
            "''.__class__.__mro__[2].__subclasses__()",
            "{{this.pop}}",
            "{{#with string.split as |codelist|}}",
            "{{ messages.storages.0.signer.key }}",
            "{{/each}}",
            "<%= x.__class__.__mro__",
            // Names built from pieces or taken from the request; Jinja's print statement.
            "{{''['__cla'+'ss__']['__mr'+'o__'][1]['__subcla'+'sses__']()}}",
            "{%set a=dict(__cla=1,ss__=1)|join%}{{()|attr(a)}}",
            "{{''[\"\\137\\137class\\137\\137\"]}}",
            "{{()[request.args.a][request.args.b][0][request.args.c]()}}",
            "{{(()|select|string)[24]~(()|select|string)[24]}}",
            "{%print(config)%}",
            "{% print self %}",
        ] {
            assert!(flagged(s), "{s}");
        }
    }

    #[test]
    fn placeholders_and_code_pass() {
        for s in [
            "{{ name }}",
            "Hello {{ user.first_name }}, your order {{ order.id }} shipped",
            "{{#each items}}{{this}}{{/each}}",
            "{{#each posts}}<h2>{{this.title}}</h2>{{/each}}",
            "{{ user.config.theme }}",
            "${price}",
            "The total is ${price} plus tax",
            "{\"a\": {\"b\": 1}}",
            "body { color: #074024; } .a { margin: 0 }",
            "function f() { return a * b; }",
            "{% if user %}Hi{% endif %}",
            "<input value=\"{{ request.args.get('next', '') }}\"/>",
            "{% from '_helpers.html' import my_macro with context %}",
            "{% extends \"layout.html\" %}{% block body %}<h1>Hi</h1>{% endblock %}",
            "{% with messages = get_flashed_messages() %}{% endwith %}",
            "{{ _('Hello') }}",
            "def __init__(self): self.x = 1",
            "@media (max-width: 600px) { .a { b: c } }",
            "email me @(home)",
            "[[Category:Pages]]",
            "{{ 'now' }}",
            "Tom & Jerry {{ 2023 }}",
            "return '<%s %s (%s)>' % (self.__class__.__name__, logger.name, level)",
            "return \"{%s}\" % self.__class__.__name__",
            "{{ render_field(form.password) }}",
            "{{ city.pop }} inhabitants",
            "See [[Constructor (object-oriented programming)]] and [[Prototype]]",
            "{{ 'Hello ' ~ user.name ~ '!' }}",
            "{% print user.name %}",
            "{{ dict(a=1, b=2)|tojson }}",
            "{{ items|join(', ') }}",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn openers_are_found_by_their_two_bytes() {
        // `find_opener` and `openers_present` read each opener as exactly two ASCII bytes.
        for (k, (open, _, _)) in DELIMS.iter().enumerate() {
            assert!(open.len() == 2 && open.is_ascii(), "{open}");
            assert_eq!(openers_present(open.as_bytes()), 1 << k, "{open}");
            assert_eq!(
                find_opener(format!("ab{open}").as_bytes(), open.as_bytes()),
                Some(2)
            );
        }
    }

    #[test]
    fn gates_and_searches_match_the_plain_ones() {
        // Generated values: `has` is `str::contains`, and `may_hold_template` is the plain
        // search for a delimiter byte, `__` or the FreeMarker name at every `f`.
        let parts = [
            "{",
            "[",
            "@",
            "%",
            "#",
            "$",
            "_",
            "__",
            "f",
            "F",
            ".",
            "freemarker.template.utility",
            "FreeMarker.Template.UTILITY",
            "freemarker.",
            "template.utility",
            "k",
            "y",
            "é",
            "a",
            " ",
            "__class__",
            "popen",
            "xinclude",
            "__mro__",
            "__subclasses__",
            "__globals__",
            "__builtins__",
            "__import__",
            "__base__",
            "__bases__",
            "___",
            "_class__",
        ];
        // `bare_dunder_chain` as one search per name.
        let plain_chain = |t: &str| {
            let rare = [
                "__mro__",
                "__subclasses__",
                "__globals__",
                "__builtins__",
                "__import__",
                "__base__",
            ];
            let n = rare.iter().filter(|d| t.contains(*d)).count();
            n >= 2 || (n >= 1 && t.contains("__class__"))
        };
        let plain = |b: &[u8]| {
            b.iter().any(|c| b"{[@%#$".contains(c))
                || (0..b.len()).any(|i| {
                    (b[i] == b'_' && b.get(i + 1) == Some(&b'_')) || names_freemarker_at(b, i)
                })
        };
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let (mut held, mut chains) = (0, 0);
        for _ in 0..40_000 {
            let t = rng.pieces(&parts, 12);
            let hold = may_hold_template(t.as_bytes(), template_bytes(t.as_bytes()));
            held += usize::from(hold);
            assert_eq!(hold, plain(t.as_bytes()), "{t:?}");
            chains += usize::from(plain_chain(&t));
            assert_eq!(bare_dunder_chain(&t).is_some(), plain_chain(&t), "{t:?}");
            for n in ["__", "freemarker", "popen", "_", ".__", "é"] {
                assert_eq!(has(&t, n), t.contains(n), "{t:?} {n}");
            }
        }
        assert!(
            held > 1000 && held < 39_000 && chains > 1000,
            "{held} {chains}"
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"{{".repeat(50_000));
        let _ = inspect(&"${".repeat(50_000));
        let _ = inspect("{{é}}${ü}<%ö%>");
        let _ = inspect("{%");
        let _ = inspect(&"{{#with this.pop.".repeat(20_000));
        let _ = inspect("{{#é}}");
        let _ = inspect("<%é");
    }
}
