//! Detectors, one per file. Value-level detectors see one decoded view of one value and return
//! a [`Finding`] or nothing; request-level detectors see the request. None of them decides an
//! action: that is [`crate::policy`].

pub mod cmdi;
pub mod decoy;
pub mod path_traversal;
pub mod rate;
pub mod spoofing;
pub mod sqli;
pub mod xss;
pub mod ztaa;

use crate::check::Check;
use crate::finding::Finding;

/// The value-level detectors, built once at startup.
pub struct ValueDetectors {
    pub cmdi: Option<cmdi::CmdiDetector>,
    pub path_traversal: bool,
    pub sqli: bool,
    pub xss: bool,
}

impl ValueDetectors {
    /// Runs every enabled value detector on one view; pushes findings.
    pub fn inspect(&self, text: &str, out: &mut Vec<Finding>) {
        if let Some(c) = &self.cmdi {
            if let Some(f) = c.inspect(text) {
                out.push(f);
            }
        }
        if self.path_traversal {
            if let Some(f) = path_traversal::inspect(text) {
                out.push(f);
            }
        }
        if self.sqli {
            if let Some(f) = sqli::inspect(text) {
                out.push(f);
            }
        }
        if self.xss {
            if let Some(f) = xss::inspect(text) {
                out.push(f);
            }
        }
    }

    /// Which value checks are on (banner).
    pub fn enabled(&self) -> Vec<Check> {
        let mut v = Vec::new();
        if self.cmdi.is_some() {
            v.push(Check::Cmdi);
        }
        if self.path_traversal {
            v.push(Check::PathTraversal);
        }
        if self.sqli {
            v.push(Check::Sqli);
        }
        if self.xss {
            v.push(Check::Xss);
        }
        v
    }
}
