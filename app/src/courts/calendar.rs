//! The courts' calendar: which days are rest days (weekends and the State Council's public
//! holidays, less the weekend days it makes working days), and how a statutory period that ends
//! on a rest day runs on to the next working day (Civil Procedure Law art. 86: 期间届满的最后一日
//!是法定休假日的，以法定休假日后的第一日为期间届满的日期).
//!
//! Days are numbered as `UnixTime::beijing_day` numbers them (days since 1970-01-01, Beijing
//! calendar). Each year's holidays come from the State Council's notice (国务院办公厅关于某年部分
//! 节假日安排的通知, published each November); add the next year's to [`NOTICES`] when it is out.
//! A year not listed counts weekends only, and `server serve` warns at start-up when the current
//! or the next year is missing.

/// One year's notice: the holidays (inclusive date ranges) and the weekend days made working
/// days (调休上班).
pub struct Notice {
    pub year: i64,
    pub holidays: &'static [((u32, u32), (u32, u32))],
    pub working_weekend_days: &'static [(u32, u32)],
}

/// 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025).
pub const NOTICES: &[Notice] = &[Notice {
    year: 2026,
    holidays: &[
        ((1, 1), (1, 3)),   // 元旦
        ((2, 15), (2, 23)), // 春节
        ((4, 4), (4, 6)),   // 清明节
        ((5, 1), (5, 5)),   // 劳动节
        ((6, 19), (6, 21)), // 端午节
        ((9, 25), (9, 27)), // 中秋节
        ((10, 1), (10, 7)), // 国庆节
    ],
    working_weekend_days: &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)],
}];

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
pub fn day_number(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// Whether the courts are closed that day.
pub fn is_rest_day(day: i64) -> bool {
    for notice in NOTICES {
        if notice
            .working_weekend_days
            .iter()
            .any(|&(m, d)| day_number(notice.year, m, d) == day)
        {
            return false;
        }
        let in_holiday = notice.holidays.iter().any(|&((m1, d1), (m2, d2))| {
            (day_number(notice.year, m1, d1)..=day_number(notice.year, m2, d2)).contains(&day)
        });
        if in_holiday {
            return true;
        }
    }
    weekday(day) >= 5
}

/// The day a period whose last day is `last_day` really ends: that day, or the first working day
/// after it when it is a rest day.
pub fn period_end(last_day: i64) -> i64 {
    let mut day = last_day;
    // No run of rest days is anywhere near this long; the bound only guards against a bad table.
    for _ in 0..31 {
        if !is_rest_day(day) {
            return day;
        }
        day += 1;
    }
    day
}

/// Whether the State Council's notice for `year` is in [`NOTICES`].
pub fn knows_year(year: i64) -> bool {
    NOTICES.iter().any(|n| n.year == year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_and_weekdays_match_the_calendar() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(weekday(day_number(1970, 1, 1)), 3, "a Thursday");
        assert_eq!(weekday(day_number(2026, 11, 25)), 2, "a Wednesday");
        assert_eq!(
            day_number(2028, 3, 1) - day_number(2028, 2, 28),
            2,
            "2028 is a leap year"
        );
    }

    #[test]
    fn weekends_are_rest_days_and_weekdays_are_not() {
        assert!(is_rest_day(day_number(2026, 3, 14)), "Saturday");
        assert!(is_rest_day(day_number(2026, 3, 15)), "Sunday");
        assert!(!is_rest_day(day_number(2026, 3, 16)), "Monday");
        assert!(
            is_rest_day(day_number(2031, 3, 15)),
            "a year with no notice still has weekends"
        );
    }

    #[test]
    fn the_state_councils_holidays_are_rest_days_even_on_weekdays() {
        assert!(
            is_rest_day(day_number(2026, 2, 23)),
            "Monday 23 February, last day of 春节"
        );
        assert!(
            is_rest_day(day_number(2026, 10, 7)),
            "Wednesday 7 October, 国庆节"
        );
        assert!(is_rest_day(day_number(2026, 1, 1)), "元旦");
        assert!(
            !is_rest_day(day_number(2026, 10, 8)),
            "Thursday 8 October is a working day again"
        );
    }

    #[test]
    fn weekend_days_made_working_days_are_working_days() {
        for (m, d) in [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)] {
            let day = day_number(2026, m, d);
            assert!(weekday(day) >= 5, "2026-{m}-{d} is a weekend day");
            assert!(!is_rest_day(day), "2026-{m}-{d} is a working day (调休)");
        }
    }

    #[test]
    fn a_period_ending_on_a_rest_day_runs_on_to_the_next_working_day() {
        assert_eq!(
            period_end(day_number(2026, 3, 10)),
            day_number(2026, 3, 10),
            "a Tuesday stays"
        );
        assert_eq!(
            period_end(day_number(2026, 3, 14)),
            day_number(2026, 3, 16),
            "Saturday → Monday"
        );
        assert_eq!(
            period_end(day_number(2026, 10, 1)),
            day_number(2026, 10, 8),
            "国庆节 → 8 October"
        );
        assert_eq!(
            period_end(day_number(2026, 2, 14)),
            day_number(2026, 2, 14),
            "a working Saturday stays"
        );
    }

    #[test]
    fn the_notices_list_each_year_once_with_ordered_ranges() {
        for (i, n) in NOTICES.iter().enumerate() {
            assert!(
                NOTICES[i + 1..].iter().all(|m| m.year != n.year),
                "{} listed twice",
                n.year
            );
            for &((m1, d1), (m2, d2)) in n.holidays {
                assert!(day_number(n.year, m1, d1) <= day_number(n.year, m2, d2));
            }
        }
        assert!(knows_year(2026));
        assert!(!knows_year(2031));
    }
}
