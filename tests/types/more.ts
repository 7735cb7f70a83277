// Type-check of the operations beyond the provisioning page (issue 23): configurations, the
// default user's password, reloads, settings, resizes, maintenance events; `@ts-expect-error`
// lines prove the types refuse what the runtime refuses.
import {
  InstaclustrClient,
  buildCreateConfigurationRequest,
  buildGetConfigurationRequest,
  buildListResizeOperationsRequest,
  buildUpdateDefaultUserPasswordRequest,
  parseGetNodeReloadResponse,
  parseListConfigurationsResponse,
  parseListUpcomingMaintenanceEventsResponse,
  parseResetConfigurationResponse,
  parseUpdateDefaultUserPasswordResponse,
  type ClusterSettings,
  type ConfigurationId,
  type ConfigurationProperty,
  type MaintenanceSchedules,
  type ReloadOperation,
  type ReloadStatus,
  type ResizeOperations,
  type WaitProgress,
} from "../../pkg/index.js";

const CLUSTER = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";

export async function useMore(client: InstaclustrClient, signal: AbortSignal): Promise<void> {
  const created: ConfigurationProperty = await client.createConfiguration({ clusterId: CLUSTER, name: "work_mem", value: "16MB" });
  const name: string = created.name;
  const byParts: ConfigurationId = { clusterId: CLUSTER, name };
  const got: ConfigurationProperty = await client.getConfiguration(byParts, { signal });
  await client.updateConfiguration(`${CLUSTER}|work_mem`, { value: got.value });
  const reset: void = await client.resetConfiguration(byParts);
  const lists = await client.listConfigurations(CLUSTER);
  const values: string[] = lists.flatMap((l) => (l.configurationProperties ?? []).map((c) => c.value));
  // @ts-expect-error a configuration needs a value
  await client.createConfiguration({ clusterId: CLUSTER, name: "work_mem" });
  // @ts-expect-error the id is a string or its two parts
  await client.getConfiguration({ clusterId: CLUSTER });
  // @ts-expect-error a value is a string
  await client.updateConfiguration(byParts, { value: 16 });

  const changed: void = await client.updateDefaultUserPassword(CLUSTER, { password: "Str0ng-Passw0rd" });
  // @ts-expect-error the password goes in an object
  await client.updateDefaultUserPassword(CLUSTER, "Str0ng-Passw0rd");

  const r: ReloadOperation = await client.reloadNode("node-id");
  const status: ReloadStatus | undefined = r.status;
  const known: ReloadStatus = "COMPLETED";
  const future: ReloadStatus = "SOMETHING_NEW";
  const done: ReloadOperation = await client.waitForReload("node-id", {
    maxWaitMs: 60_000,
    signal,
    onProgress: (p: WaitProgress) => p.progress,
  });
  // @ts-expect-error maxWaitMs is required
  await client.waitForReload("node-id", {});
  const latest = await client.getNodeReload("node-id");
  const all = await client.listReloads(CLUSTER);
  const n: number = (all.reloadOperations ?? []).length;

  const settings: ClusterSettings | undefined = await client.updateClusterSettings(CLUSTER, {
    description: "Team A",
    twoFactorDelete: { confirmationEmail: "ops@example.com" },
  });
  // @ts-expect-error twoFactorDelete is one object here
  await client.updateClusterSettings(CLUSTER, { twoFactorDelete: [{ confirmationEmail: "ops@example.com" }] });

  const resizes: ResizeOperations = await client.listResizeOperations("dc-id", { activeOnly: true });
  await client.listResizeOperations("dc-id");
  // @ts-expect-error activeOnly is a boolean
  await client.listResizeOperations("dc-id", { activeOnly: "yes" });
  const upcoming: MaintenanceSchedules[] = await client.listUpcomingMaintenanceEvents(CLUSTER);
  const finalized: boolean | undefined = upcoming[0]?.maintenanceEvents?.[0]?.isFinalized;
  const past = await client.listPastMaintenanceEvents(CLUSTER);
  const outcome: string | undefined = past[0]?.maintenanceEvents?.[0]?.outcome;
  await client.listInProgressMaintenanceEvents(CLUSTER);
  void [name, reset, values, changed, status, known, future, done, latest, n, settings, resizes, finalized, outcome];
}

export function useMoreBuilders(): void {
  const req = buildCreateConfigurationRequest({ clusterId: CLUSTER, name: "work_mem", value: "1" });
  const url: string = buildGetConfigurationRequest({ clusterId: CLUSTER, name: "work_mem" }).url;
  buildUpdateDefaultUserPasswordRequest(CLUSTER, { password: "Str0ng-Passw0rd" });
  buildListResizeOperationsRequest("dc-id", { activeOnly: false });
  const lists = parseListConfigurationsResponse(200, "[]");
  const reload: ReloadOperation = parseGetNodeReloadResponse(202, new Uint8Array());
  const upcoming: MaintenanceSchedules[] = parseListUpcomingMaintenanceEventsResponse(200, "[]");
  const none: void = parseResetConfigurationResponse(204, "");
  const nothing: void = parseUpdateDefaultUserPasswordResponse(202, "{}");
  void [req, url, lists, reload, upcoming, none, nothing];
}
