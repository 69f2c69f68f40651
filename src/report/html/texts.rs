//! The dashboard's words: each report's Chinese name and next step, each reject
//! reason and conflict code in Chinese with what to do about it.

/// What each report is and what the clerk does with it.
pub(super) fn describe(file: &str) -> (&'static str, &'static str) {
    match file {
        "refunds.csv" => (
            "退费名单",
            "可退费行交税务部门办理退费；待复核行先人工确认；已过期限行不再受理",
        ),
        "rerating.csv" => (
            "重新核定名单",
            "在参保系统中按新核定类别和新应缴金额更正未缴费记录",
        ),
        "missing_enrollment.csv" => ("应参未参名单", "交乡镇街道、村社区逐人动员参保（促保名单）"),
        "transfers.csv" => (
            "转移接续名单",
            "与参保地医保局核实，必要时办理转移或更正认定地",
        ),
        "late_payment.csv" => (
            "补缴及等待期核查",
            "核对金额不符、待遇开始日期不符的记录并更正",
        ),
        "coverage.csv" => ("参保率", "未达标区县见下方参保率图表"),
        "subsidy_detail.csv" => ("资助明细", "逐人资助金额，供资助方核对"),
        "subsidy_ledger.csv" => ("资助台账", "按区县×资助方汇总，报各资助方结算"),
        "fiscal_ledger.csv" => ("财政补助分担", "按区县、各级财政分担，报财政部门"),
        "rejects.csv" => ("拒收清单", "按原因退回来源部门更正后重新导出，下月重跑"),
        "conflicts.csv" => ("待核实清单", "逐条人工核实，必要时更正来源数据"),
        "changes.csv" => (
            "变动清单",
            "与上次对账相比新增、已解决、已退费和有变化的条目；新增的逐条办理",
        ),
        _ => ("", ""),
    }
}

/// A reject reason in Chinese, and what to do about it.
pub(crate) fn reject_text(code: &str) -> (&'static str, &'static str) {
    match code {
        "ID_LENGTH" => (
            "身份证号位数或字符不对",
            "核对原始证件，补全为 18 位（末位可为 X）后由来源部门重新导出",
        ),
        "ID_CHECKSUM" => (
            "身份证号校验位不符",
            "多为某一位录入错误；XLSX 导出时注意 Excel 只保留 15 位有效数字",
        ),
        "ID_BIRTHDATE" => (
            "身份证号中的出生日期不存在",
            "核对证件第 7–14 位出生日期，更正后重新导出",
        ),
        "ID_REGION" => ("身份证号省级代码不存在", "核对证件前两位，更正录入错误"),
        "MISSING_FIELD" => ("必填项为空", "请来源部门补全该列后重新导出"),
        "BAD_DATE" => ("日期无法识别", "改为 2026-01-31 或 20260131 等格式"),
        "BAD_AMOUNT" => ("金额无法识别", "改为 400 或 400.00 等格式，不能为负"),
        "UNKNOWN_CATEGORY" => (
            "身份类别文字无法识别",
            "改用标准名称，或在政策文件中增加别名",
        ),
        "DATE_ORDER" => ("终止日期早于起始日期", "核对认定日期与退出日期"),
        "DISABILITY_CERT_MISMATCH" => (
            "残疾等级/类别与残疾人证号不符",
            "以残疾人证号末两位为准，请残联核对",
        ),
        "OUT_OF_REGION" => (
            "区划代码不在本统筹区",
            "核实是否本地人员；外地人员交其所在地处理",
        ),
        "UNKNOWN_GRADE" => (
            "缴费档次或人员类别无法识别",
            "改用政策文件所列的档次、人员类别名称，或在政策文件中增加别名",
        ),
        "BROKEN_QUOTE" => (
            "该行有未配对的英文双引号",
            "请来源部门删去多余的引号后重新导出；其他行照常读取",
        ),
        "ID_DIGITS_LOST" => (
            "身份证号被 Excel 存成数字，后几位已丢失",
            "把该列设为“文本”格式后重新录入或导出",
        ),
        "ROW_TOO_WIDE" => ("该行列数超过 16384", "检查分隔符是否错乱，删去多余的列"),
        _ => ("", ""),
    }
}

/// A conflict code in Chinese, and what to do about it.
pub(crate) fn conflict_text(code: &str) -> (&'static str, &'static str) {
    match code {
        "NAME_MISMATCH" => (
            "同一身份证号姓名不一致",
            "核实正确姓名，更正有误的一方（报表以参保缴费记录为准）",
        ),
        "UNKNOWN_RATING" => (
            "核定类别无法识别（按普通居民处理）",
            "在参保系统中更正核定类别",
        ),
        "UNSUPPORTED_RATING" => (
            "按资助档缴费但找不到对应身份",
            "人工复核该资助是否有依据；本工具不会向群众追缴",
        ),
        "UNKNOWN_DYNAMIC_GROUP" => (
            "动态参保类别无法识别",
            "改用政策文件中列出的动态参保类别名称",
        ),
        _ => ("", ""),
    }
}
