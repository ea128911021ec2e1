import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { oidcAuthApi } from './oidcAuthApi';
import { signInProviders } from './signInProviders';

/**
 * The sign-in page offers the providers named in `paved.signIn.providers`: guest on a
 * laptop (app-config.yaml, plus `oidc` when ./paved start runs the local identity
 * provider), GitHub in production (app-config.production.yaml), and `oidc` for a
 * company's OpenID Connect provider (app-config.oidc.yaml).
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => {
      const config = useApi(configApiRef);
      const providers = signInProviders(
        config.getOptionalStringArray('paved.signIn.providers') ?? ['guest'],
        { oidcTitle: config.getOptionalString('paved.signIn.oidc.title') },
      );
      return <SignInPage {...props} providers={providers} />;
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, oidcAuthApi],
});
