//! Byte ranges of one text, by address: the long unquoted attribute values already judged,
//! so that a tag or handler found again inside one (tags start at every `<`, also inside an
//! earlier value) is not read to the end of the text once more.

/// Disjoint byte ranges of one text (by address), merged as they are added.
#[derive(Default)]
pub struct Spans(Vec<(usize, usize)>);

impl Spans {
    fn range(v: &str) -> (usize, usize) {
        let s = v.as_ptr() as usize;
        (s, s + v.len())
    }

    /// Whether `v` lies inside one of the ranges.
    pub fn holds(&self, v: &str) -> bool {
        let (s, e) = Self::range(v);
        let i = self.0.partition_point(|r| r.0 <= s);
        i > 0 && e <= self.0[i - 1].1
    }

    pub fn add(&mut self, v: &str) {
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
