//! Sliding-window counter in constant memory: the count of the current fixed window plus the
//! previous window's count weighted by how much of it still overlaps the sliding window.

/// Two-bucket sliding window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlidingWindow {
    start: f64,
    prev: u32,
    curr: u32,
}

impl SlidingWindow {
    pub fn new(now: f64) -> Self {
        SlidingWindow {
            start: now,
            prev: 0,
            curr: 0,
        }
    }

    fn roll(&mut self, now: f64, window: f64) {
        let elapsed = now - self.start;
        if elapsed >= 2.0 * window {
            self.prev = 0;
            self.curr = 0;
            self.start = now;
        } else if elapsed >= window {
            self.prev = self.curr;
            self.curr = 0;
            self.start += window;
        }
    }

    /// Counts one event at `now` and returns the estimate.
    pub fn hit(&mut self, now: f64, window: f64) -> f64 {
        self.roll(now, window);
        self.curr = self.curr.saturating_add(1);
        self.estimate(now, window)
    }

    /// Events in the sliding window ending at `now`.
    pub fn estimate(&self, now: f64, window: f64) -> f64 {
        let into = ((now - self.start) / window).clamp(0.0, 1.0);
        self.prev as f64 * (1.0 - into) + self.curr as f64
    }

    /// True when nothing in it can count any more.
    pub fn expired(&self, now: f64, window: f64) -> bool {
        now - self.start >= 2.0 * window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slides() {
        let mut w = SlidingWindow::new(0.0);
        for i in 0..10 {
            w.hit(i as f64 * 0.1, 10.0);
        }
        assert_eq!(w.estimate(1.0, 10.0), 10.0);
        // Halfway through the next window, half of the previous one still counts.
        assert!((w.estimate(15.0, 10.0) - 10.0).abs() < 1e-9);
        let e = w.hit(15.0, 10.0);
        assert!((e - 6.0).abs() < 1e-9, "{e}");
        assert_eq!(w.hit(100.0, 10.0), 1.0);
        assert!(w.expired(200.0, 10.0));
    }
}
