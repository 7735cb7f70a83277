//! CORS, as tower-http's `CorsLayer` answered it for the native emulator (any origin, the
//! request's method and headers mirrored, `Retry-After`, `Allow` and `Content-Disposition`
//! exposed, preflights cached 600 s): every `OPTIONS` is a preflight answered here with an
//! empty 200; every other reply gets the headers.

use crate::reply::Reply;
use crate::request::Request;

const VARY: &str = "origin, access-control-request-method, access-control-request-headers";

/// The answer to a preflight (`OPTIONS`).
pub fn preflight(req: &Request<'_>) -> Reply {
    let mut r = Reply::empty(200);
    r.headers.push(("vary".into(), VARY.into()));
    if let Some(m) = req.header("access-control-request-method") {
        r.headers
            .push(("access-control-allow-methods".into(), m.to_owned()));
    }
    if let Some(h) = req.header("access-control-request-headers") {
        r.headers
            .push(("access-control-allow-headers".into(), h.to_owned()));
    }
    r.headers
        .push(("access-control-max-age".into(), "600".into()));
    r.headers
        .push(("access-control-allow-origin".into(), "*".into()));
    r
}

/// Adds the CORS headers of a response that is no preflight.
pub fn decorate(reply: &mut Reply) {
    reply.headers.push(("vary".into(), VARY.into()));
    reply.set_header(
        "access-control-expose-headers",
        "retry-after,allow,content-disposition",
    );
    reply.set_header("access-control-allow-origin", "*");
}
