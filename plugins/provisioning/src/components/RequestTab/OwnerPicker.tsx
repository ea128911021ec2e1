import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { UserGroup } from '../../hooks/useUserGroups';

/**
 * The owning group of a new resource, among the groups the user belongs to: the
 * owner's members may change and delete it later.
 */
export function OwnerPicker(props: {
  groups: UserGroup[];
  value: string | undefined;
  onChange(ref: string | undefined): void;
  error?: string;
  disabled?: boolean;
}) {
  const { groups, value, onChange, error, disabled } = props;
  return (
    <Autocomplete
      id="provisioning-owner"
      options={groups}
      value={groups.find(group => group.ref === value) ?? null}
      onChange={(_event, group) => onChange(group?.ref)}
      getOptionLabel={group => group.title}
      getOptionSelected={(option, selected) => option.ref === selected.ref}
      renderOption={group => `${group.title} (${group.ref})`}
      disabled={disabled}
      renderInput={params => (
        <TextField
          {...params}
          label="Owner"
          required
          margin="normal"
          variant="outlined"
          error={!!error}
          helperText={
            error ??
            'Your team that owns the resource: its members can change and delete it.'
          }
        />
      )}
    />
  );
}
