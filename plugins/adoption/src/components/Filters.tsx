import { Box, MenuItem, TextField } from '@material-ui/core';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

const RANGES = [7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];

/** The catalog's groups, to pick the team the figures are about. */
function useGroups() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'group' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items
      .map(group => ({
        ref: stringifyEntityRef(group),
        title:
          (group.spec?.profile as { displayName?: string } | undefined)
            ?.displayName ??
          group.metadata.title ??
          group.metadata.name,
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi]);
}

/** Time range (7/30/90 days) and team. */
export function Filters(props: {
  days: RangeDays;
  onDaysChange: (days: RangeDays) => void;
  team: string;
  onTeamChange: (team: string) => void;
}) {
  const groups = useGroups();
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      <ToggleButtonGroup
        exclusive
        size="small"
        aria-label="Time range"
        value={props.days}
        onChange={(_, value) => value && props.onDaysChange(value)}
      >
        {RANGES.map(days => (
          <ToggleButton
            key={days}
            value={days}
            aria-label={`Last ${days} days`}
          >
            {days} days
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <TextField
        select
        size="small"
        variant="outlined"
        id="adoption-team"
        label="Team"
        style={{ minWidth: 220 }}
        value={props.team}
        onChange={e => props.onTeamChange(String(e.target.value))}
        helperText={groups.error ? 'Teams could not be loaded' : undefined}
      >
        <MenuItem value="">All teams</MenuItem>
        {(groups.value ?? []).map(group => (
          <MenuItem key={group.ref} value={group.ref}>
            {group.title}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}
