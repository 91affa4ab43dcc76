//! A loopback HTTP/1.1 server for tests. It answers each request with the
//! next canned [`Reply`] (the last one repeats), records what it received,
//! and can check the RPC signature V1 of every request with the real signer.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use percent_encoding::percent_decode_str;
use rustls::pki_types::pem::PemObject as _;

/// One canned answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status, a content type, extra headers and a body.
    Http {
        status: u16,
        content_type: &'static str,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Close the connection without answering.
    Close,
    /// Accept, read the request, and answer nothing for this long.
    Stall(Duration),
    /// Send these bytes, which are not HTTP, and close.
    Garbage(&'static [u8]),
    /// Promise a longer body than is sent, then close.
    Truncated,
    /// Send the head of a success reply at once, then its body one byte
    /// every `every`.
    Trickle { every: Duration },
}

impl Reply {
    /// A JSON reply with `status`.
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::Http {
            status,
            content_type: "application/json;charset=utf-8",
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    /// The same reply with one more header.
    pub fn with_header(self, name: &'static str, value: &str) -> Reply {
        match self {
            Reply::Http {
                status,
                content_type,
                mut headers,
                body,
            } => {
                headers.push((name, value.to_owned()));
                Reply::Http {
                    status,
                    content_type,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    /// A gateway refusal with `code`.
    pub fn gateway(status: u16, code: &str) -> Reply {
        Reply::json(
            status,
            serde_json::json!({
                "RequestId": format!("REQ-{code}"),
                "HostId": "dts.aliyuncs.com",
                "Code": code,
                "Message": format!("refused: {code}"),
                "Recommend": "",
            }),
        )
    }

    /// A reply with any content type and raw body.
    pub fn raw(status: u16, content_type: &'static str, body: &str) -> Reply {
        Reply::Http {
            status,
            content_type,
            headers: Vec::new(),
            body: body.to_owned(),
        }
    }

    /// STS's answer to AssumeRole or AssumeRoleWithOIDC: temporary keys
    /// that last `lasts` from now.
    pub fn assumed_role(key: &TemporaryKey, lasts: Duration) -> Reply {
        Reply::json(
            200,
            serde_json::json!({
                "RequestId": "REQ-STS",
                "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/dts", "AssumedRoleId": "3:dts"},
                "Credentials": key.json(lasts),
            }),
        )
    }

    /// The metadata service's (or a credentials URI's) answer with
    /// temporary keys that last `lasts` from now.
    pub fn credentials(key: &TemporaryKey, lasts: Duration) -> Reply {
        let mut body = key.json(lasts);
        body["Code"] = "Success".into();
        body["LastUpdated"] = "2026-01-01T00:00:00Z".into();
        Reply::json(200, body)
    }

    /// Plain text, as the metadata service answers token and role requests.
    pub fn text(body: &str) -> Reply {
        Reply::raw(200, "text/plain", body)
    }

    /// The service's success reply for StopDtsJob.
    pub fn stopped(request_id: &str) -> Reply {
        Reply::json(
            200,
            serde_json::json!({
                "RequestId": request_id,
                "Success": true,
                "HttpStatusCode": 200,
            }),
        )
    }
}

/// A set of temporary keys a stand-in hands out; every part is a sentinel
/// that must never be printed.
#[derive(Clone, Debug)]
pub struct TemporaryKey {
    pub id: String,
    pub secret: String,
    pub token: String,
}

impl TemporaryKey {
    /// Keys whose parts all carry `tag`.
    pub fn new(tag: &str) -> TemporaryKey {
        TemporaryKey {
            id: format!("STS.{tag}KeyId0001"),
            secret: format!("temp-secret-{tag}-Qv3"),
            token: format!("temp-token-{tag}-Jk8"),
        }
    }

    fn json(&self, lasts: Duration) -> serde_json::Value {
        let expiration = humantime::format_rfc3339_seconds(std::time::SystemTime::now() + lasts);
        serde_json::json!({
            "AccessKeyId": self.id,
            "AccessKeySecret": self.secret,
            "SecurityToken": self.token,
            "Expiration": expiration.to_string(),
        })
    }
}

/// What the server received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The raw query string, as sent.
    pub raw_query: String,
    /// Query parameters, percent-decoded.
    pub params: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    /// When the request had been read.
    pub received_at: Instant,
    /// The body, as text.
    pub body: String,
}

impl Request {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// Recompute the V3 signature over the headers the request names as
    /// signed, and compare the whole Authorization header.
    pub fn signature_v3_matches(&self, key_id: &str, secret: &str) -> bool {
        let Some(authorization) = self.header("authorization") else {
            return false;
        };
        let Some(names) = authorization
            .split("SignedHeaders=")
            .nth(1)
            .and_then(|rest| rest.split(',').next())
        else {
            return false;
        };
        let signed: BTreeMap<String, String> = names
            .split(';')
            .filter_map(|name| Some((name.to_owned(), self.headers.get(name)?.clone())))
            .collect();
        dts::sign::sign_v3(
            &self.method,
            &self.path,
            &self.params,
            &signed,
            key_id,
            secret,
        )
        .authorization
            == authorization
    }

    /// The body's parameters, when it is a form.
    pub fn form(&self) -> BTreeMap<String, String> {
        parse_pairs(&self.body)
    }

    /// Recompute the V1 signature with `secret` and compare.
    pub fn signature_matches(&self, secret: &str) -> bool {
        let mut params: dts::sign::Params = self.params.clone();
        let Some(sent) = params.remove("Signature") else {
            return false;
        };
        dts::sign::sign_v1(&self.method, &params, secret).signature == sent
    }
}

/// A server on 127.0.0.1 with an ephemeral port; it stops with the test.
pub struct Server {
    port: u16,
    scheme: &'static str,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Serve `replies` in order over plain HTTP; the last repeats.
    pub fn start(replies: Vec<Reply>) -> Server {
        Server::listen(replies, None)
    }

    /// Serve `replies` over HTTPS with the test certificate of
    /// `tests/data/tls/` (for 127.0.0.1, issued by its own test CA).
    pub fn start_tls(replies: Vec<Reply>) -> Server {
        let certs = rustls::pki_types::CertificateDer::pem_slice_iter(include_bytes!(
            "../data/tls/server.pem"
        ))
        .collect::<Result<Vec<_>, _>>()
        .expect("test certificate parses");
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(include_bytes!(
            "../data/tls/server.key"
        ))
        .expect("test key parses");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("default TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("certificate and key match");
        Server::listen(replies, Some(Arc::new(config)))
    }

    fn listen(replies: Vec<Reply>, tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        assert!(!replies.is_empty(), "a server needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let scheme = if tls.is_some() { "https" } else { "http" };
        thread::spawn(move || {
            for (index, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let reply = replies[index.min(replies.len() - 1)].clone();
                let seen = Arc::clone(&seen);
                let tls = tls.clone();
                thread::spawn(move || match tls {
                    None => serve(stream, reply, &seen),
                    Some(config) => {
                        let Ok(connection) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        serve(rustls::StreamOwned::new(connection, stream), reply, &seen);
                    }
                });
            }
        });
        Server {
            port,
            scheme,
            requests,
        }
    }

    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.port)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The only request received; fails the test if there were more or none.
    pub fn single_request(&self) -> Request {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

fn serve<S: Read + Write>(stream: S, reply: Reply, seen: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    seen.lock().unwrap().push(request);
    let mut stream = reader.into_inner();
    match reply {
        Reply::Http {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Reply::Close => {}
        Reply::Stall(time) => {
            thread::sleep(time);
        }
        Reply::Garbage(bytes) => {
            let _ = stream.write_all(bytes);
        }
        Reply::Trickle { every } => {
            let body = r#"{"RequestId":"REQ-SLOW","Success":true}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            if stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.flush())
                .is_err()
            {
                return;
            }
            for byte in body.as_bytes() {
                if stream
                    .write_all(&[*byte])
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
                thread::sleep(every);
            }
        }
        Reply::Truncated => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                  Content-Length: 100\r\n\r\n{\"RequestId\":",
            );
        }
    }
}

fn read_request<S: Read>(reader: &mut BufReader<S>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let (path, raw_query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (target, String::new()),
    };

    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;

    let params = parse_pairs(&raw_query);
    Some(Request {
        method,
        path,
        raw_query,
        params,
        headers,
        received_at: Instant::now(),
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn parse_pairs(text: &str) -> BTreeMap<String, String> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}
