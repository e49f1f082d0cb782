//! Sizes as operators and ZFS write them: `512M`, `2G`, `1.5T`, `100k`, `30GB`, plain bytes.

/// Parse a size into bytes. Suffixes K, M, G, T, P, E (powers of 1024, either case, an
/// optional trailing `B`), decimals allowed with a suffix ("1.5G"). Errors say what is wrong.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(
            "empty size: expected a number with an optional suffix, e.g. 512M or 2G".into(),
        );
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, suffix) = t.split_at(split);
    if num.is_empty() {
        return Err(format!(
            "invalid size '{t}': it must start with a number, e.g. 512M or 2G"
        ));
    }
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" => 10,
        "M" | "MB" => 20,
        "G" | "GB" => 30,
        "T" | "TB" => 40,
        "P" | "PB" => 50,
        "E" | "EB" => 60,
        _ => {
            return Err(format!(
                "invalid size '{t}': unknown suffix '{suffix}' (use K, M, G, T, P or E)"
            ));
        }
    };
    if let Ok(n) = num.parse::<u64>() {
        return n
            .checked_mul(1u64 << shift)
            .ok_or_else(|| format!("size '{t}' is too large"));
    }
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid size '{t}': '{num}' is not a number"))?;
    if shift == 0 {
        return Err(format!(
            "invalid size '{t}': a fractional size needs a suffix, e.g. 1.5G"
        ));
    }
    let bytes = value * (1u64 << shift) as f64;
    if bytes >= u64::MAX as f64 {
        return Err(format!("size '{t}' is too large"));
    }
    Ok(bytes.round() as u64)
}

/// Format bytes the way `zfs list` does in human mode: at most five characters, an exact
/// integer where possible ("512M", "2G"), otherwise 3 significant digits ("1.50G", "24.5K").
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["B", "K", "M", "G", "T", "P", "E"];
    let mut index = 0;
    let mut n = bytes;
    while n >= 1024 && index < UNITS.len() - 1 {
        n /= 1024;
        index += 1;
    }
    let unit = UNITS[index];
    if index == 0 || bytes.is_multiple_of(1u64 << (10 * index)) {
        return format!("{n}{unit}");
    }
    let value = bytes as f64 / (1u64 << (10 * index)) as f64;
    for precision in (0..=2).rev() {
        let s = format!("{value:.precision$}");
        if s.len() <= 4 {
            return format!("{s}{unit}");
        }
    }
    format!("{value:.0}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operator_sizes() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("30GB"), Ok(30 << 30));
        assert_eq!(parse_size("1T"), Ok(1 << 40));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size(" 8K "), Ok(8192));
    }

    #[test]
    fn rejects_bad_sizes_with_a_reason() {
        assert!(parse_size("").unwrap_err().contains("empty"));
        assert!(parse_size("G").unwrap_err().contains("start with a number"));
        assert!(parse_size("2X").unwrap_err().contains("unknown suffix 'X'"));
        assert!(parse_size("1.5").unwrap_err().contains("needs a suffix"));
        assert!(parse_size("1.2.3G").unwrap_err().contains("not a number"));
        assert!(parse_size("99999999E").unwrap_err().contains("too large"));
    }

    #[test]
    fn formats_like_zfs() {
        assert_eq!(format_size(0), "0B");
        assert_eq!(format_size(1000), "1000B");
        assert_eq!(format_size(512 << 20), "512M");
        assert_eq!(format_size(2 << 30), "2G");
        assert_eq!(format_size(3 << 29), "1.50G");
        assert_eq!(format_size(25_088), "24.5K");
        assert_eq!(format_size(1_300_000_000), "1.21G");
        assert_eq!(format_size(150 << 30 | 1), "150G");
    }
}
