import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';
import {
  kubernetesContentModule,
  kubernetesModule,
} from './modules/kubernetes';

export default createApp({
  features: [
    catalogPlugin,
    navModule,
    homeModule,
    signInModule,
    kubernetesModule,
    kubernetesContentModule,
  ],
});
