//! JSON bodies (and JSON found inside decoded text): every key and value with its JSON path,
//! bounded in depth and node count.

use super::{Input, Inputs, Location};
use crate::limits::Limits;
use serde_json::Value;

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
/// Returns false when the body is not JSON (the caller then inspects it raw).
pub fn extract_body(body: &[u8], limits: &Limits, inputs: &mut Inputs) -> bool {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            // serde_json refuses nesting past 128 levels: that is our depth bound speaking.
            if e.to_string().contains("recursion limit") {
                inputs.hit("max_json_depth");
            }
            return false;
        }
    };
    let mut leaves = Vec::new();
    let hit = walk(&value, limits, &mut leaves);
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
    true
}

/// Collects keys and scalar values of `value` (numbers and booleans as text, null skipped)
/// up to `max_json_depth` and `max_json_nodes`.
pub fn walk(value: &Value, limits: &Limits, out: &mut Vec<Leaf>) -> WalkLimits {
    let mut hit = WalkLimits::default();
    let mut path = String::from("$");
    walk_inner(value, 0, &mut path, limits, out, &mut hit);
    hit
}

fn walk_inner(
    value: &Value,
    depth: usize,
    path: &mut String,
    limits: &Limits,
    out: &mut Vec<Leaf>,
    hit: &mut WalkLimits,
) {
    if out.len() >= limits.max_json_nodes {
        hit.nodes_hit = true;
        return;
    }
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push(Leaf {
            path: path.clone(),
            text: b.to_string(),
            is_key: false,
        }),
        Value::Number(n) => out.push(Leaf {
            path: path.clone(),
            text: n.to_string(),
            is_key: false,
        }),
        Value::String(s) => out.push(Leaf {
            path: path.clone(),
            text: s.clone(),
            is_key: false,
        }),
        Value::Array(items) => {
            if depth >= limits.max_json_depth {
                hit.depth_hit = true;
                return;
            }
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk_inner(item, depth + 1, path, limits, out, hit);
                path.truncate(len);
                if hit.nodes_hit {
                    return;
                }
            }
        }
        Value::Object(map) => {
            if depth >= limits.max_json_depth {
                hit.depth_hit = true;
                return;
            }
            for (k, v) in map {
                if !is_identifier(k) {
                    out.push(Leaf {
                        path: path.clone(),
                        text: k.clone(),
                        is_key: true,
                    });
                }
                let len = path.len();
                push_key(path, k);
                walk_inner(v, depth + 1, path, limits, out, hit);
                path.truncate(len);
                if hit.nodes_hit {
                    return;
                }
            }
        }
    }
}

fn is_identifier(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 64
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn push_key(path: &mut String, k: &str) {
    if is_identifier(k) {
        path.push('.');
        path.push_str(k);
    } else {
        path.push('[');
        path.push_str(&serde_json::to_string(k).unwrap_or_default());
        path.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keys_and_values() {
        let v: Value =
            serde_json::from_str(r#"{"a":{"b":[1,"x",{"$ne":null}]},"we ird":true}"#).unwrap();
        let mut out = Vec::new();
        walk(&v, &Limits::default(), &mut out);
        let has = |p: &str, t: &str, k: bool| {
            out.iter()
                .any(|l| l.path == p && l.text == t && l.is_key == k)
        };
        assert!(has("$.a.b[0]", "1", false));
        assert!(has("$.a.b[1]", "x", false));
        assert!(has("$.a.b[2]", "$ne", true));
        assert!(has("$", "we ird", true));
        assert!(has("$[\"we ird\"]", "true", false));
    }

    #[test]
    fn ten_thousand_deep_json_is_refused_quickly_and_reported() {
        let body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let mut ins = Inputs::default();
        assert!(!extract_body(body.as_bytes(), &Limits::default(), &mut ins));
        assert!(ins.limit_hits.contains(&"max_json_depth"));
    }

    #[test]
    fn depth_and_node_bounds() {
        let deep = format!("{}\"x\"{}", "[".repeat(100), "]".repeat(100));
        let mut ins = Inputs::default();
        assert!(extract_body(deep.as_bytes(), &Limits::default(), &mut ins));
        assert!(ins.limit_hits.contains(&"max_json_depth"));
        let many = format!("[{}]", vec!["1"; 50_000].join(","));
        let mut out = Vec::new();
        let hit = walk(
            &serde_json::from_str(&many).unwrap(),
            &Limits::default(),
            &mut out,
        );
        assert!(hit.nodes_hit);
        assert_eq!(out.len(), Limits::default().max_json_nodes);
    }
}
