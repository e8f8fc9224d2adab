//! The connections of `serve`: HTTP/1.1 on a loopback socket, a bounded number at once
//! (SPEC §1).
//!
//! [`WORKERS`] threads each serve one connection at a time, keep-alive included; accepted
//! connections wait for a worker in a queue of [`QUEUED`]; beyond that a connection is answered
//! 503 at once and closed. A connection that sends nothing for [`IDLE`], or takes longer than
//! [`HEAD_TIME`] to send a request's head, is closed. So a thousand idle sockets cost a
//! thousand file descriptors for a few seconds, never a thousand threads. Requests are parsed
//! with `httparse`; only GET and HEAD are answered (405 otherwise).

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections served at once.
pub const WORKERS: usize = 16;
/// Connections accepted and waiting for a worker.
pub const QUEUED: usize = 64;
/// How long a kept-alive connection may send nothing.
pub const IDLE: Duration = Duration::from_secs(5);
/// How long a request's head may take to arrive once it has begun.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// The largest request head read.
const HEAD_BOUND: usize = 16 * 1024;
/// The largest request body read (and thrown away) to keep a connection alive.
const BODY_BOUND: u64 = 64 * 1024;

/// One request, as far as `serve` looks at it.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The request target as sent (`/cohorts/2/?x`).
    pub target: String,
    /// Every `Host` header's value.
    pub hosts: Vec<String>,
}

/// One response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Serve `listener` with `handle` on [`WORKERS`] threads; returns once they are started.
pub fn run(listener: TcpListener, handle: impl Fn(&Request) -> Response + Send + Sync + 'static) {
    let (queue, waiting) = channel::<TcpStream>();
    let waiting = Arc::new(Mutex::new(waiting));
    let handle = Arc::new(handle);
    // Connections being served or waiting for a worker; counted here rather than by the
    // queue's fill, so the bound holds however soon the workers start.
    let open = Arc::new(AtomicUsize::new(0));
    for _ in 0..WORKERS {
        let (waiting, handle, open) = (Arc::clone(&waiting), Arc::clone(&handle), Arc::clone(&open));
        std::thread::spawn(move || work(&waiting, &*handle, &open));
    }
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            if open.load(Ordering::Acquire) >= WORKERS + QUEUED {
                busy(stream);
            } else {
                open.fetch_add(1, Ordering::AcqRel);
                if queue.send(stream).is_err() {
                    return;
                }
            }
        }
    });
}

fn work(waiting: &Mutex<Receiver<TcpStream>>, handle: &dyn Fn(&Request) -> Response, open: &AtomicUsize) {
    loop {
        let next = waiting.lock().unwrap_or_else(|e| e.into_inner()).recv();
        match next {
            Ok(stream) => {
                connection(stream, handle);
                open.fetch_sub(1, Ordering::AcqRel);
            }
            Err(_) => return,
        }
    }
}

/// Too many connections: say so without waiting on the client, and close.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let body = "確認用サーバーが混み合っています。少し待ってから読み込み直してください";
    let _ = write_response(
        &mut stream,
        &Response::new(503, "text/plain; charset=utf-8", body.into()),
        false,
        true,
    );
}

/// Serve the requests of one connection until it closes, idles or asks to close.
fn connection(mut stream: TcpStream, handle: &dyn Fn(&Request) -> Response) {
    let _ = stream.set_write_timeout(Some(HEAD_TIME));
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let (request, keep_alive, used) = match read_head(&mut stream, &mut buf) {
            Head::Request(r, keep_alive, used) => (r, keep_alive, used),
            Head::Closed => return,
            Head::Bad(status) => {
                let response = Response::new(status, "text/plain; charset=utf-8", Vec::new());
                let _ = write_response(&mut stream, &response, false, true);
                return;
            }
        };
        buf.drain(..used.head);
        let mut keep_alive = keep_alive;
        // A body (which GET and HEAD do not have) is read and dropped if small, else the
        // connection closes after the answer.
        if used.body > 0 {
            let from_buf = (used.body as usize).min(buf.len());
            buf.drain(..from_buf);
            let rest = used.body - from_buf as u64;
            if rest > BODY_BOUND || std::io::copy(&mut (&mut stream).take(rest), &mut std::io::sink()).is_err() {
                keep_alive = false;
            }
        }
        let response = if matches!(request.method.as_str(), "GET" | "HEAD") {
            handle(&request)
        } else {
            Response::new(405, "text/plain; charset=utf-8", Vec::new()).with_header("Allow", "GET, HEAD")
        };
        let head_only = request.method == "HEAD";
        if write_response(&mut stream, &response, head_only, !keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

/// How much of the buffer a request took: its head, and the body length it announced.
struct Used {
    head: usize,
    body: u64,
}

enum Head {
    Request(Request, bool, Used),
    Closed,
    Bad(u16),
}

/// Read until `buf` holds a whole request head: the first byte may take [`IDLE`], the rest of
/// the head [`HEAD_TIME`].
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Head {
    let mut started: Option<Instant> = (!buf.is_empty()).then(Instant::now);
    let mut chunk = [0u8; 4096];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(buf) {
            Ok(httparse::Status::Complete(len)) if len > HEAD_BOUND => return Head::Bad(431),
            Ok(httparse::Status::Complete(len)) => return request(&parsed, len),
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Head::Bad(431),
            Err(_) => return Head::Bad(400),
        }
        if buf.len() > HEAD_BOUND {
            return Head::Bad(431);
        }
        let wait = match started {
            None => IDLE,
            Some(t) => match HEAD_TIME.checked_sub(t.elapsed()) {
                Some(left) if !left.is_zero() => left,
                _ => return Head::Bad(408),
            },
        };
        let _ = stream.set_read_timeout(Some(wait));
        match stream.read(&mut chunk) {
            Ok(0) => return Head::Closed,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                started.get_or_insert_with(Instant::now);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) if started.is_none() => return Head::Closed,
            Err(_) => return Head::Bad(408),
        }
    }
}

fn request(parsed: &httparse::Request, len: usize) -> Head {
    let header = |name: &'static str| {
        parsed
            .headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    if header("Transfer-Encoding").next().is_some() {
        return Head::Bad(400);
    }
    let body = match header("Content-Length").next() {
        None => 0,
        Some(n) => match n.trim().parse::<u64>() {
            Ok(n) => n,
            Err(_) => return Head::Bad(400),
        },
    };
    let connection: Vec<String> = header("Connection").map(|v| v.to_ascii_lowercase()).collect();
    let says = |word: &str| connection.iter().any(|v| v.split(',').any(|t| t.trim() == word));
    // HTTP/1.1 keeps a connection open unless asked not to; HTTP/1.0 only when asked.
    let keep_alive = match parsed.version {
        Some(1) => !says("close"),
        _ => says("keep-alive"),
    };
    let request = Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or("/").to_string(),
        hosts: header("Host").collect(),
    };
    Head::Request(request, keep_alive, Used { head: len, body })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_response(stream: &mut TcpStream, r: &Response, head_only: bool, close: bool) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (name, value) in &r.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n", r.body.len()));
    out.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "Connection: keep-alive\r\n\r\n"
    });
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&r.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}
