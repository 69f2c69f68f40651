//! The lists clerks act on, one builder per report: refunds (退费名单),
//! re-rating (重新核定名单), missing enrollment (应参未参名单), rejects (拒收清单)
//! and conflicts (待核实清单).

use super::csv_out::{Cell, ReportTable};
use crate::domain::Category;
use crate::ingest::{InputFile, Origin, Reject};
use crate::ledger::{Change, LedgerConflict, Mark};
use crate::policy::{GradeRef, Policy};
use crate::rules::refund::Basis;
use crate::rules::{Conflict, MissingItem, RefundItem, ReratingItem};

/// What every builder needs to print a row.
pub struct Ctx<'a> {
    pub policy: &'a Policy,
    pub files: &'a [InputFile],
    /// Language of the message columns.
    pub lang: crate::i18n::Lang,
}

impl Ctx<'_> {
    /// The input file an origin points into, as the user named it.
    pub fn file(&self, o: Origin) -> Cell {
        Cell::text(
            self.files
                .get(usize::from(o.file))
                .map(|f| f.display.as_str())
                .unwrap_or(""),
        )
    }

    pub fn county(&self, code: &str) -> [Cell; 2] {
        [Cell::text(code), Cell::text(self.policy.county_name(code))]
    }

    pub fn category(&self, c: Option<Category>) -> [Cell; 2] {
        match c {
            Some(c) => [
                Cell::text(self.policy.vocab.code(c)),
                Cell::text(self.policy.vocab.zh(c)),
            ],
            None => [Cell::text("ordinary"), Cell::text("普通居民")],
        }
    }

    fn basis(&self, b: Option<&Basis>) -> [Cell; 4] {
        match b {
            Some(b) => [
                Cell::text(b.source.zh()),
                self.file(b.origin),
                Cell::Int(b.origin.line as i64),
                Cell::Date(b.start),
            ],
            None => [
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::Date(None),
            ],
        }
    }

    fn payers(&self, payers: &[(String, crate::domain::Fen)]) -> Cell {
        let parts: Vec<String> = payers
            .iter()
            .map(|(code, amount)| format!("{} {amount}", self.policy.payer_name(code)))
            .collect();
        Cell::text(parts.join("; "))
    }

    /// Issue 14: whether lists show the grade columns (a policy with grades).
    pub fn graded(&self) -> bool {
        self.policy.has_grades()
    }

    /// The columns of a list: `graded` where the policy has grades.
    pub fn columns(
        &self,
        plain: &'static [&'static str],
        graded: &'static [&'static str],
    ) -> &'static [&'static str] {
        if self.graded() {
            graded
        } else {
            plain
        }
    }

    /// The grade cells (人员类别, 缴费档次) of a row, where the policy has grades.
    pub fn grade(&self, row: &mut Vec<Cell>, g: GradeRef) {
        if self.graded() {
            row.extend([
                Cell::text(self.policy.population_name(g)),
                Cell::text(self.policy.grade_name(g)),
            ]);
        }
    }
}

graded_columns!(
    REFUND_COLUMNS,
    REFUND_COLUMNS_GRADED,
    ["county_code", "county_name", "id_number", "name", "year",],
    [
        "reason",
        "reason_zh",
        "paid_amount",
        "pay_date",
        "refund_amount",
        "category",
        "category_zh",
        "tier_personal",
        "basis_source",
        "basis_file",
        "basis_line",
        "basis_start",
        "status",
        "status_zh",
        // Issue 5 (ledger): the item's lifecycle beside the rules' disposition.
        "lifecycle",
        "first_listed",
        "deadline",
        "tax_receipt",
        "enrollment_file",
        "enrollment_line",
        "note",
    ]
);

pub fn refunds(ctx: &Ctx<'_>, items: &[RefundItem], marks: &[Mark]) -> ReportTable {
    let columns = ctx.columns(REFUND_COLUMNS, REFUND_COLUMNS_GRADED);
    let mut t = ReportTable::new("refunds.csv", columns);
    for (i, r) in items.iter().enumerate() {
        let mut row = Vec::with_capacity(columns.len());
        row.extend(ctx.county(&r.county));
        row.extend([
            Cell::id(&r.person),
            Cell::text(&r.name),
            Cell::Int(i64::from(r.year)),
        ]);
        ctx.grade(&mut row, r.grade);
        row.extend([Cell::text(r.reason.code()), Cell::text(r.reason.zh())]);
        row.extend([
            Cell::Money(r.paid),
            Cell::Date(r.pay_date),
            Cell::Money(r.amount),
        ]);
        match r.basis.as_ref() {
            Some(b) => row.extend(ctx.category(Some(b.category))),
            None => row.extend([Cell::text(""), Cell::text("")]),
        }
        row.push(match r.tier_personal {
            Some(p) => Cell::Money(p),
            None => Cell::text(""),
        });
        row.extend(ctx.basis(r.basis.as_ref()));
        row.extend([Cell::text(r.status.code()), Cell::text(r.status.zh())]);
        row.extend(lifecycle(marks, i));
        row.push(Cell::Date(r.deadline));
        row.extend([
            Cell::text(&r.tax_receipt),
            ctx.file(r.origin),
            Cell::Int(r.origin.line as i64),
            Cell::text(&r.note),
        ]);
        t.push(row);
    }
    t
}

graded_columns!(
    RERATING_COLUMNS,
    RERATING_COLUMNS_GRADED,
    ["county_code", "county_name", "id_number", "name", "year",],
    [
        "old_rating",
        "old_category",
        "old_due",
        "new_category",
        "new_category_zh",
        "new_due",
        "difference",
        "new_payers",
        "basis_source",
        "basis_file",
        "basis_line",
        "basis_start",
        "basis_end",
        "enrollment_file",
        "enrollment_line",
        "note",
        "lifecycle",
        "first_listed",
    ]
);

pub fn rerating(ctx: &Ctx<'_>, items: &[ReratingItem], marks: &[Mark]) -> ReportTable {
    let columns = ctx.columns(RERATING_COLUMNS, RERATING_COLUMNS_GRADED);
    let mut t = ReportTable::new("rerating.csv", columns);
    for (i, r) in items.iter().enumerate() {
        let mut row = Vec::with_capacity(columns.len());
        row.extend(ctx.county(&r.county));
        row.extend([
            Cell::id(&r.person),
            Cell::text(&r.name),
            Cell::Int(i64::from(r.year)),
        ]);
        ctx.grade(&mut row, r.grade);
        let old_text = if r.old_rating_text.is_empty() {
            "普通居民"
        } else {
            r.old_rating_text.as_str()
        };
        row.push(Cell::text(old_text));
        row.push(Cell::text(
            r.old_category
                .map(|c| ctx.policy.vocab.code(c))
                .unwrap_or("ordinary"),
        ));
        row.push(Cell::Money(r.old_due));
        row.extend(ctx.category(r.new_category));
        row.extend([
            Cell::Money(r.new_due),
            Cell::Money(r.difference),
            ctx.payers(&r.new_payers),
        ]);
        row.extend(ctx.basis(r.basis.as_ref()));
        row.push(Cell::Date(r.basis.as_ref().and_then(|b| b.end)));
        row.extend([
            ctx.file(r.origin),
            Cell::Int(r.origin.line as i64),
            Cell::text(&r.note),
        ]);
        row.extend(lifecycle(marks, i));
        t.push(row);
    }
    t
}

/// Issue 14: with the grade columns, and the amounts of the population's
/// other grades beside the due amount (R5 prices at the registered or
/// default grade).
const MISSING_COLUMNS_GRADED: &[&str] = &[
    "county_code",
    "county_name",
    "id_number",
    "name",
    "population",
    "grade",
    "category",
    "category_zh",
    "source_dept",
    "identity_since",
    "due_amount",
    "other_grades_due",
    "registration",
    "dynamic_open",
    "dynamic_basis",
    "newborn",
    "township",
    "village",
    "phone",
    "source_file",
    "source_line",
    "lifecycle",
    "first_listed",
];

pub const MISSING_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "id_number",
    "name",
    "category",
    "category_zh",
    "source_dept",
    "identity_since",
    "due_amount",
    "registration",
    "dynamic_open",
    "dynamic_basis",
    "newborn",
    "township",
    "village",
    "phone",
    "source_file",
    "source_line",
    "lifecycle",
    "first_listed",
];

pub fn missing(ctx: &Ctx<'_>, items: &[MissingItem], marks: &[Mark]) -> ReportTable {
    let columns = ctx.columns(MISSING_COLUMNS, MISSING_COLUMNS_GRADED);
    let mut t = ReportTable::new("missing_enrollment.csv", columns);
    let yes = |b: bool| Cell::text(if b { "是" } else { "否" });
    for (i, m) in items.iter().enumerate() {
        let mut row = Vec::with_capacity(columns.len());
        row.extend(ctx.county(&m.county));
        row.extend([Cell::id(&m.person), Cell::text(&m.name)]);
        ctx.grade(&mut row, m.grade);
        row.extend(ctx.category(m.category));
        row.extend([
            Cell::text(m.source.zh()),
            Cell::Date(m.since),
            Cell::Money(m.due),
        ]);
        if ctx.graded() {
            let others: Vec<String> = m
                .other_grades
                .iter()
                .map(|(g, due)| format!("{} {due}", ctx.policy.grade_name(*g)))
                .collect();
            row.push(Cell::text(others.join("; ")));
        }
        row.push(Cell::text(if m.registered {
            "登记未缴费"
        } else {
            "未登记"
        }));
        row.extend([
            yes(m.dynamic_open),
            Cell::text(&m.dynamic_basis),
            yes(m.newborn),
        ]);
        row.extend([
            Cell::text(&m.outreach.township),
            Cell::text(&m.outreach.village),
            Cell::text(&m.outreach.phone),
        ]);
        match m.origin {
            Some(o) => row.extend([ctx.file(o), Cell::Int(o.line as i64)]),
            None => row.extend([Cell::text(""), Cell::text("")]),
        }
        row.extend(lifecycle(marks, i));
        t.push(row);
    }
    t
}

pub const REJECT_COLUMNS: &[&str] = &[
    "file",
    "line",
    "column",
    "raw_value",
    "name",
    "id_as_written",
    "reject_reason",
    "message",
];

/// Rejects sorted by file, then line.
pub fn rejects(files: &[InputFile], items: &[Reject], lang: crate::i18n::Lang) -> ReportTable {
    let mut sorted: Vec<&Reject> = items.iter().collect();
    let name = |f: u16| {
        files
            .get(usize::from(f))
            .map(|x| x.display.as_str())
            .unwrap_or("")
    };
    sorted.sort_by(|a, b| (name(a.file), a.file, a.line).cmp(&(name(b.file), b.file, b.line)));
    let mut t = ReportTable::new("rejects.csv", REJECT_COLUMNS);
    for r in sorted {
        t.push(vec![
            Cell::text(name(r.file)),
            Cell::Int(r.line as i64),
            Cell::text(&r.column),
            Cell::text(&r.raw),
            Cell::text(&r.name),
            Cell::text(&r.id_raw),
            Cell::text(r.reason.code()),
            Cell::text(r.message.get(lang)),
        ]);
    }
    t
}

pub const CONFLICT_COLUMNS: &[&str] = &["file", "line", "id_number", "name", "conflict", "message"];

/// Conflicts sorted by file, then line. The ledger's doubts about paid
/// refunds (issue 5) join them; one whose item this run no longer lists has
/// no file and line, and sorts first.
pub fn conflicts(ctx: &Ctx<'_>, items: &[Conflict], ledger: &[LedgerConflict]) -> ReportTable {
    struct Line<'a> {
        file: &'a str,
        origin: Option<Origin>,
        code: &'a str,
        message: &'a str,
        person: String,
        name: &'a str,
    }
    let name = |f: u16| {
        ctx.files
            .get(usize::from(f))
            .map(|x| x.display.as_str())
            .unwrap_or("")
    };
    let mut lines: Vec<Line<'_>> = items
        .iter()
        .map(|c| Line {
            file: name(c.origin.file),
            origin: Some(c.origin),
            code: c.code.code(),
            message: c.message.get(ctx.lang),
            person: c.person.to_string(),
            name: &c.name,
        })
        .chain(ledger.iter().map(|c| Line {
            file: c.origin.map(|o| name(o.file)).unwrap_or(""),
            origin: c.origin,
            code: c.code,
            message: c.message.get(ctx.lang),
            person: c.person.clone(),
            name: &c.name,
        }))
        .collect();
    lines.sort_by(|a, b| {
        (a.file, a.origin, a.code, a.message, &a.person)
            .cmp(&(b.file, b.origin, b.code, b.message, &b.person))
    });
    let mut t = ReportTable::new("conflicts.csv", CONFLICT_COLUMNS);
    for c in lines {
        let (file, line) = match c.origin {
            Some(o) => (ctx.file(o), Cell::Int(o.line as i64)),
            None => (Cell::text(""), Cell::text("")),
        };
        t.push(vec![
            file,
            line,
            Cell::text(c.person),
            Cell::text(c.name),
            Cell::text(c.code),
            Cell::text(c.message),
        ]);
    }
    t
}

/// The lifecycle columns of item `i` (blank if the ledger gave none).
fn lifecycle(marks: &[Mark], i: usize) -> [Cell; 2] {
    match marks.get(i) {
        Some(m) => [
            Cell::text(m.lifecycle.code()),
            Cell::Date(Some(m.first_listed)),
        ],
        None => [Cell::text(""), Cell::Date(None)],
    }
}

pub const CHANGE_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "id_number",
    "name",
    "year",
    "change",
    "change_zh",
    "list",
    "list_zh",
    "item_detail",
    "item_amount",
    "status",
    "first_listed",
    "previous_run",
    "note",
];

/// `changes.csv` (issue 5): what is new, resolved, paid or changed since the
/// previous run of the ledger, sorted by county, then 身份证号.
pub fn changes(
    ctx: &Ctx<'_>,
    items: &[Change],
    previous: Option<chrono::NaiveDate>,
) -> ReportTable {
    let mut t = ReportTable::new("changes.csv", CHANGE_COLUMNS);
    for c in items {
        let mut row = Vec::with_capacity(CHANGE_COLUMNS.len());
        row.extend(ctx.county(&c.county));
        row.extend([
            Cell::text(&c.person),
            Cell::text(&c.name),
            Cell::Int(i64::from(c.year)),
        ]);
        row.extend([
            Cell::text(c.kind.code()),
            Cell::text(c.kind.zh()),
            Cell::text(c.list.code()),
            Cell::text(c.list.zh()),
        ]);
        row.extend([
            Cell::text(&c.detail),
            Cell::Money(c.amount),
            Cell::text(&c.disposition),
            Cell::Date(Some(c.first_listed)),
            Cell::Date(previous),
            Cell::text(&c.note),
        ]);
        t.push(row);
    }
    t
}

graded_columns!(
    LATE_COLUMNS,
    LATE_COLUMNS_GRADED,
    ["county_code", "county_name", "id_number", "name", "year",],
    [
        "pay_date",
        "paid_amount",
        "late",
        "gap_years",
        "repair_years",
        "expected_amount",
        "variable_wait_months",
        "expected_start",
        "recorded_start",
        "flags",
        "enrollment_file",
        "enrollment_line",
    ]
);

pub fn late_payment(ctx: &Ctx<'_>, items: &[crate::rules::LateItem]) -> ReportTable {
    let columns = ctx.columns(LATE_COLUMNS, LATE_COLUMNS_GRADED);
    let mut t = ReportTable::new("late_payment.csv", columns);
    for r in items {
        let mut row = Vec::with_capacity(columns.len());
        row.extend(ctx.county(&r.county));
        row.extend([
            Cell::id(&r.person),
            Cell::text(&r.name),
            Cell::Int(i64::from(r.year)),
        ]);
        ctx.grade(&mut row, r.grade);
        row.extend([
            Cell::Date(Some(r.pay_date)),
            Cell::Money(r.paid),
            Cell::text(if r.late { "是" } else { "否" }),
        ]);
        row.extend([
            Cell::Int(i64::from(r.gap_years)),
            Cell::Int(i64::from(r.repair_years)),
            Cell::Money(r.expected_amount),
        ]);
        row.extend([
            Cell::Int(i64::from(r.variable_months)),
            Cell::Date(Some(r.expected_start)),
            Cell::Date(r.recorded_start),
        ]);
        row.extend([
            Cell::text(r.flags()),
            ctx.file(r.origin),
            Cell::Int(r.origin.line as i64),
        ]);
        t.push(row);
    }
    t
}

graded_columns!(
    TRANSFER_COLUMNS,
    TRANSFER_COLUMNS_GRADED,
    ["county_code", "county_name", "id_number", "name",],
    [
        "category",
        "category_zh",
        "enrolled_county_code",
        "enrolled_county_name",
        "paid",
        "basis_file",
        "basis_line",
        "enrollment_file",
        "enrollment_line",
    ]
);

pub fn transfers(ctx: &Ctx<'_>, items: &[crate::rules::TransferItem]) -> ReportTable {
    let columns = ctx.columns(TRANSFER_COLUMNS, TRANSFER_COLUMNS_GRADED);
    let mut t = ReportTable::new("transfers.csv", columns);
    for r in items {
        let mut row = Vec::with_capacity(columns.len());
        row.extend(ctx.county(&r.county));
        row.extend([Cell::id(&r.person), Cell::text(&r.name)]);
        ctx.grade(&mut row, r.grade);
        row.extend(ctx.category(Some(r.category)));
        row.extend(ctx.county(&r.enrolled_county));
        row.push(Cell::text(if r.paid { "已缴费" } else { "未缴费" }));
        row.extend([
            ctx.file(r.identity_origin),
            Cell::Int(r.identity_origin.line as i64),
        ]);
        row.extend([ctx.file(r.origin), Cell::Int(r.origin.line as i64)]);
        t.push(row);
    }
    t
}
