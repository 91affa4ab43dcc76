//! The request signers: RPC signature V1 (HMAC-SHA1) and signature V3
//! (ACS3-HMAC-SHA256), as pure functions of the request and the secret.
//!
//! Nothing here reads the clock, draws random numbers, touches the network or
//! looks at files: the timestamp and the nonce arrive as parameters, so equal
//! inputs give equal signatures and the known answers in `tests/data/` can be
//! checked exactly. Building the parameters of a call is `api.rs`'s job.
//!
//! The algorithm, step by step (Alibaba Cloud "RPC API signature V1"):
//! 1. percent-encode every key and value as UTF-8, keeping only
//!    `A-Z a-z 0-9 - _ . ~` literal;
//! 2. sort the parameters by key and join them as `k=v` with `&`, leaving out
//!    `Signature` itself: the canonical query;
//! 3. StringToSign = `METHOD&%2F&` + percent-encode(canonical query);
//! 4. Signature = Base64(HMAC-SHA1(key = secret + "&", StringToSign)).
//!
//! Signature V3 signs headers instead of parameters (see [`sign_v3`]).

use std::collections::BTreeMap;
use std::time::SystemTime;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

/// Everything but the unreserved characters of RFC 3986 is encoded. This is
/// stricter than form encoding: a space is `%20` (never `+`) and `*` is `%2A`.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Request parameters by wire name. A `BTreeMap` of `String` keys iterates in
/// byte order, which is the order the canonical query needs.
pub type Params = BTreeMap<String, String>;

/// Percent-encode `value` the way the signature expects.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
}

/// The `Timestamp` parameter: UTC, to the second, `YYYY-MM-DDThh:mm:ssZ`,
/// whatever the local time zone.
pub fn format_timestamp(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}

/// The output of each signing stage, kept so that logs and tests can show
/// where two signers disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedQuery {
    /// Sorted, encoded `k=v&...` of every parameter but `Signature`.
    pub canonical_query: String,
    /// `METHOD&%2F&` + the encoded canonical query.
    pub string_to_sign: String,
    /// Base64 of the HMAC-SHA1 of the string to sign.
    pub signature: String,
}

impl SignedQuery {
    /// The query string to send: the canonical query plus `Signature`.
    pub fn query_string(&self) -> String {
        format!(
            "{}&Signature={}",
            self.canonical_query,
            percent_encode(&self.signature)
        )
    }
}

/// Join the parameters as the canonical query (step 2). The encoded pieces
/// go straight into one string: a string per pair and a join cost more than
/// the rest of the signature.
pub fn canonical_query(params: &Params) -> String {
    let unencoded: usize = params.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut query = String::with_capacity(unencoded + unencoded / 2);
    let pairs = params.iter().filter(|(key, _)| key.as_str() != "Signature");
    for (index, (key, value)) in pairs.enumerate() {
        if index > 0 {
            query.push('&');
        }
        query.extend(utf8_percent_encode(key, ENCODE));
        query.push('=');
        query.extend(utf8_percent_encode(value, ENCODE));
    }
    query
}

/// Sign `params` for an RPC call made with `method` (`POST` or `GET`).
pub fn sign_v1(method: &str, params: &Params, secret: &str) -> SignedQuery {
    let canonical_query = canonical_query(params);
    let mut string_to_sign = String::with_capacity(method.len() + 5 + canonical_query.len() * 2);
    string_to_sign.push_str(method);
    string_to_sign.push_str("&%2F&");
    string_to_sign.extend(utf8_percent_encode(&canonical_query, ENCODE));

    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC accepts a key of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());

    SignedQuery {
        canonical_query,
        string_to_sign,
        signature,
    }
}

/// The algorithm name of signature V3, first in its string to sign and its
/// `Authorization` header.
pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256, as V3 wants for the payload hash and the canonical request.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The stages of a V3 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedV3 {
    pub canonical_request: String,
    pub string_to_sign: String,
    /// `host;x-acs-action;...`: the signed header names, sorted.
    pub signed_headers: String,
    /// Hex HMAC-SHA256 of the string to sign.
    pub signature: String,
    /// The whole `Authorization` header value.
    pub authorization: String,
}

/// Sign a request with signature V3 (ACS3-HMAC-SHA256).
///
/// `headers` are the request's headers with lower-case names; `host`,
/// `content-type` and every `x-acs-*` header are signed, and they must
/// already include `x-acs-content-sha256`, the hex SHA-256 of the body.
/// 1. canonical request = method, path, canonical query, canonical headers
///    (`name:value` lines, sorted), signed header names, payload hash,
///    joined by newlines;
/// 2. string to sign = `ACS3-HMAC-SHA256` + newline + hex SHA-256 of it;
/// 3. signature = hex HMAC-SHA256(secret, string to sign).
pub fn sign_v3(
    method: &str,
    path: &str,
    query: &Params,
    headers: &BTreeMap<String, String>,
    access_key_id: &str,
    secret: &str,
) -> SignedV3 {
    let signed: Vec<(&String, &String)> = headers
        .iter()
        .filter(|(name, _)| {
            name.as_str() == "host" || name.as_str() == "content-type" || name.starts_with("x-acs-")
        })
        .collect();
    let canonical_headers: String = signed
        .iter()
        .map(|(name, value)| format!("{name}:{}\n", value.trim()))
        .collect();
    let signed_headers = signed
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let payload_hash = headers
        .get("x-acs-content-sha256")
        .cloned()
        .unwrap_or_else(|| sha256_hex(b""));

    let canonical_request = format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        canonical_query(query)
    );
    let string_to_sign = format!(
        "{V3_ALGORITHM}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts a key of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let authorization = format!(
        "{V3_ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    );
    SignedV3 {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const V1_VECTORS: &str = include_str!("../tests/data/signature-v1.json");
    const V3_VECTORS: &str = include_str!("../tests/data/signature-v3.json");

    fn cases(vectors: &str) -> Vec<Value> {
        let doc: Value = serde_json::from_str(vectors).expect("vector file is JSON");
        doc["cases"]
            .as_array()
            .expect("vector file has cases")
            .clone()
    }

    fn params_of(case: &Value) -> Params {
        case["params"]
            .as_object()
            .expect("case has params")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("string param").to_owned()))
            .collect()
    }

    #[test]
    fn v1_known_answers_from_the_official_sdk() {
        let cases = cases(V1_VECTORS);
        assert!(
            cases.len() >= 8,
            "expected every V1 vector, got {}",
            cases.len()
        );
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let signed = sign_v1(
                case["method"].as_str().unwrap(),
                &params_of(&case),
                case["access_key_secret"].as_str().unwrap(),
            );
            assert_eq!(
                signed.string_to_sign,
                case["string_to_sign"].as_str().unwrap(),
                "case {name}: string to sign differs"
            );
            assert_eq!(
                signed.signature,
                case["signature"].as_str().unwrap(),
                "case {name}: signature differs"
            );
        }
    }

    fn string_map(case: &Value, key: &str) -> BTreeMap<String, String> {
        case[key]
            .as_object()
            .unwrap_or_else(|| panic!("case has {key}"))
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
            .collect()
    }

    #[test]
    fn v3_known_answers_from_the_official_sdk() {
        let cases = cases(V3_VECTORS);
        assert!(
            cases.len() >= 3,
            "expected every V3 vector, got {}",
            cases.len()
        );
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let headers = string_map(&case, "headers");
            assert_eq!(
                headers["x-acs-content-sha256"],
                sha256_hex(case["body"].as_str().unwrap().as_bytes()),
                "case {name}: payload hash"
            );
            let signed = sign_v3(
                case["method"].as_str().unwrap(),
                case["path"].as_str().unwrap(),
                &string_map(&case, "query"),
                &headers,
                case["access_key_id"].as_str().unwrap(),
                case["access_key_secret"].as_str().unwrap(),
            );
            assert!(
                signed.canonical_request.starts_with("POST\n/\n"),
                "case {name}: canonical request starts with method and path"
            );
            assert_eq!(
                signed.string_to_sign,
                format!(
                    "ACS3-HMAC-SHA256\n{}",
                    sha256_hex(signed.canonical_request.as_bytes())
                ),
                "case {name}: string to sign"
            );
            assert_eq!(
                signed.authorization,
                case["authorization"].as_str().unwrap(),
                "case {name}: authorization header differs"
            );
        }
    }

    #[test]
    fn documented_example_signature() {
        let case = cases(V1_VECTORS)
            .into_iter()
            .find(|c| c["name"] == "documented-example")
            .expect("documented example is present");
        let signed = sign_v1("GET", &params_of(&case), "testsecret");
        assert_eq!(signed.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn percent_encoding_table() {
        let table = [
            ("a b", "a%20b"),
            ("a+b", "a%2Bb"),
            ("a*b", "a%2Ab"),
            ("a~b", "a~b"),
            ("a/b", "a%2Fb"),
            ("!'()", "%21%27%28%29"),
            ("中", "%E4%B8%AD"),
            ("é", "%C3%A9"),
            ("-_.", "-_."),
            ("AZaz09", "AZaz09"),
            ("=&", "%3D%26"),
            ("", ""),
        ];
        for (raw, encoded) in table {
            assert_eq!(percent_encode(raw), encoded, "encoding {raw:?}");
        }
    }

    #[test]
    fn canonical_query_sorts_by_key_and_skips_signature() {
        let params: Params = [("b", "2"), ("Signature", "x"), ("a", "1 2"), ("B", "3")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(canonical_query(&params), "B=3&a=1%202&b=2");
    }

    #[test]
    fn query_string_appends_the_encoded_signature() {
        let signed = SignedQuery {
            canonical_query: "A=1".into(),
            string_to_sign: String::new(),
            signature: "ab+/=".into(),
        };
        assert_eq!(signed.query_string(), "A=1&Signature=ab%2B%2F%3D");
    }

    proptest::proptest! {
        #[test]
        fn encoding_keeps_only_unreserved_characters_and_round_trips(text in "\\PC*") {
            let encoded = percent_encode(&text);
            let mut bytes = encoded.bytes();
            while let Some(b) = bytes.next() {
                if b == b'%' {
                    let hex: Vec<u8> = bytes.by_ref().take(2).collect();
                    proptest::prop_assert!(
                        hex.len() == 2 && hex.iter().all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                        "bad escape in {}", encoded
                    );
                } else {
                    proptest::prop_assert!(
                        b.is_ascii_alphanumeric() || b"-_.~".contains(&b),
                        "{:?} left literal in {}", b as char, encoded
                    );
                }
            }
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8().unwrap();
            proptest::prop_assert_eq!(decoded, text);
        }
    }

    #[test]
    fn timestamp_is_utc_to_the_second() {
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_704_164_645_900);
        assert_eq!(format_timestamp(at), "2024-01-02T03:04:05Z");
    }
}
