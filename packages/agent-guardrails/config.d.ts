export interface Config {
  paved?: {
    /**
     * What AI agents (anything calling Paved's actions through the Actions Registry,
     * e.g. an MCP client on /api/mcp-actions/v1) may do for the user they act for. The
     * permission framework decides first, exactly as for the portal; these rules only
     * narrow it.
     */
    agents?: {
      /** Actions that only read. allow (default) | deny */
      read?: 'allow' | 'deny';
      /** Changes that are neither requests nor destructive (incident notes, status). allow | deny (default) */
      change?: 'allow' | 'deny';
      /** Provisioning requests and day-2 actions. allow | approval (default: always through approval) | deny */
      request?: 'allow' | 'approval' | 'deny';
      /** Deletes, tear-downs, runbook runs. allow | dry-run (default) | deny */
      destructive?: 'allow' | 'dry-run' | 'deny';
      /** Who approves what agents request under `request: approval` (default: provisioning's default approvers). */
      approvers?: string;
      /** Per action id (e.g. `provisioning:delete-resource`): allow | approval | dry-run | deny. */
      actions?: {
        [actionId: string]: 'allow' | 'approval' | 'dry-run' | 'deny';
      };
    };
  };
}
