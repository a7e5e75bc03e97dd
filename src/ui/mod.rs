//! Shared components that know no feature: form fields, loading and error views, the 404
//! page, times, numbers, and whether the page hydrates.

pub mod forms;
pub mod hydration;
pub mod loading;
pub mod not_found;
pub mod time;

/// 5000 → "5 000", as French writes numbers (with a narrow no-break space).
pub fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_grouped_by_thousands_as_french_writes_them() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1\u{202f}000");
        assert_eq!(super::thousands(1_234_567), "1\u{202f}234\u{202f}567");
    }
}
