//! JSON found inside a value (a query parameter holding a filter object, base64 of JSON, a JWT
//! payload): each key and leaf becomes a piece with its JSON path. Leaves that cannot carry any
//! payload on their own (plain words, identifiers, numbers that are not encoded anything) are
//! left out so they do not use up the per-value view budget.

use super::document::DocumentNodes;
use super::Piece;
use crate::extract::json::leaves_of;
use crate::limits::Limits;

/// True when the trimmed text starts with `{` or `[` and ends with `}` or `]`.
pub fn applies(text: &str) -> bool {
    let t = text.trim_ascii().as_bytes();
    matches!(t.first(), Some(b'{' | b'[')) && matches!(t.last(), Some(b'}' | b']'))
}

/// Parses `text` and pushes its keys and leaves. Returns true when a JSON bound (depth, nodes)
/// stopped the walk.
pub fn decode(text: &str, limits: &Limits, out: &mut Vec<Piece>) -> bool {
    if !applies(text) {
        return false;
    }
    push_leaves(text.as_bytes(), "$", limits, out)
        .unwrap_or_else(|e| e.to_string().contains("recursion limit"))
}

/// Pushes the keys and leaves of `value` that could carry a payload, with paths starting at
/// `root` (e.g. "$.payload"), as [`DocumentNodes`] takes them.
/// Returns true when a bound (JSON depth or nodes, or that cap) stopped the walk; an error
/// when `json` is not JSON (serde_json refusing nesting past 128 levels is a depth bound).
pub fn push_leaves(
    json: &[u8],
    root: &str,
    limits: &Limits,
    out: &mut Vec<Piece>,
) -> Result<bool, serde_json::Error> {
    let mut leaves = Vec::new();
    let hit = leaves_of(json, limits, &mut leaves)?;
    let mut nodes = DocumentNodes::new(out, limits);
    for leaf in leaves {
        // walk() paths start with "$".
        let path = || format!("{root}{}", leaf.path.get(1..).unwrap_or(""));
        if !nodes.offer(leaf.text, path) {
            return Ok(true);
        }
    }
    Ok(hit.depth_hit || hit.nodes_hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &str) -> (Vec<Piece>, bool) {
        let mut out = Vec::new();
        let hit = decode(s, &Limits::default(), &mut out);
        (out, hit)
    }

    fn has(out: &[Piece], path: &str, text: &str) -> bool {
        out.iter()
            .any(|p| p.path.as_deref() == Some(path) && p.text == text)
    }

    #[test]
    fn keys_and_leaves_with_paths() {
        let (out, hit) = pieces(
            r#" {"q":"' OR 1=1--","filter":{"$where":"sleep(5000)"},"tags":["a b","<x>"]} "#,
        );
        assert!(!hit);
        assert!(has(&out, "$.q", "' OR 1=1--"));
        assert!(has(&out, "$.filter", "$where"));
        assert!(has(&out, "$.filter[\"$where\"]", "sleep(5000)"));
        assert!(has(&out, "$.tags[0]", "a b"));
        assert!(has(&out, "$.tags[1]", "<x>"));
    }

    #[test]
    fn inert_leaves_are_left_out_but_encoded_ones_kept() {
        let (out, _) = pieces(
            r#"{"city":"Lyon","qty":3,"price":12.5,"ok":true,"id":"ab-12_x","blob":"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg","path":"../x"}"#,
        );
        let texts: Vec<&str> = out.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", "../x"]);
    }

    #[test]
    fn not_json_gives_nothing() {
        for s in [
            "[1] see note",
            "{not json}",
            "[abc]",
            "plain",
            "",
            "{",
            "}{",
        ] {
            let (out, hit) = pieces(s);
            assert!(out.is_empty() && !hit, "{s:?}");
        }
    }

    #[test]
    fn deep_json_reports_the_bound() {
        let deep = format!("{}\"<x>\"{}", "[".repeat(60), "]".repeat(60));
        let (out, hit) = pieces(&deep);
        assert!(hit && out.is_empty());
        let (out, hit) = pieces(&format!("{}{}", "[".repeat(5000), "]".repeat(5000)));
        assert!(hit && out.is_empty());
    }

    #[test]
    fn pieces_are_distinct_and_capped() {
        let same = format!("[{}]", vec!["\"a b\""; 500].join(","));
        let (out, hit) = pieces(&same);
        assert!(!hit);
        assert_eq!(out.len(), 1);
        let distinct: Vec<String> = (0..500).map(|i| format!("\"a b{i}\"")).collect();
        let (out, hit) = pieces(&format!("[{}]", distinct.join(",")));
        assert!(hit);
        assert_eq!(
            out.len(),
            super::super::document_views(&Limits::default()) + 1
        );
    }

    #[test]
    fn root_prefix_is_applied() {
        let mut out = Vec::new();
        push_leaves(
            br#"{"sub":"x y"}"#,
            "$.payload",
            &Limits::default(),
            &mut out,
        )
        .unwrap();
        assert!(has(&out, "$.payload.sub", "x y"));
    }
}
