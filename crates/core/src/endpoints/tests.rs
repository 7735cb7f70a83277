//! Every entry of the endpoint table against its API document: the path exists, with the
//! method; path parameters, query parameters, request body schema, response content type and
//! success statuses are the document's. Two documents: the seed's (the provisioning page and the
//! account list) and the excerpt of Instaclustr's own document with the 14 operations beyond it
//! (`spec/instaclustr-v2-postgresql-more.openapi.json`); every operation of both is in the table.

use serde_json::Value;

use super::*;

const SPEC: &str = include_str!("../../../../spec/instaclustr-postgresql-v2.openapi.json");
const MORE: &str = include_str!("../../../../spec/instaclustr-v2-postgresql-more.openapi.json");

/// Operations of the second document.
const MORE_OPERATIONS: usize = 14;

fn names(params: &[Value], kind: &str) -> Vec<String> {
    let mut v: Vec<String> = params
        .iter()
        .filter(|p| p["in"] == kind)
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    v.sort();
    v
}

#[test]
fn every_operation_is_the_documents() {
    let docs: [Value; 2] = [
        serde_json::from_str(SPEC).unwrap(),
        serde_json::from_str(MORE).unwrap(),
    ];
    let mut seen = Vec::new();
    let mut in_more = 0;
    for op in Operation::ALL {
        let spec = op.spec();
        // the document that has the path (no path is in both)
        let found: Vec<&Value> = docs
            .iter()
            .filter(|d| d["paths"][spec.path].is_object())
            .collect();
        assert!(found.len() <= 1, "{}: path in both documents", spec.name);
        let doc = found.first().copied().unwrap_or(&docs[0]);
        if std::ptr::eq(doc, &docs[1]) {
            in_more += 1;
        }
        assert_eq!(
            spec.operation, op,
            "{op:?}: its entry names another operation"
        );
        let item = &doc["paths"][spec.path];
        assert!(
            item.is_object(),
            "{}: no path {} in the document",
            spec.name,
            spec.path
        );
        let method = spec.method.as_str().to_ascii_lowercase();
        let doc_op = &item[method.as_str()];
        assert!(
            doc_op.is_object(),
            "{}: no {method} on {}",
            spec.name,
            spec.path
        );

        let mut params: Vec<Value> = item["parameters"].as_array().cloned().unwrap_or_default();
        params.extend(doc_op["parameters"].as_array().cloned().unwrap_or_default());
        let mut path_params: Vec<String> = spec.path_params().map(str::to_owned).collect();
        path_params.sort();
        assert_eq!(
            path_params,
            names(&params, "path"),
            "{}: path parameters",
            spec.name
        );
        let mut query: Vec<String> = spec.query.iter().map(|q| (*q).to_owned()).collect();
        query.sort();
        assert_eq!(
            query,
            names(&params, "query"),
            "{}: query parameters",
            spec.name
        );

        let body = doc_op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .map(|r| r.trim_start_matches("#/components/schemas/"));
        assert_eq!(spec.body, body, "{}: request body", spec.name);

        let responses = doc_op["responses"].as_object().unwrap();
        let mut statuses: Vec<u16> = responses
            .keys()
            .filter_map(|k| k.parse().ok())
            .filter(|s| (200..300).contains(s))
            .collect();
        statuses.sort_unstable();
        assert_eq!(
            spec.statuses,
            statuses.as_slice(),
            "{}: success statuses",
            spec.name
        );
        for s in spec.statuses {
            let content = &responses[&s.to_string()]["content"];
            if let Some(types) = content.as_object().filter(|c| !c.is_empty()) {
                assert!(
                    types.contains_key(spec.accept),
                    "{}: {s} is not {}",
                    spec.name,
                    spec.accept
                );
            }
        }
        seen.push((spec.method, spec.path));
    }
    // every operation of the documents is in the table
    let count = |doc: &Value| -> usize {
        doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| {
                ["get", "put", "post", "delete"]
                    .iter()
                    .filter(|m| item[**m].is_object())
                    .count()
            })
            .sum()
    };
    assert_eq!(
        count(&docs[1]),
        MORE_OPERATIONS,
        "operations of the second document"
    );
    assert_eq!(
        in_more, MORE_OPERATIONS,
        "table entries of the second document"
    );
    let documented = count(&docs[0]) + count(&docs[1]);
    assert_eq!(
        seen.len(),
        documented,
        "operations in the table and in the document"
    );
    seen.sort_by_key(|(m, p)| (m.as_str(), *p));
    seen.dedup();
    assert_eq!(
        seen.len(),
        Operation::ALL.len(),
        "two entries share a method and path"
    );
}

#[test]
fn names_and_retry_classes_follow_the_methods() {
    for op in Operation::ALL {
        let spec = op.spec();
        assert_eq!(op.name(), spec.name);
        assert!(spec.name.starts_with(char::is_lowercase), "{}", spec.name);
        let idempotent = spec.method != Method::Post;
        assert_eq!(op.is_idempotent(), idempotent, "{}", spec.name);
    }
}
