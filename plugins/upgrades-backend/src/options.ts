import { Config } from '@backstage/config';
import { parseConfigSection } from '@paved/backend-plugin-utils';
import { z } from 'zod';

const schema = z
  .object({
    sampleRepositories: z.boolean().default(false),
    author: z
      .object({
        name: z.string().trim().min(1).max(200).default('Paved'),
        email: z.string().trim().min(3).max(200).default('paved@paved.local'),
      })
      .strict()
      .default({ name: 'Paved', email: 'paved@paved.local' }),
    campaigns: z
      .object({
        // A task schedule, read by the plugin with the scheduler's own reader.
        reminderSchedule: z.unknown().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type UpgradesOptions = z.output<typeof schema>;

/** `paved.upgrades`; an invalid section stops the backend naming the key. */
export function readUpgradesOptions(config: Config): UpgradesOptions {
  return parseConfigSection(
    schema,
    config.getOptional('paved.upgrades') ?? {},
    'paved.upgrades',
  );
}
