//! XML bodies: besides the raw document (which the XXE detector reads whole), every text node
//! and attribute value becomes an input of its own, located by an XPath-like path, so a payload
//! in `<a probe="...">` is inspected as a value. Parsing is quick-xml's; depth and count are
//! bounded, and a malformed document just ends the walk (what was read is still inspected).

use super::{Input, Location, Out};
use crate::limits::Limits;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Adds the text nodes and attribute values of an XML body.
pub fn extract(body: &str, limits: &Limits, out: &mut Out<'_>) {
    let depth_hit = walk(body, limits.max_json_depth, |path, value| {
        out.push(Input::new(Location::Xml(path.into()), value))
    });
    if depth_hit {
        out.hit("max_json_depth");
    }
}

/// Calls `each(path, value)` on every text node and attribute value of `doc` that is not
/// only white space, in document order (`/root/a` for a text node, `/root/a/@probe` for an
/// attribute), while it returns true. Entities are resolved; a custom one (`&xxe;`) cannot
/// be, and its text is kept as written. Returns true when an element nested deeper than
/// `max_depth` stopped the walk; a malformed document just ends it.
pub fn walk(doc: &str, max_depth: usize, mut each: impl FnMut(String, String) -> bool) -> bool {
    let mut reader = Reader::from_str(doc);
    // A stray end tag (`</x>` closing nothing open) is read as closing the current element
    // rather than ending the walk: what follows it is still read.
    reader.config_mut().check_end_names = false;
    let mut path: Vec<String> = Vec::new();
    loop {
        let ok = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => return false,
            Ok(Event::Start(e)) => {
                if path.len() >= max_depth {
                    return true;
                }
                let here = child(&path, &e);
                let ok = attributes(&e, &here, &mut each);
                path.push(here);
                ok
            }
            Ok(Event::Empty(e)) => attributes(&e, &child(&path, &e), &mut each),
            Ok(Event::End(_)) => {
                path.pop();
                true
            }
            Ok(Event::Text(t)) => {
                let text = t
                    .unescape()
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(t.as_ref()).into_owned());
                text_node(&path, text, &mut each)
            }
            Ok(Event::CData(t)) => text_node(
                &path,
                String::from_utf8_lossy(t.as_ref()).into_owned(),
                &mut each,
            ),
            Ok(_) => true,
        };
        if !ok {
            return false;
        }
    }
}

/// Bytes of an element name kept in a path, and of a whole path: a path only says where a
/// value was, and every element and text node copies one, so a long name or a deep document
/// must not make that copying grow with the document.
const MAX_NAME: usize = 64;
const MAX_PATH: usize = 512;

fn child(path: &[String], e: &BytesStart<'_>) -> String {
    let raw = e.name();
    let name = String::from_utf8_lossy(&raw.as_ref()[..raw.as_ref().len().min(MAX_NAME)]);
    let parent = path.last().map_or("", String::as_str);
    let mut here = format!("{parent}/{name}");
    let end = crate::clip::clip(&here, MAX_PATH).len();
    here.truncate(end);
    here
}

fn attributes(
    e: &BytesStart<'_>,
    here: &str,
    each: &mut impl FnMut(String, String) -> bool,
) -> bool {
    for attr in e.attributes().with_checks(false).flatten() {
        // A namespace declaration binds a prefix for the parser; no application reads it.
        let raw_key = attr.key.as_ref();
        if raw_key == b"xmlns" || raw_key.starts_with(b"xmlns:") {
            continue;
        }
        let key = String::from_utf8_lossy(raw_key).into_owned();
        let value = attr
            .unescape_value()
            .map(|c| c.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
        if value.trim().is_empty() {
            continue;
        }
        if !each(format!("{here}/@{key}"), value) {
            return false;
        }
    }
    true
}

fn text_node(path: &[String], text: String, each: &mut impl FnMut(String, String) -> bool) -> bool {
    if text.trim().is_empty() {
        return true;
    }
    let here = path.last().map_or("/", String::as_str);
    each(here.to_owned(), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Inputs;

    #[test]
    fn attributes_and_text_with_paths() {
        let doc = r#"<?xml version="1.0"?><root><a probe="x' or '1'='1">t &amp; u</a><b/><c><![CDATA[<script>]]></c></root>"#;
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract(doc, &Limits::default(), out)
        });
        let got: Vec<(String, &str)> = ins
            .items
            .iter()
            .map(|i| (i.location.to_string(), &*i.value))
            .collect();
        assert!(
            got.contains(&("xml_values '/root/a/@probe'".into(), "x' or '1'='1")),
            "{got:?}"
        );
        assert!(
            got.contains(&("xml_values '/root/a'".into(), "t & u")),
            "{got:?}"
        );
        assert!(
            got.contains(&("xml_values '/root/c'".into(), "<script>")),
            "{got:?}"
        );
    }

    #[test]
    fn entities_and_garbage_do_not_stop_inspection() {
        let doc = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract(doc, &Limits::default(), out)
        });
        assert!(ins.items.iter().any(|i| i.value.contains("&e;")));
        Inputs::collect(&Limits::default(), |out| {
            extract("<<<>>> not xml </x>", &Limits::default(), out)
        });
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract(&deep, &Limits::default(), out)
        });
        assert!(ins.limit_hits.contains(&"max_json_depth"));
    }
}
