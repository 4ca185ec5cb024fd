"""bench/quality.py and bench/crs.py run end to end on tiny data sets written here."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def row(out: str, first_cell: str) -> list[str]:
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in:\n{out}")


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_quality_script_scores_a_tiny_dataset(tmp_path: Path) -> None:
    sqli = ["1' OR '1'='1", "1 UNION SELECT password FROM users--", "1' or '1'='1"]
    xss = ["<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"]
    benign = [
        ("hello world", "form"),
        ("Tom & Jerry", "form"),
        ("O'Brien", "names"),
        ("running shoes size 42", "form"),
    ]
    write_jsonl(
        tmp_path / "sqli.jsonl", [{"text": t, "label": "attack", "class": "sqli"} for t in sqli]
    )
    write_jsonl(
        tmp_path / "xss.jsonl", [{"text": t, "label": "attack", "class": "xss"} for t in xss]
    )
    write_jsonl(
        tmp_path / "benign.jsonl",
        [{"text": t, "label": "benign", "class": "benign", "kind": k} for t, k in benign],
    )
    out = run(
        "quality.py", "--datasets", str(tmp_path), "--split", "all", "--limit", "5", "--no-peers"
    )

    sqli_row = row(out, "sqli")
    assert sqli_row[1] == "3"  # distinct values
    recall, precision, f1 = float(sqli_row[3]), float(sqli_row[5]), float(sqli_row[6])
    assert recall == 1.0, out  # textbook injections
    assert 0.0 <= precision <= 1.0 and 0.0 <= f1 <= 1.0
    xss_row = row(out, "xss")
    assert xss_row[1] == "2" and float(xss_row[3]) == 1.0, out  # decoded by the engine itself
    assert row(out, "**all of benign.jsonl**")[2] == "0 / 4 = 0.00%", out
    assert row(out, "form")[1] == "3" and row(out, "names")[1] == "1"
    assert re.search(r"^\| extra:\w+ \| [1-5] \|", out, re.M), "extra benign kinds listed apart"
    assert "## Targets" in out and "targets met" in out
    assert "Definitions" in out


def test_worst_case_script_times_repeated_units(tmp_path: Path) -> None:
    texts = ["<img src=x onerror=alert(1)>", "1' OR '1'='1", "hello world", "ab", "x" * 200]
    write_jsonl(tmp_path / "mixed.jsonl", [{"text": t, "label": "attack"} for t in texts])
    out = run("worst_case.py", "--datasets", str(tmp_path), "--size", "4096", "--top", "2")
    # Three kept texts (3 to 120 characters) of the tiny set, each alone, + space and + "<",
    # plus the repository's own benign files, which the script always reads.
    count = int(re.search(r"- (\d+) values of 4096 bytes", out).group(1))
    assert count >= 9, out
    cells = row(out, "all values")
    median, worst = float(cells[1]), float(cells[4])
    assert 0 < median <= worst, out
    listed = re.findall(r"^\| [\d.]+ \| `.*` \| [\d.]+ \| ([\d.]+) \|$", out, re.M)
    assert len(listed) == 2 and all(float(g) > 0 for g in listed), out


def test_worst_case_script_refuses_an_empty_directory(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "worst_case.py"), "--datasets", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "no *.jsonl datasets" in proc.stderr


def stage(data: dict, expect: list[int] | None = None, no_expect: list[int] | None = None) -> dict:
    log: dict = {}
    if expect:
        log["expect_ids"] = expect
    if no_expect:
        log["no_expect_ids"] = no_expect
    return {
        "input": {
            "dest_addr": "127.0.0.1",
            "port": 80,
            "version": "HTTP/1.1",
            "headers": {"Host": "localhost", "User-Agent": "test"},
            **data,
        },
        "output": {"log": log},
    }


def test_crs_script_replays_stages(tmp_path: Path) -> None:
    raw = (
        b"POST /post HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
        b"14\r\nq=%3Cscript%3Ealert(\r\n5\r\n1)%3C\r\nC\r\n%2Fscript%3E\r\n0\r\n\r\n"
    )
    tests = [
        {
            "test_id": 1,
            "stages": [
                stage({"method": "GET", "uri": "/?id=1%27%20OR%20%271%27%3D%271"}, [942100])
            ],
        },
        {
            "test_id": 2,
            "stages": [
                stage(
                    {"method": "POST", "uri": "/post", "data": "var=<script>alert(1)</script>"},
                    [942100],
                )
            ],
        },
        {
            "test_id": 3,
            "stages": [stage({"method": "GET", "uri": "/?q=running+shoes"}, no_expect=[942100])],
        },
        {
            "test_id": 4,
            "stages": [stage({"encoded_request": base64.b64encode(raw).decode()}, [942100])],
        },
        {"test_id": 5, "stages": [stage({"method": "\tGET", "uri": "/"}, [942100])]},
    ]
    folder = tmp_path / "REQUEST-942-APPLICATION-ATTACK-SQLI"
    folder.mkdir()
    import yaml

    (folder / "942100.yaml").write_text(yaml.safe_dump({"rule_id": 942100, "tests": tests}))
    policy = tmp_path / "REQUEST-920-PROTOCOL-ENFORCEMENT"
    policy.mkdir()
    (policy / "920100.yaml").write_text(
        yaml.safe_dump(
            {
                "rule_id": 920100,
                "tests": [
                    {
                        "test_id": 1,
                        "stages": [
                            stage({"method": "GET", "uri": "/", "version": "JUNK/1.0"}, [920100])
                        ],
                    }
                ],
            }
        )
    )

    out = run("crs.py", "--crs", str(tmp_path))
    cells = row(out, "REQUEST-942-APPLICATION-ATTACK-SQLI")
    assert cells[1] == "3 / 3 = 100.0%", out  # query, form body, chunked raw request
    assert cells[2] == "1 / 1 = 100.0%", out
    assert cells[4] == "1", out  # the method that is not a token
    assert row(out, "REQUEST-920-PROTOCOL-ENFORCEMENT")[4] == "1", out
    assert "method is not an HTTP token" in out and "'JUNK/1.0'" in out
    assert "- [x] attack stages refused in 930-944 >= 95% (is 100.0%)" in out


def test_crs_environ_keeps_the_raw_query_and_decodes_the_path() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import crs
    finally:
        sys.path.remove(str(ROOT / "bench"))
    st = crs.Stage(
        file="REQUEST-930-X",
        rule="1",
        test="1",
        kind="attack",
        method="GET",
        uri="/a%2E%2E/b?x=%2527&y=a+b#frag",
    )
    env, reason = crs.environ_for(st)
    assert env is not None, reason
    assert env["PATH_INFO"] == "/a../b"
    assert env["QUERY_STRING"] == "x=%2527&y=a+b"
    assert env["RAW_URI"] == "/a%2E%2E/b?x=%2527&y=a+b#frag"
    plain = crs.Stage(
        file="f", rule="1", test="1", kind="attack", method="POST", uri="/p", body=b"a=<b>&c=d e"
    )
    crs.complete(plain)
    assert plain.body == b"a=%3Cb%3E&c=d+e"
    assert ("Content-Type", "application/x-www-form-urlencoded") in plain.headers
    assert crs.dechunk(b"3\r\nabc\r\n0\r\n\r\n") == b"abc"
    assert crs.dechunk(b"zz\r\nabc") is None


def test_alternate_reports_the_ratio_of_paired_rounds(monkeypatch) -> None:
    """bench/alternate.py on a driven clock: the protected side costing 3 ticks against 2 gives
    exactly 1.5 as times and ratio, rounds alternate A-B and B-A, and a burst of noise in a few
    rounds does not move the median ratio."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import alternate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    clock = [0.0]
    order: list[str] = []
    monkeypatch.setattr(alternate.time, "process_time", lambda: clock[0])

    noisy = [0]

    def side(name: str, ticks: float):
        def f() -> None:
            order.append(name)
            # Every 50th plain request meets a noisy machine (50 times slower).
            slow = name == "a" and order.count("a") % 50 == 0
            noisy[0] += slow
            clock[0] += ticks * (50 if slow else 1)

        return f

    res = alternate.alternate(side("a", 2.0), side("b", 3.0), 400)
    assert noisy[0] >= 8
    assert (res.base, res.prot, res.ratio) == (2.0, 3.0, 1.5), res
    rounds = order[200:]  # after the warm-up of 100 requests each
    per = alternate.PER_ROUND
    firsts = [rounds[i] for i in range(0, len(rounds), 2 * per)]
    assert firsts[:4] == ["a", "b", "a", "b"], firsts
