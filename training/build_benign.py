"""Builds training/data/extra_benign.jsonl: benign text of the kinds the shared dataset is thin on.

Real text comes from packages installed on the build machine (each line names the package,
version, file and license); the few synthetic kinds are built from templates and say so in
`source`. Deterministic for a given set of installed packages (fixed seed, sorted inputs).
The output is committed; train.py reads the committed file, so rerunning this is optional:
    python training/build_benign.py
"""

import gzip
import importlib.metadata as md
import json
import linecache
import os
import random
import re
import sys
import sysconfig
import traceback

SEED = 20240611
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "extra_benign.jsonl")
STDLIB = sysconfig.get_paths()["stdlib"]
PY = "python%d.%d.%d" % sys.version_info[:3]
rng = random.Random(SEED)
rows = []


def add(text, kind, source, license_):
    text = text.strip()
    if 3 <= len(text) <= 2000:
        rows.append(
            {
                "text": text,
                "label": "benign",
                "class": "benign",
                "kind": kind,
                "source": source,
                "license": license_,
            }
        )


def pick(items, n):
    items = list(items)
    return items if len(items) <= n else rng.sample(items, n)


def pkg_dir(name):
    return os.path.dirname(__import__(name).__file__)


def version(dist):
    return md.version(dist)


# --- botocore service documentation: real HTML written by AWS (Apache-2.0) ---------------------
def botocore_html(n=2200):
    base = os.path.join(pkg_dir("botocore"), "data")
    src_ver = "pypi:botocore==" + version("botocore")
    docs = []
    for svc in sorted(os.listdir(base)):
        svc_dir = os.path.join(base, svc)
        if not os.path.isdir(svc_dir):
            continue
        for ver in sorted(os.listdir(svc_dir)):
            path = os.path.join(svc_dir, ver, "service-2.json.gz")
            if not os.path.exists(path):
                continue
            with gzip.open(path, "rt", encoding="utf-8") as f:
                model = json.load(f)
            for op_name, op in sorted(model.get("operations", {}).items()):
                d = op.get("documentation", "")
                if "<" in d and 40 <= len(d) <= 1500:
                    docs.append((d, f"{src_ver}/data/{svc}/{ver}/service-2.json.gz#{op_name}"))
            break  # newest API version is enough
    for d, src in pick(docs, n):
        add(d, "html_docs", src, "Apache-2.0")
    return docs


# --- botocore request/response examples: real JSON blobs (Apache-2.0) ---------------------------
def botocore_json(n=900):
    base = os.path.join(pkg_dir("botocore"), "data")
    src_ver = "pypi:botocore==" + version("botocore")
    blobs = []
    for svc in sorted(os.listdir(base)):
        svc_dir = os.path.join(base, svc)
        if not os.path.isdir(svc_dir):
            continue
        for ver in sorted(os.listdir(svc_dir)):
            path = os.path.join(svc_dir, ver, "examples-1.json")
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    ex = json.load(f).get("examples", {})
                for op, items in sorted(ex.items()):
                    for i, item in enumerate(items):
                        for part in ("input", "output"):
                            obj = item.get(part)
                            if obj:
                                s = json.dumps(
                                    obj,
                                    ensure_ascii=False,
                                    separators=(",", ":") if i % 2 else (", ", ": "),
                                )
                                if len(s) <= 1500:
                                    blobs.append(
                                        (s, f"{src_ver}/data/{svc}/{ver}/examples-1.json#{op}")
                                    )
            break
    for s, src in pick(blobs, n):
        add(s, "json", src, "Apache-2.0")


# --- stdlib: docstrings (text), code, tracebacks (PSF-2.0) -------------------------------------
STDLIB_MODULES = [
    "json/__init__.py",
    "json/decoder.py",
    "textwrap.py",
    "collections/__init__.py",
    "argparse.py",
    "csv.py",
    "string.py",
    "dataclasses.py",
    "pathlib.py",
    "functools.py",
    "heapq.py",
    "bisect.py",
    "fractions.py",
    "calendar.py",
    "email/utils.py",
    "email/message.py",
    "urllib/parse.py",
    "http/cookies.py",
    "html/parser.py",
    "html/__init__.py",
    "datetime.py",
    "logging/__init__.py",
    "shutil.py",
    "tempfile.py",
    "random.py",
    "statistics.py",
    "difflib.py",
    "pprint.py",
    "ipaddress.py",
    "uuid.py",
    "zipfile.py",
    "tarfile.py",
    "configparser.py",
    "gettext.py",
    "locale.py",
    "enum.py",
    "typing.py",
    "inspect.py",
    "copy.py",
    "base64.py",
    "hmac.py",
    "secrets.py",
    "smtplib.py",
    "imaplib.py",
    "ftplib.py",
    "mailbox.py",
    "wave.py",
    "colorsys.py",
]


def stdlib_sources():
    out = []
    for rel in STDLIB_MODULES:
        path = os.path.join(STDLIB, rel)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                out.append((rel, f.read()))
    return out


def stdlib_docstrings(sources):
    import ast

    paras = []
    for rel, text in sources:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    for p in re.split(r"\n\s*\n", doc):
                        p = " ".join(p.split())
                        if 30 <= len(p) <= 800:
                            paras.append((p, f"{PY}/Lib/{rel} (docstring)"))
    return paras


def stdlib_code(sources, n=900):
    chunks = []
    for rel, text in sources:
        lines = text.splitlines()
        for start in range(0, max(1, len(lines) - 12), 17):
            k = rng.randint(2, 12)
            chunk = "\n".join(lines[start : start + k])
            if chunk.strip() and not chunk.lstrip().startswith("#"):
                chunks.append((chunk, "%s/Lib/%s#L%d" % (PY, rel, start + 1)))
    for c, src in pick(chunks, n):
        add(c, "code", src, "PSF-2.0")


def tracebacks(n=260):
    import datetime
    import decimal
    import json as js

    failing = [
        "int(value)",
        "payload['customer_id']",
        "items[5]",
        "js.loads(value)",
        "datetime.datetime.strptime(value, '%Y-%m-%d')",
        "open('/srv/app/uploads/' + value)",
        "total / count",
        "user.email.lower()",
        "decimal.Decimal(value)",
        "float(value)",
        "js.loads('{\"a\": 1,}')",
        "dict(items)['missing']",
        "value.decode('ascii')",
        "getattr(config, 'DATABASE_URL')",
        "sum([1, value])",
        "'%d items' % value",
    ]
    values = ["abc", "12a", "2024-13-45", "", "O'Brien", "{bad json", "a,b", "ü", "none"]
    files = [
        "app/views.py",
        "app/models/order.py",
        "services/billing.py",
        "api/handlers.py",
        "main.py",
        "src/shop/cart.py",
        "worker/tasks.py",
        "utils/parse.py",
    ]
    funcs = [
        "handle_request",
        "create_order",
        "parse_payload",
        "checkout",
        "get_user",
        "update_profile",
        "process",
        "run",
        "load_settings",
        "import_rows",
    ]
    out = set()
    for _ in range(n * 3):
        expr = rng.choice(failing)
        fname = rng.choice(files)
        f1, f2 = rng.sample(funcs, 2)
        src = (
            f"def {f2}(value, items=(), payload=None, user=None, count=0, total=1, config=None):\n"
            "    payload = payload or {}\n"
            f"    return {expr}\n\n"
            f"def {f1}(value):\n"
            f"    return {f2}(value)\n"
        )
        linecache.cache[fname] = (len(src), None, src.splitlines(True), fname)
        env = {"js": js, "datetime": datetime, "decimal": decimal}
        exec(compile(src, fname, "exec"), env)
        try:
            env[f1](rng.choice(values))
        except Exception:
            tb = traceback.format_exc()
            out.add(tb)
        if len(out) >= n:
            break
    for tb in sorted(out):
        add(tb, "stack_trace", "synthetic: traceback of template code run on " + PY, "PSF-2.0")


# --- Pygments inline-styled HTML of stdlib code (BSD-2-Clause formatter, PSF code) -------------
def pygments_html(code_sources, n=250):
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    fmt = HtmlFormatter(noclasses=True, nowrap=True)
    snippets = []
    for rel, text in code_sources:
        lines = text.splitlines()
        for start in range(0, max(1, len(lines) - 4), 41):
            chunk = "\n".join(lines[start : start + rng.randint(1, 3)])
            if chunk.strip():
                snippets.append((chunk, rel, start))
    for chunk, rel, start in pick(snippets, n):
        html = highlight(chunk, PythonLexer(), fmt)
        add(
            html,
            "html_styled",
            "pypi:Pygments==%s HtmlFormatter(noclasses) of %s/Lib/%s#L%d"
            % (version("Pygments"), PY, rel, start + 1),
            "BSD-2-Clause (Pygments) / PSF-2.0 (code)",
        )


# --- docutils HTML of stdlib docstrings (docutils: public domain/BSD; text PSF) ----------------
def docutils_html(paras, n=400):
    from docutils.core import publish_parts

    for p, src in pick(paras, n):
        try:
            html = publish_parts(
                p, writer_name="html", settings_overrides={"report_level": 5, "halt_level": 5}
            )["fragment"]
        except Exception:
            continue
        add(
            html,
            "html_docs",
            "pypi:docutils=={} rst->html of {}".format(version("docutils"), src),
            "public domain/BSD-2-Clause (docutils) / PSF-2.0 (text)",
        )


# --- Markdown READMEs in installed packages' METADATA ------------------------------------------
PERMISSIVE = ("MIT", "BSD", "Apache", "PSF", "ISC")


def dist_license(meta):
    lic = meta.get("License-Expression") or meta.get("License") or ""
    if not lic or len(lic) > 60:
        cls = [c for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")]
        lic = cls[0].split("::")[-1].strip() if cls else lic[:60]
    return lic


def markdown(n=1100):
    blocks = []
    for dist in sorted(md.distributions(), key=lambda d: d.metadata["Name"].lower()):
        meta = dist.metadata
        if "markdown" not in (meta.get("Description-Content-Type") or ""):
            continue
        lic = dist_license(meta)
        if not any(p.lower() in lic.lower() for p in PERMISSIVE):
            continue
        body = meta.get_payload() or meta.get("Description") or ""
        for b in re.split(r"\n\s*\n", body):
            if 20 <= len(b.strip()) <= 1200:
                blocks.append(
                    (b, "pypi:{}=={} METADATA (README)".format(meta["Name"], meta["Version"]), lic)
                )
    for b, src, lic in pick(blocks, n):
        add(b, "markdown", src, lic)


# --- Synthetic: rich-text editor HTML around real sentences -------------------------------------
COLORS = [
    "red",
    "#074024",
    "#e03e2d",
    "rgb(53, 152, 219)",
    "#169179",
    "blue",
    "#000000",
    "#7e8c8d",
    "rgb(0, 0, 0)",
    "#f1c40f",
    "hsl(210, 50%, 40%)",
]
DOMAINS = [
    "example.com",
    "www.example.org",
    "images.example.net",
    "cdn.example.com",
    "docs.python.org",
    "en.wikipedia.org",
    "github.com",
    "shop.example.co.uk",
]


def words(s, k):
    w = s.split()
    i = rng.randint(0, max(0, len(w) - k))
    return " ".join(w[i : i + k]) or "link"


def rich_html(sentences, n=1500):
    def block():
        s = rng.choice(sentences)
        c = rng.choice(COLORS)
        d = rng.choice(DOMAINS)
        t = rng.randrange(14)
        if t == 0:
            return f"<p>{s}</p>"
        if t == 1:
            return f"<p><strong>{words(s, 2)}</strong> {s}</p>"
        if t == 2:
            return f'<p><span style="color: {c};">{s}</span></p>'
        if t == 3:
            return (
                '<p>{} <a href="https://{}/{}" target="_blank" rel="noopener">{}</a>.</p>'.format(
                    s, d, words(s, 2).lower().replace(" ", "-"), words(s, 3)
                )
            )
        if t == 4:
            return '<p><img src="https://%s/images/%s.png" alt="%s" width="%d" height="%d"></p>' % (
                d,
                words(s, 1).lower().strip(".,()"),
                words(s, 3),
                rng.choice([300, 640, 120]),
                rng.choice([200, 480, 90]),
            )
        if t == 5:
            return "<ul>{}</ul>".format(
                "".join(
                    f"<li>{words(rng.choice(sentences), 5)}</li>" for _ in range(rng.randint(2, 4))
                )
            )
        if t == 6:
            return f'<p style="text-align: center;"><em>{s}</em></p>'
        if t == 7:
            return f"<h2>{words(s, 3)}</h2>\n<p>{s}</p>"
        if t == 8:
            return f"<blockquote><p>{s}</p></blockquote>"
        if t == 9:
            return f"<p>{s}<br>{words(s, 4)}&nbsp;<u>{words(s, 2)}</u></p>"
        if t == 10:
            return f"<ol><li><p>{words(s, 6)}</p></li><li><p>{words(rng.choice(sentences), 6)}</p></li></ol>"
        if t == 11:
            return (
                '<table style="border-collapse: collapse; width: 100%;" border="1"><tbody><tr>'
                f'<td style="width: 50%;">{words(s, 2)}</td><td style="width: 50%;">{words(s, 3)}</td></tr></tbody></table>'
            )
        if t == 12:
            return f'<div class="ql-editor"><p><span style="background-color: {c}; color: #ffffff;">{words(s, 4)}</span> <s>{words(s, 2)}</s></p></div>'
        return f"<p><code>{words(s, 1)}</code> {s}</p>"

    for _ in range(n):
        html = "".join(block() for _ in range(rng.randint(1, 3)))
        add(
            html,
            "rich_text_html",
            "synthetic: editor-style HTML template around stdlib docstring text",
            "PSF-2.0 (text)",
        )


# --- Synthetic: names with apostrophes, SQL-like English, JSON orders, punctuation ----------------
FIRST = [
    "Sean",
    "Siobhán",
    "Liam",
    "Aoife",
    "Patrick",
    "Mary",
    "Conor",
    "Niamh",
    "Giulia",
    "Marco",
    "Jean",
    "Anne-Marie",
    "Dmitri",
    "Ngozi",
    "Yuki",
    "Ana",
    "Tom",
    "Jerry",
    "Zoë",
    "José",
]
APOS = [
    "O'Brien",
    "O'Connor",
    "O'Neill",
    "O'Sullivan",
    "D'Angelo",
    "D'Arcy",
    "O'Reilly",
    "Dell'Acqua",
    "D'Souza",
    "L'Estrange",
    "O'Hara",
    "N'Diaye",
    "Mc'Kay",
    "D'Amico",
    "O'Donnell",
    "Dall'Ara",
]
CITIES = [
    "Dublin",
    "Cork",
    "Paris",
    "Lyon",
    "New York",
    "Los Angeles",
    "São Paulo",
    "Zürich",
    "Kraków",
    "Québec",
    "Tokyo",
    "Lagos",
    "Mumbai",
    "L'Aquila",
    "Rio de Janeiro",
    "Saint-Étienne",
    "Reykjavík",
]


def names(n=500):
    forms = [
        "{f} {s}",
        "{s}, {f}",
        "Dear Mr. {s},",
        "Ms {f} {s}",
        "{f} {s} <{fl}.{sl}@example.com>",
        "Deliver to {f} {s}, {num} {s2} Street, {c}",
        "{s} & Sons Ltd",
        "Signed: {f} {s}",
        "Hi {f}, it's {f2} {s} here. Can't make it today, I'm sorry!",
        "Order for {s}'s party",
        "{f} {s}-{s2}",
        "Rock 'n' roll night with {f} {s}",
        "Meet at {s}'s pub at {h} o'clock",
    ]
    seen = set()
    while len(seen) < n:
        f, f2 = rng.sample(FIRST, 2)
        s, s2 = rng.sample(APOS, 2)
        txt = rng.choice(forms).format(
            f=f,
            f2=f2,
            s=s,
            s2=s2,
            c=rng.choice(CITIES),
            num=rng.randint(1, 220),
            h=rng.randint(1, 12),
            fl=f.lower(),
            sl=re.sub(r"[^a-z]", "", s.lower()),
        )
        seen.add(txt)
    for t in sorted(seen):
        add(t, "name_apostrophe", "synthetic: name templates", "CC0-1.0 (synthetic)")


def sql_like_english(n=500):
    forms = [
        "Please select a size before adding to cart",
        "Select your {thing} from the list",
        "Can you drop the table booking for {when}?",
        "Drop me a line at the {place}",
        "Update: the {thing} is back in stock",
        "I want to delete my {thing}, please",
        "Insert the {thing} into the slot and press start",
        "Union Station, {c}",
        "Order by {when} to get free delivery",
        "Where is the {place}? Is it from {c}?",
        "Create a new {thing} and join the group",
        "We'll drop off the {thing} and update you",
        "Select all that apply: {thing}, {thing2} or neither",
        "My table is #{num} (near the window) - select menu B",
        "Truncate the text if it's longer than {num} characters",
        "Please don't drop the {thing} or it'll break",
        "Having trouble? Select 'Forgot password' and follow the steps",
        "Union of {thing} and {thing2} groups",
        "1 or 2 people; table for {num} at {h} o'clock",
        "Is {thing} = {thing2}? Not always -- ask {c} office",
        "Exec summary: sales from {c} were up {num}%",
        "Sleep well and wait for the {thing} (benchmark day)",
    ]
    things = [
        "account",
        "profile",
        "order",
        "shirt",
        "coupon",
        "booking",
        "card",
        "colour",
        "file",
        "reservation",
        "newsletter",
        "table",
        "group",
        "ticket",
        "receipt",
    ]
    places = ["office", "reception", "front desk", "bar", "station", "hotel", "library"]
    whens = ["tonight", "Friday", "tomorrow at 8", "noon", "the weekend", "5 pm"]
    seen = set()
    for _ in range(n * 4):
        t1, t2 = rng.sample(things, 2)
        txt = rng.choice(forms).format(
            thing=t1,
            thing2=t2,
            place=rng.choice(places),
            when=rng.choice(whens),
            c=rng.choice(CITIES),
            num=rng.randint(2, 99),
            h=rng.randint(1, 12),
        )
        if rng.random() < 0.3:
            txt = txt.lower()
        seen.add(txt)
        if len(seen) >= n:
            break
    for t in sorted(seen):
        add(t, "sql_like_english", "synthetic: SQL-word English templates", "CC0-1.0 (synthetic)")


def json_orders(n=500):
    for i in range(n):
        order = {
            "order_id": "A%06d" % rng.randint(0, 999999),
            "customer": {
                "name": "{} {}".format(
                    rng.choice(FIRST), rng.choice(APOS + ["Smith", "Müller", "Nguyen"])
                ),
                "city": rng.choice(CITIES),
                "zip": "%05d" % rng.randint(0, 99999),
            },
            "items": [
                {
                    "sku": "SKU-%d" % rng.randint(100, 999),
                    "qty": rng.randint(1, 5),
                    "price": round(rng.uniform(1, 300), 2),
                    "colour": rng.choice(COLORS),
                }
                for _ in range(rng.randint(1, 3))
            ],
            "note": rng.choice(
                [
                    "",
                    "Leave at the door",
                    "Gift wrap <3",
                    "Call 555-0100 on arrival",
                    "select express if possible",
                    "Tom & Jerry's",
                    "a < b and c > d",
                ]
            ),
        }
        s = json.dumps(
            order, ensure_ascii=i % 3 == 0, separators=(",", ":") if i % 2 else (", ", ": ")
        )
        add(s, "json", "synthetic: JSON order template", "CC0-1.0 (synthetic)")


def punctuation_text(sentences, n=400):
    forms = [
        "copy & paste {w}",
        "Tom & Jerry",
        "a < b and c > d",
        "if (x <= {num} && y >= 0) {{ return; }}",
        "<b>bold</b> and <i>{w}</i>",
        "colour #{hex} vs #{hex2}",
        "price: ${num}.99 (-{num}%)",
        '{w} -- see "{w2}" [1]',
        "2 * (3 + 4) = 14; 10/2 = 5",
        "email me: {u}@example.com; cc: {u}+news@example.org",
        "C:\\Users\\{u}\\Documents\\report.docx",
        "~/projects/{u}/notes.md",
        "=> {w} <= {w2}",
        "{w}? {w2}! ({w}; {w2})",
        "5' 11\" tall, 180 lbs",
        "it's {w}'s, isn't it?",
        "50% off -- today only!!!",
        "`{w}` vs '{w2}' vs \"{w}\"",
        "1 < 2 > 0",
        "@{u} #{w} #{w2}",
    ]
    vocab = [w.strip(".,;:()'\"") for s in sentences[:2000] for w in s.split() if w.isalpha()]
    seen = set()
    for _ in range(n * 4):
        txt = rng.choice(forms).format(
            w=rng.choice(vocab),
            w2=rng.choice(vocab),
            num=rng.randint(1, 500),
            hex=f"{rng.randrange(1 << 24):06x}",
            hex2=f"{rng.randrange(1 << 24):06X}",
            u=rng.choice(FIRST).lower(),
        )
        seen.add(txt)
        if len(seen) >= n:
            break
    for t in sorted(seen):
        add(
            t,
            "punctuation_text",
            "synthetic: punctuation-heavy everyday text templates",
            "CC0-1.0 (synthetic)",
        )


def main():
    sources = stdlib_sources()
    paras = stdlib_docstrings(sources)
    sentences = [p for p, _ in paras if len(p) <= 300]
    botocore_html()
    botocore_json()
    for p, src in pick(paras, 700):
        add(p, "free_text_docs", src, "PSF-2.0")
    stdlib_code(sources)
    tracebacks()
    pygments_html(sources)
    docutils_html(paras)
    markdown()
    rich_html(sentences)
    names()
    sql_like_english()
    json_orders()
    punctuation_text(sentences)
    seen, out = set(), []
    for r in rows:
        if r["text"] not in seen:
            seen.add(r["text"])
            out.append(r)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds = {}
    for r in out:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print("wrote %d lines to %s: %s" % (len(out), OUT, kinds))


if __name__ == "__main__":
    main()
