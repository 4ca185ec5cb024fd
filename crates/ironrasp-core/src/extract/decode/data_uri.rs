//! Base64 payloads of `data:` URIs embedded anywhere in a value
//! (`<object data="data:text/html;base64,PHNjcmlwdD4...">`): the `;base64,` marker (RFC 2397,
//! case-insensitive) is the evidence, so no whole-value plausibility test is needed; the decoded
//! payload must still be readable text (images and other binary payloads are skipped).

use super::base64::{printable_enough, standard_bytes};
use super::Piece;
use memchr::memchr_iter;

const MARKER: &[u8] = b";base64,";
/// Payloads decoded per value: a value holding more is a list of images, not an attack.
const MAX_PAYLOADS: usize = 4;
/// Shortest payload worth decoding (3 bytes).
const MIN_RUN: usize = 4;

/// True when the text holds `;base64,` followed by at least [`MIN_RUN`] base64 characters.
pub fn applies(text: &str) -> bool {
    runs(text.as_bytes()).next().is_some()
}

/// Pushes the readable decoded payloads, one piece each.
pub fn decode(text: &str, out: &mut Vec<Piece>) {
    for run in runs(text.as_bytes()).take(MAX_PAYLOADS) {
        // A run cut one character past a whole quantum cannot decode: drop that character.
        let run = if run.len() % 4 == 1 {
            &run[..run.len() - 1]
        } else {
            run
        };
        let Some(text) = standard_bytes(run).and_then(|b| String::from_utf8(b).ok()) else {
            continue;
        };
        if printable_enough(&text) {
            out.push(Piece { text, path: None });
        }
    }
}

/// The base64 runs that follow each marker.
fn runs(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr_iter(b',', b).filter_map(move |comma| {
        let start = comma + 1;
        let marker_start = start.checked_sub(MARKER.len())?;
        if !b[marker_start..start].eq_ignore_ascii_case(MARKER) {
            return None;
        }
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
            .count();
        (len >= MIN_RUN).then(|| &b[start..start + len])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &str) -> Vec<String> {
        assert_eq!(
            applies(s),
            !s.is_empty() && runs(s.as_bytes()).next().is_some()
        );
        let mut out = Vec::new();
        decode(s, &mut out);
        out.into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn embedded_payloads_decode() {
        assert_eq!(
            pieces(r#"<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">"#),
            ["<script>alert(1)</script>"]
        );
        assert_eq!(
            pieces("DATA:TEXT/HTML;BASE64,PHN2Zy9vbmxvYWQ9YWxlcnQoMik+"),
            ["<svg/onload=alert(2)>"]
        );
        assert_eq!(
            pieces("a data:,x;base64,PGI+ b data:text/plain;base64,PGk+"),
            ["<b>", "<i>"]
        );
    }

    #[test]
    fn binary_and_absent_payloads_are_skipped() {
        // A 1x1 GIF.
        assert!(pieces(
            "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
        )
        .is_empty());
        for s in [
            "base64,PGI+",
            ";base64,",
            ";base64,PG",
            "data:text/plain,hello",
            "plain text",
        ] {
            assert!(pieces(s).is_empty(), "{s:?}");
        }
        assert!(!applies("plain, text, with commas"));
    }

    #[test]
    fn payload_count_is_bounded() {
        let many = "data:text/plain;base64,PGI+ ".repeat(100);
        assert_eq!(pieces(&many).len(), MAX_PAYLOADS);
    }
}
