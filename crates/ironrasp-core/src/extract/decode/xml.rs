//! An XML document found inside a value (a form field or JSON string holding a SOAP call, a
//! SAML response once its base64 is decoded): each attribute value and text node becomes a
//! piece with its path, as the body extraction reads an XML body (`extract::xml`). A payload
//! in `<a probe="1 OR 1=1">` is then judged on its own, not as part of the markup around it.
//!
//! Only a document that declares itself XML (`<?xml` first, after white space or a byte order
//! mark) is read: rich text and HTML fragments, which also start with `<`, stay one value.

use super::document::DocumentNodes;
use super::Piece;
use crate::extract::xml::walk;
use crate::limits::Limits;

/// True when the text, past leading white space and a byte order mark, opens with the XML
/// declaration `<?xml` followed by white space or `?>`.
pub fn applies(text: &str) -> bool {
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    t.strip_prefix("<?xml")
        .and_then(|rest| rest.bytes().next())
        .is_some_and(|c| c.is_ascii_whitespace() || c == b'?')
}

/// Pushes the attribute values and text nodes of `text` that could carry a payload, as
/// [`DocumentNodes`] takes them. Returns true when a bound (element depth, the number of
/// nodes) left something out.
pub fn decode(text: &str, limits: &Limits, out: &mut Vec<Piece>) -> bool {
    if !applies(text) {
        return false;
    }
    let mut nodes = DocumentNodes::new(out, limits);
    let mut capped = false;
    let depth_hit = walk(text, limits.max_json_depth, |path, value| {
        capped = !nodes.offer(value, || path);
        !capped
    });
    depth_hit || capped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &str) -> (Vec<(String, String)>, bool) {
        let mut out = Vec::new();
        let hit = decode(s, &Limits::default(), &mut out);
        let got = out
            .into_iter()
            .map(|p| (p.path.unwrap_or_default(), p.text))
            .collect();
        (got, hit)
    }

    #[test]
    fn declared_documents_apply_and_markup_does_not() {
        for doc in [
            "<?xml version=\"1.0\"?><a/>",
            "  \n<?xml version='1.0' encoding='UTF-8'?>\n<a/>",
            "\u{feff}<?xml version=\"1.0\"?><a/>",
            "<?xml?><a/>",
        ] {
            assert!(applies(doc), "{doc:?}");
        }
        for text in [
            "<p>Hello <b>there</b></p>",
            "<a href=\"https://example.com\">x</a>",
            "<?xml-stylesheet href=\"a.xsl\"?><a/>",
            "<?php echo 1; ?>",
            "see <?xml version=\"1.0\"?> in the docs",
            "<?xml",
            "",
        ] {
            assert!(!applies(text), "{text:?}");
        }
    }

    #[test]
    fn attribute_values_and_text_nodes_with_paths() {
        let (got, hit) = pieces(
            "<?xml version=\"1.0\"?><root><a probe=\"1234 OR 1=1\">t &amp; u</a>\
             <b x=\"&lt;script&gt;\"/><c><![CDATA[' or ''=']]></c></root>",
        );
        assert!(!hit);
        for want in [
            ("/root/a/@probe", "1234 OR 1=1"),
            ("/root/a", "t & u"),
            ("/root/b/@x", "<script>"),
            ("/root/c", "' or ''='"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} not in {got:?}"
            );
        }
    }

    #[test]
    fn plain_words_numbers_and_repeats_are_left_out() {
        let (got, _) = pieces(
            "<?xml version=\"1.0\"?><r v=\"1.0\"><name>Ann</name><id>42</id>\
             <q>a b</q><q>a b</q></r>",
        );
        assert_eq!(got, vec![("/r/q".to_string(), "a b".to_string())]);
    }

    #[test]
    fn namespace_declarations_are_not_values() {
        let (got, _) = pieces(
            "<?xml version=\"1.0\"?><s:E xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" \
             xmlns=\"urn:x:y\"><s:B a=\"x y\"/></s:E>",
        );
        assert_eq!(got, vec![("/s:E/s:B/@a".to_string(), "x y".to_string())]);
    }

    #[test]
    fn paths_are_bounded_whatever_the_names() {
        let long = "A".repeat(5000);
        let doc = format!("<?xml version=\"1.0\"?><{long}><b>x y</b></{long}>");
        let (got, _) = pieces(&doc);
        assert_eq!(got.len(), 1);
        assert!(got[0].0.len() <= 64 + 3, "{}", got[0].0.len());
        assert!(got[0].0.ends_with("/b"));
    }

    #[test]
    fn bounds_are_reported() {
        let deep = format!(
            "<?xml version=\"1.0\"?>{}x y{}",
            "<a>".repeat(100),
            "</a>".repeat(100)
        );
        assert!(pieces(&deep).1);
        let many: String = (0..200).map(|i| format!("<v>x {i}</v>")).collect();
        let (got, hit) = pieces(&format!("<?xml version=\"1.0\"?><r>{many}</r>"));
        assert!(hit);
        assert_eq!(
            got.len(),
            super::super::document_views(&Limits::default()) + 1
        );
        // A stray end tag does not end the walk; a malformed document ends it with what was
        // read (here at a comment never closed).
        let (got, _) = pieces("<?xml version=\"1.0\"?><r><a>x y</a></b><c>z w</c></r>");
        assert!(got.iter().any(|(_, t)| t == "z w"), "{got:?}");
        let (got, hit) = pieces("<?xml version=\"1.0\"?><r><a>x y</a><!-- open <c>z w</c></r>");
        assert!(!hit);
        assert_eq!(got, vec![("/r/a".to_string(), "x y".to_string())]);
    }
}
