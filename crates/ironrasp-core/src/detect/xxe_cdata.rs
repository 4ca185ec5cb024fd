//! CDATA sections used to smuggle markup into an XML document: a tag split over sections
//! (`<![CDATA[<]]>script<![CDATA[>]]>`) reassembles into markup after parsing, past any filter
//! that looked for `<script`; a value that is nothing but one CDATA section wrapping markup is
//! a fragment meant to be spliced into a document. Feeds and documents that carry HTML inside
//! one CDATA section (`<description><![CDATA[<p>Hi</p>]]></description>`) pass, and so does the
//! commented `//<![CDATA[` idiom of XHTML scripts.

/// Sections examined per value.
const MAX_SECTIONS: usize = 64;

/// Content at most this long that holds `<` or `>` is a piece of a split tag.
const SPLIT_PIECE: usize = 2;

/// `lower` is the lower-cased value.
pub(super) fn judge(lower: &str) -> Option<(f32, &'static str)> {
    let mut sections = 0;
    let mut from = 0;
    while let Some(off) = lower[from..].find("<![cdata[") {
        if sections >= MAX_SECTIONS {
            break;
        }
        sections += 1;
        let at = from + off;
        let start = at + 9;
        let Some(len) = lower[start..].find("]]>") else {
            break;
        };
        from = start + len + 3;
        let content = lower[start..start + len].trim();
        if content.len() <= SPLIT_PIECE && content.contains(['<', '>']) {
            return Some((
                0.75,
                "CDATA sections splitting a tag (XML markup smuggling)",
            ));
        }
        let whole = at == lower.len() - lower.trim_start().len() && lower[from..].trim().is_empty();
        if whole && content.starts_with('<') && !lower[..at].trim_end().ends_with(['/', '*']) {
            return Some((0.55, "value is a lone CDATA section wrapping markup"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::judge;

    #[test]
    fn smuggling_flagged() {
        for s in [
            "<foo><![CDATA[<]]>SCRIPT<![CDATA[>]]>alert(1)<![CDATA[<]]>/SCRIPT<![CDATA[>]]></foo>",
            "<![CDATA[<]]>img src=x onerror=alert(1)<![CDATA[>]]>",
            "<![CDATA[<test></test>]]>",
            "  <![CDATA[<b>x</b>]]>  ",
        ] {
            assert!(judge(&s.to_lowercase()).is_some(), "{s}");
        }
    }

    #[test]
    fn documents_pass() {
        for s in [
            "<rss><item><description><![CDATA[<p>Hello <b>world</b></p>]]></description></item></rss>",
            "<script>//<![CDATA[\nif (a < b) {}\n//]]></script>",
            "<![CDATA[plain text only]]>",
            "<note><![CDATA[x > 1 and y < 2]]></note>",
            "<![CDATA[",
            "<![CDATA[<]]",
        ] {
            assert!(judge(&s.to_lowercase()).is_none(), "{s}");
        }
    }
}
