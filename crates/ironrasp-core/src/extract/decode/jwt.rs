//! JSON Web Tokens (JWS compact form): three dot-separated base64url segments whose first
//! decodes to a JSON object with "alg" or "typ". Header and payload claims become pieces with
//! paths under "$.header" and "$.payload" (e.g. an injected "kid" or a claim holding SQL).
//! The signature is not checked: this is inspection, not authentication.

use super::base64::url_safe_bytes;
use super::json::push_leaves;
use super::Piece;
use crate::limits::Limits;
use serde_json::Value;

/// Shortest header segment: base64url of `{"alg":"x"}` is 15 characters.
const MIN_HEADER: usize = 15;

/// Cheap shape check: two dots, base64url characters, a header segment starting with `e`
/// (every base64 of a text starting with `{` does).
pub fn applies(text: &str) -> bool {
    let b = text.trim_ascii().as_bytes();
    if b.first() != Some(&b'e') {
        return false;
    }
    let mut dots = 0;
    let mut first_dot = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'.' => {
                if dots == 0 {
                    first_dot = i;
                }
                dots += 1;
                if dots > 2 {
                    return false;
                }
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'=' => {}
            _ => return false,
        }
    }
    dots == 2 && first_dot >= MIN_HEADER
}

/// Pushes header and payload leaves; returns true when a JSON bound stopped the walk.
/// Nothing is pushed unless the header is a JWT header.
pub fn decode(text: &str, limits: &Limits, out: &mut Vec<Piece>) -> bool {
    if !applies(text) {
        return false;
    }
    let mut parts = text.trim_ascii().split('.');
    let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
        return false;
    };
    let Some(header_json) = url_safe_bytes(h) else {
        return false;
    };
    let is_header = serde_json::from_slice::<Value>(&header_json)
        .ok()
        .and_then(|v| {
            v.as_object()
                .map(|o| o.contains_key("alg") || o.contains_key("typ"))
        })
        .unwrap_or(false);
    if !is_header {
        return false;
    }
    let mut hit = push_leaves(&header_json, "$.header", limits, out).unwrap_or(false);
    let Some(payload) = url_safe_bytes(p) else {
        return hit;
    };
    match push_leaves(&payload, "$.payload", limits, out) {
        Ok(h) => hit |= h,
        Err(_) => {
            // A JWS may sign any bytes; readable ones are inspected as text.
            if let Ok(s) = String::from_utf8(payload) {
                if !s.is_empty() {
                    out.push(Piece {
                        text: s,
                        path: Some("$.payload".into()),
                    });
                }
            }
        }
    }
    hit
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ::base64::Engine;

    fn token(header: &str, payload: &str) -> String {
        format!(
            "{}.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    fn pieces(s: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        decode(s, &Limits::default(), &mut out);
        out
    }

    #[test]
    fn claims_become_pieces() {
        let t = token(
            r#"{"alg":"HS256","typ":"JWT","kid":"../../../../dev/null"}"#,
            r#"{"sub":"1' OR '1'='1","name":"<script>alert(1)</script>","iat":1516239022}"#,
        );
        assert!(applies(&t));
        let out = pieces(&t);
        let has = |p: &str, t: &str| {
            out.iter()
                .any(|x| x.path.as_deref() == Some(p) && x.text == t)
        };
        assert!(has("$.header.kid", "../../../../dev/null"));
        assert!(has("$.payload.sub", "1' OR '1'='1"));
        assert!(has("$.payload.name", "<script>alert(1)</script>"));
        // Inert claims (alg names, timestamps) are not pieces.
        assert!(!out
            .iter()
            .any(|x| x.text == "HS256" || x.text == "1516239022"));
    }

    #[test]
    fn unsigned_token_and_text_payload() {
        let t = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode("hello <b>")
        );
        let out = pieces(&t);
        assert!(out
            .iter()
            .any(|x| x.path.as_deref() == Some("$.payload") && x.text == "hello <b>"));
    }

    #[test]
    fn not_a_jwt() {
        let not_header = token(r#"{"foo":"bar","x":"yyyyyy"}"#, r#"{"sub":"a b"}"#);
        assert!(applies(&not_header));
        assert!(pieces(&not_header).is_empty());
        for s in [
            "example.com.au",
            "eyJhbGciOiJIUzI1NiJ9",
            "a.b.c",
            "eyJhbGciOiJIUzI1NiJ9.e30.x.y",
            "www.example.org",
            "1.2.3",
        ] {
            assert!(pieces(s).is_empty(), "{s:?}");
        }
        assert!(!applies("elephant.example.com"));
    }
}
