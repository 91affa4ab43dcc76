//! The signers alone, without the network: what signing one StopDtsJob call
//! costs with signature V1 (the default) and V3, and the two steps V1 spends
//! its time in. `scripts/bench` runs this and reads the medians.
//!
//! The inputs are those of a real call: the common parameters `api.rs`
//! sends, an STS token, and a job id with characters that must be encoded.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dts::sign::{self, Params};

const SECRET: &str = "bench-secret-0123456789abcdef";

/// The parameters of one StopDtsJob call signed with V1.
fn v1_params() -> Params {
    [
        ("AccessKeyId", "LTAI5tBenchKeyId0123456"),
        ("Action", "StopDtsJob"),
        ("DtsJobId", "dtsl3m1213ye7l****"),
        ("Format", "JSON"),
        ("RegionId", "cn-hangzhou"),
        ("SecurityToken", "CAIS+token/with=reserved chars"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2024-01-02T03:04:05Z"),
        ("Version", "2020-01-01"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .collect()
}

/// The query and headers of the same call signed with V3.
fn v3_parts() -> (Params, BTreeMap<String, String>) {
    let query: Params = [
        ("DtsJobId", "dtsl3m1213ye7l****"),
        ("RegionId", "cn-hangzhou"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .collect();
    let headers = [
        ("host", "dts.cn-hangzhou.aliyuncs.com".to_owned()),
        ("x-acs-action", "StopDtsJob".to_owned()),
        ("x-acs-content-sha256", sign::sha256_hex(b"")),
        ("x-acs-date", "2024-01-02T03:04:05Z".to_owned()),
        (
            "x-acs-signature-nonce",
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301".to_owned(),
        ),
        (
            "x-acs-security-token",
            "CAIS+token/with=reserved".to_owned(),
        ),
        ("x-acs-version", "2020-01-01".to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    (query, headers)
}

fn signers(c: &mut Criterion) {
    let params = v1_params();
    c.bench_function("sign_v1", |b| {
        b.iter(|| sign::sign_v1(black_box("POST"), black_box(&params), black_box(SECRET)))
    });
    c.bench_function("canonical_query", |b| {
        b.iter(|| sign::canonical_query(black_box(&params)))
    });
    c.bench_function("percent_encode", |b| {
        b.iter(|| sign::percent_encode(black_box("CAIS+token/with=reserved chars 中")))
    });

    let (query, headers) = v3_parts();
    c.bench_function("sign_v3", |b| {
        b.iter(|| {
            sign::sign_v3(
                black_box("POST"),
                black_box("/"),
                black_box(&query),
                black_box(&headers),
                black_box("LTAI5tBenchKeyId0123456"),
                black_box(SECRET),
            )
        })
    });
}

criterion_group!(benches, signers);
criterion_main!(benches);
