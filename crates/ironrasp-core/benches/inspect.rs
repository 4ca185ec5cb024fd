//! Cost of inspection: one value through the decoders and every value detector, and one whole
//! typical request. Targets (issue 3): a benign value under 100 ns at the median, an
//! attack-shaped value under 10 µs, a typical 1 KB JSON request under 5 µs in all.
//! Run: cargo bench -p ironrasp-core --bench inspect

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ironrasp_core::config::Console;
use ironrasp_core::detect::ValueDetectors;
use ironrasp_core::extract::decode;
use ironrasp_core::{Config, Engine, Limits, Request};

/// The per-value pipeline as the engine runs it: detectors on the value, then on each view.
fn scan(
    detectors: &ValueDetectors,
    limits: &Limits,
    text: &str,
    views: &mut Vec<decode::View>,
) -> usize {
    let mut found = Vec::new();
    detectors.inspect(text, &mut found);
    views.clear();
    decode::expand(text, limits, views);
    for v in views.iter() {
        detectors.inspect(&v.text, &mut found);
    }
    found.len()
}

fn values(c: &mut Criterion) {
    let detectors = ValueDetectors::new(|_| true);
    let limits = Limits::default();
    let mut views = Vec::new();
    let mut g = c.benchmark_group("value");
    for (name, text) in [
        ("benign_word", "shoes"),
        ("benign_name", "O'Brien"),
        (
            "benign_sentence",
            "Can you drop the table booking for tonight?",
        ),
        (
            "benign_url",
            "https://shop.example.com/products/42?color=blue",
        ),
        (
            "attack_sqli",
            "1' UNION SELECT username, password FROM users--",
        ),
        ("attack_xss", "<svg/onload=alert(document.cookie)>"),
        ("attack_cmdi", "127.0.0.1; cat /etc/passwd"),
        ("attack_traversal", "..%2f..%2f..%2fetc%2fpasswd"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| scan(&detectors, &limits, black_box(text), &mut views))
        });
    }
    g.finish();
}

fn json_request() -> Request {
    let body = serde_json::json!({
        "customer": {"name": "Siobhán O'Brien", "email": "siobhan@example.com", "phone": "+353 1 555 0100"},
        "shipping": {"street": "12 Union Street", "city": "Cork", "zip": "T12 ABC4", "country": "IE"},
        "items": [
            {"sku": "A-1407", "name": "Running shoes", "size": "42", "qty": 1, "price": 89.95},
            {"sku": "B-2210", "name": "Socks (3 pack)", "size": "M", "qty": 2, "price": 12.5},
            {"sku": "C-0042", "name": "Water bottle", "qty": 1, "price": 15.0}
        ],
        "note": "Please leave it with the neighbour at no. 14 if nobody's home - thanks!",
        "coupon": "WINTER-10", "newsletter": true, "currency": "EUR"
    })
    .to_string();
    Request {
        method: "POST".into(),
        path: "/api/orders".into(),
        query: "lang=en&ref=cart".into(),
        headers: vec![
            ("host".into(), "shop.example.com".into()),
            ("content-type".into(), "application/json".into()),
            (
                "user-agent".into(),
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0".into(),
            ),
            ("accept".into(), "application/json".into()),
            ("cookie".into(), "session=3f9a1c2e7b6d; theme=dark".into()),
        ],
        body: body.into_bytes(),
        body_truncated: false,
        peer: "198.51.100.7".into(),
    }
}

fn requests(c: &mut Criterion) {
    let mut config = Config::default();
    config.log.console = Console::Off;
    config.log.banner = false;
    config.flood.enabled = false;
    let engine = Engine::new(config).expect("engine");
    let req = json_request();
    assert!(
        req.body.len() > 600 && req.body.len() < 1400,
        "about 1 KB: {}",
        req.body.len()
    );
    c.bench_function("request/json_1kb", |b| {
        b.iter(|| engine.inspect_request(black_box(&req)))
    });
}

criterion_group!(benches, values, requests);
criterion_main!(benches);
