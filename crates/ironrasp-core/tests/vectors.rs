//! Detector test vectors kept as data: `tests/vectors/<detector>.toml`, each a list of
//! `[[case]] input, expect, why`. One test runs every file (its stem names the detector, see
//! `detector_for`; a file for no known detector is itself a failure, so nothing is skipped
//! silently) and lists every failing case.

use ironrasp_core::detect::{self, cmdi::CmdiDetector, path_traversal};
use ironrasp_core::Check;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    input: String,
    /// A check slug, or "none".
    expect: String,
    why: String,
}

type Detector = Box<dyn Fn(&str) -> Option<Check>>;

/// The detector a vector file is for, by file stem; `None` for files this runner does not know.
fn detector_for(stem: &str) -> Option<Detector> {
    match stem {
        "cmdi" => {
            let d = CmdiDetector::from_env();
            Some(Box::new(move |t| d.inspect(t).map(|f| f.check)))
        }
        "path_traversal" => Some(Box::new(|t| path_traversal::inspect(t).map(|f| f.check))),
        "sqli" => Some(Box::new(|t| detect::sqli::inspect(t).map(|f| f.check))),
        "xss" => Some(Box::new(|t| detect::xss::inspect(t).map(|f| f.check))),
        "ssrf" => Some(Box::new(|t| detect::ssrf::inspect(t).map(|f| f.check))),
        "ssti" => Some(Box::new(|t| detect::ssti::inspect(t).map(|f| f.check))),
        "nosqli" => Some(Box::new(|t| detect::nosqli::inspect(t).map(|f| f.check))),
        "jndi" => Some(Box::new(|t| detect::jndi::inspect(t).map(|f| f.check))),
        "xxe" => Some(Box::new(|t| detect::xxe::inspect(t).map(|f| f.check))),
        "ldapi" => Some(Box::new(|t| detect::ldapi::inspect(t).map(|f| f.check))),
        "crlf" => Some(Box::new(|t| detect::crlf::inspect(t).map(|f| f.check))),
        "rfi" => Some(Box::new(|t| detect::rfi::inspect(t).map(|f| f.check))),
        "code_injection" => Some(Box::new(|t| {
            detect::code_injection::inspect(t).map(|f| f.check)
        })),
        _ => None,
    }
}

#[test]
fn vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    entries.sort();

    let mut ran = 0usize;
    let mut failures = Vec::new();
    for path in entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let Some(detect) = detector_for(&stem) else {
            failures.push(format!(
                "  {}: no detector is named '{stem}'",
                path.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file: File = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not a vector file: {e}", path.display()));
        assert!(!file.case.is_empty(), "{} has no cases", path.display());
        for case in &file.case {
            ran += 1;
            let got = detect(&case.input).map_or("none", |c| c.slug());
            if got != case.expect {
                failures.push(format!(
                    "  [{stem}] input {:?}: expected {}, got {} ({})",
                    case.input, case.expect, got, case.why
                ));
            }
        }
    }
    assert!(ran > 0, "no vector cases ran from {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {ran} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
