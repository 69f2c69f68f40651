#!/usr/bin/env python3
"""Write the corpus of hostile input files (tests/corpus/*) that
tests/hostile.rs feeds to `yibao-recon run` as a civil-affairs export.

    python3 tests/corpus/make_corpus.py

Standard library only, deterministic. Large cases (10 000 columns, a
16 MiB single line, broken workbooks) are made by the test itself, so the
repository stays small. README.md beside this script says what each file is.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期,状态"
GOOD = [
    "马秀兰,640104197003121222,低保对象,2025-11-20,640104,,正常",
    "李建军,640105196507081318,低保对象,2025-12-01,640105,,正常",
    "刘桂花,640122197209301627,低保对象,2024-03-01,640122,,正常",
]


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def utf8(lines, end="\n"):
    return (end.join(lines) + end).encode("utf-8")


write("empty.csv", b"")
write("bom-only.csv", b"\xef\xbb\xbf")
write("header-only.csv", utf8([HEADER]))
write("blank-lines-only.csv", utf8([HEADER, ",,,,,,", "", ",,,,,,"]))
# The last row cut in the middle of a field (a download that stopped).
body = utf8([HEADER] + GOOD)
write("truncated.csv", body[: len(body) - 25])
# A quote that never closes: the rest of the file is one field.
write("unterminated-quote.csv", utf8([HEADER, GOOD[0], '"张三,640104197003121222,低保对象,2025-11-20,640104,,正常', GOOD[1]]))
# NUL bytes inside fields, and a row of NULs.
write("nul-bytes.csv", utf8([HEADER, GOOD[0].replace("马秀兰", "马\x00秀兰"), "\x00\x00\x00,\x00,\x00,\x00,\x00,,", GOOD[1].replace("640105196507081318", "6401051965\x0007081318")]))
# UTF-16LE without a BOM (the sniffer sees neither UTF-8 nor a BOM).
write("utf16le-no-bom.csv", ("\r\n".join([HEADER] + GOOD) + "\r\n").encode("utf-16-le"))
# UTF-16LE with a BOM, tab-separated (Excel's "Unicode text"): readable.
write("utf16le-bom-tabs.csv", b"\xff\xfe" + ("\r\n".join([HEADER.replace(",", "\t")] + [g.replace(",", "\t") for g in GOOD]) + "\r\n").encode("utf-16-le"))
# Shift_JIS and Latin-1: wrong encodings for a Chinese export.
write("shift-jis.csv", ("\n".join(["氏名,番号", "山田,1"]) + "\n").encode("shift_jis"))
write("latin1.csv", ("\n".join([HEADER.encode("utf-8").decode("latin-1")] + ["Müller,640104197003121222,dibao,2025-11-20,640104,,"]) + "\n").encode("latin-1"))
# Cells a spreadsheet would run as formulas.
write("formula-injection.csv", utf8([
    HEADER,
    '"=HYPERLINK(""http://example.invalid"",""点我"")",640104197003121222,低保对象,2025-11-20,640104,,正常',
    "+cmd|' /C calc'!A0,640105196507081318,低保对象,2025-12-01,640105,,正常",
    "-2+3,640122197209301627,=1+1,2024-03-01,640122,,正常",
    "@SUM(A1:A9),640121196811112115,低保对象,@2024-03-01,640121,,正常",
]))
# Rows with more and fewer fields than the header.
write("ragged.csv", utf8([HEADER, GOOD[0] + ",extra,more", "马秀兰,640104197003121222", GOOD[1]]))
# \r, \n and \r\n mixed.
write("mixed-line-ends.csv", (HEADER + "\r" + GOOD[0] + "\n" + GOOD[1] + "\r\n" + GOOD[2] + "\r").encode("utf-8"))
# Not a table at all.
write("binary.csv", bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes((i * 37 + 11) % 256 for i in range(2048)))
# An old .xls (OLE compound file signature) and a ZIP that is no workbook.
write("old-excel.xls", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\x00" * 504)
write("not-a-workbook.xlsx", b"PK\x03\x04" + b"\x14\x00\x00\x00" + b"garbage" * 40)
# A header missing a required column (救助类别).
write("missing-column.csv", utf8(["姓名,身份证号,认定日期,行政区划代码"] + ["马秀兰,640104197003121222,2025-11-20,640104"]))
# Issue 10: exports as department systems write them.
# Title lines, a 填报单位 line and a blank line above the header.
write("title-rows.csv", utf8(["宁夏回族自治区2026年1月城乡低保对象花名册,,,,,,", "填报单位：兴庆区民政局　填报日期：2026-01-31,,,,,,", ""] + [HEADER] + GOOD))
# A two-row header: group cells above, 姓名 merged over both rows.
write("two-row-header.csv", utf8(["姓名,基本信息,,救助信息,,,", "," + HEADER.split(",", 1)[1]] + GOOD))
# Totals and notes at the end.
write("totals-notes.csv", utf8([HEADER] + GOOD + ["合计,,,,,,", "共3人,,,,,,", "备注：本表由兴庆区民政局提供,,,,,,", "制表人：张三,审核人：李四,,,,,"]))
# A 序号 column, a row with only its number, an empty line.
write("ordinal-blank-rows.csv", utf8(["序号," + HEADER, "1," + GOOD[0], "2,,,,,,,", "", "3," + GOOD[1], "4," + GOOD[2]]))
# One stray quote in the middle: only that row is lost.
write("stray-quote.csv", utf8([HEADER, GOOD[0], '"马小红,640121196811112115,低保对象,2025-11-20,640121,,正常', GOOD[1], GOOD[2]]))
# No header at all: the error shows the first lines with IDs masked.
write("header-less.csv", utf8(GOOD))
# Text after an ID (a character boundary inside the 18th–20th bytes).
write("id-text-suffix.csv", utf8([HEADER, GOOD[0], "李建军,640105196507081318视力,低保对象,2025-12-01,640105,,正常"]))
# An ID Excel saved in scientific notation.
write("sci-notation-id.csv", utf8([HEADER, GOOD[0], "李建军,6.40105E+17,低保对象,2025-12-01,640105,,正常"]))
