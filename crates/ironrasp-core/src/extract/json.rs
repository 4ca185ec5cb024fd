//! JSON bodies (and JSON found inside decoded text): every key and value with its JSON path,
//! bounded in depth and node count.

use super::{is_plain_name, names_an_attribute_path, Input, Inputs, Location};
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

/// Parses `body` as JSON and adds every key and scalar value as an input.
/// Returns false when the body is not JSON, or nests past `max_json_depth`: the caller then
/// inspects it raw, so what hides below the bound is still read as text.
pub fn extract_body(body: &[u8], limits: &Limits, inputs: &mut Inputs) -> bool {
    let mut leaves = Vec::new();
    let hit = match leaves_of(body, limits, &mut leaves) {
        Ok(hit) => hit,
        Err(e) => {
            // serde_json refuses nesting past 128 levels: that is our depth bound speaking.
            if e.to_string().contains("recursion limit") {
                inputs.hit("max_json_depth");
            }
            return false;
        }
    };
    if hit.depth_hit {
        inputs.hit("max_json_depth");
    }
    if hit.nodes_hit {
        inputs.hit("max_json_nodes");
    }
    for leaf in leaves {
        let loc = if leaf.is_key {
            Location::JsonKey(leaf.path)
        } else {
            Location::Json(leaf.path)
        };
        if !inputs.push(Input::new(loc, leaf.text), limits) {
            break;
        }
    }
    !hit.depth_hit
}

/// Parses `json` and collects its keys and scalar values (numbers and booleans as text, null
/// skipped) up to `max_json_depth` and `max_json_nodes`, in document order, without building
/// a document tree: the leaves are the only allocation. An error means `json` is not one JSON
/// document (or nests past serde_json's own limit of 128).
pub fn leaves_of(
    json: &[u8],
    limits: &Limits,
    out: &mut Vec<Leaf>,
) -> Result<WalkLimits, serde_json::Error> {
    let mut w = Walk {
        limits,
        path: String::from("$"),
        out,
        hit: WalkLimits::default(),
    };
    let mut de = serde_json::Deserializer::from_slice(json);
    Node {
        w: &mut w,
        depth: 0,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(w.hit)
}

struct Walk<'a> {
    limits: &'a Limits,
    /// The path of the node being read; children push onto it and truncate back.
    path: String,
    out: &'a mut Vec<Leaf>,
    hit: WalkLimits,
}

impl Walk<'_> {
    fn leaf(&mut self, text: String, is_key: bool) {
        // A path through `__proto__`, `__class__` or `constructor.prototype` is what class
        // and prototype pollution write: the path itself is inspected too, once per leaf.
        if !is_key && names_an_attribute_path(&self.path) {
            let spelled = self.path.trim_start_matches('$').trim_start_matches('.');
            self.out.push(Leaf {
                path: self.path.clone(),
                text: spelled.to_string(),
                is_key: true,
            });
        }
        self.out.push(Leaf {
            path: self.path.clone(),
            text,
            is_key,
        });
    }

    fn full(&self) -> bool {
        self.out.len() >= self.limits.max_json_nodes
    }
}

/// One value of the document at `depth`.
struct Node<'w, 'a> {
    w: &'w mut Walk<'a>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
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

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.w.leaf(v.to_string(), false);
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.w.leaf(v.to_string(), false);
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.w.leaf(v.to_string(), false);
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // serde_json's own spelling ("15.0", not "15").
        let text = serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string());
        self.w.leaf(text, false);
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.w.leaf(v.to_owned(), false);
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.w.leaf(v, false);
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
            self.w.path.truncate(len);
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
            self.w.path.truncate(len);
        }
    }
}

/// An object key: reported itself unless it is a plain identifier, then appended to the path.
struct Key<'w, 'a> {
    w: &'w mut Walk<'a>,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, k: &str) -> Result<(), E> {
        if !is_identifier(k) || !is_plain_name(k) {
            self.w.leaf(k.to_owned(), true);
        }
        push_key(&mut self.w.path, k);
        Ok(())
    }
}

fn is_identifier(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 64
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Bounds of a reported path: every leaf keeps a copy of its path, so neither a huge key nor deep
/// nesting may make the copies large (10,000 leaves under a 1 MB key would be 10 GB). Past the
/// bound a path ends in `…`; the key itself is inspected as a value whole.
const MAX_PATH: usize = 256;
const MAX_KEY_IN_PATH: usize = 64;

fn push_key(path: &mut String, k: &str) {
    if path_full(path) {
        return;
    }
    if is_identifier(k) {
        path.push('.');
        path.push_str(k);
    } else {
        let shown = crate::clip::clip(k, MAX_KEY_IN_PATH);
        path.push('[');
        path.push_str(&serde_json::to_string(shown).unwrap_or_default());
        if shown.len() < k.len() {
            path.push('…');
        }
        path.push(']');
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

    #[test]
    fn paths_keys_and_values() {
        let v = r#"{"a":{"b":[1,"x",{"$ne":null}],"f":2.0},"we ird":true}"#;
        let mut out = Vec::new();
        leaves_of(v.as_bytes(), &Limits::default(), &mut out).unwrap();
        let has = |p: &str, t: &str, k: bool| {
            out.iter()
                .any(|l| l.path == p && l.text == t && l.is_key == k)
        };
        assert!(has("$.a.b[0]", "1", false));
        assert!(has("$.a.b[1]", "x", false));
        assert!(has("$.a.b[2]", "$ne", true));
        assert!(has("$", "we ird", true));
        assert!(has("$[\"we ird\"]", "true", false));
        assert!(has("$.a.f", "2.0", false));
        // Document order, nulls skipped.
        let order: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(order, ["1", "x", "$ne", "2.0", "we ird", "true"]);
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
        let deep = format!("{}1{}", "{\"abcdefghijklmnop\":".repeat(30), "}".repeat(30));
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
        let mut ins = Inputs::default();
        assert!(!extract_body(body.as_bytes(), &Limits::default(), &mut ins));
        assert!(ins.limit_hits.contains(&"max_json_depth"));
    }

    #[test]
    fn depth_and_node_bounds() {
        // Past the depth bound: reported, and handed back for raw inspection.
        let deep = format!("{}\"x\"{}", "[".repeat(100), "]".repeat(100));
        let mut ins = Inputs::default();
        assert!(!extract_body(deep.as_bytes(), &Limits::default(), &mut ins));
        assert!(ins.limit_hits.contains(&"max_json_depth"));
        let shallow = format!("{}\"x\"{}", "[".repeat(10), "]".repeat(10));
        let mut ins = Inputs::default();
        assert!(extract_body(
            shallow.as_bytes(),
            &Limits::default(),
            &mut ins
        ));
        assert!(ins.limit_hits.is_empty() && ins.items.len() == 1);
        let many = format!("[{}]", vec!["1"; 50_000].join(","));
        let mut out = Vec::new();
        let hit = leaves_of(many.as_bytes(), &Limits::default(), &mut out).unwrap();
        assert!(hit.nodes_hit);
        assert_eq!(out.len(), Limits::default().max_json_nodes);
    }
}
