//! [`Json`]: the untyped JSON the validators and the request bodies read, borrowed from the text
//! it was parsed from (or from a `serde_json::Value`).
//!
//! Written by hand rather than using `serde_json::Value` on the JS path: a `Value` allocates a
//! `String` per key and per string and a B-tree per object, and freeing it again cost more than
//! the validation itself for a create body (about 40 % of `validateCreateCluster`, bench/FINDINGS.md).
//! Here keys and strings without escapes point into the input text and an object is a `Vec` of
//! its entries; the validators see exactly what a `Value` would hold (the last of duplicate keys,
//! the same `Number`s, serde_json's own parser and depth limit).

use std::borrow::Cow;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
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
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(Obj<'a>),
}

/// The entries of an object in input order; a key given twice counts as its last value, as in a
/// `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Obj<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Obj<'a> {
    /// The value of `k` (the last one if the key repeats).
    pub fn get(&self, k: &str) -> Option<&Json<'a>> {
        self.0.iter().rev().find(|(x, _)| x == k).map(|(_, v)| v)
    }

    /// The entries sorted by key (byte order, as a `BTreeMap<String, _>`), each key once with its
    /// last value.
    fn sorted(&self) -> Vec<(&str, &Json<'a>)> {
        let mut e: Vec<(&str, &Json<'a>)> = self.0.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        // stable: equal keys keep their input order, and the last of each run is kept below
        e.sort_by(|a, b| a.0.cmp(b.0));
        let mut out: Vec<(&str, &Json<'a>)> = Vec::with_capacity(e.len());
        for x in e {
            match out.last_mut() {
                Some(last) if last.0 == x.0 => *last = x,
                _ => out.push(x),
            }
        }
        out
    }
}

impl<'a> Json<'a> {
    /// A view of `v`, borrowing its strings.
    pub fn from_value(v: &'a Value) -> Self {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(a) => Json::Array(a.iter().map(Json::from_value).collect()),
            Value::Object(m) => Json::Object(Obj(m
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v)))
                .collect())),
        }
    }

    /// JSON text (UTF-8) read by serde_json's parser; strings without escapes stay borrowed.
    ///
    /// # Errors
    /// serde_json's error for text that is not JSON (or nested deeper than its limit).
    pub fn parse(text: &'a [u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(text)
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Field `k` of an object (`None` for other values).
    pub fn get(&self, k: &str) -> Option<&Json<'a>> {
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

/// A JSON string read borrowed when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any json value")
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        // as serde_json's `Value`: a non-finite number is `null`
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(x) = seq.next_element()? {
            items.push(x);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(Text(k)) = map.next_key()? {
            entries.push((k, map.next_value()?));
        }
        Ok(Json::Object(Obj(entries)))
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
    /// Written by hand rather than through serde_json's `Serializer`: its `io::Write` calls
    /// per token were about a fifth of `buildCreateClusterRequest` (bench/FINDINGS.md).
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
        // numbers are rare in these bodies: serde_json's own formatting (itoa / ryu)
        Json::Number(n) => {
            let _ = serde_json::to_writer(&mut *out, n);
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

    use super::Json;
    use crate::validate::{
        create_cluster, create_cluster_json, update_cluster, update_cluster_json,
    };

    fn fixture() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/create-cluster.json"
        ))
        .expect("tests/fixtures/create-cluster.json is JSON")
    }

    /// The request body as it was built before the view: a sorted copy of the `Value` with the
    /// read-only keys removed, serialized.
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
            let text = serde_json::to_vec(v).unwrap();
            let view = Json::parse(&text).unwrap();
            assert_eq!(create_cluster_json(&view), create_cluster(v), "{v}");
            assert_eq!(update_cluster_json(&view), update_cluster(v), "{v}");
            assert_eq!(crate::request::cluster_body(&view), reference_body(v));
        }
    }

    #[test]
    fn a_repeated_key_counts_as_its_last_value_and_is_sent_once() {
        let text = br#"{"b":1,"name":"x","a":{"y":1,"x":2},"name":"my-cluster","b":[1]}"#;
        let value: Value = serde_json::from_slice(text).unwrap();
        let view = Json::parse(text).unwrap();
        assert_eq!(view.get("name").and_then(Json::as_str), Some("my-cluster"));
        assert_eq!(create_cluster_json(&view), create_cluster(&value));
        assert_eq!(
            crate::request::cluster_body(&view),
            r#"{"a":{"x":2,"y":1},"b":[1],"name":"my-cluster"}"#
        );
    }

    #[test]
    fn escaped_strings_are_read_and_written_back() {
        let text = br#"{"name":"a\u0062c\n","description":"\"q\" \u00e9 \ud83d\ude00"}"#;
        let value: Value = serde_json::from_slice(text).unwrap();
        let view = Json::parse(text).unwrap();
        assert_eq!(view.get("name").and_then(Json::as_str), Some("abc\n"));
        assert_eq!(crate::request::cluster_body(&view), reference_body(&value));
    }
}
