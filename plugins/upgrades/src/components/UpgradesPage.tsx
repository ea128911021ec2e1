import { useAppLocation, useRouteRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import { rootRouteRef } from '../routes';
import { CampaignPage } from './CampaignPage';
import { CampaignsList } from './CampaignsList';
import { ChangePage } from './ChangePage';

type View =
  | { kind: 'campaigns' }
  | { kind: 'campaign'; id: string }
  | { kind: 'change'; id: string };

/** Which view the path below `/upgrades` names. */
function useView(): View {
  const root = useRouteRef(rootRouteRef)?.();
  const { pathname } = useAppLocation();
  if (!root) return { kind: 'campaigns' };
  const prefix = `${root.replace(/\/$/, '')}/`;
  if (!pathname.startsWith(prefix)) return { kind: 'campaigns' };
  const [section, id] = pathname.slice(prefix.length).split('/');
  if (id && section === 'changes') {
    return { kind: 'change', id: decodeURIComponent(id) };
  }
  if (id && section === 'campaigns') {
    return { kind: 'campaign', id: decodeURIComponent(id) };
  }
  return { kind: 'campaigns' };
}

/**
 * `/upgrades`: the campaigns; `/upgrades/campaigns/:id`: one of them;
 * `/upgrades/changes/:id`: a change request.
 */
export function UpgradesPage() {
  const view = useView();
  let content;
  if (view.kind === 'change')
    content = <ChangePage key={view.id} id={view.id} />;
  else if (view.kind === 'campaign') {
    content = <CampaignPage key={view.id} id={view.id} />;
  } else content = <CampaignsList />;
  return <Box p={3}>{content}</Box>;
}
