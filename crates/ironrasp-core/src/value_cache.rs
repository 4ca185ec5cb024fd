//! A memo of values that were inspected and found clean. Findings depend on the text alone
//! (detectors are pure functions of it), so a value seen before - a browser's User-Agent,
//! Accept and Referer, a session cookie, a common search term - need not be inspected again.
//! Keys are keyed SipHash digests (the key is random per process, so nobody can craft a
//! collision with a clean value); the memo is bounded and simply starts afresh when full.
//! Values that hit a limit or produced a finding are never memoized.

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::Mutex;

/// Longest value worth memoizing; longer ones are rare and cheap to miss.
const MAX_LEN: usize = 4096;

pub struct ValueCache {
    capacity: usize,
    hasher: RandomState,
    seen: Mutex<HashSet<u64>>,
}

impl ValueCache {
    /// A memo of at most `capacity` values; 0 disables it.
    pub fn new(capacity: usize) -> Self {
        ValueCache {
            capacity,
            hasher: RandomState::new(),
            seen: Mutex::new(HashSet::new()),
        }
    }

    /// The key of `text`, if it may be memoized.
    pub fn key(&self, text: &str) -> Option<u64> {
        (self.capacity > 0 && text.len() <= MAX_LEN).then(|| self.hasher.hash_one(text))
    }

    pub fn is_clean(&self, key: u64) -> bool {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&key)
    }

    pub fn mark_clean(&self, key: u64) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= self.capacity {
            seen.clear();
        }
        seen.insert(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_bounded_and_can_be_off() {
        let c = ValueCache::new(2);
        let (a, b, d) = (
            c.key("a").unwrap(),
            c.key("b").unwrap(),
            c.key("d").unwrap(),
        );
        assert!(!c.is_clean(a));
        c.mark_clean(a);
        c.mark_clean(b);
        assert!(c.is_clean(a) && c.is_clean(b));
        c.mark_clean(d);
        assert!(c.is_clean(d) && !c.is_clean(a), "full: starts afresh");
        assert!(ValueCache::new(0).key("a").is_none());
        assert!(c.key(&"x".repeat(MAX_LEN + 1)).is_none());
    }
}
