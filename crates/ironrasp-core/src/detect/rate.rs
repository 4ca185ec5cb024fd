//! Flood (too many requests from one address) and brute force (too many error responses from
//! one address), on sliding windows kept in the [`crate::state::Store`].

use crate::check::Check;
use crate::finding::Finding;
use crate::state::{Counter, Store};
use std::net::IpAddr;

/// Counts a request; a finding when more than `max` arrived within `window` seconds.
pub fn flood(store: &dyn Store, ip: IpAddr, now: f64, max: u32, window: f64) -> Option<Finding> {
    let n = store.hit(Counter::Requests, ip, now, window);
    (n > max as f64).then(|| {
        Finding::new(
            Check::Flood,
            1.0,
            format!("{n:.0} requests in {window}s (limit {max})"),
        )
    })
}

/// Counts an error (error status, unrouted path); a finding past `max` within `window`.
pub fn brute_force(
    store: &dyn Store,
    ip: IpAddr,
    now: f64,
    max: u32,
    window: f64,
) -> Option<Finding> {
    let n = store.hit(Counter::Errors, ip, now, window);
    (n > max as f64).then(|| {
        Finding::new(
            Check::BruteForce,
            1.0,
            format!("{n:.0} errors in {window}s (limit {max})"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::memory::MemoryStore;

    #[test]
    fn thresholds() {
        let s = MemoryStore::new(100);
        let ip: IpAddr = "1.2.3.4".parse().unwrap();
        for i in 0..5 {
            assert!(flood(&s, ip, i as f64 * 0.1, 5, 10.0).is_none());
        }
        assert!(flood(&s, ip, 0.6, 5, 10.0).is_some());
        let other: IpAddr = "1.2.3.5".parse().unwrap();
        assert!(flood(&s, other, 0.6, 5, 10.0).is_none());
        for _ in 0..3 {
            assert!(brute_force(&s, ip, 1.0, 3, 60.0).is_none());
        }
        assert!(brute_force(&s, ip, 1.0, 3, 60.0).is_some());
    }
}
