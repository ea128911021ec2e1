import { test, expect } from '@playwright/test';
import { CoreV1Api } from '@kubernetes/client-node';
import * as amqp from 'amqplib';
import { portalClusterConfig, readSecretData } from './kubernetes';
import {
  deleteFromRequestPage,
  expectRequestState,
  openInCatalog,
  liveStatusRow,
  requestFromSelfService,
  runAction,
  timeline,
} from './requestPage';
import { signInAsGuest } from './signIn';

/** What a connection attempt with `uri` ends in: 'ok' or the broker's refusal. */
async function connectOutcome(uri: string): Promise<string> {
  try {
    const connection = await amqp.connect(uri);
    await connection.close();
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Runs `fn` on a channel of a new connection with `uri`, as an application would. */
async function withChannel<T>(
  uri: string,
  fn: (channel: amqp.ConfirmChannel) => Promise<T>,
): Promise<T> {
  const connection = await amqp.connect(uri);
  try {
    return await fn(await connection.createConfirmChannel());
  } finally {
    await connection.close();
  }
}

test('a developer requests queues, uses them with the Secret, rotates the password and deletes them', async ({
  page,
}) => {
  const core = portalClusterConfig().makeApiClient(CoreV1Api);
  // Unique per run: the portal's data folder (and its broker) may be reused.
  const name = `e2e-queues-${Date.now().toString(36)}`;
  const queue = 'orders.created';
  const namespace = 'team-platform';
  await signInAsGuest(page);

  // The generated form: a list of queues, the first one there from the start.
  const requested = await requestFromSelfService(page, {
    title: 'RabbitMQ queues',
    typeId: 'rabbitmq-queue',
    name,
    fill: async () => {
      await page.getByRole('textbox', { name: 'Queue name' }).fill(queue);
      await page.getByRole('checkbox', { name: 'Dead-letter queue' }).check();
    },
  });

  // The page follows provisioning step by step until the queues are ready.
  await expectRequestState(page, 'ready');
  const ready = Date.now();
  await expect(timeline(page)).toContainText("Step 'provision' started");
  await expect(timeline(page)).toContainText(
    `Provisioned rabbitmq-queue '${name}'`,
  );
  await expect(page.getByTestId('credentials-location')).toContainText(
    `Credentials are in Secret ${name}-amqp in namespace ${namespace}`,
  );
  // Live status: the queue and its dead-letter queue, empty.
  await expect(liveStatusRow(page, 'Queues', queue)).toHaveText([
    queue,
    '0',
    '0',
    '0',
    '0',
    '0',
  ]);
  await expect(liveStatusRow(page, 'Queues', `${queue}.dlq`)).toHaveCount(6);

  // The Secret has what an application needs, and its uri works.
  const secret = (await readSecretData(core, `${name}-amqp`, namespace))!;
  expect(Object.keys(secret).sort()).toEqual([
    'host',
    'password',
    'port',
    'uri',
    'user',
    'vhost',
  ]);
  expect(secret).toMatchObject({ vhost: name, user: name });
  await withChannel(secret.uri, async channel => {
    channel.sendToQueue(queue, Buffer.from('order 1'), { persistent: true });
    await channel.waitForConfirms();
  });

  // The catalog lists the queues as a Resource of the team.
  await openInCatalog(page, {
    name,
    type: 'queue',
    owner: 'Platform Team',
  });
  await page.goBack();

  // Day 2: a new password; the old one is refused from then on.
  await runAction(page, 'Rotate credentials', 'rotate-credentials');
  const rotated = (await readSecretData(core, `${name}-amqp`, namespace))!;
  expect(rotated.password).not.toBe(secret.password);
  expect(await connectOutcome(secret.uri)).toMatch(/ACCESS_REFUSED/);

  // The live status counts the message waiting (the broker samples its figures every
  // few seconds: by now it has), and a consumer with the new password gets it.
  await expect(liveStatusRow(page, 'Queues', queue).nth(1)).toHaveText('1');
  const received = await withChannel(rotated.uri, channel =>
    channel.get(queue, { noAck: true }),
  );
  expect(received && received.content.toString()).toBe('order 1');

  // Deleting takes the Secret and the user away at once.
  const deleting = Date.now();
  await deleteFromRequestPage(page, name);
  const deleted = Date.now();
  expect(await readSecretData(core, `${name}-amqp`, namespace)).toBeUndefined();
  expect(await connectOutcome(rotated.uri)).toMatch(/ACCESS_REFUSED/);

  // The timing is part of the test's output on purpose (reported in issue notes).
  // eslint-disable-next-line no-console
  console.log(
    `queue timing: request -> ready ${((ready - requested) / 1000).toFixed(
      1,
    )} s, delete -> deleted ${((deleted - deleting) / 1000).toFixed(1)} s`,
  );
});
