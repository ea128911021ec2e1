import { Alert, Button } from '@backstage/ui';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { absoluteTime, relativeTime } from '@paved/display-react';

/** Below this much time left the expiry is a warning. */
const EXPIRY_WARNING_MS = 24 * 3_600_000;

/** States in which an expiring resource exists and can be extended. */
const EXTENSIBLE_STATES = ['ready', 'updating', 'provisioning', 'failed'];

export const canExtend = (request: ProvisioningRequest) =>
  !!request.expiresAt && EXTENSIBLE_STATES.includes(request.state);

/**
 * When an expiring resource is deleted unless someone uses it, with a button to
 * extend its life; a warning once less than a day is left.
 */
export function ExpiryNotice(props: {
  request: ProvisioningRequest;
  onExtend(): void;
  now?: number;
}) {
  const { request, onExtend, now = Date.now() } = props;
  if (!request.expiresAt || !canExtend(request)) {
    return null;
  }
  const left = new Date(request.expiresAt).getTime() - now;
  const when = `${relativeTime(request.expiresAt, now)} (${absoluteTime(
    request.expiresAt,
  )})`;
  return (
    <Alert
      data-testid="request-expiry"
      status={left < EXPIRY_WARNING_MS ? 'warning' : 'info'}
      icon
      title={left > 0 ? `Expires ${when}` : `Expired ${when}`}
      description={
        left > 0
          ? 'Unused resources of this type are deleted when they expire. Opening this page as an owner, running an action or extending it keeps it longer.'
          : 'It is deleted shortly unless an owner extends it now.'
      }
      customActions={
        <Button variant="secondary" onPress={onExtend}>
          Extend
        </Button>
      }
    />
  );
}
