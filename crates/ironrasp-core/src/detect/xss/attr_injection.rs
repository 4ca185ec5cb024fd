//! Attribute injection without a tag: the value closes an attribute and adds an event handler
//! (`" onmouseover=alert(1) x="`, `x onerror=alert(1)>`, `/" autofocus onfocus=alert(1)//`).
//! Outside a tag only a handler whose value uses a JS sink counts; "online=yes" does not.
//! A probe may also stop at the `=` (`" onfocus=`, `' formaction=`): the value is then built
//! only to open an attribute, which counts when it is a real DOM event (or `formaction`)
//! right after a quote, or the whole value.

use super::js_sink::{find_sinks, js_view};
use super::spans::LongUnquoted;
use super::tokenizer::first_attr;
use super::Hit;

const MAX_CANDIDATES: usize = 32;

/// Bytes that can end the previous attribute or value before a new attribute name.
fn separates(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'/' | b'`' | b';' | b'(' | 0)
}

/// The strongest handler injection in `text`; its evidence is built only if it scores at
/// least `beaten_by` (see [`Hit::unless_beaten`]).
pub fn inspect(text: &str, beaten_by: f32) -> Option<Hit> {
    if let Some(h) = dangling_attribute(text) {
        return Some(h);
    }
    let b = text.as_bytes();
    let mut tried = 0;
    let mut long_unquoted = LongUnquoted::default();
    // Candidates are found from their `=`, which values hold far more rarely than an `o`;
    // they come in the same order either way.
    for q in memchr::memchr_iter(b'=', b) {
        let Some(p) = handler_before(b, q) else {
            continue;
        };
        tried += 1;
        if tried > MAX_CANDIDATES {
            break;
        }
        let Some(a) = first_attr(text, p) else {
            continue;
        };
        // An unquoted value runs to whitespace or `>`: a handler found inside one judged
        // before (`onabc=/onabc=/onabc=...`) would be read to the same end again. Its start
        // is what a browser could run if the text landed there.
        let raw = match long_unquoted.start_of(a.value) {
            Some(start) => start,
            None => {
                long_unquoted.note(&a);
                a.value
            }
        };
        let decoded = super::url_scheme::decode_entities(raw);
        let value = decoded.as_deref().unwrap_or(raw);
        if super::markup::is_confirm_dialog(value.trim()) {
            continue;
        }
        let view = js_view(value);
        if let Some(s) = find_sinks(&view).first() {
            return Some(Hit::unless_beaten(0.85, beaten_by, || {
                format!("injected event handler {} calling {}", a.name, s.name)
            }));
        }
        if closes_quoted_value(b, p) && is_dom_event(&a.name[2..]) && is_call(view.trim()) {
            return Some(Hit::unless_beaten(0.75, beaten_by, || {
                format!("quote breakout then event handler {} with a call", a.name)
            }));
        }
    }
    None
}

/// Where the handler name assigned by the `=` at `q` starts: a whole letter run `on` + 3 to
/// 30 letters (any case: `oNcliCk=` counts), after a separator or at the start, then optional
/// whitespace before the `=`.
fn handler_before(b: &[u8], q: usize) -> Option<usize> {
    let mut e = q;
    // Linear over all `=`: a later `=` stops at this one.
    while e > 0 && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    let run = b[..e]
        .iter()
        .rev()
        .take(33)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if !(5..=32).contains(&run) {
        return None;
    }
    let p = e - run;
    let named = b[p].eq_ignore_ascii_case(&b'o')
        && b[p + 1].eq_ignore_ascii_case(&b'n')
        && (p == 0 || separates(b[p - 1]));
    named.then_some(p)
}

/// An attribute opened at the very end of the value with nothing after its `=`: a DOM event
/// handler or `formaction`, right after a quote that closes the value it landed in
/// (`x" onfocus=`, `<"onzoom=`, `' formaction=`) or as the whole value (`  onload= `). The
/// page's own text supplies the rest; ordinary values never end in `" onload=`.
fn dangling_attribute(text: &str) -> Option<Hit> {
    let t = text.trim_end();
    let head = t.strip_suffix('=')?.trim_end();
    let b = head.as_bytes();
    let name_len = b
        .iter()
        .rev()
        .take(64)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let start = b.len() - name_len;
    let name = head[start..].to_ascii_lowercase();
    let handler = name.len() > 4 && name.starts_with("on") && is_dom_event(&name[2..]);
    if !handler && name != "formaction" {
        return None;
    }
    let before = head[..start].trim_end_matches(|c: char| c.is_ascii_whitespace() || c == '/');
    let after_quote = before.ends_with(['"', '\'', '`']);
    let whole = before.is_empty() && start > 0;
    (after_quote || whole).then(|| {
        Hit::new(
            0.6,
            format!("attribute {name}= opened after a quote breakout, value left open"),
        )
    })
}

/// The handler name at `p` follows a quote that ends the attribute value the input landed in
/// (`x' onfocus=`, `"/ onload=`): only whitespace or a `/` between them.
fn closes_quoted_value(b: &[u8], p: usize) -> bool {
    b[..p]
        .iter()
        .rev()
        .take(8)
        .find(|c| !c.is_ascii_whitespace() && **c != b'/')
        .is_some_and(|c| matches!(c, b'"' | b'\'' | b'`'))
        && p > 0
        && (b[p - 1].is_ascii_whitespace() || b[p - 1] == b'/')
}

/// A DOM event name (after `on`): the families of the HTML and DOM specifications, so that
/// a made-up word (`onboarding`, `onset`) is not read as a handler.
fn is_dom_event(e: &str) -> bool {
    const FAMILIES: [&str; 21] = [
        "mouse",
        "pointer",
        "touch",
        "key",
        "drag",
        "animation",
        "transition",
        "focus",
        "load",
        "play",
        "can",
        "before",
        "after",
        "select",
        "page",
        "scroll",
        "fullscreen",
        "composition",
        // Vendor-prefixed events (`onwebkitanimationend`, `onmozfullscreenchange`).
        "webkit",
        "moz",
        "msgesture",
    ];
    const EVENTS: [&str; 41] = [
        "click",
        "dblclick",
        "auxclick",
        "contextmenu",
        "wheel",
        "error",
        "abort",
        "blur",
        "change",
        "input",
        "invalid",
        "submit",
        "reset",
        "search",
        "resize",
        "drop",
        "copy",
        "cut",
        "paste",
        "toggle",
        "show",
        "pause",
        "ended",
        "seeked",
        "seeking",
        "stalled",
        "suspend",
        "waiting",
        "emptied",
        "progress",
        "timeupdate",
        "volumechange",
        "durationchange",
        "ratechange",
        "hashchange",
        "popstate",
        "message",
        "unload",
        "zoom",
        "start",
        "finish",
    ];
    let e = e.to_ascii_lowercase();
    FAMILIES.iter().any(|f| e.starts_with(f)) || EVENTS.contains(&e.as_str())
}

/// A JS call expression: a dotted name (`f`, `$.get`, `a.b.c`) then `(` or a backtick.
fn is_call(v: &str) -> bool {
    let b = v.as_bytes();
    let name = b
        .iter()
        .take(64)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.'))
        .count();
    name > 0 && !b[0].is_ascii_digit() && b[0] != b'.' && matches!(b.get(name), Some(b'(' | b'`'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handlers_inside_an_earlier_unquoted_value_are_read_on_their_start() {
        // Overlapping candidates first (each value runs to the space), then a real one.
        let pad = format!("{}{}", "/onabc=".repeat(3), "B".repeat(50_000));
        assert!(inspect(&format!("{pad} x\" onfocus=eval(name) autofocus y=\""), 0.0).is_some());
        assert!(inspect(&pad, 0.0).is_none());
        // A handler inside the first value is still read from its start.
        let inner = format!(
            "/onabc={}/onclick=eval(name){}",
            "B".repeat(200),
            "B".repeat(500)
        );
        assert!(inspect(&inner, 0.0).is_some());
    }

    #[test]
    fn injected_handlers() {
        for t in [
            "\" onmouseover=alert(1) \"",
            "x onerror=alert(1);>",
            "onload=alert(1)>",
            "' onfocus='prompt(document.cookie)' autofocus '",
            "/get/\"onmouseover='prompt(document.cookie)'\"",
            "\" ONCLICK=alert(1) \"",
            "x\" onerror=\"&#97;lert(1)\"",
            "(/* */oNcliCk=alert() )",
            "https://e/search?q=test;onfocus=eval(atob('YWxlcnQoMSk='))",
            "x' onmouseenter=$.ajax({url:'//e.example/k'}) '",
            "\"/ onpointerdown=jQuery.globalEval(name) x=\"",
            "' onblur=steal.run`x` '",
        ] {
            assert!(inspect(t, 0.0).is_some(), "{t}");
        }
    }

    #[test]
    fn words_starting_with_on_pass() {
        for t in [
            "online=yes",
            "only = 3",
            "onion=alert",
            "config on=true",
            "please turn on the alert(s)",
            "oneway=1&x=confirm",
            "plan online=start(now)",
            "'quoted' onward=go",
            "it's done. onboard=count(3)",
            "\"a\" onset=12(3)",
            "\"Welcome\" onboarding=start(2)",
        ] {
            assert!(inspect(t, 0.0).is_none(), "{t}");
        }
    }

    /// The candidates of [`inspect`] as first defined, read forward from each `o`.
    fn candidates_forward(text: &str) -> Vec<usize> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        for p in 0..b.len() {
            if !b[p].eq_ignore_ascii_case(&b'o')
                || !b.get(p + 1).is_some_and(|c| c.eq_ignore_ascii_case(&b'n'))
                || p > 0 && !separates(b[p - 1])
            {
                continue;
            }
            let name_len = b[p + 2..]
                .iter()
                .take(30)
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let mut k = p + 2 + name_len;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if name_len >= 3 && b.get(k) == Some(&b'=') {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn handlers_are_found_from_their_equals_sign() {
        let long = format!(
            "x on{}=alert(1) on{}=alert(1)",
            "a".repeat(30),
            "b".repeat(31)
        );
        for t in [
            "onload=alert(1)",
            "x onclick \t = alert(1) y\nONfocus=f()",
            "ononload=x onabc= onab=1 on=2 xonload=3 1onload=4 (onx\0=)",
            "=onload= = onerror==alert(1)",
            "é onmouseover=alert(1)",
            long.as_str(),
        ] {
            let b = t.as_bytes();
            let backward: Vec<usize> = memchr::memchr_iter(b'=', b)
                .filter_map(|q| handler_before(b, q))
                .collect();
            assert_eq!(backward, candidates_forward(t), "{t}");
        }
        assert!(inspect(&long, 0.0).is_some());
    }

    #[test]
    fn attributes_left_open_after_a_quote() {
        for t in [
            "\"onzoom=",
            "x\" onfocus=",
            "' formaction=",
            "<\"onwebkitanimationend=",
            "  onload= ",
            "'/onmouseover = ",
        ] {
            assert!(inspect(t, 0.0).is_some(), "{t}");
        }
        for t in [
            "\"onboarding=",
            "  onabcdefgh= ",
            "token onload=",
            "v1=5257a869e7ecebeda32affa62cdca3fa51onabcd=",
            "says \"hi\" online=",
            "formaction=",
            "\"online\"=",
        ] {
            assert!(inspect(t, 0.0).is_none(), "{t}");
        }
    }
}
