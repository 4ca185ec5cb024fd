//! A memo of values that were inspected and found clean. Findings depend on the text alone
//! (detectors are pure functions of it), so a value seen before - a browser's User-Agent,
//! Accept and Referer, a session cookie, a common search term - need not be inspected again.
//! Keys are keyed SipHash digests (the key is random per process, so nobody can craft a
//! collision with a clean value). The memo is a fixed table of atomic slots, two per key
//! (a set-associative cache): bounded by construction, a newer key simply replaces an older
//! one, and a lookup is one hash and two loads with no lock. Values that hit a limit or
//! produced a finding are never memoized.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Longest value worth memoizing; longer ones are rare and cheap to miss.
const MAX_LEN: usize = 4096;

pub struct ValueCache {
    hasher: RandomState,
    /// Keys of clean values; 0 marks an empty slot (keys are never 0). Empty when off.
    slots: Box<[AtomicU64]>,
}

impl ValueCache {
    /// A memo of at most `capacity` values (rounded down to a power of two, at least 2);
    /// 0 disables it.
    pub fn new(capacity: usize) -> Self {
        let len = match capacity {
            0 => 0,
            c => (1usize << c.ilog2()).max(2),
        };
        ValueCache {
            hasher: RandomState::new(),
            slots: (0..len).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// The key of `text`, if it may be memoized: its one keyed hash, reused for the lookup and
    /// the insertion.
    pub fn key(&self, text: &str) -> Option<u64> {
        if self.slots.is_empty() || text.len() > MAX_LEN {
            return None;
        }
        // One write of the bytes: SipHash mixes the length into its last block, so distinct
        // texts are distinct messages.
        let mut h = self.hasher.build_hasher();
        h.write(text.as_bytes());
        Some(h.finish() | 1)
    }

    /// The key of (name, value) pairs read as one sequence, if it may be memoized. Each text
    /// is followed by a 0xFF byte, which no UTF-8 text holds: two different sequences are
    /// different messages. Written to the hasher at once (SipHash pays for every write).
    pub fn key_of_pairs<'a>(&self, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Option<u64> {
        self.key_of_bytes_and_pairs(&[], pairs)
    }

    /// As [`ValueCache::key_of_pairs`], with raw bytes (a body, any bytes at all) first. They
    /// are preceded by their length, so where they end and the pairs begin is fixed: bytes
    /// that spell pairs are not those pairs.
    pub fn key_of_bytes_and_pairs<'a>(
        &self,
        bytes: &[u8],
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Option<u64> {
        self.digest(0, bytes, pairs)
    }

    /// As [`ValueCache::key_of_bytes_and_pairs`], in a second key space, for the same thing
    /// read from another form (an adapter's raw request rather than the engine's `Request`).
    /// The length word's top bit is set (no byte string is 2^63 long), so no message of one
    /// space is a message of the other: a key of one never stands for the other.
    pub fn key_of_raw_bytes_and_pairs<'a>(
        &self,
        bytes: &[u8],
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Option<u64> {
        self.digest(1 << 63, bytes, pairs)
    }

    fn digest<'a>(
        &self,
        space: u64,
        bytes: &[u8],
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Option<u64> {
        if self.slots.is_empty() || bytes.len() > MAX_LEN {
            return None;
        }
        let mut message = Vec::with_capacity(512 + bytes.len());
        message.extend_from_slice(&(bytes.len() as u64 | space).to_le_bytes());
        message.extend_from_slice(bytes);
        for (name, value) in pairs {
            message.extend_from_slice(name.as_bytes());
            message.push(0xFF);
            message.extend_from_slice(value.as_bytes());
            message.push(0xFF);
            if message.len() > MAX_LEN {
                return None;
            }
        }
        let mut h = self.hasher.build_hasher();
        h.write(&message);
        Some(h.finish() | 1)
    }

    /// The two slots `key` may live in (adjacent, so one cache line).
    fn pair(&self, key: u64) -> (&AtomicU64, &AtomicU64) {
        let i = (key as usize >> 1) & (self.slots.len() - 2);
        (&self.slots[i], &self.slots[i + 1])
    }

    pub fn is_clean(&self, key: u64) -> bool {
        let (a, b) = self.pair(key);
        a.load(Ordering::Relaxed) == key || b.load(Ordering::Relaxed) == key
    }

    pub fn mark_clean(&self, key: u64) {
        self.store(key, key);
    }

    /// Stores `value` in one of the two slots of `key`.
    fn store(&self, key: u64, value: u64) {
        let (a, b) = self.pair(key);
        let (ka, kb) = (a.load(Ordering::Relaxed), b.load(Ordering::Relaxed));
        if ka == value || kb == value {
            return;
        }
        // An empty slot first; else a bit of the key picks which one is replaced.
        let slot = match (ka, kb) {
            (0, _) => a,
            (_, 0) => b,
            _ if key >> 63 == 0 => a,
            _ => b,
        };
        slot.store(value, Ordering::Relaxed);
    }
}

/// The low bits of a counted entry hold its count; the top bit marks the slot as taken.
const COUNT_BITS: u64 = 0xFFFF;
const TAKEN: u64 = 1 << 63;

impl ValueCache {
    /// For memos of a whole part of a request (a query string, a set of headers): remembers
    /// `key` as clean together with how many inputs that part gave, so that a hit still counts
    /// them towards `max_params`. The count takes the low 16 bits of the stored key (47 bits of
    /// the keyed hash remain to tell keys apart). A part of more inputs is not remembered.
    pub fn mark_clean_counted(&self, key: u64, inputs: usize) {
        let Ok(n) = u64::try_from(inputs) else { return };
        if n > COUNT_BITS {
            return;
        }
        self.store(key, (key | TAKEN) & !COUNT_BITS | n);
    }

    /// The count remembered with `key` by [`ValueCache::mark_clean_counted`], if it is there.
    pub fn clean_count(&self, key: u64) -> Option<usize> {
        let want = (key | TAKEN) & !COUNT_BITS;
        let (a, b) = self.pair(key);
        [a.load(Ordering::Relaxed), b.load(Ordering::Relaxed)]
            .into_iter()
            .find(|&v| v & !COUNT_BITS == want)
            .map(|v| (v & COUNT_BITS) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_bounded_and_can_be_off() {
        let c = ValueCache::new(4096);
        let keys: Vec<u64> = (0..100).map(|i| c.key(&format!("v{i}")).unwrap()).collect();
        assert!(keys.iter().all(|&k| !c.is_clean(k)));
        for &k in &keys {
            c.mark_clean(k);
        }
        // 100 keys in 2048 pairs of slots: nearly all stay.
        assert!(keys.iter().filter(|&&k| c.is_clean(k)).count() >= 95);
        assert!(!c.is_clean(c.key("never seen").unwrap()));
        // Bounded: a tiny memo holds at most its two slots.
        let small = ValueCache::new(3);
        let keys: Vec<u64> = (0..50)
            .map(|i| small.key(&format!("v{i}")).unwrap())
            .collect();
        for &k in &keys {
            small.mark_clean(k);
        }
        assert!(keys.iter().filter(|&&k| small.is_clean(k)).count() <= 2);
        assert!(small.is_clean(*keys.last().unwrap()), "the newest stays");
        assert!(ValueCache::new(0).key("a").is_none());
        assert!(c.key(&"x".repeat(MAX_LEN + 1)).is_none());
        assert_ne!(c.key("ab"), c.key("a"));
        // Counted entries keep their count, and a count too large is not remembered.
        let (k1, k2, k3) = (
            c.key("q=1").unwrap(),
            c.key("q=2").unwrap(),
            c.key("q=3").unwrap(),
        );
        assert_eq!(c.clean_count(k1), None);
        c.mark_clean_counted(k1, 0);
        c.mark_clean_counted(k2, 7);
        c.mark_clean_counted(k3, 70_000);
        assert_eq!(
            (c.clean_count(k1), c.clean_count(k2), c.clean_count(k3)),
            (Some(0), Some(7), None)
        );
        let pairs = |p: &'static [(&'static str, &'static str)]| c.key_of_pairs(p.iter().copied());
        assert_ne!(
            pairs(&[("a", "bc")]),
            pairs(&[("ab", "c")]),
            "the pair is told apart"
        );
        assert_ne!(
            pairs(&[("a", "b"), ("c", "d")]),
            pairs(&[("a", "b\u{ff}c")])
        );
        assert_eq!(
            pairs(&[("a", "b"), ("c", "d")]),
            pairs(&[("a", "b"), ("c", "d")])
        );
        assert_eq!(c.key("ab"), c.key("ab"));
        // Bytes that spell pairs are not those pairs.
        let with = |b: &'static [u8], p: &'static [(&'static str, &'static str)]| {
            c.key_of_bytes_and_pairs(b, p.iter().copied())
        };
        assert_ne!(
            with(b"a\xffb\xff", &[("c", "d")]),
            with(b"", &[("a", "b"), ("c", "d")])
        );
        assert_ne!(
            with(b"x", &[("c", "d")]),
            with(b"", &[("x", "c"), ("d", "")])
        );
        assert_eq!(with(b"", &[("a", "b")]), pairs(&[("a", "b")]));
        assert_eq!(
            with(b"\x00\xff", &[("a", "b")]),
            with(b"\x00\xff", &[("a", "b")])
        );
        // The raw space keys the same message apart from the first, and alike within itself.
        let raw = |b: &'static [u8], p: &'static [(&'static str, &'static str)]| {
            c.key_of_raw_bytes_and_pairs(b, p.iter().copied())
        };
        assert_ne!(raw(b"x", &[("a", "b")]), with(b"x", &[("a", "b")]));
        assert_eq!(raw(b"x", &[("a", "b")]), raw(b"x", &[("a", "b")]));
        assert_ne!(raw(b"x", &[("a", "b")]), raw(b"", &[("a", "b")]));
        assert!(ValueCache::new(0)
            .key_of_raw_bytes_and_pairs(b"", [("a", "b")].into_iter())
            .is_none());
        assert_eq!(
            c.key_of_bytes_and_pairs(&[b'x'; MAX_LEN + 1], std::iter::empty()),
            None
        );
    }
}
