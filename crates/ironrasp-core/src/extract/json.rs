//! JSON bodies (and JSON found inside decoded text): every key and value with its JSON path,
//! bounded in depth and node count.

use super::{names_an_attribute_path, scan_name, Input, Location, Out};
use crate::limits::Limits;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One string leaf (or key) of a JSON document.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    pub path: String,
    pub text: String,
    pub is_key: bool,
}

/// Why a walk stopped early.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalkLimits {
    pub depth_hit: bool,
    pub nodes_hit: bool,
}

/// Parses `body` as JSON and adds every inspected key and string value as an input.
/// Returns false when the body is not JSON, or nests past `max_json_depth`: the caller then
/// inspects it raw, so what hides below the bound is still read as text.
pub fn extract_body(body: &[u8], limits: &Limits, out: &mut Out<'_>) -> bool {
    // Nothing is delivered before the whole document parsed (a broken one is inspected raw
    // only), so the leaves wait, packed: no allocation per leaf.
    let mut packed = Packed {
        own: String::with_capacity(body.len().min(PACKED_RESERVE)),
        leaves: Vec::with_capacity(body.len().min(PACKED_RESERVE) / 16),
    };
    let hit = match walk(body, limits, &mut packed) {
        Ok(hit) => hit,
        Err(e) => {
            // serde_json refuses nesting past 128 levels: that is our depth bound speaking.
            if e.to_string().contains("recursion limit") {
                out.hit("max_json_depth");
            }
            return false;
        }
    };
    if hit.depth_hit {
        out.hit("max_json_depth");
    }
    if hit.nodes_hit {
        out.hit("max_json_nodes");
    }
    for leaf in &packed.leaves {
        let path = &packed.own[leaf.path.0..leaf.path.1];
        let text = match leaf.text {
            Span::Doc(t) => t,
            Span::Own(a, b) => &packed.own[a..b],
        };
        let loc = if leaf.is_key {
            Location::JsonKey(path.into())
        } else {
            Location::Json(path.into())
        };
        if !out.push(Input::new(loc, text)) {
            break;
        }
    }
    !hit.depth_hit
}

/// Parses `json` and collects its inspected keys and string values (numbers, booleans and
/// nulls carry no text and are skipped) up to `max_json_depth` and `max_json_nodes`, in
/// document order, without building a document tree: the leaves are the only allocation. An
/// error means `json` is not one JSON document (or nests past serde_json's own limit of 128).
pub fn leaves_of(
    json: &[u8],
    limits: &Limits,
    out: &mut Vec<Leaf>,
) -> Result<WalkLimits, serde_json::Error> {
    walk(json, limits, out)
}

fn walk<'de, C: Collect<'de>>(
    json: &'de [u8],
    limits: &Limits,
    out: &mut C,
) -> Result<WalkLimits, serde_json::Error> {
    let mut w = Walk {
        limits,
        path: String::from("$"),
        attr_from: usize::MAX,
        out,
        hit: WalkLimits::default(),
    };
    // Valid UTF-8 is checked once for the whole document rather than once per string.
    match std::str::from_utf8(json) {
        Ok(text) => walk_document(serde_json::Deserializer::from_str(text), &mut w)?,
        Err(_) => walk_document(serde_json::Deserializer::from_slice(json), &mut w)?,
    }
    Ok(w.hit)
}

/// Walks one whole document from `de` (nothing may follow it).
fn walk_document<'de, R: serde_json::de::Read<'de>, C: Collect<'de>>(
    mut de: serde_json::Deserializer<R>,
    w: &mut Walk<'_, C>,
) -> Result<(), serde_json::Error> {
    Node { w, depth: 0 }.deserialize(&mut de)?;
    de.end()
}

/// Bytes of body for which room is made up front (a bigger body makes its room as it goes).
const PACKED_RESERVE: usize = 16 * 1024;

/// The text of a leaf: a string of the document itself, or text made for the leaf (a number,
/// a string with escapes undone, a key, a path).
#[derive(Clone, Copy)]
enum Text<'de, 't> {
    Doc(&'de str),
    Made(&'t str),
}

impl<'de, 't> Text<'de, 't> {
    fn as_str(self) -> &'t str
    where
        'de: 't,
    {
        match self {
            Text::Doc(t) | Text::Made(t) => t,
        }
    }
}

/// Where the walk puts the leaves it finds.
trait Collect<'de> {
    fn count(&self) -> usize;
    fn leaf(&mut self, path: &str, text: Text<'de, '_>, is_key: bool);
}

impl Collect<'_> for Vec<Leaf> {
    fn count(&self) -> usize {
        self.len()
    }

    fn leaf(&mut self, path: &str, text: Text<'_, '_>, is_key: bool) {
        self.push(Leaf {
            path: path.to_owned(),
            text: text.as_str().to_owned(),
            is_key,
        });
    }
}

/// Leaves as spans: paths and made texts back to back in one string, document strings
/// borrowed.
struct Packed<'de> {
    own: String,
    leaves: Vec<PackedLeaf<'de>>,
}

struct PackedLeaf<'de> {
    path: (usize, usize),
    text: Span<'de>,
    is_key: bool,
}

enum Span<'de> {
    Doc(&'de str),
    Own(usize, usize),
}

impl Packed<'_> {
    fn keep(&mut self, text: &str) -> (usize, usize) {
        let start = self.own.len();
        self.own.push_str(text);
        (start, self.own.len())
    }
}

impl<'de> Collect<'de> for Packed<'de> {
    fn count(&self) -> usize {
        self.leaves.len()
    }

    fn leaf(&mut self, path: &str, text: Text<'de, '_>, is_key: bool) {
        let path = self.keep(path);
        let text = match text {
            Text::Doc(t) => Span::Doc(t),
            Text::Made(t) => {
                let (a, b) = self.keep(t);
                Span::Own(a, b)
            }
        };
        self.leaves.push(PackedLeaf { path, text, is_key });
    }
}

struct Walk<'a, C> {
    limits: &'a Limits,
    /// The path of the node being read; children push onto it and truncate back.
    path: String,
    /// Length of the path from which on it names an attribute (`__proto__`, `prototype`):
    /// known once per key instead of searched for per leaf; `usize::MAX` when it does not.
    attr_from: usize,
    out: &'a mut C,
    hit: WalkLimits,
}

impl<'de, C: Collect<'de>> Walk<'_, C> {
    fn leaf(&mut self, text: Text<'de, '_>, is_key: bool) {
        if !is_key {
            self.pollution_path();
        }
        self.out.leaf(&self.path, text, is_key);
    }

    /// A number, boolean or null: JSON has parsed it, so it carries no text to inject. What is
    /// inspected for it, and before every value, is a path through `__proto__`, `__class__`
    /// or `constructor.prototype`: what class and prototype pollution write
    /// (`{"__proto__": {"isAdmin": true}}`).
    fn pollution_path(&mut self) {
        if self.attr_from != usize::MAX {
            let spelled = self.path.trim_start_matches('$').trim_start_matches('.');
            self.out.leaf(&self.path, Text::Made(spelled), true);
        }
    }

    /// Appends key `k` (`ident`: `is_identifier(k)`, `attr`: `names_an_attribute_path(k)`)
    /// to the path. A key segment starts with `.` or `[`, so whether the path names an
    /// attribute is decided by the new segment alone.
    fn push_key(&mut self, k: &str, ident: bool, attr: bool) {
        let len = self.path.len();
        let verbatim = push_key(&mut self.path, k, ident);
        // `.k` names an attribute when `k` does; a quoted or clipped key is searched again.
        let attr = if verbatim {
            attr
        } else {
            names_an_attribute_path(&self.path[len..])
        };
        if self.attr_from == usize::MAX && attr {
            self.attr_from = self.path.len();
        }
    }

    fn truncate(&mut self, len: usize) {
        self.path.truncate(len);
        if len < self.attr_from {
            self.attr_from = usize::MAX;
        }
    }

    fn full(&self) -> bool {
        self.out.count() >= self.limits.max_json_nodes
    }
}

/// One value of the document at `depth`.
struct Node<'w, 'a, C> {
    w: &'w mut Walk<'a, C>,
    depth: usize,
}

impl<'de, C: Collect<'de>> DeserializeSeed<'de> for Node<'_, '_, C> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.w.full() {
            self.w.hit.nodes_hit = true;
            d.deserialize_ignored_any(IgnoredAny)?;
            return Ok(());
        }
        d.deserialize_any(self)
    }
}

impl<'de, C: Collect<'de>> Visitor<'de> for Node<'_, '_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.w.pollution_path();
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.w.pollution_path();
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.w.pollution_path();
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.w.pollution_path();
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.w.pollution_path();
        Ok(())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.w.leaf(Text::Doc(v), false);
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.w.leaf(Text::Made(v), false);
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.w.leaf(Text::Made(&v), false);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.depth >= self.w.limits.max_json_depth {
            self.w.hit.depth_hit = true;
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let mut i = 0usize;
        loop {
            if self.w.hit.nodes_hit {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            let len = self.w.path.len();
            push_index(&mut self.w.path, i);
            let child = Node {
                w: &mut *self.w,
                depth: self.depth + 1,
            };
            let more = seq.next_element_seed(child)?;
            self.w.truncate(len);
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth >= self.w.limits.max_json_depth {
            self.w.hit.depth_hit = true;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        loop {
            if self.w.hit.nodes_hit {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            let len = self.w.path.len();
            if map.next_key_seed(Key { w: &mut *self.w })?.is_none() {
                return Ok(());
            }
            let child = Node {
                w: &mut *self.w,
                depth: self.depth + 1,
            };
            map.next_value_seed(child)?;
            self.w.truncate(len);
        }
    }
}

/// An object key: reported itself unless it is a plain identifier, then appended to the path.
struct Key<'w, 'a, C> {
    w: &'w mut Walk<'a, C>,
}

impl<'de, C: Collect<'de>> DeserializeSeed<'de> for Key<'_, '_, C> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, C: Collect<'de>> Visitor<'de> for Key<'_, '_, C> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, k: &str) -> Result<(), E> {
        let (ident, attr) = key_kind(k);
        // As `is_plain_name`, whose other conditions an identifier meets.
        let plain = ident && k.len() <= 32 && !attr;
        if !plain {
            self.w.leaf(Text::Made(k), true);
        }
        self.w.push_key(k, ident, attr);
        Ok(())
    }
}

/// A key is an identifier when it is 1 to 64 of `[A-Za-z0-9_-]`.
#[cfg(test)]
fn is_identifier(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 64
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `k` is an identifier (1 to 64 of `[A-Za-z0-9_-]`), and whether it names an
/// attribute ([`names_an_attribute_path`]), in one pass over its bytes.
fn key_kind(k: &str) -> (bool, bool) {
    let s = scan_name(k.as_bytes());
    (!k.is_empty() && k.len() <= 64 && s.word, s.attribute)
}

/// Bounds of a reported path: every leaf keeps a copy of its path, so neither a huge key nor deep
/// nesting may make the copies large (10,000 leaves under a 1 MB key would be 10 GB). Past the
/// bound a path ends in `…`; the key itself is inspected as a value whole.
const MAX_PATH: usize = 256;
const MAX_KEY_IN_PATH: usize = 64;

/// Appends `.k` (`ident`: `k` is an identifier) or `["k"]`; true when that was `.k`.
fn push_key(path: &mut String, k: &str, ident: bool) -> bool {
    if path_full(path) {
        return false;
    }
    if ident {
        path.push('.');
        path.push_str(k);
        true
    } else {
        let shown = crate::clip::clip(k, MAX_KEY_IN_PATH);
        path.push('[');
        path.push_str(&serde_json::to_string(shown).unwrap_or_default());
        if shown.len() < k.len() {
            path.push('…');
        }
        path.push(']');
        false
    }
}

fn push_index(path: &mut String, i: usize) {
    if path_full(path) {
        return;
    }
    path.push('[');
    path.push_str(itoa::Buffer::new().format(i));
    path.push(']');
}

/// True (after marking the path with `…` once) when the path is at its bound.
fn path_full(path: &mut String) -> bool {
    if path.len() < MAX_PATH {
        return false;
    }
    if !path.ends_with('…') {
        path.push('…');
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Inputs;

    fn body_inputs(body: &str) -> (bool, Inputs) {
        let mut ok = false;
        let ins = Inputs::collect(&Limits::default(), |out| {
            ok = extract_body(body.as_bytes(), &Limits::default(), out)
        });
        (ok, ins)
    }

    #[test]
    fn key_kind_agrees_with_its_two_definitions() {
        for k in [
            "",
            "a",
            "name",
            "x-y_z",
            "__proto__",
            "_a_",
            "constructor",
            "Prototype",
            "protot",
            "a.b",
            "we ird",
            "ü",
            "prototypeX",
            &"k".repeat(64),
            &"k".repeat(65),
        ] {
            assert_eq!(
                key_kind(k),
                (
                    is_identifier(k),
                    crate::extract::tests::attribute_path_reference(k)
                ),
                "{k:?}"
            );
        }
    }

    #[test]
    fn body_leaves_in_order_with_paths_pollution_and_broken_documents() {
        let doc = r#"{"a":{"n":"x\"y","b":[1,2.5,true]},"__proto__":{"k":"v"},"s":"plain"}"#;
        let (ok, ins) = body_inputs(doc);
        assert!(ok);
        let got: Vec<(String, &str)> = ins
            .items
            .iter()
            .map(|i| (i.location.to_string(), &*i.value))
            .collect();
        let want = [
            ("json_values '$.a.n'", "x\"y"),
            ("json_keys '$'", "__proto__"),
            ("json_keys '$.__proto__.k'", "__proto__.k"),
            ("json_values '$.__proto__.k'", "v"),
            ("json_values '$.s'", "plain"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(l, v)| (l.to_string(), *v)).collect();
        assert_eq!(got, want);
        // A document that breaks after its first leaves delivers none of them.
        let (ok, ins) = body_inputs(r#"{"a":"x","b":"y"} trailing"#);
        assert!(!ok && ins.items.is_empty());
    }

    #[test]
    fn paths_keys_and_values() {
        let v = r#"{"a":{"b":[1,"x",{"$ne":null}],"f":2.0},"we ird":true}"#;
        let mut out = Vec::new();
        leaves_of(v.as_bytes(), &Limits::default(), &mut out).unwrap();
        let has = |p: &str, t: &str, k: bool| {
            out.iter()
                .any(|l| l.path == p && l.text == t && l.is_key == k)
        };
        assert!(has("$.a.b[1]", "x", false));
        assert!(has("$.a.b[2]", "$ne", true));
        assert!(has("$", "we ird", true));
        // Document order; numbers, booleans and nulls carry no text and are not leaves.
        let order: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(order, ["x", "$ne", "we ird"]);
        assert!(leaves_of(b"{\"a\":1} x", &Limits::default(), &mut out).is_err());
    }

    #[test]
    fn paths_stay_small_whatever_the_keys() {
        let key = "k ".repeat(100_000);
        let doc = format!("{{\"{key}\":[{}]}}", vec!["0"; 1000].join(","));
        let mut out = Vec::new();
        leaves_of(doc.as_bytes(), &Limits::default(), &mut out).unwrap();
        assert!(
            out.iter().any(|l| l.is_key && l.text == key),
            "the key is inspected whole"
        );
        assert!(
            out.iter().all(|l| l.path.len() <= MAX_PATH + 8),
            "paths are bounded"
        );
        let deep = format!(
            "{}\"v\"{}",
            "{\"abcdefghijklmnop\":".repeat(30),
            "}".repeat(30)
        );
        out.clear();
        leaves_of(deep.as_bytes(), &Limits::default(), &mut out).unwrap();
        assert!(out.iter().all(|l| l.path.len() <= MAX_PATH + 16));
        assert!(out.iter().any(|l| l.path.ends_with('…')));
    }

    #[test]
    fn pollution_paths_and_odd_keys_are_inspected() {
        let mut out = Vec::new();
        let doc =
            br#"{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"name":"a"}"#;
        leaves_of(doc, &Limits::default(), &mut out).unwrap();
        let keys: Vec<&str> = out
            .iter()
            .filter(|l| l.is_key)
            .map(|l| l.text.as_str())
            .collect();
        assert!(keys.contains(&"__proto__"), "{keys:?}");
        assert!(keys.contains(&"__proto__.isAdmin"), "{keys:?}");
        assert!(keys.contains(&"constructor.prototype.x"), "{keys:?}");
        // Ordinary keys stay in paths only.
        assert!(
            !keys.contains(&"name") && !keys.contains(&"isAdmin"),
            "{keys:?}"
        );
    }

    #[test]
    fn ten_thousand_deep_json_is_read_quickly_and_reported() {
        let body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let (ok, ins) = body_inputs(&body);
        assert!(!ok);
        assert!(ins.limit_hits.contains(&"max_json_depth"));
    }

    #[test]
    fn depth_and_node_bounds() {
        // Past the depth bound: reported, and handed back for raw inspection.
        let deep = format!("{}\"x\"{}", "[".repeat(100), "]".repeat(100));
        let (ok, ins) = body_inputs(&deep);
        assert!(!ok);
        assert!(ins.limit_hits.contains(&"max_json_depth"));
        let shallow = format!("{}\"x\"{}", "[".repeat(10), "]".repeat(10));
        let (ok, ins) = body_inputs(&shallow);
        assert!(ok);
        assert!(ins.limit_hits.is_empty() && ins.items.len() == 1);
        let many = format!("[{}]", vec!["\"a\""; 50_000].join(","));
        let mut out = Vec::new();
        let hit = leaves_of(many.as_bytes(), &Limits::default(), &mut out).unwrap();
        assert!(hit.nodes_hit);
        assert_eq!(out.len(), Limits::default().max_json_nodes);
    }
}
