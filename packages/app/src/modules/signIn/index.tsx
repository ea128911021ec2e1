import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { signInProviders } from './signInProviders';

/**
 * The sign-in page offers the providers named in `paved.signIn.providers`: guest on a
 * laptop (app-config.yaml), GitHub in production (app-config.production.yaml).
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => {
      const config = useApi(configApiRef);
      const providers = signInProviders(
        config.getOptionalStringArray('paved.signIn.providers') ?? ['guest'],
      );
      return <SignInPage {...props} providers={providers} />;
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
