//! What the benches time for one value: the pipeline the engine runs per value once its memo
//! has missed (detectors on the value, then on each decoded view), without the engine's own
//! bookkeeping.

use ironrasp_core::detect::prefilter::Classes;
use ironrasp_core::detect::ValueDetectors;
use ironrasp_core::extract::decode;
use ironrasp_core::Limits;

/// Runs every value detector on `text` and on each of its decoded views; returns the number of
/// findings (so the work cannot be optimized away).
pub fn scan(
    detectors: &ValueDetectors,
    limits: &Limits,
    text: &str,
    views: &mut Vec<decode::View>,
) -> usize {
    let mut found = Vec::new();
    let present = Classes::of(text);
    detectors.inspect_classified(text, present, &mut found);
    views.clear();
    decode::expand_classified(text, present, limits, views);
    for v in views.iter() {
        detectors.inspect(&v.text, &mut found);
    }
    found.len()
}
