import {
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockServices } from '@backstage/backend-test-utils';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  loadKubeConfig,
  portalKubernetesConfig,
  readSecret as readSecretWith,
  requireTestCluster,
  secretStatus as secretStatusWith,
} from '@paved/kube-test-utils';
import { SecretWriter } from '@paved/plugin-provisioning-node';
import { requireTestS3 } from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import { VersitygwAdminClient } from '../accessKeys/VersitygwAdminClient';
import { deleteAllObjects } from '../bucketContents';
import { readS3Config } from '../config';
import { createS3Services } from '../module';
import { createS3Client } from '../s3Client';

/**
 * What the tests of this module need: the test run's S3 server (versitygw) and
 * Kubernetes API server, the module's config for them with buckets prefixed by a name
 * of the run's own (`RUN`), clients as the root account and as any key, and a cleanup
 * that removes what the run made.
 */
export function s3Harness(options: { deletionRetentionMs?: number } = {}) {
  const server = requireTestS3();
  const cluster = requireTestCluster();
  const RUN = `s${randomBytes(3).toString('hex')}`;
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const namespaces = new Set<string>();
  const keyIds = new Set<string>();

  /** `provisioning.s3` as app-config would say it. */
  const configData = {
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    bucketPrefix: `${RUN}-`,
    accessKeys: { type: 'versitygw', adminEndpoint: server.adminEndpoint },
    deletionRetention: {
      milliseconds: options.deletionRetentionMs ?? 7 * 24 * 3600_000,
    },
    kubernetes: portalKubernetesConfig(cluster),
  };
  const config = readS3Config(
    mockServices.rootConfig({ data: { provisioning: { s3: configData } } }),
  )!;
  const services = createS3Services(config);

  /** An S3 client with `key`, as an application would use it. */
  const clientOf = (key: { accessKeyId: string; secretAccessKey: string }) => {
    keyIds.add(key.accessKeyId);
    return createS3Client({ ...config, ...key });
  };

  /** What an S3 call with the client did: 'ok' or its error code. */
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: { name?: string }) => error.name ?? String(error),
    );
  const put = (client: S3Client, bucket: string, key: string, body = key) =>
    outcome(
      client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
      ),
    );
  /** Puts an object, throwing when it cannot (for a test's setup). */
  const write = (client: S3Client, bucket: string, key: string, body = key) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const get = (client: S3Client, bucket: string, key: string) =>
    outcome(client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  const read = async (client: S3Client, bucket: string, key: string) => {
    const object = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    return object.Body!.transformToString();
  };

  /** The Secret's data, decoded, read with the cluster admin's identity. */
  async function readSecret(name: string, namespace: string) {
    namespaces.add(namespace);
    const found = await readSecretWith(cluster.kubeConfig, name, namespace);
    keyIds.add(found.data.AWS_ACCESS_KEY_ID);
    return found;
  }

  const secretStatus = (name: string, namespace: string) =>
    secretStatusWith(cluster.kubeConfig, name, namespace);

  /** The run's buckets on the server, whatever their tags. */
  const runBuckets = async () =>
    ((await services.s3.send(new ListBucketsCommand({}))).Buckets ?? [])
      .map(b => b.Name!)
      .filter(name => name.startsWith(`${RUN}-`))
      .sort();

  /** versitygw's admin API as the root account, to look at and remove accounts. */
  const admin = new VersitygwAdminClient({
    endpoint: server.adminEndpoint,
    region: server.region,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  });

  async function cleanup() {
    const { buckets, keys } = services;
    for (const bucket of await runBuckets()) {
      await deleteAllObjects(buckets.s3, bucket);
      await keys.revokeAll({ bucket });
      await buckets.delete(bucket);
    }
    for (const id of keyIds) {
      await admin.deleteUser(id);
    }
    for (const name of namespaces) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
  }

  return {
    RUN,
    server,
    cluster,
    config,
    configData,
    ...services,
    secrets: new SecretWriter(loadKubeConfig(cluster.portalKubeconfigPath)),
    root: services.s3,
    clientOf,
    outcome,
    put,
    write,
    get,
    read,
    readSecret,
    secretStatus,
    runBuckets,
    admin,
    keyIds,
    namespaces,
    core,
    cleanup,
  };
}
