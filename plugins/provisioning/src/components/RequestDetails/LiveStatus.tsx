import { Flex, Text } from '@backstage/ui';
import { ResourceStatus } from '@paved/plugin-provisioning-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { Fragment, useEffect, useState } from 'react';
import { provisioningApiRef } from '../../api';
import { ErrorAlert } from '../ErrorAlert';

/** How often the live status of a ready resource is read again. */
const STATUS_POLL_INTERVAL_MS = 10_000;

/**
 * Reads the request's live status while `active` (its request is ready), at once and
 * then every `intervalMs`; stops when it is not.
 */
export function useLiveStatus(
  id: string,
  active: boolean,
  intervalMs = STATUS_POLL_INTERVAL_MS,
) {
  const api = useApi(provisioningApiRef);
  const [status, setStatus] = useState<ResourceStatus>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    if (!active) {
      return undefined;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      api.getRequestStatus(id).then(
        value => {
          if (cancelled) return;
          setStatus(value);
          setError(undefined);
        },
        err => {
          if (!cancelled) setError(err);
        },
      );
      timer = setTimeout(read, intervalMs);
    };
    read();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, id, active, intervalMs]);

  return { status: active ? status : undefined, error };
}

/** The sections a resource type reports: items as a definition list, tables as tables. */
function LiveStatusSections(props: { status: ResourceStatus }) {
  return (
    <Flex direction="column" gap="4" data-testid="live-status">
      {props.status.sections.map((section, index) => (
        <Flex key={`${section.title}-${index}`} direction="column" gap="2">
          <Text as="h4" variant="body-large" weight="bold">
            {section.title}
          </Text>
          {section.message && <Text as="p">{section.message}</Text>}
          {section.items && section.items.length > 0 && (
            <dl
              style={{
                margin: 0,
                display: 'grid',
                gridTemplateColumns: 'max-content auto',
                columnGap: 16,
              }}
            >
              {section.items.map(item => (
                <Fragment key={item.label}>
                  <dt style={{ fontWeight: 'bold' }}>{item.label}</dt>
                  <dd style={{ margin: 0 }}>{String(item.value)}</dd>
                </Fragment>
              ))}
            </dl>
          )}
          {section.table && (
            <table aria-label={section.title} style={{ textAlign: 'left' }}>
              <thead>
                <tr>
                  {section.table.columns.map(column => (
                    <th key={column} scope="col" style={{ paddingRight: 16 }}>
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {section.table.rows.map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {row.map((cell, cellIndex) => (
                      <td key={cellIndex} style={{ paddingRight: 16 }}>
                        {String(cell)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Flex>
      ))}
    </Flex>
  );
}

/** The "Live status" of a ready request; nothing when its type reports none. */
export function LiveStatus(props: { status?: ResourceStatus; error?: Error }) {
  const { status, error } = props;
  if (error && !status) {
    return <ErrorAlert error={error} title="Could not read the live status" />;
  }
  if (!status) {
    return (
      <Text as="p" color="secondary">
        Reading the live status…
      </Text>
    );
  }
  return <LiveStatusSections status={status} />;
}
