//! Python, server-side JavaScript, Perl and Ruby: qualified APIs that reach the OS, module
//! loading of process APIs, pickle opcodes, reflection chains, interpolation operators.

use super::needle::has;
use super::{call_at, call_sites, word_sites, Arg, Best, View, MAX_SITES};

/// Qualified calls that run commands or code; any argument list counts, the path is the proof.
pub(super) const QUALIFIED: [(&str, &str); 24] = [
    ("os.system", "Python"),
    ("os.popen", "Python"),
    ("os.execl", "Python"),
    ("os.execv", "Python"),
    ("os.execvp", "Python"),
    ("os.execlp", "Python"),
    ("os.spawnl", "Python"),
    ("os.spawnv", "Python"),
    ("subprocess.call", "Python"),
    ("subprocess.run", "Python"),
    ("subprocess.popen", "Python"),
    ("subprocess.check_output", "Python"),
    ("subprocess.check_call", "Python"),
    ("subprocess.getoutput", "Python"),
    ("subprocess.getstatusoutput", "Python"),
    ("commands.getoutput", "Python"),
    ("pty.spawn", "Python"),
    ("child_process.exec", "Node"),
    ("child_process.execsync", "Node"),
    ("child_process.spawn", "Node"),
    ("child_process.fork", "Node"),
    ("kernel.exec", "Ruby"),
    ("kernel.system", "Ruby"),
    ("io.popen", "Ruby"),
];

/// Pickle protocol-0 `c<module>\n<name>\n` globals that reach the OS or the interpreter: the
/// opcode, the module and its newline, spelled whole so that no scan formats them.
pub(super) const PICKLE_GLOBALS: [&str; 8] = [
    "cos\n",
    "cposix\n",
    "cnt\n",
    "csubprocess\n",
    "cbuiltins\n",
    "c__builtin__\n",
    "ccommands\n",
    "cpty\n",
];

/// Members of Node's `process` that read secrets, load native code or stop the server.
const PROCESS_MEMBERS: [&str; 12] = [
    "env",
    "mainmodule",
    "binding",
    "dlopen",
    "kill",
    "exit",
    "abort",
    "chdir",
    "setuid",
    "setgid",
    "umask",
    "reallyexit",
];

pub(super) fn scan(v: &View, best: &mut Best) {
    if v.calls {
        qualified_calls(v, best);
    }
    python(v, best);
    node(v, best);
    perl_ruby(v, best);
    if v.calls {
        endless_loop(v, best);
    }
}

fn qualified_calls(v: &View, best: &mut Best) {
    for (path, lang) in QUALIFIED {
        for at in word_sites(v, path) {
            if call_at(v.lower, at + path.len()).is_some() {
                best.keep_with(0.9, || format!("{lang} call {path}(...)"));
            }
        }
    }
    for (path, lang) in [
        ("process.spawn", "Ruby"),
        ("open3.", "Ruby"),
        ("process.binding", "Node"),
    ] {
        for at in v.sites(path).take(MAX_SITES) {
            let rest = &v.lower[at + path.len()..];
            let name_end = rest.bytes().take_while(|b| super::is_ident(*b)).count();
            if call_at(v.lower, at + path.len() + name_end).is_some() {
                best.keep_with(0.85, || format!("{lang} call {path}(...)"));
            }
        }
    }
}

fn python(v: &View, best: &mut Best) {
    for at in call_sites(v, "__import__") {
        if let Some(call) = call_at(v.lower, at + 10) {
            if call.arg != Arg::Empty {
                best.keep(0.95, "Python __import__(...) of a module");
            }
        }
    }
    // `importlib.import_module('os')`, `getattr(__builtins__, 'eval')`.
    if v.has("import_module(") && v.has("importlib") {
        best.keep(0.8, "Python importlib.import_module(...)");
    }
    if v.has("__builtins__") && (v.has("getattr(") || v.has("[")) {
        best.keep(0.85, "Python access to __builtins__");
    }
    // Pickle: `cos\nsystem\n(S'id'\ntR.` — a GLOBAL opcode naming an OS function, then REDUCE.
    for pat in PICKLE_GLOBALS {
        let m = &pat[1..pat.len() - 1];
        for at in v.sites(pat).take(MAX_SITES) {
            let b = v.lower.as_bytes();
            if at > 0 && super::is_ident(b[at - 1]) {
                continue;
            }
            let rest = &v.lower[at + pat.len()..];
            let name_len = rest.bytes().take_while(|b| super::is_ident(*b)).count();
            if name_len > 0 && rest[name_len..].starts_with('\n') {
                best.keep_with(0.95, || {
                    format!("pickle GLOBAL opcode loading {m}.{}", &rest[..name_len])
                });
            }
        }
    }
    // Reflection chains through dunders (shared with template injection).
    const RARE: [&str; 6] = [
        "__subclasses__",
        "__globals__",
        "__mro__",
        "__bases__",
        "__base__",
        "__builtins__",
    ];
    let rare = RARE.iter().filter(|d| v.has(d)).count();
    if rare >= 1 && v.has("__class__") || rare >= 2 {
        best.keep(
            0.8,
            "Python reflection chain (__class__/__mro__/__subclasses__)",
        );
    }
    // A function's module namespace: `exit.__init__.__globals__['os']`, `{0.__init__.__globals__}`
    // (str.format), reached from a dunder member or indexed for a module of the OS.
    for at in v.sites("__globals__").take(MAX_SITES) {
        let pivot = v.lower[..at].ends_with("__.");
        let key = v.lower[at + 11..]
            .strip_prefix('[')
            .map(|k| k.trim_start_matches(['\'', '"']));
        let module = key.is_some_and(|k| {
            PYTHON_OS_MODULES.iter().any(|m| {
                k.strip_prefix(m)
                    .is_some_and(|r| r.starts_with(['\'', '"']))
            })
        });
        if pivot || module {
            best.keep(0.8, "Python function globals (__globals__) reached");
        }
    }
    // `sys.modules['os'].system(...)`, `__loader__.load_module('os')`: a module taken without
    // import, then used.
    for at in v.sites("sys.modules[").take(MAX_SITES) {
        let quoted = v.lower[at + 12..].trim_start_matches(['\'', '"']);
        let module = quoted
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        let used = quoted[module..]
            .trim_start_matches(['\'', '"'])
            .strip_prefix("].")
            .is_some_and(super::has_call);
        if used && PYTHON_OS_MODULES.contains(&&quoted[..module]) {
            best.keep_with(0.85, || {
                format!("Python sys.modules['{}'] used", &quoted[..module])
            });
        }
    }
    for at in v.sites("__loader__.load_module(").take(MAX_SITES) {
        if v.lower[at + 23..].trim_start().starts_with(['\'', '"']) {
            best.keep(0.85, "Python __loader__.load_module(...) of a module");
        }
    }
    yaml_tags(v, best);
}

/// Modules that reach the OS or the interpreter, taken by name.
const PYTHON_OS_MODULES: [&str; 6] = ["os", "posix", "nt", "subprocess", "pty", "builtins"];

/// PyYAML tags that make `yaml.load` with an unsafe loader call a function:
/// `!!python/object/apply:os.system [...]`, `!!python/object/new:subprocess.Popen`, and
/// `!!python/module:` (an import). `!!python/name:` only names a function (mkdocs configs are
/// full of them), `!!python/object:` sets an object's fields (`yaml.dump` writes it), and
/// `!!python/tuple` builds data.
fn yaml_tags(v: &View, best: &mut Best) {
    for at in v.sites("!!python/").take(MAX_SITES) {
        let rest = &v.lower[at + 9..];
        if let Some(tag) = ["object/apply:", "object/new:", "module:"]
            .into_iter()
            .find(|k| rest.starts_with(k))
        {
            best.keep_with(0.9, || {
                format!("PyYAML tag !!python/{tag} (runs code on load)")
            });
        }
    }
}

fn node(v: &View, best: &mut Best) {
    // require('child_process'), require.main.constructor._load('child_process').
    for at in v.sites("child_process").take(MAX_SITES) {
        let before = v.lower[..at].trim_end_matches(['\'', '"', '`', ' ']);
        if before.ends_with("require(") || before.ends_with("_load(") || before.ends_with("import(")
        {
            best.keep(0.95, "Node module load of child_process");
        }
        // The module name as a string in a value that loads modules: `m=require;
        // x="child_process";m(x)`.
        let quoted = at > 0 && matches!(v.lower.as_bytes()[at - 1], b'\'' | b'"' | b'`');
        if quoted && v.has("require") {
            best.keep(
                0.85,
                "Node child_process named in a value that calls require",
            );
        }
        let after = &v.lower[at + 13..];
        let after = after.trim_start_matches(['\'', '"', '`', ')', ' ']);
        if after.starts_with('.') && super::has_call(super::head(after, 40)) {
            best.keep(0.9, "Node child_process call");
        }
    }
    for (needle, score, why) in [
        (
            "process.mainmodule",
            0.9,
            "Node process.mainModule (module loader from code)",
        ),
        (
            "require.main.constructor",
            0.9,
            "Node require.main.constructor._load",
        ),
        (
            "global.process",
            0.8,
            "Node global.process reached from an expression",
        ),
        (
            "_$$nd_func$$_",
            0.9,
            "node-serialize function marker _$$ND_FUNC$$_",
        ),
        (
            "this.constructor.constructor",
            0.7,
            "sandbox escape via constructor.constructor",
        ),
    ] {
        if v.has(needle) {
            best.keep(score, why);
        }
    }
    // The Function constructor or constructor.constructor called with code.
    for at in v.sites("constructor.constructor").take(MAX_SITES) {
        if let Some(call) = call_at(v.lower, at + 23) {
            if call.arg == Arg::Quoted {
                best.keep(
                    0.9,
                    "Function constructor reached via constructor.constructor(...)",
                );
            }
        }
    }
    for at in call_sites(v, "function") {
        let before = v.lower[..at].trim_end();
        if !before.ends_with("new") {
            continue;
        }
        if let Some(call) = call_at(v.lower, at + 8) {
            let a = call.args.trim_start();
            if call.arg == Arg::Quoted
                && ["return", "process", "require", "eval", "this"]
                    .iter()
                    .any(|w| has(a, w))
            {
                best.keep(0.85, "new Function(...) with code");
            }
        }
    }
    // `process.env`, `process["env"]`, `process.kill(...)`: a short one-line value that is an
    // expression on the process object. Pasted source uses it inside larger code, prose
    // mentions it after other words.
    let t = v.lower.trim();
    if t.starts_with("process") && t.len() <= 80 && !t.contains('\n') {
        let rest = t[7..].trim_start_matches(['.', '[', '"', '\'', '`']);
        let member: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // A `.` or `[` must separate the name from the member.
        if rest.len() + 7 < t.len() && PROCESS_MEMBERS.contains(&member.as_str()) {
            best.keep_with(0.75, || format!("Node process.{member} as an expression"));
        }
    }
    // `"$1:constructor:constructor"`: a serialized reference path that walks to the Function
    // constructor (React Flight and similar reference resolvers).
    if v.has(":constructor:constructor") || v.has(":__proto__:") {
        best.keep(0.85, "reference path reaching constructor:constructor");
    }
    // eval(String.fromCharCode(...)) is caught as an executor with a call argument; a bare
    // String.fromCharCode chain next to eval is the same payload split.
    if v.has("eval(string.fromcharcode") {
        best.keep(0.9, "eval of String.fromCharCode");
    }
    // Prototype pollution keys: `__proto__[x]`, `constructor[prototype][x]`,
    // `constructor.prototype.x`.
    for at in v.sites("__proto__").take(MAX_SITES) {
        let after = v.lower[at + 9..].trim_start_matches(['"', '\'', ']']);
        if after.starts_with(['[', '.', ':', '=']) {
            best.keep(0.8, "prototype pollution through __proto__");
        }
    }
    // The squeezed copy holds `constructor` only where the gate's squeezed spelling is.
    if !super::gate::squeezed_constructor(v.lower.as_bytes()) {
        return;
    }
    let squeezed: String = v
        .lower
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\''))
        .take(4096)
        .collect();
    if has(&squeezed, "constructor[prototype]")
        || has(&squeezed, "constructor][prototype]")
        || has(&squeezed, "constructor.prototype.")
    {
        best.keep(0.8, "prototype pollution through constructor.prototype");
    }
}

fn perl_ruby(v: &View, best: &mut Best) {
    // Perl `@{[ code ]}` interpolates the result of running code into a string.
    for at in v.sites("@{").take(MAX_SITES) {
        let rest = v.lower[at + 2..].trim_start();
        if let Some(body) = rest.strip_prefix('[') {
            let body = body.trim_start();
            if !body.is_empty() && !body.starts_with(']') {
                best.keep(0.85, "Perl @{[ ... ]} code interpolation");
            }
        }
    }
    // Ruby `%x(cmd)` / `%x{cmd}` command literal.
    let b = v.lower.as_bytes();
    for at in v.sites("%x").take(MAX_SITES) {
        if at > 0 && super::is_ident(b[at - 1]) {
            continue;
        }
        let Some(&open) = b.get(at + 2) else {
            continue;
        };
        let close = match open {
            b'(' => b')',
            b'{' => b'}',
            b'[' => b']',
            b'|' => b'|',
            _ => continue,
        };
        let body = super::head(&v.lower[at + 3..], 200);
        if let Some(p) = body.bytes().position(|c| c == close) {
            if body[..p]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_alphabetic())
            {
                best.keep(0.8, "Ruby %x(...) command literal");
            }
        }
    }
    // Perl `system 'cmd'` / `exec "cmd"` without parentheses, ending the statement.
    for name in ["system", "exec", "qx"] {
        for at in word_sites(v, name) {
            let rest = &v.lower[at + name.len()..];
            let arg = rest.trim_start();
            if rest.len() == arg.len() && name != "qx" {
                continue;
            }
            let Some(q) = arg
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '{' | '('))
            else {
                continue;
            };
            if name == "qx" {
                if matches!(q, '{' | '(') && arg[1..].contains(if q == '{' { '}' } else { ')' }) {
                    best.keep(0.8, "Perl qx command");
                }
                continue;
            }
            if q == '{' || q == '(' {
                continue;
            }
            if let Some(end) = arg[1..].find(q) {
                let after = arg[1 + end + 1..].trim_start();
                if after.is_empty() || after.starts_with([';', ']', ')', '}']) {
                    best.keep_with(0.75, || format!("Perl/Ruby {name} 'command' statement"));
                }
            }
        }
    }
    for name in ["instance_eval", "class_eval", "module_eval"] {
        for at in call_sites(v, name) {
            if call_at(v.lower, at + name.len()).is_some_and(|c| c.arg == Arg::Quoted) {
                best.keep_with(0.85, || format!("Ruby {name} of a string"));
            }
        }
    }
    for at in v.sites(".send(").take(MAX_SITES) {
        let a = v.lower[at + 6..].trim_start();
        if [
            ":system",
            ":exec",
            ":eval",
            ":spawn",
            "'system'",
            "\"system\"",
            "'eval'",
            "\"eval\"",
        ]
        .iter()
        .any(|s| a.starts_with(s))
        {
            best.keep(0.85, "Ruby .send of an executor");
        }
    }
}

/// `while(true);`, `while(!0)`, `for(;;);`: a whole value that is a loop with a condition that
/// is always true and no body, the denial of service an `eval` sink runs forever. Pasted code
/// has a body and a condition that can change; `while(!true)` ends at once.
fn endless_loop(v: &View, best: &mut Best) {
    let t = v.lower.trim();
    let (name, forever) = if t.starts_with("while") {
        ("while", None)
    } else if t.starts_with("for") {
        ("for", Some(()))
    } else {
        return;
    };
    let Some(call) = call_at(t, name.len()) else {
        return;
    };
    // Nothing after the condition but `;`, stray `)` and an empty block.
    let empty_body = call.closed
        && call
            .after
            .bytes()
            .all(|c| matches!(c, b';' | b')' | b'{' | b'}') || c.is_ascii_whitespace());
    if !empty_body {
        return;
    }
    let endless = match forever {
        Some(()) => call
            .args
            .bytes()
            .filter(|c| !c.is_ascii_whitespace())
            .eq(*b";;"),
        None => always_true(call.args),
    };
    if endless {
        best.keep_with(0.75, || {
            format!("endless {name} loop with a constant condition")
        });
    }
}

/// A JavaScript condition made of constants whose truth never changes: `true`, `!0`, `-1`,
/// `!!{}`, `new Date`, `this`, a global constructor; unknown names are variables (false here).
fn always_true(cond: &str) -> bool {
    let mut c = cond.trim();
    // Redundant parentheses: `((true))`.
    for _ in 0..8 {
        match c.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(inner) => c = inner.trim(),
            None => break,
        }
    }
    let mut negations = 0;
    for _ in 0..16 {
        if let Some(r) = c.strip_prefix('!') {
            negations += 1;
            c = r.trim_start();
        } else if let Some(r) = c.strip_prefix(['-', '+']) {
            c = r.trim_start();
        } else {
            break;
        }
    }
    let truthy = match c {
        "true" | "infinity" | "this" | "[]" | "{}" => true,
        "false" | "null" | "undefined" | "nan" | "\"\"" | "''" | "``" => false,
        _ if c.starts_with("new ") => true,
        _ if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            c.bytes().any(|b| (b'1'..=b'9').contains(&b))
        }
        _ if c.len() > 2
            && (c.starts_with('"') && c.ends_with('"')
                || c.starts_with('\'') && c.ends_with('\'')) =>
        {
            true
        }
        "string" | "object" | "number" | "date" | "array" | "function" | "boolean" | "symbol"
        | "math" | "json" | "regexp" | "error" | "promise" => true,
        _ => return false,
    };
    truthy != (negations % 2 == 1)
}
