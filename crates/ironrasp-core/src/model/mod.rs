//! Compact trained models (logistic regression over hashed char and token n-grams), built by
//! `training/train.py` and embedded at build time from `crates/ironrasp-core/models/`.
//! Models are data: a header and i8 weights, parsed once on first use.

mod features;
mod linear;

use std::cell::RefCell;
use std::sync::OnceLock;

use features::BUCKETS;
use linear::LinearModel;

/// Which model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelKind {
    Sqli,
    Xss,
}

static SQLI_BYTES: &[u8] = include_bytes!("../../models/sqli.irm");
static XSS_BYTES: &[u8] = include_bytes!("../../models/xss.irm");

static SQLI: OnceLock<Option<LinearModel>> = OnceLock::new();
static XSS: OnceLock<Option<LinearModel>> = OnceLock::new();

fn model(kind: ModelKind) -> Option<&'static LinearModel> {
    let (cell, bytes) = match kind {
        ModelKind::Sqli => (&SQLI, SQLI_BYTES),
        ModelKind::Xss => (&XSS, XSS_BYTES),
    };
    // A broken embedded file cannot happen with the committed models (a test parses both);
    // if it ever did, the model scores 0 and the detectors keep their structural evidence.
    cell.get_or_init(|| LinearModel::parse(bytes).ok()).as_ref()
}

/// Loads (parses) a model now rather than on the first `score`; false if the file is invalid.
pub fn preload(kind: ModelKind) -> bool {
    model(kind).is_some()
}

/// Per-thread scratch space so scoring allocates nothing after the first call on a thread.
struct Scratch {
    /// One bit per bucket: which buckets were already counted for this text (allocated on
    /// first use; a fixed size lets a masked bucket index it without bounds checks).
    seen: Option<Box<[u64; BUCKETS / 64]>>,
    /// Words of `seen` set for this text, to clear them afterwards without touching the whole
    /// bitmap.
    touched: Vec<u32>,
}

impl Scratch {
    const fn new() -> Self {
        Scratch {
            seen: None,
            touched: Vec::new(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

/// Probability in 0..=1 that `text` is an attack of the model's class.
pub fn score(kind: ModelKind, text: &str) -> f32 {
    let Some(m) = model(kind) else {
        return 0.0;
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => score_with(m, text, &mut s),
        // Unreachable in practice (no re-entrancy); stay correct anyway.
        Err(_) => score_with(m, text, &mut Scratch::new()),
    })
}

fn score_with(m: &LinearModel, text: &str, s: &mut Scratch) -> f32 {
    let weights = m.weights();
    let seen = s.seen.get_or_insert_with(|| Box::new([0; BUCKETS / 64]));
    // Sized so that every distinct bucket has a slot: a slice and a count stay in registers.
    let need = features::max_features(text);
    if s.touched.len() < need {
        s.touched.resize(need, 0);
    }
    let touched = s.touched.as_mut_slice();
    let mut distinct = 0usize;
    let mut sum: i64 = 0;
    features::for_each_feature(text, |hash| {
        let b = features::bucket(hash);
        let (word, shift) = (b / 64, b % 64);
        // Shift-and-test (not a mask) compiles to a single bit test.
        if (seen[word] >> shift) & 1 == 0 {
            seen[word] |= 1 << shift;
            touched[distinct] = word as u32;
            distinct += 1;
            sum += i64::from(weights[b] as i8);
        }
    });
    for &word in &touched[..distinct] {
        // The mask is a no-op on stored words; it spares the bounds check.
        seen[word as usize % seen.len()] = 0;
    }
    m.probability(sum, distinct as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_embedded_models_parse() {
        assert!(preload(ModelKind::Sqli));
        assert!(preload(ModelKind::Xss));
    }

    #[test]
    fn parsing_is_fast() {
        let m = LinearModel::parse(SQLI_BYTES).expect("sqli model");
        let n = LinearModel::parse(XSS_BYTES).expect("xss model");
        // Both quantized with scale = max|w| / 127 (> 0) and all 2^BITS weights present.
        assert!(m.scale > 0.0 && n.scale > 0.0);
        assert_eq!(m.weights().len(), BUCKETS);
    }

    #[test]
    fn rejects_bad_files() {
        assert!(LinearModel::parse(b"").is_err());
        assert!(LinearModel::parse(b"IRML\x02\x00").is_err());
        assert!(LinearModel::parse(&SQLI_BYTES[..SQLI_BYTES.len() - 1]).is_err());
        // Another bucket count is another feature spec.
        let mut other_bits = SQLI_BYTES.to_vec();
        other_bits[6] = 17;
        assert!(LinearModel::parse(Box::leak(other_bits.into_boxed_slice())).is_err());
    }

    #[test]
    fn scores_are_probabilities_on_odd_input() {
        let long = "<script>".repeat(5000);
        for text in ["", " ", "\u{0}", "é\u{FFFD}😀", long.as_str()] {
            for kind in [ModelKind::Sqli, ModelKind::Xss] {
                let p = score(kind, text);
                assert!((0.0..=1.0).contains(&p), "{kind:?} {text:?} {p}");
            }
        }
    }

    #[test]
    fn same_text_same_score_across_calls() {
        // The scratch bitmap must be fully cleared between texts.
        let a = score(ModelKind::Sqli, "1' UNION SELECT password FROM users--");
        score(ModelKind::Sqli, "something else entirely <b>bold</b>");
        let b = score(ModelKind::Sqli, "1' UNION SELECT password FROM users--");
        assert_eq!(a, b);
    }

    #[test]
    fn separates_obvious_attacks_from_everyday_text() {
        assert!(
            score(
                ModelKind::Sqli,
                "1' UNION SELECT username, password FROM users--"
            ) > 0.9
        );
        assert!(score(ModelKind::Xss, "<script>alert(document.cookie)</script>") > 0.9);
        for benign in [
            "Seán O'Brien",
            "select a size",
            "Can you drop the table booking for tonight?",
            "Tom & Jerry",
        ] {
            assert!(score(ModelKind::Sqli, benign) < 0.5, "{benign}");
        }
        for benign in ["<b>bold</b>", "a < b and c > d", "colour #074024"] {
            assert!(score(ModelKind::Xss, benign) < 0.5, "{benign}");
        }
    }
}
