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
fn first_use_and_scoring_are_cheap() {
    // Loading is parsing a header over the embedded bytes; the budget is 50 ms.
    let t = std::time::Instant::now();
    assert!(ironrasp_core::model::preload(ModelKind::Sqli));
    assert!(ironrasp_core::model::preload(ModelKind::Xss));
    let load = t.elapsed();
    assert!(load.as_millis() < 50, "model load took {load:?}");

    // 100 chars of mixed text; the release target is a few microseconds, this bound also
    // holds for unoptimized test builds.
    let text =
        "Hello O'Brien, your order #1234 ships to Dublin <b>today</b>; select a size & colour!!";
    let text = &format!("{text}{}", "x".repeat(100 - text.len()));
    assert_eq!(text.len(), 100);
    let rounds = 2000u32;
    let t = std::time::Instant::now();
    let mut total = 0f32;
    for _ in 0..rounds {
        total += score(ModelKind::Sqli, std::hint::black_box(text));
    }
    let per_call = t.elapsed() / rounds;
    eprintln!("model load {load:?}; score of a 100-char text {per_call:?} (total {total})");
    assert!(per_call.as_micros() < 500, "scoring took {per_call:?}");
}
