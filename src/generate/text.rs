//! How the exports spell numbers, dates and money.

use chrono::{Datelike, NaiveDate};

use crate::domain::Fen;

/// Date spellings the exports use.
#[derive(Clone, Copy)]
pub(super) enum DateForm {
    Iso,
    Slash,
    Compact,
    Chinese,
    DateTime,
    Month,
    MonthDash,
}

/// `n` in decimal, zero-padded to `width`.
pub(super) fn push_num(t: &mut String, n: u32, width: usize) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (buf.len() - i)..width {
        t.push('0');
    }
    for b in &buf[i..] {
        t.push(*b as char);
    }
}

pub(super) fn push_date(t: &mut String, d: NaiveDate, form: DateForm) {
    let (y, m, day) = (d.year() as u32, d.month(), d.day());
    match form {
        DateForm::Iso | DateForm::DateTime => {
            push_num(t, y, 4);
            t.push('-');
            push_num(t, m, 2);
            t.push('-');
            push_num(t, day, 2);
            if matches!(form, DateForm::DateTime) {
                t.push_str(" 10:");
                push_num(t, (day * 7) % 60, 2);
                t.push_str(":00");
            }
        }
        DateForm::Slash => {
            push_num(t, y, 4);
            t.push('/');
            push_num(t, m, 1);
            t.push('/');
            push_num(t, day, 1);
        }
        DateForm::Compact => {
            push_num(t, y, 4);
            push_num(t, m, 2);
            push_num(t, day, 2);
        }
        DateForm::Chinese => {
            push_num(t, y, 4);
            t.push('年');
            push_num(t, m, 1);
            t.push('月');
            push_num(t, day, 1);
            t.push('日');
        }
        DateForm::Month => {
            push_num(t, y, 4);
            push_num(t, m, 2);
        }
        DateForm::MonthDash => {
            push_num(t, y, 4);
            t.push('-');
            push_num(t, m, 2);
        }
    }
}

/// Yuan as the ledger writes them: `400` or `400.00`.
pub(super) fn push_yuan(t: &mut String, f: Fen, decimals: bool) {
    let v = f.0.max(0) as u64;
    let (whole, cents) = (v / 100, (v % 100) as u32);
    t.push_str(&whole.to_string());
    if decimals || cents != 0 {
        t.push('.');
        push_num(t, cents, 2);
    }
}
