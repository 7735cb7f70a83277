//! Real PostgreSQL behind the emulator: one server per node, on its own loopback address, with
//! TLS signed by the cluster CA, Instaclustr's users, streaming standbys, resizes that restart the
//! nodes one by one, and the processes stopped when the emulator stops.
//!
//! The core's API handlers talk to a [`Backend`]: the core's [`Off`] (records only) or the
//! [`Engine`] (real servers). The engine does its work on one worker thread per cluster; what it
//! has achieved is published in the cluster's [`Live`] record, which the core's lifecycle
//! consults: a node is `RUNNING` only when its server accepts a TLS login as `icpostgresql` (the
//! scaled time stays a lower bound).

pub mod address;
mod backend;
pub mod binaries;
pub mod engine;
pub mod node;
pub mod run;
pub mod settings;

pub use backend::{Mode, Options};
pub use engine::Engine;
pub use instaclustr_pg_emulator_core::live::{BackupState, Live};
pub use instaclustr_pg_emulator_core::{Backend, Off};

/// Default maximum number of real nodes running at once.
pub const DEFAULT_MAX_NODES: usize = 8;

/// The backend for `options`.
///
/// # Errors
/// A message when `--postgres <path>` names a folder without the binaries, or the data folder
/// cannot be made.
pub fn open(options: &Options) -> Result<std::sync::Arc<dyn Backend>, String> {
    let found =
        match &options.mode {
            Mode::Off => {
                return Ok(std::sync::Arc::new(Off {
                    reason: "--postgres off".into(),
                }))
            }
            Mode::Auto => match binaries::discover() {
                Some(b) => b,
                None => return Ok(std::sync::Arc::new(Off {
                    reason:
                        "--postgres auto found no PostgreSQL binaries in /usr/lib/postgresql/*/bin"
                            .into(),
                })),
            },
            Mode::Path(p) => binaries::at(p)?,
        };
    Ok(std::sync::Arc::new(Engine::new(found, options)?))
}
