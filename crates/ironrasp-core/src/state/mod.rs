//! Shared state behind one trait: the blacklist and the per-address sliding-window counters.
//! The in-memory store is the embedded default; a shared store (Redis) plugs in behind the
//! same trait for fleets of instances.

pub mod memory;
pub mod window;

use std::net::IpAddr;

/// What a counter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counter {
    Requests,
    Errors,
}

/// Blacklist and counters. Times are seconds since the Unix epoch (f64).
pub trait Store: Send + Sync {
    /// Until when `ip` is blacklisted, if it is at `now`.
    fn blacklisted_until(&self, ip: IpAddr, now: f64) -> Option<f64>;
    /// Blacklists `ip` from `now` until `until`.
    fn blacklist(&self, ip: IpAddr, now: f64, until: f64);
    /// Removes `ip` from the blacklist; true if it was there.
    fn unblacklist(&self, ip: IpAddr) -> bool;
    /// Current (unexpired) blacklist entries.
    fn blacklist_entries(&self, now: f64) -> Vec<(IpAddr, f64)>;
    /// Counts one event for `ip` and returns the sliding-window estimate over `window` seconds.
    fn hit(&self, counter: Counter, ip: IpAddr, now: f64, window: f64) -> f64;
    /// Addresses currently tracked (for bounds tests and stats).
    fn tracked(&self) -> usize;
    /// Whether a call may wait on something outside the process (a networked store): the
    /// engine then lets the adapter give up the GIL before any (see
    /// [`crate::Engine::inspect_request_gated`]).
    fn may_block(&self) -> bool {
        false
    }
}
