//! An `f64` printed exactly as `{}` prints it, and as serde prints it in its
//! `invalid type: floating point ...` messages (`{}` with `.0` added when there is no decimal
//! point), from zmij's shortest round-trip digits.
//!
//! Written by hand because `<f64 as Display>::fmt` brings core's whole `flt2dec` (Grisu with a
//! Dragon fallback, about 18 KB of the optimized `.wasm`), while zmij, which serde_json already
//! uses to print floats, is in the `.wasm` anyway: only the placing of the decimal point is
//! written here.

use std::fmt::Write as _;

/// `v` as `format!("{v}")` prints it: `NaN`, `inf`, `-inf`, or the shortest digits that read
/// back as `v`, in positional notation (never an exponent: `1e21` is
/// `1000000000000000000000`, `1e-7` is `0.0000001`), `-` for a negative value and `-0`.
pub fn display(v: f64, out: &mut String) {
    if !v.is_finite() {
        out.push_str(zmij::Buffer::new().format(v));
        return;
    }
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(v);
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    // the mantissa's digits without its point, and where the point goes among them
    let point = mantissa.find('.').unwrap_or(mantissa.len());
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let leading = digits.len() - digits.trim_start_matches('0').len();
    let digits = digits[leading..].trim_end_matches('0');
    if negative {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
        return;
    }
    // the number is 0.DIGITS * 10^at
    let mut at = point as i32 - leading as i32 + exponent;
    let tie = halfway(v.abs(), digits.len());
    let digits = match &tie {
        Some((up, up_at)) => {
            at = *up_at;
            up.trim_end_matches('0')
        }
        None => digits,
    };
    let len = digits.len() as i32;
    if at <= 0 {
        out.push_str("0.");
        (0..-at).for_each(|_| out.push('0'));
        out.push_str(digits);
    } else if at >= len {
        out.push_str(digits);
        (0..at - len).for_each(|_| out.push('0'));
    } else {
        let (int, frac) = digits.split_at(at as usize);
        let _ = write!(out, "{int}.{frac}");
    }
}

/// When `v` lies exactly halfway between the two closest decimals of `len` significant digits
/// (so both read back as `v`), the upper one, as `{}` picks it where zmij picks the even one:
/// its digits and where the point goes (`0.DIGITS * 10^at`).
///
/// `v` is `N * 10^p` exactly, with `N` odd or not a multiple of 10; such a tie needs `N` to
/// have `len + 1` digits ending in 5, so only an `N` below 10^19 can make one, and it is found
/// in `u64` arithmetic.
fn halfway(v: f64, len: usize) -> Option<(String, i32)> {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    if m == 0 {
        return None;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    e += zeros as i32;
    // v = m * 2^e, m odd
    let (n, p) = if e < 0 {
        // m * 2^e = m * 5^-e * 10^e
        let mut n = m;
        for _ in 0..-e {
            n = n
                .checked_mul(5)
                .filter(|n| *n < 10_000_000_000_000_000_000)?;
        }
        (n, e)
    } else {
        // an integer: N * 10^e needs 5^e to divide m
        let five = 5u64.checked_pow(e as u32)?;
        (
            m.checked_rem(five).filter(|r| *r == 0).map(|_| m / five)?,
            e,
        )
    };
    let n_len = n.checked_ilog10()? as usize + 1;
    if n_len != len + 1 || n % 10 != 5 {
        return None;
    }
    let up = (n / 10 + 1).to_string();
    let at = up.len() as i32 + p + 1;
    Some((up, at))
}

/// `v` as serde's `Unexpected::Float` prints it (its `WithDecimalPoint`): [`display`], with `.0`
/// added to a finite value printed without a decimal point (`1.0`, `-0.0`, `1e21` as
/// `1000000000000000000000.0`).
pub fn with_decimal_point(v: f64, out: &mut String) {
    let start = out.len();
    display(v, out);
    if v.is_finite() && !out[start..].contains('.') {
        out.push_str(".0");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(v: f64) -> String {
        let mut s = String::new();
        display(v, &mut s);
        s
    }

    fn serde_like(v: f64) -> String {
        let mut s = String::new();
        with_decimal_point(v, &mut s);
        s
    }

    /// Checks both forms against std and serde.
    fn same(v: f64) {
        assert_eq!(shown(v), format!("{v}"), "bits {:#x}", v.to_bits());
        assert_eq!(
            format!("floating point `{}`", serde_like(v)),
            serde::de::Unexpected::Float(v).to_string(),
            "bits {:#x}",
            v.to_bits()
        );
    }

    #[test]
    fn edge_values() {
        let mut edges = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.3,
            1.5,
            123.456,
            1e21,
            1e22,
            1e-7,
            1e-6,
            1e15,
            1e16,
            1e17,
            9_007_199_254_740_993.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            2.225_073_858_507_201e-308,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1_700_000_000_000.0,
            8.64e15,
        ];
        for e in -330..=310 {
            edges.push(10f64.powi(e));
            edges.push(-(10f64.powi(e)) * 3.0);
        }
        for i in 0..2000u64 {
            edges.push(i as f64);
            edges.push(f64::from_bits(i)); // subnormals
            edges.push(f64::from_bits(0x7fef_ffff_ffff_ffff - i));
        }
        for v in edges {
            same(v);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn any_bits(bits in any::<u64>()) {
            same(f64::from_bits(bits));
        }

        #[test]
        fn any_f64(v in any::<f64>()) {
            same(v);
        }

        #[test]
        fn halfway_values(i in (1u64 << 44)..(1u64 << 53), q in 0u32..4, shift in 0i32..12) {
            // quarters and eighths near 2^50: the last digit is a tie between two
            let v = (i as f64 + f64::from(q) * 0.25) * 2f64.powi(shift - 6);
            same(v);
            same(-v);
        }

        #[test]
        fn integers_and_short_decimals(i in any::<i64>(), scale in 0u32..20) {
            same(i as f64);
            same(i as f64 / 10f64.powi(scale as i32));
        }
    }
}
