#!/usr/bin/env python3
"""Write the two-month ledger scenario (December 2025, then January 2026).

    python3 sample_data/months/make_months.py

Ningxia 2026 policy. Writes 2025-12/*.csv, 2026-01/*.csv and
paid-2026-01.csv beside this script; README.md there lists every person and
the lifecycle each month must show. Standard library only, deterministic.
Every 身份证号 is built with its GB 11643-1999 check digit (ISO 7064 MOD 11-2)
and checked again before writing.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def make_id(region6, birth8, seq):
    s17 = "%s%s%03d" % (region6, birth8, seq)
    return s17 + CHECK[sum(int(c) * w for c, w in zip(s17, WEIGHTS)) % 11]


def valid(id18):
    s17 = id18[:17]
    return len(id18) == 18 and s17.isdigit() and \
        CHECK[sum(int(c) * w for c, w in zip(s17, WEIGHTS)) % 11] == id18[17]


# case: (name, id, resident county)
P = {
    "A": ("马秀兰", make_id("640104", "19700312", 122), "640104"),  # refund, then paid
    "B": ("李建军", make_id("640105", "19650708", 131), "640105"),  # refund carried
    "C": ("王芳", make_id("640106", "19800115", 142), "640106"),    # re-rating resolved
    "D": ("张德明", make_id("640121", "19550420", 151), "640121"),  # missing resolved
    "E": ("刘桂花", make_id("640122", "19720930", 162), "640122"),  # missing carried
    "F": ("赵小燕", make_id("640104", "19901205", 172), "640104"),  # missing new in January
    "G": ("陈志强", make_id("640105", "19780214", 181), "640105"),  # two duplicate refunds
    "H": ("孙丽", make_id("640106", "19850618", 192), "640106"),    # paid, then contradicted
    "I": ("周海", make_id("640121", "19681111", 211), "640121"),    # re-rating + missing carried
}
for name, pid, _ in P.values():
    assert valid(pid), (name, pid)

CIVIL_HEADER = "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期,状态"
ENROLL_HEADER = "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,电子税票号"
PERSONS_HEADER = "身份证号,姓名,常住区划代码,死亡日期"


def civil(month):
    rows = [
        ("A", "低保对象", "2025-11-20", "", "正常"),
        ("B", "低保对象", "2025-12-01", "", "正常"),
        ("C", "低保对象", "2023-05-01", "2025-12-15", "已退出"),
        ("D", "特困人员", "2020-06-01", "", "正常"),
        ("E", "低保对象", "2024-03-01", "", "正常"),
        # January's export corrects H's recognition date to after the payment window.
        ("H", "低保对象", "2025-11-15" if month == "2025-12" else "2026-01-05", "", "正常"),
        ("I", "低保对象", "2025-06-01", "", "正常"),
    ]
    if month == "2026-01":
        rows.append(("F", "低保对象", "2026-01-10", "", "正常"))
    out = [CIVIL_HEADER]
    for case, cat, start, end, state in rows:
        name, pid, county = P[case]
        out.append(",".join([name, pid, cat, start, county, end, state]))
    return out


def enrollment(month):
    def row(case, county, status, rating, due, paid, date, receipt=""):
        name, pid, _ = P[case]
        return ",".join(["2026", pid, name, "390", county, status, rating, due, paid, date, receipt])

    rows = [
        row("A", "640104", "参保缴费", "普通居民", "400", "400", "2025-11-05", "364000002025110101"),
        row("B", "640105", "参保缴费", "普通居民", "400", "400", "2025-11-10", "364000002025110102"),
        row("G", "640104", "参保缴费", "普通居民", "400", "400", "2025-11-01", "364000002025110103"),
        row("G", "640105", "参保缴费", "普通居民", "400", "400", "2025-11-02", "364000002025110104"),
        row("G", "640106", "参保缴费", "普通居民", "400", "400", "2025-11-03", "364000002025110105"),
        row("H", "640106", "参保缴费", "普通居民", "400", "400", "2025-11-12", "364000002025110106"),
        row("I", "640121", "参保缴费", "普通居民", "400", "", ""),
    ]
    if month == "2025-12":
        rows.append(row("C", "640106", "参保缴费", "低保对象", "80", "", ""))
    else:
        # C was re-rated to ordinary and paid; D enrolled (due 0, paid by status).
        rows.append(row("C", "640106", "参保缴费", "普通居民", "400", "400", "2026-01-08", "364000002026010107"))
        rows.append(row("D", "640121", "参保缴费", "特困人员", "0", "0", ""))
    return [ENROLL_HEADER] + rows


def persons(month):
    cases = "ABCDEGHI" if month == "2025-12" else "ABCDEFGHI"
    return [PERSONS_HEADER] + [",".join([P[c][1], P[c][0], P[c][2], ""]) for c in cases]


def paid():
    return [
        "身份证号,参保年度,退费金额,退费日期",
        "%s,2026,320.00,2026-01-12" % P["A"][1],
        "%s,2026,320.00,2026-01-12" % P["H"][1],
    ]


def write(rel, lines):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


for month in ("2025-12", "2026-01"):
    write("%s/civil.csv" % month, civil(month))
    write("%s/enrollment.csv" % month, enrollment(month))
    write("%s/persons.csv" % month, persons(month))
write("paid-2026-01.csv", paid())
