#!/usr/bin/env python3
"""Province-scale benchmark: yibao-recon against a DuckDB peer (`make bench`).

For each size N (persons) in BENCH_SIZES (default 100000,1000000,10000000):

1. generate the inputs with `yibao-recon generate` under bench-data/<N>/
   (cached: regenerated only when the size, seed, policy, as-of, dirty share or
   src/generate.rs changed);
2. run `yibao-recon run` on all seven inputs (--out bench-data/<N>/out
   --ledger bench-data/<N>/ledger/ledger.sqlite --quiet) BENCH_RUNS times
   (default 3) under /usr/bin/time -v, each run fresh: the output directory
   and the ledger are removed first, so every run is a first run of the month
   (a kept ledger sends runs 2 and 3 down the "same month, same inputs" path);
3. run the DuckDB peer (bench/peer.sql: the core of R1/R2/R4/R5 in SQL over the
   same CSV files) the same number of times, each in its own process under
   /usr/bin/time -v. DuckDB's CSV reader takes UTF-8 only, so the GBK civil
   roster is converted once to a cached UTF-8 copy (bench-data/<N>/peer/,
   not timed);
4. print the median wall time, peak RSS (max over the runs) and input rows per
   second of both and their ratio, the first run's wall time, plus the tool's
   own stage timings (summary.json `timings_ms`: read / validate / rules /
   write, medians);
5. append a dated section to BENCHMARKS.md (cores, commit, one table per size).

Python 3.11+ standard library plus the `duckdb` package. Environment:
BENCH_SIZES, BENCH_RUNS, BENCH_SEED (7), BENCH_DIRTY (0.002), BENCH_POLICY
(policies/ningxia-2026.toml), BENCH_AS_OF (January 31 of the policy year),
BENCH_BIN (target/release/yibao-recon), BENCH_NO_RECORD=1 to skip BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import statistics
import string
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("BENCH_BIN") or ROOT / "target" / "release" / "yibao-recon").resolve()
DATA = ROOT / "bench-data"
PEER_SQL = ROOT / "bench" / "peer.sql"
TIME = "/usr/bin/time"
KINDS = ["enrollment", "persons", "civil", "agri", "disability", "veterans", "elsewhere"]


# --------------------------------------------------------------------------
# Settings


def env_list(name: str, default: str) -> list[int]:
    raw = os.environ.get(name, "").strip() or default
    sizes = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        mult = 1
        if part[-1] in "kKmM":
            mult = 1_000 if part[-1] in "kK" else 1_000_000
            part = part[:-1]
        sizes.append(int(Decimal(part) * mult))
    return sizes


class Settings:
    def __init__(self) -> None:
        self.sizes = env_list("BENCH_SIZES", "100000,1000000,10000000")
        self.runs = int(os.environ.get("BENCH_RUNS", "3"))
        self.seed = int(os.environ.get("BENCH_SEED", "7"))
        self.dirty = os.environ.get("BENCH_DIRTY", "0.002")
        self.policy = (ROOT / os.environ.get("BENCH_POLICY", "policies/ningxia-2026.toml")).resolve()
        pol = tomllib.loads(self.policy.read_text(encoding="utf-8"))
        self.year = int(pol["policy"]["year"])
        self.as_of = os.environ.get("BENCH_AS_OF", f"{self.year}-01-31")


# --------------------------------------------------------------------------
# Helpers


def sh(cmd: list[str]) -> str:
    return subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def timed(cmd: list[str], log: Path) -> dict:
    """Runs cmd under /usr/bin/time -v; returns wall seconds and max RSS (KiB)."""
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.run([TIME, "-v", *cmd], cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)
    err = proc.stderr
    if proc.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err)
    r = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    if not m or not r:
        raise SystemExit(f"could not read /usr/bin/time -v output:\n{err}")
    secs = 0.0
    for part in m.group(1).split(":"):
        secs = secs * 60 + float(part)
    return {"wall": secs, "rss_kb": int(r.group(1))}


def generator_hash() -> str:
    """The generator's source (src/generate.rs, or the src/generate/ folder it was split into)."""
    h = hashlib.sha256()
    paths = sorted((ROOT / "src" / "generate").rglob("*.rs")) + [ROOT / "src" / "generate.rs"]
    for p in paths:
        if p.is_file():
            h.update(p.relative_to(ROOT).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def tool_command(st: Settings, d: Path) -> list[str]:
    """`yibao-recon run` on the seven inputs of d, into d/out with its own ledger d/ledger/."""
    cmd = [str(BIN), "run", "--policy", str(st.policy), "--as-of", st.as_of]
    for k in KINDS:
        cmd += [f"--{k}", str(d / f"{k}.csv")]
    return cmd + ["--out", str(d / "out"), "--ledger", str(d / "ledger" / "ledger.sqlite"), "--quiet"]


def fresh_run_dirs(d: Path) -> None:
    """Every run starts as the month's first: no output directory, no ledger."""
    shutil.rmtree(d / "out", ignore_errors=True)
    shutil.rmtree(d / "ledger", ignore_errors=True)
    (d / "ledger").mkdir(mode=0o700)


def fmt_int(n: float) -> str:
    return f"{int(round(n)):,}"


def fmt_mb(kb: int) -> str:
    return f"{kb / 1024:,.0f}"


# --------------------------------------------------------------------------
# Inputs


def ensure_generated(st: Settings, n: int, d: Path) -> dict:
    stamp = d / "generated.json"
    want = {
        "persons": n,
        "seed": st.seed,
        "dirty": st.dirty,
        "as_of": st.as_of,
        "policy": file_hash(st.policy),
        "generator": generator_hash(),
    }
    if stamp.exists():
        have = json.loads(stamp.read_text(encoding="utf-8"))
        if have.get("key") == want and all((d / f"{k}.csv").exists() for k in KINDS):
            print(f"  inputs: cached in {d.relative_to(ROOT)}")
            return have
    print(f"  inputs: generating {n:,} persons into {d.relative_to(ROOT)} …", flush=True)
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    cmd = [
        str(BIN), "generate", "--persons", str(n), "--seed", str(st.seed),
        "--policy", str(st.policy), "--out", str(d), "--as-of", st.as_of, "--dirty", st.dirty,
    ]
    t = timed(cmd, d / "generate.log")
    table = (d / "generate.log").read_text(encoding="utf-8")
    print("    " + table.replace("\n", "\n    ").rstrip())
    info = {
        "key": want,
        "generate_wall": t["wall"],
        "generate_rss_kb": t["rss_kb"],
        "bytes": sum((d / f"{k}.csv").stat().st_size for k in KINDS),
        "files": {k: (d / f"{k}.csv").stat().st_size for k in KINDS},
    }
    stamp.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def ensure_civil_utf8(d: Path) -> Path:
    """DuckDB reads UTF-8 CSV only: a cached UTF-8 copy of the GBK civil roster."""
    src = d / "civil.csv"
    dst = d / "peer" / "civil.utf8.csv"
    dst.parent.mkdir(exist_ok=True)
    if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
        return dst
    tmp = dst.with_suffix(".tmp")
    with open(src, "rb") as fin, open(tmp, "w", encoding="utf-8", newline="") as fout:
        import codecs

        dec = codecs.getincrementaldecoder("gb18030")()
        while chunk := fin.read(1 << 20):
            fout.write(dec.decode(chunk))
        fout.write(dec.decode(b"", final=True))
    tmp.replace(dst)
    return dst


# --------------------------------------------------------------------------
# The DuckDB peer (runs in its own process: `run_bench.py --peer DIR`)


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def fen(v) -> int:
    return int(Decimal(str(v)) * 100)


def peer_sql(d: Path, policy_path: Path, as_of: str) -> str:
    cats = tomllib.loads((ROOT / "schemas" / "categories.toml").read_text(encoding="utf-8"))
    codes = tomllib.loads((ROOT / "schemas" / "codes.toml").read_text(encoding="utf-8"))
    pol = tomllib.loads(policy_path.read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    after: list[tuple[str, str]] = []
    grades: list[tuple[str, str]] = []
    for c in cats["category"] + pol.get("category", []):
        for t in [c["zh"], *c.get("texts", [])]:
            texts.setdefault(t, c["code"])
        arc = c.get("after_risk_cleared")
        if arc and arc != "end":
            after.append((c["code"], arc))
        if "disability_grade" in c:
            grades.append((str(c["disability_grade"]), c["code"]))
    for t, code in pol.get("aliases", {}).items():
        texts[t] = code
    tiers = []
    for i, t in enumerate(pol.get("tier", [])):
        for code in t["categories"]:
            tiers.append((code, fen(t["personal"]), i))
    ordinary = fen(pol["contribution"]["ordinary"])
    c1 = str(pol["concentrated_period"]["end"])
    t_date = dt.date.fromisoformat(as_of)
    ordinary_at_t = ordinary
    if t_date > dt.date.fromisoformat(c1):
        for b in pol.get("late_payment", {}).get("bands", []):
            if dt.date.fromisoformat(str(b["from"])) <= t_date <= dt.date.fromisoformat(str(b["to"])):
                ordinary_at_t = fen(b["amount"])
    out = d / "peer" / "out"
    out.mkdir(parents=True, exist_ok=True)
    values = lambda rows: ", ".join("(" + ", ".join(sql_str(x) if isinstance(x, str) else str(x) for x in r) + ")" for r in rows)
    in_list = lambda xs: ", ".join(sql_str(x) for x in xs)
    return string.Template(PEER_SQL.read_text(encoding="utf-8")).substitute(
        TMP=str(d / "peer" / "tmp"),
        OUT=str(out),
        CIVIL=str(d / "peer" / "civil.utf8.csv"),
        AGRI=str(d / "agri.csv"),
        DISABILITY=str(d / "disability.csv"),
        VETERANS=str(d / "veterans.csv"),
        ENROLLMENT=str(d / "enrollment.csv"),
        PERSONS=str(d / "persons.csv"),
        ELSEWHERE=str(d / "elsewhere.csv"),
        CAT_TEXTS=values(sorted(texts.items())),
        TIERS=values(tiers),
        GRADES=values(grades),
        AFTER_CLEAR=values(after) if after else "('', '')",
        RESIDENT=in_list(codes["schemes"]["resident"]),
        EMPLOYEE=in_list(codes["schemes"]["employee"]),
        ACTIVE=in_list(codes["statuses"]["active"]),
        YEAR=str(int(pol["policy"]["year"])),
        AS_OF=as_of,
        C1=c1,
        ORDINARY_AT_T=str(ordinary_at_t),
    )


def peer_main(argv: list[str]) -> None:
    import duckdb

    d, policy, as_of = Path(argv[0]), Path(argv[1]), argv[2]
    sql = peer_sql(d, policy, as_of)
    con = duckdb.connect()
    for stmt in duckdb.extract_statements(sql):
        con.execute(stmt)
    counts = {}
    for t in ["refunds", "rerating", "missing"]:
        counts[t] = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
    counts["refund_total_fen"] = con.execute("SELECT coalesce(sum(refund), 0) FROM refunds").fetchone()[0]
    print(json.dumps(counts))


# --------------------------------------------------------------------------
# The benchmark


def tool_outputs(out: Path) -> dict:
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows_read = sum(i["rows_read"] for i in s["inputs"])
    outputs = s.get("outputs", {})
    hardship = 0
    refunds_csv = out / "refunds.csv"
    if refunds_csv.exists():
        with open(refunds_csv, encoding="utf-8-sig") as f:
            hardship = sum(1 for line in f if ",HARDSHIP_DIFF," in line)
    return {
        "rows_read": rows_read,
        "timings": s.get("timings_ms", {}),
        "refunds_hardship": hardship,
        "rerating": outputs.get("rerating.csv", {}).get("rows"),
        "missing": outputs.get("missing_enrollment.csv", {}).get("rows"),
    }


def bench_size(st: Settings, n: int) -> dict:
    d = DATA / str(n)
    print(f"\n== {n:,} persons ==", flush=True)
    gen = ensure_generated(st, n, d)
    ensure_civil_utf8(d)
    out = d / "out"
    tool_cmd = tool_command(st, d)
    tool_runs, stages = [], []
    for i in range(st.runs):
        fresh_run_dirs(d)
        t = timed(tool_cmd, d / "run.log")
        o = tool_outputs(out)
        stages.append(o["timings"])
        tool_runs.append(t)
        print(f"  yibao-recon run {i + 1}/{st.runs}: {t['wall']:.2f} s, {fmt_mb(t['rss_kb'])} MB", flush=True)
    peer_cmd = [sys.executable, str(Path(__file__).resolve()), "--peer", str(d), str(st.policy), st.as_of]
    peer_runs = []
    peer_counts = {}
    for i in range(st.runs):
        shutil.rmtree(d / "peer" / "tmp", ignore_errors=True)
        t = timed(peer_cmd, d / "peer.log")
        peer_counts = json.loads((d / "peer.log").read_text(encoding="utf-8").strip().splitlines()[-1])
        peer_runs.append(t)
        print(f"  duckdb peer     {i + 1}/{st.runs}: {t['wall']:.2f} s, {fmt_mb(t['rss_kb'])} MB", flush=True)
    rows = o["rows_read"]
    res = {
        "persons": n,
        "rows": rows,
        "bytes": gen["bytes"],
        "generate_wall": gen["generate_wall"],
        "tool_wall": statistics.median(r["wall"] for r in tool_runs),
        "tool_first": tool_runs[0]["wall"],
        "tool_rss": max(r["rss_kb"] for r in tool_runs),
        "peer_wall": statistics.median(r["wall"] for r in peer_runs),
        "peer_rss": max(r["rss_kb"] for r in peer_runs),
        "stages": {k: statistics.median(s.get(k, 0) for s in stages) for k in ("read", "validate", "rules", "write")},
        "tool_counts": o,
        "peer_counts": peer_counts,
    }
    print_result(res)
    return res


def table(res: dict) -> list[str]:
    tw, pw = res["tool_wall"], res["peer_wall"]
    rows = res["rows"]
    lines = [
        "| | wall (s, median) | peak RSS (MB) | input rows/s |",
        "|---|---:|---:|---:|",
        f"| yibao-recon run | {tw:.2f} | {fmt_mb(res['tool_rss'])} | {fmt_int(rows / tw)} |",
        f"| DuckDB peer (R1/R2/R4/R5 core) | {pw:.2f} | {fmt_mb(res['peer_rss'])} | {fmt_int(rows / pw)} |",
        f"| ratio tool / peer | {tw / pw:.2f}× | {res['tool_rss'] / res['peer_rss']:.2f}× | {pw / tw:.2f}× |",
        f"| yibao-recon first run (fresh ledger) | {res['tool_first']:.2f} | | {fmt_int(rows / res['tool_first'])} |",
    ]
    return lines


def print_result(res: dict) -> None:
    s = res["stages"]
    tc, pc = res["tool_counts"], res["peer_counts"]
    print(f"  {fmt_int(res['rows'])} input rows, {res['bytes'] / 1e6:,.0f} MB")
    for line in table(res):
        print("  " + line)
    print(
        f"  yibao-recon stages (median ms): read {s['read']:,.0f}, validate {s['validate']:,.0f}, "
        f"rules {s['rules']:,.0f}, write {s['write']:,.0f}"
    )
    print(
        f"  result rows tool / peer: hardship refunds {tc['refunds_hardship']} / {pc.get('refunds')}, "
        f"re-ratings {tc['rerating']} / {pc.get('rerating')}, missing {tc['missing']} / {pc.get('missing')}"
    )


def record(st: Settings, results: list[dict], load: tuple[float, float]) -> None:
    path = ROOT / "BENCHMARKS.md"
    if not path.exists():
        path.write_text(
            "# Benchmarks\n\n"
            "Appended by `make bench` (bench/run_bench.py): `yibao-recon run` on generated province-scale\n"
            "data against a DuckDB peer that does only the core of R1/R2/R4/R5 in SQL (bench/peer.sql).\n"
            "The peer skips validation, rejects, duplicate merging, exemptions, R3/R6–R9 and XLSX/HTML, so it\n"
            "is a lower bound on the work, not an equivalent program. Wall time is the median of the runs, peak RSS\n"
            "the maximum, both from `/usr/bin/time -v`; rows/s counts every input row read (all seven files).\n"
            "The tool's missing list also holds newborns without a paid row (R5), which the peer leaves out.\n"
            "The load average before and after is recorded: a busy machine inflates every figure.\n",
            encoding="utf-8",
        )
    cores = sh(["nproc"])
    try:
        commit = sh(["git", "rev-parse", "--short", "HEAD"])
        if sh(["git", "status", "--porcelain", "--untracked-files=no"]):
            commit += " (with uncommitted changes)"
    except subprocess.CalledProcessError:
        commit = "unknown"
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        duck = sh([sys.executable, "-c", "import duckdb; print(duckdb.__version__)"])
    except subprocess.CalledProcessError:
        duck = "?"
    lines = [
        "",
        f"## {dt.date.today().isoformat()} — commit {commit}, {cores} cores",
        "",
        f"CPU {cpu or 'unknown'}; DuckDB {duck}; policy `{st.policy.relative_to(ROOT)}`, as-of {st.as_of}, "
        f"seed {st.seed}, dirty {st.dirty}; {st.runs} runs each; load average {load[0]:.2f} before, "
        f"{load[1]:.2f} after."
        + (f" Binary: `{os.environ['BENCH_BIN']}` (not necessarily built from that commit)." if os.environ.get("BENCH_BIN") else ""),
    ]
    for res in results:
        s, tc, pc = res["stages"], res["tool_counts"], res["peer_counts"]
        lines += [
            "",
            f"### {res['persons']:,} persons — {fmt_int(res['rows'])} input rows, {res['bytes'] / 1e6:,.0f} MB"
            f" (generated in {res['generate_wall']:.1f} s)",
            "",
            *table(res),
            "",
            f"yibao-recon stages (summary.json `timings_ms`, median): read {s['read']:,.0f} ms, "
            f"validate {s['validate']:,.0f} ms, rules {s['rules']:,.0f} ms, write {s['write']:,.0f} ms. "
            f"Result rows tool / peer: hardship refunds {tc['refunds_hardship']:,} / {pc.get('refunds', 0):,}, "
            f"re-ratings {tc['rerating']:,} / {pc.get('rerating', 0):,}, missing {tc['missing']:,} / {pc.get('missing', 0):,}.",
        ]
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"\nappended to {path.relative_to(ROOT)}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--peer":
        peer_main(sys.argv[2:])
        return
    if not BIN.exists():
        raise SystemExit(f"{BIN} is missing: run `cargo build --release` (make bench does)")
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} is missing: apt-get install time (make bench does)")
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise SystemExit("the duckdb package is missing: python3 -m pip install duckdb (make bench does)")
    st = Settings()
    print(
        f"benchmark: sizes {', '.join(f'{n:,}' for n in st.sizes)}; {st.runs} runs; "
        f"policy {st.policy.relative_to(ROOT)}; as-of {st.as_of}; {sh(['nproc'])} cores"
    )
    load_before = os.getloadavg()[0]
    results = [bench_size(st, n) for n in st.sizes]
    load_after = os.getloadavg()[0]
    print(f"\nload average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    if os.environ.get("BENCH_NO_RECORD") != "1":
        record(st, results, (load_before, load_after))


if __name__ == "__main__":
    main()
