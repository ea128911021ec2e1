import { Flex, Text } from '@backstage/ui';
import { JsonObject, JsonValue } from '@backstage/types';

// Outputs are non-secret by contract; this keeps a slip from showing one anyway.
const SECRET_KEY =
  /(password|passwd|secret(?!name|namespace|ref)|token|private.?key|api.?key)/i;

const show = (value: JsonValue | undefined) =>
  typeof value === 'string' ? value : JSON.stringify(value);

/**
 * Where the resource is and where its credentials are kept, never the credentials
 * themselves.
 */
export function Outputs(props: { outputs: JsonObject }) {
  const { secretName, secretNamespace, ...rest } = props.outputs;
  const entries = Object.entries(rest).filter(
    ([key, value]) => value !== undefined && !SECRET_KEY.test(key),
  );
  if (!secretName && entries.length === 0) {
    return (
      <Text as="p" color="secondary">
        Nothing yet: the outputs appear when provisioning has made the resource.
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="2">
      {secretName && (
        <Text as="p" data-testid="credentials-location">
          Credentials are in Secret <strong>{show(secretName)}</strong>
          {secretNamespace && (
            <>
              {' '}
              in namespace <strong>{show(secretNamespace)}</strong>
            </>
          )}
          . The portal never shows them; read them where your workload runs,
          e.g.{' '}
          <code>
            kubectl get secret {show(secretName)}
            {secretNamespace ? ` -n ${show(secretNamespace)}` : ''}
          </code>
          .
        </Text>
      )}
      {entries.length > 0 && (
        <dl style={{ margin: 0 }}>
          {entries.map(([key, value]) => (
            <Flex key={key} gap="2">
              <Text as="span" weight="bold">
                {key}
              </Text>
              <Text as="span">{show(value)}</Text>
            </Flex>
          ))}
        </dl>
      )}
    </Flex>
  );
}
