//! Recognizes the use of a JavaScript capability an XSS payload needs: a dialog or code
//! execution call (`alert(`, `eval(`, `setTimeout(`), a DOM/global object access
//! (`document.cookie`, `top[...]`, `location=`). A bare word is never enough: the name must be
//! used the way JS uses it (called, indexed, assigned, or passed as a value).

use std::borrow::Cow;

/// How telling a sink is on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Generic code execution or DOM access: telling after a breakout or in a handler.
    Medium,
    /// Dialog probes and cookie theft: telling even as a whole value.
    Strong,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Must be called: `name(` or ``name`...` ``.
    Call,
    /// Called, or passed as a value (`[1].find(alert)`, `onerror=alert`).
    CallOrValue,
    /// Must be indexed or have a member taken: `top[`, `document.`.
    Object,
    /// Must be indexed (`self[`); `self.` is too common in other languages.
    Index,
    /// Must be assigned or have a member taken (`location=`, `location.href`).
    Assign,
    /// Must be a member of something (`document.cookie`, `(document)["cookie"]`).
    Member,
}

struct SinkDef {
    name: &'static str,
    usage: Use,
    strength: Strength,
}

const fn def(name: &'static str, usage: Use, strength: Strength) -> SinkDef {
    SinkDef {
        name,
        usage,
        strength,
    }
}

const SINKS: &[SinkDef] = &[
    def("alert", Use::CallOrValue, Strength::Strong),
    def("prompt", Use::CallOrValue, Strength::Strong),
    def("confirm", Use::CallOrValue, Strength::Strong),
    def("msgbox", Use::Call, Strength::Strong),
    def("eval", Use::CallOrValue, Strength::Medium),
    def("settimeout", Use::Call, Strength::Medium),
    def("setinterval", Use::Call, Strength::Medium),
    def("function", Use::Call, Strength::Medium),
    def("execscript", Use::Call, Strength::Medium),
    def("import", Use::Call, Strength::Medium),
    def("importscripts", Use::Call, Strength::Medium),
    def("constructor", Use::Call, Strength::Medium),
    def("fromcharcode", Use::Call, Strength::Medium),
    def("atob", Use::Call, Strength::Medium),
    def("write", Use::Call, Strength::Medium),
    def("writeln", Use::Call, Strength::Medium),
    def("fetch", Use::Call, Strength::Medium),
    def("sendbeacon", Use::Call, Strength::Medium),
    def("xmlhttprequest", Use::Call, Strength::Medium),
    def("createelement", Use::Call, Strength::Medium),
    def("appendchild", Use::Call, Strength::Medium),
    def("insertadjacenthtml", Use::Call, Strength::Medium),
    def("document", Use::Object, Strength::Medium),
    def("window", Use::Object, Strength::Medium),
    def("globalthis", Use::Object, Strength::Medium),
    def("opener", Use::Object, Strength::Medium),
    def("top", Use::Index, Strength::Medium),
    def("self", Use::Index, Strength::Medium),
    def("parent", Use::Index, Strength::Medium),
    def("frames", Use::Index, Strength::Medium),
    def("this", Use::Index, Strength::Medium),
    def("location", Use::Assign, Strength::Medium),
    def("innerhtml", Use::Assign, Strength::Medium),
    def("outerhtml", Use::Assign, Strength::Medium),
    def("cookie", Use::Member, Strength::Strong),
];

/// At most this many sink uses are collected per text.
const MAX_HITS: usize = 32;

/// Longest sink name (`insertadjacenthtml`).
const MAX_NAME: usize = 18;

/// Sinks by the first byte of their name (either case), one bit per index into [`SINKS`].
static BY_FIRST: [u64; 256] = by_first();
/// Sinks by the length of their name, one bit per index into [`SINKS`].
static BY_LEN: [u64; MAX_NAME + 1] = by_len();

const fn by_first() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut k = 0;
    while k < SINKS.len() {
        let first = SINKS[k].name.as_bytes()[0];
        t[first as usize] |= 1 << k;
        t[first.to_ascii_uppercase() as usize] |= 1 << k;
        k += 1;
    }
    t
}

const fn by_len() -> [u64; MAX_NAME + 1] {
    let mut t = [0u64; MAX_NAME + 1];
    let mut k = 0;
    while k < SINKS.len() {
        t[SINKS[k].name.len()] |= 1 << k;
        k += 1;
    }
    t
}

/// The sink whose name is `word` (ASCII case-insensitive). Two table lookups rule out nearly
/// every word before any comparison. Inlined in both callers: the word loop of [`find_sinks`]
/// runs it on every word of long texts, where a call costs more than the lookup.
#[inline(always)]
fn sink_named(word: &[u8]) -> Option<&'static SinkDef> {
    let first = *word.first()?;
    if word.len() > MAX_NAME {
        return None;
    }
    let mut bits = BY_FIRST[usize::from(first)] & BY_LEN[word.len()];
    while bits != 0 {
        let d = &SINKS[bits.trailing_zeros() as usize];
        if d.name.as_bytes().eq_ignore_ascii_case(word) {
            return Some(d);
        }
        bits &= bits - 1;
    }
    None
}

static IDENT: [bool; 256] = crate::detect::prefilter::byte_set(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$",
);

/// One use of a sink in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sink {
    pub name: &'static str,
    pub strength: Strength,
    /// Byte offset of the name.
    pub at: usize,
    /// Whitespace separated the name from its `(` (prose like "confirm (yes)" looks so).
    pub spaced: bool,
}

fn is_ident(b: u8) -> bool {
    IDENT[b as usize]
}

/// Skips whitespace and `/* */` comments from `i`; returns the new index and whether anything
/// was skipped.
#[inline]
pub(super) fn skip_gap(b: &[u8], i: usize) -> (usize, bool) {
    // Most names are followed directly by punctuation: nothing to skip, no loop.
    match b.get(i) {
        Some(&c) if c.is_ascii_whitespace() || c == b'/' => skip_gap_slow(b, i),
        _ => (i, false),
    }
}

fn skip_gap_slow(b: &[u8], mut i: usize) -> (usize, bool) {
    let start = i;
    for _ in 0..16 {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i.min(b.len())..].starts_with(b"/*") {
            i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |p| i + 2 + p + 2);
        } else {
            break;
        }
    }
    (i, i > start)
}

/// Does the use after a name at `end` match `usage`? Returns Some(spaced) when it does.
fn used_as(b: &[u8], start: usize, end: usize, usage: Use) -> Option<bool> {
    // A name inside a string (`top["alert"](1)`) is followed by its closing quote and bracket.
    let mut i = end;
    let mut quoted = false;
    let mut spaced = false;
    // `[alert][0](1)`: the name alone in an array, taken out by index and called.
    let mut listed = false;
    for _ in 0..4 {
        let (k, gap) = skip_gap(b, i);
        spaced |= gap;
        i = k;
        match b.get(i) {
            Some(&c @ (b'"' | b'\'' | b']' | b')')) => {
                listed |= c == b']' && !quoted && start > 0 && b[start - 1] == b'[';
                quoted |= c != b')';
                i += 1;
            }
            _ => break,
        }
    }
    let next = b.get(i).copied();
    let after_eq = |k: usize| b.get(k) == Some(&b'=') && b.get(k + 1) != Some(&b'=');
    // `alert(`, ``alert`1` ``, and the same call spelled `alert?.(1)` or through
    // `Function.prototype`: `alert.call(0,1)`, `alert.apply(0,[1])`, `alert.bind(0,1)()`.
    let called = || {
        matches!(next, Some(b'(' | b'`'))
            || b.get(i..).is_some_and(|t| {
                t.starts_with(b"?.(")
                    || [&b".call("[..], b".apply(", b".bind("]
                        .iter()
                        .any(|m| t.starts_with(m))
            })
    };
    match usage {
        Use::Call => called().then_some(spaced),
        Use::CallOrValue => {
            if listed {
                // An array is not callable: `[alert](url)` is a Markdown link.
                return computed_call(b, i).then_some(spaced);
            }
            if called() {
                return Some(spaced);
            }
            if quoted {
                return None;
            }
            // As a value: after `(`, `,`, `=` and before `)`, `,`, `;`.
            let (p, _) = skip_gap_back(b, start);
            let before = p.checked_sub(1).map(|k| b[k]);
            let value_before = matches!(before, Some(b'(' | b',' | b'=' | b'[' | b'{'));
            let (j, _) = skip_gap(b, end);
            let value_after = matches!(b.get(j), Some(b')' | b',' | b';' | b']' | b'}'));
            (value_before && value_after && !(before == Some(b'=') && p >= 2 && b[p - 2] == b'='))
                .then_some(false)
        }
        Use::Object => match next {
            Some(b'[') => Some(spaced),
            Some(b'.') => {
                let (k, _) = skip_gap(b, i + 1);
                b.get(k)
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    .then_some(spaced)
            }
            _ => None,
        },
        Use::Member => {
            let mut k = start;
            while k > 0 && matches!(b[k - 1], b'"' | b'\'') {
                k -= 1;
            }
            let (k, _) = skip_gap_back(b, k);
            matches!(k.checked_sub(1).map(|p| b[p]), Some(b'.' | b'[')).then_some(false)
        }
        Use::Index => (next == Some(b'[')).then_some(spaced),
        Use::Assign => {
            if after_eq(i) {
                return Some(spaced);
            }
            (next == Some(b'.') && b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()))
                .then_some(spaced)
        }
    }
}

/// Skips whitespace and `/* */` comments backwards from `i`.
pub(super) fn skip_gap_back(b: &[u8], mut i: usize) -> (usize, bool) {
    let start = i;
    for _ in 0..16 {
        while i > 0 && b[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if i >= 2 && &b[i - 2..i] == b"*/" {
            i = memchr::memmem::rfind(&b[..i - 2], b"/*").unwrap_or(0);
        } else {
            break;
        }
    }
    (i, i < start)
}

/// After a name at `end`: `[ ... ]` (bounded, one level) then `(` or a backtick.
fn computed_call(b: &[u8], end: usize) -> bool {
    let (i, _) = skip_gap(b, end);
    if b.get(i) != Some(&b'[') {
        return false;
    }
    let Some(close) = b[i..].iter().take(120).position(|&c| c == b']') else {
        return false;
    };
    let (k, _) = skip_gap(b, i + close + 1);
    matches!(b.get(k), Some(b'(' | b'`'))
}

/// Most `,` and `.` sites [`marks_may_use_sink`] reads before it leaves the answer to
/// [`find_sinks`].
const MAX_MARKS: usize = 16;

/// Whether [`find_sinks`] may find a sink in a text that holds none of `` ( ` [ = { ``
/// (prose, mostly): then every use is marked by a `,` or `.` beside the name, and those few
/// sites are read here instead of every word of the text:
/// - a value (`x,alert,y`) follows a `,` after a gap (spaces or a comment);
/// - a member, object or assignment use (`document.cookie`, `location.href`) has a `.`
///   followed, after gaps and quotes, by a letter.
///
/// A `/` after a site may open a comment: that site is taken to allow a use.
pub fn marks_may_use_sink(b: &[u8]) -> bool {
    // The word-at-a-time search: on short values a vector search costs more to set up, and a
    // byte loop more per byte.
    let marks = memchr::arch::all::memchr::Two::new(b',', b'.');
    marks.iter(b).take(MAX_MARKS + 1).enumerate().any(|(n, p)| {
        let next = b.get(skip_spaces(b, p + 1)).copied();
        n == MAX_MARKS
            || matches!(next, Some(b'/'))
            || if b[p] == b'.' {
                next.is_some_and(|c| c.is_ascii_alphabetic() || c == b'"' || c == b'\'')
            } else {
                value_named_at(b, skip_spaces(b, p + 1))
            }
    })
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// Whether the identifier run at `s` (after a non-identifier byte) is a sink's name.
fn value_named_at(b: &[u8], s: usize) -> bool {
    // A run longer than any name is no sink: reading one byte past MAX_NAME says so.
    let run = b[s..]
        .iter()
        .take(MAX_NAME + 1)
        .take_while(|&&c| is_ident(c))
        .count();
    sink_named(&b[s..s + run]).is_some()
}

/// Every sink use in `text` (at most [`MAX_HITS`]), in order.
///
/// Names glued to other identifier characters are other words ("alerting", "topic"), so a
/// sink is a whole identifier-character run spelled as its name: the text is read run by run,
/// with no per-byte automaton and no search inside runs.
pub fn find_sinks(text: &str) -> Vec<Sink> {
    let b = text.as_bytes();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_ident(b[i]) {
            i += 1;
            continue;
        }
        let s = i;
        // A counted run compiles to a tighter loop than an indexed one.
        i += b[i..].iter().take_while(|&&c| is_ident(c)).count();
        let e = i;
        let Some(d) = sink_named(&b[s..e]) else {
            continue;
        };
        if hits.len() >= MAX_HITS {
            break;
        }
        if let Some(spaced) = used_as(b, s, e, d.usage) {
            let strength = if d.usage == Use::Index && d.name != "this" && computed_call(b, e) {
                // `top[...](...)`: a global looked up by a computed name and called.
                Strength::Strong
            } else {
                d.strength
            };
            hits.push(Sink {
                name: d.name,
                strength,
                at: s,
                spaced,
            });
        }
    }
    hits
}

/// A view of `text` with JS string tricks undone: `\u0061`, `\u{61}`, `\x61`, octal `\141`
/// escapes decoded and adjacent string literals joined (`"al"+"ert"` becomes `"alert"`).
/// Borrowed unchanged when there is nothing to undo.
pub fn js_view(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let has_escape = memchr::memchr(b'\\', b).is_some();
    let has_concat =
        memchr::memchr(b'+', b).is_some() && memchr::memchr3(b'"', b'\'', b'`', b).is_some();
    if !has_escape && !has_concat {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if let Some((decoded, used)) = js_escape(&text[i + 1..]) {
                out.push(decoded);
                for _ in 0..used {
                    chars.next();
                }
                continue;
            }
        }
        if matches!(c, '"' | '\'' | '`') {
            // quote, spaces, '+', spaces, same quote: drop the join.
            let rest = &text[i + 1..];
            let trimmed = rest.trim_start();
            if let Some(after_plus) = trimmed.strip_prefix('+') {
                let after = after_plus.trim_start();
                if after.starts_with(c) {
                    let skip = rest.len() - after.len() + 1;
                    for _ in 0..text[i + 1..i + 1 + skip].chars().count() {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Decodes one JS escape after its backslash; returns the char and the ASCII bytes used.
pub(crate) fn js_escape(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let hex = |r: &[u8]| -> Option<u32> {
        let t = std::str::from_utf8(r).ok()?;
        u32::from_str_radix(t, 16).ok()
    };
    match b.first()? {
        b'u' if b.get(1) == Some(&b'{') => {
            let close = b.iter().take(10).position(|&c| c == b'}')?;
            let v = hex(&b[2..close])?;
            Some((char::from_u32(v)?, close + 1))
        }
        b'u' => Some((char::from_u32(hex(b.get(1..5)?)?)?, 5)),
        b'x' => Some((char::from_u32(hex(b.get(1..3)?)?)?, 3)),
        b'0'..=b'7' => {
            let n = b
                .iter()
                .take(3)
                .take_while(|c| (b'0'..=b'7').contains(c))
                .count();
            let v = u32::from_str_radix(std::str::from_utf8(&b[..n]).ok()?, 8).ok()?;
            (v >= 0o40).then_some(())?;
            Some((char::from_u32(v)?, n))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        find_sinks(text).into_iter().map(|s| s.name).collect()
    }

    #[test]
    fn calls_and_values() {
        assert_eq!(names("alert(1)"), ["alert"]);
        assert_eq!(names("alert`1`"), ["alert"]);
        assert_eq!(names("(alert)(1)"), ["alert"]);
        assert_eq!(names("[1].find(alert)"), ["alert"]);
        assert_eq!(names("a=alert,a(1)"), ["alert"]);
        assert_eq!(names("prompt /**/ (1)"), ["prompt"]);
        assert!(find_sinks("prompt (1)")[0].spaced);
        // An array holding the sink, indexed, then called; an array alone is not callable.
        assert_eq!(names("[alert][0](1)"), ["alert"]);
        assert!(names("[alert](https://status.example.com)").is_empty());
        assert!(names("[prompt]").is_empty());
    }

    #[test]
    fn objects_and_assignments() {
        assert_eq!(names("document.cookie"), ["document", "cookie"]);
        assert_eq!(find_sinks("document.cookie")[1].strength, Strength::Strong);
        assert_eq!(
            names("(document/*foo*/)[\"cookie\"]"),
            ["document", "cookie"]
        );
        assert_eq!(
            names("document /*foo*/ .     cookie"),
            ["document", "cookie"]
        );
        assert_eq!(names("[].sort.call`${alert}1337`"), ["alert"]);
        assert_eq!(
            find_sinks("top[/al/.source+/ert/.source](1)")[0].strength,
            Strength::Strong
        );
        assert_eq!(find_sinks("this[name](x)")[0].strength, Strength::Medium);
        assert_eq!(names("top['x'](1)"), ["top"]);
        assert_eq!(names("location='//evil'"), ["location"]);
        assert_eq!(names("self  /*x*/ [\"alert\"](1)"), ["self", "alert"]);
    }

    #[test]
    fn names_are_whole_words_in_any_case() {
        assert_eq!(names("ALERT(1)"), ["alert"]);
        assert_eq!(
            names("window.insertAdjacentHTML(x)"),
            ["window", "insertadjacenthtml"]
        );
        assert_eq!(names("document.writeln(1)"), ["document", "writeln"]);
        assert_eq!(names("é alert(1)"), ["alert"]);
        for t in [
            "xalert(1)",
            "alert2(1)",
            "$alert(1)",
            "_top[0]",
            "alerts(1)",
            "tops[0]",
        ] {
            assert!(find_sinks(t).is_empty(), "{t}");
        }
        let many = "alert(1);".repeat(MAX_HITS + 5);
        assert_eq!(find_sinks(&many).len(), MAX_HITS);
    }

    #[test]
    fn words_in_prose_are_not_sinks() {
        for t in [
            "an alert was raised",
            "please confirm your order",
            "top of the page",
            "self.value = 3",
            "the document is ready",
            "location: Paris",
            "alerting, prompted, topics",
            "if location == home",
            "cookie policy and domain name",
        ] {
            assert!(find_sinks(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn js_view_undoes_escapes_and_joins() {
        assert_eq!(js_view("al\\u0065rt(1)"), "alert(1)");
        assert_eq!(js_view("top['al\\x65rt'](1)"), "top['alert'](1)");
        assert_eq!(js_view("top['al\\145rt'](1)"), "top['alert'](1)");
        assert_eq!(js_view("top[\"al\"+\"ert\"](1)"), "top[\"alert\"](1)");
        assert_eq!(js_view("\\u{61}"), "a");
        assert!(matches!(js_view("plain"), Cow::Borrowed(_)));
        let _ = js_view("\\u\\x\\u{\\1 é\\é'+");
    }
}
