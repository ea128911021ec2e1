import { WarningPanel, Progress } from '@backstage/core-components';
import {
  useApi,
  useAppNavigate,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Button, Flex, Text } from '@backstage/ui';
import TextField from '@material-ui/core/TextField';
import {
  REQUEST_NAME_PATTERN,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import { provisioningApiRef } from '../../api';
import { useUserGroups } from '../../hooks/useUserGroups';
import { fieldErrors } from '../../lib/errors';
import { requestRouteRef } from '../../routes';
import { ErrorAlert } from '../ErrorAlert';
import { JsonSchemaForm, toErrorSchema } from '../JsonSchemaForm';
import { OwnerPicker } from './OwnerPicker';

function checkName(name: string): string | undefined {
  if (!name) return 'is required';
  if (name.length > 63) return 'must be at most 63 characters';
  if (!REQUEST_NAME_PATTERN.test(name)) {
    return 'must be lowercase letters, digits and dashes, starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * The request form of one resource type: a name, an owner, and the type's
 * parameters (generated from its JSON Schema). Submitting creates the request and
 * opens its page, where its progress shows.
 */
export function RequestForm(props: { type: ResourceTypeInfo }) {
  const { type } = props;
  const api = useApi(provisioningApiRef);
  const navigate = useAppNavigate();
  const requestLink = useRouteRef(requestRouteRef);
  const userGroups = useUserGroups();

  const [name, setName] = useState('');
  const [owner, setOwner] = useState<string>();
  const [parameters, setParameters] = useState<JsonObject>({});
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();

  const groups = userGroups.value?.groups ?? [];
  const selectedOwner = owner ?? (groups.length === 1 ? groups[0].ref : '');
  const serverErrors = error ? fieldErrors(error) : {};
  const nameError =
    (submitted ? checkName(name) : undefined) ?? serverErrors.name?.join('; ');
  const ownerError =
    (submitted && !selectedOwner ? 'is required' : undefined) ??
    serverErrors.owner?.join('; ');

  const submit = async (formData: JsonObject) => {
    setSubmitted(true);
    setError(undefined);
    if (checkName(name) || !selectedOwner) {
      return;
    }
    setSubmitting(true);
    try {
      const request = await api.createRequest({
        type: type.id,
        name,
        owner: selectedOwner,
        parameters: formData,
      });
      const target = requestLink?.({ id: request.id });
      if (target) navigate(target);
    } catch (e) {
      setError(e as Error);
      setSubmitting(false);
    }
  };

  if (userGroups.loading) {
    return <Progress />;
  }

  return (
    <Flex direction="column" gap="2" style={{ maxWidth: 720 }}>
      <Text as="h2" variant="title-medium">
        Request {type.title}
      </Text>
      <Text as="p" color="secondary">
        {type.description}
      </Text>
      {userGroups.error && (
        <WarningPanel
          title="Could not read your groups"
          message={userGroups.error.message}
        />
      )}
      {!userGroups.error && groups.length === 0 && (
        <WarningPanel
          title="You are in no team"
          message="Resources are owned by a group, and the catalog lists you in none. Ask your team lead to add you to your team's group, then sign in again."
        />
      )}
      <TextField
        id="provisioning-name"
        label="Name"
        required
        variant="outlined"
        margin="normal"
        value={name}
        disabled={submitting}
        onChange={e => setName(e.target.value)}
        error={!!nameError}
        helperText={
          nameError ??
          'Lowercase letters, digits and dashes, e.g. orders-db. Unique among your team\u2019s resources of this type.'
        }
        inputProps={{ maxLength: 63 }}
      />
      <OwnerPicker
        groups={groups}
        value={selectedOwner}
        onChange={setOwner}
        error={ownerError}
        disabled={submitting}
      />
      <JsonSchemaForm
        id="provisioning-parameters"
        schema={type.parameters}
        formData={parameters}
        onChange={setParameters}
        onSubmit={submit}
        extraErrors={toErrorSchema(serverErrors, 'parameters')}
        disabled={submitting}
      >
        {error && (
          <ErrorAlert
            error={error}
            title="The request was refused"
            forbidden={{
              owner: selectedOwner,
              what: `request resources for ${selectedOwner}`,
            }}
          />
        )}
        <Flex mt="4">
          <Button type="submit" variant="primary" isPending={submitting}>
            Request {type.title}
          </Button>
        </Flex>
      </JsonSchemaForm>
    </Flex>
  );
}
