//! The settings that choose a backend ([`Options`], the `--postgres` [`Mode`]). Below the two
//! files that use them: the engine (`engine.rs`) is built from the options, and `mod.rs` builds
//! the engine or the core's `Off` in [`open`](super::open), so the engine needs nothing of
//! `mod.rs`.

use std::path::PathBuf;
use std::str::FromStr;

/// The `--postgres` switch.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Mode {
    /// Real servers when the binaries are found, else records only.
    Auto,
    /// Records only (no PostgreSQL).
    #[default]
    Off,
    /// Real servers from the binaries in this folder (`initdb`, `postgres`, `pg_basebackup`).
    Path(PathBuf),
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Self::Auto),
            "off" => Ok(Self::Off),
            "" => Err("--postgres: expected auto, off or a folder of PostgreSQL binaries".into()),
            p => Ok(Self::Path(PathBuf::from(p))),
        }
    }
}

/// Settings of the real side.
#[derive(Clone, Debug)]
pub struct Options {
    /// The switch.
    pub mode: Mode,
    /// Most real nodes at once.
    pub max_nodes: usize,
    /// Where data folders live; `None`: a temporary folder removed at shutdown.
    pub data_dir: Option<PathBuf>,
    /// No progress lines on stderr.
    pub quiet: bool,
}
