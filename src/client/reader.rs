//! The reader of typed options objects: serde reads the keys ([`Reader::read`], into the
//! structs of `options.rs`), the methods here judge their values, collecting every violation.

use super::*;

/// Reads typed options, collecting every violation.
pub(super) struct Reader<'a> {
    /// The object's keys copied with catching reads (`None`: not an object, or a key threw).
    keys: Option<JsValue>,
    pub(super) prefix: &'a str,
    pub(super) violations: Vec<Violation>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(obj: &'a JsValue, prefix: &'a str) -> Self {
        let keys = obj
            .is_object()
            .then(|| crate::key::plain_copy(obj))
            .flatten();
        let mut r = Self {
            keys,
            prefix,
            violations: Vec::new(),
        };
        if obj.is_object() && r.keys.is_none() {
            r.violations.push(Violation::new(
                prefix,
                ViolationCode::Type,
                "must be an object whose keys can be read",
            ));
        } else if !(obj.is_undefined() || obj.is_null() || obj.is_object()) {
            r.violations.push(Violation::new(
                prefix,
                ViolationCode::Type,
                "must be an object",
            ));
        }
        r
    }

    /// The options object read by serde into `T` (its keys as JS values); `T::default()` (every
    /// key absent) when it is `undefined`, `null` or not an object (the latter already a
    /// violation).
    pub(super) fn read<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        match &self.keys {
            Some(keys) => crate::key::read_object(keys).unwrap_or_default(),
            None => T::default(),
        }
    }

    pub(super) fn path(&self, k: &str) -> String {
        format!("{}.{k}", self.prefix)
    }

    /// `v`, the value of key `k`, as a string.
    pub(super) fn string_of(&mut self, k: &str, v: &JsValue) -> Option<String> {
        if v.is_undefined() || v.is_null() {
            return None;
        }
        let s = v.as_string();
        if s.is_none() {
            let p = self.path(k);
            self.violations
                .push(Violation::new(p, ViolationCode::Type, "must be a string"));
        }
        s
    }

    /// `v`, the value of key `k`, as a whole number from 0 to `max` (rounded): a duration in
    /// milliseconds, a retry count or a byte count.
    pub(super) fn uint_up_to(&mut self, k: &str, v: &JsValue, max: f64) -> Option<u64> {
        if v.is_undefined() || v.is_null() {
            return None;
        }
        match v.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 && n <= max => Some(n.round() as u64),
            _ => {
                let p = self.path(k);
                self.violations.push(Violation::new(
                    p,
                    ViolationCode::Range,
                    format!("must be a number from 0 to {}", max as u64),
                ));
                None
            }
        }
    }

    /// `v`, the value of key `k`, as a function.
    pub(super) fn function_of(&mut self, k: &str, v: &JsValue) -> Option<Function> {
        if v.is_undefined() || v.is_null() {
            return None;
        }
        let f = v.dyn_ref::<Function>().cloned();
        if f.is_none() {
            let p = self.path(k);
            self.violations
                .push(Violation::new(p, ViolationCode::Type, "must be a function"));
        }
        f
    }

    pub(super) fn finish(self) -> Result<(), JsValue> {
        Error::check(self.violations).map_err(|e| to_js_error(&e, None))
    }
}

/// Largest millisecond value accepted for timeouts and delays (about 24.8 days, the largest
/// `setTimeout` delay).
pub(super) const MAX_MS: f64 = 2_147_483_647.0;
