-- DuckDB peer of yibao-recon's core rules, for `make bench` (bench/run_bench.py).
--
-- It answers the same three questions as the tool's R2, R4 and R5 (with R1's
-- tier choice inside them) over the same CSV files, in plain SQL:
--   refunds  — paid 390 rows for Y: the best (lowest) personal amount held over
--              the pricing window w = [d, max(d, C1)]; refund paid − best when
--              below what was paid (R2 HARDSHIP_DIFF);
--   rerating — unpaid 390 rows for Y whose 应缴金额 differs from the amount at
--              the as-of date T (R1 at T, then R4);
--   missing  — persons holding an identity at T, alive, not covered for Y by a
--              paid 390 row, an active 310 row or the elsewhere list (R5).
--
-- It is deliberately the *core* only, so it is a lower bound on the work:
-- no GB 11643 checksum/birth-date/region checks and no reject list, no
-- byte-identical duplicate merging, no name conflicts, no newborn, dynamic or
-- late-payment exemptions, no payer-set comparison, no R3/R6–R9, no
-- justification columns, no XLSX/HTML. Texts are matched after trim() only.
--
-- The GBK civil roster cannot be read by DuckDB's CSV reader (UTF-8 only), so
-- run_bench.py converts it once to a cached UTF-8 copy
-- (bench-data/<N>/peer/civil.utf8.csv); that conversion is not timed.
--
-- The dollar-brace placeholders are filled in by run_bench.py from the policy
-- file and schemas/*.toml, so no policy number lives here.

SET temp_directory = '${TMP}';
SET preserve_insertion_order = false;
SET enable_progress_bar = false;

-- Dates in every form the exports use; month-only forms mean the 1st.
CREATE MACRO pdate(s) AS
    try_strptime(split_part(trim(s), ' ', 1),
                 ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y年%m月%d日', '%Y%m', '%Y-%m'])::DATE;
-- Yuan text → integer fen (never floats).
CREATE MACRO fen(s) AS
    CAST(try_cast(regexp_replace(trim(s), '[,，￥¥元 ]', '', 'g') AS DECIMAL(18, 2)) * 100 AS BIGINT);
CREATE MACRO nid(s) AS upper(trim(s));

-- Category texts (schemas/categories.toml + policy aliases) → code.
CREATE TABLE cat_text(text VARCHAR, code VARCHAR);
INSERT INTO cat_text VALUES ${CAT_TEXTS};
-- Tiered categories: personal amount (fen) and tie order (policy tier order).
CREATE TABLE tier(code VARCHAR, personal BIGINT, ord INTEGER);
INSERT INTO tier VALUES ${TIERS};
-- Disability grade digit → category code.
CREATE TABLE grade(digit VARCHAR, code VARCHAR);
INSERT INTO grade VALUES ${GRADES};
-- Agriculture rule: what a record becomes from its 风险消除日期 on.
CREATE TABLE after_clear(code VARCHAR, becomes VARCHAR);
INSERT INTO after_clear VALUES ${AFTER_CLEAR};

-- Every identity as a half-open interval [s, e) with its county (6 digits).
CREATE TABLE ident AS
WITH civil AS (
    SELECT nid("身份证号") AS id, t.code, pdate("认定日期") AS s, pdate("退出日期") AS e,
           left(trim("行政区划代码"), 6) AS county
    FROM read_csv('${CIVIL}', all_varchar = true, header = true) c
    JOIN cat_text t ON t.text = trim(c."救助类别")
), agri AS (
    SELECT nid("身份证号") AS id, t.code, pdate("识别日期") AS s, pdate("风险消除日期") AS clear,
           left(trim("行政区划代码"), 6) AS county
    FROM read_csv('${AGRI}', all_varchar = true, header = true) a
    JOIN cat_text t ON t.text = trim(a."人员类别")
), agri_spans AS (
    SELECT id, code, s, clear AS e, county FROM agri
    UNION ALL  -- e.g. 脱贫不稳定 → 已脱贫 from the day the risk is cleared
    SELECT a.id, c.becomes, a.clear, NULL, a.county
    FROM agri a JOIN after_clear c ON c.code = a.code
    WHERE a.clear IS NOT NULL
), disability AS (
    -- 残疾人证号 = ID (18) + kind digit + grade digit [+ B1…]
    SELECT nid(left(trim("残疾人证号"), 18)) AS id, g.code, pdate("发证日期") AS s,
           pdate("有效期至") AS e, left(trim("行政区划代码"), 6) AS county
    FROM read_csv('${DISABILITY}', all_varchar = true, header = true) d
    JOIN grade g ON g.digit = substr(trim(d."残疾人证号"), 20, 1)
), veterans AS (
    SELECT nid("身份证号") AS id, t.code, pdate("认定日期") AS s, pdate("退出日期") AS e,
           left(trim("行政区划代码"), 6) AS county
    FROM read_csv('${VETERANS}', all_varchar = true, header = true) v
    JOIN cat_text t ON t.text = trim(v."优抚类别")
)
SELECT * FROM (
    SELECT * FROM civil UNION ALL SELECT * FROM agri_spans
    UNION ALL SELECT * FROM disability UNION ALL SELECT * FROM veterans
)
WHERE length(id) = 18 AND s IS NOT NULL AND (e IS NULL OR e > s);

-- The policy year's ledger rows (history years are not needed for R2/R4/R5).
CREATE TABLE enr AS
SELECT nid("身份证号") AS id,
       CASE WHEN trim("险种类型") IN (${RESIDENT}) THEN 390
            WHEN trim("险种类型") IN (${EMPLOYEE}) THEN 310 END AS scheme,
       trim("参保状态") IN (${ACTIVE}) AS active,
       fen("应缴金额") AS due, fen("实缴金额") AS paid, pdate("缴费日期") AS d,
       left(trim("参保区划代码"), 6) AS county
FROM read_csv('${ENROLLMENT}', all_varchar = true, header = true)
WHERE try_cast(trim("参保年度") AS INTEGER) = ${YEAR} AND length(trim("身份证号")) = 18;

-- SPEC §4 "paid": 实缴 ≥ 应缴 > 0, or 应缴 = 0 and 参保缴费.
CREATE TABLE enr_paid AS
SELECT rowid AS rid, *,
       coalesce((paid >= due AND due > 0) OR (due = 0 AND active), false) AS is_paid
FROM enr;

-- R1 at T: the best tiered identity each person holds on the as-of date.
CREATE TABLE at_t AS
SELECT i.id, min(t.personal) AS personal, arg_min(i.code, t.personal * 1000 + t.ord) AS code,
       min(i.county) AS county
FROM ident i JOIN tier t ON t.code = i.code
WHERE i.s <= DATE '${AS_OF}' AND (i.e IS NULL OR i.e > DATE '${AS_OF}')
GROUP BY i.id;

-- R2: refunds of paid 390 rows, priced over w = [d, max(d, C1)] (blank d → C1).
CREATE TABLE refunds AS
WITH w AS (
    SELECT rid, id, county, paid, coalesce(d, DATE '${C1}') AS a,
           greatest(coalesce(d, DATE '${C1}'), DATE '${C1}') AS b
    FROM enr_paid WHERE scheme = 390 AND is_paid
)
SELECT w.county, w.id, w.paid, w.a AS paid_on,
       arg_min(i.code, t.personal * 1000 + t.ord) AS category,
       min(t.personal) AS personal, w.paid - min(t.personal) AS refund
FROM w
JOIN ident i ON i.id = w.id AND i.s <= w.b AND (i.e IS NULL OR i.e > w.a)
JOIN tier t ON t.code = i.code
GROUP BY w.rid, w.county, w.id, w.paid, w.a
HAVING min(t.personal) < w.paid;

-- R4: unpaid 390 rows whose due differs from the amount at T (no identity at
-- T → the ordinary amount, or the late band covering T: ${ORDINARY_AT_T} fen).
CREATE TABLE rerating AS
SELECT u.county, u.id, u.due, coalesce(a.code, 'ordinary') AS new_category,
       coalesce(a.personal, ${ORDINARY_AT_T}) AS new_due,
       coalesce(a.personal, ${ORDINARY_AT_T}) - u.due AS difference
FROM enr_paid u LEFT JOIN at_t a ON a.id = u.id
WHERE u.scheme = 390 AND NOT u.is_paid AND u.due IS NOT NULL
  AND u.due <> coalesce(a.personal, ${ORDINARY_AT_T});

-- R5: an identity at T (tiered or not), alive, not covered for Y.
CREATE TABLE missing AS
WITH held AS (
    SELECT id, min(county) AS county FROM ident
    WHERE s <= DATE '${AS_OF}' AND (e IS NULL OR e > DATE '${AS_OF}')
    GROUP BY id
), covered AS (
    SELECT id FROM enr_paid WHERE (scheme = 390 AND is_paid) OR (scheme = 310 AND active)
    UNION
    SELECT nid("身份证号") FROM read_csv('${ELSEWHERE}', all_varchar = true, header = true)
), dead AS (
    SELECT nid("身份证号") AS id
    FROM read_csv('${PERSONS}', all_varchar = true, header = true)
    WHERE pdate("死亡日期") <= DATE '${AS_OF}'
)
SELECT coalesce(a.county, h.county) AS county, h.id,
       coalesce(a.code, 'ordinary') AS category, coalesce(a.personal, ${ORDINARY_AT_T}) AS due
FROM held h
ANTI JOIN covered c ON c.id = h.id
ANTI JOIN dead x ON x.id = h.id
LEFT JOIN at_t a ON a.id = h.id;

-- Written out like the tool's lists (sorted by county, then ID).
COPY (SELECT * FROM refunds ORDER BY county, id) TO '${OUT}/refunds.csv' (HEADER);
COPY (SELECT * FROM rerating ORDER BY county, id) TO '${OUT}/rerating.csv' (HEADER);
COPY (SELECT * FROM missing ORDER BY county, id) TO '${OUT}/missing.csv' (HEADER);
