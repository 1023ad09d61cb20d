//! The mainland holiday schedule a new installation starts with: the State Council's notice for
//! 2026 (国务院办公厅关于2026年部分节假日安排的通知). Later years are entered as each notice is
//! published (`PUT /api/v1/sla/calendar/{year}`); nothing here guesses them.

use super::calendar::DayKind::{self, Holiday, Workday};

/// (day, kind, the holiday it belongs to: the name the State Council's notice gives it).
pub const CN_2026: &[(&str, DayKind, &str)] = &[
    // 元旦: 1–3 January off, Sunday 4 January worked.
    ("2026-01-01", Holiday, "元旦"),
    ("2026-01-02", Holiday, "元旦"),
    ("2026-01-04", Workday, "元旦"),
    // 春节: 15–23 February off, Saturdays 14 and 28 February worked.
    ("2026-02-14", Workday, "春节"),
    ("2026-02-16", Holiday, "春节"),
    ("2026-02-17", Holiday, "春节"),
    ("2026-02-18", Holiday, "春节"),
    ("2026-02-19", Holiday, "春节"),
    ("2026-02-20", Holiday, "春节"),
    ("2026-02-23", Holiday, "春节"),
    ("2026-02-28", Workday, "春节"),
    // 清明节: 4–6 April off.
    ("2026-04-06", Holiday, "清明节"),
    // 劳动节: 1–5 May off, Saturday 9 May worked.
    ("2026-05-01", Holiday, "劳动节"),
    ("2026-05-04", Holiday, "劳动节"),
    ("2026-05-05", Holiday, "劳动节"),
    ("2026-05-09", Workday, "劳动节"),
    // 端午节: 19–21 June off.
    ("2026-06-19", Holiday, "端午节"),
    // 中秋节: 25–27 September off.
    ("2026-09-25", Holiday, "中秋节"),
    // 国庆节: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
    ("2026-09-20", Workday, "国庆节"),
    ("2026-10-01", Holiday, "国庆节"),
    ("2026-10-02", Holiday, "国庆节"),
    ("2026-10-05", Holiday, "国庆节"),
    ("2026-10-06", Holiday, "国庆节"),
    ("2026-10-07", Holiday, "国庆节"),
    ("2026-10-10", Workday, "国庆节"),
];
