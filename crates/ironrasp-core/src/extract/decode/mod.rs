//! Decoded views of a value. The engine scans the value itself, then every view returned by
//! [`expand`], each tagged with the chain of transforms that produced it (e.g.
//! `["base64", "json"]`) so a finding can say how the payload was hidden.
//!
//! Expansion is breadth-first over the [`Decoder`]s; every new view is expanded again up to
//! `max_decode_depth` layers (double and triple percent encoding, base64 of JSON, ...).
//! Identical texts are kept once, a view never equals the original, and the work is bounded by
//! `max_value_len` (per value and per view), `max_views_per_value`, the JSON bounds and a
//! budget of bytes fed to decoders (`WORK_BUDGET`); going past one makes [`expand`] return
//! true so the caller can report `limit_exceeded`.
//!
//! Benign values cost one cheap byte scan per decoder and no allocation: every
//! [`Decoder::applies`] is a scan that stops early, and base64 candidates are probed in a
//! stack buffer before anything is allocated.

pub(crate) mod base64;
mod data_uri;
mod document;
mod escape;
mod html;
mod json;
mod jwt;
mod percent;
mod query;
mod unicode;
mod xml;

use crate::detect::prefilter::Classes;
use crate::limits::Limits;
use crate::prefilter_set;

/// Bytes fed to decoders for one value, in multiples of `max_value_len`. Bounds the worst case
/// (every view a long text that several decoders open) to a few milliseconds; ordinary values,
/// even long encoded ones, use one or two multiples.
const WORK_BUDGET: usize = 4;

/// One decoded view of a value.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub text: String,
    pub chain: Vec<&'static str>,
    pub json_path: Option<String>,
}

/// One output of a decoder: a text, and for structured decoders (JSON, JWT) its path.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub text: String,
    pub path: Option<String>,
}

/// The decoders, in the order expansion tries them (cheap and common first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoder {
    Percent,
    Html,
    Unicode,
    Base64,
    Base64Url,
    /// Base64 payloads of `data:` URIs embedded in a larger value.
    DataUri,
    Jwt,
    Json,
    /// A query string or form nested in a value (`next=/p?q=...`, an encoded `=`).
    Query,
    /// Backslash hex escapes of string literals (`\x3c`, `\u0027`).
    Escape,
    /// An XML document (`<?xml` first): its attribute values and text nodes.
    Xml,
}

impl Decoder {
    pub const ALL: [Decoder; 11] = [
        Decoder::Percent,
        Decoder::Html,
        Decoder::Unicode,
        Decoder::Base64,
        Decoder::Base64Url,
        Decoder::DataUri,
        Decoder::Jwt,
        Decoder::Json,
        Decoder::Query,
        Decoder::Escape,
        Decoder::Xml,
    ];

    /// The name recorded in a view's chain.
    pub fn name(self) -> &'static str {
        match self {
            Decoder::Percent => "percent",
            Decoder::Html => "html",
            Decoder::Unicode => "unicode",
            Decoder::Base64 => "base64",
            Decoder::Base64Url => "base64url",
            Decoder::DataUri => "data-uri",
            Decoder::Jwt => "jwt",
            Decoder::Json => "json",
            Decoder::Query => "query",
            Decoder::Escape => "escape",
            Decoder::Xml => "xml",
        }
    }

    /// Cheap pre-check: a byte scan, no allocation. False means `decode` would give nothing.
    pub fn applies(self, text: &str) -> bool {
        match self {
            Decoder::Percent => percent::applies(text),
            Decoder::Html => html::applies(text),
            Decoder::Unicode => unicode::applies(text),
            Decoder::Base64 => base64::applies(text, base64::Alphabet::Standard),
            Decoder::Base64Url => base64::applies(text, base64::Alphabet::UrlSafe),
            Decoder::DataUri => data_uri::applies(text),
            Decoder::Jwt => jwt::applies(text),
            Decoder::Json => json::applies(text),
            Decoder::Query => query::applies(text),
            Decoder::Escape => escape::applies(text),
            Decoder::Xml => xml::applies(text),
        }
    }

    /// The one-text transforms (all but data URIs, JSON, JWT and nested queries, which may
    /// reveal several texts): the decoded text, or None when nothing changed or the text does not qualify.
    pub fn decode_text(self, text: &str, limits: &Limits) -> Option<String> {
        match self {
            Decoder::Percent => percent::decode(text),
            Decoder::Html => html::decode(text),
            Decoder::Unicode => unicode::decode(text, limits.max_value_len),
            Decoder::Base64 => base64::decode(text, base64::Alphabet::Standard),
            Decoder::Base64Url => base64::decode(text, base64::Alphabet::UrlSafe),
            Decoder::Escape => escape::decode(text),
            Decoder::DataUri | Decoder::Jwt | Decoder::Json | Decoder::Query | Decoder::Xml => None,
        }
    }

    /// Pushes what this decoder reveals in `text` onto `out`: one piece for the text
    /// transforms (two for percent escapes beside a raw `+`), one per payload for data URIs,
    /// one per key and leaf for JSON and JWT.
    /// Returns true when a bound (JSON, nested pairs) left something out.
    pub fn decode(self, text: &str, limits: &Limits, out: &mut Vec<Piece>) -> bool {
        match self {
            Decoder::DataUri => {
                data_uri::decode(text, out);
                false
            }
            Decoder::Jwt => jwt::decode(text, limits, out),
            Decoder::Json => json::decode(text, limits, out),
            Decoder::Xml => xml::decode(text, limits, out),
            Decoder::Percent => {
                // Both readings of a raw `+`: `unquote_plus` (a space) and `unquote` (a plus).
                let readings = [percent::decode(text), percent::decode_keeping_plus(text)];
                out.extend(
                    readings
                        .into_iter()
                        .flatten()
                        .map(|text| Piece { text, path: None }),
                );
                false
            }
            Decoder::Query => {
                let (values, cut) = query::decode(text);
                out.extend(values.into_iter().map(|text| Piece { text, path: None }));
                cut
            }
            _ => {
                if let Some(t) = self.decode_text(text, limits) {
                    out.push(Piece {
                        text: t,
                        path: None,
                    });
                }
                false
            }
        }
    }
}

/// Classes of the bytes of a base64 alphabet: letters of either case and digits, with its
/// symbols and padding (a space stands for `+` in the standard one); and of hex digests
/// and UUIDs (letters past `f` are `BEYOND_HEX`), which base64 candidates must go beyond.
const ALNUM: Classes = prefilter_set![LETTER, UPPER, LOWER, BEYOND_HEX, DIGIT];
const STANDARD_BYTES: Classes = ALNUM.or(prefilter_set![PLUS, SLASH, EQ, SPACE]);
const URL_SAFE_BYTES: Classes = ALNUM.or(prefilter_set![DASH, UNDERSCORE, EQ]);
const HEX_BYTES: Classes = prefilter_set![LETTER, UPPER, LOWER, DIGIT, DASH];

/// What the prefilter's byte classes (`detect::prefilter::Classes`, the pass the detectors
/// read too) prove about the decoders: `may(d)` false means
/// `d.applies(text)` is false, so the decoder's own (costlier) scan is skipped. Every test
/// below is a byte each decoder's `applies` requires, read off its code:
/// percent needs `%`, html `&`, unicode a non-ASCII byte, data URIs `,` (of `;base64,`),
/// nested queries `=`, escapes a backslash, JWTs two `.`; base64 needs
/// [`base64::MIN_LEN`] trimmed bytes all from its alphabet, two of upper case, lower case
/// and digits, a byte that is not hex or `-`, and for the URL-safe alphabet a `-` or `_`.
/// JSON's first/last byte test is already as cheap as this. None of these bytes is ASCII
/// whitespace, so reading the trimmed text (as base64, JWT and JSON do) sees the same ones as
/// the whole text, except for the base64 tests, which read absences (see `from_classes`).
/// The test `hints_read_what_each_decoder_needs_from_the_classes` checks every reading
/// against the bytes.
#[derive(Clone, Copy)]
struct Hints {
    /// The prefilter's classes of the trimmed text (every class when it was not read).
    seen: Classes,
    trimmed_len: usize,
}

impl Hints {
    /// Texts longer than this are not classified: memchr's vector scans beat a byte loop
    /// there, and long values are rarely free of every trigger byte anyway.
    const MAX_LEN: usize = 256;

    fn of(text: &str) -> Self {
        let t = text.trim_ascii();
        if t.len() > Self::MAX_LEN {
            return Hints {
                seen: Classes::ALL,
                trimmed_len: t.len(),
            };
        }
        Hints {
            seen: Classes::of(t),
            trimmed_len: t.len(),
        }
    }

    /// [`Hints::of`] from the prefilter's classes of the whole `text`, which the detectors
    /// read already. They hold for the trimmed text only when the text has no ASCII white
    /// space at either end (the base64 tests read absences); a text that does is read again.
    fn from_classes(text: &str, present: Classes) -> Self {
        let b = text.as_bytes();
        if b.len() > Self::MAX_LEN
            || b.first().is_some_and(u8::is_ascii_whitespace)
            || b.last().is_some_and(u8::is_ascii_whitespace)
        {
            return Self::of(text);
        }
        Hints {
            seen: present,
            trimmed_len: b.len(),
        }
    }

    fn has(self, c: Classes) -> bool {
        self.seen.any(c)
    }

    /// A byte outside the classes `alphabet`.
    fn beyond(self, alphabet: Classes) -> bool {
        self.seen.0 & !alphabet.0 != 0
    }

    fn may_be_base64(self, alphabet: Classes) -> bool {
        let classes = [Classes::UPPER, Classes::LOWER, Classes::DIGIT]
            .iter()
            .filter(|&&c| self.has(c))
            .count();
        self.trimmed_len >= base64::MIN_LEN
            && !self.beyond(alphabet)
            && classes >= 2
            && self.beyond(HEX_BYTES)
    }

    fn may(self, d: Decoder) -> bool {
        if self.seen == Classes::ALL {
            return true;
        }
        match d {
            Decoder::Percent => self.has(Classes::PERCENT),
            Decoder::Html => self.has(Classes::AMP),
            Decoder::Unicode => self.has(Classes::NON_ASCII),
            Decoder::Base64 => self.may_be_base64(STANDARD_BYTES),
            Decoder::Base64Url => {
                self.may_be_base64(URL_SAFE_BYTES) && self.has(prefilter_set![DASH, UNDERSCORE])
            }
            Decoder::DataUri => self.has(Classes::COMMA),
            Decoder::Jwt => self.has(Classes::DOT),
            Decoder::Json => true,
            Decoder::Query => self.has(Classes::EQ),
            Decoder::Escape => self.has(Classes::BACKSLASH),
            Decoder::Xml => self.has(Classes::LT) && self.has(Classes::QMARK),
        }
    }
}

/// Views the nodes of a document found in a value (JSON, a JWT's claims, XML) may take, in
/// all: a document holds many by nature (GraphQL variables in a query string, an ID token's
/// claims, a SAML response's 25 attribute values and text nodes), and their bytes are the
/// document's own, so reading them costs about one more reading of it. Other decoders keep
/// `max_views_per_value`.
pub(super) fn document_views(limits: &Limits) -> usize {
    limits.max_views_per_value.saturating_mul(4)
}

/// `\x3c`, `\u0027` and `\u{3c}` string-literal escapes resolved, or `None` when there are none
/// (the `escape` decoder's transform, for a detector that reads escapes itself).
pub(crate) fn string_escapes(text: &str) -> Option<String> {
    escape::decode(text)
}

/// Pushes every decoded view of `value` (not the value itself) onto `out`.
/// Returns true when a decoding limit stopped the expansion.
pub fn expand(value: &str, limits: &Limits, out: &mut Vec<View>) -> bool {
    let (value, clipped) = clip(value, limits.max_value_len);
    expand_hinted(value, clipped, Hints::of(value), limits, None, out)
}

/// [`expand`] of a value whose prefilter classes the caller has read (`present` must be
/// `Classes::of(value)`): the decoders' hints come from them, not from another pass.
pub fn expand_classified(
    value: &str,
    present: Classes,
    limits: &Limits,
    out: &mut Vec<View>,
) -> bool {
    expand_classified_without(value, present, limits, None, out)
}

/// [`expand_classified`] without the decoder `skip` on the value itself (its views are read by
/// every decoder): for a value the extraction already took apart that way, such as an XML
/// body whose nodes are inputs of their own.
pub fn expand_classified_without(
    value: &str,
    present: Classes,
    limits: &Limits,
    skip: Option<Decoder>,
    out: &mut Vec<View>,
) -> bool {
    let (clipped_value, clipped) = clip(value, limits.max_value_len);
    // The classes are those of the whole value: a cut one is read again.
    let hints = if clipped {
        Hints::of(clipped_value)
    } else {
        Hints::from_classes(value, present)
    };
    expand_hinted(clipped_value, clipped, hints, limits, skip, out)
}

/// [`expand`] once the value is clipped and its hints read.
fn expand_hinted(
    value: &str,
    clipped: bool,
    hints: Hints,
    limits: &Limits,
    skip: Option<Decoder>,
    out: &mut Vec<View>,
) -> bool {
    // The unicode decoder applies to every non-ASCII value, but gives nothing for one already in
    // NFKC (nearly all non-Latin text). When no other decoder applies, expansion would end
    // with no view and nothing reported (the first decoder always fits the work budget).
    // Asked apart from the others: folded into their loop, the Unicode check kept the compiler
    // from unrolling it, which cost every short ASCII value ~200 instructions.
    let others = Decoder::ALL
        .iter()
        .any(|&d| d != Decoder::Unicode && Some(d) != skip && hints.may(d) && d.applies(value));
    let folds = || hints.may(Decoder::Unicode) && unicode::may_fold(value);
    if !others && !folds() {
        return clipped;
    }
    let start = out.len();
    let mut x = Expansion {
        root: value,
        limits,
        start,
        out,
        hit: clipped,
        full: false,
        budget: limits.max_value_len.saturating_mul(WORK_BUDGET),
        skip_at_root: skip,
    };
    x.node(value, &[], None);
    // Breadth-first: the views pushed so far are the queue.
    let mut i = start;
    while i < x.out.len() && !x.full {
        let view = std::mem::replace(
            &mut x.out[i],
            View {
                text: String::new(),
                chain: Vec::new(),
                json_path: None,
            },
        );
        x.node(&view.text, &view.chain, view.json_path.as_deref());
        x.out[i] = view;
        i += 1;
    }
    x.hit
}

/// The first `max` bytes of `s`, cut back to a char boundary, and whether anything was cut.
fn clip(s: &str, max: usize) -> (&str, bool) {
    let c = crate::clip::clip(s, max);
    (c, c.len() < s.len())
}

struct Expansion<'a> {
    root: &'a str,
    limits: &'a Limits,
    start: usize,
    out: &'a mut Vec<View>,
    hit: bool,
    full: bool,
    /// Bytes decoders may still read.
    budget: usize,
    /// A decoder not run on the value itself (see [`expand_classified_without`]).
    skip_at_root: Option<Decoder>,
}

impl Expansion<'_> {
    /// Runs every decoder on `text` (a view with `chain`, or the value when `chain` is empty).
    fn node(&mut self, text: &str, chain: &[&'static str], path: Option<&str>) {
        let at_depth_bound = chain.len() >= self.limits.max_decode_depth;
        let mut pieces = Vec::new();
        let hints = Hints::of(text);
        for d in Decoder::ALL {
            if (chain.is_empty() && Some(d) == self.skip_at_root)
                || !hints.may(d)
                || !d.applies(text)
            {
                continue;
            }
            if text.len() > self.budget {
                self.hit = true;
                self.full = true;
                return;
            }
            self.budget -= text.len();
            pieces.clear();
            self.hit |= d.decode(text, self.limits, &mut pieces);
            for piece in pieces.drain(..) {
                let (piece_text, cut) = clip(&piece.text, self.limits.max_value_len);
                if piece_text == text || self.seen(piece_text) {
                    continue;
                }
                // Something new that will not be shown: a bound stopped the expansion.
                if at_depth_bound {
                    self.hit = true;
                    return;
                }
                let cap = match d {
                    Decoder::Json | Decoder::Jwt | Decoder::Xml => document_views(self.limits),
                    _ => self.limits.max_views_per_value,
                };
                if self.out.len() - self.start >= cap {
                    self.hit = true;
                    self.full = true;
                    return;
                }
                self.hit |= cut;
                let mut view_chain = Vec::with_capacity(chain.len() + 1);
                view_chain.extend_from_slice(chain);
                view_chain.push(d.name());
                let json_path = join_paths(path, piece.path.as_deref());
                let text = if cut {
                    piece_text.to_owned()
                } else {
                    piece.text
                };
                self.out.push(View {
                    text,
                    chain: view_chain,
                    json_path,
                });
            }
        }
    }

    fn seen(&self, text: &str) -> bool {
        text == self.root || self.out[self.start..].iter().any(|v| v.text == text)
    }
}

/// A piece's JSON path inside a view that already has one: "$.a" + "$.b" -> "$.a.b".
fn join_paths(parent: Option<&str>, inner: Option<&str>) -> Option<String> {
    match (parent, inner) {
        (Some(p), Some(i)) => Some(format!("{p}{}", i.get(1..).unwrap_or(""))),
        (Some(p), None) => Some(p.to_owned()),
        (None, i) => i.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use ::base64::Engine;

    fn views(value: &str) -> (Vec<View>, bool) {
        let mut out = Vec::new();
        let hit = expand(value, &Limits::default(), &mut out);
        (out, hit)
    }

    /// What each decoder's `applies` needs of the trimmed text's bytes, written byte by byte:
    /// the reference [`Hints::may`] must equal.
    fn may_by_bytes(text: &str, d: Decoder) -> bool {
        let t = text.trim_ascii().as_bytes();
        let has = |f: fn(&u8) -> bool| t.iter().any(f);
        let base64 = |symbols: &[u8], needs_symbol: bool| {
            let kinds = [
                has(u8::is_ascii_uppercase),
                has(u8::is_ascii_lowercase),
                has(u8::is_ascii_digit),
            ];
            t.len() >= base64::MIN_LEN
                && t.iter()
                    .all(|c| c.is_ascii_alphanumeric() || symbols.contains(c))
                && kinds.iter().filter(|&&k| k).count() >= 2
                && has(|c| !(c.is_ascii_hexdigit() || *c == b'-'))
                && (!needs_symbol || has(|c| matches!(c, b'-' | b'_')))
        };
        match d {
            Decoder::Percent => has(|c| *c == b'%'),
            Decoder::Html => has(|c| *c == b'&'),
            Decoder::Unicode => has(|c| !c.is_ascii()),
            Decoder::Base64 => base64(b"+/= ", false),
            Decoder::Base64Url => base64(b"-_=", true),
            Decoder::DataUri => has(|c| *c == b','),
            Decoder::Jwt => has(|c| *c == b'.'),
            Decoder::Json => true,
            Decoder::Query => has(|c| *c == b'='),
            Decoder::Escape => has(|c| *c == b'\\'),
            Decoder::Xml => has(|c| *c == b'<') && has(|c| *c == b'?'),
        }
    }

    #[test]
    fn hints_read_what_each_decoder_needs_from_the_classes() {
        // Every byte class the hints tell apart, white space at either end or not.
        let pieces = [
            "a", "f", "g", "z", "A", "F", "G", "Z", "0", "9", "-", "_", "+", "/", "=", " ", "\t",
            "%", "&", ",", ".", "\\", "é", "’", "\u{85}", "<", "~", "\n", "\u{7f}", "?",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..40_000 {
            let n = rng.below(12);
            let t: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            let hints = [Hints::of(&t), Hints::from_classes(&t, Classes::of(&t))];
            for d in Decoder::ALL {
                for h in hints {
                    assert_eq!(h.may(d), may_by_bytes(&t, d), "{t:?} {d:?}");
                }
            }
        }
        let long = "a".repeat(300);
        assert!(Decoder::ALL
            .iter()
            .all(|&d| Hints::from_classes(&long, Classes::of(&long)).may(d)));
    }

    #[test]
    fn expansion_with_the_classes_gives_the_same_views() {
        for v in [
            "PHNjcmlwdD4=",
            " PHNjcmlwdD4= ",
            "a%3Cb",
            "x=1&y=%27",
            "Remplissage",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "ＳＥＬＥＣＴ",
            "plain words",
        ] {
            let mut a = Vec::new();
            let mut b = Vec::new();
            let limits = Limits::default();
            let hit_a = expand_classified(v, Classes::of(v), &limits, &mut a);
            let hit_b = expand(v, &limits, &mut b);
            let texts = |x: &[View]| x.iter().map(|w| w.text.clone()).collect::<Vec<_>>();
            assert_eq!((texts(&a), hit_a), (texts(&b), hit_b), "{v:?}");
        }
    }

    fn find<'a>(vs: &'a [View], text: &str) -> Option<&'a View> {
        vs.iter().find(|v| v.text == text)
    }

    #[test]
    fn double_and_triple_percent_encoding() {
        let (vs, hit) = views("%253Cscript%253Ealert(1)%253C%252Fscript%253E");
        assert!(!hit);
        assert_eq!(
            find(&vs, "<script>alert(1)</script>").unwrap().chain,
            ["percent", "percent"]
        );
        let (vs, hit) = views("..%25252f..%25252fetc%25252fpasswd");
        assert!(!hit);
        assert_eq!(
            find(&vs, "../../etc/passwd").unwrap().chain,
            ["percent", "percent", "percent"]
        );
    }

    #[test]
    fn fourth_layer_is_a_reported_limit() {
        let (vs, hit) = views("%2525252e%2525252e%2525252f");
        assert!(hit);
        assert!(vs.iter().all(|v| v.chain.len() <= 3));
        assert!(find(&vs, "../").is_none());
        assert!(find(&vs, "%2e%2e%2f").is_some());
    }

    #[test]
    fn iis_and_overlong_forms() {
        let (vs, _) = views("%u002e%u002e%u2215etc");
        assert!(find(&vs, "..∕etc").is_some());
        let (vs, _) = views("..%c0%af..%c0%afwinnt%c0%afsystem32");
        assert_eq!(
            find(&vs, "../../winnt/system32").unwrap().chain,
            ["percent"]
        );
        let (vs, _) = views("%25c0%25ae%25c0%25ae%25e0%2580%25af");
        assert_eq!(find(&vs, "../").unwrap().chain, ["percent", "percent"]);
    }

    #[test]
    fn base64_and_base64url_of_attacks() {
        let xss = "<script>alert(document.domain)</script>";
        let (vs, _) = views(&STANDARD.encode(xss));
        assert_eq!(find(&vs, xss).unwrap().chain, ["base64"]);
        let payload = "<svg/onload=alert(1)>?>>";
        let (vs, _) = views(&URL_SAFE_NO_PAD.encode(payload));
        assert_eq!(find(&vs, payload).unwrap().chain, ["base64url"]);
        // Percent-encoded base64 (a cookie), then base64.
        let sqli = "1' UNION SELECT password FROM users--";
        let enc = STANDARD
            .encode(sqli)
            .replace('=', "%3D")
            .replace('+', "%2B")
            .replace('/', "%2F");
        let (vs, _) = views(&enc);
        assert!(find(&vs, sqli).unwrap().chain.ends_with(&["base64"]));
    }

    #[test]
    fn data_uri_in_markup() {
        let (vs, _) =
            views("<iframe src=%22data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==%22>");
        assert_eq!(
            find(&vs, "<script>alert(1)</script>").unwrap().chain,
            ["data-uri"]
        );
    }

    #[test]
    fn json_inside_base64() {
        let doc = r#"{"user":"admin","q":"' OR '1'='1","n":[1,"<img src=x onerror=alert(1)>"]}"#;
        let (vs, hit) = views(&STANDARD.encode(doc));
        assert!(!hit);
        assert_eq!(find(&vs, doc).unwrap().chain, ["base64"]);
        let q = find(&vs, "' OR '1'='1").unwrap();
        assert_eq!(q.chain, ["base64", "json"]);
        assert_eq!(q.json_path.as_deref(), Some("$.q"));
        let img = find(&vs, "<img src=x onerror=alert(1)>").unwrap();
        assert_eq!(img.json_path.as_deref(), Some("$.n[1]"));
        assert!(find(&vs, "admin").is_none(), "inert leaves are not views");
    }

    #[test]
    fn json_value_and_encoded_leaf() {
        let inner = STANDARD.encode("../../../etc/shadow");
        let (vs, _) = views(&format!(r#"{{"file":"{inner}"}}"#));
        let v = find(&vs, "../../../etc/shadow").unwrap();
        assert_eq!(v.chain, ["json", "base64"]);
        assert_eq!(v.json_path.as_deref(), Some("$.file"));
    }

    #[test]
    fn jwt_in_a_value() {
        let t = format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(r#"{"sub":"x' OR 1=1--","role":"user"}"#)
        );
        let (vs, _) = views(&t);
        let v = find(&vs, "x' OR 1=1--").unwrap();
        assert_eq!(v.chain, ["jwt"]);
        assert_eq!(v.json_path.as_deref(), Some("$.payload.sub"));
    }

    #[test]
    fn entity_encoded_and_full_width_script() {
        let (vs, _) = views("&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(
            find(&vs, "<script>alert(1)</script>").unwrap().chain,
            ["html"]
        );
        let (vs, _) = views("&amp;lt;script&amp;gt;");
        assert_eq!(find(&vs, "<script>").unwrap().chain, ["html", "html"]);
        let (vs, _) = views("＜script＞alert(1)＜/script＞");
        assert_eq!(
            find(&vs, "<script>alert(1)</script>").unwrap().chain,
            ["unicode"]
        );
        let (vs, _) = views("%EF%BC%9Cscript%EF%BC%9E");
        assert_eq!(find(&vs, "<script>").unwrap().chain, ["percent", "unicode"]);
    }

    #[test]
    fn benign_values_give_no_view() {
        let values = [
            "Lyon",
            "1407",
            "page",
            "Hello",
            "Hello World",
            "admin123",
            "#074024",
            "O'Brien",
            "copy & paste",
            "Tom & Jerry",
            "select a size",
            "a < b and c > d",
            "<b>bold</b>",
            "Can you drop the table booking for tonight?",
            "john.doe@example.com",
            "2024-01-15",
            "550e8400-e29b-41d4-a716-446655440000",
            "d41d8cd98f00b204e9800998ecf8427e",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
            "en-US,en;q=0.9",
            "Zürich",
            "100% cotton",
            "/api/v1/orders/1407",
            "ThisIsATest",
            "userName",
            "ORDER12345",
            "[1] see note",
            "{}",
            "[]",
            "",
        ];
        for v in values {
            let (vs, hit) = views(v);
            assert!(vs.is_empty() && !hit, "{v:?} gave {vs:?}");
        }
    }

    #[test]
    fn a_raw_plus_beside_escapes_gives_both_readings() {
        // `unquote` keeps a raw '+', `unquote_plus` reads a space: both are views.
        let (vs, _) = views("%7B%7B7+7%7D%7D");
        assert_eq!(find(&vs, "{{7+7}}").unwrap().chain, ["percent"]);
        assert_eq!(find(&vs, "{{7 7}}").unwrap().chain, ["percent"]);
        // No raw '+': one reading.
        let (vs, _) = views("C%2B%2B%20rocks");
        assert_eq!(vs.iter().filter(|v| v.chain == ["percent"]).count(), 1);
    }

    #[test]
    fn nested_pairs_past_their_bound_are_reported() {
        // Pairs padded in front push the payload's pair out of the nested-form reading: that
        // is a bound, so it is reported.
        let padded = format!("a=1{}&x=%27+OR+1%3D1--", "&b=".repeat(64));
        let (_, hit) = views(&padded);
        assert!(hit);
        let (vs, hit) = views("a=1&b=%27+OR+1%3D1--");
        assert!(!hit && find(&vs, "' OR 1=1--").is_some());
    }

    #[test]
    fn views_are_unique_and_never_the_original() {
        // Percent and html both reveal "<x>"; it is kept once.
        let (vs, _) = views("%3Cx&gt;");
        let texts: Vec<&str> = vs.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(texts.iter().filter(|t| **t == "<x>").count(), 1);
        assert!(!texts.contains(&"%3Cx&gt;"));
    }

    #[test]
    fn appends_without_touching_existing_views() {
        let mut out = vec![View {
            text: "<x>".into(),
            chain: vec!["other"],
            json_path: None,
        }];
        expand("%3Cx%3E", &Limits::default(), &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].chain, ["percent"]);
    }

    #[test]
    fn view_count_is_bounded_and_reported() {
        // A document's nodes have a bound of their own; the other decoders' views, theirs.
        let doc: Vec<String> = (0..100).map(|i| format!(r#""k{i}":"v {i}""#)).collect();
        let (vs, hit) = views(&format!("{{{}}}", doc.join(",")));
        assert!(hit);
        assert_eq!(vs.len(), document_views(&Limits::default()));
        let doc: Vec<String> = (0..20).map(|i| format!(r#""k{i}":"v {i}""#)).collect();
        let (vs, hit) = views(&format!("{{{}}}", doc.join(",")));
        assert!(!hit && vs.len() == 20, "{}", vs.len());
        // Percent escapes in 40 leaves: each leaf decodes to one more view, past the bound of
        // the percent decoder's views.
        let doc: Vec<String> = (0..40).map(|i| format!(r#""k{i}":"%3Cv{i}%3E""#)).collect();
        let (vs, hit) = views(&format!("{{{}}}", doc.join(",")));
        assert!(hit && vs.len() >= 40, "{}", vs.len());
    }

    #[test]
    fn hostile_ten_megabyte_value() {
        let big = "%25%3C".repeat(10 * 1024 * 1024 / 6);
        let (vs, hit) = views(&big);
        assert!(hit, "clipping is reported");
        assert!(
            vs.len() <= 16
                && vs
                    .iter()
                    .all(|v| v.text.len() <= Limits::default().max_value_len)
        );
        let wide = "ﷺ".repeat(10 * 1024 * 1024 / 3);
        let (vs, hit) = views(&wide);
        assert!(hit && vs.len() == 1 && vs[0].text.len() <= Limits::default().max_value_len);
    }

    #[test]
    fn base64_nested_fifty_times_is_bounded_by_depth() {
        let mut s = String::from("<b>");
        for _ in 0..8 {
            s = STANDARD.encode(&s);
        }
        let (vs, hit) = views(&s);
        assert!(hit, "depth bound is reported");
        assert_eq!(vs.len(), 3);
        assert!(vs
            .iter()
            .all(|v| v.chain.len() <= 3 && v.chain.iter().all(|c| *c == "base64")));
        for _ in 8..50 {
            s = STANDARD.encode(&s);
        }
        let (vs, hit) = views(&s);
        assert!(hit && vs.len() <= 16);
    }

    #[test]
    fn decoding_work_is_bounded() {
        // Every view is long and opened by several decoders: the work budget stops it.
        let mix = "%2526lt%253B＜&amp;lt;%u0041ﷺ".repeat(3000);
        let (vs, hit) = views(&mix);
        assert!(hit && !vs.is_empty() && vs.len() < 16, "{}", vs.len());
    }

    #[test]
    fn invalid_utf8_after_percent_decoding() {
        let (vs, _) = views("%ff%fe%c0%80%ed%a0%80<x>%c3");
        // Bytes that are no UTF-8 read as Latin-1 (`%c0%80` is an overlong NUL).
        assert!(vs[0].text.starts_with("\u{FF}\u{FE}") && vs[0].text.contains("<x>"));
        assert!(vs[0].text.ends_with('\u{C3}'));
    }

    #[test]
    fn many_percent_25_repetitions() {
        let s = "%25".repeat(100 * 1024 / 3);
        let (vs, _) = views(&s);
        assert_eq!(vs.len(), 1);
        let nested = format!("%{}3C", "25".repeat(50_000));
        let (vs, hit) = views(&nested);
        assert!(hit && vs.len() == 3);
    }

    #[test]
    fn huge_entity_string() {
        let s = "&amp;".repeat(2_000_000);
        let (vs, hit) = views(&s);
        assert!(hit && vs.len() <= 16);
        let nested = format!("&{}lt;", "amp;".repeat(1000));
        let (vs, hit) = views(&nested);
        assert!(hit && vs.len() == 3);
    }

    #[test]
    fn clip_respects_char_boundaries() {
        assert_eq!(clip("aé", 2), ("a", true));
        assert_eq!(clip("aé", 3), ("aé", false));
        let limits = Limits {
            max_value_len: 4,
            ..Limits::default()
        };
        let mut out = Vec::new();
        assert!(expand("%3Céééé", &limits, &mut out));
        assert_eq!(out[0].text, "<");
        let limits = Limits {
            max_value_len: 5,
            ..Limits::default()
        };
        let mut out = Vec::new();
        assert!(expand("%3Céééé", &limits, &mut out));
        assert_eq!(out[0].text, "<é");
    }
}
