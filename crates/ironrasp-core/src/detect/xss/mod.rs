//! Cross-site scripting, without signatures: the value is read as a browser would read it in
//! the places it may land (HTML text, an attribute, a URL, a JS string, a client-side template)
//! and flagged when it builds script-running structure there.
//!
//! Order, cheapest first: a byte-class prefilter ([`prefilter`]) drops values that cannot carry
//! markup or code; then the structural analyzers run; the model is consulted only when some
//! structure was found, and may raise but never create a finding ([`combine`]).

mod attr_injection;
mod css;
mod js_context;
pub(crate) mod js_sink;
mod markup;
mod prefilter;
mod seven_bit;
mod spans;
mod template;
mod tokenizer;
mod url_scheme;
mod utf7;

use crate::check::Check;
use crate::finding::Finding;
use crate::model::{self, ModelKind};

/// Findings are reported at or above this score.
pub const REPORT_AT: f32 = 0.5;
/// Below this structural score there is no HTML/JS structure worth asking the model about.
const MODEL_FLOOR: f32 = 0.25;
/// The model may raise a structural score by at most this much.
const MODEL_LIFT: f32 = 0.35;
/// At or above this structural score the model is not consulted (it could only add a little).
const MODEL_SKIP: f32 = 0.9;
/// The model counts only when at least this confident.
const MODEL_CONFIDENT: f32 = 0.8;
/// Attribute value bytes judged whole per text by the tag reading. Tags start at every `<`,
/// also inside an earlier tag's unquoted value, so up to MAX_TAGS tags can each hold the rest
/// of a long text as a handler value (`<img/onerror=x"...<img/onerror=x"...`): 60 ms on a
/// 64 KB value. Real markup holds each byte in one attribute; this is twice the longest value
/// inspected. Past it, a value inside an earlier tag's long unquoted value is judged on its
/// start (see markup::values_cut).
const ATTR_BUDGET: usize = 128 * 1024;

/// One analyzer's verdict: a score in 0..=1 and the structure that earned it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub score: f32,
    pub evidence: String,
}

impl Hit {
    pub fn new(score: f32, evidence: impl Into<String>) -> Self {
        Hit {
            score: score.clamp(0.0, 1.0),
            evidence: evidence.into(),
        }
    }

    /// A hit whose evidence is built only if it can be the strongest: below `beaten_by` (the
    /// strongest hit already found) it is never reported, and only its score counts (toward
    /// the agreement bonus). Its evidence is then left empty.
    pub fn unless_beaten(score: f32, beaten_by: f32, evidence: impl FnOnce() -> String) -> Self {
        let score = score.clamp(0.0, 1.0);
        Hit {
            score,
            evidence: if score < beaten_by {
                String::new()
            } else {
                evidence()
            },
        }
    }
}

/// The strongest score among `hits` (0 when there are none).
fn strongest(hits: &[Hit]) -> f32 {
    hits.iter().map(|h| h.score).fold(0.0, f32::max)
}

/// Inspects one decoded view of one value.
pub fn inspect(text: &str) -> Option<Finding> {
    // One read of a short value serves the prefilter and every gate below.
    let gate = Gate::of(text);
    if !gate.worth_scanning() {
        return None;
    }
    let hit = structural_views(text, &gate, true)?;
    // The model is asked only where it can matter: structure present, not already certain,
    // and more than one bare tag: a value that is only `<name>` or `<Enter>` is a placeholder
    // or a key's name, and a tag without attributes or content runs nothing.
    let p = if (MODEL_FLOOR..MODEL_SKIP).contains(&hit.score) && !lone_bare_tag(text) {
        model::score(ModelKind::Xss, text)
    } else {
        0.0
    };
    let score = combine(hit.score, p);
    if score < REPORT_AT {
        return None;
    }
    let evidence = if score > hit.score {
        format!("{} (raised by model, p={p:.2})", hit.evidence)
    } else {
        hit.evidence
    };
    Some(Finding::new(Check::Xss, score, evidence))
}

/// Whether `text` is one start tag alone, without attributes: `<` a name of letters and
/// digits (`-` and `_` inside) `>`, with white space around at most.
fn lone_bare_tag(text: &str) -> bool {
    text.trim()
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .is_some_and(|name| {
            name.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        })
}

/// Final score from the structural score `s` and the model's probability `p`.
///
/// The model can only lift a value that already shows HTML/JS structure (`s >= MODEL_FLOOR`),
/// only when confident (`p >= MODEL_CONFIDENT`), and by at most `MODEL_LIFT`: plain prose has
/// `s == 0` and so can never be flagged by the model alone.
pub fn combine(s: f32, p: f32) -> f32 {
    if s < MODEL_FLOOR || p < MODEL_CONFIDENT {
        return s;
    }
    s.max(p.min(s + MODEL_LIFT))
}

/// The strongest structure any analyzer found, with a small bonus when several independent
/// analyzers (or several tags) agree; with the UTF-7 view or without it (a decoded view is not
/// decoded again). `gate` is [`Gate::of`] `text`.
fn structural_views(text: &str, gate: &Gate<'_>, utf7: bool) -> Option<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    if !gate.may_hold_any() {
        return None;
    }
    // Only the top-level call (the one that reads UTF-7) feeds `inspect`, which reports
    // nothing below MODEL_FLOOR: there a weaker tag verdict (editor HTML) is never used, so
    // its evidence is not built. The UTF-7 reading uses any inner verdict's evidence.
    let floor = if utf7 { MODEL_FLOOR } else { 0.0 };
    // UTF-7 runs start at `+`; eighth-bit `¼` is C2 BC in UTF-8.
    if let Some(h) = (utf7 && gate.has(b'+'))
        .then(|| utf7_markup(text))
        .flatten()
    {
        hits.push(h);
    }
    if let Some(h) = (utf7 && gate.has(0xC2))
        .then(|| seven_bit_markup(text))
        .flatten()
    {
        hits.push(h);
    }
    if gate.has_pair(*b"&{") {
        hits.extend(js_context::js_entity(text));
    }
    let mut strong_tags = 0;
    if gate.has(b'<') && tokenizer::has_tag_opener(text) {
        let tokens = tokenizer::tokenize(text);
        let mut tag_score = 0.0;
        if let Some((h, n)) = markup::inspect(&tokens, floor) {
            strong_tags = n;
            tag_score = h.score;
            hits.push(h);
        }
        // Inert markup scores MODEL_FLOOR: below a stronger tag verdict it can never be the
        // best hit, and it never counts as strong, so its evidence need not be built.
        if tag_score <= MODEL_FLOOR {
            hits.extend(inert_markup(&tokens));
        }
        if tokens.markers.import {
            hits.push(Hit::new(0.7, "IE <?import> of an HTC behavior"));
        }
    }
    if let Some(h) = gate
        .has_pair(*b"&#")
        .then(|| encoded_angle_bracket(text))
        .flatten()
    {
        hits.push(h);
    }
    // The value's own sinks serve the view loop and the escaped-index check below.
    let text_sinks = if gate.may_use_sink() {
        js_sink::find_sinks(text)
    } else {
        Vec::new()
    };
    let view = if gate.may_hide_js() {
        js_sink::js_view(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let view_sinks = (view.as_ref() != text).then(|| js_sink::find_sinks(&view));
    let readings =
        std::iter::once((text, &text_sinks)).chain(view_sinks.as_ref().map(|s| (view.as_ref(), s)));
    for (v, sinks) in readings {
        let sinks = sinks.as_slice();
        let breakout = (!sinks.is_empty())
            .then(|| js_context::breakout(v, sinks))
            .flatten()
            .or_else(|| {
                (gate.has_any(b"'\"`") && gate.has(b'('))
                    .then(|| js_context::breakout_call(v))
                    .flatten()
            });
        hits.extend(breakout);
        if !sinks.is_empty() {
            hits.extend(js_context::bare_expression(v, sinks));
            let beaten_by = strongest(&hits);
            hits.extend(js_context::probe_call(v, sinks, beaten_by));
            hits.extend(js_context::page_statement(v, sinks));
            if has_pair(v.as_bytes(), *b"/*") {
                hits.extend(js_context::comment_split(v, sinks));
            }
        }
    }
    if gate.has(b'\\') && gate.has(b'[') {
        hits.extend(js_context::escaped_index(text, &text_sinks));
    }
    if gate.has(b'`') {
        hits.extend(js_context::template_call(text));
    }
    if gate.has_pair(*b"[]") {
        hits.extend(js_context::jsfuck(text));
    }
    if gate.has(b'=') {
        let beaten_by = strongest(&hits);
        hits.extend(attr_injection::inspect(text, beaten_by));
    }
    if gate.may_hold_scheme() {
        hits.extend(url_scheme::inspect_text(text));
    }
    if (gate.has(b':') || gate.has(b'&')) && gate.may_hold_css() {
        hits.extend(css::inspect_bare(text));
    }
    if gate.has_pair(*b"{{") {
        hits.extend(template::inspect(text));
    }
    let strong =
        hits.iter().filter(|h| h.score >= REPORT_AT).count() + strong_tags.saturating_sub(1);
    let best = hits
        .into_iter()
        .max_by(|a, b| a.score.total_cmp(&b.score))?;
    let bonus = 0.02 * strong.saturating_sub(1).min(5) as f32;
    Some(Hit::new(best.score + bonus, best.evidence))
}

/// Which gate bytes a value holds, for [`structural_views`]: a short value is read once into
/// a bit set instead of searched once per gate (a dozen searches, each with its own call
/// overhead); a long value is searched per gate, where SIMD search wins.
struct Gate<'a> {
    text: &'a str,
    bytes: &'a [u8],
    set: Option<u32>,
}

/// The bytes the gates ask about; each gets one bit of the set.
const GATE_BYTES: &[u8; 24] = b"&{#<\\[`]=:+\xC2(.,\t\n\r\0\"'/->";

/// Longest value read into the bit set.
const GATE_SET_MAX: usize = 4096;

/// Longest value whose `,` and `.` sites are read before [`js_sink::find_sinks`]: a longer
/// text nearly always holds a sentence end before a word (". It"), which may start a member
/// use, so reading its sites first would be lost work.
const MARKS_READ_MAX: usize = 256;

// [`Gate::may_hold_scheme`] takes a short value to be decoded in full.
const _: () = assert!(GATE_SET_MAX <= url_scheme::MAX_DECODE);

const fn gate_bits() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < GATE_BYTES.len() {
        t[GATE_BYTES[i] as usize] = 1 << i;
        i += 1;
    }
    t
}

static GATE_BIT: [u32; 256] = gate_bits();

/// The bits of [`prefilter::TRIGGERS`] (all of them are gate bytes).
const TRIGGER_BITS: u32 = bits_of(prefilter::TRIGGERS);

/// The bits of `+` and `/`, which make the prefilter look closer.
const CLOSER_LOOK_BITS: u32 = bits_of(b"+/");

const fn bits_of(cs: &[u8]) -> u32 {
    let table = gate_bits();
    let mut bits = 0;
    let mut i = 0;
    while i < cs.len() {
        assert!(table[cs[i] as usize] != 0, "not a gate byte");
        bits |= table[cs[i] as usize];
        i += 1;
    }
    bits
}

impl<'a> Gate<'a> {
    fn of(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let set = (bytes.len() <= GATE_SET_MAX).then(|| {
            bytes
                .iter()
                .fold(0u32, |set, &c| set | GATE_BIT[c as usize])
        });
        Gate { text, bytes, set }
    }

    /// [`prefilter::worth_scanning`], answered from the set when there is one.
    fn worth_scanning(&self) -> bool {
        match self.set {
            Some(set) => {
                set & TRIGGER_BITS != 0
                    || set & CLOSER_LOOK_BITS != 0 && prefilter::hides_script(self.bytes)
            }
            None => prefilter::worth_scanning(self.bytes),
        }
    }

    fn has(&self, c: u8) -> bool {
        match self.set {
            Some(set) if GATE_BIT[c as usize] != 0 => set & GATE_BIT[c as usize] != 0,
            _ => memchr::memchr(c, self.bytes).is_some(),
        }
    }

    /// Any of `cs`: one test of the set, or one search per byte of a long value.
    fn has_any(&self, cs: &[u8]) -> bool {
        cs.iter().any(|&c| self.has(c))
    }

    /// Both bytes side by side; the set rules most values out before any search.
    fn has_pair(&self, pair: [u8; 2]) -> bool {
        (self.set.is_none() || self.has(pair[0]) && self.has(pair[1])) && has_pair(self.bytes, pair)
    }

    /// False only when the value holds none of the bytes any analyzer below is gated on
    /// (quotes, `/` and `-` count only beside others): then none runs, and there is no hit.
    /// Long values are not read into the set and always answer true.
    fn may_hold_any(&self) -> bool {
        let alone = !(GATE_BIT[b'"' as usize]
            | GATE_BIT[b'\'' as usize]
            | GATE_BIT[b'/' as usize]
            | GATE_BIT[b'-' as usize]);
        self.set.is_none_or(|set| set & alone != 0)
    }

    /// Whether [`js_sink::find_sinks`] can find anything: every sink use is marked by one of
    /// these bytes next to its name (a call `(`/`` ` ``, an index `[`, a member `.`, an
    /// assignment `=`, or a value between `(,=[{` and `),;]}`). Prose often marks only with
    /// `,` and `.`: there the few sites are read instead of every word.
    fn may_use_sink(&self) -> bool {
        self.has_any(b"(`[={")
            || self.has_any(b",.")
                && (self.bytes.len() > MARKS_READ_MAX || js_sink::marks_may_use_sink(self.bytes))
    }

    /// Whether [`js_sink::js_view`] has anything to undo (its own test, from the set): an
    /// escape, or a `+` and a quote that may join two literals.
    fn may_hide_js(&self) -> bool {
        self.has(b'\\') || self.has(b'+') && self.has_any(b"\"'`")
    }

    /// Whether [`url_scheme::inspect_text`] can find anything: without a character reference
    /// its text must name a script or data scheme before a `:`, with nothing but characters a
    /// URL parser drops (tab, CR, LF, NUL, spaces) among the letters.
    ///
    /// A short value whose `&` starts no reference is read as it stands: then without a `:`,
    /// a tab, CR, LF or NUL it can name no scheme ("Tom & Jerry").
    fn may_hold_scheme(&self) -> bool {
        self.has(b'&')
            && (self.set.is_none()
                || self.has_any(b":\t\n\r\0")
                || url_scheme::has_reference(self.text))
            || self.has(b':') && url_scheme::names_scheme_spaced(self.bytes)
    }

    /// Whether [`css::inspect_bare`] can find anything: it reads no character references, so
    /// without CSS escapes and comments every construct it reports holds a `:` and a `(`,
    /// except `-moz-binding:`, which holds a `-`; and the words before them spell one
    /// ([`css::spells_css_call`], the gate `inspect_bare` itself starts with).
    fn may_hold_css(&self) -> bool {
        self.has(b'\\')
            || self.has_pair(*b"/*")
            || self.has(b':')
                && (self.has(b'(') || self.has(b'-'))
                && css::spells_css_call(self.text)
    }
}

/// Whether `b` holds the two bytes of `pair` side by side. These gates run on every value and
/// most values lack the first byte: a byte search answers that without building a substring
/// searcher each time.
pub(crate) fn has_pair(b: &[u8], pair: [u8; 2]) -> bool {
    memchr::memchr_iter(pair[0], b).any(|i| b.get(i + 1) == Some(&pair[1]))
}

/// Markup spelled in UTF-7 (`+ADw-script+AD4-`): judged as the markup it decodes to, and at
/// least a finding when it decodes to a tag, since only an evasion encodes markup so.
fn utf7_markup(text: &str) -> Option<Hit> {
    let decoded = utf7::decode_markup(text)?;
    let inner = structural_views(&decoded, &Gate::of(&decoded), false);
    let tag = tokenizer::has_tag_opener(&decoded);
    let score = inner
        .as_ref()
        .map_or(0.0, |h| h.score)
        .max(if tag { 0.6 } else { 0.0 });
    (score > 0.0).then(|| {
        let what = inner.map_or("markup".to_string(), |h| h.evidence);
        Hit::new(score, format!("UTF-7 encoded {what}"))
    })
}

/// Markup spelled with the eighth bit set (`¼script¾`): judged as the markup it folds to.
/// Unlike UTF-7, a folded tag alone is no finding ("¼tsp salt" folds to `<tsp salt`): the
/// folded tags must run script, or an element must be closed by a folded end tag
/// (`¼b¾x¼/b¾`), which no text with fractions does. Only tags count: a folded quote without
/// folded markup (`Ð¼x alert(¢1¢)`, Cyrillic text) is no sign of this evasion.
fn seven_bit_markup(text: &str) -> Option<Hit> {
    let folded = seven_bit::fold(text)?;
    let tokens = tokenizer::tokenize(&folded);
    if let Some((h, _)) = markup::inspect(&tokens, REPORT_AT) {
        return Some(Hit::new(
            h.score,
            format!("{} (US-ASCII, eighth bit dropped)", h.evidence),
        ));
    }
    seven_bit::folded_end_tag(text).then(|| {
        Hit::new(
            0.6,
            "element spelled with eighth-bit brackets (US-ASCII, eighth bit dropped)",
        )
    })
}

/// Markup outside what rich-text editors emit, even when it runs nothing by itself (`<math>`,
/// `<feImage>`, `<!doctype html>`, `<?import ...?>`): partial structure, at [`MODEL_FLOOR`],
/// so only a confident model can make it a finding. Editor tags and comments never count
/// here: the model is not precise enough on ordinary HTML.
fn inert_markup(tokens: &tokenizer::Tokens<'_>) -> Option<Hit> {
    let what = if let Some(t) = tokens.tags.iter().find(|t| !markup::is_editor_tag(&t.name)) {
        format!(
            "markup <{}{}> without script",
            if t.end { "/" } else { "" },
            t.name
        )
    } else {
        let m = &tokens.markers;
        if !(m.doctype || m.cdata || m.processing) {
            return None;
        }
        "markup declaration without script".to_string()
    };
    Some(Hit::new(MODEL_FLOOR, what))
}

/// A numeric character reference for `<` or `>` (`&#60;`, `&#x3C`): a tag opener hidden from
/// filters that match the character. Partial structure: the model decides.
fn encoded_angle_bracket(text: &str) -> Option<Hit> {
    let b = text.as_bytes();
    if !has_pair(b, *b"&#") {
        return None;
    }
    // Bounded: one pass over the `&#` positions, each looking at a few bytes.
    let found = memchr::memmem::find_iter(b, b"&#").any(|i| {
        let rest = &b[i + 2..];
        let (hex, digits) = match rest.first() {
            Some(b'x' | b'X') => (true, &rest[1..]),
            _ => (false, rest),
        };
        let zeros = digits.iter().take_while(|&&c| c == b'0').count();
        let body = &digits[zeros..];
        let len = body
            .iter()
            .take(8)
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        let num = &body[..len];
        if hex {
            num.eq_ignore_ascii_case(b"3c") || num.eq_ignore_ascii_case(b"3e")
        } else {
            num == b"60" || num == b"62"
        }
    });
    found.then(|| {
        Hit::new(
            MODEL_FLOOR,
            "numeric character reference for an angle bracket",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(t: &str) -> f32 {
        inspect(t).map_or(0.0, |f| f.score)
    }

    #[test]
    fn gates_agree_with_searches() {
        let short = "a&{b&#c<d\\e[]f`g=h:i{{j(k.l,m\tn\no\rp\0q\"r's/t-u";
        let long = format!("{}{short}", "x".repeat(GATE_SET_MAX));
        for t in [short, long.as_str(), "", "plain words", "é&"] {
            let g = Gate::of(t);
            for &c in GATE_BYTES.iter().chain(b"/*z") {
                assert_eq!(g.has(c), t.as_bytes().contains(&c), "{t} {}", c as char);
            }
            for pair in [*b"&{", *b"&#", *b"[]", *b"{{", *b"{&", *b"/*"] {
                let found = t.as_bytes().windows(2).any(|w| w == pair);
                assert_eq!(g.has_pair(pair), found, "{t}");
            }
        }
    }

    #[test]
    fn gates_skip_only_analyzers_that_find_nothing() {
        let long = format!("{} javascript:alert(1)", "x".repeat(GATE_SET_MAX));
        for t in [
            "O'Brien",
            "https://shop.example.com/products/42?color=blue",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
            "a < b and c > d",
            "alert(1)",
            "{alert}",
            "x,alert,y",
            "a=location.href",
            "al\\u0065rt(1)",
            "'al'+'ert'",
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "jav&#x61;script:alert(1)",
            "data:text/html,<script>",
            "x:expression(alert(1))",
            "-moz-binding:url(x)",
            "exp\\72 ession",
            "a/**/b",
            long.as_str(),
        ] {
            let g = Gate::of(t);
            if !g.may_use_sink() {
                assert!(js_sink::find_sinks(t).is_empty(), "{t}");
            }
            if !g.may_hide_js() {
                assert!(
                    matches!(js_sink::js_view(t), std::borrow::Cow::Borrowed(_)),
                    "{t}"
                );
            }
            if !g.may_hold_scheme() {
                assert!(url_scheme::inspect_text(t).is_none(), "{t}");
            }
            if !g.may_hold_css() {
                assert!(css::inspect_bare(t).is_none(), "{t}");
            }
        }
        let g = Gate::of("O'Brien");
        assert!(!g.may_use_sink() && !g.may_hide_js() && !g.may_hold_scheme());
        for t in ["O'Brien", "say \"hi\" -- a/b", "x'y\"z-/", "a/**/b'"] {
            assert!(!Gate::of(t).may_hold_any(), "{t}");
        }
        for t in ["a.b", "a\tb", "1+1", "x:y", "a&b", "\u{BC}", "{x}", "<b>"] {
            assert!(Gate::of(t).may_hold_any(), "{t:?}");
        }
        assert!(Gate::of(&"'".repeat(GATE_SET_MAX + 1)).may_hold_any());
        let g = Gate::of("https://shop.example.com/products/42?color=blue");
        assert!(!g.may_hold_scheme() && !g.may_hold_css() && g.may_use_sink());
        for t in ["alert(1)", "{alert}", "x,alert,y", "a=location.href"] {
            assert!(Gate::of(t).may_use_sink(), "{t}");
        }
        assert!(Gate::of("java\tscript:x").may_hold_scheme());
        assert!(Gate::of("x DATA:Text/html,y").may_hold_scheme());
        assert!(Gate::of("x data: ;base64 ,PHN2Zz4=").may_hold_scheme());
        // Documentation roles (`:data:`) name no URL that can carry markup.
        assert!(!Gate::of("see :data:`SECRET_KEY`").may_hold_scheme());
        assert!(Gate::of(&long).may_hold_scheme());
        assert!(Gate::of("-moz-binding:x").may_hold_css());
        assert!(Gate::of("'a'+'b'").may_hide_js());
    }

    #[test]
    fn gate_shortcuts_answer_as_the_full_reads() {
        // Sink names used every way, other words, and the bytes that mark or hide a use.
        const PARTS: [&str; 56] = [
            "&",
            "&",
            "&amp;",
            "&#106;",
            "&colon;",
            "javascript",
            "java",
            "script",
            ":",
            ":",
            "data",
            "text/html,",
            "url",
            "expression",
            "-moz-binding",
            "\\",
            "alert",
            "Alert",
            "document",
            "cookie",
            "location",
            "top",
            "eval",
            "prompt",
            "innerHTML",
            "please",
            "confirm",
            "Aoife",
            "no",
            "14",
            "x_1",
            "é",
            ",",
            ",",
            ".",
            ".",
            " ",
            "\t",
            "\n",
            "/*",
            "*/",
            "/",
            "\"",
            "'",
            ")",
            ";",
            "]",
            "}",
            "(",
            "=",
            "[",
            "{",
            "`",
            "+",
            "+ADw-",
            "<",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let (mut skipped, mut sinks, mut schemes, mut styles) = (0, 0, 0, 0);
        for _ in 0..200_000 {
            let s = rng.pieces(&PARTS, 7);
            let g = Gate::of(&s);
            assert_eq!(
                g.worth_scanning(),
                prefilter::worth_scanning(s.as_bytes()),
                "{s:?}"
            );
            if !g.may_hold_scheme() {
                assert!(url_scheme::inspect_text(&s).is_none(), "{s:?}");
            }
            if !g.may_hold_css() {
                assert!(css::inspect_bare(&s).is_none(), "{s:?}");
            }
            schemes += usize::from(url_scheme::inspect_text(&s).is_some());
            styles += usize::from(css::inspect_bare(&s).is_some());
            let found = !js_sink::find_sinks(&s).is_empty();
            if !g.may_use_sink() {
                assert!(!found, "{s:?}");
                skipped += 1;
            }
            // Sinks the site reading had to let through.
            sinks += usize::from(found && !g.has_any(b"(`[={"));
        }
        assert!(skipped > 20_000 && sinks > 500, "{skipped} {sinks}");
        assert!(schemes > 100 && styles > 100, "{schemes} {styles}");
        // Past MAX_MARKS sites the full read decides.
        let many = format!("{}x,alert,y", "a. 1".repeat(40));
        assert!(Gate::of(&many).may_use_sink());
        assert!(!js_sink::marks_may_use_sink(b"no. 14, Aoife! thanks."));
        for t in ["x,alert,y", "a. b", "x./**/y", "x.'y'", "x, /**/alert)"] {
            assert!(js_sink::marks_may_use_sink(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn beaten_hits_carry_no_evidence() {
        let built = Hit::unless_beaten(0.7, 0.7, || "x".to_string());
        assert_eq!((built.score, built.evidence.as_str()), (0.7, "x"));
        let skipped = Hit::unless_beaten(0.7, 0.95, || unreachable!());
        assert_eq!((skipped.score, skipped.evidence.as_str()), (0.7, ""));
        assert_eq!(strongest(&[]), 0.0);
        assert_eq!(strongest(&[Hit::new(0.3, "a"), Hit::new(0.8, "b")]), 0.8);
        // The markup verdict (0.95) beats the injected handler (0.85) and the probe (0.7):
        // their evidence is never built, the bonus still counts them.
        let f = inspect("<svg/onload=alert(document.cookie)>").expect("flagged");
        assert!(f
            .evidence
            .starts_with("tag <svg> with event handler onload"));
        assert!(f.score > 0.95);
    }

    #[test]
    fn combine_never_flags_without_structure() {
        assert_eq!(combine(0.0, 1.0), 0.0);
        assert_eq!(combine(0.2, 0.99), 0.2);
        assert_eq!(combine(0.3, 0.5), 0.3);
        assert!((combine(0.3, 0.95) - 0.65).abs() < 1e-6);
        assert_eq!(combine(0.9, 0.95), 0.95);
        assert_eq!(combine(0.9, 0.1), 0.9);
    }

    #[test]
    fn attacks_are_flagged_with_evidence() {
        let f = inspect("<svg/onload=alert(1)>").expect("flagged");
        assert_eq!(f.check, Check::Xss);
        assert!(
            f.evidence.contains("tag <svg> with event handler onload"),
            "{}",
            f.evidence
        );
        let f = inspect("<a href=\"java&#x09;script:alert(1)\">x</a>").expect("flagged");
        assert!(
            f.evidence
                .contains("javascript: scheme after entity/whitespace decoding"),
            "{}",
            f.evidence
        );
        let f = inspect("'-alert(1)-'").expect("flagged");
        assert!(f.evidence.contains("JS string breakout"), "{}", f.evidence);
        for t in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)//",
            "<IMG SRC=\"jav\tascript:alert('XSS');\">",
            "<a href=\"&#106;avascript:alert(1)\">",
            "\";alert(1)//",
            "'}};alert(1);//",
            "`${alert(1)}`",
            "{{constructor.constructor('alert(1)')()}}",
            "{{$on.constructor('alert(1)')()}}",
            "\" onmouseover=alert(1) \"",
            "javascript:alert(document.cookie)",
            "<div style=\"width:expression(alert(1))\">",
            "top[/al/.source+/ert/.source](1)",
            "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
            "+ADw-p+AD4-hi+ADw-/p+AD4-",
            "<img src=&{alert(1)};>",
            "<?import namespace=\"t\" implementation=\"#default#time2\">",
        ] {
            assert!(score(t) >= REPORT_AT, "{t}");
        }
    }

    #[test]
    fn partial_markup_needs_the_model() {
        assert!(encoded_angle_bracket("&#x003C;svg").is_some());
        assert!(encoded_angle_bracket("&#60").is_some());
        assert!(encoded_angle_bracket("&#600;").is_none());
        assert!(encoded_angle_bracket("&#x3d;").is_none());
        assert!(encoded_angle_bracket("&#").is_none());
        let editor = tokenizer::tokenize("<div class=\"note\"><!-- c --><p>x</p></div>");
        assert!(inert_markup(&editor).is_none());
        let odd = tokenizer::tokenize("<feImage>");
        assert_eq!(inert_markup(&odd).map(|h| h.score), Some(MODEL_FLOOR));
        assert!(
            inspect("<button onclick=\"return confirm('Delete this order?')\">x</button>")
                .is_none()
        );
        assert!(inspect("<button onclick=\"return confirm(1)\">x</button>").is_some());
    }

    #[test]
    fn never_panics_on_cut_multibyte_payloads() {
        let seeds = [
            "é<svg/onload=alert(1)>ü javascript:alert(1) ü\"é;alert(1)//",
            "ü&#106;avascript&colon;prompt`1`é{{constructor.constructor('é')()}}",
            "<a href=\"é\u{1F600}java\tscript:x\" style=\"exp\\72 ession(é)\">ün=é onerror=é(1)",
            "data:text/html;base64,ü\\u0061l\\x65rt(1)'+'é${é}",
        ];
        for seed in seeds {
            for (i, _) in seed.char_indices() {
                let _ = inspect(&seed[i..]);
                let _ = inspect(&seed[..i]);
            }
        }
    }

    #[test]
    fn benign_text_and_editor_html_pass() {
        for t in [
            "<p>Hello <strong>world</strong></p>",
            "<b>bold</b>",
            "<a href=\"https://example.com\">site</a>",
            "<img src=\"https://example.com/x.png\" alt=\"x\">",
            "<ul><li>a</li></ul><br><span style=\"color: red\">r</span>",
            "a < b and c > d",
            "x<y",
            "<3",
            "I <3 you",
            "Contact <john@example.com>",
            "if (a < b) { return x; }",
            "{\"order\": {\"city\": \"Zürich\", \"qty\": 2}}",
            "#074024",
            "color: red; background: url(https://x/y.png)",
            "O'Brien",
            "copy & paste",
            "Tom & Jerry",
            "Can you drop the table booking for tonight?",
            "{{ name }}",
            "JavaScript: The Good Parts",
            "C++ and A+B-",
            "&{\"a\": 1}",
            "<?xml version=\"1.0\"?><root/>",
            "\u{BC}tsp salt (fine), \u{BE}cup sugar: mix & bake",
        ] {
            assert!(inspect(t).is_none(), "{t}");
        }
    }

    #[test]
    fn eighth_bit_markup_is_read_as_ascii() {
        let f =
            inspect("\u{BC}script\u{BE}alert(\u{A2}x\u{A2})\u{BC}/script\u{BE}").expect("flagged");
        assert!(f.evidence.contains("eighth bit dropped"), "{}", f.evidence);
        let f = inspect("\u{C2}\u{BC}script\u{C2}\u{BE}alert(1)").expect("flagged");
        assert!(f.evidence.contains("eighth bit dropped"), "{}", f.evidence);
        assert!(inspect("\u{BC}t\u{BE}t(\u{A2}X\u{A2})\u{BC}/t\u{BE}").is_some());
        // Cyrillic `м` after `Ð` is no bracket; a folded quote alone is no markup.
        assert!(inspect("\u{D0}\u{BC}script\u{D0}\u{BE}alert(\u{A2}X\u{A2})").is_none());
        assert!(inspect("\u{BC}cup, then (\u{A2}x\u{A2})").is_none());
    }
}
