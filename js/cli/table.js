// Plain-text tables for a terminal: one header row, columns padded to their widest cell (by
// code points, colours excluded), two spaces between columns, no borders (like `gh` and `kubectl`).

// eslint-disable-next-line no-control-regex -- the ANSI colour sequences' escape byte
const ANSI = /\x1b\[[0-9;]*m/g;
const width = (s) => [...String(s).replace(ANSI, "")].length;

/**
 * `rows`: objects; `columns`: `[{ key, title, format? }]` (`format(value, row)` may colour).
 * Returns the table as lines (no trailing newline).
 */
export function renderTable(rows, columns) {
  const cells = rows.map((row) =>
    columns.map((c) => {
      const v = c.format ? c.format(row[c.key], row) : row[c.key];
      return v === undefined || v === null || v === "" ? "-" : String(v);
    }),
  );
  const titles = columns.map((c) => c.title);
  const widths = titles.map((t, i) => Math.max(width(t), ...cells.map((r) => width(r[i]))));
  const line = (r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i] - width(cell))))
      .join("  ")
      .trimEnd();
  return [line(titles), ...cells.map(line)];
}
