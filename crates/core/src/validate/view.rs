//! [`Json`]: the untyped JSON the validators and the request bodies read, borrowed from the text
//! it was parsed from (or from a `serde_json::Value`), its lists and objects in an arena.
//!
//! Written by hand rather than using `serde_json::Value` on the JS path: a `Value` allocates a
//! `String` per key and per string and a B-tree per object, and freeing it again costs more than
//! the validation itself (bench/FINDINGS.md). Here keys and strings without escapes point into
//! the input text, and the items of every list and object sit in one `bumpalo` arena owned by
//! the caller: a handful of allocations per body, and nothing to walk when it is dropped. The
//! validators see
//! exactly what a `Value` would hold (the last of duplicate keys, the same `Number`s, the same
//! text accepted and refused as serde_json).
//!
//! Reading JSON text into a view (`Json::parse`) is `text.rs`, which builds these values: the
//! view is below the reader and names nothing of it.

pub use bumpalo::Bump;
use serde_json::{Number, Value};

/// One JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as serde_json reads it (integers kept exact).
    Number(Number),
    /// A string.
    String(&'a str),
    /// An array.
    Array(&'a [Json<'a>]),
    /// An object.
    Object(Obj<'a>),
}

/// The entries of an object in input order; a key given twice counts as its last value, as in a
/// `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Obj<'a>(&'a [(&'a str, Json<'a>)]);

impl<'a> Obj<'a> {
    pub(crate) fn from_entries(entries: &'a [(&'a str, Json<'a>)]) -> Self {
        Obj(entries)
    }

    /// The value of `k` (the last one if the key repeats).
    pub fn get(&self, k: &str) -> Option<&'a Json<'a>> {
        self.0.iter().rev().find(|(x, _)| *x == k).map(|(_, v)| v)
    }

    /// The keys in input order (a repeated key more than once).
    pub(crate) fn keys(&self) -> impl Iterator<Item = &'a str> {
        self.0.iter().map(|(k, _)| *k)
    }

    /// The entries sorted by key (byte order, as a `BTreeMap<String, _>`), each key once with its
    /// last value.
    fn sorted(&self) -> Vec<(&'a str, &'a Json<'a>)> {
        let mut e: Vec<(&str, &Json<'a>)> = self.0.iter().map(|(k, v)| (*k, v)).collect();
        // stable: equal keys keep their input order; of each run the first slot is kept, holding
        // the run's last value (dedup_by gives the later element first)
        stable_sort_by_key(&mut e);
        e.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                *kept = *later;
            }
            same
        });
        e
    }
}

/// A stable sort of `(key, value)` pairs by key: insertion sort for the objects of real bodies
/// (a dozen keys), a bottom-up merge sort through one buffer above 32 keys, so that a body with
/// very many keys stays O(n log n).
///
/// Written by hand because it is the wasm's only sort, and std's stable sort instantiated for
/// these pairs costs far more of the `.wasm` (bench/FINDINGS.md).
fn stable_sort_by_key<T: Copy>(items: &mut Vec<(&str, T)>) {
    let n = items.len();
    if n <= 32 {
        for i in 1..n {
            let mut j = i;
            // strictly greater: an equal key stays after the earlier one
            while j > 0 && items[j - 1].0 > items[j].0 {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let mut buf = items.clone();
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut buf[lo..hi] {
                // the left run wins ties: equal keys keep their order
                let take_left = j >= hi || (i < mid && items[i].0 <= items[j].0);
                if take_left {
                    *slot = items[i];
                    i += 1;
                } else {
                    *slot = items[j];
                    j += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(items, &mut buf);
        width *= 2;
    }
}

/// A JSON document as the validators, the update guard and the request builders take it: a
/// [`Json`] view (read from text: the package's way, no `Value` built) or a `serde_json::Value`
/// (native callers), read as a view for the call. One function per check, whatever the input.
pub trait AsJson {
    /// `f` of the [`Json`] view of `self`.
    fn with_json<R>(&self, f: impl FnOnce(&Json<'_>) -> R) -> R;
}

impl AsJson for Json<'_> {
    fn with_json<R>(&self, f: impl FnOnce(&Json<'_>) -> R) -> R {
        f(self)
    }
}

impl AsJson for Value {
    fn with_json<R>(&self, f: impl FnOnce(&Json<'_>) -> R) -> R {
        let arena = Bump::new();
        f(&Json::from_value(self, &arena))
    }
}

impl<'a> Json<'a> {
    /// A view of `v`, borrowing its strings; its lists and objects in `arena`.
    pub fn from_value(v: &'a Value, arena: &'a Bump) -> Self {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(s),
            Value::Array(a) => Json::Array(
                arena.alloc_slice_fill_iter(a.iter().map(|x| Json::from_value(x, arena))),
            ),
            Value::Object(m) => Json::Object(Obj(arena.alloc_slice_fill_iter(
                m.iter()
                    .map(|(k, v)| (k.as_str(), Json::from_value(v, arena))),
            ))),
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Field `k` of an object (`None` for other values).
    pub fn get(&self, k: &str) -> Option<&'a Json<'a>> {
        match self {
            Json::Object(o) => o.get(k),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Which read-only keys a [`Canonical`] drops (at its top level; `Cluster` also in each data
/// centre).
#[derive(Clone, Copy)]
pub(crate) enum ReadOnly {
    /// Nothing.
    None,
    /// The given keys at this level.
    Keys(&'static [&'static str]),
    /// A cluster body's read-only fields, and those of each `dataCentres` item.
    Cluster {
        top: &'static [&'static str],
        data_centre: &'static [&'static str],
    },
}

/// Serializes a [`Json`] with object keys sorted at every level (so that the same input always
/// gives the same bytes) and the read-only keys of `drop` left out; what a `Value` with those
/// keys removed would serialize to.
pub(crate) struct Canonical<'v, 'a> {
    pub(crate) value: &'v Json<'a>,
    pub(crate) drop: ReadOnly,
    /// A replacement value for one top-level key (the restore's formatted `pointInTime`).
    pub(crate) replace: Option<(&'static str, &'v str)>,
}

impl Canonical<'_, '_> {
    /// The JSON text, byte for byte what `serde_json::to_string` writes for the same value.
    ///
    /// Written by hand rather than through serde_json's `Serializer`, whose `io::Write` call per
    /// token is a large share of building a request body (bench/FINDINGS.md).
    pub(crate) fn to_text(&self) -> String {
        let mut out = Vec::with_capacity(1024);
        write(self.value, self.drop, self.replace, &mut out);
        // only whole UTF-8 strings and ASCII were written
        String::from_utf8(out).unwrap_or_default()
    }
}

fn write(v: &Json<'_>, drop: ReadOnly, replace: Option<(&str, &str)>, out: &mut Vec<u8>) {
    match v {
        Json::Null => out.extend_from_slice(b"null"),
        Json::Bool(true) => out.extend_from_slice(b"true"),
        Json::Bool(false) => out.extend_from_slice(b"false"),
        // numbers are rare in these bodies; written as serde_json writes them, integers by
        // core's formatting and floats by zmij (serde_json's own float printer), both already in
        // the wasm for messages: serde_json's writer would add a third digit table (itoa)
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.extend_from_slice(u.to_string().as_bytes());
            } else if let Some(i) = n.as_i64() {
                out.extend_from_slice(i.to_string().as_bytes());
            } else if let Some(f) = n.as_f64() {
                out.extend_from_slice(zmij::Buffer::new().format_finite(f).as_bytes());
            }
        }
        Json::String(s) => write_str(s, out),
        Json::Array(items) => {
            out.push(b'[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(x, ReadOnly::None, None, out);
            }
            out.push(b']');
        }
        Json::Object(o) => {
            let (dropped, dc): (&[&str], _) = match drop {
                ReadOnly::None => (&[], None),
                ReadOnly::Keys(k) => (k, None),
                ReadOnly::Cluster { top, data_centre } => (top, Some(data_centre)),
            };
            out.push(b'{');
            let mut first = true;
            for (k, x) in o.sorted() {
                if dropped.contains(&k) {
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                write_str(k, out);
                out.push(b':');
                match (replace, dc, x) {
                    (Some((rk, rv)), _, _) if rk == k => write_str(rv, out),
                    (_, Some(dc), Json::Array(items)) if k == "dataCentres" => {
                        out.push(b'[');
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                out.push(b',');
                            }
                            write(item, ReadOnly::Keys(dc), None, out);
                        }
                        out.push(b']');
                    }
                    _ => write(x, ReadOnly::None, None, out),
                }
            }
            out.push(b'}');
        }
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control
/// characters as `\u00xx`; everything else (DEL and non-ASCII included) as is.
fn write_str(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut unicode = *b"\\u00xx";
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => {
                unicode[4] = HEX[usize::from(b >> 4)];
                unicode[5] = HEX[usize::from(b & 0x0f)];
                &unicode
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::{Bump, Json};
    use crate::validate::{create_cluster, update_cluster};

    fn fixture() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/create-cluster.json"
        ))
        .expect("tests/fixtures/create-cluster.json is JSON")
    }

    /// The request body built the plain way, as the reference: a sorted copy of the `Value`
    /// with the read-only keys removed, serialized by serde_json.
    fn reference_body(v: &Value) -> String {
        fn sorted(v: &Value) -> Value {
            match v {
                Value::Object(m) => {
                    let mut keys: Vec<&String> = m.keys().collect();
                    keys.sort();
                    let mut out = Map::new();
                    for k in keys {
                        out.insert(k.clone(), sorted(&m[k]));
                    }
                    Value::Object(out)
                }
                Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
                other => other.clone(),
            }
        }
        let mut out = sorted(v);
        if let Value::Object(m) = &mut out {
            for k in [
                "id",
                "status",
                "currentClusterOperationStatus",
                "defaultUserPassword",
                "pciComplianceMode",
            ] {
                m.remove(k);
            }
            if let Some(Value::Array(dcs)) = m.get_mut("dataCentres") {
                for dc in dcs {
                    if let Value::Object(d) = dc {
                        for k in ["id", "status", "nodes", "deletedNodes"] {
                            d.remove(k);
                        }
                    }
                }
            }
        }
        serde_json::to_string(&out).unwrap()
    }

    /// Every value of `v` replaced in turn by each of `with`, and every object key removed.
    fn mutations(
        v: &Value,
        with: &[Value],
        out: &mut Vec<Value>,
        root: &Value,
        at: &mut Vec<Step>,
    ) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    at.push(Step::Key(k.clone()));
                    let mut removed = root.clone();
                    remove_at(&mut removed, at);
                    out.push(removed);
                    for w in with {
                        let mut changed = root.clone();
                        *get_at(&mut changed, at) = w.clone();
                        out.push(changed);
                    }
                    mutations(x, with, out, root, at);
                    at.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    at.push(Step::Index(i));
                    for w in with {
                        let mut changed = root.clone();
                        *get_at(&mut changed, at) = w.clone();
                        out.push(changed);
                    }
                    mutations(x, with, out, root, at);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    #[derive(Clone)]
    enum Step {
        Key(String),
        Index(usize),
    }

    fn get_at<'v>(v: &'v mut Value, at: &[Step]) -> &'v mut Value {
        at.iter().fold(v, |v, s| match s {
            Step::Key(k) => &mut v[k.as_str()],
            Step::Index(i) => &mut v[*i],
        })
    }

    fn remove_at(v: &mut Value, at: &[Step]) {
        let (last, parent) = at.split_last().unwrap();
        if let (Step::Key(k), Value::Object(m)) = (last, get_at(v, parent)) {
            m.remove(k);
        }
    }

    fn bodies() -> Vec<Value> {
        let base = fixture();
        let with = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(7),
            json!(2.5),
            json!(1e300),
            json!(18_446_744_073_709_551_615_u64),
            json!(""),
            json!(" "),
            json!("x-é\"\\\n\u{1}\u{8}\u{c}\t\r\u{1f}\u{7f}/"),
            json!("10.0.0.0/16"),
            json!([]),
            json!([{}]),
            json!({}),
        ];
        let mut out = vec![base.clone(), json!(null), json!([]), json!("x"), json!({})];
        mutations(&base, &with, &mut out, &base, &mut Vec::new());
        // read-only fields and unknown ones, a second data centre (the conflict rules)
        let mut extra = base.clone();
        extra["id"] = json!("x");
        extra["defaultUserPassword"] = json!("secret");
        extra["zUnknown"] = json!({"b": 1, "a": [2, {"d": null, "c": 1.5}]});
        let mut dc = extra["dataCentres"][0].clone();
        dc["nodes"] = json!([{"id": "n"}]);
        dc["status"] = json!("RUNNING");
        extra["dataCentres"] = json!([dc.clone(), dc]);
        out.push(extra);
        out
    }

    #[test]
    fn the_view_validates_and_builds_like_the_value() {
        let all = bodies();
        assert!(all.len() > 250, "{} bodies", all.len());
        for v in &all {
            let text = serde_json::to_string(v).unwrap();
            let arena = Bump::new();
            let view = Json::parse(&text, &arena).unwrap();
            assert_eq!(create_cluster(&view), create_cluster(v), "{v}");
            assert_eq!(update_cluster(&view), update_cluster(v), "{v}");
            assert_eq!(crate::http::cluster_body(&view), reference_body(v));
        }
    }

    #[test]
    fn a_repeated_key_counts_as_its_last_value_and_is_sent_once() {
        let text = r#"{"b":1,"name":"x","a":{"y":1,"x":2},"name":"my-cluster","b":[1]}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        let arena = Bump::new();
        let view = Json::parse(text, &arena).unwrap();
        assert_eq!(view.get("name").and_then(Json::as_str), Some("my-cluster"));
        assert_eq!(create_cluster(&view), create_cluster(&value));
        assert_eq!(
            crate::http::cluster_body(&view),
            r#"{"a":{"x":2,"y":1},"b":[1],"name":"my-cluster"}"#
        );
    }

    #[test]
    fn escaped_strings_are_read_and_written_back() {
        let text = r#"{"name":"a\u0062c\n","description":"\"q\" \u00e9 \ud83d\ude00"}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        let arena = Bump::new();
        let view = Json::parse(text, &arena).unwrap();
        assert_eq!(view.get("name").and_then(Json::as_str), Some("abc\n"));
        assert_eq!(crate::http::cluster_body(&view), reference_body(&value));
    }
    #[test]
    fn the_key_sort_orders_as_the_std_stable_sort() {
        // every length up to 40, keys from a small set (many ties), the index as the value
        let keys = ["b", "a", "", "ab", "ba", "a"];
        let mut seed = 7u64;
        for n in 0..40 {
            for _ in 0..25 {
                let mut v: Vec<(&str, usize)> = (0..n)
                    .map(|i| {
                        seed = seed
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        (keys[(seed >> 33) as usize % keys.len()], i)
                    })
                    .collect();
                let mut expected = v.clone();
                expected.sort_by(|a, b| a.0.cmp(b.0));
                super::stable_sort_by_key(&mut v);
                assert_eq!(v, expected);
            }
        }
    }

    #[test]
    fn the_reader_accepts_and_refuses_what_serde_json_does() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deep_objects = |n: usize| format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n));
        let mut cases: Vec<String> = [
            "",
            " ",
            "null",
            " true ",
            "false",
            "nul",
            "tru",
            "1",
            "-1",
            "-0",
            "0",
            "01",
            "-",
            "1.",
            "1.5",
            ".5",
            "1e3",
            "1E+3",
            "1e-3",
            "1e",
            "2.5e-300",
            "1e400",
            "-1e400",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.1",
            "3.141592653589793",
            "1.7976931348623157e308",
            "5e-324",
            "[]",
            "[1,]",
            "[,1]",
            "[1 , 2 ]",
            "{}",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"{"a":1"#,
            r#"{"a":1}x"#,
            r#"{"a":1} "#,
            r#""\u0041\n\t\r\b\f\/\\\"""#,
            r#""\ud83d\ude00""#,
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\ud83dx""#,
            r#""\u00e"#,
            r#""\x""#,
            "\"a\u{1}\"",
            "\"a\u{7f}é\"",
            "\"unterminated",
            r#"["a", {"b": [null, true, {"c": -2.5e10}]}]"#,
            "\t\n\r[1]\n",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for n in [126, 127, 128, 129] {
            cases.push(deep(n));
            cases.push(deep_objects(n));
        }
        for text in &cases {
            let serde: Result<Value, _> = serde_json::from_str(text);
            let arena = Bump::new();
            let ours = Json::parse(text, &arena);
            match (&serde, &ours) {
                (Ok(v), Ok(j)) => assert_eq!(&Json::from_value(v, &arena), j, "{text}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text:?}: serde_json {serde:?}, ours {ours:?}"),
            }
        }
    }
}
