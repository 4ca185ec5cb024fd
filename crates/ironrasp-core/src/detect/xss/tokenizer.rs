//! A bounded, forgiving HTML tokenizer that finds tags the way a browser would accept them.
//!
//! It is not a conforming HTML parser: it only needs to see every start tag and its attributes
//! that a browser would build from the text, including malformed ones (`<svg/onload=..>`, no
//! closing `>`, NUL bytes, upper case). Comment and CDATA markers are skipped but their content
//! is still scanned, because a value may land in a context where the comment is already closed.

/// At most this many tags are returned; the rest of the text is not tokenized.
pub const MAX_TAGS: usize = 128;
/// At most this many attributes are kept per tag.
pub const MAX_ATTRS: usize = 32;
/// Tag and attribute names are cut to this many bytes (longer names are never dangerous ones).
const MAX_NAME: usize = 40;
/// Bytes of a name read to fill those.
const MAX_NAME_READ: usize = 1024;

use std::borrow::Cow;

/// One attribute: lower-cased name and raw (not yet entity-decoded) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    pub name: Cow<'a, str>,
    pub value: &'a str,
    /// The value was written without quotes (it ends at whitespace or `>`).
    pub unquoted: bool,
}

/// One start or end tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Lower-cased, NUL bytes removed.
    pub name: Cow<'a, str>,
    pub end: bool,
    pub attrs: Vec<Attr<'a>>,
    /// The tag ran to the end of the text without `>` (browsers still build it in many sinks).
    pub unclosed: bool,
    /// Byte range of the tag's content up to the next `<` (for `<script>`/`<style>` bodies).
    pub body: &'a str,
}

/// Kinds of markup seen besides tags (their presence is structure the model may weigh).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Markers {
    pub comment: bool,
    pub doctype: bool,
    pub cdata: bool,
    pub processing: bool,
    /// `<?import ... implementation=...>`: IE's import of an HTC behavior.
    pub import: bool,
}

/// The result of tokenizing one text.
#[derive(Debug, Default)]
pub struct Tokens<'a> {
    pub tags: Vec<Tag<'a>>,
    pub markers: Markers,
    /// True when [`MAX_TAGS`] stopped the scan.
    pub truncated: bool,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Returns true when `text` has a `<` that could open a tag, comment or declaration.
pub fn has_tag_opener(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| {
        b.get(i + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'))
    })
}

/// Cuts `s` at the largest char boundary `<= at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The name in `text[from..to]`: lower-cased, NUL and non-ASCII bytes dropped, cut to
/// [`MAX_NAME`] bytes. Borrowed when that changes nothing, as for nearly every real name.
fn name_of(text: &str, from: usize, to: usize) -> Cow<'_, str> {
    let bytes = &text.as_bytes()[from..to];
    let cut = bytes.len().min(MAX_NAME);
    let clean = bytes[..cut]
        .iter()
        .all(|&c| c != 0 && c.is_ascii() && !c.is_ascii_uppercase());
    if let Some(name) = text.get(from..from + cut).filter(|_| clean) {
        return Cow::Borrowed(name);
    }
    let mut out = String::new();
    // Bounded: a name of NUL or non-ASCII bytes never fills `out` (and no browser reads
    // such a name as a dangerous one), and every tag may read the same long name.
    for &c in bytes.iter().take(MAX_NAME_READ) {
        if out.len() >= MAX_NAME {
            break;
        }
        if c != 0 && c.is_ascii() {
            out.push(c.to_ascii_lowercase() as char);
        }
    }
    Cow::Owned(out)
}

/// Tokenizes `text`. Linear in its length; stops after [`MAX_TAGS`] tags.
pub fn tokenize(text: &str) -> Tokens<'_> {
    tokenize_remembering(text, true)
}

/// [`tokenize`]; with `remember` false every tag reads its runs afresh (the reference the
/// remembered runs must agree with).
fn tokenize_remembering(text: &str, remember: bool) -> Tokens<'_> {
    let b = text.as_bytes();
    // Sized once: every tag starts at a `<`, so the vector never grows while tags are pushed.
    // A plain count compiles to a vector loop: cheaper than one search call per `<`.
    let lts = b.iter().filter(|&&c| c == b'<').count();
    let mut out = Tokens {
        tags: Vec::with_capacity(lts.min(MAX_TAGS)),
        ..Tokens::default()
    };
    let mut runs = Runs::default();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        i = lt + 1;
        let Some(&next) = b.get(i) else { break };
        if next == b'!' {
            if b[i..].starts_with(b"!--") {
                out.markers.comment = true;
                i += 3;
            } else if b.len() >= i + 8 && b[i..i + 8].eq_ignore_ascii_case(b"![cdata[") {
                out.markers.cdata = true;
                i += 8;
            } else {
                // <!doctype ...> and other declarations: skip to '>'.
                if b.len() >= i + 8 && b[i + 1..i + 8].eq_ignore_ascii_case(b"doctype") {
                    out.markers.doctype = true;
                }
                i = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |p| i + p + 1);
            }
            continue;
        }
        if next == b'?' {
            out.markers.processing = true;
            if b.len() >= i + 7 && b[i + 1..i + 7].eq_ignore_ascii_case(b"import") {
                out.markers.import = true;
            }
            i = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |p| i + p + 1);
            continue;
        }
        let end = next == b'/';
        let name_start = if end { i + 1 } else { i };
        if !b.get(name_start).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if out.tags.len() >= MAX_TAGS {
            out.truncated = true;
            break;
        }
        if !remember {
            runs = Runs::default();
        }
        let mut j = name_start;
        while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let name = name_of(text, name_start, j);
        let (attrs, after, unclosed) = attrs_from(text, j, &mut runs);
        // Rescan from the end of the name, not of the tag: a `<` inside a quoted value is markup
        // if the value breaks out of its attribute, and we do not know where it lands.
        i = j;
        let body_end = memchr::memchr(b'<', &b[after..]).map_or(b.len(), |p| after + p);
        let body_end = body_end.max(after);
        let body = &text[floor_boundary(text, after)..floor_boundary(text, body_end)];
        out.tags.push(Tag {
            name,
            end,
            attrs,
            unclosed,
            body,
        });
    }
    out
}

/// The long byte runs of attributes read so far, by kind. Tags are re-read from every `<`
/// after a tag name (see [`tokenize`]), so a `<` inside an attribute starts a tag whose
/// attributes cross the same runs again: up to [`MAX_TAGS`] walks over the rest of a text
/// with no `>` (45 ms on 64 KB). A long run is walked once; a later read starting inside it
/// takes its end from here. (Tag names need none: the next tag starts after the name.)
#[derive(Default)]
struct Runs {
    attr_name: Run,
    unquoted: Run,
    separators: Run,
    spaces: Run,
    single: Run,
    double: Run,
    /// Positions between attributes read past MAX_ATTRS, with the tag end each leads to.
    ends: rustc_hash::FxHashMap<usize, (usize, bool)>,
}

/// Runs shorter than this are not remembered: they cost little to walk again.
const LONG_RUN: usize = 64;

/// Long runs `from..to` of one kind, sorted by `from`: each holds no stop byte of its kind
/// and `to` is the first one (or the text's end). Two runs that overlap end at the same
/// stop, so the last run starting at or before an index is the one that can hold it.
#[derive(Default)]
struct Run(Vec<(usize, usize)>);

impl Run {
    /// The first index at or after `from` whose byte is a `stop` (the text's length if none).
    fn until(&mut self, b: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
        if let Some(to) = self.known(from) {
            return to;
        }
        let to = b[from..]
            .iter()
            .position(|&c| stop(c))
            .map_or(b.len(), |p| from + p);
        self.walked(from, to)
    }

    /// [`Run::until`] for one byte.
    fn find(&mut self, b: &[u8], from: usize, byte: u8) -> usize {
        if let Some(to) = self.known(from) {
            return to;
        }
        let to = memchr::memchr(byte, &b[from..]).map_or(b.len(), |p| from + p);
        self.walked(from, to)
    }

    fn known(&self, at: usize) -> Option<usize> {
        let i = self.0.partition_point(|&(from, _)| from <= at);
        let (_, to) = *self.0.get(i.checked_sub(1)?)?;
        (at < to).then_some(to)
    }

    fn walked(&mut self, from: usize, to: usize) -> usize {
        #[cfg(test)]
        WALKED.with(|w| w.set(w.get() + (to - from)));
        if to - from >= LONG_RUN {
            let i = self.0.partition_point(|&(f, _)| f <= from);
            self.0.insert(i, (from, to));
        }
        to
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes walked by every [`Run`] of this thread: the work a test bounds.
    static WALKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Parses attributes from byte `start` up to the tag's `>`. Returns them, the index after the
/// tag, and whether the text ended first.
fn attrs_from<'a>(text: &'a str, start: usize, runs: &mut Runs) -> (Vec<Attr<'a>>, usize, bool) {
    let b = text.as_bytes();
    let mut attrs = Vec::new();
    let mut i = start;
    loop {
        i = skip_separators(b, i, runs);
        if i >= b.len() {
            return (attrs, i, true);
        }
        if b[i] == b'>' {
            return (attrs, i + 1, false);
        }
        if attrs.len() == MAX_ATTRS {
            // The rest are dropped anyway; only the tag's end is still wanted.
            let (after, unclosed) = tag_end(b, i, runs);
            return (attrs, after, unclosed);
        }
        let (attr, next) = attr_at(text, i, runs);
        i = next;
        attrs.push(attr);
    }
}

/// Where a tag whose attributes continue at `start` ends, and whether the text ended first:
/// the attributes are read as [`attrs_from`] reads them (a `>` inside a quoted value does
/// not end the tag) but not kept. Each position between attributes is remembered with the
/// end it leads to: a later tag whose reading reaches one of them (prose after a `<` with no
/// `>`: every tag reads the same words) takes the end from there.
fn tag_end(b: &[u8], start: usize, runs: &mut Runs) -> (usize, bool) {
    let mut between = Vec::new();
    let mut i = start;
    let end = loop {
        if let Some(&end) = runs.ends.get(&i) {
            break end;
        }
        between.push(i);
        i = skip_separators(b, i, runs);
        if i >= b.len() {
            break (i, true);
        }
        if b[i] == b'>' {
            break (i + 1, false);
        }
        i = attr_span(b, i, runs).next;
    };
    runs.ends.extend(between.into_iter().map(|p| (p, end)));
    end
}

/// The first attribute [`attrs_from`] would return from `start`, without reading the rest of
/// the tag. Public so that attribute injection without a tag (`" onmouseover=alert(1) x="`)
/// can reuse the same rules.
pub fn first_attr(text: &str, start: usize) -> Option<Attr<'_>> {
    let b = text.as_bytes();
    let mut runs = Runs::default();
    let i = skip_separators(b, start, &mut runs);
    (i < b.len() && b[i] != b'>').then(|| attr_at(text, i, &mut runs).0)
}

/// Whitespace and '/' separate attributes (browsers treat a stray '/' as a separator).
fn skip_separators(b: &[u8], i: usize, runs: &mut Runs) -> usize {
    runs.separators
        .until(b, i, |c| !(is_space(c) || c == b'/' || c == 0))
}

/// Where the parts of one attribute lie in the text.
struct AttrSpan {
    name_end: usize,
    /// Byte range of the value (without its quotes), if it has one.
    value: Option<(usize, usize)>,
    unquoted: bool,
    /// Index after the attribute.
    next: usize,
}

/// The parts of the attribute whose name starts at `n0`.
fn attr_span(b: &[u8], n0: usize, runs: &mut Runs) -> AttrSpan {
    // The first byte may be '=' (browsers keep it as part of the name).
    let name_end = runs.attr_name.until(b, n0 + 1, |c| {
        is_space(c) || matches!(c, b'/' | b'>' | b'=')
    });
    let k = runs.spaces.until(b, name_end, |c| !is_space(c));
    if k >= b.len() || b[k] != b'=' {
        return AttrSpan {
            name_end,
            value: None,
            unquoted: false,
            next: name_end,
        };
    }
    let k = runs.spaces.until(b, k + 1, |c| !is_space(c));
    if k < b.len() && (b[k] == b'"' || b[k] == b'\'') {
        let q = b[k];
        let v0 = k + 1;
        let run = if q == b'"' {
            &mut runs.double
        } else {
            &mut runs.single
        };
        let v1 = run.find(b, v0, q);
        AttrSpan {
            name_end,
            value: Some((v0, v1)),
            unquoted: false,
            next: (v1 + 1).min(b.len()),
        }
    } else {
        let v1 = runs.unquoted.until(b, k, |c| is_space(c) || c == b'>');
        AttrSpan {
            name_end,
            value: Some((k, v1)),
            unquoted: true,
            next: v1,
        }
    }
}

/// One attribute whose name starts at `n0`; returns it and the index after it.
fn attr_at<'a>(text: &'a str, n0: usize, runs: &mut Runs) -> (Attr<'a>, usize) {
    let span = attr_span(text.as_bytes(), n0, runs);
    let value = span.value.map_or("", |(v0, v1)| {
        &text[floor_boundary(text, v0)..floor_boundary(text, v1)]
    });
    let attr = Attr {
        name: name_of(text, n0, span.name_end),
        value,
        unquoted: span.unquoted,
    };
    (attr, span.next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Tag<'_> {
        tokenize(text).tags.into_iter().next().expect("a tag")
    }

    #[test]
    fn plain_tag_with_quoted_and_unquoted_values() {
        let t = first(r#"<a href="https://x.org/a b" class=big title='t'>x</a>"#);
        assert_eq!(t.name, "a");
        assert!(!t.end && !t.unclosed);
        assert_eq!(t.attrs.len(), 3);
        assert_eq!(t.attrs[0].value, "https://x.org/a b");
        assert_eq!(t.attrs[1].value, "big");
        assert_eq!(t.attrs[2].value, "t");
        assert_eq!(t.body, "x");
    }

    #[test]
    fn slash_separated_tag() {
        let t = first("<svg/onload=alert(1)>");
        assert_eq!(t.name, "svg");
        assert_eq!(t.attrs[0].name, "onload");
        assert_eq!(t.attrs[0].value, "alert(1)");
    }

    #[test]
    fn unclosed_tag_and_uppercase() {
        let t = first("<IMG SRC=x ONERROR=alert(1)//");
        assert_eq!(t.name, "img");
        assert!(t.unclosed);
        assert_eq!(t.attrs[1].name, "onerror");
        assert_eq!(t.attrs[1].value, "alert(1)//");
    }

    #[test]
    fn null_bytes_in_name_are_dropped() {
        let t = first("<scr\0ipt>alert(1)</script>");
        assert_eq!(t.name, "script");
        assert_eq!(t.body, "alert(1)");
        assert!(tokenize("<scr\0ipt>x</script>").tags[1].end);
    }

    #[test]
    fn comments_doctype_cdata_are_markers_and_content_still_scanned() {
        let toks = tokenize("<!doctype html><!--<img src=x onerror=alert(1)>--><![CDATA[<b>]]>");
        assert!(toks.markers.doctype && toks.markers.comment && toks.markers.cdata);
        assert_eq!(toks.tags[0].name, "img");
        assert_eq!(toks.tags[1].name, "b");
    }

    #[test]
    fn less_than_in_prose_is_not_a_tag() {
        assert!(tokenize("a < b and c > d, x<3, 1<2").tags.is_empty());
        assert!(!has_tag_opener("I <3 you"));
        assert!(has_tag_opener("x <b>y"));
    }

    #[test]
    fn markup_inside_quoted_values_is_seen() {
        let toks = tokenize("<a title=\"<img src=x onerror=alert(1)>\">x</a>");
        assert_eq!(toks.tags[1].name, "img");
        assert_eq!(toks.tags[1].attrs[1].name, "onerror");
    }

    #[test]
    fn bounded_number_of_tags() {
        let text = "<b>".repeat(MAX_TAGS + 10);
        let toks = tokenize(&text);
        assert_eq!(toks.tags.len(), MAX_TAGS);
        assert!(toks.truncated);
    }

    #[test]
    fn clean_names_are_borrowed_and_others_folded() {
        let t = first("<a href=x>");
        assert!(matches!(t.name, Cow::Borrowed("a")));
        assert!(matches!(t.attrs[0].name, Cow::Borrowed("href")));
        let t = first("<A HR\0EF=x>");
        assert!(matches!(t.name, Cow::Owned(_)));
        assert_eq!(t.attrs[0].name, "href");
        let long = format!("<{}>", "b".repeat(MAX_NAME + 9));
        assert_eq!(first(&long).name.len(), MAX_NAME);
    }

    #[test]
    fn first_attr_matches_attrs_from() {
        for t in ["x onload=a(1) y=2>", " /ONclick = \"b\" c", "  >x", "", "a"] {
            let (attrs, _, _) = attrs_from(t, 0, &mut Runs::default());
            assert_eq!(first_attr(t, 0), attrs.into_iter().next(), "{t}");
        }
    }

    #[test]
    fn remembered_runs_read_as_fresh_ones() {
        // Texts where tags start inside the runs of earlier ones: names, values and separator
        // runs with no stop byte, quotes left open, more than MAX_ATTRS attributes.
        // Runs past LONG_RUN too, so that remembered ones are read.
        let (word, gap) = ("x".repeat(LONG_RUN + 6), " /".repeat(LONG_RUN / 2 + 3));
        let parts = [
            word.as_str(),
            gap.as_str(),
            "<",
            "<a",
            "</b",
            "<svg/",
            "x",
            "é",
            " ",
            "  ",
            "/",
            "//",
            "=",
            "\"",
            "'",
            ">",
            "onload=",
            "alert(1)",
            "\0",
            "\n",
            "<!--",
            "<?x",
            "a=b ",
            "<img src=",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x5eed_7a65);
        for _ in 0..20_000 {
            let mut text = rng.pieces(&parts, 60);
            if rng.below(4) == 0 {
                text.push_str(&"a ".repeat(MAX_ATTRS + rng.below(4)));
                text.push_str(&rng.pieces(&parts, 10));
            }
            let (a, b) = (
                tokenize_remembering(&text, true),
                tokenize_remembering(&text, false),
            );
            assert_eq!(a.tags, b.tags, "{text:?}");
            assert_eq!(
                (a.markers, a.truncated),
                (b.markers, b.truncated),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_long_text_with_no_tag_end_is_read_in_linear_time() {
        // Tags starting inside the runs of earlier ones, to the end of the text: each run is
        // walked once, not once per tag.
        let cases = [
            "in effect, or the DST offset (as tim<".repeat(1000),
            "document.cookie=true;</sc81".repeat(1500),
            "<a/".repeat(15_000),
            format!("{}{}x", "<a/".repeat(30), " ".repeat(40_000)),
            "<b/a=b".repeat(8_000),
            // Every tag reads the same long values after its own first one.
            format!(
                "{}{}",
                "<a/x=".repeat(128),
                format!(" y={}", "B".repeat(1000)).repeat(30)
            ),
        ];
        for text in &cases {
            let walked = |remember| {
                WALKED.with(|w| w.set(0));
                tokenize_remembering(text, remember);
                WALKED.with(|w| w.get())
            };
            let (once, fresh) = (walked(true), walked(false));
            assert!(once <= 4 * text.len(), "{once} for {} bytes", text.len());
            assert!(
                fresh > 20 * text.len(),
                "the case walks runs again: {fresh}"
            );
        }
    }

    #[test]
    fn a_name_is_read_for_at_most_max_name_read_bytes() {
        // Non-ASCII bytes are dropped from names (two per `é`).
        let text = format!("<a {}onclick=x>", "é".repeat(MAX_NAME_READ / 2));
        assert_eq!(first(&text).attrs[0].name, "");
        let text = format!("<a {}onclick=x>", "é".repeat(MAX_NAME_READ / 2 - 8));
        assert_eq!(first(&text).attrs[0].name, "onclick");
    }

    #[test]
    fn a_tag_past_max_attrs_still_ends_at_its_own_gt() {
        // A `>` inside a quoted value past the kept attributes does not end the tag: the body
        // of this style is the CSS after the real end.
        let attrs: String = (0..MAX_ATTRS).map(|i| format!(" data-k{i}=v{i}")).collect();
        let text = format!("<style{attrs} title=\"><\" >@import \"//e.example/x.css\";</style>");
        let t = first(&text);
        assert_eq!(t.attrs.len(), MAX_ATTRS);
        assert!(!t.unclosed);
        assert_eq!(t.body, "@import \"//e.example/x.css\";");
    }

    #[test]
    fn multibyte_text_never_panics() {
        let toks = tokenize("<a title=\"é\u{1F600}\">ü<é <b é=ü>");
        assert_eq!(toks.tags[0].attrs[0].value, "é\u{1F600}");
        for t in [
            "<", "<a", "<a b=", "<a b=\"", "</", "<!--", "<!", "<?", "<a/",
        ] {
            let _ = tokenize(t);
        }
    }
}
