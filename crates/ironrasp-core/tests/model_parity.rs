//! The Rust inference must give the trainer's scores: `training/train.py` writes
//! tests/fixtures/model_parity.jsonl (dev-split texts with the scores it computed from the same
//! quantized weights), and every row must match here.

use ironrasp_core::model::{score, ModelKind};

/// Both sides sum the same integer weights and differ only in float rounding of exp().
const TOLERANCE: f32 = 1e-5;
const MIN_ROWS: usize = 1000;

#[derive(serde::Deserialize)]
struct Row {
    kind: String,
    text: String,
    score: f32,
}

#[test]
fn rust_scores_match_the_trainer() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/model_parity.jsonl"
    );
    let data = std::fs::read_to_string(path).expect("parity fixture (run training/train.py)");
    let mut checked = [0usize; 2];
    let mut worst = 0f32;
    let mut failures = Vec::new();
    for (line_no, line) in data.lines().enumerate() {
        let row: Row = serde_json::from_str(line).expect("fixture line is JSON");
        let (kind, slot) = match row.kind.as_str() {
            "sqli" => (ModelKind::Sqli, 0),
            "xss" => (ModelKind::Xss, 1),
            other => panic!("line {}: unknown model kind {other}", line_no + 1),
        };
        let got = score(kind, &row.text);
        let diff = (got - row.score).abs();
        worst = worst.max(diff);
        if diff >= TOLERANCE {
            failures.push(format!(
                "line {}: {:?} rust {got} python {} text {:?}",
                line_no + 1,
                kind,
                row.score,
                row.text.chars().take(80).collect::<String>()
            ));
        }
        checked[slot] += 1;
    }
    assert!(
        failures.is_empty(),
        "{} mismatches (worst {worst}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked[0] + checked[1] >= MIN_ROWS,
        "only {checked:?} rows checked"
    );
    assert!(
        checked[0] >= MIN_ROWS / 2 && checked[1] >= MIN_ROWS / 2,
        "rows per model {checked:?}"
    );
}

#[test]
fn both_models_load() {
    // Load and scoring times are measured by the criterion bench (benches/inspect.rs).
    assert!(ironrasp_core::model::preload(ModelKind::Sqli));
    assert!(ironrasp_core::model::preload(ModelKind::Xss));
}
