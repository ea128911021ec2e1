import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Campaign,
  CampaignDetails,
  ChangeDiff,
  ChangeRequest,
  ChangeState,
  CreateCampaignBody,
  ProposeBody,
  TemplateVersionList,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';

/** `GET /changes` filters. @public */
export interface ListChangesQuery {
  entityRef?: string;
  campaignId?: string;
  state?: ChangeState;
}

/**
 * The upgrades backend as the frontend uses it. Failed calls reject with a
 * `ResponseError` carrying the server's message (which names the field or cause).
 *
 * @public
 */
export interface UpgradesApi {
  /** Whether a component can move to a newer version of its golden path. */
  getUpgradeStatus(entityRef: string): Promise<UpgradeStatus>;
  getTemplateVersions(templateRef: string): Promise<TemplateVersionList>;
  /** Proposing twice answers the same active change. */
  proposeChange(body: ProposeBody): Promise<ChangeRequest>;
  listChanges(query: ListChangesQuery): Promise<ChangeRequest[]>;
  getChange(id: string): Promise<ChangeRequest>;
  getChangeDiff(id: string): Promise<ChangeDiff>;
  mergeChange(id: string): Promise<ChangeRequest>;
  closeChange(id: string): Promise<ChangeRequest>;
  /** Reads the branch again, e.g. after someone resolved its conflicts. */
  refreshChange(id: string): Promise<ChangeRequest>;
  listCampaigns(): Promise<Campaign[]>;
  createCampaign(body: CreateCampaignBody): Promise<Campaign>;
  getCampaign(id: string): Promise<CampaignDetails>;
  /** Opens the changes the campaign is still missing. */
  runCampaign(id: string): Promise<CampaignDetails>;
}

/** @public */
export const upgradesApiRef = createApiRef<UpgradesApi>({
  id: 'plugin.upgrades.service',
});
