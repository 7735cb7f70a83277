//! The `--state` file: SQLite holding the core's snapshot (one row, the JSON text), written
//! after every exchange that changed the clusters. A file of the earlier layout (one row per
//! cluster in a `clusters` table) is read as a snapshot of those clusters and rewritten.

use serde_json::{json, Value};

/// The SQLite state file.
pub struct Store {
    conn: rusqlite::Connection,
}

impl Store {
    /// Opens (creating when needed) the store at `path`.
    ///
    /// # Errors
    /// A message when the file cannot be opened or the table created.
    pub fn open(path: &std::path::Path) -> Result<Self, String> {
        let conn =
            rusqlite::Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL);",
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self { conn })
    }

    /// The stored snapshot, if any (from the earlier layout's rows when there is no snapshot;
    /// unreadable rows of it are skipped with a warning).
    ///
    /// # Errors
    /// A message when the snapshot row is not JSON (the file is then left as it is).
    pub fn load(&self) -> Result<Option<Value>, String> {
        let row: Option<String> = self
            .conn
            .query_row("SELECT data FROM snapshot WHERE id = 1", [], |r| r.get(0))
            .ok();
        if let Some(text) = row {
            return serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("damaged snapshot: {e}"));
        }
        Ok(self.legacy())
    }

    /// The clusters of the earlier layout as a snapshot (`None` without that table or rows).
    fn legacy(&self) -> Option<Value> {
        let mut stmt = self.conn.prepare("SELECT id, data FROM clusters").ok()?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .ok()?;
        let mut clusters = Vec::new();
        for (id, data) in rows.flatten() {
            match serde_json::from_str::<Value>(&data) {
                Ok(rec) => clusters.push(rec),
                Err(e) => eprintln!("warning: state: skipping unreadable cluster {id}: {e}"),
            }
        }
        (!clusters.is_empty()).then(|| json!({ "version": 1, "clusters": clusters }))
    }

    /// Writes the snapshot (in one transaction, which also drops the earlier layout's rows).
    ///
    /// # Errors
    /// A message when SQLite fails.
    pub fn save(&mut self, snapshot: &Value) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        tx.execute(
            "INSERT INTO snapshot (id, data) VALUES (1, ?1)
             ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            [snapshot.to_string()],
        )
        .map_err(|e| e.to_string())?;
        let legacy: bool = tx
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'clusters'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .unwrap_or(false);
        if legacy {
            tx.execute("DROP TABLE clusters", [])
                .map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())
    }
}
