//! The long unquoted attribute values already judged in one text, so that a tag or handler
//! found again inside one (tags start at every `<`, also inside an earlier value) is judged
//! on its start, not read to the end of the text once more.

use super::tokenizer::Attr;
use crate::clip::clip;

/// Bytes judged of a value that lies inside a long unquoted value judged before.
pub const CUT_VALUE: usize = 128;

/// Unquoted attribute values longer than [`CUT_VALUE`] seen so far in one text. An unquoted
/// value runs to whitespace or `>`, so a tag or handler starting inside one holds its tail;
/// a browser reading the text from its start sees no tag there, and the earlier value was
/// judged in full.
#[derive(Default)]
pub struct LongUnquoted(Spans);

impl LongUnquoted {
    /// Remembers the value of `a` if it is unquoted and long.
    pub fn note(&mut self, a: &Attr<'_>) {
        if a.unquoted && a.value.len() > CUT_VALUE {
            self.0.add(a.value);
        }
    }

    /// The start of `v` to judge when `v` lies inside a remembered value; `None` when `v` is
    /// to be judged whole.
    pub fn start_of<'a>(&self, v: &'a str) -> Option<&'a str> {
        (v.len() > CUT_VALUE && self.0.holds(v)).then(|| clip(v, CUT_VALUE))
    }
}

/// Disjoint byte ranges of one text (by address), merged as they are added.
#[derive(Default)]
struct Spans(Vec<(usize, usize)>);

impl Spans {
    fn range(v: &str) -> (usize, usize) {
        let s = v.as_ptr() as usize;
        (s, s + v.len())
    }

    /// Whether `v` lies inside one of the ranges.
    fn holds(&self, v: &str) -> bool {
        let (s, e) = Self::range(v);
        let i = self.0.partition_point(|r| r.0 <= s);
        i > 0 && e <= self.0[i - 1].1
    }

    fn add(&mut self, v: &str) {
        let (mut s, mut e) = Self::range(v);
        let first = self.0.partition_point(|r| r.1 < s);
        let after = self.0.partition_point(|r| r.0 <= e);
        if first < after {
            s = s.min(self.0[first].0);
            e = e.max(self.0[after - 1].1);
        }
        self.0.splice(first..after, [(s, e)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_and_hold() {
        let text = "0123456789abcdefghij";
        let mut s = Spans::default();
        s.add(&text[2..5]);
        s.add(&text[10..12]);
        assert!(s.holds(&text[3..5]) && !s.holds(&text[4..6]) && !s.holds(&text[9..11]));
        s.add(&text[4..11]);
        assert_eq!(s.0.len(), 1);
        assert!(s.holds(&text[2..12]) && !s.holds(&text[1..3]));
    }
}
