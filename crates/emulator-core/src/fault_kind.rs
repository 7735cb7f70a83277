//! The fault kinds and their text (`503`, `drop`, `stall:3000`, ...), below the options that
//! check them and the fault decision that draws them.

/// A fault kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Answer this status (4xx/5xx) without doing the work.
    Status(u16),
    /// Close the connection without answering, without doing the work.
    Drop,
    /// Do the work, then close the connection without answering.
    DropAfter,
    /// Wait this many milliseconds, then do the work.
    Stall(u64),
    /// Do the work, then send the body in pieces over this many milliseconds.
    SlowBody(u64),
    /// Do the work, then answer a non-JSON body.
    Garbage,
}

/// A fault kind from its text (`503`, `drop`, `stall:3000`, ...); `None` when it is not one.
pub fn parse_fault(s: &str) -> Option<Fault> {
    let s = s.trim();
    let (kind, arg) = s
        .split_once(':')
        .map_or((s, None), |(k, a)| (k, Some(a.trim())));
    let ms = |default: u64| match arg {
        None => Some(default),
        Some(a) => a.parse::<u64>().ok().map(|v| v.min(600_000)),
    };
    match kind {
        "drop" => Some(Fault::Drop),
        "drop-after" => Some(Fault::DropAfter),
        "garbage" => Some(Fault::Garbage),
        "stall" => ms(30_000).map(Fault::Stall),
        "slow-body" => ms(5_000).map(Fault::SlowBody),
        n => n
            .parse::<u16>()
            .ok()
            .filter(|c| (400..=599).contains(c))
            .map(Fault::Status),
    }
}
