import { formatDuration } from '@paved/display-react';
import {
  DeploymentRecord,
  DoraLevel,
  EnvironmentStage,
} from '@paved/plugin-deployments-common';

/** "2.5 / week", one decimal below ten, none above. */
export const formatPerWeek = (perWeek: number) =>
  `${perWeek < 10 ? perWeek.toFixed(1) : Math.round(perWeek)} / week`;

/** Hours as "45m", "3h 10m" or "2d 4h"; "—" when there is nothing to measure. */
export const formatHours = (hours?: number) =>
  hours === undefined ? '—' : formatDuration(hours * 3_600_000);

/** A share (0–1) as "12%"; "—" when there is nothing to measure. */
export const formatRate = (rate?: number) =>
  rate === undefined ? '—' : `${Math.round(rate * 100)}%`;

export const LEVEL_LABELS: Record<DoraLevel, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const LEVEL_COLORS: Record<DoraLevel, string> = {
  elite: '#2e7d32',
  high: '#7cb342',
  medium: '#f9a825',
  low: '#c62828',
};

export const STAGE_LABELS: Record<EnvironmentStage, string> = {
  development: 'Development',
  staging: 'Staging',
  production: 'Production',
};

export const KIND_LABELS: Record<DeploymentRecord['kind'], string> = {
  deploy: 'Deploy',
  promotion: 'Promotion',
  rollback: 'Rollback',
};

/** How long a deployment took, or undefined while it runs. */
export function deploymentDuration(record: DeploymentRecord) {
  if (!record.finishedAt) return undefined;
  return formatDuration(
    Date.parse(record.finishedAt) - Date.parse(record.startedAt),
  );
}
