//! Command injection (stub; being written).

use crate::finding::Finding;
use std::collections::HashSet;

pub struct CmdiDetector {
    commands: HashSet<String>,
}

impl CmdiDetector {
    /// Commands found on this machine's PATH plus shell builtins.
    pub fn from_env() -> Self {
        CmdiDetector { commands: HashSet::new() }
    }

    /// A detector that knows exactly these command names (tests).
    pub fn with_commands<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Self {
        CmdiDetector { commands: names.into_iter().map(Into::into).collect() }
    }

    pub fn inspect(&self, _text: &str) -> Option<Finding> {
        let _ = &self.commands;
        None
    }
}
