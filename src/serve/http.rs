/*!
The dev server's HTTP side: the output folder at the site's base_url, and the
reload channel at `/__gongkai/`.

Only files inside the output folder are served: a path is percent-decoded once,
any `.` or `..` segment (in whatever encoding) is refused with 400, hidden files are
not found, and the resolved path, symlinks followed, must still lie inside the
output. HTML responses get the reload script; files on disk never do, so the
output of `gongkai serve` is the same as that of `gongkai build`.

Requests must name the server by an IP address or as localhost (see [`allowed_host`]),
and redirects only ever lead to a path of this server.
*/

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use tokio::sync::watch;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::Status;
use crate::error::{Error, Result};

const RELOAD_JS: &str = include_str!("reload.js");
const EVENTS: &str = "/__gongkai/events";

/// What the server serves.
pub struct Served {
    pub output: PathBuf,
    pub base_url: String,
    pub status: watch::Receiver<Status>,
}

type Shared = Arc<Served>;

/// Serves until Ctrl+C.
pub fn serve(listener: std::net::TcpListener, served: Served) -> Result<()> {
    let fail = |e: std::io::Error| Error::Output(format!("the HTTP server stopped: {e}"));
    listener.set_nonblocking(true).map_err(fail)?;
    let home = format!("http://{}{}", super::display_addr(listener.local_addr().map_err(fail)?), served.base_url);
    let app = Router::new()
        .route("/__gongkai/reload.js", get(reload_js))
        .route(EVENTS, get(events))
        .route("/__gongkai/status", get(status))
        .fallback(file)
        .with_state(Arc::new(served))
        .layer(middleware::from_fn_with_state(Arc::new(home), check_host));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(fail)?;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::select! {
            served = axum::serve(listener, app) => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    // Open pages hold their event streams open; don't wait for them to close.
    runtime.shutdown_background();
    result.map_err(fail)
}

/// Refuses a request for a host name other than localhost with 403: a web page
/// elsewhere could point its own name at this machine (DNS rebinding) and read the
/// preview through the visitor's browser.
async fn check_host(State(home): State<Arc<String>>, request: Request, next: Next) -> Response {
    let mut named = request.headers().get_all(header::HOST).iter().map(|h| h.to_str().unwrap_or("?")).chain(request.uri().authority().map(Authority::as_str));
    if let Some(host) = named.find(|h| !allowed_host(h)) {
        let text = format!(
            "403: this preview answers only to localhost and IP addresses, not to the name \"{host}\" (a guard against DNS rebinding): open {home}\n"
        );
        return (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response();
    }
    next.run(request).await
}

/// Whether a `Host` (name and port) is one the preview answers to: any IP address,
/// which no other site can make a browser send (so every address of the machine works
/// with `--bind 0.0.0.0`), and localhost with its sub-domains, which resolve to this
/// machine alone. The rule of webpack-dev-server's and Vite's default allowed hosts.
fn allowed_host(host: &str) -> bool {
    let Ok(authority) = host.parse::<Authority>() else { return false };
    let name = authority.host();
    let bare = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

async fn reload_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], RELOAD_JS).into_response()
}

/// The reload channel: the current status at once, then each new one.
async fn events(State(served): State<Shared>) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::new(served.status.clone()).map(|status| {
        let json = serde_json::to_string(&status).unwrap_or_default();
        Ok(Event::default().event("status").data(json))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn status(State(served): State<Shared>) -> Response {
    let json = serde_json::to_string(&*served.status.borrow()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], json).into_response()
}

enum Found {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Folder,
    Missing,
    Refused,
}

async fn file(State(served): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response();
    }
    let path = uri.path();
    let base = served.base_url.as_str();
    let Some(rest) = path.strip_prefix(base) else {
        if path == "/" || base.strip_suffix('/') == Some(path) {
            return redirect(base);
        }
        return not_found(&served).await;
    };
    match resolve(&served.output, rest).await {
        Found::File(file) => send_file(&served, &file, StatusCode::OK).await,
        Found::Folder => redirect(&format!("{path}/{}", uri.query().map(|q| format!("?{q}")).unwrap_or_default())),
        Found::Missing => not_found(&served).await,
        Found::Refused => (StatusCode::BAD_REQUEST, "bad path").into_response(),
    }
}

/// Where the request path `rest` (below base_url, still percent-encoded) leads.
async fn resolve(output: &Path, rest: &str) -> Found {
    let Ok(decoded) = percent_decode_str(rest).decode_utf8() else { return Found::Refused };
    let mut target = output.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(['\\', '\0']) {
            return Found::Refused;
        }
        if segment.starts_with('.') {
            return Found::Missing;
        }
        target.push(segment);
    }
    let (Ok(real), Ok(inside)) = (tokio::fs::canonicalize(&target).await, tokio::fs::canonicalize(output).await) else {
        return Found::Missing;
    };
    if !real.starts_with(&inside) {
        return Found::Missing;
    }
    match tokio::fs::metadata(&real).await {
        Ok(m) if m.is_dir() && !decoded.is_empty() && !decoded.ends_with('/') => Found::Folder,
        Ok(m) if m.is_dir() => {
            let index = real.join("index.html");
            if tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) { Found::File(index) } else { Found::Missing }
        }
        Ok(_) => Found::File(real),
        Err(_) => Found::Missing,
    }
}

async fn not_found(served: &Served) -> Response {
    let page = served.output.join("404.html");
    if tokio::fs::metadata(&page).await.is_ok() {
        return send_file(served, &page, StatusCode::NOT_FOUND).await;
    }
    // No build yet (the first one failed): a bare page that still shows the errors.
    let html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>页面不存在</title></head><body><h1>页面不存在</h1></body></html>";
    html_response(served, html.as_bytes().to_vec(), StatusCode::NOT_FOUND)
}

async fn send_file(served: &Served, file: &Path, code: StatusCode) -> Response {
    let Ok(bytes) = tokio::fs::read(file).await else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mime = content_type(file);
    if mime.starts_with("text/html") {
        return html_response(served, bytes, code);
    }
    response(code, &mime, bytes)
}

fn html_response(served: &Served, html: Vec<u8>, code: StatusCode) -> Response {
    let build = served.status.borrow().build.clone();
    response(code, "text/html; charset=utf-8", inject(html, &build))
}

/// Adds the reload script before `</body>` (or at the end).
pub fn inject(mut html: Vec<u8>, build: &str) -> Vec<u8> {
    let tag = format!("<script src=\"/__gongkai/reload.js\" data-build=\"{build}\" data-events=\"{EVENTS}\"></script>");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn response(code: StatusCode, mime: &str, bytes: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = code;
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    // A preview must never show a stale page from the browser's cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// A redirect to the path `to` of this server. Leading slashes (and backslashes)
/// become one: a browser reads `//catalogue/` or `/\catalogue/` as another host.
fn redirect(to: &str) -> Response {
    let path = format!("/{}", to.trim_start_matches(['/', '\\']));
    let location = HeaderValue::from_str(&path).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)], "").into_response()
}

/// The content type of an output file, with a charset for text.
pub fn content_type(file: &Path) -> String {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    // Pagefind's index files have extensions no registry knows.
    if matches!(ext.as_str(), "pf_fragment" | "pf_index" | "pf_meta" | "pagefind") {
        return "application/octet-stream".into();
    }
    let mime = mime_guess::from_ext(&ext).first_or_octet_stream();
    let textual = mime.type_() == "text" || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml" | "atom+xml");
    if textual { format!("{mime}; charset=utf-8") } else { mime.to_string() }
}
