/**
 * Helpers every Paved backend plugin uses: mutations run as audit (and usage)
 * events, request input parsed with zod into 400s that name the field, who acts,
 * and the plugin's database migrated on start.
 *
 * @packageDocumentation
 */
export { audited } from './audited';
export type { UsageEventRecorder, UsageFacts } from './audited';
export { formatZodError } from './formatZodError';
export { parseConfigSection } from './parseConfigSection';
export { parseInput } from './parseInput';
export { PUBLISH_TARGETS, readPublishSettings } from './readPublishSettings';
export type { PublishSettings, PublishTargetKind } from './readPublishSettings';
export { readSchedule } from './readSchedule';
export { refuseNulCharacters } from './refuseNulCharacters';
export { actorOf } from './actorOf';
export { migrateDatabase } from './migrateDatabase';
export { ExpiringCache } from './expiringCache';
