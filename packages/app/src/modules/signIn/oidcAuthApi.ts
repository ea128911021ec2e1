import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  BackstageIdentityApi,
  configApiRef,
  createApiRef,
  discoveryApiRef,
  OAuthApi,
  oauthRequestApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';
import LockOpenIcon from '@material-ui/icons/LockOpen';

/** The title shown for OIDC sign-in unless `paved.signIn.oidc.title` names the provider. */
export const DEFAULT_OIDC_TITLE = 'Single sign-on';

/**
 * Sign-in through any OpenID Connect provider (Okta, Entra ID, Keycloak, Google, the
 * local identity provider of `./paved start`, ...): the backend's `oidc` auth provider
 * (@backstage/plugin-auth-backend-module-oidc-provider). Backstage has no built-in
 * reference for a generic OIDC provider, hence our own.
 */
export const oidcAuthApiRef = createApiRef<
  OAuthApi &
    OpenIdConnectApi &
    ProfileInfoApi &
    BackstageIdentityApi &
    SessionApi
>().with({ id: 'paved.auth.oidc', pluginId: 'app' });

export const oidcAuthApi = ApiBlueprint.make({
  name: 'oidc-auth',
  params: defineParams =>
    defineParams({
      api: oidcAuthApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        configApi: configApiRef,
      },
      factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          provider: {
            id: 'oidc',
            title:
              configApi.getOptionalString('paved.signIn.oidc.title') ??
              DEFAULT_OIDC_TITLE,
            icon: LockOpenIcon,
          },
          environment: configApi.getOptionalString('auth.environment'),
          // The scopes the backend's OIDC authenticator requires anyway; `email` is
          // what the e-mail sign-in resolvers match on.
          defaultScopes: ['openid', 'profile', 'email'],
        }),
    }),
});
