//! A seeded generator for tests that try many generated inputs (xorshift64): the same inputs on
//! every run, with no dependency.

pub struct TestRng(u64);

impl TestRng {
    /// `seed` must not be 0.
    pub fn new(seed: u64) -> Self {
        TestRng(seed)
    }

    /// The next number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// One to `max` of `parts`, picked at random and joined: the usual generated input.
    pub fn pieces(&mut self, parts: &[&str], max: usize) -> String {
        let mut t = String::new();
        for _ in 0..1 + self.below(max) {
            t.push_str(parts[self.below(parts.len())]);
        }
        t
    }
}
