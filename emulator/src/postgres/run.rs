//! Running PostgreSQL programs as an unprivileged user.
//!
//! PostgreSQL refuses to run as root. When the emulator runs as root (CI does), the servers,
//! `initdb` and `pg_basebackup` run as Debian's `postgres` user, and the folders they write are
//! given to it; as a normal user they run as that user. Client programs (`psql`) run as the
//! emulator itself. Secrets go through environment variables or stdin, never arguments.

use std::ffi::CString;
use std::os::unix::fs::{chown, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// The user the servers run as.
#[derive(Clone, Copy, Debug)]
pub struct RunAs {
    /// `Some((uid, gid))` when switching (the emulator is root); `None`: ourselves.
    pub ids: Option<(u32, u32)>,
}

/// The unprivileged account used when the emulator runs as root.
pub const SERVER_USER: &str = "postgres";

impl RunAs {
    /// Ourselves, or [`SERVER_USER`] when we are root.
    ///
    /// # Errors
    /// A message when we are root and that user does not exist.
    pub fn detect() -> Result<Self, String> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Ok(Self { ids: None });
        }
        let name = CString::new(SERVER_USER).map_err(|e| e.to_string())?;
        // SAFETY: getpwnam gets a valid C string; the result is read at once, before any
        // other call that could overwrite its static buffer.
        let pw = unsafe { libc::getpwnam(name.as_ptr()) };
        if pw.is_null() {
            return Err(format!(
                "PostgreSQL cannot run as root and there is no `{SERVER_USER}` user (install Debian's postgresql, or run the emulator as a normal user, or use --postgres off)"
            ));
        }
        // SAFETY: pw is non-null and points to a passwd record.
        let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
        Ok(Self {
            ids: Some((uid, gid)),
        })
    }

    /// A command for a server-side program, switched to the server user.
    pub fn command(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        if let Some((uid, gid)) = self.ids {
            c.uid(uid).gid(gid);
            c.env("HOME", "/tmp").env("USER", SERVER_USER);
        }
        c.env("LC_ALL", "C.UTF-8");
        c.stdin(Stdio::null());
        c
    }

    /// Makes `dir` (and missing parents) a folder the server user owns, mode 0700.
    ///
    /// # Errors
    /// A message naming the folder.
    pub fn own_dir(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        self.own(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", dir.display()))
    }

    /// Writes a file the server user owns, mode 0600.
    ///
    /// # Errors
    /// A message naming the file.
    pub fn write_file(&self, path: &Path, text: &str) -> Result<(), String> {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        self.own(path)
    }

    fn own(&self, path: &Path) -> Result<(), String> {
        if let Some((uid, gid)) = self.ids {
            chown(path, Some(uid), Some(gid)).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }
}

/// Runs `cmd` to completion; on failure a message with the end of its output.
///
/// # Errors
/// `what` and the last lines of stderr/stdout.
pub fn check(mut cmd: Command, what: &str) -> Result<String, String> {
    let out = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(format!(
        "{what} failed ({}): {}",
        out.status,
        tail(&format!("{stderr}{stdout}"), 6)
    ))
}

/// The last `n` lines of `text`, joined with ` | `.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}
