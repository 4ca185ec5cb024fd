//! The pieces a document decoder gives (JSON, a JWT's claims, XML): the document's nodes that
//! could carry a payload, each once, at most [`super::document_views`]` + 1` of them (more could
//! not become views). Nodes that cannot carry any payload on their own (plain words,
//! identifiers, numbers) are left out so they do not use up the views.

use super::base64::{self, Alphabet};
use super::Piece;
use crate::limits::Limits;

/// Collects the nodes of one document onto the end of a list of pieces.
pub(super) struct DocumentNodes<'a> {
    out: &'a mut Vec<Piece>,
    base: usize,
    cap: usize,
}

impl<'a> DocumentNodes<'a> {
    pub(super) fn new(out: &'a mut Vec<Piece>, limits: &Limits) -> Self {
        DocumentNodes {
            base: out.len(),
            out,
            cap: super::document_views(limits).saturating_add(1),
        }
    }

    /// Adds `text` at `path` unless it is inert or already added; false (and nothing added)
    /// when the bound is met, and the caller stops.
    pub(super) fn offer(&mut self, text: String, path: impl FnOnce() -> String) -> bool {
        if inert(&text) || self.out[self.base..].iter().any(|p| p.text == text) {
            return true;
        }
        if self.out.len() - self.base >= self.cap {
            return false;
        }
        self.out.push(Piece {
            text,
            path: Some(path()),
        });
        true
    }
}

/// A node no detector can find anything in and no decoder can open: letters, digits, `_`, `-`
/// only (and not shaped like base64, nor an ORM lookup path joined by `__`: see
/// `detect::orm_lookup`), or a plain number.
fn inert(text: &str) -> bool {
    let b = text.as_bytes();
    if b.iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        if crate::detect::needle::has(text, "__") {
            return false;
        }
        // The byte tests only, not the decoding probe `applies` also makes: which leaves stay
        // views is the same as before the probe joined `applies`.
        return !base64::may_be_base64(text, Alphabet::Standard)
            && !base64::may_be_base64(text, Alphabet::UrlSafe);
    }
    b.iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        && b.iter().any(u8::is_ascii_digit)
        && text.parse::<f64>().is_ok()
}
