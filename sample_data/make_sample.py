#!/usr/bin/env python3
"""Write the hand-made sample inputs for yibao-recon and their case list.

    python3 sample_data/make_sample.py

Writes sample_data/ningxia/*.csv, sample_data/hulunbuir/*.csv and
sample_data/CASES.md next to this script.  Standard library only; the output
is fully deterministic (no randomness, no clock), so running it twice gives
byte-identical files.

Every intended-valid 身份证号 is checked here (GB 11643-1999, ISO 7064
MOD 11-2) and every intended-bad one is checked to fail exactly the intended
check, so the data cannot drift away from CASES.md silently.
"""

import csv
import datetime as dt
import io
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# GB 11643-1999 helpers
# --------------------------------------------------------------------------
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
PROVINCES = (
    set(range(11, 16)) | set(range(21, 24)) | set(range(31, 38))
    | set(range(41, 47)) | set(range(50, 55)) | set(range(61, 66))
    | {71, 81, 82, 83}
)
FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")


def check_char(s17):
    assert len(s17) == 17 and s17.isdigit(), s17
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(s17, WEIGHTS)) % 11]


def make_id(region6, birth8, seq):
    s17 = "%s%s%03d" % (region6, birth8, seq)
    return s17 + check_char(s17)


def id15_to_18(id15):
    s17 = id15[:6] + "19" + id15[6:]
    return s17 + check_char(s17)


def normalise_id(raw):
    """The normalisation SPEC §2 asks for (spaces, Excel wrappers, full-width, x, 15→18)."""
    s = raw.replace(" ", "").replace("\u3000", "").strip()
    if s.startswith('="') and s.endswith('"'):
        s = s[2:-1]
    if s.startswith("'"):
        s = s[1:]
    s = s.translate(FULLWIDTH).replace("x", "X")
    if len(s) == 15 and s.isdigit():
        s = id15_to_18(s)
    return s


def id_failures(raw, as_of):
    """Every check the ID fails (not just the first), after normalisation."""
    s = normalise_id(raw)
    if len(s) != 18 or not s[:17].isdigit() or s[17] not in "0123456789X":
        return {"ID_LENGTH"}
    bad = set()
    if check_char(s[:17]) != s[17]:
        bad.add("ID_CHECKSUM")
    try:
        born = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        if born > as_of:
            bad.add("ID_BIRTHDATE")
    except ValueError:
        bad.add("ID_BIRTHDATE")
    if int(s[:2]) not in PROVINCES:
        bad.add("ID_REGION")
    return bad


def birth_of(id18):
    return dt.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def pid(region6, birth, male, n, want_x=False):
    """A valid ID: sequence chosen from n upward with the right sex digit
    (odd = male) and, if want_x, a check character of X."""
    seq = n
    while True:
        if (seq % 2 == 1) == male:
            i = make_id(region6, birth.replace("-", ""), seq)
            if not want_x or i.endswith("X"):
                if want_x or not i.endswith("X"):
                    return i
        seq += 1


# --------------------------------------------------------------------------
# Value parsers used only to sanity-check what we write
# --------------------------------------------------------------------------
DATE_RES = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), 3),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), 3),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), 3),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"), 3),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}(:\d{2})?$"), 3),
    (re.compile(r"^(\d{4})(\d{2})$"), 2),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), 2),
]


def parse_date(s):
    for rx, n in DATE_RES:
        m = rx.match(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if n == 3 else 1
            return dt.date(y, mo, d)  # raises ValueError on 2025-13-40
    raise ValueError("bad date %r" % s)


MONEY_RE = re.compile(r"^[￥¥]?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_fen(s):
    s = s.strip()
    if not MONEY_RE.match(s):
        raise ValueError("bad amount %r" % s)
    s = s.lstrip("￥¥").replace(",", "")
    whole, _, frac = s.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


# --------------------------------------------------------------------------
# A tiny file model: rows + tags, line numbers = index + 2
# --------------------------------------------------------------------------
class SampleFile:
    def __init__(self, region, name, header, encoding, newline="\n"):
        self.region, self.name, self.header = region, name, header
        self.encoding, self.newline = encoding, newline
        self.rows = []   # list of dicts
        self.tags = []   # (case_id, note, reject)  reject = (reason, column) or None

    def add(self, case, row, note="", reject=None, dup_of=None):
        unknown = set(row) - set(self.header)
        assert not unknown, (self.name, unknown)
        self.rows.append({h: row.get(h, "") for h in self.header})
        self.tags.append((case, note, reject, dup_of))
        return len(self.rows) + 1  # line number

    def line_of(self, case, note=None):
        out = [i + 2 for i, t in enumerate(self.tags)
               if t[0] == case and (note is None or t[1] == note)]
        return out

    def render(self):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator=self.newline)
        w.writerow(self.header)
        for r in self.rows:
            w.writerow([r[h] for h in self.header])
        return buf.getvalue()

    def write(self):
        d = os.path.join(HERE, self.region)
        os.makedirs(d, exist_ok=True)
        data = self.render().encode(self.encoding)
        with open(os.path.join(d, self.name), "wb") as f:
            f.write(data)
        return data


# Header sets (canonical names; some files deliberately reordered)
H_CIVIL = ["姓名", "身份证号", "救助类别", "认定日期", "行政区划代码", "退出日期", "状态",
           "乡镇街道", "村社区", "联系电话"]
H_CIVIL_HL = ["行政区划代码", "姓名", "身份证号", "救助类别", "认定日期", "退出日期",
              "乡镇街道", "村社区", "联系电话"]
H_AGRI_NX = ["身份证号", "姓名", "行政区划代码", "人员类别", "识别日期", "风险消除日期",
             "乡镇街道", "村社区", "联系电话"]
H_AGRI_HL = ["姓名", "身份证号", "人员类别", "识别日期", "行政区划代码", "风险消除日期"]
H_DIS_NX = ["残疾人证号", "姓名", "残疾类别", "残疾等级", "发证日期", "有效期至", "行政区划代码"]
H_DIS_HL = ["姓名", "残疾人证号", "残疾等级", "残疾类别", "发证日期", "有效期至", "行政区划代码"]
H_VET = ["姓名", "身份证号", "优抚类别", "认定日期", "行政区划代码", "退出日期"]
H_ENR_NX = ["参保年度", "身份证号", "姓名", "险种类型", "参保区划代码", "参保状态", "核定类别",
            "应缴金额", "实缴金额", "缴费日期", "待遇开始日期", "修复年数", "电子税票号",
            "动态参保类别"]
H_ENR_HL = ["身份证号", "姓名", "参保年度", "险种类型", "参保区划代码", "参保状态", "核定类别",
            "应缴金额", "实缴金额", "缴费日期", "待遇开始日期", "修复年数", "电子税票号",
            "动态参保类别"]
H_PERSONS = ["身份证号", "姓名", "常住区划代码", "死亡日期", "户籍区划代码"]
H_ELSEWHERE = ["身份证号", "姓名", "说明", "年度"]

CAT_DIGIT = {"视力": "1", "听力": "2", "言语": "3", "肢体": "4", "智力": "5", "精神": "6",
             "多重": "7"}


class Person:
    def __init__(self, case, name, id18, county, title):
        self.case, self.name, self.id, self.county, self.title = case, name, id18, county, title


# persons.csv extras for the appended cases (the older cases keep their inline rules)
NX_PERSON_EXTRA = {
    "NX-28": {"死亡日期": "2025-12-31"},
    "NX-29": {"死亡日期": "2026-01-01"},
}
HL_PERSON_EXTRA = {
    "HL-23": {"户籍区划代码": "150702"},
    "HL-25": {"死亡日期": "2026-01-20"},
}


# --------------------------------------------------------------------------
# Ningxia 640000, T = 2026-01-31
# --------------------------------------------------------------------------
def build_ningxia():
    T = dt.date(2026, 1, 31)
    P = {}

    def person(case, name, region6, birth, male, n, county, title, want_x=False):
        P[case] = Person(case, name, pid(region6, birth, male, n, want_x), county, title)
        return P[case]

    person("NX-E1", "马玉兰", "640104", "1968-04-12", False, 102, "640104", "worked example 1: paid in period, 低保 later")
    person("NX-E2", "杨建国", "640105", "1959-09-23", True, 211, "640105", "worked example 2: 二级残疾 + 低保, best = disabled_g2")
    person("NX-E3", "丁秀英", "640106", "1972-01-30", False, 324, "640106", "worked example 3: late payer, 低保 after payment")
    person("NX-E4", "李志强", "640121", "1966-07-08", True, 415, "640121", "worked example 4: 低保 exited, unpaid 80 rating")
    person("NX-E5", "海富贵", "640324", "1951-03-03", True, 517, "640324", "worked example 5: 特困 since 2020, no 2026 row")
    person("NX-E6", "王春花", "640522", "1980-11-19", False, 602, "640522", "worked example 6: 脱贫不稳定户 with 风险消除日期")
    person("NX-07", "张桂芳", "640122", "1963-05-27", False, 702, "640122", "registered, unpaid 低保 rating")
    person("NX-08", "马小龙", "640402", "2010-08-16", True, 813, "640402", "事实无人抚养儿童 (untiered in Ningxia)")
    person("NX-09", "纳建华", "640323", "1952-12-01", True, 905, "640323", "低保, died 2025-12-20")
    person("NX-10", "赵德明", "640181", "1958-02-14", True, 101, "640181", "特困, insured in another province")
    person("NX-11", "刘晓燕", "640202", "1985-06-30", False, 116, "640202", "低保, covered by an employee (310) row")
    person("NX-12", "周子轩", "640105", "2025-12-01", True, 121, "640105", "newborn inside the 183-day window")
    person("NX-13", "吴雨桐", "640106", "2025-06-01", False, 132, "640106", "born 244 days before T: not a newborn")
    # NX-14: a 15-digit legacy ID (born 1945, sequence 013 → male)
    id15 = "640104450312013"
    P["NX-14"] = Person("NX-14", "金长顺", id15_to_18(id15), "640104",
                        "15-digit legacy ID, 高龄低收入老年人")
    person("NX-15", "孙丽娟", "640302", "1977-10-05", False, 142, "640302", "NAME_MISMATCH civil vs enrollment")
    person("NX-16", "郭文博", "640104", "1990-03-21", True, 151, "640104", "unknown 核定类别 text")
    person("NX-17", "何淑珍", "640106", "1969-08-08", False, 162, "640106", "paid 80 as 低保 with no identity")
    person("NX-18", "罗永福", "640181", "1961-01-17", True, 173, "640181", "三级残疾, unpaid ordinary rating")
    person("NX-19a", "冯海燕", "640221", "1974-12-12", False, 182, "640221", "ID written with a leading apostrophe")
    person("NX-19b", "陈国栋", "640502", "1983-07-07", True, 191, "640502", "ID written as =\"…\"")
    person("NX-19c", "白玉山", "640221", "1955-10-01", True, 201, "640221", "ID written in full-width digits")
    person("NX-19d", "杨思琪", "640422", "2009-04-18", False, 212, "640422", "ID with a lowercase x check digit", want_x=True)
    person("NX-20", "徐立新", "640202", "1979-09-09", True, 221, "640202", "has a 2027 (future-year) row")
    person("NX-21", "高明亮", "640105", "1988-02-02", True, 231, "640105", "ordinary, paid, no identity")
    person("NX-22", "林晓梅", "640302", "1993-06-16", False, 242, "640302", "ordinary, paid on C1, no identity, no history")
    person("NX-23", "田守业", "640302", "1964-04-04", True, 251, "640302", "四级残疾 (ordinary in Ningxia), paid 400")
    person("NX-24", "黄建平", "640106", "1987-11-11", True, 261, "640106", "一级残疾, due 0, no payment date")
    person("NX-25", "苏桂英", "640104", "1950-02-14", False, 272, "640104", "离休干部遗孀, due 0")
    person("NX-26", "韩生财", "642221", "1970-05-05", True, 281, "640402", "已脱贫人口 paid 220 (old 6422xx ID prefix)")
    person("NX-27", "穆秀兰", "640122", "1967-03-15", False, 292, "640122", "低保 in 贺兰县, enrolled in 兴庆区 (R7 transfer)")
    # reject persons
    person("NX-R01", "曹伟", "640104", "1980-01-01", True, 301, "640104", "reject ID_LENGTH")
    person("NX-R02", "彭丽", "640104", "1982-02-02", False, 312, "640104", "reject ID_CHECKSUM")
    person("NX-R05", "宋杰", "640105", "1957-05-05", True, 351, "640105", "reject MISSING_FIELD (civil)")
    person("NX-R06", "唐敏", "640106", "1956-06-06", False, 362, "640106", "reject BAD_DATE")
    person("NX-R07", "许强", "640105", "1978-07-07", True, 371, "640105", "reject BAD_AMOUNT")
    person("NX-R08", "邓红", "640106", "1971-08-08", False, 382, "640106", "reject UNKNOWN_CATEGORY")
    person("NX-R09", "曾军", "640121", "1965-09-09", True, 391, "640121", "reject DATE_ORDER")
    person("NX-R10", "程静", "640104", "1984-10-10", False, 402, "640104", "reject DISABILITY_CERT_MISMATCH")
    person("NX-R11", "袁鹏", "640105", "1976-11-11", True, 411, "150702", "reject OUT_OF_REGION")
    person("NX-R12", "潘娜", "640106", "1991-12-12", False, 422, "640106", "reject MISSING_FIELD (enrollment)")
    # intended-bad IDs (valid otherwise; see checks below)
    bad = {}
    bad["NX-R01"] = P["NX-R01"].id[:17]                                   # 17 digits
    good = P["NX-R02"].id
    bad["NX-R02"] = good[:17] + ("1" if good[17] != "1" else "2")        # wrong check digit
    s17 = "640422" + "19990231" + "333"
    bad["NX-R03"] = s17 + check_char(s17)                                 # Feb 31
    P["NX-R03"] = Person("NX-R03", "蒋涛", bad["NX-R03"], "640422", "reject ID_BIRTHDATE")
    s17 = "990104" + "19730404" + "341"
    bad["NX-R04"] = s17 + check_char(s17)                                 # province 99
    P["NX-R04"] = Person("NX-R04", "谢芳", bad["NX-R04"], "640105", "reject ID_REGION")
    expect_bad = {"NX-R01": "ID_LENGTH", "NX-R02": "ID_CHECKSUM",
                  "NX-R03": "ID_BIRTHDATE", "NX-R04": "ID_REGION"}
    # ---- appended cases (R3, R6, R7, R8): rows go after every existing row ----
    person("NX-28", "马成福", "640121", "1949-06-18", True, 431, "640121", "R3 DECEASED: died 2025-12-31, paid 2026")
    person("NX-29", "李翠兰", "640181", "1952-10-09", False, 442, "640181", "R3 edge: died 2026-01-01 (not before Y-01-01), paid 2026")
    person("NX-30", "王志刚", "640104", "1986-04-22", True, 451, "640104", "R3 DUPLICATE: paid twice, different counties and days")
    person("NX-31", "杜丽萍", "640104", "1991-01-13", False, 462, "640104", "R3 DUPLICATE edge: paid twice on the same day")
    person("NX-32", "赵国庆", "640205", "1982-10-01", True, 471, "640205", "R3 JOINED_EMPLOYEE: paid 390 + active 310")
    person("NX-33", "钱红梅", "640303", "1989-03-08", False, 482, "640303", "R3 JOINED_EMPLOYEE edge: 310 row 暂停")
    person("NX-34", "沈建军", "640423", "1975-09-27", True, 491, "640423", "R6 late payer, start recorded correctly")
    person("NX-35", "朱玉霞", "640424", "1981-05-16", False, 502, "640424", "R6 late payer, paid 300 (AMOUNT_MISMATCH)")
    person("NX-36", "撒桂花", "640381", "1966-12-24", False, 512, "640381", "R6 exempt: 低保 late payer")
    person("NX-37", "魏振华", "640104", "1972-07-07", True, 521, "640104", "R7 edge: 9-digit recognition code, same county")
    person("NX-38", "冶金花", "640205", "1978-02-19", False, 532, "640221", "R7: best identity's county differs (低保 in 惠农区, 已脱贫 in 平罗县)")
    person("NX-39", "马一鸣", "640181", "2025-08-01", True, 541, "640181", "R8/R6 edge: newborn exactly 183 days old, paid late")

    civil = SampleFile("ningxia", "civil.csv", H_CIVIL, "utf-8-sig", "\r\n")
    agri = SampleFile("ningxia", "agri.csv", H_AGRI_NX, "gbk", "\r\n")
    dis = SampleFile("ningxia", "disability.csv", H_DIS_NX, "utf-8")
    vet = SampleFile("ningxia", "veterans.csv", H_VET, "utf-8")
    enr = SampleFile("ningxia", "enrollment.csv", H_ENR_NX, "utf-8")
    per = SampleFile("ningxia", "persons.csv", H_PERSONS, "utf-8")
    els = SampleFile("ningxia", "elsewhere.csv", H_ELSEWHERE, "utf-8")

    def c(case, cat, start, code=None, end="", status="正常", idraw=None, name=None,
          town="", village="", phone="", note="", reject=None):
        p = P[case]
        return civil.add(case, {"姓名": name or p.name, "身份证号": idraw or p.id,
                                "救助类别": cat, "认定日期": start,
                                "行政区划代码": code or p.county, "退出日期": end,
                                "状态": status, "乡镇街道": town, "村社区": village,
                                "联系电话": phone}, note, reject)

    # ---- civil.csv (UTF-8 with BOM, CRLF) ----
    c("NX-E1", "低保对象", "2025/11/20", code="640104001001")
    c("NX-E2", "城市低保", "2025年12月1日")
    c("NX-E3", "农村低保", "2026-01-15")
    c("NX-E4", "低保对象", "2023-05-01", end="2025-12-15", status="已退出")
    c("NX-E5", "特困人员", "2020-03-01", town="丁塘镇", village="丁塘村", phone="13995300517")
    c("NX-07", "低保", "20240315", code="640122100", town="习岗镇", village="新平村",
      phone="13895100702")
    c("NX-08", "事实无人抚养儿童", "2022-09-01")
    c("NX-09", "农村低保", "2021-06-01")
    c("NX-10", "城乡特困人员", "2019-04-01")
    c("NX-11", "城市低保", "2024-02-01")
    c("NX-14", "高龄低收入老年人", "2024-01-01", idraw=id15)
    c("NX-15", "低保对象", "2024-07-01", name="孙莉娟")
    c("NX-19a", "农村低保", "2024-06-01", idraw="'" + P["NX-19a"].id)
    c("NX-19b", "低保对象", "2025-01-01")
    c("NX-19d", "孤儿", "2018-05-01", idraw=P["NX-19d"].id[:17] + "x")
    c("NX-27", "农村低保", "2024-04-01", code="640122001")
    # byte-identical copy of NX-07's row → merged duplicate
    dup_line = len(civil.rows) + 2
    civil.rows.append(dict(civil.rows[civil.line_of("NX-07")[0] - 2]))
    civil.tags.append(("NX-07", "duplicate", None, civil.line_of("NX-07")[0]))
    c("NX-R02", "低保对象", "2024-05-01", idraw=bad["NX-R02"], reject=("ID_CHECKSUM", "身份证号"))
    c("NX-R05", "特困人员", "", reject=("MISSING_FIELD", "认定日期"))
    c("NX-R08", "临时救助对象", "2025-03-01", reject=("UNKNOWN_CATEGORY", "救助类别"))
    c("NX-R09", "低保对象", "2025-06-01", end="2025-03-01", status="已退出",
      reject=("DATE_ORDER", "退出日期"))
    c("NX-R11", "低保对象", "2024-01-01", code="150702", reject=("OUT_OF_REGION", "行政区划代码"))
    # appended cases
    c("NX-36", "低保对象", "2024-03-01", code="640381")
    c("NX-37", "城市低保", "2024-09-01", code="640104001")
    c("NX-38", "城市低保", "2023-06-01", code="640205")

    # ---- agri.csv (GBK, CRLF) ----
    agri.add("NX-E6", {"身份证号": P["NX-E6"].id, "姓名": P["NX-E6"].name,
                       "行政区划代码": "640522001", "人员类别": "脱贫不稳定户",
                       "识别日期": "202104", "风险消除日期": "2025-06-30",
                       "乡镇街道": "海城镇", "村社区": "山门村", "联系电话": "13709550602"})
    agri.add("NX-26", {"身份证号": P["NX-26"].id, "姓名": P["NX-26"].name,
                       "行政区划代码": "640402", "人员类别": "已脱贫人口",
                       "识别日期": "2021-04"})
    agri.add("NX-R03", {"身份证号": bad["NX-R03"], "姓名": P["NX-R03"].name,
                        "行政区划代码": "640422", "人员类别": "边缘易致贫户",
                        "识别日期": "202305"}, reject=("ID_BIRTHDATE", "身份证号"))
    # appended cases
    agri.add("NX-38", {"身份证号": P["NX-38"].id, "姓名": P["NX-38"].name,
                       "行政区划代码": "640221", "人员类别": "已脱贫人口",
                       "识别日期": "2021-04"})

    # ---- disability.csv (UTF-8, reordered columns) ----
    def d(case, cat, grade_digit, grade_text, issued, until="", suffix="", code=None,
          reject=None):
        p = P[case]
        return dis.add(case, {"残疾人证号": p.id + CAT_DIGIT[cat] + grade_digit + suffix,
                              "姓名": p.name, "残疾类别": cat, "残疾等级": grade_text,
                              "发证日期": issued, "有效期至": until,
                              "行政区划代码": code or p.county}, "", reject)

    d("NX-E2", "肢体", "2", "二级", "20240301", until="2029-03-01")
    d("NX-18", "视力", "3", "三级", "2023-05-01", suffix="B1")
    d("NX-23", "听力", "4", "四级", "2022/8/15")
    d("NX-24", "智力", "1", "1", "2019-10-10", code="640106002")
    d("NX-R10", "肢体", "3", "一级", "2024-09-09", reject=("DISABILITY_CERT_MISMATCH", "残疾等级"))

    # ---- veterans.csv (UTF-8) ----
    fw = P["NX-19c"].id.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    vet.add("NX-19c", {"姓名": P["NX-19c"].name, "身份证号": fw, "优抚类别": "优抚对象",
                       "认定日期": "2010-08-01", "行政区划代码": "640221"})
    vet.add("NX-25", {"姓名": P["NX-25"].name, "身份证号": P["NX-25"].id,
                      "优抚类别": "离休干部遗孀", "认定日期": "2012-03-01",
                      "行政区划代码": "640104"})
    vet.add("NX-R04", {"姓名": P["NX-R04"].name, "身份证号": bad["NX-R04"],
                       "优抚类别": "优抚对象", "认定日期": "2018-01-01",
                       "行政区划代码": "640105"}, reject=("ID_REGION", "身份证号"))
    vet.add("NX-R06", {"姓名": P["NX-R06"].name, "身份证号": P["NX-R06"].id,
                       "优抚类别": "优抚对象", "认定日期": "2025-13-40",
                       "行政区划代码": "640106"}, reject=("BAD_DATE", "认定日期"))

    # ---- enrollment.csv (UTF-8, reordered columns) ----
    ticket = [0]

    def e(case, year, rating, due, paid="", date="", status="参保缴费", scheme="390",
          code=None, idraw=None, name=None, start="", note="", reject=None, tax=None):
        p = P[case]
        if tax is None and paid not in ("", "0", "0.00") and year == "2026":
            ticket[0] += 1
            tax = "364%015d" % (2025110000 + ticket[0])
        return enr.add(case, {"参保年度": year, "身份证号": idraw or p.id,
                              "姓名": name or p.name, "险种类型": scheme,
                              "参保区划代码": code or p.county, "参保状态": status,
                              "核定类别": rating, "应缴金额": due, "实缴金额": paid,
                              "缴费日期": date, "待遇开始日期": start,
                              "电子税票号": tax or ""}, note or year, reject)

    def hist(case, y24=True, y25=True):
        if y24:
            e(case, "2024", "普通居民", "380", "380", "2023-11-20")
        if y25:
            e(case, "2025", "普通居民", "400", "400", "2024-11-15")

    hist("NX-E1"); e("NX-E1", "2026", "普通居民", "400", "400", "2025-11-05 10:23:00")
    hist("NX-E2"); e("NX-E2", "2026", "普通居民", "400.00", "400.00", "2025/11/5")
    hist("NX-E3"); e("NX-E3", "2026", "普通居民", "400", "400", "20260110", start="2026-04-10")
    hist("NX-E4"); e("NX-E4", "2026", "低保对象", "80")
    e("NX-E5", "2024", "特困人员", "0", "0", "2023-11-15")
    e("NX-E5", "2025", "特困人员", "0", "0", "2024-11-15")
    hist("NX-E6"); e("NX-E6", "2026", "脱贫不稳定户", "80")
    hist("NX-07"); e("NX-07", "2026", "低保对象", "80")
    hist("NX-09", y24=False)
    e("NX-11", "2025", "普通居民", "1,100.00", "1,100.00", "2024-12-20", scheme="310")
    e("NX-11", "2026", "普通居民", "1,100.00", "1,100.00", "2025-12-20", scheme="310",
      tax="")
    hist("NX-14", y24=False)
    e("NX-14", "2026", "普通居民", "￥400", "￥400", "2025年11月2日")
    hist("NX-15"); e("NX-15", "2026", "普通居民", "400", "400", "2025-11-20")
    e("NX-16", "2026", "特殊人群X", "400", "400", "2025-12-03")
    hist("NX-17", y24=False); e("NX-17", "2026", "低保对象", "80", "80", "2025-11-10")
    hist("NX-18"); e("NX-18", "2026", "普通居民", "400")
    hist("NX-19a"); e("NX-19a", "2026", "普通居民", "400", "400", "2025-11-12")
    hist("NX-19b"); e("NX-19b", "2026", "普通居民", "400", "400", "2025-11-08",
                      idraw='="%s"' % P["NX-19b"].id)
    hist("NX-19c"); e("NX-19c", "2026", "普通居民", "400")
    e("NX-19d", "2025", "孤儿", "0", "0", "2024-11-10")
    hist("NX-20", y24=False)
    e("NX-20", "2026", "普通居民", "400", "400", "2025-11-15")
    e("NX-20", "2027", "普通居民", "400", note="2027")
    hist("NX-21"); e("NX-21", "2026", "普通居民", "400", "400", "2025-10-30")
    e("NX-22", "2026", "普通居民", "400", "400", "2025-12-31")
    hist("NX-23"); e("NX-23", "2026", "普通居民", "400", "400", "2025-11-21")
    e("NX-24", "2025", "一级残疾", "0", "0", "2024-11-11")
    e("NX-24", "2026", "一级残疾", "0")
    e("NX-25", "2026", "离休干部遗孀", "0", "0.00")
    hist("NX-26"); e("NX-26", "2026", "已脱贫人口", "220", "220", "2025-11-18")
    hist("NX-27"); e("NX-27", "2026", "低保", "80", "80", "2025-11-25", code="640104")
    e("NX-R01", "2026", "普通居民", "400", "400", "2025-11-06", idraw=bad["NX-R01"],
      reject=("ID_LENGTH", "身份证号"))
    e("NX-R07", "2026", "普通居民", "400", "四百", "2025-11-07", reject=("BAD_AMOUNT", "实缴金额"))
    e("NX-R12", "2026", "普通居民", "400", "400", "", reject=("MISSING_FIELD", "缴费日期"))
    # ---- appended cases (after the reject rows, so existing line numbers hold) ----
    hist("NX-28"); e("NX-28", "2026", "普通居民", "400", "400", "2025-11-03")
    hist("NX-29"); e("NX-29", "2026", "普通居民", "400", "400", "2025-11-06")
    hist("NX-30")
    e("NX-30", "2026", "普通居民", "400", "400", "2025-11-01", note="2026 kept")
    e("NX-30", "2026", "普通居民", "400", "400", "2025-11-15", code="640105",
      note="2026 refunded")
    hist("NX-31")
    # the higher county is written first: the tie goes to the lowest code, not file order
    e("NX-31", "2026", "普通居民", "400", "400", "2025-11-20", code="640106",
      note="2026 refunded")
    e("NX-31", "2026", "普通居民", "400", "400", "2025-11-20", note="2026 kept")
    hist("NX-32")
    e("NX-32", "2026", "普通居民", "400", "400", "2025-11-10")
    e("NX-32", "2026", "普通居民", "1,100.00", "1,100.00", "2025-12-15", scheme="310",
      tax="", note="2026 310")
    hist("NX-33")
    e("NX-33", "2026", "普通居民", "400", "400", "2025-11-12")
    e("NX-33", "2026", "普通居民", "1,100.00", "1,100.00", "2025-12-15", scheme="310",
      status="暂停", tax="", note="2026 310")
    hist("NX-34"); e("NX-34", "2026", "普通居民", "400", "400", "2026-01-05", start="2026-04-05")
    hist("NX-35"); e("NX-35", "2026", "普通居民", "300", "300", "2026-01-20", start="2026-04-20")
    hist("NX-36"); e("NX-36", "2026", "低保对象", "80", "80", "2026-01-12")
    hist("NX-37"); e("NX-37", "2026", "低保", "80", "80", "2025-11-09")
    hist("NX-38"); e("NX-38", "2026", "低保对象", "80", "80", "2025-11-16")
    e("NX-39", "2026", "普通居民", "400", "400", "2026-01-06")

    # ---- persons.csv ----
    no_persons = {"NX-15", "NX-16", "NX-22"}
    for case, p in P.items():
        if case.startswith("NX-R") or case in no_persons:
            continue
        row = {"身份证号": p.id, "姓名": p.name, "常住区划代码": p.county}
        if case == "NX-09":
            row["死亡日期"] = "2025-12-20"
        if case in ("NX-26", "NX-27", "NX-E5", "NX-08"):
            row["户籍区划代码"] = p.county
        if case == "NX-27":
            row["常住区划代码"] = "640122"
        row.update(NX_PERSON_EXTRA.get(case, {}))
        per.add(case, row)

    # ---- elsewhere.csv ----
    els.add("NX-10", {"身份证号": P["NX-10"].id, "姓名": P["NX-10"].name,
                      "说明": "外省参保", "年度": "2026"})

    files = [civil, agri, dis, vet, enr, per, els]
    region = dict(key="ningxia", T=T, P=P, bad=bad, expect_bad=expect_bad, files=files,
                  region_prefix="64", id15=id15, dup_line=dup_line)
    return region


# --------------------------------------------------------------------------
# Hulunbuir 150700, T = 2026-01-31
# --------------------------------------------------------------------------
def build_hulunbuir():
    T = dt.date(2026, 1, 31)
    P = {}

    def person(case, name, region6, birth, male, n, county, title):
        P[case] = Person(case, name, pid(region6, birth, male, n), county, title)

    person("HL-01", "包金花", "150702", "1968-03-08", False, 102, "150702", "paid in period, 低保 later (review refund)")
    person("HL-02", "孟凡华", "152101", "1962-06-21", True, 113, "150702", "低保 + 一级残疾 tie, unpaid ordinary rating (old 1521xx ID)")
    person("HL-03", "鄂秀云", "150723", "1975-09-14", False, 122, "150723", "rated 一级残疾 200, holds only 低保")
    person("HL-04", "那思远", "150724", "2010-02-27", True, 131, "150724", "事实无人抚养儿童 since 2019, no 2026 row")
    person("HL-05", "吴凤山", "150725", "1956-12-03", True, 141, "150725", "特困 recognised after C1, no 2026 row")
    person("HL-06", "关玉梅", "150722", "1981-04-16", False, 152, "150722", "突发严重困难户 paid 200")
    person("HL-07", "郎庆丰", "150721", "1979-10-30", True, 161, "150721", "边缘易致贫户 ended, unpaid 200 rating")
    person("HL-08", "宋佳宁", "150781", "1990-07-19", False, 172, "150781", "满洲里 ordinary paid (untiered fiscal county)")
    person("HL-09", "白一诺", "150783", "2025-12-15", False, 182, "150783", "newborn inside the 90-day window")
    person("HL-10", "于海涛", "152122", "1965-01-25", True, 191, "150721", "ordinary paid, duplicate enrollment row (old 1521xx ID)")
    person("HL-11", "刘䶮", "150782", "1972-08-02", True, 201, "150782", "二级残疾 paid 200 (name needs GB18030)")
    person("HL-12", "邢振东", "152103", "1960-11-09", True, 211, "150783", "三级残疾 (ordinary here) paid 400 (old 1521xx ID)")
    person("HL-13", "常雪莲", "150784", "1988-05-05", False, 222, "150784", "paid 400, 2025 missing → gap 1 (R6)")
    person("HL-14", "姜浩然", "150702", "2005-09-01", True, 231, "150702", "低保, studying elsewhere")
    person("HL-15", "毕淑华", "150726", "1958-02-28", False, 242, "150726", "低收入人口 paid 200")
    person("HL-16", "孔德胜", "150785", "1970-10-10", True, 251, "150785", "ordinary paid in 根河市")
    person("HL-R1", "石磊", "150702", "1983-03-03", True, 301, "640104", "reject OUT_OF_REGION")
    person("HL-R2", "胡晓丽", "150727", "1977-07-17", False, 312, "150727", "reject BAD_DATE")
    person("HL-R3", "霍建军", "150781", "1969-09-19", True, 321, "150781", "reject DISABILITY_CERT_MISMATCH (category)")
    person("HL-R4", "廉春梅", "150727", "1986-06-06", False, 332, "150727", "reject MISSING_FIELD (参保年度)")
    # ---- appended cases (R6, R8, R9): rows go after every existing row ----
    person("HL-17", "巴特尔", "150725", "1971-03-21", True, 341, "150725", "R6 edge: 4-year gap, 修复年数 2 → at least 3 variable months")
    person("HL-18", "乌云其其格", "150724", "1984-11-02", False, 352, "150724", "R6: 1-year gap, recorded start wrong (START_MISMATCH)")
    person("HL-19", "齐国强", "150703", "1979-05-30", True, 361, "150703", "R6: late payer with continuous history")
    person("HL-20", "敖日格乐", "150727", "1995-08-12", True, 371, "150727", "R6: late payer with no history (NO_HISTORY)")
    person("HL-21", "苏和", "150723", "1964-02-15", True, 381, "150723", "R9: 一级残疾 paid exactly 200 (残联 + 医疗救助)")
    person("HL-22", "那仁花", "150785", "1973-06-06", False, 392, "150785", "R9: 低保 since 2024 paid the ordinary 400 (review)")
    person("HL-23", "何东升", "150702", "1980-12-10", True, 401, "150781", "R8: alive, no enrollment, 常住 ≠ 户籍")
    person("HL-24", "赵春燕", "150702", "1990-04-25", False, 412, "150702", "R8: alive, no enrollment")
    person("HL-25", "陶克陶", "150702", "1944-09-09", True, 421, "150702", "R8 edge: died 2026-01-20 (after Y-01-01, before T), paid 2026")

    civil = SampleFile("hulunbuir", "civil.csv", H_CIVIL_HL, "utf-8")
    agri = SampleFile("hulunbuir", "agri.csv", H_AGRI_HL, "utf-8")
    dis = SampleFile("hulunbuir", "disability.csv", H_DIS_HL, "gb18030", "\r\n")
    enr = SampleFile("hulunbuir", "enrollment.csv", H_ENR_HL, "utf-8")
    per = SampleFile("hulunbuir", "persons.csv", H_PERSONS, "utf-8")
    els = SampleFile("hulunbuir", "elsewhere.csv", H_ELSEWHERE, "utf-8")

    def c(case, cat, start, code=None, end="", town="", village="", phone="", reject=None):
        p = P[case]
        return civil.add(case, {"行政区划代码": code or p.county, "姓名": p.name,
                                "身份证号": p.id, "救助类别": cat, "认定日期": start,
                                "退出日期": end, "乡镇街道": town, "村社区": village,
                                "联系电话": phone}, "", reject)

    c("HL-01", "低保对象", "2025-11-01")
    c("HL-02", "城市低保", "2024-01-01", code="150702001")
    c("HL-03", "农村低保", "2023-03-01")
    c("HL-04", "事实无人抚养儿童", "2019-07-01", town="巴彦托海镇", village="团结社区",
      phone="13904700131")
    c("HL-05", "特困人员", "2026/1/10", town="巴彦库仁镇", village="呼和诺尔嘎查",
      phone="13804700141")
    c("HL-14", "低保", "2023年9月1日")
    c("HL-15", "低收入人口", "20240601", code="150726100001")
    c("HL-R1", "低保对象", "2024-01-01", code="640104", reject=("OUT_OF_REGION", "行政区划代码"))
    # appended cases
    c("HL-22", "城市低保", "2024-04-01", code="150785001")

    agri.add("HL-06", {"姓名": P["HL-06"].name, "身份证号": P["HL-06"].id,
                       "人员类别": "突发严重困难户", "识别日期": "2025-03",
                       "行政区划代码": "150722"})
    agri.add("HL-07", {"姓名": P["HL-07"].name, "身份证号": P["HL-07"].id,
                       "人员类别": "边缘易致贫户", "识别日期": "202405",
                       "行政区划代码": "150721", "风险消除日期": "2025-08-31"})
    agri.add("HL-R2", {"姓名": P["HL-R2"].name, "身份证号": P["HL-R2"].id,
                       "人员类别": "脱贫不稳定户", "识别日期": "2025-02-30",
                       "行政区划代码": "150727"}, reject=("BAD_DATE", "识别日期"))

    def d(case, cat_text, cat_digit, grade_digit, grade_text, issued, until="", suffix="",
          code=None, reject=None):
        p = P[case]
        return dis.add(case, {"姓名": p.name, "残疾人证号": p.id + cat_digit + grade_digit + suffix,
                              "残疾等级": grade_text, "残疾类别": cat_text,
                              "发证日期": issued, "有效期至": until,
                              "行政区划代码": code or p.county}, "", reject)

    d("HL-02", "肢体", "4", "1", "一级", "2022-01-01", until="2032-01-01")
    d("HL-11", "精神", "6", "2", "Ⅱ级", "2021/5/20", suffix="B2")
    d("HL-12", "视力", "1", "3", "三级", "20200612")
    d("HL-R3", "视力", "4", "2", "二级", "2023-03-03",
      reject=("DISABILITY_CERT_MISMATCH", "残疾类别"))
    # appended cases
    d("HL-21", "肢体", "4", "1", "一级", "2023-06-01", until="2033-06-01")

    def e(case, year, rating, due, paid="", date="", code=None, note=None, reject=None,
          start="", repair=""):
        p = P[case]
        return enr.add(case, {"身份证号": p.id, "姓名": p.name, "参保年度": year,
                              "险种类型": "390", "参保区划代码": code or p.county,
                              "参保状态": "参保缴费", "核定类别": rating, "应缴金额": due,
                              "实缴金额": paid, "缴费日期": date, "待遇开始日期": start,
                              "修复年数": repair}, note or year, reject)

    def hist(case, y24=True, y25=True):
        if y24:
            e(case, "2024", "普通居民", "380", "380", "2023-10-20")
        if y25:
            e(case, "2025", "普通居民", "400", "400", "2024-10-18")

    hist("HL-01"); e("HL-01", "2026", "普通居民", "400", "400", "2025-10-10")
    hist("HL-02"); e("HL-02", "2026", "普通居民", "400")
    hist("HL-03", y24=False); e("HL-03", "2026", "一级残疾", "200")
    e("HL-04", "2025", "事实无人抚养儿童", "0", "0", "2024-10-15")
    hist("HL-05")
    hist("HL-06"); e("HL-06", "2026", "突发严重困难户", "200", "200", "2025/10/1")
    hist("HL-07"); e("HL-07", "2026", "边缘易致贫户", "200")
    hist("HL-08"); e("HL-08", "2026", "普通居民", "400", "400", "2025-11-11")
    hist("HL-10")
    e("HL-10", "2026", "普通居民", "400", "400", "2025-09-25")
    dup_line = len(enr.rows) + 2
    enr.rows.append(dict(enr.rows[-1]))
    enr.tags.append(("HL-10", "duplicate", None, dup_line - 1))
    hist("HL-11"); e("HL-11", "2026", "二级", "200.00", "200.00", "2025年10月20日")
    hist("HL-12"); e("HL-12", "2026", "普通居民", "400", "400", "20251201")
    hist("HL-13", y25=False); e("HL-13", "2026", "普通居民", "400", "400", "2025-10-15")
    hist("HL-15", y24=False); e("HL-15", "2026", "低收入人口", "200", "200", "2025-10-08")
    hist("HL-16"); e("HL-16", "2026", "普通居民", "400", "400", "2025-12-20 16:45:10")
    e("HL-R4", "", "普通居民", "400", "400", "2025-10-12", note="2026",
      reject=("MISSING_FIELD", "参保年度"))
    # ---- appended cases (after the reject row, so existing line numbers hold) ----
    # HL-17: 2021 covered; 2022 and 2023 no row; 2024 and 2025 registered but unpaid
    e("HL-17", "2021", "普通居民", "320", "320", "2020-10-15")
    e("HL-17", "2024", "普通居民", "380")
    e("HL-17", "2025", "普通居民", "400")
    e("HL-17", "2026", "普通居民", "400", "400", "2025-11-20", start="2026-07-01", repair="2")
    hist("HL-18", y25=False)
    e("HL-18", "2026", "普通居民", "400", "400", "2025-12-01", start="2026-04-01")
    hist("HL-19"); e("HL-19", "2026", "普通居民", "400", "400", "2026-01-15", start="2026-04-15")
    e("HL-20", "2026", "普通居民", "400", "400", "2026-01-08")
    hist("HL-21"); e("HL-21", "2026", "一级残疾", "200", "200", "2025-10-20")
    hist("HL-22"); e("HL-22", "2026", "普通居民", "400", "400", "2025-10-15")
    hist("HL-25"); e("HL-25", "2026", "普通居民", "400", "400", "2025-10-25")

    no_persons = {"HL-16"}
    for case, p in P.items():
        if case.startswith("HL-R") or case in no_persons:
            continue
        row = {"身份证号": p.id, "姓名": p.name, "常住区划代码": p.county}
        if p.id[:6] != p.county:
            row["户籍区划代码"] = p.county
        row.update(HL_PERSON_EXTRA.get(case, {}))
        per.add(case, row)

    els.add("HL-14", {"身份证号": P["HL-14"].id, "姓名": P["HL-14"].name,
                      "说明": "在外地上学", "年度": "2026"})

    files = [civil, agri, dis, enr, per, els]
    return dict(key="hulunbuir", T=T, P=P, bad={}, expect_bad={}, files=files,
                region_prefix="1507", dup_line=dup_line)


# --------------------------------------------------------------------------
# Self-checks
# --------------------------------------------------------------------------
ID_COLS = ("身份证号",)
DATE_COLS = ("认定日期", "识别日期", "发证日期", "退出日期", "风险消除日期", "有效期至",
             "缴费日期", "待遇开始日期", "死亡日期")
MONEY_COLS = ("应缴金额", "实缴金额")
CODE_COLS = ("行政区划代码", "参保区划代码", "常住区划代码", "户籍区划代码")


def verify(region):
    T, P = region["T"], region["P"]
    # 1. every intended-valid ID passes, every intended-bad ID fails exactly its check
    for case, p in P.items():
        if case in region["expect_bad"]:
            continue
        assert len(p.id) == 18 and check_char(p.id[:17]) == p.id[17], (case, p.id)
        assert not id_failures(p.id, T), (case, p.id, id_failures(p.id, T))
    for case, raw in region["bad"].items():
        got = id_failures(raw, T)
        assert got == {region["expect_bad"][case]}, (case, raw, got)
    ids = [p.id for p in P.values()]
    assert len(ids) == len(set(ids)), "duplicate IDs"
    names = [p.name for p in P.values()]
    assert len(names) == len(set(names)), "duplicate names"

    # 2. every cell: IDs, dates, amounts, codes are what the tags say
    region_prefix = region["region_prefix"]
    for f in region["files"]:
        seen = {}
        for i, (row, tag) in enumerate(zip(f.rows, f.tags)):
            line = i + 2
            case, _note, reject, dup_of = tag
            reason, col = reject if reject else (None, None)
            key = tuple(row[h] for h in f.header)
            if dup_of:
                assert seen.get(key) == dup_of, (f.name, line)
                continue
            assert key not in seen, ("unintended duplicate", f.name, line)
            seen[key] = line
            for h in f.header:
                v = row[h]
                if h in ID_COLS or h == "残疾人证号":
                    raw = v[:-2] if h == "残疾人证号" and v[-2:] in ("B1", "B2") else v
                    raw = raw[:18] if h == "残疾人证号" else raw
                    fails = id_failures(raw, T)
                    if reason in ("ID_LENGTH", "ID_CHECKSUM", "ID_BIRTHDATE", "ID_REGION"):
                        assert fails == {reason}, (f.name, line, fails)
                    else:
                        assert not fails, (f.name, line, v, fails)
                        if h in ID_COLS:
                            assert normalise_id(v) == P[case].id, (f.name, line)
                elif h in DATE_COLS and v:
                    if reason == "BAD_DATE" and h == col:
                        try:
                            parse_date(v)
                        except ValueError:
                            pass
                        else:
                            raise AssertionError(("BAD_DATE parses", f.name, line))
                    else:
                        parse_date(v)
                elif h in MONEY_COLS and v:
                    if reason == "BAD_AMOUNT" and h == col:
                        try:
                            parse_fen(v)
                        except ValueError:
                            pass
                        else:
                            raise AssertionError(("BAD_AMOUNT parses", f.name, line))
                    else:
                        parse_fen(v)
                elif h in CODE_COLS and v:
                    assert len(v) in (6, 9, 12) and v.isdigit(), (f.name, line, v)
                    if reason != "OUT_OF_REGION":
                        assert v.startswith(region_prefix), (f.name, line, v)
                    else:
                        assert not v.startswith(region_prefix), (f.name, line, v)
            if "残疾人证号" in row:
                cert = row["残疾人证号"]
                base = cert[:-2] if cert[-2:] in ("B1", "B2") else cert
                assert len(base) == 20
                grade = {"一级": "1", "二级": "2", "三级": "3", "四级": "4", "1": "1",
                         "2": "2", "3": "3", "4": "4", "Ⅰ级": "1", "Ⅱ级": "2", "Ⅲ级": "3",
                         "Ⅳ级": "4"}[row["残疾等级"]]
                ok = base[19] == grade and CAT_DIGIT[row["残疾类别"]] == base[18]
                assert ok == (reason != "DISABILITY_CERT_MISMATCH"), (f.name, line)
            if reason == "MISSING_FIELD":
                assert row[col] == "", (f.name, line)
            if reason == "DATE_ORDER":
                start = row.get("认定日期") or row.get("识别日期")
                assert parse_date(row[col]) < parse_date(start)
            if reason is None and "姓名" in row and case != "NX-15":
                assert row["姓名"] == P[case].name, (f.name, line)


# --------------------------------------------------------------------------
# A small reference reading of SPEC §4 R8 (coverage) and R9 (fiscal ledger),
# used only to cross-check the hand-written tables in CASES.md below. It knows
# just the category texts and the policy facts the sample data uses.
# --------------------------------------------------------------------------
Y = 2026
ORDINARY = 400
CAT_TEXT = {
    "低保对象": "dibao", "城市低保": "dibao", "农村低保": "dibao", "低保": "dibao",
    "特困人员": "tekun", "城乡特困人员": "tekun", "孤儿": "orphan",
    "事实无人抚养儿童": "defacto_orphan", "高龄低收入老年人": "elderly_low_income",
    "低收入人口": "low_income", "脱贫不稳定户": "monitored_unstable",
    "边缘易致贫户": "monitored_marginal", "突发严重困难户": "monitored_sudden",
    "已脱贫人口": "poverty_alleviated", "优抚对象": "youfu", "离休干部遗孀": "retiree_widow",
}
CIVIL_AGRI_CATS = {"tekun", "orphan", "defacto_orphan", "dibao", "low_income",
                   "elderly_low_income", "monitored_unstable", "monitored_marginal",
                   "monitored_sudden", "poverty_alleviated"}
# (personal amount, tie order) per category; absent = ordinary
POLICY = {
    "ningxia": dict(
        tiers={**{c: (0, 0) for c in ("tekun", "orphan", "disabled_g1", "disabled_g2",
                                       "retiree_widow")},
               **{c: (80, 1) for c in ("youfu", "elderly_low_income", "dibao",
                                        "monitored_unstable", "monitored_marginal",
                                        "monitored_sudden")},
               "disabled_g3": (120, 2), "poverty_alleviated": (220, 3)},
        newborn_days=183,
        groups=[("low_income_and_alleviated", "categories", 99), ("newborn", "newborn", 80)]),
    "hulunbuir": dict(
        tiers={**{c: (0, 0) for c in ("tekun", "orphan", "defacto_orphan")},
               **{c: (200, 1) for c in ("dibao", "low_income", "monitored_unstable",
                                         "monitored_marginal", "monitored_sudden")},
               "disabled_g1": (200, 2), "disabled_g2": (200, 2)},
        newborn_days=90,
        groups=[("overall", "overall", 95), ("rural_low_income_and_alleviated", "categories", 99)],
        fiscal=dict(tier1=("150702", "150783", "150727", "150725", "150724"),
                    tier2=("150782", "150784", "150722", "150723", "150703"),
                    tier3=("150721", "150785", "150726"))),
}
FISCAL_FEN = 70000                      # 700 元/人
CITY_PERCENT = {"tier1": 30, "tier2": 50, "tier3": 70}


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def live_rows(R, name):
    f = [x for x in R["files"] if x.name == name]
    if not f:
        return []
    return [(row, i + 2, tag[0]) for i, (row, tag) in enumerate(zip(f[0].rows, f[0].tags))
            if not tag[2] and not tag[3]]


def identities(R):
    """person id → list of (category, start, end, county6, file, line)."""
    out = {}

    def put(pid_, cat, start, end, code, fname, line):
        out.setdefault(pid_, []).append((cat, start, end, code[:6], fname, line))

    dd = lambda s: parse_date(s) if s else None
    for row, line, _ in live_rows(R, "civil.csv"):
        put(normalise_id(row["身份证号"]), CAT_TEXT[row["救助类别"]], dd(row["认定日期"]),
            dd(row["退出日期"]), row["行政区划代码"], "civil.csv", line)
    for row, line, _ in live_rows(R, "agri.csv"):
        cat, start, end = CAT_TEXT[row["人员类别"]], dd(row["识别日期"]), dd(row["风险消除日期"])
        i = normalise_id(row["身份证号"])
        put(i, cat, start, end, row["行政区划代码"], "agri.csv", line)
        if cat == "monitored_unstable" and end:
            put(i, "poverty_alleviated", end, None, row["行政区划代码"], "agri.csv", line)
    for row, line, _ in live_rows(R, "disability.csv"):
        cert = row["残疾人证号"]
        put(cert[:18], "disabled_g" + cert[19], dd(row["发证日期"]), dd(row["有效期至"]),
            row["行政区划代码"], "disability.csv", line)
    for row, line, _ in live_rows(R, "veterans.csv"):
        put(normalise_id(row["身份证号"]), CAT_TEXT[row["优抚类别"]], dd(row["认定日期"]),
            dd(row["退出日期"]), row["行政区划代码"], "veterans.csv", line)
    return out


def paid_390(row):
    due = parse_fen(row["应缴金额"])
    paid = parse_fen(row["实缴金额"]) if row["实缴金额"] else 0
    return paid >= due > 0 or (due == 0 and row["参保状态"] == "参保缴费")


def ceil_pct(base, pct):
    return -(-base * pct // 100)


def coverage(R):
    """{group: {county: (base, covered)}} by SPEC R8, plus 'total'."""
    T, pol = R["T"], POLICY[R["key"]]
    ids_ = identities(R)
    persons = {normalise_id(r["身份证号"]): r for r, _, _ in live_rows(R, "persons.csv")}
    alive = lambda i: not (i in persons and persons[i]["死亡日期"]
                           and parse_date(persons[i]["死亡日期"]) <= T)
    paid, active310 = set(), set()
    for row, _, _ in live_rows(R, "enrollment.csv"):
        if row["参保年度"] != str(Y):
            continue
        i = normalise_id(row["身份证号"])
        if row["险种类型"] == "390" and paid_390(row):
            paid.add(i)
        if row["险种类型"] == "310" and row["参保状态"] == "参保缴费":
            active310.add(i)
    elsewhere = {normalise_id(r["身份证号"]) for r, _, _ in live_rows(R, "elsewhere.csv")
                 if r["年度"] in ("", str(Y))}
    covered = paid | active310 | elsewhere
    out = {}
    for gid, kind, _pct in pol["groups"]:
        g = out.setdefault(gid, {})
        members = []
        if kind == "categories":
            for i, recs in ids_.items():
                at_t = [r for r in recs if r[1] <= T and (r[2] is None or T < r[2])]
                if not at_t or not alive(i) or not any(r[0] in CIVIL_AGRI_CATS for r in at_t):
                    continue
                key = lambda r: pol["tiers"].get(r[0], (ORDINARY, 99))
                best = min(key(r) for r in at_t)
                county = min(r[3] for r in at_t if key(r) == best)
                members.append((county, i in covered))
        elif kind == "newborn":
            for i, p in persons.items():
                age = (T - birth_of(i)).days
                if alive(i) and 0 <= age <= pol["newborn_days"]:
                    members.append((p["常住区划代码"][:6], i in paid))
        else:  # overall
            for i, p in persons.items():
                if alive(i):
                    members.append((p["常住区划代码"][:6], i in covered))
        for county, cov in members:
            b, c = g.get(county, (0, 0))
            g[county] = (b + 1, c + int(cov))
    return out


def fiscal_counts(R):
    """county → persons with a paid 390 row for Y (each once). The Hulunbuir sample
    has no R3 case (no death before Y, no second paid row, no active 310 row), which
    is asserted here rather than modelled."""
    persons = {normalise_id(r["身份证号"]): r for r, _, _ in live_rows(R, "persons.csv")}
    rows = {}
    has310 = set()
    for row, _, _ in live_rows(R, "enrollment.csv"):
        if row["参保年度"] != str(Y):
            continue
        i = normalise_id(row["身份证号"])
        if row["险种类型"] == "310" and row["参保状态"] == "参保缴费":
            has310.add(i)
        if row["险种类型"] == "390" and paid_390(row):
            rows.setdefault(i, []).append(row["参保区划代码"][:6])
    counts = {}
    for i, counties in rows.items():
        assert len(counties) == 1 and i not in has310, ("R3 case in fiscal sample", i)
        death = persons.get(i, {}).get("死亡日期")
        assert not death or parse_date(death) >= dt.date(Y, 1, 1), ("DECEASED in fiscal", i)
        counts[counties[0]] = counts.get(counties[0], 0) + 1
    return counts


def yuan(fen):
    return "%s%d.%02d" % ("-" if fen < 0 else "", abs(fen) // 100, abs(fen) % 100)


def coverage_md(R, expected):
    got = coverage(R)
    assert got == expected, ("coverage table drifted", R["key"], got)
    pol = POLICY[R["key"]]
    md = ["#### R8 coverage (coverage.csv)", "",
          "Base = persons in the group at T and alive; hardship groups: an identity at T "
          "in the group's categories, county = 区划代码 of the best identity at T; "
          "`newborn`/`overall`: persons.csv, county = 常住区划代码. Needed = "
          "max(0, ⌈target × base⌉ − covered). Rates are shown to 2 decimals here; SPEC does "
          "not fix the report's rate format. Counties where a group has nobody are not "
          "listed here (SPEC does not say whether zero-base rows appear).", ""]
    for gid, _kind, pct in pol["groups"]:
        g = got[gid]
        md.append("| group | county | base | covered | rate | target | needed |")
        md.append("|---|---|---|---|---|---|---|")
        rows = sorted(g.items()) + [("total", (sum(b for b, _ in g.values()),
                                               sum(c for _, c in g.values())))]
        for county, (b, c) in rows:
            md.append("| `%s` | %s | %d | %d | %.2f%% | %d%% | %d |" % (
                gid, "**total**" if county == "total" else county, b, c, 100.0 * c / b, pct,
                max(0, ceil_pct(b, pct) - c)))
        md.append("")
    return md


def fiscal_md(R, expected):
    got = fiscal_counts(R)
    assert got == expected, ("fiscal counts drifted", got)
    tiers = POLICY[R["key"]]["fiscal"]
    tier_of = {c: t for t, cs in tiers.items() for c in cs}
    md = ["#### R9 fiscal_ledger.csv (700 元/人; central 80%, region 14%, local 6% split "
          "city/banner by tier; advance = 60%)", "",
          "| county | tier | persons | full year | central | region | city | banner | untiered "
          "| advance | adv. central | adv. region | adv. city | adv. banner | adv. untiered |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    tot = None

    def split(fen, tier):
        central, region = fen * 80 // 100, fen * 14 // 100
        local = fen - central - region
        if tier is None:
            return [central, region, 0, 0, local]
        city = local * CITY_PERCENT[tier] // 100
        assert (fen * 80) % 100 == (fen * 14) % 100 == (local * CITY_PERCENT[tier]) % 100 == 0
        return [central, region, city, local - city, 0]

    for county in sorted(got):
        n, tier = got[county], tier_of.get(county)
        full = n * FISCAL_FEN
        adv = full * 60 // 100
        assert full * 60 % 100 == 0
        vals = [n, full] + split(full, tier) + [adv] + split(adv, tier)
        tot = vals if tot is None else [a + b for a, b in zip(tot, vals)]
        assert len(tot) == 13
        md.append("| %s | %s | %d | %s |" % (county, tier or "untiered", n,
                                             " | ".join(yuan(v) for v in vals[1:])))
    md.append("| **total** | | %d | %s |" % (tot[0], " | ".join(yuan(v) for v in tot[1:])))
    md.append("")
    return md


# --------------------------------------------------------------------------
# CASES.md
# --------------------------------------------------------------------------
def loc(region, case):
    """'file line N (k=v, …)' for each row tagged with the case."""
    out = []
    for f in region["files"]:
        for i, (row, tag) in enumerate(zip(f.rows, f.tags)):
            if tag[0] != case:
                continue
            keep = []
            for h in f.header:
                v = row[h]
                if not v:
                    continue
                if h == "身份证号" and v == region["P"][case].id:
                    continue
                if h == "姓名" and v == region["P"][case].name:
                    continue
                keep.append("%s=%s" % (h, v))
            extra = ""
            if tag[3]:
                extra = " — byte-identical copy of line %d (merged duplicate)" % tag[3]
            if tag[2]:
                extra += " — **reject %s** (column %s)" % tag[2]
            out.append("  - `%s/%s` line %d: %s%s" % (region["key"], f.name, i + 2,
                                                      "; ".join(keep), extra))
    return out


def L(region, fname, case, note=None):
    f = [x for x in region["files"] if x.name == fname][0]
    lines = f.line_of(case, note)
    lines = [n for n in lines if not f.tags[n - 2][3]]  # skip duplicate copies
    assert len(lines) == 1, (fname, case, note, lines)
    return "%s line %d" % (fname, lines[0])


def row_of(region, fname, case, note=None):
    f = [x for x in region["files"] if x.name == fname][0]
    line = int(L(region, fname, case, note).rsplit(" ", 1)[1])
    return f.rows[line - 2]


def expectations_ningxia(R):
    l = lambda fn, c, n=None: L(R, fn, c, n)
    E = {}
    E["NX-E1"] = [
        "R2: refund HARDSHIP_DIFF **320.00**, mode auto → status payable; row %s; best = dibao (80) via %s." % (l("enrollment.csv", "NX-E1", "2026"), l("civil.csv", "NX-E1")),
        "R4: none (paid). R5: not listed (covered). R6: not listed (paid in period). R7: none.",
        "R9: dibao tier, payer medical_assistance 320.00, settled (auto refund), county 640104.",
    ]
    E["NX-E2"] = [
        "R2: refund HARDSHIP_DIFF **400.00**, auto/payable; best over w = disabled_g2 (0) from %s (civil 低保 from 2025-12-01 at %s also overlaps but 80 > 0)." % (l("disability.csv", "NX-E2"), l("civil.csv", "NX-E2")),
        "R5: not listed. R9: disabled_g2, medical_assistance 400.00, settled, county 640105.",
    ]
    E["NX-E3"] = [
        "R2: **no refund** (paid 2026-01-10 after C1; 低保 only from 2026-01-15).",
        "R6: listed — late, expected amount 400.00, expected benefit start 2026-04-10 (= 2026-01-10 + 90 days); 待遇开始日期 in the file is 2026-04-10 and 实缴 400 → no AMOUNT_MISMATCH, no START_MISMATCH.",
        "R5: not listed (covered). R7: none (civil 640106 = 参保 640106).",
    ]
    E["NX-E4"] = [
        "R4: re-rate %s: 低保对象 80 → **ordinary (普通居民) 400**, difference **+320.00**; 低保 ended 2025-12-15 (%s), no identity at T." % (l("enrollment.csv", "NX-E4", "2026"), l("civil.csv", "NX-E4")),
        "R5: not listed (no identity at T). R2: none (unpaid).",
    ]
    E["NX-E5"] = [
        "R5: listed, **未登记**, due **0.00**, category tekun, source civil, county 640324, dynamic open **yes**; outreach 乡镇街道=丁塘镇, 村社区=丁塘村, 联系电话=13995300517.",
        "History 2024/2025 rows (due 0, paid 0) are continuity only.",
    ]
    E["NX-E6"] = [
        "R4: re-rate %s: 脱贫不稳定户 80 → **poverty_alleviated 220**, difference **+140.00**; justified by %s (风险消除日期 2025-06-30 turns monitored_unstable into poverty_alleviated)." % (l("enrollment.csv", "NX-E6", "2026"), l("agri.csv", "NX-E6")),
        "R5: listed, **登记未缴费**, due **220.00**, category poverty_alleviated, source agri, county 640522, dynamic open **yes**; outreach 海城镇 / 山门村 / 13709550602.",
        "Identity starts 2021-04-01 (识别日期 `202104`, month form).",
    ]
    E["NX-07"] = [
        "R5: listed, **登记未缴费**, due **80.00**, dibao, source civil, county 640122, dynamic open **yes**; outreach 习岗镇 / 新平村 / 13895100702.",
        "R4: **not** listed (rated 低保对象 80 = R1 amount 80, same payer).",
        "civil.csv line %d is a byte-identical copy of %s → merged duplicate (counted, not rejected)." % (R["dup_line"], l("civil.csv", "NX-07")),
    ]
    E["NX-08"] = [
        "R5: listed, **未登记**, due **400.00** (defacto_orphan is untiered in Ningxia → ordinary; after C1 the Jan–Jun band 400), source civil, county 640402, dynamic open **no**.",
    ]
    E["NX-09"] = ["R5: **not** listed (persons.csv 死亡日期 2025-12-20). No refund (no 2026 row)."]
    E["NX-10"] = ["R5: **not** listed (elsewhere.csv: 外省参保, 年度 2026 → covered)."]
    E["NX-11"] = [
        "Covered by the active 310 row (%s) → R5 **not** listed. No 390 row for 2026 → no R3 JOINED_EMPLOYEE, no R7." % l("enrollment.csv", "NX-11", "2026"),
    ]
    E["NX-12"] = [
        "Born 2025-12-01 (61 days before T, window 183). R5: listed as newborn, **未登记**, due **400.00**, dynamic open **yes**, county (persons 常住) 640105.",
    ]
    E["NX-13"] = ["Born 2025-06-01 → 244 days before T, outside the 183-day window → not a newborn → R5 **not** listed."]
    E["NX-14"] = [
        "civil.csv writes the 15-digit ID `%s`; it converts to `%s` (the ID used in enrollment.csv and persons.csv) and must join." % (R["id15"], R["P"]["NX-14"].id),
        "R2: refund HARDSHIP_DIFF **320.00**, auto/payable (elderly_low_income 80 from 2024-01-01; paid ￥400 on 2025-11-02).",
        "R9: elderly_low_income, medical_assistance 320.00, settled, county 640104.",
    ]
    E["NX-15"] = [
        "conflicts.csv: **NAME_MISMATCH** — %s has 姓名 孙莉娟, %s has 孙丽娟; enrollment name (孙丽娟) wins. (No persons.csv row for this person.)" % (l("civil.csv", "NX-15"), l("enrollment.csv", "NX-15", "2026")),
        "R2: refund HARDSHIP_DIFF **320.00**, auto/payable (低保 from 2024-07-01, paid 400 on 2025-11-20).",
    ]
    E["NX-16"] = [
        "conflicts.csv: **UNKNOWN_RATING** at %s (核定类别 `特殊人群X`); the row is kept and read as 普通居民. No other output (no identity)." % l("enrollment.csv", "NX-16", "2026"),
    ]
    E["NX-17"] = [
        "conflicts.csv: **UNSUPPORTED_RATING** at %s (paid 80 as 低保对象, no identity anywhere). Not re-rated (paid), no refund, no subsidy (R9 tier = ordinary)." % l("enrollment.csv", "NX-17", "2026"),
    ]
    E["NX-18"] = [
        "R4: re-rate %s: 普通居民 400 → **disabled_g3 120**, difference **−280.00** (`-280.00`), justified by %s (三级, issued 2023-05-01; reissue suffix B1 ignored)." % (l("enrollment.csv", "NX-18", "2026"), l("disability.csv", "NX-18")),
        "R5: listed, **登记未缴费**, due **120.00**, source disability, county 640181, dynamic open **yes**.",
    ]
    E["NX-19a"] = [
        "civil.csv ID written `'%s` (leading apostrophe) → accepted." % R["P"]["NX-19a"].id,
        "R2: refund HARDSHIP_DIFF **320.00**, auto/payable (农村低保 from 2024-06-01, paid 400 on 2025-11-12).",
    ]
    E["NX-19b"] = [
        "enrollment.csv 2026 row ID written `=\"%s\"` → accepted." % R["P"]["NX-19b"].id,
        "R2: refund HARDSHIP_DIFF **320.00**, auto/payable (低保 from 2025-01-01, paid 400 on 2025-11-08).",
    ]
    E["NX-19c"] = [
        "veterans.csv ID written in full-width digits → accepted.",
        "R4: re-rate %s: 普通居民 400 → **youfu 80**, difference **−320.00**, justified by %s." % (l("enrollment.csv", "NX-19c", "2026"), l("veterans.csv", "NX-19c")),
        "R5: listed, **登记未缴费**, due **80.00**, source veterans, county 640221, dynamic open **yes**.",
    ]
    E["NX-19d"] = [
        "civil.csv ID ends in lowercase `x` (canonical ends in `X`) → accepted.",
        "R5: listed, **未登记**, due **0.00**, orphan, source civil, county 640422, dynamic open **yes**.",
    ]
    E["NX-20"] = [
        "%s (参保年度 2027) is ignored by the rules and counted in the summary as a future-year row (accepted, not rejected). The 2026 row is paid ordinary → no output." % l("enrollment.csv", "NX-20", "2027"),
    ]
    E["NX-21"] = ["No output (ordinary, paid 2025-10-30, no identity)."]
    E["NX-22"] = ["No output (ordinary, paid 2025-12-31 = C1 → not late; no identity; no persons row, no history)."]
    E["NX-23"] = [
        "disabled_g4 is ordinary in Ningxia: paid 400 → **no refund**, no R9 subsidy. Still an identity for R5/R8 but covered → not listed.",
    ]
    E["NX-24"] = [
        "2026 row due 0, 实缴金额 and 缴费日期 blank, 参保缴费 → **paid** (due 0). No R2/R4/R5.",
        "R9: disabled_g1 priced at d = C1 (blank date), medical_assistance 400.00, settled, county 640106.",
    ]
    E["NX-25"] = [
        "Rated 离休干部遗孀 due 0, 实缴 0.00, no date, 参保缴费 → paid. No R2/R4/R5. R9: retiree_widow, medical_assistance 400.00, settled, county 640104.",
    ]
    E["NX-26"] = [
        "ID keeps the old 642221 prefix; county is 640402 (agri 行政区划代码) → no R7. Identity from 2021-04-01 (`2021-04`).",
        "Paid 220 = poverty_alleviated amount → no refund, no R4, not in R5. R9: medical_assistance 180.00, settled, county 640402.",
    ]
    E["NX-27"] = [
        "R7: **transfer** listed — identity county 640122 (civil 640122001) vs 参保区划代码 640104.",
        "Paid 80 as 低保 = tier → no refund. R9: dibao, medical_assistance 320.00, settled, county 640104 (参保区划代码).",
    ]
    # ---- appended cases ----
    d90 = lambda s: (parse_date(s) + dt.timedelta(days=90)).isoformat()
    assert d90("2026-01-05") == "2026-04-05" and d90("2026-01-20") == "2026-04-20"
    E["NX-28"] = [
        "R3: refund **DECEASED 400.00** for %s (persons.csv 死亡日期 2025-12-31 at %s, before 2026-01-01), mode auto, status **payable**, deadline **2026-06-30** (T is before it); 电子税票号 %s." % (l("enrollment.csv", "NX-28", "2026"), l("persons.csv", "NX-28"), row_of(R, "enrollment.csv", "NX-28", "2026")["电子税票号"]),
        "No HARDSHIP_DIFF (no identity), no R9 subsidy. R6: not listed (paid 2025-11-03, inside the period). R8: in no group (no identity; dead at T).",
    ]
    E["NX-29"] = [
        "Edge: persons.csv 死亡日期 **2026-01-01** (%s) is not before 2026-01-01 → **no** DECEASED refund, and no other refund (one paid 390 row, no 310 row, no identity): not in refunds.csv at all." % l("persons.csv", "NX-29"),
        "Dead at T (excluded from any R8 base; in no group anyway). R6: not listed (paid 2025-11-06, in period).",
    ]
    E["NX-30"] = [
        "R3: refund **DUPLICATE 400.00** for %s (参保区划代码 640105, paid 2025-11-15, the later payment), mode auto, status **expired**, deadline **2025-12-31** (paid inside the concentrated period, but applications closed before T). %s (640104, paid 2025-11-01, the earliest) is kept — not in refunds.csv." % (l("enrollment.csv", "NX-30", "2026 refunded"), l("enrollment.csv", "NX-30", "2026 kept")),
        "R7: none (no identity). R6: neither row listed (both paid in period; gap waits are off in Ningxia). No R9 subsidy.",
    ]
    E["NX-31"] = [
        "Edge: both 2026 rows paid on the same day 2025-11-20 → the lowest 参保区划代码 is kept: %s (640104) kept; %s (640106 — written first in the file, so file order must not decide) refunded **DUPLICATE 400.00**, status **expired**, deadline 2025-12-31." % (l("enrollment.csv", "NX-31", "2026 kept"), l("enrollment.csv", "NX-31", "2026 refunded")),
        "No other output.",
    ]
    E["NX-32"] = [
        "R3: refund **JOINED_EMPLOYEE 400.00** for the 390 row %s (paid 2025-11-10, inside the period; active 310 row for 2026 at %s, 参保缴费), mode auto, status **expired**, deadline **2025-12-31**. The 310 row is not refunded." % (l("enrollment.csv", "NX-32", "2026"), l("enrollment.csv", "NX-32", "2026 310")),
        "No other output (no identity).",
    ]
    E["NX-33"] = [
        "Edge: the 2026 310 row %s is **暂停** (it even carries a payment) → not an active 310 row → **no** JOINED_EMPLOYEE refund, and no other refund for %s." % (l("enrollment.csv", "NX-33", "2026 310"), l("enrollment.csv", "NX-33", "2026")),
        "No other output (paid 390 row, in period, no identity).",
    ]
    E["NX-34"] = [
        "R6: listed for %s — late (paid 2026-01-05 > C1), gap 0 (2024/2025 covered; gap waits off anyway): expected amount **400.00** (band 2026-01-01…06-30), expected benefit start **2026-04-05** (+90 days); 实缴 400 and 待遇开始日期 2026-04-05 → no AMOUNT_MISMATCH, no START_MISMATCH." % l("enrollment.csv", "NX-34", "2026"),
        "No refund, no R9 subsidy, no R5.",
    ]
    E["NX-35"] = [
        "R6: listed for %s — late (paid 2026-01-20), expected amount **400.00**, 实缴 300.00 → **AMOUNT_MISMATCH**; expected start **2026-04-20** = recorded 待遇开始日期 → no START_MISMATCH." % l("enrollment.csv", "NX-35", "2026"),
        "The row counts as paid (实缴 300 ≥ 应缴 300 > 0). conflicts.csv: **UNSUPPORTED_RATING** at %s (a paid row priced 300, below the ordinary 400, that no identity over w supports — SPEC R4). Not re-rated (paid), no refund, no R9 subsidy." % l("enrollment.csv", "NX-35", "2026"),
    ]
    E["NX-36"] = [
        "Paid 80 on 2026-01-12 (after C1) as 低保对象, holding 低保 since 2024-03-01 (%s) → subsidised identity at d → exempt: **not** in late_payment.csv." % l("civil.csv", "NX-36"),
        "R2: best over w = [2026-01-12, 2026-01-12] = dibao 80 = paid → no refund. No R4, R5, R7 (civil 640381 = 参保 640381), no conflict.",
        "R9: dibao, medical_assistance 320.00, settled, county 640381. R8: low_income_and_alleviated, county 640381, covered.",
    ]
    E["NX-37"] = [
        "Edge: R7 **no** transfer — %s writes 行政区划代码 `640104001` (9 digits) → county 640104 = 参保区划代码 640104 of %s." % (l("civil.csv", "NX-37"), l("enrollment.csv", "NX-37", "2026")),
        "Paid 80 as 低保 = tier → no refund. R9: dibao, medical_assistance 320.00, settled, county 640104. R8: low_income_and_alleviated, county 640104, covered.",
    ]
    E["NX-38"] = [
        "Identities at T: dibao (%s, 640205, personal 80) and poverty_alleviated (%s, 640221, 220); best = dibao → the person's county is **640205** (the best identity's record, not the agri one)." % (l("civil.csv", "NX-38"), l("agri.csv", "NX-38")),
        "R7: **transfer** listed — identity county 640205 vs 参保区划代码 640221 (%s). (NX-27 is the plain one-identity transfer; here the non-best identity matches the enrolment county.)" % l("enrollment.csv", "NX-38", "2026"),
        "Paid 80 = dibao tier → no refund. R9: dibao, medical_assistance 320.00, settled, county 640221 (参保区划代码). R8: low_income_and_alleviated, county 640205, covered.",
    ]
    E["NX-39"] = [
        "Born 2025-08-01: T − b = 183 days = the window → a newborn at T (boundary). Paid 400 on 2026-01-06 (after C1, aged 158 days) → newborn inside the window → exempt: **not** in late_payment.csv (no row before 2026 at all — it would otherwise carry NO_HISTORY).",
        "R8 `newborn`: county 640181 (persons 常住), covered by the paid 390 row %s. R5: not listed. No refund." % l("enrollment.csv", "NX-39", "2026"),
    ]
    return E


def expectations_hulunbuir(R):
    l = lambda fn, c, n=None: L(R, fn, c, n)
    E = {}
    E["HL-01"] = [
        "R2: refund HARDSHIP_DIFF **200.00**, mode **review** (status review) for %s; best over w=[2025-10-10, 2025-12-31] = dibao (200) via %s." % (l("enrollment.csv", "HL-01", "2026"), l("civil.csv", "HL-01")),
        "R6: not listed (not late; 2025 and 2024 covered → gap 0). R9: dibao, medical_assistance 200.00, **pending_review**, county 150702.",
    ]
    E["HL-02"] = [
        "ID starts with the old code 152101; county 150702 from the 区划代码 columns.",
        "R4: re-rate %s: 普通居民 400 → **dibao 200**, difference **−200.00**, payer set {medical_assistance 200}; justified by %s (tie with disabled_g1 at %s: the 医疗救助 200 tier wins by tie order)." % (l("enrollment.csv", "HL-02", "2026"), l("civil.csv", "HL-02"), l("disability.csv", "HL-02")),
        "R5: listed, **登记未缴费**, due **200.00**, dibao, source civil, county 150702, dynamic open **no** (recognised 2024).",
    ]
    E["HL-03"] = [
        "R4: re-rate %s: 一级残疾 (disabled_g1, 残联 100 + 医疗救助 100) → **dibao 200** (医疗救助 200), difference **0.00** — listed because the payer set differs; justified by %s." % (l("enrollment.csv", "HL-03", "2026"), l("civil.csv", "HL-03")),
        "R5: listed, **登记未缴费**, due **200.00**, dibao, source civil, county 150723, dynamic open **no**.",
    ]
    E["HL-04"] = [
        "R5: listed, **未登记**, due **0.00**, defacto_orphan, source civil, county 150724, dynamic open **no** (recognised 2019, before C1); outreach 巴彦托海镇 / 团结社区 / 13904700131.",
    ]
    E["HL-05"] = [
        "R5: listed, **未登记**, due **0.00**, tekun, source civil, county 150725, dynamic open **yes** (recognised 2026-01-10, after C1); outreach 巴彦库仁镇 / 呼和诺尔嘎查 / 13804700141.",
    ]
    E["HL-06"] = [
        "Paid 200 on 2025-10-01 as 突发严重困难户, identity monitored_sudden from 2025-03-01 (`2025-03`) → **no** refund, R4, R5, conflict. R9: medical_assistance 200.00, settled, county 150722.",
    ]
    E["HL-07"] = [
        "R4: re-rate %s: 边缘易致贫户 200 → **ordinary 400**, difference **+200.00** (monitored_marginal ended 2025-08-31 at %s; it does not turn into poverty_alleviated)." % (l("enrollment.csv", "HL-07", "2026"), l("agri.csv", "HL-07")),
        "R5: not listed (no identity at T).",
    ]
    E["HL-08"] = ["No R2–R7 output. Fiscal ledger: county 150781 满洲里市 is `untiered` (1 person)."]
    E["HL-09"] = [
        "Born 2025-12-15 (47 days before T, window 90). R5: listed as newborn, **未登记**, due **400.00**, dynamic open **yes**, county (persons 常住) 150783.",
    ]
    E["HL-10"] = [
        "ID starts with old code 152122; county 150721.",
        "enrollment.csv line %d is a byte-identical copy of %s → merged duplicate; **no** R3 DUPLICATE refund. Otherwise ordinary paid → no output; counted once in the fiscal ledger." % (R["dup_line"], l("enrollment.csv", "HL-10", "2026")),
    ]
    E["HL-11"] = [
        "Name contains 䶮 (U+4DAE), which GBK cannot encode — disability.csv must be read as GB18030. Grade text `Ⅱ级`, reissue suffix B2.",
        "Paid 200 rated `二级` = disabled_g2 tier → no refund/R4/R5. R9: disabled_g2, 残联 100.00 + medical_assistance 100.00, settled, county 150782.",
    ]
    E["HL-12"] = [
        "ID starts with old code 152103; county 150783. disabled_g3 is ordinary in Hulunbuir: paid 400 → **no refund**, no R9 subsidy; covered → not in R5.",
    ]
    E["HL-13"] = [
        "R6: listed — not late, gap = 1 (no 2025 row; 2024 covered), 修复年数 blank (0): expected amount 400.00, expected benefit start **2026-05-01** (2026-01-01 + 3 months fixed + 1 month); 实缴 400 → no AMOUNT_MISMATCH; 待遇开始日期 blank → no START_MISMATCH.",
    ]
    E["HL-14"] = ["R5: **not** listed (elsewhere.csv: 在外地上学, 年度 2026)."]
    E["HL-15"] = [
        "Paid 200 as 低收入人口 = low_income tier → no output in R2/R4/R5. R9: medical_assistance 200.00, settled, county 150726.",
    ]
    E["HL-16"] = ["No output (ordinary paid 2025-12-20 16:45:10, i.e. inside the period; 2024/2025 covered). No persons.csv row."]
    # ---- appended cases ----
    y0 = dt.date(2026, 1, 1)
    assert add_months(y0, 3 + max(4 - 2, 3)) == dt.date(2026, 7, 1)
    assert add_months(y0, 3 + 1) == dt.date(2026, 5, 1)
    assert add_months(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)
    assert add_months(dt.date(2026, 1, 8), 3) == dt.date(2026, 4, 8)
    E["HL-17"] = [
        "Edge. R6: listed for %s — paid 2025-11-20, not late; history: 2025 (%s) and 2024 (%s) registered but unpaid (实缴 blank) → uncovered, 2023 and 2022 no row → uncovered, 2021 (%s) paid → covered: **gap 4**. 修复年数 2 → max(0, 4 − 2) = 2 months, but after a gap of ≥ 4 years at least 3 variable months remain → **3**. Expected amount 400.00; expected start **2026-07-01** (2026-01-01 + 3 fixed + 3 variable months). Recorded 待遇开始日期 2026-07-01 → no START_MISMATCH (without the ≥ 4-year floor one would get 2026-06-01 and a false mismatch); 实缴 400 → no AMOUNT_MISMATCH." % (l("enrollment.csv", "HL-17", "2026"), l("enrollment.csv", "HL-17", "2025"), l("enrollment.csv", "HL-17", "2024"), l("enrollment.csv", "HL-17", "2021")),
        "No refund, R4, R5 or R9 subsidy (no identity). Fiscal: 150725 (tier 1).",
    ]
    E["HL-18"] = [
        "R6: listed for %s — not late (paid 2025-12-01), gap 1 (no 2025 row; 2024 covered), 修复年数 blank (0): expected amount 400.00, expected start **2026-05-01**; recorded 待遇开始日期 2026-04-01 → **START_MISMATCH**; 实缴 400 → no AMOUNT_MISMATCH." % l("enrollment.csv", "HL-18", "2026"),
        "Fiscal: 150724 (tier 1).",
    ]
    E["HL-19"] = [
        "R6: listed for %s — **late** (paid 2026-01-15 > C1 2025-12-31), gap 0 (2025 and 2024 covered): expected amount **400.00** (band 2026), expected start **2026-04-15** (+3 months fixed) = recorded 待遇开始日期 → no mismatch." % l("enrollment.csv", "HL-19", "2026"),
        "Fiscal: 150703 扎赉诺尔区 (tier 2).",
    ]
    E["HL-20"] = [
        "R6: listed for %s — **late** (paid 2026-01-08); no enrollment row before 2026 at all → gap 0, note **NO_HISTORY**; expected amount 400.00, expected start **2026-04-08**; 待遇开始日期 blank → no START_MISMATCH." % l("enrollment.csv", "HL-20", "2026"),
        "Fiscal: 150727 新巴尔虎右旗 (tier 1).",
    ]
    E["HL-21"] = [
        "Paid exactly 200 on 2025-10-20 rated 一级残疾; 一级 certificate %s issued 2023-06-01 → best over w = disabled_g1 (200: 残联 100 + 医疗救助 100) = paid → no refund, no R4/R5/conflict. R6: exempt (subsidised identity at d)." % l("disability.csv", "HL-21"),
        "R9: disabled_g1, 残联 (disability_federation) **100.00** + medical_assistance **100.00**, **settled**, county 150723. R8: not in the rural group (disability only); overall 150723 covered. Fiscal: 150723 (tier 2).",
    ]
    E["HL-22"] = [
        "R2: refund HARDSHIP_DIFF **200.00**, mode **review** (status review), for %s — 低保 held since 2024-04-01 (%s, 150785001 → 150785), i.e. already on the payment day 2025-10-15; paid the ordinary 400." % (l("enrollment.csv", "HL-22", "2026"), l("civil.csv", "HL-22")),
        "R9: dibao, medical_assistance **200.00**, **pending_review** (only a review refund brings the row down to the tier), county 150785. R6: exempt. R8: rural 150785 covered; overall covered. Fiscal: 150785 (tier 3, with HL-16 → 2 persons).",
    ]
    E["HL-23"] = [
        "Only in persons.csv (%s): 常住 150781, 户籍 150702, ID prefix 150702 → R8 `overall` counts them in **150781** (常住区划代码), not covered. No identity → not in R5." % l("persons.csv", "HL-23"),
    ]
    E["HL-24"] = [
        "Only in persons.csv (%s), alive, no enrollment → R8 `overall` base in 150702, not covered. No identity → not in R5." % l("persons.csv", "HL-24"),
    ]
    E["HL-25"] = [
        "Edge. persons.csv 死亡日期 **2026-01-20** (%s): dead at T → **excluded** from the R8 `overall` base (and so not counted as covered, although %s is paid)." % (l("persons.csv", "HL-25"), l("enrollment.csv", "HL-25", "2026")),
        "Death is not before 2026-01-01 → no DECEASED refund (which in Hulunbuir would only be listed for review); no other refund. Fiscal: counted (paid 2026 row that R3 does not refund) in 150702 → 2 persons there with HL-01.",
    ]
    return E


def reject_lines(R):
    out = []
    for f in R["files"]:
        for i, (row, tag) in enumerate(zip(f.rows, f.tags)):
            if tag[2]:
                reason, col = tag[2]
                out.append((f.name, i + 2, col, row.get(col, ""), row.get("姓名", ""),
                            row.get("身份证号") or row.get("残疾人证号", ""), reason, tag[0]))
    return sorted(out)


def case_md(R, E, intro):
    P = R["P"]
    md = [intro]
    md.append("| file | encoding | line ending | data rows | rejected | merged duplicates |")
    md.append("|---|---|---|---|---|---|")
    for f in R["files"]:
        rej = sum(1 for t in f.tags if t[2])
        dup = sum(1 for t in f.tags if t[3])
        enc = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "gbk": "GBK",
               "gb18030": "GB18030"}[f.encoding]
        md.append("| `%s/%s` | %s | %s | %d | %d | %d |" % (
            R["key"], f.name, enc, "CRLF" if f.newline == "\r\n" else "LF",
            len(f.rows), rej, dup))
    md.append("")
    md.append("Column order: " + "; ".join("`%s`: %s" % (f.name, ",".join(f.header))
                                           for f in R["files"]))
    md.append("")
    for case, p in P.items():
        if case.startswith(("NX-R", "HL-R")):
            continue
        md.append("### %s — %s — `%s`" % (case, p.name, p.id))
        md.append("")
        md.append("*%s.* Born %s." % (p.title, birth_of(p.id).isoformat()))
        md.append("")
        md.append("- Rows:")
        md.extend(loc(R, case) or ["  - (none)"])
        md.append("- Expected:")
        for x in E.get(case, []):
            md.append("  - " + x)
        md.append("")
    md.append("### Rejects (rejects.csv, sorted by file then line)")
    md.append("")
    md.append("| file | line | column | raw value | 姓名 | 身份证号 as written | reason | case |")
    md.append("|---|---|---|---|---|---|---|---|")
    for fn, line, col, raw, name, idw, reason, case in reject_lines(R):
        md.append("| `%s/%s` | %d | %s | `%s` | %s | `%s` | **%s** | %s |" % (
            R["key"], fn, line, col, raw, name, idw, reason, case))
    md.append("")
    return md


def main():
    nx = build_ningxia()
    hl = build_hulunbuir()
    for R in (nx, hl):
        verify(R)
    written = []
    for R in (nx, hl):
        for f in R["files"]:
            data = f.write()
            written.append((R["key"] + "/" + f.name, len(data)))
    # the GB18030 file really needs GB18030, the GBK one really is GBK
    assert "䶮".encode("gb18030")
    try:
        "䶮".encode("gbk")
        raise AssertionError("䶮 should not be GBK-encodable")
    except UnicodeEncodeError:
        pass

    E_nx = expectations_ningxia(nx)
    E_hl = expectations_hulunbuir(hl)
    for R, E in ((nx, E_nx), (hl, E_hl)):
        missing = [c for c in R["P"] if not c.startswith(("NX-R", "HL-R")) and c not in E]
        assert not missing, missing

    md = []
    md.append("# Sample data cases")
    md.append("")
    md.append("Generated by `sample_data/make_sample.py` — edit the script, not this file. "
              "Line numbers: header = line 1, first data row = line 2. Amounts in yuan. "
              "身份证号 below are the canonical 18-character form (what reports print and "
              "what tests should key on), even where a file writes a variant.")
    md.append("")
    md.append("Notes for test writers:")
    md.append("")
    md.append("- The reject *reason*, file and line are the contract. The *column* shown for "
              "DATE_ORDER (退出日期/风险消除日期, the end date) and DISABILITY_CERT_MISMATCH "
              "(the text column that disagrees with the certificate digit) is the natural "
              "choice but SPEC does not pin it down.")
    md.append("- Payer codes: SPEC names `medical_assistance` (医疗救助基金); the 残联 payer's "
              "code is whatever the Hulunbuir policy file calls it.")
    md.append("- R8 coverage (both regions) and the Hulunbuir fiscal ledger are enumerated after "
              "each region's whole-run expectations; the script cross-checks those hand-written "
              "tables against a small reference computation of SPEC R8/R9 before writing them.")
    md.append("- R6 and R7 are listed only where a case triggers them; every other paid "
              "person was built so that they do not (history covered, county consistent).")
    md.append("")
    md.append("Run examples (both as-of 2026-01-31):")
    md.append("")
    md.append("```")
    md.append("yibao-recon run --policy policies/ningxia-2026.toml --as-of 2026-01-31 \\")
    md.append("  --enrollment sample_data/ningxia/enrollment.csv --persons sample_data/ningxia/persons.csv \\")
    md.append("  --civil sample_data/ningxia/civil.csv --agri sample_data/ningxia/agri.csv \\")
    md.append("  --disability sample_data/ningxia/disability.csv --veterans sample_data/ningxia/veterans.csv \\")
    md.append("  --elsewhere sample_data/ningxia/elsewhere.csv --out <dir>")
    md.append("yibao-recon run --policy policies/hulunbuir-2026.toml --as-of 2026-01-31 \\")
    md.append("  --enrollment sample_data/hulunbuir/enrollment.csv --persons sample_data/hulunbuir/persons.csv \\")
    md.append("  --civil sample_data/hulunbuir/civil.csv --agri sample_data/hulunbuir/agri.csv \\")
    md.append("  --disability sample_data/hulunbuir/disability.csv --elsewhere sample_data/hulunbuir/elsewhere.csv --out <dir>")
    md.append("```")
    md.append("")

    md += case_md(nx, E_nx, "## Ningxia 640000 (`sample_data/ningxia/`), T = 2026-01-31, Y = 2026, "
                  "C = 2025-10-29 … 2025-12-31\n")
    md += NX_TOTALS.splitlines() + [""]
    md += coverage_md(nx, NX_COVERAGE)
    md += case_md(hl, E_hl, "## Hulunbuir 150700 (`sample_data/hulunbuir/`), T = 2026-01-31, Y = 2026, "
                  "C = 2025-09-22 … 2025-12-31\n")
    md += HL_TOTALS.splitlines() + [""]
    md += coverage_md(hl, HL_COVERAGE)
    md += fiscal_md(hl, HL_FISCAL)
    with open(os.path.join(HERE, "CASES.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(md))
    for name, size in written:
        print("wrote sample_data/%s (%d bytes)" % (name, size))
    print("wrote sample_data/CASES.md")


NX_TOTALS = """### Ningxia — whole-run expectations

- **refunds.csv**: 10 rows, total **3,600.00** (payable 2,400.00, expired 1,200.00):
  - HARDSHIP_DIFF / auto / payable (2,000.00): NX-E1 320.00, NX-E2 400.00, NX-14 320.00, NX-15 320.00, NX-19a 320.00, NX-19b 320.00.
  - DECEASED / payable / deadline 2026-06-30: NX-28 400.00.
  - DUPLICATE / expired / deadline 2025-12-31: NX-30 400.00 (the 640105 row), NX-31 400.00 (the 640106 row).
  - JOINED_EMPLOYEE / expired / deadline 2025-12-31: NX-32 400.00.
  - Not refunded: NX-29 (died 2026-01-01), NX-33 (310 row 暂停), the kept rows of NX-30 and NX-31.
- **rerating.csv**: 4 rows: NX-E4 +320.00 (→ ordinary 400), NX-E6 +140.00 (→ poverty_alleviated 220), NX-18 −280.00 (→ disabled_g3 120), NX-19c −320.00 (→ youfu 80). Not NX-07 (same amount and payer).
- **missing_enrollment.csv**: 8 rows: NX-E5 0.00 未登记 open; NX-E6 220.00 登记未缴费 open; NX-07 80.00 登记未缴费 open; NX-08 400.00 未登记 not open; NX-12 400.00 newborn 未登记 open; NX-18 120.00 登记未缴费 open; NX-19c 80.00 登记未缴费 open; NX-19d 0.00 未登记 open. Not listed: NX-E4 (exited), NX-09 (dead), NX-10 (elsewhere), NX-11 (310), NX-13 (not a newborn), NX-23 (covered), NX-36/NX-37/NX-38 (paid), NX-39 (newborn, paid).
- **late_payment.csv**: 3 rows: NX-E3 (start 2026-04-10), NX-34 (start 2026-04-05, no flag), NX-35 (start 2026-04-20, AMOUNT_MISMATCH expected 400.00). Not NX-36 (低保 at d), NX-39 (newborn in window), NX-22 (paid on C1).
- **transfers.csv**: 2 rows: NX-27 (640122 → 640104), NX-38 (640205 → 640221). Not NX-37 (9-digit 640104001 = 640104), NX-E1 (12-digit), NX-07 (9-digit).
- **conflicts.csv**: 4 rows: NAME_MISMATCH (NX-15), UNKNOWN_RATING (NX-16), UNSUPPORTED_RATING (NX-17), UNSUPPORTED_RATING (NX-35).
- **rejects.csv**: 12 rows (table above). Merged duplicates: 1 (civil.csv). Future-year rows ignored: 1 (enrollment.csv, NX-20, 2027).
- Subsidy (R9), all payer medical_assistance, all settled: 640104: NX-E1 320, NX-14 320, NX-25 400, NX-27 320, NX-37 320; 640105: NX-E2 400; 640106: NX-24 400; 640221: NX-19a 320, NX-38 320; 640302: NX-15 320; 640381: NX-36 320; 640402: NX-26 180; 640502: NX-19b 320 — total 4,260.00.
- No fiscal_ledger.csv (the Ningxia policy has no fiscal split).
"""

HL_TOTALS = """### Hulunbuir — whole-run expectations

- **refunds.csv**: 2 rows, both HARDSHIP_DIFF, mode review (status review), total 400.00: HL-01 200.00, HL-22 200.00. No R3 refunds (HL-10's copy is merged, not a DUPLICATE; HL-25 died after 2026-01-01).
- **rerating.csv**: 3 rows: HL-02 −200.00 (→ dibao 200), HL-03 0.00 (→ dibao 200, payer set change), HL-07 +200.00 (→ ordinary 400).
- **missing_enrollment.csv**: 5 rows: HL-02 200.00 登记未缴费 not open; HL-03 200.00 登记未缴费 not open; HL-04 0.00 未登记 not open; HL-05 0.00 未登记 open; HL-09 400.00 newborn 未登记 open. Not listed: HL-07 (ended), HL-14 (elsewhere), HL-23/HL-24 (no identity), HL-25 (dead, no identity).
- **late_payment.csv**: 5 rows: HL-13 (gap 1, start 2026-05-01), HL-17 (gap 4, 修复 2, start 2026-07-01), HL-18 (gap 1, start 2026-05-01, START_MISMATCH), HL-19 (late, gap 0, start 2026-04-15), HL-20 (late, NO_HISTORY, start 2026-04-08). Not HL-21/HL-22 (subsidised at d), HL-15 (2025 covered → gap 0).
- **transfers.csv**: none. **conflicts.csv**: none.
- **rejects.csv**: 4 rows (table above). Merged duplicates: 1 (enrollment.csv).
- Subsidy (R9): HL-01 medical_assistance 200.00 pending_review (150702); HL-06 medical_assistance 200.00 settled (150722); HL-11 残联 (disabled persons' federation; payer code as the policy names it) 100.00 + medical_assistance 100.00 settled (150782); HL-15 medical_assistance 200.00 settled (150726); HL-21 残联 100.00 + medical_assistance 100.00 settled (150723); HL-22 medical_assistance 200.00 pending_review (150785).
- Fiscal ledger: 16 persons with a paid 2026 390 row that R3 does not refund (each counted once; HL-10's merged copy adds nobody), in every one of the 14 policy counties (table below). Per person: 700.00 = central 560.00 + region 98.00 + local 42.00 (tier 1: city 12.60 / banner 29.40; tier 2: 21.00 / 21.00; tier 3: 29.40 / 12.60; untiered 150781: 42.00 not split); advance = 60% of each (per person 420.00 = 336.00 + 58.80 + 25.20; tier 1 7.56 / 17.64; tier 2 12.60 / 12.60; tier 3 17.64 / 7.56; untiered 25.20).
"""

# Hand-counted R8 tables, {group: {county: (base, covered)}} — main() asserts the
# reference computation above agrees before CASES.md is written.
NX_COVERAGE = {
    "low_income_and_alleviated": {
        "640104": (3, 3),   # NX-E1, NX-14, NX-37
        "640105": (1, 1),   # NX-E2 (best = disabled_g2, same county)
        "640106": (1, 1),   # NX-E3 (低保 from 2026-01-15, paid late)
        "640122": (2, 1),   # NX-07 unpaid; NX-27 paid (in 640104)
        "640181": (1, 1),   # NX-10 elsewhere
        "640202": (1, 1),   # NX-11 active 310
        "640205": (1, 1),   # NX-38 (best identity's county)
        "640221": (1, 1),   # NX-19a
        "640302": (1, 1),   # NX-15
        "640324": (1, 0),   # NX-E5
        "640381": (1, 1),   # NX-36
        "640402": (2, 1),   # NX-08 not covered; NX-26 paid
        "640422": (1, 0),   # NX-19d
        "640502": (1, 1),   # NX-19b
        "640522": (1, 0),   # NX-E6 (poverty_alleviated after 风险消除), unpaid
    },
    "newborn": {
        "640105": (1, 0),   # NX-12
        "640181": (1, 1),   # NX-39 (183 days, paid)
    },
}
HL_COVERAGE = {
    "overall": {
        "150702": (4, 2),   # HL-01 c, HL-02, HL-14 c (elsewhere), HL-24; HL-25 dead
        "150703": (1, 1),   # HL-19
        "150721": (2, 1),   # HL-07 (unpaid), HL-10 c
        "150722": (1, 1),   # HL-06
        "150723": (2, 1),   # HL-03 (unpaid), HL-21 c
        "150724": (2, 1),   # HL-04, HL-18 c
        "150725": (2, 1),   # HL-05, HL-17 c
        "150726": (1, 1),   # HL-15
        "150727": (1, 1),   # HL-20
        "150781": (2, 1),   # HL-08 c, HL-23 (常住 150781)
        "150782": (1, 1),   # HL-11
        "150783": (2, 1),   # HL-09 newborn, HL-12 c
        "150784": (1, 1),   # HL-13
        "150785": (1, 1),   # HL-22 (HL-16 has no persons row)
    },
    "rural_low_income_and_alleviated": {
        "150702": (3, 2),   # HL-01 c, HL-02 (best dibao by tie order), HL-14 c
        "150722": (1, 1),   # HL-06
        "150723": (1, 0),   # HL-03
        "150724": (1, 0),   # HL-04
        "150725": (1, 0),   # HL-05 (recognised 2026-01-10)
        "150726": (1, 1),   # HL-15
        "150785": (1, 1),   # HL-22
    },
}
HL_FISCAL = {   # persons with a paid 2026 390 row, by 参保区划代码
    "150702": 2,  # HL-01, HL-25
    "150703": 1,  # HL-19
    "150721": 1,  # HL-10 (once)
    "150722": 1,  # HL-06
    "150723": 1,  # HL-21
    "150724": 1,  # HL-18
    "150725": 1,  # HL-17
    "150726": 1,  # HL-15
    "150727": 1,  # HL-20
    "150781": 1,  # HL-08 (untiered)
    "150782": 1,  # HL-11
    "150783": 1,  # HL-12
    "150784": 1,  # HL-13
    "150785": 2,  # HL-16, HL-22
}


if __name__ == "__main__":
    main()
