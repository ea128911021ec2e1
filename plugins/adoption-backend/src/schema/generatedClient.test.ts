import { describeGeneratedClient } from '@paved/test-utils';
import { resolve } from 'node:path';

// The client in @paved/plugin-adoption-common is generated from this spec by
// `yarn generate:client` there (and fully re-checked by `yarn check:client`).
// This cheap check catches a spec changed without regenerating.
describeGeneratedClient({
  specPath: resolve(__dirname, 'openapi.yaml'),
  generatedDir: resolve(
    __dirname,
    '../../../adoption-common/src/schema/openapi/generated',
  ),
});
