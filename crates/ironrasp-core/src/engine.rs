//! (being written)
pub struct Engine;
pub struct Verdict;
