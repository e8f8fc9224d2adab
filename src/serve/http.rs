//! Answering one request: loopback hosts only, the file from the site in memory (search from
//! the index once it is ready), the live-reload script and any problems put into pages.

use std::path::Path;
use std::sync::{Arc, RwLock};

use super::Site;
use super::listen::{Request, Response};
use crate::render::{Blob, Plan};

/// Whether a request was addressed to this server by a loopback name (SPEC §1). A page on
/// another site can point its own host name at 127.0.0.1 (DNS rebinding) and then read what
/// this server answers, a preview of held-back content among it; such requests carry that
/// other name in `Host`, so only 127.0.0.1, localhost and `[::1]` are answered, with our port
/// or none.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, host_port) = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, rest)) => (format!("[{addr}]"), rest.strip_prefix(':').map(str::to_string)),
            None => return false,
        },
        None => match host.split_once(':') {
            Some((n, p)) => (n.to_string(), Some(p.to_string())),
            None => (host.clone(), None),
        },
    };
    let name_ok = matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    let port_ok = host_port.is_none_or(|p| p == port.to_string());
    name_ok && port_ok
}

/// Whether `request` names exactly one loopback host with our port.
pub(super) fn allowed_host(request: &Request, port: u16) -> bool {
    matches!(request.hosts.as_slice(), [one] if host_allowed(one, port))
}

pub(super) fn refuse() -> Response {
    Response::new(
        421,
        "text/plain; charset=utf-8",
        "この確認用サーバーは http://127.0.0.1 か http://localhost で開いてください（Host が違います）".into(),
    )
}

const LIVE_JS: &str = "(function(){var seen=null;function poll(){fetch('/__banso/status',{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){if(seen===null){seen=s.build}else if(s.build!==seen){location.reload();return}setTimeout(poll,700)}).catch(function(){setTimeout(poll,2000)})}poll()})();";

pub(super) fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// The live-reload script and, when the latest rebuild failed, its problems over the page.
pub(super) fn inject(html: &[u8], problems: Option<&str>) -> Vec<u8> {
    let mut extra = String::from("<script src=\"/__banso/live.js\"></script>");
    if let Some(p) = problems {
        extra.push_str(&format!(
            "<div id=\"banso-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff0f0;color:#1a1a1a;border-top:4px solid #c00;padding:1rem;z-index:9999;font:14px/1.6 monospace\"><strong>内容に誤りがあります（直前の版を表示しています）</strong><pre style=\"white-space:pre-wrap\">{}</pre></div>",
            crate::render::escape(p)
        ));
    }
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]),
        None => format!("{text}{extra}"),
    };
    out.into_bytes()
}

pub(super) fn respond(request: &Request, site: &RwLock<Site>) -> Response {
    let url = request.target.split(['?', '#']).next().unwrap_or("/");
    let path = crate::model::link::destination::percent_decode(url.trim_start_matches('/'));
    let (plan, index, build, problems) = {
        let s = site.read().unwrap_or_else(|e| e.into_inner());
        (s.plan.clone(), s.index.clone(), s.build, s.problems.clone())
    };
    let reply = |status: u16, kind: &str, body: Vec<u8>| {
        Response::new(status, kind, body).with_header("Cache-Control", "no-store")
    };
    match path.as_str() {
        "__banso/status" => reply(
            200,
            "application/json",
            format!("{{\"build\":{build},\"ok\":{}}}", problems.is_none()).into_bytes(),
        ),
        "__banso/live.js" => reply(200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec()),
        _ => match plan {
            None => {
                let body = format!(
                    "<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>内容に誤りがあります</title><body><h1>内容に誤りがあります</h1><pre>{}</pre></body></html>",
                    crate::render::escape(problems.as_deref().unwrap_or(""))
                );
                reply(500, "text/html; charset=utf-8", inject(body.as_bytes(), None))
            }
            Some(plan) => match index
                .as_ref()
                .filter(|(made_for, _)| Arc::ptr_eq(made_for, &plan))
                .and_then(|(_, files)| files.get(&path))
            {
                Some(bytes) => reply(200, content_type(&path), bytes.clone()),
                None => serve_file(&plan, &path, problems.as_deref(), &reply),
            },
        },
    }
}

type Reply<'a> = dyn Fn(u16, &str, Vec<u8>) -> Response + 'a;

fn serve_file(plan: &Plan, path: &str, problems: Option<&str>, reply: &Reply) -> Response {
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let bytes = match plan.files().get(&file) {
        Some(Blob::Bytes(b)) => Some(b.to_vec()),
        Some(Blob::Copy(source)) => std::fs::read(Path::new(source)).ok(),
        None => None,
    };
    match bytes {
        Some(b) if file.ends_with(".html") => reply(200, content_type(&file), inject(&b, problems)),
        Some(b) => reply(200, content_type(&file), b),
        None if plan.files().contains_key(&format!("{file}/index.html")) => {
            reply(301, "text/plain", Vec::new()).with_header("Location", &format!("/{file}/"))
        }
        None => {
            let body = plan.get("404.html").map(|b| inject(b, problems)).unwrap_or_default();
            reply(404, "text/html; charset=utf-8", body)
        }
    }
}
