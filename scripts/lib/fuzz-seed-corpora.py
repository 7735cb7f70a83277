#!/usr/bin/env python3
"""Seed corpora of the libFuzzer targets (scripts/campaign.d/10-fuzz, long mode): the spec's
examples (as validation inputs, and as response bodies behind a status prefix), point-in-time
strings, field-helper strings and a valid certificate zip (stored and deflated), written under
fuzz/corpus/<target>/. Run from the repository's root."""
import io, json, os, struct, zipfile
spec = json.load(open("spec/instaclustr-postgresql-v2.openapi.json"))
ex = []
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "example" and isinstance(v, (dict, list)): ex.append(v)
            else: walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(spec)
def put(target, name, data):
    d = f"fuzz/corpus/{target}"; os.makedirs(d, exist_ok=True)
    open(f"{d}/{name}", "wb").write(data)
for i, e in enumerate(ex):
    b = json.dumps(e).encode()
    put("validate", f"spec-{i}", b)
    put("response", f"spec-{i}", struct.pack("<H", 200) + b)
put("response", "api-error", struct.pack("<H", 400) + b'{"errors":[{"name":"x","message":"y"}]}')
now = struct.pack("<d", 1764000000000.0)
for i, s in enumerate(["2023-11-05T13:15:30Z", "2023-11-05 13:15:30.123+05:30", "1699190130000", "2024-02-29T00:00z"]):
    put("point_in_time", f"s-{i}", now + s.encode())
for i, s in enumerate(["c0e5e2ff-affe-444c-bdca-707c7b48aaad", "10.1.0.0/1610.2.0.0/16", "my-cluster", "ops@example.com", "+61 400 000 000", "16.2.0"]):
    put("helpers", f"s-{i}", s.encode())
der = bytes([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3, 0x11, 0x42])
import base64
pem = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der) + b"-----END CERTIFICATE-----\n"
for method, name in [(zipfile.ZIP_STORED, "stored"), (zipfile.ZIP_DEFLATED, "deflate")]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("cluster-ca-certificate.pem", pem)
        z.writestr("cluster-ca-certificate.der", der)
        z.writestr("truststore.jks", b"\xfe\xed\xfe\xed\x00\x00\x00\x02")
    put("certificate", name, buf.getvalue())
