// Entry point: loads the package (www/sdk.js), then wires the views. No framework, no build
// step. Modules are imported dynamically so that a missing `pkg/` shows a readable message.
const $ = (sel) => document.querySelector(sel);

async function main() {
  let sdk;
  let views;
  try {
    sdk = await import("./sdk.js");
    views = await Promise.all(
      [
        "./connection.js",
        "./create.js",
        "./clusters.js",
        "./cluster-view.js",
        "./backups.js",
        "./settings.js",
        "./sql-box.js",
      ].map((m) => import(m)),
    );
  } catch (err) {
    return bootError(`the package could not be loaded (${err?.message ?? err})`);
  }
  const missing = sdk.missingExports();
  if (missing.length) return bootError(`the package does not export ${missing.join(", ")}`);
  const [connection, create, clusters, clusterView, backups, settings, sqlBox] = views;
  connection.initConnection();
  create.initCreate();
  clusters.initClusters();
  clusterView.initClusterView();
  backups.initBackups();
  settings.initSettings();
  sqlBox.initSqlBox();
  $("#activity-clear").addEventListener("click", () => $("#activity-log").replaceChildren());
  document.body.dataset.ready = "true";
}

function bootError(message) {
  const node = $("#boot-error");
  node.textContent = `The console cannot start: ${message}. Build the package first (scripts/build copies it to www/pkg).`;
  node.hidden = false;
  document.body.dataset.ready = "error";
}

main();
