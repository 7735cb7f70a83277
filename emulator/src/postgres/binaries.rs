//! Finding the PostgreSQL server binaries (`initdb`, `postgres`, `pg_basebackup`, `psql`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian's `postgresql` package puts each major version's binaries.
pub const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// The programs the engine runs.
const NEEDED: &[&str] = &["initdb", "postgres", "pg_basebackup"];

/// A usable set of binaries.
#[derive(Clone, Debug)]
pub struct Binaries {
    /// The folder.
    pub dir: PathBuf,
    /// `postgres --version`, e.g. `15.18`.
    pub version: String,
    /// `psql` (the folder's own, else the one on `PATH`).
    pub psql: PathBuf,
}

impl Binaries {
    /// A program of the folder.
    pub fn program(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// The binaries in `dir`.
///
/// # Errors
/// A message naming what is missing.
pub fn at(dir: &Path) -> Result<Binaries, String> {
    let missing: Vec<&str> = NEEDED
        .iter()
        .copied()
        .filter(|p| !dir.join(p).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "--postgres {}: no {} there",
            dir.display(),
            missing.join(", ")
        ));
    }
    let out = Command::new(dir.join("postgres"))
        .arg("--version")
        .output()
        .map_err(|e| format!("--postgres {}: cannot run postgres: {e}", dir.display()))?;
    // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .split_whitespace()
        .nth(2)
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .ok_or_else(|| {
            format!(
                "--postgres {}: unexpected `postgres --version`",
                dir.display()
            )
        })?
        .to_owned();
    let own = dir.join("psql");
    let psql = if own.is_file() {
        own
    } else {
        PathBuf::from("psql")
    };
    Ok(Binaries {
        dir: dir.to_path_buf(),
        version,
        psql,
    })
}

/// The newest major version under [`DEBIAN_ROOT`] that has every needed program.
pub fn discover() -> Option<Binaries> {
    let mut majors: Vec<(u32, PathBuf)> = std::fs::read_dir(DEBIAN_ROOT)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((major, e.path().join("bin")))
        })
        .collect();
    majors.sort();
    majors.into_iter().rev().find_map(|(_, dir)| at(&dir).ok())
}
