//! In-memory store: one process's blacklist and counters, bounded in the number of addresses
//! tracked. When full, expired entries go first, then the least recently seen.

use super::window::SlidingWindow;
use super::{Counter, Store};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[derive(Debug)]
struct Tracked {
    requests: Option<SlidingWindow>,
    errors: Option<SlidingWindow>,
    last_seen: f64,
    window: f64,
}

/// Bounded in-memory [`Store`].
#[derive(Debug)]
pub struct MemoryStore {
    max_tracked: usize,
    blacklist: Mutex<HashMap<IpAddr, f64>>,
    /// Entries in `blacklist`, set under its lock: while it is 0 (nearly always), a request's
    /// lookup takes no lock.
    blacklisted: AtomicUsize,
    counters: Mutex<HashMap<IpAddr, Tracked>>,
}

impl MemoryStore {
    /// A store tracking at most `max_tracked` addresses (and as many blacklist entries).
    pub fn new(max_tracked: usize) -> Self {
        MemoryStore {
            max_tracked: max_tracked.max(1),
            blacklist: Mutex::new(HashMap::new()),
            blacklisted: AtomicUsize::new(0),
            counters: Mutex::new(HashMap::new()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not disable protection: keep using the data.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Store for MemoryStore {
    fn blacklisted_until(&self, ip: IpAddr, now: f64) -> Option<f64> {
        // Acquire pairs with the Release store made under the lock when an entry is added.
        if self.blacklisted.load(Ordering::Acquire) == 0 {
            return None;
        }
        let bl = lock(&self.blacklist);
        bl.get(&ip).copied().filter(|&until| until > now)
    }

    fn blacklist(&self, ip: IpAddr, now: f64, until: f64) {
        let mut bl = lock(&self.blacklist);
        if bl.len() >= self.max_tracked && !bl.contains_key(&ip) {
            // Drop expired entries; if still full, the ones ending soonest.
            bl.retain(|_, u| *u > now);
            if bl.len() >= self.max_tracked {
                let mut v: Vec<(IpAddr, f64)> = bl.iter().map(|(k, v)| (*k, *v)).collect();
                v.sort_by(|a, b| a.1.total_cmp(&b.1));
                for (k, _) in v.iter().take(bl.len() / 10 + 1) {
                    bl.remove(k);
                }
            }
        }
        let e = bl.entry(ip).or_insert(until);
        *e = e.max(until);
        self.blacklisted.store(bl.len(), Ordering::Release);
    }

    fn unblacklist(&self, ip: IpAddr) -> bool {
        let mut bl = lock(&self.blacklist);
        let removed = bl.remove(&ip).is_some();
        self.blacklisted.store(bl.len(), Ordering::Release);
        removed
    }

    fn blacklist_entries(&self, now: f64) -> Vec<(IpAddr, f64)> {
        let mut bl = lock(&self.blacklist);
        bl.retain(|_, u| *u > now);
        self.blacklisted.store(bl.len(), Ordering::Release);
        bl.iter().map(|(k, v)| (*k, *v)).collect()
    }

    fn hit(&self, counter: Counter, ip: IpAddr, now: f64, window: f64) -> f64 {
        let mut map = lock(&self.counters);
        if map.len() >= self.max_tracked && !map.contains_key(&ip) {
            map.retain(|_, t| now - t.last_seen < 2.0 * t.window);
            if map.len() >= self.max_tracked {
                let mut v: Vec<(IpAddr, f64)> =
                    map.iter().map(|(k, t)| (*k, t.last_seen)).collect();
                v.sort_by(|a, b| a.1.total_cmp(&b.1));
                for (k, _) in v.iter().take(map.len() / 10 + 1) {
                    map.remove(k);
                }
            }
        }
        let t = map.entry(ip).or_insert(Tracked {
            requests: None,
            errors: None,
            last_seen: now,
            window,
        });
        t.last_seen = now;
        t.window = t.window.max(window);
        let w = match counter {
            Counter::Requests => &mut t.requests,
            Counter::Errors => &mut t.errors,
        };
        w.get_or_insert_with(|| SlidingWindow::new(now))
            .hit(now, window)
    }

    fn tracked(&self) -> usize {
        lock(&self.counters).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(i: u32) -> IpAddr {
        IpAddr::V4(std::net::Ipv4Addr::from(i))
    }

    #[test]
    fn blacklist_expires() {
        let s = MemoryStore::new(10);
        s.blacklist(ip(1), 0.0, 100.0);
        assert_eq!(s.blacklisted_until(ip(1), 50.0), Some(100.0));
        assert_eq!(s.blacklisted_until(ip(1), 100.0), None);
        assert_eq!(s.blacklisted_until(ip(2), 50.0), None);
        assert!(s.unblacklist(ip(1)));
        assert_eq!(s.blacklist_entries(0.0).len(), 0);
    }

    #[test]
    fn counters_are_bounded() {
        let s = MemoryStore::new(1000);
        for i in 0..100_000u32 {
            s.hit(Counter::Requests, ip(i), i as f64 * 0.001, 10.0);
        }
        assert!(s.tracked() <= 1000);
        for i in 0..100_000u32 {
            s.blacklist(ip(i), 0.0, 1e12);
        }
        assert!(s.blacklist_entries(0.0).len() <= 1000);
    }

    #[test]
    fn counts_per_address_and_kind() {
        let s = MemoryStore::new(10);
        for _ in 0..5 {
            s.hit(Counter::Requests, ip(1), 1.0, 10.0);
        }
        assert_eq!(s.hit(Counter::Requests, ip(1), 1.0, 10.0), 6.0);
        assert_eq!(s.hit(Counter::Errors, ip(1), 1.0, 10.0), 1.0);
        assert_eq!(s.hit(Counter::Requests, ip(2), 1.0, 10.0), 1.0);
    }
}
