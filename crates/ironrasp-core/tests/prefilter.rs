//! The shared prefilter never hides a finding: for every test vector and every value of the
//! shared datasets (and each of their decoded views), a detector that the prefilter would skip
//! finds nothing when run anyway.

use ironrasp_core::check::Check;
use ironrasp_core::detect::cmdi::CmdiDetector;
use ironrasp_core::detect::prefilter::Classes;
use ironrasp_core::detect::{number, path_traversal, Number, CMDI_NEEDS, STATELESS};
use ironrasp_core::extract::decode;
use ironrasp_core::Limits;
use std::path::Path;

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/vectors")).expect("vectors") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        let doc: toml::Table = text.parse().expect("toml");
        for case in doc["case"].as_array().expect("cases") {
            texts.push(case["input"].as_str().expect("input").to_string());
        }
    }
    // The shared datasets sit beside the repository (../shared), as on every developer machine
    // and in CI.
    let data = root.join("../../../shared/datasets");
    let files = std::fs::read_dir(&data)
        .unwrap_or_else(|e| panic!("{} is needed for this test: {e}", data.display()));
    for entry in files {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "jsonl") {
            for line in std::fs::read_to_string(&path).expect("read").lines() {
                let v: serde_json::Value = serde_json::from_str(line).expect("json line");
                texts.push(v["text"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    // Numbers in every spelling a JSON body or a form carries.
    for n in [
        "0",
        "1",
        "-1",
        "+1",
        "42",
        "1e5",
        "1E-5",
        "3.14",
        "-0.0",
        "2130706433",
        "017700000001",
    ] {
        texts.push(n.to_string());
    }
    texts
}

#[test]
fn skipped_detectors_find_nothing() {
    let cmdi = CmdiDetector::from_env();
    let limits = Limits::default();
    let mut checked = 0usize;
    let mut misses = Vec::new();
    let mut views = Vec::new();
    for text in corpus() {
        views.clear();
        decode::expand(&text, &limits, &mut views);
        let all = std::iter::once(text.as_str()).chain(views.iter().map(|v| v.text.as_str()));
        for t in all {
            checked += 1;
            let present = Classes::of(t);
            // Numbers skip every detector (dotted ones all but SSRF).
            let kind = number(t);
            let skips = |c: Check| match kind {
                Some(Number::Plain) => true,
                Some(Number::Dotted) => c != Check::Ssrf,
                None => false,
            };
            let cmdi_reads = present.any(CMDI_NEEDS) || cmdi.names_a_command(t);
            if (skips(Check::Cmdi) || !cmdi_reads) && cmdi.inspect(t).is_some() {
                misses.push(format!("cmdi: {t:?}"));
            }
            // The path-traversal detector's own gate for slash-bearing header values and URLs.
            if !path_traversal::worth_a_look(t)
                && path_traversal::score_ungated(t)
                    .is_some_and(|(s, _)| s >= path_traversal::THRESHOLD)
            {
                misses.push(format!("path_traversal gate: {t:?}"));
            }
            for (check, needs, f) in STATELESS {
                if (skips(check) || !present.any(needs)) && f(t).is_some() {
                    misses.push(format!("{}: {t:?}", check.slug()));
                }
            }
        }
    }
    assert!(checked > 50_000, "only {checked} texts checked");
    assert!(
        misses.is_empty(),
        "the prefilter would hide {} findings:\n{}",
        misses.len(),
        misses.join("\n")
    );
}
