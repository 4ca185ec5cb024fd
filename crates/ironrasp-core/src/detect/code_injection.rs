//! (stub; being written)

use crate::finding::Finding;

pub fn inspect(_text: &str) -> Option<Finding> {
    None
}
